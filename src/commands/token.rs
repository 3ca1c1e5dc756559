//! `oauthctl token` and `oauthctl header`: a valid access token for scripts, refreshed
//! first when it is about to expire, safely under concurrency.
//!
//! The fast path (a stored token that is still valid) reads the index and the session
//! and prints: no async runtime, no HTTP client, no lock. Only an expiring session takes
//! the session's cross-process lock, re-reads it (another process may have refreshed it
//! meanwhile), refreshes, and writes it back before releasing the lock (`session`).
//! `--login` logs in first when needed: the dispatcher composes that with `login`.

use serde::Serialize;

use crate::cli::{DpopTargetArgs, HeaderArgs, TokenArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::session::{fresh_access, fresh_session};
use crate::store::Session;

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
    /// A DPoP proof for `--method`/`--url` (a DPoP-bound session).
    #[serde(skip_serializing_if = "Option::is_none")]
    dpop_proof: Option<String>,
}

/// A DPoP proof for the request `target` names (`--method`, `--url`).
fn dpop_proof(s: &Session, target: &DpopTargetArgs) -> Result<Option<String>> {
    match &target.url {
        Some(url) => crate::api::dpop_proof_for(s, &target.method, url),
        None => Ok(None),
    }
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
            dpop_proof: dpop_proof(&s, &args.dpop)?,
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
    let proof = dpop_proof(&s, &args.dpop)?;
    if crate::api::dpop_bound(&s) && proof.is_none() {
        return Err(Error::input(format!(
            "the session of {} is DPoP-bound (RFC 9449): its token goes with a proof made for one request, and no --url was given",
            s.key()
        ))
        .with_hint(format!(
            "pass the request: oauthctl header -p {} --method GET --url https://api.example.com/PATH",
            s.provider
        )));
    }
    let mut out = format!(
        "Authorization: {} {}\n",
        s.tokens.scheme(),
        s.tokens.access_token.expose()
    );
    if let Some(p) = proof {
        out.push_str(&format!("DPoP: {p}\n"));
    }
    output::stdout(&out)
}
