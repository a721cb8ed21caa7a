#!/usr/bin/env bash
# Fuzz the ingest parsers: runs each cargo-fuzz target (decode, textdate, wire, pelican)
# for SECONDS (default 60) and stops at the first crash, which cargo-fuzz leaves under
# fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh 300            # five minutes per target
#   scripts/fuzz.sh 60 wire        # one target
#
# cargo-fuzz needs nightly-only compiler flags (-Zsanitizer). With a nightly toolchain
# installed it is used; otherwise the stable compiler runs with RUSTC_BOOTSTRAP=1, which
# unlocks those flags on stable.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode textdate wire pelican)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=(+nightly)
    echo "fuzz.sh: using the nightly toolchain"
else
    export RUSTC_BOOTSTRAP=1
    echo "fuzz.sh: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
fi

# Seed inputs: a few shapes of wire copy and headers, plus the shared seed when present.
seed() {
    local dir="fuzz/corpus/$1"
    mkdir -p "$dir"
    printf 'Headline\n\n2nd February 2013, Comments 0 comments\n\nMOSCOW (AFP) - Text.\n\n\xc2\xa9 2013 AFP\n\n0 Comments To This Article' >"$dir/seed-wire"
    printf 'Headline\r\nBy Jane Smith and Ali Khan\r\nUpdated: 02/03/2013 12:34 GMT\r\n\r\nBody \xe2\x80\x99 caf\xe9\r\n-- Comments --\r\nx' >"$dir/seed-crlf"
    printf 'Title: T\nDate: 2013-02-02\nTags: a, b\n  c\n\nBody\n' >"$dir/seed-pelican"
    printf '\xff\xfeH\x00i\x00\n\x00' >"$dir/seed-utf16"
    if [ -f ../shared/seed/afp-2013-02-02-lavrov.txt ]; then
        cp ../shared/seed/afp-2013-02-02-lavrov.txt "$dir/seed-lavrov"
    fi
}

for target in "${targets[@]}"; do
    seed "$target"
    echo "fuzz.sh: $target for ${seconds}s"
    cargo "${toolchain[@]}" fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -dict=fuzz/dict/ingest.dict -max_len=4096 -print_final_stats=1
done
echo "fuzz.sh: no crashes in ${#targets[@]} target(s), ${seconds}s each"
