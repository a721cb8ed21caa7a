//! The build pipeline, as named steps over one build context (`Context`):
//! load config, walk, learn, parse, index, media, plan, render pages, write
//! extras, copy statics and media, commit output, save cache. `build` runs them into the output
//! directory; `check` runs the very same steps into a sink that writes nothing
//! (`Target::Nowhere`); `serve` runs `build` into its own folder.
//!
//! Incremental: unchanged source files are taken from the cache without being
//! parsed; a page or other output whose fingerprint equals the last build's is
//! neither made nor written; a file made again whose bytes equal the last
//! build's is not rewritten.

mod context;
mod finish;
mod incremental;
mod media;
mod pages;
mod parse;
mod progress;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use context::load_config;
pub use progress::{Progress, Quiet};

use crate::diag::Diagnostic;
use crate::timings::Timings;
use context::Context;

/// How to build (everything the command line can change).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output directory; default `<root>/public`.
    pub output_dir: Option<PathBuf>,
    /// Overrides `base_url` from site.toml (the preview server uses its own address).
    pub base_url: Option<String>,
    /// Include articles marked `draft = true`.
    pub drafts: bool,
    /// Leave out articles with errors instead of failing the build.
    pub skip_invalid: bool,
    /// Neither read nor write `.broadsheet-cache/`: a clean, full build.
    pub no_cache: bool,
    /// Where to keep the incremental cache; default `<root>/.broadsheet-cache`.
    pub cache_dir: Option<PathBuf>,
    /// The build's "now" (it decides the news sitemap's window); default the clock.
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The process ends right after the build (the command line): the index,
    /// the page plan and the output records are left for the system to take
    /// back at exit instead of being freed piece by piece.
    pub exit_after: bool,
}

/// Where the steps' output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The output directory, staged and swapped in; the cache is used.
    Disk,
    /// Nowhere: every output is made and checked, nothing is written, and the
    /// cache is neither read nor written (`check`).
    Nowhere,
}

/// Sees every file a build makes, as it is made: `check --links` reads the
/// pages' links and ids this way, without writing them or reading them back.
/// Files a build reuses from the last one are not made, so not seen: an
/// observed build runs without a cache.
pub trait Observer: Sync {
    /// One output file: its path in the output (`tags/x/index.html`) and its
    /// bytes; for an article page, where its body came from. A media file
    /// that `check` does not read comes with no bytes (never a page: HTML
    /// under content/ is an article).
    fn file(&self, path: &str, bytes: &[u8], article: Option<&ArticleOrigin<'_>>);
}

/// An article page's body and the source file it was made from.
#[derive(Debug, Clone, Copy)]
pub struct ArticleOrigin<'a> {
    /// Relative to the site root: `content/world/x.md`.
    pub source: &'a Path,
    /// The body HTML, as the page shows it.
    pub body: &'a str,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub articles: usize,
    /// Pages of the site (articles, lists, archives): the page plan.
    pub pages: usize,
    /// Files of the output: the pages, feeds, sitemaps, redirects and statics.
    pub files: usize,
    /// Files written this time (the others were already in the output).
    pub pages_written: usize,
    /// Warnings, and with `skip_invalid` the errors of the articles left out.
    pub diagnostics: Vec<Diagnostic>,
    /// Articles left out because of errors (`skip_invalid`).
    pub skipped_invalid: Vec<PathBuf>,
    /// Files under content/ that are not articles.
    pub skipped_files: Vec<(PathBuf, &'static str)>,
    pub drafts_left_out: usize,
    pub elapsed: Duration,
    pub output_dir: PathBuf,
    /// Pages rendered this time (the others were reused from the last build).
    pub pages_rendered: usize,
    /// Pages whose fingerprint matched the last build's: not rendered, not written.
    pub pages_reused: usize,
    /// Files rendered again that came out byte-identical: not rewritten.
    pub files_unchanged: usize,
    /// Files of the last build that this one no longer makes, deleted.
    pub files_removed: usize,
    /// Whether the output was patched in place (else written whole and swapped).
    pub incremental: bool,
    /// Why the cache was not used, when it was there but unusable.
    pub cache_notes: Vec<String>,
    pub timings: Timings,
}

impl BuildReport {
    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count()
    }
}

/// A failed build: every problem found, errors and warnings, in file order.
#[derive(Debug)]
pub struct BuildError {
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildError {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = self.errors();
        write!(f, "{errors} error{}", if errors == 1 { "" } else { "s" })
    }
}

impl std::error::Error for BuildError {}

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> Self {
        BuildError {
            diagnostics: vec![d],
        }
    }
}

/// Builds the site at `root` into its output directory.
pub fn build(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    run(root, opts, progress, Target::Disk)
}

/// The pipeline, step by step. Each step is a method of the build context;
/// problems are collected as they are found, and the first step that cannot
/// go on (an error before the output is touched) ends the run with all of them.
pub fn run(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
    target: Target,
) -> Result<BuildReport, BuildError> {
    run_observed(root, opts, progress, target, None)
}

/// `run`, with every file made shown to `observer`.
pub fn run_observed(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
    target: Target,
    observer: Option<&dyn Observer>,
) -> Result<BuildReport, BuildError> {
    let mut b = Context::load_config(root, opts, progress, target)?;
    b.observer = observer;
    let (sources, assets) = b.walk()?;
    let learned = b.learn(&sources);
    let parsed = b.parse(&sources, &learned);
    let site = b.index(sources, parsed)?;
    let media = b.media(&site, &assets)?;
    drop(assets);
    let plan = b.plan(&site, &media.media);
    let output = b.open_output()?;
    let outputs = output.outputs(b.observer);
    let mut records = b.render_pages(&site, &plan, &outputs, &media.media);
    records.extend(b.write_extras(&site, &plan, &outputs));
    records.extend(b.copy_statics(&outputs));
    records.extend(b.copy_media(&media, &outputs));
    b.let_go((site, plan));
    let records = b.finish_outputs(&outputs, records);
    drop(outputs);
    let records = b.commit(output, records)?;
    b.save_output_record(&records);
    Ok(b.report(records))
}
