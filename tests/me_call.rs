#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl me` and `oauthctl call` against `oauthctl mock` (hub, chatwork,
//! worksection, oidc) after a real `oauthctl login`, and against a canned server for the
//! request options; refresh before expiry, the one retry after a 401, exit codes.

#[path = "support/session.rs"]
mod session;
mod support;

use predicates::str::contains;
use serde_json::Value;
use session::{tokens, write_session, Mocked};
use support::{Env, Reply, Server};

fn json_out(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn run_ok(cmd: &mut assert_cmd::Command) -> std::process::Output {
    cmd.assert().code(0).get_output().clone()
}

#[test]
fn me_hub_is_a_bearer_get_of_api_auth_me() {
    let m = Mocked::start("hub", &[]);
    let s = m.login();
    let out = run_ok(m.cmd().args(["me", "-p", "hub"]));
    let v = json_out(&out);
    assert_eq!(v["email"], "alice@example.com");
    assert_eq!(v["username"], "alice");
    // Pretty printed by default.
    assert!(String::from_utf8_lossy(&out.stdout).contains("\n  \""));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(s.tokens.access_token.expose()), "{stderr}");
    let last = m.requests().pop().unwrap();
    assert_eq!(
        (last.0.as_str(), last.1.as_str(), last.3),
        ("GET", "/api/auth/me", 200)
    );
    // --json: the body exactly as the server sent it.
    let raw = run_ok(m.cmd().args(["me", "-p", "hub", "--json"]));
    let direct = support::mock::get_bearer(&m.url("/api/auth/me"), s.tokens.access_token.expose());
    assert_eq!(raw.stdout, direct.body);
}

#[test]
fn me_chatwork_is_v2_me() {
    let m = Mocked::start("chatwork", &[]);
    m.login();
    let v = json_out(&run_ok(m.cmd().args(["me", "-p", "chatwork"])));
    assert_eq!(v["account_id"], 123456);
    assert_eq!(v["chatwork_id"], "alice");
}

#[test]
fn me_oidc_is_the_userinfo_endpoint() {
    let m = Mocked::start("oidc", &[]);
    m.login();
    let v = json_out(&run_ok(m.cmd().args(["me", "-p", "oidc"])));
    assert_eq!(v["sub"], "alice");
    assert_eq!(v["email"], "alice@example.com");
    assert!(m
        .requests()
        .iter()
        .any(|r| r.0 == "GET" && r.1 == "/userinfo" && r.3 == 200));
}

#[test]
fn me_worksection_posts_client_credentials_and_token_in_a_form() {
    let m = Mocked::start("worksection", &[]);
    let s = m.login();
    let out = m
        .cmd()
        .args(["me", "-p", "worksection", "--trace"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v = json_out(&out);
    assert_eq!(v["email"], "john.smith@example.com");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The form carries the three fields, the secrets redacted in the trace.
    assert!(stderr.contains("> POST http://127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("client_id=oauthctl-mock"), "{stderr}");
    assert!(stderr.contains("client_secret=[redacted"), "{stderr}");
    assert!(stderr.contains("access_token=[redacted"), "{stderr}");
    assert!(!stderr.contains(s.tokens.access_token.expose()), "{stderr}");
    assert!(!stderr.contains("mock-client-secret"), "{stderr}");
    let last = m.requests().pop().unwrap();
    assert_eq!(
        (last.0.as_str(), last.1.as_str(), last.3),
        ("POST", "/oauth2/resource", 200)
    );
}

#[test]
fn me_refreshes_first_when_the_token_is_about_to_expire() {
    // 30 s to live: less than the minute `me` wants.
    let m = Mocked::start("hub", &["--access-ttl", "30s"]);
    let before = m.login();
    let v = json_out(&run_ok(m.cmd().args(["me", "-p", "hub"])));
    assert_eq!(v["email"], "alice@example.com");
    assert_eq!(m.refreshes(200), 1, "{:?}", m.requests());
    let after = m.session().unwrap();
    assert_ne!(after.tokens.access_token, before.tokens.access_token);
    // Hub does not rotate: the refresh token is kept.
    assert_eq!(after.tokens.refresh_token, before.tokens.refresh_token);
    // The refresh came before the user info request.
    let reqs = m.requests();
    let refresh_at = reqs.iter().position(|r| r.2 == "refresh_token").unwrap();
    let me_at = reqs.iter().rposition(|r| r.1 == "/api/auth/me").unwrap();
    assert!(refresh_at < me_at, "{reqs:?}");
}

#[test]
fn worksection_refreshes_at_its_own_endpoint_and_stores_the_rotated_token() {
    let m = Mocked::start("worksection", &["--access-ttl", "30s"]);
    let before = m.login();
    run_ok(
        m.cmd()
            .args(["call", "-p", "worksection", "?action=get_tasks"]),
    );
    let refresh = m
        .requests()
        .into_iter()
        .find(|r| r.2 == "refresh_token")
        .expect("a refresh");
    assert_eq!((refresh.1.as_str(), refresh.3), ("/oauth2/refresh", 200));
    let after = m.session().unwrap();
    assert_ne!(after.tokens.refresh_token, before.tokens.refresh_token);
    assert!(after.tokens.refresh_token.is_some());
    // account_url survives the refresh.
    assert!(after.tokens.extra.contains_key("account_url"));
    // The rotated token works for the next refresh too.
    let mut s = after.clone();
    s.tokens.expires_at = Some(1);
    m.save(&s);
    run_ok(m.cmd().args(["me", "-p", "worksection"]));
    assert_eq!(m.refreshes(200), 2, "{:?}", m.requests());
}

#[test]
fn call_hub_api_path_with_status_on_stderr() {
    let m = Mocked::start("hub", &[]);
    m.login();
    let out = run_ok(m.cmd().args(["call", "-p", "hub", "/api/user/teams"]));
    let v = json_out(&out);
    assert_eq!(v[0]["name"], "Platform");
    assert_eq!(v[1]["name"], "Design");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HTTP 200 OK"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("HTTP 200"));
    // -q: no status line.
    let quiet = run_ok(m.cmd().args(["call", "-p", "hub", "/api/user/teams", "-q"]));
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
}

#[test]
fn call_chatwork_and_worksection_resolve_against_api_base() {
    let cw = Mocked::start("chatwork", &[]);
    cw.login();
    let v = json_out(&run_ok(cw.cmd().args(["call", "-p", "chatwork", "me"])));
    assert_eq!(v["account_id"], 123456);
    assert!(cw.requests().iter().any(|r| r.1 == "/v2/me" && r.3 == 200));

    let ws = Mocked::start("worksection", &[]);
    ws.login();
    let v = json_out(&run_ok(ws.cmd().args([
        "call",
        "-p",
        "worksection",
        "?action=get_tasks",
    ])));
    assert_eq!(v["status"], "ok");
    assert_eq!(v["data"][0]["name"], "T0");
    assert!(ws
        .requests()
        .iter()
        .any(|r| r.1 == "/api/oauth2" && r.3 == 200));
}

#[test]
fn a_401_triggers_one_refresh_and_one_retry() {
    let m = Mocked::start("hub", &[]);
    let mut s = m.login();
    s.tokens.access_token = oauthctl::secret::Secret::new("revoked-or-garbage-token");
    m.save(&s);
    let v = json_out(&run_ok(m.cmd().args([
        "call",
        "-p",
        "hub",
        "/api/user/teams",
    ])));
    assert_eq!(v[0]["name"], "Platform");
    let teams: Vec<u16> = m
        .requests()
        .iter()
        .filter(|r| r.1 == "/api/user/teams")
        .map(|r| r.3)
        .collect();
    assert_eq!(teams, [401, 200]);
    assert_eq!(m.refreshes(200), 1);
    assert_ne!(
        m.session().unwrap().tokens.access_token.expose(),
        "revoked-or-garbage-token"
    );

    // `me` too.
    let mut s = m.session().unwrap();
    s.tokens.access_token = oauthctl::secret::Secret::new("another-bad-token");
    m.save(&s);
    run_ok(m.cmd().args(["me", "-p", "hub"]));
    assert_eq!(m.refreshes(200), 2);
}

#[test]
fn the_users_own_authorization_header_is_not_refreshed_or_retried() {
    let m = Mocked::start("hub", &[]);
    m.login();
    // The user's own (bad) Authorization header: no refresh, no retry, exit 5.
    let out = m
        .cmd()
        .args([
            "call",
            "-p",
            "hub",
            "/api/user/teams",
            "-H",
            "Authorization: Bearer nope",
        ])
        .assert()
        .code(5)
        .stderr(contains("401 Unauthorized"))
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout).contains("invalid_token"));
    assert_eq!(m.refreshes(200), 0);
    let teams = m
        .requests()
        .iter()
        .filter(|r| r.1 == "/api/user/teams")
        .count();
    assert_eq!(teams, 1);
}

#[test]
fn a_second_401_is_not_retried() {
    let server = Server::start();
    server.route(
        "/v1/private",
        Reply::json(
            401,
            r#"{"error":"invalid_token","error_description":"nope"}"#,
        ),
    );
    server.route(
        "/token",
        Reply::json(
            200,
            r#"{"access_token":"tok-new-7890","token_type":"Bearer","expires_in":3600}"#,
        ),
    );
    let env = Env::new();
    canned(&server, &env);
    write_session(&env, "api", tokens("tok-123456", Some("rt-123456"), 3600));
    env.cmd()
        .args(["--store", "file", "call", "-p", "api", "private"])
        .assert()
        .code(5)
        .stderr(contains("401 Unauthorized"))
        .stderr(contains("even after a refresh"));
    assert_eq!(server.hits("/v1/private"), 2);
    assert_eq!(server.hits("/token"), 1);
    let seen = server.seen.lock().unwrap().clone();
    let auth: Vec<String> = seen
        .iter()
        .filter(|r| r.url == "/v1/private")
        .flat_map(|r| {
            r.headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(auth, ["Bearer tok-123456", "Bearer tok-new-7890"]);
    // The refresh was a refresh_token grant, and the old refresh token was kept.
    let token_req = seen.iter().find(|r| r.url == "/token").unwrap();
    assert!(
        token_req.body.contains("grant_type=refresh_token"),
        "{}",
        token_req.body
    );
    assert!(
        token_req.body.contains("refresh_token=rt-123456"),
        "{}",
        token_req.body
    );
    let s = oauthctl::store::Store::new(
        oauthctl::store::Preference::File,
        env.path().join("data/oauthctl"),
    )
    .load(&oauthctl::store::SessionKey::new("api", "default").unwrap())
    .unwrap()
    .unwrap();
    assert_eq!(s.tokens.access_token.expose(), "tok-new-7890");
    assert_eq!(s.tokens.refresh_token.unwrap().expose(), "rt-123456");
}

#[test]
fn a_401_without_a_refresh_token_needs_a_login() {
    let m = Mocked::start("hub", &[]);
    let mut s = m.login();
    s.tokens.access_token = oauthctl::secret::Secret::new("revoked-or-garbage-token");
    s.tokens.refresh_token = None;
    m.save(&s);
    m.cmd()
        .args(["call", "-p", "hub", "/api/user/teams"])
        .assert()
        .code(4)
        .stderr(contains("no refresh token"))
        .stderr(contains("oauthctl login -p hub"));
}

#[test]
fn a_refused_refresh_token_needs_a_login() {
    let m = Mocked::start("hub", &[]);
    let mut s = m.login();
    s.tokens.expires_at = Some(1);
    s.tokens.refresh_token = Some(oauthctl::secret::Secret::new("not-a-refresh-token"));
    m.save(&s);
    let out = m
        .cmd()
        .args(["me", "-p", "hub"])
        .assert()
        .code(4)
        .stderr(contains("invalid_grant"))
        .stderr(contains("run `oauthctl login -p hub`"))
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not-a-refresh-token"));
    assert_eq!(m.refreshes(400), 1);
    // inspect tells why.
    m.cmd()
        .args(["inspect", "-p", "hub"])
        .assert()
        .code(0)
        .stdout(contains(
            "needs login   yes: the server refused to refresh it (invalid_grant)",
        ));
}

#[test]
fn an_expired_session_without_refresh_token_needs_a_login() {
    let env = Env::new();
    write_session(&env, "hub", tokens("old-access", None, -7200));
    env.cmd()
        .args(["--store", "file", "me", "-p", "hub"])
        .assert()
        .code(4)
        .stderr(contains("has expired and has no refresh token"));
    // No session at all.
    env.cmd()
        .args(["--store", "file", "call", "-p", "chatwork", "me"])
        .assert()
        .code(4)
        .stderr(contains("no session for chatwork"))
        .stderr(contains("oauthctl login -p chatwork"));
}

#[test]
fn non_2xx_exits_5_and_prints_the_body() {
    let m = Mocked::start("hub", &[]);
    m.login();
    let out = m
        .cmd()
        .args(["call", "-p", "hub", "/api/nope"])
        .assert()
        .code(5)
        .stderr(contains("404 Not Found"))
        .get_output()
        .clone();
    let v = json_out(&out);
    assert!(v.get("error").is_some(), "{v}");
    // A GET-only resource refuses POST (-d implies POST).
    m.cmd()
        .args(["call", "-p", "hub", "/api/user/teams", "-d", "{}"])
        .assert()
        .code(5)
        .stderr(contains("POST"))
        .stderr(contains("405"));
}

#[test]
fn me_without_such_endpoint_is_bad_input() {
    let env = Env::new();
    env.cmd()
        .args(["--store", "file", "me", "-p", "onboardbase"])
        .assert()
        .code(3)
        .stderr(contains("no \"who am I\" endpoint"));
}

/// A provider `api` whose API is the canned server, with a session in the file store.
fn canned(server: &Server, env: &Env) {
    env.write_config(&format!(
        "[providers.api]\nauthorization_endpoint = \"{b}/authorize\"\ntoken_endpoint = \"{b}/token\"\napi_base = \"{b}/v1/\"\nclient_id = \"test-client\"\n",
        b = server.base
    ));
    write_session(env, "api", tokens("tok-123456", None, 3600));
}

#[test]
fn call_sends_method_data_file_and_headers() {
    let server = Server::start();
    server.route("/v1/items/1", Reply::json(200, r#"{"id":1,"ok":true}"#));
    let env = Env::new();
    canned(&server, &env);
    let body = env.path().join("body.json");
    std::fs::write(&body, r#"{"name":"x"}"#).unwrap();
    let out = env
        .cmd()
        .args([
            "--store",
            "file",
            "call",
            "-p",
            "api",
            "-X",
            "put",
            "items/1",
            "-H",
            "X-Request-Id: 42",
            "-H",
            "accept:text/plain",
        ])
        .arg("-d")
        .arg(format!("@{}", body.display()))
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\n  \"id\": 1,\n  \"ok\": true\n}\n"
    );
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.url, "/v1/items/1");
    assert_eq!(r.body, r#"{"name":"x"}"#);
    let h = |name: &str| {
        r.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(h("authorization"), ["Bearer tok-123456"]);
    assert_eq!(h("content-type"), ["application/json"]);
    assert_eq!(h("x-request-id"), ["42"]);
    assert_eq!(h("accept"), ["text/plain"]);
}

#[test]
fn call_reads_the_body_from_stdin_and_prints_raw_with_json() {
    let server = Server::start();
    server.route("/v1/messages", Reply::json(201, r#"{"message_id":"7"}"#));
    let env = Env::new();
    canned(&server, &env);
    let out = env
        .cmd()
        .args([
            "--store",
            "file",
            "--json",
            "call",
            "-p",
            "api",
            "/messages",
            "-d",
            "-",
        ])
        .write_stdin("body=hello+world&self_unread=0")
        .assert()
        .code(0)
        .stderr(contains("HTTP 201 Created"))
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        r#"{"message_id":"7"}"#
    );
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].body, "body=hello+world&self_unread=0");
    assert!(seen[0]
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-type")
            && v == "application/x-www-form-urlencoded"));
}

#[test]
fn call_sends_the_token_only_to_the_providers_hosts() {
    let server = Server::start();
    server.route("/elsewhere", Reply::json(200, "{}"));
    let env = Env::new();
    canned(&server, &env);
    let other = Server::start();
    other.route("/steal", Reply::json(200, "{}"));
    env.cmd()
        .args(["--store", "file", "call", "-p", "api", &other.url("/steal")])
        .assert()
        .code(3)
        .stderr(contains("refusing to send the access token"))
        .stderr(contains("--any-host"));
    assert_eq!(other.hits("/steal"), 0);
    // The provider's own host is fine as a full URL; --any-host allows the other.
    env.cmd()
        .args([
            "--store",
            "file",
            "call",
            "-p",
            "api",
            &server.url("/elsewhere"),
        ])
        .assert()
        .code(0);
    env.cmd()
        .args([
            "--store",
            "file",
            "call",
            "-p",
            "api",
            "--any-host",
            &other.url("/steal"),
        ])
        .assert()
        .code(0);
    assert_eq!(other.hits("/steal"), 1);
}

#[test]
fn call_bad_input() {
    let server = Server::start();
    let env = Env::new();
    canned(&server, &env);
    env.cmd()
        .args([
            "--store", "file", "call", "-p", "api", "x", "-H", "no colon",
        ])
        .assert()
        .code(2)
        .stderr(contains("Name: value"));
    env.cmd()
        .args([
            "--store",
            "file",
            "call",
            "-p",
            "api",
            "x",
            "-d",
            "@/nonexistent/body.json",
        ])
        .assert()
        .code(3)
        .stderr(contains("/nonexistent/body.json"));
    env.cmd()
        .args(["--store", "file", "call", "-p", "api", "x", "-X", "GE T"])
        .assert()
        .code(2)
        .stderr(contains("not an HTTP method"));
    assert!(server.seen.lock().unwrap().is_empty());
    // A path for a provider without api_base: said before anything else.
    env.cmd()
        .args(["--store", "file", "call", "-p", "onboardbase", "/projects"])
        .assert()
        .code(3)
        .stderr(contains("no api_base"))
        .stderr(contains("full URL"));
}
