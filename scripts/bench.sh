#!/usr/bin/env bash
# Build benchmark: for each N (default 10000), generates N articles with
# ../shared/bench/gen_corpus.py --format md under /dev/shm (or $BENCH_DIR) and
# times a clean release build, then a rebuild with nothing changed and one
# after a single edited article. Prints wall and CPU time, articles per second
# and peak memory (GNU time). Installs GNU time if missing.
#   scripts/bench.sh [N ...]
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
gen="$repo/../shared/bench/gen_corpus.py"
base="${BENCH_DIR:-/dev/shm}/broadsheet-bench"
[ $# -gt 0 ] || set -- 10000
if [ ! -x /usr/bin/time ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
fi
cargo build --release -q
bin="$repo/target/release/broadsheet"

measure() { # label site args...
    local label=$1 site=$2; shift 2
    local t; t=$(mktemp)
    /usr/bin/time -f '%e %U %S %M' -o "$t" "$bin" build --root "$site" --output-dir "$site/public" "$@" >/dev/null 2>&1
    read -r wall user sys rss < "$t"; rm -f "$t"
    awk -v l="$label" -v n="$N" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
        'BEGIN { printf "%-22s %8d %9.2f %9.2f %12.0f %10.1f\n", l, n, w, u + s, (w > 0 ? n / w : 0), r / 1024 }'
}

printf '%-22s %8s %9s %9s %12s %10s\n' build articles "wall s" "cpu s" "articles/s" "peak MiB"
for N in "$@"; do
    site="$base/site-$N"
    rm -rf "$site"
    python3 "$gen" --n "$N" --format md --out "$site" >/dev/null
    measure "clean" "$site" --no-cache
    rm -rf "$site/public" "$site/.broadsheet-cache"
    measure "clean (fills cache)" "$site"
    measure "nothing changed" "$site"
    first=$(find "$site/content" -name '*.md' -print -quit)
    printf '\nEdited for the benchmark.\n' >> "$first"
    measure "one article edited" "$site"
    rm -rf "$site"
done
