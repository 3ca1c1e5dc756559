//! Rich authorization requests (RFC 9396): `authorization_details`, a JSON array of
//! objects that each have a string `type`, sent in the authorization request or the
//! token request; the server's grant comes back in the token response (kept with the
//! tokens as a standard extra field, `token::STANDARD_EXTRA_FIELDS`).

use serde_json::Value;

use crate::error::{Error, Result};

/// The parameter name (RFC 9396 §2).
pub const PARAM: &str = "authorization_details";

fn invalid(why: impl std::fmt::Display) -> Error {
    Error::input(format!("--authorization-details: {why}")).with_hint(
        "give a JSON array of objects, each with a `type`, e.g. --authorization-details '[{\"type\":\"payment_initiation\",\"actions\":[\"initiate\"]}]', or @FILE",
    )
}

/// `--authorization-details JSON|@FILE`, checked (RFC 9396 §2) and made compact.
pub fn parse(src: &str) -> Result<String> {
    let text = match src.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            Error::input(format!(
                "cannot read --authorization-details from {path}: {e}"
            ))
        })?,
        None => src.to_string(),
    };
    let v: Value = serde_json::from_str(&text).map_err(|e| invalid(format!("not JSON: {e}")))?;
    let Value::Array(items) = &v else {
        return Err(invalid("not a JSON array"));
    };
    if items.is_empty() {
        return Err(invalid("the array is empty"));
    }
    for (i, item) in items.iter().enumerate() {
        let Value::Object(o) = item else {
            return Err(invalid(format!("element {i} is not an object")));
        };
        match o.get("type") {
            Some(Value::String(t)) if !t.is_empty() => {}
            _ => return Err(invalid(format!("element {i} has no string `type`"))),
        }
    }
    Ok(v.to_string())
}

/// `params` with `authorization_details` added (or replaced) when `src` is given.
pub fn with_param(
    mut params: Vec<(String, String)>,
    src: Option<&str>,
) -> Result<Vec<(String, String)>> {
    if let Some(src) = src {
        let value = parse(src)?;
        params.retain(|(k, _)| k != PARAM);
        params.push((PARAM.to_string(), value));
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_of_typed_objects_is_accepted_and_anything_else_refused() {
        assert_eq!(
            parse(r#" [ {"type": "a", "x": 1} ] "#).unwrap(),
            r#"[{"type":"a","x":1}]"#
        );
        for bad in ["{}", "[]", "[1]", r#"[{"x":1}]"#, r#"[{"type":2}]"#, "nope"] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 3, "{bad}");
        }
    }
}
