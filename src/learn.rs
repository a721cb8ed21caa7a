//! The archive pass: what a build learns from all the files before it reads any one of
//! them. Today that is site furniture (`ingest::furniture`), from the heads and tails of
//! the text files; Markdown files are not read here.
//!
//! Owns the reading of those files for learning, in parallel. Each text file is read
//! once, and the hash of its bytes is handed on, so the parse step knows an unchanged
//! file without reading it again. Writes nothing.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::ingest::furniture::{self, Furniture, Sample};
use crate::source::{Format, Found};

/// What the archive pass found.
#[derive(Debug, Default)]
pub struct Learned {
    pub furniture: Arc<Furniture>,
    /// Per file (in the order given), the hash of its bytes when this pass read it.
    pub hashes: Vec<Option<[u8; 16]>>,
}

/// Reads every text file among `files` (relative to `root`) and learns the furniture of
/// each group. A file that cannot be read is left out (the parse step reports it).
pub fn learn(files: &[Found], root: &Path) -> Learned {
    if !files.iter().any(|f| f.format == Format::Wire) {
        return Learned::default();
    }
    let read: Vec<Option<(Sample, [u8; 16])>> = files
        .par_iter()
        .map(|f| {
            if f.format != Format::Wire {
                return None;
            }
            let bytes = std::fs::read(root.join(&f.rel_path)).ok()?;
            let hash = crate::article::source_hash(&bytes);
            let text = match std::str::from_utf8(&bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => Cow::Owned(crate::ingest::decode(&bytes).text),
            };
            Some((furniture::sample(&f.content_path(), &text), hash))
        })
        .collect();
    let mut hashes = Vec::with_capacity(read.len());
    let mut samples = Vec::with_capacity(read.len());
    for entry in read {
        match entry {
            Some((sample, hash)) => {
                samples.push(sample);
                hashes.push(Some(hash));
            }
            None => hashes.push(None),
        }
    }
    Learned {
        furniture: Arc::new(furniture::learn(&samples)),
        hashes,
    }
}
