//! The credential another tool asks for (`git-credential`, `kubectl-credential`, `run`):
//! a fresh access token or ID token with its expiry, by the session's freshness rules
//! (the valid session, or one locked single-flight renewal). A login that is needed is
//! an error of kind `LoginRequired` (exit code 4) naming the login command. A valid
//! access token is read from the kernel keyring cache first, as `token` does.

use std::time::Duration;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::jwt::{self, Token};
use crate::secret::Secret;
use crate::store::{unix_now, Session};

use super::{fresh_access, fresh_session};

/// Which token a tool gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    AccessToken,
    IdToken,
}

/// A token for a tool.
pub struct Credential {
    pub token: Secret,
    /// The `Authorization` scheme of an access token (`Bearer`, or as the server said).
    pub scheme: String,
    /// Unix time; `None` when neither the server nor the token said.
    pub expires_at: Option<u64>,
}

/// A fresh token of the current profile's session: valid for at least `min_ttl` where
/// its expiry is known. An ID token that has expired (or expires within `min_ttl`)
/// renews the session, which brings a new one from an OpenID Connect provider.
pub fn fresh_credential(ctx: &Context, min_ttl: Duration, what: Use) -> Result<Credential> {
    if what == Use::AccessToken {
        // A valid access token may come from the kernel keyring cache.
        let s = fresh_access(ctx, min_ttl)?.0;
        crate::oauth::token::check_stored(&s.tokens)?;
        return Ok(Credential {
            token: s.tokens.access_token.clone(),
            scheme: s.tokens.scheme(),
            expires_at: s.tokens.expires_at,
        });
    }
    let s = fresh_session(ctx, min_ttl, false)?.0;
    crate::oauth::token::check_stored(&s.tokens)?;
    let (token, exp) = id_token(&s)?;
    if !expires_within(exp, min_ttl) {
        return Ok(id_credential(&s, token, exp));
    }
    let s = fresh_session(ctx, min_ttl, true)?.0;
    crate::oauth::token::check_stored(&s.tokens)?;
    let (token, exp) = id_token(&s)?;
    if exp.is_some_and(|e| e <= unix_now()) {
        return Err(Error::login_required(format!(
            "the ID token of {} has expired and renewing the session brought no new one: run `{}`",
            s.key(),
            s.login_command()
        )));
    }
    Ok(id_credential(&s, token, exp))
}

fn id_credential(s: &Session, token: Secret, exp: Option<u64>) -> Credential {
    Credential {
        token,
        scheme: s.tokens.scheme(),
        expires_at: exp,
    }
}

fn expires_within(exp: Option<u64>, min_ttl: Duration) -> bool {
    exp.is_some_and(|e| e < unix_now().saturating_add(min_ttl.as_secs()))
}

/// The session's ID token and its `exp` (unverified: it was checked when it came).
fn id_token(s: &Session) -> Result<(Secret, Option<u64>)> {
    let t = s.tokens.id_token.clone().ok_or_else(|| {
        Error::login_required(format!(
            "the session of {} has no ID token: run `{} --scope openid`",
            s.key(),
            s.login_command()
        ))
    })?;
    let exp = match jwt::parse(t.expose()) {
        Ok(Token::Jws(j)) => j.claims.get("exp").and_then(serde_json::Value::as_u64),
        _ => None,
    };
    Ok((t, exp.or(s.tokens.expires_at)))
}
