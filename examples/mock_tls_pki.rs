#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Makes the emulator's fixed test PKI for mutual TLS (`oauthctl mock --require-mtls`),
//! written to `src/mock/keys/tls/`: a test CA (its key is thrown away), the server's
//! certificate for 127.0.0.1 and localhost, a client certificate from that CA (SAN
//! `client.oauthctl-mock.test`, for `tls_client_auth`), a self-signed client certificate
//! (for `self_signed_tls_client_auth`), and a client certificate from another CA (one the
//! emulator does not trust). Valid until 2100. Public test keys: nothing they protect is to
//! be trusted outside tests.
//!
//! Run: `cargo run --example mock_tls_pki -- src/mock/keys/tls`

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair, SanType,
};

fn params(cn: &str, sans: Vec<SanType>) -> CertificateParams {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn.push(DnType::OrganizationName, "oauthctl mock (test only)");
    p.distinguished_name = dn;
    p.subject_alt_names = sans;
    p.not_before = rcgen::date_time_ymd(2026, 1, 1);
    p.not_after = rcgen::date_time_ymd(2100, 1, 1);
    p
}

fn ca(cn: &str) -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut p = params(cn, vec![]);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    (p.self_signed(&key).unwrap(), key)
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("the output directory"));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).unwrap();
    let (ca_cert, ca_key) = ca("oauthctl mock test CA");
    write("ca.pem", ca_cert.pem());

    let server_key = KeyPair::generate().unwrap();
    let server = params(
        "127.0.0.1",
        vec![
            SanType::IpAddress("127.0.0.1".parse().unwrap()),
            SanType::DnsName("localhost".try_into().unwrap()),
        ],
    )
    .signed_by(&server_key, &ca_cert, &ca_key)
    .unwrap();
    write("server.pem", server.pem());
    write("server.key", server_key.serialize_pem());

    let client_key = KeyPair::generate().unwrap();
    let client = params(
        "oauthctl-mock",
        vec![SanType::DnsName(
            "client.oauthctl-mock.test".try_into().unwrap(),
        )],
    )
    .signed_by(&client_key, &ca_cert, &ca_key)
    .unwrap();
    write("client.pem", client.pem());
    write("client.key", client_key.serialize_pem());

    let self_key = KeyPair::generate().unwrap();
    let self_signed = params(
        "oauthctl-mock",
        vec![SanType::DnsName(
            "client.oauthctl-mock.test".try_into().unwrap(),
        )],
    )
    .self_signed(&self_key)
    .unwrap();
    write("self-signed.pem", self_signed.pem());
    write("self-signed.key", self_key.serialize_pem());

    let (other_ca, other_ca_key) = ca("another CA");
    let other_key = KeyPair::generate().unwrap();
    let other = params(
        "oauthctl-mock",
        vec![SanType::DnsName(
            "client.oauthctl-mock.test".try_into().unwrap(),
        )],
    )
    .signed_by(&other_key, &other_ca, &other_ca_key)
    .unwrap();
    write("other-ca-client.pem", other.pem());
    write("other-ca-client.key", other_key.serialize_pem());
}
