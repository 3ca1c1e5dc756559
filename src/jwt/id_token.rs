//! ID token validation (OpenID Connect Core 3.1.3.7, 3.1.3.8 and 12.2): the signature
//! against the issuer's JWKS (fetched again once when the token names a key it does not
//! hold), the algorithm the server advertises (never `none`), `iss`, `aud`, `azp`, `exp`
//! and `iat` with a leeway, `nonce`, `sub` on a refresh, and `at_hash` / `c_hash` when
//! present. A failed check names the claim, what was expected and what came.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::error::{Error, Result};
use crate::http::{Http, HttpRequest};
use crate::jwt::{self, Jwks, Jws, Token};

/// The algorithm of ID tokens when the server advertises none (Core 3.1.3.7 step 7).
pub const DEFAULT_ALG: &str = "RS256";

/// The clock skew allowed on `exp` and `iat` unless `--leeway` says otherwise.
pub const DEFAULT_LEEWAY: i64 = 60;

/// The longest received value a message quotes.
const MAX_SHOWN: usize = 120;

/// The nonce the ID token must carry: the one sent, or (for `exchange`, which knows
/// the authorization request only from the flow journal) one whose hash is `hash`.
#[derive(Debug, Clone, Copy)]
pub enum Nonce<'a> {
    Sent(&'a str),
    Hashed {
        hash: &'a str,
        with: fn(&str) -> String,
    },
}

/// What the ID token must say.
#[derive(Debug, Clone, Default)]
pub struct Expected<'a> {
    /// The provider's issuer.
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// `id_token_signing_alg_values_supported`; empty: RS256 only.
    pub algs: &'a [String],
    /// The nonce of the authorization request (code flow).
    pub nonce: Option<Nonce<'a>>,
    /// The access token of the same answer (`at_hash`).
    pub access_token: Option<&'a str>,
    /// The code exchanged (`c_hash`).
    pub code: Option<&'a str>,
    /// On a refresh: the `sub` of the session's ID token (Core 12.2).
    pub subject: Option<&'a str>,
    /// Unix time now.
    pub now: i64,
    /// Seconds of clock skew allowed on `exp` and `iat`.
    pub leeway: i64,
}

/// A check that failed: which claim (or `alg`, `signature`), what was expected and
/// what the token holds (quoted as JSON, so control characters are escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub claim: String,
    pub expected: String,
    pub received: String,
}

impl Mismatch {
    pub(super) fn new(
        claim: &str,
        expected: impl Into<String>,
        received: impl Into<String>,
    ) -> Mismatch {
        Mismatch {
            claim: claim.to_string(),
            expected: expected.into(),
            received: received.into(),
        }
    }

    /// `the ID token's `aud` is wrong: expected …, received …`.
    pub fn message(&self) -> String {
        format!(
            "the ID token's `{}` is wrong: expected {}, received {}",
            self.claim, self.expected, self.received
        )
    }

    /// The error a login fails with (exit code 5: the server's answer is wrong).
    pub fn to_error(&self) -> Error {
        Error::server(self.message()).with_hint(
            "the ID token cannot be trusted, so nothing is stored; check the provider's issuer and client_id settings and the clocks, or pass --no-verify-id-token to store it anyway (only to reproduce a broken server)",
        )
    }
}

/// What passed: the signature's algorithm and key, and the checks by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passed {
    pub alg: String,
    pub kid: Option<String>,
    pub checks: Vec<&'static str>,
}

/// A claim's value as JSON text, shortened; `nothing` when absent.
pub(super) fn shown(v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "nothing (the claim is missing)".into();
    };
    let s = v.to_string();
    if s.chars().count() > MAX_SHOWN {
        let cut: String = s.chars().take(MAX_SHOWN).collect();
        format!("{cut}…")
    } else {
        s
    }
}

pub(super) fn quoted(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// The algorithm is one the server advertises (RS256 when it advertises none), and
/// never `none`.
pub fn check_alg(alg: &str, advertised: &[String]) -> std::result::Result<(), Mismatch> {
    let allowed: Vec<&str> = if advertised.is_empty() {
        vec![DEFAULT_ALG]
    } else {
        advertised
            .iter()
            .map(String::as_str)
            .filter(|a| !a.eq_ignore_ascii_case("none"))
            .collect()
    };
    if allowed.contains(&alg) {
        return Ok(());
    }
    Err(Mismatch::new(
        "alg",
        format!(
            "one of {} (id_token_signing_alg_values_supported)",
            allowed.join(", ")
        ),
        quoted(alg),
    ))
}

/// The left half of the hash that `alg` uses, base64url (`at_hash`, `c_hash`;
/// Core 3.1.3.6). EdDSA (Ed25519) uses SHA-512.
pub fn half_hash(alg: &str, value: &str) -> Option<String> {
    let digest: Vec<u8> = if alg == "EdDSA" || alg.ends_with("512") {
        Sha512::digest(value.as_bytes()).to_vec()
    } else if alg.ends_with("384") {
        Sha384::digest(value.as_bytes()).to_vec()
    } else if alg.ends_with("256") {
        Sha256::digest(value.as_bytes()).to_vec()
    } else {
        return None;
    };
    Some(URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2]))
}

pub(super) fn num(claims: &Map<String, Value>, k: &str) -> Option<i64> {
    claims.get(k).and_then(Value::as_f64).map(|f| f as i64)
}

pub(super) fn check_iss(
    claims: &Map<String, Value>,
    want: &str,
) -> std::result::Result<(), Mismatch> {
    let got = claims.get("iss").and_then(Value::as_str);
    if got.is_some_and(|g| g.trim_end_matches('/') == want.trim_end_matches('/')) {
        return Ok(());
    }
    Err(Mismatch::new(
        "iss",
        format!("{} (the provider's issuer)", quoted(want)),
        shown(claims.get("iss")),
    ))
}

/// `aud` holds the client_id; with several audiences `azp` must be the client_id, and
/// an `azp` present must be it anyway. Returns whether `azp` was checked.
pub(super) fn check_aud(
    claims: &Map<String, Value>,
    client_id: &str,
) -> std::result::Result<bool, Mismatch> {
    let auds: Vec<&str> = match claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !auds.contains(&client_id) {
        return Err(Mismatch::new(
            "aud",
            format!("an audience holding {} (the client_id)", quoted(client_id)),
            shown(claims.get("aud")),
        ));
    }
    let azp = claims.get("azp");
    if auds.len() > 1 || azp.is_some() {
        if azp.and_then(Value::as_str) != Some(client_id) {
            return Err(Mismatch::new(
                "azp",
                format!(
                    "{} (the client_id; required when `aud` names several audiences)",
                    quoted(client_id)
                ),
                shown(azp),
            ));
        }
        return Ok(true);
    }
    Ok(false)
}

fn check_times(
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
    let Some(iat) = num(claims, "iat") else {
        return Err(Mismatch::new(
            "iat",
            "the time it was issued",
            shown(claims.get("iat")),
        ));
    };
    if iat > now.saturating_add(leeway) {
        return Err(Mismatch::new(
            "iat",
            format!(
                "a time before now ({}) plus the leeway of {leeway} s",
                jwt::iso(now)
            ),
            format!(
                "{iat} ({}, {} — check this machine's clock)",
                jwt::iso(iat),
                jwt::relative(iat, now)
            ),
        ));
    }
    Ok(())
}

fn check_equal(
    claims: &Map<String, Value>,
    claim: &'static str,
    want: &str,
    what: &str,
) -> std::result::Result<(), Mismatch> {
    if claims.get(claim).and_then(Value::as_str) == Some(want) {
        return Ok(());
    }
    Err(Mismatch::new(
        claim,
        format!("{} ({what})", quoted(want)),
        shown(claims.get(claim)),
    ))
}

/// The claims' checks (Core 3.1.3.7 steps 2–5, 9, 10, 11; 3.1.3.8; 12.2), after the
/// signature. Returns the names of the checks that passed.
pub fn check_claims(
    claims: &Map<String, Value>,
    alg: &str,
    e: &Expected<'_>,
) -> std::result::Result<Vec<&'static str>, Mismatch> {
    let mut passed = Vec::new();
    check_iss(claims, e.issuer)?;
    passed.push("iss");
    if claims
        .get("sub")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(Mismatch::new(
            "sub",
            "the subject's identifier",
            shown(claims.get("sub")),
        ));
    }
    let azp = check_aud(claims, e.client_id)?;
    passed.push("aud");
    if azp {
        passed.push("azp");
    }
    check_times(claims, e.now, e.leeway)?;
    passed.extend(["exp", "iat"]);
    match e.nonce {
        Some(Nonce::Sent(n)) => {
            check_equal(claims, "nonce", n, "the nonce of the authorization request")?;
            passed.push("nonce");
        }
        Some(Nonce::Hashed { hash, with }) => {
            let got = claims.get("nonce");
            if got.and_then(Value::as_str).map(with).as_deref() != Some(hash) {
                return Err(Mismatch::new(
                    "nonce",
                    format!(
                        "the nonce of the authorization request (the flow journal holds its hash {})",
                        quoted(hash)
                    ),
                    shown(got),
                ));
            }
            passed.push("nonce");
        }
        None => {}
    }
    if let Some(s) = e.subject {
        check_equal(claims, "sub", s, "the subject of the session's ID token")?;
        passed.push("sub");
    }
    for (claim, value) in [("at_hash", e.access_token), ("c_hash", e.code)] {
        let (Some(got), Some(value)) = (claims.get(claim), value) else {
            continue;
        };
        let want = half_hash(alg, value).unwrap_or_default();
        if got.as_str() != Some(want.as_str()) {
            return Err(Mismatch::new(
                claim,
                format!(
                    "{} (the left half of the {alg} hash of the {})",
                    quoted(&want),
                    if claim == "at_hash" {
                        "access token"
                    } else {
                        "code"
                    }
                ),
                shown(Some(got)),
            ));
        }
        passed.push(claim);
    }
    Ok(passed)
}

/// Every check of a parsed ID token: the algorithm, the signature (with `jwks`, or the
/// client secret for HS*), then the claims.
pub fn validate(
    jws: &Jws,
    jwks: Option<&Jwks>,
    secret: Option<&[u8]>,
    e: &Expected<'_>,
) -> std::result::Result<Passed, Mismatch> {
    let alg = jws.alg().to_string();
    check_alg(&alg, e.algs)?;
    let v = jwt::verify(jws, jwks, secret).map_err(|err| {
        Mismatch::new(
            "signature",
            format!("a valid {alg} signature by the issuer's key"),
            err.message,
        )
    })?;
    let mut checks = vec!["alg", "signature"];
    checks.extend(check_claims(&jws.claims, &alg, e)?);
    Ok(Passed {
        alg: v.alg,
        kid: v.kid,
        checks,
    })
}

/// The ID token as a JWS; an encrypted or opaque one cannot be checked.
pub fn parse(id_token: &str) -> std::result::Result<Jws, Mismatch> {
    match jwt::parse(id_token) {
        Ok(Token::Jws(j)) => Ok(j),
        Ok(Token::Jwe { .. }) => Err(Mismatch::new(
            "id_token",
            "a signed JWT (JWS)",
            "an encrypted JWT (JWE), which oauthctl cannot decrypt",
        )),
        Ok(Token::Opaque { .. }) => Err(Mismatch::new(
            "id_token",
            "a signed JWT",
            "an opaque string",
        )),
        Err(err) => Err(Mismatch::new("id_token", "a signed JWT", err.message)),
    }
}

/// The `sub` of an ID token, unverified (the session's, to compare with a newer one).
pub fn subject_of(id_token: &str) -> Option<String> {
    let Ok(Token::Jws(j)) = jwt::parse(id_token) else {
        return None;
    };
    j.claims
        .get("sub")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Where the keys come from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keys<'a> {
    /// The issuer's `jwks_uri`.
    pub jwks_uri: Option<&'a str>,
    /// The client secret (HS* ID tokens are signed with it, Core 3.1.3.7 step 8).
    pub client_secret: Option<&'a str>,
}

pub(super) async fn fetch_jwks(http: &Http, uri: &str) -> Result<Jwks> {
    let url = url::Url::parse(uri)
        .map_err(|err| Error::input(format!("jwks_uri `{uri}` is not a URL: {err}")))?;
    let resp = http.send(HttpRequest::get(url)).await?;
    if !resp.is_success() {
        return Err(Error::server(format!(
            "the issuer's JWKS at {uri} answered HTTP {}, so the ID token cannot be verified",
            resp.status
        ))
        .with_hint("pass --no-verify-id-token to store the tokens anyway (only to reproduce a broken server)"));
    }
    Jwks::from_json(&resp.body, uri)
}

/// Verifies `id_token`: keys from `keys` (the JWKS fetched again once when the token
/// names a key it does not hold), then every check. A failed check is an error naming
/// the claim (exit code 5).
pub async fn verify(
    http: &Http,
    id_token: &str,
    keys: Keys<'_>,
    e: &Expected<'_>,
) -> Result<Passed> {
    let jws = parse(id_token).map_err(|m| m.to_error())?;
    if jws.alg().starts_with("HS") {
        let secret = keys.client_secret.ok_or_else(|| {
            Mismatch::new(
                "signature",
                "an asymmetric signature (this client has no secret to check an HS* one with)",
                quoted(jws.alg()),
            )
            .to_error()
        })?;
        return validate(&jws, None, Some(secret.as_bytes()), e).map_err(|m| m.to_error());
    }
    let uri = keys.jwks_uri.ok_or_else(|| {
        Error::input("the provider has no jwks_uri, so its ID tokens cannot be verified").with_hint(
            "set `issuer` (discovery finds jwks_uri) or `jwks_uri` in the provider's table of the config file, or pass --no-verify-id-token",
        )
    })?;
    let mut jwks = fetch_jwks(http, uri).await?;
    if let Some(kid) = jws.kid() {
        if !jwks.kids().iter().any(|k| k == kid) {
            // Keys rotate: the token may name a key published since.
            jwks = fetch_jwks(http, uri).await?;
        }
    }
    validate(&jws, Some(&jwks), None, e).map_err(|m| m.to_error())
}

/// For the verifiers' tests: the `oidc` emulator counting the fetches of its JWKS, and
/// a client. Returns the emulator, the count and the client.
#[cfg(test)]
pub(super) async fn jwks_counting_mock() -> (
    crate::mock::MockHandle,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
    Http,
) {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::{Arc, Mutex};
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let m = crate::mock::start(crate::mock::MockOptions {
        provider: "oidc".into(),
        on_request: Some(Arc::new(move |r: &crate::mock::RequestRecord| {
            if r.path == "/jwks.json" {
                counted.fetch_add(1, SeqCst);
            }
        })),
        ..Default::default()
    })
    .await
    .unwrap();
    let redactor = Arc::new(Mutex::new(crate::redact::Redactor::new(false)));
    let http = Http::new(crate::http::HttpConfig::default(), redactor).unwrap();
    (m, hits, http)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RSA_PEM: &str = include_str!("../mock/keys/rsa.pem");
    const JWKS: &str = include_str!("../mock/keys/jwks.json");
    const NOW: i64 = 1_800_000_000;

    fn kid() -> String {
        let v: Value = serde_json::from_str(JWKS).unwrap();
        v["keys"][0]["kid"].as_str().unwrap().to_string()
    }

    fn sign_rs256(claims: &Value) -> String {
        let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        h.kid = Some(kid());
        let k = jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap();
        jsonwebtoken::encode(&h, claims, &k).unwrap()
    }

    fn sign_hs256(claims: &Value, secret: &[u8]) -> String {
        let h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        let k = jsonwebtoken::EncodingKey::from_secret(secret);
        jsonwebtoken::encode(&h, claims, &k).unwrap()
    }

    fn good() -> Value {
        json!({
            "iss": "https://op.example",
            "sub": "alice",
            "aud": "cid",
            "exp": NOW + 600,
            "iat": NOW,
            "nonce": "n-1",
            "at_hash": half_hash("RS256", "the-access-token").unwrap(),
            "c_hash": half_hash("RS256", "the-code").unwrap(),
        })
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://op.example",
            client_id: "cid",
            algs: &[],
            nonce: Some(Nonce::Sent("n-1")),
            access_token: Some("the-access-token"),
            code: Some("the-code"),
            subject: None,
            now: NOW,
            leeway: 60,
        }
    }

    fn claims(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => panic!(),
        }
    }

    fn with(change: &[(&str, Value)]) -> Map<String, Value> {
        let mut c = claims(good());
        for (k, v) in change {
            if v.is_null() {
                c.remove(*k);
            } else {
                c.insert((*k).to_string(), v.clone());
            }
        }
        c
    }

    fn failing(c: &Map<String, Value>, e: &Expected<'_>) -> Mismatch {
        check_claims(c, "RS256", e).unwrap_err()
    }

    fn jwks() -> Jwks {
        Jwks::from_json(JWKS.as_bytes(), "test").unwrap()
    }

    #[test]
    fn a_good_token_passes_every_check() {
        let t = sign_rs256(&good());
        let jws = parse(&t).unwrap();
        let p = validate(&jws, Some(&jwks()), None, &expected()).unwrap();
        assert_eq!(p.alg, "RS256");
        assert_eq!(p.kid.as_deref(), Some(kid().as_str()));
        assert_eq!(
            p.checks,
            [
                "alg",
                "signature",
                "iss",
                "aud",
                "exp",
                "iat",
                "nonce",
                "at_hash",
                "c_hash"
            ]
        );
    }

    #[test]
    fn a_bad_signature_is_named() {
        let t = sign_rs256(&good());
        let other = sign_rs256(&json!({"sub": "mallory"}));
        let forged = format!(
            "{}.{}",
            t.rsplit_once('.').unwrap().0,
            other.rsplit_once('.').unwrap().1
        );
        let m = validate(&parse(&forged).unwrap(), Some(&jwks()), None, &expected()).unwrap_err();
        assert_eq!(m.claim, "signature");
        assert!(m.received.contains("INVALID"), "{m:?}");
        assert!(m
            .message()
            .starts_with("the ID token's `signature` is wrong: expected a valid RS256 signature"));
    }

    #[test]
    fn algorithms_are_the_advertised_ones_and_never_none() {
        assert!(check_alg("RS256", &[]).is_ok());
        let m = check_alg("ES256", &[]).unwrap_err();
        assert_eq!(m.claim, "alg");
        assert_eq!(
            m.expected,
            "one of RS256 (id_token_signing_alg_values_supported)"
        );
        assert_eq!(m.received, "\"ES256\"");
        let adv = vec!["ES256".to_string(), "none".to_string()];
        assert!(check_alg("ES256", &adv).is_ok());
        assert!(check_alg("none", &adv).is_err());
        assert!(check_alg("RS256", &adv).is_err());
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(good().to_string())
        );
        let e = Expected {
            algs: &adv,
            ..expected()
        };
        assert_eq!(
            validate(&parse(&none).unwrap(), Some(&jwks()), None, &e)
                .unwrap_err()
                .claim,
            "alg"
        );
    }

    #[test]
    fn hs256_is_checked_with_the_client_secret() {
        let t = sign_hs256(&good(), b"s3cret");
        let algs = vec!["HS256".to_string()];
        let e = Expected {
            algs: &algs,
            ..expected()
        };
        let jws = parse(&t).unwrap();
        assert!(validate(&jws, None, Some(b"s3cret"), &e).is_ok());
        assert_eq!(
            validate(&jws, None, Some(b"other"), &e).unwrap_err().claim,
            "signature"
        );
    }

    #[test]
    fn issuer_must_match_up_to_a_trailing_slash() {
        assert!(check_claims(
            &with(&[("iss", json!("https://op.example/"))]),
            "RS256",
            &expected()
        )
        .is_ok());
        let m = failing(
            &with(&[("iss", json!("https://evil.example"))]),
            &expected(),
        );
        assert_eq!(m.claim, "iss");
        assert_eq!(m.expected, "\"https://op.example\" (the provider's issuer)");
        assert_eq!(m.received, "\"https://evil.example\"");
        let m = failing(&with(&[("iss", Value::Null)]), &expected());
        assert_eq!(m.received, "nothing (the claim is missing)");
    }

    #[test]
    fn subject_is_required_and_kept_on_refresh() {
        assert_eq!(
            failing(&with(&[("sub", Value::Null)]), &expected()).claim,
            "sub"
        );
        assert_eq!(
            failing(&with(&[("sub", json!(""))]), &expected()).claim,
            "sub"
        );
        let e = Expected {
            subject: Some("alice"),
            ..expected()
        };
        let ok = check_claims(&claims(good()), "RS256", &e).unwrap();
        assert!(ok.contains(&"sub"));
        let e = Expected {
            subject: Some("bob"),
            ..expected()
        };
        let m = failing(&claims(good()), &e);
        assert_eq!(
            (m.claim.as_str(), m.received.as_str()),
            ("sub", "\"alice\"")
        );
    }

    #[test]
    fn audience_and_authorized_party() {
        let m = failing(&with(&[("aud", json!("someone-else"))]), &expected());
        assert_eq!(m.claim, "aud");
        assert_eq!(m.received, "\"someone-else\"");
        assert_eq!(
            failing(&with(&[("aud", Value::Null)]), &expected()).claim,
            "aud"
        );
        assert_eq!(
            failing(&with(&[("aud", json!(["x", "y"]))]), &expected()).claim,
            "aud"
        );
        // Several audiences: azp must be the client.
        let m = failing(&with(&[("aud", json!(["cid", "api"]))]), &expected());
        assert_eq!(m.claim, "azp");
        let ok = check_claims(
            &with(&[("aud", json!(["cid", "api"])), ("azp", json!("cid"))]),
            "RS256",
            &expected(),
        )
        .unwrap();
        assert!(ok.contains(&"azp"));
        assert!(check_claims(&with(&[("aud", json!(["cid"]))]), "RS256", &expected()).is_ok());
        // One audience: an azp present must still be the client.
        assert_eq!(
            failing(&with(&[("azp", json!("other"))]), &expected()).claim,
            "azp"
        );
        let ok = check_claims(&with(&[("azp", json!("cid"))]), "RS256", &expected()).unwrap();
        assert!(ok.contains(&"azp"));
        assert!(!check_claims(&claims(good()), "RS256", &expected())
            .unwrap()
            .contains(&"azp"));
    }

    #[test]
    fn expiry_and_issue_time_with_the_leeway() {
        let e = expected();
        assert!(check_claims(&with(&[("exp", json!(NOW - 60))]), "RS256", &e).is_ok());
        let m = failing(&with(&[("exp", json!(NOW - 61))]), &e);
        assert_eq!(m.claim, "exp");
        assert!(m.received.contains("expired"), "{m:?}");
        assert_eq!(failing(&with(&[("exp", Value::Null)]), &e).claim, "exp");
        assert!(check_claims(&with(&[("iat", json!(NOW + 60))]), "RS256", &e).is_ok());
        assert_eq!(failing(&with(&[("iat", json!(NOW + 61))]), &e).claim, "iat");
        assert_eq!(failing(&with(&[("iat", Value::Null)]), &e).claim, "iat");
        let strict = Expected {
            leeway: 0,
            ..expected()
        };
        assert_eq!(
            failing(&with(&[("exp", json!(NOW - 1))]), &strict).claim,
            "exp"
        );
        assert!(check_claims(&with(&[("exp", json!(NOW))]), "RS256", &strict).is_ok());
    }

    #[test]
    fn nonce_must_be_the_one_sent() {
        let m = failing(&with(&[("nonce", json!("forged"))]), &expected());
        assert_eq!(m.claim, "nonce");
        assert_eq!(
            m.expected,
            "\"n-1\" (the nonce of the authorization request)"
        );
        assert_eq!(m.received, "\"forged\"");
        assert_eq!(
            failing(&with(&[("nonce", Value::Null)]), &expected()).claim,
            "nonce"
        );
        // No nonce sent (device, password, refresh): not checked.
        let e = Expected {
            nonce: None,
            ..expected()
        };
        let ok = check_claims(&with(&[("nonce", json!("whatever"))]), "RS256", &e).unwrap();
        assert!(!ok.contains(&"nonce"));
    }

    #[test]
    fn a_nonce_known_by_its_hash() {
        fn h(s: &str) -> String {
            format!("h({s})")
        }
        let e = Expected {
            nonce: Some(Nonce::Hashed {
                hash: "h(n-1)",
                with: h,
            }),
            ..expected()
        };
        assert!(check_claims(&claims(good()), "RS256", &e)
            .unwrap()
            .contains(&"nonce"));
        let m = failing(&with(&[("nonce", json!("n-2"))]), &e);
        assert_eq!(m.claim, "nonce");
        assert!(m.expected.contains("\"h(n-1)\""), "{m:?}");
        assert_eq!(failing(&with(&[("nonce", Value::Null)]), &e).claim, "nonce");
    }

    #[test]
    fn token_hashes_when_present() {
        let m = failing(&with(&[("at_hash", json!("AAAA"))]), &expected());
        assert_eq!(m.claim, "at_hash");
        assert!(m.expected.contains("access token"), "{m:?}");
        let m = failing(&with(&[("c_hash", json!("AAAA"))]), &expected());
        assert_eq!(m.claim, "c_hash");
        assert!(m.expected.contains("code"), "{m:?}");
        let ok = check_claims(
            &with(&[("at_hash", Value::Null), ("c_hash", Value::Null)]),
            "RS256",
            &expected(),
        )
        .unwrap();
        assert!(!ok.contains(&"at_hash") && !ok.contains(&"c_hash"));
        // Present but nothing to compare with: not checked.
        let e = Expected {
            access_token: None,
            code: None,
            ..expected()
        };
        assert!(check_claims(
            &with(&[("at_hash", json!("AAAA")), ("c_hash", json!("B"))]),
            "RS256",
            &e
        )
        .is_ok());
    }

    #[test]
    fn half_hashes_follow_the_algorithm() {
        // Computed independently (Python's hashlib).
        let t = "jHkWEdUXMU1BwAsC4vtUsZwnNuU";
        assert_eq!(half_hash("RS256", t).unwrap(), "cvF-FLzxuL6m2_bL826T4g");
        assert_eq!(
            half_hash("ES384", t).unwrap(),
            "vWk3egkfxidtk8SV5qPj3iYNjUHEJqM-"
        );
        assert_eq!(
            half_hash("PS512", t).unwrap(),
            "TtllXDf-KFyRU3kd3eGyn0_hsUPyj-w8hKHLEbc8e9w"
        );
        assert_eq!(half_hash("ES384", "x").unwrap().len(), 32);
        assert_eq!(half_hash("PS512", "x").unwrap().len(), 43);
        assert_eq!(half_hash("EdDSA", "x"), half_hash("RS512", "x"));
        assert_eq!(half_hash("ES256", "x"), half_hash("HS256", "x"));
        assert_ne!(half_hash("RS384", "x"), half_hash("RS512", "x"));
        assert_eq!(half_hash("none", "x"), None);
    }

    #[test]
    fn values_are_quoted_escaped_and_shortened() {
        let m = failing(&with(&[("iss", json!("a\u{1b}[31mb"))]), &expected());
        assert_eq!(m.received, "\"a\\u001b[31mb\"");
        let long = "x".repeat(500);
        let m = failing(&with(&[("iss", json!(long))]), &expected());
        assert_eq!(m.received.chars().count(), MAX_SHOWN + 1);
        assert!(m.received.ends_with('…'));
        let exact = "y".repeat(MAX_SHOWN - 2);
        let m = failing(&with(&[("iss", json!(exact))]), &expected());
        assert_eq!(m.received, format!("\"{exact}\""));
        let e = m.to_error();
        assert_eq!(e.kind, crate::error::ErrorKind::Server);
        assert!(e.hint.unwrap().contains("--no-verify-id-token"));
    }

    fn sign_rs256_kid(claims: &Value, kid: &str) -> String {
        let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        h.kid = Some(kid.to_string());
        let k = jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap();
        jsonwebtoken::encode(&h, claims, &k).unwrap()
    }

    #[test]
    fn verify_fetches_the_issuers_keys_and_again_once_for_an_unknown_kid() {
        use std::sync::atomic::Ordering::SeqCst;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (m, hits, http) = super::jwks_counting_mock().await;
            let uri = m.url("/jwks.json");
            let keys = Keys {
                jwks_uri: Some(&uri),
                client_secret: None,
            };
            let p = verify(&http, &sign_rs256(&good()), keys, &expected())
                .await
                .unwrap();
            assert_eq!(p.alg, "RS256");
            assert_eq!(hits.load(SeqCst), 1);
            // A key the set does not hold: fetched once more, then refused.
            let e = verify(
                &http,
                &sign_rs256_kid(&good(), "rotated"),
                keys,
                &expected(),
            )
            .await
            .unwrap_err();
            assert_eq!(hits.load(SeqCst), 3);
            assert!(
                e.message.starts_with("the ID token's `signature` is wrong"),
                "{}",
                e.message
            );
            assert!(
                e.message.contains("no key with kid `rotated`"),
                "{}",
                e.message
            );
            assert_eq!(e.kind, crate::error::ErrorKind::Server);
            // The claims are checked after the signature.
            let late = with(&[("iss", json!("https://evil.example"))]);
            let e = verify(&http, &sign_rs256(&Value::Object(late)), keys, &expected())
                .await
                .unwrap_err();
            assert!(e.message.contains("`iss`"), "{}", e.message);
            // No jwks_uri: nothing to verify with.
            let none = Keys::default();
            let e = verify(&http, &sign_rs256(&good()), none, &expected())
                .await
                .unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::Input);
            assert!(e.message.contains("no jwks_uri"), "{}", e.message);
            // A JWKS that is not there.
            let gone = m.url("/no-such-jwks");
            let e = verify(
                &http,
                &sign_rs256(&good()),
                Keys {
                    jwks_uri: Some(&gone),
                    client_secret: None,
                },
                &expected(),
            )
            .await
            .unwrap_err();
            assert!(e.message.contains("answered HTTP 404"), "{}", e.message);
            let bad = "not a url";
            let e = verify(
                &http,
                &sign_rs256(&good()),
                Keys {
                    jwks_uri: Some(bad),
                    client_secret: None,
                },
                &expected(),
            )
            .await
            .unwrap_err();
            assert!(e.message.contains("is not a URL"), "{}", e.message);
            // HS256: the client secret, never the JWKS.
            let algs = vec!["HS256".to_string()];
            let e_hs = Expected {
                algs: &algs,
                ..expected()
            };
            let hs = sign_hs256(&good(), b"s3cret");
            let with_secret = Keys {
                jwks_uri: None,
                client_secret: Some("s3cret"),
            };
            assert!(verify(&http, &hs, with_secret, &e_hs).await.is_ok());
            let e = verify(&http, &hs, Keys::default(), &e_hs)
                .await
                .unwrap_err();
            assert!(e.message.contains("`signature`"), "{}", e.message);
            let e = verify(&http, "opaque", keys, &expected())
                .await
                .unwrap_err();
            assert!(e.message.contains("`id_token`"), "{}", e.message);
            assert_eq!(hits.load(SeqCst), 4);
            m.shutdown().await;
        });
    }

    #[test]
    fn only_signed_tokens_are_checked() {
        assert_eq!(parse("opaque").unwrap_err().received, "an opaque string");
        let jwe = format!(
            "{}.a.b.c.d",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#)
        );
        assert!(parse(&jwe).unwrap_err().received.contains("JWE"));
        assert_eq!(parse("a.b").unwrap_err().claim, "id_token");
        assert_eq!(subject_of(&sign_rs256(&good())).as_deref(), Some("alice"));
        assert_eq!(subject_of("opaque"), None);
    }
}
