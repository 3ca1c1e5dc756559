//! A refused refresh names the exact login command of the session's grant: a device,
//! password, client credentials or private_key_jwt session is not logged in again by a
//! plain `oauthctl login -p NAME` (that would start a browser login with another grant).

use crate::support::session::{tokens, Mocked};
use oauthctl::store::{Grant, Preference, Session, Store};

/// An expired session of `grant` (with a refresh token) for the mocked provider.
fn expired_session(m: &Mocked, grant: Grant, key: Option<&str>) {
    let s = Session {
        provider: m.provider.clone(),
        profile: "default".into(),
        client_id: Some("test-client".into()),
        issuer: None,
        subject: Some("alice".into()),
        tokens: tokens("old-access", Some("old-refresh"), -60),
        obtained_at: 1_700_000_000,
        grant,
        client_assertion_key: key.map(str::to_string),
        client_cert: None,
        dpop_key: None,
    };
    Store::new(Preference::File, m.env.path().join("data").join("oauthctl"))
        .save(&s)
        .expect("save session");
}

/// `token` refuses (exit 4) with one line naming `expected`, then, once marked, says
/// again which command to run.
fn assert_login_hint(grant: Grant, key: Option<&str>, expected: &str) {
    let m = Mocked::start("oidc", &["--fail-token-with", "invalid_grant"]);
    expired_session(&m, grant, key);
    let out = m.cmd().args(["token", "-p", "oidc"]).assert().code(4);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("refused to refresh") && err.contains(&format!("run `{expected}`")),
        "{err}"
    );
    let out = m.cmd().args(["refresh", "-p", "oidc"]).assert().code(4);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("can no longer be refreshed") && err.contains(&format!("run `{expected}`")),
        "{err}"
    );
}

#[test]
fn a_browser_session_is_logged_in_again_with_a_plain_login() {
    assert_login_hint(Grant::AuthorizationCode, None, "oauthctl login -p oidc");
}

#[test]
fn a_device_session_is_logged_in_again_with_the_device_grant() {
    assert_login_hint(Grant::DeviceCode, None, "oauthctl login -p oidc --device");
}

#[test]
fn a_password_session_is_logged_in_again_with_the_password_grant() {
    assert_login_hint(Grant::Password, None, "oauthctl login -p oidc --password");
}

#[test]
fn a_client_credentials_session_is_logged_in_again_with_client_credentials() {
    let grant = Grant::ClientCredentials {
        audience: None,
        resource: vec![],
        params: vec![],
    };
    assert_login_hint(grant, None, "oauthctl login -p oidc --client-credentials");
}

#[test]
fn a_private_key_jwt_session_keeps_its_key_in_the_login_command() {
    let key = crate::support::fixture("client-ec.pem");
    assert_login_hint(
        Grant::DeviceCode,
        Some(&key),
        &format!("oauthctl login -p oidc --device --client-assertion-key {key}"),
    );
}
