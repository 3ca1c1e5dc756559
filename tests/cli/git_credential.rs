//! `oauthctl git-credential`: the protocol on its own (get, store, erase, hostile input,
//! a login that is needed), and Debian's real `git` cloning, pushing and fetching over
//! HTTP from `git http-backend` behind a front that accepts only an access token the
//! mock still honours, with the helper configured by the README's line: a fetch after
//! the token expired goes through a refresh; a refused token, erased by git, is renewed.

use std::path::Path;
use std::process::Command;

use crate::support::kit::{self, debian_git, git_server, readme_block, tool_path};
use crate::support::mock::post_form;
use crate::support::session::{tokens, write_session, Mocked};
use crate::support::Env;

/// `git-credential OP` with `input` on stdin.
fn helper(m: &Mocked, op: &str, input: &str) -> std::process::Output {
    m.cmd()
        .args(["git-credential", "-p", "oidc", op])
        .write_stdin(input.to_string())
        .output()
        .unwrap()
}

fn answer(out: &std::process::Output) -> Vec<(String, String)> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.into(), v.into())))
        .collect()
}

fn attr(a: &[(String, String)], k: &str) -> Option<String> {
    a.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone())
}

const REQUEST: &str = "protocol=http\nhost=127.0.0.1\npath=team/repo.git\nunknown=ignored\n\n";

#[test]
fn get_answers_username_token_and_expiry_and_erase_makes_the_next_get_refresh() {
    let m = Mocked::start("oidc", &[]);
    let s = m.login();
    let out = helper(&m, "get", REQUEST);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let a = answer(&out);
    assert_eq!(attr(&a, "username").as_deref(), Some("oauth2"));
    assert_eq!(
        attr(&a, "password").as_deref(),
        Some(s.tokens.access_token.expose())
    );
    assert_eq!(
        attr(&a, "password_expiry_utc"),
        s.tokens.expires_at.map(|e| e.to_string())
    );
    assert_eq!(a.len(), 3, "{a:?}");
    assert_eq!(m.refreshes(200), 0);
    // store does nothing.
    let st = helper(&m, "store", &format!("{REQUEST}password=x\n"));
    assert_eq!(st.status.code(), Some(0));
    assert!(st.stdout.is_empty());
    assert_eq!(helper(&m, "get", REQUEST).stdout, out.stdout);
    // erase of another token (already replaced) changes nothing …
    let e = helper(
        &m,
        "erase",
        "protocol=http\nhost=127.0.0.1\npassword=old\n\n",
    );
    assert_eq!(e.status.code(), Some(0));
    assert_eq!(helper(&m, "get", REQUEST).stdout, out.stdout);
    assert_eq!(m.refreshes(200), 0);
    // … erase of the token git was given renews it at the next get, once.
    let erase = format!(
        "protocol=http\nhost=127.0.0.1\nusername=oauth2\npassword={}\n\n",
        s.tokens.access_token.expose()
    );
    assert_eq!(helper(&m, "erase", &erase).status.code(), Some(0));
    let next = helper(&m, "get", REQUEST);
    assert_eq!(next.status.code(), Some(0));
    let fresh = attr(&answer(&next), "password").unwrap();
    assert_ne!(fresh, s.tokens.access_token.expose());
    assert_eq!(m.refreshes(200), 1);
    assert_eq!(
        attr(&answer(&helper(&m, "get", REQUEST)), "password"),
        Some(fresh)
    );
    assert_eq!(m.refreshes(200), 1);
    // Unknown operations are ignored, as git's protocol says.
    let other = helper(&m, "capability", REQUEST);
    assert_eq!(other.status.code(), Some(0));
    assert!(other.stdout.is_empty());
}

#[test]
fn get_uses_the_providers_git_username() {
    let env = Env::new();
    env.write_config(
        "[providers.corp]\nissuer = \"https://corp.invalid\"\nclient_id = \"c\"\ngit_username = \"x-access-token\"\n",
    );
    write_session(&env, "corp", tokens("tok-1", Some("rt"), 3600));
    let out = env
        .cmd()
        .args(["--store", "file", "git-credential", "-p", "corp", "get"])
        .write_stdin(REQUEST)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let a = answer(&out);
    assert_eq!(attr(&a, "username").as_deref(), Some("x-access-token"));
    assert_eq!(attr(&a, "password").as_deref(), Some("tok-1"));
}

#[test]
fn a_needed_login_prints_nothing_and_one_line_naming_the_login_command() {
    let env = Env::new();
    env.write_config("[providers.corp]\nissuer = \"https://corp.invalid\"\nclient_id = \"c\"\n");
    let out = env
        .cmd()
        .args(["--store", "file", "git-credential", "-p", "corp", "get"])
        .write_stdin(REQUEST)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("oauthctl login -p corp"), "{err}");
    // An expired session without a refresh token: the same.
    write_session(&env, "corp", tokens("tok-1", None, -10));
    let out = env
        .cmd()
        .args(["--store", "file", "git-credential", "-p", "corp", "get"])
        .write_stdin(REQUEST)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("oauthctl login -p corp"), "{err}");
}

#[test]
fn hostile_input_is_capped_and_never_echoed() {
    let env = Env::new();
    env.write_config("[providers.corp]\nissuer = \"https://corp.invalid\"\nclient_id = \"c\"\n");
    write_session(&env, "corp", tokens("tok-1", Some("rt"), 3600));
    // 8 MiB without a newline, binary, NULs, a line that looks like an injected answer.
    let mut big = vec![b'a'; 8 << 20];
    big.extend_from_slice(b"\n\0\xff\npassword=evil\nusername=evil\n");
    for input in [big, b"\0\0\0".to_vec(), b"=\n==\npassword\n".to_vec()] {
        for op in ["get", "erase", "store"] {
            let out = env
                .cmd()
                .args(["--store", "file", "git-credential", "-p", "corp", op])
                .write_stdin(input.clone())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{op}: {out:?}");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(!text.contains("evil"), "{text}");
            if op == "get" {
                assert!(text.contains("password=tok-1\n"), "{text}");
            }
        }
    }
}

/// A home for git: GIT_CONFIG_GLOBAL in it, the README's helper line run there.
struct Git {
    home: tempfile::TempDir,
    mock_config: std::path::PathBuf,
    mock_data: std::path::PathBuf,
}

impl Git {
    fn new(m: &Mocked, base: &str) -> Git {
        let g = Git {
            home: tempfile::tempdir().unwrap(),
            mock_config: m.config.clone(),
            mock_data: m.env.path().to_path_buf(),
        };
        // The README's line, for this server and provider.
        let line = readme_block("git-credential-helper")
            .replace("https://git.example.com", base)
            .replace("-p corp", "-p oidc");
        assert!(
            line.starts_with("git config --global credential."),
            "{line}"
        );
        let out = g.sh(&line).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        g.git(&["config", "--global", "user.email", "alice@example.com"]);
        g.git(&["config", "--global", "user.name", "Alice"]);
        g
    }

    fn sh(&self, line: &str) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c").arg(line);
        self.env(&mut c);
        c
    }

    fn env(&self, c: &mut Command) {
        let at = |p: &str| self.mock_data.join(p);
        c.env_clear()
            .env("PATH", tool_path())
            .env("HOME", self.home.path())
            .env("GIT_CONFIG_GLOBAL", self.home.path().join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_ASKPASS", "/bin/false")
            // oauthctl's own settings reach the helper through git's environment.
            .env("OAUTHCTL_CONFIG", &self.mock_config)
            .env("OAUTHCTL_STORE", "file")
            .env("XDG_CONFIG_HOME", at("config"))
            .env("XDG_DATA_HOME", at("data"))
            .env("XDG_CACHE_HOME", at("cache"))
            .env("XDG_STATE_HOME", at("state"))
            .env("XDG_RUNTIME_DIR", at("run"))
            .env("NO_COLOR", "1");
    }

    fn run(&self, dir: &Path, args: &[&str]) -> std::process::Output {
        let mut c = Command::new(debian_git());
        c.current_dir(dir).args(args);
        self.env(&mut c);
        c.output().unwrap()
    }

    fn git(&self, args: &[&str]) -> std::process::Output {
        let out = self.run(self.home.path(), args);
        assert!(out.status.success(), "git {args:?}: {out:?}");
        out
    }
}

/// A bare repository `team/repo.git` with one commit, under a new root.
fn repository(git: &Git) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let bare = root.path().join("team/repo.git");
    std::fs::create_dir_all(&bare).unwrap();
    git.run(&bare, &["init", "--bare", "-q", "-b", "main"]);
    let seed = root.path().join("seed");
    git.git(&["init", "-q", "-b", "main", seed.to_str().unwrap()]);
    std::fs::write(seed.join("README"), "hello\n").unwrap();
    assert!(git.run(&seed, &["add", "README"]).status.success());
    assert!(git.run(&seed, &["commit", "-qm", "first"]).status.success());
    let push = git.run(&seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
    assert!(push.status.success(), "{push:?}");
    root
}

#[test]
fn real_git_clones_pushes_and_fetches_after_expiry_through_a_refresh() {
    debian_git();
    // Access tokens live 5 s: each `get` refreshes (they expire within --min-ttl), and
    // the token a clone used is dead at the server before the fetch.
    let m = Mocked::start("oidc", &["--access-ttl", "5s"]);
    m.login();
    let userinfo = m.url("/userinfo");
    let front_root = tempfile::tempdir().unwrap();
    let front = git_server(front_root.path(), &userinfo);
    let g = Git::new(&m, &front.base);
    let repo = repository(&g);
    // Serve the repository just made.
    std::fs::rename(repo.path().join("team"), front_root.path().join("team")).unwrap();
    let url = format!("{}/team/repo.git", front.base);
    let work = g.home.path().join("work");
    let clone = g.run(
        g.home.path(),
        &["clone", "-q", &url, work.to_str().unwrap()],
    );
    assert!(clone.status.success(), "clone: {clone:?}");
    assert_eq!(
        std::fs::read_to_string(work.join("README")).unwrap(),
        "hello\n"
    );
    std::fs::write(work.join("NEW"), "pushed\n").unwrap();
    assert!(g.run(&work, &["add", "NEW"]).status.success());
    assert!(g.run(&work, &["commit", "-qm", "second"]).status.success());
    let push = g.run(&work, &["push", "-q", "origin", "main"]);
    assert!(push.status.success(), "push: {push:?}");
    let used = front.seen.lock().unwrap().accepted();
    assert!(!used.is_empty());
    let last = used.last().unwrap().clone();
    // Let that token expire at the server.
    std::thread::sleep(std::time::Duration::from_millis(5500));
    assert!(
        !kit::token_valid(&userinfo, &last),
        "the token should have expired"
    );
    let refreshes = m.refreshes(200);
    let fetch = g.run(&work, &["fetch", "-q", "origin"]);
    assert!(fetch.status.success(), "fetch: {fetch:?}");
    assert!(m.refreshes(200) > refreshes, "the fetch did not refresh");
    let now_used = front.seen.lock().unwrap().accepted();
    assert_ne!(now_used.last().unwrap(), &last);
    // What was pushed is in the served repository.
    let log = g.run(
        &front_root.path().join("team/repo.git"),
        &["log", "--format=%s", "main"],
    );
    assert_eq!(String::from_utf8_lossy(&log.stdout), "second\nfirst\n");
}

#[test]
fn real_git_after_a_refused_token_erases_it_and_the_next_fetch_refreshes() {
    debian_git();
    let m = Mocked::start("oidc", &[]);
    let s = m.login();
    let userinfo = m.url("/userinfo");
    let front_root = tempfile::tempdir().unwrap();
    let front = git_server(front_root.path(), &userinfo);
    let g = Git::new(&m, &front.base);
    let repo = repository(&g);
    std::fs::rename(repo.path().join("team"), front_root.path().join("team")).unwrap();
    let url = format!("{}/team/repo.git", front.base);
    let work = g.home.path().join("work");
    let clone = g.run(
        g.home.path(),
        &["clone", "-q", &url, work.to_str().unwrap()],
    );
    assert!(clone.status.success(), "clone: {clone:?}");
    assert_eq!(m.refreshes(200), 0, "a valid token needs no refresh");
    // The server stops honouring the token (revoked there), though it has not expired.
    let cfg: toml::Value = toml::from_str(&std::fs::read_to_string(&m.config).unwrap()).unwrap();
    let p = &cfg["providers"]["oidc"];
    let basic = crate::support::mock::basic(
        p["client_id"].as_str().unwrap(),
        p["client_secret"].as_str().unwrap_or(""),
    );
    let r = post_form(
        &m.url("/revoke"),
        &[("token", s.tokens.access_token.expose())],
        &[("Authorization", &basic)],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(!kit::token_valid(&userinfo, s.tokens.access_token.expose()));
    // git is refused, tells the helper to erase, and fails.
    let refused = g.run(&work, &["fetch", "-q", "origin"]);
    assert!(!refused.status.success(), "{refused:?}");
    assert_eq!(m.refreshes(200), 0);
    assert!(front
        .seen
        .lock()
        .unwrap()
        .refused()
        .contains(&s.tokens.access_token.expose().to_string()));
    // The next fetch gets a renewed token.
    let fetch = g.run(&work, &["fetch", "-q", "origin"]);
    assert!(fetch.status.success(), "fetch: {fetch:?}");
    assert_eq!(m.refreshes(200), 1);
    let last = front.seen.lock().unwrap().accepted().pop().unwrap();
    assert_ne!(last, s.tokens.access_token.expose());
}
