//! Client authentication at the token-style endpoints (RFC 6749 §2.3): which method a
//! request presents (Basic, form body, query string, a JWT assertion or none), and
//! whether it is the one the provider accepts with the right credentials. The
//! `private_key_jwt` assertion itself is checked in `assertion`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::app::App;
use super::assertion;
use super::errors::OAuthError;
use super::http::{Params, Req};
use super::state::Client;

/// How the client authenticated, as the request log names it.
fn log_name(rfc: &str) -> &'static str {
    match rfc {
        "client_secret_basic" => "basic",
        "client_secret_post" => "post",
        "client_secret_query" => "query",
        "private_key_jwt" => "private_key_jwt",
        "client_secret_jwt" => "client_secret_jwt",
        _ => "none",
    }
}

/// The credentials a request presents.
struct Presented {
    method: &'static str,
    client_id: Option<String>,
    secret: Option<String>,
}

fn decode_basic(h: &str) -> Result<(String, String), OAuthError> {
    let bad = || {
        OAuthError::invalid_client(
            "the Authorization header is not valid Basic credentials (base64 of client_id:client_secret)",
        )
        .www("Basic realm=\"oauthctl-mock\"")
    };
    let raw = STANDARD.decode(h.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (id, secret) = text.split_once(':').ok_or_else(bad)?;
    // RFC 6749 §2.3.1: both are form-urlencoded before base64.
    let dec = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Ok((dec(id), dec(secret)))
}

/// Which method the request uses; an error when it uses more than one.
fn presented(req: &Req, params: &Params, query_mode: bool) -> Result<Presented, OAuthError> {
    let basic = req.header("authorization").and_then(|h| {
        let (scheme, rest) = h.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("basic")
            .then(|| rest.to_string())
    });
    let in_params = params.get("client_secret").map(str::to_string);
    let in_query = if query_mode {
        None
    } else {
        req.query
            .iter()
            .find(|(k, _)| k == "client_secret")
            .map(|(_, v)| v.clone())
    };
    let assertion = params.has("client_assertion");
    let count = [
        basic.is_some(),
        in_params.is_some(),
        in_query.is_some(),
        assertion,
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if count > 1 {
        return Err(OAuthError::invalid_request(
            "the request uses more than one client authentication method (RFC 6749 §2.3)",
        ));
    }
    let param_id = params.get("client_id").map(str::to_string);
    if let Some(b) = basic {
        let (id, secret) = decode_basic(&b)?;
        if let Some(p) = &param_id {
            if *p != id {
                return Err(OAuthError::invalid_client(
                    "client_id in the body differs from the one in the Authorization header",
                )
                .www("Basic realm=\"oauthctl-mock\""));
            }
        }
        return Ok(Presented {
            method: "client_secret_basic",
            client_id: Some(id),
            secret: Some(secret),
        });
    }
    if assertion {
        return Ok(Presented {
            method: if assertion::is_hmac(params) {
                "client_secret_jwt"
            } else {
                "private_key_jwt"
            },
            client_id: param_id,
            secret: None,
        });
    }
    if let Some(s) = in_params {
        return Ok(Presented {
            method: if query_mode {
                "client_secret_query"
            } else {
                "client_secret_post"
            },
            client_id: param_id,
            secret: Some(s),
        });
    }
    if let Some(s) = in_query {
        let id = param_id.or_else(|| {
            req.query
                .iter()
                .find(|(k, _)| k == "client_id")
                .map(|(_, v)| v.clone())
        });
        return Ok(Presented {
            method: "client_secret_query",
            client_id: id,
            secret: Some(s),
        });
    }
    Ok(Presented {
        method: "none",
        client_id: param_id,
        secret: None,
    })
}

/// The client authentication method a request used, for the log, never failing.
pub fn detect(req: &Req, params: &Params, query_mode: bool) -> &'static str {
    match presented(req, params, query_mode) {
        Ok(p) if p.method == "none" && req.client_cert.is_some() => "mtls",
        Ok(p) => log_name(p.method),
        Err(_) => {
            if req.header("authorization").is_some() {
                "basic"
            } else {
                "post"
            }
        }
    }
}

/// Authenticates the client the way the provider accepts (RFC 6749 §2.3, §3.2.1).
pub fn authenticate(
    app: &App,
    req: &Req,
    params: &Params,
    query_mode: bool,
) -> Result<Client, OAuthError> {
    let mut p = presented(req, params, query_mode)?;
    let jwt_method = matches!(p.method, "private_key_jwt" | "client_secret_jwt");
    if jwt_method && p.client_id.is_none() {
        // RFC 7521 §4.2: client_id may be left out; the assertion's sub names the client.
        p.client_id = assertion::subject(params);
    }
    let www = |e: OAuthError| {
        if p.method == "client_secret_basic" {
            e.www("Basic realm=\"oauthctl-mock\"")
        } else {
            e
        }
    };
    if p.method == "none" {
        if let Some(c) = p
            .client_id
            .as_ref()
            .and_then(|id| app.state().clients.get(id).cloned())
        {
            if c.auth_method.ends_with("tls_client_auth") {
                return mutual_tls(app, req, c);
            }
        }
    }
    let accepted = app.auth_methods();
    let Some(id) = p.client_id.clone() else {
        return Err(www(OAuthError::invalid_client(format!(
            "no client identified: send client_id and authenticate with {}",
            accepted.join(" or ")
        ))));
    };
    if !accepted.iter().any(|m| m == p.method) {
        return Err(www(OAuthError::invalid_client(format!(
            "{} accepts client authentication by {} only; this request used {}",
            app.profile.display_name(),
            accepted.join(", "),
            p.method
        ))));
    }
    let client = app.state().clients.get(&id).cloned();
    let Some(client) = client else {
        return Err(www(OAuthError::invalid_client(format!(
            "unknown client_id `{id}`"
        ))));
    };
    // A client registered for client_secret_jwt uses it, and only such a client does.
    if (client.auth_method == "client_secret_jwt") != (p.method == "client_secret_jwt") {
        return Err(www(OAuthError::invalid_client(format!(
            "`{id}` is registered with token_endpoint_auth_method {}; this request used {}",
            client.auth_method, p.method
        ))));
    }
    if p.method == "client_secret_jwt" {
        return assertion::verify_secret(app, req, params, &client).map(|()| client);
    }
    if p.method == "private_key_jwt" {
        return assertion::verify(app, req, params, &client).map(|()| client);
    }
    if client.keys.is_some() && client.secret.is_none() {
        return Err(www(OAuthError::invalid_client(format!(
            "`{id}` authenticates with private_key_jwt (it registered public keys); this request used {}",
            p.method
        ))));
    }
    match (&client.secret, p.method) {
        (None, "none") => Ok(client),
        (None, m) => Err(www(OAuthError::invalid_client(format!(
            "`{id}` is a public client: it has no secret, so it must not authenticate with {m}"
        )))),
        (Some(_), "none") => Err(www(OAuthError::invalid_client(format!(
            "`{id}` is a confidential client: authenticate with {}",
            accepted
                .iter()
                .filter(|m| *m != "none")
                .cloned()
                .collect::<Vec<_>>()
                .join(" or ")
        )))),
        (Some(secret), _) => {
            if p.secret.as_deref() == Some(secret.as_str()) {
                Ok(client)
            } else {
                Err(www(OAuthError::invalid_client(format!(
                    "wrong client_secret for `{id}`"
                ))))
            }
        }
    }
}

/// RFC 8705 §2: the client's TLS certificate authenticates it, from the test CA for
/// `tls_client_auth`, the registered one for `self_signed_tls_client_auth`.
fn mutual_tls(app: &App, req: &Req, client: Client) -> Result<Client, OAuthError> {
    let Some(chain) = req.client_cert.as_ref().filter(|_| req.tls) else {
        let alias = app
            .tls_base
            .get()
            .map(|b| format!(" ({b})"))
            .unwrap_or_default();
        return Err(OAuthError::invalid_client(format!(
            "`{}` authenticates with {} but no client certificate came with the request: call the mutual TLS endpoints of mtls_endpoint_aliases{alias} with the certificate",
            client.id, client.auth_method
        )));
    };
    let checked = if client.auth_method == "self_signed_tls_client_auth" {
        super::tls::check_self_signed(chain)
    } else {
        super::tls::check_ca_issued(chain, app.now_secs())
    };
    checked.map_err(|why| {
        OAuthError::invalid_client(format!("{} for `{}`: {why}", client.auth_method, client.id))
    })?;
    Ok(client)
}

/// The parameters of a token-style request: from the query string for providers that
/// want them there (Onboardbase), else from the form body.
pub fn request_params(app: &App, req: &Req) -> Result<Params, OAuthError> {
    if app.profile.token_params_in_query() {
        if req.query.is_empty() && !req.body.is_empty() {
            return Err(OAuthError::invalid_request(format!(
                "{} takes the token request parameters in the query string, not the body",
                app.profile.display_name()
            )));
        }
        return Params::new(req.query.clone());
    }
    let form = req.form()?;
    if form.is_empty() && req.query.iter().any(|(k, _)| k == "grant_type") {
        return Err(OAuthError::invalid_request(
            "the token request parameters must be in the form body, not the query string",
        ));
    }
    Params::new(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_decoded() {
        let h = STANDARD.encode("my%20id:s%3Acret");
        assert_eq!(decode_basic(&h).unwrap(), ("my id".into(), "s:cret".into()));
        assert!(decode_basic("!!!").is_err());
    }
}
