//! The refresh grant (RFC 6749 §6) with the provider's quirks: its own refresh endpoint
//! (Worksection) or the token endpoint, its client authentication, and the rules for
//! what a refresh answer replaces.

use crate::error::{Error, ErrorKind, Result};
use crate::http::Http;
use crate::oauth::diagnose;
use crate::oauth::token::{self, ClientCredentials};
use crate::provider::Provider;
use crate::store::{unix_now, Session, TokenSet};

/// Why a refresh did not give new tokens.
#[derive(Debug)]
pub enum RefreshError {
    /// The server refused the refresh token (`invalid_grant` and the like): only a new
    /// login helps. The error says so (exit code 4).
    LoginRequired {
        reason: String,
        error: Error,
        /// The refusal explained (diagnosis), for callers that show more than one line.
        explained: Option<String>,
    },
    /// Anything else (network, 5xx, a bad answer): the stored session stays as it was.
    Failed(Error),
}

impl RefreshError {
    pub fn into_error(self) -> Error {
        match self {
            RefreshError::LoginRequired { error, .. } | RefreshError::Failed(error) => error,
        }
    }
}

/// OAuth errors that mean the refresh token (or the grant behind it) is dead.
const DEAD_GRANT: &[&str] = &["invalid_grant", "invalid_token", "unauthorized_client"];

/// Where refresh requests go: `refresh_endpoint`, else `token_endpoint`.
pub fn endpoint(provider: &Provider) -> Result<String> {
    match &provider.spec.refresh_endpoint {
        Some(e) => Ok(e.clone()),
        None => provider.require_endpoint("token_endpoint"),
    }
}

/// Whether the provider refreshes at all (Onboardbase does not).
pub fn supported(provider: &Provider) -> bool {
    provider
        .spec
        .grant_types_supported
        .as_ref()
        .is_none_or(|g| g.iter().any(|x| x == "refresh_token"))
}

/// Refreshes `session` and returns the new session. A rotated refresh token replaces
/// the old one; an answer without one keeps the old one (RFC 6749 §6), and so do the
/// ID token, the scopes and the provider's extra fields when the answer omits them.
pub async fn refresh(
    http: &Http,
    provider: &Provider,
    session: &Session,
) -> std::result::Result<Session, RefreshError> {
    let login_cmd = login_command(session);
    let Some(refresh_token) = &session.tokens.refresh_token else {
        return Err(RefreshError::LoginRequired {
            reason: "no refresh token".into(),
            error: Error::login_required(format!(
                "the session of {} has expired and has no refresh token: run `{login_cmd}`",
                session.key()
            )),
            explained: None,
        });
    };
    let endpoint = endpoint(provider).map_err(RefreshError::Failed)?;
    let mut client = ClientCredentials::from_provider(provider).map_err(RefreshError::Failed)?;
    // The client that obtained the tokens is the one that may refresh them.
    if let Some(id) = &session.client_id {
        client.client_id = id.clone();
    }
    let params = vec![
        ("grant_type".to_string(), "refresh_token".to_string()),
        (
            "refresh_token".to_string(),
            refresh_token.expose().to_string(),
        ),
    ];
    let req = token::build_request(provider, &endpoint, &params, &client)
        .map_err(RefreshError::Failed)?;
    let resp = http.send(req).await.map_err(RefreshError::Failed)?;
    let now = unix_now();
    match token::parse_response(provider, &resp, now, &session.tokens.scopes) {
        Ok(fresh) => Ok(merge(session, fresh, now)),
        Err(oauth) => {
            // Explained like every OAuth error: the refresh grant, the client
            // authentication used, the clock.
            let ev = diagnose::evidence(
                None,
                &[],
                &params,
                provider.auth_method(),
                super::doctor::response_skew(&resp),
                "refresh",
                now,
            );
            let d = diagnose::diagnose(provider, &(&oauth).into(), &ev);
            let err = diagnose::to_error(provider, &oauth, "the refresh", &d);
            if DEAD_GRANT.contains(&oauth.error.as_str()) {
                Err(RefreshError::LoginRequired {
                    reason: oauth.error.clone(),
                    // One line: scripts log it, and it names the command to run.
                    error: Error::new(
                        ErrorKind::LoginRequired,
                        format!(
                            "{} refused to refresh the session of {} ({}): run `{login_cmd}`",
                            provider.display_name(),
                            session.key(),
                            oauth
                        ),
                    ),
                    explained: Some(d.hint()),
                })
            } else {
                Err(RefreshError::Failed(err))
            }
        }
    }
}

/// The command that logs this session in again.
pub fn login_command(session: &Session) -> String {
    if session.profile == crate::store::DEFAULT_PROFILE {
        format!("oauthctl login -p {}", session.provider)
    } else {
        format!(
            "oauthctl login -p {} --profile {}",
            session.provider, session.profile
        )
    }
}

fn merge(old: &Session, mut fresh: TokenSet, now: u64) -> Session {
    if fresh.refresh_token.is_none() {
        fresh.refresh_token = old.tokens.refresh_token.clone();
    }
    if fresh.id_token.is_none() {
        fresh.id_token = old.tokens.id_token.clone();
    }
    for (k, v) in &old.tokens.extra {
        fresh.extra.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for (k, v) in &old.tokens.secret_extra {
        fresh
            .secret_extra
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    Session {
        tokens: fresh,
        obtained_at: now,
        ..old.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use std::collections::BTreeMap;

    fn set(refresh: Option<&str>, id: Option<&str>) -> TokenSet {
        TokenSet {
            access_token: Secret::new("a"),
            token_type: "Bearer".into(),
            refresh_token: refresh.map(Secret::new),
            expires_at: Some(1),
            scopes: vec!["s".into()],
            id_token: id.map(Secret::new),
            extra: BTreeMap::new(),
            secret_extra: BTreeMap::new(),
        }
    }

    #[test]
    fn an_answer_without_refresh_token_keeps_the_old_one() {
        let old = Session {
            provider: "hub".into(),
            profile: "default".into(),
            client_id: None,
            issuer: None,
            subject: Some("alice".into()),
            tokens: set(Some("r-old"), Some("id-old")),
            obtained_at: 0,
        };
        let kept = merge(&old, set(None, None), 5);
        assert_eq!(kept.tokens.refresh_token.unwrap().expose(), "r-old");
        assert_eq!(kept.tokens.id_token.unwrap().expose(), "id-old");
        assert_eq!(kept.subject.as_deref(), Some("alice"));
        let rotated = merge(&old, set(Some("r-new"), None), 5);
        assert_eq!(rotated.tokens.refresh_token.unwrap().expose(), "r-new");
    }
}
