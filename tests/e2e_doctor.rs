#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl doctor` against a real OpenID provider (npm `oidc-provider`, e2e/provider.mjs):
//! its preflight must tell an accepted authorization request from a refused one on
//! software oauthctl did not write. Needs `scripts/e2e-setup.sh` (fails, never skips).

mod e2e_support;
mod support;

use e2e_support::*;
use serde_json::Value;
use support::Env;

fn doctor(env: &Env, args: &[&str], code: i32) -> Value {
    let out = env
        .cmd()
        .args(["doctor", "--json", "-p", "real"])
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

fn check<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {r}"))
}

#[test]
fn a_real_provider_accepts_the_native_client() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let r = doctor(&env, &[], 0);
    assert_eq!(check(&r, "discovery")["status"], "ok", "{r}");
    assert_eq!(check(&r, "client_auth")["status"], "ok", "{r}");
    let pf = check(&r, "preflight");
    assert_eq!(pf["status"], "ok", "{r}");
    assert!(
        pf["summary"]
            .as_str()
            .unwrap()
            .contains("login or consent page"),
        "{pf}"
    );
}

#[test]
fn a_real_provider_refusing_the_redirect_uri_or_the_client_is_caught() {
    let p = start_provider_with(&[("E2E_BREAK", "redirect_uri")]);
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let r = doctor(&env, &[], 5);
    let pf = check(&r, "preflight");
    assert_eq!(pf["status"], "fail", "{r}");
    let details = pf["details"].to_string();
    assert!(details.contains("invalid_redirect_uri"), "{details}");
    assert!(details.contains("character for character"), "{details}");
    // The server's own address (its `iss`) is not mistaken for a registered URI.
    assert!(!details.contains(&format!("`{}`", p.issuer)), "{details}");

    let p = start_provider_with(&[("E2E_BREAK", "client_id")]);
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let r = doctor(&env, &[], 5);
    let pf = check(&r, "preflight");
    assert_eq!(pf["status"], "fail", "{r}");
    assert!(
        pf["details"]
            .to_string()
            .contains(&format!("does not accept client_id `{NATIVE_CLIENT_ID}`")),
        "{pf}"
    );
}
