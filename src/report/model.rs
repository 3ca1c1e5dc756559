//! The report as data: the steps of a HAR document (HTTP exchanges, and the browser
//! hand-offs a code or device flow implies between them), numbered in order.

use serde_json::Value;

use super::Meta;
use crate::error::{Error, Result};

/// A request or response body as the HAR holds it.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub mime: String,
    pub text: String,
}

/// One HTTP exchange.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<Body>,
    /// 0 when no answer came (a transport error).
    pub status: u16,
    pub status_text: String,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Option<Body>,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Http(Box<Exchange>),
    /// A hand-off through the user's browser: from, to, what was handed over.
    Handoff {
        from: String,
        to: String,
        what: String,
    },
}

#[derive(Debug, Clone)]
pub struct Step {
    pub number: usize,
    /// RFC 3339 start time, as the HAR says.
    pub started: String,
    pub time_ms: f64,
    pub kind: Kind,
    /// The actor the arrow starts from and the one it goes to.
    pub from: String,
    pub to: String,
    /// This step is where the command failed.
    pub failing: bool,
}

impl Step {
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            Kind::Http(x) => Some(x.status),
            Kind::Handoff { .. } => None,
        }
    }
    pub fn is_error(&self) -> bool {
        self.status().is_some_and(|s| s == 0 || s >= 400)
    }
    /// A short title: `POST /token`, or the hand-off.
    pub fn title(&self) -> String {
        match &self.kind {
            Kind::Http(x) => {
                let path = url::Url::parse(&x.url)
                    .map(|u| u.path().to_string())
                    .unwrap_or_else(|_| x.url.clone());
                format!("{} {path}", x.method)
            }
            Kind::Handoff { what, .. } => what.clone(),
        }
    }
    /// `200 OK`, `no answer`, or `browser` for a hand-off.
    pub fn status_label(&self) -> String {
        match &self.kind {
            Kind::Http(x) if x.status == 0 => "no answer".into(),
            Kind::Http(x) if x.status_text.is_empty() => x.status.to_string(),
            Kind::Http(x) => format!("{} {}", x.status, x.status_text),
            Kind::Handoff { .. } => "browser".into(),
        }
    }
}

pub struct Report {
    pub meta: Option<Meta>,
    /// The tool that wrote the HAR.
    pub creator: String,
    pub steps: Vec<Step>,
    /// The actors, left to right.
    pub actors: Vec<String>,
}

pub const BROWSER: &str = "user's browser";
pub const OAUTHCTL: &str = "oauthctl";
pub const LISTENER: &str = "loopback listener";

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn headers(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| a.iter().map(|h| (s(&h["name"]), s(&h["value"]))).collect())
        .unwrap_or_default()
}

fn exchange(e: &Value) -> Exchange {
    let rq = &e["request"];
    let rs = &e["response"];
    let request_body = rq.get("postData").map(|p| Body {
        mime: s(&p["mimeType"]),
        text: s(&p["text"]),
    });
    let response_body = rs
        .get("content")
        .filter(|c| c.get("text").is_some_and(|t| !s(t).is_empty()))
        .map(|c| Body {
            mime: s(&c["mimeType"]),
            text: s(&c["text"]),
        });
    let error = rs.get("_error").map(s).filter(|t| !t.is_empty());
    Exchange {
        method: s(&rq["method"]),
        url: s(&rq["url"]),
        request_headers: headers(&rq["headers"]),
        request_body,
        status: rs["status"]
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .unwrap_or(0),
        status_text: s(&rs["statusText"]),
        response_headers: headers(&rs["headers"]),
        response_body,
        error,
    }
}

/// The endpoints oauthctl resolved (from the report's settings): URL → actor name.
#[derive(Default)]
struct Endpoints(Vec<(String, String)>);

impl Endpoints {
    fn of_meta(meta: Option<&Meta>) -> Endpoints {
        let mut out = Vec::new();
        for s in meta.map(|m| m.settings.as_slice()).unwrap_or_default() {
            if s.name.ends_with("_endpoint") || s.name == "jwks_uri" {
                let name = match s.name.as_str() {
                    "jwks_uri" => "JWKS".to_string(),
                    "end_session_endpoint" => "logout endpoint".to_string(),
                    n => n.replace('_', " "),
                };
                out.push((s.value.clone(), name));
            }
        }
        Endpoints(out)
    }
    /// The actor an URL goes to: the endpoint oauthctl resolved at that URL, else a
    /// guess from its path.
    fn of(&self, url: &str) -> String {
        let bare = url.split(['?', '#']).next().unwrap_or(url);
        self.0
            .iter()
            .find(|(u, _)| u == bare)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| actor_of(url))
    }
}

/// The endpoint an URL is, as an actor's name: `token endpoint`, `API host`.
pub fn actor_of(url: &str) -> String {
    let Ok(u) = url::Url::parse(url) else {
        return "server".into();
    };
    let path = u.path().to_ascii_lowercase();
    if path.contains("/.well-known/") {
        return "discovery".into();
    }
    // The last segment names the endpoint (`/api/oauth/token`); an API path such as
    // `/api/auth/me` names none.
    let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
    let known = [
        ("jwks", "JWKS"),
        ("certs", "JWKS"),
        ("par", "PAR endpoint"),
        ("device", "device endpoint"),
        ("introspect", "introspection endpoint"),
        ("revoke", "revocation endpoint"),
        ("userinfo", "userinfo endpoint"),
        ("register", "registration endpoint"),
        ("logout", "logout endpoint"),
        ("end_session", "logout endpoint"),
        ("token", "token endpoint"),
        ("authorize", "authorization endpoint"),
    ];
    for (needle, name) in known {
        if last.contains(needle) || (needle == "device" && path.contains("/device")) {
            return name.to_string();
        }
    }
    if matches!(
        last,
        "auth" | "authorization" | "oauth2" | "authorization.php"
    ) {
        return "authorization endpoint".into();
    }
    format!("API {}", u.host_str().unwrap_or("server"))
}

fn form_value(x: &Exchange, key: &str) -> Option<String> {
    let body = x.request_body.as_ref()?;
    if !body.mime.contains("x-www-form-urlencoded") {
        return None;
    }
    url::form_urlencoded::parse(body.text.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The query parameter `key` of an URL.
pub fn query_value(url: &str, key: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The hand-offs through the browser that come before exchange `x` (a code's token
/// request: the authorization request and the redirect back) or after it (a device
/// authorization: the user enters the code).
fn handoffs_before(x: &Exchange, seen_authorize: bool) -> Vec<Kind> {
    let mut out = Vec::new();
    if form_value(x, "grant_type").as_deref() == Some("authorization_code") {
        if !seen_authorize {
            out.push(Kind::Handoff {
                from: OAUTHCTL.into(),
                to: BROWSER.into(),
                what: "open the authorization URL in the browser".into(),
            });
        }
        let to = form_value(x, "redirect_uri").unwrap_or_else(|| "the redirect URI".into());
        out.push(Kind::Handoff {
            from: BROWSER.into(),
            to: LISTENER.into(),
            what: format!("redirect with the code to {to}"),
        });
    }
    out
}

fn handoffs_after(x: &Exchange, to: &str) -> Vec<Kind> {
    let device = to.contains("device") && x.status == 200;
    if device {
        return vec![Kind::Handoff {
            from: OAUTHCTL.into(),
            to: BROWSER.into(),
            what: "the user opens the verification URI and enters the user code".into(),
        }];
    }
    if to == "authorization endpoint" {
        return vec![Kind::Handoff {
            from: OAUTHCTL.into(),
            to: BROWSER.into(),
            what: "open the authorization URL in the browser".into(),
        }];
    }
    Vec::new()
}

impl Report {
    pub fn from_har(har: &Value) -> Result<Report> {
        let log = har.get("log").ok_or_else(|| {
            Error::input("not a HAR file: no `log` object").with_hint(
                "a HAR file is JSON with a `log.entries` list; write one with `--har FILE`",
            )
        })?;
        let entries = log["entries"].as_array().cloned().unwrap_or_default();
        let meta = log
            .get(super::META_FIELD)
            .and_then(|m| serde_json::from_value::<Meta>(m.clone()).ok());
        let creator = format!(
            "{} {}",
            s(&log["creator"]["name"]),
            s(&log["creator"]["version"])
        );
        let endpoints = Endpoints::of_meta(meta.as_ref());
        let mut steps: Vec<Step> = Vec::new();
        let mut seen_authorize = false;
        let push = |steps: &mut Vec<Step>, kind: Kind, started: &str, ms: f64| {
            let (from, to) = match &kind {
                Kind::Http(x) => (OAUTHCTL.to_string(), endpoints.of(&x.url)),
                Kind::Handoff { from, to, .. } => (from.clone(), to.clone()),
            };
            steps.push(Step {
                number: steps.len() + 1,
                started: started.to_string(),
                time_ms: ms,
                kind,
                from,
                to,
                failing: false,
            });
        };
        for e in &entries {
            let x = exchange(e);
            let started = s(&e["startedDateTime"]);
            for h in handoffs_before(&x, seen_authorize) {
                push(&mut steps, h, &started, 0.0);
            }
            let to = endpoints.of(&x.url);
            let after = handoffs_after(&x, &to);
            seen_authorize |= to == "authorization endpoint";
            push(
                &mut steps,
                Kind::Http(Box::new(x)),
                &started,
                e["time"].as_f64().unwrap_or(0.0),
            );
            for h in after {
                push(&mut steps, h, &started, 0.0);
            }
        }
        let failed = meta.as_ref().is_some_and(|m| !m.outcome.ok);
        if failed {
            if let Some(last) = steps.iter_mut().rev().find(|st| st.is_error()) {
                last.failing = true;
            }
        }
        let actors = actors(&steps);
        Ok(Report {
            meta,
            creator,
            steps,
            actors,
        })
    }

    /// The redirect URI sent with the authorization request and with the token request.
    pub fn redirect_uris(&self) -> (Option<String>, Option<String>) {
        let mut authorize = None;
        let mut token = None;
        for st in &self.steps {
            if let Kind::Http(x) = &st.kind {
                if st.to == "authorization endpoint"
                    || st.to.contains("pushed")
                    || st.to == "PAR endpoint"
                {
                    authorize = authorize
                        .or_else(|| query_value(&x.url, "redirect_uri"))
                        .or_else(|| form_value(x, "redirect_uri"));
                }
                if form_value(x, "grant_type").as_deref() == Some("authorization_code") {
                    token = token.or_else(|| form_value(x, "redirect_uri"));
                }
            }
        }
        (authorize, token)
    }

    /// The PKCE method of the authorization request, if one was seen.
    pub fn pkce_method(&self) -> Option<String> {
        self.steps.iter().find_map(|st| match &st.kind {
            Kind::Http(x) => query_value(&x.url, "code_challenge_method")
                .or_else(|| form_value(x, "code_challenge_method")),
            Kind::Handoff { .. } => None,
        })
    }

    /// The clock skew against the servers' `Date` headers, in seconds (positive: the
    /// server is ahead), the largest seen; HTTP dates have a one-second resolution.
    pub fn clock_skew(&self) -> Option<f64> {
        let mut worst: Option<f64> = None;
        for st in &self.steps {
            let Kind::Http(x) = &st.kind else { continue };
            let Some((_, date)) = x
                .response_headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("date"))
            else {
                continue;
            };
            let (Some(server), Ok(started)) = (
                crate::clock::parse_http_date(date),
                humantime::parse_rfc3339_weak(&st.started),
            ) else {
                continue;
            };
            let local = started + std::time::Duration::from_secs_f64(st.time_ms.max(0.0) / 2000.0);
            let skew = match server.duration_since(local) {
                Ok(d) => d.as_secs_f64(),
                Err(e) => -e.duration().as_secs_f64(),
            };
            if worst.is_none_or(|w| skew.abs() > w.abs()) {
                worst = Some(skew);
            }
        }
        worst
    }
}

/// Browser, oauthctl, listener, then the servers in the order they were first met.
fn actors(steps: &[Step]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let handoffs = steps.iter().any(|s| matches!(s.kind, Kind::Handoff { .. }));
    if handoffs {
        out.push(BROWSER.into());
    }
    out.push(OAUTHCTL.into());
    if steps.iter().any(|s| s.to == LISTENER) {
        out.push(LISTENER.into());
    }
    for st in steps {
        for a in [&st.from, &st.to] {
            if !out.contains(a) {
                out.push(a.clone());
            }
        }
    }
    out
}
