//! The whole command surface, in one file (clap derive).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

fn parse_duration(s: &str) -> Result<Duration, String> {
    crate::duration::parse(s)
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got `{s}`")),
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "oauthctl",
    version,
    about = "Run and debug OAuth 2.0 / OpenID Connect flows",
    long_about = "Run and debug OAuth 2.0 / OpenID Connect flows: log in through a loopback redirect with PKCE, keep sessions in the OS keyring, print fresh tokens for scripts, and see, explain and replay every HTTP exchange (secrets redacted).\n\nBuilt-in presets: hub, chatwork, teamwork, worksection, onboardbase, and demo (a built-in emulator: try `oauthctl login -p demo`). Any standards-compliant server works with `issuer` and `client_id` in the config file.",
    after_help = "Examples:\n  oauthctl login -p demo\n  oauthctl providers\n  TOKEN=$(oauthctl token -p hub)\n  oauthctl discover https://accounts.example.com\n\nExit codes: 0 ok, 2 usage, 3 bad input, 4 login required, 5 server error, 6 network/TLS, 7 timeout, 8 storage, 130 interrupted.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file
    #[arg(
        short = 'p',
        long,
        global = true,
        env = "OAUTHCTL_PROVIDER",
        value_name = "NAME"
    )]
    pub provider: Option<String>,

    /// Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]
    #[arg(long, global = true, env = "OAUTHCTL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Machine-readable JSON on stdout
    #[arg(long, global = true)]
    pub json: bool,

    /// Show every HTTP request and response on stderr (secrets redacted)
    #[arg(long, global = true)]
    pub trace: bool,

    /// Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)
    #[arg(long, global = true, value_name = "FILE")]
    pub har: Option<PathBuf>,

    /// Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails
    #[arg(long, global = true, value_name = "FILE.html")]
    pub report: Option<PathBuf>,

    /// Show tokens, codes and client secrets in clear in output and traces
    #[arg(long, global = true)]
    pub show_secrets: bool,

    /// Trust this PEM CA certificate (bundle) in addition to the system roots
    #[arg(long, global = true, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// Do not verify TLS certificates (unsafe: for test servers only)
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Send a client secret, password or refresh token over plain http to a host that is
    /// not loopback (unsafe: anyone on the network path can read them)
    #[arg(long, global = true, env = "OAUTHCTL_ALLOW_INSECURE_HTTP")]
    pub allow_insecure_http: bool,

    /// Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]
    #[arg(long, global = true, value_name = "DUR", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print less on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Print more on stderr
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)
    #[arg(
        long,
        global = true,
        value_enum,
        env = "OAUTHCTL_STORE",
        default_value_t = StoreChoice::Auto,
        value_name = "STORE"
    )]
    pub store: StoreChoice,

    /// Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Session profile, to keep several sessions per provider
    #[arg(
        long,
        global = true,
        env = "OAUTHCTL_PROFILE",
        value_name = "NAME",
        default_value = "default"
    )]
    pub profile: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreChoice {
    /// The OS keyring when reachable, else files (with a warning)
    Auto,
    /// The OS keyring only (fail when unreachable)
    Keyring,
    /// 0600 files under the data directory
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

// Each subcommand's arguments are built only when that subcommand is (`defer`): a
// command line builds the one it runs, not all of them (issue 19: startup). Its `Args`
// structs must carry no doc comment (it would replace the variant's `about`), and no
// argument of a subcommand may share an id with a global option.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Fetch and show an authorization server's metadata (OpenID Connect, RFC 8414, Teamwork)
    #[command(
        after_help = "Examples:\n  oauthctl discover https://accounts.google.com\n  oauthctl discover -p teamwork --json"
    )]
    Discover(DiscoverArgs),

    /// List the built-in presets and configured providers, and what each still needs
    #[command(after_help = "Examples:\n  oauthctl providers\n  oauthctl providers --json")]
    Providers(ProvidersArgs),

    /// Build the authorization URL exactly as `login` will, with PKCE and state
    #[command(
        after_help = "Examples:\n  oauthctl authorize-url -p hub\n  oauthctl authorize-url -p onboardbase --scope read.secrets --json\n  oauthctl authorize-url -p hub --param prompt=consent --redirect-uri http://127.0.0.1:8765/callback"
    )]
    AuthorizeUrl(AuthorizeUrlArgs),

    /// Log in (authorization code with PKCE, device, client credentials or password) and store the session
    #[command(
        long_about = "Log in and store the session.\n\nBy default: the authorization code grant with PKCE through a loopback redirect (or a pasted URL). --device uses the device authorization grant (RFC 8628): a code to enter on another device, with a QR code. --client-credentials logs a service account in (no user). --password uses the resource owner password grant (deprecated: OAuth 2.1 drops it). --jwt-bearer uses a JWT authorization grant (RFC 7523): a given --assertion, or one signed here with --assertion-key for --assertion-sub. --authorization-details sends a rich authorization request (RFC 9396).\n\nThe client authenticates as the provider says (none, client_secret_basic, client_secret_post, credentials in the query), or with a signed JWT (private_key_jwt, RFC 7523) given --client-assertion-key.\n\nWhen no browser can be opened here (SSH, no display, no opener) and the server offers the device grant, login says so and uses it; otherwise it waits for the redirected URL to be pasted. --device and --no-browser force one or the other.",
        after_help = "Examples:\n  oauthctl login -p hub\n  oauthctl login -p chatwork --profile work --scope users.profile.me:read\n  oauthctl login -p hub --port 8765 --browser firefox\n  oauthctl login -p worksection --no-browser      # paste the redirected URL\n  oauthctl login -p teamwork --device\n  oauthctl login -p corp --client-credentials --scope api.read --audience https://api.example.com\n  oauthctl login -p corp --client-credentials --client-assertion-key client.pem\n  oauthctl login -p corp --jwt-bearer --assertion-key signer.pem --assertion-sub alice --client-assertion-key client.pem\n  printf '%s\\n' \"$PASS\" | oauthctl login -p teamwork --password --username alice --password-stdin\n\nThe authorization URL is always printed on stderr. Without a display (SSH, headless) no browser is started: open the URL anywhere, then with --no-browser paste the URL you were redirected to.\nExit codes: 5 the server refused (a denied device login too), 7 no redirect within --login-timeout or the device code expired, 130 Ctrl-C."
    )]
    Login(LoginArgs),

    /// Print a valid access token on stdout, refreshed first when it is about to expire
    #[command(
        after_help = "Examples:\n  TOKEN=$(oauthctl token -p hub)\n  oauthctl token -p hub --min-ttl 5m\n  oauthctl token -p corp --id-token\n  oauthctl token -p hub --json\n\nExit codes: 4 login required (no session, or the refresh was refused: run the `oauthctl login` command printed on stderr), 5 server error, 6 network, 7 timeout (lock or request), 8 storage."
    )]
    Token(TokenArgs),

    /// Print an `Authorization: Bearer …` header with a valid access token
    #[command(
        after_help = "Examples:\n  curl -H \"$(oauthctl header -p hub)\" https://hub.regardingwork.com/api/auth/me"
    )]
    Header(HeaderArgs),

    /// A git credential helper: answers git with a fresh access token as the password
    #[command(
        long_about = "A git credential helper (git's credential helper protocol on stdin and stdout): `get` answers `username=` (the provider's `git_username`, default oauth2), `password=` a fresh access token (refreshed first when it is about to expire) and `password_expiry_utc=` (Unix time); `erase` (git's word that the password was refused) makes the next `get` renew the session first instead of answering the same token; `store` does nothing; other operations and unknown attributes are ignored.\n\nWhen a login is needed, `get` prints nothing on stdout and one line on stderr naming the login command, and exits 4: git then asks its next helper, or the terminal.",
        after_help = "Examples:\n  git config --global credential.https://git.example.com.helper '!oauthctl git-credential -p corp'\n  git -c credential.helper='!oauthctl git-credential -p corp' clone https://git.example.com/team/repo.git\n  printf 'protocol=https\\nhost=git.example.com\\n\\n' | oauthctl git-credential -p corp get\n\nExit codes: 0 answered (or nothing to do), 4 login required, 5 server error, 6 network."
    )]
    GitCredential(GitCredentialArgs),

    /// A kubectl exec credential plugin: prints an ExecCredential with a fresh token
    #[command(
        long_about = "A kubectl exec credential plugin (client.authentication.k8s.io): prints an ExecCredential with `status.token` (the access token, or the ID token with --use id-token; refreshed first when it is about to expire) and `status.expirationTimestamp` (RFC 3339), in the API version kubectl asks for in KUBERNETES_EXEC_INFO (v1 or v1beta1; v1beta1 when the variable is absent, which every kubectl since 1.11 reads).\n\nWhen a login is needed and kubectl says the session is interactive (`spec.interactive`), it logs in first (the login's messages go to stderr); otherwise it exits 4 with the login command on stderr.",
        after_help = "Examples:\n  users:\n  - name: corp\n    user:\n      exec:\n        apiVersion: client.authentication.k8s.io/v1beta1\n        command: oauthctl\n        args: [kubectl-credential, -p, corp]\n        interactiveMode: IfAvailable\n\n  oauthctl kubectl-credential -p corp --use id-token\n\nExit codes: 0 printed, 3 a KUBERNETES_EXEC_INFO that cannot be read, 4 login required, 5 server error, 6 network."
    )]
    KubectlCredential(KubectlCredentialArgs),

    /// Run a command with a fresh access token in its environment
    #[command(
        long_about = "Run CMD with a fresh access token (refreshed first when it is about to expire) in the environment variable --env (default OAUTH_TOKEN), and with --header-env the whole Authorization header value (`Bearer …`). The token is never printed. SIGTERM, SIGINT and SIGHUP are forwarded to CMD; CMD's exit status is oauthctl's (a CMD killed by signal N: 128+N, as shells say it).",
        after_help = "Examples:\n  oauthctl run -p corp -- sh -c 'curl -H \"Authorization: Bearer $OAUTH_TOKEN\" https://api.example.com/me'\n  oauthctl run -p corp --env GITHUB_TOKEN -- gh api user\n  oauthctl run -p corp --header-env AUTH_HEADER -- ./deploy.sh\n\nExit codes: CMD's own; 4 login required (CMD not started), 127 CMD not found, 126 CMD not executable."
    )]
    Run(RunArgs),

    /// Refresh the session now (rotated refresh tokens are stored atomically)
    #[command(
        after_help = "Examples:\n  oauthctl refresh -p worksection\n  oauthctl refresh -p hub --profile work --json"
    )]
    Refresh(RefreshArgs),

    /// Show the stored sessions: provider, profile, who, scopes, expiry, store
    #[command(
        after_help = "Examples:\n  oauthctl status\n  oauthctl status -p hub\n  oauthctl status --json"
    )]
    Status(StatusArgs),

    /// Log out: revoke the tokens at the server (RFC 7009) where it can, delete the session
    #[command(
        long_about = "Log out: revoke the tokens at the server (RFC 7009) where it has a revocation endpoint and accepts this client's authentication there, then delete the local session, always. A token the server would not or could not revoke is named in a warning with its expiry (it stays valid until then); the exit code stays 0.\n\nWith --end-session, the server's end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0) is opened in the browser and its URL printed, the id_token_hint redacted unless --show-secrets.",
        after_help = "Examples:\n  oauthctl logout -p hub\n  oauthctl logout -p hub --profile work --no-revoke\n  oauthctl logout -p demo --end-session"
    )]
    Logout(LogoutArgs),

    /// Check a provider's setup without logging in: discovery, TLS, clock, client, redirect URI, and the authorization request itself
    #[command(
        long_about = "Run every check that needs no login, each reported as ok, warn, fail or skip with what was found and what to do:\n\n  discovery     the issuer's metadata is reachable and valid (when an issuer is set)\n  endpoints     authorization and token endpoints are set, are URLs, and answer\n  tls           https endpoints: handshake and certificate chain (system roots, --cacert)\n  clock         this machine's clock against the server's Date header\n  client        client_id, and a client secret where the authentication method needs one\n  client_auth   the configured client authentication against the methods the server accepts\n  pkce          PKCE S256 against code_challenge_methods_supported\n  mtls          the client certificate (mutual TLS, RFC 8705): readable, and presented over TLS at the server's mtls_endpoint_aliases\n  redirect_uri  the redirect URI's scheme against the provider's rules (Worksection: https only)\n  preflight     the authorization request sent by oauthctl itself (redirects not followed): is client_id and redirect_uri accepted?\n\nThe report goes to stdout (--json for machine output).",
        after_help = "Examples:\n  oauthctl doctor -p hub\n  oauthctl doctor -p hub --redirect-uri http://localhost:8765/callback\n  oauthctl doctor -p teamwork --json\n\nExit status: 0 when no check failed (warnings allowed); 3 when a failing check is in your own settings (config file, environment or flags: client_id, client secret, client authentication method, redirect URI, issuer): fix those first; 5 when every failing check is on the server's side or in what is registered there (discovery, TLS, unreachable endpoints, an authorization request the server refused)."
    )]
    Doctor(DoctorArgs),

    /// Send only the token request (authorization code), with any parameter changed, added or left out
    #[command(
        long_about = "Send only the token request of the authorization code flow, to reproduce a failing request: every parameter can be overridden (--param), added, or left out (--omit), and the client ID and authentication method changed.\n\nThe answer is shown normalised (secrets redacted unless --show-secrets); nothing is stored. A refusal is explained with the evidence oauthctl holds: its flow journal knows the authorization requests of `authorize-url` and `login` (redirect URI, PKCE challenge, time) and every code already sent.",
        after_help = "Examples:\n  oauthctl exchange -p hub --callback-url 'http://127.0.0.1:8765/callback?code=…&state=…' --code-verifier V\n  oauthctl exchange -p hub --code C --code-verifier V --redirect-uri http://127.0.0.1:8765/callback\n  oauthctl exchange -p teamwork --code C --client-auth client_secret_basic\n  oauthctl exchange -p hub --code C --omit code_verifier --param resource=https://api.example\n\nExit codes: 0 tokens came back, 3 bad input, 5 the server refused (explained), 6 network/TLS."
    )]
    Exchange(ExchangeArgs),

    /// Exchange a token for another one (RFC 8693 token exchange): a token for another audience, or acting for a user
    #[command(
        long_about = "Exchange a token for another one (RFC 8693): the subject token (--subject-token, or the stored session's access token with --subject-session) is sent to the token endpoint with the client's authentication, and the issued token is printed on stdout. --json prints the whole normalised answer (with `issued_token_type`); --save-as PROFILE stores it as a session of that profile, for `token`, `me` and `call`.\n\nToken types are URIs, or their short names: access_token, refresh_token, id_token, jwt, saml1, saml2.",
        after_help = "Examples:\n  oauthctl token-exchange -p corp --subject-session --audience https://api.example.com\n  oauthctl token-exchange -p corp --subject-token env:USER_TOKEN --requested-token-type jwt --json\n  oauthctl token-exchange -p corp --subject-token @user.jwt --subject-token-type jwt --actor-token @service.jwt --actor-token-type jwt\n  oauthctl token-exchange -p corp --subject-session --audience api --save-as api\n\nExit codes: 3 bad input (no subject token, an unreadable file), 4 no session (--subject-session), 5 the server refused (invalid_request for a token it does not accept, invalid_target for an audience it will not serve), 6 network."
    )]
    TokenExchange(TokenExchangeArgs),

    /// Decode a JWT (header, claims, times in words) and optionally verify it
    #[command(
        after_help = "Examples:\n  oauthctl decode eyJhbGciOi...\n  pbpaste | oauthctl decode -\n  oauthctl decode \"$TOKEN\" --verify --jwks https://auth.example.com/jwks.json --aud api\n  oauthctl decode \"$TOKEN\" --verify --secret env:HS_SECRET"
    )]
    Decode(DecodeArgs),

    /// Show the stored session: metadata, expiry, scopes, and its tokens decoded
    #[command(
        after_help = "Examples:\n  oauthctl inspect -p hub\n  oauthctl inspect -p oidc --profile work --json\n  oauthctl inspect -p oidc --show-secrets      # the tokens in clear\n\nTokens are redacted unless --show-secrets; a JWT keeps its header and claims readable.\nExit codes: 4 no session."
    )]
    Inspect(InspectArgs),

    /// Ask the provider who is logged in (its "who am I" endpoint, whatever its shape)
    #[command(
        after_help = "Examples:\n  oauthctl me -p hub\n  oauthctl me -p worksection --json | jq .email\n\nGET with the bearer token (Hub /api/auth/me, Chatwork /v2/me, OpenID Connect userinfo), or a form POST of client_id, client_secret and access_token (Worksection /oauth2/resource), as the provider's `userinfo_request` says. The session is refreshed first when it is about to expire, and once more when the server refuses the token (401). JSON is pretty printed; --json prints the body as received.\nExit codes: 3 no such endpoint, 4 no session (or it cannot be refreshed), 5 the server answered an error."
    )]
    Me(MeArgs),

    /// Send an authorized request to the provider's API, like `gh api`
    #[command(
        after_help = "Examples:\n  oauthctl call -p hub /api/user/teams\n  oauthctl call -p chatwork rooms\n  oauthctl call -p worksection '?action=get_tasks'\n  oauthctl call -p hub -X PATCH /api/teams/1 -d '{\"name\":\"Platform\"}'\n  oauthctl call -p chatwork -X POST rooms/322/messages -d @message.txt -H 'Content-Type: application/x-www-form-urlencoded'\n  echo '{\"a\":1}' | oauthctl call -p hub /api/things -d -\n\nA PATH resolves against the provider's `api_base` (Hub https://hub.regardingwork.com, Chatwork https://api.chatwork.com/v2, Worksection https://worksection.com/api/oauth2); a full URL must be on the API's or the provider's host unless --any-host. The status line goes to stderr, the body to stdout (JSON pretty printed; raw with --json). The session is refreshed first when it is about to expire; a 401 answer triggers one refresh and one retry.\nExit codes: 0 a 2xx answer; 3 bad input (path, header, data file); 4 no session (or it cannot be refreshed); 5 any other answer (its body is still printed); 6 network."
    )]
    Call(CallArgs),

    /// Register a client (RFC 7591 dynamic registration, or Teamwork's form) and keep its credentials
    #[command(
        after_help = "Examples:\n  oauthctl register -p teamwork --name \"My CLI\"\n  oauthctl register -p oidc --name ci --grant-type client_credentials --scope api\n  oauthctl register -p oidc --name app --redirect-uri http://127.0.0.1:8765/callback --token @initial-token.txt\n\nThe client_id (and the redirect URI and client authentication method) go to the provider's table in the config file, edited in place; the client secret goes to the OS keyring or, with --store file, a 0600 file. The next `oauthctl login -p NAME` uses them. The secret is printed only with --show-secrets or --json.\nExit codes: 3 bad input (no registration endpoint, a config file that does not parse), 5 the server refused the registration (its error is shown), 8 the secret could not be stored."
    )]
    Register(RegisterArgs),

    /// Ask the provider whether a token is active, and what it grants (RFC 7662)
    #[command(
        after_help = "Examples:\n  oauthctl introspect -p oidc                  # the stored access token\n  oauthctl introspect -p oidc --refresh-token\n  oauthctl introspect -p oidc \"$TOKEN\" --json\n  pbpaste | oauthctl introspect -p oidc -\n\nThe request authenticates the client as for token requests. An inactive token is reported (\"active\": false) with exit code 0.\nExit codes: 3 no introspection endpoint, 4 no stored session (without TOKEN), 5 the server refused."
    )]
    Introspect(IntrospectArgs),

    /// Run a local authorization server that behaves like a provider, with fault injection
    #[command(
        long_about = "Run a local authorization server on 127.0.0.1 that behaves like a provider's guide says (paths, parameters, client authentication, response shapes, errors), or a standards-compliant OpenID Connect server with `-p oidc`.\n\nOn start it prints a config file (on stdout, and to --write-config FILE) that points the provider at the mock, so `oauthctl --config FILE login -p NAME` runs against it. Every request is reported on stderr, and with --log as one JSON line (path, grant type, client authentication, status).\n\nThe password grant accepts the test user alice / wonderland. JWTs are signed with public test keys.\n\nWith --client-jwks the mock's client authenticates with private_key_jwt (RFC 7523), whatever the provider's guide says: the assertion's signature (RS256, ES256 or EdDSA) is checked against the given keys, with iss = sub = client_id, aud = the token endpoint (or the issuer), exp, and a jti that may be used once. With --client-secret-jwt it authenticates with client_secret_jwt: the same claims, signed with HS256 over the client secret.\n\nWith --id-token-fault the ID tokens are wrong on purpose (wrong-aud, wrong-nonce, bad-signature, expired) or the userinfo `sub` is not the ID token's (sub-mismatch), to see a client refuse them.",
        after_help = "Examples:\n  oauthctl mock -p hub --write-config mock.toml\n  oauthctl --config mock.toml authorize-url -p hub\n  oauthctl mock -p oidc --auto-approve --port 9000 --log requests.jsonl\n  oauthctl mock -p worksection --fail-token-with invalid_grant\n  oauthctl mock -p teamwork --fail-token-with temporarily_unavailable --fail-token-count 2 --latency 300ms\n  oauthctl mock -p teamwork --device-interval 1s --device-code-ttl 2m\n  oauthctl mock -p oidc --client-jwks client-jwks.json      # the client uses private_key_jwt\n  oauthctl mock -p oidc --auto-approve --id-token-fault wrong-nonce\n\nProviders: hub, chatwork, teamwork, worksection, onboardbase, oidc."
    )]
    Mock(MockArgs),

    /// Write shell completions and man pages (for maintainers)
    #[command(hide = true)]
    GenerateAssets(GenerateAssetsArgs),

    /// Turn a HAR file into the flow report: one self-contained HTML page for a support ticket
    #[command(
        long_about = "Build the flow report from a HAR file: the same page `--report` writes (verdict with the diagnosis, sequence diagram, every step with its headers and bodies, the provider's settings, the environment). A HAR written by oauthctl's --har carries how the command ended and what oauthctl knew; a HAR from another tool (a browser's devtools) gives the page without the diagnosis. The HAR's [redacted:…] markers are kept as they are.",
        after_help = "Examples:\n  oauthctl report login.har\n  oauthctl report customer.har -o ticket-1234.html"
    )]
    Report(ReportArgs),
}

impl Command {
    /// The subcommand's name, as typed (`login`, `authorize-url`).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Discover(_) => "discover",
            Command::Providers(_) => "providers",
            Command::AuthorizeUrl(_) => "authorize-url",
            Command::Login(_) => "login",
            Command::Token(_) => "token",
            Command::Header(_) => "header",
            Command::GitCredential(_) => "git-credential",
            Command::KubectlCredential(_) => "kubectl-credential",
            Command::Run(_) => "run",
            Command::Refresh(_) => "refresh",
            Command::Status(_) => "status",
            Command::Logout(_) => "logout",
            Command::Doctor(_) => "doctor",
            Command::Exchange(_) => "exchange",
            Command::Inspect(_) => "inspect",
            Command::Me(_) => "me",
            Command::Call(_) => "call",
            Command::Register(_) => "register",
            Command::Introspect(_) => "introspect",
            Command::Decode(_) => "decode",
            Command::GenerateAssets(_) => "generate-assets",
            Command::Mock(_) => "mock",
            Command::Report(_) => "report",
            Command::TokenExchange(_) => "token-exchange",
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The HAR file (from --har, or a browser's devtools)
    // Its own id: the global `--har` (id `har`) is propagated into every subcommand
    // before a deferred subcommand adds its arguments, and ids must be unique.
    #[arg(id = "har_file", value_name = "FILE.har")]
    pub har: PathBuf,

    /// Where to write the page [default: the HAR's path with .html]
    #[arg(short, long, value_name = "FILE.html")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Issuer URL to discover (default: the provider's `issuer`)
    #[arg(value_name = "ISSUER")]
    pub issuer: Option<String>,
}

#[derive(Debug, Args)]
pub struct ProvidersArgs {}

#[derive(Debug, Args)]
pub struct AuthorizeUrlArgs {
    /// Scopes to request instead of the provider's (repeat, or separate with spaces)
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// Add or override a raw authorization request parameter
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_kv)]
    pub params: Vec<(String, String)>,

    /// Rich authorization request (RFC 9396): a JSON array of objects with a `type`, or @FILE
    #[arg(long, value_name = "JSON")]
    pub authorization_details: Option<String>,

    /// Redirect URI to send (default: the provider's, else a free loopback port)
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,

    /// Loopback port for the default redirect URI
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,

    /// Client ID to send instead of the configured one
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// Push the authorization request (PAR, RFC 9126) and print the short URL with only client_id and request_uri [automatic when the server or config sets require_pushed_authorization_requests]
    #[arg(long)]
    pub par: bool,

    /// Sign the authorization request as a request object (JAR, RFC 9101): the URL carries only client_id and request [automatic when the server or config sets require_signed_request_object]
    #[arg(long)]
    pub jar: bool,

    /// How the authorization response comes back: query, form_post, or a signed JWT (JARM): jwt, query.jwt, form_post.jwt [default: the config's response_mode, else the server's]
    #[arg(long, value_enum, value_name = "MODE")]
    pub response_mode: Option<ResponseModeArg>,

    /// PEM private key that signs the request object [default: the provider's client_assertion_key]
    #[arg(long, value_name = "FILE")]
    pub client_assertion_key: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("grant").args(["device", "client_credentials", "password", "jwt_bearer"])))]
#[command(group(clap::ArgGroup::new("direct").args(["client_credentials", "password", "jwt_bearer"])))]
pub struct LoginArgs {
    /// Scopes to request instead of the provider's (repeat, or separate with spaces)
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// Add or override a raw request parameter: of the authorization request, the device authorization request (--device), or the token request (--client-credentials, --password)
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_kv)]
    pub params: Vec<(String, String)>,

    /// Rich authorization request (RFC 9396) for the authorization request, or the token request of --client-credentials: a JSON array of objects with a `type`, or @FILE
    #[arg(long, value_name = "JSON")]
    pub authorization_details: Option<String>,

    /// Redirect URI (default: the provider's, else http://127.0.0.1:PORT/callback)
    #[arg(long, value_name = "URI", conflicts_with_all = ["grant"])]
    pub redirect_uri: Option<String>,

    /// Port of the loopback listener [default: the redirect URI's, else a free one]
    #[arg(long, value_name = "PORT", conflicts_with_all = ["grant"])]
    pub port: Option<u16>,

    /// Client ID to use instead of the configured one
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// Command that opens the URL (given as its last argument, or in place of %s) [env: OAUTHCTL_BROWSER, then BROWSER]
    #[arg(long, value_name = "CMD", conflicts_with_all = ["no_browser", "direct"])]
    pub browser: Option<String>,

    /// Do not start a browser; also accept the redirected URL (or the code) pasted on stdin
    #[arg(long, conflicts_with_all = ["grant"])]
    pub no_browser: bool,

    /// How long to wait for the redirect
    #[arg(long, value_name = "DUR", value_parser = parse_duration, default_value = "5m", conflicts_with_all = ["grant"])]
    pub login_timeout: Duration,

    /// Do not check the authorization URL with the server before opening the browser
    #[arg(long, conflicts_with_all = ["grant"])]
    pub no_preflight: bool,

    /// Push the authorization request to the server first (PAR, RFC 9126); the browser gets only client_id and request_uri [automatic when the server or config sets require_pushed_authorization_requests]
    #[arg(long, conflicts_with_all = ["grant"])]
    pub par: bool,

    /// Send the authorization request as a signed request object (JAR, RFC 9101), signed with the client assertion key, or HS256 with the secret for client_secret_jwt [automatic when the server or config sets require_signed_request_object]
    #[arg(long, conflicts_with_all = ["grant"])]
    pub jar: bool,

    /// How the authorization response comes back: query, form_post (the browser POSTs it to the listener), or a JWT signed by the server (JARM), verified before its code is used: jwt, query.jwt, form_post.jwt [default: the config's response_mode, else the server's]
    #[arg(long, value_enum, value_name = "MODE", conflicts_with_all = ["grant"])]
    pub response_mode: Option<ResponseModeArg>,

    /// Use the device authorization grant (RFC 8628): enter a code on another device
    #[arg(long)]
    pub device: bool,

    /// Log a service account in with the client credentials grant (no user; without --scope, the provider's scopes minus OpenID Connect's user scopes are asked for)
    #[arg(long)]
    pub client_credentials: bool,

    /// Use the resource owner password grant (deprecated: OAuth 2.1 drops it); the password is asked without echo
    #[arg(long)]
    pub password: bool,

    /// Username for --password [default: asked on the terminal]
    #[arg(long, value_name = "NAME", requires = "password")]
    pub username: Option<String>,

    /// Read the password for --password from the first line of stdin
    #[arg(long, requires = "password")]
    pub password_stdin: bool,

    /// Use a JWT authorization grant (RFC 7523 §2.1): --assertion, or --assertion-key with --assertion-sub
    #[arg(long)]
    pub jwt_bearer: bool,

    /// The JWT assertion for --jwt-bearer: the value, `-` (a line of stdin), `env:VAR` or `@FILE`
    #[arg(
        long,
        value_name = "JWT",
        requires = "jwt_bearer",
        allow_hyphen_values = true,
        conflicts_with = "assertion_key"
    )]
    pub assertion: Option<String>,

    /// Sign the --jwt-bearer assertion with this private key (RS256 or ES256 PEM); `token` renews the session by signing a new one
    #[arg(long, value_name = "FILE", requires_all = ["jwt_bearer", "assertion_sub"])]
    pub assertion_key: Option<PathBuf>,

    /// The subject (`sub`) of the assertion signed with --assertion-key: the user or service the token is for
    #[arg(long, value_name = "SUB", requires = "assertion_key")]
    pub assertion_sub: Option<String>,

    /// Audience of the token (the `audience` parameter, e.g. Auth0's API identifier)
    #[arg(long, value_name = "AUD", requires = "grant")]
    pub audience: Option<String>,

    /// Resource indicator (RFC 8707): the API the token is for (repeat for more)
    #[arg(long = "resource", value_name = "URI", requires = "grant")]
    pub resources: Vec<String>,

    /// Authenticate the client with a JWT signed by this private key (private_key_jwt, RFC 7523): an RS256, ES256 or EdDSA (Ed25519) PEM file
    #[arg(long, value_name = "FILE")]
    pub client_assertion_key: Option<PathBuf>,

    /// Present this TLS client certificate (PEM) to the server: mutual TLS (RFC 8705) for tls_client_auth and self_signed_tls_client_auth clients, and certificate-bound tokens; kept with the session for refreshes and API calls
    #[arg(long, value_name = "FILE", requires = "client_key")]
    pub client_cert: Option<PathBuf>,

    /// The private key (PEM) of --client-cert
    #[arg(long, value_name = "FILE", requires = "client_cert")]
    pub client_key: Option<PathBuf>,

    /// Add or override a raw token request parameter (repeat)
    #[arg(long = "token-param", value_name = "KEY=VALUE", value_parser = parse_kv)]
    pub token_params: Vec<(String, String)>,

    /// Bind the tokens to a key pair made for this session (DPoP, RFC 9449): every token request and API call carries a signed proof [automatic when the config sets dpop_bound_access_tokens = true]
    #[arg(long)]
    pub dpop: bool,

    /// The DPoP proofs' algorithm [default: ES256, or one the server lists in dpop_signing_alg_values_supported]
    #[arg(long, value_name = "ALG", value_parser = ["ES256", "RS256", "PS256", "EdDSA"])]
    pub dpop_alg: Option<String>,

    #[command(flatten)]
    pub id_token: IdTokenArgs,
}

// The request a DPoP proof is for (`token`, `header`): for a DPoP-bound session. A plain
// comment: a flattened struct's doc comment would replace the subcommand's `about` (the
// subcommands are deferred).
#[derive(Debug, Clone, Args)]
pub struct DpopTargetArgs {
    /// The HTTP method of the request the DPoP proof is for
    #[arg(long, value_name = "METHOD", default_value = "GET")]
    pub method: String,

    /// The URL of the request the DPoP proof is for (a DPoP-bound session's `header` needs it; `token --json` then adds the proof)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

impl LoginArgs {
    /// A plain `oauthctl login`'s options: every flag at its default (for `token
    /// --login`).
    pub fn defaults() -> crate::Result<LoginArgs> {
        use clap::FromArgMatches;
        let cmd = LoginArgs::augment_args(clap::Command::new("login"));
        cmd.try_get_matches_from(["login"])
            .and_then(|m| LoginArgs::from_arg_matches(&m))
            .map_err(|e| crate::Error::internal(format!("the default login options: {e}")))
    }
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Refresh first when the token expires within this time
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    pub min_ttl: Duration,

    /// Print the ID token instead of the access token
    #[arg(long)]
    pub id_token: bool,

    /// Log in (opening the browser) when a login is required, instead of failing
    #[arg(long)]
    pub login: bool,

    #[command(flatten)]
    pub dpop: DpopTargetArgs,
}

#[derive(Debug, Args)]
pub struct HeaderArgs {
    /// Refresh first when the token expires within this time
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    pub min_ttl: Duration,

    /// Log in (opening the browser) when a login is required, instead of failing
    #[arg(long)]
    pub login: bool,

    #[command(flatten)]
    pub dpop: DpopTargetArgs,
}

#[derive(Debug, Args)]
pub struct GitCredentialArgs {
    /// What git asks: get, store or erase (anything else is ignored, as git's protocol says)
    #[arg(value_name = "OPERATION")]
    pub operation: String,

    /// Refresh first when the token expires within this time
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    pub min_ttl: Duration,
}

/// The token a tool gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenUse {
    /// The access token
    AccessToken,
    /// The ID token (OpenID Connect; the session renewed when it has expired)
    IdToken,
}

#[derive(Debug, Args)]
pub struct KubectlCredentialArgs {
    /// Which token kubectl sends to the API server
    #[arg(long = "use", value_enum, value_name = "TOKEN", default_value_t = TokenUse::AccessToken)]
    pub token: TokenUse,

    /// Refresh first when the token expires within this time
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    pub min_ttl: Duration,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The environment variable that holds the access token
    #[arg(long, value_name = "VAR", default_value = "OAUTH_TOKEN")]
    pub env: String,

    /// Also put the whole Authorization header value (`Bearer …`) in this variable
    #[arg(long, value_name = "VAR")]
    pub header_env: Option<String>,

    /// Refresh first when the token expires within this time
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    pub min_ttl: Duration,

    /// The command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub id_token: IdTokenArgs,
}

// How an ID token that comes back is checked (`login`, `exchange`, `refresh`). A plain
// comment, not a doc comment: a flattened struct's doc comment becomes the `about` of
// the subcommand that flattens it when the subcommands are deferred (below).
#[derive(Debug, Clone, Args)]
pub struct IdTokenArgs {
    /// Clock skew allowed when checking an ID token's exp and iat
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    pub leeway: Duration,

    /// Keep the tokens even when the ID token fails its checks (with a warning): only to reproduce a broken server
    #[arg(long)]
    pub no_verify_id_token: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Delete the session without revoking its tokens at the server
    #[arg(long)]
    pub no_revoke: bool,

    /// Revoke the tokens and delete the session, and fail (exit 5) when a token could not be revoked, so a script knows they are dead at the server (the session is deleted either way)
    #[arg(long, conflicts_with_all = ["no_revoke", "end_session"])]
    pub revoke_only: bool,

    /// Also end the session at the server: open its end_session_endpoint in the browser (OpenID Connect RP-Initiated Logout, with id_token_hint, client_id and the configured post_logout_redirect_uri)
    #[arg(long)]
    pub end_session: bool,

    /// Command that opens the end-session URL (given as its last argument, or in place of %s) [env: OAUTHCTL_BROWSER, then BROWSER]
    #[arg(long, value_name = "CMD", requires = "end_session")]
    pub browser: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExchangeArgs {
    /// The authorization code; `-` reads it from a line of stdin, `env:VAR` from a variable, `@FILE` from a file (out of `ps` and the shell history)
    #[arg(
        long,
        value_name = "CODE",
        required_unless_present = "callback_url",
        allow_hyphen_values = true
    )]
    pub code: Option<String>,

    /// The URL the browser was redirected to: its code is exchanged, its state finds the flow (`-`, env:VAR, @FILE as for --code)
    #[arg(long, value_name = "URL", conflicts_with = "code")]
    pub callback_url: Option<String>,

    /// The PKCE code_verifier (`authorize-url` prints it); `-`, env:VAR, @FILE as for --code (with `--code -` too, the verifier is the second line)
    #[arg(long, value_name = "VERIFIER", allow_hyphen_values = true)]
    pub code_verifier: Option<String>,

    /// redirect_uri to send [default: the authorization request's (flow journal), else the callback URL's, else the configured one]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,

    /// Add or override a token request parameter (repeat)
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_kv)]
    pub params: Vec<(String, String)>,

    /// Rich authorization request (RFC 9396) for the token request: a JSON array of objects with a `type`, or @FILE
    #[arg(long, value_name = "JSON")]
    pub authorization_details: Option<String>,

    /// Leave a parameter out of the request, from the body or the query string (repeat)
    #[arg(long = "omit", value_name = "NAME")]
    pub omit: Vec<String>,

    /// Client ID to use instead of the configured one
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// Client authentication method to use instead of the configured one
    #[arg(long, value_enum, value_name = "METHOD")]
    pub client_auth: Option<ClientAuthArg>,

    #[command(flatten)]
    pub id_token: IdTokenArgs,
}

#[derive(Debug, Args)]
pub struct TokenExchangeArgs {
    /// The token to exchange: the value, `-` (a line of stdin), `env:VAR` or `@FILE` (out of `ps` and the shell history)
    #[arg(
        long,
        value_name = "TOKEN",
        required_unless_present = "subject_session",
        allow_hyphen_values = true
    )]
    pub subject_token: Option<String>,

    /// Exchange the access token of the stored session (-p, --profile), refreshed first when it is about to expire
    #[arg(long, conflicts_with = "subject_token")]
    pub subject_session: bool,

    /// Type of the subject token: a URI or a short name (access_token, refresh_token, id_token, jwt, saml1, saml2)
    #[arg(long, value_name = "TYPE", default_value = "access_token")]
    pub subject_token_type: String,

    /// A token of the party acting for the subject (delegation); `-`, env:VAR, @FILE as for --subject-token
    #[arg(long, value_name = "TOKEN", allow_hyphen_values = true)]
    pub actor_token: Option<String>,

    /// Type of the actor token [default: access_token]
    #[arg(long, value_name = "TYPE", requires = "actor_token")]
    pub actor_token_type: Option<String>,

    /// Where the issued token will be used: the `audience` parameter (repeat for more)
    #[arg(long = "audience", value_name = "AUD")]
    pub audiences: Vec<String>,

    /// Resource indicator (RFC 8707): the API the issued token is for (repeat for more)
    #[arg(long = "resource", value_name = "URI")]
    pub resources: Vec<String>,

    /// Scopes to ask for (repeat, or separate with spaces) [default: the server decides]
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// Type of token wanted: a URI or a short name (access_token, jwt, …)
    #[arg(long, value_name = "TYPE")]
    pub requested_token_type: Option<String>,

    /// Store the issued token as a session of this profile (of the same provider)
    #[arg(long, value_name = "PROFILE")]
    pub save_as: Option<String>,

    /// Bind the issued token to a key pair kept with the --save-as session (DPoP, RFC 9449): the request carries a proof
    #[arg(long, requires = "save_as")]
    pub dpop: bool,

    /// The DPoP proofs' algorithm (implies --dpop) [default: ES256, or one the server lists]
    #[arg(long, value_name = "ALG", requires = "save_as", value_parser = ["ES256", "RS256", "PS256", "EdDSA"])]
    pub dpop_alg: Option<String>,

    /// Add or override a raw token request parameter (repeat)
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_kv)]
    pub params: Vec<(String, String)>,
}

/// Response modes of the authorization request (`--response-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResponseModeArg {
    #[value(name = "query")]
    Query,
    #[value(name = "form_post")]
    FormPost,
    #[value(name = "jwt")]
    Jwt,
    #[value(name = "query.jwt")]
    QueryJwt,
    #[value(name = "form_post.jwt")]
    FormPostJwt,
}

impl From<ResponseModeArg> for crate::provider::ResponseMode {
    fn from(a: ResponseModeArg) -> Self {
        use crate::provider::ResponseMode;
        match a {
            ResponseModeArg::Query => ResponseMode::Query,
            ResponseModeArg::FormPost => ResponseMode::FormPost,
            ResponseModeArg::Jwt => ResponseMode::Jwt,
            ResponseModeArg::QueryJwt => ResponseMode::QueryJwt,
            ResponseModeArg::FormPostJwt => ResponseMode::FormPostJwt,
        }
    }
}

/// Client authentication methods oauthctl can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientAuthArg {
    #[value(name = "none")]
    None,
    #[value(name = "client_secret_basic")]
    ClientSecretBasic,
    #[value(name = "client_secret_post")]
    ClientSecretPost,
    #[value(name = "client_secret_query")]
    ClientSecretQuery,
}

impl ClientAuthArg {
    pub fn as_str(self) -> &'static str {
        crate::provider::ClientAuth::from(self).as_str()
    }
}

impl From<ClientAuthArg> for crate::provider::ClientAuth {
    fn from(a: ClientAuthArg) -> Self {
        use crate::provider::ClientAuth;
        match a {
            ClientAuthArg::None => ClientAuth::None,
            ClientAuthArg::ClientSecretBasic => ClientAuth::ClientSecretBasic,
            ClientAuthArg::ClientSecretPost => ClientAuth::ClientSecretPost,
            ClientAuthArg::ClientSecretQuery => ClientAuth::ClientSecretQuery,
        }
    }
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Redirect URI to check instead of the configured one
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,

    /// Loopback port for the default redirect URI
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,

    /// Client ID to check instead of the configured one
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// Scopes to request in the preflight instead of the provider's
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// Add or override a raw authorization request parameter in the preflight
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_kv)]
    pub params: Vec<(String, String)>,

    /// Clock difference with the server beyond which the clock check warns
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_duration)]
    pub max_skew: Duration,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token, `Bearer TOKEN`, or a whole token response JSON; `-` or nothing reads stdin
    // Opaque tokens are base64url and may start with `-` (even `-V…`): always a value.
    #[arg(value_name = "TOKEN", allow_hyphen_values = true)]
    pub token: Option<String>,

    /// Check the signature, `exp` and `nbf` (and `iss`/`aud` when given)
    #[arg(long)]
    pub verify: bool,

    /// JWKS to verify with: a file or an http(s) URL (else -p NAME's jwks_uri, or --iss URL's keys)
    #[arg(long, value_name = "FILE|URL")]
    pub jwks: Option<String>,

    /// With --verify and no --jwks, -p or --iss: fetch the keys of the token's own `iss` (not pinned: anyone can mint such a token)
    #[arg(long)]
    pub trust_token_issuer: bool,

    /// HMAC secret for HS256/384/512: @FILE, env:VAR or - (stdin); never the secret itself
    #[arg(long, value_name = "SOURCE")]
    pub secret: Option<String>,

    /// Clock skew allowed when checking exp and nbf
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    pub leeway: Duration,

    /// Require this issuer (`iss`)
    #[arg(long, value_name = "ISSUER")]
    pub iss: Option<String>,

    /// Require this audience in `aud`
    #[arg(long, value_name = "AUDIENCE")]
    pub aud: Option<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {}

#[derive(Debug, Args)]
pub struct MeArgs {}

fn parse_header(s: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((k, v))
            if !k.trim().is_empty()
                && k.trim()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)) =>
        {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!("expected 'Name: value', got `{s}`")),
    }
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// A path relative to the provider's api_base (`/api/user/teams`, `rooms`, `?action=get_tasks`) or a full URL
    #[arg(value_name = "PATH|URL")]
    pub target: String,

    /// HTTP method [default: GET, or POST with --data]
    #[arg(short = 'X', long, value_name = "METHOD")]
    pub method: Option<String>,

    /// Request body: DATA, @FILE, or - for stdin (JSON is sent as application/json, anything else as a form)
    #[arg(short = 'd', long, value_name = "DATA|@FILE|-")]
    pub data: Option<String>,

    /// Add a request header (repeat for more); an Authorization header replaces the bearer token
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    pub headers: Vec<(String, String)>,

    /// Send the token to a full URL on any host (by default only the API's and the provider's hosts)
    #[arg(long)]
    pub any_host: bool,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// Client name to register (`client_name`)
    #[arg(long, value_name = "NAME")]
    pub name: String,

    /// Redirect URI to register (repeat for more) [default: the one `login` will use]
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,

    /// Loopback port of the default redirect URI [default: a free one, written to the config]
    #[arg(long, value_name = "PORT", conflicts_with = "redirect_uris")]
    pub port: Option<u16>,

    /// Scope the client may request (repeat, or separate with spaces)
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// Grant type the client may use (repeat for more) [default: the server's]
    #[arg(long = "grant-type", value_name = "GRANT")]
    pub grant_types: Vec<String>,

    /// Initial access token, when the server requires one: @FILE, env:VAR, - (stdin), or the token
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
}

#[derive(Debug, Args)]
pub struct IntrospectArgs {
    /// The token to introspect, or - for stdin [default: the stored access token]
    // Opaque tokens are base64url and may start with `-` (even `-V…`): always a value.
    #[arg(
        value_name = "TOKEN",
        conflicts_with = "refresh_token",
        allow_hyphen_values = true
    )]
    pub token: Option<String>,

    /// Introspect the stored refresh token instead of the access token
    #[arg(long)]
    pub refresh_token: bool,
}

#[derive(Debug, Args)]
pub struct GenerateAssetsArgs {
    /// Repository root to write completions/ and man/ into
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,

    /// Compare instead of writing; exit 1 when a file is stale
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct MockArgs {
    /// Port on 127.0.0.1 (0: a free port; the address is printed at start)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,

    /// Approve at once: redirect without the consent page, approve device codes
    #[arg(long)]
    pub auto_approve: bool,

    /// The user denies every authorization (error=access_denied)
    #[arg(long)]
    pub deny: bool,

    /// How long authorization codes are valid [default: the provider's, else 10m]
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub code_ttl: Option<Duration>,

    /// How long access tokens are valid [default: the provider's, else 1h]
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub access_ttl: Option<Duration>,

    /// How long refresh tokens are valid [default: the provider's, else 30d]
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub refresh_ttl: Option<Duration>,

    /// Answer every token request with this error instead
    #[arg(long, value_enum, value_name = "ERROR")]
    pub fail_token_with: Option<FailTokenWith>,

    /// With --fail-token-with: fail only the first N token requests, then answer normally
    #[arg(long, value_name = "N", requires = "fail_token_with")]
    pub fail_token_count: Option<u64>,

    /// Delay every answer by this long, e.g. 250ms
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub latency: Option<Duration>,

    /// Rotate refresh tokens on every refresh (always on where the provider rotates)
    #[arg(long)]
    pub rotate_refresh_tokens: bool,

    /// Require PKCE even where the provider makes it optional
    #[arg(long)]
    pub require_pkce: bool,

    /// client_id of the mock's client [default: oauthctl-mock]
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// Secret of the mock's client [default: a fixed test value, where the provider uses secrets]
    #[arg(long, value_name = "SECRET")]
    pub client_secret: Option<String>,

    /// Redirect URI registered for the mock's client (repeat for more) [default: the provider's example]
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,

    /// Append one JSON line per request to FILE (ts, method, path, grant_type, client_auth, status)
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// Also write the config file that points the provider at the mock to FILE
    #[arg(long, value_name = "FILE")]
    pub write_config: Option<PathBuf>,

    /// Signature algorithm of the JWTs the mock issues
    #[arg(long, value_enum, value_name = "ALG", default_value_t = SigningAlgArg::Rs256)]
    pub signing_alg: SigningAlgArg,

    /// Access token format [default: jwt for oidc, opaque for the presets]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub token_format: Option<TokenFormatArg>,

    /// Polling interval the device flow asks clients for
    #[arg(long, value_name = "DUR", value_parser = parse_duration, default_value = "5s")]
    pub device_interval: Duration,

    /// How long device codes are valid
    #[arg(long, value_name = "DUR", value_parser = parse_duration, default_value = "10m")]
    pub device_code_ttl: Duration,

    /// Register the mock's client for private_key_jwt (RFC 7523) with these public keys: a JWK Set (JSON) or a PEM public key
    #[arg(long, value_name = "FILE")]
    pub client_jwks: Option<PathBuf>,

    /// The mock's client authenticates with client_secret_jwt (RFC 7523: an HS256 JWT over its secret), and only so
    #[arg(long, conflicts_with = "client_jwks")]
    pub client_secret_jwt: bool,

    /// Require pushed authorization requests (RFC 9126): the metadata says require_pushed_authorization_requests, and a request not pushed is redirected back with invalid_request (oidc only: it has the /par endpoint)
    #[arg(long)]
    pub require_par: bool,

    /// Every request_uri of a pushed authorization request has expired when the browser brings it (error=invalid_request_uri)
    #[arg(long)]
    pub expired_request_uri: bool,

    /// Require signed request objects (RFC 9101): the metadata says require_signed_request_object, and a request without a `request` JWT (verified with the --client-jwks keys or the client secret) is redirected back with invalid_request
    #[arg(long)]
    pub require_jar: bool,

    /// Leave refresh_token out of the metadata's grant_types_supported (refreshes still work): metadata is advisory
    #[arg(long)]
    pub hide_refresh_grant: bool,

    /// Revoke tokens for authenticated clients only: the metadata lists client_secret_basic and client_secret_post in revocation_endpoint_auth_methods_supported, and a public client gets 401 invalid_client
    #[arg(long)]
    pub revocation_requires_secret: bool,

    /// Refuse an authorization request with the openid scope and no nonce (error=invalid_request, "nonce required")
    #[arg(long)]
    pub require_nonce: bool,
    /// Answer authorization errors as JSON to any Accept header that mentions JSON, whatever its q-value (as some single-sign-on portals do)
    #[arg(long)]
    pub json_errors: bool,

    /// Ask for a sign-in first: an authorization request without a session gets 401 with `WWW-Authenticate: SSO` (a sign-in page for a browser, `{"error":9}` with --json-errors to JSON)
    #[arg(long)]
    pub sso: bool,

    /// Make the mock's client public (PKCE required) and leave `none` out of token_endpoint_auth_methods_supported; public clients are accepted still
    #[arg(long)]
    pub hide_none_auth: bool,

    /// Drop offline_access unless the authorization request carries prompt=consent (OpenID Connect Core §11); refresh tokens come with offline_access only
    #[arg(long)]
    pub offline_access_needs_consent: bool,

    /// End the consent step with error=consent_required instead of a code
    #[arg(long)]
    pub refuse_consent: bool,

    /// Mutual TLS (RFC 8705): serve the token, revocation, introspection, device, PAR and userinfo endpoints on a second, TLS port too (mtls_endpoint_aliases, a test CA), authenticate the client with tls_client_auth and bind its tokens to the certificate
    #[arg(long)]
    pub require_mtls: bool,

    /// With mutual TLS, authenticate the client with self_signed_tls_client_auth (its registered self-signed certificate); implies --require-mtls
    #[arg(long)]
    pub mtls_self_signed: bool,

    /// Where --require-mtls writes the test CA and the client certificates and keys that the config points at [default: a directory under the system's temporary directory]
    #[arg(long, value_name = "DIR")]
    pub tls_dir: Option<PathBuf>,
    /// Require DPoP (RFC 9449): token requests must carry a valid proof (signature by its jwk, typ, htm, htu, iat, single-use jti), tokens are issued as token_type DPoP with cnf.jkt, refreshes need a proof by the same key, and userinfo and the API resources take `Authorization: DPoP` with a proof (ath) only. Without it, a proof that is sent is honoured all the same
    #[arg(long)]
    pub require_dpop: bool,

    /// DPoP proofs must carry a server nonce: the token endpoint answers 400 use_dpop_nonce, the resources 401 with WWW-Authenticate DPoP error="use_dpop_nonce", each with a DPoP-Nonce header, until a proof has it
    #[arg(long)]
    pub dpop_nonce: bool,

    /// Every DPoP proof is answered use_dpop_nonce with a new nonce (a server whose nonces are always stale)
    #[arg(long, conflicts_with = "dpop_nonce")]
    pub stale_dpop_nonce: bool,

    /// Every DPoP proof is refused with invalid_dpop_proof
    #[arg(long)]
    pub bad_dpop_proof: bool,

    /// Issue wrong ID tokens (or userinfo answers), to see a client refuse them (repeat for more)
    #[arg(long = "id-token-fault", value_enum, value_name = "FAULT")]
    pub id_token_faults: Vec<IdTokenFaultArg>,

    /// JWT-secured authorization responses (JARM, response_mode=jwt, query.jwt, form_post.jwt) name another client in `aud`
    #[arg(long)]
    pub jarm_wrong_aud: bool,

    /// JWT-secured authorization responses (JARM) expired an hour ago (`exp`)
    #[arg(long)]
    pub jarm_expired: bool,

    /// JWT-secured authorization responses (JARM) carry a signature that does not match
    #[arg(long)]
    pub jarm_bad_signature: bool,

    /// JWT-secured authorization responses (JARM) carry another `state` than the request's
    #[arg(long)]
    pub jarm_wrong_state: bool,
}

/// Faults `mock --id-token-fault` can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IdTokenFaultArg {
    /// `aud` names another client
    WrongAud,
    /// `nonce` is not the one sent
    WrongNonce,
    /// The signature does not match
    BadSignature,
    /// `exp` an hour ago
    Expired,
    /// The userinfo `sub` is not the ID token's
    SubMismatch,
}

/// Errors `mock --fail-token-with` can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailTokenWith {
    #[value(name = "invalid_request")]
    InvalidRequest,
    #[value(name = "invalid_client")]
    InvalidClient,
    #[value(name = "invalid_grant")]
    InvalidGrant,
    #[value(name = "unauthorized_client")]
    UnauthorizedClient,
    #[value(name = "unsupported_grant_type")]
    UnsupportedGrantType,
    #[value(name = "invalid_scope")]
    InvalidScope,
    #[value(name = "access_denied")]
    AccessDenied,
    #[value(name = "server_error")]
    ServerError,
    #[value(name = "temporarily_unavailable")]
    TemporarilyUnavailable,
    #[value(name = "slow_down")]
    SlowDown,
    #[value(name = "authorization_pending")]
    AuthorizationPending,
    #[value(name = "expired_token")]
    ExpiredToken,
    /// An HTML "502 Bad Gateway" page, as a proxy sends
    #[value(name = "html-502", alias = "html_502")]
    Html502,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SigningAlgArg {
    #[value(name = "RS256", alias = "rs256")]
    Rs256,
    #[value(name = "ES256", alias = "es256")]
    Es256,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenFormatArg {
    Opaque,
    Jwt,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_client_auth_flag_value_is_a_provider_method() {
        for a in ClientAuthArg::value_variants() {
            let m = crate::provider::ClientAuth::from(*a);
            assert_eq!(m.as_str(), a.as_str());
            assert_eq!(
                a.to_possible_value().map(|v| v.get_name().to_string()),
                Some(m.to_string())
            );
        }
    }
}
