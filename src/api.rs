//! An authorized request to a provider's API (`call`, `me`): sent with a fresh session
//! (renewed first when about to expire), and once more after a 401 with a renewed one.
//! The token goes only to the provider's own hosts unless told otherwise.

use std::io::Read;
use std::time::Duration;

use reqwest::Method;

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::http::status_text;
use crate::http::{HttpRequest, HttpResponse};
use crate::oauth::dpop::{self, DpopKey};
use crate::oauth::error::OAuthError;
use crate::provider::{Provider, ENDPOINT_KEYS};
use crate::session::fresh_session;
use crate::store::Session;

/// A session whose token expires within this is refreshed first (as `token` does).
pub const MIN_TTL: Duration = Duration::from_secs(60);

/// Sends the request `build` makes with a valid session (`fresh_session`: refreshed
/// first when about to expire); when `retry` and the answer is 401, refreshes once and
/// sends once more. A DPoP-bound session's request carries a fresh proof each time, and
/// is sent once more with the nonce a resource server asks for (`use_dpop_nonce`).
pub fn send_authorized(
    ctx: &Context,
    retry: bool,
    build: impl Fn(&Session) -> Result<HttpRequest>,
) -> Result<(HttpRequest, HttpResponse)> {
    let rt = ctx.runtime()?;
    let (session, _) = fresh_session(ctx, MIN_TTL, false)?;
    let (req, resp) = send_bound(ctx, &session, &build)?;
    if resp.status != 401 || !retry {
        return Ok((req, resp));
    }
    ctx.ui.detail(&format!(
        "{} answered 401: refreshing the session and trying once more",
        ctx.redact(req.url.as_str())
    ));
    let (session, _) = fresh_session(ctx, MIN_TTL, true)?;
    let req = with_dpop(
        &session,
        with_session_cert(build(&session)?, &session),
        None,
    )?;
    let resp = rt.block_on(ctx.http()?.send(req.clone()))?;
    Ok((req, resp))
}

/// `req` presenting the session's TLS client certificate, when it has none of its own:
/// a certificate-bound token (RFC 8705 §3) is accepted only with the certificate it is
/// bound to.
fn with_session_cert(mut req: HttpRequest, session: &Session) -> HttpRequest {
    if req.client_cert.is_none() {
        req.client_cert = session
            .client_cert
            .as_ref()
            .map(|c| crate::http::tls::ClientCert {
                cert: c.cert.clone().into(),
                key: c.key.clone().into(),
            });
    }
    req
}

/// Sends `build`'s request with `session` (and its DPoP proof); once more with the
/// server's nonce when a DPoP-bound request is answered 401 `use_dpop_nonce`.
fn send_bound(
    ctx: &Context,
    session: &Session,
    build: &dyn Fn(&Session) -> Result<HttpRequest>,
) -> Result<(HttpRequest, HttpResponse)> {
    let rt = ctx.runtime()?;
    let req = with_dpop(session, with_session_cert(build(session)?, session), None)?;
    let bound = req
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("dpop"));
    let resp = rt.block_on(ctx.http()?.send(req.clone()))?;
    let nonce = dpop::nonce_of(&resp.headers);
    match nonce {
        Some(n) if bound && resp.status == 401 && dpop::resource_wants_nonce(&resp.headers) => {
            ctx.ui.detail(&format!(
                "{} asked for a DPoP nonce: sending once more with it",
                ctx.redact(req.url.as_str())
            ));
            let req = with_dpop(
                session,
                with_session_cert(build(session)?, session),
                Some(&n),
            )?;
            let resp = rt.block_on(ctx.http()?.send(req.clone()))?;
            Ok((req, resp))
        }
        _ => Ok((req, resp)),
    }
}

/// Whether the session's access token is DPoP-bound (sent with the DPoP scheme).
pub fn dpop_bound(s: &Session) -> bool {
    s.dpop_key.is_some() && s.tokens.scheme() == "DPoP"
}

/// A DPoP proof for the request `method url` with the session's access token (`ath`, its
/// hash), for a script to send (`header`, `token --json`); `None` when the session is not
/// DPoP-bound.
pub fn dpop_proof_for(s: &Session, method: &str, url: &str) -> Result<Option<String>> {
    let Some(data) = s.dpop_key.as_ref().filter(|_| dpop_bound(s)) else {
        return Ok(None);
    };
    let parsed = url::Url::parse(url).map_err(|e| {
        Error::input(format!("--url `{url}` is not an absolute URL: {e}"))
            .with_hint("give the full URL of the request, e.g. --url https://api.example.com/v1/me")
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::input(format!("--url `{url}` is not an http(s) URL")));
    }
    let method = method.trim();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::input(format!(
            "--method `{method}` is not an HTTP method"
        )));
    }
    let key = DpopKey::from_data(data)?;
    key.proof(
        method,
        parsed.as_str(),
        None,
        Some(s.tokens.access_token.expose()),
        crate::clock::unix_now(),
    )
    .map(Some)
}

/// `req` as a DPoP-bound session sends it (RFC 9449 §7.1): the session's token with the
/// `DPoP` scheme and a proof for this method and URL (with `ath`). The user's own
/// Authorization, and a Bearer session's, are left as they are.
pub fn with_dpop(
    session: &Session,
    mut req: HttpRequest,
    nonce: Option<&str>,
) -> Result<HttpRequest> {
    let Some(data) = session.dpop_key.as_ref().filter(|_| dpop_bound(session)) else {
        return Ok(req);
    };
    let token = session.tokens.access_token.expose();
    let ours = [format!("Bearer {token}"), format!("DPoP {token}")];
    let mut bound = false;
    for (k, v) in req.headers.iter_mut() {
        if k.eq_ignore_ascii_case("authorization") && ours.contains(v) {
            *v = format!("DPoP {token}");
            bound = true;
        }
    }
    if !bound {
        return Ok(req);
    }
    let key = DpopKey::from_data(data)?;
    let proof = key.proof(
        req.method.as_str(),
        req.url.as_str(),
        nonce,
        Some(token),
        crate::clock::unix_now(),
    )?;
    req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("dpop"));
    req.headers.push(("DPoP".into(), proof));
    Ok(req)
}

/// A request to the API as `call` is asked for it.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub method: Method,
    /// A path relative to the provider's `api_base`, or a full URL.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// Whether a full URL may be on any host (else only on the provider's).
    pub any_host: bool,
}

impl ApiRequest {
    /// `-X METHOD`, else POST with a body and GET without.
    pub fn method(arg: Option<&str>, has_body: bool) -> Result<Method> {
        match arg {
            Some(m) => Method::from_bytes(m.trim().to_ascii_uppercase().as_bytes()).map_err(|_| {
                Error::usage(format!("-X {m} is not an HTTP method"))
                    .with_hint("use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS")
            }),
            None if has_body => Ok(Method::POST),
            None => Ok(Method::GET),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    }

    /// The user's own Authorization replaces the session's token (and is not retried).
    pub fn own_auth(&self) -> bool {
        self.has("authorization")
    }

    /// The HTTP request with the session's token.
    pub fn build(&self, provider: &Provider, session: &Session) -> Result<HttpRequest> {
        let url = resolve(provider, session, &self.target, self.any_host)?;
        let mut req = HttpRequest::new(self.method.clone(), url);
        req.client_cert = provider.client_cert();
        if !self.has("accept") {
            req = req.header("Accept", "application/json, */*;q=0.5");
        }
        if !self.own_auth() {
            req = req.header(
                "Authorization",
                &format!("Bearer {}", session.tokens.access_token.expose()),
            );
        }
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        if let Some(b) = &self.body {
            if !self.has("content-type") {
                let ct = if serde_json::from_slice::<serde_json::Value>(b).is_ok() {
                    "application/json"
                } else {
                    "application/x-www-form-urlencoded"
                };
                req = req.header("Content-Type", ct);
            }
            req.body = Some(b.clone());
        }
        Ok(req)
    }

    /// Sends it (see `send_authorized`; not retried with the user's own Authorization).
    pub fn send(&self, ctx: &Context, provider: &Provider) -> Result<(HttpRequest, HttpResponse)> {
        let relative = !is_absolute(&self.target);
        if relative && provider.spec.api_base.is_none() {
            return Err(no_api_base(provider, &self.target));
        }
        send_authorized(ctx, !self.own_auth(), |session| {
            self.build(provider, session)
        })
        .map_err(|e| {
            if relative && e.kind == ErrorKind::Network {
                let hint = format!(
                    "{}; the path was resolved against api_base {}",
                    e.hint.clone().unwrap_or_default(),
                    provider.spec.api_base.as_deref().unwrap_or("-")
                );
                e.with_hint(hint)
            } else {
                e
            }
        })
    }
}

/// The error for an API's answer other than 2xx, with a hint for its status.
pub fn refusal(
    ctx: &Context,
    provider: &Provider,
    req: &HttpRequest,
    resp: &HttpResponse,
) -> Error {
    let e = OAuthError::parse(provider, resp);
    let url = ctx.redact(req.url.as_str());
    let hint = match resp.status {
        401 => format!(
            "the server refused the access token even after a refresh: check the scopes of the session (`oauthctl inspect -p {}`), or log in again",
            provider.name
        ),
        403 => format!(
            "the token lacks a permission or scope: log in with the scope this resource needs (`oauthctl login -p {} --scope …`)",
            provider.name
        ),
        404 | 405 => format!(
            "check the method and the path: the request went to {url}"
        ),
        s if s >= 500 => "the API failed; try again later (--trace shows the exchange)".into(),
        _ => "the answer's body is above; --trace shows the whole exchange".into(),
    };
    Error::server(format!(
        "{} {url} answered {}: {}",
        req.method,
        status_text(resp.status),
        ctx.redact(&e.to_string())
    ))
    .with_hint(hint)
}

/// The request body: DATA, @FILE, or `-` (stdin).
pub fn read_data(d: &str) -> Result<Vec<u8>> {
    if d == "-" || d == "@-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::input(format!("cannot read the request body from stdin: {e}")))?;
        return Ok(buf);
    }
    if let Some(path) = d.strip_prefix('@') {
        return std::fs::read(path).map_err(|e| {
            Error::input(format!("cannot read the request body from {path}: {e}")).with_hint(
                "-d @FILE reads a file; to send a literal starting with @, use -d - and pipe it in",
            )
        });
    }
    Ok(d.as_bytes().to_vec())
}

fn is_absolute(target: &str) -> bool {
    let lower = target.get(..8).unwrap_or(target).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The origin of a URL: scheme, host and port.
fn origin(u: &url::Url) -> (String, Option<String>, Option<u16>) {
    (
        u.scheme().to_string(),
        u.host_str().map(str::to_ascii_lowercase),
        u.port_or_known_default(),
    )
}

/// A full URL as given, or a path joined to the provider's `api_base`.
pub fn resolve(
    provider: &Provider,
    session: &Session,
    target: &str,
    any_host: bool,
) -> Result<url::Url> {
    if !is_absolute(target) {
        return join_api_base(provider, target);
    }
    let u = url::Url::parse(target).map_err(|e| {
        Error::input(format!("`{target}` is not a URL: {e}"))
            .with_hint("give a path relative to the API base, or a full http(s) URL")
    })?;
    if any_host || on_own_host(provider, session, &u) {
        return Ok(u);
    }
    Err(Error::input(format!(
        "refusing to send the access token of {} to {}, which is not one of its hosts",
        provider.name,
        u.host_str().unwrap_or("?")
    ))
    .with_hint(
        "use a path relative to the provider's api_base, or pass --any-host if you trust that host with the token",
    ))
}

/// The token goes only where it belongs: the API, the provider's own hosts, or a URL
/// the token response named (Worksection's account_url).
fn on_own_host(provider: &Provider, session: &Session, u: &url::Url) -> bool {
    let mut allowed: Vec<String> = vec![];
    for k in ENDPOINT_KEYS.iter().chain(["api_base", "issuer"].iter()) {
        if let Some(v) = provider.spec.get_str(k) {
            allowed.push(v);
        }
    }
    for v in session.tokens.extra.values() {
        if let Some(s) = v.as_str() {
            allowed.push(s.to_string());
        }
    }
    allowed
        .iter()
        .filter_map(|a| url::Url::parse(a).ok())
        .any(|a| origin(&a) == origin(u))
}

fn join_api_base(provider: &Provider, target: &str) -> Result<url::Url> {
    let Some(base) = provider.spec.api_base.clone() else {
        return Err(no_api_base(provider, target));
    };
    let base = base.trim_end_matches('/');
    let joined = if target.is_empty() || target.starts_with('?') || target.starts_with('#') {
        format!("{base}{target}")
    } else {
        format!("{base}/{}", target.trim_start_matches('/'))
    };
    url::Url::parse(&joined).map_err(|e| {
        Error::input(format!(
            "`{joined}` (api_base + `{target}`) is not a URL: {e}"
        ))
        .with_hint("check the path, and api_base in the config file")
    })
}

fn no_api_base(provider: &Provider, target: &str) -> Error {
    Error::input(format!(
        "provider `{}` has no api_base to resolve `{target}` against",
        provider.name
    ))
    .with_hint(format!(
        "pass a full URL, or set `api_base = \"https://api.example.com\"` in the [providers.{}] table of the config file",
        provider.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use crate::store::TokenSet;

    fn provider(name: &str) -> Provider {
        Provider::from_preset(name).expect("a preset")
    }

    fn session() -> Session {
        Session {
            provider: "worksection".into(),
            profile: "default".into(),
            client_id: None,
            issuer: None,
            subject: None,
            tokens: TokenSet {
                access_token: Secret::new("at"),
                token_type: "bearer".into(),
                refresh_token: None,
                expires_at: None,
                scopes: vec![],
                id_token: None,
                extra: [(
                    "account_url".to_string(),
                    serde_json::json!("https://acme.worksection.com"),
                )]
                .into(),
                secret_extra: Default::default(),
                id_token_check: None,
            },
            obtained_at: 0,
            grant: Default::default(),
            client_assertion_key: None,
            client_cert: None,
            dpop_key: None,
        }
    }

    #[test]
    fn paths_resolve_against_api_base() {
        let s = session();
        let r = |p: &str, t: &str| resolve(&provider(p), &s, t, false).map(|u| u.to_string());
        assert_eq!(
            r("hub", "/api/user/teams").unwrap(),
            "https://hub.regardingwork.com/api/user/teams"
        );
        assert_eq!(
            r("chatwork", "me").unwrap(),
            "https://api.chatwork.com/v2/me"
        );
        assert_eq!(
            r("chatwork", "/rooms").unwrap(),
            "https://api.chatwork.com/v2/rooms"
        );
        assert_eq!(
            r("worksection", "?action=get_tasks").unwrap(),
            "https://worksection.com/api/oauth2?action=get_tasks"
        );
        let e = r("onboardbase", "/x").unwrap_err();
        assert!(e.message.contains("no api_base"), "{}", e.message);
        assert_eq!(e.exit_code(), 3);
    }

    #[test]
    fn full_urls_only_on_the_providers_hosts() {
        let s = session();
        let p = provider("worksection");
        assert!(resolve(&p, &s, "https://worksection.com/oauth2/resource", false).is_ok());
        assert!(resolve(&p, &s, "https://acme.worksection.com/api/oauth2", false).is_ok());
        let e = resolve(&p, &s, "https://evil.example/steal", false).unwrap_err();
        assert!(e.message.contains("evil.example"), "{}", e.message);
        assert!(resolve(&p, &s, "https://evil.example/steal", true).is_ok());
        // Another port is another origin.
        assert!(resolve(&p, &s, "https://worksection.com:8443/x", false).is_err());
    }
}
