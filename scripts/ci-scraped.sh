#!/usr/bin/env bash
# Scraped pages through the release binary (issue 14): each fixture set of
# tests/fixtures/scraped* is read by `check --ingest --text` as a site, and every
# page's headline, date and comments cut are compared with its expected.toml.
# `cargo test` reads the same pages through the library, but with the Unicode
# tables proptest pulls into test builds; this is the binary users run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BROADSHEET_BIN:-target/release/broadsheet}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for set in scraped scraped-blind scraped-blind2; do
  for order in day-first month-first; do
    site="$work/$set-$order"
    mkdir -p "$site"
    ln -s "$PWD/tests/fixtures/$set" "$site/content"
    cat > "$site/site.toml" <<TOML
title = "Scraped pages"
base_url = "https://scraped.invalid"
[content]
ignore = ["expected.toml"]
undated = "include"
date_order = "$order"
TOML
    # Exit 1 reports problems in the pages (none expected with undated included);
    # anything else (a panic is 101) fails the step.
    rc=0
    "$bin" check --ingest --text --format json --root "$site" > "$site.json" || rc=$?
    if [ "$rc" -gt 1 ]; then
      echo "ci-scraped: broadsheet exited with $rc on $set ($order)"
      exit 1
    fi
  done
done

python3 - "$work" <<'PY'
import json, os, sys, tomllib
from datetime import date

work = sys.argv[1]
failures, counts = [], {}
for name in ("scraped", "scraped-blind", "scraped-blind2"):
    with open(os.path.join("tests/fixtures", name, "expected.toml"), "rb") as f:
        expected = tomllib.load(f)["file"]
    reports = {}
    for order in ("day-first", "month-first"):
        with open(os.path.join(work, f"{name}-{order}.json"), encoding="utf-8") as f:
            reports[order] = {x["path"].removeprefix("content/"): x for x in json.load(f)["files"]}
    n = {"pages": 0, "headlines": 0, "dates": 0, "comments": 0}
    for case in expected:
        got = reports["month-first" if case.get("month_first") else "day-first"].get(case["path"])
        if got is None:
            failures.append(f"{name}/{case['path']}: not in the report")
            continue
        n["pages"] += 1
        if got["headline"] != case["headline"]:
            failures.append(f"{name}/{case['path']}: headline {got['headline']!r}")
        want = case.get("date")
        if want:
            # The report shows the date in the site's zone (UTC): a day either side of
            # the page's own is the same moment.
            day = date.fromisoformat(str(want)[:10])
            found = got["date"] and abs((date.fromisoformat(got["date"][:10]) - day).days) <= 1
            if not found:
                failures.append(f"{name}/{case['path']}: date {got['date']}, want {want}")
            n["dates"] += 1
        elif got["date"] is not None:
            failures.append(f"{name}/{case['path']}: date {got['date']} invented")
        if case.get("comment"):
            if case["comment"] in (got.get("text") or ""):
                failures.append(f"{name}/{case['path']}: comments kept")
            n["comments"] += 1
    counts[name] = n
for name, n in counts.items():
    print(f"ci-scraped {name}: {n['pages']} pages, {n['dates']} dated, {n['comments']} with comments")
if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
print("ci-scraped: headlines, dates and comments cuts as expected")
PY
