//! What every command gets: global options, the config, the UI, the HTTP client.

use std::cell::{Cell, OnceCell};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli::{GlobalArgs, StoreChoice};
use crate::demo::{self, Demo};
use crate::error::{Error, Result};
use crate::http::{Http, HttpConfig};
use crate::output::Ui;
use crate::provider::config::Config;
use crate::provider::{discovery, Provider, ProviderSpec};
use crate::redact::Redactor;
use crate::store::{self, Preference, SessionKey, Store};

pub struct Context {
    pub global: GlobalArgs,
    pub config: Config,
    pub ui: Ui,
    pub redactor: Arc<Mutex<Redactor>>,
    http: OnceCell<Http>,
    runtime: OnceCell<tokio::runtime::Runtime>,
    /// The built-in demo's emulator, started by the first resolution of an emulated
    /// provider, stopped when the command ends.
    demo: OnceCell<Demo>,
    demo_start: Cell<demo::Start>,
}

impl Context {
    pub fn new(global: GlobalArgs) -> Result<Self> {
        let ui = Ui::new(global.quiet, global.verbose, global.color);
        let config = Config::load(global.config.as_deref())?;
        if let Some(warning) = config.exposed_secret_warning() {
            ui.warn(&warning);
        }
        let redactor = Arc::new(Mutex::new(Redactor::new(global.show_secrets)));
        Ok(Context {
            global,
            config,
            ui,
            redactor,
            http: OnceCell::new(),
            runtime: OnceCell::new(),
            demo: OnceCell::new(),
            demo_start: Cell::new(demo::Start::Restart),
        })
    }

    /// Registers a value that must never be printed in clear.
    pub fn secret(&self, value: &str) {
        if let Ok(mut r) = self.redactor.lock() {
            r.add_value(value);
        }
    }

    /// Registers `value` as a secret when `key` names a secret parameter
    /// (`--param`/`--token-param client_secret=…`, `code=…`).
    pub fn secret_param(&self, key: &str, value: &str) {
        if let Ok(mut r) = self.redactor.lock() {
            if r.is_secret_key(key) {
                r.add_value(value);
            }
        }
    }

    /// Free text with every registered secret masked (unless --show-secrets).
    pub fn redact(&self, text: &str) -> String {
        match self.redactor.lock() {
            Ok(r) => r.text(text),
            Err(p) => p.into_inner().text(text),
        }
    }

    /// Every secret of `t` joins the redactor.
    pub fn secret_tokens(&self, t: &crate::store::TokenSet) {
        for s in t.secrets() {
            self.secret(s);
        }
    }

    /// `e` with every registered secret masked in its message and hint.
    pub fn redact_error(&self, e: Error) -> Error {
        Error {
            message: self.redact(&e.message),
            hint: e.hint.map(|h| self.redact(&h)),
            ..e
        }
    }

    /// The session profile (`--profile`, `OAUTHCTL_PROFILE`), checked.
    pub fn profile(&self) -> Result<String> {
        store::validate_profile(&self.global.profile)?;
        Ok(self.global.profile.clone())
    }

    /// The session of `provider` in the current profile.
    pub fn session_key(&self, provider: &str) -> Result<SessionKey> {
        SessionKey::new(provider, &self.profile()?)
    }

    /// The session store, as `--store` says.
    pub fn store(&self) -> Result<Store> {
        let pref = match self.global.store {
            StoreChoice::Auto => Preference::Auto,
            StoreChoice::Keyring => Preference::Keyring,
            StoreChoice::File => Preference::File,
        };
        Ok(Store::new(pref, Store::default_dir()?))
    }

    pub fn timeout(&self) -> Result<Duration> {
        if let Some(t) = self.global.timeout {
            return Ok(t);
        }
        match &self.config.file.timeout {
            Some(t) => crate::duration::parse(t).map_err(|e| {
                Error::input(format!(
                    "config file {}: timeout: {e}",
                    self.config.display_path()
                ))
            }),
            None => Ok(Duration::from_secs(30)),
        }
    }

    pub fn discovery_ttl(&self) -> Result<Duration> {
        match &self.config.file.discovery_ttl {
            Some(t) => crate::duration::parse(t).map_err(|e| {
                Error::input(format!(
                    "config file {}: discovery_ttl: {e}",
                    self.config.display_path()
                ))
            }),
            None => Ok(discovery::DEFAULT_TTL),
        }
    }

    /// The shared HTTP client, built on first use.
    pub fn http(&self) -> Result<&Http> {
        if let Some(h) = self.http.get() {
            return Ok(h);
        }
        if self.global.insecure {
            self.ui.warn("--insecure: TLS certificates are NOT verified; anyone on the network path can read and change this traffic");
        }
        if self.global.allow_insecure_http {
            self.ui.warn("--allow-insecure-http: client secrets, passwords and refresh tokens may go over plain http, readable by anyone on the network path");
        }
        let cfg = HttpConfig {
            timeout: self.timeout()?,
            cacert: self.global.cacert.clone(),
            insecure: self.global.insecure,
            trace: self.global.trace,
            allow_insecure_http: self.global.allow_insecure_http,
            ..HttpConfig::default()
        };
        let http = Http::new(cfg, self.redactor.clone())?;
        Ok(self.http.get_or_init(|| http))
    }

    /// Writes `--har FILE` with every exchange so far (none if no request was made).
    pub fn write_har(&self) -> Result<()> {
        let Some(path) = &self.global.har else {
            return Ok(());
        };
        let exchanges = self.http.get().map(|h| h.exchanges()).unwrap_or_default();
        let redactor = self
            .redactor
            .lock()
            .map(|r| r.clone())
            .unwrap_or_else(|p| p.into_inner().clone());
        crate::http::har::write(path, &exchanges, &redactor)?;
        self.ui.detail(&format!(
            "wrote {} HTTP exchange(s) to {}",
            exchanges.len(),
            path.display()
        ));
        Ok(())
    }

    /// The single-threaded runtime for commands that talk to the network, built on
    /// first use and shared by every step of the command: the shared HTTP client's
    /// pooled connections belong to the runtime that opened them, and a request from a
    /// second runtime that picks one of them up never completes.
    pub fn runtime(&self) -> Result<&tokio::runtime::Runtime> {
        if let Some(rt) = self.runtime.get() {
            return Ok(rt);
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::internal(format!("cannot start the async runtime: {e}")))?;
        Ok(self.runtime.get_or_init(|| rt))
    }

    pub fn provider_name(&self) -> Result<String> {
        self.config.provider_name(self.global.provider.as_deref())
    }

    /// The provider without discovery (no network).
    pub fn provider_static(&self, flags: &ProviderSpec) -> Result<Provider> {
        let name = self.provider_name()?;
        let mut p = self.config.layered(&name, None, flags)?;
        self.attach_stored_client_secret(&mut p);
        self.register_provider_secrets(&p);
        Ok(p)
    }

    /// How the built-in demo's emulator is to be started, if this command resolves an
    /// emulated provider: `login` says so before it does; every other command restarts
    /// it (the default).
    pub fn set_demo_start(&self, start: demo::Start) {
        self.demo_start.set(start);
    }

    /// The provider with discovery layered in when it has an `issuer`. A provider served
    /// by the built-in emulator (`emulated_by`, the demo) is pointed at it, started in
    /// this process the first time (and said so in one line on stderr).
    pub async fn provider(&self, flags: &ProviderSpec) -> Result<Provider> {
        let mut base = self.provider_static(flags)?;
        if let Some(kind) = base.spec.emulated_by.clone() {
            if self.demo.get().is_none() {
                let d = Demo::start(self.http()?, &kind, self.demo_start.get()).await?;
                self.ui.info(&d.banner());
                let _ = self.demo.set(d);
            }
            if let Some(d) = self.demo.get() {
                d.apply(&mut base);
            }
            self.register_provider_secrets(&base);
            return Ok(base);
        }
        let Some(issuer) = base.spec.issuer.clone() else {
            return Ok(base);
        };
        if base.spec.discovery == Some(false) {
            return Ok(base);
        }
        let loaded = discovery::load(
            self.http()?,
            &issuer,
            base.spec.discovery_path.as_deref(),
            self.discovery_ttl()?,
        )
        .await;
        let (doc, warning) = match loaded {
            Ok(x) => x,
            Err(e)
                if base.spec.authorization_endpoint.is_some()
                    && base.spec.token_endpoint.is_some() =>
            {
                self.ui.warn(&format!(
                    "discovery for {issuer} failed ({}); using the configured endpoints",
                    e.message
                ));
                return Ok(base);
            }
            Err(e) => return Err(e),
        };
        if let Some(w) = warning {
            self.ui.warn(&w);
        }
        if doc.from_cache {
            self.ui
                .detail(&format!("using cached discovery document from {}", doc.url));
        }
        let disc = ProviderSpec::from_discovery(&doc.document);
        let mut p = self.config.layered(&base.name, Some(&disc), flags)?;
        p.discovered_from = Some(doc.url);
        // Discovery sets no client field: the secret resolved for `base` holds (and the
        // keyring is asked once).
        if p.spec.client_secret.is_none() && p.spec.client_id == base.spec.client_id {
            p.spec.client_secret = base.spec.client_secret.clone();
        }
        self.register_provider_secrets(&p);
        Ok(p)
    }

    /// The secret `oauthctl register` stored for the configured client, when neither
    /// `client_secret` nor `client_secret_env` is set: the last layer of the client
    /// secret's resolution, so that `login`, token requests, `logout` and `me` find it.
    /// A record that cannot be read is reported and skipped. (A keyring read runs on a
    /// thread of its own, so this is safe inside the async `provider`.)
    fn attach_stored_client_secret(&self, p: &mut Provider) {
        if p.client_secret_configured() {
            return;
        }
        let Some(client_id) = p.spec.client_id.clone() else {
            return;
        };
        let store = match self.store() {
            Ok(s) => s,
            Err(_) => return,
        };
        match store.load_client_secret(&p.name, &client_id) {
            Ok(Some(secret)) => p.spec.client_secret = Some(secret.expose().to_string()),
            Ok(None) => {}
            Err(e) => self.ui.warn(&format!(
                "cannot read the stored client secret of {}: {}",
                p.name, e.message
            )),
        }
    }

    fn register_provider_secrets(&self, p: &Provider) {
        if let Some(s) = p.client_secret() {
            self.secret(s.expose());
        }
        if let Ok(mut r) = self.redactor.lock() {
            for f in p.spec.secret_fields.iter().flatten() {
                r.add_key(f);
            }
        }
    }
}
