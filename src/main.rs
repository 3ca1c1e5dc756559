use std::process::ExitCode;

use oauthctl::output::Ui;

fn main() -> ExitCode {
    let cli = match oauthctl::startup::parse(std::env::args_os().collect()) {
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
