#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A server that will not introspect or revoke a kind of token (`unsupported_token_type`:
//! oidc-provider answers so for JWT access tokens, which it expects resource servers to
//! verify locally). `introspect` says what to do instead; `logout` deletes the session
//! and warns that the token stays valid until it expires.

#[path = "support/session.rs"]
mod session;
mod support;

use predicates::prelude::*;
use session::{tokens, write_session};
use support::{Env, Reply, Server};

const REFUSED: &str = r#"{"error":"unsupported_token_type","error_description":"Structured JWT Tokens cannot be revoked via the revocation_endpoint"}"#;

fn setup() -> (Env, Server) {
    let s = Server::start();
    let env = Env::new();
    env.write_config(&format!(
        "[providers.api]\nauthorization_endpoint = \"{b}/authorize\"\ntoken_endpoint = \"{b}/token\"\nintrospection_endpoint = \"{b}/introspect\"\nrevocation_endpoint = \"{b}/revoke\"\nclient_id = \"test-client\"\n",
        b = s.base
    ));
    (env, s)
}

#[test]
fn introspect_of_a_token_the_server_will_not_introspect_points_to_decode() {
    let (env, s) = setup();
    s.route(
        "/introspect",
        Reply::json(
            400,
            r#"{"error":"unsupported_token_type","error_description":"Structured JWT Tokens cannot be introspected via the introspection_endpoint"}"#,
        ),
    );
    write_session(&env, "api", tokens("at-jwt-0123456789", None, 600));
    env.cmd()
        .args(["introspect", "-p", "api"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("unsupported_token_type"))
        .stderr(predicate::str::contains(
            "does not introspect this kind of token",
        ))
        .stderr(predicate::str::contains(
            "oauthctl decode TOKEN --verify -p api",
        ))
        .stderr(predicate::str::contains("at-jwt-0123456789").not());
    assert_eq!(s.hits("/introspect"), 1);
}

#[test]
fn logout_warns_when_the_server_will_not_revoke_the_access_token() {
    let (env, s) = setup();
    s.route("/revoke", Reply::json(400, REFUSED));
    write_session(&env, "api", tokens("at-jwt-0123456789", None, 600));
    env.cmd()
        .args(["logout", "-p", "api", "--store", "file"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "Logged out of api: deleted the session from its file.",
        ))
        .stderr(predicate::str::contains(
            "the server refused to revoke the access token (unsupported_token_type): it stays valid until it expires (in ",
        ))
        .stderr(predicate::str::contains("at-jwt-0123456789").not());
    assert_eq!(s.hits("/revoke"), 1);
    env.cmd()
        .args(["token", "-p", "api", "--store", "file"])
        .assert()
        .code(4);
}

#[test]
fn logout_revokes_the_refresh_token_and_warns_only_about_the_access_token() {
    let (env, s) = setup();
    // The refresh token is revoked (200); the access token is refused.
    s.route("/revoke", Reply::json(200, "{}"));
    write_session(
        &env,
        "api",
        tokens("at-jwt-0123456789", Some("rt-0123456789"), 600),
    );
    env.cmd()
        .args(["logout", "-p", "api", "--store", "file"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "after revoking its refresh token and access token",
        ))
        .stderr(predicate::str::contains("refused to revoke").not());
    assert_eq!(s.hits("/revoke"), 2);
}
