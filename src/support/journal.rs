//! The flow journal: what oauthctl knows about recent authorization flows, so that a
//! failed token request can be explained later, by another command.
//!
//! `authorize-url` and `login` record each authorization request (provider, client_id,
//! redirect_uri, PKCE challenge, when); `login` records when its code arrived; every
//! token request records which code it sent (as a hash) and how it ended. `exchange`
//! and the diagnosis read it back: "this code was already exchanged 2 min ago",
//! "redirect_uri differs from the authorization request's", "S256 of this verifier is
//! not the challenge that was sent", "the URL was made 12 min ago; codes live 10".
//!
//! No secret is ever written: codes and states are kept as SHA-256 hashes; the PKCE
//! challenge is public (it was in the URL); the verifier is never stored. The file is
//! `$XDG_STATE_HOME/oauthctl/flows.json`, mode 0600, changed under a lock and written
//! atomically (parallel commands each keep their flow), and keeps the
//! last [`MAX_FLOWS`] flows of the last [`MAX_AGE`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::store::lock::FileLock;

pub const MAX_FLOWS: usize = 50;
pub const MAX_AGE: Duration = Duration::from_secs(7 * 86400);
/// How long a journal update waits for another process's.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// A one-way hash of a code or state: 128 bits of SHA-256, hex.
pub fn hash(value: &str) -> String {
    Sha256::digest(value.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub use crate::clock::unix_now;

/// A flow made by `authorize-url` this long ago or less is taken to be the one of a code
/// given without its state.
const LATEST_FLOW_WINDOW: u64 = 3600;

/// One token request that sent a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub code_hash: String,
    /// Unix time of the request.
    pub at: u64,
    /// `login` or `exchange`.
    pub by: String,
    pub redirect_uri: Option<String>,
    /// `ok`, or the OAuth error code the server answered.
    pub outcome: String,
}

/// One authorization request and what followed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub provider: String,
    pub client_id: String,
    pub state_hash: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    /// Unix time the authorization URL was made.
    pub created_at: u64,
    /// `login` or `authorize-url`.
    pub source: String,
    /// The code the redirect brought, hashed, and when it arrived (login only).
    #[serde(default)]
    pub code_hash: Option<String>,
    #[serde(default)]
    pub code_received_at: Option<u64>,
    #[serde(default)]
    pub exchanges: Vec<Exchange>,
    /// The OpenID Connect nonce sent, hashed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce_hash: Option<String>,
}

impl Flow {
    pub fn new(
        provider: &str,
        client_id: &str,
        state: &str,
        redirect_uri: &str,
        challenge: Option<&str>,
        source: &str,
    ) -> Flow {
        Flow {
            provider: provider.to_string(),
            client_id: client_id.to_string(),
            state_hash: hash(state),
            redirect_uri: redirect_uri.to_string(),
            code_challenge: challenge.map(str::to_string),
            code_challenge_method: challenge.map(|_| "S256".to_string()),
            created_at: unix_now(),
            source: source.to_string(),
            code_hash: None,
            code_received_at: None,
            exchanges: Vec::new(),
            nonce_hash: None,
        }
    }

    /// The flow with the hash of the nonce it sent (never the nonce itself).
    pub fn with_nonce(mut self, nonce: Option<&str>) -> Flow {
        self.nonce_hash = nonce.map(hash);
        self
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    flows: Vec<Flow>,
}

/// The journal file.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    pub fn new(path: PathBuf) -> Journal {
        Journal { path }
    }

    /// `$XDG_STATE_HOME/oauthctl/flows.json` (the platform's local data dir where there
    /// is no state dir).
    pub fn default_path() -> Option<PathBuf> {
        let d = directories::ProjectDirs::from("", "", "oauthctl")?;
        let dir = d
            .state_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| d.data_local_dir().to_path_buf());
        Some(dir.join("flows.json"))
    }

    pub fn open_default() -> Result<Journal> {
        Self::default_path().map(Journal::new).ok_or_else(|| {
            Error::storage("cannot find a state directory for the flow journal")
                .with_hint("set HOME (or XDG_STATE_HOME)")
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    /// Every flow, oldest first. A missing file is an empty journal; an unreadable one
    /// is an error (it is a diagnosis aid: callers may carry on without it).
    pub fn flows(&self) -> Result<Vec<Flow>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str::<File>(&text)
                .map(|f| f.flows)
                .map_err(|e| {
                    Error::storage(format!(
                        "the flow journal {} is damaged: {e}",
                        self.path.display()
                    ))
                    .with_hint("delete it: it only helps explain errors")
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(Error::storage(format!(
                "cannot read the flow journal {}: {e}",
                self.path.display()
            ))),
        }
    }

    /// Loads, changes and writes back the journal (atomically, 0600), dropping flows
    /// beyond [`MAX_FLOWS`] or older than [`MAX_AGE`]. A damaged file is started anew.
    ///
    /// The read-change-write runs under a lock (`flows.json.lock` beside the file), so
    /// parallel `authorize-url` and `login` commands each keep their flow.
    pub fn update(&self, change: impl FnOnce(&mut Vec<Flow>)) -> Result<()> {
        let _lock = FileLock::acquire(&self.lock_path(), LOCK_WAIT)?;
        let mut flows = self.flows().unwrap_or_default();
        change(&mut flows);
        let cutoff = unix_now().saturating_sub(MAX_AGE.as_secs());
        flows.retain(|f| f.created_at >= cutoff);
        if flows.len() > MAX_FLOWS {
            let drop = flows.len() - MAX_FLOWS;
            flows.drain(..drop);
        }
        self.write(&File { version: 1, flows })
    }

    fn write(&self, file: &File) -> Result<()> {
        let dir = self
            .path
            .parent()
            .ok_or_else(|| Error::storage(format!("{} has no directory", self.path.display())))?;
        let io = |e: std::io::Error, what: &Path| {
            Error::storage(format!(
                "cannot write the flow journal {}: {e}",
                what.display()
            ))
        };
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir).map_err(|e| io(e, dir))?;
        let text = serde_json::to_string_pretty(file)
            .map_err(|e| Error::internal(format!("cannot render the flow journal: {e}")))?;
        let tmp = dir.join(format!(
            ".flows.{}.{:08x}.tmp",
            std::process::id(),
            rand::random::<u32>()
        ));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let written = (|| {
            use std::io::Write;
            let mut f = opts.open(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e, &tmp));
        }
        std::fs::rename(&tmp, &self.path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e, &self.path)
        })
    }

    pub fn record_flow(&self, flow: Flow) -> Result<()> {
        self.update(|flows| flows.push(flow))
    }

    /// Notes the code a flow's redirect brought.
    pub fn record_code(&self, state: &str, code: &str) -> Result<()> {
        let sh = hash(state);
        let ch = hash(code);
        self.update(|flows| {
            if let Some(f) = flows.iter_mut().rev().find(|f| f.state_hash == sh) {
                f.code_hash = Some(ch);
                f.code_received_at = Some(unix_now());
            }
        })
    }

    /// Notes a token request that sent `code`, under the flow it belongs to (found by
    /// state, else by code), or under `fallback` (a flow of its own) when none is known.
    pub fn record_exchange(
        &self,
        state: Option<&str>,
        code: &str,
        exchange: Exchange,
        fallback: Option<Flow>,
    ) -> Result<()> {
        let sh = state.map(hash);
        let ch = hash(code);
        self.update(|flows| {
            let found = flows.iter_mut().rev().find(|f| {
                sh.as_deref().is_some_and(|s| f.state_hash == s)
                    || f.code_hash.as_deref() == Some(ch.as_str())
                    || f.exchanges.iter().any(|x| x.code_hash == ch)
            });
            match found {
                Some(f) => {
                    if f.code_hash.is_none() {
                        f.code_hash = Some(ch.clone());
                    }
                    f.exchanges.push(exchange);
                }
                None => {
                    if let Some(mut f) = fallback {
                        f.code_hash = Some(ch.clone());
                        f.exchanges.push(exchange);
                        flows.push(f);
                    }
                }
            }
        })
    }

    /// The newest flow with this state.
    pub fn by_state(&self, state: &str) -> Option<Flow> {
        let sh = hash(state);
        self.flows()
            .ok()?
            .into_iter()
            .rev()
            .find(|f| f.state_hash == sh)
    }

    /// The newest flow that received or exchanged this code.
    pub fn by_code(&self, code: &str) -> Option<Flow> {
        let ch = hash(code);
        self.flows().ok()?.into_iter().rev().find(|f| {
            f.code_hash.as_deref() == Some(ch.as_str())
                || f.exchanges.iter().any(|x| x.code_hash == ch)
        })
    }

    /// The newest flow of a provider.
    pub fn latest(&self, provider: &str) -> Option<Flow> {
        self.flows()
            .ok()?
            .into_iter()
            .rev()
            .find(|f| f.provider == provider)
    }

    /// The flow a code belongs to: by the callback's state, else by the code itself, else
    /// the last authorization URL made for this provider (within the hour, never used).
    pub fn flow_of_code(
        &self,
        provider: &str,
        state: Option<&str>,
        code: &str,
        now: u64,
    ) -> Option<Flow> {
        if let Some(f) = state.and_then(|s| self.by_state(s)) {
            return Some(f);
        }
        if let Some(f) = self.by_code(code) {
            return Some(f);
        }
        self.latest(provider).filter(|f| {
            state.is_none()
                && f.source == "authorize-url"
                && f.code_hash.is_none()
                && f.exchanges.is_empty()
                && now.saturating_sub(f.created_at) <= LATEST_FLOW_WINDOW
        })
    }

    /// Earlier token requests that sent this code, oldest first.
    pub fn exchanges_of(&self, code: &str) -> Vec<Exchange> {
        let ch = hash(code);
        self.flows()
            .unwrap_or_default()
            .into_iter()
            .flat_map(|f| f.exchanges)
            .filter(|x| x.code_hash == ch)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal() -> (tempfile::TempDir, Journal) {
        let d = tempfile::tempdir().unwrap();
        let j = Journal::new(d.path().join("state/oauthctl/flows.json"));
        (d, j)
    }

    #[test]
    fn flows_codes_and_exchanges_are_found_again_and_no_secret_is_written() {
        let (_d, j) = journal();
        let f = Flow::new(
            "hub",
            "cid",
            "st-1",
            "http://127.0.0.1:1/cb",
            Some("chal"),
            "login",
        );
        j.record_flow(f).unwrap();
        j.record_code("st-1", "the-code-value").unwrap();
        let x = Exchange {
            code_hash: hash("the-code-value"),
            at: unix_now(),
            by: "login".into(),
            redirect_uri: Some("http://127.0.0.1:1/cb".into()),
            outcome: "ok".into(),
        };
        j.record_exchange(Some("st-1"), "the-code-value", x, None)
            .unwrap();
        let flow = j.by_code("the-code-value").unwrap();
        assert_eq!(flow.code_challenge.as_deref(), Some("chal"));
        assert_eq!(flow.exchanges.len(), 1);
        assert_eq!(j.by_state("st-1").unwrap(), flow);
        assert_eq!(j.exchanges_of("the-code-value").len(), 1);
        assert!(j.exchanges_of("other").is_empty());
        assert_eq!(j.latest("hub").unwrap(), flow);
        assert!(j.latest("chatwork").is_none());
        let text = std::fs::read_to_string(j.path()).unwrap();
        assert!(
            !text.contains("the-code-value") && !text.contains("st-1"),
            "{text}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(j.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_unknown_code_gets_a_flow_of_its_own_and_old_flows_go() {
        let (_d, j) = journal();
        let x = Exchange {
            code_hash: hash("c"),
            at: unix_now(),
            by: "exchange".into(),
            redirect_uri: None,
            outcome: "invalid_grant".into(),
        };
        let own = Flow::new("hub", "cid", "", "u", None, "exchange");
        j.record_exchange(None, "c", x.clone(), Some(own)).unwrap();
        assert_eq!(j.exchanges_of("c"), vec![x]);
        for i in 0..(MAX_FLOWS + 5) {
            let mut f = Flow::new("hub", "cid", &format!("s{i}"), "u", None, "login");
            if i == 0 {
                f.created_at = 1;
            }
            j.record_flow(f).unwrap();
        }
        let flows = j.flows().unwrap();
        assert_eq!(flows.len(), MAX_FLOWS);
        assert!(flows.iter().all(|f| f.created_at > 1));
    }

    #[test]
    fn a_damaged_journal_is_reported_and_started_anew() {
        let (_d, j) = journal();
        std::fs::create_dir_all(j.path().parent().unwrap()).unwrap();
        std::fs::write(j.path(), "not json").unwrap();
        assert!(j.flows().unwrap_err().message.contains("damaged"));
        j.record_flow(Flow::new("hub", "c", "s", "u", None, "login"))
            .unwrap();
        assert_eq!(j.flows().unwrap().len(), 1);
    }
}
