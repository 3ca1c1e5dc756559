//! `login --device` (and the headless fallback): the device authorization grant.
//! Shows the code, the verification URI and a QR code on stderr, opens the browser when
//! one can be opened, and polls until the person approves, refuses, or the code expires.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::{subject, Login};
use crate::error::{Error, Result};
use crate::flow::interrupt::interrupted;
use crate::oauth::browser;
use crate::oauth::device::{self, DeviceAuthorization, PollEvent};
use crate::oauth::token;
use crate::output::{self, Steps};
use crate::provider::{Endpoint, DEVICE_CODE_GRANT};
use crate::store::{Grant, TokenSet};

pub(super) fn run(l: &mut Login) -> Result<()> {
    let (args, ctx) = (l.args, l.ctx);
    let provider = l.provider.clone();
    if provider.spec.device_authorization_endpoint.is_none() {
        return Err(Error::input(format!(
            "{} offers no device authorization endpoint, so --device cannot be used",
            provider.display_name()
        ))
        .with_hint(format!(
            "log in without --device (in a browser, or with --no-browser to paste the redirected URL), or set `device_authorization_endpoint` in the [providers.{}] table of the config file if the server has one",
            provider.name
        )));
    }
    if provider.lists_grant(DEVICE_CODE_GRANT) == Some(false) {
        ctx.ui.warn(&format!(
            "{} does not list the device grant in its grant_types_supported; trying anyway",
            provider.display_name()
        ));
    }
    let token_endpoint = provider.require_endpoint(Endpoint::Token)?;
    let requested = l.requested_scopes();
    let mut params: Vec<(String, String)> = Vec::new();
    params.extend(token::scope_param(&provider, &requested));
    if let Some(a) = &args.audience {
        params.push(("audience".into(), a.clone()));
    }
    for r in &args.resources {
        params.push(("resource".into(), r.clone()));
    }
    token::merge_params(&mut params, &args.params);

    for (k, v) in &args.token_params {
        ctx.secret_param(k, v);
    }

    // --trace shows the login as numbered, timed steps.
    let mut steps = Steps::new(ctx.global.trace, 3);
    steps.begin(
        "device authorization",
        &format!(
            "POST {} (client authentication {})",
            provider
                .spec
                .device_authorization_endpoint
                .as_deref()
                .unwrap_or_default(),
            provider.auth_method()
        ),
    );
    let client = l.client.clone();
    let auth = l
        .interruptible(async { device::authorize(ctx.http()?, &provider, &client, &params).await });
    let auth = match auth {
        Ok(a) => a,
        Err(e) => {
            steps.end("failed");
            return Err(e);
        }
    };
    ctx.secret(auth.device_code.expose());
    steps.end(&format!(
        "user code {}, verification URI {}",
        auth.user_code, auth.verification_uri
    ));

    show_code(l, &auth);
    steps.begin(
        "approval",
        &format!("polling {token_endpoint} until the code is approved"),
    );
    let tokens = approve(l, &token_endpoint, &auth, &requested);
    let tokens = match tokens {
        Ok(t) => t,
        Err(e) => {
            steps.end("failed");
            return Err(e);
        }
    };
    steps.end("approved: tokens received");
    steps.begin("session", "finding out who logged in, storing the session");
    let key = l.dpop.clone();
    let who = l.interruptible(async {
        Ok(subject(ctx, &provider, &tokens, &client, key.as_deref()).await)
    })?;
    let session = l.session(tokens, who, Grant::DeviceCode);
    l.finish(&mut steps, &session)
}

/// What the person needs, on stderr: the URL, the code, a QR code; and the browser.
fn show_code(l: &Login, auth: &DeviceAuthorization) {
    let (args, ctx, provider) = (l.args, l.ctx, &l.provider);
    // What the person needs, on stderr.
    let expiry = auth
        .expires_in
        .map(|e| format!(" (the code expires in {})", crate::duration::human(e)))
        .unwrap_or_default();
    eprintln!(
        "To log in to {}, open this URL on any device:\n\n  {}\n\nand enter the code{expiry}:\n\n  {}\n",
        provider.display_name(),
        auth.verification_uri,
        auth.user_code
    );
    if let Some(complete) = &auth.verification_uri_complete {
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        if !ctx.ui.quiet && !dumb {
            if let Some(qr) = output::qr_code(complete) {
                eprintln!("Or scan this QR code, which opens {complete}:\n\n{qr}");
            }
        }
    }
    let target = auth
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&auth.verification_uri);
    let choice = browser::choose(args.browser.as_deref(), false, &|k| std::env::var(k).ok());
    match browser::launch(&choice, target) {
        Ok(what) => ctx.ui.detail(&format!("started {what}")),
        Err(reason) if matches!(choice, browser::Choice::Nothing { .. }) => {
            ctx.ui.detail(&format!("not starting a browser: {reason}"))
        }
        Err(e) => ctx.ui.warn(&format!("{e}; open the URL above yourself")),
    }
}

/// Polls until approved, refused or expired; Ctrl-C stops. A spinner (or `-v` lines)
/// shows the wait.
fn approve(
    l: &mut Login,
    token_endpoint: &str,
    auth: &DeviceAuthorization,
    requested: &[String],
) -> Result<TokenSet> {
    let (args, ctx) = (l.args, l.ctx);
    let (provider, client) = (l.provider.clone(), l.client.clone());
    // Poll until approved, refused or expired; Ctrl-C stops.
    let (tx, mut rx) = mpsc::unbounded_channel::<PollEvent>();
    let http = ctx.http()?;
    let deadline = auth.deadline();
    let rules = l.id_token_rules();
    let dpop = l.dpop.clone();
    l.rt.block_on(async {
        let poll = crate::flow::device::poll(
            http,
            &provider,
            token_endpoint,
            &client,
            auth,
            requested,
            &args.token_params,
            rules,
            dpop.as_deref(),
            |e| {
                let _ = tx.send(e.clone());
            },
        );
        tokio::pin!(poll);
        let mut spinner = output::Spinner::new(&ctx.ui);
        if !spinner.on {
            ctx.ui.info(&format!(
                "Waiting for the code {} to be approved (Ctrl-C to cancel)…",
                auth.user_code
            ));
        }
        let mut ticker = tokio::time::interval(Duration::from_millis(100));
        let mut polls = 0u32;
        let result = loop {
            tokio::select! {
                r = &mut poll => break r,
                _ = l.intr.recv() => break Err(interrupted()),
                Some(ev) = rx.recv() => match ev {
                    PollEvent::Pending => {
                        polls += 1;
                        if !spinner.on {
                            ctx.ui.detail(&format!("not approved yet (authorization_pending, poll {polls})"));
                        }
                    }
                    PollEvent::SlowDown { interval } => {
                        spinner.clear();
                        ctx.ui.info(&format!(
                            "{} asked to poll more slowly (slow_down): now every {}",
                            provider.display_name(),
                            crate::duration::human(interval)
                        ));
                    }
                    PollEvent::TimedOut { interval } => {
                        spinner.clear();
                        ctx.ui.warn(&format!(
                            "the token request timed out; polling again every {}",
                            crate::duration::human(interval)
                        ));
                    }
                },
                _ = ticker.tick() => {
                    let left = deadline
                        .map(|d| d.saturating_duration_since(Instant::now()).as_secs())
                        .map(|s| format!(", expires in {}:{:02}", s / 60, s % 60))
                        .unwrap_or_default();
                    spinner.tick(&format!(
                        "Waiting for the code {} to be approved{left} (Ctrl-C to cancel)",
                        auth.user_code
                    ));
                }
            }
        };
        spinner.clear();
        if let Some(w) = result
            .as_ref()
            .ok()
            .and_then(|t| crate::oauth::token::born_expired(t, crate::clock::unix_now()))
        {
            ctx.ui.warn(w);
        }
        result
    })
}
