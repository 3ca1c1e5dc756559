//! The `extension_grants` check: which of the grants oauthctl speaks beyond the usual
//! ones (token exchange, RFC 8693; the JWT bearer grant, RFC 7523 §2.1) the server lists.
//! Shown only where the server lists one: metadata is advisory, and a grant not listed
//! may work all the same, so nothing here fails.

use super::Check;
use crate::provider::Provider;

const NAME: &str = "extension_grants";
const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// No check where the server lists neither grant (or no `grant_types_supported`).
pub(super) fn check(provider: &Provider) -> Option<Check> {
    let listed = provider.spec.grant_types_supported.as_ref()?;
    let has = |g: &str| listed.iter().any(|l| l == g);
    let names: Vec<&str> = [
        (TOKEN_EXCHANGE, "token exchange (`oauthctl token-exchange`)"),
        (JWT_BEARER, "the JWT bearer grant (`login --jwt-bearer`)"),
    ]
    .into_iter()
    .filter(|(g, _)| has(g))
    .map(|(_, n)| n)
    .collect();
    if names.is_empty() {
        // Most servers list neither; a line about it on every report would be noise.
        return None;
    }
    Some(Check::ok(
        NAME,
        format!("the server lists {}", names.join(" and ")),
    ))
}
