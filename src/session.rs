//! Session freshness (moving here from commands/token.rs).
