#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl mock -p chatwork`: three hosts collapsed onto the mock, a client secret by
//! Basic or in the form, `/v2/me`.

mod support;

use support::mock::{basic, get_bearer, post_form, MockProc};
use support::Env;

const REDIRECT: &str = "http://127.0.0.1:8765/callback";

fn code(m: &MockProc) -> String {
    let r = m.authorize(
        "/oauth2/authorize",
        &[
            ("client_id", "oauthctl-mock"),
            ("scope", "users.profile.me:read"),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    r.redirect_params()["code"].clone()
}

#[test]
fn secret_in_the_form_or_basic_and_v2_me() {
    let env = Env::new();
    let m = MockProc::start(&env, "chatwork", &["--auto-approve"]);
    // The guide's token request: everything in the body (client_secret_post).
    let r = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code(&m)),
            ("redirect_uri", REDIRECT),
            ("client_id", "oauthctl-mock"),
            ("client_secret", "mock-client-secret"),
        ],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let t = r.json();
    let at = t["access_token"].as_str().unwrap().to_string();
    let rt = t["refresh_token"].as_str().unwrap().to_string();
    let me = get_bearer(&m.url("/v2/me"), &at);
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["chatwork_id"], "alice");
    assert!(me.json()["account_id"].is_number());

    // Basic works too, for the code grant and for the refresh.
    let r = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code(&m)),
            ("redirect_uri", REDIRECT),
        ],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", "oauthctl-mock"),
            ("client_secret", "mock-client-secret"),
        ],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn wrong_secret_missing_secret_and_two_methods_at_once() {
    let env = Env::new();
    let m = MockProc::start(&env, "chatwork", &["--auto-approve"]);
    let c = code(&m);
    let wrong = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("client_id", "oauthctl-mock"),
            ("client_secret", "nope"),
        ],
        &[],
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json()["error"], "invalid_client");
    let none = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("client_id", "oauthctl-mock"),
        ],
        &[],
    );
    assert_eq!(none.status, 401);
    assert!(
        none.text()
            .contains("client_secret_basic, client_secret_post only; this request used none"),
        "{}",
        none.text()
    );
    let both = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("client_secret", "mock-client-secret"),
        ],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(both.status, 400);
    assert_eq!(both.json()["error"], "invalid_request");
    assert!(both.text().contains("more than one"));
}

#[test]
fn given_client_credentials_are_used_and_the_snippet_hides_a_given_secret() {
    let env = Env::new();
    let m = MockProc::start(
        &env,
        "chatwork",
        &[
            "--auto-approve",
            "--client-id",
            "my-app",
            "--client-secret",
            "s3cr3t-value",
        ],
    );
    let snippet = m.stdout();
    assert!(snippet.contains("client_id = \"my-app\""), "{snippet}");
    assert!(!snippet.contains("s3cr3t-value"), "{snippet}");
    assert!(snippet.contains(&format!("token_endpoint = \"{}/token\"", m.base)));
    assert!(snippet.contains(&format!("userinfo_endpoint = \"{}/v2/me\"", m.base)));
    let r = m.authorize(
        "/oauth2/authorize",
        &[
            ("client_id", "my-app"),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
        ],
    );
    let c = r.redirect_params()["code"].clone();
    let t = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
        ],
        &[("Authorization", &basic("my-app", "s3cr3t-value"))],
    );
    assert_eq!(t.status, 200, "{}", t.text());
}
