
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'oauthctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'oauthctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'oauthctl' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Fetch and show an authorization server''s metadata (OpenID Connect, RFC 8414, Teamwork)')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the built-in presets and configured providers, and what each still needs')
            [CompletionResult]::new('authorize-url', 'authorize-url', [CompletionResultType]::ParameterValue, 'Build the authorization URL exactly as `login` will, with PKCE and state')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in (authorization code with PKCE, device, client credentials or password) and store the session')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a valid access token on stdout, refreshed first when it is about to expire')
            [CompletionResult]::new('header', 'header', [CompletionResultType]::ParameterValue, 'Print an `Authorization: Bearer …` header with a valid access token')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh the session now (rotated refresh tokens are stored atomically)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the stored sessions: provider, profile, who, scopes, expiry, store')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Log out: revoke the tokens at the server (RFC 7009) where it can, delete the session')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a provider''s setup without logging in: discovery, TLS, clock, client, redirect URI, and the authorization request itself')
            [CompletionResult]::new('exchange', 'exchange', [CompletionResultType]::ParameterValue, 'Send only the token request (authorization code), with any parameter changed, added or left out')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode a JWT (header, claims, times in words) and optionally verify it')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show the stored session: metadata, expiry, scopes, and its tokens decoded')
            [CompletionResult]::new('me', 'me', [CompletionResultType]::ParameterValue, 'Ask the provider who is logged in (its "who am I" endpoint, whatever its shape)')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Send an authorized request to the provider''s API, like `gh api`')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Register a client (RFC 7591 dynamic registration, or Teamwork''s form) and keep its credentials')
            [CompletionResult]::new('introspect', 'introspect', [CompletionResultType]::ParameterValue, 'Ask the provider whether a token is active, and what it grants (RFC 7662)')
            [CompletionResult]::new('mock', 'mock', [CompletionResultType]::ParameterValue, 'Run a local authorization server that behaves like a provider, with fault injection')
            [CompletionResult]::new('generate-assets', 'generate-assets', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (for maintainers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;discover' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;providers' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;authorize-url' {
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scopes to request instead of the provider''s (repeat, or separate with spaces)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'Add or override a raw authorization request parameter')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Redirect URI to send (default: the provider''s, else a free loopback port)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Loopback port for the default redirect URI')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Client ID to send instead of the configured one')
            [CompletionResult]::new('--client-assertion-key', '--client-assertion-key', [CompletionResultType]::ParameterName, 'PEM private key that signs the request object [default: the provider''s client_assertion_key]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--par', '--par', [CompletionResultType]::ParameterName, 'Push the authorization request (PAR, RFC 9126) and print the short URL with only client_id and request_uri [automatic when the server or config sets require_pushed_authorization_requests]')
            [CompletionResult]::new('--jar', '--jar', [CompletionResultType]::ParameterName, 'Sign the authorization request as a request object (JAR, RFC 9101): the URL carries only client_id and request [automatic when the server or config sets require_signed_request_object]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;login' {
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scopes to request instead of the provider''s (repeat, or separate with spaces)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'Add or override a raw request parameter: of the authorization request, the device authorization request (--device), or the token request (--client-credentials, --password)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Redirect URI (default: the provider''s, else http://127.0.0.1:PORT/callback)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port of the loopback listener [default: the redirect URI''s, else a free one]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Client ID to use instead of the configured one')
            [CompletionResult]::new('--browser', '--browser', [CompletionResultType]::ParameterName, 'Command that opens the URL (given as its last argument, or in place of %s) [env: OAUTHCTL_BROWSER, then BROWSER]')
            [CompletionResult]::new('--login-timeout', '--login-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the redirect')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username for --password [default: asked on the terminal]')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Audience of the token (the `audience` parameter, e.g. Auth0''s API identifier)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Resource indicator (RFC 8707): the API the token is for (repeat for more)')
            [CompletionResult]::new('--client-assertion-key', '--client-assertion-key', [CompletionResultType]::ParameterName, 'Authenticate the client with a JWT signed by this private key (private_key_jwt, RFC 7523): an RS256, ES256 or EdDSA (Ed25519) PEM file')
            [CompletionResult]::new('--token-param', '--token-param', [CompletionResultType]::ParameterName, 'Add or override a raw token request parameter (repeat)')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed when checking an ID token''s exp and iat')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not start a browser; also accept the redirected URL (or the code) pasted on stdin')
            [CompletionResult]::new('--no-preflight', '--no-preflight', [CompletionResultType]::ParameterName, 'Do not check the authorization URL with the server before opening the browser')
            [CompletionResult]::new('--par', '--par', [CompletionResultType]::ParameterName, 'Push the authorization request to the server first (PAR, RFC 9126); the browser gets only client_id and request_uri [automatic when the server or config sets require_pushed_authorization_requests]')
            [CompletionResult]::new('--jar', '--jar', [CompletionResultType]::ParameterName, 'Send the authorization request as a signed request object (JAR, RFC 9101), signed with the client assertion key, or HS256 with the secret for client_secret_jwt [automatic when the server or config sets require_signed_request_object]')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Use the device authorization grant (RFC 8628): enter a code on another device')
            [CompletionResult]::new('--client-credentials', '--client-credentials', [CompletionResultType]::ParameterName, 'Log a service account in with the client credentials grant (no user; without --scope, the provider''s scopes minus OpenID Connect''s user scopes are asked for)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Use the resource owner password grant (deprecated: OAuth 2.1 drops it); the password is asked without echo')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password for --password from the first line of stdin')
            [CompletionResult]::new('--no-verify-id-token', '--no-verify-id-token', [CompletionResultType]::ParameterName, 'Keep the tokens even when the ID token fails its checks (with a warning): only to reproduce a broken server')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;token' {
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Refresh first when the token expires within this time')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--id-token', '--id-token', [CompletionResultType]::ParameterName, 'Print the ID token instead of the access token')
            [CompletionResult]::new('--login', '--login', [CompletionResultType]::ParameterName, 'Log in (opening the browser) when a login is required, instead of failing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;header' {
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Refresh first when the token expires within this time')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--login', '--login', [CompletionResultType]::ParameterName, 'Log in (opening the browser) when a login is required, instead of failing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;refresh' {
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed when checking an ID token''s exp and iat')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--no-verify-id-token', '--no-verify-id-token', [CompletionResultType]::ParameterName, 'Keep the tokens even when the ID token fails its checks (with a warning): only to reproduce a broken server')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;status' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;logout' {
            [CompletionResult]::new('--browser', '--browser', [CompletionResultType]::ParameterName, 'Command that opens the end-session URL (given as its last argument, or in place of %s) [env: OAUTHCTL_BROWSER, then BROWSER]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--no-revoke', '--no-revoke', [CompletionResultType]::ParameterName, 'Delete the session without revoking its tokens at the server')
            [CompletionResult]::new('--revoke-only', '--revoke-only', [CompletionResultType]::ParameterName, 'Revoke the tokens and delete the session, and fail (exit 5) when a token could not be revoked, so a script knows they are dead at the server (the session is deleted either way)')
            [CompletionResult]::new('--end-session', '--end-session', [CompletionResultType]::ParameterName, 'Also end the session at the server: open its end_session_endpoint in the browser (OpenID Connect RP-Initiated Logout, with id_token_hint, client_id and the configured post_logout_redirect_uri)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;doctor' {
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Redirect URI to check instead of the configured one')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Loopback port for the default redirect URI')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Client ID to check instead of the configured one')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scopes to request in the preflight instead of the provider''s')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'Add or override a raw authorization request parameter in the preflight')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Clock difference with the server beyond which the clock check warns')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;exchange' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The authorization code; `-` reads it from a line of stdin, `env:VAR` from a variable, `@FILE` from a file (out of `ps` and the shell history)')
            [CompletionResult]::new('--callback-url', '--callback-url', [CompletionResultType]::ParameterName, 'The URL the browser was redirected to: its code is exchanged, its state finds the flow (`-`, env:VAR, @FILE as for --code)')
            [CompletionResult]::new('--code-verifier', '--code-verifier', [CompletionResultType]::ParameterName, 'The PKCE code_verifier (`authorize-url` prints it); `-`, env:VAR, @FILE as for --code (with `--code -` too, the verifier is the second line)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'redirect_uri to send [default: the authorization request''s (flow journal), else the callback URL''s, else the configured one]')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'Add or override a token request parameter (repeat)')
            [CompletionResult]::new('--omit', '--omit', [CompletionResultType]::ParameterName, 'Leave a parameter out of the request, from the body or the query string (repeat)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Client ID to use instead of the configured one')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Client authentication method to use instead of the configured one')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed when checking an ID token''s exp and iat')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--no-verify-id-token', '--no-verify-id-token', [CompletionResultType]::ParameterName, 'Keep the tokens even when the ID token fails its checks (with a warning): only to reproduce a broken server')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;decode' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'JWKS to verify with: a file or an http(s) URL (else -p NAME''s jwks_uri, or --iss URL''s keys)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'HMAC secret for HS256/384/512: @FILE, env:VAR or - (stdin); never the secret itself')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed when checking exp and nbf')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Require this issuer (`iss`)')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Require this audience in `aud`')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Check the signature, `exp` and `nbf` (and `iss`/`aud` when given)')
            [CompletionResult]::new('--trust-token-issuer', '--trust-token-issuer', [CompletionResultType]::ParameterName, 'With --verify and no --jwks, -p or --iss: fetch the keys of the token''s own `iss` (not pinned: anyone can mint such a token)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;inspect' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;me' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;call' {
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'HTTP method [default: GET, or POST with --data]')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method [default: GET, or POST with --data]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Request body: DATA, @FILE, or - for stdin (JSON is sent as application/json, anything else as a form)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Request body: DATA, @FILE, or - for stdin (JSON is sent as application/json, anything else as a form)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Add a request header (repeat for more); an Authorization header replaces the bearer token')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Add a request header (repeat for more); an Authorization header replaces the bearer token')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--any-host', '--any-host', [CompletionResultType]::ParameterName, 'Send the token to a full URL on any host (by default only the API''s and the provider''s hosts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;register' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Client name to register (`client_name`)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Redirect URI to register (repeat for more) [default: the one `login` will use]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Loopback port of the default redirect URI [default: a free one, written to the config]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scope the client may request (repeat, or separate with spaces)')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'Grant type the client may use (repeat for more) [default: the server''s]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Initial access token, when the server requires one: @FILE, env:VAR, - (stdin), or the token')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;introspect' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--refresh-token', '--refresh-token', [CompletionResultType]::ParameterName, 'Introspect the stored refresh token instead of the access token')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;mock' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port on 127.0.0.1 (0: a free port; the address is printed at start)')
            [CompletionResult]::new('--code-ttl', '--code-ttl', [CompletionResultType]::ParameterName, 'How long authorization codes are valid [default: the provider''s, else 10m]')
            [CompletionResult]::new('--access-ttl', '--access-ttl', [CompletionResultType]::ParameterName, 'How long access tokens are valid [default: the provider''s, else 1h]')
            [CompletionResult]::new('--refresh-ttl', '--refresh-ttl', [CompletionResultType]::ParameterName, 'How long refresh tokens are valid [default: the provider''s, else 30d]')
            [CompletionResult]::new('--fail-token-with', '--fail-token-with', [CompletionResultType]::ParameterName, 'Answer every token request with this error instead')
            [CompletionResult]::new('--fail-token-count', '--fail-token-count', [CompletionResultType]::ParameterName, 'With --fail-token-with: fail only the first N token requests, then answer normally')
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Delay every answer by this long, e.g. 250ms')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'client_id of the mock''s client [default: oauthctl-mock]')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'Secret of the mock''s client [default: a fixed test value, where the provider uses secrets]')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Redirect URI registered for the mock''s client (repeat for more) [default: the provider''s example]')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Append one JSON line per request to FILE (ts, method, path, grant_type, client_auth, status)')
            [CompletionResult]::new('--write-config', '--write-config', [CompletionResultType]::ParameterName, 'Also write the config file that points the provider at the mock to FILE')
            [CompletionResult]::new('--signing-alg', '--signing-alg', [CompletionResultType]::ParameterName, 'Signature algorithm of the JWTs the mock issues')
            [CompletionResult]::new('--token-format', '--token-format', [CompletionResultType]::ParameterName, 'Access token format [default: jwt for oidc, opaque for the presets]')
            [CompletionResult]::new('--device-interval', '--device-interval', [CompletionResultType]::ParameterName, 'Polling interval the device flow asks clients for')
            [CompletionResult]::new('--device-code-ttl', '--device-code-ttl', [CompletionResultType]::ParameterName, 'How long device codes are valid')
            [CompletionResult]::new('--client-jwks', '--client-jwks', [CompletionResultType]::ParameterName, 'Register the mock''s client for private_key_jwt (RFC 7523) with these public keys: a JWK Set (JSON) or a PEM public key')
            [CompletionResult]::new('--id-token-fault', '--id-token-fault', [CompletionResultType]::ParameterName, 'Issue wrong ID tokens (or userinfo answers), to see a client refuse them (repeat for more)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'Approve at once: redirect without the consent page, approve device codes')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'The user denies every authorization (error=access_denied)')
            [CompletionResult]::new('--rotate-refresh-tokens', '--rotate-refresh-tokens', [CompletionResultType]::ParameterName, 'Rotate refresh tokens on every refresh (always on where the provider rotates)')
            [CompletionResult]::new('--require-pkce', '--require-pkce', [CompletionResultType]::ParameterName, 'Require PKCE even where the provider makes it optional')
            [CompletionResult]::new('--client-secret-jwt', '--client-secret-jwt', [CompletionResultType]::ParameterName, 'The mock''s client authenticates with client_secret_jwt (RFC 7523: an HS256 JWT over its secret), and only so')
            [CompletionResult]::new('--require-par', '--require-par', [CompletionResultType]::ParameterName, 'Require pushed authorization requests (RFC 9126): the metadata says require_pushed_authorization_requests, and a request not pushed is redirected back with invalid_request (oidc only: it has the /par endpoint)')
            [CompletionResult]::new('--expired-request-uri', '--expired-request-uri', [CompletionResultType]::ParameterName, 'Every request_uri of a pushed authorization request has expired when the browser brings it (error=invalid_request_uri)')
            [CompletionResult]::new('--require-jar', '--require-jar', [CompletionResultType]::ParameterName, 'Require signed request objects (RFC 9101): the metadata says require_signed_request_object, and a request without a `request` JWT (verified with the --client-jwks keys or the client secret) is redirected back with invalid_request')
            [CompletionResult]::new('--hide-refresh-grant', '--hide-refresh-grant', [CompletionResultType]::ParameterName, 'Leave refresh_token out of the metadata''s grant_types_supported (refreshes still work): metadata is advisory')
            [CompletionResult]::new('--revocation-requires-secret', '--revocation-requires-secret', [CompletionResultType]::ParameterName, 'Revoke tokens for authenticated clients only: the metadata lists client_secret_basic and client_secret_post in revocation_endpoint_auth_methods_supported, and a public client gets 401 invalid_client')
            [CompletionResult]::new('--require-nonce', '--require-nonce', [CompletionResultType]::ParameterName, 'Refuse an authorization request with the openid scope and no nonce (error=invalid_request, "nonce required")')
            [CompletionResult]::new('--json-errors', '--json-errors', [CompletionResultType]::ParameterName, 'Answer authorization errors as JSON to any Accept header that mentions JSON, whatever its q-value (as some single-sign-on portals do)')
            [CompletionResult]::new('--sso', '--sso', [CompletionResultType]::ParameterName, 'Ask for a sign-in first: an authorization request without a session gets 401 with `WWW-Authenticate: SSO` (a sign-in page for a browser, `{"error":9}` with --json-errors to JSON)')
            [CompletionResult]::new('--hide-none-auth', '--hide-none-auth', [CompletionResultType]::ParameterName, 'Make the mock''s client public (PKCE required) and leave `none` out of token_endpoint_auth_methods_supported; public clients are accepted still')
            [CompletionResult]::new('--offline-access-needs-consent', '--offline-access-needs-consent', [CompletionResultType]::ParameterName, 'Drop offline_access unless the authorization request carries prompt=consent (OpenID Connect Core §11); refresh tokens come with offline_access only')
            [CompletionResult]::new('--refuse-consent', '--refuse-consent', [CompletionResultType]::ParameterName, 'End the consent step with error=consent_required instead of a code')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;generate-assets' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Repository root to write completions/ and man/ into')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]')
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust this PEM CA certificate (bundle) in addition to the system roots')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Session profile, to keep several sessions per provider')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Compare instead of writing; exit 1 when a file is stale')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show every HTTP request and response on stderr (secrets redacted)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show tokens, codes and client secrets in clear in output and traces')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify TLS certificates (unsafe: for test servers only)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oauthctl;help' {
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Fetch and show an authorization server''s metadata (OpenID Connect, RFC 8414, Teamwork)')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the built-in presets and configured providers, and what each still needs')
            [CompletionResult]::new('authorize-url', 'authorize-url', [CompletionResultType]::ParameterValue, 'Build the authorization URL exactly as `login` will, with PKCE and state')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in (authorization code with PKCE, device, client credentials or password) and store the session')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a valid access token on stdout, refreshed first when it is about to expire')
            [CompletionResult]::new('header', 'header', [CompletionResultType]::ParameterValue, 'Print an `Authorization: Bearer …` header with a valid access token')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh the session now (rotated refresh tokens are stored atomically)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the stored sessions: provider, profile, who, scopes, expiry, store')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Log out: revoke the tokens at the server (RFC 7009) where it can, delete the session')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a provider''s setup without logging in: discovery, TLS, clock, client, redirect URI, and the authorization request itself')
            [CompletionResult]::new('exchange', 'exchange', [CompletionResultType]::ParameterValue, 'Send only the token request (authorization code), with any parameter changed, added or left out')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode a JWT (header, claims, times in words) and optionally verify it')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show the stored session: metadata, expiry, scopes, and its tokens decoded')
            [CompletionResult]::new('me', 'me', [CompletionResultType]::ParameterValue, 'Ask the provider who is logged in (its "who am I" endpoint, whatever its shape)')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Send an authorized request to the provider''s API, like `gh api`')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Register a client (RFC 7591 dynamic registration, or Teamwork''s form) and keep its credentials')
            [CompletionResult]::new('introspect', 'introspect', [CompletionResultType]::ParameterValue, 'Ask the provider whether a token is active, and what it grants (RFC 7662)')
            [CompletionResult]::new('mock', 'mock', [CompletionResultType]::ParameterValue, 'Run a local authorization server that behaves like a provider, with fault injection')
            [CompletionResult]::new('generate-assets', 'generate-assets', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (for maintainers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;help;discover' {
            break
        }
        'oauthctl;help;providers' {
            break
        }
        'oauthctl;help;authorize-url' {
            break
        }
        'oauthctl;help;login' {
            break
        }
        'oauthctl;help;token' {
            break
        }
        'oauthctl;help;header' {
            break
        }
        'oauthctl;help;refresh' {
            break
        }
        'oauthctl;help;status' {
            break
        }
        'oauthctl;help;logout' {
            break
        }
        'oauthctl;help;doctor' {
            break
        }
        'oauthctl;help;exchange' {
            break
        }
        'oauthctl;help;decode' {
            break
        }
        'oauthctl;help;inspect' {
            break
        }
        'oauthctl;help;me' {
            break
        }
        'oauthctl;help;call' {
            break
        }
        'oauthctl;help;register' {
            break
        }
        'oauthctl;help;introspect' {
            break
        }
        'oauthctl;help;mock' {
            break
        }
        'oauthctl;help;generate-assets' {
            break
        }
        'oauthctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
