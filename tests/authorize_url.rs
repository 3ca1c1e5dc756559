#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl authorize-url`: each preset's parameter names, separators and PKCE.

mod support;

use base64::Engine;
use predicates::prelude::*;
use sha2::Digest;
use support::{query_pairs, Env, Reply, Server};

fn url_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env
        .cmd()
        .arg("authorize-url")
        .args(args)
        .arg("--json")
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn param<'a>(pairs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(pk, _)| pk == k)
        .map(|(_, v)| v.as_str())
}

fn names(pairs: &[(String, String)]) -> Vec<&str> {
    pairs.iter().map(|(k, _)| k.as_str()).collect()
}

/// Checks the verifier (43–128 chars, unreserved), its S256 challenge, and the state.
fn assert_pkce_and_state(v: &serde_json::Value, pairs: &[(String, String)]) {
    let verifier = v["code_verifier"].as_str().unwrap();
    assert!(
        (43..=128).contains(&verifier.len()),
        "verifier length {}",
        verifier.len()
    );
    assert!(verifier
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)));
    let expect = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    assert_eq!(param(pairs, "code_challenge"), Some(expect.as_str()));
    assert_eq!(param(pairs, "code_challenge_method"), Some("S256"));
    let state = param(pairs, "state").unwrap();
    // At least 128 bits: 22 base64url characters.
    assert!(state.len() >= 22, "state {state}");
    assert_eq!(v["state"], state);
}

#[test]
fn hub_sends_space_separated_scope_and_required_pkce() {
    let env = Env::new();
    env.write_config("[providers.hub]\nclient_id = \"hub-client\"\nredirect_uri = \"http://127.0.0.1:8765/oauth/callback\"\n");
    let v = url_json(&env, &["-p", "hub"]);
    let url = v["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://hub.regardingwork.com/api/oauth/authorize?"),
        "{url}"
    );
    let q = query_pairs(url);
    assert_eq!(
        names(&q),
        [
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state",
            "code_challenge",
            "code_challenge_method"
        ]
    );
    assert_eq!(param(&q, "response_type"), Some("code"));
    assert_eq!(param(&q, "client_id"), Some("hub-client"));
    assert_eq!(
        param(&q, "redirect_uri"),
        Some("http://127.0.0.1:8765/oauth/callback")
    );
    assert_eq!(param(&q, "scope"), Some("profile:read teams:read"));
    // Spaces are percent-encoded as %20 in the URL itself.
    assert!(url.contains("scope=profile:read%20teams:read"), "{url}");
    assert_pkce_and_state(&v, &q);
}

#[test]
fn chatwork_uses_its_own_host_and_pkce() {
    let env = Env::new();
    env.write_config("[providers.chatwork]\nclient_id = \"cw\"\nclient_secret = \"cw-secret\"\n");
    let v = url_json(&env, &["-p", "chatwork", "--port", "9123"]);
    let url = v["url"].as_str().unwrap();
    assert!(url.starts_with("https://www.chatwork.com/oauth2/authorize?"));
    let q = query_pairs(url);
    assert_eq!(param(&q, "scope"), Some("users.profile.me:read"));
    assert_eq!(
        param(&q, "redirect_uri"),
        Some("http://127.0.0.1:9123/callback")
    );
    assert_pkce_and_state(&v, &q);
    assert!(
        !url.contains("cw-secret"),
        "the client secret never goes in the URL"
    );
}

#[test]
fn teamwork_gets_its_endpoint_from_discovery() {
    let s = Server::start();
    let doc = serde_json::json!({
        "issuer": format!("{}/authentication", s.base),
        "authorization_endpoint": format!("{}/authentication/oauth2/authorize", s.base),
        "token_endpoint": format!("{}/authentication/api/oauth2/token", s.base),
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "scopes_supported": [],
    });
    s.route(
        "/authentication/.well-known/oauth2.0-configuration",
        Reply::json(200, &doc.to_string()),
    );
    let env = Env::new();
    env.write_config(&format!(
        "[providers.teamwork]\nissuer = \"{}/authentication\"\nclient_id = \"tw\"\nclient_secret = \"tw-secret\"\n",
        s.base
    ));
    let v = url_json(&env, &["-p", "teamwork"]);
    let url = v["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/authentication/oauth2/authorize?", s.base)),
        "{url}"
    );
    let q = query_pairs(url);
    assert_eq!(
        names(&q),
        [
            "response_type",
            "client_id",
            "redirect_uri",
            "state",
            "code_challenge",
            "code_challenge_method"
        ],
        "no scope parameter: Teamwork advertises no scopes"
    );
    assert_pkce_and_state(&v, &q);
    // --scope adds one, with the standard name.
    let v = url_json(&env, &["-p", "teamwork", "--scope", "read write"]);
    let q = query_pairs(v["url"].as_str().unwrap());
    assert_eq!(param(&q, "scope"), Some("read write"));
}

#[test]
fn worksection_uses_commas_no_pkce_and_https_redirect() {
    let env = Env::new();
    env.write_config("[providers.worksection]\nclient_id = \"ws\"\nclient_secret = \"ws-secret\"\nredirect_uri = \"https://example.org/oauth/callback\"\n");
    let v = url_json(&env, &["-p", "worksection"]);
    let url = v["url"].as_str().unwrap();
    assert!(url.starts_with("https://worksection.com/oauth2/authorize?"));
    let q = query_pairs(url);
    assert_eq!(
        names(&q),
        [
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state"
        ]
    );
    assert_eq!(
        param(&q, "scope"),
        Some("projects_read,tasks_read,users_read")
    );
    assert_eq!(
        param(&q, "redirect_uri"),
        Some("https://example.org/oauth/callback")
    );
    assert!(v["code_verifier"].is_null());
}

#[test]
fn worksection_without_https_redirect_uri_says_what_to_do() {
    let env = Env::new();
    env.write_config("[providers.worksection]\nclient_id = \"ws\"\nclient_secret = \"s\"\n");
    env.cmd()
        .args(["authorize-url", "-p", "worksection"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("accepts only https redirect URIs"))
        .stderr(predicate::str::contains("redirect_uri"));
    env.cmd()
        .args([
            "authorize-url",
            "-p",
            "worksection",
            "--redirect-uri",
            "http://127.0.0.1:1/cb",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("will be refused"));
}

#[test]
fn onboardbase_uses_scopes_with_commas_and_no_pkce() {
    let env = Env::new();
    env.write_config("[providers.onboardbase]\nclient_id = \"ob\"\nclient_secret = \"ob-secret\"\nredirect_uri = \"https://google.com/callback\"\n");
    let v = url_json(&env, &["-p", "onboardbase"]);
    let url = v["url"].as_str().unwrap();
    assert!(url.starts_with("https://app.onboardbase.com/oauth/authorize?"));
    let q = query_pairs(url);
    assert_eq!(
        names(&q),
        [
            "response_type",
            "client_id",
            "redirect_uri",
            "scopes",
            "state"
        ]
    );
    assert_eq!(param(&q, "scopes"), Some("read.secrets,read.projects"));
    assert_eq!(param(&q, "scope"), None);
    assert!(v["code_verifier"].is_null());
    let v = url_json(
        &env,
        &[
            "-p",
            "onboardbase",
            "--scope",
            "read.teams",
            "--scope",
            "manage.secrets",
        ],
    );
    let q = query_pairs(v["url"].as_str().unwrap());
    assert_eq!(param(&q, "scopes"), Some("read.teams,manage.secrets"));
}

#[test]
fn params_override_and_add_and_plain_output_splits_streams() {
    let env = Env::new();
    env.write_config("[providers.hub]\nclient_id = \"hub-client\"\n");
    let v = url_json(
        &env,
        &[
            "-p",
            "hub",
            "--param",
            "prompt=consent",
            "--param",
            "client_id=other",
            "--redirect-uri",
            "http://localhost:7777/cb",
        ],
    );
    let q = query_pairs(v["url"].as_str().unwrap());
    assert_eq!(param(&q, "client_id"), Some("other"));
    assert_eq!(param(&q, "prompt"), Some("consent"));
    assert_eq!(param(&q, "redirect_uri"), Some("http://localhost:7777/cb"));
    assert_eq!(q.iter().filter(|(k, _)| k == "client_id").count(), 1);

    let out = env
        .cmd()
        .args(["authorize-url", "-p", "hub"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stdout.lines().count(),
        1,
        "only the URL on stdout: {stdout}"
    );
    assert!(stdout.starts_with("https://hub.regardingwork.com/api/oauth/authorize?"));
    assert!(
        stderr.contains("code_verifier: ") && stderr.contains("state: "),
        "{stderr}"
    );
    // A free loopback port was chosen for the redirect URI.
    let q = query_pairs(stdout.trim());
    assert!(param(&q, "redirect_uri")
        .unwrap()
        .starts_with("http://127.0.0.1:"));

    env.cmd()
        .args(["authorize-url", "-p", "hub", "--param", "novalue"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected KEY=VALUE"));
}

#[test]
fn every_run_has_fresh_state_and_verifier() {
    let env = Env::new();
    env.write_config("[providers.hub]\nclient_id = \"c\"\n");
    let a = url_json(&env, &["-p", "hub"]);
    let b = url_json(&env, &["-p", "hub"]);
    assert_ne!(a["state"], b["state"]);
    assert_ne!(a["code_verifier"], b["code_verifier"]);
}
