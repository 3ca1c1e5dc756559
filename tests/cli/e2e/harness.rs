//! Harness of the end-to-end suite (tests/cli/e2e/real_provider.rs): oauthctl against
//! software we did not write. Nothing here is skipped: when a piece is missing the test
//! FAILS and says to run `scripts/e2e-setup.sh`.
//!
//! Pieces (all on 127.0.0.1; every process is killed when its handle drops):
//!
//! * [`start_provider`] / [`start_provider_with`]`(&[("E2E_BREAK", "client_id")])` start
//!   e2e/provider.mjs (npm `oidc-provider`) on a free port and return a [`Provider`]
//!   (`.issuer`, `.url(path)`, `.metadata()`, `.log()`). Its clients, resources and
//!   account are the constants below; its configuration is documented in e2e/provider.mjs.
//!   `E2E_BREAK` set in the test run's environment reaches every provider the suite starts:
//!   `E2E_BREAK=client_id cargo test --test cli e2e::real_provider` must make the suite fail.
//! * [`browser_cmd`] is what to pass to `oauthctl login --browser`: e2e/bin/browser, which
//!   starts the Chromium driver (e2e/browser.mjs) in the background and returns at once.
//!   [`Browser`] owns one driver's log: put `.env()` on the command that opens the browser
//!   (oauthctl's, or use `.open(url)` / `.open_device(uri, code)`), then `.wait_done()`
//!   gives the driver's verdict; dropping it kills the driver and its Chromium.
//! * [`CallbackListener`] is a loopback redirect target of the test's own (for flows where
//!   oauthctl's listener is not in play, e.g. `authorize-url`).
//! * [`KeyringSession`] keeps a real Secret Service (gnome-keyring under dbus-run-session,
//!   unlocked with a password) for the test's HOME; `.apply(&mut cmd)` points a command at
//!   it, so `oauthctl login --store keyring`, `token` and `logout` share one keyring.
//!   e2e/with-keyring.sh CMD does the same for a single command.
//! * [`post_form`] / [`get_json`]: plain HTTP calls from the test to the provider (a token
//!   exchange done by hand, introspection to check a claim of oauthctl's, ...).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sha2::Digest;

use crate::support::Env;

/// The public native client: auth method `none`, redirect URI http://127.0.0.1/callback on
/// any port, grants authorization_code, refresh_token, device_code. Id tokens are ES256.
pub const NATIVE_CLIENT_ID: &str = "oauthctl-native";
/// Confidential client authenticating with client_secret_basic (all grants).
pub const BASIC_CLIENT_ID: &str = "oauthctl-basic";
pub const BASIC_CLIENT_SECRET: &str = "e2e-basic-secret-0123456789abcdef";
/// Confidential client authenticating with client_secret_post (all grants).
pub const POST_CLIENT_ID: &str = "oauthctl-post";
pub const POST_CLIENT_SECRET: &str = "e2e-post-secret-0123456789abcdef";
/// Resource whose access tokens are JWTs signed RS256 (kid e2e-rs256), aud = itself.
pub const JWT_RESOURCE: &str = "urn:oauthctl:e2e:jwt-api";
/// Resource whose access tokens are opaque.
pub const OPAQUE_RESOURCE: &str = "urn:oauthctl:e2e:opaque-api";
/// The test account (any password): its claims.
pub const ALICE: &str = "alice";
pub const ALICE_EMAIL: &str = "alice@example.com";
pub const ALICE_NAME: &str = "Alice Example";
/// The provider's Content-Security-Policy (e2e/provider.mjs).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:";

/// How long a provider may take to say READY, a browser to finish, a callback to arrive.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(90);

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn e2e_dir() -> PathBuf {
    repo_root().join("e2e")
}

const SETUP_HINT: &str = "run scripts/e2e-setup.sh (installs chromium, gnome-keyring, dbus-daemon, libsecret-tools with apt, and e2e/node_modules with npm ci)";

/// Fails the test (never skips it) when a piece of the harness is missing or stale.
pub fn require_e2e_deps() {
    let mut missing = Vec::new();
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {
            let v = String::from_utf8_lossy(&o.stdout);
            let major: u32 = v
                .trim()
                .trim_start_matches('v')
                .split('.')
                .next()
                .and_then(|m| m.parse().ok())
                .unwrap_or(0);
            if major < 20 {
                missing.push(format!("Node.js 20 or newer (found {})", v.trim()));
            }
        }
        _ => missing.push("node (Node.js 20 or newer)".to_string()),
    }
    for exe in [
        "/usr/bin/chromium",
        "/usr/bin/dbus-run-session",
        "/usr/bin/dbus-send",
        "/usr/bin/gnome-keyring-daemon",
        "/usr/bin/secret-tool",
    ] {
        if !Path::new(exe).exists() {
            missing.push(exe.to_string());
        }
    }
    let modules = e2e_dir().join("node_modules");
    for m in ["oidc-provider", "playwright-core"] {
        if !modules.join(m).join("package.json").exists() {
            missing.push(format!("e2e/node_modules/{m}"));
        }
    }
    if missing.is_empty() {
        let lock = std::fs::read(e2e_dir().join("package-lock.json")).unwrap_or_default();
        let want = hex(&sha2::Sha256::digest(&lock));
        let have =
            std::fs::read_to_string(modules.join(".oauthctl-e2e-lock.sha256")).unwrap_or_default();
        if have.trim() != want {
            missing.push("an e2e/node_modules installed from the current e2e/package-lock.json (it is stale)".to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "the end-to-end suite needs {}: {SETUP_HINT}",
        missing.join(", ")
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A running e2e/provider.mjs (or e2e/dot/server.py). Dropping it kills the process.
pub struct Provider {
    /// e.g. http://127.0.0.1:41234 (no trailing slash; django-oauth-toolkit's ends in /o)
    pub issuer: String,
    pub port: u16,
    child: Child,
    /// Held open: the provider exits when this pipe closes (E2E_STDIN_LIFELINE), so even a
    /// test run killed without unwinding leaves no provider behind.
    _lifeline: Option<ChildStdin>,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

/// Starts a provider with the configuration of e2e/provider.mjs.
pub fn start_provider() -> Provider {
    start_provider_with(&[])
}

/// Starts a provider with extra environment, e.g. `[("E2E_BREAK", "client_id")]`.
pub fn start_provider_with(env: &[(&str, &str)]) -> Provider {
    require_e2e_deps();
    let mut cmd = Command::new("node");
    cmd.arg(e2e_dir().join("provider.mjs"))
        .args(["--port", "0"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    start_server(cmd, "e2e/provider.mjs")
}

/// Runs a server that prints `READY <issuer>` on stdout (e2e/provider.mjs,
/// e2e/dot/server.py) with a lifeline on its stdin, its stderr in a log file and TMPDIR in
/// a directory of its own; waits for READY.
pub fn start_server(mut cmd: Command, what: &str) -> Provider {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("provider.log");
    let log_file = std::fs::File::create(&log).expect("provider log");
    cmd.env("E2E_STDIN_LIFELINE", "1")
        .env("TMPDIR", dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log_file);
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("start {what}: {e}"));
    let lifeline = child.stdin.take();
    let stdout = child.stdout.take().expect("provider stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(issuer) = line.strip_prefix("READY ") {
                let _ = tx.send(issuer.trim().to_string());
            }
        }
    });
    let mut provider = Provider {
        issuer: String::new(),
        port: 0,
        child,
        _lifeline: lifeline,
        log,
        _dir: dir,
    };
    match rx.recv_timeout(START_TIMEOUT) {
        Ok(issuer) => {
            provider.port = url::Url::parse(&issuer)
                .ok()
                .and_then(|u| u.port())
                .expect("READY line carries a port");
            provider.issuer = issuer;
            provider
        }
        Err(_) => panic!(
            "{what} did not print READY within {START_TIMEOUT:?}; its log:\n{}",
            provider.log()
        ),
    }
}

impl Provider {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.issuer, path)
    }

    /// The provider's stderr so far: one line per request (paths only) and its errors.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Its OpenID discovery document, fetched by the test itself.
    pub fn metadata(&self) -> serde_json::Value {
        let (status, v) = get_json(&self.url("/.well-known/openid-configuration"), None);
        assert_eq!(status, 200, "discovery answered {status}: {v}");
        v
    }

    /// A `[providers.NAME]` config table pointing at this provider by issuer only.
    pub fn config_table(&self, name: &str, client_id: &str) -> String {
        format!(
            "[providers.{name}]\nissuer = \"{}\"\nclient_id = \"{client_id}\"\n",
            self.issuer
        )
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `--browser` command for oauthctl: e2e/bin/browser (absolute path). It needs `node`
/// on PATH and reads E2E_BROWSER_LOG, so give the oauthctl command [`Browser::env`] too.
/// oauthctl splits the value into words (quotes respected) and appends the URL, so a path
/// with spaces is quoted.
pub fn browser_cmd() -> String {
    let path = browser_path().display().to_string();
    if path.chars().any(char::is_whitespace) {
        format!("\"{}\"", path.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        path
    }
}

/// e2e/bin/browser, the opener script itself.
pub fn browser_path() -> PathBuf {
    e2e_dir().join("bin/browser")
}

/// What the Chromium driver reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Error(String),
}

/// One browser driver run: its log file and a HOME of its own for Chromium.
/// Dropping it stops the driver (SIGTERM to its process group, SIGKILL after 8 s).
pub struct Browser {
    dir: tempfile::TempDir,
    pub log_path: PathBuf,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    pub fn new() -> Self {
        require_e2e_deps();
        let dir = tempfile::tempdir().expect("tempdir");
        let log_path = dir.path().join("browser.log");
        Browser { dir, log_path }
    }

    /// Environment the driver needs, to add to whatever command launches it (oauthctl's
    /// environment is cleared by `Env::cmd`).
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            (
                "E2E_BROWSER_LOG".into(),
                self.log_path.display().to_string(),
            ),
            (
                "E2E_BROWSER_TIMEOUT".into(),
                BROWSER_TIMEOUT.as_secs().to_string(),
            ),
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            ("HOME".into(), self.dir.path().display().to_string()),
        ]
    }

    /// Adds [`Self::env`] to an oauthctl command (keeps the command's HOME if it has one).
    pub fn apply(&self, cmd: &mut assert_cmd::Command) {
        for (k, v) in self.env() {
            if k != "HOME" {
                cmd.env(k, v);
            }
        }
    }

    /// Opens `url` the way `oauthctl login --browser` does: runs [`browser_cmd`] URL, which
    /// must return at once (it detaches). Panics if it fails or does not return in 15 s.
    pub fn open(&self, url: &str) {
        self.launch(&[url]);
    }

    /// Device flow: the driver enters `user_code` at `verification_uri`, signs in, consents
    /// and confirms. Returns at once like [`Self::open`].
    pub fn open_device(&self, verification_uri: &str, user_code: &str) {
        self.launch(&["--device", verification_uri, user_code]);
    }

    fn launch(&self, args: &[&str]) {
        let mut cmd = Command::new(browser_path());
        cmd.args(args)
            .env_clear()
            .envs(self.env())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd.spawn().expect("run e2e/bin/browser");
        let out = wait_output(child, Duration::from_secs(15)).unwrap_or_else(|| {
            panic!("e2e/bin/browser did not return within 15 s: it must detach")
        });
        assert!(
            out.status.success(),
            "e2e/bin/browser failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The driver's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Waits for the driver's `DONE` line.
    pub fn wait_done(&self, timeout: Duration) -> Outcome {
        let deadline = Instant::now() + timeout;
        loop {
            let log = self.log();
            if let Some(line) = log
                .lines()
                .find_map(|l| l.split_once("] DONE ").map(|x| x.1))
            {
                return if line.trim() == "ok" {
                    Outcome::Ok
                } else {
                    Outcome::Error(line.trim_start_matches("error ").trim().to_string())
                };
            }
            if Instant::now() > deadline {
                panic!("the browser driver did not finish within {timeout:?}; its log:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Panics unless the driver finished successfully.
    pub fn expect_ok(&self) {
        match self.wait_done(BROWSER_TIMEOUT) {
            Outcome::Ok => {}
            Outcome::Error(e) => panic!("the browser driver failed: {e}\nits log:\n{}", self.log()),
        }
    }

    /// Waits for the redirect to reach `listener`; fails at once, with the driver's reason,
    /// when the driver gives up first (an error page, a refused login, ...).
    pub fn wait_callback(&self, listener: &CallbackListener) -> Callback {
        let deadline = Instant::now() + BROWSER_TIMEOUT;
        loop {
            if let Some(cb) = listener.wait(Duration::from_millis(200)) {
                return cb;
            }
            let log = self.log();
            if let Some(why) = log
                .lines()
                .find_map(|l| l.split_once("] DONE error ").map(|x| x.1))
            {
                panic!("the browser driver failed before the redirect reached the listener: {why}\nits log:\n{log}");
            }
            if Instant::now() > deadline {
                panic!("no redirect reached the listener within {BROWSER_TIMEOUT:?}; browser log:\n{log}");
            }
        }
    }

    /// `EXTERNAL …` lines: requests the pages tried to send off loopback.
    pub fn external_requests(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter_map(|l| l.split_once("] EXTERNAL ").map(|x| x.1.to_string()))
            .collect()
    }

    fn pids(&self) -> Vec<i32> {
        self.log()
            .lines()
            .filter_map(|l| l.split_once("] PID ").and_then(|x| x.1.trim().parse().ok()))
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The detached driver leads its own process group; SIGTERM lets it close Chromium
        // and delete its profile; whatever is left after 8 s is killed.
        let pids = self.pids();
        let alive = |pid: i32| unsafe { libc::kill(pid, 0) } == 0;
        for &pid in &pids {
            if alive(pid) {
                unsafe { libc::kill(-pid, libc::SIGTERM) };
            }
        }
        let deadline = Instant::now() + Duration::from_secs(8);
        while pids.iter().any(|&p| alive(p)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        for &pid in &pids {
            if alive(pid) {
                unsafe { libc::kill(-pid, libc::SIGKILL) };
            }
        }
    }
}

/// Waits for a child with a deadline; kills it when the deadline passes.
pub fn wait_output(mut child: Child, timeout: Duration) -> Option<std::process::Output> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return child.wait_with_output().ok(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// A request that reached a [`CallbackListener`].
#[derive(Debug, Clone)]
pub struct Callback {
    pub path: String,
    pub params: Vec<(String, String)>,
}

impl Callback {
    pub fn param(&self, k: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(pk, _)| pk == k)
            .map(|(_, v)| v.as_str())
    }
}

/// A loopback redirect target on 127.0.0.1 (std TcpListener): answers each GET with a small
/// HTML page titled "callback received".
pub struct CallbackListener {
    listener: TcpListener,
    pub port: u16,
}

impl CallbackListener {
    pub fn bind() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        CallbackListener { listener, port }
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// The next request's path and query, or None when none came within `timeout`.
    pub fn wait(&self, timeout: Duration) -> Option<Callback> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(cb) = Self::serve(stream) {
                        return Some(cb);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if Instant::now() > deadline {
                        return None;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("accept on the callback listener: {e}"),
            }
        }
    }

    fn serve(mut stream: TcpStream) -> Option<Callback> {
        stream.set_nonblocking(false).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut chunk).ok()?;
            if n == 0 {
                return None; // a speculative connection that sent nothing
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let head = String::from_utf8_lossy(&buf);
        let target = head.lines().next()?.split_whitespace().nth(1)?.to_string();
        let body = "<!DOCTYPE html><html><head><title>callback received</title></head><body>ok</body></html>";
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let u = url::Url::parse(&format!("http://127.0.0.1{target}")).ok()?;
        Some(Callback {
            path: u.path().to_string(),
            params: u
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        })
    }
}

/// A real Secret Service for the test's HOME, kept for the life of this handle:
/// `e2e/with-keyring.sh --serve` under the test's environment. Dropping it closes the
/// session (the bus and gnome-keyring-daemon exit).
pub struct KeyringSession {
    child: Child,
    stdin: Option<ChildStdin>,
    /// The private session bus: DBUS_SESSION_BUS_ADDRESS for the commands that use it.
    pub bus_address: String,
}

impl KeyringSession {
    /// Starts a session whose keyring file lives in `env`'s HOME (XDG_DATA_HOME).
    pub fn start(env: &Env) -> Self {
        require_e2e_deps();
        let mut child = Command::new(e2e_dir().join("with-keyring.sh"))
            .arg("--serve")
            .env_clear()
            .envs(keyring_env(env))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run e2e/with-keyring.sh --serve");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(a) = line.strip_prefix("DBUS_SESSION_BUS_ADDRESS=") {
                    let _ = tx.send(a.to_string());
                }
            }
        });
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(bus_address) => KeyringSession {
                child,
                stdin,
                bus_address,
            },
            Err(_) => {
                let _ = child.kill();
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                let _ = child.wait();
                panic!("e2e/with-keyring.sh --serve did not start a keyring: {err}");
            }
        }
    }

    /// Points a command at this session's bus.
    pub fn apply(&self, cmd: &mut assert_cmd::Command) {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address);
    }

    /// Same, for a std Command.
    pub fn apply_std(&self, cmd: &mut Command) {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address);
    }
}

impl Drop for KeyringSession {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The environment `Env::cmd` gives oauthctl (HOME, XDG dirs), for the keyring scripts.
pub fn keyring_env(env: &Env) -> Vec<(String, String)> {
    let p = env.path();
    vec![
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
        ("HOME".into(), p.display().to_string()),
        (
            "XDG_CONFIG_HOME".into(),
            p.join("config").display().to_string(),
        ),
        (
            "XDG_CACHE_HOME".into(),
            p.join("cache").display().to_string(),
        ),
        ("XDG_DATA_HOME".into(), p.join("data").display().to_string()),
        (
            "XDG_STATE_HOME".into(),
            p.join("state").display().to_string(),
        ),
        (
            "XDG_RUNTIME_DIR".into(),
            p.join("run").display().to_string(),
        ),
    ]
}

/// `e2e/with-keyring.sh PROGRAM ARGS…` with `env`'s environment: one command in its own
/// keyring session (the keyring file persists in `env`'s HOME between sessions).
pub fn with_keyring(env: &Env, program: &str, args: &[&str]) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(e2e_dir().join("with-keyring.sh"));
    c.env_clear().envs(keyring_env(env)).arg(program).args(args);
    c
}

/// oauthctl itself under e2e/with-keyring.sh, with `env`'s isolated environment.
pub fn oauthctl_with_keyring(env: &Env) -> assert_cmd::Command {
    let bin = assert_cmd::cargo::cargo_bin("oauthctl");
    let mut c = with_keyring(env, &bin.display().to_string(), &[]);
    c.env("NO_COLOR", "1");
    c
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn json_body(status: u16, body: &str) -> (u16, serde_json::Value) {
    let v = serde_json::from_str(body).unwrap_or(serde_json::Value::String(body.to_string()));
    (status, v)
}

/// POSTs a form (optionally with HTTP Basic client authentication); returns the status and
/// the JSON body (a JSON string when the body is not JSON).
pub fn post_form(
    url: &str,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> (u16, serde_json::Value) {
    runtime().block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .no_proxy()
            .build()
            .expect("client");
        let mut req = client.post(url).form(form);
        if let Some((id, secret)) = basic {
            req = req.basic_auth(id, Some(secret));
        }
        let resp = req.send().await.expect("POST to the provider");
        let status = resp.status().as_u16();
        json_body(status, &resp.text().await.expect("body"))
    })
}

/// GETs a URL (optionally with a bearer token); returns the status and the JSON body.
pub fn get_json(url: &str, bearer: Option<&str>) -> (u16, serde_json::Value) {
    let (status, _, body) = get(url, bearer);
    json_body(status, &body)
}

/// GETs a URL; returns the status, the headers (lowercase names) and the body.
pub fn get(url: &str, bearer: Option<&str>) -> (u16, Vec<(String, String)>, String) {
    runtime().block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("client");
        let mut req = client.get(url);
        if let Some(t) = bearer {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("GET to the provider");
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        (status, headers, resp.text().await.expect("body"))
    })
}

// ---------------------------------------------------------------------------------------
// oauthctl in the flows (both real servers): commands with a test's HOME and keyring, a
// login through the real browser, the stored session.
// ---------------------------------------------------------------------------------------

/// How long one oauthctl command (other than a login) may take.
pub const CMD_TIMEOUT: Duration = Duration::from_secs(60);
/// How long one `oauthctl login` may take (the browser's own limit is BROWSER_TIMEOUT).
pub const LOGIN_TIMEOUT: Duration = Duration::from_secs(100);
/// `oauthctl ARGS` with `env`'s isolated environment and, when given, the keyring session.
pub fn oauthctl(env: &Env, keyring: Option<&KeyringSession>, args: &[&str]) -> assert_cmd::Command {
    let mut c = env.cmd();
    c.args(args).timeout(CMD_TIMEOUT);
    if let Some(k) = keyring {
        k.apply(&mut c);
    }
    c
}

/// Runs it, expects success, parses stdout as JSON.
pub fn json_of(mut cmd: assert_cmd::Command, what: &str) -> serde_json::Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "oauthctl {what} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out)
        )
    })
}

/// Stdout of a successful command, trimmed.
pub fn stdout_of(mut cmd: assert_cmd::Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("UTF-8").trim().to_string()
}

/// `oauthctl login -p NAME --browser <driver> --json` plus `extra`; the driver signs alice
/// in and consents, the redirect reaches oauthctl's own listener. Returns login's JSON.
pub fn browser_login(
    env: &Env,
    keyring: Option<&KeyringSession>,
    name: &str,
    extra: &[&str],
) -> serde_json::Value {
    let browser = Browser::new();
    let browser_arg = browser_cmd();
    let mut args = vec![
        "login",
        "-p",
        name,
        "--browser",
        &browser_arg,
        "--login-timeout",
        "90s",
        "--json",
    ];
    args.extend_from_slice(extra);
    let mut cmd = oauthctl(env, keyring, &args);
    cmd.timeout(LOGIN_TIMEOUT);
    browser.apply(&mut cmd);
    let out = cmd.output().expect("run oauthctl login");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success(),
        "oauthctl login failed ({:?}):\n{stderr}\nbrowser log:\n{}",
        out.status.code(),
        browser.log()
    );
    browser.expect_ok();
    // The browser stayed on this machine: whatever the login pages tried to fetch from
    // elsewhere (their web font) was refused by the provider's CSP.
    let external = browser.external_requests();
    assert!(
        external.iter().all(|l| l.starts_with("blocked (csp)")),
        "every off-machine request must be refused by the CSP: {external:?}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "oauthctl login --json printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    // The authorization request it printed (and opened) is a code request with PKCE (S256)
    // and a state, for oauthctl's loopback listener, by the client the session names.
    let url = stderr
        .split("Open this URL in a browser")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().find(|w| w.starts_with("http")))
        .unwrap_or_else(|| panic!("login prints the URL: {stderr}"));
    let url = url::Url::parse(url).expect("the printed URL parses");
    let q = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    assert_eq!(q("response_type"), "code", "{url}");
    assert_eq!(q("code_challenge_method"), "S256", "{url}");
    assert_eq!(q("code_challenge").len(), 43, "{url}");
    assert!(q("state").len() >= 16, "{url}");
    assert!(q("redirect_uri").starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(
        Some(q("client_id").as_str()),
        v["client_id"].as_str(),
        "{url}"
    );
    v
}

/// The session's tokens in clear, from `oauthctl inspect --show-secrets --json`.
pub fn stored_tokens(env: &Env, keyring: Option<&KeyringSession>, name: &str) -> serde_json::Value {
    json_of(
        oauthctl(
            env,
            keyring,
            &["inspect", "-p", name, "--show-secrets", "--json"],
        ),
        "inspect",
    )
}

/// `secret-tool lookup service oauthctl username ACCOUNT` on the session's bus: the item
/// oauthctl keeps in the Secret Service, or None.
pub fn keyring_item(env: &Env, keyring: &KeyringSession, account: &str) -> Option<String> {
    let mut lookup = assert_cmd::Command::new("secret-tool");
    lookup
        .args(["lookup", "service", "oauthctl", "username", account])
        .env_clear()
        .envs(keyring_env(env))
        .timeout(CMD_TIMEOUT);
    keyring.apply(&mut lookup);
    let out = lookup.output().expect("run secret-tool");
    (out.status.success() && !out.stdout.is_empty())
        .then(|| String::from_utf8_lossy(&out.stdout).to_string())
}

/// A child process killed (and reaped) when the test ends early.
pub struct KillOnDrop(pub Option<std::process::Child>);

impl KillOnDrop {
    pub fn get(&mut self) -> &mut std::process::Child {
        self.0.as_mut().expect("the child")
    }

    pub fn take(&mut self) -> std::process::Child {
        self.0.take().expect("the child")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Reads a child's stderr on a thread; the text so far is in the returned buffer.
pub fn collect_stderr(child: &mut std::process::Child) -> std::sync::Arc<std::sync::Mutex<String>> {
    let buf = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut stderr = child.stderr.take().expect("piped stderr");
    let b = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = std::io::Read::read(&mut stderr, &mut chunk) {
            if n == 0 {
                break;
            }
            b.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
    buf
}

/// The verification URI and user code `oauthctl login --device` shows on stderr.
pub fn device_prompt(text: &str) -> Option<(String, String)> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    lines.find(|l| l.contains("open this URL on any device"))?;
    let uri = lines.next()?.to_string();
    lines.find(|l| l.starts_with("and enter the code"))?;
    let code = lines.next()?.to_string();
    Some((uri, code))
}

/// `oauthctl ARGS… --device --store keyring` (ARGS: `login -p NAME …`) in the real
/// keyring; the browser driver enters the user code oauthctl shows and approves. Returns
/// the finished command's output, its whole stderr, and the verification URI it showed.
pub fn device_login_in_browser(
    keyring: &KeyringSession,
    env: &Env,
    args: &[&str],
) -> (std::process::Output, String, String) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("oauthctl"));
    cmd.args(args)
        .args(["--device", "--store", "keyring", "--json"])
        .env_clear()
        .envs(keyring_env(env))
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    keyring.apply_std(&mut cmd);
    let mut child = KillOnDrop(Some(cmd.spawn().expect("run oauthctl login --device")));
    let stderr = collect_stderr(child.get());
    let deadline = Instant::now() + CMD_TIMEOUT;
    let (uri, user_code) = loop {
        if let Some(found) = device_prompt(&stderr.lock().unwrap()) {
            break found;
        }
        if Instant::now() > deadline || matches!(child.get().try_wait(), Ok(Some(_))) {
            panic!("login --device showed no code: {}", stderr.lock().unwrap());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let browser = Browser::new();
    browser.open_device(&uri, &user_code);
    browser.expect_ok();
    let out = wait_output(child.take(), LOGIN_TIMEOUT).expect("login --device finished");
    let err = stderr.lock().unwrap().clone();
    assert!(out.status.success(), "login --device failed: {err}");
    (out, err, uri)
}
