//! Rich authorization requests (RFC 9396) against `oauthctl mock -p oidc`:
//! `--authorization-details JSON|@FILE` checked locally, sent in the token request of
//! `login --client-credentials` and `exchange` and in the URL of `authorize-url` and
//! `login`; the granted details stored and shown by `token --json`, `status --json` and
//! `inspect`; an unknown type refused with `invalid_authorization_details`.

use crate::support::flow::Setup;
use serde_json::Value;

const DETAILS: &str = r#"[{"type":"payment_initiation","actions":["initiate"],"instructedAmount":{"currency":"EUR","amount":"123.50"}}]"#;

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn details() -> Value {
    serde_json::from_str(DETAILS).unwrap()
}

#[test]
fn granted_details_of_client_credentials_are_stored_and_shown() {
    let s = Setup::new("oidc", &[]);
    let file = s.env.path().join("details.json");
    std::fs::write(&file, DETAILS).unwrap();
    s.cmd()
        .args([
            "login",
            "-p",
            "oidc",
            "--client-credentials",
            "--scope",
            "profile",
        ])
        .arg("--authorization-details")
        .arg(format!("@{}", file.display()))
        .assert()
        .code(0);
    let session = s.session("default").expect("session");
    assert_eq!(session.tokens.extra["authorization_details"], details());
    let t = s
        .cmd()
        .args(["token", "-p", "oidc", "--json"])
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout_of(&t)).unwrap();
    assert_eq!(v["authorization_details"], details(), "{v}");
    let st = s.cmd().args(["status", "--json"]).assert().code(0);
    let v: Value = serde_json::from_str(&stdout_of(&st)).unwrap();
    assert_eq!(v[0]["authorization_details"], details(), "{v}");
    let i = s
        .cmd()
        .args(["inspect", "-p", "oidc", "--json"])
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout_of(&i)).unwrap();
    assert_eq!(v["extra"]["authorization_details"], details(), "{v}");
    // Renewed by asking again: the same details are asked for again.
    s.cmd()
        .args(["token", "-p", "oidc", "--min-ttl", "2h"])
        .assert()
        .code(0);
    let renewed = s.session("default").expect("session");
    assert_ne!(renewed.tokens.access_token, session.tokens.access_token);
    assert_eq!(renewed.tokens.extra["authorization_details"], details());
}

#[test]
fn an_unknown_type_is_refused_by_the_server_and_bad_json_never_sent() {
    let s = Setup::new("oidc", &[]);
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--client-credentials"])
        .args(["--authorization-details", r#"[{"type":"teleport"}]"#])
        .assert()
        .code(5);
    let err = stderr_of(&out);
    assert!(err.contains("invalid_authorization_details"), "{err}");
    assert!(err.contains("teleport"), "{err}");
    assert_eq!(s.token_requests("client_credentials").len(), 1);
    for bad in [r#"{"type":"a"}"#, "[]", r#"[{"actions":[]}]"#, "not json"] {
        let out = s
            .cmd()
            .args(["login", "-p", "oidc", "--client-credentials"])
            .args(["--authorization-details", bad])
            .assert()
            .code(3);
        assert!(
            stderr_of(&out).contains("--authorization-details"),
            "{bad}: {}",
            stderr_of(&out)
        );
    }
    // Checked before any request.
    assert_eq!(s.token_requests("client_credentials").len(), 1);
    assert!(s.session("default").is_none());
}

#[test]
fn the_authorization_request_and_exchange_carry_the_details() {
    let s = Setup::new("oidc", &[]);
    let out = s
        .cmd()
        .args(["authorize-url", "-p", "oidc", "--json"])
        .args(["--authorization-details", DETAILS])
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let url = url::Url::parse(v["url"].as_str().unwrap()).unwrap();
    let sent: Value = url
        .query_pairs()
        .find(|(k, _)| k == "authorization_details")
        .map(|(_, v)| serde_json::from_str(&v).unwrap())
        .expect("authorization_details in the URL");
    assert_eq!(sent, details());
    // `login` puts them in the authorization request too.
    let out = s
        .login()
        .args(["--authorization-details", DETAILS])
        .assert()
        .code(0);
    let err = stderr_of(&out);
    assert!(err.contains("authorization_details="), "{err}");
    // `exchange` sends them in the token request (the code is bogus: refused).
    let out = s
        .cmd()
        .args(["exchange", "-p", "oidc", "--code", "bogus", "--trace"])
        .args(["--authorization-details", DETAILS])
        .assert()
        .code(5);
    let err = stderr_of(&out);
    assert!(
        err.contains(r#"authorization_details=[{"type":"payment_initiation""#),
        "{err}"
    );
}
