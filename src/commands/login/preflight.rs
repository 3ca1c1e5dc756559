//! `login`'s preflight step: the authorization URL checked from here before any
//! browser opens (`support::preflight`). Only a proven refusal stops the login.

use super::Login;
use crate::error::{ErrorKind, Result};
use crate::flow::code::Prepared;
use crate::output::Steps;
use crate::support::preflight::{self, Verdict};

/// A request object in one line: its algorithm, key id and claim names (the values are
/// the authorization request's, in the URL or the pushed body).
fn describe_object(jwt: &str) -> String {
    use base64::Engine;
    let header = jsonwebtoken::decode_header(jwt).ok();
    let names: Vec<String> = jwt
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|b| serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&b).ok())
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    format!(
        "alg {}{}, typ {}; claims: {}",
        header
            .as_ref()
            .map(|h| format!("{:?}", h.alg))
            .unwrap_or_default(),
        header
            .as_ref()
            .and_then(|h| h.kid.as_deref())
            .map(|k| format!(" (kid {k})"))
            .unwrap_or_default(),
        header
            .as_ref()
            .and_then(|h| h.typ.as_deref())
            .unwrap_or("-"),
        names.join(", ")
    )
}

/// Checks the authorization URL from here before any browser opens. Only a proven
/// refusal stops the login; anything the preflight cannot judge is one warning line (in
/// full under --trace) and the login goes on to the browser.
pub(super) fn step(l: &mut Login, steps: &mut Steps, prepared: &Prepared) -> Result<()> {
    let ctx = l.ctx;
    if let Some(jwt) = &prepared.request.request_object {
        steps.begin(
            "request object",
            "sign the authorization request as a JWT (JAR, RFC 9101)",
        );
        steps.detail(&describe_object(jwt));
        steps.end("signed");
    }
    if l.args.no_preflight {
        steps.begin("preflight", "skipped (--no-preflight)");
        steps.end("skipped");
        return Ok(());
    }
    if let Some(p) = &prepared.pushed {
        // The server checked the pushed request already, and its request_uri works once.
        steps.begin(
            "pushed authorization request",
            &format!(
                "POST the authorization request to {} (RFC 9126)",
                p.endpoint
            ),
        );
        steps.detail(&format!("request_uri: {}", ctx.redact(&p.request_uri)));
        if let Some(s) = p.expires_in {
            steps.detail(&format!(
                "valid for {s} s, once; the browser's URL carries only client_id and request_uri"
            ));
        }
        steps.end("accepted (no preflight: the server checked the pushed request)");
        return Ok(());
    }
    steps.begin(
        "preflight",
        "GET the authorization URL from here as a browser would, redirects not followed",
    );
    let (http, provider) = (ctx.http()?, l.provider.clone());
    let checked =
        l.interruptible(async { Ok(preflight::run(http, &provider, &prepared.request).await) })?;
    match checked {
        Ok(p) if p.verdict == Verdict::Rejected => {
            steps.detail(&ctx.redact(&format!("the server answered: {}", p.seen)));
            steps.end("refused");
            Err(ctx.redact_error(p.refusal(&l.provider)))
        }
        Ok(p) => {
            steps.detail(&ctx.redact(&format!("the server answered: {}", p.seen)));
            if p.verdict == Verdict::Unclear {
                ctx.ui.warn(&format!(
                    "preflight: {} (the login goes on; --trace shows the answer, --no-preflight skips this check)",
                    ctx.redact(&p.summary)
                ));
                if let Some(d) = &p.description {
                    steps.detail(&ctx.redact(&format!("the server said: {d}")));
                }
                for f in &p.fixes {
                    steps.detail(&ctx.redact(f));
                }
            }
            steps.end(&ctx.redact(&p.summary));
            Ok(())
        }
        Err(e) => {
            let why = if matches!(e.kind, ErrorKind::Network | ErrorKind::Timeout) {
                "the browser may still reach it"
            } else {
                "the browser gets its own answer"
            };
            ctx.ui.warn(&format!(
                "preflight: cannot check the authorization URL from here ({}); {why}, so the login goes on",
                ctx.redact(&e.message)
            ));
            steps.end("no answer from here");
            Ok(())
        }
    }
}
