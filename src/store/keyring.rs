//! The OS keyring, through `keyring-core` and the platform's credential store: the
//! Secret Service over D-Bus (pure Rust, `zbus`) on Linux and the BSDs, the Keychain on
//! macOS, the Credential Manager on Windows.
//!
//! Every call runs on its own thread and is abandoned after a timeout: a Secret Service
//! that never answers (a locked collection waiting on a prompt nobody sees, a wedged
//! daemon) must not hang oauthctl. Calls are synchronous and never made from inside the
//! async runtime.

use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use keyring_core::api::CredentialStore;

use crate::secret::Secret;

/// The keyring service name of every oauthctl entry.
pub const SERVICE: &str = "oauthctl";

/// How long one keyring operation may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a keyring operation failed, in words fit for a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyringError {
    /// No keyring to talk to: no session bus, no Secret Service, no platform support.
    Unreachable(String),
    /// The keyring did not answer in time.
    Timeout(Duration),
    /// The keyring answered with an error.
    Failed(String),
}

impl std::fmt::Display for KeyringError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyringError::Unreachable(c) => write!(f, "{c}"),
            KeyringError::Timeout(d) => write!(
                f,
                "the keyring did not answer within {}",
                humantime::format_duration(*d)
            ),
            KeyringError::Failed(c) => write!(f, "{c}"),
        }
    }
}

/// A connected keyring.
#[derive(Clone)]
pub struct Keyring {
    store: Arc<CredentialStore>,
    timeout: Duration,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("vendor", &self.store.vendor())
            .finish()
    }
}

/// Runs `f` on a fresh thread; gives up waiting after `timeout` (the thread is left to
/// finish or die with the process).
fn with_timeout<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce() -> Result<T, KeyringError> + Send + 'static,
) -> Result<T, KeyringError> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("oauthctl-keyring".into())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| KeyringError::Failed(format!("cannot start a thread: {e}")))?;
    match rx.recv_timeout(timeout) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(KeyringError::Timeout(timeout)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(KeyringError::Failed(
            "the keyring library failed unexpectedly".into(),
        )),
    }
}

fn describe(e: &keyring_core::Error) -> String {
    use keyring_core::Error as E;
    match e {
        E::PlatformFailure(p) | E::NoStorageAccess(p) => {
            // Platform errors nest their cause; show the whole chain on one line.
            let mut s = p.to_string();
            let mut src = p.source();
            while let Some(c) = src {
                let t = c.to_string();
                if !s.contains(&t) {
                    s.push_str(": ");
                    s.push_str(&t);
                }
                src = c.source();
            }
            s
        }
        other => other.to_string(),
    }
}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
fn platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        // zbus falls back to $XDG_RUNTIME_DIR/bus; say so when that is missing too.
        if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR") {
            let socket = std::path::PathBuf::from(runtime).join("bus");
            if !socket.exists() {
                return Err(KeyringError::Unreachable(format!(
                    "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and {} does not exist)",
                    socket.display()
                )));
            }
        }
    }
    let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| {
        KeyringError::Unreachable(format!(
            "no Secret Service on the session bus: {}",
            describe(&e)
        ))
    })?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    let store = apple_native_keyring_store::keychain::Store::new()
        .map_err(|e| KeyringError::Unreachable(format!("the macOS Keychain: {}", describe(&e))))?;
    Ok(store)
}

#[cfg(windows)]
fn platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    let store = windows_native_keyring_store::Store::new().map_err(|e| {
        KeyringError::Unreachable(format!("the Windows Credential Manager: {}", describe(&e)))
    })?;
    Ok(store)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    windows
)))]
fn platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Err(KeyringError::Unreachable(
        "oauthctl has no OS keyring support on this platform".into(),
    ))
}

impl Keyring {
    /// Connects to the platform's keyring.
    pub fn connect(timeout: Duration) -> Result<Keyring, KeyringError> {
        let store = with_timeout(timeout, platform_store).map_err(|e| match e {
            KeyringError::Timeout(d) => KeyringError::Unreachable(format!(
                "the Secret Service did not answer within {}",
                humantime::format_duration(d)
            )),
            other => other,
        })?;
        Ok(Keyring { store, timeout })
    }

    fn entry(
        store: &Arc<CredentialStore>,
        user: &str,
        label: Option<&str>,
    ) -> Result<keyring_core::Entry, KeyringError> {
        #[cfg(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "openbsd",
            target_os = "netbsd"
        ))]
        if let Some(l) = label {
            let mods = std::collections::HashMap::from([("label", l)]);
            return store
                .build(SERVICE, user, Some(&mods))
                .map_err(|e| KeyringError::Failed(describe(&e)));
        }
        let _ = label;
        store
            .build(SERVICE, user, None)
            .map_err(|e| KeyringError::Failed(describe(&e)))
    }

    /// The secret stored under `user`, or `None`.
    pub fn get(&self, user: &str) -> Result<Option<Secret>, KeyringError> {
        let store = self.store.clone();
        let user = user.to_string();
        with_timeout(self.timeout, move || {
            let entry = Self::entry(&store, &user, None)?;
            match entry.get_password() {
                Ok(p) => Ok(Some(Secret::new(p))),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(KeyringError::Failed(describe(&e))),
            }
        })
    }

    /// Stores (or replaces) the secret under `user`.
    pub fn set(&self, user: &str, label: &str, secret: &Secret) -> Result<(), KeyringError> {
        let store = self.store.clone();
        let user = user.to_string();
        let label = label.to_string();
        let value = secret.clone();
        with_timeout(self.timeout, move || {
            let entry = Self::entry(&store, &user, Some(&label))?;
            entry
                .set_password(value.expose())
                .map_err(|e| KeyringError::Failed(describe(&e)))
        })
    }

    /// Deletes the secret under `user`; `false` when there was none.
    pub fn delete(&self, user: &str) -> Result<bool, KeyringError> {
        let store = self.store.clone();
        let user = user.to_string();
        with_timeout(self.timeout, move || {
            let entry = Self::entry(&store, &user, None)?;
            match entry.delete_credential() {
                Ok(()) => Ok(true),
                Err(keyring_core::Error::NoEntry) => Ok(false),
                Err(e) => Err(KeyringError::Failed(describe(&e))),
            }
        })
    }

    pub fn vendor(&self) -> String {
        self.store.vendor()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_that_never_returns_times_out() {
        let r: Result<(), _> = with_timeout(Duration::from_millis(30), || {
            std::thread::sleep(Duration::from_secs(5));
            Ok(())
        });
        assert_eq!(r, Err(KeyringError::Timeout(Duration::from_millis(30))));
    }
}
