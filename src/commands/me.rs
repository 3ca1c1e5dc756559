//! `oauthctl me`: the provider's "who am I" endpoint, whatever its shape: a bearer GET
//! (Hub, Chatwork, OpenID Connect userinfo) or Worksection's form POST with the
//! client's credentials and the token.

use crate::api::send_authorized;
use crate::cli::MeArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::error::OAuthError;
use crate::oauth::userinfo;
use crate::output::response::{self, status_text};
use crate::provider::{ProviderSpec, UserinfoRequest};

pub fn run(_args: &MeArgs, ctx: &Context) -> Result<()> {
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&ProviderSpec::default()))?;
    let Some(endpoint) = provider.spec.userinfo_endpoint.clone() else {
        return Err(Error::input(format!(
            "{} has no \"who am I\" endpoint (userinfo_endpoint)",
            provider.display_name()
        ))
        .with_hint(format!(
            "set `userinfo_endpoint` in the [providers.{}] table of the config file if it has one; `oauthctl inspect -p {}` shows what the stored tokens say",
            provider.name, provider.name
        )));
    };
    let form_post = provider.spec.userinfo_request == Some(UserinfoRequest::FormPost);
    let secret = provider.client_secret();
    if form_post && secret.is_none() {
        return Err(Error::input(format!(
            "{} answers \"who am I\" only with the client's credentials, and provider `{}` has no client secret",
            provider.display_name(),
            provider.name
        ))
        .with_hint(format!(
            "set `client_secret_env = \"VAR\"` (or `client_secret`) in the [providers.{}] table of the config file",
            provider.name
        )));
    }
    let id_token = std::cell::RefCell::new(None);
    let (_, resp) = send_authorized(ctx, true, |session| {
        id_token.replace(session.tokens.id_token.clone());
        let client = ClientCredentials {
            client_id: match &session.client_id {
                Some(id) => id.clone(),
                None => provider.require_client_id()?,
            },
            client_secret: secret.clone(),
        };
        // The session's client certificate, and the userinfo alias that takes it.
        let p = crate::session::renew::with_session_client(&provider, session);
        let at = p.spec.userinfo_endpoint.as_deref().unwrap_or(&endpoint);
        userinfo::request(&p, at, &session.tokens.access_token, &client)
    })?;
    if resp.is_success() {
        if let Some(w) = userinfo::sub_mismatch(id_token.borrow().as_ref(), &resp.body) {
            ctx.ui.warn(&ctx.redact(&w));
        }
        return response::body(&resp, ctx.global.json);
    }
    let e = OAuthError::parse(&provider, &resp);
    let hint = match resp.status {
        401 if form_post => format!(
            "the server refused the client credentials or the token: check client_id and the client secret of [providers.{}], or log in again",
            provider.name
        ),
        401 => format!(
            "the server refused the token even after a refresh: log in again (`oauthctl login -p {}`)",
            provider.name
        ),
        403 => format!(
            "the session lacks a scope this endpoint needs: log in again with it (`oauthctl login -p {} --scope …`)",
            provider.name
        ),
        _ => e.hint(&provider, "userinfo"),
    };
    Err(Error::server(format!(
        "{} answered {} to the \"who am I\" request ({endpoint}): {}",
        provider.display_name(),
        status_text(resp.status),
        ctx.redact(&e.to_string())
    ))
    .with_hint(hint))
}
