//! "Who am I", canned API resources, dynamic registration (RFC 7591), device
//! authorization (RFC 8628), revocation (RFC 7009) and introspection (RFC 7662).

use hyper::Method;
use serde_json::{json, Map, Value};

use super::errors::OAuthError;
use super::server::{user_json, App, Out, Params, Req};
use super::state::{random_token, user_code, AccessToken, Client, Device, DeviceStatus};
use super::token::{authenticate, detect, request_params, DEVICE_GRANT};

const BEARER_REALM: &str = "Bearer realm=\"oauthctl-mock\"";

/// The access token of a Bearer request, valid and with `scope` when one is needed.
fn bearer(app: &App, req: &Req, scope: Option<&str>) -> Result<AccessToken, OAuthError> {
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
    token_record(app, token, scope)
}

fn token_record(app: &App, token: &str, scope: Option<&str>) -> Result<AccessToken, OAuthError> {
    let now = app.now_ms();
    let rec = app.state().access.get(token).cloned();
    let Some(rec) = rec else {
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
    let form_post =
        app.profile.spec.userinfo_request == Some(crate::provider::UserinfoRequest::FormPost);
    if form_post {
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
    claims.insert("sub".into(), json!(rec.grant.subject));
    for (scope, keys) in [
        (
            "profile",
            &["name", "given_name", "family_name", "preferred_username"][..],
        ),
        ("email", &["email", "email_verified"][..]),
    ] {
        if rec.grant.scopes.iter().any(|s| s == scope) {
            for k in keys {
                if let Some(v) = user.get(*k) {
                    claims.insert((*k).to_string(), v.clone());
                }
            }
        }
    }
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
    let grant_types = match field("grant_types") {
        Some(v) => {
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
            g
        }
        None => app.profile.grant_types(),
    };
    let method = match field("token_endpoint_auth_method") {
        Some(Value::String(m)) => {
            if !app.profile.auth_methods().iter().any(|x| x == m) || m == "private_key_jwt" {
                return Err(metadata_error(
                    "invalid_client_metadata",
                    format!(
                        "token_endpoint_auth_method `{m}` is not supported; supported: {}",
                        app.profile.auth_methods().join(", ")
                    ),
                ));
            }
            m.clone()
        }
        Some(_) => {
            return Err(metadata_error(
                "invalid_client_metadata",
                "token_endpoint_auth_method must be a string",
            ))
        }
        None => app.profile.client_auth_method(),
    };
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
    app.state().clients.insert(client.id.clone(), client);
    Ok(Out::json(201, &Value::Object(resp)).no_store())
}

/// RFC 8628 §3.1–3.2.
pub fn device_authorization(app: &App, req: &Req) -> Out {
    let params = match request_params(app, req) {
        Ok(p) => p,
        Err(e) => return app.error(&e),
    };
    let auth = detect(req, &params, false);
    let mut out = match device_inner(app, req, &params) {
        Ok(o) => o,
        Err(e) => app.error(&e),
    };
    out.client_auth = Some(auth);
    out
}

fn device_inner(app: &App, req: &Req, params: &Params) -> Result<Out, OAuthError> {
    let client = authenticate(app, req, params, false)?;
    if !client.grant_types.iter().any(|g| g == DEVICE_GRANT) {
        return Err(OAuthError::unauthorized_client(format!(
            "client `{}` is not allowed to use the device authorization grant",
            client.id
        )));
    }
    let scopes = match params.get(app.profile.scope_param()) {
        Some(s) => app.profile.split_scopes(s),
        None => app.profile.default_scopes(),
    };
    let unknown = app.profile.unknown_scopes(&scopes);
    if !unknown.is_empty() {
        return Err(OAuthError::invalid_scope(format!(
            "unknown scope(s): {}",
            unknown.join(" ")
        )));
    }
    let device_code = random_token(32);
    let now = app.now_ms();
    let interval = app.settings.device_interval;
    // Whole seconds (RFC 8628 §3.2), rounded up so that a client that waits what it
    // is told never polls too fast.
    let interval_secs = (interval.as_millis() as u64).div_ceil(1000);
    let expires_in = app.settings.device_code_ttl.as_secs().max(1);
    let mut st = app.state();
    let mut uc = user_code();
    while st.user_codes.contains_key(&uc) {
        uc = user_code();
    }
    st.devices.insert(
        device_code.clone(),
        Device {
            client_id: client.id.clone(),
            scopes,
            user_code: uc.clone(),
            expires_ms: now + expires_in * 1000,
            interval_ms: interval.as_millis() as u64,
            last_poll_ms: None,
            status: DeviceStatus::Pending,
            audience: super::token::audience_of(params),
        },
    );
    st.user_codes.insert(uc.clone(), device_code.clone());
    st.inserted(now);
    drop(st);
    let verify = app
        .profile
        .path_of(&super::profile::Route::DeviceVerify)
        .map(|p| app.url(p))
        .unwrap_or_else(|| app.url("/device"));
    let complete = format!(
        "{verify}?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("user_code", &uc)
            .finish()
    );
    Ok(Out::json(
        200,
        &json!({
            "device_code": device_code,
            "user_code": uc,
            "verification_uri": verify,
            "verification_uri_complete": complete,
            "expires_in": expires_in,
            "interval": interval_secs,
        }),
    )
    .no_store())
}

fn authenticated(app: &App, req: &Req) -> Result<(Params, Client, &'static str), Box<Out>> {
    let params = request_params(app, req).map_err(|e| Box::new(app.error(&e)))?;
    let auth = detect(req, &params, false);
    let tag = |mut o: Out| {
        o.client_auth = Some(auth);
        Box::new(o)
    };
    let client = authenticate(app, req, &params, false).map_err(|e| tag(app.error(&e)))?;
    Ok((params, client, auth))
}

/// RFC 7009: always 200 for an unknown token; a refresh token takes its access tokens.
pub fn revoke(app: &App, req: &Req) -> Out {
    let (params, client, auth) = match authenticated(app, req) {
        Ok(x) => x,
        Err(o) => return *o,
    };
    let mut out = match params.require("token") {
        Err(e) => app.error(&e),
        Ok(token) => {
            let mut st = app.state();
            let owner = st
                .access
                .get(token)
                .map(|a| a.grant.client_id.clone())
                .or_else(|| st.refresh.get(token).map(|r| r.grant.client_id.clone()));
            match owner {
                Some(o) if o != client.id => {
                    drop(st);
                    app.error(&OAuthError::unauthorized_client(
                        "the token was issued to another client",
                    ))
                }
                Some(_) => {
                    st.access.remove(token);
                    st.revoke_refresh(token);
                    Out::new(200, "application/json", "{}")
                }
                None => Out::new(200, "application/json", "{}"),
            }
        }
    };
    out.client_auth = Some(auth);
    out
}

/// RFC 7662.
pub fn introspect(app: &App, req: &Req) -> Out {
    let (params, client, auth) = match authenticated(app, req) {
        Ok(x) => x,
        Err(o) => return *o,
    };
    let mut out = if client.is_public() {
        app.error(&OAuthError::invalid_client(
            "introspection needs an authenticated (confidential) client",
        ))
    } else {
        match params.require("token") {
            Err(e) => app.error(&e),
            Ok(token) => Out::json(200, &introspection(app, token)).no_store(),
        }
    };
    out.client_auth = Some(auth);
    out
}

fn introspection(app: &App, token: &str) -> Value {
    let now = app.now_ms();
    let st = app.state();
    let iss = app
        .profile
        .issuer(&app.base)
        .unwrap_or_else(|| app.base.clone());
    let (grant, issued, expires, kind) = if let Some(a) = st.access.get(token) {
        (a.grant.clone(), a.issued_ms, a.expires_ms, "access_token")
    } else if let Some(r) = st.refresh.get(token) {
        (r.grant.clone(), r.issued_ms, r.expires_ms, "refresh_token")
    } else {
        return json!({"active": false});
    };
    if expires <= now {
        return json!({"active": false});
    }
    let mut m = Map::new();
    m.insert("active".into(), json!(true));
    m.insert("scope".into(), json!(grant.scopes.join(" ")));
    m.insert("client_id".into(), json!(grant.client_id));
    if let Some(s) = &grant.subject {
        m.insert("username".into(), json!(s));
        m.insert("sub".into(), json!(s));
    } else {
        m.insert("sub".into(), json!(grant.client_id));
    }
    m.insert(
        "token_type".into(),
        json!(if kind == "access_token" {
            app.profile.token_type()
        } else {
            "refresh_token"
        }),
    );
    m.insert("exp".into(), json!(expires / 1000));
    m.insert("iat".into(), json!(issued / 1000));
    m.insert(
        "aud".into(),
        match grant.audience.as_slice() {
            [] => json!(iss),
            [one] => json!(one),
            many => json!(many),
        },
    );
    m.insert("iss".into(), json!(iss));
    Value::Object(m)
}
