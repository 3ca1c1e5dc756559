//! Sessions: the tokens of one login, and where they are kept.
//!
//! A session's secrets (the whole token set, as JSON) live in the OS keyring or in a
//! 0600 file; its non-secret metadata lives in an index file so that `status` never has
//! to unlock anything. Every change to a session happens under a per-session
//! cross-process lock:
//!
//! ```text
//! let guard = store.lock(&key)?;     // waits (bounded) for another process
//! let session = guard.load()?;       // re-read under the lock
//! /* refresh */
//! guard.save(&session)?;             // secrets, then the index
//! ```

pub mod clients;
pub mod file;
pub mod index;
pub mod kcache;
pub mod keyring;
pub mod lock;

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use self::file::FileStore;
use self::index::{Index, SessionMeta};
use self::keyring::{Keyring, KeyringError};
use self::lock::FileLock;
use crate::error::{Error, Result};
use crate::secret::Secret;

pub const DEFAULT_PROFILE: &str = "default";

/// How long to wait for another process holding a session's lock.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(60);

pub use crate::clock::unix_now;

/// A token's fingerprint for the index (which holds no secrets): the first 16 bytes of
/// its SHA-256, in hex.
pub fn token_fingerprint(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The tokens a grant returned, normalised across providers.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenSet {
    pub access_token: Secret,
    /// `Bearer` unless the server said otherwise.
    pub token_type: String,
    pub refresh_token: Option<Secret>,
    /// Unix time; `None` when the server gave no lifetime.
    pub expires_at: Option<u64>,
    /// The granted scopes (the requested ones when the server did not say, RFC 6749 §5.1).
    pub scopes: Vec<String>,
    pub id_token: Option<Secret>,
    /// Provider-specific fields kept as they came (Worksection's `account_url`).
    pub extra: BTreeMap<String, Value>,
    /// Provider-specific secret fields (Onboardbase's `passphrase`).
    pub secret_extra: BTreeMap<String, Secret>,
    /// How `id_token` was checked when it came (`None`: no ID token, or a session
    /// stored before ID tokens were checked).
    pub id_token_check: Option<IdTokenCheck>,
}

/// How an ID token was checked when it was received (OpenID Connect Core 3.1.3.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTokenCheck {
    /// Whether every check passed.
    pub verified: bool,
    /// The signature algorithm and the key that verified it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Where the key came from (the issuer's `jwks_uri`; `client_secret` for HS*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys_from: Option<String>,
    /// The checks that passed, by claim: `signature`, `iss`, `aud`, `exp`, `iat`, …
    #[serde(default)]
    pub checks: Vec<String>,
    /// Why it is not verified (stored anyway with `--no-verify-id-token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// Unix time of the check.
    pub at: u64,
}

impl IdTokenCheck {
    /// One line for people: `verified (RS256, key k1 from URL; iss, aud, …)`.
    pub fn describe(&self) -> String {
        if !self.verified {
            return format!(
                "NOT verified (stored with --no-verify-id-token): {}",
                self.failure.as_deref().unwrap_or("unknown reason")
            );
        }
        let mut how = self.alg.clone().unwrap_or_default();
        if let Some(k) = &self.kid {
            how.push_str(&format!(", key `{k}`"));
        }
        if let Some(f) = &self.keys_from {
            how.push_str(&format!(" from {f}"));
        }
        format!("verified ({how}; checked {})", self.checks.join(", "))
    }
}

/// The grant a session came from, and what is needed to ask for its tokens again.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Grant {
    /// Authorization code (with PKCE): `login`. Sessions stored before grants were
    /// recorded are of this kind.
    #[default]
    AuthorizationCode,
    /// The device authorization grant (RFC 8628): `login --device`.
    DeviceCode,
    /// Resource owner password credentials: `login --password`. The password is never
    /// stored: without a refresh token, only a new login helps.
    Password,
    /// Client credentials: `login --client-credentials`. There is no user and usually no
    /// refresh token: the session is renewed by asking again with the same parameters.
    ClientCredentials {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        audience: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        resource: Vec<String>,
        /// Raw parameters given with `--param`, repeated on renewal.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        params: Vec<(String, String)>,
    },
    /// Token exchange (RFC 8693): `token-exchange --save-as PROFILE`. The subject token
    /// is not kept: without a refresh token, only a new exchange renews the session.
    TokenExchange {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        audience: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        resource: Vec<String>,
        /// The server's `issued_token_type`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        issued_token_type: Option<String>,
    },
    /// A JWT authorization grant (RFC 7523 §2.1): `login --jwt-bearer`. With the key
    /// that signed the assertion (a path, never the key) and its subject, the session
    /// is renewed by signing a new one; a given assertion is not kept.
    JwtBearer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assertion_key: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assertion_sub: Option<String>,
    },
}

impl Grant {
    /// The OAuth `grant_type` value.
    pub fn grant_type(&self) -> &'static str {
        match self {
            Grant::AuthorizationCode => "authorization_code",
            Grant::DeviceCode => crate::provider::DEVICE_CODE_GRANT,
            Grant::Password => "password",
            Grant::ClientCredentials { .. } => "client_credentials",
            Grant::TokenExchange { .. } => "urn:ietf:params:oauth:grant-type:token-exchange",
            Grant::JwtBearer { .. } => "urn:ietf:params:oauth:grant-type:jwt-bearer",
        }
    }

    /// A short name for people: `authorization code`, `device`, …
    pub fn describe(&self) -> &'static str {
        match self {
            Grant::AuthorizationCode => "authorization code",
            Grant::DeviceCode => "device authorization",
            Grant::Password => "password",
            Grant::ClientCredentials { .. } => "client credentials",
            Grant::TokenExchange { .. } => "token exchange",
            Grant::JwtBearer { .. } => "JWT bearer",
        }
    }

    /// The name used in `--json` output and the index.
    pub fn name(&self) -> &'static str {
        match self {
            Grant::AuthorizationCode => "authorization_code",
            Grant::DeviceCode => "device_code",
            Grant::Password => "password",
            Grant::ClientCredentials { .. } => "client_credentials",
            Grant::TokenExchange { .. } => "token_exchange",
            Grant::JwtBearer { .. } => "jwt_bearer",
        }
    }
}

impl TokenSet {
    /// Every secret value the set holds: the access, refresh and ID tokens and the
    /// provider's secret fields (for the redactor).
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        let tokens = [
            Some(&self.access_token),
            self.refresh_token.as_ref(),
            self.id_token.as_ref(),
        ];
        tokens
            .into_iter()
            .flatten()
            .chain(self.secret_extra.values())
            .map(Secret::expose)
    }

    /// The authorization scheme to send the access token with: `Bearer` for any
    /// spelling of it (Worksection answers `bearer`), else the server's token type.
    pub fn scheme(&self) -> String {
        if self.token_type.is_empty() || self.token_type.eq_ignore_ascii_case("bearer") {
            "Bearer".into()
        } else if self.token_type.eq_ignore_ascii_case("dpop") {
            "DPoP".into()
        } else {
            self.token_type.clone()
        }
    }
}

/// One login: the tokens and where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub provider: String,
    pub profile: String,
    pub client_id: Option<String>,
    pub issuer: Option<String>,
    /// Who logged in, where known (an ID token's email, username or subject; the
    /// client_id for client credentials).
    pub subject: Option<String>,
    pub tokens: TokenSet,
    /// Unix time.
    pub obtained_at: u64,
    /// The grant the tokens came from.
    pub grant: Grant,
    /// The private key file that authenticated the client (`private_key_jwt`), so that
    /// refreshes and renewals sign their client assertions with it too. A path, never
    /// the key.
    pub client_assertion_key: Option<String>,
    /// The TLS client certificate the session's client used (mutual TLS, RFC 8705), so
    /// that refreshes and API calls with certificate-bound tokens present it too. Paths,
    /// never the key.
    pub client_cert: Option<CertFiles>,
    /// The DPoP key the tokens are bound to (RFC 9449): kept with them, in the same
    /// keyring entry or file, and deleted with them.
    pub dpop_key: Option<DpopKeyData>,
}

/// A client certificate and its private key, as PEM file paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertFiles {
    pub cert: String,
    pub key: String,
}

/// A session's DPoP private key as it is stored: the algorithm and the PKCS#8 key in
/// base64url (a secret: `Debug` never shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DpopKeyData {
    pub alg: String,
    pub key: Secret,
}

#[derive(Serialize, Deserialize)]
struct DpopKeyRecord {
    alg: String,
    key: String,
}

/// How a session is written down inside the keyring entry or file.
#[derive(Serialize, Deserialize)]
struct Record {
    version: u32,
    provider: String,
    profile: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    token_type: String,
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    extra: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    secret_extra: BTreeMap<String, String>,
    obtained_at: u64,
    /// Absent in records written before grants were recorded: authorization code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grant: Option<Grant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_assertion_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_cert: Option<CertFiles>,
    /// Absent in records written before ID tokens were checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token_check: Option<IdTokenCheck>,
    /// Absent when the tokens are not DPoP-bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dpop_key: Option<DpopKeyRecord>,
}

const RECORD_VERSION: u32 = 1;

impl Session {
    pub fn key(&self) -> SessionKey {
        SessionKey {
            provider: self.provider.clone(),
            profile: self.profile.clone(),
        }
    }

    pub fn refreshable(&self) -> bool {
        self.tokens.refresh_token.is_some()
    }

    /// Whether the session is renewed by asking for a token again (client credentials
    /// without a refresh token) rather than by a refresh.
    pub fn renews_by_asking_again(&self) -> bool {
        let asks_again = match &self.grant {
            Grant::ClientCredentials { .. } => true,
            Grant::JwtBearer {
                assertion_key,
                assertion_sub,
            } => assertion_key.is_some() && assertion_sub.is_some(),
            _ => false,
        };
        asks_again && self.tokens.refresh_token.is_none()
    }

    /// The command that logs this session in again, with the same grant (and client
    /// assertion key).
    pub fn login_command(&self) -> String {
        if let Grant::TokenExchange { .. } = &self.grant {
            // The subject token is the user's to give again.
            return format!(
                "oauthctl token-exchange -p {} --save-as {} --subject-token TOKEN",
                self.provider, self.profile
            );
        }
        let mut cmd = self.key().login_command();
        match &self.grant {
            Grant::AuthorizationCode => {}
            Grant::DeviceCode => cmd.push_str(" --device"),
            Grant::Password => cmd.push_str(" --password"),
            Grant::ClientCredentials { .. } => cmd.push_str(" --client-credentials"),
            Grant::TokenExchange { .. } => {}
            Grant::JwtBearer {
                assertion_key: Some(k),
                assertion_sub: Some(sub),
            } => cmd.push_str(&format!(
                " --jwt-bearer --assertion-key {k} --assertion-sub {sub}"
            )),
            Grant::JwtBearer { .. } => cmd.push_str(" --jwt-bearer --assertion ASSERTION"),
        }
        if let Some(k) = &self.client_assertion_key {
            cmd.push_str(&format!(" --client-assertion-key {k}"));
        }
        if let Some(c) = &self.client_cert {
            cmd.push_str(&format!(" --client-cert {} --client-key {}", c.cert, c.key));
        }
        match self.dpop_key.as_ref().map(|k| k.alg.as_str()) {
            Some("ES256") => cmd.push_str(" --dpop"),
            Some(alg) => cmd.push_str(&format!(" --dpop-alg {alg}")),
            None => {}
        }
        cmd
    }

    /// The session with its access token only: what the kernel keyring cache may hold
    /// (no refresh token, ID token or other secret field).
    pub fn access_only(&self) -> Session {
        let mut s = self.clone();
        s.tokens.refresh_token = None;
        s.tokens.id_token = None;
        s.tokens.secret_extra.clear();
        s
    }

    /// Whether its access token may go to the kernel keyring cache: not when using it
    /// needs a key kept with the session.
    pub fn cacheable(&self) -> bool {
        self.dpop_key.is_none()
    }

    /// The metadata kept in the index.
    pub fn meta(&self, backend: Backend) -> SessionMeta {
        SessionMeta {
            provider: self.provider.clone(),
            profile: self.profile.clone(),
            subject: self.subject.clone(),
            scopes: self.tokens.scopes.clone(),
            expires_at: self.tokens.expires_at,
            refreshable: self.refreshable(),
            backend,
            obtained_at: self.obtained_at,
            client_id: self.client_id.clone(),
            issuer: self.issuer.clone(),
            token_type: self.tokens.token_type.clone(),
            needs_login: None,
            no_refresh_token: None,
            refused_token: None,
            authorization_details: self.tokens.extra.get("authorization_details").cloned(),
            version: None,
        }
    }

    /// The session as the JSON kept in the keyring or the file (a secret).
    pub fn to_blob(&self) -> Result<Secret> {
        let t = &self.tokens;
        let r = Record {
            version: RECORD_VERSION,
            provider: self.provider.clone(),
            profile: self.profile.clone(),
            client_id: self.client_id.clone(),
            issuer: self.issuer.clone(),
            subject: self.subject.clone(),
            token_type: t.token_type.clone(),
            access_token: t.access_token.expose().to_string(),
            refresh_token: t.refresh_token.as_ref().map(|s| s.expose().to_string()),
            id_token: t.id_token.as_ref().map(|s| s.expose().to_string()),
            expires_at: t.expires_at,
            scopes: t.scopes.clone(),
            extra: t.extra.clone(),
            secret_extra: t
                .secret_extra
                .iter()
                .map(|(k, v)| (k.clone(), v.expose().to_string()))
                .collect(),
            obtained_at: self.obtained_at,
            grant: Some(self.grant.clone()),
            client_assertion_key: self.client_assertion_key.clone(),
            client_cert: self.client_cert.clone(),
            id_token_check: t.id_token_check.clone(),
            dpop_key: self.dpop_key.as_ref().map(|k| DpopKeyRecord {
                alg: k.alg.clone(),
                key: k.key.expose().to_string(),
            }),
        };
        serde_json::to_string(&r)
            .map(Secret::new)
            .map_err(|e| Error::internal(format!("cannot encode the session: {e}")))
    }

    /// Reads what `to_blob` wrote; `origin` names where it came from, for errors.
    pub fn from_blob(blob: &Secret, origin: &str) -> Result<Session> {
        let r: Record = serde_json::from_str(blob.expose()).map_err(|e| {
            Error::storage(format!("the session stored in {origin} is damaged: {e}"))
                .with_hint("log in again to replace it")
        })?;
        if r.version > RECORD_VERSION {
            return Err(Error::storage(format!(
                "the session stored in {origin} was written by a newer oauthctl"
            ))
            .with_hint("upgrade oauthctl, or log in again"));
        }
        Ok(Session {
            provider: r.provider,
            profile: r.profile,
            client_id: r.client_id,
            issuer: r.issuer,
            subject: r.subject,
            tokens: TokenSet {
                access_token: Secret::new(r.access_token),
                token_type: r.token_type,
                refresh_token: r.refresh_token.map(Secret::new),
                expires_at: r.expires_at,
                scopes: r.scopes,
                id_token: r.id_token.map(Secret::new),
                extra: r.extra,
                secret_extra: r
                    .secret_extra
                    .into_iter()
                    .map(|(k, v)| (k, Secret::new(v)))
                    .collect(),
                id_token_check: r.id_token_check,
            },
            obtained_at: r.obtained_at,
            grant: r.grant.unwrap_or_default(),
            client_assertion_key: r.client_assertion_key,
            client_cert: r.client_cert,
            dpop_key: r.dpop_key.map(|k| DpopKeyData {
                alg: k.alg,
                key: Secret::new(k.key),
            }),
        })
    }
}

/// Which session: a provider and a profile.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SessionKey {
    pub provider: String,
    pub profile: String,
}

/// Characters that survive in file names as they are; others are %-encoded.
const SLUG: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_');

impl SessionKey {
    /// A key; the profile must be a simple name.
    pub fn new(provider: &str, profile: &str) -> Result<SessionKey> {
        validate_profile(profile)?;
        if provider.is_empty() {
            return Err(Error::usage("the provider name is empty"));
        }
        Ok(SessionKey {
            provider: provider.to_string(),
            profile: profile.to_string(),
        })
    }

    /// `provider+profile`, safe as a file name.
    pub fn slug(&self) -> String {
        format!(
            "{}+{}",
            percent_encoding::utf8_percent_encode(&self.provider, SLUG),
            percent_encoding::utf8_percent_encode(&self.profile, SLUG)
        )
    }

    /// The command that logs this session in (again).
    pub fn login_command(&self) -> String {
        if self.profile == DEFAULT_PROFILE {
            format!("oauthctl login -p {}", self.provider)
        } else {
            format!(
                "oauthctl login -p {} --profile {}",
                self.provider, self.profile
            )
        }
    }

    /// The keyring account name: `provider:profile` (a profile has no `:`).
    pub fn account(&self) -> String {
        format!("{}:{}", self.provider, self.profile)
    }
}

impl std::fmt::Display for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.profile == DEFAULT_PROFILE {
            write!(f, "{}", self.provider)
        } else {
            write!(f, "{} (profile {})", self.provider, self.profile)
        }
    }
}

/// Profile names: letters, digits, `.`, `_` and `-`, up to 64 characters.
pub fn validate_profile(profile: &str) -> Result<()> {
    let ok = !profile.is_empty()
        && profile.len() <= 64
        && profile
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !profile.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(
            Error::usage(format!("invalid profile name `{profile}`")).with_hint(
                "use letters, digits, `.`, `_` and `-` (up to 64 characters), e.g. --profile work",
            ),
        )
    }
}

/// Where a session's secrets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Keyring,
    File,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Keyring => "keyring",
            Backend::File => "file",
        }
    }
}

/// Which backend to write to: `--store auto|keyring|file`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    /// The keyring when reachable, else the file store (with a warning).
    Auto,
    /// The keyring or fail.
    Keyring,
    /// The file store only; the keyring is never touched.
    File,
}

/// The keyring was wanted but the file store was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    pub cause: String,
    pub path: PathBuf,
}

/// What `save` did.
#[derive(Debug, Clone)]
pub struct Saved {
    pub backend: Backend,
    /// Where a file-backed session was written.
    pub path: Option<PathBuf>,
    pub fallback: Option<Fallback>,
}

/// The session store.
pub struct Store {
    pref: Preference,
    dir: PathBuf,
    files: FileStore,
    index: Index,
    keyring: OnceCell<std::result::Result<Keyring, KeyringError>>,
    /// Valid access tokens of keyring sessions, in the kernel keyring (`kcache`).
    cache: Option<kcache::KernelCache>,
    pub keyring_timeout: Duration,
    pub lock_wait: Duration,
}

impl Store {
    /// A store rooted at `dir` (the data directory); nothing is touched yet.
    pub fn new(pref: Preference, dir: PathBuf) -> Store {
        Store {
            pref,
            files: FileStore::new(dir.join("sessions")),
            index: Index::new(dir.join("index.json"), dir.join("locks").join("index.lock")),
            cache: kcache::KernelCache::new(&dir),
            dir,
            keyring: OnceCell::new(),
            keyring_timeout: keyring::DEFAULT_TIMEOUT,
            lock_wait: DEFAULT_LOCK_WAIT,
        }
    }

    /// `$XDG_DATA_HOME/oauthctl` (or the platform's equivalent).
    pub fn default_dir() -> Result<PathBuf> {
        directories::ProjectDirs::from("", "", "oauthctl")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or_else(|| {
                Error::storage("cannot find a data directory for the session store")
                    .with_hint("set HOME (or XDG_DATA_HOME)")
            })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Turns the kernel keyring cache off (`--no-cache`).
    pub fn without_cache(mut self) -> Store {
        self.cache = None;
        self
    }

    /// A keyring session for `token`'s fast path: from the kernel keyring cache when its
    /// entry is the index's version (the access token only: no refresh or ID token),
    /// else from the OS keyring, caching it. File sessions are read as by [`Store::peek`].
    pub fn peek_access(&self, key: &SessionKey) -> Result<Option<(Session, Option<SessionMeta>)>> {
        let meta = self.index.get(key)?;
        let cache = match (&self.cache, meta.as_ref()) {
            (Some(c), Some(m)) if m.backend == Backend::Keyring && m.version.is_some() => c,
            _ => return Ok(self.read(key, meta.as_ref())?.map(|s| (s, meta))),
        };
        let version = meta.as_ref().and_then(|m| m.version.clone());
        if let Some(s) = cache
            .get(key)
            .and_then(|raw| cached(&raw, version.as_deref()))
        {
            return Ok(Some((s, meta)));
        }
        let session = self.read(key, meta.as_ref())?;
        if let (Some(s), Some(v)) = (&session, &version) {
            self.cache_put(s, v);
        }
        Ok(session.map(|s| (s, meta)))
    }

    /// Caches `session`'s access token under `version` for its remaining lifetime (a
    /// token without a known expiry, or a session bound to a proof key, is not cached).
    fn cache_put(&self, session: &Session, version: &str) {
        let Some(cache) = &self.cache else { return };
        let key = session.key();
        let ttl = session
            .tokens
            .expires_at
            .map(|e| e.saturating_sub(unix_now()))
            .unwrap_or(0);
        if ttl == 0 || !session.cacheable() {
            cache.remove(&key);
            return;
        }
        match session.access_only().to_blob() {
            Ok(blob) => {
                let entry = serde_json::json!({ "version": version, "session": blob.expose() });
                cache.put(&key, entry.to_string().as_bytes(), ttl);
            }
            Err(_) => cache.remove(&key),
        }
    }

    fn cache_remove(&self, key: &SessionKey) {
        if let Some(c) = &self.cache {
            c.remove(key);
        }
    }

    pub fn preference(&self) -> Preference {
        self.pref
    }

    pub fn index_path(&self) -> &Path {
        self.index.path()
    }

    pub fn file_path(&self, key: &SessionKey) -> PathBuf {
        self.files.path(key)
    }

    /// Every session's metadata, from the index (never unlocks the keyring).
    pub fn list(&self) -> Result<Vec<SessionMeta>> {
        self.index.list()
    }

    /// Takes the session's cross-process lock.
    pub fn lock(&self, key: &SessionKey) -> Result<SessionGuard<'_>> {
        let path = self.dir.join("locks").join(format!("{}.lock", key.slug()));
        let lock = FileLock::acquire(&path, self.lock_wait)?;
        Ok(SessionGuard {
            store: self,
            key: key.clone(),
            _lock: lock,
        })
    }

    /// Reads a session without taking its lock: writes are atomic renames (files) or
    /// single calls (keyring), so a reader sees the old or the new session, never half.
    /// Returns the session with its index entry. This is `token`'s fast path.
    pub fn peek(&self, key: &SessionKey) -> Result<Option<(Session, Option<SessionMeta>)>> {
        let meta = self.index.get(key)?;
        Ok(self
            .read(key, meta.as_ref())?
            .map(|session| (session, meta)))
    }

    /// Reads a session from wherever its index entry says it is kept.
    fn read(&self, key: &SessionKey, meta: Option<&SessionMeta>) -> Result<Option<Session>> {
        let backend = match meta {
            Some(m) => m.backend,
            // Not indexed: a file may still be there; the keyring only when asked for.
            None if self.pref == Preference::Keyring => Backend::Keyring,
            None => Backend::File,
        };
        match backend {
            Backend::File => {
                let path = self.files.path(key);
                match self.files.get(key)? {
                    Some(blob) => Ok(Some(Session::from_blob(
                        &blob,
                        &path.display().to_string(),
                    )?)),
                    None => Ok(None),
                }
            }
            Backend::Keyring => {
                let kr = self
                    .keyring()
                    .map_err(|e| self.keyring_error("read the session from", e))?;
                match kr.get(&key.account()) {
                    Ok(Some(blob)) => Ok(Some(Session::from_blob(&blob, "the OS keyring")?)),
                    Ok(None) => Ok(None),
                    Err(e) => Err(self.keyring_error("read the session from", &e)),
                }
            }
        }
    }

    /// Loads a session (taking its lock for the read).
    pub fn load(&self, key: &SessionKey) -> Result<Option<Session>> {
        self.lock(key)?.load()
    }

    /// Saves a session (taking its lock for the write).
    pub fn save(&self, session: &Session) -> Result<Saved> {
        self.lock(&session.key())?.save(session)
    }

    /// See [`SessionGuard::mark_no_refresh_token`].
    pub fn mark_no_refresh_token(&self, key: &SessionKey, why: &str) -> Result<()> {
        self.lock(key)?.mark_no_refresh_token(why)
    }

    fn keyring(&self) -> std::result::Result<&Keyring, &KeyringError> {
        self.keyring
            .get_or_init(|| Keyring::connect(self.keyring_timeout))
            .as_ref()
    }

    fn keyring_error(&self, doing: &str, e: &KeyringError) -> Error {
        let hint = format!(
            "start a Secret Service (GNOME Keyring, KeePassXC) and unlock it, or use the file store: --store file (OAUTHCTL_STORE=file) keeps sessions in {}",
            self.files.dir().display()
        );
        match e {
            KeyringError::Timeout(_) => {
                Error::timeout(format!("cannot {doing} the OS keyring: {e}"))
            }
            _ => Error::storage(format!("cannot {doing} the OS keyring: {e}")),
        }
        .with_hint(hint)
    }
}

/// A locked session: read, write or delete it while no other process can.
pub struct SessionGuard<'a> {
    store: &'a Store,
    key: SessionKey,
    _lock: FileLock,
}

impl SessionGuard<'_> {
    pub fn key(&self) -> &SessionKey {
        &self.key
    }

    /// The index entry of this session.
    pub fn meta(&self) -> Result<Option<SessionMeta>> {
        self.store.index.get(&self.key)
    }

    /// Reads the session from wherever the index says it is kept.
    pub fn load(&self) -> Result<Option<Session>> {
        self.store.read(&self.key, self.meta()?.as_ref())
    }

    /// Marks the session as needing a new login (a refresh was refused), keeping its
    /// tokens: `status` shows it and `token` says so without asking the server again.
    pub fn mark_needs_login(&self, reason: &str) -> Result<()> {
        if let Some(mut meta) = self.meta()? {
            meta.needs_login = Some(reason.to_string());
            self.store.index.put(meta, self.store.lock_wait)?;
        }
        Ok(())
    }

    /// Notes in the index that a client refused this access token (`git-credential
    /// erase`), when it is still the session's token: the next request for a token
    /// renews the session first. Returns whether it was marked.
    pub fn mark_refused(&self, access_token: &str) -> Result<bool> {
        let current = match self.load()? {
            Some(s) => s,
            None => return Ok(false),
        };
        if current.tokens.access_token.expose() != access_token {
            return Ok(false);
        }
        match self.meta()? {
            Some(mut meta) => {
                meta.refused_token = Some(token_fingerprint(access_token));
                self.store.index.put(meta, self.store.lock_wait)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Notes in the index why the session has no refresh token although one was asked
    /// for (`offline_access`): `status` shows it.
    pub fn mark_no_refresh_token(&self, why: &str) -> Result<()> {
        if let Some(mut meta) = self.meta()? {
            meta.no_refresh_token = Some(why.to_string());
            self.store.index.put(meta, self.store.lock_wait)?;
        }
        Ok(())
    }

    /// Writes the session's secrets, then its index entry. With `--store auto`, a keyring
    /// that cannot be reached or written falls back to the file store (see `Saved`).
    pub fn save(&self, session: &Session) -> Result<Saved> {
        if session.key() != self.key {
            return Err(Error::internal(
                "saving a session under another session's lock",
            ));
        }
        let blob = session.to_blob()?;
        let previous = self.meta()?.map(|m| m.backend);
        let mut fallback = None;
        let backend = match self.store.pref {
            Preference::File => Backend::File,
            Preference::Keyring => {
                let kr = self
                    .store
                    .keyring()
                    .map_err(|e| self.store.keyring_error("store the session in", e))?;
                kr.set(&self.key.account(), &label(&self.key), &blob)
                    .map_err(|e| self.store.keyring_error("store the session in", &e))?;
                Backend::Keyring
            }
            Preference::Auto => {
                let stored = match self.store.keyring() {
                    Ok(kr) => kr
                        .set(&self.key.account(), &label(&self.key), &blob)
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                match stored {
                    Ok(()) => Backend::Keyring,
                    Err(cause) => {
                        fallback = Some(Fallback {
                            cause,
                            path: self.store.files.path(&self.key),
                        });
                        Backend::File
                    }
                }
            }
        };
        let mut path = None;
        if backend == Backend::File {
            self.store.files.set(&self.key, &blob)?;
            path = Some(self.store.files.path(&self.key));
        }
        let mut meta = session.meta(backend);
        let version = kcache_version();
        meta.version = Some(version.clone());
        // The old entry is stale from here on; the new one goes in once the index says so.
        self.store.cache_remove(&self.key);
        self.store.index.put(meta, self.store.lock_wait)?;
        if backend == Backend::Keyring {
            self.store.cache_put(session, &version);
        }
        // The copy in the other backend is stale now: remove it (best effort).
        match (previous, backend) {
            (Some(Backend::File), Backend::Keyring) => {
                let _ = self.store.files.delete(&self.key);
            }
            (Some(Backend::Keyring), Backend::File) => {
                if let Ok(kr) = self.store.keyring() {
                    let _ = kr.delete(&self.key.account());
                }
            }
            _ => {}
        }
        Ok(Saved {
            backend,
            path,
            fallback,
        })
    }

    /// Deletes the session's secrets and its index entry; returns where it was kept,
    /// `None` when there was no session.
    pub fn delete(&self) -> Result<Option<Backend>> {
        self.store.cache_remove(&self.key);
        let meta = self.meta()?;
        let mut found = None;
        let backend = meta.as_ref().map(|m| m.backend);
        if backend == Some(Backend::Keyring)
            || (backend.is_none() && self.store.pref == Preference::Keyring)
        {
            let kr = self
                .store
                .keyring()
                .map_err(|e| self.store.keyring_error("delete the session from", e))?;
            if kr
                .delete(&self.key.account())
                .map_err(|e| self.store.keyring_error("delete the session from", &e))?
            {
                found = Some(Backend::Keyring);
            }
        }
        if self.store.files.delete(&self.key)? && found.is_none() {
            found = Some(Backend::File);
        }
        if self.store.index.remove(&self.key, self.store.lock_wait)? && found.is_none() {
            found = backend;
        }
        Ok(found)
    }
}

/// A new session version for the index (random: two saves in the same second differ).
fn kcache_version() -> String {
    let v: u64 = rand::random();
    format!("{v:016x}")
}

/// The session of a kernel cache entry, when it is of `version`.
fn cached(raw: &[u8], version: Option<&str>) -> Option<Session> {
    let v: serde_json::Value = serde_json::from_slice(raw).ok()?;
    if version.is_none() || v["version"].as_str() != version {
        return None;
    }
    let blob = Secret::new(v["session"].as_str()?.to_string());
    Session::from_blob(&blob, "the kernel keyring cache").ok()
}

fn label(key: &SessionKey) -> String {
    format!("oauthctl session: {key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(provider: &str, profile: &str) -> Session {
        Session {
            provider: provider.into(),
            profile: profile.into(),
            client_id: Some("cid".into()),
            issuer: None,
            subject: Some("alice".into()),
            tokens: TokenSet {
                access_token: Secret::new("at-1"),
                token_type: "Bearer".into(),
                refresh_token: Some(Secret::new("rt-1")),
                expires_at: Some(2_000_000_000),
                scopes: vec!["a".into(), "b".into()],
                id_token: None,
                extra: BTreeMap::from([("account_url".into(), Value::from("https://x"))]),
                secret_extra: BTreeMap::from([("passphrase".into(), Secret::new("pp"))]),
                id_token_check: None,
            },
            obtained_at: 1_900_000_000,
            grant: Grant::default(),
            client_assertion_key: None,
            client_cert: None,
            dpop_key: None,
        }
    }

    #[test]
    fn records_without_a_grant_are_authorization_code_and_grants_round_trip() {
        // A record as written before grants were recorded.
        let old = r#"{"version":1,"provider":"hub","profile":"default","token_type":"Bearer","access_token":"at","obtained_at":5}"#;
        let s = Session::from_blob(&Secret::new(old), "test").unwrap();
        assert_eq!(s.grant, Grant::AuthorizationCode);
        assert_eq!(s.client_assertion_key, None);
        let mut s = sample("oidc", "default");
        s.grant = Grant::ClientCredentials {
            audience: Some("api".into()),
            resource: vec!["https://r".into()],
            params: vec![("k".into(), "v".into())],
        };
        s.client_assertion_key = Some("/keys/client.pem".into());
        let blob = s.to_blob().unwrap();
        assert!(blob
            .expose()
            .contains(r#""grant":{"type":"client_credentials","audience":"api""#));
        assert_eq!(Session::from_blob(&blob, "test").unwrap(), s);
    }

    #[test]
    fn blob_round_trips_and_debug_hides_tokens() {
        let s = sample("hub", "default");
        let blob = s.to_blob().unwrap();
        assert!(blob.expose().contains("at-1"));
        assert_eq!(Session::from_blob(&blob, "test").unwrap(), s);
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("at-1") && !dbg.contains("rt-1") && !dbg.contains("\"pp\""));
    }

    /// A record of a later format is refused (a newer oauthctl wrote it), not misread; one
    /// of the current format is read.
    #[test]
    fn a_record_from_a_newer_oauthctl_is_refused() {
        let blob = sample("hub", "default").to_blob().unwrap();
        let mut v: serde_json::Value = serde_json::from_str(blob.expose()).unwrap();
        assert_eq!(v["version"], RECORD_VERSION);
        v["version"] = (RECORD_VERSION + 1).into();
        let newer = Secret::new(v.to_string());
        let e = Session::from_blob(&newer, "the keyring").unwrap_err();
        assert!(
            e.message
                .contains("the session stored in the keyring was written by a newer oauthctl"),
            "{}",
            e.message
        );
        assert_eq!(e.exit_code(), 8);
        assert!(Session::from_blob(&blob, "the keyring").is_ok());
    }

    #[test]
    fn file_store_saves_loads_lists_and_deletes() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(Preference::File, tmp.path().join("data"));
        let s = sample("hub", "work");
        let saved = store.save(&s).unwrap();
        assert_eq!(saved.backend, Backend::File);
        assert!(saved.fallback.is_none());
        assert_eq!(store.load(&s.key()).unwrap(), Some(s.clone()));
        let list = store.list().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].subject.as_deref(), Some("alice"));
        assert!(list[0].refreshable);
        let index = std::fs::read_to_string(store.index_path()).unwrap();
        assert!(!index.contains("at-1") && !index.contains("rt-1") && !index.contains("pp"));
        let g = store.lock(&s.key()).unwrap();
        assert_eq!(g.delete().unwrap(), Some(Backend::File));
        assert_eq!(g.load().unwrap(), None);
        assert_eq!(g.delete().unwrap(), None);
        drop(g);
        assert!(store.list().unwrap().is_empty());
    }

    #[test]
    fn keys_and_profiles() {
        let k = SessionKey::new("my provider", "work-1").unwrap();
        assert_eq!(k.slug(), "my%20provider+work-1");
        assert_eq!(k.account(), "my provider:work-1");
        assert!(SessionKey::new("hub", "../x").is_err());
        assert!(SessionKey::new("hub", "a:b").is_err());
        assert!(SessionKey::new("hub", "").is_err());
        assert_eq!(
            SessionKey::new("hub", "default").unwrap().to_string(),
            "hub"
        );
    }
}
