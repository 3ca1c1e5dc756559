//! `oauthctl logout`: revoke at the server where it can (RFC 7009), then delete.

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::revoke::{self, Revoked};
use crate::provider::ProviderSpec;
use crate::store::Backend;

pub fn run(args: &LogoutArgs, ctx: &Context) -> Result<()> {
    let name = ctx.provider_name()?;
    let key = ctx.session_key(&name)?;
    let store = ctx.store()?;
    let guard = store.lock(&key)?;
    let Some(meta) = guard.meta()? else {
        // Not indexed: still remove a stray file or keyring entry.
        if guard.delete()?.is_some() {
            ctx.ui.info(&format!("Deleted the session of {key}."));
        } else {
            ctx.ui
                .info(&format!("No session for {key}: nothing to do."));
        }
        return Ok(());
    };
    let mut revoked_note = String::new();
    // Tokens the server would not revoke: they stay valid until they expire.
    let mut unrevoked = Vec::new();
    if !args.no_revoke {
        let rt = ctx.runtime()?;
        let provider = rt
            .block_on(ctx.provider(&ProviderSpec::default()))
            .map_err(keep_hint(
                "`oauthctl logout --no-revoke` deletes the session without revoking",
            ))?;
        if let Some(endpoint) = provider.spec.revocation_endpoint.clone() {
            // The session's secrets are needed only now.
            let session = guard.load()?;
            if let Some(session) = session {
                // A client that signed assertions with a key keeps signing with it.
                let provider = crate::session::renew::with_session_client(&provider, &session);
                // The client that obtained the tokens, with the configured secret.
                let client = ClientCredentials {
                    client_id: match session.client_id.clone() {
                        Some(id) => id,
                        None => provider.require_client_id()?,
                    },
                    client_secret: provider.client_secret(),
                };
                let t = &session.tokens;
                let expires = t.expires_at;
                ctx.secret(t.access_token.expose());
                let mut done = Vec::new();
                let mut targets = Vec::new();
                if let Some(r) = &t.refresh_token {
                    ctx.secret(r.expose());
                    targets.push((r, "refresh_token"));
                }
                targets.push((&t.access_token, "access_token"));
                for (token, hint) in targets {
                    let r = rt
                        .block_on(revoke::revoke(
                            ctx.http()?,
                            &provider,
                            &endpoint,
                            token,
                            hint,
                            &client,
                        ))
                        .map_err(keep_hint(
                            "the session is kept; `oauthctl logout --no-revoke` deletes it without revoking",
                        ))?;
                    match r {
                        Revoked::Yes => done.push(hint.replace('_', " ")),
                        Revoked::Unsupported => unrevoked.push((
                            hint.replace('_', " "),
                            if hint == "access_token" {
                                expires
                            } else {
                                None
                            },
                        )),
                    }
                }
                if !done.is_empty() {
                    revoked_note = format!(" after revoking its {}", done.join(" and "));
                }
            }
        } else {
            ctx.ui.detail(&format!(
                "{} has no revocation endpoint: the tokens stay valid at the server until they expire",
                provider.display_name()
            ));
        }
    }
    guard.delete()?;
    let from = match meta.backend {
        Backend::Keyring => "the OS keyring",
        Backend::File => "its file",
    };
    ctx.ui.info(&format!(
        "Logged out of {key}: deleted the session from {from}{revoked_note}."
    ));
    for (what, expires_at) in unrevoked {
        let until = crate::duration::expires_in_words(expires_at, crate::store::unix_now())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        ctx.ui.warn(&format!(
            "the server refused to revoke the {what} (unsupported_token_type): it stays valid until it expires{until}"
        ));
    }
    Ok(())
}

/// Adds `more` to an error's hint.
fn keep_hint(more: &'static str) -> impl Fn(Error) -> Error {
    move |e| {
        let hint = match &e.hint {
            Some(h) => format!("{h}; {more}"),
            None => more.to_string(),
        };
        e.with_hint(hint)
    }
}
