#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl mock --client-jwks`: the mock's client authenticates with private_key_jwt
//! (RFC 7523 §2.2, §3), and the mock checks every part of the assertion.

mod support;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use support::mock::{get, post_form, MockProc};
use support::Env;

const TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn sign(key_file: &str, kid: Option<&str>, claims: &Value) -> String {
    let pem = std::fs::read(fixture(key_file)).unwrap();
    let (alg, key) = if key_file.starts_with("rsa") {
        (Algorithm::RS256, EncodingKey::from_rsa_pem(&pem).unwrap())
    } else {
        (Algorithm::ES256, EncodingKey::from_ec_pem(&pem).unwrap())
    };
    let mut h = Header::new(alg);
    h.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&h, claims, &key).unwrap()
}

fn claims(m: &MockProc, jti: &str) -> Value {
    json!({
        "iss": "oauthctl-mock",
        "sub": "oauthctl-mock",
        "aud": m.url("/token"),
        "iat": now(),
        "exp": now() + 60,
        "jti": jti,
    })
}

fn token(m: &MockProc, assertion: &str, with_id: bool) -> support::mock::Resp {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_assertion_type", TYPE),
        ("client_assertion", assertion),
    ];
    if with_id {
        form.push(("client_id", "oauthctl-mock"));
    }
    post_form(&m.url("/token"), &form, &[])
}

fn refused(r: &support::mock::Resp, why: &str) {
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(r.json()["error"], "invalid_client");
    let d = r.json()["error_description"].as_str().unwrap().to_string();
    assert!(d.contains(why), "{why:?} not in {d:?}");
}

#[test]
fn assertions_are_checked_claim_by_claim_and_used_once() {
    let env = Env::new();
    let m = MockProc::start(
        &env,
        "oidc",
        &["--client-jwks", &fixture("client-jwks.json")],
    );
    let meta = get(&m.url("/.well-known/openid-configuration")).json();
    assert!(meta["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap()
        .contains(&json!("private_key_jwt")));
    assert_eq!(
        meta["token_endpoint_auth_signing_alg_values_supported"],
        json!(["RS256", "ES256"])
    );

    // A good ES256 assertion, found by kid; the same one again is refused.
    let a = sign("client-ec.pem", Some("client-ec"), &claims(&m, "j-1"));
    let ok = token(&m, &a, true);
    assert_eq!(ok.status, 200, "{}", ok.text());
    refused(&token(&m, &a, true), "already used");
    // RS256 without a kid, and without client_id (the assertion's sub names the client).
    let ok = token(
        &m,
        &sign("rsa-private.pem", None, &claims(&m, "j-2")),
        false,
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    // The issuer is an accepted audience too.
    let mut c = claims(&m, "j-3");
    c["aud"] = json!(m.base);
    assert_eq!(
        token(&m, &sign("client-ec.pem", None, &c), true).status,
        200
    );

    let mut c = claims(&m, "j-4");
    c["aud"] = json!("https://elsewhere.example/token");
    refused(
        &token(&m, &sign("client-ec.pem", None, &c), true),
        "its aud is not this server",
    );
    let mut c = claims(&m, "j-5");
    c["exp"] = json!(now() - 120);
    refused(
        &token(&m, &sign("client-ec.pem", None, &c), true),
        "expired",
    );
    let mut c = claims(&m, "j-6");
    c["iss"] = json!("someone-else");
    refused(
        &token(&m, &sign("client-ec.pem", None, &c), true),
        "iss must be",
    );
    let mut c = claims(&m, "j-7");
    c["sub"] = json!("someone-else");
    refused(
        &token(&m, &sign("client-ec.pem", None, &c), true),
        "sub must be",
    );
    let mut c = claims(&m, "j-8");
    c.as_object_mut().unwrap().remove("jti");
    refused(&token(&m, &sign("client-ec.pem", None, &c), true), "no jti");
    refused(
        &token(&m, &sign("other-ec.pem", None, &claims(&m, "j-9")), true),
        "signature does not verify",
    );
    refused(
        &token(
            &m,
            &sign("client-ec.pem", Some("unknown-kid"), &claims(&m, "j-10")),
            true,
        ),
        "no registered key",
    );
    // The wrong assertion type, and a secret instead of an assertion.
    let a = sign("client-ec.pem", None, &claims(&m, "j-11"));
    let r = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "oauthctl-mock"),
            ("client_assertion_type", "urn:example:other"),
            ("client_assertion", &a),
        ],
        &[],
    );
    refused(&r, "client_assertion_type");
    let r = post_form(
        &m.url("/token"),
        &[("grant_type", "client_credentials")],
        &[(
            "Authorization",
            &support::mock::basic("oauthctl-mock", "mock-client-secret"),
        )],
    );
    refused(&r, "authenticates with private_key_jwt");
}

#[test]
fn a_pem_public_key_works_and_a_private_one_is_refused_at_start() {
    let env = Env::new();
    let m = MockProc::start(
        &env,
        "teamwork",
        &["--client-jwks", &fixture("client-ec.pub.pem")],
    );
    // Teamwork takes Basic only; a client registered with keys adds private_key_jwt.
    let mut c = claims(&m, "p-1");
    c["aud"] = json!(m.url("/authentication/api/oauth2/token"));
    let r = post_form(
        &m.url("/authentication/api/oauth2/token"),
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
            ("client_id", "oauthctl-mock"),
            ("client_assertion_type", TYPE),
            ("client_assertion", &sign("client-ec.pem", None, &c)),
        ],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text());

    let env = Env::new();
    env.cmd()
        .args([
            "mock",
            "-p",
            "oidc",
            "--client-jwks",
            &fixture("client-ec.pem"),
        ])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("it is a private key"));
    env.cmd()
        .args(["mock", "-p", "oidc", "--client-jwks", "/nonexistent.json"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("cannot read --client-jwks"));
}
