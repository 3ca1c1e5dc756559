//! The one HTTP client: rustls, timeouts, private CAs, no redirects, capped bodies,
//! a User-Agent naming oauthctl, and a redacted transcript with `--trace`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::redact::Redactor;

pub mod har;
mod message;
pub mod tls;

pub use message::{reason, status_text, Exchange, HttpRequest, HttpResponse};

pub const USER_AGENT: &str = concat!("oauthctl/", env!("CARGO_PKG_VERSION"));
/// Response bodies larger than this are refused.
pub const DEFAULT_MAX_BODY: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub cacert: Option<PathBuf>,
    pub insecure: bool,
    pub max_body: usize,
    pub trace: bool,
    /// `--allow-insecure-http`: send secrets over plain http to hosts that are not loopback.
    pub allow_insecure_http: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            cacert: None,
            insecure: false,
            max_body: DEFAULT_MAX_BODY,
            trace: false,
            allow_insecure_http: false,
        }
    }
}

/// The shared client. Cheap to clone.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    config: HttpConfig,
    redactor: Arc<Mutex<Redactor>>,
    /// Every exchange of this process, for `--har` (redacted when written).
    exchanges: Arc<Mutex<Vec<Exchange>>>,
    /// A client per TLS client certificate (mutual TLS), built on first use.
    with_cert: Arc<Mutex<Vec<(tls::ClientCert, reqwest::Client)>>>,
}

impl Http {
    pub fn new(config: HttpConfig, redactor: Arc<Mutex<Redactor>>) -> Result<Self> {
        let client = Self::builder(&config)?
            .build()
            .map_err(|e| Error::internal(format!("cannot build the HTTP client: {e}")))?;
        Ok(Http {
            client,
            config,
            redactor,
            exchanges: Arc::default(),
            with_cert: Arc::default(),
        })
    }

    /// The client for `req`: the shared one, or one presenting its client certificate.
    fn client_for(&self, req: &HttpRequest) -> Result<reqwest::Client> {
        let Some(cert) = &req.client_cert else {
            return Ok(self.client.clone());
        };
        let mut cache = self.with_cert.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, c)) = cache.iter().find(|(k, _)| k == cert) {
            return Ok(c.clone());
        }
        let client = Self::builder(&self.config)?
            .identity(cert.identity()?)
            .build()
            .map_err(|e| {
                Error::input(format!(
                    "cannot use the client certificate {}: {e}",
                    cert.cert.display()
                ))
            })?;
        cache.push((cert.clone(), client.clone()));
        Ok(client)
    }

    fn builder(config: &HttpConfig) -> Result<reqwest::ClientBuilder> {
        let mut b = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .use_rustls_tls();
        if let Some(path) = &config.cacert {
            let pem = std::fs::read(path).map_err(|e| {
                Error::input(format!("cannot read --cacert {}: {e}", path.display())).with_hint(
                    "give a PEM file holding the CA certificate(s) the server's chain ends in",
                )
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::input(format!(
                    "--cacert {} is not a PEM certificate bundle: {e}",
                    path.display()
                ))
            })?;
            if certs.is_empty() {
                return Err(Error::input(format!(
                    "--cacert {} holds no PEM certificate",
                    path.display()
                ))
                .with_hint("the file must contain -----BEGIN CERTIFICATE----- blocks"));
            }
            for c in certs {
                b = b.add_root_certificate(c);
            }
        }
        if config.insecure {
            b = b.danger_accept_invalid_certs(true);
        }
        Ok(b)
    }

    pub fn redactor(&self) -> Arc<Mutex<Redactor>> {
        self.redactor.clone()
    }

    fn redacted<T>(&self, f: impl FnOnce(&Redactor) -> T) -> T {
        let guard = self.redactor.lock().unwrap_or_else(|p| p.into_inner());
        f(&guard)
    }

    /// The exchanges so far, in order.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// Sends a request; any HTTP status is a response, only transport failures are errors.
    pub async fn send(&self, req: HttpRequest) -> Result<HttpResponse> {
        if !self.config.allow_insecure_http {
            if let Some(what) = secret_in_clear(&req) {
                return Err(insecure_http_error(&req.url, what));
            }
        }
        let started_at = std::time::SystemTime::now();
        let started = Instant::now();
        let result = self.send_inner(&req, started).await;
        if let Ok(mut list) = self.exchanges.lock() {
            list.push(Exchange {
                started: started_at,
                elapsed: started.elapsed(),
                request: req,
                response: result.as_ref().ok().cloned(),
                error: result.as_ref().err().map(|e| e.message.clone()),
            });
        }
        result
    }

    async fn send_inner(&self, req: &HttpRequest, started: Instant) -> Result<HttpResponse> {
        if self.config.trace {
            self.trace_request(req);
        }
        let mut rb = self
            .client_for(req)?
            .request(req.method.clone(), req.url.clone());
        for (k, v) in &req.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        if let Some(body) = &req.body {
            rb = rb.body(body.clone());
        }
        let mut resp = rb.send().await.map_err(|e| self.classify(req, e))?;
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        if let Some(len) = resp.content_length() {
            if len as usize > self.config.max_body {
                return Err(self.too_large(req));
            }
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.classify(req, e))? {
            if body.len() + chunk.len() > self.config.max_body {
                return Err(self.too_large(req));
            }
            body.extend_from_slice(&chunk);
        }
        // Whatever the answer is (a token in a 500, a form sent as text/plain, a JSON
        // array), the values under secret keys become secrets before anything shows it.
        {
            let mut r = self.redactor.lock().unwrap_or_else(|p| p.into_inner());
            r.harvest(&body);
            for (_, v) in &headers {
                r.harvest(v.as_bytes());
            }
        }
        let out = HttpResponse {
            url: req.url.clone(),
            status,
            headers,
            body,
            elapsed: started.elapsed(),
        };
        if self.config.trace {
            self.trace_response(&out);
        }
        Ok(out)
    }

    fn too_large(&self, req: &HttpRequest) -> Error {
        Error::server(format!(
            "the answer from {} is larger than {} MiB; oauthctl refuses to read it",
            self.redacted(|r| r.url(req.url.as_str())),
            self.config.max_body / (1024 * 1024)
        ))
        .with_hint("check that the URL points at an OAuth endpoint, not a download")
    }

    fn trace_request(&self, req: &HttpRequest) {
        let text = self.redacted(|r| {
            let mut s = format!("> {} {}\n", req.method, r.url(req.url.as_str()));
            s.push_str(&format!("> user-agent: {USER_AGENT}\n"));
            for (k, v) in &req.headers {
                s.push_str(&format!(
                    "> {}: {}\n",
                    k.to_ascii_lowercase(),
                    r.header(k, v)
                ));
            }
            if let Some(c) = &req.client_cert {
                let print = c.thumbprint().unwrap_or_else(|e| e.message);
                s.push_str(&format!(
                    "> (TLS client certificate {}, x5t#S256 {print})\n",
                    c.cert.display()
                ));
            }
            if let Some(b) = &req.body {
                s.push_str(">\n");
                for line in r.body(req.content_type(), b).lines() {
                    s.push_str(&format!("> {line}\n"));
                }
            }
            s
        });
        let _ = std::io::stderr().write_all(text.as_bytes());
    }

    fn trace_response(&self, resp: &HttpResponse) {
        let text = self.redacted(|r| {
            let reason = reason(resp.status);
            let mut s = format!(
                "< {} {} ({} ms)\n",
                resp.status,
                reason,
                resp.elapsed.as_millis()
            );
            for (k, v) in &resp.headers {
                s.push_str(&format!("< {k}: {}\n", crate::text::inert(&r.header(k, v))));
            }
            if !resp.body.is_empty() {
                s.push_str("<\n");
                let body = r.body(resp.content_type(), &resp.body);
                let shown: String = body.chars().take(16 * 1024).collect();
                for line in shown.lines() {
                    s.push_str(&format!("< {}\n", crate::text::inert(line)));
                }
                if shown.len() < body.len() {
                    s.push_str(&format!("< … ({} bytes in all)\n", resp.body.len()));
                }
            }
            s.push('\n');
            s
        });
        let _ = std::io::stderr().write_all(text.as_bytes());
    }

    /// Tells apart an unknown host, a refused connection, a TLS failure and a timeout.
    fn classify(&self, req: &HttpRequest, e: reqwest::Error) -> Error {
        let url = self.redacted(|r| r.url(req.url.as_str()));
        let host = req.url.host_str().unwrap_or("").to_string();
        let mut chain = String::new();
        let mut src: Option<&dyn std::error::Error> = Some(&e);
        while let Some(s) = src {
            chain.push_str(&s.to_string());
            chain.push_str(" | ");
            src = s.source();
        }
        let lower = chain.to_ascii_lowercase();
        if e.is_timeout() || lower.contains("timed out") {
            return Error::timeout(format!(
                "no answer from {url} within {}",
                humantime::format_duration(self.config.timeout)
            ))
            .with_hint("the server is slow or unreachable; raise --timeout (e.g. --timeout 60s) or check the network");
        }
        if lower.contains("dns error") || lower.contains("failed to lookup address") {
            return Error::network(format!("cannot resolve host `{host}` ({url})")).with_hint(
                "check the host name in the URL or the provider settings, and your DNS",
            );
        }
        if lower.contains("connection refused") {
            return Error::network(format!(
                "connection refused by {host}:{} ({url})",
                req.url.port_or_known_default().unwrap_or(0)
            ))
            .with_hint(
                "nothing is listening there: check the port, and that the server is running",
            );
        }
        if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
            || lower.contains("invalidcertificate")
            || lower.contains("unknownissuer")
        {
            let detail = chain
                .split(" | ")
                .filter(|s| !s.is_empty())
                .last()
                .unwrap_or("")
                .to_string();
            return Error::network(format!("TLS failure talking to {url}: {detail}")).with_hint(
                "if the server uses a private CA, pass its certificate with --cacert FILE; --insecure skips verification (unsafe)",
            );
        }
        if lower.contains("connection reset") || lower.contains("connection closed") {
            return Error::network(format!("the connection to {url} was closed before an answer: {}", chain.trim_end_matches(" | ")))
                .with_hint("the server closed the connection; check that the URL's scheme (http/https) and port are right");
        }
        Error::network(format!(
            "request to {url} failed: {}",
            chain.trim_end_matches(" | ")
        ))
        .with_hint("check the URL and the network")
    }
}

/// Whether `host` is this machine's loopback (where plain http never leaves the machine).
fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// What long-lived secret `req` would send readable to anyone on the network path: a
/// client secret (HTTP Basic, or a `client_secret` parameter), a password or a refresh
/// token, over plain http to a host that is not loopback.
pub fn secret_in_clear(req: &HttpRequest) -> Option<&'static str> {
    if req.url.scheme() != "http" || is_loopback_host(&req.url) {
        return None;
    }
    let basic = req.headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("authorization")
            && v.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("basic "))
    });
    if basic {
        return Some("the client secret");
    }
    let body_params: Vec<String> = req
        .body
        .as_deref()
        .filter(|_| {
            req.headers.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("content-type")
                    && v.starts_with("application/x-www-form-urlencoded")
            })
        })
        .map(|b| {
            url::form_urlencoded::parse(b)
                .map(|(k, _)| k.into_owned())
                .collect()
        })
        .unwrap_or_default();
    let query_params = req.url.query_pairs().map(|(k, _)| k.into_owned());
    for name in body_params.into_iter().chain(query_params) {
        match name.as_str() {
            "client_secret" => return Some("the client secret"),
            "password" => return Some("the password"),
            "refresh_token" => return Some("the refresh token"),
            _ => {}
        }
    }
    None
}

fn insecure_http_error(url: &url::Url, what: &str) -> Error {
    let host = url.host_str().unwrap_or("?");
    Error::input(format!(
        "refusing to send {what} over plain http to {host}: {url} is not https and {host} is not this machine, so anyone on the network path could read it",
        url = url.as_str().split('?').next().unwrap_or("")
    ))
    .with_hint(
        "use the server's https address; for a test server on a network you trust, pass --allow-insecure-http",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(url: &str) -> HttpRequest {
        HttpRequest::new(reqwest::Method::POST, url::Url::parse(url).unwrap())
    }

    fn form(url: &str, pairs: &[(&str, &str)]) -> HttpRequest {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        req(url).form(&pairs)
    }

    #[test]
    fn secrets_over_plain_http_to_another_host_are_found() {
        let basic = |url: &str, name: &str, value: &str| req(url).header(name, value);
        let far = "http://auth.example.com/token";
        assert_eq!(
            secret_in_clear(&basic(far, "Authorization", "Basic YTpi")),
            Some("the client secret")
        );
        assert_eq!(
            secret_in_clear(&basic(far, "authorization", "BASIC YTpi")),
            Some("the client secret")
        );
        assert_eq!(
            secret_in_clear(&basic(far, "Authorization", "Bearer abc")),
            None
        );
        assert_eq!(secret_in_clear(&basic(far, "X-Basic", "Basic YTpi")), None);
        for (name, what) in [
            ("client_secret", "the client secret"),
            ("password", "the password"),
            ("refresh_token", "the refresh token"),
        ] {
            assert_eq!(
                secret_in_clear(&form(far, &[("grant_type", "x"), (name, "s")])),
                Some(what)
            );
            assert_eq!(
                secret_in_clear(&req(&format!("{far}?{name}=s"))),
                Some(what)
            );
        }
        assert_eq!(
            secret_in_clear(&form(far, &[("code", "c"), ("client_id", "i")])),
            None
        );
        // A body that is not a form is not read as one.
        let mut json = req(far);
        json.body = Some(b"client_secret=s".to_vec());
        assert_eq!(secret_in_clear(&json), None);
    }

    #[test]
    fn https_and_loopback_hosts_may_carry_secrets() {
        let secret = |url: &str| secret_in_clear(&form(url, &[("client_secret", "s")]));
        assert_eq!(secret("https://auth.example.com/token"), None);
        for url in [
            "http://127.0.0.1:8080/token",
            "http://127.8.9.10/token",
            "http://[::1]:8080/token",
            "http://localhost/token",
            "http://LOCALHOST./token",
            "http://api.localhost/token",
        ] {
            assert_eq!(secret(url), None, "{url}");
        }
        for url in [
            "http://localhost.example.com/token",
            "http://notlocalhost/token",
            "http://10.0.0.1/token",
            "http://[::2]/token",
        ] {
            assert_eq!(secret(url), Some("the client secret"), "{url}");
        }
    }

    #[test]
    fn the_refusal_names_the_host_and_the_way_out_but_not_the_query() {
        let e = insecure_http_error(
            &url::Url::parse("http://auth.example.com/token?client_secret=s3cr3t").unwrap(),
            "the client secret",
        );
        assert_eq!(e.exit_code(), 3);
        assert!(e
            .message
            .contains("http://auth.example.com/token is not https"));
        assert!(!e.message.contains("s3cr3t"), "{}", e.message);
        assert!(e.hint.unwrap().contains("--allow-insecure-http"));
    }
}
