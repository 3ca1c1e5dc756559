//! The authorization endpoint (RFC 6749 §4.1, §4.2) with its consent page.

use hyper::Method;

use super::app::{error_page, App};
use super::errors::OAuthError;
use super::grants::details_field;
use super::http::{esc, page, query_or_form, Out, Params, Req};
use super::issue::implicit;
use super::jar;
use super::jarm::{self, Mode, Target};
use super::par::{self, Resolved};
use super::profile::Profile;
use super::state::{random_token, AuthRequest, Client, Code, Pending};

/// Whether `given` matches a registered redirect URI: exactly, or, where the profile
/// allows it, a loopback URI on any port (RFC 8252 §7.3).
pub fn redirect_matches(registered: &str, given: &str, loopback_any_port: bool) -> bool {
    if registered == given {
        return true;
    }
    if !loopback_any_port {
        return false;
    }
    let (Ok(r), Ok(g)) = (url::Url::parse(registered), url::Url::parse(given)) else {
        return false;
    };
    let loopback = |u: &url::Url| {
        u.scheme() == "http"
            && match u.host() {
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                _ => false,
            }
    };
    loopback(&r)
        && loopback(&g)
        && r.host() == g.host()
        && r.path() == g.path()
        && r.query() == g.query()
        && g.fragment().is_none()
}

/// Sends an error back to the client (RFC 6749 §4.1.2.1), in the request's response
/// mode.
fn redirect_error(app: &App, t: &Target<'_>, e: &OAuthError, state: Option<&str>) -> Out {
    let mut pairs = vec![
        ("error", e.error),
        ("error_description", e.description.as_str()),
    ];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    let mut o = jarm::answer(app, t, &pairs);
    o.error = Some(e.error.to_string());
    o
}

/// Where and how an answer to `ar` goes (its response mode was checked).
fn target(ar: &AuthRequest) -> Target<'_> {
    Target {
        redirect: &ar.redirect_uri,
        client_id: &ar.client_id,
        mode: Mode::of(ar.response_mode.as_deref(), &ar.response_type).unwrap_or(Mode::Query),
    }
}

/// The response mode asked for (or why it cannot be used), and where and how an error
/// goes back (the response type's default mode when the asked one is unknown).
fn requested_target<'a>(
    redirect: &'a str,
    client_id: &'a str,
    params: &Params,
    response_type: &str,
) -> (Result<Mode, OAuthError>, Target<'a>) {
    let mode = Mode::of(params.get("response_mode"), response_type);
    let fallback = Mode::of(None, response_type).unwrap_or(Mode::Query);
    let t = Target {
        redirect,
        client_id,
        mode: *mode.as_ref().unwrap_or(&fallback),
    };
    (mode, t)
}

/// A plain query redirect (the request's mode not known yet).
fn query_target(redirect: &str) -> Target<'_> {
    Target {
        redirect,
        client_id: "",
        mode: Mode::Query,
    }
}

/// GET (or POST) to the authorization endpoint; POST with `request` is the consent form.
pub fn authorize(app: &App, req: &Req) -> Out {
    let params = match query_or_form(req) {
        Ok(p) => p,
        Err(e) => return error_page(app, &e),
    };
    if req.method == Method::POST && params.has("request") && params.has("decision") {
        return consent_decision(app, &params);
    }
    let (params, pushed) = match par::resolve(app, params) {
        Resolved::Params(p, pushed) => (p, pushed),
        Resolved::Page(e) => return error_page(app, &e),
        Resolved::Redirect {
            redirect,
            state,
            error,
        } => return redirect_error(app, &query_target(&redirect), &error, state.as_deref()),
    };
    let (params, signed) = match jar::resolve(app, params) {
        Ok(x) => x,
        Err(e) => return error_page(app, &e),
    };
    let json = wants_json(app, req);
    let (client, redirect, given) = match client_and_redirect(app, &params) {
        Ok(x) => x,
        Err(e) if json => return app.error(&e),
        Err(e) => return error_page(app, &e),
    };
    let state = params.get("state");
    let response_type = params.get("response_type").unwrap_or("");
    let (mode, answer_to) = requested_target(&redirect, &client.id, &params, response_type);
    let fail = |e: OAuthError| {
        if json {
            app.error(&e)
        } else {
            redirect_error(app, &answer_to, &e, state)
        }
    };
    let checked = mode
        .and_then(|_| check_response_type(&app.profile, response_type))
        .and_then(|()| details_field(params.get("authorization_details")).map(|_| ()))
        .and_then(|()| requested_scopes(&app.profile, &params))
        .and_then(|scopes| Ok((scopes, pkce_challenge(app, &params)?)));
    let (mut scopes, challenge) = match checked {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    // OpenID Connect Core §11: offline_access without prompt=consent is ignored.
    let consent_prompt = params
        .get("prompt")
        .is_some_and(|p| p.split(' ').any(|x| x == "consent"));
    if app.settings.offline_access_needs_consent && !consent_prompt {
        scopes.retain(|s| s != "offline_access");
    }
    let nonce = params.get("nonce").filter(|n| !n.is_empty());
    if app.settings.require_nonce && nonce.is_none() && scopes.iter().any(|s| s == "openid") {
        return fail(OAuthError::invalid_request(
            "nonce required: an authorization request with the openid scope must carry a nonce",
        ));
    }
    if app.settings.require_par && !pushed {
        return fail(OAuthError::invalid_request(
            "this server requires pushed authorization requests (RFC 9126): POST the request to the pushed_authorization_request_endpoint first, then send only client_id and request_uri",
        ));
    }
    if app.settings.require_jar && !signed {
        return fail(OAuthError::invalid_request(
            "this server requires signed request objects (RFC 9101): send the authorization request as a `request` JWT signed by the client",
        ));
    }
    let ar = AuthRequest {
        client_id: client.id.clone(),
        response_type: response_type.to_string(),
        redirect_uri: redirect.clone(),
        redirect_given: given,
        scopes,
        state: state.map(str::to_string),
        nonce: params.get("nonce").map(str::to_string),
        challenge,
        dpop_jkt: params.get("dpop_jkt").map(str::to_string),
        response_mode: params.get("response_mode").map(str::to_string),
        authorization_details: params.get("authorization_details").map(str::to_string),
    };
    if app.state().faults.deny {
        return fail(OAuthError::new(
            "access_denied",
            400,
            "the user denied the request",
        ));
    }
    if app.settings.sso && json {
        // No session: what a single-sign-on portal answers a client that asks for JSON.
        let mut o = Out::json(401, &serde_json::json!({"error": 9}))
            .header("WWW-Authenticate", SSO_CHALLENGE.into());
        o.error = Some("sso_login_required".into());
        return o;
    }
    if app.settings.auto_approve && !app.settings.sso {
        return approve(app, ar);
    }
    let id = random_token(16);
    let now = app.now_ms();
    {
        let mut st = app.state();
        st.pending.insert(
            id.clone(),
            Pending {
                req: ar.clone(),
                expires_ms: now + 600_000,
            },
        );
        st.inserted(now);
    }
    let page = consent_page(app, &ar, client.name.as_deref(), &id, &req.path);
    if app.settings.sso {
        // No session: the sign-in page (which also approves), as a 401 with the portal's
        // own authentication scheme.
        let mut o = page.header("WWW-Authenticate", SSO_CHALLENGE.into());
        o.status = 401;
        return o;
    }
    page
}

/// The `WWW-Authenticate` challenge of `--sso`: not an OAuth scheme.
const SSO_CHALLENGE: &str = "SSO realm=\"oauthctl-mock\"";

/// Whether the authorization errors go out as JSON (`--json-errors`): any `Accept`
/// that mentions JSON, whatever its q-value.
fn wants_json(app: &App, req: &Req) -> bool {
    app.settings.json_errors
        && req
            .header("accept")
            .is_some_and(|a| a.to_ascii_lowercase().contains("json"))
}

/// The client and the redirect URI to answer at (and whether the request named it).
/// An error here is shown on a page: the request cannot be trusted to redirect.
fn client_and_redirect(app: &App, params: &Params) -> Result<(Client, String, bool), OAuthError> {
    let profile = &app.profile;
    let Some(client_id) = params.get("client_id") else {
        return Err(OAuthError::invalid_request("client_id is missing"));
    };
    let client = app.state().clients.get(client_id).cloned();
    let Some(client) = client else {
        return Err(
            OAuthError::invalid_client(format!("unknown client_id `{client_id}`")).status(400),
        );
    };
    let (redirect, given) = match params.get("redirect_uri") {
        Some(r) => {
            if client
                .redirect_uris
                .iter()
                .any(|x| redirect_matches(x, r, profile.data.loopback_any_port))
            {
                (r.to_string(), true)
            } else {
                let how = if profile.data.loopback_any_port {
                    "it must match one exactly, except for the port of a loopback URI"
                } else {
                    "it must match one exactly, including trailing slashes and case"
                };
                return Err(OAuthError::invalid_request(format!(
                    "redirect_uri `{r}` is not registered for client `{client_id}` (registered: {}); {how}",
                    client.redirect_uris.join(", ")
                )));
            }
        }
        None if client.redirect_uris.len() == 1 => (client.redirect_uris[0].clone(), false),
        None => {
            return Err(OAuthError::invalid_request(
                "redirect_uri is missing and the client has more than one registered",
            ))
        }
    };
    if let Some(schemes) = profile.redirect_schemes() {
        let scheme = url::Url::parse(&redirect)
            .map(|u| u.scheme().to_string())
            .unwrap_or_default();
        if !schemes.contains(&scheme) {
            return Err(OAuthError::invalid_request(format!(
                "{} accepts only {} redirect URIs, not `{redirect}`",
                profile.display_name(),
                schemes.join("/")
            )));
        }
    }
    Ok((client, redirect, given))
}

fn check_response_type(profile: &Profile, response_type: &str) -> Result<(), OAuthError> {
    if response_type.is_empty() {
        return Err(OAuthError::invalid_request("response_type is missing"));
    }
    if !profile.response_types().iter().any(|r| r == response_type)
        || !matches!(response_type, "code" | "token")
    {
        return Err(OAuthError::new(
            "unsupported_response_type",
            400,
            format!(
                "response_type `{response_type}` is not supported; use one of: {}",
                profile.response_types().join(", ")
            ),
        ));
    }
    Ok(())
}

/// The scopes asked for, in the provider's parameter and separators.
fn requested_scopes(profile: &Profile, params: &Params) -> Result<Vec<String>, OAuthError> {
    let scope_param = profile.scope_param();
    let scopes = match params.get(scope_param) {
        Some(s) => profile.split_scopes(s),
        None if scope_param != "scope" && params.has("scope") => {
            return Err(OAuthError::invalid_request(format!(
                "{} reads the scopes from the `{scope_param}` parameter, not `scope`",
                profile.display_name()
            )))
        }
        None if profile.data.scope_required => {
            return Err(OAuthError::invalid_request(format!(
                "the `{scope_param}` parameter is required"
            )))
        }
        None => profile.default_scopes(),
    };
    let unknown = profile.unknown_scopes(&scopes);
    if !unknown.is_empty() {
        return Err(OAuthError::invalid_scope(format!(
            "unknown scope(s): {}; this server knows: {} (separated by `{}`)",
            unknown.join(" "),
            profile
                .spec
                .scopes_supported
                .clone()
                .unwrap_or_default()
                .join(" "),
            profile.scope_separator()
        )));
    }
    Ok(scopes)
}

/// The PKCE challenge and its method (RFC 7636 §4.3), when the provider supports it.
fn pkce_challenge(app: &App, params: &Params) -> Result<Option<(String, String)>, OAuthError> {
    let profile = &app.profile;
    if profile.pkce_unsupported() {
        return Ok(None);
    }
    match params.get("code_challenge") {
        Some(c) => {
            let method = params.get("code_challenge_method").unwrap_or("plain");
            if !profile.challenge_methods().iter().any(|m| m == method) {
                return Err(OAuthError::invalid_request(format!(
                    "code_challenge_method `{method}` is not supported; use {}",
                    profile.challenge_methods().join(" or ")
                )));
            }
            let valid = (43..=128).contains(&c.len())
                && c.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
            if !valid {
                return Err(OAuthError::invalid_request(
                    "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.2)",
                ));
            }
            Ok(Some((c.to_string(), method.to_string())))
        }
        None if profile.pkce_required() || app.settings.require_pkce => {
            Err(OAuthError::invalid_request(
                "code_challenge is required (PKCE, RFC 7636): send code_challenge and code_challenge_method=S256",
            ))
        }
        None => Ok(None),
    }
}

fn consent_page(app: &App, ar: &AuthRequest, name: Option<&str>, id: &str, path: &str) -> Out {
    let who = name.unwrap_or(&ar.client_id);
    let scopes = if ar.scopes.is_empty() {
        "<li><em>no scopes</em></li>".to_string()
    } else {
        ar.scopes
            .iter()
            .map(|s| format!("<li><code>{}</code></li>", esc(s)))
            .collect::<String>()
    };
    let target = url::Url::parse(&ar.redirect_uri)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| ar.redirect_uri.clone());
    let body = format!(
        "<h1>{provider}</h1><p><strong>{who}</strong> (client <code>{cid}</code>) asks for access to your account <strong>alice</strong>:</p><ul>{scopes}</ul><p class=\"muted\">You will be sent back to <code>{target}</code>.</p>\
<form method=\"post\" action=\"{path}\"><input type=\"hidden\" name=\"request\" value=\"{id}\">\
<button class=\"ok\" type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\
<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>",
        provider = esc(app.profile.display_name()),
        who = esc(who),
        cid = esc(&ar.client_id),
        target = esc(&target),
        path = esc(path),
        id = esc(id),
    );
    Out::html(
        200,
        page(
            &format!("Authorize {who} — {}", app.profile.display_name()),
            &body,
        ),
    )
    .header("Cache-Control", "no-store".into())
}

fn consent_decision(app: &App, params: &Params) -> Out {
    let id = params.get("request").unwrap_or("");
    let now = app.now_ms();
    let pending = app.state().pending.remove(id);
    let Some(p) = pending.filter(|p| p.expires_ms > now) else {
        return error_page(
            app,
            &OAuthError::invalid_request(
                "this consent request is unknown or expired (10 minutes): start the login again",
            ),
        );
    };
    let deny = app.state().faults.deny;
    if params.get("decision") == Some("approve") && !deny {
        approve(app, p.req)
    } else {
        redirect_error(
            app,
            &target(&p.req),
            &OAuthError::new("access_denied", 400, "the user denied the request"),
            p.req.state.as_deref(),
        )
    }
}

/// Issues the code (or, for `response_type=token`, the token) and redirects.
fn approve(app: &App, ar: AuthRequest) -> Out {
    let state = ar.state.clone();
    let redirect = ar.redirect_uri.clone();
    if app.settings.refuse_consent {
        return redirect_error(
            app,
            &target(&ar),
            &OAuthError::new(
                "consent_required",
                400,
                "the user did not give consent to this client",
            ),
            state.as_deref(),
        );
    }
    if ar.response_type == "token" {
        return match implicit(app, &ar) {
            Ok(fields) => {
                let mut pairs: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                if let Some(s) = &state {
                    pairs.push(("state", s));
                }
                jarm::answer(app, &target(&ar), &pairs)
            }
            Err(e) => redirect_error(app, &target(&ar), &e, state.as_deref()),
        };
    }
    let code = random_token(32);
    let now = app.now_ms();
    let answer_to = Target {
        redirect: &redirect,
        client_id: &ar.client_id.clone(),
        mode: target(&ar).mode,
    };
    {
        let mut st = app.state();
        st.codes.insert(
            code.clone(),
            Code {
                req: ar,
                expires_ms: now + app.settings.code_ttl.as_millis() as u64,
                used: false,
                family: random_token(12),
                auth_time: now / 1000,
            },
        );
        st.inserted(now);
    }
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = &state {
        pairs.push(("state", s));
    }
    jarm::answer(app, &answer_to, &pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_matches_any_port_only_when_allowed() {
        let reg = "http://127.0.0.1/callback";
        assert!(redirect_matches(
            reg,
            "http://127.0.0.1:5555/callback",
            true
        ));
        assert!(!redirect_matches(
            reg,
            "http://127.0.0.1:5555/callback",
            false
        ));
        assert!(!redirect_matches(reg, "http://127.0.0.1:5555/other", true));
        assert!(!redirect_matches(
            reg,
            "http://evil.example:5555/callback",
            true
        ));
        assert!(!redirect_matches(
            "https://a.example/cb",
            "https://a.example:444/cb",
            true
        ));
        assert!(redirect_matches(
            "http://[::1]/cb",
            "http://[::1]:9/cb",
            true
        ));
    }

    #[test]
    fn redirects_keep_the_existing_query() {
        let u = jarm::with_params("https://a.example/cb?x=1", &[("code", "c d")], false);
        assert_eq!(u, "https://a.example/cb?x=1&code=c+d");
    }
}
