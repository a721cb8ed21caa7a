//! `.broadsheet-cache/search.bin`: each article's word vector, keyed by its
//! source path and content hash, with the word and stem tables the vectors
//! refer to. A rebuild takes the vectors of unchanged articles from here
//! instead of reading and tokenising every body again, so editing one
//! article costs one body, not a hundred thousand. Like the other cache
//! files it starts with magic, format and crate version (and the site
//! config's fingerprint) and ends with a checksum; anything else is ignored.

use std::io::Write;
use std::path::Path;

use ahash::AHashMap;

use super::encode::{get_varint, put_varint};
use super::index::Packed;
use super::terms::Tables;
use crate::digest::hash16;

pub const FILE: &str = "search.bin";
const MAGIC: &[u8; 4] = b"BSSC";
const FORMAT: u64 = 1;

/// What a previous build left.
#[derive(Debug, Default)]
pub struct Cached {
    pub tables: Tables,
    pub docs: AHashMap<[u8; 16], Packed>,
}

/// The cache key of an article: its source path and content hash.
pub fn key(source: &Path, hash: &[u8; 16]) -> [u8; 16] {
    let path = source.to_string_lossy();
    let mut bytes = Vec::with_capacity(path.len() + 24);
    put_varint(&mut bytes, path.len() as u64);
    bytes.extend_from_slice(path.as_bytes());
    bytes.extend_from_slice(hash);
    hash16(&bytes)
}

/// Reads the cache in `dir`; `Ok(None)` when there is none or it was made
/// for another config or version, `Err` when it is damaged.
pub fn load(dir: &Path, config: &[u8; 32]) -> Result<Option<Cached>, String> {
    let bytes = match std::fs::read(dir.join(FILE)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {FILE}: {e}")),
    };
    let Some(body) = bytes.len().checked_sub(16).map(|n| &bytes[..n]) else {
        return Err(format!("{FILE} is cut short"));
    };
    if hash16(body) != bytes[body.len()..] {
        return Err(format!("{FILE} is damaged (checksum)"));
    }
    if !body.starts_with(&header(config)) {
        return Ok(None);
    }
    decode(&body[header(config).len()..])
        .map(Some)
        .ok_or_else(|| format!("{FILE} is damaged"))
}

/// Writes the cache into `dir` (through a temporary file and a rename).
pub fn save(
    dir: &Path,
    config: &[u8; 32],
    tables: &Tables,
    docs: &[([u8; 16], &Packed)],
) -> std::io::Result<()> {
    let mut out = header(config);
    put_list(&mut out, tables.stems.iter().map(|s| s.as_bytes()));
    put_list(&mut out, tables.words.iter().map(|s| s.as_bytes()));
    for &s in &tables.word_stem {
        put_varint(&mut out, u64::from(s));
    }
    put_varint(&mut out, docs.len() as u64);
    for (key, p) in docs {
        out.extend_from_slice(key);
        put_varint(&mut out, u64::from(p.len));
        put_varint(&mut out, p.bytes.len() as u64);
        out.extend_from_slice(&p.bytes);
    }
    let sum = hash16(&out);
    out.extend_from_slice(&sum);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("{FILE}.tmp"));
    std::fs::File::create(&tmp)?.write_all(&out)?;
    std::fs::rename(&tmp, dir.join(FILE))
}

fn header(config: &[u8; 32]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    put_varint(&mut out, FORMAT);
    let version = env!("CARGO_PKG_VERSION");
    put_varint(&mut out, version.len() as u64);
    out.extend_from_slice(version.as_bytes());
    out.extend_from_slice(config);
    out
}

fn put_list<'a>(out: &mut Vec<u8>, items: impl ExactSizeIterator<Item = &'a [u8]>) {
    put_varint(out, items.len() as u64);
    for s in items {
        put_varint(out, s.len() as u64);
        out.extend_from_slice(s);
    }
}

fn decode(b: &[u8]) -> Option<Cached> {
    let mut at = 0;
    let stems = get_list(b, &mut at)?;
    let words = get_list(b, &mut at)?;
    let word_stem = (0..words.len())
        .map(|_| get_varint(b, &mut at).map(|n| n as u32))
        .collect::<Option<Vec<u32>>>()?;
    let tables = Tables::from_lists(words, word_stem, stems)?;
    let n = get_varint(b, &mut at)? as usize;
    let mut docs = AHashMap::with_capacity(n);
    for _ in 0..n {
        let key: [u8; 16] = b.get(at..at + 16)?.try_into().ok()?;
        at += 16;
        let len = get_varint(b, &mut at)? as u32;
        let size = get_varint(b, &mut at)? as usize;
        let bytes = b.get(at..at + size)?.into();
        at += size;
        docs.insert(key, Packed { bytes, len });
    }
    (at == b.len()).then_some(Cached { tables, docs })
}

fn get_list(b: &[u8], at: &mut usize) -> Option<Vec<Box<str>>> {
    let n = get_varint(b, at)? as usize;
    (0..n)
        .map(|_| {
            let len = get_varint(b, at)? as usize;
            let s = std::str::from_utf8(b.get(*at..*at + len)?).ok()?;
            *at += len;
            Some(s.into())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::terms::{DocText, Lexicon, Memo};

    fn sample() -> (Tables, Packed) {
        let lex = Lexicon::new("en");
        let v = lex.vector(
            &DocText {
                headline: "Ministers meet",
                labels: &[],
                summary: "",
                body_html: "<p>The minister met ministers.</p>",
            },
            &mut Memo::default(),
        );
        (lex.into_tables(), Packed::new(&v))
    }

    #[test]
    fn the_cache_round_trips_tables_and_vectors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (tables, packed) = sample();
        let k = key(Path::new("content/a.md"), &[7; 16]);
        save(dir.path(), &[1; 32], &tables, &[(k, &packed)]).expect("save");
        let back = load(dir.path(), &[1; 32])
            .expect("reads")
            .expect("same config");
        assert_eq!(back.tables, tables);
        assert_eq!(back.docs.get(&k), Some(&packed));
        // Another config: not this build's cache.
        assert!(load(dir.path(), &[2; 32]).expect("reads").is_none());
    }

    #[test]
    fn a_damaged_cache_is_reported_not_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (tables, packed) = sample();
        save(dir.path(), &[1; 32], &tables, &[([0; 16], &packed)]).expect("save");
        let path = dir.path().join(FILE);
        let mut bytes = std::fs::read(&path).expect("read");
        let mid = bytes.len() / 2;
        bytes[mid] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(
            load(dir.path(), &[1; 32]).err().as_deref(),
            Some("search.bin is damaged (checksum)")
        );
    }

    #[test]
    fn keys_differ_by_path_and_by_content() {
        let a = key(Path::new("content/a.md"), &[1; 16]);
        assert_ne!(a, key(Path::new("content/b.md"), &[1; 16]));
        assert_ne!(a, key(Path::new("content/a.md"), &[2; 16]));
    }
}
