//! Revocation (RFC 7009) and introspection (RFC 7662), both for authenticated clients.

use serde_json::{json, Map, Value};

use super::app::{App, REVOCATION_AUTH_METHODS};
use super::client_auth::{authenticate, detect, request_params};
use super::errors::OAuthError;
use super::http::{Out, Params, Req};
use super::selfcontained;
use super::state::{Client, Grant};

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
    if app.settings.revocation_requires_secret && client.is_public() {
        let mut out = app.error(&OAuthError::invalid_client(format!(
            "{} revokes tokens for authenticated clients only ({}); `{}` is a public client",
            app.profile.display_name(),
            REVOCATION_AUTH_METHODS.join(", "),
            client.id
        )));
        out.client_auth = Some(auth);
        return out;
    }
    let mut out = match params.require("token") {
        Err(e) => app.error(&e),
        Ok(token) => {
            let earlier = earlier(app, token);
            let mut st = app.state();
            let owner = st
                .access
                .get(token)
                .map(|a| a.grant.client_id.clone())
                .or_else(|| st.refresh.get(token).map(|r| r.grant.client_id.clone()))
                .or_else(|| earlier.as_ref().map(|(g, ..)| g.client_id.clone()));
            match owner {
                Some(o) if o != client.id => {
                    drop(st);
                    app.error(&OAuthError::unauthorized_client(
                        "the token was issued to another client",
                    ))
                }
                Some(_) => {
                    st.revoke_access(token);
                    st.revoke_refresh(token);
                    if let Some((_, _, expires_ms, _)) = earlier {
                        st.mark_revoked(token.to_string(), expires_ms);
                    }
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
    let iss = app
        .profile
        .issuer(&app.base)
        .unwrap_or_else(|| app.base.clone());
    let known = {
        let st = app.state();
        if let Some(a) = st.access.get(token) {
            Some((a.grant.clone(), a.issued_ms, a.expires_ms, "access_token"))
        } else {
            st.refresh
                .get(token)
                .map(|r| (r.grant.clone(), r.issued_ms, r.expires_ms, "refresh_token"))
        }
    };
    let Some((grant, issued, expires, kind)) = known.or_else(|| earlier(app, token)) else {
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
        json!(match (kind, &grant.jkt) {
            ("access_token", Some(_)) => "DPoP",
            ("access_token", None) => app.profile.token_type(),
            _ => "refresh_token",
        }),
    );
    if let Some(jkt) = &grant.jkt {
        m.insert("cnf".into(), super::dpop::cnf(jkt));
    }
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
    // One `cnf` with each binding the token has (RFC 7800): a certificate's thumbprint
    // beside a DPoP key's.
    if let Some(x5t) = app.state().cert_bound.get(token) {
        let cnf = m.entry("cnf").or_insert_with(|| json!({}));
        if let Some(cnf) = cnf.as_object_mut() {
            cnf.insert("x5t#S256".into(), json!(x5t));
        }
    }
    Value::Object(m)
}

/// With self-contained tokens, a token an earlier emulator issued: its grant, issue and
/// expiry times (ms) and kind.
fn earlier(app: &App, token: &str) -> Option<(Grant, u64, u64, &'static str)> {
    selfcontained::access(app, token)
        .map(|a| (a.grant, a.issued_ms, a.expires_ms, "access_token"))
        .or_else(|| {
            selfcontained::refresh(app, token)
                .map(|r| (r.grant, r.issued_ms, r.expires_ms, "refresh_token"))
        })
}
