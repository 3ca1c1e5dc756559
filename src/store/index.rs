//! The index: non-secret metadata of every session, so that `status` lists sessions
//! without unlocking the keyring or reading a token.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::file::{read_private, write_private};
use super::lock::FileLock;
use super::{Backend, SessionKey};
use crate::error::{Error, Result};

/// What `status` shows about a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMeta {
    pub provider: String,
    pub profile: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Unix time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    #[serde(default)]
    pub refreshable: bool,
    pub backend: Backend,
    /// Unix time.
    pub obtained_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(default)]
    pub token_type: String,
    /// Why the session can no longer be refreshed (e.g. `invalid_grant`), when a refresh
    /// was refused: the tokens are kept, but only a new login helps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_login: Option<String>,
    /// Why no refresh token came back although `offline_access` was requested (set by
    /// `login`): `status` says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_refresh_token: Option<String>,
    /// The fingerprint ([`super::token_fingerprint`]) of an access token a client said
    /// was refused (`git-credential erase`): the next request for a token renews the
    /// session first instead of handing out the same one. Cleared by the next save.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused_token: Option<String>,
    /// The `authorization_details` the server granted (RFC 9396): authorization data,
    /// not a secret, so `status` shows it without unlocking the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<serde_json::Value>,
    /// Changes at every save: a kernel keyring cache entry of another version is stale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl SessionMeta {
    pub fn key(&self) -> SessionKey {
        SessionKey {
            provider: self.provider.clone(),
            profile: self.profile.clone(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    #[serde(default)]
    sessions: Vec<SessionMeta>,
}

const VERSION: u32 = 1;

/// `<data dir>/index.json`, updated under its own lock.
#[derive(Debug, Clone)]
pub struct Index {
    path: PathBuf,
    lock_path: PathBuf,
}

impl Index {
    pub fn new(path: PathBuf, lock_path: PathBuf) -> Self {
        Index { path, lock_path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every session, sorted by provider and profile. Writes are atomic renames, so
    /// reading needs no lock.
    pub fn list(&self) -> Result<Vec<SessionMeta>> {
        let Some(text) = read_private(&self.path)? else {
            return Ok(Vec::new());
        };
        let file: IndexFile = serde_json::from_str(&text).map_err(|e| {
            Error::storage(format!(
                "the session index {} is damaged: {e}",
                self.path.display()
            ))
            .with_hint(format!(
                "delete it (`rm {}`); sessions stay stored but must be logged in again to be listed",
                self.path.display()
            ))
        })?;
        if file.version > VERSION {
            return Err(Error::storage(format!(
                "the session index {} was written by a newer oauthctl (format {})",
                self.path.display(),
                file.version
            ))
            .with_hint("upgrade oauthctl"));
        }
        let mut s = file.sessions;
        s.sort_by(|a, b| (&a.provider, &a.profile).cmp(&(&b.provider, &b.profile)));
        Ok(s)
    }

    pub fn get(&self, key: &SessionKey) -> Result<Option<SessionMeta>> {
        Ok(self
            .list()?
            .into_iter()
            .find(|m| m.provider == key.provider && m.profile == key.profile))
    }

    /// Inserts or replaces the entry of `meta`'s session.
    pub fn put(&self, meta: SessionMeta, wait: Duration) -> Result<()> {
        self.update(wait, |list| {
            list.retain(|m| !(m.provider == meta.provider && m.profile == meta.profile));
            list.push(meta);
        })
    }

    /// Removes a session's entry; `false` when there was none.
    pub fn remove(&self, key: &SessionKey, wait: Duration) -> Result<bool> {
        let mut removed = false;
        self.update(wait, |list| {
            let before = list.len();
            list.retain(|m| !(m.provider == key.provider && m.profile == key.profile));
            removed = list.len() != before;
        })?;
        Ok(removed)
    }

    fn update(&self, wait: Duration, f: impl FnOnce(&mut Vec<SessionMeta>)) -> Result<()> {
        let _lock = FileLock::acquire(&self.lock_path, wait)?;
        let mut list = self.list()?;
        f(&mut list);
        list.sort_by(|a, b| (&a.provider, &a.profile).cmp(&(&b.provider, &b.profile)));
        let file = IndexFile {
            version: VERSION,
            sessions: list,
        };
        let mut text = serde_json::to_string_pretty(&file)
            .map_err(|e| Error::internal(format!("cannot encode the session index: {e}")))?;
        text.push('\n');
        write_private(&self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(p: &str, profile: &str) -> SessionMeta {
        SessionMeta {
            provider: p.into(),
            profile: profile.into(),
            subject: None,
            scopes: vec!["a".into()],
            expires_at: Some(10),
            refreshable: true,
            backend: Backend::File,
            obtained_at: 1,
            client_id: None,
            issuer: None,
            token_type: "Bearer".into(),
            needs_login: None,
            no_refresh_token: None,
            refused_token: None,
            authorization_details: None,
            version: None,
        }
    }

    #[test]
    fn put_replaces_and_remove_deletes() {
        let tmp = tempfile::tempdir().unwrap();
        let idx = Index::new(
            tmp.path().join("index.json"),
            tmp.path().join("l/index.lock"),
        );
        assert!(idx.list().unwrap().is_empty());
        let w = Duration::from_secs(1);
        idx.put(meta("hub", "default"), w).unwrap();
        idx.put(meta("chatwork", "default"), w).unwrap();
        let mut m = meta("hub", "default");
        m.subject = Some("alice".into());
        idx.put(m, w).unwrap();
        let l = idx.list().unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].provider, "chatwork");
        assert_eq!(l[1].subject.as_deref(), Some("alice"));
        let key = SessionKey::new("hub", "default").unwrap();
        assert!(idx.remove(&key, w).unwrap());
        assert!(!idx.remove(&key, w).unwrap());
        assert_eq!(idx.list().unwrap().len(), 1);
    }
}
