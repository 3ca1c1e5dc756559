#!/usr/bin/env bash
# Runs every check and test of oauthctl; installs what the tests need when it is missing.
# Usage: ./scripts/test.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }

have() { command -v "$1" >/dev/null 2>&1; }

have cargo || { echo "cargo is missing: install Rust with rustup (https://rustup.rs) first" >&2; exit 1; }

# --- what the tests need: Chromium, gnome-keyring, D-Bus and python3-venv (apt),
# oidc-provider and playwright-core (npm, pinned in e2e/package-lock.json),
# django-oauth-toolkit (PyPI, pinned with hashes in e2e/dot/requirements.txt, in
# e2e/dot/.venv); installed only when missing.
log "e2e-setup (system, npm and PyPI packages for the end-to-end and keyring tests)"
./scripts/e2e-setup.sh

# --- static checks -------------------------------------------------------------
log "cargo fmt --check"
cargo fmt --all -- --check
log "architecture (scripts/arch-check.py: no import circles, commands independent and short)"
python3 scripts/arch-check.py
log "cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets -- -D warnings

# --- tests -----------------------------------------------------------------------
log "tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --locked --no-fail-fast
else
  cargo test --locked --no-fail-fast
fi
