//! The `oauthctl` binary.
//!
//! On Linux with glibc it starts at C's `main` rather than through Rust's runtime start
//! (issue 19: startup), which would spend a tenth of the process's instructions on
//! finding the main thread's stack (glibc reads and scans /proc/self/maps) to install a
//! stack-overflow message. What that start does and the program relies on is done here:
//! SIGPIPE ignored (a closed pipe is an EPIPE error, not a silent death), a panic ends
//! with exit code 101 after its message, and stdout is flushed before the exit.
//! Arguments come from std as usual (glibc hands them to std's initialiser).
//! Elsewhere the ordinary `fn main` runs the same code.

// (Not in the test build of this file, whose `main` is the test harness's.)
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

use oauthctl::output::Ui;

/// The whole command: parses, runs, reports an error; returns the exit code.
fn run() -> u8 {
    let cli = match oauthctl::startup::parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let ui = Ui::new(cli.global.quiet, cli.global.verbose, cli.global.color);
    match oauthctl::commands::run(cli) {
        Ok(()) => 0,
        Err(e) => {
            ui.error(&e);
            e.exit_code()
        }
    }
}

/// Rust's exit code for a panic in `main`.
#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
const PANIC_EXIT: u8 = 101;

#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: setting a signal's disposition to SIG_IGN, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let code = std::panic::catch_unwind(run).unwrap_or(PANIC_EXIT);
    let _ = std::io::Write::flush(&mut std::io::stdout());
    libc::c_int::from(code)
}

#[cfg(any(test, not(all(target_os = "linux", target_env = "gnu"))))]
#[allow(dead_code)] // in the test build
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(run())
}
