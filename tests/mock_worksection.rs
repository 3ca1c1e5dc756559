#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl mock -p worksection`: https-only redirect URIs, `account_url`, refresh at
//! `/oauth2/refresh` with rotation that invalidates the old tokens, `POST /oauth2/resource`.

mod support;

use support::mock::{get_bearer, post_form, MockProc};
use support::Env;

const REDIRECT: &str = "https://127.0.0.1/callback";
const ID: &str = "oauthctl-mock";
const SECRET: &str = "mock-client-secret";

fn tokens(m: &MockProc, scope: &str) -> serde_json::Value {
    let r = m.authorize(
        "/oauth2/authorize",
        &[
            ("client_id", ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("state", "abc"),
            ("scope", scope),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(r.location().starts_with("https://127.0.0.1/callback?code="));
    let code = r.redirect_params()["code"].clone();
    let t = post_form(
        &m.url("/oauth2/token"),
        &[
            ("client_id", ID),
            ("client_secret", SECRET),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
        &[],
    );
    assert_eq!(t.status, 200, "{}", t.text());
    t.json()
}

fn resource(m: &MockProc, token: &str) -> support::mock::Resp {
    post_form(
        &m.url("/oauth2/resource"),
        &[
            ("client_id", ID),
            ("client_secret", SECRET),
            ("access_token", token),
        ],
        &[],
    )
}

#[test]
fn token_response_has_account_url_and_24h_tokens() {
    let env = Env::new();
    let m = MockProc::start(&env, "worksection", &["--auto-approve"]);
    // Scopes separated by a comma or a space, as the guide allows.
    let t = tokens(&m, "projects_read,tasks_read users_read");
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 86400);
    assert_eq!(
        t["account_url"],
        "https://authorizeduseraccount.worksection.com"
    );
    assert_eq!(t["scope"], "projects_read tasks_read users_read");
    let me = resource(&m, t["access_token"].as_str().unwrap());
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["first_name"], "John");
    assert!(me.json()["account_url"].is_string());
    // The API base answers the guide's example with the Bearer token.
    let api = get_bearer(
        &m.url("/api/oauth2?action=get_tasks&page=/project/193/"),
        t["access_token"].as_str().unwrap(),
    );
    assert_eq!(api.status, 200);
    assert_eq!(api.json()["status"], "ok");
}

#[test]
fn refresh_rotates_and_invalidates_the_old_tokens() {
    let env = Env::new();
    let log = env.path().join("requests.jsonl");
    let m = MockProc::start(
        &env,
        "worksection",
        &["--auto-approve", "--log", log.to_str().unwrap()],
    );
    let t = tokens(&m, "projects_read");
    let old_at = t["access_token"].as_str().unwrap().to_string();
    let old_rt = t["refresh_token"].as_str().unwrap().to_string();
    let refresh = |rt: &str| {
        post_form(
            &m.url("/oauth2/refresh"),
            &[
                ("client_id", ID),
                ("client_secret", SECRET),
                ("grant_type", "refresh_token"),
                ("refresh_token", rt),
            ],
            &[],
        )
    };
    let r = refresh(&old_rt);
    assert_eq!(r.status, 200, "{}", r.text());
    let n = r.json();
    let new_at = n["access_token"].as_str().unwrap();
    let new_rt = n["refresh_token"].as_str().unwrap();
    assert_ne!(new_rt, old_rt);
    assert!(n["account_url"].is_string());
    // The old refresh token and the old access token are dead; the new ones work.
    let again = refresh(&old_rt);
    assert_eq!(again.status, 400);
    assert_eq!(again.json()["error"], "invalid_grant");
    assert_eq!(resource(&m, &old_at).status, 401);
    assert_eq!(resource(&m, new_at).status, 200);
    assert_eq!(refresh(new_rt).status, 200);

    // The request log counts the refreshes: one line each, flushed.
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let refreshes: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["path"] == "/oauth2/refresh")
        .collect();
    assert_eq!(refreshes.len(), 3);
    assert!(refreshes
        .iter()
        .all(|l| l["grant_type"] == "refresh_token" && l["client_auth"] == "post"));
    assert_eq!(refreshes[1]["status"], 400);
    assert!(lines
        .iter()
        .all(|l| l["ts"].is_string() && l["method"].is_string()));
    assert!(!text.contains(new_rt), "a token leaked into the log");
}

#[test]
fn refresh_is_not_answered_at_the_token_endpoint() {
    let env = Env::new();
    let m = MockProc::start(&env, "worksection", &["--auto-approve"]);
    let t = tokens(&m, "projects_read");
    let r = post_form(
        &m.url("/oauth2/token"),
        &[
            ("client_id", ID),
            ("client_secret", SECRET),
            ("grant_type", "refresh_token"),
            ("refresh_token", t["refresh_token"].as_str().unwrap()),
        ],
        &[],
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    assert!(r.text().contains("/oauth2/refresh"));
}

#[test]
fn resource_needs_the_client_credentials_in_the_form() {
    let env = Env::new();
    let m = MockProc::start(&env, "worksection", &["--auto-approve"]);
    let t = tokens(&m, "projects_read");
    let r = post_form(
        &m.url("/oauth2/resource"),
        &[
            ("client_id", ID),
            ("client_secret", "wrong"),
            ("access_token", t["access_token"].as_str().unwrap()),
        ],
        &[],
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_client");
    let r = get_bearer(
        &m.url("/oauth2/resource"),
        t["access_token"].as_str().unwrap(),
    );
    assert_eq!(r.status, 405);
}

#[test]
fn http_redirect_uris_are_refused() {
    let env = Env::new();
    env.cmd()
        .args([
            "mock",
            "-p",
            "worksection",
            "--redirect-uri",
            "http://127.0.0.1:8765/callback",
        ])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "accepts only https redirect URIs",
        ));
    let m = MockProc::start(&env, "worksection", &["--auto-approve"]);
    let r = m.authorize(
        "/oauth2/authorize",
        &[
            ("client_id", ID),
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1/callback"),
        ],
    );
    assert_eq!(r.status, 400);
    assert!(r.header("location").is_none());
}

#[test]
fn unknown_scope_is_refused() {
    let env = Env::new();
    let m = MockProc::start(&env, "worksection", &["--auto-approve"]);
    let r = m.authorize(
        "/oauth2/authorize",
        &[
            ("client_id", ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "projects_read,everything"),
            ("state", "xyz"),
        ],
    );
    let p = r.redirect_params();
    assert_eq!(p["error"], "invalid_scope");
    assert_eq!(p["state"], "xyz");
}
