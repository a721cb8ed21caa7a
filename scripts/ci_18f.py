"""Issue 15's checks on ../shared/corpus/18f (a Jekyll, then Eleventy, blog):
every old address answers, no template debris reaches readers, and the
report lists what was not translated. Run by ci-corpora.sh with:

  ci_18f.py CORPUS PLAIN_OUT PLAIN_LOG INGEST_JSON SHORTCODES_OUT SHORTCODES_LOG

PLAIN_* is the corpus built as it is; SHORTCODES_* the same content with the
site's own five shortcodes written as templates (what a site moving over
does). Counts are made here independently: front matter with regular
expressions, code regions with markdown-it-py (a CommonMark parser).
"""
import json
import os
import re
import sys
from collections import Counter

from markdown_it import MarkdownIt

corpus, plain_out, plain_log, ingest_json, sc_out, sc_log = sys.argv[1:]
posts_dir = os.path.join(corpus, "content", "posts")
posts = sorted(f for f in os.listdir(posts_dir) if f.endswith(".md"))
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def front_and_body(name):
    text = open(os.path.join(posts_dir, name), encoding="utf-8").read()
    _, front, body = text.split("---", 2)
    return front, body


def answers(out, path):
    """The file answering at a site path, or None."""
    rel = path.strip("/")
    f = os.path.join(out, rel, "index.html") if path.endswith("/") else os.path.join(out, rel)
    return f if os.path.isfile(f) else None


def page_of(out, path):
    """The article page at a site path, following one redirect page."""
    f = answers(out, path)
    if f is None:
        return None
    text = open(f, encoding="utf-8").read()
    m = re.search(r'http-equiv="refresh" content="0; url=https?://[^/]+(/[^"]*)"', text)
    return page_of(out, m.group(1)) if m else f


# 1. Every post's Jekyll address answers: /YYYY/MM/DD/TITLE/, the date from
# the front matter's `date` (else the file name), TITLE the file name's
# slug as Jekyll makes it (`pretty` mode, case kept).
def jekyll_address(name, front):
    y, m, d, title = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})-(.+)\.md$", name).groups()
    date = re.search(r"^date:\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})", front, re.M)
    if date:
        y, m, d = date.groups()
    title = re.sub(r"[^\w.~!$&'()+,;=@]+", "-", title).strip("-")
    return f"/{y}/{int(m):02}/{int(d):02}/{title}/"


source_of_page = {}
dead = []
for name in posts:
    front, _ = front_and_body(name)
    address = jekyll_address(name, front)
    page = page_of(plain_out, address)
    if page is None:
        dead.append(address)
    else:
        source_of_page[os.path.relpath(page, plain_out)] = name
check(not dead, f"18f: {len(dead)} Jekyll addresses do not answer: {dead[:5]}")
check(len(set(source_of_page.values())) == len(posts) == 509,
      f"18f: the Jekyll addresses lead to {len(set(source_of_page.values()))} articles, not 509")

# 2. The front matter's own old URLs: `redirect_from` (a string or a list)
# and `permalink` answer.
redirects, permalinks = [], []
for name in posts:
    front, _ = front_and_body(name)
    m = re.search(r"^redirect_from:[ \t]*(\S.*)?\n((?:[ \t]*-.*\n)*)", front, re.M)
    if m:
        items = [m.group(1)] if m.group(1) else re.findall(r"-\s*(\S+)", m.group(2))
        redirects += [i.strip("'\"") for i in items]
    m = re.search(r"^permalink:\s*(\S+)", front, re.M)
    if m:
        permalinks.append(m.group(1).strip("'\""))
check(len(redirects) == 8 and len(permalinks) == 2,
      f"18f: {len(redirects)} redirect_from and {len(permalinks)} permalink URLs counted, expected 8 and 2")
for url in redirects + permalinks:
    check(page_of(plain_out, url) is not None, f"18f: old URL {url} does not answer")

# 3. Template tags: every tag outside code in the source is in the report
# (`check --ingest`), per file and name; what was left is a build warning
# each, and the totals say so.
md = MarkdownIt("commonmark")
TAG = re.compile(r"\{%-?\s*([\w-]+)(?:[^%]|%(?!\}))*?-?%\}|\{\{(?:[^}]|\}(?!\}))*?\}\}", re.S)
RAW = re.compile(r"\{%-?\s*(raw|comment)\s*-?%\}(.*?)\{%-?\s*end\1\s*-?%\}", re.S)


def tag_name(m):
    if m.group(0).startswith("{%"):
        n = m.group(1)
        if n in ("include", "include_relative", "render"):
            f = re.search(r"[\"']([^\"']+)", m.group(0)[2:])
            return f.group(1).rsplit("/", 1)[-1].split(".")[0] if f else n
        return n
    parts = [p.strip() for p in m.group(0)[2:-2].strip().split("|")]
    return parts[-1].split(":")[0].strip() if len(parts) > 1 else parts[0]


def code_spans(text):
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    spans = []
    for t in md.parse(text):
        if t.type in ("fence", "code_block") and t.map:
            spans.append((starts[t.map[0]], starts[t.map[1]]))
        if t.type == "inline" and t.map:
            for c in t.children or []:
                if c.type == "code_inline":
                    i = text.find(c.content, starts[t.map[0]])
                    if i >= 0:
                        spans.append((i, i + len(c.content)))
    spans += [m.span() for m in re.finditer(r"<(pre|code)\b.*?</\1>", text, re.S | re.I)]
    return spans


def outside(spans, i):
    return not any(s <= i < e for s, e in spans)


ingest = json.load(open(ingest_json))
counted, reported = Counter(), Counter()
literal_allowed = {}
for f in ingest["files"]:
    name = os.path.basename(f["path"])
    _, body = front_and_body(name)
    code = code_spans(body)
    raw = [m.span() for m in RAW.finditer(body)]
    tags = Counter(tag_name(m) for m in TAG.finditer(body)
                   if outside(code, m.start()) and outside(raw, m.start()))
    got = Counter(t["name"] for t in f["template_tags"]
                  if t["name"] not in ("raw", "endraw", "comment"))
    check(tags == got, f"18f {name}: tags in the source {dict(tags - got)}, reported {dict(got - tags)}")
    counted.update(tags)
    reported.update(got)
    # Braces a `{% raw %}` block outside code shows as text, as the author meant.
    literal_allowed[name] = sum(len(re.findall(r"\{\{|\{%", m.group(2)))
                                for m in RAW.finditer(body)
                                if m.group(1) == "raw" and outside(code, m.start()))
left = Counter(t["name"] for f in ingest["files"] for t in f["template_tags"] if not t["translated"])
totals = ingest["totals"]
log = open(plain_log, encoding="utf-8").read()
warned = Counter(re.findall(r"left as text: no translation for `([^`]+)`", log))
check(warned == left and totals["template_tags_left"] == sum(left.values()),
      f"18f: build warnings {dict(warned)} differ from the report's left tags {dict(left)}")
sc_left = re.findall(r"left as text", open(sc_log, encoding="utf-8").read())
check(not sc_left, f"18f with the site's shortcodes: {len(sc_left)} tags still left as text")

# 4. With the site's shortcodes, no article page shows a template tag
# outside code, but for what a `{% raw %}` block made literal on purpose.
code_re = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>", re.S)
debris, in_code, literal = [], 0, 0
for rel, name in source_of_page.items():
    text = open(os.path.join(sc_out, rel), encoding="utf-8").read()
    shown = len(re.findall(r"\{\{|\{%", code_re.sub("", text)))
    in_code += sum(len(re.findall(r"\{\{|\{%", m.group(0))) for m in code_re.finditer(text))
    if shown > literal_allowed.get(name, 0):
        debris.append(f"{rel} ({shown})")
    literal += shown
check(not debris, f"18f: template tags shown outside code: {debris[:5]}")

# 5. Unknown front-matter keys: one build warning per key, with the
# report's count.
keys = dict(re.findall(r"front-matter key `([^`]+)` \((\d+) files?\)", log))
want = {k if len(k) <= 40 else k[:40] + "…": str(v) for k, v in totals["unknown_keys"].items()}
check(keys == want, f"18f: unknown-key warnings {keys} differ from the report {want}")

print(f"18f: {len(posts)} Jekyll addresses answer; {len(redirects)} redirect_from and "
      f"{len(permalinks)} permalink URLs answer")
print(f"18f: template tags outside code: {sum(counted.values())} counted, {sum(reported.values())} reported; "
      f"translated {totals['template_tags_translated']} (raw marks included), left {totals['template_tags_left']}: "
      + ", ".join(f"{n} {c}" for n, c in left.most_common()))
print(f"18f with the site's five shortcodes as templates: 0 left; article pages show "
      f"{literal} literal braces outside code (all from {{% raw %}} blocks), {in_code} inside code")
print(f"18f: unknown front-matter keys reported: "
      + ", ".join(f"{k} {v}" for k, v in sorted(want.items(), key=lambda kv: -int(kv[1]))))
if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
