//! The media steps: after the index, where each file under content/ that is
//! not an article goes (`media::plan`), failing on a reference to a missing
//! file unless `skip_invalid`, and what each photo is (its size, from the
//! photo cache's index when its stamp is unchanged, else from its header);
//! beside the other outputs, putting the files in the output: a plain file
//! whose stamp is the one the last build copied is neither read nor written
//! again; a photo's variants and crops come from the photo cache, or are
//! made (one photo per thread, so at most one decoded photo per core).

use ahash::AHashMap as HashMap;
use rayon::prelude::*;
use std::sync::Mutex;

use super::context::Context;
use super::incremental::Outputs;
use super::pages::lock;
use super::parse::Site;
use super::{BuildError, Target};
use crate::cache::OutputRecord;
use crate::diag::Diagnostic;
use crate::media::photo::{self, Probe, Raster};
use crate::media::store::{Known, Store};
use crate::media::{self, Media, MediaFile, MediaPlan, Photo};
use crate::source::Asset;

/// What the media step settled: the plain files, the photos and what pages
/// show of them.
pub(super) struct MediaOut {
    pub plan: MediaPlan,
    pub photos: Vec<Photo>,
    pub media: Media,
}

impl Context<'_> {
    /// Step 5b, media: which file goes beside which article's page, and what
    /// is made of each photo. A reference to a file that does not exist, or a
    /// photo that cannot be read, is an error (a warning with `skip_invalid`);
    /// files no article uses are listed in the report.
    pub fn media(&mut self, site: &Site, assets: &[Asset]) -> Result<MediaOut, BuildError> {
        let planned = media::plan(&site.archive, assets, self.opts.skip_invalid);
        let failed = planned.diagnostics.iter().any(Diagnostic::is_error);
        self.tally
            .diagnostics
            .extend(planned.diagnostics.iter().cloned());
        self.tally
            .skipped_files
            .extend(planned.unused.iter().map(|p| (p.clone(), media::UNUSED)));
        self.tally.skipped_files.sort();
        if failed {
            return Err(self.failure());
        }
        let errors_before = self
            .tally
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count();
        let probed = self.probe_photos(&planned.plan.files);
        let errors = self
            .tally
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count();
        if errors > errors_before {
            return Err(self.failure());
        }
        let (photos, media) = media::photos(&site.archive, &planned, &probed, &self.cfg.images);
        let mut plan = planned.plan;
        plan.files.retain(|f| !probed.contains_key(&f.source));
        self.lap("media");
        Ok(MediaOut {
            plan,
            photos,
            media,
        })
    }

    /// Step 9b, copy media: every planned file into the output, and every
    /// photo with what is made of it.
    pub fn copy_media(&mut self, media: &MediaOut, outputs: &Outputs) -> Vec<OutputRecord> {
        let errors = Mutex::new(Vec::new());
        let fail = |e| lock(&errors).push(e);
        let mut records: Vec<OutputRecord> = media
            .plan
            .files
            .par_iter()
            .filter_map(|f| self.copy_one(f, outputs).map_err(fail).ok())
            .collect();
        let store = self.store();
        let photos: Vec<Vec<OutputRecord>> = media
            .photos
            .par_iter()
            .filter_map(|p| {
                self.put_photo(p, outputs, store.as_ref())
                    .map_err(fail)
                    .ok()
            })
            .collect();
        records.extend(photos.into_iter().flatten());
        if let Some(store) = store.filter(|_| self.target == Target::Disk) {
            let keep = media
                .photos
                .iter()
                .map(|p| media::store::pack_name(&p.key))
                .collect();
            if let Err(e) = store.prune(&keep) {
                let note = format!("cannot tidy the photo cache: {e}");
                self.tally.cache_notes.push(note);
            }
        }
        self.tally
            .errors
            .extend(errors.into_inner().unwrap_or_else(|e| e.into_inner()));
        self.lap("media files");
        records
    }

    /// The photo cache, when the build has a cache.
    fn store(&self) -> Option<Store> {
        self.cache.as_ref()?;
        let dir = self
            .opts
            .cache_dir
            .clone()
            .unwrap_or_else(|| self.cfg.root.join(crate::cache::DIR));
        Some(Store::new(&dir))
    }

    /// Each photo's content hash and size: from the photo cache's index when
    /// its stamp is the one recorded (and settled), else read. The index is
    /// saved again when anything changed.
    fn probe_photos(&mut self, files: &[MediaFile]) -> HashMap<String, ([u8; 16], Probe)> {
        let store = self.store();
        let (index, indexed_at) = store.as_ref().map(Store::load_index).unwrap_or_default();
        let mut sources: Vec<&MediaFile> = files
            .iter()
            .filter(|f| Raster::of(&f.source).is_some())
            .collect();
        sources.sort_by(|a, b| a.source.cmp(&b.source));
        sources.dedup_by(|a, b| a.source == b.source);
        let root = self.cfg.root.join("content");
        let results: Vec<(String, Result<Known, String>, bool)> = sources
            .par_iter()
            .map(|f| {
                let known = index
                    .get(&f.source)
                    .filter(|k| Some(k.stamp) == f.stamp && k.stamp.settled_before(indexed_at));
                if let Some(k) = known {
                    return (f.source.clone(), Ok(*k), false);
                }
                let read = std::fs::read(root.join(&f.source)).map_err(|e| e.to_string());
                let known = read.and_then(|bytes| {
                    let probe = photo::probe(&bytes)?;
                    let stamp = f.stamp.ok_or("cannot read its stamp")?;
                    let hash = crate::digest::hash16(&bytes);
                    Ok(Known { stamp, hash, probe })
                });
                (f.source.clone(), known, true)
            })
            .collect();
        let changed = results.iter().any(|r| r.2) || results.len() != index.len();
        let mut probed = HashMap::new();
        let mut kept = Vec::new();
        for (source, known, _) in results {
            match known {
                Ok(k) => {
                    probed.insert(source.clone(), (k.hash, k.probe));
                    kept.push((source, k));
                }
                Err(e) => {
                    let file = std::path::Path::new("content").join(&source);
                    let msg = format!("cannot read this image: {e}");
                    self.tally.diagnostics.push(match self.opts.skip_invalid {
                        true => Diagnostic::warning(&file, None, msg),
                        false => Diagnostic::error(&file, None, msg),
                    });
                }
            }
        }
        if let Some(store) = store.filter(|_| changed && self.target == Target::Disk) {
            let entries = kept.iter().map(|(s, k)| (s.as_str(), k));
            if let Err(e) = store.save_index(self.started_ns, entries) {
                let note = format!("cannot save the photo cache: {e}");
                self.tally.cache_notes.push(note);
            }
        }
        probed
    }

    /// One photo's files at each place it goes: reused when the last build
    /// made them from the same key, else from the photo cache, else made.
    fn put_photo(
        &self,
        p: &Photo,
        outputs: &Outputs,
        store: Option<&Store>,
    ) -> Result<Vec<OutputRecord>, Diagnostic> {
        let name = p.source.rsplit('/').next().unwrap_or(&p.source);
        let names = photo::made_names(name, &p.layout);
        let mut wanted = Vec::new();
        for out in &p.outs {
            let dir = media::page_dir(out);
            for n in &names {
                let mut d = crate::digest::Digest::with_capacity(64);
                d.put(&p.key);
                d.put(n.as_bytes());
                let fingerprint = d.finish();
                let path = format!("{dir}{n}");
                let kept = outputs.reusable(&path, &fingerprint);
                wanted.push((path, n, fingerprint, kept));
            }
        }
        let all_kept = wanted.iter().all(|w| w.3.is_some());
        if self.target == Target::Nowhere {
            // Not made, but written by a build: an observer is told of them.
            for w in &wanted {
                outputs.put_unread(&w.0);
            }
        }
        if all_kept || self.target == Target::Nowhere {
            return Ok(wanted
                .into_iter()
                .map(|(path, _, fingerprint, kept)| OutputRecord {
                    path,
                    fingerprint,
                    content: kept.unwrap_or(fingerprint),
                })
                .collect());
        }
        let made = self.made(p, name, store)?;
        let mut records = Vec::with_capacity(wanted.len());
        for (path, n, fingerprint, kept) in wanted {
            let content = match kept {
                Some(c) => c,
                None => {
                    let bytes = made.iter().find(|(m, _)| m == n).map(|(_, b)| b);
                    let bytes = bytes.ok_or_else(|| {
                        let file = std::path::Path::new("content").join(&p.source);
                        Diagnostic::error(&file, None, format!("{n} was not made"))
                    })?;
                    outputs.put(&path, bytes)?
                }
            };
            records.push(OutputRecord {
                path,
                fingerprint,
                content,
            });
        }
        Ok(records)
    }

    /// Everything made of a photo: from its pack, else made (and packed).
    fn made(
        &self,
        p: &Photo,
        name: &str,
        store: Option<&Store>,
    ) -> Result<photo::Made, Diagnostic> {
        if let Some(made) = store.and_then(|s| s.load_pack(&p.key)) {
            return Ok(made);
        }
        let file = std::path::Path::new("content").join(&p.source);
        let bytes = std::fs::read(self.cfg.root.join(&file))
            .map_err(|e| Diagnostic::error(&file, None, format!("cannot read: {e}")))?;
        let made = photo::process(name, &bytes, &p.layout, &self.cfg.images)
            .map_err(|e| Diagnostic::error(&file, None, format!("cannot read this image: {e}")))?;
        drop(bytes);
        if let Some(store) = store {
            // A cache that cannot be written costs the next build time only.
            let _ = store.save_pack(&p.key, &made);
        }
        Ok(made)
    }

    fn copy_one(&self, f: &MediaFile, outputs: &Outputs) -> Result<OutputRecord, Diagnostic> {
        // A stamp too fresh to trust says nothing: such a file is read.
        let settled = f.stamp.filter(|s| s.settled_before(self.started_ns));
        let fingerprint = settled.map(|s| {
            let mut d = crate::digest::Digest::with_capacity(128);
            d.put(b"media-copy/1");
            d.put(f.source.as_bytes());
            d.put(&s.size.to_le_bytes());
            d.put(&s.mtime_ns.to_le_bytes());
            d.put(&s.ctime_ns.to_le_bytes());
            d.put(&s.inode.to_le_bytes());
            d.finish()
        });
        let record = |fingerprint, content| OutputRecord {
            path: f.out.clone(),
            fingerprint,
            content,
        };
        if let Some(fp) = fingerprint {
            if let Some(content) = outputs.reusable(&f.out, &fp) {
                return Ok(record(fp, content));
            }
            if self.target == Target::Nowhere {
                // Not read, but written by a build: an observer is told of
                // the file, without its bytes.
                outputs.put_unread(&f.out);
                return Ok(record(fp, fp));
            }
        }
        let path = self.cfg.root.join("content").join(&f.source);
        let bytes = std::fs::read(&path).map_err(|e| {
            let rel = std::path::Path::new("content").join(&f.source);
            Diagnostic::error(&rel, None, format!("cannot read: {e}"))
        })?;
        let content = outputs.put(&f.out, &bytes)?;
        Ok(record(fingerprint.unwrap_or(content), content))
    }
}
