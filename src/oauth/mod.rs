//! The protocol: PKCE, the authorization request, and (in later modules) grants.
//! This layer never prints and never touches the terminal.

pub mod authorize;
pub mod diagnose;
pub mod doctor;
pub mod pkce;
pub mod preflight;
