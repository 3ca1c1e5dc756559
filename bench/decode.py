#!/usr/bin/env python3
"""Benchmark of `oauthctl decode`: a typical token and a 1 MB token, next to `true` (the
floor) and jwt-cli's `jwt decode` when it is installed (`cargo install jwt-cli`).

Usage: python3 bench/decode.py [RUNS]"""

import base64
import hashlib
import hmac
import json
import sys
import time

from runner import measure, release_binary, row, which


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def token(pad=0):
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    claims = {
        "iss": "https://auth.example.com",
        "sub": "248289761001",
        "aud": ["api://default", "https://api.example.com"],
        "scope": "openid profile email offline_access",
        "iat": now,
        "exp": now + 3600,
        "auth_time": now - 30,
        "email": "jane@example.com",
        "groups": ["dev", "ops"],
    }
    if pad:
        claims["pad"] = "x" * pad
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    sig = hmac.new(b"secret", signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(sig)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    bin_ = release_binary()
    typical = token()
    big = token(pad=1024 * 1024)
    print(f"oauthctl decode, {runs} runs each; typical token {len(typical)} bytes, large token {len(big)} bytes")
    row("true (floor)", measure(["true"], runs))
    row("oauthctl decode TOKEN (typical)", measure([bin_, "decode", typical], runs))
    row("oauthctl decode - < 1 MB token", measure([bin_, "decode", "-"], max(10, runs // 4), stdin_bytes=big.encode()))
    jwt = which("jwt")
    if jwt:
        row("jwt decode TOKEN (typical, jwt-cli)", measure([jwt, "decode", typical], runs))
        row("jwt decode - < 1 MB token (jwt-cli)", measure([jwt, "decode", "-"], max(10, runs // 4), stdin_bytes=big.encode()))
    else:
        print("jwt-cli is not installed (cargo install jwt-cli): no peer figures")


if __name__ == "__main__":
    main()
