//! Client authentication: the one place where a request to a token-style endpoint
//! (token, refresh, revocation, introspection, device authorization) is built, with the
//! client authenticated as the provider says and its parameters where it wants them.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::Method;

use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::oauth::assertion::{self, AssertionKey, JWT_BEARER};
use crate::provider::{ClientAuth, ParamsIn, Provider};
use crate::secret::Secret;

/// The client's credentials.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: Option<Secret>,
}

impl ClientCredentials {
    /// The provider's client: `client_id` and, when its auth method needs one, the secret.
    pub fn from_provider(provider: &Provider) -> Result<ClientCredentials> {
        let client_id = provider.require_client_id()?;
        let client_secret = provider.client_secret();
        if provider.needs_client_secret() && client_secret.is_none() {
            return Err(Error::input(format!(
                "provider `{}` authenticates its client with {} but has no client secret",
                provider.name,
                provider.auth_method()
            ))
            .with_hint(format!(
                "set `client_secret_env = \"VAR\"` (or `client_secret`) in the [providers.{}] table of the config file, or OAUTHCTL_{}_CLIENT_SECRET",
                provider.name,
                crate::provider::env_prefix(&provider.name)
            )));
        }
        Ok(ClientCredentials {
            client_id,
            client_secret,
        })
    }
}

fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The `aud` of a client assertion: the token endpoint (OpenID Connect Core §9), whatever
/// endpoint is called; the endpoint called when the token endpoint is not known.
fn assertion_audience(provider: &Provider, endpoint: &str) -> String {
    provider
        .spec
        .token_endpoint
        .clone()
        .unwrap_or_else(|| endpoint.to_string())
}

/// Builds a token-endpoint-style request (token, refresh, revocation, device…):
/// a POST of `params` to `endpoint` with the client authenticated as the provider says.
pub fn build_request(
    provider: &Provider,
    endpoint: &str,
    params: &[(String, String)],
    client: &ClientCredentials,
) -> Result<HttpRequest> {
    let mut url = url::Url::parse(endpoint)
        .map_err(|e| Error::input(format!("endpoint `{endpoint}` is not a URL: {e}")))?;
    let secret = || {
        client.client_secret.as_ref().ok_or_else(|| {
            Error::input(format!(
                "provider `{}` authenticates its client with {} but has no client secret",
                provider.name,
                provider.auth_method()
            ))
            .with_hint(format!(
                "set `client_secret_env` (or `client_secret`) in the [providers.{}] table of the config file",
                provider.name
            ))
        })
    };
    let mut headers: Vec<(String, String)> = vec![("Accept".into(), "application/json".into())];
    // Client credentials that go in front of the grant's parameters.
    let mut cred_params: Vec<(String, String)> = Vec::new();
    let mut cred_in_query = false;
    match provider.auth_method() {
        // RFC 8705 §2: the certificate authenticates; `client_id` names the client.
        ClientAuth::None | ClientAuth::TlsClientAuth | ClientAuth::SelfSignedTlsClientAuth => {
            cred_params.push(("client_id".into(), client.client_id.clone()))
        }
        ClientAuth::ClientSecretPost => {
            cred_params.push(("client_id".into(), client.client_id.clone()));
            cred_params.push(("client_secret".into(), secret()?.expose().to_string()));
        }
        ClientAuth::ClientSecretQuery => {
            cred_params.push(("client_id".into(), client.client_id.clone()));
            cred_params.push(("client_secret".into(), secret()?.expose().to_string()));
            cred_in_query = true;
        }
        ClientAuth::ClientSecretBasic => {
            // RFC 6749 §2.3.1: each part form-urlencoded, then Basic.
            let pair = format!(
                "{}:{}",
                form_encode(&client.client_id),
                form_encode(secret()?.expose())
            );
            headers.push((
                "Authorization".into(),
                format!("Basic {}", STANDARD.encode(pair)),
            ));
        }
        ClientAuth::ClientSecretJwt => {
            // RFC 7523 §2.2 with HS256 over the secret, addressed like private_key_jwt.
            let jwt = assertion::sign_with_secret(
                secret()?,
                &client.client_id,
                &assertion_audience(provider, endpoint),
                crate::clock::unix_now(),
            )?;
            cred_params.push(("client_id".into(), client.client_id.clone()));
            cred_params.push(("client_assertion_type".into(), JWT_BEARER.into()));
            cred_params.push(("client_assertion".into(), jwt));
        }
        ClientAuth::PrivateKeyJwt => {
            // RFC 7523 §2.2: a fresh assertion for every request, addressed to the
            // token endpoint (OpenID Connect Core §9) whatever endpoint is called.
            let path = provider.spec.client_assertion_key.as_deref().ok_or_else(|| {
                Error::input(format!(
                    "provider `{}` authenticates its client with private_key_jwt but has no key",
                    provider.name
                ))
                .with_hint(format!(
                    "pass --client-assertion-key FILE (an RS256 or ES256 private key in PEM), or set `client_assertion_key` in the [providers.{}] table of the config file",
                    provider.name
                ))
            })?;
            let key = AssertionKey::load(path)?;
            let jwt = key.sign(
                &client.client_id,
                &assertion_audience(provider, endpoint),
                provider.spec.client_assertion_kid.as_deref(),
                crate::clock::unix_now(),
            )?;
            cred_params.push(("client_id".into(), client.client_id.clone()));
            cred_params.push(("client_assertion_type".into(), JWT_BEARER.into()));
            cred_params.push(("client_assertion".into(), jwt));
        }
    }
    // Mutual TLS (RFC 8705): the certificate authenticates a tls_client_auth client, and
    // binds the tokens of any client that has one.
    let client_cert = if provider.auth_method().uses_certificate() {
        Some(provider.require_client_cert()?)
    } else {
        provider.client_cert()
    };
    let params_in_query = provider.spec.token_request_params == Some(ParamsIn::Query);
    let mut query: Vec<(String, String)> = Vec::new();
    let mut body: Vec<(String, String)> = Vec::new();
    if cred_in_query || params_in_query {
        query.extend(cred_params);
    } else {
        body.extend(cred_params);
    }
    if params_in_query {
        query.extend(params.iter().cloned());
    } else {
        body.extend(params.iter().cloned());
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(&query);
    }
    let mut req = HttpRequest::new(Method::POST, url);
    req.headers = headers;
    req.client_cert = client_cert;
    if body.is_empty() {
        // An explicit empty body, so that `Content-Length: 0` is sent.
        req.body = Some(Vec::new());
        Ok(req)
    } else {
        Ok(req.form(&body))
    }
}
