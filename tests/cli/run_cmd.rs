//! `oauthctl run -- CMD`: the token in CMD's environment (never printed), the header
//! value, CMD's exit status (a signal death as 128+N), SIGTERM, SIGINT and SIGHUP
//! forwarded, no CMD without a session; and the README's curl recipes against the mock.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use crate::support::kit::{readme_block, tool_path};
use crate::support::mock::std_cmd;
use crate::support::session::{tokens, write_session, Mocked};
use crate::support::Env;

fn corp() -> Env {
    let env = Env::new();
    env.write_config("[providers.corp]\nissuer = \"https://corp.invalid\"\nclient_id = \"c\"\n");
    write_session(&env, "corp", tokens("tok-run-1", Some("rt"), 3600));
    env
}

fn run(env: &Env, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(["--store", "file", "run", "-p", "corp"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn passes_the_token_in_the_environment_never_on_the_terminal() {
    let env = corp();
    let out = run(
        &env,
        &[
            "--",
            "sh",
            "-c",
            "printf '%s|%s' \"$OAUTH_TOKEN\" \"$AUTH\"",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "tok-run-1|");
    assert!(out.stderr.is_empty(), "{out:?}");
    let out = run(
        &env,
        &[
            "--env",
            "API_TOKEN",
            "--header-env",
            "AUTH",
            "--",
            "sh",
            "-c",
            "printf '%s|%s|%s' \"$API_TOKEN\" \"$AUTH\" \"${OAUTH_TOKEN-unset}\"",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "tok-run-1|Bearer tok-run-1|unset"
    );
    // Bad variable names and a missing command are refused before anything runs.
    assert_eq!(
        run(&env, &["--env", "A=B", "--", "true"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&env, &[]).status.code(), Some(2));
    let missing = run(&env, &["--", "/nonexistent/cmd"]);
    assert_eq!(missing.status.code(), Some(3), "{missing:?}");
    assert!(!String::from_utf8_lossy(&missing.stderr).contains("tok-run-1"));
}

#[test]
fn passes_the_exit_status_through_and_a_signal_death_as_128_plus_n() {
    let env = corp();
    for (script, code) in [
        ("exit 0", 0),
        ("exit 7", 7),
        ("exit 255", 255),
        ("kill -9 $$", 137),
        ("kill -TERM $$", 143),
    ] {
        let out = run(&env, &["--", "sh", "-c", script]);
        assert_eq!(out.status.code(), Some(code), "{script}: {out:?}");
    }
}

#[test]
fn no_session_is_exit_4_and_cmd_never_runs() {
    let env = Env::new();
    env.write_config("[providers.corp]\nissuer = \"https://corp.invalid\"\nclient_id = \"c\"\n");
    let marker = env.path().join("ran");
    let out = run(
        &env,
        &["--", "sh", "-c", &format!("touch {}", marker.display())],
    );
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("oauthctl login -p corp"));
    assert!(!marker.exists());
}

#[test]
fn forwards_sigterm_sigint_and_sighup_to_the_command() {
    let env = corp();
    for (sig, name, code) in [
        (libc::SIGTERM, "TERM", 42),
        (libc::SIGINT, "INT", 43),
        (libc::SIGHUP, "HUP", 44),
    ] {
        let script = format!(
            "trap 'echo got-{name}; exit {code}' {name}; echo ready $$; while :; do sleep 0.05; done"
        );
        let mut child = std_cmd(&env)
            .args([
                "--store", "file", "run", "-p", "corp", "--", "sh", "-c", &script,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let sh: i32 = line
            .strip_prefix("ready ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("{line}"));
        // The signal goes to oauthctl only, not to its process group.
        let pid = child.id() as i32;
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = std::io::Read::read_to_string(&mut out, &mut rest);
            let _ = tx.send(rest);
        });
        let Ok(rest) = rx.recv_timeout(Duration::from_secs(10)) else {
            // Not forwarded: the command still runs; end it, and fail.
            unsafe { libc::kill(sh, libc::SIGKILL) };
            let _ = child.kill();
            let _ = child.wait();
            panic!("SIG{name} was not forwarded: the command still ran 10 s later");
        };
        let status = wait_timeout(&mut child, Duration::from_secs(20));
        assert_eq!(status.code(), Some(code), "{name}: {rest}");
        assert_eq!(rest, format!("got-{name}\n"));
    }
}

fn wait_timeout(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let start = std::time::Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("oauthctl run did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_readmes_curl_recipes_reach_the_api_with_the_token() {
    let m = Mocked::start("oidc", &[]);
    m.login();
    let userinfo = m.url("/userinfo");
    let recipes = readme_block("run-recipes");
    let curl: Vec<&str> = recipes.lines().filter(|l| l.contains("curl ")).collect();
    assert_eq!(curl.len(), 3, "{recipes}");
    for line in curl {
        let line = line
            .replace("https://api.example.com/me", &userinfo)
            .replace("-p corp", "-p oidc");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&line)
            .env_clear()
            .envs(m.env.vars())
            .env("PATH", tool_path())
            .env("OAUTHCTL_CONFIG", &m.config)
            .env("OAUTHCTL_STORE", "file")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{line}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("\"sub\""),
            "{line}: {out:?}"
        );
    }
}
