#!/usr/bin/env bash
# CI for `broadsheet deploy`: installs moto (a local S3-compatible server) from PyPI,
# starts it on loopback, runs the deploy integration tests against it, and stops it.
# Usage: scripts/ci-deploy.sh [PORT]   (default 5055)
set -euo pipefail
cd "$(dirname "$0")/.."

port="${1:-5055}"
endpoint="http://127.0.0.1:${port}"

if ! command -v moto_server >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check 'moto[server]'
fi
# pip may put console scripts outside PATH (user installs).
PATH="$PATH:$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$HOME/.local/bin"

log="$(mktemp)"
moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
stop() {
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
    rm -f "$log"
}
trap stop EXIT

for _ in $(seq 1 100); do
    if python3 -c "import urllib.request; urllib.request.urlopen('${endpoint}/', timeout=1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$moto_pid" 2>/dev/null; then
        echo "moto_server exited:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.2
done

# moto accepts any credentials; the deploy reads them from the usual variables.
export BROADSHEET_TEST_S3_ENDPOINT="$endpoint"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
unset AWS_SESSION_TOKEN AWS_PROFILE
cargo test --test deploy_s3 -- --ignored --skip child_deploy_that_gets_killed
cargo test --test deploy_directory
