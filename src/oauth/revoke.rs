//! Token revocation (RFC 7009).

use super::client_auth::{build_request, ClientCredentials};
use super::error::OAuthError;
use crate::error::Result;
use crate::http::Http;
use crate::provider::Provider;
use crate::secret::Secret;

/// How a revocation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    /// The server accepted it (RFC 7009 §2.2: also for a token it did not know).
    Yes,
    /// The server does not revoke this type of token (`unsupported_token_type`).
    Unsupported,
}

/// Revokes `token` at `endpoint`; `hint` is `refresh_token` or `access_token`.
pub async fn revoke(
    http: &Http,
    provider: &Provider,
    endpoint: &str,
    token: &Secret,
    hint: &str,
    client: &ClientCredentials,
) -> Result<Revoked> {
    let params = vec![
        ("token".to_string(), token.expose().to_string()),
        ("token_type_hint".to_string(), hint.to_string()),
    ];
    let req = build_request(provider, endpoint, &params, client)?;
    let resp = http.send(req).await?;
    if resp.is_success() {
        return Ok(Revoked::Yes);
    }
    let e = OAuthError::parse(provider, &resp);
    if e.error == "unsupported_token_type" {
        return Ok(Revoked::Unsupported);
    }
    Err(e.to_error(provider, "the revocation request", "revocation"))
}

/// The methods the server lists in `revocation_endpoint_auth_methods_supported` when
/// the client's own method is not among them (a public client where only secrets are
/// accepted): the request would be refused, so it is not sent. `None` when the client
/// can authenticate, or when the server does not say (RFC 8414's default,
/// client_secret_basic, is not assumed: many servers that omit the list revoke a
/// public client's tokens).
pub fn unusable_auth(provider: &Provider) -> Option<Vec<String>> {
    let listed = provider
        .spec
        .revocation_endpoint_auth_methods_supported
        .as_ref()
        .filter(|m| !m.is_empty())?;
    let method = provider.auth_method();
    (!listed.iter().any(|m| m == method.as_str())).then(|| listed.clone())
}
