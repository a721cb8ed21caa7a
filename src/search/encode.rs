//! The byte formats of the search index, written here and read by the
//! browser client (`search.js`, `Reader`). Numbers are LEB128 varints, as in
//! Lucene's postings: seven bits a byte, low bits first.
//!
//! A term shard (`search/t/NAME.bin`) holds a range of folded words, each
//! pointing at its stem, and the postings of every stem those words have:
//!
//! ```text
//! "BSS1"
//! stems:  count, then per stem (by stem): name, df (articles with the stem,
//!         before pruning), n (postings kept), n document gaps (the first is
//!         the document number), n impact bytes, n section slots, then per
//!         posting its tag count and tag slots
//! words:  count, then per word (sorted): bytes shared with the word before,
//!         the rest, the index of its stem in this shard
//! ```
//!
//! Postings are kept in document order (documents are numbered oldest
//! first), so gaps are small and "newest first" needs no second list.

/// One stem's postings as written: document numbers ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postings {
    pub stem: String,
    pub df: u32,
    pub docs: Vec<u32>,
    pub impacts: Vec<u8>,
}

/// What a posting says about its document besides the score: the section
/// slot and the tag slots (see `Facets`).
pub trait FacetsOf {
    fn section(&self, doc: u32) -> u32;
    fn tags(&self, doc: u32) -> &[u32];
}

/// A posting's section slot and tag slots, as decoded.
pub type PostingFacets = (u32, Vec<u32>);

/// A decoded shard (tests, and `check`-style tools).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    pub stems: Vec<(Postings, Vec<PostingFacets>)>,
    pub words: Vec<(String, u32)>,
}

pub const MAGIC: &[u8; 4] = b"BSS1";

/// Appends `n` as a varint.
pub fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint at `*at`, moving past it.
pub fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Encodes one shard: its stems' postings (sorted by stem) and its words
/// (sorted) with the index of their stem in `stems`.
pub fn shard(stems: &[&Postings], words: &[(&str, u32)], facets: &dyn FacetsOf) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(MAGIC);
    put_varint(&mut out, stems.len() as u64);
    for p in stems {
        put_str(&mut out, &p.stem);
        put_varint(&mut out, u64::from(p.df));
        put_varint(&mut out, p.docs.len() as u64);
        let mut last = 0;
        for &d in &p.docs {
            put_varint(&mut out, u64::from(d - last));
            last = d;
        }
        out.extend_from_slice(&p.impacts);
        for &d in &p.docs {
            put_varint(&mut out, u64::from(facets.section(d)));
        }
        for &d in &p.docs {
            let tags = facets.tags(d);
            put_varint(&mut out, tags.len() as u64);
            for &t in tags {
                put_varint(&mut out, u64::from(t));
            }
        }
    }
    put_varint(&mut out, words.len() as u64);
    let mut prev: &str = "";
    for &(w, stem) in words {
        let shared = common_prefix(prev, w);
        put_varint(&mut out, shared as u64);
        put_str(&mut out, &w[shared..]);
        put_varint(&mut out, u64::from(stem));
        prev = w;
    }
    out
}

/// Decodes a shard; `None` when it is damaged.
pub fn read_shard(bytes: &[u8]) -> Option<Shard> {
    let mut at = 4;
    if bytes.get(..4)? != MAGIC {
        return None;
    }
    let get = |at: &mut usize| get_varint(bytes, at).map(|n| n as u32);
    let n_stems = get(&mut at)?;
    let mut stems = Vec::new();
    for _ in 0..n_stems {
        let stem = read_str(bytes, &mut at)?;
        let df = get(&mut at)?;
        let n = get(&mut at)? as usize;
        let mut docs = Vec::with_capacity(n);
        let mut last = 0;
        for _ in 0..n {
            last += get(&mut at)?;
            docs.push(last);
        }
        let impacts = bytes.get(at..at + n)?.to_vec();
        at += n;
        let sections: Vec<u32> = (0..n).map(|_| get(&mut at)).collect::<Option<_>>()?;
        let mut facets = Vec::with_capacity(n);
        for s in sections {
            let k = get(&mut at)?;
            let tags = (0..k).map(|_| get(&mut at)).collect::<Option<_>>()?;
            facets.push((s, tags));
        }
        let p = Postings {
            stem,
            df,
            docs,
            impacts,
        };
        stems.push((p, facets));
    }
    let n_words = get(&mut at)?;
    let mut words: Vec<(String, u32)> = Vec::new();
    for _ in 0..n_words {
        let shared = get(&mut at)? as usize;
        let rest = read_str(bytes, &mut at)?;
        let mut w = words
            .last()
            .map(|(p, _)| p.get(..shared))
            .unwrap_or(Some(""))?
            .to_string();
        w.push_str(&rest);
        words.push((w, get(&mut at)?));
    }
    (at == bytes.len()).then_some(Shard { stems, words })
}

fn read_str(bytes: &[u8], at: &mut usize) -> Option<String> {
    let n = get_varint(bytes, at)? as usize;
    let s = std::str::from_utf8(bytes.get(*at..*at + n)?).ok()?;
    *at += n;
    Some(s.to_string())
}

/// Bytes two strings share at their start, cut at a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl FacetsOf for Fixed {
        fn section(&self, doc: u32) -> u32 {
            doc % 3
        }
        fn tags(&self, doc: u32) -> &[u32] {
            match doc % 2 {
                0 => &[],
                _ => &[7, 300, 16_383],
            }
        }
    }

    #[test]
    fn varints_round_trip_at_every_width() {
        let mut out = Vec::new();
        let values = [
            0u64,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ];
        for &v in &values {
            put_varint(&mut out, v);
        }
        assert_eq!(out.len(), 1 + 1 + 1 + 2 + 2 + 3 + 5 + 10);
        let mut at = 0;
        for &v in &values {
            assert_eq!(get_varint(&out, &mut at), Some(v));
        }
        assert_eq!(get_varint(&out, &mut at), None);
        assert_eq!(get_varint(&[0x80, 0x80], &mut 0), None);
    }

    #[test]
    fn a_shard_round_trips_with_its_facets_and_shared_prefixes() {
        let minist = Postings {
            stem: "minist".into(),
            df: 9,
            docs: vec![3, 4, 200, 70_000],
            impacts: vec![1, 255, 17, 128],
        };
        let eleve = Postings {
            stem: "élève".into(),
            df: 1,
            docs: vec![0],
            impacts: vec![9],
        };
        let words = [
            ("minister", 0),
            ("ministers", 0),
            ("ministère", 0),
            ("élève", 1),
        ];
        let bytes = shard(&[&minist, &eleve], &words, &Fixed);
        let back = read_shard(&bytes).expect("decodes");
        assert_eq!(back.stems[0].0, minist);
        assert_eq!(
            back.stems[0].1,
            [
                (0, vec![7, 300, 16_383]),
                (1, vec![]),
                (2, vec![]),
                (1, vec![])
            ]
        );
        assert_eq!(back.stems[1].0, eleve);
        let names: Vec<(&str, u32)> = back.words.iter().map(|(w, s)| (w.as_str(), *s)).collect();
        assert_eq!(names, words);
        // "ministers" is stored as 8 shared bytes and "s".
        assert!(bytes.windows(3).any(|w| w == [8, 1, b's']));
    }

    #[test]
    fn a_damaged_shard_is_refused() {
        let p = Postings {
            stem: "a".into(),
            df: 1,
            docs: vec![5],
            impacts: vec![3],
        };
        let bytes = shard(&[&p], &[("a", 0)], &Fixed);
        assert!(read_shard(&bytes[..bytes.len() - 1]).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(read_shard(&longer).is_none());
        assert!(read_shard(b"BSS0").is_none());
    }
}
