//! Token introspection (RFC 7662).

use serde_json::{Map, Value};

use super::client_auth::{build_request, ClientCredentials};
use super::error::OAuthError;
use crate::error::{Error, Result};
use crate::http::Http;
use crate::provider::Provider;
use crate::secret::Secret;

/// Asks `endpoint` about `token` (`hint`: `access_token` or `refresh_token`), the
/// client authenticated as for token requests. Returns the server's answer, which has
/// a boolean `active` (RFC 7662 §2.2).
pub async fn introspect(
    http: &Http,
    provider: &Provider,
    endpoint: &str,
    token: &Secret,
    hint: Option<&str>,
    client: &ClientCredentials,
) -> Result<Map<String, Value>> {
    let mut params = vec![("token".to_string(), token.expose().to_string())];
    if let Some(h) = hint {
        params.push(("token_type_hint".to_string(), h.to_string()));
    }
    let req = build_request(provider, endpoint, &params, client)?;
    let resp = http.send(req).await?;
    if !resp.is_success() {
        let e = OAuthError::parse(provider, &resp);
        let mut err = e.to_error(provider, "the introspection request", "introspection");
        if e.error == "unsupported_token_type" {
            err = err.with_hint(format!(
                "{} does not introspect this kind of token (often a JWT access token, which it expects to be checked locally): `oauthctl decode TOKEN --verify -p {}` checks a JWT's signature and claims",
                provider.display_name(),
                provider.name
            ));
        } else if resp.status == 401 || e.error == "invalid_client" {
            err = err.with_hint(format!(
                "introspection needs a client the server trusts: check client_id and the client secret of [providers.{}] (now {})",
                provider.name,
                provider.auth_method()
            ));
        }
        return Err(err);
    }
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(o)) if o.get("active").is_some_and(Value::is_boolean) => Ok(o),
        _ => Err(Error::server(format!(
            "{} answered the introspection request without a boolean `active` (not an RFC 7662 answer)",
            provider.display_name()
        ))
        .with_hint("check introspection_endpoint in the config file; --trace shows the answer")),
    }
}
