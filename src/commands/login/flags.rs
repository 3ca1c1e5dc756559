//! The provider settings a login's flags give: the client, its assertion key, its TLS
//! certificate. Paths are made absolute, so that `token` and `refresh` find the files
//! from any directory.

use std::path::Path;

use crate::cli::LoginArgs;
use crate::error::Result;
use crate::oauth::assertion::AssertionKey;
use crate::provider::{ClientAuth, ProviderSpec};

fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// The flags' layer of the provider's settings.
pub(super) fn provider_flags(args: &LoginArgs) -> Result<ProviderSpec> {
    let mut flags = ProviderSpec {
        client_id: args.client_id.clone(),
        response_mode: args.response_mode.map(Into::into),
        ..Default::default()
    };
    if let Some(k) = &args.client_assertion_key {
        let path = absolute(k);
        // Checked before any request is made.
        AssertionKey::load(&path)?;
        flags.client_assertion_key = Some(path);
        flags.token_endpoint_auth_method = Some(ClientAuth::PrivateKeyJwt);
    }
    if let (Some(c), Some(k)) = (&args.client_cert, &args.client_key) {
        flags.tls_client_certificate = Some(absolute(c));
        flags.tls_client_key = Some(absolute(k));
    }
    Ok(flags)
}
