//! A cache of valid access tokens in the Linux kernel keyring (keyutils), in front of
//! the Secret Service: reading a session from GNOME Keyring or KWallet is a D-Bus round
//! trip (~14 ms); reading a kernel key is two system calls.
//!
//! What it holds: one `user` key per session kept in the OS keyring, in the user's kernel
//! keyring, with the session's access token and what `token`/`header` print with it —
//! never a refresh token, an ID token, a client secret or a DPoP key (the caller strips
//! them). Its kernel timeout is the token's remaining lifetime, so the kernel forgets it
//! when the token expires. Each entry carries the session's version from the index: an
//! entry whose version is not the index's (another process refreshed or logged in) is
//! ignored and replaced. Who can read it: processes of the same user (the key's
//! permissions: possessor all; user view, read, write, search, setattr) — as an unlocked
//! Secret Service. Off with `--no-cache` or `OAUTHCTL_KEYRING_CACHE=0`.
//!
//! Where keyutils is unavailable (not Linux, a kernel without it, a container denying
//! the system calls) every call is a silent miss.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::SessionKey;

/// The environment variable that turns the cache off (`0`, `off`, `false`, `no`).
pub const ENV: &str = "OAUTHCTL_KEYRING_CACHE";

/// The kernel cache of one store (its data directory).
#[derive(Debug, Clone)]
pub struct KernelCache {
    /// Distinguishes stores (data directories) of the same user.
    namespace: String,
}

impl KernelCache {
    /// The cache of the store rooted at `dir`; `None` when `OAUTHCTL_KEYRING_CACHE` turns
    /// it off.
    pub fn new(dir: &Path) -> Option<KernelCache> {
        let off = std::env::var(ENV).is_ok_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "0" | "off" | "false" | "no"
            )
        });
        if off {
            return None;
        }
        let digest = Sha256::digest(dir.as_os_str().as_encoded_bytes());
        let namespace = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Some(KernelCache { namespace })
    }

    /// The key's description: `oauthctl:<store>:<provider>+<profile>`.
    pub fn description(&self, key: &SessionKey) -> String {
        format!("oauthctl:{}:{}", self.namespace, key.slug())
    }

    /// The cached payload of `key`, when there is one.
    pub fn get(&self, key: &SessionKey) -> Option<Vec<u8>> {
        sys::read(&self.description(key))
    }

    /// Caches `payload` for `ttl_secs` seconds (the kernel drops it then); a failure is
    /// ignored (the next read misses).
    pub fn put(&self, key: &SessionKey, payload: &[u8], ttl_secs: u64) {
        if ttl_secs == 0 {
            self.remove(key);
            return;
        }
        if !sys::write(&self.description(key), payload, ttl_secs) {
            self.remove(key);
        }
    }

    /// Forgets `key`'s entry.
    pub fn remove(&self, key: &SessionKey) {
        sys::remove(&self.description(key));
    }
}

#[cfg(target_os = "linux")]
mod sys {
    //! keyutils through raw system calls (no libkeyutils): add_key(2), keyctl(2).

    use std::ffi::CString;

    const KEY_SPEC_USER_KEYRING: libc::c_long = -4;
    const KEYCTL_SETPERM: libc::c_long = 5;
    const KEYCTL_SEARCH: libc::c_long = 10;
    const KEYCTL_READ: libc::c_long = 11;
    const KEYCTL_SET_TIMEOUT: libc::c_long = 15;
    const KEYCTL_INVALIDATE: libc::c_long = 21;
    /// Possessor: everything; user: view, read, write, search, setattr; group and
    /// others: nothing.
    const PERM: libc::c_long = 0x3f2f_0000;
    /// A `user` key's payload limit.
    const MAX_PAYLOAD: usize = 32_767;

    fn search(desc: &CString) -> Option<libc::c_long> {
        // SAFETY: the strings are NUL-terminated and outlive the call; the kernel only
        // reads them.
        let id = unsafe {
            libc::syscall(
                libc::SYS_keyctl,
                KEYCTL_SEARCH,
                KEY_SPEC_USER_KEYRING,
                c"user".as_ptr(),
                desc.as_ptr(),
                0 as libc::c_long,
            )
        };
        (id > 0).then_some(id)
    }

    pub fn read(desc: &str) -> Option<Vec<u8>> {
        let desc = CString::new(desc).ok()?;
        let id = search(&desc)?;
        let mut buf = vec![0u8; 4096];
        loop {
            // SAFETY: `buf` is valid for `buf.len()` bytes; the kernel writes at most that.
            let n = unsafe {
                libc::syscall(
                    libc::SYS_keyctl,
                    KEYCTL_READ,
                    id,
                    buf.as_mut_ptr(),
                    buf.len(),
                )
            };
            let n = usize::try_from(n).ok()?;
            if n <= buf.len() {
                buf.truncate(n);
                return Some(buf);
            }
            if n > MAX_PAYLOAD {
                return None;
            }
            buf = vec![0u8; n];
        }
    }

    pub fn write(desc: &str, payload: &[u8], ttl_secs: u64) -> bool {
        if payload.len() > MAX_PAYLOAD {
            return false;
        }
        let Ok(desc) = CString::new(desc) else {
            return false;
        };
        // SAFETY: type and description are NUL-terminated, the payload is valid for its
        // length; the kernel copies them.
        let id = unsafe {
            libc::syscall(
                libc::SYS_add_key,
                c"user".as_ptr(),
                desc.as_ptr(),
                payload.as_ptr(),
                payload.len(),
                KEY_SPEC_USER_KEYRING,
            )
        };
        if id <= 0 {
            return false;
        }
        let secs = libc::c_long::try_from(ttl_secs.min(u32::MAX as u64)).unwrap_or(0);
        // SAFETY: plain integer arguments.
        unsafe {
            libc::syscall(libc::SYS_keyctl, KEYCTL_SETPERM, id, PERM) == 0
                && libc::syscall(libc::SYS_keyctl, KEYCTL_SET_TIMEOUT, id, secs) == 0
        }
    }

    pub fn remove(desc: &str) {
        let Ok(desc) = CString::new(desc) else {
            return;
        };
        if let Some(id) = search(&desc) {
            // SAFETY: plain integer arguments.
            unsafe {
                libc::syscall(libc::SYS_keyctl, KEYCTL_INVALIDATE, id);
            }
        }
    }
}

// Elsewhere every call misses (kcache/sys.rs).
#[cfg(not(target_os = "linux"))]
mod sys;

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> KernelCache {
        KernelCache {
            namespace: format!("unit-{}", rand::random::<u64>()),
        }
    }

    #[test]
    fn a_put_is_read_back_replaced_and_removed() {
        let c = cache();
        let key = SessionKey::new("p", "default").unwrap();
        if !sys::write(&c.description(&key), b"probe", 60) {
            // No keyutils here (a container denying it): the cache is a silent miss.
            assert_eq!(c.get(&key), None);
            return;
        }
        assert_eq!(c.get(&key).as_deref(), Some(&b"probe"[..]));
        let big = vec![b'x'; 9000];
        c.put(&key, &big, 60);
        assert_eq!(c.get(&key), Some(big));
        c.put(&key, b"again", 0);
        assert_eq!(c.get(&key), None, "a zero lifetime removes the entry");
        c.put(&key, b"again", 60);
        c.remove(&key);
        assert_eq!(c.get(&key), None);
        // The largest payload a `user` key takes (root's quota allows it; a user's
        // default quota of 20000 bytes does not).
        #[cfg(target_os = "linux")]
        {
            let full = vec![b'z'; 32_767];
            if sys::write(&c.description(&key), &full, 60) {
                assert_eq!(c.get(&key), Some(full));
            } else {
                // SAFETY: geteuid has no preconditions.
                let euid = unsafe { libc::geteuid() };
                assert_ne!(euid, 0, "root's quota takes a full payload");
            }
        }
        c.put(&key, &vec![b'y'; 40_000], 60);
        assert_eq!(
            c.get(&key),
            None,
            "a payload over the kernel's limit is not cached"
        );
    }

    #[test]
    fn stores_and_sessions_have_their_own_entries() {
        let a = KernelCache::new(Path::new("/a")).unwrap_or_else(cache);
        let b = KernelCache::new(Path::new("/b")).unwrap_or_else(cache);
        let k1 = SessionKey::new("p", "one").unwrap();
        let k2 = SessionKey::new("p", "two").unwrap();
        assert_ne!(a.description(&k1), b.description(&k1));
        assert_ne!(a.description(&k1), a.description(&k2));
        assert!(a.description(&k1).starts_with("oauthctl:"));
    }
}
