//! DPoP (RFC 9449) in `login`: the session's key, made when asked or configured, and
//! its thumbprint in the authorization request.

use std::sync::Arc;

use crate::cli::LoginArgs;
use crate::error::Result;
use crate::oauth::dpop::{self, DpopKey};
use crate::provider::Provider;

/// A new DPoP key for the session when asked (`--dpop`, `--dpop-alg`) or configured
/// (`dpop_bound_access_tokens = true`): the algorithm asked for, else ES256 unless the
/// server lists only others.
pub(super) fn session_key(args: &LoginArgs, provider: &Provider) -> Result<Option<Arc<DpopKey>>> {
    if !(args.dpop || args.dpop_alg.is_some() || provider.wants_dpop()) {
        return Ok(None);
    }
    let asked = args
        .dpop_alg
        .as_deref()
        .or(provider.spec.dpop_signing_alg.as_deref());
    let supported = provider.spec.dpop_signing_alg_values_supported.as_deref();
    let alg = dpop::choose_alg(asked, supported)?;
    Ok(Some(Arc::new(DpopKey::generate(alg)?)))
}

/// The authorization request's parameters with `dpop_jkt` (RFC 9449 §10), the
/// thumbprint of the session's DPoP key, unless `--param` gave one.
pub(super) fn with_dpop_jkt(
    mut params: Vec<(String, String)>,
    key: Option<&DpopKey>,
) -> Vec<(String, String)> {
    if let Some(k) = key {
        if !params.iter().any(|(n, _)| n == "dpop_jkt") {
            params.push(("dpop_jkt".into(), k.thumbprint()));
        }
    }
    params
}
