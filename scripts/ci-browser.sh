#!/usr/bin/env bash
# End-to-end check of `broadsheet serve` in a real headless browser: Debian's
# chromium driven by playwright-core (never a downloaded browser). Installs
# what it needs; the npm install is kept in a cache directory outside the
# repository and reused.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/serve-lib.sh"

PLAYWRIGHT_VERSION=1.65.1
NODE_DIR="${BROADSHEET_NODE_DIR:-${TMPDIR:-/tmp}/broadsheet-ci-node}"

apt_install chromium
if [ ! -f "$NODE_DIR/node_modules/playwright-core/package.json" ] ||
    ! grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$NODE_DIR/node_modules/playwright-core/package.json"; then
    mkdir -p "$NODE_DIR"
    npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null
fi

WORK="$(mktemp -d)"
trap cleanup EXIT
make_site "$WORK/site"
start_serve "$WORK/site"

PLAYWRIGHT_CORE="$NODE_DIR/node_modules/playwright-core/index.mjs" \
    node "$REPO/scripts/browser-e2e.mjs" "$SERVE_URL" "$WORK/site/content/checks/2030-01-01-browser-check.md"

stop_serve
echo "browser check passed"
