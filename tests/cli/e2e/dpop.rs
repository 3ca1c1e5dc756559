//! End to end: DPoP (RFC 9449) against npm oidc-provider, which has DPoP on by default
//! (proofs ES256, Ed25519 or EdDSA; e2e/provider.mjs needs no change). `login --dpop`
//! through the real browser binds the tokens to the session's key; `me`, `call` on
//! userinfo and `refresh` keep the binding (the provider checks every proof and refuses
//! a bound token sent as a bearer token); the JWT access token of the API resource and
//! the introspection of the opaque one name the key's thumbprint in `cnf.jkt`.

use super::harness::*;
use crate::support::{jwt_claims, Env};
use oauthctl::oauth::dpop::DpopKey;
use oauthctl::store::{Preference, SessionKey, Store};

/// The thumbprint of the stored session's DPoP key (file store).
fn session_jkt(env: &Env, profile: &str) -> String {
    let store = Store::new(Preference::File, env.path().join("data").join("oauthctl"));
    let s = store
        .load(&SessionKey::new("real", profile).unwrap())
        .unwrap()
        .expect("a session");
    let data = s.dpop_key.expect("the DPoP key is kept with the session");
    DpopKey::from_data(&data).unwrap().thumbprint()
}

#[test]
fn dpop_login_in_a_real_browser_then_me_call_and_refresh_keep_the_binding() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let meta = p.metadata();
    assert!(
        meta["dpop_signing_alg_values_supported"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "ES256")),
        "{meta}"
    );
    let v = browser_login(
        &env,
        None,
        "real",
        &[
            "--store",
            "file",
            "--scope",
            "openid offline_access email profile",
            "--param",
            "prompt=consent",
            "--dpop",
        ],
    );
    assert_eq!(v["token_type"], "DPoP", "{v}");
    assert_eq!(
        v["subject"], ALICE,
        "userinfo answered the DPoP request: {v}"
    );
    let jkt = session_jkt(&env, "default");
    let t = stored_tokens(&env, None, "real");
    let access = t["tokens"]["access_token"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    // The provider bound it: introspection says so, and a bearer request is refused.
    let (st, i) = post_form(
        &p.url("/token/introspection"),
        &[("token", &access)],
        Some((BASIC_CLIENT_ID, BASIC_CLIENT_SECRET)),
    );
    assert_eq!(st, 200, "{i}");
    assert_eq!(i["active"], true, "{i}");
    assert_eq!(i["cnf"]["jkt"], jkt.as_str(), "{i}");
    let (st, body) = get_json(&p.url("/me"), Some(&access));
    assert_eq!(st, 401, "a DPoP-bound token as a bearer token: {body}");

    // me and call send `Authorization: DPoP` with a fresh proof each.
    let me = stdout_of(oauthctl(
        &env,
        None,
        &["me", "-p", "real", "--store", "file"],
    ));
    assert!(me.contains(ALICE_EMAIL), "{me}");
    let userinfo = p.url("/me");
    let called = stdout_of(oauthctl(
        &env,
        None,
        &["call", "-p", "real", "--store", "file", &userinfo],
    ));
    assert!(called.contains(ALICE_EMAIL), "{called}");
    let header = stdout_of(oauthctl(
        &env,
        None,
        &[
            "header", "-p", "real", "--store", "file", "--url", &userinfo,
        ],
    ));
    assert!(header.starts_with("Authorization: DPoP "), "{header}");
    assert!(header.contains("\nDPoP: eyJ"), "{header}");

    // refresh proves the same key (the public client's refresh token is bound to it).
    let r = json_of(
        oauthctl(
            &env,
            None,
            &["refresh", "-p", "real", "--store", "file", "--json"],
        ),
        "refresh",
    );
    assert_eq!(r["refresh_token_rotated"], true, "{r}");
    assert_eq!(session_jkt(&env, "default"), jkt);
    let after = stored_tokens(&env, None, "real");
    let new_access = after["tokens"]["access_token"]["value"].as_str().unwrap();
    assert_ne!(new_access, access);
    let store = Store::new(Preference::File, env.path().join("data").join("oauthctl"));
    let session = store
        .load(&SessionKey::new("real", "default").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(session.tokens.token_type, "DPoP", "{after}");
    let me = stdout_of(oauthctl(
        &env,
        None,
        &["me", "-p", "real", "--store", "file"],
    ));
    assert!(me.contains(ALICE_EMAIL), "{me}");

    // A JWT access token for the API resource carries the key's thumbprint.
    let resource = format!("resource={JWT_RESOURCE}");
    browser_login(
        &env,
        None,
        "real",
        &[
            "--store",
            "file",
            "--profile",
            "api",
            "--scope",
            "openid api:read",
            "--param",
            &resource,
            "--dpop",
        ],
    );
    let api_access = stdout_of(oauthctl(
        &env,
        None,
        &["token", "-p", "real", "--profile", "api", "--store", "file"],
    ));
    let claims = jwt_claims(&api_access);
    assert_eq!(claims["aud"], JWT_RESOURCE, "{claims}");
    assert_eq!(
        claims["cnf"]["jkt"],
        session_jkt(&env, "api").as_str(),
        "{claims}"
    );
}
