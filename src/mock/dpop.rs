//! DPoP (RFC 9449) as a server checks it: the proof in the `DPoP` header (signature by
//! the header's `jwk`, `typ`, `htm`, `htu`, `iat` within a window, a single-use `jti`,
//! `ath` at a resource, the server's nonce when it asks for one), and the binding of
//! the tokens it issues (`token_type: DPoP`, `cnf.jkt`).
//!
//! Fault switches: `--dpop-nonce` asks for a nonce first, `--stale-dpop-nonce` keeps
//! asking, `--bad-dpop-proof` refuses every proof.

use std::cell::RefCell;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::app::App;
use super::errors::OAuthError;
use super::http::Req;
use super::state::random_token;

/// The algorithms the mock takes for proofs (advertised in the metadata).
pub const ALGS: [&str; 4] = ["ES256", "RS256", "PS256", "EdDSA"];
/// How far a proof's `iat` may be from the mock's clock.
const IAT_WINDOW_SECS: u64 = 300;

/// Where a proof is checked: the token endpoint answers 400 with the error in the body,
/// a resource 401 with it in `WWW-Authenticate` (RFC 9449 §7.1, §8, §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Token,
    Resource,
}

fn refusal(at: At, error: &'static str, description: String) -> OAuthError {
    match at {
        At::Token => OAuthError::new(error, 400, description),
        At::Resource => {
            let www = format!(
                "DPoP error=\"{error}\", error_description=\"{}\", algs=\"{}\"",
                description.replace('"', "'"),
                ALGS.join(" ")
            );
            OAuthError::new(error, 401, description).www(www)
        }
    }
}

/// The error for a proof that is wrong.
pub fn invalid(at: At, why: impl Into<String>) -> OAuthError {
    refusal(at, "invalid_dpop_proof", why.into())
}

thread_local! {
    /// The thumbprint of the key the current token request proved (set by the token
    /// endpoint around its grant handler, which runs on one thread without awaiting):
    /// what the tokens it issues are bound to.
    static BINDING: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` with the tokens it issues bound to `jkt`.
pub fn bound<T>(jkt: Option<String>, f: impl FnOnce() -> T) -> T {
    BINDING.with(|b| *b.borrow_mut() = jkt);
    let out = f();
    BINDING.with(|b| *b.borrow_mut() = None);
    out
}

/// The key the current token request proved, if any.
pub fn binding() -> Option<String> {
    BINDING.with(|b| b.borrow().clone())
}

/// The RFC 7638 thumbprint of a public JWK (the mock's own, from the JSON).
pub fn thumbprint(jwk: &Value) -> Option<String> {
    let s = |k: &str| jwk.get(k).and_then(Value::as_str).map(str::to_string);
    let canonical = match s("kty")?.as_str() {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            s("crv")?,
            s("x")?,
            s("y")?
        ),
        "OKP" => format!(r#"{{"crv":"{}","kty":"OKP","x":"{}"}}"#, s("crv")?, s("x")?),
        "RSA" => format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, s("e")?, s("n")?),
        _ => return None,
    };
    Some(URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes())))
}

fn part(s: &str) -> Option<Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).ok()?).ok()
}

fn alg_of(name: &str) -> Option<Algorithm> {
    match name {
        "ES256" => Some(Algorithm::ES256),
        "RS256" => Some(Algorithm::RS256),
        "PS256" => Some(Algorithm::PS256),
        "EdDSA" => Some(Algorithm::EdDSA),
        _ => None,
    }
}

/// The header and claims of a proof whose signature the header's `jwk` verifies.
fn verified(at: At, proof: &str) -> Result<(Value, Value), OAuthError> {
    let parts: Vec<&str> = proof.split('.').collect();
    let [h, _, _] = parts.as_slice() else {
        return Err(invalid(
            at,
            "the DPoP proof is not a JWS (three dot-separated parts)",
        ));
    };
    let header = part(h).ok_or_else(|| invalid(at, "the DPoP proof's header is not JSON"))?;
    if header["typ"] != "dpop+jwt" {
        return Err(invalid(at, "the DPoP proof's typ must be dpop+jwt"));
    }
    let alg = header["alg"].as_str().and_then(alg_of).ok_or_else(|| {
        invalid(
            at,
            format!("the DPoP proof's alg must be one of {}", ALGS.join(", ")),
        )
    })?;
    let jwk_json = header
        .get("jwk")
        .filter(|j| j.is_object())
        .ok_or_else(|| invalid(at, "the DPoP proof's header has no jwk"))?;
    if ["d", "p", "q", "dp", "dq", "qi", "k"]
        .iter()
        .any(|k| jwk_json.get(k).is_some())
    {
        return Err(invalid(at, "the DPoP proof's jwk contains a private key"));
    }
    let jwk: Jwk = serde_json::from_value(jwk_json.clone())
        .map_err(|e| invalid(at, format!("the DPoP proof's jwk is not a public key: {e}")))?;
    let key = DecodingKey::from_jwk(&jwk)
        .map_err(|e| invalid(at, format!("the DPoP proof's jwk is not usable: {e}")))?;
    let mut v = Validation::new(alg);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    v.validate_aud = false;
    let claims = jsonwebtoken::decode::<Value>(proof, &key, &v)
        .map_err(|e| {
            invalid(
                at,
                format!("the DPoP proof's signature does not verify with its jwk: {e}"),
            )
        })?
        .claims;
    Ok((header, claims))
}

/// What a request must prove: its method and URL, and at a resource the access token.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    pub at: At,
    pub method: &'a str,
    pub url: &'a str,
    pub access_token: Option<&'a str>,
}

/// Checks the request's `DPoP` proof: `Ok(None)` without one, else the thumbprint of
/// the key it proves.
pub fn check(app: &App, req: &Req, e: Expect<'_>) -> Result<Option<String>, OAuthError> {
    let Some(proof) = req.header("dpop") else {
        return Ok(None);
    };
    if req.headers.get_all("dpop").iter().count() > 1 {
        return Err(invalid(e.at, "more than one DPoP header"));
    }
    if app.settings.bad_dpop_proof {
        return Err(invalid(
            e.at,
            "every DPoP proof is refused (--bad-dpop-proof)",
        ));
    }
    let (header, claims) = verified(e.at, proof)?;
    if claims["htm"] != e.method {
        return Err(invalid(e.at, format!("htm must be {}", e.method)));
    }
    let htu = claims["htu"].as_str().unwrap_or_default();
    if htu.split(['?', '#']).next() != Some(e.url) {
        return Err(invalid(e.at, format!("htu must be {}", e.url)));
    }
    let now = app.now_secs();
    let iat = claims["iat"].as_u64().unwrap_or(0);
    if iat.abs_diff(now) > IAT_WINDOW_SECS {
        return Err(invalid(
            e.at,
            format!("iat {iat} is more than {IAT_WINDOW_SECS} s from the server's clock ({now})"),
        ));
    }
    if let Some(t) = e.access_token {
        let want = URL_SAFE_NO_PAD.encode(Sha256::digest(t.as_bytes()));
        if claims["ath"] != want.as_str() {
            return Err(invalid(
                e.at,
                "ath is not the hash of the access token sent",
            ));
        }
    }
    check_nonce(app, e.at, claims["nonce"].as_str())?;
    let jti = claims["jti"]
        .as_str()
        .filter(|j| j.len() >= 8)
        .ok_or_else(|| invalid(e.at, "jti is missing or too short"))?;
    {
        let mut st = app.state();
        let seen = format!("dpop:{jti}");
        if st.used_jtis.contains_key(&seen) {
            return Err(invalid(
                e.at,
                "the proof's jti was already used: a proof is single use",
            ));
        }
        st.used_jtis.insert(seen, (now + IAT_WINDOW_SECS) * 1000);
    }
    thumbprint(&header["jwk"]).map(Some).ok_or_else(|| {
        invalid(
            e.at,
            "the jwk has no thumbprint (kty must be EC, OKP or RSA)",
        )
    })
}

/// `--dpop-nonce`: the nonce of the state must be in the proof; `--stale-dpop-nonce`:
/// no nonce is ever good enough (each answer brings a new one).
fn check_nonce(app: &App, at: At, sent: Option<&str>) -> Result<(), OAuthError> {
    let s = &app.settings;
    if !(s.dpop_nonce || s.stale_dpop_nonce) {
        return Ok(());
    }
    let mut st = app.state();
    let current = st
        .dpop_nonce
        .get_or_insert_with(|| random_token(16))
        .clone();
    if s.stale_dpop_nonce || sent != Some(current.as_str()) {
        let fresh = if s.stale_dpop_nonce {
            let n = random_token(16);
            st.dpop_nonce = Some(n.clone());
            n
        } else {
            current
        };
        let mut e = refusal(
            at,
            "use_dpop_nonce",
            "the authorization server requires a nonce in the DPoP proof".into(),
        );
        e.dpop_nonce = Some(fresh);
        return Err(e);
    }
    Ok(())
}

/// The `cnf` claim of a token bound to `jkt` (RFC 9449 §6).
pub fn cnf(jkt: &str) -> Value {
    json!({ "jkt": jkt })
}
