//! Token requests and responses, with the provider's quirks applied from its data.
//!
//! `build_request` turns a grant's parameters into the HTTP request the provider
//! expects (client authentication method, parameters in the body or the query string);
//! `parse_response` turns any answer into a normalised `TokenSet` or one `OAuthError`,
//! whatever the provider's envelope, field names or error format.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::Method;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::http::{Http, HttpRequest, HttpResponse};
use crate::oauth::assertion::{AssertionKey, JWT_BEARER};
use crate::provider::Provider;
use crate::secret::Secret;
use crate::store::TokenSet;

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
        "none" => cred_params.push(("client_id".into(), client.client_id.clone())),
        "client_secret_post" => {
            cred_params.push(("client_id".into(), client.client_id.clone()));
            cred_params.push(("client_secret".into(), secret()?.expose().to_string()));
        }
        "client_secret_query" => {
            cred_params.push(("client_id".into(), client.client_id.clone()));
            cred_params.push(("client_secret".into(), secret()?.expose().to_string()));
            cred_in_query = true;
        }
        "client_secret_basic" => {
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
        "private_key_jwt" => {
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
            let audience = provider
                .spec
                .token_endpoint
                .clone()
                .unwrap_or_else(|| endpoint.to_string());
            let jwt = key.sign(
                &client.client_id,
                &audience,
                provider.spec.client_assertion_kid.as_deref(),
                crate::store::unix_now(),
            )?;
            cred_params.push(("client_id".into(), client.client_id.clone()));
            cred_params.push(("client_assertion_type".into(), JWT_BEARER.into()));
            cred_params.push(("client_assertion".into(), jwt));
        }
        other => {
            return Err(Error::input(format!(
            "token_endpoint_auth_method `{other}` of provider `{}` is not supported by oauthctl",
            provider.name
        ))
            .with_hint("use none, client_secret_basic, client_secret_post, client_secret_query or private_key_jwt"))
        }
    }
    let params_in_query = provider.spec.token_request_params.as_deref() == Some("query");
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
    if body.is_empty() {
        // An explicit empty body, so that `Content-Length: 0` is sent.
        req.body = Some(Vec::new());
        Ok(req)
    } else {
        Ok(req.form(&body))
    }
}

/// Where an error answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    /// RFC 6749 §5.2 `{error, error_description, error_uri}`.
    Rfc6749,
    /// `{data: null, errors: [{message, code}]}` (Onboardbase).
    ErrorsArray,
    /// A `WWW-Authenticate` header.
    WwwAuthenticate,
    /// An HTML page (a login page, a proxy's error page).
    Html,
    /// Anything else, or a success status without the token.
    Unusable,
}

/// One error model for every way a server says no.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthError {
    pub status: u16,
    /// The OAuth error code (`invalid_grant`…), or `http_<status>` when there is none.
    pub error: String,
    pub description: Option<String>,
    pub uri: Option<String>,
    /// The numeric code of the `errors_array` format.
    pub code: Option<i64>,
    pub format: ErrorFormat,
    /// The raw body, for diagnosis (may hold secrets: redact before showing).
    pub body: String,
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)?;
        if let Some(c) = self.code {
            write!(f, " ({c})")?;
        }
        if let Some(d) = &self.description {
            if d != &self.error {
                write!(f, ": {d}")?;
            }
        }
        Ok(())
    }
}

fn value_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn str_field(o: &Map<String, Value>, k: &str) -> Option<String> {
    o.get(k).and_then(value_str)
}

/// The `<title>` and the start of the text of an HTML page.
pub fn html_excerpt(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|s| {
        let open_end = s + lower[s..].find('>')? + 1;
        let close = open_end + lower[open_end..].find("</title")?;
        Some(html[open_end..close].trim().to_string())
    });
    // Text without tags, scripts and styles.
    let mut text = String::new();
    let mut rest = html;
    let mut rest_lower = lower.as_str();
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        text.push(' ');
        let skip_block = ["<script", "<style", "<title"]
            .iter()
            .find(|t| rest_lower[lt..].starts_with(*t))
            .map(|t| format!("</{}", &t[1..]));
        let end = match skip_block {
            Some(close) => rest_lower[lt..]
                .find(&close)
                .and_then(|c| rest_lower[lt + c..].find('>').map(|g| lt + c + g + 1)),
            None => rest_lower[lt..].find('>').map(|g| lt + g + 1),
        };
        let Some(end) = end else { break };
        rest = &rest[end..];
        rest_lower = &rest_lower[end..];
    }
    if !rest.contains('<') {
        text.push_str(rest);
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut body = words.join(" ");
    if let Some(t) = &title {
        if body.starts_with(t.as_str()) {
            body = body[t.len()..].trim_start().to_string();
        }
    }
    let body: String = if body.chars().count() > 300 {
        format!("{}…", body.chars().take(300).collect::<String>())
    } else {
        body
    };
    match (title, body.is_empty()) {
        (Some(t), true) => format!("\"{t}\""),
        (Some(t), false) => format!("\"{t}\": {body}"),
        (None, _) => body,
    }
}

/// The parameters of a `WWW-Authenticate: Bearer k="v", …` header.
fn parse_www_authenticate(h: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let rest = match h.split_once(' ') {
        Some((_scheme, rest)) => rest,
        None => return out,
    };
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = chars
            .by_ref()
            .take_while(|c| *c != '=')
            .collect::<String>()
            .trim()
            .to_string();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek() {
                if *c == ',' {
                    break;
                }
                value.push(*c);
                chars.next();
            }
        }
        out.insert(key.to_ascii_lowercase(), value.trim().to_string());
    }
    out
}

impl OAuthError {
    fn new(status: u16, error: String, format: ErrorFormat, body: &str) -> Self {
        OAuthError {
            status,
            error,
            description: None,
            uri: None,
            code: None,
            format,
            body: body.to_string(),
        }
    }

    /// Reads an error out of any answer.
    pub fn parse(provider: &Provider, resp: &HttpResponse) -> OAuthError {
        let body = resp.text();
        if let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(&resp.body) {
            if let Some(e) = Self::from_json(provider, resp.status, &o, &body) {
                return e;
            }
        }
        if resp
            .content_type()
            .is_some_and(|c| c.contains("x-www-form-urlencoded"))
        {
            let pairs: Map<String, Value> = url::form_urlencoded::parse(&resp.body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect();
            if let Some(e) = Self::from_json(provider, resp.status, &pairs, &body) {
                return e;
            }
        }
        if let Some(h) = resp.header("www-authenticate") {
            let p = parse_www_authenticate(h);
            let mut e = OAuthError::new(
                resp.status,
                p.get("error")
                    .cloned()
                    .unwrap_or_else(|| format!("http_{}", resp.status)),
                ErrorFormat::WwwAuthenticate,
                &body,
            );
            e.description = p
                .get("error_description")
                .cloned()
                .or_else(|| Some(format!("WWW-Authenticate: {h}")));
            e.uri = p.get("error_uri").cloned();
            return e;
        }
        if resp.looks_like_html() {
            let mut e = OAuthError::new(
                resp.status,
                format!("http_{}", resp.status),
                ErrorFormat::Html,
                &body,
            );
            e.description = Some(format!("an HTML page: {}", html_excerpt(&body)));
            return e;
        }
        let mut e = OAuthError::new(
            resp.status,
            format!("http_{}", resp.status),
            ErrorFormat::Unusable,
            &body,
        );
        let text: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
        e.description = Some(if text.is_empty() {
            "an empty answer".into()
        } else if text.chars().count() > 200 {
            format!("{}…", text.chars().take(200).collect::<String>())
        } else {
            text
        });
        e
    }

    fn from_json(
        provider: &Provider,
        status: u16,
        o: &Map<String, Value>,
        body: &str,
    ) -> Option<OAuthError> {
        // RFC 6749 §5.2.
        if let Some(error) = str_field(o, "error") {
            let mut e = OAuthError::new(status, error, ErrorFormat::Rfc6749, body);
            e.description = str_field(o, "error_description");
            e.uri = str_field(o, "error_uri");
            return Some(e);
        }
        // `{"error": {"message": …, "code": …}}`, seen on many APIs.
        if let Some(Value::Object(inner)) = o.get("error") {
            let mut e = OAuthError::new(
                status,
                str_field(inner, "code")
                    .or_else(|| str_field(inner, "type"))
                    .unwrap_or_else(|| format!("http_{status}")),
                ErrorFormat::Rfc6749,
                body,
            );
            e.description = str_field(inner, "message");
            return Some(e);
        }
        // `{data: null, errors: [{message, code}]}`.
        if let Some(Value::Array(errors)) = o.get("errors") {
            let first = errors.first()?;
            let (message, code) = match first {
                Value::Object(m) => (
                    str_field(m, "message"),
                    m.get("code").and_then(|c| {
                        c.as_i64()
                            .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
                    }),
                ),
                Value::String(s) => (Some(s.clone()), None),
                _ => (None, None),
            };
            let by_code = code.and_then(|c| {
                provider
                    .spec
                    .error_codes
                    .as_ref()?
                    .iter()
                    .find(|(_, v)| **v == c)
                    .map(|(k, _)| k.clone())
            });
            // The message is the error's name in the documented examples
            // (`auth_code_expired`, 1800); a sentence instead is mapped by its code.
            let named = message.clone().filter(|m| {
                !m.is_empty()
                    && m.len() < 64
                    && m.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
            });
            let (name, description) = match (named, by_code) {
                (Some(n), _) => (n, None),
                (None, Some(c)) => (c, message),
                (None, None) => (format!("http_{status}"), message),
            };
            let mut e = OAuthError::new(status, name, ErrorFormat::ErrorsArray, body);
            e.code = code;
            e.description = description;
            if errors.len() > 1 {
                let more: Vec<String> = errors[1..]
                    .iter()
                    .filter_map(|x| x.get("message").and_then(Value::as_str).map(str::to_string))
                    .collect();
                if !more.is_empty() {
                    e.description = Some(format!(
                        "{}; also: {}",
                        e.description.unwrap_or_default(),
                        more.join("; ")
                    ));
                }
            }
            return Some(e);
        }
        if let Some(m) = str_field(o, "message").or_else(|| str_field(o, "detail")) {
            let mut e =
                OAuthError::new(status, format!("http_{status}"), ErrorFormat::Rfc6749, body);
            e.description = Some(m);
            return Some(e);
        }
        None
    }

    /// What the user should probably do, for a failed `grant` (`authorization_code`,
    /// `refresh_token`, …).
    pub fn hint(&self, provider: &Provider, grant: &str) -> String {
        let desc = self
            .description
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        let relogin = format!("run `oauthctl login -p {}` again", provider.name);
        match self.error.as_str() {
            _ if desc.contains("redirect") && grant == "authorization_code" => format!(
                "the redirect_uri must be exactly one registered for this client (scheme, host, port and path); pass it with --redirect-uri or set `redirect_uri` in the [providers.{}] table",
                provider.name
            ),
            "invalid_grant" if grant == "refresh_token" => format!(
                "the refresh token is expired or was revoked (or rotated by another process): {relogin}"
            ),
            "invalid_grant" if grant == "password" => format!(
                "the server refused the username or password (or this account may not use the password grant): check them and run `oauthctl login -p {} --password` again",
                provider.name
            ),
            "invalid_grant" if grant == crate::provider::DEVICE_CODE_GRANT => format!(
                "the device code is unknown, expired or already used: run `oauthctl login -p {} --device` again",
                provider.name
            ),
            "invalid_client" if provider.auth_method() == "private_key_jwt" => format!(
                "the server did not accept the client assertion: check that the public key of {} is registered for client `{}` (its JWKS or key) and that the server accepts private_key_jwt{}",
                provider
                    .spec
                    .client_assertion_key
                    .as_deref()
                    .unwrap_or("the client assertion key"),
                provider.spec.client_id.as_deref().unwrap_or("?"),
                provider
                    .spec
                    .token_endpoint_auth_methods_supported
                    .as_ref()
                    .map(|m| format!(" (the server supports: {})", m.join(", ")))
                    .unwrap_or_default()
            ),
            "invalid_grant" | "invalid_code" | "auth_code_expired" => {
                let life = provider
                    .spec
                    .code_lifetime
                    .as_deref()
                    .map(|l| format!(" (codes live {l})"))
                    .unwrap_or_default();
                format!(
                    "the authorization code was refused: it expired{life}, was already used, or the redirect_uri or PKCE verifier differ from the authorization request; {relogin}"
                )
            }
            "invalid_client" | "unauthorized_client" if self.error == "invalid_client" || self.status == 401 => {
                let supported = provider
                    .spec
                    .token_endpoint_auth_methods_supported
                    .as_ref()
                    .map(|m| format!(" (the server supports: {})", m.join(", ")))
                    .unwrap_or_default();
                format!(
                    "the server did not accept the client credentials: check client_id and the client secret, and token_endpoint_auth_method (now {}){supported}",
                    provider.auth_method()
                )
            }
            "unauthorized_client" => format!(
                "this client may not use the {grant} grant: enable it in the client's settings at {}",
                provider.display_name()
            ),
            "unsupported_grant_type" => format!(
                "the server does not support the {grant} grant (grant_types_supported: {})",
                provider
                    .spec
                    .grant_types_supported
                    .as_ref()
                    .map(|g| g.join(", "))
                    .unwrap_or_else(|| "not advertised".into())
            ),
            "invalid_scope" => format!(
                "request scopes the server knows with --scope{}",
                provider
                    .spec
                    .scopes_supported
                    .as_ref()
                    .map(|s| format!(" (scopes_supported: {})", s.join(", ")))
                    .unwrap_or_default()
            ),
            "invalid_request" => "a parameter is missing, repeated or malformed: run with --trace to see the request".into(),
            "access_denied" => format!("the request was denied: {relogin} and approve it"),
            "server_error" | "temporarily_unavailable" => {
                "the server failed; try again later".into()
            }
            _ => match self.format {
                ErrorFormat::Html => "the server answered with a web page instead of JSON: check the endpoint URL, or a proxy in between; run with --trace to see the exchange".into(),
                _ if self.status >= 500 => "the server failed; try again later, or run with --trace to see the exchange".into(),
                _ => "run with --trace to see the exchange".into(),
            },
        }
    }

    /// An `Error` (exit 5) naming what failed; `what` is e.g. "the token request".
    pub fn to_error(&self, provider: &Provider, what: &str, grant: &str) -> Error {
        let status = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason().map(|r| format!("{} {r}", self.status)))
            .unwrap_or_else(|| self.status.to_string());
        let mut msg = format!(
            "{what} to {} failed ({status}): {self}",
            provider.display_name()
        );
        if let Some(u) = &self.uri {
            msg.push_str(&format!(" (see {u})"));
        }
        Error::server(msg).with_hint(self.hint(provider, grant))
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
}

/// Reads a token answer: any 2xx with the token is a success; everything else is an
/// `OAuthError`. `now` is a Unix time; `requested` are the scopes asked for.
pub fn parse_response(
    provider: &Provider,
    resp: &HttpResponse,
    now: u64,
    requested: &[String],
) -> std::result::Result<TokenSet, OAuthError> {
    if !resp.is_success() {
        return Err(OAuthError::parse(provider, resp));
    }
    let body = resp.text();
    let top: Map<String, Value> = match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(o)) => o,
        _ if resp
            .content_type()
            .is_some_and(|c| c.contains("x-www-form-urlencoded")) =>
        {
            url::form_urlencoded::parse(&resp.body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect()
        }
        _ => {
            let mut e = OAuthError::parse(provider, resp);
            e.format = if e.format == ErrorFormat::Html {
                ErrorFormat::Html
            } else {
                ErrorFormat::Unusable
            };
            e.error = "invalid_token_response".into();
            e.description = Some(format!(
                "the answer is not a JSON object: {}",
                e.description.unwrap_or_default()
            ));
            return Err(e);
        }
    };
    // A 2xx can still carry errors (`{data: null, errors: [...]}`).
    if let Some(Value::Array(errors)) = top.get("errors") {
        if !errors.is_empty() {
            if let Some(e) = OAuthError::from_json(provider, resp.status, &top, &body) {
                return Err(e);
            }
        }
    }
    if top.get("error").is_some_and(|e| !e.is_null()) {
        if let Some(e) = OAuthError::from_json(provider, resp.status, &top, &body) {
            return Err(e);
        }
    }
    let access_field = provider
        .spec
        .access_token_field
        .as_deref()
        .unwrap_or("access_token");
    let obj: &Map<String, Value> = match provider.spec.token_response_envelope.as_deref() {
        Some(env) => match top.get(env) {
            Some(Value::Object(o)) => o,
            // Tolerate a server that answers without the envelope.
            _ if top.contains_key(access_field) => &top,
            _ => {
                let mut e = OAuthError::new(
                    resp.status,
                    "invalid_token_response".into(),
                    ErrorFormat::Unusable,
                    &body,
                );
                e.description = Some(format!("the answer has no `{env}` object"));
                return Err(e);
            }
        },
        None => &top,
    };
    let Some(access) = str_field(obj, access_field) else {
        let mut e = OAuthError::new(
            resp.status,
            "invalid_token_response".into(),
            ErrorFormat::Unusable,
            &body,
        );
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        e.description = Some(format!(
            "the answer has no `{access_field}` (fields: {})",
            if keys.is_empty() {
                "none".to_string()
            } else {
                keys.join(", ")
            }
        ));
        return Err(e);
    };
    let expires_at = obj
        .get("expires_in")
        .and_then(as_u64)
        .map(|v| match provider.spec.expires_in_format.as_deref() {
            Some("absolute") => v,
            _ => now.saturating_add(v),
        })
        .or_else(|| obj.get("expires_at").and_then(as_u64));
    let scope_field = provider.spec.scope_field.as_deref().unwrap_or("scope");
    let scopes = match obj.get(scope_field) {
        Some(Value::String(s)) => {
            let sep = provider.scope_separator();
            s.split(|c: char| c.is_whitespace() || sep.contains(c))
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        }
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => requested.to_vec(),
    };
    let mut extra = BTreeMap::new();
    for f in provider.spec.extra_token_fields.iter().flatten() {
        if let Some(v) = obj.get(f).or_else(|| top.get(f)) {
            if !v.is_null() {
                extra.insert(f.clone(), v.clone());
            }
        }
    }
    let mut secret_extra = BTreeMap::new();
    for f in provider.spec.secret_fields.iter().flatten() {
        if let Some(v) = obj.get(f).and_then(value_str) {
            secret_extra.insert(f.clone(), Secret::new(v));
        }
    }
    Ok(TokenSet {
        access_token: Secret::new(access),
        token_type: str_field(obj, "token_type").unwrap_or_else(|| "Bearer".into()),
        refresh_token: str_field(obj, "refresh_token").map(Secret::new),
        expires_at,
        scopes,
        id_token: str_field(obj, "id_token").map(Secret::new),
        extra,
        secret_extra,
    })
}

/// The scope parameter for `scopes`, in the provider's name and separator.
pub fn scope_param(provider: &Provider, scopes: &[String]) -> Option<(String, String)> {
    (!scopes.is_empty()).then(|| {
        (
            provider.scope_param().to_string(),
            scopes.join(provider.scope_separator()),
        )
    })
}

/// The parameters of a client credentials request (RFC 6749 §4.4.2), with an
/// `audience` (as Auth0 and RFC 8693 name it) and resource indicators (RFC 8707).
pub fn client_credentials_params(
    provider: &Provider,
    scopes: &[String],
    audience: Option<&str>,
    resource: &[String],
    extra: &[(String, String)],
) -> Vec<(String, String)> {
    let mut p = vec![("grant_type".to_string(), "client_credentials".to_string())];
    p.extend(scope_param(provider, scopes));
    if let Some(a) = audience {
        p.push(("audience".into(), a.to_string()));
    }
    for r in resource {
        p.push(("resource".into(), r.clone()));
    }
    merge_params(&mut p, extra);
    p
}

/// `extra` added to `params`, replacing parameters of the same name.
pub fn merge_params(params: &mut Vec<(String, String)>, extra: &[(String, String)]) {
    for (k, v) in extra {
        if let Some(slot) = params.iter_mut().find(|(x, _)| x == k) {
            slot.1 = v.clone();
        } else {
            params.push((k.clone(), v.clone()));
        }
    }
}

/// Sends a token request and normalises the answer; a refusal becomes an `Error`
/// (exit 5) that names the error and the likely fix.
pub async fn request(
    http: &Http,
    provider: &Provider,
    endpoint: &str,
    params: &[(String, String)],
    client: &ClientCredentials,
    requested_scopes: &[String],
) -> Result<TokenSet> {
    let grant = params
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let req = build_request(provider, endpoint, params, client)?;
    let resp = http.send(req).await?;
    parse_response(provider, &resp, crate::store::unix_now(), requested_scopes)
        .map_err(|e| e.to_error(provider, "the token request", &grant))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(name: &str) -> Provider {
        let mut p = Provider::from_preset(name).expect("a preset");
        p.spec.client_id = Some("cid".into());
        p
    }

    fn creds(secret: Option<&str>) -> ClientCredentials {
        ClientCredentials {
            client_id: "cid".into(),
            client_secret: secret.map(Secret::new),
        }
    }

    fn params() -> Vec<(String, String)> {
        vec![
            ("grant_type".into(), "authorization_code".into()),
            ("code".into(), "c0de".into()),
            ("redirect_uri".into(), "http://127.0.0.1:1/cb".into()),
        ]
    }

    fn body_pairs(r: &HttpRequest) -> Vec<(String, String)> {
        url::form_urlencoded::parse(r.body.as_deref().unwrap_or_default())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    fn resp(status: u16, ct: &str, body: &str) -> HttpResponse {
        HttpResponse {
            url: url::Url::parse("http://127.0.0.1/token").unwrap(),
            status,
            headers: vec![("content-type".into(), ct.into())],
            body: body.as_bytes().to_vec(),
            elapsed: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn public_client_sends_client_id_in_the_body() {
        let r = build_request(&provider("hub"), "http://h/token", &params(), &creds(None)).unwrap();
        assert_eq!(r.method, Method::POST);
        let b = body_pairs(&r);
        assert_eq!(b[0], ("client_id".into(), "cid".into()));
        assert!(b.contains(&("code".into(), "c0de".into())));
        assert!(r.headers.iter().all(|(k, _)| k != "Authorization"));
        assert_eq!(r.url.query(), None);
    }

    #[test]
    fn basic_auth_form_encodes_id_and_secret_first() {
        let mut p = provider("teamwork");
        p.spec.token_endpoint_auth_method = Some("client_secret_basic".into());
        let c = ClientCredentials {
            client_id: "a b:c".into(),
            client_secret: Some(Secret::new("s%é")),
        };
        let r = build_request(&p, "http://h/token", &params(), &c).unwrap();
        let auth = &r
            .headers
            .iter()
            .find(|(k, _)| k == "Authorization")
            .unwrap()
            .1;
        let decoded = String::from_utf8(STANDARD.decode(&auth[6..]).unwrap()).unwrap();
        assert_eq!(decoded, "a+b%3Ac:s%25%C3%A9");
        assert!(body_pairs(&r)
            .iter()
            .all(|(k, _)| k != "client_id" && k != "client_secret"));
    }

    #[test]
    fn post_auth_puts_the_secret_in_the_body() {
        let r = build_request(
            &provider("worksection"),
            "http://h/token",
            &params(),
            &creds(Some("sec")),
        )
        .unwrap();
        let b = body_pairs(&r);
        assert!(b.contains(&("client_secret".into(), "sec".into())));
        assert!(b.contains(&("client_id".into(), "cid".into())));
    }

    #[test]
    fn onboardbase_puts_everything_in_the_query_of_a_post() {
        let r = build_request(
            &provider("onboardbase"),
            "http://h/oauth/token",
            &params(),
            &creds(Some("sec")),
        )
        .unwrap();
        assert_eq!(r.method, Method::POST);
        let q: Vec<(String, String)> = r
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let keys: Vec<&str> = q.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "client_id",
                "client_secret",
                "grant_type",
                "code",
                "redirect_uri"
            ]
        );
        assert_eq!(r.body.as_deref(), Some(&b""[..]));
    }

    #[test]
    fn secret_required_when_the_method_needs_one() {
        let e = build_request(&provider("chatwork"), "http://h/t", &params(), &creds(None))
            .unwrap_err();
        assert_eq!(e.exit_code(), 3);
        let mut p = provider("hub");
        p.spec.token_endpoint_auth_method = Some("private_key_jwt".into());
        let e = build_request(&p, "http://h/t", &params(), &creds(None)).unwrap_err();
        assert!(e.message.contains("has no key"), "{}", e.message);
        assert!(e.hint.unwrap().contains("--client-assertion-key"));
        p.spec.token_endpoint_auth_method = Some("tls_client_auth".into());
        assert!(build_request(&p, "http://h/t", &params(), &creds(None))
            .unwrap_err()
            .message
            .contains("not supported"));
    }

    #[test]
    fn private_key_jwt_sends_a_signed_assertion_for_the_token_endpoint() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k.pem");
        std::fs::write(&key, include_str!("../mock/keys/ec.pem")).unwrap();
        let mut p = provider("hub");
        p.spec.token_endpoint_auth_method = Some("private_key_jwt".into());
        p.spec.client_assertion_key = Some(key.display().to_string());
        p.spec.token_endpoint = Some("http://h/token".into());
        // A refresh elsewhere still names the token endpoint as the audience.
        let r = build_request(&p, "http://h/refresh", &params(), &creds(None)).unwrap();
        let b = body_pairs(&r);
        assert_eq!(b[0], ("client_id".into(), "cid".into()));
        assert_eq!(b[1], ("client_assertion_type".into(), JWT_BEARER.into()));
        let jwt = &b[2].1;
        let claims: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(jwt.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["aud"], "http://h/token");
        assert_eq!(claims["iss"], "cid");
        assert!(r.headers.iter().all(|(k, _)| k != "Authorization"));
        assert!(b.iter().all(|(k, _)| k != "client_secret"));
    }

    #[test]
    fn standard_response_is_normalised() {
        let p = provider("worksection");
        let r = resp(
            200,
            "application/json",
            r#"{"token_type":"bearer","expires_in":86400,"access_token":"at","refresh_token":"rt","account_url":"https://a.worksection.com","scope":"projects_read,tasks_read"}"#,
        );
        let t = parse_response(&p, &r, 1000, &[]).unwrap();
        assert_eq!(t.access_token.expose(), "at");
        assert_eq!(t.refresh_token.as_ref().unwrap().expose(), "rt");
        assert_eq!(t.expires_at, Some(87400));
        assert_eq!(t.scopes, ["projects_read", "tasks_read"]);
        assert_eq!(t.extra["account_url"], "https://a.worksection.com");
        assert_eq!(t.token_type, "bearer");
    }

    #[test]
    fn onboardbase_envelope_fields_and_absolute_expiry() {
        let p = provider("onboardbase");
        let r = resp(
            201,
            "application/json",
            r#"{"data":{"api_key":"HYNC","expires_in":1680011776,"scopes":["read.secrets","read.projects"],"token_type":"bearer","passphrase":"KNHR"},"errors":[]}"#,
        );
        let t = parse_response(&p, &r, 1000, &[]).unwrap();
        assert_eq!(t.access_token.expose(), "HYNC");
        assert_eq!(t.expires_at, Some(1680011776));
        assert_eq!(t.scopes, ["read.secrets", "read.projects"]);
        assert_eq!(t.secret_extra["passphrase"].expose(), "KNHR");
        assert!(t.refresh_token.is_none());
    }

    #[test]
    fn scopes_default_to_the_requested_ones() {
        let r = resp(200, "application/json", r#"{"access_token":"at"}"#);
        let t = parse_response(&provider("hub"), &r, 0, &["profile:read".into()]).unwrap();
        assert_eq!(t.scopes, ["profile:read"]);
        assert_eq!(t.token_type, "Bearer");
        assert_eq!(t.expires_at, None);
    }

    #[test]
    fn rfc6749_error() {
        let r = resp(
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"Code expired"}"#,
        );
        let e = parse_response(&provider("hub"), &r, 0, &[]).unwrap_err();
        assert_eq!(e.error, "invalid_grant");
        assert_eq!(e.description.as_deref(), Some("Code expired"));
        assert_eq!(e.format, ErrorFormat::Rfc6749);
        let err = e.to_error(&provider("hub"), "the token request", "authorization_code");
        assert_eq!(err.exit_code(), 5);
        assert!(
            err.message.contains("invalid_grant: Code expired"),
            "{}",
            err.message
        );
        assert!(err.hint.unwrap().contains("code"));
    }

    #[test]
    fn errors_array_maps_numeric_codes_even_in_a_2xx() {
        let p = provider("onboardbase");
        let r = resp(
            400,
            "application/json",
            r#"{"data":null,"errors":[{"message":"Authorization code has expired","code":1800}]}"#,
        );
        let e = parse_response(&p, &r, 0, &[]).unwrap_err();
        assert_eq!(e.error, "auth_code_expired");
        assert_eq!(e.code, Some(1800));
        assert_eq!(e.format, ErrorFormat::ErrorsArray);
        let r = resp(
            201,
            "application/json",
            r#"{"data":null,"errors":[{"message":"invalid_code","code":1700}]}"#,
        );
        assert_eq!(
            parse_response(&p, &r, 0, &[]).unwrap_err().error,
            "invalid_code"
        );
        // A name in the message wins over a code that maps to something vaguer.
        let r = resp(
            400,
            "application/json",
            r#"{"data":null,"errors":[{"message":"invalid_grant","code":1000}]}"#,
        );
        let e = parse_response(&p, &r, 0, &[]).unwrap_err();
        assert_eq!((e.error.as_str(), e.code), ("invalid_grant", Some(1000)));
        assert_eq!(e.to_string(), "invalid_grant (1000)");
    }

    #[test]
    fn html_page_keeps_title_and_text() {
        let r = resp(502, "text/html", "<html><head><title>502 Bad Gateway</title><style>x{}</style></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>");
        let e = parse_response(&provider("hub"), &r, 0, &[]).unwrap_err();
        assert_eq!(e.format, ErrorFormat::Html);
        assert_eq!(e.error, "http_502");
        let d = e.description.unwrap();
        assert!(
            d.contains("\"502 Bad Gateway\"") && d.contains("nginx") && !d.contains("x{}"),
            "{d}"
        );
    }

    #[test]
    fn www_authenticate_header() {
        let mut r = resp(401, "text/plain", "");
        r.headers.push((
            "www-authenticate".into(),
            r#"Bearer realm="x", error="invalid_client", error_description="bad \"secret\"""#
                .into(),
        ));
        let e = parse_response(&provider("hub"), &r, 0, &[]).unwrap_err();
        assert_eq!(e.error, "invalid_client");
        assert_eq!(e.description.as_deref(), Some("bad \"secret\""));
        assert_eq!(e.format, ErrorFormat::WwwAuthenticate);
        assert!(e
            .hint(&provider("hub"), "authorization_code")
            .contains("client credentials"));
    }

    #[test]
    fn success_without_a_token_is_unusable() {
        let e = parse_response(
            &provider("hub"),
            &resp(200, "application/json", r#"{"ok":true}"#),
            0,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.error, "invalid_token_response");
        assert!(e.description.unwrap().contains("access_token"));
        let e = parse_response(
            &provider("hub"),
            &resp(200, "text/html", "<html><title>Login</title></html>"),
            0,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.format, ErrorFormat::Html);
    }
}
