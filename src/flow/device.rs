//! Polling for the device authorization grant's tokens (RFC 8628 §3.4, §3.5): the one
//! token request, repeated at the server's interval, slowed down when it says so.

use std::time::Instant;

use crate::error::{ErrorKind, Result};
use crate::flow::token::{GrantParams, IdTokenRules, TokenCall, TokenFailure};
use crate::http::Http;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::device::{
    denied, expired, DeviceAuthorization, PollEvent, DEFAULT_INTERVAL, MAX_INTERVAL, MIN_WAIT,
    SLOW_DOWN_STEP,
};
use crate::provider::{Provider, DEVICE_CODE_GRANT};
use crate::store::TokenSet;

/// Polls the token endpoint until the person approves (tokens), refuses, or the code
/// expires. `extra` is added to every poll (`--token-param`); `on_event` hears about
/// every poll that lets polling go on; an ID token is checked by `rules`.
#[allow(clippy::too_many_arguments)]
pub async fn poll(
    http: &Http,
    provider: &Provider,
    token_endpoint: &str,
    client: &ClientCredentials,
    auth: &DeviceAuthorization,
    requested: &[String],
    extra: &[(String, String)],
    rules: IdTokenRules,
    dpop: Option<&crate::oauth::dpop::DpopKey>,
    mut on_event: impl FnMut(&PollEvent),
) -> Result<TokenSet> {
    let grant = GrantParams::DeviceCode {
        device_code: auth.device_code.expose(),
    };
    let call = TokenCall::new(
        provider,
        client,
        token_endpoint.to_string(),
        &grant,
        extra,
        "login",
    )
    .requested(requested)
    .id_token_rules(rules)
    .dpop(dpop);
    let mut interval = auth.interval;
    let deadline = auth.deadline();
    loop {
        let wait = interval.max(MIN_WAIT);
        if let Some(d) = deadline {
            if Instant::now().checked_add(wait).is_none_or(|t| t >= d) {
                // The code expires before the next poll may be sent: wait it out, then
                // say so (there is no point in a request the server must refuse).
                tokio::time::sleep_until(d.into()).await;
                return Err(expired(provider, auth, false));
            }
        }
        tokio::time::sleep(wait).await;
        match call.run(http, &mut |_| {}).await {
            Ok(tokens) => return Ok(tokens),
            Err(TokenFailure::Failed(e)) if e.kind == ErrorKind::Timeout => {
                // §3.5: reduce the polling frequency on a connection timeout.
                interval = interval
                    .saturating_mul(2)
                    .clamp(DEFAULT_INTERVAL, MAX_INTERVAL);
                on_event(&PollEvent::TimedOut { interval });
            }
            Err(TokenFailure::Failed(e)) => return Err(e),
            Err(TokenFailure::Refused(r)) => match r.oauth.error.as_str() {
                "authorization_pending" => on_event(&PollEvent::Pending),
                "slow_down" => {
                    interval = interval.saturating_add(SLOW_DOWN_STEP).min(MAX_INTERVAL);
                    on_event(&PollEvent::SlowDown { interval });
                }
                "expired_token" => return Err(expired(provider, auth, true)),
                "access_denied" => return Err(denied(provider, &r.oauth)),
                _ => {
                    let what = "the device token request";
                    return Err(r.oauth.to_error(provider, what, DEVICE_CODE_GRANT));
                }
            },
        }
    }
}
