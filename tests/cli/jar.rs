//! Signed authorization requests (JAR, RFC 9101) against `oauthctl mock -p oidc`:
//! `login --jar` (and `authorize-url --jar`) sends the request as a `request` JWT signed
//! with the client's key (RS256/ES256) or, for a client_secret_jwt client, HS256 over
//! the secret; automatic when the server requires it (`--require-jar`); inside the
//! pushed request's body with `--par`. The mock verifies every one.

use crate::support::fixture;
use crate::support::flow::Setup;
use crate::support::mock::get;
use serde_json::Value;

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// The authorization URLs the scripted browser opened.
fn opened(s: &Setup) -> Vec<String> {
    s.browser_done()
        .lines()
        .filter(|l| l.starts_with("GET ") && l.contains("/authorize"))
        .map(|l| l.split(' ').nth(1).unwrap_or("").to_string())
        .collect()
}

fn query(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn names(url: &str) -> Vec<String> {
    query(url).into_iter().map(|(k, _)| k).collect()
}

fn header_alg(jwt: &str) -> String {
    jsonwebtoken::decode_header(jwt)
        .map(|h| format!("{:?}", h.alg))
        .unwrap()
}

#[test]
fn a_server_that_requires_jar_gets_an_hs256_request_object_from_a_client_secret_jwt_client() {
    let s = Setup::new(
        "oidc",
        &["--auto-approve", "--client-secret-jwt", "--require-jar"],
    );
    let meta = get(&s.mock.url("/.well-known/openid-configuration")).json();
    assert_eq!(meta["require_signed_request_object"], true);
    assert_eq!(meta["request_parameter_supported"], true);
    // Not signed: refused.
    let r = s.mock.authorize(
        "/authorize",
        &[
            ("response_type", "code"),
            ("client_id", "oauthctl-mock"),
            ("redirect_uri", &s.redirect_uri),
        ],
    );
    let p = r.redirect_params();
    assert_eq!(p["error"], "invalid_request");
    assert!(p["error_description"].contains("requires signed request objects"));
    // No flag: discovery says it is required. --trace shows the object as a step.
    let out = s.login().arg("--trace").assert().code(0);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("step 1/6 · request object: signed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("alg HS256, typ oauth-authz-req+jwt; claims: response_type, client_id"),
        "{stderr}"
    );
    let url = &opened(&s)[0];
    assert_eq!(names(url), ["client_id", "request"]);
    let jwt = query(url)[1].1.clone();
    assert_eq!(header_alg(&jwt), "HS256");
    let h = jsonwebtoken::decode_header(&jwt).unwrap();
    assert_eq!(h.typ.as_deref(), Some("oauth-authz-req+jwt"));
    let session = s.session("default").expect("session");
    // The nonce and PKCE inside the object did their work.
    assert!(session.tokens.id_token.is_some());
}

#[test]
fn login_jar_signs_with_the_client_key_es256_and_rs256() {
    let s = Setup::new(
        "oidc",
        &[
            "--auto-approve",
            "--require-jar",
            "--client-jwks",
            &fixture("client-jwks.json"),
        ],
    );
    for (key, alg) in [("client-ec.pem", "ES256"), ("rsa-private.pem", "RS256")] {
        s.login()
            .args(["--jar", "--client-assertion-key", &fixture(key)])
            .assert()
            .code(0);
        let url = opened(&s).last().unwrap().clone();
        assert_eq!(names(&url), ["client_id", "request"]);
        assert_eq!(header_alg(&query(&url)[1].1), alg);
        std::fs::remove_file(&s.browser_log).unwrap();
    }
}

#[test]
fn jar_inside_a_pushed_request() {
    let s = Setup::new(
        "oidc",
        &[
            "--auto-approve",
            "--client-secret-jwt",
            "--require-jar",
            "--require-par",
        ],
    );
    s.login().args(["--jar", "--par"]).assert().code(0);
    let pushes: Vec<Value> = s
        .mock_records()
        .into_iter()
        .filter(|r| r["path"] == "/par")
        .collect();
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0]["status"], 201);
    assert_eq!(names(&opened(&s)[0]), ["client_id", "request_uri"]);
}

#[test]
fn a_request_object_signed_with_another_key_is_refused() {
    let s = Setup::new(
        "oidc",
        &[
            "--auto-approve",
            "--require-jar",
            "--client-jwks",
            &fixture("client-jwks.json"),
        ],
    );
    let out = s
        .login()
        .args(["--jar", "--client-assertion-key", &fixture("other-ec.pem")])
        .assert()
        .code(5);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("invalid_request_object"), "{stderr}");
    assert!(stderr.contains("does not verify"), "{stderr}");
    assert!(s.session("default").is_none());
}

#[test]
fn without_a_key_jar_is_explained() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let out = s.login().arg("--jar").assert().code(3);
    assert!(stderr_of(&out).contains("no key to sign the request object"));
}

#[test]
fn authorize_url_jar_and_the_har_hides_the_signature() {
    let s = Setup::new("oidc", &["--client-secret-jwt"]);
    let out = s
        .cmd()
        .args(["authorize-url", "-p", "oidc", "--jar"])
        .assert()
        .code(0);
    let url = String::from_utf8_lossy(&out.get_output().stdout)
        .trim()
        .to_string();
    assert_eq!(names(&url), ["client_id", "request"]);
    // The mock accepts it (the consent page).
    assert_eq!(get(&url).status, 200);

    let har = s.env.path().join("jar.har");
    s.cmd()
        .args(["--har"])
        .arg(&har)
        .args(["login", "-p", "oidc", "--jar", "--par", "--no-browser"])
        .args(["--login-timeout", "1s"])
        .assert()
        .code(7);
    let text = std::fs::read_to_string(&har).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let body = v["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["request"]["url"].as_str().unwrap().ends_with("/par"))
        .map(|e| {
            e["request"]["postData"]["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .expect("the push is in the HAR");
    let object = body
        .split('&')
        .find_map(|kv| kv.strip_prefix("request="))
        .expect("the request object was pushed");
    assert!(object.starts_with("eyJ"), "{object}");
    let parts: Vec<&str> = object.split('.').collect();
    assert_eq!(parts.len(), 3, "{object}");
    assert!(
        parts[2].starts_with("[redacted") || parts[2].starts_with("%5Bredacted"),
        "{object}"
    );
}

#[test]
fn doctor_fails_when_the_server_requires_jar_and_there_is_no_key() {
    let doctor = |s: &Setup, code: i32| -> Value {
        let out = s
            .cmd()
            .args(["doctor", "-p", "oidc", "--json"])
            .assert()
            .code(code)
            .get_output()
            .clone();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "authorization_request")
            .cloned()
            .unwrap()
    };
    let s = Setup::new("oidc", &["--require-jar"]);
    let c = doctor(&s, 3);
    assert_eq!(c["status"], "fail", "{c}");
    assert!(c["summary"]
        .as_str()
        .unwrap()
        .contains("the server requires signed request objects, but this provider has no key"));
    let s = Setup::new("oidc", &["--require-jar", "--client-secret-jwt"]);
    let c = doctor(&s, 0);
    assert_eq!(
        c["summary"],
        "the server requires signed request objects; this provider will sign them with HS256 over the client secret"
    );
}

#[test]
fn an_ed25519_key_signs_the_request_object_and_the_client_assertion_with_eddsa() {
    let s = Setup::new(
        "oidc",
        &[
            "--auto-approve",
            "--require-jar",
            "--client-jwks",
            &fixture("client-ed25519.pub.pem"),
        ],
    );
    s.login()
        .args(["--client-assertion-key", &fixture("client-ed25519.pem")])
        .assert()
        .code(0);
    let url = opened(&s)[0].clone();
    assert_eq!(header_alg(&query(&url)[1].1), "EdDSA");
    let token: Vec<Value> = s
        .mock_records()
        .into_iter()
        .filter(|r| r["path"] == "/token")
        .collect();
    assert_eq!(token[0]["client_auth"], "private_key_jwt");
    assert_eq!(token[0]["status"], 200);
}

#[test]
fn request_object_signing_alg_ps256_with_an_rsa_key() {
    let s = Setup::new(
        "oidc",
        &[
            "--auto-approve",
            "--require-jar",
            "--client-jwks",
            &fixture("client-jwks.json"),
        ],
    );
    let mut config = std::fs::read_to_string(&s.config).unwrap();
    config.push_str("request_object_signing_alg = \"PS256\"\n");
    std::fs::write(&s.config, &config).unwrap();
    s.login()
        .args(["--client-assertion-key", &fixture("rsa-private.pem")])
        .assert()
        .code(0);
    assert_eq!(header_alg(&query(&opened(&s)[0])[1].1), "PS256");
    // An EC key cannot sign PS256: said before anything is sent.
    let out = s
        .login()
        .args(["--client-assertion-key", &fixture("client-ec.pem")])
        .assert()
        .code(3);
    assert!(stderr_of(&out).contains("signs ES256, not PS256"));
}
