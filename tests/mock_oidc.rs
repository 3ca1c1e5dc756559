#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `oauthctl mock -p oidc`: a standards-compliant OpenID Connect provider.

mod support;

use jsonwebtoken::{decode, decode_header, jwk::JwkSet, Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};
use support::mock::{basic, get, get_bearer, pkce, post_form, post_json, MockProc};
use support::Env;

const ID: &str = "oauthctl-mock";
const SECRET: &str = "mock-client-secret";

fn auth() -> String {
    basic(ID, SECRET)
}

/// Verifies a JWT against the mock's JWKS and returns (alg, typ, claims).
fn verify(m: &MockProc, token: &str, aud: &str) -> (Algorithm, Option<String>, Value) {
    let jwks: JwkSet = serde_json::from_slice(&get(&m.url("/jwks.json")).body).unwrap();
    let h = decode_header(token).expect("a JWT");
    let jwk = jwks
        .find(h.kid.as_deref().expect("kid"))
        .expect("kid in JWKS");
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut v = Validation::new(h.alg);
    v.set_audience(&[aud]);
    v.set_issuer(&[m.base.as_str()]);
    let data = decode::<Value>(token, &key, &v).expect("signature and claims verify");
    (h.alg, h.typ, data.claims)
}

fn code_flow(m: &MockProc, redirect: &str, nonce: &str) -> Value {
    let (verifier, challenge) = pkce();
    let r = m.authorize(
        "/authorize",
        &[
            ("client_id", ID),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("scope", "openid profile email offline_access"),
            ("state", "s"),
            ("nonce", nonce),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(r.location().starts_with(redirect));
    let code = r.redirect_params()["code"].clone();
    let t = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", &verifier),
        ],
        &[("Authorization", &auth())],
    );
    assert_eq!(t.status, 200, "{}", t.text());
    t.json()
}

#[test]
fn discovery_metadata_and_jwks() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &[]);
    for path in [
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
    ] {
        let d = get(&m.url(path)).json();
        assert_eq!(d["issuer"], m.base.as_str(), "{path}");
        for (k, p) in [
            ("authorization_endpoint", "/authorize"),
            ("token_endpoint", "/token"),
            ("userinfo_endpoint", "/userinfo"),
            ("registration_endpoint", "/register"),
            ("device_authorization_endpoint", "/device_authorization"),
            ("revocation_endpoint", "/revoke"),
            ("introspection_endpoint", "/introspect"),
            ("jwks_uri", "/jwks.json"),
        ] {
            assert_eq!(d[k], m.url(p).as_str(), "{k}");
        }
        assert_eq!(
            d["id_token_signing_alg_values_supported"],
            json!(["RS256", "ES256"])
        );
        assert_eq!(d["subject_types_supported"], json!(["public"]));
        assert!(d["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("urn:ietf:params:oauth:grant-type:device_code")));
    }
    let jwks = get(&m.url("/jwks.json")).json();
    let algs: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["alg"].as_str().unwrap())
        .collect();
    assert_eq!(algs, ["RS256", "ES256"]);
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.get("d").is_none()),
        "a private key is published"
    );
}

#[test]
fn code_flow_on_any_loopback_port_with_jwt_tokens_userinfo_and_rotation() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &["--auto-approve"]);
    // Registered http://127.0.0.1/callback; RFC 8252 §7.3: any port matches.
    let t = code_flow(&m, "http://127.0.0.1:49152/callback", "n-0S6_WzA2Mj");
    let at = t["access_token"].as_str().unwrap();
    let (alg, typ, claims) = verify(&m, at, &m.base);
    assert_eq!(alg, Algorithm::RS256);
    assert_eq!(typ.as_deref(), Some("at+jwt"));
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["client_id"], ID);
    assert_eq!(claims["scope"], "openid profile email offline_access");
    let (_, _, id) = verify(&m, t["id_token"].as_str().unwrap(), ID);
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(id["email"], "alice@example.com");
    assert!(id["at_hash"].is_string());

    let ui = get_bearer(&m.url("/userinfo"), at);
    assert_eq!(ui.status, 200);
    assert_eq!(ui.json()["sub"], "alice");
    assert_eq!(ui.json()["name"], "Alice Example");

    // Rotation: a new refresh token each time; the old one is dead.
    let rt = t["refresh_token"].as_str().unwrap();
    let r = post_form(
        &m.url("/token"),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        &[("Authorization", &auth())],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let new_rt = r.json()["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(new_rt, rt);
    let old = post_form(
        &m.url("/token"),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        &[("Authorization", &auth())],
    );
    assert_eq!(old.json()["error"], "invalid_grant");

    // A different loopback path is not the registered URI.
    let (_, c) = pkce();
    let r = m.authorize(
        "/authorize",
        &[
            ("client_id", ID),
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1:49152/other"),
            ("code_challenge", &c),
            ("code_challenge_method", "S256"),
        ],
    );
    assert_eq!(r.status, 400);
}

#[test]
fn es256_signing() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &["--auto-approve", "--signing-alg", "ES256"]);
    let t = code_flow(&m, "http://127.0.0.1:5000/callback", "n1");
    let (alg, _, _) = verify(&m, t["access_token"].as_str().unwrap(), &m.base);
    assert_eq!(alg, Algorithm::ES256);
    let (alg, _, _) = verify(&m, t["id_token"].as_str().unwrap(), ID);
    assert_eq!(alg, Algorithm::ES256);
}

#[test]
fn introspection_and_revocation() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &["--auto-approve"]);
    let t = code_flow(&m, "http://127.0.0.1:5000/callback", "n");
    let at = t["access_token"].as_str().unwrap();
    let rt = t["refresh_token"].as_str().unwrap();
    let intro = |tok: &str| {
        post_form(
            &m.url("/introspect"),
            &[("token", tok)],
            &[("Authorization", &auth())],
        )
    };
    let i = intro(at).json();
    assert_eq!(i["active"], true);
    assert_eq!(i["client_id"], ID);
    assert_eq!(i["username"], "alice");
    assert_eq!(intro(rt).json()["token_type"], "refresh_token");
    assert_eq!(intro("nonsense").json(), json!({"active": false}));
    let anon = post_form(&m.url("/introspect"), &[("token", at)], &[]);
    assert_eq!(anon.status, 401);

    // Revoking the refresh token takes the access token issued with it.
    let r = post_form(
        &m.url("/revoke"),
        &[("token", rt), ("token_type_hint", "refresh_token")],
        &[("Authorization", &auth())],
    );
    assert_eq!(r.status, 200);
    assert_eq!(intro(rt).json()["active"], false);
    assert_eq!(intro(at).json()["active"], false);
    assert_eq!(get_bearer(&m.url("/userinfo"), at).status, 401);
    // RFC 7009 §2.2: an unknown token is not an error.
    let r = post_form(
        &m.url("/revoke"),
        &[("token", "unknown")],
        &[("Authorization", &auth())],
    );
    assert_eq!(r.status, 200);
}

#[test]
fn client_credentials_and_password_grants() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &[]);
    let r = post_form(
        &m.url("/token"),
        &[("grant_type", "client_credentials"), ("scope", "profile")],
        &[("Authorization", &auth())],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let t = r.json();
    assert!(t.get("refresh_token").is_none() && t.get("id_token").is_none());
    let (_, _, c) = verify(&m, t["access_token"].as_str().unwrap(), &m.base);
    assert_eq!(c["sub"], ID);
    let bad = post_form(
        &m.url("/token"),
        &[("grant_type", "client_credentials")],
        &[("Authorization", &basic(ID, "wrong"))],
    );
    assert_eq!(bad.status, 401);
    assert!(bad.header("www-authenticate").unwrap().starts_with("Basic"));
    let scope = post_form(
        &m.url("/token"),
        &[("grant_type", "client_credentials"), ("scope", "admin")],
        &[("Authorization", &auth())],
    );
    assert_eq!(scope.json()["error"], "invalid_scope");

    let p = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
            ("scope", "openid email"),
        ],
        &[("Authorization", &auth())],
    );
    assert_eq!(p.status, 200, "{}", p.text());
    let (_, _, id) = verify(&m, p.json()["id_token"].as_str().unwrap(), ID);
    assert_eq!(id["email"], "alice@example.com");
    assert!(
        id.get("name").is_none(),
        "profile claims without the profile scope"
    );
}

#[test]
fn device_flow_with_auto_approve_and_with_denial() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &["--auto-approve", "--device-interval", "1s"]);
    let d = post_form(
        &m.url("/device_authorization"),
        &[("scope", "openid")],
        &[("Authorization", &auth())],
    )
    .json();
    let dc = d["device_code"].as_str().unwrap();
    let poll = || {
        post_form(
            &m.url("/token"),
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", dc),
            ],
            &[("Authorization", &auth())],
        )
    };
    assert_eq!(poll().json()["error"], "authorization_pending");
    assert_eq!(poll().json()["error"], "slow_down");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let t = poll();
    assert_eq!(t.status, 200, "{}", t.text());
    assert!(t.json()["id_token"].is_string());

    let denied = MockProc::start(&env, "oidc", &["--deny", "--device-interval", "1s"]);
    let d = post_form(
        &denied.url("/device_authorization"),
        &[],
        &[("Authorization", &auth())],
    )
    .json();
    let r = post_form(
        &denied.url("/token"),
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", d["device_code"].as_str().unwrap()),
        ],
        &[("Authorization", &auth())],
    );
    assert_eq!(r.json()["error"], "access_denied");
}

#[test]
fn dynamic_registration_of_public_and_confidential_clients() {
    let env = Env::new();
    let m = MockProc::start(&env, "oidc", &["--auto-approve"]);
    let r = post_json(
        &m.url("/register"),
        &json!({"client_name": "CLI", "redirect_uris": ["http://127.0.0.1/cb"], "token_endpoint_auth_method": "none"}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let c = r.json();
    assert!(c.get("client_secret").is_none());
    let id = c["client_id"].as_str().unwrap();
    let (v, ch) = pkce();
    let a = m.authorize(
        "/authorize",
        &[
            ("client_id", id),
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1:7000/cb"),
            ("scope", "openid"),
            ("code_challenge", &ch),
            ("code_challenge_method", "S256"),
        ],
    );
    let code = a.redirect_params()["code"].clone();
    let t = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:7000/cb"),
            ("code_verifier", &v),
        ],
        &[],
    );
    assert_eq!(t.status, 200, "{}", t.text());

    let r = post_json(
        &m.url("/register"),
        &json!({"redirect_uris": ["https://app.example/cb"], "token_endpoint_auth_method": "client_secret_post", "grant_types": ["authorization_code", "refresh_token"]}),
    );
    assert_eq!(r.status, 201);
    let c = r.json();
    assert_eq!(c["token_endpoint_auth_method"], "client_secret_post");
    assert!(c["client_secret"].is_string());

    let bad = post_json(
        &m.url("/register"),
        &json!({"redirect_uris": ["https://a/cb"], "token_endpoint_auth_method": "tls_client_auth"}),
    );
    assert_eq!(bad.json()["error"], "invalid_client_metadata");
    let bad = post_json(
        &m.url("/register"),
        &json!({"redirect_uris": ["https://a/cb#frag"]}),
    );
    assert_eq!(bad.json()["error"], "invalid_redirect_uri");
    let not_json = post_form(&m.url("/register"), &[("client_name", "x")], &[]);
    assert_eq!(not_json.status, 400);
    assert_eq!(not_json.json()["error"], "invalid_client_metadata");
}

#[test]
fn opaque_tokens_on_request_and_the_real_cli_against_the_written_config() {
    let env = Env::new();
    let cfg = env.path().join("oidc.toml");
    let m = MockProc::start(
        &env,
        "oidc",
        &[
            "--auto-approve",
            "--token-format",
            "opaque",
            "--write-config",
            cfg.to_str().unwrap(),
        ],
    );
    let t = post_form(
        &m.url("/token"),
        &[("grant_type", "client_credentials")],
        &[("Authorization", &auth())],
    )
    .json();
    assert_eq!(t["access_token"].as_str().unwrap().matches('.').count(), 0);

    // `authorize-url` with the written config builds a URL on the mock, which answers it.
    let out = env
        .cmd()
        .args(["--config", cfg.to_str().unwrap(), "authorize-url", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let j: Value = serde_json::from_slice(&out).unwrap();
    let url = j["url"].as_str().unwrap();
    assert!(url.starts_with(&m.url("/authorize?")), "{url}");
    let r = get(url);
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(r.redirect_params()["state"], j["state"].as_str().unwrap());
    let verifier = j["code_verifier"].as_str().unwrap();
    let t = post_form(
        &m.url("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &r.redirect_params()["code"]),
            ("redirect_uri", j["redirect_uri"].as_str().unwrap()),
            ("code_verifier", verifier),
        ],
        &[("Authorization", &auth())],
    );
    assert_eq!(t.status, 200, "{}", t.text());
}
