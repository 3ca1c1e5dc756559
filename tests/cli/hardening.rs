//! Issue 15, parts 5 and 6: the callback listener under stalled sockets and a low
//! descriptor limit, secrets never sent over plain http to another host without
//! `--allow-insecure-http`, a readable config file holding a client secret, the flow
//! journal under parallel writers, `exchange` reading its code from stdin or a variable,
//! a storage failure after a rotated refresh, odd sessions directories, and
//! `logout --revoke-only`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::support::flow::{redirected_url, Setup};
use crate::support::mock::{get, std_cmd};
use crate::support::Env;

/// A TCP server on 127.0.0.1 that records every request it gets (first 4 KiB) and
/// answers 502: what a plain-http host would have seen. Used as `HTTP_PROXY`, so that a
/// request to a made-up host name never leaves this machine.
struct Recorder {
    addr: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn start() -> Recorder {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = format!("http://{}", l.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = seen.clone();
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let mut s = s;
                let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
                let mut buf = vec![0u8; 4096];
                let n = s.read(&mut buf).unwrap_or(0);
                sink.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf[..n]).into_owned());
                let _ = s.write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        Recorder { addr, seen }
    }
    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

const SECRET: &str = "plain-http-client-secret-0123456789";

fn plain_http_provider(env: &Env, auth: &str) {
    env.write_config(&format!(
        "[providers.corp]\nauthorization_endpoint = \"http://auth.corp.example/authorize\"\ntoken_endpoint = \"http://auth.corp.example/token\"\nclient_id = \"corp-cli\"\nclient_secret = \"{SECRET}\"\ntoken_endpoint_auth_method = \"{auth}\"\nredirect_uri = \"http://127.0.0.1:8765/callback\"\n"
    ));
}

#[test]
fn a_client_secret_is_not_sent_over_plain_http_to_another_host_without_the_flag() {
    for auth in ["client_secret_basic", "client_secret_post"] {
        let env = Env::new();
        plain_http_provider(&env, auth);
        let proxy = Recorder::start();
        env.cmd()
            .env("HTTP_PROXY", &proxy.addr)
            .env("http_proxy", &proxy.addr)
            .args(["exchange", "-p", "corp", "--code", "a-code-1234"])
            .assert()
            .code(3)
            .stderr(contains(
                "refusing to send the client secret over plain http to auth.corp.example",
            ))
            .stderr(contains("anyone on the network path could read it"))
            .stderr(contains("--allow-insecure-http"))
            .stderr(contains(SECRET).not());
        assert!(proxy.seen().is_empty(), "{auth}: {:?}", proxy.seen());
        // With the flag, the request goes (here: to the recorder), with a warning.
        env.cmd()
            .env("HTTP_PROXY", &proxy.addr)
            .env("http_proxy", &proxy.addr)
            .args(["exchange", "-p", "corp", "--code", "a-code-1234"])
            .arg("--allow-insecure-http")
            .assert()
            .stderr(contains("--allow-insecure-http: client secrets"))
            .stderr(contains(SECRET).not());
        let seen = proxy.seen();
        assert_eq!(seen.len(), 1, "{auth}: {seen:?}");
        assert!(
            seen[0].starts_with("POST http://auth.corp.example/token"),
            "{seen:?}"
        );
    }
}

#[test]
fn a_password_or_refresh_token_is_not_sent_over_plain_http_but_a_public_code_exchange_is() {
    let env = Env::new();
    env.write_config(
        "[providers.corp]\ntoken_endpoint = \"http://auth.corp.example/token\"\nclient_id = \"corp-cli\"\ntoken_endpoint_auth_method = \"none\"\n",
    );
    let proxy = Recorder::start();
    env.cmd()
        .env("HTTP_PROXY", &proxy.addr)
        .env("http_proxy", &proxy.addr)
        .args(["login", "-p", "corp", "--password", "--username", "alice"])
        .arg("--password-stdin")
        .write_stdin("hunter2-password\n")
        .assert()
        .code(3)
        .stderr(contains(
            "refusing to send the password over plain http to auth.corp.example",
        ))
        .stderr(contains("hunter2-password").not());
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    // A public client's code exchange carries no long-lived secret: it is sent.
    env.cmd()
        .env("HTTP_PROXY", &proxy.addr)
        .env("http_proxy", &proxy.addr)
        .args(["exchange", "-p", "corp", "--code", "a-code-1234"])
        .assert()
        .code(5);
    assert_eq!(proxy.seen().len(), 1, "{:?}", proxy.seen());
}

#[test]
fn a_config_file_holding_a_client_secret_that_others_can_read_gets_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let path = env.write_config(&format!(
        "[providers.corp]\nissuer = \"https://auth.corp.example\"\nclient_id = \"corp-cli\"\nclient_secret = \"{SECRET}\"\n"
    ));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.cmd()
        .args(["status"])
        .assert()
        .code(0)
        .stderr(contains(format!(
            "the config file {} holds the client_secret of [providers.corp] and other users can read it (mode 644): run `chmod 600 {}`",
            path.display(),
            path.display()
        )))
        .stderr(contains("client_secret_env"))
        .stderr(contains(SECRET).not());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.cmd()
        .args(["status"])
        .assert()
        .code(0)
        .stderr(contains("chmod").not());
    // A secret kept in a variable needs no warning, whatever the mode.
    std::fs::write(
        &path,
        "[providers.corp]\nissuer = \"https://auth.corp.example\"\nclient_id = \"corp-cli\"\nclient_secret_env = \"CORP_SECRET\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.cmd()
        .args(["status"])
        .assert()
        .code(0)
        .stderr(contains("chmod").not());
}

#[test]
fn thirty_parallel_authorize_urls_keep_thirty_flows() {
    let env = Env::new();
    env.write_config("[providers.hub]\nclient_id = \"hub-client\"\nredirect_uri = \"http://127.0.0.1:8765/callback\"\n");
    let children: Vec<_> = (0..30)
        .map(|_| {
            std_cmd(&env)
                .args(["authorize-url", "-p", "hub", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut states = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        states.push(v["state"].as_str().unwrap().to_string());
    }
    let text = std::fs::read_to_string(env.path().join("state/oauthctl/flows.json")).unwrap();
    let j: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(j["flows"].as_array().unwrap().len(), 30, "{text}");
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(env.path().join("state/oauthctl"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A code from `authorize-url` and the mock: (code, verifier).
fn code(s: &Setup) -> (String, String) {
    let out = s
        .cmd()
        .args(["authorize-url", "-p", &s.provider, "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = get(v["url"].as_str().unwrap());
    assert_eq!(r.status, 302, "{}", r.text());
    (
        r.redirect_params()["code"].clone(),
        v["code_verifier"].as_str().unwrap().to_string(),
    )
}

#[test]
fn exchange_reads_the_code_and_verifier_from_stdin_or_a_variable() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let (code, verifier) = code(&s);
    s.cmd()
        .args([
            "exchange",
            "-p",
            "hub",
            "--code",
            "-",
            "--code-verifier",
            "-",
        ])
        .write_stdin(format!("{code}\n{verifier}\n"))
        .assert()
        .code(0)
        .stdout(contains(&code).not())
        .stderr(contains(&code).not());
    let (code, verifier) = self::code(&s);
    s.cmd()
        .args(["exchange", "-p", "hub", "--code", "env:THE_CODE"])
        .args(["--code-verifier", "env:THE_VERIFIER"])
        .env("THE_CODE", &code)
        .env("THE_VERIFIER", &verifier)
        .assert()
        .code(0);
    // The server checked the verifier: a wrong one read from stdin is refused.
    let (code, _) = self::code(&s);
    s.cmd()
        .args([
            "exchange",
            "-p",
            "hub",
            "--code",
            &code,
            "--code-verifier",
            "-",
        ])
        .write_stdin("not-the-verifier-0123456789012345678901234567\n")
        .assert()
        .code(5)
        .stderr(contains("invalid_grant"));
    // A variable that is not set, or an empty line, is a clear input error.
    s.cmd()
        .args(["exchange", "-p", "hub", "--code", "env:NO_SUCH_CODE"])
        .assert()
        .code(3)
        .stderr(contains(
            "--code env:NO_SUCH_CODE: the variable NO_SUCH_CODE is not set",
        ));
    s.cmd()
        .args(["exchange", "-p", "hub", "--code", "-"])
        .write_stdin("\n")
        .assert()
        .code(3)
        .stderr(contains("--code: the value from stdin is empty"));
}

#[test]
fn a_dangling_sessions_symlink_is_named_with_its_target() {
    let s = Setup::new("hub", &["--auto-approve"]);
    let data = s.env.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let target = s.env.path().join("gone/sessions");
    std::os::unix::fs::symlink(&target, data.join("oauthctl")).unwrap();
    s.login()
        .assert()
        .code(8)
        .stderr(contains(format!(
            "{} is a symbolic link to {}, which does not exist",
            data.join("oauthctl").display(),
            target.display()
        )))
        .stderr(contains("mkdir -p -m 700"))
        .stderr(contains("File exists").not());
}

/// Connections that send half a request line and then nothing.
fn stall(port: u16, n: usize) -> Vec<TcpStream> {
    (0..n)
        .filter_map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
            let _ = s.write_all(b"GET /callback?state=");
            Some(s)
        })
        .collect()
}

#[test]
fn stalled_sockets_and_a_low_descriptor_limit_do_not_block_the_real_redirect() {
    let s = Setup::new("hub", &["--auto-approve"]);
    // `login --no-browser` under a limit of 64 descriptors: a listener that accepted
    // and held every stalled socket would run out and never see the redirect.
    let mut child = s
        .env
        .sh("ulimit -n 64")
        .args(["--config", s.config.to_str().unwrap(), "--store", "file"])
        .args([
            "login",
            "-p",
            "hub",
            "--no-browser",
            "--login-timeout",
            "60s",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let lines = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push_str(&format!("{line}\n"));
            let _ = tx.send(line);
        }
    });
    let url = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no URL: {}", lines.lock().unwrap()));
        if line.trim().starts_with("http://") {
            break line.trim().to_string();
        }
    };
    let _stalled = stall(s.port, 100);
    let redirect = redirected_url(&url);
    let started = Instant::now();
    let mut conn = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(45)))
        .unwrap();
    let target = redirect.split_once(&format!(":{}", s.port)).unwrap().1;
    write!(
        conn,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    let _ = conn.read_to_string(&mut page);
    assert!(
        page.starts_with("HTTP/1.1 200"),
        "after {:?}: {page:?}\n{}",
        started.elapsed(),
        lines.lock().unwrap()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "{}", lines.lock().unwrap());
    assert!(s.session("default").is_some());
}

#[test]
fn logout_revoke_only_fails_when_a_token_stays_valid_and_deletes_the_session_anyway() {
    let s = Setup::new("oidc", &["--auto-approve", "--revocation-requires-secret"]);
    s.login().assert().code(0);
    let cfg = std::fs::read_to_string(&s.config).unwrap();
    assert!(
        cfg.contains("client_secret"),
        "the mock's client is confidential: {cfg}"
    );
    // The confidential client revokes: exit 0, nothing left.
    s.cmd()
        .args(["logout", "-p", "oidc", "--revoke-only"])
        .assert()
        .code(0)
        .stderr(contains(
            "after revoking its refresh token and access token",
        ));
    assert!(s.session("default").is_none());
    // The same client without its secret cannot revoke there: exit 5, session gone.
    s.login().assert().code(0);
    let public = s.env.path().join("public.toml");
    let stripped: String = cfg
        .lines()
        .filter(|l| !l.starts_with("client_secret") && !l.starts_with("token_endpoint_auth_method"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(
        &public,
        stripped.replacen(
            "[providers.oidc]\n",
            "[providers.oidc]\ntoken_endpoint_auth_method = \"none\"\n",
            1,
        ),
    )
    .unwrap();
    let mut c = s.env.cmd();
    c.arg("--config").arg(&public).args(["--store", "file"]);
    c.args(["logout", "-p", "oidc", "--revoke-only"])
        .assert()
        .code(5)
        .stderr(contains(
            "the session of oidc was deleted, but not every token was revoked",
        ))
        .stderr(contains("the refresh token was not revoked"));
    assert!(s.session("default").is_none());
    // --revoke-only goes with neither --no-revoke nor --end-session.
    s.cmd()
        .args(["logout", "-p", "oidc", "--revoke-only", "--no-revoke"])
        .assert()
        .code(2);
}
