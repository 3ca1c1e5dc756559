//! The token endpoint (and Worksection's separate refresh endpoint): injected faults,
//! then one handler per grant type. Client authentication is `client_auth`'s, issuance
//! `issue`'s.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

use super::app::App;
use super::client_auth::{authenticate, detect, request_params};
use super::dpop;
use super::errors::OAuthError;
use super::grants::{
    details_field, granted_details, jwt_bearer, token_exchange, JWT_BEARER_GRANT,
    TOKEN_EXCHANGE_GRANT,
};
use super::http::{Out, Params, Req};
use super::issue::{audience_of, issue, issue_with};
use super::options::TokenFault;
use super::profile::{Route, TEST_PASSWORD, TEST_USERNAME};
use super::selfcontained;
use super::state::{random_token, Client, DeviceStatus, Grant, DEVICE_GRANT};

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
    let x5t = req
        .client_cert
        .as_ref()
        .and_then(|c| c.first())
        .map(|d| super::tls::thumbprint(d));
    let mut out = match fault {
        Some(f) => fault_out(app, f),
        None => match params.and_then(|p| {
            refresh_binding(app, &p, x5t.as_deref())?;
            let jkt = token_proof(app, req)?;
            super::issue::bound_to(x5t.clone(), || {
                dpop::bound(jkt, || grant(app, req, &p, refresh_route))
            })
        }) {
            Ok(o) => o,
            Err(e) => app.error(&e),
        },
    };
    out.grant_type = grant_type;
    out.client_auth = Some(client_auth);
    out
}

/// RFC 8705 §4: a refresh token bound to a certificate is refreshed with it only.
fn refresh_binding(app: &App, p: &Params, x5t: Option<&str>) -> Result<(), OAuthError> {
    let Some(rt) = p
        .get("refresh_token")
        .filter(|_| p.get("grant_type") == Some("refresh_token"))
    else {
        return Ok(());
    };
    let bound = app.state().cert_bound.get(rt).cloned();
    match bound {
        Some(b) if Some(b.as_str()) != x5t => Err(OAuthError::invalid_grant(
            "the refresh token is bound to a client certificate (RFC 8705): refresh over mutual TLS with that certificate",
        )),
        _ => Ok(()),
    }
}

/// The DPoP proof of a token request (RFC 9449 §4.3): the thumbprint of its key, which
/// the issued tokens are bound to. Required with `--require-dpop`.
fn token_proof(app: &App, req: &Req) -> Result<Option<String>, OAuthError> {
    let url = app.request_url(req);
    let expect = dpop::Expect {
        at: dpop::At::Token,
        method: "POST",
        url: &url,
        access_token: None,
    };
    let jkt = dpop::check(app, req, expect)?;
    if jkt.is_none() && app.settings.require_dpop {
        return Err(dpop::invalid(
            dpop::At::Token,
            "this server issues DPoP-bound tokens only: the token request must carry a DPoP proof (RFC 9449)",
        ));
    }
    Ok(jkt)
}

fn grant(app: &App, req: &Req, p: &Params, refresh_route: bool) -> Result<Out, OAuthError> {
    let g = p.require("grant_type")?;
    let profile = &app.profile;
    if refresh_route && g != "refresh_token" {
        return Err(OAuthError::unsupported_grant_type(format!(
            "this endpoint only refreshes (grant_type=refresh_token); send `{g}` to {}",
            profile
                .path_of(&Route::Token)
                .map(|t| app.url(t))
                .unwrap_or_default()
        )));
    }
    if !refresh_route && g == "refresh_token" && profile.separate_refresh() {
        return Err(OAuthError::unsupported_grant_type(format!(
            "{} refreshes at {}, not at the token endpoint",
            profile.display_name(),
            profile
                .path_of(&Route::Refresh)
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
        TOKEN_EXCHANGE_GRANT => token_exchange(app, p, &client),
        JWT_BEARER_GRANT => {
            let scopes = requested_scopes(app, p)?
                .into_iter()
                .filter(|s| s != "openid" && s != "offline_access")
                .collect();
            jwt_bearer(app, req, p, &client, scopes)
        }
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
    let (grant, nonce, from_code) = {
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
        // RFC 9449 §10: a code asked for with dpop_jkt is redeemed with that key only.
        if let Some(jkt) = &c.req.dpop_jkt {
            if dpop::binding().as_ref() != Some(jkt) {
                return Err(OAuthError::invalid_grant(
                    "the authorization request carried dpop_jkt: the token request must carry a DPoP proof by that key",
                ));
            }
        }
        c.used = true;
        let grant = Grant {
            actor: None,
            client_id: client.id.clone(),
            scopes: c.req.scopes.clone(),
            subject: Some(TEST_USERNAME.to_string()),
            family: c.family.clone(),
            auth_time: c.auth_time,
            jkt: None,
            audience: audience_of(p),
        };
        (
            grant,
            c.req.nonce.clone(),
            c.req.authorization_details.clone(),
        )
    };
    let with_refresh = app.profile.supports_grant("refresh_token")
        && (!app.settings.offline_access_needs_consent
            || grant.scopes.iter().any(|s| s == "offline_access"));
    // Asked for in the token request, else in the authorization request (RFC 9396 §6).
    let details = match p.get("authorization_details") {
        Some(_) => granted_details(p)?,
        None => details_field(from_code.as_deref())?,
    };
    issue_with(app, grant, with_refresh, None, nonce.as_deref(), details)
}

fn refresh(app: &App, p: &Params, client: &Client) -> Result<Out, OAuthError> {
    let rt = p.require("refresh_token")?;
    let now = app.now_ms();
    let rotate = app.settings.rotate;
    // A token an earlier emulator issued, with self-contained tokens (checked unlocked).
    let known = app.state().refresh.contains_key(rt);
    let earlier = if known {
        None
    } else {
        selfcontained::refresh(app, rt)
    };
    let grant = {
        let mut st = app.state();
        let earlier = earlier.filter(|_| !st.revoked.contains_key(rt));
        let Some(r) = st.refresh.get(rt).or(earlier.as_ref()) else {
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
        // A DPoP-bound refresh token needs a proof by the same key (RFC 9449 §5).
        if let Some(jkt) = &r.grant.jkt {
            if dpop::binding().as_ref() != Some(jkt) {
                return Err(OAuthError::invalid_grant(
                    "the refresh token is DPoP-bound: the refresh must carry a proof signed by the same key",
                ));
            }
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
            let expires_ms = r.expires_ms;
            st.revoke_refresh(rt);
            st.mark_revoked(rt.to_string(), expires_ms);
        }
        grant
    };
    let keep = if rotate { None } else { Some(rt.to_string()) };
    issue(app, grant, rotate, keep, None)
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
        actor: None,
        client_id: client.id.clone(),
        scopes,
        subject: None,
        family: random_token(12),
        auth_time: app.now_secs(),
        jkt: None,
        audience: audience_of(p),
    };
    issue_with(app, grant, false, None, None, granted_details(p)?)
}

fn password(app: &App, p: &Params, client: &Client) -> Result<Out, OAuthError> {
    let user = p.require("username")?;
    let pass = p.require("password")?;
    if user != TEST_USERNAME || pass != TEST_PASSWORD {
        return Err(OAuthError::invalid_grant("wrong username or password"));
    }
    let scopes = requested_scopes(app, p)?;
    let grant = Grant {
        actor: None,
        client_id: client.id.clone(),
        scopes,
        subject: Some(TEST_USERNAME.to_string()),
        family: random_token(12),
        auth_time: app.now_secs(),
        jkt: None,
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
            actor: None,
            client_id: client.id.clone(),
            scopes,
            subject: Some(TEST_USERNAME.to_string()),
            family: random_token(12),
            auth_time: app.now_secs(),
            jkt: None,
            audience,
        }
    };
    let with_refresh = app.profile.supports_grant("refresh_token");
    issue(app, grant, with_refresh, None, None)
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
}
