//! Human and JSON rendering: stdout carries results, stderr carries messages.

use std::io::{IsTerminal, Write};

use comfy_table::{presets, ContentArrangement, Table};

use crate::cli::ColorChoice;
use crate::error::{Error, Result};

/// Messages for humans, on stderr.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
}

fn color_enabled(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true)
        }
    }
}

impl Ui {
    pub fn new(quiet: bool, verbose: bool, color: ColorChoice) -> Self {
        Ui {
            quiet,
            verbose,
            color: color_enabled(color, std::io::stderr().is_terminal()),
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// A progress or summary line; silenced by --quiet.
    pub fn info(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// Details shown with --verbose.
    pub fn detail(&self, msg: &str) {
        if self.verbose && !self.quiet {
            eprintln!("{}", self.paint("2", msg));
        }
    }

    /// A warning; always shown.
    pub fn warn(&self, msg: &str) {
        eprintln!("{} {msg}", self.paint("33", "oauthctl: warning:"));
    }

    /// The one place errors are printed.
    pub fn error(&self, e: &Error) {
        eprintln!("{} {}", self.paint("31", "oauthctl: error:"), e.message);
        if let Some(h) = &e.hint {
            eprintln!("  {} {h}", self.paint("36", "hint:"));
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::internal(format!("cannot write to stdout: {e}"))),
    }
}

pub fn json(value: &serde_json::Value) -> Result<()> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::internal(format!("cannot render JSON: {e}")))?;
    s.push('\n');
    stdout(&s)
}

/// A table for stdout: borders when stdout is a terminal, plain otherwise.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    if std::io::stdout().is_terminal() {
        t.load_preset(presets::UTF8_HORIZONTAL_ONLY);
        t.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.load_preset(presets::NOTHING);
    }
    t.set_header(header.to_vec());
    t
}

pub fn print_table(t: &Table) -> Result<()> {
    let mut s = t.to_string();
    // comfy-table pads the last column; trailing spaces help no one.
    s = s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    s.push('\n');
    stdout(&s)
}

/// A spinner on stderr, on a terminal only (and not with --quiet).
pub struct Spinner {
    pub on: bool,
    frame: usize,
    shown: bool,
}

impl Spinner {
    pub fn new(ui: &Ui) -> Self {
        Spinner {
            on: std::io::stderr().is_terminal() && !ui.quiet,
            frame: 0,
            shown: false,
        }
    }

    /// Redraws the line with the next frame and `text`.
    pub fn tick(&mut self, text: &str) {
        if !self.on {
            return;
        }
        const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{} {text}", FRAMES[self.frame % FRAMES.len()]);
        let _ = err.flush();
        self.frame += 1;
        self.shown = true;
    }

    /// Erases the line (before another message, and at the end).
    pub fn clear(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}

/// `text` as a QR code drawn with Unicode half blocks (two rows of modules per line),
/// light on dark so that it scans on the usual dark terminal; `None` when it does not
/// fit in a QR code.
pub fn qr_code(text: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

/// `--trace` of a multi-step flow: numbered steps with their timings, on stderr, around
/// the HTTP transcript of each step. Silent when off.
#[derive(Debug)]
pub struct Steps {
    on: bool,
    total: usize,
    n: usize,
    name: String,
    started: std::time::Instant,
    flow_started: std::time::Instant,
}

impl Steps {
    pub fn new(on: bool, total: usize) -> Steps {
        let now = std::time::Instant::now();
        Steps {
            on,
            total,
            n: 0,
            name: String::new(),
            started: now,
            flow_started: now,
        }
    }

    /// The line that opens a step.
    pub fn begin_line(n: usize, total: usize, name: &str, what: &str) -> String {
        format!("── step {n}/{total} · {name}: {what}")
    }

    /// The line that closes a step.
    pub fn end_line(
        n: usize,
        total: usize,
        name: &str,
        outcome: &str,
        took: std::time::Duration,
        since_start: std::time::Duration,
    ) -> String {
        format!(
            "── step {n}/{total} · {name}: {outcome} ({}, {} since the start)",
            millis(took),
            millis(since_start)
        )
    }

    /// Starts the next step (ending none: call `end` first).
    pub fn begin(&mut self, name: &str, what: &str) {
        self.n += 1;
        self.name = name.to_string();
        self.started = std::time::Instant::now();
        if self.on {
            eprintln!("{}", Self::begin_line(self.n, self.total, name, what));
        }
    }

    /// Ends the current step with its outcome and timing.
    /// Shows a token request's progress as steps: `token request` (until the server
    /// answers), then `response` (ended by the caller, or here when refused).
    pub fn token_event(
        &mut self,
        ev: &crate::flow::token::TokenEvent<'_>,
        redact: &dyn Fn(&str) -> String,
    ) {
        use crate::flow::token::TokenEvent;
        match ev {
            TokenEvent::Sending {
                endpoint,
                grant,
                client_auth,
            } => self.begin(
                "token request",
                &format!(
                    "POST {endpoint} (grant_type={grant}, client authentication {client_auth})"
                ),
            ),
            TokenEvent::Answered { status } => {
                self.end(&format!(
                    "{status} {}",
                    reqwest::StatusCode::from_u16(*status)
                        .ok()
                        .and_then(|s| s.canonical_reason())
                        .unwrap_or("")
                ));
                self.begin("response", "reading the token response");
            }
            TokenEvent::Refused { error } => {
                self.end(&format!("refused: {}", redact(&error.to_string())))
            }
            TokenEvent::JournalFailed { .. } => {}
        }
    }

    pub fn end(&mut self, outcome: &str) {
        if self.on {
            eprintln!(
                "{}\n",
                Self::end_line(
                    self.n,
                    self.total,
                    &self.name,
                    outcome,
                    self.started.elapsed(),
                    self.flow_started.elapsed()
                )
            );
        }
    }
}

/// `23 ms`, `4.21 s`.
pub fn millis(d: std::time::Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// Tokens for people (`decode`, `inspect`).
pub mod jwt;
/// An HTTP answer for people (`call`, `me`).
pub mod response;
/// A stored session for people and `--json` (`inspect`).
pub mod session;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_codes_are_half_blocks_and_two_modules_per_line() {
        let q = qr_code("http://127.0.0.1:8080/device?user_code=BCDF-GHJK").unwrap();
        let lines: Vec<&str> = q.lines().collect();
        // Version 3 (29 modules) + 2 × 4 quiet zone = 37 columns, 19 lines.
        assert!(lines
            .iter()
            .all(|l| l.chars().count() == lines[0].chars().count()));
        assert!(lines.len() * 2 >= lines[0].chars().count());
        assert!(q.chars().all(|c| " ▀▄█\n".contains(c)), "{q}");
    }

    use std::time::Duration;

    #[test]
    fn step_lines_are_numbered_and_timed() {
        assert_eq!(
            Steps::begin_line(1, 5, "preflight", "GET the authorization endpoint"),
            "── step 1/5 · preflight: GET the authorization endpoint"
        );
        assert_eq!(
            Steps::end_line(
                4,
                5,
                "token request",
                "200 OK",
                Duration::from_millis(23),
                Duration::from_millis(4210)
            ),
            "── step 4/5 · token request: 200 OK (23 ms, 4.21 s since the start)"
        );
    }
}
