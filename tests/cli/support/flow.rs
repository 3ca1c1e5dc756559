//! Helpers for the black-box tests of `login`, `status` and `logout`: a mock provider
//! with a registered loopback redirect URI, the login command wired to the scripted
//! browser (examples/fake_browser.rs), and the session store read back in-process.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use oauthctl::store::{Preference, Session, SessionKey, Store};

use super::mock::{std_cmd, MockProc};
use super::{fake_browser, free_port, Env};

/// A mock provider, its config file and a redirect URI registered with it.
pub struct Setup {
    pub env: Env,
    pub mock: MockProc,
    pub provider: String,
    pub config: PathBuf,
    pub redirect_uri: String,
    pub port: u16,
    pub browser_log: PathBuf,
    pub mock_log: PathBuf,
}

impl Setup {
    /// `oauthctl mock -p PROVIDER --redirect-uri http://127.0.0.1:PORT/callback ARGS…`
    /// (Worksection registers its https redirect URI: paste mode).
    pub fn new(provider: &str, mock_args: &[&str]) -> Setup {
        let env = Env::new();
        let port = free_port();
        let redirect_uri = if provider == "worksection" {
            "https://127.0.0.1/callback".to_string()
        } else {
            format!("http://127.0.0.1:{port}/callback")
        };
        let config = env.path().join("mock.toml");
        let mock_log = env.path().join("mock.log");
        let mut args: Vec<&str> = vec![
            "--redirect-uri",
            &redirect_uri,
            "--write-config",
            config.to_str().expect("utf-8 path"),
            "--log",
            mock_log.to_str().expect("utf-8 path"),
        ];
        args.extend_from_slice(mock_args);
        let mock = MockProc::start(&env, provider, &args);
        for _ in 0..200 {
            if std::fs::read_to_string(&config).is_ok_and(|c| c.contains("client_id")) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let browser_log = env.path().join("browser.log");
        Setup {
            env,
            mock,
            provider: provider.to_string(),
            config,
            redirect_uri,
            port,
            browser_log,
            mock_log,
        }
    }

    /// `oauthctl --config FILE --store file` with the isolated environment.
    pub fn cmd(&self) -> Command {
        let mut c = self.env.cmd();
        c.arg("--config")
            .arg(&self.config)
            .args(["--store", "file"]);
        c.env("FAKE_BROWSER_LOG", &self.browser_log);
        c
    }

    /// `… login -p PROVIDER --browser fake_browser`.
    pub fn login(&self) -> Command {
        let mut c = self.cmd();
        c.args(["login", "-p", &self.provider, "--browser"])
            .arg(fake_browser());
        c
    }

    /// What the scripted browser did so far.
    pub fn browser_log(&self) -> String {
        std::fs::read_to_string(&self.browser_log).unwrap_or_default()
    }

    /// What the scripted browser did, once it has finished (it is detached: it may
    /// still be reading the last page when oauthctl has exited).
    pub fn browser_done(&self) -> String {
        for _ in 0..500 {
            let log = self.browser_log();
            if log.lines().any(|l| {
                l.starts_with("PAGE ") || l.starts_with("ERROR") || l.starts_with("CONSENT")
            }) {
                return log;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.browser_log()
    }

    /// The mock's request log (JSON lines).
    pub fn mock_log(&self) -> String {
        std::fs::read_to_string(&self.mock_log).unwrap_or_default()
    }

    /// The mock's request log, parsed.
    pub fn mock_records(&self) -> Vec<serde_json::Value> {
        self.mock_log()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// The token endpoint requests of the mock's log with `grant_type`.
    pub fn token_requests(&self, grant_type: &str) -> Vec<serde_json::Value> {
        self.mock_records()
            .into_iter()
            .filter(|r| r["grant_type"] == grant_type)
            .collect()
    }

    /// How many requests the mock saw at `path`.
    pub fn mock_hits(&self, path: &str) -> usize {
        self.mock_log()
            .lines()
            .filter(|l| l.contains(&format!("\"path\":\"{path}\"")))
            .count()
    }

    /// The data directory: `$XDG_DATA_HOME/oauthctl`.
    pub fn data_dir(&self) -> PathBuf {
        self.env.path().join("data").join("oauthctl")
    }

    /// The file store, read in this process.
    pub fn store(&self) -> Store {
        Store::new(Preference::File, self.data_dir())
    }

    pub fn session_file(&self, profile: &str) -> PathBuf {
        self.store()
            .file_path(&SessionKey::new(&self.provider, profile).expect("key"))
    }

    /// The stored session of `profile`.
    pub fn session(&self, profile: &str) -> Option<Session> {
        self.store()
            .load(&SessionKey::new(&self.provider, profile).expect("key"))
            .expect("load session")
    }

    /// The mock's base URL (`http://127.0.0.1:PORT`).
    pub fn base(&self) -> &str {
        &self.mock.base
    }
}

#[cfg(unix)]
pub fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o7777
}

/// A running `oauthctl` with piped stdin and stderr, for paste mode.
pub struct Interactive {
    pub child: Child,
    lines: mpsc::Receiver<String>,
    pub stderr: Arc<Mutex<String>>,
}

impl Interactive {
    /// Starts `oauthctl ARGS…` (same isolated environment as `Setup::cmd`).
    pub fn start(s: &Setup, args: &[&str]) -> Interactive {
        Self::start_with(s, args, &[])
    }

    /// `start` with more environment variables.
    pub fn start_with(s: &Setup, args: &[&str], envs: &[(&str, &str)]) -> Interactive {
        let mut cmd = std_cmd(&s.env);
        cmd.envs(envs.iter().copied());
        cmd.env("FAKE_BROWSER_LOG", &s.browser_log);
        cmd.arg("--config")
            .arg(&s.config)
            .args(["--store", "file"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn oauthctl");
        let (tx, rx) = mpsc::channel();
        let all = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("stderr");
        let sink = all.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&line);
                sink.lock().unwrap().push('\n');
                let _ = tx.send(line);
            }
        });
        Interactive {
            child,
            lines: rx,
            stderr: all,
        }
    }

    /// Waits for the authorization URL printed on stderr.
    pub fn authorization_url(&self) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| {
                    panic!(
                        "no authorization URL on stderr:\n{}",
                        self.stderr.lock().unwrap()
                    )
                });
            let t = line.trim();
            if t.starts_with("http://") || t.starts_with("https://") {
                return t.to_string();
            }
        }
    }

    /// Waits (at most 20 s) for a stderr line containing `needle` and returns it.
    pub fn wait_for(&self, needle: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| {
                    panic!(
                        "no line with {needle:?} on stderr:\n{}",
                        self.stderr.lock().unwrap()
                    )
                });
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// The next non-empty stderr line, trimmed.
    pub fn next_line(&self) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| {
                    panic!("no more lines on stderr:\n{}", self.stderr.lock().unwrap())
                });
            if !line.trim().is_empty() {
                return line.trim().to_string();
            }
        }
    }

    /// The device flow's instructions on stderr: (verification URI, user code).
    pub fn device_instructions(&self) -> (String, String) {
        self.wait_for("open this URL on any device");
        let uri = self.next_line();
        self.wait_for("and enter the code");
        let code = self.next_line();
        (uri, code)
    }

    /// Types a line on stdin.
    pub fn paste(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{line}").expect("write stdin");
        stdin.flush().expect("flush");
    }

    /// Waits for the exit (at most 30 s); returns the exit code and stdout.
    pub fn finish(mut self) -> (i32, String, String) {
        for _ in 0..300 {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let out = self.child.wait_with_output().expect("wait");
        // Let the stderr reader drain.
        std::thread::sleep(Duration::from_millis(50));
        let err = self.stderr.lock().unwrap().clone();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            err,
        )
    }
}

/// Runs the scripted browser to the end of the authorization and returns the URL it
/// was redirected to (the https redirect URI nothing listens on).
pub fn redirected_url(url: &str) -> String {
    let out = std::process::Command::new(fake_browser())
        .arg("--print-final")
        .arg(url)
        .output()
        .expect("run fake_browser");
    let s = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        s.starts_with("http"),
        "fake_browser printed no URL: {s:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    s
}

/// A person's decision on the mock's device verification page (`approve` or `deny`).
pub fn decide_device(verification_uri: &str, user_code: &str, decision: &str) {
    let r = super::mock::post_form(
        verification_uri,
        &[("user_code", user_code), ("decision", decision)],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

/// The time of a mock log record.
pub fn record_time(r: &serde_json::Value) -> std::time::SystemTime {
    humantime::parse_rfc3339(r["ts"].as_str().expect("ts")).expect("RFC 3339 time")
}
