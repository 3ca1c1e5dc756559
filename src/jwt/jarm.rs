//! JWT Secured Authorization Response Mode (JARM): the authorization response as a JWT
//! signed by the server. It is verified before its code is used: the algorithm the
//! server advertises in `authorization_signing_alg_values_supported` (RS256 when it
//! advertises none; never `none`; HS* only when advertised and this client has a
//! secret), the signature (keys from the issuer's `jwks_uri`, as for ID tokens), `iss`
//! the provider's issuer, `aud` the client_id, `exp` in the future (with the leeway),
//! then `state` the login's. A failed check names the claim (exit code 5).

use serde_json::{Map, Value};

use super::id_token::{self, check_aud, check_iss, fetch_jwks, num, quoted, shown, Keys, Mismatch};
use crate::error::{Error, Result};
use crate::http::Http;
use crate::jwt::{self, Jwks, Jws, Token};

/// What the response must say.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The provider's issuer.
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// `authorization_signing_alg_values_supported`; empty: RS256 only.
    pub algs: &'a [String],
    /// The state of the authorization request.
    pub state: &'a str,
    /// Unix time now.
    pub now: i64,
    /// Seconds of clock skew allowed on `exp`.
    pub leeway: i64,
}

/// What the verified response carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The authorization code, and the issuer that signed it.
    Code { code: String, iss: String },
    /// The server's error (its texts made inert).
    Denied {
        error: String,
        description: Option<String>,
        uri: Option<String>,
    },
}

/// A verified response: what it carries, its algorithm and key, and the response
/// decoded for `--trace` (the code and the signature left out).
#[derive(Debug, Clone)]
pub struct Verified {
    pub opened: Opened,
    pub alg: String,
    pub kid: Option<String>,
    pub shown: String,
}

/// `the JARM response's `aud` is wrong: expected …, received …` (exit code 5).
pub fn to_error(m: &Mismatch) -> Error {
    Error::server(format!(
        "the JWT-secured authorization response (JARM)'s `{}` is wrong: expected {}, received {}",
        m.claim, m.expected, m.received
    ))
    .with_hint(
        "the authorization response cannot be trusted, so its code is not used and nothing is stored; check the provider's issuer and client_id settings and the clocks, or log in with another --response-mode",
    )
}

/// The algorithm is an advertised one (RS256 when none is), never `none`, and HS*
/// only with a client secret to check it.
fn check_alg(
    alg: &str,
    advertised: &[String],
    has_secret: bool,
) -> std::result::Result<(), Mismatch> {
    let allowed: Vec<&str> = if advertised.is_empty() {
        vec![id_token::DEFAULT_ALG]
    } else {
        advertised
            .iter()
            .map(String::as_str)
            .filter(|a| !a.eq_ignore_ascii_case("none"))
            .filter(|a| has_secret || !a.starts_with("HS"))
            .collect()
    };
    if allowed.contains(&alg) {
        return Ok(());
    }
    Err(Mismatch::new(
        "alg",
        format!(
            "one of {} (authorization_signing_alg_values_supported{})",
            allowed.join(", "),
            if has_secret {
                ""
            } else {
                "; HS* needs a client secret"
            }
        ),
        quoted(alg),
    ))
}

fn check_exp(
    claims: &Map<String, Value>,
    now: i64,
    leeway: i64,
) -> std::result::Result<(), Mismatch> {
    let Some(exp) = num(claims, "exp") else {
        return Err(Mismatch::new(
            "exp",
            "an expiry time",
            shown(claims.get("exp")),
        ));
    };
    if now > exp.saturating_add(leeway) {
        return Err(Mismatch::new(
            "exp",
            format!(
                "a time after now ({}) minus the leeway of {leeway} s",
                jwt::iso(now)
            ),
            format!(
                "{exp} ({}, expired {})",
                jwt::iso(exp),
                jwt::relative(exp, now)
            ),
        ));
    }
    Ok(())
}

fn text(claims: &Map<String, Value>, k: &str) -> Option<String> {
    claims.get(k).and_then(Value::as_str).map(str::to_string)
}

/// The claims' checks after the signature: `iss`, `aud`, `exp`, `state`; then what
/// the response carries.
pub fn check_claims(
    claims: &Map<String, Value>,
    e: &Expected<'_>,
) -> std::result::Result<Opened, Mismatch> {
    check_iss(claims, e.issuer)?;
    check_aud(claims, e.client_id)?;
    check_exp(claims, e.now, e.leeway)?;
    if claims.get("state").and_then(Value::as_str) != Some(e.state) {
        return Err(Mismatch::new(
            "state",
            "the state of this login's authorization request",
            shown(claims.get("state")),
        ));
    }
    if let Some(error) = text(claims, "error") {
        let inert = |s: Option<String>| s.map(|s| crate::text::untrusted(&s));
        return Ok(Opened::Denied {
            error: crate::text::untrusted(&error),
            description: inert(text(claims, "error_description")),
            uri: inert(text(claims, "error_uri")),
        });
    }
    match text(claims, "code") {
        Some(code) if !code.is_empty() => Ok(Opened::Code {
            code,
            iss: text(claims, "iss").unwrap_or_default(),
        }),
        _ => Err(Mismatch::new(
            "code",
            "an authorization code (or an error)",
            shown(claims.get("code")),
        )),
    }
}

/// The response decoded for `--trace`: header and claims as JSON, the code redacted,
/// the signature left out.
pub fn describe(jws: &Jws) -> String {
    let mut claims = jws.claims.clone();
    if claims.contains_key("code") {
        claims.insert("code".into(), Value::String("[redacted]".into()));
    }
    format!(
        "header {} · claims {} · signature [redacted]",
        Value::Object(jws.header.clone()),
        Value::Object(claims)
    )
}

/// Every check of a parsed response, with `jwks` (or the client secret for HS*).
pub fn validate(
    jws: &Jws,
    jwks: Option<&Jwks>,
    secret: Option<&[u8]>,
    e: &Expected<'_>,
) -> std::result::Result<Verified, Mismatch> {
    let alg = jws.alg().to_string();
    check_alg(&alg, e.algs, secret.is_some())?;
    let v = jwt::verify(jws, jwks, secret).map_err(|err| {
        Mismatch::new(
            "signature",
            format!("a valid {alg} signature by the issuer's key"),
            err.message,
        )
    })?;
    let opened = check_claims(&jws.claims, e)?;
    Ok(Verified {
        opened,
        alg: v.alg,
        kid: v.kid,
        shown: describe(jws),
    })
}

/// The response as a JWS; an encrypted or opaque one cannot be checked.
pub fn parse(response: &str) -> std::result::Result<Jws, Mismatch> {
    match jwt::parse(response) {
        Ok(Token::Jws(j)) => Ok(j),
        Ok(Token::Jwe { .. }) => Err(Mismatch::new(
            "response",
            "a signed JWT (JWS)",
            "an encrypted JWT (JWE), which oauthctl cannot decrypt",
        )),
        Ok(Token::Opaque { .. }) => Err(Mismatch::new(
            "response",
            "a signed JWT",
            "an opaque string",
        )),
        Err(err) => Err(Mismatch::new("response", "a signed JWT", err.message)),
    }
}

/// Verifies `response`: keys from `keys` (the JWKS fetched again once when the response
/// names a key it does not hold), then every check.
pub async fn verify(
    http: &Http,
    response: &str,
    keys: Keys<'_>,
    e: &Expected<'_>,
) -> Result<Verified> {
    let jws = parse(response).map_err(|m| to_error(&m))?;
    if jws.alg().starts_with("HS") {
        let secret = keys.client_secret.map(str::as_bytes);
        return validate(&jws, None, secret, e).map_err(|m| to_error(&m));
    }
    check_alg(jws.alg(), e.algs, keys.client_secret.is_some()).map_err(|m| to_error(&m))?;
    let uri = keys.jwks_uri.ok_or_else(|| {
        Error::input("the provider has no jwks_uri, so its JWT-secured authorization responses cannot be verified").with_hint(
            "set `issuer` (discovery finds jwks_uri) or `jwks_uri` in the provider's table of the config file, or log in with --response-mode query",
        )
    })?;
    let mut jwks = fetch_jwks(http, uri).await?;
    if let Some(kid) = jws.kid() {
        if !jwks.kids().iter().any(|k| k == kid) {
            jwks = fetch_jwks(http, uri).await?;
        }
    }
    validate(&jws, Some(&jwks), None, e).map_err(|m| to_error(&m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RSA_PEM: &str = include_str!("../mock/keys/rsa.pem");
    const JWKS: &str = include_str!("../mock/keys/jwks.json");
    const NOW: i64 = 1_800_000_000;

    fn sign(alg: jsonwebtoken::Algorithm, claims: &Value) -> String {
        let v: Value = serde_json::from_str(JWKS).unwrap();
        let mut h = jsonwebtoken::Header::new(alg);
        let k = if alg == jsonwebtoken::Algorithm::HS256 {
            jsonwebtoken::EncodingKey::from_secret(b"the-secret")
        } else {
            h.kid = v["keys"][0]["kid"].as_str().map(str::to_string);
            jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap()
        };
        jsonwebtoken::encode(&h, claims, &k).unwrap()
    }

    fn good() -> Value {
        json!({"iss": "https://op.example", "aud": "cid", "exp": NOW + 60, "code": "the-code", "state": "s-1"})
    }

    fn expected(algs: &[String]) -> Expected<'_> {
        Expected {
            issuer: "https://op.example",
            client_id: "cid",
            algs,
            state: "s-1",
            now: NOW,
            leeway: 60,
        }
    }

    fn jwks() -> Jwks {
        Jwks::from_json(JWKS.as_bytes(), "test").unwrap()
    }

    fn check(
        t: &str,
        algs: &[String],
        secret: Option<&[u8]>,
    ) -> std::result::Result<Verified, Mismatch> {
        validate(&parse(t).unwrap(), Some(&jwks()), secret, &expected(algs))
    }

    #[test]
    fn a_good_response_opens_to_its_code_and_the_trace_hides_it() {
        let t = sign(jsonwebtoken::Algorithm::RS256, &good());
        let v = check(&t, &[], None).unwrap();
        assert_eq!(
            v.opened,
            Opened::Code {
                code: "the-code".into(),
                iss: "https://op.example".into()
            }
        );
        assert!(v.shown.contains("\"code\":\"[redacted]\""), "{}", v.shown);
        assert!(!v.shown.contains("the-code"), "{}", v.shown);
        assert!(!v.shown.contains(t.rsplit('.').next().unwrap()));
    }

    #[test]
    fn each_claim_is_checked_and_named() {
        for (k, bad, claim) in [
            ("iss", json!("https://evil.example"), "iss"),
            ("aud", json!("other"), "aud"),
            ("exp", json!(NOW - 61), "exp"),
            ("state", json!("s-2"), "state"),
            ("code", json!(""), "code"),
        ] {
            let mut c = good();
            c[k] = bad;
            let t = sign(jsonwebtoken::Algorithm::RS256, &c);
            assert_eq!(check(&t, &[], None).unwrap_err().claim, claim, "{k}");
        }
        // Within the leeway.
        let mut c = good();
        c["exp"] = json!(NOW - 59);
        assert!(check(&sign(jsonwebtoken::Algorithm::RS256, &c), &[], None).is_ok());
        // At the leeway's very end, still taken; a second later, refused.
        c["exp"] = json!(NOW - 60);
        assert!(check(&sign(jsonwebtoken::Algorithm::RS256, &c), &[], None).is_ok());
        let m = to_error(
            &check(
                &sign(jsonwebtoken::Algorithm::RS256, &{
                    let mut c = good();
                    c["aud"] = json!("x");
                    c
                }),
                &[],
                None,
            )
            .unwrap_err(),
        );
        assert_eq!(m.exit_code(), 5);
        assert!(m.message.contains("`aud` is wrong"), "{}", m.message);
    }

    #[test]
    fn an_error_inside_is_the_servers_refusal_made_inert() {
        let mut c = good();
        c.as_object_mut().unwrap().remove("code");
        c["error"] = json!("access_denied");
        c["error_description"] = json!("no\u{1b}[31m way");
        let t = sign(jsonwebtoken::Algorithm::RS256, &c);
        match check(&t, &[], None).unwrap().opened {
            Opened::Denied {
                error, description, ..
            } => {
                assert_eq!(error, "access_denied");
                assert!(!description.unwrap().contains('\u{1b}'));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn algorithms_are_the_advertised_ones_never_none_and_hs_only_with_a_secret() {
        let rs = sign(jsonwebtoken::Algorithm::RS256, &good());
        // RS256 is the default; ES256-only servers refuse it.
        assert!(check(&rs, &[], None).is_ok());
        assert_eq!(
            check(&rs, &["ES256".into()], None).unwrap_err().claim,
            "alg"
        );
        // none is never accepted, even when advertised.
        let head = b64url(br#"{"alg":"none"}"#);
        let body = b64url(good().to_string().as_bytes());
        let none = format!("{head}.{body}.");
        let algs = ["none".to_string(), "RS256".to_string()];
        assert_eq!(check(&none, &algs, None).unwrap_err().claim, "alg");
        // HS256: only when advertised and with the client secret.
        let hs = sign(jsonwebtoken::Algorithm::HS256, &good());
        assert_eq!(
            check(&hs, &[], Some(b"the-secret")).unwrap_err().claim,
            "alg"
        );
        let hs_algs = ["HS256".to_string()];
        assert_eq!(check(&hs, &hs_algs, None).unwrap_err().claim, "alg");
        assert!(check(&hs, &hs_algs, Some(b"the-secret")).is_ok());
        assert_eq!(
            check(&hs, &hs_algs, Some(b"another")).unwrap_err().claim,
            "signature"
        );
    }

    fn b64url(b: &[u8]) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    }

    #[test]
    fn the_issuers_keys_are_fetched_once_and_again_only_for_an_unknown_kid() {
        use std::sync::atomic::Ordering::SeqCst;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (m, hits, http) = super::id_token::jwks_counting_mock().await;
            let uri = m.url("/jwks.json");
            let keys = Keys {
                jwks_uri: Some(&uri),
                client_secret: None,
            };
            let algs = ["RS256".to_string()];
            let e = expected(&algs);
            // A kid the set holds: one fetch.
            let t = sign(jsonwebtoken::Algorithm::RS256, &good());
            let v = verify(&http, &t, keys, &e).await.unwrap();
            assert_eq!(v.alg, "RS256");
            assert_eq!(hits.load(SeqCst), 1);
            // A kid it does not hold (the server rotated its keys): fetched once more.
            let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
            h.kid = Some("rotated".into());
            let k = jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap();
            let t = jsonwebtoken::encode(&h, &good(), &k).unwrap();
            let err = verify(&http, &t, keys, &e).await.unwrap_err();
            assert_eq!(hits.load(SeqCst), 3, "{}", err.message);
            assert_eq!(err.exit_code(), 5, "{}", err.message);
            m.shutdown().await;
        });
    }
}
