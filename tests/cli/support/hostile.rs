//! The hostile-server corpus: canned answers read from `tests/corpus/hostile/*.http`,
//! served by a tiny server on 127.0.0.1 that is otherwise a well-behaved authorization
//! server (authorize redirects back with a code, device authorization, token,
//! introspection and registration endpoints with good answers).
//!
//! A corpus file is a few `name: value` lines, a blank line, then the body verbatim:
//!
//! ```text
//! # what the case is (comment lines start with #)
//! endpoint: token            token (default), device, introspect or register
//! status: 500
//! header: Content-Type: application/json
//! secret: hostile-access-1   a value that must never be shown (repeatable)
//! escapes: yes               \x1b, \r, \n, \t and \\ in the body are unescaped
//! pad: 3145728               `@PAD@` in the body becomes that many `A`s
//! runs: refresh              only these commands meet it (login, refresh, exchange, device)
//!
//! {"access_token":"hostile-access-1"}
//! ```

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread;

/// The code the authorize endpoint hands out.
pub const CODE: &str = "corpus-code-SECRET-7d1f";
/// The access token of the good token answer.
pub const GOOD_ACCESS: &str = "corpus-good-access-SECRET-55aa";

/// One canned answer.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub endpoint: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub secrets: Vec<String>,
    /// `runs: refresh exchange`: only these commands meet it (empty: every one).
    pub runs: Vec<String>,
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).expect("\\xHH")));
            }
            Some('u') => {
                // \u{9b}
                let rest: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let n = u32::from_str_radix(rest.trim_start_matches('{'), 16).expect("\\u{…}");
                out.push(char::from_u32(n).expect("a char"));
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

impl Case {
    pub fn parse(name: &str, text: &str) -> Case {
        let (meta, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut case = Case {
            name: name.to_string(),
            endpoint: "token".into(),
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
            secrets: Vec::new(),
            runs: Vec::new(),
        };
        let mut escapes = false;
        let mut pad = 0usize;
        for line in meta
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let (k, v) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("{name}: `{line}`"));
            let v = v.trim();
            match k.trim() {
                "endpoint" => case.endpoint = v.to_string(),
                "status" => case.status = v.parse().expect("status"),
                "header" => {
                    let (hk, hv) = v.split_once(':').expect("header: Name: value");
                    case.headers.push((hk.trim().into(), hv.trim().into()));
                }
                "secret" => case.secrets.push(v.to_string()),
                "escapes" => escapes = v == "yes",
                "runs" => case.runs = v.split_whitespace().map(str::to_string).collect(),
                "pad" => pad = v.parse().expect("pad"),
                other => panic!("{name}: unknown field `{other}`"),
            }
        }
        let body = body.strip_suffix('\n').unwrap_or(body);
        let mut body = if escapes {
            unescape(body)
        } else {
            body.to_string()
        };
        if pad > 0 {
            body = body.replace("@PAD@", &"A".repeat(pad));
        }
        case.body = body.into_bytes();
        case
    }
}

/// Every case of `tests/corpus/hostile/`, by file name.
pub fn corpus() -> Vec<Case> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/hostile");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/corpus/hostile")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "http"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            Case::parse(&name, &std::fs::read_to_string(p).expect("utf-8 case"))
        })
        .collect()
}

/// The server: every endpoint answers well, except the one the current case names.
pub struct HostileServer {
    pub base: String,
    case: Arc<Mutex<Option<Case>>>,
    /// How many requests the current case's endpoint answered.
    hits: Arc<Mutex<usize>>,
    server: Arc<tiny_http::Server>,
    handle: Option<thread::JoinHandle<()>>,
}

fn good(endpoint: &str, base: &str) -> (u16, String) {
    match endpoint {
        "token" => (
            200,
            format!(r#"{{"access_token":"{GOOD_ACCESS}","token_type":"Bearer","expires_in":3600}}"#),
        ),
        "device" => (
            200,
            format!(
                r#"{{"device_code":"corpus-device-code-SECRET","user_code":"WDJB-MJHT","verification_uri":"{base}/verify","expires_in":3,"interval":0}}"#
            ),
        ),
        "introspect" => (200, r#"{"active":true,"scope":"read"}"#.into()),
        "register" => (
            201,
            r#"{"client_id":"corpus-registered","client_secret":"corpus-registered-SECRET-1","redirect_uris":["http://127.0.0.1:1/callback"]}"#.into(),
        ),
        _ => (404, "not found".into()),
    }
}

fn respond(req: tiny_http::Request, status: u16, headers: &[(String, String)], body: Vec<u8>) {
    let mut resp = tiny_http::Response::from_data(body).with_status_code(status);
    for (k, v) in headers {
        // A header tiny_http cannot send (a CR or LF in it) is left out.
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            resp = resp.with_header(h);
        }
    }
    let _ = req.respond(resp);
}

impl HostileServer {
    pub fn start() -> HostileServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let base = format!("http://127.0.0.1:{port}");
        let case: Arc<Mutex<Option<Case>>> = Arc::default();
        let hits: Arc<Mutex<usize>> = Arc::default();
        let (s2, c2, b2, h2) = (server.clone(), case.clone(), base.clone(), hits.clone());
        let handle = thread::spawn(move || {
            for mut req in s2.incoming_requests() {
                let mut sink = Vec::new();
                let _ = req.as_reader().read_to_end(&mut sink);
                let url = req.url().to_string();
                let path = url.split('?').next().unwrap_or("").trim_start_matches('/');
                if path == "authorize" {
                    let q = super::query_pairs(&format!("http://x{url}"));
                    let get = |k: &str| {
                        q.iter()
                            .find(|(n, _)| n == k)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default()
                    };
                    let mut to = url::Url::parse(&get("redirect_uri")).expect("redirect_uri");
                    to.query_pairs_mut()
                        .append_pair("code", CODE)
                        .append_pair("state", &get("state"));
                    let h = vec![("Location".to_string(), to.to_string())];
                    respond(req, 302, &h, Vec::new());
                    continue;
                }
                if path == "verify" {
                    let h = vec![("Content-Type".to_string(), "text/html".to_string())];
                    respond(req, 200, &h, b"<html><body>ok</body></html>".to_vec());
                    continue;
                }
                let current = c2.lock().unwrap().clone();
                match current.filter(|c| c.endpoint == path) {
                    Some(c) => {
                        *h2.lock().unwrap() += 1;
                        respond(req, c.status, &c.headers, c.body)
                    }
                    None => {
                        let (status, body) = good(path, &b2);
                        let h = vec![("Content-Type".to_string(), "application/json".to_string())];
                        respond(req, status, &h, body.into_bytes());
                    }
                }
            }
        });
        HostileServer {
            base,
            case,
            hits,
            server,
            handle: Some(handle),
        }
    }

    /// From now on, the case's endpoint answers the case.
    pub fn serve(&self, case: Option<&Case>) {
        *self.case.lock().unwrap() = case.cloned();
        *self.hits.lock().unwrap() = 0;
    }

    /// How many times the current case was served.
    pub fn hits(&self) -> usize {
        *self.hits.lock().unwrap()
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
