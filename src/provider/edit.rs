//! Edits of the user's config file that keep everything else as it was: comments,
//! key order, blank lines and other tables (`toml_edit`).
//!
//! A file that does not parse (as TOML, or as an oauthctl config) is never overwritten:
//! the edit is refused with an error naming the file. Writes are atomic (a temporary
//! file in the same directory, then a rename) and keep the file's permissions; a
//! symbolic link (a dotfiles manager's) is followed, so the link stays a link.

use std::fs;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table};

use crate::error::{Error, Result};

/// What to change in one `[providers.NAME]` table.
#[derive(Debug, Clone, Default)]
pub struct ProviderEdit {
    /// Keys to set (string values).
    pub set: Vec<(String, String)>,
    /// Keys to remove when present.
    pub remove: Vec<String>,
}

impl ProviderEdit {
    /// The change for a newly registered client: its `client_id`, its authentication
    /// `method` and first redirect URI where they differ from `provider`'s, and the
    /// previous client's secret settings removed (they must not be sent for the new one).
    pub fn registered_client(
        provider: &super::Provider,
        client_id: &str,
        method: Option<&str>,
        redirect_uris: &[String],
    ) -> ProviderEdit {
        let mut set = vec![("client_id".to_string(), client_id.to_string())];
        if let Some(m) = method.filter(|m| *m != provider.auth_method().as_str()) {
            set.push(("token_endpoint_auth_method".into(), m.to_string()));
        }
        if let Some(first) = redirect_uris.first() {
            if provider.spec.redirect_uri.as_deref() != Some(first.as_str()) {
                set.push(("redirect_uri".into(), first.clone()));
            }
        }
        ProviderEdit {
            set,
            remove: vec!["client_secret".into(), "client_secret_env".into()],
        }
    }
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The file written (the link's target when the config path is a symbolic link).
    pub path: PathBuf,
    /// Whether the file was created.
    pub created: bool,
    /// The keys that were removed (they were present).
    pub removed: Vec<String>,
}

fn refuse(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::input(format!(
        "the config file {} does not parse ({why}); oauthctl will not overwrite it",
        path.display()
    ))
    .with_hint(format!(
        "fix {} (or move it away) and run the command again",
        path.display()
    ))
}

/// The file a write to `path` must change: the target of a symbolic link.
fn target(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            Error::input(format!(
                "the config file {} is a symbolic link that cannot be followed: {e}",
                path.display()
            ))
            .with_hint("point the link at an existing file, or remove it")
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// Reads and parses the file; `None` when it does not exist.
fn load(path: &Path) -> Result<Option<(String, DocumentMut)>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::input(format!(
                "cannot read the config file {}: {e}",
                path.display()
            ))
            .with_hint("check the file's permissions"))
        }
    };
    let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        refuse(path, e.to_string().lines().next().unwrap_or("").trim())
    })?;
    // The same checks as when oauthctl loads it.
    super::config::parse(&text, path).map_err(|e| refuse(path, &e.message))?;
    Ok(Some((text, doc)))
}

/// The `[providers.NAME]` table, created when missing.
fn provider_table<'a>(doc: &'a mut DocumentMut, name: &str, path: &Path) -> Result<&'a mut Table> {
    let providers = doc
        .entry("providers")
        .or_insert_with(|| {
            let mut t = Table::new();
            // No empty `[providers]` header: only `[providers.NAME]` tables.
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| {
            refuse(
                path,
                "`providers` is not a table of [providers.NAME] tables",
            )
        })?;
    let entry = providers
        .entry(name)
        .or_insert_with(|| Item::Table(Table::new()));
    if let Some(inline) = entry.as_inline_table() {
        // `providers.NAME = { … }`: made a standard table, keeping its keys.
        *entry = Item::Table(inline.clone().into_table());
    }
    entry
        .as_table_mut()
        .ok_or_else(|| refuse(path, format!("`providers.{name}` is not a table")))
}

/// Checks that `path` can be edited (it parses, or does not exist yet), without writing.
pub fn check(path: &Path, provider: &str) -> Result<()> {
    let path = target(path)?;
    if let Some((_, mut doc)) = load(&path)? {
        provider_table(&mut doc, provider, &path)?;
    }
    Ok(())
}

/// Applies `edit` to the `[providers.NAME]` table of the file at `path` (created with
/// its directory when missing).
pub fn apply(path: &Path, provider: &str, edit: &ProviderEdit) -> Result<Edited> {
    let path = target(path)?;
    let (mut doc, created) = match load(&path)? {
        Some((_, doc)) => (doc, false),
        None => (DocumentMut::new(), true),
    };
    let mut removed = Vec::new();
    {
        let table = provider_table(&mut doc, provider, &path)?;
        for key in &edit.remove {
            if table.remove(key).is_some() {
                removed.push(key.clone());
            }
        }
        for (k, v) in &edit.set {
            match table.get_mut(k).and_then(Item::as_value_mut) {
                // Keep the comment after the old value.
                Some(old) => {
                    let decor = old.decor().clone();
                    *old = toml_edit::Value::from(v.as_str());
                    *old.decor_mut() = decor;
                }
                None => {
                    table.insert(k, toml_edit::value(v.as_str()));
                }
            }
        }
    }
    let text = doc.to_string();
    // What is written must load.
    super::config::parse(&text, &path).map_err(|e| {
        Error::internal(format!(
            "editing {} would produce an invalid config file: {}",
            path.display(),
            e.message
        ))
    })?;
    write_atomic(&path, text.as_bytes())?;
    Ok(Edited {
        path,
        created,
        removed,
    })
}

fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| {
        Error::input(format!(
            "cannot write the config file {}: {e}",
            path.display()
        ))
        .with_hint("check that the file and its directory are writable by you")
    };
    fs::create_dir_all(dir).map_err(fail)?;
    let permissions = fs::metadata(path).ok().map(|m| m.permissions());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    let tmp = dir.join(format!(
        ".{name}.{}.{:08x}.tmp",
        std::process::id(),
        rand::random::<u32>()
    ));
    let result = (|| -> std::io::Result<()> {
        fs::write(&tmp, data)?;
        match permissions {
            Some(p) => fs::set_permissions(&tmp, p)?,
            // A new config file may come to hold a client secret: only its owner reads it.
            #[cfg(unix)]
            None => {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&tmp, fs::Permissions::from_mode(0o600))?
            }
            #[cfg(not(unix))]
            None => {}
        }
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(set: &[(&str, &str)], remove: &[&str]) -> ProviderEdit {
        ProviderEdit {
            set: set
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            remove: remove.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn keeps_comments_and_other_tables() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("config.toml");
        let before = "# my config\ndefault_provider = \"oidc\" # the one I use\n\n[providers.hub]\n# staging\nclient_id = \"hub-app\"\n\n[providers.oidc]\nissuer = \"http://127.0.0.1:1\" # mock\nclient_id = \"old\" # old client\nclient_secret = \"old-secret\"\n";
        fs::write(&p, before).unwrap();
        let r = apply(
            &p,
            "oidc",
            &edit(
                &[("client_id", "new-id")],
                &["client_secret", "client_secret_env"],
            ),
        )
        .unwrap();
        assert_eq!(r.removed, ["client_secret"]);
        assert!(!r.created);
        let after = fs::read_to_string(&p).unwrap();
        assert_eq!(
            after,
            "# my config\ndefault_provider = \"oidc\" # the one I use\n\n[providers.hub]\n# staging\nclient_id = \"hub-app\"\n\n[providers.oidc]\nissuer = \"http://127.0.0.1:1\" # mock\nclient_id = \"new-id\" # old client\n"
        );
    }

    #[test]
    fn creates_the_file_and_the_table() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a/b/config.toml");
        let r = apply(&p, "teamwork", &edit(&[("client_id", "x")], &[])).unwrap();
        assert!(r.created);
        assert_eq!(
            fs::read_to_string(&p).unwrap(),
            "[providers.teamwork]\nclient_id = \"x\"\n"
        );
        // A second provider goes into its own table.
        apply(&p, "oidc", &edit(&[("client_id", "y")], &[])).unwrap();
        let text = fs::read_to_string(&p).unwrap();
        assert!(
            text.contains("[providers.oidc]\nclient_id = \"y\""),
            "{text}"
        );
    }

    #[test]
    fn refuses_a_file_that_does_not_parse() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("config.toml");
        let broken = "[providers.oidc\nclient_id = \"a\"\n";
        fs::write(&p, broken).unwrap();
        let e = apply(&p, "oidc", &edit(&[("client_id", "b")], &[])).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(
            e.message.contains(&p.display().to_string()),
            "{}",
            e.message
        );
        assert!(e.message.contains("will not overwrite"), "{}", e.message);
        assert_eq!(fs::read_to_string(&p).unwrap(), broken);
        // TOML that oauthctl would not load either.
        fs::write(&p, "[providers.oidc]\nclient_idd = \"a\"\n").unwrap();
        assert!(check(&p, "oidc").is_err());
        fs::write(&p, "providers = 3\n").unwrap();
        assert!(check(&p, "oidc").is_err());
    }

    #[test]
    fn inline_tables_become_standard_tables() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("config.toml");
        fs::write(&p, "providers.oidc = { issuer = \"http://127.0.0.1:1\" }\n").unwrap();
        apply(&p, "oidc", &edit(&[("client_id", "z")], &[])).unwrap();
        let text = fs::read_to_string(&p).unwrap();
        let parsed = super::super::config::parse(&text, &p).unwrap();
        assert_eq!(parsed.providers["oidc"].client_id.as_deref(), Some("z"));
        assert_eq!(
            parsed.providers["oidc"].issuer.as_deref(),
            Some("http://127.0.0.1:1")
        );
    }

    #[cfg(unix)]
    #[test]
    fn follows_a_symlink_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("dotfiles/config.toml");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        fs::write(&real, "[providers.oidc]\nclient_id = \"a\"\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = tmp.path().join("config.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        apply(&link, "oidc", &edit(&[("client_id", "b")], &[])).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(fs::read_to_string(&real).unwrap().contains("\"b\""));
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn a_registered_client_sets_what_differs_and_drops_the_old_secret() {
        let mut p = crate::provider::Provider::from_preset("hub").unwrap();
        p.spec.redirect_uri = Some("http://127.0.0.1:8765/callback".into());
        let e = ProviderEdit::registered_client(
            &p,
            "new-id",
            Some("client_secret_basic"),
            &["http://127.0.0.1:8765/callback".into()],
        );
        assert_eq!(
            e.set,
            [
                ("client_id".to_string(), "new-id".to_string()),
                (
                    "token_endpoint_auth_method".to_string(),
                    "client_secret_basic".to_string()
                ),
            ]
        );
        assert_eq!(e.remove, ["client_secret", "client_secret_env"]);
        // The same method and another redirect URI.
        let e = ProviderEdit::registered_client(&p, "id", Some("none"), &["https://a/cb".into()]);
        assert_eq!(
            e.set[1],
            ("redirect_uri".to_string(), "https://a/cb".to_string())
        );
        assert_eq!(e.set.len(), 2);
    }
}
