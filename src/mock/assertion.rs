//! JWT client assertions (RFC 7523 §2.2, §3; OpenID Connect Core §9) on the mock's side:
//! `private_key_jwt`, a client registered with public keys (`--client-jwks`) signs them
//! with its private key; `client_secret_jwt` (`--client-secret-jwt`), with HS256 over its
//! secret. The signature, `iss` = `sub` = client_id, `aud` (the token endpoint, the
//! endpoint called, or the issuer), `exp`, and a `jti` used only once are all checked.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::errors::{Error as JwtError, ErrorKind};
use jsonwebtoken::{Algorithm, Header, Validation};
use serde_json::{Map, Value};

use super::app::App;
use super::client_keys::ClientKey;
use super::errors::OAuthError;
use super::http::{Params, Req};
use super::profile::Route;
use super::state::Client;

/// `client_assertion_type` of a JWT client assertion.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn claims_unverified(jwt: &str) -> Option<Map<String, Value>> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(o) => Some(o),
        _ => None,
    }
}

/// The client_id an assertion names (`sub`, RFC 7523 §3), for requests without one.
pub fn subject(params: &Params) -> Option<String> {
    let jwt = params.get("client_assertion")?;
    claims_unverified(jwt)?
        .get("sub")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn invalid(d: impl Into<String>) -> OAuthError {
    OAuthError::invalid_client(d)
}

/// The audiences this server accepts: its token endpoint, the endpoint called, its
/// issuer (or base URL).
fn audiences(app: &App, req: &Req) -> Vec<String> {
    let mut a = Vec::new();
    if let Some(t) = app.profile.path_of(&Route::Token) {
        a.push(app.url(t));
    }
    a.push(app.url(&req.path));
    a.push(
        app.profile
            .issuer(&app.base)
            .unwrap_or_else(|| app.base.clone()),
    );
    a
}

/// Whether the request's assertion is signed with an HMAC (`client_secret_jwt`).
pub fn is_hmac(params: &Params) -> bool {
    params
        .get("client_assertion")
        .and_then(|jwt| jsonwebtoken::decode_header(jwt).ok())
        .is_some_and(|h| {
            matches!(
                h.alg,
                Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
            )
        })
}

fn validation(alg: Algorithm, accepted: &[String], client: &Client) -> Validation {
    let mut v = Validation::new(alg);
    v.set_audience(accepted);
    v.set_issuer(&[&client.id]);
    v.sub = Some(client.id.clone());
    v.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    v.leeway = 30;
    v
}

/// Checks a `client_secret_jwt` assertion: HS256 over the client's secret.
pub fn verify_secret(
    app: &App,
    req: &Req,
    params: &Params,
    client: &Client,
) -> Result<(), OAuthError> {
    let Some(secret) = &client.secret else {
        return Err(invalid(format!(
            "client `{}` has no secret, so it cannot use client_secret_jwt",
            client.id
        )));
    };
    check_type(params)?;
    let jwt = params.require("client_assertion")?;
    let header = jsonwebtoken::decode_header(jwt)
        .map_err(|e| invalid(format!("the client assertion is not a JWT: {e}")))?;
    if header.alg != Algorithm::HS256 {
        return Err(invalid(format!(
            "the client_secret_jwt assertion is signed with {:?}; this server accepts HS256",
            header.alg
        )));
    }
    let accepted = audiences(app, req);
    let v = validation(header.alg, &accepted, client);
    let key = jsonwebtoken::DecodingKey::from_secret(secret.as_bytes());
    let claims = jsonwebtoken::decode::<Map<String, Value>>(jwt, &key, &v)
        .map(|d| d.claims)
        .map_err(|e| {
            let why = match e.kind() {
                ErrorKind::InvalidSignature => format!(
                    "its HS256 signature does not verify with the secret of client `{}` (signed with another secret?)",
                    client.id
                ),
                _ => refusal(Some(&e), &header, client, &accepted),
            };
            invalid(format!("the client assertion was refused: {why}"))
        })?;
    use_jti(app, client, &claims)
}

/// Checks the assertion of a request from `client`.
pub fn verify(app: &App, req: &Req, params: &Params, client: &Client) -> Result<(), OAuthError> {
    let Some(keys) = &client.keys else {
        return Err(invalid(format!(
            "client `{}` has no registered keys, so it cannot use private_key_jwt",
            client.id
        )));
    };
    check_type(params)?;
    let jwt = params.require("client_assertion")?;
    let header = jsonwebtoken::decode_header(jwt)
        .map_err(|e| invalid(format!("the client assertion is not a JWT: {e}")))?;
    if !matches!(
        header.alg,
        Algorithm::RS256 | Algorithm::ES256 | Algorithm::EdDSA
    ) {
        return Err(invalid(format!(
            "the client assertion is signed with {:?}; this server accepts RS256 and ES256",
            header.alg
        )));
    }
    let accepted = audiences(app, req);
    let v = validation(header.alg, &accepted, client);
    let claims = decode(jwt, &header, keys, &v).map_err(|last| {
        let why = refusal(last.as_ref(), &header, client, &accepted);
        invalid(format!("the client assertion was refused: {why}"))
    })?;
    use_jti(app, client, &claims)
}

/// Checks a JWT authorization grant (RFC 7523 §2.1, §3) from `client`: signed with a
/// key registered for it (`--client-jwks`), `iss` = client_id, a `sub`, `aud` this
/// server, `exp`, and a `jti` used once. Its claims, or `invalid_grant` (§3.1).
pub fn verify_grant(
    app: &App,
    req: &Req,
    jwt: &str,
    client: &Client,
) -> Result<Map<String, Value>, OAuthError> {
    let grant_err = |d: String| OAuthError::invalid_grant(d);
    let Some(keys) = &client.keys else {
        return Err(grant_err(format!(
            "client `{}` has no registered keys (start the mock with --client-jwks), so no assertion of it can be verified",
            client.id
        )));
    };
    let header = jsonwebtoken::decode_header(jwt)
        .map_err(|e| grant_err(format!("the assertion is not a JWT: {e}")))?;
    if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
        return Err(grant_err(format!(
            "the assertion is signed with {:?}; this server accepts RS256 and ES256",
            header.alg
        )));
    }
    let accepted = audiences(app, req);
    let mut v = Validation::new(header.alg);
    v.set_audience(&accepted);
    v.set_issuer(&[&client.id]);
    v.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    v.leeway = 30;
    let claims = decode(jwt, &header, keys, &v).map_err(|last| {
        let why = refusal(last.as_ref(), &header, client, &accepted);
        grant_err(format!("the assertion was refused: {why}"))
    })?;
    use_jti(app, client, &claims).map_err(|e| grant_err(e.description))?;
    Ok(claims)
}

/// `client_assertion_type` must be JWT bearer.
fn check_type(params: &Params) -> Result<(), OAuthError> {
    match params.get("client_assertion_type") {
        Some(JWT_BEARER) => Ok(()),
        Some(other) => Err(invalid(format!(
            "client_assertion_type `{other}` is not supported; use {JWT_BEARER}"
        ))),
        None => Err(invalid(format!(
            "client_assertion_type is missing (it must be {JWT_BEARER})"
        ))),
    }
}

/// The verified claims, trying every key that may have signed; otherwise the error
/// that best explains the refusal (None: no key fits).
fn decode(
    jwt: &str,
    header: &Header,
    keys: &[ClientKey],
    v: &Validation,
) -> Result<Map<String, Value>, Option<JwtError>> {
    let candidates = keys.iter().filter(|k| match (&header.kid, k.kid()) {
        (Some(want), Some(have)) => want == have,
        _ => true,
    });
    let mut last: Option<JwtError> = None;
    for k in candidates {
        let Some(dk) = k.decoding(header.alg) else {
            continue;
        };
        match jsonwebtoken::decode::<Map<String, Value>>(jwt, &dk, v) {
            Ok(d) => return Ok(d.claims),
            Err(e) => {
                let sig = matches!(
                    e.kind(),
                    ErrorKind::InvalidSignature
                        | ErrorKind::InvalidEcdsaKey
                        | ErrorKind::InvalidRsaKey(_)
                );
                // A claim error means the signature was good: report that one.
                if !sig || last.is_none() {
                    last = Some(e);
                }
                if !sig {
                    break;
                }
            }
        }
    }
    Err(last)
}

/// Why an assertion was refused, in words.
fn refusal(
    last: Option<&JwtError>,
    header: &Header,
    client: &Client,
    accepted: &[String],
) -> String {
    match last.map(|e| e.kind()) {
        None => format!(
            "no registered key of client `{}` fits its {:?} signature{}",
            client.id,
            header.alg,
            header
                .kid
                .as_ref()
                .map(|k| format!(" (kid `{k}`)"))
                .unwrap_or_default()
        ),
        Some(ErrorKind::InvalidSignature) => format!(
            "its signature does not verify with the keys registered for client `{}` (signed with another key?)",
            client.id
        ),
        Some(ErrorKind::ExpiredSignature) => "it has expired (exp)".into(),
        Some(ErrorKind::InvalidAudience) => format!(
            "its aud is not this server (accepted: {})",
            accepted.join(", ")
        ),
        Some(ErrorKind::InvalidIssuer) => format!("its iss must be the client_id `{}`", client.id),
        Some(ErrorKind::InvalidSubject) => format!("its sub must be the client_id `{}`", client.id),
        Some(ErrorKind::MissingRequiredClaim(c)) => format!("the claim `{c}` is missing"),
        Some(ErrorKind::ImmatureSignature) => "it is not valid yet (nbf)".into(),
        Some(other) => format!("{other:?}"),
    }
}

/// Records the assertion's `jti`, refusing one seen before (RFC 7523 §3).
fn use_jti(app: &App, client: &Client, claims: &Map<String, Value>) -> Result<(), OAuthError> {
    let Some(jti) = claims.get("jti").and_then(Value::as_str) else {
        return Err(invalid(
            "the client assertion has no jti (RFC 7523 §3: it must be unique, used once)",
        ));
    };
    let exp_ms = claims
        .get("exp")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        .saturating_mul(1000);
    let now = app.now_ms();
    let mut st = app.state();
    st.used_jtis.retain(|_, e| *e + 60_000 > now);
    let key = format!("{}\u{0}{jti}", client.id);
    if st.used_jtis.contains_key(&key) {
        return Err(invalid(
            "the client assertion was already used (its jti was seen before): make a new one for every request",
        ));
    }
    st.used_jtis.insert(key, exp_ms);
    Ok(())
}
