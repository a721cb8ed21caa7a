//! Scraped news and blog pages in every header layout (`tests/fixtures/scraped/`): each
//! file's headline, date, update, authors, dateline, deck, cuts and flags as listed in
//! `expected.toml` beside them. The site furniture is learned from the whole folder, as a
//! build learns it from content/.

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
