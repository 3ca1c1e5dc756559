# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_oauthctl_global_optspecs
    string join \n p/provider= config= json trace har= report= show-secrets cacert= insecure allow-insecure-http timeout= color= q/quiet v/verbose store= no-cache profile= h/help V/version
end

function __fish_oauthctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_oauthctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_oauthctl_using_subcommand
    set -l cmd (__fish_oauthctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c oauthctl -n "__fish_oauthctl_needs_command" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "discover" -d 'Fetch and show an authorization server\'s metadata (OpenID Connect, RFC 8414, Teamwork)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "providers" -d 'List the built-in presets and configured providers, and what each still needs'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "authorize-url" -d 'Build the authorization URL exactly as `login` will, with PKCE and state'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "login" -d 'Log in (authorization code with PKCE, device, client credentials or password) and store the session'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "token" -d 'Print a valid access token on stdout, refreshed first when it is about to expire'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "header" -d 'Print an `Authorization: Bearer …` header with a valid access token'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "git-credential" -d 'A git credential helper: answers git with a fresh access token as the password'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "kubectl-credential" -d 'A kubectl exec credential plugin: prints an ExecCredential with a fresh token'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "run" -d 'Run a command with a fresh access token in its environment'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "refresh" -d 'Refresh the session now (rotated refresh tokens are stored atomically)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "status" -d 'Show the stored sessions: provider, profile, who, scopes, expiry, store'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "logout" -d 'Log out: revoke the tokens at the server (RFC 7009) where it can, delete the session'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "doctor" -d 'Check a provider\'s setup without logging in: discovery, TLS, clock, client, redirect URI, and the authorization request itself'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "exchange" -d 'Send only the token request (authorization code), with any parameter changed, added or left out'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "token-exchange" -d 'Exchange a token for another one (RFC 8693 token exchange): a token for another audience, or acting for a user'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "decode" -d 'Decode a JWT (header, claims, times in words) and optionally verify it'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "inspect" -d 'Show the stored session: metadata, expiry, scopes, and its tokens decoded'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "me" -d 'Ask the provider who is logged in (its "who am I" endpoint, whatever its shape)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "call" -d 'Send an authorized request to the provider\'s API, like `gh api`'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "register" -d 'Register a client (RFC 7591 dynamic registration, or Teamwork\'s form) and keep its credentials'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "introspect" -d 'Ask the provider whether a token is active, and what it grants (RFC 7662)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "mock" -d 'Run a local authorization server that behaves like a provider, with fault injection'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "generate-assets" -d 'Write shell completions and man pages (for maintainers)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "report" -d 'Turn a HAR file into the flow report: one self-contained HTML page for a support ticket'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand discover" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand providers" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l scope -d 'Scopes to request instead of the provider\'s (repeat, or separate with spaces)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l param -d 'Add or override a raw authorization request parameter' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l authorization-details -d 'Rich authorization request (RFC 9396): a JSON array of objects with a `type`, or @FILE' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l redirect-uri -d 'Redirect URI to send (default: the provider\'s, else a free loopback port)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l port -d 'Loopback port for the default redirect URI' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l client-id -d 'Client ID to send instead of the configured one' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l response-mode -d 'How the authorization response comes back: query, form_post, or a signed JWT (JARM): jwt, query.jwt, form_post.jwt [default: the config\'s response_mode, else the server\'s]' -r -f -a "query\t''
form_post\t''
jwt\t''
query.jwt\t''
form_post.jwt\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l client-assertion-key -d 'PEM private key that signs the request object [default: the provider\'s client_assertion_key]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l par -d 'Push the authorization request (PAR, RFC 9126) and print the short URL with only client_id and request_uri [automatic when the server or config sets require_pushed_authorization_requests]'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -l jar -d 'Sign the authorization request as a request object (JAR, RFC 9101): the URL carries only client_id and request [automatic when the server or config sets require_signed_request_object]'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand authorize-url" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l scope -d 'Scopes to request instead of the provider\'s (repeat, or separate with spaces)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l param -d 'Add or override a raw request parameter: of the authorization request, the device authorization request (--device), or the token request (--client-credentials, --password)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l authorization-details -d 'Rich authorization request (RFC 9396) for the authorization request, or the token request of --client-credentials: a JSON array of objects with a `type`, or @FILE' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l redirect-uri -d 'Redirect URI (default: the provider\'s, else http://127.0.0.1:PORT/callback)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l port -d 'Port of the loopback listener [default: the redirect URI\'s, else a free one]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l client-id -d 'Client ID to use instead of the configured one' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l browser -d 'Command that opens the URL (given as its last argument, or in place of %s) [env: OAUTHCTL_BROWSER, then BROWSER]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l login-timeout -d 'How long to wait for the redirect' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l response-mode -d 'How the authorization response comes back: query, form_post (the browser POSTs it to the listener), or a JWT signed by the server (JARM), verified before its code is used: jwt, query.jwt, form_post.jwt [default: the config\'s response_mode, else the server\'s]' -r -f -a "query\t''
form_post\t''
jwt\t''
query.jwt\t''
form_post.jwt\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l username -d 'Username for --password [default: asked on the terminal]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l assertion -d 'The JWT assertion for --jwt-bearer: the value, `-` (a line of stdin), `env:VAR` or `@FILE`' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l assertion-key -d 'Sign the --jwt-bearer assertion with this private key (RS256 or ES256 PEM); `token` renews the session by signing a new one' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l assertion-sub -d 'The subject (`sub`) of the assertion signed with --assertion-key: the user or service the token is for' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l audience -d 'Audience of the token (the `audience` parameter, e.g. Auth0\'s API identifier)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l resource -d 'Resource indicator (RFC 8707): the API the token is for (repeat for more)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l client-assertion-key -d 'Authenticate the client with a JWT signed by this private key (private_key_jwt, RFC 7523): an RS256, ES256 or EdDSA (Ed25519) PEM file' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l client-cert -d 'Present this TLS client certificate (PEM) to the server: mutual TLS (RFC 8705) for tls_client_auth and self_signed_tls_client_auth clients, and certificate-bound tokens; kept with the session for refreshes and API calls' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l client-key -d 'The private key (PEM) of --client-cert' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l token-param -d 'Add or override a raw token request parameter (repeat)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l dpop-alg -d 'The DPoP proofs\' algorithm [default: ES256, or one the server lists in dpop_signing_alg_values_supported]' -r -f -a "ES256\t''
RS256\t''
PS256\t''
EdDSA\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l leeway -d 'Clock skew allowed when checking an ID token\'s exp and iat' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l no-browser -d 'Do not start a browser; also accept the redirected URL (or the code) pasted on stdin'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l no-preflight -d 'Do not check the authorization URL with the server before opening the browser'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l par -d 'Push the authorization request to the server first (PAR, RFC 9126); the browser gets only client_id and request_uri [automatic when the server or config sets require_pushed_authorization_requests]'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l jar -d 'Send the authorization request as a signed request object (JAR, RFC 9101), signed with the client assertion key, or HS256 with the secret for client_secret_jwt [automatic when the server or config sets require_signed_request_object]'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l device -d 'Use the device authorization grant (RFC 8628): enter a code on another device'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l client-credentials -d 'Log a service account in with the client credentials grant (no user; without --scope, the provider\'s scopes minus OpenID Connect\'s user scopes are asked for)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l password -d 'Use the resource owner password grant (deprecated: OAuth 2.1 drops it); the password is asked without echo'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l password-stdin -d 'Read the password for --password from the first line of stdin'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l jwt-bearer -d 'Use a JWT authorization grant (RFC 7523 §2.1): --assertion, or --assertion-key with --assertion-sub'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l dpop -d 'Bind the tokens to a key pair made for this session (DPoP, RFC 9449): every token request and API call carries a signed proof [automatic when the config sets dpop_bound_access_tokens = true]'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l no-verify-id-token -d 'Keep the tokens even when the ID token fails its checks (with a warning): only to reproduce a broken server'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l min-ttl -d 'Refresh first when the token expires within this time' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l method -d 'The HTTP method of the request the DPoP proof is for' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l url -d 'The URL of the request the DPoP proof is for (a DPoP-bound session\'s `header` needs it; `token --json` then adds the proof)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l id-token -d 'Print the ID token instead of the access token'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l login -d 'Log in (opening the browser) when a login is required, instead of failing'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l min-ttl -d 'Refresh first when the token expires within this time' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l method -d 'The HTTP method of the request the DPoP proof is for' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l url -d 'The URL of the request the DPoP proof is for (a DPoP-bound session\'s `header` needs it; `token --json` then adds the proof)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -l login -d 'Log in (opening the browser) when a login is required, instead of failing'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand header" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l min-ttl -d 'Refresh first when the token expires within this time' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand git-credential" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l use -d 'Which token kubectl sends to the API server' -r -f -a "access-token\t'The access token'
id-token\t'The ID token (OpenID Connect; the session renewed when it has expired)'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l min-ttl -d 'Refresh first when the token expires within this time' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand kubectl-credential" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l env -d 'The environment variable that holds the access token' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l header-env -d 'Also put the whole Authorization header value (`Bearer …`) in this variable' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l min-ttl -d 'Refresh first when the token expires within this time' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand run" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l leeway -d 'Clock skew allowed when checking an ID token\'s exp and iat' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -l no-verify-id-token -d 'Keep the tokens even when the ID token fails its checks (with a warning): only to reproduce a broken server'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand refresh" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand status" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l browser -d 'Command that opens the end-session URL (given as its last argument, or in place of %s) [env: OAUTHCTL_BROWSER, then BROWSER]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l no-revoke -d 'Delete the session without revoking its tokens at the server'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l revoke-only -d 'Revoke the tokens and delete the session, and fail (exit 5) when a token could not be revoked, so a script knows they are dead at the server (the session is deleted either way)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l end-session -d 'Also end the session at the server: open its end_session_endpoint in the browser (OpenID Connect RP-Initiated Logout, with id_token_hint, client_id and the configured post_logout_redirect_uri)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l redirect-uri -d 'Redirect URI to check instead of the configured one' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l port -d 'Loopback port for the default redirect URI' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l client-id -d 'Client ID to check instead of the configured one' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l scope -d 'Scopes to request in the preflight instead of the provider\'s' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l param -d 'Add or override a raw authorization request parameter in the preflight' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l max-skew -d 'Clock difference with the server beyond which the clock check warns' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l code -d 'The authorization code; `-` reads it from a line of stdin, `env:VAR` from a variable, `@FILE` from a file (out of `ps` and the shell history)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l callback-url -d 'The URL the browser was redirected to: its code is exchanged, its state finds the flow (`-`, env:VAR, @FILE as for --code)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l code-verifier -d 'The PKCE code_verifier (`authorize-url` prints it); `-`, env:VAR, @FILE as for --code (with `--code -` too, the verifier is the second line)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l redirect-uri -d 'redirect_uri to send [default: the authorization request\'s (flow journal), else the callback URL\'s, else the configured one]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l param -d 'Add or override a token request parameter (repeat)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l authorization-details -d 'Rich authorization request (RFC 9396) for the token request: a JSON array of objects with a `type`, or @FILE' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l omit -d 'Leave a parameter out of the request, from the body or the query string (repeat)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l client-id -d 'Client ID to use instead of the configured one' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l client-auth -d 'Client authentication method to use instead of the configured one' -r -f -a "none\t''
client_secret_basic\t''
client_secret_post\t''
client_secret_query\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l leeway -d 'Clock skew allowed when checking an ID token\'s exp and iat' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -l no-verify-id-token -d 'Keep the tokens even when the ID token fails its checks (with a warning): only to reproduce a broken server'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exchange" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l subject-token -d 'The token to exchange: the value, `-` (a line of stdin), `env:VAR` or `@FILE` (out of `ps` and the shell history)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l subject-token-type -d 'Type of the subject token: a URI or a short name (access_token, refresh_token, id_token, jwt, saml1, saml2)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l actor-token -d 'A token of the party acting for the subject (delegation); `-`, env:VAR, @FILE as for --subject-token' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l actor-token-type -d 'Type of the actor token [default: access_token]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l audience -d 'Where the issued token will be used: the `audience` parameter (repeat for more)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l resource -d 'Resource indicator (RFC 8707): the API the issued token is for (repeat for more)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l scope -d 'Scopes to ask for (repeat, or separate with spaces) [default: the server decides]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l requested-token-type -d 'Type of token wanted: a URI or a short name (access_token, jwt, …)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l save-as -d 'Store the issued token as a session of this profile (of the same provider)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l dpop-alg -d 'The DPoP proofs\' algorithm (implies --dpop) [default: ES256, or one the server lists]' -r -f -a "ES256\t''
RS256\t''
PS256\t''
EdDSA\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l param -d 'Add or override a raw token request parameter (repeat)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l subject-session -d 'Exchange the access token of the stored session (-p, --profile), refreshed first when it is about to expire'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -l dpop -d 'Bind the issued token to a key pair kept with the --save-as session (DPoP, RFC 9449): the request carries a proof'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token-exchange" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l jwks -d 'JWKS to verify with: a file or an http(s) URL (else -p NAME\'s jwks_uri, or --iss URL\'s keys)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l secret -d 'HMAC secret for HS256/384/512: @FILE, env:VAR or - (stdin); never the secret itself' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l leeway -d 'Clock skew allowed when checking exp and nbf' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l iss -d 'Require this issuer (`iss`)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l aud -d 'Require this audience in `aud`' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l verify -d 'Check the signature, `exp` and `nbf` (and `iss`/`aud` when given)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -l trust-token-issuer -d 'With --verify and no --jwks, -p or --iss: fetch the keys of the token\'s own `iss` (not pinned: anyone can mint such a token)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand decode" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand me" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s X -l method -d 'HTTP method [default: GET, or POST with --data]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s d -l data -d 'Request body: DATA, @FILE, or - for stdin (JSON is sent as application/json, anything else as a form)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s H -l header -d 'Add a request header (repeat for more); an Authorization header replaces the bearer token' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l any-host -d 'Send the token to a full URL on any host (by default only the API\'s and the provider\'s hosts)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l name -d 'Client name to register (`client_name`)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l redirect-uri -d 'Redirect URI to register (repeat for more) [default: the one `login` will use]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l port -d 'Loopback port of the default redirect URI [default: a free one, written to the config]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l scope -d 'Scope the client may request (repeat, or separate with spaces)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l grant-type -d 'Grant type the client may use (repeat for more) [default: the server\'s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l token -d 'Initial access token, when the server requires one: @FILE, env:VAR, - (stdin), or the token' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand register" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -l refresh-token -d 'Introspect the stored refresh token instead of the access token'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand introspect" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l port -d 'Port on 127.0.0.1 (0: a free port; the address is printed at start)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l code-ttl -d 'How long authorization codes are valid [default: the provider\'s, else 10m]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l access-ttl -d 'How long access tokens are valid [default: the provider\'s, else 1h]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l refresh-ttl -d 'How long refresh tokens are valid [default: the provider\'s, else 30d]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l fail-token-with -d 'Answer every token request with this error instead' -r -f -a "invalid_request\t''
invalid_client\t''
invalid_grant\t''
unauthorized_client\t''
unsupported_grant_type\t''
invalid_scope\t''
access_denied\t''
server_error\t''
temporarily_unavailable\t''
slow_down\t''
authorization_pending\t''
expired_token\t''
html-502\t'An HTML "502 Bad Gateway" page, as a proxy sends'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l fail-token-count -d 'With --fail-token-with: fail only the first N token requests, then answer normally' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l latency -d 'Delay every answer by this long, e.g. 250ms' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l client-id -d 'client_id of the mock\'s client [default: oauthctl-mock]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l client-secret -d 'Secret of the mock\'s client [default: a fixed test value, where the provider uses secrets]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l redirect-uri -d 'Redirect URI registered for the mock\'s client (repeat for more) [default: the provider\'s example]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l log -d 'Append one JSON line per request to FILE (ts, method, path, grant_type, client_auth, status)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l write-config -d 'Also write the config file that points the provider at the mock to FILE' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l signing-alg -d 'Signature algorithm of the JWTs the mock issues' -r -f -a "RS256\t''
ES256\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l token-format -d 'Access token format [default: jwt for oidc, opaque for the presets]' -r -f -a "opaque\t''
jwt\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l device-interval -d 'Polling interval the device flow asks clients for' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l device-code-ttl -d 'How long device codes are valid' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l client-jwks -d 'Register the mock\'s client for private_key_jwt (RFC 7523) with these public keys: a JWK Set (JSON) or a PEM public key' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l tls-dir -d 'Where --require-mtls writes the test CA and the client certificates and keys that the config points at [default: a directory under the system\'s temporary directory]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l id-token-fault -d 'Issue wrong ID tokens (or userinfo answers), to see a client refuse them (repeat for more)' -r -f -a "wrong-aud\t'`aud` names another client'
wrong-nonce\t'`nonce` is not the one sent'
bad-signature\t'The signature does not match'
expired\t'`exp` an hour ago'
sub-mismatch\t'The userinfo `sub` is not the ID token\'s'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l auto-approve -d 'Approve at once: redirect without the consent page, approve device codes'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l deny -d 'The user denies every authorization (error=access_denied)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l rotate-refresh-tokens -d 'Rotate refresh tokens on every refresh (always on where the provider rotates)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l require-pkce -d 'Require PKCE even where the provider makes it optional'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l client-secret-jwt -d 'The mock\'s client authenticates with client_secret_jwt (RFC 7523: an HS256 JWT over its secret), and only so'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l require-par -d 'Require pushed authorization requests (RFC 9126): the metadata says require_pushed_authorization_requests, and a request not pushed is redirected back with invalid_request (oidc only: it has the /par endpoint)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l expired-request-uri -d 'Every request_uri of a pushed authorization request has expired when the browser brings it (error=invalid_request_uri)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l require-jar -d 'Require signed request objects (RFC 9101): the metadata says require_signed_request_object, and a request without a `request` JWT (verified with the --client-jwks keys or the client secret) is redirected back with invalid_request'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l hide-refresh-grant -d 'Leave refresh_token out of the metadata\'s grant_types_supported (refreshes still work): metadata is advisory'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l revocation-requires-secret -d 'Revoke tokens for authenticated clients only: the metadata lists client_secret_basic and client_secret_post in revocation_endpoint_auth_methods_supported, and a public client gets 401 invalid_client'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l require-nonce -d 'Refuse an authorization request with the openid scope and no nonce (error=invalid_request, "nonce required")'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l json-errors -d 'Answer authorization errors as JSON to any Accept header that mentions JSON, whatever its q-value (as some single-sign-on portals do)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l sso -d 'Ask for a sign-in first: an authorization request without a session gets 401 with `WWW-Authenticate: SSO` (a sign-in page for a browser, `{"error":9}` with --json-errors to JSON)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l hide-none-auth -d 'Make the mock\'s client public (PKCE required) and leave `none` out of token_endpoint_auth_methods_supported; public clients are accepted still'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l offline-access-needs-consent -d 'Drop offline_access unless the authorization request carries prompt=consent (OpenID Connect Core §11); refresh tokens come with offline_access only'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l refuse-consent -d 'End the consent step with error=consent_required instead of a code'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l require-mtls -d 'Mutual TLS (RFC 8705): serve the token, revocation, introspection, device, PAR and userinfo endpoints on a second, TLS port too (mtls_endpoint_aliases, a test CA), authenticate the client with tls_client_auth and bind its tokens to the certificate'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l mtls-self-signed -d 'With mutual TLS, authenticate the client with self_signed_tls_client_auth (its registered self-signed certificate); implies --require-mtls'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l require-dpop -d 'Require DPoP (RFC 9449): token requests must carry a valid proof (signature by its jwk, typ, htm, htu, iat, single-use jti), tokens are issued as token_type DPoP with cnf.jkt, refreshes need a proof by the same key, and userinfo and the API resources take `Authorization: DPoP` with a proof (ath) only. Without it, a proof that is sent is honoured all the same'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l dpop-nonce -d 'DPoP proofs must carry a server nonce: the token endpoint answers 400 use_dpop_nonce, the resources 401 with WWW-Authenticate DPoP error="use_dpop_nonce", each with a DPoP-Nonce header, until a proof has it'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l stale-dpop-nonce -d 'Every DPoP proof is answered use_dpop_nonce with a new nonce (a server whose nonces are always stale)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l bad-dpop-proof -d 'Every DPoP proof is refused with invalid_dpop_proof'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l jarm-wrong-aud -d 'JWT-secured authorization responses (JARM, response_mode=jwt, query.jwt, form_post.jwt) name another client in `aud`'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l jarm-expired -d 'JWT-secured authorization responses (JARM) expired an hour ago (`exp`)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l jarm-bad-signature -d 'JWT-secured authorization responses (JARM) carry a signature that does not match'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -l jarm-wrong-state -d 'JWT-secured authorization responses (JARM) carry another `state` than the request\'s'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand mock" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l dir -d 'Repository root to write completions/ and man/ into' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -l check -d 'Compare instead of writing; exit 1 when a file is stale'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand generate-assets" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -s p -l provider -d 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l config -d 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l har -d 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l report -d 'Write a flow report to FILE.html: one self-contained page with the verdict, a sequence diagram and every step (secrets redacted unless --show-secrets), written even when the command fails' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l cacert -d 'Trust this PEM CA certificate (bundle) in addition to the system roots' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l timeout -d 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l store -d 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)' -r -f -a "auto\t'The OS keyring when reachable, else files (with a warning)'
keyring\t'The OS keyring only (fail when unreachable)'
file\t'0600 files under the data directory'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l profile -d 'Session profile, to keep several sessions per provider' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -s o -l output -d 'Where to write the page [default: the HAR\'s path with .html]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l json -d 'Machine-readable JSON on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l trace -d 'Show every HTTP request and response on stderr (secrets redacted)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l show-secrets -d 'Show tokens, codes and client secrets in clear in output and traces'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l insecure -d 'Do not verify TLS certificates (unsafe: for test servers only)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l allow-insecure-http -d 'Send a client secret, password or refresh token over plain http to a host that is not loopback (unsafe: anyone on the network path can read them)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -s q -l quiet -d 'Print less on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -s v -l verbose -d 'Print more on stderr'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -l no-cache -d 'Do not use the kernel keyring cache of valid access tokens in front of the OS keyring (Linux; also OAUTHCTL_KEYRING_CACHE=0)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand report" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "discover" -d 'Fetch and show an authorization server\'s metadata (OpenID Connect, RFC 8414, Teamwork)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "providers" -d 'List the built-in presets and configured providers, and what each still needs'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "authorize-url" -d 'Build the authorization URL exactly as `login` will, with PKCE and state'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "login" -d 'Log in (authorization code with PKCE, device, client credentials or password) and store the session'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "token" -d 'Print a valid access token on stdout, refreshed first when it is about to expire'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "header" -d 'Print an `Authorization: Bearer …` header with a valid access token'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "git-credential" -d 'A git credential helper: answers git with a fresh access token as the password'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "kubectl-credential" -d 'A kubectl exec credential plugin: prints an ExecCredential with a fresh token'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "run" -d 'Run a command with a fresh access token in its environment'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "refresh" -d 'Refresh the session now (rotated refresh tokens are stored atomically)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "status" -d 'Show the stored sessions: provider, profile, who, scopes, expiry, store'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "logout" -d 'Log out: revoke the tokens at the server (RFC 7009) where it can, delete the session'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "doctor" -d 'Check a provider\'s setup without logging in: discovery, TLS, clock, client, redirect URI, and the authorization request itself'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "exchange" -d 'Send only the token request (authorization code), with any parameter changed, added or left out'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "token-exchange" -d 'Exchange a token for another one (RFC 8693 token exchange): a token for another audience, or acting for a user'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "decode" -d 'Decode a JWT (header, claims, times in words) and optionally verify it'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "inspect" -d 'Show the stored session: metadata, expiry, scopes, and its tokens decoded'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "me" -d 'Ask the provider who is logged in (its "who am I" endpoint, whatever its shape)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "call" -d 'Send an authorized request to the provider\'s API, like `gh api`'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "register" -d 'Register a client (RFC 7591 dynamic registration, or Teamwork\'s form) and keep its credentials'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "introspect" -d 'Ask the provider whether a token is active, and what it grants (RFC 7662)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "mock" -d 'Run a local authorization server that behaves like a provider, with fault injection'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "generate-assets" -d 'Write shell completions and man pages (for maintainers)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "report" -d 'Turn a HAR file into the flow report: one self-contained HTML page for a support ticket'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from discover providers authorize-url login token header git-credential kubectl-credential run refresh status logout doctor exchange token-exchange decode inspect me call register introspect mock generate-assets report help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
