//! `oauthctl logout`: revoke at the server where it can (RFC 7009), end the session at
//! the server in the browser when asked (`--end-session`, RP-Initiated Logout 1.0),
//! and always delete the local session. What the server would not or could not do is
//! a warning naming the token that stays valid and until when; the exit code stays 0
//! (with `--revoke-only`, an error: exit 5).

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::oauth::browser;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::end_session::{self, EndSession};
use crate::oauth::revoke::{self, Revoked};
use crate::provider::{Provider, ProviderSpec};
use crate::secret::Secret;
use crate::store::{unix_now, Backend, Session};

/// What the server did with the session's tokens.
#[derive(Default)]
struct Report {
    revoked: Vec<&'static str>,
    warnings: Vec<String>,
}

pub fn run(args: &LogoutArgs, ctx: &Context) -> Result<()> {
    let name = ctx.provider_name()?;
    let key = ctx.session_key(&name)?;
    let store = ctx.store()?;
    let guard = store.lock(&key)?;
    let Some(meta) = guard.meta()? else {
        // Not indexed: still remove a stray file or keyring entry.
        if guard.delete()?.is_some() {
            ctx.ui.info(&format!("Deleted the session of {key}."));
        } else {
            ctx.ui
                .info(&format!("No session for {key}: nothing to do."));
        }
        return Ok(());
    };
    let mut report = Report::default();
    let mut end = None;
    if !args.no_revoke || args.end_session {
        // The session's secrets are needed only now.
        if let Some(session) = guard.load()? {
            ctx.secret_tokens(&session.tokens);
            match resolve(ctx, &session) {
                Ok((provider, client)) => {
                    if !args.no_revoke {
                        revoke_tokens(ctx, &provider, &client, &session, &mut report);
                    }
                    if args.end_session {
                        end = end_session_request(&provider, &client, &session, &mut report);
                    }
                }
                Err(e) => {
                    let reason = format!("the provider's settings: {}", e.message);
                    if !args.no_revoke {
                        not_revoked(&session, &tokens(&session), &reason, &mut report);
                    }
                    if args.end_session {
                        report.warnings.push(format!(
                            "the session at the server was not ended ({reason})"
                        ));
                    }
                }
            }
        }
    }
    guard.delete()?;
    let from = match meta.backend {
        Backend::Keyring => "the OS keyring",
        Backend::File => "its file",
    };
    let revoked_note = if report.revoked.is_empty() {
        String::new()
    } else {
        format!(" after revoking its {}", report.revoked.join(" and "))
    };
    ctx.ui.info(&format!(
        "Logged out of {key}: deleted the session from {from}{revoked_note}."
    ));
    if args.revoke_only && !report.warnings.is_empty() {
        return Err(Error::server(format!(
            "the session of {key} was deleted, but not every token was revoked: {}",
            ctx.redact(&report.warnings.join("; "))
        ))
        .with_hint("a token that stays valid can still be used until it expires; revoke it in the server's console, or rotate the client's credentials"));
    }
    for w in &report.warnings {
        ctx.ui.warn(&ctx.redact(w));
    }
    if let Some(end) = end {
        open_end_session(args, ctx, &name, &end);
    }
    Ok(())
}

/// The provider as the session's client authenticated (a client that signed
/// assertions with a key keeps signing with it), and that client with the configured
/// secret.
fn resolve(ctx: &Context, session: &Session) -> Result<(Provider, ClientCredentials)> {
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&ProviderSpec::default()))?;
    let provider = crate::session::renew::with_session_client(&provider, session);
    let client = ClientCredentials {
        client_id: match session.client_id.clone() {
            Some(id) => id,
            None => provider.require_client_id()?,
        },
        client_secret: provider.client_secret(),
    };
    Ok((provider, client))
}

/// The session's revocable tokens: the refresh token first (revoking it often takes
/// its access tokens along), then the access token.
fn tokens(session: &Session) -> Vec<(&Secret, &'static str)> {
    let t = &session.tokens;
    let mut out = Vec::new();
    if let Some(r) = &t.refresh_token {
        out.push((r, "refresh_token"));
    }
    out.push((&t.access_token, "access_token"));
    out
}

fn words(hint: &str) -> &'static str {
    if hint == "refresh_token" {
        "refresh token"
    } else {
        "access token"
    }
}

/// "it stays valid until it expires (in 59 min)": the access token's expiry is known,
/// a refresh token's is not.
fn stays_valid(session: &Session, hint: &str) -> String {
    let expires = (hint == "access_token")
        .then_some(session.tokens.expires_at)
        .flatten();
    let until = crate::duration::expires_in_words(expires, unix_now())
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    format!("it stays valid until it expires{until}")
}

fn not_revoked(
    session: &Session,
    targets: &[(&Secret, &'static str)],
    reason: &str,
    report: &mut Report,
) {
    for (_, hint) in targets {
        report.warnings.push(format!(
            "the {} was not revoked ({reason}): {}",
            words(hint),
            stays_valid(session, hint)
        ));
    }
}

/// Revokes the tokens where the server has a revocation endpoint and accepts this
/// client's authentication there; says which tokens stay valid otherwise.
fn revoke_tokens(
    ctx: &Context,
    provider: &Provider,
    client: &ClientCredentials,
    session: &Session,
    report: &mut Report,
) {
    let targets = tokens(session);
    let display = provider.display_name();
    let Some(endpoint) = provider.spec.revocation_endpoint.clone() else {
        let reason = format!("{display} has no revocation endpoint");
        return not_revoked(session, &targets, &reason, report);
    };
    if let Some(accepted) = revoke::unusable_auth(provider) {
        let reason = format!(
            "{display} revokes tokens only for clients that authenticate with {} (revocation_endpoint_auth_methods_supported); this client uses {}",
            accepted.join(", "),
            provider.auth_method().as_str()
        );
        return not_revoked(session, &targets, &reason, report);
    }
    let (rt, http) = match (ctx.runtime(), ctx.http()) {
        (Ok(rt), Ok(http)) => (rt, http),
        (Err(e), _) | (_, Err(e)) => return not_revoked(session, &targets, &e.message, report),
    };
    for (i, (token, hint)) in targets.iter().enumerate() {
        let r = rt.block_on(revoke::revoke(
            http, provider, &endpoint, token, hint, client,
        ));
        match r {
            Ok(Revoked::Yes) => report.revoked.push(words(hint)),
            Ok(Revoked::Unsupported) => report.warnings.push(format!(
                "the server refused to revoke the {} (unsupported_token_type): {}",
                words(hint),
                stays_valid(session, hint)
            )),
            // A refused client or an unreachable server refuses the next token too.
            Err(e) => return not_revoked(session, &targets[i..], &e.message, report),
        }
    }
}

/// The end-session request, when the server offers an end_session_endpoint.
fn end_session_request(
    provider: &Provider,
    client: &ClientCredentials,
    session: &Session,
    report: &mut Report,
) -> Option<EndSession> {
    let Some(endpoint) = provider.spec.end_session_endpoint.as_deref() else {
        report.warnings.push(format!(
            "{} offers no end_session_endpoint (RP-Initiated Logout): the session at the server was not ended; sign out there in the browser",
            provider.display_name()
        ));
        return None;
    };
    match end_session::build(
        endpoint,
        session.tokens.id_token.as_ref(),
        &client.client_id,
        provider.spec.post_logout_redirect_uri.as_deref(),
    ) {
        Ok(e) => Some(e),
        Err(e) => {
            report.warnings.push(format!(
                "the session at the server was not ended: {}",
                e.message
            ));
            None
        }
    }
}

/// Prints the end-session URL (its id_token_hint redacted unless --show-secrets) and
/// opens it in the browser.
fn open_end_session(args: &LogoutArgs, ctx: &Context, name: &str, end: &EndSession) {
    let url = end.url.as_str();
    ctx.ui.info(&format!(
        "End the session at the server in the browser:\n  {}",
        ctx.redact(url)
    ));
    let choice = browser::choose(args.browser.as_deref(), false, &|k| std::env::var(k).ok());
    match browser::launch(&choice, url) {
        Ok(what) => ctx.ui.detail(&format!("Opened it with {what}.")),
        Err(reason) => ctx.ui.warn(&format!(
            "the browser was not opened ({reason}): open the URL above to end the session at {name} (`--show-secrets` prints it whole)"
        )),
    }
}
