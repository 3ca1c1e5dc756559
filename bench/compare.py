#!/usr/bin/env python3
"""Side-by-side benchmark (issue 19): whole-process wall time of oauthctl against its floor
and its peers, every command measured in ONE run, round-robin (one run of each command per
round, in a new shuffled order every round), so a change of load weighs on all of them alike
and no command always runs right after the same one (gh, the heaviest, slows the next).

Rows: `oauthctl token -p hub` from the file store, from the keyring with the kernel-keyring
cache and without it (`--no-cache` / OAUTHCTL_KEYRING_CACHE=0; when this build has no
cache, both keyring rows measure the same thing), `true` (the floor), `gh auth token`
(Debian's gh, logged in with a dummy token in a throw-away GH_CONFIG_DIR), `oauthctl
decode JWT` and `jwt decode JWT` (jwt-cli), `oauthctl --version` and `jwt --version`.
Then the medians' ratios the issue names, with its targets, and the stripped release
binaries' sizes.

The sessions come from a real login against `oauthctl mock -p hub` (scripted browser);
the keyring is a throw-away gnome-keyring on a private D-Bus session (e2e/with-keyring.sh
--serve). Only the cached path is measured: no request reaches the mock.

Missing peers are installed when possible: jwt-cli with `cargo install --locked
jwt-cli --version JWT_CLI_VERSION`, gh with apt-get (as root). A peer that cannot be had
is reported and its rows skipped.

Usage: python3 bench/compare.py [RUNS]      (default 200 runs of each, after 20 warm-up rounds)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from decode import token as typical_jwt
from runner import ROOT, RUNNER, which

JWT_CLI_VERSION = "6.2.0"
WARMUP = 20

# (numerator, denominator, target or None): ratios of medians, as the issue names them.
RATIOS = [
    ("token keyring (cache)", "token file", 1.3),
    ("token keyring (no cache)", "token file", None),
    ("token file", "true", 2.2),
    ("token file", "gh auth token", 0.06),
    ("oauthctl decode", "jwt decode", 1.0),
    ("oauthctl --version", "jwt --version", 1.0),
]
SIZE_TARGET_MB = 10.0


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "oauthctl",
                    "--example", "bench_exec", "--example", "fake_browser"], cwd=ROOT, check=True)
    rel = os.path.join(ROOT, "target", "release")
    return os.path.join(rel, "oauthctl"), os.path.join(rel, "examples", "fake_browser")


def jwt_cli():
    jwt = which("jwt")
    if jwt:
        return jwt
    print(f"jwt-cli is missing: cargo install --locked jwt-cli --version {JWT_CLI_VERSION}", file=sys.stderr)
    r = subprocess.run(["cargo", "install", "--quiet", "--locked", "jwt-cli", "--version", JWT_CLI_VERSION])
    cargo_bin = os.path.join(os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo")), "bin", "jwt")
    return cargo_bin if r.returncode == 0 and os.path.exists(cargo_bin) else None


def gh_cli():
    gh = which("gh")
    if gh or not (which("apt-get") and os.geteuid() == 0):
        return gh
    print("gh is missing: apt-get install -y gh", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "gh"], stdout=subprocess.DEVNULL)
    return which("gh")


def home_env(home):
    for d in ("config", "data", "cache"):
        os.makedirs(os.path.join(home, d), exist_ok=True)
    os.makedirs(os.path.join(home, "run"), mode=0o700, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "XDG_RUNTIME_DIR": os.path.join(home, "run"),
    }


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_mock(bin_, tmp):
    config = os.path.join(tmp, "mock.toml")
    port = free_port()
    mock = subprocess.Popen(
        [bin_, "-q", "mock", "-p", "hub", "--port", "0", "--auto-approve",
         "--redirect-uri", f"http://127.0.0.1:{port}/callback", "--write-config", config],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1000):
        if os.path.exists(config) and "client_id" in open(config).read():
            return mock, config
        time.sleep(0.01)
    mock.kill()
    sys.exit("oauthctl mock did not write its config")


def logged_in(bin_, browser, config, env, store):
    """Logs in (real login against the mock); returns the env `token -p hub` runs with."""
    env = {**env, "OAUTHCTL_CONFIG": config, "OAUTHCTL_STORE": store}
    r = subprocess.run([bin_, "login", "-p", "hub", "--browser", browser], env=env, capture_output=True, text=True)
    t = subprocess.run([bin_, "token", "-p", "hub"], env=env, capture_output=True, text=True)
    if r.returncode != 0 or t.returncode != 0 or not t.stdout.strip():
        sys.exit(f"login/token with --store {store} failed: {r.stderr}{t.stderr}")
    return env


def start_keyring(tmp):
    """A throw-away gnome-keyring on a private bus; returns (process, bus address) or None."""
    if not (which("dbus-run-session") and which("gnome-keyring-daemon")):
        print("no dbus-run-session/gnome-keyring (scripts/e2e-setup.sh installs them): keyring rows skipped")
        return None
    env = {**os.environ, **home_env(os.path.join(tmp, "keyring-home"))}
    serve = subprocess.Popen([os.path.join(ROOT, "e2e", "with-keyring.sh"), "--serve"], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = serve.stdout.readline().strip()
    if not line.startswith("DBUS_SESSION_BUS_ADDRESS="):
        serve.kill()
        sys.exit("e2e/with-keyring.sh --serve did not start a keyring")
    return serve, line.split("=", 1)[1]


def no_cache_argv(bin_):
    """`token -p hub` without the kernel-keyring cache (issue 19 part 1): `--no-cache` where
    this build's help shows it (a global option or one of `token`), else None (no cache in
    this build; OAUTHCTL_KEYRING_CACHE=0 is set all the same)."""
    def knows(*args):
        return "--no-cache" in subprocess.run([bin_, *args], capture_output=True, text=True).stdout
    if knows("--help"):
        return [bin_, "--no-cache", "token", "-p", "hub"]
    if knows("token", "--help"):
        return [bin_, "token", "--no-cache", "-p", "hub"]
    return None


def size_mb(path):
    return os.path.getsize(path) / 1e6


def stripped_size_mb(path, tmp):
    """Size after `strip` (the release profile strips already; this makes sure)."""
    if not which("strip"):
        return size_mb(path)
    out = os.path.join(tmp, "stripped-" + os.path.basename(path))
    subprocess.run(["strip", "-o", out, path], check=True)
    return size_mb(out)


def commands(bin_, browser, tmp, keyring_bus, jwt, gh):
    mock, config = start_mock(bin_, tmp)
    rows = [("true", ["true"], {})]
    try:
        file_env = logged_in(bin_, browser, config, home_env(os.path.join(tmp, "file-home")), "file")
        rows.append(("token file", [bin_, "token", "-p", "hub"], file_env))
        if keyring_bus:
            base = {**home_env(os.path.join(tmp, "keyring-user")), "DBUS_SESSION_BUS_ADDRESS": keyring_bus}
            kr_env = logged_in(bin_, browser, config, base, "keyring")
            rows.append(("token keyring (cache)", [bin_, "token", "-p", "hub"], kr_env))
            argv = no_cache_argv(bin_)
            if argv is None:
                print("note: this build has no keyring cache (no --no-cache): both keyring rows measure the same path")
            rows.append(("token keyring (no cache)", argv or [bin_, "token", "-p", "hub"],
                         {**kr_env, "OAUTHCTL_KEYRING_CACHE": "0"}))
    finally:
        mock.kill()
        mock.wait()
    if gh:
        gh_dir = os.path.join(tmp, "gh")
        os.makedirs(gh_dir)
        with open(os.path.join(gh_dir, "hosts.yml"), "w") as f:
            f.write("github.com:\n    oauth_token: gho_dummy0000000000000000000000000000\n"
                    "    user: bench\n    git_protocol: https\n")
        gh_env = {**home_env(os.path.join(tmp, "gh-home")), "GH_CONFIG_DIR": gh_dir, "GH_NO_UPDATE_NOTIFIER": "1"}
        if subprocess.run([gh, "auth", "token"], env=gh_env, capture_output=True).returncode == 0:
            rows.append(("gh auth token", [gh, "auth", "token"], gh_env))
        else:
            print("gh auth token fails with the dummy login: row skipped")
    plain = home_env(os.path.join(tmp, "plain-home"))
    jws = typical_jwt()
    rows.append(("oauthctl decode", [bin_, "decode", jws], plain))
    rows.append(("oauthctl --version", [bin_, "--version"], plain))
    if jwt:
        rows.append(("jwt decode", [jwt, "decode", jws], plain))
        rows.append(("jwt --version", [jwt, "--version"], plain))
    return rows


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    bin_, browser = build()
    jwt, gh = jwt_cli(), gh_cli()
    with tempfile.TemporaryDirectory() as tmp:
        keyring = start_keyring(tmp)
        try:
            rows = commands(bin_, browser, tmp, keyring[1] if keyring else None, jwt, gh)
            spec = {"runs": runs, "warmup": WARMUP,
                    "commands": [{"label": l, "argv": a, "env": e} for l, a, e in rows]}
            spec_file = os.path.join(tmp, "spec.json")
            with open(spec_file, "w") as f:
                json.dump(spec, f)
            print(f"{len(rows)} commands, round-robin, {WARMUP} warm-up rounds then {runs} measured runs each "
                  f"(load average {os.getloadavg()[0]:.2f} at start)")
            out = subprocess.run([RUNNER, "--spec", spec_file], check=True, capture_output=True, text=True).stdout
        finally:
            if keyring:
                keyring[0].stdin.close()
                keyring[0].wait()
        results = {r["label"]: r for r in json.loads(out)}
        print(f"(load average {os.getloadavg()[0]:.2f} at the end: above ~0.5, something else ran beside it)")
        print(f"\n{'command':<28}{'median':>10}{'p90':>10}{'peak RSS':>11}")
        for label, _, _ in rows:
            r = results[label]
            print(f"{label:<28}{r['median_ms']:>7.2f} ms{r['p90_ms']:>7.2f} ms{r['peak_rss_kib'] / 1024:>8.1f} MB")
        print(f"\n{'ratio of medians':<52}{'value':>8}  target")
        for num, den, target in RATIOS:
            if num in results and den in results:
                v = results[num]["median_ms"] / results[den]["median_ms"]
                verdict = "" if target is None else f"<= {target}  {'ok' if v <= target else 'MISSED'}"
                print(f"{num + ' / ' + den:<52}{v:>8.3f}  {verdict}")
        print("\nstripped release binaries")
        size = stripped_size_mb(bin_, tmp)
        print(f"{'oauthctl':<28}{size:>7.2f} MB   target <= {SIZE_TARGET_MB} MB  {'ok' if size <= SIZE_TARGET_MB else 'MISSED'}")
        if jwt:
            print(f"{'jwt (jwt-cli)':<28}{stripped_size_mb(jwt, tmp):>7.2f} MB")


if __name__ == "__main__":
    main()
