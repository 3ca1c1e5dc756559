use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::ProvidersArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output;
use crate::provider::{discovery, ClientAuth, Endpoint, Origin, ProviderSpec};

/// One provider of `providers --json`.
#[derive(Serialize)]
struct ProviderRow {
    name: String,
    display_name: String,
    source: &'static str,
    default: bool,
    issuer: Option<String>,
    /// Endpoint name → URL, in display order.
    endpoints: Map<String, Value>,
    emulated_by: Option<String>,
    endpoints_from_discovery: bool,
    client_id: Option<String>,
    token_endpoint_auth_method: ClientAuth,
    missing: Vec<String>,
    ready: bool,
}

pub fn run(_args: &ProvidersArgs, ctx: &Context) -> Result<()> {
    let default = ctx
        .global
        .provider
        .clone()
        .or_else(|| ctx.config.file.default_provider.clone());
    let ttl = ctx.discovery_ttl()?;
    let mut rows = Vec::new();
    for name in ctx.config.known_names()? {
        let mut p = ctx.config.layered(&name, None, &ProviderSpec::default())?;
        // Endpoints from a cached discovery document, never from the network here.
        let mut discovered = false;
        if let Some(issuer) = p.spec.issuer.clone() {
            if let Some(d) = discovery::cached(&issuer, ttl) {
                let disc = ProviderSpec::from_discovery(&d.document);
                p = ctx
                    .config
                    .layered(&name, Some(&disc), &ProviderSpec::default())?;
                discovered = true;
            }
        }
        let mut endpoints = Map::new();
        for e in Endpoint::ALL {
            if let Some(v) = p.spec.endpoint(e) {
                endpoints.insert(e.name().to_string(), Value::String(v.to_string()));
            }
        }
        // The demo is served by the in-process emulator: nothing to configure.
        let mut missing = if p.spec.emulated_by.is_some() {
            Vec::new()
        } else {
            p.missing_for_login()
        };
        // A secret stored by `oauthctl register` for the configured client counts.
        if let (Some(id), Ok(store)) = (&p.spec.client_id, ctx.store()) {
            if !p.client_secret_configured() && store.has_client_secret(&name, id) {
                missing.retain(|m| !m.starts_with("client_secret"));
            }
        }
        if endpoints.is_empty() && p.spec.issuer.is_some() && !discovered {
            // Endpoints will come from discovery at first use.
            missing.retain(|m| {
                !m.starts_with("authorization_endpoint") && !m.starts_with("token_endpoint")
            });
        }
        rows.push(ProviderRow {
            token_endpoint_auth_method: p.auth_method(),
            display_name: p.display_name().to_string(),
            source: match p.origin {
                Origin::Preset => "preset",
                Origin::Config => "config",
                Origin::PresetAndConfig => "preset+config",
            },
            default: default.as_deref() == Some(name.as_str()),
            endpoints_from_discovery: p.spec.issuer.is_some()
                && !discovered
                && endpoints.is_empty(),
            issuer: p.spec.issuer,
            endpoints,
            emulated_by: p.spec.emulated_by,
            client_id: p.spec.client_id,
            ready: missing.is_empty(),
            missing,
            name,
        });
    }
    if ctx.global.json {
        return output::json(&rows);
    }
    let mut t = output::table(&[
        "PROVIDER",
        "SOURCE",
        "ENDPOINTS",
        "CLIENT AUTH",
        "TO LOG IN",
    ]);
    for r in &rows {
        let name = if r.default {
            format!("{} (default)", r.name)
        } else {
            r.name.clone()
        };
        let eps = if r.endpoints.is_empty() {
            if let Some(kind) = &r.emulated_by {
                format!("built-in emulator ({kind})")
            } else if r.issuer.is_some() {
                "via discovery".to_string()
            } else {
                "none".to_string()
            }
        } else {
            let eps: Vec<&str> = r.endpoints.keys().map(|k| short(k)).collect();
            eps.join(", ")
        };
        let todo = if r.missing.is_empty() {
            "ready".to_string()
        } else {
            format!("missing {}", r.missing.join("; "))
        };
        t.add_row(vec![
            name,
            r.source.to_string(),
            eps,
            r.token_endpoint_auth_method.to_string(),
            todo,
        ]);
    }
    output::print_table(&t)?;
    ctx.ui
        .info(&format!("config: {}", ctx.config.display_path()));
    Ok(())
}

fn short(key: &str) -> &str {
    match key {
        "authorization_endpoint" => "authorize",
        "token_endpoint" => "token",
        "refresh_endpoint" => "refresh",
        "userinfo_endpoint" => "userinfo",
        "registration_endpoint" => "registration",
        "device_authorization_endpoint" => "device",
        "revocation_endpoint" => "revocation",
        "introspection_endpoint" => "introspection",
        "jwks_uri" => "jwks",
        other => other,
    }
}
