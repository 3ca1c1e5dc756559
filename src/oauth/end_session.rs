//! RP-Initiated Logout 1.0: the URL that ends the user's session at the server
//! (`end_session_endpoint`), opened in the browser by `logout --end-session`.

use super::pkce;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// The end-session request.
#[derive(Debug, Clone)]
pub struct EndSession {
    pub url: url::Url,
    /// The `state` sent with a `post_logout_redirect_uri`.
    pub state: Option<String>,
}

/// The URL of `endpoint` with `id_token_hint` (when the session holds an ID token),
/// `client_id`, and `post_logout_redirect_uri` with a fresh `state` only when one is
/// configured (the server sends the browser there only if it is registered).
pub fn build(
    endpoint: &str,
    id_token: Option<&Secret>,
    client_id: &str,
    post_logout_redirect_uri: Option<&str>,
) -> Result<EndSession> {
    let mut url = url::Url::parse(endpoint).map_err(|e| {
        Error::input(format!(
            "end_session_endpoint `{endpoint}` is not a URL: {e}"
        ))
    })?;
    let state = post_logout_redirect_uri.map(|_| pkce::state());
    {
        let mut q = url.query_pairs_mut();
        if let Some(t) = id_token {
            q.append_pair("id_token_hint", t.expose());
        }
        q.append_pair("client_id", client_id);
        if let (Some(uri), Some(s)) = (post_logout_redirect_uri, &state) {
            q.append_pair("post_logout_redirect_uri", uri);
            q.append_pair("state", s);
        }
    }
    Ok(EndSession { url, state })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_and_client_always_the_redirect_only_when_configured() {
        let t = Secret::new("a.b.c");
        let e = build("https://op.example/logout?x=1", Some(&t), "cli", None).unwrap();
        assert_eq!(
            e.url.as_str(),
            "https://op.example/logout?x=1&id_token_hint=a.b.c&client_id=cli"
        );
        assert!(e.state.is_none());
        let e = build(
            "https://op.example/logout",
            None,
            "cli",
            Some("http://127.0.0.1:9/bye"),
        )
        .unwrap();
        let q: Vec<(String, String)> = e.url.query_pairs().into_owned().collect();
        assert_eq!(q[0], ("client_id".into(), "cli".into()));
        assert_eq!(
            q[1],
            (
                "post_logout_redirect_uri".into(),
                "http://127.0.0.1:9/bye".into()
            )
        );
        assert_eq!(Some(&q[2].1), e.state.as_ref());
        assert!(build("not a url", None, "cli", None).is_err());
    }
}
