//! `oauthctl decode`: fixture tokens for every algorithm, tampering, times, and bad input.

use crate::support::{Env, Reply, Server};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use predicates::prelude::*;
use ring::rand::SystemRandom;
use ring::signature::{self, KeyPair};
use serde_json::{json, Value};

fn b64(v: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(v)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Signing keys for every algorithm family, and their public JWKS.
pub(crate) struct Keys {
    rsa: signature::RsaKeyPair,
    ec: signature::EcdsaKeyPair,
    ed: signature::Ed25519KeyPair,
    hmac: Vec<u8>,
}

impl Keys {
    pub(crate) fn new() -> Self {
        let pem = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/rsa-private.pem"
        ))
        .unwrap();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = STANDARD.decode(body).unwrap();
        let rng = SystemRandom::new();
        let ec_pkcs8 = signature::EcdsaKeyPair::generate_pkcs8(
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &rng,
        )
        .unwrap();
        let ed_pkcs8 = signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        Keys {
            rsa: signature::RsaKeyPair::from_pkcs8(&der).unwrap(),
            ec: signature::EcdsaKeyPair::from_pkcs8(
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                ec_pkcs8.as_ref(),
                &rng,
            )
            .unwrap(),
            ed: signature::Ed25519KeyPair::from_pkcs8(ed_pkcs8.as_ref()).unwrap(),
            hmac: b"a-shared-hmac-secret-for-tests".to_vec(),
        }
    }

    pub(crate) fn jwks(&self) -> Value {
        let parts: ring::rsa::PublicKeyComponents<Vec<u8>> = self.rsa.public().into();
        let (n, e) = (parts.n, parts.e);
        let point = self.ec.public_key().as_ref();
        json!({"keys": [
            {"kty": "RSA", "kid": "rsa1", "use": "sig", "n": b64(&n), "e": b64(&e)},
            {"kty": "EC", "kid": "ec1", "crv": "P-256", "x": b64(&point[1..33]), "y": b64(&point[33..65])},
            {"kty": "OKP", "kid": "ed1", "crv": "Ed25519", "x": b64(self.ed.public_key().as_ref())},
        ]})
    }

    pub(crate) fn sign(&self, alg: &str, kid: Option<&str>, claims: &Value) -> String {
        let mut header = json!({"alg": alg, "typ": "JWT"});
        if let Some(k) = kid {
            header["kid"] = json!(k);
        }
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let rng = SystemRandom::new();
        let sig: Vec<u8> = match alg {
            "RS256" | "PS256" => {
                let pad: &dyn signature::RsaEncoding = if alg == "RS256" {
                    &signature::RSA_PKCS1_SHA256
                } else {
                    &signature::RSA_PSS_SHA256
                };
                let mut out = vec![0u8; self.rsa.public().modulus_len()];
                self.rsa
                    .sign(pad, &rng, input.as_bytes(), &mut out)
                    .unwrap();
                out
            }
            "ES256" => self
                .ec
                .sign(&rng, input.as_bytes())
                .unwrap()
                .as_ref()
                .to_vec(),
            "EdDSA" => self.ed.sign(input.as_bytes()).as_ref().to_vec(),
            "HS256" => {
                let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &self.hmac);
                ring::hmac::sign(&key, input.as_bytes()).as_ref().to_vec()
            }
            "none" => vec![],
            other => panic!("{other}"),
        };
        format!("{input}.{}", b64(&sig))
    }
}

pub(crate) fn claims() -> Value {
    json!({
        "iss": "https://issuer.test",
        "sub": "user-42",
        "aud": ["api", "other"],
        "scope": "read write",
        "iat": now() - 60,
        "exp": now() + 42 * 60 + 30,
    })
}

fn setup() -> (Env, Keys, String) {
    let env = Env::new();
    let keys = Keys::new();
    let path = env.path().join("jwks.json");
    std::fs::write(&path, keys.jwks().to_string()).unwrap();
    (env, keys, path.to_str().unwrap().to_string())
}

#[test]
fn every_asymmetric_algorithm_verifies_against_the_jwks() {
    let (env, keys, jwks) = setup();
    for (alg, kid) in [
        ("RS256", "rsa1"),
        ("PS256", "rsa1"),
        ("ES256", "ec1"),
        ("EdDSA", "ed1"),
    ] {
        let token = keys.sign(alg, Some(kid), &claims());
        env.cmd()
            .args(["decode", &token, "--verify", "--jwks", &jwks])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "Signature: valid ({alg}, kid {kid})"
            )))
            .stdout(predicate::str::contains("subject   user-42"))
            .stdout(predicate::str::contains("expires in 42 min"));
    }
    // Without a kid, every key of the right type is tried.
    let token = keys.sign("ES256", None, &claims());
    env.cmd()
        .args(["decode", &token, "--verify", "--jwks", &jwks])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Signature: valid (ES256, kid ec1)",
        ));
}

#[test]
fn hs256_needs_a_secret_from_file_env_or_stdin_never_the_argument() {
    let (env, keys, _) = setup();
    let token = keys.sign("HS256", None, &claims());
    let secret_file = env.path().join("secret");
    std::fs::write(&secret_file, b"a-shared-hmac-secret-for-tests\n").unwrap();
    env.cmd()
        .args([
            "decode",
            &token,
            "--verify",
            "--secret",
            &format!("@{}", secret_file.display()),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Signature: valid (HS256)"));
    env.cmd()
        .args(["decode", &token, "--verify", "--secret", "env:HS_SECRET"])
        .env("HS_SECRET", "a-shared-hmac-secret-for-tests")
        .assert()
        .success();
    env.cmd()
        .args(["decode", &token, "--verify", "--secret", "-"])
        .write_stdin("a-shared-hmac-secret-for-tests")
        .assert()
        .success();
    env.cmd()
        .args(["decode", &token, "--verify", "--secret", "env:HS_SECRET"])
        .env("HS_SECRET", "wrong")
        .assert()
        .code(3)
        .stdout(predicate::str::contains("Signature: INVALID"));
    env.cmd()
        .args([
            "decode",
            &token,
            "--verify",
            "--secret",
            "a-shared-hmac-secret-for-tests",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never the secret itself"));
    env.cmd()
        .args(["decode", &token, "--verify"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "shared secret, and none was given",
        ));
}

#[test]
fn tampered_payload_and_signature_are_invalid() {
    let (env, keys, jwks) = setup();
    let token = keys.sign("RS256", Some("rsa1"), &claims());
    let parts: Vec<&str> = token.split('.').collect();
    let mut evil = claims();
    evil["sub"] = json!("admin");
    let tampered_payload = format!(
        "{}.{}.{}",
        parts[0],
        b64(evil.to_string().as_bytes()),
        parts[2]
    );
    env.cmd()
        .args(["decode", &tampered_payload, "--verify", "--jwks", &jwks])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("Signature: INVALID"))
        .stderr(predicate::str::contains("verification failed"));
    let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    sig[10] ^= 0x01;
    let tampered_sig = format!("{}.{}.{}", parts[0], parts[1], b64(&sig));
    env.cmd()
        .args(["decode", &tampered_sig, "--verify", "--jwks", &jwks])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("Signature: INVALID"));
    // Without --verify, the same token decodes and says it was not verified.
    env.cmd()
        .args(["decode", &tampered_sig])
        .assert()
        .success()
        .stdout(predicate::str::contains("not verified"));
}

#[test]
fn alg_none_unknown_kid_and_unsupported_alg_are_refused() {
    let (env, keys, jwks) = setup();
    let none = keys.sign("none", None, &claims());
    env.cmd()
        .args(["decode", &none])
        .assert()
        .success()
        .stdout(predicate::str::contains("WARNING: unsigned (alg: none)"));
    env.cmd()
        .args(["decode", &none, "--verify", "--jwks", &jwks])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("never accepted as valid"));
    let other_kid = keys.sign("RS256", Some("rotated-away"), &claims());
    env.cmd()
        .args(["decode", &other_kid, "--verify", "--jwks", &jwks])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "no key with kid `rotated-away` (it has: rsa1, ec1, ed1)",
        ));
    let es512 = format!(
        "{}.{}.{}",
        b64(br#"{"alg":"ES512","kid":"ec1"}"#),
        b64(claims().to_string().as_bytes()),
        b64(b"sig")
    );
    env.cmd()
        .args(["decode", &es512, "--verify", "--jwks", &jwks])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("unsupported algorithm `ES512`"));
}

#[test]
fn expired_and_not_yet_valid_tokens() {
    let (env, keys, jwks) = setup();
    let mut c = claims();
    c["exp"] = json!(now() - 3 * 3600 - 100);
    let expired = keys.sign("RS256", Some("rsa1"), &c);
    env.cmd()
        .args(["decode", &expired])
        .assert()
        .success()
        .stdout(predicate::str::contains("expired 3 h ago"));
    env.cmd()
        .args(["decode", &expired, "--verify", "--jwks", &jwks])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("Signature: valid"))
        .stderr(predicate::str::contains("expired 3 h ago"));
    let mut c = claims();
    c["nbf"] = json!(now() + 600);
    let future = keys.sign("RS256", Some("rsa1"), &c);
    env.cmd()
        .args(["decode", &future, "--verify", "--jwks", &jwks])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not valid until"));
    // Within the leeway it passes.
    env.cmd()
        .args([
            "decode", &future, "--verify", "--jwks", &jwks, "--leeway", "15m",
        ])
        .assert()
        .success();
}

#[test]
fn iss_and_aud_are_checked_when_asked() {
    let (env, keys, jwks) = setup();
    let token = keys.sign("EdDSA", Some("ed1"), &claims());
    env.cmd()
        .args([
            "decode",
            &token,
            "--verify",
            "--jwks",
            &jwks,
            "--iss",
            "https://issuer.test",
            "--aud",
            "api",
        ])
        .assert()
        .success();
    env.cmd()
        .args([
            "decode",
            &token,
            "--verify",
            "--jwks",
            &jwks,
            "--iss",
            "https://other.test",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("expected `https://other.test`"));
    env.cmd()
        .args([
            "decode", &token, "--verify", "--jwks", &jwks, "--aud", "billing",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("does not include `billing`"));
}

#[test]
fn jwks_from_a_url_and_from_the_issuers_discovery() {
    let keys = Keys::new();
    let s = Server::start();
    s.route("/jwks", Reply::json(200, &keys.jwks().to_string()));
    s.route(
        "/.well-known/openid-configuration",
        Reply::json(200, &json!({
            "issuer": s.base, "authorization_endpoint": s.url("/a"), "token_endpoint": s.url("/t"), "jwks_uri": s.url("/jwks")
        }).to_string()),
    );
    let mut c = claims();
    c["iss"] = json!(s.base);
    let token = keys.sign("RS256", Some("rsa1"), &c);
    let env = Env::new();
    env.cmd()
        .args(["decode", &token, "--verify", "--jwks", &s.url("/jwks")])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "with a key from {}",
            s.url("/jwks")
        )));
    // The token's own issuer only when asked for (issue 15: anyone can mint such a token).
    env.cmd()
        .args(["decode", &token, "--verify", "--trust-token-issuer"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "Fetching the keys of the token's issuer",
        ));
    assert_eq!(s.hits("/.well-known/openid-configuration"), 1);
    // A provider's jwks_uri.
    env.write_config(&format!(
        "[providers.corp]\njwks_uri = \"{}\"\n",
        s.url("/jwks")
    ));
    env.cmd()
        .args(["decode", &token, "--verify", "-p", "corp"])
        .assert()
        .success();
}

#[test]
fn malformed_tokens_name_the_bad_part() {
    let env = Env::new();
    let head = b64(br#"{"alg":"RS256"}"#);
    env.cmd()
        .args(["decode", &format!("{head}.e30.AAAA.x")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("4 dot-separated parts"));
    env.cmd()
        .args(["decode", &format!("{head}.{}.c2ln", b64(b"not json"))])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "payload (part 2 of the token) is not JSON",
        ));
    env.cmd()
        .args(["decode", &format!("{}.e30.c2ln", &head[..head.len() - 1])])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("header (part 1 of the token)"));
    env.cmd()
        .args(["decode", "-"])
        .write_stdin(format!("{head}.{}.sig", "A".repeat(9 * 1024 * 1024)))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("more than the 8 MiB"));
}

#[test]
fn a_one_megabyte_token_decodes() {
    let (env, keys, jwks) = setup();
    let mut c = claims();
    c["pad"] = json!("p".repeat(1024 * 1024));
    let token = keys.sign("RS256", Some("rsa1"), &c);
    env.cmd()
        .args(["decode", "-", "--verify", "--jwks", &jwks, "--json"])
        .write_stdin(token)
        .assert()
        .success();
}

#[test]
fn bearer_stdin_token_response_jwe_and_opaque() {
    let (env, keys, _) = setup();
    let token = keys.sign("RS256", Some("rsa1"), &claims());
    env.cmd()
        .arg("decode")
        .write_stdin(format!("Authorization: Bearer {token}\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "token: JWT signed with RS256, kid rsa1",
        ));
    let mut id = claims();
    id["nonce"] = json!("n-1");
    let response = json!({
        "access_token": token,
        "id_token": keys.sign("ES256", Some("ec1"), &id),
        "refresh_token": "opaque-refresh-value",
        "token_type": "Bearer",
        "expires_in": 3600,
    });
    let out = env
        .cmd()
        .args(["decode", &response.to_string(), "--json"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["access_token"]["claims"]["sub"], "user-42");
    assert_eq!(v["id_token"]["claims"]["nonce"], "n-1");
    assert_eq!(v["refresh_token"]["kind"], "opaque");
    assert!(v["access_token"]["times"]["exp"]["relative"]
        .as_str()
        .unwrap()
        .starts_with("expires in 4"));
    assert_eq!(v["access_token"]["scopes"], json!(["read", "write"]));

    let jwe = format!(
        "{}.a.b.c.d",
        b64(br#"{"alg":"RSA-OAEP","enc":"A256GCM","kid":"k"}"#)
    );
    env.cmd()
        .args(["decode", &jwe])
        .assert()
        .success()
        .stdout(predicate::str::contains("encrypted JWT (JWE)"))
        .stdout(predicate::str::contains("A256GCM"))
        .stdout(predicate::str::contains("does not decrypt"));
    env.cmd()
        .args(["decode", "gho_16C7e42F292c6912E7710c838347Ae178B4a"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "opaque token (40 characters), not a JWT",
        ));
    env.cmd()
        .args([
            "decode",
            "gho_16C7e42F292c6912E7710c838347Ae178B4a",
            "--verify",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("opaque token has no signature"));
}

#[test]
fn a_token_starting_with_a_hyphen_is_a_token_not_a_flag() {
    // base64url tokens may start with `-`; `-V…` must not print the version.
    let env = Env::new();
    env.cmd()
        .args(["decode", "-VbE3x_opaque-token-value"])
        .assert()
        .success()
        .stdout(predicate::str::contains("opaque token (25 characters)"));
    env.cmd()
        .args(["introspect", "-p", "nope", "-VbE3x_opaque-token-value"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("unknown provider `nope`"));
}
