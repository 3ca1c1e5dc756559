//! Token issuance: opaque or JWT access tokens, OpenID Connect id tokens, refresh
//! tokens kept in the state, and the success answer shaped by the preset's quirks.
//! Shared by the token endpoint's grants and the implicit grant of `authorize`.

use serde_json::{json, Map, Value};

use super::app::{scoped_claims, user_json, App};
use super::errors::OAuthError;
use super::http::{Out, Params};
use super::jwt::at_hash;
use super::options::{IdTokenFault, TokenFormat};
use super::profile::TEST_USERNAME;
use super::selfcontained::mint_refresh;
use super::state::{random_token, AccessToken, AuthRequest, Grant, RefreshToken};

/// The audiences a request asks for: `audience`, then every `resource` (RFC 8707).
pub fn audience_of(p: &Params) -> Vec<String> {
    let mut a: Vec<String> = p.get("audience").map(str::to_string).into_iter().collect();
    a.extend(p.all("resource"));
    a
}

thread_local! {
    /// The `x5t#S256` of the client certificate the token request being answered came
    /// with (mutual TLS): the tokens issued for it are bound to it (RFC 8705 §3).
    static BOUND_TO: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` (a token request's answer, synchronous) with the tokens it issues bound to
/// the certificate `x5t`.
pub fn bound_to<R>(x5t: Option<String>, f: impl FnOnce() -> R) -> R {
    BOUND_TO.with(|b| *b.borrow_mut() = x5t);
    let out = f();
    BOUND_TO.with(|b| *b.borrow_mut() = None);
    out
}

fn binding() -> Option<String> {
    BOUND_TO.with(|b| b.borrow().clone())
}

/// An access token string: opaque random, or a signed JWT (RFC 9068 shape).
fn mint_access(app: &App, grant: &Grant, now: u64, exp: u64) -> Result<String, OAuthError> {
    match app.settings.token_format {
        TokenFormat::Opaque => Ok(random_token(32)),
        TokenFormat::Jwt => {
            let iss = app
                .profile
                .issuer(&app.base)
                .unwrap_or_else(|| app.base.clone());
            let aud = match grant.audience.as_slice() {
                [] => json!(iss),
                [one] => json!(one),
                many => json!(many),
            };
            let mut claims = json!({
                "iss": iss,
                "sub": grant.subject.clone().unwrap_or_else(|| grant.client_id.clone()),
                "aud": aud,
                "client_id": grant.client_id,
                "scope": grant.scopes.join(" "),
                "iat": now,
                "exp": exp,
                "jti": random_token(12),
            });
            // RFC 8705 §3.1 and RFC 9449 §6.1: one cnf, with each binding the token has.
            let mut cnf = Map::new();
            if let Some(x5t) = binding() {
                cnf.insert("x5t#S256".into(), json!(x5t));
            }
            if let Some(Value::Object(o)) = grant.jkt.as_deref().map(super::dpop::cnf) {
                cnf.extend(o);
            }
            if !cnf.is_empty() {
                claims["cnf"] = Value::Object(cnf);
            }
            if let Some(actor) = &grant.actor {
                // RFC 8693 §4.1: who acts for the subject.
                claims["act"] = json!({ "sub": actor });
            }
            app.signer
                .sign(&claims, Some("at+jwt"))
                .map_err(|e| OAuthError::server_error(e.message))
        }
    }
}

fn id_token(
    app: &App,
    grant: &Grant,
    access: &str,
    nonce: Option<&str>,
    now: u64,
    exp: u64,
) -> Result<String, OAuthError> {
    let iss = app
        .profile
        .issuer(&app.base)
        .unwrap_or_else(|| app.base.clone());
    let faults = app.state().faults.id_token.clone();
    let has = |f: IdTokenFault| faults.contains(&f);
    let (iat, exp) = if has(IdTokenFault::Expired) {
        (now.saturating_sub(7200), now.saturating_sub(3600))
    } else {
        (now, exp)
    };
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(iss));
    claims.insert("sub".into(), json!(grant.subject));
    if has(IdTokenFault::WrongAud) {
        claims.insert("aud".into(), json!("another-client"));
    } else {
        claims.insert("aud".into(), json!(grant.client_id));
        claims.insert("azp".into(), json!(grant.client_id));
    }
    claims.insert("iat".into(), json!(iat));
    claims.insert("exp".into(), json!(exp));
    claims.insert("auth_time".into(), json!(grant.auth_time));
    claims.insert("at_hash".into(), json!(at_hash(access)));
    if let Some(n) = nonce {
        let n = if has(IdTokenFault::WrongNonce) {
            "not-the-nonce-sent"
        } else {
            n
        };
        claims.insert("nonce".into(), json!(n));
    }
    scoped_claims(&user_json(app), &grant.scopes, &mut claims);
    let claims = Value::Object(claims);
    let signed = app
        .signer
        .sign(&claims, None)
        .map_err(|e| OAuthError::server_error(e.message))?;
    if !has(IdTokenFault::BadSignature) {
        return Ok(signed);
    }
    // The signature of other claims: valid base64url, and wrong for these.
    let other = app
        .signer
        .sign(&json!({"sub": "someone-else"}), None)
        .map_err(|e| OAuthError::server_error(e.message))?;
    let (head, _) = signed.rsplit_once('.').unwrap_or((signed.as_str(), ""));
    let (_, sig) = other.rsplit_once('.').unwrap_or(("", other.as_str()));
    Ok(format!("{head}.{sig}"))
}

/// Issues tokens for a grant and answers in the provider's shape. `keep_refresh` ties the
/// new access token to an existing refresh token (a refresh without rotation).
pub fn issue(
    app: &App,
    grant: Grant,
    with_refresh: bool,
    keep_refresh: Option<String>,
    nonce: Option<&str>,
) -> Result<Out, OAuthError> {
    issue_with(app, grant, with_refresh, keep_refresh, nonce, Map::new())
}

/// [`issue`], with `fields` added to the answer (`issued_token_type`,
/// `authorization_details`).
pub fn issue_with(
    app: &App,
    grant: Grant,
    with_refresh: bool,
    keep_refresh: Option<String>,
    nonce: Option<&str>,
    fields: Map<String, Value>,
) -> Result<Out, OAuthError> {
    let mut grant = grant;
    // Bound to the key the token request proved (RFC 9449 §5).
    grant.jkt = super::dpop::binding().or(grant.jkt);
    let bound = grant.jkt.is_some();
    let now_ms = app.now_ms();
    let now = now_ms / 1000;
    let ttl = app.settings.access_ttl;
    let exp_ms = now_ms + ttl.as_millis() as u64;
    let access = mint_access(app, &grant, now, exp_ms / 1000)?;
    let refresh = match with_refresh {
        true => Some(mint_refresh(app, &grant, now_ms)?),
        false => None,
    };
    let wants_id = app.profile.data.id_tokens
        && grant.subject.is_some()
        && grant.scopes.iter().any(|s| s == "openid");
    let idt = if wants_id {
        Some(id_token(app, &grant, &access, nonce, now, exp_ms / 1000)?)
    } else {
        None
    };
    {
        let mut st = app.state();
        let attached = refresh.clone().or(keep_refresh);
        st.access.insert(
            access.clone(),
            AccessToken {
                grant: grant.clone(),
                issued_ms: now_ms,
                expires_ms: exp_ms,
            },
        );
        if let Some(r) = &refresh {
            st.refresh.insert(
                r.clone(),
                RefreshToken {
                    grant: grant.clone(),
                    issued_ms: now_ms,
                    expires_ms: now_ms + app.settings.refresh_ttl.as_millis() as u64,
                    access: vec![access.clone()],
                },
            );
        } else if let Some(r) = &attached {
            if let Some(rt) = st.refresh.get_mut(r) {
                rt.access.push(access.clone());
            }
        }
        if let Some(x5t) = binding() {
            st.cert_bound.insert(access.clone(), x5t.clone());
            if let Some(r) = &refresh {
                st.cert_bound.insert(r.clone(), x5t);
            }
        }
        st.inserted(now_ms);
    }
    let mut out = token_response(
        app,
        &access,
        refresh.as_deref(),
        &grant.scopes,
        idt,
        ttl.as_secs(),
        fields,
    );
    if bound {
        out = dpop_token_type(out);
    }
    Ok(out)
}

/// The implicit grant (`response_type=token`, where the provider lists it): an access
/// token for the fragment of the redirect; never a refresh token (RFC 6749 §4.2.2).
pub fn implicit(app: &App, ar: &AuthRequest) -> Result<Vec<(&'static str, String)>, OAuthError> {
    let now_ms = app.now_ms();
    let ttl = app.settings.access_ttl;
    let exp_ms = now_ms + ttl.as_millis() as u64;
    let grant = Grant {
        actor: None,
        client_id: ar.client_id.clone(),
        scopes: ar.scopes.clone(),
        subject: Some(TEST_USERNAME.to_string()),
        family: random_token(12),
        auth_time: now_ms / 1000,
        jkt: None,
        audience: Vec::new(),
    };
    let access = mint_access(app, &grant, now_ms / 1000, exp_ms / 1000)?;
    {
        let mut st = app.state();
        st.access.insert(
            access.clone(),
            AccessToken {
                grant: grant.clone(),
                issued_ms: now_ms,
                expires_ms: exp_ms,
            },
        );
        st.inserted(now_ms);
    }
    let mut out = vec![
        ("access_token", access),
        ("token_type", app.profile.token_type().to_string()),
        ("expires_in", ttl.as_secs().to_string()),
    ];
    if !grant.scopes.is_empty() {
        out.push(("scope", grant.scopes.join(" ")));
    }
    Ok(out)
}

/// The success answer, shaped by the preset: field names, scope as string or array,
/// relative or absolute `expires_in`, extra and secret fields, envelope, status.
/// The answer of a DPoP-bound issuance says `token_type: DPoP` (RFC 9449 §5).
fn dpop_token_type(mut out: Out) -> Out {
    if let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(&out.body) {
        m.insert("token_type".into(), json!("DPoP"));
        out.body = Value::Object(m).to_string().into_bytes().into();
    }
    out
}

fn token_response(
    app: &App,
    access: &str,
    refresh: Option<&str>,
    scopes: &[String],
    id_token: Option<String>,
    ttl_secs: u64,
    fields: Map<String, Value>,
) -> Out {
    let spec = &app.profile.spec;
    let mut m = fields;
    let at_field = spec.access_token_field.as_deref().unwrap_or("access_token");
    m.insert(at_field.into(), json!(access));
    m.insert("token_type".into(), json!(app.profile.token_type()));
    let expires = if app.profile.expires_absolute() {
        app.now_secs() + ttl_secs
    } else {
        ttl_secs
    };
    m.insert("expires_in".into(), json!(expires));
    if let Some(r) = refresh {
        m.insert("refresh_token".into(), json!(r));
    }
    let scope_field = spec.scope_field.as_deref().unwrap_or("scope");
    if !scopes.is_empty() {
        if scope_field == "scope" {
            m.insert("scope".into(), json!(scopes.join(" ")));
        } else {
            m.insert(scope_field.into(), json!(scopes));
        }
    }
    if let Some(t) = id_token {
        m.insert("id_token".into(), json!(t));
    }
    for f in spec.extra_token_fields.iter().flatten() {
        if let Some(v) = app.profile.data.token_fields.get(f) {
            m.insert(f.clone(), v.clone());
        }
    }
    for f in spec.secret_fields.iter().flatten() {
        m.insert(f.clone(), json!(random_token(9)));
    }
    let body = match &spec.token_response_envelope {
        Some(env) => {
            let mut outer = Map::new();
            outer.insert(env.clone(), Value::Object(m));
            if app.profile.errors_array() {
                outer.insert("errors".into(), json!([]));
            }
            Value::Object(outer)
        }
        None => Value::Object(m),
    };
    Out::json(spec.token_success_status.unwrap_or(200), &body).no_store()
}
