//! Steps 7 to 10: write extras (feeds, sitemaps, robots.txt, redirects), copy
//! statics, commit the output, save the caches. Also opening the output, which
//! the render step writes into.

use std::borrow::Cow;
use std::sync::Mutex;

use super::context::Context;
use super::incremental::Outputs;
use super::pages::{article_body, content_path, lock};
use super::parse::{Plan, Site, SourceState};
use super::{BuildError, Target};
use crate::article::Article;
use crate::cache::{self, FileRecord, OutputCache, OutputRecord};
use crate::diag::Diagnostic;
use crate::extras::{self, ExtraInput};
use crate::output::Stage;
use crate::theme::StaticSource;

/// Where this build's files go: a stage swapped in at commit (none for a
/// check), and what the last build wrote there.
pub(super) struct Output {
    stage: Option<Stage>,
    prev: Option<OutputCache>,
}

impl Output {
    /// The per-file decisions (reuse, rewrite, leave alone) over this
    /// output, showing every file made to `observer`.
    pub fn outputs<'a>(&'a self, observer: Option<&'a dyn super::Observer>) -> Outputs<'a> {
        Outputs::new(self.prev.as_ref(), self.stage.as_ref(), observer)
    }
}

/// Extra files the keep question was asked about: path -> (input
/// fingerprint, content hash of the kept file when it is kept).
type AskedMap = ahash::AHashMap<String, ([u8; 16], Option<[u8; 16]>)>;

impl Context<'_> {
    /// Opens the output: the last build's record (when usable), and a stage
    /// for the whole output or, with a record, for the files that change.
    pub fn open_output(&mut self) -> Result<Output, BuildError> {
        let prev = match self.record_loader.take().map(std::thread::JoinHandle::join) {
            Some(Ok(Ok(prev))) => prev,
            Some(Ok(Err(e))) => {
                let note = format!("ignoring the output record: {e}");
                self.tally.cache_notes.push(note);
                None
            }
            Some(Err(_)) => {
                let note = "ignoring the output record: its loader failed".to_string();
                self.tally.cache_notes.push(note);
                None
            }
            None => None,
        };
        let stage = match (self.target, &prev) {
            (Target::Nowhere, _) => None,
            (Target::Disk, Some(_)) => Some(Stage::begin_incremental(&self.out)),
            (Target::Disk, None) => Some(Stage::begin(&self.out)),
        };
        let stage = stage.transpose().map_err(|e| {
            let msg = format!("cannot create the staging directory: {e}");
            Diagnostic::error(&self.out, None, msg)
        })?;
        self.tally.incremental = stage.as_ref().is_some_and(Stage::is_incremental);
        Ok(Output { stage, prev })
    }

    /// Step 8, write extras: feeds, sitemaps, robots.txt and redirects, each
    /// made only when its input fingerprint changed and written only when its
    /// bytes did. Their problems go to the tally.
    pub fn write_extras(
        &mut self,
        site: &Site,
        plan: &Plan,
        outputs: &Outputs,
    ) -> Vec<OutputRecord> {
        let statics: Vec<&str> = self.theme.statics.keys().map(String::as_str).collect();
        let search_cache = self.search_cache_dir();
        let asked: Mutex<AskedMap> = Mutex::default();
        let keep = |path: &str, fp: &[u8; 16]| {
            let kept = outputs.reusable(path, fp);
            lock(&asked).insert(path.to_string(), (*fp, kept));
            kept.is_some()
        };
        let input = ExtraInput {
            archive: &site.archive,
            cfg: &self.cfg,
            pages: &plan.pages,
            statics: &statics,
            now: self.now(),
            incremental: Some((&plan.digests.entries, &keep)),
            cache_dir: search_cache.as_deref(),
        };
        let made = Mutex::new(Vec::new());
        let body = |i: u32| article_body(&site.archive, &site.bodies, i, &self.cfg);
        let diags = extras::extra_outputs(&input, &body, &|path, bytes| {
            let content = outputs.put(path, bytes)?;
            let fingerprint = lock(&asked).remove(path).map_or(content, |(fp, _)| fp);
            lock(&made).push(OutputRecord {
                path: path.to_string(),
                fingerprint,
                content,
            });
            Ok(())
        });
        drop(statics);
        let mut records = made.into_inner().unwrap_or_else(|e| e.into_inner());
        let asked = asked.into_inner().unwrap_or_else(|e| e.into_inner());
        records.extend(asked.into_iter().filter_map(|(path, (fingerprint, kept))| {
            kept.map(|content| OutputRecord {
                path,
                fingerprint,
                content,
            })
        }));
        let (errors, warnings): (Vec<_>, Vec<_>) =
            diags.into_iter().partition(Diagnostic::is_error);
        self.tally.errors.extend(errors);
        self.tally.diagnostics.extend(warnings);
        records
    }

    /// Where the search step keeps its cache: none without a cache.
    fn search_cache_dir(&self) -> Option<std::path::PathBuf> {
        self.cache.as_ref()?;
        Some(
            self.opts
                .cache_dir
                .clone()
                .unwrap_or_else(|| self.cfg.root.join(cache::DIR)),
        )
    }

    /// Step 9, copy statics: the theme's and the site's static files.
    pub fn copy_statics(&mut self, outputs: &Outputs) -> Vec<OutputRecord> {
        let mut records = Vec::new();
        for (name, src) in &self.theme.statics {
            let bytes = match src {
                StaticSource::Embedded(b) => Cow::Borrowed(*b),
                StaticSource::File(p) => match std::fs::read(p) {
                    Ok(b) => Cow::Owned(b),
                    Err(e) => {
                        let msg = format!("cannot read static file: {e}");
                        self.tally.errors.push(Diagnostic::error(p, None, msg));
                        continue;
                    }
                },
            };
            match outputs.put(name, &bytes) {
                Ok(content) => records.push(OutputRecord {
                    path: name.clone(),
                    fingerprint: content,
                    content,
                }),
                Err(e) => self.tally.errors.push(e),
            }
        }
        self.lap("other outputs");
        records
    }

    /// Refuses two files at one path, and schedules the removal of what the
    /// last build made and this one did not. Problems go to the tally: the
    /// commit, next, refuses to go on after any.
    pub fn finish_outputs(
        &mut self,
        outputs: &Outputs,
        records: Vec<OutputRecord>,
    ) -> Vec<OutputRecord> {
        if !self.tally.errors.is_empty() {
            return Vec::new();
        }
        self.tally.files_unchanged = outputs.unchanged();
        self.timings.write = outputs.write_time();
        match outputs.finish(records) {
            Ok((records, removed)) => {
                self.tally.files_removed = removed;
                records
            }
            Err(e) => {
                self.tally.errors.push(e);
                Vec::new()
            }
        }
    }

    /// Step 10, commit output: the stage becomes the output in one step (or,
    /// incremental, each changed file replaces its old version). A failed
    /// build never gets here: its stage is removed and the output untouched.
    pub fn commit(
        &mut self,
        output: Output,
        records: Vec<OutputRecord>,
    ) -> Result<Vec<OutputRecord>, BuildError> {
        let Output { stage, prev } = output;
        if !self.tally.errors.is_empty() {
            if let Some(stage) = stage {
                stage.abort();
            }
            return Err(self.failure());
        }
        let Some(stage) = stage else {
            return Ok(records);
        };
        self.tally.files_written = stage.written();
        let commit_error = |e: std::io::Error| {
            let msg = format!("cannot update the output directory: {e}");
            BuildError::from(Diagnostic::error(&self.out, None, msg))
        };
        // Nothing written, nothing removed, every fingerprint as before: the
        // output record stays as it is.
        let same_record = prev.as_ref().is_some_and(|p| p.records == records);
        self.let_go(prev);
        if let Some(c) = self.cache.as_ref().filter(|_| !same_record) {
            c.forget_outputs(&self.out).map_err(commit_error)?;
        }
        self.tally.record_unchanged = same_record;
        stage.commit().map_err(commit_error)?;
        self.lap("commit");
        Ok(records)
    }

    /// Step 11, save cache (the output record; the parse cache was saved
    /// beside the rendering). A cache that cannot be written costs the next
    /// build time, not correctness: a note, and the build goes on.
    pub fn save_output_record(&mut self, records: &[OutputRecord]) {
        if let Some(c) = self.cache.as_ref().filter(|_| !self.tally.record_unchanged) {
            if let Err(e) = c.save_outputs(&self.out, records.iter()) {
                let note = format!("cannot save the output record: {e}");
                self.tally.cache_notes.push(note);
            }
        }
        self.lap("save output record");
    }

    /// Writes the parse-cache shards that changed, each with the records of
    /// its files; returns notes for the shards that could not be saved. Runs
    /// beside the rendering, so one shard after the other.
    pub fn save_parse_cache(&self, site: &Site) -> Vec<String> {
        let Some(cache) = &self.cache else {
            return Vec::new();
        };
        let dirty = &site.dirty_shards;
        if !dirty.iter().any(|&d| d) {
            return Vec::new();
        }
        let mut archived = site.positions.iter();
        let articles: Vec<Option<&Article>> = site
            .states
            .iter()
            .map(|s| {
                let k = if s.archived { archived.next() } else { None };
                k.map(|&k| &*site.archive.entries[k as usize].article)
            })
            .collect();
        (0..cache::SHARDS)
            .filter(|&shard| dirty[shard])
            .filter_map(|shard| {
                let records = site
                    .states
                    .iter()
                    .zip(&articles)
                    .filter(|(s, _)| usize::from(s.shard) == shard)
                    .filter_map(|(s, a)| file_record(s, *a));
                let fingerprint = &self.cfg.fingerprint;
                cache
                    .save_shard(shard, fingerprint, self.started_ns, records)
                    .err()
                    .map(|e| format!("cannot save the parse cache: {e}"))
            })
            .collect()
    }
}

/// The cache record of one readable source file.
fn file_record<'a>(s: &'a SourceState, article: Option<&'a Article>) -> Option<FileRecord<'a>> {
    let stamp = s.stamp?;
    match (&s.rest, article) {
        (Some(rest), _) => Some(FileRecord {
            content_path: Cow::Borrowed(rest.content_path.as_str()),
            stamp,
            hash: &rest.hash,
            diagnostics: &rest.diagnostics,
            article: article.or(rest.left_out.as_deref()),
        }),
        (None, Some(a)) => Some(FileRecord {
            content_path: Cow::Owned(content_path(&a.source)),
            stamp,
            hash: &a.hash,
            diagnostics: &[],
            article: Some(a),
        }),
        // Not archived and nothing kept: cannot happen (such files keep a rest).
        (None, None) => None,
    }
}
