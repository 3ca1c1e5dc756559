//! Diagnosis: an OAuth error explained with the evidence oauthctl holds about the flow.
//!
//! The error (any format: RFC 6749 JSON, Onboardbase's numeric codes, an HTML page, a
//! `WWW-Authenticate` header, all read into one model) says what the server refused;
//! the [`Evidence`] says what oauthctl knows: how old the code is against the
//! provider's code lifetime, whether this code was already sent, whether `redirect_uri`
//! at the token request differs from the authorization request's, whether S256 of the
//! verifier equals the challenge sent, the client authentication used against the
//! methods the server accepts, the clock skew. Each likely cause gets a score from both;
//! the causes come out ranked, each with its evidence and fix, and one command to try
//! next.
//!
//! Pure logic: no I/O, no printing.

use std::time::Duration;

use serde::Serialize;

use crate::error::Error;
use crate::oauth::error::{ErrorFormat, OAuthError};
use crate::oauth::pkce;
use crate::provider::{ClientAuth, Provider};
use crate::support::journal::{self, Flow};
use crate::support::redirect_uri::uri_differences;

/// The server's answer, as the one error model reads it.
#[derive(Debug, Clone, Default)]
pub struct ErrorFacts {
    pub status: u16,
    /// The OAuth error code (`invalid_grant`, `auth_code_expired`…), `http_<status>`
    /// when there is none.
    pub error: String,
    pub description: Option<String>,
    /// A numeric error code (Onboardbase).
    pub code: Option<i64>,
    /// The answer was an HTML page.
    pub html: bool,
    /// The error came in a `WWW-Authenticate` header.
    pub www_authenticate: bool,
}

impl From<&OAuthError> for ErrorFacts {
    fn from(e: &OAuthError) -> ErrorFacts {
        ErrorFacts {
            status: e.status,
            error: e.error.clone(),
            description: e.description.clone(),
            code: e.code,
            html: e.format == ErrorFormat::Html,
            www_authenticate: e.format == ErrorFormat::WwwAuthenticate,
        }
    }
}

/// How old the code is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CodeAge {
    pub age: Duration,
    /// True when the time the code arrived is known (login); false when only the time
    /// the authorization URL was made is (the code is at most this old).
    pub exact: bool,
}

/// An earlier token request that sent the same code.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlierExchange {
    pub ago: Duration,
    /// `login` or `exchange`.
    pub by: String,
    /// `ok` or the error answered.
    pub outcome: String,
}

/// What oauthctl knows about the flow the failed request belongs to.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The grant of the failed request (`authorization_code`, `refresh_token`…).
    pub grant: String,
    /// The command that made the request (`login`, `exchange`).
    pub command: String,
    /// Whether the authorization request of this code is known (journal or this process).
    pub flow_known: bool,
    pub code_age: Option<CodeAge>,
    /// Earlier token requests with this code (none when `flow_known` and never sent).
    pub earlier: Vec<EarlierExchange>,
    /// The redirect URI of the authorization request, when known.
    pub authorize_redirect_uri: Option<String>,
    /// The redirect URI of the token request (`None`: left out).
    pub token_redirect_uri: Option<String>,
    /// The PKCE challenge sent at the authorization request: `Some(None)` when it is
    /// known that none was sent.
    pub challenge: Option<Option<String>>,
    /// BASE64URL(SHA256(code_verifier sent)), when a verifier was sent.
    pub verifier_challenge: Option<String>,
    /// The client authentication method the token request used (`None`: not a token
    /// request).
    pub client_auth: Option<ClientAuth>,
    /// Seconds the server's clock is ahead of this machine's.
    pub clock_skew: Option<f64>,
    /// The refusal answers the authorization request (a redirect with `error=`): it
    /// has no code, so the fixes change that request, never `oauthctl exchange`.
    pub authorization_request: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseKind {
    ExpiredCode,
    ReusedCode,
    RedirectUriMismatch,
    PkceMismatch,
    PkceMissing,
    PkceUnexpected,
    UnknownCode,
    CodeFromAnotherClient,
    ExpiredRefreshToken,
    WrongClientAuth,
    WrongClientCredentials,
    ClientTypeMismatch,
    GrantNotAllowed,
    AccessDenied,
    MalformedRequest,
    /// An authorization request refused for a parameter the server names.
    AuthorizationParameter,
    InvalidScope,
    UnsupportedGrant,
    ServerFailure,
    ProxyFailure,
    WrongEndpoint,
    ClockSkew,
    /// A registered error code with a cause of its own (`consent_required`,
    /// `login_required`, `invalid_request_uri`, `invalid_dpop_proof`…): its title, fix
    /// and next step come from `oauth::error_codes`.
    ErrorCode,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    Unlikely,
    Possible,
    Likely,
}

impl Likelihood {
    fn of(score: i32) -> Likelihood {
        if score >= 60 {
            Likelihood::Likely
        } else if score >= 25 {
            Likelihood::Possible
        } else {
            Likelihood::Unlikely
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Likelihood::Likely => "likely cause",
            Likelihood::Possible => "possible cause",
            Likelihood::Unlikely => "unlikely",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    pub cause: CauseKind,
    pub likelihood: Likelihood,
    pub score: i32,
    /// The cause in words.
    pub title: String,
    /// What points to it (or away from it).
    pub evidence: Vec<String>,
    pub fix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    /// What the error means.
    pub meaning: String,
    /// Most likely first; only causes with some support.
    pub causes: Vec<Cause>,
    /// The command (or change) to try next.
    pub next: String,
}

impl Diagnosis {
    pub fn top(&self) -> Option<&Cause> {
        self.causes.first()
    }

    /// The hint of the error oauthctl reports: meaning, likely and possible causes with
    /// their evidence and fixes, and the next step. Lines after the first are indented
    /// to sit under `  hint: `.
    pub fn hint(&self) -> String {
        let pad = "        ";
        let mut s = self.meaning.clone();
        for c in self
            .causes
            .iter()
            .filter(|c| c.likelihood != Likelihood::Unlikely)
            .take(3)
        {
            s.push_str(&format!("\n{pad}{}: {}", c.likelihood.label(), c.title));
            for e in &c.evidence {
                s.push_str(&format!("\n{pad}  - {e}"));
            }
            s.push_str(&format!("\n{pad}  fix: {}", c.fix));
        }
        s.push_str(&format!("\n{pad}next: {}", self.next));
        s
    }
}

/// The evidence of a token request that sent a code: from the flow it belongs to (the
/// journal's, or this process's own), the earlier requests with the same code, and the
/// parameters actually sent. Pure: the caller reads the journal.
#[allow(clippy::too_many_arguments)]
pub fn evidence(
    flow: Option<&Flow>,
    earlier: &[journal::Exchange],
    params: &[(String, String)],
    client_auth: ClientAuth,
    clock_skew: Option<f64>,
    command: &str,
    now: u64,
) -> Evidence {
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    // A flow that `exchange` made up for a code it did not know says nothing about the
    // authorization request.
    let flow = flow.filter(|f| f.source != "exchange");
    let code_age = flow.map(|f| match f.code_received_at {
        Some(at) => CodeAge {
            age: Duration::from_secs(now.saturating_sub(at)),
            exact: true,
        },
        None => CodeAge {
            age: Duration::from_secs(now.saturating_sub(f.created_at)),
            exact: false,
        },
    });
    Evidence {
        grant: get("grant_type").unwrap_or_else(|| "authorization_code".into()),
        command: command.to_string(),
        flow_known: flow.is_some(),
        code_age,
        earlier: earlier
            .iter()
            .map(|x| EarlierExchange {
                ago: Duration::from_secs(now.saturating_sub(x.at)),
                by: x.by.clone(),
                outcome: x.outcome.clone(),
            })
            .collect(),
        authorize_redirect_uri: flow.map(|f| f.redirect_uri.clone()),
        token_redirect_uri: get("redirect_uri"),
        challenge: flow.map(|f| f.code_challenge.clone()),
        verifier_challenge: get("code_verifier").map(|v| pkce::challenge_s256(&v)),
        client_auth: Some(client_auth),
        clock_skew,
        authorization_request: false,
    }
}

/// The error oauthctl reports for a refused request: the error model's one-line
/// message (what failed, the status, the server's words) with the diagnosis as hint.
pub fn to_error(provider: &Provider, oauth: &OAuthError, what: &str, d: &Diagnosis) -> Error {
    let grant = "authorization_code";
    let e = oauth.to_error(provider, what, grant);
    Error {
        hint: Some(d.hint()),
        ..e
    }
}

/// The error for a refused grant that sends no code (client credentials, password,
/// device): the grant's own hint, then the diagnosis's causes that do not depend on a
/// code (client authentication, grant, scope, clock, server).
pub fn to_grant_error(
    provider: &Provider,
    oauth: &OAuthError,
    what: &str,
    grant: &str,
    d: &Diagnosis,
) -> Error {
    let e = oauth.to_error(provider, what, grant);
    let pad = "        ";
    let mut hint = e.hint.clone().unwrap_or_default();
    for c in d.causes.iter().filter(|c| {
        c.likelihood != Likelihood::Unlikely
            && matches!(
                c.cause,
                CauseKind::WrongClientAuth
                    | CauseKind::WrongClientCredentials
                    | CauseKind::ClientTypeMismatch
                    | CauseKind::GrantNotAllowed
                    | CauseKind::InvalidScope
                    | CauseKind::UnsupportedGrant
                    | CauseKind::ServerFailure
                    | CauseKind::ProxyFailure
                    | CauseKind::WrongEndpoint
                    | CauseKind::ClockSkew
            )
    }) {
        hint.push_str(&format!("\n{pad}{}: {}", c.likelihood.label(), c.title));
        for ev in &c.evidence {
            hint.push_str(&format!("\n{pad}  - {ev}"));
        }
        hint.push_str(&format!("\n{pad}  fix: {}", c.fix));
    }
    Error {
        hint: (!hint.is_empty()).then_some(hint),
        ..e
    }
}

struct Builder<'a> {
    provider: &'a Provider,
    causes: Vec<Cause>,
    /// The fixes are for an authorization request (no code, no `exchange`).
    authorization: bool,
    /// The parameter an authorization request was refused for, when the server named one.
    parameter: Option<String>,
    /// The next step of a known error code (`oauth::error_codes`).
    code_next: Option<String>,
}

impl Builder<'_> {
    fn cause(&mut self, kind: CauseKind) -> &mut Cause {
        if let Some(i) = self.causes.iter().position(|c| c.cause == kind) {
            return &mut self.causes[i];
        }
        let (title, fix) = if self.authorization {
            describe_authorization(self.provider, kind)
                .unwrap_or_else(|| describe(self.provider, kind))
        } else {
            describe(self.provider, kind)
        };
        self.causes.push(Cause {
            cause: kind,
            likelihood: Likelihood::Unlikely,
            score: 0,
            title,
            evidence: Vec::new(),
            fix,
        });
        let last = self.causes.len() - 1;
        &mut self.causes[last]
    }
    fn score(&mut self, kind: CauseKind, points: i32, evidence: Option<String>) {
        let c = self.cause(kind);
        c.score += points;
        if let Some(e) = evidence {
            c.evidence.push(e);
        }
    }
}

/// The client's credentials refused: its secret, or its certificate (mutual TLS).
fn wrong_credentials(p: &Provider) -> (&'static str, String) {
    let (name, display) = (&p.name, p.display_name());
    if p.auth_method().uses_certificate() {
        (
            "the client certificate was not accepted: not presented (no mutual TLS at this endpoint), not from a CA the server trusts, not the registered one, or for another subject",
            format!("check tls_client_certificate/tls_client_key (or --client-cert/--client-key) in the [providers.{name}] table against the client's registration at {display} (its tls_client_auth_* subject or registered certificate), and that the token endpoint is the server's mutual TLS one (mtls_endpoint_aliases: `oauthctl discover -p {name}`)"),
        )
    } else {
        (
            "the client_id or client secret is wrong (or the client was disabled)",
            format!("check client_id and the client secret (client_secret_env) in the [providers.{name}] table against the client's registration at {display}"),
        )
    }
}

fn describe(p: &Provider, kind: CauseKind) -> (String, String) {
    let name = &p.name;
    let display = p.display_name();
    let life = p
        .code_lifetime()
        .map(|l| format!(" (codes live {})", crate::duration::human(l)))
        .unwrap_or_default();
    let relogin =
        format!("get a new code with `oauthctl login -p {name}` and exchange it at once{life}");
    let (t, f): (&str, String) = match kind {
        CauseKind::ExpiredCode => ("the authorization code expired before it was exchanged", relogin),
        CauseKind::ReusedCode => (
            "the authorization code was already used (codes are single use)",
            format!("{relogin}; a code can be exchanged once only, and servers may revoke the tokens issued from a replayed code"),
        ),
        CauseKind::RedirectUriMismatch => (
            "redirect_uri at the token request differs from the authorization request's",
            "send the authorization request's redirect_uri exactly (--redirect-uri with `oauthctl exchange`), character for character".to_string(),
        ),
        CauseKind::PkceMismatch => (
            "the PKCE code_verifier does not match the code_challenge of the authorization request",
            "send the code_verifier printed with the authorization URL that produced this code (`oauthctl exchange --code-verifier V`), or log in again".to_string(),
        ),
        CauseKind::PkceMissing => (
            "the code_verifier is missing: the authorization request had a code_challenge",
            "add the code_verifier printed with the authorization URL (`oauthctl exchange --code-verifier V`)".to_string(),
        ),
        CauseKind::PkceUnexpected => (
            "a code_verifier was sent, but the authorization request had no code_challenge",
            "leave the verifier out (`oauthctl exchange --omit code_verifier`), or send PKCE in the authorization request too".to_string(),
        ),
        CauseKind::UnknownCode => (
            "the server does not know this code: mistyped, cut short when pasted, decoded twice, or from another server",
            "copy the whole `code` value from the redirect URL (or paste the URL itself with `oauthctl exchange --callback-url URL`)".to_string(),
        ),
        CauseKind::CodeFromAnotherClient => (
            "the code was issued to another client_id",
            format!("exchange it with the client_id of the authorization request (--client-id), or set `client_id` in [providers.{name}]"),
        ),
        CauseKind::ExpiredRefreshToken => (
            "the refresh token expired, was revoked, or was rotated by another refresh",
            format!("log in again: `oauthctl login -p {name}`"),
        ),
        CauseKind::WrongClientAuth => (
            "the client authenticated with a method the server does not accept",
            format!("set `token_endpoint_auth_method` in the [providers.{name}] table to a method {display} accepts (`oauthctl exchange --client-auth METHOD` tries one)"),
        ),
        CauseKind::WrongClientCredentials => wrong_credentials(p),
        CauseKind::ClientTypeMismatch => (
            "the client is public where the server expects a confidential one, or the reverse",
            format!("match token_endpoint_auth_method (none for a public client) and the client secret to how the client is registered at {display}"),
        ),
        CauseKind::GrantNotAllowed => (
            "the client is not allowed to use this grant type",
            format!("enable the grant for the client in its settings at {display}"),
        ),
        CauseKind::AccessDenied => (
            "the authorization was denied (by the user, or by a policy of the server)",
            format!("log in again and approve the request (`oauthctl login -p {name}`); if nobody was asked, the client may not be allowed for this account"),
        ),
        CauseKind::MalformedRequest => (
            "a parameter is missing, repeated, malformed or in the wrong place",
            format!("see the request with --trace; `oauthctl exchange -p {name} --param k=v --omit NAME` replays it with any parameter changed"),
        ),
        CauseKind::AuthorizationParameter => (
            "the server refused a parameter of the authorization request",
            format!("send it with `oauthctl login -p {name} --param NAME=VALUE`"),
        ),
        CauseKind::InvalidScope => (
            "a requested scope is unknown or not allowed for this client",
            format!(
                "ask for scopes the server knows with --scope{}",
                p.spec
                    .scopes_supported
                    .as_ref()
                    .filter(|s| !s.is_empty())
                    .map(|s| format!(" ({})", s.join(" ")))
                    .unwrap_or_default()
            ),
        ),
        CauseKind::UnsupportedGrant => (
            "the server does not support this grant type at this endpoint",
            format!(
                "check grant_types_supported ({}) and where refreshes go (refresh_endpoint)",
                p.spec
                    .grant_types_supported
                    .as_ref()
                    .map(|g| g.join(", "))
                    .unwrap_or_else(|| "not advertised".into())
            ),
        ),
        CauseKind::ServerFailure => (
            "the server failed while handling the request",
            "try again in a minute; if it persists, tell the provider (the request itself may be fine)".to_string(),
        ),
        CauseKind::ProxyFailure => (
            "a proxy or gateway in front of the authorization server failed: the server itself never judged the request",
            "try again in a minute; the code may or may not have been used by the server behind the proxy".to_string(),
        ),
        CauseKind::WrongEndpoint => (
            "token_endpoint does not point at an OAuth token endpoint",
            format!("check token_endpoint with `oauthctl doctor -p {name}` (or `oauthctl discover`)"),
        ),
        CauseKind::ClockSkew => (
            "this machine's clock and the server's differ",
            "set this machine's clock right (NTP); `oauthctl doctor` measures the difference".to_string(),
        ),
        CauseKind::ErrorCode => (
            "the reason the server's error code names",
            format!("read the server's words above; `oauthctl login -p {name} --trace` shows each request"),
        ),
        CauseKind::Other => (
            "the server gave no reason oauthctl recognises",
            format!("read the server's words above; replay the request with `oauthctl exchange -p {name}` and --trace"),
        ),
    };
    (t.to_string(), f)
}

/// The causes whose words differ for an authorization request: it has no code to
/// exchange, so its fixes change the request itself (`login --param`, `authorize-url`).
fn describe_authorization(p: &Provider, kind: CauseKind) -> Option<(String, String)> {
    let name = &p.name;
    let (t, f) = match kind {
        CauseKind::MalformedRequest => (
            "a parameter of the authorization request is missing, repeated or malformed",
            format!("see the request with `oauthctl authorize-url -p {name}`; add or change a parameter with `oauthctl login -p {name} --param NAME=VALUE`"),
        ),
        CauseKind::Other => (
            "the server gave no reason oauthctl recognises",
            format!("read the server's words above; see the request with `oauthctl authorize-url -p {name}` and change it with `oauthctl login -p {name} --param NAME=VALUE`"),
        ),
        _ => return None,
    };
    Some((t.to_string(), f))
}

/// Authorization request parameters a server may name in an `invalid_request`, longest
/// first (`code_challenge_method` before `code_challenge`).
const AUTHORIZATION_PARAMETERS: &[&str] = &[
    "code_challenge_method",
    "code_challenge",
    "redirect_uri",
    "response_type",
    "response_mode",
    "id_token_hint",
    "request_uri",
    "login_hint",
    "acr_values",
    "ui_locales",
    "client_id",
    "resource",
    "audience",
    "max_age",
    "prompt",
    "nonce",
    "state",
    "scope",
];

/// The parameter an error description names (as a whole word, `_` included), from
/// the authorization request's parameters and the provider's scope parameter
/// (Onboardbase: `scopes`).
pub fn named_parameter(description: &str, scope_param: &str) -> Option<String> {
    let d = description.to_ascii_lowercase();
    let edge = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    // Where `w` first appears as a whole word.
    let at = |w: &str| {
        d.match_indices(w)
            .map(|(i, _)| i)
            .find(|&i| edge(d[..i].chars().next_back()) && edge(d[i + w.len()..].chars().next()))
    };
    // The one named first is the one the description is about.
    std::iter::once(scope_param)
        .filter(|s| *s != "scope")
        .chain(AUTHORIZATION_PARAMETERS.iter().copied())
        .filter_map(|p| at(p).map(|i| (i, p)))
        .min_by_key(|(i, _)| *i)
        .map(|(_, p)| p.to_string())
}

/// The parameter cause of an authorization request: which parameter, and how to send it.
fn parameter_cause(b: &mut Builder<'_>, param: &str, desc: &str) {
    let name = b.provider.name.clone();
    let missing = contains_any(
        desc,
        &[
            "required",
            "missing",
            "must carry",
            "must be present",
            "must include",
            "needed",
            "absent",
        ],
    );
    let how = match param {
        "redirect_uri" => format!("`oauthctl login -p {name} --redirect-uri URI` with a URI registered for the client (or --param redirect_uri=URI)"),
        "scope" | "scopes" => format!("`oauthctl login -p {name} --scope SCOPE` (or --param {param}=VALUE)"),
        "state" | "code_challenge" | "code_challenge_method" => format!("`oauthctl login -p {name} --param {param}=VALUE` (oauthctl sends its own unless overridden; see it with `oauthctl authorize-url -p {name}`)"),
        _ => format!("`oauthctl login -p {name} --param {param}=VALUE`"),
    };
    b.score(
        CauseKind::AuthorizationParameter,
        80,
        Some(format!("the server named the `{param}` parameter")),
    );
    let c = b.cause(CauseKind::AuthorizationParameter);
    c.title = if missing {
        format!("the authorization request lacks the `{param}` parameter the server requires")
    } else {
        format!("the server refused the value of the authorization request's `{param}` parameter")
    };
    c.fix = format!(
        "{} `{param}`: {how}",
        if missing { "add" } else { "send a valid" }
    );
    b.parameter = Some(param.to_string());
}

fn words_ago(d: Duration) -> String {
    crate::duration::human(d)
}

fn short(s: &str) -> String {
    if s.chars().count() > 12 {
        format!("{}…", s.chars().take(10).collect::<String>())
    } else {
        s.to_string()
    }
}

fn contains_any(haystack: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| haystack.contains(n))
}

/// Explains `facts` with `ev`.
pub fn diagnose(provider: &Provider, facts: &ErrorFacts, ev: &Evidence) -> Diagnosis {
    let mut b = Builder {
        provider,
        causes: Vec::new(),
        authorization: ev.authorization_request,
        parameter: None,
        code_next: None,
    };
    let desc = facts
        .description
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let error = facts.error.as_str();
    let code_grant = ev.grant == "authorization_code";
    let display = provider.display_name();
    let numbered = facts
        .code
        .map(|c| format!("{display}'s code {c} ({error})"))
        .unwrap_or_else(|| error.to_string());
    let meaning = if facts.html || (error.starts_with("http_") && !facts.www_authenticate) {
        unreadable_answer(&mut b, facts)
    } else {
        error_causes(&mut b, provider, facts, &desc, ev);
        error_meaning(error, &numbered)
    };
    if let Some(skew) = ev.clock_skew.filter(|s| s.abs() > 60.0) {
        b.score(
            CauseKind::ClockSkew,
            if code_grant { 30 } else { 20 },
            Some(format!(
                "the server's clock is {} {} this machine's (Date header)",
                words_ago(Duration::from_secs_f64(skew.abs())),
                if skew > 0.0 { "ahead of" } else { "behind" }
            )),
        );
    }
    let parameter = b.parameter.clone();
    let code_next = b.code_next.clone();
    let causes = ranked(b);
    let next = if let (Some(CauseKind::ErrorCode), Some(n)) =
        (causes.first().map(|c| c.cause), code_next)
    {
        n
    } else if ev.authorization_request {
        authorization_next_step(provider, causes.first(), parameter.as_deref())
    } else {
        next_step(provider, causes.first(), ev)
    };
    Diagnosis {
        meaning,
        causes,
        next,
    }
}

/// An answer that is not OAuth (an HTML page, an unreadable body): its meaning, and
/// the causes its status points at.
fn unreadable_answer(b: &mut Builder<'_>, facts: &ErrorFacts) -> String {
    let status = facts.status;
    let meaning = format!(
        "not an OAuth answer: {} with status {status}{}",
        if facts.html {
            "an HTML page"
        } else {
            "a body oauthctl cannot read"
        },
        facts
            .description
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default()
    );
    match status {
        502..=504 => b.score(
            CauseKind::ProxyFailure,
            90,
            Some(format!(
                "{status} {} is what a proxy or load balancer answers when the server behind it is down or too slow",
                crate::http::reason(status)
            )),
        ),
        500..=599 => b.score(CauseKind::ServerFailure, 80, None),
        404 | 405 => b.score(
            CauseKind::WrongEndpoint,
            85,
            Some(format!("{status}: there is no token endpoint at this URL")),
        ),
        200..=299 | 401 | 403 => b.score(
            CauseKind::WrongEndpoint,
            60,
            Some("a web page (a login page, a firewall's block page) came back instead of JSON".into()),
        ),
        _ => b.score(CauseKind::Other, 40, None),
    }
    meaning
}

/// What an OAuth error code means.
fn error_meaning(error: &str, numbered: &str) -> String {
    match error {
        "invalid_grant" => format!(
            "{numbered}: the server refused the grant itself: the code (or refresh token) is invalid, expired, revoked, already used, or does not match the redirect_uri or PKCE verifier of its authorization request (RFC 6749 §5.2)"
        ),
        "invalid_code" => format!("{numbered}: the authorization code is not valid (unknown, already used, or issued for something else)"),
        "auth_code_expired" => format!("{numbered}: the authorization code expired before it was exchanged"),
        "invalid_client" => format!("{numbered}: client authentication failed: unknown client, wrong secret, or a method the server does not accept (RFC 6749 §5.2)"),
        "unauthorized_client" => format!("{numbered}: the client is not allowed to do this (RFC 6749 §5.2)"),
        "access_denied" => format!("{numbered}: the resource owner or the server denied the request"),
        "invalid_request" => format!("{numbered}: a parameter is missing, repeated, malformed or in the wrong place"),
        "invalid_scope" => format!("{numbered}: a requested scope is invalid, unknown or beyond what was granted"),
        "unsupported_grant_type" => format!("{numbered}: the server does not support this grant type"),
        "server_error" | "temporarily_unavailable" => format!("{numbered}: the server failed or is overloaded"),
        other => match crate::oauth::error_codes::lookup(other) {
            Some(c) => format!("{numbered}: {} ({})", c.meaning, c.spec),
            None => format!("{numbered}: an error oauthctl does not know ({other}); the server's words are above"),
        },
    }
}

/// The causes an OAuth error code points at, weighed with the evidence.
fn error_causes(
    b: &mut Builder<'_>,
    provider: &Provider,
    facts: &ErrorFacts,
    desc: &str,
    ev: &Evidence,
) {
    let error = facts.error.as_str();
    let code_grant = ev.grant == "authorization_code";
    match error {
        "invalid_grant" | "invalid_code" | "auth_code_expired" if code_grant => {
            grant_causes(b, provider, facts, desc, ev)
        }
        "invalid_grant" if ev.grant == "refresh_token" => b.score(
            CauseKind::ExpiredRefreshToken,
            80,
            facts
                .description
                .clone()
                .map(|d| format!("the server said: {d}")),
        ),
        "invalid_client" => client_causes(b, provider, desc, ev, facts),
        "unauthorized_client"
            if facts.status == 401 || desc.contains("secret") || desc.contains("authenticat") =>
        {
            client_causes(b, provider, desc, ev, facts)
        }
        "unauthorized_client" => b.score(CauseKind::GrantNotAllowed, 75, None),
        "access_denied" => b.score(CauseKind::AccessDenied, 85, None),
        "invalid_request" => request_causes(b, desc, ev),
        "invalid_scope" => b.score(CauseKind::InvalidScope, 85, None),
        "unsupported_grant_type" => b.score(CauseKind::UnsupportedGrant, 80, None),
        "server_error" | "temporarily_unavailable" => b.score(CauseKind::ServerFailure, 85, None),
        other if crate::oauth::error_codes::lookup(other).is_some() => code_cause(b, facts),
        _ if facts.status >= 500 => b.score(CauseKind::ServerFailure, 70, None),
        _ => b.score(CauseKind::Other, 30, None),
    }
}

/// A registered error code's own cause (`oauth::error_codes`): its causes, its fix and
/// its next step.
fn code_cause(b: &mut Builder<'_>, facts: &ErrorFacts) {
    let Some(entry) = crate::oauth::error_codes::lookup(&facts.error) else {
        return;
    };
    let name = b.provider.name.clone();
    let fill = |t: &str| crate::oauth::error_codes::fill(t, &name);
    b.score(
        CauseKind::ErrorCode,
        80,
        Some(
            facts
                .description
                .as_deref()
                .map(|d| format!("the server said: {d}"))
                .unwrap_or_else(|| format!("the server answered {}", entry.code)),
        ),
    );
    let c = b.cause(CauseKind::ErrorCode);
    c.title = entry.causes.to_string();
    c.fix = fill(entry.fix);
    b.code_next = Some(fill(entry.next));
}

/// The causes in order, most likely first; when none fits, a cause saying so.
fn ranked(mut b: Builder<'_>) -> Vec<Cause> {
    let ruled_out: Vec<String> = b
        .causes
        .iter()
        .filter(|c| c.score <= 0)
        .flat_map(|c| c.evidence.iter().cloned())
        .collect();
    if !b.causes.iter().any(|c| c.score >= 25) {
        // The evidence rules the usual causes out: say so rather than guess.
        b.score(CauseKind::Other, 30, None);
        let c = b.cause(CauseKind::Other);
        c.title = "none of the usual causes fits the evidence: the server refused for a reason of its own (a revoked grant or client, a server-side policy, an injected fault)".into();
        c.evidence
            .extend(ruled_out.iter().map(|r| format!("ruled out: {r}")));
    }
    let mut causes = b.causes;
    for c in &mut causes {
        c.likelihood = Likelihood::of(c.score);
    }
    causes.retain(|c| c.score > 0);
    causes.sort_by_key(|c| std::cmp::Reverse(c.score));
    causes
}

fn grant_causes(b: &mut Builder<'_>, p: &Provider, facts: &ErrorFacts, desc: &str, ev: &Evidence) {
    use CauseKind::*;
    b.score(ExpiredCode, 20, None);
    b.score(ReusedCode, 20, None);
    b.score(RedirectUriMismatch, 15, None);
    b.score(UnknownCode, 10, None);
    if p.uses_pkce() || ev.verifier_challenge.is_some() {
        b.score(PkceMismatch, 15, None);
    }
    grant_words_causes(b, p, facts, desc);
    code_age_causes(b, p, facts, desc, ev);
    earlier_exchange_causes(b, ev);
    redirect_uri_causes(b, ev);
    pkce_causes(b, ev);
    if !ev.flow_known {
        b.score(
            UnknownCode,
            10,
            Some("oauthctl has no record of the authorization request of this code, so its age and parameters are unknown".into()),
        );
    }
}

/// What the server's description and error code say about a refused code.
fn grant_words_causes(b: &mut Builder<'_>, p: &Provider, facts: &ErrorFacts, desc: &str) {
    use CauseKind::*;
    // The server's words.
    if let Some(d) = &facts.description {
        let said = format!("the server said: {d}");
        // A server that names the reason outright outweighs a lifetime from the guide.
        if contains_any(desc, &["expire"]) {
            b.score(ExpiredCode, 80, Some(said.clone()));
        }
        if contains_any(desc, &["already", "reuse", "redeemed", "replay", "used"]) {
            b.score(ReusedCode, 80, Some(said.clone()));
        }
        if contains_any(desc, &["redirect"]) {
            b.score(RedirectUriMismatch, 60, Some(said.clone()));
        }
        if contains_any(desc, &["verifier", "pkce", "challenge"]) {
            if contains_any(desc, &["missing", "required"]) {
                b.score(PkceMissing, 70, Some(said.clone()));
            } else if contains_any(desc, &["no code_challenge", "had no"]) {
                b.score(PkceUnexpected, 70, Some(said.clone()));
            } else {
                b.score(PkceMismatch, 60, Some(said.clone()));
            }
        }
        if contains_any(desc, &["another client", "different client", "issued to"]) {
            b.score(CodeFromAnotherClient, 70, Some(said.clone()));
        }
        if contains_any(
            desc,
            &[
                "unknown",
                "not found",
                "does not exist",
                "never issued",
                "malformed",
            ],
        ) {
            b.score(UnknownCode, 30, Some(said));
        }
    }
    match facts.error.as_str() {
        "auth_code_expired" => b.score(
            ExpiredCode,
            70,
            Some(format!(
                "{} says so: code {} is auth_code_expired",
                p.display_name(),
                facts.code.map(|c| c.to_string()).unwrap_or_default()
            )),
        ),
        "invalid_code" => {
            b.score(ReusedCode, 10, None);
            b.score(UnknownCode, 15, None);
            b.score(ExpiredCode, -10, Some(format!(
                "{} reports expired codes with their own code (auth_code_expired), not invalid_code",
                p.display_name()
            )));
        }
        _ => {}
    }
}

/// The code's age against the provider's code lifetime.
fn code_age_causes(
    b: &mut Builder<'_>,
    p: &Provider,
    facts: &ErrorFacts,
    desc: &str,
    ev: &Evidence,
) {
    use CauseKind::*;
    // Age against the code lifetime.
    let lifetime = p.code_lifetime();
    let server_says_expired = facts.error == "auth_code_expired" || desc.contains("expire");
    if let Some(a) = ev.code_age {
        let age = words_ago(a.age);
        let how = if a.exact {
            format!("the code arrived {age} before this request")
        } else {
            format!("the authorization URL was made {age} before this request, so the code is at most that old")
        };
        match lifetime {
            Some(l) if a.age > l => b.score(
                ExpiredCode,
                if a.exact { 60 } else { 25 },
                Some(format!(
                    "{how}; {} codes live {}",
                    p.display_name(),
                    words_ago(l)
                )),
            ),
            Some(l) if server_says_expired => b.score(
                ExpiredCode,
                0,
                Some(format!(
                    "{how}, younger than the {} {} documents: the server's code lifetime is shorter, or its clock runs ahead",
                    words_ago(l),
                    p.display_name()
                )),
            ),
            Some(l) => b.score(
                ExpiredCode,
                -40,
                Some(format!("{how}, within the {} codes live", words_ago(l))),
            ),
            None if a.age > Duration::from_secs(600) => b.score(
                ExpiredCode,
                25,
                Some(format!("{how}; most servers keep codes 1 to 10 minutes")),
            ),
            None if a.exact && a.age < Duration::from_secs(30) => b.score(
                ExpiredCode,
                -15,
                Some(format!("{how}: too soon for most code lifetimes")),
            ),
            None => {}
        }
    }
}

/// Earlier exchanges of the same code (the flow journal).
fn earlier_exchange_causes(b: &mut Builder<'_>, ev: &Evidence) {
    use CauseKind::*;
    // Earlier exchanges of the same code.
    if let Some(first) = ev.earlier.first() {
        let n = ev.earlier.len();
        let any_ok = ev.earlier.iter().any(|x| x.outcome == "ok");
        b.score(
            ReusedCode,
            if any_ok { 75 } else { 30 },
            Some(format!(
                "this code was already sent to the token endpoint {} ago by `oauthctl {}` (answer: {}){}",
                words_ago(first.ago),
                first.by,
                first.outcome,
                if n > 1 { format!(", and {} more time(s) since", n - 1) } else { String::new() }
            )),
        );
        if !any_ok {
            b.cause(ReusedCode).evidence.push(
                "no earlier request got tokens with it, though a server may count a failed attempt as a use".into(),
            );
        }
    } else if ev.flow_known {
        b.score(
            ReusedCode,
            -15,
            Some("oauthctl has not sent this code before (its flow journal), though another program might have".into()),
        );
    }
}

/// redirect_uri at the authorization request and at the token request.
fn redirect_uri_causes(b: &mut Builder<'_>, ev: &Evidence) {
    use CauseKind::*;
    // redirect_uri at both requests.
    match (&ev.authorize_redirect_uri, &ev.token_redirect_uri) {
        (Some(a), Some(t)) if a != t => {
            let diffs = uri_differences(t, a);
            b.score(
                RedirectUriMismatch,
                75,
                Some(format!(
                    "the token request sent `{t}`, the authorization request `{a}`{}",
                    if diffs.is_empty() { String::new() } else { format!(": {}", diffs.join("; ")) }
                )),
            );
            b.cause(RedirectUriMismatch).fix = format!(
                "send `{a}` as redirect_uri (`oauthctl exchange --redirect-uri {a}`)"
            );
        }
        (Some(a), None) => b.score(
            RedirectUriMismatch,
            70,
            Some(format!(
                "the token request left redirect_uri out, but the authorization request sent `{a}` (RFC 6749 §4.1.3: it must be repeated)"
            )),
        ),
        (Some(_), Some(_)) => b.score(
            RedirectUriMismatch,
            -40,
            Some("redirect_uri is the same at both requests".into()),
        ),
        _ => {}
    }
}

/// The PKCE challenge sent against the verifier sent.
fn pkce_causes(b: &mut Builder<'_>, ev: &Evidence) {
    use CauseKind::*;
    // PKCE.
    match (&ev.challenge, &ev.verifier_challenge) {
        (Some(Some(ch)), Some(vc)) if ch != vc => b.score(
            PkceMismatch,
            80,
            Some(format!(
                "S256 of the verifier sent is {}, but the challenge sent was {}",
                short(vc),
                short(ch)
            )),
        ),
        (Some(Some(_)), Some(_)) => b.score(
            PkceMismatch,
            -50,
            Some("S256 of the verifier sent equals the challenge sent".into()),
        ),
        (Some(Some(_)), None) => b.score(
            PkceMissing,
            85,
            Some(
                "the authorization request sent a code_challenge, and no code_verifier was sent"
                    .into(),
            ),
        ),
        (Some(None), Some(_)) => b.score(
            PkceUnexpected,
            60,
            Some(
                "the authorization request had no code_challenge, yet a code_verifier was sent"
                    .into(),
            ),
        ),
        _ => {}
    }
}

fn client_causes(b: &mut Builder<'_>, p: &Provider, desc: &str, ev: &Evidence, facts: &ErrorFacts) {
    use CauseKind::*;
    let used = ev.client_auth.map(ClientAuth::as_str).unwrap_or_default();
    b.score(WrongClientCredentials, 35, None);
    match p
        .spec
        .token_endpoint_auth_methods_supported
        .as_ref()
        .filter(|m| !m.is_empty())
    {
        Some(m) if !m.iter().any(|x| x == used) => {
            b.score(
                WrongClientAuth,
                85,
                Some(format!(
                    "the request used {used}; {} accepts {} only",
                    p.display_name(),
                    m.join(", ")
                )),
            );
            // The method alone explains the refusal.
            b.score(WrongClientCredentials, -20, None);
        }
        Some(m) => {
            b.score(
                WrongClientAuth,
                5,
                Some(format!(
                    "{used} is among the methods the server accepts ({})",
                    m.join(", ")
                )),
            );
            b.score(WrongClientCredentials, 20, None);
        }
        None => b.score(
            WrongClientAuth,
            25,
            Some(format!(
                "the request used {used}; the server does not say which methods it accepts"
            )),
        ),
    }
    if (facts.www_authenticate || contains_any(desc, &["basic realm"]))
        && ev.client_auth != Some(ClientAuth::ClientSecretBasic)
    {
        b.score(
            WrongClientAuth,
            25,
            Some("the server answered with a WWW-Authenticate challenge: it expects HTTP Basic credentials".into()),
        );
    }
    if contains_any(
        desc,
        &[
            "accepts client authentication",
            "authentication method",
            "more than one client authentication",
        ],
    ) {
        b.score(
            WrongClientAuth,
            40,
            facts
                .description
                .clone()
                .map(|d| format!("the server said: {d}")),
        );
    }
    if contains_any(
        desc,
        &[
            "wrong client_secret",
            "wrong secret",
            "client secret",
            "invalid secret",
            "bad secret",
            "unknown client",
            "client not found",
            "invalid client credentials",
        ],
    ) && !contains_any(desc, &["no secret", "has no secret"])
    {
        b.score(
            WrongClientCredentials,
            40,
            facts
                .description
                .clone()
                .map(|d| format!("the server said: {d}")),
        );
    }
    if contains_any(
        desc,
        &["public client", "confidential client", "has no secret"],
    ) {
        b.score(
            ClientTypeMismatch,
            75,
            facts
                .description
                .clone()
                .map(|d| format!("the server said: {d}")),
        );
    }
}

fn request_causes(b: &mut Builder<'_>, desc: &str, ev: &Evidence) {
    use CauseKind::*;
    b.score(MalformedRequest, 50, None);
    if ev.authorization_request {
        if let Some(param) = named_parameter(desc, b.provider.scope_param()) {
            parameter_cause(b, &param, desc);
        }
        return;
    }
    if desc.contains("redirect_uri") && ev.grant == "authorization_code" {
        b.score(RedirectUriMismatch, 60, None);
    }
    if desc.contains("code_verifier") {
        b.score(PkceMissing, 60, None);
    }
}

fn next_step(p: &Provider, top: Option<&Cause>, ev: &Evidence) -> String {
    let name = &p.name;
    let Some(top) = top else {
        return format!("replay the request with `oauthctl exchange -p {name} --trace`");
    };
    let exchange = format!("oauthctl exchange -p {name} --code CODE");
    match top.cause {
        CauseKind::ExpiredCode | CauseKind::ReusedCode | CauseKind::UnknownCode | CauseKind::AccessDenied => {
            format!("oauthctl login -p {name}")
        }
        CauseKind::CodeFromAnotherClient => format!("{exchange} --client-id CLIENT_ID_OF_THE_AUTHORIZATION_REQUEST"),
        CauseKind::RedirectUriMismatch => match &ev.authorize_redirect_uri {
            Some(a) => format!("{exchange} --redirect-uri {a} (or `oauthctl login -p {name}` for a new code)"),
            None => format!("{exchange} --redirect-uri URI_OF_THE_AUTHORIZATION_REQUEST"),
        },
        CauseKind::PkceMismatch | CauseKind::PkceMissing => format!(
            "{exchange} --code-verifier VERIFIER (the one printed with the authorization URL), or `oauthctl login -p {name}`"
        ),
        CauseKind::PkceUnexpected => format!("{exchange} --omit code_verifier"),
        CauseKind::WrongClientAuth => {
            let m = p
                .spec
                .token_endpoint_auth_methods_supported
                .as_ref()
                .and_then(|m| m.first().cloned())
                .unwrap_or_else(|| "client_secret_basic".into());
            format!(
                "set `token_endpoint_auth_method = \"{m}\"` in the [providers.{name}] table, then `oauthctl login -p {name}` (or try it: `{exchange} --client-auth {m}`)"
            )
        }
        CauseKind::WrongClientCredentials | CauseKind::ClientTypeMismatch | CauseKind::WrongEndpoint => {
            format!("oauthctl doctor -p {name}")
        }
        CauseKind::ExpiredRefreshToken => format!("oauthctl login -p {name}"),
        CauseKind::ServerFailure | CauseKind::ProxyFailure => format!(
            "try again in a minute (`oauthctl {} -p {name}`), and `oauthctl doctor -p {name}` if it persists",
            if ev.command.is_empty() { "login" } else { ev.command.as_str() }
        ),
        CauseKind::ClockSkew => format!("oauthctl doctor -p {name}"),
        CauseKind::InvalidScope => format!("oauthctl login -p {name} --scope SCOPE"),
        CauseKind::GrantNotAllowed | CauseKind::UnsupportedGrant | CauseKind::MalformedRequest | CauseKind::AuthorizationParameter | CauseKind::ErrorCode | CauseKind::Other => {
            format!("{exchange} --trace (add --param k=v or --omit NAME to change the request)")
        }
    }
}

/// The next step after a refused authorization request: a new login with the request
/// changed, never an exchange (there is no code).
fn authorization_next_step(p: &Provider, top: Option<&Cause>, parameter: Option<&str>) -> String {
    let name = &p.name;
    match (top.map(|c| c.cause), parameter) {
        (Some(CauseKind::AuthorizationParameter), Some("redirect_uri")) => {
            format!("oauthctl login -p {name} --redirect-uri REGISTERED_URI")
        }
        (Some(CauseKind::AuthorizationParameter), Some(param)) => {
            format!("oauthctl login -p {name} --param {param}=VALUE")
        }
        (Some(CauseKind::InvalidScope), _) => format!("oauthctl login -p {name} --scope SCOPE"),
        (
            Some(
                CauseKind::WrongClientCredentials
                | CauseKind::ClientTypeMismatch
                | CauseKind::WrongClientAuth
                | CauseKind::ClockSkew,
            ),
            _,
        ) => format!("oauthctl doctor -p {name}"),
        (Some(CauseKind::AccessDenied), _) => format!("oauthctl login -p {name}"),
        (Some(CauseKind::ServerFailure | CauseKind::ProxyFailure), _) => format!(
            "try again in a minute (`oauthctl login -p {name}`), and `oauthctl doctor -p {name}` if it persists"
        ),
        _ => format!(
            "oauthctl authorize-url -p {name} (the request as sent), then `oauthctl login -p {name} --param NAME=VALUE --trace`"
        ),
    }
}

/// The error for a refused pushed authorization request (RFC 9126 §2.3): explained
/// like a refused token request (the client authenticated there too), with the
/// authorization request's own causes.
pub fn pushed_request_refusal(provider: &Provider, oauth: &OAuthError) -> Error {
    let d = diagnose(
        provider,
        &oauth.into(),
        &Evidence {
            grant: "authorization_code".into(),
            command: "login".into(),
            client_auth: Some(provider.auth_method()),
            authorization_request: true,
            ..Default::default()
        },
    );
    let e = oauth.to_error(
        provider,
        "the pushed authorization request",
        "authorization_code",
    );
    Error {
        hint: Some(d.hint()),
        ..e
    }
}

/// The error for an `error` redirected back by the authorization server.
pub fn redirect_refusal(
    provider: &Provider,
    error: String,
    description: Option<String>,
    uri: Option<String>,
) -> Error {
    let e = OAuthError {
        status: 302,
        error,
        description,
        uri,
        code: None,
        format: ErrorFormat::Rfc6749,
        body: String::new(),
    };
    let mut msg = format!("{} refused the authorization: {e}", provider.display_name());
    if let Some(u) = &e.uri {
        msg.push_str(&format!(" (see {u})"));
    }
    let d = diagnose(
        provider,
        &(&e).into(),
        &Evidence {
            grant: "authorization_code".into(),
            command: "login".into(),
            authorization_request: true,
            ..Default::default()
        },
    );
    Error::server(msg).with_hint(d.hint())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(name: &str) -> Provider {
        Provider::from_preset(name).expect("a preset")
    }

    fn grant_error(error: &str, desc: Option<&str>) -> ErrorFacts {
        ErrorFacts {
            status: 400,
            error: error.into(),
            description: desc.map(str::to_string),
            ..ErrorFacts::default()
        }
    }

    fn code_evidence() -> Evidence {
        Evidence {
            grant: "authorization_code".into(),
            command: "login".into(),
            flow_known: true,
            code_age: Some(CodeAge {
                age: Duration::from_secs(2),
                exact: true,
            }),
            authorize_redirect_uri: Some("http://127.0.0.1:8765/callback".into()),
            token_redirect_uri: Some("http://127.0.0.1:8765/callback".into()),
            challenge: Some(Some("abc".into())),
            verifier_challenge: Some("abc".into()),
            client_auth: Some(ClientAuth::None),
            ..Evidence::default()
        }
    }

    #[test]
    fn openid_connect_errors_of_the_authorization_request_have_their_own_cause() {
        let ev = Evidence {
            grant: "authorization_code".into(),
            command: "login".into(),
            authorization_request: true,
            ..Evidence::default()
        };
        for code in crate::oauth::error_codes::CODES
            .iter()
            .filter(|c| c.authorization)
        {
            let d = diagnose(&provider("hub"), &grant_error(code.code, None), &ev);
            assert!(
                !d.meaning.contains("does not know"),
                "{}: {}",
                code.code,
                d.meaning
            );
            assert!(
                !d.hint().contains("oauthctl exchange"),
                "{}: {}",
                code.code,
                d.hint()
            );
        }
        let d = diagnose(
            &provider("hub"),
            &grant_error("consent_required", None),
            &ev,
        );
        assert_eq!(d.top().unwrap().cause, CauseKind::ErrorCode);
        assert_eq!(d.next, "oauthctl login -p hub --param prompt=consent");
        // A token-side extension code is known too.
        let d = diagnose(
            &provider("hub"),
            &grant_error("use_dpop_nonce", None),
            &code_evidence(),
        );
        assert!(d.meaning.contains("DPoP"), "{}", d.meaning);
    }

    #[test]
    fn evidence_alone_ranks_a_reused_code_first() {
        let mut ev = code_evidence();
        ev.earlier.push(EarlierExchange {
            ago: Duration::from_secs(5),
            by: "login".into(),
            outcome: "ok".into(),
        });
        let d = diagnose(&provider("hub"), &grant_error("invalid_grant", None), &ev);
        assert_eq!(d.top().unwrap().cause, CauseKind::ReusedCode);
        assert_eq!(d.top().unwrap().likelihood, Likelihood::Likely);
        assert!(d
            .hint()
            .contains("already sent to the token endpoint 5 s ago"));
        assert_eq!(d.next, "oauthctl login -p hub");
        // The evidence rules the others out.
        for c in &d.causes[1..] {
            assert_ne!(c.likelihood, Likelihood::Likely, "{c:?}");
        }
    }

    #[test]
    fn an_old_code_is_expired_and_a_fresh_one_is_not() {
        let mut ev = code_evidence();
        ev.code_age = Some(CodeAge {
            age: Duration::from_secs(11 * 60),
            exact: true,
        });
        let d = diagnose(&provider("hub"), &grant_error("invalid_grant", None), &ev);
        assert_eq!(d.top().unwrap().cause, CauseKind::ExpiredCode);
        assert!(d.hint().contains("codes live 10 min"), "{}", d.hint());
        let d = diagnose(
            &provider("hub"),
            &grant_error("invalid_grant", Some("the authorization code expired")),
            &code_evidence(),
        );
        // The server's words win over a young age (its clock, its lifetime).
        assert_eq!(d.top().unwrap().cause, CauseKind::ExpiredCode);
    }

    #[test]
    fn redirect_and_pkce_evidence() {
        let mut ev = code_evidence();
        ev.token_redirect_uri = Some("http://127.0.0.1:8765/callback/".into());
        let d = diagnose(&provider("hub"), &grant_error("invalid_grant", None), &ev);
        let top = d.top().unwrap();
        assert_eq!(top.cause, CauseKind::RedirectUriMismatch);
        assert!(top.evidence[0].contains("trailing slash"), "{top:?}");
        assert!(
            d.next
                .contains("--redirect-uri http://127.0.0.1:8765/callback "),
            "{}",
            d.next
        );

        let mut ev = code_evidence();
        ev.verifier_challenge = Some("xyz".into());
        let d = diagnose(&provider("hub"), &grant_error("invalid_grant", None), &ev);
        assert_eq!(d.top().unwrap().cause, CauseKind::PkceMismatch);

        let mut ev = code_evidence();
        ev.verifier_challenge = None;
        let d = diagnose(&provider("hub"), &grant_error("invalid_grant", None), &ev);
        assert_eq!(d.top().unwrap().cause, CauseKind::PkceMissing);
    }

    #[test]
    fn onboardbase_codes() {
        let p = provider("onboardbase");
        let mut ev = code_evidence();
        ev.challenge = Some(None);
        ev.verifier_challenge = None;
        let mut f = grant_error("auth_code_expired", Some("auth_code_expired"));
        f.code = Some(1800);
        let d = diagnose(&p, &f, &ev);
        assert_eq!(d.top().unwrap().cause, CauseKind::ExpiredCode);
        assert!(d.meaning.contains("code 1800"), "{}", d.meaning);
        let mut f = grant_error("invalid_code", Some("invalid_code"));
        f.code = Some(1700);
        let mut ev2 = ev.clone();
        ev2.earlier.push(EarlierExchange {
            ago: Duration::from_secs(1),
            by: "exchange".into(),
            outcome: "ok".into(),
        });
        let d = diagnose(&p, &f, &ev2);
        assert_eq!(d.top().unwrap().cause, CauseKind::ReusedCode);
        assert!(d.meaning.contains("code 1700"));
    }

    #[test]
    fn client_authentication_against_the_methods_accepted() {
        let p = provider("teamwork");
        let mut ev = code_evidence();
        ev.client_auth = Some(ClientAuth::ClientSecretPost);
        let mut f = grant_error("invalid_client", Some("bad client"));
        f.status = 401;
        let d = diagnose(&p, &f, &ev);
        let top = d.top().unwrap();
        assert_eq!(top.cause, CauseKind::WrongClientAuth);
        assert!(
            top.evidence[0].contains("client_secret_basic only"),
            "{top:?}"
        );
        assert!(d
            .next
            .contains("token_endpoint_auth_method = \"client_secret_basic\""));
        ev.client_auth = Some(ClientAuth::ClientSecretBasic);
        let d = diagnose(
            &p,
            &grant_error("invalid_client", Some("wrong client_secret for `x`")),
            &ev,
        );
        assert_eq!(d.top().unwrap().cause, CauseKind::WrongClientCredentials);
    }

    #[test]
    fn html_502_is_a_proxy_not_the_request() {
        let f = ErrorFacts {
            status: 502,
            error: "http_502".into(),
            description: Some("an HTML page: \"502 Bad Gateway\": nginx".into()),
            html: true,
            ..ErrorFacts::default()
        };
        let d = diagnose(&provider("hub"), &f, &code_evidence());
        assert_eq!(d.top().unwrap().cause, CauseKind::ProxyFailure);
        assert!(d.meaning.contains("not an OAuth answer"));
        assert!(d.next.contains("try again"));
    }

    #[test]
    fn access_denied_and_unknown_errors() {
        let d = diagnose(
            &provider("hub"),
            &grant_error("access_denied", None),
            &code_evidence(),
        );
        assert_eq!(d.top().unwrap().cause, CauseKind::AccessDenied);
        let d = diagnose(
            &provider("hub"),
            &grant_error("weird", None),
            &code_evidence(),
        );
        assert_eq!(d.top().unwrap().cause, CauseKind::Other);
        assert!(d.meaning.contains("does not know"));
    }

    #[test]
    fn the_parameter_named_first_as_a_whole_word() {
        let n = |d: &str| named_parameter(d, "scope");
        assert_eq!(
            n("nonce required with the openid scope").as_deref(),
            Some("nonce")
        );
        assert_eq!(
            n("code_challenge_method plain is not allowed").as_deref(),
            Some("code_challenge_method")
        );
        assert_eq!(
            n("Missing parameter: code_challenge").as_deref(),
            Some("code_challenge")
        );
        assert_eq!(
            n("the prompt value `x` is invalid").as_deref(),
            Some("prompt")
        );
        assert_eq!(n("statement unknown; nonces rejected"), None);
        assert_eq!(
            named_parameter("scopes must be comma separated", "scopes").as_deref(),
            Some("scopes")
        );
    }

    #[test]
    fn a_refused_authorization_request_is_fixed_with_a_parameter_never_an_exchange() {
        let e = redirect_refusal(
            &provider("hub"),
            "invalid_request".into(),
            Some("nonce required".into()),
            None,
        );
        let hint = e.hint.unwrap();
        assert!(hint.contains("lacks the `nonce` parameter"), "{hint}");
        assert!(
            hint.contains("next: oauthctl login -p hub --param nonce=VALUE"),
            "{hint}"
        );
        assert!(!hint.contains("exchange"), "{hint}");
        let e = redirect_refusal(
            &provider("hub"),
            "invalid_request".into(),
            Some("redirect_uri `x` is not registered".into()),
            None,
        );
        let hint = e.hint.unwrap();
        assert!(hint.contains("--redirect-uri"), "{hint}");
        assert!(!hint.contains("exchange"), "{hint}");
        for (error, desc) in [
            ("invalid_request", "something is off"),
            ("unsupported_response_type", "no"),
            ("weird", "?"),
        ] {
            let e = redirect_refusal(&provider("hub"), error.into(), Some(desc.into()), None);
            let hint = e.hint.unwrap();
            assert!(!hint.contains("exchange"), "{error}: {hint}");
        }
    }
}
