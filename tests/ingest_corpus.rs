//! The ingest parsers over real and generated archives, when they are present beside the
//! repository. Ignored by default; run with
//! `cargo test --test ingest_corpus -- --ignored --nocapture`.
//!
//! The corpus root is `$BROADSHEET_CORPUS`, else `../shared/corpus` next to the crate. A
//! missing corpus skips with a message, so these never fail on a bare clone.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a report over real corpora, read with --nocapture"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use broadsheet::ingest::{
    DateOrder, SourceEncoding, WireOptions, decode, parse_key_value_header, parse_wire,
};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
}

fn corpus_root() -> PathBuf {
    std::env::var_os("BROADSHEET_CORPUS").map_or_else(|| shared().join("corpus"), PathBuf::from)
}

/// The corpus folder `name`, or `None` after saying it is skipped.
fn corpus_dir(name: &str) -> Option<PathBuf> {
    let dir = corpus_root().join(name);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} does not exist", dir.display());
        None
    }
}

fn txt_files(dir: &Path) -> Vec<PathBuf> {
    files_ending(dir, "txt")
}

fn files_ending(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

/// Paragraphs as the blank-line structure gives them: runs of non-blank lines after the
/// first non-blank line.
fn blank_line_blocks(text: &str) -> usize {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty()).skip(1);
    let mut blocks = 0;
    let mut inside = false;
    for line in lines.by_ref() {
        let blank = line.trim().is_empty();
        if !blank && !inside {
            blocks += 1;
        }
        inside = !blank;
    }
    blocks
}

#[test]
#[ignore = "needs ../shared/corpus/bbc"]
fn bbc_headlines_paragraphs_and_encodings_hold() {
    let Some(dir) = corpus_dir("bbc") else { return };
    let opts = WireOptions::default();
    let mut failures = Vec::new();
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    let files: Vec<(PathBuf, Vec<u8>)> = txt_files(&dir)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, bytes)
        })
        .collect();
    let started = Instant::now();
    let parsed: Vec<_> = files
        .iter()
        .map(|(_, bytes)| {
            let decoded = decode(bytes);
            let doc = parse_wire(&decoded.text, &opts);
            (decoded, doc)
        })
        .collect();
    let elapsed = started.elapsed();
    let megabytes = files.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "bbc: decoded and parsed {} files ({megabytes:.1} MB) in {:.0} ms, one thread",
        files.len(),
        elapsed.as_secs_f64() * 1e3
    );
    for ((path, _), (decoded, doc)) in files.iter().zip(parsed) {
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        let first_line = decoded
            .text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        if doc.headline != first_line {
            failures.push(format!(
                "{name}: headline {:?} is not the first line {first_line:?}",
                doc.headline
            ));
        }
        let blocks = blank_line_blocks(&decoded.text);
        if doc.paragraphs.len() != blocks {
            failures.push(format!(
                "{name}: {} paragraphs, blank lines give {blocks}",
                doc.paragraphs.len()
            ));
        }
        if let Some(date) = &doc.date {
            failures.push(format!(
                "{name}: date {} invented from line {:?}",
                date.date, doc.date_line
            ));
        }
        for (what, present) in [
            ("articles", true),
            ("not clean UTF-8", !decoded.fixes.is_empty()),
            ("with cuts", !doc.cut.is_empty()),
            ("with dateline", doc.dateline.is_some()),
            ("with authors", !doc.authors.is_empty()),
            ("with credit", doc.credit.is_some()),
        ] {
            *totals.entry(what).or_default() += usize::from(present);
        }
        *totals.entry("paragraphs").or_default() += doc.paragraphs.len();
        if name == "sport/199.txt" {
            assert_eq!(decoded.encoding, SourceEncoding::Windows1252);
            assert!(
                decoded.text.contains("\u{a3}15.8m"),
                "sport/199.txt decodes the pound sign"
            );
        }
    }
    println!("bbc ingest totals: {totals:?}");
    assert_eq!(totals.get("articles"), Some(&2225));
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[ignore = "needs ../shared/seed"]
fn seed_story_parses_as_the_issue_describes() {
    let path = shared().join("seed").join("afp-2013-02-02-lavrov.txt");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipped: {} does not exist", path.display());
        return;
    };
    let doc = parse_wire(&decode(&bytes).text, &WireOptions::default());
    assert_eq!(
        doc.headline,
        "Lavrov wants 'regular contact' with Syrian opposition"
    );
    assert_eq!(
        doc.date.map(|d| d.date.to_string()).as_deref(),
        Some("2013-02-02")
    );
    assert_eq!(doc.credit.as_deref(), Some("\u{a9} 2013 AFP"));
    assert_eq!(doc.source.as_deref(), Some("AFP"));
    let last = doc
        .paragraphs
        .last()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(
        last.starts_with("Lavrov also said that John Kerry"),
        "{last}"
    );
    let cuts: Vec<String> = doc.cut.iter().map(ToString::to_string).collect();
    assert_eq!(
        cuts,
        [
            "line 3: comment counter `Comments 0 comments`",
            "line 37: comment counter `0 Comments To This Article`"
        ]
    );
    println!("seed: {} paragraphs, cuts {cuts:?}", doc.paragraphs.len());
}

#[test]
#[ignore = "needs python3 and ../shared/bench/gen_corpus.py"]
fn generated_plain_corpus_gets_dates_credits_and_paragraphs() {
    let script = shared().join("bench").join("gen_corpus.py");
    if !script.is_file() {
        eprintln!("skipped: {} does not exist", script.display());
        return;
    }
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let status = Command::new("python3")
        .arg(&script)
        .args(["--n", "300", "--format", "plain", "--out"])
        .arg(out.path())
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: python3 {} did not run", script.display());
        return;
    }
    let opts =
        WireOptions::new(DateOrder::DayFirst, &[] as &[&str]).unwrap_or_else(|e| panic!("{e}"));
    let files = txt_files(out.path());
    let mut failures = Vec::new();
    for path in &files {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc = parse_wire(&text, &opts);
        let year = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|y| y.to_str())
            .unwrap_or("");
        let name = path.display();
        if doc
            .date
            .as_ref()
            .map(|d| d.date.format("%Y").to_string())
            .as_deref()
            != Some(year)
        {
            failures.push(format!("{name}: date {:?} not in {year}", doc.date));
        }
        if doc.credit != Some(format!("\u{a9} {year} AFP")) || doc.source.as_deref() != Some("AFP")
        {
            failures.push(format!(
                "{name}: credit {:?} source {:?}",
                doc.credit, doc.source
            ));
        }
        // Headline, date line and credit are blocks too.
        let blocks = blank_line_blocks(&text);
        if doc.paragraphs.len() + 2 != blocks {
            failures.push(format!(
                "{name}: {} paragraphs, blank lines give {blocks} blocks",
                doc.paragraphs.len()
            ));
        }
        if !doc.cut.iter().all(|c| c.text == "Comments 0 comments") || doc.cut.len() != 1 {
            failures.push(format!("{name}: cuts {:?}", doc.cut));
        }
    }
    println!(
        "plain: {} articles, {} failures",
        files.len(),
        failures.len()
    );
    assert_eq!(files.len(), 300);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "needs ../shared/corpus/18f"]
fn yaml_front_matter_is_never_read_as_a_pelican_header() {
    let Some(dir) = corpus_dir("18f") else { return };
    let files = files_ending(&dir, "md");
    let misread: Vec<String> = files
        .iter()
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            parse_key_value_header(&decode(&bytes).text).is_some()
        })
        .map(|path| path.display().to_string())
        .collect();
    println!(
        "18f: {} Markdown files, {} read as Pelican headers",
        files.len(),
        misread.len()
    );
    assert_eq!(files.len(), 509);
    assert!(misread.is_empty(), "{misread:?}");
}
