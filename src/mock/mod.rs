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
//! With `self_contained_tokens` (the built-in demo, which starts an emulator for every
//! command) refresh tokens are signed JWTs too, and a JWT access or refresh token that
//! the mock's key verifies and that has not expired is honoured even though an earlier
//! mock issued it: its grant is read from its claims (userinfo, introspection, refresh).
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
//!
//! It shares no code with the client side: besides its own files it uses only
//! `crate::error`, `crate::provider` (the presets) and `crate::duration`.
//!
//! # Files
//!
//! Each file uses only files listed above it (no import circles):
//!
//! - `jwt.rs`: signing with the fixed keys of `keys/`; `profile.rs`: what a provider
//!   serves (its preset plus `profiles.toml`), routes included; `client_keys.rs`: the
//!   public keys a client registers for private_key_jwt.
//! - `options.rs`: [`MockOptions`], [`TokenFault`], [`TokenFormat`], [`RequestRecord`].
//! - `errors.rs`: OAuth errors in the provider's format.
//! - `http.rs`: the small HTTP framework (request, parameters, answer, HTML page
//!   helpers, the serve loop), knowing no endpoint; `state.rs`: what the mock remembers.
//! - `app.rs`: the running mock's shared context (profile, settings, clock, state, log).
//! - `assertion.rs`: the private_key_jwt and client_secret_jwt assertion checks;
//!   `client_auth.rs`: client
//!   authentication; `selfcontained.rs`: refresh tokens as JWTs and a predecessor's
//!   tokens read back from their claims (`self_contained_tokens`, the built-in demo);
//!   `issue.rs`: token issuance and the token answer's shape.
//! - `jar.rs`: signed request objects (RFC 9101), verified with the client's keys or
//!   secret.
//! - `par.rs`: pushed authorization requests (RFC 9126): the `/par` endpoint, and the
//!   `request_uri` the authorization endpoint resolves (once).
//! - Endpoints: `authorize.rs` (with the consent page), `token.rs` (one handler per
//!   grant), `device.rs` (device authorization and verification page), `userinfo.rs`
//!   (and API resources), `register.rs`, `introspection.rs` (and revocation),
//!   `discovery.rs` (metadata and JWKS), `end_session.rs` (RP-initiated logout).
//! - `router.rs`: path and method to endpoint, the only file that knows them all.
//! - `mod.rs`: the in-process API ([`start`], [`start_in_thread`], [`MockHandle`]).

mod app;
mod assertion;
mod authorize;
mod client_auth;
mod client_keys;
mod device;
mod discovery;
mod dpop;
mod end_session;
mod errors;
mod grants;
mod http;
mod introspection;
mod issue;
mod jar;
mod jarm;
pub mod jwt;
mod options;
mod par;
mod profile;
mod register;
mod router;
mod selfcontained;
mod state;
mod tls;
mod token;
mod userinfo;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::error::{Error, Result};
use app::{App, Settings};
pub use jwt::SigningAlg;
pub use options::{
    IdTokenFault, JarmFault, MockOptions, RequestHook, RequestRecord, TokenFault, TokenFormat,
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
};
pub use profile::{names as provider_names, TEST_PASSWORD, TEST_USERNAME};
use router::Router;
use state::{Client, Faults, State};

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
    /// `https://127.0.0.1:PORT` of the mutual TLS port (`require_mtls`), trusted with the
    /// test CA ([`MockHandle::write_tls_files`]'s `ca.pem`).
    pub fn tls_base_url(&self) -> Option<&str> {
        self.app.tls_base.get().map(String::as_str)
    }
    /// Writes the test PKI's client-side files (`ca.pem`, `client.pem`, `client.key`,
    /// `self-signed.pem`, `self-signed.key`, `other-ca-client.pem`,
    /// `other-ca-client.key`) to `dir`.
    pub fn write_tls_files(&self, dir: &std::path::Path) -> Result<()> {
        tls::write_files(dir)
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
            id_token: st.faults.id_token.clone(),
            jarm: st.faults.jarm.clone(),
        };
        st.token_failures = 0;
    }
    /// Replaces the faults of the ID tokens and userinfo answers issued from now on.
    pub fn set_id_token_faults(&self, faults: Vec<IdTokenFault>) {
        self.app.state().faults.id_token = faults;
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
        require_pkce: opts.require_pkce || opts.hide_none_auth,
        auto_approve: opts.auto_approve,
        token_format: opts.token_format.unwrap_or(default_format),
        device_interval: opts.device_interval,
        device_code_ttl: opts.device_code_ttl,
        private_key_jwt: opts.client_jwks.is_some(),
        client_secret_jwt: opts.client_secret_jwt,
        require_par: opts.require_par,
        expired_request_uri: opts.expired_request_uri,
        require_jar: opts.require_jar,
        self_contained_tokens: opts.self_contained_tokens,
        hide_refresh_grant: opts.hide_refresh_grant,
        revocation_requires_secret: opts.revocation_requires_secret,
        require_nonce: opts.require_nonce,
        json_errors: opts.json_errors,
        sso: opts.sso,
        hide_none_auth: opts.hide_none_auth,
        offline_access_needs_consent: opts.offline_access_needs_consent,
        refuse_consent: opts.refuse_consent,
        require_mtls: opts.require_mtls,
        require_dpop: opts.require_dpop,
        dpop_nonce: opts.dpop_nonce,
        stale_dpop_nonce: opts.stale_dpop_nonce,
        bad_dpop_proof: opts.bad_dpop_proof,
    }
}

/// Validates the options and builds the mock's client.
fn own_client(opts: &MockOptions, p: &profile::Profile, now: u64) -> Result<Client> {
    let par = p.path_of(&profile::Route::Par).is_some();
    for (on, flag) in [
        (opts.require_par, "--require-par"),
        (opts.expired_request_uri, "--expired-request-uri"),
        (opts.require_jar, "--require-jar"),
    ] {
        if on && !par {
            return Err(Error::usage(format!(
                "{flag} needs a provider that takes pushed and signed authorization requests; {} does not",
                p.display_name()
            ))
            .with_hint("use it with -p oidc"));
        }
    }
    let keys = match &opts.client_jwks {
        Some(text) => Some(client_keys::parse_keys(text, "--client-jwks")?),
        None => None,
    };
    if keys.is_some() && opts.client_secret.is_some() {
        return Err(Error::usage(
            "--client-jwks and --client-secret both set how the mock's client authenticates",
        )
        .with_hint("with --client-jwks the client uses private_key_jwt: drop --client-secret"));
    }
    if keys.is_some() && opts.client_secret_jwt {
        return Err(Error::usage(
            "--client-jwks and --client-secret-jwt both set how the mock's client authenticates",
        )
        .with_hint("choose one: private_key_jwt (--client-jwks) or client_secret_jwt (--client-secret-jwt)"));
    }
    if opts.mtls_self_signed && !opts.require_mtls {
        return Err(Error::usage("--mtls-self-signed needs --require-mtls"));
    }
    if opts.require_mtls
        && (keys.is_some() || opts.client_secret_jwt || opts.client_secret.is_some())
    {
        return Err(Error::usage(
            "--require-mtls sets how the mock's client authenticates (mutual TLS)",
        )
        .with_hint("drop --client-jwks, --client-secret-jwt and --client-secret"));
    }
    let method = if opts.mtls_self_signed {
        "self_signed_tls_client_auth".to_string()
    } else if opts.require_mtls {
        "tls_client_auth".to_string()
    } else if keys.is_some() {
        "private_key_jwt".to_string()
    } else if opts.client_secret_jwt {
        "client_secret_jwt".to_string()
    } else if opts.hide_none_auth {
        "none".to_string()
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
    let secret = if keys.is_some() || opts.require_mtls {
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
    st.remember_revoked = opts.self_contained_tokens;
    st.faults = Faults {
        deny: opts.deny,
        fail_token_with: opts.fail_token_with,
        fail_token_count: opts.fail_token_count,
        latency: opts.latency,
        id_token: opts.id_token_faults.clone(),
        jarm: opts.jarm_faults.clone(),
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

/// The mutual TLS port: its listener and the TLS acceptor.
type TlsPort = Option<(tokio::net::TcpListener, tokio_rustls::TlsAcceptor)>;

async fn launch(
    opts: &MockOptions,
) -> Result<(
    MockHandle,
    tokio::net::TcpListener,
    TlsPort,
    watch::Receiver<bool>,
)> {
    let prep = prepare(opts)?;
    let (listener, addr) = http::bind(opts.port).await.map_err(|e| {
        Error::network(format!("cannot listen on 127.0.0.1:{}: {e}", opts.port))
            .with_hint("choose another --port, or --port 0 for a free one")
    })?;
    let tls_port = if opts.require_mtls {
        let (l, a) = http::bind(0).await.map_err(|e| {
            Error::network(format!("cannot listen on a TLS port of 127.0.0.1: {e}"))
        })?;
        Some((l, tls::acceptor()?, a))
    } else {
        None
    };
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
    let config = match &tls_port {
        Some((_, _, a)) => {
            let dir = opts.tls_dir.clone().unwrap_or_else(|| {
                std::env::temp_dir().join(format!("oauthctl-mock-tls-{}", addr.port()))
            });
            tls::write_files(&dir)?;
            let dir = std::path::absolute(&dir).unwrap_or(dir);
            let stem = if opts.mtls_self_signed {
                "self-signed"
            } else {
                "client"
            };
            let q = |f: &str| toml::Value::String(dir.join(f).display().to_string()).to_string();
            format!(
                "{config}tls_client_certificate = {}\ntls_client_key = {}\n# The mutual TLS port https://{a} has a certificate from a test CA: pass --cacert {}\n",
                q(&format!("{stem}.pem")),
                q(&format!("{stem}.key")),
                dir.join("ca.pem").display()
            )
        }
        None => config,
    };
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
    let tls_port = tls_port.map(|(l, acc, a)| {
        let _ = app.tls_base.set(format!("https://{a}"));
        (l, acc)
    });
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
        tls_port,
        rx,
    ))
}

/// Starts a mock on the current tokio runtime. It is listening when this returns.
pub async fn start(opts: MockOptions) -> Result<MockHandle> {
    let (mut handle, listener, tls_port, rx) = launch(&opts).await?;
    let router = Arc::new(Router::new(handle.app.clone()));
    if let Some((l, acceptor)) = tls_port {
        tokio::spawn(http::serve(l, router.clone(), rx.clone(), Some(acceptor)));
    }
    handle.task = Some(tokio::spawn(http::serve(listener, router, rx, None)));
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
                    Ok((handle, listener, tls_port, stop_rx)) => {
                        let router = Arc::new(Router::new(handle.app.clone()));
                        let _ = tx.send(Ok(handle));
                        if let Some((l, acceptor)) = tls_port {
                            tokio::spawn(http::serve(
                                l,
                                router.clone(),
                                stop_rx.clone(),
                                Some(acceptor),
                            ));
                        }
                        http::serve(listener, router, stop_rx, None).await;
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
