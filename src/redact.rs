//! Redaction of secrets in URLs, headers, form and JSON bodies, and free text.
//!
//! A secret is replaced by `[redacted:1a2b3c4d]`, a short HMAC-SHA256 of its value under
//! a random key drawn once per process: two occurrences of one token in one trace or HAR
//! file stay recognisably the same, while nothing can be confirmed outside it (a short
//! password cannot be guessed from a shared HAR). A JWT keeps its header and claims
//! readable; only its signature is replaced.
//!
//! Answers that do not parse as the server said they would are still scanned
//! ([`Redactor::harvest`]): form, JSON object or array, or loose text, every value under
//! a secret key becomes a secret before anything is printed, traced or written.

use std::collections::BTreeSet;
use std::sync::OnceLock;

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

/// This process's marker key: 32 random bytes, drawn once.
fn process_key() -> &'static [u8; 32] {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    KEY.get_or_init(rand::random)
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key` (at most 64 bytes).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .into()
}

/// `[redacted:xxxxxxxx]`: the first 8 hex digits of the value's HMAC under this
/// process's random key (equal values, equal markers, within one run only).
pub fn mask(value: &str) -> String {
    let digest = hmac_sha256(process_key(), value.as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
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
        // A DPoP proof (RFC 9449) holds no secret but its signature: header and claims
        // stay readable.
        if lname == "dpop" {
            return mask_token(value.trim());
        }
        // A redirect's Location carries the code (and sometimes tokens in the fragment).
        if matches!(lname.as_str(), "location" | "content-location" | "referer") {
            return self.url(value);
        }
        self.text(value)
    }

    /// Every value under a secret key in `body`, whatever its content type says: a JSON
    /// object or array (nested), a form, or loose `key=value` / `"key": value` text.
    /// Registered as secrets (even with `--show-secrets`, for the HAR file).
    pub fn harvest(&mut self, body: &[u8]) {
        for v in self.secret_values(body) {
            self.add_value(&v);
        }
    }

    /// The values [`Redactor::harvest`] registers: a body that parses as JSON is read
    /// field by field; anything else as a form and as loose text.
    pub fn secret_values(&self, body: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        let text = String::from_utf8_lossy(body);
        match serde_json::from_str::<serde_json::Value>(text.trim()) {
            Ok(v) => self.json_secrets(&v, &mut out),
            Err(_) => {
                self.form_secrets(text.trim(), &mut out);
                self.loose_secrets(&text, &mut out);
            }
        }
        out.retain(|v| !v.is_empty());
        out
    }

    fn form_secrets(&self, text: &str, out: &mut Vec<String>) {
        for (k, v) in url::form_urlencoded::parse(text.as_bytes()) {
            if self.is_secret_key(k.trim()) {
                out.push(v.trim().to_string());
            }
        }
    }

    fn json_secrets(&self, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, val) in map {
                    if self.is_secret_key(k) && !is_error_number(k, val) {
                        leaves(val, out);
                    } else {
                        self.json_secrets(val, out);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                items.iter().for_each(|i| self.json_secrets(i, out));
            }
            // A JSON string holding JSON or a form (a body quoted once more).
            serde_json::Value::String(s) => {
                let t = s.trim();
                if t.starts_with('{') || t.starts_with('[') {
                    if let Ok(inner) = serde_json::from_str::<serde_json::Value>(t) {
                        self.json_secrets(&inner, out);
                    }
                } else if t.contains('=') && !t.contains(char::is_whitespace) {
                    self.form_secrets(t, out);
                }
            }
            _ => {}
        }
    }

    /// `key=value`, `key: value`, `"key":"value"` anywhere in text (an error page, a
    /// broken JSON body): the value runs to the next quote, space, `&`, `,` or brace.
    fn loose_secrets(&self, text: &str, out: &mut Vec<String>) {
        let lower = text.to_ascii_lowercase();
        // `<key>value` is an XML element; in an HTML page `<code>` is only a typeface
        // (the client_id it shows is no secret).
        let html = lower.contains("<html") || lower.contains("<!doctype html");
        for key in &self.keys {
            let mut from = 0;
            while let Some(pos) = lower[from..].find(key.as_str()) {
                let start = from + pos;
                from = start + key.len();
                let before_ok = lower[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
                let rest = &text[from..];
                let Some(after) = rest
                    .strip_prefix('"')
                    .or_else(|| rest.strip_prefix('\''))
                    .or(Some(rest))
                else {
                    continue;
                };
                let after = after.trim_start();
                let Some(value) = after
                    .strip_prefix('=')
                    .or_else(|| after.strip_prefix(':'))
                    .or_else(|| after.strip_prefix('>').filter(|_| !html))
                else {
                    continue;
                };
                if !before_ok {
                    continue;
                }
                let value = value.trim_start();
                let value = value
                    .strip_prefix('"')
                    .or_else(|| value.strip_prefix('\''))
                    .unwrap_or(value);
                let end = value
                    .find(|c: char| {
                        c.is_whitespace()
                            || matches!(c, '"' | '\'' | '&' | ',' | '}' | ']' | ';' | '<')
                    })
                    .unwrap_or(value.len());
                let v = &value[..end];
                if !v.is_empty() && v != "null" {
                    let decoded = url::form_urlencoded::parse(format!("v={v}").as_bytes())
                        .next()
                        .map(|(_, d)| d.into_owned())
                        .unwrap_or_default();
                    out.push(v.to_string());
                    if decoded != v {
                        out.push(decoded);
                    }
                }
            }
        }
    }

    /// A body, by its content type: form and JSON bodies are redacted field by field.
    pub fn body(&self, content_type: Option<&str>, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        if self.show {
            return text.into_owned();
        }
        let ct = content_type.unwrap_or("").to_ascii_lowercase();
        let trimmed = text.trim_start();
        if ct.contains("json") || trimmed.starts_with('{') || trimmed.starts_with('[') {
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
                    if self.is_secret_key(k) && !val.is_null() && !is_error_number(k, val) {
                        // A number, or an object or array where a token was expected:
                        // masked whole all the same.
                        let shown = scalar(val).unwrap_or_else(|| val.to_string());
                        *val = serde_json::Value::String(mask_token(&shown));
                        continue;
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

/// `"code": 1700`: a numeric `code` is an error code (`errors` arrays), never an
/// authorization code (those are strings, and never come back in a JSON answer).
fn is_error_number(key: &str, v: &serde_json::Value) -> bool {
    key.eq_ignore_ascii_case("code") && v.is_number()
}

/// Every string and number in `v` (a secret key's value, whatever its shape).
fn leaves(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => m.values().for_each(|x| leaves(x, out)),
        serde_json::Value::Array(a) => a.iter().for_each(|x| leaves(x, out)),
        other => out.extend(scalar(other)),
    }
}

/// A string or number, as text (a numeric token is still a token).
fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(_) | serde_json::Value::Null => None,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_code_element_is_no_secret_but_an_xml_token_element_is() {
        let r = Redactor::new(false);
        let page = b"<!doctype html><html><body>Client <code>oauthctl-mock</code> asks access_token=at-in-html</body></html>";
        let found = r.secret_values(page);
        assert!(!found.contains(&"oauthctl-mock".to_string()), "{found:?}");
        assert!(found.contains(&"at-in-html".to_string()), "{found:?}");
        let xml =
            b"<response><code>the-code-1</code><access_token>at-xml</access_token></response>";
        let found = r.secret_values(xml);
        assert!(found.contains(&"the-code-1".to_string()), "{found:?}");
        assert!(found.contains(&"at-xml".to_string()), "{found:?}");
    }

    #[test]
    fn loose_text_is_read_key_by_key() {
        let r = Redactor::new(false);
        // An HTML page without a doctype is still HTML: `<code>` is a typeface there.
        let found = r.secret_values(b"<html><body>Client <code>cid-1</code></body></html>");
        assert!(!found.contains(&"cid-1".to_string()), "{found:?}");
        // A key inside a longer word is not the key.
        let found = r.secret_values(b"barcode=not-a-secret my_code=nor-this code=the-code");
        assert!(!found.contains(&"not-a-secret".to_string()), "{found:?}");
        assert!(!found.contains(&"nor-this".to_string()), "{found:?}");
        assert!(found.contains(&"the-code".to_string()), "{found:?}");
        // `null` is no value; an encoded value is registered decoded too.
        let found = r.secret_values(b"access_token: null refresh_token=a%2Bb");
        assert!(!found.contains(&"null".to_string()), "{found:?}");
        assert!(found.contains(&"a%2Bb".to_string()), "{found:?}");
        assert!(found.contains(&"a+b".to_string()), "{found:?}");
    }

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
    fn a_dpop_proof_keeps_its_header_and_claims_and_loses_its_signature() {
        let r = Redactor::new(false);
        let proof = "eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJodG0iOiJQT1NUIn0.c2lnbmF0dXJl";
        let shown = r.header("DPoP", proof);
        assert!(
            shown.starts_with("eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJodG0iOiJQT1NUIn0.[redacted:"),
            "{shown}"
        );
        assert!(!shown.contains("c2lnbmF0dXJl"), "{shown}");
        assert_eq!(Redactor::new(true).header("dpop", proof), proof);
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
