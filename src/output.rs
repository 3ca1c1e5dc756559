//! Human and JSON rendering: stdout carries results, stderr carries messages.

use std::io::{IsTerminal, Write};

use comfy_table::{presets, ContentArrangement, Table};

use crate::cli::ColorChoice;
use crate::error::{Error, Result};
use crate::text::{cut, inert_lines};

/// The longest error message or hint printed whole (longer ones are cut, the length
/// noted).
pub const MAX_ERROR_LINE: usize = 8000;

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
            eprintln!("{}", inert_lines(msg));
        }
    }

    /// Details shown with --verbose.
    pub fn detail(&self, msg: &str) {
        if self.verbose && !self.quiet {
            eprintln!("{}", self.paint("2", &inert_lines(msg)));
        }
    }

    /// A warning; always shown.
    pub fn warn(&self, msg: &str) {
        eprintln!(
            "{} {}",
            self.paint("33", "oauthctl: warning:"),
            inert_lines(msg)
        );
    }

    /// The one place errors are printed: control characters escaped (a server's words
    /// may be quoted in it), a runaway message cut with its length noted.
    pub fn error(&self, e: &Error) {
        let message = inert_lines(&cut(&e.message, MAX_ERROR_LINE));
        eprintln!("{} {message}", self.paint("31", "oauthctl: error:"));
        if let Some(h) = &e.hint {
            let h = inert_lines(&cut(h, MAX_ERROR_LINE));
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

/// Pretty JSON on stdout: a `Value`, or a struct with the documented shape.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
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

/// A secret as shown: in clear with `show` (--show-secrets), else masked (JWTs keep
/// their header and claims).
pub fn shown_secret(secret: &str, show: bool) -> String {
    if show {
        secret.to_string()
    } else {
        crate::redact::mask_token(secret)
    }
}

fn token_kind(token: &str) -> &'static str {
    if crate::jwt::looks_like_jwt(token) {
        "JWT"
    } else {
        "opaque"
    }
}

/// A token response as a JSON object: every token masked unless `show`.
pub fn token_fields(
    t: &crate::store::TokenSet,
    show: bool,
    now: u64,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::json;
    let mut token = serde_json::Map::new();
    let shown = |s: &str| shown_secret(s, show);
    token.insert("access_token".into(), json!(shown(t.access_token.expose())));
    token.insert("token_type".into(), json!(t.token_type));
    token.insert("expires_at".into(), json!(t.expires_at));
    token.insert(
        "expires_in".into(),
        json!(t.expires_at.map(|e| crate::clock::seconds_until(e, now))),
    );
    let refresh = t.refresh_token.as_ref().map(|s| shown(s.expose()));
    token.insert("refresh_token".into(), json!(refresh));
    let id = t.id_token.as_ref().map(|s| shown(s.expose()));
    token.insert("id_token".into(), json!(id));
    token.insert("scopes".into(), json!(t.scopes));
    for (k, v) in &t.extra {
        token.insert(k.clone(), v.clone());
    }
    for (k, v) in &t.secret_extra {
        token.insert(k.clone(), json!(shown(v.expose())));
    }
    token
}

/// A token response as `FIELD`, `VALUE` rows: every token masked unless `show`.
pub fn token_rows(t: &crate::store::TokenSet, show: bool, now: u64) -> Vec<(String, String)> {
    let shown = |s: &str| shown_secret(s, show);
    let access = t.access_token.expose();
    let mut rows: Vec<(String, String)> = vec![(
        "access_token".into(),
        format!("{} ({})", shown(access), token_kind(access)),
    )];
    rows.push(("token_type".into(), t.token_type.clone()));
    let at = t
        .expires_at
        .map(|e| crate::jwt::iso(i64::try_from(e).unwrap_or(i64::MAX)));
    rows.push((
        "expires".into(),
        match crate::duration::expires_in_words(t.expires_at, now) {
            Some(w) => format!("{w} ({})", at.unwrap_or_default()),
            None => "no expiry given".into(),
        },
    ));
    if let Some(r) = &t.refresh_token {
        rows.push(("refresh_token".into(), shown(r.expose())));
    }
    if let Some(i) = &t.id_token {
        rows.push(("id_token".into(), shown(i.expose())));
    }
    let scopes = match t.scopes.is_empty() {
        true => "(none)".to_string(),
        false => t.scopes.join(" "),
    };
    rows.push(("scopes".into(), scopes));
    for (k, v) in &t.extra {
        let v = v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
        rows.push((k.clone(), v));
    }
    for (k, v) in &t.secret_extra {
        rows.push((k.clone(), shown(v.expose())));
    }
    rows
}

/// `access token (expires in 1 h), refresh token, id token; scopes a b`.
pub fn token_summary(t: &crate::store::TokenSet, now: u64) -> String {
    let mut parts = vec![match crate::duration::expires_in_words(t.expires_at, now) {
        Some(w) => format!("access token (expires {w})"),
        None => "access token (no expiry given)".to_string(),
    }];
    if t.refresh_token.is_some() {
        parts.push("refresh token".into());
    }
    if t.id_token.is_some() {
        parts.push("id token".into());
    }
    let scopes = if t.scopes.is_empty() {
        "no scopes".to_string()
    } else {
        format!("scopes {}", t.scopes.join(" "))
    };
    format!("{}; {scopes}", parts.join(", "))
}

/// `login --json`: the stored session, without its secrets.
#[derive(Debug, serde::Serialize)]
pub struct LoginJson<'a> {
    pub provider: &'a str,
    pub profile: &'a str,
    pub subject: Option<&'a str>,
    pub scopes: &'a [String],
    pub token_type: &'a str,
    pub expires_at: Option<u64>,
    pub expires_in: Option<i64>,
    pub refreshable: bool,
    pub store: &'static str,
    pub file: Option<String>,
    pub obtained_at: u64,
    pub client_id: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    pub grant: &'static str,
    pub client_auth: &'a str,
}

impl<'a> LoginJson<'a> {
    pub fn new(
        s: &'a crate::store::Session,
        client_auth: &'a str,
        backend: crate::store::Backend,
        path: Option<&std::path::Path>,
        now: u64,
    ) -> Self {
        LoginJson {
            provider: &s.provider,
            profile: &s.profile,
            subject: s.subject.as_deref(),
            scopes: &s.tokens.scopes,
            token_type: &s.tokens.token_type,
            expires_at: s.tokens.expires_at,
            expires_in: s
                .tokens
                .expires_at
                .map(|e| crate::clock::seconds_until(e, now)),
            refreshable: s.refreshable(),
            store: backend.as_str(),
            file: path.map(|p| p.display().to_string()),
            obtained_at: s.obtained_at,
            client_id: s.client_id.as_deref(),
            issuer: s.issuer.as_deref(),
            extra: &s.tokens.extra,
            grant: s.grant.name(),
            client_auth,
        }
    }
}

/// `Logged in to Hub as alice (device authorization): scopes a b, expires in 1 h,
/// refreshable; stored in the OS keyring.`
pub fn logged_in_line(
    provider: &str,
    s: &crate::store::Session,
    backend: crate::store::Backend,
    now: u64,
) -> String {
    use crate::store::{Backend, Grant};
    let who = match (&s.subject, &s.grant) {
        (Some(x), Grant::ClientCredentials { .. }) => format!(" as client {x}"),
        (Some(x), _) => format!(" as {x}"),
        (None, _) => String::new(),
    };
    // `(device authorization, profile work)`, `(profile work)`, or nothing.
    let mut notes: Vec<String> = Vec::new();
    if s.grant != Grant::AuthorizationCode {
        notes.push(s.grant.describe().to_string());
    }
    if s.profile != crate::store::DEFAULT_PROFILE {
        notes.push(format!("profile {}", s.profile));
    }
    let how = match notes.is_empty() {
        true => String::new(),
        false => format!(" ({})", notes.join(", ")),
    };
    let scopes = match s.tokens.scopes.is_empty() {
        true => "no scopes".to_string(),
        false => format!("scopes {}", s.tokens.scopes.join(" ")),
    };
    let expiry = match crate::duration::expires_in_words(s.tokens.expires_at, now) {
        Some(w) => format!("expires {w}"),
        None => "no expiry given".into(),
    };
    let refresh = if s.refreshable() {
        ", refreshable"
    } else if s.renews_by_asking_again() {
        ", renewed by asking again"
    } else {
        ""
    };
    let store = match backend {
        Backend::Keyring => "in the OS keyring",
        Backend::File => "in a file",
    };
    format!("Logged in to {provider}{who}{how}: {scopes}, {expiry}{refresh}; stored {store}.")
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

    /// A line of detail inside the current step (with --trace only).
    pub fn detail(&self, msg: &str) {
        if self.on {
            eprintln!("   {msg}");
        }
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
                self.end(&format!("{status} {}", crate::http::reason(*status)));
                self.begin("response", "reading the token response");
            }
            TokenEvent::Refused { error } => {
                self.end(&format!("refused: {}", redact(&error.to_string())))
            }
            TokenEvent::DpopProof {
                proof,
                thumbprint,
                nonce,
            } => self.dpop_proof(proof, thumbprint, *nonce),
            TokenEvent::JournalFailed { .. } | TokenEvent::Warning { .. } => {}
        }
    }

    /// A DPoP proof as a step of its own: its header and claims decoded, the key's
    /// thumbprint (the proof holds the public key only; its signature is not shown).
    pub fn dpop_proof(&mut self, proof: &str, thumbprint: &str, nonce: Option<&str>) {
        self.total += 1;
        let what = match nonce {
            Some(_) => "signed again with the server's nonce (use_dpop_nonce)",
            None => "signed with the session's key (RFC 9449)",
        };
        self.begin("DPoP proof", what);
        if let Some((header, claims)) = crate::oauth::dpop::decode(proof) {
            self.detail(&format!(
                "header: {}",
                crate::text::inert(&header.to_string())
            ));
            self.detail(&format!(
                "claims: {}",
                crate::text::inert(&claims.to_string())
            ));
        }
        self.detail(&format!("key thumbprint (jkt): {thumbprint}"));
        self.end("header `DPoP` added");
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
