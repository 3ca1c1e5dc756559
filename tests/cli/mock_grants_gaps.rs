//! The emulator's rich authorization requests and token exchange, beyond the token
//! request: `authorization_details` asked for in the authorization request travel with
//! the code to the token answer (RFC 9396 §6), an unknown type is refused at the
//! authorization endpoint, discovery lists `authorization_details_types_supported`
//! (§10), and an exchanged JWT access token names its actor in `act` (RFC 8693 §4.1).

use crate::support::flow::Setup;
use crate::support::jwt_claims;
use crate::support::mock::{basic, get, pkce, post_form};
use serde_json::{json, Value};

fn details() -> Value {
    json!([{"type": "account_information", "actions": ["list_accounts"]}])
}

#[test]
fn discovery_lists_the_authorization_details_types() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let meta = get(&s.mock.url("/.well-known/openid-configuration")).json();
    assert_eq!(
        meta["authorization_details_types_supported"],
        json!(["payment_initiation", "account_information"])
    );
}

#[test]
fn details_of_the_authorization_request_come_back_with_the_code_exchange() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let (verifier, challenge) = pkce();
    let d = details().to_string();
    let r = s.mock.authorize(
        "/authorize",
        &[
            ("response_type", "code"),
            ("client_id", "oauthctl-mock"),
            ("redirect_uri", &s.redirect_uri),
            ("state", "s1"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("authorization_details", &d),
        ],
    );
    let p = r.redirect_params();
    let code = p.get("code").unwrap_or_else(|| panic!("{p:?}"));
    let t = post_form(
        &s.mock.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &s.redirect_uri),
            ("code_verifier", &verifier),
        ],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    let v = t.json();
    assert_eq!(v["authorization_details"], details(), "{v}");

    // An unknown type is refused at the authorization endpoint.
    let r = s.mock.authorize(
        "/authorize",
        &[
            ("response_type", "code"),
            ("client_id", "oauthctl-mock"),
            ("redirect_uri", &s.redirect_uri),
            ("state", "s2"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("authorization_details", r#"[{"type":"teleport"}]"#),
        ],
    );
    let p = r.redirect_params();
    assert_eq!(p["error"], "invalid_authorization_details", "{p:?}");
    assert_eq!(p["state"], "s2");
}

#[test]
fn an_exchanged_token_names_its_actor() {
    let s = Setup::new("oidc", &["--token-format", "jwt"]);
    s.cmd()
        .args(["login", "-p", "oidc", "--password", "--username", "alice"])
        .args(["--password-stdin", "--scope", "profile"])
        .write_stdin("wonderland\n")
        .assert()
        .code(0);
    let access = s.session("default").expect("session").tokens.access_token;
    let out = s
        .cmd()
        .args([
            "token-exchange",
            "-p",
            "oidc",
            "--subject-session",
            "--json",
        ])
        .args(["--actor-token", access.expose()])
        .args([
            "--actor-token-type",
            "urn:ietf:params:oauth:token-type:access_token",
        ])
        .assert()
        .code(0);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let claims = jwt_claims(v["access_token"].as_str().expect("access_token"));
    assert_eq!(claims["act"], json!({"sub": "alice"}), "{claims}");
    // Without an actor: no `act`.
    let out = s
        .cmd()
        .args([
            "token-exchange",
            "-p",
            "oidc",
            "--subject-session",
            "--json",
        ])
        .assert()
        .code(0);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let claims = jwt_claims(v["access_token"].as_str().unwrap());
    assert!(claims.get("act").is_none(), "{claims}");
}
