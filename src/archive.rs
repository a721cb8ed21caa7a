//! Articles into the archive index: a canonical order, URLs (with collision
//! suffixes), tags, authors, sections, the year/month/day tree and pagination.
//! Pure: no I/O, no templates. Holds metadata only, never bodies.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, FixedOffset};

use crate::article::Article;
use crate::article::slug::slugify;
use crate::config::Config;
use crate::diag::Diagnostic;

/// An article with its final URL.
#[derive(Debug, Clone)]
pub struct Entry {
    pub article: Article,
    /// Site path, starting and ending with `/`.
    pub url: String,
    /// The publication date in the site's zone (what URLs, archives and bylines show).
    pub local_date: Option<DateTime<FixedOffset>>,
}

/// A tag, author or section and the articles under it (oldest first).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub articles: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct Day {
    pub day: u32,
    pub articles: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct Month {
    pub month: u32,
    pub articles: Vec<u32>,
    pub days: Vec<Day>,
}

#[derive(Debug, Clone)]
pub struct Year {
    pub year: i32,
    pub articles: Vec<u32>,
    pub months: Vec<Month>,
}

/// The three taxonomies every site has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Taxonomy {
    Tags,
    Authors,
    Sections,
    /// The agency behind wire copy (AFP, Reuters, ...), so readers can filter by it.
    Sources,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 4] = [
        Taxonomy::Tags,
        Taxonomy::Authors,
        Taxonomy::Sections,
        Taxonomy::Sources,
    ];

    /// The URL segment and template-facing name: `tags`, `authors`, `sections`.
    pub fn slug(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Authors => "authors",
            Taxonomy::Sections => "sections",
            Taxonomy::Sources => "sources",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Taxonomy::Tags => "Tags",
            Taxonomy::Authors => "Authors",
            Taxonomy::Sections => "Sections",
            Taxonomy::Sources => "Sources",
        }
    }
}

/// The whole archive index.
#[derive(Debug)]
pub struct Archive {
    /// Canonical order: undated articles (by source path) first, then dated ones
    /// oldest to newest. Every `Vec<u32>` below indexes this and keeps this order.
    pub entries: Vec<Entry>,
    pub tags: Vec<Term>,
    pub authors: Vec<Term>,
    pub sections: Vec<Term>,
    pub sources: Vec<Term>,
    pub years: Vec<Year>,
    pub undated: Vec<u32>,
}

impl Archive {
    pub fn terms(&self, t: Taxonomy) -> &[Term] {
        match t {
            Taxonomy::Tags => &self.tags,
            Taxonomy::Authors => &self.authors,
            Taxonomy::Sections => &self.sections,
            Taxonomy::Sources => &self.sources,
        }
    }

    /// The older and newer neighbours of an article (dated and undated articles
    /// are separate runs).
    pub fn neighbours(&self, i: u32) -> (Option<u32>, Option<u32>) {
        let dated = self.entries[i as usize].local_date.is_some();
        let same = |j: u32| {
            self.entries
                .get(j as usize)
                .is_some_and(|e| e.local_date.is_some() == dated)
        };
        let older = i.checked_sub(1).filter(|&j| same(j));
        let newer = Some(i + 1).filter(|&j| same(j));
        (older, newer)
    }

    pub fn term_url(t: Taxonomy, slug: &str) -> String {
        format!("/{}/{slug}/", t.slug())
    }
}

/// Builds the index: sorts, assigns URLs, groups. Problems (clashing explicit
/// slugs) come back as diagnostics; the articles involved keep distinct URLs.
pub fn index(articles: Vec<Article>, cfg: &Config) -> (Archive, Vec<Diagnostic>) {
    let mut entries: Vec<Entry> = articles
        .into_iter()
        .map(|article| {
            let local_date = article
                .date
                .map(|d| d.with_timezone(&cfg.timezone).fixed_offset());
            Entry {
                url: String::new(),
                article,
                local_date,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        (a.local_date.is_some(), a.article.date, &a.article.source).cmp(&(
            b.local_date.is_some(),
            b.article.date,
            &b.article.source,
        ))
    });
    let diags = assign_urls(&mut entries, cfg);

    let mut tags = Grouper::default();
    let mut authors = Grouper::default();
    let mut sections = Grouper::default();
    let mut sources = Grouper::default();
    let mut tree: BTreeMap<i32, BTreeMap<u32, BTreeMap<u32, Vec<u32>>>> = BTreeMap::new();
    let mut undated = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let i = i as u32;
        e.article.tags.iter().for_each(|t| tags.add(t, i));
        e.article.authors.iter().for_each(|a| authors.add(a, i));
        if !e.article.section.is_empty() {
            sections.add(&e.article.section, i);
        }
        if let Some(agency) = &e.article.agency {
            sources.add(agency, i);
        }
        match e.local_date {
            Some(d) => tree
                .entry(d.year())
                .or_default()
                .entry(d.month())
                .or_default()
                .entry(d.day())
                .or_default()
                .push(i),
            None => undated.push(i),
        }
    }
    let years = tree
        .into_iter()
        .map(|(year, months)| {
            let months: Vec<Month> = months
                .into_iter()
                .map(|(month, days)| {
                    let days: Vec<Day> = days
                        .into_iter()
                        .map(|(day, articles)| Day { day, articles })
                        .collect();
                    Month {
                        month,
                        articles: days
                            .iter()
                            .flat_map(|d| d.articles.iter().copied())
                            .collect(),
                        days,
                    }
                })
                .collect();
            Year {
                year,
                articles: months
                    .iter()
                    .flat_map(|m| m.articles.iter().copied())
                    .collect(),
                months,
            }
        })
        .collect();
    let archive = Archive {
        entries,
        tags: tags.finish(),
        authors: authors.finish(),
        sections: sections.finish(),
        sources: sources.finish(),
        years,
        undated,
    };
    (archive, diags)
}

/// Fills the permalink pattern for one article.
pub fn permalink(
    pattern: &str,
    slug: &str,
    section: &str,
    date: Option<DateTime<FixedOffset>>,
) -> String {
    match date {
        Some(d) => pattern
            .replace(":year", &format!("{:04}", d.year()))
            .replace(":month", &format!("{:02}", d.month()))
            .replace(":day", &format!("{:02}", d.day()))
            .replace(":section", &slugify(section))
            .replace(":slug", slug),
        None => format!("/undated/{slug}/"),
    }
}

/// Gives each entry its URL. Same-URL articles get `-2`, `-3`, ... in source-path
/// order; two explicit slugs on one URL are an error naming both files.
fn assign_urls(entries: &mut [Entry], cfg: &Config) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].article.source.cmp(&entries[b].article.source));
    let mut taken: HashMap<String, usize> = HashMap::new();
    for &i in &order {
        let a = &entries[i].article;
        let base = permalink(&cfg.permalink, &a.slug, &a.section, entries[i].local_date);
        let mut url = base.clone();
        let mut n = 1;
        while let Some(&owner) = taken.get(&url) {
            let other = &entries[owner].article;
            if n == 1 {
                if a.explicit_slug && other.explicit_slug {
                    diags.push(Diagnostic::error(
                        &a.source,
                        None,
                        format!(
                            "slug `{}` gives the URL {url}, already used by {}",
                            a.slug,
                            other.source.display()
                        ),
                    ));
                } else {
                    diags.push(Diagnostic::warning(
                        &a.source,
                        None,
                        format!(
                            "URL {url} is already used by {}; this article gets a numbered URL",
                            other.source.display()
                        ),
                    ));
                }
            }
            n += 1;
            url = format!("{}-{n}/", base.trim_end_matches('/'));
        }
        taken.insert(url.clone(), i);
        entries[i].url = url;
    }
    diags
}

/// Collects terms by slug; the first spelling met names the term.
#[derive(Default)]
struct Grouper {
    by_slug: BTreeMap<String, Term>,
}

impl Grouper {
    fn add(&mut self, name: &str, i: u32) {
        let slug = slugify(name);
        if slug.is_empty() {
            return;
        }
        let term = self.by_slug.entry(slug.clone()).or_insert_with(|| Term {
            name: name.to_string(),
            slug,
            articles: Vec::new(),
        });
        if term.articles.last() != Some(&i) {
            term.articles.push(i);
        }
    }

    fn finish(self) -> Vec<Term> {
        self.by_slug.into_values().collect()
    }
}

/// Stable pagination of a list of `total` items (oldest first) at `per_page`:
/// numbered pages count from the oldest, so a full page never changes when news
/// arrives; the list's first URL shows the newest `per_page` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    pub total: usize,
    pub per_page: usize,
}

impl Pager {
    /// Number of numbered pages (at least 1).
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }

    /// Item range (oldest-first positions) of numbered page `n` (1-based).
    pub fn range(&self, n: usize) -> std::ops::Range<usize> {
        let start = (n - 1) * self.per_page;
        start.min(self.total)..(start + self.per_page).min(self.total)
    }

    /// Item range shown at the list's first URL: the newest `per_page`.
    pub fn first_range(&self) -> std::ops::Range<usize> {
        self.total.saturating_sub(self.per_page)..self.total
    }

    /// The numbered page holding the newest item not shown at the first URL.
    pub fn older_than_first(&self) -> Option<usize> {
        let first = self.first_range().start;
        (first > 0).then(|| (first - 1) / self.per_page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_numbered_from_the_oldest() {
        let p = Pager {
            total: 45,
            per_page: 20,
        };
        assert_eq!(p.pages(), 3);
        assert_eq!(p.range(1), 0..20);
        assert_eq!(p.range(3), 40..45);
        assert_eq!(p.first_range(), 25..45);
        assert_eq!(p.older_than_first(), Some(2));
    }

    #[test]
    fn a_full_page_keeps_its_items_when_news_arrives() {
        let before = Pager {
            total: 45,
            per_page: 20,
        };
        let after = Pager {
            total: 46,
            per_page: 20,
        };
        assert_eq!(before.range(2), after.range(2));
        assert_eq!(after.range(3), 40..46);
    }

    #[test]
    fn short_and_empty_lists_have_one_page() {
        assert_eq!(
            Pager {
                total: 0,
                per_page: 20
            }
            .pages(),
            1
        );
        let p = Pager {
            total: 5,
            per_page: 20,
        };
        assert_eq!(
            (p.pages(), p.first_range(), p.older_than_first()),
            (1, 0..5, None)
        );
    }

    #[test]
    fn permalinks_fill_the_pattern() {
        let d = DateTime::parse_from_rfc3339("2013-02-02T10:00:00+00:00").ok();
        assert_eq!(
            permalink("/:year/:month/:day/:slug/", "lavrov", "world", d),
            "/2013/02/02/lavrov/"
        );
        assert_eq!(
            permalink("/:section/:slug/", "lavrov", "World News", d),
            "/world-news/lavrov/"
        );
        assert_eq!(permalink("/:year/:slug/", "x", "", None), "/undated/x/");
    }
}
