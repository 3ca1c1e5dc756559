#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Fault injection, malformed requests, command-line errors and the in-process API.

mod support;

use std::time::{Duration, Instant};

use support::mock::{
    basic, get, get_bearer, parse_response, post_form, request, send_raw, MockProc,
};
use support::Env;

fn cc(m: &MockProc) -> support::mock::Resp {
    post_form(
        &m.url("/token"),
        &[("grant_type", "client_credentials")],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    )
}

#[test]
fn fail_token_with_each_error() {
    let env = Env::new();
    for (err, status) in [
        ("invalid_grant", 400),
        ("invalid_client", 401),
        ("server_error", 500),
        ("temporarily_unavailable", 503),
        ("slow_down", 400),
        ("invalid_request", 400),
    ] {
        let m = MockProc::start(&env, "oidc", &["--fail-token-with", err]);
        let r = cc(&m);
        assert_eq!(r.status, status, "{err}");
        assert_eq!(r.json()["error"], err);
        assert!(r.text().contains("injected"), "{err}");
        if err == "invalid_client" {
            assert!(r.header("www-authenticate").is_some());
        }
        if err == "temporarily_unavailable" {
            assert_eq!(r.header("retry-after"), Some("1"));
        }
    }
    // In the provider's own format.
    let m = MockProc::start(&env, "onboardbase", &["--fail-token-with", "server_error"]);
    let r = request(
        "POST",
        &m.url("/oauth/token?grant_type=authorization_code"),
        &[],
        b"",
    );
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["errors"][0]["code"], 1500);
}

#[test]
fn fail_token_with_an_html_502_page() {
    let env = Env::new();
    let m = MockProc::start(&env, "hub", &["--fail-token-with", "html-502"]);
    let r = post_form(
        &m.url("/api/oauth/token"),
        &[("grant_type", "refresh_token")],
        &[],
    );
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("502 Bad Gateway"));
}

#[test]
fn fail_only_the_first_n_token_requests() {
    let env = Env::new();
    let log = env.path().join("log.jsonl");
    let m = MockProc::start(
        &env,
        "oidc",
        &[
            "--fail-token-with",
            "temporarily_unavailable",
            "--fail-token-count",
            "2",
            "--log",
            log.to_str().unwrap(),
        ],
    );
    assert_eq!(cc(&m).status, 503);
    assert_eq!(cc(&m).status, 503);
    assert_eq!(cc(&m).status, 200);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<u64> = lines
        .iter()
        .map(|l| l["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert!(lines
        .iter()
        .all(|l| l["grant_type"] == "client_credentials" && l["client_auth"] == "basic"));
    assert_eq!(lines[0]["error"], "temporarily_unavailable");
}

#[test]
fn latency_delays_answers() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &["--latency", "300ms"]);
    let t = Instant::now();
    assert_eq!(get(&m.url("/jwks.json")).status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[test]
fn access_ttl_expires_tokens() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &["--access-ttl", "1s"]);
    let t = cc(&m).json();
    assert_eq!(t["expires_in"], 1);
    let at = t["access_token"].as_str().unwrap();
    let intro = |tok: &str| {
        post_form(
            &m.url("/introspect"),
            &[("token", tok)],
            &[(
                "Authorization",
                &basic("oauthctl-mock", "mock-client-secret"),
            )],
        )
        .json()
    };
    assert_eq!(intro(at)["active"], true);
    std::thread::sleep(Duration::from_millis(1300));
    assert_eq!(intro(at)["active"], false);
}

#[test]
fn rotate_and_require_pkce_flags_change_a_lenient_provider() {
    let env = Env::new();
    let m = MockProc::start(
        &env,
        "chatwork",
        &[
            "--auto-approve",
            "--require-pkce",
            "--rotate-refresh-tokens",
        ],
    );
    let redirect = "http://127.0.0.1:8765/callback";
    let r = m.authorize(
        "/oauth2/authorize",
        &[
            ("client_id", "oauthctl-mock"),
            ("response_type", "code"),
            ("redirect_uri", redirect),
        ],
    );
    assert_eq!(r.redirect_params()["error"], "invalid_request");
    let (v, c) = support::mock::pkce();
    let r = m.authorize(
        "/oauth2/authorize",
        &[
            ("client_id", "oauthctl-mock"),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("code_challenge", &c),
            ("code_challenge_method", "S256"),
        ],
    );
    let code = r.redirect_params()["code"].clone();
    let auth = basic("oauthctl-mock", "mock-client-secret");
    let t = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", &v),
        ],
        &[("Authorization", &auth)],
    )
    .json();
    let rt = t["refresh_token"].as_str().unwrap();
    let r1 = post_form(
        &m.url("/token"),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        &[("Authorization", &auth)],
    );
    assert!(r1.json()["refresh_token"].is_string());
    let r2 = post_form(
        &m.url("/token"),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        &[("Authorization", &auth)],
    );
    assert_eq!(r2.json()["error"], "invalid_grant");
}

#[test]
fn malformed_requests_get_provider_errors_and_the_mock_keeps_serving() {
    let env = Env::new();
    let mut m = MockProc::start(&env, "oidc", &["--auto-approve"]);
    // Garbage that is not HTTP.
    let raw = send_raw(&m.host, b"\x00\x01\x02 this is not http\r\n\r\n");
    assert!(raw.is_empty() || String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 400"));
    // A repeated parameter (RFC 6749 §3.1).
    let r = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "client_credentials"),
            ("grant_type", "password"),
        ],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(r.status, 400);
    assert!(r.text().contains("repeated"));
    // JSON where a form is expected.
    let r = request(
        "POST",
        &m.url("/token"),
        &[("Content-Type", "application/json")],
        br#"{"grant_type":"client_credentials"}"#,
    );
    assert_eq!(r.json()["error"], "invalid_request");
    // Broken Basic credentials, bad UTF-8, broken percent-encoding.
    let r = post_form(
        &m.url("/token"),
        &[("grant_type", "client_credentials")],
        &[("Authorization", "Basic !!!not-base64")],
    );
    assert_eq!(r.status, 401);
    let r = request(
        "POST",
        &m.url("/token"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"grant_type=%ZZ&\xff\xfe=%",
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].is_string());
    // A body over the limit.
    let big = vec![b'a'; 1024 * 1024 + 10];
    let r = request(
        "POST",
        &m.url("/token"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &big,
    );
    assert_eq!(r.status, 413);
    // A wrong method, an unknown path, a missing grant_type, unknown grant.
    let r = get(&m.url("/token"));
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
    let r = get(&m.url("/nope"));
    assert_eq!(r.status, 404);
    assert!(r.text().contains("/token"));
    let r = post_form(&m.url("/token"), &[], &[]);
    assert_eq!(r.json()["error"], "invalid_request");
    let r = post_form(&m.url("/token"), &[("grant_type", "magic")], &[]);
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    // A truncated request (Content-Length larger than the body, then EOF).
    let raw = send_raw(
        &m.host,
        b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ngrant_type=",
    );
    if !raw.is_empty() {
        assert!(parse_response(&raw).status >= 400);
    }
    // Authorize with garbage: a page, not a panic.
    let r = get(&m.url("/authorize?client_id=%FF%FE&redirect_uri=::::"));
    assert_eq!(r.status, 400);
    // Still serving, still answering correctly.
    assert!(m.alive());
    assert_eq!(cc(&m).status, 200);
    assert!(!m.stderr().contains("panicked"), "{}", m.stderr());
}

#[test]
fn command_line_errors_have_exit_codes() {
    let env = Env::new();
    env.cmd()
        .arg("mock")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("give the provider to emulate"));
    env.cmd()
        .args(["mock", "-p", "nope"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("oidc"));
    env.cmd()
        .args(["mock", "-p", "hub", "--client-secret", "x"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("public"));
    env.cmd()
        .args(["mock", "-p", "hub", "--fail-token-with", "teapot"])
        .assert()
        .code(2);
    env.cmd()
        .args(["mock", "-p", "hub", "--log", "/nonexistent/dir/log"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("cannot open the log file"));
    // A port that is taken.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    env.cmd()
        .args(["mock", "-p", "hub", "--port", &port])
        .assert()
        .code(6)
        .stderr(predicates::str::contains("cannot listen"));
}

#[test]
fn json_start_line_and_written_config_for_every_provider() {
    let env = Env::new();
    for p in [
        "hub",
        "chatwork",
        "teamwork",
        "worksection",
        "onboardbase",
        "oidc",
    ] {
        let cfg = env.path().join(format!("{p}.toml"));
        let m = MockProc::start(
            &env,
            p,
            &["--json", "--quiet", "--write-config", cfg.to_str().unwrap()],
        );
        let line = m.stdout();
        let j: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
        assert_eq!(j["provider"], p);
        assert_eq!(j["base_url"], m.base.as_str());
        let text = std::fs::read_to_string(&cfg).unwrap();
        assert_eq!(j["config"], text.as_str());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&cfg).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{p}: the config holds a secret");
        }
        // The config is a valid oauthctl config that names the provider.
        env.cmd()
            .args(["--config", cfg.to_str().unwrap(), "providers", "--json"])
            .assert()
            .code(0)
            .stdout(predicates::str::contains(format!("\"{p}\"")));
    }
}

#[test]
fn in_process_api_serves_changes_faults_and_shuts_down() {
    use oauthctl::mock::{self, MockOptions, TokenFault};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    let h = mock::start_in_thread(MockOptions {
        provider: "oidc".into(),
        auto_approve: true,
        on_request: Some(std::sync::Arc::new(move |r: &mock::RequestRecord| {
            seen2.lock().unwrap().push((r.path.clone(), r.status));
        })),
        ..MockOptions::default()
    })
    .unwrap();
    assert!(h.base_url().starts_with("http://127.0.0.1:"));
    assert!(h
        .config_toml()
        .contains(&format!("issuer = \"{}\"", h.base_url())));
    assert_eq!(h.client().client_id, "oauthctl-mock");
    let tok = |h: &mock::MockHandle| {
        post_form(
            &h.url("/token"),
            &[("grant_type", "client_credentials")],
            &[(
                "Authorization",
                &basic("oauthctl-mock", "mock-client-secret"),
            )],
        )
    };
    let t = tok(&h);
    assert_eq!(t.status, 200);
    let at = t.json()["access_token"].as_str().unwrap().to_string();
    h.set_faults(
        false,
        Some(TokenFault::InvalidGrant),
        Some(1),
        Duration::ZERO,
    );
    assert_eq!(tok(&h).status, 400);
    assert_eq!(tok(&h).status, 200);
    // Advancing the clock expires the token without sleeping.
    h.advance_clock(Duration::from_secs(7200));
    let intro = post_form(
        &h.url("/introspect"),
        &[("token", &at)],
        &[(
            "Authorization",
            &basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(intro.json()["active"], false);
    assert_eq!(
        seen.lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == "/token")
            .count(),
        3
    );
    let addr = h.addr();
    drop(h);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening"
    );

    // On the caller's runtime.
    rt.block_on(async {
        let h = mock::start(MockOptions {
            provider: "hub".into(),
            ..MockOptions::default()
        })
        .await
        .unwrap();
        let url = h.url("/api/auth/me");
        let r = tokio::task::spawn_blocking(move || get_bearer(&url, "x"))
            .await
            .unwrap();
        assert_eq!(r.status, 401);
        h.shutdown().await;
    });
}
