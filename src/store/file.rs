//! The file store: one JSON file per session in a private directory.
//!
//! Directories are 0700 and files 0600. Writes are atomic (a temporary file in the same
//! directory, fsync, rename), so a crash leaves the old file or the new one, never half
//! of one. The directory is not fsynced after the rename: on ext4 that forces a journal
//! commit (about 15 ms, most of a login's time after the redirect, see
//! bench/login_callback.py), and all it buys is that a power cut right after a login
//! cannot bring back the previous session. A file that other users can read or write, or a
//! symbolic link, is refused rather than trusted.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::SessionKey;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Creates `dir` (and its parents) if needed and makes sure only the user can use it.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    let mkdir_err = |e: std::io::Error| {
        Error::storage(format!("cannot create the directory {}: {e}", dir.display()))
            .with_hint("check the permissions of its parent directory, or set XDG_DATA_HOME to a writable place")
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        match fs::metadata(dir) {
            Ok(m) if m.is_dir() => {
                if m.permissions().mode() & 0o077 != 0 {
                    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| {
                        Error::storage(format!(
                            "{} is open to other users (mode {:04o}) and cannot be made private: {e}",
                            dir.display(),
                            m.permissions().mode() & 0o7777
                        ))
                        .with_hint(format!("run `chmod 700 {}`", dir.display()))
                    })?;
                }
                Ok(())
            }
            Ok(_) => Err(Error::storage(format!(
                "{} exists and is not a directory",
                dir.display()
            ))
            .with_hint("move it away; oauthctl keeps its sessions in this directory")),
            Err(_) => fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| odd_path(dir).unwrap_or_else(|| mkdir_err(e))),
        }
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir).map_err(mkdir_err)
    }
}

/// What is wrong on the way to `dir` when it cannot be created: a symbolic link (the
/// directory itself or one above it) pointing nowhere, or a file where a directory
/// should be. `None` when nothing such is found.
pub fn odd_path(dir: &Path) -> Option<Error> {
    for at in dir.ancestors().filter(|p| !p.as_os_str().is_empty()) {
        let Ok(link) = fs::symlink_metadata(at) else {
            continue;
        };
        if link.file_type().is_symlink() && fs::metadata(at).is_err() {
            let target = fs::read_link(at)
                .map(|t| t.display().to_string())
                .unwrap_or_else(|_| "?".into());
            return Some(
                Error::storage(format!(
                    "{} is a symbolic link to {target}, which does not exist",
                    at.display()
                ))
                .with_hint(format!(
                    "create the directory it points to (`mkdir -p -m 700 {target}`), or remove the link (`rm {}`) and oauthctl makes a directory there",
                    at.display()
                )),
            );
        }
        if fs::metadata(at).is_ok_and(|m| !m.is_dir()) {
            return Some(
                Error::storage(format!(
                    "{} is a file, where oauthctl needs a directory (to hold {})",
                    at.display(),
                    dir.display()
                ))
                .with_hint("move the file away, or set XDG_DATA_HOME to another place"),
            );
        }
    }
    None
}

/// Reads a private file: `None` when it does not exist; an error when it is a symbolic
/// link, not a regular file, or open to other users.
pub fn read_private(path: &Path) -> Result<Option<String>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::storage(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    if meta.file_type().is_symlink() {
        return Err(Error::storage(format!(
            "{} is a symbolic link; oauthctl does not follow links for its session files",
            path.display()
        ))
        .with_hint(format!(
            "someone may be trying to make oauthctl read or overwrite another file: remove the link (`rm {}`) and log in again",
            path.display()
        )));
    }
    if !meta.is_file() {
        return Err(
            Error::storage(format!("{} is not a regular file", path.display()))
                .with_hint("move it away and log in again"),
        );
    }
    check_private_mode(path, &meta)?;
    let mut file = File::open(path)
        .map_err(|e| Error::storage(format!("cannot open {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        // The file opened must be the one checked (no swap between the check and the open).
        use std::os::unix::fs::MetadataExt;
        let opened = file
            .metadata()
            .map_err(|e| Error::storage(format!("cannot stat {}: {e}", path.display())))?;
        if opened.dev() != meta.dev() || opened.ino() != meta.ino() {
            return Err(Error::storage(format!(
                "{} was replaced while oauthctl was reading it",
                path.display()
            ))
            .with_hint("another program is changing oauthctl's files; try again"));
        }
    }
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(|e| {
        Error::storage(format!("cannot read {}: {e}", path.display()))
            .with_hint("the file is not valid UTF-8 text: delete it and log in again")
    })?;
    Ok(Some(text))
}

#[cfg(unix)]
fn check_private_mode(path: &Path, meta: &fs::Metadata) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(Error::storage(format!(
            "{} is open to other users (mode {mode:04o}); oauthctl refuses to use a session file others can read",
            path.display()
        ))
        .with_hint(format!(
            "the tokens in it may have been seen: revoke them (`oauthctl logout`), or if you are sure nobody read it, `chmod 600 {}`",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private_mode(_path: &Path, _meta: &fs::Metadata) -> Result<()> {
    Ok(())
}

/// Writes a private file atomically: temp file (0600), fsync, rename.
pub fn write_private(path: &Path, data: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| Error::internal(format!("{} has no parent directory", path.display())))?;
    ensure_private_dir(dir)?;
    if let Ok(m) = fs::symlink_metadata(path) {
        if m.file_type().is_symlink() {
            return Err(Error::storage(format!(
                "{} is a symbolic link; oauthctl does not write through links",
                path.display()
            ))
            .with_hint(format!(
                "remove the link (`rm {}`) and try again",
                path.display()
            )));
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.{}.{:08x}.tmp",
        std::process::id(),
        rand::random::<u32>()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(
            Error::storage(format!("cannot write {}: {e}", path.display())).with_hint(
                "check free disk space and the permissions of the oauthctl data directory",
            ),
        );
    }
    Ok(())
}

/// Removes a file; `false` when it did not exist.
pub fn remove(path: &Path) -> Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::storage(format!(
            "cannot delete {}: {e}",
            path.display()
        ))),
    }
}

/// Sessions as files under `<data dir>/sessions/`.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    pub fn new(dir: PathBuf) -> Self {
        FileStore { dir }
    }

    pub fn path(&self, key: &SessionKey) -> PathBuf {
        self.dir.join(format!("{}.json", key.slug()))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn get(&self, key: &SessionKey) -> Result<Option<Secret>> {
        Ok(read_private(&self.path(key))?.map(Secret::new))
    }

    pub fn set(&self, key: &SessionKey, blob: &Secret) -> Result<()> {
        write_private(&self.path(key), blob.expose().as_bytes())
    }

    pub fn delete(&self, key: &SessionKey) -> Result<bool> {
        remove(&self.path(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn writes_private_files_atomically_and_reads_them_back() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a/b/s.json");
        write_private(&p, b"one").unwrap();
        write_private(&p, b"two").unwrap();
        assert_eq!(read_private(&p).unwrap().as_deref(), Some("two"));
        #[cfg(unix)]
        {
            assert_eq!(mode(&p), 0o600);
            assert_eq!(mode(p.parent().unwrap()), 0o700);
        }
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert_eq!(read_private(&tmp.path().join("none")).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn refuses_files_others_can_read_and_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("s.json");
        write_private(&p, b"x").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        let e = read_private(&p).unwrap_err();
        assert_eq!(e.exit_code(), 8);
        assert!(e.message.contains("0644"), "{}", e.message);
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        assert!(read_private(&p).is_err());

        let target = tmp.path().join("elsewhere");
        fs::write(&target, "x").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
        let link = tmp.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = read_private(&link).unwrap_err();
        assert!(e.message.contains("symbolic link"), "{}", e.message);
        let e = write_private(&link, b"y").unwrap_err();
        assert!(e.message.contains("symbolic link"), "{}", e.message);
        assert_eq!(fs::read_to_string(&target).unwrap(), "x");
    }

    #[cfg(unix)]
    #[test]
    fn tightens_an_existing_open_directory() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("d");
        fs::create_dir(&d).unwrap();
        fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&d).unwrap();
        assert_eq!(mode(&d), 0o700);
    }
}
