#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The headless fallback of `oauthctl login`: with DISPLAY, WAYLAND_DISPLAY and BROWSER
//! removed (the test environment is cleared), a server that offers the device grant
//! gets the device flow; one that does not gets paste mode; `--device` and
//! `--no-browser` force one or the other.

#[path = "support/login.rs"]
mod flow;
mod support;

use flow::{decide_device, redirected_url, Interactive, Setup};
use oauthctl::store::Grant;

const DEVICE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Logs in with the device flow approved by the test, as a person on a phone would.
fn device_login(s: &Setup, args: &[&str], envs: &[(&str, &str)]) -> String {
    let p = Interactive::start_with(s, args, envs);
    let (uri, code) = p.device_instructions();
    decide_device(&uri, &code, "approve");
    let (status, stdout, err) = p.finish();
    assert_eq!(status, 0, "{err}");
    assert!(stdout.is_empty());
    err
}

#[test]
fn without_a_display_a_server_with_the_device_grant_gets_the_device_flow() {
    let s = Setup::new("teamwork", &["--device-interval", "0s"]);
    let err = device_login(&s, &["login", "-p", "teamwork"], &[]);
    assert!(
        err.contains("No browser can be opened here: there is no display (DISPLAY and WAYLAND_DISPLAY are not set). Teamwork Cloud offers the device flow, so this login uses it"),
        "{err}"
    );
    assert!(!err.contains("Open this URL in a browser"), "{err}");
    assert_eq!(s.session("default").unwrap().grant, Grant::DeviceCode);
    // Nothing was asked of the authorization endpoint.
    assert_eq!(s.mock_hits("/authentication/oauth2/authorize"), 0);
    assert!(!s.token_requests(DEVICE).is_empty());
}

#[test]
fn over_ssh_or_with_a_display_but_no_opener_the_device_flow_is_chosen_too() {
    let s = Setup::new("oidc", &["--device-interval", "0s"]);
    let err = device_login(
        &s,
        &["login", "-p", "oidc"],
        &[("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")],
    );
    assert!(
        err.contains("No browser can be opened here: this is an SSH session without a display"),
        "{err}"
    );
    let empty = s.env.path().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let err = device_login(
        &s,
        &["login", "-p", "oidc", "--profile", "x11"],
        &[("DISPLAY", ":99"), ("PATH", empty.to_str().unwrap())],
    );
    assert!(
        err.contains("No browser can be opened here: no opener (xdg-open) is installed"),
        "{err}"
    );
    assert_eq!(s.session("x11").unwrap().grant, Grant::DeviceCode);
}

#[test]
fn without_a_display_a_server_without_the_device_grant_gets_paste_mode() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let mut p = Interactive::start(&s, &["login", "-p", "hub"]);
    let url = p.authorization_url();
    p.wait_for("Not starting a browser: there is no display");
    p.wait_for("Paste the URL you are redirected to");
    // The person opens the URL elsewhere and pastes where they were sent.
    let redirected = redirected_url(&url);
    p.paste(&redirected);
    let (status, _, err) = p.finish();
    assert_eq!(status, 0, "{err}");
    assert!(!err.contains("device"), "{err}");
    assert_eq!(
        s.session("default").unwrap().grant,
        Grant::AuthorizationCode
    );
}

#[test]
fn a_device_endpoint_whose_grant_is_not_listed_is_not_used_for_the_fallback() {
    // The config says the server supports only the code grant (it overrides discovery).
    let s = Setup::new("teamwork", &["--auto-approve"]);
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str("grant_types_supported = [\"authorization_code\", \"refresh_token\"]\n");
    std::fs::write(&s.config, text).unwrap();
    let mut p = Interactive::start(&s, &["login", "-p", "teamwork"]);
    let url = p.authorization_url();
    p.wait_for("Paste the URL you are redirected to");
    p.paste(&redirected_url(&url));
    let (status, _, err) = p.finish();
    assert_eq!(status, 0, "{err}");
    assert!(s.token_requests(DEVICE).is_empty());
    assert_eq!(
        s.session("default").unwrap().grant,
        Grant::AuthorizationCode
    );
}

#[test]
fn no_browser_forces_paste_mode_where_the_device_grant_is_offered() {
    let s = Setup::new("teamwork", &["--auto-approve"]);
    let mut p = Interactive::start(&s, &["login", "-p", "teamwork", "--no-browser"]);
    let url = p.authorization_url();
    p.paste(&redirected_url(&url));
    let (status, _, err) = p.finish();
    assert_eq!(status, 0, "{err}");
    assert!(!err.contains("No browser can be opened"), "{err}");
    assert_eq!(s.mock_hits("/authentication/api/oauth2/device_code"), 0);
    assert_eq!(
        s.session("default").unwrap().grant,
        Grant::AuthorizationCode
    );
}

#[test]
fn device_forces_the_device_flow_where_a_browser_could_be_opened() {
    let s = Setup::new("teamwork", &["--device-interval", "0s"]);
    // A browser is named (BROWSER), yet --device logs in with a code; the browser is
    // sent to the verification page and approves there.
    let browser = flow::fake_browser();
    let p = Interactive::start_with(
        &s,
        &["login", "-p", "teamwork", "--device"],
        &[("BROWSER", browser.to_str().unwrap()), ("DISPLAY", ":0")],
    );
    let (status, _, err) = p.finish();
    assert_eq!(status, 0, "{err}");
    assert!(!err.contains("Open this URL in a browser"), "{err}");
    assert!(s
        .browser_done()
        .contains("/authentication/device?user_code="));
    assert_eq!(s.session("default").unwrap().grant, Grant::DeviceCode);
}
