#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl login -p demo`: the built-in emulator, started in-process, with no account.

#[path = "support/login.rs"]
mod flow;
mod support;

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
        .arg(flow::fake_browser())
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
