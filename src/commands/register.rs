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
use crate::oauth::authorize;
use crate::oauth::register::{self, Registered, Registration};
use crate::output;
use crate::provider::config;
use crate::provider::edit::{self, Edited, ProviderEdit};
use crate::provider::{env_prefix, Provider, ProviderSpec};
use crate::secret::Secret;
use crate::store::clients::SavedClient;
use crate::store::{Backend, Store};

/// `register --json`.
#[derive(Serialize)]
struct RegisterReport<'a> {
    provider: &'a str,
    client_id: &'a str,
    client_secret: Option<&'a str>,
    client_secret_store: Option<&'static str>,
    client_secret_file: Option<String>,
    token_endpoint_auth_method: &'a str,
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
    let Some(config_path) = ctx.config.path.clone().or_else(config::default_path) else {
        return Err(Error::input("cannot find where the config file goes")
            .with_hint("set HOME (or XDG_CONFIG_HOME), or pass --config FILE"));
    };
    edit::check(&config_path, &provider.name)?;

    let redirect_uris = if !args.redirect_uris.is_empty() {
        args.redirect_uris.clone()
    } else if Registration::wants_code_flow(&args.grant_types) {
        vec![authorize::redirect_uri(&provider, None, args.port)?]
    } else {
        Vec::new()
    };
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
    let client_id = registered.client_id.clone();
    let kept = |e: Error, what: &str| -> Error {
        let hint = format!(
            "{}; the client `{client_id}` was registered at {} but {what}: register again once this is fixed",
            e.hint.clone().unwrap_or_default(),
            provider.display_name()
        );
        e.with_hint(hint)
    };

    // The secret first (the config edit was checked above).
    let store = ctx.store()?;
    let stored = store_secret(ctx, &store, &provider, &registered)
        .map_err(|e| kept(e, "its secret could not be stored"))?;

    // Then the config: the new client_id, and what goes with it.
    let method = registered.auth_method(provider.auth_method());
    let change = ProviderEdit::registered_client(
        &provider,
        &client_id,
        method.as_deref(),
        &registered.redirect_uris,
    );
    let edited = edit::apply(&config_path, &provider.name, &change)
        .map_err(|e| kept(e, "its client_id could not be written to the config file"))?;
    for (var, what) in [("CLIENT_ID", "client_id"), ("CLIENT_SECRET", "secret")] {
        let var = format!("OAUTHCTL_{}_{var}", env_prefix(&provider.name));
        if std::env::var_os(&var).is_some_and(|v| !v.is_empty()) {
            ctx.ui.warn(&format!(
                "{var} is set: it overrides the registered client's {what}; unset it"
            ));
        }
    }

    let method = method.unwrap_or_else(|| provider.auth_method().to_string());
    let set_keys: Vec<&str> = change.set.iter().map(|(k, _)| k.as_str()).collect();
    if ctx.global.json {
        return output::json(&RegisterReport {
            provider: &provider.name,
            client_id: &client_id,
            client_secret: registered.client_secret.as_ref().map(Secret::expose),
            client_secret_store: stored.as_ref().map(|s| s.backend.as_str()),
            client_secret_file: stored
                .as_ref()
                .filter(|s| s.backend == Backend::File)
                .map(|s| s.path.display().to_string()),
            token_endpoint_auth_method: &method,
            redirect_uris: &registered.redirect_uris,
            config: edited.path.display().to_string(),
            config_created: edited.created,
            config_set: set_keys,
            config_removed: &edited.removed,
            response: registered.shown_response(ctx.global.show_secrets),
        });
    }
    output::stdout(&text_report(
        ctx,
        &provider,
        &registered,
        stored.as_ref(),
        &method,
        &set_keys,
        &edited,
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

/// Stores the registered client's secret; a public client's removes an earlier one.
fn store_secret(
    ctx: &Context,
    store: &Store,
    provider: &Provider,
    registered: &Registered,
) -> Result<Option<SavedClient>> {
    let Some(secret) = &registered.client_secret else {
        // A public client: a secret stored for an earlier client is of no use.
        let _ = store.delete_client_secret(&provider.name);
        return Ok(None);
    };
    ctx.secret(secret.expose());
    let saved = store.save_client_secret(&provider.name, &registered.client_id, secret)?;
    if let Some(f) = &saved.fallback {
        ctx.ui.warn(&format!(
            "the OS keyring is not reachable ({}); the client secret is stored in the file {} (readable only by you) instead. Use --store file to choose files, or --store keyring to require the keyring",
            f.cause,
            f.path.display()
        ));
    }
    Ok(Some(saved))
}

fn text_report(
    ctx: &Context,
    provider: &Provider,
    registered: &Registered,
    stored: Option<&SavedClient>,
    method: &str,
    set_keys: &[&str],
    edited: &Edited,
) -> String {
    let mut s = format!("{:<14} {}\n", "client_id", registered.client_id);
    let secret_line = match (stored, &registered.client_secret) {
        (Some(st), Some(v)) => {
            let place = match st.backend {
                Backend::Keyring => "stored in the OS keyring".to_string(),
                Backend::File => format!("stored in {} (readable only by you)", st.path.display()),
            };
            if ctx.global.show_secrets {
                format!("{} ({place})", v.expose())
            } else {
                place
            }
        }
        _ => "none (a public client)".into(),
    };
    s.push_str(&format!("{:<14} {secret_line}\n", "client_secret"));
    if !registered.redirect_uris.is_empty() {
        s.push_str(&format!(
            "{:<14} {}\n",
            "redirect_uris",
            registered.redirect_uris.join(" ")
        ));
    }
    s.push_str(&format!("{:<14} {method}\n", "auth method"));
    let mut what = format!("[providers.{}]: {} set", provider.name, set_keys.join(", "));
    if !edited.removed.is_empty() {
        what.push_str(&format!(
            "; {} of the previous client removed",
            edited.removed.join(", ")
        ));
    }
    s.push_str(&format!(
        "{:<14} {} ({what})\n",
        "config",
        edited.path.display()
    ));
    s
}
