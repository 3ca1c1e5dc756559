//! Server metadata discovery: OpenID Connect, RFC 8414 and Teamwork's path, with a cache.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::http::{Http, HttpRequest};

pub const DEFAULT_TTL: Duration = Duration::from_secs(3600);

/// Which kind of document answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// OpenID Connect Discovery 1.0.
    Openid,
    /// RFC 8414 OAuth 2.0 Authorization Server Metadata.
    Rfc8414,
    /// A provider-specific path (Teamwork Cloud's `oauth2.0-configuration`).
    Provider,
}

impl DocKind {
    pub fn describe(self) -> &'static str {
        match self {
            DocKind::Openid => "OpenID Connect discovery",
            DocKind::Rfc8414 => "RFC 8414 authorization server metadata",
            DocKind::Provider => "provider-specific metadata",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Discovered {
    pub issuer: String,
    pub url: String,
    pub kind: DocKind,
    pub fetched_at: u64,
    pub document: Map<String, Value>,
    #[serde(skip)]
    pub from_cache: bool,
}

/// The URLs to try, in order. `preferred` is a provider's own path, tried first.
pub fn candidates(issuer: &str, preferred: Option<&str>) -> Result<Vec<(DocKind, url::Url)>> {
    let base = url::Url::parse(issuer).map_err(|e| {
        Error::input(format!("issuer `{issuer}` is not a URL: {e}"))
            .with_hint("give the issuer as an absolute URL, e.g. https://auth.example.com")
    })?;
    if !matches!(base.scheme(), "http" | "https") {
        return Err(Error::input(format!(
            "issuer `{issuer}` must be an http or https URL"
        )));
    }
    if base.query().is_some() || base.fragment().is_some() {
        return Err(Error::input(format!(
            "issuer `{issuer}` must not have a query or fragment (RFC 8414 §2)"
        )));
    }
    let path = base.path().trim_end_matches('/').to_string();
    let origin = base.origin().ascii_serialization();
    let appended = |suffix: &str| format!("{origin}{path}{suffix}");
    let mut out: Vec<(DocKind, String)> = Vec::new();
    if let Some(p) = preferred {
        let p = if p.starts_with('/') {
            p.to_string()
        } else {
            format!("/{p}")
        };
        out.push((DocKind::Provider, appended(&p)));
    }
    out.push((
        DocKind::Openid,
        appended("/.well-known/openid-configuration"),
    ));
    // RFC 8414 §3.1: the well-known segment goes between the host and the path.
    out.push((
        DocKind::Rfc8414,
        format!("{origin}/.well-known/oauth-authorization-server{path}"),
    ));
    if !path.is_empty() {
        // Widely deployed, though not RFC 8414: the segment appended to the path.
        out.push((
            DocKind::Rfc8414,
            appended("/.well-known/oauth-authorization-server"),
        ));
    }
    if preferred.is_none() {
        out.push((
            DocKind::Provider,
            appended("/.well-known/oauth2.0-configuration"),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    out.into_iter()
        .filter(|(_, u)| seen.insert(u.clone()))
        .map(|(k, u)| {
            url::Url::parse(&u).map(|u| (k, u)).map_err(|e| {
                Error::input(format!("cannot build a discovery URL from `{issuer}`: {e}"))
            })
        })
        .collect()
}

/// Fetches the first document that answers, trying each candidate in turn.
pub async fn fetch(http: &Http, issuer: &str, preferred: Option<&str>) -> Result<Discovered> {
    let mut tried: Vec<String> = Vec::new();
    let shown_issuer = crate::redact::url_password(issuer);
    for (kind, url) in candidates(issuer, preferred)? {
        let shown = crate::redact::url_password(url.as_str());
        let resp = http.send(HttpRequest::get(url.clone())).await?;
        if !resp.is_success() {
            let loc = resp
                .header("location")
                .map(|l| format!(" (redirect to {l}: redirects are not followed)"))
                .unwrap_or_default();
            tried.push(format!("{shown} → HTTP {}{loc}", resp.status));
            continue;
        }
        if resp.looks_like_html() {
            tried.push(format!(
                "{shown} → an HTML page, not JSON (Content-Type: {})",
                resp.content_type().unwrap_or("none")
            ));
            continue;
        }
        let value: Value = match serde_json::from_slice(&resp.body) {
            Ok(v) => v,
            Err(e) => {
                tried.push(format!("{shown} → not valid JSON: {e}"));
                continue;
            }
        };
        let Value::Object(document) = value else {
            tried.push(format!("{shown} → JSON, but not an object"));
            continue;
        };
        validate(&document, issuer, &shown)?;
        return Ok(Discovered {
            issuer: issuer.to_string(),
            url: url.to_string(),
            kind,
            fetched_at: now(),
            document,
            from_cache: false,
        });
    }
    Err(Error::server(format!(
        "no discovery document found for issuer {shown_issuer}; tried:\n  {}",
        tried.join("\n  ")
    ))
    .with_hint(
        "check the issuer URL (Teamwork: https://HOST:8443/authentication), or set the endpoints (authorization_endpoint, token_endpoint, …) in the config file",
    ))
}

/// RFC 8414 §3.3 and §2: the issuer must be the one asked for; required fields present.
pub fn validate(doc: &Map<String, Value>, expected_issuer: &str, url: &str) -> Result<()> {
    let issuer = match doc.get("issuer") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(Error::server(format!(
                "the metadata at {url} has an `issuer` that is not a string"
            )))
        }
        None => return Err(Error::server(format!(
            "the metadata at {url} is missing the required field `issuer`"
        ))
        .with_hint(
            "the server is not RFC 8414 compliant; set the endpoints in the config file instead",
        )),
    };
    if issuer != expected_issuer {
        let near = issuer.trim_end_matches('/') == expected_issuer.trim_end_matches('/');
        let mut hint = String::from(
            "RFC 8414 §3.3 requires the document's issuer to equal the issuer asked for, to stop a server impersonating another",
        );
        if near {
            hint = format!("they differ only by a trailing slash: use `{issuer}` exactly as the issuer. {hint}");
        } else {
            hint = format!("if `{issuer}` is the right server, use it as the issuer. {hint}");
        }
        return Err(Error::server(format!(
            "the metadata at {url} names issuer `{issuer}`, but `{expected_issuer}` was asked for"
        ))
        .with_hint(hint));
    }
    let grants: Vec<String> = doc
        .get("grant_types_supported")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_else(|| vec!["authorization_code".into(), "implicit".into()]);
    let mut missing = Vec::new();
    let uses_authorize = grants
        .iter()
        .any(|g| g == "authorization_code" || g == "implicit");
    if uses_authorize
        && !doc
            .get("authorization_endpoint")
            .is_some_and(Value::is_string)
    {
        missing.push("authorization_endpoint");
    }
    let uses_token = grants.iter().any(|g| g != "implicit");
    if uses_token && !doc.get("token_endpoint").is_some_and(Value::is_string) {
        missing.push("token_endpoint");
    }
    if !missing.is_empty() {
        return Err(Error::server(format!(
            "the metadata at {url} is missing the required field(s) {}",
            missing.join(", ")
        ))
        .with_hint("set the missing endpoints in the provider's config table"));
    }
    for key in super::DISCOVERY_KEYS
        .iter()
        .filter(|k| k.ends_with("endpoint") || **k == "jwks_uri")
    {
        if let Some(v) = doc.get(*key) {
            let ok = v.as_str().is_some_and(|s| url::Url::parse(s).is_ok());
            if !ok {
                return Err(Error::server(format!(
                    "the metadata at {url} has `{key}` = {v}, which is not an absolute URL"
                )));
            }
        }
    }
    Ok(())
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "oauthctl").map(|d| d.cache_dir().join("discovery"))
}

fn cache_file(issuer: &str) -> Option<PathBuf> {
    let digest = Sha256::digest(issuer.as_bytes());
    let name: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    cache_dir().map(|d| d.join(format!("{name}.json")))
}

/// A cached document younger than `ttl`, if any.
pub fn cached(issuer: &str, ttl: Duration) -> Option<Discovered> {
    let path = cache_file(issuer)?;
    let text = std::fs::read_to_string(&path).ok()?;
    let mut d: Discovered = serde_json::from_str(&text).ok()?;
    if d.issuer != issuer || now().saturating_sub(d.fetched_at) >= ttl.as_secs() {
        return None;
    }
    d.from_cache = true;
    Some(d)
}

/// Writes the cache atomically; a failure is not fatal (the cache is only a cache).
pub fn store(d: &Discovered) -> std::result::Result<PathBuf, String> {
    let path = cache_file(&d.issuer).ok_or("no cache directory")?;
    let dir = path.parent().ok_or("no cache directory")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = dir.join(format!(".{}.tmp", std::process::id()));
    let text = serde_json::to_string_pretty(d).map_err(|e| e.to_string())?;
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// The document from the cache when fresh, else fetched (and cached).
pub async fn load(
    http: &Http,
    issuer: &str,
    preferred: Option<&str>,
    ttl: Duration,
) -> Result<(Discovered, Option<String>)> {
    if let Some(d) = cached(issuer, ttl) {
        return Ok((d, None));
    }
    let d = fetch(http, issuer, preferred).await?;
    let warning = store(&d)
        .err()
        .map(|e| format!("could not cache the discovery document: {e}"));
    Ok((d, warning))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8414_inserts_the_well_known_segment() {
        let c = candidates("https://h.example/tenant/a", None).unwrap();
        let urls: Vec<String> = c.iter().map(|(_, u)| u.to_string()).collect();
        assert_eq!(
            urls[0],
            "https://h.example/tenant/a/.well-known/openid-configuration"
        );
        assert_eq!(
            urls[1],
            "https://h.example/.well-known/oauth-authorization-server/tenant/a"
        );
        assert!(urls.contains(
            &"https://h.example/tenant/a/.well-known/oauth2.0-configuration".to_string()
        ));
    }

    #[test]
    fn preferred_path_goes_first() {
        let c = candidates(
            "https://h:8443/authentication",
            Some("/.well-known/oauth2.0-configuration"),
        )
        .unwrap();
        assert_eq!(
            c[0].1.as_str(),
            "https://h:8443/authentication/.well-known/oauth2.0-configuration"
        );
        assert_eq!(
            c.iter()
                .filter(|(_, u)| u.as_str().ends_with("oauth2.0-configuration"))
                .count(),
            1
        );
    }

    #[test]
    fn issuer_mismatch_is_refused() {
        let doc: Map<String, Value> = serde_json::from_str(r#"{"issuer":"https://a/","authorization_endpoint":"https://a/x","token_endpoint":"https://a/t"}"#).unwrap();
        let e = validate(&doc, "https://a", "u").unwrap_err();
        assert!(e.message.contains("https://a/"));
        assert!(e.hint.unwrap().contains("trailing slash"));
    }
}
