
use builtin;
use str;

set edit:completion:arg-completer[oauthctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'oauthctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'oauthctl'= {
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand discover 'Fetch and show an authorization server''s metadata (OpenID Connect, RFC 8414, Teamwork)'
            cand providers 'List the built-in presets and configured providers, and what each still needs'
            cand authorize-url 'Build the authorization URL exactly as `login` will, with PKCE and state'
            cand login 'Log in: authorization code with PKCE through a loopback redirect, session stored'
            cand status 'Show the stored sessions: provider, profile, who, scopes, expiry, store'
            cand logout 'Log out: revoke the tokens at the server (RFC 7009) where it can, delete the session'
            cand decode 'Decode a JWT (header, claims, times in words) and optionally verify it'
            cand generate-assets 'Write shell completions and man pages (for maintainers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;discover'= {
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;providers'= {
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;authorize-url'= {
            cand --scope 'Scopes to request instead of the provider''s (repeat, or separate with spaces)'
            cand --param 'Add or override a raw authorization request parameter'
            cand --redirect-uri 'Redirect URI to send (default: the provider''s, else a free loopback port)'
            cand --port 'Loopback port for the default redirect URI'
            cand --client-id 'Client ID to send instead of the configured one'
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;login'= {
            cand --scope 'Scopes to request instead of the provider''s (repeat, or separate with spaces)'
            cand --param 'Add or override a raw authorization request parameter'
            cand --redirect-uri 'Redirect URI (default: the provider''s, else http://127.0.0.1:PORT/callback)'
            cand --port 'Port of the loopback listener [default: the redirect URI''s, else a free one]'
            cand --client-id 'Client ID to use instead of the configured one'
            cand --browser 'Command that opens the URL (given as its last argument, or in place of %s) [env: OAUTHCTL_BROWSER, then BROWSER]'
            cand --login-timeout 'How long to wait for the redirect'
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --no-browser 'Do not start a browser; also accept the redirected URL (or the code) pasted on stdin'
            cand --no-preflight 'Do not check the authorization URL with the server before opening the browser'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;status'= {
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;logout'= {
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --no-revoke 'Delete the session without revoking its tokens at the server'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;decode'= {
            cand --jwks 'JWKS to verify with: a file or an http(s) URL (default: the provider''s jwks_uri, or the token issuer''s)'
            cand --secret 'HMAC secret for HS256/384/512: @FILE, env:VAR or - (stdin); never the secret itself'
            cand --leeway 'Clock skew allowed when checking exp and nbf'
            cand --iss 'Require this issuer (`iss`)'
            cand --aud 'Require this audience in `aud`'
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --verify 'Check the signature, `exp` and `nbf` (and `iss`/`aud` when given)'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;generate-assets'= {
            cand --dir 'Repository root to write completions/ and man/ into'
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --store 'Where sessions are kept: the OS keyring, 0600 files, or the keyring when reachable (auto)'
            cand --profile 'Session profile, to keep several sessions per provider'
            cand --check 'Compare instead of writing; exit 1 when a file is stale'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;help'= {
            cand discover 'Fetch and show an authorization server''s metadata (OpenID Connect, RFC 8414, Teamwork)'
            cand providers 'List the built-in presets and configured providers, and what each still needs'
            cand authorize-url 'Build the authorization URL exactly as `login` will, with PKCE and state'
            cand login 'Log in: authorization code with PKCE through a loopback redirect, session stored'
            cand status 'Show the stored sessions: provider, profile, who, scopes, expiry, store'
            cand logout 'Log out: revoke the tokens at the server (RFC 7009) where it can, delete the session'
            cand decode 'Decode a JWT (header, claims, times in words) and optionally verify it'
            cand generate-assets 'Write shell completions and man pages (for maintainers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;help;discover'= {
        }
        &'oauthctl;help;providers'= {
        }
        &'oauthctl;help;authorize-url'= {
        }
        &'oauthctl;help;login'= {
        }
        &'oauthctl;help;status'= {
        }
        &'oauthctl;help;logout'= {
        }
        &'oauthctl;help;decode'= {
        }
        &'oauthctl;help;generate-assets'= {
        }
        &'oauthctl;help;help'= {
        }
    ]
    $completions[$command]
}
