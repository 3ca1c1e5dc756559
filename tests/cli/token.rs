//! `token`, `header` and `refresh` against `oauthctl mock`: refresh for every preset
//! that has one, every failure mode with its exit code, and 50 concurrent callers.

use crate::support;
use crate::support::flow;
use crate::support::flow::{Interactive, Setup};
use predicates::prelude::*;
use predicates::str::contains;

fn login(s: &Setup) {
    s.login().assert().code(0);
}

fn token(s: &Setup, args: &[&str]) -> assert_cmd::assert::Assert {
    s.cmd()
        .args(["token", "-p", &s.provider])
        .args(args)
        .assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

/// Grant types the mock saw at the token (or refresh) endpoints, in order.
fn grants(s: &Setup) -> Vec<String> {
    s.mock_log()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["grant_type"].as_str().map(str::to_string))
        .collect()
}

fn refreshes(s: &Setup) -> usize {
    grants(s).iter().filter(|g| *g == "refresh_token").count()
}

#[test]
fn valid_token_is_printed_alone_without_asking_the_server() {
    let s = Setup::new("hub", &["--auto-approve"]);
    login(&s);
    let stored = s.session("default").unwrap();
    let out = token(&s, &[]).code(0).stderr(predicate::str::is_empty());
    assert_eq!(
        stdout(&out),
        format!("{}\n", stored.tokens.access_token.expose())
    );
    let out = s.cmd().args(["header", "-p", "hub"]).assert().code(0);
    assert_eq!(
        stdout(&out),
        format!(
            "Authorization: Bearer {}\n",
            stored.tokens.access_token.expose()
        )
    );
    let out = token(&s, &["--json"]).code(0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["access_token"], stored.tokens.access_token.expose());
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_at"], stored.tokens.expires_at.unwrap());
    assert_eq!(
        v["scopes"],
        serde_json::json!(["profile:read", "teams:read"])
    );
    assert_eq!(refreshes(&s), 0);
    // No ID token from Hub: said clearly.
    token(&s, &["--id-token"])
        .code(3)
        .stderr(contains("has no ID token"));
}

#[test]
fn expiring_token_is_refreshed_and_an_unrotated_refresh_token_kept() {
    let s = Setup::new("hub", &["--auto-approve"]);
    login(&s);
    let before = s.session("default").unwrap();
    let out = token(&s, &["--min-ttl", "2h"]).code(0);
    let after = s.session("default").unwrap();
    assert_eq!(refreshes(&s), 1);
    assert_ne!(after.tokens.access_token, before.tokens.access_token);
    assert_eq!(
        stdout(&out),
        format!("{}\n", after.tokens.access_token.expose())
    );
    // RFC 6749 §6: no new refresh token in the answer, the old one stays.
    assert_eq!(after.tokens.refresh_token, before.tokens.refresh_token);
    assert_eq!(after.subject, before.subject);
    // The new token works at the API.
    let me = support::mock::get_bearer(
        &s.mock.url("/api/auth/me"),
        after.tokens.access_token.expose(),
    );
    assert_eq!(me.status, 200);
}

#[test]
fn refresh_command_for_chatwork_and_teamwork() {
    for provider in ["chatwork", "teamwork"] {
        let s = Setup::new(provider, &["--auto-approve", "--rotate-refresh-tokens"]);
        login(&s);
        let before = s.session("default").unwrap();
        s.cmd()
            .args(["refresh", "-p", provider])
            .assert()
            .code(0)
            .stdout(predicate::str::is_empty())
            .stderr(contains("Refreshed "))
            .stderr(contains("refresh token rotated"));
        let after = s.session("default").unwrap();
        assert_ne!(
            after.tokens.refresh_token, before.tokens.refresh_token,
            "{provider}"
        );
        assert_eq!(refreshes(&s), 1, "{provider}");
        // Teamwork authenticates the refresh with Basic only: the mock accepted it.
        let log = s.mock_log();
        let line = log
            .lines()
            .find(|l| l.contains("\"grant_type\":\"refresh_token\""))
            .unwrap();
        let expected = if provider == "teamwork" {
            "basic"
        } else {
            "post"
        };
        assert!(
            line.contains(&format!("\"client_auth\":\"{expected}\"")),
            "{line}"
        );
    }
}

#[test]
fn worksection_refreshes_at_its_own_endpoint_and_rotation_kills_the_old_token() {
    let s = Setup::new("worksection", &["--auto-approve"]);
    let mut p = Interactive::start(&s, &["login", "-p", "worksection", "--no-browser"]);
    let redirected = flow::redirected_url(&p.authorization_url());
    p.paste(&redirected);
    let (rc, _, stderr) = p.finish();
    assert_eq!(rc, 0, "{stderr}");
    let before = s.session("default").unwrap();
    let out = s
        .cmd()
        .args(["refresh", "-p", "worksection", "--json"])
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["refresh_token_rotated"], true);
    assert_eq!(s.mock_hits("/oauth2/refresh"), 1);
    let after = s.session("default").unwrap();
    assert_ne!(after.tokens.refresh_token, before.tokens.refresh_token);
    // Kept from the login: the account URL.
    assert_eq!(
        after
            .tokens
            .extra
            .get("account_url")
            .and_then(|v| v.as_str()),
        Some("https://authorizeduseraccount.worksection.com")
    );
    // The rotation invalidated the old access token; the new one works.
    let me = |t: &str| {
        support::mock::post_form(
            &s.mock.url("/oauth2/resource"),
            &[
                ("client_id", "oauthctl-mock"),
                ("client_secret", "mock-client-secret"),
                ("access_token", t),
            ],
            &[],
        )
        .status
    };
    assert_ne!(me(before.tokens.access_token.expose()), 200);
    assert_eq!(me(after.tokens.access_token.expose()), 200);
    // header capitalises Worksection's `bearer`.
    let out = s
        .cmd()
        .args(["header", "-p", "worksection"])
        .assert()
        .code(0);
    assert!(stdout(&out).starts_with("Authorization: Bearer "));
}

#[test]
fn no_session_is_login_required_in_one_line_and_never_opens_a_browser() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let out = token(&s, &[]).code(4).stdout(predicate::str::is_empty());
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("run `oauthctl login -p hub`"), "{err}");
    assert!(s.browser_log().is_empty(), "no browser without --login");
    s.cmd()
        .args(["header", "-p", "hub", "--profile", "work"])
        .assert()
        .code(4)
        .stderr(contains("oauthctl login -p hub --profile work"));
}

#[test]
fn token_login_logs_in_when_needed() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let out = s
        .cmd()
        .args(["token", "-p", "hub", "--login"])
        .env("OAUTHCTL_BROWSER", support::fake_browser())
        .assert()
        .code(0);
    let stored = s.session("default").unwrap();
    assert_eq!(
        stdout(&out),
        format!("{}\n", stored.tokens.access_token.expose())
    );
}

/// A mock in this process, so that its faults can change between commands.
struct InProc {
    env: support::Env,
    mock: Option<oauthctl::mock::MockHandle>,
    config: std::path::PathBuf,
    log: std::path::PathBuf,
    provider: String,
}

impl InProc {
    fn start(provider: &str, access_ttl: Option<std::time::Duration>) -> InProc {
        let env = support::Env::new();
        let port = support::free_port();
        let log = env.path().join("mock.log");
        let mock = oauthctl::mock::start_in_thread(oauthctl::mock::MockOptions {
            provider: provider.into(),
            auto_approve: true,
            redirect_uris: vec![format!("http://127.0.0.1:{port}/callback")],
            rotate_refresh_tokens: true,
            access_ttl,
            log: Some(log.clone()),
            ..Default::default()
        })
        .expect("mock");
        let config = env.path().join("mock.toml");
        std::fs::write(&config, mock.config_toml()).unwrap();
        InProc {
            env,
            mock: Some(mock),
            config,
            log,
            provider: provider.into(),
        }
    }
    fn mock(&self) -> &oauthctl::mock::MockHandle {
        self.mock.as_ref().unwrap()
    }
    fn cmd(&self) -> assert_cmd::Command {
        let mut c = self.env.cmd();
        c.arg("--config")
            .arg(&self.config)
            .args(["--store", "file"]);
        c
    }
    fn login(&self) {
        self.cmd()
            .args(["login", "-p", &self.provider, "--browser"])
            .arg(support::fake_browser())
            .assert()
            .code(0);
    }
    fn session_file(&self) -> std::path::PathBuf {
        oauthctl::store::Store::new(
            oauthctl::store::Preference::File,
            self.env.path().join("data/oauthctl"),
        )
        .file_path(&oauthctl::store::SessionKey::new(&self.provider, "default").unwrap())
    }
    fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.session_file()).unwrap()
    }
    fn session(&self) -> oauthctl::store::Session {
        oauthctl::store::Store::new(
            oauthctl::store::Preference::File,
            self.env.path().join("data/oauthctl"),
        )
        .load(&oauthctl::store::SessionKey::new(&self.provider, "default").unwrap())
        .unwrap()
        .unwrap()
    }
    /// Changes the stored access token's expiry in the file itself (the index, and a
    /// "login required" mark in it, stay as they are).
    fn set_expires_at(&self, at: u64) {
        let path = self.session_file();
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        v["expires_at"] = serde_json::json!(at);
        std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    }
    fn refreshes(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("\"grant_type\":\"refresh_token\""))
            .count()
    }
    fn fail_with(&self, fault: Option<oauthctl::mock::TokenFault>, latency_ms: u64) {
        self.mock().set_faults(
            false,
            fault,
            None,
            std::time::Duration::from_millis(latency_ms),
        );
    }
}

#[test]
fn invalid_grant_keeps_the_session_and_marks_it_as_needing_login() {
    let p = InProc::start("hub", None);
    p.login();
    let bytes = p.bytes();
    let valid = p.session().tokens.access_token.expose().to_string();
    p.fail_with(Some(oauthctl::mock::TokenFault::InvalidGrant), 0);
    // The explicit refresh says login required, in one line naming the command.
    let out = p.cmd().args(["refresh", "-p", "hub"]).assert().code(4);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("invalid_grant") && err.contains("run `oauthctl login -p hub`"),
        "{err}"
    );
    assert_eq!(p.bytes(), bytes, "the tokens are kept");
    p.cmd()
        .args(["status"])
        .assert()
        .code(0)
        .stdout(contains("login required (invalid_grant)"));
    let out = p.cmd().args(["status", "--json"]).assert().code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v[0]["needs_login"], true);
    assert_eq!(v[0]["refreshable"], false);
    // The access token is valid for another hour: `token` still gives it, with one
    // warning naming the refusal and the login command, and the server is not asked.
    p.fail_with(None, 0);
    let asked = p.refreshes();
    for args in [
        &["token", "-p", "hub"][..],
        &["token", "-p", "hub", "--min-ttl", "2h"],
    ] {
        let out = p.cmd().args(args).assert().code(0);
        let o = out.get_output();
        assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), valid);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("warning")
                && err.contains("can no longer be refreshed (invalid_grant)")
                && err.contains("run `oauthctl login -p hub` before then"),
            "{err}"
        );
    }
    assert_eq!(p.refreshes(), asked);
    // A new login clears the mark.
    p.login();
    p.cmd()
        .args(["token", "-p", "hub"])
        .assert()
        .code(0)
        .stderr("");
    p.cmd()
        .args(["status"])
        .assert()
        .stdout(contains("login required").not());
}

#[test]
fn a_rotated_refresh_that_cannot_be_stored_says_the_old_refresh_token_is_dead() {
    let p = InProc::start("hub", None);
    p.login();
    let bytes = p.bytes();
    let asked = p.refreshes();
    // No file may grow: the refreshed session cannot be written (as on a
    // full disk), after the server has rotated the refresh token.
    let out = p
        .env
        .sh("trap '' XFSZ; ulimit -f 0")
        .arg("--config")
        .arg(&p.config)
        .args(["--store", "file", "refresh", "-p", "hub"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(8), "{err}");
    assert_eq!(p.refreshes(), asked + 1, "the server did refresh");
    assert!(
        err.contains("the server renewed the session of hub and rotated its refresh token, but the new tokens could not be stored")
            && err.contains("The stored refresh token has been replaced at the server and will be refused")
            && err.contains("then run `oauthctl login -p hub` to get a new session"),
        "{err}"
    );
    assert_eq!(p.bytes(), bytes, "the stored session is left as it was");
}

#[test]
fn a_refused_refresh_still_hands_out_the_valid_access_token_then_login_required_once_it_expires() {
    let p = InProc::start("hub", None);
    p.login();
    let valid = p.session().tokens.access_token.expose().to_string();
    p.fail_with(Some(oauthctl::mock::TokenFault::InvalidGrant), 0);
    // The refresh that `--min-ttl` asks for is refused: the token still works for an
    // hour, so it is given, with the refusal on stderr.
    let out = p
        .cmd()
        .args(["token", "-p", "hub", "--min-ttl", "2h"])
        .assert()
        .code(0);
    let o = out.get_output();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), valid);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("refused: invalid_grant"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Once it has expired, only a login helps.
    p.set_expires_at(oauthctl::store::unix_now() - 10);
    p.cmd()
        .args(["token", "-p", "hub"])
        .assert()
        .code(4)
        .stdout("")
        .stderr(contains("can no longer be refreshed"));
}

#[test]
fn server_errors_network_failures_and_timeouts_leave_the_session_untouched() {
    let mut p = InProc::start("hub", None);
    p.login();
    let bytes = p.bytes();
    p.fail_with(Some(oauthctl::mock::TokenFault::ServerError), 0);
    p.cmd()
        .args(["refresh", "-p", "hub"])
        .assert()
        .code(5)
        .stderr(contains("server_error"));
    assert_eq!(p.bytes(), bytes);
    p.fail_with(Some(oauthctl::mock::TokenFault::Html502), 0);
    p.cmd()
        .args(["token", "-p", "hub", "--min-ttl", "2h"])
        .assert()
        .code(5)
        .stderr(contains("502"));
    assert_eq!(p.bytes(), bytes);
    p.fail_with(None, 3000);
    p.cmd()
        .args([
            "token",
            "-p",
            "hub",
            "--min-ttl",
            "2h",
            "--timeout",
            "500ms",
        ])
        .assert()
        .code(7);
    assert_eq!(p.bytes(), bytes);
    drop(p.mock.take());
    std::thread::sleep(std::time::Duration::from_millis(200));
    p.cmd()
        .args(["token", "-p", "hub", "--min-ttl", "2h"])
        .assert()
        .code(6)
        .stderr(contains("connection refused"));
    assert_eq!(p.bytes(), bytes);
    // Nothing was marked: the session is still usable once the server is back.
    p.cmd()
        .args(["status", "--json"])
        .assert()
        .stdout(contains("\"needs_login\": false"));
    p.cmd().args(["token", "-p", "hub"]).assert().code(0);
}

#[test]
fn fifty_concurrent_callers_on_an_expired_session_refresh_once() {
    let p = InProc::start("hub", None);
    p.login();
    // Expire the stored access token (the server's tokens live an hour, so a refreshed one
    // stays valid however slowly 50 processes get scheduled on a loaded machine).
    let store = oauthctl::store::Store::new(
        oauthctl::store::Preference::File,
        p.env.path().join("data/oauthctl"),
    );
    let key = oauthctl::store::SessionKey::new("hub", "default").unwrap();
    let mut s = store.load(&key).unwrap().unwrap();
    s.tokens.expires_at = Some(oauthctl::store::unix_now() - 10);
    store.save(&s).unwrap();
    let before = p.refreshes();
    let children: Vec<std::process::Child> = (0..50)
        .map(|_| {
            let mut c = support::mock::std_cmd(&p.env);
            c.arg("--config")
                .arg(&p.config)
                .args(["--store", "file", "token", "-p", "hub"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            c.spawn().expect("spawn")
        })
        .collect();
    let outputs: Vec<std::process::Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for o in &outputs {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let tokens: std::collections::BTreeSet<String> = outputs
        .iter()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .collect();
    assert_eq!(tokens.len(), 1, "50 identical tokens: {tokens:?}");
    assert_eq!(
        p.refreshes() - before,
        1,
        "exactly one refresh reached the server"
    );
    let t = tokens.into_iter().next().unwrap();
    let me = support::mock::get_bearer(&p.mock().url("/api/auth/me"), t.trim());
    assert_eq!(me.status, 200, "the token is valid");
}

#[test]
fn onboardbase_has_no_refresh_so_an_expiring_key_needs_a_login() {
    let p = InProc::start("onboardbase", None);
    p.login();
    p.cmd()
        .args(["token", "-p", "onboardbase"])
        .assert()
        .code(0);
    p.cmd()
        .args(["token", "-p", "onboardbase", "--min-ttl", "1000d"])
        .assert()
        .code(4)
        .stderr(contains("run `oauthctl login -p onboardbase`"));
}
