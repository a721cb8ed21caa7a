//! The issue's targets measured on scraped pages written apart from the rules: at least 98%
//! of headlines right, 95% of written dates found, 95% of comments sections cut, and no
//! date where the header has none. The other fields (update, authors, deck, dateline, the
//! story's first and last paragraph) are counted and listed, not held to a target. Run
//! with `--nocapture` for the table.
//!
//! `tests/fixtures/scraped-blind/` was written before it was first measured (22/33
//! headlines, 20/32 dates, 16/18 comments cut) and the rules were then fixed on it;
//! `scraped-blind2/` was written after those fixes and measured before any further change.

#![allow(
    clippy::print_stdout,
    reason = "the measured rates and each miss, read with --nocapture"
)]

use std::path::{Path, PathBuf};

use broadsheet::ingest::furniture;
use broadsheet::ingest::{DateOrder, WireDoc, WireOptions, parse_wire_with};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    file: Vec<Case>,
}

/// What a reader of one page would say it holds. Dates are calendar days.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    path: String,
    headline: String,
    date: Option<String>,
    updated: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    deck: Option<String>,
    dateline: Option<String>,
    first: String,
    last: String,
    /// A phrase of the comments section (or its heading) that must not be in the story.
    comment: Option<String>,
    #[serde(default)]
    month_first: bool,
}

/// One measure: how many of how many were right, and what the misses were.
#[derive(Default)]
struct Tally {
    right: usize,
    of: usize,
    misses: Vec<String>,
}

impl Tally {
    fn count(&mut self, path: &str, right: bool, what: impl FnOnce() -> String) {
        self.of += 1;
        if right {
            self.right += 1;
        } else {
            self.misses.push(format!("{path}: {}", what()));
        }
    }

    fn rate(&self) -> f64 {
        if self.of == 0 {
            1.0
        } else {
            self.right as f64 / self.of as f64
        }
    }
}

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn texts(folder: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| {
            let rel = e.path().strip_prefix(folder).expect("under the folder");
            let text = std::fs::read_to_string(e.path()).expect("fixture reads");
            (rel.to_string_lossy().replace('\\', "/"), text)
        })
        .collect();
    out.sort();
    out
}

fn day(d: Option<&broadsheet::ingest::TextDate>) -> Option<String> {
    d.map(|d| d.date.format("%Y-%m-%d").to_string())
}

fn starts(paragraph: Option<&String>, start: &str) -> bool {
    paragraph.is_some_and(|p| p.starts_with(start))
}

#[derive(Default)]
struct Tallies {
    headline: Tally,
    date: Tally,
    invented: Tally,
    comments: Tally,
    updated: Tally,
    authors: Tally,
    deck: Tally,
    dateline: Tally,
    first: Tally,
    last: Tally,
}

fn measure(tallies: &mut Tallies, case: &Case, doc: &WireDoc) {
    let p = case.path.as_str();
    let t = tallies;
    t.headline.count(p, doc.headline == case.headline, || {
        format!("{:?}", doc.headline)
    });
    let date = day(doc.date.as_ref());
    match &case.date {
        Some(want) => t.date.count(p, date.as_ref() == Some(want), || {
            format!("{date:?}, want {want}")
        }),
        None => t
            .invented
            .count(p, date.is_none(), || format!("{date:?} invented")),
    }
    if let Some(phrase) = &case.comment {
        let kept = doc.paragraphs.iter().any(|para| para.contains(phrase));
        let story_whole = doc
            .paragraphs
            .iter()
            .any(|para| para.starts_with(&case.last));
        t.comments.count(p, !kept && story_whole, || {
            let last = doc.paragraphs.last().cloned().unwrap_or_default();
            format!(
                "comments kept: {kept}, story's last paragraph kept: {story_whole}; ends {last:?}"
            )
        });
    }
    let updated = day(doc.updated.as_ref());
    t.updated.count(p, updated == case.updated, || {
        format!("{updated:?}, want {:?}", case.updated)
    });
    t.authors.count(p, doc.authors == case.authors, || {
        format!("{:?}, want {:?}", doc.authors, case.authors)
    });
    t.deck.count(p, doc.deck == case.deck, || {
        format!("{:?}, want {:?}", doc.deck, case.deck)
    });
    t.dateline.count(p, doc.dateline == case.dateline, || {
        format!("{:?}, want {:?}", doc.dateline, case.dateline)
    });
    let (first, last) = (doc.paragraphs.first(), doc.paragraphs.last());
    t.first
        .count(p, starts(first, &case.first), || format!("{first:?}"));
    t.last
        .count(p, starts(last, &case.last), || format!("{last:?}"));
}

#[test]
fn first_blind_set_meets_the_issue_targets() {
    meets_the_targets(&folder("scraped-blind"));
}

#[test]
fn second_blind_set_meets_the_issue_targets() {
    meets_the_targets(&folder("scraped-blind2"));
}

/// The generated evaluation set: `python3 scripts/gen_scraped_eval.py --out DIR`, then
/// `SCRAPED_EVAL=DIR cargo test --test scraped_blind -- --ignored --nocapture`
/// (scripts/ci-scraped.sh runs it on a fresh set).
#[test]
#[ignore = "needs SCRAPED_EVAL, a folder made by scripts/gen_scraped_eval.py"]
fn generated_set_meets_the_issue_targets() {
    let dir = std::env::var_os("SCRAPED_EVAL")
        .expect("SCRAPED_EVAL names a folder made by scripts/gen_scraped_eval.py");
    meets_the_targets(Path::new(&dir));
}

/// Reads every page of the folder as a build would (furniture learned from the folder,
/// each page's date order) and holds the rates to the issue's targets.
fn meets_the_targets(folder: &Path) {
    let name = folder
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let texts = texts(folder);
    let expected: Expected = toml::from_str(
        &std::fs::read_to_string(folder.join("expected.toml")).expect("expected.toml"),
    )
    .expect("expected.toml parses");
    assert_eq!(texts.len(), expected.file.len(), "one entry per page");
    let samples: Vec<_> = texts.iter().map(|(p, t)| furniture::sample(p, t)).collect();
    let furniture = furniture::learn(&samples);
    let mut tallies = Tallies::default();
    for case in &expected.file {
        let (_, text) = texts
            .iter()
            .find(|(p, _)| p == &case.path)
            .unwrap_or_else(|| panic!("{} is not a fixture", case.path));
        let order = if case.month_first {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        };
        let opts = WireOptions::new(order, &[] as &[&str]).expect("options");
        let doc = parse_wire_with(text, &opts, furniture.for_path(&case.path));
        measure(&mut tallies, case, &doc);
    }
    let t = &tallies;
    let rows: [(&str, &Tally); 10] = [
        ("headline right", &t.headline),
        ("written date found", &t.date),
        ("no date invented", &t.invented),
        ("comments cut", &t.comments),
        ("updated", &t.updated),
        ("authors", &t.authors),
        ("deck", &t.deck),
        ("dateline", &t.dateline),
        ("first paragraph", &t.first),
        ("last paragraph", &t.last),
    ];
    for (field, tally) in rows {
        println!(
            "{name}: {field}: {}/{} ({:.1}%)",
            tally.right,
            tally.of,
            100.0 * tally.rate()
        );
        for miss in &tally.misses {
            println!("    {miss}");
        }
    }
    assert!(
        t.headline.rate() >= 0.98,
        "headlines: {:?}",
        t.headline.misses
    );
    assert!(t.date.rate() >= 0.95, "dates: {:?}", t.date.misses);
    assert!(t.invented.misses.is_empty(), "{:?}", t.invented.misses);
    assert!(
        t.comments.rate() >= 0.95,
        "comments: {:?}",
        t.comments.misses
    );
}
