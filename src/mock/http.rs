//! The mock's small HTTP framework: hyper 1 on 127.0.0.1, a request read whole
//! ([`Req`]), its parameters ([`Params`]), an answer ([`Out`]), HTML page helpers, and
//! the serve loop. It knows no endpoint: whatever serves implements [`Handler`].

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::errors::OAuthError;
use super::options::RequestRecord;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY: usize = 1024 * 1024;

/// What the serve loop needs from the application behind it.
pub trait Handler: Send + Sync + 'static {
    /// Waited before each request is read (injected latency).
    fn latency(&self) -> Duration;
    /// The answer to a request.
    fn answer(&self, req: &Req) -> Out;
    /// An error answer (for a body that cannot be read).
    fn error(&self, e: &OAuthError) -> Out;
    /// Called once per request with its log record.
    fn record(&self, rec: &RequestRecord);
}

/// A request, read whole.
#[derive(Debug)]
pub struct Req {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The connection's TLS client certificate chain (DER, end entity first), on the
    /// TLS port when the client presented one.
    pub client_cert: Option<Arc<Vec<Vec<u8>>>>,
    /// Whether the request came over the TLS port.
    pub tls: bool,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The media type, lower-cased, without parameters.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// The form body (`application/x-www-form-urlencoded`), empty when there is none.
    pub fn form(&self) -> Result<Vec<(String, String)>, OAuthError> {
        if self.body.is_empty() {
            return Ok(Vec::new());
        }
        match self.media_type().as_deref() {
            Some("application/x-www-form-urlencoded") => {}
            other => {
                return Err(OAuthError::invalid_request(format!(
                    "the body must be application/x-www-form-urlencoded, not {}",
                    other.unwrap_or("(no Content-Type)")
                )))
            }
        }
        Ok(url::form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect())
    }

    /// The token of an `Authorization: DPoP` header (RFC 9449 §7.1).
    pub fn dpop_token(&self) -> Option<&str> {
        let h = self.header("authorization")?;
        let (scheme, rest) = h.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("dpop")
            .then(|| rest.trim())
            .filter(|t| !t.is_empty())
    }

    /// The Bearer token of the Authorization header.
    pub fn bearer(&self) -> Option<&str> {
        let h = self.header("authorization")?;
        let (scheme, rest) = h.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| rest.trim())
            .filter(|t| !t.is_empty())
    }
}

/// The parameters of a browser request: the form of a POST, else the query string.
pub fn query_or_form(req: &Req) -> Result<Params, OAuthError> {
    let pairs = if req.method == Method::POST {
        req.form()?
    } else {
        req.query.clone()
    };
    Params::new(pairs)
}

/// Request parameters: empty values dropped (RFC 6749 §3.1), repeats refused.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn new(pairs: Vec<(String, String)>) -> Result<Params, OAuthError> {
        let mut out: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            if v.is_empty() {
                continue;
            }
            // RFC 8707 §2: `resource` may be given more than once.
            if k != "resource" && out.iter().any(|(x, _)| *x == k) {
                return Err(OAuthError::invalid_request(format!(
                    "the parameter `{k}` is repeated (RFC 6749 §3.1: parameters must not be included more than once)"
                )));
            }
            out.push((k, v));
        }
        Ok(Params(out))
    }
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str())
    }
    /// Every value of a parameter that may repeat (`resource`).
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
    pub fn has(&self, k: &str) -> bool {
        self.get(k).is_some()
    }
    /// Every parameter, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
    pub fn require(&self, k: &str) -> Result<&str, OAuthError> {
        self.get(k)
            .ok_or_else(|| OAuthError::invalid_request(format!("the parameter `{k}` is missing")))
    }
}

/// An answer, with what the request log should say about it.
#[derive(Debug)]
pub struct Out {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
    pub grant_type: Option<String>,
    pub client_auth: Option<&'static str>,
    pub error: Option<String>,
}

impl Out {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Out {
        Out {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
            grant_type: None,
            client_auth: None,
            error: None,
        }
    }
    pub fn json(status: u16, v: &Value) -> Out {
        Out::new(status, "application/json", v.to_string())
    }
    pub fn html(status: u16, s: String) -> Out {
        // No form-action: browsers apply it to the redirect that follows the consent
        // form, which goes to the client's redirect URI.
        Out::new(status, "text/html; charset=utf-8", s).header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'".into(),
        )
    }
    pub fn redirect(location: String) -> Out {
        let mut o = Out::new(302, "text/plain; charset=utf-8", Bytes::new());
        o.headers.push(("Location", location));
        o
    }
    pub fn header(mut self, k: &'static str, v: String) -> Out {
        self.headers.push((k, v));
        self
    }
    /// RFC 6749 §5.1: token answers must not be cached.
    pub fn no_store(self) -> Out {
        self.header("Cache-Control", "no-store".into())
            .header("Pragma", "no-cache".into())
    }
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A small self-contained page (no external resources).
pub fn page(title: &str, body_html: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title>\n<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em;color:#222}}h1{{font-size:1.4em}}.box{{border:1px solid #ccc;border-radius:8px;padding:1em 1.5em}}button{{font:inherit;padding:.4em 1.2em;margin-right:.6em;border-radius:6px;border:1px solid #888;cursor:pointer}}button.ok{{background:#1f6feb;color:#fff;border-color:#1f6feb}}code{{background:#f3f3f3;padding:0 .2em}}.muted{{color:#666;font-size:.9em}}</style></head>\n<body><div class=\"box\">{body_html}</div><p class=\"muted\">oauthctl mock: a local emulator for testing. Nothing here is real.</p></body></html>\n",
        t = esc(title)
    )
}
/// The query string's pairs.
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// The error answer for a body that could not be read (413 when it is too large).
fn unreadable_body<H: Handler>(h: &H, e: &(dyn std::error::Error + Send + Sync + 'static)) -> Out {
    let too_big = e
        .downcast_ref::<http_body_util::LengthLimitError>()
        .is_some();
    if too_big {
        h.error(
            &OAuthError::invalid_request(format!(
                "the request body is larger than {MAX_BODY} bytes"
            ))
            .status(413),
        )
    } else {
        h.error(&OAuthError::invalid_request(format!(
            "the request body could not be read: {e}"
        )))
    }
}

/// What a connection knows of its peer.
#[derive(Debug, Clone, Default)]
struct Peer {
    tls: bool,
    client_cert: Option<Arc<Vec<Vec<u8>>>>,
}

async fn handle<H: Handler>(
    h: Arc<H>,
    peer: Peer,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query = query_pairs(parts.uri.query());
    let latency = h.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let out = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => {
            let r = Req {
                method: parts.method.clone(),
                path: path.clone(),
                query,
                headers: parts.headers,
                body: collected.to_bytes(),
                client_cert: peer.client_cert,
                tls: peer.tls,
            };
            h.answer(&r)
        }
        Err(e) => unreadable_body(h.as_ref(), e.as_ref()),
    };
    let rec = RequestRecord {
        ts: humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
        method: parts.method.to_string(),
        path,
        grant_type: out.grant_type.clone(),
        client_auth: out.client_auth.map(str::to_string),
        status: out.status,
        error: out.error.clone(),
        ms: started.elapsed().as_secs_f64() * 1000.0,
    };
    h.record(&rec);
    Ok(into_response(out))
}

fn into_response(out: Out) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(out.body));
    *resp.status_mut() =
        StatusCode::from_u16(out.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    for (k, v) in out.headers {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.append(k, v);
        }
    }
    resp
}

/// Binds 127.0.0.1:`port` (0: a free port).
pub async fn bind(port: u16) -> std::io::Result<(TcpListener, SocketAddr)> {
    let l = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).await?;
    let a = l.local_addr()?;
    Ok((l, a))
}

/// Serves until `shutdown` turns true; connections finish their current request.
/// With `tls`, each connection is a TLS handshake first (the mutual TLS port).
pub async fn serve<H: Handler>(
    listener: TcpListener,
    handler: Arc<H>,
    mut shutdown: watch::Receiver<bool>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => break,
        };
        let (stream, _) = match accepted {
            Ok(x) => x,
            Err(_) => {
                // Out of file descriptors or similar: back off a little and go on.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let handler = handler.clone();
        let stop = shutdown.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => connection(stream, Peer::default(), handler, stop).await,
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(Duration::from_secs(5), acceptor.accept(stream));
                    let Ok(Ok(stream)) = handshake.await else {
                        return;
                    };
                    let client_cert = stream.get_ref().1.peer_certificates().map(|c| {
                        Arc::new(c.iter().map(|d| d.as_ref().to_vec()).collect::<Vec<_>>())
                    });
                    let peer = Peer {
                        tls: true,
                        client_cert,
                    };
                    connection(stream, peer, handler, stop).await
                }
            }
        });
    }
}

async fn connection<H, S>(stream: S, peer: Peer, handler: Arc<H>, mut stop: watch::Receiver<bool>)
where
    H: Handler,
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let svc = hyper::service::service_fn(move |req| handle(handler.clone(), peer.clone(), req));
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        // A client that shuts its write side after the request still gets its answer.
        .half_close(true)
        .serve_connection(TokioIo::new(stream), svc);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_refuse_repeats_and_drop_empty_values() {
        let p = Params::new(vec![("a".into(), "1".into()), ("b".into(), "".into())]).unwrap();
        assert_eq!(p.get("a"), Some("1"));
        assert!(!p.has("b"));
        let e = Params::new(vec![("a".into(), "1".into()), ("a".into(), "2".into())]).unwrap_err();
        assert_eq!(e.error, "invalid_request");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
