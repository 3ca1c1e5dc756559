//! What goes over the wire, as oauthctl keeps it: a request, its response, and the two
//! together as one exchange (for `--trace` and `--har`).

use std::time::{Duration, SystemTime};

use reqwest::Method;

/// A request as oauthctl sees it: kept whole so it can be traced.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: Method,
    pub url: url::Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    pub fn new(method: Method, url: url::Url) -> Self {
        HttpRequest {
            method,
            url,
            headers: Vec::new(),
            body: None,
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
