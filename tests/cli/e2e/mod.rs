//! End to end: oauthctl against software we did not write (a real OpenID provider, a real
//! browser, a real keyring), with the [`harness`] that starts them. Needs
//! `scripts/e2e-setup.sh`; nextest runs these tests (`test(/^e2e::/)`) one at a time, with
//! one retry (.config/nextest.toml).

mod doctor;
mod harness;
mod real_provider;
