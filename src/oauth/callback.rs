//! The URL an authorization server redirected the browser to (RFC 6749 §4.1.2), as a
//! user pastes it: the code, the state, or the error, and where it was sent.

use crate::error::{Error, Result};

/// What a pasted redirect carried.
#[derive(Debug, PartialEq)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    /// `error`, `error_description`, `error_uri`.
    pub error: Option<(String, Option<String>, Option<String>)>,
    /// The address it was sent to: the redirect URI (without query and fragment).
    pub target: String,
}

pub fn parse_callback(raw: &str) -> Result<Callback> {
    let u = url::Url::parse(raw.trim()).map_err(|e| {
        Error::input(format!("--callback-url is not a URL: {e}")).with_hint(
            "paste the whole address the browser was redirected to, in quotes: --callback-url 'http://127.0.0.1:8765/callback?code=…&state=…'",
        )
    })?;
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Some(f) = u.fragment() {
        pairs.extend(
            url::form_urlencoded::parse(f.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned())),
        );
    }
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let mut target = u.clone();
    target.set_query(None);
    target.set_fragment(None);
    Ok(Callback {
        code: get("code"),
        state: get("state"),
        error: get("error").map(|e| {
            let inert = |v: Option<String>| v.map(|v| crate::text::untrusted(&v));
            (
                crate::text::untrusted(&e),
                inert(get("error_description")),
                inert(get("error_uri")),
            )
        }),
        target: target.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_give_code_state_target_or_error() {
        let c = parse_callback("http://127.0.0.1:8765/callback?code=abc&state=s1").unwrap();
        assert_eq!(c.code.as_deref(), Some("abc"));
        assert_eq!(c.state.as_deref(), Some("s1"));
        assert_eq!(c.target, "http://127.0.0.1:8765/callback");
        assert!(c.error.is_none());
        let c = parse_callback("https://app.example/cb#error=access_denied&state=s").unwrap();
        assert_eq!(c.error.unwrap().0, "access_denied");
        assert!(parse_callback("not a url").is_err());
    }
}
