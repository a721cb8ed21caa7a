#!/usr/bin/env python3
"""A fresh evaluation set of scraped news pages, composed from independent parts.

    python3 scripts/gen_scraped_eval.py --out /tmp/eval [--seed 1] [--sources 70]

Written without reading the header rules in src/ingest/ (only the issue's list of
layouts): every page is put together from component lists that vary on their own
(site names, taglines, sections, navigation and share furniture, headlines, decks,
bylines, dates and times in many written forms and orders, updated lines, photo
captions and credits, datelines, story paragraphs, tail furniture, comments sections
headed by many separators and spellings, or unheaded), so the set holds layouts no
rule was written against. Pages come in folders, one per invented source, as a
scraped archive does: each source draws its own layout (which header parts, in which
order, which date form, which byline form, which comments style) and keeps it with
small variations from page to page; a few sources change layout on every page.

Writes OUT/<source>/<slug>.txt and OUT/expected.toml in the format of
tests/fixtures/scraped-blind/expected.toml (headline, date, updated, authors, deck,
dateline, first, last, comment, month_first); tests/scraped_blind.rs scores it with
`SCRAPED_EVAL=OUT cargo test --test scraped_blind -- --ignored`.
The same seed gives the same set.
"""

import argparse
import datetime as dt
import os
import random

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
MON_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
          "Oct.", "Nov.", "Dec."]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

FIRST = ["Maria", "James", "Aisha", "Tom", "Priya", "Daniel", "Sofia", "Kwame", "Hannah",
         "Luis", "Mei", "Oliver", "Fatima", "Noah", "Grace", "Ivan", "Chloe", "Samuel",
         "Amara", "Ben", "Yuki", "Elena", "Marcus", "Nadia", "Peter", "Rosa", "Tariq",
         "Laura", "Emeka", "Julia", "Derek", "Ingrid", "Carlos", "Zoe", "Hamid", "Ruth"]
LAST = ["Lopez", "Whitfield", "Okonkwo", "Brennan", "Sharma", "Kowalski", "Rossi", "Mensah",
        "Fischer", "Delgado", "Chen", "Hartley", "Haddad", "Sullivan", "Park", "Petrov",
        "Moreau", "Adeyemi", "Lindqvist", "O'Neill", "Tanaka", "Vasquez", "Grant",
        "Novak", "Abernathy", "McKenzie", "Ferreira", "Qureshi", "Bianchi", "Eriksen"]
ROLES = ["Staff Writer", "Senior Reporter", "Political Correspondent", "Contributor",
         "Business Editor", "Sports Reporter", "Staff reporter", "Editor", "Columnist"]

SITE_A = ["Riverside", "Northfield", "Cedar Valley", "Harbor City", "Millbrook", "Lakeshore",
          "Granite Falls", "Pinecrest", "Westbury", "Eastgate", "Summit County", "Bayview",
          "Oakridge", "Fairhaven", "Redstone", "Willow Creek", "Kingsport", "Ashford"]
SITE_B = ["Gazette", "Daily News", "Herald", "Courier", "Tribune", "Ledger", "Observer",
          "Post", "Chronicle", "Times", "Sentinel", "Independent", "Dispatch", "Record"]
BLOGS = ["Notes from the Garden Shed", "The Frugal Cyclist", "Code and Coffee",
         "Mostly Maps", "Kitchen Table Economics", "The Quiet Birder", "Small Town Tech",
         "Threads & Needles", "The Weekend Angler", "Back Lot Movies", "Field Notes",
         "Open Shelf", "Tidewater Journal", "Plain Numbers", "Saltwater Stories"]
STATIONS = ["KXLV 7 News", "WTRB Channel 4", "News 12 Now", "KQMT Eyewitness News",
            "WPXN 9 On Your Side", "Action News 5", "Radio Metro 101.3"]
TAGLINES = ["News you can trust since 1921", "Your hometown newspaper",
            "Independent journalism for the valley", "All the news from the coast",
            "Notes on growing things, slowly", "Thoughts on code, coffee and everything between",
            "Serving the county since 1887", "Local news, weather and sports",
            "Where the river meets the town", "A blog about riding cheaply",
            "Stories from the north shore", "Reporting without fear or favor"]
SECTIONS = ["Local News", "Sports", "Opinion", "Business", "World", "Politics",
            "Entertainment", "Health", "Education", "Crime & Courts", "Weather",
            "News > Local", "Business | Markets", "Home / News / Region", "Science"]
NAV = ["Skip to content", "Menu", "Search", "Subscribe", "Sign in", "Home",
       "Home | News | Sports | Opinion | Obituaries", "Log in / Register",
       "Toggle navigation", "Main menu"]
SHARE = ["Share this:", "Share", "Share on Facebook", "Share on Twitter", "Tweet",
         "Email", "Print", "Facebook Twitter Email", "Share this article",
         "Share via Email", "Listen to this article", "Save", "Copy link"]
ADS = ["Advertisement", "ADVERTISEMENT", "Ad", "Sponsored content",
       "Story continues below advertisement", "Continue reading the main story"]
TAIL = ["Related Stories", "More from {site}", "Back to top",
        "Copyright {pageyear} {site}. All rights reserved.", "About Us | Contact | Privacy Policy",
        "Sign up for our daily newsletter", "Tags: {tag1}, {tag2}", "Filed under: {tag1}",
        "© {pageyear} {site}", "Read more:", "Trending Now"]
TAGS = ["local", "schools", "city council", "weather", "transport", "health", "budget",
        "courts", "housing", "environment", "sports", "arts"]

HL_SUBJ = ["City council", "Local bakery", "School board", "Mayor {last}", "State lawmakers",
           "Volunteers", "Wildfire", "Tech startup Lumio", "Farmers", "Hospital staff",
           "Residents", "Police", "Transit agency", "Library", "Former coach",
           "Teen inventor", "Union leaders", "Museum", "Fire crews", "Regional airline",
           "The county", "Local brewery", "University researchers", "Storm", "Bridge repairs",
           "Nurses", "Tenants", "Shipyard workers", "Youth orchestra", "Zoo"]
HL_VERB = ["approves", "rejects", "delays vote on", "celebrates", "warns of", "plans",
           "faces", "unveils", "cuts", "backs", "sues over", "wins", "pushes for",
           "opens", "closes", "weighs", "cancels", "expands", "questions", "restores"]
HL_OBJ = ["new bike lanes", "budget cuts", "$2M library expansion", "downtown parking plan",
          "water rate hike", "stadium deal", "late-night bus service", "flood defenses",
          "school start times", "tree-planting program", "housing project",
          "4-day week", "food truck rules", "pension changes", "ferry timetable",
          "solar farm", "community garden", "speed cameras", "riverside trail",
          "tourism tax", "after-school program", "new ER wing"]
HL_AFTER = ["after heated meeting", "amid protests", "despite objections", "for second year",
            "ahead of winter", "after 10-year wait", "in close vote", "as costs rise"]
HL_TOPIC = ["the new zoning map", "school lunch prices", "the bridge closure",
            "rising rents", "the harbor cleanup", "the transit strike", "the recall vote",
            "remote work", "backyard chickens", "the drought", "e-scooters"]
QUOTES = ["We were not consulted", "It felt like home", "Nobody saw it coming",
          "This is only the beginning", "We just want answers", "Best day of my life"]

DECK_PARTS = [
    "The {n}-{n2} vote ends months of debate, but opponents say they will keep fighting.",
    "Officials say the change will save money. Critics are not so sure.",
    "A look at what the decision means for families across the region.",
    "The plan, years in the making, still needs approval from the state.",
    "Residents packed the hearing to speak for and against the proposal.",
    "After a difficult season, the team is looking for a fresh start.",
    "Experts say the numbers point to a slow but steady recovery.",
    "It is the first such move in more than a decade, and it may not be the last.",
    "Neighbors say the problem has been building for years.",
    "What began as a small idea has grown into a citywide effort.",
]

CAPTIONS = ["(Credit: Getty Images)", "(Photo: {first} {last}/{site})",
            "Photo: {first} {last}/Staff", "Image copyright Reuters", "(AP Photo/{first} {last})",
            "Photo by {first} {last}", "Image: Shutterstock",
            "{subj} gather outside city hall on {wday}. (Photo: {first} {last})",
            "FILE PHOTO: Crews work near the site earlier this year. REUTERS/{first} {last}",
            "Image caption Residents wait for news outside the hall",
            "(Credit: {first} {last} / {site})"]

PLACES = ["the east side", "Main Street", "the harbor", "the county fairgrounds",
          "the old mill", "city hall", "the north shore", "downtown", "the river trail"]
NOUNS = ["plan", "proposal", "budget", "project", "decision", "program", "vote", "report"]
OPEN = ["{Subj} {verb} the {noun} on {wday}, ending weeks of uncertainty for people who live near {place}.",
        "For the first time in {n} years, {subj_l} {verb} a {noun} that supporters say will change {place}.",
        "{Subj} {verb} the long-awaited {noun} late {wday}, a move that drew cheers and some sharp criticism.",
        "A {noun} that has divided {place} for months {passive} on {wday}, officials said.",
        "When {first} {last} moved to {place} {n} years ago, she never expected to be at the center of a fight over a {noun}."]
MID = ["\"{quote},\" said {first} {last}, who has lived near {place} for {n} years.",
       "The {noun} will cost about ${n}.{n2} million, according to a report presented at the meeting.",
       "Supporters argued that the change was overdue and pointed to similar efforts in neighboring towns.",
       "Opponents said they had not been given enough time to study the details, and several asked for a delay.",
       "{first} {last}, a spokesperson for the county, said the next step would be a public hearing in {month}.",
       "Work is expected to begin in {month} and last about {n} months, weather permitting.",
       "Not everyone is convinced. \"{quote},\" said one longtime resident who asked not to be named.",
       "The group first raised the issue in {year}, when a smaller version of the {noun} was turned down.",
       "Attendance at the meeting was the highest in years, with people standing along the back wall.",
       "A final decision on funding is due on {month} {day}, {year}, officials said.",
       "In a statement, the company said it was \"reviewing the decision\" and would comment later.",
       "Data from the state show a {n} percent rise over the past five years."]
SHORT = ["That could change soon.", "It did not.", "The vote was unanimous.",
         "\"We'll see,\" she said.", "Others disagreed.", "The meeting ran past midnight."]
CLOSE = ["The council meets again on {wday}, when members are expected to take up the {noun} a second time.",
         "Those who want to comment can do so online until the end of {month}.",
         "{first} {last} said she would be watching closely. \"{quote}.\"",
         "The next hearing is scheduled for {month} {day}.",
         "A full report is expected later this year."]

COMMENT_HEADS = ["Comments", "{n} Comments", "{n} comments", "Leave a Reply", "Leave a comment",
                 "Reader comments", "Join the discussion", "What readers are saying",
                 "Discussion", "Responses", "{n} Responses to \u201c{headline}\u201d",
                 "Comments ({n})", "COMMENTS", "Commnets", "Coments", "Add your comment",
                 "{n} thoughts on \u201c{headline}\u201d", "Reader Comments", "Comment",
                 "Readers' comments", "Your comments", "Conversation", "comments"]
FRAMES = ["{h}", "--- {h} ---", "=== {h} ===", "*** {h} ***", "~~~ {h} ~~~", "\u2014 {h} \u2014",
          "## {h}", "[ {h} ]", "<<< {h} >>>", "\u2022\u2022\u2022 {h} \u2022\u2022\u2022",
          "-----\n{h}", "{h}\n------", "_____\n{h}", "### {h} ###", "# {h}", ":: {h} ::",
          "\u2500\u2500 {h} \u2500\u2500", "+++ {h} +++", ">> {h}", "| {h} |", "{h}:"]
COMMENT_TEXT = ["Finally some common sense from the council.", "This is a waste of money.",
                "My kids go to that school and I am worried.", "Great reporting, thank you.",
                "Who is going to pay for all this?", "I remember when that was a field.",
                "Can't wait to try it out this summer.", "Typical. Nobody listens to residents.",
                "Does anyone know when the meeting is?", "Well said, {first}.",
                "Agree with the above.", "This should have happened years ago."]
HANDLES = ["jsmith", "riverrat77", "Mary K.", "concerned_parent", "Dave", "oldtimer",
           "Ann from Westbury", "bikeguy", "T. Nguyen", "localmom", "Sam R", "gardener42"]


class Pick:
    def __init__(self, rng):
        self.r = rng

    def __call__(self, xs):
        return self.r.choice(xs)

    def p(self, x):
        return self.r.random() < x


def ordinal(n):
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def clock(r, t, style):
    h, m = t
    h12 = (h % 12) or 12
    ap = "AM" if h < 12 else "PM"
    return {
        "12": f"{h12}:{m:02d} {ap}",
        "12l": f"{h12}:{m:02d} {ap.lower()}",
        "12dot": f"{h12}:{m:02d} {'a.m.' if h < 12 else 'p.m.'}",
        "24": f"{h:02d}:{m:02d}",
        "24dot": f"{h:02d}.{m:02d}",
    }[style]


ZONES_US = ["EST", "PST", "ET", "CST", "EDT", "PT", "MT"]
ZONES_EU = ["GMT", "BST", "CET", "UTC"]


def date_text(r, d, t, form, us):
    """One written form of the date d (and time t). Returns a list of lines."""
    mo, mon3, ap = MONTHS[d.month - 1], MON3[d.month - 1], MON_AP[d.month - 1]
    wd = DAYS[d.weekday()]
    zone = r.choice(ZONES_US if us else ZONES_EU)
    c12, c24 = clock(r, t, r.choice(["12", "12l", "12dot"])), clock(r, t, "24")
    y, dd = d.year, d.day
    forms = {
        "mdy": f"{mo} {dd}, {y}",
        "mdy3": f"{mon3} {dd}, {y}",
        "mdyap": f"{ap} {dd}, {y}",
        "dmy": f"{dd} {mo} {y}",
        "wmdy": f"{wd}, {mo} {dd}, {y}",
        "wdmy": f"{wd} {dd} {mo} {y}",
        "guardian": f"{wd[:3]} {dd} {mon3} {y} {clock(r, t, '24dot')} {zone}",
        "mdyt": f"{mo} {dd}, {y} {c12} {zone}",
        "mdyat": f"{mo} {dd}, {y} at {c12}",
        "published": f"Published: {mo} {dd}, {y}",
        "postedon": f"Posted on {mo} {dd}, {y}",
        "bbc": f"{dd} {mo} {y} Last updated at {c24} {zone}",
        "iso": f"{y}-{d.month:02d}-{dd:02d}",
        "isot": f"{y}-{d.month:02d}-{dd:02d} {c24}",
        "timefirst": f"Published {c12} {zone} {mon3} {dd}, {y}",
        "caps": f"{mo.upper()} {dd}, {y}",
        "ord_us": f"{mo} {ordinal(dd)}, {y}",
        "ord_uk": f"{ordinal(dd)} {mo} {y}",
        "posted3": f"Posted: {wd[:3]}, {mon3} {dd}, {y}",
        "numeric": (f"{d.month:02d}/{dd:02d}/{y}" if us else f"{dd:02d}/{d.month:02d}/{y}"),
        "dotted": f"{dd}.{d.month}.{y}",
        "nocomma": f"{mon3} {dd} {y}",
        "pipe": f"{mo} {dd}, {y} | {c12}",
        "datecolon": f"Date: {mo} {dd}, {y}",
        "etline": f"{mo} {dd}, {y}, {clock(r, t, '12dot')} ET",
        "mdy0t": f"{mon3} {dd:02d}, {y} {c12} {zone}",
        "tcomma": f"{c12}, {mo} {dd}, {y}",
        "dmy3": f"{dd} {mon3} {y}",
    }
    if form == "split3":
        return r.choice([[str(dd), mo, str(y)], [mon3.upper(), f"{dd:02d}", str(y)]])
    if form == "nextline":
        return [f"{mo} {dd}, {y}" if us else f"{dd} {mo} {y}", f"{c12} {zone}"]
    if form == "dotted" and us:
        form = "numeric"  # dotted day.month.year is a European form
    return [forms[form]]


DATE_FORMS = ["mdy", "mdy3", "mdyap", "dmy", "wmdy", "wdmy", "guardian", "mdyt", "mdyat",
              "published", "postedon", "bbc", "iso", "isot", "timefirst", "caps", "ord_us",
              "ord_uk", "posted3", "numeric", "dotted", "nocomma", "pipe", "datecolon",
              "etline", "mdy0t", "tcomma", "dmy3", "split3", "nextline"]
UPDATED_FORMS = ["Updated: {d}", "Updated {d}", "Last updated: {d}", "Last modified on {d}",
                 "UPDATED: {d}", "Updated on {d}"]


def fill(r, template, ctx):
    vals = dict(ctx)
    vals.update(first=r.choice(FIRST), last=r.choice(LAST), n=r.randint(2, 40),
                n2=r.randint(1, 9), quote=r.choice(QUOTES), place=r.choice(PLACES),
                noun=r.choice(NOUNS), wday=r.choice(DAYS), month=r.choice(MONTHS),
                day=r.randint(1, 28), year=r.randint(2000, 2010))
    return template.format(**vals)


def headline(r, pick):
    subj = pick(HL_SUBJ).format(last=pick(LAST))
    t = r.randrange(9)
    if t <= 2:
        h = f"{subj} {pick(HL_VERB)} {pick(HL_OBJ)}"
    elif t == 3:
        h = f"{subj} {pick(HL_VERB)} {pick(HL_OBJ)} {pick(HL_AFTER)}"
    elif t == 4:
        h = r.choice([f"Why {pick(HL_TOPIC)} matters", f"What to know about {pick(HL_TOPIC)}",
                      f"{r.randint(3, 9)} things to know about {pick(HL_TOPIC)}"])
    elif t == 5:
        h = f"\u2018{pick(QUOTES)}\u2019: {subj} {pick(HL_VERB)} {pick(HL_OBJ)}"
    elif t == 6:
        h = f"Will {subj.lower() if subj[0].isupper() and ' ' in subj else subj} back {pick(HL_OBJ)}?"
    elif t == 7:
        h = r.choice([f"{pick(MONTHS)} {pick(['rally', 'storm', 'vote', 'sale'])} "
                      f"{pick(['draws thousands', 'leaves hundreds without power', 'ends in tie', 'breaks records'])}",
                      f"{r.randint(2001, 2012)} budget {pick(['passes', 'stalls', 'clears first vote'])}",
                      f"Review: {pick(HL_TOPIC).capitalize()}"])
    else:
        h = f"{pick(HL_TOPIC).capitalize()}: {subj.lower()} {pick(HL_VERB)} {pick(HL_OBJ)}"
    if r.random() < 0.3:  # Title Case
        small = ("a", "of", "to", "on", "in", "for", "and", "the", "at", "as")
        h = " ".join(w if w in small else w[:1].upper() + w[1:] for w in h.split(" "))
    return h[0].upper() + h[1:]


def byline(r, pick, form):
    """Returns (lines, authors)."""
    a = f"{pick(FIRST)} {pick(LAST)}"
    b = f"{pick(FIRST)} {pick(LAST)}"
    forms = {
        "by": ([f"By {a}"], [a]),
        "bylower": ([f"by {a}"], [a]),
        "two": ([f"By {a} and {b}"], [a, b]),
        "role": ([f"By {a}, {pick(ROLES)}"], [a]),
        "posted": ([f"Posted by {a}"], [a]),
        "written": ([f"Written by {a}"], [a]),
        "story": ([f"Story by {a}"], [a]),
        "alone": ([a, pick(ROLES)], [a]),
        "pipe": ([f"{a} | {pick(ROLES)}"], [a]),
        "bysplit": (["By", a], [a]),
    }
    return forms[form]


BYLINE_FORMS = ["by", "bylower", "two", "role", "posted", "written", "story", "alone",
                "pipe", "bysplit"]


class Source:
    """One invented site: its layout, drawn once, and its pages."""

    def __init__(self, r, index):
        pick = Pick(r)
        self.r, self.pick = r, pick
        kind = r.choice(["paper", "paper", "blog", "station", "wire"])
        if kind == "paper":
            self.name = f"{pick(['The ', 'The ', ''])}{pick(SITE_A)} {pick(SITE_B)}"
        elif kind == "blog":
            self.name = pick(BLOGS)
        elif kind == "station":
            self.name = pick(STATIONS)
        else:
            self.name = f"{pick(SITE_A)} {pick(['Wire', 'Press', 'Newswire', 'Report'])}"
        self.slug = f"{index:02d}-" + "".join(c if c.isalnum() else "-" for c in self.name.lower()).strip("-")
        self.us = pick.p(0.6)
        self.top = []  # furniture lines at the top of every page
        if pick.p(0.35):
            self.top += r.sample(NAV, r.randint(1, 3))
        if pick.p(0.6):
            self.top.append(self.name)
            if pick.p(0.35):
                self.top.append(pick(TAGLINES))
        if pick.p(0.3):
            self.top.append(pick(SECTIONS))
        self.date_form = None if pick.p(0.08) else pick(DATE_FORMS)
        self.byline_form = None if pick.p(0.2) else pick(BYLINE_FORMS)
        self.byline_with_date = self.byline_form and self.date_form and pick.p(0.15)
        self.deck = pick.p(0.35)
        self.caption = pick.p(0.3)
        self.share = pick.p(0.35)
        self.ads = pick.p(0.3)
        self.updated = pick.p(0.25) and self.date_form is not None
        self.dateline = kind == "wire" or pick.p(0.15)
        self.comments = r.choice(["none", "none", "headed", "headed", "unheaded"])
        self.tail = r.sample(TAIL, r.randint(0, 3))
        # The order of the header parts after the top furniture.
        parts = ["headline", "byline", "date", "caption", "share"]
        r.shuffle(parts)
        self.order = parts
        self.deck_after_headline = pick.p(0.85)
        self.wild = pick.p(0.1)  # a source whose layout changes on every page
        self.n = r.choice([1, 2, 3, 4, 6, 8, 10, 12, 15, 20])
        self.start = dt.date(r.randint(2003, 2022), r.randint(1, 12), r.randint(1, 28))


def story(r, pick, ctx):
    subj = pick(HL_SUBJ).format(last=pick(LAST))
    verb = pick(["approved", "rejected", "unveiled", "backed", "delayed", "announced"])
    opening = fill(r, pick(OPEN), dict(ctx, Subj=subj, subj_l=subj.lower(), verb=verb,
                                       passive=pick(["was approved", "was shelved", "won backing"])))
    paras = [opening]
    for _ in range(r.randint(2, 8)):
        if r.random() < 0.15:
            paras.append(pick(SHORT))
        else:
            k = r.randint(1, 3)
            paras.append(" ".join(fill(r, pick(MID), ctx) for _ in range(k)))
    paras.append(fill(r, pick(CLOSE), ctx))
    # No two paragraphs alike: the checks look for a paragraph by its start.
    out, seen = [], set()
    for p in paras:
        if p[:40] not in seen:
            seen.add(p[:40])
            out.append(p)
    return out


def comments_block(r, pick, style, ctx, date):
    """Returns (lines, a phrase of the first comment)."""
    n = r.randint(1, 5)
    texts = [fill(r, pick(COMMENT_TEXT), ctx) for _ in range(max(n, 2))]
    marker = f"Comment no. {r.randint(100, 999)}"
    texts[0] = f"{texts[0]} {marker} from a reader."
    lines = []
    if style == "headed":
        head = pick(COMMENT_HEADS).format(n=n, headline=ctx["headline"])
        if r.random() < 0.3:
            head = head.upper() if r.random() < 0.5 else head.lower()
        lines += [pick(FRAMES).format(h=head), ""]
    for i, text in enumerate(texts):
        cd = date + dt.timedelta(days=r.randint(0, 3))
        when = r.choice([f"{MONTHS[cd.month - 1]} {cd.day}, {cd.year} at {clock(r, (r.randint(0, 23), r.randint(0, 59)), '12l')}",
                         f"{cd.day} {MON3[cd.month - 1]} {cd.year} {clock(r, (r.randint(0, 23), r.randint(0, 59)), '24')}",
                         f"{cd.year}-{cd.month:02d}-{cd.day:02d}"])
        who = pick(HANDLES)
        head = r.choice([f"{who} on {when} said:", f"{who} | {when}", f"{who}\n{when}",
                         f"{who} says:\n{when}", f"{who} \u2022 {when}"]) if style == "unheaded" or r.random() < 0.7 else who
        lines += head.split("\n") + ["", text, ""]
        if r.random() < 0.4:
            lines += ["Reply", ""]
    if style == "headed" and r.random() < 0.3:
        lines += ["Leave a Reply", "",
                  "Your email address will not be published. Required fields are marked *", ""]
    return lines, marker


def page(src, i):
    r, pick = src.r, src.pick
    wild = src.wild
    if wild:
        r.shuffle(src.order)
        src.date_form = pick(DATE_FORMS)
    date = src.start + dt.timedelta(days=3 * i + r.randint(0, 2))
    t = (r.randint(5, 22), r.randint(0, 59))
    head_text = headline(r, pick)
    ctx = {"site": src.name, "headline": head_text, "pageyear": date.year, "subj": "Protesters",
           "first": pick(FIRST), "last": pick(LAST), "wday": pick(DAYS),
           "tag1": pick(TAGS), "tag2": pick(TAGS)}
    header = list(src.top)
    if src.ads and pick.p(0.5):
        header.insert(r.randint(0, len(header)), pick(ADS))
    authors = []
    deck = fill(r, pick(DECK_PARTS), ctx) if src.deck and pick.p(0.9) else None
    want_date = None
    updated = None
    for part in src.order:
        if part == "headline":
            header.append(head_text)
            if deck and src.deck_after_headline:
                header.append(deck)
        elif part == "byline" and src.byline_form:
            lines, authors = byline(r, pick, src.byline_form)
            if src.byline_with_date:
                mo = MONTHS[date.month - 1]
                lines = [f"{lines[0]} on {mo} {date.day}, {date.year}" if src.byline_form in ("by", "bylower", "posted")
                         else f"{lines[0]} | {mo} {date.day}, {date.year}"] + lines[1:]
                want_date = date
            header.append("\n".join(lines))
        elif part == "date" and src.date_form and not src.byline_with_date:
            dlines = date_text(r, date, t, src.date_form, src.us)
            want_date = date
            if src.updated and pick.p(0.7):
                later = date + dt.timedelta(days=r.randint(0, 6))
                ul = pick(UPDATED_FORMS).format(d=date_text(r, later, (t[0], t[1]), r.choice(["mdy", "mdyt", "dmy", "etline"]) if src.us else "dmy", src.us)[0])
                updated = later
                if pick.p(0.3):
                    dlines = [ul] + dlines
                else:
                    dlines = dlines + [ul]
            header.append("\n".join(dlines))
        elif part == "caption" and src.caption and pick.p(0.8):
            header.append(fill(r, pick(CAPTIONS), ctx))
        elif part == "share" and src.share:
            header += r.sample(SHARE, r.randint(1, 3))
    if deck and not src.deck_after_headline:
        header.insert(r.randint(0, len(header)), deck)
    if pick.p(0.05):
        header.append(f"{r.randint(2, 12)} min read")
    paras = story(r, pick, ctx)
    dateline = None
    if src.dateline and pick.p(0.8):
        city = pick(["NAIROBI, Kenya", "LONDON", "WASHINGTON", "DENVER", "MANILA", "OSLO, Norway",
                     "SPRINGFIELD, Ill.", "TOKYO"])
        agency = pick(["", " (AP)", " (Reuters)", " (AFP)"])
        dateline = f"{city}{agency}"
        dash = pick(["\u2014", "-", "--", "\u2013"])
        paras[0] = f"{dateline} {dash} {paras[0]}"
    first = paras[0][len(dateline) + 3:] if dateline else paras[0]
    first = first.lstrip("\u2014-\u2013 ")
    body = [l for p in paras for l in (p, "")]
    if src.ads and pick.p(0.3) and len(paras) > 3:
        k = 2 * r.randint(1, len(paras) - 2)
        body[k:k] = [pick(ADS), ""]
    comment = None
    tail_lines = [fill(r, t_, ctx) for t_ in src.tail]
    end = []
    if src.comments != "none" and pick.p(0.7):
        clines, comment = comments_block(r, pick, src.comments, ctx, date)
        # Tail furniture sits between the story and the comments on some sites.
        if pick.p(0.5):
            end = [l for t_ in tail_lines for l in (t_, "")] + clines
        else:
            end = clines + [l for t_ in tail_lines for l in (t_, "")]
    else:
        end = [l for t_ in tail_lines for l in (t_, "")]
    # Header lines: one per line, sometimes with blank lines between.
    sep = pick(["", "blank"]) if not wild else "blank"
    lines = []
    for h in header:
        lines += h.split("\n")
        if sep == "blank" or pick.p(0.2):
            lines.append("")
    if lines and lines[-1] != "":
        lines.append("")
    text = "\n".join(lines + body + end).rstrip("\n") + "\n"
    slug = "-".join(head_text.lower().replace("\u2018", "").replace("\u2019", "").split()[:6])
    slug = "".join(c for c in slug if c.isalnum() or c == "-")
    case = {"path": f"{src.slug}/{i:02d}-{slug}.txt", "headline": head_text,
            "date": want_date.isoformat() if want_date else None,
            "updated": updated.isoformat() if updated and want_date else None,
            "authors": authors, "deck": deck, "dateline": dateline,
            "first": first[:30], "last": paras[-1][:30], "comment": comment,
            "month_first": src.us}
    return case, text


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sources", type=int, default=70)
    args = ap.parse_args()
    r = random.Random(args.seed)
    cases = []
    for s in range(args.sources):
        src = Source(random.Random(r.random()), s)
        for i in range(src.n):
            case, text = page(src, i)
            path = os.path.join(args.out, case["path"])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            cases.append(case)
    with open(os.path.join(args.out, "expected.toml"), "w", encoding="utf-8") as f:
        f.write(f"# Made by scripts/gen_scraped_eval.py --seed {args.seed} --sources {args.sources}\n")
        for c in cases:
            f.write("\n[[file]]\n")
            for key in ("path", "headline", "date", "updated", "deck", "dateline", "first",
                        "last", "comment"):
                if c[key] is not None:
                    f.write(f"{key} = {toml_str(c[key])}\n")
            f.write("authors = [" + ", ".join(toml_str(a) for a in c["authors"]) + "]\n")
            f.write(f"month_first = {'true' if c['month_first'] else 'false'}\n")
    print(f"{len(cases)} pages from {args.sources} sources in {args.out}")


if __name__ == "__main__":
    main()
