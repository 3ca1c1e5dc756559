#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl login --device` (RFC 8628) against `oauthctl mock -p teamwork` and
//! `-p oidc`: the code, URI and QR code shown, the browser opened, polling through
//! `authorization_pending` and `slow_down`, denial and expiry of the device code, and
//! `token` / `refresh` on the session.

#[path = "support/login.rs"]
mod flow;
mod support;

use std::time::Duration;

use flow::{decide_device, record_time, Interactive, Setup};
use oauthctl::store::Grant;
use predicates::str::contains;

const DEVICE: &str = "urn:ietf:params:oauth:grant-type:device_code";

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// `token` and `refresh` work on the stored session (both presets rotate or keep the
/// refresh token; either way a new access token comes back).
fn token_and_refresh_work(s: &Setup) {
    let stored = s.session("default").expect("session");
    let out = s.cmd().args(["token", "-p", &s.provider]).assert().code(0);
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        format!("{}\n", stored.tokens.access_token.expose())
    );
    s.cmd()
        .args(["refresh", "-p", &s.provider])
        .assert()
        .code(0)
        .stderr(contains("Refreshed"));
    let after = s.session("default").expect("session");
    assert_ne!(after.tokens.access_token, stored.tokens.access_token);
    assert_eq!(after.grant, Grant::DeviceCode, "the grant is kept");
    assert_eq!(s.token_requests("refresh_token").len(), 1);
}

#[test]
fn teamwork_device_login_shows_code_uri_and_qr_opens_the_browser_and_stores_the_session() {
    let s = Setup::new("teamwork", &["--device-interval", "0s"]);
    let out = s.login().arg("--device").assert().code(0);
    let err = stderr_of(&out);
    let base = format!("{}/authentication/device", s.base());
    assert!(err.contains(&format!("\n  {base}\n")), "{err}");
    assert!(err.contains("and enter the code"), "{err}");
    assert!(err.contains("expires in 10 min"), "{err}");
    // The QR code of verification_uri_complete, in half blocks.
    assert!(
        err.contains(&format!(
            "Or scan this QR code, which opens {base}?user_code="
        )),
        "{err}"
    );
    assert!(err.contains('▀') && err.contains('▄'), "{err}");
    assert!(err.contains("(device authorization)"), "{err}");
    // The browser was sent to the complete URI and approved there.
    let browser = s.browser_done();
    assert!(
        browser.contains(&format!("GET {base}?user_code=")),
        "{browser}"
    );
    assert!(
        browser.contains("Device approved You can return to your device"),
        "{browser}"
    );

    let session = s.session("default").expect("session");
    assert_eq!(session.grant, Grant::DeviceCode);
    assert!(session.tokens.refresh_token.is_some());
    assert!(!err.contains(session.tokens.access_token.expose()));
    // Teamwork authenticates clients with Basic only, at both endpoints.
    let records = s.mock_records();
    let authz = records
        .iter()
        .find(|r| r["path"] == "/authentication/api/oauth2/device_code")
        .expect("a device authorization request");
    assert_eq!(authz["client_auth"], "basic");
    let polls = s.token_requests(DEVICE);
    assert!(!polls.is_empty());
    assert!(
        polls.iter().all(|r| r["client_auth"] == "basic"),
        "{polls:?}"
    );
    assert_eq!(polls.last().unwrap()["status"], 200);
    token_and_refresh_work(&s);
}

#[test]
fn oidc_device_login_keeps_polling_while_pending_until_a_person_approves() {
    let s = Setup::new("oidc", &["--device-interval", "0s"]);
    // No browser can be opened (no display): the person uses another device.
    let p = Interactive::start(&s, &["login", "-p", "oidc", "--device", "-v"]);
    let (uri, code) = p.device_instructions();
    assert_eq!(uri, format!("{}/device", s.base()));
    // Polling goes on while the code waits for approval.
    for _ in 0..200 {
        let pending = s
            .token_requests(DEVICE)
            .iter()
            .filter(|r| r["error"] == "authorization_pending")
            .count();
        if pending >= 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    decide_device(&uri, &code, "approve");
    let (status, stdout, err) = p.finish();
    assert_eq!(status, 0, "{err}");
    assert!(stdout.is_empty());
    assert!(
        err.contains("not approved yet (authorization_pending"),
        "{err}"
    );
    let polls = s.token_requests(DEVICE);
    let pending = polls
        .iter()
        .filter(|r| r["error"] == "authorization_pending")
        .count();
    assert!(pending >= 3, "{polls:?}");
    assert_eq!(polls.last().unwrap()["status"], 200);
    assert!(
        polls.iter().all(|r| r["error"] != "slow_down"),
        "the client never polls faster than asked: {polls:?}"
    );
    let session = s.session("default").expect("session");
    assert_eq!(session.grant, Grant::DeviceCode);
    // OpenID Connect: an ID token, and the user found by userinfo.
    assert!(session.tokens.id_token.is_some());
    assert_eq!(session.subject.as_deref(), Some("alice@example.com"));
    assert!(err.contains("Logged in to OpenID Connect provider (oauthctl mock) as alice@example.com (device authorization)"), "{err}");
    token_and_refresh_work(&s);
}

#[test]
fn slow_down_adds_five_seconds_and_the_servers_interval_is_waited_before_polling() {
    let s = Setup::new(
        "teamwork",
        &[
            "--device-interval",
            "1s",
            "--fail-token-with",
            "slow_down",
            "--fail-token-count",
            "1",
        ],
    );
    let out = s.login().arg("--device").assert().code(0);
    let err = stderr_of(&out);
    assert!(
        err.contains("asked to poll more slowly (slow_down): now every 6 s"),
        "{err}"
    );
    let records = s.mock_records();
    let authorized = records
        .iter()
        .find(|r| r["path"] == "/authentication/api/oauth2/device_code")
        .expect("device authorization");
    let polls = s.token_requests(DEVICE);
    assert_eq!(polls.len(), 2, "{polls:?}");
    assert_eq!(polls[0]["error"], "slow_down");
    assert_eq!(polls[1]["status"], 200);
    // The first poll waited the server's interval (1 s); after slow_down, 1 + 5 s.
    let first = record_time(&polls[0])
        .duration_since(record_time(authorized))
        .unwrap();
    assert!(first >= Duration::from_millis(950), "{first:?}");
    let second = record_time(&polls[1])
        .duration_since(record_time(&polls[0]))
        .unwrap();
    assert!(second >= Duration::from_millis(5950), "{second:?}");
    assert_eq!(
        s.session("default").expect("session").grant,
        Grant::DeviceCode
    );
}

#[test]
fn a_denied_device_login_stops_polling_and_says_why() {
    let s = Setup::new("teamwork", &["--device-interval", "0s"]);
    let out = s
        .login()
        .arg("--device")
        .env("FAKE_BROWSER_DECISION", "deny")
        .assert()
        .code(5)
        .stderr(contains(
            "the login was denied at Teamwork Cloud: access_denied",
        ))
        .stderr(contains("nothing was stored"))
        .stderr(contains("oauthctl login -p teamwork --device"));
    assert!(s.session("default").is_none());
    let polls = s.token_requests(DEVICE);
    assert_eq!(
        polls.last().unwrap()["error"],
        "access_denied",
        "{}",
        stderr_of(&out)
    );
    // No poll after the refusal.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(s.token_requests(DEVICE).len(), polls.len());
}

#[test]
fn the_mock_denying_every_request_is_a_denial_too() {
    let s = Setup::new("oidc", &["--device-interval", "0s", "--deny"]);
    let p = Interactive::start(&s, &["login", "-p", "oidc", "--device"]);
    let (status, _, err) = p.finish();
    assert_eq!(status, 5, "{err}");
    assert!(err.contains("access_denied"), "{err}");
}

#[test]
fn expired_token_from_the_server_stops_polling_with_exit_7() {
    // The mock runs in this process, so that its clock can jump past the code's life.
    let env = support::Env::new();
    let log = env.path().join("mock.log");
    let mock = oauthctl::mock::start_in_thread(oauthctl::mock::MockOptions {
        provider: "teamwork".into(),
        device_interval: Duration::ZERO,
        log: Some(log.clone()),
        ..Default::default()
    })
    .expect("mock");
    let config = env.path().join("mock.toml");
    std::fs::write(&config, mock.config_toml()).unwrap();
    let mut cmd = support::mock::std_cmd(&env);
    cmd.arg("--config")
        .arg(&config)
        .args(["--store", "file", "login", "-p", "teamwork", "--device"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("spawn");
    // Wait until it polls, then let ten minutes and a bit pass on the mock's clock.
    for _ in 0..400 {
        if std::fs::read_to_string(&log).is_ok_and(|l| l.contains("authorization_pending")) {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    mock.advance_clock(Duration::from_secs(601));
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(
        err.contains("the device code expired before the login was approved (it was valid 10 min): Teamwork Cloud answered expired_token"),
        "{err}"
    );
    assert!(
        err.contains("hint: run `oauthctl login -p teamwork --device` again"),
        "{err}"
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.lines().last().unwrap().contains("expired_token"),
        "{text}"
    );
}

#[test]
fn a_code_past_its_expires_in_is_given_up_by_the_client() {
    let s = Setup::new(
        "oidc",
        &["--device-interval", "0s", "--device-code-ttl", "1s"],
    );
    let p = Interactive::start(&s, &["login", "-p", "oidc", "--device"]);
    let (status, _, err) = p.finish();
    assert_eq!(status, 7, "{err}");
    assert!(
        err.contains("the device code expired before the login was approved (it was valid 1 s): its lifetime is over"),
        "{err}"
    );
    assert!(s.session("default").is_none());
    // Every poll the client made was before the deadline: none was refused as expired.
    let polls = s.token_requests(DEVICE);
    assert!(!polls.is_empty());
    assert!(
        polls.iter().all(|r| r["error"] == "authorization_pending"),
        "{polls:?}"
    );
}

#[test]
fn device_login_needs_a_device_authorization_endpoint() {
    let s = Setup::new("hub", &[]);
    s.cmd()
        .args(["login", "-p", "hub", "--device"])
        .assert()
        .code(3)
        .stderr(contains("offers no device authorization endpoint"))
        .stderr(contains("--no-browser"));
    assert_eq!(s.mock_hits("/api/oauth/token"), 0);
}

#[test]
fn device_and_no_browser_or_a_loopback_port_do_not_mix() {
    let s = Setup::new("teamwork", &[]);
    for extra in [&["--no-browser"][..], &["--port", "8000"], &["--password"]] {
        s.cmd()
            .args(["login", "-p", "teamwork", "--device"])
            .args(extra)
            .assert()
            .code(2)
            .stderr(contains("cannot be used with"));
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_polling_ends_the_device_login_cleanly() {
    let s = Setup::new("teamwork", &["--device-interval", "0s"]);
    let p = Interactive::start(&s, &["login", "-p", "teamwork", "--device"]);
    p.device_instructions();
    for _ in 0..200 {
        if !s.token_requests(DEVICE).is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let pid = p.child.id() as i32;
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let (code, stdout, err) = p.finish();
    assert_eq!(code, 130, "{err}");
    assert!(stdout.is_empty());
    assert!(
        err.contains("login cancelled (Ctrl-C); nothing was stored"),
        "{err}"
    );
    assert!(s.session("default").is_none());
}

#[test]
fn device_login_trace_shows_numbered_steps_and_token_params_go_with_every_poll() {
    let s = Setup::new("teamwork", &["--device-interval", "0s"]);
    let out = s
        .login()
        .args(["--device", "--trace", "--token-param", "tenant=acme"])
        .assert()
        .code(0);
    let err = stderr_of(&out);
    assert!(
        err.contains("── step 1/3 · device authorization: POST "),
        "{err}"
    );
    assert!(err.contains("── step 2/3 · approval: polling "), "{err}");
    assert!(
        err.contains("── step 2/3 · approval: approved: tokens received"),
        "{err}"
    );
    assert!(err.contains("── step 3/3 · session: "), "{err}");
    assert!(err.contains("session stored"), "{err}");
    // The device code poll carried the extra parameter.
    assert!(err.contains("tenant=acme"), "{err}");
    assert_eq!(
        s.session("default").expect("session").grant,
        Grant::DeviceCode
    );
}
