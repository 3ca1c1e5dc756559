//! Mutual TLS (RFC 8705) against the real OpenID provider: e2e/provider.mjs with
//! `E2E_MTLS_DIR` (e2e/mtls.mjs) serves a second, https port with a test CA made here at
//! start, publishes `mtls_endpoint_aliases`, and registers `oauthctl-mtls`, a
//! `tls_client_auth` client whose certificate must carry the DNS name client.e2e.test and
//! whose access tokens are bound to it. oauthctl logs in through the real browser, then
//! `me`, `introspect` and `refresh` present the certificate at the aliases; a certificate
//! from another CA is refused.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair, SanType,
};
use sha2::{Digest, Sha256};

use super::harness::{browser_login, get_json, json_of, oauthctl, start_provider_with};
use crate::support::Env;

const CLIENT_ID: &str = "oauthctl-mtls";

/// The test PKI: `ca.pem`, `server.pem`/`server.key` (127.0.0.1), `client.pem`/`client.key`
/// (DNS client.e2e.test, from the CA), `stranger.pem`/`stranger.key` (the same name,
/// self-signed: no CA vouches for it). Returns the client certificate's `x5t#S256`.
fn make_pki(dir: &Path) -> String {
    // Distinct subjects: a certificate whose subject is its issuer's is self-signed.
    let named = |cn: &str, sans: Vec<String>| {
        let mut p = CertificateParams::new(sans).unwrap();
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, cn);
        p
    };
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = named("oauthctl e2e test CA", vec![]);
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca.self_signed(&ca_key).unwrap();
    std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();

    let server_key = KeyPair::generate().unwrap();
    let mut server = named("127.0.0.1", vec![]);
    server
        .subject_alt_names
        .push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let server = server.signed_by(&server_key, &ca, &ca_key).unwrap();
    std::fs::write(dir.join("server.pem"), server.pem()).unwrap();
    std::fs::write(dir.join("server.key"), server_key.serialize_pem()).unwrap();

    let client_key = KeyPair::generate().unwrap();
    let client = named("oauthctl e2e client", vec!["client.e2e.test".to_string()])
        .signed_by(&client_key, &ca, &ca_key)
        .unwrap();
    std::fs::write(dir.join("client.pem"), client.pem()).unwrap();
    std::fs::write(dir.join("client.key"), client_key.serialize_pem()).unwrap();

    let stranger_key = KeyPair::generate().unwrap();
    let stranger = named("oauthctl e2e client", vec!["client.e2e.test".to_string()])
        .self_signed(&stranger_key)
        .unwrap();
    std::fs::write(dir.join("stranger.pem"), stranger.pem()).unwrap();
    std::fs::write(dir.join("stranger.key"), stranger_key.serialize_pem()).unwrap();

    URL_SAFE_NO_PAD.encode(Sha256::digest(client.der()))
}

/// Runs an oauthctl command that must succeed; its stdout. The provider's log is shown
/// when it fails.
fn ok(mut cmd: assert_cmd::Command, p: &super::harness::Provider) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{:?}\n{}\nprovider log:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr),
        p.log()
    );
    String::from_utf8(out.stdout).unwrap()
}

fn config(issuer: &str, dir: &Path) -> String {
    format!(
        "[providers.mtls]\nissuer = \"{issuer}\"\nclient_id = \"{CLIENT_ID}\"\ntoken_endpoint_auth_method = \"tls_client_auth\"\ntls_client_certificate = \"{}\"\ntls_client_key = \"{}\"\n",
        dir.join("client.pem").display(),
        dir.join("client.key").display()
    )
}

#[test]
fn tls_client_auth_login_binds_tokens_that_me_introspect_and_refresh_use_with_the_certificate() {
    let pki = tempfile::tempdir().unwrap();
    let print = make_pki(pki.path());
    let p = start_provider_with(&[("E2E_MTLS_DIR", pki.path().to_str().unwrap())]);
    let meta = p.metadata();
    let alias = meta["mtls_endpoint_aliases"]["token_endpoint"]
        .as_str()
        .unwrap_or_else(|| panic!("no mtls_endpoint_aliases: {meta}"))
        .to_string();
    assert!(alias.starts_with("https://127.0.0.1:"), "{alias}");
    let env = Env::new();
    env.write_config(&config(&p.issuer, pki.path()));
    let ca = pki.path().join("ca.pem");
    let ca = ca.to_str().unwrap();

    let v = browser_login(
        &env,
        None,
        "mtls",
        &[
            "--store",
            "file",
            "--cacert",
            ca,
            "--scope",
            "openid offline_access email profile",
            "--param",
            "prompt=consent",
        ],
    );
    assert_eq!(v["client_id"], CLIENT_ID, "{v}");
    assert_eq!(v["refreshable"], true, "{v}");
    // The code went to the https alias: the plain token endpoint saw nothing.
    let log = p.log();
    assert!(!log.contains("POST /token 200"), "{log}");

    // The token is bound to the certificate: the provider says so, and refuses it
    // without the certificate at the plain userinfo endpoint.
    let intro = json_of(
        oauthctl(
            &env,
            None,
            &[
                "--store",
                "file",
                "--cacert",
                ca,
                "introspect",
                "-p",
                "mtls",
                "--json",
            ],
        ),
        "introspect",
    );
    assert_eq!(intro["active"], true, "{intro}");
    assert_eq!(intro["cnf"]["x5t#S256"], print.as_str(), "{intro}");
    let token = String::from_utf8(
        oauthctl(
            &env,
            None,
            &["--store", "file", "--cacert", ca, "token", "-p", "mtls"],
        )
        .assert()
        .success()
        .get_output()
        .stdout
        .clone(),
    )
    .unwrap();
    let (status, body) = get_json(&p.url("/me"), Some(token.trim()));
    assert_eq!(status, 401, "a bound token without its certificate: {body}");

    // `me` presents it at the userinfo alias.
    let me = json_of(
        oauthctl(
            &env,
            None,
            &[
                "--store", "file", "--cacert", ca, "me", "-p", "mtls", "--json",
            ],
        ),
        "me",
    );
    assert_eq!(me["sub"], "alice", "{me}");

    // A refresh (rotation) over mutual TLS; the new token is bound as well.
    oauthctl(
        &env,
        None,
        &["--store", "file", "--cacert", ca, "refresh", "-p", "mtls"],
    )
    .assert()
    .success();
    let intro = json_of(
        oauthctl(
            &env,
            None,
            &[
                "--store",
                "file",
                "--cacert",
                ca,
                "introspect",
                "-p",
                "mtls",
                "--json",
            ],
        ),
        "introspect",
    );
    assert_eq!(intro["cnf"]["x5t#S256"], print.as_str(), "{intro}");
    let me = json_of(
        oauthctl(
            &env,
            None,
            &[
                "--store", "file", "--cacert", ca, "me", "-p", "mtls", "--json",
            ],
        ),
        "me",
    );
    assert_eq!(me["sub"], "alice", "{me}");
}

#[test]
fn client_credentials_over_mutual_tls_and_a_certificate_no_ca_vouches_for_is_refused() {
    let pki = tempfile::tempdir().unwrap();
    let print = make_pki(pki.path());
    let p = start_provider_with(&[("E2E_MTLS_DIR", pki.path().to_str().unwrap())]);
    let env = Env::new();
    env.write_config(&config(&p.issuer, pki.path()));
    let ca = pki.path().join("ca.pem");
    let ca = ca.to_str().unwrap();
    let login = oauthctl(
        &env,
        None,
        &[
            "--store",
            "file",
            "--cacert",
            ca,
            "login",
            "-p",
            "mtls",
            "--client-credentials",
            "--scope",
            "",
        ],
    );
    ok(login, &p);
    let token = String::from_utf8(
        oauthctl(
            &env,
            None,
            &["--store", "file", "--cacert", ca, "token", "-p", "mtls"],
        )
        .assert()
        .success()
        .get_output()
        .stdout
        .clone(),
    )
    .unwrap();
    let intro = json_of(
        oauthctl(
            &env,
            None,
            &[
                "--store",
                "file",
                "--cacert",
                ca,
                "introspect",
                "-p",
                "mtls",
                token.trim(),
                "--json",
            ],
        ),
        "introspect",
    );
    assert_eq!(intro["cnf"]["x5t#S256"], print.as_str(), "{intro}");

    let stranger = pki.path().join("stranger.pem");
    let stranger_key = pki.path().join("stranger.key");
    let out = oauthctl(
        &env,
        None,
        &[
            "--store",
            "file",
            "--cacert",
            ca,
            "login",
            "-p",
            "mtls",
            "--profile",
            "stranger",
            "--client-credentials",
            "--scope",
            "",
            "--client-cert",
            stranger.to_str().unwrap(),
            "--client-key",
            stranger_key.to_str().unwrap(),
        ],
    )
    .assert()
    .code(5);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("invalid_client"), "{err}");
}
