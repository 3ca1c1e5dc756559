//! The device authorization grant (RFC 8628): ask for a user code, then poll the token
//! endpoint while the person approves on another device.
//!
//! Polling follows §3.5 literally: wait `interval` seconds (5 when the server gives
//! none) before every request, keep polling on `authorization_pending`, add 5 s to the
//! interval for this and every later request on `slow_down`, double it on a connection
//! timeout, and stop on any other answer (`access_denied`, `expired_token`, …). The
//! interval comes only from the server: a small one is honoured as it is.

use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::http::Http;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::error::OAuthError;
use crate::provider::{Endpoint, Provider, DEVICE_CODE_GRANT};
use crate::secret::Secret;

/// The interval when the server gives none (§3.2).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// What `slow_down` adds (§3.5).
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// An interval of 0 is not a reason to poll in a tight loop.
pub const MIN_WAIT: Duration = Duration::from_millis(200);
/// The longest interval honoured (a server asking for more is waited on this long).
pub const MAX_INTERVAL: Duration = Duration::from_secs(3600);
/// The longest device code lifetime honoured (1e300 seconds is "a day" here).
pub const MAX_LIFETIME: Duration = Duration::from_secs(86400);

/// The device authorization response (§3.2).
#[derive(Debug)]
pub struct DeviceAuthorization {
    pub device_code: Secret,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    /// How long the codes live; `None` when the server did not say.
    pub expires_in: Option<Duration>,
    /// The polling interval the server asked for (or the default).
    pub interval: Duration,
    /// When the answer arrived: expiry counts from here.
    pub received_at: Instant,
}

impl DeviceAuthorization {
    /// When the device code expires, if the server said.
    pub fn deadline(&self) -> Option<Instant> {
        self.expires_in
            .and_then(|e| self.received_at.checked_add(e.min(MAX_LIFETIME)))
    }
}

/// What happened at one poll that did not end the flow.
#[derive(Debug, Clone, PartialEq)]
pub enum PollEvent {
    /// `authorization_pending`: the person has not approved yet.
    Pending,
    /// `slow_down`: the interval is now `interval`.
    SlowDown { interval: Duration },
    /// The request timed out: the interval is now `interval` and polling goes on.
    TimedOut { interval: Duration },
}

fn http_url(field: &str, v: &str, provider: &Provider) -> Result<String> {
    match url::Url::parse(v) {
        // The parsed form: control characters percent-encoded, never raw on a terminal.
        Ok(u) if matches!(u.scheme(), "https" | "http") => Ok(u.to_string()),
        _ => Err(Error::server(format!(
            "{} answered the device authorization with a {field} that is not an http(s) URL: `{v}`",
            provider.display_name()
        ))
        .with_hint("the server is misconfigured; report it to its administrators")),
    }
}

fn seconds(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite() && *f >= 0.0),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && *f >= 0.0),
        _ => None,
    }
}

/// Seconds from a server as a duration, at most `max` (never a panic: 1e300, 10^19).
fn clamped(secs: f64, max: Duration) -> Duration {
    Duration::try_from_secs_f64(secs).map_or(max, |d| d.min(max))
}

/// Reads a device authorization answer.
pub fn parse_authorization(
    provider: &Provider,
    o: &Map<String, Value>,
    received_at: Instant,
) -> Result<DeviceAuthorization> {
    let s = |k: &str| o.get(k).and_then(Value::as_str).filter(|x| !x.is_empty());
    let missing = |k: &str| {
        Error::server(format!(
            "{} answered the device authorization without `{k}`",
            provider.display_name()
        ))
        .with_hint("the endpoint may not be a device authorization endpoint (RFC 8628): check `device_authorization_endpoint` with --trace")
    };
    let device_code = s("device_code").ok_or_else(|| missing("device_code"))?;
    let user_code = s("user_code").ok_or_else(|| missing("user_code"))?;
    // `verification_url` is what some servers (Google) send.
    let verification_uri = s("verification_uri")
        .or_else(|| s("verification_url"))
        .ok_or_else(|| missing("verification_uri"))?;
    let verification_uri = http_url("verification_uri", verification_uri, provider)?;
    let verification_uri_complete = match s("verification_uri_complete") {
        Some(c) => Some(http_url("verification_uri_complete", c, provider)?),
        None => None,
    };
    let interval = o
        .get("interval")
        .and_then(seconds)
        .map(|s| clamped(s, MAX_INTERVAL))
        .unwrap_or(DEFAULT_INTERVAL);
    let expires_in = o
        .get("expires_in")
        .and_then(seconds)
        .map(|s| clamped(s, MAX_LIFETIME));
    Ok(DeviceAuthorization {
        device_code: Secret::new(device_code),
        // Shown on the terminal: a server's words, made inert.
        user_code: crate::text::untrusted(user_code),
        verification_uri,
        verification_uri_complete,
        expires_in,
        interval,
        received_at,
    })
}

/// Asks the device authorization endpoint for a user code (§3.1). `params` are the
/// request's parameters (scope, audience, …); the client authenticates as the
/// provider says.
pub async fn authorize(
    http: &Http,
    provider: &Provider,
    client: &ClientCredentials,
    params: &[(String, String)],
) -> Result<DeviceAuthorization> {
    let endpoint = provider.require_endpoint(Endpoint::DeviceAuthorization)?;
    let req = crate::oauth::client_auth::build_request(provider, &endpoint, params, client)?;
    let resp = http.send(req).await?;
    let received_at = Instant::now();
    if !resp.is_success() {
        return Err(OAuthError::parse(provider, &resp).to_error(
            provider,
            "the device authorization request",
            DEVICE_CODE_GRANT,
        ));
    }
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(o)) => parse_authorization(provider, &o, received_at),
        _ => {
            let mut e = OAuthError::parse(provider, &resp);
            e.error = "invalid_device_authorization_response".into();
            Err(e.to_error(
                provider,
                "the device authorization request",
                DEVICE_CODE_GRANT,
            ))
        }
    }
}

/// The error for a device code that expired before it was approved.
pub fn expired(provider: &Provider, auth: &DeviceAuthorization, by_server: bool) -> Error {
    let life = auth
        .expires_in
        .map(|e| format!(" (it was valid {})", crate::duration::human(e)))
        .unwrap_or_default();
    let how = if by_server {
        format!("{} answered expired_token", provider.display_name())
    } else {
        "its lifetime is over".to_string()
    };
    Error::new(
        ErrorKind::Timeout,
        format!(
            "the device code expired before the login was approved{life}: {how}; nothing was stored"
        ),
    )
    .with_hint(format!(
        "run `oauthctl login -p {} --device` again and approve it at {} sooner",
        provider.name, auth.verification_uri
    ))
}

/// The error for a refused device authorization.
pub fn denied(provider: &Provider, e: &OAuthError) -> Error {
    Error::server(format!(
        "the login was denied at {}: {e}; nothing was stored",
        provider.display_name()
    ))
    .with_hint(format!(
        "the person who entered the code refused it (or this account may not use the client): run `oauthctl login -p {} --device` again and approve it",
        provider.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::{presets, Origin};
    use serde_json::json;

    fn provider() -> Provider {
        Provider {
            name: "teamwork".into(),
            origin: Origin::Preset,
            spec: presets().unwrap().remove("teamwork").unwrap_or_default(),
            discovered_from: None,
        }
    }

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(o) => o,
            _ => Map::new(),
        }
    }

    #[test]
    fn reads_the_answer_with_defaults_and_aliases() {
        let now = Instant::now();
        let a = parse_authorization(
            &provider(),
            &obj(json!({"device_code": "dc", "user_code": "BCDF-GHJK", "verification_url": "https://x/device", "expires_in": 600})),
            now,
        )
        .unwrap();
        assert_eq!(a.interval, DEFAULT_INTERVAL);
        assert_eq!(a.verification_uri, "https://x/device");
        assert_eq!(a.deadline(), Some(now + Duration::from_secs(600)));
        assert!(format!("{a:?}").contains("[redacted]"));
        let a = parse_authorization(
            &provider(),
            &obj(json!({"device_code": "dc", "user_code": "u", "verification_uri": "http://127.0.0.1/d", "verification_uri_complete": "http://127.0.0.1/d?user_code=u", "interval": 0})),
            now,
        )
        .unwrap();
        assert_eq!(a.interval, Duration::ZERO, "a small interval is honoured");
        assert_eq!(a.expires_in, None);
    }

    #[test]
    fn refuses_answers_it_cannot_use() {
        let now = Instant::now();
        let e = parse_authorization(
            &provider(),
            &obj(json!({"user_code": "u", "verification_uri": "https://x"})),
            now,
        )
        .unwrap_err();
        assert!(e.message.contains("device_code"), "{}", e.message);
        let e = parse_authorization(
            &provider(),
            &obj(json!({"device_code": "d", "user_code": "u", "verification_uri": "javascript:alert(1)"})),
            now,
        )
        .unwrap_err();
        assert!(e.message.contains("not an http(s) URL"), "{}", e.message);
        assert_eq!(e.exit_code(), 5);
    }
}
