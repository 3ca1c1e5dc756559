//! The flow report: one self-contained HTML page that support staff can read, attach to
//! a ticket and share. It is built from a HAR document (the one `--har` writes, whose
//! secrets are already replaced by the redactor's keyed markers), plus what oauthctl
//! knew that a HAR cannot say: the outcome with its diagnosis exactly as the terminal
//! said it, the provider's resolved settings with where each came from, and the
//! environment. oauthctl keeps those in the HAR's `log._oauthctl` field, so a report
//! built later from its HAR is the same page; a HAR from another tool gives the page
//! without them. Never prints.

mod escape;
pub mod html;
pub mod model;
mod svg;

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// The name of the HAR extension field that carries [`Meta`].
pub const META_FIELD: &str = "_oauthctl";

/// How the command ended, as the terminal said it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Outcome {
    pub ok: bool,
    pub exit_code: u8,
    /// The error line (`oauthctl: error: …` without its prefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The hint under it: the diagnosis's meaning, ranked causes and next step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// One resolved provider setting and the layer it came from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Setting {
    pub name: String,
    pub value: String,
    /// preset, discovery, config, environment or flag.
    pub source: String,
}

/// Where and with what oauthctl ran.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Environment {
    pub version: String,
    pub os: String,
    pub arch: String,
    /// `--store` as given (auto, keyring, file).
    pub store: String,
    pub profile: String,
}

/// What oauthctl knew about the run, beyond the exchanges.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    /// The subcommand (`login`, `call`, …).
    pub command: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub outcome: Outcome,
    #[serde(default)]
    pub settings: Vec<Setting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovered_from: Option<String>,
    pub environment: Environment,
    /// `--show-secrets` was given: the page may hold secrets in clear.
    #[serde(default)]
    pub show_secrets: bool,
    /// When the report was written (RFC 3339, UTC).
    #[serde(default)]
    pub written_at: String,
}

impl Environment {
    pub fn current(store: &str, profile: &str) -> Environment {
        Environment {
            version: env!("CARGO_PKG_VERSION").to_string(),
            os: std::env::consts::OS.to_string(),
            arch: std::env::consts::ARCH.to_string(),
            store: store.to_string(),
            profile: profile.to_string(),
        }
    }
}

/// The page of a HAR document (with its `_oauthctl` field when oauthctl wrote it).
pub fn render_har(har: &Value) -> Result<String> {
    let report = model::Report::from_har(har)?;
    Ok(html::render(&report))
}

/// Reads a HAR file and renders its page.
pub fn from_har_file(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::input(format!("cannot read the HAR file {}: {e}", path.display()))
            .with_hint("give the path of a .har file written by `--har` or a browser's devtools")
    })?;
    let har: Value = serde_json::from_str(&text).map_err(|e| {
        Error::input(format!("{} is not a HAR file: {e}", path.display()))
            .with_hint("a HAR file is JSON with a `log.entries` list; write one with `--har FILE`")
    })?;
    render_har(&har)
}

/// Writes the page (mode 0600 on Unix, like the HAR: it describes a login).
pub fn write(path: &Path, html: &str) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    use std::io::Write;
    opts.open(path)
        .and_then(|mut f| f.write_all(html.as_bytes()))
        .map_err(|e| {
            Error::input(format!("cannot write the report {}: {e}", path.display()))
                .with_hint("check that the directory exists and is writable")
        })
}
