//! Redaction of secrets in URLs, headers, form and JSON bodies, and free text.
//!
//! A secret is replaced by `[redacted:1a2b3c]`, a short hash of its value, so that two
//! occurrences of one token stay recognisably the same while the value stays hidden.
//! A JWT keeps its header and claims readable; only its signature is replaced.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

/// Parameter and field names whose values are secrets.
pub const SECRET_KEYS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "code_verifier",
    "client_secret",
    "client_assertion",
    "assertion",
    // A signed request object (RFC 9101): its claims stay readable, its signature not.
    "request",
    "password",
    "device_code",
    "api_key",
    "passphrase",
    "registration_access_token",
    "token",
    "subject_token",
    "actor_token",
    "secret",
];

/// Headers whose values are secrets.
pub const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
];

#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// `--show-secrets`: redact nothing.
    pub show: bool,
    keys: BTreeSet<String>,
    values: BTreeSet<String>,
}

/// `[redacted:xxxxxx]`: the first 6 hex digits of the value's SHA-256.
pub fn mask(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    let hex: String = digest.iter().take(3).map(|b| format!("{b:02x}")).collect();
    format!("[redacted:{hex}]")
}

/// A JWT keeps its header and claims; anything else is masked whole.
pub fn mask_token(value: &str) -> String {
    let parts: Vec<&str> = value.split('.').collect();
    if parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    {
        return format!("{}.{}.{}", parts[0], parts[1], mask(value));
    }
    mask(value)
}

/// A URL with any password replaced, for messages (always, even with --show-secrets).
pub fn url_password(u: &str) -> String {
    match url::Url::parse(u) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("[redacted]"));
            parsed.to_string()
        }
        _ => u.to_string(),
    }
}

impl Redactor {
    pub fn new(show: bool) -> Self {
        let mut r = Redactor {
            show,
            ..Default::default()
        };
        for k in SECRET_KEYS {
            r.keys.insert((*k).to_string());
        }
        r
    }

    /// Another field name whose values are secrets (a provider's `secret_fields`).
    pub fn add_key(&mut self, key: &str) {
        self.keys.insert(key.to_ascii_lowercase());
    }

    /// A value that must never be shown, wherever it appears.
    pub fn add_value(&mut self, value: &str) {
        // Very short values would mask ordinary words.
        if value.len() >= 4 {
            self.values.insert(value.to_string());
        }
    }

    pub fn is_secret_key(&self, key: &str) -> bool {
        self.keys.contains(&key.to_ascii_lowercase())
    }

    /// Free text: every known secret value is masked.
    pub fn text(&self, s: &str) -> String {
        if self.show {
            return s.to_string();
        }
        let mut out = s.to_string();
        // Longest first, so a secret that contains another is masked whole.
        let mut values: Vec<&String> = self.values.iter().collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        for v in values {
            if out.contains(v.as_str()) {
                out = out.replace(v.as_str(), &mask_token(v));
            }
            let enc = url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
            if enc != *v && out.contains(&enc) {
                out = out.replace(&enc, &mask_token(v));
            }
        }
        out
    }

    pub fn url(&self, u: &str) -> String {
        if self.show {
            return u.to_string();
        }
        match url::Url::parse(u) {
            Ok(mut parsed) => {
                if parsed.password().is_some() {
                    let _ = parsed.set_password(Some("[redacted]"));
                }
                if parsed.query().is_some() {
                    let pairs: Vec<(String, String)> = parsed
                        .query_pairs()
                        .map(|(k, v)| {
                            let v = if self.is_secret_key(&k) {
                                mask_token(&v)
                            } else {
                                v.into_owned()
                            };
                            (k.into_owned(), v)
                        })
                        .collect();
                    parsed.query_pairs_mut().clear().extend_pairs(pairs);
                }
                // The implicit grant returns tokens in the fragment, form-encoded.
                if let Some(f) = parsed.fragment().filter(|f| f.contains('=')) {
                    let masked = url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(url::form_urlencoded::parse(f.as_bytes()).map(|(k, v)| {
                            let v = if self.is_secret_key(&k) {
                                mask_token(&v)
                            } else {
                                v.into_owned()
                            };
                            (k.into_owned(), v)
                        }))
                        .finish();
                    parsed.set_fragment(Some(&masked));
                }
                self.text(parsed.as_str())
            }
            Err(_) => self.text(u),
        }
    }

    pub fn header(&self, name: &str, value: &str) -> String {
        if self.show {
            return value.to_string();
        }
        let lname = name.to_ascii_lowercase();
        if SECRET_HEADERS.contains(&lname.as_str()) {
            if let Some((scheme, cred)) = value.split_once(' ') {
                if lname.ends_with("authorization") {
                    return format!("{scheme} {}", mask_token(cred.trim()));
                }
            }
            return mask(value);
        }
        // A redirect's Location carries the code (and sometimes tokens in the fragment).
        if matches!(lname.as_str(), "location" | "content-location" | "referer") {
            return self.url(value);
        }
        self.text(value)
    }

    /// A body, by its content type: form and JSON bodies are redacted field by field.
    pub fn body(&self, content_type: Option<&str>, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        if self.show {
            return text.into_owned();
        }
        let ct = content_type.unwrap_or("").to_ascii_lowercase();
        if ct.contains("json") || text.trim_start().starts_with('{') {
            if let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(body) {
                self.json(&mut v);
                return self.text(&v.to_string());
            }
        }
        if ct.contains("x-www-form-urlencoded") {
            let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body)
                .map(|(k, v)| {
                    let v = if self.is_secret_key(&k) {
                        mask_token(&v)
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            let joined: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            return self.text(&joined.join("&"));
        }
        self.text(&text)
    }

    /// A JSON value, in place: string values under secret keys are masked.
    pub fn json(&self, v: &mut serde_json::Value) {
        if self.show {
            return;
        }
        match v {
            serde_json::Value::Object(map) => {
                for (k, val) in map.iter_mut() {
                    if self.is_secret_key(k) {
                        if let Some(s) = val.as_str() {
                            *val = serde_json::Value::String(mask_token(s));
                            continue;
                        }
                    }
                    self.json(val);
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| self.json(i)),
            serde_json::Value::String(s) => {
                let t = self.text(s);
                if t != *s {
                    *s = t;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_form_json_url_and_headers() {
        let mut r = Redactor::new(false);
        r.add_value("s3cr3t-value");
        let form = r.body(
            Some("application/x-www-form-urlencoded"),
            b"grant_type=authorization_code&code=abc123&client_secret=s3cr3t-value",
        );
        assert!(form.contains("grant_type=authorization_code"));
        assert!(
            !form.contains("abc123") && !form.contains("s3cr3t-value"),
            "{form}"
        );
        let json = r.body(
            None,
            br#"{"access_token":"tok-1","nested":{"refresh_token":"r-1"},"x":"s3cr3t-value"}"#,
        );
        assert!(!json.contains("tok-1") && !json.contains("r-1") && !json.contains("s3cr3t-value"));
        let u = r.url("https://h/cb?code=xyz987&state=st");
        assert!(!u.contains("xyz987") && u.contains("state=st"), "{u}");
        assert_eq!(
            r.header("Authorization", "Bearer tok-1"),
            format!("Bearer {}", mask("tok-1"))
        );
        assert_eq!(mask("a"), mask("a"));
        assert_ne!(mask("a"), mask("b"));
    }

    #[test]
    fn location_headers_are_redacted_like_urls() {
        let r = Redactor::new(false);
        let l = r.header("Location", "http://127.0.0.1:1/cb?code=c0de-value&state=st");
        assert!(!l.contains("c0de-value") && l.contains("state=st"), "{l}");
        let f = r.url("http://127.0.0.1:1/cb#access_token=tok-value&token_type=Bearer");
        assert!(
            !f.contains("tok-value") && f.contains("token_type=Bearer"),
            "{f}"
        );
    }

    #[test]
    fn jwt_keeps_header_and_claims() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
        let m = mask_token(jwt);
        assert!(m.starts_with("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0."));
        assert!(!m.contains("c2lnbmF0dXJl"));
    }

    #[test]
    fn show_secrets_shows() {
        let r = Redactor::new(true);
        assert_eq!(r.url("https://h/?code=1234"), "https://h/?code=1234");
    }
}
