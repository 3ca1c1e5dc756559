//! An authorization request refused with `invalid_request` naming a parameter (the
//! mock's `--require-nonce`: "nonce required") is explained as that parameter, with how
//! to send it (`--param NAME=VALUE`), never with `oauthctl exchange` (there is no code):
//! on the preflight path and on the login's callback path.
//!
//! The refusal is provoked with an empty `--param nonce=`: an empty nonce counts as
//! none, whether or not oauthctl sends a nonce of its own with `openid`.

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::flow::Setup;

fn setup() -> Setup {
    Setup::new("oidc", &["--auto-approve", "--require-nonce"])
}

#[test]
fn the_mock_requires_a_nonce_with_openid_when_told_to() {
    let s = setup();
    let params = [
        ("client_id", "oauthctl-mock"),
        ("response_type", "code"),
        ("redirect_uri", s.redirect_uri.as_str()),
        ("scope", "openid"),
        ("state", "st"),
    ];
    let r = s.mock.authorize("/authorize", &params);
    let q = r.redirect_params();
    assert_eq!(q["error"], "invalid_request", "{q:?}");
    assert!(
        q["error_description"].starts_with("nonce required"),
        "{q:?}"
    );
    assert_eq!(q["state"], "st");
    let mut with_nonce = params.to_vec();
    with_nonce.push(("nonce", "n-1"));
    let r = s.mock.authorize("/authorize", &with_nonce);
    assert!(
        r.redirect_params().contains_key("code"),
        "{:?}",
        r.location()
    );
    // Without openid, no nonce is needed.
    let mut plain = params.to_vec();
    plain[3] = ("scope", "profile");
    let r = s.mock.authorize("/authorize", &plain);
    assert!(
        r.redirect_params().contains_key("code"),
        "{:?}",
        r.location()
    );
}

#[test]
fn the_preflight_names_the_parameter_and_how_to_send_it() {
    let s = setup();
    s.login()
        .args(["--param", "nonce="])
        .assert()
        .code(5)
        .stderr(contains("nonce required"))
        .stderr(contains("requires the `nonce` parameter"))
        .stderr(contains("oauthctl login -p oidc --param nonce=VALUE"))
        .stderr(contains("oauthctl exchange").not());
    assert!(s.session("default").is_none());
}

#[test]
fn the_callback_names_the_parameter_and_never_suggests_an_exchange() {
    let s = setup();
    s.login()
        .args(["--no-preflight", "--param", "nonce="])
        .assert()
        .code(5)
        .stderr(contains("refused the authorization"))
        .stderr(contains("nonce required"))
        .stderr(contains("lacks the `nonce` parameter the server requires"))
        .stderr(contains("--param nonce=VALUE"))
        .stderr(contains("next: oauthctl login -p oidc --param nonce=VALUE"))
        .stderr(contains("oauthctl exchange").not());
    assert!(s.session("default").is_none());
}

#[test]
fn a_login_that_sends_the_nonce_succeeds() {
    let s = setup();
    s.login().args(["--param", "nonce=x"]).assert().code(0);
    assert!(s.session("default").is_some());
}
