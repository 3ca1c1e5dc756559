//! `oauthctl report FILE.har [-o FILE.html]`: the flow report of a HAR file.

use crate::cli::{GlobalArgs, ReportArgs};
use crate::error::{Error, Result};
use crate::output::Ui;

pub fn run(a: &ReportArgs, global: &GlobalArgs) -> Result<()> {
    let ui = Ui::new(global.quiet, global.verbose, global.color);
    if global.har.is_some() {
        return Err(Error::usage(
            "report reads a HAR file and records no HTTP exchange: --har does not apply",
        )
        .with_hint("give the HAR file as the argument: oauthctl report FILE.har"));
    }
    let html = crate::report::from_har_file(&a.har)?;
    let out = a
        .output
        .clone()
        .unwrap_or_else(|| a.har.with_extension("html"));
    crate::report::write(&out, &html)?;
    ui.info(&format!("wrote the flow report to {}", out.display()));
    Ok(())
}
