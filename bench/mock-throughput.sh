#!/usr/bin/env bash
# Benchmark of `oauthctl mock`: start-to-ready time and token-endpoint throughput on
# loopback (release build). Prints figures; asserts nothing. Target: the mock answers
# within 100 ms of start and serves >= 1,000 token requests/s with opaque tokens.
#
# Usage: bench/mock-throughput.sh [REQUESTS] [CONNECTIONS] [STARTS]
# Traffic goes only to 127.0.0.1, and the request count is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin oauthctl --example mock_throughput
echo "machine: $(nproc) cores"
exec target/release/examples/mock_throughput target/release/oauthctl "${1:-20000}" "${2:-4}" "${3:-20}"
