#!/usr/bin/env bash
# Installs what the end-to-end suite (tests/cli/e2e/) needs, only when it is missing, on a
# Debian machine with Node.js >= 20 and npm:
#   apt:  chromium (the real browser), gnome-keyring (the real Secret Service),
#         dbus-daemon (dbus-run-session, dbus-send), libsecret-tools (secret-tool, used
#         by the harness self-check), python3 and python3-venv (django-oauth-toolkit's
#         virtual environment); git, bash-completion and man-db (the git credential
#         helper and Debian package tests); kubernetes-client (Debian's kubectl, for the
#         exec credential plugin test: unpacked into e2e/kubernetes-client/ instead
#         when another package owns /usr/bin/kubectl)
#   cargo: cargo-deb, pinned in scripts/package-deb.sh, with `cargo install --locked`
#   npm:  e2e/package-lock.json (oidc-provider, playwright-core), with `npm ci`
#   pip:  e2e/dot/requirements.txt (django-oauth-toolkit and every dependency, pinned
#         with hashes) into the virtual environment e2e/dot/.venv, `--require-hashes`
# Idempotent: a second run changes nothing and takes well under a second.
# Usage: ./scripts/e2e-setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> e2e-setup: %s\n' "$*" >&2; }
die() { printf 'e2e-setup: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# --- Debian packages -----------------------------------------------------------
# package name -> a file it installs, to tell whether it is there.
declare -A PROBE=(
  [chromium]=/usr/bin/chromium
  [gnome-keyring]=/usr/bin/gnome-keyring-daemon
  [dbus-daemon]=/usr/bin/dbus-run-session
  [dbus-bin]=/usr/bin/dbus-send
  [libsecret-tools]=/usr/bin/secret-tool
  [python3]=/usr/bin/python3
  [git]=/usr/bin/git
  [bash-completion]=/usr/share/bash-completion/bash_completion
  [man-db]=/usr/bin/man
)
missing=()
for pkg in chromium gnome-keyring dbus-daemon dbus-bin libsecret-tools python3 git bash-completion man-db; do
  [ -e "${PROBE[$pkg]}" ] || missing+=("$pkg")
done
# python3-venv installs no program of its own (it brings ensurepip, which `python3 -m venv`
# needs): ask dpkg.
has_venv() { dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q 'install ok installed'; }
has_venv || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
  have apt-get || die "missing ${missing[*]} and there is no apt-get: install them by hand"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    have sudo || die "missing ${missing[*]}: run this script as root or install sudo"
    SUDO=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for pkg in "${missing[@]}"; do
    [ "$pkg" = python3-venv ] && { has_venv || die "apt-get did not install python3-venv"; continue; }
    [ -e "${PROBE[$pkg]}" ] || die "apt-get installed $pkg but ${PROBE[$pkg]} is still missing"
  done
fi

# --- Debian's kubectl --------------------------------------------------------
# kubernetes-client installs /usr/bin/kubectl. When another package owns that file (the
# Google Cloud SDK's kubectl), installing would overwrite it: unpack Debian's package
# into e2e/kubernetes-client/ instead, where the tests look next.
has_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
kube_dir=e2e/kubernetes-client
if ! has_pkg kubernetes-client && [ ! -x "$kube_dir/usr/bin/kubectl" ]; then
  have apt-get || die "missing kubernetes-client and there is no apt-get: install it by hand"
  SUDO=()
  [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  if [ -e /usr/bin/kubectl ] && dpkg -S /usr/bin/kubectl >/dev/null 2>&1; then
    log "unpacking Debian's kubernetes-client into $kube_dir (/usr/bin/kubectl belongs to $(dpkg -S /usr/bin/kubectl | cut -d: -f1))"
    tmp="$(mktemp -d)"
    (cd "$tmp" && apt-get download kubernetes-client >/dev/null 2>&1)
    rm -rf "$kube_dir" && mkdir -p "$kube_dir"
    dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$kube_dir"
    rm -rf "$tmp"
  else
    log "apt-get install kubernetes-client"
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
  fi
  has_pkg kubernetes-client || [ -x "$kube_dir/usr/bin/kubectl" ] || die "Debian's kubectl is still missing"
fi

# --- cargo-deb -----------------------------------------------------------------
CARGO_DEB_VERSION="$(sed -n 's/^CARGO_DEB_VERSION=//p' scripts/package-deb.sh)"
if [ "$(cargo deb --version 2>/dev/null | awk '{print $2}')" != "$CARGO_DEB_VERSION" ]; then
  log "cargo install --locked cargo-deb --version $CARGO_DEB_VERSION"
  cargo install --locked --quiet cargo-deb --version "$CARGO_DEB_VERSION" >&2
fi

# --- npm packages --------------------------------------------------------------
have node || die "node is missing: install Node.js 20 or newer (Debian: apt-get install nodejs npm)"
have npm || die "npm is missing: install it (Debian: apt-get install npm)"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || die "Node.js $(node --version) is too old: oidc-provider 9 needs 20 or newer"

# node_modules is stale when package-lock.json changed since the last `npm ci`.
stamp=e2e/node_modules/.oauthctl-e2e-lock.sha256
want="$(sha256sum e2e/package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] \
  || [ ! -d e2e/node_modules/oidc-provider ] || [ ! -d e2e/node_modules/playwright-core ]; then
  log "npm ci in e2e/"
  # playwright-core never downloads a browser; the variable guards against a future change.
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >&2
  printf '%s\n' "$want" >"$stamp"
fi

# --- PyPI packages -------------------------------------------------------------
# e2e/dot/.venv is stale when requirements.txt changed since the last install. The stamp
# is written last, so an interrupted install is redone from scratch on the next run.
venv=e2e/dot/.venv
stamp=$venv/.oauthctl-e2e-requirements.sha256
want="$(sha256sum e2e/dot/requirements.txt | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x "$venv/bin/python" ]; then
  log "python3 -m venv e2e/dot/.venv; pip install --require-hashes -r e2e/dot/requirements.txt"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet --no-input \
    --require-hashes --no-deps --only-binary=:all: -r e2e/dot/requirements.txt >&2
  printf '%s\n' "$want" >"$stamp"
fi

log "ready: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium ?'), node $(node --version), $(cd "$venv"/lib/python3*/site-packages && echo django_oauth_toolkit-*.dist-info | sed 's/_/-/g; s/-\([0-9.]*\)\.dist-info/ \1/')"
