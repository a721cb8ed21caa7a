#!/usr/bin/env python3
"""Scores broadsheet's HTML extraction on the article-extraction benchmark.

Usage: ci_extraction.py CORPUS INGEST_JSON WORKDIR MIN_F1

Reads `broadsheet check --ingest --format json --text` of a site whose
content/ holds the benchmark's pages, writes the scorer's input
(`output/broadsheet.json`, {id: {"articleBody": text}}) into a copy of the
benchmark in WORKDIR, runs the benchmark's own evaluate.py there, and fails
below MIN_F1. Then counts the pages that got a headline, a date and authors,
and how many of those agree with the page's own JSON-LD or Open Graph, read
here independently of broadsheet (Python's html.parser and json).
"""
import gzip
import html
import json
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report)$")


class Head(HTMLParser):
    """Collects JSON-LD scripts and meta properties of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ld, self.meta, self._in_ld, self._buf = [], {}, False, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and (a.get("type") or "").strip().lower() == "application/ld+json":
            self._in_ld, self._buf = True, []
        if tag == "meta" and a.get("content"):
            key = (a.get("property") or a.get("name") or "").strip().lower()
            self.meta.setdefault(key, []).append(a["content"].strip())

    def handle_endtag(self, tag):
        if tag == "script" and self._in_ld:
            self._in_ld = False
            self.ld.append("".join(self._buf))

    def handle_data(self, data):
        if self._in_ld:
            self._buf.append(data)


def flatten(v, out):
    if isinstance(v, list):
        for i in v:
            flatten(i, out)
    elif isinstance(v, dict):
        if "@graph" in v:
            flatten(v["@graph"], out)
        out.append(v)


def page_truth(raw):
    """The page's own headline, date and authors from JSON-LD, else Open Graph."""
    p = Head()
    p.feed(raw)
    objs = []
    for s in p.ld:
        try:
            flatten(json.loads(re.sub(r"[\x00-\x1f]", " ", s)), objs)
        except ValueError:
            pass
    types = lambda o: o.get("@type") if isinstance(o.get("@type"), list) else [o.get("@type")]
    art = next((o for o in objs if any(isinstance(t, str) and ARTICLE_TYPES.search(t) for t in types(o))), {})
    byid = {o.get("@id"): o for o in objs if isinstance(o, dict) and o.get("@id")}

    def names(v):
        items = v if isinstance(v, list) else [v] if v else []
        out = []
        for i in items:
            if isinstance(i, dict):
                i = i.get("name") or byid.get(i.get("@id"), {}).get("name")
            if isinstance(i, str) and i.strip() and "://" not in i:
                out.append(i.strip())
        return out

    first = lambda k: (p.meta.get(k) or [None])[0]
    headline = art.get("headline") or first("og:title")
    date = art.get("datePublished") or first("article:published_time")
    authors = names(art.get("author")) or [a for a in p.meta.get("article:author", []) if "://" not in a]
    return {"headline": headline, "date": date, "authors": authors}


def norm(s):
    return " ".join(html.unescape(str(s)).split()).casefold()


def page_instant(text):
    """A date as pages write it: ISO 8601, RFC 2822, or `November 19, 2019`."""
    text = str(text).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    # `November 19, 2019, 07:47 PM EST`, `01:38:07 PM IST Nov 20, 2019`: a
    # date and a 12-hour time with a zone abbreviation, in either order.
    zones = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "PST": -8, "PDT": -7,
             "GMT": 0, "UTC": 0, "BST": 1, "CET": 1, "CEST": 2, "IST": 5.5}
    m = re.fullmatch(r"(.+?),?\s+(\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M)\s+([A-Z]{2,4})", text) or \
        re.fullmatch(r"(\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M)\s+([A-Z]{2,4})\s+(.+)", text)
    if m:
        groups = m.groups()
        day, clock, zone = (groups[0], groups[1], groups[2]) if ":" in groups[1] else (groups[2], groups[0], groups[1])
        date = page_instant(day)
        if date is not None and zone in zones:
            fmt = "%I:%M:%S %p" if clock.count(":") == 2 else "%I:%M %p"
            t = datetime.strptime(re.sub(r"\s*([AP]M)", r" \1", clock), fmt).time()
            tz = timezone(timedelta(hours=zones[zone]))
            return datetime.combine(date.date(), t, tzinfo=tz)
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        pass
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    return None


def same_instant(ours, theirs):
    a = datetime.fromisoformat(ours)
    b = page_instant(theirs)
    if b is None:
        return False
    if b.tzinfo is None:
        return a.replace(tzinfo=None) == b or a.date() == b.date()
    return a == b


def main():
    corpus, ingest_json, work, min_f1 = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
    report = json.loads(ingest_json.read_text())
    truth = json.loads((corpus / "ground-truth.json").read_text())
    files = {Path(f["path"]).name.split(".")[0]: f for f in report["files"]}
    bench = work / "bench"
    shutil.rmtree(bench, ignore_errors=True)
    (bench / "output").mkdir(parents=True)
    shutil.copy(corpus / "evaluate.py", bench)
    shutil.copy(corpus / "ground-truth.json", bench)
    out = {k: {"articleBody": (files.get(k) or {}).get("text") or ""} for k in truth}
    (bench / "output" / "broadsheet.json").write_text(json.dumps(out))
    res = subprocess.run([sys.executable, "evaluate.py", "--n-bootstrap", "100"], cwd=bench,
                         capture_output=True, text=True, check=True)
    print(res.stdout.strip())
    line = next(l for l in res.stdout.splitlines() if l.startswith("broadsheet"))
    f1 = float(line.split()[1])

    counts = {k: 0 for k in ("pages", "articles", "headline", "date", "authors")}
    agree = {k: [0, 0] for k in ("headline", "date", "authors")}
    disagreements = []
    for k in truth:
        f = files.get(k)
        counts["pages"] += 1
        if not f or not f.get("headline"):
            continue
        counts["articles"] += 1
        raw = gzip.open(corpus / "html" / f"{k}.html.gz").read().decode("utf-8", "replace")
        page = page_truth(raw)
        checks = {
            "headline": (f.get("headline"), page["headline"], lambda a, b: norm(a) == norm(b)),
            "date": (f.get("date"), page["date"], same_instant),
            "authors": (f.get("authors"), page["authors"], lambda a, b: [norm(x) for x in a] == [norm(x) for x in b]),
        }
        for field, (ours, theirs, same) in checks.items():
            if ours:
                counts[field] += 1
            if theirs:
                agree[field][1] += 1
                if ours and same(ours, theirs):
                    agree[field][0] += 1
                else:
                    disagreements.append(f"{k[:12]} {field}: ours {ours!r}, page {theirs!r}")
    print(f"pages {counts['pages']}, read as articles {counts['articles']}: "
          f"headline {counts['headline']}, date {counts['date']}, authors {counts['authors']}")
    for field, (ok, n) in agree.items():
        print(f"{field}: agrees with the page's JSON-LD/Open Graph on {ok} of {n} pages that give one")
    for d in disagreements:
        print("  differs:", d)
    print(f"F1 {f1:.3f} (threshold {min_f1:.3f})")
    if f1 < min_f1:
        sys.exit(f"extraction F1 {f1:.3f} is below {min_f1:.3f}")


if __name__ == "__main__":
    main()
