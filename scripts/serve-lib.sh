# Shared by ci-browser.sh and load-check.sh: build the binary, make a small
# site in a temporary directory, start `broadsheet serve --port 0` on it, and
# stop it cleanly (Ctrl-C) at the end. Source it; do not run it.
#
# Set BROADSHEET_BIN to use a binary you built (e.g. target/release/broadsheet),
# and SITE_SOURCE to check another site than the repository's sample archive
# (a folder with site.toml and content/, e.g. one made by gen_corpus.py).

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVE_PID=""
SERVE_URL=""
SERVE_LOG=""
WORK=""

# Installs Debian packages that are missing (apt-get update only when needed).
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

broadsheet_bin() {
    if [ -n "${BROADSHEET_BIN:-}" ]; then
        echo "$BROADSHEET_BIN"
    else
        (cd "$REPO" && cargo build --quiet --bin broadsheet) >&2
        echo "$REPO/target/debug/broadsheet"
    fi
}

# make_site DIR: a copy of SITE_SOURCE (default: the repository's sample
# archive) plus one article this check owns, dated after all others so that
# it heads the home page.
make_site() {
    local dir="$1" source="${SITE_SOURCE:-$REPO}"
    mkdir -p "$dir"
    cp "$source/site.toml" "$dir/"
    cp -r "$source/content" "$dir/"
    mkdir -p "$dir/content/checks"
    cat >"$dir/content/checks/2030-01-01-browser-check.md" <<'MD'
+++
title = "Browser check original headline"
date = 2030-01-01T09:00:00
tags = ["checks"]
authors = ["CI"]
+++

This article is edited by the live-reload check.
MD
}

# start_serve SITE: starts the server on a free port, sets SERVE_URL.
start_serve() {
    local site="$1" bin
    bin="$(broadsheet_bin)"
    SERVE_LOG="$WORK/serve.log"
    "$bin" serve --root "$site" --port 0 >"$SERVE_LOG" 2>&1 &
    SERVE_PID=$!
    for _ in $(seq 1 3000); do
        SERVE_URL="$(grep -o 'listening on http://[^ ]*' "$SERVE_LOG" | head -1 | cut -d' ' -f3 || true)"
        [ -n "$SERVE_URL" ] && break
        if ! kill -0 "$SERVE_PID" 2>/dev/null; then
            echo "broadsheet serve exited early:" >&2
            cat "$SERVE_LOG" >&2
            return 1
        fi
        sleep 0.1
    done
    if [ -z "$SERVE_URL" ]; then
        echo "broadsheet serve did not start within 300 s:" >&2
        cat "$SERVE_LOG" >&2
        return 1
    fi
    echo "serving $site at $SERVE_URL"
}

# stop_serve: Ctrl-C, then checks the exit status and that the server left
# nothing behind (its temporary build directory is gone).
stop_serve() {
    [ -n "$SERVE_PID" ] || return 0
    local pid="$SERVE_PID" status=0
    SERVE_PID=""
    kill -INT "$pid" 2>/dev/null || true
    # It keeps its build in .broadsheet-cache/serve/ and should stop at once;
    # the long wait only matters when another server held that folder and
    # this one removes its temporary build on the way out.
    for _ in $(seq 1 1200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "broadsheet serve did not stop within 120 s of Ctrl-C" >&2
        kill -KILL "$pid" 2>/dev/null || true
        return 1
    fi
    wait "$pid" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "broadsheet serve exited with status $status after Ctrl-C:" >&2
        cat "$SERVE_LOG" >&2
        return 1
    fi
    if [ -e "${TMPDIR:-/tmp}/broadsheet-serve-$pid" ]; then
        echo "broadsheet serve left ${TMPDIR:-/tmp}/broadsheet-serve-$pid behind" >&2
        return 1
    fi
}

cleanup() {
    stop_serve || true
    [ -n "$WORK" ] && rm -rf "$WORK"
}
