//! Renewing a session: the refresh grant (RFC 6749 §6) with the provider's quirks (its
//! own refresh endpoint, as Worksection has, or the token endpoint; its client
//! authentication), the rules for what a refresh answer replaces, and client
//! credentials asked for again.

use crate::error::{Error, ErrorKind, Result};
use crate::flow::token::{GrantParams, IdTokenRules, TokenCall, TokenFailure};
use crate::http::Http;
use crate::jwt::id_token;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::dpop::DpopKey;
use crate::provider::{ClientAuth, Endpoint, Provider};
use crate::store::{unix_now, Grant, Session, TokenSet};

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

/// OAuth errors that mean the refresh token (or the grant behind it) is dead.
const DEAD_GRANT: &[&str] = &["invalid_grant", "invalid_token", "unauthorized_client"];

/// Where refresh requests go: `refresh_endpoint`, else `token_endpoint`.
pub fn endpoint(provider: &Provider) -> Result<String> {
    match &provider.spec.refresh_endpoint {
        Some(e) => Ok(e.clone()),
        None => provider.require_endpoint(Endpoint::Token),
    }
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
    if let (Some(c), None) = (&session.client_cert, p.client_cert()) {
        p.spec.tls_client_certificate = Some(c.cert.clone());
        p.spec.tls_client_key = Some(c.key.clone());
        p.spec.use_mtls_aliases();
    }
    p
}

/// New tokens for `session`: a refresh, or for client credentials without a refresh
/// token the same token request again (RFC 6749 §4.4.3: no refresh token is issued).
pub async fn renew(
    http: &Http,
    provider: &Provider,
    session: &Session,
    rules: &IdTokenRules,
) -> std::result::Result<Session, RefreshError> {
    let provider = with_session_client(provider, session);
    if !session.renews_by_asking_again() {
        return refresh(http, &provider, session, rules).await;
    }
    let endpoint = provider
        .require_endpoint(Endpoint::Token)
        .map_err(RefreshError::Failed)?;
    let mut client = ClientCredentials::from_provider(&provider).map_err(RefreshError::Failed)?;
    if let Some(id) = &session.client_id {
        client.client_id = id.clone();
    }
    let assertion;
    let (grant, extra, what) = match &session.grant {
        Grant::ClientCredentials {
            audience,
            resource,
            params,
        } => (
            GrantParams::ClientCredentials {
                scopes: &session.tokens.scopes,
                audience: audience.as_deref(),
                resource,
            },
            params.as_slice(),
            ("the client credentials request", "client_credentials"),
        ),
        Grant::JwtBearer {
            assertion_key: Some(key),
            assertion_sub: Some(sub),
        } => {
            // A new assertion, signed with the same key for the same subject.
            assertion = crate::flow::token::grant_assertion(key, &client.client_id, sub, &endpoint)
                .map_err(RefreshError::Failed)?;
            (
                GrantParams::JwtBearer {
                    assertion: &assertion,
                    scopes: &session.tokens.scopes,
                },
                &[][..],
                (
                    "the JWT bearer request",
                    crate::flow::token::JWT_BEARER_GRANT,
                ),
            )
        }
        _ => return refresh(http, &provider, session, rules).await,
    };
    let key = dpop_key(session)?;
    let call = TokenCall::new(&provider, &client, endpoint, &grant, extra, "refresh")
        .requested(&session.tokens.scopes)
        .id_token_rules(rules.clone())
        .dpop(key.as_ref());
    match call.run(http, &mut |_| {}).await {
        Ok(fresh) => Ok(merge(session, fresh, unix_now())),
        Err(TokenFailure::Failed(e)) => Err(RefreshError::Failed(e)),
        Err(TokenFailure::Refused(r)) => Err(RefreshError::Failed(r.oauth.to_error(
            &provider,
            &format!("{} (renewing the session)", what.0),
            what.1,
        ))),
    }
}

/// Refreshes `session` and returns the new session. A rotated refresh token replaces
/// the old one; an answer without one keeps the old one (RFC 6749 §6), and so do the
/// ID token, the scopes and the provider's extra fields when the answer omits them. A
/// new ID token is checked by `rules`, and must name the session's subject (OpenID
/// Connect Core 12.2); one that fails leaves the session as it was.
pub async fn refresh(
    http: &Http,
    provider: &Provider,
    session: &Session,
    rules: &IdTokenRules,
) -> std::result::Result<Session, RefreshError> {
    let login_cmd = session.login_command();
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
    let grant = GrantParams::RefreshToken {
        refresh_token: refresh_token.expose(),
    };
    let rules = IdTokenRules {
        subject: session
            .tokens
            .id_token
            .as_ref()
            .and_then(|t| id_token::subject_of(t.expose())),
        ..rules.clone()
    };
    // The same key: a DPoP-bound refresh token is only honoured with its key's proof.
    let key = dpop_key(session)?;
    let call = TokenCall::new(provider, &client, endpoint, &grant, &[], "refresh")
        .requested(&session.tokens.scopes)
        .id_token_rules(rules)
        .dpop(key.as_ref());
    match call.run(http, &mut |_| {}).await {
        Ok(fresh) => Ok(merge(session, fresh, unix_now())),
        Err(TokenFailure::Failed(e)) => Err(RefreshError::Failed(e)),
        // Explained like every OAuth error: the refresh grant, the client
        // authentication used, the clock.
        Err(TokenFailure::Refused(r)) if DEAD_GRANT.contains(&r.oauth.error.as_str()) => {
            Err(RefreshError::LoginRequired {
                reason: r.oauth.error.clone(),
                // One line: scripts log it, and it names the command to run.
                error: Error::new(
                    ErrorKind::LoginRequired,
                    format!(
                        "{} refused to refresh the session of {} ({}): run `{login_cmd}`",
                        provider.display_name(),
                        session.key(),
                        r.oauth
                    ),
                ),
                explained: Some(r.diagnosis.hint()),
            })
        }
        Err(TokenFailure::Refused(r)) => {
            Err(RefreshError::Failed(r.to_error(provider, "the refresh")))
        }
    }
}

/// The session's DPoP key, when its tokens are bound to one.
fn dpop_key(session: &Session) -> std::result::Result<Option<DpopKey>, RefreshError> {
    session
        .dpop_key
        .as_ref()
        .map(DpopKey::from_data)
        .transpose()
        .map_err(RefreshError::Failed)
}

fn merge(old: &Session, mut fresh: TokenSet, now: u64) -> Session {
    if fresh.refresh_token.is_none() {
        fresh.refresh_token = old.tokens.refresh_token.clone();
    }
    if fresh.id_token.is_none() {
        fresh.id_token = old.tokens.id_token.clone();
        fresh.id_token_check = old.tokens.id_token_check.clone();
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
            id_token_check: None,
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
            client_cert: None,
            dpop_key: None,
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
            client_cert: None,
            dpop_key: None,
        };
        assert!(s.renews_by_asking_again());
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
        assert!(!s.renews_by_asking_again());
        s.grant = Grant::Password;
        s.tokens.refresh_token = None;
        assert!(!s.renews_by_asking_again());
    }
}
