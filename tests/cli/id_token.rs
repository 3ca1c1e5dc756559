//! OpenID Connect: the nonce of the authorization request, and the ID token checked at
//! login (code, device, password), `exchange` and refresh, against `oauthctl mock -p
//! oidc --id-token-fault …` (and the in-process mock, whose faults change while it runs).

use std::time::Duration;

use oauthctl::mock::{self, IdTokenFault, MockOptions};
use oauthctl::store::{Preference, SessionKey, Store};
use predicates::str::contains;
use serde_json::Value;

use crate::support::flow::Setup;
use crate::support::{fake_browser, free_port, Env};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `login` fails with exit code 5, names `claim`, and stores nothing.
fn refused(fault: &str, claim: &str) {
    let s = Setup::new("oidc", &["--auto-approve", "--id-token-fault", fault]);
    let out = s.login().output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(5), "{fault}: {err}");
    assert!(
        err.contains(&format!("the ID token's `{claim}` is wrong: expected")),
        "{fault}: {err}"
    );
    assert!(err.contains("received"), "{err}");
    assert!(
        s.session("default").is_none(),
        "{fault}: a session was stored"
    );
    let log = s.browser_done();
    assert!(log.contains("Login failed"), "{log}");
}

#[test]
fn login_verifies_the_id_token_and_records_how() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    s.login().assert().code(0);
    let session = s.session("default").expect("a session");
    let check = session
        .tokens
        .id_token_check
        .expect("the check is recorded");
    assert!(check.verified, "{check:?}");
    assert_eq!(check.alg.as_deref(), Some("RS256"));
    assert!(check.kid.is_some());
    assert_eq!(check.keys_from, Some(format!("{}/jwks.json", s.base())));
    for c in ["signature", "iss", "aud", "exp", "iat", "nonce", "at_hash"] {
        assert!(
            check.checks.iter().any(|x| x == c),
            "{c} not in {:?}",
            check.checks
        );
    }
    // The nonce is kept only for the flow: never stored in the session.
    let file = std::fs::read_to_string(s.session_file("default")).unwrap();
    assert!(!file.contains("\"nonce\":\""), "{file}");
    // `inspect` says how it was verified.
    s.cmd()
        .args(["inspect", "-p", "oidc"])
        .assert()
        .code(0)
        .stdout(contains("ID token: verified (RS256, key `"))
        .stdout(contains("nonce"));
    let out = s
        .cmd()
        .args(["inspect", "-p", "oidc", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id_token_check"]["verified"], true);
    assert_eq!(v["id_token_check"]["alg"], "RS256");
}

#[test]
fn es256_id_tokens_verify_too() {
    let s = Setup::new("oidc", &["--auto-approve", "--signing-alg", "ES256"]);
    s.login().assert().code(0);
    let check = s.session("default").unwrap().tokens.id_token_check.unwrap();
    assert_eq!(check.alg.as_deref(), Some("ES256"));
}

#[test]
fn a_wrong_audience_fails_the_login() {
    refused("wrong-aud", "aud");
}

#[test]
fn a_wrong_nonce_fails_the_login() {
    refused("wrong-nonce", "nonce");
}

#[test]
fn a_bad_signature_fails_the_login() {
    refused("bad-signature", "signature");
}

#[test]
fn an_expired_id_token_fails_the_login() {
    refused("expired", "exp");
}

#[test]
fn a_large_leeway_accepts_an_expired_id_token() {
    let s = Setup::new("oidc", &["--auto-approve", "--id-token-fault", "expired"]);
    s.login().args(["--leeway", "2h"]).assert().code(0);
    assert!(
        s.session("default")
            .unwrap()
            .tokens
            .id_token_check
            .unwrap()
            .verified
    );
}

#[test]
fn no_verify_id_token_stores_with_a_warning() {
    let s = Setup::new("oidc", &["--auto-approve", "--id-token-fault", "wrong-aud"]);
    let out = s.login().arg("--no-verify-id-token").output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("the ID token failed its checks and is stored anyway (--no-verify-id-token): the ID token's `aud` is wrong"),
        "{err}"
    );
    let check = s.session("default").unwrap().tokens.id_token_check.unwrap();
    assert!(!check.verified);
    assert!(check.failure.unwrap().contains("`aud`"));
    s.cmd()
        .args(["inspect", "-p", "oidc"])
        .assert()
        .code(0)
        .stdout(contains(
            "ID token: NOT verified (stored with --no-verify-id-token)",
        ));
}

#[test]
fn the_password_grant_checks_its_id_token() {
    let s = Setup::new("oidc", &["--id-token-fault", "expired"]);
    let login = |extra: &[&str]| {
        let mut c = s.cmd();
        c.args([
            "login",
            "-p",
            "oidc",
            "--password",
            "--username",
            "alice",
            "--password-stdin",
            "--scope",
            "openid email",
        ])
        .args(extra)
        .write_stdin("wonderland\n");
        c
    };
    login(&[])
        .assert()
        .code(5)
        .stderr(contains("the ID token's `exp` is wrong"));
    assert!(s.session("default").is_none());
    login(&["--no-verify-id-token"]).assert().code(0);
    assert!(s.session("default").is_some());
}

#[test]
fn the_device_grant_checks_its_id_token() {
    let s = Setup::new(
        "oidc",
        &["--device-interval", "0s", "--id-token-fault", "wrong-aud"],
    );
    s.login()
        .arg("--device")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(5)
        .stderr(contains("the ID token's `aud` is wrong"));
    assert!(s.session("default").is_none());
}

#[test]
fn authorize_url_sends_a_fresh_nonce_with_openid() {
    let s = Setup::new("oidc", &[]);
    let json = |extra: &[&str]| -> Value {
        let out = s
            .cmd()
            .args(["authorize-url", "-p", "oidc", "--json"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let a = json(&[]);
    let nonce = a["nonce"].as_str().expect("a nonce");
    assert_eq!(nonce.len(), 43, "{nonce}");
    assert!(nonce
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert!(a["url"]
        .as_str()
        .unwrap()
        .contains(&format!("nonce={nonce}")));
    assert_ne!(json(&[])["nonce"], a["nonce"]);
    // Overridden for reproductions.
    let b = json(&["--param", "nonce=fixed-nonce"]);
    assert_eq!(b["nonce"], "fixed-nonce");
    assert!(b["url"].as_str().unwrap().contains("nonce=fixed-nonce"));
    // Without openid, no nonce.
    let c = json(&["--scope", "profile"]);
    assert_eq!(c["nonce"], Value::Null);
    assert!(!c["url"].as_str().unwrap().contains("nonce="));
    // Text: printed with the verifier and state.
    s.cmd()
        .args(["authorize-url", "-p", "oidc"])
        .assert()
        .code(0)
        .stderr(contains("nonce: "))
        .stderr(contains("state: "));
}

#[test]
fn me_warns_when_the_userinfo_sub_is_not_the_id_tokens() {
    let s = Setup::new(
        "oidc",
        &["--auto-approve", "--id-token-fault", "sub-mismatch"],
    );
    s.login().assert().code(0);
    s.cmd()
        .args(["me", "-p", "oidc"])
        .assert()
        .code(0)
        .stderr(contains(
            "the userinfo answer's `sub` is \"someone-else\", but the ID token's is \"alice\"",
        ));
    let ok = Setup::new("oidc", &["--auto-approve"]);
    ok.login().assert().code(0);
    let out = ok.cmd().args(["me", "-p", "oidc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr_of(&out).contains("5.3.2"));
}

/// The in-process mock, a config pointing at it, and a login through the browser.
struct InProcess {
    env: Env,
    handle: mock::MockHandle,
    config: std::path::PathBuf,
}

impl InProcess {
    fn start() -> InProcess {
        let env = Env::new();
        let handle = mock::start_in_thread(MockOptions {
            provider: "oidc".into(),
            auto_approve: true,
            redirect_uris: vec![format!("http://127.0.0.1:{}/callback", free_port())],
            ..Default::default()
        })
        .unwrap();
        let config = env.path().join("mock.toml");
        std::fs::write(&config, handle.config_toml()).unwrap();
        InProcess {
            env,
            handle,
            config,
        }
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut c = self.env.cmd();
        c.arg("--config")
            .arg(&self.config)
            .args(["--store", "file"]);
        c
    }

    fn session(&self) -> oauthctl::store::Session {
        Store::new(
            Preference::File,
            self.env.path().join("data").join("oauthctl"),
        )
        .load(&SessionKey::new("oidc", "default").unwrap())
        .unwrap()
        .expect("a session")
    }
}

#[test]
fn a_refresh_with_a_bad_id_token_fails_and_keeps_the_session() {
    let m = InProcess::start();
    m.cmd()
        .args(["login", "-p", "oidc", "--browser"])
        .arg(fake_browser())
        .assert()
        .code(0);
    let before = m.session();
    m.handle
        .set_id_token_faults(vec![IdTokenFault::BadSignature]);
    m.cmd()
        .args(["refresh", "-p", "oidc"])
        .assert()
        .code(5)
        .stderr(contains("the ID token's `signature` is wrong"));
    assert_eq!(m.session(), before, "the session changed");
    // --no-verify-id-token keeps a bad one anyway; a good one must name the same subject.
    let m2 = InProcess::start();
    m2.cmd()
        .args(["login", "-p", "oidc", "--browser"])
        .arg(fake_browser())
        .assert()
        .code(0);
    m2.handle.set_id_token_faults(vec![IdTokenFault::Expired]);
    m2.cmd()
        .args(["refresh", "-p", "oidc", "--no-verify-id-token"])
        .assert()
        .code(0)
        .stderr(contains(
            "the new ID token failed its checks and is stored anyway",
        ));
    let after = m2.session();
    assert!(!after.tokens.id_token_check.unwrap().verified);
    m2.handle.set_id_token_faults(vec![]);
    m2.cmd().args(["refresh", "-p", "oidc"]).assert().code(0);
    let check = m2.session().tokens.id_token_check.unwrap();
    assert!(check.verified);
    assert!(
        check.checks.iter().any(|c| c == "sub"),
        "{:?}",
        check.checks
    );
}

/// `authorize-url`, the scripted browser, then `exchange --callback-url … ARGS`.
fn exchange_once(s: &Setup, extra: &[&str]) -> std::process::Output {
    let out = s
        .cmd()
        .args(["authorize-url", "-p", "oidc", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let browsed = std::process::Command::new(fake_browser())
        .arg("--print-final")
        .arg(v["url"].as_str().unwrap())
        .output()
        .unwrap();
    let callback = String::from_utf8_lossy(&browsed.stdout).trim().to_string();
    s.cmd()
        .args(["exchange", "-p", "oidc", "--callback-url", &callback])
        .args(["--code-verifier", v["code_verifier"].as_str().unwrap()])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn exchange_checks_the_id_token_and_the_nonce_from_the_flow_journal() {
    let ok = Setup::new("oidc", &["--auto-approve"]);
    let out = exchange_once(&ok, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id_token_check"]["verified"], true);
    assert!(v["id_token_check"]["checks"]
        .as_array()
        .unwrap()
        .contains(&Value::from("nonce")));

    let s = Setup::new("oidc", &["--auto-approve", "--id-token-fault", "wrong-aud"]);
    let out = exchange_once(&s, &[]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("the ID token's `aud` is wrong"));
    let out = exchange_once(&s, &["--no-verify-id-token", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id_token_check"]["verified"], false);

    let n = Setup::new(
        "oidc",
        &["--auto-approve", "--id-token-fault", "wrong-nonce"],
    );
    let out = exchange_once(&n, &[]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("the ID token's `nonce` is wrong: expected the nonce of the authorization request (the flow journal holds its hash"), "{err}");
    assert!(err.contains("received \"not-the-nonce-sent\""), "{err}");
}
