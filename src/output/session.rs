//! A stored session for people and for `--json` (`inspect`): metadata, expiry,
//! scopes, and each token (decoded where it is a JWT).

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

use crate::jwt::{self, describe::StoredToken};
use crate::store::IdTokenCheck;

/// The line under a decoded JWT of a session: it was not verified.
pub const NOT_VERIFIED: &str = "Signature: not verified (`oauthctl decode --verify` checks it)";

/// The session as `inspect` shows it (`--json` prints it as is).
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub provider: String,
    pub display_name: String,
    pub profile: String,
    pub subject: Option<String>,
    pub client_id: Option<String>,
    pub issuer: Option<String>,
    /// `file` or `keyring`.
    pub store: &'static str,
    /// The session's file, when stored in one.
    pub file: Option<String>,
    pub obtained_at: u64,
    pub expires_at: Option<u64>,
    pub expires_in: Option<i64>,
    pub expired: Option<bool>,
    pub refreshable: bool,
    /// Why the server refused to refresh it, when it did.
    pub needs_login: Option<String>,
    pub token_type: String,
    pub scopes: Vec<String>,
    pub extra: BTreeMap<String, Value>,
    /// How the ID token was checked when it came (`None`: not checked, e.g. a session
    /// stored by an older oauthctl).
    pub id_token_check: Option<IdTokenCheck>,
    pub tokens: StoredTokens,
}

/// The session's tokens by field name, in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct StoredTokens(Vec<(String, StoredToken)>);

impl StoredTokens {
    /// Adds a token (one of the same name is replaced where it stands).
    pub fn insert(&mut self, field: &str, token: StoredToken) {
        match self.0.iter_mut().find(|(f, _)| f == field) {
            Some((_, t)) => *t = token,
            None => self.0.push((field.to_string(), token)),
        }
    }
}

impl Serialize for StoredTokens {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (field, token) in &self.0 {
            m.serialize_entry(field, token)?;
        }
        m.end()
    }
}

/// `Session of KEY`, its fields, its tokens, then each decoded JWT.
pub fn render(v: &SessionView, key: &str) -> String {
    let mut s = format!("Session of {key}\n");
    let mut line = |label: &str, v: &str| s.push_str(&format!("  {label:<13} {v}\n"));
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    line("provider", &format!("{} ({})", v.display_name, v.provider));
    line("subject", &or_dash(&v.subject));
    line("client_id", &or_dash(&v.client_id));
    if let Some(issuer) = &v.issuer {
        line("issuer", issuer);
    }
    line(
        "store",
        &match &v.file {
            Some(f) => format!("file {f}"),
            None => "OS keyring".into(),
        },
    );
    let now = jwt::now();
    if let Ok(at) = i64::try_from(v.obtained_at) {
        line(
            "obtained",
            &format!("{} ({})", jwt::iso(at), jwt::relative(at, now)),
        );
    }
    line(
        "expires",
        &match v.expires_at.and_then(|e| i64::try_from(e).ok()) {
            Some(at) => format!("{} ({})", jwt::iso(at), jwt::describe_time("exp", at, now)),
            None => "no expiry given by the server".into(),
        },
    );
    line("refreshable", if v.refreshable { "yes" } else { "no" });
    if let Some(reason) = &v.needs_login {
        line(
            "needs login",
            &format!("yes: the server refused to refresh it ({reason})"),
        );
    }
    line("token_type", &v.token_type);
    line(
        "scopes",
        &if v.scopes.is_empty() {
            "-".into()
        } else {
            v.scopes.join(" ")
        },
    );
    for (k, x) in &v.extra {
        line(k, &text(x));
    }
    s.push_str("\nTokens\n");
    tokens(&mut s, &v.tokens, id_token_line(v).as_deref());
    s
}

/// What `inspect` says of the ID token's checks, when the session has one.
fn id_token_line(v: &SessionView) -> Option<String> {
    if !v.tokens.0.iter().any(|(f, _)| f == "id_token") {
        return None;
    }
    Some(match &v.id_token_check {
        Some(c) => format!("ID token: {}", c.describe()),
        None => "ID token: not checked when stored (a session from an older oauthctl)".into(),
    })
}

fn tokens(s: &mut String, tokens: &StoredTokens, id_token: Option<&str>) {
    for (name, t) in &tokens.0 {
        let kind = match t.kind {
            "jws" => "JWT",
            "jwe" => "encrypted JWT (JWE)",
            _ => "opaque",
        };
        s.push_str(&format!(
            "  {name:<13} {} ({kind}, {} characters)\n",
            t.value, t.length
        ));
    }
    if let Some(line) = id_token {
        s.push_str(&format!("  {line}\n"));
    }
    for (name, t) in &tokens.0 {
        if let Some(d) = &t.decoded {
            s.push('\n');
            let verified = id_token.filter(|_| name == "id_token").map(|l| {
                format!(
                    "Checked when received: {}",
                    l.trim_start_matches("ID token: ")
                )
            });
            let note = verified.as_deref().unwrap_or(NOT_VERIFIED);
            s.push_str(&super::jwt::token(name, d, None, note));
        }
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}
