//! `login` with the authorization-code grant: the steps of `flow::code`, shown as
//! numbered `--trace` steps, with the preflight, the browser and the final page.

use super::{note, on_token_event, subject, Login};
use crate::error::{Error, Result};
use crate::flow::code::{self, CodeOptions, Prepared, Received, Sources, WaitEvent};
use crate::flow::token::{CodeContext, TokenFailure};
use crate::oauth::browser;
use crate::output::{self, Steps};
use crate::provider::Endpoint;
use crate::store::{self, Grant};
use crate::support::journal::Journal;

/// Logs in through a browser (or a pasted URL). `demo_drives`: the built-in demo follows
/// the URL itself (no browser here).
pub(super) fn run(l: &mut Login, choice: browser::Choice, demo_drives: bool) -> Result<()> {
    let (args, ctx) = (l.args, l.ctx);
    l.provider.require_endpoint(Endpoint::Authorization)?;
    let token_endpoint = l.provider.require_endpoint(Endpoint::Token)?;
    let (provider, client) = (l.provider.clone(), l.client.clone());
    let opts = CodeOptions {
        redirect_uri: args.redirect_uri.clone().or_else(|| {
            let p = args.params.iter().find(|(k, _)| k == "redirect_uri");
            p.map(|(_, v)| v.clone())
        }),
        port: args.port,
        scopes: crate::provider::scope_flags(&args.scopes),
        params: super::dpop::with_dpop_jkt(
            crate::oauth::rar::with_param(
                args.params.clone(),
                args.authorization_details.as_deref(),
            )?,
            l.dpop.as_deref(),
        ),
        par: args.par,
        jar: args.jar,
    };
    let http = ctx.http()?;
    let mut prepared = l.interruptible(code::prepare(http, &provider, &client, &opts))?;
    if let Some(w) = l
        .provider
        .refused_redirect_scheme(&prepared.request.redirect_uri)
    {
        ctx.ui.warn(&w);
    }
    // Remembered (hashed state, challenge, redirect URI) so that a failed exchange can
    // be explained, now or later by `oauthctl exchange`.
    let journal = Journal::open_default().ok();
    note(ctx, journal.as_ref(), |j| {
        j.record_flow(prepared.flow.clone())
    });

    let signed = usize::from(prepared.request.request_object.is_some());
    let mut steps = Steps::new(ctx.global.trace, 5 + signed);
    super::preflight::step(l, &mut steps, &prepared)?;
    let paste = hand_off(l, &mut steps, &choice, demo_drives, &prepared)?;
    let received = wait_step(l, &mut steps, &mut prepared, paste)?;
    note(ctx, journal.as_ref(), |j| {
        j.record_code(&prepared.request.state, received.code.expose())
    });
    if let Err(e) = code::check_issuer(&provider, received.iss.as_deref()) {
        return fail(l, received, e);
    }

    // Exchange the code, find out who logged in.
    let mut known = prepared.flow.clone();
    let at = store::unix_now().saturating_sub(received.at.elapsed().as_secs());
    known.code_received_at = Some(at);
    let earlier = journal
        .as_ref()
        .map(|j| j.exchanges_of(received.code.expose()));
    let context = CodeContext {
        journal: journal.as_ref(),
        state: Some(&prepared.request.state),
        flow: Some(known),
        earlier: earlier.unwrap_or_default(),
        fallback: None,
    };
    let call = code::exchange(
        &provider,
        &client,
        token_endpoint,
        &prepared,
        received.code.expose(),
        &args.token_params,
        context,
        l.id_token_rules(),
    );
    let dpop = l.dpop.clone();
    let call = call.dpop(dpop.as_deref());
    let exchanged = l.interruptible(async {
        Ok(call
            .run(http, &mut |ev| on_token_event(ctx, &mut steps, &ev))
            .await)
    });
    let tokens = match exchanged {
        Ok(Ok(t)) => t,
        Ok(Err(TokenFailure::Refused(r))) => {
            let e = ctx.redact_error(r.to_error(&provider, "the token request"));
            return fail(l, received, e);
        }
        Ok(Err(TokenFailure::Failed(e))) | Err(e) => {
            steps.end("failed");
            return fail(l, received, e);
        }
    };
    let key = l.dpop.clone();
    let who = l.interruptible(async {
        Ok(subject(ctx, &provider, &tokens, &client, key.as_deref()).await)
    });
    let who = match who {
        Ok(w) => w,
        Err(e) => return fail(l, received, e),
    };
    let session = l.session(tokens, who, Grant::AuthorizationCode);
    store_and_answer(l, &mut steps, received, &session)
}

/// Stores the session (synchronously, outside the async runtime), answers the browser
/// and reports the login.
fn store_and_answer(
    l: &Login,
    steps: &mut Steps,
    received: Received,
    session: &store::Session,
) -> Result<()> {
    let saved = match l.save(session) {
        Ok(s) => s,
        Err(e) => return fail(l, received, e),
    };
    let (provider, who) = (l.provider.display_name(), session.subject.as_deref());
    l.rt.block_on(code::respond_success(received.responder, provider, who));
    l.ctx.ui.detail(&format!(
        "{} ms from the redirect to the stored session",
        received.at.elapsed().as_millis()
    ));
    l.stored(steps, session, &saved)
}

/// Shows the failure in the browser too, then returns the error.
fn fail(l: &Login, received: Received, e: Error) -> Result<()> {
    let http = l.ctx.http()?;
    l.rt.block_on(code::respond_failure(
        http,
        received.responder,
        "Login failed",
        &e,
    ));
    Err(e)
}

/// Shows the URL (always, on stderr) and starts the browser, or the demo's stand-in.
/// Returns whether a redirected URL may be pasted.
fn hand_off(
    l: &Login,
    steps: &mut Steps,
    choice: &browser::Choice,
    demo_drives: bool,
    prepared: &Prepared,
) -> Result<bool> {
    let (args, ctx, request) = (l.args, l.ctx, &prepared.request);
    let headless = matches!(choice, browser::Choice::Nothing { .. });
    let paste = args.no_browser || prepared.listener.is_none() || (headless && !demo_drives);
    steps.begin(
        "authorization request",
        "the browser opens the authorization URL",
    );
    eprintln!(
        "Open this URL in a browser to log in to {}:\n\n  {}\n",
        l.provider.display_name(),
        request.url
    );
    if demo_drives {
        // No browser here: the demo approves on the user's behalf, as a browser would.
        ctx.ui.info(
            "No browser here: the demo follows the URL itself (the emulator approves at once).",
        );
        let http = ctx.http()?.clone();
        let url = request.url.to_string();
        l.rt.spawn(async move { crate::demo::follow(&http, url).await });
    }
    match browser::launch(choice, request.url.as_str()) {
        Ok(what) => ctx.ui.detail(&format!("started {what}")),
        Err(_) if args.no_browser || demo_drives => {}
        Err(reason) if headless => ctx.ui.info(&format!(
            "Not starting a browser: {reason}. Open the URL on any machine."
        )),
        Err(e) => ctx.ui.warn(&format!("{e}; open the URL above yourself")),
    }
    if paste {
        ctx.ui.info(if prepared.listener.is_some() {
            "Paste the URL you are redirected to (or the code) and press Enter, or finish in a browser on this machine."
        } else {
            "After approving, paste the URL you are redirected to (or just the code) and press Enter."
        });
    }
    let how = match (choice, paste) {
        _ if demo_drives => "URL followed by the demo itself",
        (browser::Choice::Nothing { .. }, _) => "URL shown for a browser elsewhere",
        (_, true) if args.no_browser => "URL shown; paste mode",
        _ => "URL handed to the browser",
    };
    let pkce = match request.challenge {
        Some(_) => "PKCE S256",
        None => "no PKCE",
    };
    steps.end(&format!("{how} (response_type=code, state, {pkce})"));
    Ok(paste)
}

/// Waits for the redirect, the pasted URL, the timeout or Ctrl-C, with a spinner.
fn wait_step(
    l: &mut Login,
    steps: &mut Steps,
    prepared: &mut Prepared,
    paste: bool,
) -> Result<Received> {
    let ctx = l.ctx;
    let pasted = if paste { " (or a pasted URL)" } else { "" };
    let waiting = format!(
        "waiting for the redirect to {}{pasted}",
        prepared.request.redirect_uri
    );
    steps.begin("callback", &waiting);
    let timeout = l.args.login_timeout;
    let sources = Sources {
        listener: prepared.listener.take(),
        paste,
        timeout,
        jarm: code::JarmRules {
            client_secret: l.client.client_secret.clone(),
            leeway: l.id_token_rules().leeway,
        },
    };
    let mut spinner = output::Spinner::new(&ctx.ui);
    if !spinner.on {
        ctx.ui.detail(&format!(
            "waiting for the redirect (at most {})",
            humantime::format_duration(timeout)
        ));
    }
    let (http, provider, request) = (ctx.http()?, &l.provider, &prepared.request);
    let mut on_event = |ev: WaitEvent<'_>| match ev {
        WaitEvent::Tick { .. } => spinner.tick(&ev.to_string()),
        _ => {
            spinner.clear();
            ctx.ui.warn(&ev.to_string());
        }
    };
    let waited = l.rt.block_on(code::wait(
        http,
        provider,
        request,
        sources,
        &mut l.intr,
        &mut on_event,
    ));
    spinner.clear();
    let received = waited?;
    ctx.secret(received.code.expose());
    let by = match received.responder {
        Some(_) => " by the loopback listener",
        None => " (pasted)",
    };
    let jarm = match &received.jarm {
        Some(j) => {
            steps.detail(&format!("JARM response: {}", ctx.redact(&j.decoded)));
            let kid = j
                .kid
                .as_deref()
                .map(|k| format!(", kid {k}"))
                .unwrap_or_default();
            format!(" in a JWT-secured response (JARM: {}{kid}; signature, iss, aud, exp and state verified)", j.alg)
        }
        None => String::new(),
    };
    steps.end(&format!("code received{by}{jarm}"));
    Ok(received)
}
