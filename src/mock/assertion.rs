//! `private_key_jwt` (RFC 7523 §2.2, §3; OpenID Connect Core §9) on the mock's side: a
//! client registered with public keys (`--client-jwks`) authenticates with a JWT it
//! signed. The signature (RS256 or ES256), `iss` = `sub` = client_id, `aud` (the token
//! endpoint, the endpoint called, or the issuer), `exp`, and a `jti` used only once
//! are all checked.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use super::errors::OAuthError;
use super::server::{App, Params, Req};
use super::state::Client;
use crate::error::{Error, Result};

/// `client_assertion_type` of a JWT client assertion.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// One public key of a client.
#[derive(Clone)]
pub enum ClientKey {
    Jwk(Box<Jwk>),
    /// A PEM public key: RSA (RS256) or EC (ES256).
    Pem {
        alg: Algorithm,
        key: DecodingKey,
    },
}

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientKey::Jwk(j) => write!(f, "Jwk(kid={:?})", j.common.key_id),
            ClientKey::Pem { alg, .. } => write!(f, "Pem({alg:?})"),
        }
    }
}

impl ClientKey {
    fn kid(&self) -> Option<&str> {
        match self {
            ClientKey::Jwk(j) => j.common.key_id.as_deref(),
            ClientKey::Pem { .. } => None,
        }
    }

    /// The key for `alg`, if it is one.
    fn decoding(&self, alg: Algorithm) -> Option<DecodingKey> {
        match self {
            ClientKey::Jwk(j) => {
                let fits = matches!(
                    (&j.algorithm, alg),
                    (AlgorithmParameters::RSA(_), Algorithm::RS256)
                        | (AlgorithmParameters::EllipticCurve(_), Algorithm::ES256)
                );
                fits.then(|| DecodingKey::from_jwk(j).ok()).flatten()
            }
            ClientKey::Pem { alg: a, key } => (*a == alg).then(|| key.clone()),
        }
    }
}

/// Reads `--client-jwks`: a JWK Set, one JWK, or a PEM public key.
pub fn parse_keys(text: &str, origin: &str) -> Result<Vec<ClientKey>> {
    let bad = |why: String| {
        Error::input(format!("the client keys in {origin} are not usable: {why}")).with_hint(
            "give a JWK Set ({\"keys\": [...]}) or a PEM public key (`openssl pkey -in client.pem -pubout`)",
        )
    };
    let t = text.trim_start();
    if t.starts_with("-----BEGIN") {
        if t.contains("PRIVATE KEY") {
            return Err(bad(
                "it is a private key; the server gets only the public half".into(),
            ));
        }
        if let Ok(key) = DecodingKey::from_rsa_pem(t.as_bytes()) {
            return Ok(vec![ClientKey::Pem {
                alg: Algorithm::RS256,
                key,
            }]);
        }
        if let Ok(key) = DecodingKey::from_ec_pem(t.as_bytes()) {
            return Ok(vec![ClientKey::Pem {
                alg: Algorithm::ES256,
                key,
            }]);
        }
        return Err(bad("the PEM is neither an RSA nor an EC public key".into()));
    }
    let v: Value = serde_json::from_str(t).map_err(|e| bad(format!("not JSON or PEM: {e}")))?;
    let set: JwkSet = if v.get("keys").is_some() {
        serde_json::from_value(v).map_err(|e| bad(e.to_string()))?
    } else {
        JwkSet {
            keys: vec![serde_json::from_value(v).map_err(|e| bad(e.to_string()))?],
        }
    };
    let keys: Vec<ClientKey> = set
        .keys
        .into_iter()
        .filter(|k| {
            matches!(
                k.algorithm,
                AlgorithmParameters::RSA(_) | AlgorithmParameters::EllipticCurve(_)
            )
        })
        .map(|k| ClientKey::Jwk(Box::new(k)))
        .collect();
    if keys.is_empty() {
        return Err(bad("it has no RSA or EC key".into()));
    }
    Ok(keys)
}

fn claims_unverified(jwt: &str) -> Option<serde_json::Map<String, Value>> {
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
    if let Some(t) = app.profile.path_of(&super::profile::Route::Token) {
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

/// Checks the assertion of a request from `client`.
pub fn verify(app: &App, req: &Req, params: &Params, client: &Client) -> Result<(), OAuthError> {
    let Some(keys) = &client.keys else {
        return Err(invalid(format!(
            "client `{}` has no registered keys, so it cannot use private_key_jwt",
            client.id
        )));
    };
    match params.get("client_assertion_type") {
        Some(JWT_BEARER) => {}
        Some(other) => {
            return Err(invalid(format!(
                "client_assertion_type `{other}` is not supported; use {JWT_BEARER}"
            )))
        }
        None => {
            return Err(invalid(format!(
                "client_assertion_type is missing (it must be {JWT_BEARER})"
            )))
        }
    }
    let jwt = params.require("client_assertion")?;
    let header = jsonwebtoken::decode_header(jwt)
        .map_err(|e| invalid(format!("the client assertion is not a JWT: {e}")))?;
    if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
        return Err(invalid(format!(
            "the client assertion is signed with {:?}; this server accepts RS256 and ES256",
            header.alg
        )));
    }
    let candidates: Vec<&ClientKey> = keys
        .iter()
        .filter(|k| match (&header.kid, k.kid()) {
            (Some(want), Some(have)) => want == have,
            _ => true,
        })
        .collect();
    let accepted = audiences(app, req);
    let mut v = Validation::new(header.alg);
    v.set_audience(&accepted);
    v.set_issuer(&[&client.id]);
    v.sub = Some(client.id.clone());
    v.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    v.leeway = 30;
    let mut last: Option<jsonwebtoken::errors::Error> = None;
    let mut claims: Option<serde_json::Map<String, Value>> = None;
    for k in candidates {
        let Some(dk) = k.decoding(header.alg) else {
            continue;
        };
        match jsonwebtoken::decode::<serde_json::Map<String, Value>>(jwt, &dk, &v) {
            Ok(d) => {
                claims = Some(d.claims);
                break;
            }
            Err(e) => {
                let sig = matches!(
                    e.kind(),
                    jsonwebtoken::errors::ErrorKind::InvalidSignature
                        | jsonwebtoken::errors::ErrorKind::InvalidEcdsaKey
                        | jsonwebtoken::errors::ErrorKind::InvalidRsaKey(_)
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
    let Some(claims) = claims else {
        use jsonwebtoken::errors::ErrorKind as K;
        let why = match last.as_ref().map(|e| e.kind()) {
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
            Some(K::InvalidSignature) => format!(
                "its signature does not verify with the keys registered for client `{}` (signed with another key?)",
                client.id
            ),
            Some(K::ExpiredSignature) => "it has expired (exp)".into(),
            Some(K::InvalidAudience) => format!(
                "its aud is not this server (accepted: {})",
                accepted.join(", ")
            ),
            Some(K::InvalidIssuer) => format!("its iss must be the client_id `{}`", client.id),
            Some(K::InvalidSubject) => format!("its sub must be the client_id `{}`", client.id),
            Some(K::MissingRequiredClaim(c)) => format!("the claim `{c}` is missing"),
            Some(K::ImmatureSignature) => "it is not valid yet (nbf)".into(),
            Some(other) => format!("{other:?}"),
        };
        return Err(invalid(format!("the client assertion was refused: {why}")));
    };
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
