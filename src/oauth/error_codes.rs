//! Every registered OAuth and OpenID Connect error code oauthctl knows: what it means,
//! what most likely caused it, and what to do next. RFC 6749 (the core), RFC 6750
//! (bearer tokens), RFC 7591 (dynamic registration), RFC 8628 (device grant), RFC 8707
//! (resource indicators), RFC 9101 and OpenID Connect Core 3.1.2.6 (the authorization
//! request's own errors, request objects), RFC 9126 (pushed authorization requests),
//! RFC 9396 (rich authorization requests) and RFC 9449 (DPoP).
//!
//! Pure data: the diagnosis (`support::diagnose`), the preflight and the hints read it.
//! `{name}` in a fix or a next step is the provider's name.

/// One error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    pub code: &'static str,
    /// Where it is defined.
    pub spec: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Its likely causes, in words.
    pub causes: &'static str,
    /// What to change.
    pub fix: &'static str,
    /// The command to run next (never a token-request replay for an error of the
    /// authorization request: it issued no code).
    pub next: &'static str,
    /// It comes back from the authorization request (a redirect, or its page).
    pub authorization: bool,
    /// The authorization request parameter it is about, when the code itself says so.
    pub parameter: Option<&'static str>,
}

#[allow(clippy::too_many_arguments)]
const fn code(
    code: &'static str,
    spec: &'static str,
    meaning: &'static str,
    causes: &'static str,
    fix: &'static str,
    next: &'static str,
    authorization: bool,
    parameter: Option<&'static str>,
) -> ErrorCode {
    ErrorCode {
        code,
        spec,
        meaning,
        causes,
        fix,
        next,
        authorization,
        parameter,
    }
}

/// The codes, longest first where one is the start of another
/// (`invalid_request_uri` before `invalid_request`).
pub const CODES: &[ErrorCode] = &[
    // OpenID Connect Core 3.1.2.6 and RFC 9101 §6.2: the authorization request's own.
    code("interaction_required", "OpenID Connect Core 3.1.2.6",
        "the server needs the user to interact (sign in, consent, answer a prompt), but the request asked for no interaction",
        "the request carried prompt=none (a silent login), or the server's session needs a step it cannot do silently",
        "log in with a browser and no prompt=none",
        "oauthctl login -p {name}", true, Some("prompt")),
    code("login_required", "OpenID Connect Core 3.1.2.6",
        "the server needs the user to sign in, and the request did not let it show a sign-in page",
        "the request carried prompt=none while no one is signed in at the server, or the sign-in expired (a single-sign-on portal says so before its login page)",
        "log in with a browser without prompt=none (`--param prompt=login` forces a fresh sign-in)",
        "oauthctl login -p {name} --param prompt=login", true, Some("prompt")),
    code("account_selection_required", "OpenID Connect Core 3.1.2.6",
        "the user is signed in with several accounts and must pick one, but the request did not let the server ask",
        "the request carried prompt=none while several sessions are open at the server",
        "let the server ask which account: send prompt=select_account",
        "oauthctl login -p {name} --param prompt=select_account", true, Some("prompt")),
    code("consent_required", "OpenID Connect Core 3.1.2.6",
        "the user has not given (or refused) consent to this client for the requested scopes",
        "the user declined the consent page, or the request carried prompt=none with no earlier consent, or a scope such as offline_access needs consent asked for explicitly",
        "log in again and approve the consent page; ask for it explicitly with prompt=consent, or request fewer scopes with --scope",
        "oauthctl login -p {name} --param prompt=consent", true, Some("prompt")),
    code("invalid_request_uri", "OpenID Connect Core 3.1.2.6, RFC 9101 §6.2, RFC 9126",
        "the request_uri of the authorization request is unknown, expired or already used, or its content is invalid",
        "a pushed authorization request's request_uri lives about a minute and works once; a request_uri given with --param points at nothing the server can read",
        "leave out --param request_uri=…, or push a new request and use its request_uri at once",
        "oauthctl login -p {name}", true, Some("request_uri")),
    code("invalid_request_object", "OpenID Connect Core 3.1.2.6, RFC 9101 §6.2",
        "the request object (the `request` JWT of the authorization request) is invalid: bad signature, wrong audience or issuer, expired, or malformed",
        "a `request` parameter given with --param that is not signed for this server and client",
        "leave out --param request=…, or sign the request object for this server (aud = the issuer, iss = the client_id)",
        "oauthctl login -p {name}", true, Some("request")),
    code("request_uri_not_supported", "OpenID Connect Core 3.1.2.6, RFC 9101 §6.2",
        "the server does not accept request_uri in authorization requests",
        "the request carried request_uri (--param request_uri=…)",
        "send the parameters in the URL itself: leave out --param request_uri=…",
        "oauthctl login -p {name}", true, Some("request_uri")),
    code("request_not_supported", "OpenID Connect Core 3.1.2.6, RFC 9101 §6.2",
        "the server does not accept request objects (the `request` parameter)",
        "the request carried a `request` parameter (--param request=…)",
        "send the parameters in the URL itself: leave out --param request=…",
        "oauthctl login -p {name}", true, Some("request")),
    code("registration_not_supported", "OpenID Connect Core 3.1.2.6",
        "the server does not accept the `registration` parameter (client metadata sent with the authorization request)",
        "the request carried a `registration` parameter (--param registration=…)",
        "leave out --param registration=…; register the client beforehand (`oauthctl register`) or use a client registered at the server",
        "oauthctl login -p {name}", true, Some("registration")),
    // RFC 6749 §4.1.2.1: the authorization request.
    code("invalid_request", "RFC 6749 §4.1.2.1, §5.2",
        "a parameter is missing, repeated, malformed or in the wrong place",
        "a parameter the server requires was not sent, or a value it cannot read was",
        "see the request with --trace (`oauthctl authorize-url -p {name}` for an authorization request) and change it",
        "oauthctl authorize-url -p {name}", true, None),
    code("unauthorized_client", "RFC 6749 §4.1.2.1, §5.2",
        "the client is not allowed to use this grant or response type",
        "the client's registration does not enable the authorization code flow (or the grant asked for)",
        "enable the grant for the client in its settings at the server",
        "oauthctl doctor -p {name}", true, Some("client_id")),
    code("access_denied", "RFC 6749 §4.1.2.1, RFC 8628 §3.5",
        "the user or the server denied the request",
        "the user clicked deny, or a policy of the server refuses this client for this account",
        "log in again and approve; if nobody was asked, the client may not be allowed for this account",
        "oauthctl login -p {name}", true, None),
    code("unsupported_response_type", "RFC 6749 §4.1.2.1",
        "the server does not issue this response_type (oauthctl asks for `code`)",
        "the client is not registered for the authorization code flow, or the server does not offer it",
        "enable the authorization code flow for the client at the server, or use another grant (`--device`, `--client-credentials`)",
        "oauthctl doctor -p {name}", true, Some("response_type")),
    code("invalid_scope", "RFC 6749 §4.1.2.1, §5.2",
        "a requested scope is unknown, malformed, or not allowed for this client",
        "a scope in `scopes` or --scope that the server lacks or does not grant this client",
        "ask for scopes the server knows with --scope (`oauthctl discover -p {name}` lists scopes_supported)",
        "oauthctl login -p {name} --scope SCOPE", true, Some("scope")),
    code("server_error", "RFC 6749 §4.1.2.1, §5.2",
        "the server failed while handling the request",
        "a fault at the server, not in the request",
        "try again in a minute; if it persists, tell the provider",
        "oauthctl doctor -p {name}", true, None),
    code("temporarily_unavailable", "RFC 6749 §4.1.2.1",
        "the server is overloaded or down for maintenance",
        "the server, not the request",
        "try again later",
        "oauthctl doctor -p {name}", true, None),
    // RFC 6749 §5.2: the token request.
    code("invalid_client", "RFC 6749 §5.2",
        "client authentication failed: unknown client, wrong secret, or a method the server does not accept",
        "client_id or the client secret is wrong, or token_endpoint_auth_method is not one the server accepts for this client",
        "check client_id, the client secret and token_endpoint_auth_method in the [providers.{name}] table",
        "oauthctl doctor -p {name}", false, Some("client_id")),
    code("invalid_grant", "RFC 6749 §5.2",
        "the grant (code, refresh token, credentials) is invalid, expired, revoked or already used",
        "an expired or reused code, a redirect_uri or PKCE verifier that differs from the authorization request, a revoked refresh token",
        "log in again",
        "oauthctl login -p {name}", false, None),
    code("unsupported_grant_type", "RFC 6749 §5.2",
        "the server does not support this grant type",
        "the grant is not offered by the server (see grant_types_supported)",
        "use a grant the server supports",
        "oauthctl discover -p {name}", false, None),
    // RFC 6750 §3.1: a protected resource.
    code("invalid_token", "RFC 6750 §3.1",
        "the access token is expired, revoked, malformed, or not for this API",
        "the token expired or was revoked, or it was issued for another audience",
        "refresh the session, or log in again",
        "oauthctl refresh -p {name}", false, None),
    code("insufficient_scope", "RFC 6750 §3.1",
        "the access token lacks a scope this API call needs",
        "the session was logged in with fewer scopes than the call needs",
        "log in again asking for the scope the API names (--scope)",
        "oauthctl login -p {name} --scope SCOPE", false, Some("scope")),
    // RFC 7591 §3.2.2: dynamic client registration.
    code("invalid_redirect_uri", "RFC 7591 §3.2.2",
        "a redirect URI is not allowed or does not match one registered for the client",
        "the redirect URI differs from the registered one (scheme, host, port, path, trailing slash), or the server forbids it",
        "use a redirect URI registered for the client: --redirect-uri, or `redirect_uri` in the [providers.{name}] table",
        "oauthctl login -p {name} --redirect-uri REGISTERED_URI", true, Some("redirect_uri")),
    code("invalid_client_metadata", "RFC 7591 §3.2.2",
        "a field of the client registration is invalid or not allowed",
        "a grant type, response type or authentication method the server does not offer to new clients",
        "register again with values from the server's metadata (`oauthctl discover -p {name}`)",
        "oauthctl discover -p {name}", false, None),
    code("invalid_software_statement", "RFC 7591 §3.2.2",
        "the software statement sent with the registration is invalid",
        "a software statement that is expired, not signed by a party the server trusts, or malformed",
        "register without it, or with a statement issued for this server",
        "oauthctl discover -p {name}", false, None),
    code("unapproved_software_statement", "RFC 7591 §3.2.2",
        "the server does not accept the software statement's issuer",
        "the statement was signed by a party the server does not approve",
        "use a software statement the server approves, or register at the server by hand",
        "oauthctl discover -p {name}", false, None),
    // RFC 8628 §3.5: the device grant.
    code("authorization_pending", "RFC 8628 §3.5",
        "the user has not yet finished the device authorization",
        "polling before the user approved the code",
        "keep polling at the server's interval (oauthctl does); approve the code in the browser",
        "oauthctl login -p {name} --device", false, None),
    code("slow_down", "RFC 8628 §3.5",
        "the client polls too often",
        "polling faster than the interval the server asked for",
        "poll 5 s slower (oauthctl does)",
        "oauthctl login -p {name} --device", false, None),
    code("expired_token", "RFC 8628 §3.5",
        "the device code expired before the user approved it",
        "the user did not enter the code in time",
        "start again and enter the new code before it expires",
        "oauthctl login -p {name} --device", false, None),
    // RFC 8707 and RFC 9396.
    code("invalid_target", "RFC 8707 §2",
        "a requested resource (or audience) is unknown, not allowed, or cannot be combined",
        "a --resource or --audience that the server has not registered for this client",
        "ask for a resource the server accepts, or leave --resource out",
        "oauthctl login -p {name}", true, Some("resource")),
    code("invalid_authorization_details", "RFC 9396 §5",
        "the authorization_details parameter is malformed or asks for something not allowed",
        "an --authorization-details value (or --param authorization_details=…) that the server cannot read or grant: an unknown `type`, or fields it does not allow",
        "fix or leave out --authorization-details (a server that lists them names the types it knows in its metadata's authorization_details_types_supported)",
        "oauthctl authorize-url -p {name}", true, Some("authorization_details")),
    // RFC 9449 §5, §8: DPoP.
    code("invalid_dpop_proof", "RFC 9449 §5",
        "the DPoP proof is missing, malformed, signed badly, or made for another request",
        "the server requires DPoP-bound tokens and the request carried no proof (a login without --dpop), the proof's htm/htu/iat is off (a skewed clock, a proxy that changes the URL), or the server does not take the proof's algorithm",
        "a request without a proof: log in with --dpop (or set `dpop_bound_access_tokens = true` in the [providers.{name}] table); a refused proof: log in with --dpop-alg set to an algorithm the server lists in dpop_signing_alg_values_supported, check this machine's clock, and see the proof's claims with --trace",
        "oauthctl doctor -p {name}", false, None),
    code("use_dpop_nonce", "RFC 9449 §8",
        "the server wants a DPoP proof that carries the nonce it sent (DPoP-Nonce header)",
        "the server requires DPoP with server nonces; oauthctl retries once with the nonce, so a second use_dpop_nonce means the server's nonces go stale at once (a server behind a load balancer whose nodes do not share nonces)",
        "oauthctl sends the proof again once with the server's nonce; asked again, the server's nonces go stale at once: try later, and report it to its operators with the --trace of the request",
        "oauthctl doctor -p {name}", false, None),
    // Common, though not registered: Google's and GitHub's word for a refused redirect URI.
    code("redirect_uri_mismatch", "not registered; used by Google, GitHub and others",
        "the redirect_uri is not one registered for the client",
        "the redirect URI differs from the registered one (scheme, host, port, path, trailing slash)",
        "use a redirect URI registered for the client: --redirect-uri, or `redirect_uri` in the [providers.{name}] table",
        "oauthctl login -p {name} --redirect-uri REGISTERED_URI", true, Some("redirect_uri")),
];

/// The code's entry, if oauthctl knows it.
pub fn lookup(code: &str) -> Option<&'static ErrorCode> {
    CODES.iter().find(|c| c.code == code)
}

/// A template with `{name}` filled in.
pub fn fill(template: &str, provider: &str) -> String {
    template.replace("{name}", provider)
}

/// The first known code that appears in `text` as a whole word (`_` included).
pub fn find_in(text: &str) -> Option<&'static ErrorCode> {
    let t = text.to_ascii_lowercase();
    let edge = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    CODES
        .iter()
        .filter_map(|c| {
            t.match_indices(c.code)
                .map(|(i, _)| i)
                .find(|&i| {
                    edge(t[..i].chars().next_back()) && edge(t[i + c.code.len()..].chars().next())
                })
                .map(|i| (i, c))
        })
        .min_by_key(|(i, _)| *i)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained_and_authorization_errors_never_replay_a_token_request() {
        for c in CODES {
            assert!(!c.meaning.is_empty() && !c.causes.is_empty() && !c.fix.is_empty());
            assert!(c.next.starts_with("oauthctl "), "{}", c.code);
            assert!(!c.next.contains("exchange"), "{}", c.code);
            assert_eq!(lookup(c.code), Some(c));
        }
        for c in [
            "consent_required",
            "login_required",
            "interaction_required",
            "account_selection_required",
            "invalid_request_uri",
            "invalid_request_object",
            "request_not_supported",
            "request_uri_not_supported",
            "registration_not_supported",
            "invalid_dpop_proof",
            "use_dpop_nonce",
            "invalid_token",
            "insufficient_scope",
            "invalid_client_metadata",
            "slow_down",
        ] {
            assert!(lookup(c).is_some(), "{c}");
        }
    }

    #[test]
    fn codes_are_found_as_whole_words() {
        assert_eq!(
            find_in("Error: invalid_request_uri (expired)").map(|c| c.code),
            Some("invalid_request_uri")
        );
        assert_eq!(
            find_in("invalid_request: the prompt parameter").map(|c| c.code),
            Some("invalid_request")
        );
        assert_eq!(find_in("my_invalid_scopes"), None);
        assert_eq!(find_in("{\"error\":9}"), None);
    }
}
