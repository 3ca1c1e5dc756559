//! `oauthctl login`: authorization code + PKCE through a loopback redirect (or a
//! pasted URL), the code exchanged with the provider's quirks, the session stored.
//! The other grants live beside it: `device` (RFC 8628, also the headless fallback)
//! and `direct` (client credentials and password).

mod code;
mod device;
mod direct;
mod dpop;
mod flags;
mod preflight;

use std::sync::Arc;
use std::time::Duration;

use crate::cli::LoginArgs;
use crate::context::Context;
use crate::error::Result;
use crate::flow::interrupt::Interrupt;
use crate::flow::token::{IdTokenRules, TokenEvent};
use crate::oauth::browser;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::dpop::DpopKey;
use crate::oauth::userinfo;
use crate::output::{self, Steps};
use crate::provider::{ClientAuth, Provider};
use crate::store::{self, Backend, Grant, Session, TokenSet};
use crate::support::journal::Journal;

/// The "who am I" request after the exchange is best effort and kept short.
const USERINFO_WAIT: Duration = Duration::from_secs(5);

pub fn run(args: &LoginArgs, ctx: &Context) -> Result<()> {
    let profile = ctx.profile()?;
    let flags = flags::provider_flags(args)?;
    let choice = browser::choose(args.browser.as_deref(), args.no_browser, &|k| {
        std::env::var(k).ok()
    });
    let headless = matches!(choice, browser::Choice::Nothing { .. }) && !args.no_browser;
    // The built-in demo: the emulator runs in this process for as long as the login
    // (the context starts it), approving at once when no browser shows its consent page.
    ctx.set_demo_start(crate::demo::Start::Login {
        auto_approve: headless,
    });
    let rt = ctx.runtime()?;
    let mut intr = Interrupt::new(rt)?;
    let provider = intr.run(rt, ctx.provider(&flags))?;
    let emulated = provider.spec.emulated_by.is_some();
    let client = ClientCredentials::from_provider(&provider)?;
    if let Some(s) = &client.client_secret {
        ctx.secret(s.expose());
    }
    let store = ctx.store()?;
    let dpop = dpop::session_key(args, &provider)?;
    let mut login = Login {
        args,
        ctx,
        rt,
        intr,
        provider,
        profile,
        client,
        store,
        dpop,
    };
    if args.client_credentials {
        return direct::client_credentials(&mut login);
    }
    if args.password {
        return direct::password(&mut login);
    }
    if args.jwt_bearer {
        return direct::jwt_bearer(&mut login);
    }
    if args.device {
        return device::run(&mut login);
    }
    if let browser::Choice::Nothing { reason } = &choice {
        // The demo drives its own authorization URL instead (see below).
        if headless && !emulated && login.provider.offers_device_grant() {
            ctx.ui.info(&format!(
                "No browser can be opened here: {reason}. {} offers the device flow, so this login uses it: enter the code below on any device (--no-browser pastes a redirected URL instead).",
                login.provider.display_name()
            ));
            return device::run(&mut login);
        }
    }
    code::run(&mut login, choice, emulated && headless)
}

/// One login in progress: what every grant needs.
pub(super) struct Login<'a> {
    pub args: &'a LoginArgs,
    pub ctx: &'a Context,
    pub rt: &'a tokio::runtime::Runtime,
    pub intr: Interrupt,
    pub provider: Provider,
    pub profile: String,
    pub client: ClientCredentials,
    pub store: store::Store,
    /// The session's DPoP key (RFC 9449), made for this login.
    pub dpop: Option<Arc<DpopKey>>,
}

impl Login<'_> {
    /// The scopes asked for: --scope, else the provider's.
    pub fn requested_scopes(&self) -> Vec<String> {
        crate::provider::scope_flags(&self.args.scopes).unwrap_or_else(|| self.provider.scopes())
    }

    /// How an ID token that comes back is checked (`--leeway`, `--no-verify-id-token`).
    pub fn id_token_rules(&self) -> IdTokenRules {
        IdTokenRules::new(
            self.args.id_token.leeway,
            self.args.id_token.no_verify_id_token,
        )
    }

    /// The session for `tokens`, from `grant`.
    pub fn session(&self, tokens: TokenSet, subject: Option<String>, grant: Grant) -> Session {
        Session {
            provider: self.provider.name.clone(),
            profile: self.profile.clone(),
            client_id: Some(self.client.client_id.clone()),
            issuer: self.provider.spec.issuer.clone(),
            subject,
            tokens,
            obtained_at: store::unix_now(),
            grant,
            client_assertion_key: (self.provider.auth_method() == ClientAuth::PrivateKeyJwt)
                .then(|| self.provider.spec.client_assertion_key.clone())
                .flatten(),
            client_cert: self.provider.client_cert().map(|c| store::CertFiles {
                cert: c.cert.display().to_string(),
                key: c.key.display().to_string(),
            }),
            dpop_key: self.dpop.as_ref().map(|k| k.to_data()),
        }
    }

    /// Stores the session (outside the async runtime), warning about a file fallback.
    pub fn save(&self, session: &Session) -> Result<store::Saved> {
        let saved = self.store.save(session)?;
        if let Some(f) = &saved.fallback {
            self.ctx.ui.warn(&format!(
                "the OS keyring is not reachable: {}. The session is stored in the file {} (readable only by you) instead; --store file chooses files without this warning, --store keyring requires the keyring",
                f.cause,
                f.path.display()
            ));
        }
        Ok(saved)
    }

    /// Stores the session, ends the last `--trace` step with what was stored, and says
    /// so.
    pub fn finish(&self, steps: &mut Steps, session: &Session) -> Result<()> {
        let saved = self.save(session)?;
        self.stored(steps, session, &saved)
    }

    /// Ends the last `--trace` step with what was stored, and says so.
    pub fn stored(&self, steps: &mut Steps, session: &Session, saved: &store::Saved) -> Result<()> {
        warn_unverified(self.ctx, &session.tokens);
        steps.end(&format!(
            "{}; session stored ({})",
            output::token_summary(&session.tokens, store::unix_now()),
            saved.backend.as_str()
        ));
        report(
            self.ctx,
            &self.provider,
            session,
            saved.backend,
            saved.path.as_deref(),
        )?;
        self.no_refresh_token(session)
    }

    /// Says so when offline_access was asked for and no refresh token came back (and
    /// notes it for `status`).
    fn no_refresh_token(&self, session: &Session) -> Result<()> {
        let prompt = self.args.params.iter().find(|(k, _)| k == "prompt");
        let prompt = prompt.map(|(_, v)| v.as_str());
        let scopes = self.requested_scopes();
        match crate::oauth::authorize::missing_refresh_token(&scopes, &session.tokens, prompt) {
            Some(why) if !matches!(session.grant, Grant::ClientCredentials { .. }) => {
                self.ctx.ui.warn(&why);
                self.store.mark_no_refresh_token(&session.key(), &why)
            }
            _ => Ok(()),
        }
    }

    /// Runs `fut` on the runtime; Ctrl-C ends it with exit code 130.
    pub fn interruptible<T>(
        &mut self,
        fut: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        self.intr.run(self.rt, fut)
    }
}

/// Warns when an ID token was kept although it failed its checks
/// (`--no-verify-id-token`).
pub(super) fn warn_unverified(ctx: &Context, tokens: &TokenSet) {
    if let Some(c) = tokens.id_token_check.as_ref().filter(|c| !c.verified) {
        ctx.ui.warn(&format!(
            "the ID token failed its checks and is stored anyway (--no-verify-id-token): {}",
            ctx.redact(c.failure.as_deref().unwrap_or("unknown reason"))
        ));
    }
}

/// Records in the flow journal; a journal that cannot be written only costs the
/// diagnosis its evidence, so it is no reason to stop a login.
pub(super) fn note(
    ctx: &Context,
    journal: Option<&Journal>,
    f: impl FnOnce(&Journal) -> Result<()>,
) {
    match journal.map(f) {
        Some(Err(e)) => ctx
            .ui
            .detail(&format!("could not record the flow journal: {}", e.message)),
        Some(Ok(())) => {}
        None => ctx
            .ui
            .detail("no state directory: the flow is not recorded for `oauthctl exchange`"),
    }
}

/// A token request's progress as `--trace` steps; a journal that cannot be written is
/// a detail.
pub(super) fn on_token_event(ctx: &Context, steps: &mut Steps, ev: &TokenEvent<'_>) {
    match ev {
        TokenEvent::JournalFailed { error } => ctx.ui.detail(&format!(
            "could not record the flow journal: {}",
            error.message
        )),
        TokenEvent::Warning { message } => ctx.ui.warn(message),
        _ => {}
    }
    steps.token_event(ev, &|t| ctx.redact(t));
}

/// Who logged in (best effort: a failure only shows with --verbose).
pub(super) async fn subject(
    ctx: &Context,
    provider: &Provider,
    tokens: &TokenSet,
    client: &ClientCredentials,
    dpop: Option<&DpopKey>,
) -> Option<String> {
    let http = ctx.http().ok()?;
    match userinfo::who(http, provider, tokens, client, USERINFO_WAIT, dpop).await {
        Ok(s) => s,
        Err(e) => {
            ctx.ui
                .detail(&format!("could not find out who logged in: {}", e.message));
            None
        }
    }
}

/// Says what was stored (one line on stderr; the session as JSON with --json).
pub(super) fn report(
    ctx: &Context,
    provider: &Provider,
    s: &Session,
    backend: Backend,
    path: Option<&std::path::Path>,
) -> Result<()> {
    let now = store::unix_now();
    if ctx.global.json {
        output::json(&output::LoginJson::new(
            s,
            provider.auth_method().as_str(),
            backend,
            path,
            now,
        ))?;
    }
    ctx.ui.info(&output::logged_in_line(
        provider.display_name(),
        s,
        backend,
        now,
    ));
    Ok(())
}
