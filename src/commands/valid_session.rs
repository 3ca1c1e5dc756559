//! Not a subcommand: the session that `me` and `call` act with, refreshed first when
//! it is about to expire (or when the server refused its access token).
//!
//! Interim: `token`/`header`/`refresh` (issue 5) bring a shared "get a valid session,
//! refreshing first if needed" function; when it lands, `valid_session` is replaced by
//! it and this file goes away. Everything is in the one function on purpose.

use std::time::Duration;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::oauth::token::{self, ClientCredentials, OAuthError};
use crate::provider::Provider;
use crate::secret::Secret;
use crate::store::{self, Session};

/// A session whose access token expires within this is refreshed first.
pub const MIN_TTL: Duration = Duration::from_secs(60);

/// What the caller needs.
#[derive(Debug, Clone)]
pub enum Want {
    /// A session whose access token is valid for at least `MIN_TTL` when it can be
    /// refreshed (an expired one that cannot be is an error).
    Valid,
    /// The server refused this access token (a 401): refresh, unless another process
    /// already replaced it.
    Replace(Secret),
}

/// Loads the session of `provider` in the current profile under its lock, refreshes it
/// when `want` says so (`grant_type=refresh_token` at `refresh_endpoint`, else
/// `token_endpoint`, with the provider's client authentication; a refresh token the
/// server does not replace is kept), and saves it before the lock is released.
/// Runs `rt.block_on` itself: call it from synchronous code.
pub fn valid_session(
    ctx: &Context,
    rt: &tokio::runtime::Runtime,
    provider: &Provider,
    want: Want,
) -> Result<Session> {
    let key = ctx.session_key(&provider.name)?;
    let relogin = if key.profile == store::DEFAULT_PROFILE {
        format!("oauthctl login -p {}", provider.name)
    } else {
        format!(
            "oauthctl login -p {} --profile {}",
            provider.name, key.profile
        )
    };
    let store = ctx.store()?;
    let guard = store.lock(&key)?;
    let Some(mut session) = guard.load()? else {
        return Err(Error::login_required(format!("no session for {key}"))
            .with_hint(format!("log in first: `{relogin}`")));
    };
    let t = &session.tokens;
    ctx.secret(t.access_token.expose());
    for s in [&t.refresh_token, &t.id_token].into_iter().flatten() {
        ctx.secret(s.expose());
    }
    for s in t.secret_extra.values() {
        ctx.secret(s.expose());
    }
    let now = store::unix_now();
    let expired = t.expires_at.is_some_and(|e| e <= now);
    let refresh = match &want {
        Want::Valid => t.expires_at.is_some_and(|e| e <= now + MIN_TTL.as_secs()),
        // Another process refreshed meanwhile: its token is the one to try.
        Want::Replace(refused) => &t.access_token == refused,
    };
    if !refresh {
        return Ok(session);
    }
    let Some(refresh_token) = t.refresh_token.clone() else {
        return match want {
            Want::Valid if !expired => Ok(session),
            Want::Valid => {
                let ago = t
                    .expires_at
                    .map(|e| {
                        format!(
                            " {} ago",
                            crate::duration::human(Duration::from_secs(now - e))
                        )
                    })
                    .unwrap_or_default();
                Err(Error::login_required(format!(
                    "the session of {key} expired{ago} and has no refresh token"
                ))
                .with_hint(format!("log in again: `{relogin}`")))
            }
            Want::Replace(_) => Err(Error::login_required(format!(
                "{} refused the access token of {key}, and the session has no refresh token",
                provider.display_name()
            ))
            .with_hint(format!("log in again: `{relogin}`"))),
        };
    };
    let endpoint = match &provider.spec.refresh_endpoint {
        Some(e) => e.clone(),
        None => provider.require_endpoint("token_endpoint")?,
    };
    let client = ClientCredentials {
        client_id: match &session.client_id {
            Some(id) => id.clone(),
            None => provider.require_client_id()?,
        },
        client_secret: provider.client_secret(),
    };
    let params = vec![
        ("grant_type".to_string(), "refresh_token".to_string()),
        (
            "refresh_token".to_string(),
            refresh_token.expose().to_string(),
        ),
    ];
    let request = token::build_request(provider, &endpoint, &params, &client)?;
    let resp = rt.block_on(ctx.http()?.send(request))?;
    let mut fresh = match token::parse_response(provider, &resp, store::unix_now(), &t.scopes) {
        Ok(f) => f,
        Err(e) if matches!(e.error.as_str(), "invalid_grant" | "invalid_token") => {
            return Err(Error::login_required(format!(
                "{} refused to refresh the session of {key}: {}",
                provider.display_name(),
                ctx.redact(&e.to_string())
            ))
            .with_hint(format!(
                "the refresh token expired or was revoked (or rotated by another process): log in again: `{relogin}`"
            )));
        }
        Err(e) => return Err(refresh_error(ctx, provider, &e)),
    };
    ctx.secret(fresh.access_token.expose());
    for s in [&fresh.refresh_token, &fresh.id_token]
        .into_iter()
        .flatten()
    {
        ctx.secret(s.expose());
    }
    // RFC 6749 §6: the server may keep the refresh token; OIDC may omit the id_token.
    if fresh.refresh_token.is_none() {
        fresh.refresh_token = Some(refresh_token);
    }
    if fresh.id_token.is_none() {
        fresh.id_token = session.tokens.id_token.take();
    }
    let mut extra = std::mem::take(&mut session.tokens.extra);
    extra.append(&mut fresh.extra);
    fresh.extra = extra;
    let mut secret_extra = std::mem::take(&mut session.tokens.secret_extra);
    secret_extra.append(&mut fresh.secret_extra);
    fresh.secret_extra = secret_extra;
    session.tokens = fresh;
    session.obtained_at = store::unix_now();
    let saved = guard.save(&session)?;
    if let Some(f) = &saved.fallback {
        ctx.ui.warn(&format!(
            "the OS keyring is not reachable ({}); the refreshed session is stored in the file {} (readable only by you) instead",
            f.cause,
            f.path.display()
        ));
    }
    ctx.ui
        .detail(&format!("refreshed the access token of {key}"));
    Ok(session)
}

fn refresh_error(ctx: &Context, provider: &Provider, e: &OAuthError) -> Error {
    let err = e.to_error(provider, "the refresh request", "refresh_token");
    let hint = err.hint.clone().unwrap_or_default();
    Error::server(ctx.redact(&err.message)).with_hint(hint)
}
