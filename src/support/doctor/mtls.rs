//! The `mtls` check: the client certificate (RFC 8705) against what the server says.

use serde_json::{Map, Value};

use super::{Check, Side};
use crate::provider::Provider;

const NAME: &str = "mtls";

/// No check where neither the client nor the server mentions mutual TLS.
pub(super) fn check(provider: &Provider, doc: Option<&Map<String, Value>>) -> Option<Check> {
    let server_binds = doc
        .and_then(|d| d.get("tls_client_certificate_bound_access_tokens"))
        .and_then(Value::as_bool)
        == Some(true);
    let aliases = doc.is_some_and(|d| d.contains_key("mtls_endpoint_aliases"));
    let by_cert = provider.auth_method().uses_certificate();
    let cert = provider.client_cert();
    if !by_cert && cert.is_none() && !server_binds && !aliases {
        return None;
    }
    let method = provider.auth_method();
    let Some(cert) = cert else {
        if by_cert {
            return Some(
                Check::fail(
                    NAME,
                    Side::Local,
                    format!("the client authenticates with {method} but no client certificate is configured"),
                )
                .detail(format!(
                    "set `tls_client_certificate` and `tls_client_key` (PEM files) in the [providers.{}] table, or pass --client-cert and --client-key to login",
                    provider.name
                )),
            );
        }
        let what = if server_binds {
            "the server can bind access tokens to a client certificate (tls_client_certificate_bound_access_tokens)"
        } else {
            "the server offers mutual TLS endpoints (mtls_endpoint_aliases)"
        };
        return Some(Check::ok(
            NAME,
            format!("{what}; this provider presents no client certificate, so its tokens are bearer tokens"),
        ));
    };
    if let Err(e) = cert.identity() {
        return Some(
            Check::fail(NAME, Side::Local, e.message).detail(
                e.hint
                    .unwrap_or_else(|| "give the certificate and its private key in PEM".into()),
            ),
        );
    }
    let print = cert.thumbprint().unwrap_or_default();
    let token = provider.spec.token_endpoint.clone().unwrap_or_default();
    if token.starts_with("http://") {
        let summary = format!(
            "the token endpoint {token} is plain http: a client certificate is presented only over TLS"
        );
        let c = if by_cert {
            Check::fail(NAME, Side::Local, summary)
        } else {
            Check::warn(NAME, summary)
        };
        return Some(c.detail(if aliases {
            "the server's mtls_endpoint_aliases were not used: check that a later layer (config, flags) does not set token_endpoint itself".to_string()
        } else {
            "use the server's https token endpoint (the one its mtls_endpoint_aliases name)".to_string()
        }));
    }
    let via = if provider
        .spec
        .mtls_endpoint_aliases
        .as_ref()
        .is_some_and(|a| a.get("token_endpoint") == Some(&token))
    {
        " (the server's mutual TLS alias)"
    } else {
        ""
    };
    let role = if by_cert {
        format!("authenticates the client ({method})")
    } else {
        "binds the tokens".to_string()
    };
    Some(
        Check::ok(
            NAME,
            format!(
                "the client certificate {} (x5t#S256 {print}) {role} at {token}{via}",
                cert.cert.display()
            ),
        )
        .detail(if server_binds {
            "the server binds access tokens to it: `me` and `call` present it with them"
        } else {
            "the server does not say it binds access tokens to certificates"
        }),
    )
}
