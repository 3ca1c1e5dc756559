//! `oauthctl inspect`: the stored session as it is (never refreshed): metadata, expiry,
//! scopes, and each token decoded where it is a JWT; secrets redacted unless
//! `--show-secrets`.

use serde_json::{json, Map, Value};

use crate::cli::InspectArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::jwt::{self, Token};
use crate::output;
use crate::provider::ProviderSpec;
use crate::redact;
use crate::secret::Secret;
use crate::store::{self, Backend};

pub fn run(_args: &InspectArgs, ctx: &Context) -> Result<()> {
    let name = ctx.provider_name()?;
    let key = ctx.session_key(&name)?;
    let store = ctx.store()?;
    let guard = store.lock(&key)?;
    let meta = guard.meta()?;
    let Some(session) = guard.load()? else {
        let profile = if key.profile == store::DEFAULT_PROFILE {
            String::new()
        } else {
            format!(" --profile {}", key.profile)
        };
        return Err(Error::login_required(format!("no session for {key}"))
            .with_hint(format!("log in first: `oauthctl login -p {name}{profile}`")));
    };
    drop(guard);
    let display_name = ctx
        .provider_static(&ProviderSpec::default())
        .map(|p| p.display_name().to_string())
        .unwrap_or_else(|_| name.clone());
    let needs_login = meta.as_ref().and_then(|m| m.needs_login.clone());
    let backend = meta.map(|m| m.backend).unwrap_or(Backend::File);
    let file = (backend == Backend::File).then(|| store.file_path(&key).display().to_string());

    let t = &session.tokens;
    let now = store::unix_now();
    let jnow = jwt::now();
    let show = ctx.global.show_secrets;
    let mut tokens: Vec<(String, &Secret)> = vec![("access_token".into(), &t.access_token)];
    if let Some(r) = &t.refresh_token {
        tokens.push(("refresh_token".into(), r));
    }
    if let Some(i) = &t.id_token {
        tokens.push(("id_token".into(), i));
    }
    for (k, v) in &t.secret_extra {
        tokens.push((k.clone(), v));
    }
    let mut described = Map::new();
    for (field, secret) in &tokens {
        described.insert(field.clone(), describe_token(secret, show, jnow));
    }

    let doc = json!({
        "provider": session.provider,
        "display_name": display_name,
        "profile": session.profile,
        "subject": session.subject,
        "client_id": session.client_id,
        "issuer": session.issuer,
        "store": backend.as_str(),
        "file": file,
        "obtained_at": session.obtained_at,
        "expires_at": t.expires_at,
        "expires_in": t.expires_at.map(|e| e as i64 - now as i64),
        "expired": t.expires_at.map(|e| e <= now),
        "refreshable": session.refreshable(),
        "needs_login": needs_login,
        "token_type": t.token_type,
        "scopes": t.scopes,
        "extra": t.extra,
        "tokens": described,
    });
    if ctx.global.json {
        return output::json(&doc);
    }
    output::stdout(&render(&doc, &key.to_string()))
}

/// One token: its value (masked unless `show`), its kind, and the decoded JWT.
fn describe_token(secret: &Secret, show: bool, now: i64) -> Value {
    let raw = secret.expose();
    let value = if show {
        raw.to_string()
    } else {
        redact::mask(raw)
    };
    let mut out = json!({"value": value, "length": raw.len()});
    match jwt::parse(raw) {
        Ok(Token::Opaque { .. }) => out["kind"] = json!("opaque"),
        Ok(tok) => {
            let d = super::decode::describe(&tok, raw, now);
            out["kind"] = d["kind"].clone();
            out["decoded"] = d;
        }
        // Dotted but not a JWT (some servers' opaque formats): say so, do not fail.
        Err(e) => {
            out["kind"] = json!("opaque");
            out["note"] = json!(format!("not a JWT: {}", e.message));
        }
    }
    out
}

fn render(doc: &Value, key: &str) -> String {
    let mut s = format!("Session of {key}\n");
    let mut line = |label: &str, v: String| s.push_str(&format!("  {label:<13} {v}\n"));
    let text = |v: &Value| match v {
        Value::String(x) => x.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    line(
        "provider",
        format!(
            "{} ({})",
            text(&doc["display_name"]),
            text(&doc["provider"])
        ),
    );
    line("subject", text(&doc["subject"]));
    line("client_id", text(&doc["client_id"]));
    if !doc["issuer"].is_null() {
        line("issuer", text(&doc["issuer"]));
    }
    line(
        "store",
        match doc["file"].as_str() {
            Some(f) => format!("file {f}"),
            None => "OS keyring".into(),
        },
    );
    let now = jwt::now();
    if let Some(at) = doc["obtained_at"].as_i64() {
        line(
            "obtained",
            format!("{} ({})", jwt::iso(at), jwt::relative(at, now)),
        );
    }
    line(
        "expires",
        match doc["expires_at"].as_i64() {
            Some(at) => format!("{} ({})", jwt::iso(at), jwt::describe_time("exp", at, now)),
            None => "no expiry given by the server".into(),
        },
    );
    line(
        "refreshable",
        if doc["refreshable"] == true {
            "yes"
        } else {
            "no"
        }
        .into(),
    );
    if let Some(reason) = doc["needs_login"].as_str() {
        line(
            "needs login",
            format!("yes: the server refused to refresh it ({reason})"),
        );
    }
    line("token_type", text(&doc["token_type"]));
    let scopes: Vec<String> = doc["scopes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(text)
        .collect();
    line(
        "scopes",
        if scopes.is_empty() {
            "-".into()
        } else {
            scopes.join(" ")
        },
    );
    for (k, v) in doc["extra"].as_object().into_iter().flatten() {
        line(k, text(v));
    }
    s.push_str("\nTokens\n");
    let tokens = doc["tokens"].as_object().cloned().unwrap_or_default();
    for (name, t) in &tokens {
        let kind = match t["kind"].as_str() {
            Some("jws") => "JWT",
            Some("jwe") => "encrypted JWT (JWE)",
            _ => "opaque",
        };
        s.push_str(&format!(
            "  {name:<13} {} ({kind}, {} characters)\n",
            text(&t["value"]),
            t["length"]
        ));
    }
    for (name, t) in &tokens {
        if let Some(d) = t.get("decoded") {
            s.push('\n');
            s.push_str(&super::decode::render(name, d).replace(
                "Signature: not verified (use --verify)",
                "Signature: not verified (`oauthctl decode --verify` checks it)",
            ));
        }
    }
    s
}
