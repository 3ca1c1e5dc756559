//! The keys `decode --verify` checks a signature with, only from a source the user
//! trusts: a JWKS file or URL (`--jwks`), the `jwks_uri` of the provider given with
//! `-p`, or the issuer named by `--iss` (found by discovery). Never from the token's own
//! `iss` claim (anyone can mint a token naming their own server), unless
//! `--trust-token-issuer` says so, and then the verdict says "issuer not pinned".

use serde_json::Value;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::jwt::{Jwks, Jws};
use crate::provider::{discovery, ProviderSpec};

/// Where the keys come from, as the command line said.
#[derive(Debug, Clone, Default)]
pub struct KeySource {
    /// `--jwks FILE|URL`.
    pub jwks: Option<String>,
    /// `--iss`: the issuer whose keys to fetch (and that the token must name).
    pub iss: Option<String>,
    /// `-p NAME` was given: its `jwks_uri`.
    pub provider: bool,
    /// `--trust-token-issuer`: without another source, the keys of the token's `iss`.
    pub trust_token_issuer: bool,
}

/// What a verdict says when the keys came from the token's own issuer.
pub const NOT_PINNED: &str = "issuer not pinned: the keys came from the token's own `iss` (--trust-token-issuer); anyone can mint a token naming their own server";

/// The keys, loaded once for all the tokens of one input.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    source: KeySource,
    loaded: Option<(Jwks, String)>,
    unpinned: bool,
}

impl Keys {
    pub fn new(source: KeySource) -> Keys {
        Keys {
            source,
            loaded: None,
            unpinned: false,
        }
    }

    /// Whether the keys came from the token's own issuer (`--trust-token-issuer`).
    pub fn unpinned(&self) -> bool {
        self.unpinned
    }

    /// The key set and where it came from, loaded the first time (`jws` names the
    /// issuer when nothing else does).
    pub fn get(&mut self, ctx: &Context, jws: &Jws) -> Result<(&Jwks, &str)> {
        if self.loaded.is_none() {
            let (jwks, from, unpinned) = load(&self.source, ctx, jws)?;
            self.unpinned = unpinned;
            self.loaded = Some((jwks, from));
        }
        let (jwks, from) = self
            .loaded
            .as_ref()
            .ok_or_else(|| Error::internal("the key set was not loaded"))?;
        Ok((jwks, from.as_str()))
    }
}

/// The JWKS and where it came from: `--jwks FILE|URL`, else the `jwks_uri` of the
/// provider of `-p`, else the issuer's named by `--iss`, else (only with
/// `--trust-token-issuer`) the issuer's named by the token; otherwise a refusal.
fn load(source: &KeySource, ctx: &Context, jws: &Jws) -> Result<(Jwks, String, bool)> {
    let rt = ctx.runtime()?;
    let mut unpinned = false;
    let url = if let Some(src) = &source.jwks {
        if !(src.starts_with("http://") || src.starts_with("https://")) {
            let bytes = std::fs::read(src)
                .map_err(|e| Error::input(format!("cannot read the JWKS file {src}: {e}")))?;
            return Ok((Jwks::from_json(&bytes, src)?, src.clone(), false));
        }
        src.clone()
    } else if source.provider {
        provider_jwks_uri(ctx)?
    } else if let Some(iss) = &source.iss {
        issuer_jwks_uri(ctx, iss, "the issuer given with --iss,")?
    } else if source.trust_token_issuer {
        let iss = jws
            .claims
            .get("iss")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                Error::input("no keys to verify with: the token has no `iss`")
                    .with_hint("pass --jwks FILE|URL, -p NAME or --iss URL")
            })?;
        unpinned = true;
        ctx.ui.warn(&format!(
            "issuer not pinned: trusting the keys of the token's own issuer {iss} (--trust-token-issuer); anyone can mint a token naming their own server"
        ));
        issuer_jwks_uri(ctx, iss, "the token's issuer")?
    } else {
        return Err(Error::usage(
            "--verify needs keys from a source you trust: the token cannot vouch for itself",
        )
        .with_hint(
            "pass --jwks FILE|URL, -p NAME (its jwks_uri) or --iss URL (the issuer you trust); --trust-token-issuer fetches the keys of the token's own `iss` (anyone can mint such a token)",
        ));
    };
    let parsed = url::Url::parse(&url)
        .map_err(|e| Error::input(format!("JWKS URL `{url}` is not a URL: {e}")))?;
    let resp = rt.block_on(ctx.http()?.send(HttpRequest::get(parsed)))?;
    if !resp.is_success() {
        return Err(Error::server(format!(
            "the JWKS at {url} answered HTTP {}",
            resp.status
        )));
    }
    Ok((Jwks::from_json(&resp.body, &url)?, url, unpinned))
}

/// The `jwks_uri` of the issuer's metadata (discovery).
fn issuer_jwks_uri(ctx: &Context, iss: &str, whose: &str) -> Result<String> {
    ctx.ui.info(&format!("Fetching the keys of {whose} {iss}"));
    let (d, _) = ctx.runtime()?.block_on(discovery::load(
        ctx.http()?,
        iss,
        None,
        ctx.discovery_ttl()?,
    ))?;
    d.document
        .get("jwks_uri")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::server(format!("the metadata of {iss} has no jwks_uri")))
}

/// The `jwks_uri` of the provider given with `-p`.
fn provider_jwks_uri(ctx: &Context) -> Result<String> {
    let p = ctx
        .runtime()?
        .block_on(ctx.provider(&ProviderSpec::default()))
        .map_err(|e| {
            if e.message == "no provider given" {
                Error::input("no keys to verify with: the token has no `iss`")
                    .with_hint("pass --jwks FILE|URL or -p NAME")
            } else {
                e
            }
        })?;
    p.spec.jwks_uri.clone().ok_or_else(|| {
        Error::input(format!("provider `{}` has no jwks_uri", p.name))
            .with_hint("pass --jwks FILE|URL, or set jwks_uri (or issuer) for the provider")
    })
}
