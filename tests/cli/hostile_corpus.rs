//! The hostile-server corpus (`tests/corpus/hostile/`, one answer per file) run against
//! `login`, `refresh`, `exchange`, `login --device`, `introspect` and `register`, with
//! `--trace` and `--har`. Each run must: not panic (exit 101), exit with a code of the
//! README's table, show no secret (the case's token values, the client secret, the
//! stored tokens, the code) in stdout, stderr, the trace or the HAR file, write no raw
//! control character (ESC) to the terminal, and leave the stored session unchanged when
//! it fails.

use std::path::PathBuf;

use crate::support::hostile::{corpus, Case, HostileServer, CODE, GOOD_ACCESS};
use crate::support::session::tokens;
use crate::support::{fake_browser, free_port, Env};
use oauthctl::store::{Grant, Preference, Session, SessionKey, Store};

const CLIENT_SECRET: &str = "corpus-client-SECRET-9c2e";
const STORED_ACCESS: &str = "corpus-stored-access-SECRET-0b1d";
const STORED_REFRESH: &str = "corpus-stored-refresh-SECRET-77e3";
const VERIFIER: &str = "corpus-verifier-SECRET-abcdefghijklmnopqrstuvwxyz0123456789";
/// The exit codes of the README's table.
const DOCUMENTED: &[i32] = &[0, 1, 2, 3, 4, 5, 6, 7, 8, 130];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Run {
    Login,
    Refresh,
    Exchange,
    Device,
    Introspect,
    Register,
}

impl Run {
    /// The endpoints whose hostile answers this command meets.
    fn meets(self, case: &Case) -> bool {
        let name = format!("{self:?}").to_ascii_lowercase();
        if !case.runs.is_empty() && !case.runs.contains(&name) {
            return false;
        }
        match self {
            Run::Login | Run::Refresh | Run::Exchange => case.endpoint == "token",
            Run::Device => case.endpoint == "token" || case.endpoint == "device",
            Run::Introspect => case.endpoint == "introspect",
            Run::Register => case.endpoint == "register",
        }
    }
}

struct World {
    env: Env,
    config: PathBuf,
}

impl World {
    fn new(server: &HostileServer) -> World {
        let env = Env::new();
        let b = &server.base;
        let port = free_port();
        let config = env.path().join("hostile.toml");
        std::fs::write(
            &config,
            format!(
                "[providers.hostile]\nauthorization_endpoint = \"{b}/authorize\"\ntoken_endpoint = \"{b}/token\"\ndevice_authorization_endpoint = \"{b}/device\"\nintrospection_endpoint = \"{b}/introspect\"\nregistration_endpoint = \"{b}/register\"\nclient_id = \"corpus-client\"\nclient_secret = \"{CLIENT_SECRET}\"\ntoken_endpoint_auth_method = \"client_secret_post\"\nredirect_uri = \"http://127.0.0.1:{port}/callback\"\n"
            ),
        )
        .unwrap();
        World { env, config }
    }

    fn store(&self) -> Store {
        Store::new(
            Preference::File,
            self.env.path().join("data").join("oauthctl"),
        )
    }

    fn session_file(&self) -> PathBuf {
        self.store()
            .file_path(&SessionKey::new("hostile", "default").unwrap())
    }

    fn save_session(&self, ttl: i64) {
        let s = Session {
            provider: "hostile".into(),
            profile: "default".into(),
            client_id: Some("corpus-client".into()),
            issuer: None,
            subject: None,
            tokens: tokens(STORED_ACCESS, Some(STORED_REFRESH), ttl),
            obtained_at: 1_700_000_000,
            grant: Grant::AuthorizationCode,
            client_assertion_key: None,
            client_cert: None,
            dpop_key: None,
        };
        self.store().save(&s).expect("save session");
    }
}

/// Runs `run` against `case`; the problems found, if any.
fn try_case(server: &HostileServer, run: Run, case: &Case) -> Vec<String> {
    let w = World::new(server);
    match run {
        Run::Refresh => w.save_session(-60),
        Run::Introspect => w.save_session(3600),
        _ => {}
    }
    let before = std::fs::read(w.session_file()).ok();
    let har = w.env.path().join("out.har");
    let mut cmd = w.env.cmd();
    cmd.arg("--config")
        .arg(&w.config)
        .args(["--store", "file", "--trace", "--timeout", "5s", "--har"])
        .arg(&har)
        .env("FAKE_BROWSER_LOG", w.env.path().join("browser.log"));
    match run {
        Run::Login => {
            cmd.args([
                "login",
                "-p",
                "hostile",
                "--no-preflight",
                "--login-timeout",
                "10s",
            ])
            .arg("--browser")
            .arg(fake_browser());
        }
        Run::Device => {
            cmd.args(["login", "-p", "hostile", "--device", "--browser", "true"]);
        }
        Run::Refresh => {
            cmd.args(["refresh", "-p", "hostile"]);
        }
        Run::Exchange => {
            cmd.args([
                "exchange",
                "-p",
                "hostile",
                "--code",
                CODE,
                "--code-verifier",
                VERIFIER,
            ]);
        }
        Run::Introspect => {
            cmd.args(["introspect", "-p", "hostile"]);
        }
        Run::Register => {
            cmd.args(["register", "-p", "hostile", "--name", "corpus"]);
        }
    }
    cmd.timeout(std::time::Duration::from_secs(60));
    let out = cmd.output().expect("run oauthctl");
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let har_text = std::fs::read_to_string(&har).unwrap_or_default();
    let mut problems = Vec::new();
    let tag = format!("{run:?} × {}", case.name);
    if code == 101 {
        problems.push(format!("{tag}: PANIC (exit 101): {}", tail(&stderr)));
    } else if !DOCUMENTED.contains(&code) {
        problems.push(format!("{tag}: exit {code}, not in the README's table"));
    } else if code == 1 {
        problems.push(format!(
            "{tag}: exit 1, an internal error (a bug): {}",
            tail(&stderr)
        ));
    }
    let mut secrets: Vec<&str> = case.secrets.iter().map(String::as_str).collect();
    secrets.extend([
        CLIENT_SECRET,
        STORED_ACCESS,
        STORED_REFRESH,
        CODE,
        VERIFIER,
        GOOD_ACCESS,
    ]);
    for s in secrets {
        for (what, text) in [
            ("stdout", &stdout),
            ("stderr/trace", &stderr),
            ("HAR", &har_text),
        ] {
            if text.contains(s) {
                problems.push(format!("{tag}: secret `{s}` in {what}"));
            }
        }
    }
    for (what, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        if text.contains('\u{1b}') || text.contains('\u{9b}') {
            problems.push(format!("{tag}: a raw ESC/CSI in {what}"));
        }
    }
    if stderr.len() > 256 * 1024 {
        problems.push(format!("{tag}: {} bytes on stderr", stderr.len()));
    }
    if server.hits() == 0 {
        problems.push(format!(
            "{tag}: the hostile answer was never requested: {}",
            tail(&stderr)
        ));
    }
    let after = std::fs::read(w.session_file()).ok();
    if code != 0 && before != after {
        problems.push(format!("{tag}: exit {code} but the stored session changed"));
    }
    problems
}

fn tail(s: &str) -> String {
    s.lines().rev().take(3).collect::<Vec<_>>().join(" | ")
}

fn run_corpus(run: Run) {
    let server = HostileServer::start();
    let cases: Vec<Case> = corpus().into_iter().filter(|c| run.meets(c)).collect();
    assert!(!cases.is_empty(), "no corpus case for {run:?}");
    let mut problems = Vec::new();
    for case in &cases {
        server.serve(Some(case));
        problems.extend(try_case(&server, run, case));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) over {} hostile answers:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
}

#[test]
fn the_corpus_holds_sixty_hostile_answers_or_more() {
    let all = corpus();
    assert!(all.len() >= 60, "{} cases", all.len());
    for c in &all {
        assert!(
            ["token", "device", "introspect", "register"].contains(&c.endpoint.as_str()),
            "{}: endpoint {}",
            c.name,
            c.endpoint
        );
    }
}

#[test]
fn hostile_token_answers_against_login() {
    run_corpus(Run::Login);
}

#[test]
fn hostile_token_answers_against_refresh() {
    run_corpus(Run::Refresh);
}

#[test]
fn hostile_token_answers_against_exchange() {
    run_corpus(Run::Exchange);
}

#[test]
fn hostile_device_and_token_answers_against_login_device() {
    run_corpus(Run::Device);
}

#[test]
fn hostile_introspection_answers_against_introspect() {
    run_corpus(Run::Introspect);
}

#[test]
fn hostile_registration_answers_against_register() {
    run_corpus(Run::Register);
}
