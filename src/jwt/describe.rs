//! A token described for people and for `--json` (the shape `decode` and `inspect`
//! document): its kind, header, claims, the time claims in words, and what a
//! verification found.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::jwt::{self, Jwks, Jws, Token};
use crate::redact;

/// The claims that are times, in the order they are described.
pub const TIME_CLAIMS: &[&str] = &["exp", "iat", "nbf", "auth_time"];

const JWE_EXPLANATION: &str = "an encrypted JWT (JWE): its claims are encrypted for the recipient named in the header; only the holder of the decryption key can read them, and oauthctl does not decrypt";
const OPAQUE_EXPLANATION: &str = "an opaque token, not a JWT: only the server that issued it can tell what it means (ask its introspection endpoint, RFC 7662)";

/// A time claim: Unix time, UTC and in words ("expires in 42 min").
#[derive(Debug, Clone, Serialize)]
pub struct Time {
    pub unix: i64,
    pub utc: String,
    pub relative: String,
}

/// The time claims of a token, in the order of `TIME_CLAIMS`.
#[derive(Debug, Clone, Default)]
pub struct Times(pub Vec<(String, Time)>);

impl Times {
    pub fn get(&self, claim: &str) -> Option<&Time> {
        self.0.iter().find(|(c, _)| c == claim).map(|(_, t)| t)
    }
}

impl Serialize for Times {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (claim, time) in &self.0 {
            m.serialize_entry(claim, time)?;
        }
        m.end()
    }
}

/// What a token is, as far as can be read without a key.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Description {
    Jws(Box<JwsDescription>),
    Jwe {
        header: Map<String, Value>,
        explanation: &'static str,
    },
    Opaque {
        length: usize,
        looks_like: String,
        explanation: &'static str,
    },
}

/// A signed JWT: header, claims, and the claims people look for first.
#[derive(Debug, Clone, Serialize)]
pub struct JwsDescription {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    pub times: Times,
    pub issuer: Option<Value>,
    pub subject: Option<Value>,
    pub audience: Option<Value>,
    pub scopes: Vec<String>,
    pub unsigned: bool,
    pub signature_bytes: usize,
}

impl Description {
    /// `raw` is the token as given (the start of an opaque one is shown).
    pub fn of(t: &Token, raw: &str, now: i64) -> Description {
        match t {
            Token::Jws(j) => Description::Jws(Box::new(JwsDescription::of(j, now))),
            Token::Jwe { header } => Description::Jwe {
                header: header.clone(),
                explanation: JWE_EXPLANATION,
            },
            Token::Opaque { len } => Description::Opaque {
                length: *len,
                looks_like: if raw.len() >= 8 {
                    // Characters, not bytes: a pasted token may be anything.
                    format!(
                        "{}…",
                        crate::text::inert(&raw.chars().take(4).collect::<String>())
                    )
                } else {
                    String::new()
                },
                explanation: OPAQUE_EXPLANATION,
            },
        }
    }

    /// `jws`, `jwe` or `opaque`, as in the JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Description::Jws(_) => "jws",
            Description::Jwe { .. } => "jwe",
            Description::Opaque { .. } => "opaque",
        }
    }
}

impl JwsDescription {
    pub fn of(j: &Jws, now: i64) -> JwsDescription {
        let mut times = Vec::new();
        for c in TIME_CLAIMS {
            if let Some(ts) = j.claims.get(*c).and_then(Value::as_f64) {
                let ts = ts as i64;
                times.push((
                    (*c).to_string(),
                    Time {
                        unix: ts,
                        utc: jwt::iso(ts),
                        relative: jwt::describe_time(c, ts, now),
                    },
                ));
            }
        }
        JwsDescription {
            header: j.header.clone(),
            claims: j.claims.clone(),
            times: Times(times),
            issuer: j.claims.get("iss").cloned(),
            subject: j.claims.get("sub").cloned(),
            audience: j.claims.get("aud").cloned(),
            scopes: jwt::scopes(&j.claims),
            unsigned: j.alg().eq_ignore_ascii_case("none"),
            signature_bytes: j.signature.len(),
        }
    }
}

/// A token described, with the verdict when it was verified.
#[derive(Debug, Clone, Serialize)]
pub struct Decoded {
    #[serde(flatten)]
    pub description: Description,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

/// What the signature check found.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "signature", rename_all = "lowercase")]
pub enum Signature {
    /// The signature holds; the token is valid when its claims do too.
    Valid {
        alg: String,
        kid: Option<String>,
        keys_from: Option<String>,
        problems: Vec<String>,
        valid: bool,
        /// Set when the keys came from the token's own issuer (`--trust-token-issuer`).
        #[serde(skip_serializing_if = "Option::is_none")]
        issuer_not_pinned: Option<String>,
    },
    /// The signature does not hold (`valid` is always false).
    Invalid {
        valid: bool,
        reason: String,
        problems: Vec<String>,
    },
}

/// The verdict of `decode --verify` on one token.
#[derive(Debug, Clone)]
pub enum Verification {
    Checked(Signature),
    /// A JWE: it cannot be verified without decrypting it.
    Encrypted,
    /// An opaque token; `alone` when it is the only token given (then it is a failure,
    /// among others it is just not verified).
    Opaque {
        alone: bool,
    },
}

impl Serialize for Verification {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (valid, reason) = match self {
            Verification::Checked(sig) => return sig.serialize(s),
            Verification::Encrypted => (Some(false), "encrypted (JWE)"),
            Verification::Opaque { alone: true } => (Some(false), "opaque"),
            Verification::Opaque { alone: false } => (None, "opaque: nothing to verify"),
        };
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("valid", &valid)?;
        m.serialize_entry("reason", reason)?;
        m.end()
    }
}

/// What the claims must satisfy besides the signature.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    pub now: i64,
    /// Seconds of clock skew allowed on `exp` and `nbf`.
    pub leeway: i64,
    pub iss: Option<&'a str>,
    pub aud: Option<&'a str>,
}

/// Whether verifying `jws` takes a key set (not for HS* and `alg: none`).
pub fn needs_jwks(jws: &Jws) -> bool {
    !(jws.alg().starts_with("HS") || jws.alg().eq_ignore_ascii_case("none"))
}

impl Verification {
    /// Checks the signature (with `jwks`, naming where it came from, or `secret`)
    /// and the claims.
    pub fn check(
        jws: &Jws,
        jwks: Option<(&Jwks, &str)>,
        secret: Option<&[u8]>,
        rules: &Rules<'_>,
    ) -> Verification {
        let problems =
            jwt::check_claims(&jws.claims, rules.now, rules.leeway, rules.iss, rules.aud);
        Verification::Checked(match jwt::verify(jws, jwks.map(|(j, _)| j), secret) {
            Ok(v) => Signature::Valid {
                alg: v.alg,
                kid: v.kid,
                keys_from: jwks.map(|(_, from)| from.to_string()),
                valid: problems.is_empty(),
                problems,
                issuer_not_pinned: None,
            },
            Err(e) => Signature::Invalid {
                valid: false,
                reason: e.message,
                problems,
            },
        })
    }

    /// The verdict marked: its keys came from the token's own issuer.
    pub fn unpinned(mut self, why: &str) -> Verification {
        if let Verification::Checked(Signature::Valid {
            issuer_not_pinned, ..
        }) = &mut self
        {
            *issuer_not_pinned = Some(why.to_string());
        }
        self
    }

    /// Why the token must not be trusted; `None` when it may be (or was not verified).
    pub fn failure(&self) -> Option<String> {
        match self {
            Verification::Checked(Signature::Valid { problems, .. }) if !problems.is_empty() => {
                Some(problems.join("; "))
            }
            Verification::Checked(Signature::Valid { .. }) => None,
            Verification::Checked(Signature::Invalid { reason, .. }) => Some(reason.clone()),
            Verification::Encrypted => {
                Some("an encrypted token (JWE) cannot be verified without decrypting it".into())
            }
            Verification::Opaque { alone: true } => {
                Some("an opaque token has no signature to verify".into())
            }
            Verification::Opaque { alone: false } => None,
        }
    }
}

/// A stored token as `inspect` shows it: its value (masked unless shown), its length,
/// its kind, and the decoded JWT (or why a dotted token is not one).
#[derive(Debug, Clone, Serialize)]
pub struct StoredToken {
    pub value: String,
    pub length: usize,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded: Option<Description>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl StoredToken {
    pub fn of(raw: &str, show: bool, now: i64) -> StoredToken {
        let mut out = StoredToken {
            value: if show {
                raw.to_string()
            } else {
                redact::mask(raw)
            },
            length: raw.len(),
            kind: "opaque",
            decoded: None,
            note: None,
        };
        match jwt::parse(raw) {
            Ok(Token::Opaque { .. }) => {}
            Ok(tok) => {
                let d = Description::of(&tok, raw, now);
                out.kind = d.kind();
                out.decoded = Some(d);
            }
            // Dotted but not a JWT (some servers' opaque formats): say so, do not fail.
            Err(e) => out.note = Some(format!("not a JWT: {}", e.message)),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verdicts_keep_their_documented_keys_and_order() {
        let keys = |v: &Verification| -> Vec<String> {
            match serde_json::to_value(v).unwrap() {
                Value::Object(m) => m.keys().cloned().collect(),
                other => panic!("{other}"),
            }
        };
        let valid = Verification::Checked(Signature::Valid {
            alg: "RS256".into(),
            kid: None,
            keys_from: Some("jwks.json".into()),
            problems: vec![],
            valid: true,
            issuer_not_pinned: None,
        });
        assert_eq!(
            keys(&valid),
            ["signature", "alg", "kid", "keys_from", "problems", "valid"]
        );
        let invalid = Verification::Checked(Signature::Invalid {
            valid: false,
            reason: "bad".into(),
            problems: vec!["expired".into()],
        });
        assert_eq!(keys(&invalid), ["signature", "valid", "reason", "problems"]);
        assert_eq!(invalid.failure().as_deref(), Some("bad"));
        assert_eq!(
            serde_json::to_value(Verification::Opaque { alone: false }).unwrap(),
            json!({"valid": null, "reason": "opaque: nothing to verify"})
        );
        assert_eq!(Verification::Opaque { alone: false }.failure(), None);
    }

    #[test]
    fn the_kind_comes_first_and_the_verdict_last() {
        let d = Decoded {
            description: Description::of(&Token::Opaque { len: 10 }, "abcdefghij", 0),
            verification: Some(Verification::Opaque { alone: true }),
        };
        let v = serde_json::to_value(&d).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "kind",
                "length",
                "looks_like",
                "explanation",
                "verification"
            ]
        );
        assert_eq!(v["looks_like"], "abcd…");
        assert_eq!(v["verification"]["valid"], false);
    }
}
