//! `oauthctl register`: dynamic client registration; the client_id (with the redirect
//! URI and authentication method that go with it) is written into the config file,
//! the client secret into the keyring or the file store, so the next `login` uses them.

use std::io::Read;

use serde_json::{json, Map, Value};

use crate::cli::RegisterArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::oauth::authorize;
use crate::oauth::register::{self, Registration};
use crate::output;
use crate::provider::config;
use crate::provider::edit::{self, ProviderEdit};
use crate::provider::{env_prefix, ProviderSpec};
use crate::redact;
use crate::secret::Secret;
use crate::store::Backend;

pub fn run(args: &RegisterArgs, ctx: &Context) -> Result<()> {
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&ProviderSpec::default()))?;
    let Some(endpoint) = provider.spec.registration_endpoint.clone() else {
        let how = provider
            .spec
            .registration_hint
            .clone()
            .unwrap_or_else(|| "register the client by hand at the provider".into());
        return Err(Error::input(format!(
            "{} has no registration endpoint: its clients cannot be registered by oauthctl",
            provider.display_name()
        ))
        .with_hint(format!(
            "{how}; then set client_id in the [providers.{}] table of the config file (or set registration_endpoint there if the server has one)",
            provider.name
        )));
    };
    if args.name.trim().is_empty() {
        return Err(Error::usage("--name is empty")
            .with_hint("give the client a name, e.g. --name \"My CLI\""));
    }
    // The config file must take the client_id: check before registering anything.
    let config_path = match ctx.config.path.clone().or_else(config::default_path) {
        Some(p) => p,
        None => {
            return Err(Error::input("cannot find where the config file goes")
                .with_hint("set HOME (or XDG_CONFIG_HOME), or pass --config FILE"))
        }
    };
    edit::check(&config_path, &provider.name)?;

    let code_flow =
        args.grant_types.is_empty() || args.grant_types.iter().any(|g| g == "authorization_code");
    let redirect_uris = if !args.redirect_uris.is_empty() {
        args.redirect_uris.clone()
    } else if code_flow {
        vec![authorize::redirect_uri(&provider, None, args.port)?]
    } else {
        Vec::new()
    };
    for u in &redirect_uris {
        url::Url::parse(u).map_err(|e| {
            Error::input(format!("--redirect-uri `{u}` is not an absolute URI: {e}"))
                .with_hint("write it like http://127.0.0.1:8765/callback")
        })?;
    }
    let initial_access_token = match &args.token {
        Some(src) => {
            let t = read_token(src)?;
            ctx.secret(t.expose());
            Some(t)
        }
        None => None,
    };
    let reg = Registration {
        client_name: args.name.clone(),
        redirect_uris,
        scopes: args
            .scopes
            .iter()
            .flat_map(|s| s.split(' '))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        grant_types: args.grant_types.clone(),
        initial_access_token,
    };
    let (_, dropped) = register::body(&provider, &reg);
    if !dropped.is_empty() {
        ctx.ui.warn(&format!(
            "{} registers only {}: not sending {}",
            provider.display_name(),
            provider
                .spec
                .registration_fields
                .clone()
                .unwrap_or_default()
                .join(", "),
            dropped.join(", ")
        ));
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
    let stored = match &registered.client_secret {
        Some(secret) => {
            ctx.secret(secret.expose());
            let saved = store
                .save_client_secret(&provider.name, &client_id, secret)
                .map_err(|e| kept(e, "its secret could not be stored"))?;
            if let Some(f) = &saved.fallback {
                ctx.ui.warn(&format!(
                    "the OS keyring is not reachable ({}); the client secret is stored in the file {} (readable only by you) instead. Use --store file to choose files, or --store keyring to require the keyring",
                    f.cause,
                    f.path.display()
                ));
            }
            Some(saved)
        }
        None => {
            // A public client: a secret stored for an earlier client is of no use.
            let _ = store.delete_client_secret(&provider.name);
            None
        }
    };

    // Then the config: the new client_id, and what goes with it.
    let mut change = ProviderEdit::default();
    change.set.push(("client_id".into(), client_id.clone()));
    let method = registered.token_endpoint_auth_method.clone().or_else(|| {
        // RFC 7591 §2: client_secret_basic by default.
        match (&registered.client_secret, provider.auth_method()) {
            (Some(_), "none") => Some("client_secret_basic".into()),
            (None, m) if m != "none" => Some("none".into()),
            _ => None,
        }
    });
    if let Some(m) = &method {
        if m != provider.auth_method() {
            change
                .set
                .push(("token_endpoint_auth_method".into(), m.clone()));
        }
    }
    if let Some(first) = registered.redirect_uris.first() {
        if provider.spec.redirect_uri.as_deref() != Some(first.as_str()) {
            change.set.push(("redirect_uri".into(), first.clone()));
        }
    }
    // The previous client's secret must not be sent for the new one.
    change.remove = vec!["client_secret".into(), "client_secret_env".into()];
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

    let secret_value = registered.client_secret.as_ref().map(Secret::expose);
    let (backend, secret_file) = match &stored {
        Some(s) => (
            Some(s.backend.as_str()),
            (s.backend == Backend::File).then(|| s.path.display().to_string()),
        ),
        None => (None, None),
    };
    let set_keys: Vec<&str> = change.set.iter().map(|(k, _)| k.as_str()).collect();
    if ctx.global.json {
        let mut response = Map::new();
        for (k, v) in &registered.response {
            let secret = k != "client_secret"
                && redact::SECRET_KEYS.contains(&k.as_str())
                && !ctx.global.show_secrets;
            response.insert(
                k.clone(),
                match v {
                    Value::String(s) if secret => Value::String(redact::mask(s)),
                    other => other.clone(),
                },
            );
        }
        return output::json(&json!({
            "provider": provider.name,
            "client_id": client_id,
            "client_secret": secret_value,
            "client_secret_store": backend,
            "client_secret_file": secret_file,
            "token_endpoint_auth_method": method.clone().unwrap_or_else(|| provider.auth_method().to_string()),
            "redirect_uris": registered.redirect_uris,
            "config": edited.path.display().to_string(),
            "config_created": edited.created,
            "config_set": set_keys,
            "config_removed": edited.removed,
            "response": response,
        }));
    }
    let mut s = String::new();
    s.push_str(&format!("{:<14} {client_id}\n", "client_id"));
    let secret_line = match (&stored, secret_value) {
        (Some(st), Some(v)) => {
            let place = match st.backend {
                Backend::Keyring => "stored in the OS keyring".to_string(),
                Backend::File => format!("stored in {} (readable only by you)", st.path.display()),
            };
            if ctx.global.show_secrets {
                format!("{v} ({place})")
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
    s.push_str(&format!(
        "{:<14} {}\n",
        "auth method",
        method.unwrap_or_else(|| provider.auth_method().to_string())
    ));
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
    output::stdout(&s)?;
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

/// `--token`: @FILE, env:VAR, `-` (stdin), or the token itself.
fn read_token(src: &str) -> Result<Secret> {
    let (raw, from) = if src == "-" {
        let mut buf = String::new();
        std::io::stdin()
            .read_to_string(&mut buf)
            .map_err(|e| Error::input(format!("cannot read --token from stdin: {e}")))?;
        (buf, "stdin".to_string())
    } else if let Some(path) = src.strip_prefix('@') {
        let t = std::fs::read_to_string(path).map_err(|e| {
            Error::input(format!("cannot read --token from {path}: {e}"))
                .with_hint("--token @FILE reads the initial access token from FILE")
        })?;
        (t, path.to_string())
    } else if let Some(var) = src.strip_prefix("env:") {
        let t = std::env::var(var).map_err(|_| {
            Error::input(format!("--token env:{var}: the variable {var} is not set"))
                .with_hint(format!("export {var}=… first"))
        })?;
        (t, format!("${var}"))
    } else {
        (src.to_string(), "--token".to_string())
    };
    let t = raw.trim();
    let t = match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => t[7..].trim(),
        _ => t,
    };
    if t.is_empty() || t.chars().any(char::is_whitespace) {
        return Err(Error::input(format!(
            "the initial access token from {from} is empty or has spaces in it"
        ))
        .with_hint("give only the token"));
    }
    Ok(Secret::new(t))
}
