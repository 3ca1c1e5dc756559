//! Signing of JWT access and id tokens with the mock's fixed, public test keys.
//!
//! The keys in `keys/` were generated once with `openssl genpkey` and are committed on
//! purpose: generating an RSA key at start would cost far more than the mock's 100 ms
//! start budget. They are public test keys: never trust a token they sign.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

const RSA_PEM: &str = include_str!("keys/rsa.pem");
const EC_PEM: &str = include_str!("keys/ec.pem");
/// The public halves, as a JWK Set (RFC 7517).
pub const JWKS_JSON: &str = include_str!("keys/jwks.json");

/// The signature algorithm of JWTs the mock issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SigningAlg {
    #[default]
    Rs256,
    Es256,
}

impl SigningAlg {
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::Rs256 => "RS256",
            SigningAlg::Es256 => "ES256",
        }
    }
}

pub struct Signer {
    alg: SigningAlg,
    key: EncodingKey,
    kid: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish()
    }
}

fn kid_for(alg: &str) -> Result<String> {
    let jwks: Value = serde_json::from_str(JWKS_JSON)
        .map_err(|e| Error::internal(format!("the mock's JWKS is invalid: {e}")))?;
    jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["alg"] == alg))
        .and_then(|k| k["kid"].as_str())
        .map(str::to_string)
        .ok_or_else(|| Error::internal(format!("the mock's JWKS has no {alg} key")))
}

impl Signer {
    pub fn new(alg: SigningAlg) -> Result<Signer> {
        let key = match alg {
            SigningAlg::Rs256 => EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()),
            SigningAlg::Es256 => EncodingKey::from_ec_pem(EC_PEM.as_bytes()),
        }
        .map_err(|e| Error::internal(format!("the mock's {} key: {e}", alg.as_str())))?;
        Ok(Signer {
            alg,
            key,
            kid: kid_for(alg.as_str())?,
        })
    }

    pub fn alg(&self) -> SigningAlg {
        self.alg
    }

    /// A signed JWT with `claims`; `typ` is `JWT` unless given (`at+jwt`, RFC 9068).
    pub fn sign(&self, claims: &Value, typ: Option<&str>) -> Result<String> {
        let mut header = Header::new(match self.alg {
            SigningAlg::Rs256 => Algorithm::RS256,
            SigningAlg::Es256 => Algorithm::ES256,
        });
        header.kid = Some(self.kid.clone());
        if let Some(t) = typ {
            header.typ = Some(t.to_string());
        }
        jsonwebtoken::encode(&header, claims, &self.key)
            .map_err(|e| Error::internal(format!("cannot sign a token: {e}")))
    }
}

/// OpenID Connect `at_hash`: the left half of SHA-256 of the access token (both RS256
/// and ES256 use SHA-256), base64url.
pub fn at_hash(access_token: &str) -> String {
    let d = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&d[..16])
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{decode, decode_header, jwk::JwkSet, DecodingKey, Validation};

    #[test]
    fn tokens_verify_against_the_published_jwks() {
        let jwks: JwkSet = serde_json::from_str(JWKS_JSON).unwrap();
        for alg in [SigningAlg::Rs256, SigningAlg::Es256] {
            let s = Signer::new(alg).unwrap();
            let claims = serde_json::json!({"sub": "alice", "aud": "x", "exp": 4_000_000_000u64});
            let t = s.sign(&claims, Some("at+jwt")).unwrap();
            let h = decode_header(&t).unwrap();
            assert_eq!(h.typ.as_deref(), Some("at+jwt"));
            let jwk = jwks.find(h.kid.as_deref().unwrap()).expect("kid in jwks");
            let key = DecodingKey::from_jwk(jwk).unwrap();
            let mut v = Validation::new(h.alg);
            v.set_audience(&["x"]);
            let got = decode::<Value>(&t, &key, &v).unwrap();
            assert_eq!(got.claims["sub"], "alice");
        }
    }
}
