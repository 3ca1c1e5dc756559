
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
        &'oauthctl;help;decode'= {
        }
        &'oauthctl;help;generate-assets'= {
        }
        &'oauthctl;help;help'= {
        }
    ]
    $completions[$command]
}
