//! The support tools, apart from the protocol: the preflight of an authorization
//! request, the diagnosis of a refusal, `doctor`'s checks, the flow journal that keeps
//! the evidence between commands, and the redirect-URI comparison they share.
//! They use `oauth` (the protocol) and never the other way round.

pub mod diagnose;
pub mod doctor;
pub mod journal;
pub mod preflight;
pub mod redirect_uri;
