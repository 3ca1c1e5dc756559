//! The command line parsed with as little of clap's work as the result allows (issue 19:
//! startup).
//!
//! clap copies every global option into every subcommand before it parses, and frees
//! the whole tree afterwards: for a short command (`token`, `decode`, `--version`) that
//! is most of the process's own run. [`parse`] gives what `Cli::try_parse` gives, with
//! two savings:
//!
//! - when the words before the subcommand are only global options (or none), so that
//!   the subcommand is known without clap, clap parses against a root that holds the
//!   global options and that one subcommand (its arguments are built only then, see
//!   `defer` in `cli`): every message, help page and usage line of that subcommand is
//!   the same as the full tree's (`tests` below compare them);
//! - the command tree and the matches are not freed: the process exits moments later.
//!
//! `oauthctl --version` alone parses against the root without subcommands. Anything
//! else (no subcommand, `help`, `--help` before the subcommand, an option that the root
//! does not know, `--`) parses against the full tree.

use std::ffi::OsString;

use clap::{Command, CommandFactory, FromArgMatches};

use crate::cli::Cli;

/// `Cli::try_parse_from(args)`, cheaper (see the module's documentation).
pub fn parse(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    let full = Cli::command();
    let one = if is_version(&args) {
        Some(None)
    } else {
        known_subcommand(&full, &args).map(Some)
    };
    let mut command = match one {
        Some(name) => {
            let command = only(&full, name.as_deref());
            // Not freed either (see above).
            std::mem::forget(full);
            command
        }
        None => full,
    };
    // As clap's `try_parse`: a parse error comes formatted; one from the conversion
    // into `Cli` is formatted against the command.
    let parsed = match command.try_get_matches_from_mut(args) {
        Ok(mut matches) => {
            let cli = Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command));
            std::mem::forget(matches);
            cli
        }
        Err(e) => Err(e),
    };
    std::mem::forget(command);
    parsed
}

/// `oauthctl --version` or `oauthctl -V`, alone: clap prints the version before it
/// looks at any subcommand.
fn is_version(args: &[OsString]) -> bool {
    args.len() == 2 && (args[1] == "--version" || args[1] == "-V")
}

/// The subcommand that clap will run, when only global options of the root (known,
/// complete) come before it; None when anything else does.
fn known_subcommand(root: &Command, args: &[OsString]) -> Option<String> {
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        let word = word.to_str()?;
        if let Some(long) = word.strip_prefix("--") {
            if long.is_empty() {
                return None;
            }
            let (name, attached) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            let arg = root.get_arguments().find(|a| a.get_long() == Some(name))?;
            if takes_value(arg) && !attached {
                words.next()?;
            }
        } else if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            for (i, c) in shorts.char_indices() {
                let arg = root.get_arguments().find(|a| a.get_short() == Some(c))?;
                if takes_value(arg) {
                    if i + c.len_utf8() == shorts.len() {
                        words.next()?;
                    }
                    break;
                }
            }
        } else {
            return root.find_subcommand(word).map(|s| s.get_name().to_string());
        }
    }
    None
}

/// Whether `arg` takes a value (the next word when none is attached); an option that
/// takes none or an optional one is not skipped over.
fn takes_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values() && arg.get_num_args().is_none_or(|n| n.min_values() > 0)
}

/// A root like `full` (its name, version, texts, settings and global options) with the
/// one subcommand `name`, or none.
fn only(full: &Command, name: Option<&str>) -> Command {
    let mut root = Command::new(full.get_name().to_string())
        .args(full.get_arguments().cloned())
        .propagate_version(full.is_propagate_version_set());
    if let Some(v) = full.get_version() {
        root = root.version(v.to_string());
    }
    if let Some(v) = full.get_long_version() {
        root = root.long_version(v.to_string());
    }
    if let Some(t) = full.get_about() {
        root = root.about(t.clone());
    }
    if let Some(t) = full.get_long_about() {
        root = root.long_about(t.clone());
    }
    if let Some(t) = full.get_before_help() {
        root = root.before_help(t.clone());
    }
    if let Some(t) = full.get_before_long_help() {
        root = root.before_long_help(t.clone());
    }
    if let Some(t) = full.get_after_help() {
        root = root.after_help(t.clone());
    }
    if let Some(t) = full.get_after_long_help() {
        root = root.after_long_help(t.clone());
    }
    if let Some(sub) = name.and_then(|n| full.find_subcommand(n)) {
        root = root.subcommand(sub.clone());
    }
    root.subcommand_required(full.is_subcommand_required_set())
        .arg_required_else_help(full.is_arg_required_else_help_set())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    fn known(args: &[&str]) -> Option<String> {
        known_subcommand(&Cli::command(), &os(args))
    }

    #[test]
    fn the_subcommand_is_found_past_global_options_only() {
        assert_eq!(
            known(&["oauthctl", "token", "-p", "hub"]).as_deref(),
            Some("token")
        );
        assert_eq!(
            known(&["oauthctl", "-p", "token", "decode"]).as_deref(),
            Some("decode")
        );
        assert_eq!(
            known(&["oauthctl", "--provider=x", "-q", "me"]).as_deref(),
            Some("me")
        );
        assert_eq!(
            known(&["oauthctl", "-qvp", "hub", "status"]).as_deref(),
            Some("status")
        );
        assert_eq!(
            known(&["oauthctl", "-phub", "status"]).as_deref(),
            Some("status")
        );
        assert_eq!(
            known(&["oauthctl", "--json", "--store", "file", "token"]).as_deref(),
            Some("token")
        );
        for args in [
            &["oauthctl"][..],
            &["oauthctl", "--version"],
            &["oauthctl", "-V"],
            &["oauthctl", "--help"],
            &["oauthctl", "help", "token"],
            &["oauthctl", "--", "token"],
            &["oauthctl", "--bogus", "token"],
            &["oauthctl", "tokn"],
            &["oauthctl", "-p"],
        ] {
            assert_eq!(known(args), None, "{args:?}");
        }
    }

    /// What clap answers for `args`: the parsed command line's debug form, or the
    /// rendered error (help, version and usage errors included) and its exit code.
    fn outcome(command: &mut Command, args: &[&str]) -> String {
        match command.clone().try_get_matches_from_mut(os(args)) {
            Ok(mut m) => match Cli::from_arg_matches_mut(&mut m) {
                Ok(cli) => format!("{cli:?}"),
                Err(e) => format!("{} {}", e.exit_code(), e.format(command).render()),
            },
            Err(e) => format!("{} {}", e.exit_code(), e.render()),
        }
    }

    /// For every subcommand, its help pages, its usage errors and a parse through the
    /// root with one subcommand are the same as through the full tree.
    #[test]
    fn a_root_with_one_subcommand_answers_as_the_full_tree() {
        let full = Cli::command();
        let names: Vec<String> = full
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        assert!(names.len() > 10);
        for name in &names {
            let n = name.as_str();
            for args in [
                vec!["oauthctl", n, "--help"],
                vec!["oauthctl", n, "-h"],
                vec!["oauthctl", "-q", n, "--version"],
                vec!["oauthctl", n, "--no-such-option"],
                vec!["oauthctl", n, "--jsn"],
                vec!["oauthctl", "--color", "never", n, "--color", "sometimes"],
                vec!["oauthctl", n, "a", "b", "c"],
                vec!["oauthctl", n],
                vec!["oauthctl", "-p", "hub", n, "--json", "--profile", "work"],
            ] {
                assert_eq!(known(&args).as_deref(), Some(n), "{args:?}");
                let mut one = only(&full, Some(n));
                let mut all = full.clone();
                assert_eq!(
                    outcome(&mut one, &args),
                    outcome(&mut all, &args),
                    "{args:?}"
                );
            }
        }
    }

    /// A deferred subcommand's arguments come with the `about` of their `Args` struct's
    /// doc comment, if it has one, which then replaces the subcommand's own: no
    /// subcommand's texts may change when its arguments are built.
    #[test]
    fn building_a_subcommand_keeps_its_texts() {
        let texts = |c: &Command| {
            [
                c.get_about(),
                c.get_long_about(),
                c.get_after_help(),
                c.get_after_long_help(),
            ]
            .map(|t| t.map(ToString::to_string))
        };
        for sub in Cli::command().get_subcommands() {
            let mut built = sub.clone();
            built.build();
            assert_eq!(texts(sub), texts(&built), "{}", sub.get_name());
        }
    }

    #[test]
    fn the_version_alone_answers_as_the_full_tree() {
        let full = Cli::command();
        for args in [&["oauthctl", "--version"][..], &["oauthctl", "-V"]] {
            assert!(is_version(&os(args)));
            let out = outcome(&mut only(&full, None), args);
            assert_eq!(out, outcome(&mut full.clone(), args), "{args:?}");
            assert_eq!(out, format!("0 oauthctl {}\n", env!("CARGO_PKG_VERSION")));
        }
        assert!(!is_version(&os(&["oauthctl", "-V", "token"])));
        assert!(!is_version(&os(&["oauthctl", "token", "-V"])));
    }

    #[test]
    fn parse_gives_what_clap_gives() {
        for args in [
            &["oauthctl", "decode", "a.b.c"][..],
            &["oauthctl", "--version"],
            &["oauthctl", "token", "-p", "hub", "--min-ttl", "5m"],
            &["oauthctl", "report", "x.har", "-o", "x.html"],
        ] {
            let ours = parse(os(args))
                .map(|c| format!("{c:?}"))
                .map_err(|e| e.render().to_string());
            let clap = <Cli as clap::Parser>::try_parse_from(os(args))
                .map(|c| format!("{c:?}"))
                .map_err(|e| e.render().to_string());
            assert_eq!(ours, clap, "{args:?}");
        }
    }
}
