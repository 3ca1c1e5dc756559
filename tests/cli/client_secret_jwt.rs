//! `client_secret_jwt` (RFC 7523 §2.2 with HS256 over the client secret) against
//! `oauthctl mock -p oidc --client-secret-jwt`: the mock's client authenticates that way
//! only, and the mock checks the assertion (signature, claims, single use). Login,
//! refresh, introspection and revocation all sign a fresh assertion; `--trace` and the
//! HAR show its claims and never its signature or the secret.

use crate::support::flow::Setup;
use crate::support::mock::{basic, get, post_form};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{json, Value};

const TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const SECRET: &str = "mock-client-secret";

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn hs256(secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn claims(s: &Setup, jti: &str) -> Value {
    json!({
        "iss": "oauthctl-mock",
        "sub": "oauthctl-mock",
        "aud": s.mock.url("/token"),
        "iat": now(),
        "exp": now() + 60,
        "jti": jti,
    })
}

fn client_credentials(s: &Setup, assertion: &str) -> crate::support::mock::Resp {
    post_form(
        &s.mock.url("/token"),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "oauthctl-mock"),
            ("client_assertion_type", TYPE),
            ("client_assertion", assertion),
        ],
        &[],
    )
}

fn refused(r: &crate::support::mock::Resp, why: &str) {
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(r.json()["error"], "invalid_client");
    let d = r.json()["error_description"].as_str().unwrap().to_string();
    assert!(d.contains(why), "{why:?} not in {d:?}");
}

fn client_auths(s: &Setup) -> Vec<String> {
    s.mock_records()
        .iter()
        .filter_map(|r| r["client_auth"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn the_mock_checks_client_secret_jwt_assertions_and_nothing_else() {
    let s = Setup::new("oidc", &["--client-secret-jwt"]);
    let meta = get(&s.mock.url("/.well-known/openid-configuration")).json();
    let methods = meta["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap();
    assert!(methods.contains(&json!("client_secret_jwt")), "{meta}");
    assert_eq!(
        meta["token_endpoint_auth_signing_alg_values_supported"],
        json!(["HS256"])
    );
    let config = std::fs::read_to_string(&s.config).unwrap();
    assert!(
        config.contains("token_endpoint_auth_method = \"client_secret_jwt\""),
        "{config}"
    );

    let a = hs256(SECRET, &claims(&s, "c-1"));
    let ok = client_credentials(&s, &a);
    assert_eq!(ok.status, 200, "{}", ok.text());
    refused(&client_credentials(&s, &a), "already used");
    refused(
        &client_credentials(&s, &hs256("another-secret", &claims(&s, "c-2"))),
        "does not verify with the secret",
    );
    let mut c = claims(&s, "c-3");
    c["aud"] = json!("https://elsewhere.example/token");
    refused(
        &client_credentials(&s, &hs256(SECRET, &c)),
        "its aud is not this server",
    );
    let mut c = claims(&s, "c-4");
    c["exp"] = json!(now() - 120);
    refused(&client_credentials(&s, &hs256(SECRET, &c)), "expired");
    // The secret itself, by Basic or in the body, is not how this client authenticates.
    let r = post_form(
        &s.mock.url("/token"),
        &[("grant_type", "client_credentials")],
        &[("Authorization", &basic("oauthctl-mock", SECRET))],
    );
    refused(
        &r,
        "registered with token_endpoint_auth_method client_secret_jwt",
    );
    assert_eq!(
        client_auths(&s).last().map(String::as_str),
        Some("basic"),
        "{}",
        s.mock_log()
    );
}

#[test]
fn login_refresh_introspect_and_logout_sign_a_fresh_assertion_each_time() {
    let s = Setup::new("oidc", &["--client-secret-jwt", "--auto-approve"]);
    s.login().assert().code(0);
    let session = s.session("default").expect("session");
    assert!(session.tokens.refresh_token.is_some());
    s.cmd().args(["refresh", "-p", "oidc"]).assert().code(0);
    s.cmd()
        .args(["introspect", "-p", "oidc"])
        .assert()
        .code(0)
        .stdout(contains("alice"));
    s.cmd()
        .args(["logout", "-p", "oidc", "--revoke-only"])
        .assert()
        .code(0);
    let auths = client_auths(&s);
    // token (code), token (refresh), introspect, revoke ×2: every one by client_secret_jwt.
    assert!(auths.len() >= 5, "{}", s.mock_log());
    assert!(
        auths.iter().all(|a| a == "client_secret_jwt"),
        "{}",
        s.mock_log()
    );
    assert!(s
        .mock_records()
        .iter()
        .filter(|r| r["client_auth"].is_string())
        .all(|r| r["status"] == 200));
}

#[test]
fn trace_and_har_show_the_claims_but_not_the_signature_or_the_secret() {
    let s = Setup::new("oidc", &["--client-secret-jwt"]);
    let har = s.env.path().join("cc.har");
    let out = s
        .cmd()
        .args(["login", "-p", "oidc", "--client-credentials", "--trace"])
        .arg("--har")
        .arg(&har)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let har = std::fs::read_to_string(&har).unwrap();
    for text in [stderr.as_ref(), har.as_str()] {
        assert!(text.contains("client_assertion"), "{text}");
        assert!(!text.contains(SECRET), "the secret leaked: {text}");
        // The assertion's header (HS256) stays readable, its signature is masked.
        assert!(text.contains("eyJ"), "{text}");
        assert!(text.contains("[redacted:"), "{text}");
    }
    let v: Value = serde_json::from_str(&har).unwrap();
    let body = v["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["request"]["url"].as_str().unwrap().ends_with("/token"))
        .map(|e| {
            e["request"]["postData"]["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .unwrap();
    let assertion = body
        .split('&')
        .find_map(|kv| kv.strip_prefix("client_assertion="))
        .unwrap();
    let parts: Vec<&str> = assertion.split('.').collect();
    assert_eq!(parts.len(), 3, "{assertion}");
    assert!(parts[2].starts_with("[redacted:") || parts[2].starts_with("%5Bredacted"));
}

#[test]
fn a_wrong_secret_is_refused_and_explained() {
    let s = Setup::new("oidc", &["--client-secret-jwt"]);
    let config = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace(SECRET, "not-the-secret");
    std::fs::write(&s.config, config).unwrap();
    s.cmd()
        .args(["login", "-p", "oidc", "--client-credentials"])
        .assert()
        .code(5)
        .stderr(contains("invalid_client"))
        .stderr(contains("client_secret_jwt"))
        .stderr(contains("not-the-secret").not());
}
