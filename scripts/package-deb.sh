#!/usr/bin/env bash
# Builds the Debian package target/debian/oauthctl_VERSION-1_ARCH.deb with cargo-deb
# (`[package.metadata.deb]` in Cargo.toml: the binary, the man pages of man/, the
# completions of completions/, the README and licences). Installs the pinned cargo-deb
# with `cargo install --locked` when it is missing or another version.
# Usage: scripts/package-deb.sh                (the release profile)
#        PACKAGE_DEB_PROFILE=deb-check scripts/package-deb.sh   (the tests' quick build)
# Prints the path of the package on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0
profile="${PACKAGE_DEB_PROFILE:-release}"

log() { printf '==> package-deb: %s\n' "$*" >&2; }

command -v cargo >/dev/null 2>&1 || { echo "package-deb: cargo is missing: install Rust with rustup (https://rustup.rs) first" >&2; exit 1; }

if [ "$(cargo deb --version 2>/dev/null | awk '{print $2}')" != "$CARGO_DEB_VERSION" ]; then
  log "cargo install --locked cargo-deb --version $CARGO_DEB_VERSION"
  cargo install --locked cargo-deb --version "$CARGO_DEB_VERSION" >&2
fi

# The generated man pages and completions are committed; tests/cli fails when they are
# stale (regenerate with `cargo run -- generate-assets`).
for f in man/oauthctl-login.1 completions/oauthctl.bash completions/_oauthctl completions/oauthctl.fish; do
  [ -f "$f" ] || { echo "package-deb: $f is missing: run cargo run -- generate-assets" >&2; exit 1; }
done

log "cargo deb --profile $profile"
out="$(cargo deb --profile "$profile" -- --locked)"
deb="$(printf '%s\n' "$out" | tail -n 1)"
[ -f "$deb" ] || { echo "package-deb: cargo deb did not say where the package is: $out" >&2; exit 1; }
printf '%s\n' "$deb"
