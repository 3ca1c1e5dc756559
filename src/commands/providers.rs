use serde_json::{json, Map, Value};

use crate::cli::ProvidersArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output;
use crate::provider::{discovery, Origin, ProviderSpec, ENDPOINT_KEYS};

pub fn run(_args: &ProvidersArgs, ctx: &Context) -> Result<()> {
    let default = ctx
        .global
        .provider
        .clone()
        .or_else(|| ctx.config.file.default_provider.clone());
    let ttl = ctx.discovery_ttl()?;
    let mut rows = Vec::new();
    for name in ctx.config.known_names() {
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
        for k in ENDPOINT_KEYS {
            if let Some(v) = p.spec.get_str(k) {
                endpoints.insert((*k).to_string(), Value::String(v));
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
        rows.push(json!({
            "name": name,
            "display_name": p.display_name(),
            "source": match p.origin { Origin::Preset => "preset", Origin::Config => "config", Origin::PresetAndConfig => "preset+config" },
            "default": default.as_deref() == Some(name.as_str()),
            "issuer": p.spec.issuer,
            "endpoints": endpoints,
            "emulated_by": p.spec.emulated_by,
            "endpoints_from_discovery": p.spec.issuer.is_some() && !discovered && endpoints_len(&p.spec) == 0,
            "client_id": p.spec.client_id,
            "token_endpoint_auth_method": p.auth_method(),
            "missing": missing,
            "ready": missing.is_empty(),
        }));
    }
    if ctx.global.json {
        return output::json(&Value::Array(rows));
    }
    let mut t = output::table(&[
        "PROVIDER",
        "SOURCE",
        "ENDPOINTS",
        "CLIENT AUTH",
        "TO LOG IN",
    ]);
    for r in &rows {
        let name = r["name"].as_str().unwrap_or_default();
        let name = if r["default"] == true {
            format!("{name} (default)")
        } else {
            name.to_string()
        };
        let eps: Vec<String> = r["endpoints"]
            .as_object()
            .map(|m| m.keys().map(|k| short(k).to_string()).collect())
            .unwrap_or_default();
        let eps = if eps.is_empty() {
            if let Some(kind) = r["emulated_by"].as_str() {
                format!("built-in emulator ({kind})")
            } else if r["issuer"].is_string() {
                "via discovery".to_string()
            } else {
                "none".to_string()
            }
        } else {
            eps.join(", ")
        };
        let missing: Vec<String> = r["missing"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let todo = if missing.is_empty() {
            "ready".to_string()
        } else {
            format!("missing {}", missing.join("; "))
        };
        t.add_row(vec![
            name,
            r["source"].as_str().unwrap_or_default().to_string(),
            eps,
            r["token_endpoint_auth_method"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            todo,
        ]);
    }
    output::print_table(&t)?;
    ctx.ui
        .info(&format!("config: {}", ctx.config.display_path()));
    Ok(())
}

fn endpoints_len(spec: &ProviderSpec) -> usize {
    ENDPOINT_KEYS
        .iter()
        .filter(|k| spec.get_str(k).is_some())
        .count()
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
