//! Who logged in: from the ID token's claims, or the provider's "who am I" endpoint,
//! whatever the shape of its answer.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::Method;
use serde_json::Value;

use super::client_auth::ClientCredentials;
use super::dpop::DpopKey;
use crate::error::{Error, Result};
use crate::http::{Http, HttpRequest};
use crate::provider::{Provider, UserinfoRequest};
use crate::secret::Secret;
use crate::store::TokenSet;

/// Fields that name a user, best first.
const NAME_FIELDS: &[&str] = &[
    "email",
    "mail",
    "preferred_username",
    "username",
    "login",
    "chatwork_id",
    "name",
    "sub",
    "account_id",
    "id",
    "user_id",
];

/// A readable name for the user described by `v` (top level, or under `user`/`data`).
pub fn subject_from(v: &Value) -> Option<String> {
    let candidates = [
        Some(v),
        v.get("user"),
        v.get("data"),
        v.get("account"),
        v.get("data").and_then(|d| d.get("user")),
    ];
    for obj in candidates.into_iter().flatten() {
        for f in NAME_FIELDS {
            match obj.get(*f) {
                Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
                Some(Value::Number(n)) => return Some(n.to_string()),
                _ => {}
            }
        }
    }
    None
}

/// The claims of a JWT, without verifying it (for display only).
pub fn jwt_claims_unverified(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// OpenID Connect Core 5.3.2: the userinfo answer's `sub` must be the ID token's. A
/// warning when it is not (`None` without an ID token, or for an answer that is not
/// JSON).
pub fn sub_mismatch(id_token: Option<&Secret>, body: &[u8]) -> Option<String> {
    let claims = jwt_claims_unverified(id_token?.expose())?;
    let want = claims.get("sub")?;
    let answer: Value = serde_json::from_slice(body).ok()?;
    let got = answer.get("sub");
    if got == Some(want) {
        return None;
    }
    Some(format!(
        "the userinfo answer's `sub` is {}, but the ID token's is {}: OpenID Connect Core 5.3.2 says not to use this answer (another user's token, or a misconfigured server)",
        got.map(Value::to_string).unwrap_or_else(|| "missing".into()),
        want
    ))
}

/// The "who am I" request for `access_token`: a GET with the bearer token, or
/// (`userinfo_request = "form_post"`, Worksection) a form POST of `client_id`,
/// `client_secret` and `access_token`.
pub fn request(
    provider: &Provider,
    endpoint: &str,
    access_token: &Secret,
    client: &ClientCredentials,
) -> Result<HttpRequest> {
    let url = url::Url::parse(endpoint)
        .map_err(|e| Error::input(format!("userinfo_endpoint `{endpoint}` is not a URL: {e}")))?;
    let mut req = match provider.spec.userinfo_request {
        Some(UserinfoRequest::FormPost) => {
            let mut form = vec![("client_id".to_string(), client.client_id.clone())];
            if let Some(s) = &client.client_secret {
                form.push(("client_secret".into(), s.expose().to_string()));
            }
            form.push(("access_token".into(), access_token.expose().to_string()));
            HttpRequest::new(Method::POST, url)
                .header("Accept", "application/json")
                .form(&form)
        }
        _ => HttpRequest::get(url).header(
            "Authorization",
            &format!("Bearer {}", access_token.expose()),
        ),
    };
    // A certificate-bound token (RFC 8705 §3) goes with its certificate.
    req.client_cert = provider.client_cert();
    Ok(req)
}

/// Asks the provider's userinfo endpoint who owns the token (`userinfo_request`:
/// `bearer_get`, or `form_post` with the client's credentials, as Worksection wants).
/// `Ok(None)` when the provider has no such endpoint.
pub async fn fetch_subject(
    http: &Http,
    provider: &Provider,
    tokens: &TokenSet,
    client: &ClientCredentials,
    dpop: Option<&DpopKey>,
) -> Result<Option<String>> {
    let Some(endpoint) = provider.spec.userinfo_endpoint.clone() else {
        return Ok(None);
    };
    let mut req = request(provider, &endpoint, &tokens.access_token, client)?;
    if let (Some(key), "DPoP") = (dpop, tokens.scheme().as_str()) {
        // A DPoP-bound token goes with its scheme and a proof (RFC 9449 §7.1).
        let token = tokens.access_token.expose();
        for (k, v) in req.headers.iter_mut() {
            if k.eq_ignore_ascii_case("authorization") {
                *v = format!("DPoP {token}");
            }
        }
        let now = crate::clock::unix_now();
        let proof = key.proof("GET", &endpoint, None, Some(token), now)?;
        req.headers.push(("DPoP".into(), proof));
    }
    let resp = http.send(req).await?;
    if !resp.is_success() {
        return Err(Error::server(format!(
            "{endpoint} answered {} to the user info request",
            resp.status
        )));
    }
    let v: Value = serde_json::from_slice(&resp.body).map_err(|e| {
        Error::server(format!(
            "the user info answer of {endpoint} is not JSON: {e}"
        ))
    })?;
    Ok(subject_from(&v))
}

/// Who logged in: the ID token's claims, else the provider's "who am I" endpoint
/// (given at most `wait`). `Ok(None)` when neither says.
pub async fn who(
    http: &Http,
    provider: &Provider,
    tokens: &TokenSet,
    client: &ClientCredentials,
    wait: std::time::Duration,
    dpop: Option<&DpopKey>,
) -> Result<Option<String>> {
    if let Some(claims) = tokens
        .id_token
        .as_ref()
        .and_then(|t| jwt_claims_unverified(t.expose()))
    {
        if let Some(s) = subject_from(&claims) {
            return Ok(Some(s));
        }
    }
    match tokio::time::timeout(wait, fetch_subject(http, provider, tokens, client, dpop)).await {
        Ok(r) => r,
        Err(_) => Err(Error::timeout(format!(
            "the user info request took more than {}",
            humantime::format_duration(wait)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_a_name_in_common_shapes() {
        assert_eq!(
            subject_from(&json!({"sub":"x","email":"a@b"})).as_deref(),
            Some("a@b")
        );
        assert_eq!(
            subject_from(&json!({"user":{"username":"alice"}})).as_deref(),
            Some("alice")
        );
        assert_eq!(
            subject_from(&json!({"account_id":123456,"name":"A"})).as_deref(),
            Some("A")
        );
        assert_eq!(
            subject_from(&json!({"id":"11","first_name":"J"})).as_deref(),
            Some("11")
        );
        assert_eq!(subject_from(&json!({"x":1})), None);
    }

    #[test]
    fn userinfo_sub_must_be_the_id_tokens() {
        let idt = Secret::new(format!(
            "eyJhbGciOiJub25lIn0.{}.sig",
            URL_SAFE_NO_PAD.encode(br#"{"sub":"alice"}"#)
        ));
        assert_eq!(sub_mismatch(Some(&idt), br#"{"sub":"alice","x":1}"#), None);
        let w = sub_mismatch(Some(&idt), br#"{"sub":"bob"}"#).unwrap();
        assert!(
            w.contains("\"bob\"") && w.contains("\"alice\"") && w.contains("5.3.2"),
            "{w}"
        );
        assert!(sub_mismatch(Some(&idt), br#"{"name":"x"}"#)
            .unwrap()
            .contains("missing"));
        assert_eq!(sub_mismatch(None, br#"{"sub":"bob"}"#), None);
        assert_eq!(sub_mismatch(Some(&idt), b"not json"), None);
    }

    #[test]
    fn reads_jwt_claims() {
        let jwt = format!(
            "eyJhbGciOiJub25lIn0.{}.sig",
            URL_SAFE_NO_PAD.encode(br#"{"sub":"alice","email":"alice@example.com"}"#)
        );
        let c = jwt_claims_unverified(&jwt).unwrap();
        assert_eq!(subject_from(&c).as_deref(), Some("alice@example.com"));
        assert!(jwt_claims_unverified("nope").is_none());
    }
}
