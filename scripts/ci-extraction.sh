#!/usr/bin/env bash
# Saved HTML pages: scores broadsheet's story extraction on the
# article-extraction benchmark (../shared/corpus/article-extraction: 181 news
# pages, their true story text and the benchmark's own scorer), builds the
# pages as a site, and fails when F1 drops below MIN_F1.
#
#   scripts/ci-extraction.sh            (BROADSHEET_BIN, MIN_F1 and CORPUS may be set)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${CORPUS:-../shared/corpus/article-extraction}"
min_f1="${MIN_F1:-0.958}"
if [ ! -d "$corpus/html" ]; then
    echo "ci-extraction: $corpus not found, skipped"
    exit 0
fi
bin="${BROADSHEET_BIN:-target/release/broadsheet}"
[ -x "$bin" ] || cargo build --release
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/site/content/pages"
cp "$corpus"/html/*.html.gz "$work/site/content/pages/"
cat >"$work/site/site.toml" <<'EOF'
title = "Extraction benchmark"
base_url = "https://example.org"
[content]
undated = "include"
EOF

"$bin" check --root "$work/site" --ingest --format json --text >"$work/ingest.json" || true
python3 scripts/ci_extraction.py "$corpus" "$work/ingest.json" "$work" "$min_f1"

echo "build of the $(ls "$work/site/content/pages" | wc -l) pages:"
/usr/bin/time -f "wall %e s, peak %M KB" "$bin" build --root "$work/site" \
    --output-dir "$work/public" --no-cache
