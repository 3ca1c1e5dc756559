//! Harness of the second real server: django-oauth-toolkit (PyPI), e2e/dot/server.py run
//! by the virtual environment e2e/dot/.venv that `scripts/e2e-setup.sh` installs from
//! e2e/dot/requirements.txt (pinned, with hashes). Like the rest of the suite nothing is
//! skipped: a missing or stale environment FAILS the test with the setup hint.
//!
//! [`start_dot`] starts one server on a free port and returns a [`Provider`] (the harness's
//! handle: `.issuer` is `http://127.0.0.1:PORT/o`, `.url(path)` appends to it, `.log()` has
//! one `METHOD PATH STATUS` line per request and an `AUTHORIZE client_id=… nonce=…` line per
//! authorization request). The clients, account and endpoints are the constants below,
//! documented in e2e/dot/server.py.

use std::path::PathBuf;
use std::process::Command;

use sha2::Digest;

use super::harness::{e2e_dir, require_e2e_deps, start_server, Provider};

/// The public native client (PKCE, http://127.0.0.1/callback on any port, consent page).
pub const DOT_NATIVE: &str = "oauthctl-native";
/// Public clients whose ID tokens carry a wrong `aud` / a wrong `nonce` (signed by DOT).
pub const DOT_WRONG_AUD: &str = "oauthctl-wrong-aud";
pub const DOT_WRONG_NONCE: &str = "oauthctl-wrong-nonce";
/// The `aud` and `nonce` those clients' ID tokens carry.
pub const DOT_BAD_AUD: &str = "someone-else";
pub const DOT_BAD_NONCE: &str = "not-the-nonce-sent";
/// Confidential client (authorization code; client_secret_basic), allowed to introspect.
pub const DOT_BASIC: &str = "oauthctl-basic";
pub const DOT_BASIC_SECRET: &str = "e2e-basic-secret-0123456789abcdef";
/// Public client of the device authorization grant (RFC 8628).
pub const DOT_DEVICE: &str = "oauthctl-device";
/// Confidential client of the client-credentials grant.
pub const DOT_SERVICE: &str = "oauthctl-service";
pub const DOT_SERVICE_SECRET: &str = "e2e-service-secret-0123456789abcdef";
/// The account; DOT's `sub` is the user's primary key.
pub const DOT_USER: &str = "alice";
pub const DOT_SUB: &str = "1";
pub const DOT_EMAIL: &str = "alice@example.com";
pub const DOT_NAME: &str = "Alice Example";
/// Endpoints under the issuer (http://127.0.0.1:PORT/o).
pub const DOT_TOKEN: &str = "/token/";
pub const DOT_INTROSPECT: &str = "/introspect/";
pub const DOT_REVOKE: &str = "/revoke_token/";
pub const DOT_USERINFO: &str = "/userinfo/";
pub const DOT_DEVICE_AUTHORIZATION: &str = "/device-authorization/";

const DOT_HINT: &str = "run scripts/e2e-setup.sh (creates e2e/dot/.venv with python3 -m venv and installs e2e/dot/requirements.txt into it with pip --require-hashes)";

pub fn dot_dir() -> PathBuf {
    e2e_dir().join("dot")
}

fn venv_python() -> PathBuf {
    dot_dir().join(".venv/bin/python")
}

/// Fails the test (never skips it) unless the virtual environment is there and was
/// installed from the current requirements file (the stamp e2e-setup.sh writes).
pub fn require_dot_deps() {
    require_e2e_deps();
    assert!(
        venv_python().exists(),
        "the end-to-end suite needs e2e/dot/.venv (django-oauth-toolkit): {DOT_HINT}"
    );
    let want = std::fs::read(dot_dir().join("requirements.txt"))
        .map(|b| hex(&sha2::Sha256::digest(&b)))
        .expect("read e2e/dot/requirements.txt");
    let have = std::fs::read_to_string(dot_dir().join(".venv/.oauthctl-e2e-requirements.sha256"))
        .unwrap_or_default();
    assert_eq!(
        have.trim(),
        want,
        "e2e/dot/.venv was not installed from the current e2e/dot/requirements.txt (it is stale): {DOT_HINT}"
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts e2e/dot/server.py on a free port (a fresh database, a fresh RS256 key).
pub fn start_dot() -> Provider {
    require_dot_deps();
    let mut cmd = Command::new(venv_python());
    cmd.arg(dot_dir().join("server.py"))
        .args(["--port", "0"])
        .env("PYTHONDONTWRITEBYTECODE", "1");
    start_server(cmd, "e2e/dot/server.py (django-oauth-toolkit)")
}

/// The nonces DOT received, in order, from its `AUTHORIZE … nonce=…` log lines.
pub fn dot_nonces(p: &Provider, client_id: &str) -> Vec<String> {
    let prefix = format!("AUTHORIZE client_id={client_id} nonce=");
    p.log()
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_string))
        .collect()
}
