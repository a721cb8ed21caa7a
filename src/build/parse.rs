//! Steps 2 to 5: walk content/, parse every file (or take it from the parse
//! cache), index the articles, plan the pages.

use std::path::Path;

use super::context::Context;
use super::incremental::{SourceResult, parse_sources};
use super::{BuildError, Target};
use crate::archive::{self, Archive};
use crate::article::{self, Article};
use crate::diag::Diagnostic;
use crate::plan::{self, PlannedPage};
use crate::render::{Digests, Renderer};
use crate::source::FileStamp;
use crate::source::{self, Asset, Found};
use crate::spill::{Bodies, Spill};

/// What the parse step made: per file (in walk order) its result and its
/// cache shard, which shards changed, and the spill file bodies went to.
pub(super) struct Parsed {
    results: Vec<SourceResult>,
    file_shards: Vec<u8>,
    dirty_shards: Vec<bool>,
    spill: Option<Spill>,
}

/// The indexed site: the archive, its bodies, and what the cache needs.
pub(super) struct Site {
    pub archive: Archive,
    /// Bodies rendered while parsing, by entry.
    pub bodies: Bodies,
    /// Per source file (in walk order), what the cache needs.
    pub states: Vec<SourceState>,
    /// Per parse-cache shard: whether it differs from what the build started with.
    pub dirty_shards: Vec<bool>,
    /// For the k-th archived file (in `states` order), its entry in the archive.
    pub positions: Vec<u32>,
}

/// The page plan and the digests its fingerprints share.
pub(super) struct Plan {
    pub pages: Vec<PlannedPage>,
    pub digests: Digests,
}

/// What the cache needs about one source file, kept small: most files are
/// archived articles without diagnostics, whose path and hash are the article's.
#[derive(Debug)]
pub(super) struct SourceState {
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
pub(super) struct StateRest {
    /// Relative to content/, with `/` separators.
    pub content_path: String,
    pub hash: [u8; 16],
    pub diagnostics: Vec<Diagnostic>,
    /// A draft left out of this build, kept so the cache need not parse it again.
    pub left_out: Option<Box<Article>>,
}

impl Context<'_> {
    /// Step 2, walk: every file under content/, sorted by path (so a page can
    /// find its source by binary search), and the media files beside them;
    /// hidden files are listed in the report.
    pub fn walk(&mut self) -> Result<(Vec<Found>, Vec<Asset>), BuildError> {
        let sources = source::discover(&self.cfg.root, &self.cfg.content.ignore)?;
        self.tally.skipped_files = sources.skipped;
        self.lap("discover");
        Ok((sources.files, sources.assets))
    }

    /// Step 3, learn: the archive pass over the text files' heads and tails
    /// (site furniture, `crate::learn`), which their reading depends on.
    pub fn learn(&mut self, files: &[Found]) -> Vec<Option<[u8; 16]>> {
        let learned = crate::learn::learn(files, &self.cfg.root);
        self.cfg.furniture = learned.furniture;
        self.lap("learn");
        learned.hashes
    }

    /// Step 4, parse: every file, in parallel, or its cached parse when it is
    /// unchanged (`hashes`: what the archive pass read); each body parsed is
    /// rendered into the spill file.
    pub fn parse(&mut self, files: &[Found], hashes: &[Option<[u8; 16]>]) -> Parsed {
        let article_cache = self.cache.as_ref().map(|c| {
            let (loaded, errors) = c.load_articles(&self.cfg.fingerprint);
            for e in errors {
                self.tally
                    .cache_notes
                    .push(format!("ignoring part of the parse cache: {e}"));
            }
            loaded
        });
        self.lap("config, templates, cache");
        self.start_record_loader();
        let spill = Spill::new_in(&self.spill_dir()).ok();
        self.progress.phase("parse", files.len() as u64);
        let (results, dirty_shards, file_shards) = parse_sources(
            files,
            &self.cfg,
            hashes,
            article_cache,
            spill.as_ref(),
            self.progress,
        );
        self.timings.parse_reused = results.iter().filter(|r| r.reused).count();
        self.timings.parsed = results.len() - self.timings.parse_reused;
        self.lap("parse");
        Parsed {
            results,
            file_shards,
            dirty_shards,
            spill,
        }
    }

    /// Step 5, index: the archive of every article that is in this build
    /// (drafts only with `--drafts`), in canonical order. Fails with every
    /// problem on any error, unless `skip_invalid`.
    pub fn index(&mut self, files: Vec<Found>, parsed: Parsed) -> Result<Site, BuildError> {
        let Parsed {
            results,
            file_shards,
            dirty_shards,
            spill,
        } = parsed;
        let mut unknown = article::dialect::UnknownKeys::default();
        for a in results.iter().filter_map(|r| r.article.as_deref()) {
            unknown.add(a);
        }
        self.tally.diagnostics.extend(unknown.warnings());
        drop(unknown);
        let now = self
            .opts
            .now
            .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
        let mut articles = Vec::with_capacity(results.len());
        let mut article_bodies = Vec::new();
        let mut states = Vec::with_capacity(results.len());
        for ((r, f), shard) in results.into_iter().zip(&files).zip(file_shards) {
            let (state, article) = self.sort_out(r, f, shard, now);
            if let Some((article, body)) = article {
                articles.push(article);
                article_bodies.push(body);
            }
            states.push(state);
        }
        // A hundred thousand paths take a while to free: not on this thread.
        std::thread::spawn(move || drop(files));
        let (archive, index_diags, positions) =
            archive::index_sorted_with_positions(articles, &self.cfg);
        let mut body_refs = vec![None; article_bodies.len()];
        for (&at, body) in positions.iter().zip(article_bodies) {
            body_refs[at as usize] = body;
        }
        self.tally.diagnostics.extend(index_diags);
        self.tally.articles = archive.entries.len();
        self.lap("index");
        if self.tally.diagnostics.iter().any(Diagnostic::is_error) && !self.opts.skip_invalid {
            return Err(self.failure());
        }
        Ok(Site {
            archive,
            bodies: Bodies::new(spill, body_refs),
            states,
            dirty_shards,
            positions,
        })
    }

    /// Step 6, plan: every page of the site, as a cheap description, and
    /// the digests of what many pages show, made once for all fingerprints.
    pub fn plan(&mut self, site: &Site, media: &crate::media::Media) -> Plan {
        let mut pages = plan::plan(&site.archive, self.cfg.paginate_by);
        pages.extend(crate::search::page(&self.cfg));
        self.tally.pages = pages.len();
        let digests = Renderer::digests(&site.archive, media);
        self.lap("plan");
        Plan { pages, digests }
    }

    /// One parsed file: its diagnostics to the tally, and its cache state
    /// and, when it is in this build, its article and spilled body.
    #[allow(
        clippy::type_complexity,
        reason = "a pair said once, unpacked by the one caller"
    )]
    fn sort_out(
        &mut self,
        r: SourceResult,
        f: &Found,
        shard: u8,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> (
        SourceState,
        Option<(Box<Article>, Option<crate::spill::BodyRef>)>,
    ) {
        if r.diagnostics.iter().any(Diagnostic::is_error) {
            self.tally.skipped_invalid.push(f.rel_path.clone());
        }
        self.tally.diagnostics.extend(r.diagnostics.iter().cloned());
        let mut left_out = None;
        let mut article = None;
        let expired = |a: &Article| !self.opts.drafts && article::dialect::expired(a, now);
        match r.article {
            Some(a) if expired(&a) => {
                let warning = article::dialect::expired_warning(&a);
                self.tally.diagnostics.push(warning);
                self.tally.drafts_left_out += 1;
                left_out = Some(a);
            }
            Some(a) if a.draft && !self.opts.drafts => {
                self.tally.drafts_left_out += 1;
                left_out = Some(a);
            }
            Some(a) => article = Some((a, r.body)),
            None => {}
        }
        let archived = article.is_some();
        let rest = (!archived || !r.diagnostics.is_empty()).then(|| {
            Box::new(StateRest {
                content_path: f.content_path().into_owned(),
                hash: r.hash,
                diagnostics: r.diagnostics,
                left_out,
            })
        });
        let state = SourceState {
            shard,
            stamp: r.stamp,
            archived,
            rest,
        };
        (state, article)
    }

    /// Beside the output, so that bodies are spilled to the same disk; a
    /// check, which has no output, spills to the temporary folder.
    fn spill_dir(&self) -> std::path::PathBuf {
        match self.target {
            Target::Disk => self
                .out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
            Target::Nowhere => std::env::temp_dir(),
        }
    }

    /// The output record is one file read, checked and decoded on one thread:
    /// it is needed only once pages are planned, so it loads beside the walk
    /// and the index (after the parse cache, whose buffers it can then reuse).
    fn start_record_loader(&mut self) {
        if let Some(c) = self.cache.as_ref().filter(|_| self.out.is_dir()) {
            let (c, out) = (c.clone(), self.out.clone());
            self.record_loader = Some(std::thread::spawn(move || c.load_outputs(&out)));
        }
    }
}
