//! The index as files: term shards (`t/NAME.bin`, see `encode`), article
//! records (`r/K.json`, `RECORDS` articles each, by document number), tag
//! names (`g/K.json`, by slot block) and the manifest (`meta.json`) that
//! the client reads first. Shard boundaries are chosen by the words
//! themselves (a word whose hash ends in `BOUNDARY_BITS` zero bits starts a
//! shard once the current one is past `SHARD_MIN` bytes), so an edit moves
//! only the boundaries near the words it touches; a shard is cut before
//! `SHARD_MAX` regardless. A shard is named by its first word's hash, so
//! shards after an edited one keep their names and their bytes.

use ahash::AHashSet;
use serde_json::json;

use super::encode::{self, FacetsOf, Postings};
use super::index::{Inverted, KEEP_NEWEST, KEEP_TOP};
use crate::digest::hash16;

/// Articles per record file.
pub const RECORDS: usize = 8;
/// Estimated bytes after which a shard may end, and before which it must.
pub const SHARD_MIN: usize = 12 * 1024;
pub const SHARD_MAX: usize = 48 * 1024;
const BOUNDARY_BITS: u32 = 3;
/// Tag slots per tag-name file.
pub const TAG_BLOCK: u32 = 256;

/// Per document: its section slot and tag slots.
pub struct Facets {
    pub sections: Vec<u32>,
    pub tags: Vec<Box<[u32]>>,
}

impl FacetsOf for Facets {
    fn section(&self, doc: u32) -> u32 {
        self.sections[doc as usize]
    }
    fn tags(&self, doc: u32) -> &[u32] {
        &self.tags[doc as usize]
    }
}

/// Hash slots for names (in the given order), so that a posting names a
/// tag in two bytes and a new tag leaves the others' slots alone. The slot
/// space is the smallest power of two (at least 128) over four times the
/// number of names; collisions probe to the next free slot, in name order.
pub fn slots(names: &[&str]) -> (u32, Vec<u32>) {
    let mut bits = 7;
    while (1usize << bits) < 4 * names.len() {
        bits += 1;
    }
    let mask = (1u64 << bits) - 1;
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_unstable_by_key(|&k| names[k]);
    let mut taken = AHashSet::new();
    let mut out = vec![0; names.len()];
    for k in order {
        let h = u64::from_le_bytes(
            hash16(names[k].as_bytes())[..8]
                .try_into()
                .expect("8 bytes"),
        );
        let mut slot = (h & mask) as u32;
        while !taken.insert(slot) {
            slot = (slot + 1) & mask as u32;
        }
        out[k] = slot;
    }
    (bits, out)
}

/// A planned term shard: sorted words with their stem ids.
pub struct ShardPlan<'a> {
    pub words: Vec<(&'a str, u32)>,
}

/// Cuts the sorted `(word, stem id)` list into shards.
pub fn plan_shards<'a>(words: &[(&'a str, u32)], inv: &Inverted) -> Vec<ShardPlan<'a>> {
    let mut shards = Vec::new();
    let mut cur: Vec<(&str, u32)> = Vec::new();
    let mut stems = AHashSet::new();
    let mut size = 0;
    for &(w, stem) in words {
        let fresh = w.len() + 3 + 16 + inv.postings[stem as usize].len() * 10;
        let mut cost = if stems.contains(&stem) {
            w.len() + 3
        } else {
            fresh
        };
        let natural = size >= SHARD_MIN && boundary(w);
        if !cur.is_empty() && (natural || size + cost > SHARD_MAX) {
            shards.push(ShardPlan {
                words: std::mem::take(&mut cur),
            });
            stems.clear();
            size = 0;
            cost = fresh;
        }
        stems.insert(stem);
        size += cost;
        cur.push((w, stem));
    }
    if !cur.is_empty() {
        shards.push(ShardPlan { words: cur });
    }
    shards
}

fn boundary(word: &str) -> bool {
    hash16(word.as_bytes())[0].trailing_zeros() >= BOUNDARY_BITS
}

/// The file name of the shard starting at `first` (under `t/`).
pub fn shard_name(first: &str) -> String {
    let h = hash16(first.as_bytes());
    let hex: String = h[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("t/{hex}.bin")
}

/// Encodes one planned shard.
pub fn encode_shard(
    plan: &ShardPlan,
    names: &[Box<str>],
    inv: &Inverted,
    facets: &Facets,
) -> Vec<u8> {
    let mut ids: Vec<u32> = plan.words.iter().map(|&(_, s)| s).collect();
    ids.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
    ids.dedup();
    let postings: Vec<Postings> = ids
        .iter()
        .map(|&id| {
            let list = &inv.postings[id as usize];
            Postings {
                stem: names[id as usize].to_string(),
                df: inv.df[id as usize],
                docs: list.iter().map(|p| p.0).collect(),
                impacts: list.iter().map(|p| p.1).collect(),
            }
        })
        .collect();
    let refs: Vec<&Postings> = postings.iter().collect();
    let at: ahash::AHashMap<u32, u32> = ids
        .iter()
        .enumerate()
        .map(|(k, &id)| (id, k as u32))
        .collect();
    let words: Vec<(&str, u32)> = plan.words.iter().map(|&(w, s)| (w, at[&s])).collect();
    encode::shard(&refs, &words, facets)
}

/// One article as its record shows it.
pub struct Record<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// `YYYY-MM-DD`, or empty when undated.
    pub date: String,
    pub section: &'a str,
    pub summary: &'a str,
}

/// A record file: a JSON array of `[title, url, date, section, summary]`.
pub fn records_json(records: &[Record]) -> Vec<u8> {
    let rows: Vec<_> = records
        .iter()
        .map(|r| json!([r.title, r.url, r.date, r.section, r.summary]))
        .collect();
    serde_json::to_vec(&rows).expect("JSON of strings")
}

/// What the manifest says besides the shard list.
pub struct Summary<'a> {
    pub docs: usize,
    pub avg_len: u32,
    /// `(year, first document)`.
    pub years: Vec<(i32, u32)>,
    /// `(slot, name, slug)`.
    pub sections: Vec<(u32, &'a str, &'a str)>,
    pub tag_bits: u32,
}

/// The manifest: `shards` lists `[first word, file]` in word order.
pub fn manifest(s: &Summary, shards: &[(String, String)]) -> Vec<u8> {
    let m = json!({
        "version": 1,
        "docs": s.docs,
        "avgLen": s.avg_len,
        "records": RECORDS,
        "keep": [KEEP_TOP, KEEP_NEWEST],
        "years": s.years,
        "sections": s.sections,
        "tagBits": s.tag_bits,
        "tagBlock": TAG_BLOCK,
        "shards": shards,
    });
    serde_json::to_vec(&m).expect("JSON")
}
