//! Issue 14: a single-sign-on portal as a third real server, emulated by `oauthctl mock
//! -p oidc` with its switches: JSON errors to any Accept that mentions JSON
//! (`--json-errors`), a 401 with `WWW-Authenticate: SSO` before any session (`--sso`),
//! `none` left out of the advertised client authentication methods while public clients
//! are accepted (`--hide-none-auth`), offline_access only with prompt=consent
//! (`--offline-access-needs-consent`), and consent refused (`--refuse-consent`).
//!
//! The preflight stops a login only on proof; `doctor` warns where it cannot tell;
//! client credentials keep the configured scopes.

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::support::flow::Setup;
use crate::support::mock::request;

const PORTAL: &[&str] = &["--json-errors", "--sso", "--hide-none-auth"];

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn doctor(s: &Setup, args: &[&str], code: i32) -> Value {
    let out = s
        .cmd()
        .args(["doctor", "--json", "-p", "oidc"])
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .clone();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        )
    })
}

fn check<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {r}"))
}

#[test]
fn the_portal_answers_json_to_json_and_a_sign_in_page_to_a_browser() {
    let s = Setup::new("oidc", PORTAL);
    // The client is public: PKCE is required.
    let (_verifier, challenge) = crate::support::mock::pkce();
    let url = format!(
        "{}?client_id=oauthctl-mock&response_type=code&redirect_uri={}&scope=openid&state=st&code_challenge={challenge}&code_challenge_method=S256",
        s.mock.url("/authorize"),
        s.redirect_uri
    );
    // Any Accept that mentions JSON, whatever its q-value.
    let r = request(
        "GET",
        &url,
        &[(
            "Accept",
            "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
        )],
        b"",
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json(), serde_json::json!({"error": 9}));
    assert!(r.header("www-authenticate").unwrap().starts_with("SSO"));
    // A browser gets the sign-in page (which also approves).
    let r = request("GET", &url, &[("Accept", "text/html")], b"");
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("SSO"));
    assert!(r.text().contains("name=\"decision\""), "{}", r.text());
    // The metadata leaves `none` out; the mock's client is public.
    let meta = crate::support::mock::get(&s.mock.url("/.well-known/openid-configuration")).json();
    let methods = meta["token_endpoint_auth_methods_supported"].to_string();
    assert!(!methods.contains("none"), "{methods}");
    let config = std::fs::read_to_string(&s.config).unwrap();
    assert!(
        config.contains("token_endpoint_auth_method = \"none\""),
        "{config}"
    );
}

#[test]
fn a_login_with_no_flags_goes_past_the_sign_in_the_preflight_cannot_judge() {
    let s = Setup::new("oidc", PORTAL);
    let out = s.login().assert().code(0).get_output().clone();
    let err = stderr(&out);
    // One line says what the preflight saw; the login went on to the browser.
    assert!(
        err.contains("preflight:") && err.contains("asks for a sign-in first"),
        "{err}"
    );
    assert!(err.contains("WWW-Authenticate: SSO"), "{err}");
    assert!(!err.contains("refused the authorization request"), "{err}");
    assert!(err.contains("Logged in"), "{err}");
    let session = s.session("default").expect("a session");
    assert!(session.tokens.refresh_token.is_some());
    // The preflight asked as a browser does: no JSON in its Accept, so no JSON came.
    let authorize: Vec<Value> = s
        .mock_records()
        .into_iter()
        .filter(|r| r["path"] == "/authorize")
        .collect();
    assert_eq!(authorize[0]["status"], 401, "{authorize:?}");
    assert!(authorize[0]["error"].is_null(), "{authorize:?}");
}

#[test]
fn trace_shows_in_full_what_the_preflight_saw() {
    let s = Setup::new("oidc", PORTAL);
    let out = s
        .login()
        .arg("--trace")
        .assert()
        .code(0)
        .get_output()
        .clone();
    let err = stderr(&out);
    assert!(
        err.contains("the server answered: 401 Unauthorized")
            && err.contains("www-authenticate: SSO realm=\"oauthctl-mock\""),
        "{err}"
    );
}

#[test]
fn doctor_passes_the_portal_with_warnings_not_failures() {
    let s = Setup::new("oidc", PORTAL);
    let r = doctor(&s, &[], 0);
    let auth = check(&r, "client_auth");
    assert_eq!(auth["status"], "warn", "{r}");
    let summary = auth["summary"].as_str().unwrap();
    assert!(
        summary.contains("none is configured") && summary.contains("does not advertise it"),
        "{summary}"
    );
    // Tried: the made-up code got past client authentication.
    assert!(
        summary.contains("got past client authentication"),
        "{summary}"
    );
    let pf = check(&r, "preflight");
    assert_eq!(pf["status"], "warn", "{r}");
    assert!(
        pf["summary"]
            .as_str()
            .unwrap()
            .contains("asks for a sign-in first"),
        "{pf}"
    );
    assert!(r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] != "fail"));
}

#[test]
fn the_portal_still_refuses_a_wrong_redirect_uri_or_client_with_its_own_words() {
    let s = Setup::new("oidc", PORTAL);
    let wrong = format!("http://127.0.0.1:{}/wrong", s.port);
    s.login()
        .args(["--redirect-uri", &wrong])
        .assert()
        .code(5)
        .stderr(contains("is not registered"))
        .stderr(contains("the browser was not opened"))
        .stderr(contains("Open this URL").not());
    s.login()
        .args(["--client-id", "nobody"])
        .assert()
        .code(5)
        .stderr(contains("does not accept client_id `nobody`"));
    assert!(s.browser_log().is_empty(), "{}", s.browser_log());
    let r = doctor(&s, &["--redirect-uri", &wrong], 5);
    assert_eq!(check(&r, "preflight")["status"], "fail", "{r}");
}

#[test]
fn offline_access_is_asked_for_with_prompt_consent_and_gets_a_refresh_token() {
    let s = Setup::new(
        "oidc",
        &["--auto-approve", "--offline-access-needs-consent"],
    );
    let out = s.login().assert().code(0).get_output().clone();
    let err = stderr(&out);
    assert!(!err.contains("no refresh token came back"), "{err}");
    let session = s.session("default").expect("a session");
    assert!(session.tokens.refresh_token.is_some(), "{err}");
    assert!(session.tokens.scopes.iter().any(|x| x == "offline_access"));
    s.cmd()
        .args(["authorize-url", "-p", "oidc"])
        .assert()
        .code(0)
        .stdout(contains("prompt=consent"));
    // A prompt given is kept.
    s.cmd()
        .args(["authorize-url", "-p", "oidc", "--param", "prompt=login"])
        .assert()
        .code(0)
        .stdout(contains("prompt=login").and(contains("prompt=consent").not()));
}

#[test]
fn offline_access_without_a_refresh_token_is_said_in_the_summary_and_in_status() {
    let s = Setup::new(
        "oidc",
        &["--auto-approve", "--offline-access-needs-consent"],
    );
    let out = s
        .login()
        .args(["--param", "prompt=login"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let err = stderr(&out);
    assert!(
        err.contains("offline_access was requested but no refresh token came back")
            && err.contains("prompt=login instead of prompt=consent"),
        "{err}"
    );
    assert!(s.session("default").unwrap().tokens.refresh_token.is_none());
    s.cmd()
        .arg("status")
        .assert()
        .code(0)
        .stdout(contains("offline_access requested, no refresh token came"))
        .stderr(contains("prompt=login instead of prompt=consent"));
    let out = s
        .cmd()
        .args(["status", "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rows[0]["no_refresh_token"]
            .as_str()
            .unwrap()
            .contains("offline_access"),
        "{rows}"
    );
}

#[test]
fn refused_consent_is_explained_as_consent_never_as_an_exchange() {
    // Past the preflight (the consent page), the browser comes back with
    // error=consent_required.
    let s = Setup::new("oidc", &["--refuse-consent"]);
    let out = s.login().assert().code(5).get_output().clone();
    let err = stderr(&out);
    assert!(err.contains("consent_required"), "{err}");
    assert!(
        err.contains("has not given (or refused) consent"),
        "its own meaning: {err}"
    );
    assert!(
        err.contains("next: oauthctl login -p oidc --param prompt=consent"),
        "{err}"
    );
    assert!(!err.contains("does not know"), "{err}");
    assert!(!err.contains("oauthctl exchange"), "{err}");
    // Approved at once, the preflight sees the redirect carrying the error: proof.
    let s = Setup::new("oidc", &["--refuse-consent", "--auto-approve"]);
    let out = s.login().assert().code(5).get_output().clone();
    let err = stderr(&out);
    assert!(
        err.contains("refused the authorization request") && err.contains("consent_required"),
        "{err}"
    );
    assert!(err.contains("the browser was not opened"), "{err}");
    assert!(!err.contains("oauthctl exchange"), "{err}");
    // Its own cause, not a guess from the words ("consent to this client").
    assert!(
        err.contains("has not given (or refused) consent")
            && err.contains("next: `oauthctl login -p oidc --param prompt=consent`"),
        "{err}"
    );
    assert!(!err.contains("does not accept client_id"), "{err}");
}

#[test]
fn client_credentials_keep_the_configured_scopes() {
    let s = Setup::new("oidc", &[]);
    let config = std::fs::read_to_string(&s.config).unwrap();
    let service = config.replace(
        "scopes = [\"openid\", \"profile\", \"email\", \"offline_access\"]",
        "scopes = [\"openid\"]",
    );
    assert_ne!(config, service);
    std::fs::write(&s.config, service).unwrap();
    let out = s
        .cmd()
        .args(["--trace", "login", "-p", "oidc", "--client-credentials"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.starts_with("> grant_type=client_credentials&scope=openid")),
        "{err}"
    );
    assert!(!err.contains("left out"), "{err}");
    // offline_access is left out on purpose, and it says so.
    std::fs::write(&s.config, config).unwrap();
    let out = s
        .cmd()
        .args(["--trace", "login", "-p", "oidc", "--client-credentials"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let err = stderr(&out);
    assert!(
        err.contains("the configured scope offline_access is left out")
            && err.contains("RFC 6749 §4.4.3"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l == "> grant_type=client_credentials&scope=openid profile email"),
        "{err}"
    );
    // --scope says otherwise: exactly those.
    let out = s
        .cmd()
        .args([
            "--trace",
            "login",
            "-p",
            "oidc",
            "--client-credentials",
            "--scope",
            "profile",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let err = stderr(&out);
    assert!(!err.contains("left out"), "{err}");
    assert!(
        err.lines()
            .any(|l| l == "> grant_type=client_credentials&scope=profile"),
        "{err}"
    );
}

#[test]
fn the_in_process_mock_has_the_same_switches() {
    use oauthctl::mock::{self, MockOptions};
    let redirect = "http://127.0.0.1:47999/callback";
    let h = mock::start_in_thread(MockOptions {
        provider: "oidc".into(),
        redirect_uris: vec![redirect.into()],
        json_errors: true,
        sso: true,
        hide_none_auth: true,
        offline_access_needs_consent: true,
        refuse_consent: true,
        ..Default::default()
    })
    .unwrap();
    assert!(h
        .config_toml()
        .contains("token_endpoint_auth_method = \"none\""));
    // Without PKCE the public client is refused, in JSON to a JSON Accept.
    let url = format!(
        "{}?client_id=oauthctl-mock&response_type=code&redirect_uri={redirect}&scope=openid&state=st",
        h.url("/authorize")
    );
    let r = request("GET", &url, &[("Accept", "application/json")], b"");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_request", "{}", r.text());
    let (_v, challenge) = crate::support::mock::pkce();
    let url = format!("{url}&code_challenge={challenge}&code_challenge_method=S256");
    let r = request(
        "GET",
        &url,
        &[("Accept", "*/*;q=0.1, application/json;q=0.01")],
        b"",
    );
    assert_eq!((r.status, r.json()), (401, serde_json::json!({"error": 9})));
}
