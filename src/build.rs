//! The build pipeline: config -> sources -> articles -> archive -> page plan ->
//! rendered pages streamed into a staging directory -> swap. Articles are parsed
//! and pages rendered in parallel; bodies are re-read when their page is rendered
//! and dropped right after, so memory holds the index, not the text.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::archive::{self, Archive};
use crate::article;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::output::Stage;
use crate::plan::{self, PageKind};
use crate::render::{Renderer, StaticSource, theme};
use crate::source::{self, Sources};

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
}

/// Progress callbacks; the CLI draws a bar only on a terminal.
pub trait Progress: Sync {
    fn phase(&self, _name: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
}

/// No progress display.
pub struct Quiet;
impl Progress for Quiet {}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub articles: usize,
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

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        write!(
            f,
            "build failed with {errors} error{}",
            if errors == 1 { "" } else { "s" }
        )
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

/// Reads site.toml at `root` and applies the options that change the config.
pub fn load_config(root: &Path, opts: &BuildOptions) -> Result<Config, BuildError> {
    let mut cfg = Config::load(root)?;
    if let Some(url) = &opts.base_url {
        cfg.base_url = url.trim_end_matches('/').to_string();
    }
    Ok(cfg)
}

/// Everything read from the site before rendering: the config, the archive index,
/// and what was found on the way.
pub struct Loaded {
    pub cfg: Config,
    pub sources: Sources,
    pub archive: Archive,
    pub diagnostics: Vec<Diagnostic>,
    pub skipped_invalid: Vec<PathBuf>,
    pub drafts_left_out: usize,
}

/// Discovers and parses every article and indexes them. Fails (with every
/// problem) on any error unless `skip_invalid`.
pub fn load(
    cfg: Config,
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<Loaded, BuildError> {
    let sources = source::discover(&cfg.root, &cfg.content.ignore)?;
    progress.phase("parse", sources.files.len() as u64);
    let parsed: Vec<article::Parsed> = sources
        .files
        .par_iter()
        .map(|f| {
            let parsed = match std::fs::read(&f.abs_path) {
                Ok(bytes) => article::parse(f, &bytes, &cfg),
                Err(e) => article::Parsed {
                    article: None,
                    diagnostics: vec![Diagnostic::error(
                        &f.rel_path,
                        None,
                        format!("cannot read: {e}"),
                    )],
                    notes: article::Notes::default(),
                },
            };
            progress.advance(1);
            parsed
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut articles = Vec::with_capacity(parsed.len());
    let mut skipped_invalid = Vec::new();
    let mut drafts_left_out = 0;
    for (p, f) in parsed.into_iter().zip(&sources.files) {
        if p.diagnostics.iter().any(Diagnostic::is_error) {
            skipped_invalid.push(f.rel_path.clone());
        }
        diagnostics.extend(p.diagnostics);
        match p.article {
            Some(a) if a.draft && !opts.drafts => drafts_left_out += 1,
            Some(a) => articles.push(a),
            None => {}
        }
    }
    let (archive, index_diags) = archive::index(articles, &cfg);
    diagnostics.extend(index_diags);
    if diagnostics.iter().any(Diagnostic::is_error) && !opts.skip_invalid {
        return Err(BuildError { diagnostics });
    }
    Ok(Loaded {
        cfg,
        sources,
        archive,
        diagnostics,
        skipped_invalid,
        drafts_left_out,
    })
}

/// Builds the site at `root`.
pub fn build(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let cfg = load_config(root, opts)?;
    let files = theme::collect(&cfg)?;
    let renderer = Renderer::new(&files)?;
    let loaded = load(cfg, opts, progress)?;
    let Loaded {
        cfg,
        sources,
        archive,
        mut diagnostics,
        skipped_invalid,
        drafts_left_out,
    } = loaded;

    let pages = plan::plan(&archive, cfg.paginate_by);
    let out = opts
        .output_dir
        .clone()
        .unwrap_or_else(|| cfg.root.join("public"));
    let stage = Stage::begin(&out).map_err(|e| {
        Diagnostic::error(
            &out,
            None,
            format!("cannot create the staging directory: {e}"),
        )
    })?;
    progress.phase("render", pages.len() as u64);
    let render_errors: Vec<Diagnostic> = pages
        .par_iter()
        .filter_map(|page| {
            let result = render_one(page, &archive, &cfg, &sources, &renderer, &files, &stage);
            progress.advance(1);
            result.err()
        })
        .collect();
    let mut errors = render_errors;
    errors.extend(copy_statics(&files, &stage));
    if !errors.is_empty() {
        stage.abort();
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        errors.dedup();
        diagnostics.extend(errors);
        return Err(BuildError { diagnostics });
    }
    let pages_written = stage.written();
    stage.commit().map_err(|e| {
        Diagnostic::error(
            &out,
            None,
            format!("cannot replace the output directory: {e}"),
        )
    })?;
    Ok(BuildReport {
        articles: archive.entries.len(),
        pages_written,
        diagnostics,
        skipped_invalid,
        skipped_files: sources.skipped,
        drafts_left_out,
        elapsed: started.elapsed(),
        output_dir: out,
    })
}

fn render_one(
    page: &plan::PlannedPage,
    archive: &Archive,
    cfg: &Config,
    sources: &Sources,
    renderer: &Renderer,
    files: &theme::ThemeFiles,
    stage: &Stage,
) -> Result<(), Diagnostic> {
    let html = render_page(page, archive, cfg, sources, renderer, files)?;
    stage.write_url(&page.url, html.as_bytes())
}

/// Renders one planned page to HTML, reading the article body when it needs one.
pub fn render_page(
    page: &plan::PlannedPage,
    archive: &Archive,
    cfg: &Config,
    sources: &Sources,
    renderer: &Renderer,
    files: &theme::ThemeFiles,
) -> Result<String, Diagnostic> {
    let body = match page.kind {
        PageKind::Article(i) => {
            let entry = &archive.entries[i as usize];
            let file = sources
                .files
                .binary_search_by(|f| f.rel_path.cmp(&entry.article.source))
                .map(|k| &sources.files[k])
                .map_err(|_| {
                    Diagnostic::error(
                        &entry.article.source,
                        None,
                        "source file vanished during the build",
                    )
                })?;
            let bytes = std::fs::read(&file.abs_path).map_err(|e| {
                Diagnostic::error(&file.rel_path, None, format!("cannot read: {e}"))
            })?;
            Some(article::body_html(file, &bytes, cfg))
        }
        _ => None,
    };
    renderer.render(page, archive, cfg, body.as_deref(), files)
}

fn copy_statics(files: &theme::ThemeFiles, stage: &Stage) -> Vec<Diagnostic> {
    files
        .statics
        .iter()
        .filter_map(|(name, src)| {
            let bytes = match src {
                StaticSource::Embedded(b) => b.to_vec(),
                StaticSource::File(p) => match std::fs::read(p) {
                    Ok(b) => b,
                    Err(e) => {
                        return Some(Diagnostic::error(
                            p,
                            None,
                            format!("cannot read static file: {e}"),
                        ));
                    }
                },
            };
            stage.write(name, &bytes).err()
        })
        .collect()
}
