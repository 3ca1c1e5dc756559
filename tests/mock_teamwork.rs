#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl mock -p teamwork`: discovery at its own path, Basic-only client
//! authentication, registration, device and password grants.

mod support;

use serde_json::json;
use support::mock::{basic, get, post_form, post_json, MockProc};
use support::Env;

const DEVICE: &str = "urn:ietf:params:oauth:grant-type:device_code";

#[test]
fn discovery_document_points_at_the_mock_and_the_real_discover_command_reads_it() {
    let env = Env::new();
    let cfg = env.path().join("mock.toml");
    let m = MockProc::start(&env, "teamwork", &["--write-config", cfg.to_str().unwrap()]);
    let r = get(&m.url("/authentication/.well-known/oauth2.0-configuration"));
    assert_eq!(r.status, 200);
    let d = r.json();
    let iss = format!("{}/authentication", m.base);
    assert_eq!(d["issuer"], iss.as_str());
    assert_eq!(
        d["token_endpoint"],
        format!("{iss}/api/oauth2/token").as_str()
    );
    assert_eq!(
        d["device_authorization_endpoint"],
        format!("{iss}/api/oauth2/device_code").as_str()
    );
    assert_eq!(
        d["registration_endpoint"],
        format!("{iss}/api/oauth2/register").as_str()
    );
    assert_eq!(
        d["token_endpoint_auth_methods_supported"],
        json!(["client_secret_basic"])
    );
    assert_eq!(d["scopes_supported"], json!([]));
    assert!(get(&m.url("/authentication/jwks.json")).json()["keys"].is_array());

    // The written config sets the issuer, so discovery runs against the mock.
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(text.contains(&format!("issuer = \"{iss}\"")), "{text}");
    assert!(text.contains("default_provider = \"teamwork\""));
    env.cmd()
        .args(["--config", cfg.to_str().unwrap(), "discover", "--json"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains(format!(
            "{iss}/api/oauth2/device_code"
        )));
}

#[test]
fn basic_only_client_authentication() {
    let env = Env::new();
    let m = MockProc::start(&env, "teamwork", &["--auto-approve"]);
    let token = m.url("/authentication/api/oauth2/token");
    let post = post_form(
        &token,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
            ("client_id", "oauthctl-mock"),
            ("client_secret", "mock-client-secret"),
        ],
        &[],
    );
    assert_eq!(post.status, 401);
    assert_eq!(post.json()["error"], "invalid_client");
    assert!(post.text().contains("client_secret_basic only"));
    let ok = post_form(
        &token,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
        ],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert!(ok.json()["refresh_token"].is_string());
    let bad = post_form(
        &token,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "guess"),
        ],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"], "invalid_grant");
    let unsupported = post_form(
        &token,
        &[("grant_type", "client_credentials")],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(unsupported.json()["error"], "unsupported_grant_type");
}

#[test]
fn registration_then_code_flow_with_the_new_client() {
    let env = Env::new();
    let m = MockProc::start(&env, "teamwork", &["--auto-approve"]);
    let r = post_json(
        &m.url("/authentication/api/oauth2/register"),
        &json!({"client_name": "Client name", "redirect_uris": ["http://127.0.0.1:9999/cb"], "grant_types": ["password"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let c = r.json();
    let id = c["client_id"].as_str().unwrap().to_string();
    let secret = c["client_secret"].as_str().unwrap().to_string();
    assert_eq!(c["token_endpoint_auth_method"], "client_secret_basic");
    // Teamwork sets grant types itself: the requested ones are ignored.
    assert_eq!(c["grant_types"].as_array().unwrap().len(), 4);

    let a = m.authorize(
        "/authentication/oauth2/authorize",
        &[
            ("client_id", &id),
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1:9999/cb"),
        ],
    );
    assert_eq!(a.status, 302, "{}", a.text());
    let code = a.redirect_params()["code"].clone();
    let t = post_form(
        &m.url("/authentication/api/oauth2/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9999/cb"),
        ],
        &[("Authorization", &basic(&id, &secret))],
    );
    assert_eq!(t.status, 200, "{}", t.text());

    let bad = post_json(
        &m.url("/authentication/api/oauth2/register"),
        &json!({"client_name": "x", "redirect_uris": ["not a uri"]}),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"], "invalid_redirect_uri");
    let none = post_json(
        &m.url("/authentication/api/oauth2/register"),
        &json!({"client_name": "x"}),
    );
    assert_eq!(none.json()["error"], "invalid_redirect_uri");
}

#[test]
fn device_flow_pending_slow_down_approval_and_tokens() {
    let env = Env::new();
    let m = MockProc::start(&env, "teamwork", &["--device-interval", "1s"]);
    let auth = basic("oauthctl-mock", "mock-client-secret");
    let r = post_form(
        &m.url("/authentication/api/oauth2/device_code"),
        &[],
        &[("Authorization", &auth)],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let d = r.json();
    let dc = d["device_code"].as_str().unwrap().to_string();
    let uc = d["user_code"].as_str().unwrap().to_string();
    assert_eq!(d["interval"], 1);
    assert_eq!(
        d["verification_uri"],
        m.url("/authentication/device").as_str()
    );
    let poll = || {
        post_form(
            &m.url("/authentication/api/oauth2/token"),
            &[("grant_type", DEVICE), ("device_code", &dc)],
            &[("Authorization", &auth)],
        )
    };
    assert_eq!(poll().json()["error"], "authorization_pending");
    assert_eq!(poll().json()["error"], "slow_down");

    // A person opens the verification page and approves.
    let page = get(d["verification_uri_complete"].as_str().unwrap());
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&uc));
    let ok = post_form(
        &m.url("/authentication/device"),
        &[("user_code", &uc.to_lowercase()), ("decision", "approve")],
        &[],
    );
    assert_eq!(ok.status, 200);
    assert!(ok.text().contains("approved"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let t = poll();
    assert_eq!(t.status, 200, "{}", t.text());
    assert!(t.json()["access_token"].is_string());
    // A device code is used once.
    assert_eq!(poll().json()["error"], "invalid_grant");
    let unknown = post_form(
        &m.url("/authentication/device"),
        &[("user_code", "BBBB-BBBB"), ("decision", "approve")],
        &[],
    );
    assert_eq!(unknown.status, 400);
}
