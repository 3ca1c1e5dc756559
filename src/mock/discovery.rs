//! Discovery (OpenID Connect Discovery, RFC 8414 metadata) and the JWKS (RFC 7517).

use serde_json::{json, Value};

use super::app::{App, REVOCATION_AUTH_METHODS};
use super::http::Out;
use super::jwt::JWKS_JSON;

/// The metadata document, with private_key_jwt and client_secret_jwt advertised when
/// they are accepted.
pub fn metadata(app: &App) -> Value {
    let mut doc = app.profile.metadata(&app.base);
    if app.settings.private_key_jwt || app.settings.client_secret_jwt {
        let mut algs = Vec::new();
        if app.settings.private_key_jwt {
            algs.extend(["RS256", "ES256"]);
        }
        if app.settings.client_secret_jwt {
            algs.push("HS256");
        }
        if let Value::Object(o) = &mut doc {
            o.insert(
                "token_endpoint_auth_methods_supported".into(),
                json!(app.auth_methods()),
            );
            o.insert(
                "token_endpoint_auth_signing_alg_values_supported".into(),
                json!(algs),
            );
        }
    }
    if let (Some(tls), Value::Object(o)) = (app.tls_base.get(), &mut doc) {
        // RFC 8705 §5: the endpoints a client using mutual TLS calls.
        let mut aliases = serde_json::Map::new();
        for key in [
            "token_endpoint",
            "revocation_endpoint",
            "introspection_endpoint",
            "userinfo_endpoint",
            "device_authorization_endpoint",
            "pushed_authorization_request_endpoint",
        ] {
            if let Some(u) = o.get(key).and_then(Value::as_str) {
                if let Some(path) = u.strip_prefix(app.base.as_str()) {
                    aliases.insert(key.into(), json!(format!("{tls}{path}")));
                }
            }
        }
        o.insert("mtls_endpoint_aliases".into(), Value::Object(aliases));
        o.insert(
            "tls_client_certificate_bound_access_tokens".into(),
            json!(true),
        );
        o.insert(
            "token_endpoint_auth_methods_supported".into(),
            json!(app.auth_methods()),
        );
    }
    if let Value::Object(o) = &mut doc {
        // The OpenID provider (the one with /par) takes request objects too (RFC 9101).
        if o.contains_key("pushed_authorization_request_endpoint") {
            if app.settings.require_par {
                o.insert("require_pushed_authorization_requests".into(), json!(true));
            }
            o.insert("request_parameter_supported".into(), json!(true));
            o.insert(
                "request_object_signing_alg_values_supported".into(),
                json!(["RS256", "PS256", "ES256", "EdDSA", "HS256"]),
            );
            if app.settings.require_jar {
                o.insert("require_signed_request_object".into(), json!(true));
            }
            // DPoP (RFC 9449 §5.1). `dpop_bound_access_tokens` is the RFC's client
            // metadata name, said here (not standard for a server) so that `doctor`
            // can tell that DPoP is required.
            o.insert(
                "dpop_signing_alg_values_supported".into(),
                json!(super::dpop::ALGS),
            );
            if app.settings.require_dpop {
                o.insert("dpop_bound_access_tokens".into(), json!(true));
            }
            // Response modes, and JWT-secured responses signed with the issuer's key.
            o.insert(
                "response_modes_supported".into(),
                json!(super::jarm::SUPPORTED),
            );
            o.insert(
                "authorization_signing_alg_values_supported".into(),
                json!([app.signer.alg().as_str()]),
            );
            // RFC 9396 §10.
            o.insert(
                "authorization_details_types_supported".into(),
                json!(super::grants::DETAIL_TYPES),
            );
        }
        if app.settings.hide_refresh_grant {
            if let Some(Value::Array(g)) = o.get_mut("grant_types_supported") {
                g.retain(|x| x != "refresh_token");
            }
        }
        if app.settings.hide_none_auth {
            if let Some(Value::Array(m)) = o.get_mut("token_endpoint_auth_methods_supported") {
                m.retain(|x| x != "none");
            }
        }
        if app.settings.revocation_requires_secret && o.contains_key("revocation_endpoint") {
            o.insert(
                "revocation_endpoint_auth_methods_supported".into(),
                json!(REVOCATION_AUTH_METHODS),
            );
        }
    }
    doc
}

/// GET of the discovery document.
pub fn discovery(app: &App) -> Out {
    Out::json(200, &metadata(app))
}

/// GET of the mock's public signing keys.
pub fn jwks() -> Out {
    Out::new(200, "application/json", JWKS_JSON)
}
