//! The authorization-code flow (RFC 6749 §4.1 with PKCE, RFC 8252 for native apps) as
//! library steps: [`prepare`] the request and its loopback listener, [`wait`] for the
//! redirect (or a pasted URL) with state checked, [`check_issuer`] (RFC 9207), then
//! [`exchange`] the code with the one token request. Nothing here prints: the wait
//! reports [`WaitEvent`]s, and the browser's final page is the caller's to send.

use std::io::BufRead;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::flow::interrupt::{interrupted, Interrupt};
use crate::flow::par::{self, Pushed};
use crate::flow::token::{CodeContext, GrantParams, IdTokenRules, TokenCall};
use crate::http::Http;
use crate::jwt::id_token::Keys;
use crate::jwt::jarm::{self, Opened};
use crate::oauth::authorize::{self, AuthorizeOptions, AuthorizeRequest};
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::loopback::{self, parse_pasted, Event, Listener, Page, Pasted, Responder};
use crate::oauth::request_object;
use crate::provider::Provider;
use crate::secret::Secret;
use crate::support::diagnose;
use crate::support::journal::Flow;

/// How long the browser's final page may take to be written.
pub const PAGE_WRITE_WAIT: Duration = Duration::from_secs(2);

/// What the user asked of the authorization request.
#[derive(Debug, Clone, Default)]
pub struct CodeOptions {
    /// `--redirect-uri` (or a `redirect_uri` given with `--param`).
    pub redirect_uri: Option<String>,
    pub port: Option<u16>,
    /// `--scope`; `None`: the provider's scopes.
    pub scopes: Option<Vec<String>>,
    /// `--param`: extra or replaced authorization request parameters.
    pub params: Vec<(String, String)>,
    /// `--par`: push the request (RFC 9126); also when the provider requires it.
    pub par: bool,
    /// `--jar`: send the request as a signed request object (RFC 9101); also when the
    /// provider requires it.
    pub jar: bool,
}

/// An authorization request ready to hand to a browser.
pub struct Prepared {
    pub request: AuthorizeRequest,
    /// The loopback listener, when the redirect URI is a loopback one.
    pub listener: Option<Listener>,
    /// The request as the flow journal remembers it (hashes only).
    pub flow: Flow,
    /// The scopes asked for.
    pub requested: Vec<String>,
    /// The server's answer when the request was pushed (RFC 9126): the URL then
    /// carries only `client_id` and `request_uri`.
    pub pushed: Option<Pushed>,
}

/// Builds the authorization request (state, PKCE S256 unless the provider does not
/// support it) and binds its loopback listener; pushes it when asked or required
/// (RFC 9126). The verifier is registered as a secret.
pub async fn prepare(
    http: &Http,
    provider: &Provider,
    client: &ClientCredentials,
    opts: &CodeOptions,
) -> Result<Prepared> {
    let (redirect_uri, listener) =
        loopback::redirect_and_listener(provider, opts.redirect_uri.as_deref(), opts.port).await?;
    let mut request = authorize::build(
        provider,
        &AuthorizeOptions {
            client_id: client.client_id.clone(),
            redirect_uri,
            scopes: opts.scopes.clone(),
            extra: opts.params.clone(),
        },
    )?;
    if let Some(v) = &request.verifier {
        if let Ok(mut r) = http.redactor().lock() {
            r.add_value(v.expose());
        }
    }
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
    )
    .with_nonce(request.nonce.as_deref());
    let requested = opts.scopes.clone().unwrap_or_else(|| provider.scopes());
    if request_object::wanted(provider, opts.jar) {
        request_object::apply(provider, client, &mut request, crate::clock::unix_now())?;
    }
    let pushed = if par::wanted(provider, opts.par) {
        Some(par::push(http, provider, client, &mut request).await?)
    } else {
        None
    };
    Ok(Prepared {
        request,
        listener,
        flow,
        requested,
        pushed,
    })
}

/// The code the redirect brought.
pub struct Received {
    pub code: Secret,
    /// The `iss` parameter (RFC 9207), when the server sent one.
    pub iss: Option<String>,
    /// Answers the browser's redirect (none for a pasted URL).
    pub responder: Option<Responder>,
    pub at: Instant,
    /// The JWT-secured response (JARM) it came in, verified: its algorithm and key,
    /// and the response decoded for `--trace` (code and signature redacted).
    pub jarm: Option<JarmSeen>,
}

/// A verified JARM response, as `--trace` shows it.
#[derive(Debug, Clone)]
pub struct JarmSeen {
    pub alg: String,
    pub kid: Option<String>,
    pub decoded: String,
}

/// What happens while waiting for the redirect.
#[derive(Debug)]
pub enum WaitEvent<'a> {
    /// Every 100 ms.
    Tick {
        elapsed: Duration,
        timeout: Duration,
    },
    /// The listener turned a request away (another state, a stray request).
    Ignored {
        peer: std::net::SocketAddr,
        reason: &'a str,
    },
    /// A pasted line was not a usable redirect.
    PasteIgnored { reason: &'a str },
}

impl std::fmt::Display for WaitEvent<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitEvent::Tick { elapsed, timeout } => {
                let (s, t) = (elapsed.as_secs(), timeout.as_secs());
                write!(
                    f,
                    "Waiting for the redirect… {}:{:02} (times out after {}:{:02}, Ctrl-C to cancel)",
                    s / 60,
                    s % 60,
                    t / 60,
                    t % 60
                )
            }
            WaitEvent::Ignored { peer, reason } => write!(
                f,
                "ignored a request from {peer}: {reason}; still waiting for this login's redirect"
            ),
            WaitEvent::PasteIgnored { reason } => write!(f, "{reason}; still waiting"),
        }
    }
}

/// Reads stdin lines on a thread of its own (never joined: the process may exit while
/// it waits for input).
fn read_stdin_lines() -> mpsc::UnboundedReceiver<String> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(l) = line else { break };
            if tx.send(l).is_err() {
                break;
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

fn timed_out(timeout: Duration) -> Error {
    Error::timeout(format!(
        "no redirect arrived within {} (--login-timeout)",
        humantime::format_duration(timeout)
    ))
    .with_hint("finish the login in the browser sooner, or raise --login-timeout (e.g. --login-timeout 10m); if the browser showed an error page, the provider refused the request: see it with --trace")
}

/// Where the code may come from while waiting.
pub struct Sources {
    /// The loopback listener (taken from [`Prepared::listener`]).
    pub listener: Option<Listener>,
    /// Whether a redirected URL (or the code) may be pasted on stdin.
    pub paste: bool,
    pub timeout: Duration,
    /// How a JWT-secured response (JARM) is checked.
    pub jarm: JarmRules,
}

/// What checks a JWT-secured response (JARM) besides the issuer's keys.
#[derive(Debug, Clone, Default)]
pub struct JarmRules {
    /// The client secret (an HS* response is signed with it, when advertised).
    pub client_secret: Option<Secret>,
    /// Seconds of clock skew allowed on `exp`.
    pub leeway: i64,
}

/// Verifies a JARM response (RFC: JWT Secured Authorization Response Mode) before
/// anything in it is used: signature, `iss`, `aud`, `exp`, `state`.
async fn open_jarm(
    http: &Http,
    provider: &Provider,
    request: &AuthorizeRequest,
    rules: &JarmRules,
    response: &str,
) -> Result<(Opened, JarmSeen)> {
    let spec = &provider.spec;
    let issuer = spec.issuer.as_deref().ok_or_else(|| {
        Error::input(format!(
            "{} sent a JWT-secured authorization response, and provider `{}` has no issuer to check it against",
            provider.display_name(),
            provider.name
        ))
        .with_hint(format!(
            "set `issuer` in the [providers.{}] table of the config file, or log in with --response-mode query",
            provider.name
        ))
    })?;
    let client_id = request
        .params
        .iter()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let algs = spec
        .authorization_signing_alg_values_supported
        .clone()
        .unwrap_or_default();
    let expected = jarm::Expected {
        issuer,
        client_id,
        algs: &algs,
        state: &request.state,
        now: i64::try_from(crate::clock::unix_now()).unwrap_or(i64::MAX / 2),
        leeway: rules.leeway,
    };
    let keys = Keys {
        jwks_uri: spec.jwks_uri.as_deref(),
        client_secret: rules.client_secret.as_ref().map(|s| s.expose()),
    };
    let v = jarm::verify(http, response, keys, &expected).await?;
    let seen = JarmSeen {
        alg: v.alg,
        kid: v.kid,
        decoded: v.shown,
    };
    Ok((v.opened, seen))
}

/// A plain code where a JWT-secured response was asked for: not used (a downgrade).
fn plain_code_refused(request: &AuthorizeRequest) -> Error {
    Error::server(format!(
        "the authorization request asked for response_mode={}, but the redirect carried a plain code instead of a JWT-secured response (JARM); the code is not used",
        request.response_mode().unwrap_or("jwt")
    ))
    .with_hint("the server ignored the response mode (or something else answered): check that it supports JARM (response_modes_supported in `oauthctl doctor`), or log in with --response-mode query")
}

/// The verified JARM response as what the redirect brought, or the server's refusal.
async fn received_jarm(
    http: &Http,
    provider: &Provider,
    request: &AuthorizeRequest,
    rules: &JarmRules,
    response: &str,
    responder: Option<Responder>,
) -> Result<Received> {
    let opened = open_jarm(http, provider, request, rules, response).await;
    let e = match opened {
        Ok((Opened::Code { code, iss }, seen)) => {
            return Ok(Received {
                code: Secret::new(code),
                iss: Some(iss),
                responder,
                at: Instant::now(),
                jarm: Some(seen),
            })
        }
        Ok((
            Opened::Denied {
                error,
                description,
                uri,
            },
            _,
        )) => {
            let e = diagnose::redirect_refusal(provider, error, description, uri);
            respond_failure(http, responder, "Login refused", &e).await;
            return Err(e);
        }
        Err(e) => e,
    };
    respond_failure(http, responder, "Login failed", &e).await;
    Err(e)
}

/// Waits for the redirect with this request's state, a pasted URL, the timeout or
/// Ctrl-C. A refusal redirected by the server is answered in the browser and returned
/// as an error that explains it.
pub async fn wait(
    http: &Http,
    provider: &Provider,
    request: &AuthorizeRequest,
    sources: Sources,
    intr: &mut Interrupt,
    on_event: &mut dyn FnMut(WaitEvent<'_>),
) -> Result<Received> {
    let path = url::Url::parse(&request.redirect_uri)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "/".into());
    let mut events = sources.listener.map(|l| l.serve(&path, &request.state));
    let rules = sources.jarm;
    let mut pasted = sources.paste.then(read_stdin_lines);
    let timeout = sources.timeout;
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let started = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    let received = |code, iss, responder: Option<Responder>| {
        if request.expects_jarm() {
            return Err((plain_code_refused(request), responder));
        }
        Ok(Received {
            code,
            iss,
            responder,
            at: Instant::now(),
            jarm: None,
        })
    };
    let plain = |r: std::result::Result<Received, (Error, Option<Responder>)>| async move {
        match r {
            Ok(r) => Ok(r),
            Err((e, responder)) => {
                respond_failure(http, responder, "Login failed", &e).await;
                Err(e)
            }
        }
    };
    loop {
        tokio::select! {
            ev = recv(&mut events) => match ev {
                Some(Event::Code { code, iss, responder }) => return plain(received(code, iss, Some(responder))).await,
                Some(Event::Jarm { response, responder }) => {
                    return received_jarm(http, provider, request, &rules, response.expose(), Some(responder)).await
                }
                Some(Event::Denied { error, description, uri, responder }) => {
                    let e = diagnose::redirect_refusal(provider, error, description, uri);
                    respond_failure(http, Some(responder), "Login refused", &e).await;
                    return Err(e);
                }
                Some(Event::Ignored { peer, reason }) => on_event(WaitEvent::Ignored { peer, reason: &reason }),
                None => events = None,
            },
            line = recv(&mut pasted) => match line {
                Some(line) => match parse_pasted(&line, &request.state) {
                    Pasted::Code { code, iss } => return plain(received(Secret::new(code), iss, None)).await,
                    Pasted::Jarm { response } => return received_jarm(http, provider, request, &rules, &response, None).await,
                    Pasted::Denied { error, description, uri } => return Err(diagnose::redirect_refusal(provider, error, description, uri)),
                    Pasted::Ignore(reason) if reason.is_empty() => {}
                    Pasted::Ignore(reason) => on_event(WaitEvent::PasteIgnored { reason: &reason }),
                },
                None => {
                    pasted = None;
                    if events.is_none() {
                        return Err(Error::input("stdin was closed before a redirected URL or code was pasted")
                            .with_hint("paste the URL your browser was redirected to (after approving) and press Enter"));
                    }
                }
            },
            _ = &mut deadline => return Err(timed_out(timeout)),
            _ = intr.recv() => return Err(interrupted()),
            _ = ticker.tick() => on_event(WaitEvent::Tick { elapsed: started.elapsed(), timeout }),
        }
    }
}

/// RFC 9207: a server that names itself in the redirect must be the one this login
/// talks to; otherwise the code is not used.
pub fn check_issuer(provider: &Provider, iss: Option<&str>) -> Result<()> {
    let (Some(iss), Some(expected)) = (iss, &provider.spec.issuer) else {
        return Ok(());
    };
    if iss.trim_end_matches('/') == expected.trim_end_matches('/') {
        return Ok(());
    }
    Err(Error::server(format!(
        "the redirect says it comes from issuer `{iss}`, but this login talks to `{expected}`; the code is not used"
    ))
    .with_hint("another authorization server answered (a mix-up attack, RFC 9207, or a wrong `issuer` in the config): check the provider settings and log in again"))
}

/// The token request that exchanges `code` (with the request's redirect URI and PKCE
/// verifier); `overrides` are `--token-param`s. The refusal's diagnosis knows the flow.
/// The ID token must carry the request's nonce.
#[allow(clippy::too_many_arguments)]
pub fn exchange<'a>(
    provider: &'a Provider,
    client: &'a ClientCredentials,
    endpoint: String,
    prepared: &Prepared,
    code: &str,
    overrides: &[(String, String)],
    known: CodeContext<'a>,
    rules: IdTokenRules,
) -> TokenCall<'a> {
    let request = &prepared.request;
    let grant = GrantParams::AuthorizationCode {
        code,
        redirect_uri: Some(&request.redirect_uri),
        verifier: request.verifier.as_ref().map(|v| v.expose()),
    };
    TokenCall::new(provider, client, endpoint, &grant, overrides, "login")
        .requested(&prepared.requested)
        .code(known)
        .id_token_rules(IdTokenRules {
            nonce: request.nonce.clone(),
            ..rules
        })
}

/// Tells the browser the login succeeded.
pub async fn respond_success(responder: Option<Responder>, provider: &str, who: Option<&str>) {
    let Some(r) = responder else {
        return;
    };
    let who = who.map(|s| format!(" as {s}")).unwrap_or_default();
    let page = Page {
        ok: true,
        title: format!("Logged in to {provider}"),
        message: format!(
            "oauthctl is logged in{who}. You can close this tab and return to the terminal."
        ),
    };
    r.respond(page, PAGE_WRITE_WAIT).await;
}

/// Shows a failed login in the browser too (its message redacted).
pub async fn respond_failure(http: &Http, responder: Option<Responder>, title: &str, e: &Error) {
    let Some(r) = responder else {
        return;
    };
    let message = match http.redactor().lock() {
        Ok(red) => red.text(&e.message),
        Err(p) => p.into_inner().text(&e.message),
    };
    r.respond(
        Page {
            ok: false,
            title: title.into(),
            message: format!("{message}. See the terminal for what to do."),
        },
        PAGE_WRITE_WAIT,
    )
    .await;
}
