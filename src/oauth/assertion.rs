//! Client authentication with a JWT assertion (RFC 7523 §2.2, OpenID Connect Core §9):
//! `private_key_jwt` signs it with the client's private key, `client_secret_jwt` with
//! HS256 over the client secret. Each request carries a fresh, short-lived JWT:
//! `iss` = `sub` = client_id, `aud` = the token endpoint, `exp`, `iat` and a random
//! single-use `jti`.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::RngCore;
use serde_json::json;

use crate::error::{Error, Result};

/// `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is valid. Short: it is made just before it is sent.
pub const LIFETIME_SECS: u64 = 60;

/// A loaded signing key. Its `Debug` never shows the key.
pub struct AssertionKey {
    alg: Algorithm,
    key: EncodingKey,
    /// The file it came from, for messages.
    pub path: String,
}

impl std::fmt::Debug for AssertionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssertionKey")
            .field("alg", &self.alg)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn bad_key(path: &str, why: &str) -> Error {
    Error::input(format!(
        "the client assertion key {path} is not usable: {why}"
    ))
    .with_hint("give an RSA (RS256) or EC P-256 (ES256) private key in PEM, e.g. made with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out client.pem`")
}

impl AssertionKey {
    /// Reads a PEM private key: RSA (PKCS#8 or PKCS#1) signs RS256, EC P-256 (PKCS#8)
    /// signs ES256. The key is checked by signing once.
    pub fn load(path: &str) -> Result<AssertionKey> {
        let pem = std::fs::read(Path::new(path)).map_err(|e| {
            Error::input(format!(
                "cannot read the client assertion key {path}: {e}"
            ))
            .with_hint("pass the PEM file of the client's private key with --client-assertion-key FILE, or set `client_assertion_key` in the provider's table of the config file")
        })?;
        Self::from_pem(&pem, path)
    }

    /// A key from PEM text; `path` names it in messages.
    pub fn from_pem(pem: &[u8], path: &str) -> Result<AssertionKey> {
        let text = String::from_utf8_lossy(pem);
        if !text.contains("-----BEGIN") {
            return Err(bad_key(path, "it is not a PEM file"));
        }
        if text.contains("ENCRYPTED PRIVATE KEY") {
            return Err(bad_key(
                path,
                "it is encrypted; decrypt it first (`openssl pkey -in KEY -out client.pem`)",
            ));
        }
        if text.contains("PUBLIC KEY") && !text.contains("PRIVATE KEY") {
            return Err(bad_key(
                path,
                "it is a public key; the client signs with its private key (the server keeps the public one)",
            ));
        }
        // An EC key in PKCS#1-like SEC1 form is not PKCS#8.
        if text.contains("BEGIN EC PRIVATE KEY") {
            return Err(bad_key(
                path,
                "it is an EC key in SEC1 form; convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in KEY -out client.pem`",
            ));
        }
        let (alg, key) = if let Ok(k) = EncodingKey::from_rsa_pem(pem) {
            (Algorithm::RS256, k)
        } else if let Ok(k) = EncodingKey::from_ec_pem(pem) {
            (Algorithm::ES256, k)
        } else if let Ok(k) = EncodingKey::from_ed_pem(pem) {
            (Algorithm::EdDSA, k)
        } else {
            return Err(bad_key(
                path,
                "it is neither an RSA, an EC nor an Ed25519 private key",
            ));
        };
        let key = AssertionKey {
            alg,
            key,
            path: path.to_string(),
        };
        // ring refuses wrong curves (P-384 for ES256) or broken keys only when signing.
        key.sign("check", "https://check.invalid/token", None, 0)
            .map_err(|_| {
                bad_key(
                    path,
                    match alg {
                        Algorithm::ES256 => "only EC keys on the P-256 curve (ES256) are supported",
                        Algorithm::EdDSA => "the Ed25519 key cannot sign",
                        _ => "the RSA key cannot sign (RS256 needs at least 2048 bits)",
                    },
                )
            })?;
        Ok(key)
    }

    /// This key signing with `alg` instead: PS256 (or RS256) for an RSA key; the key's
    /// own algorithm otherwise.
    pub fn with_alg(self, alg: &str) -> Result<AssertionKey> {
        let want = match alg {
            "RS256" => Algorithm::RS256,
            "PS256" => Algorithm::PS256,
            "ES256" => Algorithm::ES256,
            "EdDSA" => Algorithm::EdDSA,
            other => {
                return Err(Error::input(format!(
                    "signing algorithm `{other}` is not supported; use RS256, PS256, ES256 or EdDSA (HS256: token_endpoint_auth_method = \"client_secret_jwt\")"
                )))
            }
        };
        let fits = want == self.alg || (self.alg == Algorithm::RS256 && want == Algorithm::PS256);
        if !fits {
            return Err(Error::input(format!(
                "the key {} signs {}, not {alg}",
                self.path,
                self.alg()
            ))
            .with_hint(
                "PS256 and RS256 need an RSA key, ES256 an EC P-256 key, EdDSA an Ed25519 key",
            ));
        }
        Ok(AssertionKey { alg: want, ..self })
    }

    /// `RS256`, `PS256`, `ES256` or `EdDSA`.
    pub fn alg(&self) -> &'static str {
        match self.alg {
            Algorithm::ES256 => "ES256",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::PS256 => "PS256",
            _ => "RS256",
        }
    }

    /// A signed client assertion for `client_id`, addressed to `audience`, valid from
    /// `now` (a Unix time) for `LIFETIME_SECS`.
    pub fn sign(
        &self,
        client_id: &str,
        audience: &str,
        kid: Option<&str>,
        now: u64,
    ) -> Result<String> {
        self.encode("JWT", kid, &claims(client_id, audience, now))
    }

    /// An authorization grant assertion (RFC 7523 §2.1, §3): issued by `issuer` (the
    /// client), about `subject` (the user or service it stands for), for `audience`
    /// (the token endpoint), valid from `now` for `LIFETIME_SECS`, with a single-use
    /// `jti`.
    pub fn sign_grant(
        &self,
        issuer: &str,
        subject: &str,
        audience: &str,
        now: u64,
    ) -> Result<String> {
        let mut c = claims(issuer, audience, now);
        c["sub"] = json!(subject);
        self.encode("JWT", None, &c)
    }

    /// Any JWT signed with this key: `typ` and `kid` in the header, `claims` as given.
    pub fn encode(
        &self,
        typ: &str,
        kid: Option<&str>,
        claims: &serde_json::Value,
    ) -> Result<String> {
        let mut header = Header::new(self.alg);
        header.typ = Some(typ.into());
        header.kid = kid.map(str::to_string);
        jsonwebtoken::encode(&header, claims, &self.key)
            .map_err(|e| Error::input(format!("cannot sign a JWT with {}: {e}", self.path)))
    }
}

/// A random, single-use `jti`.
pub fn jti() -> String {
    let mut jti = [0u8; 18];
    rand::thread_rng().fill_bytes(&mut jti);
    URL_SAFE_NO_PAD.encode(jti)
}

/// The claims of a client assertion (RFC 7523 §3).
fn claims(client_id: &str, audience: &str, now: u64) -> serde_json::Value {
    json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + LIFETIME_SECS,
        "jti": jti(),
    })
}

/// A `client_secret_jwt` assertion (RFC 7523 §2.2): the same claims as
/// [`AssertionKey::sign`], signed with HS256 over the client secret's bytes.
pub fn sign_with_secret(
    secret: &crate::secret::Secret,
    client_id: &str,
    audience: &str,
    now: u64,
) -> Result<String> {
    encode_with_secret(secret, "JWT", &claims(client_id, audience, now))
}

/// Any JWT signed with HS256 over the client secret, `typ` in the header.
pub fn encode_with_secret(
    secret: &crate::secret::Secret,
    typ: &str,
    claims: &serde_json::Value,
) -> Result<String> {
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some(typ.into());
    let key = EncodingKey::from_secret(secret.expose().as_bytes());
    jsonwebtoken::encode(&header, claims, &key)
        .map_err(|e| Error::input(format!("cannot sign a JWT with the client secret: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
    use serde_json::Value;

    const EC_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";

    #[test]
    fn signs_rs256_and_es256_assertions_with_the_rfc7523_claims() {
        for (pem, alg) in [
            (include_str!("../mock/keys/rsa.pem"), "RS256"),
            (include_str!("../mock/keys/ec.pem"), "ES256"),
        ] {
            let k = AssertionKey::from_pem(pem.as_bytes(), "k.pem").unwrap();
            assert_eq!(k.alg(), alg);
            let now = crate::clock::unix_now();
            let a = k
                .sign("cid", "https://as/token", Some("kid-1"), now)
                .unwrap();
            let b = k.sign("cid", "https://as/token", None, now).unwrap();
            let h = decode_header(&a).unwrap();
            assert_eq!(h.kid.as_deref(), Some("kid-1"));
            assert_eq!(h.typ.as_deref(), Some("JWT"));
            let mut v = Validation::new(h.alg);
            v.set_audience(&["https://as/token"]);
            v.set_issuer(&["cid"]);
            v.insecure_disable_signature_validation();
            let c = decode::<Value>(&a, &DecodingKey::from_secret(b""), &v)
                .unwrap()
                .claims;
            let d = decode::<Value>(&b, &DecodingKey::from_secret(b""), &v)
                .unwrap()
                .claims;
            assert_eq!(c["sub"], "cid");
            assert_eq!(c["exp"].as_u64().unwrap(), now + LIFETIME_SECS);
            assert_ne!(c["jti"], d["jti"], "every assertion has its own jti");
            assert!(!format!("{k:?}").contains("BEGIN"));
        }
    }

    #[test]
    fn client_secret_jwt_is_hs256_over_the_secret_with_the_same_claims() {
        let secret = crate::secret::Secret::new("s3cret".to_string());
        let now = crate::clock::unix_now();
        let a = sign_with_secret(&secret, "cid", "https://as/token", now).unwrap();
        let b = sign_with_secret(&secret, "cid", "https://as/token", now).unwrap();
        let h = decode_header(&a).unwrap();
        assert_eq!(h.alg, Algorithm::HS256);
        assert_eq!(h.typ.as_deref(), Some("JWT"));
        assert!(h.kid.is_none());
        let mut v = Validation::new(Algorithm::HS256);
        v.set_audience(&["https://as/token"]);
        v.set_issuer(&["cid"]);
        let c = decode::<Value>(&a, &DecodingKey::from_secret(b"s3cret"), &v)
            .unwrap()
            .claims;
        assert_eq!(c["sub"], "cid");
        assert_eq!(c["exp"].as_u64().unwrap(), now + LIFETIME_SECS);
        let d = decode::<Value>(&b, &DecodingKey::from_secret(b"s3cret"), &v)
            .unwrap()
            .claims;
        assert_ne!(c["jti"], d["jti"], "every assertion has its own jti");
        // Another secret does not verify it; the secret itself is not in it.
        assert!(decode::<Value>(&a, &DecodingKey::from_secret(b"other"), &v).is_err());
        assert!(!a.contains("s3cret"));
    }

    #[test]
    fn an_rsa_key_signs_ps256_when_asked_and_other_pairs_are_refused() {
        let k = AssertionKey::from_pem(include_bytes!("../mock/keys/rsa.pem"), "rsa.pem")
            .unwrap()
            .with_alg("PS256")
            .unwrap();
        assert_eq!(k.alg(), "PS256");
        let a = k.sign("cid", "https://as/token", None, 0).unwrap();
        assert_eq!(decode_header(&a).unwrap().alg, Algorithm::PS256);
        let ec = AssertionKey::from_pem(include_bytes!("../mock/keys/ec.pem"), "ec.pem").unwrap();
        let e = ec.with_alg("PS256").unwrap_err();
        assert!(
            e.message.contains("signs ES256, not PS256"),
            "{}",
            e.message
        );
        let ec = AssertionKey::from_pem(include_bytes!("../mock/keys/ec.pem"), "ec.pem").unwrap();
        assert!(ec.with_alg("none").is_err());
    }

    #[test]
    fn an_ed25519_key_signs_eddsa() {
        let pem = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/client-ed25519.pem"
        ))
        .unwrap();
        let k = AssertionKey::from_pem(&pem, "ed.pem").unwrap();
        assert_eq!(k.alg(), "EdDSA");
        let a = k.sign("cid", "https://as/token", None, 0).unwrap();
        assert_eq!(decode_header(&a).unwrap().alg, Algorithm::EdDSA);
    }

    #[test]
    fn refuses_what_is_not_a_private_key() {
        let e = AssertionKey::from_pem(EC_PUBLIC.as_bytes(), "pub.pem").unwrap_err();
        assert!(e.message.contains("public key"), "{}", e.message);
        assert_eq!(e.exit_code(), 3);
        let e = AssertionKey::from_pem(b"hello", "x").unwrap_err();
        assert!(e.message.contains("not a PEM"), "{}", e.message);
        let e = AssertionKey::load("/nonexistent/key.pem").unwrap_err();
        assert!(e.message.contains("cannot read"), "{}", e.message);
    }
}
