//! Pushed authorization requests (RFC 9126) on the mock's side: the `/par` endpoint
//! takes an authorization request's parameters from an authenticated client (any
//! method the token endpoint takes) and answers a `request_uri` that is short-lived
//! and works once; the authorization endpoint then reads the pushed parameters
//! ([`resolve`]). `--require-par` refuses requests that were not pushed;
//! `--expired-request-uri` makes every `request_uri` expired when it is used.

use serde_json::json;

use super::app::App;
use super::client_auth::{authenticate, detect};
use super::errors::OAuthError;
use super::http::{Out, Params, Req};
use super::jar;
use super::state::{random_token, PushedRequest};

/// The prefix of the `request_uri`s this server issues (RFC 9126 §2.2).
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";
/// How long a `request_uri` is valid.
pub const LIFETIME_SECS: u64 = 60;

/// Client authentication parameters, not part of the authorization request.
const AUTH_PARAMS: [&str; 3] = ["client_secret", "client_assertion", "client_assertion_type"];

/// POST to the pushed authorization request endpoint (RFC 9126 §2).
pub fn push(app: &App, req: &Req) -> Out {
    let params = match req.form().and_then(Params::new) {
        Ok(p) => p,
        Err(e) => return app.error(&e),
    };
    let auth = detect(req, &params, false);
    let mut out = match pushed(app, req, &params) {
        Ok(o) => o,
        Err(e) => app.error(&e),
    };
    out.client_auth = Some(auth);
    out
}

fn pushed(app: &App, req: &Req, params: &Params) -> Result<Out, OAuthError> {
    let client = authenticate(app, req, params, false)?;
    if params.has("request_uri") {
        return Err(OAuthError::invalid_request(
            "request_uri must not be in a pushed authorization request (RFC 9126 §2.1)",
        ));
    }
    if params.get("client_id").is_some_and(|id| id != client.id) {
        return Err(OAuthError::invalid_request(
            "client_id differs from the client that authenticated",
        ));
    }
    if params.has("request") {
        jar::unpack(app, &client, params)?;
    } else if app.settings.require_jar {
        return Err(OAuthError::invalid_request(
            "this server requires signed request objects (RFC 9101): push a `request` JWT signed by the client",
        ));
    }
    if !params.has("response_type") && !params.has("request") {
        return Err(OAuthError::invalid_request("response_type is missing"));
    }
    let mut pairs: Vec<(String, String)> = params
        .pairs()
        .iter()
        .filter(|(k, _)| k != "client_id" && !AUTH_PARAMS.contains(&k.as_str()))
        .cloned()
        .collect();
    pairs.insert(0, ("client_id".into(), client.id.clone()));
    let uri = format!("{REQUEST_URI_PREFIX}{}", random_token(24));
    let now = app.now_ms();
    {
        let mut st = app.state();
        st.pushed.insert(
            uri.clone(),
            PushedRequest {
                client_id: client.id.clone(),
                params: pairs,
                expires_ms: now + LIFETIME_SECS * 1000,
                used: false,
            },
        );
        st.inserted(now);
    }
    Ok(Out::json(
        201,
        &json!({"request_uri": uri, "expires_in": LIFETIME_SECS}),
    )
    .no_store())
}

/// What the authorization endpoint works with.
pub enum Resolved {
    /// The parameters (the pushed ones for a `request_uri`) and whether they were pushed.
    Params(Params, bool),
    /// A refusal shown on a page: the client or redirect URI cannot be trusted.
    Page(OAuthError),
    /// A refusal redirected to the pushed request's redirect URI.
    Redirect {
        redirect: String,
        state: Option<String>,
        error: OAuthError,
    },
}

/// An authorization request with a `request_uri` gets the pushed parameters, once.
pub fn resolve(app: &App, params: Params) -> Resolved {
    let Some(uri) = params.get("request_uri").map(str::to_string) else {
        return Resolved::Params(params, false);
    };
    let now = app.now_ms();
    let mut st = app.state();
    let Some(p) = st.pushed.get_mut(&uri) else {
        return Resolved::Page(OAuthError::new(
            "invalid_request_uri",
            400,
            format!("the request_uri `{uri}` is unknown to this server: push the authorization request first"),
        ));
    };
    if params.get("client_id") != Some(p.client_id.as_str()) {
        return Resolved::Page(OAuthError::invalid_request(
            "client_id must be the one of the pushed authorization request",
        ));
    }
    let why = if p.used {
        Some("the request_uri was already used: it works once (RFC 9126 §4)")
    } else if now > p.expires_ms || app.settings.expired_request_uri {
        Some("the request_uri has expired: push the authorization request again and use it at once")
    } else {
        None
    };
    p.used = true;
    let pushed = p.params.clone();
    let get = |k: &str| pushed.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    if let Some(why) = why {
        let client = st.clients.get(&p_client(&pushed)).cloned();
        let redirect =
            get("redirect_uri").or_else(|| client.and_then(|c| c.redirect_uris.first().cloned()));
        let error = OAuthError::new("invalid_request_uri", 400, why);
        return match redirect {
            Some(redirect) => Resolved::Redirect {
                redirect,
                state: get("state"),
                error,
            },
            None => Resolved::Page(error),
        };
    }
    drop(st);
    match Params::new(pushed) {
        Ok(p) => Resolved::Params(p, true),
        Err(e) => Resolved::Page(e),
    }
}

fn p_client(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}
