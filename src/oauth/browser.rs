//! Choosing and launching the browser for a login.
//!
//! A browser named by `--browser`, `OAUTHCTL_BROWSER` or `BROWSER` is always used. With
//! none named, the system's opener is used only when there is a display: over SSH, on
//! a headless machine or without an opener, nothing is launched and the user opens the
//! printed URL themselves. A launched browser is detached: oauthctl never waits for it
//! (an opener that blocks must not keep the listener from answering).

use std::process::{Command, Stdio};

/// What will open the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// A command named by the user; `source` says where it came from.
    Command { command: String, source: String },
    /// The system's default browser (`open`, `xdg-open`, `start`).
    System,
    /// Nothing: the user opens the URL; `reason` says why.
    Nothing { reason: String },
}

/// Picks the browser from the flag, the environment (through `env`) and the system.
pub fn choose(
    flag: Option<&str>,
    no_browser: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> Choice {
    if no_browser {
        return Choice::Nothing {
            reason: "--no-browser".into(),
        };
    }
    if let Some(c) = flag.filter(|c| !c.trim().is_empty()) {
        return Choice::Command {
            command: c.to_string(),
            source: "--browser".into(),
        };
    }
    for var in ["OAUTHCTL_BROWSER", "BROWSER"] {
        if let Some(v) = env(var).filter(|v| !v.trim().is_empty()) {
            // BROWSER may be a list of commands separated by `:` (on Unix).
            let first = if cfg!(unix) && var == "BROWSER" {
                v.split(':')
                    .find(|s| !s.trim().is_empty())
                    .unwrap_or(&v)
                    .to_string()
            } else {
                v
            };
            return Choice::Command {
                command: first,
                source: var.into(),
            };
        }
    }
    match no_display_reason(env) {
        Some(reason) => Choice::Nothing { reason },
        None => Choice::System,
    }
}

fn set(env: &dyn Fn(&str) -> Option<String>, var: &str) -> bool {
    env(var).is_some_and(|v| !v.is_empty())
}

/// Why the system browser cannot be used here, if it cannot.
fn no_display_reason(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let ssh = set(env, "SSH_CONNECTION") || set(env, "SSH_CLIENT") || set(env, "SSH_TTY");
    if cfg!(windows) {
        return None;
    }
    if cfg!(target_os = "macos") {
        return ssh.then(|| "this is an SSH session".to_string());
    }
    let display = set(env, "DISPLAY") || set(env, "WAYLAND_DISPLAY");
    let wsl = set(env, "WSL_DISTRO_NAME");
    if !display && !wsl {
        return Some(if ssh {
            "this is an SSH session without a display".into()
        } else {
            "there is no display (DISPLAY and WAYLAND_DISPLAY are not set)".into()
        });
    }
    let openers = ["xdg-open", "gio", "wslview", "gnome-open", "kde-open"];
    let path = env("PATH").unwrap_or_default();
    let found =
        std::env::split_paths(&path).any(|dir| openers.iter().any(|o| dir.join(o).is_file()));
    if !found {
        return Some("no opener (xdg-open) is installed".into());
    }
    None
}

/// Splits a command line into words: whitespace separates, quotes group, `\` escapes.
pub fn split_command(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (Some(_), c) => cur.push(c),
            (None, '"') | (None, '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Opens `url`; returns a description of what was started, or why it failed.
pub fn launch(choice: &Choice, url: &str) -> Result<String, String> {
    match choice {
        Choice::Nothing { reason } => Err(reason.clone()),
        Choice::System => open::that_detached(url)
            .map(|()| "the system browser".to_string())
            .map_err(|e| format!("cannot start the system browser: {e}")),
        Choice::Command { command, source } => {
            let mut words = split_command(command);
            if words.is_empty() {
                return Err(format!("{source} is empty"));
            }
            if words.iter().any(|w| w.contains("%s")) {
                for w in words.iter_mut() {
                    *w = w.replace("%s", url);
                }
            } else {
                words.push(url.to_string());
            }
            let mut cmd = Command::new(&words[0]);
            cmd.args(&words[1..])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            #[cfg(unix)]
            {
                // Its own process group: Ctrl-C in the terminal stops the login, not the browser.
                use std::os::unix::process::CommandExt;
                cmd.process_group(0);
            }
            match cmd.spawn() {
                Ok(mut child) => {
                    // Reap it whenever it exits; never wait for it here.
                    std::thread::spawn(move || {
                        let _ = child.wait();
                    });
                    Ok(format!("`{}` (from {source})", words[0]))
                }
                Err(e) => Err(format!("cannot run `{}` (from {source}): {e}", words[0])),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn named_browser_wins_in_order() {
        let e = env(&[("OAUTHCTL_BROWSER", "a"), ("BROWSER", "b:c")]);
        assert_eq!(
            choose(Some("f --x"), false, &e),
            Choice::Command {
                command: "f --x".into(),
                source: "--browser".into()
            }
        );
        assert_eq!(
            choose(None, false, &e),
            Choice::Command {
                command: "a".into(),
                source: "OAUTHCTL_BROWSER".into()
            }
        );
        let e = env(&[("BROWSER", "b:c")]);
        if cfg!(unix) {
            assert_eq!(
                choose(None, false, &e),
                Choice::Command {
                    command: "b".into(),
                    source: "BROWSER".into()
                }
            );
        }
        assert!(matches!(
            choose(Some("x"), true, &e),
            Choice::Nothing { .. }
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn no_display_means_nothing_is_launched() {
        let e = env(&[("SSH_CONNECTION", "1 2 3 4")]);
        match choose(None, false, &e) {
            Choice::Nothing { reason } => assert!(reason.contains("SSH"), "{reason}"),
            other => panic!("{other:?}"),
        }
        let e = env(&[("DISPLAY", ":0"), ("PATH", "/nonexistent")]);
        match choose(None, false, &e) {
            Choice::Nothing { reason } => assert!(reason.contains("xdg-open"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            split_command(r#"a "b c" 'd e' f\ g"#),
            ["a", "b c", "d e", "f g"]
        );
        assert_eq!(split_command("  "), Vec::<String>::new());
        assert_eq!(split_command(r#"x """#), ["x", ""]);
    }

    #[cfg(unix)]
    #[test]
    fn launch_runs_the_command_with_the_url_and_does_not_wait_for_it() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let c = Choice::Command {
            command: format!("sh -c 'sleep 3; echo \"$1\" > {}' sh", out.display()),
            source: "test".into(),
        };
        launch(&c, "http://x/?a=1&b=2").unwrap();
        // Returned while the command still runs.
        assert!(!out.exists());
        for _ in 0..100 {
            if std::fs::read_to_string(&out).is_ok_and(|s| !s.is_empty()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "http://x/?a=1&b=2\n"
        );
        let bad = Choice::Command {
            command: "/nonexistent/browser".into(),
            source: "--browser".into(),
        };
        assert!(launch(&bad, "u").unwrap_err().contains("--browser"));
    }
}
