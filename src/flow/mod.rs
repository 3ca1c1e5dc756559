//! Grant-level library calls: what a command asks for, one call per step. They sit on
//! the protocol (`oauth`) and the support tools (`support`: the diagnosis, the flow
//! journal), return data or typed refusals, and never print: progress is reported as
//! events for the command to show.
//!
//! - [`token`]: the one token request, for every grant;
//! - [`code`]: the authorization-code flow (loopback listener, browser hand-off, wait,
//!   state and `iss` checks);
//! - [`device`]: polling for the device authorization grant's tokens;
//! - [`par`]: pushed authorization requests (RFC 9126).

pub mod code;
pub mod device;
pub mod interrupt;
pub mod par;
pub mod token;
