//! Mutual TLS (RFC 8705) against `oauthctl mock -p oidc --require-mtls`: the mock serves
//! its token-style endpoints and userinfo on a second, TLS port (`mtls_endpoint_aliases`,
//! a test CA) and authenticates its client by its certificate (`tls_client_auth`, or
//! `self_signed_tls_client_auth` with `--mtls-self-signed`); tokens are bound to the
//! certificate (`cnf.x5t#S256`). oauthctl presents the certificate of the config
//! (`tls_client_certificate`, `tls_client_key`) or of `login --client-cert/--client-key`
//! (kept with the session) to every aliased endpoint and to the API.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use predicates::str::contains;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::flow::Setup;
use crate::support::mock::{get, get_bearer, post_form};

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// The mock with mutual TLS, its test PKI written to a directory that lives as long as
/// the returned guard.
fn setup(extra: &[&str]) -> (Setup, PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tls");
    let mut args = vec![
        "--auto-approve",
        "--require-mtls",
        "--tls-dir",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let s = Setup::new("oidc", &args);
    (s, dir, tmp)
}

/// `oauthctl --config … --store file --cacert <test CA>`.
fn cmd(s: &Setup, dir: &Path) -> assert_cmd::Command {
    let mut c = s.cmd();
    c.arg("--cacert").arg(dir.join("ca.pem"));
    c
}

fn login(s: &Setup, dir: &Path) -> assert_cmd::Command {
    let mut c = s.login();
    c.arg("--cacert").arg(dir.join("ca.pem"));
    c
}

/// `me` answers with the test user (at the userinfo alias, with the certificate).
fn me_answers(s: &Setup, dir: &Path) {
    cmd(s, dir)
        .args(["me", "-p", "oidc"])
        .assert()
        .code(0)
        .stdout(contains("alice"));
}

/// `refresh` succeeds, and the session's first refresh request reached the mock
/// authenticated with the certificate.
fn refresh_with_the_certificate(s: &Setup, dir: &Path) {
    cmd(s, dir).args(["refresh", "-p", "oidc"]).assert().code(0);
    let refreshes = s.token_requests("refresh_token");
    assert_eq!(refreshes.len(), 1, "{}", s.mock_log());
    assert_eq!(refreshes[0]["client_auth"], "mtls");
    assert_eq!(refreshes[0]["status"], 200);
}

fn thumbprint(pem_file: &Path) -> String {
    let pem = std::fs::read_to_string(pem_file).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    URL_SAFE_NO_PAD.encode(Sha256::digest(STANDARD.decode(b64).unwrap()))
}

fn metadata(s: &Setup) -> Value {
    get(&s.mock.url("/.well-known/openid-configuration")).json()
}

/// The config without its certificate lines.
fn config_without_certificate(s: &Setup) {
    let text = std::fs::read_to_string(&s.config).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("tls_client_"))
        .collect();
    std::fs::write(&s.config, kept.join("\n") + "\n").unwrap();
}

#[test]
fn the_mock_publishes_mtls_aliases_and_refuses_a_client_without_its_certificate() {
    let (s, dir, _tmp) = setup(&[]);
    let meta = metadata(&s);
    let aliases = &meta["mtls_endpoint_aliases"];
    let token_alias = aliases["token_endpoint"].as_str().unwrap();
    assert!(token_alias.starts_with("https://127.0.0.1:"), "{meta}");
    assert_ne!(aliases["token_endpoint"], meta["token_endpoint"]);
    for key in [
        "userinfo_endpoint",
        "revocation_endpoint",
        "introspection_endpoint",
        "pushed_authorization_request_endpoint",
    ] {
        assert!(
            aliases[key].as_str().unwrap().starts_with("https://"),
            "{key}: {meta}"
        );
    }
    assert_eq!(meta["tls_client_certificate_bound_access_tokens"], true);
    let methods = meta["token_endpoint_auth_methods_supported"].to_string();
    assert!(methods.contains("\"tls_client_auth\""), "{methods}");
    // The plain token endpoint: no certificate, no client.
    let r = post_form(
        &s.mock.url("/token"),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "oauthctl-mock"),
        ],
        &[],
    );
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(r.json()["error"], "invalid_client");
    assert!(r.text().contains("mtls_endpoint_aliases"), "{}", r.text());
    for f in [
        "ca.pem",
        "client.pem",
        "client.key",
        "self-signed.pem",
        "other-ca-client.pem",
    ] {
        assert!(dir.join(f).is_file(), "{f} not written");
    }
    let config = std::fs::read_to_string(&s.config).unwrap();
    assert!(
        config.contains("token_endpoint_auth_method = \"tls_client_auth\""),
        "{config}"
    );
    assert!(
        config.contains(&format!(
            "tls_client_certificate = \"{}\"",
            dir.join("client.pem").display()
        )),
        "{config}"
    );
}

#[test]
fn login_over_mutual_tls_binds_the_tokens_and_me_refresh_and_introspect_keep_the_certificate() {
    let (s, dir, _tmp) = setup(&[]);
    let out = login(&s, &dir).arg("--trace").assert().code(0);
    let err = stderr_of(&out);
    let print = thumbprint(&dir.join("client.pem"));
    // The token request went to the alias, with the certificate, never its key.
    let alias = metadata(&s)["mtls_endpoint_aliases"]["token_endpoint"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(err.contains(&format!("> POST {alias}")), "{err}");
    assert!(err.contains(&format!("x5t#S256 {print}")), "{err}");
    assert!(
        err.contains("client authentication tls_client_auth"),
        "{err}"
    );
    assert!(!err.contains("PRIVATE KEY"), "{err}");
    let token_auth: Vec<Value> = s.token_requests("authorization_code");
    assert_eq!(token_auth.len(), 1, "{}", s.mock_log());
    assert_eq!(token_auth[0]["client_auth"], "mtls");
    assert_eq!(token_auth[0]["status"], 200);

    // Bound: the server says so, and the token is refused without the certificate.
    let session = s.session("default").expect("session");
    let access = session.tokens.access_token.expose().to_string();
    let intro = cmd(&s, &dir)
        .args(["introspect", "-p", "oidc", "--json"])
        .assert()
        .code(0);
    let intro: Value = serde_json::from_str(&stdout_of(&intro)).unwrap();
    assert_eq!(intro["cnf"]["x5t#S256"], print.as_str(), "{intro}");
    let plain = get_bearer(&s.mock.url("/userinfo"), &access);
    assert_eq!(plain.status, 401, "{}", plain.text());
    assert!(
        plain.text().contains("bound to a client certificate"),
        "{}",
        plain.text()
    );

    // `me` goes to the userinfo alias with the certificate.
    me_answers(&s, &dir);

    // A refresh presents it too, and the new tokens are bound as well.
    refresh_with_the_certificate(&s, &dir);
    let renewed = s.session("default").unwrap();
    assert_ne!(renewed.tokens.access_token.expose(), access);
    let plain = get_bearer(
        &s.mock.url("/userinfo"),
        renewed.tokens.access_token.expose(),
    );
    assert_eq!(plain.status, 401, "{}", plain.text());
    me_answers(&s, &dir);

    // A bound refresh token is refused without its certificate.
    let r = post_form(
        &s.mock.url("/token"),
        &[
            ("grant_type", "refresh_token"),
            ("client_id", "oauthctl-mock"),
            (
                "refresh_token",
                renewed.tokens.refresh_token.as_ref().unwrap().expose(),
            ),
        ],
        &[],
    );
    assert_eq!(r.json()["error"], "invalid_grant", "{}", r.text());
    assert!(
        r.text().contains("bound to a client certificate"),
        "{}",
        r.text()
    );

    // Revocation at logout goes to the alias with the certificate: the token is gone.
    cmd(&s, &dir)
        .args(["logout", "-p", "oidc"])
        .assert()
        .code(0);
    let revokes: Vec<Value> = s
        .mock_records()
        .into_iter()
        .filter(|r| r["path"] == "/revoke")
        .collect();
    assert!(!revokes.is_empty(), "{}", s.mock_log());
    assert!(
        revokes
            .iter()
            .all(|r| r["client_auth"] == "mtls" && r["status"] == 200),
        "{revokes:?}"
    );
}

#[test]
fn a_pushed_authorization_request_goes_to_the_par_alias_with_the_certificate() {
    let (s, dir, _tmp) = setup(&[]);
    login(&s, &dir).arg("--par").assert().code(0);
    let pushes: Vec<Value> = s
        .mock_records()
        .into_iter()
        .filter(|r| r["path"] == "/par")
        .collect();
    assert_eq!(pushes.len(), 1, "{}", s.mock_log());
    assert_eq!(pushes[0]["status"], 201, "{}", s.mock_log());
    assert_eq!(pushes[0]["client_auth"], "mtls");
}

#[test]
fn no_certificate_is_a_clear_input_error_before_any_request() {
    let (s, dir, _tmp) = setup(&[]);
    config_without_certificate(&s);
    let out = login(&s, &dir).assert().code(3);
    let err = stderr_of(&out);
    assert!(err.contains("tls_client_auth"), "{err}");
    assert!(err.contains("--client-cert"), "{err}");
    assert_eq!(
        s.token_requests("authorization_code").len(),
        0,
        "{}",
        s.mock_log()
    );
    // A certificate without its key is refused by the argument parser.
    let out = login(&s, &dir)
        .arg("--client-cert")
        .arg(dir.join("client.pem"))
        .assert()
        .code(2);
    assert!(
        stderr_of(&out).contains("--client-key"),
        "{}",
        stderr_of(&out)
    );
    // A file that is not a certificate.
    let out = login(&s, &dir)
        .arg("--client-cert")
        .arg(dir.join("client.key"))
        .arg("--client-key")
        .arg(dir.join("client.key"))
        .assert()
        .code(3);
    assert!(
        stderr_of(&out).contains("holds no PEM certificate"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn login_flags_give_the_certificate_and_the_session_keeps_it_for_refresh_and_me() {
    let (s, dir, _tmp) = setup(&[]);
    config_without_certificate(&s);
    login(&s, &dir)
        .arg("--client-cert")
        .arg(dir.join("client.pem"))
        .arg("--client-key")
        .arg(dir.join("client.key"))
        .assert()
        .code(0);
    let session = s.session("default").unwrap();
    let kept = session
        .client_cert
        .clone()
        .expect("the certificate's paths are kept");
    assert_eq!(Path::new(&kept.cert), dir.join("client.pem"));
    // Refresh and me find it without the flags.
    refresh_with_the_certificate(&s, &dir);
    me_answers(&s, &dir);
    // The session file names the paths, never the key itself.
    let raw = std::fs::read_to_string(s.session_file("default")).unwrap();
    assert!(!raw.contains("PRIVATE KEY"));
}

#[test]
fn a_certificate_from_another_ca_is_refused_and_explained() {
    let (s, dir, _tmp) = setup(&[]);
    config_without_certificate(&s);
    let out = login(&s, &dir)
        .arg("--client-cert")
        .arg(dir.join("other-ca-client.pem"))
        .arg("--client-key")
        .arg(dir.join("other-ca-client.key"))
        .assert()
        .code(5);
    let err = stderr_of(&out);
    assert!(err.contains("invalid_client"), "{err}");
    assert!(
        err.contains("not issued by the server's trusted CA"),
        "{err}"
    );
    assert!(
        err.contains("the client certificate was not accepted"),
        "{err}"
    );
    assert!(!err.contains("client secret"), "{err}");
    assert!(s.session("default").is_none());
}

#[test]
fn self_signed_tls_client_auth_accepts_the_registered_certificate_only() {
    let (s, dir, _tmp) = setup(&["--mtls-self-signed"]);
    let config = std::fs::read_to_string(&s.config).unwrap();
    assert!(config.contains("self_signed_tls_client_auth"), "{config}");
    assert!(config.contains("self-signed.pem"), "{config}");
    login(&s, &dir).assert().code(0);
    let intro = cmd(&s, &dir)
        .args(["introspect", "-p", "oidc", "--json"])
        .assert()
        .code(0);
    let intro: Value = serde_json::from_str(&stdout_of(&intro)).unwrap();
    assert_eq!(
        intro["cnf"]["x5t#S256"],
        thumbprint(&dir.join("self-signed.pem")).as_str()
    );
    // The CA-issued certificate is not the registered one.
    let out = login(&s, &dir)
        .args(["--profile", "other"])
        .arg("--client-cert")
        .arg(dir.join("client.pem"))
        .arg("--client-key")
        .arg(dir.join("client.key"))
        .assert()
        .code(5);
    assert!(
        stderr_of(&out).contains("not the one registered"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn the_har_shows_no_key_and_the_trace_names_the_certificate() {
    let (s, dir, _tmp) = setup(&[]);
    let har = s.env.path().join("flow.har");
    login(&s, &dir).arg("--har").arg(&har).assert().code(0);
    let text = std::fs::read_to_string(&har).unwrap();
    assert!(!text.contains("PRIVATE KEY"));
    let key = std::fs::read_to_string(dir.join("client.key")).unwrap();
    let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(!text.contains(&body[..40]));
}

fn doctor_check(s: &Setup, dir: &Path, name: &str) -> (i32, Value) {
    let out = cmd(s, dir)
        .args(["doctor", "-p", "oidc", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    let check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name} check: {v}"));
    (out.status.code().unwrap(), check)
}

#[test]
fn doctor_checks_the_client_certificate_and_where_it_is_presented() {
    let (s, dir, _tmp) = setup(&[]);
    let (_, c) = doctor_check(&s, &dir, "mtls");
    assert_eq!(c["status"], "ok", "{c}");
    let summary = c["summary"].as_str().unwrap();
    assert!(
        summary.contains(&thumbprint(&dir.join("client.pem"))),
        "{c}"
    );
    assert!(summary.contains("mutual TLS alias"), "{c}");
    assert!(summary.contains("https://127.0.0.1:"), "{c}");

    // A key that is not a key.
    let text = std::fs::read_to_string(&s.config).unwrap();
    let broken = text.replace(
        &format!("tls_client_key = \"{}\"", dir.join("client.key").display()),
        &format!("tls_client_key = \"{}\"", dir.join("ca.pem").display()),
    );
    assert_ne!(broken, text);
    std::fs::write(&s.config, &broken).unwrap();
    let (code, c) = doctor_check(&s, &dir, "mtls");
    assert_eq!((code, c["status"].as_str()), (3, Some("fail")), "{c}");
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .contains("no PEM private key"),
        "{c}"
    );

    // No certificate at all for a tls_client_auth client.
    std::fs::write(&s.config, &text).unwrap();
    config_without_certificate(&s);
    let (code, c) = doctor_check(&s, &dir, "mtls");
    assert_eq!((code, c["status"].as_str()), (3, Some("fail")), "{c}");
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .contains("no client certificate"),
        "{c}"
    );
}

#[test]
fn doctor_says_nothing_of_mutual_tls_where_nobody_uses_it() {
    let s = Setup::new("oidc", &[]);
    let out = s
        .cmd()
        .args(["doctor", "-p", "oidc", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "mtls"),
        "{v}"
    );
}

/// Mutual TLS and DPoP in one login: the proofs name the mTLS aliases they are sent to
/// (`htu`), the tokens are bound to both the certificate and the key (`cnf` holds
/// `x5t#S256` and `jkt`), and `me` and `refresh` present both.
#[test]
fn mutual_tls_and_dpop_together_bind_the_tokens_to_both() {
    let (s, dir, _tmp) = setup(&["--require-dpop"]);
    let out = login(&s, &dir).arg("--dpop").assert();
    let err = stderr_of(&out);
    out.code(0);
    let token_auth = s.token_requests("authorization_code");
    assert_eq!(token_auth.len(), 1, "{}", s.mock_log());
    assert_eq!(token_auth[0]["client_auth"], "mtls", "{err}");

    let intro = cmd(&s, &dir)
        .args(["introspect", "-p", "oidc", "--json"])
        .assert()
        .code(0);
    let intro: Value = serde_json::from_str(&stdout_of(&intro)).unwrap();
    let print = thumbprint(&dir.join("client.pem"));
    assert_eq!(intro["cnf"]["x5t#S256"], print.as_str(), "{intro}");
    assert!(intro["cnf"]["jkt"].is_string(), "{intro}");

    me_answers(&s, &dir);
    refresh_with_the_certificate(&s, &dir);
    me_answers(&s, &dir);
}
