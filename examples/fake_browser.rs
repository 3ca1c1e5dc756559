//! A scripted "browser" for the black-box tests of `oauthctl login --browser CMD`.
//!
//! It GETs the URL with a raw HTTP/1.1 client over `std::net::TcpStream` (no TLS, no
//! cookies), follows `Location` redirects, answers a consent page's form, and so
//! reaches the loopback listener the way a browser would. Given a device verification
//! URL (`login --device`), it answers the mock's approval page the same way.
//!
//! Usage: `fake_browser [--print-final] URL`
//!
//! - `--print-final`: stop before a redirect it cannot follow (https) or to the
//!   redirect URI and print that URL on stdout (for paste mode).
//!
//! Environment:
//! - `FAKE_BROWSER_LOG=FILE`: append one line per request (`GET url -> 302`), and the
//!   final page's text as `PAGE status text`.
//! - `FAKE_BROWSER_DECISION=approve|deny|ignore`: what to do on a consent page
//!   (default approve; `ignore` leaves it there, as a user who walks away).
//! - `FAKE_BROWSER_FORGE=1`: before delivering the redirect to the listener, send it a
//!   favicon request and the same redirect with a forged state.
//! - `FAKE_BROWSER_STOP_AT=PREFIX`: like `--print-final`, for URLs starting with PREFIX.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn log(line: &str) {
    if let Ok(path) = std::env::var("FAKE_BROWSER_LOG") {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{line}");
        }
    }
}

fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(pos) = rest.windows(2).position(|w| w == b"\r\n") {
        let size_line = String::from_utf8_lossy(&rest[..pos]);
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        rest = &rest[pos + 2..];
        if size == 0 || rest.len() < size {
            break;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[(size + 2).min(rest.len())..];
    }
    out
}

fn request(method: &str, url: &url::Url, form: Option<&str>) -> Result<Resp, String> {
    if url.scheme() != "http" {
        return Err(format!("cannot fetch {url}: only http is supported"));
    }
    let host = url.host_str().ok_or("no host")?;
    let port = url.port_or_known_default().unwrap_or(80);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("resolve {host}: {e}"))?
        .collect();
    let mut stream = None;
    for a in addrs {
        if let Ok(s) = TcpStream::connect_timeout(&a, Duration::from_secs(5)) {
            stream = Some(s);
            break;
        }
    }
    let mut s = stream.ok_or_else(|| format!("cannot connect to {host}:{port}"))?;
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host_header = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_string(),
    };
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: oauthctl-fake-browser\r\nAccept: text/html\r\nConnection: close\r\n"
    );
    if let Some(f) = form {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            f.len()
        ));
    }
    req.push_str("\r\n");
    if let Some(f) = form {
        req.push_str(f);
    }
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or("bad status line")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let resp = Resp {
        status,
        headers,
        body: String::new(),
    };
    if resp
        .header("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"))
    {
        body = dechunk(&body);
    }
    log(&format!("{method} {url} -> {status}"));
    Ok(Resp {
        body: String::from_utf8_lossy(&body).into_owned(),
        ..resp
    })
}

/// The value of `name="key" value="…"` in a form, roughly.
fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.find("value=\"")? + 7;
    let end = v + tag[v..].find('"')?;
    Some(tag[v..end].replace("&amp;", "&").replace("&quot;", "\""))
}

/// The body and target of a form_post page's form (exits when it has none).
fn form_post(html: &str, url: &url::Url) -> (String, url::Url) {
    let Some(action) = form_action(html) else {
        log("ERROR form_post page without its form");
        std::process::exit(1);
    };
    log("FORM_POST");
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(hidden_fields(html))
        .finish();
    match url.join(&action) {
        Ok(u) => (body, u),
        Err(e) => {
            log(&format!("ERROR bad form action: {e}"));
            std::process::exit(1);
        }
    }
}

/// Every `<input type="hidden" name="…" value="…">` of a page, in order.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<input type=\"hidden\" name=\"") {
        let tag = &rest[at..];
        let end = tag.find('>').unwrap_or(tag.len());
        let tag_text = &tag[..end];
        let name_at = tag_text.find("name=\"").map(|i| i + 6);
        if let Some(n) = name_at {
            let name_end = n + tag_text[n..].find('"').unwrap_or(0);
            let name = &tag_text[n..name_end];
            if let Some(v) = input_value(tag, name) {
                out.push((name.replace("&amp;", "&"), v));
            }
        }
        rest = &tag[end..];
    }
    out
}

fn form_action(html: &str) -> Option<String> {
    let f = html.find("<form")?;
    let a = f + html[f..].find("action=\"")? + 8;
    let end = a + html[a..].find('"')?;
    Some(html[a..end].replace("&amp;", "&"))
}

fn text_of(html: &str) -> String {
    // Without the style sheet.
    let html = match (html.find("<style"), html.find("</style>")) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &html[..a], &html[b + 8..]),
        _ => html.to_string(),
    };
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Before the real redirect: a favicon request and the redirect with a forged state.
fn forge_requests(next: &url::Url) {
    let mut fav = next.clone();
    fav.set_path("/favicon.ico");
    fav.set_query(None);
    let _ = request("GET", &fav, None);
    let mut forged = next.clone();
    let pairs: Vec<(String, String)> = next
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" {
                "forged-state".to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    match request("GET", &forged, None) {
        Ok(r) => log(&format!("FORGED {} {}", r.status, text_of(&r.body))),
        Err(e) => log(&format!("FORGED ERROR {e}")),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let print_final = args.iter().any(|a| a == "--print-final");
    let Some(start) = args.iter().rev().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: fake_browser [--print-final] URL");
        std::process::exit(2);
    };
    let stop_at = std::env::var("FAKE_BROWSER_STOP_AT").ok();
    let decision = std::env::var("FAKE_BROWSER_DECISION").unwrap_or_else(|_| "approve".into());
    let forge = std::env::var("FAKE_BROWSER_FORGE").is_ok();
    let mut url = match url::Url::parse(start) {
        Ok(u) => u,
        Err(e) => {
            log(&format!("ERROR bad url: {e}"));
            std::process::exit(2);
        }
    };
    let mut form: Option<String> = None;
    for _hop in 0..12 {
        let method = if form.is_some() { "POST" } else { "GET" };
        let resp = match request(method, &url, form.as_deref()) {
            Ok(r) => r,
            Err(e) => {
                log(&format!("ERROR {e}"));
                std::process::exit(1);
            }
        };
        form = None;
        if (300..400).contains(&resp.status) {
            let Some(next) = resp.header("location").and_then(|l| url.join(l).ok()) else {
                log("ERROR redirect without Location");
                std::process::exit(1);
            };
            let stop = next.scheme() != "http"
                || stop_at
                    .as_ref()
                    .is_some_and(|p| next.as_str().starts_with(p.as_str()));
            if stop {
                println!("{next}");
                log(&format!("FINAL {next}"));
                return;
            }
            let to_listener = (next.query_pairs().any(|(k, _)| k == "state")
                && next.query_pairs().any(|(k, _)| k == "code" || k == "error"))
                || next.query_pairs().any(|(k, _)| k == "response");
            if to_listener && print_final {
                println!("{next}");
                log(&format!("FINAL {next}"));
                return;
            }
            if to_listener && forge {
                forge_requests(&next);
            }
            if to_listener {
                // For bench/login_callback.py: when the redirect left for the listener.
                let ns = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                log(&format!("CALLBACK {ns}"));
            }
            url = next;
            continue;
        }
        // A sign-in page may come as a 401 (a single-sign-on portal's `WWW-Authenticate`).
        if (resp.status == 200 || resp.status == 401) && resp.body.contains("name=\"decision\"") {
            if decision == "ignore" {
                log("CONSENT ignored");
                return;
            }
            // The consent page names its request; a device verification page (RFC
            // 8628) its user code.
            let field = if resp.body.contains("name=\"request\"") {
                "request"
            } else {
                "user_code"
            };
            let (Some(id), Some(action)) =
                (input_value(&resp.body, field), form_action(&resp.body))
            else {
                log("ERROR consent page without its form");
                std::process::exit(1);
            };
            form = Some(
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair(field, &id)
                    .append_pair("decision", &decision)
                    .finish(),
            );
            url = match url.join(&action) {
                Ok(u) => u,
                Err(e) => {
                    log(&format!("ERROR bad form action: {e}"));
                    std::process::exit(1);
                }
            };
            continue;
        }
        // A form_post response (OAuth 2.0 Form Post Response Mode): the page's form
        // is submitted (a browser runs its script), its hidden fields POSTed.
        if resp.status == 200 && resp.body.contains("<form method=\"post\"") {
            let (body, next) = form_post(&resp.body, &url);
            (form, url) = (Some(body), next);
            continue;
        }
        log(&format!("PAGE {} {}", resp.status, text_of(&resp.body)));
        return;
    }
    log("ERROR too many redirects");
    std::process::exit(1);
}
