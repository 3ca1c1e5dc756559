"""Shared helpers for oauthctl's benchmark scripts. Timing and peak memory come from
examples/bench_exec.rs (a small Rust runner: a child's peak RSS includes its parent's
memory at fork time, so the parent must be small)."""

import json
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def release_binary():
    """Builds oauthctl and the runner in release mode; returns oauthctl's path."""
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "oauthctl", "--example", "bench_exec"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "oauthctl")


RUNNER = os.path.join(ROOT, "target", "release", "examples", "bench_exec")


def measure(argv, runs, stdin_bytes=None, env=None):
    """Runs argv `runs` times; returns (median_ms, p90_ms, peak_rss_kib)."""
    opts = []
    tmp = None
    if stdin_bytes is not None:
        tmp = tempfile.NamedTemporaryFile(delete=False)
        tmp.write(stdin_bytes)
        tmp.close()
        opts += ["--stdin", tmp.name]
    for k, v in (env or {}).items():
        opts += ["--env", f"{k}={v}"]
    try:
        out = subprocess.run([RUNNER, str(runs), *opts, "--", *argv], check=True, capture_output=True, text=True).stdout
    finally:
        if tmp:
            os.unlink(tmp.name)
    r = json.loads(out)
    return r["median_ms"], r["p90_ms"], r["peak_rss_kib"]


def row(label, figures):
    med, p90, rss = figures
    print(f"{label:<44} median {med:7.2f} ms   p90 {p90:7.2f} ms   peak RSS {rss / 1024:6.1f} MB")


def which(name):
    return shutil.which(name)
