//! Sessions in a real OS keyring: gnome-keyring's Secret Service on a private D-Bus
//! session (`dbus-run-session`), unlocked with a non-empty password; and the fallback to
//! the file store when no session bus exists.
//!
//! Needs `dbus-run-session` and `gnome-keyring-daemon`
//! (`apt-get install -y dbus-daemon gnome-keyring`); these tests fail, never skip,
//! when they are missing.

use crate::support;
use crate::support::flow;
use std::path::Path;
use std::process::Command;

use crate::support::flow::Setup;
use predicates::str::contains;

fn require(tool: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "`{tool}` is missing: the keyring tests need a D-Bus session and gnome-keyring (apt-get install -y dbus-daemon gnome-keyring)"
    );
}

/// Runs `script` (sh) inside a fresh D-Bus session with gnome-keyring unlocked; the
/// keyring lives on disk under the test's XDG_DATA_HOME, so a later session with the
/// same password sees the same secrets. `$OAUTHCTL` is the binary with `--config`.
pub(crate) fn in_dbus_session(s: &Setup, name: &str, script: &str) {
    require("dbus-run-session");
    require("gnome-keyring-daemon");
    let run = s.env.path().join("run");
    std::fs::create_dir_all(&run).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let full = format!(
        "set -u\nprintf 'a non-empty password' | gnome-keyring-daemon --unlock --components=secrets > \"$OUT/{name}.gk\" 2>&1 || exit 90\n{script}\n"
    );
    let file = s.env.path().join(format!("{name}.sh"));
    std::fs::write(&file, full).unwrap();
    let oauthctl = format!(
        "{} --config {}",
        assert_cmd::cargo::cargo_bin("oauthctl").display(),
        s.config.display()
    );
    let status = Command::new("dbus-run-session")
        .args(["--", "sh"])
        .arg(&file)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", s.env.path())
        .env("XDG_CONFIG_HOME", s.env.path().join("config"))
        .env("XDG_CACHE_HOME", s.env.path().join("cache"))
        .env("XDG_DATA_HOME", s.env.path().join("data"))
        .env("XDG_STATE_HOME", s.env.path().join("state"))
        .env("XDG_RUNTIME_DIR", &run)
        .env("NO_COLOR", "1")
        .env("OUT", s.env.path())
        .env("OAUTHCTL", oauthctl)
        .env("FAKE_BROWSER", support::fake_browser())
        .output()
        .expect("run dbus-run-session");
    assert!(
        status.status.success(),
        "the D-Bus session script failed: {}\n{}",
        String::from_utf8_lossy(&status.stderr),
        std::fs::read_to_string(s.env.path().join(format!("{name}.gk"))).unwrap_or_default()
    );
}

pub(crate) fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
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
fn keyring_store_second_process_read_list_and_delete() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let out = s.env.path();
    // First D-Bus session: log in into the keyring, then list.
    in_dbus_session(
        &s,
        "first",
        r#"$OAUTHCTL --store keyring login -p oidc --browser "$FAKE_BROWSER" --trace --show-secrets > "$OUT/login.out" 2> "$OUT/login.err"; echo $? > "$OUT/login.rc"
$OAUTHCTL status --json > "$OUT/status1.json" 2> "$OUT/status1.err"; echo $? > "$OUT/status1.rc""#,
    );
    let login_err = read(out, "login.err");
    assert_eq!(read(out, "login.rc").trim(), "0", "{login_err}");
    assert!(
        login_err.contains("stored in the OS keyring"),
        "{login_err}"
    );
    assert!(!login_err.contains("not reachable"), "{login_err}");
    // Nothing secret on disk outside the keyring.
    assert!(!s.session_file("default").exists());
    let status: serde_json::Value = serde_json::from_str(&read(out, "status1.json")).unwrap();
    assert_eq!(status[0]["provider"], "oidc");
    assert_eq!(status[0]["store"], "keyring");
    assert_eq!(status[0]["subject"], "alice@example.com");
    // The token the server issued (shown by --trace --show-secrets), still active.
    let at = login_err
        .split("\"access_token\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("access token in the trace")
        .to_string();
    assert!(introspect_active(&s, &at));

    // Second D-Bus session, a new keyring daemon and new processes: logout reads the
    // tokens from the keyring to revoke them, then deletes the entry.
    in_dbus_session(
        &s,
        "second",
        r#"$OAUTHCTL status --json > "$OUT/status2.json" 2>&1
$OAUTHCTL logout -p oidc > "$OUT/logout.out" 2> "$OUT/logout.err"; echo $? > "$OUT/logout.rc"
$OAUTHCTL --store keyring logout -p oidc > "$OUT/again.out" 2> "$OUT/again.err"; echo $? > "$OUT/again.rc"
$OAUTHCTL status --json > "$OUT/status3.json" 2>&1"#,
    );
    let status: serde_json::Value = serde_json::from_str(&read(out, "status2.json")).unwrap();
    assert_eq!(status[0]["store"], "keyring");
    let logout_err = read(out, "logout.err");
    assert_eq!(read(out, "logout.rc").trim(), "0", "{logout_err}");
    assert!(
        logout_err.contains(
            "deleted the session from the OS keyring after revoking its refresh token and access token"
        ),
        "{logout_err}"
    );
    assert_eq!(s.mock_hits("/revoke"), 2, "{}", s.mock_log());
    assert!(
        !introspect_active(&s, &at),
        "logout did not revoke the token it should have read from the keyring"
    );
    // The keyring entry itself is gone (asked of the keyring, not the index).
    assert_eq!(read(out, "again.rc").trim(), "0");
    assert!(
        read(out, "again.err").contains("nothing to do"),
        "{}",
        read(out, "again.err")
    );
    assert_eq!(read(out, "status3.json").trim(), "[]");
}

#[test]
fn without_a_session_bus_auto_falls_back_to_files_with_a_warning() {
    let s = Setup::new("hub", &["--auto-approve"]);
    // No DBUS_SESSION_BUS_ADDRESS, and $XDG_RUNTIME_DIR/bus does not exist.
    let out = s
        .env
        .cmd()
        .arg("--config")
        .arg(&s.config)
        .env("OAUTHCTL_STORE", "auto")
        .env("FAKE_BROWSER_LOG", &s.browser_log)
        .args(["login", "-p", "hub", "--browser"])
        .arg(support::fake_browser())
        .assert()
        .code(0)
        .stderr(contains(
            "warning: the OS keyring is not reachable: no D-Bus session bus",
        ))
        .stderr(contains("stored in a file"))
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let file = s.session_file("default");
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert_eq!(stderr.matches("not reachable").count(), 1, "{stderr}");
    #[cfg(unix)]
    assert_eq!(flow::mode(&file), 0o600);
    assert!(s.session("default").is_some());
    s.cmd()
        .args(["status", "--json"])
        .assert()
        .code(0)
        .stdout(contains("\"store\": \"file\""));
}

#[test]
fn keyring_required_but_unreachable_is_a_storage_error() {
    let s = Setup::new("hub", &["--auto-approve"]);
    s.env
        .cmd()
        .arg("--config")
        .arg(&s.config)
        .args(["--store", "keyring"])
        .env("FAKE_BROWSER_LOG", &s.browser_log)
        .args(["login", "-p", "hub", "--browser"])
        .arg(support::fake_browser())
        .assert()
        .code(8)
        .stderr(contains(
            "cannot store the session in the OS keyring: no D-Bus session bus",
        ))
        .stderr(contains("--store file"));
    assert!(!s.session_file("default").exists());
    let log = s.browser_done();
    assert!(log.contains("PAGE 400 Login failed"), "{log}");
}
