//! Pushed authorization requests (RFC 9126): the authorization request's parameters are
//! POSTed to the server's `pushed_authorization_request_endpoint` with the client
//! authenticated as at the token endpoint (`client_auth::build_request`, so every
//! client authentication method works), and the browser gets a short URL with only
//! `client_id` and the `request_uri` the server answered. A refused push is explained
//! like a refused token request (`support::diagnose`). Never prints.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::oauth::authorize::AuthorizeRequest;
use crate::oauth::client_auth::{self, ClientCredentials};
use crate::oauth::error::OAuthError;
use crate::provider::{ClientAuth, Endpoint, Provider};
use crate::support::diagnose;

/// What the server answered to a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// Where the request was pushed.
    pub endpoint: String,
    /// The reference the browser's URL carries instead of the parameters.
    pub request_uri: String,
    /// How long the reference is valid, in seconds.
    pub expires_in: Option<u64>,
}

/// Whether this login pushes: asked for (`--par`), or required by the server's metadata
/// or the config (`require_pushed_authorization_requests = true`).
pub fn wanted(provider: &Provider, asked: bool) -> bool {
    asked || provider.requires_par()
}

/// The pushed authorization request endpoint, or an error that says how to set it.
pub fn endpoint(provider: &Provider) -> Result<String> {
    provider
        .spec
        .pushed_authorization_request_endpoint
        .clone()
        .ok_or_else(|| {
            Error::input(format!(
                "provider `{}` has no pushed_authorization_request_endpoint, so the authorization request cannot be pushed (PAR, RFC 9126)",
                provider.name
            ))
            .with_hint(format!(
                "set `pushed_authorization_request_endpoint` in the [providers.{}] table of the config file (or an `issuer` whose discovery names it), or log in without --par",
                provider.name
            ))
        })
}

/// Pushes `request` and turns its URL into the short one: the authorization endpoint
/// with `client_id` and `request_uri` only. The parameters stay in `request.params`.
pub async fn push(
    http: &Http,
    provider: &Provider,
    client: &ClientCredentials,
    request: &mut AuthorizeRequest,
) -> Result<Pushed> {
    let endpoint = endpoint(provider)?;
    let client_id = request
        .params
        .iter()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| client.client_id.clone());
    // A signed request object (RFC 9101) carries the parameters (RFC 9126 §3).
    let mut params: Vec<(String, String)> = match &request.request_object {
        Some(jwt) => vec![
            ("client_id".to_string(), client_id.clone()),
            ("request".to_string(), jwt.clone()),
        ],
        None => request.params.clone(),
    };
    // The client authentication adds client_id itself, except with Basic.
    if provider.auth_method() != ClientAuth::ClientSecretBasic {
        params.retain(|(k, _)| k != "client_id");
    }
    let req = client_auth::build_request(provider, &endpoint, &params, client)?;
    let resp = http.send(req).await?;
    if !resp.is_success() {
        let oauth = OAuthError::parse(provider, &resp);
        return Err(diagnose::pushed_request_refusal(provider, &oauth));
    }
    let body: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    let Some(request_uri) = body.get("request_uri").and_then(Value::as_str) else {
        return Err(Error::server(format!(
            "{} answered the pushed authorization request (HTTP {}) without a `request_uri` (not an RFC 9126 answer)",
            provider.display_name(),
            resp.status
        ))
        .with_hint("check pushed_authorization_request_endpoint in the config file; --trace shows the answer"));
    };
    let pushed = Pushed {
        endpoint,
        request_uri: request_uri.to_string(),
        expires_in: body.get("expires_in").and_then(Value::as_u64),
    };
    request.url = short_url(provider, &client_id, &pushed.request_uri)?;
    Ok(pushed)
}

/// The authorization endpoint (its own query kept) with `client_id` and `request_uri`.
fn short_url(provider: &Provider, client_id: &str, request_uri: &str) -> Result<url::Url> {
    let endpoint = provider.require_endpoint(Endpoint::Authorization)?;
    let mut url = url::Url::parse(&endpoint).map_err(|e| {
        Error::input(format!(
            "authorization_endpoint `{endpoint}` is not a URL: {e}"
        ))
    })?;
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("request_uri", request_uri);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_url_has_only_client_id_and_request_uri() {
        let mut p = Provider::from_preset("hub").unwrap();
        p.spec.authorization_endpoint = Some("https://as.example/authorize?tenant=t1".into());
        let u = short_url(&p, "cid", "urn:ietf:params:oauth:request_uri:abc").unwrap();
        assert_eq!(
            u.as_str(),
            "https://as.example/authorize?tenant=t1&client_id=cid&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc"
        );
        assert!(!wanted(&p, false));
        assert!(wanted(&p, true));
        p.spec.require_pushed_authorization_requests = Some(true);
        assert!(wanted(&p, false));
        let e = endpoint(&p).unwrap_err();
        assert!(e.message.contains("pushed_authorization_request_endpoint"));
        assert_eq!(e.exit_code(), 3);
    }
}
