//! The user's config file and the layering of provider settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{env_prefix, presets, Origin, Provider, ProviderSpec};
use crate::error::{Error, Result};

/// `config.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The provider used when `-p` is absent.
    pub default_provider: Option<String>,
    /// Default HTTP timeout, e.g. "30s".
    pub timeout: Option<String>,
    /// How long discovery documents are cached, e.g. "1h" (default).
    pub discovery_ttl: Option<String>,
    /// Provider tables: a preset's name overrides its fields; a new name defines a provider.
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderSpec>,
}

/// The loaded config and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub file: ConfigFile,
    pub path: Option<PathBuf>,
}

/// The permission bits of `path` (following links), where the platform has them.
#[cfg(unix)]
fn file_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().map(|m| m.permissions().mode())
}

#[cfg(not(unix))]
fn file_mode(_: &Path) -> Option<u32> {
    None
}

/// `$XDG_CONFIG_HOME/oauthctl/config.toml` (or the platform's equivalent).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "oauthctl").map(|d| d.config_dir().join("config.toml"))
}

impl Config {
    /// The file an edit goes to: the loaded one, else the default path.
    pub fn path_for_edit(&self) -> Result<PathBuf> {
        self.path.clone().or_else(default_path).ok_or_else(|| {
            Error::input("cannot find where the config file goes")
                .with_hint("set HOME (or XDG_CONFIG_HOME), or pass --config FILE")
        })
    }

    /// Loads `explicit` (which must exist), else the default path (which may be absent).
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let (path, must_exist) = match explicit {
            Some(p) => (Some(p.to_path_buf()), true),
            None => (default_path(), false),
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return Ok(Config {
                    file: ConfigFile::default(),
                    path: None,
                })
            }
            Err(e) => {
                return Err(Error::input(format!(
                    "cannot read config file {}: {e}",
                    path.display()
                ))
                .with_hint("check the path given with --config or OAUTHCTL_CONFIG"))
            }
        };
        let file = parse(&text, &path)?;
        Ok(Config {
            file,
            path: Some(path),
        })
    }

    /// A warning when the file holds a `client_secret` and users other than its owner can
    /// read it (Unix permissions).
    pub fn exposed_secret_warning(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        let holders: Vec<&str> = self
            .file
            .providers
            .iter()
            .filter(|(_, spec)| spec.client_secret.is_some())
            .map(|(name, _)| name.as_str())
            .collect();
        if holders.is_empty() {
            return None;
        }
        let mode = file_mode(path)?;
        if mode & 0o077 == 0 {
            return None;
        }
        Some(format!(
            "the config file {} holds the client_secret of [providers.{}] and other users can read it (mode {:03o}): run `chmod 600 {}`, or keep the secret out of the file with `client_secret_env = \"VAR\"`",
            path.display(),
            holders.join("], [providers."),
            mode & 0o777,
            path.display()
        ))
    }

    pub fn display_path(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => default_path()
                .map(|p| format!("{} (absent)", p.display()))
                .unwrap_or_else(|| "(none)".into()),
        }
    }

    /// The provider name to use: `-p`, else `default_provider`.
    pub fn provider_name(&self, flag: Option<&str>) -> Result<String> {
        if let Some(n) = flag {
            return Ok(n.to_string());
        }
        if let Some(n) = &self.file.default_provider {
            return Ok(n.clone());
        }
        Err(Error::usage("no provider given").with_hint(format!(
            "pass -p NAME (one of: {}), or set default_provider in {}",
            self.known_names()?.join(", "),
            self.display_path()
        )))
    }

    pub fn known_names(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = presets()?.into_keys().collect();
        for k in self.file.providers.keys() {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
        Ok(names)
    }

    /// Preset ⊕ config ⊕ environment ⊕ flags, without discovery. `discovered` goes
    /// between the preset and the config file when given.
    pub fn layered(
        &self,
        name: &str,
        discovered: Option<&ProviderSpec>,
        flags: &ProviderSpec,
    ) -> Result<Provider> {
        let preset = presets()?.remove(name);
        let configured = self.file.providers.get(name);
        let origin = match (&preset, configured) {
            (Some(_), Some(_)) => Origin::PresetAndConfig,
            (Some(_), None) => Origin::Preset,
            (None, Some(_)) => Origin::Config,
            (None, None) => {
                return Err(Error::input(format!("unknown provider `{name}`")).with_hint(format!(
                    "known providers: {}. To add one, put a [providers.{name}] table with `issuer` and `client_id` in {}",
                    self.known_names()?.join(", "),
                    self.display_path()
                )))
            }
        };
        let mut spec = preset.unwrap_or_default();
        if let Some(d) = discovered {
            spec = spec.overlay(d);
        }
        if let Some(c) = configured {
            let mut c = c.clone();
            // A relative key file is relative to the config file.
            if let (Some(k), Some(dir)) = (
                &c.client_assertion_key,
                self.path.as_deref().and_then(Path::parent),
            ) {
                if Path::new(k).is_relative() {
                    c.client_assertion_key = Some(dir.join(k).display().to_string());
                }
            }
            for file in [&mut c.tls_client_certificate, &mut c.tls_client_key] {
                if let (Some(f), Some(dir)) =
                    (file.as_ref(), self.path.as_deref().and_then(Path::parent))
                {
                    if Path::new(f).is_relative() {
                        *file = Some(dir.join(f).display().to_string());
                    }
                }
            }
            spec = spec.overlay(&c);
        }
        spec = spec.overlay(&env_layer(name)?);
        spec = spec.overlay(flags);
        if let Some(d) = discovered {
            spec.apply_mtls_aliases(d);
        }
        Ok(Provider {
            name: name.to_string(),
            origin,
            spec,
            discovered_from: None,
        })
    }
}

impl Config {
    /// Every setting of the resolved provider `name` with the layer it came from
    /// (preset, discovery, config, environment, flag): the last layer that set it.
    pub fn provenance(
        &self,
        name: &str,
        discovered: Option<&ProviderSpec>,
        flags: &ProviderSpec,
    ) -> Vec<(String, serde_json::Value, &'static str)> {
        let preset = presets().ok().and_then(|mut p| p.remove(name));
        let env = env_layer(name).unwrap_or_default();
        let layers: [(Option<&ProviderSpec>, &'static str); 5] = [
            (preset.as_ref(), "preset"),
            (discovered, "discovery"),
            (self.file.providers.get(name), "config"),
            (Some(&env), "environment"),
            (Some(flags), "flag"),
        ];
        let mut out: Vec<(String, serde_json::Value, &'static str)> = Vec::new();
        for (layer, source) in layers {
            let Some(spec) = layer else { continue };
            let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(spec) else {
                continue;
            };
            for (k, v) in fields {
                if v.is_null() {
                    continue;
                }
                match out.iter_mut().find(|(n, _, _)| *n == k) {
                    Some(row) => *row = (k, v, source),
                    None => out.push((k, v, source)),
                }
            }
        }
        out
    }
}

/// `OAUTHCTL_<NAME>_CLIENT_ID`, `_CLIENT_SECRET`, `_REDIRECT_URI`, `_SCOPES`, `_ISSUER`,
/// `_CLIENT_ASSERTION_KEY`, `_TLS_CLIENT_CERTIFICATE`, `_TLS_CLIENT_KEY`.
pub fn env_layer(name: &str) -> Result<ProviderSpec> {
    let prefix = format!("OAUTHCTL_{}_", env_prefix(name));
    let get = |k: &str| {
        std::env::var(format!("{prefix}{k}"))
            .ok()
            .filter(|v| !v.is_empty())
    };
    Ok(ProviderSpec {
        client_id: get("CLIENT_ID"),
        client_secret: get("CLIENT_SECRET"),
        redirect_uri: get("REDIRECT_URI"),
        issuer: get("ISSUER"),
        client_assertion_key: get("CLIENT_ASSERTION_KEY"),
        tls_client_certificate: get("TLS_CLIENT_CERTIFICATE"),
        tls_client_key: get("TLS_CLIENT_KEY"),
        scopes: get("SCOPES").map(|s| {
            s.split([' ', ','])
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        }),
        ..Default::default()
    })
}

/// Warnings for the variables that override a newly registered client of `name`
/// (`OAUTHCTL_<NAME>_CLIENT_ID`, `_CLIENT_SECRET`).
pub fn registered_client_overrides(name: &str) -> Vec<String> {
    [("CLIENT_ID", "client_id"), ("CLIENT_SECRET", "secret")]
        .into_iter()
        .filter_map(|(var, what)| {
            let var = format!("OAUTHCTL_{}_{var}", env_prefix(name));
            std::env::var_os(&var)
                .is_some_and(|v| !v.is_empty())
                .then(|| {
                    format!("{var} is set: it overrides the registered client's {what}; unset it")
                })
        })
        .collect()
}

/// Parses config text; errors name the file, the line and the column.
pub fn parse(text: &str, path: &Path) -> Result<ConfigFile> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| line_col(text, s.start))
            .unwrap_or((0, 0));
        let msg = e.message().trim().to_string();
        let at = if line > 0 {
            format!("{}:{line}:{col}", path.display())
        } else {
            path.display().to_string()
        };
        // An enum setting with a value outside its set: say what to write instead.
        let hint = match msg.split_once(" = \"").zip(msg.split_once(" is not one of: ")) {
            Some(((field, _), (_, allowed))) if !field.contains(' ') => {
                format!("set {field} to one of: {allowed}")
            }
            _ => "fix the file (see the config reference in the README: `[providers.NAME]` tables with keys such as issuer, client_id, token_endpoint)".to_string(),
        };
        Error::input(format!("config file {at}: {msg}")).with_hint(hint)
    })?;
    for (name, spec) in &file.providers {
        validate(name, spec).map_err(|e| {
            let hint = e.hint.clone().unwrap_or_default();
            Error::input(format!("config file {}: {}", path.display(), e.message)).with_hint(hint)
        })?;
    }
    Ok(file)
}

fn validate(name: &str, spec: &ProviderSpec) -> Result<()> {
    // The settings with a closed set of values are enums, checked while parsing.
    for key in super::ENDPOINT_KEYS
        .iter()
        .chain(["issuer", "api_base"].iter())
    {
        if let Some(v) = spec.get_str(key) {
            let u = url::Url::parse(&v).map_err(|e| {
                Error::input(format!(
                    "[providers.{name}] {key} = \"{v}\" is not a URL: {e}"
                ))
                .with_hint("write an absolute URL such as https://auth.example.com/oauth/token")
            })?;
            if !matches!(u.scheme(), "http" | "https") {
                return Err(Error::input(format!(
                    "[providers.{name}] {key} = \"{v}\" must be an http or https URL"
                )));
            }
        }
    }
    for key in [
        "code_lifetime",
        "access_token_lifetime",
        "refresh_token_lifetime",
    ] {
        if let Some(v) = spec.get_str(key) {
            crate::duration::parse(&v)
                .map_err(|e| Error::input(format!("[providers.{name}] {key}: {e}")))?;
        }
    }
    Ok(())
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_names_file_and_line() {
        let err = parse(
            "default_provider = \"hub\"\n[providers.hub\n",
            Path::new("/x/c.toml"),
        )
        .unwrap_err();
        assert!(err.message.contains("/x/c.toml:2:"), "{}", err.message);
    }

    #[test]
    fn unknown_key_is_rejected() {
        let err = parse("[providers.hub]\nclient_idd = \"x\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.message.contains("client_idd"), "{}", err.message);
        assert!(err.message.contains("c.toml:2"), "{}", err.message);
    }

    #[test]
    fn a_relative_client_assertion_key_is_relative_to_the_config_file() {
        let file = parse(
            "[providers.corp]\nissuer = \"https://id.example\"\nclient_id = \"svc\"\nclient_assertion_key = \"keys/svc.pem\"\n",
            Path::new("/etc/oauthctl/config.toml"),
        )
        .unwrap();
        let cfg = Config {
            file,
            path: Some(PathBuf::from("/etc/oauthctl/config.toml")),
        };
        let p = cfg.layered("corp", None, &ProviderSpec::default()).unwrap();
        assert_eq!(
            p.spec.client_assertion_key.as_deref(),
            Some("/etc/oauthctl/keys/svc.pem")
        );
        // With a key and no method, the client authenticates with it.
        assert_eq!(p.auth_method(), crate::provider::ClientAuth::PrivateKeyJwt);
    }

    #[test]
    fn bad_enum_value_is_rejected() {
        let err = parse("[providers.x]\npkce = \"maybe\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.message.contains("pkce"), "{}", err.message);
        assert_eq!(
            err.message,
            "config file c.toml:2:8: pkce = \"maybe\" is not one of: required, supported, unsupported"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("set pkce to one of: required, supported, unsupported")
        );
        let err = parse(
            "[providers.x]\ntoken_endpoint_auth_method = \"magic_link\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert!(
            err.message.ends_with("token_endpoint_auth_method = \"magic_link\" is not one of: none, client_secret_basic, client_secret_post, client_secret_query, client_secret_jwt, private_key_jwt, tls_client_auth, self_signed_tls_client_auth"),
            "{}",
            err.message
        );
    }
}
