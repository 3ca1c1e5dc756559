//! `login --client-credentials` and `login --password`: grants that ask the token
//! endpoint directly, without a browser.

use std::io::{BufRead, IsTerminal, Write};

use super::{register_tokens, subject, Login};
use crate::error::{Error, Result};
use crate::oauth::token;
use crate::output::Steps;
use crate::provider::{ClientAuth, Endpoint};
use crate::secret::Secret;
use crate::store::{self, Grant, TokenSet};
use crate::support::diagnose;
use crate::support::diagnose::{CauseKind, Likelihood};

/// OpenID Connect scopes that ask for a user's identity or offline access.
const USER_SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
];

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

/// `--token-param KEY=VALUE` added to `params` (replacing a parameter of the same
/// name), its value masked when the key names a secret.
fn apply_token_params(l: &Login, params: &mut Vec<(String, String)>) {
    for (k, v) in &l.args.token_params {
        l.ctx.secret_param(k, v);
    }
    token::merge_params(params, &l.args.token_params);
}

/// POSTs `params` to the token endpoint as numbered `--trace` steps; a refusal is
/// explained by the diagnosis (client authentication, clock skew…).
fn token_request(
    l: &mut Login,
    steps: &mut Steps,
    endpoint: &str,
    params: &[(String, String)],
    requested: &[String],
) -> Result<TokenSet> {
    let ctx = l.ctx;
    let grant = params
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let (provider, client) = (l.provider.clone(), l.client.clone());
    steps.begin(
        "token request",
        &format!(
            "POST {endpoint} (grant_type={grant}, client authentication {})",
            provider.auth_method()
        ),
    );
    let sent = l.interruptible(async {
        let req = crate::oauth::client_auth::build_request(&provider, endpoint, params, &client)?;
        ctx.http()?.send(req).await
    });
    let resp = match sent {
        Ok(r) => r,
        Err(e) => {
            steps.end("failed");
            return Err(e);
        }
    };
    steps.end(&format!(
        "{} {}",
        resp.status,
        reqwest::StatusCode::from_u16(resp.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
    ));
    steps.begin("response", "reading the token response");
    let now = store::unix_now();
    match token::parse_response(&provider, &resp, now, requested) {
        Ok(t) => Ok(t),
        Err(oauth) => {
            steps.end(&format!("refused: {}", ctx.redact(&oauth.to_string())));
            let ev = diagnose::evidence(
                None,
                &[],
                params,
                provider.auth_method(),
                crate::clock::response_skew(&resp),
                "login",
                now,
            );
            let d = diagnose::diagnose(&provider, &(&oauth).into(), &ev);
            let e = oauth.to_error(&provider, "the token request", &grant);
            // The grant's own hint, then the diagnosis's causes that do not depend on
            // a code (client authentication, grant, scope, clock, server).
            let pad = "        ";
            let mut hint = e.hint.clone().unwrap_or_default();
            for c in d.causes.iter().filter(|c| {
                c.likelihood != Likelihood::Unlikely
                    && matches!(
                        c.cause,
                        CauseKind::WrongClientAuth
                            | CauseKind::WrongClientCredentials
                            | CauseKind::ClientTypeMismatch
                            | CauseKind::GrantNotAllowed
                            | CauseKind::InvalidScope
                            | CauseKind::UnsupportedGrant
                            | CauseKind::ServerFailure
                            | CauseKind::ProxyFailure
                            | CauseKind::WrongEndpoint
                            | CauseKind::ClockSkew
                    )
            }) {
                hint.push_str(&format!("\n{pad}{}: {}", c.likelihood.label(), c.title));
                for ev in &c.evidence {
                    hint.push_str(&format!("\n{pad}  - {ev}"));
                }
                hint.push_str(&format!("\n{pad}  fix: {}", c.fix));
            }
            let hint = (!hint.is_empty()).then_some(hint);
            Err(Error {
                message: ctx.redact(&e.message),
                hint: hint.map(|h| ctx.redact(&h)),
                ..e
            })
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
    // --scope as given; else the provider's scopes without those that only mean
    // something for a user (OpenID Connect's), which servers refuse without one.
    let requested: Vec<String> = if args.scopes.is_empty() {
        l.provider
            .scopes()
            .into_iter()
            .filter(|s| !USER_SCOPES.contains(&s.as_str()))
            .collect()
    } else {
        l.requested_scopes()
    };
    let mut steps = Steps::new(ctx.global.trace, 2);
    let mut params = token::client_credentials_params(
        &l.provider,
        &requested,
        args.audience.as_deref(),
        &args.resources,
        &args.params,
    );
    apply_token_params(l, &mut params);
    // Renewed by asking again with the same parameters.
    let mut extra = args.params.clone();
    token::merge_params(&mut extra, &args.token_params);
    let grant = Grant::ClientCredentials {
        audience: args.audience.clone(),
        resource: args.resources.clone(),
        params: extra,
    };
    let tokens = token_request(l, &mut steps, &endpoint, &params, &requested)?;
    register_tokens(ctx, &tokens);
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
    let mut params = vec![
        ("grant_type".to_string(), "password".to_string()),
        ("username".to_string(), username.clone()),
        ("password".to_string(), password.expose().to_string()),
    ];
    params.extend(token::scope_param(&l.provider, &requested));
    if let Some(a) = &args.audience {
        params.push(("audience".into(), a.clone()));
    }
    for r in &args.resources {
        params.push(("resource".into(), r.clone()));
    }
    token::merge_params(&mut params, &args.params);
    apply_token_params(l, &mut params);
    let mut steps = Steps::new(ctx.global.trace, 2);
    let tokens = token_request(l, &mut steps, &endpoint, &params, &requested)?;
    drop(params);
    drop(password);
    register_tokens(ctx, &tokens);
    let (provider, client) = (l.provider.clone(), l.client.clone());
    let who = l.interruptible(async { Ok(subject(ctx, &provider, &tokens, &client).await) })?;
    let session = l.session(tokens, who.or(Some(username)), Grant::Password);
    l.finish(&mut steps, &session)
}
