//! The authorization request URL, built from the provider's data.

use std::net::{Ipv4Addr, TcpListener};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::pkce;
use crate::error::{Error, Result};
use crate::provider::{Endpoint, Provider};
use crate::secret::Secret;

/// Query values keep `-._~` (unreserved) and `:,/` readable; everything else is encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b',')
    .remove(b'/');

#[derive(Debug, Clone, Default)]
pub struct AuthorizeOptions {
    pub client_id: String,
    pub redirect_uri: String,
    /// Scopes to request instead of the provider's.
    pub scopes: Option<Vec<String>>,
    /// Raw parameters added, or replacing the built ones.
    pub extra: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    pub url: url::Url,
    pub state: String,
    pub verifier: Option<Secret>,
    pub challenge: Option<String>,
    /// The OpenID Connect `nonce` (sent when the scope holds `openid`), which the ID
    /// token must carry back.
    pub nonce: Option<String>,
    pub redirect_uri: String,
    pub params: Vec<(String, String)>,
    /// The signed request object (JAR, RFC 9101) that carries `params`, when one is sent.
    pub request_object: Option<String>,
}

impl AuthorizeRequest {
    /// The `response_mode` sent (from the config, `--response-mode` or `--param`).
    pub fn response_mode(&self) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == "response_mode")
            .map(|(_, v)| v.as_str())
    }

    /// Whether the response comes back as a JWT (JARM) that must be verified first.
    pub fn expects_jarm(&self) -> bool {
        self.response_mode().is_some_and(|m| m.ends_with("jwt"))
    }
}

/// The OpenID Connect scope that asks for a refresh token.
pub const OFFLINE_ACCESS: &str = "offline_access";

/// Why no refresh token came back although `requested` held `offline_access` (None when
/// one came, or it was not asked for). `prompt`: the prompt the authorization request
/// carried (oauthctl sends `consent` unless one is given).
pub fn missing_refresh_token(
    requested: &[String],
    tokens: &crate::store::TokenSet,
    prompt: Option<&str>,
) -> Option<String> {
    if tokens.refresh_token.is_some() || !requested.iter().any(|s| s == OFFLINE_ACCESS) {
        return None;
    }
    let granted = tokens.scopes.iter().any(|s| s == OFFLINE_ACCESS);
    let likely = match prompt {
        Some(p) if !p.split(' ').any(|x| x == "consent") => format!(
            "the authorization request carried prompt={p} instead of prompt=consent, and servers drop offline_access without it (OpenID Connect Core §11): log in again without --param prompt={p}"
        ),
        _ if granted => "the server granted offline_access but issues no refresh token to this client: its registration may not allow refresh tokens (the refresh_token grant)".to_string(),
        _ => "the server did not grant offline_access: the client may not be allowed offline access (or refresh tokens) in its registration at the server, or the user did not consent to it".to_string(),
    };
    Some(format!(
        "offline_access was requested but no refresh token came back{}; likely reason: {likely}; the session needs a new login when the access token expires",
        if granted { "" } else { " (offline_access is not among the granted scopes)" }
    ))
}

/// Builds the URL: response_type, client_id, redirect_uri, scope (with the provider's
/// parameter name and separator), state, a nonce when the scope holds `openid`, and
/// PKCE S256 unless the provider does not support it; then `extra`, each replacing a
/// parameter of the same name; `prompt=consent` with `offline_access` unless a prompt
/// is given.
pub fn build(provider: &Provider, opts: &AuthorizeOptions) -> Result<AuthorizeRequest> {
    let endpoint = provider.require_endpoint(Endpoint::Authorization)?;
    let mut url = url::Url::parse(&endpoint).map_err(|e| {
        Error::input(format!(
            "authorization_endpoint `{endpoint}` is not a URL: {e}"
        ))
    })?;
    let state = pkce::state();
    let mut params: Vec<(String, String)> = vec![
        ("response_type".into(), "code".into()),
        ("client_id".into(), opts.client_id.clone()),
        ("redirect_uri".into(), opts.redirect_uri.clone()),
    ];
    let scopes = opts.scopes.clone().unwrap_or_else(|| provider.scopes());
    if !scopes.is_empty() {
        params.push((
            provider.scope_param().to_string(),
            scopes.join(provider.scope_separator()),
        ));
    }
    params.push(("state".into(), state.clone()));
    // OpenID Connect Core 3.1.2.1: binds the ID token to this request.
    if scopes.iter().any(|s| s == "openid") {
        params.push(("nonce".into(), pkce::nonce()));
    }
    let (verifier, challenge) = if provider.uses_pkce() {
        let v = pkce::verifier();
        let c = pkce::challenge_s256(v.expose());
        params.push(("code_challenge".into(), c.clone()));
        params.push(("code_challenge_method".into(), "S256".into()));
        (Some(v), Some(c))
    } else {
        (None, None)
    };
    if let Some(m) = provider.spec.response_mode {
        params.push(("response_mode".into(), m.as_str().into()));
    }
    for (k, v) in &opts.extra {
        if let Some(slot) = params.iter_mut().find(|(pk, _)| pk == k) {
            slot.1 = v.clone();
        } else {
            params.push((k.clone(), v.clone()));
        }
    }
    // OpenID Connect Core §11: a request for offline_access must carry prompt=consent,
    // or servers drop the scope (and issue no refresh token).
    if scopes.iter().any(|s| s == OFFLINE_ACCESS) && !params.iter().any(|(k, _)| k == "prompt") {
        params.push(("prompt".into(), "consent".into()));
    }
    // Keep any query the endpoint already has, then append ours.
    let mut query = url.query().map(str::to_string).unwrap_or_default();
    for (k, v) in &params {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&utf8_percent_encode(k, QUERY_VALUE).to_string());
        query.push('=');
        query.push_str(&utf8_percent_encode(v, QUERY_VALUE).to_string());
    }
    url.set_query(Some(&query));
    // An overridden state or challenge is what was sent.
    let sent = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    Ok(AuthorizeRequest {
        url,
        state: sent("state").unwrap_or(state),
        verifier,
        challenge: sent("code_challenge").or(challenge),
        nonce: sent("nonce"),
        redirect_uri: sent("redirect_uri").unwrap_or_else(|| opts.redirect_uri.clone()),
        params,
        request_object: None,
    })
}

/// The redirect URI `login` will use: `--redirect-uri`, else the provider's, else a
/// loopback URI on `--port` or a free port (RFC 8252 §7.3).
pub fn redirect_uri(
    provider: &Provider,
    flag_uri: Option<&str>,
    port: Option<u16>,
) -> Result<String> {
    let uri = match (flag_uri, &provider.spec.redirect_uri) {
        (Some(u), _) => u.to_string(),
        (None, Some(u)) => match port {
            Some(p) => with_port(u, p)?,
            None => u.clone(),
        },
        (None, None) => {
            if let Some(schemes) = &provider.spec.redirect_uri_schemes {
                if !schemes.iter().any(|s| s == "http") {
                    return Err(Error::input(format!(
                        "{} accepts only {} redirect URIs, so a loopback listener cannot be used",
                        provider.display_name(),
                        schemes.join("/")
                    ))
                    .with_hint(format!(
                        "set `redirect_uri` to the https URI registered with {} in the [providers.{}] table, or pass --redirect-uri",
                        provider.display_name(),
                        provider.name
                    )));
                }
            }
            let port = match port {
                Some(p) => p,
                None => free_port()?,
            };
            format!("http://127.0.0.1:{port}/callback")
        }
    };
    url::Url::parse(&uri).map_err(|e| {
        Error::input(format!("redirect URI `{uri}` is not a URL: {e}"))
            .with_hint("write it like http://127.0.0.1:8765/callback")
    })?;
    Ok(uri)
}

fn with_port(uri: &str, port: u16) -> Result<String> {
    let mut u = url::Url::parse(uri)
        .map_err(|e| Error::input(format!("redirect URI `{uri}` is not a URL: {e}")))?;
    u.set_port(Some(port))
        .map_err(|_| Error::input(format!("cannot set port {port} on redirect URI `{uri}`")))?;
    Ok(u.to_string())
}

/// A free port on 127.0.0.1, chosen by the OS.
pub fn free_port() -> Result<u16> {
    let no_port =
        |e: std::io::Error| Error::internal(format!("cannot find a free loopback port: {e}"));
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(no_port)?;
    Ok(l.local_addr().map_err(no_port)?.port())
}
