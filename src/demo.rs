//! The built-in demo: a provider with `emulated_by` (the `demo` preset) is served by the
//! emulator in this process for as long as the command runs. The emulator itself
//! (`mock`) shares no code with the client; this is the glue that points a provider at
//! it and, with no browser, follows the authorization URL as a browser would.

use std::path::Path;

use crate::error::Result;
use crate::http::{Http, HttpRequest};
use crate::mock::{self, MockHandle, MockOptions};
use crate::provider::{config, discovery, Provider, ProviderSpec};

/// Starts the emulator of kind `kind` and points `provider` at it: its client, and its
/// endpoints from its discovery document. The redirect URI stays a free loopback port
/// (the emulator accepts any, RFC 8252). Its client secret, if any, is registered as a
/// secret of this process's output.
pub async fn start(
    http: &Http,
    provider: &mut Provider,
    kind: &str,
    auto_approve: bool,
) -> Result<MockHandle> {
    let handle = mock::start_in_thread(MockOptions {
        provider: kind.to_string(),
        auto_approve,
        ..Default::default()
    })?;
    let cfg = config::parse(handle.config_toml(), Path::new("(the built-in emulator)"))?;
    let mut spec = cfg.providers.into_values().next().unwrap_or_default();
    spec.redirect_uri = None;
    spec.display_name = None;
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
    provider.spec = provider
        .spec
        .overlay(&ProviderSpec::from_discovery(&doc.document))
        .overlay(&spec);
    Ok(handle)
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
