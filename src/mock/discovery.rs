//! Discovery (OpenID Connect Discovery, RFC 8414 metadata) and the JWKS (RFC 7517).

use serde_json::{json, Value};

use super::app::App;
use super::http::Out;
use super::jwt::JWKS_JSON;

/// The metadata document, with private_key_jwt advertised when it is accepted.
pub fn metadata(app: &App) -> Value {
    let mut doc = app.profile.metadata(&app.base);
    if app.settings.private_key_jwt {
        if let Value::Object(o) = &mut doc {
            o.insert(
                "token_endpoint_auth_methods_supported".into(),
                json!(app.auth_methods()),
            );
            o.insert(
                "token_endpoint_auth_signing_alg_values_supported".into(),
                json!(["RS256", "ES256"]),
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
