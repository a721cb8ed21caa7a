//! Related stories: for each article, the few others sharing the most tags,
//! each tag weighted by its rarity (inverse document frequency), then sharing
//! its section, then nearest in time. Pure, made from the term index.
//!
//! Cost is bounded: candidates come only from the article's own tags and
//! section, and from each of those lists only the `WINDOW` articles either
//! side of it (lists are in date order, so these are the nearest in time).
//! A rare tag's whole list fits in the window; a tag on half the archive
//! contributes its neighbours, never every article. Each candidate is then
//! scored on all the tags the two share, so a candidate's score does not
//! depend on which list found it.

use rayon::prelude::*;

use crate::archive::{Entry, Term};

/// Related stories shown per article.
pub const RELATED: usize = 4;

/// Articles taken either side of an article in each of its tag and section lists.
const WINDOW: usize = 12;

/// Marks an empty slot in the table.
const NONE: u32 = u32::MAX;

/// `RELATED` slots per entry, best first; unused slots hold `u32::MAX`.
pub fn related(entries: &[Entry], tags: &[Term], sections: &[Term]) -> Vec<u32> {
    let index = Index::new(entries.len(), tags, sections);
    let mut table = vec![NONE; entries.len() * RELATED];
    table
        .par_chunks_mut(RELATED)
        .enumerate()
        .with_min_len(256)
        .for_each_init(Vec::new, |scratch, (i, slots)| {
            index.best(entries, tags, sections, i as u32, scratch, slots);
        });
    table
}

/// Per article, its tags (term indexes, ascending) and section; per tag its weight.
struct Index {
    /// `tag_ids[offsets[i]..offsets[i + 1]]` are article i's tags.
    offsets: Vec<u32>,
    tag_ids: Vec<u32>,
    section: Vec<u32>,
    weight: Vec<f32>,
}

/// One candidate: (tag score, same section, distance in time, entry).
type Scored = (f32, bool, u64, u32);

impl Index {
    fn new(n: usize, tags: &[Term], sections: &[Term]) -> Index {
        let mut offsets = vec![0u32; n + 1];
        for t in tags {
            for &i in &t.articles {
                offsets[i as usize + 1] += 1;
            }
        }
        for k in 1..offsets.len() {
            offsets[k] += offsets[k - 1];
        }
        let mut fill = offsets.clone();
        let mut tag_ids = vec![0u32; offsets[n] as usize];
        for (t, term) in tags.iter().enumerate() {
            for &i in &term.articles {
                tag_ids[fill[i as usize] as usize] = t as u32;
                fill[i as usize] += 1;
            }
        }
        let mut section = vec![NONE; n];
        for (s, term) in sections.iter().enumerate() {
            for &i in &term.articles {
                section[i as usize] = s as u32;
            }
        }
        let total = n.max(1) as f32;
        let weight = tags
            .iter()
            .map(|t| (total / t.articles.len().max(1) as f32).ln())
            .collect();
        Index {
            offsets,
            tag_ids,
            section,
            weight,
        }
    }

    fn tags_of(&self, i: u32) -> &[u32] {
        let (a, b) = (self.offsets[i as usize], self.offsets[i as usize + 1]);
        &self.tag_ids[a as usize..b as usize]
    }

    /// Fills `slots` with article `i`'s best related articles.
    fn best(
        &self,
        entries: &[Entry],
        tags: &[Term],
        sections: &[Term],
        i: u32,
        scratch: &mut Vec<u32>,
        slots: &mut [u32],
    ) {
        scratch.clear();
        for &t in self.tags_of(i) {
            window(&tags[t as usize].articles, i, scratch);
        }
        if let Some(s) = sections.get(self.section[i as usize] as usize) {
            window(&s.articles, i, scratch);
        }
        scratch.sort_unstable();
        scratch.dedup();
        let mut scored: Vec<Scored> = scratch
            .iter()
            .map(|&c| self.score(entries, i, c))
            .filter(|s| s.0 > 0.0 || s.1)
            .collect();
        // Highest tag score, then same section, then nearest, then oldest.
        scored.sort_unstable_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        for (slot, s) in slots.iter_mut().zip(&scored) {
            *slot = s.3;
        }
    }

    fn score(&self, entries: &[Entry], i: u32, c: u32) -> Scored {
        let (mut a, mut b) = (self.tags_of(i), self.tags_of(c));
        let mut score = 0.0f32;
        while let (Some(&x), Some(&y)) = (a.first(), b.first()) {
            if x == y {
                score += self.weight[x as usize];
            }
            if x <= y {
                a = &a[1..];
            }
            if y <= x {
                b = &b[1..];
            }
        }
        let same_section = self.section[i as usize] != NONE
            && self.section[i as usize] == self.section[c as usize];
        (score, same_section, distance(entries, i, c), c)
    }
}

/// Up to `WINDOW` articles either side of `i` in the list (which holds `i`).
fn window(list: &[u32], i: u32, out: &mut Vec<u32>) {
    let Ok(pos) = list.binary_search(&i) else {
        return;
    };
    out.extend_from_slice(&list[pos.saturating_sub(WINDOW)..pos]);
    out.extend_from_slice(&list[pos + 1..(pos + 1 + WINDOW).min(list.len())]);
}

/// Seconds between two articles' dates; undated articles are farthest.
fn distance(entries: &[Entry], i: u32, c: u32) -> u64 {
    match (
        entries[i as usize].article.date,
        entries[c as usize].article.date,
    ) {
        (Some(a), Some(b)) => a.timestamp().abs_diff(b.timestamp()),
        _ => u64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{archive, config, md};

    #[test]
    fn related_stories_share_rare_tags_first_then_section_then_time() {
        let cfg = config("");
        let story = |title: &str, date: &str, tags: &str, section: &str| {
            md(
                title,
                date,
                &format!("tags: [{tags}]\nsection: {section}\n"),
            )
        };
        let files = [
            (
                "a.md",
                story("Flood", "2013-02-10", "flood, harbour, council", "city"),
            ),
            (
                "b.md",
                story("Council vote", "2013-02-11", "council", "city"),
            ),
            (
                "c.md",
                story("Harbour flood", "2013-01-01", "flood, harbour", "world"),
            ),
            ("d.md", story("Flood again", "2013-02-12", "flood", "world")),
            (
                "e.md",
                story("Harbour walk", "2013-02-08", "harbour", "city"),
            ),
            (
                "f.md",
                story("Council budget", "2013-02-20", "council", "world"),
            ),
            ("g.md", story("City fair", "2013-02-10", "fair", "city")),
            ("h.md", story("Lone", "2013-03-01", "", "sport")),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let a = archive(&cfg, &files);
        let titles = |title: &str| -> Vec<String> {
            let i = a
                .entries
                .iter()
                .position(|e| e.article.title == title)
                .expect("article");
            a.related(i as u32)
                .map(|j| a.entries[j as usize].article.title.clone())
                .collect()
        };
        // Council is on three articles, flood and harbour on three: all
        // weigh the same; two shared tags beat one; then section; then time.
        assert_eq!(
            titles("Flood"),
            [
                "Harbour flood",
                "Council vote",
                "Harbour walk",
                "Flood again"
            ]
        );
        // No shared tag: the same section, nearest first.
        assert_eq!(
            titles("City fair"),
            ["Flood", "Council vote", "Harbour walk"]
        );
        assert!(titles("Lone").is_empty());
    }
}
