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
//!
//! Before any of that, the command lines that scripts and credential hooks run on
//! every call (`token -p NAME`, `header -p NAME`, `decode TOKEN`: see [`quick`]) are
//! recognised without clap at all: building and running clap's parser was a third of
//! such a process's instructions.

use std::ffi::OsString;
use std::time::Duration;

use clap::{Command, CommandFactory, FromArgMatches, ValueEnum};

use crate::cli::{self, Cli, ColorChoice, GlobalArgs, StoreChoice};

/// `Cli::try_parse_from(args)`, cheaper (see the module's documentation).
pub fn parse(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    if let Some(cli) = quick(&args, &|name| std::env::var_os(name)) {
        return Ok(cli);
    }
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

/// The hot command lines, parsed by hand: `token` or `header` followed by nothing but at
/// most one provider (`-p NAME`, `--provider NAME`, `--provider=NAME`), and `decode`
/// followed by one token (not starting with `-`) and at most one provider. Every other
/// value is clap's default or comes from the environment as clap takes it (`var`:
/// OAUTHCTL_PROVIDER, OAUTHCTL_CONFIG, OAUTHCTL_STORE, OAUTHCTL_PROFILE). None, and clap
/// parses, for anything else: another word or option, a value that starts with `-` or
/// is empty, a variable that is empty, not UTF-8 or not a valid value, and any
/// OAUTHCTL_ALLOW_INSECURE_HTTP. The tests below compare the result with clap's.
fn quick(args: &[OsString], var: &dyn Fn(&str) -> Option<OsString>) -> Option<Cli> {
    let words: Vec<&str> = args
        .get(1..)?
        .iter()
        .map(|w| w.to_str())
        .collect::<Option<_>>()?;
    let (&name, rest) = words.split_first()?;
    if !matches!(name, "token" | "header" | "decode") {
        return None;
    }
    let plain = |v: &str| !v.is_empty() && !v.starts_with('-');
    let mut provider = None;
    let mut positional = None;
    let mut rest = rest.iter();
    while let Some(&word) = rest.next() {
        let value = match word {
            "-p" | "--provider" => Some(*rest.next()?),
            _ => word.strip_prefix("--provider="),
        };
        match value {
            Some(v) if plain(v) && provider.is_none() => provider = Some(v.to_string()),
            Some(_) => return None,
            None if name == "decode" && plain(word) && positional.is_none() => {
                positional = Some(word.to_string())
            }
            None => return None,
        }
    }
    // An environment variable clap would read: absent, or a non-empty UTF-8 value.
    let env = |key: &str| -> Option<Option<String>> {
        match var(key) {
            None => Some(None),
            Some(v) => v.into_string().ok().filter(|v| !v.is_empty()).map(Some),
        }
    };
    if var("OAUTHCTL_ALLOW_INSECURE_HTTP").is_some() {
        return None;
    }
    let store = match env("OAUTHCTL_STORE")? {
        Some(v) => StoreChoice::from_str(&v, false).ok()?,
        None => StoreChoice::Auto,
    };
    let global = GlobalArgs {
        provider: match provider {
            Some(p) => Some(p),
            None => env("OAUTHCTL_PROVIDER")?,
        },
        config: env("OAUTHCTL_CONFIG")?.map(Into::into),
        json: false,
        trace: false,
        har: None,
        report: None,
        show_secrets: false,
        cacert: None,
        insecure: false,
        allow_insecure_http: false,
        timeout: None,
        color: ColorChoice::Auto,
        quiet: false,
        verbose: false,
        store,
        no_cache: false,
        profile: env("OAUTHCTL_PROFILE")?.unwrap_or_else(|| "default".to_string()),
    };
    // `--min-ttl` and `--leeway`'s default, "60s".
    let sixty_seconds = Duration::from_secs(60);
    let dpop = || cli::DpopTargetArgs {
        method: "GET".to_string(),
        url: None,
    };
    let command = match name {
        "token" => cli::Command::Token(cli::TokenArgs {
            min_ttl: sixty_seconds,
            id_token: false,
            login: false,
            dpop: dpop(),
        }),
        "header" => cli::Command::Header(cli::HeaderArgs {
            min_ttl: sixty_seconds,
            login: false,
            dpop: dpop(),
        }),
        _ => cli::Command::Decode(cli::DecodeArgs {
            token: Some(positional?),
            verify: false,
            jwks: None,
            trust_token_issuer: false,
            secret: None,
            leeway: sixty_seconds,
            iss: None,
            aud: None,
        }),
    };
    Some(Cli { global, command })
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

    const ENV_KEYS: [&str; 5] = [
        "OAUTHCTL_PROVIDER",
        "OAUTHCTL_CONFIG",
        "OAUTHCTL_STORE",
        "OAUTHCTL_PROFILE",
        "OAUTHCTL_ALLOW_INSECURE_HTTP",
    ];

    fn clap_parse(args: &[&str]) -> String {
        match <Cli as clap::Parser>::try_parse_from(os(args)) {
            Ok(cli) => format!("{cli:?}"),
            Err(e) => format!("error: {}", e.render()),
        }
    }

    /// The hand parser gives clap's answer for the lines it takes, and takes the hot
    /// ones (in this process's environment, which clap reads too).
    #[test]
    fn the_quick_parse_gives_what_clap_gives() {
        let taken: &[&[&str]] = &[
            &["oauthctl", "token"],
            &["oauthctl", "token", "-p", "hub"],
            &["oauthctl", "token", "--provider", "hub"],
            &["oauthctl", "token", "--provider=work=1"],
            &["oauthctl", "header", "-p", "hub"],
            &["oauthctl", "header"],
            &["oauthctl", "decode", "a.b.c"],
            &["oauthctl", "decode", "help"],
            &["oauthctl", "decode", "-p", "hub", "eyJ.x"],
            &["oauthctl", "decode", "eyJ.x", "--provider=hub"],
        ];
        let refused: &[&[&str]] = &[
            &["oauthctl"],
            &["oauthctl", "tokn"],
            &["oauthctl", "status"],
            &["oauthctl", "-p", "hub", "token"],
            &["oauthctl", "token", "-p"],
            &["oauthctl", "token", "-p", "-q"],
            &["oauthctl", "token", "-p", ""],
            &["oauthctl", "token", "--provider="],
            &["oauthctl", "token", "-phub"],
            &["oauthctl", "token", "-p", "a", "-p", "b"],
            &["oauthctl", "token", "-p", "a", "--provider", "b"],
            &["oauthctl", "token", "--json"],
            &["oauthctl", "token", "--min-ttl", "5m"],
            &["oauthctl", "token", "--"],
            &["oauthctl", "token", "extra"],
            &["oauthctl", "token", "--help"],
            &["oauthctl", "header", "--version"],
            &["oauthctl", "header", "--url", "https://api.example/x"],
            &["oauthctl", "decode"],
            &["oauthctl", "decode", "-"],
            &["oauthctl", "decode", "-Vabc"],
            &["oauthctl", "decode", "a.b.c", "d.e.f"],
            &["oauthctl", "decode", "a.b.c", "--verify"],
            &["oauthctl", "decode", ""],
        ];
        let clean = ENV_KEYS.iter().all(|k| std::env::var_os(k).is_none());
        for args in taken.iter().chain(refused) {
            if let Some(cli) = quick(&os(args), &|k| std::env::var_os(k)) {
                assert_eq!(format!("{cli:?}"), clap_parse(args), "{args:?}");
            }
        }
        if clean {
            for args in taken {
                assert!(quick(&os(args), &|_| None).is_some(), "{args:?}");
            }
        }
        for args in refused {
            assert!(quick(&os(args), &|_| None).is_none(), "{args:?}");
        }
    }

    /// A variable counts as clap counts it: like the option it stands for, and below an
    /// option given on the command line. Values clap might take differently (empty, not
    /// a known store, any OAUTHCTL_ALLOW_INSECURE_HTTP) are left to clap.
    #[test]
    fn the_quick_parse_reads_the_environment_as_clap() {
        let with = |args: &[&str], env: &[(&str, &str)]| {
            let env: Vec<(String, String)> = env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            quick(&os(args), &move |k| {
                env.iter()
                    .find(|(name, _)| name == k)
                    .map(|(_, v)| OsString::from(v))
            })
            .map(|c| format!("{c:?}"))
        };
        // (the line, its environment, the line clap must parse the same)
        type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a [&'a str]);
        let cases: &[Case] = &[
            (
                &["token"],
                &[("OAUTHCTL_PROVIDER", "env")],
                &["token", "-p", "env"],
            ),
            (
                &["token", "-p", "cli"],
                &[("OAUTHCTL_PROVIDER", "env")],
                &["token", "-p", "cli"],
            ),
            (
                &["header"],
                &[("OAUTHCTL_CONFIG", "/x/c.toml")],
                &["header", "--config", "/x/c.toml"],
            ),
            (
                &["token"],
                &[("OAUTHCTL_STORE", "file")],
                &["token", "--store", "file"],
            ),
            (
                &["token"],
                &[("OAUTHCTL_STORE", "keyring")],
                &["token", "--store", "keyring"],
            ),
            (
                &["decode", "a.b"],
                &[("OAUTHCTL_PROFILE", "work")],
                &["decode", "a.b", "--profile", "work"],
            ),
        ];
        for (args, env, like) in cases {
            let args = [&["oauthctl"][..], args].concat();
            let like = [&["oauthctl"][..], like].concat();
            assert_eq!(
                with(&args, env),
                Some(clap_parse(&like)),
                "{args:?} {env:?}"
            );
        }
        for env in [
            ("OAUTHCTL_STORE", "File"),
            ("OAUTHCTL_STORE", "bogus"),
            ("OAUTHCTL_STORE", ""),
            ("OAUTHCTL_CONFIG", ""),
            ("OAUTHCTL_PROVIDER", ""),
            ("OAUTHCTL_PROFILE", ""),
            ("OAUTHCTL_ALLOW_INSECURE_HTTP", "0"),
        ] {
            assert_eq!(with(&["oauthctl", "token"], &[env]), None, "{env:?}");
        }
        let non_utf8 = |k: &str| {
            (k == "OAUTHCTL_CONFIG").then(|| {
                use std::os::unix::ffi::OsStringExt;
                OsString::from_vec(vec![0x2f, 0xff])
            })
        };
        assert!(quick(&os(&["oauthctl", "token"]), &non_utf8).is_none());
    }

    #[test]
    fn parse_gives_what_clap_gives() {
        for args in [
            &["oauthctl", "decode", "a.b.c"][..],
            &["oauthctl", "--version"],
            &["oauthctl", "token", "-p", "hub", "--min-ttl", "5m"],
            &["oauthctl", "report", "x.har", "-o", "x.html"],
            &["oauthctl", "token", "-p", "hub"],
            &["oauthctl", "header"],
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
