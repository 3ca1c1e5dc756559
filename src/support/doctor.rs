//! `oauthctl doctor`: every check that can be made without a login, each one a line
//! (ok, warn, fail or skip) with what was found and what to do.
//!
//! Discovery (when an issuer is set), the endpoints, TLS, the clock against the server's
//! `Date` header, the client's credentials, the client authentication method against the
//! methods the server supports, PKCE, the redirect URI's scheme, and the preflight (the
//! authorization request sent by oauthctl itself). A failing check says who fixes it:
//! the user's own settings ([`Side::Local`]) or the server and what is registered there
//! ([`Side::Server`]).
//!
//! This module never prints: it returns a [`Report`].

mod grants;
mod mtls;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use reqwest::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::clock::parse_http_date;
use crate::error::Result;
use crate::http::{Http, HttpRequest};
use crate::oauth::authorize::{self, AuthorizeOptions};
use crate::oauth::client_auth::{self, ClientCredentials};
use crate::oauth::error::OAuthError;
use crate::provider::{discovery, ClientAuth, ExpiresIn, Pkce, Provider, ProviderSpec};
use crate::support::preflight::{self, Verdict};

/// Clock differences larger than this are reported.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Warn,
    Fail,
    Skip,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// Who fixes a failing check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The user's own settings: config file, environment, flags.
    Local,
    /// The server, or what is registered for the client there.
    Server,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    /// One line: what was found.
    pub summary: String,
    /// More lines: the server's words, the fixes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
}

impl Check {
    fn new(name: &'static str, status: Status, summary: impl Into<String>) -> Check {
        Check {
            name,
            status,
            summary: summary.into(),
            details: Vec::new(),
            side: None,
        }
    }
    fn ok(name: &'static str, summary: impl Into<String>) -> Check {
        Check::new(name, Status::Ok, summary)
    }
    fn warn(name: &'static str, summary: impl Into<String>) -> Check {
        Check::new(name, Status::Warn, summary)
    }
    fn skip(name: &'static str, summary: impl Into<String>) -> Check {
        Check::new(name, Status::Skip, summary)
    }
    fn fail(name: &'static str, side: Side, summary: impl Into<String>) -> Check {
        let mut c = Check::new(name, Status::Fail, summary);
        c.side = Some(side);
        c
    }
    fn detail(mut self, d: impl Into<String>) -> Check {
        self.details.push(d.into());
        self
    }
}

/// The checks, in display order.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub provider: String,
    pub display_name: String,
    pub checks: Vec<Check>,
}

impl Report {
    pub fn failed(&self) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .collect()
    }
    pub fn warnings(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Warn)
            .count()
    }
    /// 0 when nothing failed; 3 when a failure is in the user's own settings (fix those
    /// first); 5 when every failure is on the server's side.
    pub fn exit_code(&self) -> u8 {
        let failed = self.failed();
        if failed.is_empty() {
            0
        } else if failed.iter().any(|c| c.side == Some(Side::Local)) {
            3
        } else {
            5
        }
    }
    pub fn get(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// What the doctor checks besides the provider's settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The redirect URI to check instead of the configured one.
    pub redirect_uri: Option<String>,
    pub port: Option<u16>,
    pub scopes: Option<Vec<String>>,
    /// Extra authorization request parameters.
    pub params: Vec<(String, String)>,
    /// `--cacert` and `--insecure`, to say which roots verified the certificates.
    pub cacert: Option<PathBuf>,
    pub insecure: bool,
    pub max_skew: Duration,
}

/// Turns a discovery layer into the provider (preset ⊕ discovery ⊕ config ⊕ env ⊕ flags).
pub type Layer<'a> = &'a dyn Fn(Option<&ProviderSpec>) -> Result<Provider>;

/// Runs every check. Only a failure to build the provider from its layers is an error;
/// everything the server does is a check's result.
pub async fn run(http: &Http, base: Provider, layer: Layer<'_>, opts: &Options) -> Report {
    let mut report = Report {
        provider: base.name.clone(),
        display_name: base.display_name().to_string(),
        checks: Vec::new(),
    };
    let (discovery_check, provider, doc) = check_discovery(http, base, layer).await;
    let endpoints = check_endpoints(&provider, doc.is_some());
    let client = check_client(&provider);
    let (redirect_check, redirect_uri) = check_redirect(&provider, opts);
    let probe = if advertised_elsewhere(&provider) {
        probe_client_auth(http, &provider, redirect_uri.as_deref()).await
    } else {
        None
    };
    let client_auth = check_client_auth(&provider, doc.as_ref(), probe.as_ref());
    let pkce = check_pkce(&provider, doc.as_ref());
    let request = check_request(&provider, doc.as_ref());
    let preflight = if (provider.requires_par() || provider.requires_jar())
        && request.as_ref().is_none_or(|c| c.status != Status::Fail)
    {
        Check::skip(
            "preflight",
            "the authorization request is pushed or signed as the server requires (see authorization_request): login sends it so",
        )
    } else {
        check_preflight(http, &provider, redirect_uri, opts).await
    };
    let reach = probe_token_endpoint(http, &provider).await;
    let exchanges = http.exchanges();
    let tls = check_tls(&provider, &exchanges, opts);
    let clock = check_clock(&provider, &exchanges, opts.max_skew);
    report.checks = vec![
        discovery_check,
        merge_reach(endpoints, reach),
        tls,
        clock,
        client,
        client_auth,
        pkce,
    ];
    report.checks.extend(request);
    report.checks.extend(mtls::check(&provider, doc.as_ref()));
    report.checks.extend(check_dpop(&provider, doc.as_ref()));
    report.checks.extend(check_response_mode(&provider));
    report.checks.extend(grants::check(&provider));
    report.checks.extend([redirect_check, preflight]);
    report
}

async fn check_discovery(
    http: &Http,
    base: Provider,
    layer: Layer<'_>,
) -> (Check, Provider, Option<Map<String, Value>>) {
    const NAME: &str = "discovery";
    let Some(issuer) = base.spec.issuer.clone() else {
        if base.spec.requires_issuer == Some(true) {
            let ex = base
                .spec
                .issuer_example
                .clone()
                .unwrap_or_else(|| "https://HOST/".into());
            let c = Check::fail(
                NAME,
                Side::Local,
                format!(
                    "{} is self-hosted and no issuer is set, so its endpoints are unknown",
                    base.display_name()
                ),
            )
            .detail(format!(
                "set `issuer = \"{ex}\"` in the [providers.{}] table of the config file (or OAUTHCTL_{}_ISSUER)",
                base.name,
                crate::provider::env_prefix(&base.name)
            ));
            return (c, base, None);
        }
        let c = Check::skip(
            NAME,
            "no issuer set: the endpoints come from the preset and the config file",
        );
        return (c, base, None);
    };
    if base.spec.discovery == Some(false) {
        let c = Check::skip(NAME, format!("discovery = false for issuer {issuer}"));
        return (c, base, None);
    }
    match discovery::fetch(http, &issuer, base.spec.discovery_path.as_deref()).await {
        Ok(d) => {
            let disc = ProviderSpec::from_discovery(&d.document);
            match layer(Some(&disc)) {
                Ok(mut p) => {
                    p.discovered_from = Some(d.url.clone());
                    let c = Check::ok(
                        NAME,
                        format!(
                            "{} at {} is valid ({} fields, issuer matches)",
                            d.kind.describe(),
                            d.url,
                            d.document.len()
                        ),
                    );
                    (c, p, Some(d.document))
                }
                Err(e) => {
                    let mut c = Check::fail(
                        NAME,
                        Side::Server,
                        format!("the document at {} cannot be used: {}", d.url, e.message),
                    );
                    if let Some(h) = e.hint {
                        c = c.detail(h);
                    }
                    (c, base, None)
                }
            }
        }
        Err(e) => {
            let mut c = Check::fail(NAME, Side::Server, e.message.clone());
            if let Some(h) = e.hint {
                c = c.detail(h);
            }
            (c, base, None)
        }
    }
}

fn is_loopback_host(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn check_endpoints(provider: &Provider, discovered: bool) -> Check {
    const NAME: &str = "endpoints";
    let mut found = Vec::new();
    let mut problems: Vec<(Side, String)> = Vec::new();
    let mut plain = Vec::new();
    for key in ["authorization_endpoint", "token_endpoint"] {
        match provider.spec.get_str(key) {
            None => {
                let side = if discovered {
                    Side::Server
                } else {
                    Side::Local
                };
                let why = if discovered {
                    "the discovery document does not name it".to_string()
                } else {
                    format!(
                        "set `{key}` (or `issuer`) in the [providers.{}] table",
                        provider.name
                    )
                };
                problems.push((side, format!("no {key}: {why}")));
            }
            Some(v) => match url::Url::parse(&v) {
                Ok(u) => {
                    if u.scheme() == "http" && !is_loopback_host(&u) {
                        plain.push(format!("{key} {v}"));
                    }
                    found.push(format!("{}: {v}", key.trim_end_matches("_endpoint")));
                }
                Err(e) => problems.push((Side::Local, format!("{key} `{v}` is not a URL: {e}"))),
            },
        }
    }
    if !problems.is_empty() {
        let side = if problems.iter().any(|(s, _)| *s == Side::Local) {
            Side::Local
        } else {
            Side::Server
        };
        let mut c = Check::fail(
            NAME,
            side,
            problems
                .iter()
                .map(|(_, p)| p.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        );
        if let Some(h) = &provider.spec.issuer_example {
            if provider.spec.issuer.is_none() {
                c = c.detail(format!("the provider's issuer looks like {h}"));
            }
        }
        return c;
    }
    if !plain.is_empty() {
        return Check::warn(
            NAME,
            format!(
                "plain http to a host that is not this machine: {} (codes and tokens would cross the network unencrypted)",
                plain.join(", ")
            ),
        )
        .detail("use the https URLs of the provider");
    }
    Check::ok(NAME, found.join("; "))
}

/// Whether the token endpoint answers at all (a HEAD: any HTTP status will do).
/// `None` when it was not probed (no token endpoint).
async fn probe_token_endpoint(http: &Http, provider: &Provider) -> Option<Result<u16>> {
    let url = url::Url::parse(&provider.spec.token_endpoint.clone()?).ok()?;
    let req = HttpRequest::new(Method::HEAD, url).header("Accept", "application/json");
    Some(http.send(req).await.map(|r| r.status))
}

fn merge_reach(endpoints: Check, reach: Option<Result<u16>>) -> Check {
    match (endpoints.status, reach) {
        (Status::Fail, _) | (_, None) | (_, Some(Ok(_))) => endpoints,
        (_, Some(Err(e))) => {
            let tls = e.message.contains("TLS");
            let mut c = Check::fail(
                "endpoints",
                Side::Server,
                format!("the token endpoint cannot be reached: {}", e.message),
            );
            if tls {
                c = c.detail("see the tls check");
            } else if let Some(h) = e.hint {
                c = c.detail(h);
            }
            c
        }
    }
}

fn origin_of(u: &str) -> Option<String> {
    url::Url::parse(u)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

fn check_tls(provider: &Provider, exchanges: &[crate::http::Exchange], opts: &Options) -> Check {
    const NAME: &str = "tls";
    let mut origins: Vec<String> = Vec::new();
    for key in ["issuer", "authorization_endpoint", "token_endpoint"] {
        if let Some(o) = provider.spec.get_str(key).as_deref().and_then(origin_of) {
            if o.starts_with("https://") && !origins.contains(&o) {
                origins.push(o);
            }
        }
    }
    if origins.is_empty() {
        return Check::skip(NAME, "no https endpoint: nothing to check");
    }
    let roots = match (&opts.cacert, opts.insecure) {
        (_, true) => String::new(),
        (Some(f), false) => format!(
            "the built-in and system roots plus the CA in --cacert {}",
            f.display()
        ),
        (None, false) => "the built-in (Mozilla) and system roots".to_string(),
    };
    let mut ok = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    let mut untested = Vec::new();
    for o in &origins {
        let mine: Vec<&crate::http::Exchange> = exchanges
            .iter()
            .filter(|x| x.request.url.origin().ascii_serialization() == *o)
            .collect();
        if mine.iter().any(|x| x.response.is_some()) {
            ok.push(o.clone());
        } else if let Some(err) = mine
            .iter()
            .filter_map(|x| x.error.clone())
            .find(|e| e.contains("TLS"))
        {
            failed.push(err);
        } else {
            untested.push(o.clone());
        }
    }
    if !failed.is_empty() {
        return Check::fail(NAME, Side::Server, failed.join("; ")).detail(if opts.cacert.is_some() {
            "the certificate chain does not end in a CA of --cacert or the system: check that the file holds the server's CA (not the server's own certificate)"
        } else {
            "if the server uses a private CA, pass its certificate with --cacert FILE; if the name or dates are wrong, the server's certificate must be fixed"
        });
    }
    if opts.insecure {
        return Check::warn(
            NAME,
            format!(
                "connected to {}, but certificates were NOT verified (--insecure)",
                ok.join(", ")
            ),
        )
        .detail("drop --insecure (and pass --cacert FILE for a private CA) to check the chain");
    }
    if ok.is_empty() {
        return Check::skip(
            NAME,
            format!(
                "no connection to {} got as far as TLS (see endpoints and preflight)",
                untested.join(", ")
            ),
        );
    }
    Check::ok(
        NAME,
        format!(
            "handshake and certificate chain verified for {} against {roots}",
            ok.join(", ")
        ),
    )
}

/// Seconds the server's clock is ahead of this machine's (negative: behind), from one
/// exchange: the server wrote `Date` between sending and receiving, so the middle of
/// the exchange is compared with the middle of the `Date` second.
fn skew_secs(x: &crate::http::Exchange) -> Option<f64> {
    let resp = x.response.as_ref()?;
    let date = parse_http_date(resp.header("date")?)?;
    let mid = x.started + x.elapsed / 2;
    let server = date.duration_since(UNIX_EPOCH).ok()?.as_secs_f64() + 0.5;
    let local = mid.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
    Some(server - local)
}

fn words_secs(s: f64) -> String {
    let a = s.abs().round() as u64;
    if a < 120 {
        format!("{a} s")
    } else {
        let d = crate::duration::human(Duration::from_secs(a));
        let rest = a % 60;
        if a < 7200 && rest != 0 {
            format!("{} min {rest} s", a / 60)
        } else {
            d
        }
    }
}

fn check_clock(provider: &Provider, exchanges: &[crate::http::Exchange], max: Duration) -> Check {
    const NAME: &str = "clock";
    let mut by_host: BTreeMap<String, f64> = BTreeMap::new();
    for x in exchanges {
        if let Some(s) = skew_secs(x) {
            let host = x.request.url.host_str().unwrap_or("").to_string();
            let e = by_host.entry(host).or_insert(s);
            if s.abs() > e.abs() {
                *e = s;
            }
        }
    }
    let Some((host, skew)) = by_host
        .iter()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
        .map(|(h, s)| (h.clone(), *s))
    else {
        return Check::skip(NAME, "no answer carried a Date header to compare with");
    };
    let ahead = if skew >= 0.0 { "ahead of" } else { "behind" };
    if skew.abs() <= max.as_secs_f64() {
        return Check::ok(
            NAME,
            format!(
                "{host}'s clock (Date header) is within {} of this machine's",
                words_secs(skew.abs().max(1.0))
            ),
        );
    }
    let mut c = Check::warn(
        NAME,
        format!(
            "{host}'s clock (Date header) is {} {ahead} this machine's (more than {})",
            words_secs(skew),
            words_secs(max.as_secs_f64())
        ),
    )
    .detail("JWT checks (exp, nbf, iat of ID tokens and JWT access tokens) and expiry times will be off by as much; servers refuse client assertions and DPoP proofs from a skewed clock");
    if provider.spec.expires_in_format == Some(ExpiresIn::Absolute) {
        c = c.detail(format!(
            "{} gives expiry as an absolute time, so tokens will look {} than they are",
            provider.display_name(),
            if skew >= 0.0 {
                "longer-lived"
            } else {
                "shorter-lived"
            }
        ));
    }
    c.detail(
        "check this machine's time (`date -u`, NTP); if it is right, the server's clock is off",
    )
}

fn check_client(provider: &Provider) -> Check {
    const NAME: &str = "client";
    let Some(id) = provider.spec.client_id.clone() else {
        let mut c = Check::fail(NAME, Side::Local, "no client_id is configured").detail(format!(
            "set `client_id` in the [providers.{}] table of the config file, or OAUTHCTL_{}_CLIENT_ID, or pass --client-id",
            provider.name,
            crate::provider::env_prefix(&provider.name)
        ));
        if let Some(h) = &provider.spec.registration_hint {
            c = c.detail(h.clone());
        }
        return c;
    };
    let method = provider.auth_method();
    let secret = provider.client_secret();
    let source = match (
        &provider.spec.client_secret_env,
        &provider.spec.client_secret,
    ) {
        (Some(var), _) if std::env::var(var).is_ok_and(|v| !v.is_empty()) => {
            format!("from ${var}")
        }
        (_, Some(_)) if provider.spec.emulated_by.is_some() => {
            "from the built-in emulator".to_string()
        }
        (_, Some(_)) => "from the config file".to_string(),
        _ => String::new(),
    };
    if provider.needs_client_secret() && secret.is_none() {
        let why = match &provider.spec.client_secret_env {
            Some(var) => format!("client_secret_env names ${var}, which is not set"),
            None => "no client secret is configured".to_string(),
        };
        return Check::fail(
            NAME,
            Side::Local,
            format!("client_id `{id}`, but {why}, and {method} needs one"),
        )
        .detail(format!(
            "set `client_secret_env = \"VAR\"` (or `client_secret`) in the [providers.{}] table, or OAUTHCTL_{}_CLIENT_SECRET",
            provider.name,
            crate::provider::env_prefix(&provider.name)
        ));
    }
    if method == ClientAuth::None && secret.is_some() {
        return Check::warn(
            NAME,
            format!(
                "client_id `{id}`; a client secret is configured ({source}) but token_endpoint_auth_method is none, so it is never sent"
            ),
        )
        .detail(format!(
            "if this is a confidential client, set token_endpoint_auth_method in the [providers.{}] table",
            provider.name
        ));
    }
    if secret.is_some() {
        Check::ok(
            NAME,
            format!("client_id `{id}`; client secret set ({source})"),
        )
    } else {
        Check::ok(NAME, format!("client_id `{id}`; public client (no secret)"))
    }
}

/// Where a metadata value came from: the discovery document, else the preset or config.
fn source_of(key: &str, doc: Option<&Map<String, Value>>, provider: &Provider) -> String {
    if doc.is_some_and(|d| d.contains_key(key)) {
        "advertised in the discovery document".to_string()
    } else if crate::provider::presets().is_ok_and(|presets| {
        presets
            .get(&provider.name)
            .is_some_and(|p| p.to_map().contains_key(key))
    }) {
        format!("documented in {}'s guide", provider.display_name())
    } else {
        "from the config file".to_string()
    }
}

/// What a token request authenticated as configured got, with a made-up code.
#[derive(Debug, Clone, PartialEq)]
enum Probe {
    /// Past client authentication: the server judged the code (the error it answered).
    Accepted(String),
    /// Refused for the client's authentication (the server's words).
    Refused(String),
}

/// Whether the configured method is missing from the advertised ones (then the doctor
/// tries it: metadata is advisory).
fn advertised_elsewhere(provider: &Provider) -> bool {
    provider
        .spec
        .token_endpoint_auth_methods_supported
        .as_ref()
        .is_some_and(|m| !m.is_empty() && !m.iter().any(|x| x == provider.auth_method().as_str()))
}

/// Tries the configured client authentication: an authorization-code token request
/// with a made-up code. `invalid_client` (or a 401) refuses the client; any other
/// answer means the client got past authentication. `None` when it cannot be tried.
async fn probe_client_auth(
    http: &Http,
    provider: &Provider,
    redirect_uri: Option<&str>,
) -> Option<Probe> {
    let endpoint = provider.spec.token_endpoint.clone()?;
    let client = ClientCredentials::from_provider(provider).ok()?;
    let mut params: Vec<(String, String)> = vec![
        ("grant_type".into(), "authorization_code".into()),
        ("code".into(), "oauthctl-doctor-probe".into()),
    ];
    if let Some(r) = redirect_uri {
        params.push(("redirect_uri".into(), r.to_string()));
    }
    if provider.uses_pkce() {
        params.push((
            "code_verifier".into(),
            "oauthctl-doctor-probe-oauthctl-doctor-probe-0".into(),
        ));
    }
    let req = client_auth::build_request(provider, &endpoint, &params, &client).ok()?;
    let resp = http.send(req).await.ok()?;
    let e = OAuthError::parse(provider, &resp);
    if e.error == "invalid_client" || resp.status == 401 {
        Some(Probe::Refused(e.to_string()))
    } else {
        Some(Probe::Accepted(e.error))
    }
}

fn check_client_auth(
    provider: &Provider,
    doc: Option<&Map<String, Value>>,
    probe: Option<&Probe>,
) -> Check {
    const NAME: &str = "client_auth";
    const SUPPORTED_BY_OAUTHCTL: &[&str] = &[
        "none",
        "client_secret_basic",
        "client_secret_post",
        "client_secret_query",
    ];
    let method = provider.auth_method();
    let key = "token_endpoint_auth_methods_supported";
    let Some(supported) = provider
        .spec
        .token_endpoint_auth_methods_supported
        .clone()
        .filter(|s| !s.is_empty())
    else {
        return Check::ok(
            NAME,
            format!(
                "{method} configured; the server does not advertise {key} (RFC 8414's default is client_secret_basic)"
            ),
        );
    };
    let from = source_of(key, doc, provider);
    if supported.iter().any(|m| m == method.as_str()) {
        return Check::ok(
            NAME,
            format!(
                "{method}, which the server accepts ({from}: {})",
                supported.join(", ")
            ),
        );
    }
    let usable: Vec<&String> = supported
        .iter()
        .filter(|m| SUPPORTED_BY_OAUTHCTL.contains(&m.as_str()))
        .collect();
    let display = provider.display_name();
    let refused = match probe {
        Some(Probe::Refused(words)) => words.clone(),
        Some(Probe::Accepted(error)) => {
            return Check::warn(
                NAME,
                format!(
                    "{method} is configured and {display} does not advertise it ({from}: {}), but it accepted it: a token request authenticated with {method} got past client authentication (the made-up code got {error})",
                    supported.join(", ")
                ),
            )
            .detail("metadata is advisory: nothing to change while logins work");
        }
        None => {
            let mut c = Check::warn(
                NAME,
                format!(
                    "{method} is configured and {display} does not advertise it ({from}: {}); the server may still accept it",
                    supported.join(", ")
                ),
            );
            if method == ClientAuth::None && provider.uses_pkce() {
                c = c.detail("most servers accept public clients that use PKCE (oauthctl sends S256) without listing `none`");
            }
            return match usable.first() {
                Some(m) if method != ClientAuth::None => c.detail(format!(
                    "if the token request fails with invalid_client, set `token_endpoint_auth_method = \"{m}\"` in the [providers.{}] table",
                    provider.name
                )),
                _ => c.detail(format!(
                    "if the token request fails with invalid_client, the client must be registered as {display} expects"
                )),
            };
        }
    };
    let mut c = Check::fail(
        NAME,
        Side::Local,
        format!(
            "{method} is configured, but {display} accepts {} only ({from}), and a token request authenticated with {method} was refused: {refused}",
            supported.join(", ")
        ),
    );
    c = match usable.first() {
        Some(m) => c.detail(format!(
            "set `token_endpoint_auth_method = \"{m}\"` in the [providers.{}] table of the config file",
            provider.name
        )),
        None => c.detail(format!(
            "oauthctl authenticates clients with {} only; none of them is accepted by this server",
            SUPPORTED_BY_OAUTHCTL.join(", ")
        )),
    };
    if method == ClientAuth::None && usable.iter().any(|m| *m != "none") {
        c = c.detail(
            "the server wants a confidential client: configure its secret too (client_secret_env)",
        );
    }
    c
}

fn check_pkce(provider: &Provider, doc: Option<&Map<String, Value>>) -> Check {
    const NAME: &str = "pkce";
    let key = "code_challenge_methods_supported";
    let methods = provider
        .spec
        .code_challenge_methods_supported
        .clone()
        .filter(|m| !m.is_empty());
    let display = provider.display_name();
    if !provider.uses_pkce() {
        return match methods {
            Some(m) if m.iter().any(|x| x == "S256") => Check::warn(
                NAME,
                format!(
                    "PKCE is off (pkce = {}), though S256 is supported ({})",
                    provider.spec.pkce.unwrap_or(Pkce::Unsupported),
                    source_of(key, doc, provider)
                ),
            )
            .detail(format!(
                "set `pkce = \"supported\"` in the [providers.{}] table: PKCE protects the code if it leaks",
                provider.name
            )),
            _ => Check::ok(
                NAME,
                format!("not sent: {display} does not document PKCE (pkce = unsupported)"),
            ),
        };
    }
    let required = if provider.pkce_required() {
        format!(" and required by {display}")
    } else {
        String::new()
    };
    match methods {
        None => Check::ok(
            NAME,
            format!("S256 is sent{required}; the server does not advertise {key} (servers without PKCE ignore it)"),
        ),
        Some(m) if m.iter().any(|x| x == "S256") => Check::ok(
            NAME,
            format!(
                "S256 is sent{required}; supported ({}: {})",
                source_of(key, doc, provider),
                m.join(", ")
            ),
        ),
        Some(m) => Check::warn(
            NAME,
            format!(
                "oauthctl sends S256, but the server supports {} only ({})",
                m.join(", "),
                source_of(key, doc, provider)
            ),
        )
        .detail(format!(
            "if the server does not require PKCE, set `pkce = \"unsupported\"` in the [providers.{}] table; plain PKCE gives no protection",
            provider.name
        )),
    }
}

/// The configured `response_mode` against the server's `response_modes_supported`
/// (a warning when it is not listed); a JWT-secured one (JARM) needs the issuer and its
/// keys. No check when no response mode is configured.
fn check_response_mode(provider: &Provider) -> Option<Check> {
    const NAME: &str = "response_mode";
    let mode = provider.spec.response_mode?.as_str();
    let table = format!("[providers.{}]", provider.name);
    if mode.ends_with("jwt") && (provider.spec.issuer.is_none() || provider.spec.jwks_uri.is_none())
    {
        return Some(
            Check::fail(
                NAME,
                Side::Local,
                format!("response_mode = \"{mode}\" (JARM) needs the issuer and its jwks_uri to verify the response, and this provider lacks one"),
            )
            .detail(format!("set `issuer` (discovery finds jwks_uri) in the {table} table")),
        );
    }
    let Some(supported) = &provider.spec.response_modes_supported else {
        return Some(Check::ok(
            NAME,
            format!(
                "response_mode = \"{mode}\" (the server does not list response_modes_supported)"
            ),
        ));
    };
    if supported.iter().any(|m| m == mode) {
        return Some(Check::ok(
            NAME,
            format!("response_mode = \"{mode}\" is among the server's response_modes_supported"),
        ));
    }
    Some(
        Check::warn(
            NAME,
            format!(
                "response_mode = \"{mode}\" is not among the server's response_modes_supported ({})",
                supported.join(", ")
            ),
        )
        .detail(format!(
            "the server may ignore it or refuse the login: set `response_mode` in the {table} table to one it lists, or drop it"
        )),
    )
}

/// What the server requires of the authorization request (PAR, RFC 9126; signed
/// request objects, RFC 9101) against what this provider will send; no check where
/// neither is required nor a PAR endpoint known.
fn check_request(provider: &Provider, doc: Option<&Map<String, Value>>) -> Option<Check> {
    let relevant = provider.requires_par()
        || provider.requires_jar()
        || provider
            .spec
            .pushed_authorization_request_endpoint
            .is_some()
        || doc.is_some_and(|d| {
            d.contains_key("require_pushed_authorization_requests")
                || d.contains_key("require_signed_request_object")
        });
    relevant.then(|| request_check(provider, doc))
}

fn request_check(provider: &Provider, doc: Option<&Map<String, Value>>) -> Check {
    const NAME: &str = "authorization_request";
    let server = |key: &str| doc.and_then(|d| d.get(key)).and_then(Value::as_bool) == Some(true);
    let (par_server, jar_server) = (
        server("require_pushed_authorization_requests"),
        server("require_signed_request_object"),
    );
    let table = format!("[providers.{}]", provider.name);
    let mut said = Vec::new();
    if par_server && !provider.requires_par() {
        return Check::fail(
            NAME,
            Side::Local,
            "the server requires pushed authorization requests (PAR); this provider will not push (require_pushed_authorization_requests = false in the config)",
        )
        .detail(format!("drop `require_pushed_authorization_requests` from the {table} table, or pass --par"));
    }
    if provider.requires_par() {
        if provider
            .spec
            .pushed_authorization_request_endpoint
            .is_none()
        {
            return Check::fail(
                NAME,
                Side::Local,
                "pushed authorization requests are required, but no pushed_authorization_request_endpoint is known",
            )
            .detail(format!("set `pushed_authorization_request_endpoint` in the {table} table"));
        }
        let who = if par_server {
            "the server requires PAR"
        } else {
            "the config requires PAR"
        };
        said.push(format!("{who}; this provider will push"));
    }
    if jar_server && !provider.requires_jar() {
        return Check::fail(
            NAME,
            Side::Local,
            "the server requires signed request objects (JAR); this provider will not sign (require_signed_request_object = false in the config)",
        )
        .detail(format!("drop `require_signed_request_object` from the {table} table, or pass --jar"));
    }
    if provider.requires_jar() {
        let secret_jwt = provider.auth_method() == crate::provider::ClientAuth::ClientSecretJwt
            && provider.client_secret_configured();
        let who = if jar_server {
            "the server requires signed request objects"
        } else {
            "the config requires signed request objects"
        };
        match (&provider.spec.client_assertion_key, secret_jwt) {
            (_, true) => said.push(format!(
                "{who}; this provider will sign them with HS256 over the client secret"
            )),
            (Some(k), false) => said.push(format!("{who}; this provider will sign them with {k}")),
            (None, false) => {
                return Check::fail(NAME, Side::Local, format!("{who}, but this provider has no key to sign them"))
                    .detail(format!("set `client_assertion_key = \"FILE\"` (an RS256 or ES256 private key in PEM) in the {table} table, or use token_endpoint_auth_method = \"client_secret_jwt\""));
            }
        }
    }
    if said.is_empty() {
        let par = if provider
            .spec
            .pushed_authorization_request_endpoint
            .is_some()
        {
            "; `login --par` can push it"
        } else {
            ""
        };
        return Check::ok(
            NAME,
            format!("neither PAR nor signed request objects are required{par}"),
        );
    }
    Check::ok(NAME, said.join("; "))
}

/// DPoP (RFC 9449): what the server takes or requires (`dpop_signing_alg_values_supported`;
/// `dpop_bound_access_tokens` where its metadata says so) against the config
/// (`dpop_bound_access_tokens`, `dpop_signing_alg`). No check where neither mentions it.
fn check_dpop(provider: &Provider, doc: Option<&Map<String, Value>>) -> Option<Check> {
    const NAME: &str = "dpop";
    let spec = &provider.spec;
    let supported = spec.dpop_signing_alg_values_supported.as_deref();
    let server_requires = doc
        .and_then(|d| d.get("dpop_bound_access_tokens"))
        .and_then(Value::as_bool)
        == Some(true);
    let table = format!("[providers.{}]", provider.name);
    if !provider.wants_dpop() {
        if server_requires {
            return Some(
                Check::fail(
                    NAME,
                    Side::Local,
                    "the server requires DPoP-bound tokens but `dpop_bound_access_tokens` is off",
                )
                .detail(format!(
                    "set `dpop_bound_access_tokens = true` in the {table} table, or log in with --dpop"
                )),
            );
        }
        return supported.map(|algs| {
            Check::ok(
                NAME,
                format!(
                    "the server takes DPoP proofs ({}); `login --dpop` binds the tokens to a key",
                    algs.join(", ")
                ),
            )
        });
    }
    let alg = match crate::oauth::dpop::choose_alg(spec.dpop_signing_alg.as_deref(), supported) {
        Ok(a) => a.as_str(),
        Err(e) => {
            let mut c = Check::fail(NAME, Side::Local, e.message);
            if let Some(h) = e.hint {
                c = c.detail(h);
            }
            return Some(c);
        }
    };
    match supported {
        None => Some(
            Check::warn(
                NAME,
                format!("`dpop_bound_access_tokens` is on ({alg} proofs), but the server does not say it takes DPoP (no dpop_signing_alg_values_supported)"),
            )
            .detail("a server without DPoP ignores the proofs and issues bearer tokens: login warns when the answer's token_type is not DPoP"),
        ),
        Some(algs) if !algs.iter().any(|a| a == alg) => Some(
            Check::fail(
                NAME,
                Side::Local,
                format!(
                    "the configured DPoP algorithm {alg} is not in the server's dpop_signing_alg_values_supported ({})",
                    algs.join(", ")
                ),
            )
            .detail(format!("set `dpop_signing_alg` in the {table} table to one of them, or drop it")),
        ),
        Some(_) => Some(Check::ok(
            NAME,
            format!("tokens will be DPoP-bound, proofs signed with {alg}, which the server takes"),
        )),
    }
}

fn check_redirect(provider: &Provider, opts: &Options) -> (Check, Option<String>) {
    const NAME: &str = "redirect_uri";
    let uri = match authorize::redirect_uri(provider, opts.redirect_uri.as_deref(), opts.port) {
        Ok(u) => u,
        Err(e) => {
            let mut c = Check::fail(NAME, Side::Local, e.message);
            if let Some(h) = e.hint {
                c = c.detail(h);
            }
            return (c, None);
        }
    };
    let chosen = if opts.redirect_uri.is_some() || provider.spec.redirect_uri.is_some() {
        ""
    } else if opts.port.is_some() {
        " (loopback, on the port given with --port)"
    } else {
        " (a free loopback port, chosen anew by each login: the server must accept any port for loopback URIs, RFC 8252 §7.3, or pass --port with the registered one)"
    };
    let Ok(parsed) = url::Url::parse(&uri) else {
        return (
            Check::fail(NAME, Side::Local, format!("`{uri}` is not a URL")),
            None,
        );
    };
    if let Some(schemes) = &provider.spec.redirect_uri_schemes {
        if !schemes.iter().any(|s| s == parsed.scheme()) {
            let c = Check::fail(
                NAME,
                Side::Local,
                format!(
                    "`{uri}` is {}, but {} accepts only {} redirect URIs",
                    parsed.scheme(),
                    provider.display_name(),
                    schemes.join("/")
                ),
            )
            .detail(format!(
                "register an {} URI with {} and set `redirect_uri` to it in the [providers.{}] table (login then asks you to paste the URL you land on)",
                schemes.join("/"),
                provider.display_name(),
                provider.name
            ));
            return (c, Some(uri));
        }
    }
    if parsed.scheme() == "http" && !is_loopback_host(&parsed) {
        let c = Check::warn(
            NAME,
            format!("`{uri}` is plain http to another host: the code would cross the network unencrypted"),
        )
        .detail("use https, or a loopback URI (http://127.0.0.1:PORT/…)");
        return (c, Some(uri));
    }
    let allowed = provider
        .spec
        .redirect_uri_schemes
        .as_ref()
        .map(|s| format!(" ({} allowed)", s.join("/")))
        .unwrap_or_default();
    (
        Check::ok(NAME, format!("`{uri}`{allowed}{chosen}")),
        Some(uri),
    )
}

async fn check_preflight(
    http: &Http,
    provider: &Provider,
    redirect_uri: Option<String>,
    opts: &Options,
) -> Check {
    const NAME: &str = "preflight";
    let mut missing = Vec::new();
    if provider.spec.authorization_endpoint.is_none() {
        missing.push("authorization_endpoint");
    }
    if provider.spec.client_id.is_none() {
        missing.push("client_id");
    }
    if redirect_uri.is_none() {
        missing.push("a redirect URI");
    }
    let (Some(client_id), Some(redirect_uri), true) = (
        provider.spec.client_id.clone(),
        redirect_uri,
        missing.is_empty(),
    ) else {
        return Check::skip(NAME, format!("needs {} (see above)", missing.join(", ")));
    };
    let request = match authorize::build(
        provider,
        &AuthorizeOptions {
            client_id,
            redirect_uri,
            scopes: opts.scopes.clone(),
            extra: opts.params.clone(),
        },
    ) {
        Ok(r) => r,
        Err(e) => {
            let mut c = Check::fail(NAME, Side::Local, e.message);
            if let Some(h) = e.hint {
                c = c.detail(h);
            }
            return c;
        }
    };
    match preflight::run(http, provider, &request).await {
        Ok(p) => from_preflight(&p),
        // The same judgement as login's: what cannot be told is a warning.
        Err(e) => {
            let mut c = Check::warn(
                NAME,
                format!(
                    "the authorization endpoint did not answer from here: {} (a browser may still reach it)",
                    e.message
                ),
            );
            if let Some(h) = e.hint {
                c = c.detail(h);
            }
            c
        }
    }
}

/// The preflight as a doctor line.
pub fn from_preflight(p: &preflight::Preflight) -> Check {
    const NAME: &str = "preflight";
    let mut c = match p.verdict {
        Verdict::Accepted => Check::ok(NAME, p.summary.clone()),
        Verdict::Unclear => Check::warn(NAME, p.summary.clone()),
        Verdict::Rejected => Check::fail(NAME, Side::Server, p.summary.clone()),
    };
    if p.verdict != Verdict::Accepted {
        if let Some(d) = &p.description {
            c = c.detail(format!("the server said: {d}"));
        }
        c.details.extend(p.fixes.iter().cloned());
    }
    if p.verdict == Verdict::Unclear {
        c = c.detail(format!("the server answered: {}", p.seen)).detail(
            "a login goes on to the browser; it stops at the preflight only on a proven refusal",
        );
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::{presets, Origin};

    fn provider(name: &str, f: impl FnOnce(&mut ProviderSpec)) -> Provider {
        let mut spec = presets().unwrap().remove(name).unwrap_or_default();
        spec.client_id = Some("cid".into());
        f(&mut spec);
        Provider {
            name: name.into(),
            origin: Origin::Preset,
            spec,
            discovered_from: None,
        }
    }

    #[test]
    fn client_auth_against_the_advertised_methods() {
        let p = provider("teamwork", |s| {
            s.token_endpoint_auth_method = Some(ClientAuth::ClientSecretPost);
            s.client_secret = Some("x".into());
        });
        // Tried and refused: a failure.
        let refused = Probe::Refused("invalid_client".into());
        let c = check_client_auth(&p, None, Some(&refused));
        assert_eq!(c.status, Status::Fail);
        assert_eq!(c.side, Some(Side::Local));
        assert!(
            c.summary.contains("client_secret_basic only"),
            "{}",
            c.summary
        );
        assert!(c.details[0].contains("token_endpoint_auth_method = \"client_secret_basic\""));
        let p = provider("teamwork", |_| {});
        assert_eq!(check_client_auth(&p, None, None).status, Status::Ok);
    }

    #[test]
    fn a_method_the_server_does_not_advertise_is_a_warning_until_refused() {
        let p = provider("oidc", |s| {
            s.token_endpoint_auth_method = Some(ClientAuth::None);
            s.token_endpoint_auth_methods_supported = Some(vec!["client_secret_basic".into()]);
        });
        assert!(advertised_elsewhere(&p));
        let c = check_client_auth(&p, None, None);
        assert_eq!(c.status, Status::Warn, "{c:?}");
        assert!(c.summary.contains("may still accept it"), "{}", c.summary);
        assert!(c.details[0].contains("most servers accept public clients that use PKCE"));
        let c = check_client_auth(&p, None, Some(&Probe::Accepted("invalid_grant".into())));
        assert_eq!(c.status, Status::Warn);
        assert!(
            c.summary.contains("got past client authentication"),
            "{}",
            c.summary
        );
        let c = check_client_auth(&p, None, Some(&Probe::Refused("invalid_client".into())));
        assert_eq!(c.status, Status::Fail);
    }

    #[test]
    fn secrets_are_required_where_the_method_needs_one_and_never_shown() {
        let p = provider("chatwork", |s| s.client_secret = None);
        let c = check_client(&p);
        assert_eq!(c.status, Status::Fail);
        let p = provider("chatwork", |s| {
            s.client_secret = Some("s3cr3t-value".into())
        });
        let c = check_client(&p);
        assert_eq!(c.status, Status::Ok);
        assert!(!format!("{c:?}").contains("s3cr3t-value"));
        let p = provider("hub", |s| s.client_secret = Some("s3cr3t-value".into()));
        assert_eq!(check_client(&p).status, Status::Warn);
    }

    #[test]
    fn redirect_scheme_rules() {
        let p = provider("worksection", |s| {
            s.redirect_uri = Some("http://127.0.0.1:8765/callback".into())
        });
        let (c, _) = check_redirect(&p, &Options::default());
        assert_eq!(c.status, Status::Fail);
        assert!(c.summary.contains("accepts only https"), "{}", c.summary);
        let p = provider("worksection", |_| {});
        let (c, uri) = check_redirect(&p, &Options::default());
        assert_eq!((c.status, uri), (Status::Fail, None));
        let p = provider("hub", |_| {});
        let opts = Options {
            redirect_uri: Some("http://app.example/cb".into()),
            ..Options::default()
        };
        assert_eq!(check_redirect(&p, &opts).0.status, Status::Warn);
    }

    #[test]
    fn pkce_policy_against_the_server() {
        assert_eq!(
            check_pkce(&provider("hub", |_| {}), None).status,
            Status::Ok
        );
        assert_eq!(
            check_pkce(&provider("worksection", |_| {}), None).status,
            Status::Ok
        );
        let p = provider("hub", |s| {
            s.code_challenge_methods_supported = Some(vec!["plain".into()])
        });
        assert_eq!(check_pkce(&p, None).status, Status::Warn);
        let p = provider("worksection", |s| {
            s.code_challenge_methods_supported = Some(vec!["S256".into()])
        });
        assert_eq!(check_pkce(&p, None).status, Status::Warn);
    }

    #[test]
    fn exit_code_prefers_local_fixes() {
        let mut r = Report {
            provider: "x".into(),
            display_name: "X".into(),
            checks: vec![Check::ok("a", ""), Check::warn("b", "")],
        };
        assert_eq!(r.exit_code(), 0);
        r.checks.push(Check::fail("c", Side::Server, ""));
        assert_eq!(r.exit_code(), 5);
        r.checks.push(Check::fail("d", Side::Local, ""));
        assert_eq!(r.exit_code(), 3);
    }
}
