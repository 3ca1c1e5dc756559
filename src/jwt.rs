//! JWT decoding and signature verification (JWS compact form), JWKS handling, and
//! recognition of JWEs and opaque tokens. Verification uses `ring` directly.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::text;

pub mod describe;
pub mod id_token;
pub mod input;
pub mod jarm;
pub mod keys;

/// Tokens longer than this are refused before any decoding.
pub const MAX_TOKEN_LEN: usize = 8 * 1024 * 1024;

/// The algorithms `verify` supports.
pub const SUPPORTED_ALGS: &[&str] = &[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256",
    "HS384", "HS512",
];

/// What a token string turned out to be.
#[derive(Debug, Clone)]
pub enum Token {
    /// A signed JWT (JWS compact serialization).
    Jws(Jws),
    /// An encrypted JWT: only its protected header is readable.
    Jwe { header: Map<String, Value> },
    /// Not a JWT: only the server that issued it can tell what it means.
    Opaque { len: usize },
}

#[derive(Debug, Clone)]
pub struct Jws {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    pub signing_input: String,
    pub signature: Vec<u8>,
}

impl Jws {
    pub fn alg(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or("")
    }
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }
}

const PART_NAMES_JWS: [&str; 3] = ["header", "payload", "signature"];

fn b64(part: &str, index: usize, what: &str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .or_else(|_| URL_SAFE.decode(part))
        .map_err(|e| {
            Error::input(format!(
                "the {what} (part {} of the token) is not valid base64url: {e}",
                index + 1
            ))
            .with_hint("check that the token was copied whole, without spaces or line breaks")
        })
}

fn json_object(bytes: &[u8], index: usize, what: &str) -> Result<Map<String, Value>> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Error::input(format!(
            "the {what} (part {} of the token) is JSON but not an object",
            index + 1
        ))),
        Err(e) => Err(Error::input(format!(
            "the {what} (part {} of the token) is not JSON: {e}",
            index + 1
        ))
        .with_hint("this is not a JWT, or it was damaged when copied")),
    }
}

/// Whether a string looks like a JWT or JWE (base64url parts separated by dots, the
/// first of which decodes to a JSON object).
pub fn looks_like_jwt(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (parts.len() == 3 || parts.len() == 5)
        && parts[0].starts_with("eyJ")
        && URL_SAFE_NO_PAD
            .decode(parts[0])
            .ok()
            .is_some_and(|b| serde_json::from_slice::<Map<String, Value>>(&b).is_ok())
}

/// Parses a token. Anything without dots is opaque; a dotted string that is not a
/// well-formed JWT is an error naming the bad part.
pub fn parse(token: &str) -> Result<Token> {
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::input("the token is empty")
            .with_hint("pass it as an argument, or pipe it in: … | oauthctl decode -"));
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::input(format!(
            "the token is {} bytes long, more than the {} MiB oauthctl reads",
            token.len(),
            MAX_TOKEN_LEN / (1024 * 1024)
        )));
    }
    if let Some(bad) = token.char_indices().find(|(_, c)| {
        !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/' | '~'))
    }) {
        return Err(Error::input(format!(
            "the token has a character that no JWT or OAuth token contains: {:?} at position {}",
            bad.1, bad.0
        ))
        .with_hint("pass only the token (without quotes, `Bearer` is accepted)"));
    }
    let parts: Vec<&str> = token.split('.').collect();
    match parts.len() {
        1 => Ok(Token::Opaque { len: token.len() }),
        3 => {
            let mut decoded = Vec::with_capacity(3);
            for (i, p) in parts.iter().enumerate() {
                if i < 2 && p.is_empty() {
                    return Err(Error::input(format!(
                        "the {} (part {} of the token) is empty",
                        PART_NAMES_JWS[i],
                        i + 1
                    )));
                }
                decoded.push(b64(p, i, PART_NAMES_JWS[i])?);
            }
            let header = json_object(&decoded[0], 0, "header")?;
            let claims = json_object(&decoded[1], 1, "payload")?;
            Ok(Token::Jws(Jws {
                header,
                claims,
                signing_input: format!("{}.{}", parts[0], parts[1]),
                signature: decoded.swap_remove(2),
            }))
        }
        5 => {
            let h = b64(parts[0], 0, "protected header")?;
            let header = json_object(&h, 0, "protected header")?;
            Ok(Token::Jwe { header })
        }
        n => Err(Error::input(format!(
            "the token has {n} dot-separated parts; a JWT has 3 (signed, JWS) or 5 (encrypted, JWE)"
        ))
        .with_hint("check that the token was copied whole")),
    }
}

/// A JSON Web Key Set.
#[derive(Debug, Clone)]
pub struct Jwks {
    pub keys: Vec<Map<String, Value>>,
}

impl Jwks {
    pub fn from_json(bytes: &[u8], source: &str) -> Result<Jwks> {
        let v: Value = serde_json::from_slice(bytes)
            .map_err(|e| Error::input(format!("the JWKS from {source} is not JSON: {e}")))?;
        let keys = match v {
            Value::Object(mut m) => match m.remove("keys") {
                Some(Value::Array(a)) => a,
                // A single JWK is accepted as a set of one.
                None if m.contains_key("kty") => vec![Value::Object(m)],
                _ => {
                    return Err(Error::input(format!(
                        "the JWKS from {source} has no `keys` array"
                    )))
                }
            },
            _ => {
                return Err(Error::input(format!(
                    "the JWKS from {source} is not a JSON object"
                )))
            }
        };
        let keys = keys
            .into_iter()
            .filter_map(|k| match k {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .collect();
        Ok(Jwks { keys })
    }

    pub fn kids(&self) -> Vec<String> {
        self.keys
            .iter()
            .filter_map(|k| k.get("kid").and_then(Value::as_str).map(str::to_string))
            .collect()
    }
}

/// What `verify` found.
#[derive(Debug, Clone)]
pub struct Verified {
    pub alg: String,
    pub kid: Option<String>,
}

fn str_field<'a>(key: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    key.get(name).and_then(Value::as_str)
}

fn key_bytes(key: &Map<String, Value>, name: &str) -> Result<Vec<u8>> {
    let s = str_field(key, name).ok_or_else(|| Error::input(format!("the JWK has no `{name}`")))?;
    URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|e| Error::input(format!("the JWK's `{name}` is not base64url: {e}")))
}

fn kty_for(alg: &str) -> &'static str {
    match alg {
        a if a.starts_with("RS") || a.starts_with("PS") => "RSA",
        a if a.starts_with("ES") => "EC",
        "EdDSA" => "OKP",
        _ => "oct",
    }
}

/// Verifies the signature with a key from `jwks` (by `kid`, else every key of the
/// right type), or with `secret` for HS*. `alg: none` and unsupported algorithms fail.
pub fn verify(jws: &Jws, jwks: Option<&Jwks>, secret: Option<&[u8]>) -> Result<Verified> {
    let alg = jws.alg().to_string();
    if alg.is_empty() {
        return Err(Error::input(
            "the token's header has no `alg`: it cannot be verified",
        ));
    }
    if alg.eq_ignore_ascii_case("none") {
        return Err(Error::input(
            "the token is unsigned (`alg: none`): it is never accepted as valid",
        )
        .with_hint("anyone can forge an unsigned token; the server must sign its tokens"));
    }
    if !SUPPORTED_ALGS.contains(&alg.as_str()) {
        return Err(Error::input(format!("unsupported algorithm `{alg}`"))
            .with_hint(format!("oauthctl verifies {}", SUPPORTED_ALGS.join(", "))));
    }
    let message = jws.signing_input.as_bytes();
    if alg.starts_with("HS") {
        let secret = secret.ok_or_else(|| {
            Error::input(format!(
                "{alg} is signed with a shared secret, and none was given"
            ))
            .with_hint("pass --secret @FILE, --secret env:VAR or --secret - (stdin)")
        })?;
        let h = match alg.as_str() {
            "HS256" => ring::hmac::HMAC_SHA256,
            "HS384" => ring::hmac::HMAC_SHA384,
            _ => ring::hmac::HMAC_SHA512,
        };
        let key = ring::hmac::Key::new(h, secret);
        return ring::hmac::verify(&key, message, &jws.signature)
            .map(|_| Verified {
                alg: alg.clone(),
                kid: jws.kid().map(str::to_string),
            })
            .map_err(|_| {
                Error::input(format!(
                    "the {alg} signature is INVALID for the given secret"
                ))
                .with_hint("the token was altered, or the secret is not the one it was signed with")
            });
    }
    let jwks = jwks.ok_or_else(|| {
        Error::input(format!(
            "{alg} needs the issuer's public keys, and no JWKS was given"
        ))
        .with_hint("pass --jwks FILE|URL, or -p NAME for a provider with a jwks_uri")
    })?;
    let want_kty = kty_for(&alg);
    let candidates: Vec<&Map<String, Value>> = match jws.kid() {
        Some(kid) => jwks
            .keys
            .iter()
            .filter(|k| str_field(k, "kid") == Some(kid))
            .collect(),
        None => jwks
            .keys
            .iter()
            .filter(|k| str_field(k, "kty") == Some(want_kty))
            .collect(),
    };
    if candidates.is_empty() {
        let msg = match jws.kid() {
            Some(kid) => format!(
                "the JWKS has no key with kid `{kid}` (it has: {})",
                if jwks.kids().is_empty() {
                    "no kids".to_string()
                } else {
                    jwks.kids().join(", ")
                }
            ),
            None => format!("the JWKS has no {want_kty} key for {alg}"),
        };
        return Err(Error::input(msg).with_hint(
            "the keys may have rotated: fetch the JWKS again, or check that it is the issuer's",
        ));
    }
    let mut last_err = None;
    for key in candidates {
        if let Some(kalg) = str_field(key, "alg") {
            if kalg != alg {
                last_err = Some(Error::input(format!(
                    "the key `{}` is for {kalg}, but the token says {alg}",
                    str_field(key, "kid").unwrap_or("?")
                )));
                continue;
            }
        }
        if str_field(key, "kty") != Some(want_kty) {
            last_err = Some(Error::input(format!(
                "the key `{}` is of type {}, which cannot verify {alg}",
                str_field(key, "kid").unwrap_or("?"),
                str_field(key, "kty").unwrap_or("?")
            )));
            continue;
        }
        match verify_with_jwk(&alg, key, message, &jws.signature) {
            Ok(true) => {
                return Ok(Verified {
                    alg,
                    kid: str_field(key, "kid").map(str::to_string),
                })
            }
            Ok(false) => {
                last_err = Some(
                    Error::input(format!("the {alg} signature is INVALID")).with_hint(
                        "the token was altered after signing, or it was signed by another key",
                    ),
                )
            }
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.unwrap_or_else(|| Error::input("no key could verify the token")))
}

fn verify_with_jwk(alg: &str, key: &Map<String, Value>, msg: &[u8], sig: &[u8]) -> Result<bool> {
    use ring::signature as s;
    match kty_for(alg) {
        "RSA" => {
            let n = key_bytes(key, "n")?;
            let e = key_bytes(key, "e")?;
            let params: &s::RsaParameters = match alg {
                "RS256" => &s::RSA_PKCS1_2048_8192_SHA256,
                "RS384" => &s::RSA_PKCS1_2048_8192_SHA384,
                "RS512" => &s::RSA_PKCS1_2048_8192_SHA512,
                "PS256" => &s::RSA_PSS_2048_8192_SHA256,
                "PS384" => &s::RSA_PSS_2048_8192_SHA384,
                _ => &s::RSA_PSS_2048_8192_SHA512,
            };
            Ok(s::RsaPublicKeyComponents { n: &n, e: &e }
                .verify(params, msg, sig)
                .is_ok())
        }
        "EC" => {
            let (want_crv, alg_impl): (&str, &'static dyn s::VerificationAlgorithm) = match alg {
                "ES256" => ("P-256", &s::ECDSA_P256_SHA256_FIXED),
                _ => ("P-384", &s::ECDSA_P384_SHA384_FIXED),
            };
            let crv = str_field(key, "crv").unwrap_or("");
            if crv != want_crv {
                return Err(Error::input(format!(
                    "the EC key is on curve `{crv}`, but {alg} needs {want_crv}"
                )));
            }
            let mut point = vec![4u8];
            point.extend(key_bytes(key, "x")?);
            point.extend(key_bytes(key, "y")?);
            Ok(s::UnparsedPublicKey::new(alg_impl, point)
                .verify(msg, sig)
                .is_ok())
        }
        "OKP" => {
            let crv = str_field(key, "crv").unwrap_or("");
            if crv != "Ed25519" {
                return Err(Error::input(format!(
                    "the OKP key is on curve `{crv}`; oauthctl verifies EdDSA with Ed25519"
                )));
            }
            let x = key_bytes(key, "x")?;
            Ok(s::UnparsedPublicKey::new(&s::ED25519, x)
                .verify(msg, sig)
                .is_ok())
        }
        _ => Err(Error::input(format!("unsupported algorithm `{alg}`"))),
    }
}

/// Unix time now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The last second of year 9999 (`9999-12-31T23:59:59Z`): later dates have no RFC 3339
/// form.
pub const MAX_ISO: i64 = 253_402_300_799;

/// `2026-11-23T14:00:00Z`; a time before 1970 or after year 9999 as its raw number with
/// a note (a server may send anything: it is shown, never a panic).
pub fn iso(ts: i64) -> String {
    if ts < 0 {
        return format!("{ts} (before 1970)");
    }
    if ts > MAX_ISO {
        return format!("{ts} (after year 9999)");
    }
    std::time::UNIX_EPOCH
        .checked_add(std::time::Duration::from_secs(ts.unsigned_abs()))
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| ts.to_string())
}

/// A time claim as seconds: a JSON number (a huge one saturates), `None` when absent;
/// `Err` when present but not a number (`"exp": "1"`).
pub fn time_claim(
    claims: &Map<String, Value>,
    k: &str,
) -> std::result::Result<Option<i64>, String> {
    match claims.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))),
        Some(other) => Err(format!(
            "`{k}` is {}, not a number of seconds (RFC 7519 NumericDate)",
            text::untrusted(&other.to_string())
        )),
    }
}

/// "in 42 min" / "3 h ago".
pub fn relative(ts: i64, now: i64) -> String {
    let d = std::time::Duration::from_secs(ts.abs_diff(now));
    if ts >= now {
        format!("in {}", crate::duration::human(d))
    } else {
        format!("{} ago", crate::duration::human(d))
    }
}

/// The time claims with words: "expires in 42 min", "expired 3 h ago", …
pub fn describe_time(claim: &str, ts: i64, now: i64) -> String {
    let rel = relative(ts, now);
    match claim {
        "exp" if ts >= now => format!("expires {rel}"),
        "exp" => format!("expired {rel}"),
        "nbf" if ts > now => format!("not valid until {rel}"),
        "nbf" => format!("valid since {rel}"),
        "iat" => format!("issued {rel}"),
        "auth_time" => format!("authenticated {rel}"),
        _ => rel,
    }
}

/// The claims' checks: exp and nbf with a leeway, iss and aud when asked.
pub fn check_claims(
    claims: &Map<String, Value>,
    now: i64,
    leeway: i64,
    iss: Option<&str>,
    aud: Option<&str>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut num = |k: &str| match time_claim(claims, k) {
        Ok(v) => v,
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let (exp, nbf, _) = (num("exp"), num("nbf"), num("iat"));
    if let Some(exp) = exp {
        if now > exp.saturating_add(leeway) {
            problems.push(format!("expired {} ({})", relative(exp, now), iso(exp)));
        }
    }
    if let Some(nbf) = nbf {
        if now.saturating_add(leeway) < nbf {
            problems.push(format!(
                "not valid until {} ({})",
                iso(nbf),
                relative(nbf, now)
            ));
        }
    }
    if let Some(want) = iss {
        let got = claims.get("iss").and_then(Value::as_str);
        if got != Some(want) {
            problems.push(format!(
                "issuer is {}, expected `{want}`",
                got.map(|g| format!("`{g}`"))
                    .unwrap_or_else(|| "missing".into())
            ));
        }
    }
    if let Some(want) = aud {
        let ok = match claims.get("aud") {
            Some(Value::String(s)) => s == want,
            Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(want)),
            _ => false,
        };
        if !ok {
            problems.push(format!(
                "audience {} does not include `{want}`",
                claims
                    .get("aud")
                    .map(Value::to_string)
                    .unwrap_or_else(|| "is missing and".into())
            ));
        }
    }
    problems
}

/// Scopes from `scope` (space-separated) or `scp` (array or string).
pub fn scopes(claims: &Map<String, Value>) -> Vec<String> {
    for key in ["scope", "scp", "scopes"] {
        match claims.get(key) {
            Some(Value::String(s)) => {
                return s
                    .split([' ', ','])
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            Some(Value::Array(a)) => {
                return a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            }
            _ => {}
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(v: &str) -> String {
        URL_SAFE_NO_PAD.encode(v)
    }

    #[test]
    fn parts_are_named_in_errors() {
        let e = parse(&format!("{}.%%%.x", enc(r#"{"alg":"HS256"}"#))).unwrap_err();
        assert!(e.message.contains('%'), "{}", e.message);
        let e = parse(&format!("{}.!!!!.x", enc(r#"{"alg":"HS256"}"#))).unwrap_err();
        assert!(e.message.contains("character"), "{}", e.message);
        let e = parse(&format!(
            "{}.{}.",
            enc(r#"{"alg":"HS256"}"#),
            enc("not json")
        ))
        .unwrap_err();
        assert!(e.message.contains("payload (part 2"), "{}", e.message);
        let e = parse("a.b.c.d").unwrap_err();
        assert!(e.message.contains("4 dot-separated parts"));
        assert!(matches!(
            parse("opaque-token-123").unwrap(),
            Token::Opaque { .. }
        ));
    }

    #[test]
    fn alg_none_is_never_valid() {
        let t = format!("{}.{}.", enc(r#"{"alg":"none"}"#), enc(r#"{"sub":"x"}"#));
        let Token::Jws(j) = parse(&t).unwrap() else {
            panic!()
        };
        let e = verify(&j, None, None).unwrap_err();
        assert!(e.message.contains("alg: none"));
    }

    #[test]
    fn hs256_round_trip_and_tamper() {
        let head = enc(r#"{"alg":"HS256","typ":"JWT"}"#);
        let body = enc(r#"{"sub":"1"}"#);
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"k3y");
        let sig = ring::hmac::sign(&key, format!("{head}.{body}").as_bytes());
        let t = format!("{head}.{body}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()));
        let Token::Jws(j) = parse(&t).unwrap() else {
            panic!()
        };
        assert!(verify(&j, None, Some(b"k3y")).is_ok());
        assert!(verify(&j, None, Some(b"other")).is_err());
    }

    #[test]
    fn time_words() {
        assert_eq!(
            describe_time("exp", 1000 + 42 * 60, 1000),
            "expires in 42 min"
        );
        assert_eq!(
            describe_time("exp", 1000, 1000 + 3 * 3600),
            "expired 3 h ago"
        );
    }
}
