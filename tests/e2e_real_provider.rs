//! End to end: the real oauthctl binary against software we did not write (issue 9).
//!
//! * a real OpenID provider: npm `oidc-provider`, e2e/provider.mjs (clients, resources,
//!   account and break switches documented there and in tests/e2e_support/mod.rs);
//! * a real browser: Debian's /usr/bin/chromium driven by npm `playwright-core`,
//!   e2e/browser.mjs behind e2e/bin/browser (detaches, fills login and consent, lets the
//!   redirect reach the loopback listener; `--device` enters a user code);
//! * a real keyring: gnome-keyring's Secret Service under dbus-run-session, e2e/with-keyring.sh.
//!
//! Install them with `scripts/e2e-setup.sh` (idempotent). Nothing is skipped: a missing
//! piece fails the test with that hint.
//!
//! Helpers (tests/e2e_support/mod.rs), for the flows still to come (`login --browser`,
//! token, refresh, me, introspect, logout, register, device, client credentials):
//!   `start_provider()` / `start_provider_with(&[("E2E_BREAK", "client_id")])` -> Provider
//!       { issuer, port, url(path), metadata(), config_table(name, client_id), log() }
//!   `browser_cmd()` -> the value for `oauthctl login --browser`
//!   `Browser::new()`: `.apply(&mut oauthctl_cmd)` (log + PATH for the driver), `.open(url)`,
//!       `.open_device(uri, code)`, `.open_with(url, &[("E2E_CONSENT", "deny")])`,
//!       `.wait_done(timeout)` -> Outcome, `.expect_ok()`, `.log()`, `.external_requests()`
//!   `CallbackListener::bind()`: `.redirect_uri()`, `.wait(timeout)` -> Callback { path, params };
//!       `browser.wait_callback(&listener)` fails fast when the driver gives up
//!   `KeyringSession::start(&env)`: `.apply(&mut cmd)` (DBUS_SESSION_BUS_ADDRESS);
//!       `with_keyring(&env, prog, args)`, `oauthctl_with_keyring(&env)` (one session per command)
//!   `post_form(url, form, basic)`, `get_json(url, bearer)`, `get(...)`, `jwt_claims(jwt)`
//! Every test starts its own provider on a free port; providers, browsers and keyring
//! sessions die when their handles drop. Break a flow on purpose for the whole suite with
//! `E2E_BREAK=client_id cargo test --test e2e_real_provider` (it must then fail).

mod e2e_support;
mod support;

use std::time::Duration;

use e2e_support::*;
use predicates::prelude::*;
use support::Env;

const CMD_TIMEOUT: Duration = Duration::from_secs(60);

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
    // ... and so are the keys of another provider instance (other generated keys).
    let other = start_provider();
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
