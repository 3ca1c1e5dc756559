//! The one token request, for every grant: build (client authentication, parameters
//! where the provider wants them), send, read, register the secrets for redaction,
//! remember a code's exchange in the flow journal, and, when the server refuses,
//! return the refusal with its evidence and diagnosis. It never prints: the caller
//! hears [`TokenEvent`]s and decides what to show.

use crate::clock;
use crate::error::Error;
use crate::http::{Http, HttpRequest, HttpResponse};
use crate::jwt::id_token::{self, Expected, Keys, Nonce};
use crate::oauth::client_auth::{self, ClientCredentials};
use crate::oauth::dpop::{self, DpopKey};
use crate::oauth::error::OAuthError;
use crate::oauth::token;
use crate::provider::Provider;
use crate::store::{IdTokenCheck, TokenSet};
use crate::support::diagnose::{self, Diagnosis, Evidence};
use crate::support::journal::{self, Flow, Journal};

/// The parameters of one grant's token request (RFC 6749 §4.1.3, §4.3.2, §4.4.2, §6;
/// RFC 8628 §3.4). Overrides (`--token-param`) are applied on top by [`TokenCall`].
#[derive(Debug, Clone)]
pub enum GrantParams<'a> {
    AuthorizationCode {
        code: &'a str,
        /// `None`: left out (a server that had one in the authorization request refuses).
        redirect_uri: Option<&'a str>,
        verifier: Option<&'a str>,
    },
    RefreshToken {
        refresh_token: &'a str,
    },
    DeviceCode {
        device_code: &'a str,
    },
    ClientCredentials {
        scopes: &'a [String],
        audience: Option<&'a str>,
        resource: &'a [String],
    },
    Password {
        username: &'a str,
        password: &'a str,
        scopes: &'a [String],
        audience: Option<&'a str>,
        resource: &'a [String],
    },
    /// Token exchange (RFC 8693 §2.1): a token for `subject_token` (and `actor_token`),
    /// for the given audiences, resources and scopes.
    TokenExchange(TokenExchange<'a>),
    /// A JWT authorization grant (RFC 7523 §2.1).
    JwtBearer {
        assertion: &'a str,
        scopes: &'a [String],
    },
}

/// The grant type of a JWT authorization grant (RFC 7523 §2.1).
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// A grant assertion signed with the key in `key_path` (RFC 7523 §3): `iss` the client,
/// `sub` the subject, `aud` the token endpoint.
pub fn grant_assertion(
    key_path: &str,
    client_id: &str,
    subject: &str,
    token_endpoint: &str,
) -> Result<String, Error> {
    let key = crate::oauth::assertion::AssertionKey::load(key_path)?;
    key.sign_grant(client_id, subject, token_endpoint, clock::unix_now())
}

/// The parameters of a token exchange request (RFC 8693 §2.1). The token types are
/// URIs (`urn:ietf:params:oauth:token-type:access_token`, see [`token_type_uri`]).
#[derive(Debug, Clone)]
pub struct TokenExchange<'a> {
    pub subject_token: &'a str,
    pub subject_token_type: &'a str,
    /// With its type: both or neither (RFC 8693 §2.1).
    pub actor: Option<(&'a str, &'a str)>,
    pub audience: &'a [String],
    pub resource: &'a [String],
    pub scopes: &'a [String],
    pub requested_token_type: Option<&'a str>,
}

/// The grant type of token exchange (RFC 8693 §2.1).
pub const TOKEN_EXCHANGE_GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// A token type as RFC 8693 §3 registers it: a short name (`access_token`,
/// `refresh_token`, `id_token`, `jwt`, `saml1`, `saml2`) becomes its URI; anything
/// else is taken as given.
pub fn token_type_uri(t: &str) -> String {
    match t {
        "access_token" | "refresh_token" | "id_token" | "saml1" | "saml2" | "jwt" => {
            format!("urn:ietf:params:oauth:token-type:{t}")
        }
        other => other.to_string(),
    }
}

impl GrantParams<'_> {
    /// The form parameters, in the provider's names for the scope parameter.
    pub fn params(&self, provider: &Provider) -> Vec<(String, String)> {
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        match self {
            GrantParams::AuthorizationCode {
                code,
                redirect_uri,
                verifier,
            } => {
                let mut p = vec![pair("grant_type", "authorization_code"), pair("code", code)];
                p.extend(redirect_uri.map(|r| pair("redirect_uri", r)));
                p.extend(verifier.map(|v| pair("code_verifier", v)));
                p
            }
            GrantParams::RefreshToken { refresh_token } => vec![
                pair("grant_type", "refresh_token"),
                pair("refresh_token", refresh_token),
            ],
            GrantParams::DeviceCode { device_code } => vec![
                pair("grant_type", crate::provider::DEVICE_CODE_GRANT),
                pair("device_code", device_code),
            ],
            GrantParams::ClientCredentials {
                scopes,
                audience,
                resource,
            } => {
                // RFC 6749 §4.4.2, with an `audience` (as Auth0 and RFC 8693 name it)
                // and resource indicators (RFC 8707).
                let mut p = vec![pair("grant_type", "client_credentials")];
                p.extend(token::scope_param(provider, scopes));
                p.extend(audience.map(|a| pair("audience", a)));
                p.extend(resource.iter().map(|r| pair("resource", r)));
                p
            }
            GrantParams::Password {
                username,
                password,
                scopes,
                audience,
                resource,
            } => {
                let mut p = vec![
                    pair("grant_type", "password"),
                    pair("username", username),
                    pair("password", password),
                ];
                p.extend(token::scope_param(provider, scopes));
                p.extend(audience.map(|a| pair("audience", a)));
                p.extend(resource.iter().map(|r| pair("resource", r)));
                p
            }
            GrantParams::TokenExchange(x) => {
                let mut p = vec![
                    pair("grant_type", TOKEN_EXCHANGE_GRANT),
                    pair("subject_token", x.subject_token),
                    pair("subject_token_type", x.subject_token_type),
                ];
                if let Some((token, kind)) = x.actor {
                    p.push(pair("actor_token", token));
                    p.push(pair("actor_token_type", kind));
                }
                p.extend(x.audience.iter().map(|a| pair("audience", a)));
                p.extend(x.resource.iter().map(|r| pair("resource", r)));
                p.extend(token::scope_param(provider, x.scopes));
                p.extend(
                    x.requested_token_type
                        .map(|t| pair("requested_token_type", t)),
                );
                p
            }
            GrantParams::JwtBearer { assertion, scopes } => {
                let mut p = vec![
                    pair("grant_type", JWT_BEARER_GRANT),
                    pair("assertion", assertion),
                ];
                p.extend(token::scope_param(provider, scopes));
                p
            }
        }
    }
}

/// What the diagnosis may know about the code a request sends, and where its
/// exchange is remembered.
#[derive(Debug, Clone, Default)]
pub struct CodeContext<'a> {
    pub journal: Option<&'a Journal>,
    /// The state of the authorization request the code answers, when known.
    pub state: Option<&'a str>,
    /// The authorization request the code belongs to (the journal's or this process's).
    pub flow: Option<Flow>,
    /// Earlier token requests with the same code (from the journal).
    pub earlier: Vec<journal::Exchange>,
    /// Recorded when the journal knows no flow for this code.
    pub fallback: Option<Flow>,
}

/// How an ID token in the answer is checked (OpenID Connect Core 3.1.3.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdTokenRules {
    /// `false` (`--no-verify-id-token`): a failed check is recorded, and the tokens
    /// are kept anyway.
    pub enforce: bool,
    /// Seconds of clock skew allowed on `exp` and `iat` (`--leeway`).
    pub leeway: i64,
    /// The nonce of the authorization request (code flow).
    pub nonce: Option<String>,
    /// Or its hash, from the flow journal (`exchange`).
    pub nonce_hash: Option<String>,
    /// On a refresh: the `sub` of the session's ID token, which must not change.
    pub subject: Option<String>,
}

impl Default for IdTokenRules {
    fn default() -> Self {
        IdTokenRules {
            enforce: true,
            leeway: id_token::DEFAULT_LEEWAY,
            nonce: None,
            nonce_hash: None,
            subject: None,
        }
    }
}

impl IdTokenRules {
    /// `--leeway` and `--no-verify-id-token`.
    pub fn new(leeway: std::time::Duration, no_verify: bool) -> IdTokenRules {
        IdTokenRules {
            enforce: !no_verify,
            leeway: i64::try_from(leeway.as_secs()).unwrap_or(i64::MAX / 2),
            ..Default::default()
        }
    }
}

/// One token request to make.
#[derive(Debug, Clone)]
pub struct TokenCall<'a> {
    pub provider: &'a Provider,
    pub client: &'a ClientCredentials,
    pub endpoint: String,
    /// The grant's parameters with any overrides applied.
    pub params: Vec<(String, String)>,
    /// The scopes asked for: a response without `scope` granted these.
    pub requested: Vec<String>,
    /// The command making it (`login`, `refresh`, `exchange`), for the diagnosis and
    /// the journal.
    pub command: &'a str,
    pub code: Option<CodeContext<'a>>,
    /// How an ID token in the answer is checked.
    pub id_token: IdTokenRules,
    /// The DPoP key the tokens are bound to (RFC 9449): each request carries a proof.
    pub dpop: Option<&'a DpopKey>,
}

/// What happens during a token request, in order.
#[derive(Debug)]
pub enum TokenEvent<'a> {
    /// About to POST to `endpoint`.
    Sending {
        endpoint: &'a str,
        grant: &'a str,
        client_auth: crate::provider::ClientAuth,
    },
    /// The server answered with `status`.
    Answered { status: u16 },
    /// The server refused; the refusal follows as the call's error.
    Refused { error: &'a OAuthError },
    /// The exchange could not be remembered in the flow journal (the request goes on).
    JournalFailed { error: &'a Error },
    /// The answer was accepted with a doubt the user should hear about (an invalid
    /// `expires_in`, taken as expired).
    Warning { message: &'a str },
    /// A DPoP proof goes with the request (`nonce`: the server's, on the retry it
    /// asked for). The proof holds the public key only.
    DpopProof {
        proof: &'a str,
        thumbprint: &'a str,
        nonce: Option<&'a str>,
    },
}

/// A token request the server refused, explained.
#[derive(Debug)]
pub struct Refusal {
    pub oauth: OAuthError,
    pub evidence: Evidence,
    pub diagnosis: Diagnosis,
    /// The grant type of the refused request.
    pub grant: String,
}

impl Refusal {
    /// The error with the diagnosis as its hint; `what` is e.g. "the token request".
    pub fn to_error(&self, provider: &Provider, what: &str) -> Error {
        diagnose::to_error(provider, &self.oauth, what, &self.diagnosis)
    }

    /// The error with the grant's own hint, followed by the diagnosis's causes that do
    /// not depend on a code (for grants without one).
    pub fn to_grant_error(&self, provider: &Provider, what: &str) -> Error {
        diagnose::to_grant_error(provider, &self.oauth, what, &self.grant, &self.diagnosis)
    }
}

/// Why a token request gave no tokens.
#[derive(Debug)]
pub enum TokenFailure {
    /// The server said no (an OAuth error, or an answer without a usable token).
    Refused(Box<Refusal>),
    /// The request did not get an answer (network, TLS, timeout) or could not be built.
    Failed(Error),
}

impl From<Error> for TokenFailure {
    fn from(e: Error) -> Self {
        TokenFailure::Failed(e)
    }
}

/// The nonce of a `400 {"error":"use_dpop_nonce"}` answer with a `DPoP-Nonce` header.
fn wants_dpop_nonce(resp: &HttpResponse) -> Option<String> {
    if resp.status != 400 {
        return None;
    }
    let body: serde_json::Value = serde_json::from_slice(&resp.body).ok()?;
    if body.get("error").and_then(|e| e.as_str()) != Some("use_dpop_nonce") {
        return None;
    }
    dpop::nonce_of(&resp.headers)
}

fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Registers every token of `t` as a secret of this process's output.
pub fn register_secrets(http: &Http, t: &TokenSet) {
    let r = http.redactor();
    let mut r = match r.lock() {
        Ok(r) => r,
        Err(p) => p.into_inner(),
    };
    for s in t.secrets() {
        r.add_value(s);
    }
}

impl<'a> TokenCall<'a> {
    /// A request of `grant` to `endpoint`, with `overrides` replacing or adding
    /// parameters (their secret values are registered for redaction).
    pub fn new(
        provider: &'a Provider,
        client: &'a ClientCredentials,
        endpoint: String,
        grant: &GrantParams<'_>,
        overrides: &[(String, String)],
        command: &'a str,
    ) -> TokenCall<'a> {
        let mut params = grant.params(provider);
        token::merge_params(&mut params, overrides);
        TokenCall {
            provider,
            client,
            endpoint,
            params,
            requested: Vec::new(),
            command,
            code: None,
            id_token: IdTokenRules::default(),
            dpop: None,
        }
    }

    /// Binds the tokens to `key` (RFC 9449): every request carries a proof.
    pub fn dpop(mut self, key: Option<&'a DpopKey>) -> Self {
        self.dpop = key;
        self
    }

    /// How an ID token in the answer is checked.
    pub fn id_token_rules(mut self, rules: IdTokenRules) -> Self {
        self.id_token = rules;
        self
    }

    pub fn requested(mut self, scopes: &[String]) -> Self {
        self.requested = scopes.to_vec();
        self
    }

    pub fn code(mut self, code: CodeContext<'a>) -> Self {
        self.code = Some(code);
        self
    }

    /// The grant type sent.
    pub fn grant(&self) -> &str {
        param(&self.params, "grant_type").unwrap_or_default()
    }

    /// The HTTP request, client authenticated (the only place a token request is built).
    pub fn build(&self, http: &Http) -> Result<HttpRequest, Error> {
        register_param_secrets(http, &self.params);
        client_auth::build_request(self.provider, &self.endpoint, &self.params, self.client)
    }

    /// Builds, sends and reads the request.
    pub async fn run(
        &self,
        http: &Http,
        on_event: &mut dyn FnMut(TokenEvent<'_>),
    ) -> Result<TokenSet, TokenFailure> {
        let req = self.build(http)?;
        self.send_request(http, req, true, on_event).await
    }

    /// Sends `req` (built by [`TokenCall::build`], perhaps changed since: `exchange`
    /// omits parameters) and reads the answer.
    pub async fn send(
        &self,
        http: &Http,
        req: HttpRequest,
        on_event: &mut dyn FnMut(TokenEvent<'_>),
    ) -> Result<TokenSet, TokenFailure> {
        self.send_request(http, req, false, on_event).await
    }

    /// `req` with a DPoP proof (when the tokens are bound), reported as an event.
    fn with_proof(
        &self,
        mut req: HttpRequest,
        nonce: Option<&str>,
        on_event: &mut dyn FnMut(TokenEvent<'_>),
    ) -> Result<HttpRequest, Error> {
        let Some(key) = self.dpop else {
            return Ok(req);
        };
        let proof = key.proof(
            req.method.as_str(),
            req.url.as_str(),
            nonce,
            None,
            clock::unix_now(),
        )?;
        on_event(TokenEvent::DpopProof {
            proof: &proof,
            thumbprint: &key.thumbprint(),
            nonce,
        });
        req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("dpop"));
        req.headers.push(("DPoP".into(), proof));
        Ok(req)
    }

    async fn send_request(
        &self,
        http: &Http,
        req: HttpRequest,
        rebuildable: bool,
        on_event: &mut dyn FnMut(TokenEvent<'_>),
    ) -> Result<TokenSet, TokenFailure> {
        let sent = req.params();
        let grant = param(&sent, "grant_type")
            .unwrap_or(self.grant())
            .to_string();
        let again = self.dpop.map(|_| req.clone());
        let req = self.with_proof(req, None, on_event)?;
        on_event(TokenEvent::Sending {
            endpoint: &self.endpoint,
            grant: &grant,
            client_auth: self.provider.auth_method(),
        });
        let mut resp = http.send(req).await?;
        on_event(TokenEvent::Answered {
            status: resp.status,
        });
        // RFC 9449 §8: a server that wants a nonce says `use_dpop_nonce` with the nonce
        // in `DPoP-Nonce`: asked again once, with it (and a fresh client assertion).
        if let (Some(again), Some(nonce)) = (again, wants_dpop_nonce(&resp)) {
            let again = match rebuildable {
                true => self.build(http)?,
                false => again,
            };
            let again = self.with_proof(again, Some(&nonce), on_event)?;
            on_event(TokenEvent::Sending {
                endpoint: &self.endpoint,
                grant: &grant,
                client_auth: self.provider.auth_method(),
            });
            resp = http.send(again).await?;
            on_event(TokenEvent::Answered {
                status: resp.status,
            });
        }
        let mut tokens = self.read(http, &resp, &sent, grant, on_event)?;
        if self.dpop.is_some() && !tokens.token_type.eq_ignore_ascii_case("DPoP") {
            let message = format!(
                "{} answered token_type `{}` to a DPoP request: the access token is not bound to the DPoP key, and is sent as a {} token (RFC 9449 §5)",
                self.provider.display_name(),
                crate::text::inert(&tokens.token_type),
                crate::text::inert(&tokens.token_type)
            );
            on_event(TokenEvent::Warning { message: &message });
        }
        self.check_id_token(http, &sent, &mut tokens).await?;
        Ok(tokens)
    }

    /// The nonce the ID token must carry: the one sent, else one of the hash the flow
    /// journal keeps.
    fn nonce(&self) -> Option<Nonce<'_>> {
        match (&self.id_token.nonce, &self.id_token.nonce_hash) {
            (Some(n), _) => Some(Nonce::Sent(n)),
            (None, Some(h)) => Some(Nonce::Hashed {
                hash: h,
                with: journal::hash,
            }),
            (None, None) => None,
        }
    }

    /// Checks the answer's ID token (signature, iss, aud, exp, iat, nonce, hashes…)
    /// and records how; a failed check fails the call unless the rules say to keep the
    /// tokens anyway (the failure is then recorded).
    async fn check_id_token(
        &self,
        http: &Http,
        sent: &[(String, String)],
        tokens: &mut TokenSet,
    ) -> Result<(), Error> {
        let Some(idt) = &tokens.id_token else {
            return Ok(());
        };
        let spec = &self.provider.spec;
        let issuer = spec.issuer.as_deref().ok_or_else(|| {
            Error::input(format!(
                "{} sent an ID token, and provider `{}` has no issuer to check it against",
                self.provider.display_name(),
                self.provider.name
            ))
            .with_hint(format!(
                "set `issuer` in the [providers.{}] table of the config file, or pass --no-verify-id-token",
                self.provider.name
            ))
        });
        let client_id = param(sent, "client_id").unwrap_or(self.client.client_id.as_str());
        let secret = self.client.client_secret.as_ref().map(|s| s.expose());
        let algs = spec
            .id_token_signing_alg_values_supported
            .clone()
            .unwrap_or_default();
        let checked = match issuer {
            Ok(issuer) => {
                let expected = Expected {
                    issuer,
                    client_id,
                    algs: &algs,
                    nonce: self.nonce(),
                    access_token: Some(tokens.access_token.expose()),
                    code: param(sent, "code"),
                    subject: self.id_token.subject.as_deref(),
                    now: i64::try_from(clock::unix_now()).unwrap_or(i64::MAX / 2),
                    leeway: self.id_token.leeway,
                };
                let keys = Keys {
                    jwks_uri: spec.jwks_uri.as_deref(),
                    client_secret: secret,
                };
                id_token::verify(http, idt.expose(), keys, &expected).await
            }
            Err(e) => Err(e),
        };
        let at = clock::unix_now();
        tokens.id_token_check = Some(match checked {
            Ok(p) => IdTokenCheck {
                verified: true,
                keys_from: if p.alg.starts_with("HS") {
                    Some("the client secret".into())
                } else {
                    spec.jwks_uri.clone()
                },
                alg: Some(p.alg),
                kid: p.kid,
                checks: p.checks.iter().map(|c| c.to_string()).collect(),
                failure: None,
                at,
            },
            Err(e) if self.id_token.enforce => return Err(e),
            Err(e) => IdTokenCheck {
                verified: false,
                alg: None,
                kid: None,
                keys_from: None,
                checks: Vec::new(),
                failure: Some(e.message),
                at,
            },
        });
        Ok(())
    }

    fn read(
        &self,
        http: &Http,
        resp: &HttpResponse,
        sent: &[(String, String)],
        grant: String,
        on_event: &mut dyn FnMut(TokenEvent<'_>),
    ) -> Result<TokenSet, TokenFailure> {
        let now = clock::unix_now();
        let outcome = token::parse_response_warned(self.provider, resp, now, &self.requested);
        let outcome = outcome.map(|(tokens, warnings)| {
            for w in &warnings {
                on_event(TokenEvent::Warning { message: w });
            }
            tokens
        });
        self.remember(sent, &outcome, now, on_event);
        match outcome {
            Ok(tokens) => {
                register_secrets(http, &tokens);
                Ok(tokens)
            }
            Err(oauth) => {
                on_event(TokenEvent::Refused { error: &oauth });
                let code = self.code.as_ref();
                let evidence = diagnose::evidence(
                    code.and_then(|c| c.flow.as_ref()),
                    code.map(|c| c.earlier.as_slice()).unwrap_or_default(),
                    sent,
                    self.provider.auth_method(),
                    clock::response_skew(resp.header("date"), resp.elapsed),
                    self.command,
                    now,
                );
                let diagnosis = diagnose::diagnose(self.provider, &(&oauth).into(), &evidence);
                Err(TokenFailure::Refused(Box::new(Refusal {
                    oauth,
                    evidence,
                    diagnosis,
                    grant,
                })))
            }
        }
    }

    /// Records a code's exchange (hashes only) in the flow journal.
    fn remember(
        &self,
        sent: &[(String, String)],
        outcome: &Result<TokenSet, OAuthError>,
        now: u64,
        on_event: &mut dyn FnMut(TokenEvent<'_>),
    ) {
        let (Some(ctx), Some(code)) = (&self.code, param(sent, "code")) else {
            return;
        };
        let Some(j) = ctx.journal else {
            return;
        };
        let record = journal::Exchange {
            code_hash: journal::hash(code),
            at: now,
            by: self.command.to_string(),
            redirect_uri: param(sent, "redirect_uri").map(str::to_string),
            outcome: match outcome {
                Ok(_) => "ok".into(),
                Err(e) => e.error.clone(),
            },
        };
        if let Err(e) = j.record_exchange(ctx.state, code, record, ctx.fallback.clone()) {
            on_event(TokenEvent::JournalFailed { error: &e });
        }
    }
}

/// The secret values among `params` (code, verifier, refresh token, password, a client
/// secret given as a parameter) registered for redaction.
fn register_param_secrets(http: &Http, params: &[(String, String)]) {
    let r = http.redactor();
    let mut r = match r.lock() {
        Ok(r) => r,
        Err(p) => p.into_inner(),
    };
    for (k, v) in params {
        if r.is_secret_key(k) {
            r.add_value(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpConfig;
    use crate::provider::{Origin, Provider};
    use crate::redact::Redactor;
    use crate::secret::Secret;
    use std::sync::{Arc, Mutex};

    fn provider() -> Provider {
        Provider {
            name: "t".into(),
            origin: Origin::Config,
            spec: Default::default(),
            discovered_from: None,
        }
    }

    fn http() -> (Http, Arc<Mutex<Redactor>>) {
        let redactor = Arc::new(Mutex::new(Redactor::new(false)));
        let http = Http::new(HttpConfig::default(), redactor.clone()).unwrap();
        (http, redactor)
    }

    /// A token endpoint on 127.0.0.1 that answers `body` once.
    fn endpoint(body: &'static str) -> String {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}/token", server.server_addr());
        std::thread::spawn(move || {
            if let Ok(req) = server.recv() {
                let h = tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
                let _ = req.respond(tiny_http::Response::from_string(body).with_header(h));
            }
        });
        url
    }

    #[test]
    fn the_secrets_a_request_sends_are_registered_before_it_is_sent() {
        let (http, redactor) = http();
        let p = provider();
        let client = ClientCredentials {
            client_id: "cid".into(),
            client_secret: None,
        };
        let grant = GrantParams::AuthorizationCode {
            code: "the-code-value",
            redirect_uri: Some("http://127.0.0.1:1/cb"),
            verifier: Some("the-verifier-value"),
        };
        let extra = [("password".to_string(), "hunter2-pass".to_string())];
        let call = TokenCall::new(
            &p,
            &client,
            "http://127.0.0.1:1/t".into(),
            &grant,
            &extra,
            "login",
        );
        call.build(&http).unwrap();
        let shown = redactor
            .lock()
            .unwrap()
            .text("the-code-value the-verifier-value hunter2-pass http://127.0.0.1:1/cb");
        assert!(!shown.contains("the-code-value"), "{shown}");
        assert!(!shown.contains("the-verifier-value"), "{shown}");
        assert!(!shown.contains("hunter2-pass"), "{shown}");
        assert!(
            shown.contains("http://127.0.0.1:1/cb"),
            "not a secret: {shown}"
        );
    }

    #[test]
    fn the_tokens_a_server_answers_are_registered_as_secrets() {
        let (http, redactor) = http();
        let mut p = provider();
        p.spec.secret_fields = Some(vec!["passphrase".into()]);
        let client = ClientCredentials {
            client_id: "cid".into(),
            client_secret: Some(Secret::new("s3cret")),
        };
        let url = endpoint(
            r#"{"access_token":"access-AAAA","refresh_token":"refresh-RRRR","id_token":"idtok-IIII","passphrase":"phrase-PPPP","token_type":"Bearer"}"#,
        );
        let grant = GrantParams::RefreshToken {
            refresh_token: "old-refresh",
        };
        // The ID token here is no JWT: its check is switched off (tested in jwt::id_token).
        let unchecked = IdTokenRules::new(std::time::Duration::from_secs(60), true);
        let call =
            TokenCall::new(&p, &client, url, &grant, &[], "refresh").id_token_rules(unchecked);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let t = rt.block_on(call.run(&http, &mut |_| {})).unwrap();
        assert_eq!(t.access_token.expose(), "access-AAAA");
        let shown = redactor
            .lock()
            .unwrap()
            .text("access-AAAA refresh-RRRR idtok-IIII phrase-PPPP");
        for secret in ["access-AAAA", "refresh-RRRR", "idtok-IIII", "phrase-PPPP"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}
