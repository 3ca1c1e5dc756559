//! The public keys a client registers for `private_key_jwt` (`--client-jwks`): a JWK
//! Set, one JWK, or a PEM public key (RSA, EC P-256 or Ed25519). A leaf: it depends on no other file of the mock.

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;

use crate::error::{Error, Result};

/// One public key of a client.
#[derive(Clone)]
pub enum ClientKey {
    Jwk(Box<Jwk>),
    /// A PEM public key: RSA (RS256) or EC (ES256).
    Pem {
        alg: Algorithm,
        key: DecodingKey,
    },
}

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientKey::Jwk(j) => write!(f, "Jwk(kid={:?})", j.common.key_id),
            ClientKey::Pem { alg, .. } => write!(f, "Pem({alg:?})"),
        }
    }
}

impl ClientKey {
    pub fn kid(&self) -> Option<&str> {
        match self {
            ClientKey::Jwk(j) => j.common.key_id.as_deref(),
            ClientKey::Pem { .. } => None,
        }
    }

    /// The key for `alg`, if it is one.
    pub fn decoding(&self, alg: Algorithm) -> Option<DecodingKey> {
        match self {
            ClientKey::Jwk(j) => {
                let fits = matches!(
                    (&j.algorithm, alg),
                    (
                        AlgorithmParameters::RSA(_),
                        Algorithm::RS256 | Algorithm::PS256
                    ) | (AlgorithmParameters::EllipticCurve(_), Algorithm::ES256)
                        | (AlgorithmParameters::OctetKeyPair(_), Algorithm::EdDSA)
                );
                fits.then(|| DecodingKey::from_jwk(j).ok()).flatten()
            }
            ClientKey::Pem { alg: a, key } => {
                let rsa_pss = *a == Algorithm::RS256 && alg == Algorithm::PS256;
                (*a == alg || rsa_pss).then(|| key.clone())
            }
        }
    }
}

/// Reads `--client-jwks`: a JWK Set, one JWK, or a PEM public key.
pub fn parse_keys(text: &str, origin: &str) -> Result<Vec<ClientKey>> {
    let bad = |why: String| {
        Error::input(format!("the client keys in {origin} are not usable: {why}")).with_hint(
            "give a JWK Set ({\"keys\": [...]}) or a PEM public key (`openssl pkey -in client.pem -pubout`)",
        )
    };
    let t = text.trim_start();
    if t.starts_with("-----BEGIN") {
        if t.contains("PRIVATE KEY") {
            return Err(bad(
                "it is a private key; the server gets only the public half".into(),
            ));
        }
        if let Ok(key) = DecodingKey::from_rsa_pem(t.as_bytes()) {
            return Ok(vec![ClientKey::Pem {
                alg: Algorithm::RS256,
                key,
            }]);
        }
        if let Ok(key) = DecodingKey::from_ec_pem(t.as_bytes()) {
            return Ok(vec![ClientKey::Pem {
                alg: Algorithm::ES256,
                key,
            }]);
        }
        if let Ok(key) = DecodingKey::from_ed_pem(t.as_bytes()) {
            return Ok(vec![ClientKey::Pem {
                alg: Algorithm::EdDSA,
                key,
            }]);
        }
        return Err(bad(
            "the PEM is neither an RSA, an EC nor an Ed25519 public key".into(),
        ));
    }
    let v: Value = serde_json::from_str(t).map_err(|e| bad(format!("not JSON or PEM: {e}")))?;
    let set: JwkSet = if v.get("keys").is_some() {
        serde_json::from_value(v).map_err(|e| bad(e.to_string()))?
    } else {
        JwkSet {
            keys: vec![serde_json::from_value(v).map_err(|e| bad(e.to_string()))?],
        }
    };
    let keys: Vec<ClientKey> = set
        .keys
        .into_iter()
        .filter(|k| {
            matches!(
                k.algorithm,
                AlgorithmParameters::RSA(_)
                    | AlgorithmParameters::EllipticCurve(_)
                    | AlgorithmParameters::OctetKeyPair(_)
            )
        })
        .map(|k| ClientKey::Jwk(Box::new(k)))
        .collect();
    if keys.is_empty() {
        return Err(bad("it has no RSA or EC key".into()));
    }
    Ok(keys)
}
