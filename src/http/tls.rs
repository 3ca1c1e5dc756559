//! The client's TLS certificate for mutual TLS (RFC 8705): which files, their identity
//! for the HTTP client, and the certificate's SHA-256 thumbprint (`x5t#S256`, what a
//! certificate-bound token's `cnf` claim holds).

use std::path::PathBuf;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A client certificate and its private key, as PEM files. Paths, never the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCert {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A certificate read from its file: the DER of the first certificate and the whole PEM
/// (the chain the client presents).
pub struct LoadedCert {
    pub der: Vec<u8>,
    pub pem: Vec<u8>,
}

impl ClientCert {
    /// Reads the certificate file: at least one PEM certificate.
    pub fn load_cert(&self) -> Result<LoadedCert> {
        let pem = read(&self.cert, "client certificate")?;
        let der = first_certificate(&pem).ok_or_else(|| {
            Error::input(format!(
                "the client certificate {} holds no PEM certificate",
                self.cert.display()
            ))
            .with_hint("give a PEM file with a -----BEGIN CERTIFICATE----- block (--client-cert or `tls_client_certificate`)")
        })?;
        Ok(LoadedCert { der, pem })
    }

    /// The identity the HTTP client presents: the certificate chain and its key.
    pub fn identity(&self) -> Result<reqwest::Identity> {
        let cert = self.load_cert()?;
        let key = read(&self.key, "client certificate's private key")?;
        let text = String::from_utf8_lossy(&key);
        if !text.contains("PRIVATE KEY-----") {
            return Err(Error::input(format!(
                "{} holds no PEM private key",
                self.key.display()
            ))
            .with_hint("give the certificate's private key in PEM (PKCS#8, RSA or EC) with --client-key or `tls_client_key`"));
        }
        let mut pem = cert.pem;
        pem.push(b'\n');
        pem.extend_from_slice(&key);
        reqwest::Identity::from_pem(&pem).map_err(|e| {
            Error::input(format!(
                "cannot use the client certificate {} with the key {}: {e}",
                self.cert.display(),
                self.key.display()
            ))
            .with_hint("the key must be the certificate's own private key, in PEM")
        })
    }

    /// The certificate's `x5t#S256`: base64url(SHA-256(DER)).
    pub fn thumbprint(&self) -> Result<String> {
        Ok(thumbprint(&self.load_cert()?.der))
    }
}

/// base64url(SHA-256(`der`)), as RFC 8705 §3.1 writes `x5t#S256`.
pub fn thumbprint(der: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(der))
}

fn read(path: &PathBuf, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::input(format!("cannot read the {what} {}: {e}", path.display()))
            .with_hint("check the path (--client-cert/--client-key, or `tls_client_certificate`/`tls_client_key` in the config file)")
    })
}

/// The DER bytes of the first `CERTIFICATE` block of a PEM text.
pub fn first_certificate(pem: &[u8]) -> Option<Vec<u8>> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let text = std::str::from_utf8(pem).ok()?;
    let start = text.find(BEGIN)? + BEGIN.len();
    let len = text[start..].find(END)?;
    let b64: String = text[start..start + len]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    STANDARD.decode(b64).ok().filter(|d| !d.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_certificate_is_read_and_anything_else_refused() {
        let der = b"\x30\x03\x02\x01\x01";
        let pem = format!(
            "junk\n-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            STANDARD.encode(der)
        );
        assert_eq!(first_certificate(pem.as_bytes()).unwrap(), der.to_vec());
        assert!(
            first_certificate(b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----")
                .is_none()
        );
        assert!(first_certificate(b"-----BEGIN CERTIFICATE-----\nAAAA").is_none());
        assert!(
            first_certificate(b"-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----")
                .is_none()
        );
        assert!(first_certificate(b"\xff\xfe").is_none());
    }

    #[test]
    fn the_thumbprint_is_base64url_sha256() {
        // SHA-256("abc"), RFC 4634 test vector.
        assert_eq!(
            thumbprint(b"abc"),
            "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"
        );
    }
}
