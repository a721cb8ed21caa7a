#!/usr/bin/env bash
# Load check of `broadsheet serve` on loopback: wrk with 200 connections for
# 10 s on the served home page; fails on any socket error or non-2xx answer.
# Installs wrk from Debian when missing. Prints wrk's figures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/serve-lib.sh"

CONNECTIONS="${LOAD_CONNECTIONS:-200}"
DURATION="${LOAD_DURATION:-10s}"

apt_install wrk curl
# 200 connections on both ends need more than a small default of descriptors.
ulimit -n 4096 2>/dev/null || true

WORK="$(mktemp -d)"
trap cleanup EXIT
make_site "$WORK/site"
start_serve "$WORK/site"

# Every answer must be a 2xx: wrk itself only counts >= 400 as non-2xx/3xx,
# so the status of the page is checked once by hand as well.
status="$(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL")"
if [ "$status" != "200" ]; then
    echo "the home page answered $status, not 200" >&2
    exit 1
fi

wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency "$SERVE_URL" | tee "$WORK/wrk.txt"

problems=0
if grep -q "Socket errors" "$WORK/wrk.txt"; then
    echo "load check failed: socket errors" >&2
    problems=1
fi
if grep -q "Non-2xx or 3xx responses" "$WORK/wrk.txt"; then
    echo "load check failed: non-2xx answers" >&2
    problems=1
fi
if ! grep -q "Requests/sec" "$WORK/wrk.txt"; then
    echo "load check failed: wrk gave no figures" >&2
    problems=1
fi
stop_serve
[ "$problems" -eq 0 ] && echo "load check passed: $CONNECTIONS connections for $DURATION, no errors"
exit "$problems"
