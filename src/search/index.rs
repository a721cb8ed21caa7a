//! Term vectors into postings: inverted in document order, scored, and
//! pruned. Each posting carries an impact byte, the BM25 term-frequency part
//! of its score (quantised to 1..=255), so the client needs no document
//! lengths: it multiplies impacts by the idf of the stem (from its df).
//!
//! A stem in more than `KEEP_TOP + KEEP_NEWEST` articles keeps the postings
//! of its `KEEP_TOP` best-scoring articles and of its `KEEP_NEWEST` newest
//! (static index pruning): at a million articles "the" would otherwise
//! weigh megabytes, and a reader asking for it wants the best and the
//! newest, not all. Its df stays the true count, for idf and for "about N".
//!
//! The impact depends on the article's length relative to the archive's
//! average, rounded to `AVG_STEP` words so that one edit seldom moves it:
//! postings of untouched articles keep their bytes.

use super::encode::{get_varint, put_varint};
use super::terms::TermVector;

/// Postings kept by score for a pruned stem.
pub const KEEP_TOP: usize = 2000;
/// Postings kept by date for a pruned stem.
pub const KEEP_NEWEST: usize = 500;
/// BM25 parameters.
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
/// The average length is rounded to a multiple of this.
pub const AVG_STEP: u32 = 16;

/// A term vector packed into varints (stem id gaps and counts): a million
/// articles' vectors must fit in the build's memory budget.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packed {
    pub bytes: Box<[u8]>,
    pub len: u32,
}

impl Packed {
    pub fn new(v: &TermVector) -> Packed {
        let mut out = Vec::with_capacity(v.terms.len() * 3);
        let mut last = 0;
        for &(id, n) in &v.terms {
            put_varint(&mut out, u64::from(id - last));
            put_varint(&mut out, u64::from(n));
            last = id;
        }
        Packed {
            bytes: out.into_boxed_slice(),
            len: v.len,
        }
    }

    /// `(stem id, weighted count)`, by stem id.
    pub fn terms(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0;
        let mut id = 0u32;
        std::iter::from_fn(move || {
            let gap = get_varint(&self.bytes, &mut at)? as u32;
            let n = get_varint(&self.bytes, &mut at)? as u32;
            id += gap;
            Some((id, n))
        })
    }
}

/// Every stem's postings: `(document, impact)` in document order, and df.
pub struct Inverted {
    pub postings: Vec<Vec<(u32, u8)>>,
    pub df: Vec<u32>,
    /// Per word id: whether some document has it.
    pub used: Vec<bool>,
    /// The rounded average length the impacts were computed with.
    pub avg_len: u32,
}

/// Inverts the word vectors of documents `0..docs.len()` into postings of
/// stems (`word_stem`: word id -> stem id, over `stems` stems).
pub fn invert(docs: &[Packed], word_stem: &[u32], stems: usize) -> Inverted {
    let avg_len = rounded_average(docs);
    let cap = KEEP_TOP + KEEP_NEWEST;
    let mut df = vec![0u32; stems];
    let mut used = vec![false; word_stem.len()];
    let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); stems];
    let mut by_stem: Vec<(u32, u32)> = Vec::with_capacity(1024);
    for (doc, d) in docs.iter().enumerate() {
        by_stem.clear();
        for (w, n) in d.terms() {
            used[w as usize] = true;
            by_stem.push((word_stem[w as usize], n));
        }
        by_stem.sort_unstable_by_key(|&(s, _)| s);
        let norm = K1 * (1.0 - B + B * f64::from(d.len) / f64::from(avg_len));
        let mut k = 0;
        while k < by_stem.len() {
            let stem = by_stem[k].0;
            let mut n = 0;
            while k < by_stem.len() && by_stem[k].0 == stem {
                n += by_stem[k].1;
                k += 1;
            }
            df[stem as usize] += 1;
            let list = &mut postings[stem as usize];
            list.push((doc as u32, impact(n, norm)));
            if list.len() >= 4 * cap {
                prune(list);
            }
        }
    }
    for (list, &n) in postings.iter_mut().zip(&df) {
        if n as usize > cap {
            prune(list);
        }
        list.shrink_to_fit();
    }
    Inverted {
        postings,
        df,
        used,
        avg_len,
    }
}

/// The BM25 term-frequency part, `n (k1 + 1) / (n + norm)`, over its
/// limit `k1 + 1`, as a byte 1..=255.
pub fn impact(n: u32, norm: f64) -> u8 {
    let n = f64::from(n);
    let part = n / (n + norm);
    (part * 255.0).ceil().clamp(1.0, 255.0) as u8
}

/// Keeps the `KEEP_TOP` best postings (ties: the newer) and the
/// `KEEP_NEWEST` newest, in document order. Applied to a growing list, it
/// keeps everything the same rule applied to the whole list would keep:
/// a posting outside the best of a part is outside the best of the whole,
/// and later postings are newer.
fn prune(list: &mut Vec<(u32, u8)>) {
    let newest_from = list.len().saturating_sub(KEEP_NEWEST);
    let mut keep = vec![false; list.len()];
    keep[newest_from..].fill(true);
    let mut by_score: Vec<usize> = (0..list.len()).collect();
    by_score.sort_unstable_by_key(|&k| std::cmp::Reverse((list[k].1, list[k].0)));
    for &k in by_score.iter().take(KEEP_TOP) {
        keep[k] = true;
    }
    let mut k = 0;
    list.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

fn rounded_average(docs: &[Packed]) -> u32 {
    let total: u64 = docs.iter().map(|d| u64::from(d.len)).sum();
    let avg = total.checked_div(docs.len() as u64).unwrap_or(0) as u32;
    (avg.div_ceil(AVG_STEP) * AVG_STEP).max(AVG_STEP)
}

/// Stems by name: id -> position in name order, for the output's order.
pub fn stem_order(names: &[Box<str>]) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..names.len() as u32).collect();
    ids.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(terms: &[(u32, u32)]) -> Packed {
        Packed::new(&TermVector {
            terms: terms.to_vec(),
            len: terms.iter().map(|t| t.1).sum(),
        })
    }

    #[test]
    fn packed_vectors_give_back_their_terms() {
        let d = doc(&[(0, 1), (5, 300), (70_000, 2)]);
        assert_eq!(
            d.terms().collect::<Vec<_>>(),
            [(0, 1), (5, 300), (70_000, 2)]
        );
        assert_eq!(d.len, 303);
    }

    #[test]
    fn postings_are_in_document_order_with_df_and_impacts() {
        let docs = [
            doc(&[(0, 1), (1, 4)]),
            doc(&[(1, 1)]),
            doc(&[(0, 9), (1, 1)]),
        ];
        let inv = invert(&docs, &[0, 1], 2);
        assert_eq!(inv.df, [2, 3]);
        let docs_of = |s: usize| inv.postings[s].iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(docs_of(0), [0, 2]);
        assert_eq!(docs_of(1), [0, 1, 2]);
        // More occurrences in a document of the same length: a higher impact.
        assert!(inv.postings[1][0].1 > inv.postings[1][1].1);
        assert_eq!(inv.avg_len, AVG_STEP);
    }

    #[test]
    fn words_of_one_stem_make_one_posting_per_document() {
        // Words 0 and 1 share stem 0; word 2 is stem 1; word 3 is in no document.
        let docs = [doc(&[(0, 2), (1, 3)]), doc(&[(2, 1)])];
        let inv = invert(&docs, &[0, 0, 1, 1], 2);
        assert_eq!(inv.df, [1, 1]);
        assert_eq!(inv.postings[0].len(), 1);
        assert_eq!(inv.used, [true, true, true, false]);
    }

    #[test]
    fn impacts_grow_with_count_and_shrink_with_length() {
        assert!(impact(3, 1.0) > impact(1, 1.0));
        assert!(impact(1, 2.0) < impact(1, 1.0));
        assert_eq!(impact(1_000_000, 0.001), 255);
        assert_eq!(impact(1, 1e9), 1);
    }

    #[test]
    fn a_common_stem_keeps_its_best_and_its_newest_postings() {
        let n = KEEP_TOP + KEEP_NEWEST + 3000;
        // Stem 0 everywhere: fifty times in documents 100..110, twice in the
        // older ones, once in the newer ones.
        let count = |d: usize| match d {
            100..110 => 50,
            _ if d < KEEP_TOP + 100 => 2,
            _ => 1,
        };
        let docs: Vec<Packed> = (0..n)
            .map(|d| doc(&[(0, count(d)), (1, 3 - count(d).min(2))]))
            .collect();
        let inv = invert(&docs, &[0, 1], 2);
        assert_eq!(inv.df[0], n as u32);
        let kept: Vec<u32> = inv.postings[0].iter().map(|p| p.0).collect();
        assert_eq!(kept.len(), KEEP_TOP + KEEP_NEWEST);
        assert!((100..110).all(|d| kept.contains(&d)));
        assert!(((n - KEEP_NEWEST) as u32..n as u32).all(|d| kept.contains(&d)));
        assert!(kept.windows(2).all(|w| w[0] < w[1]));
        // The same as pruning the whole list once.
        let mut whole: Vec<(u32, u8)> = docs
            .iter()
            .enumerate()
            .map(|(d, p)| {
                let norm = K1 * (1.0 - B + B * f64::from(p.len) / f64::from(inv.avg_len));
                (d as u32, impact(p.terms().next().expect("stem 0").1, norm))
            })
            .collect();
        prune(&mut whole);
        assert_eq!(whole, inv.postings[0]);
    }
}
