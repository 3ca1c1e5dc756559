//! `oauthctl exchange`: only the token request of the authorization code flow, with
//! any parameter overridden, added or left out, to reproduce a failing request. The
//! answer is shown normalised; a refusal is explained with the flow journal's evidence.

use serde_json::{json, Map, Value};

use crate::cli::ExchangeArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::error::{ErrorFormat, OAuthError};
use crate::oauth::token;
use crate::output;
use crate::provider::{ClientAuth, Endpoint, Provider, ProviderSpec};
use crate::store::TokenSet;
use crate::support::diagnose::{self, Diagnosis};
use crate::support::journal::{self, Flow, Journal};

/// A flow made by `authorize-url` this long ago or less is taken to be the one of a code
/// given without its state.
const LATEST_FLOW_WINDOW: u64 = 3600;

/// What a pasted redirect carried.
#[derive(Debug, PartialEq)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<(String, Option<String>, Option<String>)>,
    /// The address it was sent to: the redirect URI (without query and fragment).
    target: String,
}

fn parse_callback(raw: &str) -> Result<Callback> {
    let u = url::Url::parse(raw.trim()).map_err(|e| {
        Error::input(format!("--callback-url is not a URL: {e}")).with_hint(
            "paste the whole address the browser was redirected to, in quotes: --callback-url 'http://127.0.0.1:8765/callback?code=…&state=…'",
        )
    })?;
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Some(f) = u.fragment() {
        pairs.extend(
            url::form_urlencoded::parse(f.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned())),
        );
    }
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let mut target = u.clone();
    target.set_query(None);
    target.set_fragment(None);
    Ok(Callback {
        code: get("code"),
        state: get("state"),
        error: get("error").map(|e| (e, get("error_description"), get("error_uri"))),
        target: target.to_string(),
    })
}

/// The flow a code belongs to: by the callback's state, else by the code itself, else
/// the last authorization URL made for this provider (within the hour, never used).
fn find_flow(
    j: &Journal,
    provider: &str,
    state: Option<&str>,
    code: &str,
    now: u64,
) -> Option<Flow> {
    if let Some(f) = state.and_then(|s| j.by_state(s)) {
        return Some(f);
    }
    if let Some(f) = j.by_code(code) {
        return Some(f);
    }
    j.latest(provider).filter(|f| {
        state.is_none()
            && f.source == "authorize-url"
            && f.code_hash.is_none()
            && f.exchanges.is_empty()
            && now.saturating_sub(f.created_at) <= LATEST_FLOW_WINDOW
    })
}

/// Removes `name` from the form body and the query string; whether it was there.
fn omit(req: &mut HttpRequest, name: &str) -> bool {
    let mut found = false;
    if req.url.query().is_some() {
        let pairs: Vec<(String, String)> = req
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let kept: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != name).collect();
        if kept.len() != pairs.len() {
            found = true;
            if kept.is_empty() {
                req.url.set_query(None);
            } else {
                req.url.query_pairs_mut().clear().extend_pairs(kept);
            }
        }
    }
    let is_form = req
        .content_type()
        .is_some_and(|c| c.contains("x-www-form-urlencoded"));
    if let (true, Some(body)) = (is_form, &req.body) {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let kept: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != name).collect();
        if kept.len() != pairs.len() {
            found = true;
            let text = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(kept)
                .finish();
            req.body = Some(text.into_bytes());
        }
    }
    found
}

/// The parameters the request carries in the end (body and query), for the evidence.
fn sent_params(req: &HttpRequest) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = req
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if req
        .content_type()
        .is_some_and(|c| c.contains("x-www-form-urlencoded"))
    {
        if let Some(b) = &req.body {
            out.extend(
                url::form_urlencoded::parse(b).map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        }
    }
    out
}

pub fn run(args: &ExchangeArgs, ctx: &Context) -> Result<()> {
    let flags = ProviderSpec {
        client_id: args.client_id.clone(),
        token_endpoint_auth_method: args.client_auth.map(ClientAuth::from),
        ..Default::default()
    };
    let rt = ctx.runtime()?;
    let provider = rt.block_on(ctx.provider(&flags))?;
    let token_endpoint = provider.require_endpoint(Endpoint::Token)?;
    let client = ClientCredentials::from_provider(&provider)?;
    if let Some(s) = &client.client_secret {
        ctx.secret(s.expose());
    }
    let callback = args
        .callback_url
        .as_deref()
        .map(parse_callback)
        .transpose()?;
    if let Some(cb) = &callback {
        if let Some(c) = &cb.code {
            ctx.secret(c);
        }
        if let Some((error, description, uri)) = &cb.error {
            return Err(crate::support::diagnose::redirect_refusal(
                &provider,
                error.clone(),
                description.clone(),
                uri.clone(),
            ));
        }
    }
    let code = match (&args.code, &callback) {
        (Some(c), _) => c.clone(),
        (None, Some(cb)) => cb.code.clone().ok_or_else(|| {
            Error::input("the --callback-url has no `code` parameter").with_hint(
                "paste the URL the browser landed on after approving (it carries ?code=…&state=…)",
            )
        })?,
        (None, None) => {
            return Err(Error::usage(
                "give the code with --code, or --callback-url URL",
            ))
        }
    };
    if code.trim().is_empty() {
        return Err(Error::input("the code is empty").with_hint("pass --code CODE"));
    }
    ctx.secret(&code);
    if let Some(v) = &args.code_verifier {
        ctx.secret(v);
    }
    let now = journal::unix_now();
    let journal = Journal::open_default().ok();
    let state = callback.as_ref().and_then(|c| c.state.clone());
    let flow = journal
        .as_ref()
        .and_then(|j| find_flow(j, &provider.name, state.as_deref(), &code, now));
    if let Some(f) = &flow {
        ctx.ui.detail(&format!(
            "flow journal: this code belongs to the authorization request made by `oauthctl {}` {} ago",
            f.source,
            crate::duration::human(std::time::Duration::from_secs(
                now.saturating_sub(f.created_at)
            ))
        ));
    }
    let redirect_uri = args
        .redirect_uri
        .clone()
        .or_else(|| flow.as_ref().map(|f| f.redirect_uri.clone()))
        .or_else(|| callback.as_ref().map(|c| c.target.clone()))
        .or_else(|| provider.spec.redirect_uri.clone());

    let mut params = vec![
        ("grant_type".to_string(), "authorization_code".to_string()),
        ("code".to_string(), code.clone()),
    ];
    match &redirect_uri {
        Some(r) => params.push(("redirect_uri".into(), r.clone())),
        None => ctx.ui.warn(
            "no redirect_uri is sent (none given, configured or known from the flow journal); servers require it when the authorization request had one: pass --redirect-uri",
        ),
    }
    if let Some(v) = &args.code_verifier {
        params.push(("code_verifier".into(), v.clone()));
    }
    for (k, v) in &args.params {
        ctx.secret_param(k, v);
        match params.iter_mut().find(|(pk, _)| pk == k) {
            Some(slot) => slot.1 = v.clone(),
            None => params.push((k.clone(), v.clone())),
        }
    }
    let mut req =
        crate::oauth::client_auth::build_request(&provider, &token_endpoint, &params, &client)?;
    for name in &args.omit {
        if !omit(&mut req, name) {
            ctx.ui.warn(&format!(
                "--omit {name}: the request has no parameter `{name}`"
            ));
        }
    }
    let sent = sent_params(&req);
    let has = |k: &str| sent.iter().any(|(n, _)| n == k);
    if let Some(Some(_)) = flow.as_ref().map(|f| &f.code_challenge) {
        if !has("code_verifier") {
            ctx.ui.warn("the authorization request of this code sent a PKCE code_challenge, and no code_verifier is sent: pass --code-verifier (authorize-url printed it)");
        }
    }
    let earlier = journal
        .as_ref()
        .map(|j| j.exchanges_of(&code))
        .unwrap_or_default();
    if let Some(x) = earlier.last() {
        ctx.ui.warn(&format!(
            "this code was already sent to the token endpoint {} ago by `oauthctl {}` (answer: {}); codes are single use",
            crate::duration::human(std::time::Duration::from_secs(now.saturating_sub(x.at))),
            x.by,
            x.outcome
        ));
    }

    let resp = rt.block_on(async { ctx.http()?.send(req).await })?;
    let outcome = token::parse_response(&provider, &resp, journal::unix_now(), &[]);
    let record = journal::Exchange {
        code_hash: journal::hash(&code),
        at: now,
        by: "exchange".into(),
        redirect_uri: sent
            .iter()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| v.clone()),
        outcome: match &outcome {
            Ok(_) => "ok".into(),
            Err(e) => e.error.clone(),
        },
    };
    let fallback = Flow::new(
        &provider.name,
        &client.client_id,
        "",
        redirect_uri.as_deref().unwrap_or(""),
        None,
        "exchange",
    );
    if let Some(j) = &journal {
        if let Err(e) = j.record_exchange(state.as_deref(), &code, record, Some(fallback)) {
            ctx.ui
                .detail(&format!("could not record the flow journal: {}", e.message));
        }
    }
    match outcome {
        Ok(tokens) => {
            register(ctx, &tokens);
            show_tokens(ctx, &provider, resp.status, &tokens)
        }
        Err(oauth) => {
            let ev = diagnose::evidence(
                flow.as_ref(),
                &earlier,
                &sent,
                provider.auth_method(),
                crate::clock::response_skew(&resp),
                "exchange",
                now,
            );
            let d = diagnose::diagnose(&provider, &(&oauth).into(), &ev);
            if ctx.global.json {
                output::json(&failure_json(ctx, &provider, &oauth, &d))?;
            }
            let e = diagnose::to_error(&provider, &oauth, "the token request", &d);
            Err(Error {
                message: ctx.redact(&e.message),
                hint: e.hint.map(|h| ctx.redact(&h)),
                ..e
            })
        }
    }
}

fn register(ctx: &Context, t: &TokenSet) {
    ctx.secret(t.access_token.expose());
    for s in [&t.refresh_token, &t.id_token].into_iter().flatten() {
        ctx.secret(s.expose());
    }
    for s in t.secret_extra.values() {
        ctx.secret(s.expose());
    }
}

/// A secret as shown: in clear with --show-secrets, else masked (JWTs keep their
/// header and claims).
fn shown(ctx: &Context, secret: &str) -> String {
    if ctx.global.show_secrets {
        secret.to_string()
    } else {
        crate::redact::mask_token(secret)
    }
}

fn kind(token: &str) -> &'static str {
    if crate::jwt::looks_like_jwt(token) {
        "JWT"
    } else {
        "opaque"
    }
}

fn show_tokens(ctx: &Context, provider: &Provider, status: u16, t: &TokenSet) -> Result<()> {
    let now = journal::unix_now();
    if ctx.global.json {
        let mut token = Map::new();
        token.insert(
            "access_token".into(),
            json!(shown(ctx, t.access_token.expose())),
        );
        token.insert("token_type".into(), json!(t.token_type));
        token.insert("expires_at".into(), json!(t.expires_at));
        token.insert(
            "expires_in".into(),
            json!(t.expires_at.map(|e| e as i64 - now as i64)),
        );
        token.insert(
            "refresh_token".into(),
            json!(t.refresh_token.as_ref().map(|s| shown(ctx, s.expose()))),
        );
        token.insert(
            "id_token".into(),
            json!(t.id_token.as_ref().map(|s| shown(ctx, s.expose()))),
        );
        token.insert("scopes".into(), json!(t.scopes));
        for (k, v) in &t.extra {
            token.insert(k.clone(), v.clone());
        }
        for (k, v) in &t.secret_extra {
            token.insert(k.clone(), json!(shown(ctx, v.expose())));
        }
        return output::json(&json!({
            "ok": true,
            "provider": provider.name,
            "status": status,
            "token": Value::Object(token),
        }));
    }
    let mut rows: Vec<(String, String)> = vec![(
        "access_token".into(),
        format!(
            "{} ({})",
            shown(ctx, t.access_token.expose()),
            kind(t.access_token.expose())
        ),
    )];
    rows.push(("token_type".into(), t.token_type.clone()));
    rows.push((
        "expires".into(),
        match crate::commands::login::expires_in_words(t.expires_at, now) {
            Some(w) => format!(
                "{w} ({})",
                t.expires_at
                    .map(|e| crate::jwt::iso(e as i64))
                    .unwrap_or_default()
            ),
            None => "no expiry given".into(),
        },
    ));
    if let Some(r) = &t.refresh_token {
        rows.push(("refresh_token".into(), shown(ctx, r.expose())));
    }
    if let Some(i) = &t.id_token {
        rows.push(("id_token".into(), shown(ctx, i.expose())));
    }
    rows.push((
        "scopes".into(),
        if t.scopes.is_empty() {
            "(none)".into()
        } else {
            t.scopes.join(" ")
        },
    ));
    for (k, v) in &t.extra {
        rows.push((
            k.clone(),
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string()),
        ));
    }
    for (k, v) in &t.secret_extra {
        rows.push((k.clone(), shown(ctx, v.expose())));
    }
    let mut table = output::table(&["FIELD", "VALUE"]);
    for (k, v) in rows {
        table.add_row(vec![k, v]);
    }
    ctx.ui.info(&format!(
        "{} answered {status} with tokens (not stored: `oauthctl login` stores a session)",
        provider.display_name()
    ));
    output::print_table(&table)
}

fn failure_json(ctx: &Context, provider: &Provider, e: &OAuthError, d: &Diagnosis) -> Value {
    let mut v = json!({
        "ok": false,
        "provider": provider.name,
        "status": e.status,
        "error": {
            "error": e.error,
            "description": e.description,
            "code": e.code,
            "uri": e.uri,
            "format": match e.format {
                ErrorFormat::Rfc6749 => "rfc6749",
                ErrorFormat::ErrorsArray => "errors_array",
                ErrorFormat::WwwAuthenticate => "www_authenticate",
                ErrorFormat::Html => "html",
                ErrorFormat::Unusable => "unusable",
            },
        },
        "diagnosis": d,
    });
    if let Ok(r) = ctx.redactor.lock() {
        r.json(&mut v);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_give_code_state_target_or_error() {
        let c = parse_callback("http://127.0.0.1:8765/callback?code=abc&state=s1").unwrap();
        assert_eq!(c.code.as_deref(), Some("abc"));
        assert_eq!(c.state.as_deref(), Some("s1"));
        assert_eq!(c.target, "http://127.0.0.1:8765/callback");
        assert!(c.error.is_none());
        let c = parse_callback("https://app.example/cb#error=access_denied&state=s").unwrap();
        assert_eq!(c.error.unwrap().0, "access_denied");
        assert!(parse_callback("not a url").is_err());
    }

    #[test]
    fn codes_and_verifiers_may_start_with_a_hyphen() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "oauthctl",
            "exchange",
            "--code",
            "-abc",
            "--code-verifier",
            "-Jxyz",
        ])
        .expect("parses");
        match cli.command {
            crate::cli::Command::Exchange(a) => {
                assert_eq!(a.code.as_deref(), Some("-abc"));
                assert_eq!(a.code_verifier.as_deref(), Some("-Jxyz"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn omit_removes_from_body_and_query() {
        let mut r = HttpRequest::new(
            reqwest::Method::POST,
            url::Url::parse("http://h/t?client_id=a&x=1").unwrap(),
        )
        .form(&[
            ("code".into(), "c".into()),
            ("redirect_uri".into(), "u".into()),
        ]);
        assert!(omit(&mut r, "redirect_uri"));
        assert!(omit(&mut r, "client_id"));
        assert!(!omit(&mut r, "nothing"));
        assert_eq!(r.url.query(), Some("x=1"));
        assert_eq!(r.body.as_deref(), Some(&b"code=c"[..]));
        let sent = sent_params(&r);
        assert_eq!(
            sent,
            vec![("x".into(), "1".into()), ("code".into(), "c".into())]
        );
    }
}
