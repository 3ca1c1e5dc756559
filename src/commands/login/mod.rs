//! `oauthctl login`: authorization code + PKCE through a loopback redirect (or a
//! pasted URL), the code exchanged with the provider's quirks, the session stored.
//! The other grants live beside it: `device` (RFC 8628, also the headless fallback)
//! and `direct` (client credentials and password).

mod device;
mod direct;

use std::io::BufRead;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::mpsc;

use crate::cli::LoginArgs;
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::oauth::assertion::AssertionKey;
use crate::oauth::authorize::{self, AuthorizeOptions, AuthorizeRequest};
use crate::oauth::browser;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::loopback::{self, parse_pasted, Event, Page, Pasted, Responder};
use crate::oauth::token;
use crate::oauth::userinfo;
use crate::output::{self, Steps};
use crate::provider::{ClientAuth, Endpoint, Provider, ProviderSpec};
use crate::secret::Secret;
use crate::store::{self, Backend, Grant, Session, TokenSet};
use crate::support::diagnose;
use crate::support::journal::{self, Flow, Journal};
use crate::support::preflight::{self, Preflight, Verdict};

/// Starts the in-process emulator of an `emulated_by` provider (the `demo` preset) and
/// points `provider` at it: its client, and its endpoints from its discovery document.
/// The redirect URI stays a free loopback port (the emulator accepts any, RFC 8252).
pub(crate) fn start_emulator(
    ctx: &Context,
    rt: &tokio::runtime::Runtime,
    provider: &mut Provider,
    kind: &str,
    auto_approve: bool,
) -> Result<crate::mock::MockHandle> {
    let handle = crate::mock::start_in_thread(crate::mock::MockOptions {
        provider: kind.to_string(),
        auto_approve,
        ..Default::default()
    })?;
    let cfg = crate::provider::config::parse(
        handle.config_toml(),
        std::path::Path::new("(the built-in emulator)"),
    )?;
    let mut spec = cfg.providers.into_values().next().unwrap_or_default();
    spec.redirect_uri = None;
    spec.display_name = None;
    if let Some(s) = &spec.client_secret {
        ctx.secret(s);
    }
    let issuer = spec
        .issuer
        .clone()
        .unwrap_or_else(|| handle.base_url().to_string());
    let doc = rt.block_on(crate::provider::discovery::fetch(
        ctx.http()?,
        &issuer,
        None,
    ))?;
    provider.spec = provider
        .spec
        .overlay(&ProviderSpec::from_discovery(&doc.document))
        .overlay(&spec);
    ctx.ui.info(&format!(
        "Demo: the built-in emulator of an OpenID provider is serving at {} (its keys are public test keys; the session is a throw-away)",
        handle.base_url()
    ));
    Ok(handle)
}

/// The demo's stand-in for a browser: follows the authorization URL's redirects (on
/// loopback only) until the redirect reaches the listener.
async fn drive_demo(http: &crate::http::Http, url: String) {
    let mut next = url;
    for _ in 0..5 {
        let Ok(u) = url::Url::parse(&next) else {
            return;
        };
        if !matches!(
            u.host_str(),
            Some("127.0.0.1") | Some("localhost") | Some("[::1]")
        ) {
            return;
        }
        let Ok(resp) = http.send(crate::http::HttpRequest::get(u.clone())).await else {
            return;
        };
        match resp.header("location") {
            Some(loc) => match u.join(loc) {
                Ok(n) => next = n.to_string(),
                Err(_) => return,
            },
            None => return,
        }
    }
}

/// How long the browser's final page may take to be written before oauthctl exits.
const PAGE_WRITE_WAIT: Duration = Duration::from_secs(2);
/// The "who am I" request after the exchange is best effort and kept short.
const USERINFO_WAIT: Duration = Duration::from_secs(5);

pub fn run(args: &LoginArgs, ctx: &Context) -> Result<()> {
    let profile = ctx.profile()?;
    let mut flags = ProviderSpec {
        client_id: args.client_id.clone(),
        ..Default::default()
    };
    if let Some(k) = &args.client_assertion_key {
        // Absolute, so that `token` and `refresh` find it from any directory.
        let path = std::path::absolute(k)
            .unwrap_or_else(|_| k.clone())
            .display()
            .to_string();
        // Checked before any request is made.
        AssertionKey::load(&path)?;
        flags.client_assertion_key = Some(path);
        flags.token_endpoint_auth_method = Some(ClientAuth::PrivateKeyJwt);
    }
    let rt = ctx.runtime()?;
    let mut intr = Interrupt::new(rt)?;
    let mut provider = interruptible(rt, &mut intr, ctx.provider(&flags))?;
    let choice = browser::choose(args.browser.as_deref(), args.no_browser, &|k| {
        std::env::var(k).ok()
    });
    let headless = matches!(choice, browser::Choice::Nothing { .. }) && !args.no_browser;
    // The built-in demo: the emulator runs in this process for as long as the login.
    let emulator = match provider.spec.emulated_by.clone() {
        Some(kind) => Some(start_emulator(ctx, rt, &mut provider, &kind, headless)?),
        None => None,
    };
    let client = ClientCredentials::from_provider(&provider)?;
    if let Some(s) = &client.client_secret {
        ctx.secret(s.expose());
    }
    let store = ctx.store()?;
    let mut login = Login {
        args,
        ctx,
        rt,
        intr,
        provider,
        profile,
        client,
        store,
    };
    if args.client_credentials {
        return direct::client_credentials(&mut login);
    }
    if args.password {
        return direct::password(&mut login);
    }
    if args.device {
        return device::run(&mut login);
    }
    if let browser::Choice::Nothing { reason } = &choice {
        // The demo drives its own authorization URL instead (see below).
        if headless && emulator.is_none() && login.provider.offers_device_grant() {
            ctx.ui.info(&format!(
                "No browser can be opened here: {reason}. {} offers the device flow, so this login uses it: enter the code below on any device (--no-browser pastes a redirected URL instead).",
                login.provider.display_name()
            ));
            return device::run(&mut login);
        }
    }
    authorization_code(&mut login, choice, emulator.is_some() && headless)
}

/// One login in progress: what every grant needs.
pub(super) struct Login<'a> {
    pub args: &'a LoginArgs,
    pub ctx: &'a Context,
    pub rt: &'a tokio::runtime::Runtime,
    pub intr: Interrupt,
    pub provider: Provider,
    pub profile: String,
    pub client: ClientCredentials,
    pub store: store::Store,
}

impl Login<'_> {
    /// The scopes asked for: --scope, else the provider's.
    pub fn requested_scopes(&self) -> Vec<String> {
        requested_scopes(&self.args.scopes).unwrap_or_else(|| self.provider.scopes())
    }

    /// The session for `tokens`, from `grant`.
    pub fn session(&self, tokens: TokenSet, subject: Option<String>, grant: Grant) -> Session {
        Session {
            provider: self.provider.name.clone(),
            profile: self.profile.clone(),
            client_id: Some(self.client.client_id.clone()),
            issuer: self.provider.spec.issuer.clone(),
            subject,
            tokens,
            obtained_at: store::unix_now(),
            grant,
            client_assertion_key: (self.provider.auth_method() == ClientAuth::PrivateKeyJwt)
                .then(|| self.provider.spec.client_assertion_key.clone())
                .flatten(),
        }
    }

    /// Stores the session (outside the async runtime), warning about a file fallback.
    pub fn save(&self, session: &Session) -> Result<store::Saved> {
        let saved = self.store.save(session)?;
        if let Some(f) = &saved.fallback {
            self.ctx.ui.warn(&format!(
                "the OS keyring is not reachable: {}. The session is stored in the file {} (readable only by you) instead; --store file chooses files without this warning, --store keyring requires the keyring",
                f.cause,
                f.path.display()
            ));
        }
        Ok(saved)
    }

    /// Stores the session, ends the last `--trace` step with what was stored, and says
    /// so.
    pub fn finish(&self, steps: &mut Steps, session: &Session) -> Result<()> {
        let saved = self.save(session)?;
        steps.end(&format!(
            "{}; session stored ({})",
            token_summary(&session.tokens, store::unix_now()),
            saved.backend.as_str()
        ));
        report(
            self.ctx,
            &self.provider,
            session,
            saved.backend,
            saved.path.as_deref(),
        )
    }

    /// Runs `fut` on the runtime; Ctrl-C ends it with exit code 130.
    pub fn interruptible<T>(
        &mut self,
        fut: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        interruptible(self.rt, &mut self.intr, fut)
    }
}

/// The authorization code grant with PKCE, through the loopback listener or a pasted
/// URL. `demo_drives`: the built-in demo follows the URL itself (no browser here).
fn authorization_code(l: &mut Login, choice: browser::Choice, demo_drives: bool) -> Result<()> {
    let (args, ctx) = (l.args, l.ctx);
    l.provider.require_endpoint(Endpoint::Authorization)?;
    let token_endpoint = l.provider.require_endpoint(Endpoint::Token)?;
    let provider = l.provider.clone();
    let client = l.client.clone();

    // The redirect URI, and the listener when it is a loopback one.
    let flag_uri = args.redirect_uri.clone().or_else(|| {
        args.params
            .iter()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| v.clone())
    });
    let (redirect_uri, listener) = l.interruptible(loopback::redirect_and_listener(
        &provider,
        flag_uri.as_deref(),
        args.port,
    ))?;
    warn_scheme(ctx, &provider, &redirect_uri);

    let scopes = requested_scopes(&args.scopes);
    let request = authorize::build(
        &provider,
        &AuthorizeOptions {
            client_id: client.client_id.clone(),
            redirect_uri: redirect_uri.clone(),
            scopes: scopes.clone(),
            extra: args.params.clone(),
        },
    )?;
    if let Some(v) = &request.verifier {
        ctx.secret(v.expose());
    }
    let requested = scopes.unwrap_or_else(|| provider.scopes());
    // Remembered (hashed state, challenge, redirect URI) so that a failed exchange can
    // be explained, now or later by `oauthctl exchange`.
    let journal = Journal::open_default().ok();
    let client_id_sent = request
        .params
        .iter()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| client.client_id.clone());
    let flow = Flow::new(
        &provider.name,
        &client_id_sent,
        &request.state,
        &request.redirect_uri,
        request.challenge.as_deref(),
        "login",
    );
    note(ctx, journal.as_ref(), |j| j.record_flow(flow.clone()));

    // --trace shows the login as numbered, timed steps.
    let mut steps = Steps::new(ctx.global.trace, 5);
    if args.no_preflight {
        steps.begin("preflight", "skipped (--no-preflight)");
        steps.end("skipped");
    } else {
        steps.begin(
            "preflight",
            "GET the authorization URL from here, redirects not followed",
        );
        let http = ctx.http()?;
        let checked =
            l.interruptible(async { Ok(preflight::run(http, &provider, &request).await) })?;
        match checked {
            Ok(p) if p.verdict == Verdict::Rejected => {
                steps.end("refused");
                return Err(preflight_error(ctx, &provider, &p));
            }
            Ok(p) => {
                if p.verdict == Verdict::Unclear {
                    ctx.ui.warn(&format!(
                        "{} (the login goes on; --no-preflight skips this check)",
                        ctx.redact(&p.summary)
                    ));
                }
                steps.end(&ctx.redact(&p.summary));
            }
            Err(e) if matches!(e.kind, ErrorKind::Network | ErrorKind::Timeout) => {
                ctx.ui.warn(&format!(
                    "cannot check the authorization URL from here ({}); the browser may still reach it",
                    ctx.redact(&e.message)
                ));
                steps.end("unreachable from here");
            }
            Err(e) => return Err(e),
        }
    }

    // The URL always goes to stderr, then the browser (if any) is started. When none
    // can be, the redirected URL may be pasted.
    let headless = matches!(choice, browser::Choice::Nothing { .. });
    let paste = args.no_browser || listener.is_none() || (headless && !demo_drives);
    steps.begin(
        "authorization request",
        "the browser opens the authorization URL",
    );
    eprintln!(
        "Open this URL in a browser to log in to {}:\n\n  {}\n",
        provider.display_name(),
        request.url
    );
    if demo_drives {
        // No browser here: the demo approves on the user's behalf, as a browser would.
        ctx.ui.info(
            "No browser here: the demo follows the URL itself (the emulator approves at once).",
        );
        let http = ctx.http()?.clone();
        let url = request.url.to_string();
        l.rt.spawn(async move { drive_demo(&http, url).await });
    }
    match browser::launch(&choice, request.url.as_str()) {
        Ok(what) => ctx.ui.detail(&format!("started {what}")),
        Err(_) if args.no_browser || demo_drives => {}
        Err(reason) if headless => ctx.ui.info(&format!(
            "Not starting a browser: {reason}. Open the URL on any machine."
        )),
        Err(e) => ctx.ui.warn(&format!("{e}; open the URL above yourself")),
    }
    if paste {
        ctx.ui.info(if listener.is_some() {
            "Paste the URL you are redirected to (or the code) and press Enter, or finish in a browser on this machine."
        } else {
            "After approving, paste the URL you are redirected to (or just the code) and press Enter."
        });
    }
    steps.end(&format!(
        "{} (response_type=code, state, {})",
        match (&choice, paste) {
            _ if demo_drives => "URL followed by the demo itself".to_string(),
            (browser::Choice::Nothing { .. }, _) => "URL shown for a browser elsewhere".to_string(),
            (_, true) if args.no_browser => "URL shown; paste mode".to_string(),
            _ => "URL handed to the browser".to_string(),
        },
        if request.challenge.is_some() {
            "PKCE S256"
        } else {
            "no PKCE"
        }
    ));
    steps.begin(
        "callback",
        &format!(
            "waiting for the redirect to {}{}",
            request.redirect_uri,
            if paste { " (or a pasted URL)" } else { "" }
        ),
    );

    // Wait for the redirect, the pasted URL, the timeout or Ctrl-C.
    let listen_uri = redirect_uri.clone();
    let received = l.rt.block_on(async {
        let events = listener.map(|lis| {
            let path = url::Url::parse(&listen_uri)
                .map(|u| u.path().to_string())
                .unwrap_or_else(|_| "/".into());
            lis.serve(&path, &request.state)
        });
        let pasted = paste.then(read_stdin_lines);
        wait(
            ctx,
            &provider,
            &request,
            events,
            pasted,
            args.login_timeout,
            &mut l.intr,
        )
        .await
    })?;
    let callback_at = Instant::now();
    let Received {
        code,
        iss,
        responder,
    } = received;
    ctx.secret(code.expose());
    note(ctx, journal.as_ref(), |j| {
        j.record_code(&request.state, code.expose())
    });
    steps.end(&format!(
        "code received{}",
        if responder.is_some() {
            " by the loopback listener"
        } else {
            " (pasted)"
        }
    ));
    // RFC 9207: a server that names itself must be the one this login talks to.
    if let (Some(iss), Some(expected)) = (&iss, &provider.spec.issuer) {
        if iss.trim_end_matches('/') != expected.trim_end_matches('/') {
            let e = Error::server(format!(
                "the redirect says it comes from issuer `{iss}`, but this login talks to `{expected}`; the code is not used"
            ))
            .with_hint("another authorization server answered (a mix-up attack, RFC 9207, or a wrong `issuer` in the config): check the provider settings and log in again");
            return fail(ctx, l.rt, responder, e);
        }
    }

    // Exchange the code, find out who logged in.
    let mut params = vec![
        ("grant_type".to_string(), "authorization_code".to_string()),
        ("code".to_string(), code.expose().to_string()),
        ("redirect_uri".to_string(), request.redirect_uri.clone()),
    ];
    if let Some(v) = &request.verifier {
        params.push(("code_verifier".into(), v.expose().to_string()));
    }
    for (k, v) in &args.token_params {
        ctx.secret_param(k, v);
        match params.iter_mut().find(|(pk, _)| pk == k) {
            Some(slot) => slot.1 = v.clone(),
            None => params.push((k.clone(), v.clone())),
        }
    }
    steps.begin(
        "token request",
        &format!(
            "POST {token_endpoint} (grant_type=authorization_code, client authentication {})",
            provider.auth_method()
        ),
    );
    let earlier = journal
        .as_ref()
        .map(|j| j.exchanges_of(code.expose()))
        .unwrap_or_default();
    let exchanged = l.interruptible(async {
        let req =
            crate::oauth::client_auth::build_request(&provider, &token_endpoint, &params, &client)?;
        let resp = ctx.http()?.send(req).await?;
        Ok(resp)
    });
    let resp = match exchanged {
        Ok(r) => r,
        Err(e) => {
            steps.end("failed");
            return fail(ctx, l.rt, responder, e);
        }
    };
    steps.end(&format!(
        "{} {}",
        resp.status,
        reqwest::StatusCode::from_u16(resp.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
    ));
    steps.begin("response", "reading the token response");
    let now = store::unix_now();
    let outcome = token::parse_response(&provider, &resp, now, &requested);
    let exchange = journal::Exchange {
        code_hash: journal::hash(code.expose()),
        at: now,
        by: "login".into(),
        redirect_uri: params
            .iter()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| v.clone()),
        outcome: match &outcome {
            Ok(_) => "ok".into(),
            Err(e) => e.error.clone(),
        },
    };
    note(ctx, journal.as_ref(), |j| {
        j.record_exchange(Some(&request.state), code.expose(), exchange, None)
    });
    let tokens = match outcome {
        Ok(t) => t,
        Err(oauth) => {
            let mut known = flow.clone();
            known.code_received_at = Some(now.saturating_sub(callback_at.elapsed().as_secs()));
            let ev = diagnose::evidence(
                Some(&known),
                &earlier,
                &params,
                provider.auth_method(),
                crate::clock::response_skew(&resp),
                "login",
                now,
            );
            let d = diagnose::diagnose(&provider, &(&oauth).into(), &ev);
            steps.end(&format!("refused: {}", ctx.redact(&oauth.to_string())));
            let e = diagnose::to_error(&provider, &oauth, "the token request", &d);
            let e = Error {
                message: ctx.redact(&e.message),
                hint: e.hint.map(|h| ctx.redact(&h)),
                ..e
            };
            return fail(ctx, l.rt, responder, e);
        }
    };
    register_tokens(ctx, &tokens);
    let exchanged = l
        .interruptible(async {
            let subject = subject(ctx, &provider, &tokens, &client).await;
            Ok::<_, Error>(subject)
        })
        .map(|subject| (tokens, subject));
    let (tokens, subject) = match exchanged {
        Ok(x) => x,
        Err(e) => return fail(ctx, l.rt, responder, e),
    };
    let session = l.session(tokens, subject, Grant::AuthorizationCode);

    // Store it (synchronously, outside the async runtime).
    let saved = match l.save(&session) {
        Ok(s) => s,
        Err(e) => return fail(ctx, l.rt, responder, e),
    };
    if let Some(r) = responder {
        let who = session
            .subject
            .as_deref()
            .map(|s| format!(" as {s}"))
            .unwrap_or_default();
        l.rt.block_on(r.respond(
            Page {
                ok: true,
                title: format!("Logged in to {}", provider.display_name()),
                message: format!(
                    "oauthctl is logged in{who}. You can close this tab and return to the terminal."
                ),
            },
            PAGE_WRITE_WAIT,
        ));
    }
    ctx.ui.detail(&format!(
        "{} ms from the redirect to the stored session",
        callback_at.elapsed().as_millis()
    ));
    steps.end(&format!(
        "{}; session stored ({})",
        token_summary(&session.tokens, store::unix_now()),
        saved.backend.as_str()
    ));
    report(
        ctx,
        &provider,
        &session,
        saved.backend,
        saved.path.as_deref(),
    )
}

/// Records in the flow journal; a journal that cannot be written only costs the
/// diagnosis its evidence, so it is no reason to stop a login.
fn note(ctx: &Context, journal: Option<&Journal>, f: impl FnOnce(&Journal) -> Result<()>) {
    match journal.map(f) {
        Some(Err(e)) => ctx
            .ui
            .detail(&format!("could not record the flow journal: {}", e.message)),
        Some(Ok(())) => {}
        None => ctx
            .ui
            .detail("no state directory: the flow is not recorded for `oauthctl exchange`"),
    }
}

/// The preflight's refusal, with the server's words and the fixes.
fn preflight_error(ctx: &Context, provider: &Provider, p: &Preflight) -> Error {
    let how = match (&p.location, &p.error) {
        (Some(_), Some(e)) => format!("redirected with error={e}"),
        _ => p.status.to_string(),
    };
    let words = p
        .description
        .clone()
        .or_else(|| p.error.clone())
        .unwrap_or_else(|| p.summary.clone());
    let mut hint = p.fixes.join("\n        ");
    hint.push_str("\n        (the browser was not opened; --no-preflight skips this check)");
    Error::server(ctx.redact(&format!(
        "{} refused the authorization request ({how}): {words}",
        provider.display_name()
    )))
    .with_hint(ctx.redact(&hint))
}

/// `access token (expires in 1 h), refresh token, id token; scopes a b`.
fn token_summary(t: &TokenSet, now: u64) -> String {
    let mut parts = vec![match expires_in_words(t.expires_at, now) {
        Some(w) => format!("access token (expires {w})"),
        None => "access token (no expiry given)".to_string(),
    }];
    if t.refresh_token.is_some() {
        parts.push("refresh token".into());
    }
    if t.id_token.is_some() {
        parts.push("id token".into());
    }
    let scopes = if t.scopes.is_empty() {
        "no scopes".to_string()
    } else {
        format!("scopes {}", t.scopes.join(" "))
    };
    format!("{}; {scopes}", parts.join(", "))
}

/// Shows the failure in the browser too, then returns the error.
fn fail(
    ctx: &Context,
    rt: &tokio::runtime::Runtime,
    responder: Option<Responder>,
    e: Error,
) -> Result<()> {
    if let Some(r) = responder {
        rt.block_on(r.respond(
            Page {
                ok: false,
                title: "Login failed".into(),
                message: format!(
                    "{}. See the terminal for what to do.",
                    ctx.redact(&e.message)
                ),
            },
            PAGE_WRITE_WAIT,
        ));
    }
    Err(e)
}

pub(super) fn requested_scopes(flags: &[String]) -> Option<Vec<String>> {
    if flags.is_empty() {
        return None;
    }
    Some(
        flags
            .iter()
            .flat_map(|s| s.split(' '))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

fn warn_scheme(ctx: &Context, provider: &Provider, redirect_uri: &str) {
    if let (Some(schemes), Ok(u)) = (
        &provider.spec.redirect_uri_schemes,
        url::Url::parse(redirect_uri),
    ) {
        if !schemes.iter().any(|s| s == u.scheme()) {
            ctx.ui.warn(&format!(
                "{} accepts only {} redirect URIs; `{redirect_uri}` will be refused",
                provider.display_name(),
                schemes.join("/")
            ));
        }
    }
}

/// Ctrl-C, handled from the moment this is created: the URL is never on screen while
/// Ctrl-C would kill the process without a word.
pub(super) struct Interrupt {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupt {
    fn new(rt: &tokio::runtime::Runtime) -> Result<Interrupt> {
        #[cfg(unix)]
        {
            let _guard = rt.enter();
            let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .map_err(|e| Error::internal(format!("cannot handle Ctrl-C: {e}")))?;
            Ok(Interrupt { signal })
        }
        #[cfg(not(unix))]
        {
            let _ = rt;
            Ok(Interrupt {})
        }
    }

    pub(super) async fn recv(&mut self) {
        #[cfg(unix)]
        {
            self.signal.recv().await;
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

pub(super) fn interrupted() -> Error {
    Error::new(
        ErrorKind::Interrupted,
        "login cancelled (Ctrl-C); nothing was stored",
    )
}

/// Runs `fut` on the runtime; Ctrl-C ends it with exit code 130.
fn interruptible<T>(
    rt: &tokio::runtime::Runtime,
    intr: &mut Interrupt,
    fut: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    rt.block_on(async {
        tokio::select! {
            r = fut => r,
            _ = intr.recv() => Err(interrupted()),
        }
    })
}

struct Received {
    code: Secret,
    iss: Option<String>,
    responder: Option<Responder>,
}

/// Reads stdin lines on a thread of its own (never joined: the process may exit while
/// it waits for input).
fn read_stdin_lines() -> mpsc::UnboundedReceiver<String> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            match line {
                Ok(l) => {
                    if tx.send(l).is_err() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    });
    rx
}

async fn recv<T>(rx: &mut Option<mpsc::UnboundedReceiver<T>>) -> Option<T> {
    match rx {
        Some(r) => r.recv().await,
        None => std::future::pending().await,
    }
}

async fn wait(
    ctx: &Context,
    provider: &Provider,
    request: &AuthorizeRequest,
    mut events: Option<mpsc::UnboundedReceiver<Event>>,
    mut pasted: Option<mpsc::UnboundedReceiver<String>>,
    timeout: Duration,
    intr: &mut Interrupt,
) -> Result<Received> {
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let started = Instant::now();
    let mut spinner = output::Spinner::new(&ctx.ui);
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    if !spinner.on {
        ctx.ui.detail(&format!(
            "waiting for the redirect (at most {})",
            humantime::format_duration(timeout)
        ));
    }
    let result = loop {
        tokio::select! {
            ev = recv(&mut events) => match ev {
                Some(Event::Code { code, iss, responder }) => {
                    break Ok(Received { code, iss, responder: Some(responder) })
                }
                Some(Event::Denied { error, description, uri, responder }) => {
                    let e = diagnose::redirect_refusal(provider, error, description, uri);
                    responder.respond(Page {
                        ok: false,
                        title: "Login refused".into(),
                        message: format!("{}. See the terminal for what to do.", ctx.redact(&e.message)),
                    }, PAGE_WRITE_WAIT).await;
                    break Err(e);
                }
                Some(Event::Ignored { peer, reason }) => {
                    spinner.clear();
                    ctx.ui.warn(&format!("ignored a request from {peer}: {reason}; still waiting for this login's redirect"));
                }
                None => events = None,
            },
            line = recv(&mut pasted) => match line {
                Some(line) => match parse_pasted(&line, &request.state) {
                    Pasted::Code { code, iss } => break Ok(Received { code: Secret::new(code), iss, responder: None }),
                    Pasted::Denied { error, description, uri } => break Err(diagnose::redirect_refusal(provider, error, description, uri)),
                    Pasted::Ignore(reason) => {
                        if !reason.is_empty() {
                            spinner.clear();
                            ctx.ui.warn(&format!("{reason}; still waiting"));
                        }
                    }
                },
                None => {
                    pasted = None;
                    if events.is_none() {
                        break Err(Error::input("stdin was closed before a redirected URL or code was pasted")
                            .with_hint("paste the URL your browser was redirected to (after approving) and press Enter"));
                    }
                }
            },
            _ = &mut deadline => {
                break Err(Error::timeout(format!(
                    "no redirect arrived within {} (--login-timeout)",
                    humantime::format_duration(timeout)
                ))
                .with_hint("finish the login in the browser sooner, or raise --login-timeout (e.g. --login-timeout 10m); if the browser showed an error page, the provider refused the request: see it with --trace"));
            }
            _ = intr.recv() => break Err(interrupted()),
            _ = ticker.tick() => {
                let (s, t) = (started.elapsed().as_secs(), timeout.as_secs());
                spinner.tick(&format!(
                    "Waiting for the redirect… {}:{:02} (times out after {}:{:02}, Ctrl-C to cancel)",
                    s / 60, s % 60, t / 60, t % 60
                ));
            }
        }
    };
    spinner.clear();
    result
}

pub(super) fn register_tokens(ctx: &Context, t: &TokenSet) {
    ctx.secret(t.access_token.expose());
    for s in [&t.refresh_token, &t.id_token].into_iter().flatten() {
        ctx.secret(s.expose());
    }
    for s in t.secret_extra.values() {
        ctx.secret(s.expose());
    }
}

/// Who logged in (best effort: a failure only shows with --verbose).
pub(super) async fn subject(
    ctx: &Context,
    provider: &Provider,
    tokens: &TokenSet,
    client: &ClientCredentials,
) -> Option<String> {
    let http = ctx.http().ok()?;
    match userinfo::who(http, provider, tokens, client, USERINFO_WAIT).await {
        Ok(s) => s,
        Err(e) => {
            ctx.ui
                .detail(&format!("could not find out who logged in: {}", e.message));
            None
        }
    }
}

/// `in 59 min`, `2 h ago`, or `None`.
pub fn expires_in_words(expires_at: Option<u64>, now: u64) -> Option<String> {
    let at = expires_at?;
    Some(if at >= now {
        format!(
            "in {}",
            crate::duration::human(Duration::from_secs(at - now))
        )
    } else {
        format!(
            "{} ago",
            crate::duration::human(Duration::from_secs(now - at))
        )
    })
}

pub(super) fn report(
    ctx: &Context,
    provider: &Provider,
    s: &Session,
    backend: Backend,
    path: Option<&std::path::Path>,
) -> Result<()> {
    let now = store::unix_now();
    if ctx.global.json {
        output::json(&json!({
            "provider": s.provider,
            "profile": s.profile,
            "subject": s.subject,
            "scopes": s.tokens.scopes,
            "token_type": s.tokens.token_type,
            "expires_at": s.tokens.expires_at,
            "expires_in": s.tokens.expires_at.map(|e| e as i64 - now as i64),
            "refreshable": s.refreshable(),
            "store": backend.as_str(),
            "file": path.map(|p| p.display().to_string()),
            "obtained_at": s.obtained_at,
            "client_id": s.client_id,
            "issuer": s.issuer,
            "extra": s.tokens.extra,
            "grant": s.grant.name(),
            "client_auth": provider.auth_method(),
        }))?;
    }
    let who = match (&s.subject, &s.grant) {
        (Some(x), Grant::ClientCredentials { .. }) => format!(" as client {x}"),
        (Some(x), _) => format!(" as {x}"),
        (None, _) => String::new(),
    };
    // `(device authorization, profile work)`, `(profile work)`, or nothing.
    let mut notes: Vec<String> = Vec::new();
    if s.grant != Grant::AuthorizationCode {
        notes.push(s.grant.describe().to_string());
    }
    if s.profile != store::DEFAULT_PROFILE {
        notes.push(format!("profile {}", s.profile));
    }
    let how = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    let scopes = if s.tokens.scopes.is_empty() {
        "no scopes".to_string()
    } else {
        format!("scopes {}", s.tokens.scopes.join(" "))
    };
    let expiry = match expires_in_words(s.tokens.expires_at, now) {
        Some(w) => format!("expires {w}"),
        None => "no expiry given".into(),
    };
    let refresh = if s.refreshable() {
        ", refreshable"
    } else if crate::oauth::refresh::renews_by_asking_again(s) {
        ", renewed by asking again"
    } else {
        ""
    };
    let store = match backend {
        Backend::Keyring => "in the OS keyring".to_string(),
        Backend::File => "in a file".to_string(),
    };
    ctx.ui.info(&format!(
        "Logged in to {}{who}{how}: {scopes}, {expiry}{refresh}; stored {store}.",
        provider.display_name()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_words() {
        assert_eq!(
            expires_in_words(Some(3700), 100).as_deref(),
            Some("in 60 min")
        );
        assert_eq!(
            expires_in_words(Some(100), 200).as_deref(),
            Some("100 s ago")
        );
        assert_eq!(expires_in_words(None, 1), None);
    }
}
