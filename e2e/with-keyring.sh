#!/usr/bin/env bash
# Runs a command against a REAL Secret Service: a private D-Bus session bus
# (dbus-run-session) with gnome-keyring-daemon's secrets component, its `login` keyring
# unlocked non-interactively with a non-empty password.
#
# Usage: e2e/with-keyring.sh CMD [ARGS...]   run CMD in the session; its exit status is ours
#        e2e/with-keyring.sh --serve         print `DBUS_SESSION_BUS_ADDRESS=…` on stdout, then
#                                            keep the session until stdin reaches end of file
#                                            (the Rust harness uses this to share one keyring
#                                            between several oauthctl commands)
# Environment:
#   E2E_KEYRING_PASSWORD  keyring password (default: test-password; must not be empty)
#   E2E_KEYRING_LOG       file for the bus's and the daemon's own messages (default: discarded)
#   HOME / XDG_DATA_HOME  where the keyring file lives ($XDG_DATA_HOME/keyrings/login.keyring),
#                         so secrets survive from one session to the next with the same home
# Before CMD runs, the script checks on the bus that org.freedesktop.secrets answers, that the
# `default` alias names the login collection and that it is unlocked; it fails (status 125)
# with a message otherwise.
set -euo pipefail

die() { printf 'with-keyring.sh: error: %s\n' "$*" >&3; exit 125; }

if [ -z "${__OAUTHCTL_E2E_KEYRING_INNER:-}" ]; then
  exec 3>&2
  [ "$#" -gt 0 ] || die "usage: e2e/with-keyring.sh CMD [ARGS...] | --serve"
  for tool in dbus-run-session dbus-daemon dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/e2e-setup.sh"
  done
  export __OAUTHCTL_E2E_KEYRING_INNER=1
  # dbus-daemon complains on stderr (fd limits in containers); keep CMD's stderr clean: the
  # session's stderr goes to the log, and the inner script restores CMD's from fd 3.
  exec dbus-run-session -- "$0" "$@" 2>>"${E2E_KEYRING_LOG:-/dev/null}"
fi
unset __OAUTHCTL_E2E_KEYRING_INNER

password="${E2E_KEYRING_PASSWORD-test-password}"
[ -n "$password" ] || die "E2E_KEYRING_PASSWORD is empty; gnome-keyring needs a non-empty password to unlock non-interactively"
[ -n "${HOME:-}" ] || die "HOME is not set: the keyring file lives under it"
if [ -n "${XDG_RUNTIME_DIR:-}" ]; then
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi

# --unlock reads the password on stdin, creates the login keyring with it when there is
# none yet, unlocks it, and daemonizes; it prints variables to export (maybe none).
daemon_env="$(printf '%s' "$password" | gnome-keyring-daemon --unlock --components=secrets)" \
  || die "gnome-keyring-daemon --unlock failed (see E2E_KEYRING_LOG)"
while IFS='=' read -r name value; do
  case "$name" in
    GNOME_KEYRING_CONTROL|SSH_AUTH_SOCK|GNOME_KEYRING_PID) export "$name=$value" ;;
  esac
done <<<"$daemon_env"

call() {
  dbus-send --session --print-reply --reply-timeout=2000 --dest=org.freedesktop.secrets "$@" 2>/dev/null
}
ready=""
for _ in $(seq 1 50); do
  if call /org/freedesktop/secrets org.freedesktop.DBus.Properties.Get \
      string:org.freedesktop.Secret.Service string:Collections >/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
[ -n "$ready" ] || die "org.freedesktop.secrets does not answer on the session bus"
alias_path="$(call /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default \
  | sed -n 's/.*object path "\(.*\)".*/\1/p')"
[ "$alias_path" = /org/freedesktop/secrets/collection/login ] \
  || die "the default keyring is '${alias_path:-none}', not the login keyring"
locked="$(call "$alias_path" org.freedesktop.DBus.Properties.Get \
  string:org.freedesktop.Secret.Collection string:Locked | sed -n 's/.*boolean \(.*\)$/\1/p')"
[ "$locked" = false ] || die "the login keyring is still locked (Locked=${locked:-?})"

exec 2>&3 3>&-
if [ "$1" = --serve ]; then
  printf 'DBUS_SESSION_BUS_ADDRESS=%s\n' "$DBUS_SESSION_BUS_ADDRESS"
  # Keep the session until whoever started us closes our stdin (or goes away).
  while read -r _; do :; done
  exit 0
fi
exec "$@"
