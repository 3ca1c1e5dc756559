//! Response modes and JWT-secured authorization responses (JARM) against `oauthctl mock
//! -p oidc`: `login --response-mode query|form_post|jwt|query.jwt|form_post.jwt` logs in
//! (the listener takes the form_post POST; a JWT response is verified before its code is
//! used); a JARM response with a wrong `aud`, an expired one or a bad signature ends the
//! login with exit 5 naming the claim and nothing stored; another `state` inside the JWT
//! is not this login's; an error inside the JWT is the authorization error; a plain code
//! where a JWT was asked for is not used.

use crate::support::flow::{Interactive, Setup};
use crate::support::mock::get;
use serde_json::Value;

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// The authorization URLs the scripted browser opened.
fn opened(s: &Setup) -> Vec<String> {
    s.browser_done()
        .lines()
        .filter(|l| l.starts_with("GET ") && l.contains("/authorize"))
        .map(|l| l.split(' ').nth(1).unwrap_or("").to_string())
        .collect()
}

fn param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn token_requests(s: &Setup) -> usize {
    s.token_requests("authorization_code").len()
}

#[test]
fn the_server_advertises_its_response_modes_and_jarm_algorithm() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let meta = get(&s.mock.url("/.well-known/openid-configuration")).json();
    let modes: Vec<&str> = meta["response_modes_supported"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for m in ["query", "form_post", "jwt", "query.jwt", "form_post.jwt"] {
        assert!(modes.contains(&m), "{modes:?}");
    }
    assert_eq!(
        meta["authorization_signing_alg_values_supported"],
        serde_json::json!(["RS256"])
    );
}

#[test]
fn each_response_mode_logs_in() {
    for mode in ["query", "form_post", "jwt", "query.jwt", "form_post.jwt"] {
        let s = Setup::new("oidc", &["--auto-approve"]);
        let out = s
            .login()
            .args(["--response-mode", mode, "--trace"])
            .assert()
            .code(0);
        let stderr = stderr_of(&out);
        let urls = opened(&s);
        assert_eq!(urls.len(), 1, "{mode}: {}", s.browser_log());
        assert_eq!(param(&urls[0], "response_mode").as_deref(), Some(mode));
        let log = s.browser_done();
        let posted = log
            .lines()
            .any(|l| l.starts_with("POST ") && l.contains("/callback"));
        assert_eq!(posted, mode.starts_with("form_post"), "{mode}: {log}");
        assert!(log.contains("PAGE 200 Logged in"), "{mode}: {log}");
        let jarm = mode.ends_with("jwt");
        assert_eq!(
            stderr.contains("JARM response: header"),
            jarm,
            "{mode}: {stderr}"
        );
        if jarm {
            assert!(
                stderr.contains("signature, iss, aud, exp and state verified"),
                "{stderr}"
            );
            let line = stderr
                .lines()
                .find(|l| l.contains("JARM response: header"))
                .unwrap();
            assert!(line.contains("\"code\":\"[redacted]\""), "{line}");
            assert!(line.contains("signature [redacted]"), "{line}");
            assert!(line.contains("\"aud\":\"oauthctl-mock\""), "{line}");
        }
        assert!(s.session("default").is_some(), "{mode}: {stderr}");
        assert_eq!(token_requests(&s), 1, "{mode}");
    }
}

#[test]
fn the_config_key_sets_the_response_mode() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let config = std::fs::read_to_string(&s.config).unwrap();
    let config = config.replacen(
        "[providers.oidc]\n",
        "[providers.oidc]\nresponse_mode = \"form_post.jwt\"\n",
        1,
    );
    assert!(config.contains("response_mode"), "{config}");
    std::fs::write(&s.config, config).unwrap();
    s.login().assert().code(0);
    let urls = opened(&s);
    assert_eq!(
        param(&urls[0], "response_mode").as_deref(),
        Some("form_post.jwt")
    );
    assert!(s.browser_done().contains("FORM_POST"));
    assert!(s.session("default").is_some());
}

#[test]
fn a_wrong_jarm_response_names_the_claim_and_nothing_is_stored() {
    for (flag, claim) in [
        ("--jarm-wrong-aud", "`aud` is wrong"),
        ("--jarm-expired", "`exp` is wrong"),
        ("--jarm-bad-signature", "`signature` is wrong"),
    ] {
        for mode in ["query.jwt", "form_post.jwt"] {
            let s = Setup::new("oidc", &["--auto-approve", flag]);
            let out = s.login().args(["--response-mode", mode]).assert().code(5);
            let stderr = stderr_of(&out);
            assert!(stderr.contains(claim), "{flag} {mode}: {stderr}");
            assert!(stderr.contains("JARM"), "{stderr}");
            assert!(stderr.contains("its code is not used"), "{stderr}");
            assert!(s.session("default").is_none(), "{flag}");
            assert!(!s.session_file("default").exists());
            assert_eq!(token_requests(&s), 0, "{flag}: the code was used");
            let log = s.browser_done();
            assert!(log.contains("PAGE 400 Login failed"), "{flag}: {log}");
        }
    }
}

#[test]
fn another_state_inside_the_jwt_is_not_this_logins_response() {
    let s = Setup::new("oidc", &["--auto-approve", "--jarm-wrong-state"]);
    let out = s
        .login()
        .args(["--response-mode", "jwt", "--login-timeout", "2s"])
        .assert()
        .code(7);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("with a state that is not this login's"),
        "{stderr}"
    );
    assert!(s.session("default").is_none());
    assert_eq!(token_requests(&s), 0);
    assert!(s.browser_done().contains("PAGE 400 Login not recognised"));
}

#[test]
fn an_error_inside_the_jwt_is_the_authorization_error() {
    let s = Setup::new("oidc", &[]);
    let out = s
        .login()
        .args(["--response-mode", "query.jwt", "--no-preflight"])
        .env("FAKE_BROWSER_DECISION", "deny")
        .assert()
        .code(5);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("access_denied"), "{stderr}");
    assert!(s.session("default").is_none());
    assert!(s.browser_done().contains("PAGE 400 Login refused"));
}

#[test]
fn a_plain_code_where_a_jwt_was_asked_for_is_not_used() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let mut p = Interactive::start(
        &s,
        &[
            "login",
            "-p",
            "oidc",
            "--no-browser",
            "--response-mode",
            "query.jwt",
        ],
    );
    let url = p.authorization_url();
    let state = param(&url, "state").unwrap();
    p.paste(&format!("{}?code=plain-code&state={state}", s.redirect_uri));
    let (code, _, stderr) = p.finish();
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("carried a plain code instead of a JWT-secured response"),
        "{stderr}"
    );
    assert!(s.session("default").is_none());
    assert_eq!(token_requests(&s), 0);
}

#[test]
fn authorize_url_sends_the_response_mode() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let out = s
        .cmd()
        .args([
            "authorize-url",
            "-p",
            "oidc",
            "--response-mode",
            "form_post",
        ])
        .assert()
        .code(0);
    let url = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(
        param(url.trim(), "response_mode").as_deref(),
        Some("form_post")
    );
}

/// The `response_mode` check of `doctor --json`, and its exit code.
fn doctor_check(s: &Setup, table_lines: &str) -> (i32, Value) {
    doctor_named(s, table_lines, "response_mode")
}

/// The check `name` of `doctor --json` with `table_lines` added to the provider's
/// table (null when the report has no such check), and the exit code.
fn doctor_named(s: &Setup, table_lines: &str, name: &str) -> (i32, Value) {
    let config = std::fs::read_to_string(&s.config).unwrap().replacen(
        "[providers.oidc]\n",
        &format!("[providers.oidc]\n{table_lines}"),
        1,
    );
    std::fs::write(&s.config, config).unwrap();
    let out = s
        .cmd()
        .args(["doctor", "-p", "oidc", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .cloned()
        .unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), check)
}

#[test]
fn doctor_checks_the_response_mode_against_the_servers_list() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let (_, c) = doctor_check(&s, "response_mode = \"query.jwt\"\n");
    assert_eq!(c["status"], "ok", "{c}");
    assert!(c["summary"]
        .as_str()
        .unwrap()
        .contains("is among the server's response_modes_supported"));
    let s = Setup::new("oidc", &["--auto-approve"]);
    let (code, c) = doctor_check(
        &s,
        "response_mode = \"form_post\"\nresponse_modes_supported = [\"query\", \"fragment\"]\n",
    );
    assert_eq!(code, 0);
    assert_eq!(c["status"], "warn", "{c}");
    assert!(
        c["summary"].as_str().unwrap().contains(
            "\"form_post\" is not among the server's response_modes_supported (query, fragment)"
        ),
        "{c}"
    );
    // No response mode configured: no check.
    let s = Setup::new("oidc", &["--auto-approve"]);
    let (_, c) = doctor_check(&s, "");
    assert!(c.is_null(), "{c}");
}

#[test]
fn doctor_says_which_extension_grants_the_server_lists() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let (code, c) = doctor_named(&s, "", "extension_grants");
    assert_eq!(code, 0, "{c}");
    assert_eq!(c["status"], "ok", "{c}");
    assert_eq!(
        c["summary"],
        "the server lists token exchange (`oauthctl token-exchange`) and the JWT bearer grant (`login --jwt-bearer`)"
    );
    // A server that lists neither.
    let s = Setup::new("oidc", &["--auto-approve"]);
    let (code, c) = doctor_named(
        &s,
        "grant_types_supported = [\"authorization_code\", \"refresh_token\"]\n",
        "extension_grants",
    );
    assert_eq!(code, 0);
    assert!(c.is_null(), "a server that lists neither gets no line: {c}");
}
