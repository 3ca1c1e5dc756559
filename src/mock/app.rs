//! The running mock's shared context ([`App`]): its profile, resolved settings, signer,
//! clock, state and request log, plus the answers every endpoint shares (errors in the
//! provider's format, the refusal page, the test user's claims).

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use super::errors::OAuthError;
use super::http::{esc, page, Out};
use super::jwt::Signer;
use super::options::{RequestHook, RequestRecord, TokenFormat};
use super::profile::{Profile, TEST_USERNAME};
use super::state::State;

/// The methods a client may authenticate with at the revocation endpoint under
/// `revocation_requires_secret`.
pub const REVOCATION_AUTH_METHODS: [&str; 2] = ["client_secret_basic", "client_secret_post"];

/// Resolved settings of a running mock.
#[derive(Debug, Clone)]
pub struct Settings {
    pub code_ttl: Duration,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub rotate: bool,
    pub require_pkce: bool,
    pub auto_approve: bool,
    pub token_format: TokenFormat,
    pub device_interval: Duration,
    pub device_code_ttl: Duration,
    /// The mock's client authenticates with private_key_jwt (`--client-jwks`).
    pub private_key_jwt: bool,
    /// The mock's client authenticates with client_secret_jwt (`--client-secret-jwt`).
    pub client_secret_jwt: bool,
    /// Authorization requests must be pushed (`--require-par`).
    pub require_par: bool,
    /// Every `request_uri` has expired when used (`--expired-request-uri`).
    pub expired_request_uri: bool,
    /// Authorization requests must be signed request objects (`--require-jar`).
    pub require_jar: bool,
    /// JWT refresh tokens, and a predecessor's tokens honoured (`selfcontained`).
    pub self_contained_tokens: bool,
    /// `refresh_token` left out of the metadata's grant_types_supported.
    pub hide_refresh_grant: bool,
    /// Revocation for authenticated clients only.
    pub revocation_requires_secret: bool,
    /// `nonce` required with the `openid` scope.
    pub require_nonce: bool,
    /// Authorization errors as JSON to an `Accept` that mentions JSON.
    pub json_errors: bool,
    /// A sign-in (401, `WWW-Authenticate: SSO`) before the consent.
    pub sso: bool,
    /// `none` left out of the advertised client authentication methods.
    pub hide_none_auth: bool,
    /// `offline_access` only with `prompt=consent`; refresh tokens only with it.
    pub offline_access_needs_consent: bool,
    /// Consent ends in `consent_required`.
    pub refuse_consent: bool,
    /// The mock's client authenticates by mutual TLS; its tokens are bound.
    pub require_mtls: bool,
    /// Token requests must carry a DPoP proof; resources take DPoP-bound tokens only.
    pub require_dpop: bool,
    /// A DPoP proof must carry the server's nonce (`use_dpop_nonce` first).
    pub dpop_nonce: bool,
    /// No DPoP nonce is ever accepted: `use_dpop_nonce` every time.
    pub stale_dpop_nonce: bool,
    /// Every DPoP proof is refused with `invalid_dpop_proof`.
    pub bad_dpop_proof: bool,
}

/// Everything a request handler needs.
pub struct App {
    pub profile: Profile,
    pub settings: Settings,
    pub base: String,
    pub signer: Signer,
    state: Mutex<State>,
    clock_offset_ms: AtomicU64,
    log: Option<Mutex<std::fs::File>>,
    hook: Option<RequestHook>,
    /// `https://127.0.0.1:PORT` of the mutual TLS port, when there is one.
    pub tls_base: std::sync::OnceLock<String>,
}

impl App {
    pub fn new(
        profile: Profile,
        settings: Settings,
        base: String,
        signer: Signer,
        state: State,
        log: Option<std::fs::File>,
        hook: Option<RequestHook>,
    ) -> App {
        App {
            profile,
            settings,
            base,
            signer,
            state: Mutex::new(state),
            clock_offset_ms: AtomicU64::new(0),
            log: log.map(Mutex::new),
            hook,
            tls_base: std::sync::OnceLock::new(),
        }
    }

    /// The state; a handler that panicked while holding it does not stop the others.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The mock's clock in milliseconds since the epoch (real time plus any advance).
    pub fn now_ms(&self) -> u64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        real + self.clock_offset_ms.load(Ordering::Relaxed)
    }

    pub fn now_secs(&self) -> u64 {
        self.now_ms() / 1000
    }

    pub fn advance_clock(&self, by: Duration) {
        self.clock_offset_ms
            .fetch_add(by.as_millis() as u64, Ordering::Relaxed);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The URL `req` was sent to: on the mutual TLS port, its `https://` base (where the
    /// mTLS aliases point), else the plain one. A DPoP proof's `htu` must name it.
    pub fn request_url(&self, req: &super::http::Req) -> String {
        match self.tls_base.get() {
            Some(tls) if req.tls => format!("{tls}{}", req.path),
            _ => self.url(&req.path),
        }
    }

    /// The client authentication methods accepted: the provider's, plus
    /// private_key_jwt when the mock's client has keys, client_secret_jwt when it uses
    /// that.
    pub fn auth_methods(&self) -> Vec<String> {
        let mut m = self.profile.auth_methods();
        for (on, name) in [
            (self.settings.private_key_jwt, "private_key_jwt"),
            (self.settings.client_secret_jwt, "client_secret_jwt"),
            (self.settings.require_mtls, "tls_client_auth"),
            (self.settings.require_mtls, "self_signed_tls_client_auth"),
        ] {
            if on && !m.iter().any(|x| x == name) {
                m.push(name.into());
            }
        }
        m
    }

    /// An error answer in the provider's format.
    pub fn error(&self, e: &OAuthError) -> Out {
        let mut out = Out::json(e.status, &e.body(&self.profile));
        out.error = Some(e.name_for(&self.profile).to_string());
        if let Some(w) = &e.www_authenticate {
            out = out.header("WWW-Authenticate", w.clone());
        }
        if let Some(n) = &e.dpop_nonce {
            out = out.header("DPoP-Nonce", n.clone());
        }
        out.no_store()
    }

    /// Writes a request's log record to the log file and gives it to the hook.
    pub fn record(&self, rec: &RequestRecord) {
        if let Some(f) = &self.log {
            if let Ok(line) = serde_json::to_string(rec) {
                let mut f = f.lock().unwrap_or_else(|p| p.into_inner());
                // One write per line, then flush: readers see whole lines as they come.
                let _ = f.write_all(format!("{line}\n").as_bytes());
                let _ = f.flush();
            }
        }
        if let Some(h) = &self.hook {
            h(rec);
        }
    }
}

/// A JSON value for the "who am I" answers, falling back to a minimal user.
pub fn user_json(app: &App) -> Value {
    app.profile
        .data
        .user
        .clone()
        .unwrap_or_else(|| json!({"sub": TEST_USERNAME}))
}

/// Adds to `claims` the test user's OpenID Connect claims that `scopes` allow
/// (`profile`, `email`).
pub fn scoped_claims(user: &Value, scopes: &[String], claims: &mut Map<String, Value>) {
    for (scope, keys) in [
        (
            "profile",
            &["name", "given_name", "family_name", "preferred_username"][..],
        ),
        ("email", &["email", "email_verified"][..]),
    ] {
        if scopes.iter().any(|s| s == scope) {
            for k in keys {
                if let Some(v) = user.get(*k) {
                    claims.insert((*k).to_string(), v.clone());
                }
            }
        }
    }
}

/// A 400 page: the request cannot be trusted to redirect (RFC 6749 §4.1.2.1).
pub fn error_page(app: &App, e: &OAuthError) -> Out {
    let body = format!(
        "<h1>Authorization request refused</h1><p><code>{}</code>: {}</p><p>The request is not redirected back to the application because its client or redirect URI could not be verified (RFC 6749 §4.1.2.1).</p>",
        esc(e.error),
        esc(&e.description)
    );
    let mut o = Out::html(
        400,
        page(&format!("{} — error", app.profile.display_name()), &body),
    );
    o.error = Some(e.error.to_string());
    o
}
