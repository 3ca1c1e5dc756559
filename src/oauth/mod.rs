//! The protocol: PKCE, the authorization request, the loopback redirect listener, the
//! browser, and token requests with their quirks. This layer never prints and never
//! touches the terminal: it returns results and events, and commands show them.

pub mod assertion;
pub mod authorize;
pub mod browser;
pub mod callback;
pub mod client_auth;
pub mod device;
pub mod dpop;
pub mod end_session;
pub mod error;
pub mod error_codes;
pub mod introspect;
pub mod loopback;
pub mod pkce;
pub mod rar;
pub mod register;
pub mod request_object;
pub mod revoke;
pub mod token;
pub mod userinfo;
