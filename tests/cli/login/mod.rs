//! `oauthctl login` against `oauthctl mock`: through the (scripted) browser, the device
//! flow, the direct grants (client credentials, password) and the headless fallback.

mod browser;
mod device;
mod direct;
mod headless;
