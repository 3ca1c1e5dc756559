//! DPoP (RFC 9449) against `oauthctl mock -p oidc`: `login --dpop` makes a key for the
//! session, its token requests carry proofs (with the server's nonce when it asks, once),
//! the authorization request carries `dpop_jkt`, the tokens come back bound
//! (`token_type: DPoP`, `cnf.jkt`), and `me`, `call`, `refresh`, `header` and `token
//! --json` keep the binding. The mock verifies every proof with its own code.

use crate::support::flow::Setup;
use crate::support::mock::get;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use oauthctl::oauth::dpop::{self, DpopKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// The claims of a JWT, unverified.
fn claims(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

fn header(jwt: &str) -> Value {
    let part = jwt.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// The thumbprint of the stored session's DPoP key, and its stored (secret) form.
fn session_key(s: &Setup) -> (String, String, String) {
    let session = s.session("default").expect("a session");
    let data = session.dpop_key.expect("a DPoP key with the session");
    let key = DpopKey::from_data(&data).unwrap();
    (
        key.thumbprint(),
        data.alg.clone(),
        data.key.expose().to_string(),
    )
}

/// Verifies a proof with the public key in its own header (as a server does), and
/// returns its header and claims.
fn verify_proof(proof: &str) -> (Value, Value) {
    let h = header(proof);
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(h["jwk"].clone()).unwrap();
    let key = jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap();
    let alg: jsonwebtoken::Algorithm = h["alg"].as_str().unwrap().parse().unwrap();
    let mut v = jsonwebtoken::Validation::new(alg);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    let c = jsonwebtoken::decode::<Value>(proof, &key, &v)
        .expect("the proof verifies with its jwk")
        .claims;
    (h, c)
}

/// The authorization URLs the scripted browser opened.
fn opened(s: &Setup) -> Vec<String> {
    s.browser_done()
        .lines()
        .filter(|l| l.starts_with("GET ") && l.contains("/authorize"))
        .map(|l| l.split(' ').nth(1).unwrap_or("").to_string())
        .collect()
}

fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The statuses and errors of the mock's token requests of `grant`.
fn token_answers(s: &Setup, grant: &str) -> Vec<(u64, String)> {
    s.token_requests(grant)
        .iter()
        .map(|r| {
            (
                r["status"].as_u64().unwrap(),
                r["error"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn login_dpop_binds_the_tokens_and_me_call_refresh_keep_the_binding() {
    let s = Setup::new("oidc", &["--auto-approve", "--require-dpop"]);
    let meta = get(&s.mock.url("/.well-known/openid-configuration")).json();
    assert_eq!(meta["dpop_signing_alg_values_supported"][0], "ES256");
    let har = s.env.path().join("login.har");
    let out = s
        .login()
        .args(["--dpop", "--trace", "--har"])
        .arg(&har)
        .assert()
        .code(0);
    let login_err = stderr_of(&out);
    let (jkt, alg, private) = session_key(&s);
    assert_eq!(alg, "ES256");
    // --trace: the proof as a numbered step, decoded, with the key's thumbprint.
    assert!(
        login_err.contains("· DPoP proof: signed with the session's key"),
        "{login_err}"
    );
    assert!(
        login_err.contains(&format!("key thumbprint (jkt): {jkt}")),
        "{login_err}"
    );
    assert!(login_err.contains(r#""typ":"dpop+jwt""#), "{login_err}");
    assert!(login_err.contains(r#""htm":"POST""#), "{login_err}");
    // dpop_jkt in the authorization request.
    let url = &opened(&s)[0];
    assert_eq!(query_param(url, "dpop_jkt").as_deref(), Some(jkt.as_str()));
    // The tokens are bound: token_type DPoP, cnf.jkt in the JWT access token.
    let session = s.session("default").unwrap();
    assert_eq!(session.tokens.token_type, "DPoP");
    let at = session.tokens.access_token.expose().to_string();
    assert_eq!(claims(&at)["cnf"]["jkt"], jkt.as_str());
    let tok = s
        .cmd()
        .args(["token", "-p", "oidc", "--json"])
        .assert()
        .code(0);
    let j: Value = serde_json::from_str(&stdout_of(&tok)).unwrap();
    assert_eq!(j["token_type"], "DPoP");
    assert!(j.get("dpop_proof").is_none(), "no proof without --url: {j}");

    // `me` and `call` send `Authorization: DPoP` with a fresh proof (the mock refuses a
    // bound token as a bearer token, and a proof without the right ath or key).
    let me = s
        .cmd()
        .args(["me", "-p", "oidc", "--trace"])
        .assert()
        .code(0);
    assert!(stdout_of(&me).contains("alice"), "{}", stdout_of(&me));
    let me_err = stderr_of(&me);
    assert!(me_err.contains("> authorization: DPoP "), "{me_err}");
    assert!(me_err.contains("> dpop: eyJ"), "{me_err}");
    let userinfo = s.mock.url("/userinfo");
    let call = s
        .cmd()
        .args(["call", "-p", "oidc", &userinfo])
        .assert()
        .code(0);
    assert!(stdout_of(&call).contains("alice"), "{}", stdout_of(&call));
    // A bearer request with the bound token is refused by the server.
    let r = crate::support::mock::get_bearer(&userinfo, &at);
    assert_eq!(r.status, 401, "{}", r.text());

    // The server refuses to refresh a bound refresh token with another key's proof.
    let rt = session
        .tokens
        .refresh_token
        .clone()
        .expect("a refresh token");
    let token_url = s.mock.url("/token");
    let other = DpopKey::generate(dpop::Alg::Es256).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let foreign = other.proof("POST", &token_url, None, None, now).unwrap();
    let r = crate::support::mock::post_form(
        &token_url,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt.expose()),
            ("client_id", "oauthctl-mock"),
        ],
        &[
            (
                "Authorization",
                &crate::support::mock::basic("oauthctl-mock", "mock-client-secret"),
            ),
            ("DPoP", &foreign),
        ],
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("signed by the same key"), "{}", r.text());
    // Refresh keeps the binding: same key (the mock checks it), DPoP token type.
    s.cmd().args(["refresh", "-p", "oidc"]).assert().code(0);
    let after = s.session("default").unwrap();
    assert_ne!(after.tokens.access_token.expose(), at);
    assert_eq!(after.tokens.token_type, "DPoP");
    assert_eq!(session_key(&s).0, jkt);
    assert_eq!(
        claims(after.tokens.access_token.expose())["cnf"]["jkt"],
        jkt.as_str()
    );
    assert_eq!(
        token_answers(&s, "refresh_token"),
        [(400, "invalid_grant".to_string()), (200, String::new())]
    );
    s.cmd().args(["me", "-p", "oidc"]).assert().code(0);

    // The private key is in no output, trace or HAR; no proof carries a private member.
    let har_text = std::fs::read_to_string(&har).unwrap();
    for text in [&login_err, &me_err, &har_text, &stdout_of(&me)] {
        assert!(!text.contains(&private), "the private key leaked");
        assert!(!text.contains("\"d\":"), "a private JWK member leaked");
    }
    // The HAR keeps the proof's header and claims, and masks its signature.
    let h: Value = serde_json::from_str(&har_text).unwrap();
    let proofs: Vec<String> = h["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["request"]["headers"].as_array().unwrap().clone())
        .filter(|x| x["name"].as_str().unwrap().eq_ignore_ascii_case("dpop"))
        .map(|x| x["value"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(proofs.len(), 1, "{proofs:?}");
    assert!(proofs[0].starts_with("eyJ"), "{}", proofs[0]);
    assert!(proofs[0].contains(".[redacted:"), "{}", proofs[0]);

    // logout deletes the key with the session.
    s.cmd().args(["logout", "-p", "oidc"]).assert().code(0);
    assert!(s.session("default").is_none());
    assert!(!s.session_file("default").exists());
}

#[test]
fn header_prints_the_authorization_and_a_proof_that_verifies_and_token_json_gives_one() {
    let s = Setup::new("oidc", &["--auto-approve", "--require-dpop"]);
    s.login().arg("--dpop").assert().code(0);
    let (jkt, _, _) = session_key(&s);
    let at = s.session("default").unwrap().tokens.access_token;
    let url = "https://api.example.com/v1/items?page=2#frag";
    let out = s
        .cmd()
        .args(["header", "-p", "oidc", "--method", "post", "--url", url])
        .assert()
        .code(0);
    let text = stdout_of(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0], format!("Authorization: DPoP {}", at.expose()));
    let proof = lines[1].strip_prefix("DPoP: ").expect("a DPoP line");
    let (h, c) = verify_proof(proof);
    assert_eq!(h["typ"], "dpop+jwt");
    assert_eq!(dpop::thumbprint(&h["jwk"]).unwrap(), jkt);
    assert_eq!(c["htm"], "POST");
    assert_eq!(c["htu"], "https://api.example.com/v1/items");
    let ath = URL_SAFE_NO_PAD.encode(Sha256::digest(at.expose().as_bytes()));
    assert_eq!(c["ath"], ath.as_str());
    // The proof works against the server as it is printed.
    let userinfo = s.mock.url("/userinfo");
    let out = s
        .cmd()
        .args(["header", "-p", "oidc", "--url", &userinfo])
        .assert()
        .code(0);
    let text = stdout_of(&out);
    let mut lines = text.lines();
    let auth = lines
        .next()
        .unwrap()
        .strip_prefix("Authorization: ")
        .unwrap()
        .to_string();
    let proof = lines
        .next()
        .unwrap()
        .strip_prefix("DPoP: ")
        .unwrap()
        .to_string();
    let r = crate::support::mock::request(
        "GET",
        &userinfo,
        &[("Authorization", &auth), ("DPoP", &proof)],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // The server takes a proof once (jti), for its own URL only (htu).
    let again = crate::support::mock::request(
        "GET",
        &userinfo,
        &[("Authorization", &auth), ("DPoP", &proof)],
        b"",
    );
    assert_eq!(again.status, 401, "{}", again.text());
    assert!(
        again.text().contains("invalid_dpop_proof"),
        "{}",
        again.text()
    );
    let elsewhere = s
        .cmd()
        .args(["header", "-p", "oidc", "--url", &s.mock.url("/elsewhere")])
        .assert()
        .code(0);
    let other = stdout_of(&elsewhere);
    let other_proof = other
        .lines()
        .nth(1)
        .unwrap()
        .strip_prefix("DPoP: ")
        .unwrap();
    let r = crate::support::mock::request(
        "GET",
        &userinfo,
        &[("Authorization", &auth), ("DPoP", other_proof)],
        b"",
    );
    assert_eq!(r.status, 401, "{}", r.text());
    assert!(r
        .header("www-authenticate")
        .unwrap()
        .starts_with("DPoP error=\"invalid_dpop_proof\""));
    // Without --url: a clear error, exit 3.
    let out = s.cmd().args(["header", "-p", "oidc"]).assert().code(3);
    let err = stderr_of(&out);
    assert!(err.contains("DPoP-bound"), "{err}");
    assert!(err.contains("--url"), "{err}");
    // token --json --url gives the proof.
    let out = s
        .cmd()
        .args([
            "token", "-p", "oidc", "--json", "--method", "GET", "--url", &userinfo,
        ])
        .assert()
        .code(0);
    let j: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(j["token_type"], "DPoP");
    let (_, c) = verify_proof(j["dpop_proof"].as_str().unwrap());
    assert_eq!(c["htu"], userinfo.as_str());
    assert_eq!(c["htm"], "GET");
}

#[test]
fn a_server_nonce_is_used_once_at_the_token_endpoint_and_at_the_resource() {
    let s = Setup::new(
        "oidc",
        &["--auto-approve", "--require-dpop", "--dpop-nonce"],
    );
    let out = s.login().args(["--dpop", "--trace"]).assert().code(0);
    let err = stderr_of(&out);
    assert!(
        err.contains("DPoP proof: signed again with the server's nonce"),
        "{err}"
    );
    assert_eq!(
        token_answers(&s, "authorization_code"),
        [(400, "use_dpop_nonce".to_string()), (200, String::new())]
    );
    // The resource asks for its nonce too (a new process knows none): `me` retries once.
    s.cmd().args(["me", "-p", "oidc"]).assert().code(0);
    let userinfo: Vec<u64> = s
        .mock_records()
        .iter()
        .filter(|r| r["path"] == "/userinfo")
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(userinfo, [401, 200]);
    s.cmd().args(["refresh", "-p", "oidc"]).assert().code(0);
    assert_eq!(
        token_answers(&s, "refresh_token"),
        [(400, "use_dpop_nonce".to_string()), (200, String::new())]
    );
}

#[test]
fn a_stale_nonce_stops_after_one_retry_with_a_clear_error() {
    let s = Setup::new("oidc", &["--auto-approve", "--stale-dpop-nonce"]);
    let out = s.login().arg("--dpop").assert().code(5);
    let err = stderr_of(&out);
    assert!(err.contains("use_dpop_nonce"), "{err}");
    assert!(err.contains("nonce"), "{err}");
    assert_eq!(
        token_answers(&s, "authorization_code"),
        [
            (400, "use_dpop_nonce".to_string()),
            (400, "use_dpop_nonce".to_string())
        ]
    );
}

#[test]
fn a_refused_proof_is_exit_5_with_the_diagnosis() {
    let s = Setup::new("oidc", &["--auto-approve", "--bad-dpop-proof"]);
    let out = s.login().arg("--dpop").assert().code(5);
    let err = stderr_of(&out);
    assert!(err.contains("invalid_dpop_proof"), "{err}");
    assert!(err.contains("--bad-dpop-proof"), "{err}");
    assert!(err.contains("dpop_signing_alg_values_supported"), "{err}");
}

#[test]
fn without_dpop_a_server_that_requires_it_is_diagnosed_and_doctor_says_so() {
    let s = Setup::new("oidc", &["--auto-approve", "--require-dpop"]);
    let out = s.login().assert().code(5);
    let err = stderr_of(&out);
    assert!(err.contains("invalid_dpop_proof"), "{err}");
    assert!(err.contains("log in with --dpop"), "{err}");
    let out = s.cmd().args(["doctor", "-p", "oidc"]).assert();
    let text = format!("{}{}", stdout_of(&out), stderr_of(&out));
    assert!(
        text.contains(
            "the server requires DPoP-bound tokens but `dpop_bound_access_tokens` is off"
        ),
        "{text}"
    );
}

#[test]
fn each_dpop_alg_signs_proofs_the_server_accepts() {
    for alg in ["RS256", "PS256", "EdDSA", "ES256"] {
        let s = Setup::new("oidc", &["--auto-approve", "--require-dpop"]);
        s.login().args(["--dpop-alg", alg]).assert().code(0);
        let (jkt, stored, _) = session_key(&s);
        assert_eq!(stored, alg);
        let at = s.session("default").unwrap().tokens.access_token;
        assert_eq!(claims(at.expose())["cnf"]["jkt"], jkt.as_str(), "{alg}");
        s.cmd().args(["me", "-p", "oidc"]).assert().code(0);
        s.cmd().args(["refresh", "-p", "oidc"]).assert().code(0);
    }
}

#[test]
fn the_config_turns_dpop_on_and_doctor_checks_the_algorithm() {
    let s = Setup::new("oidc", &["--auto-approve", "--require-dpop"]);
    let config = std::fs::read_to_string(&s.config).unwrap();
    let with = config.replace(
        "[providers.oidc]\n",
        "[providers.oidc]\ndpop_bound_access_tokens = true\n",
    );
    assert_ne!(with, config);
    std::fs::write(&s.config, &with).unwrap();
    s.login().assert().code(0);
    assert_eq!(s.session("default").unwrap().tokens.token_type, "DPoP");
    s.cmd().args(["me", "-p", "oidc"]).assert().code(0);
    let out = s.cmd().args(["doctor", "-p", "oidc"]).assert().code(0);
    let text = format!("{}{}", stdout_of(&out), stderr_of(&out));
    assert!(
        text.contains("tokens will be DPoP-bound, proofs signed with ES256"),
        "{text}"
    );
    // An algorithm the server does not list.
    std::fs::write(
        &s.config,
        with.replace(
            "dpop_bound_access_tokens = true\n",
            "dpop_bound_access_tokens = true\ndpop_signing_alg = \"ES384\"\n",
        ),
    )
    .unwrap();
    let out = s.cmd().args(["doctor", "-p", "oidc"]).assert().code(3);
    let text = format!("{}{}", stdout_of(&out), stderr_of(&out));
    assert!(text.contains("ES384"), "{text}");
}

#[test]
fn client_credentials_and_device_logins_are_bound_too() {
    let s = Setup::new(
        "oidc",
        &[
            "--auto-approve",
            "--require-dpop",
            "--device-interval",
            "0s",
        ],
    );
    s.cmd()
        .args(["login", "-p", "oidc", "--client-credentials", "--dpop"])
        .assert()
        .code(0);
    let session = s.session("default").unwrap();
    assert_eq!(session.tokens.token_type, "DPoP");
    let (jkt, _, _) = session_key(&s);
    assert_eq!(
        claims(session.tokens.access_token.expose())["cnf"]["jkt"],
        jkt.as_str()
    );
    // Client credentials are asked for again with the same key.
    s.cmd()
        .args([
            "login",
            "-p",
            "oidc",
            "--profile",
            "dev",
            "--device",
            "--dpop",
        ])
        .assert()
        .code(0);
    let dev = s.session("dev").unwrap();
    assert_eq!(dev.tokens.token_type, "DPoP");
}

#[test]
fn the_keyring_keeps_the_key_with_the_tokens_for_the_next_process() {
    use crate::keyring::{in_dbus_session, read};
    let s = Setup::new("oidc", &["--auto-approve", "--require-dpop"]);
    let out = s.env.path();
    in_dbus_session(
        &s,
        "first",
        r#"$OAUTHCTL --store keyring login -p oidc --dpop --browser "$FAKE_BROWSER" > "$OUT/login.out" 2> "$OUT/login.err"; echo $? > "$OUT/login.rc""#,
    );
    let err = read(out, "login.err");
    assert_eq!(read(out, "login.rc").trim(), "0", "{err}");
    assert!(err.contains("stored in the OS keyring"), "{err}");
    assert!(!s.session_file("default").exists());
    // A new keyring daemon and new processes: the key comes back from the keyring.
    in_dbus_session(
        &s,
        "second",
        r#"$OAUTHCTL me -p oidc > "$OUT/me.out" 2> "$OUT/me.err"; echo $? > "$OUT/me.rc"
$OAUTHCTL refresh -p oidc > "$OUT/refresh.out" 2> "$OUT/refresh.err"; echo $? > "$OUT/refresh.rc"
$OAUTHCTL me -p oidc > "$OUT/me2.out" 2> "$OUT/me2.err"; echo $? > "$OUT/me2.rc"
$OAUTHCTL logout -p oidc > "$OUT/logout.out" 2> "$OUT/logout.err"; echo $? > "$OUT/logout.rc"
$OAUTHCTL me -p oidc > "$OUT/me3.out" 2> "$OUT/me3.err"; echo $? > "$OUT/me3.rc""#,
    );
    assert_eq!(read(out, "me.rc").trim(), "0", "{}", read(out, "me.err"));
    assert!(read(out, "me.out").contains("alice"));
    assert_eq!(
        read(out, "refresh.rc").trim(),
        "0",
        "{}",
        read(out, "refresh.err")
    );
    assert_eq!(read(out, "me2.rc").trim(), "0", "{}", read(out, "me2.err"));
    assert_eq!(
        read(out, "logout.rc").trim(),
        "0",
        "{}",
        read(out, "logout.err")
    );
    assert_eq!(read(out, "me3.rc").trim(), "4", "{}", read(out, "me3.err"));
    assert_eq!(
        token_answers(&s, "refresh_token"),
        [(200, String::new())],
        "the refresh proved the same key"
    );
}

#[test]
fn password_login_and_token_exchange_save_as_are_bound_too() {
    let s = Setup::new("oidc", &["--require-dpop"]);
    s.cmd()
        .args(["login", "-p", "oidc", "--password", "--username", "alice"])
        .args(["--password-stdin", "--scope", "openid profile", "--dpop"])
        .write_stdin("wonderland\n")
        .assert()
        .code(0);
    let (jkt, _, _) = session_key(&s);
    assert_eq!(s.session("default").unwrap().tokens.token_type, "DPoP");
    s.cmd().args(["me", "-p", "oidc"]).assert().code(0);
    // --dpop needs --save-as: a bound token is only usable with its kept key.
    s.cmd()
        .args([
            "token-exchange",
            "-p",
            "oidc",
            "--subject-session",
            "--dpop",
        ])
        .assert()
        .code(2);
    s.cmd()
        .args(["token-exchange", "-p", "oidc", "--subject-session"])
        .args(["--save-as", "api", "--dpop-alg", "EdDSA"])
        .assert()
        .code(0);
    let api = s.session("api").unwrap();
    assert_eq!(api.tokens.token_type, "DPoP");
    let data = api.dpop_key.expect("the exchanged session's own key");
    assert_eq!(data.alg, "EdDSA");
    let api_jkt = DpopKey::from_data(&data).unwrap().thumbprint();
    assert_ne!(api_jkt, jkt);
    assert_eq!(
        claims(api.tokens.access_token.expose())["cnf"]["jkt"],
        api_jkt.as_str()
    );
}

#[test]
fn dpop_jkt_travels_inside_par_and_jar_and_binds_the_code() {
    let s = Setup::new(
        "oidc",
        &["--auto-approve", "--client-secret-jwt", "--require-dpop"],
    );
    s.login()
        .args(["--dpop", "--par", "--jar"])
        .assert()
        .code(0);
    let url = &opened(&s)[0];
    assert!(query_param(url, "request_uri").is_some(), "{url}");
    assert!(query_param(url, "dpop_jkt").is_none(), "{url}");
    assert_eq!(s.session("default").unwrap().tokens.token_type, "DPoP");
    // The server bound the code to the thumbprint it was asked with: a code asked for
    // with another key's thumbprint is not redeemed with this session's key.
    let out = s
        .login()
        .args([
            "--dpop",
            "--param",
            "dpop_jkt=NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        ])
        .assert()
        .code(5);
    let err = stderr_of(&out);
    assert!(err.contains("dpop_jkt"), "{err}");
    // A session that needs a new login is told to log in with DPoP again.
    let mut session = s.session("default").unwrap();
    assert!(
        session.login_command().ends_with(" --dpop"),
        "{}",
        session.login_command()
    );
    session.dpop_key.as_mut().unwrap().alg = "EdDSA".into();
    assert!(session.login_command().ends_with(" --dpop-alg EdDSA"));
}

#[test]
fn a_provider_without_id_tokens_names_the_user_through_a_dpop_request() {
    let s = Setup::new("hub", &["--auto-approve", "--require-dpop"]);
    s.login().arg("--dpop").assert().code(0);
    let session = s.session("default").unwrap();
    assert_eq!(session.tokens.token_type, "DPoP");
    assert!(
        session.subject.is_some(),
        "login's who-am-I request was refused"
    );
    s.cmd().args(["me", "-p", "hub"]).assert().code(0);
}
