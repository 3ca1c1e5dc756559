//! Shared helpers for the black-box tests: an isolated environment per test, a small
//! HTTP server on 127.0.0.1, the scripted browser and the fixtures; in submodules,
//! `oauthctl mock` driven over plain HTTP ([`mock`]), an https server with a private CA
//! ([`tls`]), the login flow against a mock ([`flow`]) and a mock with a session in it
//! ([`session`]).

pub mod flow;
pub mod hostile;
pub mod kit;
pub mod mock;
pub mod session;
pub mod tls;

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use assert_cmd::Command;
use tempfile::TempDir;

/// An isolated home: HOME and the XDG directories point into a temp dir, and no
/// variable of the caller's environment that oauthctl reads leaks in.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.path().join("config/oauthctl/config.toml")
    }

    /// Writes `$XDG_CONFIG_HOME/oauthctl/config.toml`.
    pub fn write_config(&self, text: &str) -> PathBuf {
        let p = self.config_path();
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    /// What every command of this home runs with: PATH, HOME and the XDG directories
    /// inside it, no colour; nothing else of the caller's environment.
    pub fn vars(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        let at = |p: &str| self.path().join(p).into_os_string();
        vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", self.path().as_os_str().to_owned()),
            ("XDG_CONFIG_HOME", at("config")),
            ("XDG_CACHE_HOME", at("cache")),
            ("XDG_DATA_HOME", at("data")),
            ("XDG_STATE_HOME", at("state")),
            ("XDG_RUNTIME_DIR", at("run")),
            ("NO_COLOR", "1".into()),
        ]
    }

    /// The binary run by `sh -c "SETUP && exec oauthctl ARGS…"` (a shell that sets a
    /// resource limit first, say), with the same isolated environment as [`Env::cmd`].
    pub fn sh(&self, setup: &str) -> std::process::Command {
        let mut c = std::process::Command::new("sh");
        c.arg("-c")
            .arg(format!("{setup} && exec \"$@\""))
            .arg("sh")
            .arg(assert_cmd::cargo::cargo_bin("oauthctl"));
        c.env_clear().envs(self.vars());
        c
    }

    /// The binary with a clean, isolated environment.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("oauthctl").expect("binary");
        c.env_clear().envs(self.vars());
        c
    }
}

/// A canned answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    pub delay_ms: u64,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply {
            status,
            content_type: "application/json".into(),
            body: body.as_bytes().to_vec(),
            headers: vec![],
            delay_ms: 0,
        }
    }
    pub fn html(status: u16, body: &str) -> Self {
        Reply {
            status,
            content_type: "text/html; charset=utf-8".into(),
            body: body.as_bytes().to_vec(),
            headers: vec![],
            delay_ms: 0,
        }
    }
    pub fn delay(mut self, ms: u64) -> Self {
        self.delay_ms = ms;
        self
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A tiny HTTP server on 127.0.0.1 with fixed answers by path (404 otherwise).
pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    server: Arc<tiny_http::Server>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (s2, r2, seen2) = (server.clone(), routes.clone(), seen.clone());
        let handle =
            thread::spawn(move || {
                for mut req in s2.incoming_requests() {
                    let mut body = String::new();
                    let _ = req.as_reader().read_to_string(&mut body);
                    seen2.lock().unwrap().push(Seen {
                        method: req.method().to_string(),
                        url: req.url().to_string(),
                        headers: req
                            .headers()
                            .iter()
                            .map(|h| (h.field.to_string(), h.value.to_string()))
                            .collect(),
                        body,
                    });
                    let path = req.url().split('?').next().unwrap_or("").to_string();
                    let reply =
                        r2.lock().unwrap().get(&path).cloned().unwrap_or_else(|| {
                            Reply::html(404, "<html><body>Not Found</body></html>")
                        });
                    if reply.delay_ms > 0 {
                        thread::sleep(std::time::Duration::from_millis(reply.delay_ms));
                    }
                    let mut resp = tiny_http::Response::from_data(reply.body)
                        .with_status_code(reply.status)
                        .with_header(
                            tiny_http::Header::from_bytes(
                                "Content-Type",
                                reply.content_type.as_bytes(),
                            )
                            .unwrap(),
                        );
                    for (k, v) in reply.headers {
                        resp = resp.with_header(
                            tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap(),
                        );
                    }
                    let _ = req.respond(resp);
                }
            });
        Server {
            base: format!("http://127.0.0.1:{port}"),
            seen,
            routes,
            server,
            handle: Some(handle),
        }
    }

    pub fn route(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn hits(&self, path: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.url.split('?').next() == Some(path))
            .count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// The query parameters of a URL, in order.
pub fn query_pairs(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .expect("url")
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// `target/debug/examples/fake_browser`, built by `cargo test` next to the test binary.
pub fn fake_browser() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let p = dir
        .join("examples")
        .join(format!("fake_browser{}", std::env::consts::EXE_SUFFIX));
    assert!(
        p.exists(),
        "{} is missing: run the tests with `cargo test` (it builds the examples)",
        p.display()
    );
    p
}

/// The claims of a JWT, not verified.
pub fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}
