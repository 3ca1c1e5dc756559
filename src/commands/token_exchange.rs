//! `oauthctl token-exchange`: one RFC 8693 token request (through `TokenCall`, so client
//! authentication, redaction, `--trace` steps and the diagnosis come with it), the
//! issued token printed, or stored as a session with `--save-as`.

use std::time::Duration;

use serde_json::{json, Value};

use crate::cli::TokenExchangeArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::token::{
    token_type_uri, GrantParams, TokenCall, TokenEvent, TokenExchange, TokenFailure,
};
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::dpop::{self, DpopKey};
use crate::output::{self, Steps};
use crate::provider::{Endpoint, Provider, ProviderSpec};
use crate::store::{self, Grant, Session, SessionKey, TokenSet};

/// `--subject-session` refreshes a session that expires within this time first.
const SUBJECT_MIN_TTL: Duration = Duration::from_secs(60);

pub fn run(args: &TokenExchangeArgs, ctx: &Context) -> Result<()> {
    let save_as = args
        .save_as
        .as_deref()
        .map(|p| store::validate_profile(p).map(|_| p.to_string()))
        .transpose()?;
    // Read before any request: `-` takes a line of stdin each, subject first.
    let subject = subject_token(args, ctx)?;
    let actor = match &args.actor_token {
        Some(src) => {
            let (t, _) = crate::secret::from_arg(src, "--actor-token")?;
            ctx.secret(t.expose());
            let kind = token_type_uri(args.actor_token_type.as_deref().unwrap_or("access_token"));
            Some((t, kind))
        }
        None => None,
    };
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&ProviderSpec::default()))?;
    if provider.lists_grant(crate::flow::token::TOKEN_EXCHANGE_GRANT) == Some(false) {
        ctx.ui.warn(&format!(
            "{} does not list the token exchange grant ({}) in its grant_types_supported; trying anyway",
            provider.display_name(),
            crate::flow::token::TOKEN_EXCHANGE_GRANT
        ));
    }
    let endpoint = provider.require_endpoint(Endpoint::Token)?;
    let client = ClientCredentials::from_provider(&provider)?;
    if let Some(s) = &client.client_secret {
        ctx.secret(s.expose());
    }
    let scopes = crate::provider::scope_flags(&args.scopes).unwrap_or_default();
    let subject_type = token_type_uri(&args.subject_token_type);
    let requested_type = args.requested_token_type.as_deref().map(token_type_uri);
    let grant = GrantParams::TokenExchange(TokenExchange {
        subject_token: subject.expose(),
        subject_token_type: &subject_type,
        actor: actor.as_ref().map(|(t, k)| (t.expose(), k.as_str())),
        audience: &args.audiences,
        resource: &args.resources,
        scopes: &scopes,
        requested_token_type: requested_type.as_deref(),
    });
    let dpop = dpop_key(args, &provider)?;
    let call = TokenCall::new(
        &provider,
        &client,
        endpoint,
        &grant,
        &args.params,
        "token-exchange",
    )
    .requested(&scopes)
    .dpop(dpop.as_ref());
    let mut steps = Steps::new(ctx.global.trace, 2);
    let http = ctx.http()?;
    let outcome = rt.block_on(call.run(http, &mut |ev| {
        if let TokenEvent::Warning { message } = &ev {
            ctx.ui.warn(message);
        }
        steps.token_event(&ev, &|t| ctx.redact(t));
    }));
    let tokens = match outcome {
        Ok(t) => t,
        Err(TokenFailure::Failed(e)) => {
            steps.end("failed");
            return Err(e);
        }
        Err(TokenFailure::Refused(r)) => {
            return Err(ctx.redact_error(r.to_grant_error(&provider, "the token exchange")))
        }
    };
    let issued_type = tokens
        .extra
        .get("issued_token_type")
        .and_then(Value::as_str)
        .map(str::to_string);
    steps.end(&format!(
        "issued {}",
        issued_type
            .as_deref()
            .unwrap_or("a token (no issued_token_type)")
    ));
    if issued_type.is_none() {
        ctx.ui.warn("the answer has no issued_token_type, which RFC 8693 §2.2.1 requires: the issued token's type is unknown");
    }
    if let Some(profile) = &save_as {
        let session = Session {
            provider: provider.name.clone(),
            profile: profile.clone(),
            client_id: Some(client.client_id.clone()),
            issuer: provider.spec.issuer.clone(),
            subject: None,
            tokens: tokens.clone(),
            obtained_at: store::unix_now(),
            grant: Grant::TokenExchange {
                audience: args.audiences.clone(),
                resource: args.resources.clone(),
                issued_token_type: issued_type.clone(),
            },
            client_assertion_key: None,
            client_cert: None,
            dpop_key: dpop.as_ref().map(DpopKey::to_data),
        };
        let saved = ctx.store()?.save(&session)?;
        ctx.ui.info(&format!(
            "Stored the exchanged token as the session {} ({}); `oauthctl token -p {} --profile {profile}` prints it",
            SessionKey::new(&provider.name, profile)?,
            saved.backend.as_str(),
            provider.name
        ));
    }
    show(ctx, &tokens, issued_type.as_deref())
}

/// A DPoP key for the saved session (`--dpop`, `--dpop-alg`), as `login --dpop` makes.
fn dpop_key(args: &TokenExchangeArgs, provider: &Provider) -> Result<Option<DpopKey>> {
    if !(args.dpop || args.dpop_alg.is_some()) {
        return Ok(None);
    }
    let asked = args
        .dpop_alg
        .as_deref()
        .or(provider.spec.dpop_signing_alg.as_deref());
    let supported = provider.spec.dpop_signing_alg_values_supported.as_deref();
    DpopKey::generate(dpop::choose_alg(asked, supported)?).map(Some)
}

/// `--subject-token` (a value, `-`, env:VAR, @FILE), or the stored session's access
/// token (`--subject-session`), registered as a secret.
fn subject_token(args: &TokenExchangeArgs, ctx: &Context) -> Result<crate::secret::Secret> {
    if let Some(src) = &args.subject_token {
        let (t, _) = crate::secret::from_arg(src, "--subject-token")?;
        ctx.secret(t.expose());
        return Ok(t);
    }
    if !args.subject_session {
        return Err(Error::usage(
            "give the token to exchange with --subject-token TOKEN, or --subject-session",
        ));
    }
    if args.subject_token_type != "access_token"
        && token_type_uri(&args.subject_token_type) != token_type_uri("access_token")
    {
        return Err(Error::usage(
            "--subject-session exchanges the session's access token: leave --subject-token-type out (or give access_token)",
        ));
    }
    let s = crate::session::fresh_session(ctx, SUBJECT_MIN_TTL, false)?.0;
    crate::oauth::token::check_stored(&s.tokens)?;
    Ok(s.tokens.access_token)
}

/// The issued token on stdout, or with `--json` the whole answer, normalised.
fn show(ctx: &Context, t: &TokenSet, issued_type: Option<&str>) -> Result<()> {
    if ctx.global.json {
        let mut fields = output::token_fields(t, true, crate::clock::unix_now());
        fields.insert("issued_token_type".into(), json!(issued_type));
        fields.insert("token_type".into(), json!(t.token_type));
        return output::json(&Value::Object(fields));
    }
    crate::oauth::token::check_stored(t)?;
    output::stdout(&format!("{}\n", t.access_token.expose()))
}
