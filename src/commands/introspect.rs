//! `oauthctl introspect`: RFC 7662 token introspection, of the stored access (or
//! refresh) token by default.

use std::io::Read;

use serde_json::Value;

use crate::cli::IntrospectArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::jwt;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::introspect;
use crate::output;
use crate::provider::ProviderSpec;
use crate::secret::Secret;

const TIME_FIELDS: &[&str] = &["exp", "iat", "nbf"];

pub fn run(args: &IntrospectArgs, ctx: &Context) -> Result<()> {
    let rt = ctx.runtime()?;
    let mut provider = rt.block_on(ctx.provider(&ProviderSpec::default()))?;
    let Some(endpoint) = provider.spec.introspection_endpoint.clone() else {
        return Err(Error::input(format!(
            "{} has no introspection endpoint (RFC 7662)",
            provider.display_name()
        ))
        .with_hint(format!(
            "set `introspection_endpoint` in the [providers.{}] table of the config file if it has one; `oauthctl inspect -p {}` decodes the stored tokens locally",
            provider.name, provider.name
        )));
    };
    let (token, hint, session_client) = match &args.token {
        Some(t) => (given_token(t)?, None, None),
        None => {
            let key = ctx.session_key(&provider.name)?;
            let Some(session) = ctx.store()?.load(&key)? else {
                return Err(
                    Error::login_required(format!("no session for {key}")).with_hint(format!(
                        "log in first (`oauthctl login -p {}`), or pass the TOKEN to introspect",
                        provider.name
                    )),
                );
            };
            // A client that signed assertions with a key keeps signing with it.
            provider = crate::session::renew::with_session_client(&provider, &session);
            let t = session.tokens;
            if args.refresh_token {
                let Some(r) = t.refresh_token else {
                    return Err(
                        Error::input(format!("the session of {key} has no refresh token"))
                            .with_hint("introspect its access token: drop --refresh-token"),
                    );
                };
                (r, Some("refresh_token"), session.client_id)
            } else {
                (t.access_token, Some("access_token"), session.client_id)
            }
        }
    };
    ctx.secret(token.expose());
    // The client that obtained the tokens, with the configured (or registered) secret.
    let client = ClientCredentials {
        client_id: match session_client {
            Some(id) => id,
            None => provider.require_client_id()?,
        },
        client_secret: provider.client_secret(),
    };
    let answer = rt.block_on(introspect::introspect(
        ctx.http()?,
        &provider,
        &endpoint,
        &token,
        hint,
        &client,
    ))?;
    if ctx.global.json {
        return output::json(&Value::Object(answer));
    }
    let now = jwt::now();
    let mut s = String::new();
    let active = answer.get("active") == Some(&Value::Bool(true));
    s.push_str(&format!(
        "{:<12} {}\n",
        "active",
        if active {
            "yes"
        } else {
            "no (expired, revoked, or unknown to the server)"
        }
    ));
    for (k, v) in &answer {
        if k == "active" {
            continue;
        }
        let mut text = match v {
            Value::String(x) => x.clone(),
            other => other.to_string(),
        };
        if TIME_FIELDS.contains(&k.as_str()) {
            if let Some(ts) = v.as_f64().map(|f| f as i64) {
                text = format!(
                    "{} ({}, {})",
                    ts,
                    jwt::iso(ts),
                    jwt::describe_time(k, ts, now)
                );
            }
        }
        // The server's words, made inert for the terminal.
        let k = crate::text::inert(k);
        s.push_str(&format!(
            "{k:<12} {}\n",
            crate::text::untrusted(&ctx.redact(&text))
        ));
    }
    output::stdout(&s)
}

/// The TOKEN argument: the token, `Bearer TOKEN`, or `-` for stdin.
fn given_token(arg: &str) -> Result<Secret> {
    let raw = if arg == "-" {
        let mut buf = String::new();
        std::io::stdin()
            .read_to_string(&mut buf)
            .map_err(|e| Error::input(format!("cannot read the token from stdin: {e}")))?;
        buf
    } else {
        arg.to_string()
    };
    let t = raw.trim();
    let t = match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => t[7..].trim(),
        _ => t,
    };
    if t.is_empty() {
        return Err(Error::input("the token to introspect is empty").with_hint(
            "pass it as TOKEN, pipe it in with `-`, or leave it out for the stored one",
        ));
    }
    if t.chars().any(char::is_whitespace) {
        return Err(
            Error::input("the token to introspect contains spaces or line breaks")
                .with_hint("pass only the token"),
        );
    }
    Ok(Secret::new(t))
}

#[cfg(test)]
mod tests {
    #[test]
    fn bearer_prefix_and_blank_tokens() {
        assert_eq!(super::given_token("Bearer abc").unwrap().expose(), "abc");
        assert_eq!(super::given_token(" abc \n").unwrap().expose(), "abc");
        assert_eq!(super::given_token("  ").unwrap_err().exit_code(), 3);
        assert!(super::given_token("a b").is_err());
    }
}
