//! `oauthctl login --jwt-bearer` (RFC 7523 §2.1) against `oauthctl mock -p oidc
//! --client-jwks`: an assertion signed by oauthctl (`--assertion-key`, `--assertion-sub`,
//! renewed by signing again) or given (`--assertion`, renewed only by a new login), the
//! mock checking it against the client's keys, and each refusal with its exit code.

use crate::support::flow::Setup;
use crate::support::{fixture, jwt_claims};
use oauthctl::oauth::assertion::AssertionKey;
use oauthctl::store::Grant;
use serde_json::Value;

const GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn jwt_mock() -> Setup {
    Setup::new("oidc", &["--client-jwks", &fixture("client-jwks.json")])
}

/// An assertion for `sub`, signed with the fixture key `key` as the mock's client.
fn assertion(s: &Setup, key: &str, sub: &str) -> String {
    let k = AssertionKey::load(&fixture(key)).unwrap();
    let now = oauthctl::clock::unix_now();
    k.sign_grant("oauthctl-mock", sub, &format!("{}/token", s.base()), now)
        .unwrap()
}

#[test]
fn an_assertion_signed_by_oauthctl_logs_in_and_is_signed_again_to_renew() {
    let s = jwt_mock();
    let key = fixture("client-ec.pem");
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--jwt-bearer", "--json", "--trace"])
        .args(["--assertion-key", &key, "--assertion-sub", "alice"])
        .args(["--client-assertion-key", &key, "--scope", "profile"])
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["grant"], "jwt_bearer", "{v}");
    assert_eq!(v["subject"], "alice", "{v}");
    let err = stderr_of(&out);
    assert!(err.contains(&format!("grant_type={GRANT}")), "{err}");
    assert!(err.contains("assertion=ey"), "{err}");
    let first = s.session("default").expect("session");
    assert_eq!(
        first.grant,
        Grant::JwtBearer {
            assertion_key: Some(key.clone()),
            assertion_sub: Some("alice".into()),
        }
    );
    let claims = jwt_claims(first.tokens.access_token.expose());
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["scope"], "profile");
    assert!(first.tokens.refresh_token.is_none());
    let reqs = s.token_requests(GRANT);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0]["client_auth"], "private_key_jwt");
    // Expiring within --min-ttl: a new assertion is signed and sent (the mock refuses a
    // jti seen before, so this is not a replay).
    let t = s
        .cmd()
        .args(["token", "-p", "oidc", "--min-ttl", "2h"])
        .assert()
        .code(0);
    let renewed = s.session("default").expect("session");
    assert_ne!(renewed.tokens.access_token, first.tokens.access_token);
    assert_eq!(
        stdout_of(&t),
        format!("{}\n", renewed.tokens.access_token.expose())
    );
    assert_eq!(renewed.grant, first.grant);
    assert_eq!(
        jwt_claims(renewed.tokens.access_token.expose())["sub"],
        "alice"
    );
    let reqs = s.token_requests(GRANT);
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1]["status"], 200);
}

#[test]
fn a_given_assertion_logs_in_once_and_renewal_needs_a_new_login() {
    let s = jwt_mock();
    let a = assertion(&s, "client-ec.pem", "bob");
    let file = s.env.path().join("assertion.jwt");
    std::fs::write(&file, format!("{a}\n")).unwrap();
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--jwt-bearer", "--trace"])
        .arg("--assertion")
        .arg(format!("@{}", file.display()))
        .args(["--client-assertion-key", &fixture("client-ec.pem")])
        .assert()
        .code(0);
    let err = stderr_of(&out);
    let signature = a.rsplit('.').next().unwrap();
    assert!(!err.contains(signature), "the assertion's signature: {err}");
    let session = s.session("default").expect("session");
    assert_eq!(
        jwt_claims(session.tokens.access_token.expose())["sub"],
        "bob"
    );
    // The assertion is not kept: no renewal without a new login.
    let t = s
        .cmd()
        .args(["token", "-p", "oidc", "--min-ttl", "2h"])
        .assert()
        .code(4);
    let err = stderr_of(&t);
    assert!(
        err.contains("oauthctl login -p oidc --jwt-bearer --assertion ASSERTION"),
        "{err}"
    );
    // The same assertion again: its jti was used (RFC 7523 §3).
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--jwt-bearer", "--assertion", &a])
        .args(["--client-assertion-key", &fixture("client-ec.pem")])
        .assert()
        .code(5);
    let err = stderr_of(&out);
    assert!(err.contains("invalid_grant"), "{err}");
    assert!(err.contains("already used"), "{err}");
}

#[test]
fn refused_assertions_and_mistakes_have_their_exit_codes() {
    let s = jwt_mock();
    let client_key = fixture("client-ec.pem");
    // Signed with a key the client did not register: invalid_grant, exit 5.
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--jwt-bearer"])
        .args(["--assertion-key", &fixture("other-ec.pem")])
        .args([
            "--assertion-sub",
            "alice",
            "--client-assertion-key",
            &client_key,
        ])
        .assert()
        .code(5);
    let err = stderr_of(&out);
    assert!(err.contains("invalid_grant"), "{err}");
    assert!(err.contains("the assertion was refused"), "{err}");
    // Not a JWT at all.
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--jwt-bearer", "--assertion", "abc"])
        .args(["--client-assertion-key", &client_key])
        .assert()
        .code(5);
    assert!(stderr_of(&out).contains("not a JWT"), "{}", stderr_of(&out));
    // No assertion: usage.
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--jwt-bearer"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&out).contains("--assertion"),
        "{}",
        stderr_of(&out)
    );
    // A key without a subject: usage (clap).
    s.cmd()
        .args([
            "login",
            "-p",
            "oidc",
            "--jwt-bearer",
            "--assertion-key",
            &client_key,
        ])
        .assert()
        .code(2);
    // A key that cannot be read: bad input.
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--jwt-bearer"])
        .args([
            "--assertion-key",
            "/nonexistent/key.pem",
            "--assertion-sub",
            "a",
        ])
        .args(["--client-assertion-key", &client_key])
        .assert()
        .code(3);
    assert!(
        stderr_of(&out).contains("cannot read"),
        "{}",
        stderr_of(&out)
    );
    assert!(s.session("default").is_none());
}
