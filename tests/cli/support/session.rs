//! A mock provider with a session in it, for the tests of `inspect`, `me`, `call`,
//! `register` and `introspect`: `oauthctl mock` as a child process, its config file, and
//! `oauthctl login` driven by the scripted browser (examples/fake_browser.rs), as the
//! login tests do; or a session written straight into the file store.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use oauthctl::store::{Preference, Session, SessionKey, Store};

use super::mock::{std_cmd, MockProc};
use super::{fake_browser, free_port, Env};

/// A running mock, its config file, and the isolated environment.
pub struct Mocked {
    pub env: Env,
    pub mock: MockProc,
    pub provider: String,
    pub config: PathBuf,
    pub mock_log: PathBuf,
}

impl Mocked {
    /// `oauthctl mock -p PROVIDER --redirect-uri URI --write-config … --log … ARGS…`,
    /// with a loopback redirect URI on a free port (Worksection: an https one).
    pub fn start(provider: &str, mock_args: &[&str]) -> Mocked {
        let env = Env::new();
        let redirect_uri = if provider == "worksection" {
            "https://127.0.0.1/callback".to_string()
        } else {
            format!("http://127.0.0.1:{}/callback", free_port())
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
            "--auto-approve",
        ];
        args.extend_from_slice(mock_args);
        let mock = MockProc::start(&env, provider, &args);
        for _ in 0..200 {
            if std::fs::read_to_string(&config).is_ok_and(|c| c.contains("redirect_uri")) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Mocked {
            env,
            mock,
            provider: provider.to_string(),
            config,
            mock_log,
        }
    }

    /// `oauthctl --config FILE --store file` in the isolated environment.
    pub fn cmd(&self) -> Command {
        let mut c = self.env.cmd();
        c.arg("--config")
            .arg(&self.config)
            .args(["--store", "file"]);
        c
    }

    /// Logs in through `oauthctl login` and the scripted browser (paste mode for an
    /// https redirect URI); returns the stored session.
    pub fn login(&self) -> Session {
        let uri = std::fs::read_to_string(&self.config).unwrap_or_default();
        if uri.contains("redirect_uri = \"https://") {
            self.login_pasting();
        } else {
            let out = self
                .cmd()
                .args(["login", "-p", &self.provider, "--browser"])
                .arg(fake_browser())
                .output()
                .expect("run login");
            assert_eq!(
                out.status.code(),
                Some(0),
                "login failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        self.session().expect("a session after login")
    }

    fn login_pasting(&self) {
        let mut child = std_cmd(&self.env)
            .arg("--config")
            .arg(&self.config)
            .args([
                "--store",
                "file",
                "login",
                "-p",
                &self.provider,
                "--no-browser",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn login");
        let (tx, rx) = mpsc::channel();
        let err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let url = loop {
            let line = rx
                .recv_timeout(Duration::from_secs(20))
                .expect("the authorization URL on stderr");
            let t = line.trim();
            if t.starts_with("http://") {
                break t.to_string();
            }
        };
        let out = std::process::Command::new(fake_browser())
            .arg("--print-final")
            .arg(&url)
            .output()
            .expect("run fake_browser");
        let redirected = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let stdin = child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{redirected}").expect("paste");
        let status = child.wait().expect("wait for login");
        let rest: Vec<String> = rx.try_iter().collect();
        assert!(status.success(), "login failed: {}", rest.join("\n"));
    }

    /// The data directory: `$XDG_DATA_HOME/oauthctl`.
    pub fn data_dir(&self) -> PathBuf {
        self.env.path().join("data").join("oauthctl")
    }

    pub fn store(&self) -> Store {
        Store::new(Preference::File, self.data_dir())
    }

    pub fn key(&self) -> SessionKey {
        SessionKey::new(&self.provider, "default").expect("key")
    }

    /// The stored session.
    pub fn session(&self) -> Option<Session> {
        self.store().load(&self.key()).expect("load session")
    }

    /// Replaces the stored session.
    pub fn save(&self, s: &Session) {
        self.store().save(s).expect("save session");
    }

    /// The mock's request log (JSON lines).
    pub fn log(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.mock_log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// `(method, path, grant_type, status)` of every request, in order.
    pub fn requests(&self) -> Vec<(String, String, String, u16)> {
        self.log()
            .iter()
            .map(|r| {
                (
                    r["method"].as_str().unwrap_or("").to_string(),
                    r["path"].as_str().unwrap_or("").to_string(),
                    r["grant_type"].as_str().unwrap_or("").to_string(),
                    r["status"].as_u64().unwrap_or(0) as u16,
                )
            })
            .collect()
    }

    /// How many refresh_token grants the mock answered with `status`.
    pub fn refreshes(&self, status: u16) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.2 == "refresh_token" && r.3 == status)
            .count()
    }

    pub fn url(&self, path: &str) -> String {
        self.mock.url(path)
    }
}

/// A session written straight into the file store of `env` (no server involved).
pub fn write_session(env: &Env, provider: &str, tokens: oauthctl::store::TokenSet) -> Session {
    let s = Session {
        provider: provider.into(),
        profile: "default".into(),
        client_id: Some("test-client".into()),
        issuer: None,
        subject: Some("alice".into()),
        tokens,
        obtained_at: 1_700_000_000,
        grant: Default::default(),
        client_assertion_key: None,
        client_cert: None,
        dpop_key: None,
    };
    Store::new(Preference::File, env.path().join("data").join("oauthctl"))
        .save(&s)
        .expect("save session");
    s
}

/// A token set with `access` and an expiry `ttl` seconds from now (negative: past).
pub fn tokens(access: &str, refresh: Option<&str>, ttl: i64) -> oauthctl::store::TokenSet {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    oauthctl::store::TokenSet {
        access_token: oauthctl::secret::Secret::new(access),
        token_type: "Bearer".into(),
        refresh_token: refresh.map(oauthctl::secret::Secret::new),
        expires_at: Some((now + ttl) as u64),
        scopes: vec!["api".into()],
        id_token: None,
        extra: Default::default(),
        secret_extra: Default::default(),
        id_token_check: None,
    }
}
