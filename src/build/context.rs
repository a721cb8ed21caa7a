//! The build context: what every step reads (options, config, theme, caches,
//! where the output goes) and the tally the steps add to (problems found,
//! notes, timings), turned into the `BuildReport` at the end.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Instant;

use super::{BuildError, BuildOptions, BuildReport, Progress, Target};
use crate::cache::{self, Cache, CacheError, OutputCache, OutputRecord};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::render::Renderer;
use crate::theme::{self, ThemeFiles};
use crate::timings::{Clock, Timings};

/// Reads site.toml at `root` and applies the options that change the config.
pub fn load_config(root: &Path, opts: &BuildOptions) -> Result<Config, BuildError> {
    let mut cfg = Config::load(root)?;
    if let Some(url) = &opts.base_url {
        cfg.base_url = url.trim_end_matches('/').to_string();
    }
    crate::render::shortcodes::attach(&mut cfg)?;
    Ok(cfg)
}

type RecordLoader = JoinHandle<Result<Option<OutputCache>, CacheError>>;

/// One run of the pipeline.
pub(super) struct Context<'a> {
    pub opts: &'a BuildOptions,
    pub progress: &'a dyn Progress,
    pub target: Target,
    pub cfg: Config,
    pub theme: ThemeFiles,
    pub renderer: Renderer,
    /// `None` without a cache (`--no-cache`, or `check`).
    pub cache: Option<Cache>,
    pub out: PathBuf,
    pub started: Instant,
    /// When the build started, for the parse cache's stamp rule.
    pub started_ns: i64,
    /// The output record of the last build, loading on a thread of its own.
    pub record_loader: Option<RecordLoader>,
    pub tally: Tally,
    pub timings: Timings,
    /// Shown every file made (`check --links`).
    pub observer: Option<&'a dyn super::Observer>,
    clock: Clock,
}

/// What the steps found, for the report.
#[derive(Default)]
pub(super) struct Tally {
    /// Warnings, and the errors of articles left out with `skip_invalid`.
    pub diagnostics: Vec<Diagnostic>,
    /// Errors of the output steps: any of them fails the build.
    pub errors: Vec<Diagnostic>,
    pub cache_notes: Vec<String>,
    pub skipped_invalid: Vec<PathBuf>,
    pub skipped_files: Vec<(PathBuf, &'static str)>,
    pub drafts_left_out: usize,
    pub articles: usize,
    pub pages: usize,
    pub pages_rendered: usize,
    pub pages_reused: usize,
    pub files_written: usize,
    pub files_unchanged: usize,
    pub files_removed: usize,
    pub incremental: bool,
    /// The output record would be saved as it is: it is not rewritten.
    pub record_unchanged: bool,
}

impl<'a> Context<'a> {
    /// Step 1, load config: site.toml, the theme's templates and statics, and
    /// the caches (the output record starts loading beside the next steps).
    pub fn load_config(
        root: &Path,
        opts: &'a BuildOptions,
        progress: &'a dyn Progress,
        target: Target,
    ) -> Result<Context<'a>, BuildError> {
        let started = Instant::now();
        let started_ns = cache::now_ns();
        let cfg = load_config(root, opts)?;
        let theme = theme::collect(&cfg)?;
        let mut renderer = Renderer::new(&theme)?;
        renderer.today = Some(crate::render::today(opts.now, &cfg));
        let tally = Tally {
            diagnostics: cfg.warnings.clone(),
            ..Tally::default()
        };
        let cache = (target == Target::Disk && !opts.no_cache).then(|| match &opts.cache_dir {
            Some(dir) => Cache::at(dir),
            None => Cache::new(&cfg.root),
        });
        let out = opts
            .output_dir
            .clone()
            .unwrap_or_else(|| cfg.root.join("public"));
        Ok(Context {
            opts,
            progress,
            target,
            cfg,
            theme,
            renderer,
            cache,
            out,
            started,
            started_ns,
            record_loader: None,
            tally,
            timings: Timings::default(),
            observer: None,
            clock: Clock::start(),
        })
    }

    /// Ends the current phase of the timings under `name`.
    pub fn lap(&mut self, name: &'static str) {
        self.clock.lap(&mut self.timings, name);
    }

    /// Lets go of a large value the build no longer needs: freeing a hundred
    /// thousand articles takes a noticeable part of a small rebuild. A process
    /// about to exit leaves it to the system; otherwise a thread frees it while
    /// the build carries on.
    pub fn let_go<T: Send + 'static>(&self, value: T) {
        if self.opts.exit_after {
            std::mem::forget(value);
        } else {
            std::thread::spawn(move || drop(value));
        }
    }

    /// The build's "now": the option, else the clock in the site's zone.
    pub fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.opts.now.unwrap_or_else(|| {
            chrono::Utc::now()
                .with_timezone(&self.cfg.timezone)
                .fixed_offset()
        })
    }

    /// The report of a build that went through.
    pub fn report(mut self, records: Vec<OutputRecord>) -> BuildReport {
        self.timings.peak_rss_bytes = crate::timings::peak_rss_bytes();
        let files = records.len();
        self.let_go(records);
        let t = self.tally;
        BuildReport {
            articles: t.articles,
            pages: t.pages,
            files,
            pages_written: t.files_written,
            diagnostics: t.diagnostics,
            skipped_invalid: t.skipped_invalid,
            skipped_files: t.skipped_files,
            drafts_left_out: t.drafts_left_out,
            elapsed: self.started.elapsed(),
            output_dir: self.out,
            pages_rendered: t.pages_rendered,
            pages_reused: t.pages_reused,
            files_unchanged: t.files_unchanged,
            files_removed: t.files_removed,
            incremental: t.incremental,
            cache_notes: t.cache_notes,
            timings: self.timings,
        }
    }

    /// Every problem so far, sorted and without repeats, as a failed build.
    /// Output files that could not be written for one cause (a full disk, a
    /// read-only folder) are one problem, reported once with that cause.
    pub fn failure(&mut self) -> BuildError {
        let mut errors = collapse_write_errors(std::mem::take(&mut self.tally.errors), &self.out);
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        errors.dedup();
        let mut diagnostics = std::mem::take(&mut self.tally.diagnostics);
        diagnostics.extend(errors);
        BuildError { diagnostics }
    }
}

/// Output files that failed to be written with the same message become one
/// diagnostic on the output folder, counting them and naming the first.
fn collapse_write_errors(errors: Vec<Diagnostic>, out: &Path) -> Vec<Diagnostic> {
    const PREFIX: &str = "cannot write output file: ";
    let mut causes: Vec<(String, usize, PathBuf)> = Vec::new();
    let mut kept = Vec::with_capacity(errors.len());
    for e in errors {
        let Some(cause) = e.message.strip_prefix(PREFIX) else {
            kept.push(e);
            continue;
        };
        match causes.iter_mut().find(|(c, _, _)| c == cause) {
            Some((_, n, _)) => *n += 1,
            None => causes.push((cause.to_string(), 1, e.file.clone())),
        }
    }
    for (cause, n, first) in causes {
        let message = match n {
            1 => format!("cannot write output file {}: {cause}", first.display()),
            _ => format!(
                "cannot write the output: {cause} ({n} files could not be written, the first {})",
                first.display()
            ),
        };
        kept.push(Diagnostic::error(out, None, message));
    }
    kept
}
