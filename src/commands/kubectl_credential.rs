//! `oauthctl kubectl-credential -p NAME [--use access-token|id-token]`: a kubectl exec
//! credential plugin. kubectl says what it wants in `KUBERNETES_EXEC_INFO` (an
//! `ExecCredential` with `apiVersion` and `spec.interactive`); the answer is an
//! `ExecCredential` of the same version with `status.token` and
//! `status.expirationTimestamp`. Without the variable: v1beta1, which every kubectl since
//! 1.11 reads (v1 needs 1.22 or newer; Debian 12's kubectl is 1.20). A login that is
//! needed is logged in when kubectl says the session is interactive (the dispatcher
//! composes that with `login`), else exit 4 with the login command on stderr.

use serde_json::{json, Value};

use crate::cli::{KubectlCredentialArgs, TokenUse};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::session::credential::{fresh_credential, Use};

const GROUP: &str = "client.authentication.k8s.io";
const VERSIONS: &[&str] = &["v1", "v1beta1"];
pub const DEFAULT_API_VERSION: &str = "client.authentication.k8s.io/v1beta1";

/// What kubectl asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct ExecInfo {
    pub api_version: String,
    pub interactive: bool,
}

/// Reads `KUBERNETES_EXEC_INFO`: absent or empty → v1beta1, not interactive.
pub fn exec_info(var: Option<&str>) -> Result<ExecInfo> {
    let raw = match var.map(str::trim) {
        None | Some("") => {
            return Ok(ExecInfo {
                api_version: DEFAULT_API_VERSION.into(),
                interactive: false,
            })
        }
        Some(r) => r,
    };
    let hint = "KUBERNETES_EXEC_INFO is set by kubectl for its exec credential plugins: unset it to run this command by hand";
    let v: Value = serde_json::from_str(raw).map_err(|e| {
        Error::input(format!("KUBERNETES_EXEC_INFO is not JSON: {e}")).with_hint(hint)
    })?;
    let api_version = match v.get("apiVersion").and_then(Value::as_str) {
        None | Some("") => DEFAULT_API_VERSION.to_string(),
        Some(a) => a.to_string(),
    };
    let known = api_version
        .strip_prefix(GROUP)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|ver| VERSIONS.contains(&ver));
    if !known {
        let shown: String = api_version.chars().take(80).collect();
        return Err(Error::input(format!(
            "kubectl asks for an ExecCredential of apiVersion {shown:?}; oauthctl answers {GROUP}/v1 and {GROUP}/v1beta1"
        ))
        .with_hint("set `apiVersion: client.authentication.k8s.io/v1beta1` (or v1 with kubectl 1.22+) in the kubeconfig's exec section"));
    }
    let interactive = v
        .pointer("/spec/interactive")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(ExecInfo {
        api_version,
        interactive,
    })
}

/// Whether kubectl says a login may talk to the user (an unreadable variable: no).
pub fn interactive() -> bool {
    let var = std::env::var("KUBERNETES_EXEC_INFO").ok();
    exec_info(var.as_deref()).is_ok_and(|i| i.interactive)
}

pub fn run(args: &KubectlCredentialArgs, ctx: &Context) -> Result<()> {
    let var = std::env::var("KUBERNETES_EXEC_INFO").ok();
    let info = exec_info(var.as_deref())?;
    let what = match args.token {
        TokenUse::AccessToken => Use::AccessToken,
        TokenUse::IdToken => Use::IdToken,
    };
    let cred = fresh_credential(ctx, args.min_ttl, what)?;
    let mut status = json!({ "token": cred.token.expose() });
    if let Some(exp) = cred.expires_at {
        status["expirationTimestamp"] = json!(rfc3339(exp));
    }
    output::json(&json!({
        "apiVersion": info.api_version,
        "kind": "ExecCredential",
        "status": status,
    }))
}

fn rfc3339(unix: u64) -> String {
    std::time::UNIX_EPOCH
        .checked_add(std::time::Duration::from_secs(unix))
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| "9999-12-31T23:59:59Z".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_kubectl_asks() {
        let d = exec_info(None).unwrap();
        assert_eq!(d.api_version, DEFAULT_API_VERSION);
        assert!(!d.interactive);
        let v1 = exec_info(Some(r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}"#)).unwrap();
        assert_eq!(v1.api_version, "client.authentication.k8s.io/v1");
        assert!(v1.interactive);
        assert_eq!(
            exec_info(Some("[1]")).unwrap().api_version,
            DEFAULT_API_VERSION
        );
        let e = exec_info(Some(
            r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#,
        ))
        .unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(exec_info(Some("{")).is_err());
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
