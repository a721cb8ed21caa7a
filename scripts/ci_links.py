#!/usr/bin/env python3
"""Compares `broadsheet check --links --format json` with lychee's JSON report
on the same built output (see scripts/ci-links.sh): the same broken internal
targets, each on the same number of pages, and the probe's planted ones among
them. Prints both tools' figures; exits 1 on any disagreement.

    python3 scripts/ci_links.py BROADSHEET_JSON LYCHEE_JSON OUTPUT_DIR \
        [--links-time S] [--lychee-time S]
"""
import argparse
import json
import sys
import urllib.parse

# The probe article's broken links (scripts/ci-links.sh), as normalized targets.
PLANTED = {
    ("links-probe/no-such-page", ""),
    ("links-probe-missing.css", ""),
    ("2020/01/01/links-probe", "no-such-id"),
    ("", "no-such-anchor"),
    ("links-probe/café", ""),
    ("links-probe/nowhere", ""),
    ("links-probe/missing.png", ""),
    ("links-probe/missing-2x.png", ""),
}


def normalize(path):
    """`/a/b/index.html#f`, `file:///out/a/b#f`, `a/b/` -> (`a/b`, `f`)."""
    path, _, fragment = path.partition("#")
    path = urllib.parse.unquote(path).strip("/")
    if path == "index.html":
        path = ""
    elif path.endswith("/index.html"):
        path = path[: -len("/index.html")]
    return path.strip("/"), urllib.parse.unquote(fragment)


def page_file(url):
    """A page URL of the site (`/a/b/`) as its output file (`a/b/index.html`)."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def ours(report):
    """target -> (number of pages, the page files named)."""
    found = {}
    for b in report["links"]["broken"]:
        pages = {page_file(p["page"]) for p in b["on"]}
        found[normalize(b["target"])] = (len(b["on"]) + b["more_pages"], pages)
    return found


def theirs(report, out):
    """target -> (number of pages, the page files) from lychee's error map."""
    prefix = "file://" + out.rstrip("/")
    found = {}
    for file, errors in report.get("error_map", {}).items():
        page = file[len(out.rstrip("/")) + 1 :] if file.startswith(out) else file
        for e in errors:
            url = e["url"]
            if not url.startswith(prefix):
                continue  # only internal links are compared
            target = normalize(url[len(prefix) :])
            found.setdefault(target, set()).add(page)
    return {t: (len(p), p) for t, p in found.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("broadsheet")
    ap.add_argument("lychee")
    ap.add_argument("out")
    ap.add_argument("--links-time", default="?")
    ap.add_argument("--lychee-time", default="?")
    a = ap.parse_args()
    with open(a.broadsheet, encoding="utf-8") as f:
        b_report = json.load(f)
    with open(a.lychee, encoding="utf-8") as f:
        l_report = json.load(f)
    b, l = ours(b_report), theirs(l_report, a.out)
    links = b_report["links"]
    print(
        f"ci-links: broadsheet check --links: {links['pages']} pages, {links['links']} links "
        f"({links['internal']} internal to {links['internal_targets']} targets, "
        f"{links['external']} outside, {links['unchecked']} not checked), "
        f"{len(b)} broken targets on {sum(n for n, _ in b.values())} pages; "
        f"{a.links_time} s"
    )
    checked = l_report["successful"] + l_report["errors"]
    print(
        f"ci-links: lychee --offline: {l_report['total']} links ({checked} checked, "
        f"{l_report['unique']} unique, {l_report['excludes']} excluded), {l_report['errors']} errors: "
        f"{len(l)} broken internal targets on {sum(n for n, _ in l.values())} pages; {a.lychee_time} s"
    )
    problems = []
    for target in sorted(set(b) | set(l)):
        bn, bp = b.get(target, (0, set()))
        ln, lp = l.get(target, (0, set()))
        if bn != ln:
            problems.append(f"{target}: broadsheet on {bn} pages, lychee on {ln}")
        elif not bp <= lp:
            problems.append(f"{target}: pages named by broadsheet not in lychee's {sorted(bp - lp)}")
    for target in sorted(PLANTED - set(b)):
        problems.append(f"planted {target}: not found by broadsheet")
    for target in sorted(PLANTED - set(l)):
        problems.append(f"planted {target}: not found by lychee")
    for p in problems:
        print(f"ci-links: DISAGREE {p}")
    if problems:
        return 1
    print(f"ci-links: both agree: {len(b)} broken internal targets ({len(PLANTED)} planted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
