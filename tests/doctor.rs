#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl doctor` against `oauthctl mock`, a canned server whose clock is off, and
//! an https server with a private CA.

mod support;

use serde_json::Value;
use support::mock::MockProc;
use support::{tls, Env, Reply, Server};

/// A mock of `provider` and a config file pointing the preset at it.
fn mock(env: &Env, provider: &str, args: &[&str]) -> MockProc {
    let m = MockProc::start(env, provider, args);
    env.write_config(&m.stdout());
    m
}

fn doctor_json(env: &Env, args: &[&str], code: i32) -> Value {
    let out = env
        .cmd()
        .args(["doctor", "--json"])
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .clone();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name} in {report}"))
}

fn details(c: &Value) -> String {
    c["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[test]
fn a_good_hub_config_passes_every_check() {
    let env = Env::new();
    let _m = mock(&env, "hub", &[]);
    let out = env
        .cmd()
        .args(["doctor", "-p", "hub"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    for name in [
        "endpoints",
        "clock",
        "client",
        "client_auth",
        "pkce",
        "redirect_uri",
        "preflight",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.trim_start().starts_with("ok") && l.contains(name)),
            "{name} not ok:\n{stdout}"
        );
    }
    assert!(!stdout.contains("fail"), "{stdout}");
    assert!(
        stdout.contains("accepted client_id and redirect_uri"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("none failed"), "{stderr}");
}

#[test]
fn hub_redirect_uri_mismatch_is_caught_by_the_preflight_with_the_difference_named() {
    let env = Env::new();
    let _m = mock(&env, "hub", &[]);
    let r = doctor_json(
        &env,
        &[
            "-p",
            "hub",
            "--redirect-uri",
            "http://127.0.0.1:8765/callback/",
        ],
        5,
    );
    assert_eq!(r["ok"], false);
    assert_eq!(r["exit_code"], 5);
    let p = check(&r, "preflight");
    assert_eq!(p["status"], "fail");
    assert_eq!(p["side"], "server");
    let d = details(p);
    // The server's words, then the difference between what was sent and what it quotes.
    assert!(d.contains("is not registered"), "{d}");
    assert!(d.contains("a trailing slash"), "{d}");
    assert!(
        d.contains("--redirect-uri http://127.0.0.1:8765/callback,")
            || d.contains("--redirect-uri http://127.0.0.1:8765/callback "),
        "{d}"
    );
    // The scheme is fine: only the preflight fails.
    assert_eq!(check(&r, "redirect_uri")["status"], "ok");

    let r = doctor_json(
        &env,
        &[
            "-p",
            "hub",
            "--redirect-uri",
            "http://localhost:8765/callback",
        ],
        5,
    );
    let d = details(check(&r, "preflight"));
    assert!(d.contains("`localhost` against `127.0.0.1`"), "{d}");

    let r = doctor_json(
        &env,
        &[
            "-p",
            "hub",
            "--redirect-uri",
            "http://127.0.0.1:9999/callback",
        ],
        5,
    );
    let d = details(check(&r, "preflight"));
    assert!(
        d.contains("port 9999 against port 8765") && d.contains("--port 8765"),
        "{d}"
    );
}

#[test]
fn human_report_names_each_check_and_the_fix() {
    let env = Env::new();
    let _m = mock(&env, "hub", &[]);
    let out = env
        .cmd()
        .args([
            "doctor",
            "-p",
            "hub",
            "--redirect-uri",
            "http://127.0.0.1:8765/Callback",
        ])
        .assert()
        .code(5)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("preflight"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.trim_start().starts_with("fail"), "{line}");
    assert!(stdout.contains("the path's case"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 of 9 checks failed for hub: preflight"),
        "{stderr}"
    );
}

#[test]
fn unknown_client_id_and_denial_are_explained() {
    let env = Env::new();
    let _m = mock(&env, "hub", &[]);
    let r = doctor_json(&env, &["-p", "hub", "--client-id", "nobody"], 5);
    let p = check(&r, "preflight");
    assert_eq!(p["status"], "fail");
    assert!(
        details(p).contains("does not accept client_id `nobody`"),
        "{p}"
    );

    let env = Env::new();
    let _m = mock(&env, "hub", &["--deny"]);
    let r = doctor_json(&env, &["-p", "hub"], 5);
    let p = check(&r, "preflight");
    assert!(
        p["summary"]
            .as_str()
            .unwrap()
            .contains("error=access_denied"),
        "{p}"
    );
    assert!(
        details(p).contains("denied the request without asking anyone"),
        "{p}"
    );
}

#[test]
fn teamwork_basic_only_against_a_configured_client_secret_post() {
    let env = Env::new();
    let m = MockProc::start(&env, "teamwork", &[]);
    let config = m.stdout().replace(
        "token_endpoint_auth_method = \"client_secret_basic\"",
        "token_endpoint_auth_method = \"client_secret_post\"",
    );
    assert!(config.contains("client_secret_post"), "{config}");
    env.write_config(&config);
    let r = doctor_json(&env, &["-p", "teamwork"], 3);
    assert_eq!(check(&r, "discovery")["status"], "ok");
    let c = check(&r, "client_auth");
    assert_eq!(c["status"], "fail");
    assert_eq!(c["side"], "local");
    let s = c["summary"].as_str().unwrap();
    assert!(
        s.contains("client_secret_post is configured")
            && s.contains("client_secret_basic only")
            && s.contains("advertised in the discovery document"),
        "{s}"
    );
    assert!(
        details(c).contains("token_endpoint_auth_method = \"client_secret_basic\""),
        "{c}"
    );
    // The preflight itself is fine: client authentication only matters at the token
    // endpoint.
    assert_eq!(check(&r, "preflight")["status"], "ok");
    // The client secret is never shown.
    assert!(!r.to_string().contains("mock-client-secret"), "{r}");

    // With the guide's method, everything passes.
    env.write_config(&m.stdout());
    let r = doctor_json(&env, &["-p", "teamwork"], 0);
    assert_eq!(check(&r, "client_auth")["status"], "ok");
}

#[test]
fn teamwork_without_an_issuer_is_a_local_problem() {
    let env = Env::new();
    env.write_config("[providers.teamwork]\nclient_id = \"c\"\nclient_secret = \"s3cr3t-value\"\n");
    let r = doctor_json(&env, &["-p", "teamwork"], 3);
    let d = check(&r, "discovery");
    assert_eq!(d["status"], "fail");
    assert!(
        details(d).contains("issuer = \"https://HOST:8443/authentication\""),
        "{d}"
    );
    assert_eq!(check(&r, "preflight")["status"], "skip");
}

#[test]
fn worksection_http_redirect_uri_is_flagged() {
    let env = Env::new();
    let _m = mock(&env, "worksection", &[]);
    let r = doctor_json(
        &env,
        &[
            "-p",
            "worksection",
            "--redirect-uri",
            "http://127.0.0.1:8765/callback",
        ],
        3,
    );
    let c = check(&r, "redirect_uri");
    assert_eq!(c["status"], "fail");
    assert_eq!(c["side"], "local");
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .contains("accepts only https redirect URIs"),
        "{c}"
    );
    // The server refuses it too, and the preflight says why.
    let p = check(&r, "preflight");
    assert_eq!(p["status"], "fail");
    let d = details(p);
    assert!(d.contains("the scheme: `http` against `https`"), "{d}");

    // The registered https URI passes.
    let r = doctor_json(&env, &["-p", "worksection"], 0);
    assert_eq!(check(&r, "redirect_uri")["status"], "ok");
    assert_eq!(check(&r, "preflight")["status"], "ok");
}

#[test]
fn clock_skew_against_the_date_header_warns() {
    let env = Env::new();
    let s = Server::start();
    // Two hours behind this machine.
    let behind = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    let date = httpdate(behind);
    s.route(
        "/authorize",
        Reply::html(200, "<html><title>Sign in</title><form></form></html>").header("Date", &date),
    );
    s.route("/token", Reply::json(405, "{}").header("Date", &date));
    env.write_config(&format!(
        "[providers.skewed]\nauthorization_endpoint = \"{}\"\ntoken_endpoint = \"{}\"\nclient_id = \"c\"\nredirect_uri = \"http://127.0.0.1:8765/callback\"\n",
        s.url("/authorize"),
        s.url("/token")
    ));
    let r = doctor_json(&env, &["-p", "skewed"], 0);
    let c = check(&r, "clock");
    assert_eq!(c["status"], "warn");
    let summary = c["summary"].as_str().unwrap();
    assert!(
        summary.contains("2 h behind this machine's") || summary.contains("119 min"),
        "{summary}"
    );
    assert_eq!(check(&r, "preflight")["status"], "ok");

    // A tighter or looser limit is honoured.
    let r = doctor_json(&env, &["-p", "skewed", "--max-skew", "3h"], 0);
    assert_eq!(check(&r, "clock")["status"], "ok");
}

#[test]
fn tls_chain_is_checked_with_and_without_cacert() {
    let env = Env::new();
    let srv = tls::start(|_| "{}".to_string());
    env.write_config(&format!(
        "[providers.private]\nauthorization_endpoint = \"{0}/authorize\"\ntoken_endpoint = \"{0}/token\"\nclient_id = \"c\"\nredirect_uri = \"http://127.0.0.1:8765/callback\"\n",
        srv.base
    ));
    let r = doctor_json(&env, &["-p", "private"], 5);
    let t = check(&r, "tls");
    assert_eq!(t["status"], "fail");
    assert!(t["summary"].as_str().unwrap().contains("TLS"), "{t}");
    assert!(details(t).contains("--cacert"), "{t}");

    let ca = env.path().join("ca.pem");
    std::fs::write(&ca, &srv.ca_pem).unwrap();
    let out = env
        .cmd()
        .args([
            "--cacert",
            ca.to_str().unwrap(),
            "doctor",
            "--json",
            "-p",
            "private",
        ])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = check(&r, "tls");
    assert_eq!(t["status"], "ok", "{r}");
    assert!(t["summary"].as_str().unwrap().contains("--cacert"), "{t}");
    // A 200 JSON answer is not a login page: the preflight cannot tell.
    assert_eq!(check(&r, "preflight")["status"], "warn");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_demo_is_checked_against_its_built_in_emulator() {
    let env = Env::new();
    let r = doctor_json(&env, &["-p", "demo"], 0);
    for name in [
        "discovery",
        "endpoints",
        "client",
        "client_auth",
        "pkce",
        "preflight",
    ] {
        assert_eq!(check(&r, name)["status"], "ok", "{name}: {r}");
    }
    assert!(
        check(&r, "client")["summary"]
            .as_str()
            .unwrap()
            .contains("from the built-in emulator"),
        "{r}"
    );
    assert!(!r.to_string().contains("mock-client-secret"), "{r}");
}

#[test]
fn no_provider_and_unknown_provider_are_clear_errors() {
    let env = Env::new();
    env.cmd()
        .args(["doctor"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no provider given"));
    env.cmd()
        .args(["doctor", "-p", "nope"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("unknown provider `nope`"));
}

/// IMF-fixdate, as servers write `Date`.
fn httpdate(t: std::time::SystemTime) -> String {
    let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    // Civil from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{wd}, {d:02} {mon} {y} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
