//! End to end: oauthctl against software we did not write (two real OpenID providers,
//! npm oidc-provider and PyPI django-oauth-toolkit, a real browser, a real keyring), with
//! the [`harness`] that starts them ([`dot`] for django-oauth-toolkit). Needs
//! `scripts/e2e-setup.sh`; nextest runs these tests (`test(/^e2e::/)`) one at a time, with
//! one retry (.config/nextest.toml).

mod django;
mod doctor;
mod dot;
mod dpop;
mod extensions;
mod harness;
mod kcache;
mod mtls;
mod real_provider;
mod report;
