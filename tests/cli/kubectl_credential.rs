//! `oauthctl kubectl-credential`: the ExecCredential for the version kubectl asks for,
//! the ID token, a login when kubectl says the session is interactive, exit 4 when not;
//! and Debian's real `kubectl get namespaces` against a fake API server that accepts
//! only a token the mock honours, with the README's kubeconfig: an expired session is
//! refreshed, no session (non-interactive) fails with the login command.

use std::process::Command;

use serde_json::Value;

use crate::support::fake_browser;
use crate::support::kit::{self, debian_kubectl, kube_server, readme_block, tool_path};
use crate::support::session::Mocked;

fn exec_info(version: &str, interactive: bool) -> String {
    format!(
        r#"{{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/{version}","spec":{{"interactive":{interactive}}}}}"#
    )
}

fn plugin(m: &Mocked, info: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut c = m.cmd();
    c.args(["kubectl-credential", "-p", "oidc"]).args(args);
    if let Some(i) = info {
        c.env("KUBERNETES_EXEC_INFO", i);
    }
    c.output().unwrap()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

#[test]
fn prints_an_exec_credential_of_the_version_kubectl_asks_for() {
    let m = Mocked::start("oidc", &[]);
    let s = m.login();
    for (info, version) in [
        (Some(exec_info("v1", false)), "v1"),
        (Some(exec_info("v1beta1", false)), "v1beta1"),
        (None, "v1beta1"),
    ] {
        let out = plugin(&m, info.as_deref(), &[]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let v = json(&out);
        assert_eq!(
            v["apiVersion"],
            format!("client.authentication.k8s.io/{version}")
        );
        assert_eq!(v["kind"], "ExecCredential");
        assert_eq!(v["status"]["token"], s.tokens.access_token.expose());
        let ts = v["status"]["expirationTimestamp"].as_str().unwrap();
        let at = humantime::parse_rfc3339(ts).unwrap();
        let unix = at.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(Some(unix), s.tokens.expires_at, "{ts}");
    }
    // The ID token.
    let out = plugin(&m, Some(&exec_info("v1", false)), &["--use", "id-token"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let id = s.tokens.id_token.as_ref().expect("an ID token").expose();
    assert_eq!(json(&out)["status"]["token"], id);
    // A version it does not speak: exit 3, nothing on stdout.
    let out = plugin(&m, Some(&exec_info("v1alpha1", false)), &[]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("v1beta1"));
}

#[test]
fn a_needed_login_is_exit_4_unless_kubectl_says_interactive_then_it_logs_in() {
    let m = Mocked::start("oidc", &[]);
    let out = plugin(&m, Some(&exec_info("v1", false)), &[]);
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("oauthctl login -p oidc"), "{err}");
    // Interactive: the login runs (the browser from OAUTHCTL_BROWSER), its messages on
    // stderr, and stdout is the ExecCredential alone.
    let out = m
        .cmd()
        .args(["kubectl-credential", "-p", "oidc"])
        .env("KUBERNETES_EXEC_INFO", exec_info("v1", true))
        .env("OAUTHCTL_BROWSER", fake_browser())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let s = m.session().expect("logged in");
    assert_eq!(
        json(&out)["status"]["token"],
        s.tokens.access_token.expose()
    );
}

/// kubectl with the README's kubeconfig pointed at `server`, and oauthctl's settings
/// (the mock's config, the file store) in its environment, which the plugin inherits.
fn kubectl(m: &Mocked, api: &kit::KubeServer) -> Command {
    let home = m.env.path().join("kube-home");
    std::fs::create_dir_all(&home).unwrap();
    // The README's kubeconfig, pointed at the fake server and its private CA.
    let ca = home.join("ca.pem");
    std::fs::write(&ca, &api.ca_pem).unwrap();
    let server_line = "    server: https://k8s.example.com";
    let config = readme_block("kubeconfig");
    assert!(config.contains(server_line), "{config}");
    let config = config
        .replace(
            server_line,
            &format!(
                "    server: {}\n    certificate-authority: {}",
                api.base,
                ca.display()
            ),
        )
        .replace("-p, corp]", "-p, oidc]");
    assert!(config.contains("command: oauthctl"), "{config}");
    let path = home.join("kubeconfig");
    std::fs::write(&path, config).unwrap();
    let at = |p: &str| m.env.path().join(p);
    let mut c = Command::new(debian_kubectl());
    c.args(["get", "namespaces", "--request-timeout=20s"])
        .env_clear()
        .env("PATH", tool_path())
        .env("HOME", &home)
        .env("KUBECONFIG", &path)
        .env("OAUTHCTL_CONFIG", &m.config)
        .env("OAUTHCTL_STORE", "file")
        .env("XDG_CONFIG_HOME", at("config"))
        .env("XDG_DATA_HOME", at("data"))
        .env("XDG_CACHE_HOME", at("cache"))
        .env("XDG_STATE_HOME", at("state"))
        .env("XDG_RUNTIME_DIR", at("run"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null());
    c
}

#[test]
fn real_kubectl_gets_namespaces_refreshing_an_expired_session() {
    debian_kubectl();
    let m = Mocked::start("oidc", &["--access-ttl", "4s"]);
    let s = m.login();
    let userinfo = m.url("/userinfo");
    let api = kube_server(&userinfo);
    std::thread::sleep(std::time::Duration::from_millis(4500));
    assert!(!kit::token_valid(&userinfo, s.tokens.access_token.expose()));
    let out = kubectl(&m, &api).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("oauthctl-ok"), "{table}");
    assert_eq!(m.refreshes(200), 1);
    let accepted = api.seen.lock().unwrap().accepted();
    assert!(!accepted.is_empty());
    assert!(accepted.iter().all(|t| t != s.tokens.access_token.expose()));
    assert_eq!(
        accepted.last(),
        Some(
            &m.session()
                .unwrap()
                .tokens
                .access_token
                .expose()
                .to_string()
        )
    );
}

#[test]
fn real_kubectl_without_a_session_fails_with_exit_4_and_the_login_command() {
    debian_kubectl();
    let m = Mocked::start("oidc", &[]);
    let api = kube_server(&m.url("/userinfo"));
    let out = kubectl(&m, &api).output().unwrap();
    assert_ne!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("oauthctl login -p oidc"), "{err}");
    assert!(err.contains("exit code 4"), "{err}");
    assert!(api.seen.lock().unwrap().tokens.is_empty());
}

#[test]
fn an_expired_id_token_renews_the_session_for_use_id_token() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let m = Mocked::start("oidc", &[]);
    let mut s = m.login();
    // The stored ID token, its `exp` moved into the past (the access token still valid).
    let id = s.tokens.id_token.clone().expect("an ID token");
    let parts: Vec<&str> = id.expose().split('.').collect();
    let mut claims: Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["exp"] = serde_json::json!(claims["iat"].as_u64().unwrap() - 1);
    let expired = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(serde_json::to_vec(&claims).unwrap()),
        parts[2]
    );
    s.tokens.id_token = Some(oauthctl::secret::Secret::new(expired.clone()));
    m.save(&s);
    let out = plugin(&m, Some(&exec_info("v1", false)), &["--use", "id-token"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let token = json(&out)["status"]["token"].as_str().unwrap().to_string();
    assert_ne!(token, expired);
    assert_eq!(m.refreshes(200), 1);
    let fresh = m.session().unwrap();
    assert_eq!(
        Some(token.as_str()),
        fresh.tokens.id_token.as_ref().map(|t| t.expose())
    );
    // The access token is not renewed for nothing.
    let out = plugin(&m, Some(&exec_info("v1", false)), &[]);
    assert_eq!(
        json(&out)["status"]["token"],
        fresh.tokens.access_token.expose()
    );
    assert_eq!(m.refreshes(200), 1);
}
