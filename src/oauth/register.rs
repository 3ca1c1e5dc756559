//! Dynamic client registration (RFC 7591), and the restricted form some servers take
//! (Teamwork: only `client_name` and `redirect_uris`, from the provider's
//! `registration_fields`).

use reqwest::Method;
use serde_json::{json, Map, Value};

use super::error::OAuthError;
use crate::error::{Error, Result};
use crate::http::{Http, HttpRequest};
use crate::provider::Provider;
use crate::secret::Secret;

/// What to register.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub client_name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub grant_types: Vec<String>,
    /// RFC 7591 §3: an initial access token, sent as a bearer token.
    pub initial_access_token: Option<Secret>,
}

/// What the server registered.
#[derive(Debug, Clone)]
pub struct Registered {
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub token_endpoint_auth_method: Option<String>,
    pub redirect_uris: Vec<String>,
    /// The whole answer (holds the secret: redact before showing).
    pub response: Map<String, Value>,
}

/// The request body, and the metadata fields left out because the provider's
/// registration does not take them.
pub fn body(provider: &Provider, reg: &Registration) -> (Value, Vec<String>) {
    let mut fields = Map::new();
    fields.insert("client_name".into(), json!(reg.client_name));
    if !reg.redirect_uris.is_empty() {
        fields.insert("redirect_uris".into(), json!(reg.redirect_uris));
    }
    if !reg.grant_types.is_empty() {
        fields.insert("grant_types".into(), json!(reg.grant_types));
        // RFC 7591 §2.1: response_types to match the grant types.
        let code = reg.grant_types.iter().any(|g| g == "authorization_code");
        fields.insert(
            "response_types".into(),
            json!(if code { vec!["code"] } else { vec![] }),
        );
    }
    if !reg.scopes.is_empty() {
        fields.insert("scope".into(), json!(reg.scopes.join(" ")));
    }
    let mut dropped = Vec::new();
    if let Some(allowed) = &provider.spec.registration_fields {
        fields.retain(|k, _| {
            let keep = allowed.iter().any(|a| a == k);
            if !keep {
                dropped.push(k.clone());
            }
            keep
        });
    }
    (Value::Object(fields), dropped)
}

fn hint(provider: &Provider, e: &OAuthError) -> String {
    match e.error.as_str() {
        "invalid_redirect_uri" => format!(
            "the server refused a redirect URI: pass one it accepts with --redirect-uri{}",
            provider
                .spec
                .redirect_uri_schemes
                .as_ref()
                .map(|s| format!(" ({} only)", s.join("/")))
                .unwrap_or_default()
        ),
        "invalid_client_metadata" => {
            "the server refused a metadata field: drop or change the --grant-type/--scope it names".into()
        }
        "invalid_software_statement" | "unapproved_software_statement" => {
            "the server wants a software statement, which oauthctl does not send: register the client by hand".into()
        }
        "invalid_token" | "insufficient_scope" => {
            "the initial access token was refused: get a new one from the server's administrator and pass it with --token".into()
        }
        _ if matches!(e.status, 401 | 403) => {
            "the server requires an initial access token: pass it with --token @FILE (or env:VAR)".into()
        }
        _ => {
            let mut h = "--trace shows the exchange".to_string();
            if let Some(r) = &provider.spec.registration_hint {
                h = format!("{h}; {r}");
            }
            h
        }
    }
}

/// Sends the registration request to `endpoint`; a refusal becomes an `Error` (exit 5)
/// with the server's error and what to do.
pub async fn register(
    http: &Http,
    provider: &Provider,
    endpoint: &str,
    reg: &Registration,
) -> Result<Registered> {
    let url = url::Url::parse(endpoint).map_err(|e| {
        Error::input(format!(
            "registration_endpoint `{endpoint}` is not a URL: {e}"
        ))
    })?;
    let (doc, _) = body(provider, reg);
    let mut req = HttpRequest::new(Method::POST, url)
        .header("Accept", "application/json")
        .json(&doc);
    if let Some(t) = &reg.initial_access_token {
        req = req.header("Authorization", &format!("Bearer {}", t.expose()));
    }
    let resp = http.send(req).await?;
    if !resp.is_success() {
        let e = OAuthError::parse(provider, &resp);
        return Err(e
            .to_error(provider, "the registration request", "registration")
            .with_hint(hint(provider, &e)));
    }
    let obj = match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(o)) => o,
        _ => {
            return Err(Error::server(format!(
                "{} answered {} to the registration request, but not with a JSON object",
                provider.display_name(),
                resp.status
            ))
            .with_hint("the client may have been registered anyway: check with the server's administrator; --trace shows the answer"))
        }
    };
    let str_of = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    let Some(client_id) = str_of("client_id").filter(|s| !s.is_empty()) else {
        return Err(Error::server(format!(
            "the registration answer of {} has no client_id",
            provider.display_name()
        ))
        .with_hint("--trace shows the answer"));
    };
    let redirect_uris = obj
        .get("redirect_uris")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_else(|| reg.redirect_uris.clone());
    Ok(Registered {
        client_id,
        client_secret: str_of("client_secret")
            .filter(|s| !s.is_empty())
            .map(Secret::new),
        token_endpoint_auth_method: str_of("token_endpoint_auth_method"),
        redirect_uris,
        response: obj,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(name: &str) -> Provider {
        Provider::from_preset(name).expect("a preset")
    }

    fn reg() -> Registration {
        Registration {
            client_name: "My CLI".into(),
            redirect_uris: vec!["http://127.0.0.1:8765/callback".into()],
            scopes: vec!["openid".into(), "email".into()],
            grant_types: vec!["authorization_code".into(), "refresh_token".into()],
            initial_access_token: None,
        }
    }

    #[test]
    fn rfc7591_body_carries_every_field() {
        let (b, dropped) = body(&provider("hub"), &reg());
        assert!(dropped.is_empty());
        assert_eq!(b["client_name"], "My CLI");
        assert_eq!(b["redirect_uris"][0], "http://127.0.0.1:8765/callback");
        assert_eq!(b["scope"], "openid email");
        assert_eq!(b["grant_types"][1], "refresh_token");
        assert_eq!(b["response_types"][0], "code");
    }

    #[test]
    fn teamwork_takes_only_name_and_redirect_uris() {
        let (b, dropped) = body(&provider("teamwork"), &reg());
        let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["client_name", "redirect_uris"]);
        assert_eq!(dropped, ["grant_types", "response_types", "scope"]);
    }
}
