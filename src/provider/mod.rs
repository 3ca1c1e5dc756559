//! The provider model: endpoints, client settings and quirks, all as data.
//!
//! A provider is resolved from layers, each overriding the one before:
//! built-in preset → discovery (when `issuer` is set) → config file → environment → flags.
//! Layers are `ProviderSpec`s (every field optional) merged key by key.

pub mod choices;
pub mod config;
pub mod discovery;
pub mod edit;

pub use choices::{
    ClientAuth, ErrorShape, ExpiresIn, ParamsIn, Pkce, ResponseMode, UnknownValue, UserinfoRequest,
};

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// The `grant_type` of the device authorization grant (RFC 8628 §3.4).
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The compiled-in presets file.
pub const PRESETS_TOML: &str = include_str!("presets.toml");

/// One layer of provider settings. Every field is optional so that layers can be merged.
/// Endpoint names are RFC 8414's; client keys are RFC 7591's where one exists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProviderSpec {
    // --- description ---
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,

    // --- endpoints (RFC 8414 names) ---
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_authorization_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// Where `logout --end-session` sends the browser (OpenID Connect RP-Initiated
    /// Logout 1.0, discovery metadata).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
    /// Where refresh requests go when not the token endpoint (Worksection).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_endpoint: Option<String>,
    /// Base URL that relative paths of `oauthctl call` resolve against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
    /// The username `oauthctl git-credential` answers git with (the password is the
    /// access token) [default: oauth2].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_username: Option<String>,

    // --- server metadata (RFC 8414 names) ---
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes_supported: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_types_supported: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_types_supported: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// How a client may authenticate at the revocation endpoint (RFC 8414 §2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// The algorithms the server signs ID tokens with (OpenID Connect Discovery); an ID
    /// token signed otherwise is refused (RS256 when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_signing_alg_values_supported: Option<Vec<String>>,
    /// Where authorization requests are pushed (RFC 9126 §5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pushed_authorization_request_endpoint: Option<String>,
    /// The server takes authorization requests only pushed (RFC 9126 §5); `login` and
    /// `authorize-url` then push without `--par`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_pushed_authorization_requests: Option<bool>,
    /// The server takes authorization requests only as signed request objects (RFC 9101
    /// §10.5); `login` and `authorize-url` then sign without `--jar`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_signed_request_object: Option<bool>,
    /// Bind access tokens to a key (DPoP, RFC 9449; the RFC's client metadata name):
    /// `login` then proves possession without `--dpop`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dpop_bound_access_tokens: Option<bool>,
    /// The algorithms the server takes for DPoP proofs (RFC 9449 §5.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
    /// The algorithm of DPoP proofs (`--dpop-alg`): ES256, RS256, PS256 or EdDSA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dpop_signing_alg: Option<String>,
    /// The response modes the server supports (OAuth 2.0 Multiple Response Types,
    /// JARM); `doctor` warns when the chosen `response_mode` is not among them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_modes_supported: Option<Vec<String>>,
    /// The algorithms the server signs JARM responses with (RS256 when not given); a
    /// response signed otherwise is refused, and never `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_signing_alg_values_supported: Option<Vec<String>>,

    // --- discovery ---
    /// A self-hosted provider whose endpoints come only from discovery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_issuer: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_example: Option<String>,
    /// A provider-specific discovery path tried first (Teamwork's
    /// `/.well-known/oauth2.0-configuration`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery_path: Option<String>,
    /// Set to false to never fetch discovery for this provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery: Option<bool>,

    // --- client (RFC 7591 names) ---
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Name of an environment variable that holds the client secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// Where the server sends the browser after `logout --end-session` (one of the
    /// client's registered `post_logout_redirect_uris`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_logout_redirect_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// `none`, `client_secret_basic`, `client_secret_post`, `client_secret_query`
    /// (credentials in the query string), `private_key_jwt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_method: Option<ClientAuth>,

    // --- quirks: authorization request ---
    /// Name of the scope parameter (`scope`; Onboardbase: `scopes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_param: Option<String>,
    /// Separator between scopes (a space by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_separator: Option<String>,
    /// `required`, `supported` (PKCE S256 is sent) or `unsupported` (not sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pkce: Option<Pkce>,
    /// Redirect URI schemes the provider accepts (Worksection: https only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri_schemes: Option<Vec<String>>,

    // --- quirks: token request and response ---
    /// Where token request parameters go: `body` (form, the default) or `query`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_request_params: Option<ParamsIn>,
    /// The status of a successful token response (Onboardbase: 201).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_success_status: Option<u16>,
    /// Key of the object that holds the token fields (Onboardbase: `data`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_response_envelope: Option<String>,
    /// Field holding the access token (Onboardbase: `api_key`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_field: Option<String>,
    /// Field holding the granted scopes (`scope`; Onboardbase: `scopes`, an array).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_field: Option<String>,
    /// `relative` (seconds from now, RFC 6749) or `absolute` (a Unix time; Onboardbase).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_format: Option<ExpiresIn>,
    /// Extra token response fields kept in the session (Worksection: `account_url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_token_fields: Option<Vec<String>>,
    /// Extra token response fields that are secrets (Onboardbase: `passphrase`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_fields: Option<Vec<String>>,
    /// Whether a refresh returns a new refresh token and invalidates the old ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<bool>,
    /// `rfc6749` (`{error, error_description}`) or `errors_array`
    /// (`{data: null, errors: [{message, code}]}`, Onboardbase).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_format: Option<ErrorShape>,
    /// Numeric codes of the `errors_array` format, by error name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_codes: Option<BTreeMap<String, i64>>,

    // --- quirks: other endpoints ---
    /// How "who am I" is asked: `bearer_get` or `form_post` (client_id, client_secret
    /// and access_token in a form; Worksection).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userinfo_request: Option<UserinfoRequest>,
    /// The fields a registration request may carry (Teamwork: client_name, redirect_uris).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_fields: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_hint: Option<String>,

    // --- lifetimes documented by the provider (used for diagnosis and the emulator) ---
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_lifetime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_lifetime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_lifetime: Option<String>,

    /// A built-in provider served by `oauthctl mock` in-process (the `demo` preset): the
    /// emulated kind, e.g. `oidc`. `login` starts the emulator on a free loopback port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emulated_by: Option<String>,

    // --- client authentication with a key (RFC 7523 `private_key_jwt`) ---
    /// PEM file of the client's private key (RSA → RS256, EC P-256 → ES256) that signs
    /// client assertions when `token_endpoint_auth_method = "private_key_jwt"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_assertion_key: Option<String>,
    /// `kid` put in the client assertion's header (the key's ID in the JWKS registered
    /// with the server), when the server wants one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_assertion_kid: Option<String>,
    /// The algorithm request objects are signed with (RFC 7591 client metadata): `PS256`
    /// for an RSA key; the key's own (RS256, ES256, EdDSA) when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_object_signing_alg: Option<String>,

    // --- mutual TLS (RFC 8705) ---
    /// PEM file of the client's TLS certificate, presented to the token endpoint (and
    /// every other endpoint of `mtls_endpoint_aliases`) for `tls_client_auth` or
    /// `self_signed_tls_client_auth`, and with certificate-bound tokens to the API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_certificate: Option<String>,
    /// PEM file of the private key of `tls_client_certificate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_key: Option<String>,
    /// RFC 8705 §5: the endpoints a client using mutual TLS must call instead (metadata).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mtls_endpoint_aliases: Option<BTreeMap<String, String>>,
    /// RFC 8705 §3.3: the server binds access tokens to the client's certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// How the authorization response comes back (`response_mode` sent with the
    /// authorization request): `query`, `form_post`, or a JWT (JARM) that is verified
    /// before its code is used: `jwt`, `query.jwt`, `form_post.jwt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_mode: Option<ResponseMode>,
}

/// The RFC 8414 metadata keys a discovery document may set on a provider.
pub const DISCOVERY_KEYS: &[&str] = &[
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "registration_endpoint",
    "device_authorization_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "jwks_uri",
    "scopes_supported",
    "response_types_supported",
    "grant_types_supported",
    "token_endpoint_auth_methods_supported",
    "code_challenge_methods_supported",
    "revocation_endpoint_auth_methods_supported",
    "end_session_endpoint",
    "id_token_signing_alg_values_supported",
    "pushed_authorization_request_endpoint",
    "require_pushed_authorization_requests",
    "require_signed_request_object",
    "mtls_endpoint_aliases",
    "tls_client_certificate_bound_access_tokens",
    "dpop_signing_alg_values_supported",
    "response_modes_supported",
    "authorization_signing_alg_values_supported",
];

/// The endpoint fields, in display order.
pub const ENDPOINT_KEYS: &[&str] = &[
    "authorization_endpoint",
    "token_endpoint",
    "refresh_endpoint",
    "userinfo_endpoint",
    "registration_endpoint",
    "device_authorization_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "jwks_uri",
    "end_session_endpoint",
];

/// An endpoint field of a provider, named as in [`ENDPOINT_KEYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Authorization,
    Token,
    Refresh,
    Userinfo,
    Registration,
    DeviceAuthorization,
    Revocation,
    Introspection,
    Jwks,
    EndSession,
}

impl Endpoint {
    /// Every endpoint, in display order.
    pub const ALL: [Endpoint; 10] = [
        Endpoint::Authorization,
        Endpoint::Token,
        Endpoint::Refresh,
        Endpoint::Userinfo,
        Endpoint::Registration,
        Endpoint::DeviceAuthorization,
        Endpoint::Revocation,
        Endpoint::Introspection,
        Endpoint::Jwks,
        Endpoint::EndSession,
    ];

    /// The field's name, e.g. `token_endpoint`.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Authorization => "authorization_endpoint",
            Endpoint::Token => "token_endpoint",
            Endpoint::Refresh => "refresh_endpoint",
            Endpoint::Userinfo => "userinfo_endpoint",
            Endpoint::Registration => "registration_endpoint",
            Endpoint::DeviceAuthorization => "device_authorization_endpoint",
            Endpoint::Revocation => "revocation_endpoint",
            Endpoint::Introspection => "introspection_endpoint",
            Endpoint::Jwks => "jwks_uri",
            Endpoint::EndSession => "end_session_endpoint",
        }
    }
}

/// Builds a spec from `over`'s fields, each falling back to `base`'s when `None`.
/// Listing every field (the pattern has no `..`) makes a new field a compile error here
/// until it is merged too.
macro_rules! overlay_fields {
    ($base:expr, $over:expr; $($field:ident),+ $(,)?) => {{
        let ProviderSpec { $($field),+ } = $over;
        let base = $base;
        ProviderSpec { $($field: $field.or(base.$field)),+ }
    }};
}

impl ProviderSpec {
    pub fn to_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }

    pub fn from_map(map: Map<String, Value>, origin: &str) -> Result<Self> {
        serde_json::from_value(Value::Object(map))
            .map_err(|e| Error::input(format!("invalid provider settings from {origin}: {e}")))
    }

    /// This layer with `over`'s set fields on top: a field set in `over` wins (lists and
    /// maps are replaced, not merged), a field `over` leaves unset keeps this layer's.
    pub fn overlay(&self, over: &ProviderSpec) -> ProviderSpec {
        overlay_fields!(self.clone(), over.clone();
            display_name, docs,
            issuer, authorization_endpoint, token_endpoint, userinfo_endpoint,
            registration_endpoint, device_authorization_endpoint, revocation_endpoint,
            introspection_endpoint, jwks_uri, end_session_endpoint, refresh_endpoint, api_base,
            git_username,
            scopes_supported, response_types_supported, grant_types_supported,
            token_endpoint_auth_methods_supported, code_challenge_methods_supported,
            revocation_endpoint_auth_methods_supported,
            id_token_signing_alg_values_supported,
            pushed_authorization_request_endpoint, require_pushed_authorization_requests,
            require_signed_request_object,
            dpop_bound_access_tokens, dpop_signing_alg_values_supported, dpop_signing_alg,
            response_modes_supported, authorization_signing_alg_values_supported,
            requires_issuer, issuer_example, discovery_path, discovery,
            client_id, client_secret, client_secret_env, redirect_uri, post_logout_redirect_uri,
            scopes,
            token_endpoint_auth_method,
            scope_param, scope_separator, pkce, redirect_uri_schemes,
            token_request_params, token_success_status, token_response_envelope,
            access_token_field, scope_field, expires_in_format, extra_token_fields,
            secret_fields, refresh_token_rotation, error_format, error_codes,
            userinfo_request, registration_fields, registration_hint,
            code_lifetime, access_token_lifetime, refresh_token_lifetime,
            emulated_by,
            client_assertion_key, client_assertion_kid, request_object_signing_alg,
            tls_client_certificate, tls_client_key, mtls_endpoint_aliases,
            tls_client_certificate_bound_access_tokens,
            response_mode,
        )
    }

    /// A spec holding only the discovery metadata keys of a document.
    pub fn from_discovery(doc: &Map<String, Value>) -> ProviderSpec {
        let mut map = Map::new();
        for key in DISCOVERY_KEYS {
            if let Some(v) = doc.get(*key) {
                if !v.is_null() {
                    map.insert((*key).to_string(), v.clone());
                }
            }
        }
        // A document with a field of the wrong type is not fatal: drop that field.
        match ProviderSpec::from_map(map.clone(), "discovery") {
            Ok(s) => s,
            Err(_) => {
                let mut spec = ProviderSpec::default();
                for (k, v) in map {
                    let mut one = Map::new();
                    one.insert(k, v);
                    if let Ok(s) = ProviderSpec::from_map(one, "discovery") {
                        spec = spec.overlay(&s);
                    }
                }
                spec
            }
        }
    }

    /// The endpoint field an `mtls_endpoint_aliases` key names, for the endpoints a
    /// client using mutual TLS calls.
    fn mtls_field(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "token_endpoint" => &mut self.token_endpoint,
            "revocation_endpoint" => &mut self.revocation_endpoint,
            "introspection_endpoint" => &mut self.introspection_endpoint,
            "userinfo_endpoint" => &mut self.userinfo_endpoint,
            "device_authorization_endpoint" => &mut self.device_authorization_endpoint,
            "pushed_authorization_request_endpoint" => {
                &mut self.pushed_authorization_request_endpoint
            }
            _ => return None,
        })
    }

    /// RFC 8705 §5, after layering: keeps the `mtls_endpoint_aliases` of the endpoints
    /// that no later layer (config, flags) set itself (an alias that is not a URL is
    /// dropped), then, with a client certificate, uses them.
    pub fn apply_mtls_aliases(&mut self, discovered: &ProviderSpec) {
        let Some(aliases) = self.mtls_endpoint_aliases.take() else {
            return;
        };
        let mut kept = BTreeMap::new();
        let mut from_discovery = discovered.clone();
        for (name, alias) in aliases {
            if url::Url::parse(&alias).is_err() {
                continue;
            }
            let disc = from_discovery.mtls_field(&name).and_then(|f| f.clone());
            let Some(field) = self.mtls_field(&name) else {
                continue;
            };
            if field.is_none() || *field == disc {
                kept.insert(name, alias);
            }
        }
        self.mtls_endpoint_aliases = Some(kept);
        if self.tls_client_certificate.is_some() {
            self.use_mtls_aliases();
        }
    }

    /// The endpoints of `mtls_endpoint_aliases` in place of the plain ones: what a client
    /// presenting its certificate calls.
    pub fn use_mtls_aliases(&mut self) {
        for (name, alias) in self.mtls_endpoint_aliases.clone().unwrap_or_default() {
            if let Some(field) = self.mtls_field(&name) {
                *field = Some(alias);
            }
        }
    }

    /// An endpoint's URL, when set.
    pub fn endpoint(&self, e: Endpoint) -> Option<&str> {
        match e {
            Endpoint::Authorization => self.authorization_endpoint.as_deref(),
            Endpoint::Token => self.token_endpoint.as_deref(),
            Endpoint::Refresh => self.refresh_endpoint.as_deref(),
            Endpoint::Userinfo => self.userinfo_endpoint.as_deref(),
            Endpoint::Registration => self.registration_endpoint.as_deref(),
            Endpoint::DeviceAuthorization => self.device_authorization_endpoint.as_deref(),
            Endpoint::Revocation => self.revocation_endpoint.as_deref(),
            Endpoint::Introspection => self.introspection_endpoint.as_deref(),
            Endpoint::Jwks => self.jwks_uri.as_deref(),
            Endpoint::EndSession => self.end_session_endpoint.as_deref(),
        }
    }

    /// A text field by its name (endpoints, `issuer`, `api_base`, lifetimes, …);
    /// `None` when unset or when `key` names no text field.
    pub fn get_str(&self, key: &str) -> Option<String> {
        self.str_field(key).map(str::to_string)
    }

    fn str_field(&self, key: &str) -> Option<&str> {
        if let Some(e) = Endpoint::ALL.iter().find(|e| e.name() == key) {
            return self.endpoint(*e);
        }
        let v = match key {
            "display_name" => &self.display_name,
            "docs" => &self.docs,
            "issuer" => &self.issuer,
            "api_base" => &self.api_base,
            "git_username" => &self.git_username,
            "issuer_example" => &self.issuer_example,
            "discovery_path" => &self.discovery_path,
            "client_id" => &self.client_id,
            "client_secret" => &self.client_secret,
            "client_secret_env" => &self.client_secret_env,
            "redirect_uri" => &self.redirect_uri,
            "post_logout_redirect_uri" => &self.post_logout_redirect_uri,
            "scope_param" => &self.scope_param,
            "scope_separator" => &self.scope_separator,
            "token_response_envelope" => &self.token_response_envelope,
            "access_token_field" => &self.access_token_field,
            "scope_field" => &self.scope_field,
            "registration_hint" => &self.registration_hint,
            "code_lifetime" => &self.code_lifetime,
            "access_token_lifetime" => &self.access_token_lifetime,
            "refresh_token_lifetime" => &self.refresh_token_lifetime,
            "emulated_by" => &self.emulated_by,
            "client_assertion_key" => &self.client_assertion_key,
            "client_assertion_kid" => &self.client_assertion_kid,
            "request_object_signing_alg" => &self.request_object_signing_alg,
            "tls_client_certificate" => &self.tls_client_certificate,
            "tls_client_key" => &self.tls_client_key,
            "dpop_signing_alg" => &self.dpop_signing_alg,
            "pushed_authorization_request_endpoint" => &self.pushed_authorization_request_endpoint,
            "token_endpoint_auth_method" => {
                return self.token_endpoint_auth_method.map(ClientAuth::as_str)
            }
            "pkce" => return self.pkce.map(Pkce::as_str),
            "response_mode" => return self.response_mode.map(ResponseMode::as_str),
            "token_request_params" => return self.token_request_params.map(ParamsIn::as_str),
            "expires_in_format" => return self.expires_in_format.map(ExpiresIn::as_str),
            "error_format" => return self.error_format.map(ErrorShape::as_str),
            "userinfo_request" => return self.userinfo_request.map(UserinfoRequest::as_str),
            _ => return None,
        };
        v.as_deref()
    }
}

/// Where a provider's settings came from, for `providers` and error messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Preset,
    Config,
    PresetAndConfig,
}

/// A resolved provider: its name and the merged settings.
#[derive(Debug, Clone)]
pub struct Provider {
    pub name: String,
    pub origin: Origin,
    pub spec: ProviderSpec,
    /// Which discovery document filled in the endpoints, if any.
    pub discovered_from: Option<String>,
}

impl Provider {
    /// The warning for a redirect URI whose scheme the provider refuses
    /// (`redirect_uri_schemes`: Worksection accepts only https).
    pub fn refused_redirect_scheme(&self, redirect_uri: &str) -> Option<String> {
        let schemes = self.spec.redirect_uri_schemes.as_ref()?;
        let u = url::Url::parse(redirect_uri).ok()?;
        (!schemes.iter().any(|s| s == u.scheme())).then(|| {
            format!(
                "{} accepts only {} redirect URIs; `{redirect_uri}` will be refused",
                self.display_name(),
                schemes.join("/")
            )
        })
    }

    /// A built-in preset as it is, without config, environment or discovery (for tests).
    #[cfg(test)]
    pub fn from_preset(name: &str) -> Option<Provider> {
        presets()
            .expect("the presets parse")
            .remove(name)
            .map(|spec| Provider {
                name: name.to_string(),
                origin: Origin::Preset,
                spec,
                discovered_from: None,
            })
    }

    pub fn display_name(&self) -> &str {
        self.spec.display_name.as_deref().unwrap_or(&self.name)
    }
    pub fn scope_param(&self) -> &str {
        self.spec.scope_param.as_deref().unwrap_or("scope")
    }
    pub fn scope_separator(&self) -> &str {
        self.spec.scope_separator.as_deref().unwrap_or(" ")
    }
    pub fn scopes(&self) -> Vec<String> {
        self.spec.scopes.clone().unwrap_or_default()
    }
    /// Whether PKCE S256 is sent: unless the provider says it does not support it.
    pub fn uses_pkce(&self) -> bool {
        self.spec.pkce != Some(Pkce::Unsupported)
    }
    /// Whether the server takes authorization requests only pushed (RFC 9126).
    pub fn requires_par(&self) -> bool {
        self.spec.require_pushed_authorization_requests == Some(true)
    }
    /// Whether tokens are DPoP-bound without `--dpop` (`dpop_bound_access_tokens`).
    pub fn wants_dpop(&self) -> bool {
        self.spec.dpop_bound_access_tokens == Some(true)
    }
    /// Whether the server takes authorization requests only signed (RFC 9101).
    pub fn requires_jar(&self) -> bool {
        self.spec.require_signed_request_object == Some(true)
    }
    pub fn pkce_required(&self) -> bool {
        self.spec.pkce == Some(Pkce::Required)
    }
    /// The configured method, else `client_secret_basic` with a secret,
    /// `private_key_jwt` with a key, `none` without either.
    pub fn auth_method(&self) -> ClientAuth {
        match self.spec.token_endpoint_auth_method {
            Some(m) => m,
            None if self.client_secret_configured() => ClientAuth::ClientSecretBasic,
            None if self.spec.client_assertion_key.is_some() => ClientAuth::PrivateKeyJwt,
            None => ClientAuth::None,
        }
    }
    /// Whether the server lists `grant` in `grant_types_supported`; `None` when it
    /// does not say.
    pub fn lists_grant(&self, grant: &str) -> Option<bool> {
        self.spec
            .grant_types_supported
            .as_ref()
            .map(|g| g.iter().any(|x| x == grant))
    }
    /// Whether the device authorization grant (RFC 8628) can be used: the server has a
    /// device authorization endpoint and, when it lists its grant types, lists it.
    pub fn offers_device_grant(&self) -> bool {
        self.spec.device_authorization_endpoint.is_some()
            && self.lists_grant(DEVICE_CODE_GRANT) != Some(false)
    }
    pub fn client_secret_configured(&self) -> bool {
        self.spec.client_secret.is_some() || self.spec.client_secret_env.is_some()
    }
    pub fn needs_client_secret(&self) -> bool {
        self.auth_method().uses_secret()
    }
    /// The client secret: from `client_secret`, or the variable named by `client_secret_env`.
    pub fn client_secret(&self) -> Option<crate::secret::Secret> {
        if let Some(var) = &self.spec.client_secret_env {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return Some(crate::secret::Secret::new(v));
                }
            }
        }
        self.spec
            .client_secret
            .clone()
            .map(crate::secret::Secret::new)
    }
    pub fn code_lifetime(&self) -> Option<Duration> {
        self.spec
            .code_lifetime
            .as_deref()
            .and_then(|s| crate::duration::parse(s).ok())
    }

    /// The client's TLS certificate, when one is configured (mutual TLS, RFC 8705).
    pub fn client_cert(&self) -> Option<crate::http::tls::ClientCert> {
        match (&self.spec.tls_client_certificate, &self.spec.tls_client_key) {
            (Some(c), Some(k)) => Some(crate::http::tls::ClientCert {
                cert: c.into(),
                key: k.into(),
            }),
            _ => None,
        }
    }

    /// The certificate the client authenticates with (`tls_client_auth`,
    /// `self_signed_tls_client_auth`), or an error saying how to give one.
    pub fn require_client_cert(&self) -> Result<crate::http::tls::ClientCert> {
        self.client_cert().ok_or_else(|| {
            let missing = match (&self.spec.tls_client_certificate, &self.spec.tls_client_key) {
                (Some(_), None) => "private key for its client certificate",
                (None, Some(_)) => "client certificate (only its key)",
                _ => "client certificate",
            };
            Error::input(format!(
                "provider `{}` authenticates its client with {} but has no {missing}",
                self.name,
                self.auth_method()
            ))
            .with_hint(format!(
                "pass --client-cert FILE --client-key FILE (PEM), or set `tls_client_certificate` and `tls_client_key` in the [providers.{}] table of the config file",
                self.name
            ))
        })
    }

    /// What is still missing to run an authorization code login, in words.
    pub fn missing_for_login(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if self.spec.requires_issuer == Some(true) && self.spec.issuer.is_none() {
            let ex = self
                .spec
                .issuer_example
                .as_deref()
                .unwrap_or("https://HOST/");
            missing.push(format!("issuer ({ex})"));
        } else if self.spec.authorization_endpoint.is_none() && self.spec.issuer.is_none() {
            missing.push("authorization_endpoint (or issuer)".into());
        }
        if self.spec.token_endpoint.is_none()
            && self.spec.issuer.is_none()
            && self.spec.requires_issuer != Some(true)
        {
            missing.push("token_endpoint (or issuer)".into());
        }
        if self.spec.client_id.is_none() {
            missing.push("client_id".into());
        }
        if self.needs_client_secret() && !self.client_secret_configured() {
            missing.push("client_secret (or client_secret_env)".into());
        }
        if self.auth_method() == ClientAuth::PrivateKeyJwt
            && self.spec.client_assertion_key.is_none()
        {
            missing.push("client_assertion_key (a PEM private key file)".into());
        }
        if self.auth_method().uses_certificate() && self.client_cert().is_none() {
            missing.push("tls_client_certificate and tls_client_key (PEM files)".into());
        }
        if let Some(schemes) = &self.spec.redirect_uri_schemes {
            if !schemes.iter().any(|s| s == "http") && self.spec.redirect_uri.is_none() {
                missing.push(format!(
                    "redirect_uri ({} only: the URI registered with the provider)",
                    schemes.join(", ")
                ));
            }
        }
        missing
    }

    /// An endpoint that must be present, or an error that says how to set it.
    pub fn require_endpoint(&self, endpoint: Endpoint) -> Result<String> {
        if let Some(v) = self.spec.endpoint(endpoint) {
            return Ok(v.to_string());
        }
        let key = endpoint.name();
        let mut hint = format!(
            "set `{key}` in the [providers.{}] table of the config file",
            self.name
        );
        if self.spec.requires_issuer == Some(true) && self.spec.issuer.is_none() {
            let ex = self
                .spec
                .issuer_example
                .as_deref()
                .unwrap_or("https://HOST/");
            hint = format!(
                "{} is self-hosted: set `issuer = \"{ex}\"` in the [providers.{}] table of the config file (or OAUTHCTL_{}_ISSUER), and its endpoints are discovered",
                self.display_name(),
                self.name,
                env_prefix(&self.name)
            );
        } else if self.spec.issuer.is_some() {
            hint = format!(
                "the server's discovery document does not advertise it; {hint}, or check `oauthctl discover -p {}`",
                self.name
            );
        }
        Err(Error::input(format!("provider `{}` has no {key}", self.name)).with_hint(hint))
    }

    pub fn require_client_id(&self) -> Result<String> {
        self.spec.client_id.clone().ok_or_else(|| {
            let mut hint = format!(
                "set `client_id` in the [providers.{}] table of the config file, or OAUTHCTL_{}_CLIENT_ID, or pass --client-id",
                self.name,
                env_prefix(&self.name)
            );
            if let Some(h) = &self.spec.registration_hint {
                hint.push_str(". ");
                hint.push_str(h);
            }
            Error::input(format!("provider `{}` has no client_id", self.name)).with_hint(hint)
        })
    }
}

/// The prefix of a provider's environment variables: `OAUTHCTL_<NAME>_…`.
/// The scopes of repeated `--scope` flags, each of which may hold several separated by
/// spaces; `None` when no flag was given (the provider's scopes apply).
pub fn scope_flags(flags: &[String]) -> Option<Vec<String>> {
    if flags.is_empty() {
        return None;
    }
    Some(
        flags
            .iter()
            .flat_map(|s| s.split(' '))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

pub fn env_prefix(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The built-in presets, parsed. The file is part of the binary and a unit test parses
/// it, so an error here is a bug in oauthctl, reported as such.
pub fn presets() -> Result<BTreeMap<String, ProviderSpec>> {
    toml::from_str(PRESETS_TOML)
        .map_err(|e| Error::internal(format!("the built-in presets are invalid: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse_and_name_the_five_providers() {
        let p: BTreeMap<String, ProviderSpec> = toml::from_str(PRESETS_TOML).expect("presets");
        let names: Vec<_> = p.keys().cloned().collect();
        assert_eq!(
            names,
            [
                "chatwork",
                "demo",
                "hub",
                "onboardbase",
                "teamwork",
                "worksection"
            ]
        );
        for (name, spec) in &p {
            for l in [
                &spec.code_lifetime,
                &spec.access_token_lifetime,
                &spec.refresh_token_lifetime,
            ]
            .into_iter()
            .flatten()
            {
                crate::duration::parse(l).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
    }

    #[test]
    fn mtls_aliases_replace_discovered_endpoints_only_with_a_certificate() {
        let discovered = ProviderSpec {
            token_endpoint: Some("https://as/token".into()),
            userinfo_endpoint: Some("https://as/userinfo".into()),
            revocation_endpoint: Some("https://as/revoke".into()),
            mtls_endpoint_aliases: Some(BTreeMap::from([
                (
                    "token_endpoint".to_string(),
                    "https://mtls.as/token".to_string(),
                ),
                (
                    "userinfo_endpoint".to_string(),
                    "https://mtls.as/userinfo".to_string(),
                ),
                ("revocation_endpoint".to_string(), "not a url".to_string()),
                ("jwks_uri".to_string(), "https://mtls.as/jwks".to_string()),
            ])),
            ..Default::default()
        };
        // The config sets its own userinfo endpoint: that one stays.
        let config = ProviderSpec {
            userinfo_endpoint: Some("https://api.example/me".into()),
            ..Default::default()
        };
        let layered = discovered.overlay(&config);

        let mut without = layered.clone();
        without.apply_mtls_aliases(&discovered);
        assert_eq!(without.token_endpoint.as_deref(), Some("https://as/token"));

        let mut with = layered.overlay(&ProviderSpec {
            tls_client_certificate: Some("/c.pem".into()),
            tls_client_key: Some("/c.key".into()),
            ..Default::default()
        });
        with.apply_mtls_aliases(&discovered);
        assert_eq!(
            with.token_endpoint.as_deref(),
            Some("https://mtls.as/token")
        );
        assert_eq!(
            with.userinfo_endpoint.as_deref(),
            Some("https://api.example/me")
        );
        assert_eq!(
            with.revocation_endpoint.as_deref(),
            Some("https://as/revoke")
        );
        assert_eq!(
            with.mtls_endpoint_aliases
                .as_ref()
                .map(|a| a.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["token_endpoint".to_string()])
        );

        // A certificate given later (a session's) uses the kept aliases.
        without.tls_client_certificate = Some("/c.pem".into());
        without.use_mtls_aliases();
        assert_eq!(
            without.token_endpoint.as_deref(),
            Some("https://mtls.as/token")
        );
        assert_eq!(
            without.userinfo_endpoint.as_deref(),
            Some("https://api.example/me")
        );
    }

    #[test]
    fn overlay_replaces_only_set_fields() {
        let base = ProviderSpec {
            client_id: Some("a".into()),
            token_endpoint: Some("https://x/token".into()),
            ..Default::default()
        };
        let over = ProviderSpec {
            token_endpoint: Some("http://127.0.0.1/token".into()),
            ..Default::default()
        };
        let m = base.overlay(&over);
        assert_eq!(m.client_id.as_deref(), Some("a"));
        assert_eq!(m.token_endpoint.as_deref(), Some("http://127.0.0.1/token"));
    }

    #[test]
    fn overlay_later_layer_wins_none_keeps_lists_and_maps_replaced() {
        let base = ProviderSpec {
            client_id: Some("a".into()),
            scopes: Some(vec!["read".into(), "write".into()]),
            pkce: Some(Pkce::Required),
            token_endpoint_auth_method: Some(ClientAuth::ClientSecretBasic),
            error_codes: Some(BTreeMap::from([("invalid_grant".to_string(), 1)])),
            refresh_token_rotation: Some(true),
            ..Default::default()
        };
        let over = ProviderSpec {
            scopes: Some(vec!["admin".into()]),
            token_endpoint_auth_method: Some(ClientAuth::PrivateKeyJwt),
            error_codes: Some(BTreeMap::from([("invalid_client".to_string(), 2)])),
            refresh_token_rotation: Some(false),
            ..Default::default()
        };
        let m = base.overlay(&over);
        // `None` in the later layer keeps the earlier value.
        assert_eq!(m.client_id.as_deref(), Some("a"));
        assert_eq!(m.pkce, Some(Pkce::Required));
        // A later `Some` wins, even `false`.
        assert_eq!(
            m.token_endpoint_auth_method,
            Some(ClientAuth::PrivateKeyJwt)
        );
        assert_eq!(m.refresh_token_rotation, Some(false));
        // Lists and maps are replaced, not appended or merged.
        assert_eq!(m.scopes, Some(vec!["admin".to_string()]));
        assert_eq!(
            m.error_codes,
            Some(BTreeMap::from([("invalid_client".to_string(), 2)]))
        );
        // Overlaying nothing changes nothing; overlaying onto nothing gives the layer.
        assert_eq!(base.overlay(&ProviderSpec::default()), base);
        assert_eq!(ProviderSpec::default().overlay(&over), over);
    }

    #[test]
    fn every_preset_merges_like_the_json_round_trip_did() {
        // The field-by-field merge gives what merging the serialized maps gives.
        let p = presets().unwrap();
        for a in p.values() {
            for b in p.values() {
                let mut map = a.to_map();
                map.extend(b.to_map());
                let expected = ProviderSpec::from_map(map, "test").unwrap();
                assert_eq!(a.overlay(b), expected);
            }
        }
    }

    #[test]
    fn endpoints_are_named_as_the_fields_in_display_order() {
        let names: Vec<&str> = Endpoint::ALL.iter().map(|e| e.name()).collect();
        assert_eq!(names, ENDPOINT_KEYS);
        let spec = ProviderSpec {
            device_authorization_endpoint: Some("https://x/device".into()),
            jwks_uri: Some("https://x/jwks".into()),
            ..Default::default()
        };
        assert_eq!(
            spec.endpoint(Endpoint::DeviceAuthorization),
            Some("https://x/device")
        );
        assert_eq!(spec.get_str("jwks_uri").as_deref(), Some("https://x/jwks"));
        assert_eq!(spec.endpoint(Endpoint::Token), None);
        assert_eq!(spec.get_str("no_such_field"), None);
    }

    #[test]
    fn typed_quirks_read_from_the_presets() {
        let p = presets().unwrap();
        let ob = &p["onboardbase"];
        assert_eq!(ob.token_request_params, Some(ParamsIn::Query));
        assert_eq!(ob.expires_in_format, Some(ExpiresIn::Absolute));
        assert_eq!(ob.error_format, Some(ErrorShape::ErrorsArray));
        assert_eq!(
            ob.token_endpoint_auth_method,
            Some(ClientAuth::ClientSecretQuery)
        );
        assert_eq!(
            p["worksection"].userinfo_request,
            Some(UserinfoRequest::FormPost)
        );
        assert_eq!(p["worksection"].pkce, Some(Pkce::Unsupported));
        assert_eq!(p["hub"].pkce, Some(Pkce::Required));
        // Written back as the same strings.
        assert_eq!(ob.get_str("token_request_params").as_deref(), Some("query"));
        assert_eq!(
            ob.to_map()["token_endpoint_auth_method"],
            "client_secret_query"
        );
    }
}
