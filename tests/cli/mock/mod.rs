//! `oauthctl mock`, one module per preset (and the faults and private_key_jwt client
//! authentication), driven with plain HTTP by [`crate::support::mock`].

mod chatwork;
mod faults;
mod hub;
mod oidc;
mod onboardbase;
mod private_key_jwt;
mod teamwork;
mod worksection;
