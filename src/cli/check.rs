//! `broadsheet check`: the build's checks without writing, or with `--ingest` a
//! per-file report of what was read (text or JSON).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::ReportFormat;

use crate::build::{BuildOptions, Quiet};
use crate::check::{IngestReport, check, ingest_with};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site folder.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Check as if the time were this RFC 3339 instant, as `build --now`
    /// [default: the clock].
    #[arg(long, value_name = "TIME", value_parser = super::build::parse_now)]
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// List, for every content file, what was read from it (format, headline, date
    /// and its source, dateline, authors, credit, cut boilerplate, encoding fixes).
    #[arg(long)]
    pub ingest: bool,
    /// Report format for --ingest and --links.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// With --ingest: each article's body as plain text too (for HTML pages,
    /// the extracted story).
    #[arg(long, requires = "ingest")]
    pub text: bool,
    /// Also check every href, src and srcset of every page: links into the
    /// site must reach a file the build writes, and #fragments an id there.
    #[arg(long, conflicts_with = "ingest")]
    pub links: bool,
    /// With --links: also ask outside servers about outside links (answers
    /// remembered a day in .broadsheet-cache/links.tsv).
    #[arg(long, requires = "links")]
    pub external: bool,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let root = super::root_of(&args.root);
    let opts = BuildOptions {
        drafts: args.drafts,
        now: args.now,
        ..BuildOptions::default()
    };
    if args.ingest {
        return match ingest_with(&root, &opts, &Quiet, args.text) {
            Ok(report) => {
                match args.format {
                    ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                    ReportFormat::Text => print_text(&report),
                }
                Ok(if report.totals.errors > 0 {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                })
            }
            Err(err) => {
                super::print_diagnostics(&err.diagnostics);
                Ok(ExitCode::from(1))
            }
        };
    }
    if args.links {
        return super::links::run(&root, &opts, args.external, args.format);
    }
    match check(&root, &opts, &Quiet) {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            let summary = super::Summary {
                articles: report.articles,
                pages: report.pages,
                files: report.files,
                warnings: report.diagnostics.iter().filter(|d| !d.is_error()).count(),
                drafts_left_out: report.drafts_left_out,
                invalid_skipped: 0,
            };
            println!(
                "check passed: {} (nothing written)",
                super::summary(&summary)
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            super::print_diagnostics(&err.diagnostics);
            eprintln!("error: check found {err}");
            Ok(ExitCode::from(1))
        }
    }
}

fn print_text(r: &IngestReport) {
    for f in &r.files {
        print_file(f);
    }
    for s in &r.skipped {
        println!("{}  [skipped: {}]", s.path.display(), s.reason);
    }
    for g in &r.furniture {
        let group = if g.group.is_empty() {
            "(top)"
        } else {
            &g.group
        };
        println!(
            "furniture in {group}/ ({} files): {}",
            g.files,
            g.lines.join(" | ")
        );
    }
    print_totals(&r.totals);
}

/// The totals lines of the ingest report.
fn print_totals(t: &crate::check::IngestTotals) {
    println!(
        "totals: {} files, {} articles, {} drafts, {} undated, {} skipped, {} doubtful, {} warnings, {} errors",
        t.files, t.articles, t.drafts, t.undated, t.skipped, t.doubtful, t.warnings, t.errors
    );
    println!(
        "template tags: {} translated, {} left as text",
        t.template_tags_translated, t.template_tags_left
    );
    if !t.unknown_keys.is_empty() {
        let keys: Vec<String> = t
            .unknown_keys
            .iter()
            .map(|(k, n)| format!("{} {n}", crate::article::dialect::short_key(k)))
            .collect();
        println!("front-matter keys kept in extra: {}", keys.join(", "));
    }
}

/// One file's lines of the ingest report: what was read, then how.
fn print_file(f: &crate::check::IngestFile) {
    let or_dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    println!(
        "{}  [{}, header: {}, {}]{}",
        f.path.display(),
        name(&f.format),
        f.notes.header,
        f.notes.encoding,
        if f.draft { " (draft)" } else { "" }
    );
    println!("  headline: {}", or_dash(&f.headline));
    println!(
        "  date:     {} (from: {}){}",
        or_dash(&f.date),
        name(&f.date_source),
        f.updated
            .as_ref()
            .map(|u| format!(", updated {u}"))
            .unwrap_or_default()
    );
    println!(
        "  dateline: {}   authors: {}   tags: {}",
        or_dash(&f.dateline),
        list(&f.authors),
        list(&f.tags)
    );
    println!(
        "  section:  {}   credit: {}   agency: {}",
        or_dash(&f.section),
        or_dash(&f.credit),
        or_dash(&f.agency)
    );
    print_notes(f);
}

/// Where a file's fields came from, what was fixed, cut or doubted, and its
/// diagnostics.
fn print_notes(f: &crate::check::IngestFile) {
    if let Some(lines) = &f.notes.lines {
        println!("  from:     {}", field_lines(lines));
    }
    if let Some(deck) = &f.notes.deck {
        println!("  deck:     {deck}");
    }
    for fix in &f.notes.fixes {
        println!("  fixed:    {fix}");
    }
    for cut in &f.notes.cut {
        println!("  cut:      {cut}");
    }
    if !f.notes.sources.is_empty() {
        let from: Vec<String> = f
            .notes
            .sources
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        println!("  from:     {}", from.join(", "));
    }
    for doubt in &f.notes.doubts {
        println!("  doubtful: {doubt}");
    }
    if let Some(why) = &f.notes.skipped {
        println!("  skipped:  {why}");
    }
    if let Some(text) = &f.text {
        for line in text.lines() {
            println!("  | {line}");
        }
    }
    if !f.unknown_keys.is_empty() {
        println!("  kept:     {} (in extra)", f.unknown_keys.join(", "));
    }
    for d in &f.diagnostics {
        println!("  {d}");
    }
}

/// A value's name as the JSON report spells it (`front-matter`, `wire`), so
/// text and JSON use one vocabulary.
fn name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "-".to_string(),
    }
}

/// `headline line 1, date line 3, byline line 4`: where each field of a text file was read.
fn field_lines(lines: &crate::article::FieldLines) -> String {
    let fields = [
        ("headline", lines.headline),
        ("deck", lines.deck),
        ("date", lines.date),
        ("updated", lines.updated),
        ("byline", lines.byline),
        ("dateline", lines.dateline),
    ];
    let found: Vec<String> = fields
        .iter()
        .filter_map(|(name, line)| line.map(|l| format!("{name} line {l}")))
        .collect();
    if found.is_empty() {
        "-".to_owned()
    } else {
        found.join(", ")
    }
}
