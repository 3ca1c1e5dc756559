//! One module per subcommand; each is short glue between the CLI and the library.

pub mod authorize_url;
pub mod call;
pub mod decode;
pub mod discover;
pub mod doctor;
pub mod exchange;
pub mod generate_assets;
pub mod inspect;
pub mod introspect;
pub mod login;
pub mod logout;
pub mod me;
pub mod mock;
pub mod providers;
pub mod refresh;
pub mod register;
pub mod status;
pub mod token;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::Result;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    if let Command::GenerateAssets(args) = &cli.command {
        return generate_assets::run(args);
    }
    // The mock emulates a preset as documented: it needs no config file.
    if let Command::Mock(args) = &cli.command {
        return mock::run(args, &cli.global);
    }
    let ctx = Context::new(cli.global)?;
    let result = dispatch(cli.command, &ctx);
    let har = ctx.write_har();
    // The command's own error matters more than a failure to write the HAR file.
    result.and(har)
}

fn dispatch(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Discover(a) => discover::run(&a, ctx),
        Command::Providers(a) => providers::run(&a, ctx),
        Command::AuthorizeUrl(a) => authorize_url::run(&a, ctx),
        Command::Decode(a) => decode::run(&a, ctx),
        Command::Doctor(a) => doctor::run(&a, ctx),
        Command::Exchange(a) => exchange::run(&a, ctx),
        Command::Login(a) => login::run(&a, ctx),
        Command::Token(a) => logged_in(a.login, ctx, || token::run_token(&a, ctx)),
        Command::Header(a) => logged_in(a.login, ctx, || token::run_header(&a, ctx)),
        Command::Refresh(a) => refresh::run(&a, ctx),
        Command::Status(a) => status::run(&a, ctx),
        Command::Logout(a) => logout::run(&a, ctx),
        Command::Inspect(a) => inspect::run(&a, ctx),
        Command::Me(a) => me::run(&a, ctx),
        Command::Call(a) => call::run(&a, ctx),
        Command::Register(a) => register::run(&a, ctx),
        Command::Introspect(a) => introspect::run(&a, ctx),
        // Both run before a context exists (see `run`).
        Command::Mock(_) | Command::GenerateAssets(_) => Err(crate::Error::internal(
            "mock and generate-assets are dispatched before the context is made",
        )),
    }
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
