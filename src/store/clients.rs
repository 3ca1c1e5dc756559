//! Client secrets of dynamically registered clients (`oauthctl register`).
//!
//! The client_id goes to the config file (it is not a secret); the secret is kept like
//! a session's tokens: in the OS keyring, or in a 0600 file. Either way a small 0600
//! record `<data dir>/clients/<provider>.json` says which client the secret belongs to
//! and where it is, so that resolving a provider never touches the keyring unless a
//! secret was stored there:
//!
//! ```text
//! {"version":1,"provider":"oidc","client_id":"mock-abc","backend":"keyring","stored_at":…}
//! {"version":1,"provider":"oidc","client_id":"mock-abc","backend":"file","client_secret":"…",…}
//! ```
//!
//! A secret is used only for the client it was issued to: when the configured
//! `client_id` changes, the stored secret is ignored.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::file::{read_private, remove, write_private};
use super::lock::FileLock;
use super::{unix_now, Backend, Fallback, Preference, Store, SLUG};
use crate::error::{Error, Result};
use crate::secret::Secret;

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Record {
    version: u32,
    provider: String,
    client_id: String,
    backend: Backend,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    stored_at: u64,
}

/// Where `save_client_secret` put the secret.
#[derive(Debug, Clone)]
pub struct SavedClient {
    pub backend: Backend,
    /// The record (and, for the file backend, the secret) file.
    pub path: PathBuf,
    pub fallback: Option<Fallback>,
}

impl SavedClient {
    /// The warning to give when the secret went to a file because the OS keyring was
    /// not reachable.
    pub fn fallback_warning(&self) -> Option<String> {
        self.fallback.as_ref().map(|f| format!(
            "the OS keyring is not reachable ({}); the client secret is stored in the file {} (readable only by you) instead. Use --store file to choose files, or --store keyring to require the keyring",
            f.cause,
            f.path.display()
        ))
    }
}

fn slug(provider: &str) -> String {
    percent_encoding::utf8_percent_encode(provider, SLUG).to_string()
}

/// The keyring account of a provider's client secret. It never contains `:`, and every
/// session account (`provider:profile`) does, so the two never collide.
fn account(provider: &str) -> String {
    format!("client-secret@{}", slug(provider))
}

fn label(provider: &str) -> String {
    format!("oauthctl client secret: {provider}")
}

impl Store {
    /// `<data dir>/clients/<provider>.json`.
    pub fn client_record_path(&self, provider: &str) -> PathBuf {
        self.dir
            .join("clients")
            .join(format!("{}.json", slug(provider)))
    }

    fn client_lock(&self, provider: &str) -> Result<FileLock> {
        let path = self
            .dir
            .join("locks")
            .join(format!("client+{}.lock", slug(provider)));
        FileLock::acquire(&path, self.lock_wait)
    }

    fn read_client_record(&self, provider: &str) -> Result<Option<Record>> {
        let path = self.client_record_path(provider);
        let Some(text) = read_private(&path)? else {
            return Ok(None);
        };
        let r: Record = serde_json::from_str(&text).map_err(|e| {
            Error::storage(format!(
                "the client record {} is damaged: {e}",
                path.display()
            ))
            .with_hint(format!(
                "delete it (`rm {}`) and register the client again, or set client_secret_env in the config file",
                path.display()
            ))
        })?;
        if r.version > VERSION {
            return Err(Error::storage(format!(
                "the client record {} was written by a newer oauthctl",
                path.display()
            ))
            .with_hint("upgrade oauthctl"));
        }
        Ok(Some(r))
    }

    /// Stores the secret of `client_id` for `provider`, replacing any earlier one: in the
    /// keyring or the file store as `--store` says (auto falls back to the file).
    pub fn save_client_secret(
        &self,
        provider: &str,
        client_id: &str,
        secret: &Secret,
    ) -> Result<SavedClient> {
        let _lock = self.client_lock(provider)?;
        let previous = self.read_client_record(provider).ok().flatten();
        let path = self.client_record_path(provider);
        let to_keyring =
            |kr: &super::keyring::Keyring| kr.set(&account(provider), &label(provider), secret);
        let mut fallback = None;
        let backend = match self.pref {
            Preference::File => Backend::File,
            Preference::Keyring => {
                let kr = self
                    .keyring()
                    .map_err(|e| self.keyring_error("store the client secret in", e))?;
                to_keyring(kr).map_err(|e| self.keyring_error("store the client secret in", &e))?;
                Backend::Keyring
            }
            Preference::Auto => {
                let stored = match self.keyring() {
                    Ok(kr) => to_keyring(kr).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                match stored {
                    Ok(()) => Backend::Keyring,
                    Err(cause) => {
                        fallback = Some(Fallback {
                            cause,
                            path: path.clone(),
                        });
                        Backend::File
                    }
                }
            }
        };
        let record = Record {
            version: VERSION,
            provider: provider.to_string(),
            client_id: client_id.to_string(),
            backend,
            client_secret: (backend == Backend::File).then(|| secret.expose().to_string()),
            stored_at: unix_now(),
        };
        let text = serde_json::to_string(&record)
            .map_err(|e| Error::internal(format!("cannot encode the client record: {e}")))?;
        write_private(&path, text.as_bytes())?;
        // A secret of an earlier client left in the keyring is stale now.
        if backend == Backend::File && previous.is_some_and(|p| p.backend == Backend::Keyring) {
            if let Ok(kr) = self.keyring() {
                let _ = kr.delete(&account(provider));
            }
        }
        Ok(SavedClient {
            backend,
            path,
            fallback,
        })
    }

    /// The stored secret of `client_id` for `provider`; `None` when there is none, or
    /// when the stored one belongs to another client.
    pub fn load_client_secret(&self, provider: &str, client_id: &str) -> Result<Option<Secret>> {
        let Some(r) = self.read_client_record(provider)? else {
            return Ok(None);
        };
        if r.client_id != client_id {
            return Ok(None);
        }
        match r.backend {
            Backend::File => Ok(r.client_secret.map(Secret::new)),
            Backend::Keyring => {
                let kr = self
                    .keyring()
                    .map_err(|e| self.keyring_error("read the client secret from", e))?;
                kr.get(&account(provider))
                    .map_err(|e| self.keyring_error("read the client secret from", &e))
            }
        }
    }

    /// Whether a secret is stored for `client_id` of `provider` (no keyring access).
    pub fn has_client_secret(&self, provider: &str, client_id: &str) -> bool {
        matches!(self.read_client_record(provider), Ok(Some(r)) if r.client_id == client_id)
    }

    /// Stores the secret of a provider's newly registered client; for a public client
    /// (`None`), deletes the secret stored for an earlier one, which is of no use now.
    pub fn replace_client_secret(
        &self,
        provider: &str,
        client_id: &str,
        secret: Option<&Secret>,
    ) -> Result<Option<SavedClient>> {
        match secret {
            Some(s) => self.save_client_secret(provider, client_id, s).map(Some),
            None => {
                let _ = self.delete_client_secret(provider);
                Ok(None)
            }
        }
    }

    /// Deletes a provider's stored client secret; `false` when there was none.
    pub fn delete_client_secret(&self, provider: &str) -> Result<bool> {
        let _lock = self.client_lock(provider)?;
        let record = self.read_client_record(provider).ok().flatten();
        if record
            .as_ref()
            .is_some_and(|r| r.backend == Backend::Keyring)
        {
            let kr = self
                .keyring()
                .map_err(|e| self.keyring_error("delete the client secret from", e))?;
            kr.delete(&account(provider))
                .map_err(|e| self.keyring_error("delete the client secret from", &e))?;
        }
        remove(&self.client_record_path(provider))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_backend_round_trip_and_client_id_match() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(Preference::File, tmp.path().join("data"));
        assert_eq!(store.load_client_secret("oidc", "c1").unwrap(), None);
        let saved = store
            .save_client_secret("oidc", "c1", &Secret::new("s3cret-1"))
            .unwrap();
        assert_eq!(saved.backend, Backend::File);
        assert!(saved.fallback.is_none());
        assert_eq!(
            store
                .load_client_secret("oidc", "c1")
                .unwrap()
                .map(|s| s.expose().to_string()),
            Some("s3cret-1".into())
        );
        // Another client_id: the stored secret is not used.
        assert_eq!(store.load_client_secret("oidc", "c2").unwrap(), None);
        assert!(store.has_client_secret("oidc", "c1"));
        assert!(!store.has_client_secret("oidc", "c2"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&saved.path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert!(store.delete_client_secret("oidc").unwrap());
        assert!(!store.delete_client_secret("oidc").unwrap());
        assert_eq!(store.load_client_secret("oidc", "c1").unwrap(), None);
    }

    #[test]
    fn accounts_never_look_like_session_accounts() {
        assert_eq!(account("oidc"), "client-secret@oidc");
        assert!(!account("a:b").contains(':'));
        assert_eq!(
            Store::new(Preference::File, PathBuf::from("/d"))
                .client_record_path("my app")
                .to_string_lossy(),
            "/d/clients/my%20app.json"
        );
    }
}
