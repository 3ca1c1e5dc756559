#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Config layering (preset → discovery → config → environment → flags) and `providers`.

mod support;

use predicates::prelude::*;
use support::{query_pairs, Env, Reply, Server};

fn url_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn syntax_error_names_the_file_and_line() {
    let env = Env::new();
    let p = env.write_config("default_provider = \"hub\"\n\n[providers.hub\nclient_id = \"x\"\n");
    env.cmd()
        .arg("providers")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!("{}:3:", p.display())));
}

#[test]
fn unknown_key_and_bad_values_are_named() {
    let env = Env::new();
    env.write_config("[providers.hub]\nclient_idd = \"x\"\n");
    env.cmd()
        .arg("providers")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("unknown field `client_idd`"))
        .stderr(predicate::str::contains("config.toml:2:"));
    env.write_config("[providers.hub]\ntoken_endpoint = \"not a url\"\n");
    env.cmd()
        .arg("providers")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "token_endpoint = \"not a url\" is not a URL",
        ));
    env.write_config("[providers.x]\ntoken_endpoint_auth_method = \"magic\"\n");
    env.cmd()
        .arg("providers")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("client_secret_query"));
}

#[test]
fn unknown_provider_lists_the_known_ones() {
    let env = Env::new();
    env.write_config(
        "[providers.corp]\nissuer = \"https://sso.corp.example\"\nclient_id = \"c\"\n",
    );
    env.cmd()
        .args(["authorize-url", "-p", "nope"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("unknown provider `nope`"))
        .stderr(predicate::str::contains(
            "chatwork, demo, hub, onboardbase, teamwork, worksection, corp",
        ));
}

#[test]
fn no_provider_and_no_default_is_a_usage_error() {
    Env::new()
        .cmd()
        .arg("authorize-url")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no provider given"))
        .stderr(predicate::str::contains("default_provider"));
}

#[test]
fn layers_override_in_order_preset_config_env_flags() {
    let env = Env::new();
    env.write_config(
        "default_provider = \"hub\"\n[providers.hub]\nclient_id = \"from-config\"\nauthorization_endpoint = \"http://127.0.0.1:9/staging/authorize\"\n",
    );
    // Config overrides the preset's endpoint, and default_provider picks hub.
    let out = env.cmd().arg("authorize-url").assert().success();
    let url = url_of(&out);
    assert!(
        url.starts_with("http://127.0.0.1:9/staging/authorize?"),
        "{url}"
    );
    let q = query_pairs(&url);
    assert!(q.contains(&("client_id".into(), "from-config".into())));
    // Environment overrides the config file.
    let out = env
        .cmd()
        .arg("authorize-url")
        .env("OAUTHCTL_HUB_CLIENT_ID", "from-env")
        .env("OAUTHCTL_HUB_SCOPES", "teams:write")
        .assert()
        .success();
    let q = query_pairs(&url_of(&out));
    assert!(q.contains(&("client_id".into(), "from-env".into())));
    assert!(q.contains(&("scope".into(), "teams:write".into())));
    // A flag overrides the environment.
    let out = env
        .cmd()
        .args(["authorize-url", "--client-id", "from-flag"])
        .env("OAUTHCTL_HUB_CLIENT_ID", "from-env")
        .assert()
        .success();
    let q = query_pairs(&url_of(&out));
    assert!(q.contains(&("client_id".into(), "from-flag".into())));
    // OAUTHCTL_PROVIDER picks the provider too.
    env.cmd()
        .arg("authorize-url")
        .env("OAUTHCTL_PROVIDER", "chatwork")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "provider `chatwork` has no client_id",
        ));
}

#[test]
fn config_flag_and_env_select_the_file() {
    let env = Env::new();
    let other = env.path().join("elsewhere.toml");
    std::fs::write(&other, "[providers.hub]\nclient_id = \"elsewhere\"\n").unwrap();
    let out = env
        .cmd()
        .args([
            "--config",
            other.to_str().unwrap(),
            "authorize-url",
            "-p",
            "hub",
        ])
        .assert()
        .success();
    assert!(url_of(&out).contains("client_id=elsewhere"));
    let out = env
        .cmd()
        .args(["authorize-url", "-p", "hub"])
        .env("OAUTHCTL_CONFIG", &other)
        .assert()
        .success();
    assert!(url_of(&out).contains("client_id=elsewhere"));
    env.cmd()
        .args(["--config", "/nonexistent/x.toml", "providers"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "cannot read config file /nonexistent/x.toml",
        ));
}

#[test]
fn issuer_and_client_id_are_enough_for_a_standard_server() {
    let s = Server::start();
    let doc = serde_json::json!({
        "issuer": s.base,
        "authorization_endpoint": format!("{}/oauth2/v1/authorize", s.base),
        "token_endpoint": format!("{}/oauth2/v1/token", s.base),
    });
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &doc.to_string()),
    );
    let env = Env::new();
    env.write_config(&format!(
        "[providers.corp]\nissuer = \"{}\"\nclient_id = \"corp-cli\"\nscopes = [\"openid\", \"email\"]\n",
        s.base
    ));
    let out = env
        .cmd()
        .args(["authorize-url", "-p", "corp"])
        .assert()
        .success();
    let url = url_of(&out);
    assert!(url.starts_with(&format!("{}/oauth2/v1/authorize?", s.base)));
    let q = query_pairs(&url);
    assert!(q.contains(&("scope".into(), "openid email".into())));
    assert!(
        q.iter().any(|(k, _)| k == "code_challenge"),
        "PKCE by default"
    );
}

#[test]
fn config_endpoint_overrides_discovery() {
    let s = Server::start();
    let doc = serde_json::json!({
        "issuer": s.base,
        "authorization_endpoint": format!("{}/discovered/authorize", s.base),
        "token_endpoint": format!("{}/token", s.base),
    });
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &doc.to_string()),
    );
    let env = Env::new();
    env.write_config(&format!(
        "[providers.corp]\nissuer = \"{}\"\nclient_id = \"c\"\nauthorization_endpoint = \"{}/configured/authorize\"\n",
        s.base, s.base
    ));
    let out = env
        .cmd()
        .args(["authorize-url", "-p", "corp"])
        .assert()
        .success();
    assert!(url_of(&out).starts_with(&format!("{}/configured/authorize?", s.base)));
}

#[test]
fn providers_lists_presets_configured_and_what_is_missing() {
    let env = Env::new();
    env.write_config(
        "default_provider = \"hub\"\n[providers.hub]\nclient_id = \"h\"\n[providers.corp]\nissuer = \"https://sso.corp.example\"\nclient_id = \"c\"\n",
    );
    let out = env.cmd().arg("providers").assert().success();
    let table = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for name in [
        "hub (default)",
        "chatwork",
        "teamwork",
        "worksection",
        "onboardbase",
        "corp",
    ] {
        assert!(table.contains(name), "{name} missing from:\n{table}");
    }
    let line = |n: &str| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(n))
            .unwrap()
            .to_string()
    };
    assert!(line("hub").contains("ready"));
    assert!(line("chatwork").contains("missing client_id"));
    assert!(line("teamwork").contains("issuer (https://HOST:8443/authentication)"));
    assert!(line("corp").contains("via discovery"));

    let out = env.cmd().args(["providers", "--json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let arr = v.as_array().unwrap();
    let get = |n: &str| arr.iter().find(|p| p["name"] == n).unwrap().clone();
    assert_eq!(get("hub")["ready"], true);
    assert_eq!(get("hub")["default"], true);
    assert_eq!(get("hub")["source"], "preset+config");
    assert_eq!(get("corp")["source"], "config");
    assert_eq!(
        get("onboardbase")["token_endpoint_auth_method"],
        "client_secret_query"
    );
    assert_eq!(
        get("worksection")["endpoints"]["refresh_endpoint"],
        "https://worksection.com/oauth2/refresh"
    );
    let missing: Vec<String> = serde_json::from_value(get("chatwork")["missing"].clone()).unwrap();
    assert_eq!(
        missing,
        ["client_id", "client_secret (or client_secret_env)"]
    );
}

#[test]
fn client_secret_env_satisfies_the_secret() {
    let env = Env::new();
    env.write_config(
        "[providers.chatwork]\nclient_id = \"c\"\nclient_secret_env = \"CW_SECRET\"\n",
    );
    let out = env.cmd().args(["providers", "--json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let cw = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "chatwork")
        .unwrap()
        .clone();
    assert_eq!(cw["ready"], true);
}

#[test]
fn durations_are_parsed_with_units_and_errors_are_clear() {
    let env = Env::new();
    env.cmd()
        .args(["discover", "http://127.0.0.1:1", "--timeout", "5 parsecs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown unit"));
    env.write_config("timeout = \"soon\"\n");
    env.cmd()
        .args(["discover", "http://127.0.0.1:1"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("timeout"));
}
