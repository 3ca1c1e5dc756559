//! `oauthctl decode`: a token (or each token of a token response) described, and with
//! `--verify` its signature and claims checked.

use std::io::{IsTerminal, Read};

use serde_json::Value;

use crate::cli::DecodeArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::jwt::describe::{self, Decoded, Description, Rules, Verification};
use crate::jwt::keys::{KeySource, Keys};
use crate::jwt::{self, input, Token};
use crate::output;

pub fn run(args: &DecodeArgs, ctx: &Context) -> Result<()> {
    let tokens = input::split(&read_input(args)?)?;
    let secret = match &args.secret {
        Some(src) => Some(input::read_secret(src, args.token.as_deref())?),
        None => None,
    };
    let now = jwt::now();
    let rules = Rules {
        now,
        leeway: i64::try_from(args.leeway.as_secs()).unwrap_or(i64::MAX),
        iss: args.iss.as_deref(),
        aud: args.aud.as_deref(),
    };
    let mut keys = Keys::new(KeySource {
        jwks: args.jwks.clone(),
        iss: args.iss.clone(),
        provider: ctx.global.provider.is_some(),
        trust_token_issuer: args.trust_token_issuer,
    });
    let mut results: Vec<(String, Decoded)> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for (name, raw) in &tokens {
        let parsed = jwt::parse(raw).map_err(|e| {
            if tokens.len() > 1 {
                Error::input(format!("{name}: {}", e.message)).with_hint(e.hint.unwrap_or_default())
            } else {
                e
            }
        })?;
        let verification = match &parsed {
            _ if !args.verify => None,
            Token::Jws(jws) => {
                let jwks = if describe::needs_jwks(jws) {
                    Some(keys.get(ctx, jws)?)
                } else {
                    None
                };
                let v = Verification::check(jws, jwks, secret.as_deref(), &rules);
                Some(if keys.unpinned() {
                    v.unpinned(crate::jwt::keys::NOT_PINNED)
                } else {
                    v
                })
            }
            Token::Jwe { .. } => Some(Verification::Encrypted),
            Token::Opaque { .. } => Some(Verification::Opaque {
                alone: tokens.len() == 1,
            }),
        };
        if let Some(why) = verification.as_ref().and_then(Verification::failure) {
            failures.push(format!("{name}: {why}"));
        }
        let description = Description::of(&parsed, raw, now);
        results.push((
            name.clone(),
            Decoded {
                description,
                verification,
            },
        ));
    }
    print(&results, ctx)?;
    if !failures.is_empty() {
        return Err(
            Error::input(format!("verification failed: {}", failures.join("; ")))
                .with_hint("the token must not be trusted; see the reasons above"),
        );
    }
    Ok(())
}

/// One bare token as itself, several (from a token response) by name; or for people.
fn print(results: &[(String, Decoded)], ctx: &Context) -> Result<()> {
    if !ctx.global.json {
        let text: String = results
            .iter()
            .map(|(name, d)| {
                output::jwt::token(
                    name,
                    &d.description,
                    d.verification.as_ref(),
                    output::jwt::NOT_VERIFIED,
                )
            })
            .collect();
        return output::stdout(&text);
    }
    let json = |d: &Decoded| {
        serde_json::to_value(d)
            .map_err(|e| Error::internal(format!("cannot render the token as JSON: {e}")))
    };
    match results {
        [(name, d)] if name == input::BARE => output::json(&json(d)?),
        _ => {
            let mut all = serde_json::Map::new();
            for (name, d) in results {
                all.insert(name.clone(), json(d)?);
            }
            output::json(&Value::Object(all))
        }
    }
}

fn read_input(args: &DecodeArgs) -> Result<String> {
    match args.token.as_deref() {
        Some("-") => read_stdin(),
        Some(t) => Ok(t.to_string()),
        None if !std::io::stdin().is_terminal() => read_stdin(),
        None => Err(Error::usage("no token given")
            .with_hint("oauthctl decode TOKEN, or pipe it in: … | oauthctl decode -")),
    }
}

fn read_stdin() -> Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .take((jwt::MAX_TOKEN_LEN + 1024) as u64)
        .read_to_string(&mut s)
        .map_err(|e| Error::input(format!("cannot read the token from stdin: {e}")))?;
    Ok(s)
}
