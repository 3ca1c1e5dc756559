#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The flow journal that `authorize-url` (and `login`) write for `exchange`'s diagnosis.

mod support;

use support::Env;

#[test]
fn authorize_url_records_the_flow_without_secrets() {
    let env = Env::new();
    env.write_config("[providers.hub]\nclient_id = \"hub-client\"\nredirect_uri = \"http://127.0.0.1:8765/callback\"\n");
    let out = env
        .cmd()
        .args(["authorize-url", "-p", "hub", "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let verifier = v["code_verifier"].as_str().unwrap();
    let state = v["state"].as_str().unwrap();
    let challenge = v["code_challenge"].as_str().unwrap();
    let path = env.path().join("state/oauthctl/flows.json");
    let text = std::fs::read_to_string(&path).expect("flows.json written");
    assert!(
        !text.contains(verifier),
        "the verifier must not be stored: {text}"
    );
    assert!(!text.contains(state), "the state is stored hashed: {text}");
    let j: serde_json::Value = serde_json::from_str(&text).unwrap();
    let flow = &j["flows"][0];
    assert_eq!(flow["provider"], "hub");
    assert_eq!(flow["client_id"], "hub-client");
    assert_eq!(flow["redirect_uri"], "http://127.0.0.1:8765/callback");
    assert_eq!(flow["code_challenge"], challenge);
    assert_eq!(flow["source"], "authorize-url");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[path = "support/login.rs"]
mod flow;

#[test]
fn login_records_its_flow_code_hash_and_exchange() {
    let s = flow::Setup::new("hub", &["--auto-approve"]);
    s.login().assert().code(0);
    let path = s.env.path().join("state/oauthctl/flows.json");
    let text = std::fs::read_to_string(&path).expect("flows.json written");
    let j: serde_json::Value = serde_json::from_str(&text).unwrap();
    let flow = j["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["source"] == "login")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(flow["provider"], "hub");
    assert_eq!(flow["redirect_uri"], s.redirect_uri.as_str());
    assert_eq!(flow["code_hash"].as_str().unwrap().len(), 32);
    assert!(flow["code_received_at"].is_u64());
    assert_eq!(flow["exchanges"][0]["by"], "login");
    assert_eq!(flow["exchanges"][0]["outcome"], "ok");
    assert_eq!(flow["exchanges"][0]["code_hash"], flow["code_hash"]);
    // The code itself is nowhere in the file.
    let log = s.browser_done();
    let code = log
        .split("code=")
        .nth(1)
        .and_then(|r| r.split('&').next())
        .expect("code in the browser log");
    assert!(code.len() > 20);
    assert!(!text.contains(code), "{text}");
}
