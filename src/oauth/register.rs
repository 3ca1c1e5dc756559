//! Dynamic client registration (RFC 7591), and the restricted form some servers take
//! (Teamwork: only `client_name` and `redirect_uris`, from the provider's
//! `registration_fields`).

use reqwest::Method;
use serde_json::{json, Map, Value};

use super::error::OAuthError;
use crate::error::{Error, Result};
use crate::http::{Http, HttpRequest};
use crate::provider::{ClientAuth, Provider};
use crate::redact;
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

impl Registration {
    /// A registration of `client_name`; `scopes` may hold several space-separated scopes
    /// each; `token` is where the initial access token is read from
    /// ([`read_initial_access_token`]).
    pub fn new(
        client_name: &str,
        redirect_uris: Vec<String>,
        scopes: &[String],
        grant_types: &[String],
        token: Option<&str>,
    ) -> Result<Registration> {
        for u in &redirect_uris {
            url::Url::parse(u).map_err(|e| {
                Error::input(format!("--redirect-uri `{u}` is not an absolute URI: {e}"))
                    .with_hint("write it like http://127.0.0.1:8765/callback")
            })?;
        }
        Ok(Registration {
            client_name: client_name.to_string(),
            redirect_uris,
            scopes: crate::provider::scope_flags(scopes).unwrap_or_default(),
            grant_types: grant_types.to_vec(),
            initial_access_token: token.map(read_initial_access_token).transpose()?,
        })
    }

    /// The redirect URIs to register: those `given`, else the provider's (or the
    /// loopback one on `port`) when the client uses the authorization code grant (the
    /// default when no grant type is given), else none.
    pub fn redirect_uris(
        provider: &Provider,
        given: &[String],
        grant_types: &[String],
        port: Option<u16>,
    ) -> Result<Vec<String>> {
        let code_flow =
            grant_types.is_empty() || grant_types.iter().any(|g| g == "authorization_code");
        Ok(if !given.is_empty() {
            given.to_vec()
        } else if code_flow {
            vec![super::authorize::redirect_uri(provider, None, port)?]
        } else {
            Vec::new()
        })
    }
}

impl Registered {
    /// The client authentication method to configure for the registered client: the
    /// server's answer, else RFC 7591 §2's default (`client_secret_basic` with a secret,
    /// `none` without) when `current` is of the other kind; `None` to keep `current`.
    pub fn auth_method(&self, current: ClientAuth) -> Option<String> {
        self.token_endpoint_auth_method
            .clone()
            .or_else(|| match (&self.client_secret, current) {
                (Some(_), ClientAuth::None) => Some(ClientAuth::ClientSecretBasic.to_string()),
                (None, m) if m != ClientAuth::None => Some(ClientAuth::None.to_string()),
                _ => None,
            })
    }

    /// The server's answer as shown: secrets other than `client_secret` (which is shown
    /// or not on its own) masked unless `show_secrets`.
    pub fn shown_response(&self, show_secrets: bool) -> Map<String, Value> {
        let mut response = Map::new();
        for (k, v) in &self.response {
            let secret =
                k != "client_secret" && redact::SECRET_KEYS.contains(&k.as_str()) && !show_secrets;
            response.insert(
                k.clone(),
                match v {
                    Value::String(s) if secret => Value::String(redact::mask(s)),
                    other => other.clone(),
                },
            );
        }
        response
    }
}

/// `e`, a failure after the client was registered, with a hint saying so.
pub fn registered_anyway(e: Error, provider: &Provider, client_id: &str, what: &str) -> Error {
    let hint = format!(
        "{}; the client `{client_id}` was registered at {} but {what}: register again once this is fixed",
        e.hint.clone().unwrap_or_default(),
        provider.display_name()
    );
    e.with_hint(hint)
}

/// The registration endpoint, or an error saying how the client can be registered.
pub fn endpoint(provider: &Provider) -> Result<String> {
    if let Some(e) = &provider.spec.registration_endpoint {
        return Ok(e.clone());
    }
    let how = provider
        .spec
        .registration_hint
        .clone()
        .unwrap_or_else(|| "register the client by hand at the provider".into());
    Err(Error::input(format!(
        "{} has no registration endpoint: its clients cannot be registered by oauthctl",
        provider.display_name()
    ))
    .with_hint(format!(
        "{how}; then set client_id in the [providers.{}] table of the config file (or set registration_endpoint there if the server has one)",
        provider.name
    )))
}

/// The warning to give when the provider's registration does not take every field of
/// `reg`: `None` when it takes them all.
pub fn dropped_fields_warning(provider: &Provider, reg: &Registration) -> Option<String> {
    let (_, dropped) = body(provider, reg);
    if dropped.is_empty() {
        return None;
    }
    Some(format!(
        "{} registers only {}: not sending {}",
        provider.display_name(),
        provider
            .spec
            .registration_fields
            .clone()
            .unwrap_or_default()
            .join(", "),
        dropped.join(", ")
    ))
}

/// The initial access token of `--token`: @FILE, env:VAR, `-` (stdin), or the token
/// itself; a leading `Bearer ` is dropped.
pub fn read_initial_access_token(src: &str) -> Result<Secret> {
    let (raw, from) = crate::secret::from_arg(src, "--token")?;
    let t = raw.expose();
    let t = match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => t[7..].trim(),
        _ => t,
    };
    if t.is_empty() || t.chars().any(char::is_whitespace) {
        return Err(Error::input(format!(
            "the initial access token from {from} is empty or has spaces in it"
        ))
        .with_hint("give only the token"));
    }
    Ok(Secret::new(t))
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

    fn registered(secret: Option<&str>, method: Option<&str>) -> Registered {
        Registered {
            client_id: "new".into(),
            client_secret: secret.map(Secret::new),
            token_endpoint_auth_method: method.map(str::to_string),
            redirect_uris: Vec::new(),
            response: Map::new(),
        }
    }

    #[test]
    fn the_registered_method_is_the_servers_else_rfc7591s_default() {
        // The server's answer wins, whatever it is.
        let r = registered(Some("s"), Some("client_secret_post"));
        assert_eq!(
            r.auth_method(ClientAuth::None).as_deref(),
            Some("client_secret_post")
        );
        // A secret for a client configured as public: HTTP Basic (RFC 7591 §2).
        let r = registered(Some("s"), None);
        assert_eq!(
            r.auth_method(ClientAuth::None).as_deref(),
            Some("client_secret_basic")
        );
        assert_eq!(r.auth_method(ClientAuth::ClientSecretPost), None);
        // No secret for a client configured as confidential: a public client.
        let r = registered(None, None);
        assert_eq!(
            r.auth_method(ClientAuth::ClientSecretBasic).as_deref(),
            Some("none")
        );
        assert_eq!(r.auth_method(ClientAuth::None), None);
    }

    #[test]
    fn the_shown_response_masks_secrets_but_the_client_secret() {
        let mut r = registered(Some("the-secret"), None);
        r.response
            .insert("client_secret".into(), json!("the-secret"));
        r.response
            .insert("registration_access_token".into(), json!("rat-0123456789"));
        let shown = r.shown_response(false);
        assert_eq!(shown["client_secret"], "the-secret");
        assert_ne!(shown["registration_access_token"], "rat-0123456789");
        assert_eq!(
            r.shown_response(true)["registration_access_token"],
            "rat-0123456789"
        );
    }
}
