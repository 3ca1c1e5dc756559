//! Property tests (proptest) for every parser of outside input (issue 15, part 7): what
//! a server, a token, a file or a user hands oauthctl never makes it panic, and what
//! comes out keeps its promises (text inert, secrets masked, durations bounded).
//! Each block says how many cases each of its properties runs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use crate::http::HttpResponse;
use crate::oauth::error::OAuthError;
use crate::provider::{Origin, Provider};
use crate::redact::Redactor;

/// Cases per property.
const CASES: u32 = 256;

fn provider() -> Provider {
    Provider {
        name: "p".into(),
        origin: Origin::Config,
        spec: Default::default(),
        discovered_from: None,
    }
}

fn resp(status: u16, ct: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse {
        url: url::Url::parse("http://127.0.0.1/token").unwrap(),
        status,
        headers: vec![("content-type".into(), ct.into())],
        body,
        elapsed: Duration::ZERO,
    }
}

/// Any JSON value a hostile server may send (numbers huge, negative, fractional;
/// strings with control characters), nested a little.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,12}".prop_map(Value::String),
        "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}a-z]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,14}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A token-endpoint-style object: the usual field names with any values.
fn token_object() -> impl Strategy<Value = Map<String, Value>> {
    let field = prop_oneof![
        Just("access_token"),
        Just("refresh_token"),
        Just("id_token"),
        Just("token_type"),
        Just("expires_in"),
        Just("expires_at"),
        Just("scope"),
        Just("error"),
        Just("error_description"),
        Just("error_uri"),
        Just("errors"),
        Just("data"),
        Just("interval"),
        Just("device_code"),
        Just("user_code"),
        Just("verification_uri"),
        Just("verification_uri_complete"),
    ];
    prop::collection::vec((field, any_json()), 0..8)
        .prop_map(|v| v.into_iter().map(|(k, x)| (k.to_string(), x)).collect())
}

fn no_control(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Durations: any text parses or is refused, never past `duration::MAX`.
    #[test]
    fn durations_never_panic_and_stay_bounded(s in "\\PC{0,24}") {
        if let Ok(d) = crate::duration::parse(&s) {
            prop_assert!(d <= crate::duration::MAX);
        }
    }

    /// Durations written the usual way, with any numbers.
    #[test]
    fn durations_with_any_numbers(n in any::<u64>(), f in any::<f64>(), unit in "(ms|s|m|h|d|)") {
        for s in [format!("{n}{unit}"), format!("{f}{unit}"), format!("{n}{unit}{n}s")] {
            if let Ok(d) = crate::duration::parse(&s) {
                prop_assert!(d <= crate::duration::MAX);
            }
        }
    }

    /// HTTP dates: any text, and dates with any numbers in every field.
    #[test]
    fn http_dates_never_panic(s in "\\PC{0,40}", d in any::<i64>(), y in any::<i64>(), h in any::<u64>()) {
        let _ = crate::clock::parse_http_date(&s);
        let _ = crate::clock::parse_http_date(&format!("Sun, {d} Nov {y} {h}:{h}:{h} GMT"));
        let _ = crate::clock::response_skew(Some(&s), Duration::from_millis(h % 10_000));
    }

    /// Unix times from tokens: any i64 is shown (RFC 3339 up to year 9999, the raw
    /// number with a note after), with any "now".
    #[test]
    fn unix_times_are_always_shown(ts in any::<i64>(), now in any::<i64>()) {
        let s = crate::jwt::iso(ts);
        if (0..=crate::jwt::MAX_ISO).contains(&ts) {
            prop_assert!(s.ends_with('Z') && s.len() == 20, "{}", s);
        } else {
            prop_assert!(s.starts_with(&ts.to_string()), "{}", s);
        }
        let _ = crate::jwt::describe_time("exp", ts, now);
        let _ = crate::clock::seconds_until(ts.unsigned_abs(), now.unsigned_abs());
    }

    /// JWTs: any text, and three base64url segments of any JSON.
    #[test]
    fn jwt_parse_never_panics(s in "\\PC{0,64}", h in any_json(), c in any_json(), sig in "[A-Za-z0-9_-]{0,20}") {
        let _ = crate::jwt::parse(&s);
        use base64::Engine;
        let b = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let token = format!("{}.{}.{sig}", b(&h), b(&c));
        if let Ok(crate::jwt::Token::Jws(j)) = crate::jwt::parse(&token) {
            let _ = crate::jwt::describe::JwsDescription::of(&j, 1_700_000_000);
        }
    }

    /// Claims checks with any values in exp/nbf/iat, any now and leeway.
    #[test]
    fn claims_checks_never_panic(exp in any_json(), nbf in any_json(), iat in any_json(), now in any::<i64>(), leeway in any::<i64>()) {
        let mut claims = Map::new();
        claims.insert("exp".into(), exp.clone());
        claims.insert("nbf".into(), nbf);
        claims.insert("iat".into(), iat);
        let problems = crate::jwt::check_claims(&claims, now, leeway, Some("x"), Some("y"));
        // A present, non-numeric exp is always a problem.
        if !exp.is_null() && !exp.is_number() {
            prop_assert!(problems.iter().any(|p| p.contains("`exp` is")), "{:?}", problems);
        }
    }

    /// A JWKS from anywhere.
    #[test]
    fn jwks_never_panics(v in any_json(), s in "\\PC{0,40}") {
        let _ = crate::jwt::Jwks::from_json(v.to_string().as_bytes(), "x");
        let _ = crate::jwt::Jwks::from_json(s.as_bytes(), "x");
    }

    /// Token answers: any status, content type and object; an accepted answer has a
    /// token type and tokens of RFC 6749 syntax and inert scopes.
    #[test]
    fn token_answers_never_panic(status in 100u16..600, ct in "(application/json|text/plain|application/x-www-form-urlencoded|text/html|)", o in token_object(), now in any::<u64>()) {
        let body = Value::Object(o).to_string().into_bytes();
        for p in [provider(), Provider::from_preset("onboardbase").unwrap()] {
            match crate::oauth::token::parse_response_warned(&p, &resp(status, &ct, body.clone()), now, &[]) {
                Ok((t, _)) => {
                    prop_assert!(crate::oauth::token::is_token_syntax(t.access_token.expose()));
                    prop_assert!(crate::oauth::token::is_token_type_syntax(&t.token_type));
                    prop_assert!(t.scopes.iter().all(|s| no_control(s)));
                }
                Err(e) => {
                    prop_assert!(no_control(&e.error));
                    prop_assert!(e.description.as_deref().is_none_or(no_control));
                    prop_assert!(e.description.as_deref().is_none_or(|d| d.chars().count() < crate::text::MAX_SHOWN + 64));
                }
            }
        }
    }

    /// Error answers in any shape (raw bytes, forms, WWW-Authenticate): the error is
    /// inert and bounded.
    #[test]
    fn error_answers_are_inert(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..200), www in "\\PC{0,60}") {
        let mut r = resp(status, "application/x-www-form-urlencoded", body.clone());
        r.headers.push(("www-authenticate".into(), www));
        for r in [r, resp(status, "text/html", body)] {
            let e = OAuthError::parse(&provider(), &r);
            prop_assert!(no_control(&e.error));
            prop_assert!(e.description.as_deref().is_none_or(no_control));
            prop_assert!(e.uri.as_deref().is_none_or(no_control));
        }
    }

    /// Device authorization answers: any values; the deadline never overflows, the
    /// interval stays within bounds, the user code is inert.
    #[test]
    fn device_answers_never_panic(o in token_object(), ei in any_json(), iv in any_json()) {
        let mut o = o;
        o.insert("device_code".into(), json!("dc"));
        o.insert("user_code".into(), json!("U\u{1b}[2J"));
        o.insert("verification_uri".into(), json!("http://127.0.0.1/v"));
        o.insert("expires_in".into(), ei);
        o.insert("interval".into(), iv);
        if let Ok(a) = crate::oauth::device::parse_authorization(&provider(), &o, Instant::now()) {
            let _ = a.deadline();
            prop_assert!(a.interval <= crate::oauth::device::MAX_INTERVAL);
            prop_assert!(no_control(&a.user_code));
            prop_assert!(no_control(&a.verification_uri));
        }
    }

    /// A pasted callback URL: any text; an error's words are inert.
    #[test]
    fn pasted_callbacks_never_panic(q in "\\PC{0,60}", e in "[\\x00-\\x1f\\x7fa-z%0-9]{0,20}") {
        let _ = crate::oauth::callback::parse_callback(&q);
        let _ = crate::oauth::callback::parse_callback(&format!("http://127.0.0.1:1/cb?{q}"));
        let enc: String = url::form_urlencoded::byte_serialize(e.as_bytes()).collect();
        if let Ok(c) = crate::oauth::callback::parse_callback(&format!("http://127.0.0.1:1/cb?error={enc}x&error_description={enc}")) {
            let (err, desc, _) = c.error.expect("an error");
            prop_assert!(no_control(&err) && desc.as_deref().is_none_or(no_control));
        }
    }

    /// What a user pastes into `decode`: any text, `Bearer …`, a token response.
    #[test]
    fn pasted_tokens_never_panic(s in "\\PC{0,80}", o in token_object()) {
        let _ = crate::jwt::input::split(&s);
        let _ = crate::jwt::input::split(&format!("Authorization: Bearer {s}"));
        let _ = crate::jwt::input::split(&Value::Object(o).to_string());
    }

    /// Discovery documents of any shape, against any issuer.
    #[test]
    fn discovery_documents_never_panic(o in token_object(), issuer in "\\PC{0,30}", extra in any_json()) {
        let mut o = o;
        o.insert("issuer".into(), extra.clone());
        o.insert("jwks_uri".into(), extra);
        let _ = crate::provider::discovery::validate(&o, &issuer, "http://127.0.0.1/.well-known/openid-configuration");
        let _ = crate::provider::discovery::candidates(&issuer, None);
    }

    /// The config file: any text, and any value for its durations.
    #[test]
    fn config_files_never_panic(s in "\\PC{0,120}", t in "\\PC{0,24}") {
        let _ = crate::provider::config::parse(&s, Path::new("c.toml"));
        let text = format!("timeout = {}\n[providers.x]\ntoken_endpoint = {}\n", json!(t), json!(s));
        if let Ok(f) = crate::provider::config::parse(&text, Path::new("c.toml")) {
            if let Some(t) = f.timeout {
                let _ = crate::duration::parse(&t);
            }
        }
    }

    /// Inert text has no control character, and inert is idempotent.
    #[test]
    fn inert_text_has_no_control_character(s in "\\PC{0,40}|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}a]{0,40}") {
        let i = crate::text::inert(&s);
        prop_assert!(no_control(&i));
        prop_assert_eq!(crate::text::inert(&i), i.clone());
        let l = crate::text::inert_lines(&s);
        prop_assert!(!l.chars().any(|c| c != '\n' && c.is_control()));
        prop_assert!(crate::text::cut(&s, 10).chars().count() <= 10 + 40);
    }

    /// A value under a secret key, in any shape of answer (JSON object, array, form,
    /// loose text, a number), is harvested and never shown by the redactor.
    #[test]
    fn secrets_in_any_shape_are_masked(v in "[A-Za-z0-9._~+/-]{8,40}", n in 10_000_000u64..u64::MAX, key in prop_oneof![Just("access_token"), Just("refresh_token"), Just("client_secret"), Just("password"), Just("device_code")]) {
        let bodies = [
            json!({key: v}).to_string(),
            json!([{ "x": {key: v} }]).to_string(),
            format!("{key}={}", url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()),
            format!("oops: \"{key}\": \"{v}\", more"),
            format!("{{\"{key}\":\"{v}"),
            format!("<r><{key}>{v}</{key}></r>"),
        ];
        for body in &bodies {
            let mut r = Redactor::new(false);
            r.harvest(body.as_bytes());
            for ct in [Some("application/json"), Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
                let shown = r.body(ct, body.as_bytes());
                prop_assert!(!shown.contains(&v), "{} shown: {}", v, shown);
            }
            prop_assert!(!r.text(body).contains(&v));
        }
        let numeric = json!({key: n}).to_string();
        let mut r = Redactor::new(false);
        r.harvest(numeric.as_bytes());
        prop_assert!(!r.body(Some("application/json"), numeric.as_bytes()).contains(&n.to_string()));
    }

    /// The marker: equal values, equal markers; different values, different markers;
    /// never the value itself.
    #[test]
    fn markers_are_stable_within_a_process(a in "\\PC{4,30}", b in "\\PC{4,30}") {
        prop_assert_eq!(crate::redact::mask(&a), crate::redact::mask(&a));
        if a != b {
            prop_assert_ne!(crate::redact::mask(&a), crate::redact::mask(&b));
        }
        prop_assert!(!crate::redact::mask(&a).contains(&a));
    }
}

#[test]
fn hmac_matches_rfc_4231_test_case_2() {
    let mac = crate::redact::hmac_sha256(b"Jefe", b"what do ya want for nothing?");
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

fn hex(mac: [u8; 32]) -> String {
    mac.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn hmac_hashes_a_key_longer_than_a_block_and_keeps_one_of_a_block() {
    // RFC 4231 test case 6: a 131-byte key is hashed first.
    let mac = crate::redact::hmac_sha256(
        &[0xaa; 131],
        b"Test Using Larger Than Block-Size Key - Hash Key First",
    );
    assert_eq!(
        hex(mac),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
    // A key of exactly one block (64 bytes) is used as it is (Python's hmac agrees).
    let key: Vec<u8> = (0u8..64).collect();
    let mac = crate::redact::hmac_sha256(&key, b"a key of exactly one block");
    assert_eq!(
        hex(mac),
        "4160934932697efcd68b6416b5ef5d5f636b1117cf3e740649df906895cd9186"
    );
}

#[test]
fn the_marker_key_is_random_not_a_constant() {
    // A fixed key would let anyone confirm a guessed secret from a shared HAR.
    let marker = crate::redact::mask("hunter2");
    for fixed in [[0u8; 32], [1u8; 32]] {
        let mac = crate::redact::hmac_sha256(&fixed, b"hunter2");
        let guess = format!("[redacted:{}]", &hex(mac)[..8]);
        assert_ne!(marker, guess);
    }
}
