//! One module per subcommand; each is short glue between the CLI and the library.

pub mod authorize_url;
pub mod call;
pub mod decode;
pub mod discover;
pub mod doctor;
pub mod exchange;
pub mod generate_assets;
pub mod git_credential;
pub mod inspect;
pub mod introspect;
pub mod kubectl_credential;
pub mod login;
pub mod logout;
pub mod me;
pub mod mock;
pub mod providers;
pub mod refresh;
pub mod register;
pub mod report;
pub mod run;
pub mod status;
pub mod token;
pub mod token_exchange;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::Result;

/// Runs the parsed command line. `generate-assets` and `mock` (which emulates a preset
/// as documented) need no config file; every other command runs with a [`Context`], and
/// its HAR file and flow report are written however it ends.
pub fn run(cli: Cli) -> Result<()> {
    let global = cli.global;
    let name = cli.command.name();
    let with = |command: &dyn Fn(&Context) -> Result<()>| {
        let ctx = Context::new(global.clone())?;
        // Every error line and hint goes through the redactor, whichever path made it.
        let result = command(&ctx).map_err(|e| ctx.redact_error(e));
        let written = ctx.finish(name, &result);
        // The command's own error matters more than a failure to write the HAR file.
        result.and(written)
    };
    match cli.command {
        Command::GenerateAssets(a) => generate_assets::run(&a),
        Command::Mock(a) => mock::run(&a, &global),
        Command::Report(a) => report::run(&a, &global),
        Command::Discover(a) => with(&|ctx| discover::run(&a, ctx)),
        Command::Providers(a) => with(&|ctx| providers::run(&a, ctx)),
        Command::AuthorizeUrl(a) => with(&|ctx| authorize_url::run(&a, ctx)),
        Command::Decode(a) => with(&|ctx| decode::run(&a, ctx)),
        Command::Doctor(a) => with(&|ctx| doctor::run(&a, ctx)),
        Command::Exchange(a) => with(&|ctx| exchange::run(&a, ctx)),
        Command::Login(a) => with(&|ctx| login::run(&a, ctx)),
        Command::Token(a) => with(&|ctx| logged_in(a.login, ctx, || token::run_token(&a, ctx))),
        Command::Header(a) => with(&|ctx| logged_in(a.login, ctx, || token::run_header(&a, ctx))),
        Command::Refresh(a) => with(&|ctx| refresh::run(&a, ctx)),
        Command::Status(a) => with(&|ctx| status::run(&a, ctx)),
        Command::Logout(a) => with(&|ctx| logout::run(&a, ctx)),
        Command::Inspect(a) => with(&|ctx| inspect::run(&a, ctx)),
        Command::Me(a) => with(&|ctx| me::run(&a, ctx)),
        Command::Call(a) => with(&|ctx| call::run(&a, ctx)),
        Command::Register(a) => with(&|ctx| register::run(&a, ctx)),
        Command::Introspect(a) => with(&|ctx| introspect::run(&a, ctx)),
        Command::TokenExchange(a) => with(&|ctx| token_exchange::run(&a, ctx)),
        Command::GitCredential(a) => with(&|ctx| git_credential::run(&a, ctx)),
        Command::KubectlCredential(a) => with(&|ctx| {
            let interactive = kubectl_credential::interactive();
            logged_in(interactive, ctx, || kubectl_credential::run(&a, ctx))
        }),
        Command::Run(a) => {
            let code = std::cell::Cell::new(0u8);
            with(&|ctx| run::run(&a, ctx).map(|c| code.set(c)))?;
            exit_with(code.get())
        }
    }
}

/// `run` ends with its command's exit status, once the HAR file and report are written.
fn exit_with(code: u8) -> Result<()> {
    if code != 0 {
        std::process::exit(i32::from(code));
    }
    Ok(())
}

/// `command`, or with `--login` (`token`, `header`) a login with the default options
/// first when it says one is needed, then `command` again.
fn logged_in(login: bool, ctx: &Context, command: impl Fn() -> Result<()>) -> Result<()> {
    match command() {
        Err(e) if login && e.kind == crate::ErrorKind::LoginRequired => {
            ctx.ui.info(&format!("{}: logging in", e.message));
            login::run(&crate::cli::LoginArgs::defaults()?, ctx)?;
            command()
        }
        other => other,
    }
}
