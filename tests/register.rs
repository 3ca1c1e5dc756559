#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl register` against `oauthctl mock` (oidc: RFC 7591; teamwork: its
//! `{client_name, redirect_uris}` form) and a canned server: the client_id lands in the
//! config file (comments kept), the secret in the file store, and the next `login` (and
//! `introspect`) use them; refusals show the server's error.

#[path = "support/session.rs"]
mod session;
mod support;

use predicates::str::contains;
use serde_json::Value;
use session::Mocked;
use support::{Env, Reply, Server};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The client record `register` wrote: `<data>/oauthctl/clients/<provider>.json`.
fn record(m: &Mocked) -> Value {
    let p = m
        .data_dir()
        .join("clients")
        .join(format!("{}.json", m.provider));
    serde_json::from_str(&std::fs::read_to_string(&p).expect("client record")).unwrap()
}

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn oidc_registration_is_stored_and_used_by_the_next_login() {
    let m = Mocked::start("oidc", &[]);
    // The user's own comments and tables must survive.
    let original = std::fs::read_to_string(&m.config).unwrap();
    let with_comments = format!(
        "# my oauthctl settings\n{original}\n# staging hub\n[providers.hub]\nclient_id = \"hub-app\" # from support\n"
    );
    std::fs::write(&m.config, &with_comments).unwrap();

    let out = m
        .cmd()
        .args(["register", "-p", "oidc", "--name", "My CLI"])
        .assert()
        .code(0)
        .stderr(contains("Registered \"My CLI\""))
        .stderr(contains("login -p oidc"))
        .get_output()
        .clone();
    let rec = record(&m);
    let id = rec["client_id"].as_str().unwrap().to_string();
    let secret = rec["client_secret"].as_str().unwrap().to_string();
    assert!(id.starts_with("mock-"), "{rec}");
    assert_eq!(rec["backend"], "file");
    #[cfg(unix)]
    assert_eq!(mode(&m.data_dir().join("clients/oidc.json")), 0o600);
    let text = stdout(&out);
    assert!(text.contains(&format!("client_id      {id}")), "{text}");
    assert!(
        text.contains("clients/oidc.json (readable only by you)"),
        "{text}"
    );
    assert!(!text.contains(&secret), "the secret leaked: {text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&secret));

    // The config: the new client_id, the old secret gone, everything else kept.
    let config = std::fs::read_to_string(&m.config).unwrap();
    let expected = with_comments
        .replace(
            "client_id = \"oauthctl-mock\"",
            &format!("client_id = \"{id}\""),
        )
        .replace("client_secret = \"mock-client-secret\"\n", "");
    assert_eq!(config, expected);

    // `providers` sees the stored secret.
    let v: Value = serde_json::from_slice(
        &m.cmd()
            .args(["providers", "--json"])
            .assert()
            .code(0)
            .get_output()
            .stdout,
    )
    .unwrap();
    let oidc = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "oidc")
        .unwrap();
    assert_eq!(oidc["ready"], true, "{oidc}");
    assert_eq!(oidc["client_id"], id.as_str());

    // The next login uses the new client and its stored secret (Basic).
    let s = m.login();
    assert_eq!(s.client_id.as_deref(), Some(id.as_str()));
    let token = m
        .log()
        .into_iter()
        .rfind(|r| r["grant_type"] == "authorization_code")
        .unwrap();
    assert_eq!(token["client_auth"], "basic");
    assert_eq!(token["status"], 200);
    // Introspection authenticates as the registered (confidential) client too.
    let v: Value = serde_json::from_slice(
        &m.cmd()
            .args(["introspect", "-p", "oidc", "--json"])
            .assert()
            .code(0)
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["active"], true);
    assert_eq!(v["client_id"], id.as_str());
}

#[test]
fn json_output_has_the_secret_and_where_it_went() {
    let m = Mocked::start("oidc", &[]);
    let out = m
        .cmd()
        .args([
            "register",
            "-p",
            "oidc",
            "--name",
            "ci",
            "--grant-type",
            "client_credentials",
            "--scope",
            "openid profile",
            "--json",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rec = record(&m);
    assert_eq!(v["client_id"], rec["client_id"]);
    assert_eq!(v["client_secret"], rec["client_secret"]);
    assert_eq!(v["client_secret_store"], "file");
    assert!(v["client_secret_file"]
        .as_str()
        .unwrap()
        .ends_with("clients/oidc.json"));
    assert_eq!(v["token_endpoint_auth_method"], "client_secret_basic");
    // A client_credentials client registers no redirect URI.
    assert_eq!(v["redirect_uris"], serde_json::json!([]));
    assert_eq!(
        v["response"]["grant_types"],
        serde_json::json!(["client_credentials"])
    );
    assert_eq!(v["config_removed"], serde_json::json!(["client_secret"]));
    assert!(v["config_set"]
        .as_array()
        .unwrap()
        .contains(&Value::from("client_id")));
    // --show-secrets prints it in the human output.
    let out = m
        .cmd()
        .args([
            "register",
            "-p",
            "oidc",
            "--name",
            "again",
            "--show-secrets",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let secret = record(&m)["client_secret"].as_str().unwrap().to_string();
    assert!(stdout(&out).contains(&secret));
}

#[test]
fn teamwork_registration_sends_only_name_and_redirect_uris_and_login_uses_it() {
    let m = Mocked::start("teamwork", &[]);
    let out = m
        .cmd()
        .args([
            "register", "-p", "teamwork", "--name", "tw-cli", "--scope", "x", "--trace",
        ])
        .assert()
        .code(0)
        .stderr(contains("not sending scope"))
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let body = stderr
        .lines()
        .find(|l| l.starts_with("> {") && l.contains("client_name"))
        .unwrap_or_else(|| panic!("no JSON body in the trace: {stderr}"));
    let sent: Value = serde_json::from_str(body.trim_start_matches("> ")).unwrap();
    let keys: Vec<&String> = sent.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["client_name", "redirect_uris"]);
    assert_eq!(sent["client_name"], "tw-cli");
    let configured = std::fs::read_to_string(&m.config).unwrap();
    assert!(
        configured.contains(&format!("redirect_uri = {}", sent["redirect_uris"][0])),
        "the default redirect URI is the one login uses: {configured}"
    );
    let id = record(&m)["client_id"].as_str().unwrap().to_string();
    let s = m.login();
    assert_eq!(s.client_id.as_deref(), Some(id.as_str()));
    let token = m
        .log()
        .into_iter()
        .rfind(|r| r["grant_type"] == "authorization_code")
        .unwrap();
    assert_eq!(
        (token["client_auth"].as_str(), token["status"].as_u64()),
        (Some("basic"), Some(200))
    );
}

#[test]
fn a_refused_registration_shows_the_servers_error_and_changes_nothing() {
    let m = Mocked::start("oidc", &[]);
    let before = std::fs::read_to_string(&m.config).unwrap();
    m.cmd()
        .args([
            "register",
            "-p",
            "oidc",
            "--name",
            "x",
            "--redirect-uri",
            "javascript:alert(1)",
        ])
        .assert()
        .code(5)
        .stderr(contains("400 Bad Request"))
        .stderr(contains("invalid_redirect_uri"))
        .stderr(contains("forbidden scheme"))
        .stderr(contains("--redirect-uri"));
    m.cmd()
        .args([
            "register",
            "-p",
            "oidc",
            "--name",
            "x",
            "--grant-type",
            "magic",
        ])
        .assert()
        .code(5)
        .stderr(contains("invalid_client_metadata"))
        .stderr(contains("grant type `magic` is not supported"));
    assert_eq!(std::fs::read_to_string(&m.config).unwrap(), before);
    assert!(!m.data_dir().join("clients").exists());
}

#[test]
fn a_config_file_that_does_not_parse_is_not_overwritten() {
    let m = Mocked::start("oidc", &[]);
    let broken = format!(
        "{}\n[providers.oidc\n",
        std::fs::read_to_string(&m.config).unwrap()
    );
    std::fs::write(&m.config, &broken).unwrap();
    m.cmd()
        .args(["register", "-p", "oidc", "--name", "x"])
        .assert()
        .code(3)
        .stderr(contains(m.config.display().to_string()));
    assert_eq!(std::fs::read_to_string(&m.config).unwrap(), broken);
    // Nothing was registered at the server.
    assert!(
        m.requests().iter().all(|r| r.1 != "/register"),
        "{:?}",
        m.requests()
    );
}

#[test]
fn no_registration_endpoint_says_how_clients_are_made() {
    Env::new()
        .cmd()
        .args(["register", "-p", "hub", "--name", "x"])
        .assert()
        .code(3)
        .stderr(contains("no registration endpoint"))
        .stderr(contains("RegardingWork support"));
}

/// A provider `api` whose registration endpoint is the canned server; no redirect_uri
/// configured, and the default config file (no --config).
fn canned(server: &Server, env: &Env) -> std::path::PathBuf {
    env.write_config(&format!(
        "default_provider = \"api\"\n\n[providers.api]\nauthorization_endpoint = \"{b}/authorize\"\ntoken_endpoint = \"{b}/token\"\nregistration_endpoint = \"{b}/register\"\n",
        b = server.base
    ))
}

#[test]
fn initial_access_token_and_public_clients() {
    let server = Server::start();
    server.route(
        "/register",
        Reply::json(
            201,
            r#"{"client_id":"public-123","token_endpoint_auth_method":"none"}"#,
        ),
    );
    let env = Env::new();
    let config = canned(&server, &env);
    let token_file = env.path().join("iat.txt");
    std::fs::write(&token_file, "initial-access-token-value\n").unwrap();
    let out = env
        .cmd()
        .args([
            "--store", "file", "register", "--name", "pub", "--port", "8765", "--token",
        ])
        .arg(format!("@{}", token_file.display()))
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.contains("client_id      public-123"), "{text}");
    assert!(text.contains("none (a public client)"), "{text}");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert!(seen[0]
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("authorization")
            && v == "Bearer initial-access-token-value"));
    assert!(seen[0]
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v == "application/json"));
    let sent: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(sent["client_name"], "pub");
    assert_eq!(
        sent["redirect_uris"],
        serde_json::json!(["http://127.0.0.1:8765/callback"])
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("initial-access-token-value"));
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.ends_with(
            "client_id = \"public-123\"\nredirect_uri = \"http://127.0.0.1:8765/callback\"\n"
        ),
        "{written}"
    );
    assert!(
        written.starts_with("default_provider = \"api\"\n\n[providers.api]\n"),
        "{written}"
    );
}

#[test]
fn a_server_that_wants_an_initial_access_token_says_so() {
    let server = Server::start();
    server.route(
        "/register",
        Reply::json(401, r#"{"error":"invalid_token","error_description":"an initial access token is required"}"#),
    );
    let env = Env::new();
    canned(&server, &env);
    env.cmd()
        .args([
            "--store",
            "file",
            "register",
            "--name",
            "x",
            "--token",
            "env:NO_SUCH_VAR",
        ])
        .assert()
        .code(3)
        .stderr(contains("NO_SUCH_VAR is not set"));
    assert!(server.seen.lock().unwrap().is_empty());
    env.cmd()
        .args([
            "--store", "file", "register", "--name", "x", "--token", "env:IAT",
        ])
        .env("IAT", "expired-iat")
        .assert()
        .code(5)
        .stderr(contains("401 Unauthorized"))
        .stderr(contains("an initial access token is required"))
        .stderr(contains("--token"));
}

#[test]
fn a_confidential_client_gets_basic_auth_and_auto_falls_back_to_the_file_store() {
    let server = Server::start();
    server.route(
        "/register",
        Reply::json(
            201,
            r#"{"client_id":"conf-1","client_secret":"conf-secret-value","client_secret_expires_at":0,"registration_access_token":"rat-value-123"}"#,
        ),
    );
    let env = Env::new();
    let config = canned(&server, &env);
    // No --store: auto. No keyring in the test environment, so the file store, with a warning.
    let out = env
        .cmd()
        .args(["register", "--name", "c", "--json"])
        .assert()
        .code(0)
        .stderr(contains("keyring is not reachable"))
        .get_output()
        .clone();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["client_secret"], "conf-secret-value");
    assert_eq!(v["client_secret_store"], "file");
    assert_eq!(v["token_endpoint_auth_method"], "client_secret_basic");
    // Other secrets of the answer stay masked.
    assert!(v["response"]["registration_access_token"]
        .as_str()
        .unwrap()
        .starts_with("[redacted:"));
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.contains(
            "client_id = \"conf-1\"\ntoken_endpoint_auth_method = \"client_secret_basic\"\n"
        ),
        "{written}"
    );
    assert!(!written.contains("conf-secret-value"));
    let rec: Value = serde_json::from_str(
        &std::fs::read_to_string(env.path().join("data/oauthctl/clients/api.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(rec["client_secret"], "conf-secret-value");
    // A refresh (a token request) authenticates with the stored secret.
    server.route(
        "/token",
        Reply::json(200, r#"{"access_token":"fresh-access","expires_in":3600}"#),
    );
    server.route("/v1/x", Reply::json(200, r#"{"ok":true}"#));
    let mut s = session::write_session(
        &env,
        "api",
        session::tokens("old-access", Some("rt-1"), -60),
    );
    s.client_id = Some("conf-1".into());
    oauthctl::store::Store::new(
        oauthctl::store::Preference::File,
        env.path().join("data/oauthctl"),
    )
    .save(&s)
    .unwrap();
    env.cmd()
        .args(["--store", "file", "call"])
        .arg(server.url("/v1/x"))
        .assert()
        .code(0);
    let seen = server.seen.lock().unwrap().clone();
    let token = seen.iter().find(|r| r.url == "/token").expect("a refresh");
    let basic = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "conf-1:conf-secret-value"
        )
    );
    assert!(
        token
            .headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("authorization") && *v == basic),
        "{:?}",
        token.headers
    );
    env.cmd()
        .args(["--store", "file", "providers", "--json"])
        .assert()
        .code(0)
        .stdout(contains("\"ready\": true"));
}
