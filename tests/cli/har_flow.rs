//! `--har FILE` on a whole login: a HAR 1.2 document that devtools can open, in which no
//! secret of the flow appears (code, verifier, client secret, access, refresh and id
//! tokens), one token stays recognisable across its occurrences, and JWT headers and
//! claims stay readable.
//!
//! The flow runs with `--trace --show-secrets`, so the transcript on stderr shows every
//! secret in clear: that is where the test learns the values to look for. The HAR file
//! is redacted even then.

use std::collections::BTreeSet;

use crate::support::flow::Setup;
use serde_json::Value;

/// Parameter and field names whose values are secrets.
const KEYS: &[&str] = &[
    "code",
    "code_verifier",
    "client_secret",
    "access_token",
    "refresh_token",
    "id_token",
];

/// Every secret the clear transcript shows: form and query parameters, JSON fields,
/// Authorization credentials, codes in Location headers.
pub(crate) fn secrets_in_transcript(trace: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for raw in trace.lines() {
        let line = raw
            .strip_prefix("> ")
            .or_else(|| raw.strip_prefix("< "))
            .unwrap_or(raw)
            .trim();
        if let Some((name, value)) = line.split_once(": ") {
            let name = name.to_ascii_lowercase();
            if name == "authorization" {
                if let Some((_, cred)) = value.split_once(' ') {
                    out.insert(cred.trim().to_string());
                }
                continue;
            }
            if name == "location" {
                if let Ok(u) = url::Url::parse(value) {
                    for (k, v) in u.query_pairs() {
                        if KEYS.contains(&k.as_ref()) {
                            out.insert(v.into_owned());
                        }
                    }
                }
                continue;
            }
        }
        if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(line) {
            for k in KEYS {
                if let Some(Value::String(v)) = o.get(*k) {
                    out.insert(v.clone());
                }
            }
            continue;
        }
        // A request line's query, or a form body.
        let query = match line.split_once(' ') {
            Some((m, rest)) if m == "POST" || m == "GET" => rest
                .split_once('?')
                .map(|(_, q)| q.to_string())
                .unwrap_or_default(),
            _ if line.contains('=') && !line.contains(' ') => line.to_string(),
            _ => String::new(),
        };
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            if KEYS.contains(&k.as_ref()) && !v.is_empty() {
                out.insert(v.into_owned());
            }
        }
    }
    out
}

/// The HAR 1.2 fields devtools need, on every entry.
fn check_har_structure(har: &Value) {
    let log = &har["log"];
    assert_eq!(log["version"], "1.2", "{har}");
    assert_eq!(log["creator"]["name"], "oauthctl");
    assert!(log["creator"]["version"].is_string());
    let entries = log["entries"].as_array().expect("entries");
    assert!(!entries.is_empty());
    for e in entries {
        assert!(e["startedDateTime"].is_string(), "{e}");
        assert!(e["time"].is_number(), "{e}");
        assert!(e["cache"].is_object(), "{e}");
        for t in ["send", "wait", "receive"] {
            assert!(e["timings"][t].is_number(), "{e}");
        }
        let rq = &e["request"];
        for f in ["method", "url", "httpVersion"] {
            assert!(rq[f].is_string(), "request.{f}: {e}");
        }
        for f in ["cookies", "headers", "queryString"] {
            assert!(rq[f].is_array(), "request.{f}: {e}");
        }
        for f in ["headersSize", "bodySize"] {
            assert!(rq[f].is_number(), "request.{f}: {e}");
        }
        for h in rq["headers"].as_array().unwrap() {
            assert!(h["name"].is_string() && h["value"].is_string(), "{h}");
        }
        if let Some(p) = rq.get("postData") {
            assert!(p["mimeType"].is_string() && p["text"].is_string(), "{p}");
        }
        let rs = &e["response"];
        assert!(rs["status"].is_number(), "{e}");
        for f in ["statusText", "httpVersion", "redirectURL"] {
            assert!(rs[f].is_string(), "response.{f}: {e}");
        }
        for f in ["cookies", "headers"] {
            assert!(rs[f].is_array(), "response.{f}: {e}");
        }
        for f in ["headersSize", "bodySize"] {
            assert!(rs[f].is_number(), "response.{f}: {e}");
        }
        assert!(rs["content"]["size"].is_number(), "{e}");
        assert!(rs["content"]["mimeType"].is_string(), "{e}");
    }
}

/// Runs a login with --har and a clear transcript; returns (HAR text, secrets seen).
fn login_with_har(s: &Setup) -> (String, BTreeSet<String>) {
    let har = s.env.path().join("login.har");
    let out = s
        .login()
        .args(["--trace", "--show-secrets", "--har"])
        .arg(&har)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let trace = String::from_utf8_lossy(&out.stderr).into_owned();
    let secrets = secrets_in_transcript(&trace);
    (std::fs::read_to_string(&har).expect("HAR written"), secrets)
}

fn assert_absent(har: &str, secrets: &BTreeSet<String>) {
    for v in secrets {
        assert!(v.len() >= 8, "not a secret: {v:?}");
        let encoded: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
        assert!(!har.contains(v.as_str()), "secret {v} is in the HAR file");
        assert!(
            !har.contains(&encoded),
            "secret {v} (encoded) is in the HAR file"
        );
    }
}

#[test]
fn a_hub_login_har_has_no_secret_and_one_token_keeps_one_mask() {
    // --auto-approve: the preflight's answer carries a code too (in its Location).
    let s = Setup::new("hub", &["--auto-approve"]);
    let (text, secrets) = login_with_har(&s);
    let har: Value = serde_json::from_str(&text).expect("HAR is JSON");
    check_har_structure(&har);
    let session = s.session("default").expect("logged in");
    let access = session.tokens.access_token.expose().to_string();
    let refresh = session
        .tokens
        .refresh_token
        .as_ref()
        .expect("refresh token")
        .expose()
        .to_string();
    // The transcript showed every secret the flow used.
    assert!(
        secrets.contains(&access) && secrets.contains(&refresh),
        "{secrets:?}"
    );
    let codes = secrets.iter().filter(|v| v.len() == 43).count();
    assert!(codes >= 3, "code(s) and verifier expected in {secrets:?}");
    assert_absent(&text, &secrets);
    // Sent twice (token response, then the Bearer of /api/auth/me): one mask both times.
    // The marker is keyed per process (issue 15): it is read from the token response,
    // it cannot be computed here.
    let token_text = har["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["response"]["content"]["text"].as_str())
        .find(|t| t.contains("access_token"))
        .expect("the token response");
    let mask = serde_json::from_str::<Value>(token_text).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(mask.starts_with("[redacted:"), "{mask}");
    assert!(
        text.matches(&mask).count() >= 2,
        "{mask} once only:\n{text}"
    );
    // Entries: preflight, token request, who-am-I, in order.
    let urls: Vec<String> = har["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["request"]["url"].as_str().unwrap().to_string())
        .collect();
    assert!(urls[0].contains("/api/oauth/authorize"), "{urls:?}");
    assert!(
        urls.iter().any(|u| u.ends_with("/api/oauth/token")),
        "{urls:?}"
    );
    assert!(urls.iter().any(|u| u.ends_with("/api/auth/me")), "{urls:?}");
}

#[test]
fn an_oidc_login_har_keeps_jwt_claims_readable_and_hides_the_client_secret() {
    let s = Setup::new("oidc", &["--auto-approve"]);
    let (text, mut secrets) = login_with_har(&s);
    let har: Value = serde_json::from_str(&text).expect("HAR is JSON");
    check_har_structure(&har);
    let session = s.session("default").expect("logged in");
    let id_token = session
        .tokens
        .id_token
        .as_ref()
        .expect("id token")
        .expose()
        .to_string();
    assert!(secrets.contains(&id_token), "{secrets:?}");
    // The client secret (sent in a Basic header) and the Basic credential itself.
    secrets.insert("mock-client-secret".to_string());
    assert!(
        secrets
            .iter()
            .any(|v| v.starts_with("b2F1dGhjdGwtbW9jazpt")),
        "Basic credential of oauthctl-mock:mock-client-secret expected in {secrets:?}"
    );
    assert_absent(&text, &secrets);
    // JWT headers and claims stay readable; only the signature is masked.
    let parts: Vec<&str> = id_token.split('.').collect();
    assert!(
        text.contains(&format!("{}.{}.[redacted:", parts[0], parts[1])),
        "{text}"
    );
}
