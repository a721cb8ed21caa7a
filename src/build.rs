//! The build pipeline: config -> sources -> articles -> archive -> page plan ->
//! rendered pages streamed into a staging directory -> commit. Articles are
//! parsed and pages rendered in parallel; bodies are re-read when their page is
//! rendered and dropped right after, so memory holds the index, not the text.
//!
//! Incremental: unchanged source files are taken from the cache without being
//! parsed; a page whose fingerprint equals the last build's is neither rendered
//! nor written; a rendered page or other output whose bytes equal the last
//! build's is not rewritten. Every output that is not a planned page (theme
//! static files, and whatever later steps add: feeds, sitemaps, redirects) goes
//! through `Outputs::put` as `(path, bytes)`, compared by content hash.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::archive::{self, Archive};
use crate::article::{self, Article};
use crate::cache::{self, ArticleCache, Cache, FileRecord, FileStamp, OutputRecord};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::extras::{self, ExtraInput};
use crate::incremental::{Outputs, parse_sources};
use crate::output::{Stage, url_to_file};
use crate::plan::{self, PageKind};
use crate::render::{CardCache, KindGroup, Renderer, StaticSource, theme};
use crate::source::{self, Sources};
use crate::spill::{Bodies, Spill};
use crate::timings::{Clock, KindTiming, Timings};

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
    crate::render::shortcodes::attach(&mut cfg)?;
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
    /// Per source file (in the order of `sources.files`), what the cache needs.
    pub states: Vec<SourceState>,
    /// Per parse-cache shard: whether it differs from what the build started with.
    pub dirty_shards: Vec<bool>,
    /// For the k-th archived file (in `states` order), its entry in the archive.
    pub positions: Vec<u32>,
    /// Bodies rendered while parsing, by entry.
    pub bodies: Bodies,
}

/// What the cache needs about one source file, kept small: most files are
/// archived articles without diagnostics, whose path and hash are the article's.
#[derive(Debug)]
pub struct SourceState {
    /// `None` when the file could not be read.
    pub stamp: Option<FileStamp>,
    /// The parse-cache shard of the file.
    pub shard: u8,
    /// Whether the file's article is in the archive.
    pub archived: bool,
    /// The rest, for files with diagnostics or without an archived article.
    pub rest: Option<Box<StateRest>>,
}

#[derive(Debug)]
pub struct StateRest {
    /// Relative to content/, with `/` separators.
    pub content_path: String,
    pub hash: [u8; 16],
    pub diagnostics: Vec<Diagnostic>,
    /// A draft left out of this build, kept so the cache need not parse it again.
    pub left_out: Option<Box<Article>>,
}

/// Discovers and parses every article and indexes them. Fails (with every
/// problem) on any error unless `skip_invalid`.
pub fn load(
    cfg: Config,
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<Loaded, BuildError> {
    load_cached(
        cfg,
        opts,
        progress,
        None,
        None,
        &mut Timings::default(),
        true,
    )
}

/// `load`, taking unchanged files' articles from `cache`, and rendering the
/// body of each file it parses into `spill`. Without `keep_files`,
/// `sources.files` comes back empty: the list (a path and a stamp per file) is
/// let go before the index is built.
pub fn load_cached(
    mut cfg: Config,
    opts: &BuildOptions,
    progress: &dyn Progress,
    cache: Option<ArticleCache>,
    spill: Option<Spill>,
    timings: &mut Timings,
    keep_files: bool,
) -> Result<Loaded, BuildError> {
    let mut clock = Clock::start();
    let config_warnings = cfg.warnings.clone();
    // Sorted by path, so a page can find its source file by binary search.
    let mut sources = source::discover(&cfg.root, &cfg.content.ignore)?;
    clock.lap(timings, "discover");
    let learned = crate::learn::learn(&sources.files, &cfg.root);
    cfg.furniture = learned.furniture;
    progress.phase("parse", sources.files.len() as u64);
    let (results, dirty_shards, file_shards) = parse_sources(
        &sources.files,
        &cfg,
        &learned.hashes,
        cache,
        spill.as_ref(),
        progress,
    );
    timings.parse_reused = results.iter().filter(|r| r.reused).count();
    timings.parsed = results.len() - timings.parse_reused;
    clock.lap(timings, "parse");
    let mut diagnostics = config_warnings;
    let mut articles = Vec::with_capacity(results.len());
    let mut article_bodies = Vec::new();
    let mut skipped_invalid = Vec::new();
    let mut drafts_left_out = 0;
    let mut states = Vec::with_capacity(results.len());
    let mut unknown = article::dialect::UnknownKeys::default();
    for a in results.iter().filter_map(|r| r.article.as_deref()) {
        unknown.add(a);
    }
    diagnostics.extend(unknown.warnings());
    drop(unknown);
    let now = opts
        .now
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    for ((r, f), shard) in results.into_iter().zip(&sources.files).zip(file_shards) {
        if r.diagnostics.iter().any(Diagnostic::is_error) {
            skipped_invalid.push(f.rel_path.clone());
        }
        diagnostics.extend(r.diagnostics.iter().cloned());
        let mut left_out = None;
        let expired = |a: &Article| !opts.drafts && article::dialect::expired(a, now);
        let archived = match r.article {
            Some(a) if expired(&a) => {
                diagnostics.push(article::dialect::expired_warning(&a));
                drafts_left_out += 1;
                left_out = Some(a);
                false
            }
            Some(a) if a.draft && !opts.drafts => {
                drafts_left_out += 1;
                left_out = Some(a);
                false
            }
            Some(a) => {
                articles.push(a);
                if spill.is_some() {
                    article_bodies.push(r.body);
                }
                true
            }
            None => false,
        };
        let rest = (!archived || !r.diagnostics.is_empty()).then(|| {
            Box::new(StateRest {
                content_path: f.content_path().into_owned(),
                hash: r.hash,
                diagnostics: r.diagnostics,
                left_out,
            })
        });
        states.push(SourceState {
            shard,
            stamp: r.stamp,
            archived,
            rest,
        });
    }
    if !keep_files {
        // A hundred thousand paths take a while to free: not on this thread.
        // (Freed even before an exit: later allocations reuse the memory.)
        let files = std::mem::take(&mut sources.files);
        std::thread::spawn(move || drop(files));
    }
    // In file order, which is source-path order.
    let (archive, index_diags, positions) = archive::index_sorted_with_positions(articles, &cfg);
    let mut body_refs = vec![None; article_bodies.len()];
    for (&at, body) in positions.iter().zip(article_bodies) {
        body_refs[at as usize] = body;
    }
    let bodies = Bodies::new(spill, body_refs);
    diagnostics.extend(index_diags);
    clock.lap(timings, "index");
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
        states,
        dirty_shards,
        positions,
        bodies,
    })
}

/// Builds the site at `root`.
pub fn build(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let started_ns = cache::now_ns();
    let mut timings = Timings::default();
    let mut clock = Clock::start();
    let cfg = load_config(root, opts)?;
    let cache = (!opts.no_cache).then(|| match &opts.cache_dir {
        Some(dir) => Cache::at(dir),
        None => Cache::new(&cfg.root),
    });
    let out = opts
        .output_dir
        .clone()
        .unwrap_or_else(|| cfg.root.join("public"));
    let files = theme::collect(&cfg)?;
    let mut renderer = Renderer::new(&files)?;
    renderer.today = Some(crate::render::today(opts.now, &cfg));
    let mut cache_notes = Vec::new();
    let article_cache = cache.as_ref().map(|c| {
        let (loaded, errors) = c.load_articles(&cfg.fingerprint);
        for e in errors {
            cache_notes.push(format!("ignoring part of the parse cache: {e}"));
        }
        loaded
    });
    clock.lap(&mut timings, "config, templates, cache");
    // The output record is one file read, checked and decoded on one thread:
    // it is needed only once pages are planned, so it loads beside the walk
    // and the index (after the parse cache, whose buffers it can then reuse).
    let prev_loader = match &cache {
        Some(c) if out.is_dir() => {
            let (c, out) = (c.clone(), out.clone());
            Some(std::thread::spawn(move || c.load_outputs(&out)))
        }
        _ => None,
    };
    // Beside the output, so that bodies are spilled to the same disk.
    let spill_dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let spill = Spill::new_in(spill_dir).ok();
    let loaded = load_cached(
        cfg,
        opts,
        progress,
        article_cache,
        spill,
        &mut timings,
        false,
    )?;
    let mut clock = Clock::start();
    let Loaded {
        cfg,
        sources,
        archive,
        mut diagnostics,
        skipped_invalid,
        drafts_left_out,
        states,
        dirty_shards,
        positions,
        bodies,
    } = loaded;
    // Pages find their source through the article's path: the file list is
    // not needed any more.
    let Sources {
        files: _,
        skipped: skipped_files,
    } = sources;

    let mut pages = plan::plan(&archive, cfg.paginate_by);
    pages.extend(crate::search::page(&cfg));
    let prev = match prev_loader.map(std::thread::JoinHandle::join) {
        Some(Ok(Ok(prev))) => prev,
        Some(Ok(Err(e))) => {
            cache_notes.push(format!("ignoring the output record: {e}"));
            None
        }
        Some(Err(_)) => {
            cache_notes.push("ignoring the output record: its loader failed".to_string());
            None
        }
        None => None,
    };
    clock.lap(&mut timings, "plan");
    let stage = match prev {
        Some(_) => Stage::begin_incremental(&out),
        None => Stage::begin(&out),
    }
    .map_err(|e| {
        Diagnostic::error(
            &out,
            None,
            format!("cannot create the staging directory: {e}"),
        )
    })?;
    let outputs = Outputs::new(prev.as_ref(), &stage);

    progress.phase("render", pages.len() as u64);
    let kinds = KindCounters::default();
    let errors = Mutex::new(Vec::new());
    // Date order, so that consecutive pages show nearby articles and their
    // cards come from the card cache.
    let mut order: Vec<u32> = (0..pages.len() as u32).collect();
    order.par_sort_by_cached_key(|&k| {
        let newest = pages[k as usize].newest(&archive, cfg.paginate_by);
        (newest.unwrap_or(u32::MAX), k)
    });
    // One card cache and output buffer per rendering thread, kept warm for the
    // whole build; runs of consecutive pages go to one thread at a time.
    let digests = Renderer::digests(&archive);
    let scratch: Vec<Mutex<(CardCache, Vec<u8>)>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Mutex::new((CardCache::new(), Vec::with_capacity(64 * 1024))))
        .collect();
    let (rendered, saver_notes) = std::thread::scope(|scope| {
        // The parse cache is written by a thread of its own while pages render: it
        // needs only the index, and its writes overlap the rendering.
        let saver = cache.as_ref().map(|c| {
            scope.spawn(|| {
                save_parse_cache(
                    c,
                    &cfg.fingerprint,
                    started_ns,
                    &states,
                    &archive,
                    &positions,
                    &dirty_shards,
                )
            })
        });
        let rendered: Vec<Vec<OutputRecord>> = order
            .par_chunks(256)
            .map(|run| {
                let slot = rayon::current_thread_index().unwrap_or(0) % scratch.len();
                let mut guard = lock(&scratch[slot]);
                let (cards, buf) = &mut *guard;
                run.iter()
                    .map(|&k| {
                        let page = &pages[k as usize];
                        let t = Instant::now();
                        let path = url_to_file(&page.url);
                        let fp = renderer.fingerprint_with(page, &archive, &cfg, Some(&digests));
                        let group = KindGroup::of(&page.kind);
                        let result = match outputs.reusable(&path, &fp) {
                            Some(content) => Ok((false, content)),
                            None => render_one(
                                page, &archive, &bodies, &cfg, &renderer, &files, cards, buf,
                            )
                            .and_then(|()| outputs.put(&path, buf))
                            .map(|content| (true, content)),
                        };
                        let content = match result {
                            Ok((rendered, content)) => {
                                kinds.add(group, rendered, t.elapsed());
                                content
                            }
                            Err(e) => {
                                lock(&errors).push(e);
                                [0; 16]
                            }
                        };
                        // The record keeps the path: made once per page.
                        let record = OutputRecord {
                            path,
                            fingerprint: fp,
                            content,
                        };
                        progress.advance(1);
                        record
                    })
                    .collect()
            })
            .collect();
        let notes = match saver.map(|h| h.join()) {
            Some(Ok(notes)) => notes,
            Some(Err(_)) => vec!["the parse cache was not saved (its thread failed)".to_string()],
            None => Vec::new(),
        };
        (rendered, notes)
    });
    drop(scratch);
    // Back in plan order.
    let empty = OutputRecord {
        path: String::new(),
        fingerprint: [0; 16],
        content: [0; 16],
    };
    let mut page_records = vec![empty; pages.len()];
    for (&k, record) in order.iter().zip(rendered.into_iter().flatten()) {
        page_records[k as usize] = record;
    }
    drop(order);
    clock.lap(&mut timings, "render and write pages");

    cache_notes.extend(saver_notes);

    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    // Feeds, sitemaps, robots.txt and redirects: regenerated every build and
    // written only where their bytes changed.
    // Files whose input fingerprint the step asked about: the fingerprint, and
    // the content of the file kept from the last build (when it is kept).
    let asked: Mutex<AskedMap> = Mutex::default();
    let keep = |path: &str, fp: &[u8; 16]| {
        let kept = outputs.reusable(path, fp);
        lock(&asked).insert(path.to_string(), (*fp, kept));
        kept.is_some()
    };
    let extra_records = Mutex::new(Vec::new());
    let extra_diags = write_extras(
        &archive,
        &bodies,
        &cfg,
        opts,
        &pages,
        &files,
        Some((&digests.entries, &keep)),
        |path, bytes| {
            let content = outputs.put(path, bytes)?;
            let fingerprint = lock(&asked).remove(path).map_or(content, |(fp, _)| fp);
            lock(&extra_records).push(OutputRecord {
                path: path.to_string(),
                fingerprint,
                content,
            });
            Ok(())
        },
    );
    let mut extra_records = extra_records
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    for (path, (fingerprint, kept)) in asked.into_inner().unwrap_or_else(|e| e.into_inner()) {
        if let Some(content) = kept {
            extra_records.push(OutputRecord {
                path,
                fingerprint,
                content,
            });
        }
    }
    drop(digests);
    let (extra_errors, extra_warnings): (Vec<_>, Vec<_>) =
        extra_diags.into_iter().partition(Diagnostic::is_error);
    errors.extend(extra_errors);
    diagnostics.extend(extra_warnings);

    let articles = archive.entries.len();
    // The index is not needed any more. Freeing it takes a noticeable part of
    // a small rebuild; let a thread do it while the build carries on.
    discard(opts, (archive, bodies, states, positions, pages));

    let mut records = page_records;
    // Every output that is not a planned page, as (path, bytes).
    let (extra, extra_errors) = static_files(&files);
    errors.extend(extra_errors);
    for (path, bytes) in extra {
        match outputs.put(&path, &bytes) {
            Ok(content) => records.push(OutputRecord {
                path,
                fingerprint: content,
                content,
            }),
            Err(e) => errors.push(e),
        }
    }
    records.extend(extra_records);
    let finished = if errors.is_empty() {
        outputs.finish(records).map_err(|e| errors.push(e)).ok()
    } else {
        None
    };
    let Some((records, files_removed)) = finished else {
        stage.abort();
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        errors.dedup();
        diagnostics.extend(errors);
        return Err(BuildError { diagnostics });
    };
    clock.lap(&mut timings, "other outputs");
    let pages_written = stage.written();
    let incremental = stage.is_incremental();
    timings.write = outputs.write_time();
    let files_unchanged = outputs.unchanged();
    let commit_error = |e: std::io::Error| {
        Diagnostic::error(
            &out,
            None,
            format!("cannot update the output directory: {e}"),
        )
    };
    // Nothing written, nothing removed, every fingerprint as before: the
    // output record stays as it is.
    let same_record = prev.as_ref().is_some_and(|p| p.records == records);
    if let Some(c) = cache.as_ref().filter(|_| !same_record) {
        c.forget_outputs(&out).map_err(commit_error)?;
    }
    stage.commit().map_err(commit_error)?;
    clock.lap(&mut timings, "commit");
    if let Some(c) = &cache {
        // A cache that cannot be written costs the next build time, not
        // correctness: say so and carry on.
        if !same_record {
            if let Err(e) = c.save_outputs(&out, records.iter()) {
                cache_notes.push(format!("cannot save the output record: {e}"));
            }
        }
    }
    clock.lap(&mut timings, "save output record");
    let (pages_rendered, pages_reused) = kinds.totals();
    timings.kinds = kinds.into_timings();
    timings.peak_rss_bytes = crate::timings::peak_rss_bytes();
    discard(opts, (records, prev));
    Ok(BuildReport {
        articles,
        pages_written,
        diagnostics,
        skipped_invalid,
        skipped_files,
        drafts_left_out,
        elapsed: started.elapsed(),
        output_dir: out,
        pages_rendered,
        pages_reused,
        files_unchanged,
        files_removed,
        incremental,
        cache_notes,
        timings,
    })
}

/// Extra files the keep question was asked about: path -> (input
/// fingerprint, content hash of the kept file when it is kept).
type AskedMap = ahash::AHashMap<String, ([u8; 16], Option<[u8; 16]>)>;

/// Writes the parse-cache shards that changed, each with the records of its
/// files; returns notes for the shards that could not be saved. Runs beside
/// the rendering, so one shard after the other.
fn save_parse_cache(
    cache: &Cache,
    cfg_fingerprint: &[u8; 32],
    started_ns: i64,
    states: &[SourceState],
    archive: &Archive,
    positions: &[u32],
    dirty: &[bool],
) -> Vec<String> {
    if !dirty.iter().any(|&d| d) {
        return Vec::new();
    }
    let mut archived = positions.iter();
    let articles: Vec<Option<&Article>> = states
        .iter()
        .map(|s| {
            let k = if s.archived { archived.next() } else { None };
            k.map(|&k| &*archive.entries[k as usize].article)
        })
        .collect();
    (0..cache::SHARDS)
        .filter(|&shard| dirty[shard])
        .filter_map(|shard| {
            let records = states
                .iter()
                .zip(&articles)
                .filter(|(s, _)| usize::from(s.shard) == shard)
                .filter_map(|(s, a)| file_record(s, *a));
            cache
                .save_shard(shard, cfg_fingerprint, started_ns, records)
                .err()
                .map(|e| format!("cannot save the parse cache: {e}"))
        })
        .collect()
}

/// The cache record of one readable source file.
fn file_record<'a>(s: &'a SourceState, article: Option<&'a Article>) -> Option<FileRecord<'a>> {
    let stamp = s.stamp?;
    match (&s.rest, article) {
        (Some(rest), _) => Some(FileRecord {
            content_path: std::borrow::Cow::Borrowed(rest.content_path.as_str()),
            stamp,
            hash: &rest.hash,
            diagnostics: &rest.diagnostics,
            article: article.or(rest.left_out.as_deref()),
        }),
        (None, Some(a)) => Some(FileRecord {
            content_path: std::borrow::Cow::Owned(content_path(&a.source)),
            stamp,
            hash: &a.hash,
            diagnostics: &[],
            article: Some(a),
        }),
        // Not archived and nothing kept: cannot happen (such files keep a rest).
        (None, None) => None,
    }
}

/// `content/world/x.md` -> `world/x.md`, as `source::discover` names files.
fn content_path(source: &Path) -> String {
    source
        .strip_prefix("content")
        .unwrap_or(source)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Lets go of a large value the build no longer needs: freeing a hundred
/// thousand articles takes a noticeable part of a small rebuild. A process
/// about to exit leaves it to the system; otherwise a thread frees it while
/// the build carries on.
fn discard<T: Send + 'static>(opts: &BuildOptions, value: T) {
    if opts.exit_after {
        std::mem::forget(value);
    } else {
        std::thread::spawn(move || drop(value));
    }
}

/// Per page kind: pages rendered and reused, and time spent.
#[derive(Default)]
struct KindCounters {
    counts: [(AtomicUsize, AtomicUsize, AtomicU64); KindGroup::ALL.len()],
}

impl KindCounters {
    fn add(&self, group: KindGroup, rendered: bool, took: Duration) {
        let (r, u, ns) = &self.counts[group as usize];
        if rendered {
            r.fetch_add(1, Ordering::Relaxed);
        } else {
            u.fetch_add(1, Ordering::Relaxed);
        }
        ns.fetch_add(took.as_nanos() as u64, Ordering::Relaxed);
    }

    fn totals(&self) -> (usize, usize) {
        self.counts.iter().fold((0, 0), |(r, u), (a, b, _)| {
            (r + a.load(Ordering::Relaxed), u + b.load(Ordering::Relaxed))
        })
    }

    fn into_timings(self) -> Vec<KindTiming> {
        KindGroup::ALL
            .iter()
            .zip(self.counts)
            .map(|(g, (r, u, ns))| {
                let (rendered, reused) = (r.into_inner(), u.into_inner());
                KindTiming {
                    label: g.label(),
                    pages: rendered + reused,
                    rendered,
                    reused,
                    time: Duration::from_nanos(ns.into_inner()),
                }
            })
            .collect()
    }
}

/// A poisoned lock only means a render thread panicked; the list is whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Renders one planned page to HTML, reading the article body when it needs one.
pub fn render_page(
    page: &plan::PlannedPage,
    archive: &Archive,
    cfg: &Config,
    renderer: &Renderer,
    files: &theme::ThemeFiles,
) -> Result<String, Diagnostic> {
    let body = match page.kind {
        PageKind::Article(i) => Some(article_body(archive, &Bodies::default(), i, cfg)?),
        _ => None,
    };
    renderer.render(page, archive, cfg, body.as_deref(), files)
}

/// `render_page` into `out`, with a thread's card cache.
#[allow(
    clippy::too_many_arguments,
    reason = "the render inputs plus two reusable buffers"
)]
fn render_one(
    page: &plan::PlannedPage,
    archive: &Archive,
    bodies: &Bodies,
    cfg: &Config,
    renderer: &Renderer,
    files: &theme::ThemeFiles,
    cards: &mut CardCache,
    out: &mut Vec<u8>,
) -> Result<(), Diagnostic> {
    let body = match page.kind {
        PageKind::Article(i) => Some(article_body(archive, bodies, i, cfg)?),
        _ => None,
    };
    renderer.render_into(page, archive, cfg, body.as_deref(), files, cards, out)
}

/// An article's body HTML: spilled when it was parsed, else read again from
/// its source file. A file edited since it was parsed gives its page the new
/// body under the old metadata; its new stamp makes the next build parse and
/// render it again, so there is no check (and no second hash) here.
fn article_body(
    archive: &Archive,
    bodies: &Bodies,
    i: u32,
    cfg: &Config,
) -> Result<String, Diagnostic> {
    if let Some(body) = bodies.get(i) {
        return Ok(body);
    }
    let a = &archive.entries[i as usize].article;
    let file = source::SourceFile {
        rel_path: a.source.clone(),
        content_path: content_path(&a.source),
        abs_path: cfg.root.join(&a.source),
        format: a.format,
    };
    let bytes = std::fs::read(&file.abs_path)
        .map_err(|e| Diagnostic::error(&file.rel_path, None, format!("cannot read: {e}")))?;
    Ok(article::body_html(&file, &bytes, cfg))
}

/// Feeds, sitemaps, robots.txt and redirects (see `extras`), each handed to
/// `write`. Returns errors and warnings.
#[allow(
    clippy::too_many_arguments,
    reason = "the archive with its bodies, and what the extras are made from"
)]
fn write_extras(
    archive: &Archive,
    bodies: &Bodies,
    cfg: &Config,
    opts: &BuildOptions,
    pages: &[plan::PlannedPage],
    files: &theme::ThemeFiles,
    incremental: Option<(&[[u8; 16]], &extras::KeepFn)>,
    write: impl Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    let statics: Vec<&str> = files.statics.keys().map(String::as_str).collect();
    let now = opts.now.unwrap_or_else(|| {
        chrono::Utc::now()
            .with_timezone(&cfg.timezone)
            .fixed_offset()
    });
    let cache_dir = (!opts.no_cache).then(|| {
        opts.cache_dir
            .clone()
            .unwrap_or_else(|| cfg.root.join(cache::DIR))
    });
    let input = ExtraInput {
        archive,
        cfg,
        pages,
        statics: &statics,
        now,
        incremental,
        cache_dir: cache_dir.as_deref(),
    };
    let body = |i: u32| article_body(archive, bodies, i, cfg);
    extras::extra_outputs(&input, &body, &write)
}

/// The theme's static files as `(path, bytes)`.
fn static_files(files: &theme::ThemeFiles) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (name, src) in &files.statics {
        match src {
            StaticSource::Embedded(b) => out.push((name.clone(), b.to_vec())),
            StaticSource::File(p) => match std::fs::read(p) {
                Ok(b) => out.push((name.clone(), b)),
                Err(e) => errors.push(Diagnostic::error(
                    p,
                    None,
                    format!("cannot read static file: {e}"),
                )),
            },
        }
    }
    (out, errors)
}
