//! What every command gets: global options, the config, the UI, the HTTP client.

use std::cell::{Cell, OnceCell, RefCell};
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
use crate::report;
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
    /// The layers of the last provider resolved, for the flow report's settings.
    resolved: RefCell<Option<Resolved>>,
}

/// What a provider was resolved from: its name, the discovery layer, the flags.
struct Resolved {
    name: String,
    discovered: Option<ProviderSpec>,
    flags: ProviderSpec,
    discovered_from: Option<String>,
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
            resolved: RefCell::new(None),
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
        let store = Store::new(pref, Store::default_dir()?);
        Ok(if self.global.no_cache {
            store.without_cache()
        } else {
            store
        })
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

    /// Writes `--har FILE` and `--report FILE.html` with every exchange so far (none if
    /// no request was made) and how `command` ended: called however it ends.
    pub fn finish(&self, command: &str, outcome: &Result<()>) -> Result<()> {
        if self.global.har.is_none() && self.global.report.is_none() {
            return Ok(());
        }
        let exchanges = self.http.get().map(|h| h.exchanges()).unwrap_or_default();
        let redactor = self
            .redactor
            .lock()
            .map(|r| r.clone())
            .unwrap_or_else(|p| p.into_inner().clone());
        if let Some(path) = &self.global.har {
            let mut hidden = redactor.clone();
            hidden.show = false;
            let mut doc = crate::http::har::document_as(&exchanges, &hidden);
            doc["log"][report::META_FIELD] = self.report_meta(command, outcome, &hidden);
            crate::http::har::write(path, &doc)?;
            self.ui.detail(&format!(
                "wrote {} HTTP exchange(s) to {}",
                exchanges.len(),
                path.display()
            ));
        }
        if let Some(path) = &self.global.report {
            let mut doc = crate::http::har::document_as(&exchanges, &redactor);
            doc["log"][report::META_FIELD] = self.report_meta(command, outcome, &redactor);
            report::write(path, &report::render_har(&doc)?)?;
            self.ui
                .detail(&format!("wrote the flow report to {}", path.display()));
        }
        Ok(())
    }

    /// What the report says beyond the exchanges, with secrets as `r` shows them.
    fn report_meta(&self, command: &str, outcome: &Result<()>, r: &Redactor) -> serde_json::Value {
        let outcome = match outcome {
            Ok(()) => report::Outcome {
                ok: true,
                exit_code: 0,
                message: None,
                hint: None,
            },
            Err(e) => report::Outcome {
                ok: false,
                exit_code: e.exit_code(),
                message: Some(r.text(&e.message)),
                hint: e.hint.as_deref().map(|h| r.text(h)),
            },
        };
        let resolved = self.resolved.borrow();
        let settings = resolved
            .as_ref()
            .map(|x| {
                self.config
                    .provenance(&x.name, x.discovered.as_ref(), &x.flags)
                    .into_iter()
                    .map(|(name, v, source)| {
                        let text = match v {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        let value = if r.is_secret_key(&name) || name.contains("secret") {
                            if r.show {
                                text
                            } else {
                                crate::redact::mask(&text)
                            }
                        } else {
                            r.text(&text)
                        };
                        report::Setting {
                            name,
                            value,
                            source: source.to_string(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let store = format!("{:?}", self.global.store).to_ascii_lowercase();
        let meta = report::Meta {
            command: command.to_string(),
            provider: resolved.as_ref().map(|x| x.name.clone()),
            outcome,
            settings,
            discovered_from: resolved.as_ref().and_then(|x| x.discovered_from.clone()),
            environment: report::Environment::current(&store, &self.global.profile),
            show_secrets: r.show,
            written_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        };
        serde_json::to_value(meta).unwrap_or_default()
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
        self.resolved.replace(Some(Resolved {
            name: name.clone(),
            discovered: None,
            flags: flags.clone(),
            discovered_from: None,
        }));
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
        self.resolved.replace(Some(Resolved {
            name: base.name.clone(),
            discovered: Some(disc.clone()),
            flags: flags.clone(),
            discovered_from: p.discovered_from.clone(),
        }));
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
