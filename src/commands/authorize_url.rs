use serde::Serialize;

use crate::cli::AuthorizeUrlArgs;
use crate::context::Context;
use crate::error::Result;
use crate::flow::par;
use crate::oauth::authorize::{self, AuthorizeOptions};
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::request_object;
use crate::output;
use crate::provider::{Endpoint, ProviderSpec};

/// `authorize-url --json`.
#[derive(Serialize)]
struct AuthorizeUrlReport<'a> {
    provider: &'a str,
    url: &'a str,
    state: &'a str,
    code_verifier: Option<&'a str>,
    code_challenge: Option<&'a str>,
    code_challenge_method: Option<&'static str>,
    /// The OpenID Connect nonce the ID token must carry back (with the `openid` scope).
    nonce: Option<&'a str>,
    redirect_uri: &'a str,
    /// The query parameters, in order, as `[name, value]` pairs (pushed, with `--par`).
    params: &'a [(String, String)],
    /// The server's reference to the pushed request (`--par`, RFC 9126).
    #[serde(skip_serializing_if = "Option::is_none")]
    request_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<u64>,
}

pub fn run(args: &AuthorizeUrlArgs, ctx: &Context) -> Result<()> {
    let flags = ProviderSpec {
        client_id: args.client_id.clone(),
        client_assertion_key: args.client_assertion_key.clone(),
        response_mode: args.response_mode.map(Into::into),
        ..Default::default()
    };
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&flags))?;
    provider.require_endpoint(Endpoint::Authorization)?;
    let client_id = provider.require_client_id()?;
    let redirect_uri = authorize::redirect_uri(&provider, args.redirect_uri.as_deref(), args.port)?;
    if let (Some(schemes), Ok(u)) = (
        &provider.spec.redirect_uri_schemes,
        url::Url::parse(&redirect_uri),
    ) {
        if !schemes.iter().any(|s| s == u.scheme()) {
            ctx.ui.warn(&format!(
                "{} accepts only {} redirect URIs; `{redirect_uri}` will be refused",
                provider.display_name(),
                schemes.join("/")
            ));
        }
    }
    let scopes = crate::provider::scope_flags(&args.scopes);
    let mut req = authorize::build(
        &provider,
        &AuthorizeOptions {
            client_id,
            redirect_uri,
            scopes,
            extra: crate::oauth::rar::with_param(
                args.params.clone(),
                args.authorization_details.as_deref(),
            )?,
        },
    )?;
    if request_object::wanted(&provider, args.jar) {
        let client = ClientCredentials::from_provider(&provider)?;
        request_object::apply(&provider, &client, &mut req, crate::clock::unix_now())?;
    }
    let pushed = if par::wanted(&provider, args.par) {
        let client = ClientCredentials::from_provider(&provider)?;
        let http = ctx.http()?;
        let pushed = rt.block_on(par::push(http, &provider, &client, &mut req));
        Some(pushed.map_err(|e| ctx.redact_error(e))?)
    } else {
        None
    };
    // Remembered (without secrets) so that `exchange` can explain a failure later.
    let flow = crate::support::journal::Flow::new(
        &provider.name,
        &client_id_sent(&req),
        &req.state,
        &req.redirect_uri,
        req.challenge.as_deref(),
        "authorize-url",
    )
    .with_nonce(req.nonce.as_deref());
    if let Err(e) =
        crate::support::journal::Journal::open_default().and_then(|j| j.record_flow(flow))
    {
        ctx.ui.warn(&format!(
            "could not record the flow for `oauthctl exchange`: {}",
            e.message
        ));
    }
    if ctx.global.json {
        return output::json(&AuthorizeUrlReport {
            provider: &provider.name,
            url: req.url.as_str(),
            state: &req.state,
            code_verifier: req.verifier.as_ref().map(|v| v.expose()),
            code_challenge: req.challenge.as_deref(),
            code_challenge_method: req.challenge.as_ref().map(|_| "S256"),
            nonce: req.nonce.as_deref(),
            redirect_uri: &req.redirect_uri,
            params: &req.params,
            request_uri: pushed.as_ref().map(|p| p.request_uri.as_str()),
            expires_in: pushed.as_ref().and_then(|p| p.expires_in),
        });
    }
    output::stdout(&format!("{}\n", req.url))?;
    // The verifier is printed because the user needs it for the exchange step.
    if let Some(v) = &req.verifier {
        eprintln!("code_verifier: {}", v.expose());
    }
    eprintln!("state: {}", req.state);
    if let Some(n) = &req.nonce {
        eprintln!("nonce: {n}");
    }
    eprintln!("redirect_uri: {}", req.redirect_uri);
    if let Some(p) = &pushed {
        let valid = p
            .expires_in
            .map(|s| format!(" (valid for {s} s, once)"))
            .unwrap_or_default();
        eprintln!("request_uri: {}{valid}", p.request_uri);
    }
    Ok(())
}

/// The client_id the URL carries (a `--param client_id=…` wins).
fn client_id_sent(req: &authorize::AuthorizeRequest) -> String {
    req.params
        .iter()
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}
