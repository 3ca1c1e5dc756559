#!/usr/bin/env python3
"""Wall time of the end-to-end suite (tests/e2e_real_provider.rs: real oidc-provider, real
Chromium, real keyring): the whole file as CI runs it (tests in parallel), then each test
alone; plus the no-op run of scripts/e2e-setup.sh. Builds the test binary first (not timed).

Usage: python3 bench/e2e.py [RUNS]      (default 3; prints median and max per line)"""

import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_test_binary():
    out = subprocess.run(
        ["cargo", "test", "--quiet", "--test", "e2e_real_provider", "--no-run", "--message-format=json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "e2e_real_provider" and msg.get("executable"):
            return msg["executable"]
    sys.exit("could not find the e2e_real_provider test binary")


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
        for line in subprocess.run([binary, "--list"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.splitlines()
        if line.endswith(": test")
    ]
    print(f"e2e suite: {len(names)} tests, {runs} runs each, {os.cpu_count()} CPUs")
    report("scripts/e2e-setup.sh (everything already installed)", [timed(["scripts/e2e-setup.sh"]) for _ in range(runs)])
    report("whole file (tests in parallel, as `cargo test` runs it)", [timed([binary]) for _ in range(runs)])
    for name in names:
        report(f"  {name}", [timed([binary, "--exact", name]) for _ in range(runs)])


if __name__ == "__main__":
    main()
