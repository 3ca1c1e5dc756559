//! The token endpoint (and Worksection's separate refresh endpoint), client
//! authentication, and token issuance shaped by the preset's response quirks.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::errors::OAuthError;
use super::profile::{TEST_PASSWORD, TEST_USERNAME};
use super::server::{App, Out, Params, Req};
use super::state::{random_token, AccessToken, Client, DeviceStatus, Grant, RefreshToken};
use super::{TokenFault, TokenFormat};

pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// How the client authenticated, as the request log names it.
fn log_name(rfc: &str) -> &'static str {
    match rfc {
        "client_secret_basic" => "basic",
        "client_secret_post" => "post",
        "client_secret_query" => "query",
        "private_key_jwt" => "private_key_jwt",
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
            method: "private_key_jwt",
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
    if p.method == "private_key_jwt" && p.client_id.is_none() {
        // RFC 7521 §4.2: client_id may be left out; the assertion's sub names the client.
        p.client_id = super::assertion::subject(params);
    }
    let www = |e: OAuthError| {
        if p.method == "client_secret_basic" {
            e.www("Basic realm=\"oauthctl-mock\"")
        } else {
            e
        }
    };
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
    if p.method == "private_key_jwt" {
        return super::assertion::verify(app, req, params, &client).map(|()| client);
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

fn fault_out(app: &App, f: TokenFault) -> Out {
    if f == TokenFault::Html502 {
        let mut o = Out::html(
            502,
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n".into(),
        );
        o.error = Some("html_502".into());
        return o;
    }
    let name = f.error_name();
    let status = match f {
        TokenFault::InvalidClient => 401,
        TokenFault::ServerError => 500,
        TokenFault::TemporarilyUnavailable => 503,
        _ => 400,
    };
    let mut e = OAuthError::new(
        name,
        status,
        format!("injected by --fail-token-with {name}"),
    );
    if f == TokenFault::InvalidClient {
        e = e.www("Basic realm=\"oauthctl-mock\"");
    }
    let mut o = app.error(&e);
    if f == TokenFault::TemporarilyUnavailable {
        o = o.header("Retry-After", "1".into());
    }
    o
}

/// POST to the token endpoint (`refresh_route`: to the separate refresh endpoint).
pub fn token(app: &App, req: &Req, refresh_route: bool) -> Out {
    let query_mode = app.profile.token_params_in_query();
    let params = request_params(app, req);
    let (grant_type, client_auth) = match &params {
        Ok(p) => (
            p.get("grant_type").map(str::to_string),
            detect(req, p, query_mode),
        ),
        Err(_) => (None, detect(req, &Params::default(), query_mode)),
    };
    // Fault injection comes first: it stands for a server that fails whatever it gets.
    let fault = {
        let mut st = app.state();
        match st.faults.fail_token_with {
            Some(f)
                if st
                    .faults
                    .fail_token_count
                    .is_none_or(|n| st.token_failures < n) =>
            {
                st.token_failures += 1;
                Some(f)
            }
            _ => None,
        }
    };
    let mut out = match fault {
        Some(f) => fault_out(app, f),
        None => match params.and_then(|p| grant(app, req, &p, refresh_route)) {
            Ok(o) => o,
            Err(e) => app.error(&e),
        },
    };
    out.grant_type = grant_type;
    out.client_auth = Some(client_auth);
    out
}

fn grant(app: &App, req: &Req, p: &Params, refresh_route: bool) -> Result<Out, OAuthError> {
    let g = p.require("grant_type")?;
    let profile = &app.profile;
    if refresh_route && g != "refresh_token" {
        return Err(OAuthError::unsupported_grant_type(format!(
            "this endpoint only refreshes (grant_type=refresh_token); send `{g}` to {}",
            profile
                .path_of(&super::profile::Route::Token)
                .map(|t| app.url(t))
                .unwrap_or_default()
        )));
    }
    if !refresh_route && g == "refresh_token" && profile.separate_refresh() {
        return Err(OAuthError::unsupported_grant_type(format!(
            "{} refreshes at {}, not at the token endpoint",
            profile.display_name(),
            profile
                .path_of(&super::profile::Route::Refresh)
                .map(|t| app.url(t))
                .unwrap_or_default()
        )));
    }
    if !profile.supports_grant(g) {
        return Err(OAuthError::unsupported_grant_type(format!(
            "grant_type `{g}` is not supported; this server supports: {}",
            profile.grant_types().join(", ")
        )));
    }
    let client = authenticate(app, req, p, profile.token_params_in_query())?;
    if !client.grant_types.iter().any(|x| x == g) {
        return Err(OAuthError::unauthorized_client(format!(
            "client `{}` is not allowed to use grant_type `{g}`",
            client.id
        )));
    }
    match g {
        "authorization_code" => authorization_code(app, p, &client),
        "refresh_token" => refresh(app, p, &client),
        "client_credentials" => client_credentials(app, p, &client),
        "password" => password(app, p, &client),
        DEVICE_GRANT => device_code(app, p, &client),
        other => Err(OAuthError::unsupported_grant_type(format!(
            "grant_type `{other}` is not supported by this mock"
        ))),
    }
}

/// RFC 7636 §4.6.
fn verify_pkce(challenge: &str, method: &str, verifier: &str) -> Result<(), OAuthError> {
    let ok_chars = verifier
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !(43..=128).contains(&verifier.len()) || !ok_chars {
        return Err(OAuthError::invalid_grant(
            "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)",
        ));
    }
    let computed = match method {
        "S256" => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
        _ => verifier.to_string(),
    };
    if computed != challenge {
        return Err(OAuthError::invalid_grant(format!(
            "PKCE verification failed: the code_verifier does not match the code_challenge ({method})"
        )));
    }
    Ok(())
}

fn authorization_code(app: &App, p: &Params, client: &Client) -> Result<Out, OAuthError> {
    let code = p.require("code")?;
    let now = app.now_ms();
    let (grant, nonce) = {
        let mut st = app.state();
        let Some(c) = st.codes.get_mut(code) else {
            return Err(OAuthError::invalid_grant(
                "the authorization code is unknown (mistyped, from another server, or never issued)",
            ));
        };
        if c.used {
            let family = c.family.clone();
            st.revoke_family(&family);
            return Err(OAuthError::invalid_grant(
                "the authorization code was already used; codes are single use, and the tokens issued from it are now revoked",
            ));
        }
        if c.expires_ms <= now {
            return Err(OAuthError::expired_code(format!(
                "the authorization code expired (codes are valid {})",
                crate::duration::human(app.settings.code_ttl)
            )));
        }
        if c.req.client_id != client.id {
            return Err(OAuthError::invalid_grant(
                "the authorization code was issued to another client",
            ));
        }
        match (c.req.redirect_given, p.get("redirect_uri")) {
            (true, None) => {
                return Err(OAuthError::invalid_grant(
                    "redirect_uri is missing; it was in the authorization request, so the token request must repeat it (RFC 6749 §4.1.3)",
                ))
            }
            (_, Some(r)) if r != c.req.redirect_uri => {
                return Err(OAuthError::invalid_grant(format!(
                    "redirect_uri `{r}` does not match the one of the authorization request"
                )))
            }
            _ => {}
        }
        if !app.profile.pkce_unsupported() {
            match (&c.req.challenge, p.get("code_verifier")) {
                (Some((ch, m)), Some(v)) => verify_pkce(ch, m, v)?,
                (Some(_), None) => {
                    return Err(OAuthError::invalid_grant(
                        "code_verifier is missing: the authorization request had a code_challenge",
                    ))
                }
                (None, Some(_)) => return Err(OAuthError::invalid_grant(
                    "a code_verifier was sent but the authorization request had no code_challenge",
                )),
                (None, None) => {}
            }
        }
        c.used = true;
        let grant = Grant {
            client_id: client.id.clone(),
            scopes: c.req.scopes.clone(),
            subject: Some(TEST_USERNAME.to_string()),
            family: c.family.clone(),
            auth_time: c.auth_time,
            audience: audience_of(p),
        };
        (grant, c.req.nonce.clone())
    };
    let with_refresh = app.profile.supports_grant("refresh_token");
    issue(app, grant, with_refresh, None, nonce.as_deref())
}

fn refresh(app: &App, p: &Params, client: &Client) -> Result<Out, OAuthError> {
    let rt = p.require("refresh_token")?;
    let now = app.now_ms();
    let rotate = app.settings.rotate;
    let grant = {
        let mut st = app.state();
        let Some(r) = st.refresh.get(rt) else {
            return Err(OAuthError::invalid_grant(if rotate {
                "the refresh token is unknown, revoked, or was already rotated (each refresh returns a new one and invalidates the old)"
            } else {
                "the refresh token is unknown or revoked"
            }));
        };
        if r.expires_ms <= now {
            return Err(OAuthError::invalid_grant("the refresh token expired"));
        }
        if r.grant.client_id != client.id {
            return Err(OAuthError::invalid_grant(
                "the refresh token was issued to another client",
            ));
        }
        let mut grant = r.grant.clone();
        if let Some(s) = p.get(app.profile.scope_param()).or(p.get("scope")) {
            let asked = app.profile.split_scopes(s);
            let extra: Vec<&String> = asked.iter().filter(|x| !grant.scopes.contains(x)).collect();
            if !extra.is_empty() {
                return Err(OAuthError::invalid_scope(format!(
                    "a refresh may only narrow the scopes; not originally granted: {}",
                    extra
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                )));
            }
            grant.scopes = asked;
        }
        if rotate {
            st.revoke_refresh(rt);
        }
        grant
    };
    let keep = if rotate { None } else { Some(rt.to_string()) };
    issue(app, grant, rotate, keep, None)
}

/// The audiences a request asks for: `audience`, then every `resource` (RFC 8707).
pub fn audience_of(p: &Params) -> Vec<String> {
    let mut a: Vec<String> = p.get("audience").map(str::to_string).into_iter().collect();
    a.extend(p.all("resource"));
    a
}

fn requested_scopes(app: &App, p: &Params) -> Result<Vec<String>, OAuthError> {
    let scopes = match p.get(app.profile.scope_param()) {
        Some(s) => app.profile.split_scopes(s),
        None => app.profile.default_scopes(),
    };
    let unknown = app.profile.unknown_scopes(&scopes);
    if !unknown.is_empty() {
        return Err(OAuthError::invalid_scope(format!(
            "unknown scope(s): {}; this server knows: {}",
            unknown.join(" "),
            app.profile
                .spec
                .scopes_supported
                .clone()
                .unwrap_or_default()
                .join(" ")
        )));
    }
    Ok(scopes)
}

fn client_credentials(app: &App, p: &Params, client: &Client) -> Result<Out, OAuthError> {
    if client.is_public() {
        return Err(OAuthError::unauthorized_client(
            "a public client cannot use client_credentials",
        ));
    }
    let scopes: Vec<String> = requested_scopes(app, p)?
        .into_iter()
        .filter(|s| s != "openid" && s != "offline_access")
        .collect();
    let grant = Grant {
        client_id: client.id.clone(),
        scopes,
        subject: None,
        family: random_token(12),
        auth_time: app.now_secs(),
        audience: audience_of(p),
    };
    issue(app, grant, false, None, None)
}

fn password(app: &App, p: &Params, client: &Client) -> Result<Out, OAuthError> {
    let user = p.require("username")?;
    let pass = p.require("password")?;
    if user != TEST_USERNAME || pass != TEST_PASSWORD {
        return Err(OAuthError::invalid_grant("wrong username or password"));
    }
    let scopes = requested_scopes(app, p)?;
    let grant = Grant {
        client_id: client.id.clone(),
        scopes,
        subject: Some(TEST_USERNAME.to_string()),
        family: random_token(12),
        auth_time: app.now_secs(),
        audience: audience_of(p),
    };
    let with_refresh = app.profile.supports_grant("refresh_token");
    issue(app, grant, with_refresh, None, None)
}

fn device_code(app: &App, p: &Params, client: &Client) -> Result<Out, OAuthError> {
    let dc = p.require("device_code")?;
    let now = app.now_ms();
    let auto = app.settings.auto_approve;
    let grant = {
        let mut st = app.state();
        let deny = st.faults.deny;
        let Some(d) = st.devices.get_mut(dc) else {
            return Err(OAuthError::invalid_grant("the device_code is unknown"));
        };
        if d.client_id != client.id {
            return Err(OAuthError::invalid_grant(
                "the device_code was issued to another client",
            ));
        }
        if d.expires_ms <= now {
            return Err(OAuthError::new(
                "expired_token",
                400,
                "the device_code expired: start a new device authorization",
            ));
        }
        if let Some(last) = d.last_poll_ms {
            if now.saturating_sub(last) < d.interval_ms {
                d.last_poll_ms = Some(now);
                return Err(OAuthError::new(
                    "slow_down",
                    400,
                    format!(
                        "polling faster than the interval of {} s: wait 5 s more between polls (RFC 8628 §3.5)",
                        d.interval_ms / 1000
                    ),
                ));
            }
        }
        let first_poll = d.last_poll_ms.is_none();
        d.last_poll_ms = Some(now);
        if deny && d.status == DeviceStatus::Pending {
            d.status = DeviceStatus::Denied;
        }
        match d.status {
            DeviceStatus::Denied => {
                let uc = d.user_code.clone();
                st.devices.remove(dc);
                st.user_codes.remove(&uc);
                return Err(OAuthError::new(
                    "access_denied",
                    400,
                    "the user denied the authorization",
                ));
            }
            DeviceStatus::Pending => {
                if auto && first_poll {
                    // --auto-approve: the next poll succeeds, so clients still see one
                    // authorization_pending and exercise their polling loop.
                    d.status = DeviceStatus::Approved;
                }
                return Err(OAuthError::new(
                    "authorization_pending",
                    400,
                    "the user has not yet approved the request",
                ));
            }
            DeviceStatus::Approved => {}
        }
        let scopes = d.scopes.clone();
        let audience = d.audience.clone();
        let uc = d.user_code.clone();
        st.devices.remove(dc);
        st.user_codes.remove(&uc);
        Grant {
            client_id: client.id.clone(),
            scopes,
            subject: Some(TEST_USERNAME.to_string()),
            family: random_token(12),
            auth_time: app.now_secs(),
            audience,
        }
    };
    let with_refresh = app.profile.supports_grant("refresh_token");
    issue(app, grant, with_refresh, None, None)
}

/// An access token string: opaque random, or a signed JWT (RFC 9068 shape).
fn mint_access(app: &App, grant: &Grant, now: u64, exp: u64) -> Result<String, OAuthError> {
    match app.settings.token_format {
        TokenFormat::Opaque => Ok(random_token(32)),
        TokenFormat::Jwt => {
            let iss = app
                .profile
                .issuer(&app.base)
                .unwrap_or_else(|| app.base.clone());
            let aud = match grant.audience.as_slice() {
                [] => json!(iss),
                [one] => json!(one),
                many => json!(many),
            };
            let claims = json!({
                "iss": iss,
                "sub": grant.subject.clone().unwrap_or_else(|| grant.client_id.clone()),
                "aud": aud,
                "client_id": grant.client_id,
                "scope": grant.scopes.join(" "),
                "iat": now,
                "exp": exp,
                "jti": random_token(12),
            });
            app.signer
                .sign(&claims, Some("at+jwt"))
                .map_err(|e| OAuthError::server_error(e.message))
        }
    }
}

fn id_token(
    app: &App,
    grant: &Grant,
    access: &str,
    nonce: Option<&str>,
    now: u64,
    exp: u64,
) -> Result<String, OAuthError> {
    let iss = app
        .profile
        .issuer(&app.base)
        .unwrap_or_else(|| app.base.clone());
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(iss));
    claims.insert("sub".into(), json!(grant.subject));
    claims.insert("aud".into(), json!(grant.client_id));
    claims.insert("azp".into(), json!(grant.client_id));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(exp));
    claims.insert("auth_time".into(), json!(grant.auth_time));
    claims.insert("at_hash".into(), json!(super::jwt::at_hash(access)));
    if let Some(n) = nonce {
        claims.insert("nonce".into(), json!(n));
    }
    let user = super::server::user_json(app);
    for (scope, keys) in [
        (
            "profile",
            &["name", "given_name", "family_name", "preferred_username"][..],
        ),
        ("email", &["email", "email_verified"][..]),
    ] {
        if grant.scopes.iter().any(|s| s == scope) {
            for k in keys {
                if let Some(v) = user.get(*k) {
                    claims.insert((*k).to_string(), v.clone());
                }
            }
        }
    }
    app.signer
        .sign(&Value::Object(claims), None)
        .map_err(|e| OAuthError::server_error(e.message))
}

/// Issues tokens for a grant and answers in the provider's shape. `keep_refresh` ties the
/// new access token to an existing refresh token (a refresh without rotation).
fn issue(
    app: &App,
    grant: Grant,
    with_refresh: bool,
    keep_refresh: Option<String>,
    nonce: Option<&str>,
) -> Result<Out, OAuthError> {
    let now_ms = app.now_ms();
    let now = now_ms / 1000;
    let ttl = app.settings.access_ttl;
    let exp_ms = now_ms + ttl.as_millis() as u64;
    let access = mint_access(app, &grant, now, exp_ms / 1000)?;
    let refresh = with_refresh.then(|| random_token(32));
    let wants_id = app.profile.data.id_tokens
        && grant.subject.is_some()
        && grant.scopes.iter().any(|s| s == "openid");
    let idt = if wants_id {
        Some(id_token(app, &grant, &access, nonce, now, exp_ms / 1000)?)
    } else {
        None
    };
    {
        let mut st = app.state();
        let attached = refresh.clone().or(keep_refresh);
        st.access.insert(
            access.clone(),
            AccessToken {
                grant: grant.clone(),
                issued_ms: now_ms,
                expires_ms: exp_ms,
            },
        );
        if let Some(r) = &refresh {
            st.refresh.insert(
                r.clone(),
                RefreshToken {
                    grant: grant.clone(),
                    issued_ms: now_ms,
                    expires_ms: now_ms + app.settings.refresh_ttl.as_millis() as u64,
                    access: vec![access.clone()],
                },
            );
        } else if let Some(r) = &attached {
            if let Some(rt) = st.refresh.get_mut(r) {
                rt.access.push(access.clone());
            }
        }
        st.inserted(now_ms);
    }
    Ok(token_response(
        app,
        &access,
        refresh.as_deref(),
        &grant.scopes,
        idt,
        ttl.as_secs(),
    ))
}

/// The implicit grant (`response_type=token`, where the provider lists it): an access
/// token for the fragment of the redirect; never a refresh token (RFC 6749 §4.2.2).
pub fn implicit(
    app: &App,
    ar: &super::state::AuthRequest,
) -> Result<Vec<(&'static str, String)>, OAuthError> {
    let now_ms = app.now_ms();
    let ttl = app.settings.access_ttl;
    let exp_ms = now_ms + ttl.as_millis() as u64;
    let grant = Grant {
        client_id: ar.client_id.clone(),
        scopes: ar.scopes.clone(),
        subject: Some(TEST_USERNAME.to_string()),
        family: random_token(12),
        auth_time: now_ms / 1000,
        audience: Vec::new(),
    };
    let access = mint_access(app, &grant, now_ms / 1000, exp_ms / 1000)?;
    {
        let mut st = app.state();
        st.access.insert(
            access.clone(),
            AccessToken {
                grant: grant.clone(),
                issued_ms: now_ms,
                expires_ms: exp_ms,
            },
        );
        st.inserted(now_ms);
    }
    let mut out = vec![
        ("access_token", access),
        ("token_type", app.profile.token_type().to_string()),
        ("expires_in", ttl.as_secs().to_string()),
    ];
    if !grant.scopes.is_empty() {
        out.push(("scope", grant.scopes.join(" ")));
    }
    Ok(out)
}

/// The success answer, shaped by the preset: field names, scope as string or array,
/// relative or absolute `expires_in`, extra and secret fields, envelope, status.
fn token_response(
    app: &App,
    access: &str,
    refresh: Option<&str>,
    scopes: &[String],
    id_token: Option<String>,
    ttl_secs: u64,
) -> Out {
    let spec = &app.profile.spec;
    let mut m = Map::new();
    let at_field = spec.access_token_field.as_deref().unwrap_or("access_token");
    m.insert(at_field.into(), json!(access));
    m.insert("token_type".into(), json!(app.profile.token_type()));
    let expires = if spec.expires_in_format == Some(crate::provider::ExpiresIn::Absolute) {
        app.now_secs() + ttl_secs
    } else {
        ttl_secs
    };
    m.insert("expires_in".into(), json!(expires));
    if let Some(r) = refresh {
        m.insert("refresh_token".into(), json!(r));
    }
    let scope_field = spec.scope_field.as_deref().unwrap_or("scope");
    if !scopes.is_empty() {
        if scope_field == "scope" {
            m.insert("scope".into(), json!(scopes.join(" ")));
        } else {
            m.insert(scope_field.into(), json!(scopes));
        }
    }
    if let Some(t) = id_token {
        m.insert("id_token".into(), json!(t));
    }
    for f in spec.extra_token_fields.iter().flatten() {
        if let Some(v) = app.profile.data.token_fields.get(f) {
            m.insert(f.clone(), v.clone());
        }
    }
    for f in spec.secret_fields.iter().flatten() {
        m.insert(f.clone(), json!(random_token(9)));
    }
    let body = match &spec.token_response_envelope {
        Some(env) => {
            let mut outer = Map::new();
            outer.insert(env.clone(), Value::Object(m));
            if app.profile.errors_array() {
                outer.insert("errors".into(), json!([]));
            }
            Value::Object(outer)
        }
        None => Value::Object(m),
    };
    Out::json(spec.token_success_status.unwrap_or(200), &body).no_store()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_and_plain() {
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(verify_pkce("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", v).is_ok());
        assert!(verify_pkce("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cX", "S256", v).is_err());
        assert!(verify_pkce(v, "plain", v).is_ok());
        assert!(verify_pkce("short", "plain", "short").is_err());
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let h = STANDARD.encode("my%20id:s%3Acret");
        assert_eq!(decode_basic(&h).unwrap(), ("my id".into(), "s:cret".into()));
        assert!(decode_basic("!!!").is_err());
    }
}
