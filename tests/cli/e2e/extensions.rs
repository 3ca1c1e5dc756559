//! End to end: the modern OAuth extensions of issue 16 against oidc-provider 9 (npm),
//! e2e/provider.mjs's `oauthctl-jwt` client (client_secret_jwt, HS256 request objects,
//! RS256 JARM responses, authorization_details type payment_initiation) and its two
//! registered grants (token exchange, JWT bearer), through the real browser:
//!
//! * `login --par` with client_secret_jwt: the request pushed to `/request`, the browser
//!   given only client_id and request_uri; then `token-exchange --subject-session` gives a
//!   token the provider's userinfo accepts;
//! * `login --jar`: the browser given only client_id and an HS256 `request` object;
//! * `login --response-mode query.jwt` and `form_post.jwt`: the provider's RS256 JARM
//!   response verified against its JWKS before the code is used;
//! * `login --authorization-details`: the granted details stored and shown;
//! * `login --jwt-bearer` with an assertion oauthctl signs with a committed test key;
//! * a private_key_jwt client (`oauthctl-key`) logs in with that test key.
//!
//! Break them on purpose: `E2E_BREAK=extensions` (PAR, request objects and JWT response
//! modes off, RAR without types, the two registered grants refusing, the private_key_jwt
//! client's EC key unregistered) fails every test
//! here, each at its own feature; `E2E_BREAK=secret` (oauthctl-jwt's secret differs) fails
//! every one at client_secret_jwt.

use super::harness::*;
use crate::support::{fixture, Env};

const CLIENT: &str = "oauthctl-jwt";
const SECRET: &str = "e2e-jwt-secret-0123456789abcdef0123456789abcdef";

/// A `[providers.NAME]` table for the client_secret_jwt client.
fn table(p: &Provider, name: &str) -> String {
    format!(
        "{}client_secret = \"{SECRET}\"\ntoken_endpoint_auth_method = \"client_secret_jwt\"\n",
        p.config_table(name, CLIENT)
    )
}

/// `oauthctl login -p NAME --browser <driver> --json EXTRA…` with the file store; the
/// driver signs alice in and consents. Returns login's JSON, its stderr and the URL it
/// printed.
fn login(env: &Env, name: &str, extra: &[&str]) -> (serde_json::Value, String, url::Url) {
    let browser = Browser::new();
    let browser_arg = browser_cmd();
    let mut args = vec![
        "login",
        "-p",
        name,
        "--browser",
        &browser_arg,
        "--login-timeout",
        "60s",
        "--store",
        "file",
        "--json",
        "--trace",
    ];
    args.extend_from_slice(extra);
    let mut cmd = oauthctl(env, None, &args);
    cmd.timeout(LOGIN_TIMEOUT);
    browser.apply(&mut cmd);
    let out = cmd.output().expect("run oauthctl login");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success(),
        "oauthctl login {extra:?} failed ({:?}):\n{stderr}\nbrowser log:\n{}",
        out.status.code(),
        browser.log()
    );
    browser.expect_ok();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("login --json");
    let url = stderr
        .split("Open this URL in a browser")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().find(|w| w.starts_with("http")))
        .unwrap_or_else(|| panic!("login prints the URL: {stderr}"));
    let url = url::Url::parse(url).expect("the printed URL parses");
    assert_eq!(v["client_id"], CLIENT, "{v}");
    assert_eq!(v["subject"], ALICE, "{v}");
    (v, stderr, url)
}

fn names(url: &url::Url) -> Vec<String> {
    url.query_pairs().map(|(k, _)| k.into_owned()).collect()
}

fn param(url: &url::Url, name: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The session's access token in clear.
fn access_token(env: &Env, name: &str) -> String {
    let t = stored_tokens(env, None, name);
    t["tokens"]["access_token"]["value"]
        .as_str()
        .expect("access token")
        .to_string()
}

#[test]
fn par_with_client_secret_jwt_then_token_exchange_of_the_session() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&table(&p, "fapi"));
    let meta = p.metadata();
    assert!(
        meta["pushed_authorization_request_endpoint"].is_string(),
        "{meta}"
    );
    let (_, stderr, url) = login(&env, "fapi", &["--par", "--scope", "openid profile"]);
    assert_eq!(names(&url), ["client_id", "request_uri"], "{url}");
    assert!(param(&url, "request_uri").starts_with("urn:ietf:params:oauth:request_uri:"));
    assert!(stderr.contains("pushed authorization request"), "{stderr}");
    assert!(stderr.contains("client_secret_jwt"), "{stderr}");
    let log = p.log();
    assert!(log.contains("POST /request 201"), "{log}");
    assert!(log.contains("POST /token 200"), "{log}");
    let (status, me) = get_json(&p.url("/me"), Some(&access_token(&env, "fapi")));
    assert_eq!((status, me["sub"].as_str()), (200, Some(ALICE)), "{me}");

    // Token exchange (RFC 8693, registered with registerGrantType): the session's access
    // token for a new one, with client_secret_jwt.
    let v = json_of(
        oauthctl(
            &env,
            None,
            &[
                "token-exchange",
                "-p",
                "fapi",
                "--subject-session",
                "--store",
                "file",
                "--json",
            ],
        ),
        "token-exchange",
    );
    assert_eq!(
        v["issued_token_type"], "urn:ietf:params:oauth:token-type:access_token",
        "{v}"
    );
    let exchanged = v["access_token"].as_str().expect("access_token");
    assert_ne!(exchanged, access_token(&env, "fapi"));
    let (status, me) = get_json(&p.url("/me"), Some(exchanged));
    assert_eq!((status, me["sub"].as_str()), (200, Some(ALICE)), "{me}");
}

#[test]
fn jar_sends_an_hs256_request_object_the_provider_accepts() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&table(&p, "fapi"));
    assert_eq!(p.metadata()["request_parameter_supported"], true);
    let (_, stderr, url) = login(&env, "fapi", &["--jar", "--scope", "openid"]);
    assert_eq!(names(&url), ["client_id", "request"], "{url}");
    let h = jsonwebtoken::decode_header(&param(&url, "request")).expect("a JWT");
    assert_eq!(format!("{:?}", h.alg), "HS256");
    assert_eq!(h.typ.as_deref(), Some("oauth-authz-req+jwt"));
    assert!(stderr.contains("request object: signed"), "{stderr}");
    assert!(p.log().contains("POST /token 200"), "{}", p.log());
}

#[test]
fn jarm_responses_are_verified_against_the_providers_keys() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&table(&p, "fapi"));
    let meta = p.metadata();
    let modes = meta["response_modes_supported"].to_string();
    assert!(
        modes.contains("query.jwt") && modes.contains("form_post.jwt"),
        "{meta}"
    );
    for mode in ["query.jwt", "form_post.jwt"] {
        let (_, stderr, url) = login(
            &env,
            "fapi",
            &["--response-mode", mode, "--scope", "openid"],
        );
        assert_eq!(param(&url, "response_mode"), mode, "{url}");
        assert!(
            stderr.contains(
                "in a JWT-secured response (JARM: RS256, kid e2e-rs256; signature, iss, aud, exp and state verified)"
            ),
            "{mode}: {stderr}"
        );
        let line = stderr
            .lines()
            .find(|l| l.contains("JARM response: header"))
            .unwrap_or_else(|| panic!("{stderr}"));
        assert!(line.contains("\"code\":\"[redacted]\""), "{line}");
        assert!(
            line.contains(&format!("\"iss\":\"{}\"", p.issuer)),
            "{line}"
        );
    }
}

#[test]
fn rar_details_are_granted_and_stored() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&table(&p, "fapi"));
    let details = serde_json::json!([{
        "type": "payment_initiation",
        "instructedAmount": {"currency": "EUR", "amount": "123.50"},
        "creditorName": "Merchant A"
    }]);
    let (v, _, url) = login(
        &env,
        "fapi",
        &[
            "--authorization-details",
            &details.to_string(),
            "--scope",
            "openid api:read",
            "--param",
            &format!("resource={OPAQUE_RESOURCE}"),
        ],
    );
    let sent: serde_json::Value =
        serde_json::from_str(&param(&url, "authorization_details")).expect("JSON");
    assert_eq!(sent, details, "{url}");
    let t = json_of(
        oauthctl(
            &env,
            None,
            &["token", "-p", "fapi", "--store", "file", "--json"],
        ),
        "token --json",
    );
    assert_eq!(t["authorization_details"], details, "{t} / {v}");
}

#[test]
fn jwt_bearer_with_an_assertion_oauthctl_signs() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&table(&p, "fapi"));
    let key = fixture("client-ec.pem");
    let v = json_of(
        oauthctl(
            &env,
            None,
            &[
                "login",
                "-p",
                "fapi",
                "--jwt-bearer",
                "--assertion-key",
                &key,
                "--assertion-sub",
                ALICE,
                "--scope",
                "openid",
                "--store",
                "file",
                "--json",
            ],
        ),
        "login --jwt-bearer",
    );
    assert_eq!(v["grant"], "jwt_bearer", "{v}");
    assert!(p.log().contains("POST /token 200"), "{}", p.log());
    let (status, me) = get_json(&p.url("/me"), Some(&access_token(&env, "fapi")));
    assert_eq!((status, me["sub"].as_str()), (200, Some(ALICE)), "{me}");
}

#[test]
fn private_key_jwt_client_logs_in_with_a_committed_test_key() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&format!(
        "{}token_endpoint_auth_method = \"private_key_jwt\"\nclient_assertion_key = \"{}\"\nclient_assertion_kid = \"client-ec\"\n",
        p.config_table("key", "oauthctl-key"),
        fixture("client-ec.pem")
    ));
    let browser = Browser::new();
    let browser_arg = browser_cmd();
    let mut cmd = oauthctl(
        &env,
        None,
        &[
            "login",
            "-p",
            "key",
            "--browser",
            &browser_arg,
            "--login-timeout",
            "60s",
            "--store",
            "file",
            "--json",
            "--scope",
            "openid",
        ],
    );
    cmd.timeout(LOGIN_TIMEOUT);
    browser.apply(&mut cmd);
    let out = cmd.output().expect("run oauthctl login");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}\n{}", browser.log());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["client_id"], "oauthctl-key", "{v}");
    assert_eq!(v["subject"], ALICE, "{v}");
    assert!(p.log().contains("POST /token 200"), "{}", p.log());
}
