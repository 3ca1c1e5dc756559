#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl discover`: the three document kinds, validation, caching and errors.

mod support;

use predicates::prelude::*;
use support::{Env, Reply, Server};

/// Teamwork Cloud's example discovery document, verbatim from its guide, with the
/// guide's `https://localhost:8443` replaced by the test server's address.
const TEAMWORK_EXAMPLE: &str = r#"{

  "response_types_supported": [

    "token",

    "code"

  ],

  "device_authorization_endpoint": "https://localhost:8443/authentication/api/oauth2/device_code",

  "jwks_uri": "https://localhost:8443/authentication/jwks.json",

  "grant_types_supported": [

    "urn:ietf:params:oauth:grant-type:device_code",

    "refresh_token",

    "password",

    "authorization_code"

  ],

  "registration_endpoint": "https://localhost:8443/authentication/api/oauth2/register",

  "token_endpoint_auth_methods_supported": [

    "client_secret_basic"

  ],

  "scopes_supported": [],

  "issuer": "https://localhost:8443/authentication",

  "authorization_endpoint": "https://localhost:8443/authentication/oauth2/authorize",

  "token_endpoint": "https://localhost:8443/authentication/api/oauth2/token"

}"#;

fn teamwork_server() -> Server {
    let s = Server::start();
    let doc = TEAMWORK_EXAMPLE.replace("https://localhost:8443", &s.base);
    s.route(
        "/authentication/.well-known/oauth2.0-configuration",
        Reply::json(200, &doc),
    );
    s
}

fn oidc_doc(issuer: &str) -> String {
    serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
    })
    .to_string()
}

#[test]
fn teamwork_preset_discovers_its_exact_guide_example() {
    let s = teamwork_server();
    let env = Env::new();
    env.write_config(&format!(
        "[providers.teamwork]\nissuer = \"{}/authentication\"\n",
        s.base
    ));
    let out = env
        .cmd()
        .args(["discover", "-p", "teamwork", "--json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("provider-specific metadata at"))
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["kind"], "provider");
    assert_eq!(
        v["source"],
        format!(
            "{}/authentication/.well-known/oauth2.0-configuration",
            s.base
        )
    );
    let m = &v["metadata"];
    assert_eq!(
        m["token_endpoint"],
        format!("{}/authentication/api/oauth2/token", s.base)
    );
    assert_eq!(
        m["token_endpoint_auth_methods_supported"][0],
        "client_secret_basic"
    );
    assert_eq!(m["grant_types_supported"].as_array().unwrap().len(), 4);
    // The preset asks Teamwork's own path first: one request, no guessing.
    assert_eq!(s.seen.lock().unwrap().len(), 1);
}

#[test]
fn issuer_argument_tries_oidc_then_rfc8414_then_teamwork_path() {
    let s = teamwork_server();
    let env = Env::new();
    env.cmd()
        .args(["discover", &format!("{}/authentication", s.base)])
        .assert()
        .success()
        .stdout(predicate::str::contains("device_authorization_endpoint"))
        .stdout(predicate::str::contains(
            "/authentication/api/oauth2/device_code",
        ));
    let paths: Vec<String> = s
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.url.clone())
        .collect();
    assert_eq!(
        paths,
        [
            "/authentication/.well-known/openid-configuration",
            "/.well-known/oauth-authorization-server/authentication",
            "/authentication/.well-known/oauth-authorization-server",
            "/authentication/.well-known/oauth2.0-configuration",
        ]
    );
}

#[test]
fn rfc8414_path_insertion_for_an_issuer_with_a_path() {
    let s = Server::start();
    let issuer = format!("{}/tenant/a", s.base);
    s.route(
        "/.well-known/oauth-authorization-server/tenant/a",
        Reply::json(200, &oidc_doc(&issuer)),
    );
    Env::new()
        .cmd()
        .args(["discover", &issuer, "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"kind\": \"rfc8414\""))
        .stderr(predicate::str::contains("RFC 8414"));
}

#[test]
fn openid_configuration_table_and_user_agent() {
    let s = Server::start();
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &oidc_doc(&s.base)),
    );
    Env::new()
        .cmd()
        .args(["discover", &s.base])
        .assert()
        .success()
        .stdout(predicate::str::contains("authorization_endpoint"))
        .stdout(predicate::str::contains(format!("{}/authorize", s.base)))
        .stderr(predicate::str::contains("OpenID Connect discovery"));
    let seen = s.seen.lock().unwrap();
    let ua = seen[0]
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
        .map(|(_, v)| v.clone())
        .unwrap();
    assert_eq!(ua, format!("oauthctl/{}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn html_instead_of_json_is_reported() {
    let s = Server::start();
    for p in [
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
        "/.well-known/oauth2.0-configuration",
    ] {
        s.route(
            p,
            Reply::html(200, "<!DOCTYPE html><html><body>app</body></html>"),
        );
    }
    Env::new()
        .cmd()
        .args(["discover", &s.base])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("an HTML page, not JSON"))
        .stderr(predicate::str::contains("text/html"));
}

#[test]
fn issuer_mismatch_is_refused() {
    let s = Server::start();
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &oidc_doc("https://evil.example")),
    );
    Env::new()
        .cmd()
        .args(["discover", &s.base])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "names issuer `https://evil.example`",
        ))
        .stderr(predicate::str::contains("RFC 8414 §3.3"));
}

#[test]
fn missing_required_fields_are_named() {
    let s = Server::start();
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(
            200,
            &format!(r#"{{"issuer":"{}","jwks_uri":"{}/jwks"}}"#, s.base, s.base),
        ),
    );
    Env::new()
        .cmd()
        .args(["discover", &s.base])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "missing the required field(s) authorization_endpoint, token_endpoint",
        ));
    let s2 = Server::start();
    s2.route(
        "/.well-known/openid-configuration",
        Reply::json(200, r#"{"token_endpoint":"http://x/t"}"#),
    );
    Env::new()
        .cmd()
        .args(["discover", &s2.base])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "missing the required field `issuer`",
        ));
}

#[test]
fn too_large_an_answer_is_refused() {
    let s = Server::start();
    let big = format!(
        r#"{{"issuer":"{}","pad":"{}"}}"#,
        s.base,
        "x".repeat(5 * 1024 * 1024)
    );
    s.route("/.well-known/openid-configuration", Reply::json(200, &big));
    Env::new()
        .cmd()
        .args(["discover", &s.base])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("larger than 4 MiB"));
}

#[test]
fn nothing_found_lists_every_url_tried() {
    let s = Server::start();
    s.route(
        "/.well-known/openid-configuration",
        Reply::html(302, "").header("Location", "https://login.example/"),
    );
    Env::new()
        .cmd()
        .args(["discover", &s.base])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("no discovery document found"))
        .stderr(predicate::str::contains(
            "HTTP 302 (redirect to https://login.example/: redirects are not followed)",
        ))
        .stderr(predicate::str::contains(
            "/.well-known/oauth2.0-configuration → HTTP 404",
        ));
    // Redirects are not followed.
    assert_eq!(s.hits("/"), 0);
}

#[test]
fn discovery_is_cached_for_later_commands_until_the_ttl() {
    let s = Server::start();
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &oidc_doc(&s.base)),
    );
    let env = Env::new();
    env.write_config(&format!(
        "default_provider = \"corp\"\ndiscovery_ttl = \"2s\"\n[providers.corp]\nissuer = \"{}\"\nclient_id = \"cli\"\n",
        s.base
    ));
    env.cmd().arg("discover").assert().success();
    for _ in 0..2 {
        let out = env
            .cmd()
            .args(["authorize-url", "--json"])
            .assert()
            .success();
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert!(v["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/authorize?", s.base)));
    }
    assert_eq!(
        s.hits("/.well-known/openid-configuration"),
        1,
        "later commands use the cache"
    );
    std::thread::sleep(std::time::Duration::from_millis(2200));
    env.cmd().args(["authorize-url"]).assert().success();
    assert_eq!(
        s.hits("/.well-known/openid-configuration"),
        2,
        "a stale cache is refreshed"
    );
}

#[test]
fn refused_unresolvable_and_tls_failures_are_told_apart() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let env = Env::new();
    env.cmd()
        .args(["discover", &format!("http://127.0.0.1:{port}")])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("connection refused"));
    env.cmd()
        .args([
            "discover",
            "http://no-such-host.invalid",
            "--timeout",
            "10s",
        ])
        .assert()
        .code(6)
        .stderr(predicate::str::contains(
            "cannot resolve host `no-such-host.invalid`",
        ));
    let tls = support::tls::start(oidc_doc);
    env.cmd()
        .args(["discover", &tls.base])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("TLS failure"))
        .stderr(predicate::str::contains("--cacert"));
    let ca = env.path().join("ca.pem");
    std::fs::write(&ca, &tls.ca_pem).unwrap();
    env.cmd()
        .args(["discover", &tls.base, "--cacert", ca.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("{}/token", tls.base)));
    env.cmd()
        .args(["discover", &tls.base, "--insecure"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "TLS certificates are NOT verified",
        ));
    std::fs::write(&ca, "not a certificate").unwrap();
    env.cmd()
        .args(["discover", &tls.base, "--cacert", ca.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("holds no PEM certificate"));
}

#[test]
fn slow_server_times_out_with_its_own_code() {
    let s = Server::start();
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &oidc_doc("x")).delay(3000),
    );
    Env::new()
        .cmd()
        .args(["discover", &s.base, "--timeout", "500ms"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("no answer from"))
        .stderr(predicate::str::contains("--timeout"));
}

#[test]
fn provider_without_issuer_says_how_to_set_it() {
    Env::new()
        .cmd()
        .args(["discover", "-p", "teamwork"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("https://HOST:8443/authentication"));
}
