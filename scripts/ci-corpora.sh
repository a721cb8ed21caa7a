#!/usr/bin/env bash
# Acceptance checks on the real corpora in ../shared/corpus (read-only): builds
# each into a temporary site and checks what the issues promise. Skips with a
# message when the corpora are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="$(cd .. && pwd)/shared/corpus"
bin="${BROADSHEET_BIN:-target/release/broadsheet}"
if [ ! -d "$corpus" ]; then
  echo "ci-corpora: $corpus not found; skipping the corpus checks"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# bbc: plain text, no dates, section from the folder, README.TXT ignored.
mkdir -p "$work/bbc"
ln -s "$corpus/bbc" "$work/bbc/content"
cat > "$work/bbc/site.toml" <<'TOML'
title = "BBC corpus"
base_url = "https://bbc.invalid"
[content]
ignore = ["README.TXT"]
undated = "include"
TOML
"$bin" build --root "$work/bbc" --output-dir "$work/bbc-out" > "$work/bbc.log" 2>&1 || { cat "$work/bbc.log"; exit 1; }
tail -n 1 "$work/bbc.log"

# 18f: messy YAML; every post must build or be reported with file and line;
# issue 15's checks (old addresses, template tags, unknown keys) in ci_18f.py.
mkdir -p "$work/18f"
ln -s "$corpus/18f/content" "$work/18f/content"
cat > "$work/18f/site.toml" <<'TOML'
title = "18F corpus"
base_url = "https://18f.invalid"
TOML
"$bin" build --root "$work/18f" --output-dir "$work/18f-out" --skip-invalid > "$work/18f.log" 2>&1 || { cat "$work/18f.log"; exit 1; }
grep -E "error|skipped" "$work/18f.log" || true
tail -n 1 "$work/18f.log"

"$bin" check --ingest --format json --root "$work/bbc" > "$work/bbc-ingest.json" || true
"$bin" check --ingest --format json --root "$work/18f" > "$work/18f-ingest.json" || true

# 18f again, with the site's own five shortcodes (Eleventy filters and
# includes of the old site) written as templates, as a site moving over
# would: then no template tag is left for readers to see.
mkdir -p "$work/18f-sc/templates/shortcodes"
ln -s "$corpus/18f/content" "$work/18f-sc/content"
cp "$work/18f/site.toml" "$work/18f-sc/site.toml"
sc="$work/18f-sc/templates/shortcodes"
echo '<a class="team" href="/team/{{ args[0] }}/">{{ args[0] }}</a>' > "$sc/team_link.html"
echo '<img class="team-photo" src="/assets/img/team/{{ args[0] }}.jpg" alt="{{ args[0] }}">' > "$sc/team_photo.html"
echo '<img src="/{{ args[0] }}" class="{{ args[1] }}" alt="{{ args[2] }}">' > "$sc/image_with_class.html"
echo '<figure><a href="{{ image }}"><img src="{{ image }}" alt="{{ alt }}"></a>{% if caption is defined %}<figcaption>{{ caption }}</figcaption>{% endif %}</figure>' > "$sc/linked-figure.html"
echo '<a class="video" href="{{ args[0] }}">{{ args[1] }}</a>' > "$sc/embed.html"
"$bin" build --root "$work/18f-sc" --output-dir "$work/18f-sc-out" > "$work/18f-sc.log" 2>&1 || { cat "$work/18f-sc.log"; exit 1; }
python3 -c "import markdown_it" 2>/dev/null || pip install -q markdown-it-py >/dev/null 2>&1
python3 scripts/ci_18f.py "$corpus/18f" "$work/18f-out" "$work/18f.log" "$work/18f-ingest.json" "$work/18f-sc-out" "$work/18f-sc.log"

python3 - "$corpus" "$work" <<'PY'
import html, os, re, sys
corpus, work = sys.argv[1], sys.argv[2]

def article_pages(out):
    pages = {}
    for dirpath, _, files in os.walk(out):
        for f in files:
            if f == "index.html":
                p = os.path.join(dirpath, f)
                text = open(p, encoding="utf-8").read()
                if '<article class="story">' in text:
                    pages[p] = text
    return pages

failures = []
def check(cond, msg):
    if not cond:
        failures.append(msg)

bbc = article_pages(os.path.join(work, "bbc-out"))
expected = sum(1 for d in os.listdir(os.path.join(corpus, "bbc")) if os.path.isdir(os.path.join(corpus, "bbc", d)) for f in os.listdir(os.path.join(corpus, "bbc", d)) if f.endswith(".txt"))
check(len(bbc) == expected == 2225, f"bbc: {len(bbc)} article pages, expected {expected} (2225)")
h1 = re.compile(r"<h1>(.*?)</h1>", re.S)
titles = sorted(html.unescape(h1.search(t).group(1)) for t in bbc.values())
first_lines = sorted(open(os.path.join(corpus, "bbc", d, f), encoding="utf-8", errors="replace").readline().strip()
                     for d in os.listdir(os.path.join(corpus, "bbc")) if os.path.isdir(os.path.join(corpus, "bbc", d))
                     for f in os.listdir(os.path.join(corpus, "bbc", d)) if f.endswith(".txt"))
check(titles == first_lines, "bbc: headlines differ from the files' first lines")
check(any("a £15.8m signing" in t for t in bbc.values()), "bbc: sport/199.txt did not decode £")

posts = [f for f in os.listdir(os.path.join(corpus, "18f", "content", "posts")) if f.endswith(".md")]
f18 = article_pages(os.path.join(work, "18f-out"))
log = open(os.path.join(work, "18f.log"), encoding="utf-8").read()
reported = set(re.findall(r"skipped \(invalid\): content/posts/(\S+)", log))
check(len(f18) + len(reported) == len(posts) == 509, f"18f: {len(f18)} pages + {len(reported)} reported != {len(posts)} posts (509)")
undated = [p for p, t in f18.items() if "<time datetime=" not in t]
check(not undated, f"18f: {len(undated)} pages without a date: {undated[:3]}")
import json
bbc_ingest = json.load(open(os.path.join(work, "bbc-ingest.json")))
for f in bbc_ingest["files"]:
    rel = f["path"].removeprefix("content/")
    raw = open(os.path.join(corpus, "bbc", rel), "rb").read().decode("utf-8", errors="replace")
    blocks = [b for b in re.split(r"\n\s*\n", raw.strip()) if b.strip()]
    check(f["headline"] == blocks[0].strip(), f"bbc ingest {rel}: headline {f['headline']!r} != first line")
    check(f["paragraphs"] == len(blocks) - 1, f"bbc ingest {rel}: {f['paragraphs']} paragraphs, blank-line structure has {len(blocks) - 1}")
    check(f["date"] is None, f"bbc ingest {rel}: a date was invented: {f['date']}")
f18_ingest = json.load(open(os.path.join(work, "18f-ingest.json")))
for f in f18_ingest["files"]:
    name = os.path.basename(f["path"])
    src = open(os.path.join(corpus, "18f", "content", "posts", name), encoding="utf-8").read()
    fm = src.split("---", 2)[1]
    has_date = re.search(r"^date:", fm, re.M) is not None
    check(f["date"] is not None, f"18f {name}: no date")
    check(f["date_source"] == ("front-matter" if has_date else "file-name"), f"18f {name}: date from {f['date_source']}")
    check(bool(f["authors"]), f"18f {name}: no authors")
    check(bool(f["tags"]), f"18f {name}: no tags")
    if not has_date:
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})-", name)
        check(f["date"].startswith(f"{m.group(1)}-{int(m.group(2)):02}-{int(m.group(3)):02}"), f"18f {name}: date {f['date']} is not the file name's")
for label, rep in (("bbc", bbc_ingest), ("18f", f18_ingest)):
    t = rep["totals"]
    print(f"ingest totals {label}: {t['files']} files, {t['articles']} articles, {t['undated']} undated, {t['skipped']} skipped, {t['warnings']} warnings, {t['errors']} errors, {t.get('doubtful', 0)} doubtful")
print(f"corpora: bbc {len(bbc)} article pages; 18f {len(f18)} article pages, {len(reported)} reported invalid")
if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
PY
