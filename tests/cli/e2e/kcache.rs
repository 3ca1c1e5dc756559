//! The kernel keyring cache (issue 19 part 1) in front of the real Secret Service
//! (gnome-keyring under dbus-run-session, as the rest of the e2e suite): `oauthctl mock -p
//! oidc` issues the tokens, sessions go to `--store keyring`, and a command whose D-Bus
//! address leads nowhere can only have its token from the kernel keyring. Covered: a hit
//! (`token`, `header` with the Secret Service gone; what the entry holds), expiry by the
//! kernel, invalidation by `logout` and by `refresh`, a stale entry after another process
//! refreshed (the index's version), a DPoP-bound session never cached, `--no-cache` /
//! `OAUTHCTL_KEYRING_CACHE=0`, and the silent fallback when the kernel refuses keyutils
//! (a seccomp filter, examples/no_keyutils.rs).

use std::ffi::CString;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::harness::KeyringSession;
use crate::support::fake_browser;
use crate::support::flow::Setup;

/// A D-Bus address where nothing listens: the Secret Service is unreachable.
const NO_BUS: &str = "unix:path=/nonexistent/oauthctl-test-bus";

struct Cached {
    s: Setup,
    keyring: KeyringSession,
}

impl Cached {
    fn new(mock_args: &[&str]) -> Cached {
        let mut args = vec!["--auto-approve"];
        args.extend_from_slice(mock_args);
        let s = Setup::new("oidc", &args);
        let keyring = KeyringSession::start(&s.env);
        Cached { s, keyring }
    }

    /// `oauthctl --config … --store keyring ARGS` on the test's Secret Service.
    fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = self.s.env.cmd();
        c.arg("--config")
            .arg(&self.s.config)
            .args(["--store", "keyring"])
            .args(args);
        self.keyring.apply(&mut c);
        c
    }

    /// The same with the Secret Service out of reach.
    fn cmd_without_secret_service(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = self.cmd(args);
        c.env("DBUS_SESSION_BUS_ADDRESS", NO_BUS);
        c
    }

    fn out(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "oauthctl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A browser login (refresh and ID tokens come with it).
    fn login(&self) {
        self.login_with(&[]);
    }

    fn login_with(&self, extra: &[&str]) {
        let mut c = self.cmd(&["login", "-p", "oidc", "--browser"]);
        c.arg(fake_browser())
            .args(extra)
            .env("FAKE_BROWSER_LOG", &self.s.browser_log);
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The kernel key's description for this test's store and session.
    fn description(&self) -> String {
        let dir: PathBuf = self.s.env.path().join("data").join("oauthctl");
        let digest = Sha256::digest(dir.as_os_str().as_encoded_bytes());
        let ns: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("oauthctl:{ns}:oidc+default")
    }

    /// The line of /proc/keys for the entry while it is live (the kernel lists an
    /// invalidated or expired key until its garbage collector runs: flag `i`, timeout
    /// `expd`).
    fn proc_line(&self) -> Option<String> {
        let desc = self.description();
        std::fs::read_to_string("/proc/keys")
            .unwrap()
            .lines()
            .filter(|l| l.contains(&format!(" {desc}:")))
            .find(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                !cols[1].contains(['i', 'R', 'D']) && cols[3] != "expd"
            })
            .map(str::to_string)
    }

    /// The entry's payload, read as another process of the user would.
    fn payload(&self) -> Option<String> {
        let desc = CString::new(self.description()).unwrap();
        // SAFETY: NUL-terminated strings and a buffer valid for its length.
        unsafe {
            let id = libc::syscall(libc::SYS_keyctl, 10, -4, c"user".as_ptr(), desc.as_ptr(), 0);
            if id <= 0 {
                return None;
            }
            let mut buf = vec![0u8; 65536];
            let n = libc::syscall(libc::SYS_keyctl, 11, id, buf.as_mut_ptr(), buf.len());
            buf.truncate(usize::try_from(n).ok()?);
            Some(String::from_utf8(buf).unwrap())
        }
    }

    fn stored_access(&self) -> String {
        self.out(&["--no-cache", "token", "-p", "oidc"])
            .trim()
            .to_string()
    }
}

#[test]
fn a_valid_token_comes_from_the_kernel_keyring_when_the_secret_service_is_gone() {
    let c = Cached::new(&[]);
    c.login();
    let token = c.stored_access();
    // The login put it there, with the token's lifetime as the kernel's timeout.
    let line = c.proc_line().expect("a kernel keyring entry after login");
    assert!(
        line.contains("59m") || line.contains("60m") || line.contains(" 1h"),
        "{line}"
    );
    let out = c
        .cmd_without_secret_service(&["token", "-p", "oidc"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), token);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = c
        .cmd_without_secret_service(&["header", "-p", "oidc"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("Authorization: Bearer {token}")
    );
    // So do the credential helpers of git and kubectl, and `run`.
    let out = c
        .cmd_without_secret_service(&["git-credential", "-p", "oidc", "get"])
        .write_stdin("protocol=https\nhost=git.example\n\n")
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&out.stdout);
    assert!(
        answer.contains(&format!("password={token}\n")),
        "{answer}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = c
        .cmd_without_secret_service(&["kubectl-credential", "-p", "oidc"])
        .output()
        .unwrap();
    let cred: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(cred["status"]["token"], token.as_str());
    let out = c
        .cmd_without_secret_service(&[
            "run",
            "-p",
            "oidc",
            "--",
            "sh",
            "-c",
            "printf %s \"$OAUTH_TOKEN\"",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), token);

    // It holds the access token and nothing else secret.
    let payload = c
        .payload()
        .expect("readable by another process of the user");
    assert!(payload.contains(&token));
    let inspect = c.out(&["inspect", "-p", "oidc", "--json", "--show-secrets"]);
    let v: serde_json::Value = serde_json::from_str(&inspect).unwrap();
    let refresh = v["tokens"]["refresh_token"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no refresh token in {v}"));
    assert!(
        !payload.contains(refresh),
        "the refresh token must not be cached"
    );
    assert!(
        !payload.contains("id_token\":\"ey"),
        "the ID token must not be cached: {payload}"
    );

    // Turned off, the token needs the Secret Service.
    c.cmd_without_secret_service(&["--no-cache", "token", "-p", "oidc"])
        .assert()
        .failure();
    c.cmd_without_secret_service(&["token", "-p", "oidc"])
        .env("OAUTHCTL_KEYRING_CACHE", "0")
        .assert()
        .failure();
}

/// A DPoP-bound token is useless without the session's private key, which never goes to
/// the kernel keyring: such a session is not cached, so `token` needs the Secret Service.
#[test]
fn a_dpop_bound_session_is_not_cached() {
    let c = Cached::new(&[]);
    c.login_with(&["--dpop"]);
    assert!(
        c.proc_line().is_none(),
        "a kernel key for a DPoP-bound session"
    );
    assert!(c.payload().is_none());
    let json: serde_json::Value =
        serde_json::from_str(&c.out(&["--json", "token", "-p", "oidc"])).unwrap();
    assert_eq!(json["token_type"], "DPoP", "{json}");
    c.cmd_without_secret_service(&["token", "-p", "oidc"])
        .assert()
        .failure();
    assert!(c.proc_line().is_none());
}

#[test]
fn the_kernel_drops_the_entry_when_the_token_expires() {
    let c = Cached::new(&["--access-ttl", "3s"]);
    c.login();
    assert!(c.proc_line().is_some(), "cached after login");
    std::thread::sleep(std::time::Duration::from_millis(4500));
    assert_eq!(c.proc_line(), None, "the kernel timed the entry out");
    assert_eq!(c.payload(), None);
}

#[test]
fn logout_and_refresh_replace_the_entry() {
    let c = Cached::new(&[]);
    c.login();
    let before = c.stored_access();
    c.out(&["refresh", "-p", "oidc"]);
    let after = c.stored_access();
    assert_ne!(before, after);
    let out = c
        .cmd_without_secret_service(&["token", "-p", "oidc"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        after,
        "the refresh's token"
    );
    assert!(!c.payload().unwrap().contains(&before));

    c.out(&["logout", "-p", "oidc"]);
    assert_eq!(c.proc_line(), None, "logout drops the entry");
    c.cmd_without_secret_service(&["token", "-p", "oidc"])
        .assert()
        .failure();
}

#[test]
fn an_entry_left_behind_by_a_refresh_elsewhere_is_not_used() {
    let c = Cached::new(&[]);
    c.login();
    let old = c.stored_access();
    assert!(c.payload().unwrap().contains(&old));
    // Another process refreshes without the cache (it leaves the old entry in place).
    let out = c
        .cmd(&["refresh", "-p", "oidc"])
        .env("OAUTHCTL_KEYRING_CACHE", "0")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        c.payload().unwrap().contains(&old),
        "the stale entry is still there"
    );
    // The index's version says it is stale: `token` reads the Secret Service.
    let now = c.out(&["token", "-p", "oidc"]).trim().to_string();
    assert_ne!(now, old);
    assert!(
        c.payload().unwrap().contains(&now),
        "and caches the current token"
    );
}

#[test]
fn where_the_kernel_refuses_keyutils_oauthctl_falls_back_silently() {
    let c = Cached::new(&[]);
    let wrapper =
        fake_browser().with_file_name(format!("no_keyutils{}", std::env::consts::EXE_SUFFIX));
    let wrapped = |args: &[&str], bus: Option<&str>| {
        let mut cmd = assert_cmd::Command::new(&wrapper);
        cmd.env_clear().envs(c.s.env.vars());
        cmd.env(
            "DBUS_SESSION_BUS_ADDRESS",
            bus.unwrap_or(&c.keyring.bus_address),
        );
        cmd.arg(assert_cmd::cargo::cargo_bin("oauthctl"))
            .arg("--config")
            .arg(&c.s.config)
            .args(["--store", "keyring"])
            .args(args);
        cmd
    };
    let out = wrapped(
        &[
            "login",
            "-p",
            "oidc",
            "--client-credentials",
            "--scope",
            "profile",
        ],
        None,
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(c.proc_line(), None, "nothing was cached");
    let out = wrapped(&["token", "-p", "oidc"], None).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "silent: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        c.stored_access()
    );
    // Unwrapped, `token` caches it; wrapped, the entry cannot be read: the Secret
    // Service is needed.
    c.out(&["token", "-p", "oidc"]);
    assert!(c.proc_line().is_some());
    c.cmd_without_secret_service(&["token", "-p", "oidc"])
        .assert()
        .success();
    wrapped(&["token", "-p", "oidc"], Some(NO_BUS))
        .assert()
        .failure();
}
