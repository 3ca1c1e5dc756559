//! The refresh grant (RFC 6749 §6) with the provider's quirks: its own refresh endpoint
//! (Worksection) or the token endpoint, its client authentication, and the rules for
//! what a refresh answer replaces.

use crate::error::{Error, ErrorKind, Result};
use crate::http::Http;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::token;
use crate::provider::{ClientAuth, Endpoint, Provider};
use crate::store::{unix_now, Grant, Session, TokenSet};
use crate::support::diagnose;

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
        None => provider.require_endpoint(Endpoint::Token),
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

/// Whether `session` is renewed by asking for a token again (client credentials
/// without a refresh token) rather than by a refresh.
pub fn renews_by_asking_again(session: &Session) -> bool {
    matches!(session.grant, Grant::ClientCredentials { .. })
        && session.tokens.refresh_token.is_none()
}

/// The provider as the session's client authenticated: a session that logged in with
/// a client assertion key keeps signing with it, unless the config names a key of its
/// own for private_key_jwt.
pub fn with_session_client(provider: &Provider, session: &Session) -> Provider {
    let mut p = provider.clone();
    if let Some(k) = &session.client_assertion_key {
        let configured =
            p.auth_method() == ClientAuth::PrivateKeyJwt && p.spec.client_assertion_key.is_some();
        if !configured {
            p.spec.token_endpoint_auth_method = Some(ClientAuth::PrivateKeyJwt);
            p.spec.client_assertion_key = Some(k.clone());
        }
    }
    p
}

/// New tokens for `session`: a refresh, or for client credentials without a refresh
/// token the same token request again (RFC 6749 §4.4.3: no refresh token is issued).
pub async fn renew(
    http: &Http,
    provider: &Provider,
    session: &Session,
) -> std::result::Result<Session, RefreshError> {
    let provider = with_session_client(provider, session);
    if !renews_by_asking_again(session) {
        return refresh(http, &provider, session).await;
    }
    let Grant::ClientCredentials {
        audience,
        resource,
        params: extra,
    } = &session.grant
    else {
        return refresh(http, &provider, session).await;
    };
    let endpoint = provider
        .require_endpoint(Endpoint::Token)
        .map_err(RefreshError::Failed)?;
    let mut client = ClientCredentials::from_provider(&provider).map_err(RefreshError::Failed)?;
    if let Some(id) = &session.client_id {
        client.client_id = id.clone();
    }
    let params = token::client_credentials_params(
        &provider,
        &session.tokens.scopes,
        audience.as_deref(),
        resource,
        extra,
    );
    let req = crate::oauth::client_auth::build_request(&provider, &endpoint, &params, &client)
        .map_err(RefreshError::Failed)?;
    let resp = http.send(req).await.map_err(RefreshError::Failed)?;
    let now = unix_now();
    match token::parse_response(&provider, &resp, now, &session.tokens.scopes) {
        Ok(fresh) => Ok(merge(session, fresh, now)),
        Err(oauth) => Err(RefreshError::Failed(oauth.to_error(
            &provider,
            "the client credentials request (renewing the session)",
            "client_credentials",
        ))),
    }
}

/// Refreshes `session` and returns the new session. A rotated refresh token replaces
/// the old one; an answer without one keeps the old one (RFC 6749 §6), and so do the
/// ID token, the scopes and the provider's extra fields when the answer omits them.
pub async fn refresh(
    http: &Http,
    provider: &Provider,
    session: &Session,
) -> std::result::Result<Session, RefreshError> {
    let login_cmd = session.key().login_command();
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
    let req = crate::oauth::client_auth::build_request(provider, &endpoint, &params, &client)
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
                crate::clock::response_skew(&resp),
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

/// The command that logs this session in again, with the same grant.
pub fn login_command(session: &Session) -> String {
    let mut cmd = format!("oauthctl login -p {}", session.provider);
    if session.profile != crate::store::DEFAULT_PROFILE {
        cmd.push_str(&format!(" --profile {}", session.profile));
    }
    match &session.grant {
        Grant::AuthorizationCode => {}
        Grant::DeviceCode => cmd.push_str(" --device"),
        Grant::Password => cmd.push_str(" --password"),
        Grant::ClientCredentials { .. } => cmd.push_str(" --client-credentials"),
    }
    if let Some(k) = &session.client_assertion_key {
        cmd.push_str(&format!(" --client-assertion-key {k}"));
    }
    cmd
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
            grant: Grant::AuthorizationCode,
            client_assertion_key: None,
        };
        let kept = merge(&old, set(None, None), 5);
        assert_eq!(kept.tokens.refresh_token.unwrap().expose(), "r-old");
        assert_eq!(kept.tokens.id_token.unwrap().expose(), "id-old");
        assert_eq!(kept.subject.as_deref(), Some("alice"));
        let rotated = merge(&old, set(Some("r-new"), None), 5);
        assert_eq!(rotated.tokens.refresh_token.unwrap().expose(), "r-new");
    }

    #[test]
    fn client_credentials_without_refresh_token_are_asked_again_and_keep_their_key() {
        let mut s = Session {
            provider: "oidc".into(),
            profile: "default".into(),
            client_id: Some("svc".into()),
            issuer: None,
            subject: Some("svc".into()),
            tokens: set(None, None),
            obtained_at: 0,
            grant: Grant::ClientCredentials {
                audience: None,
                resource: vec![],
                params: vec![],
            },
            client_assertion_key: Some("/k.pem".into()),
        };
        assert!(renews_by_asking_again(&s));
        let p = Provider {
            name: "oidc".into(),
            origin: crate::provider::Origin::Config,
            spec: Default::default(),
            discovered_from: None,
        };
        let q = with_session_client(&p, &s);
        assert_eq!(q.auth_method(), ClientAuth::PrivateKeyJwt);
        assert_eq!(q.spec.client_assertion_key.as_deref(), Some("/k.pem"));
        s.tokens.refresh_token = Some(Secret::new("r"));
        assert!(!renews_by_asking_again(&s));
        s.grant = Grant::Password;
        s.tokens.refresh_token = None;
        assert!(!renews_by_asking_again(&s));
    }
}
