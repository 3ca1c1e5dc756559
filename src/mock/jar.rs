//! Signed authorization requests (JAR, RFC 9101) on the mock's side: a `request`
//! parameter (in the URL or a pushed request's body) is a JWT whose claims are the
//! authorization request. It is verified with the client's registered keys
//! (`--client-jwks`: RS256, ES256) or, for a client with a secret, HS256 over it; `iss`
//! must be the client_id, `aud` this server, `exp` in the future. `--require-jar`
//! refuses requests without one.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

use super::app::App;
use super::errors::OAuthError;
use super::http::Params;
use super::state::Client;

/// The JWT claims that are not authorization parameters.
const JWT_CLAIMS: [&str; 6] = ["iss", "aud", "iat", "nbf", "exp", "jti"];

fn invalid(d: impl Into<String>) -> OAuthError {
    OAuthError::new("invalid_request_object", 400, d)
}

/// The keys that may have signed a request object with `alg`.
fn keys(
    client: &Client,
    alg: Algorithm,
    kid: Option<&str>,
) -> Result<Vec<DecodingKey>, OAuthError> {
    match alg {
        Algorithm::HS256 => match &client.secret {
            Some(s) => Ok(vec![DecodingKey::from_secret(s.as_bytes())]),
            None => Err(invalid(format!(
                "client `{}` has no secret, so its request objects cannot be signed with HS256",
                client.id
            ))),
        },
        Algorithm::RS256 | Algorithm::PS256 | Algorithm::ES256 | Algorithm::EdDSA => {
            let Some(keys) = &client.keys else {
                return Err(invalid(format!(
                    "client `{}` registered no public keys (--client-jwks), so its request objects cannot be signed with {alg:?}",
                    client.id
                )));
            };
            Ok(keys
                .iter()
                .filter(|k| match (kid, k.kid()) {
                    (Some(want), Some(have)) => want == have,
                    _ => true,
                })
                .filter_map(|k| k.decoding(alg))
                .collect())
        }
        other => Err(invalid(format!(
            "the request object is signed with {other:?}; this server accepts RS256, PS256, ES256, EdDSA and HS256"
        ))),
    }
}

/// The verified parameters of the request object in `params` (None without one).
pub fn unpack(app: &App, client: &Client, params: &Params) -> Result<Option<Params>, OAuthError> {
    let Some(jwt) = params.get("request") else {
        return Ok(None);
    };
    let header = jsonwebtoken::decode_header(jwt)
        .map_err(|e| invalid(format!("the request object is not a signed JWT: {e}")))?;
    let issuer = app
        .profile
        .issuer(&app.base)
        .unwrap_or_else(|| app.base.clone());
    let mut v = Validation::new(header.alg);
    v.set_audience(&[&issuer]);
    v.set_issuer(&[&client.id]);
    v.set_required_spec_claims(&["exp", "aud", "iss"]);
    v.leeway = 30;
    let mut last = None;
    let mut claims = None;
    for key in keys(client, header.alg, header.kid.as_deref())? {
        match jsonwebtoken::decode::<Map<String, Value>>(jwt, &key, &v) {
            Ok(d) => {
                claims = Some(d.claims);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let Some(claims) = claims else {
        use jsonwebtoken::errors::ErrorKind;
        let why = match last.as_ref().map(|e| e.kind()) {
            None => format!("no registered key of client `{}` fits it", client.id),
            Some(ErrorKind::InvalidSignature) => format!(
                "its signature does not verify with the key or secret of client `{}`",
                client.id
            ),
            Some(ErrorKind::ExpiredSignature) => "it has expired (exp)".into(),
            Some(ErrorKind::InvalidAudience) => {
                format!("its aud must be this server's issuer `{issuer}`")
            }
            Some(ErrorKind::InvalidIssuer) => {
                format!("its iss must be the client_id `{}`", client.id)
            }
            Some(ErrorKind::MissingRequiredClaim(c)) => format!("the claim `{c}` is missing"),
            Some(other) => format!("{other:?}"),
        };
        return Err(invalid(format!("the request object was refused: {why}")));
    };
    if claims
        .get("client_id")
        .is_some_and(|c| c.as_str() != Some(client.id.as_str()))
    {
        return Err(invalid(
            "the request object's client_id differs from the request's (RFC 9101 §5)",
        ));
    }
    let mut pairs = vec![("client_id".to_string(), client.id.clone())];
    for (k, v) in claims {
        if k == "client_id"
            || JWT_CLAIMS.contains(&k.as_str())
            || k == "request"
            || k == "request_uri"
        {
            continue;
        }
        let v = match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        pairs.push((k, v));
    }
    Params::new(pairs).map(Some)
}

/// An authorization request with `request` gets the request object's parameters (RFC
/// 9101 §6.3: only those); the flag says whether it was signed.
pub fn resolve(app: &App, params: Params) -> Result<(Params, bool), OAuthError> {
    if !params.has("request") {
        return Ok((params, false));
    }
    let id = params.get("client_id").unwrap_or_default().to_string();
    let client = app.state().clients.get(&id).cloned();
    let Some(client) = client else {
        return Err(OAuthError::invalid_request(format!(
            "a request object needs the client_id of a known client beside it (got `{id}`)"
        )));
    };
    match unpack(app, &client, &params)? {
        Some(p) => Ok((p, true)),
        None => Ok((params, false)),
    }
}
