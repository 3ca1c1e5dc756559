//! `oauthctl refresh`: refresh the session now, whatever its expiry.

use serde::Serialize;

use crate::cli::RefreshArgs;
use crate::context::Context;
use crate::error::Result;
use crate::flow::token::IdTokenRules;
use crate::output;
use crate::session::{fresh_session_with, Freshness};
use crate::store::unix_now;

/// `refresh --json`.
#[derive(Serialize)]
struct RefreshJson<'a> {
    provider: &'a str,
    profile: &'a str,
    token_type: String,
    expires_at: Option<u64>,
    scopes: &'a [String],
    refresh_token_rotated: bool,
    grant: &'static str,
}

pub fn run(args: &RefreshArgs, ctx: &Context) -> Result<()> {
    let before = {
        let name = ctx.provider_name()?;
        let key = ctx.session_key(&name)?;
        ctx.store()?.peek(&key)?.map(|(s, _)| s)
    };
    let rules = IdTokenRules::new(args.id_token.leeway, args.id_token.no_verify_id_token);
    let (s, how) = fresh_session_with(ctx, std::time::Duration::ZERO, true, &rules)?;
    if let Some(c) = s.tokens.id_token_check.as_ref().filter(|c| !c.verified) {
        ctx.ui.warn(&format!(
            "the new ID token failed its checks and is stored anyway (--no-verify-id-token): {}",
            ctx.redact(c.failure.as_deref().unwrap_or("unknown reason"))
        ));
    }
    if let Some(w) = crate::oauth::token::born_expired(&s.tokens, unix_now()) {
        ctx.ui.warn(w);
    }
    let rotated = match &before {
        Some(b) => b.tokens.refresh_token != s.tokens.refresh_token,
        None => false,
    };
    let expires = crate::duration::expires_in_words(s.tokens.expires_at, unix_now())
        .map(|w| format!("expires {w}"))
        .unwrap_or_else(|| "no expiry given".into());
    let by = match how {
        Freshness::RefreshedElsewhere => " (by another oauthctl process)",
        _ => "",
    };
    let scopes = if s.tokens.scopes.is_empty() {
        "-".to_string()
    } else {
        s.tokens.scopes.join(" ")
    };
    if s.renews_by_asking_again() {
        ctx.ui.info(&format!(
            "Renewed {}{by} by asking again ({}, no refresh token): access token {expires}; scopes: {scopes}",
            s.key(),
            s.grant.describe(),
        ));
    } else {
        ctx.ui.info(&format!(
            "Refreshed {}{by}: access token {expires}; refresh token {}; scopes: {scopes}",
            s.key(),
            if rotated { "rotated" } else { "kept" },
        ));
    }
    if ctx.global.json {
        return output::json(&RefreshJson {
            provider: &s.provider,
            profile: &s.profile,
            token_type: s.tokens.scheme(),
            expires_at: s.tokens.expires_at,
            scopes: &s.tokens.scopes,
            refresh_token_rotated: rotated,
            grant: s.grant.name(),
        });
    }
    Ok(())
}
