//! The public types of the in-process API that the rest of the mock also uses: the
//! options a mock runs with, its injected token faults, its token format, and the
//! request log's records. A leaf: it depends on no other file of the mock but `jwt`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::jwt::SigningAlg;

/// The default client_id of the mock's own client.
pub const DEFAULT_CLIENT_ID: &str = "oauthctl-mock";
/// The default secret of the mock's own client: a fixed, public test value.
pub const DEFAULT_CLIENT_SECRET: &str = "mock-client-secret";

/// An answer the token endpoint gives instead of doing its job (`--fail-token-with`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFault {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
    AccessDenied,
    ServerError,
    TemporarilyUnavailable,
    SlowDown,
    AuthorizationPending,
    ExpiredToken,
    /// An HTML 502 page, as a proxy in front of a dead server sends.
    Html502,
}

impl TokenFault {
    pub fn error_name(self) -> &'static str {
        match self {
            TokenFault::InvalidRequest => "invalid_request",
            TokenFault::InvalidClient => "invalid_client",
            TokenFault::InvalidGrant => "invalid_grant",
            TokenFault::UnauthorizedClient => "unauthorized_client",
            TokenFault::UnsupportedGrantType => "unsupported_grant_type",
            TokenFault::InvalidScope => "invalid_scope",
            TokenFault::AccessDenied => "access_denied",
            TokenFault::ServerError => "server_error",
            TokenFault::TemporarilyUnavailable => "temporarily_unavailable",
            TokenFault::SlowDown => "slow_down",
            TokenFault::AuthorizationPending => "authorization_pending",
            TokenFault::ExpiredToken => "expired_token",
            TokenFault::Html502 => "html-502",
        }
    }
}

/// Something wrong with the OpenID Connect ID tokens (or userinfo) the mock issues
/// (`--id-token-fault`), to show that a client checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTokenFault {
    /// `aud` names another client.
    WrongAud,
    /// `nonce` is not the one of the authorization request.
    WrongNonce,
    /// The signature does not match the token.
    BadSignature,
    /// `exp` (and `iat`) an hour in the past.
    Expired,
    /// The userinfo answer names another `sub` than the ID token.
    SubMismatch,
}

impl IdTokenFault {
    pub fn name(self) -> &'static str {
        match self {
            IdTokenFault::WrongAud => "wrong-aud",
            IdTokenFault::WrongNonce => "wrong-nonce",
            IdTokenFault::BadSignature => "bad-signature",
            IdTokenFault::Expired => "expired",
            IdTokenFault::SubMismatch => "sub-mismatch",
        }
    }
}

/// Something wrong with the JARM responses (`--jarm-wrong-aud`, …), to
/// show that a client checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JarmFault {
    /// `aud` names another client.
    WrongAud,
    /// `exp` an hour ago.
    Expired,
    /// The signature does not match.
    BadSignature,
    /// `state` is not the one of the request.
    WrongState,
}

/// Opaque random access tokens, or signed JWTs (RFC 9068).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFormat {
    Opaque,
    Jwt,
}

/// One line of the request log. No secrets: the path without its query, and names only.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    /// RFC 3339 UTC time the answer was sent.
    pub ts: String,
    pub method: String,
    pub path: String,
    pub grant_type: Option<String>,
    /// `basic`, `post`, `query`, `none`, `private_key_jwt` or `client_secret_jwt` where a
    /// client authenticated.
    pub client_auth: Option<String>,
    pub status: u16,
    /// The OAuth error name answered, if any.
    pub error: Option<String>,
    /// Time spent answering, injected latency included.
    pub ms: f64,
}

/// Called once per request with its log record.
pub type RequestHook = Arc<dyn Fn(&RequestRecord) + Send + Sync>;

/// How to run a mock. `Default` gives a `hub` mock on a free port.
#[derive(Clone)]
pub struct MockOptions {
    /// A preset name or `oidc`.
    pub provider: String,
    /// 0 for a free port.
    pub port: u16,
    pub client_id: Option<String>,
    /// The client's secret (a fixed test value by default, when the provider needs one).
    pub client_secret: Option<String>,
    /// Registered redirect URIs (default: one per provider, see `profiles.toml`).
    pub redirect_uris: Vec<String>,
    /// Redirect at once instead of showing the consent page; approve device codes.
    pub auto_approve: bool,
    /// The user denies every request.
    pub deny: bool,
    pub code_ttl: Option<Duration>,
    pub access_ttl: Option<Duration>,
    pub refresh_ttl: Option<Duration>,
    pub fail_token_with: Option<TokenFault>,
    /// Fail only the first N token requests.
    pub fail_token_count: Option<u64>,
    /// Added before every answer.
    pub latency: Duration,
    pub rotate_refresh_tokens: bool,
    pub require_pkce: bool,
    /// A file that gets one JSON line per request.
    pub log: Option<PathBuf>,
    pub signing_alg: SigningAlg,
    /// Default: JWT for `oidc`, opaque for the presets.
    pub token_format: Option<TokenFormat>,
    /// The device flow's polling interval.
    pub device_interval: Duration,
    pub on_request: Option<RequestHook>,
    /// How long device codes are valid (10 minutes by default).
    pub device_code_ttl: Duration,
    /// Public keys of the mock's client (a JWK Set, one JWK or a PEM public key): the
    /// client then authenticates with private_key_jwt (RFC 7523).
    pub client_jwks: Option<String>,
    /// The mock's client authenticates with client_secret_jwt (RFC 7523 §2.2, HS256 over
    /// its secret), and only so (`--client-secret-jwt`).
    pub client_secret_jwt: bool,
    /// Authorization requests must be pushed (RFC 9126); the metadata says
    /// `require_pushed_authorization_requests: true` (`--require-par`).
    pub require_par: bool,
    /// Every pushed request's `request_uri` has expired when the browser brings it
    /// (`--expired-request-uri`).
    pub expired_request_uri: bool,
    /// Authorization requests must be signed request objects (RFC 9101); the metadata
    /// says `require_signed_request_object: true` (`--require-jar`).
    pub require_jar: bool,
    /// Refresh tokens are JWTs too, and JWT access and refresh tokens this mock's key
    /// signed are honoured even when an earlier mock issued them: a restarted mock
    /// accepts its predecessor's tokens (the built-in demo, one emulator per command).
    /// Anyone can sign with the public test keys: for the demo only.
    pub self_contained_tokens: bool,
    /// The metadata's `grant_types_supported` leaves `refresh_token` out; refreshes
    /// still work (`--hide-refresh-grant`).
    pub hide_refresh_grant: bool,
    /// The revocation endpoint takes authenticated clients only: the metadata lists
    /// client_secret_basic and client_secret_post in
    /// `revocation_endpoint_auth_methods_supported`, and a public client gets 401
    /// invalid_client (`--revocation-requires-secret`).
    pub revocation_requires_secret: bool,
    /// An authorization request with the `openid` scope and no (or an empty) `nonce` is
    /// refused with invalid_request "nonce required" (`--require-nonce`).
    pub require_nonce: bool,
    /// Faults of the ID tokens and userinfo answers (none by default).
    pub id_token_faults: Vec<IdTokenFault>,
    /// What is wrong with the JWT-secured authorization responses (JARM).
    pub jarm_faults: Vec<JarmFault>,
    /// The authorization endpoint answers its errors as JSON to any `Accept` that
    /// mentions JSON, whatever its q-value (`--json-errors`), as some single-sign-on
    /// portals do.
    pub json_errors: bool,
    /// An authorization request without a session gets 401 with `WWW-Authenticate: SSO`:
    /// a sign-in page for a browser, `{"error":9}` for JSON (`--sso`).
    pub sso: bool,
    /// The mock's client is public (PKCE required) and the metadata leaves `none` out of
    /// `token_endpoint_auth_methods_supported`; public clients are accepted still
    /// (`--hide-none-auth`).
    pub hide_none_auth: bool,
    /// `offline_access` is dropped unless the authorization request carries
    /// `prompt=consent`; refresh tokens come with `offline_access` only
    /// (`--offline-access-needs-consent`).
    pub offline_access_needs_consent: bool,
    /// The consent step ends with `error=consent_required` instead of a code
    /// (`--refuse-consent`).
    pub refuse_consent: bool,
    /// Mutual TLS (RFC 8705, `--require-mtls`): a second port speaking TLS with the test
    /// PKI, the token-style endpoints and userinfo there as `mtls_endpoint_aliases`, the
    /// mock's client authenticating with `tls_client_auth` (a certificate from the test
    /// CA for `client.oauthctl-mock.test`), tokens bound to the certificate.
    pub require_mtls: bool,
    /// With `require_mtls`: the client authenticates with `self_signed_tls_client_auth`
    /// (the registered self-signed certificate) instead (`--mtls-self-signed`).
    pub mtls_self_signed: bool,
    /// With `require_mtls`: where the test PKI's client files are written (`ca.pem`,
    /// `client.pem`, `client.key`, …) and what the config points at; a directory under
    /// the system's temporary directory when not set (`--tls-dir`).
    pub tls_dir: Option<PathBuf>,
    /// Token requests must carry a DPoP proof (RFC 9449), and the userinfo and API
    /// resources take DPoP-bound tokens only, each request with its proof
    /// (`--require-dpop`). A proof is honoured (the tokens bound) without it too.
    pub require_dpop: bool,
    /// DPoP proofs must carry a server nonce: the first answer is `use_dpop_nonce` with
    /// a `DPoP-Nonce` header, at the token endpoint and the resources (`--dpop-nonce`).
    pub dpop_nonce: bool,
    /// Every DPoP proof is answered `use_dpop_nonce` with a new nonce
    /// (`--stale-dpop-nonce`).
    pub stale_dpop_nonce: bool,
    /// Every DPoP proof is refused with `invalid_dpop_proof` (`--bad-dpop-proof`).
    pub bad_dpop_proof: bool,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            provider: "hub".into(),
            port: 0,
            client_id: None,
            client_secret: None,
            redirect_uris: Vec::new(),
            auto_approve: false,
            deny: false,
            code_ttl: None,
            access_ttl: None,
            refresh_ttl: None,
            fail_token_with: None,
            fail_token_count: None,
            latency: Duration::ZERO,
            rotate_refresh_tokens: false,
            require_pkce: false,
            log: None,
            signing_alg: SigningAlg::Rs256,
            token_format: None,
            device_interval: Duration::from_secs(5),
            on_request: None,
            device_code_ttl: Duration::from_secs(600),
            client_jwks: None,
            client_secret_jwt: false,
            require_par: false,
            expired_request_uri: false,
            require_jar: false,
            self_contained_tokens: false,
            hide_refresh_grant: false,
            revocation_requires_secret: false,
            require_nonce: false,
            id_token_faults: Vec::new(),
            jarm_faults: Vec::new(),
            json_errors: false,
            sso: false,
            hide_none_auth: false,
            offline_access_needs_consent: false,
            refuse_consent: false,
            require_mtls: false,
            mtls_self_signed: false,
            tls_dir: None,
            require_dpop: false,
            dpop_nonce: false,
            stale_dpop_nonce: false,
            bad_dpop_proof: false,
        }
    }
}

impl std::fmt::Debug for MockOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockOptions")
            .field("provider", &self.provider)
            .field("port", &self.port)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("redirect_uris", &self.redirect_uris)
            .finish_non_exhaustive()
    }
}
