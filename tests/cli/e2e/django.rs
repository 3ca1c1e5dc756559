//! End to end against a second real OpenID provider: django-oauth-toolkit (DOT) from PyPI,
//! e2e/dot/server.py (clients, account and log in tests/cli/e2e/dot.rs), through the real
//! Chromium (e2e/browser.mjs fills Django's sign-in form and DOT's "Authorize" page) and
//! the real keyring (`--store keyring` with a [`KeyringSession`]).
//!
//! Flows, each a test with its own server, HOME and keyring session:
//!   discovery under the issuer's path (`/o/.well-known/openid-configuration`), PKCE
//!   required, any loopback port; login with a nonce and the RS256 ID token validated
//!   (the nonce DOT received is the stored ID token's), then token (accepted by DOT's
//!   userinfo), me, and introspect as the confidential client; refresh with rotation (DOT
//!   refuses the old refresh token); logout with revocation (DOT then says inactive);
//!   `logout --end-session` through the browser (DOT ends the session, deletes the tokens);
//!   `login --client-credentials`; `login --device` with the user code entered in the
//!   browser; and ID tokens DOT signs with a wrong `aud` or a wrong
//!   `nonce` (its faulty clients) failing the login with exit 5, the claim named, nothing
//!   stored.

use super::dot::*;
use super::harness::*;
use crate::support::{jwt_claims, Env};
use predicates::prelude::*;

const SCOPES: &str = "openid profile email";

/// `[providers.dot]` (the native client) and `[providers.dot-admin]` (the confidential
/// client, for introspection): the issuer, plus the two endpoints DOT's OpenID discovery
/// document does not list (its RFC 8414 document does), as a user of DOT would write them.
fn dot_config(p: &Provider) -> String {
    dot_config_with(p, "")
}

/// [`dot_config`] with `extra` lines in `[providers.dot]`.
fn dot_config_with(p: &Provider, extra: &str) -> String {
    let endpoints = format!(
        "revocation_endpoint = \"{}\"\nintrospection_endpoint = \"{}\"\n",
        p.url(DOT_REVOKE),
        p.url(DOT_INTROSPECT)
    );
    format!(
        "[providers.dot]\nissuer = \"{iss}\"\nclient_id = \"{DOT_NATIVE}\"\n{endpoints}{extra}\n\
         [providers.dot-admin]\nissuer = \"{iss}\"\nclient_id = \"{DOT_BASIC}\"\n\
         token_endpoint_auth_method = \"client_secret_basic\"\nclient_secret = \"{DOT_BASIC_SECRET}\"\n{endpoints}",
        iss = p.issuer
    )
}

fn login_args() -> Vec<&'static str> {
    vec!["--store", "keyring", "--scope", SCOPES]
}

/// DOT's introspection as the confidential client: `active` of the answer.
fn dot_active(p: &Provider, token: &str) -> bool {
    let (status, v) = post_form(
        &p.url(DOT_INTROSPECT),
        &[("token", token)],
        Some((DOT_BASIC, DOT_BASIC_SECRET)),
    );
    assert_eq!(status, 200, "introspection: {v}");
    v["active"].as_bool().expect("a boolean `active`")
}

/// A refresh by hand at DOT's token endpoint, as the native client.
fn dot_refresh_by_hand(p: &Provider, refresh_token: &str) -> (u16, serde_json::Value) {
    post_form(
        &p.url(DOT_TOKEN),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", DOT_NATIVE),
        ],
        None,
    )
}

fn secret(t: &serde_json::Value, which: &str) -> String {
    t["tokens"][which]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no {which} in {t}"))
        .to_string()
}

/// oauthctl finds DOT's OpenID metadata under the issuer's path; DOT is configured as
/// e2e/dot/server.py says (PKCE required, any loopback port, RS256 keys); `doctor` passes
/// once the table lists the public client's `none` that DOT's metadata leaves out.
#[test]
fn discover_finds_dots_metadata_under_the_issuer_path() {
    let p = start_dot();
    let env = Env::new();
    let v = json_of(
        oauthctl(&env, None, &["discover", &p.issuer, "--json"]),
        "discover",
    );
    assert_eq!(v["kind"], "openid", "{v}");
    assert_eq!(
        v["source"],
        p.url("/.well-known/openid-configuration").as_str()
    );
    let m = &v["metadata"];
    assert_eq!(m["issuer"], p.issuer.as_str());
    assert_eq!(m["token_endpoint"], p.url(DOT_TOKEN).as_str());
    assert_eq!(m["userinfo_endpoint"], p.url(DOT_USERINFO).as_str());
    assert_eq!(
        m["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    let (st, jwks) = get_json(&p.url("/.well-known/jwks.json"), None);
    assert_eq!(st, 200);
    let keys = jwks["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1, "{jwks}");
    assert_eq!(keys[0]["kty"], "RSA");
    assert!(keys[0].get("d").is_none(), "no private part: {jwks}");

    // PKCE is required, and any loopback port is accepted for http://127.0.0.1/callback.
    let auth = |port: u16, pkce: bool| {
        let mut u = url::Url::parse(&p.url("/authorize/")).unwrap();
        u.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", DOT_WRONG_AUD) // no consent page: straight back
            .append_pair("redirect_uri", &format!("http://127.0.0.1:{port}/callback"))
            .append_pair("scope", "openid")
            .append_pair("state", "s-0123456789abcdefghijkl");
        if pkce {
            u.query_pairs_mut()
                .append_pair(
                    "code_challenge",
                    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                )
                .append_pair("code_challenge_method", "S256");
        }
        get(u.as_str(), None)
    };
    for port in [8765, 49152] {
        let (status, headers, _) = auth(port, true);
        assert_eq!(status, 302, "port {port}");
        let to = &headers.iter().find(|(k, _)| k == "location").unwrap().1;
        assert!(to.starts_with("/accounts/login/?next="), "{to}");
    }

    // doctor: DOT's metadata lists no `none` among token_endpoint_auth_methods_supported
    // (it accepts public clients all the same: the logins below). Metadata is advisory:
    // doctor tries `none` with a made-up code, DOT gets past client authentication to
    // the code (invalid_grant), so it is a warning and doctor exits 0; with the list set
    // in the provider's table every check passes (the preflight reaches DOT's sign-in
    // page).
    let doctor = |code: i32| {
        let out = oauthctl(&env, None, &["doctor", "-p", "dot", "--json"])
            .assert()
            .code(code)
            .get_output()
            .stdout
            .clone();
        let r: serde_json::Value = serde_json::from_slice(&out).expect("doctor's JSON");
        let check = |name: &str| {
            r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == name)
                .unwrap_or_else(|| panic!("no {name} in {r}"))
                .clone()
        };
        (check("client_auth"), check("preflight"))
    };
    env.write_config(&dot_config(&p));
    let (auth_check, _) = doctor(0);
    assert_eq!(auth_check["status"], "warn", "{auth_check}");
    assert!(
        auth_check.to_string().contains("none"),
        "the warning names the method: {auth_check}"
    );
    env.write_config(&dot_config_with(
        &p,
        "token_endpoint_auth_methods_supported = [\"none\", \"client_secret_basic\", \"client_secret_post\"]\n",
    ));
    let (auth_check, preflight) = doctor(0);
    assert_eq!(auth_check["status"], "ok", "{auth_check}");
    assert_eq!(preflight["status"], "ok", "{preflight}");
}

/// Login with PKCE and a nonce through the real browser into the real keyring; DOT's RS256
/// ID token passes every check and carries the nonce DOT received; then `token` (DOT's
/// userinfo accepts it), `me`, and `introspect` as the confidential client.
#[test]
fn login_with_a_nonce_then_token_me_and_introspect() {
    let p = start_dot();
    let env = Env::new();
    env.write_config(&dot_config(&p));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);

    let v = browser_login(&env, k, "dot", &login_args());
    assert_eq!(v["provider"], "dot");
    assert_eq!(v["store"], "keyring", "{v}");
    assert_eq!(v["client_id"], DOT_NATIVE);
    assert_eq!(v["issuer"], p.issuer.as_str());
    assert_eq!(v["refreshable"], true, "{v}");
    assert_eq!(v["token_type"], "Bearer");
    let log = p.log();
    assert!(log.contains("POST /accounts/login/ 302"), "{log}");
    assert!(log.contains("POST /o/authorize/ 302"), "consent: {log}");
    assert!(log.contains("POST /o/token/ 200"), "{log}");

    // The nonce oauthctl sent reached DOT (in the preflight's request and the browser's,
    // one login, one nonce), and the ID token stored carries it.
    let mut nonces = dot_nonces(&p, DOT_NATIVE);
    nonces.dedup();
    assert_eq!(nonces.len(), 1, "one nonce per login: {log}");
    assert!(nonces[0].len() >= 40, "a 256-bit nonce: {nonces:?}");
    let t = stored_tokens(&env, k, "dot");
    let check = &t["id_token_check"];
    assert_eq!(check["verified"], true, "{t}");
    assert_eq!(check["alg"], "RS256", "{t}");
    for c in ["signature", "iss", "aud", "exp", "iat", "nonce", "at_hash"] {
        assert!(
            check["checks"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!(c)),
            "{c}: {check}"
        );
    }
    let id_token = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "dot", "--store", "keyring", "--id-token"],
    ));
    let claims = jwt_claims(&id_token);
    assert_eq!(claims["nonce"], nonces[0].as_str(), "{claims}");
    assert_eq!(claims["aud"], DOT_NATIVE);
    assert_eq!(claims["iss"], p.issuer.as_str());
    assert_eq!(claims["sub"], DOT_SUB);
    oauthctl(&env, k, &["inspect", "-p", "dot", "--store", "keyring"])
        .assert()
        .success()
        .stdout(predicate::str::contains("verified"));
    let access = secret(&t, "access_token");
    let refresh = secret(&t, "refresh_token");
    let item = keyring_item(&env, &keyring, "dot:default").expect("a keyring item");
    assert!(item.contains(&access) && item.contains(&refresh));

    // token: the stored access token, which DOT's userinfo accepts.
    let token = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "dot", "--store", "keyring"],
    ));
    assert_eq!(token, access);
    let (st, info) = get_json(&p.url(DOT_USERINFO), Some(&token));
    assert_eq!(st, 200, "{info}");
    assert_eq!(info["sub"], DOT_SUB);

    // me: DOT's userinfo through discovery.
    let me = json_of(
        oauthctl(
            &env,
            k,
            &["me", "-p", "dot", "--store", "keyring", "--json"],
        ),
        "me",
    );
    assert_eq!(me["sub"], DOT_SUB, "{me}");
    assert_eq!(me["email"], DOT_EMAIL);
    assert_eq!(me["name"], DOT_NAME);
    assert_eq!(me["preferred_username"], DOT_USER);

    // introspect as the confidential client: DOT says active, for this client and alice.
    let i = json_of(
        oauthctl(
            &env,
            k,
            &["introspect", "-p", "dot-admin", &access, "--json"],
        ),
        "introspect",
    );
    assert_eq!(i["active"], true, "{i}");
    assert_eq!(i["client_id"], DOT_NATIVE, "{i}");
    assert_eq!(i["username"], DOT_USER, "{i}");
    assert!(i["scope"].as_str().unwrap_or("").contains("email"), "{i}");
    let out = oauthctl(&env, k, &["introspect", "-p", "dot-admin", &access])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("active") && !text.contains(&access), "{text}");
}

/// `oauthctl refresh` against DOT's refresh-token rotation: the new tokens are stored and
/// work, the new ID token is checked, DOT refuses the old refresh token, and after that
/// reuse oauthctl asks for a new login.
#[test]
fn refresh_rotates_and_dot_refuses_the_old_refresh_token() {
    let p = start_dot();
    let env = Env::new();
    env.write_config(&dot_config(&p));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);
    browser_login(&env, k, "dot", &login_args());
    let before = stored_tokens(&env, k, "dot");
    let (old_access, old_refresh) = (
        secret(&before, "access_token"),
        secret(&before, "refresh_token"),
    );

    let r = json_of(
        oauthctl(
            &env,
            k,
            &["refresh", "-p", "dot", "--store", "keyring", "--json"],
        ),
        "refresh",
    );
    assert_eq!(r["refresh_token_rotated"], true, "{r}");
    let after = stored_tokens(&env, k, "dot");
    let check = &after["id_token_check"];
    assert_eq!(check["verified"], true, "{after}");
    assert!(
        check["checks"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("sub")),
        "{check}"
    );
    let (new_access, new_refresh) = (
        secret(&after, "access_token"),
        secret(&after, "refresh_token"),
    );
    assert_ne!(new_refresh, old_refresh);
    assert_ne!(new_access, old_access);
    let item = keyring_item(&env, &keyring, "dot:default").expect("keyring item");
    assert!(item.contains(&new_refresh) && !item.contains(&old_refresh));
    let (st, info) = get_json(&p.url(DOT_USERINFO), Some(&new_access));
    assert_eq!(st, 200, "{info}");
    assert!(dot_active(&p, &new_access));
    assert!(
        !dot_active(&p, &old_access),
        "rotation revoked the old access token"
    );

    // DOT refuses the old refresh token, and (its reuse protection) revokes the new one
    // with it: oauthctl's next refresh says a login is needed (exit 4).
    let (st, v) = dot_refresh_by_hand(&p, &old_refresh);
    assert_eq!(st, 400, "{v}");
    assert_eq!(v["error"], "invalid_grant", "{v}");
    assert!(!dot_active(&p, &new_access), "reuse revoked the family");
    oauthctl(&env, k, &["refresh", "-p", "dot", "--store", "keyring"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("oauthctl login -p dot"));
}

/// `oauthctl logout` revokes the refresh and access tokens at DOT (RFC 7009) and deletes the
/// session; DOT then reports the tokens inactive and refuses them.
#[test]
fn logout_revokes_the_tokens_at_dot() {
    let p = start_dot();
    let env = Env::new();
    env.write_config(&dot_config(&p));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);
    browser_login(&env, k, "dot", &login_args());
    let t = stored_tokens(&env, k, "dot");
    let (access, refresh) = (secret(&t, "access_token"), secret(&t, "refresh_token"));
    assert!(dot_active(&p, &access));

    let out = oauthctl(&env, k, &["logout", "-p", "dot", "--store", "keyring"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Logged out of dot")
            && stderr.contains("revoking its refresh token and access token"),
        "{stderr}"
    );
    assert!(!stderr.contains(&access) && !stderr.contains(&refresh));
    assert_eq!(
        p.log().matches("POST /o/revoke_token/ 200").count(),
        2,
        "two revocations: {}",
        p.log()
    );
    assert!(!dot_active(&p, &access), "DOT still says active");
    let (st, _) = get_json(&p.url(DOT_USERINFO), Some(&access));
    assert_eq!(st, 401);
    let (st, v) = dot_refresh_by_hand(&p, &refresh);
    assert_eq!(st, 400, "{v}");
    assert_eq!(v["error"], "invalid_grant");
    let i = json_of(
        oauthctl(
            &env,
            k,
            &["introspect", "-p", "dot-admin", &access, "--json"],
        ),
        "introspect",
    );
    assert_eq!(i["active"], false, "{i}");

    assert_eq!(keyring_item(&env, &keyring, "dot:default"), None);
    oauthctl(&env, k, &["token", "-p", "dot", "--store", "keyring"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no session for dot"));
}

/// `oauthctl logout --end-session --no-revoke` (OpenID Connect RP-Initiated Logout): the
/// real browser goes to DOT's end_session_endpoint (from discovery) with the ID token as
/// hint and comes back to the configured post_logout_redirect_uri with the state; DOT ends
/// the session and deletes the tokens it issued to this client for alice (no revocation
/// was sent).
#[test]
fn logout_end_session_ends_the_session_at_dot() {
    let p = start_dot();
    let env = Env::new();
    let back = CallbackListener::bind();
    env.write_config(&dot_config_with(
        &p,
        &format!("post_logout_redirect_uri = \"{}\"\n", back.redirect_uri()),
    ));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);
    browser_login(&env, k, "dot", &login_args());
    let t = stored_tokens(&env, k, "dot");
    let access = secret(&t, "access_token");
    assert!(dot_active(&p, &access));

    let browser = Browser::new();
    let browser_arg = browser_cmd();
    let mut cmd = oauthctl(
        &env,
        k,
        &[
            "logout",
            "-p",
            "dot",
            "--store",
            "keyring",
            "--no-revoke",
            "--end-session",
            "--browser",
            &browser_arg,
        ],
    );
    browser.apply(&mut cmd);
    let out = cmd.assert().success().get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}?id_token_hint=", p.url("/logout/"))),
        "{stderr}"
    );
    let cb = browser.wait_callback(&back);
    browser.expect_ok();
    assert_eq!(cb.path, "/callback");
    assert!(cb.param("state").is_some_and(|s| s.len() >= 16), "{cb:?}");
    let log = p.log();
    assert!(log.contains("GET /o/logout/ 302"), "{log}");
    assert!(!log.contains("/o/revoke_token/"), "--no-revoke: {log}");
    assert!(!dot_active(&p, &access), "DOT deleted the tokens at logout");
    assert_eq!(keyring_item(&env, &keyring, "dot:default"), None);
}

/// `oauthctl login --client-credentials` with DOT's confidential service client
/// (client_secret_basic); DOT introspects the token as active for that client.
#[test]
fn client_credentials_login_with_dots_service_client() {
    let p = start_dot();
    let env = Env::new();
    env.write_config(&format!(
        "{}\n[providers.svc]\nissuer = \"{}\"\nclient_id = \"{DOT_SERVICE}\"\n\
         token_endpoint_auth_method = \"client_secret_basic\"\nclient_secret_env = \"E2E_SVC_SECRET\"\n",
        dot_config(&p),
        p.issuer
    ));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);
    let mut cmd = oauthctl(
        &env,
        k,
        &[
            "login",
            "-p",
            "svc",
            "--client-credentials",
            "--scope",
            "read",
            "--store",
            "keyring",
            "--json",
        ],
    );
    cmd.env("E2E_SVC_SECRET", DOT_SERVICE_SECRET);
    let v = json_of(cmd, "login --client-credentials");
    assert_eq!(v["store"], "keyring", "{v}");
    assert_eq!(v["client_id"], DOT_SERVICE);
    assert_eq!(v["refreshable"], false, "{v}");
    assert_eq!(v["scopes"], serde_json::json!(["read"]), "{v}");
    let token = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "svc", "--store", "keyring"],
    ));
    assert!(dot_active(&p, &token));
    let i = json_of(
        oauthctl(
            &env,
            k,
            &["introspect", "-p", "dot-admin", &token, "--json"],
        ),
        "introspect",
    );
    assert_eq!(i["active"], true, "{i}");
    assert_eq!(i["client_id"], DOT_SERVICE, "{i}");
    assert_eq!(i["scope"], "read", "{i}");

    // A wrong secret: DOT says invalid_client, exit 5.
    let mut cmd = oauthctl(
        &env,
        k,
        &[
            "login",
            "-p",
            "svc",
            "--profile",
            "wrong",
            "--client-credentials",
            "--store",
            "keyring",
        ],
    );
    cmd.env("E2E_SVC_SECRET", "not-the-secret");
    cmd.assert()
        .code(5)
        .stderr(predicate::str::contains("invalid_client"));
}

/// `oauthctl login --device` (RFC 8628) with DOT's device client: the driver signs alice in
/// at the verification URI oauthctl shows, enters the user code and accepts; oauthctl's
/// polling gets the tokens into the keyring; DOT says the token is active, for alice.
#[test]
fn device_login_with_the_user_code_entered_in_a_real_browser() {
    let p = start_dot();
    let env = Env::new();
    env.write_config(&format!(
        "{}\n[providers.dotdev]\nissuer = \"{}\"\nclient_id = \"{DOT_DEVICE}\"\n\
         device_authorization_endpoint = \"{}\"\n",
        dot_config(&p),
        p.issuer,
        p.url(DOT_DEVICE_AUTHORIZATION)
    ));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);
    let (out, _, uri) = device_login_in_browser(
        &keyring,
        &env,
        &["login", "-p", "dotdev", "--scope", "read"],
    );
    assert_eq!(uri, p.url("/device/"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("login's JSON");
    assert_eq!(v["store"], "keyring", "{v}");
    assert_eq!(v["client_id"], DOT_DEVICE);
    let log = p.log();
    assert!(log.contains("POST /o/device-authorization/ 200"), "{log}");
    assert!(
        log.contains("POST /o/device/ 302"),
        "the code was entered: {log}"
    );
    assert!(keyring_item(&env, &keyring, "dotdev:default").is_some());
    let token = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "dotdev", "--store", "keyring"],
    ));
    let i = json_of(
        oauthctl(
            &env,
            k,
            &["introspect", "-p", "dot-admin", &token, "--json"],
        ),
        "introspect",
    );
    assert_eq!(i["active"], true, "{i}");
    assert_eq!(i["client_id"], DOT_DEVICE, "{i}");
    assert_eq!(i["username"], DOT_USER, "{i}");
}

/// A login through the real browser whose ID token DOT signed with a wrong claim: exit 5,
/// the claim named, nothing stored (no keyring item, no session in status).
fn login_refused_for(client_id: &str, claim: &str, bad_value: &str) {
    let p = start_dot();
    let env = Env::new();
    env.write_config(&format!(
        "[providers.faulty]\nissuer = \"{}\"\nclient_id = \"{client_id}\"\n",
        p.issuer
    ));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);
    let browser = Browser::new();
    let browser_arg = browser_cmd();
    let mut cmd = oauthctl(
        &env,
        k,
        &[
            "login",
            "-p",
            "faulty",
            "--browser",
            &browser_arg,
            "--login-timeout",
            "90s",
            "--store",
            "keyring",
            "--scope",
            SCOPES,
        ],
    );
    cmd.timeout(LOGIN_TIMEOUT);
    browser.apply(&mut cmd);
    let out = cmd.output().expect("run oauthctl login");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(5),
        "login must fail with exit 5:\n{stderr}\nbrowser log:\n{}",
        browser.log()
    );
    browser.expect_ok();
    // The code was exchanged: DOT issued the tokens, oauthctl refused the ID token.
    assert!(p.log().contains("POST /o/token/ 200"), "{}", p.log());
    assert!(
        stderr.contains(&format!("`{claim}`")) || stderr.contains(&format!("{claim} ")),
        "the claim {claim} is named: {stderr}"
    );
    assert!(stderr.contains(bad_value), "what came is shown: {stderr}");
    assert_eq!(keyring_item(&env, &keyring, "faulty:default"), None);
    let status = json_of(
        oauthctl(&env, k, &["status", "--store", "keyring", "--json"]),
        "status",
    );
    assert_eq!(status, serde_json::json!([]), "nothing stored");
}

#[test]
fn an_id_token_with_a_wrong_aud_fails_the_login() {
    login_refused_for(DOT_WRONG_AUD, "aud", DOT_BAD_AUD);
}

#[test]
fn an_id_token_with_a_wrong_nonce_fails_the_login() {
    login_refused_for(DOT_WRONG_NONCE, "nonce", DOT_BAD_NONCE);
}
