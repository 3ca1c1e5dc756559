//! oauthctl: run and debug OAuth 2.0 / OpenID Connect flows.
//!
//! Data flows one way: `cli` parses → `commands` resolve the provider (`provider`) →
//! drive the protocol (`oauth`) over the shared client (`http`) → render (`output`).

pub mod api;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod context;
pub mod demo;
pub mod duration;
pub mod error;
pub mod flow;
pub mod http;
pub mod jwt;
pub mod mock;
pub mod oauth;
pub mod output;
pub mod provider;
pub mod redact;
pub mod report;
pub mod secret;
pub mod session;
pub mod startup;
pub mod store;
pub mod support;
pub mod text;

#[cfg(test)]
mod proptests;

pub use error::{Error, ErrorKind, Result};
