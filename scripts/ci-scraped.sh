#!/usr/bin/env bash
# Scraped pages through the release binary (issue 14): each fixture set of
# tests/fixtures/scraped* is read by `check --ingest --text` as a site, and every
# page's headline, date and comments cut are compared with its expected.toml.
# A fresh generated set (scripts/gen_scraped_eval.py, seed SCRAPED_SEED, default
# 3) is read the same way and held to the issue's rates: 98% of headlines, 95%
# of written dates, 95% of comments sections cut, no date invented.
# `cargo test` reads the same pages through the library, but with the Unicode
# tables proptest pulls into test builds; this is the binary users run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BROADSHEET_BIN:-target/release/broadsheet}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 scripts/gen_scraped_eval.py --seed "${SCRAPED_SEED:-3}" --out "$work/generated-set"

for set in scraped scraped-blind scraped-blind2 generated; do
  fixtures="$PWD/tests/fixtures/$set"
  [ "$set" = generated ] && fixtures="$work/generated-set"
  for order in day-first month-first; do
    site="$work/$set-$order"
    mkdir -p "$site"
    ln -s "$fixtures" "$site/content"
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
sets = {name: os.path.join("tests/fixtures", name) for name in ("scraped", "scraped-blind", "scraped-blind2")}
sets["generated"] = os.path.join(work, "generated-set")
failures = []
for name, folder in sets.items():
    with open(os.path.join(folder, "expected.toml"), "rb") as f:
        expected = tomllib.load(f)["file"]
    reports = {}
    for order in ("day-first", "month-first"):
        with open(os.path.join(work, f"{name}-{order}.json"), encoding="utf-8") as f:
            reports[order] = {x["path"].removeprefix("content/"): x for x in json.load(f)["files"]}
    n = {"pages": 0, "dates": 0, "comments": 0}
    misses = {"headline": [], "date": [], "invented": [], "comments": [], "missing": []}
    for case in expected:
        got = reports["month-first" if case.get("month_first") else "day-first"].get(case["path"])
        if got is None:
            misses["missing"].append(f"{name}/{case['path']}: not in the report")
            continue
        n["pages"] += 1
        if got["headline"] != case["headline"]:
            misses["headline"].append(f"{name}/{case['path']}: headline {got['headline']!r}")
        want = case.get("date")
        if want:
            # The report shows the date in the site's zone (UTC): a day either side of
            # the page's own is the same moment.
            day = date.fromisoformat(str(want)[:10])
            found = got["date"] and abs((date.fromisoformat(got["date"][:10]) - day).days) <= 1
            if not found:
                misses["date"].append(f"{name}/{case['path']}: date {got['date']}, want {want}")
            n["dates"] += 1
        elif got["date"] is not None:
            misses["invented"].append(f"{name}/{case['path']}: date {got['date']} invented")
        if case.get("comment"):
            if case["comment"] in (got.get("text") or ""):
                misses["comments"].append(f"{name}/{case['path']}: comments kept")
            n["comments"] += 1
    rate = lambda k, of: 1 - len(misses[k]) / of if of else 1.0
    rates = {"headline": rate("headline", n["pages"]), "date": rate("date", n["dates"]),
             "comments": rate("comments", n["comments"])}
    print(f"ci-scraped {name}: {n['pages']} pages, headlines {rates['headline']:.1%}, "
          f"{n['dates']} dated, dates found {rates['date']:.1%}, {n['comments']} with comments, "
          f"cut {rates['comments']:.1%}, {len(misses['invented'])} dates invented")
    if name == "generated":
        # Layouts no rule was written against: the issue's rates, and every miss shown.
        for m in sum(misses.values(), []):
            print("  miss " + m)
        ok = (rates["headline"] >= 0.98 and rates["date"] >= 0.95 and rates["comments"] >= 0.95
              and not misses["invented"] and not misses["missing"])
        if not ok:
            failures.append(f"generated set below the issue's rates: {rates}")
    else:
        failures += sum(misses.values(), [])
if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
print("ci-scraped: headlines, dates and comments cuts as expected")
PY
