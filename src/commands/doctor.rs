//! `oauthctl doctor`: run the checks of `oauth::doctor` and print the report.

use crate::cli::DoctorArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::provider::ProviderSpec;
use crate::support::doctor::{self, Options, Report};

/// `doctor --json`.
#[derive(serde::Serialize)]
struct DoctorJson<'a> {
    provider: &'a str,
    display_name: &'a str,
    ok: bool,
    exit_code: u8,
    checks: &'a [crate::support::doctor::Check],
}

pub fn run(args: &DoctorArgs, ctx: &Context) -> Result<()> {
    let flags = ProviderSpec {
        client_id: args.client_id.clone(),
        ..Default::default()
    };
    let mut base = ctx.provider_static(&flags)?;
    let name = base.name.clone();
    let rt = ctx.runtime()?;
    // The built-in demo is checked against its in-process emulator, as `login` uses it.
    let emulator = match base.spec.emulated_by.clone() {
        Some(kind) => {
            let handle = rt.block_on(crate::demo::start(ctx.http()?, &mut base, &kind, false))?;
            ctx.ui.info(&crate::demo::banner(&handle));
            Some(handle)
        }
        None => None,
    };
    let emulated = emulator.as_ref().map(|_| base.clone());
    let layer = |disc: Option<&ProviderSpec>| match &emulated {
        Some(p) => Ok(p.clone()),
        None => ctx.config.layered(&name, disc, &flags),
    };
    let scopes = crate::provider::scope_flags(&args.scopes);
    let opts = Options {
        redirect_uri: args.redirect_uri.clone(),
        port: args.port,
        scopes,
        params: args.params.clone(),
        cacert: ctx.global.cacert.clone(),
        insecure: ctx.global.insecure,
        max_skew: args.max_skew,
    };
    let http = ctx.http()?;
    let mut report = rt.block_on(doctor::run(http, base, &layer, &opts));
    drop(emulator);
    redact(ctx, &mut report);
    if ctx.global.json {
        output::json(&DoctorJson {
            provider: &report.provider,
            display_name: &report.display_name,
            ok: report.failed().is_empty(),
            exit_code: report.exit_code(),
            checks: &report.checks,
        })?;
    } else {
        output::stdout(&render(&report))?;
    }
    verdict(ctx, &report)
}

/// Everything shown passes through the redactor: the server's words may quote secrets.
fn redact(ctx: &Context, report: &mut Report) {
    let r = ctx
        .redactor
        .lock()
        .map(|r| r.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    for c in &mut report.checks {
        c.summary = r.text(&c.summary);
        for d in &mut c.details {
            *d = r.text(d);
        }
    }
}

fn render(report: &Report) -> String {
    let width = report
        .checks
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(0);
    let mut out = format!("{} ({})\n", report.display_name, report.provider);
    for c in &report.checks {
        out.push_str(&format!(
            "  {:<4}  {:<width$}  {}\n",
            c.status.label(),
            c.name,
            c.summary
        ));
        for d in &c.details {
            out.push_str(&format!("  {:<4}  {:<width$}  → {d}\n", "", ""));
        }
    }
    out
}

fn verdict(ctx: &Context, report: &Report) -> Result<()> {
    let failed = report.failed();
    let warnings = report.warnings();
    let ok = report
        .checks
        .iter()
        .filter(|c| c.status == doctor::Status::Ok)
        .count();
    if failed.is_empty() {
        ctx.ui.info(&format!(
            "{} checks: {ok} ok, {warnings} warning(s), none failed",
            report.checks.len()
        ));
        return Ok(());
    }
    let names: Vec<&str> = failed.iter().map(|c| c.name).collect();
    let msg = format!(
        "{} of {} checks failed for {}: {}",
        failed.len(),
        report.checks.len(),
        report.provider,
        names.join(", ")
    );
    let hint = format!(
        "fix the lines marked fail (each says how), then run `oauthctl doctor -p {}` again",
        report.provider
    );
    Err(match report.exit_code() {
        3 => Error::input(msg),
        _ => Error::server(msg),
    }
    .with_hint(hint))
}
