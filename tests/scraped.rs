//! Scraped news and blog pages in every header layout (`tests/fixtures/scraped/`): each
//! file's headline, date, update, authors, dateline, deck, cuts and flags as listed in
//! `expected.toml` beside them. The site furniture is learned from the whole folder, as a
//! build learns it from content/.

mod common;

use std::path::{Path, PathBuf};

use broadsheet::ingest::furniture::{self, Furniture};
use broadsheet::ingest::{DateOrder, TextDate, WireDoc, WireOptions, parse_wire_with};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    file: Vec<Case>,
}

/// What one fixture must read as. Dates are `YYYY-MM-DD[ HH:MM[ ±HH:MM]]`; cuts are
/// `reason first-last` (or `reason line`), in the order the parser records them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    path: String,
    headline: String,
    date: Option<String>,
    updated: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    dateline: Option<String>,
    deck: Option<String>,
    /// The start of the first paragraph of the story.
    first: String,
    /// The start of the last paragraph of the story.
    last: String,
    #[serde(default)]
    cuts: Vec<String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    month_first: bool,
    #[serde(default)]
    cut_after: Vec<String>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scraped")
}

/// Every `.txt` under the fixtures, as (path relative to the folder, text).
fn texts() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(fixtures())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| {
            let rel = e.path().strip_prefix(fixtures()).expect("under fixtures");
            let text = std::fs::read_to_string(e.path()).expect("fixture reads");
            (rel.to_string_lossy().replace('\\', "/"), text)
        })
        .collect();
    out.sort();
    out
}

fn learn(texts: &[(String, String)]) -> Furniture {
    let samples: Vec<_> = texts.iter().map(|(p, t)| furniture::sample(p, t)).collect();
    furniture::learn(&samples)
}

fn show(d: &TextDate) -> String {
    let mut s = d.date.format("%Y-%m-%d").to_string();
    if let Some(t) = d.time {
        s.push_str(&t.format(" %H:%M").to_string());
    }
    if let Some(o) = d.offset {
        s.push_str(&format!(" {o}"));
    }
    s
}

/// The differences between what `doc` holds and what `case` expects.
fn differences(case: &Case, doc: &WireDoc) -> Vec<String> {
    let mut out = Vec::new();
    let mut same = |field: &str, got: String, want: String| {
        if got != want {
            out.push(format!("{field}: got {got:?}, want {want:?}"));
        }
    };
    same("headline", doc.headline.clone(), case.headline.clone());
    same(
        "date",
        format!("{:?}", doc.date.as_ref().map(show)),
        format!("{:?}", case.date),
    );
    same(
        "updated",
        format!("{:?}", doc.updated.as_ref().map(show)),
        format!("{:?}", case.updated),
    );
    same(
        "authors",
        format!("{:?}", doc.authors),
        format!("{:?}", case.authors),
    );
    same(
        "dateline",
        format!("{:?}", doc.dateline),
        format!("{:?}", case.dateline),
    );
    same(
        "deck",
        format!("{:?}", doc.deck),
        format!("{:?}", case.deck),
    );
    let first = doc.paragraphs.first().cloned().unwrap_or_default();
    let last = doc.paragraphs.last().cloned().unwrap_or_default();
    same(
        "first",
        first.chars().take(case.first.chars().count()).collect(),
        case.first.clone(),
    );
    same(
        "last",
        last.chars().take(case.last.chars().count()).collect(),
        case.last.clone(),
    );
    let cuts: Vec<String> = doc
        .cut
        .iter()
        .map(|c| {
            let lines = if c.first_line == c.last_line {
                c.first_line.to_string()
            } else {
                format!("{}-{}", c.first_line, c.last_line)
            };
            format!("{} {lines}", c.reason)
        })
        .collect();
    same("cuts", format!("{cuts:?}"), format!("{:?}", case.cuts));
    let flags: Vec<String> = doc.flags.iter().map(ToString::to_string).collect();
    same("flags", format!("{flags:?}"), format!("{:?}", case.flags));
    out
}

#[test]
fn every_scraped_layout_reads_as_expected() {
    let texts = texts();
    assert!(texts.len() >= 40, "{} fixtures", texts.len());
    let expected: Expected = toml::from_str(
        &std::fs::read_to_string(fixtures().join("expected.toml")).expect("expected.toml"),
    )
    .expect("expected.toml parses");
    let furniture = learn(&texts);
    let mut failures = Vec::new();
    for (path, text) in &texts {
        let Some(case) = expected.file.iter().find(|c| &c.path == path) else {
            failures.push(format!("{path}: not in expected.toml"));
            continue;
        };
        let order = if case.month_first {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        };
        let opts = WireOptions::new(order, &[] as &[&str])
            .and_then(|o| o.with_cut_after(&case.cut_after))
            .expect("options");
        let doc = parse_wire_with(text, &opts, furniture.for_path(path));
        for d in differences(case, &doc) {
            failures.push(format!("{path}: {d}"));
        }
    }
    for case in &expected.file {
        if !texts.iter().any(|(p, _)| p == &case.path) {
            failures.push(format!("{}: in expected.toml but not a fixture", case.path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn furniture_is_learned_per_folder_and_only_from_repeated_lines() {
    let furniture = learn(&texts());
    let groups = furniture.groups();
    assert_eq!(
        groups.iter().map(|(g, _)| *g).collect::<Vec<_>>(),
        ["towncrier", "valleyvoice"],
        "{groups:?}"
    );
    let blog = furniture.for_path("valleyvoice/any.txt");
    for line in [
        "Valley Voice",
        "News and views from the Shenandoah",
        "Share this:",
        "Like this:",
    ] {
        assert!(blog.contains(line), "{line}");
    }
    assert!(!blog.contains("Why the library matters"));
    assert!(
        furniture
            .for_path("towncrier/x.txt")
            .contains("Local news since 1887")
    );
    assert!(furniture.for_path("afp-lavrov.txt").is_empty());
}

/// A site whose content/ holds the named fixtures, at the same paths.
fn site_of(paths: &[&str]) -> common::Site {
    let site = common::Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    site.write(
        "site.toml",
        b"title = \"Scraped\"\nbase_url = \"https://scraped.example\"\n",
    );
    for path in paths {
        let text = std::fs::read(fixtures().join(path)).expect("fixture reads");
        site.write(&format!("content/{path}"), &text);
    }
    site
}

#[test]
fn check_ingest_lists_the_furniture_the_field_lines_and_the_flagged_files() {
    let site = site_of(&[
        "valleyvoice/2011-03-01-festival.txt",
        "valleyvoice/2011-03-02-flood.txt",
        "valleyvoice/2011-03-04-bridge.txt",
        "valleyvoice/2011-03-05-library.txt",
        "comments-stars.txt",
        "two-dates.txt",
        "short-story.txt",
    ]);
    let out = site.run(&["check", "--ingest"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    for want in [
        "content/comments-stars.txt  [wire, header: wire, UTF-8]\n  headline: Strike leaves commuters scrambling for buses\n",
        "  from:     headline line 1, date line 3\n  cut:      lines 11-15: comments section: ★★★ COMMENTS ★★★\n",
        "  from:     headline line 1, date line 3, updated line 5\n  doubtful: two competing dates\n",
        "  doubtful: very short story\n",
        "  from:     headline line 5, date line 7, byline line 7\n  cut:      line 1: site furniture: Valley Voice\n",
        "furniture in valleyvoice/ (4 files): Home | About | Contact | Like this: | News and views from the Shenandoah | Valley Voice\n",
        "totals: 7 files, 7 articles, 0 drafts, 0 undated, 0 skipped, 2 doubtful, 0 warnings, 0 errors\n",
    ] {
        assert!(text.contains(want), "{want}\nnot in:\n{text}");
    }

    let json = site.run(&["check", "--ingest", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["totals"]["doubtful"], 2);
    assert_eq!(
        v["furniture"],
        serde_json::json!([{
            "group": "valleyvoice",
            "lines": ["Home | About | Contact", "Like this:", "News and views from the Shenandoah", "Valley Voice"],
            "files": 4,
        }])
    );
    let file = |name: &str| {
        v["files"]
            .as_array()
            .expect("files")
            .iter()
            .find(|f| f["path"] == format!("content/{name}"))
            .cloned()
            .unwrap_or_else(|| panic!("{name} in the report"))
    };
    let two = file("two-dates.txt");
    assert_eq!(two["doubts"], serde_json::json!(["two competing dates"]));
    assert_eq!(
        two["lines"],
        serde_json::json!({"headline": 1, "deck": null, "date": 3, "updated": 5, "byline": null, "dateline": null})
    );
    let bridge = file("valleyvoice/2011-03-04-bridge.txt");
    assert_eq!(
        bridge["furniture"],
        serde_json::json!([
            "Valley Voice",
            "News and views from the Shenandoah",
            "Home | About | Contact",
            "Like this:"
        ])
    );
    assert_eq!(
        file("comments-stars.txt")["cut"],
        serde_json::json!(["lines 11-15: comments section: ★★★ COMMENTS ★★★"])
    );
}
