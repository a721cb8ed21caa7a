//! Step 7, render pages: every planned page whose fingerprint changed is
//! rendered (in parallel, in runs of pages showing nearby articles so their
//! cards come from a per-thread cache) and handed to the output. The parse
//! cache is saved by a thread of its own meanwhile.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::ArticleOrigin;
use super::context::Context;
use super::incremental::Outputs;
use super::parse::{Plan, Site};
use crate::archive::Archive;
use crate::article;
use crate::cache::OutputRecord;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::media::Media;
use crate::output::url_to_file;
use crate::plan::{PageKind, PlannedPage};
use crate::render::{CardCache, KindGroup, PageInput};
use crate::source;
use crate::spill::Bodies;

/// What one rendering thread keeps warm between runs of pages.
type Scratch = Mutex<(CardCache, Vec<u8>)>;

impl Context<'_> {
    /// Step 7, render pages (and, beside them, step 11's parse cache).
    pub fn render_pages(
        &mut self,
        site: &Site,
        plan: &Plan,
        outputs: &Outputs,
        media: &Media,
    ) -> Vec<OutputRecord> {
        self.progress.phase("render", plan.pages.len() as u64);
        let order = render_order(site, plan, self.cfg.paginate_by);
        let scratch: Vec<Scratch> = (0..rayon::current_num_threads().max(1))
            .map(|_| Mutex::new((CardCache::new(), Vec::with_capacity(64 * 1024))))
            .collect();
        let kinds = KindCounters::default();
        let errors = Mutex::new(Vec::new());
        let job = RenderJob {
            ctx: self,
            site,
            plan,
            outputs,
            media,
            kinds: &kinds,
            errors: &errors,
        };
        let (rendered, notes) = std::thread::scope(|scope| {
            let saver = scope.spawn(|| job.ctx.save_parse_cache(site));
            let rendered: Vec<Vec<OutputRecord>> = order
                .par_chunks(256)
                .map(|run| job.run(run, &scratch))
                .collect();
            let notes = saver.join().unwrap_or_else(|_| {
                vec!["the parse cache was not saved (its thread failed)".to_string()]
            });
            (rendered, notes)
        });
        // Back in plan order.
        let mut records = vec![OutputRecord::default(); plan.pages.len()];
        for (&k, record) in order.iter().zip(rendered.into_iter().flatten()) {
            records[k as usize] = record;
        }
        self.tally.cache_notes.extend(notes);
        self.tally.errors.extend(lock(&errors).drain(..));
        let (rendered, reused) = kinds.totals();
        (self.tally.pages_rendered, self.tally.pages_reused) = (rendered, reused);
        self.timings.kinds = kinds.into_timings();
        self.lap("render and write pages");
        records
    }
}

/// Date order, so that consecutive pages show nearby articles and their cards
/// come from the card cache.
fn render_order(site: &Site, plan: &Plan, per_page: usize) -> Vec<u32> {
    let mut order: Vec<u32> = (0..plan.pages.len() as u32).collect();
    order.par_sort_by_cached_key(|&k| {
        let newest = plan.pages[k as usize].newest(&site.archive, per_page);
        (newest.unwrap_or(u32::MAX), k)
    });
    order
}

/// What rendering threads share.
struct RenderJob<'j, 'c> {
    ctx: &'j Context<'c>,
    site: &'j Site,
    plan: &'j Plan,
    outputs: &'j Outputs<'j>,
    media: &'j Media,
    kinds: &'j KindCounters,
    errors: &'j Mutex<Vec<Diagnostic>>,
}

impl RenderJob<'_, '_> {
    /// One run of consecutive pages on one thread, with that thread's card
    /// cache and buffer.
    fn run(&self, run: &[u32], scratch: &[Scratch]) -> Vec<OutputRecord> {
        let slot = rayon::current_thread_index().unwrap_or(0) % scratch.len();
        let mut guard = lock(&scratch[slot]);
        let (cards, buf) = &mut *guard;
        run.iter()
            .map(|&k| {
                let record = self.page(&self.plan.pages[k as usize], cards, buf);
                self.ctx.progress.advance(1);
                record
            })
            .collect()
    }

    /// One page: reused when its fingerprint is the last build's, else
    /// rendered and put. The record keeps the path: made once per page.
    fn page(&self, page: &PlannedPage, cards: &mut CardCache, buf: &mut Vec<u8>) -> OutputRecord {
        let (cfg, archive) = (&self.ctx.cfg, &self.site.archive);
        let t = Instant::now();
        let path = url_to_file(&page.url);
        let renderer = &self.ctx.renderer;
        let fingerprint = renderer.fingerprint_with(page, archive, cfg, Some(&self.plan.digests));
        let result = match self.outputs.reusable(&path, &fingerprint) {
            Some(content) => Ok((false, content)),
            None => self
                .render(page, &path, cards, buf)
                .map(|content| (true, content)),
        };
        let content = match result {
            Ok((rendered, content)) => {
                self.kinds
                    .add(KindGroup::of(&page.kind), rendered, t.elapsed());
                content
            }
            Err(e) => {
                lock(self.errors).push(e);
                [0; 16]
            }
        };
        OutputRecord {
            path,
            fingerprint,
            content,
        }
    }
}

impl RenderJob<'_, '_> {
    /// Renders one page and puts it; returns its content hash.
    fn render(
        &self,
        page: &PlannedPage,
        path: &str,
        cards: &mut CardCache,
        buf: &mut Vec<u8>,
    ) -> Result<[u8; 16], Diagnostic> {
        let (cfg, archive) = (&self.ctx.cfg, &self.site.archive);
        let body = article_body_of(page, archive, &self.site.bodies, cfg)?;
        let renderer = &self.ctx.renderer;
        let input = PageInput {
            body: body.as_deref(),
            media: self.media,
        };
        renderer.render_into(page, archive, cfg, input, cards, buf)?;
        let origin = match (&page.kind, &body) {
            (PageKind::Article(i), Some(body)) => Some(ArticleOrigin {
                source: &archive.entries[*i as usize].article.source,
                body,
            }),
            _ => None,
        };
        self.outputs.put_page(path, buf, origin.as_ref())
    }
}

/// The body an article page shows; other pages have none.
fn article_body_of(
    page: &PlannedPage,
    archive: &Archive,
    bodies: &Bodies,
    cfg: &Config,
) -> Result<Option<String>, Diagnostic> {
    match page.kind {
        PageKind::Article(i) => article_body(archive, bodies, i, cfg).map(Some),
        _ => Ok(None),
    }
}

/// An article's body HTML: spilled when it was parsed, else read again from
/// its source file. A file edited since it was parsed gives its page the new
/// body under the old metadata; its new stamp makes the next build parse and
/// render it again, so there is no check (and no second hash) here.
pub(super) fn article_body(
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

/// `content/world/x.md` -> `world/x.md`, as `source::discover` names files.
pub(super) fn content_path(source: &std::path::Path) -> String {
    source
        .strip_prefix("content")
        .unwrap_or(source)
        .to_string_lossy()
        .replace('\\', "/")
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

    fn into_timings(self) -> Vec<crate::timings::KindTiming> {
        KindGroup::ALL
            .iter()
            .zip(self.counts)
            .map(|(g, (r, u, ns))| {
                let (rendered, reused) = (r.into_inner(), u.into_inner());
                crate::timings::KindTiming {
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
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
