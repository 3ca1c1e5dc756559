//! Helpers for driving `oauthctl mock` from black-box tests: the mock as a child process
//! (killed on drop) and a plain HTTP/1.1 client over `std::net::TcpStream`, so requests
//! can be exactly what a test wants, malformed ones included.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Env;

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text()))
    }
    /// The query (or, for the implicit grant, fragment) parameters of the Location.
    pub fn redirect_params(&self) -> HashMap<String, String> {
        let loc = self
            .header("location")
            .unwrap_or_else(|| panic!("no Location: {} {}", self.status, self.text()));
        let u = url::Url::parse(loc).expect("Location is a URL");
        let mut out: HashMap<String, String> = u
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if let Some(f) = u.fragment() {
            out.extend(
                url::form_urlencoded::parse(f.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        }
        out
    }
    pub fn location(&self) -> String {
        self.header("location").unwrap_or_default().to_string()
    }
}

fn split_url(url: &str) -> (String, String) {
    let u = url::Url::parse(url).expect("absolute URL");
    let host = format!(
        "{}:{}",
        u.host_str().expect("host"),
        u.port_or_known_default().expect("port")
    );
    let mut target = u.path().to_string();
    if let Some(q) = u.query() {
        target.push('?');
        target.push_str(q);
    }
    (host, target)
}

/// Sends raw bytes, closes the write side, and returns everything the server answered.
pub fn send_raw(host: &str, bytes: &[u8]) -> Vec<u8> {
    send(host, bytes, true)
}

fn send(host: &str, bytes: &[u8], half_close: bool) -> Vec<u8> {
    let mut s = TcpStream::connect(host).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(bytes);
    if half_close {
        let _ = s.shutdown(std::net::Shutdown::Write);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

/// Parses an HTTP/1.1 answer (Content-Length or chunked).
pub fn parse_response(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        let mut body = Vec::new();
        let mut i = 0;
        while let Some(p) = rest[i..].windows(2).position(|w| w == b"\r\n") {
            let n = usize::from_str_radix(String::from_utf8_lossy(&rest[i..i + p]).trim(), 16)
                .unwrap_or(0);
            if n == 0 {
                break;
            }
            let start = i + p + 2;
            body.extend_from_slice(&rest[start..start + n]);
            i = start + n + 2;
        }
        body
    } else {
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(rest.len());
        rest[..len.min(rest.len())].to_vec()
    };
    Resp {
        status,
        headers,
        body,
    }
}

/// One request, `Connection: close`.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let (host, target) = split_url(url);
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    parse_response(&send(&host, &bytes, false))
}

pub fn get(url: &str) -> Resp {
    request("GET", url, &[], b"")
}

pub fn get_bearer(url: &str, token: &str) -> Resp {
    request(
        "GET",
        url,
        &[("Authorization", &format!("Bearer {token}"))],
        b"",
    )
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// POST a form, with extra headers.
pub fn post_form(url: &str, pairs: &[(&str, &str)], headers: &[(&str, &str)]) -> Resp {
    let mut h: Vec<(&str, &str)> = vec![("Content-Type", "application/x-www-form-urlencoded")];
    h.extend_from_slice(headers);
    request("POST", url, &h, form(pairs).as_bytes())
}

pub fn post_json(url: &str, body: &Value) -> Resp {
    request(
        "POST",
        url,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

/// `Basic base64(id:secret)`.
pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// A PKCE pair: (verifier, S256 challenge).
pub fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(rand_bytes());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn rand_bytes() -> [u8; 48] {
    let mut b = [0u8; 48];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut b);
    b
}

/// `oauthctl mock` running as a child process; killed on drop.
pub struct MockProc {
    child: Child,
    pub base: String,
    pub host: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

/// The binary with the same isolated environment as `Env::cmd`.
pub fn std_cmd(env: &Env) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("oauthctl"));
    c.env_clear().envs(env.vars());
    c
}

impl MockProc {
    /// Starts `oauthctl mock -p PROVIDER --port 0 ARGS…` and waits for its address.
    pub fn start(env: &Env, provider: &str, args: &[&str]) -> MockProc {
        let mut cmd = std_cmd(env);
        cmd.args(["mock", "-p", provider, "--port", "0"]).args(args);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn oauthctl mock");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<String>();
        let out = child.stdout.take().expect("stdout");
        let so = stdout.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(i) = line.find("http://127.0.0.1:") {
                    let addr: String = line[i..]
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '"')
                        .collect();
                    let _ = tx.send(addr);
                }
                so.lock().unwrap().push_str(&line);
                so.lock().unwrap().push('\n');
            }
        });
        let err = child.stderr.take().expect("stderr");
        let se = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                se.lock().unwrap().push_str(&line);
                se.lock().unwrap().push('\n');
            }
        });
        let base = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(b) => b,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                panic!(
                    "oauthctl mock did not print its address; stderr:\n{}",
                    stderr.lock().unwrap()
                );
            }
        };
        // The snippet (or the --json line) ends with the redirect URI: wait until it
        // has been read whole.
        for _ in 0..200 {
            if stdout.lock().unwrap().contains("redirect_uri") {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let host = base.trim_start_matches("http://").to_string();
        MockProc {
            child,
            base,
            host,
            stdout,
            stderr,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What the mock printed on stdout so far (the config snippet).
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// What the mock printed on stderr so far (its request lines).
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// What the mock printed on stderr once it holds `needle`, or after 10 s: the mock
    /// writes a request's line before it answers, but the thread that reads the pipe
    /// may not have read it yet when the answer arrives (seen on a loaded machine).
    pub fn stderr_once(&self, needle: &str) -> String {
        for _ in 0..1000 {
            let text = self.stderr();
            if text.contains(needle) {
                return text;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.stderr()
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// GET the authorization endpoint at `path` with `params`.
    pub fn authorize(&self, path: &str, params: &[(&str, &str)]) -> Resp {
        get(&format!("{}?{}", self.url(path), form(params)))
    }
}

impl Drop for MockProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
