//! The built-in demo: a provider with `emulated_by` (the `demo` preset) is served by the
//! emulator in this process for as long as the command runs: `login` starts it, and so
//! does every later command that needs a server (the command's `Context` does, when it
//! resolves the provider), since nothing is left running between commands. The restarted
//! emulator has the same client and the same fixed test keys, and its tokens are
//! self-contained (refresh tokens are JWTs too, `MockOptions::self_contained_tokens`), so
//! it honours the stored session's tokens without any state. Its issuer is its address,
//! so it differs from one command to the next: each command compares issuers (RFC 9207
//! `iss`, an ID token's `iss`) with the issuer of the emulator it runs with, which is the
//! one that signed what comes back; the session's stored `issuer` is the first
//! emulator's. The emulator itself (`mock`) shares no code with the client; this is the
//! glue that points a provider at it and, with no browser, follows the authorization URL
//! as a browser would.

use std::path::Path;

use crate::error::Result;
use crate::http::{Http, HttpRequest};
use crate::mock::{self, MockHandle, MockOptions};
use crate::provider::{config, discovery, Provider, ProviderSpec};

/// How a command starts the demo's emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// A login starts it: with a consent page for a browser, else approving at once.
    Login { auto_approve: bool },
    /// Any later command: the emulator is started again for it (approving at once), and
    /// honours the stored session's tokens, which an earlier emulator signed.
    Restart,
}

/// The running emulator of the demo and the provider settings that point at it.
#[derive(Debug)]
pub struct Demo {
    handle: MockHandle,
    spec: ProviderSpec,
    start: Start,
}

impl Demo {
    /// Starts the emulator of kind `kind`: a fixed client (the mock's default one), its
    /// fixed test keys, and self-contained tokens, so that the tokens of an earlier
    /// emulator still work. Its client secret, if any, is registered as a secret of this
    /// process's output.
    pub async fn start(http: &Http, kind: &str, start: Start) -> Result<Demo> {
        let handle = mock::start_in_thread(MockOptions {
            provider: kind.to_string(),
            auto_approve: match start {
                Start::Login { auto_approve } => auto_approve,
                Start::Restart => true,
            },
            self_contained_tokens: true,
            ..Default::default()
        })?;
        let cfg = config::parse(handle.config_toml(), Path::new("(the built-in emulator)"))?;
        let mut spec = cfg.providers.into_values().next().unwrap_or_default();
        spec.redirect_uri = None;
        spec.display_name = None;
        // Its API is the emulator itself: `call -p demo /userinfo`.
        if spec.api_base.is_none() {
            spec.api_base = Some(handle.base_url().to_string());
        }
        if let Some(s) = &spec.client_secret {
            if let Ok(mut r) = http.redactor().lock() {
                r.add_value(s);
            }
        }
        let issuer = spec
            .issuer
            .clone()
            .unwrap_or_else(|| handle.base_url().to_string());
        let doc = discovery::fetch(http, &issuer, None).await?;
        let spec = ProviderSpec::from_discovery(&doc.document).overlay(&spec);
        Ok(Demo {
            handle,
            spec,
            start,
        })
    }

    /// Points `provider` at the emulator: its client, and its endpoints from its
    /// discovery document. The redirect URI stays a free loopback port (the emulator
    /// accepts any, RFC 8252).
    pub fn apply(&self, provider: &mut Provider) {
        provider.spec = provider.spec.overlay(&self.spec);
    }

    /// What to tell the user about the running emulator (one line).
    pub fn banner(&self) -> String {
        match self.start {
            Start::Login { .. } => banner(&self.handle),
            Start::Restart => format!(
                "Demo: the built-in emulator restarted in-process at {} (it honours the tokens its predecessor signed)",
                self.handle.base_url()
            ),
        }
    }
}

/// Starts the emulator of kind `kind` and points `provider` at it (see [`Demo`]).
pub async fn start(
    http: &Http,
    provider: &mut Provider,
    kind: &str,
    auto_approve: bool,
) -> Result<MockHandle> {
    let demo = Demo::start(http, kind, Start::Login { auto_approve }).await?;
    demo.apply(provider);
    Ok(demo.handle)
}

/// What to tell the user about the running demo.
pub fn banner(handle: &MockHandle) -> String {
    format!(
        "Demo: the built-in emulator of an OpenID provider is serving at {} (its keys are public test keys; the session is a throw-away)",
        handle.base_url()
    )
}

/// The demo's stand-in for a browser: follows the authorization URL's redirects (on
/// loopback only) until the redirect reaches the listener.
pub async fn follow(http: &Http, url: String) {
    let mut next = url;
    for _ in 0..5 {
        let Ok(u) = url::Url::parse(&next) else {
            return;
        };
        if !matches!(
            u.host_str(),
            Some("127.0.0.1") | Some("localhost") | Some("[::1]")
        ) {
            return;
        }
        let Ok(resp) = http.send(HttpRequest::get(u.clone())).await else {
            return;
        };
        match resp.header("location").map(|loc| u.join(loc)) {
            Some(Ok(n)) => next = n.to_string(),
            _ => return,
        }
    }
}
