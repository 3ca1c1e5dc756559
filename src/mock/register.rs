//! Dynamic client registration (RFC 7591).

use serde_json::{json, Map, Value};

use super::app::App;
use super::errors::OAuthError;
use super::http::{Out, Req};
use super::state::{random_token, Client};

fn metadata_error(error: &'static str, d: impl Into<String>) -> OAuthError {
    OAuthError::new(error, 400, d)
}

fn valid_redirect(app: &App, uri: &str) -> Result<(), OAuthError> {
    let u = url::Url::parse(uri).map_err(|e| {
        metadata_error(
            "invalid_redirect_uri",
            format!("`{uri}` is not an absolute URI: {e}"),
        )
    })?;
    if u.fragment().is_some() {
        return Err(metadata_error(
            "invalid_redirect_uri",
            format!("`{uri}` must not have a fragment (RFC 6749 §3.1.2)"),
        ));
    }
    if let Some(schemes) = app.profile.redirect_schemes() {
        if !schemes.iter().any(|s| s == u.scheme()) {
            return Err(metadata_error(
                "invalid_redirect_uri",
                format!(
                    "{} accepts only {} redirect URIs, not `{uri}`",
                    app.profile.display_name(),
                    schemes.join("/")
                ),
            ));
        }
    } else if matches!(u.scheme(), "javascript" | "data" | "file") {
        return Err(metadata_error(
            "invalid_redirect_uri",
            format!("`{uri}` has a forbidden scheme"),
        ));
    }
    Ok(())
}

fn strings(v: &Value, field: &str) -> Result<Vec<String>, OAuthError> {
    match v {
        // Teamwork's guide writes `redirect_uris` as "comma separated URIs".
        Value::String(s) => Ok(s
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str().map(str::to_string).ok_or_else(|| {
                    metadata_error(
                        "invalid_client_metadata",
                        format!("`{field}` must be an array of strings"),
                    )
                })
            })
            .collect(),
        _ => Err(metadata_error(
            "invalid_client_metadata",
            format!("`{field}` must be an array of strings"),
        )),
    }
}

/// RFC 7591 dynamic client registration (Teamwork: only client_name and redirect_uris
/// are honoured, the rest are server defaults).
pub fn register(app: &App, req: &Req) -> Out {
    match register_inner(app, req) {
        Ok(o) => o,
        Err(e) => app.error(&e),
    }
}

fn register_inner(app: &App, req: &Req) -> Result<Out, OAuthError> {
    let obj = json_object(req)?;
    let honoured = app.profile.spec.registration_fields.clone();
    let field = |k: &str| -> Option<&Value> {
        if honoured.as_ref().is_some_and(|h| !h.iter().any(|x| x == k)) {
            return None;
        }
        obj.get(k).filter(|v| !v.is_null())
    };
    let redirect_uris = match field("redirect_uris") {
        Some(v) => strings(v, "redirect_uris")?,
        None => Vec::new(),
    };
    for u in &redirect_uris {
        valid_redirect(app, u)?;
    }
    let grant_types = grant_types_of(app, field("grant_types"))?;
    let method = auth_method_of(app, field("token_endpoint_auth_method"))?;
    if redirect_uris.is_empty() && grant_types.iter().any(|g| g == "authorization_code") {
        return Err(metadata_error(
            "invalid_redirect_uri",
            "redirect_uris is required for the authorization_code grant",
        ));
    }
    let name = match field("client_name") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(metadata_error(
                "invalid_client_metadata",
                "client_name must be a string",
            ))
        }
        None => None,
    };
    let client = Client {
        id: format!("mock-{}", random_token(12)),
        secret: (method != "none").then(|| random_token(32)),
        redirect_uris,
        grant_types,
        auth_method: method,
        name,
        issued_at: app.now_secs(),
        keys: None,
    };
    let resp = answer(app, &client);
    app.state().clients.insert(client.id.clone(), client);
    Ok(Out::json(201, &resp).no_store())
}

/// The body: a JSON object.
fn json_object(req: &Req) -> Result<Map<String, Value>, OAuthError> {
    if req.media_type().as_deref() != Some("application/json") {
        return Err(metadata_error(
            "invalid_client_metadata",
            "send the client metadata as a JSON object (Content-Type: application/json)",
        ));
    }
    let doc: Value = serde_json::from_slice(&req.body).map_err(|e| {
        metadata_error(
            "invalid_client_metadata",
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    let Value::Object(obj) = doc else {
        return Err(metadata_error(
            "invalid_client_metadata",
            "the body must be a JSON object",
        ));
    };
    Ok(obj)
}

/// `grant_types`: each one the server supports (default: all of them).
fn grant_types_of(app: &App, v: Option<&Value>) -> Result<Vec<String>, OAuthError> {
    let Some(v) = v else {
        return Ok(app.profile.grant_types());
    };
    let g = strings(v, "grant_types")?;
    for x in &g {
        if !app.profile.supports_grant(x) {
            return Err(metadata_error(
                "invalid_client_metadata",
                format!(
                    "grant type `{x}` is not supported; supported: {}",
                    app.profile.grant_types().join(", ")
                ),
            ));
        }
    }
    Ok(g)
}

/// `token_endpoint_auth_method`: one the provider accepts, but not private_key_jwt
/// (a registered client has no keys).
fn auth_method_of(app: &App, v: Option<&Value>) -> Result<String, OAuthError> {
    match v {
        Some(Value::String(m)) => {
            if !app.auth_methods().iter().any(|x| x == m) || m == "private_key_jwt" {
                return Err(metadata_error(
                    "invalid_client_metadata",
                    format!(
                        "token_endpoint_auth_method `{m}` is not supported; supported: {}",
                        app.auth_methods().join(", ")
                    ),
                ));
            }
            Ok(m.clone())
        }
        Some(_) => Err(metadata_error(
            "invalid_client_metadata",
            "token_endpoint_auth_method must be a string",
        )),
        None => Ok(app.profile.client_auth_method()),
    }
}

/// The registration answer (RFC 7591 §3.2.1).
fn answer(app: &App, client: &Client) -> Value {
    let mut resp = Map::new();
    resp.insert("client_id".into(), json!(client.id));
    if let Some(s) = &client.secret {
        resp.insert("client_secret".into(), json!(s));
        resp.insert("client_secret_expires_at".into(), json!(0));
    }
    resp.insert("client_id_issued_at".into(), json!(client.issued_at));
    if let Some(n) = &client.name {
        resp.insert("client_name".into(), json!(n));
    }
    resp.insert("redirect_uris".into(), json!(client.redirect_uris));
    resp.insert("grant_types".into(), json!(client.grant_types));
    resp.insert("response_types".into(), json!(app.profile.response_types()));
    resp.insert(
        "token_endpoint_auth_method".into(),
        json!(client.auth_method),
    );
    Value::Object(resp)
}
