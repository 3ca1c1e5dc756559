//! Response modes of the authorization endpoint: `query` (the default for a code),
//! `fragment`, `form_post` (an auto-submitting HTML form POSTed to the redirect URI),
//! and JWT-secured responses (JARM: `jwt`, `query.jwt`, `form_post.jwt`), signed with
//! the mock's issuer key; with fault switches that make the JWT wrong on purpose.

use serde_json::{json, Map, Value};

use super::app::App;
use super::errors::OAuthError;
use super::http::{esc, page, Out};
use super::options::JarmFault;

/// The response modes this server answers in.
pub const SUPPORTED: [&str; 6] = [
    "query",
    "fragment",
    "form_post",
    "jwt",
    "query.jwt",
    "form_post.jwt",
];

/// How an answer goes back to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Query,
    Fragment,
    FormPost,
    QueryJwt,
    FormPostJwt,
}

impl Mode {
    /// The mode a request asks for (`jwt`: the default for the response type,
    /// `query.jwt` for a code). Unknown modes are refused.
    pub fn of(response_mode: Option<&str>, response_type: &str) -> Result<Mode, OAuthError> {
        let token = response_type == "token";
        Ok(match response_mode {
            None if token => Mode::Fragment,
            None | Some("query") => Mode::Query,
            Some("fragment") => Mode::Fragment,
            Some("form_post") => Mode::FormPost,
            Some("jwt") | Some("query.jwt") if !token => Mode::QueryJwt,
            Some("form_post.jwt") => Mode::FormPostJwt,
            Some(other) => {
                return Err(OAuthError::invalid_request(format!(
                    "response_mode `{other}` is not supported for response_type `{response_type}`; use one of: {}",
                    SUPPORTED.join(", ")
                )))
            }
        })
    }
}

/// Where and how the answer goes.
pub struct Target<'a> {
    pub redirect: &'a str,
    pub client_id: &'a str,
    pub mode: Mode,
}

/// The answer's parameters in the target's mode.
pub fn answer(app: &App, t: &Target<'_>, pairs: &[(&str, &str)]) -> Out {
    match t.mode {
        Mode::Query => Out::redirect(with_params(t.redirect, pairs, false)),
        Mode::Fragment => Out::redirect(with_params(t.redirect, pairs, true)),
        Mode::FormPost => form_post(t.redirect, pairs),
        Mode::QueryJwt | Mode::FormPostJwt => {
            let jwt = match signed(app, t.client_id, pairs) {
                Ok(j) => j,
                Err(e) => return app.error(&e),
            };
            let pairs = [("response", jwt.as_str())];
            if t.mode == Mode::QueryJwt {
                Out::redirect(with_params(t.redirect, &pairs, false))
            } else {
                form_post(t.redirect, &pairs)
            }
        }
    }
}

/// `uri` with `pairs` added to its query (or put in its fragment).
pub fn with_params(uri: &str, pairs: &[(&str, &str)], fragment: bool) -> String {
    let Ok(mut u) = url::Url::parse(uri) else {
        return uri.to_string();
    };
    if fragment {
        let f = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        u.set_fragment(Some(&f));
    } else {
        let mut q = u.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
        drop(q);
    }
    u.to_string()
}

/// The JARM response: the parameters as claims with `iss`, `aud` and `exp`.
fn signed(app: &App, client_id: &str, pairs: &[(&str, &str)]) -> Result<String, OAuthError> {
    let faults = app.state().faults.jarm.clone();
    let has = |f: JarmFault| faults.contains(&f);
    let now = app.now_secs();
    let mut claims = Map::new();
    let iss = app
        .profile
        .issuer(&app.base)
        .unwrap_or_else(|| app.base.clone());
    claims.insert("iss".into(), json!(iss));
    let aud = if has(JarmFault::WrongAud) {
        "another-client"
    } else {
        client_id
    };
    claims.insert("aud".into(), json!(aud));
    let exp = if has(JarmFault::Expired) {
        now.saturating_sub(3600)
    } else {
        now + 600
    };
    claims.insert("exp".into(), json!(exp));
    for (k, v) in pairs {
        let v = if *k == "state" && has(JarmFault::WrongState) {
            "not-this-logins-state"
        } else {
            v
        };
        claims.insert((*k).to_string(), json!(v));
    }
    let sign = |c: &Value| {
        app.signer
            .sign(c, None)
            .map_err(|e| OAuthError::server_error(e.message))
    };
    let jwt = sign(&Value::Object(claims))?;
    if !has(JarmFault::BadSignature) {
        return Ok(jwt);
    }
    // The signature of other claims: valid base64url, and wrong for these.
    let other = sign(&json!({"iss": "someone-else"}))?;
    let (head, _) = jwt.rsplit_once('.').unwrap_or((jwt.as_str(), ""));
    let (_, sig) = other.rsplit_once('.').unwrap_or(("", other.as_str()));
    Ok(format!("{head}.{sig}"))
}

/// The form_post page (OAuth 2.0 Form Post Response Mode): hidden fields POSTed to the
/// redirect URI on load (and a button for a browser without scripts).
fn form_post(redirect: &str, pairs: &[(&str, &str)]) -> Out {
    let fields: String = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                esc(k),
                esc(v)
            )
        })
        .collect();
    let body = format!(
        "<h1>Returning to the application…</h1><form method=\"post\" action=\"{}\" data-response-mode=\"form_post\">{fields}<noscript><button class=\"ok\" type=\"submit\">Continue</button></noscript></form><script>document.forms[0].submit()</script>",
        esc(redirect)
    );
    Out::new(
        200,
        "text/html; charset=utf-8",
        page("Submit this form", &body),
    )
    .header(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'".into(),
    )
    .header("Cache-Control", "no-store".into())
}
