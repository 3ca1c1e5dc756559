//! `login --client-credentials` and `login --password`: grants that ask the token
//! endpoint directly, without a browser.

use std::io::{BufRead, IsTerminal, Write};

use super::{on_token_event, subject, Login};
use crate::error::{Error, Result};
use crate::flow::token::{grant_assertion, GrantParams, TokenCall, TokenFailure, JWT_BEARER_GRANT};
use crate::oauth::authorize::OFFLINE_ACCESS;
use crate::oauth::token;
use crate::output::Steps;
use crate::provider::{ClientAuth, Endpoint};
use crate::secret::Secret;
use crate::store::{Grant, TokenSet};

/// Warns when the provider says it does not support `grant` (the server decides).
fn check_listed(l: &Login, grant: &str) {
    if l.provider.lists_grant(grant) == Some(false) {
        l.ctx.ui.warn(&format!(
            "{} does not list the {grant} grant in its grant_types_supported ({}); trying anyway",
            l.provider.display_name(),
            l.provider
                .spec
                .grant_types_supported
                .as_ref()
                .map(|g| g.join(", "))
                .unwrap_or_default()
        ));
    }
}

/// The grant's token request as numbered `--trace` steps; a refusal is explained by
/// the diagnosis's causes that do not depend on a code (client authentication, clock…).
fn token_request(
    l: &mut Login,
    steps: &mut Steps,
    endpoint: String,
    grant: &GrantParams<'_>,
    overrides: &[(String, String)],
    requested: &[String],
) -> Result<TokenSet> {
    let ctx = l.ctx;
    let (provider, client) = (l.provider.clone(), l.client.clone());
    let call = TokenCall::new(&provider, &client, endpoint, grant, overrides, "login")
        .requested(requested)
        .id_token_rules(l.id_token_rules());
    let dpop = l.dpop.clone();
    let call = call.dpop(dpop.as_deref());
    let http = ctx.http()?;
    let outcome = l.interruptible(async {
        Ok(call
            .run(http, &mut |ev| on_token_event(ctx, steps, &ev))
            .await)
    })?;
    match outcome {
        Ok(t) => Ok(t),
        Err(TokenFailure::Failed(e)) => {
            steps.end("failed");
            Err(e)
        }
        Err(TokenFailure::Refused(r)) => {
            Err(ctx.redact_error(r.to_grant_error(&provider, "the token request")))
        }
    }
}

pub(super) fn client_credentials(l: &mut Login) -> Result<()> {
    let (args, ctx) = (l.args, l.ctx);
    check_listed(l, "client_credentials");
    if l.provider.auth_method() == ClientAuth::None {
        return Err(Error::input(format!(
            "provider `{}` has a public client (token_endpoint_auth_method = none): the client credentials grant needs a client that authenticates",
            l.provider.name
        ))
        .with_hint(format!(
            "set `client_secret_env` (or `client_secret`) and `token_endpoint_auth_method` in the [providers.{}] table of the config file, or pass --client-assertion-key FILE",
            l.provider.name
        )));
    }
    let endpoint = l.provider.require_endpoint(Endpoint::Token)?;
    // --scope as given; else the configured scopes, less offline_access (and it says so).
    let mut requested = l.requested_scopes();
    if args.scopes.is_empty() && requested.iter().any(|s| s == OFFLINE_ACCESS) {
        requested.retain(|s| s != OFFLINE_ACCESS);
        ctx.ui.warn(&format!(
            "the configured scope {OFFLINE_ACCESS} is left out: it asks for a refresh token, which the client credentials grant does not issue (RFC 6749 §4.4.3); --scope sends exactly the scopes given"
        ));
    }
    let mut steps = Steps::new(ctx.global.trace, 2);
    // Renewed by asking again with the same parameters.
    let mut extra = args.params.clone();
    token::merge_params(&mut extra, &args.token_params);
    let extra = crate::oauth::rar::with_param(extra, args.authorization_details.as_deref())?;
    let params = GrantParams::ClientCredentials {
        scopes: &requested,
        audience: args.audience.as_deref(),
        resource: &args.resources,
    };
    let tokens = token_request(l, &mut steps, endpoint, &params, &extra, &requested)?;
    let grant = Grant::ClientCredentials {
        audience: args.audience.clone(),
        resource: args.resources.clone(),
        params: extra,
    };
    let session = l.session(tokens, Some(l.client.client_id.clone()), grant);
    l.finish(&mut steps, &session)
}

/// The first line of stdin, without its line ending.
fn password_from_stdin() -> Result<Secret> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::input(format!("cannot read the password from stdin: {e}")))?;
    let p = line.trim_end_matches(['\n', '\r']);
    if p.is_empty() {
        return Err(Error::input("--password-stdin: stdin gave no password")
            .with_hint("pipe the password in, e.g. `printf '%s\\n' \"$PASS\" | oauthctl login --password --password-stdin …`"));
    }
    Ok(Secret::new(p))
}

fn no_terminal(what: &str) -> Error {
    Error::input(format!("no terminal to ask for the {what}"))
        .with_hint("pass --username NAME and pipe the password in with --password-stdin (a password is never taken as an argument)")
}

/// Asks for the username on the terminal.
fn ask_username() -> Result<String> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(no_terminal("username"));
    }
    eprint!("Username: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::input(format!("cannot read the username: {e}")))?;
    let u = line.trim().to_string();
    if u.is_empty() {
        return Err(Error::input("no username given").with_hint("pass --username NAME"));
    }
    Ok(u)
}

pub(super) fn password(l: &mut Login) -> Result<()> {
    let (args, ctx) = (l.args, l.ctx);
    ctx.ui.warn("the password grant gives oauthctl your password; OAuth 2.1 drops this grant and the OAuth security BCP (RFC 9700) forbids it. Prefer `oauthctl login` (in a browser) or `--device` where the server offers them");
    check_listed(l, "password");
    let endpoint = l.provider.require_endpoint(Endpoint::Token)?;
    let username = match &args.username {
        Some(u) => u.clone(),
        None if args.password_stdin => {
            return Err(Error::usage("--password-stdin needs --username")
                .with_hint("stdin carries the password: give the username with --username NAME"))
        }
        None => ask_username()?,
    };
    let password = if args.password_stdin {
        password_from_stdin()?
    } else {
        // rpassword reads the terminal itself (not stdin), without echo.
        let prompt = format!("Password for {username} at {}: ", l.provider.display_name());
        Secret::new(rpassword::prompt_password(prompt).map_err(|e| {
            Error::input(format!("cannot ask for the password on the terminal: {e}"))
                .with_hint("pipe the password in with --password-stdin (a password is never taken as an argument)")
        })?)
    };
    ctx.secret(password.expose());
    let requested = l.requested_scopes();
    let mut overrides = args.params.clone();
    token::merge_params(&mut overrides, &args.token_params);
    let params = GrantParams::Password {
        username: &username,
        password: password.expose(),
        scopes: &requested,
        audience: args.audience.as_deref(),
        resource: &args.resources,
    };
    let mut steps = Steps::new(ctx.global.trace, 2);
    let tokens = token_request(l, &mut steps, endpoint, &params, &overrides, &requested)?;
    drop(password);
    let (provider, client) = (l.provider.clone(), l.client.clone());
    let key = l.dpop.clone();
    let who = l.interruptible(async {
        Ok(subject(ctx, &provider, &tokens, &client, key.as_deref()).await)
    })?;
    let session = l.session(tokens, who.or(Some(username)), Grant::Password);
    l.finish(&mut steps, &session)
}

/// `login --jwt-bearer`: a given assertion, or one signed here with --assertion-key for
/// --assertion-sub (then kept as a path, so that `token` signs a new one to renew).
pub(super) fn jwt_bearer(l: &mut Login) -> Result<()> {
    let (args, ctx) = (l.args, l.ctx);
    check_listed(l, JWT_BEARER_GRANT);
    let endpoint = l.provider.require_endpoint(Endpoint::Token)?;
    let (assertion, grant) = match (&args.assertion, &args.assertion_key, &args.assertion_sub) {
        (Some(src), _, _) => {
            let (a, _) = crate::secret::from_arg(src, "--assertion")?;
            let grant = Grant::JwtBearer {
                assertion_key: None,
                assertion_sub: None,
            };
            (a.expose().to_string(), grant)
        }
        (None, Some(key), Some(sub)) => {
            let path = std::path::absolute(key)
                .unwrap_or_else(|_| key.clone())
                .display()
                .to_string();
            let a = grant_assertion(&path, &l.client.client_id, sub, &endpoint)?;
            let grant = Grant::JwtBearer {
                assertion_key: Some(path),
                assertion_sub: Some(sub.clone()),
            };
            (a, grant)
        }
        _ => return Err(Error::usage(
            "--jwt-bearer needs --assertion JWT, or --assertion-key FILE with --assertion-sub SUB",
        )),
    };
    ctx.secret(&assertion);
    let requested = crate::provider::scope_flags(&args.scopes).unwrap_or_default();
    let mut overrides = args.params.clone();
    token::merge_params(&mut overrides, &args.token_params);
    let params = GrantParams::JwtBearer {
        assertion: &assertion,
        scopes: &requested,
    };
    let mut steps = Steps::new(ctx.global.trace, 2);
    let tokens = token_request(l, &mut steps, endpoint, &params, &overrides, &requested)?;
    let sub = args.assertion_sub.clone();
    let session = l.session(tokens, sub, grant);
    l.finish(&mut steps, &session)
}
