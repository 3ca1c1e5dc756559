//! The device authorization grant (RFC 8628): the device authorization endpoint and
//! the verification page where a person enters (or confirms) the user code. The token
//! endpoint redeems the device code.

use hyper::Method;
use serde_json::json;

use super::app::{error_page, App};
use super::client_auth::{authenticate, detect, request_params};
use super::errors::OAuthError;
use super::http::{esc, page, query_or_form, Out, Params, Req};
use super::issue::audience_of;
use super::profile::Route;
use super::state::{random_token, user_code, Device, DeviceStatus, DEVICE_GRANT};

/// RFC 8628 §3.1–3.2.
pub fn device_authorization(app: &App, req: &Req) -> Out {
    let params = match request_params(app, req) {
        Ok(p) => p,
        Err(e) => return app.error(&e),
    };
    let auth = detect(req, &params, false);
    let mut out = match device_inner(app, req, &params) {
        Ok(o) => o,
        Err(e) => app.error(&e),
    };
    out.client_auth = Some(auth);
    out
}

fn device_inner(app: &App, req: &Req, params: &Params) -> Result<Out, OAuthError> {
    let client = authenticate(app, req, params, false)?;
    if !client.grant_types.iter().any(|g| g == DEVICE_GRANT) {
        return Err(OAuthError::unauthorized_client(format!(
            "client `{}` is not allowed to use the device authorization grant",
            client.id
        )));
    }
    let scopes = match params.get(app.profile.scope_param()) {
        Some(s) => app.profile.split_scopes(s),
        None => app.profile.default_scopes(),
    };
    let unknown = app.profile.unknown_scopes(&scopes);
    if !unknown.is_empty() {
        return Err(OAuthError::invalid_scope(format!(
            "unknown scope(s): {}",
            unknown.join(" ")
        )));
    }
    let device_code = random_token(32);
    let now = app.now_ms();
    let interval = app.settings.device_interval;
    // Whole seconds (RFC 8628 §3.2), rounded up so that a client that waits what it
    // is told never polls too fast.
    let interval_secs = (interval.as_millis() as u64).div_ceil(1000);
    let expires_in = app.settings.device_code_ttl.as_secs().max(1);
    let mut st = app.state();
    let mut uc = user_code();
    while st.user_codes.contains_key(&uc) {
        uc = user_code();
    }
    st.devices.insert(
        device_code.clone(),
        Device {
            client_id: client.id.clone(),
            scopes,
            user_code: uc.clone(),
            expires_ms: now + expires_in * 1000,
            interval_ms: interval.as_millis() as u64,
            last_poll_ms: None,
            status: DeviceStatus::Pending,
            audience: audience_of(params),
        },
    );
    st.user_codes.insert(uc.clone(), device_code.clone());
    st.inserted(now);
    drop(st);
    let verify = app
        .profile
        .path_of(&Route::DeviceVerify)
        .map(|p| app.url(p))
        .unwrap_or_else(|| app.url("/device"));
    let complete = format!(
        "{verify}?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("user_code", &uc)
            .finish()
    );
    Ok(Out::json(
        200,
        &json!({
            "device_code": device_code,
            "user_code": uc,
            "verification_uri": verify,
            "verification_uri_complete": complete,
            "expires_in": expires_in,
            "interval": interval_secs,
        }),
    )
    .no_store())
}

fn normalize_user_code(s: &str) -> String {
    let letters: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if letters.len() == 8 {
        format!("{}-{}", &letters[..4], &letters[4..])
    } else {
        letters
    }
}

/// The page where a person enters (or confirms) a device flow's user code.
pub fn device_verify(app: &App, req: &Req) -> Out {
    let title = format!("Device login — {}", app.profile.display_name());
    let params = match query_or_form(req) {
        Ok(p) => p,
        Err(e) => return error_page(app, &e),
    };
    let path = esc(&req.path);
    let Some(raw) = params.get("user_code") else {
        let body = format!(
            "<h1>Connect a device</h1><p>Enter the code shown on your device.</p><form method=\"get\" action=\"{path}\"><input name=\"user_code\" autofocus autocomplete=\"off\" placeholder=\"BCDF-GHJK\"> <button class=\"ok\" type=\"submit\">Continue</button></form>"
        );
        return Out::html(200, page(&title, &body));
    };
    let code = normalize_user_code(raw);
    let now = app.now_ms();
    let mut st = app.state();
    let known = st
        .user_codes
        .get(&code)
        .cloned()
        .filter(|dc| st.devices.get(dc).is_some_and(|d| d.expires_ms > now));
    let Some(dc) = known else {
        drop(st);
        let mut o = Out::html(
            400,
            page(
                &title,
                &format!(
                    "<h1>Unknown code</h1><p>The code <code>{}</code> is unknown or expired. Check it on your device, or start again there.</p><p><a href=\"{path}\">Try another code</a></p>",
                    esc(&code)
                ),
            ),
        );
        o.error = Some("invalid_user_code".into());
        return o;
    };
    let decision = if req.method == Method::POST {
        params.get("decision")
    } else {
        None
    };
    let Some(d) = st.devices.get_mut(&dc) else {
        return error_page(app, &OAuthError::invalid_request("device grant vanished"));
    };
    match decision {
        None => {
            let scopes = d.scopes.join(" ");
            let client = d.client_id.clone();
            drop(st);
            let body = format!(
                "<h1>Connect a device</h1><p>Client <code>{}</code> asks for access to your account <strong>alice</strong> with the scopes <code>{}</code>.</p><p>Code: <code>{}</code></p><form method=\"post\" action=\"{path}\"><input type=\"hidden\" name=\"user_code\" value=\"{}\"><button class=\"ok\" type=\"submit\" name=\"decision\" value=\"approve\">Approve</button><button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>",
                esc(&client),
                esc(&scopes),
                esc(&code),
                esc(&code)
            );
            Out::html(200, page(&title, &body))
        }
        Some(dec) => {
            let approved = dec == "approve";
            d.status = if approved {
                DeviceStatus::Approved
            } else {
                DeviceStatus::Denied
            };
            drop(st);
            let msg = if approved {
                "<h1>Device approved</h1><p>You can return to your device.</p>"
            } else {
                "<h1>Request denied</h1><p>The device will be told that you refused.</p>"
            };
            Out::html(200, page(&title, msg))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_normalized() {
        assert_eq!(normalize_user_code("bcdf ghjk"), "BCDF-GHJK");
        assert_eq!(normalize_user_code("BCDF-GHJK"), "BCDF-GHJK");
    }
}
