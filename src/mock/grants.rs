//! The extension grants of the token endpoint: token exchange (RFC 8693), where the
//! subject (and actor) token must be one this emulator issued, still valid, with errors
//! as RFC 8693 §2.2.2 says; and the JWT bearer grant (RFC 7523 §2.1), whose assertion
//! must be signed with a key of the client's (`--client-jwks`).

use serde_json::{json, Map};

use super::app::App;
use super::errors::OAuthError;
use super::http::{Out, Params, Req};
use super::issue::{audience_of, issue_with};
use super::selfcontained;
use super::state::{random_token, Client, Grant};

/// The grant type of token exchange (RFC 8693 §2.1).
pub const TOKEN_EXCHANGE_GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
const REFRESH_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:refresh_token";
const JWT_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";

/// A host under which the emulator serves no audience: `invalid_target` (RFC 8693
/// §2.2.2), to see a client explain it.
const REFUSED_TARGET_SUFFIX: &str = ".invalid";

/// The grant of a token this emulator issued, by its type; `what` names it in errors.
fn grant_of(app: &App, token: &str, kind: &str, what: &str) -> Result<Grant, OAuthError> {
    let now = app.now_ms();
    let found = match kind {
        ACCESS_TOKEN_TYPE | JWT_TYPE => {
            let rec = app.state().access.get(token).cloned();
            rec.or_else(|| selfcontained::access(app, token))
                .map(|r| (r.grant, r.expires_ms))
        }
        REFRESH_TOKEN_TYPE => {
            let rec = app.state().refresh.get(token).cloned();
            rec.or_else(|| selfcontained::refresh(app, token))
                .map(|r| (r.grant, r.expires_ms))
        }
        other => {
            return Err(OAuthError::invalid_request(format!(
                "{what}_type `{other}` is not supported here; this server exchanges {ACCESS_TOKEN_TYPE}, {JWT_TYPE} (its JWT access tokens) and {REFRESH_TOKEN_TYPE}"
            )))
        }
    };
    match found {
        Some((_, exp)) if exp <= now => Err(OAuthError::invalid_request(format!(
            "the {what} expired"
        ))),
        Some((g, _)) => Ok(g),
        None => Err(OAuthError::invalid_request(format!(
            "the {what} is not a token this server issued as {kind} (unknown, revoked, or of another type)"
        ))),
    }
}

/// RFC 8693 §2.1: a new access token for the subject of `subject_token`, for the
/// audiences asked for, with `issued_token_type`.
pub fn token_exchange(app: &App, p: &Params, client: &Client) -> Result<Out, OAuthError> {
    let subject_token = p.require("subject_token")?;
    let subject_type = p.require("subject_token_type")?;
    let subject = grant_of(app, subject_token, subject_type, "subject_token")?;
    let actor = match (p.get("actor_token"), p.get("actor_token_type")) {
        (Some(t), Some(k)) => {
            let a = grant_of(app, t, k, "actor_token")?;
            Some(a.subject.unwrap_or(a.client_id))
        }
        (Some(_), None) => {
            return Err(OAuthError::invalid_request(
                "actor_token_type is required with actor_token (RFC 8693 §2.1)",
            ))
        }
        (None, Some(_)) => {
            return Err(OAuthError::invalid_request(
                "actor_token_type must not be sent without actor_token (RFC 8693 §2.1)",
            ))
        }
        (None, None) => None,
    };
    let issued_type = match p.get("requested_token_type") {
        None | Some(ACCESS_TOKEN_TYPE) => ACCESS_TOKEN_TYPE,
        Some(JWT_TYPE) if app.settings.token_format == super::options::TokenFormat::Jwt => {
            JWT_TYPE
        }
        Some(other) => {
            return Err(OAuthError::invalid_request(format!(
                "requested_token_type `{other}` cannot be issued here; this server issues {ACCESS_TOKEN_TYPE} (and {JWT_TYPE} with JWT access tokens)"
            )))
        }
    };
    let audience = audience_of(p);
    if let Some(a) = audience.iter().find(|a| refused_target(a)) {
        return Err(OAuthError::new(
            "invalid_target",
            400,
            format!("this server issues no token for the audience or resource `{a}`"),
        ));
    }
    let scopes = match p.get(app.profile.scope_param()) {
        Some(s) => {
            let asked = app.profile.split_scopes(s);
            let extra: Vec<&str> = asked
                .iter()
                .filter(|x| !subject.scopes.contains(x))
                .map(String::as_str)
                .collect();
            if !extra.is_empty() {
                return Err(OAuthError::invalid_scope(format!(
                    "an exchanged token may only narrow the subject token's scopes; not granted to it: {}",
                    extra.join(" ")
                )));
            }
            asked
        }
        None => subject.scopes.clone(),
    };
    let grant = Grant {
        actor,
        client_id: client.id.clone(),
        scopes,
        subject: subject.subject.clone().or(Some(subject.client_id.clone())),
        family: random_token(12),
        auth_time: subject.auth_time,
        jkt: None,
        audience,
    };
    let mut fields = Map::new();
    fields.insert("issued_token_type".into(), json!(issued_type));
    issue_with(app, grant, false, None, None, fields)
}

/// Whether `target`'s host ends in `.invalid` (see [`REFUSED_TARGET_SUFFIX`]).
fn refused_target(target: &str) -> bool {
    let host = target
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', ':', '?']).next().unwrap_or(""))
        .unwrap_or(target);
    host.ends_with(REFUSED_TARGET_SUFFIX)
}

/// The grant type of a JWT authorization grant (RFC 7523 §2.1).
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// RFC 7523 §2.1: an access token for the assertion's `sub`; a refused assertion is
/// `invalid_grant` (§3.1). No refresh token: the client signs a new assertion.
pub fn jwt_bearer(
    app: &App,
    req: &Req,
    p: &Params,
    client: &Client,
    scopes: Vec<String>,
) -> Result<Out, OAuthError> {
    let assertion = p.require("assertion")?;
    let claims = super::assertion::verify_grant(app, req, assertion, client)?;
    let sub = claims
        .get("sub")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string();
    let grant = Grant {
        actor: None,
        client_id: client.id.clone(),
        scopes,
        subject: Some(sub),
        family: random_token(12),
        auth_time: app.now_secs(),
        jkt: None,
        audience: audience_of(p),
    };
    issue_with(app, grant, false, None, None, Map::new())
}

/// The `type`s of authorization details (RFC 9396) this emulator grants.
pub const DETAIL_TYPES: &[&str] = &["payment_initiation", "account_information"];

/// The `authorization_details` of a token request, granted as asked (RFC 9396 §7): the
/// answer's field, or `invalid_authorization_details` (§5) for one that is not an array
/// of objects of a known `type`.
pub fn granted_details(p: &Params) -> Result<Map<String, serde_json::Value>, OAuthError> {
    details_field(p.get("authorization_details"))
}

/// [`granted_details`] of a raw `authorization_details` value (of a token request, or
/// of the authorization request a code was issued for).
pub fn details_field(raw: Option<&str>) -> Result<Map<String, serde_json::Value>, OAuthError> {
    let mut fields = Map::new();
    let Some(raw) = raw else {
        return Ok(fields);
    };
    let bad = |d: String| OAuthError::new("invalid_authorization_details", 400, d);
    let v: serde_json::Value = serde_json::from_str(raw)
        .map_err(|e| bad(format!("authorization_details is not JSON: {e}")))?;
    let Some(items) = v.as_array() else {
        return Err(bad("authorization_details must be a JSON array".into()));
    };
    for item in items {
        let t = item.get("type").and_then(serde_json::Value::as_str);
        match t {
            Some(t) if DETAIL_TYPES.contains(&t) => {}
            Some(t) => {
                return Err(bad(format!(
                    "unknown authorization details type `{t}`; this server knows: {}",
                    DETAIL_TYPES.join(", ")
                )))
            }
            None => {
                return Err(bad(
                    "every authorization details object needs a `type`".into()
                ))
            }
        }
    }
    fields.insert("authorization_details".into(), v);
    Ok(fields)
}
