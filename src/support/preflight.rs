//! The preflight: oauthctl sends the authorization request itself, before any browser
//! does, and reads what the server answers without following redirects.
//!
//! A redirect to a login or consent page (or a login page shown at once) means the
//! server accepted `client_id` and `redirect_uri`. A 4xx/5xx page, or a redirect that
//! carries `error=`, means it did not: the result holds the server's own words, what
//! the problem most likely is, and how to fix it. For a refused redirect URI, what was
//! sent is compared with any URI the server quotes (trailing slash, case, port, scheme,
//! `127.0.0.1` against `localhost`, path).
//!
//! This module never prints: it returns a [`Preflight`] and the command renders it.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Serialize;

use crate::error::Result;
use crate::http::{Http, HttpRequest, HttpResponse};
use crate::oauth::authorize::AuthorizeRequest;
use crate::oauth::error::{ErrorFormat, OAuthError};
use crate::oauth::error_codes;
use crate::provider::Provider;
use crate::support::diagnose::named_parameter;
use crate::support::redirect_uri::{redirect_fixes, uris_in};
use crate::text::html_text;

/// What a browser asks for (Firefox's), with no JSON in it: some servers answer JSON to
/// any Accept that mentions JSON, whatever its q-value, and a browser never gets that.
pub const ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
/// How much of the server's words is kept.
const WORDS_MAX: usize = 400;

/// The server's verdict on the authorization request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// client_id and redirect_uri were accepted: a login or consent page comes next.
    Accepted,
    /// The server refused the request, and said so unambiguously: a redirect carrying
    /// `error=`, or a page or JSON body naming an OAuth error code and a parameter of
    /// this request. Only this stops a login.
    Rejected,
    /// The answer does not say either way (a sign-in page behind a 401 with a non-OAuth
    /// `WWW-Authenticate`, a 2xx JSON, a page titled "error" without an error code, a
    /// 5xx, a JSON body that is not an OAuth error…): the login goes on to the browser.
    Unclear,
}

/// What the refusal is most likely about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    RedirectUri,
    ClientId,
    Scope,
    Pkce,
    ResponseType,
    AccessDenied,
    ServerFailure,
    /// invalid_request naming another parameter (`nonce`, `prompt`, `state`…).
    Parameter,
    Other,
}

/// The preflight's result.
#[derive(Debug, Clone, Serialize)]
pub struct Preflight {
    pub verdict: Verdict,
    pub problem: Option<Problem>,
    /// One sentence: what the server did.
    pub summary: String,
    pub status: u16,
    /// Where the server redirected, absolute. It may hold a code: show it redacted.
    pub location: Option<String>,
    /// The OAuth error code, when the server gave one.
    pub error: Option<String>,
    /// The server's own words (error_description, an error message, a page's text).
    pub description: Option<String>,
    /// The likely causes with their fixes, most likely first.
    pub fixes: Vec<String>,
    /// The redirect URI that was sent.
    pub redirect_uri: String,
    /// What came back: status, Content-Type, WWW-Authenticate and the start of the body
    /// (not yet redacted), for `--trace` and `doctor`.
    pub seen: String,
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl Preflight {
    /// The error for a refused request: the server's words and the fixes (not yet
    /// redacted).
    pub fn refusal(&self, provider: &Provider) -> crate::error::Error {
        let how = match (&self.location, &self.error) {
            (Some(_), Some(e)) => format!("redirected with error={e}"),
            _ => self.status.to_string(),
        };
        let words = self.description.clone().or_else(|| self.error.clone());
        let mut hint = self.fixes.join("\n        ");
        hint.push_str("\n        (the browser was not opened; --no-preflight skips this check)");
        crate::error::Error::server(format!(
            "{} refused the authorization request ({how}): {}",
            provider.display_name(),
            words.unwrap_or_else(|| self.summary.clone())
        ))
        .with_hint(hint)
    }

    pub fn accepted(&self) -> bool {
        self.verdict == Verdict::Accepted
    }
}

/// Sends the authorization request (GET, redirects not followed) and classifies the
/// answer. Transport failures (DNS, TLS, refused connection, timeout) are errors.
pub async fn run(
    http: &Http,
    provider: &Provider,
    request: &AuthorizeRequest,
) -> Result<Preflight> {
    let started = Instant::now();
    let req = HttpRequest::new(Method::GET, request.url.clone()).header("Accept", ACCEPT);
    let resp = http.send(req).await?;
    let mut p = classify(provider, request, &resp);
    // A server that approves at once puts a fresh code in the Location: it must never be
    // shown, so it joins the values the redactor masks.
    if let Some(code) = p
        .location
        .as_deref()
        .and_then(|l| redirect_params(l).into_iter().find(|(k, _)| k == "code"))
        .map(|(_, v)| v)
    {
        if let Ok(mut r) = http.redactor().lock() {
            r.add_value(&code);
        }
    }
    p.elapsed = started.elapsed();
    Ok(p)
}

/// Query and fragment parameters of a URL.
fn redirect_params(url: &str) -> Vec<(String, String)> {
    let Ok(u) = url::Url::parse(url) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Some(f) = u.fragment() {
        out.extend(
            url::form_urlencoded::parse(f.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned())),
        );
    }
    out
}

/// Whether `loc` goes to the redirect URI (same scheme, host, port and path).
fn targets_redirect_uri(loc: &url::Url, redirect_uri: &str) -> bool {
    let Ok(r) = url::Url::parse(redirect_uri) else {
        return false;
    };
    r.scheme() == loc.scheme()
        && r.host_str() == loc.host_str()
        && r.port_or_known_default() == loc.port_or_known_default()
        && r.path() == loc.path()
}

/// Classifies an answer to the authorization request.
pub fn classify(provider: &Provider, request: &AuthorizeRequest, resp: &HttpResponse) -> Preflight {
    let mut p = Preflight {
        verdict: Verdict::Unclear,
        problem: None,
        summary: String::new(),
        status: resp.status,
        location: None,
        error: None,
        description: None,
        fixes: Vec::new(),
        redirect_uri: request.redirect_uri.clone(),
        seen: seen(resp),
        elapsed: resp.elapsed,
    };
    if (300..400).contains(&resp.status) {
        classify_redirect(provider, request, resp, &mut p);
        return p;
    }
    let words = ServerWords::read(provider, resp);
    if resp.is_success() {
        classify_success(provider, request, resp, &words, &mut p);
    } else {
        classify_refusal(provider, request, resp, &words, &mut p);
    }
    p
}

/// A redirect: back to the redirect URI (with a code or an error), or on to a login page.
fn classify_redirect(
    provider: &Provider,
    request: &AuthorizeRequest,
    resp: &HttpResponse,
    p: &mut Preflight,
) {
    let name = provider.display_name();
    let Some(raw) = resp.header("location") else {
        p.summary = format!(
            "{name} answered {} without a Location header, so no browser would get anywhere",
            resp.status
        );
        p.fixes.push(
            "the server is misconfigured or a proxy answers in its place: check authorization_endpoint"
                .into(),
        );
        return;
    };
    let loc = match request.url.join(raw) {
        Ok(u) => u,
        Err(_) => {
            p.summary = format!("{name} redirected to `{raw}`, which is not a URL");
            p.location = Some(raw.to_string());
            return;
        }
    };
    p.location = Some(loc.to_string());
    let params = redirect_params(loc.as_str());
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let back = targets_redirect_uri(&loc, &request.redirect_uri);
    if let Some(error) = get("error") {
        p.verdict = Verdict::Rejected;
        p.description = get("error_description").map(|d| clip(&d));
        p.summary = if back {
            let state_note = match get("state") {
                Some(s) if s == request.state => "",
                Some(_) => " (with another request's state)",
                None => " (without the state)",
            };
            format!(
                "{name} refused the authorization request and redirected back to the redirect URI with error={error}{state_note}"
            )
        } else {
            format!(
                "{name} refused the authorization request: it redirected to {} with error={error}",
                without_query(&loc)
            )
        };
        p.error = Some(error);
        let full = p.description.clone().unwrap_or_default();
        explain(provider, request, p, &full);
        return;
    }
    p.verdict = Verdict::Accepted;
    p.summary = if back && get("code").is_some() {
        format!(
            "{name} accepted client_id and redirect_uri and approved at once: it redirected to the redirect URI with a code (not used, and never shown)"
        )
    } else if back {
        format!("{name} redirected straight back to the redirect URI (without a code or an error)")
    } else {
        format!(
            "{name} accepted client_id and redirect_uri: it redirects to a login or consent page at {}",
            without_query(&loc)
        )
    };
    if back && get("code").is_none() {
        p.verdict = Verdict::Unclear;
    }
}

/// A 2xx: a login page, an error page, or something that is no authorization endpoint.
fn classify_success(
    provider: &Provider,
    request: &AuthorizeRequest,
    resp: &HttpResponse,
    words: &ServerWords,
    p: &mut Preflight,
) {
    let name = provider.display_name();
    if words.is_html {
        if let Some(code) = &words.error {
            p.verdict = Verdict::Rejected;
            p.error = Some(code.clone());
            p.description = words.text.clone();
            p.summary = format!(
                "{name} showed an error page ({} {}) instead of a login page",
                resp.status,
                words
                    .title
                    .as_deref()
                    .map(|t| format!("\"{t}\""))
                    .unwrap_or_default()
            )
            .trim_end()
            .to_string();
            explain(provider, request, p, &words.full);
            unless_proven(provider, request, p, &words.full);
        } else if words.title_says_error() {
            p.description = words.text.clone();
            p.summary = format!(
                "{name} showed a page titled \"{}\": it may be an error page rather than a login page",
                words.title.as_deref().unwrap_or("")
            );
            p.fixes.push(format!(
                "open the URL of `oauthctl authorize-url -p {}` in a browser to read the page",
                provider.name
            ));
        } else {
            p.verdict = Verdict::Accepted;
            p.summary = format!(
                "{name} accepted client_id and redirect_uri: it shows its login or consent page{}",
                words
                    .title
                    .as_deref()
                    .filter(|t| !t.is_empty())
                    .map(|t| format!(" (\"{t}\")"))
                    .unwrap_or_default()
            );
        }
        return;
    }
    if let Some(e) = &words.error {
        p.verdict = Verdict::Rejected;
        p.error = Some(e.clone());
        p.description = words.description.clone();
        p.summary = format!("{name} answered {} with an OAuth error", resp.status);
        explain(provider, request, p, &words.full);
        unless_proven(provider, request, p, &words.full);
        return;
    }
    p.summary = format!(
        "{name} answered {} with {} instead of a login page",
        resp.status,
        resp.content_type().unwrap_or("no Content-Type")
    );
    p.description = words.text.clone();
    p.fixes.push(format!(
        "check that authorization_endpoint ({}) is the authorization endpoint, not an API",
        without_query(&request.url)
    ));
}

/// A 4xx or 5xx (or 1xx): a refusal when it names an OAuth error code and a parameter
/// of this request; anything else (a sign-in behind a non-OAuth `WWW-Authenticate`, a
/// 5xx page, a JSON body that is not an OAuth error) cannot tell.
fn classify_refusal(
    provider: &Provider,
    request: &AuthorizeRequest,
    resp: &HttpResponse,
    words: &ServerWords,
    p: &mut Preflight,
) {
    let name = provider.display_name();
    p.verdict = Verdict::Rejected;
    p.error = words.error.clone();
    p.description = words.description.clone().or_else(|| words.text.clone());
    let reason = match crate::http::reason(resp.status) {
        "" => String::new(),
        r => format!(" {r}"),
    };
    let kind = if words.is_html {
        "an error page"
    } else if words.is_json {
        "a JSON error"
    } else {
        "an error"
    };
    p.summary = format!(
        "{name} refused the authorization request with {kind} ({}{reason}) instead of a login page",
        resp.status
    );
    explain(provider, request, p, &words.full);
    if resp.status >= 500 && p.problem == Some(Problem::Other) {
        p.problem = Some(Problem::ServerFailure);
        p.fixes.insert(
            0,
            format!(
                "{name} failed ({}) rather than refused: try again later; if it persists, the endpoint or a proxy in front of it is broken",
                resp.status
            ),
        );
    }
    if proven(provider, request, p, &words.full) {
        return;
    }
    p.verdict = Verdict::Unclear;
    let scheme = resp
        .header("www-authenticate")
        .and_then(|w| w.split_whitespace().next())
        .filter(|s| !is_oauth_scheme(s));
    p.summary = match scheme {
        Some(scheme) => format!(
            "{name} asks for a sign-in first ({}{reason}, WWW-Authenticate: {scheme}): a browser gets its sign-in page, and whether client_id and redirect_uri are accepted shows after it",
            resp.status
        ),
        None if words.is_json && p.error.is_some() => format!(
            "{name} answered {}{reason} with JSON that is not an OAuth error naming a parameter of this request ({}): it cannot tell whether client_id and redirect_uri are accepted",
            resp.status,
            clip(&resp.text())
        ),
        None => format!(
            "{name} answered {}{reason} with {} that names no OAuth error and parameter of this request: it cannot tell whether client_id and redirect_uri are accepted",
            resp.status,
            if words.is_html { "a page" } else { "an answer" }
        ),
    };
    if scheme.is_some() {
        p.fixes.clear();
        p.problem = None;
    }
}

/// `WWW-Authenticate` schemes of OAuth (RFC 6750, RFC 9449): their `error` is an
/// OAuth error.
fn is_oauth_scheme(scheme: &str) -> bool {
    scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("dpop")
}

/// Whether a refusal is proven: an OAuth error code oauthctl knows, and a parameter of
/// this request, named by the code itself (`redirect_uri_mismatch`, `invalid_client`,
/// `invalid_scope`…) or by the server's words (a parameter's name, or the redirect URI
/// or client_id sent).
fn proven(provider: &Provider, request: &AuthorizeRequest, p: &Preflight, full: &str) -> bool {
    let Some(code) = p.error.as_deref().and_then(error_codes::lookup) else {
        return false;
    };
    if code.parameter.is_some() {
        return true;
    }
    let words = format!("{} {full}", p.description.as_deref().unwrap_or(""));
    if named_parameter(&words, provider.scope_param()).is_some() {
        return true;
    }
    let sent = |k: &str| {
        request
            .params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .filter(|v| v.len() >= 4)
    };
    ["redirect_uri", "client_id"]
        .iter()
        .filter_map(|k| sent(k))
        .any(|v| words.contains(v))
}

/// A page or JSON error that is not proven lets the login go on.
fn unless_proven(provider: &Provider, request: &AuthorizeRequest, p: &mut Preflight, full: &str) {
    if p.verdict == Verdict::Rejected && !proven(provider, request, p, full) {
        p.verdict = Verdict::Unclear;
        p.summary = format!(
            "{}; it names no parameter of this request, so the login goes on",
            p.summary
        );
    }
}

/// What came back, for `--trace` and `doctor`: the status, the headers that matter and
/// the start of the body.
fn seen(resp: &HttpResponse) -> String {
    let mut s = crate::http::status_text(resp.status);
    for h in ["content-type", "www-authenticate"] {
        if let Some(v) = resp.header(h) {
            s.push_str(&format!(", {h}: {v}"));
        }
    }
    let body = clip(&resp.text());
    if !body.is_empty() {
        s.push_str(&format!(", body: {}", clip_to(&body, 200)));
    }
    s
}

fn clip_to(s: &str, max: usize) -> String {
    if s.chars().count() > max {
        format!("{}…", s.chars().take(max).collect::<String>())
    } else {
        s.to_string()
    }
}

fn without_query(u: &url::Url) -> String {
    let mut u = u.clone();
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

fn clip(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > WORDS_MAX {
        format!("{}…", one.chars().take(WORDS_MAX).collect::<String>())
    } else {
        one
    }
}

/// What the server said, from JSON, an HTML page or plain text.
#[derive(Debug, Default)]
struct ServerWords {
    error: Option<String>,
    description: Option<String>,
    title: Option<String>,
    /// The page's visible text (or the plain text), clipped.
    text: Option<String>,
    /// The whole visible text, for finding URIs.
    full: String,
    is_html: bool,
    is_json: bool,
}

impl ServerWords {
    /// Reads the answer with the one error model (`OAuthError::parse`: RFC 6749 JSON,
    /// the errors array, WWW-Authenticate, HTML); an HTML page's whole visible text is
    /// kept too, for the error code and the URIs it may quote.
    fn read(provider: &Provider, resp: &HttpResponse) -> ServerWords {
        let e = OAuthError::parse(provider, resp);
        let mut w = ServerWords::default();
        match e.format {
            ErrorFormat::Html => {
                w.is_html = true;
                let (title, text) = html_text(&resp.text());
                w.error = error_codes::find_in(&text)
                    .or_else(|| title.as_deref().and_then(error_codes::find_in))
                    .map(|c| c.code.to_string());
                let shown = match &title {
                    Some(t) if !t.is_empty() && !text.starts_with(t.as_str()) => {
                        format!("\"{t}\": {text}")
                    }
                    _ => text.clone(),
                };
                w.text = Some(clip(&shown)).filter(|s| !s.is_empty());
                w.title = title;
                w.full = text;
            }
            ErrorFormat::Rfc6749 | ErrorFormat::ErrorsArray | ErrorFormat::WwwAuthenticate => {
                w.is_json = e.format != ErrorFormat::WwwAuthenticate;
                w.error = Some(e.error.clone()).filter(|x| !x.starts_with("http_"));
                w.description = match (&e.description, e.code) {
                    (Some(d), Some(c)) => Some(format!("{} (code {c})", clip(d))),
                    (Some(d), None) => Some(clip(d)),
                    (None, Some(c)) => Some(format!("code {c}")),
                    (None, None) => None,
                };
                w.full = resp.text();
            }
            ErrorFormat::Unusable => {
                let text = resp.text();
                w.is_json = serde_json::from_slice::<serde_json::Value>(&resp.body).is_ok();
                w.text = Some(clip(&text)).filter(|s| !s.is_empty());
                w.full = text;
            }
        }
        w
    }

    fn title_says_error(&self) -> bool {
        self.title.as_deref().is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            [
                "error",
                "invalid",
                "refused",
                "denied",
                "bad request",
                "not found",
            ]
            .iter()
            .any(|x| t.contains(x))
        })
    }
}

/// What a refusal is about, and the parameter an invalid_request names (then the
/// refusal is about that parameter).
fn classify_problem(provider: &Provider, p: &Preflight) -> (Problem, Option<String>) {
    let words = format!(
        "{} {}",
        p.error.as_deref().unwrap_or(""),
        p.description.as_deref().unwrap_or("")
    );
    let lower = words.to_ascii_lowercase();
    let named = (p.error.as_deref() == Some("invalid_request"))
        .then(|| {
            named_parameter(
                p.description.as_deref().unwrap_or(""),
                provider.scope_param(),
            )
        })
        .flatten();
    let named_problem = named.as_deref().map(|param| match param {
        "redirect_uri" => Problem::RedirectUri,
        "client_id" => Problem::ClientId,
        "code_challenge" | "code_challenge_method" => Problem::Pkce,
        "response_type" => Problem::ResponseType,
        s if s == "scope" || s == provider.scope_param() => Problem::Scope,
        _ => Problem::Parameter,
    });
    let problem = named_problem.unwrap_or_else(|| match p.error.as_deref() {
        Some("redirect_uri_mismatch") | Some("invalid_redirect_uri") => Problem::RedirectUri,
        Some("invalid_client") | Some("unauthorized_client") => Problem::ClientId,
        Some("invalid_scope") => Problem::Scope,
        Some("access_denied") => Problem::AccessDenied,
        Some("unsupported_response_type") => Problem::ResponseType,
        Some("server_error") | Some("temporarily_unavailable") => Problem::ServerFailure,
        // Another registered code (consent_required, invalid_request_uri…) says what it
        // is about itself; the words are not searched for a guess.
        Some(e) if e != "invalid_request" && error_codes::lookup(e).is_some() => Problem::Other,
        _ if lower.contains("redirect_uri")
            || lower.contains("redirect uri")
            || lower.contains("callback") =>
        {
            Problem::RedirectUri
        }
        _ if lower.contains("code_challenge") || lower.contains("pkce") => Problem::Pkce,
        _ if lower.contains("client_id")
            || lower.contains("client id")
            || lower.contains("client") =>
        {
            Problem::ClientId
        }
        _ if lower.contains("scope") => Problem::Scope,
        _ if lower.contains("response_type") => Problem::ResponseType,
        _ => Problem::Other,
    });
    (problem, named)
}

/// Decides what the refusal is about and fills in the fixes.
/// `full` is the server's whole text (the description is clipped), searched for URIs.
fn explain(provider: &Provider, request: &AuthorizeRequest, p: &mut Preflight, full: &str) {
    let (problem, named) = classify_problem(provider, p);
    let lower = p.description.as_deref().unwrap_or("").to_ascii_lowercase();
    p.problem = Some(problem);
    let name = &provider.name;
    let display = provider.display_name();
    let sent = |k: &str| {
        request
            .params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match problem {
        Problem::RedirectUri => {
            let quoted = uris_in(full)
                .into_iter()
                .filter(|u| *u != request.redirect_uri && !is_server_uri(provider, request, u))
                .collect::<Vec<_>>();
            p.fixes.extend(redirect_fixes(provider, &request.redirect_uri, &quoted));
        }
        Problem::ClientId => {
            p.fixes.push(format!(
                "{display} does not accept client_id `{}`{}: copy it exactly from the client's registration and set `client_id` in the [providers.{name}] table of the config file, or pass --client-id",
                sent("client_id"),
                if p.error.as_deref() == Some("unauthorized_client") {
                    " for this kind of request (the client may not be allowed the authorization code flow)"
                } else {
                    ""
                }
            ));
            if let Some(h) = &provider.spec.registration_hint {
                p.fixes.push(h.clone());
            }
        }
        Problem::Scope => {
            let supported = provider
                .spec
                .scopes_supported
                .as_ref()
                .filter(|s| !s.is_empty())
                .map(|s| format!("; {display} knows: {}", s.join(" ")))
                .unwrap_or_default();
            p.fixes.push(format!(
                "the scopes sent were `{}` in the `{}` parameter (separated by `{}`){supported}: ask for known scopes with --scope, or fix `scopes` in the [providers.{name}] table",
                sent(provider.scope_param()),
                provider.scope_param(),
                provider.scope_separator()
            ));
        }
        Problem::Pkce => {
            let sent_pkce = request.challenge.is_some();
            p.fixes.push(if sent_pkce {
                format!(
                    "a code_challenge (S256) was sent and refused: if {display} does not support PKCE, set `pkce = \"unsupported\"` in the [providers.{name}] table"
                )
            } else {
                format!(
                    "no code_challenge was sent and {display} wants one: set `pkce = \"required\"` in the [providers.{name}] table"
                )
            });
        }
        Problem::ResponseType => p.fixes.push(format!(
            "response_type `{}` was refused: the client may not be registered for the authorization code flow; check its grant types at {display}",
            sent("response_type")
        )),
        Problem::AccessDenied => p.fixes.push(format!(
            "{display} denied the request without asking anyone: this client may not be enabled for the account or organisation, or the server is set to deny (a mock started with --deny); check the client's settings at {display}"
        )),
        Problem::ServerFailure => p.fixes.push(format!(
            "{display} failed while handling the request: try again later; it is not a problem with client_id or redirect_uri"
        )),
        Problem::Parameter => {
            let param = named.unwrap_or_default();
            let missing = ["required", "missing", "must carry", "must include", "needed"]
                .iter()
                .any(|w| lower.contains(w));
            p.fixes.push(format!(
                "{display} {} the `{param}` parameter of the authorization request: {} it with `oauthctl login -p {name} --param {param}=VALUE` (see the request with `oauthctl authorize-url -p {name}`)",
                if missing { "requires" } else { "refused the value of" },
                if missing { "send" } else { "send a valid value for" }
            ));
        }
        Problem::Other => match p.error.as_deref().and_then(error_codes::lookup) {
            // A registered code (consent_required, login_required…): its own causes.
            Some(c) => {
                let fill = |t: &str| error_codes::fill(t, name);
                p.fixes.push(format!("{} ({}): {}", c.meaning, c.spec, c.causes));
                p.fixes.push(format!("fix: {}; next: `{}`", fill(c.fix), fill(c.next)));
            }
            None => p.fixes.push(format!(
                "read the page: open the URL of `oauthctl authorize-url -p {name}` in a browser, or run with --trace to see the exchange"
            )),
        },
    }
}

/// Whether `uri` is the server's own address (its issuer or an endpoint's origin, as
/// error pages quote in `iss`), not a redirect URI, unless the redirect URI sent is on
/// that origin too.
fn is_server_uri(provider: &Provider, request: &AuthorizeRequest, uri: &str) -> bool {
    let origin = |u: &str| {
        url::Url::parse(u)
            .ok()
            .map(|u| u.origin().ascii_serialization())
    };
    let Some(o) = origin(uri) else {
        return false;
    };
    if origin(&request.redirect_uri).as_ref() == Some(&o) {
        return false;
    }
    let mut servers = vec![request.url.origin().ascii_serialization()];
    for url in [&provider.spec.issuer, &provider.spec.token_endpoint] {
        if let Some(s) = url.as_deref().and_then(origin) {
            servers.push(s);
        }
    }
    servers.contains(&o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::authorize::{build, AuthorizeOptions};
    use crate::support::redirect_uri::uri_differences;

    fn provider(name: &str) -> Provider {
        let mut p = Provider::from_preset(name).expect("a preset");
        p.spec.client_id = Some("cid".into());
        p.spec.authorization_endpoint = Some("http://127.0.0.1:9/authorize".into());
        p
    }

    fn request(p: &Provider, redirect: &str) -> AuthorizeRequest {
        build(
            p,
            &AuthorizeOptions {
                client_id: "cid".into(),
                redirect_uri: redirect.into(),
                scopes: None,
                extra: vec![],
            },
        )
        .unwrap()
    }

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            url: url::Url::parse("http://127.0.0.1:9/authorize").unwrap(),
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn redirect_to_a_login_page_is_accepted() {
        let p = provider("hub");
        let r = request(&p, "http://127.0.0.1:8765/callback");
        let out = classify(
            &p,
            &r,
            &resp(302, &[("Location", "/login?next=%2Fauthorize")], ""),
        );
        assert_eq!(out.verdict, Verdict::Accepted);
        assert!(
            out.summary.contains("http://127.0.0.1:9/login"),
            "{}",
            out.summary
        );
        assert!(!out.summary.contains("next="));
    }

    #[test]
    fn redirect_back_with_an_error_is_rejected_with_the_servers_words() {
        let p = provider("hub");
        let r = request(&p, "http://127.0.0.1:8765/callback");
        let loc = format!(
            "http://127.0.0.1:8765/callback?error=invalid_scope&error_description=unknown+scope+x&state={}",
            r.state
        );
        let out = classify(&p, &r, &resp(302, &[("Location", &loc)], ""));
        assert_eq!(out.verdict, Verdict::Rejected);
        assert_eq!(out.error.as_deref(), Some("invalid_scope"));
        assert_eq!(out.description.as_deref(), Some("unknown scope x"));
        assert_eq!(out.problem, Some(Problem::Scope));
        assert!(
            out.fixes[0].contains("profile:read teams:read"),
            "{:?}",
            out.fixes
        );
    }

    #[test]
    fn redirect_back_with_a_code_is_accepted() {
        let p = provider("hub");
        let r = request(&p, "http://127.0.0.1:8765/callback");
        let out = classify(
            &p,
            &r,
            &resp(
                302,
                &[(
                    "Location",
                    "http://127.0.0.1:8765/callback?code=abc&state=x",
                )],
                "",
            ),
        );
        assert_eq!(out.verdict, Verdict::Accepted);
        assert!(!out.summary.contains("abc"));
    }

    #[test]
    fn html_400_page_with_a_quoted_uri_names_the_difference() {
        let p = provider("hub");
        let r = request(&p, "http://127.0.0.1:8765/callback/");
        let page = "<!doctype html><html><head><title>Hub — error</title><style>b{}</style></head><body><h1>Authorization request refused</h1><p><code>invalid_request</code>: redirect_uri `http://127.0.0.1:8765/callback/` is not registered (registered: http://127.0.0.1:8765/callback); it must match</p></body></html>";
        let out = classify(&p, &r, &resp(400, &[("Content-Type", "text/html")], page));
        assert_eq!(out.verdict, Verdict::Rejected);
        assert_eq!(out.problem, Some(Problem::RedirectUri));
        assert_eq!(out.error.as_deref(), Some("invalid_request"));
        let d = out.description.as_deref().unwrap();
        assert!(d.contains("is not registered") && !d.contains("b{}"), "{d}");
        assert!(out.fixes[0].contains("a trailing slash"), "{:?}", out.fixes);
        assert!(out.fixes[0].contains("--redirect-uri http://127.0.0.1:8765/callback"));
    }

    #[test]
    fn the_servers_own_address_is_not_taken_for_a_registered_uri() {
        let p = provider("hub");
        let r = request(&p, "http://127.0.0.1:5555/callback/");
        let page = "<html><head><title>oops! something went wrong</title></head><body><pre>error: invalid_redirect_uri\nerror_description: redirect_uri did not match any of the client's registered redirect_uris\niss: http://127.0.0.1:9</pre></body></html>";
        let out = classify(&p, &r, &resp(400, &[("Content-Type", "text/html")], page));
        assert_eq!(out.error.as_deref(), Some("invalid_redirect_uri"));
        assert_eq!(out.problem, Some(Problem::RedirectUri));
        assert!(!out.fixes[0].contains("127.0.0.1:9`"), "{:?}", out.fixes);
        assert!(
            out.fixes[0].contains("character for character"),
            "{:?}",
            out.fixes
        );
    }

    #[test]
    fn login_form_shown_at_once_is_accepted_and_error_pages_are_not() {
        let p = provider("hub");
        let r = request(&p, "http://127.0.0.1:8765/callback");
        let ok = classify(
            &p,
            &r,
            &resp(
                200,
                &[("Content-Type", "text/html")],
                "<html><title>Sign in</title><form></form></html>",
            ),
        );
        assert_eq!(ok.verdict, Verdict::Accepted);
        assert!(ok.summary.contains("Sign in"));
        let bad = classify(
            &p,
            &r,
            &resp(
                200,
                &[("Content-Type", "text/html")],
                "<html><title>Oops</title><p>Error: redirect_uri_mismatch</p></html>",
            ),
        );
        assert_eq!(bad.verdict, Verdict::Rejected);
        assert_eq!(bad.problem, Some(Problem::RedirectUri));
        let unclear = classify(
            &p,
            &r,
            &resp(
                200,
                &[("Content-Type", "text/html")],
                "<html><title>Error</title><p>Something went wrong</p></html>",
            ),
        );
        assert_eq!(unclear.verdict, Verdict::Unclear);
    }

    #[test]
    fn json_errors_and_onboardbase_codes() {
        let p = provider("onboardbase");
        let r = request(&p, "http://127.0.0.1:8765/callback");
        let out = classify(
            &p,
            &r,
            &resp(
                400,
                &[("Content-Type", "application/json")],
                r#"{"data":null,"errors":[{"message":"unauthorized_client","code":1100}]}"#,
            ),
        );
        assert_eq!(out.error.as_deref(), Some("unauthorized_client"));
        assert_eq!(out.problem, Some(Problem::ClientId));
        assert!(out.description.unwrap().contains("1100"));
        let out = classify(
            &p,
            &r,
            &resp(
                503,
                &[("Content-Type", "text/html")],
                "<html><title>503 Service Unavailable</title></html>",
            ),
        );
        assert_eq!(out.problem, Some(Problem::ServerFailure));
    }

    #[test]
    fn only_proof_stops_a_login() {
        let p = provider("hub");
        let r = request(&p, "http://127.0.0.1:8765/callback");
        // A single-sign-on portal's answer to a client that asked for JSON.
        let sso = classify(
            &p,
            &r,
            &resp(
                401,
                &[
                    ("Content-Type", "application/json"),
                    ("WWW-Authenticate", "SSO realm=\"x\""),
                ],
                r#"{"error":9}"#,
            ),
        );
        assert_eq!(sso.verdict, Verdict::Unclear, "{sso:?}");
        assert!(
            sso.summary.contains("asks for a sign-in first"),
            "{}",
            sso.summary
        );
        assert!(sso.seen.contains("www-authenticate: SSO"), "{}", sso.seen);
        // Not an OAuth error, without WWW-Authenticate either.
        let json = classify(
            &p,
            &r,
            &resp(
                403,
                &[("Content-Type", "application/json")],
                r#"{"error":9}"#,
            ),
        );
        assert_eq!(json.verdict, Verdict::Unclear, "{json:?}");
        assert!(
            json.summary.contains("not an OAuth error"),
            "{}",
            json.summary
        );
        let basic = classify(
            &p,
            &r,
            &resp(401, &[("WWW-Authenticate", "Basic realm=x")], ""),
        );
        assert_eq!(basic.verdict, Verdict::Unclear);
        let down = classify(
            &p,
            &r,
            &resp(503, &[("Content-Type", "text/html")], "<title>503</title>"),
        );
        assert_eq!(down.verdict, Verdict::Unclear);
        assert_eq!(down.problem, Some(Problem::ServerFailure));
        // An OAuth error naming no parameter of this request cannot tell either.
        let vague = classify(
            &p,
            &r,
            &resp(
                400,
                &[("Content-Type", "text/html")],
                "<p>invalid_request: something is off</p>",
            ),
        );
        assert_eq!(vague.verdict, Verdict::Unclear, "{vague:?}");
        // A known code that names its parameter is proof; so is one whose words do.
        let client = classify(
            &p,
            &r,
            &resp(
                401,
                &[
                    ("Content-Type", "application/json"),
                    ("WWW-Authenticate", "Bearer"),
                ],
                r#"{"error":"invalid_client"}"#,
            ),
        );
        assert_eq!(client.verdict, Verdict::Rejected, "{client:?}");
        let named = classify(
            &p,
            &r,
            &resp(
                400,
                &[("Content-Type", "text/html")],
                "<p>invalid_request: state is too short</p>",
            ),
        );
        assert_eq!(named.verdict, Verdict::Rejected, "{named:?}");
    }

    #[test]
    fn the_preflight_asks_as_a_browser_without_json() {
        assert!(!ACCEPT.contains("json"));
        assert!(ACCEPT.starts_with("text/html"));
    }

    #[test]
    fn uris_are_found_in_text() {
        assert_eq!(
            uris_in("registered: http://127.0.0.1:8765/callback); or `https://a.example/cb`. And com.example.app://x/y."),
            ["http://127.0.0.1:8765/callback", "https://a.example/cb", "com.example.app://x/y"]
        );
        assert!(uris_in("no uri here: //x").is_empty());
    }

    #[test]
    fn differences_in_words() {
        let d = uri_differences(
            "http://localhost:8765/callback",
            "http://127.0.0.1:8765/callback",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].contains("`localhost` against `127.0.0.1`"), "{d:?}");
        let d = uri_differences(
            "http://127.0.0.1:8766/Callback",
            "https://127.0.0.1:8765/callback",
        );
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d[0].contains("scheme")
                && d[1].contains("port 8766 against port 8765")
                && d[2].contains("case")
        );
        assert!(!d[1].contains("--port"), "{d:?}");
        let d = uri_differences(
            "http://127.0.0.1:8766/callback",
            "http://127.0.0.1:8765/callback",
        );
        assert!(d[0].contains("--port 8765"), "{d:?}");
        let d = uri_differences("https://a.example/cb", "https://a.example:443/cb");
        assert_eq!(d.len(), 1);
        assert!(d[0].contains("implicit"));
        assert!(uri_differences("https://a.example/cb", "https://a.example/cb").is_empty());
    }

    #[test]
    fn https_only_provider_names_the_scheme_rule() {
        let p = provider("worksection");
        let f = redirect_fixes(&p, "http://127.0.0.1:8765/callback", &[]);
        assert!(f[0].contains("accepts only https"), "{f:?}");
        let p = provider("hub");
        let f = redirect_fixes(&p, "http://127.0.0.1:8765/callback", &[]);
        assert!(
            f[0].contains("port (8765") && f[0].contains("without a trailing slash"),
            "{f:?}"
        );
    }

    #[test]
    fn an_invalid_request_naming_a_parameter_says_how_to_send_it() {
        let p = provider("hub");
        let r = request(&p, "http://127.0.0.1:8765/callback");
        let page = "<html><head><title>Error</title></head><body><h1>Authorization request refused</h1><p><code>invalid_request</code>: the prompt parameter is missing</p></body></html>";
        let out = classify(&p, &r, &resp(400, &[("Content-Type", "text/html")], page));
        assert_eq!(out.verdict, Verdict::Rejected);
        assert_eq!(out.problem, Some(Problem::Parameter), "{out:?}");
        assert!(
            out.fixes[0].contains("oauthctl login -p hub --param prompt=VALUE"),
            "{:?}",
            out.fixes
        );
        let loc = format!(
            "http://127.0.0.1:8765/callback?error=invalid_request&error_description=nonce+required&state={}",
            r.state
        );
        let out = classify(&p, &r, &resp(302, &[("Location", &loc)], ""));
        assert_eq!(out.problem, Some(Problem::Parameter));
        assert!(
            out.fixes[0].contains("requires the `nonce` parameter"),
            "{:?}",
            out.fixes
        );
        let loc = format!(
            "http://127.0.0.1:8765/callback?error=invalid_request&error_description=code_challenge+required&state={}",
            r.state
        );
        let out = classify(&p, &r, &resp(302, &[("Location", &loc)], ""));
        assert_eq!(out.problem, Some(Problem::Pkce));
    }
}
