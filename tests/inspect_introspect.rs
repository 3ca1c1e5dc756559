#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl inspect` (the stored session, decoded, secrets redacted) and
//! `oauthctl introspect` (RFC 7662) against `oauthctl mock` after a real login.

#[path = "support/session.rs"]
mod session;
mod support;

use predicates::str::contains;
use serde_json::Value;
use session::{tokens, write_session, Mocked};
use support::Env;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

#[test]
fn inspect_decodes_the_jwts_and_redacts_every_token() {
    let m = Mocked::start("oidc", &[]);
    let s = m.login();
    let at = s.tokens.access_token.expose().to_string();
    let rt = s.tokens.refresh_token.clone().unwrap().expose().to_string();
    let idt = s.tokens.id_token.clone().unwrap().expose().to_string();
    let out = m
        .cmd()
        .args(["inspect", "-p", "oidc"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = stdout(&out);
    for want in [
        "Session of oidc",
        "oauthctl-mock",
        "alice@example.com",
        "(expires in ",
        "openid profile email offline_access",
        "access_token: JWT signed with RS256",
        "id_token: JWT signed with RS256",
        "email_verified",
        "[redacted:",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // No token, and no signature of a JWT, in the output.
    for secret in [&at, &rt, &idt] {
        assert!(!text.contains(secret.as_str()), "a token leaked:\n{text}");
        let sig = secret.rsplit('.').next().unwrap();
        assert!(!text.contains(sig), "a signature leaked:\n{text}");
    }
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&at));

    let shown = m
        .cmd()
        .args(["inspect", "-p", "oidc", "--show-secrets"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = stdout(&shown);
    assert!(text.contains(&at) && text.contains(&rt) && text.contains(&idt));

    let v = json(
        &m.cmd()
            .args(["inspect", "-p", "oidc", "--json"])
            .assert()
            .code(0)
            .get_output()
            .clone(),
    );
    assert_eq!(v["provider"], "oidc");
    assert_eq!(v["profile"], "default");
    assert_eq!(v["subject"], "alice@example.com");
    assert_eq!(v["store"], "file");
    assert!(v["file"]
        .as_str()
        .unwrap()
        .ends_with("sessions/oidc+default.json"));
    assert_eq!(v["expired"], false);
    assert!(v["expires_in"].as_i64().unwrap() > 3000);
    assert_eq!(v["refreshable"], true);
    let t = &v["tokens"];
    assert_eq!(t["access_token"]["kind"], "jws");
    assert_eq!(t["access_token"]["decoded"]["claims"]["sub"], "alice");
    assert_eq!(t["access_token"]["decoded"]["header"]["alg"], "RS256");
    assert_eq!(t["access_token"]["length"], at.len());
    assert!(t["access_token"]["value"]
        .as_str()
        .unwrap()
        .starts_with("[redacted:"));
    assert_eq!(
        t["id_token"]["decoded"]["claims"]["email"],
        "alice@example.com"
    );
    assert_eq!(t["refresh_token"]["kind"], "opaque");
    assert!(t["refresh_token"].get("decoded").is_none());
    let all = v.to_string();
    assert!(!all.contains(&at) && !all.contains(&rt) && !all.contains(&idt));

    let v = json(
        &m.cmd()
            .args(["inspect", "-p", "oidc", "--json", "--show-secrets"])
            .assert()
            .code(0)
            .get_output()
            .clone(),
    );
    assert_eq!(v["tokens"]["refresh_token"]["value"], rt.as_str());
    // inspect never talks to the server.
    let before = m.requests().len();
    m.cmd().args(["inspect", "-p", "oidc"]).assert().code(0);
    assert_eq!(m.requests().len(), before);
}

#[test]
fn inspect_opaque_tokens_and_secret_fields() {
    let m = Mocked::start("onboardbase", &[]);
    let s = m.login();
    let pass = s.tokens.secret_extra["passphrase"].expose().to_string();
    let api_key = s.tokens.access_token.expose().to_string();
    let out = m
        .cmd()
        .args(["inspect", "-p", "onboardbase"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.contains("passphrase"), "{text}");
    assert!(text.contains("(opaque, "), "{text}");
    assert!(text.contains("refreshable   no"), "{text}");
    assert!(!text.contains(&pass) && !text.contains(&api_key), "{text}");
    let v = json(
        &m.cmd()
            .args(["inspect", "-p", "onboardbase", "--json"])
            .assert()
            .code(0)
            .get_output()
            .clone(),
    );
    assert!(v["tokens"]["passphrase"]["value"]
        .as_str()
        .unwrap()
        .starts_with("[redacted:"));
    assert!(v["tokens"].get("refresh_token").is_none());
    assert_eq!(
        v["scopes"],
        serde_json::json!(["read.secrets", "read.projects"])
    );
}

#[test]
fn inspect_an_expired_session_and_no_session() {
    let env = Env::new();
    write_session(
        &env,
        "hub",
        tokens("opaque-access-token", Some("rt-1234"), -3 * 3600),
    );
    let out = env
        .cmd()
        .args(["--store", "file", "inspect", "-p", "hub"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.contains("expired 3 h ago"), "{text}");
    assert!(text.contains("RegardingWork Hub (hub)"), "{text}");
    assert!(!text.contains("opaque-access-token"), "{text}");
    let v = json(
        &env.cmd()
            .args(["--store", "file", "--json", "inspect", "-p", "hub"])
            .assert()
            .code(0)
            .get_output()
            .clone(),
    );
    assert_eq!(v["expired"], true);
    assert!(v["expires_in"].as_i64().unwrap() < -10_000);
    env.cmd()
        .args([
            "--store",
            "file",
            "inspect",
            "-p",
            "chatwork",
            "--profile",
            "work",
        ])
        .assert()
        .code(4)
        .stderr(contains("no session for chatwork (profile work)"))
        .stderr(contains("oauthctl login -p chatwork --profile work"));
}

#[test]
fn introspect_the_stored_tokens_and_given_ones() {
    let m = Mocked::start("oidc", &[]);
    let s = m.login();
    let at = s.tokens.access_token.expose().to_string();
    let out = m
        .cmd()
        .args(["introspect", "-p", "oidc", "--trace"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.contains("active       yes"), "{text}");
    assert!(text.contains("username     alice"), "{text}");
    assert!(text.contains("expires in"), "{text}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("token_type_hint=access_token"), "{stderr}");
    assert!(!stderr.contains(&at), "the token leaked into the trace");
    let intro: Vec<_> = m
        .requests()
        .into_iter()
        .filter(|r| r.1 == "/introspect")
        .collect();
    assert_eq!(intro.len(), 1);
    assert_eq!(intro[0].3, 200);
    assert!(m
        .log()
        .iter()
        .any(|r| r["path"] == "/introspect" && r["client_auth"] == "basic"));

    let v = json(
        &m.cmd()
            .args(["introspect", "-p", "oidc", "--json"])
            .assert()
            .code(0)
            .get_output()
            .clone(),
    );
    assert_eq!(v["active"], true);
    assert_eq!(v["client_id"], "oauthctl-mock");
    assert_eq!(v["scope"], "openid profile email offline_access");

    let v = json(
        &m.cmd()
            .args(["introspect", "-p", "oidc", "--refresh-token", "--json"])
            .assert()
            .code(0)
            .get_output()
            .clone(),
    );
    assert_eq!(v["active"], true);
    assert_eq!(v["token_type"], "refresh_token");

    // A token given on stdin (with its `Bearer` prefix), and an unknown one.
    let v = json(
        &m.cmd()
            .args(["introspect", "-p", "oidc", "-", "--json"])
            .write_stdin(format!("Bearer {at}\n"))
            .assert()
            .code(0)
            .get_output()
            .clone(),
    );
    assert_eq!(v["active"], true);
    let out = m
        .cmd()
        .args(["introspect", "-p", "oidc", "not-a-token-the-server-knows"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert!(
        stdout(&out).starts_with("active       no"),
        "{}",
        stdout(&out)
    );

    // Revoked by logout: inactive.
    m.cmd().args(["logout", "-p", "oidc"]).assert().code(0);
    let v = json(
        &m.cmd()
            .args(["introspect", "-p", "oidc", &at, "--json"])
            .assert()
            .code(0)
            .get_output()
            .clone(),
    );
    assert_eq!(v["active"], false);
    // Without a session, the stored token cannot be introspected.
    m.cmd()
        .args(["introspect", "-p", "oidc"])
        .assert()
        .code(4)
        .stderr(contains("no session for oidc"));
}

#[test]
fn introspect_refusals() {
    let m = Mocked::start("oidc", &[]);
    let s = m.login();
    // A wrong client secret: the server's refusal, with what to check.
    let config = std::fs::read_to_string(&m.config).unwrap();
    std::fs::write(
        &m.config,
        config.replace("mock-client-secret", "wrong-secret-value"),
    )
    .unwrap();
    let out = m
        .cmd()
        .args(["introspect", "-p", "oidc"])
        .assert()
        .code(5)
        .stderr(contains("invalid_client"))
        .stderr(contains("client secret"))
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("wrong-secret-value"), "{stderr}");
    assert!(!stderr.contains(s.tokens.access_token.expose()), "{stderr}");
    // A provider without an introspection endpoint.
    let env = Env::new();
    env.cmd()
        .args(["introspect", "-p", "hub", "some-token"])
        .assert()
        .code(3)
        .stderr(contains("no introspection endpoint"));
    env.cmd()
        .args(["introspect", "-p", "hub", "--refresh-token", "tok"])
        .assert()
        .code(2);
}
