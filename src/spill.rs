//! Article bodies rendered while the sources are parsed, set aside until their
//! pages are rendered. A clean build parses every Markdown body once anyway
//! (for its summary and word count); rendering it in that same pass saves
//! reading, decoding and parsing the file a second time at render. The HTML
//! cannot stay in memory (the archive holds metadata only), so it goes to an
//! unnamed temporary file beside the output, written and read by offset from
//! any thread, and gone with the build.

use std::fs::File;
use std::io;
use std::num::NonZeroU64;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where one body is in the spill file, in 8 bytes (an `Option` of it too,
/// one per article): the top bit set, the offset in the next 39 bits (512
/// GiB of bodies), the length in the low 24 (bodies up to 16 MiB; longer ones
/// are read from their source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyRef(NonZeroU64);

const LEN_BITS: u32 = 24;
const TAG: u64 = 1 << 63;

impl BodyRef {
    fn new(offset: u64, len: u64) -> Option<BodyRef> {
        let fits = offset < 1 << (63 - LEN_BITS) && len < 1 << LEN_BITS;
        // Never zero: the tag bit is set.
        NonZeroU64::new(TAG | offset << LEN_BITS | len)
            .filter(|_| fits)
            .map(BodyRef)
    }

    fn offset(self) -> u64 {
        (self.0.get() & !TAG) >> LEN_BITS
    }

    fn len(self) -> usize {
        (self.0.get() & ((1 << LEN_BITS) - 1)) as usize
    }
}

/// The temporary file of a build's spilled bodies.
#[derive(Debug)]
pub struct Spill {
    file: File,
    /// Where the next body goes: bodies are appended by claiming their range.
    end: AtomicU64,
}

impl Spill {
    /// An unnamed file in `dir` (no name is ever visible where the system
    /// allows it; else the name is removed at once).
    pub fn new_in(dir: &Path) -> io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile_in(dir)?,
            end: AtomicU64::new(0),
        })
    }

    /// Appends one body; `None` for one too long to spill.
    pub fn put(&self, body: &str) -> io::Result<Option<BodyRef>> {
        let len = body.len() as u64;
        if BodyRef::new(0, len).is_none() {
            return Ok(None);
        }
        let offset = self.end.fetch_add(len, Ordering::Relaxed);
        let Some(at) = BodyRef::new(offset, len) else {
            return Ok(None);
        };
        self.file.write_all_at(body.as_bytes(), offset)?;
        Ok(Some(at))
    }

    /// A body `put` returned.
    pub fn get(&self, at: BodyRef) -> io::Result<String> {
        let mut bytes = vec![0; at.len()];
        self.file.read_exact_at(&mut bytes, at.offset())?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// The spilled bodies of an archive's entries, by entry index. Entries
/// without one (taken from the parse cache, or no spill file) are read from
/// their source again.
#[derive(Debug, Default)]
pub struct Bodies {
    spill: Option<Spill>,
    refs: Vec<Option<BodyRef>>,
}

impl Bodies {
    /// `refs[i]` for entry `i`, all in `spill`.
    pub fn new(spill: Option<Spill>, refs: Vec<Option<BodyRef>>) -> Bodies {
        Bodies { spill, refs }
    }

    /// Entry `i`'s body, if it was spilled and reads back.
    pub fn get(&self, i: u32) -> Option<String> {
        let at = (*self.refs.get(i as usize)?)?;
        self.spill.as_ref()?.get(at).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_read_back_from_any_thread_by_entry() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spill = Spill::new_in(dir.path()).expect("spill");
        let texts: Vec<String> = (0..200).map(|i| format!("<p>body {i} é</p>")).collect();
        let refs: Vec<BodyRef> = std::thread::scope(|s| {
            let handles: Vec<_> = texts
                .iter()
                .map(|t| s.spawn(|| spill.put(t).expect("put").expect("short")))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("join"))
                .collect()
        });
        // Nothing named is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
        let mut by_entry: Vec<Option<BodyRef>> = refs.into_iter().map(Some).collect();
        by_entry.push(None);
        let bodies = Bodies::new(Some(spill), by_entry);
        assert_eq!(bodies.get(7).as_deref(), Some("<p>body 7 é</p>"));
        assert_eq!(bodies.get(199).as_deref(), Some("<p>body 199 é</p>"));
        assert_eq!(bodies.get(200), None, "an entry without a body");
        assert_eq!(bodies.get(201), None, "past the end");
        assert_eq!(Bodies::default().get(0), None);
    }

    #[test]
    fn a_reference_packs_offset_and_length_into_eight_bytes() {
        assert_eq!(std::mem::size_of::<Option<BodyRef>>(), 8);
        let at = BodyRef::new(123_456_789, 4096).expect("fits");
        assert_eq!((at.offset(), at.len()), (123_456_789, 4096));
        let empty = BodyRef::new(0, 0).expect("fits");
        assert_eq!((empty.offset(), empty.len()), (0, 0));
        let last = BodyRef::new((1 << 39) - 1, (1 << 24) - 1).expect("fits");
        assert_eq!((last.offset(), last.len()), ((1 << 39) - 1, (1 << 24) - 1));
        assert_eq!(BodyRef::new(1 << 39, 1), None, "offset past 512 GiB");
        assert_eq!(BodyRef::new(0, 1 << 24), None, "a body of 16 MiB");
    }
}
