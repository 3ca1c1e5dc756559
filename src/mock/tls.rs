//! Mutual TLS (RFC 8705) in the emulator: the fixed test PKI under `keys/tls/` (made by
//! `cargo run --example mock_tls_pki`), the TLS port's server configuration (it asks for
//! a client certificate and accepts any whose handshake signature is right, so that the
//! endpoints decide), and the checks of `tls_client_auth` (a certificate from the test
//! CA with the registered DNS name) and `self_signed_tls_client_auth` (the registered
//! certificate itself, by its SHA-256 thumbprint).

use std::path::Path;
use std::sync::Arc;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub const CA_PEM: &str = include_str!("keys/tls/ca.pem");
const SERVER_PEM: &str = include_str!("keys/tls/server.pem");
const SERVER_KEY: &str = include_str!("keys/tls/server.key");
pub const CLIENT_PEM: &str = include_str!("keys/tls/client.pem");
pub const CLIENT_KEY: &str = include_str!("keys/tls/client.key");
pub const SELF_SIGNED_PEM: &str = include_str!("keys/tls/self-signed.pem");
pub const SELF_SIGNED_KEY: &str = include_str!("keys/tls/self-signed.key");
pub const OTHER_CA_CLIENT_PEM: &str = include_str!("keys/tls/other-ca-client.pem");
pub const OTHER_CA_CLIENT_KEY: &str = include_str!("keys/tls/other-ca-client.key");

/// The DNS name a `tls_client_auth` client's certificate carries (RFC 8705 §2.1.2,
/// `tls_client_auth_san_dns`).
pub const CLIENT_SAN_DNS: &str = "client.oauthctl-mock.test";

/// The DER blocks of a PEM text with `label`.
fn pem_blocks(pem: &str, label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(i) = rest.find(&begin) {
        let after = &rest[i + begin.len()..];
        let Some(j) = after.find(&end) else { break };
        let b64: String = after[..j].chars().filter(|c| !c.is_whitespace()).collect();
        if let Ok(der) = STANDARD.decode(b64) {
            out.push(der);
        }
        rest = &after[j + end.len()..];
    }
    out
}

fn first_der(pem: &str) -> Vec<u8> {
    pem_blocks(pem, "CERTIFICATE")
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// base64url(SHA-256(DER)): a certificate's `x5t#S256`.
pub fn thumbprint(der: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(der))
}

/// The thumbprint of the registered self-signed client certificate.
pub fn self_signed_thumbprint() -> String {
    thumbprint(&first_der(SELF_SIGNED_PEM))
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Asks every client for a certificate and accepts any that proves its key in the
/// handshake; whether the certificate is acceptable is the endpoint's decision.
#[derive(Debug)]
struct AnyClientCert(Arc<CryptoProvider>);

impl ClientCertVerifier for AnyClientCert {
    fn offer_client_auth(&self) -> bool {
        true
    }
    fn client_auth_mandatory(&self) -> bool {
        false
    }
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }
    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> std::result::Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The TLS port's acceptor: the test server certificate for 127.0.0.1 and localhost.
pub fn acceptor() -> Result<tokio_rustls::TlsAcceptor> {
    let bad = |e: rustls::Error| Error::internal(format!("the mock's TLS setup failed: {e}"));
    let certs: Vec<CertificateDer<'static>> = pem_blocks(SERVER_PEM, "CERTIFICATE")
        .into_iter()
        .map(CertificateDer::from)
        .collect();
    let key = pem_blocks(SERVER_KEY, "PRIVATE KEY")
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("the mock's TLS server key is missing"))?;
    let key = PrivateKeyDer::Pkcs8(key.into());
    let p = provider();
    let config = rustls::ServerConfig::builder_with_provider(p.clone())
        .with_safe_default_protocol_versions()
        .map_err(bad)?
        .with_client_cert_verifier(Arc::new(AnyClientCert(p)))
        .with_single_cert(certs, key)
        .map_err(bad)?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// RFC 8705 §2.1: a certificate issued by the test CA, for the registered DNS name.
pub fn check_ca_issued(chain: &[Vec<u8>], now_secs: u64) -> std::result::Result<(), String> {
    let Some(end) = chain.first() else {
        return Err("no client certificate was presented".into());
    };
    let ca = first_der(CA_PEM);
    let ca_der = CertificateDer::from(ca.as_slice());
    let anchor = webpki::anchor_from_trusted_cert(&ca_der)
        .map_err(|e| format!("the test CA is unusable: {e:?}"))?;
    let end_der = CertificateDer::from(end.as_slice());
    let cert = webpki::EndEntityCert::try_from(&end_der)
        .map_err(|e| format!("the client certificate cannot be read: {e:?}"))?;
    let intermediates: Vec<CertificateDer<'_>> = chain[1..]
        .iter()
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let algs = provider().signature_verification_algorithms;
    cert.verify_for_usage(
        algs.all,
        &[anchor],
        &intermediates,
        UnixTime::since_unix_epoch(std::time::Duration::from_secs(now_secs)),
        webpki::KeyUsage::client_auth(),
        None,
        None,
    )
    .map_err(|e| {
        format!("the client certificate is not issued by the server's trusted CA ({e:?})")
    })?;
    let name = ServerName::try_from(CLIENT_SAN_DNS).map_err(|e| e.to_string())?;
    cert.verify_is_valid_for_subject_name(&name).map_err(|_| {
        format!("the client certificate is not for the registered name {CLIENT_SAN_DNS} (tls_client_auth_san_dns)")
    })
}

/// RFC 8705 §2.2: the registered self-signed certificate itself.
pub fn check_self_signed(chain: &[Vec<u8>]) -> std::result::Result<(), String> {
    let Some(end) = chain.first() else {
        return Err("no client certificate was presented".into());
    };
    if thumbprint(end) == self_signed_thumbprint() {
        Ok(())
    } else {
        Err("the client certificate is not the one registered for this client (self_signed_tls_client_auth compares the certificate itself)".into())
    }
}

/// Writes the client-side files of the test PKI to `dir`: `ca.pem` (to trust the TLS
/// port, `--cacert`), `client.pem`/`client.key`, `self-signed.pem`/`self-signed.key`,
/// `other-ca-client.pem`/`other-ca-client.key` (a certificate the mock does not trust).
pub fn write_files(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::input(format!("cannot create {}: {e}", dir.display()))
            .with_hint("choose a writable directory with --tls-dir")
    })?;
    for (name, text) in [
        ("ca.pem", CA_PEM),
        ("client.pem", CLIENT_PEM),
        ("client.key", CLIENT_KEY),
        ("self-signed.pem", SELF_SIGNED_PEM),
        ("self-signed.key", SELF_SIGNED_KEY),
        ("other-ca-client.pem", OTHER_CA_CLIENT_PEM),
        ("other-ca-client.key", OTHER_CA_CLIENT_KEY),
    ] {
        std::fs::write(dir.join(name), text)
            .map_err(|e| Error::input(format!("cannot write {}: {e}", dir.join(name).display())))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    #[test]
    fn the_test_pki_is_whole() {
        assert!(acceptor().is_ok());
        assert_eq!(check_ca_issued(&[first_der(CLIENT_PEM)], now()), Ok(()));
        let other = check_ca_issued(&[first_der(OTHER_CA_CLIENT_PEM)], now()).unwrap_err();
        assert!(other.contains("trusted CA"), "{other}");
        assert!(check_ca_issued(&[first_der(SELF_SIGNED_PEM)], now()).is_err());
        assert!(check_ca_issued(&[], now()).is_err());
        // The server certificate is from the CA but not for the client's name.
        let server = check_ca_issued(&[first_der(SERVER_PEM)], now()).unwrap_err();
        assert!(
            server.contains("registered name") || server.contains("trusted CA"),
            "{server}"
        );
        assert_eq!(check_self_signed(&[first_der(SELF_SIGNED_PEM)]), Ok(()));
        assert!(check_self_signed(&[first_der(CLIENT_PEM)]).is_err());
        assert!(check_self_signed(&[]).is_err());
    }
}
