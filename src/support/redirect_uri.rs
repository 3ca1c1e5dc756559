//! Redirect URIs compared as a server compares them, character for character: the URIs
//! an error page quotes, how two URIs differ, and the concrete fixes for a refused one.
//! Shared by the preflight and the diagnosis.

use crate::provider::Provider;

/// Absolute URIs quoted in a text (`http://`, `https://` and custom schemes).
pub fn uris_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(rel) = text[i..].find("://") {
        let sep = i + rel;
        // The scheme runs back over letters, digits, `+`, `-` and `.`.
        let mut start = sep;
        while start > 0 {
            let c = bytes[start - 1];
            if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') {
                start -= 1;
            } else {
                break;
            }
        }
        let mut end = sep + 3;
        while end < bytes.len() {
            let c = bytes[end];
            if c.is_ascii_whitespace()
                || matches!(c, b'"' | b'\'' | b'`' | b'<' | b'>' | b',' | b';')
            {
                break;
            }
            end += 1;
        }
        let mut uri = &text[start..end];
        // Sentence punctuation and closing brackets are not part of a URI.
        while let Some(last) = uri.chars().last() {
            if matches!(last, '.' | ')' | ']' | '}' | ':' | '!' | '?') {
                uri = &uri[..uri.len() - last.len_utf8()];
            } else {
                break;
            }
        }
        if start < sep && uri.len() > sep - start + 3 && !out.iter().any(|u| u == uri) {
            out.push(uri.to_string());
        }
        i = end.max(sep + 3);
    }
    out
}

/// The parts of an absolute URI, as written (no case folding, no default ports).
#[derive(Debug, PartialEq)]
struct RawUri<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
}

fn raw_parts(uri: &str) -> Option<RawUri<'_>> {
    let (scheme, rest) = uri.split_once("://")?;
    let rest = rest.split('#').next().unwrap_or("");
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..auth_end];
    let authority = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(e) => (
                &authority[..=e],
                authority[e + 1..]
                    .strip_prefix(':')
                    .filter(|p| !p.is_empty()),
            ),
            None => (authority, None),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) if !p.is_empty() => (h, Some(p)),
            Some((h, _)) => (h, None),
            None => (authority, None),
        }
    };
    let after = &rest[auth_end..];
    let (path, query) = match after.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (after, None),
    };
    Some(RawUri {
        scheme,
        host,
        port,
        path,
        query,
    })
}

fn is_loopback_name(h: &str) -> bool {
    let h = h.to_ascii_lowercase();
    h == "localhost" || h == "[::1]" || h.starts_with("127.")
}

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme.to_ascii_lowercase().as_str() {
        "http" => Some("80"),
        "https" => Some("443"),
        _ => None,
    }
}

/// How `sent` differs from `other`, in words, one difference per item.
pub fn uri_differences(sent: &str, other: &str) -> Vec<String> {
    let (Some(s), Some(o)) = (raw_parts(sent), raw_parts(other)) else {
        return vec![format!("`{sent}` and `{other}` differ")];
    };
    let mut d = Vec::new();
    if s.scheme != o.scheme {
        if s.scheme.eq_ignore_ascii_case(o.scheme) {
            d.push(format!(
                "the scheme's case: `{}` against `{}`",
                s.scheme, o.scheme
            ));
        } else {
            d.push(format!("the scheme: `{}` against `{}`", s.scheme, o.scheme));
        }
    }
    if s.host != o.host {
        if s.host.eq_ignore_ascii_case(o.host) {
            d.push(format!(
                "the host's case: `{}` against `{}`",
                s.host, o.host
            ));
        } else if is_loopback_name(s.host) && is_loopback_name(o.host) {
            d.push(format!(
                "the host: `{}` against `{}` (both mean this machine, but servers compare them as text: use the registered one; RFC 8252 §8.3 recommends 127.0.0.1)",
                s.host, o.host
            ));
        } else {
            d.push(format!("the host: `{}` against `{}`", s.host, o.host));
        }
    }
    let sp = s.port.or_else(|| default_port(s.scheme));
    let op = o.port.or_else(|| default_port(o.scheme));
    if sp != op {
        let show = |p: Option<&str>| {
            p.map(|p| format!("port {p}"))
                .unwrap_or_else(|| "no port".into())
        };
        let mut line = format!("the port: {} against {}", show(sp), show(op));
        if is_loopback_name(s.host) && is_loopback_name(o.host) && o.scheme == "http" {
            if let Some(p) = o.port {
                line.push_str(&format!(
                    " (unless the server lets loopback URIs use any port, RFC 8252 §7.3, the port must match: use --port {p})"
                ));
            }
        }
        d.push(line);
    } else if s.port != o.port {
        d.push(format!(
            "the port is written in one and left implicit in the other (`{}` against `{}`): some servers compare the text",
            s.port.unwrap_or("(default)"),
            o.port.unwrap_or("(default)")
        ));
    }
    if s.path != o.path {
        let st = s.path.trim_end_matches('/');
        let ot = o.path.trim_end_matches('/');
        if st == ot {
            let (with, without) = if s.path.ends_with('/') {
                ("the one sent", "the other")
            } else {
                ("the other", "the one sent")
            };
            d.push(format!(
                "a trailing slash: `{}` against `{}` ({with} has it, {without} does not)",
                display_path(s.path),
                display_path(o.path)
            ));
        } else if s.path.eq_ignore_ascii_case(o.path) {
            d.push(format!(
                "the path's case: `{}` against `{}`",
                display_path(s.path),
                display_path(o.path)
            ));
        } else {
            d.push(format!(
                "the path: `{}` against `{}`",
                display_path(s.path),
                display_path(o.path)
            ));
        }
    }
    if s.query != o.query {
        d.push(format!(
            "the query: `{}` against `{}`",
            s.query.unwrap_or(""),
            o.query.unwrap_or("")
        ));
    }
    d
}

fn display_path(p: &str) -> &str {
    if p.is_empty() {
        "(empty)"
    } else {
        p
    }
}

/// The fixes for a refused redirect URI: a comparison with every URI the server quoted,
/// the provider's scheme policy, then the checklist.
pub fn redirect_fixes(provider: &Provider, sent: &str, quoted: &[String]) -> Vec<String> {
    let name = &provider.name;
    let display = provider.display_name();
    let mut fixes = Vec::new();
    let how = |uri: &str| {
        format!(
            "send exactly `{uri}` (--redirect-uri {uri}, or `redirect_uri = \"{uri}\"` in the [providers.{name}] table), or register `{sent}` with {display}"
        )
    };
    for q in quoted {
        let diffs = uri_differences(sent, q);
        if diffs.is_empty() {
            continue;
        }
        fixes.push(format!(
            "the redirect_uri sent, `{sent}`, differs from `{q}` that {display} quotes, by {}; {}",
            diffs.join("; and by "),
            how(q)
        ));
    }
    if let (Some(schemes), Some(parts)) = (&provider.spec.redirect_uri_schemes, raw_parts(sent)) {
        if !schemes.iter().any(|s| s.eq_ignore_ascii_case(parts.scheme)) {
            fixes.push(format!(
                "{display} accepts only {} redirect URIs and `{sent}` is {}: register and use an {} URI",
                schemes.join("/"),
                parts.scheme,
                schemes.join("/")
            ));
        }
    }
    if fixes.is_empty() {
        let mut checks = vec![
            "scheme (http or https)".to_string(),
            "host (`127.0.0.1` and `localhost` are different)".to_string(),
        ];
        if let Some(parts) = raw_parts(sent) {
            checks.push(match parts.port {
                Some(p) => format!("port ({p}; --port changes it)"),
                None => "port (none was sent)".into(),
            });
            checks.push(format!(
                "path (`{}`, {} a trailing slash)",
                display_path(parts.path),
                if parts.path.ends_with('/') {
                    "with"
                } else {
                    "without"
                }
            ));
        }
        checks.push("upper and lower case".into());
        fixes.push(format!(
            "{display} did not accept the redirect_uri `{sent}`: it must match one registered for the client character for character: {}. Compare it with the registration, then pass the registered one with --redirect-uri (or `redirect_uri` in the [providers.{name}] table), or register this one",
            checks.join(", ")
        ));
    }
    if let Some(h) = &provider.spec.registration_hint {
        fixes.push(h.clone());
    }
    fixes
}
