#!/usr/bin/env bash
# Search in a real headless browser (Debian's chromium driven by
# playwright-core): builds a generated 20,000-article archive, serves the
# output as a static host would (python3 http.server), and runs
# scripts/search-e2e.mjs against it: headline queries, a phrase, a prefix,
# each filter, no results, newest first, no JavaScript, axe-core, and the
# bytes each query fetched (raw and gzip). Set SEARCH_N for another size.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/serve-lib.sh"

PLAYWRIGHT_VERSION=1.65.1
AXE_VERSION=4.11.1
N="${SEARCH_N:-20000}"
NODE_DIR="${BROADSHEET_NODE_DIR:-${TMPDIR:-/tmp}/broadsheet-ci-node}"

apt_install chromium
need_npm() {
    [ -f "$NODE_DIR/node_modules/$1/package.json" ] &&
        grep -q "\"version\": \"$2\"" "$NODE_DIR/node_modules/$1/package.json"
}
if ! need_npm playwright-core "$PLAYWRIGHT_VERSION" || ! need_npm axe-core "$AXE_VERSION"; then
    mkdir -p "$NODE_DIR"
    npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" \
        "playwright-core@$PLAYWRIGHT_VERSION" "axe-core@$AXE_VERSION" >/dev/null
fi

WORK="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"
HTTP_PID=""
stop_http() { [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null; wait "$HTTP_PID" 2>/dev/null || true; }
trap 'stop_http; rm -rf "$WORK"' EXIT

bin="$(broadsheet_bin)"
python3 "$REPO/../shared/bench/gen_corpus.py" --n "$N" --format md --out "$WORK/site" >/dev/null
"$bin" build --root "$WORK/site" --output-dir "$WORK/public" --no-cache
echo "index: $(find "$WORK/public/search" -type f | wc -l) files, $(du -sh "$WORK/public/search" | cut -f1)"

# A static host on a free port.
python3 -c '
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
handler.log_message = lambda *a: None
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(f"http://127.0.0.1:{server.server_port}/", flush=True)
server.serve_forever()
' "$WORK/public" >"$WORK/http.log" 2>&1 &
HTTP_PID=$!
for _ in $(seq 1 100); do
    URL="$(head -1 "$WORK/http.log" 2>/dev/null || true)"
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { echo "the static server did not start" >&2; exit 1; }

PLAYWRIGHT_CORE="$NODE_DIR/node_modules/playwright-core/index.mjs" \
AXE_JS="$NODE_DIR/node_modules/axe-core/axe.min.js" \
    node "$REPO/scripts/search-e2e.mjs" "$URL" "$WORK/public"
echo "search check passed"
