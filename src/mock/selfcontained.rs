//! Self-contained tokens (`MockOptions::self_contained_tokens`, used by the built-in
//! demo, which starts a new emulator for every command): refresh tokens are JWTs signed
//! like the access tokens, and a JWT access or refresh token that the state does not know
//! (an earlier emulator issued it) is honoured when the mock's own key verifies it and it
//! has not expired. Its grant is read back from its claims, so a restarted emulator
//! accepts the tokens of the one before without remembering anything. Anyone can sign
//! with the public test keys: this mode is for the demo only.
//!
//! Tokens this emulator revoked or rotated away are remembered in the state
//! (`State::revoked`) for as long as it runs; nothing is remembered across restarts.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};
use serde_json::{json, Map, Value};

use super::app::App;
use super::errors::OAuthError;
use super::jwt::JWKS_JSON;
use super::state::{random_token, AccessToken, Grant, RefreshToken};

/// The `typ` of JWT access tokens (RFC 9068).
const ACCESS_TYP: &str = "at+jwt";
/// The `typ` of the mock's own JWT refresh tokens (a private marker: no RFC defines one).
const REFRESH_TYP: &str = "rt+jwt";

/// A new refresh token for `grant`: a signed JWT in this mode, else random.
pub fn mint_refresh(app: &App, grant: &Grant, now_ms: u64) -> Result<String, OAuthError> {
    if !app.settings.self_contained_tokens {
        return Ok(random_token(32));
    }
    let iss = app
        .profile
        .issuer(&app.base)
        .unwrap_or_else(|| app.base.clone());
    let exp = (now_ms + app.settings.refresh_ttl.as_millis() as u64) / 1000;
    let claims = json!({
        "iss": iss,
        "sub": grant.subject,
        "client_id": grant.client_id,
        "scope": grant.scopes.join(" "),
        "audience": grant.audience,
        "family": grant.family,
        "jkt": grant.jkt,
        "auth_time": grant.auth_time,
        "iat": now_ms / 1000,
        "exp": exp,
        "jti": random_token(12),
    });
    app.signer
        .sign(&claims, Some(REFRESH_TYP))
        .map_err(|e| OAuthError::server_error(e.message))
}

/// An access token an earlier emulator issued (not revoked by this one).
pub fn access(app: &App, token: &str) -> Option<AccessToken> {
    let c = verified(app, token, ACCESS_TYP)?;
    let client_id = str_claim(&c, "client_id")?;
    let sub = str_claim(&c, "sub");
    let iss = c.get("iss").cloned();
    let audience = match c.get("aud") {
        // The issuer as audience stands for "none asked for" (see `issue`).
        a if a == iss.as_ref() => Vec::new(),
        Some(Value::String(a)) => vec![a.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let iat = c.get("iat").and_then(Value::as_u64).unwrap_or(0);
    let grant = Grant {
        actor: None,
        // Client credentials tokens name the client as their subject.
        subject: sub.filter(|s| *s != client_id),
        client_id,
        scopes: scopes(&c),
        audience,
        family: str_claim(&c, "jti").unwrap_or_default(),
        auth_time: iat,
        jkt: c
            .get("cnf")
            .and_then(|x| x.get("jkt"))
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    Some(AccessToken {
        grant,
        issued_ms: iat * 1000,
        expires_ms: exp_ms(&c),
    })
}

/// A refresh token an earlier emulator issued (not revoked by this one).
pub fn refresh(app: &App, token: &str) -> Option<RefreshToken> {
    let c = verified(app, token, REFRESH_TYP)?;
    let audience: Vec<String> = c
        .get("audience")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let grant = Grant {
        actor: None,
        client_id: str_claim(&c, "client_id")?,
        scopes: scopes(&c),
        subject: str_claim(&c, "sub"),
        audience,
        family: str_claim(&c, "family").unwrap_or_default(),
        auth_time: c.get("auth_time").and_then(Value::as_u64).unwrap_or(0),
        jkt: str_claim(&c, "jkt"),
    };
    Some(RefreshToken {
        grant,
        issued_ms: c.get("iat").and_then(Value::as_u64).unwrap_or(0) * 1000,
        expires_ms: exp_ms(&c),
        access: Vec::new(),
    })
}

/// The claims of `token` when this mode is on, the mock's key (the one its JWKS names
/// by the token's `kid`, with that key's algorithm) verifies it, its `typ` is `typ`, it
/// has not expired on the mock's clock, and this emulator has not revoked it.
fn verified(app: &App, token: &str, typ: &str) -> Option<Map<String, Value>> {
    if !app.settings.self_contained_tokens {
        return None;
    }
    let header = jsonwebtoken::decode_header(token).ok()?;
    if header.typ.as_deref() != Some(typ) {
        return None;
    }
    let jwks: JwkSet = serde_json::from_str(JWKS_JSON).ok()?;
    let jwk = jwks.find(header.kid.as_deref()?)?;
    let alg: jsonwebtoken::Algorithm = jwk.common.key_algorithm?.to_string().parse().ok()?;
    let key = DecodingKey::from_jwk(jwk).ok()?;
    let mut v = Validation::new(alg);
    // Expiry on the mock's clock (which tests can advance), below; no audience rule.
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &v)
        .ok()?
        .claims;
    if exp_ms(&claims) <= app.now_ms() || app.state().revoked.contains_key(token) {
        return None;
    }
    Some(claims)
}

fn str_claim(c: &Map<String, Value>, name: &str) -> Option<String> {
    c.get(name).and_then(Value::as_str).map(str::to_string)
}

fn scopes(c: &Map<String, Value>) -> Vec<String> {
    str_claim(c, "scope")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn exp_ms(c: &Map<String, Value>) -> u64 {
    c.get("exp").and_then(Value::as_u64).unwrap_or(0) * 1000
}
