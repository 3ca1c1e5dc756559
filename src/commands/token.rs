//! `oauthctl token` and `oauthctl header`: a valid access token for scripts, refreshed
//! first when it is about to expire, safely under concurrency.
//!
//! The fast path (a stored token that is still valid) reads the index and the session
//! and prints: no async runtime, no HTTP client, no lock. Only an expiring session takes
//! the session's cross-process lock, re-reads it (another process may have refreshed it
//! meanwhile), refreshes, and writes it back before releasing the lock.

use std::time::Duration;

use clap::Parser;
use serde_json::json;

use crate::cli::{Cli, Command, HeaderArgs, TokenArgs};
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::oauth::refresh::{self, RefreshError};
use crate::output;
use crate::provider::ProviderSpec;
use crate::store::{unix_now, Session, SessionKey, Store};

/// What `fresh_session` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The stored token was valid.
    Cached,
    /// This process refreshed it.
    Refreshed,
    /// Another process refreshed it while this one waited for the lock.
    RefreshedElsewhere,
}

/// Login-required errors are one line naming the command to run, for scripts' logs.
fn not_logged_in(key: &SessionKey) -> Error {
    Error::login_required(format!(
        "no session for {key}: run `{}`",
        key.login_command()
    ))
}

fn needs_login(key: &SessionKey, reason: &str) -> Error {
    Error::login_required(format!(
        "the session of {key} can no longer be refreshed ({reason}): run `{}`",
        key.login_command()
    ))
}

fn expiring(s: &Session, min_ttl: Duration, now: u64) -> bool {
    s.tokens
        .expires_at
        .is_some_and(|e| e < now.saturating_add(min_ttl.as_secs()))
}

/// The current profile's session of the selected provider, refreshed first when it
/// expires within `min_ttl` (always when `force`). Errors: no session or a refused
/// refresh → login required (4); network, server and storage failures keep the stored
/// session as it was.
pub fn fresh_session(
    ctx: &Context,
    min_ttl: Duration,
    force: bool,
) -> Result<(Session, Freshness)> {
    let name = ctx.provider_name()?;
    let key = ctx.session_key(&name)?;
    let store = ctx.store()?;
    let now = unix_now();
    let (session, meta) = store.peek(&key)?.ok_or_else(|| not_logged_in(&key))?;
    if let Some(reason) = meta.as_ref().and_then(|m| m.needs_login.clone()) {
        return Err(needs_login(&key, &reason));
    }
    if !force && !expiring(&session, min_ttl, now) {
        register(ctx, &session);
        return Ok((session, Freshness::Cached));
    }
    refresh_locked(ctx, &store, &key, min_ttl, force, &session)
}

/// Lock, re-read, refresh when still needed, write, unlock.
fn refresh_locked(
    ctx: &Context,
    store: &Store,
    key: &SessionKey,
    min_ttl: Duration,
    force: bool,
    seen: &Session,
) -> Result<(Session, Freshness)> {
    let guard = store.lock(key)?;
    let current = guard.load()?.ok_or_else(|| not_logged_in(key))?;
    if let Some(reason) = guard.meta()?.and_then(|m| m.needs_login) {
        return Err(needs_login(key, &reason));
    }
    let changed = current.tokens.access_token != seen.tokens.access_token;
    // Another process refreshed it while this one waited for the lock: its token is the
    // answer as long as it has not expired, even when the server's lifetime is shorter
    // than --min-ttl (refreshing again would only make every waiter refresh in turn).
    if changed && !expiring(&current, Duration::ZERO, unix_now()) {
        register(ctx, &current);
        return Ok((current, Freshness::RefreshedElsewhere));
    }
    if !force && !expiring(&current, min_ttl, unix_now()) {
        register(ctx, &current);
        return Ok((current, Freshness::Cached));
    }
    register(ctx, &current);
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&ProviderSpec::default()))?;
    if !refresh::renews_by_asking_again(&current) && !refresh::supported(&provider) {
        return Err(Error::login_required(format!(
            "the access token of {key} has expired and {} has no refresh grant: run `{}`",
            provider.display_name(),
            key.login_command()
        )));
    }
    let result = rt.block_on(refresh::renew(ctx.http()?, &provider, &current));
    match result {
        Ok(fresh) => {
            register(ctx, &fresh);
            guard.save(&fresh)?;
            Ok((fresh, Freshness::Refreshed))
        }
        Err(RefreshError::LoginRequired {
            reason,
            error,
            explained,
        }) => {
            // Keep the tokens; remember that only a login helps.
            guard.mark_needs_login(&reason)?;
            // `token` and `header` say it in one line, for scripts; an explicit
            // `refresh` explains the refusal too.
            Err(match explained {
                Some(h) if force => error.with_hint(ctx.redact(&h)),
                _ => error,
            })
        }
        Err(RefreshError::Failed(e)) => Err(e),
    }
}

fn register(ctx: &Context, s: &Session) {
    ctx.secret(s.tokens.access_token.expose());
    if let Some(r) = &s.tokens.refresh_token {
        ctx.secret(r.expose());
    }
    if let Some(i) = &s.tokens.id_token {
        ctx.secret(i.expose());
    }
}

/// `fresh_session`, or with `--login` a login first when one is needed.
fn session_or_login(ctx: &Context, min_ttl: Duration, login: bool) -> Result<Session> {
    match fresh_session(ctx, min_ttl, false) {
        Ok((s, _)) => Ok(s),
        Err(e) if login && e.kind == ErrorKind::LoginRequired => {
            ctx.ui.info(&format!("{}: logging in", e.message));
            let args = match Cli::try_parse_from(["oauthctl", "login"]).map(|c| c.command) {
                Ok(Command::Login(a)) => a,
                _ => return Err(Error::internal("cannot build the default login options")),
            };
            super::login::run(&args, ctx)?;
            fresh_session(ctx, min_ttl, false).map(|(s, _)| s)
        }
        Err(e) => Err(e),
    }
}

/// `Bearer` for any spelling of it (Worksection answers `bearer`).
pub fn token_type(raw: &str) -> String {
    if raw.is_empty() || raw.eq_ignore_ascii_case("bearer") {
        "Bearer".into()
    } else {
        raw.to_string()
    }
}

pub fn run_token(args: &TokenArgs, ctx: &Context) -> Result<()> {
    let s = session_or_login(ctx, args.min_ttl, args.login)?;
    if ctx.global.json {
        return output::json(&json!({
            "access_token": s.tokens.access_token.expose(),
            "token_type": token_type(&s.tokens.token_type),
            "expires_at": s.tokens.expires_at,
            "scopes": s.tokens.scopes,
        }));
    }
    let value = if args.id_token {
        s.tokens.id_token.as_ref().ok_or_else(|| {
            Error::input(format!("the session of {} has no ID token", s.key())).with_hint(
                "ID tokens come from OpenID Connect providers when the `openid` scope is granted: log in with --scope openid",
            )
        })?
    } else {
        &s.tokens.access_token
    };
    output::stdout(&format!("{}\n", value.expose()))
}

pub fn run_header(args: &HeaderArgs, ctx: &Context) -> Result<()> {
    let s = session_or_login(ctx, args.min_ttl, args.login)?;
    output::stdout(&format!(
        "Authorization: {} {}\n",
        token_type(&s.tokens.token_type),
        s.tokens.access_token.expose()
    ))
}
