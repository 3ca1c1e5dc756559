//! The keys `decode --verify` checks a signature with: a JWKS file or URL (`--jwks`),
//! else the token issuer's (`--iss`, else its `iss` claim) found by discovery, else
//! the `jwks_uri` of the provider given with `-p`.

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
}

/// The keys, loaded once for all the tokens of one input.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    source: KeySource,
    loaded: Option<(Jwks, String)>,
}

impl Keys {
    pub fn new(source: KeySource) -> Keys {
        Keys {
            source,
            loaded: None,
        }
    }

    /// The key set and where it came from, loaded the first time (`jws` names the
    /// issuer when nothing else does).
    pub fn get(&mut self, ctx: &Context, jws: &Jws) -> Result<(&Jwks, &str)> {
        if self.loaded.is_none() {
            self.loaded = Some(load(&self.source, ctx, jws)?);
        }
        let (jwks, from) = self
            .loaded
            .as_ref()
            .ok_or_else(|| Error::internal("the key set was not loaded"))?;
        Ok((jwks, from.as_str()))
    }
}

/// The JWKS and where it came from: `--jwks FILE|URL`, else (without `-p`) the
/// issuer's named by `--iss` or the token, else the `jwks_uri` of the provider.
fn load(source: &KeySource, ctx: &Context, jws: &Jws) -> Result<(Jwks, String)> {
    let rt = ctx.runtime()?;
    let url = if let Some(src) = &source.jwks {
        if !(src.starts_with("http://") || src.starts_with("https://")) {
            let bytes = std::fs::read(src)
                .map_err(|e| Error::input(format!("cannot read the JWKS file {src}: {e}")))?;
            return Ok((Jwks::from_json(&bytes, src)?, src.clone()));
        }
        src.clone()
    } else if let Some(iss) = source
        .iss
        .clone()
        .or_else(|| {
            jws.claims
                .get("iss")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .filter(|_| ctx.global.provider.is_none())
    {
        issuer_jwks_uri(ctx, &iss)?
    } else {
        provider_jwks_uri(ctx)?
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
    Ok((Jwks::from_json(&resp.body, &url)?, url))
}

/// The `jwks_uri` of the issuer's metadata (discovery).
fn issuer_jwks_uri(ctx: &Context, iss: &str) -> Result<String> {
    ctx.ui.info(&format!(
        "Fetching the keys of the token's issuer {iss} (pass --jwks or -p to choose them)"
    ));
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
