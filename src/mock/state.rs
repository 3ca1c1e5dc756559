//! Everything the emulator remembers: clients, consent requests, codes, tokens and
//! device grants. One mutex guards it; every critical section is short and never awaits.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};

use super::client_keys::ClientKey;
use super::options::TokenFault;

/// A registered client.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    /// None for a public client.
    pub secret: Option<String>,
    pub redirect_uris: Vec<String>,
    pub grant_types: Vec<String>,
    /// The RFC 7591 `token_endpoint_auth_method` it registered with.
    pub auth_method: String,
    pub name: Option<String>,
    pub issued_at: u64,
    /// Public keys for `private_key_jwt` (`--client-jwks`).
    pub keys: Option<Vec<ClientKey>>,
}

impl Client {
    /// A client with neither a secret nor keys cannot authenticate.
    pub fn is_public(&self) -> bool {
        self.secret.is_none()
            && self.keys.is_none()
            && !self.auth_method.ends_with("tls_client_auth")
    }
}

/// A validated authorization request, waiting for consent or turned into a code.
#[derive(Debug, Clone)]
pub struct AuthRequest {
    pub client_id: String,
    pub response_type: String,
    pub redirect_uri: String,
    /// Whether `redirect_uri` was in the request (then the token request must repeat it).
    pub redirect_given: bool,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// (challenge, method)
    pub challenge: Option<(String, String)>,
    /// The thumbprint of the DPoP key the code is bound to (RFC 9449 §10).
    pub dpop_jkt: Option<String>,
    /// The `response_mode` asked for (query, form_post, JARM's `*.jwt`).
    pub response_mode: Option<String>,
    /// The `authorization_details` asked for (RFC 9396), granted as asked with the code.
    pub authorization_details: Option<String>,
}

/// A pushed authorization request (RFC 9126): its parameters, until its request_uri is
/// used or expires.
#[derive(Debug, Clone)]
pub struct PushedRequest {
    pub client_id: String,
    pub params: Vec<(String, String)>,
    pub expires_ms: u64,
    pub used: bool,
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub req: AuthRequest,
    pub expires_ms: u64,
}

#[derive(Debug, Clone)]
pub struct Code {
    pub req: AuthRequest,
    pub expires_ms: u64,
    pub used: bool,
    /// Tokens issued from this code share a family, revoked when the code is replayed.
    pub family: String,
    pub auth_time: u64,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub client_id: String,
    pub scopes: Vec<String>,
    /// The user; None for client credentials.
    pub subject: Option<String>,
    /// Audiences asked for (`audience`, RFC 8707 `resource`): the `aud` of JWT access
    /// tokens. Empty: the issuer.
    pub audience: Vec<String>,
    pub family: String,
    pub auth_time: u64,
    /// The thumbprint of the DPoP key the tokens are bound to (RFC 9449).
    pub jkt: Option<String>,
    /// The actor of an exchanged token (RFC 8693 §4.1 `act`): the actor token's subject.
    pub actor: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AccessToken {
    pub grant: Grant,
    pub issued_ms: u64,
    pub expires_ms: u64,
}

#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub grant: Grant,
    pub issued_ms: u64,
    pub expires_ms: u64,
    /// Access tokens issued with it (invalidated when it is rotated).
    pub access: Vec<String>,
}

/// The grant type that redeems a device code (RFC 8628 §3.4).
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved,
    Denied,
}

#[derive(Debug, Clone)]
pub struct Device {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub user_code: String,
    pub expires_ms: u64,
    pub interval_ms: u64,
    pub last_poll_ms: Option<u64>,
    pub status: DeviceStatus,
    pub audience: Vec<String>,
}

/// Faults that can be changed while the mock runs.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub deny: bool,
    pub fail_token_with: Option<TokenFault>,
    /// Fail only this many token requests (all when None).
    pub fail_token_count: Option<u64>,
    pub latency: std::time::Duration,
    /// What is wrong with the ID tokens and userinfo answers.
    pub id_token: Vec<super::options::IdTokenFault>,
    /// What is wrong with the JWT-secured authorization responses (JARM).
    pub jarm: Vec<super::options::JarmFault>,
}

#[derive(Debug, Default)]
pub struct State {
    pub clients: HashMap<String, Client>,
    pub pending: HashMap<String, Pending>,
    pub codes: HashMap<String, Code>,
    pub access: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshToken>,
    pub devices: HashMap<String, Device>,
    /// user_code → device_code
    pub user_codes: HashMap<String, String>,
    pub faults: Faults,
    /// Token requests failed so far by `fail_token_with`.
    pub token_failures: u64,
    /// Pushed authorization requests (RFC 9126), by request_uri.
    pub pushed: HashMap<String, PushedRequest>,
    /// `jti`s of client assertions seen (client and jti → expiry, ms): each is used once.
    pub used_jtis: HashMap<String, u64>,
    /// With self-contained tokens (`selfcontained`): the tokens revoked or rotated away
    /// (token → expiry, ms), which stay refused although their signature verifies.
    pub revoked: HashMap<String, u64>,
    /// Whether to remember them (`MockOptions::self_contained_tokens`).
    pub remember_revoked: bool,
    /// Tokens bound to a client certificate (RFC 8705 §3): token → `x5t#S256`.
    pub cert_bound: HashMap<String, String>,
    /// The nonce DPoP proofs must carry (`--dpop-nonce`), drawn when first asked for.
    pub dpop_nonce: Option<String>,
    inserts: u64,
}

/// `n` random bytes, base64url without padding.
pub fn random_token(n: usize) -> String {
    let mut buf = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// A user code as RFC 8628 §6.1 suggests: 8 consonants, `BCDF-GHJK`.
pub fn user_code() -> String {
    const ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    let mut rng = rand::thread_rng();
    let mut s = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            s.push('-');
        }
        s.push(ALPHABET[rng.gen_range(0..ALPHABET.len())] as char);
    }
    s
}

impl State {
    /// Counts insertions and, now and then, forgets what has expired, so that a long
    /// run (or a benchmark) does not grow without bound.
    pub fn inserted(&mut self, now_ms: u64) {
        self.inserts += 1;
        if self.inserts.is_multiple_of(4096) {
            self.pending.retain(|_, p| p.expires_ms > now_ms);
            self.pushed.retain(|_, p| p.expires_ms > now_ms);
            self.codes.retain(|_, c| c.expires_ms > now_ms);
            self.access.retain(|_, a| a.expires_ms > now_ms);
            self.refresh.retain(|_, r| r.expires_ms > now_ms);
            self.revoked.retain(|_, exp| *exp > now_ms);
            let (access, refresh) = (&self.access, &self.refresh);
            self.cert_bound
                .retain(|t, _| access.contains_key(t) || refresh.contains_key(t));
            let before: Vec<String> = self.devices.keys().cloned().collect();
            self.devices.retain(|_, d| d.expires_ms > now_ms);
            for dc in before {
                if !self.devices.contains_key(&dc) {
                    self.user_codes.retain(|_, v| *v != dc);
                }
            }
        }
    }

    /// Revokes every token of a family (a replayed code's tokens).
    pub fn revoke_family(&mut self, family: &str) {
        let mut gone = Vec::new();
        self.access.retain(|t, a| {
            let keep = a.grant.family != family;
            if !keep {
                gone.push((t.clone(), a.expires_ms));
            }
            keep
        });
        self.refresh.retain(|t, r| {
            let keep = r.grant.family != family;
            if !keep {
                gone.push((t.clone(), r.expires_ms));
            }
            keep
        });
        for (t, exp) in gone {
            self.mark_revoked(t, exp);
        }
    }

    /// Revokes a refresh token and the access tokens issued with it.
    pub fn revoke_refresh(&mut self, token: &str) {
        if let Some(r) = self.refresh.remove(token) {
            self.mark_revoked(token.to_string(), r.expires_ms);
            for a in r.access {
                self.revoke_access(&a);
            }
        }
    }

    /// Revokes an access token.
    pub fn revoke_access(&mut self, token: &str) {
        if let Some(a) = self.access.remove(token) {
            self.mark_revoked(token.to_string(), a.expires_ms);
        }
    }

    /// Remembers that `token` (valid until `expires_ms`) is revoked, when tokens are
    /// self-contained.
    pub fn mark_revoked(&mut self, token: String, expires_ms: u64) {
        if self.remember_revoked {
            self.revoked.insert(token, expires_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_readable() {
        let c = user_code();
        assert_eq!(c.len(), 9);
        assert_eq!(&c[4..5], "-");
        assert!(c.chars().all(|ch| ch == '-' || ch.is_ascii_uppercase()));
    }

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let a = random_token(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token(32));
    }
}
