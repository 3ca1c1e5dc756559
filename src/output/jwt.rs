//! Tokens for people: what `decode` prints, and the decoded tokens under `inspect`.

use serde_json::{Map, Value};

use crate::jwt::describe::{Description, JwsDescription, Signature, Verification};
use crate::text::inert;

/// The last line of a JWT that `decode` did not verify.
pub const NOT_VERIFIED: &str = "Signature: not verified (use --verify)";

/// One token: `name` as the heading, its description, the verdict of a verification
/// (`not_verified` is the line said when there was none), and a blank line.
pub fn token(
    name: &str,
    d: &Description,
    verification: Option<&Verification>,
    not_verified: &str,
) -> String {
    let mut s = String::new();
    match d {
        Description::Jws(j) => {
            jws(&mut s, name, j);
            s.push_str(&verdict(verification, not_verified));
        }
        Description::Jwe {
            header,
            explanation,
        } => {
            s.push_str(&format!("{name}: encrypted JWT (JWE)\n"));
            fields(&mut s, header);
            s.push_str(&format!("{explanation}\n"));
        }
        Description::Opaque {
            length,
            explanation,
            ..
        } => {
            s.push_str(&format!(
                "{name}: opaque token ({length} characters), not a JWT\n{explanation}\n"
            ));
        }
    }
    s.push('\n');
    s
}

/// The heading, the claims people look for first, the header and the claims.
fn jws(s: &mut String, name: &str, j: &JwsDescription) {
    let alg = j.header.get("alg").and_then(Value::as_str).unwrap_or("?");
    let kid = j
        .header
        .get("kid")
        .and_then(Value::as_str)
        .map(|k| format!(", kid {}", inert(k)))
        .unwrap_or_default();
    let alg = inert(alg);
    s.push_str(&format!("{name}: JWT signed with {alg}{kid}\n"));
    if j.unsigned {
        s.push_str("  WARNING: unsigned (alg: none): anyone could have written it\n");
    }
    for (label, v) in [
        ("issuer", &j.issuer),
        ("subject", &j.subject),
        ("audience", &j.audience),
    ] {
        match v {
            None | Some(Value::Null) => {}
            Some(other) => s.push_str(&format!("  {label:<9} {}\n", plain(other))),
        }
    }
    if !j.scopes.is_empty() {
        s.push_str(&format!(
            "  {:<9} {}\n",
            "scopes",
            inert(&j.scopes.join(" "))
        ));
    }
    if let Some(exp) = j.times.get("exp") {
        s.push_str(&format!(
            "  {:<9} {} ({})\n",
            "expiry", exp.utc, exp.relative
        ));
    }
    s.push_str("\nHeader\n");
    fields(s, &j.header);
    s.push_str("\nClaims\n");
    for (k, v) in &j.claims {
        let mut line = format!("  {:<12} {}", inert(k), plain(v));
        if let Some(t) = j.times.get(k) {
            line.push_str(&format!("  ({}, {})", t.utc, t.relative));
        }
        s.push_str(&line);
        s.push('\n');
    }
}

/// The signature's line, and the claims' problems under a valid signature.
fn verdict(verification: Option<&Verification>, not_verified: &str) -> String {
    match verification {
        None => format!("\n{not_verified}\n"),
        Some(Verification::Checked(Signature::Valid {
            alg,
            kid,
            keys_from,
            problems,
            issuer_not_pinned,
            ..
        })) => {
            let from = keys_from
                .as_deref()
                .map(|f| format!(" with a key from {f}"))
                .unwrap_or_default();
            let kid = kid
                .as_deref()
                .map(|k| format!(", kid {}", inert(k)))
                .unwrap_or_default();
            let mut s = format!("\nSignature: valid ({}{kid}){from}\n", inert(alg));
            if let Some(why) = issuer_not_pinned {
                s.push_str(&format!("Keys: {why}\n"));
            }
            for p in problems {
                s.push_str(&format!("Claims: {}\n", inert(p)));
            }
            s
        }
        Some(Verification::Opaque { alone: false }) => String::new(),
        Some(Verification::Checked(Signature::Invalid { reason, .. })) => {
            format!("\nSignature: INVALID: {}\n", inert(reason))
        }
        Some(Verification::Encrypted) => "\nSignature: INVALID: encrypted (JWE)\n".into(),
        Some(Verification::Opaque { alone: true }) => "\nSignature: INVALID: opaque\n".into(),
    }
}

fn fields(s: &mut String, m: &Map<String, Value>) {
    for (k, v) in m {
        s.push_str(&format!("  {:<12} {}\n", inert(k), plain(v)));
    }
}

/// A claim's value as text, inert (a token's claims are anyone's words).
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => inert(s),
        other => inert(&other.to_string()),
    }
}
