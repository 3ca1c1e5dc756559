//! `oauthctl status`: the stored sessions, from the index (no secret is read).

use serde::Serialize;

use crate::cli::StatusArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output;
use crate::store::{self, index::SessionMeta};

/// One session of `status --json`.
#[derive(Serialize)]
struct SessionRow<'a> {
    provider: &'a str,
    profile: &'a str,
    subject: Option<&'a str>,
    scopes: &'a [String],
    expires_at: Option<u64>,
    expires_in: Option<i64>,
    expired: Option<bool>,
    refreshable: bool,
    needs_login: bool,
    needs_login_reason: Option<&'a str>,
    /// Why no refresh token came although offline_access was requested.
    no_refresh_token: Option<&'a str>,
    store: &'static str,
    obtained_at: u64,
    client_id: Option<&'a str>,
    issuer: Option<&'a str>,
    token_type: &'a str,
    /// Granted by a rich authorization request (RFC 9396).
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_details: Option<&'a serde_json::Value>,
}

impl<'a> SessionRow<'a> {
    fn new(m: &'a SessionMeta, now: u64) -> Self {
        SessionRow {
            provider: &m.provider,
            profile: &m.profile,
            subject: m.subject.as_deref(),
            scopes: &m.scopes,
            expires_at: m.expires_at,
            expires_in: m.expires_at.map(|e| crate::clock::seconds_until(e, now)),
            expired: m.expires_at.map(|e| e <= now),
            refreshable: m.refreshable && m.needs_login.is_none(),
            needs_login: m.needs_login.is_some(),
            needs_login_reason: m.needs_login.as_deref(),
            no_refresh_token: m.no_refresh_token.as_deref(),
            store: m.backend.as_str(),
            obtained_at: m.obtained_at,
            client_id: m.client_id.as_deref(),
            issuer: m.issuer.as_deref(),
            token_type: &m.token_type,
            authorization_details: m.authorization_details.as_ref(),
        }
    }
}

pub fn run(_args: &StatusArgs, ctx: &Context) -> Result<()> {
    let store = ctx.store()?;
    let profile_given = ctx.global.profile != store::DEFAULT_PROFILE;
    if profile_given {
        ctx.profile()?;
    }
    let sessions: Vec<_> = store
        .list()?
        .into_iter()
        .filter(|m| {
            ctx.global
                .provider
                .as_ref()
                .is_none_or(|p| &m.provider == p)
        })
        .filter(|m| !profile_given || m.profile == ctx.global.profile)
        .collect();
    let now = store::unix_now();
    if ctx.global.json {
        let rows: Vec<SessionRow> = sessions.iter().map(|m| SessionRow::new(m, now)).collect();
        return output::json(&rows);
    }
    if sessions.is_empty() {
        let which = match &ctx.global.provider {
            Some(p) => format!(" for {p}"),
            None => String::new(),
        };
        ctx.ui.info(&format!(
            "No sessions{which}. Log in with `oauthctl login -p NAME`."
        ));
        return Ok(());
    }
    let mut t = output::table(&[
        "PROVIDER",
        "PROFILE",
        "SUBJECT",
        "SCOPES",
        "EXPIRES",
        "REFRESHABLE",
        "STORE",
    ]);
    for m in &sessions {
        let expires = match (
            m.expires_at,
            crate::duration::expires_in_words(m.expires_at, now),
        ) {
            (Some(at), Some(w)) if at <= now => format!("expired {w}"),
            (_, Some(w)) => w,
            _ => "-".into(),
        };
        t.add_row(vec![
            m.provider.clone(),
            m.profile.clone(),
            m.subject.clone().unwrap_or_else(|| "-".into()),
            if m.scopes.is_empty() {
                "-".into()
            } else {
                m.scopes.join(" ")
            },
            expires,
            match (&m.needs_login, m.refreshable, &m.no_refresh_token) {
                (Some(reason), _, _) => format!("no: login required ({reason})"),
                (None, true, _) => "yes".into(),
                (None, false, Some(_)) => {
                    "no: offline_access requested, no refresh token came".into()
                }
                (None, false, None) => "no".into(),
            },
            m.backend.as_str().into(),
        ]);
    }
    output::print_table(&t)?;
    for m in &sessions {
        if let (Some(why), false) = (&m.no_refresh_token, m.refreshable) {
            ctx.ui
                .info(&format!("{} ({}): {why}", m.provider, m.profile));
        }
    }
    Ok(())
}
