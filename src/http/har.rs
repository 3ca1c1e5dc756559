//! `--har FILE`: the HTTP exchanges of a command as a HAR 1.2 file that browser devtools
//! can open. Every secret is replaced by a short hash (`[redacted:1a2b3c]`, the same for
//! two occurrences of one value) while JWT headers and claims stay readable. A HAR file is
//! meant to be shared, so it is redacted even with `--show-secrets`.

use std::path::Path;

use serde_json::{json, Value};

use super::message::Exchange;
use crate::error::{Error, Result};
use crate::redact::Redactor;

fn header_list(r: &Redactor, headers: &[(String, String)]) -> Vec<Value> {
    headers
        .iter()
        .map(|(k, v)| json!({"name": k, "value": r.header(k, v)}))
        .collect()
}

fn entry(r: &Redactor, x: &Exchange) -> Value {
    let req = &x.request;
    let url = r.url(req.url.as_str());
    let query: Vec<Value> = url::Url::parse(&url)
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| json!({"name": k, "value": v}))
                .collect()
        })
        .unwrap_or_default();
    let mut request = json!({
        "method": req.method.as_str(),
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": header_list(r, &req.headers),
        "queryString": query,
        "headersSize": -1,
        "bodySize": req.body.as_ref().map(|b| b.len() as i64).unwrap_or(0),
    });
    if let Some(body) = &req.body {
        let mime = req.content_type().unwrap_or("application/octet-stream");
        let text = r.body(Some(mime), body);
        let mut post = json!({"mimeType": mime, "text": text});
        if mime.contains("x-www-form-urlencoded") {
            let params: Vec<Value> = url::form_urlencoded::parse(text.as_bytes())
                .map(|(k, v)| json!({"name": k, "value": v}))
                .collect();
            post["params"] = Value::Array(params);
        }
        request["postData"] = post;
    }
    let ms = x.elapsed.as_secs_f64() * 1000.0;
    let response = match &x.response {
        Some(resp) => {
            let mime = resp.content_type().unwrap_or("").to_string();
            let text = r.body(Some(&mime), &resp.body);
            json!({
                "status": resp.status,
                "statusText": super::message::reason(resp.status),
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": header_list(r, &resp.headers),
                "content": {"size": resp.body.len(), "mimeType": mime, "text": text},
                "redirectURL": resp.header("location").map(|l| r.url(l)).unwrap_or_default(),
                "headersSize": -1,
                "bodySize": resp.body.len(),
            })
        }
        None => json!({
            "status": 0,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [],
            "content": {"size": 0, "mimeType": "x-unknown"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
            "_error": x.error.as_deref().map(|e| r.text(e)).unwrap_or_default(),
        }),
    };
    json!({
        "startedDateTime": humantime::format_rfc3339_millis(x.started).to_string(),
        "time": ms,
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": ms, "receive": 0},
    })
}

/// The HAR document.
pub fn document(exchanges: &[Exchange], redactor: &Redactor) -> Value {
    let mut r = redactor.clone();
    r.show = false;
    document_as(exchanges, &r)
}

/// The HAR document with secrets as `redactor` says (in clear with `--show-secrets`):
/// what the flow report is built from.
pub fn document_as(exchanges: &[Exchange], r: &Redactor) -> Value {
    json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "oauthctl", "version": env!("CARGO_PKG_VERSION")},
            "pages": [],
            "entries": exchanges.iter().map(|x| entry(r, x)).collect::<Vec<_>>(),
        }
    })
}

/// Writes the HAR file (mode 0600 on Unix: it describes a login even when redacted).
pub fn write(path: &Path, document: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(document)
        .map_err(|e| Error::internal(format!("cannot render the HAR file: {e}")))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    use std::io::Write;
    opts.open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| {
            Error::input(format!("cannot write the HAR file {}: {e}", path.display()))
                .with_hint("check that the directory exists and is writable")
        })
}
