//! `oauthctl mock`: run the emulator until Ctrl-C (or SIGTERM).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde_json::json;

use crate::cli::{
    FailTokenWith, GlobalArgs, IdTokenFaultArg, MockArgs, SigningAlgArg, TokenFormatArg,
};
use crate::error::{Error, Result};
use crate::mock::{
    self, IdTokenFault, JarmFault, MockOptions, RequestRecord, SigningAlg, TokenFault, TokenFormat,
};
use crate::output::{self, Ui};

fn fault(f: FailTokenWith) -> TokenFault {
    match f {
        FailTokenWith::InvalidRequest => TokenFault::InvalidRequest,
        FailTokenWith::InvalidClient => TokenFault::InvalidClient,
        FailTokenWith::InvalidGrant => TokenFault::InvalidGrant,
        FailTokenWith::UnauthorizedClient => TokenFault::UnauthorizedClient,
        FailTokenWith::UnsupportedGrantType => TokenFault::UnsupportedGrantType,
        FailTokenWith::InvalidScope => TokenFault::InvalidScope,
        FailTokenWith::AccessDenied => TokenFault::AccessDenied,
        FailTokenWith::ServerError => TokenFault::ServerError,
        FailTokenWith::TemporarilyUnavailable => TokenFault::TemporarilyUnavailable,
        FailTokenWith::SlowDown => TokenFault::SlowDown,
        FailTokenWith::AuthorizationPending => TokenFault::AuthorizationPending,
        FailTokenWith::ExpiredToken => TokenFault::ExpiredToken,
        FailTokenWith::Html502 => TokenFault::Html502,
    }
}

/// `--jarm-wrong-aud`, `--jarm-expired`, `--jarm-bad-signature`, `--jarm-wrong-state`.
fn jarm_faults(args: &MockArgs) -> Vec<JarmFault> {
    [
        (args.jarm_wrong_aud, JarmFault::WrongAud),
        (args.jarm_expired, JarmFault::Expired),
        (args.jarm_bad_signature, JarmFault::BadSignature),
        (args.jarm_wrong_state, JarmFault::WrongState),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect()
}

fn id_token_fault(f: &IdTokenFaultArg) -> IdTokenFault {
    match f {
        IdTokenFaultArg::WrongAud => IdTokenFault::WrongAud,
        IdTokenFaultArg::WrongNonce => IdTokenFault::WrongNonce,
        IdTokenFaultArg::BadSignature => IdTokenFault::BadSignature,
        IdTokenFaultArg::Expired => IdTokenFault::Expired,
        IdTokenFaultArg::SubMismatch => IdTokenFault::SubMismatch,
    }
}

/// One request, for a person watching the terminal.
fn describe(r: &RequestRecord) -> String {
    let mut s = format!("{} {}", r.method, r.path);
    if let Some(g) = &r.grant_type {
        s.push_str(&format!(" grant_type={g}"));
    }
    if let Some(a) = &r.client_auth {
        s.push_str(&format!(" client_auth={a}"));
    }
    s.push_str(&format!(" → {}", r.status));
    if let Some(e) = &r.error {
        s.push_str(&format!(" {e}"));
    }
    s
}

fn write_config(path: &Path, text: &str) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // It holds the mock client's secret.
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        Error::input(format!(
            "cannot write the config file {}: {e}",
            path.display()
        ))
        .with_hint("check that the directory exists and is writable")
    })?;
    f.write_all(text.as_bytes())
        .map_err(|e| Error::input(format!("cannot write {}: {e}", path.display())))
}

/// The printed snippet hides a secret the user gave, unless --show-secrets; the mock's
/// default secret is a fixed public test value and is printed.
fn printable(config: &str, hide_secret: bool) -> String {
    if !hide_secret {
        return config.to_string();
    }
    config
        .lines()
        .map(|l| {
            if l.starts_with("client_secret = ") {
                "# client_secret: the one given with --client-secret (hidden: use --write-config FILE or --show-secrets)".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Each request on stderr as it is answered, unless `--quiet`.
fn request_hook(quiet: bool) -> Option<mock::RequestHook> {
    if quiet {
        return None;
    }
    Some(Arc::new(move |r: &RequestRecord| {
        eprintln!("{}", describe(r));
    }))
}

pub fn run(args: &MockArgs, global: &GlobalArgs) -> Result<()> {
    let ui = Ui::new(global.quiet, global.verbose, global.color);
    let names = mock::provider_names()?;
    let provider = global.provider.clone().ok_or_else(|| {
        Error::usage("give the provider to emulate").with_hint(format!(
            "oauthctl mock -p NAME, with NAME one of: {}",
            names.join(", ")
        ))
    })?;
    let hook = request_hook(global.quiet);
    let opts = options(args, provider, hook)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(async move {
        let handle = mock::start(opts).await?;
        if let Some(path) = &args.write_config {
            write_config(path, handle.config_toml())?;
        }
        let hide = args.client_secret.is_some() && !global.show_secrets;
        if global.json {
            let c = handle.client();
            let line = json!({
                "provider": handle.provider(),
                "base_url": handle.base_url(),
                "port": handle.port(),
                "issuer": handle.issuer(),
                "client_id": c.client_id,
                "client_secret": if hide { None } else { c.client_secret.clone() },
                "redirect_uris": c.redirect_uris,
                "config": printable(handle.config_toml(), hide),
                "config_file": args.write_config.as_ref().map(|p| p.display().to_string()),
            });
            output::stdout(&format!("{line}\n"))?;
        } else {
            output::stdout(&printable(handle.config_toml(), hide))?;
        }
        let file = args
            .write_config
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "FILE".into());
        ui.info(&format!(
            "oauthctl mock: {} ({}) listening on {}; Ctrl-C to stop",
            handle.display_name(),
            handle.provider(),
            handle.base_url()
        ));
        if let Some(tls) = handle.tls_base_url() {
            ui.info(&format!(
                "mutual TLS endpoints on {tls} (mtls_endpoint_aliases; test CA and client certificates written where the config says)"
            ));
        }
        if args.write_config.is_none() {
            ui.info("save the config above to a file (or use --write-config FILE), then:");
        }
        ui.info(&format!(
            "  oauthctl --config {file} login -p {}",
            handle.provider()
        ));
        wait_for_stop().await;
        ui.info("oauthctl mock: stopped");
        handle.shutdown().await;
        Ok(())
    })
}

/// The emulator's options from the command line.
fn options(
    args: &MockArgs,
    provider: String,
    hook: Option<mock::RequestHook>,
) -> Result<MockOptions> {
    Ok(MockOptions {
        provider,
        port: args.port,
        client_id: args.client_id.clone(),
        client_secret: args.client_secret.clone(),
        redirect_uris: args.redirect_uris.clone(),
        auto_approve: args.auto_approve,
        deny: args.deny,
        code_ttl: args.code_ttl,
        access_ttl: args.access_ttl,
        refresh_ttl: args.refresh_ttl,
        fail_token_with: args.fail_token_with.map(fault),
        fail_token_count: args.fail_token_count,
        latency: args.latency.unwrap_or_default(),
        rotate_refresh_tokens: args.rotate_refresh_tokens,
        require_pkce: args.require_pkce,
        log: args.log.clone(),
        signing_alg: match args.signing_alg {
            SigningAlgArg::Rs256 => SigningAlg::Rs256,
            SigningAlgArg::Es256 => SigningAlg::Es256,
        },
        token_format: args.token_format.map(|f| match f {
            TokenFormatArg::Opaque => TokenFormat::Opaque,
            TokenFormatArg::Jwt => TokenFormat::Jwt,
        }),
        device_interval: args.device_interval,
        on_request: hook,
        device_code_ttl: args.device_code_ttl,
        client_jwks: match &args.client_jwks {
            Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                Error::input(format!("cannot read --client-jwks {}: {e}", path.display()))
                    .with_hint("give a JWK Set (JSON) or a PEM public key file")
            })?),
            None => None,
        },
        client_secret_jwt: args.client_secret_jwt,
        require_par: args.require_par,
        expired_request_uri: args.expired_request_uri,
        require_jar: args.require_jar,
        self_contained_tokens: false,
        hide_refresh_grant: args.hide_refresh_grant,
        revocation_requires_secret: args.revocation_requires_secret,
        require_nonce: args.require_nonce,
        json_errors: args.json_errors,
        sso: args.sso,
        hide_none_auth: args.hide_none_auth,
        offline_access_needs_consent: args.offline_access_needs_consent,
        refuse_consent: args.refuse_consent,
        require_mtls: args.require_mtls || args.mtls_self_signed,
        mtls_self_signed: args.mtls_self_signed,
        tls_dir: args.tls_dir.clone(),
        require_dpop: args.require_dpop,
        dpop_nonce: args.dpop_nonce,
        stale_dpop_nonce: args.stale_dpop_nonce,
        bad_dpop_proof: args.bad_dpop_proof,
        id_token_faults: args.id_token_faults.iter().map(id_token_fault).collect(),
        jarm_faults: jarm_faults(args),
    })
}
