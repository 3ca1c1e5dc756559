//! Issue 14 part 4: every OpenID Connect and OAuth extension error code is known to the
//! diagnosis, each with its own meaning and next command; an error that came back from
//! the authorization request (here: pasted with `exchange --callback-url`, as a browser
//! lands on it) never gets a token-request replay as advice.

use oauthctl::oauth::error_codes;

use crate::support::flow::Setup;

/// The authorization request's errors of the issue, OpenID Connect Core 3.1.2.6 and
/// RFC 9101, plus RFC 6749's and RFC 7591's that a redirect may carry.
const AUTHORIZATION_ERRORS: &[&str] = &[
    "consent_required",
    "login_required",
    "interaction_required",
    "account_selection_required",
    "invalid_request_uri",
    "invalid_request_object",
    "request_not_supported",
    "request_uri_not_supported",
    "registration_not_supported",
    "unsupported_response_type",
    "invalid_redirect_uri",
    "temporarily_unavailable",
    "invalid_target",
];

#[test]
fn each_authorization_error_is_explained_with_its_own_cause_and_no_exchange() {
    let s = Setup::new("oidc", &[]);
    let mut seen: Vec<String> = Vec::new();
    for code in AUTHORIZATION_ERRORS {
        let url = format!(
            "{}?error={code}&error_description=the+server%27s+words&state=st",
            s.redirect_uri
        );
        let out = s
            .cmd()
            .args(["exchange", "-p", "oidc", "--callback-url", &url])
            .assert()
            .code(5)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let entry = error_codes::lookup(code).unwrap_or_else(|| panic!("{code} unknown"));
        assert!(err.contains(code), "{code}: {err}");
        assert!(err.contains("the server's words"), "{code}: {err}");
        assert!(!err.contains("does not know"), "{code}: {err}");
        assert!(!err.contains("oauthctl exchange"), "{code}: {err}");
        // Its own meaning, not the generic one; causes and next step follow.
        if !["temporarily_unavailable"].contains(code) {
            assert!(err.contains(entry.meaning), "{code}: {err}");
        }
        let next = err
            .lines()
            .find(|l| l.trim_start().starts_with("next: "))
            .unwrap_or_else(|| panic!("{code}: no next step in {err}"))
            .trim()
            .to_string();
        assert!(next.contains("oauthctl "), "{code}: {next}");
        seen.push(err);
    }
    // No two explanations are the same.
    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[test]
fn the_next_steps_change_the_authorization_request() {
    let s = Setup::new("oidc", &[]);
    for (code, next) in [
        (
            "consent_required",
            "next: oauthctl login -p oidc --param prompt=consent",
        ),
        (
            "login_required",
            "next: oauthctl login -p oidc --param prompt=login",
        ),
        (
            "account_selection_required",
            "next: oauthctl login -p oidc --param prompt=select_account",
        ),
        ("invalid_request_uri", "next: oauthctl login -p oidc"),
    ] {
        let url = format!("{}?error={code}&state=st", s.redirect_uri);
        let out = s
            .cmd()
            .args(["exchange", "-p", "oidc", "--callback-url", &url])
            .assert()
            .code(5)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(next), "{code}: {err}");
    }
}

/// The token endpoint's and the APIs' extension codes: RFC 6750, 7591, 8628, 8707 and
/// 9449, each explained as itself when a token request gets it.
#[test]
fn token_side_extension_codes_are_explained_as_themselves() {
    use crate::support::{Env, Reply, Server};
    let env = Env::new();
    let s = Server::start();
    env.write_config(&format!(
        "[providers.canned]\nauthorization_endpoint = \"{}\"\ntoken_endpoint = \"{}\"\nclient_id = \"c\"\nredirect_uri = \"http://127.0.0.1:8765/callback\"\n",
        s.url("/authorize"),
        s.url("/token")
    ));
    for code in [
        "invalid_token",
        "insufficient_scope",
        "invalid_client_metadata",
        "invalid_software_statement",
        "unapproved_software_statement",
        "slow_down",
        "invalid_dpop_proof",
        "use_dpop_nonce",
        "invalid_target",
        "invalid_authorization_details",
    ] {
        s.route(
            "/token",
            Reply::json(400, &format!("{{\"error\":\"{code}\"}}")),
        );
        let out = env
            .cmd()
            .args(["exchange", "-p", "canned", "--code", "abc"])
            .assert()
            .code(5)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        let entry = error_codes::lookup(code).unwrap();
        assert!(err.contains(entry.meaning), "{code}: {err}");
        assert!(!err.contains("does not know"), "{code}: {err}");
    }
}
