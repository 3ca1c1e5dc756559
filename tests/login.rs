#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl login` against `oauthctl mock`, with the browser step scripted by
//! examples/fake_browser.rs through `--browser`; sessions read back from the file store.

#[path = "support/login.rs"]
mod flow;
mod support;

use flow::{Interactive, Setup};
use predicates::prelude::*;
use predicates::str::contains;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Logs in with the scripted browser and checks what every login must do.
fn login_ok(s: &Setup) -> oauthctl::store::Session {
    let out = s.login().assert().code(0).get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
    assert!(stderr.contains("Logged in to "), "{stderr}");
    // The URL is always printed on stderr.
    assert!(
        stderr.contains(&format!("{}/", s.base())),
        "no authorization URL on stderr: {stderr}"
    );
    let session = s.session("default").expect("a stored session");
    assert_eq!(session.provider, s.provider);
    assert_eq!(session.profile, "default");
    assert_eq!(session.client_id.as_deref(), Some("oauthctl-mock"));
    assert!(!session.tokens.access_token.expose().is_empty());
    // No secret on stderr.
    assert!(!stderr.contains(session.tokens.access_token.expose()));
    // The browser got the success page.
    let log = s.browser_done();
    assert!(log.contains("PAGE 200 Logged in to"), "{log}");
    session
}

#[cfg(unix)]
fn assert_private_files(s: &Setup, profile: &str) {
    let file = s.session_file(profile);
    assert_eq!(flow::mode(&file), 0o600, "{}", file.display());
    assert_eq!(flow::mode(file.parent().unwrap()), 0o700);
    assert_eq!(flow::mode(&s.data_dir()), 0o700);
    assert_eq!(flow::mode(&s.data_dir().join("index.json")), 0o600);
}

#[test]
fn hub_public_client_with_pkce() {
    let s = Setup::new("hub", &["--auto-approve", "--require-pkce"]);
    let session = login_ok(&s);
    let t = &session.tokens;
    assert!(t.refresh_token.is_some());
    assert_eq!(t.scopes, ["profile:read", "teams:read"]);
    let exp = t.expires_at.expect("expiry");
    assert!(exp > now() + 3000 && exp <= now() + 3700, "{exp}");
    assert_eq!(session.subject.as_deref(), Some("alice@example.com"));
    // The stored token is the one the server issued: the API accepts it.
    let me = support::mock::get_bearer(&s.mock.url("/api/auth/me"), t.access_token.expose());
    assert_eq!(me.status, 200, "{}", me.text());
    #[cfg(unix)]
    assert_private_files(&s, "default");
    // The index holds no secret.
    let index = std::fs::read_to_string(s.data_dir().join("index.json")).unwrap();
    assert!(!index.contains(t.access_token.expose()));
    assert!(!index.contains(t.refresh_token.as_ref().unwrap().expose()));
    assert!(index.contains("alice@example.com"));
}

#[test]
fn chatwork_confidential_client_with_the_secret_in_the_body() {
    let s = Setup::new("chatwork", &["--auto-approve"]);
    let session = login_ok(&s);
    assert_eq!(session.subject.as_deref(), Some("alice@example.com"));
    assert!(session.tokens.refresh_token.is_some());
    assert!(
        s.mock_log().contains("\"client_auth\":\"post\""),
        "{}",
        s.mock_log()
    );
}

#[test]
fn teamwork_self_hosted_with_discovery_and_basic_auth() {
    let s = Setup::new("teamwork", &["--auto-approve"]);
    let session = login_ok(&s);
    assert!(
        session
            .issuer
            .as_deref()
            .is_some_and(|i| i.starts_with(s.base())),
        "{:?}",
        session.issuer
    );
    assert!(
        s.mock_log().contains("\"client_auth\":\"basic\""),
        "{}",
        s.mock_log()
    );
    #[cfg(unix)]
    assert_private_files(&s, "default");
}

#[test]
fn onboardbase_query_parameters_envelope_api_key_and_absolute_expiry() {
    let s = Setup::new("onboardbase", &["--auto-approve"]);
    let session = login_ok(&s);
    let t = &session.tokens;
    assert!(t.refresh_token.is_none());
    assert_eq!(t.scopes, ["read.secrets", "read.projects"]);
    let pass = t.secret_extra.get("passphrase").expect("passphrase kept");
    assert!(!pass.expose().is_empty());
    // An absolute Unix time, not "now + a Unix time".
    let exp = t.expires_at.expect("expiry");
    assert!(exp > now() && exp < now() + 400 * 86400, "{exp}");
    assert!(s.mock_log().contains("\"status\":201"), "{}", s.mock_log());
}

#[test]
fn worksection_https_redirect_by_pasting_the_redirected_url() {
    let s = Setup::new("worksection", &["--auto-approve"]);
    let mut p = Interactive::start(&s, &["login", "-p", "worksection", "--no-browser"]);
    let url = p.authorization_url();
    let redirected = flow::redirected_url(&url);
    assert!(
        redirected.starts_with("https://127.0.0.1/callback?"),
        "{redirected}"
    );
    // Another login's URL first: refused, the login keeps waiting.
    let forged = redirected.replace("state=", "state=x");
    p.paste(&forged);
    p.paste(&redirected);
    let (code, stdout, stderr) = p.finish();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("belongs to another login"), "{stderr}");
    assert!(
        stderr.contains("Logged in to Worksection as john.smith@example.com"),
        "{stderr}"
    );
    let session = s.session("default").expect("session");
    assert_eq!(
        session
            .tokens
            .extra
            .get("account_url")
            .and_then(|v| v.as_str()),
        Some("https://authorizeduseraccount.worksection.com")
    );
    assert!(session.tokens.refresh_token.is_some());
    assert_eq!(
        session.tokens.expires_at.map(|e| e > now() + 80_000),
        Some(true)
    );
}

#[test]
fn paste_mode_accepts_the_bare_code() {
    let s = Setup::new("worksection", &["--auto-approve"]);
    let mut p = Interactive::start(&s, &["login", "-p", "worksection", "--no-browser"]);
    let redirected = flow::redirected_url(&p.authorization_url());
    let code = url::Url::parse(&redirected)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("code");
    p.paste(&code);
    let (rc, _, stderr) = p.finish();
    assert_eq!(rc, 0, "{stderr}");
    assert!(s.session("default").is_some());
}

#[test]
fn a_wrong_state_gets_a_400_and_the_login_still_succeeds() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let out = s
        .login()
        .env("FAKE_BROWSER_FORGE", "1")
        .assert()
        .code(0)
        .stderr(contains("ignored a request from 127.0.0.1"))
        .stderr(contains("state that is not this login's"))
        .get_output()
        .clone();
    let log = s.browser_done();
    assert!(log.contains("/favicon.ico -> 404"), "{log}");
    assert!(log.contains("state=forged-state -> 400"), "{log}");
    assert!(log.contains("FORGED 400 Login not recognised"), "{log}");
    assert!(
        log.contains("PAGE 200 Logged in to RegardingWork Hub"),
        "{log}"
    );
    assert!(s.session("default").is_some());
    assert!(out.stdout.is_empty());
}

#[test]
fn user_denial_in_the_browser_ends_the_login_with_the_error() {
    // No --auto-approve: the scripted browser answers the consent page with Deny.
    let s = Setup::new("hub", &[]);
    s.login()
        .env("FAKE_BROWSER_DECISION", "deny")
        .assert()
        .code(5)
        .stderr(contains("refused the authorization: access_denied"))
        .stderr(contains("hint:"));
    let log = s.browser_done();
    assert!(log.contains("PAGE 400 Login refused"), "{log}");
    assert!(s.session("default").is_none());
    assert!(!s.session_file("default").exists());
}

#[test]
fn a_denial_redirected_at_once_is_reported_before_the_browser_opens() {
    let s = Setup::new("hub", &["--auto-approve", "--deny"]);
    s.login()
        .assert()
        .code(5)
        .stderr(contains("access_denied"))
        .stderr(contains("Open this URL").not());
    assert_eq!(s.browser_log(), "", "the browser was started");
}

#[test]
fn a_redirect_uri_the_server_rejects_is_explained() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let other = flow::free_port();
    s.login()
        .args(["--port", &other.to_string()])
        .assert()
        .code(5)
        .stderr(contains("refused the authorization request (400)"))
        .stderr(contains("is not registered"))
        .stderr(contains("--redirect-uri"))
        .stderr(contains("Open this URL").not());
    assert_eq!(s.browser_log(), "", "the browser was started");
}

#[test]
fn a_port_in_use_says_so_and_suggests_port() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let _taken = std::net::TcpListener::bind(("127.0.0.1", s.port)).expect("bind");
    s.login()
        .assert()
        .code(3)
        .stderr(contains(format!(
            "port {} on 127.0.0.1 is already in use",
            s.port
        )))
        .stderr(contains("--port"));
}

#[test]
fn the_login_timeout_has_its_own_exit_code() {
    // The user never answers the consent page.
    let s = Setup::new("hub", &[]);
    s.login()
        .env("FAKE_BROWSER_DECISION", "ignore")
        .args(["--login-timeout", "1s"])
        .assert()
        .code(7)
        .stderr(contains("no redirect arrived within 1s"));
    assert!(s.browser_done().contains("CONSENT ignored"));
    assert!(s.session("default").is_none());
}

#[test]
fn json_output_and_no_secret_in_any_output_even_with_trace() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let out = s
        .login()
        .args(["--json", "--trace"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["provider"], "hub");
    assert_eq!(v["profile"], "default");
    assert_eq!(v["subject"], "alice@example.com");
    assert_eq!(v["store"], "file");
    assert_eq!(v["refreshable"], true);
    assert!(v["expires_in"].as_i64().unwrap() > 3000);
    let session = s.session("default").unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("POST "), "no trace: {all}");
    for secret in [
        session.tokens.access_token.expose(),
        session.tokens.refresh_token.as_ref().unwrap().expose(),
    ] {
        assert!(!all.contains(secret), "a token leaked: {all}");
    }
    // Nor the code or the verifier: the token request's body is redacted.
    assert!(all.contains("code=[redacted:"), "{all}");
    assert!(all.contains("code_verifier=[redacted:"), "{all}");
}

#[test]
fn profiles_status_and_logout() {
    let s = Setup::new("hub", &["--auto-approve"]);
    login_ok(&s);
    s.login().args(["--profile", "work"]).assert().code(0);
    let out = s.cmd().arg("status").assert().code(0).get_output().clone();
    let table = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[0].contains("PROVIDER") && lines[0].contains("STORE"));
    for (line, profile) in [(lines[1], "default"), (lines[2], "work")] {
        for want in [
            "hub",
            profile,
            "alice@example.com",
            "profile:read teams:read",
            "yes",
            "file",
        ] {
            assert!(line.contains(want), "{want:?} missing in {line:?}");
        }
        assert!(
            line.contains("in 60 min") || line.contains("in 59 min"),
            "{line:?}"
        );
    }
    let out = s
        .cmd()
        .args(["status", "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[1]["profile"], "work");
    assert_eq!(v[1]["store"], "file");
    assert_eq!(v[1]["expired"], false);
    // Filters.
    let out = s
        .cmd()
        .args(["status", "--json", "--profile", "work"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    s.cmd()
        .args(["status", "-p", "chatwork"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("No sessions for chatwork"));
    // Logout of one profile.
    s.cmd()
        .args(["logout", "-p", "hub", "--profile", "work"])
        .assert()
        .code(0)
        .stderr(contains("Logged out of hub (profile work)"));
    assert!(!s.session_file("work").exists());
    assert!(s.session_file("default").exists());
    let out = s
        .cmd()
        .args(["status", "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["profile"], "default");
    // Again: nothing to do, not an error.
    s.cmd()
        .args(["logout", "-p", "hub", "--profile", "work"])
        .assert()
        .code(0)
        .stderr(contains("nothing to do"));
    s.cmd()
        .args(["status", "--profile", "../x"])
        .assert()
        .code(2)
        .stderr(contains("invalid profile name"));
}

fn introspect_active(s: &Setup, token: &str) -> bool {
    let r = support::mock::post_form(
        &s.mock.url("/introspect"),
        &[("token", token)],
        &[(
            "Authorization",
            &support::mock::basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["active"] == true
}

#[test]
fn logout_revokes_at_the_server_first() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let session = login_ok(&s);
    assert_eq!(session.subject.as_deref(), Some("alice@example.com"));
    assert!(session.tokens.id_token.is_some());
    let at = session.tokens.access_token.expose().to_string();
    assert!(introspect_active(&s, &at));
    s.cmd()
        .args(["logout", "-p", "oidc"])
        .assert()
        .code(0)
        .stderr(contains(
            "after revoking its refresh token and access token",
        ));
    assert_eq!(s.mock_hits("/revoke"), 2, "{}", s.mock_log());
    assert!(
        !introspect_active(&s, &at),
        "the access token is still active"
    );
    assert!(s.session("default").is_none());
}

#[test]
fn logout_no_revoke_only_deletes() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let session = login_ok(&s);
    let at = session.tokens.access_token.expose().to_string();
    s.cmd()
        .args(["logout", "-p", "oidc", "--no-revoke"])
        .assert()
        .code(0)
        .stderr(contains("Logged out of oidc"));
    assert_eq!(s.mock_hits("/revoke"), 0);
    assert!(introspect_active(&s, &at));
    assert!(!s.session_file("default").exists());
}

#[cfg(unix)]
#[test]
fn session_files_others_can_read_or_symlinks_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new("oidc", &["--auto-approve"]);
    login_ok(&s);
    let file = s.session_file("default");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    s.cmd()
        .args(["logout", "-p", "oidc"])
        .assert()
        .code(8)
        .stderr(contains("open to other users (mode 0644)"));
    // Moved away and replaced by a link to it: refused too, even with a private target.
    let moved = file.with_extension("moved");
    std::fs::rename(&file, &moved).unwrap();
    std::fs::set_permissions(&moved, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink(&moved, &file).unwrap();
    s.cmd()
        .args(["logout", "-p", "oidc"])
        .assert()
        .code(8)
        .stderr(contains("symbolic link"));
    assert_eq!(s.mock_hits("/revoke"), 0);
}

#[cfg(unix)]
#[test]
fn ctrl_c_ends_the_login_cleanly() {
    // The user walks away from the consent page, then presses Ctrl-C.
    let s = Setup::new("hub", &[]);
    let browser = flow::fake_browser();
    let p = Interactive::start_with(
        &s,
        &["login", "-p", "hub", "--browser", browser.to_str().unwrap()],
        &[("FAKE_BROWSER_DECISION", "ignore")],
    );
    p.authorization_url();
    assert!(s.browser_done().contains("CONSENT ignored"));
    let pid = p.child.id() as i32;
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let (code, stdout, stderr) = p.finish();
    assert_eq!(code, 130, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("login cancelled (Ctrl-C); nothing was stored"),
        "{stderr}"
    );
    assert!(s.session("default").is_none());
}

#[test]
fn a_refused_code_exchange_is_explained_in_the_terminal_and_the_browser() {
    let s = Setup::new(
        "hub",
        &["--auto-approve", "--fail-token-with", "invalid_grant"],
    );
    s.login()
        .assert()
        .code(5)
        .stderr(contains(
            "the token request to RegardingWork Hub failed (400 Bad Request): invalid_grant",
        ))
        // The diagnosis weighs the flow's evidence: nothing usual fits an injected
        // refusal, and it says what it ruled out.
        .stderr(contains(
            "hint: invalid_grant: the server refused the grant itself",
        ))
        .stderr(contains("none of the usual causes fits the evidence"))
        .stderr(contains(
            "ruled out: redirect_uri is the same at both requests",
        ))
        .stderr(contains(
            "ruled out: S256 of the verifier sent equals the challenge sent",
        ));
    let log = s.browser_done();
    assert!(log.contains("PAGE 400 Login failed"), "{log}");
    assert!(s.session("default").is_none());
}

#[test]
fn onboardbase_errors_array_and_a_proxy_page_are_explained() {
    let s = Setup::new(
        "onboardbase",
        &["--auto-approve", "--fail-token-with", "invalid_grant"],
    );
    s.login()
        .assert()
        .code(5)
        .stderr(contains("failed (400 Bad Request): invalid_grant (1000)"));
    let s = Setup::new("hub", &["--auto-approve", "--fail-token-with", "html-502"]);
    s.login()
        .assert()
        .code(5)
        .stderr(contains(
            "(502 Bad Gateway): http_502: an HTML page: \"502 Bad Gateway\"",
        ))
        .stderr(contains("likely cause: a proxy or gateway in front of"));
}

#[test]
fn the_browser_comes_from_oauthctl_browser_then_browser() {
    for var in ["OAUTHCTL_BROWSER", "BROWSER"] {
        let s = Setup::new("hub", &["--auto-approve"]);
        s.cmd()
            .env(var, flow::fake_browser())
            .args(["login", "-p", "hub", "-v"])
            .assert()
            .code(0)
            .stderr(contains(format!("(from {var})")));
        assert!(s.session("default").is_some(), "{var}");
    }
}

#[test]
fn without_a_display_nothing_is_started_and_the_url_is_printed() {
    // No browser named, no DISPLAY (the environment is cleared), over SSH.
    let s = Setup::new("hub", &[]);
    s.cmd()
        .env("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
        .args(["login", "-p", "hub", "--login-timeout", "1s"])
        .assert()
        .code(7)
        .stderr(contains("Open this URL in a browser"))
        .stderr(contains(format!("{}/api/oauth/authorize?", s.base())))
        .stderr(contains("Not starting a browser"))
        // No device grant at Hub: the redirected URL may be pasted instead.
        .stderr(contains("Paste the URL you are redirected to"));
    // Nothing fetched the authorization URL but the preflight.
    assert_eq!(s.mock_hits("/api/oauth/authorize"), 1, "{}", s.mock_log());
}

#[test]
fn an_iss_parameter_naming_another_server_is_refused() {
    // RFC 9207. The mock sends no `iss`: paste the redirect with one added, first naming
    // another server, then naming the provider's own issuer.
    for other in [true, false] {
        let s = Setup::new("oidc", &["--auto-approve"]);
        let named = if other {
            "https://evil.example".to_string()
        } else {
            s.base().to_string()
        };
        let mut p = Interactive::start(&s, &["login", "-p", "oidc", "--no-browser"]);
        let redirected = flow::redirected_url(&p.authorization_url());
        p.paste(&format!("{redirected}&iss={named}"));
        let (code, _, stderr) = p.finish();
        if other {
            assert_eq!(code, 5, "{stderr}");
            assert!(stderr.contains(&format!("issuer `{named}`")), "{stderr}");
            assert!(stderr.contains("RFC 9207"), "{stderr}");
            assert!(s.session("default").is_none());
            assert_eq!(s.mock_hits("/token"), 0, "the code was exchanged");
        } else {
            assert_eq!(code, 0, "{stderr}");
            assert!(s.session("default").is_some());
        }
    }
}
