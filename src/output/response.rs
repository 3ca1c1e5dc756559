//! An HTTP answer for people: its status in words, and its body on stdout (`call`, `me`).

use crate::error::Result;
use crate::http::HttpResponse;

pub use crate::http::status_text;

/// `HTTP 200 OK (23 ms)`.
pub fn status_line(resp: &HttpResponse) -> String {
    format!(
        "HTTP {} ({} ms)",
        status_text(resp.status),
        resp.elapsed.as_millis()
    )
}

/// The body on stdout: JSON pretty printed (as received when `as_received`, for
/// --json), anything else as is.
pub fn body(resp: &HttpResponse, as_received: bool) -> Result<()> {
    if resp.body.is_empty() {
        return Ok(());
    }
    if !as_received {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&resp.body) {
            return super::json(&v);
        }
    }
    let mut text = resp.text();
    if !text.ends_with('\n') && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        text.push('\n');
    }
    super::stdout(&text)
}
