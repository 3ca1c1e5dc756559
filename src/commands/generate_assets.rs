//! `oauthctl generate-assets`: shell completions and man pages from the clap definitions.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, GenerateAssetsArgs};
use crate::error::{Error, ErrorKind, Result, EXIT_CODES};

/// Every generated file: path relative to the repository root, and its contents.
pub fn assets() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut out = Vec::new();
    for (shell, file) in [
        (Shell::Bash, "oauthctl.bash"),
        (Shell::Zsh, "_oauthctl"),
        (Shell::Fish, "oauthctl.fish"),
        (Shell::PowerShell, "_oauthctl.ps1"),
        (Shell::Elvish, "oauthctl.elv"),
    ] {
        let mut cmd = Cli::command();
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "oauthctl", &mut buf);
        out.push((Path::new("completions").join(file), buf));
    }
    let mut cmd = Cli::command();
    cmd.build();
    out.push((Path::new("man").join("oauthctl.1"), man_page(cmd.clone())?));
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = format!("oauthctl-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(format!("oauthctl {}", sub.get_name()))
            .version(env!("CARGO_PKG_VERSION"));
        out.push((Path::new("man").join(format!("{name}.1")), man_page(page)?));
    }
    Ok(out)
}

fn man_page(cmd: clap::Command) -> Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd);
    let mut buf = Vec::new();
    let render = |buf: &mut Vec<u8>| -> std::io::Result<()> {
        man.render_title(buf)?;
        man.render_name_section(buf)?;
        man.render_synopsis_section(buf)?;
        man.render_description_section(buf)?;
        man.render_options_section(buf)?;
        man.render_subcommands_section(buf)?;
        man.render_extra_section(buf)?;
        buf.extend_from_slice(b".SH \"EXIT STATUS\"\n");
        for (code, meaning) in EXIT_CODES {
            buf.extend_from_slice(format!(".TP\n\\fB{code}\\fR\n{meaning}\n").as_bytes());
        }
        man.render_version_section(buf)?;
        Ok(())
    };
    render(&mut buf).map_err(|e| Error::internal(format!("cannot render a man page: {e}")))?;
    Ok(buf)
}

pub fn run(args: &GenerateAssetsArgs) -> Result<()> {
    let files = assets()?;
    if args.check {
        let mut stale = Vec::new();
        for (rel, content) in &files {
            let path = args.dir.join(rel);
            if std::fs::read(&path).ok().as_deref() != Some(content.as_slice()) {
                stale.push(rel.display().to_string());
            }
        }
        for dir in ["completions", "man"] {
            if let Ok(entries) = std::fs::read_dir(args.dir.join(dir)) {
                for e in entries.flatten() {
                    let rel = Path::new(dir).join(e.file_name());
                    if !files.iter().any(|(p, _)| *p == rel) {
                        stale.push(format!("{} (no longer generated)", rel.display()));
                    }
                }
            }
        }
        if stale.is_empty() {
            eprintln!(
                "completions/ and man/ are up to date ({} files)",
                files.len()
            );
            return Ok(());
        }
        return Err(Error::new(
            ErrorKind::Internal,
            format!("generated files are stale: {}", stale.join(", ")),
        )
        .with_hint("run `cargo run -- generate-assets` and commit completions/ and man/"));
    }
    for dir in ["completions", "man"] {
        let d = args.dir.join(dir);
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries.flatten() {
                let rel = Path::new(dir).join(e.file_name());
                if !files.iter().any(|(p, _)| *p == rel) {
                    let path = e.path();
                    std::fs::remove_file(&path).map_err(|e| {
                        Error::internal(format!("cannot delete {}: {e}", path.display()))
                    })?;
                }
            }
        }
        std::fs::create_dir_all(&d)
            .map_err(|e| Error::internal(format!("cannot create {}: {e}", d.display())))?;
    }
    for (rel, content) in &files {
        let path = args.dir.join(rel);
        std::fs::write(&path, content)
            .map_err(|e| Error::internal(format!("cannot write {}: {e}", path.display())))?;
    }
    eprintln!("wrote {} files under {}", files.len(), args.dir.display());
    Ok(())
}
