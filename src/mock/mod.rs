//! `oauthctl mock`: a local authorization server that behaves like each provider's
//! guide says, with fault injection.
//!
//! # What it emulates
//!
//! For a preset (`hub`, `chatwork`, `teamwork`, `worksection`, `onboardbase`) the
//! behaviour comes from the preset's [`ProviderSpec`](crate::provider::ProviderSpec)
//! in `src/provider/presets.toml`: every endpoint is served at its path on the mock's
//! address (Chatwork's three hosts collapse onto one), with the preset's scope parameter
//! and separator, PKCE policy, accepted client authentication, token parameters' place,
//! success status, envelope, field names, `expires_in` format, extra and secret fields,
//! error format and numeric codes, refresh endpoint and rotation, and "who am I" shape.
//! `profiles.toml` beside this file adds only what a server needs and a client does not
//! (sample users and API answers, the registered redirect URI, Teamwork's endpoints from
//! its guide's example discovery document). `oidc` is a standards-compliant OpenID
//! Connect provider: discovery and RFC 8414 metadata, JWKS, RS256/ES256 JWT access and
//! id tokens, refresh rotation, device authorization (RFC 8628), client credentials,
//! password, registration (RFC 7591), introspection (RFC 7662), revocation (RFC 7009),
//! userinfo, and loopback redirect URIs on any port (RFC 8252 §7.3).
//!
//! Codes are single use (a replayed code revokes the tokens issued from it) and live 10
//! minutes unless the preset or `code_ttl` says otherwise; redirect URIs match exactly;
//! an unknown client or unregistered redirect URI gets a 400 page, never a redirect.
//! The password grant accepts the test user `alice` / `wonderland`.
//!
//! With `client_jwks` (`--client-jwks`) the mock's client authenticates with
//! `private_key_jwt` (RFC 7523), whatever the provider's guide says: signature (RS256,
//! ES256), `iss` = `sub` = client_id, `aud` (token endpoint, the endpoint called or the
//! issuer), `exp`, and single-use `jti` are checked, and the request log names it.
//! `audience` and `resource` (RFC 8707) parameters become the `aud` of JWT access
//! tokens and of introspection answers.
//!
//! # In-process API
//!
//! ```no_run
//! # async fn demo() -> oauthctl::Result<()> {
//! use oauthctl::mock::{self, MockOptions};
//! let handle = mock::start(MockOptions {
//!     provider: "hub".into(),
//!     auto_approve: true,
//!     ..MockOptions::default()
//! })
//! .await?;
//! println!("{}", handle.base_url());       // http://127.0.0.1:PORT
//! println!("{}", handle.config_toml());    // a config file pointing `hub` at it
//! handle.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! [`start`] serves on the caller's tokio runtime; [`start_in_thread`] runs the mock on a
//! thread of its own (for callers that block, such as a CLI command waiting on a
//! browser). Faults can be changed while it runs ([`MockHandle::set_faults`]) and its
//! clock advanced ([`MockHandle::advance_clock`]) to expire codes and tokens without
//! sleeping.
//!
//! # Keys
//!
//! JWTs are signed with fixed keys committed under `keys/` (generating an RSA key would
//! blow the 100 ms start budget). They are public test keys: nothing they sign is to be
//! trusted outside tests.
//!
//! # Layering
//!
//! This module never prints: the request log goes to a file (`log`) and to an optional
//! callback (`on_request`), and the `mock` command decides what to show.

mod assertion;
mod authorize;
mod endpoints;
mod errors;
pub mod jwt;
mod profile;
mod server;
mod state;
mod token;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;

use crate::error::{Error, Result};
pub use jwt::SigningAlg;
pub use profile::{names as provider_names, TEST_PASSWORD, TEST_USERNAME};
use server::{App, Settings};
use state::{Client, Faults, State};

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
    /// `basic`, `post`, `query`, `none` or `private_key_jwt` where a client authenticated.
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

/// The mock's own client, as registered at start.
#[derive(Debug, Clone)]
pub struct MockClient {
    pub client_id: String,
    pub client_secret: Option<String>,
    pub redirect_uris: Vec<String>,
    pub auth_method: String,
}

/// A running mock. Dropping it stops the server.
pub struct MockHandle {
    addr: SocketAddr,
    base: String,
    provider: String,
    display_name: String,
    config: String,
    client: MockClient,
    app: Arc<App>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for MockHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockHandle")
            .field("base", &self.base)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

impl MockHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// An absolute URL on the mock.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    pub fn provider(&self) -> &str {
        &self.provider
    }
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    /// The issuer when the provider has one (Teamwork: `…/authentication`; oidc: the base).
    pub fn issuer(&self) -> Option<String> {
        self.app.profile.issuer(&self.base)
    }
    /// A complete config file (`default_provider` and a `[providers.NAME]` table)
    /// pointing the provider at this mock, with its client.
    pub fn config_toml(&self) -> &str {
        &self.config
    }
    pub fn client(&self) -> &MockClient {
        &self.client
    }
    /// Replaces the faults: denial, token failures (and how many), latency.
    pub fn set_faults(
        &self,
        deny: bool,
        fail_token_with: Option<TokenFault>,
        fail_token_count: Option<u64>,
        latency: Duration,
    ) {
        let mut st = self.app.state();
        st.faults = Faults {
            deny,
            fail_token_with,
            fail_token_count,
            latency,
        };
        st.token_failures = 0;
    }
    /// Moves the mock's clock forward: codes, tokens and device codes expire sooner.
    pub fn advance_clock(&self, by: Duration) {
        self.app.advance_clock(by);
    }
    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        if let Some(t) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn settings(opts: &MockOptions, p: &profile::Profile) -> Settings {
    let default_format = if p.data.token_format.as_deref() == Some("jwt") {
        TokenFormat::Jwt
    } else {
        TokenFormat::Opaque
    };
    Settings {
        code_ttl: opts
            .code_ttl
            .unwrap_or_else(|| p.lifetime("code_lifetime", Duration::from_secs(600))),
        access_ttl: opts
            .access_ttl
            .unwrap_or_else(|| p.lifetime("access_token_lifetime", Duration::from_secs(3600))),
        refresh_ttl: opts.refresh_ttl.unwrap_or_else(|| {
            p.lifetime("refresh_token_lifetime", Duration::from_secs(30 * 86400))
        }),
        rotate: opts.rotate_refresh_tokens || p.rotation(),
        require_pkce: opts.require_pkce,
        auto_approve: opts.auto_approve,
        token_format: opts.token_format.unwrap_or(default_format),
        device_interval: opts.device_interval,
        device_code_ttl: opts.device_code_ttl,
        private_key_jwt: opts.client_jwks.is_some(),
    }
}

/// Validates the options and builds the mock's client.
fn own_client(opts: &MockOptions, p: &profile::Profile, now: u64) -> Result<Client> {
    let keys = match &opts.client_jwks {
        Some(text) => Some(assertion::parse_keys(text, "--client-jwks")?),
        None => None,
    };
    if keys.is_some() && opts.client_secret.is_some() {
        return Err(Error::usage(
            "--client-jwks and --client-secret both set how the mock's client authenticates",
        )
        .with_hint("with --client-jwks the client uses private_key_jwt: drop --client-secret"));
    }
    let method = if keys.is_some() {
        "private_key_jwt".to_string()
    } else {
        p.client_auth_method()
    };
    let redirect_uris = if opts.redirect_uris.is_empty() {
        vec![p.default_redirect_uri()]
    } else {
        opts.redirect_uris.clone()
    };
    for r in &redirect_uris {
        let u = url::Url::parse(r).map_err(|e| {
            Error::input(format!("--redirect-uri `{r}` is not an absolute URI: {e}"))
                .with_hint("write it like http://127.0.0.1:8765/callback")
        })?;
        if let Some(schemes) = p.redirect_schemes() {
            if !schemes.iter().any(|s| s == u.scheme()) {
                return Err(Error::input(format!(
                    "{} accepts only {} redirect URIs, so `{r}` cannot be registered",
                    p.display_name(),
                    schemes.join("/")
                ))
                .with_hint(
                    "register an https URI, e.g. --redirect-uri https://127.0.0.1/callback",
                ));
            }
        }
    }
    let secret = if keys.is_some() {
        None
    } else if method == "none" {
        if opts.client_secret.is_some() {
            return Err(Error::input(format!(
                "{} clients are public (token_endpoint_auth_method = none): they have no secret",
                p.display_name()
            ))
            .with_hint("drop --client-secret"));
        }
        None
    } else {
        Some(
            opts.client_secret
                .clone()
                .unwrap_or_else(|| DEFAULT_CLIENT_SECRET.to_string()),
        )
    };
    Ok(Client {
        id: opts
            .client_id
            .clone()
            .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_string()),
        secret,
        redirect_uris,
        grant_types: p.grant_types(),
        auth_method: method,
        name: Some("oauthctl mock client".into()),
        issued_at: now,
        keys,
    })
}

struct Prepared {
    app_parts: (
        profile::Profile,
        Settings,
        jwt::Signer,
        State,
        Option<std::fs::File>,
    ),
    client: MockClient,
    hook: Option<RequestHook>,
}

fn prepare(opts: &MockOptions) -> Result<Prepared> {
    let p = profile::Profile::load(&opts.provider)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let client = own_client(opts, &p, now)?;
    let settings = settings(opts, &p);
    let signer = jwt::Signer::new(opts.signing_alg)?;
    let log = match &opts.log {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| {
                    Error::input(format!("cannot open the log file {}: {e}", path.display()))
                        .with_hint("check the directory exists and is writable")
                })?,
        ),
        None => None,
    };
    let mut st = State::default();
    st.faults = Faults {
        deny: opts.deny,
        fail_token_with: opts.fail_token_with,
        fail_token_count: opts.fail_token_count,
        latency: opts.latency,
    };
    let mc = MockClient {
        client_id: client.id.clone(),
        client_secret: client.secret.clone(),
        redirect_uris: client.redirect_uris.clone(),
        auth_method: client.auth_method.clone(),
    };
    st.clients.insert(client.id.clone(), client);
    Ok(Prepared {
        app_parts: (p, settings, signer, st, log),
        client: mc,
        hook: opts.on_request.clone(),
    })
}

async fn launch(
    opts: &MockOptions,
) -> Result<(MockHandle, tokio::net::TcpListener, watch::Receiver<bool>)> {
    let prep = prepare(opts)?;
    let (listener, addr) = server::bind(opts.port).await.map_err(|e| {
        Error::network(format!("cannot listen on 127.0.0.1:{}: {e}", opts.port))
            .with_hint("choose another --port, or --port 0 for a free one")
    })?;
    let base = format!("http://{addr}");
    let (p, settings, signer, st, log) = prep.app_parts;
    let first_redirect = prep
        .client
        .redirect_uris
        .first()
        .cloned()
        .unwrap_or_default();
    let config = p.config_toml(
        &base,
        &prep.client.client_id,
        prep.client.client_secret.as_deref(),
        &prep.client.auth_method,
        &first_redirect,
    );
    let display_name = p.display_name().to_string();
    let app = Arc::new(App::new(
        p,
        settings,
        base.clone(),
        signer,
        st,
        log,
        prep.hook,
    ));
    let (stop, rx) = watch::channel(false);
    Ok((
        MockHandle {
            addr,
            base,
            provider: opts.provider.clone(),
            display_name,
            config,
            client: prep.client,
            app,
            stop,
            task: None,
            thread: None,
        },
        listener,
        rx,
    ))
}

/// Starts a mock on the current tokio runtime. It is listening when this returns.
pub async fn start(opts: MockOptions) -> Result<MockHandle> {
    let (mut handle, listener, rx) = launch(&opts).await?;
    let app = handle.app.clone();
    handle.task = Some(tokio::spawn(server::serve(listener, app, rx)));
    Ok(handle)
}

/// Starts a mock on a thread of its own (with its own runtime), for callers that are
/// not async or that block. It is listening when this returns; dropping the handle
/// stops it and joins the thread.
pub fn start_in_thread(opts: MockOptions) -> Result<MockHandle> {
    let (tx, rx) = std::sync::mpsc::channel::<Result<MockHandle>>();
    let thread = std::thread::Builder::new()
        .name("oauthctl-mock".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = tx.send(Err(Error::internal(format!(
                        "cannot start the mock's runtime: {e}"
                    ))));
                    return;
                }
            };
            rt.block_on(async move {
                match launch(&opts).await {
                    Ok((handle, listener, stop_rx)) => {
                        let app = handle.app.clone();
                        let _ = tx.send(Ok(handle));
                        server::serve(listener, app, stop_rx).await;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                    }
                }
            });
        })
        .map_err(|e| Error::internal(format!("cannot start the mock's thread: {e}")))?;
    let mut handle = rx
        .recv()
        .map_err(|_| Error::internal("the mock's thread ended before it was ready"))??;
    handle.thread = Some(thread);
    Ok(handle)
}
