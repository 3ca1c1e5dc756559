//! `oauthctl inspect`: the stored session as it is (never refreshed): metadata, expiry,
//! scopes, and each token decoded where it is a JWT; secrets redacted unless
//! `--show-secrets`.

use crate::cli::InspectArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::jwt::{self, describe::StoredToken};
use crate::output::{self, session::SessionView, session::StoredTokens};
use crate::provider::ProviderSpec;
use crate::store::{self, Backend};

pub fn run(_args: &InspectArgs, ctx: &Context) -> Result<()> {
    let name = ctx.provider_name()?;
    let key = ctx.session_key(&name)?;
    let store = ctx.store()?;
    let guard = store.lock(&key)?;
    let meta = guard.meta()?;
    let Some(session) = guard.load()? else {
        let profile = if key.profile == store::DEFAULT_PROFILE {
            String::new()
        } else {
            format!(" --profile {}", key.profile)
        };
        return Err(Error::login_required(format!("no session for {key}"))
            .with_hint(format!("log in first: `oauthctl login -p {name}{profile}`")));
    };
    drop(guard);
    let display_name = ctx
        .provider_static(&ProviderSpec::default())
        .map(|p| p.display_name().to_string())
        .unwrap_or_else(|_| name.clone());
    let needs_login = meta.as_ref().and_then(|m| m.needs_login.clone());
    let backend = meta.map(|m| m.backend).unwrap_or(Backend::File);
    let file = (backend == Backend::File).then(|| store.file_path(&key).display().to_string());

    let t = &session.tokens;
    let now = store::unix_now();
    let (jnow, show) = (jwt::now(), ctx.global.show_secrets);
    let mut tokens = StoredTokens::default();
    tokens.insert(
        "access_token",
        StoredToken::of(t.access_token.expose(), show, jnow),
    );
    if let Some(r) = &t.refresh_token {
        tokens.insert("refresh_token", StoredToken::of(r.expose(), show, jnow));
    }
    if let Some(i) = &t.id_token {
        tokens.insert("id_token", StoredToken::of(i.expose(), show, jnow));
    }
    for (k, v) in &t.secret_extra {
        tokens.insert(k, StoredToken::of(v.expose(), show, jnow));
    }
    let view = SessionView {
        display_name,
        store: backend.as_str(),
        file,
        expires_at: t.expires_at,
        expires_in: t.expires_at.map(|e| crate::clock::seconds_until(e, now)),
        expired: t.expires_at.map(|e| e <= now),
        refreshable: session.refreshable(),
        needs_login,
        token_type: t.token_type.clone(),
        scopes: t.scopes.clone(),
        extra: t.extra.clone(),
        id_token_check: t.id_token_check.clone(),
        tokens,
        provider: session.provider,
        profile: session.profile,
        subject: session.subject,
        client_id: session.client_id,
        issuer: session.issuer,
        obtained_at: session.obtained_at,
    };
    if ctx.global.json {
        return output::json(&to_json(&view)?);
    }
    output::stdout(&output::session::render(&view, &key.to_string()))
}

fn to_json(view: &SessionView) -> Result<serde_json::Value> {
    serde_json::to_value(view)
        .map_err(|e| Error::internal(format!("cannot render the session as JSON: {e}")))
}
