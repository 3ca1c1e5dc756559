//! The loopback redirect listener (RFC 8252 §7.3): a tiny HTTP server on 127.0.0.1
//! (and [::1] when the redirect host is `localhost`) that waits for the one redirect
//! carrying this login's `state`.
//!
//! A request with a missing or wrong state gets a 400 page and is reported as an
//! `Event::Ignored`: a stray or forged request must not end a real login. Other paths
//! (the browser's favicon request) get 404. The matching redirect is handed to the
//! caller with a `Responder`, so the browser's page can say how the login ended.
//!
//! The redirect may come as a GET (the query) or, with `response_mode=form_post`, as a
//! POST of an `application/x-www-form-urlencoded` body (at most [`MAX_FORM_BODY`]
//! bytes), with the same checks. A JWT-secured response (JARM: one `response`
//! parameter) is routed by the `state` inside it, read unverified here; the caller
//! verifies the JWT before anything in it is used.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, Semaphore};

use crate::error::{Error, Result};
use crate::provider::Provider;
use crate::secret::Secret;

/// The page the browser gets at the end.
#[derive(Debug, Clone)]
pub struct Page {
    pub ok: bool,
    pub title: String,
    pub message: String,
}

/// Answers the browser's matching redirect once the caller knows how the login ended.
#[derive(Debug)]
pub struct Responder {
    page: oneshot::Sender<Page>,
    written: oneshot::Receiver<()>,
}

impl Responder {
    /// Sends the page and waits (at most `wait`) until it was written to the browser.
    pub async fn respond(self, page: Page, wait: Duration) {
        if self.page.send(page).is_ok() {
            let _ = tokio::time::timeout(wait, self.written).await;
        }
    }
}

/// What arrived at the listener.
#[derive(Debug)]
pub enum Event {
    /// The redirect with this login's state and a code.
    Code {
        code: Secret,
        /// The `iss` parameter (RFC 9207), when the server sends one.
        iss: Option<String>,
        responder: Responder,
    },
    /// The redirect with this login's state and an error (`access_denied`…).
    Denied {
        error: String,
        description: Option<String>,
        uri: Option<String>,
        responder: Responder,
    },
    /// A JWT-secured authorization response (JARM) whose `state`, read unverified, is
    /// this login's: the JWT, to verify before its code (or error) is used.
    Jarm {
        response: Secret,
        responder: Responder,
    },
    /// A request to the callback path that was refused; the login keeps waiting.
    Ignored { peer: SocketAddr, reason: String },
}

/// The largest form body a `form_post` redirect may carry.
pub const MAX_FORM_BODY: usize = 64 * 1024;

/// The addresses to listen on for a redirect URI, or `None` when it is not an http
/// loopback URI (an https URI registered with the provider: paste mode).
pub fn loopback_addrs(redirect: &url::Url) -> Option<Vec<IpAddr>> {
    if redirect.scheme() != "http" {
        return None;
    }
    match redirect.host()? {
        url::Host::Domain(d) if d.eq_ignore_ascii_case("localhost") => Some(vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]),
        url::Host::Ipv4(ip) if ip.is_loopback() => Some(vec![IpAddr::V4(ip)]),
        url::Host::Ipv6(ip) if ip.is_loopback() => Some(vec![IpAddr::V6(ip)]),
        _ => None,
    }
}

/// Bound sockets, not yet serving.
#[derive(Debug)]
pub struct Listener {
    listeners: Vec<TcpListener>,
    port: u16,
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => Error::input(format!(
            "port {} on {} is already in use, so the login cannot receive the redirect there",
            addr.port(),
            addr.ip()
        ))
        .with_hint(
            "another program (or another `oauthctl login`) is listening on it: stop it, or pass --port with a free port (one the provider accepts in the redirect URI)",
        ),
        std::io::ErrorKind::PermissionDenied => Error::input(format!(
            "not allowed to listen on port {} of {}",
            addr.port(),
            addr.ip()
        ))
        .with_hint("ports below 1024 need privileges: pass --port with a port above 1024"),
        _ => Error::network(format!("cannot listen on {addr}: {e}"))
            .with_hint("pass --port with another port"),
    }
}

fn is_unavailable(e: &std::io::Error) -> bool {
    // No IPv6 on this machine (or in this container): listening on 127.0.0.1 suffices.
    e.kind() == std::io::ErrorKind::AddrNotAvailable
        || e.raw_os_error() == Some(97) // EAFNOSUPPORT
        || e.kind() == std::io::ErrorKind::Unsupported
}

impl Listener {
    /// Listens on `ips` at `port`; port 0 picks a free port (the same on every address).
    pub async fn bind(ips: &[IpAddr], port: u16) -> Result<Listener> {
        let Some((first, rest)) = ips.split_first() else {
            return Err(Error::internal("no address to listen on"));
        };
        // With a random port, another address may already use it: try a few ports.
        let attempts = if port == 0 && !rest.is_empty() { 8 } else { 1 };
        let mut last_err = None;
        for _ in 0..attempts {
            let addr = SocketAddr::new(*first, port);
            let l = TcpListener::bind(addr)
                .await
                .map_err(|e| bind_error(addr, e))?;
            let bound = l
                .local_addr()
                .map_err(|e| {
                    Error::internal(format!("cannot read the loopback listener's port: {e}"))
                })?
                .port();
            let mut listeners = vec![l];
            let mut failed = None;
            for ip in rest {
                let addr = SocketAddr::new(*ip, bound);
                match TcpListener::bind(addr).await {
                    Ok(l) => listeners.push(l),
                    Err(e) if is_unavailable(&e) => {}
                    Err(e) => {
                        failed = Some(bind_error(addr, e));
                        break;
                    }
                }
            }
            match failed {
                None => {
                    return Ok(Listener {
                        listeners,
                        port: bound,
                    })
                }
                Some(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| Error::internal("cannot bind the loopback listener")))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect()
    }

    /// Starts serving on the current runtime: requests to `path` are checked against
    /// `state`; everything that happens comes out of the returned channel.
    pub fn serve(self, path: &str, state: &str) -> mpsc::UnboundedReceiver<Event> {
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            path: if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            },
            state: state.to_string(),
            consumed: AtomicBool::new(false),
            events: tx,
        });
        // One cap for all addresses: a connection holds a permit until it closes.
        let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        for l in self.listeners {
            let shared = shared.clone();
            let permits = permits.clone();
            tokio::spawn(accept_loop(l, shared, permits));
        }
        rx
    }
}

/// At most this many connections are served at once; the next ones wait in the kernel's
/// backlog (they hold no descriptor of ours) until one closes.
pub const MAX_CONNECTIONS: usize = 32;
/// A client must send its request line and headers within this time, or is dropped: a
/// stalled socket cannot hold a slot for ever.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// No connection lives longer than this, whatever it does (the page after a redirect is
/// written within the exchange's own timeouts, well before).
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);

/// Accepts connections while a permit is free. Accept errors (a descriptor limit reached,
/// a connection reset before it was accepted) back off from 10 ms to 1 s instead of
/// spinning.
async fn accept_loop(l: TcpListener, shared: Arc<Shared>, permits: Arc<Semaphore>) {
    let mut backoff = Duration::from_millis(10);
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let (stream, peer) = match l.accept().await {
            Ok(accepted) => {
                backoff = Duration::from_millis(10);
                accepted
            }
            Err(_) => {
                drop(permit);
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let _ =
                tokio::time::timeout(CONNECTION_LIFETIME, serve_one(stream, peer, shared)).await;
            drop(permit);
        });
    }
}

/// Serves one connection (HTTP/1.1, headers within [`HEADER_READ_TIMEOUT`]).
async fn serve_one(stream: tokio::net::TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let written: Arc<Mutex<Option<oneshot::Sender<()>>>> = Arc::default();
    let slot = written.clone();
    let svc = service_fn(move |req| {
        let shared = shared.clone();
        let slot = slot.clone();
        async move { Ok::<_, Infallible>(handle(req, peer, &shared, &slot).await) }
    });
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(stream), svc)
        .await;
    let done = written.lock().ok().and_then(|mut s| s.take());
    if let Some(done) = done {
        let _ = done.send(());
    }
}

/// The redirect URI: `--redirect-uri`, else the provider's (with `--port`), else
/// `http://127.0.0.1:PORT/callback` on `--port` or a free port. A loopback URI gets a
/// listener; any other (an https URI registered with the provider) means paste mode.
pub async fn redirect_and_listener(
    provider: &Provider,
    flag_uri: Option<&str>,
    port: Option<u16>,
) -> Result<(String, Option<Listener>)> {
    if flag_uri.is_none() && provider.spec.redirect_uri.is_none() {
        // Errors out for providers that accept only https redirect URIs.
        super::authorize::redirect_uri(provider, None, Some(port.unwrap_or(1)))?;
        let l = Listener::bind(&[IpAddr::V4(Ipv4Addr::LOCALHOST)], port.unwrap_or(0)).await?;
        let uri = format!("http://127.0.0.1:{}/callback", l.port());
        return Ok((uri, Some(l)));
    }
    let uri = super::authorize::redirect_uri(provider, flag_uri, port)?;
    let parsed = url::Url::parse(&uri)
        .map_err(|e| Error::input(format!("redirect URI `{uri}` is not a URL: {e}")))?;
    let Some(ips) = loopback_addrs(&parsed) else {
        return Ok((uri, None));
    };
    match parsed.port() {
        Some(p) => Ok((uri.clone(), Some(Listener::bind(&ips, p).await?))),
        None => {
            // RFC 8252 §7.3: a loopback redirect URI may use any port.
            let l = Listener::bind(&ips, 0).await?;
            let mut u = parsed;
            let _ = u.set_port(Some(l.port()));
            Ok((u.to_string(), Some(l)))
        }
    }
}

struct Shared {
    path: String,
    state: String,
    consumed: AtomicBool,
    events: mpsc::UnboundedSender<Event>,
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The parameters of a redirect to the listener.
#[derive(Default)]
struct Redirect {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    description: Option<String>,
    uri: Option<String>,
    iss: Option<String>,
    /// A JWT-secured response (JARM).
    response: Option<String>,
}

/// The claims of a JWT's payload, unverified (only to route a JARM response by its
/// state; the caller verifies it).
fn unverified_claims(jwt: &str) -> serde_json::Map<String, serde_json::Value> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap_or("");
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

impl Redirect {
    fn parse(query: &str) -> Redirect {
        let mut r = Redirect::default();
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match k.as_ref() {
                "response" => &mut r.response,
                "state" => &mut r.state,
                "code" => &mut r.code,
                "error" => &mut r.error,
                "error_description" => &mut r.description,
                "error_uri" => &mut r.uri,
                "iss" => &mut r.iss,
                _ => continue,
            };
            // An authorization server's words reach the terminal: made inert.
            *slot = Some(match k.as_ref() {
                "error" | "error_description" | "error_uri" => crate::text::untrusted(&v),
                _ => v.into_owned(),
            });
        }
        if let Some(jwt) = &r.response {
            // Routed by what the JWT says; nothing else of the query counts.
            let claims = unverified_claims(jwt);
            let field = |k: &str| claims.get(k).and_then(|v| v.as_str()).map(str::to_string);
            r.state = field("state");
            r.code = field("code");
            r.error = field("error").map(|e| crate::text::untrusted(&e));
            (r.description, r.uri, r.iss) = (None, None, None);
        }
        r
    }
}

/// The redirect's parameters: the query of a GET, or the form body of a POST
/// (`response_mode=form_post`). A body that is not a form, or too large, is refused.
async fn read_params(req: Request<Incoming>) -> std::result::Result<Redirect, String> {
    if req.method() != hyper::Method::POST {
        return Ok(Redirect::parse(req.uri().query().unwrap_or("")));
    }
    let form = req
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !form {
        return Err(
            "a POST to the callback whose body is not a form (application/x-www-form-urlencoded)"
                .into(),
        );
    }
    let body = Limited::new(req.into_body(), MAX_FORM_BODY)
        .collect()
        .await
        .map_err(|_| {
            format!("a POST to the callback with a body over {MAX_FORM_BODY} bytes (or cut short)")
        })?
        .to_bytes();
    Ok(Redirect::parse(&String::from_utf8_lossy(&body)))
}

async fn handle(
    req: Request<Incoming>,
    peer: SocketAddr,
    shared: &Shared,
    written: &Mutex<Option<oneshot::Sender<()>>>,
) -> Response<Full<Bytes>> {
    if req.uri().path() != shared.path {
        return page_response(
            StatusCode::NOT_FOUND,
            &Page {
                ok: false,
                title: "Not found".into(),
                message: "This address only receives the login redirect of oauthctl.".into(),
            },
            false,
        );
    }
    let refuse = |reason: String, title: &str, message: &str| {
        let _ = shared.events.send(Event::Ignored { peer, reason });
        page_response(
            StatusCode::BAD_REQUEST,
            &Page {
                ok: false,
                title: title.into(),
                message: message.into(),
            },
            false,
        )
    };
    let Redirect {
        state,
        code,
        error,
        description,
        uri,
        iss,
        response,
    } = match read_params(req).await {
        Ok(r) => r,
        Err(reason) => {
            return refuse(
                reason,
                "Not a login redirect",
                "This request is not a redirect this login can read. The login keeps waiting for the right redirect.",
            )
        }
    };
    let what = match (&code, &error) {
        (Some(_), _) => "a code",
        (None, Some(_)) => "an error",
        (None, None) => "neither a code nor an error",
    };
    match &state {
        None => {
            return refuse(
                format!("a request to the callback carried {what} but no state"),
                "Login not recognised",
                "This request has no state parameter, so it does not belong to the login that is running. The login keeps waiting for the right redirect.",
            )
        }
        Some(s) if !same(s, &shared.state) => {
            return refuse(
                format!("a request to the callback carried {what} with a state that is not this login's (a stray or forged request)"),
                "Login not recognised",
                "This request does not belong to the login that is running (its state does not match). The login keeps waiting for the right redirect.",
            )
        }
        _ => {}
    }
    if code.is_none() && error.is_none() {
        return refuse(
            "the redirect carried neither a code nor an error".into(),
            "Nothing to do",
            "This redirect has neither an authorization code nor an error.",
        );
    }
    if shared.consumed.swap(true, Ordering::SeqCst) {
        return page_response(
            StatusCode::BAD_REQUEST,
            &Page {
                ok: false,
                title: "Already received".into(),
                message: "This login has already received its redirect. Return to the terminal."
                    .into(),
            },
            false,
        );
    }
    let (page_tx, page_rx) = oneshot::channel();
    let (written_tx, written_rx) = oneshot::channel();
    if let Ok(mut w) = written.lock() {
        *w = Some(written_tx);
    }
    let responder = Responder {
        page: page_tx,
        written: written_rx,
    };
    // Checked above: with no error there is a code.
    let event = match (response, error) {
        (Some(jwt), _) => Event::Jarm {
            response: Secret::new(jwt),
            responder,
        },
        (None, Some(error)) => Event::Denied {
            error,
            description,
            uri,
            responder,
        },
        (None, None) => Event::Code {
            code: Secret::new(code.unwrap_or_default()),
            iss,
            responder,
        },
    };
    let _ = shared.events.send(event);
    final_page(page_rx).await
}

/// The page the caller sends when it knows how the login ended; if it never does, a
/// neutral page.
async fn final_page(page_rx: oneshot::Receiver<Page>) -> Response<Full<Bytes>> {
    let page = match tokio::time::timeout(Duration::from_secs(300), page_rx).await {
        Ok(Ok(p)) => p,
        _ => Page {
            ok: true,
            title: "Redirect received".into(),
            message:
                "oauthctl received the redirect. Return to the terminal to see how the login ended."
                    .into(),
        },
    };
    let status = if page.ok {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    page_response(status, &page, true)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A small self-contained page: no scripts, no external resources.
pub fn render_page(page: &Page) -> String {
    let (mark, color) = if page.ok {
        ("&#10004;", "#1a7f37")
    } else {
        ("&#10008;", "#cf222e")
    };
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title} - oauthctl</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#1f2328}}h1{{font-size:1.4em}}.m{{color:{color};font-size:2em}}</style></head>\
<body><div class=\"m\">{mark}</div><h1>{title}</h1><p>{message}</p><p><small>oauthctl</small></p></body></html>\n",
        title = escape(&page.title),
        message = escape(&page.message),
    )
}

fn page_response(status: StatusCode, page: &Page, close: bool) -> Response<Full<Bytes>> {
    let mut b = Response::builder()
        .status(status)
        .header("Content-Type", "text/html; charset=utf-8")
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        );
    if close {
        b = b.header("Connection", "close");
    }
    let body = Full::new(Bytes::from(render_page(page)));
    b.body(body.clone()).unwrap_or_else(|_| Response::new(body))
}

/// What a pasted line means.
#[derive(Debug, PartialEq)]
pub enum Pasted {
    /// The authorization code, and the `iss` parameter (RFC 9207) when there is one.
    Code { code: String, iss: Option<String> },
    /// The server's error.
    Denied {
        error: String,
        description: Option<String>,
        uri: Option<String>,
    },
    /// A JWT-secured response (JARM), to verify before it is used.
    Jarm { response: String },
    /// Not usable; the reason (empty for an empty line).
    Ignore(String),
}

/// Reads a line pasted in paste mode: the URL the browser was redirected to (its
/// state checked when it has one), a bare query string, or the bare code.
pub fn parse_pasted(line: &str, state: &str) -> Pasted {
    let t = line.trim();
    if t.is_empty() {
        return Pasted::Ignore(String::new());
    }
    let query = match url::Url::parse(t) {
        Ok(u) if u.has_host() || u.query().is_some() => u.query().unwrap_or("").to_string(),
        _ if t.contains("code=") || t.contains("error=") || t.contains("response=") => {
            match t.find('?') {
                Some(i) => t[i + 1..].to_string(),
                None => t.to_string(),
            }
        }
        _ if t.chars().any(char::is_whitespace) => return Pasted::Ignore(
            "that is neither a URL nor a code: paste the whole URL from the browser's address bar"
                .into(),
        ),
        _ => {
            return Pasted::Code {
                code: t.to_string(),
                iss: None,
            }
        }
    };
    let Redirect {
        state: got_state,
        code,
        error,
        description,
        uri,
        iss,
        response,
    } = Redirect::parse(&query);
    if got_state.as_deref().is_some_and(|s| s != state) {
        return Pasted::Ignore(
            "the pasted URL belongs to another login (its state does not match this one's): paste the URL of this login's redirect".into(),
        );
    }
    if let Some(response) = response {
        return Pasted::Jarm { response };
    }
    match (code, error) {
        (_, Some(error)) => Pasted::Denied {
            error,
            description,
            uri,
        },
        (Some(code), None) => Pasted::Code { code, iss },
        (None, None) => Pasted::Ignore(
            "the pasted URL has no code: paste the URL you were redirected to after approving"
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn get(addr: SocketAddr, path: &str) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status = out[9..12].parse().unwrap();
        (status, out)
    }

    #[test]
    fn loopback_hosts() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(
            loopback_addrs(&u("http://127.0.0.1:1/cb")).unwrap().len(),
            1
        );
        assert_eq!(
            loopback_addrs(&u("http://localhost:1/cb")).unwrap().len(),
            2
        );
        assert_eq!(loopback_addrs(&u("http://[::1]:1/cb")).unwrap().len(), 1);
        assert!(loopback_addrs(&u("https://127.0.0.1/cb")).is_none());
        assert!(loopback_addrs(&u("http://0.0.0.0:1/cb")).is_none());
        assert!(loopback_addrs(&u("http://example.com/cb")).is_none());
    }

    #[test]
    fn wrong_state_is_ignored_then_the_right_redirect_is_answered() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let l = Listener::bind(&[IpAddr::V4(Ipv4Addr::LOCALHOST)], 0)
                .await
                .unwrap();
            let addr = l.addrs()[0];
            let mut rx = l.serve("/cb", "good");
            let client = tokio::task::spawn_blocking(move || {
                let a = get(addr, "/favicon.ico");
                let b = get(addr, "/cb?code=x&state=bad");
                let c = get(addr, "/cb?code=x");
                let d = get(addr, "/cb?code=the-code&state=good");
                (a, b, c, d)
            });
            let mut ignored = 0;
            loop {
                match rx.recv().await.unwrap() {
                    Event::Ignored { .. } => ignored += 1,
                    Event::Code {
                        code, responder, ..
                    } => {
                        assert_eq!(code.expose(), "the-code");
                        responder
                            .respond(
                                Page {
                                    ok: true,
                                    title: "Logged in <b>".into(),
                                    message: "m".into(),
                                },
                                Duration::from_secs(2),
                            )
                            .await;
                        break;
                    }
                    other => panic!("{other:?}"),
                }
            }
            let (a, b, c, d) = client.await.unwrap();
            assert_eq!(a.0, 404);
            assert_eq!(b.0, 400);
            assert!(b.1.contains("does not match"));
            assert_eq!(c.0, 400);
            assert_eq!(d.0, 200);
            assert!(d.1.contains("Logged in &lt;b&gt;"));
            assert_eq!(ignored, 2);
        });
    }

    fn post(addr: SocketAddr, content_type: &str, body: &str) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "POST /cb HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        let status = out.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, out)
    }

    #[test]
    fn a_form_post_redirect_is_read_from_its_body_with_the_same_checks() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let l = Listener::bind(&[IpAddr::V4(Ipv4Addr::LOCALHOST)], 0)
                .await
                .unwrap();
            let addr = l.addrs()[0];
            let mut rx = l.serve("/cb", "good");
            let client = tokio::task::spawn_blocking(move || {
                let form = "application/x-www-form-urlencoded";
                let a = post(addr, "text/plain", "code=x&state=good");
                let b = post(
                    addr,
                    form,
                    &format!("code=x&state=good&pad={}", "a".repeat(MAX_FORM_BODY)),
                );
                let c = post(addr, form, "code=x&state=bad");
                let d = post(
                    addr,
                    &format!("{form}; charset=utf-8"),
                    "code=the-code&state=good",
                );
                (a, b, c, d)
            });
            let mut reasons = Vec::new();
            loop {
                match rx.recv().await.unwrap() {
                    Event::Ignored { reason, .. } => reasons.push(reason),
                    Event::Code {
                        code, responder, ..
                    } => {
                        assert_eq!(code.expose(), "the-code");
                        let page = Page {
                            ok: true,
                            title: "t".into(),
                            message: "m".into(),
                        };
                        responder.respond(page, Duration::from_secs(2)).await;
                        break;
                    }
                    other => panic!("{other:?}"),
                }
            }
            let (a, b, c, d) = client.await.unwrap();
            assert_eq!((a.0, c.0, d.0), (400, 400, 200));
            assert!(b.0 == 400 || b.0 == 0, "{}", b.1);
            assert!(reasons[0].contains("not a form"), "{reasons:?}");
            assert!(
                reasons.iter().any(|r| r.contains("over 65536 bytes")),
                "{reasons:?}"
            );
            assert!(
                reasons.iter().any(|r| r.contains("not this login's")),
                "{reasons:?}"
            );
        });
    }

    #[test]
    fn a_jarm_response_is_routed_by_the_state_inside_it() {
        use base64::Engine;
        let enc = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let jwt = |state: &str| {
            format!(
                "{}.{}.sig",
                enc(r#"{"alg":"RS256"}"#),
                enc(&format!(
                    r#"{{"code":"c","state":"{state}","error":"e\u001b[31m"}}"#
                ))
            )
        };
        // The query's own state does not count: only the JWT's.
        let r = Redirect::parse(&format!("response={}&state=good&code=q", jwt("other")));
        assert_eq!(r.state.as_deref(), Some("other"));
        assert_eq!(r.code.as_deref(), Some("c"));
        assert!(!r.error.unwrap().contains('\u{1b}'));
        assert!(matches!(
            parse_pasted(&format!("http://127.0.0.1/cb?response={}", jwt("s1")), "s1"),
            Pasted::Jarm { .. }
        ));
        assert!(matches!(
            parse_pasted(&format!("http://127.0.0.1/cb?response={}", jwt("s2")), "s1"),
            Pasted::Ignore(_)
        ));
    }

    #[test]
    fn every_redirect_parameter_is_read() {
        let r = Redirect::parse(
            "state=s&code=c&iss=https%3A%2F%2Fas.example&error=access_denied&error_description=no+way&error_uri=https%3A%2F%2Fe&other=x",
        );
        assert_eq!(r.state.as_deref(), Some("s"));
        assert_eq!(r.code.as_deref(), Some("c"));
        assert_eq!(r.iss.as_deref(), Some("https://as.example"));
        assert_eq!(r.error.as_deref(), Some("access_denied"));
        assert_eq!(r.description.as_deref(), Some("no way"));
        assert_eq!(r.uri.as_deref(), Some("https://e"));
        let none = Redirect::parse("other=x");
        assert!(none.state.is_none() && none.code.is_none() && none.iss.is_none());
    }

    #[test]
    fn the_listener_passes_on_the_issuer_and_the_servers_error() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            for (query, denied) in [
                ("/cb?code=c&state=good&iss=https%3A%2F%2Fas", false),
                ("/cb?error=access_denied&error_description=nope&error_uri=https%3A%2F%2Fu&state=good", true),
            ] {
                let l = Listener::bind(&[IpAddr::V4(Ipv4Addr::LOCALHOST)], 0)
                    .await
                    .unwrap();
                let addr = l.addrs()[0];
                let mut rx = l.serve("/cb", "good");
                let client = tokio::task::spawn_blocking(move || get(addr, query));
                let page = Page {
                    ok: true,
                    title: "t".into(),
                    message: "m".into(),
                };
                match rx.recv().await.unwrap() {
                    Event::Code { iss, responder, .. } if !denied => {
                        assert_eq!(iss.as_deref(), Some("https://as"));
                        responder.respond(page, Duration::from_secs(2)).await;
                    }
                    Event::Denied {
                        error,
                        description,
                        uri,
                        responder,
                    } if denied => {
                        assert_eq!(error, "access_denied");
                        assert_eq!(description.as_deref(), Some("nope"));
                        assert_eq!(uri.as_deref(), Some("https://u"));
                        responder.respond(page, Duration::from_secs(2)).await;
                    }
                    other => panic!("{query}: {other:?}"),
                }
                client.await.unwrap();
            }
        });
    }

    #[test]
    fn localhost_listens_on_both_loopbacks_with_one_port() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let u = url::Url::parse("http://localhost:0/cb").unwrap();
            let l = Listener::bind(&loopback_addrs(&u).unwrap(), 0)
                .await
                .unwrap();
            let addrs = l.addrs();
            assert!(addrs.iter().all(|a| a.ip().is_loopback()), "{addrs:?}");
            assert!(addrs.iter().all(|a| a.port() == l.port()), "{addrs:?}");
            assert_eq!(addrs[0].ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
            // [::1] too, where this machine has IPv6.
            if std::net::TcpListener::bind("[::1]:0").is_ok() {
                assert_eq!(addrs.len(), 2, "{addrs:?}");
                assert_eq!(addrs[1].ip(), IpAddr::V6(Ipv6Addr::LOCALHOST));
            }
        });
    }

    #[test]
    fn port_in_use_says_so() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = taken.local_addr().unwrap().port();
            let e = Listener::bind(&[IpAddr::V4(Ipv4Addr::LOCALHOST)], port)
                .await
                .unwrap_err();
            assert_eq!(e.exit_code(), 3);
            assert!(e.message.contains("already in use"), "{}", e.message);
            assert!(e.hint.unwrap().contains("--port"));
        });
    }
    #[test]
    fn pasted_urls_and_codes() {
        assert_eq!(
            parse_pasted("https://app.example/cb?code=abc&state=s1", "s1"),
            Pasted::Code {
                code: "abc".into(),
                iss: None
            }
        );
        assert_eq!(
            parse_pasted("  abc-123  ", "s1"),
            Pasted::Code {
                code: "abc-123".into(),
                iss: None
            }
        );
        // A bare code with a colon parses as a URL with a scheme, and is still the code.
        assert_eq!(
            parse_pasted("ab:cd", "s1"),
            Pasted::Code {
                code: "ab:cd".into(),
                iss: None
            }
        );
        assert!(matches!(
            parse_pasted("https://app.example/cb?code=abc&state=other", "s1"),
            Pasted::Ignore(r) if r.contains("another login")
        ));
        assert!(matches!(
            parse_pasted("https://app.example/cb?error=access_denied&state=s1", "s1"),
            Pasted::Denied { error, .. } if error == "access_denied"
        ));
        assert_eq!(
            parse_pasted("code=xyz&state=s1", "s1"),
            Pasted::Code {
                code: "xyz".into(),
                iss: None
            }
        );
        assert_eq!(
            parse_pasted("?code=xyz", "s1"),
            Pasted::Code {
                code: "xyz".into(),
                iss: None
            }
        );
        assert!(matches!(
            parse_pasted("not a code", "s1"),
            Pasted::Ignore(_)
        ));
        assert!(matches!(
            parse_pasted("https://app.example/cb", "s1"),
            Pasted::Ignore(_)
        ));
    }
}
