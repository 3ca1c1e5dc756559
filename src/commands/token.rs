//! `oauthctl token` and `oauthctl header`: a valid access token for scripts, refreshed
//! first when it is about to expire, safely under concurrency.
//!
//! The fast path (a stored token that is still valid) reads the index and the session
//! and prints: no async runtime, no HTTP client, no lock. Only an expiring session takes
//! the session's cross-process lock, re-reads it (another process may have refreshed it
//! meanwhile), refreshes, and writes it back before releasing the lock (`session`).
//! `--login` logs in first when needed: the dispatcher composes that with `login`.

use serde::Serialize;

use crate::cli::{HeaderArgs, TokenArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::session::{fresh_access, fresh_session};

/// `token --json`.
#[derive(Serialize)]
struct TokenJson<'a> {
    access_token: &'a str,
    token_type: String,
    expires_at: Option<u64>,
    scopes: &'a [String],
    /// Granted by a rich authorization request (RFC 9396).
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_details: Option<&'a serde_json::Value>,
}

pub fn run_token(args: &TokenArgs, ctx: &Context) -> Result<()> {
    // The ID token is not in the kernel keyring cache: `--id-token` reads the session.
    let s = if args.id_token {
        fresh_session(ctx, args.min_ttl, false)?.0
    } else {
        fresh_access(ctx, args.min_ttl)?.0
    };
    crate::oauth::token::check_stored(&s.tokens)?;
    if ctx.global.json {
        return output::json(&TokenJson {
            access_token: s.tokens.access_token.expose(),
            token_type: s.tokens.scheme(),
            expires_at: s.tokens.expires_at,
            scopes: &s.tokens.scopes,
            authorization_details: s.tokens.extra.get(crate::oauth::rar::PARAM),
        });
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
    let s = fresh_access(ctx, args.min_ttl)?.0;
    crate::oauth::token::check_stored(&s.tokens)?;
    output::stdout(&format!(
        "Authorization: {} {}\n",
        s.tokens.scheme(),
        s.tokens.access_token.expose()
    ))
}
