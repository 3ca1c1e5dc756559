use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use oauthctl::cli::Cli;
use oauthctl::output::Ui;

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let ui = Ui::new(cli.global.quiet, cli.global.verbose, cli.global.color);
    match oauthctl::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            ui.error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// `Cli::try_parse`, without freeing the command tree afterwards: clap copies every
/// global option into every subcommand, and dropping those copies one by one costs a
/// sizeable part of a short command's run (`--version`, `token`, `decode`), for memory
/// the process hands back when it exits moments later.
fn parse() -> Result<Cli, clap::Error> {
    let mut command = Cli::command();
    // As clap's `try_parse`: a parse error comes formatted; one from the conversion
    // into `Cli` is formatted against the command.
    let parsed = match command.try_get_matches_from_mut(std::env::args_os()) {
        Ok(mut matches) => {
            Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
        }
        Err(e) => Err(e),
    };
    std::mem::forget(command);
    parsed
}
