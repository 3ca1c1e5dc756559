//! What goes over the wire, as oauthctl keeps it: a request, its response, and the two
//! together as one exchange (for `--trace` and `--har`).

use std::time::{Duration, SystemTime};

use reqwest::Method;

/// The reason phrase of an HTTP status (`OK`, `Bad Request`), or "" for a code without one.
pub fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// `200 OK`, or the bare number for a code without a reason phrase.
pub fn status_text(status: u16) -> String {
    match reason(status) {
        "" => status.to_string(),
        r => format!("{status} {r}"),
    }
}

/// A request as oauthctl sees it: kept whole so it can be traced.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: Method,
    pub url: url::Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// The TLS client certificate presented with this request (mutual TLS, RFC 8705).
    pub client_cert: Option<super::tls::ClientCert>,
}

impl HttpRequest {
    pub fn new(method: Method, url: url::Url) -> Self {
        HttpRequest {
            method,
            url,
            headers: Vec::new(),
            body: None,
            client_cert: None,
        }
    }
    pub fn get(url: url::Url) -> Self {
        Self::new(Method::GET, url).header("Accept", "application/json")
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
    pub fn form(mut self, pairs: &[(String, String)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.body = Some(body.into_bytes());
        self.header("Content-Type", "application/x-www-form-urlencoded")
    }
    pub fn json(mut self, value: &serde_json::Value) -> Self {
        self.body = Some(value.to_string().into_bytes());
        self.header("Content-Type", "application/json")
    }
    /// Removes `name` from the form body and the query string; whether it was there.
    pub fn omit(&mut self, name: &str) -> bool {
        let mut found = false;
        if self.url.query().is_some() {
            let pairs: Vec<(String, String)> = self
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let kept: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != name).collect();
            if kept.len() != pairs.len() {
                found = true;
                if kept.is_empty() {
                    self.url.set_query(None);
                } else {
                    self.url.query_pairs_mut().clear().extend_pairs(kept);
                }
            }
        }
        let is_form = self
            .content_type()
            .is_some_and(|c| c.contains("x-www-form-urlencoded"));
        if let (true, Some(body)) = (is_form, &self.body) {
            let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let kept: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != name).collect();
            if kept.len() != pairs.len() {
                found = true;
                let text = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(kept)
                    .finish();
                self.body = Some(text.into_bytes());
            }
        }
        found
    }

    /// The parameters the request carries (query string, then a form body).
    pub fn params(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let is_form = self
            .content_type()
            .is_some_and(|c| c.contains("x-www-form-urlencoded"));
        if let (true, Some(body)) = (is_form, &self.body) {
            out.extend(
                url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        }
        out
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub url: url::Url,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub elapsed: Duration,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn looks_like_html(&self) -> bool {
        let ct_html = self
            .content_type()
            .is_some_and(|c| c.to_ascii_lowercase().contains("html"));
        let start = String::from_utf8_lossy(&self.body[..self.body.len().min(512)])
            .trim_start()
            .to_ascii_lowercase();
        ct_html || start.starts_with("<!doctype") || start.starts_with("<html")
    }
}

/// One request and what came back (a response, or a transport error).
#[derive(Debug, Clone)]
pub struct Exchange {
    pub started: SystemTime,
    pub elapsed: Duration,
    pub request: HttpRequest,
    pub response: Option<HttpResponse>,
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn omit_removes_from_body_and_query() {
        let mut r = HttpRequest::new(
            Method::POST,
            url::Url::parse("http://h/t?client_id=a&x=1").unwrap(),
        )
        .form(&[
            ("code".into(), "c".into()),
            ("redirect_uri".into(), "u".into()),
        ]);
        assert!(r.omit("redirect_uri"));
        assert!(r.omit("client_id"));
        assert!(!r.omit("nothing"));
        assert_eq!(r.url.query(), Some("x=1"));
        assert_eq!(r.body.as_deref(), Some(&b"code=c"[..]));
        let sent = r.params();
        assert_eq!(
            sent,
            vec![("x".into(), "1".into()), ("code".into(), "c".into())]
        );
    }
}
