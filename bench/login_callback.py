#!/usr/bin/env python3
"""Benchmark of `oauthctl login`: the time from the redirect leaving the (scripted)
browser for the loopback listener to the login process having exited — token exchange,
user info, storing the session, the browser's final page and process exit — against a
local `oauthctl mock -p hub --auto-approve`. Target: under 50 ms.

The browser is examples/fake_browser.rs (through --browser); it logs the wall-clock time
at which it sends the redirect to the listener, and this script takes the time at which
wait() returns.

Usage: python3 bench/login_callback.py [RUNS]
With the keyring too (Linux; a throw-away gnome-keyring, not yours):
  XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c \
    'printf pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; python3 bench/login_callback.py'"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from runner import ROOT, release_binary


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_mock(bin_, home, port):
    config = os.path.join(home, "mock.toml")
    mock = subprocess.Popen(
        [bin_, "-q", "mock", "-p", "hub", "--port", "0", "--auto-approve",
         "--redirect-uri", f"http://127.0.0.1:{port}/callback", "--write-config", config],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        if os.path.exists(config) and "client_id" in open(config).read():
            return mock, config
        time.sleep(0.01)
    mock.kill()
    sys.exit("oauthctl mock did not write its config")


def one_login(bin_, browser, home, config, store, extra_env):
    log = os.path.join(home, "browser.log")
    if os.path.exists(log):
        os.unlink(log)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "XDG_RUNTIME_DIR": os.path.join(home, "run"),
        "FAKE_BROWSER_LOG": log,
        **extra_env,
    }
    started = time.time_ns()
    p = subprocess.Popen([bin_, "--config", config, "--store", store, "login", "-p", "hub", "--browser", browser],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = p.communicate()
    exited = time.time_ns()
    if p.returncode != 0:
        sys.exit(f"login failed ({p.returncode}): {err.decode()}")
    callback = next((int(l.split()[1]) for l in open(log) if l.startswith("CALLBACK ")), None)
    if callback is None:
        sys.exit("the fake browser logged no CALLBACK line")
    return (exited - callback) / 1e6, (exited - started) / 1e6


def report(label, samples):
    cb = sorted(s[0] for s in samples)
    total = sorted(s[1] for s in samples)
    p90 = cb[min(len(cb) - 1, int(len(cb) * 0.9))]
    print(f"{label:<34} callback→exit median {statistics.median(cb):6.2f} ms  p90 {p90:6.2f} ms  max {cb[-1]:6.2f} ms"
          f"   (whole login median {statistics.median(total):6.1f} ms)")
    return statistics.median(cb)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    bin_ = release_binary()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "fake_browser"], cwd=ROOT, check=True)
    browser = os.path.join(ROOT, "target", "release", "examples", "fake_browser")
    stores = [("file", {})]
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        stores.append(("keyring", {"DBUS_SESSION_BUS_ADDRESS": os.environ["DBUS_SESSION_BUS_ADDRESS"]}))
    else:
        print("(no D-Bus session: the keyring row is skipped; see the usage line to include it)")
    print(f"oauthctl login against oauthctl mock -p hub, {runs} runs per store; target: callback→exit under 50 ms")
    worst = 0.0
    with tempfile.TemporaryDirectory() as home:
        os.makedirs(os.path.join(home, "run"), mode=0o700)
        port = free_port()
        mock, config = start_mock(bin_, home, port)
        try:
            for store, extra in stores:
                one_login(bin_, browser, home, config, store, extra)  # warm-up
                samples = [one_login(bin_, browser, home, config, store, extra) for _ in range(runs)]
                worst = max(worst, report(f"--store {store}", samples))
        finally:
            mock.kill()
            mock.wait()
    print("target met" if worst < 50 else "TARGET MISSED")


if __name__ == "__main__":
    main()
