//! End to end: the real oauthctl binary against software we did not write (issue 9).
//!
//! * a real OpenID provider: npm `oidc-provider`, e2e/provider.mjs (clients, resources,
//!   account and break switches documented there and in tests/cli/e2e/harness.rs);
//! * a real browser: Debian's /usr/bin/chromium driven by npm `playwright-core`,
//!   e2e/browser.mjs behind e2e/bin/browser (detaches, fills login and consent, lets the
//!   redirect reach the loopback listener; `--device` enters a user code);
//! * a real keyring: gnome-keyring's Secret Service under dbus-run-session, e2e/with-keyring.sh.
//!
//! Install them with `scripts/e2e-setup.sh` (idempotent). Nothing is skipped: a missing
//! piece fails the test with that hint.
//!
//! Flows (issue 9 part 4), each a test with its own provider, HOME and keyring session:
//!   login with PKCE through `login --browser` (the driver) into `--store keyring`, then
//!   status, token (accepted by userinfo), header, me, introspect and `decode --verify -p`
//!   of the id token; refresh with rotation (the old refresh token refused, then reuse
//!   detection makes oauthctl ask for a login); logout with revocation (the provider then
//!   says inactive); register, then login with the new client (JWT access token verified,
//!   the unrevokable JWT reported by logout); `login --device` with the user code entered
//!   by the driver; `login --client-credentials` with both confidential clients; a wrong
//!   redirect_uri caught by the preflight before any browser. Every browser login also checks the printed authorization
//!   request (S256 challenge, state) and that the CSP refused every off-machine request.
//!
//! Helpers (tests/cli/e2e/harness.rs):
//!   `start_provider()` / `start_provider_with(&[("E2E_BREAK", "client_id")])` -> Provider
//!       { issuer, port, url(path), metadata(), config_table(name, client_id), log() }
//!   `browser_cmd()` -> the value for `oauthctl login --browser`
//!   `Browser::new()`: `.apply(&mut oauthctl_cmd)` (log + PATH for the driver), `.open(url)`,
//!       `.open_device(uri, code)`, `.wait_done(timeout)` -> Outcome, `.expect_ok()`,
//!       `.log()`, `.external_requests()`
//!   `CallbackListener::bind()`: `.redirect_uri()`, `.wait(timeout)` -> Callback { path, params };
//!       `browser.wait_callback(&listener)` fails fast when the driver gives up
//!   `KeyringSession::start(&env)`: `.apply(&mut cmd)` (DBUS_SESSION_BUS_ADDRESS);
//!       `with_keyring(&env, prog, args)`, `oauthctl_with_keyring(&env)` (one session per command)
//!   `post_form(url, form, basic)`, `get_json(url, bearer)`, `get(...)`;
//!   `jwt_claims(jwt)` from tests/cli/support
//! Every test starts its own provider on a free port; providers, browsers and keyring
//! sessions die when their handles drop. Break a flow on purpose for the whole suite with
//! `E2E_BREAK=client_id cargo test --test cli e2e::real_provider` (it must then fail).

use std::time::Duration;

use super::harness::*;
use crate::support::{jwt_claims, Env};
use predicates::prelude::*;

fn run_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env
        .cmd()
        .args(args)
        .timeout(CMD_TIMEOUT)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "oauthctl {args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out)
        )
    })
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn discover_reads_the_real_providers_openid_metadata() {
    let p = start_provider();
    let env = Env::new();
    let v = run_json(&env, &["discover", &p.issuer, "--json"]);
    assert_eq!(v["kind"], "openid");
    assert_eq!(v["issuer"], p.issuer.as_str());
    assert_eq!(
        v["source"],
        p.url("/.well-known/openid-configuration").as_str()
    );
    let m = &v["metadata"];
    assert_eq!(m["issuer"], p.issuer.as_str());
    for (key, path) in [
        ("authorization_endpoint", "/auth"),
        ("token_endpoint", "/token"),
        ("jwks_uri", "/jwks"),
        ("userinfo_endpoint", "/me"),
        ("registration_endpoint", "/reg"),
        ("device_authorization_endpoint", "/device/auth"),
        ("introspection_endpoint", "/token/introspection"),
        ("revocation_endpoint", "/token/revocation"),
    ] {
        assert_eq!(m[key], p.url(path).as_str(), "{key}");
    }
    assert_eq!(
        m["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    let grants = m["grant_types_supported"].to_string();
    for g in [
        "authorization_code",
        "refresh_token",
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:device_code",
    ] {
        assert!(grants.contains(g), "grant {g} missing from {grants}");
    }

    // The same through a config table that names only the issuer and a client.
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    env.cmd()
        .args(["discover", "-p", "real"])
        .timeout(CMD_TIMEOUT)
        .assert()
        .success()
        .stdout(predicate::str::contains(p.url("/jwks")))
        .stderr(predicate::str::contains("OpenID Connect discovery"));

    // The keys oauthctl will verify with are the two documented signing keys.
    let (status, jwks) = get_json(&p.url("/jwks"), None);
    assert_eq!(status, 200);
    let mut kids: Vec<String> = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| {
            format!(
                "{}:{}",
                k["kid"].as_str().unwrap_or("?"),
                k["kty"].as_str().unwrap_or("?")
            )
        })
        .collect();
    kids.sort();
    assert_eq!(kids, ["e2e-es256:EC", "e2e-rs256:RSA"]);
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.get("d").is_none()),
        "the JWKS must not publish private parts"
    );
}

/// The provider is configured as the suite documents: a CSP on every page, PKCE required,
/// port-agnostic loopback redirect URIs for the native client and nothing else, both
/// confidential client authentications, JWT vs opaque access tokens by resource.
#[test]
fn the_provider_is_configured_as_documented() {
    let p = start_provider();
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let auth = |redirect: &str, pkce: bool| {
        let mut u = url::Url::parse(&p.url("/auth")).unwrap();
        u.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", NATIVE_CLIENT_ID)
            .append_pair("redirect_uri", redirect)
            .append_pair("scope", "openid")
            .append_pair("state", "s-0123456789abcdefghijkl");
        if pkce {
            u.query_pairs_mut()
                .append_pair("code_challenge", challenge)
                .append_pair("code_challenge_method", "S256");
        }
        get(u.as_str(), None)
    };

    // Any loopback port is accepted for the registered http://127.0.0.1/callback.
    for port in [8765, 49152] {
        let (status, headers, _) = auth(&format!("http://127.0.0.1:{port}/callback"), true);
        assert_eq!(status, 303, "port {port}");
        let to = header(&headers, "location").unwrap_or("");
        assert!(to.starts_with("/interaction/"), "port {port}: {to}");
        assert_eq!(header(&headers, "content-security-policy"), Some(CSP));
    }
    // Another path is not: the provider shows an error page instead of redirecting.
    let (status, headers, body) = auth("http://127.0.0.1:8765/elsewhere", true);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("redirect_uri did not match"), "{body}");
    assert_eq!(header(&headers, "content-security-policy"), Some(CSP));
    // No PKCE: refused, back at the (valid) redirect URI.
    let (status, headers, _) = auth("http://127.0.0.1:8765/callback", false);
    assert_eq!(status, 303);
    let to = header(&headers, "location").unwrap_or("");
    assert!(to.starts_with("http://127.0.0.1:8765/callback?"), "{to}");
    assert!(to.contains("error=invalid_request"), "{to}");
    assert!(to.contains("PKCE"), "{to}");

    // Client credentials: client_secret_basic and client_secret_post, JWT and opaque.
    let token = p.url("/token");
    let (status, v) = post_form(
        &token,
        &[
            ("grant_type", "client_credentials"),
            ("resource", JWT_RESOURCE),
            ("scope", "api:read"),
        ],
        Some((BASIC_CLIENT_ID, BASIC_CLIENT_SECRET)),
    );
    assert_eq!(status, 200, "{v}");
    let claims = jwt_claims(v["access_token"].as_str().expect("access_token"));
    assert_eq!(claims["aud"], JWT_RESOURCE);
    assert_eq!(claims["client_id"], BASIC_CLIENT_ID);
    assert_eq!(claims["iss"], p.issuer.as_str());
    let (status, v) = post_form(
        &token,
        &[
            ("grant_type", "client_credentials"),
            ("resource", OPAQUE_RESOURCE),
            ("scope", "api:read"),
            ("client_id", POST_CLIENT_ID),
            ("client_secret", POST_CLIENT_SECRET),
        ],
        None,
    );
    assert_eq!(status, 200, "{v}");
    let opaque = v["access_token"].as_str().expect("access_token");
    assert_eq!(opaque.split('.').count(), 1, "opaque, not a JWT: {opaque}");
    // A wrong secret is refused.
    let (status, v) = post_form(
        &token,
        &[("grant_type", "client_credentials")],
        Some((BASIC_CLIENT_ID, "not-the-secret")),
    );
    assert_eq!(status, 401, "{v}");
    assert_eq!(v["error"], "invalid_client");
}

/// `oauthctl authorize-url` against the real provider, the URL opened in real Chromium
/// through the same opener `oauthctl login --browser` will use, alice signs in and
/// consents, the redirect reaches a loopback listener with the right state; the code is
/// exchanged with the PKCE verifier oauthctl printed, and the JWT access token and the id
/// token verify with `oauthctl decode --verify`.
#[test]
fn authorize_url_login_in_a_real_browser_then_the_tokens_verify() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let listener = CallbackListener::bind();
    let port = listener.port.to_string();
    let resource_param = format!("resource={JWT_RESOURCE}");
    let v = run_json(
        &env,
        &[
            "authorize-url",
            "-p",
            "real",
            "--port",
            &port,
            "--scope",
            "openid offline_access email profile api:read",
            "--param",
            &resource_param,
            "--param",
            "prompt=consent",
            "--json",
        ],
    );
    let url = v["url"].as_str().expect("url");
    assert!(url.starts_with(&p.url("/auth?")), "{url}");
    assert_eq!(v["redirect_uri"], listener.redirect_uri().as_str());
    let state = v["state"].as_str().expect("state").to_string();
    let verifier = v["code_verifier"]
        .as_str()
        .expect("code_verifier")
        .to_string();

    let browser = Browser::new();
    browser.open(url);
    let cb = browser.wait_callback(&listener);
    browser.expect_ok();
    assert_eq!(cb.path, "/callback");
    assert_eq!(
        cb.param("state"),
        Some(state.as_str()),
        "state must round-trip"
    );
    assert_eq!(cb.param("iss"), Some(p.issuer.as_str()), "RFC 9207 iss");
    assert_eq!(cb.param("error"), None);
    let code = cb.param("code").expect("an authorization code").to_string();

    // The browser never left loopback: the login pages' web font was refused by the CSP.
    let external = browser.external_requests();
    assert!(
        !external.is_empty(),
        "the dev login page imports a web font; the log should show it refused:\n{}",
        browser.log()
    );
    assert!(
        external.iter().all(|l| l.starts_with("blocked (csp)")),
        "every off-machine request must be refused by the CSP: {external:?}"
    );
    // The driver logs parameter names, never the code.
    assert!(
        !browser.log().contains(&code),
        "the browser log leaks the code"
    );

    // The exchange, by hand, with oauthctl's verifier.
    let (status, tokens) = post_form(
        &p.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &listener.redirect_uri()),
            ("client_id", NATIVE_CLIENT_ID),
            ("code_verifier", &verifier),
        ],
        None,
    );
    assert_eq!(status, 200, "token endpoint: {tokens}");
    let access = tokens["access_token"]
        .as_str()
        .expect("access_token")
        .to_string();
    let id_token = tokens["id_token"].as_str().expect("id_token").to_string();
    let refresh = tokens["refresh_token"]
        .as_str()
        .expect("a refresh token: offline_access with prompt=consent")
        .to_string();

    // The JWT access token verifies against the provider's JWKS, given by URL...
    let jwks_uri = p.url("/jwks");
    let d = run_json(
        &env,
        &["decode", &access, "--verify", "--jwks", &jwks_uri, "--json"],
    );
    let ver = &d["verification"];
    assert_eq!(ver["valid"], true, "{d}");
    assert_eq!(ver["signature"], "valid");
    assert_eq!(ver["alg"], "RS256");
    assert_eq!(ver["kid"], "e2e-rs256");
    let claims = jwt_claims(&access);
    assert_eq!(claims["sub"], ALICE);
    assert_eq!(claims["aud"], JWT_RESOURCE);
    assert_eq!(claims["client_id"], NATIVE_CLIENT_ID);
    assert!(
        claims["scope"].as_str().unwrap_or("").contains("api:read"),
        "{claims}"
    );
    // ... and found through the token's issuer (discovery), with iss and aud required.
    let d = run_json(
        &env,
        &[
            "decode",
            &access,
            "--verify",
            "--iss",
            &p.issuer,
            "--aud",
            JWT_RESOURCE,
            "--json",
        ],
    );
    assert_eq!(d["verification"]["valid"], true, "{d}");
    assert_eq!(d["verification"]["keys_from"], jwks_uri.as_str());
    // The id token is ES256, for the native client, about alice.
    let d = run_json(
        &env,
        &[
            "decode",
            &id_token,
            "--verify",
            "--aud",
            NATIVE_CLIENT_ID,
            "--iss",
            &p.issuer,
            "--json",
        ],
    );
    assert_eq!(d["verification"]["valid"], true, "{d}");
    assert_eq!(d["verification"]["alg"], "ES256");
    assert_eq!(jwt_claims(&id_token)["sub"], ALICE);

    // A tampered signature is refused (exit 3)...
    let mut parts: Vec<String> = access.split('.').map(str::to_string).collect();
    let sig = &mut parts[2];
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    sig.replace_range(0..1, flipped);
    env.cmd()
        .args(["decode", &parts.join("."), "--verify", "--jwks", &jwks_uri])
        .timeout(CMD_TIMEOUT)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("verification failed"));
    // ... and so are the keys of another provider instance (other keys under the same kids).
    let other = start_provider_with(&[("E2E_KEYS", "other")]);
    env.cmd()
        .args(["decode", &access, "--verify", "--jwks", &other.url("/jwks")])
        .timeout(CMD_TIMEOUT)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("verification failed"));

    let refresh_with = |rt: &str| {
        post_form(
            &p.url("/token"),
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", rt),
                ("client_id", NATIVE_CLIENT_ID),
            ],
            None,
        )
    };
    // Refresh tokens rotate: a new one each time, and the old one is then refused.
    let (status, r1) = refresh_with(&refresh);
    assert_eq!(status, 200, "{r1}");
    let rotated = r1["refresh_token"]
        .as_str()
        .expect("a rotated refresh token")
        .to_string();
    assert_ne!(rotated, refresh);
    let (status, r2) = refresh_with(&refresh);
    assert_eq!(status, 400, "{r2}");
    assert_eq!(r2["error"], "invalid_grant");
    // Reusing a consumed refresh token revoked the whole grant, the rotated one included.
    let (status, r3) = refresh_with(&rotated);
    assert_eq!(status, 400, "{r3}");
    assert_eq!(r3["error"], "invalid_grant");

    // The code is single-use.
    let (status, again) = post_form(
        &p.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &listener.redirect_uri()),
            ("client_id", NATIVE_CLIENT_ID),
            ("code_verifier", &verifier),
        ],
        None,
    );
    assert_eq!(status, 400);
    assert_eq!(again["error"], "invalid_grant");
}

/// Breaking the suite's configuration on purpose (the provider registers the native client
/// under another id) makes the authorize step fail: the provider shows invalid_client,
/// the driver reports it, and nothing reaches the callback.
#[test]
fn a_wrong_client_id_makes_the_authorize_step_fail() {
    let p = start_provider_with(&[("E2E_BREAK", "client_id")]);
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let listener = CallbackListener::bind();
    let port = listener.port.to_string();
    let v = run_json(
        &env,
        &["authorize-url", "-p", "real", "--port", &port, "--json"],
    );
    let browser = Browser::new();
    browser.open(v["url"].as_str().expect("url"));
    match browser.wait_done(BROWSER_TIMEOUT) {
        Outcome::Error(e) => assert!(e.contains("invalid_client"), "{e}"),
        Outcome::Ok => panic!("the broken client id was accepted:\n{}", browser.log()),
    }
    assert!(
        listener.wait(Duration::from_millis(200)).is_none(),
        "nothing may reach the callback"
    );
    assert!(p.log().contains("invalid_client"), "{}", p.log());
}

/// The driver's device mode against a real device authorization (requested by the test):
/// it enters the user code, signs in, consents, confirms; the device code then yields
/// tokens for alice. A wrong user code is reported, not hidden.
#[test]
fn the_browser_driver_completes_a_real_device_flow() {
    let p = start_provider();
    let (status, d) = post_form(
        &p.url("/device/auth"),
        &[
            ("client_id", NATIVE_CLIENT_ID),
            ("scope", "openid offline_access email"),
        ],
        None,
    );
    assert_eq!(status, 200, "{d}");
    let uri = d["verification_uri"].as_str().expect("verification_uri");
    let user_code = d["user_code"].as_str().expect("user_code");
    let device_code = d["device_code"].as_str().expect("device_code");
    let poll = || {
        post_form(
            &p.url("/token"),
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", device_code),
                ("client_id", NATIVE_CLIENT_ID),
            ],
            None,
        )
    };
    let (status, pending) = poll();
    assert_eq!(status, 400);
    assert_eq!(pending["error"], "authorization_pending");

    let wrong = Browser::new();
    wrong.open_device(uri, "BBBB-BBBB");
    match wrong.wait_done(BROWSER_TIMEOUT) {
        Outcome::Error(e) => assert!(e.contains("refused the user code"), "{e}"),
        Outcome::Ok => panic!("a wrong user code was accepted:\n{}", wrong.log()),
    }

    let browser = Browser::new();
    browser.open_device(uri, user_code);
    browser.expect_ok();
    let (status, tokens) = poll();
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["refresh_token"].is_string(), "{tokens}");
    let (status, me) = get_json(
        &p.url("/me"),
        Some(tokens["access_token"].as_str().expect("access_token")),
    );
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["sub"], ALICE);
    assert_eq!(me["email"], ALICE_EMAIL);
}

/// The keyring harness gives a real Secret Service, unlocked with a password: a secret
/// stored by one process is read by another on the same session, and, through
/// e2e/with-keyring.sh, by a later session on the same HOME; a wrong password is caught.
#[test]
fn the_keyring_harness_gives_a_real_unlocked_secret_service() {
    let env = Env::new();
    {
        let session = KeyringSession::start(&env);
        let mut store = std::process::Command::new("secret-tool");
        store
            .args([
                "store",
                "--label=oauthctl e2e",
                "service",
                "oauthctl-e2e",
                "user",
                ALICE,
            ])
            .env_clear()
            .envs(keyring_env(&env))
            .stdin(std::process::Stdio::piped());
        session.apply_std(&mut store);
        let mut child = store.spawn().expect("secret-tool store");
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"s3cret-value").unwrap();
        drop(child.stdin.take());
        let out = wait_output(child, CMD_TIMEOUT).expect("secret-tool store finished");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );

        let mut lookup = assert_cmd::Command::new("secret-tool");
        lookup
            .args(["lookup", "service", "oauthctl-e2e", "user", ALICE])
            .env_clear()
            .envs(keyring_env(&env))
            .timeout(CMD_TIMEOUT);
        session.apply(&mut lookup);
        lookup.assert().success().stdout("s3cret-value");
    }
    // The keyring file lives in the test's HOME, not the machine's.
    assert!(env.path().join("data/keyrings/login.keyring").exists());
    // A new session on the same HOME unlocks the same keyring.
    with_keyring(
        &env,
        "secret-tool",
        &["lookup", "service", "oauthctl-e2e", "user", ALICE],
    )
    .timeout(CMD_TIMEOUT)
    .assert()
    .success()
    .stdout("s3cret-value");
    // The wrapped command's status passes through.
    with_keyring(&env, "sh", &["-c", "exit 7"])
        .timeout(CMD_TIMEOUT)
        .assert()
        .code(7);
    // A wrong password leaves the keyring locked: the harness says so instead of running.
    with_keyring(&env, "true", &[])
        .env("E2E_KEYRING_PASSWORD", "wrong-password")
        .timeout(CMD_TIMEOUT)
        .assert()
        .code(125)
        .stderr(predicate::str::contains("still locked"));
    // oauthctl runs under the harness with the same isolated environment.
    oauthctl_with_keyring(&env)
        .arg("--version")
        .timeout(CMD_TIMEOUT)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("oauthctl "));
}

// ---------------------------------------------------------------------------------------
// Flows: `oauthctl login` and the commands that use its session, against the real
// provider, the real browser (through `login --browser`) and the real keyring.
// ---------------------------------------------------------------------------------------

/// What the flows ask for: an id token, a refresh token, alice's email and name.
const LOGIN_SCOPES: &str = "openid offline_access email profile";

/// Introspection by the confidential client `oauthctl-basic`, which the provider lets see
/// any token (the public client sees only its own): `active` of the answer.
fn active_for_the_confidential_client(p: &Provider, token: &str, hint: &str) -> bool {
    let (status, v) = post_form(
        &p.url("/token/introspection"),
        &[("token", token), ("token_type_hint", hint)],
        Some((BASIC_CLIENT_ID, BASIC_CLIENT_SECRET)),
    );
    assert_eq!(status, 200, "introspection: {v}");
    v["active"].as_bool().expect("a boolean `active`")
}

/// A direct refresh at the token endpoint, as the native client.
fn refresh_by_hand(p: &Provider, refresh_token: &str) -> (u16, serde_json::Value) {
    post_form(
        &p.url("/token"),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", NATIVE_CLIENT_ID),
        ],
        None,
    )
}

fn login_args(store: &str) -> Vec<&str> {
    vec![
        "--store",
        store,
        "--scope",
        LOGIN_SCOPES,
        "--param",
        "prompt=consent",
    ]
}

/// Issue 9 flows 1, 2 (token), 3, 4 and 5 on one session: `oauthctl login` with PKCE through
/// a real browser and oauthctl's own loopback listener, the session in the real keyring;
/// `status` shows it; `token` prints an access token the provider's userinfo accepts;
/// `me` shows alice; `introspect` says active; the id token verifies with
/// `decode --verify -p NAME` (keys found through discovery's jwks_uri).
#[test]
fn login_with_pkce_in_a_real_browser_keeps_the_session_in_the_real_keyring() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);

    let v = browser_login(&env, k, "real", &login_args("keyring"));
    assert_eq!(v["provider"], "real");
    assert_eq!(v["subject"], ALICE, "login found out who logged in: {v}");
    assert_eq!(v["store"], "keyring", "{v}");
    assert_eq!(v["file"], serde_json::Value::Null);
    assert_eq!(v["client_id"], NATIVE_CLIENT_ID);
    assert_eq!(v["issuer"], p.issuer.as_str());
    assert_eq!(
        v["refreshable"], true,
        "offline_access with prompt=consent: {v}"
    );
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(
        v["scopes"],
        serde_json::json!(["openid", "offline_access", "email", "profile"])
    );
    let expires_in = v["expires_in"].as_i64().expect("expires_in");
    assert!(
        (590..=600).contains(&expires_in),
        "AccessToken ttl 600: {v}"
    );
    // The provider requires PKCE (browser_login checked the S256 challenge); the code was
    // exchanged at its token endpoint.
    let log = p.log();
    assert!(log.contains("GET /auth 303"), "{log}");
    assert!(log.contains("POST /token 200"), "{log}");

    // The session is in the Secret Service, under oauthctl's service, not in a file.
    let t = stored_tokens(&env, k, "real");
    // The real provider's ID token (ES256 for the native client) carried the nonce
    // sent and passed every check against its JWKS.
    let check = &t["id_token_check"];
    assert_eq!(check["verified"], true, "{t}");
    assert_eq!(check["alg"], "ES256", "{t}");
    assert_eq!(check["kid"], "e2e-es256", "{t}");
    for c in ["signature", "iss", "aud", "exp", "iat", "nonce"] {
        assert!(
            check["checks"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!(c)),
            "{c}: {check}"
        );
    }
    let access = t["tokens"]["access_token"]["value"]
        .as_str()
        .expect("access token")
        .to_string();
    let refresh = t["tokens"]["refresh_token"]["value"]
        .as_str()
        .expect("refresh token")
        .to_string();
    let item =
        keyring_item(&env, &keyring, "real:default").expect("a keyring item for real:default");
    assert!(item.contains(&access) && item.contains(&refresh), "{item}");
    assert!(
        !env.path().join("data/oauthctl/sessions").exists(),
        "--store keyring wrote a session file"
    );

    // status shows it.
    let status = json_of(
        oauthctl(&env, k, &["status", "--store", "keyring", "--json"]),
        "status",
    );
    let rows = status.as_array().expect("an array");
    assert_eq!(rows.len(), 1, "{status}");
    let row = &rows[0];
    assert_eq!(row["provider"], "real");
    assert_eq!(row["profile"], "default");
    assert_eq!(row["subject"], ALICE);
    assert_eq!(row["store"], "keyring");
    assert_eq!(row["expired"], false);
    assert_eq!(row["refreshable"], true);
    assert_eq!(row["needs_login"], false);
    assert_eq!(row["issuer"], p.issuer.as_str());
    oauthctl(&env, k, &["status", "--store", "keyring"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("real")
                .and(predicate::str::contains(ALICE))
                .and(predicate::str::contains("keyring"))
                .and(predicate::str::contains("offline_access")),
        );

    // token prints the stored access token (still valid: no refresh), and the provider's
    // userinfo endpoint accepts it; header wraps the same token.
    let token = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "real", "--store", "keyring"],
    ));
    assert_eq!(token, access);
    let (st, info) = get_json(&p.url("/me"), Some(&token));
    assert_eq!(st, 200, "{info}");
    assert_eq!(info["sub"], ALICE);
    assert_eq!(info["email"], ALICE_EMAIL);
    let header = stdout_of(oauthctl(
        &env,
        k,
        &["header", "-p", "real", "--store", "keyring"],
    ));
    assert_eq!(header, format!("Authorization: Bearer {access}"));
    // A later keyring session on the same HOME (another login, a reboot) still has it.
    oauthctl_with_keyring(&env)
        .args(["token", "-p", "real", "--store", "keyring"])
        .timeout(CMD_TIMEOUT)
        .assert()
        .success()
        .stdout(format!("{access}\n"));

    // me: the provider's userinfo, through discovery's userinfo_endpoint.
    let me = json_of(
        oauthctl(
            &env,
            k,
            &["me", "-p", "real", "--store", "keyring", "--json"],
        ),
        "me",
    );
    assert_eq!(me["sub"], ALICE, "{me}");
    assert_eq!(me["email"], ALICE_EMAIL);
    assert_eq!(me["name"], ALICE_NAME);
    oauthctl(&env, k, &["me", "-p", "real", "--store", "keyring"])
        .assert()
        .success()
        .stdout(predicate::str::contains(ALICE_EMAIL));

    // introspect: the stored access and refresh tokens are active, for alice and this client.
    let i = json_of(
        oauthctl(
            &env,
            k,
            &["introspect", "-p", "real", "--store", "keyring", "--json"],
        ),
        "introspect",
    );
    assert_eq!(i["active"], true, "{i}");
    assert_eq!(i["sub"], ALICE);
    assert_eq!(i["client_id"], NATIVE_CLIENT_ID);
    assert_eq!(i["iss"], p.issuer.as_str());
    assert_eq!(i["token_type"], "Bearer");
    assert!(i["scope"].as_str().unwrap_or("").contains("email"), "{i}");
    let i = json_of(
        oauthctl(
            &env,
            k,
            &[
                "introspect",
                "-p",
                "real",
                "--store",
                "keyring",
                "--refresh-token",
                "--json",
            ],
        ),
        "introspect --refresh-token",
    );
    assert_eq!(i["active"], true, "{i}");
    oauthctl(&env, k, &["introspect", "-p", "real", "--store", "keyring"])
        .assert()
        .success()
        .stdout(predicate::str::contains("active").and(predicate::str::contains("yes")))
        .stdout(predicate::str::contains(&access).not());
    // The server agrees, asked by another client.
    assert!(active_for_the_confidential_client(
        &p,
        &access,
        "access_token"
    ));

    // decode --verify -p real: the id token (ES256) against the keys at discovery's jwks_uri.
    let id_token = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "real", "--store", "keyring", "--id-token"],
    ));
    let d = json_of(
        oauthctl(
            &env,
            k,
            &[
                "decode",
                &id_token,
                "-p",
                "real",
                "--verify",
                "--iss",
                &p.issuer,
                "--aud",
                NATIVE_CLIENT_ID,
                "--json",
            ],
        ),
        "decode --verify",
    );
    let ver = &d["verification"];
    assert_eq!(ver["valid"], true, "{d}");
    assert_eq!(ver["signature"], "valid");
    assert_eq!(ver["alg"], "ES256");
    assert_eq!(ver["kid"], "e2e-es256");
    assert_eq!(ver["keys_from"], p.metadata()["jwks_uri"]);
    assert_eq!(d["claims"]["sub"], ALICE);
    // Required claims that do not match are refused (exit 3).
    oauthctl(
        &env,
        k,
        &[
            "decode",
            &id_token,
            "-p",
            "real",
            "--verify",
            "--aud",
            JWT_RESOURCE,
        ],
    )
    .assert()
    .code(3)
    .stderr(predicate::str::contains("verification failed"));
}

/// Issue 9 flow 2: `oauthctl refresh` against a provider that rotates refresh tokens. The
/// rotated token is stored (in the keyring), the new access token works, and the provider
/// refuses the old refresh token; once the provider has revoked the grant for that reuse,
/// oauthctl's next refresh says a new login is needed (exit 4).
#[test]
fn refresh_rotates_the_refresh_token_and_the_provider_refuses_the_old_one() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);
    browser_login(&env, k, "real", &login_args("keyring"));
    let before = stored_tokens(&env, k, "real");
    let old_access = before["tokens"]["access_token"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let old_refresh = before["tokens"]["refresh_token"]["value"]
        .as_str()
        .unwrap()
        .to_string();

    let r = json_of(
        oauthctl(
            &env,
            k,
            &["refresh", "-p", "real", "--store", "keyring", "--json"],
        ),
        "refresh",
    );
    assert_eq!(r["refresh_token_rotated"], true, "{r}");
    assert_eq!(r["provider"], "real");
    let after = stored_tokens(&env, k, "real");
    // The refreshed ID token was checked, and names the same subject.
    let check = &after["id_token_check"];
    assert_eq!(check["verified"], true, "{after}");
    assert!(
        check["checks"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("sub")),
        "{check}"
    );
    let new_access = after["tokens"]["access_token"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let new_refresh = after["tokens"]["refresh_token"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(
        new_refresh, old_refresh,
        "the rotated refresh token is stored"
    );
    assert_ne!(new_access, old_access);
    let item = keyring_item(&env, &keyring, "real:default").expect("keyring item");
    assert!(
        item.contains(&new_refresh) && !item.contains(&old_refresh),
        "{item}"
    );
    // token prints the new access token, which userinfo accepts.
    let token = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "real", "--store", "keyring"],
    ));
    assert_eq!(token, new_access);
    let (st, info) = get_json(&p.url("/me"), Some(&token));
    assert_eq!(st, 200, "{info}");
    assert_eq!(info["sub"], ALICE);

    // The provider: the old refresh token is no longer active, the new one is...
    let old = json_of(
        oauthctl(
            &env,
            k,
            &[
                "introspect",
                "-p",
                "real",
                "--store",
                "keyring",
                &old_refresh,
                "--json",
            ],
        ),
        "introspect OLD",
    );
    assert_eq!(old["active"], false, "the consumed refresh token: {old}");
    let new = json_of(
        oauthctl(
            &env,
            k,
            &[
                "introspect",
                "-p",
                "real",
                "--store",
                "keyring",
                "--refresh-token",
                "--json",
            ],
        ),
        "introspect --refresh-token",
    );
    assert_eq!(new["active"], true, "the rotated refresh token: {new}");
    // ... and using the old one is refused (and, as reuse, revokes the whole grant).
    let (st, v) = refresh_by_hand(&p, &old_refresh);
    assert_eq!(st, 400, "{v}");
    assert_eq!(v["error"], "invalid_grant");
    assert!(!active_for_the_confidential_client(
        &p,
        &new_refresh,
        "refresh_token"
    ));
    // oauthctl's next refresh is refused: login required (4), naming the command to run,
    // and status remembers it.
    oauthctl(&env, k, &["refresh", "-p", "real", "--store", "keyring"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("oauthctl login -p real"));
    let status = json_of(
        oauthctl(
            &env,
            k,
            &["status", "-p", "real", "--store", "keyring", "--json"],
        ),
        "status",
    );
    assert_eq!(status[0]["needs_login"], true, "{status}");
    assert_eq!(status[0]["refreshable"], false, "{status}");
}

/// Issue 9 flow 6: `oauthctl logout` revokes the refresh and access tokens at the provider
/// (RFC 7009) and deletes the session from the keyring; the provider then reports both
/// tokens inactive to a confidential client, and `token` says to log in (exit 4).
#[test]
fn logout_revokes_the_tokens_at_the_provider_and_deletes_the_session() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);
    browser_login(&env, k, "real", &login_args("keyring"));
    let t = stored_tokens(&env, k, "real");
    let access = t["tokens"]["access_token"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let refresh = t["tokens"]["refresh_token"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(active_for_the_confidential_client(
        &p,
        &access,
        "access_token"
    ));
    assert!(active_for_the_confidential_client(
        &p,
        &refresh,
        "refresh_token"
    ));

    let out = oauthctl(&env, k, &["logout", "-p", "real", "--store", "keyring"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Logged out of real")
            && stderr.contains("revoking its refresh token and access token"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(&access) && !stderr.contains(&refresh),
        "{stderr}"
    );
    let log = p.log();
    assert_eq!(
        log.matches("POST /token/revocation 200").count(),
        2,
        "two revocations: {log}"
    );

    // The provider: both tokens are gone; userinfo refuses the access token.
    assert!(!active_for_the_confidential_client(
        &p,
        &access,
        "access_token"
    ));
    assert!(!active_for_the_confidential_client(
        &p,
        &refresh,
        "refresh_token"
    ));
    let (st, _) = get_json(&p.url("/me"), Some(&access));
    assert_eq!(st, 401);
    // The same through oauthctl introspect with the token given, as the native client.
    let i = json_of(
        oauthctl(&env, k, &["introspect", "-p", "real", &access, "--json"]),
        "introspect",
    );
    assert_eq!(i["active"], false, "{i}");
    let (st, v) = refresh_by_hand(&p, &refresh);
    assert_eq!(st, 400, "{v}");
    assert_eq!(v["error"], "invalid_grant");

    // oauthctl: the session is gone from the keyring and the index.
    assert_eq!(keyring_item(&env, &keyring, "real:default"), None);
    let status = json_of(
        oauthctl(&env, k, &["status", "--store", "keyring", "--json"]),
        "status",
    );
    assert_eq!(status, serde_json::json!([]));
    oauthctl(&env, k, &["token", "-p", "real", "--store", "keyring"])
        .assert()
        .code(4)
        .stdout("")
        .stderr(predicate::str::contains("no session for real"));
    // A second logout has nothing to do.
    oauthctl(&env, k, &["logout", "-p", "real", "--store", "keyring"])
        .assert()
        .success()
        .stderr(predicate::str::contains("nothing to do"));
}

/// Issue 9 flow 7: `oauthctl register` registers a new client at the provider (RFC 7591):
/// its client_id (and redirect URI) go into the config file, its secret into the real
/// keyring; `oauthctl login` then logs in with that client (client_secret_basic and PKCE),
/// here for the JWT resource, and the access token verifies with `decode --verify -p`.
#[test]
fn register_a_client_then_log_in_with_it() {
    let p = start_provider();
    let env = Env::new();
    let config = env.write_config(&format!("[providers.real]\nissuer = \"{}\"\n", p.issuer));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);

    let r = json_of(
        oauthctl(
            &env,
            k,
            &[
                "register",
                "-p",
                "real",
                "--name",
                "oauthctl e2e registered",
                "--store",
                "keyring",
                "--json",
            ],
        ),
        "register",
    );
    let client_id = r["client_id"].as_str().expect("client_id").to_string();
    for known in [NATIVE_CLIENT_ID, BASIC_CLIENT_ID, POST_CLIENT_ID] {
        assert_ne!(client_id, known);
    }
    let secret = r["client_secret"]
        .as_str()
        .expect("a confidential client's secret")
        .to_string();
    assert_eq!(r["client_secret_store"], "keyring", "{r}");
    assert_eq!(
        r["token_endpoint_auth_method"], "client_secret_basic",
        "{r}"
    );
    let redirect = r["redirect_uris"][0]
        .as_str()
        .expect("a redirect URI")
        .to_string();
    assert!(
        redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"),
        "{r}"
    );
    assert!(p.log().contains("POST /reg 201"), "{}", p.log());
    // The config file names the new client; the secret is only in the keyring.
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.contains(&format!("client_id = \"{client_id}\"")),
        "{text}"
    );
    assert!(
        text.contains(&format!("redirect_uri = \"{redirect}\"")),
        "{text}"
    );
    assert!(
        !text.contains(&secret),
        "the secret is not in the config file: {text}"
    );
    let item =
        keyring_item(&env, &keyring, "client-secret@real").expect("the secret's keyring item");
    assert!(item.contains(&secret), "{item}");
    // The provider knows the client, with that secret (a client credentials-free check:
    // introspection authenticates the client).
    let (st, v) = post_form(
        &p.url("/token/introspection"),
        &[("token", "not-a-token")],
        Some((&client_id, &secret)),
    );
    assert_eq!(st, 200, "the registered client authenticates: {v}");

    // Log in with the new client, for the JWT resource.
    let resource = format!("resource={JWT_RESOURCE}");
    let v = browser_login(
        &env,
        k,
        "real",
        &[
            "--store",
            "keyring",
            "--scope",
            "openid email api:read",
            "--param",
            &resource,
        ],
    );
    assert_eq!(v["client_id"], client_id.as_str(), "{v}");
    // The access token is for the API, not userinfo: the provider puts alice's claims in
    // the id token, and oauthctl names her by her email from there.
    assert_eq!(v["subject"], ALICE_EMAIL, "{v}");
    assert_eq!(
        v["scopes"],
        serde_json::json!(["api:read"]),
        "the API's scope: {v}"
    );
    assert_eq!(
        v["refreshable"], false,
        "no refresh_token grant registered: {v}"
    );
    let access = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "real", "--store", "keyring"],
    ));
    let claims = jwt_claims(&access);
    assert_eq!(claims["client_id"], client_id.as_str(), "{claims}");
    assert_eq!(claims["aud"], JWT_RESOURCE);
    assert_eq!(claims["sub"], ALICE);
    let d = json_of(
        oauthctl(
            &env,
            k,
            &[
                "decode",
                &access,
                "-p",
                "real",
                "--verify",
                "--aud",
                JWT_RESOURCE,
                "--iss",
                &p.issuer,
                "--json",
            ],
        ),
        "decode --verify",
    );
    assert_eq!(d["verification"]["valid"], true, "{d}");
    assert_eq!(d["verification"]["alg"], "RS256");
    assert_eq!(d["verification"]["kid"], "e2e-rs256");
    assert_eq!(d["verification"]["keys_from"], p.url("/jwks").as_str());
    // The code was exchanged with the registered client's credentials.
    assert!(p.log().contains("POST /token 200"), "{}", p.log());

    // The provider will not introspect or revoke a JWT access token (it expects them to be
    // verified locally): introspect points to decode; logout deletes the session and warns
    // that the token stays valid until it expires.
    oauthctl(&env, k, &["introspect", "-p", "real", "--store", "keyring"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("unsupported_token_type"))
        .stderr(predicate::str::contains(
            "oauthctl decode TOKEN --verify -p real",
        ));
    oauthctl(&env, k, &["logout", "-p", "real", "--store", "keyring"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Logged out of real"))
        .stderr(predicate::str::contains(
            "the server refused to revoke the access token (unsupported_token_type): it stays valid until it expires (in ",
        ));
    assert_eq!(keyring_item(&env, &keyring, "real:default"), None);
    // The registered client's secret stays for the next login.
    assert!(keyring_item(&env, &keyring, "client-secret@real").is_some());
}

/// Issue 9 flow 10: a redirect URI the provider does not know is caught by login's
/// preflight: oauthctl asks the provider about the authorization request before any
/// browser opens, fails with the provider's words naming redirect_uri, and the browser
/// driver is never started. Both ways: a wrong --redirect-uri, and a provider whose
/// registration is broken on purpose (E2E_BREAK=redirect_uri).
#[test]
fn a_wrong_redirect_uri_is_caught_by_the_preflight_before_the_browser() {
    let p = start_provider();
    let broken = start_provider_with(&[("E2E_BREAK", "redirect_uri")]);
    let wrong = format!(
        "http://127.0.0.1:{}/wrong-path",
        CallbackListener::bind().port
    );
    for (provider, redirect) in [(&p, Some(wrong.as_str())), (&broken, None)] {
        let env = Env::new();
        env.write_config(&provider.config_table("real", NATIVE_CLIENT_ID));
        let browser = Browser::new();
        let browser_arg = browser_cmd();
        let mut args = vec![
            "login",
            "-p",
            "real",
            "--store",
            "file",
            "--browser",
            &browser_arg,
            "--login-timeout",
            "30s",
        ];
        if let Some(r) = redirect {
            args.extend(["--redirect-uri", r]);
        }
        let mut cmd = oauthctl(&env, None, &args);
        browser.apply(&mut cmd);
        let out = cmd.assert().code(5).get_output().clone();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            stderr.contains("invalid_redirect_uri")
                && stderr.contains("redirect_uri did not match"),
            "the provider's words: {stderr}"
        );
        // It names the redirect_uri it sent (the wrong one, or the default loopback one,
        // while the broken provider wants /not-the-callback), says what to do, and that the
        // browser was not opened.
        let sent = redirect.unwrap_or("/callback");
        assert!(
            stderr.contains("did not accept the redirect_uri `http://127.0.0.1:")
                && stderr.contains(&format!("{sent}`")),
            "the error names the redirect_uri sent ({sent}): {stderr}"
        );
        assert!(
            stderr.contains("--redirect-uri"),
            "and how to fix it: {stderr}"
        );
        assert!(stderr.contains("the browser was not opened"), "{stderr}");
        assert!(
            !stderr.contains("Open this URL"),
            "nothing went to the browser: {stderr}"
        );
        assert!(out.stdout.is_empty());
        // The driver never started (it logs its PID first thing), and nothing was stored.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(browser.log(), "", "the browser was started");
        assert!(!env.path().join("data/oauthctl/sessions").exists());
        // The provider saw one authorization request (the preflight) and no login page.
        let log = provider.log();
        assert_eq!(log.matches("GET /auth 400").count(), 1, "{log}");
        assert!(!log.contains("/interaction/"), "{log}");
        assert!(!log.contains("POST /token"), "{log}");
    }
}

/// Issue 9 flow 8: `oauthctl login --device` (RFC 8628) against the real provider; the
/// browser driver enters the user code oauthctl shows, signs alice in and confirms; oauthctl's
/// polling then gets the tokens and stores the session in the real keyring; `token` works.
#[test]
fn device_login_with_the_user_code_entered_in_a_real_browser() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&p.config_table("real", NATIVE_CLIENT_ID));
    let keyring = KeyringSession::start(&env);
    let k = Some(&keyring);

    let (out, err, uri) = device_login_in_browser(
        &keyring,
        &env,
        &[
            "login",
            "-p",
            "real",
            "--scope",
            "openid offline_access email",
        ],
    );
    assert_eq!(uri, p.url("/device"), "{err}");
    assert!(!err.contains("device_code"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("login's JSON");
    assert_eq!(v["subject"], ALICE, "{v}");
    assert_eq!(v["store"], "keyring", "{v}");
    assert_eq!(v["client_id"], NATIVE_CLIENT_ID);
    assert_eq!(
        v["refreshable"], true,
        "the device flow keeps offline_access: {v}"
    );
    assert!(p.log().contains("POST /device/auth 200"), "{}", p.log());
    assert!(keyring_item(&env, &keyring, "real:default").is_some());

    let token = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "real", "--store", "keyring"],
    ));
    let (st, info) = get_json(&p.url("/me"), Some(&token));
    assert_eq!(st, 200, "{info}");
    assert_eq!(info["sub"], ALICE);
    assert_eq!(info["email"], ALICE_EMAIL);
}

/// Issue 9 flow 9: `oauthctl login --client-credentials` with the confidential clients
/// (client_secret_basic, secret from the environment; client_secret_post, secret in the
/// config file): the sessions are stored in the real keyring, `token` prints the access
/// tokens: a JWT for the JWT resource that `decode --verify -p` accepts, and an opaque one
/// for the other resource that the provider reports active to `oauthctl introspect`.
#[test]
fn client_credentials_login_with_the_confidential_clients() {
    let p = start_provider();
    let env = Env::new();
    env.write_config(&format!(
        "[providers.svc]\nissuer = \"{iss}\"\nclient_id = \"{BASIC_CLIENT_ID}\"\ntoken_endpoint_auth_method = \"client_secret_basic\"\nclient_secret_env = \"E2E_SVC_SECRET\"\n\n[providers.svc-post]\nissuer = \"{iss}\"\nclient_id = \"{POST_CLIENT_ID}\"\ntoken_endpoint_auth_method = \"client_secret_post\"\nclient_secret = \"{POST_CLIENT_SECRET}\"\n",
        iss = p.issuer
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
            "api:read",
            "--resource",
            JWT_RESOURCE,
            "--store",
            "keyring",
            "--json",
        ],
    );
    cmd.env("E2E_SVC_SECRET", BASIC_CLIENT_SECRET);
    let v = json_of(cmd, "login --client-credentials");
    assert_eq!(v["store"], "keyring", "{v}");
    assert_eq!(v["client_id"], BASIC_CLIENT_ID);
    assert_eq!(
        v["refreshable"], false,
        "no refresh token for a client: {v}"
    );
    assert_eq!(v["scopes"], serde_json::json!(["api:read"]), "{v}");
    let jwt = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "svc", "--store", "keyring"],
    ));
    let claims = jwt_claims(&jwt);
    assert_eq!(claims["client_id"], BASIC_CLIENT_ID, "{claims}");
    assert_eq!(claims["aud"], JWT_RESOURCE);
    let d = json_of(
        oauthctl(
            &env,
            k,
            &[
                "decode",
                &jwt,
                "-p",
                "svc",
                "--verify",
                "--aud",
                JWT_RESOURCE,
                "--json",
            ],
        ),
        "decode --verify",
    );
    assert_eq!(d["verification"]["valid"], true, "{d}");

    let v = json_of(
        oauthctl(
            &env,
            k,
            &[
                "login",
                "-p",
                "svc-post",
                "--client-credentials",
                "--scope",
                "api:read api:write",
                "--resource",
                OPAQUE_RESOURCE,
                "--store",
                "keyring",
                "--json",
            ],
        ),
        "login --client-credentials (post)",
    );
    assert_eq!(v["client_id"], POST_CLIENT_ID, "{v}");
    let opaque = stdout_of(oauthctl(
        &env,
        k,
        &["token", "-p", "svc-post", "--store", "keyring"],
    ));
    assert_eq!(opaque.split('.').count(), 1, "opaque: {opaque}");
    let i = json_of(
        oauthctl(
            &env,
            k,
            &[
                "introspect",
                "-p",
                "svc-post",
                "--store",
                "keyring",
                "--json",
            ],
        ),
        "introspect",
    );
    assert_eq!(i["active"], true, "{i}");
    assert_eq!(i["client_id"], POST_CLIENT_ID);
    assert_eq!(i["aud"], OPAQUE_RESOURCE);
    assert_eq!(i["scope"], "api:read api:write");

    let status = json_of(
        oauthctl(&env, k, &["status", "--store", "keyring", "--json"]),
        "status",
    );
    let mut names: Vec<&str> = status
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["provider"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["svc", "svc-post"], "{status}");
    // A wrong secret is refused by the provider: exit 5, nothing stored.
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
            "--scope",
            "api:read",
            "--resource",
            JWT_RESOURCE,
            "--store",
            "keyring",
        ],
    );
    cmd.env("E2E_SVC_SECRET", "not-the-secret");
    cmd.assert()
        .code(5)
        .stderr(predicate::str::contains("invalid_client"));
}
