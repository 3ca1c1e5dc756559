//! `oauthctl mock -p hub`, driven with plain HTTP through the guide's flow and errors.

use crate::support::mock::{basic, get, get_bearer, pkce, post_form, MockProc, Resp};
use crate::support::Env;

const AUTHZ: &str = "/api/oauth/authorize";
const TOKEN: &str = "/api/oauth/token";
const REDIRECT: &str = "http://127.0.0.1:8765/callback";

fn authorize(m: &MockProc, scope: &str, challenge: &str) -> Resp {
    m.authorize(
        AUTHZ,
        &[
            ("client_id", "oauthctl-mock"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", scope),
            ("state", "st-123"),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ],
    )
}

fn exchange(m: &MockProc, code: &str, verifier: &str) -> Resp {
    post_form(
        &m.url(TOKEN),
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "oauthctl-mock"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ],
        &[],
    )
}

fn code(m: &MockProc, scope: &str) -> (String, String) {
    let (v, c) = pkce();
    let r = authorize(m, scope, &c);
    assert_eq!(r.status, 302, "{}", r.text());
    let p = r.redirect_params();
    assert_eq!(p["state"], "st-123");
    assert!(r.location().starts_with(REDIRECT), "{}", r.location());
    (p["code"].clone(), v)
}

#[test]
fn code_flow_with_pkce_then_me_teams_and_refresh() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve"]);
    let (code, verifier) = code(&m, "profile:read teams:read");
    let r = exchange(&m, &code, &verifier);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let t = r.json();
    let at = t["access_token"].as_str().unwrap().to_string();
    let rt = t["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 3600);
    assert_eq!(t["scope"], "profile:read teams:read");

    let me = get_bearer(&m.url("/api/auth/me"), &at);
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["username"], "alice");
    let teams = get_bearer(&m.url("/api/user/teams"), &at);
    assert_eq!(teams.status, 200);
    assert_eq!(teams.json()[0]["role"], "owner");

    // Refresh at the token endpoint with client_id only (the guide's example); Hub does
    // not rotate, so the old refresh token stays good.
    for _ in 0..2 {
        let r = post_form(
            &m.url(TOKEN),
            &[
                ("grant_type", "refresh_token"),
                ("client_id", "oauthctl-mock"),
                ("refresh_token", &rt),
            ],
            &[],
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let j = r.json();
        assert!(j.get("refresh_token").is_none());
        assert_ne!(j["access_token"], at.as_str());
    }
    // The request lines on stderr name the grant and the client authentication.
    let line = "POST /api/oauth/token grant_type=authorization_code client_auth=none → 200";
    let err = m.stderr_once(line);
    assert!(err.contains(line), "{err}");
    assert!(!err.contains(&at), "a token leaked to stderr");
}

#[test]
fn consent_page_approve_and_deny() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &[]);
    let (_, c) = pkce();
    let page = authorize(&m, "profile:read", &c);
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let html = page.text();
    assert!(html.contains(">Approve</button>") && html.contains(">Deny</button>"));
    assert!(html.contains("method=\"post\""));
    assert!(
        !html.contains("<script") && !html.contains("src="),
        "not self-contained"
    );
    let id = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("request id")
        .to_string();

    let ok = post_form(
        &m.url(AUTHZ),
        &[("request", &id), ("decision", "approve")],
        &[],
    );
    assert_eq!(ok.status, 302);
    let p = ok.redirect_params();
    assert!(p.contains_key("code"));
    assert_eq!(p["state"], "st-123");
    // A consent request is answered once.
    let again = post_form(
        &m.url(AUTHZ),
        &[("request", &id), ("decision", "approve")],
        &[],
    );
    assert_eq!(again.status, 400);
    assert!(again.header("location").is_none());

    let page = authorize(&m, "profile:read", &c).text();
    let id = page
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let no = post_form(
        &m.url(AUTHZ),
        &[("request", &id), ("decision", "deny")],
        &[],
    );
    assert_eq!(no.status, 302);
    let p = no.redirect_params();
    assert_eq!(p["error"], "access_denied");
    assert_eq!(p["state"], "st-123");
}

#[test]
fn unknown_client_or_unregistered_redirect_gets_a_page_not_a_redirect() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve"]);
    let (_, c) = pkce();
    let r = m.authorize(
        AUTHZ,
        &[
            ("client_id", "nobody"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", &c),
            ("code_challenge_method", "S256"),
        ],
    );
    assert_eq!(r.status, 400);
    assert!(r.header("location").is_none());
    assert!(r.text().contains("unknown client_id"));
    // Exact matching: a trailing slash is another URI.
    for wrong in [
        "http://127.0.0.1:8765/callback/",
        "http://127.0.0.1:8766/callback",
        "https://evil.example/callback",
    ] {
        let r = m.authorize(
            AUTHZ,
            &[
                ("client_id", "oauthctl-mock"),
                ("response_type", "code"),
                ("redirect_uri", wrong),
                ("code_challenge", &c),
                ("code_challenge_method", "S256"),
            ],
        );
        assert_eq!(r.status, 400, "{wrong}");
        assert!(r.header("location").is_none(), "{wrong}");
        assert!(r.text().contains("is not registered"), "{wrong}");
    }
}

#[test]
fn pkce_is_required_and_verified() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve"]);
    let r = m.authorize(
        AUTHZ,
        &[
            ("client_id", "oauthctl-mock"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("state", "s1"),
        ],
    );
    assert_eq!(r.status, 302);
    let p = r.redirect_params();
    assert_eq!(p["error"], "invalid_request");
    assert!(p["error_description"].contains("code_challenge"));
    assert_eq!(p["state"], "s1");

    let (code, verifier) = code(&m, "profile:read");
    let (other, _) = pkce();
    let r = exchange(&m, &code, &other);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_grant");
    assert!(r.json()["error_description"]
        .as_str()
        .unwrap()
        .contains("PKCE"));
    let r = post_form(
        &m.url(TOKEN),
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "oauthctl-mock"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
        &[],
    );
    assert_eq!(r.json()["error"], "invalid_grant");
    assert_eq!(exchange(&m, &code, &verifier).status, 200);
}

#[test]
fn reused_code_fails_and_revokes_its_tokens() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve"]);
    let (code, verifier) = code(&m, "profile:read");
    let first = exchange(&m, &code, &verifier);
    assert_eq!(first.status, 200);
    let at = first.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(get_bearer(&m.url("/api/auth/me"), &at).status, 200);
    let second = exchange(&m, &code, &verifier);
    assert_eq!(second.status, 400);
    assert_eq!(second.json()["error"], "invalid_grant");
    assert!(second.text().contains("already used"));
    let me = get_bearer(&m.url("/api/auth/me"), &at);
    assert_eq!(me.status, 401);
    assert!(me
        .header("www-authenticate")
        .unwrap()
        .contains("invalid_token"));
}

#[test]
fn expired_code_is_refused() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve", "--code-ttl", "1s"]);
    let (code, verifier) = code(&m, "profile:read");
    std::thread::sleep(std::time::Duration::from_millis(1300));
    let r = exchange(&m, &code, &verifier);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_grant");
    assert!(r.text().contains("expired"));
}

#[test]
fn wrong_redirect_uri_at_the_token_endpoint() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve"]);
    let (code, verifier) = code(&m, "profile:read");
    let r = post_form(
        &m.url(TOKEN),
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "oauthctl-mock"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:8765/other"),
            ("code_verifier", &verifier),
        ],
        &[],
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_grant");
    assert!(r.text().contains("redirect_uri"));
}

#[test]
fn bad_scope_and_denial_redirect_with_errors() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve"]);
    let (_, c) = pkce();
    let r = authorize(&m, "profile:read admin:all", &c);
    assert_eq!(r.status, 302);
    let p = r.redirect_params();
    assert_eq!(p["error"], "invalid_scope");
    assert!(p["error_description"].contains("admin:all"));
    assert_eq!(p["state"], "st-123");

    let denied = MockProc::start(&env, "hub", &["--deny"]);
    let r = authorize(&denied, "profile:read", &c);
    assert_eq!(r.status, 302);
    assert_eq!(r.redirect_params()["error"], "access_denied");
}

#[test]
fn a_public_client_must_not_authenticate_with_a_secret() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve"]);
    let (code, verifier) = code(&m, "profile:read");
    let r = post_form(
        &m.url(TOKEN),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
        &[("Authorization", &basic("oauthctl-mock", "guess"))],
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_client");
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic"));
    // The code was not consumed by the failed attempt.
    assert_eq!(exchange(&m, &code, &verifier).status, 200);
}

#[test]
fn teams_needs_the_teams_scope_and_a_token() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--auto-approve"]);
    let (code, verifier) = code(&m, "profile:read");
    let at = exchange(&m, &code, &verifier).json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = get_bearer(&m.url("/api/user/teams"), &at);
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "insufficient_scope");
    let r = get(&m.url("/api/auth/me"));
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate"),
        Some("Bearer realm=\"oauthctl-mock\"")
    );
}
