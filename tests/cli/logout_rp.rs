//! `logout` that logs out: the local session is always deleted; revocation is skipped
//! where the server will not take this client's authentication there
//! (`revocation_endpoint_auth_methods_supported`), and a refusal is a warning naming
//! the token that stays valid; `--end-session` opens the server's end_session_endpoint
//! (RP-Initiated Logout 1.0) against `oauthctl mock -p oidc`.

use std::time::Duration;

use oauthctl::store::{Grant, Preference, Session, Store};
use predicates::prelude::*;
use predicates::str::contains;

use crate::support::flow::Setup;
use crate::support::mock::{post_form, post_json, MockProc};
use crate::support::session::tokens;
use crate::support::{fake_browser, free_port, Env};

/// A public client registered at the mock (RFC 7591, token_endpoint_auth_method none).
fn register_public(m: &MockProc) -> String {
    let r = post_json(
        &m.url("/register"),
        &serde_json::json!({"client_name": "CLI", "redirect_uris": ["http://127.0.0.1/cb"], "token_endpoint_auth_method": "none"}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["client_id"].as_str().unwrap().to_string()
}

/// A mock that revokes for confidential clients only, a config naming a public client
/// (plus `extra` lines), and a session of that client in the file store.
fn public_client_session(extra: &str) -> (Env, MockProc, Store) {
    let env = Env::new();
    let log = env.path().join("mock.log");
    let m = MockProc::start(
        &env,
        "oidc",
        &[
            "--revocation-requires-secret",
            "--log",
            log.to_str().unwrap(),
        ],
    );
    let id = register_public(&m);
    env.write_config(&format!(
        "[providers.oidc]\nissuer = \"{}\"\nclient_id = \"{id}\"\ntoken_endpoint_auth_method = \"none\"\n{extra}",
        m.base
    ));
    let store = Store::new(Preference::File, env.path().join("data").join("oauthctl"));
    store
        .save(&Session {
            provider: "oidc".into(),
            profile: "default".into(),
            client_id: Some(id),
            issuer: Some(m.base.clone()),
            subject: Some("alice".into()),
            tokens: tokens("at-public-0123456789", Some("rt-public-0123456789"), 3000),
            obtained_at: 1_700_000_000,
            grant: Grant::AuthorizationCode,
            client_assertion_key: None,
            client_cert: None,
            dpop_key: None,
        })
        .unwrap();
    (env, m, store)
}

fn revocations(env: &Env) -> usize {
    std::fs::read_to_string(env.path().join("mock.log"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("\"path\":\"/revoke\""))
        .count()
}

#[test]
fn the_mock_refuses_revocation_to_a_public_client_when_told_to() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &["--revocation-requires-secret"]);
    let meta = crate::support::mock::get(&m.url("/.well-known/openid-configuration")).json();
    assert_eq!(
        meta["revocation_endpoint_auth_methods_supported"],
        serde_json::json!(["client_secret_basic", "client_secret_post"])
    );
    let id = register_public(&m);
    let r = post_form(
        &m.url("/revoke"),
        &[("client_id", &id), ("token", "whatever")],
        &[],
    );
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(r.json()["error"], "invalid_client");
    // Without the switch, a public client may revoke its tokens.
    let plain = MockProc::start(&env, "oidc", &[]);
    let meta = crate::support::mock::get(&plain.url("/.well-known/openid-configuration")).json();
    assert!(meta
        .get("revocation_endpoint_auth_methods_supported")
        .is_none());
    let id = register_public(&plain);
    let r = post_form(
        &plain.url("/revoke"),
        &[("client_id", &id), ("token", "whatever")],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_public_client_skips_a_revocation_it_cannot_authenticate_and_still_logs_out() {
    let (env, _m, store) = public_client_session("");
    env.cmd()
        .args(["--store", "file", "logout", "-p", "oidc"])
        .assert()
        .code(0)
        .stderr(contains("Logged out of oidc: deleted the session from its file."))
        .stderr(contains("revocation_endpoint_auth_methods_supported"))
        .stderr(contains(
            "the refresh token was not revoked (oidc revokes tokens only for clients that authenticate with client_secret_basic, client_secret_post",
        ))
        .stderr(contains("this client uses none"))
        .stderr(contains("the access token was not revoked"))
        .stderr(contains("it stays valid until it expires (in "))
        .stderr(contains("at-public-0123456789").not())
        .stderr(contains("rt-public-0123456789").not());
    assert_eq!(revocations(&env), 0, "no request the server would refuse");
    let key = oauthctl::store::SessionKey::new("oidc", "default").unwrap();
    assert!(store.load(&key).unwrap().is_none());
}

#[test]
fn a_refused_revocation_is_a_warning_and_the_session_is_deleted() {
    // The config claims the server takes public clients: the request is sent, and the
    // server's 401 is a warning, not a failure.
    let (env, _m, store) =
        public_client_session("revocation_endpoint_auth_methods_supported = [\"none\"]\n");
    env.cmd()
        .args(["--store", "file", "logout", "-p", "oidc"])
        .assert()
        .code(0)
        .stderr(contains(
            "Logged out of oidc: deleted the session from its file.",
        ))
        .stderr(contains("the refresh token was not revoked ("))
        .stderr(contains("invalid_client"))
        .stderr(contains("the access token was not revoked ("))
        .stderr(contains("it stays valid until it expires (in "))
        .stderr(contains("rt-public-0123456789").not());
    // A refused client is refused for the next token too: asked once.
    assert_eq!(revocations(&env), 1);
    let key = oauthctl::store::SessionKey::new("oidc", "default").unwrap();
    assert!(store.load(&key).unwrap().is_none());
}

#[test]
fn end_session_opens_the_end_session_endpoint_with_the_hint_redacted() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    s.login().assert().code(0);
    let session = s.session("default").expect("a session");
    let id_token = session
        .tokens
        .id_token
        .as_ref()
        .expect("an ID token")
        .expose()
        .to_string();
    let back = format!("http://127.0.0.1:{}/logged-out", free_port());
    let mut config = std::fs::read_to_string(&s.config).unwrap();
    config.push_str(&format!("post_logout_redirect_uri = \"{back}\"\n"));
    std::fs::write(&s.config, config).unwrap();
    let meta = crate::support::mock::get(&s.mock.url("/.well-known/openid-configuration")).json();
    assert_eq!(
        meta["end_session_endpoint"],
        format!("{}/end_session", s.base())
    );
    let out = s
        .cmd()
        .env("FAKE_BROWSER_STOP_AT", &back)
        .args(["logout", "-p", "oidc", "--end-session", "--browser"])
        .arg(fake_browser())
        .assert()
        .code(0)
        .stderr(contains("Logged out of oidc"))
        .stderr(contains(format!("{}/end_session?id_token_hint=", s.base())))
        .stderr(contains("client_id=oauthctl-mock"))
        .stderr(contains("post_logout_redirect_uri="))
        .stderr(contains(id_token.as_str()).not())
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    assert!(s.session("default").is_none());
    // The browser went to the end-session endpoint and was sent back.
    let mut log = String::new();
    for _ in 0..500 {
        log = s.browser_log();
        if log.contains("FINAL ") || log.contains("ERROR") {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(log.contains("/end_session?id_token_hint="), "{log}");
    assert!(log.contains(&format!("FINAL {back}?state=")), "{log}");
    assert!(
        s.mock_records()
            .iter()
            .any(|r| r["path"] == "/end_session" && r["status"] == 302),
        "{}",
        s.mock_log()
    );
}

#[test]
fn end_session_shows_the_whole_url_with_show_secrets_and_warns_without_an_endpoint() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    s.login().assert().code(0);
    let id_token = s.session("default").unwrap().tokens.id_token.unwrap();
    s.cmd()
        .args(["--show-secrets", "logout", "-p", "oidc", "--no-revoke"])
        .args(["--end-session", "--browser", "true"])
        .assert()
        .code(0)
        .stderr(contains(format!("id_token_hint={}", id_token.expose())));
    // A provider without an end_session_endpoint: the local session still goes.
    let h = Setup::new("hub", &["--auto-approve"]);
    h.login().assert().code(0);
    h.cmd()
        .args(["logout", "-p", "hub", "--end-session"])
        .assert()
        .code(0)
        .stderr(contains("offers no end_session_endpoint"))
        .stderr(contains("has no revocation endpoint"))
        .stderr(contains("Logged out of hub"));
    assert!(h.session("default").is_none());
}
