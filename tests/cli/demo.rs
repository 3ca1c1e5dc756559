//! `oauthctl login -p demo`: the built-in emulator, started in-process, with no account.

use crate::support;
use predicates::str::contains;

#[test]
fn demo_login_works_headless_with_no_config() {
    let env = support::Env::new();
    // No display, no browser: the demo follows the URL itself.
    env.cmd()
        .args(["--store", "file", "login", "-p", "demo"])
        .assert()
        .code(0)
        .stderr(contains("built-in emulator"))
        .stderr(contains("Logged in to oauthctl demo as alice@example.com"));
    env.cmd()
        .args(["--store", "file", "status"])
        .assert()
        .code(0)
        .stdout(contains("demo"))
        .stdout(contains("alice@example.com"));
    let out = env
        .cmd()
        .args(["--store", "file", "token", "-p", "demo"])
        .assert()
        .code(0);
    let token = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // The emulator issues signed JWT access tokens.
    assert_eq!(token.trim().split('.').count(), 3, "{token}");
    env.cmd()
        .args(["decode", token.trim()])
        .assert()
        .code(0)
        .stdout(contains("JWT signed with RS256"));
}

#[test]
fn demo_login_through_a_browser_sees_the_consent_page() {
    let env = support::Env::new();
    let log = env.path().join("browser.log");
    env.cmd()
        .args(["--store", "file", "login", "-p", "demo", "--browser"])
        .arg(support::fake_browser())
        .env("FAKE_BROWSER_LOG", &log)
        .assert()
        .code(0)
        .stderr(contains("Logged in to oauthctl demo"));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        text.contains("CONSENT") || text.contains("POST"),
        "the browser approved a consent page: {text}"
    );
}

/// Runs `args` with the file store; returns (exit code, stdout, stderr).
fn run(env: &support::Env, args: &[&str]) -> (i32, String, String) {
    let out = env
        .cmd()
        .args(["--store", "file"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn logged_in() -> support::Env {
    let env = support::Env::new();
    let (code, _, err) = run(&env, &["login", "-p", "demo"]);
    assert_eq!(code, 0, "{err}");
    env
}

const RESTARTED: &str = "Demo: the built-in emulator restarted in-process at http://127.0.0.1:";

/// The restart line, once.
fn says_restarted_once(stderr: &str) {
    assert_eq!(stderr.matches(RESTARTED).count(), 1, "{stderr}");
}

#[test]
fn demo_token_refreshes_against_a_restarted_emulator() {
    let env = logged_in();
    // The fast path makes no request: no emulator.
    let (code, first, err) = run(&env, &["token", "-p", "demo"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("emulator"), "{err}");
    // --min-ttl longer than the token's life forces a refresh.
    let (code, out, err) = run(&env, &["token", "-p", "demo", "--min-ttl", "2h"]);
    assert_eq!(code, 0, "{err}");
    says_restarted_once(&err);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "stdout is exactly the token: {out}");
    assert_eq!(lines[0].split('.').count(), 3, "{out}");
    assert_ne!(lines[0], first.trim(), "a new access token");
    // -q keeps it quiet.
    let (code, out, err) = run(&env, &["-q", "token", "-p", "demo", "--min-ttl", "2h"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    assert_eq!(out.lines().count(), 1, "{out}");
    // The rotated refresh token keeps working with yet another emulator.
    let (code, _, err) = run(&env, &["refresh", "-p", "demo"]);
    assert_eq!(code, 0, "{err}");
    says_restarted_once(&err);
    assert!(err.contains("Refreshed demo"), "{err}");
    assert!(err.contains("refresh token rotated"), "{err}");
    let (code, out, err) = run(&env, &["header", "-p", "demo", "--min-ttl", "2h"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Authorization: Bearer ey"), "{out}");
}

#[test]
fn demo_me_call_and_introspect_after_login() {
    let env = logged_in();
    let (code, out, err) = run(&env, &["me", "-p", "demo"]);
    assert_eq!(code, 0, "{err}");
    says_restarted_once(&err);
    let me: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(me["sub"], "alice", "{out}");
    assert_eq!(me["email"], "alice@example.com", "{out}");
    let (code, out, err) = run(&env, &["call", "-p", "demo", "/userinfo"]);
    assert_eq!(code, 0, "{err}");
    says_restarted_once(&err);
    assert!(err.contains("HTTP 200"), "{err}");
    assert!(out.contains("alice@example.com"), "{out}");
    let (code, out, err) = run(&env, &["introspect", "-p", "demo"]);
    assert_eq!(code, 0, "{err}");
    says_restarted_once(&err);
    assert!(out.contains("active       yes"), "{out}");
    assert!(out.contains("alice"), "{out}");
    let (code, out, err) = run(&env, &["introspect", "-p", "demo", "--refresh-token"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("active       yes"), "{out}");
    assert!(out.contains("refresh_token"), "{out}");
}

#[test]
fn demo_inspect_decode_verify_and_logout_after_login() {
    let env = logged_in();
    let (code, out, err) = run(&env, &["inspect", "-p", "demo"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("alice"), "{out}");
    let (_, token, _) = run(&env, &["token", "-p", "demo"]);
    let (code, out, err) = run(&env, &["decode", "--verify", "-p", "demo", token.trim()]);
    assert_eq!(code, 0, "{out}{err}");
    says_restarted_once(&err);
    assert!(out.contains("Signature: valid (RS256"), "{out}");
    let (code, _, err) = run(&env, &["logout", "-p", "demo"]);
    assert_eq!(code, 0, "{err}");
    says_restarted_once(&err);
    assert!(err.contains("Logged out of demo"), "{err}");
    assert!(err.contains("after revoking"), "{err}");
    let (code, _, err) = run(&env, &["token", "-p", "demo"]);
    assert_eq!(code, 4, "the session is gone: {err}");
}

/// The emulator behind the demo: a restarted mock honours the tokens of the one before.
#[test]
fn self_contained_tokens_survive_a_restart_and_rotation() {
    use crate::support::mock::{basic, get_bearer, post_form};
    use oauthctl::mock::{self, MockOptions};
    let start = |self_contained: bool| {
        mock::start_in_thread(MockOptions {
            provider: "oidc".into(),
            auto_approve: true,
            self_contained_tokens: self_contained,
            ..MockOptions::default()
        })
        .unwrap()
    };
    let auth = basic("oauthctl-mock", "mock-client-secret");
    let auth = [("Authorization", auth.as_str())];
    let first = start(true);
    let t = post_form(
        &first.url("/token"),
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
            ("scope", "openid email offline_access"),
        ],
        &auth,
    )
    .json();
    drop(first);
    let at = t["access_token"].as_str().unwrap();
    let rt = t["refresh_token"].as_str().unwrap();
    assert_eq!(rt.split('.').count(), 3, "a JWT refresh token: {rt}");

    // A mock that keeps state only knows nothing of them.
    let plain = start(false);
    assert_eq!(get_bearer(&plain.url("/userinfo"), at).status, 401);
    let r = post_form(
        &plain.url("/token"),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        &auth,
    );
    assert_eq!(r.status, 400, "{}", r.text());
    drop(plain);

    let second = start(true);
    let me = get_bearer(&second.url("/userinfo"), at);
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["email"], "alice@example.com");
    let intro = post_form(&second.url("/introspect"), &[("token", rt)], &auth).json();
    assert_eq!(intro["active"], true, "{intro}");
    assert_eq!(intro["sub"], "alice", "{intro}");
    let r = post_form(
        &second.url("/token"),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        &auth,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["id_token"].is_string(), "{}", r.text());
    let at2 = r.json()["access_token"].as_str().unwrap().to_string();
    // Rotated away: refused by the mock that rotated it.
    let again = post_form(
        &second.url("/token"),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        &auth,
    );
    assert_eq!(again.status, 400, "{}", again.text());
    // A token whose claims were changed after signing is refused.
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let parts: Vec<&str> = at.split('.').collect();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = "mallory".into();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    assert_eq!(get_bearer(&second.url("/userinfo"), &forged).status, 401);
    // Revoked by this mock: refused by it from then on.
    let r = post_form(&second.url("/revoke"), &[("token", at)], &auth);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(get_bearer(&second.url("/userinfo"), at).status, 401);
    drop(second);
    // Expiry follows the mock's clock.
    let third = start(true);
    assert_eq!(get_bearer(&third.url("/userinfo"), &at2).status, 200);
    third.advance_clock(std::time::Duration::from_secs(7200));
    assert_eq!(get_bearer(&third.url("/userinfo"), &at2).status, 401);
}
