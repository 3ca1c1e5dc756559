#!/usr/bin/env python3
"""Wall time of the end-to-end suite (tests/cli/e2e/real_provider.rs: real oidc-provider,
real Chromium, real keyring): the whole module as CI runs it (tests in parallel), then each test
alone; plus the no-op run of scripts/e2e-setup.sh. Builds the test binary first (not timed).

Usage: python3 bench/e2e.py [RUNS]      (default 3; prints median and max per line)"""

import json
import os
import statistics
import subprocess
import sys
import time

FILTER = "e2e::real_provider::"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_test_binary():
    out = subprocess.run(
        ["cargo", "test", "--quiet", "--test", "cli", "--no-run", "--message-format=json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "cli" and msg.get("executable"):
            return msg["executable"]
    sys.exit("could not find the cli test binary")


def timed(argv):
    start = time.monotonic()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def report(label, samples):
    print(f"{label:<62} median {statistics.median(samples):6.2f} s   max {max(samples):6.2f} s")


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    binary = build_test_binary()
    names = [
        line.split(": test")[0]
        for line in subprocess.run([binary, "--list", FILTER], cwd=ROOT, check=True, capture_output=True, text=True).stdout.splitlines()
        if line.endswith(": test")
    ]
    print(f"e2e suite: {len(names)} tests, {runs} runs each, {os.cpu_count()} CPUs")
    report("scripts/e2e-setup.sh (everything already installed)", [timed(["scripts/e2e-setup.sh"]) for _ in range(runs)])
    report("whole module (tests in parallel, as `cargo test` runs it)", [timed([binary, FILTER]) for _ in range(runs)])
    for name in names:
        report(f"  {name}", [timed([binary, "--exact", name]) for _ in range(runs)])


if __name__ == "__main__":
    main()
