//! Issue 15, parts 1–4, one test per item: no panic on dates, durations and numbers
//! from outside; `decode --verify` never trusts the token for its keys; one redactor
//! on every path, with a marker keyed per process; untrusted text made inert.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use predicates::prelude::*;
use serde_json::{json, Value};

use crate::decode::{claims, Keys};
use crate::support::hostile::{Case, HostileServer, CODE};
use crate::support::session::tokens;
use crate::support::{free_port, Env, Reply, Server};
use oauthctl::store::{Grant, Preference, Session, SessionKey, Store};

fn b64(v: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(v)
}

/// An unsigned-looking JWT (any signature) with `header` and `claims`.
fn jwt(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn assert_no_panic(out: &std::process::Output) {
    assert_ne!(out.status.code(), Some(101), "panic: {}", text(&out.stderr));
}

// --- part 1: never panic ---------------------------------------------------------

#[test]
fn a_jwt_dated_after_year_9999_decodes_with_the_raw_number_and_a_note() {
    let env = Env::new();
    let t = jwt(
        &json!({"alg": "RS256"}),
        &json!({"sub": "x", "exp": 1_000_000_000_000_i64, "iat": 1_000_000_000_000_i64, "nbf": 1_000_000_000_000_i64}),
    );
    let out = env.cmd().args(["decode", &t]).output().unwrap();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1000000000000 (after year 9999)"),
        "{}",
        text(&out.stdout)
    );
    let out = env.cmd().args(["decode", &t, "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_session_expiring_after_year_9999_is_inspected_and_listed() {
    let env = Env::new();
    env.write_config(
        "[providers.far]\ntoken_endpoint = \"http://127.0.0.1:1/t\"\nclient_id = \"c\"\n",
    );
    let mut t = tokens("far-access-token", Some("far-refresh"), 0);
    t.expires_at = Some(1_000_000_000_000);
    t.id_token = Some(oauthctl::secret::Secret::new(jwt(
        &json!({"alg": "RS256"}),
        &json!({"sub": "x", "exp": 1_000_000_000_000_i64, "iat": 1e300}),
    )));
    let s = Session {
        provider: "far".into(),
        profile: "default".into(),
        client_id: Some("c".into()),
        issuer: None,
        subject: None,
        tokens: t,
        obtained_at: 1_700_000_000,
        grant: Grant::AuthorizationCode,
        client_assertion_key: None,
        client_cert: None,
        dpop_key: None,
    };
    Store::new(Preference::File, env.path().join("data/oauthctl"))
        .save(&s)
        .unwrap();
    for args in [
        vec!["--store", "file", "inspect", "-p", "far"],
        vec!["--store", "file", "inspect", "-p", "far", "--json"],
        vec!["--store", "file", "status"],
        vec!["--store", "file", "status", "--json"],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        assert_no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = env
        .cmd()
        .args(["--store", "file", "inspect", "-p", "far"])
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).contains("after year 9999"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn durations_too_long_for_a_clock_are_a_usage_error_in_flags_and_config() {
    let env = Env::new();
    for args in [
        vec!["--timeout", "99999999999999999999s", "providers"],
        vec!["--timeout", "99999999999999999999", "providers"],
        vec!["token", "-p", "x", "--min-ttl", "1e300s"],
        vec![
            "login",
            "-p",
            "x",
            "--login-timeout",
            "99999999999999999999d",
        ],
        vec!["decode", "x.y.z", "--leeway", "9999999999999999999h"],
        vec!["--timeout", "101y", "providers"],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        assert_no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = env
        .cmd()
        .args(["--timeout", "99999999999999999999s", "providers"])
        .output()
        .unwrap();
    assert!(
        text(&out.stderr).contains("too long"),
        "{}",
        text(&out.stderr)
    );
    env.write_config(
        "timeout = \"99999999999999999999s\"\n[providers.p]\nissuer = \"http://127.0.0.1:1\"\n",
    );
    let out = env.cmd().args(["discover", "-p", "p"]).output().unwrap();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("timeout") && text(&out.stderr).contains("too long"),
        "{}",
        text(&out.stderr)
    );
}

/// A hostile server and a config pointing at it.
fn hostile_env(server: &HostileServer) -> (Env, std::path::PathBuf) {
    let env = Env::new();
    let b = &server.base;
    let config = env.path().join("h.toml");
    std::fs::write(
        &config,
        format!(
            "[providers.h]\nauthorization_endpoint = \"{b}/authorize\"\ntoken_endpoint = \"{b}/token\"\ndevice_authorization_endpoint = \"{b}/device\"\nclient_id = \"c\"\nclient_secret = \"h-client-secret-1234\"\nredirect_uri = \"http://127.0.0.1:{}/callback\"\n",
            free_port()
        ),
    )
    .unwrap();
    (env, config)
}

fn case(endpoint: &str, status: u16, body: &str) -> Case {
    Case::parse(
        "inline",
        &format!("endpoint: {endpoint}\nstatus: {status}\nheader: Content-Type: application/json\n\n{body}"),
    )
}

#[test]
fn device_answers_with_absurd_lifetimes_and_intervals_do_not_panic() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    for body in [
        r#"{"device_code":"dc-1e300","user_code":"AB","verification_uri":"http://127.0.0.1:1/v","expires_in":1e300,"interval":0}"#,
        r#"{"device_code":"dc-1e19","user_code":"AB","verification_uri":"http://127.0.0.1:1/v","expires_in":10000000000000000000,"interval":0}"#,
        r#"{"device_code":"dc-inf","user_code":"AB","verification_uri":"http://127.0.0.1:1/v","expires_in":60,"interval":"inf"}"#,
    ] {
        server.serve(Some(&case("device", 200, body)));
        let out = env
            .cmd()
            .arg("--config")
            .arg(&config)
            .args([
                "--store",
                "file",
                "login",
                "-p",
                "h",
                "--device",
                "--browser",
                "true",
            ])
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{body}: {}", text(&out.stderr));
    }
}

// --- part 2: --verify never trusts the token --------------------------------------

/// A signer's own server: discovery and JWKS, and a token naming it as `iss`.
fn self_signed() -> (Server, String) {
    let keys = Keys::new();
    let s = Server::start();
    s.route("/jwks", Reply::json(200, &keys.jwks().to_string()));
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &json!({"issuer": s.base, "authorization_endpoint": s.url("/a"), "token_endpoint": s.url("/t"), "jwks_uri": s.url("/jwks")}).to_string()),
    );
    let mut c = claims();
    c["iss"] = json!(s.base);
    let token = keys.sign("RS256", Some("rsa1"), &c);
    (s, token)
}

#[test]
fn verify_without_a_trusted_key_source_refuses_and_fetches_nothing() {
    let (s, token) = self_signed();
    let env = Env::new();
    for extra in [vec![], vec!["-q"], vec!["--json"]] {
        let out = env
            .cmd()
            .args(["decode", &token, "--verify"])
            .args(&extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
        let err = text(&out.stderr);
        assert!(
            err.contains("--verify needs keys from a source you trust")
                && err.contains("--jwks")
                && err.contains("--trust-token-issuer"),
            "{err}"
        );
        assert!(!text(&out.stdout).contains("\"valid\": true"));
    }
    assert_eq!(s.hits("/.well-known/openid-configuration"), 0);
    assert_eq!(s.hits("/jwks"), 0);
}

#[test]
fn trust_token_issuer_verifies_and_says_the_issuer_is_not_pinned() {
    let (_s, token) = self_signed();
    let env = Env::new();
    let out = env
        .cmd()
        .args(["decode", &token, "--verify", "--trust-token-issuer", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("issuer not pinned"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("issuer not pinned"),
        "{}",
        text(&out.stderr)
    );
    let out = env
        .cmd()
        .args([
            "decode",
            &token,
            "--verify",
            "--trust-token-issuer",
            "--json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["verification"]["issuer_not_pinned"]
            .as_str()
            .is_some_and(|s| s.contains("issuer not pinned")),
        "{v}"
    );
}

#[test]
fn iss_names_the_trusted_issuer_and_its_keys_verify() {
    let (s, token) = self_signed();
    let env = Env::new();
    let out = env
        .cmd()
        .args(["decode", &token, "--verify", "--iss", &s.base, "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verification"]["valid"], true, "{v}");
    assert!(v["verification"].get("issuer_not_pinned").is_none(), "{v}");
}

#[test]
fn time_claims_that_are_not_numbers_fail_verification() {
    let keys = Keys::new();
    let env = Env::new();
    let jwks = env.path().join("jwks.json");
    std::fs::write(&jwks, keys.jwks().to_string()).unwrap();
    for (claim, value) in [
        ("exp", json!("1")),
        ("nbf", json!("soon")),
        ("iat", json!([1])),
    ] {
        let mut c = claims();
        c[claim] = value;
        let token = keys.sign("RS256", Some("rsa1"), &c);
        let out = env
            .cmd()
            .args(["decode", &token, "--verify", "--jwks"])
            .arg(&jwks)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{claim}: {}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains(&format!("`{claim}` is")),
            "{claim}: {}",
            text(&out.stderr)
        );
    }
}

// --- part 3: redaction in one place, keyed marker -------------------------------

/// The `[redacted:…]` markers of `text`.
fn markers(text: &str) -> Vec<String> {
    text.match_indices("[redacted:")
        .map(|(i, _)| text[i..].split(']').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_marker_is_keyed_per_process_equal_within_one_har_and_not_a_plain_hash() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    let secret = "hunter2";
    server.serve(Some(&case(
        "token",
        200,
        &format!(
            r#"{{"access_token":"{secret}","refresh_token":"{secret}","token_type":"Bearer"}}"#
        ),
    )));
    let mut seen = Vec::new();
    for n in 0..2 {
        let har = env.path().join(format!("{n}.har"));
        let out = env
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(["--store", "file", "--har"])
            .arg(&har)
            .args(["exchange", "-p", "h", "--code", CODE, "--code-verifier"])
            .arg("v".repeat(50))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let h = std::fs::read_to_string(&har).unwrap();
        assert!(!h.contains(secret), "{h}");
        let v: Value = serde_json::from_str(&h).unwrap();
        let body = v["log"]["entries"][0]["response"]["content"]["text"]
            .as_str()
            .unwrap()
            .to_string();
        let m = markers(&body);
        assert_eq!(m.len(), 2, "{body}");
        assert_eq!(m[0], m[1], "one value, one marker within a HAR: {body}");
        seen.push(m[0].clone());
    }
    assert_ne!(
        seen[0], seen[1],
        "the same value's marker must differ between runs"
    );
    // Not the old unsalted SHA-256 prefix of the value.
    use sha2::Digest;
    let plain: String = sha2::Sha256::digest(secret.as_bytes())
        .iter()
        .take(3)
        .map(|b| format!("{b:02x}"))
        .collect();
    for m in &seen {
        assert!(!m.contains(&plain), "{m}");
    }
}

#[test]
fn error_lines_mask_what_the_server_repeats_and_what_it_answers_in_odd_shapes() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    let bodies = [
        // A refusal quoting the client secret and the code it was sent.
        (
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"code corpus-code-SECRET-7d1f and h-client-secret-1234 are wrong"}"#,
            vec![CODE, "h-client-secret-1234"],
        ),
        // A 500 with a token body; text/plain with a form; a JSON array.
        (
            500,
            "application/json",
            r#"{"access_token":"odd-at-500-xyz","refresh_token":"odd-rt-500-xyz"}"#,
            vec!["odd-at-500-xyz", "odd-rt-500-xyz"],
        ),
        (
            200,
            "text/plain",
            "access_token=odd-at-plain-xyz&refresh_token=odd-rt-plain-xyz",
            vec!["odd-at-plain-xyz", "odd-rt-plain-xyz"],
        ),
        (
            200,
            "application/json",
            r#"[{"access_token":"odd-at-array-xyz"}]"#,
            vec!["odd-at-array-xyz"],
        ),
        (
            200,
            "application/json",
            r#"{"access_token":{"nested":"odd-at-obj-xyz"}}"#,
            vec!["odd-at-obj-xyz"],
        ),
    ];
    for (status, ct, body, secrets) in bodies {
        server.serve(Some(&Case::parse(
            "inline",
            &format!("status: {status}\nheader: Content-Type: {ct}\n\n{body}"),
        )));
        let har = env.path().join("x.har");
        let out = env
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(["--store", "file", "--trace", "--har"])
            .arg(&har)
            .args(["exchange", "-p", "h", "--code", CODE, "--code-verifier"])
            .arg("v".repeat(50))
            .output()
            .unwrap();
        assert_no_panic(&out);
        let all = format!(
            "{}{}{}",
            text(&out.stdout),
            text(&out.stderr),
            std::fs::read_to_string(&har).unwrap_or_default()
        );
        for s in secrets {
            assert!(!all.contains(s), "{s} shown for {body}:\n{all}");
        }
    }
}

#[test]
fn numeric_tokens_are_masked_in_the_trace_and_the_har() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    server.serve(Some(&case(
        "token",
        200,
        r#"{"access_token":12345678901,"refresh_token":98765432109,"token_type":"Bearer"}"#,
    )));
    let har = env.path().join("n.har");
    let out = env
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["--store", "file", "--trace", "--har"])
        .arg(&har)
        .args(["exchange", "-p", "h", "--code", CODE, "--code-verifier"])
        .arg("v".repeat(50))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let h = std::fs::read_to_string(&har).unwrap();
    for s in ["12345678901", "98765432109"] {
        assert!(!text(&out.stderr).contains(s), "{}", text(&out.stderr));
        assert!(!h.contains(s), "{h}");
    }
}

// --- part 4: untrusted text is inert ----------------------------------------------

fn exchange(env: &Env, config: &std::path::Path, extra: &[&str]) -> std::process::Output {
    env.cmd()
        .arg("--config")
        .arg(config)
        .args(["--store", "file"])
        .args(extra)
        .args(["exchange", "-p", "h", "--code", CODE, "--code-verifier"])
        .arg("v".repeat(50))
        .output()
        .unwrap()
}

#[test]
fn control_characters_from_the_server_are_escaped_on_the_terminal() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    for (status, ct, body) in [
        (400, "application/json", r#"{"error":"invalid_grant","error_description":"\u001b[31mred\u001b[0m \u009b2J\nfake: line"}"#.to_string()),
        (502, "text/html", "<html><title>\u{1b}]0;owned\u{7} Gateway</title></html>".to_string()),
        (200, "application/json", r#"{"access_token":"inert-at-1","token_type":"Bearer","scope":"read \u001b[31mwrite"}"#.to_string()),
    ] {
        server.serve(Some(&Case::parse(
            "inline",
            &format!("status: {status}\nheader: Content-Type: {ct}\n\n{body}"),
        )));
        for extra in [vec![], vec!["--trace"], vec!["--json"]] {
            let out = exchange(&env, &config, &extra);
            assert_no_panic(&out);
            for t in [text(&out.stdout), text(&out.stderr)] {
                assert!(!t.contains('\u{1b}') && !t.contains('\u{9b}'), "{body} {extra:?}: {t:?}");
                assert!(!t.contains("\nfake: line"), "{t}");
            }
        }
    }
    let out = exchange(&env, &config, &[]);
    assert!(
        text(&out.stdout).contains("\\x1b[31mwrite")
            || text(&out.stderr).contains("\\x1b[31mwrite")
    );
}

#[test]
fn a_long_error_description_is_cut_with_its_length_noted() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    let long = "A".repeat(3 * 1024 * 1024);
    server.serve(Some(&case(
        "token",
        400,
        &format!(r#"{{"error":"invalid_grant","error_description":"{long}"}}"#),
    )));
    let out = exchange(&env, &config, &[]);
    assert_eq!(out.status.code(), Some(5), "{}", &text(&out.stderr)[..200]);
    let err = text(&out.stderr);
    assert!(err.len() < 64 * 1024, "{} bytes on stderr", err.len());
    assert!(
        err.contains("(3145728 characters in all)"),
        "{}",
        &err[..err.len().min(3000)]
    );
}

#[test]
fn token_type_and_tokens_with_control_characters_are_refused() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    for body in [
        r#"{"access_token":"ok-access-1","token_type":"Bearer\r\nX-Injected: 1"}"#,
        r#"{"access_token":"two\nlines","token_type":"Bearer"}"#,
        r#"{"access_token":"ok-access-2","token_type":"Bearer","refresh_token":"r\u001b[2J"}"#,
    ] {
        server.serve(Some(&case("token", 200, body)));
        let out = exchange(&env, &config, &[]);
        assert_eq!(out.status.code(), Some(5), "{body}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("RFC 6749"),
            "{}",
            text(&out.stderr)
        );
        let key = SessionKey::new("h", "default").unwrap();
        let store = Store::new(Preference::File, env.path().join("data/oauthctl"));
        assert!(
            store.load(&key).unwrap().is_none(),
            "{body}: a session was stored"
        );
        // Nothing to inject with: `header` and `token` have no session.
        let out = env
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(["--store", "file", "header", "-p", "h"])
            .output()
            .unwrap();
        assert!(
            !text(&out.stdout).contains("X-Injected"),
            "{}",
            text(&out.stdout)
        );
    }
}

#[test]
fn a_stored_token_with_a_newline_or_an_injected_header_is_not_printed() {
    let env = Env::new();
    env.write_config(
        "[providers.inj]\ntoken_endpoint = \"http://127.0.0.1:1/t\"\nclient_id = \"c\"\n",
    );
    for (token_type, access) in [
        ("Bearer\r\nX-Injected: 1", "inj-access-token-1"),
        ("Bearer", "inj-access\nsecond-line"),
    ] {
        let mut t = tokens(access, None, 3600);
        t.token_type = token_type.into();
        let s = Session {
            provider: "inj".into(),
            profile: "default".into(),
            client_id: Some("c".into()),
            issuer: None,
            subject: None,
            tokens: t,
            obtained_at: 1_700_000_000,
            grant: Grant::AuthorizationCode,
            client_assertion_key: None,
            client_cert: None,
            dpop_key: None,
        };
        Store::new(Preference::File, env.path().join("data/oauthctl"))
            .save(&s)
            .unwrap();
        for cmd in ["header", "token"] {
            let out = env
                .cmd()
                .args(["--store", "file", cmd, "-p", "inj"])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(3), "{cmd}: {}", text(&out.stdout));
            assert!(
                !text(&out.stdout).contains("X-Injected"),
                "{}",
                text(&out.stdout)
            );
            assert!(
                !text(&out.stdout).contains("second-line"),
                "{}",
                text(&out.stdout)
            );
            assert!(
                text(&out.stderr).contains("RFC 6749"),
                "{}",
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn a_negative_or_non_numeric_expires_in_means_expired_with_a_warning() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    for v in ["-3600", "\"soon\"", "-1.5"] {
        server.serve(Some(&case(
            "token",
            200,
            &format!(r#"{{"access_token":"neg-access-1","token_type":"Bearer","expires_in":{v}}}"#),
        )));
        let out = env
            .cmd()
            .arg("--config")
            .arg(&config)
            .args([
                "--store",
                "file",
                "login",
                "-p",
                "h",
                "--no-preflight",
                "--browser",
            ])
            .arg(crate::support::fake_browser())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{v}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("taken as expired"),
            "{v}: {}",
            text(&out.stderr)
        );
        let key = SessionKey::new("h", "default").unwrap();
        let s = Store::new(Preference::File, env.path().join("data/oauthctl"))
            .load(&key)
            .unwrap()
            .unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(
            s.tokens.expires_at.is_some_and(|e| e <= now),
            "{v}: {:?}",
            s.tokens.expires_at
        );
    }
}

#[test]
fn decode_escapes_claims_and_kid() {
    let env = Env::new();
    let t = jwt(
        &json!({"alg": "RS256", "kid": "\u{1b}[2Jkid"}),
        &json!({"sub": "\u{1b}]0;owned\u{7}", "name": "a\nb: fake", "scope": "\u{9b}31m"}),
    );
    for extra in [vec![], vec!["--verify", "--jwks", "/nonexistent"]] {
        let out = env
            .cmd()
            .args(["decode", &t])
            .args(&extra)
            .output()
            .unwrap();
        assert_no_panic(&out);
        for s in [text(&out.stdout), text(&out.stderr)] {
            assert!(!s.contains('\u{1b}') && !s.contains('\u{9b}'), "{s:?}");
            assert!(!s.contains("\nb: fake"), "{s}");
        }
    }
    let out = env.cmd().args(["decode", &t]).output().unwrap();
    assert!(
        predicate::str::contains("\\x1b[2Jkid").eval(&text(&out.stdout)),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn pasted_text_with_multibyte_characters_never_panics() {
    // Found by the property tests: a byte slice inside a multi-byte character.
    let env = Env::new();
    for t in [
        "é.é.é",
        "ⱺⱺⱺⱺⱺⱺⱺⱺⱺⱺ",
        "Authorization: éé",
        "Bearer é",
        "ééééééééé",
    ] {
        let out = env.cmd().args(["decode", t]).output().unwrap();
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(3), "{t}: {}", text(&out.stderr));
    }
}

#[test]
fn refresh_and_device_login_warn_when_the_new_token_has_no_valid_lifetime() {
    let server = HostileServer::start();
    let (env, config) = hostile_env(&server);
    server.serve(Some(&case(
        "token",
        200,
        r#"{"access_token":"neg-access-2","refresh_token":"neg-refresh-2","token_type":"Bearer","expires_in":-60}"#,
    )));
    let mut t = tokens("old-access-2", Some("old-refresh-2"), -60);
    t.token_type = "Bearer".into();
    Store::new(Preference::File, env.path().join("data/oauthctl"))
        .save(&Session {
            provider: "h".into(),
            profile: "default".into(),
            client_id: Some("c".into()),
            issuer: None,
            subject: None,
            tokens: t,
            obtained_at: 1_700_000_000,
            grant: Grant::AuthorizationCode,
            client_assertion_key: None,
            client_cert: None,
            dpop_key: None,
        })
        .unwrap();
    let base = |args: &[&str]| {
        env.cmd()
            .arg("--config")
            .arg(&config)
            .args(["--store", "file"])
            .args(args)
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap()
    };
    for args in [
        vec!["refresh", "-p", "h"],
        vec!["login", "-p", "h", "--device", "--browser", "true"],
    ] {
        let out = base(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("taken as expired"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}
