//! Issue 17: the flow report (`--report FILE.html`, `oauthctl report FILE.har`), for a
//! successful login, refused code exchanges, a refused refresh, a device login and a
//! `call` with a 401 retry against `oauthctl mock`: the verdict as the terminal said it,
//! every step with its status, no secret of the flow in the page, server text escaped,
//! the `--show-secrets` banner, one self-contained page under 1 MB.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::har_flow::secrets_in_transcript;
use crate::support::flow::Setup;
use crate::support::mock::get;
use crate::support::session::Mocked;
use crate::support::Env;
use serde_json::Value;

/// Reads a report and checks what every report must be.
pub(crate) fn read_report(path: &Path) -> String {
    let html = std::fs::read_to_string(path).expect("report written");
    assert!(html.len() < 1024 * 1024, "{} bytes", html.len());
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "no strict CSP"
    );
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script in the report");
    for outside in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!lower.contains(outside), "{outside} in the report");
    }
    html
}

/// `s` as the page escapes text.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub(crate) fn assert_no_secret(html: &str, secrets: &BTreeSet<String>) {
    for v in secrets {
        assert!(v.len() >= 8, "not a secret: {v:?}");
        let encoded: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
        assert!(!html.contains(v.as_str()), "secret {v} is in the report");
        assert!(
            !html.contains(&encoded),
            "secret {v} (encoded) is in the report"
        );
    }
}

/// The terminal's error block (from `oauthctl: error:`), each line on the page.
pub(crate) fn assert_verdict_as_terminal(html: &str, stderr: &str) {
    let start = stderr
        .find("oauthctl: error: ")
        .expect("an error on stderr");
    let block = &stderr[start..];
    let mut lines = block.lines();
    let first = lines.next().unwrap_or("");
    let message = first.trim_start_matches("oauthctl: error: ");
    assert!(
        html.contains(&format!("<b>oauthctl: error:</b> {}", esc(message))),
        "error line {message:?} not on the page"
    );
    for line in lines {
        let l = line.trim().trim_start_matches("hint: ");
        assert!(html.contains(&esc(l)), "hint line {l:?} not on the page");
    }
}

/// The step numbered `n`: its summary line.
pub(crate) fn step_summary(html: &str, n: usize) -> String {
    let at = html
        .find(&format!("id=\"step-{n}\""))
        .unwrap_or_else(|| panic!("no step {n}"));
    let rest = &html[at..];
    rest[..rest.find("</summary>").unwrap_or(rest.len())].to_string()
}

/// Every step's (title, status) in order.
pub(crate) fn steps(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut n = 1;
    while html.contains(&format!("id=\"step-{n}\"")) {
        let s = step_summary(html, n);
        let between = |a: &str, b: &str| {
            s.split_once(a)
                .and_then(|(_, r)| r.split_once(b))
                .map(|(x, _)| x.to_string())
                .unwrap_or_default()
        };
        out.push((
            between("</span> <b>", "</b>"),
            between("<span class=\"status\">", "</span>"),
        ));
        n += 1;
    }
    out
}

fn login_secrets(s: &Setup, dir: &Path) -> (PathBuf, BTreeSet<String>) {
    let har = dir.join("login.har");
    let out = s
        .login()
        .args(["--trace", "--show-secrets", "--har"])
        .arg(&har)
        .assert()
        .code(0)
        .get_output()
        .clone();
    (
        har,
        secrets_in_transcript(&String::from_utf8_lossy(&out.stderr)),
    )
}

#[test]
fn a_successful_login_report_from_its_har_and_with_report() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let (har, secrets) = login_secrets(&s, s.env.path());
    assert!(secrets.len() >= 4, "{secrets:?}");
    // The HAR becomes the page on the support side.
    let page = s.env.path().join("from-har.html");
    s.cmd()
        .arg("report")
        .arg(&har)
        .arg("-o")
        .arg(&page)
        .assert()
        .code(0);
    let html = read_report(&page);
    assert_no_secret(&html, &secrets);
    assert!(html.contains("<h2>Succeeded</h2>"), "no verdict");
    assert!(html.contains("<svg"), "no diagram");
    assert!(
        !html.contains("class=\"banner\""),
        "a banner without --show-secrets"
    );
    let st = steps(&html);
    let titles: Vec<&str> = st.iter().map(|(t, _)| t.as_str()).collect();
    assert!(
        st.iter()
            .any(|(t, s)| t.starts_with("POST") && s == "200 OK"),
        "{st:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("redirect with the code")),
        "no browser hand-off: {titles:?}"
    );
    // What oauthctl knew, and the environment.
    assert!(html.contains("What oauthctl knew"));
    assert!(
        html.contains("<td class=\"k\">client_id</td>"),
        "no settings"
    );
    assert!(
        html.contains("<span class=\"tag good\">the same</span>"),
        "redirect URIs"
    );
    assert!(html.contains("PKCE method: <code>S256</code>"));
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    // One marker per value: the code received is the code sent.
    let markers: Vec<&str> = html.matches("[redacted:").collect();
    assert!(markers.len() >= 4);

    // --report on the login itself: no secret of the stored session in it.
    let direct = s.env.path().join("login.html");
    s.login().arg("--report").arg(&direct).assert().code(0);
    let html = read_report(&direct);
    let session = s.session("default").expect("logged in");
    let mut own = BTreeSet::new();
    own.insert(session.tokens.access_token.expose().to_string());
    if let Some(r) = &session.tokens.refresh_token {
        own.insert(r.expose().to_string());
    }
    assert_no_secret(&html, &own);
    assert!(html.contains("<h2>Succeeded</h2>"));
    assert!(html.contains("<code>oauthctl login</code>"));
}

#[test]
fn show_secrets_says_so_in_a_red_banner() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let page = s.env.path().join("clear.html");
    s.login()
        .args(["--show-secrets", "--report"])
        .arg(&page)
        .assert()
        .code(0);
    let html = read_report(&page);
    let banner = html.find("class=\"banner\"").expect("the banner");
    assert!(
        banner < html.find("<h1>").expect("a title"),
        "banner not at the top"
    );
    let session = s.session("default").expect("logged in");
    assert!(html.contains(session.tokens.access_token.expose()));
}

/// A code from `authorize-url` and the mock: (callback URL, verifier).
fn code(s: &Setup) -> (String, Option<String>) {
    let out = s
        .cmd()
        .args(["authorize-url", "-p", &s.provider, "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: Value = serde_json::from_slice(&out.stdout).expect("authorize-url --json");
    let r = get(v["url"].as_str().expect("url"));
    assert_eq!(r.status, 302, "{}", r.text());
    (
        r.location(),
        v["code_verifier"].as_str().map(str::to_string),
    )
}

/// `exchange … --report` refused: (page, stderr).
fn refused_exchange(s: &Setup, name: &str, args: &[&str]) -> (String, String) {
    let page = s.env.path().join(format!("{name}.html"));
    let out = s
        .cmd()
        .args(["exchange", "-p", &s.provider])
        .args(args)
        .arg("--report")
        .arg(&page)
        .assert()
        .code(5)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let html = read_report(&page);
    assert_verdict_as_terminal(&html, &stderr);
    assert!(html.contains("<h2>Failed: exit code 5</h2>"));
    let failing = html.matches("the command failed here").count();
    assert_eq!(failing, 1, "one failing step");
    let st = steps(&html);
    assert!(
        st.iter()
            .any(|(t, s)| t.starts_with("POST") && s.starts_with("400")),
        "{st:?}"
    );
    assert!(html.contains("Try next: <code>"), "no next step");
    (html, stderr)
}

#[test]
fn refused_code_exchanges_redirect_uri_mismatch_reused_code_pkce_mismatch() {
    let s = Setup::new("hub", &["--auto-approve"]);
    // redirect_uri mismatch.
    let (cb, verifier) = code(&s);
    let v = verifier.clone().unwrap_or_default();
    let (html, stderr) = refused_exchange(
        &s,
        "mismatch",
        &[
            "--callback-url",
            &cb,
            "--code-verifier",
            &v,
            "--redirect-uri",
            "http://127.0.0.1:1/elsewhere",
        ],
    );
    assert!(stderr.contains("redirect"), "{stderr}");
    assert!(
        html.contains("<span class=\"tag bad\">they differ</span>") || html.contains("elsewhere")
    );
    // A reused code: the first exchange succeeds, the second is refused.
    let (cb, verifier) = code(&s);
    let v = verifier.unwrap_or_default();
    s.cmd()
        .args([
            "exchange",
            "-p",
            "hub",
            "--callback-url",
            &cb,
            "--code-verifier",
            &v,
        ])
        .assert()
        .code(0);
    let (_, stderr) = refused_exchange(
        &s,
        "reused",
        &["--callback-url", &cb, "--code-verifier", &v],
    );
    assert!(stderr.contains("used"), "{stderr}");
    // A PKCE mismatch.
    let (cb, _) = code(&s);
    let wrong = "W".repeat(64);
    let (html, stderr) = refused_exchange(
        &s,
        "pkce",
        &["--callback-url", &cb, "--code-verifier", &wrong],
    );
    assert!(stderr.contains("S256 of the verifier sent is"), "{stderr}");
    assert!(html.contains(&esc("S256 of the verifier sent is")));
}

#[test]
fn a_refused_refresh_report() {
    let m = Mocked::start("hub", &[]);
    let mut s = m.login();
    s.tokens.expires_at = Some(1);
    s.tokens.refresh_token = Some(oauthctl::secret::Secret::new("not-a-refresh-token"));
    m.save(&s);
    let page = m.env.path().join("refresh.html");
    let out = m
        .cmd()
        .args(["refresh", "-p", "hub", "--report"])
        .arg(&page)
        .assert()
        .code(4)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let html = read_report(&page);
    assert_verdict_as_terminal(&html, &stderr);
    assert!(html.contains("<h2>Failed: exit code 4</h2>"));
    assert!(!html.contains("not-a-refresh-token"));
    let st = steps(&html);
    assert!(
        st.iter()
            .any(|(t, s)| t.starts_with("POST") && s == "400 Bad Request"),
        "{st:?}"
    );
    assert_eq!(html.matches("the command failed here").count(), 1);
}

#[test]
fn a_device_login_report() {
    let s = Setup::new("teamwork", &["--device-interval", "0s"]);
    let page = s.env.path().join("device.html");
    s.login()
        .args(["--device", "--report"])
        .arg(&page)
        .assert()
        .code(0);
    let html = read_report(&page);
    assert!(html.contains("<h2>Succeeded</h2>"));
    let st = steps(&html);
    assert!(
        st.iter()
            .any(|(t, _)| t.contains("verification URI and enters the user code")),
        "{st:?}"
    );
    assert!(
        st.iter().filter(|(_, s)| s == "200 OK").count() >= 2,
        "{st:?}"
    );
    let session = s.session("default").expect("logged in");
    assert!(!html.contains(session.tokens.access_token.expose()));
}

#[test]
fn a_call_with_a_401_retry_report() {
    let m = Mocked::start("hub", &[]);
    let mut s = m.login();
    s.tokens.access_token = oauthctl::secret::Secret::new("revoked-or-garbage-token");
    m.save(&s);
    let page = m.env.path().join("call.html");
    m.cmd()
        .args(["call", "-p", "hub", "/api/user/teams", "--report"])
        .arg(&page)
        .assert()
        .code(0);
    let html = read_report(&page);
    assert!(html.contains("<h2>Succeeded</h2>"));
    assert!(!html.contains("revoked-or-garbage-token"));
    let teams: Vec<String> = steps(&html)
        .into_iter()
        .filter(|(t, _)| t == "GET /api/user/teams")
        .map(|(_, s)| s)
        .collect();
    assert_eq!(teams, ["401 Unauthorized", "200 OK"]);
    let session = m.session().expect("session");
    assert!(!html.contains(session.tokens.access_token.expose()));
}

/// A HAR from another tool with a hostile `error_description`, and one claiming to be
/// oauthctl's with a hostile verdict: both stay text.
#[test]
fn server_text_is_escaped_and_a_foreign_har_has_no_verdict() {
    let env = Env::new();
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let body = serde_json::json!({"error": "invalid_grant", "error_description": hostile});
    let har = serde_json::json!({"log": {
        "version": "1.2",
        "creator": {"name": "Firefox<b>", "version": "1"},
        "entries": [{
            "startedDateTime": "2026-01-01T00:00:00.000Z",
            "time": 12.0,
            "request": {"method": "POST", "url": "https://as.example/token",
                "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
                "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "grant_type=refresh_token&x=%3Cscript%3E"}},
            "response": {"status": 400, "statusText": "Bad Request",
                "headers": [{"name": "X-Evil", "value": hostile}],
                "content": {"mimeType": "application/json", "text": body.to_string()}}
        }]
    }});
    let path = env.path().join("foreign.har");
    std::fs::write(&path, har.to_string()).unwrap();
    env.cmd().arg("report").arg(&path).assert().code(0);
    let html = read_report(&env.path().join("foreign.html"));
    assert!(html.contains("<h2>No verdict</h2>"));
    assert!(html.contains("Firefox&lt;b&gt;"));
    assert!(!html.contains("<img"), "server text as markup");
    assert!(html.contains(&esc("<script>alert(1)</script>")));
    assert_eq!(steps(&html)[0].1, "400 Bad Request");

    // The same with oauthctl's field holding hostile text.
    let mut ours = har.clone();
    ours["log"]["_oauthctl"] = serde_json::json!({
        "command": "refresh", "outcome": {"ok": false, "exit_code": 4,
            "message": format!("refused: {hostile}"), "hint": "next: <b>x</b>"},
        "environment": {"version": "1", "os": "linux", "arch": "x", "store": "file", "profile": "default"}
    });
    std::fs::write(&path, ours.to_string()).unwrap();
    let out = env.path().join("ours.html");
    env.cmd()
        .arg("report")
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    let html = read_report(&out);
    assert!(html.contains("<h2>Failed: exit code 4</h2>"));
    assert!(!html.contains("<img") && !html.contains("<b>x</b>"));
    assert!(html.contains("the command failed here"));
}

#[test]
fn report_of_a_missing_or_bad_har_is_bad_input() {
    let env = Env::new();
    env.cmd()
        .args(["report", "/nonexistent/x.har"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("cannot read the HAR file"));
    let p = env.path().join("bad.har");
    std::fs::write(&p, "not json").unwrap();
    env.cmd()
        .arg("report")
        .arg(&p)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("is not a HAR file"));
}

/// A request that times out: the report is still written, with the step that got no
/// answer and exit code 7.
#[test]
fn a_timeout_still_writes_the_report() {
    let env = Env::new();
    let server = crate::support::Server::start();
    server.route(
        "/.well-known/openid-configuration",
        crate::support::Reply::json(200, "{}").delay(3000),
    );
    let page = env.path().join("timeout.html");
    let out = env
        .cmd()
        .args([
            "discover",
            &server.url(""),
            "--timeout",
            "300ms",
            "--report",
        ])
        .arg(&page)
        .assert()
        .code(7)
        .get_output()
        .clone();
    let html = read_report(&page);
    assert_verdict_as_terminal(&html, &String::from_utf8_lossy(&out.stderr));
    assert!(html.contains("<h2>Failed: exit code 7</h2>"));
    assert_eq!(steps(&html)[0].1, "no answer");
    assert!(html.contains("the command failed here"));
}

#[test]
fn ctrl_c_during_a_login_still_writes_the_report() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let report = s.env.path().join("cancelled.html");
    let p = crate::support::flow::Interactive::start(
        &s,
        &[
            "login",
            "-p",
            "hub",
            "--no-browser",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    p.authorization_url();
    p.wait_for("Paste the URL");
    let pid = p.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let (code, _, err) = p.finish();
    assert_eq!(code, 130, "{err}");
    let html = read_report(&report);
    assert!(html.contains("exit code 130"), "{html}");
    assert!(html.contains("login cancelled (Ctrl-C)"), "{html}");
}
