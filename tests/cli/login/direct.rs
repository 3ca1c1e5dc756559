//! `oauthctl login --client-credentials` and `--password` against `oauthctl mock -p
//! oidc` and `-p teamwork`, client authentication by the provider's method and by
//! `private_key_jwt` (verified by the mock, refused with a wrong key, never replayable),
//! and `token` / `refresh` on the sessions they store.

use crate::support;
use crate::support::flow::Setup;
use crate::support::{fixture, jwt_claims};
use oauthctl::store::Grant;
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{json, Value};

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn auths(s: &Setup, grant: &str) -> Vec<(String, u64)> {
    s.token_requests(grant)
        .iter()
        .map(|r| {
            (
                r["client_auth"].as_str().unwrap_or("").to_string(),
                r["status"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn client_credentials_on_oidc_with_scope_audience_and_resources_then_renewed_by_asking_again() {
    let s = Setup::new("oidc", &["--access-ttl", "10m"]);
    let out = s
        .cmd()
        .args([
            "login",
            "-p",
            "oidc",
            "--client-credentials",
            "--scope",
            "profile",
            "--audience",
            "https://api.example",
            "--resource",
            "https://r1.example",
            "--resource",
            "https://r2.example",
            "--json",
        ])
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["grant"], "client_credentials");
    assert_eq!(v["subject"], "oauthctl-mock");
    assert_eq!(v["refreshable"], false);
    assert_eq!(v["client_auth"], "client_secret_basic");
    assert_eq!(v["scopes"], json!(["profile"]));
    assert!(stderr_of(&out).contains("as client oauthctl-mock (client credentials)"));
    assert!(stderr_of(&out).contains("renewed by asking again"));
    let first = s.session("default").expect("session");
    assert_eq!(
        first.grant,
        Grant::ClientCredentials {
            audience: Some("https://api.example".into()),
            resource: vec!["https://r1.example".into(), "https://r2.example".into()],
            params: vec![],
        }
    );
    assert!(first.tokens.refresh_token.is_none());
    // The mock made the requested audiences the token's `aud`.
    let aud = json!([
        "https://api.example",
        "https://r1.example",
        "https://r2.example"
    ]);
    assert_eq!(jwt_claims(first.tokens.access_token.expose())["aud"], aud);
    assert_eq!(auths(&s, "client_credentials"), [("basic".into(), 200)]);

    // Valid: printed as stored, no request.
    let t = s.cmd().args(["token", "-p", "oidc"]).assert().code(0);
    assert_eq!(
        stdout_of(&t),
        format!("{}\n", first.tokens.access_token.expose())
    );
    assert_eq!(s.token_requests("client_credentials").len(), 1);
    // Expiring within --min-ttl: there is no refresh token, so it asks again, the same way.
    let t = s
        .cmd()
        .args(["token", "-p", "oidc", "--min-ttl", "1h"])
        .assert()
        .code(0);
    let renewed = s.session("default").expect("session");
    assert_ne!(renewed.tokens.access_token, first.tokens.access_token);
    assert_eq!(
        stdout_of(&t),
        format!("{}\n", renewed.tokens.access_token.expose())
    );
    assert_eq!(renewed.grant, first.grant);
    assert_eq!(jwt_claims(renewed.tokens.access_token.expose())["aud"], aud);
    assert_eq!(
        jwt_claims(renewed.tokens.access_token.expose())["scope"],
        "profile"
    );
    // `refresh` renews it the same way.
    s.cmd()
        .args(["refresh", "-p", "oidc"])
        .assert()
        .code(0)
        .stderr(contains("Renewed oidc by asking again (client credentials"));
    assert_eq!(
        auths(&s, "client_credentials"),
        vec![("basic".to_string(), 200); 3]
    );
    assert!(s.token_requests("refresh_token").is_empty());
}

#[test]
fn teamwork_offers_no_client_credentials_and_says_so() {
    let s = Setup::new("teamwork", &[]);
    s.cmd()
        .args(["login", "-p", "teamwork", "--client-credentials"])
        .assert()
        .code(5)
        .stderr(contains("does not list the client_credentials grant"))
        .stderr(contains("unsupported_grant_type"))
        .stderr(contains(
            "hint: the server does not support the client_credentials grant",
        ));
    assert!(s.session("default").is_none());
}

#[test]
fn a_public_client_cannot_use_client_credentials() {
    let s = Setup::new("hub", &[]);
    s.cmd()
        .args(["login", "-p", "hub", "--client-credentials"])
        .assert()
        .code(3)
        .stderr(contains("public client"));
    assert_eq!(s.mock_hits("/api/oauth/token"), 0);
}

#[test]
fn teamwork_password_grant_from_stdin_with_basic_auth_then_token_and_refresh() {
    let s = Setup::new("teamwork", &[]);
    let out = s
        .cmd()
        .args([
            "login",
            "-p",
            "teamwork",
            "--password",
            "--username",
            "alice",
            "--password-stdin",
            "--trace",
        ])
        .write_stdin("wonderland\n")
        .assert()
        .code(0);
    let err = stderr_of(&out);
    assert!(err.contains("OAuth 2.1 drops this grant"), "{err}");
    assert!(err.contains("as alice (password)"), "{err}");
    // The password is in the request, and nowhere on screen.
    assert!(err.contains("password=[redacted:"), "{err}");
    assert!(!err.contains("wonderland"), "{err}");
    assert!(stdout_of(&out).is_empty());
    let session = s.session("default").expect("session");
    assert_eq!(session.grant, Grant::Password);
    assert_eq!(session.subject.as_deref(), Some("alice"));
    assert!(session.tokens.refresh_token.is_some());
    assert!(!std::fs::read_to_string(s.session_file("default"))
        .unwrap()
        .contains("wonderland"));
    assert_eq!(auths(&s, "password"), [("basic".into(), 200)]);

    let t = s.cmd().args(["token", "-p", "teamwork"]).assert().code(0);
    assert_eq!(
        stdout_of(&t),
        format!("{}\n", session.tokens.access_token.expose())
    );
    s.cmd()
        .args(["refresh", "-p", "teamwork"])
        .assert()
        .code(0)
        .stderr(contains("Refreshed teamwork"));
    let after = s.session("default").unwrap();
    assert_ne!(after.tokens.access_token, session.tokens.access_token);
    assert_eq!(after.grant, Grant::Password);
    assert_eq!(auths(&s, "refresh_token"), [("basic".into(), 200)]);
}

#[test]
fn oidc_password_grant_gets_an_id_token_and_refreshes() {
    let s = Setup::new("oidc", &[]);
    s.cmd()
        .args([
            "login",
            "-p",
            "oidc",
            "--password",
            "--username",
            "alice",
            "--password-stdin",
            "--scope",
            "openid email offline_access",
        ])
        .write_stdin("wonderland\r\n")
        .assert()
        .code(0)
        .stderr(contains("as alice@example.com (password)"));
    let session = s.session("default").expect("session");
    assert_eq!(session.grant, Grant::Password);
    let id = session.tokens.id_token.as_ref().expect("an ID token");
    assert_eq!(jwt_claims(id.expose())["email"], "alice@example.com");
    s.cmd()
        .args(["token", "-p", "oidc", "--min-ttl", "2h"])
        .assert()
        .code(0);
    assert_eq!(s.token_requests("refresh_token").len(), 1);
    assert!(
        s.session("default").unwrap().tokens.refresh_token != session.tokens.refresh_token,
        "rotated"
    );
}

#[test]
fn a_wrong_password_is_refused_with_a_hint_and_nothing_is_stored() {
    let s = Setup::new("teamwork", &[]);
    s.cmd()
        .args([
            "login",
            "-p",
            "teamwork",
            "--password",
            "--username",
            "alice",
            "--password-stdin",
        ])
        .write_stdin("queen-of-hearts\n")
        .assert()
        .code(5)
        .stderr(contains("invalid_grant"))
        .stderr(contains(
            "hint: the server refused the username or password",
        ))
        .stderr(contains("queen-of-hearts").not());
    assert!(s.session("default").is_none());
}

#[test]
fn the_password_is_never_an_argument_and_without_a_terminal_stdin_must_carry_it() {
    let s = Setup::new("teamwork", &[]);
    // `--password` takes no value: a password after it is an unexpected argument.
    s.cmd()
        .args(["login", "-p", "teamwork", "--password", "wonderland"])
        .assert()
        .code(2)
        .stderr(contains("unexpected argument"));
    // No terminal to ask on (the tests run without one).
    s.cmd()
        .args([
            "login",
            "-p",
            "teamwork",
            "--password",
            "--username",
            "alice",
        ])
        .assert()
        .code(3)
        .stderr(contains("cannot ask for the password on the terminal"))
        .stderr(contains("--password-stdin"));
    s.cmd()
        .args(["login", "-p", "teamwork", "--password", "--password-stdin"])
        .write_stdin("wonderland\n")
        .assert()
        .code(2)
        .stderr(contains("--password-stdin needs --username"));
    s.cmd()
        .args([
            "login",
            "-p",
            "teamwork",
            "--password",
            "--username",
            "alice",
            "--password-stdin",
        ])
        .write_stdin("")
        .assert()
        .code(3)
        .stderr(contains("stdin gave no password"));
    s.cmd()
        .args(["login", "-p", "teamwork", "--username", "alice"])
        .assert()
        .code(2);
    assert!(s.token_requests("password").is_empty());
}

/// `oauthctl mock -p oidc --client-jwks tests/fixtures/client-jwks.json`.
fn jwt_mock() -> Setup {
    Setup::new("oidc", &["--client-jwks", &fixture("client-jwks.json")])
}

#[test]
fn private_key_jwt_es256_and_rs256_are_verified_by_the_mock_and_renewals_sign_again() {
    let s = jwt_mock();
    let config = std::fs::read_to_string(&s.config).unwrap();
    assert!(
        config.contains("token_endpoint_auth_method = \"private_key_jwt\""),
        "{config}"
    );
    assert!(!config.contains("client_secret ="), "{config}");
    let key = fixture("client-ec.pem");
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--client-credentials", "--json"])
        .args(["--client-assertion-key", &key])
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["client_auth"], "private_key_jwt");
    let session = s.session("default").expect("session");
    assert_eq!(session.client_assertion_key.as_deref(), Some(key.as_str()));
    // Renewal needs no flag: the session remembers the key, and signs a new assertion
    // (the mock refuses a jti it has seen).
    s.cmd()
        .args(["token", "-p", "oidc", "--min-ttl", "2h"])
        .assert()
        .code(0);
    s.cmd().args(["refresh", "-p", "oidc"]).assert().code(0);
    assert_eq!(
        auths(&s, "client_credentials"),
        vec![("private_key_jwt".to_string(), 200); 3]
    );

    // RS256, relative to the current directory.
    let out = s
        .cmd()
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests"))
        .args([
            "login",
            "-p",
            "oidc",
            "--profile",
            "rsa",
            "--client-credentials",
        ])
        .args(["--client-assertion-key", "fixtures/rsa-private.pem"])
        .assert()
        .code(0);
    assert!(stderr_of(&out).contains("Logged in"));
    let rsa = s.session("rsa").expect("session");
    assert_eq!(
        rsa.client_assertion_key.as_deref(),
        Some(fixture("rsa-private.pem").as_str()),
        "stored as an absolute path"
    );
    assert_eq!(auths(&s, "client_credentials").len(), 4);
}

#[test]
fn private_key_jwt_with_a_key_the_server_does_not_know_is_refused() {
    let s = jwt_mock();
    let wrong = fixture("other-ec.pem");
    s.cmd()
        .args(["login", "-p", "oidc", "--client-credentials"])
        .args(["--client-assertion-key", &wrong])
        .assert()
        .code(5)
        .stderr(contains("invalid_client"))
        .stderr(contains("signature does not verify"))
        .stderr(contains(format!(
            "hint: the server did not accept the client assertion: check that the public key of {wrong} is registered"
        )));
    assert!(s.session("default").is_none());
    assert_eq!(
        auths(&s, "client_credentials"),
        [("private_key_jwt".into(), 401)]
    );
    // A file that is not a private key is refused before any request.
    s.cmd()
        .args(["login", "-p", "oidc", "--client-credentials"])
        .args(["--client-assertion-key", &fixture("client-ec.pub.pem")])
        .assert()
        .code(3)
        .stderr(contains("is a public key"));
    s.cmd()
        .args(["login", "-p", "oidc", "--client-credentials"])
        .args(["--client-assertion-key", "/nonexistent/key.pem"])
        .assert()
        .code(3)
        .stderr(contains("cannot read the client assertion key"));
    assert_eq!(auths(&s, "client_credentials").len(), 1);
    // Without a key at all, the config's private_key_jwt cannot be used.
    s.cmd()
        .args(["login", "-p", "oidc", "--client-credentials"])
        .assert()
        .code(3)
        .stderr(contains("has no key"))
        .stderr(contains("--client-assertion-key"));
}

#[test]
fn a_client_assertion_cannot_be_replayed() {
    let s = jwt_mock();
    let out = s
        .cmd()
        .args(["--trace", "--show-secrets", "login", "-p", "oidc"])
        .args(["--client-credentials", "--client-assertion-key"])
        .arg(fixture("client-ec.pem"))
        .assert()
        .code(0);
    let err = stderr_of(&out);
    let assertion = err
        .split("client_assertion=")
        .nth(1)
        .and_then(|r| r.split(['&', '\n', ' ']).next())
        .expect("the assertion in the trace")
        .to_string();
    let claims = jwt_claims(&assertion);
    assert_eq!(claims["iss"], "oauthctl-mock");
    assert_eq!(claims["sub"], "oauthctl-mock");
    assert_eq!(claims["aud"], format!("{}/token", s.base()));
    assert!(claims["jti"].as_str().is_some_and(|j| j.len() >= 16));
    let exp = claims["exp"].as_u64().unwrap();
    let iat = claims["iat"].as_u64().unwrap();
    assert!(exp > iat && exp - iat <= 300, "short-lived: {claims}");
    let again = support::mock::post_form(
        &s.mock.url("/token"),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "oauthctl-mock"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &assertion),
        ],
        &[],
    );
    assert_eq!(again.status, 401, "{}", again.text());
    assert!(again.text().contains("already used"), "{}", again.text());
}

#[test]
fn private_key_jwt_for_the_authorization_code_and_device_grants_and_their_refreshes() {
    let s = Setup::new(
        "oidc",
        &[
            "--client-jwks",
            &fixture("client-ec.pub.pem"),
            "--auto-approve",
            "--device-interval",
            "0s",
        ],
    );
    let key = fixture("client-ec.pem");
    s.login()
        .args(["--client-assertion-key", &key])
        .assert()
        .code(0);
    assert_eq!(
        auths(&s, "authorization_code"),
        [("private_key_jwt".into(), 200)]
    );
    // The refresh signs with the key the session remembers.
    s.cmd().args(["refresh", "-p", "oidc"]).assert().code(0);
    assert_eq!(
        auths(&s, "refresh_token"),
        [("private_key_jwt".into(), 200)]
    );

    s.login()
        .args([
            "--device",
            "--profile",
            "device",
            "--client-assertion-key",
            &key,
        ])
        .assert()
        .code(0);
    let records = s.mock_records();
    let authz = records
        .iter()
        .find(|r| r["path"] == "/device_authorization")
        .expect("device authorization");
    assert_eq!(authz["client_auth"], "private_key_jwt");
    assert!(auths(&s, "urn:ietf:params:oauth:grant-type:device_code")
        .iter()
        .all(|(a, _)| a == "private_key_jwt"));
    assert_eq!(s.session("device").unwrap().grant, Grant::DeviceCode);
}

#[test]
fn a_provider_that_takes_basic_only_refuses_an_assertion() {
    let s = Setup::new("teamwork", &[]);
    s.cmd()
        .args([
            "login",
            "-p",
            "teamwork",
            "--password",
            "--username",
            "alice",
            "--password-stdin",
            "--client-assertion-key",
        ])
        .arg(fixture("client-ec.pem"))
        .write_stdin("wonderland\n")
        .assert()
        .code(5)
        .stderr(contains(
            "accepts client authentication by client_secret_basic only",
        ));
    assert_eq!(auths(&s, "password"), [("private_key_jwt".into(), 401)]);
}

#[test]
fn client_credentials_without_scope_leave_out_the_user_scopes() {
    // The configured scopes are OpenID Connect's (openid profile email offline_access):
    // since issue 14 they are kept, less offline_access (see
    // preflight_real::client_credentials_keep_the_configured_scopes), and the server
    // grants what it grants a client.
    let s = Setup::new("oidc", &[]);
    let out = s
        .cmd()
        .args(["--trace", "login", "-p", "oidc", "--client-credentials"])
        .assert()
        .code(0);
    let err = stderr_of(&out);
    let body = err
        .lines()
        .find(|l| l.contains("grant_type=client_credentials"))
        .expect("the request in the trace")
        .to_string();
    assert!(!body.contains("scope="), "{body}");
    assert_eq!(
        s.session("default").unwrap().tokens.scopes,
        ["profile", "email"],
        "the server's answer"
    );
}

#[test]
fn client_credentials_trace_shows_numbered_steps_and_token_params_reach_the_request() {
    let s = Setup::new("oidc", &[]);
    let out = s
        .cmd()
        .args([
            "login",
            "-p",
            "oidc",
            "--client-credentials",
            "--scope",
            "profile",
            "--token-param",
            "tenant=acme",
            "--trace",
        ])
        .assert()
        .code(0);
    let err = stderr_of(&out);
    assert!(
        err.contains("── step 1/2 · token request: POST ")
            && err.contains("grant_type=client_credentials"),
        "{err}"
    );
    assert!(err.contains("tenant=acme"), "{err}");
    assert!(err.contains("── step 2/2 · response: "), "{err}");
    assert!(err.contains("session stored"), "{err}");
    assert!(s.session("default").is_some());
}
