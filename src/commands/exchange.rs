//! `oauthctl exchange`: only the token request of the authorization code flow, with
//! any parameter overridden, added or left out, to reproduce a failing request. The
//! answer is shown normalised; a refusal is explained with the flow journal's evidence.

use serde_json::{json, Value};

use crate::cli::ExchangeArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::token::{
    CodeContext, GrantParams, IdTokenRules, TokenCall, TokenEvent, TokenFailure,
};
use crate::http::HttpRequest;
use crate::oauth::callback::{parse_callback, Callback};
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::error::OAuthError;
use crate::output;
use crate::provider::{ClientAuth, Endpoint, Provider, ProviderSpec};
use crate::store::TokenSet;
use crate::support::diagnose::Diagnosis;
use crate::support::journal::{Flow, Journal};

pub fn run(args: &ExchangeArgs, ctx: &Context) -> Result<()> {
    let flags = ProviderSpec {
        client_id: args.client_id.clone(),
        token_endpoint_auth_method: args.client_auth.map(ClientAuth::from),
        ..Default::default()
    };
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&flags))?;
    let token_endpoint = provider.require_endpoint(Endpoint::Token)?;
    let client = ClientCredentials::from_provider(&provider)?;
    if let Some(s) = &client.client_secret {
        ctx.secret(s.expose());
    }
    // Read in this order, so that `--code - --code-verifier -` takes two lines of stdin.
    let callback_url = reference(ctx, args.callback_url.as_deref(), "--callback-url")?;
    let given_code = reference(ctx, args.code.as_deref(), "--code")?;
    let verifier = reference(ctx, args.code_verifier.as_deref(), "--code-verifier")?;
    let callback = callback_url.as_deref().map(parse_callback).transpose()?;
    let code = the_code(ctx, &provider, given_code, callback.as_ref())?;
    let now = crate::clock::unix_now();
    let journal = Journal::open_default().ok();
    let state = callback.as_ref().and_then(|c| c.state.clone());
    let flow = journal
        .as_ref()
        .and_then(|j| j.flow_of_code(&provider.name, state.as_deref(), &code, now));
    if let Some(f) = &flow {
        ctx.ui.detail(&format!(
            "flow journal: this code belongs to the authorization request made by `oauthctl {}` {} ago",
            f.source,
            human(now.saturating_sub(f.created_at))
        ));
    }
    let redirect_uri = args
        .redirect_uri
        .clone()
        .or_else(|| flow.as_ref().map(|f| f.redirect_uri.clone()))
        .or_else(|| callback.as_ref().map(|c| c.target.clone()))
        .or_else(|| provider.spec.redirect_uri.clone());
    if redirect_uri.is_none() {
        ctx.ui.warn("no redirect_uri is sent (none given, configured or known from the flow journal); servers require it when the authorization request had one: pass --redirect-uri");
    }
    let grant = GrantParams::AuthorizationCode {
        code: &code,
        redirect_uri: redirect_uri.as_deref(),
        verifier: verifier.as_deref(),
    };
    let params =
        crate::oauth::rar::with_param(args.params.clone(), args.authorization_details.as_deref())?;
    let earlier = journal.as_ref().map(|j| j.exchanges_of(&code));
    let fallback = Flow::new(
        &provider.name,
        &client.client_id,
        "",
        redirect_uri.as_deref().unwrap_or(""),
        None,
        "exchange",
    );
    let known = CodeContext {
        journal: journal.as_ref(),
        state: state.as_deref(),
        flow: flow.clone(),
        earlier: earlier.unwrap_or_default(),
        fallback: Some(fallback),
    };
    let call = TokenCall::new(
        &provider,
        &client,
        token_endpoint,
        &grant,
        &params,
        "exchange",
    )
    .code(known)
    .id_token_rules(IdTokenRules {
        nonce_hash: flow.as_ref().and_then(|f| f.nonce_hash.clone()),
        ..IdTokenRules::new(args.id_token.leeway, args.id_token.no_verify_id_token)
    });
    let mut req = call.build(ctx.http()?)?;
    warn_before_sending(ctx, args, &mut req, flow.as_ref(), &call, now);
    let mut status = 0;
    let outcome = rt.block_on(async {
        let mut on_event = |ev: TokenEvent<'_>| match ev {
            TokenEvent::Answered { status: s } => status = s,
            TokenEvent::JournalFailed { error } => ctx.ui.detail(&format!(
                "could not record the flow journal: {}",
                error.message
            )),
            TokenEvent::Warning { message } => ctx.ui.warn(message),
            _ => {}
        };
        call.send(ctx.http()?, req, &mut on_event).await
    });
    match outcome {
        Ok(tokens) => show_tokens(ctx, &provider, status, &tokens),
        Err(TokenFailure::Failed(e)) => Err(e),
        Err(TokenFailure::Refused(r)) => {
            if ctx.global.json {
                output::json(&failure_json(ctx, &provider, &r.oauth, &r.diagnosis))?;
            }
            let e = r.to_error(&provider, "the token request");
            Err(ctx.redact_error(e))
        }
    }
}

fn human(secs: u64) -> String {
    crate::duration::human(std::time::Duration::from_secs(secs))
}

/// A value given as itself, `-` (a line of stdin), `env:VAR` or `@FILE`; registered as a
/// secret.
fn reference(ctx: &Context, src: Option<&str>, flag: &str) -> Result<Option<String>> {
    let Some(src) = src else { return Ok(None) };
    let (value, _) = crate::secret::from_arg(src, flag)?;
    ctx.secret(value.expose());
    Ok(Some(value.expose().to_string()))
}

/// The code: `--code`, or the one in `--callback-url` (whose error, if it carries one,
/// is explained instead). Registered as a secret.
fn the_code(
    ctx: &Context,
    provider: &Provider,
    given: Option<String>,
    callback: Option<&Callback>,
) -> Result<String> {
    if let Some(cb) = callback {
        if let Some(c) = &cb.code {
            ctx.secret(c);
        }
        if let Some((error, description, uri)) = &cb.error {
            return Err(crate::support::diagnose::redirect_refusal(
                provider,
                error.clone(),
                description.clone(),
                uri.clone(),
            ));
        }
    }
    let code = match (given, callback) {
        (Some(c), _) => c,
        (None, Some(cb)) => cb.code.clone().ok_or_else(|| {
            Error::input("the --callback-url has no `code` parameter").with_hint(
                "paste the URL the browser landed on after approving (it carries ?code=…&state=…)",
            )
        })?,
        (None, None) => {
            return Err(Error::usage(
                "give the code with --code, or --callback-url URL",
            ))
        }
    };
    if code.trim().is_empty() {
        return Err(Error::input("the code is empty").with_hint("pass --code CODE"));
    }
    ctx.secret(&code);
    Ok(code)
}

/// Applies `--omit`, then warns about what the server will likely refuse: a missing
/// verifier for a PKCE flow, a code that was already sent.
fn warn_before_sending(
    ctx: &Context,
    args: &ExchangeArgs,
    req: &mut HttpRequest,
    flow: Option<&Flow>,
    call: &TokenCall<'_>,
    now: u64,
) {
    for name in &args.omit {
        if !req.omit(name) {
            ctx.ui.warn(&format!(
                "--omit {name}: the request has no parameter `{name}`"
            ));
        }
    }
    let sent = req.params();
    if let Some(Some(_)) = flow.map(|f| &f.code_challenge) {
        if !sent.iter().any(|(n, _)| n == "code_verifier") {
            ctx.ui.warn("the authorization request of this code sent a PKCE code_challenge, and no code_verifier is sent: pass --code-verifier (authorize-url printed it)");
        }
    }
    if let Some(x) = call.code.as_ref().and_then(|c| c.earlier.last()) {
        ctx.ui.warn(&format!(
            "this code was already sent to the token endpoint {} ago by `oauthctl {}` (answer: {}); codes are single use",
            human(now.saturating_sub(x.at)),
            x.by,
            x.outcome
        ));
    }
}

fn show_tokens(ctx: &Context, provider: &Provider, status: u16, t: &TokenSet) -> Result<()> {
    let now = crate::clock::unix_now();
    let show = ctx.global.show_secrets;
    if ctx.global.json {
        return output::json(&json!({
            "ok": true,
            "provider": provider.name,
            "status": status,
            "token": Value::Object(output::token_fields(t, show, now)),
            "id_token_check": t.id_token_check,
        }));
    }
    let mut table = output::table(&["FIELD", "VALUE"]);
    for (k, v) in output::token_rows(t, show, now) {
        table.add_row(vec![k, v]);
    }
    if let Some(c) = &t.id_token_check {
        if !c.verified {
            ctx.ui.warn(&format!(
                "the ID token failed its checks (--no-verify-id-token): {}",
                ctx.redact(c.failure.as_deref().unwrap_or("unknown reason"))
            ));
        }
        table.add_row(vec!["id_token check".into(), ctx.redact(&c.describe())]);
    }
    ctx.ui.info(&format!(
        "{} answered {status} with tokens (not stored: `oauthctl login` stores a session)",
        provider.display_name()
    ));
    output::print_table(&table)
}

fn failure_json(ctx: &Context, provider: &Provider, e: &OAuthError, d: &Diagnosis) -> Value {
    let mut v = json!({
        "ok": false,
        "provider": provider.name,
        "status": e.status,
        "error": {
            "error": e.error,
            "description": e.description,
            "code": e.code,
            "uri": e.uri,
            "format": e.format.as_str(),
        },
        "diagnosis": d,
    });
    if let Ok(r) = ctx.redactor.lock() {
        r.json(&mut v);
    }
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_and_verifiers_may_start_with_a_hyphen() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "oauthctl",
            "exchange",
            "--code",
            "-abc",
            "--code-verifier",
            "-Jxyz",
        ])
        .expect("parses");
        match cli.command {
            crate::cli::Command::Exchange(a) => {
                assert_eq!(a.code.as_deref(), Some("-abc"));
                assert_eq!(a.code_verifier.as_deref(), Some("-Jxyz"));
            }
            other => panic!("{other:?}"),
        }
    }
}
