//! Token responses, whatever the provider's envelope, field names or expiry format,
//! normalised into a `TokenSet`; and the parameters that grants share (scope, client
//! credentials, overrides). Requests are built by `client_auth`, errors modelled by
//! `error`, and sent by `crate::flow::token`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::http::HttpResponse;
use crate::oauth::error::{str_field, value_str, ErrorFormat, OAuthError};
use crate::provider::{ExpiresIn, Provider};
use crate::secret::Secret;
use crate::store::TokenSet;

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                // Saturates: 1e300 seconds is "for ever", not a panic.
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
}

/// A lifetime field as the server sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    Absent,
    /// Seconds (or a Unix time, by the provider's `expires_in_format`).
    Seconds(u64),
    /// Negative, not a number, or not finite: treated as already expired.
    Invalid,
}

/// Reads `expires_in` (or `expires_at`): a missing or `null` field is absent; a
/// negative, fractional-negative, non-numeric or non-finite one is invalid.
pub fn lifetime(v: Option<&Value>) -> Lifetime {
    match v {
        None | Some(Value::Null) => Lifetime::Absent,
        Some(v) => as_u64(v).map_or(Lifetime::Invalid, Lifetime::Seconds),
    }
}

/// RFC 6749 A.12/A.17: a token is 1*VSCHAR (printable ASCII, no control character).
pub fn is_token_syntax(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// RFC 6749 A.7: a token type is a name (`-._`, digits, letters) or a URI: printable,
/// no space, no control character.
pub fn is_token_type_syntax(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// What to say about tokens that came without a usable lifetime (an `expires_in` that
/// was negative or not a number is taken as "expired now"), for the commands whose
/// token request reports no events (`refresh`, `login --device`).
pub fn born_expired(t: &TokenSet, now: u64) -> Option<&'static str> {
    t.expires_at.is_some_and(|e| e <= now).then_some(
        "the server gave the new access token no valid lifetime (expires_in negative, not a number, or already past): it is taken as expired and will be refreshed when next used",
    )
}

/// A stored session's token type and tokens, checked again before they are printed
/// (`token`, `header`): a session written before the answer was checked, or edited by
/// hand, must not inject a header or a line.
pub fn check_stored(t: &TokenSet) -> crate::error::Result<()> {
    let bad = |what: &str| {
        crate::error::Error::input(format!(
            "the stored {what} holds characters RFC 6749 does not allow (a space, CR, LF or control character); it is not printed"
        ))
        .with_hint("log in again to replace the session (`oauthctl login`); if the server sent it, report it to its administrators")
    };
    if !is_token_type_syntax(&t.scheme()) {
        return Err(bad("token_type"));
    }
    if !is_token_syntax(t.access_token.expose()) {
        return Err(bad("access token"));
    }
    if t.id_token
        .as_ref()
        .is_some_and(|i| !is_token_syntax(i.expose()))
    {
        return Err(bad("ID token"));
    }
    Ok(())
}

/// Reads a token answer: any 2xx with the token is a success; everything else is an
/// `OAuthError`. `now` is a Unix time; `requested` are the scopes asked for.
pub fn parse_response(
    provider: &Provider,
    resp: &HttpResponse,
    now: u64,
    requested: &[String],
) -> std::result::Result<TokenSet, OAuthError> {
    parse_response_warned(provider, resp, now, requested).map(|(t, _)| t)
}

/// [`parse_response`], with the warnings about what was accepted anyway (an invalid
/// `expires_in` taken as "expired").
pub fn parse_response_warned(
    provider: &Provider,
    resp: &HttpResponse,
    now: u64,
    requested: &[String],
) -> std::result::Result<(TokenSet, Vec<String>), OAuthError> {
    if !resp.is_success() {
        return Err(OAuthError::parse(provider, resp));
    }
    let body = resp.text();
    let top = top_object(provider, resp)?;
    if let Some(e) = error_in_success(provider, resp, &top, &body) {
        return Err(e);
    }
    let access_field = provider
        .spec
        .access_token_field
        .as_deref()
        .unwrap_or("access_token");
    let obj = token_object(provider, resp, &top, access_field, &body)?;
    let Some(access) = str_field(obj, access_field) else {
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        return Err(unusable(
            resp,
            &body,
            format!(
                "the answer has no `{access_field}` (fields: {})",
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            ),
        ));
    };
    check_syntax(resp, &body, obj, access_field)?;
    let mut warnings = Vec::new();
    let expires_at = match lifetime(obj.get("expires_in")) {
        Lifetime::Seconds(v) => Some(match provider.spec.expires_in_format {
            Some(ExpiresIn::Absolute) => v,
            _ => now.saturating_add(v),
        }),
        Lifetime::Invalid => {
            warnings.push(format!(
                "the server's expires_in ({}) is not a number of seconds: the access token is taken as expired",
                crate::text::untrusted(&obj.get("expires_in").map(Value::to_string).unwrap_or_default())
            ));
            Some(now)
        }
        Lifetime::Absent => match lifetime(obj.get("expires_at")) {
            Lifetime::Seconds(v) => Some(v),
            Lifetime::Invalid => {
                warnings.push(
                    "the server's expires_at is not a Unix time: the access token is taken as expired"
                        .into(),
                );
                Some(now)
            }
            Lifetime::Absent => None,
        },
    };
    let (extra, secret_extra) = extra_fields(provider, obj, &top);
    let tokens = TokenSet {
        access_token: Secret::new(access),
        token_type: str_field(obj, "token_type").unwrap_or_else(|| "Bearer".into()),
        refresh_token: str_field(obj, "refresh_token").map(Secret::new),
        expires_at,
        scopes: granted_scopes(provider, obj, requested),
        id_token: str_field(obj, "id_token").map(Secret::new),
        extra,
        secret_extra,
        id_token_check: None,
    };
    Ok((tokens, warnings))
}

/// The token type and the tokens must be what RFC 6749 and RFC 6750 allow: a CR or LF
/// in them would inject a header (`header`) or a line (`token`).
fn check_syntax(
    resp: &HttpResponse,
    body: &str,
    obj: &Map<String, Value>,
    access_field: &str,
) -> std::result::Result<(), OAuthError> {
    if let Some(t) = str_field(obj, "token_type") {
        if !is_token_type_syntax(&t) {
            return Err(unusable(
                resp,
                body,
                format!(
                    "the token_type `{}` is not a token type name (RFC 6749 A.7: printable characters, no space, CR, LF or control character)",
                    crate::text::untrusted(&t)
                ),
            ));
        }
    }
    for field in [access_field, "refresh_token", "id_token"] {
        if let Some(t) = str_field(obj, field) {
            if !is_token_syntax(&t) {
                return Err(unusable(
                    resp,
                    body,
                    format!(
                        "the `{field}` holds characters a token may not have (RFC 6749 A.12: printable ASCII only, no CR, LF or control character)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// An `invalid_token_response` error: the answer is a success without a usable token.
fn unusable(resp: &HttpResponse, body: &str, description: String) -> OAuthError {
    let mut e = OAuthError::new(
        resp.status,
        "invalid_token_response".into(),
        ErrorFormat::Unusable,
        body,
    );
    e.description = Some(description);
    e.inert()
}

/// The answer's top-level object: JSON, or a form-encoded body when the server says so.
fn top_object(
    provider: &Provider,
    resp: &HttpResponse,
) -> std::result::Result<Map<String, Value>, OAuthError> {
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(o)) => Ok(o),
        _ if resp
            .content_type()
            .is_some_and(|c| c.contains("x-www-form-urlencoded")) =>
        {
            Ok(url::form_urlencoded::parse(&resp.body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect())
        }
        _ => {
            let mut e = OAuthError::parse(provider, resp);
            e.format = if e.format == ErrorFormat::Html {
                ErrorFormat::Html
            } else {
                ErrorFormat::Unusable
            };
            e.error = "invalid_token_response".into();
            e.description = Some(format!(
                "the answer is not a JSON object: {}",
                e.description.unwrap_or_default()
            ));
            Err(e)
        }
    }
}

/// An error carried by a 2xx answer (`{data: null, errors: [...]}`, or `error`).
fn error_in_success(
    provider: &Provider,
    resp: &HttpResponse,
    top: &Map<String, Value>,
    body: &str,
) -> Option<OAuthError> {
    if let Some(Value::Array(errors)) = top.get("errors") {
        if !errors.is_empty() {
            if let Some(e) = OAuthError::from_json(provider, resp.status, top, body) {
                return Some(e);
            }
        }
    }
    if top.get("error").is_some_and(|e| !e.is_null()) {
        return OAuthError::from_json(provider, resp.status, top, body);
    }
    None
}

/// The object that holds the token fields: the provider's envelope, or the answer.
fn token_object<'a>(
    provider: &Provider,
    resp: &HttpResponse,
    top: &'a Map<String, Value>,
    access_field: &str,
    body: &str,
) -> std::result::Result<&'a Map<String, Value>, OAuthError> {
    match provider.spec.token_response_envelope.as_deref() {
        Some(env) => match top.get(env) {
            Some(Value::Object(o)) => Ok(o),
            // Tolerate a server that answers without the envelope.
            _ if top.contains_key(access_field) => Ok(top),
            _ => Err(unusable(
                resp,
                body,
                format!("the answer has no `{env}` object"),
            )),
        },
        None => Ok(top),
    }
}

/// The granted scopes: the provider's scope field (a string or an array), else the
/// scopes asked for (RFC 6749 §5.1).
fn granted_scopes(
    provider: &Provider,
    obj: &Map<String, Value>,
    requested: &[String],
) -> Vec<String> {
    let scope_field = provider.spec.scope_field.as_deref().unwrap_or("scope");
    let granted = granted_raw(provider, obj, requested, scope_field);
    // RFC 6749 §3.3: a scope token is printable ASCII; anything else is shown inert.
    granted.iter().map(|s| crate::text::inert(s)).collect()
}

fn granted_raw(
    provider: &Provider,
    obj: &Map<String, Value>,
    requested: &[String],
    scope_field: &str,
) -> Vec<String> {
    match obj.get(scope_field) {
        Some(Value::String(s)) => {
            let sep = provider.scope_separator();
            s.split(|c: char| c.is_whitespace() || sep.contains(c))
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        }
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => requested.to_vec(),
    }
}

/// Token response fields of OAuth extensions kept with the tokens whatever the
/// provider: `issued_token_type` (RFC 8693), `authorization_details` (RFC 9396).
pub const STANDARD_EXTRA_FIELDS: &[&str] = &["issued_token_type", "authorization_details"];

/// The provider's extra token fields kept in the session, and its secret ones.
fn extra_fields(
    provider: &Provider,
    obj: &Map<String, Value>,
    top: &Map<String, Value>,
) -> (BTreeMap<String, Value>, BTreeMap<String, Secret>) {
    let mut extra = BTreeMap::new();
    // Standard extension fields, kept for every provider: the type of an exchanged
    // token (RFC 8693 §2.2.1) and the authorization details granted (RFC 9396 §7).
    for f in STANDARD_EXTRA_FIELDS {
        if let Some(v) = obj.get(*f).filter(|v| !v.is_null()) {
            extra.insert((*f).to_string(), v.clone());
        }
    }
    for f in provider.spec.extra_token_fields.iter().flatten() {
        if let Some(v) = obj.get(f).or_else(|| top.get(f)) {
            if !v.is_null() {
                extra.insert(f.clone(), v.clone());
            }
        }
    }
    let mut secret_extra = BTreeMap::new();
    for f in provider.spec.secret_fields.iter().flatten() {
        if let Some(v) = obj.get(f).and_then(value_str) {
            secret_extra.insert(f.clone(), Secret::new(v));
        }
    }
    (extra, secret_extra)
}

/// The scope parameter for `scopes`, in the provider's name and separator.
pub fn scope_param(provider: &Provider, scopes: &[String]) -> Option<(String, String)> {
    (!scopes.is_empty()).then(|| {
        (
            provider.scope_param().to_string(),
            scopes.join(provider.scope_separator()),
        )
    })
}

/// `extra` added to `params`, replacing parameters of the same name.
pub fn merge_params(params: &mut Vec<(String, String)>, extra: &[(String, String)]) {
    for (k, v) in extra {
        if let Some(slot) = params.iter_mut().find(|(x, _)| x == k) {
            slot.1 = v.clone();
        } else {
            params.push((k.clone(), v.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpRequest;
    use crate::oauth::assertion::JWT_BEARER;
    use crate::oauth::client_auth::{build_request, ClientCredentials};
    use crate::provider::ClientAuth;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use reqwest::Method;

    fn provider(name: &str) -> Provider {
        let mut p = Provider::from_preset(name).expect("a preset");
        p.spec.client_id = Some("cid".into());
        p
    }

    fn creds(secret: Option<&str>) -> ClientCredentials {
        ClientCredentials {
            client_id: "cid".into(),
            client_secret: secret.map(Secret::new),
        }
    }

    fn params() -> Vec<(String, String)> {
        vec![
            ("grant_type".into(), "authorization_code".into()),
            ("code".into(), "c0de".into()),
            ("redirect_uri".into(), "http://127.0.0.1:1/cb".into()),
        ]
    }

    fn body_pairs(r: &HttpRequest) -> Vec<(String, String)> {
        url::form_urlencoded::parse(r.body.as_deref().unwrap_or_default())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    fn resp(status: u16, ct: &str, body: &str) -> HttpResponse {
        HttpResponse {
            url: url::Url::parse("http://127.0.0.1/token").unwrap(),
            status,
            headers: vec![("content-type".into(), ct.into())],
            body: body.as_bytes().to_vec(),
            elapsed: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn public_client_sends_client_id_in_the_body() {
        let r = build_request(&provider("hub"), "http://h/token", &params(), &creds(None)).unwrap();
        assert_eq!(r.method, Method::POST);
        let b = body_pairs(&r);
        assert_eq!(b[0], ("client_id".into(), "cid".into()));
        assert!(b.contains(&("code".into(), "c0de".into())));
        assert!(r.headers.iter().all(|(k, _)| k != "Authorization"));
        assert_eq!(r.url.query(), None);
    }

    #[test]
    fn basic_auth_form_encodes_id_and_secret_first() {
        let mut p = provider("teamwork");
        p.spec.token_endpoint_auth_method = Some(ClientAuth::ClientSecretBasic);
        let c = ClientCredentials {
            client_id: "a b:c".into(),
            client_secret: Some(Secret::new("s%é")),
        };
        let r = build_request(&p, "http://h/token", &params(), &c).unwrap();
        let auth = &r
            .headers
            .iter()
            .find(|(k, _)| k == "Authorization")
            .unwrap()
            .1;
        let decoded = String::from_utf8(STANDARD.decode(&auth[6..]).unwrap()).unwrap();
        assert_eq!(decoded, "a+b%3Ac:s%25%C3%A9");
        assert!(body_pairs(&r)
            .iter()
            .all(|(k, _)| k != "client_id" && k != "client_secret"));
    }

    #[test]
    fn post_auth_puts_the_secret_in_the_body() {
        let r = build_request(
            &provider("worksection"),
            "http://h/token",
            &params(),
            &creds(Some("sec")),
        )
        .unwrap();
        let b = body_pairs(&r);
        assert!(b.contains(&("client_secret".into(), "sec".into())));
        assert!(b.contains(&("client_id".into(), "cid".into())));
    }

    #[test]
    fn onboardbase_puts_everything_in_the_query_of_a_post() {
        let r = build_request(
            &provider("onboardbase"),
            "http://h/oauth/token",
            &params(),
            &creds(Some("sec")),
        )
        .unwrap();
        assert_eq!(r.method, Method::POST);
        let q: Vec<(String, String)> = r
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let keys: Vec<&str> = q.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "client_id",
                "client_secret",
                "grant_type",
                "code",
                "redirect_uri"
            ]
        );
        assert_eq!(r.body.as_deref(), Some(&b""[..]));
    }

    #[test]
    fn secret_required_when_the_method_needs_one() {
        let e = build_request(&provider("chatwork"), "http://h/t", &params(), &creds(None))
            .unwrap_err();
        assert_eq!(e.exit_code(), 3);
        let mut p = provider("hub");
        p.spec.token_endpoint_auth_method = Some(ClientAuth::PrivateKeyJwt);
        let e = build_request(&p, "http://h/t", &params(), &creds(None)).unwrap_err();
        assert!(e.message.contains("has no key"), "{}", e.message);
        assert!(e.hint.unwrap().contains("--client-assertion-key"));
        // A certificate method without a certificate: the flags and keys to set.
        p.spec.token_endpoint_auth_method = Some(ClientAuth::TlsClientAuth);
        let e = build_request(&p, "https://h/t", &params(), &creds(None)).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(
            e.message.contains("has no client certificate"),
            "{}",
            e.message
        );
        assert!(e
            .hint
            .unwrap()
            .contains("--client-cert FILE --client-key FILE"));
        // A method oauthctl does not know cannot be configured: it is refused when read.
        assert!("magic_link"
            .parse::<ClientAuth>()
            .unwrap_err()
            .to_string()
            .contains("is not one of"));
    }

    #[test]
    fn private_key_jwt_sends_a_signed_assertion_for_the_token_endpoint() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k.pem");
        std::fs::write(&key, include_str!("../mock/keys/ec.pem")).unwrap();
        let mut p = provider("hub");
        p.spec.token_endpoint_auth_method = Some(ClientAuth::PrivateKeyJwt);
        p.spec.client_assertion_key = Some(key.display().to_string());
        p.spec.token_endpoint = Some("http://h/token".into());
        // A refresh elsewhere still names the token endpoint as the audience.
        let r = build_request(&p, "http://h/refresh", &params(), &creds(None)).unwrap();
        let b = body_pairs(&r);
        assert_eq!(b[0], ("client_id".into(), "cid".into()));
        assert_eq!(b[1], ("client_assertion_type".into(), JWT_BEARER.into()));
        let jwt = &b[2].1;
        let claims: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(jwt.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["aud"], "http://h/token");
        assert_eq!(claims["iss"], "cid");
        assert!(r.headers.iter().all(|(k, _)| k != "Authorization"));
        assert!(b.iter().all(|(k, _)| k != "client_secret"));
    }

    #[test]
    fn client_secret_jwt_sends_an_hs256_assertion_and_never_the_secret() {
        let mut p = provider("hub");
        p.spec.token_endpoint_auth_method = Some(ClientAuth::ClientSecretJwt);
        p.spec.token_endpoint = Some("http://h/token".into());
        let r = build_request(&p, "http://h/revoke", &params(), &creds(Some("sek"))).unwrap();
        let b = body_pairs(&r);
        assert_eq!(b[0], ("client_id".into(), "cid".into()));
        assert_eq!(b[1], ("client_assertion_type".into(), JWT_BEARER.into()));
        let jwt = &b[2].1;
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        v.set_audience(&["http://h/token"]);
        v.set_issuer(&["cid"]);
        let c = jsonwebtoken::decode::<serde_json::Value>(
            jwt,
            &jsonwebtoken::DecodingKey::from_secret(b"sek"),
            &v,
        )
        .unwrap()
        .claims;
        assert_eq!(c["sub"], "cid");
        assert!(r.headers.iter().all(|(k, _)| k != "Authorization"));
        assert!(b
            .iter()
            .all(|(k, v)| k != "client_secret" && !v.contains("sek")));
        // Without a secret it says so.
        let e = build_request(&p, "http://h/t", &params(), &creds(None)).unwrap_err();
        assert!(e.message.contains("no client secret"), "{}", e.message);
    }

    #[test]
    fn standard_response_is_normalised() {
        let p = provider("worksection");
        let r = resp(
            200,
            "application/json",
            r#"{"token_type":"bearer","expires_in":86400,"access_token":"at","refresh_token":"rt","account_url":"https://a.worksection.com","scope":"projects_read,tasks_read"}"#,
        );
        let t = parse_response(&p, &r, 1000, &[]).unwrap();
        assert_eq!(t.access_token.expose(), "at");
        assert_eq!(t.refresh_token.as_ref().unwrap().expose(), "rt");
        assert_eq!(t.expires_at, Some(87400));
        assert_eq!(t.scopes, ["projects_read", "tasks_read"]);
        assert_eq!(t.extra["account_url"], "https://a.worksection.com");
        assert_eq!(t.token_type, "bearer");
    }

    #[test]
    fn onboardbase_envelope_fields_and_absolute_expiry() {
        let p = provider("onboardbase");
        let r = resp(
            201,
            "application/json",
            r#"{"data":{"api_key":"HYNC","expires_in":1680011776,"scopes":["read.secrets","read.projects"],"token_type":"bearer","passphrase":"KNHR"},"errors":[]}"#,
        );
        let t = parse_response(&p, &r, 1000, &[]).unwrap();
        assert_eq!(t.access_token.expose(), "HYNC");
        assert_eq!(t.expires_at, Some(1680011776));
        assert_eq!(t.scopes, ["read.secrets", "read.projects"]);
        assert_eq!(t.secret_extra["passphrase"].expose(), "KNHR");
        assert!(t.refresh_token.is_none());
    }

    #[test]
    fn scopes_default_to_the_requested_ones() {
        let r = resp(200, "application/json", r#"{"access_token":"at"}"#);
        let t = parse_response(&provider("hub"), &r, 0, &["profile:read".into()]).unwrap();
        assert_eq!(t.scopes, ["profile:read"]);
        assert_eq!(t.token_type, "Bearer");
        assert_eq!(t.expires_at, None);
    }

    #[test]
    fn rfc6749_error() {
        let r = resp(
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"Code expired"}"#,
        );
        let e = parse_response(&provider("hub"), &r, 0, &[]).unwrap_err();
        assert_eq!(e.error, "invalid_grant");
        assert_eq!(e.description.as_deref(), Some("Code expired"));
        assert_eq!(e.format, ErrorFormat::Rfc6749);
        let err = e.to_error(&provider("hub"), "the token request", "authorization_code");
        assert_eq!(err.exit_code(), 5);
        assert!(
            err.message.contains("invalid_grant: Code expired"),
            "{}",
            err.message
        );
        assert!(err.hint.unwrap().contains("code"));
    }

    #[test]
    fn errors_array_maps_numeric_codes_even_in_a_2xx() {
        let p = provider("onboardbase");
        let r = resp(
            400,
            "application/json",
            r#"{"data":null,"errors":[{"message":"Authorization code has expired","code":1800}]}"#,
        );
        let e = parse_response(&p, &r, 0, &[]).unwrap_err();
        assert_eq!(e.error, "auth_code_expired");
        assert_eq!(e.code, Some(1800));
        assert_eq!(e.format, ErrorFormat::ErrorsArray);
        let r = resp(
            201,
            "application/json",
            r#"{"data":null,"errors":[{"message":"invalid_code","code":1700}]}"#,
        );
        assert_eq!(
            parse_response(&p, &r, 0, &[]).unwrap_err().error,
            "invalid_code"
        );
        // A name in the message wins over a code that maps to something vaguer.
        let r = resp(
            400,
            "application/json",
            r#"{"data":null,"errors":[{"message":"invalid_grant","code":1000}]}"#,
        );
        let e = parse_response(&p, &r, 0, &[]).unwrap_err();
        assert_eq!((e.error.as_str(), e.code), ("invalid_grant", Some(1000)));
        assert_eq!(e.to_string(), "invalid_grant (1000)");
    }

    #[test]
    fn html_page_keeps_title_and_text() {
        let r = resp(502, "text/html", "<html><head><title>502 Bad Gateway</title><style>x{}</style></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>");
        let e = parse_response(&provider("hub"), &r, 0, &[]).unwrap_err();
        assert_eq!(e.format, ErrorFormat::Html);
        assert_eq!(e.error, "http_502");
        let d = e.description.unwrap();
        assert!(
            d.contains("\"502 Bad Gateway\"") && d.contains("nginx") && !d.contains("x{}"),
            "{d}"
        );
    }

    #[test]
    fn www_authenticate_header() {
        let mut r = resp(401, "text/plain", "");
        r.headers.push((
            "www-authenticate".into(),
            r#"Bearer realm="x", error="invalid_client", error_description="bad \"secret\"""#
                .into(),
        ));
        let e = parse_response(&provider("hub"), &r, 0, &[]).unwrap_err();
        assert_eq!(e.error, "invalid_client");
        assert_eq!(e.description.as_deref(), Some("bad \"secret\""));
        assert_eq!(e.format, ErrorFormat::WwwAuthenticate);
        assert!(e
            .hint(&provider("hub"), "authorization_code")
            .contains("client credentials"));
    }

    #[test]
    fn success_without_a_token_is_unusable() {
        let e = parse_response(
            &provider("hub"),
            &resp(200, "application/json", r#"{"ok":true}"#),
            0,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.error, "invalid_token_response");
        assert!(e.description.unwrap().contains("access_token"));
        let e = parse_response(
            &provider("hub"),
            &resp(200, "text/html", "<html><title>Login</title></html>"),
            0,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.format, ErrorFormat::Html);
    }
}
