//! The media steps: after the index, where each file under content/ that is
//! not an article goes (`media::plan`), failing on a reference to a missing
//! file unless `skip_invalid`; beside the other outputs, putting those files
//! in the output. A file whose stamp is the one the last build copied is
//! neither read nor written again.

use rayon::prelude::*;
use std::sync::Mutex;

use super::context::Context;
use super::incremental::Outputs;
use super::pages::lock;
use super::parse::Site;
use super::{BuildError, Target};
use crate::cache::OutputRecord;
use crate::diag::Diagnostic;
use crate::media::{self, MediaFile, MediaPlan};
use crate::source::Asset;

impl Context<'_> {
    /// Step 5b, media: which file goes beside which article's page. A
    /// reference to a file that does not exist is an error (a warning with
    /// `skip_invalid`); files no article uses are listed in the report.
    pub fn media(&mut self, site: &Site, assets: &[Asset]) -> Result<MediaPlan, BuildError> {
        let planned = media::plan(&site.archive, assets, self.opts.skip_invalid);
        let failed = planned.diagnostics.iter().any(Diagnostic::is_error);
        self.tally.diagnostics.extend(planned.diagnostics);
        self.tally
            .skipped_files
            .extend(planned.unused.into_iter().map(|p| (p, media::UNUSED)));
        self.tally.skipped_files.sort();
        self.lap("media plan");
        if failed {
            return Err(self.failure());
        }
        Ok(planned.plan)
    }

    /// Step 9b, copy media: every planned file into the output, unless the
    /// last build put the same file (by its stamp) at the same place.
    pub fn copy_media(&mut self, plan: &MediaPlan, outputs: &Outputs) -> Vec<OutputRecord> {
        let errors = Mutex::new(Vec::new());
        let records: Vec<OutputRecord> = plan
            .files
            .par_iter()
            .filter_map(|f| match self.copy_one(f, outputs) {
                Ok(r) => Some(r),
                Err(e) => {
                    lock(&errors).push(e);
                    None
                }
            })
            .collect();
        self.tally
            .errors
            .extend(errors.into_inner().unwrap_or_else(|e| e.into_inner()));
        self.lap("media");
        records
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
