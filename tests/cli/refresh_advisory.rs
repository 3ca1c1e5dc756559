//! A held refresh token is always tried: server metadata (`grant_types_supported`) is
//! advisory, and a server that then refuses gets the usual diagnosis. Without a refresh
//! token, an expired session needs the login command of its grant.

use oauthctl::store::{Grant, Preference, Session, Store};
use predicates::prelude::*;
use predicates::str::contains;

use crate::support::session::{tokens, write_session, Mocked};
use crate::support::Env;

fn expired_session(m: &Mocked) {
    Store::new(Preference::File, m.env.path().join("data").join("oauthctl"))
        .save(&Session {
            provider: m.provider.clone(),
            profile: "default".into(),
            client_id: Some("oauthctl-mock".into()),
            issuer: None,
            subject: Some("alice".into()),
            tokens: tokens("old-access", Some("old-refresh"), -60),
            obtained_at: 1_700_000_000,
            grant: Grant::AuthorizationCode,
            client_assertion_key: None,
            client_cert: None,
            dpop_key: None,
        })
        .expect("save session");
}

#[test]
fn metadata_without_the_refresh_grant_does_not_stop_a_refresh() {
    let m = Mocked::start("oidc", &["--hide-refresh-grant"]);
    let meta = crate::support::mock::get(&m.url("/.well-known/openid-configuration")).json();
    let grants = meta["grant_types_supported"].to_string();
    assert!(!grants.contains("refresh_token"), "{grants}");
    let before = m.login();
    assert!(before.tokens.refresh_token.is_some());
    // Tokens live 1 h: --min-ttl 2h refreshes.
    let out = m
        .cmd()
        .args(["token", "-p", "oidc", "--min-ttl", "2h"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_ne!(token, before.tokens.access_token.expose());
    assert_eq!(m.refreshes(200), 1);
    m.cmd().args(["refresh", "-p", "oidc"]).assert().code(0);
    assert_eq!(m.refreshes(200), 2);
}

#[test]
fn a_refusal_after_advisory_metadata_gets_the_usual_diagnosis() {
    let m = Mocked::start(
        "oidc",
        &[
            "--hide-refresh-grant",
            "--fail-token-with",
            "unsupported_grant_type",
        ],
    );
    expired_session(&m);
    m.cmd()
        .args(["token", "-p", "oidc"])
        .assert()
        .code(5)
        .stderr(contains("unsupported_grant_type"))
        .stderr(contains("has no refresh grant").not());
    assert_eq!(m.refreshes(400), 1, "{:?}", m.requests());
}

#[test]
fn without_a_refresh_token_an_expired_session_needs_the_login_of_its_grant() {
    let env = Env::new();
    // Onboardbase issues no refresh token (its guide documents none).
    write_session(&env, "onboardbase", tokens("old-api-key", None, -60));
    env.cmd()
        .args(["--store", "file", "token", "-p", "onboardbase"])
        .assert()
        .code(4)
        .stderr(contains(
            "the session of onboardbase has expired and has no refresh token: run `oauthctl login -p onboardbase`",
        ));
    // A device session is logged in again with the device grant.
    let s = Session {
        provider: "hub".into(),
        profile: "default".into(),
        client_id: Some("c".into()),
        issuer: None,
        subject: None,
        tokens: tokens("old", None, -60),
        obtained_at: 1_700_000_000,
        grant: Grant::DeviceCode,
        client_assertion_key: None,
        client_cert: None,
        dpop_key: None,
    };
    Store::new(Preference::File, env.path().join("data").join("oauthctl"))
        .save(&s)
        .unwrap();
    env.cmd()
        .args(["--store", "file", "refresh", "-p", "hub"])
        .assert()
        .code(4)
        .stderr(contains("run `oauthctl login -p hub --device`"));
}

#[test]
fn an_onboardbase_login_holds_no_refresh_token_so_a_refresh_is_a_login() {
    let m = Mocked::start("onboardbase", &[]);
    let s = m.login();
    assert!(s.tokens.refresh_token.is_none());
    m.cmd()
        .args(["refresh", "-p", "onboardbase"])
        .assert()
        .code(4)
        .stderr(contains("has no refresh token"))
        .stderr(contains("run `oauthctl login -p onboardbase`"));
    assert_eq!(m.refreshes(200) + m.refreshes(400), 0);
}
