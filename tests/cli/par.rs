//! Pushed authorization requests (RFC 9126) against `oauthctl mock -p oidc`: `login
//! --par` and `authorize-url --par` push the request (with the client's
//! authentication) and send the browser only `client_id` and `request_uri`; a server
//! that requires PAR (`--require-par`) gets pushed requests without the flag; a
//! `request_uri` works once and expires (`--expired-request-uri`); a refused push is
//! explained like a token error.

use crate::support::flow::Setup;
use crate::support::mock::{basic, get, post_form};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// The mock's log records at `path`.
fn at(s: &Setup, path: &str) -> Vec<Value> {
    s.mock_records()
        .into_iter()
        .filter(|r| r["path"] == path)
        .collect()
}

/// The authorization URLs the scripted browser opened.
fn opened(s: &Setup) -> Vec<String> {
    s.browser_done()
        .lines()
        .filter(|l| l.starts_with("GET ") && l.contains("/authorize"))
        .map(|l| l.split(' ').nth(1).unwrap_or("").to_string())
        .collect()
}

fn query_names(url: &str) -> Vec<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect()
}

#[test]
fn login_par_pushes_and_the_browser_gets_only_client_id_and_request_uri() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let out = s.login().args(["--par", "--trace"]).assert().code(0);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("pushed authorization request"), "{stderr}");
    assert!(stderr.contains("/par"), "{stderr}");
    let pushes = at(&s, "/par");
    assert_eq!(pushes.len(), 1, "{}", s.mock_log());
    assert_eq!(pushes[0]["status"], 201);
    assert_eq!(pushes[0]["client_auth"], "basic");
    let urls = opened(&s);
    assert_eq!(urls.len(), 1, "{}", s.browser_log());
    assert_eq!(query_names(&urls[0]), ["client_id", "request_uri"]);
    let session = s.session("default").expect("session");
    assert!(session.tokens.refresh_token.is_some());
    // The pushed request carried PKCE and the nonce: the exchange and ID token checks
    // passed with them.
    assert!(session.tokens.id_token.is_some());
}

#[test]
fn a_server_that_requires_par_gets_pushed_requests_without_the_flag() {
    let s = Setup::new("oidc", &["--auto-approve", "--require-par"]);
    let meta = get(&s.mock.url("/.well-known/openid-configuration")).json();
    assert_eq!(meta["require_pushed_authorization_requests"], true);
    assert_eq!(
        meta["pushed_authorization_request_endpoint"],
        s.mock.url("/par")
    );
    // A request that is not pushed is refused.
    let r = s.mock.authorize(
        "/authorize",
        &[
            ("response_type", "code"),
            ("client_id", "oauthctl-mock"),
            ("redirect_uri", &s.redirect_uri),
            ("state", "st"),
        ],
    );
    let p = r.redirect_params();
    assert_eq!(p["error"], "invalid_request", "{p:?}");
    assert!(p["error_description"].contains("requires pushed authorization requests"));
    s.login().assert().code(0);
    assert_eq!(at(&s, "/par").len(), 1, "{}", s.mock_log());
    assert_eq!(query_names(&opened(&s)[0]), ["client_id", "request_uri"]);
}

#[test]
fn the_config_key_turns_par_on_too() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let mut config = std::fs::read_to_string(&s.config).unwrap();
    config.push_str("require_pushed_authorization_requests = true\n");
    std::fs::write(&s.config, config).unwrap();
    s.login().assert().code(0);
    assert_eq!(at(&s, "/par").len(), 1, "{}", s.mock_log());
}

#[test]
fn an_expired_request_uri_ends_the_login_with_its_explanation() {
    let s = Setup::new("oidc", &["--auto-approve", "--expired-request-uri"]);
    let out = s.login().arg("--par").assert().code(5);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("invalid_request_uri"), "{stderr}");
    assert!(stderr.contains("has expired"), "{stderr}");
    assert!(stderr.contains("works once"), "{stderr}");
    assert!(s.session("default").is_none());
}

#[test]
fn a_request_uri_works_once() {
    let s = Setup::new("oidc", &[]);
    let r = post_form(
        &s.mock.url("/par"),
        &[
            ("response_type", "code"),
            ("redirect_uri", &s.redirect_uri),
            ("scope", "openid"),
            ("state", "st-1"),
        ],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let uri = r.json()["request_uri"].as_str().unwrap().to_string();
    assert!(uri.starts_with("urn:ietf:params:oauth:request_uri:"));
    assert_eq!(r.json()["expires_in"], 60);
    let q = [
        ("client_id", "oauthctl-mock"),
        ("request_uri", uri.as_str()),
    ];
    let first = s.mock.authorize("/authorize", &q);
    assert_eq!(first.status, 200, "the consent page: {}", first.text());
    let again = s.mock.authorize("/authorize", &q);
    let p = again.redirect_params();
    assert_eq!(p["error"], "invalid_request_uri");
    assert_eq!(p["state"], "st-1");
    assert!(p["error_description"].contains("already used"));
    // Unknown, and pushed without client authentication.
    let r = s.mock.authorize(
        "/authorize",
        &[
            ("client_id", "oauthctl-mock"),
            ("request_uri", "urn:ietf:params:oauth:request_uri:nope"),
        ],
    );
    assert_eq!(r.status, 400);
    assert!(r.text().contains("unknown to this server"));
    let r = post_form(
        &s.mock.url("/par"),
        &[("response_type", "code"), ("client_id", "oauthctl-mock")],
        &[],
    );
    assert_eq!(r.status, 401, "{}", r.text());
}

#[test]
fn authorize_url_par_prints_the_short_url() {
    let s = Setup::new("oidc", &[]);
    let out = s
        .cmd()
        .args(["authorize-url", "-p", "oidc", "--par"])
        .assert()
        .code(0);
    let url = String::from_utf8_lossy(&out.get_output().stdout)
        .trim()
        .to_string();
    assert_eq!(query_names(&url), ["client_id", "request_uri"]);
    assert!(stderr_of(&out).contains("request_uri: urn:ietf:params:oauth:request_uri:"));
    assert!(stderr_of(&out).contains("code_verifier:"));
    let out = s
        .cmd()
        .args(["authorize-url", "-p", "oidc", "--par", "--json"])
        .assert()
        .code(0);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(v["request_uri"]
        .as_str()
        .unwrap()
        .starts_with("urn:ietf:params:oauth:request_uri:"));
    assert_eq!(v["expires_in"], 60);
    assert!(v["url"].as_str().unwrap().contains("request_uri="));
    assert_eq!(at(&s, "/par").len(), 2);
}

#[test]
fn a_refused_push_is_diagnosed_like_a_token_error() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let config = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace("mock-client-secret", "wrong-secret");
    std::fs::write(&s.config, config).unwrap();
    let out = s.login().arg("--par").assert().code(5);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("pushed authorization request"), "{stderr}");
    assert!(stderr.contains("invalid_client"), "{stderr}");
    assert!(stderr.contains("wrong client_secret"), "{stderr}");
    assert!(
        !stderr.contains("wrong-secret"),
        "the secret leaked: {stderr}"
    );
    // The browser never opened.
    assert!(s.browser_log().is_empty(), "{}", s.browser_log());
}

#[test]
fn par_with_client_secret_jwt() {
    let s = Setup::new("oidc", &["--auto-approve", "--client-secret-jwt"]);
    s.login().arg("--par").assert().code(0);
    let pushes = at(&s, "/par");
    assert_eq!(pushes[0]["client_auth"], "client_secret_jwt");
    assert_eq!(pushes[0]["status"], 201);
}

#[test]
fn a_provider_without_a_par_endpoint_says_so() {
    let s = Setup::new("hub", &["--auto-approve"]);
    s.login()
        .arg("--par")
        .assert()
        .code(3)
        .stderr(contains("pushed_authorization_request_endpoint"))
        .stderr(contains("without --par"));
    s.cmd()
        .args(["authorize-url", "-p", "hub", "--par"])
        .assert()
        .code(3)
        .stdout(predicate::str::is_empty());
}

/// `doctor -p oidc --json`: its exit code and the authorization_request check.
fn doctor(s: &Setup, code: i32) -> Value {
    let out = s
        .cmd()
        .args(["doctor", "-p", "oidc", "--json"])
        .assert()
        .code(code)
        .get_output()
        .clone();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "authorization_request")
        .cloned()
        .unwrap_or_else(|| panic!("no authorization_request check: {v}"))
}

#[test]
fn doctor_says_what_the_server_requires_against_what_will_be_sent() {
    let s = Setup::new("oidc", &["--require-par"]);
    let c = doctor(&s, 0);
    assert_eq!(c["status"], "ok", "{c}");
    assert_eq!(
        c["summary"],
        "the server requires PAR; this provider will push"
    );
    // The config turns it off: login would send what the server refuses.
    let mut config = std::fs::read_to_string(&s.config).unwrap();
    config.push_str("require_pushed_authorization_requests = false\n");
    std::fs::write(&s.config, config).unwrap();
    let c = doctor(&s, 3);
    assert_eq!(c["status"], "fail", "{c}");
    assert!(c["summary"].as_str().unwrap().contains(
        "the server requires pushed authorization requests (PAR); this provider will not push"
    ));

    let s = Setup::new("oidc", &[]);
    let c = doctor(&s, 0);
    assert_eq!(c["status"], "ok");
    assert!(c["summary"]
        .as_str()
        .unwrap()
        .contains("`login --par` can push it"));
}

#[test]
fn the_par_switches_need_the_oidc_emulator() {
    let env = crate::support::Env::new();
    for flag in ["--require-par", "--expired-request-uri", "--require-jar"] {
        env.cmd()
            .args(["mock", "-p", "hub", flag])
            .assert()
            .code(2)
            .stderr(contains(flag))
            .stderr(contains("-p oidc"));
    }
}
