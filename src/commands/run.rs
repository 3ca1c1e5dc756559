//! `oauthctl run -p NAME [--env VAR] [--header-env VAR2] -- CMD [ARGS…]`: CMD with a
//! fresh access token in its environment (never printed). CMD is a child, not an exec,
//! so that SIGTERM, SIGINT and SIGHUP sent to oauthctl reach it; its exit status comes
//! back as oauthctl's (a death by signal N as 128+N, as shells say it).

use std::process::{Command, ExitStatus};

use crate::cli::RunArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::session::credential::{fresh_credential, Use};

/// A variable name the environment can hold.
fn check_var(flag: &str, name: &str) -> Result<()> {
    if name.is_empty() || name.contains(['=', '\0']) {
        return Err(Error::usage(format!(
            "{flag} {name:?} is not an environment variable name"
        ))
        .with_hint("use a name such as OAUTH_TOKEN (no `=`)"));
    }
    Ok(())
}

/// Runs CMD; returns its exit status as an exit code.
pub fn run(args: &RunArgs, ctx: &Context) -> Result<u8> {
    check_var("--env", &args.env)?;
    if let Some(h) = &args.header_env {
        check_var("--header-env", h)?;
    }
    let Some((program, rest)) = args.command.split_first() else {
        return Err(Error::usage("no command to run: give it after `--`"));
    };
    let cred = fresh_credential(ctx, args.min_ttl, Use::AccessToken)?;
    let mut cmd = Command::new(program);
    cmd.args(rest).env(&args.env, cred.token.expose());
    if let Some(h) = &args.header_env {
        cmd.env(h, format!("{} {}", cred.scheme, cred.token.expose()));
    }
    let status = supervise(ctx, cmd, &program.to_string_lossy())?;
    Ok(exit_code(status))
}

fn spawn_error(program: &str, e: &std::io::Error) -> Error {
    Error::input(format!("cannot run {program:?}: {e}"))
        .with_hint("check the command after `--`: is it installed, on PATH and executable?")
}

/// Spawns CMD and waits for it, forwarding SIGTERM, SIGINT and SIGHUP. The handlers are
/// in place before CMD starts, so no signal in between kills oauthctl alone.
#[cfg(unix)]
fn supervise(ctx: &Context, mut cmd: Command, program: &str) -> Result<ExitStatus> {
    use tokio::signal::unix::{signal, SignalKind};
    let rt = ctx.runtime()?;
    let listen = |kind: SignalKind| {
        let _enter = rt.enter();
        signal(kind).map_err(|e| Error::internal(format!("cannot listen for signals: {e}")))
    };
    let (mut term, mut int, mut hup) = (
        listen(SignalKind::terminate())?,
        listen(SignalKind::interrupt())?,
        listen(SignalKind::hangup())?,
    );
    let mut child = cmd.spawn().map_err(|e| spawn_error(program, &e))?;
    let pid = i32::try_from(child.id())
        .map_err(|_| Error::internal("the child's process id does not fit a pid_t"))?;
    let (tx, mut done) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let forward = |sig: libc::c_int| {
        // SAFETY: kill(2) with our own child's pid and a valid signal number.
        unsafe {
            libc::kill(pid, sig);
        }
    };
    let waited = rt.block_on(async {
        loop {
            tokio::select! {
                r = &mut done => return r,
                _ = term.recv() => forward(libc::SIGTERM),
                _ = int.recv() => forward(libc::SIGINT),
                _ = hup.recv() => forward(libc::SIGHUP),
            }
        }
    });
    match waited {
        Ok(Ok(status)) => Ok(status),
        Ok(Err(e)) => Err(Error::internal(format!("cannot wait for {program:?}: {e}"))),
        Err(_) => Err(Error::internal(format!("lost track of {program:?}"))),
    }
}

#[cfg(not(unix))]
fn supervise(_ctx: &Context, mut cmd: Command, program: &str) -> Result<ExitStatus> {
    let mut child = cmd.spawn().map_err(|e| spawn_error(program, &e))?;
    child
        .wait()
        .map_err(|e| Error::internal(format!("cannot wait for {program:?}: {e}")))
}

/// The exit code a shell would report for CMD.
fn exit_code(status: ExitStatus) -> u8 {
    if let Some(c) = status.code() {
        return u8::try_from(c & 0xff).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return u8::try_from((128 + sig) & 0xff).unwrap_or(1);
        }
    }
    1
}
