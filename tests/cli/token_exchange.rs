//! `oauthctl token-exchange` (RFC 8693) against `oauthctl mock -p oidc`: the stored
//! session or a given token exchanged for one with another audience, `--json`,
//! `--save-as`, the subject and actor tokens redacted in `--trace` and the HAR, and each
//! refusal with its exit code.

use crate::support::flow::Setup;
use crate::support::jwt_claims;
use oauthctl::store::Grant;
use serde_json::Value;

const ACCESS_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
const GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// A mock with alice logged in (password grant, default profile); her access token.
fn logged_in() -> (Setup, String) {
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
            "profile email",
        ])
        .write_stdin("wonderland\n")
        .assert()
        .code(0);
    let access = s.session("default").expect("session").tokens.access_token;
    (s, access.expose().to_string())
}

#[test]
fn the_stored_session_is_exchanged_for_a_token_of_another_audience() {
    let (s, subject) = logged_in();
    let out = s
        .cmd()
        .args([
            "token-exchange",
            "-p",
            "oidc",
            "--subject-session",
            "--audience",
            "https://api.example",
            "--scope",
            "profile",
            "--json",
        ])
        .assert()
        .code(0);
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["issued_token_type"], ACCESS_TYPE, "{v}");
    assert_eq!(v["token_type"], "Bearer", "{v}");
    assert!(v["expires_in"].as_u64().unwrap() > 0, "{v}");
    let issued = v["access_token"].as_str().unwrap();
    assert_ne!(issued, subject);
    let claims = jwt_claims(issued);
    assert_eq!(claims["aud"], "https://api.example");
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["scope"], "profile");
    let reqs = s.token_requests(GRANT);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0]["status"], 200);
    assert_eq!(reqs[0]["client_auth"], "basic");
    // The stored session is left as it was.
    assert_eq!(
        s.session("default").unwrap().tokens.access_token.expose(),
        subject
    );
}

#[test]
fn a_subject_token_from_stdin_a_file_or_a_variable_prints_the_issued_token() {
    let (s, subject) = logged_in();
    let file = s.env.path().join("subject.txt");
    std::fs::write(&file, format!("{subject}\n")).unwrap();
    let from_file = format!("@{}", file.display());
    for (src, stdin) in [
        ("-", format!("{subject}\n")),
        (from_file.as_str(), String::new()),
        ("env:SUBJECT", String::new()),
    ] {
        let out = s
            .cmd()
            .env("SUBJECT", &subject)
            .args(["token-exchange", "-p", "oidc", "--subject-token", src])
            .args(["--subject-token-type", "access_token"])
            .args(["--resource", "https://r1.example"])
            .write_stdin(stdin)
            .assert()
            .code(0);
        let printed = stdout_of(&out);
        let token = printed.trim_end();
        assert_eq!(printed, format!("{token}\n"), "one line: {printed}");
        assert_eq!(jwt_claims(token)["aud"], "https://r1.example", "{src}");
        assert_eq!(jwt_claims(token)["sub"], "alice", "{src}");
    }
    assert_eq!(s.token_requests(GRANT).len(), 3);
}

#[test]
fn save_as_stores_the_issued_token_as_a_session_of_that_profile() {
    let (s, _) = logged_in();
    let out = s
        .cmd()
        .args(["token-exchange", "-p", "oidc", "--subject-session"])
        .args(["--audience", "https://api.example", "--save-as", "api"])
        .assert()
        .code(0);
    assert!(
        stderr_of(&out).contains("Stored the exchanged token as the session"),
        "{}",
        stderr_of(&out)
    );
    let saved = s.session("api").expect("the api session");
    assert_eq!(
        saved.grant,
        Grant::TokenExchange {
            audience: vec!["https://api.example".into()],
            resource: vec![],
            issued_token_type: Some(ACCESS_TYPE.into()),
        }
    );
    assert_eq!(
        stdout_of(&out),
        format!("{}\n", saved.tokens.access_token.expose())
    );
    assert_eq!(saved.tokens.extra["issued_token_type"], ACCESS_TYPE);
    let t = s
        .cmd()
        .args(["token", "-p", "oidc", "--profile", "api"])
        .assert()
        .code(0);
    assert_eq!(
        stdout_of(&t),
        format!("{}\n", saved.tokens.access_token.expose())
    );
    // No refresh token and no subject token kept: renewing needs a new exchange.
    let t = s
        .cmd()
        .args(["token", "-p", "oidc", "--profile", "api", "--min-ttl", "2h"])
        .assert()
        .code(4);
    let err = stderr_of(&t);
    assert!(
        err.contains("oauthctl token-exchange -p oidc --save-as api"),
        "{err}"
    );
}

#[test]
fn the_subject_and_actor_tokens_are_redacted_in_the_trace_and_the_har() {
    let (s, subject) = logged_in();
    let har = s.env.path().join("x.har");
    let out = s
        .cmd()
        .args(["token-exchange", "-p", "oidc", "--trace", "--har"])
        .arg(&har)
        .args(["--subject-token", &subject, "--actor-token", &subject])
        .args(["--actor-token-type", "access_token"])
        .assert()
        .code(0);
    let err = stderr_of(&out);
    let issued = stdout_of(&out).trim_end().to_string();
    assert!(err.contains(&format!("grant_type={GRANT}")), "{err}");
    // Keyed redaction: a JWT keeps its header and claims readable, never its signature.
    let signature = subject.rsplit('.').next().unwrap();
    assert!(err.contains("subject_token=ey"), "{err}");
    assert!(err.contains("actor_token=ey"), "{err}");
    assert!(!err.contains(signature), "{err}");
    assert!(!err.contains(&subject), "{err}");
    assert!(!err.contains(&issued), "{err}");
    let har = std::fs::read_to_string(&har).unwrap();
    assert!(har.contains("subject_token"), "the request is in the HAR");
    assert!(!har.contains(signature), "{har}");
    assert!(!har.contains(&issued), "{har}");
}

#[test]
fn refusals_and_mistakes_have_their_exit_codes() {
    let (s, subject) = logged_in();
    let run = |args: &[&str], code: i32| -> String {
        let out = s
            .cmd()
            .args(["token-exchange", "-p", "oidc"])
            .args(args)
            .assert()
            .code(code);
        stderr_of(&out)
    };
    // A token the server never issued: invalid_request (RFC 8693 §2.2.2).
    let err = run(&["--subject-token", "not-a-token-it-issued"], 5);
    assert!(err.contains("invalid_request"), "{err}");
    assert!(err.contains("not a token this server issued"), "{err}");
    // An audience the server will not serve: invalid_target.
    let err = run(
        &[
            "--subject-token",
            &subject,
            "--audience",
            "https://nowhere.invalid/api",
        ],
        5,
    );
    assert!(err.contains("invalid_target"), "{err}");
    // More scopes than the subject token has: invalid_scope.
    let err = run(&["--subject-token", &subject, "--scope", "openid"], 5);
    assert!(err.contains("invalid_scope"), "{err}");
    // An unknown actor token.
    let err = run(
        &[
            "--subject-token",
            &subject,
            "--actor-token",
            "unknown-actor",
        ],
        5,
    );
    assert!(err.contains("actor_token"), "{err}");
    // No subject token at all: usage.
    let err = run(&[], 2);
    assert!(err.contains("--subject-token"), "{err}");
    // A file that is not there: bad input.
    let err = run(&["--subject-token", "@/nonexistent/subject.txt"], 3);
    assert!(err.contains("cannot read --subject-token"), "{err}");
    // --subject-session without a session of that profile: login required.
    let err = run(&["--subject-session", "--profile", "nobody"], 4);
    assert!(
        err.contains("oauthctl login -p oidc --profile nobody"),
        "{err}"
    );
    assert!(!err.contains(&subject));
}
