//! `oauthctl register`: dynamic client registration; the client_id (with the redirect
//! URI and authentication method that go with it) is written into the config file,
//! the client secret into the keyring or the file store, so the next `login` uses them.
//! The protocol is in [`crate::oauth::register`], the config edit in
//! [`crate::provider::edit`].

use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::RegisterArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::oauth::register::{self, registered_anyway, Registration};
use crate::output;
use crate::provider::config;
use crate::provider::edit::{self, ProviderEdit};
use crate::provider::ProviderSpec;
use crate::secret::Secret;
use crate::store::Backend;

/// What was registered and recorded where: `register --json`, and the text report.
#[derive(Serialize)]
struct RegisterReport<'a> {
    provider: &'a str,
    client_id: &'a str,
    client_secret: Option<&'a str>,
    client_secret_store: Option<&'static str>,
    client_secret_file: Option<String>,
    token_endpoint_auth_method: String,
    redirect_uris: &'a [String],
    config: String,
    config_created: bool,
    config_set: Vec<&'a str>,
    config_removed: &'a [String],
    response: Map<String, Value>,
}

pub fn run(args: &RegisterArgs, ctx: &Context) -> Result<()> {
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&ProviderSpec::default()))?;
    let endpoint = register::endpoint(&provider)?;
    if args.name.trim().is_empty() {
        return Err(Error::usage("--name is empty")
            .with_hint("give the client a name, e.g. --name \"My CLI\""));
    }
    // The config file must take the client_id: check before registering anything.
    let config_path = ctx.config.path_for_edit()?;
    edit::check(&config_path, &provider.name)?;

    let redirect_uris =
        Registration::redirect_uris(&provider, &args.redirect_uris, &args.grant_types, args.port)?;
    let reg = Registration::new(
        &args.name,
        redirect_uris,
        &args.scopes,
        &args.grant_types,
        args.token.as_deref(),
    )?;
    if let Some(t) = &reg.initial_access_token {
        ctx.secret(t.expose());
    }
    if let Some(w) = register::dropped_fields_warning(&provider, &reg) {
        ctx.ui.warn(&w);
    }
    let registered = rt.block_on(register::register(ctx.http()?, &provider, &endpoint, &reg))?;
    let client_id = registered.client_id.as_str();

    // The secret first (the config edit was checked above).
    let store = ctx.store()?;
    if let Some(s) = &registered.client_secret {
        ctx.secret(s.expose());
    }
    let stored = store
        .replace_client_secret(&provider.name, client_id, registered.client_secret.as_ref())
        .map_err(|e| {
            registered_anyway(e, &provider, client_id, "its secret could not be stored")
        })?;
    if let Some(w) = stored.as_ref().and_then(|s| s.fallback_warning()) {
        ctx.ui.warn(&w);
    }

    // Then the config: the new client_id, and what goes with it.
    let method = registered.auth_method(provider.auth_method());
    let change = ProviderEdit::registered_client(
        &provider,
        client_id,
        method.as_deref(),
        &registered.redirect_uris,
    );
    let edited = edit::apply(&config_path, &provider.name, &change).map_err(|e| {
        let what = "its client_id could not be written to the config file";
        registered_anyway(e, &provider, client_id, what)
    })?;
    for w in config::registered_client_overrides(&provider.name) {
        ctx.ui.warn(&w);
    }

    let report = RegisterReport {
        provider: &provider.name,
        client_id,
        client_secret: registered.client_secret.as_ref().map(Secret::expose),
        client_secret_store: stored.as_ref().map(|s| s.backend.as_str()),
        client_secret_file: stored
            .as_ref()
            .filter(|s| s.backend == Backend::File)
            .map(|s| s.path.display().to_string()),
        token_endpoint_auth_method: method.unwrap_or_else(|| provider.auth_method().to_string()),
        redirect_uris: &registered.redirect_uris,
        config: edited.path.display().to_string(),
        config_created: edited.created,
        config_set: change.set.iter().map(|(k, _)| k.as_str()).collect(),
        config_removed: &edited.removed,
        response: registered.shown_response(ctx.global.show_secrets),
    };
    if ctx.global.json {
        return output::json(&report);
    }
    // Every field came from the server: made inert for the terminal.
    output::stdout(&crate::text::inert_lines(
        &report.text(ctx.global.show_secrets),
    ))?;
    let config_flag = match &ctx.global.config {
        Some(p) => format!("--config {} ", p.display()),
        None => String::new(),
    };
    ctx.ui.info(&format!(
        "Registered \"{}\" with {}. Log in with: oauthctl {config_flag}login -p {}",
        args.name,
        provider.display_name(),
        provider.name
    ));
    Ok(())
}

impl RegisterReport<'_> {
    fn text(&self, show_secrets: bool) -> String {
        let mut s = format!("{:<14} {}\n", "client_id", self.client_id);
        let place = match (&self.client_secret_file, self.client_secret_store) {
            (Some(file), _) => Some(format!("stored in {file} (readable only by you)")),
            (None, Some(_)) => Some("stored in the OS keyring".to_string()),
            (None, None) => None,
        };
        let secret_line = match (place, self.client_secret) {
            (Some(place), Some(v)) if show_secrets => format!("{v} ({place})"),
            (Some(place), Some(_)) => place,
            _ => "none (a public client)".into(),
        };
        s.push_str(&format!("{:<14} {secret_line}\n", "client_secret"));
        if !self.redirect_uris.is_empty() {
            let uris = self.redirect_uris.join(" ");
            s.push_str(&format!("{:<14} {uris}\n", "redirect_uris"));
        }
        let method = &self.token_endpoint_auth_method;
        s.push_str(&format!("{:<14} {method}\n", "auth method"));
        let mut what = format!(
            "[providers.{}]: {} set",
            self.provider,
            self.config_set.join(", ")
        );
        if !self.config_removed.is_empty() {
            let removed = self.config_removed.join(", ");
            what.push_str(&format!("; {removed} of the previous client removed"));
        }
        s.push_str(&format!("{:<14} {} ({what})\n", "config", self.config));
        s
    }
}
