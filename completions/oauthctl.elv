
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
            cand doctor 'Check a provider''s setup without logging in: discovery, TLS, clock, client, redirect URI, and the authorization request itself'
            cand decode 'Decode a JWT (header, claims, times in words) and optionally verify it'
            cand mock 'Run a local authorization server that behaves like a provider, with fault injection'
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
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;doctor'= {
            cand --redirect-uri 'Redirect URI to check instead of the configured one'
            cand --port 'Loopback port for the default redirect URI'
            cand --client-id 'Client ID to check instead of the configured one'
            cand --scope 'Scopes to request in the preflight instead of the provider''s'
            cand --param 'Add or override a raw authorization request parameter in the preflight'
            cand --max-skew 'Clock difference with the server beyond which the clock check warns'
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
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
            cand --verify 'Check the signature, `exp` and `nbf` (and `iss`/`aud` when given)'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;mock'= {
            cand --port 'Port on 127.0.0.1 (0: a free port; the address is printed at start)'
            cand --code-ttl 'How long authorization codes are valid [default: the provider''s, else 10m]'
            cand --access-ttl 'How long access tokens are valid [default: the provider''s, else 1h]'
            cand --refresh-ttl 'How long refresh tokens are valid [default: the provider''s, else 30d]'
            cand --fail-token-with 'Answer every token request with this error instead'
            cand --fail-token-count 'With --fail-token-with: fail only the first N token requests, then answer normally'
            cand --latency 'Delay every answer by this long, e.g. 250ms'
            cand --client-id 'client_id of the mock''s client [default: oauthctl-mock]'
            cand --client-secret 'Secret of the mock''s client [default: a fixed test value, where the provider uses secrets]'
            cand --redirect-uri 'Redirect URI registered for the mock''s client (repeat for more) [default: the provider''s example]'
            cand --log 'Append one JSON line per request to FILE (ts, method, path, grant_type, client_auth, status)'
            cand --write-config 'Also write the config file that points the provider at the mock to FILE'
            cand --signing-alg 'Signature algorithm of the JWTs the mock issues'
            cand --token-format 'Access token format [default: jwt for oidc, opaque for the presets]'
            cand --device-interval 'Polling interval the device flow asks clients for'
            cand -p 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --provider 'Provider to use: a preset (hub, chatwork, teamwork, worksection, onboardbase) or a name from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/oauthctl/config.toml]'
            cand --har 'Write the HTTP exchanges to FILE as HAR 1.2 (secrets replaced by short hashes)'
            cand --cacert 'Trust this PEM CA certificate (bundle) in addition to the system roots'
            cand --timeout 'Timeout of each HTTP request, e.g. 30s, 2m [default: 30s]'
            cand --color 'When to use colour'
            cand --auto-approve 'Approve at once: redirect without the consent page, approve device codes'
            cand --deny 'The user denies every authorization (error=access_denied)'
            cand --rotate-refresh-tokens 'Rotate refresh tokens on every refresh (always on where the provider rotates)'
            cand --require-pkce 'Require PKCE even where the provider makes it optional'
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
            cand --check 'Compare instead of writing; exit 1 when a file is stale'
            cand --json 'Machine-readable JSON on stdout'
            cand --trace 'Show every HTTP request and response on stderr (secrets redacted)'
            cand --show-secrets 'Show tokens, codes and client secrets in clear in output and traces'
            cand --insecure 'Do not verify TLS certificates (unsafe: for test servers only)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more on stderr'
            cand --verbose 'Print more on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oauthctl;help'= {
            cand discover 'Fetch and show an authorization server''s metadata (OpenID Connect, RFC 8414, Teamwork)'
            cand providers 'List the built-in presets and configured providers, and what each still needs'
            cand authorize-url 'Build the authorization URL exactly as `login` will, with PKCE and state'
            cand doctor 'Check a provider''s setup without logging in: discovery, TLS, clock, client, redirect URI, and the authorization request itself'
            cand decode 'Decode a JWT (header, claims, times in words) and optionally verify it'
            cand mock 'Run a local authorization server that behaves like a provider, with fault injection'
            cand generate-assets 'Write shell completions and man pages (for maintainers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;help;discover'= {
        }
        &'oauthctl;help;providers'= {
        }
        &'oauthctl;help;authorize-url'= {
        }
        &'oauthctl;help;doctor'= {
        }
        &'oauthctl;help;decode'= {
        }
        &'oauthctl;help;mock'= {
        }
        &'oauthctl;help;generate-assets'= {
        }
        &'oauthctl;help;help'= {
        }
    ]
    $completions[$command]
}
