//! Signed authorization requests (JAR, RFC 9101): the authorization request's
//! parameters as the claims of a JWT (`typ` `oauth-authz-req+jwt`) with `iss` = the
//! client_id, `aud` = the issuer, `iat`, `nbf`, a short `exp` and a `jti`, signed with
//! the client's key (`client_assertion_key`: RS256, ES256 or EdDSA) or, for a
//! `client_secret_jwt` client, HS256 over the client secret. The URL then carries only
//! `client_id` and `request` (§5); a pushed request carries the object in its body.

use serde_json::{Map, Value};

use super::assertion::{self, AssertionKey};
use super::authorize::AuthorizeRequest;
use super::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::provider::{ClientAuth, Endpoint, Provider};

/// The media type of a request object (RFC 9101 §10.2), its header's `typ`.
pub const TYP: &str = "oauth-authz-req+jwt";
/// How long a request object is valid.
pub const LIFETIME_SECS: u64 = 300;

/// Whether this login signs its request: asked for (`--jar`), or required by the
/// server's metadata or the config (`require_signed_request_object = true`).
pub fn wanted(provider: &Provider, asked: bool) -> bool {
    asked || provider.requires_jar()
}

/// The claims: every authorization parameter as a string, then the JWT's own.
pub fn claims(params: &[(String, String)], client_id: &str, audience: &str, now: u64) -> Value {
    let mut c = Map::new();
    for (k, v) in params {
        if k != "request" && k != "request_uri" {
            c.insert(k.clone(), Value::String(v.clone()));
        }
    }
    c.insert("iss".into(), client_id.into());
    c.insert("aud".into(), audience.into());
    c.insert("iat".into(), now.into());
    c.insert("nbf".into(), now.into());
    c.insert("exp".into(), (now + LIFETIME_SECS).into());
    c.insert("jti".into(), assertion::jti().into());
    Value::Object(c)
}

/// The request object's audience: the issuer (RFC 9101 §4), else the authorization
/// endpoint.
fn audience(provider: &Provider) -> Result<String> {
    match &provider.spec.issuer {
        Some(i) => Ok(i.clone()),
        None => provider.require_endpoint(Endpoint::Authorization),
    }
}

/// Signs `claims` as the client: HS256 over the secret for `client_secret_jwt`,
/// otherwise with `client_assertion_key`.
fn sign(provider: &Provider, client: &ClientCredentials, claims: &Value) -> Result<String> {
    if provider.auth_method() == ClientAuth::ClientSecretJwt {
        if let Some(secret) = &client.client_secret {
            return assertion::encode_with_secret(secret, TYP, claims);
        }
    }
    let Some(path) = provider.spec.client_assertion_key.as_deref() else {
        return Err(Error::input(format!(
            "provider `{}` has no key to sign the request object with (JAR, RFC 9101)",
            provider.name
        ))
        .with_hint(format!(
            "pass --client-assertion-key FILE (an RS256 or ES256 private key in PEM) or set `client_assertion_key` in the [providers.{}] table; a client_secret_jwt client signs with its secret",
            provider.name
        )));
    };
    let mut key = AssertionKey::load(path)?;
    if let Some(alg) = &provider.spec.request_object_signing_alg {
        key = key.with_alg(alg)?;
    }
    key.encode(TYP, provider.spec.client_assertion_kid.as_deref(), claims)
}

/// Signs `request`'s parameters and turns its URL into the authorization endpoint with
/// `client_id` and `request` only. The parameters stay in `request.params`.
pub fn apply(
    provider: &Provider,
    client: &ClientCredentials,
    request: &mut AuthorizeRequest,
    now: u64,
) -> Result<()> {
    let client_id = request
        .params
        .iter()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| client.client_id.clone());
    let claims = claims(&request.params, &client_id, &audience(provider)?, now);
    let jwt = sign(provider, client, &claims)?;
    let endpoint = provider.require_endpoint(Endpoint::Authorization)?;
    let mut url = url::Url::parse(&endpoint).map_err(|e| {
        Error::input(format!(
            "authorization_endpoint `{endpoint}` is not a URL: {e}"
        ))
    })?;
    url.query_pairs_mut()
        .append_pair("client_id", &client_id)
        .append_pair("request", &jwt);
    request.url = url;
    request.request_object = Some(jwt);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::authorize::{build, AuthorizeOptions};
    use crate::secret::Secret;
    use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};

    fn provider() -> Provider {
        let mut p = Provider::from_preset("hub").unwrap();
        p.spec.client_id = Some("cid".into());
        p.spec.issuer = Some("https://as.example".into());
        p.spec.authorization_endpoint = Some("https://as.example/authorize".into());
        p
    }

    fn request(p: &Provider) -> AuthorizeRequest {
        build(
            p,
            &AuthorizeOptions {
                client_id: "cid".into(),
                redirect_uri: "http://127.0.0.1:1/callback".into(),
                scopes: Some(vec!["openid".into()]),
                extra: vec![],
            },
        )
        .unwrap()
    }

    #[test]
    fn a_client_secret_jwt_client_signs_hs256_and_the_url_has_only_client_id_and_request() {
        let mut p = provider();
        p.spec.token_endpoint_auth_method = Some(ClientAuth::ClientSecretJwt);
        let client = ClientCredentials {
            client_id: "cid".into(),
            client_secret: Some(Secret::new("sek")),
        };
        let mut r = request(&p);
        let now = crate::clock::unix_now();
        apply(&p, &client, &mut r, now).unwrap();
        let names: Vec<String> = r.url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(names, ["client_id", "request"]);
        let jwt = r.request_object.clone().unwrap();
        let h = decode_header(&jwt).unwrap();
        assert_eq!(h.alg, Algorithm::HS256);
        assert_eq!(h.typ.as_deref(), Some(TYP));
        let mut v = Validation::new(Algorithm::HS256);
        v.set_audience(&["https://as.example"]);
        v.set_issuer(&["cid"]);
        let c = decode::<Value>(&jwt, &DecodingKey::from_secret(b"sek"), &v)
            .unwrap()
            .claims;
        assert_eq!(c["state"], r.state.as_str());
        assert_eq!(c["code_challenge"], r.challenge.clone().unwrap().as_str());
        assert_eq!(c["response_type"], "code");
        assert_eq!(c["client_id"], "cid");
        assert_eq!(c["exp"].as_u64().unwrap(), now + LIFETIME_SECS);
    }

    #[test]
    fn a_key_signs_rs256_or_es256_and_no_key_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        for (pem, alg) in [
            (include_str!("../mock/keys/rsa.pem"), Algorithm::RS256),
            (include_str!("../mock/keys/ec.pem"), Algorithm::ES256),
        ] {
            let key = dir.path().join("k.pem");
            std::fs::write(&key, pem).unwrap();
            let mut p = provider();
            p.spec.client_assertion_key = Some(key.display().to_string());
            p.spec.client_assertion_kid = Some("k1".into());
            let client = ClientCredentials {
                client_id: "cid".into(),
                client_secret: None,
            };
            let mut r = request(&p);
            apply(&p, &client, &mut r, crate::clock::unix_now()).unwrap();
            let h = decode_header(r.request_object.as_ref().unwrap()).unwrap();
            assert_eq!(h.alg, alg);
            assert_eq!(h.kid.as_deref(), Some("k1"));
        }
        let p = provider();
        let client = ClientCredentials {
            client_id: "cid".into(),
            client_secret: None,
        };
        let e = apply(&p, &client, &mut request(&p), 0).unwrap_err();
        assert!(e.message.contains("no key to sign"), "{}", e.message);
        assert_eq!(e.exit_code(), 3);
    }
}
