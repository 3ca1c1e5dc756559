//! The black-box tests of `oauthctl`, as one test binary (`cargo nextest run --test cli`):
//! each module drives the built binary (and, here and there, the library's stable API)
//! from outside, with the helpers of [`support`].

// End-to-end scenarios read top to bottom; helpers may unwrap.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

mod authorize_refusal;
mod authorize_url;
mod client_secret_jwt;
mod config_providers;
mod deb;
mod decode;
mod demo;
mod diagnosis;
mod discover;
mod doctor;
mod dpop;
mod e2e;
mod flow_journal;
mod git_credential;
mod har_flow;
mod hardening;
mod hostile;
mod hostile_corpus;
mod id_token;
mod inspect_introspect;
mod jar;
mod jarm;
mod jwt_bearer;
mod keyring;
mod kubectl_credential;
mod login;
mod logout_rp;
mod me_call;
mod mock;
mod mock_grants_gaps;
mod mtls;
mod oidc_errors;
mod par;
mod preflight_real;
mod rar;
mod refresh_advisory;
mod refresh_hint;
mod register;
mod report;
mod run_cmd;
mod smoke;
mod token;
mod token_exchange;
mod trace_and_cli;
mod unsupported_token_type;
