//! What `decode` is given: a token as pasted (`Bearer …`, an `Authorization:` header, a
//! whole token response JSON, or the bare token), and the HMAC secret (`@FILE`,
//! `env:VAR` or `-`, never the secret itself).

use std::io::Read;

use serde_json::Value;

use crate::error::{Error, Result};

/// Fields of a token response that hold tokens.
pub const TOKEN_FIELDS: &[&str] = &[
    "access_token",
    "id_token",
    "refresh_token",
    "api_key",
    "token",
];

/// The name a bare token goes by.
pub const BARE: &str = "token";

/// The tokens in `input` with their names: `Bearer …`, `Authorization: Bearer …`, a
/// token response JSON (each of its token fields), or a bare token (named `token`).
pub fn split(input: &str) -> Result<Vec<(String, String)>> {
    let mut s = input.trim();
    if let Some(rest) = strip_prefix_ci(s, "authorization:") {
        s = rest.trim();
    }
    if let Some(rest) = strip_prefix_ci(s, "bearer ") {
        s = rest.trim();
    }
    if s.starts_with('{') {
        let v: Value = serde_json::from_str(s).map_err(|e| {
            Error::input(format!("the input starts with `{{` but is not JSON: {e}"))
                .with_hint("pass a token, `Bearer TOKEN`, or a whole token response JSON")
        })?;
        let mut found = Vec::new();
        collect_tokens(&v, &mut found);
        if found.is_empty() {
            return Err(Error::input(format!(
                "the JSON holds none of the fields {}",
                TOKEN_FIELDS.join(", ")
            )));
        }
        return Ok(found);
    }
    Ok(vec![(BARE.to_string(), s.to_string())])
}

fn collect_tokens(v: &Value, found: &mut Vec<(String, String)>) {
    if let Value::Object(m) = v {
        for f in TOKEN_FIELDS {
            if let Some(Value::String(t)) = m.get(*f) {
                found.push(((*f).to_string(), t.clone()));
            }
        }
        // An envelope such as Onboardbase's {data: {...}}.
        if let Some(inner @ Value::Object(_)) = m.get("data") {
            collect_tokens(inner, found);
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    // `get`, not `[..]`: a pasted text may hold a multi-byte character there.
    match (s.get(..prefix.len()), s.get(prefix.len()..)) {
        (Some(head), Some(rest)) if head.eq_ignore_ascii_case(prefix) => Some(rest),
        _ => None,
    }
}

/// The secret from `@FILE`, `env:VAR` or `-` (stdin, unless the token comes from
/// there: `token_arg` is the token argument, `None` or `-` meaning stdin); never the
/// secret itself. Trailing line breaks are dropped.
pub fn read_secret(src: &str, token_arg: Option<&str>) -> Result<Vec<u8>> {
    let trim = |mut v: Vec<u8>| {
        while v.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            v.pop();
        }
        v
    };
    if let Some(path) = src.strip_prefix('@') {
        return std::fs::read(path)
            .map(trim)
            .map_err(|e| Error::input(format!("cannot read the secret from {path}: {e}")));
    }
    if let Some(var) = src.strip_prefix("env:") {
        return std::env::var(var)
            .map(|v| trim(v.into_bytes()))
            .map_err(|_| Error::input(format!("the environment variable {var} is not set")));
    }
    if src == "-" {
        if token_arg.is_none() || token_arg == Some("-") {
            return Err(
                Error::usage("stdin cannot carry both the token and the secret").with_hint(
                    "pass the token as an argument, or the secret with @FILE or env:VAR",
                ),
            );
        }
        let mut v = Vec::new();
        std::io::stdin()
            .take(1024 * 1024)
            .read_to_end(&mut v)
            .map_err(|e| Error::input(format!("cannot read the secret from stdin: {e}")))?;
        return Ok(trim(v));
    }
    Err(
        Error::usage("--secret takes @FILE, env:VAR or - (stdin), never the secret itself")
            .with_hint("a secret on the command line ends up in shell history and in `ps`"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_headers_and_token_responses_are_split() {
        assert_eq!(
            split("Authorization: Bearer abc").unwrap(),
            vec![("token".to_string(), "abc".to_string())]
        );
        let found = split(r#"{"data": {"access_token": "a", "refresh_token": "r"}}"#).unwrap();
        assert_eq!(
            found,
            vec![
                ("access_token".to_string(), "a".to_string()),
                ("refresh_token".to_string(), "r".to_string())
            ]
        );
        assert!(split(r#"{"x": 1}"#).is_err());
    }

    #[test]
    fn a_secret_is_never_taken_from_the_argument() {
        let e = read_secret("hunter2", Some("t")).unwrap_err();
        assert!(
            e.message.contains("never the secret itself"),
            "{}",
            e.message
        );
        assert!(read_secret("-", Some("-")).is_err());
    }
}
