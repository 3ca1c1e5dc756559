#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl mock -p onboardbase`: `scopes`, parameters in the query string, 201 with a
//! `{data, errors}` envelope, `api_key` + `passphrase`, absolute `expires_in`, numeric
//! error codes.

mod support;

use support::mock::{post_form, request, MockProc};
use support::Env;

const REDIRECT: &str = "http://127.0.0.1:8765/callback";
const ID: &str = "oauthctl-mock";
const SECRET: &str = "mock-client-secret";

fn code(m: &MockProc) -> String {
    let r = m.authorize(
        "/oauth/authorize",
        &[
            ("response_type", "code"),
            ("client_id", ID),
            ("redirect_uri", REDIRECT),
            ("scopes", "read.secrets,read.projects"),
            ("state", "{\"hi\":\"there\"}"),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    let p = r.redirect_params();
    assert_eq!(p["state"], "{\"hi\":\"there\"}");
    p["code"].clone()
}

fn token_url(m: &MockProc, pairs: &[(&str, &str)]) -> String {
    format!("{}?{}", m.url("/oauth/token"), support::mock::form(pairs))
}

fn exchange(m: &MockProc, code: &str) -> support::mock::Resp {
    request(
        "POST",
        &token_url(
            m,
            &[
                ("client_id", ID),
                ("client_secret", SECRET),
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", REDIRECT),
            ],
        ),
        &[],
        b"",
    )
}

#[test]
fn query_string_token_request_answers_201_in_the_envelope() {
    let env = Env::new();
    let m = MockProc::start(&env, "onboardbase", &["--auto-approve"]);
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let r = exchange(&m, &code(&m));
    assert_eq!(r.status, 201, "{}", r.text());
    let j = r.json();
    assert_eq!(j["errors"], serde_json::json!([]));
    let d = &j["data"];
    assert!(d["api_key"].is_string());
    assert!(d.get("access_token").is_none());
    assert!(d["passphrase"].as_str().unwrap().len() >= 9);
    assert_eq!(d["token_type"], "bearer");
    assert_eq!(
        d["scopes"],
        serde_json::json!(["read.secrets", "read.projects"])
    );
    // expires_in is a Unix time, about an hour ahead.
    let exp = d["expires_in"].as_u64().unwrap();
    assert!(exp >= before + 3500 && exp <= before + 3700, "{exp}");
    // No refresh grant: no refresh token.
    assert!(d.get("refresh_token").is_none());
}

#[test]
fn numeric_error_codes() {
    let env = Env::new();
    let m = MockProc::start(&env, "onboardbase", &["--auto-approve", "--code-ttl", "1s"]);
    let c = code(&m);
    assert_eq!(exchange(&m, &c).status, 201);
    // A used code: invalid_code, 1700.
    let r = exchange(&m, &c);
    assert_eq!(r.status, 400);
    let j = r.json();
    assert!(j["data"].is_null());
    assert_eq!(j["errors"][0]["message"], "invalid_code");
    assert_eq!(j["errors"][0]["code"], 1700);
    // An unknown code too.
    assert_eq!(exchange(&m, "nope").json()["errors"][0]["code"], 1700);
    // An expired code: auth_code_expired, 1800.
    let c = code(&m);
    std::thread::sleep(std::time::Duration::from_millis(1300));
    let j = exchange(&m, &c).json();
    assert_eq!(j["errors"][0]["message"], "auth_code_expired");
    assert_eq!(j["errors"][0]["code"], 1800);
}

#[test]
fn parameters_in_the_body_or_a_wrong_client_are_refused() {
    let env = Env::new();
    let m = MockProc::start(&env, "onboardbase", &["--auto-approve"]);
    let c = code(&m);
    let body = post_form(
        &m.url("/oauth/token"),
        &[
            ("client_id", ID),
            ("client_secret", SECRET),
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
        ],
        &[],
    );
    assert_eq!(body.status, 400);
    assert_eq!(body.json()["errors"][0]["code"], 1000);
    let wrong = request(
        "POST",
        &token_url(
            &m,
            &[
                ("client_id", ID),
                ("client_secret", "nope"),
                ("grant_type", "authorization_code"),
                ("code", &c),
                ("redirect_uri", REDIRECT),
            ],
        ),
        &[],
        b"",
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json()["errors"][0]["message"], "unauthorized_client");
    assert_eq!(wrong.json()["errors"][0]["code"], 1100);
    // The code survived both: the right request still works.
    assert_eq!(exchange(&m, &c).status, 201);
}

#[test]
fn scopes_parameter_is_required_and_named_scopes() {
    let env = Env::new();
    let m = MockProc::start(&env, "onboardbase", &["--auto-approve"]);
    let r = m.authorize(
        "/oauth/authorize",
        &[
            ("response_type", "code"),
            ("client_id", ID),
            ("redirect_uri", REDIRECT),
            ("scope", "read.secrets"),
        ],
    );
    let p = r.redirect_params();
    assert_eq!(p["error"], "invalid_request");
    assert!(p["error_description"].contains("`scopes`"));
    let r = m.authorize(
        "/oauth/authorize",
        &[
            ("response_type", "code"),
            ("client_id", ID),
            ("redirect_uri", REDIRECT),
        ],
    );
    assert_eq!(r.redirect_params()["error"], "invalid_request");
    let r = m.authorize(
        "/oauth/authorize",
        &[
            ("response_type", "code"),
            ("client_id", ID),
            ("redirect_uri", REDIRECT),
            ("scopes", "read.secrets,read.everything"),
        ],
    );
    assert_eq!(r.redirect_params()["error"], "invalid_scope");
}

#[test]
fn denial_redirects_with_access_denied() {
    let env = Env::new();
    let m = MockProc::start(&env, "onboardbase", &["--deny"]);
    let r = m.authorize(
        "/oauth/authorize",
        &[
            ("response_type", "code"),
            ("client_id", ID),
            ("redirect_uri", REDIRECT),
            ("scopes", "read.secrets"),
            ("state", "s"),
        ],
    );
    assert_eq!(r.status, 302);
    let p = r.redirect_params();
    assert_eq!(p["error"], "access_denied");
    assert_eq!(p["state"], "s");
}
