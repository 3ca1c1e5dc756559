#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `--trace` transcripts and their redaction; help, examples and generated files.

mod support;

use predicates::prelude::*;
use support::{Env, Reply, Server};

fn doc(base: &str) -> String {
    serde_json::json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "client_secret": "doc-secret-value-1234",
    })
    .to_string()
}

#[test]
fn trace_shows_each_exchange_with_secrets_redacted() {
    let s = Server::start();
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &doc(&s.base)).header("Set-Cookie", "sid=cookie-secret-9876; HttpOnly"),
    );
    let env = Env::new();
    let out = env
        .cmd()
        .args(["discover", &s.base, "--trace"])
        .assert()
        .success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains(&format!(
            "> GET {}/.well-known/openid-configuration",
            s.base
        )),
        "{err}"
    );
    assert!(err.contains("> user-agent: oauthctl/"), "{err}");
    assert!(err.contains("< 200 OK ("), "{err}");
    assert!(err.contains(" ms)"), "{err}");
    assert!(err.contains("< content-type: application/json"), "{err}");
    assert!(
        err.contains("\"authorization_endpoint\""),
        "body is shown: {err}"
    );
    assert!(err.contains("[redacted:"), "{err}");
    assert!(!err.contains("cookie-secret-9876"), "{err}");
    assert!(!err.contains("doc-secret-value-1234"), "{err}");

    // --show-secrets shows them: the redaction above is real.
    let out = env
        .cmd()
        .args(["discover", &s.base, "--trace", "--show-secrets"])
        .assert()
        .success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("cookie-secret-9876"));
    assert!(err.contains("doc-secret-value-1234"));
}

#[test]
fn trace_redacts_credentials_in_urls_and_configured_secrets() {
    let s = Server::start();
    let env = Env::new();
    let port = s.base.rsplit(':').next().unwrap();
    env.cmd()
        .args([
            "discover",
            &format!("http://admin:url-password-5555@127.0.0.1:{port}"),
            "--trace",
        ])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("url-password-5555").not())
        .stderr(predicate::str::contains("> GET"));
}

#[test]
fn every_command_help_has_an_example() {
    let env = Env::new();
    for cmd in [
        "discover",
        "providers",
        "authorize-url",
        "decode",
        "token",
        "header",
        "refresh",
    ] {
        env.cmd()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"))
            .stdout(predicate::str::contains(format!("oauthctl {cmd}")));
    }
    env.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"));
}

#[test]
fn unknown_command_is_a_usage_error() {
    Env::new()
        .cmd()
        .arg("frobnicate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unrecognized subcommand"));
}

#[test]
fn generated_completions_and_man_pages_are_fresh() {
    let root = env!("CARGO_MANIFEST_DIR");
    let env = Env::new();
    env.cmd()
        .args(["generate-assets", "--check", "--dir", root])
        .assert()
        .success();
    for f in [
        "completions/oauthctl.bash",
        "completions/_oauthctl",
        "completions/oauthctl.fish",
        "completions/_oauthctl.ps1",
        "completions/oauthctl.elv",
        "man/oauthctl.1",
        "man/oauthctl-discover.1",
        "man/oauthctl-providers.1",
        "man/oauthctl-authorize-url.1",
    ] {
        assert!(
            std::path::Path::new(root).join(f).is_file(),
            "{f} is missing"
        );
    }
    let man = std::fs::read_to_string(std::path::Path::new(root).join("man/oauthctl.1")).unwrap();
    assert!(man.contains("EXIT STATUS") && man.contains("login required"));

    // A stale copy is caught, and the message says how to fix it.
    let copy = env.path().join("repo");
    for d in ["completions", "man"] {
        std::fs::create_dir_all(copy.join(d)).unwrap();
        for e in std::fs::read_dir(std::path::Path::new(root).join(d)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), copy.join(d).join(e.file_name())).unwrap();
        }
    }
    std::fs::write(copy.join("man/oauthctl-discover.1"), "stale").unwrap();
    env.cmd()
        .args([
            "generate-assets",
            "--check",
            "--dir",
            copy.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("man/oauthctl-discover.1"))
        .stderr(predicate::str::contains("generate-assets"));
}

#[test]
fn har_file_is_har_1_2_and_redacted_even_on_failure() {
    let s = Server::start();
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &doc(&s.base)).header("Set-Cookie", "sid=cookie-secret-9876"),
    );
    let env = Env::new();
    let har = env.path().join("out.har");
    env.cmd()
        .args([
            "discover",
            &s.base,
            "--har",
            har.to_str().unwrap(),
            "--show-secrets",
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&har).unwrap();
    assert!(!text.contains("cookie-secret-9876") && !text.contains("doc-secret-value-1234"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["log"]["version"], "1.2");
    assert_eq!(v["log"]["creator"]["name"], "oauthctl");
    let e = &v["log"]["entries"][0];
    for k in [
        "startedDateTime",
        "time",
        "request",
        "response",
        "cache",
        "timings",
    ] {
        assert!(!e[k].is_null(), "entry lacks {k}");
    }
    assert_eq!(e["request"]["method"], "GET");
    assert_eq!(e["response"]["status"], 200);
    assert!(e["response"]["content"]["text"]
        .as_str()
        .unwrap()
        .contains("authorization_endpoint"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&har).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A failed command still writes what happened.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    env.cmd()
        .args([
            "discover",
            &format!("http://127.0.0.1:{port}"),
            "--har",
            har.to_str().unwrap(),
        ])
        .assert()
        .code(6);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    assert_eq!(v["log"]["entries"][0]["response"]["status"], 0);
    assert!(v["log"]["entries"][0]["response"]["_error"]
        .as_str()
        .unwrap()
        .contains("connection refused"));
}
