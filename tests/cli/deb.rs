//! The Debian package, built and installed as the README says: one test, because the
//! build is the costly part. `scripts/package-deb.sh` builds it with the `deb-check`
//! profile (the same package as `--release` makes, unoptimised, so the test takes
//! minutes, not many); `dpkg -i`, then `man -w oauthctl-login`, the bash completion as
//! an interactive bash with bash-completion loads it, `/usr/bin/oauthctl --version`,
//! the zsh and fish completions and the doc files in place; `dpkg -r` removes it all.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::support::kit::{dpkg_installed, readme_block, require_package};

fn sh(line: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PACKAGE_DEB_PROFILE", "deb-check")
        .output()
        .unwrap()
}

/// Removes the package however the test ends.
struct Remove;

impl Drop for Remove {
    fn drop(&mut self) {
        if dpkg_installed("oauthctl") {
            let _ = Command::new("dpkg").args(["-r", "oauthctl"]).output();
        }
    }
}

#[test]
fn the_debian_package_builds_installs_and_removes() {
    require_package("dpkg", "/usr/bin/dpkg");
    require_package("man-db", "/usr/bin/man");
    require_package(
        "bash-completion",
        "/usr/share/bash-completion/bash_completion",
    );
    let root = unsafe { libc::geteuid() } == 0;
    assert!(root, "dpkg -i needs root: run the tests as root (CI does)");
    assert!(
        !dpkg_installed("oauthctl"),
        "an oauthctl package is already installed: remove it first (dpkg -r oauthctl)"
    );
    let lines: Vec<String> = readme_block("deb")
        .lines()
        .map(|l| l.trim_start_matches("sudo ").to_string())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], "scripts/package-deb.sh");
    let started = Instant::now();
    let build = sh(&lines[0]);
    assert!(build.status.success(), "{build:?}");
    eprintln!(
        "scripts/package-deb.sh (profile deb-check) took {:.0?}",
        started.elapsed()
    );
    let deb = String::from_utf8_lossy(&build.stdout).trim().to_string();
    assert!(deb.ends_with(".deb") && Path::new(&deb).exists(), "{deb}");

    let _remove = Remove;
    let install = sh(&lines[1]);
    assert!(install.status.success(), "{install:?}");
    assert!(dpkg_installed("oauthctl"));

    let man = Command::new("man")
        .args(["-w", "oauthctl-login"])
        .output()
        .unwrap();
    assert!(man.status.success(), "{man:?}");
    assert!(
        String::from_utf8_lossy(&man.stdout).starts_with("/usr/share/man/man1/oauthctl-login.1")
    );

    let version = Command::new("/usr/bin/oauthctl")
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("oauthctl {}", env!("CARGO_PKG_VERSION"))
    );

    // An interactive bash of a new user (Debian's /etc/skel/.bashrc enables
    // bash-completion), which loads a command's completion on its first Tab: the loader
    // that Tab calls, then `complete -p`.
    let home = tempfile::tempdir().unwrap();
    std::fs::copy("/etc/skel/.bashrc", home.path().join(".bashrc")).unwrap();
    let bash = Command::new("bash")
        .args(["-ic", "_completion_loader oauthctl; complete -p oauthctl"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "dumb")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&bash.stdout);
    assert!(bash.status.success(), "{bash:?}");
    assert!(shown.contains("-F _oauthctl oauthctl"), "{shown}");

    for f in [
        "/usr/share/bash-completion/completions/oauthctl",
        "/usr/share/zsh/vendor-completions/_oauthctl",
        "/usr/share/fish/vendor_completions.d/oauthctl.fish",
        "/usr/share/doc/oauthctl/README.md",
        "/usr/share/doc/oauthctl/LICENSE-MIT",
        "/usr/share/doc/oauthctl/LICENSE-APACHE",
        "/usr/share/doc/oauthctl/copyright",
    ] {
        assert!(Path::new(f).exists(), "{f} is missing");
    }

    let remove = Command::new("dpkg")
        .args(["-r", "oauthctl"])
        .output()
        .unwrap();
    assert!(remove.status.success(), "{remove:?}");
    assert!(!dpkg_installed("oauthctl"));
    assert!(!Path::new("/usr/bin/oauthctl").exists());
    assert!(!Path::new("/usr/share/bash-completion/completions/oauthctl").exists());
}
