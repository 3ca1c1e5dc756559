//! RP-Initiated Logout 1.0: the end-session endpoint. The emulator keeps no browser
//! session, so logging out is a page, or a redirect to the client's
//! `post_logout_redirect_uri` (with its `state`) when one is given and acceptable.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

use super::app::{error_page, App};
use super::authorize::redirect_matches;
use super::errors::OAuthError;
use super::http::{esc, page, query_or_form, Out, Params, Req};

/// The `aud` (first audience) of an ID token, read without checking its signature:
/// it only names the client whose redirect URIs are compared.
fn audience(id_token: &str) -> Result<String, OAuthError> {
    let bad = || OAuthError::invalid_request("id_token_hint is not an ID token (a JWT)");
    let payload = id_token.split('.').nth(1).ok_or_else(bad)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|_| bad())?;
    let claims: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    match claims.get("aud") {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Array(a)) => a
            .first()
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// Whether `uri` may receive the browser after logout: one of the client's registered
/// redirect URIs, or (where loopback redirect URIs match on any port) any loopback URI.
fn acceptable(app: &App, client_id: &str, uri: &str) -> Result<(), OAuthError> {
    let client = app.state().clients.get(client_id).cloned();
    let Some(client) = client else {
        return Err(OAuthError::invalid_request(format!(
            "unknown client_id `{client_id}`"
        )));
    };
    let any_port = app.profile.data.loopback_any_port;
    let registered = client
        .redirect_uris
        .iter()
        .any(|r| redirect_matches(r, uri, any_port));
    let loopback = any_port
        && url::Url::parse(uri).is_ok_and(|u| {
            u.scheme() == "http" && matches!(u.host_str(), Some("127.0.0.1") | Some("[::1]"))
        });
    if registered || loopback {
        Ok(())
    } else {
        Err(OAuthError::invalid_request(format!(
            "post_logout_redirect_uri `{uri}` is not registered for client `{client_id}`"
        )))
    }
}

fn checked_redirect(app: &App, params: &Params) -> Result<Option<String>, OAuthError> {
    let hint_aud = match params.get("id_token_hint") {
        Some(t) => Some(audience(t)?),
        None => None,
    };
    let Some(uri) = params.get("post_logout_redirect_uri") else {
        return Ok(None);
    };
    let client_id = match (params.get("client_id"), &hint_aud) {
        (Some(c), Some(a)) if c != a.as_str() => {
            return Err(OAuthError::invalid_request(
                "client_id differs from the audience of id_token_hint",
            ))
        }
        (Some(c), _) => c.to_string(),
        (None, Some(a)) => a.clone(),
        (None, None) => {
            return Err(OAuthError::invalid_request(
                "post_logout_redirect_uri needs client_id or id_token_hint",
            ))
        }
    };
    acceptable(app, &client_id, uri)?;
    let mut u = url::Url::parse(uri)
        .map_err(|_| OAuthError::invalid_request("post_logout_redirect_uri is not a URL"))?;
    if let Some(s) = params.get("state") {
        u.query_pairs_mut().append_pair("state", s);
    }
    Ok(Some(u.to_string()))
}

/// GET or POST of the end-session endpoint.
pub fn end_session(app: &App, req: &Req) -> Out {
    let params = match query_or_form(req) {
        Ok(p) => p,
        Err(e) => return error_page(app, &e),
    };
    match checked_redirect(app, &params) {
        Err(e) => error_page(app, &e),
        Ok(Some(to)) => Out::redirect(to),
        Ok(None) => Out::html(
            200,
            page(
                &format!("Logged out — {}", app.profile.display_name()),
                &format!(
                    "<h1>Logged out</h1><p>You are logged out of {}.</p>",
                    esc(app.profile.display_name())
                ),
            ),
        ),
    }
}
