//! Session freshness, beside the store: the stored session when it is valid long
//! enough, else one locked, single-flight renewal (lock, re-read, renew when still
//! needed, write) so that any number of processes asking at once refresh once. A
//! refused refresh keeps the tokens and marks the session as needing a login; a network
//! or server failure leaves it byte for byte as it was.

pub mod credential;
pub mod renew;

use std::time::Duration;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::token::IdTokenRules;
use crate::provider::ProviderSpec;
use crate::store::index::SessionMeta;
use crate::store::{token_fingerprint, unix_now, Session, SessionKey, Store};
use renew::RefreshError;

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

fn needs_login(session: &Session, reason: &str) -> Error {
    let key = session.key();
    Error::login_required(format!(
        "the session of {key} can no longer be refreshed ({reason}): run `{}`",
        session.login_command()
    ))
}

/// A session that must be renewed but holds no refresh token.
fn without_refresh_token(session: &Session) -> Error {
    let state = if expiring(session, Duration::ZERO, unix_now()) {
        "has expired and has no refresh token"
    } else {
        "cannot be refreshed: it has no refresh token"
    };
    Error::login_required(format!(
        "the session of {} {state}: run `{}`",
        session.key(),
        session.login_command()
    ))
}

/// A session whose refresh was refused: its access token while it is still valid (with
/// a warning, since only a login renews it), else login required. An explicit refresh
/// (`force`) always says login required.
fn still_valid(
    ctx: &Context,
    session: Session,
    reason: &str,
    force: bool,
) -> Result<(Session, Freshness)> {
    let now = unix_now();
    let valid = session.tokens.expires_at.is_some_and(|e| e > now);
    if force || !valid {
        return Err(needs_login(&session, reason));
    }
    let left = crate::duration::expires_in_words(session.tokens.expires_at, now)
        .unwrap_or_else(|| "soon".into());
    ctx.ui.warn(&ctx.redact(&format!(
        "the session of {} can no longer be refreshed ({reason}); its access token still works and expires {left}: run `{}` before then",
        session.key(),
        session.login_command()
    )));
    ctx.secret_tokens(&session.tokens);
    Ok((session, Freshness::Cached))
}

/// A refresh that worked but could not be stored. When the server rotated the refresh
/// token, the stored one is now dead: say so, and what to do.
fn unsaved_rotation(e: Error, old: &Session, fresh: &Session) -> Error {
    let rotated = old.tokens.refresh_token.is_some()
        && fresh.tokens.refresh_token.is_some()
        && old.tokens.refresh_token != fresh.tokens.refresh_token;
    if !rotated {
        return e;
    }
    let hint = e.hint.clone().unwrap_or_default();
    Error::new(
        e.kind,
        format!(
            "the server renewed the session of {} and rotated its refresh token, but the new tokens could not be stored: {}. The stored refresh token has been replaced at the server and will be refused",
            old.key(),
            e.message
        ),
    )
    .with_hint(format!(
        "{}{}then run `{}` to get a new session",
        hint,
        if hint.is_empty() { "" } else { "; " },
        old.login_command()
    ))
}

/// Whether a client refused the session's access token (see
/// [`crate::store::SessionGuard::mark_refused`]).
fn is_refused(meta: Option<&SessionMeta>, s: &Session) -> bool {
    meta.and_then(|m| m.refused_token.as_deref())
        .is_some_and(|f| f == token_fingerprint(s.tokens.access_token.expose()))
}

/// Marks the current profile's session so that the next request for a token renews it
/// first, when `access_token` (the one a client refused) is still its token. Returns
/// whether it was marked; no session is not an error (there is nothing to renew).
pub fn mark_refused(ctx: &Context, access_token: &str) -> Result<bool> {
    let name = ctx.provider_name()?;
    let key = ctx.session_key(&name)?;
    ctx.store()?.lock(&key)?.mark_refused(access_token)
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
    fresh_session_with(ctx, min_ttl, force, &IdTokenRules::default())
}

/// [`fresh_session`], with a new ID token checked by `rules` (`refresh --leeway`,
/// `--no-verify-id-token`).
pub fn fresh_session_with(
    ctx: &Context,
    min_ttl: Duration,
    force: bool,
    rules: &IdTokenRules,
) -> Result<(Session, Freshness)> {
    fresh(ctx, min_ttl, force, rules, false)
}

/// [`fresh_session`] for a caller that uses the access token only (`token`, `header`,
/// the credential helpers): a valid token may come from the kernel keyring cache, so the
/// session it returns may lack its refresh and ID tokens.
pub fn fresh_access(ctx: &Context, min_ttl: Duration) -> Result<(Session, Freshness)> {
    fresh(ctx, min_ttl, false, &IdTokenRules::default(), true)
}

fn fresh(
    ctx: &Context,
    min_ttl: Duration,
    force: bool,
    rules: &IdTokenRules,
    access_only: bool,
) -> Result<(Session, Freshness)> {
    let name = ctx.provider_name()?;
    let key = ctx.session_key(&name)?;
    let store = ctx.store()?;
    let now = unix_now();
    let peeked = if access_only {
        store.peek_access(&key)?
    } else {
        store.peek(&key)?
    };
    let (session, meta) = peeked.ok_or_else(|| not_logged_in(&key))?;
    let refused = is_refused(meta.as_ref(), &session);
    if let Some(reason) = meta.as_ref().and_then(|m| m.needs_login.clone()) {
        return still_valid(ctx, session, &reason, force || refused);
    }
    if !force && !refused && !expiring(&session, min_ttl, now) {
        ctx.secret_tokens(&session.tokens);
        return Ok((session, Freshness::Cached));
    }
    refresh_locked(ctx, &store, &key, (min_ttl, force), &session, rules)
}

/// Lock, re-read, refresh when still needed, write, unlock.
fn refresh_locked(
    ctx: &Context,
    store: &Store,
    key: &SessionKey,
    (min_ttl, force): (Duration, bool),
    seen: &Session,
    rules: &IdTokenRules,
) -> Result<(Session, Freshness)> {
    let guard = store.lock(key)?;
    let current = guard.load()?.ok_or_else(|| not_logged_in(key))?;
    let meta = guard.meta()?;
    // A token a client refused (`git-credential erase`) is renewed, never handed out.
    let refused = is_refused(meta.as_ref(), &current);
    if let Some(reason) = meta.and_then(|m| m.needs_login) {
        return still_valid(ctx, current, &reason, force || refused);
    }
    let changed = current.tokens.access_token != seen.tokens.access_token;
    // Another process refreshed it while this one waited for the lock: its token is the
    // answer as long as it has not expired, even when the server's lifetime is shorter
    // than --min-ttl (refreshing again would only make every waiter refresh in turn).
    if changed && !refused && !expiring(&current, Duration::ZERO, unix_now()) {
        ctx.secret_tokens(&current.tokens);
        return Ok((current, Freshness::RefreshedElsewhere));
    }
    if !force && !refused && !expiring(&current, min_ttl, unix_now()) {
        ctx.secret_tokens(&current.tokens);
        return Ok((current, Freshness::Cached));
    }
    ctx.secret_tokens(&current.tokens);
    // Without a refresh token only a login helps (Onboardbase issues none). Whether the
    // server's metadata lists the refresh grant is advisory: a held refresh token is
    // always tried, and a refusal is explained like any other.
    if !current.renews_by_asking_again() && current.tokens.refresh_token.is_none() {
        return Err(without_refresh_token(&current));
    }
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&ProviderSpec::default()))?;
    let result = rt.block_on(renew::renew(ctx.http()?, &provider, &current, rules));
    match result {
        Ok(fresh) => {
            ctx.secret_tokens(&fresh.tokens);
            guard
                .save(&fresh)
                .map_err(|e| unsaved_rotation(e, &current, &fresh))?;
            Ok((fresh, Freshness::Refreshed))
        }
        Err(RefreshError::LoginRequired {
            reason,
            error,
            explained,
        }) => {
            // Keep the tokens; remember that only a login helps.
            guard.mark_needs_login(&reason)?;
            // The access token still works for a while: hand it out, with the refusal
            // (not one a client has refused already).
            if !force && !refused && !expiring(&current, Duration::ZERO, unix_now()) {
                return still_valid(ctx, current, &format!("refused: {reason}"), force);
            }
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
