//! PKCE (RFC 7636) with S256, and the `state` parameter.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::secret::Secret;

/// 48 random bytes: a 64-character verifier (RFC 7636 allows 43 to 128).
const VERIFIER_BYTES: usize = 48;
/// 32 random bytes: 256 bits of state.
const STATE_BYTES: usize = 32;
/// 32 random bytes: 256 bits of nonce.
const NONCE_BYTES: usize = 32;

fn random_b64(n: usize) -> String {
    let mut buf = vec![0u8; n];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// A fresh code verifier from the OS random source.
pub fn verifier() -> Secret {
    Secret::new(random_b64(VERIFIER_BYTES))
}

/// BASE64URL(SHA256(verifier)), without padding.
pub fn challenge_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A fresh state value.
pub fn state() -> String {
    random_b64(STATE_BYTES)
}

/// A fresh OpenID Connect nonce: 256 bits, base64url.
pub fn nonce() -> String {
    random_b64(NONCE_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        assert_eq!(
            challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_and_state_sizes() {
        let v = verifier();
        assert_eq!(v.expose().len(), 64);
        assert!(v
            .expose()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert!(state().len() >= 22);
        assert_ne!(state(), state());
    }
}
