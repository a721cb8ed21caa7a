//! The incremental side of a build: reusing the cached parse of unchanged
//! source files, and deciding for each output file whether it must be rendered
//! and whether it must be written. Writes only through `output::Stage`.

use ahash::AHashMap as HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::Progress;
use crate::article::{self, Article};
use crate::cache::{
    ArticleCache, CachedFile, FileStamp, OutputCache, OutputRecord, SHARDS, shard_of,
};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::output::Stage;
use crate::render::Fingerprint;
use crate::source::Found;
use crate::spill::{BodyRef, Spill};

/// One source file after the parse step.
#[derive(Debug)]
pub struct SourceResult {
    /// Boxed: results are collected and moved, articles are large.
    pub article: Option<Box<Article>>,
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when the file could not be read (nothing to cache).
    pub stamp: Option<FileStamp>,
    /// XXH3-128 of the file's bytes.
    pub hash: [u8; 16],
    /// Taken from the cache without parsing.
    pub reused: bool,
    /// Differs from what the cache holds for this file (new, edited, touched).
    pub changed: bool,
    /// The rendered body, for a file parsed with a spill file to put it in.
    pub body: Option<BodyRef>,
}

/// Parses every file, or takes its article from `cache` when its stamp (or,
/// failing that, its content hash) shows it unchanged. Results are in the order
/// of `files`; the flags say which cache shards no longer match (`None`: no
/// cache, every shard must be written); last, each file's shard. With `spill`,
/// each file parsed also has its body rendered and put there. `hashes` are the
/// archive pass's hashes of the files it read (`learn::Learned`), in file order.
pub fn parse_sources(
    files: &[Found],
    cfg: &Config,
    hashes: &[Option<[u8; 16]>],
    cache: Option<ArticleCache>,
    spill: Option<&Spill>,
    progress: &dyn Progress,
) -> (Vec<SourceResult>, Vec<bool>, Vec<u8>) {
    let (mut shards, mut dirty) = match cache {
        Some(c) => (c.shards, c.stale),
        None => (ArticleCache::default().shards, vec![true; SHARDS]),
    };
    let file_shards: Vec<u8> = files
        .par_iter()
        .map(|f| shard_of(&f.content_path()) as u8)
        .collect();
    // Each shard's files taken out of its map, the shards in parallel.
    let mut by_shard: Vec<Vec<u32>> = vec![Vec::new(); SHARDS];
    for (k, &shard) in file_shards.iter().enumerate() {
        by_shard[usize::from(shard)].push(k as u32);
    }
    let taken: Vec<Vec<(u32, Box<CachedFile>)>> = shards
        .par_iter_mut()
        .zip(&by_shard)
        .map(|(map, ks)| {
            ks.iter()
                .filter_map(|&k| {
                    let f = &files[k as usize];
                    map.remove(f.content_path().as_ref()).map(|c| (k, c))
                })
                .collect()
        })
        .collect();
    drop(by_shard);
    // Files the cache knows that are gone: their shards must be rewritten.
    for gone in shards.iter().flat_map(|m| m.keys()) {
        dirty[shard_of(gone)] = true;
    }
    drop(shards);
    let mut cached: Vec<Option<Box<CachedFile>>> = (0..files.len()).map(|_| None).collect();
    for (k, c) in taken.into_iter().flatten() {
        cached[k as usize] = Some(c);
    }
    let results: Vec<SourceResult> = files
        .par_iter()
        .zip(cached)
        .enumerate()
        .map(|(k, (f, cached))| {
            let read_before = hashes.get(k).copied().flatten();
            let r = parse_one(f, cfg, cached, read_before, spill);
            progress.advance(1);
            r
        })
        .collect();
    for (r, &shard) in results.iter().zip(&file_shards) {
        if r.changed {
            dirty[usize::from(shard)] = true;
        }
    }
    (results, dirty, file_shards)
}

/// One file, with the stamp the walk took when it took one, and the hash of its
/// bytes when the archive pass read it.
fn parse_one(
    f: &Found,
    cfg: &Config,
    cached: Option<Box<CachedFile>>,
    read_before: Option<[u8; 16]>,
    spill: Option<&Spill>,
) -> SourceResult {
    let unreadable = |e: std::io::Error| SourceResult {
        article: None,
        diagnostics: vec![Diagnostic::error(
            &f.rel_path,
            None,
            format!("cannot read: {e}"),
        )],
        stamp: None,
        hash: [0; 16],
        reused: false,
        changed: true,
        body: None,
    };
    let abs_path = || cfg.root.join(&f.rel_path);
    // With a cached entry a stat usually settles it; without one the file is
    // read anyway, and its stamp comes from the open file.
    let (stamp, bytes) = match &cached {
        Some(c) => {
            let stamp = match f.stamp.map_or_else(
                || std::fs::metadata(abs_path()).map(|m| FileStamp::of(&m)),
                Ok,
            ) {
                Ok(s) => s,
                Err(e) => return unreadable(e),
            };
            // A text file's reading also depends on the furniture learned from
            // other files: its stamp alone cannot tell that the reading still holds.
            let input = |source| article::input_hash(&f.content_path(), f.format, source, cfg);
            if let Some(source) = read_before {
                if c.hash == input(source) {
                    let changed = !c.trusts(&stamp)
                        && (c.stamp != stamp || stamp.settled_before(crate::cache::now_ns()));
                    return take(cached, stamp, changed);
                }
            } else if c.trusts(&stamp) && f.format != crate::source::Format::Wire {
                return take(cached, stamp, false);
            }
            match std::fs::read(abs_path()) {
                Ok(b) => (stamp, b),
                Err(e) => return unreadable(e),
            }
        }
        None => match read_with_stamp(&abs_path()) {
            Ok(x) => x,
            Err(e) => return unreadable(e),
        },
    };
    let hash = article::input_hash(
        &f.content_path(),
        f.format,
        article::source_hash(&bytes),
        cfg,
    );
    if let Some(c) = &cached {
        if c.hash == hash {
            // Read because its stamp was too fresh to trust when the record
            // was written: once it has settled, the record is written again
            // (with this build's start), or every build would read it again.
            let changed = c.stamp != stamp || stamp.settled_before(crate::cache::now_ns());
            return take(cached, stamp, changed);
        }
    }
    let parsed = article::parse_hashed(
        &f.source_file(&cfg.root),
        &bytes,
        hash,
        cfg,
        spill.is_some(),
    );
    // A body that cannot be spilled is read from its source again at render.
    let body = spill
        .zip(parsed.body)
        .and_then(|(s, b)| s.put(&b).ok().flatten());
    SourceResult {
        article: parsed.article.map(Box::new),
        diagnostics: parsed.diagnostics,
        stamp: Some(stamp),
        hash,
        reused: false,
        changed: true,
        body,
    }
}

/// Opens a file once for both its stamp and its bytes.
fn read_with_stamp(path: &Path) -> std::io::Result<(FileStamp, Vec<u8>)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let stamp = FileStamp::of(&file.metadata()?);
    let mut bytes = Vec::with_capacity(stamp.size as usize + 1);
    file.read_to_end(&mut bytes)?;
    Ok((stamp, bytes))
}

fn take(cached: Option<Box<CachedFile>>, stamp: FileStamp, changed: bool) -> SourceResult {
    match cached {
        Some(c) => {
            let c = *c;
            SourceResult {
                article: c.article,
                diagnostics: c.diagnostics,
                stamp: Some(stamp),
                hash: c.hash,
                reused: true,
                changed,
                body: None,
            }
        }
        // Only called with a cached file.
        None => SourceResult {
            article: None,
            diagnostics: Vec::new(),
            stamp: None,
            hash: [0; 16],
            reused: false,
            changed: true,
            body: None,
        },
    }
}

/// Decides, per output file, between reuse, rewrite and leaving alone, and
/// records what each output file now is.
pub struct Outputs<'a> {
    prev: Option<&'a OutputCache>,
    /// Path -> record in `prev`: a hash lookup per page instead of a search.
    by_path: HashMap<&'a str, &'a OutputRecord>,
    /// `None` for a check: files are made and hashed, never written.
    stage: Option<&'a Stage>,
    observer: Option<&'a dyn super::Observer>,
    write_ns: AtomicU64,
    unchanged: AtomicUsize,
}

impl<'a> Outputs<'a> {
    pub fn new(
        prev: Option<&'a OutputCache>,
        stage: Option<&'a Stage>,
        observer: Option<&'a dyn super::Observer>,
    ) -> Self {
        let by_path = prev
            .map(|p| p.records.iter().map(|r| (r.path.as_str(), r)).collect())
            .unwrap_or_default();
        Outputs {
            prev,
            by_path,
            stage,
            observer,
            write_ns: AtomicU64::new(0),
            unchanged: AtomicUsize::new(0),
        }
    }

    /// The content hash of the file at `path` if the last build made it from the
    /// same fingerprint: then it needs neither rendering nor writing.
    pub fn reusable(&self, path: &str, fingerprint: &Fingerprint) -> Option<[u8; 16]> {
        let r = self.by_path.get(path)?;
        (r.fingerprint == *fingerprint).then_some(r.content)
    }

    /// Writes `bytes` at `path` unless the file already holds exactly them;
    /// returns their hash.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<[u8; 16], Diagnostic> {
        self.put_page(path, bytes, None)
    }

    /// A file a build writes that a check does not read (media copied as
    /// they are): only the observer hears of it, with no bytes.
    pub fn put_unread(&self, path: &str) {
        if let Some(observer) = self.observer {
            observer.file(path, &[], None);
        }
    }

    /// `put`, for a page: an article page says where its body came from.
    pub fn put_page(
        &self,
        path: &str,
        bytes: &[u8],
        article: Option<&super::ArticleOrigin<'_>>,
    ) -> Result<[u8; 16], Diagnostic> {
        if let Some(observer) = self.observer {
            observer.file(path, bytes, article);
        }
        let content = crate::digest::hash16(bytes);
        let Some(stage) = self.stage else {
            return Ok(content);
        };
        let same = self.by_path.get(path).is_some_and(|r| r.content == content);
        if same && stage.is_incremental() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(content);
        }
        let started = Instant::now();
        let result = stage.write(path, bytes);
        self.write_ns
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        result.map(|()| content)
    }

    /// Time spent writing, summed over threads.
    pub fn write_time(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.write_ns.load(Ordering::Relaxed))
    }

    /// Files rendered again whose bytes came out the same (not rewritten).
    pub fn unchanged(&self) -> usize {
        self.unchanged.load(Ordering::Relaxed)
    }

    /// Sorts the new records by path, refuses two files at one path, and
    /// schedules the removal of every file the last build made and this one did
    /// not. Returns the records and the number of files removed.
    pub fn finish(
        &self,
        mut records: Vec<OutputRecord>,
    ) -> Result<(Vec<OutputRecord>, usize), Diagnostic> {
        records.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
        if let Some(w) = records.windows(2).find(|w| w[0].path == w[1].path) {
            return Err(Diagnostic::error(
                Path::new(&w[0].path),
                None,
                "two pages would be written to this output file (a slug or static file clashes with a generated page)",
            ));
        }
        let mut removed = 0;
        let incremental = self.stage.filter(|s| s.is_incremental());
        if let (Some(prev), Some(stage)) = (self.prev, incremental) {
            let mut new = records.iter().map(|r| r.path.as_str()).peekable();
            for old in &prev.records {
                while new.peek().is_some_and(|n| *n < old.path.as_str()) {
                    new.next();
                }
                if new.peek() != Some(&old.path.as_str()) {
                    stage.remove(&old.path)?;
                    removed += 1;
                }
            }
        }
        Ok((records, removed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::Quiet;

    #[test]
    fn a_file_read_for_a_too_fresh_stamp_gets_its_record_rewritten_once_it_settles() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(tmp.path().join("content")).expect("mkdir");
        let file = tmp.path().join("content/a.md");
        std::fs::write(&file, "---\ntitle: A\n---\nText.\n").expect("write");
        let cfg = Config::parse("", tmp.path()).expect("config");
        let hash = crate::article::source_hash(&std::fs::read(&file).expect("read"));
        let shard = shard_of("a.md");
        let run = || {
            let found = crate::source::discover(tmp.path(), &[])
                .expect("walk")
                .files;
            let stamp = found[0].stamp.expect("stamp");
            // Recorded by a build that started right after the file was written.
            let mut cache = ArticleCache::default();
            cache.shards[shard].insert(
                "a.md".to_string(),
                Box::new(CachedFile {
                    started_ns: stamp.mtime_ns.max(stamp.ctime_ns) + 1,
                    stamp,
                    hash,
                    diagnostics: Vec::new(),
                    article: None,
                }),
            );
            let (results, dirty, _) = parse_sources(&found, &cfg, &[], Some(cache), None, &Quiet);
            assert!(results[0].reused);
            dirty[shard]
        };
        assert!(
            !run(),
            "still fresh: writing the record again would not help"
        );
        std::thread::sleep(std::time::Duration::from_millis(2_100));
        assert!(
            run(),
            "settled: the record is written again, to be trusted next time"
        );
    }
}
