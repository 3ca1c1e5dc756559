//! `oauthctl git-credential -p NAME get|store|erase`: git's credential helper protocol
//! (`git help credential`). git writes `key=value` lines ending with a blank line on
//! stdin; `get` answers the username, a fresh access token as the password and its
//! expiry; `erase` (the password was refused) marks the session so that the next `get`
//! renews it first; `store` does nothing (the session is the store). The input is
//! untrusted: read up to a cap, never echoed, unknown attributes ignored.

use std::io::Read;

use crate::cli::GitCredentialArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::provider::ProviderSpec;
use crate::session::credential::{fresh_credential, Use};
use crate::session::mark_refused;

/// More than any credential description git sends (it caps each line at 64 KiB too).
const MAX_INPUT: u64 = 64 * 1024;
/// How much more is read and dropped.
const MAX_DRAINED: u64 = 64 * 1024 * 1024;

/// The username when the provider sets no `git_username` (what GitHub, GitLab and
/// Bitbucket accept with an OAuth token as the password).
const DEFAULT_USERNAME: &str = "oauth2";

/// The attributes git sent: only `password` matters (`erase`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub password: Option<String>,
}

/// Parses git's `key=value` lines up to the first blank line; lines without `=` and
/// unknown keys are ignored, as the protocol says.
pub fn parse(input: &[u8]) -> Request {
    let text = String::from_utf8_lossy(input);
    let mut req = Request::default();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if let Some(("password", v)) = line.split_once('=') {
            req.password = Some(v.to_string());
        }
    }
    req
}

/// The first [`MAX_INPUT`] bytes of stdin; the rest is read and dropped (so that the
/// writer never meets a closed pipe), up to a bound.
fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut stdin = std::io::stdin().lock();
    (&mut stdin)
        .take(MAX_INPUT)
        .read_to_end(&mut buf)
        .map_err(|e| Error::input(format!("cannot read git's request on stdin: {e}")))?;
    let _ = std::io::copy(&mut stdin.take(MAX_DRAINED), &mut std::io::sink());
    Ok(buf)
}

pub fn run(args: &GitCredentialArgs, ctx: &Context) -> Result<()> {
    match args.operation.as_str() {
        "get" => get(args, ctx),
        "erase" => {
            // git sends the refused credential; without a password there is nothing to
            // compare, and a token that is still fine is kept.
            let req = parse(&read_stdin()?);
            if let Some(p) = &req.password {
                ctx.secret(p);
                if mark_refused(ctx, p)? {
                    ctx.ui
                        .detail("the refused token is renewed at the next `get`");
                }
            }
            Ok(())
        }
        // `store`: the session is the store. Any other operation: ignored, as git's
        // protocol asks of helpers.
        _ => {
            let _ = read_stdin();
            Ok(())
        }
    }
}

fn get(args: &GitCredentialArgs, ctx: &Context) -> Result<()> {
    // git's request names the host and path; the provider (-p) says whose token it is.
    let _ = read_stdin()?;
    let cred = fresh_credential(ctx, args.min_ttl, Use::AccessToken)?;
    let spec = ctx.provider_static(&ProviderSpec::default())?.spec;
    let username = spec
        .git_username
        .as_deref()
        .filter(|u| !u.is_empty() && !u.contains(['\n', '\r', '\0']))
        .unwrap_or(DEFAULT_USERNAME)
        .to_string();
    let mut out = format!("username={username}\npassword={}\n", cred.token.expose());
    if let Some(exp) = cred.expires_at {
        out.push_str(&format!("password_expiry_utc={exp}\n"));
    }
    output::stdout(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_password_and_ignores_the_rest() {
        let r = parse(b"protocol=https\nhost=x\nwwwauth[]=Basic realm=\"a=b\"\npassword=tok=en\nzzz\n\npassword=after\n");
        assert_eq!(r.password.as_deref(), Some("tok=en"));
        assert_eq!(parse(b"").password, None);
        assert_eq!(parse(b"\xff\xfe=\x00\npassword\n").password, None);
        assert_eq!(parse(b"password=a\r\n").password.as_deref(), Some("a"));
    }
}
