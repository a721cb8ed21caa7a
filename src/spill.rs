//! Article bodies rendered while the sources are parsed, set aside until their
//! pages are rendered. A clean build parses every Markdown body once anyway
//! (for its summary and word count); rendering it in that same pass saves
//! reading, decoding and parsing the file a second time at render. The HTML
//! cannot stay in memory (the archive holds metadata only), so it goes to an
//! unnamed temporary file beside the output, written and read by offset from
//! any thread, and gone with the build.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where one body is in the spill file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyRef {
    offset: u64,
    len: u32,
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

    /// Appends one body.
    pub fn put(&self, body: &str) -> io::Result<BodyRef> {
        let len = u32::try_from(body.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "body over 4 GiB"))?;
        let offset = self.end.fetch_add(u64::from(len), Ordering::Relaxed);
        self.file.write_all_at(body.as_bytes(), offset)?;
        Ok(BodyRef { offset, len })
    }

    /// A body `put` returned.
    pub fn get(&self, at: BodyRef) -> io::Result<String> {
        let mut bytes = vec![0; at.len as usize];
        self.file.read_exact_at(&mut bytes, at.offset)?;
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
        match spill {
            Some(spill) => Bodies {
                spill: Some(spill),
                refs,
            },
            None => Bodies::default(),
        }
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
                .map(|t| s.spawn(|| spill.put(t).expect("put")))
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
}
