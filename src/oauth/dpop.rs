//! DPoP (RFC 9449): the session's proof-of-possession key and the proofs it signs.
//!
//! `login --dpop` draws a key pair for the session (ES256 by default; RS256, PS256 or
//! EdDSA when asked). The private key is kept with the session's tokens (the keyring or
//! the file store) as PKCS#8, never printed; only its public half travels, as the
//! `jwk` of each proof's header, and its RFC 7638 thumbprint as `dpop_jkt`. A proof is a
//! JWT (`typ` `dpop+jwt`) with `jti`, `htm`, `htu` (no query, no fragment), `iat`, the
//! server's `nonce` when one is known, and `ath` (the access token's SHA-256) when it
//! goes with an access token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::DpopKeyData;

/// The media type of a proof (RFC 9449 §4.2), its header's `typ`.
pub const TYP: &str = "dpop+jwt";
/// The algorithms a proof may be signed with, as `--dpop-alg` takes them.
pub const ALGS: &[&str] = &["ES256", "RS256", "PS256", "EdDSA"];
/// The default: small keys, fast, and what every DPoP server takes.
pub const DEFAULT_ALG: &str = "ES256";
/// The size of a generated RSA key.
const RSA_BITS: usize = 2048;

/// A signing algorithm of proofs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Es256,
    Rs256,
    Ps256,
    EdDsa,
}

impl Alg {
    pub fn parse(s: &str) -> Result<Alg> {
        match s {
            "ES256" => Ok(Alg::Es256),
            "RS256" => Ok(Alg::Rs256),
            "PS256" => Ok(Alg::Ps256),
            "EdDSA" | "Ed25519" => Ok(Alg::EdDsa),
            other => Err(
                Error::usage(format!("the DPoP algorithm `{other}` is not supported"))
                    .with_hint(format!("use one of: {}", ALGS.join(", "))),
            ),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Alg::Es256 => "ES256",
            Alg::Rs256 => "RS256",
            Alg::Ps256 => "PS256",
            Alg::EdDsa => "EdDSA",
        }
    }
}

/// The algorithm to use: the one asked for; else ES256, unless the server lists the
/// algorithms it takes and ES256 is not among them (then the first of ours it lists).
pub fn choose_alg(asked: Option<&str>, supported: Option<&[String]>) -> Result<Alg> {
    if let Some(a) = asked {
        return Alg::parse(a);
    }
    match supported {
        Some(list) if !list.is_empty() && !list.iter().any(|a| a == DEFAULT_ALG) => {
            list.iter().find_map(|a| Alg::parse(a).ok()).ok_or_else(|| {
                Error::input(format!(
                    "the server signs DPoP proofs only with {}, none of which oauthctl supports",
                    list.join(", ")
                ))
                .with_hint(format!(
                    "oauthctl signs DPoP proofs with {}",
                    ALGS.join(", ")
                ))
            })
        }
        _ => Ok(Alg::Es256),
    }
}

enum Signer {
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
    Rsa(RsaKeyPair),
}

/// A session's DPoP key. Its `Debug` shows the algorithm and the thumbprint only.
pub struct DpopKey {
    alg: Alg,
    pkcs8: Secret,
    signer: Signer,
    jwk: Value,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DpopKey")
            .field("alg", &self.alg)
            .field("jkt", &self.thumbprint())
            .finish_non_exhaustive()
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn key_error(why: impl std::fmt::Display) -> Error {
    Error::internal(format!("the DPoP key cannot be used: {why}"))
}

fn damaged(why: impl std::fmt::Display) -> Error {
    Error::storage(format!("the session's DPoP key is damaged: {why}"))
        .with_hint("log in again with --dpop to make a new key")
}

/// A new RSA key as PKCS#8 DER (ring signs RSA but does not make keys).
fn generate_rsa() -> Result<Vec<u8>> {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, RSA_BITS).map_err(key_error)?;
    let der = key.to_pkcs8_der().map_err(key_error)?;
    Ok(der.as_bytes().to_vec())
}

impl DpopKey {
    /// A new key pair for `alg`.
    pub fn generate(alg: Alg) -> Result<DpopKey> {
        let rng = SystemRandom::new();
        let der = match alg {
            Alg::Es256 => {
                EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                    .map_err(key_error)?
                    .as_ref()
                    .to_vec()
            }
            Alg::EdDsa => Ed25519KeyPair::generate_pkcs8(&rng)
                .map_err(key_error)?
                .as_ref()
                .to_vec(),
            Alg::Rs256 | Alg::Ps256 => generate_rsa()?,
        };
        Self::from_pkcs8(alg, &der).map_err(|e| key_error(e.message))
    }

    /// The key as the session keeps it.
    pub fn from_data(data: &DpopKeyData) -> Result<DpopKey> {
        let alg = Alg::parse(&data.alg).map_err(|e| damaged(e.message))?;
        let der = URL_SAFE_NO_PAD
            .decode(data.key.expose().trim())
            .map_err(damaged)?;
        Self::from_pkcs8(alg, &der)
    }

    /// What the session keeps: the algorithm and the PKCS#8 key (a secret).
    pub fn to_data(&self) -> DpopKeyData {
        DpopKeyData {
            alg: self.alg.as_str().to_string(),
            key: self.pkcs8.clone(),
        }
    }

    fn from_pkcs8(alg: Alg, der: &[u8]) -> Result<DpopKey> {
        let rng = SystemRandom::new();
        let (signer, jwk) = match alg {
            Alg::Es256 => {
                let kp = EcdsaKeyPair::from_pkcs8(
                    &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    der,
                    &rng,
                )
                .map_err(damaged)?;
                // An uncompressed point: 0x04, then x and y of 32 bytes each.
                let p = kp.public_key().as_ref();
                if p.len() != 65 {
                    return Err(damaged("not a P-256 point"));
                }
                let jwk =
                    json!({"crv": "P-256", "kty": "EC", "x": b64(&p[1..33]), "y": b64(&p[33..])});
                (Signer::Ec(kp), jwk)
            }
            Alg::EdDsa => {
                let kp = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(damaged)?;
                let jwk =
                    json!({"crv": "Ed25519", "kty": "OKP", "x": b64(kp.public_key().as_ref())});
                (Signer::Ed(kp), jwk)
            }
            Alg::Rs256 | Alg::Ps256 => {
                let kp = RsaKeyPair::from_pkcs8(der).map_err(damaged)?;
                let c = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(kp.public());
                let jwk = json!({"e": b64(&c.e), "kty": "RSA", "n": b64(&c.n)});
                (Signer::Rsa(kp), jwk)
            }
        };
        Ok(DpopKey {
            alg,
            pkcs8: Secret::new(b64(der)),
            signer,
            jwk,
        })
    }

    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The JWK thumbprint (RFC 7638, SHA-256, base64url): the `dpop_jkt` of an
    /// authorization request and the `cnf.jkt` of a bound token.
    pub fn thumbprint(&self) -> String {
        thumbprint(&self.jwk).unwrap_or_default()
    }

    /// A fresh proof for a request of `method` to `url`; `nonce` the server's, when it
    /// gave one; `access_token` when the request carries one (`ath`).
    pub fn proof(
        &self,
        method: &str,
        url: &str,
        nonce: Option<&str>,
        access_token: Option<&str>,
        now: u64,
    ) -> Result<String> {
        let header = json!({"typ": TYP, "alg": self.alg.as_str(), "jwk": self.jwk});
        let mut claims = Map::new();
        claims.insert("jti".into(), super::assertion::jti().into());
        claims.insert("htm".into(), method.to_ascii_uppercase().into());
        claims.insert("htu".into(), htu(url).into());
        claims.insert("iat".into(), now.into());
        if let Some(n) = nonce {
            claims.insert("nonce".into(), n.into());
        }
        if let Some(t) = access_token {
            claims.insert("ath".into(), ath(t).into());
        }
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(Value::Object(claims).to_string().as_bytes())
        );
        let sig = self.sign(input.as_bytes())?;
        Ok(format!("{input}.{}", b64(&sig)))
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        let rng = SystemRandom::new();
        match &self.signer {
            Signer::Ec(kp) => Ok(kp.sign(&rng, msg).map_err(key_error)?.as_ref().to_vec()),
            Signer::Ed(kp) => Ok(kp.sign(msg).as_ref().to_vec()),
            Signer::Rsa(kp) => {
                let pad: &dyn signature::RsaEncoding = match self.alg {
                    Alg::Ps256 => &signature::RSA_PSS_SHA256,
                    _ => &signature::RSA_PKCS1_SHA256,
                };
                let mut sig = vec![0u8; kp.public().modulus_len()];
                kp.sign(pad, &rng, msg, &mut sig).map_err(key_error)?;
                Ok(sig)
            }
        }
    }
}

/// `htu`: the URL without its query and fragment (RFC 9449 §4.2).
pub fn htu(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_string(),
    }
}

/// `ath`: base64url(SHA-256(access token)) (RFC 9449 §4.2).
pub fn ath(access_token: &str) -> String {
    b64(&Sha256::digest(access_token.as_bytes()))
}

/// The RFC 7638 thumbprint of a public JWK: SHA-256 over its required members in
/// lexicographic order, without white space. `None` for an unknown key type.
pub fn thumbprint(jwk: &Value) -> Option<String> {
    let s = |k: &str| jwk.get(k).and_then(Value::as_str);
    let canonical = match s("kty")? {
        "EC" => json!({"crv": s("crv")?, "kty": "EC", "x": s("x")?, "y": s("y")?}),
        "OKP" => json!({"crv": s("crv")?, "kty": "OKP", "x": s("x")?}),
        "RSA" => json!({"e": s("e")?, "kty": "RSA", "n": s("n")?}),
        _ => return None,
    };
    // serde_json keeps insertion order (the members above are already sorted).
    Some(b64(&Sha256::digest(canonical.to_string().as_bytes())))
}

/// A proof's header and claims, decoded for `--trace` (a proof holds no secret but its
/// signature, which is left out).
pub fn decode(proof: &str) -> Option<(Value, Value)> {
    let mut parts = proof.split('.');
    let mut part = || -> Option<Value> {
        let bytes = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    let header = part()?;
    let claims = part()?;
    Some((header, claims))
}

/// The `DPoP-Nonce` a refusal carries when it is a `use_dpop_nonce` (RFC 9449 §8, §9).
pub fn nonce_of(headers: &[(String, String)]) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("dpop-nonce"))
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.bytes().all(|b| (0x21..0x7f).contains(&b)))
}

/// Whether a resource server's `WWW-Authenticate` asks for a DPoP nonce.
pub fn resource_wants_nonce(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("www-authenticate")
            && v.trim_start()
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("dpop"))
            && v.contains("use_dpop_nonce")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::UnparsedPublicKey;

    fn verify(proof: &str) -> (Value, Value) {
        let (h, c) = decode(proof).unwrap();
        let (input, sig) = proof.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        let jwk = &h["jwk"];
        let d = |k: &str| URL_SAFE_NO_PAD.decode(jwk[k].as_str().unwrap()).unwrap();
        match h["alg"].as_str().unwrap() {
            "ES256" => {
                let mut p = vec![4u8];
                p.extend(d("x"));
                p.extend(d("y"));
                UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, p)
                    .verify(input.as_bytes(), &sig)
                    .unwrap();
            }
            "EdDSA" => UnparsedPublicKey::new(&signature::ED25519, d("x"))
                .verify(input.as_bytes(), &sig)
                .unwrap(),
            alg => {
                let params = if alg == "PS256" {
                    &signature::RSA_PSS_2048_8192_SHA256
                } else {
                    &signature::RSA_PKCS1_2048_8192_SHA256
                };
                ring::rsa::PublicKeyComponents {
                    n: d("n"),
                    e: d("e"),
                }
                .verify(params, input.as_bytes(), &sig)
                .unwrap();
            }
        }
        (h, c)
    }

    #[test]
    fn each_alg_signs_a_proof_its_jwk_verifies_and_the_key_survives_storage() {
        for alg in ALGS {
            let key = DpopKey::generate(Alg::parse(alg).unwrap()).unwrap();
            let again = DpopKey::from_data(&key.to_data()).unwrap();
            assert_eq!(again.thumbprint(), key.thumbprint(), "{alg}");
            let p = again
                .proof(
                    "get",
                    "https://rs.example/me?x=1#f",
                    Some("n-1"),
                    Some("tok"),
                    42,
                )
                .unwrap();
            let (h, c) = verify(&p);
            assert_eq!(h["typ"], TYP);
            assert_eq!(h["alg"], *alg);
            assert!(h["jwk"].get("d").is_none(), "{h}");
            assert_eq!(thumbprint(&h["jwk"]).unwrap(), key.thumbprint());
            assert_eq!(c["htm"], "GET");
            assert_eq!(c["htu"], "https://rs.example/me");
            assert_eq!(c["iat"], 42);
            assert_eq!(c["nonce"], "n-1");
            assert_eq!(c["ath"], ath("tok"));
            assert!(c["jti"].as_str().unwrap().len() >= 16);
            let p2 = key
                .proof("POST", "https://as.example/token", None, None, 1)
                .unwrap();
            let (_, c2) = verify(&p2);
            assert_ne!(c2["jti"], c["jti"], "a fresh jti per proof");
            assert!(c2.get("nonce").is_none() && c2.get("ath").is_none());
            assert!(!format!("{key:?}").contains(key.to_data().key.expose()));
        }
    }

    #[test]
    fn rfc7638_example_thumbprint() {
        // RFC 7638 §3.1.
        let jwk = json!({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"});
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert!(thumbprint(&json!({"kty":"oct","k":"x"})).is_none());
    }

    #[test]
    fn the_algorithm_is_the_asked_one_else_es256_else_one_the_server_lists() {
        assert_eq!(choose_alg(Some("PS256"), None).unwrap(), Alg::Ps256);
        assert_eq!(choose_alg(None, None).unwrap(), Alg::Es256);
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            choose_alg(None, Some(&l(&["RS256", "ES256"]))).unwrap(),
            Alg::Es256
        );
        assert_eq!(
            choose_alg(None, Some(&l(&["ES512", "EdDSA"]))).unwrap(),
            Alg::EdDsa
        );
        assert!(choose_alg(None, Some(&l(&["ES512"]))).is_err());
        assert_eq!(choose_alg(Some("HS256"), None).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn nonces_and_resource_challenges() {
        let h = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert_eq!(nonce_of(&h("DPoP-Nonce", " abc ")).as_deref(), Some("abc"));
        assert_eq!(nonce_of(&h("dpop-nonce", "a\"b c")), None);
        assert!(resource_wants_nonce(&h(
            "WWW-Authenticate",
            "DPoP error=\"use_dpop_nonce\", algs=\"ES256\""
        )));
        assert!(!resource_wants_nonce(&h(
            "WWW-Authenticate",
            "Bearer error=\"use_dpop_nonce\""
        )));
        assert_eq!(htu("https://a.example/p?q=1#x"), "https://a.example/p");
    }

    #[test]
    fn debug_names_the_algorithm_and_thumbprint_never_the_private_key() {
        let key = DpopKey::generate(Alg::parse("ES256").unwrap()).unwrap();
        let shown = format!("{key:?}");
        assert!(shown.starts_with("DpopKey"), "{shown}");
        assert!(shown.contains(&key.thumbprint()), "{shown}");
        assert!(shown.contains("Es256"), "{shown}");
        let data = key.to_data();
        assert!(!shown.contains(data.key.expose()), "{shown}");
    }
}
