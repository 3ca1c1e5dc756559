//! A cross-process lock on a file, with a bounded wait.
//!
//! `token` under concurrency needs "lock, re-read, refresh, write": two processes
//! refreshing one session at once would each spend the refresh token, and with a
//! rotating provider (Worksection) the slower one would store a dead token. The lock
//! is an advisory lock (`flock` on Unix, `LockFileEx` on Windows) held on a small
//! file next to the sessions; it is released when the `FileLock` is dropped, and by
//! the OS when the process dies. Lock files are never deleted: deleting one while
//! another process waits on it would let two processes hold "the" lock.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::file::ensure_private_dir;
use crate::error::{Error, Result};

/// An exclusive lock; released on drop.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

impl FileLock {
    /// Takes the lock, waiting at most `wait` for another process to release it.
    pub fn acquire(path: &Path, wait: Duration) -> Result<FileLock> {
        if let Some(dir) = path.parent() {
            ensure_private_dir(dir)?;
        }
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(path).map_err(|e| {
            Error::storage(format!("cannot open the lock file {}: {e}", path.display()))
                .with_hint("check that the oauthctl data directory is writable by you")
        })?;
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(2);
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(FileLock {
                        file,
                        path: path.to_path_buf(),
                    })
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(Error::timeout(format!(
                            "another oauthctl process has held the lock {} for more than {}",
                            path.display(),
                            humantime::format_duration(wait)
                        ))
                        .with_hint(
                            "wait for the other oauthctl command (a login, refresh or logout) to finish; if none is running, try again",
                        ));
                    }
                    std::thread::sleep(pause.min(deadline - now));
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::storage(format!(
                        "cannot lock {}: {e}",
                        path.display()
                    ))
                    .with_hint("the file system may not support locks (NFS?); keep the oauthctl data directory on a local disk"));
                }
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_waits_then_times_out_and_gets_it_after_release() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks/x.lock");
        let first = FileLock::acquire(&path, Duration::from_secs(1)).unwrap();
        // A second open file description conflicts even inside one process.
        let err = FileLock::acquire(&path, Duration::from_millis(60)).unwrap_err();
        assert_eq!(err.exit_code(), 7, "{}", err.message);
        assert!(err.message.contains("x.lock"), "{}", err.message);
        let t = std::thread::spawn({
            let path = path.clone();
            move || FileLock::acquire(&path, Duration::from_secs(5)).map(|_| ())
        });
        std::thread::sleep(Duration::from_millis(50));
        drop(first);
        t.join().unwrap().unwrap();
    }
}
