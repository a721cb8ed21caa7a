//! Full-text search as an output, like feeds and sitemaps: every article
//! (headline, summary, body text, tags, authors, section, source, date)
//! into a sharded static index under `search/`, plus the browser client
//! `search/search.js` that reads it. No file I/O: bodies come through
//! `body`, files leave through `sink`.
//!
//! `text` folds and tokenises (the client repeats those rules), `terms`
//! stems and makes term vectors, `index` inverts and prunes, `encode` owns
//! the byte format, `layout` cuts the index into files.

pub mod cache;
pub mod encode;
pub mod index;
pub mod layout;
pub mod terms;
pub mod text;

use std::path::Path;

use rayon::prelude::*;

use crate::archive::{Archive, Taxonomy};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::extras::SinkFn;
use crate::feeds::BodyFn;
use crate::plan::{PageKind, PlannedPage};
use cache::Cached;
use index::Packed;
use layout::{Facets, Record, Summary};
use terms::{DocText, Lexicon, Memo, Tables};

/// Where the index and the client go, under the output.
pub const DIR: &str = "search";
/// The search page's URL.
pub const PAGE_URL: &str = "/search/";
/// The browser client, written as `search/search.js`.
pub const CLIENT: &str = include_str!("search.js");
/// The client's URL.
pub const SCRIPT_URL: &str = "/search/search.js";

/// The search page, when search is enabled.
pub fn page(cfg: &Config) -> Option<PlannedPage> {
    cfg.search.enabled.then(|| PlannedPage {
        url: PAGE_URL.into(),
        kind: PageKind::Search,
    })
}

/// What the search step reads.
pub struct SearchInput<'a> {
    pub archive: &'a Archive,
    pub cfg: &'a Config,
    /// An article's body HTML, by entry.
    pub body: &'a BodyFn<'a>,
    /// Where `cache::FILE` is kept between builds (none: `--no-cache`).
    pub cache_dir: Option<&'a Path>,
}

/// Makes every file of the index and hands each to `sink`. Returns the
/// sink's errors and warnings about the cache.
pub fn outputs(input: &SearchInput, sink: &SinkFn) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let cached = match input
        .cache_dir
        .map(|d| cache::load(d, &input.cfg.fingerprint))
    {
        Some(Ok(c)) => c.unwrap_or_default(),
        Some(Err(e)) => {
            diags.push(cache_warning(format!("ignoring the search cache: {e}")));
            Cached::default()
        }
        None => Cached::default(),
    };
    let (tables, keys, docs, fresh) = vectors(input, cached);
    if let Some(dir) = input.cache_dir.filter(|_| fresh) {
        let pairs: Vec<([u8; 16], &Packed)> = keys.iter().copied().zip(&docs).collect();
        if let Err(e) = cache::save(dir, &input.cfg.fingerprint, &tables, &pairs) {
            diags.push(cache_warning(format!("cannot save the search cache: {e}")));
        }
    }
    let inv = index::invert(&docs, &tables.word_stem, tables.stems.len());
    drop(docs);
    diags.extend(write_index(input.archive, &tables, &inv, sink));
    diags
}

fn cache_warning(message: String) -> Diagnostic {
    Diagnostic::warning(Path::new(cache::FILE), None, message)
}

/// Every file of the index from the inverted postings.
fn write_index(
    a: &Archive,
    tables: &Tables,
    inv: &index::Inverted,
    sink: &SinkFn,
) -> Vec<Diagnostic> {
    let names = &tables.stems;
    let mut words: Vec<(&str, u32)> = tables
        .words
        .iter()
        .zip(&tables.word_stem)
        .zip(&inv.used)
        .filter(|(_, used)| **used)
        .map(|((w, &s), _)| (&**w, s))
        .collect();
    words.par_sort_unstable();
    let (facets, summary, tag_files) = facets(a, inv.avg_len);
    let plans = layout::plan_shards(&words, inv);
    let shard_list: Vec<(String, String)> = plans
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let first = if k == 0 { "" } else { p.words[0].0 };
            (first.to_string(), layout::shard_name(first))
        })
        .collect();
    let put = |path: &str, bytes: &[u8]| sink(&format!("{DIR}/{path}"), bytes).err();
    let mut errors: Vec<Diagnostic> = plans
        .par_iter()
        .zip(&shard_list)
        .filter_map(|(p, (_, name))| put(name, &layout::encode_shard(p, names, inv, &facets)))
        .collect();
    errors.par_extend(records(a).par_iter().filter_map(|(p, b)| put(p, b)));
    errors.extend(tag_files.iter().filter_map(|(p, b)| put(p, b)));
    errors.extend(put("meta.json", &layout::manifest(&summary, &shard_list)));
    errors.extend(put("search.js", CLIENT.as_bytes()));
    errors
}

/// Every article's word vector, by document number (= entry index), with
/// its cache key; unchanged articles' vectors come from `cached`. The flag
/// says whether the cache must be written again.
fn vectors(input: &SearchInput, cached: Cached) -> (Tables, Vec<[u8; 16]>, Vec<Packed>, bool) {
    let a = input.archive;
    let Cached { tables, docs: old } = cached;
    let lexicon = Lexicon::with_tables(&input.cfg.language, tables);
    let keys: Vec<[u8; 16]> = a
        .entries
        .par_iter()
        .map(|e| cache::key(&e.article.source, &e.article.hash))
        .collect();
    let made: Vec<(Packed, bool)> = (0..a.entries.len())
        .into_par_iter()
        .map_init(Memo::default, |memo, i| match old.get(&keys[i]) {
            Some(p) => (p.clone(), false),
            None => (vector(input, i as u32, &lexicon, memo), true),
        })
        .collect();
    let fresh = made.iter().any(|m| m.1) || old.len() != keys.len();
    drop(old);
    let docs = made.into_iter().map(|m| m.0).collect();
    (lexicon.into_tables(), keys, docs, fresh)
}

/// One article's word vector, from its fields and body.
fn vector(input: &SearchInput, i: u32, lexicon: &Lexicon, memo: &mut Memo) -> Packed {
    let art = &input.archive.entries[i as usize].article;
    // An unreadable body is reported by its page; the rest is indexed.
    let html = (input.body)(i).unwrap_or_default();
    let mut labels: Vec<&str> = art.tags.iter().map(String::as_str).collect();
    labels.extend(art.authors.iter().map(String::as_str));
    labels.push(&art.section);
    labels.extend(art.agency.as_deref());
    let doc = DocText {
        headline: &art.title,
        labels: &labels,
        summary: &art.description,
        body_html: &html,
    };
    Packed::new(&lexicon.vector(&doc, memo))
}

/// Section and tag slots per document, the manifest's summary, and the
/// tag-name files.
fn facets(a: &Archive, avg_len: u32) -> (Facets, Summary<'_>, Vec<(String, Vec<u8>)>) {
    let n = a.entries.len();
    let section_names: Vec<&str> = a.sections.iter().map(|t| t.name.as_str()).collect();
    let (_, section_slots) = layout::slots(&section_names);
    let mut sections = vec![0; n];
    for (t, &slot) in a.terms(Taxonomy::Sections).iter().zip(&section_slots) {
        for &i in &t.articles {
            sections[i as usize] = slot;
        }
    }
    let tag_names: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
    let (tag_bits, tag_slots) = layout::slots(&tag_names);
    let mut tags: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (t, &slot) in a.tags.iter().zip(&tag_slots) {
        for &i in &t.articles {
            tags[i as usize].push(slot);
        }
    }
    let mut blocks: std::collections::BTreeMap<u32, Vec<(u32, &str, &str)>> = Default::default();
    for (t, &slot) in a.tags.iter().zip(&tag_slots) {
        blocks
            .entry(slot / layout::TAG_BLOCK)
            .or_default()
            .push((slot, &t.name, &t.slug));
    }
    let tag_files = blocks
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_unstable();
            (format!("g/{k}.json"), serde_json::to_vec(&v).expect("JSON"))
        })
        .collect();
    let summary = Summary {
        docs: n,
        avg_len,
        years: a.years.iter().map(|y| (y.year, y.articles[0])).collect(),
        sections: a
            .sections
            .iter()
            .zip(&section_slots)
            .map(|(t, &s)| (s, t.name.as_str(), t.slug.as_str()))
            .collect(),
        tag_bits,
    };
    let facets = Facets {
        sections,
        tags: tags.into_iter().map(Vec::into_boxed_slice).collect(),
    };
    (facets, summary, tag_files)
}

/// The record files, `RECORDS` articles each.
fn records(a: &Archive) -> Vec<(String, Vec<u8>)> {
    a.entries
        .par_chunks(layout::RECORDS)
        .enumerate()
        .map(|(k, chunk)| {
            let records: Vec<Record> = chunk
                .iter()
                .map(|e| Record {
                    title: &e.article.title,
                    url: &e.url,
                    date: e
                        .local_date
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    section: &e.article.section,
                    summary: &e.article.description,
                })
                .collect();
            (format!("r/{k}.json"), layout::records_json(&records))
        })
        .collect()
}
