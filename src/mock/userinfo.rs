//! "Who am I" (userinfo, or a provider's own "me" endpoint) and the canned API
//! resources behind a Bearer token (RFC 6750).

use hyper::Method;
use serde_json::{json, Map, Value};

use super::app::{scoped_claims, user_json, App};
use super::dpop;
use super::errors::OAuthError;
use super::http::{Out, Params, Req};
use super::selfcontained;
use super::state::AccessToken;

const BEARER_REALM: &str = "Bearer realm=\"oauthctl-mock\"";

/// The access token of a `DPoP` request (RFC 9449 §7.1): its proof checked (method,
/// URL, `ath`) and made with the key the token is bound to.
fn dpop_bound(
    app: &App,
    req: &Req,
    token: &str,
    scope: Option<&str>,
) -> Result<AccessToken, OAuthError> {
    let at = dpop::At::Resource;
    let url = app.request_url(req);
    let expect = dpop::Expect {
        at,
        method: req.method.as_str(),
        url: &url,
        access_token: Some(token),
    };
    let Some(jkt) = dpop::check(app, req, expect)? else {
        return Err(dpop::invalid(
            at,
            "the DPoP scheme needs a DPoP proof header",
        ));
    };
    cert_binding(app, req, token)?;
    let rec = token_record(app, token, scope)?;
    if rec.grant.jkt.as_deref() != Some(jkt.as_str()) {
        return Err(dpop::invalid(
            at,
            "the proof is not signed by the key the access token is bound to",
        ));
    }
    Ok(rec)
}

/// The access token of a Bearer request (or a DPoP one), valid and with `scope` when
/// one is needed.
fn bearer(app: &App, req: &Req, scope: Option<&str>) -> Result<AccessToken, OAuthError> {
    if let Some(token) = req.dpop_token() {
        return dpop_bound(app, req, token, scope);
    }
    let Some(token) = req.bearer() else {
        // RFC 6750 §3.1: no error code when the request has no credentials at all.
        return Err(OAuthError::new(
            "invalid_token",
            401,
            "no access token: send the header `Authorization: Bearer TOKEN`",
        )
        .aliases(&["unauthorized_client"])
        .www(BEARER_REALM));
    };
    cert_binding(app, req, token)?;
    let rec = token_record(app, token, scope)?;
    if rec.grant.jkt.is_some() || app.settings.require_dpop {
        // RFC 9449 §7.2: a bound token sent as a bearer token is refused.
        return Err(dpop::invalid(
            dpop::At::Resource,
            "this access token is DPoP-bound: send it as `Authorization: DPoP TOKEN` with a DPoP proof",
        ));
    }
    Ok(rec)
}

/// RFC 8705 §3: a token bound to a client certificate is taken only with it.
fn cert_binding(app: &App, req: &Req, token: &str) -> Result<(), OAuthError> {
    let bound = app.state().cert_bound.get(token).cloned();
    if let Some(x5t) = bound {
        let presented = req
            .client_cert
            .as_ref()
            .and_then(|c| c.first())
            .map(|d| super::tls::thumbprint(d));
        if presented.as_deref() != Some(x5t.as_str()) {
            return Err(OAuthError::invalid_token(
                "the access token is bound to a client certificate (RFC 8705 §3): present that certificate over mutual TLS",
            ));
        }
    }
    Ok(())
}

fn token_record(app: &App, token: &str, scope: Option<&str>) -> Result<AccessToken, OAuthError> {
    let now = app.now_ms();
    let rec = app.state().access.get(token).cloned();
    let Some(rec) = rec.or_else(|| selfcontained::access(app, token)) else {
        return Err(OAuthError::invalid_token(
            "the access token is unknown, revoked, or was replaced by a refresh",
        ));
    };
    if rec.expires_ms <= now {
        return Err(OAuthError::invalid_token("the access token expired"));
    }
    if let Some(s) = scope {
        if !rec.grant.scopes.iter().any(|x| x == s) {
            return Err(OAuthError::new(
                "insufficient_scope",
                403,
                format!("this resource needs the scope `{s}`"),
            )
            .www(format!(
                "{BEARER_REALM}, error=\"insufficient_scope\", scope=\"{s}\""
            )));
        }
    }
    Ok(rec)
}

/// The "who am I" endpoint: Bearer GET (or POST, OpenID Connect §5.3.1), or a form POST
/// with client credentials and the token (Worksection's `/oauth2/resource`).
pub fn userinfo(app: &App, req: &Req) -> Out {
    if app.profile.userinfo_form_post() {
        if req.method != Method::POST {
            return app
                .error(&OAuthError::invalid_request("use POST here").status(405))
                .header("Allow", "POST".into());
        }
        return match form_userinfo(app, req) {
            Ok(o) => o,
            Err(e) => app.error(&e),
        };
    }
    let id_tokens = app.profile.data.id_tokens;
    if !(req.method == Method::GET || (id_tokens && req.method == Method::POST)) {
        let allowed = if id_tokens { "GET, POST" } else { "GET" };
        return app
            .error(&OAuthError::invalid_request(format!("use {allowed} here")).status(405))
            .header("Allow", allowed.into());
    }
    let rec = match bearer(app, req, None) {
        Ok(r) => r,
        Err(e) => return app.error(&e),
    };
    if rec.grant.subject.is_none() {
        return app.error(&OAuthError::invalid_token(
            "this token was issued to a client (client_credentials), not for a user",
        ));
    }
    let user = user_json(app);
    if !id_tokens {
        return Out::json(200, &user);
    }
    // OpenID Connect: the claims the scopes allow.
    if !rec.grant.scopes.iter().any(|s| s == "openid") {
        return app.error(
            &OAuthError::new(
                "insufficient_scope",
                403,
                "userinfo needs the `openid` scope",
            )
            .www(format!(
                "{BEARER_REALM}, error=\"insufficient_scope\", scope=\"openid\""
            )),
        );
    }
    let mut claims = Map::new();
    if app
        .state()
        .faults
        .id_token
        .contains(&super::options::IdTokenFault::SubMismatch)
    {
        claims.insert("sub".into(), json!("someone-else"));
    } else {
        claims.insert("sub".into(), json!(rec.grant.subject));
    }
    scoped_claims(&user, &rec.grant.scopes, &mut claims);
    Out::json(200, &Value::Object(claims))
}

fn form_userinfo(app: &App, req: &Req) -> Result<Out, OAuthError> {
    let p = Params::new(req.form()?)?;
    let id = p.require("client_id")?;
    let client = app.state().clients.get(id).cloned();
    let ok = client
        .as_ref()
        .is_some_and(|c| c.secret.as_deref() == p.get("client_secret"));
    if !ok {
        return Err(OAuthError::invalid_client(
            "unknown client_id or wrong client_secret: this endpoint takes client_id, client_secret and access_token in the form",
        ));
    }
    let token = p.require("access_token")?;
    token_record(app, token, None)?;
    Ok(Out::json(200, &user_json(app)))
}

/// A canned API answer behind a Bearer token (Hub's `/api/user/teams`).
pub fn resource(app: &App, req: &Req, path: &str) -> Out {
    let Some(res) = app.profile.data.resources.get(path) else {
        return app.error(&OAuthError::not_found("no such resource"));
    };
    match bearer(app, req, res.scope.as_deref()) {
        Ok(_) => Out::json(200, &res.body),
        Err(e) => app.error(&e),
    }
}
