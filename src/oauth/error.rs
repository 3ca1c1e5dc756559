//! The OAuth error model: one `OAuthError` for every way a server says no (RFC 6749
//! JSON, an `errors` array, `WWW-Authenticate`, an HTML page, an unusable answer), with
//! the plain-words hint for the grant that failed.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::http::HttpResponse;
use crate::provider::{ClientAuth, Provider};

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

impl ErrorFormat {
    /// Its name in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorFormat::Rfc6749 => "rfc6749",
            ErrorFormat::ErrorsArray => "errors_array",
            ErrorFormat::WwwAuthenticate => "www_authenticate",
            ErrorFormat::Html => "html",
            ErrorFormat::Unusable => "unusable",
        }
    }
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

pub(crate) fn value_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn str_field(o: &Map<String, Value>, k: &str) -> Option<String> {
    o.get(k).and_then(value_str)
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
    pub(crate) fn new(status: u16, error: String, format: ErrorFormat, body: &str) -> Self {
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

    /// The server's words made inert: control characters escaped, long texts cut with
    /// their length noted (a 3 MiB `error_description` is not written whole).
    pub fn inert(mut self) -> OAuthError {
        use crate::text::{inert, untrusted};
        self.error = inert(&crate::text::cut(&self.error, 200));
        self.description = self.description.map(|d| untrusted(&d));
        self.uri = self.uri.map(|u| untrusted(&u));
        self
    }

    /// Reads an error out of any answer.
    pub fn parse(provider: &Provider, resp: &HttpResponse) -> OAuthError {
        Self::parse_raw(provider, resp).inert()
    }

    fn parse_raw(provider: &Provider, resp: &HttpResponse) -> OAuthError {
        let body = resp.text();
        if let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(&resp.body) {
            if let Some(e) = Self::from_json_raw(provider, resp.status, &o, &body) {
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
            if let Some(e) = Self::from_json_raw(provider, resp.status, &pairs, &body) {
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
            e.description = Some(format!(
                "an HTML page: {}",
                crate::text::html_excerpt(&body)
            ));
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

    pub(crate) fn from_json(
        provider: &Provider,
        status: u16,
        o: &Map<String, Value>,
        body: &str,
    ) -> Option<OAuthError> {
        Self::from_json_raw(provider, status, o, body).map(OAuthError::inert)
    }

    fn from_json_raw(
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
            "invalid_client" if provider.auth_method() == ClientAuth::ClientSecretJwt => format!(
                "the server did not accept the client_secret_jwt assertion (HS256 over the client secret): check the secret of client `{}` and that the client is registered with token_endpoint_auth_method = client_secret_jwt{}",
                provider.spec.client_id.as_deref().unwrap_or("?"),
                provider
                    .spec
                    .token_endpoint_auth_methods_supported
                    .as_ref()
                    .map(|m| format!(" (the server supports: {})", m.join(", ")))
                    .unwrap_or_default()
            ),
            "invalid_client" if provider.auth_method() == ClientAuth::PrivateKeyJwt => format!(
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
                client_refused(provider)
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
            other if crate::oauth::error_codes::lookup(other).is_some() => {
                let c = crate::oauth::error_codes::lookup(other);
                c.map(|c| {
                    let fill = |t: &str| crate::oauth::error_codes::fill(t, &provider.name);
                    format!(
                        "{} ({}): {}; next: `{}`",
                        c.meaning,
                        c.spec,
                        fill(c.fix),
                        fill(c.next)
                    )
                })
                .unwrap_or_default()
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
        let status = crate::http::status_text(self.status);
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

/// The hint of a refused client authentication: what to check for the method used.
fn client_refused(provider: &Provider) -> String {
    let supported = provider
        .spec
        .token_endpoint_auth_methods_supported
        .as_ref()
        .map(|m| format!(" (the server supports: {})", m.join(", ")))
        .unwrap_or_default();
    let what = if provider.auth_method().uses_certificate() {
        "client_id and the client certificate"
    } else {
        "client_id and the client secret"
    };
    format!(
        "the server did not accept the client credentials: check {what}, and token_endpoint_auth_method (now {}){supported}",
        provider.auth_method()
    )
}
