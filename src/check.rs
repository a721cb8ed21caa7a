//! `check`: everything a build would find, without writing anything. The plain
//! check parses, indexes and renders every page in memory; the ingest report
//! lists, for each file, what was read from it, for auditing a migration.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::article::{self, DateSource, Notes};
use crate::build::{self, BuildError, BuildOptions, Observer, Progress, Target};
use crate::diag::{Diagnostic, Severity};
use crate::source::{self, Format};

/// What a full check found: the figures a build of the same site reports.
#[derive(Debug)]
pub struct CheckReport {
    pub articles: usize,
    /// Pages of the site (articles, lists, archives).
    pub pages: usize,
    /// Files a build would write: pages, feeds, sitemaps, redirects, statics.
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub drafts_left_out: usize,
}

/// Runs every step of the build (parse, index, plan, render every page, make
/// every feed, sitemap and redirect, place every static file) into a sink
/// that writes nothing. Fails with every problem, exactly as `build` would;
/// never touches the output or the cache.
pub fn check(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<CheckReport, BuildError> {
    run(root, opts, progress, None)
}

/// `check`, showing every file made to `observer` (`check --links`).
pub fn check_observed(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
    observer: &dyn Observer,
) -> Result<CheckReport, BuildError> {
    run(root, opts, progress, Some(observer))
}

fn run(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
    observer: Option<&dyn Observer>,
) -> Result<CheckReport, BuildError> {
    let opts = BuildOptions {
        no_cache: true,
        ..opts.clone()
    };
    let report = build::run_observed(root, &opts, progress, Target::Nowhere, observer)?;
    Ok(CheckReport {
        articles: report.articles,
        pages: report.pages,
        files: report.files,
        diagnostics: report.diagnostics,
        drafts_left_out: report.drafts_left_out,
    })
}

/// One file in the ingest report.
#[derive(Debug, Serialize)]
pub struct IngestFile {
    pub path: PathBuf,
    pub format: Format,
    pub draft: bool,
    #[serde(flatten)]
    pub notes: Notes,
    pub headline: Option<String>,
    pub date: Option<String>,
    pub date_source: DateSource,
    pub updated: Option<String>,
    pub dateline: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub section: Option<String>,
    pub credit: Option<String>,
    pub agency: Option<String>,
    pub words: usize,
    /// Front-matter keys no dialect defines (kept in `article.extra`).
    pub unknown_keys: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The body as plain text (`check --ingest --text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Counts over the whole report.
#[derive(Debug, Default, Serialize)]
pub struct IngestTotals {
    pub files: usize,
    pub articles: usize,
    pub drafts: usize,
    pub undated: usize,
    pub skipped: usize,
    /// Files whose reading looks doubtful: HTML pages (short story, no date), text
    /// files with two competing dates, no headline candidate or a very short story.
    pub doubtful: usize,
    pub warnings: usize,
    pub errors: usize,
    /// Template tags from other generators translated, and left as text.
    pub template_tags_translated: usize,
    pub template_tags_left: usize,
    /// Each front-matter key no dialect defines, with the files using it.
    pub unknown_keys: std::collections::BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: &'static str,
}

/// The ingest report of a site.
#[derive(Debug, Serialize)]
pub struct IngestReport {
    pub files: Vec<IngestFile>,
    pub skipped: Vec<Skipped>,
    /// Site furniture learned from the archive and cut, per group.
    pub furniture: Vec<FurnitureGroup>,
    pub totals: IngestTotals,
}

/// The furniture lines cut from the files of one group (first folder under content/).
#[derive(Debug, Serialize)]
pub struct FurnitureGroup {
    pub group: String,
    /// Each line as first seen, sorted.
    pub lines: Vec<String>,
    /// Files it was cut from.
    pub files: usize,
}

/// Reads every file under content/ and says what was found in each.
pub fn ingest(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<IngestReport, BuildError> {
    ingest_with(root, opts, progress, false)
}

/// `ingest`; `with_text` adds each article's body as plain text.
pub fn ingest_with(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
    with_text: bool,
) -> Result<IngestReport, BuildError> {
    let mut cfg = build::load_config(root, opts)?;
    let sources = source::discover(&cfg.root, &cfg.content.ignore)?;
    cfg.furniture = crate::learn::learn(&sources.files, &cfg.root).furniture;
    progress.phase("read", sources.files.len() as u64);
    let files: Vec<IngestFile> = sources
        .files
        .par_iter()
        .map(|found| {
            let file = ingest_file(found, &cfg, with_text);
            progress.advance(1);
            file
        })
        .collect();
    // Media files are not read here; the build copies those articles use.
    let assets = sources.assets.into_iter().map(|a| {
        let path = Path::new("content").join(&a.content_path);
        (path, "unsupported format")
    });
    let mut skipped: Vec<Skipped> = sources
        .skipped
        .into_iter()
        .chain(assets)
        .map(|(path, reason)| Skipped { path, reason })
        .collect();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let totals = totals(&files, &skipped);
    Ok(IngestReport {
        furniture: furniture_groups(&files),
        files,
        skipped,
        totals,
    })
}

/// One file read as the build reads it, with what the report shows of it.
fn ingest_file(
    found: &crate::source::Found,
    cfg: &crate::config::Config,
    with_text: bool,
) -> IngestFile {
    let f = &found.source_file(&cfg.root);
    let parsed = match std::fs::read(&f.abs_path) {
        Ok(bytes) => {
            let hash = article::source_hash(&bytes);
            article::parse_hashed(f, &bytes, hash, cfg, with_text)
        }
        Err(e) => article::Parsed {
            article: None,
            diagnostics: vec![Diagnostic::error(
                &f.rel_path,
                None,
                format!("cannot read: {e}"),
            )],
            notes: Notes::default(),
            body: None,
        },
    };
    let a = parsed.article.as_ref();
    let iso = |d: Option<chrono::DateTime<chrono::FixedOffset>>| {
        d.map(|d| d.with_timezone(&cfg.timezone).to_rfc3339())
    };
    IngestFile {
        path: f.rel_path.clone(),
        format: f.format,
        draft: a.is_some_and(|a| a.draft),
        notes: parsed.notes.clone(),
        headline: a.map(|a| a.title.clone()),
        date: iso(a.and_then(|a| a.date)),
        date_source: a.map_or(DateSource::None, |a| a.date_source),
        updated: iso(a.and_then(|a| a.updated)),
        dateline: a.and_then(|a| a.dateline.clone()),
        authors: a.map(|a| a.authors.clone()).unwrap_or_default(),
        tags: a.map(|a| a.tags.clone()).unwrap_or_default(),
        section: a.map(|a| a.section.clone()).filter(|s| !s.is_empty()),
        credit: a.and_then(|a| a.credit.clone()),
        agency: a.and_then(|a| a.agency.clone()),
        words: a.map_or(0, |a| a.word_count),
        text: with_text.then(|| article::plain_text(&parsed)).flatten(),
        unknown_keys: a.map(|a| a.unknown.clone()).unwrap_or_default(),
        diagnostics: parsed.diagnostics,
    }
}

/// The report's totals over its files and the files it skipped.
fn totals(files: &[IngestFile], skipped: &[Skipped]) -> IngestTotals {
    let count = |s: Severity| {
        files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let tags = |translated: bool| {
        let all = files.iter().flat_map(|f| &f.notes.template_tags);
        all.filter(|t| t.translated == translated).count()
    };
    IngestTotals {
        files: files.len() + skipped.len(),
        articles: files.iter().filter(|f| f.headline.is_some()).count(),
        drafts: files.iter().filter(|f| f.draft).count(),
        undated: files
            .iter()
            .filter(|f| f.headline.is_some() && f.date.is_none())
            .count(),
        skipped: skipped.len() + files.iter().filter(|f| f.notes.skipped.is_some()).count(),
        doubtful: files.iter().filter(|f| !f.notes.doubts.is_empty()).count(),
        warnings: count(Severity::Warning),
        errors: count(Severity::Error),
        template_tags_translated: tags(true),
        template_tags_left: tags(false),
        unknown_keys: files.iter().flat_map(|f| &f.unknown_keys).fold(
            Default::default(),
            |mut m, k| {
                *m.entry(k.clone()).or_insert(0) += 1;
                m
            },
        ),
    }
}

/// The furniture cut from each group's files, as the files show it.
fn furniture_groups(files: &[IngestFile]) -> Vec<FurnitureGroup> {
    let mut groups: std::collections::BTreeMap<
        String,
        (std::collections::BTreeMap<String, ()>, usize),
    > = std::collections::BTreeMap::new();
    for f in files.iter().filter(|f| !f.notes.furniture.is_empty()) {
        let path = f
            .path
            .strip_prefix("content")
            .unwrap_or(&f.path)
            .to_string_lossy()
            .replace('\\', "/");
        let group = crate::ingest::furniture::group_of(&path).to_owned();
        let entry = groups.entry(group).or_default();
        entry.1 += 1;
        for line in &f.notes.furniture {
            let seen = entry.0.keys().any(|l| l.eq_ignore_ascii_case(line));
            if !seen {
                entry.0.insert(line.clone(), ());
            }
        }
    }
    groups
        .into_iter()
        .map(|(group, (lines, files))| FurnitureGroup {
            group,
            lines: lines.into_keys().collect(),
            files,
        })
        .collect()
}
