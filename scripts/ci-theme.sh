#!/usr/bin/env bash
# The default theme in Debian's chromium (driven by playwright-core, never a
# downloaded browser): builds the repository's own archive as if on 8 August
# (so home links to an "on this day" page), serves it, and runs axe-core on
# one page of every kind, light and dark, with axe's default rules and with
# every WCAG 2.0/2.1 A, AA and AAA rule: any violation fails. Then takes
# screenshots of home, an article, a section front, a month and an "on this
# day" page at desktop and 390 px width into a temporary folder (printed;
# SHOTS_DIR keeps them elsewhere, e.g. docs/ to refresh the README's).
#
# Environment: BROADSHEET_BIN (default: a release build), SHOTS_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/serve-lib.sh"

PLAYWRIGHT_VERSION=1.65.1
AXE_VERSION=4.11.1
NODE_DIR="${BROADSHEET_NODE_DIR:-${TMPDIR:-/tmp}/broadsheet-ci-node}"

apt_install chromium
have() { grep -q "\"version\": \"$2\"" "$NODE_DIR/node_modules/$1/package.json" 2>/dev/null; }
if ! have playwright-core "$PLAYWRIGHT_VERSION" || ! have axe-core "$AXE_VERSION"; then
    mkdir -p "$NODE_DIR"
    npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" \
        "playwright-core@$PLAYWRIGHT_VERSION" "axe-core@$AXE_VERSION" >/dev/null
fi

if [ -n "${BROADSHEET_BIN:-}" ]; then
    BIN="$BROADSHEET_BIN"
else
    (cd "$REPO" && cargo build --quiet --release --bin broadsheet)
    BIN="$REPO/target/release/broadsheet"
fi

WORK="$(mktemp -d)"
SHOTS="${SHOTS_DIR:-$WORK/screenshots}"
SERVER_PID=""
finish() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    # Screenshots outlive the run when they are in the temporary folder.
    find "$WORK" -mindepth 1 -maxdepth 1 ! -name screenshots -exec rm -rf {} +
}
trap finish EXIT

OUT="$WORK/public"
"$BIN" build --root "$REPO" --output-dir "$OUT" --no-cache --now 2026-08-08T12:00:00+01:00 >/dev/null

# Any free port: python's server on port 0 prints the one it took.
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$OUT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
    PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "${PORT:-}" ] || { echo "ci-theme: the static server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }

# One page of each kind, found in the output (the first of its kind).
first() { (cd "$OUT" && find . -path "$1" -name index.html | sort | head -1 | sed 's|^\.||; s|index\.html$||'); }
pages=(
    "home=/"
    "home-numbered=/page/1/"
    "article=/2024/08/08/storm-damage/"
    "section=$(first './sections/*/index.html' | grep -v '^/sections/$' || true)"
    "tag=$(first './tags/*/index.html')"
    "author=$(first './authors/*/index.html')"
    "source=$(first './sources/*/index.html')"
    "tags=/tags/"
    "year=$(first './20[0-9][0-9]/index.html')"
    "month=/2024/08/"
    "day=/2024/08/08/"
    "on-this-day=/on-this-day/08-08/"
    "archive=/archive/"
    "search=$( [ -f "$OUT/search/index.html" ] && echo /search/ )"
    "not-found=/404.html"
)
args=()
for p in "${pages[@]}"; do
    [ -n "${p#*=}" ] && args+=("$p")
done

PLAYWRIGHT_CORE="$NODE_DIR/node_modules/playwright-core/index.mjs" \
AXE="$NODE_DIR/node_modules/axe-core/axe.min.js" \
    node "$REPO/scripts/theme-check.mjs" "http://127.0.0.1:$PORT/" "$SHOTS" "${args[@]}"
echo "screenshots in $SHOTS"
