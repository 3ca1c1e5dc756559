//! What the emulator serves for one provider: the preset's `ProviderSpec` (with the
//! mock-only layer of `profiles.toml` on top) turned into routes and policies.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::provider::{
    presets, ClientAuth, ErrorShape, ParamsIn, Pkce, ProviderSpec, DISCOVERY_KEYS, ENDPOINT_KEYS,
};

const PROFILES_TOML: &str = include_str!("profiles.toml");

/// The default password-grant user of every profile.
pub const TEST_USERNAME: &str = "alice";
pub const TEST_PASSWORD: &str = "wonderland";

/// Mock-only data for one provider (see `profiles.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MockData {
    /// A ProviderSpec layer laid over the preset (endpoints a preset does not have).
    pub spec: Option<ProviderSpec>,
    /// The redirect URI registered for the mock's own client.
    pub redirect_uri: Option<String>,
    /// RFC 8252 §7.3: loopback redirect URIs match on any port.
    #[serde(default)]
    pub loopback_any_port: bool,
    /// Issue OpenID Connect id tokens when `openid` is asked for.
    #[serde(default)]
    pub id_tokens: bool,
    /// `opaque` or `jwt` access tokens.
    pub token_format: Option<String>,
    /// The `token_type` value (`Bearer` unless the guide shows otherwise).
    pub token_type: Option<String>,
    /// The scope parameter is required at the authorization endpoint.
    #[serde(default)]
    pub scope_required: bool,
    /// Separators accepted between scopes (default: the preset's `scope_separator`).
    pub scope_separators: Option<Vec<String>>,
    /// The "who am I" answer.
    pub user: Option<Value>,
    /// Values of the preset's `extra_token_fields` in token responses.
    #[serde(default)]
    pub token_fields: Map<String, Value>,
    /// Extra Bearer-protected API answers, by path.
    #[serde(default)]
    pub resources: BTreeMap<String, Resource>,
}

/// A canned API answer behind a Bearer token.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// A scope the token must have.
    pub scope: Option<String>,
    pub body: Value,
}

/// What a path of the mock does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Authorize,
    Token,
    /// A refresh endpoint apart from the token endpoint (Worksection).
    Refresh,
    Userinfo,
    Registration,
    DeviceAuthorization,
    /// The page where a person enters a device flow's user code.
    DeviceVerify,
    Revocation,
    Introspection,
    Jwks,
    Discovery,
    /// RP-Initiated Logout's end-session endpoint.
    EndSession,
    /// The pushed authorization request endpoint (RFC 9126).
    Par,
    Resource(String),
}

/// One emulated provider.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub spec: ProviderSpec,
    pub data: MockData,
    pub routes: HashMap<String, Route>,
    /// The path part of the issuer (`/authentication` for Teamwork, empty otherwise).
    pub issuer_path: Option<String>,
}

/// The names `oauthctl mock --provider` accepts.
pub fn names() -> Result<Vec<String>> {
    // A preset that is itself served by the emulator (`demo`) is not emulated again.
    let mut n: Vec<String> = presets()?
        .into_iter()
        .filter(|(_, spec)| spec.emulated_by.is_none())
        .map(|(name, _)| name)
        .collect();
    n.push("oidc".into());
    Ok(n)
}

fn all_data() -> Result<BTreeMap<String, MockData>> {
    toml::from_str(PROFILES_TOML)
        .map_err(|e| Error::internal(format!("the mock's built-in profiles are invalid: {e}")))
}

fn path_of(url: &str) -> Option<String> {
    url::Url::parse(url).ok().map(|u| u.path().to_string())
}

impl Profile {
    /// The profile of a preset (or `oidc`).
    pub fn load(name: &str) -> Result<Profile> {
        let mut data_all = all_data()?;
        let preset = presets()?.remove(name);
        let data = data_all.remove(name);
        let (spec, data) = match (preset, data) {
            (Some(p), _) if p.emulated_by.is_some() => {
                let kind = p.emulated_by.clone().unwrap_or_default();
                return Err(Error::input(format!(
                    "`{name}` is itself served by the emulator (as `{kind}`)"
                ))
                .with_hint(format!(
                    "run `oauthctl mock -p {kind}`, or `oauthctl login -p {name}` which starts it for you"
                )));
            }
            (Some(p), d) => {
                let d = d.unwrap_or_default();
                let spec = match &d.spec {
                    Some(layer) => p.overlay(layer),
                    None => p,
                };
                (spec, d)
            }
            (None, Some(d)) if d.spec.is_some() => (d.spec.clone().unwrap_or_default(), d),
            _ => {
                return Err(
                    Error::input(format!("the mock cannot emulate `{name}`")).with_hint(format!(
                        "choose one of: {} (oidc is a standards-compliant OpenID Connect server)",
                        names()?.join(", ")
                    )),
                )
            }
        };
        let issuer_path = spec
            .issuer
            .as_deref()
            .and_then(path_of)
            .map(|p| p.trim_end_matches('/').to_string());
        let mut routes = HashMap::new();
        let mut add = |key: &str, route: Route| {
            if let Some(p) = spec.get_str(key).as_deref().and_then(path_of) {
                routes.entry(p).or_insert(route);
            }
        };
        add("authorization_endpoint", Route::Authorize);
        add("token_endpoint", Route::Token);
        add("refresh_endpoint", Route::Refresh);
        add("userinfo_endpoint", Route::Userinfo);
        add("registration_endpoint", Route::Registration);
        add("device_authorization_endpoint", Route::DeviceAuthorization);
        add("revocation_endpoint", Route::Revocation);
        add("introspection_endpoint", Route::Introspection);
        add("jwks_uri", Route::Jwks);
        add("end_session_endpoint", Route::EndSession);
        add("pushed_authorization_request_endpoint", Route::Par);
        if let Some(ip) = &issuer_path {
            match &spec.discovery_path {
                Some(dp) => {
                    routes.insert(format!("{ip}{dp}"), Route::Discovery);
                }
                None => {
                    routes.insert(
                        format!("{ip}/.well-known/openid-configuration"),
                        Route::Discovery,
                    );
                    routes.insert(
                        format!("/.well-known/oauth-authorization-server{ip}"),
                        Route::Discovery,
                    );
                }
            }
        }
        if spec.device_authorization_endpoint.is_some() {
            let ip = issuer_path.clone().unwrap_or_default();
            routes.insert(format!("{ip}/device"), Route::DeviceVerify);
        }
        for path in data.resources.keys() {
            routes
                .entry(path.clone())
                .or_insert_with(|| Route::Resource(path.clone()));
        }
        Ok(Profile {
            name: name.to_string(),
            spec,
            data,
            routes,
            issuer_path,
        })
    }

    pub fn display_name(&self) -> &str {
        self.spec.display_name.as_deref().unwrap_or(&self.name)
    }

    pub fn path_of(&self, route: &Route) -> Option<&str> {
        let mut paths: Vec<&String> = self
            .routes
            .iter()
            .filter(|(_, r)| *r == route)
            .map(|(p, _)| p)
            .collect();
        paths.sort();
        paths.first().map(|p| p.as_str())
    }

    /// The refresh grant is answered at the token endpoint unless the preset refreshes
    /// elsewhere.
    pub fn separate_refresh(&self) -> bool {
        self.routes.values().any(|r| *r == Route::Refresh)
    }

    pub fn scope_param(&self) -> &str {
        self.spec.scope_param.as_deref().unwrap_or("scope")
    }

    pub fn scope_separator(&self) -> &str {
        self.spec.scope_separator.as_deref().unwrap_or(" ")
    }

    /// Splits a scope value on the separators the provider accepts.
    pub fn split_scopes(&self, value: &str) -> Vec<String> {
        let seps: Vec<String> = self
            .data
            .scope_separators
            .clone()
            .unwrap_or_else(|| vec![self.scope_separator().to_string()]);
        let mut out: Vec<String> = vec![value.to_string()];
        for sep in seps.iter().filter(|s| !s.is_empty()) {
            out = out
                .iter()
                .flat_map(|s| s.split(sep.as_str()).map(str::to_string))
                .collect();
        }
        let mut seen = Vec::new();
        for s in out.into_iter().map(|s| s.trim().to_string()) {
            if !s.is_empty() && !seen.contains(&s) {
                seen.push(s);
            }
        }
        seen
    }

    /// Scopes not in `scopes_supported` (an absent or empty list accepts any).
    pub fn unknown_scopes(&self, scopes: &[String]) -> Vec<String> {
        match &self.spec.scopes_supported {
            Some(s) if !s.is_empty() => scopes.iter().filter(|x| !s.contains(x)).cloned().collect(),
            _ => Vec::new(),
        }
    }

    pub fn default_scopes(&self) -> Vec<String> {
        self.spec.scopes.clone().unwrap_or_default()
    }

    pub fn pkce_required(&self) -> bool {
        self.spec.pkce == Some(Pkce::Required)
    }

    pub fn pkce_unsupported(&self) -> bool {
        self.spec.pkce == Some(Pkce::Unsupported)
    }

    pub fn challenge_methods(&self) -> Vec<String> {
        self.spec
            .code_challenge_methods_supported
            .clone()
            .unwrap_or_else(|| vec!["S256".into()])
    }

    pub fn auth_methods(&self) -> Vec<String> {
        if let Some(m) = &self.spec.token_endpoint_auth_methods_supported {
            return m.clone();
        }
        match &self.spec.token_endpoint_auth_method {
            Some(m) => vec![m.to_string()],
            None => vec!["client_secret_basic".into(), "client_secret_post".into()],
        }
    }

    pub fn grant_types(&self) -> Vec<String> {
        self.spec
            .grant_types_supported
            .clone()
            .unwrap_or_else(|| vec!["authorization_code".into(), "refresh_token".into()])
    }

    pub fn supports_grant(&self, g: &str) -> bool {
        self.grant_types().iter().any(|x| x == g)
    }

    pub fn response_types(&self) -> Vec<String> {
        self.spec
            .response_types_supported
            .clone()
            .unwrap_or_else(|| vec!["code".into()])
    }

    pub fn redirect_schemes(&self) -> Option<&Vec<String>> {
        self.spec.redirect_uri_schemes.as_ref()
    }

    pub fn rotation(&self) -> bool {
        self.spec.refresh_token_rotation == Some(true)
    }

    pub fn errors_array(&self) -> bool {
        self.spec.error_format == Some(ErrorShape::ErrorsArray)
    }

    pub fn token_params_in_query(&self) -> bool {
        self.spec.token_request_params == Some(ParamsIn::Query)
    }

    /// `expires_in` is an absolute time (seconds since the epoch), not a lifetime.
    pub fn expires_absolute(&self) -> bool {
        self.spec.expires_in_format == Some(crate::provider::ExpiresIn::Absolute)
    }

    /// "Who am I" is a form POST with client credentials and the token.
    pub fn userinfo_form_post(&self) -> bool {
        self.spec.userinfo_request == Some(crate::provider::UserinfoRequest::FormPost)
    }

    pub fn lifetime(&self, key: &str, default: Duration) -> Duration {
        self.spec
            .get_str(key)
            .and_then(|s| crate::duration::parse(&s).ok())
            .unwrap_or(default)
    }

    pub fn token_type(&self) -> &str {
        self.data.token_type.as_deref().unwrap_or("Bearer")
    }

    /// The client authentication method the mock's own client registers with.
    pub fn client_auth_method(&self) -> String {
        self.spec
            .token_endpoint_auth_method
            .unwrap_or(ClientAuth::ClientSecretBasic)
            .to_string()
    }

    pub fn default_redirect_uri(&self) -> String {
        self.data
            .redirect_uri
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1:8765/callback".into())
    }

    /// An endpoint of the preset moved onto `base` (keeping its path).
    pub fn rebase(&self, base: &str, key: &str) -> Option<String> {
        self.spec
            .get_str(key)
            .and_then(|u| path_of(&u))
            .map(|p| format!("{base}{}", if p == "/" { "" } else { &p }))
    }

    pub fn issuer(&self, base: &str) -> Option<String> {
        self.issuer_path.as_ref().map(|p| format!("{base}{p}"))
    }

    /// The metadata document, with every URL on the mock's address.
    pub fn metadata(&self, base: &str) -> Value {
        let mut doc = Map::new();
        for key in DISCOVERY_KEYS {
            let is_url = *key == "issuer" || key.ends_with("endpoint") || *key == "jwks_uri";
            let v = if *key == "issuer" {
                self.issuer(base).map(Value::String)
            } else if is_url {
                self.rebase(base, key).map(Value::String)
            } else {
                self.spec.to_map().get(*key).cloned()
            };
            if let Some(v) = v {
                doc.insert((*key).to_string(), v);
            }
        }
        if self.data.id_tokens {
            doc.insert(
                "subject_types_supported".into(),
                serde_json::json!(["public"]),
            );
            doc.insert(
                "id_token_signing_alg_values_supported".into(),
                serde_json::json!(["RS256", "ES256"]),
            );
            doc.insert(
                "claims_supported".into(),
                serde_json::json!([
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "auth_time",
                    "nonce",
                    "name",
                    "given_name",
                    "family_name",
                    "preferred_username",
                    "email",
                    "email_verified"
                ]),
            );
            doc.insert(
                "response_modes_supported".into(),
                serde_json::json!(["query"]),
            );
            for k in ["introspection_endpoint", "revocation_endpoint"] {
                if doc.contains_key(k) {
                    doc.insert(
                        format!("{}_auth_methods_supported", k.trim_end_matches("_endpoint")),
                        serde_json::json!(self.auth_methods()),
                    );
                }
            }
        }
        Value::Object(doc)
    }

    /// A complete config file pointing the provider at the mock.
    pub fn config_toml(
        &self,
        base: &str,
        client_id: &str,
        client_secret: Option<&str>,
        auth_method: &str,
        redirect_uri: &str,
    ) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = String::new();
        out.push_str(&format!(
            "# oauthctl mock: {} ({}) at {base}\n# use it with: oauthctl --config FILE login -p {}\n",
            self.display_name(),
            self.name,
            self.name
        ));
        out.push_str(&format!("default_provider = {}\n\n", q(&self.name)));
        out.push_str(&format!("[providers.{}]\n", self.name));
        // (`load` has parsed the presets already.)
        if !presets().is_ok_and(|p| p.contains_key(&self.name)) {
            if let Some(d) = &self.spec.display_name {
                out.push_str(&format!("display_name = {}\n", q(d)));
            }
        }
        match self.issuer(base) {
            Some(iss) => {
                // Endpoints come from the mock's discovery document.
                out.push_str(&format!("issuer = {}\n", q(&iss)));
            }
            None => {
                for key in ENDPOINT_KEYS {
                    if let Some(u) = self.rebase(base, key) {
                        out.push_str(&format!("{key} = {}\n", q(&u)));
                    }
                }
            }
        }
        if let Some(u) = self.rebase(base, "api_base") {
            out.push_str(&format!("api_base = {}\n", q(&u)));
        }
        out.push_str(&format!("client_id = {}\n", q(client_id)));
        if let Some(s) = client_secret {
            out.push_str(&format!("client_secret = {}\n", q(s)));
        }
        out.push_str(&format!(
            "token_endpoint_auth_method = {}\n",
            q(auth_method)
        ));
        if auth_method == "private_key_jwt" {
            out.push_str("# the client signs its assertions with its private key: set client_assertion_key = \"FILE\" or pass --client-assertion-key FILE\n");
        }
        out.push_str(&format!("redirect_uri = {}\n", q(redirect_uri)));
        if !presets().is_ok_and(|p| p.contains_key(&self.name)) {
            let scopes: Vec<toml::Value> = self
                .default_scopes()
                .into_iter()
                .map(toml::Value::String)
                .collect();
            out.push_str(&format!("scopes = {}\n", toml::Value::Array(scopes)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_loads_and_routes_its_endpoints() {
        for n in names().unwrap() {
            let p = Profile::load(&n).unwrap_or_else(|e| panic!("{n}: {}", e.message));
            assert!(p.path_of(&Route::Authorize).is_some(), "{n}");
            assert!(p.path_of(&Route::Token).is_some(), "{n}");
        }
        assert!(Profile::load("nope").is_err());
    }

    #[test]
    fn preset_paths_are_served_on_the_mock() {
        let hub = Profile::load("hub").unwrap();
        assert_eq!(hub.path_of(&Route::Authorize), Some("/api/oauth/authorize"));
        assert_eq!(hub.path_of(&Route::Userinfo), Some("/api/auth/me"));
        assert_eq!(
            hub.routes.get("/api/user/teams"),
            Some(&Route::Resource("/api/user/teams".into()))
        );
        let cw = Profile::load("chatwork").unwrap();
        assert_eq!(cw.path_of(&Route::Token), Some("/token"));
        assert_eq!(cw.path_of(&Route::Userinfo), Some("/v2/me"));
        let tw = Profile::load("teamwork").unwrap();
        assert_eq!(
            tw.routes
                .get("/authentication/.well-known/oauth2.0-configuration"),
            Some(&Route::Discovery)
        );
        let ws = Profile::load("worksection").unwrap();
        assert!(ws.separate_refresh());
        assert_eq!(ws.path_of(&Route::Refresh), Some("/oauth2/refresh"));
    }

    #[test]
    fn scopes_split_on_the_providers_separators() {
        let ws = Profile::load("worksection").unwrap();
        assert_eq!(ws.split_scopes("a,b c"), ["a", "b", "c"]);
        let ob = Profile::load("onboardbase").unwrap();
        assert_eq!(ob.split_scopes("a b,c"), ["a b", "c"]);
    }

    #[test]
    fn config_snippet_parses_as_a_config_file() {
        for n in names().unwrap() {
            let p = Profile::load(&n).unwrap();
            let text = p.config_toml(
                "http://127.0.0.1:9",
                "cid",
                Some("sec"),
                "client_secret_basic",
                "http://127.0.0.1/cb",
            );
            let cfg = crate::provider::config::parse(&text, std::path::Path::new("mock.toml"))
                .unwrap_or_else(|e| panic!("{n}: {}\n{text}", e.message));
            assert_eq!(cfg.default_provider.as_deref(), Some(n.as_str()));
        }
    }
}
