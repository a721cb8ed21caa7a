//! Articles into the archive index: a canonical order, URLs (with collision
//! suffixes), tags, authors, sections, the year/month/day tree and pagination.
//! Pure: no I/O, no templates. Holds metadata only, never bodies.

pub mod related;

pub use crate::article::permalink::{fill_tokens, permalink, push_two_digits};
use std::collections::BTreeMap;

// aHash: the index hashes hundreds of thousands of names and URLs per build.
use ahash::AHashMap as HashMap;

use chrono::{DateTime, Datelike, FixedOffset};
use rayon::prelude::*;

use crate::article::Article;
use crate::article::slug::slugify;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::urls;

mod refs;
pub use refs::RefIndex;

/// An article with its final URL.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Boxed: entries are sorted and moved as a whole, and an archive of a
    /// million articles should not need two full copies of them while it is built.
    pub article: Box<Article>,
    /// Site path, starting and ending with `/`.
    pub url: String,
    /// The publication date in the site's zone (what URLs, archives and bylines show).
    pub local_date: Option<DateTime<FixedOffset>>,
}

impl Entry {
    /// When the article last changed, in the site's zone: `updated` when it is
    /// later than the publication date, else the publication date. The one
    /// source of `dateModified`, `article:modified_time`, feed `updated` and
    /// sitemap `lastmod`, so they always agree.
    pub fn modified(&self, tz: chrono_tz::Tz) -> Option<DateTime<FixedOffset>> {
        let updated = self
            .article
            .updated
            .map(|u| u.with_timezone(&tz).fixed_offset());
        match (self.local_date, updated) {
            (Some(d), Some(u)) => Some(if u > d { u } else { d }),
            (d, u) => d.or(u),
        }
    }
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

/// One calendar day (`03-02`) across every year: the articles of that day in
/// all years, oldest first.
#[derive(Debug, Clone)]
pub struct CalendarDay {
    pub month: u32,
    pub day: u32,
    pub articles: Vec<u32>,
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
    /// Every calendar day that has articles, in calendar order ("on this day").
    pub on_this_day: Vec<CalendarDay>,
    /// `related::RELATED` slots per entry (`related::related`), best first.
    pub related: Vec<u32>,
    pub undated: Vec<u32>,
    /// Articles by source, for links between articles (`Article::refs`).
    pub refs: RefIndex,
}

impl Archive {
    /// The URL of each article that entry `i` links to by source (target
    /// as written, URL); targets that name no article are left out.
    pub fn ref_urls(&self, i: u32) -> Vec<(&str, &str)> {
        let article = &self.entries[i as usize].article;
        article
            .refs
            .iter()
            .filter_map(|t| {
                Some((
                    t.as_str(),
                    self.entries[self.refs.find(t)? as usize].url.as_str(),
                ))
            })
            .collect()
    }

    /// A warning for every link to an article that is not there.
    fn unresolved_refs(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for e in self.entries.iter().filter(|e| !e.article.refs.is_empty()) {
            for t in e
                .article
                .refs
                .iter()
                .filter(|t| self.refs.find(t).is_none())
            {
                out.push(Diagnostic::warning(
                    &e.article.source,
                    None,
                    format!(
                        "link to another article by its source (`ref`): no single article is `{t}`"
                    ),
                ));
            }
        }
        out
    }

    /// Article `i`'s related stories, best first.
    pub fn related(&self, i: u32) -> impl Iterator<Item = u32> + '_ {
        let start = i as usize * related::RELATED;
        self.related
            .get(start..start + related::RELATED)
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|&j| j != u32::MAX)
    }

    /// The "on this day" list of a calendar day, as an index into `on_this_day`.
    pub fn on_this_day_index(&self, month: u32, day: u32) -> Option<usize> {
        self.on_this_day
            .binary_search_by_key(&(month, day), |c| (c.month, c.day))
            .ok()
    }

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

/// How a section is named wherever it is shown: as written when it has any
/// capital (`BBC World`, `iPhone`), else with each word capitalised, so the
/// folder `world-news` or `front page` reads `World-News`, `Front Page` in
/// cards, kickers, section pages and metadata alike.
pub fn section_label(name: &str) -> std::borrow::Cow<'_, str> {
    if name.chars().any(char::is_uppercase) {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric() && c != '\'';
    }
    std::borrow::Cow::Owned(out)
}

/// Builds the index: sorts, assigns URLs, groups. Problems (clashing explicit
/// slugs) come back as diagnostics; the articles involved keep distinct URLs.
pub fn index(articles: Vec<Article>, cfg: &Config) -> (Archive, Vec<Diagnostic>) {
    index_boxed(articles.into_iter().map(Box::new).collect(), cfg)
}

/// `index` for articles already boxed (as the build has them), which saves
/// moving every article once more.
pub fn index_boxed(articles: Vec<Box<Article>>, cfg: &Config) -> (Archive, Vec<Diagnostic>) {
    let (archive, diags, _) = index_with_positions(articles, cfg);
    (archive, diags)
}

/// `index_boxed`, also saying where each article went: `positions[k]` is the
/// entry index of `articles[k]`.
pub fn index_with_positions(
    articles: Vec<Box<Article>>,
    cfg: &Config,
) -> (Archive, Vec<Diagnostic>, Vec<u32>) {
    index_inner(articles, cfg, None)
}

/// `index_with_positions` for articles known to be in source-path order (as
/// `source::discover` lists files), which is then not checked again.
pub fn index_sorted_with_positions(
    articles: Vec<Box<Article>>,
    cfg: &Config,
) -> (Archive, Vec<Diagnostic>, Vec<u32>) {
    index_inner(articles, cfg, Some(true))
}

/// `by_source`: whether the articles are in source-path order (`None`: look).
#[allow(
    clippy::vec_box,
    reason = "boxed as the build has them, so entries move pointers"
)]
fn index_inner(
    articles: Vec<Box<Article>>,
    cfg: &Config,
    by_source: Option<bool>,
) -> (Archive, Vec<Diagnostic>, Vec<u32>) {
    let mut entries: Vec<Entry> = articles
        .into_par_iter()
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
    // The build hands articles over in source-path order; then URLs can be
    // given in that order as they are, and a stable sort by date alone leaves
    // same-date articles in source order, with no path comparisons.
    let in_order = |entries: &[Entry]| {
        entries
            .par_windows(2)
            .all(|w| w[0].article.source <= w[1].article.source)
    };
    debug_assert!(by_source != Some(true) || in_order(&entries));
    let by_source = by_source.unwrap_or_else(|| in_order(&entries));
    let diags = assign_urls(&mut entries, cfg, by_source);
    let (entries, positions) = canonical_order(entries, by_source);
    let (tags, authors, (sections, sources, tree, undated)) = group_terms(&entries);
    let years = years(tree);
    let on_this_day = on_this_day(&years);
    let related = related::related(&entries, &tags, &sections);
    let archive = Archive {
        refs: RefIndex::new(&entries),
        entries,
        tags,
        authors,
        sections,
        sources,
        years,
        on_this_day,
        related,
        undated,
    };
    let mut diags = diags;
    diags.extend(archive.unresolved_refs());
    (archive, diags, positions)
}

/// The entries in canonical order (undated first, then by date; same-date
/// articles in source-path order), and each old position's new one.
fn canonical_order(entries: Vec<Entry>, by_source: bool) -> (Vec<Entry>, Vec<u32>) {
    let mut order: Vec<u32> = (0..entries.len() as u32).collect();
    if by_source {
        // The keys side by side (the articles are behind pointers), with the
        // position last: an unstable sort of these is the stable sort by date.
        let mut keys: Vec<(bool, i64, u32, u32)> = entries
            .par_iter()
            .enumerate()
            .map(|(k, e)| match e.article.date {
                Some(d) => (true, d.timestamp(), d.timestamp_subsec_nanos(), k as u32),
                None => (false, 0, 0, k as u32),
            })
            .collect();
        keys.par_sort_unstable();
        order = keys.into_iter().map(|(_, _, _, k)| k).collect();
    } else {
        order.sort_by(|&a, &b| {
            let (a, b) = (&entries[a as usize], &entries[b as usize]);
            (a.local_date.is_some(), a.article.date, &a.article.source).cmp(&(
                b.local_date.is_some(),
                b.article.date,
                &b.article.source,
            ))
        });
    }
    let mut positions = vec![0u32; order.len()];
    for (to, &from) in order.iter().enumerate() {
        positions[from as usize] = to as u32;
    }
    let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    // `order` is a permutation: every slot is taken exactly once.
    let entries: Vec<Entry> = order
        .iter()
        .filter_map(|&k| slots[k as usize].take())
        .collect();
    drop(slots);
    (entries, positions)
}

/// Tags, authors, and the rest (`group_rest`), in parallel.
fn group_terms(entries: &[Entry]) -> (Vec<Term>, Vec<Term>, Rest) {
    // Tags, authors and the rest as three tasks: on two threads, the longest
    // of two (the rest with authors) took three quarters of the work.
    let (tags, (authors, rest)) = rayon::join(
        || {
            let mut tags = Grouper::default();
            for (i, e) in entries.iter().enumerate() {
                e.article.tags.iter().for_each(|t| tags.add(t, i as u32));
            }
            tags.finish()
        },
        || {
            rayon::join(
                || {
                    let mut authors = Grouper::default();
                    for (i, e) in entries.iter().enumerate() {
                        e.article
                            .authors
                            .iter()
                            .for_each(|a| authors.add(a, i as u32));
                    }
                    authors.finish()
                },
                || group_rest(entries),
            )
        },
    );
    (tags, authors, rest)
}

/// The year/month/day tree as it is filled.
type Tree = BTreeMap<i32, BTreeMap<u32, BTreeMap<u32, Vec<u32>>>>;

/// What `group_rest` gives: sections, sources, the date tree, the undated.
type Rest = (Vec<Term>, Vec<Term>, Tree, Vec<u32>);

/// Sections, sources, the date tree and the undated articles.
fn group_rest(entries: &[Entry]) -> Rest {
    let mut sections = Grouper::default();
    let mut sources = Grouper::default();
    let mut tree = Tree::new();
    let mut undated = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let i = i as u32;
        if !e.article.section.is_empty() {
            sections.add(&e.article.section, i);
        }
        if let Some(agency) = &e.article.agency {
            sources.add(agency, i);
        }
        // The local date once (each of year, month and day makes it again).
        match e.local_date.map(|d| d.date_naive()) {
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
    let mut sections = sections.finish();
    for s in &mut sections {
        if let std::borrow::Cow::Owned(label) = section_label(&s.name) {
            s.name = label;
        }
    }
    (sections, sources.finish(), tree, undated)
}

fn years(tree: Tree) -> Vec<Year> {
    tree.into_iter()
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
        .collect()
}

/// The articles of each calendar day across the years. Years are walked
/// oldest first and each day's articles are in entry order, so every list
/// comes out oldest first.
fn on_this_day(years: &[Year]) -> Vec<CalendarDay> {
    let mut by_day: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
    for y in years {
        for m in &y.months {
            for d in &m.days {
                by_day
                    .entry((m.month, d.day))
                    .or_default()
                    .extend_from_slice(&d.articles);
            }
        }
    }
    by_day
        .into_iter()
        .map(|((month, day), articles)| CalendarDay {
            month,
            day,
            articles,
        })
        .collect()
}

/// Gives each entry its URL (`urls::wanted`). Articles that chose their
/// URL (an explicit URL or slug) are placed first; same-URL articles then get
/// `-2`, `-3`, ... in source-path order; two that chose one URL are an error
/// naming both files, and so is an explicit URL of a page the site makes.
fn assign_urls(entries: &mut [Entry], cfg: &Config, by_source: bool) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    if !by_source {
        order.sort_by(|&a, &b| entries[a].article.source.cmp(&entries[b].article.source));
    }
    // Stable: source-path order within each group.
    order.sort_by_key(|&i| !urls::claimed(&entries[i].article, cfg));
    let mut bases: Vec<String> = entries
        .par_iter()
        .map(|e| urls::wanted(&e.article, e.local_date, cfg))
        .collect();
    let mut taken = Taken::with_capacity(entries.len());
    for &i in &order {
        let mut url = std::mem::take(&mut bases[i]);
        let a = &entries[i].article;
        if let Some(what) = urls::kept(a, cfg).and_then(urls::reserved) {
            diags.push(Diagnostic::error(
                &a.source,
                None,
                format!("the URL {url} is {what}'s; an article cannot take it"),
            ));
        }
        // Kept only when the URL is taken (rarely).
        let mut base: Option<String> = None;
        let mut n = 1;
        while let Some(owner) = taken.get(&url, entries) {
            if n == 1 {
                diags.push(clash(a, &entries[owner].article, &url, cfg));
            }
            n += 1;
            url = urls::numbered(base.get_or_insert_with(|| url.clone()), n);
        }
        taken.insert(&url, i);
        entries[i].url = url;
    }
    diags
}

/// The message for an article whose URL another already has.
fn clash(a: &Article, other: &Article, url: &str, cfg: &Config) -> Diagnostic {
    let (mine, theirs) = (urls::claimed(a, cfg), urls::claimed(other, cfg));
    let chose = |x: &Article| match urls::kept(x, cfg) {
        Some(_) => format!("claims the URL {url}"),
        None => format!("slug `{}` gives the URL {url}", x.slug),
    };
    if mine && theirs {
        let message = format!("{}, already used by {}", chose(a), other.source.display());
        return Diagnostic::error(&a.source, None, message);
    }
    Diagnostic::warning(
        &a.source,
        None,
        format!(
            "URL {url} is already used by {}; this article gets a numbered URL",
            other.source.display()
        ),
    )
}

/// The URLs given so far, without a second copy of each: a map from the
/// URL's hash to the entry holding it (whose `url` is compared on a hit), and
/// for the rare URL whose hash is already used by another, a map by text.
struct Taken {
    hasher: ahash::RandomState,
    by_hash: HashMap<u64, usize>,
    spill: HashMap<String, usize>,
}

impl Taken {
    fn with_capacity(n: usize) -> Taken {
        Taken {
            hasher: ahash::RandomState::new(),
            by_hash: HashMap::with_capacity(n),
            spill: HashMap::new(),
        }
    }

    fn get(&self, url: &str, entries: &[Entry]) -> Option<usize> {
        let owner = *self.by_hash.get(&self.hasher.hash_one(url))?;
        if entries[owner].url == url {
            Some(owner)
        } else {
            self.spill.get(url).copied()
        }
    }

    fn insert(&mut self, url: &str, i: usize) {
        match self.by_hash.entry(self.hasher.hash_one(url)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.spill.insert(url.to_string(), i);
            }
        }
    }
}

/// Collects terms by slug; the first spelling met names the term.
#[derive(Default)]
struct Grouper<'a> {
    /// Spelling -> term (or `None` for names without a slug): most names
    /// recur, and a lookup is cheaper than making the slug again.
    by_name: HashMap<&'a str, Option<usize>>,
    by_slug: HashMap<String, usize>,
    terms: Vec<Term>,
}

impl<'a> Grouper<'a> {
    fn add(&mut self, name: &'a str, i: u32) {
        let term = match self.by_name.get(name) {
            Some(t) => *t,
            None => {
                let slug = slugify(name);
                let t = if slug.is_empty() {
                    None
                } else {
                    Some(match self.by_slug.get(&slug) {
                        Some(&t) => t,
                        None => {
                            self.terms.push(Term {
                                name: name.to_string(),
                                slug: slug.clone(),
                                articles: Vec::new(),
                            });
                            self.by_slug.insert(slug, self.terms.len() - 1);
                            self.terms.len() - 1
                        }
                    })
                };
                self.by_name.insert(name, t);
                t
            }
        };
        if let Some(t) = term {
            let articles = &mut self.terms[t].articles;
            if articles.last() != Some(&i) {
                articles.push(i);
            }
        }
    }

    fn finish(mut self) -> Vec<Term> {
        self.terms.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
        self.terms
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

    fn story(path: &str, title: &str, date: &str) -> Article {
        let cfg = Config::parse("", std::path::Path::new("/site")).expect("config");
        let file = crate::source::SourceFile {
            rel_path: std::path::PathBuf::from(format!("content/{path}")),
            content_path: path.to_string(),
            abs_path: std::path::PathBuf::from(format!("/site/content/{path}")),
            format: crate::source::Format::Markdown,
        };
        let text = format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\nText.\n");
        crate::article::parse(&file, text.as_bytes(), &cfg)
            .article
            .expect("valid")
    }

    #[test]
    fn the_index_does_not_depend_on_the_order_articles_come_in() {
        let cfg = Config::parse("", std::path::Path::new("/site")).expect("config");
        let make = || {
            vec![
                story("a/x.md", "Same", "2013-02-02"),
                story("a-b/y.md", "Same", "2013-02-02"),
                story("b/z.md", "Other", "2013-02-01"),
                story("c/w.md", "Same", "2013-02-02"),
            ]
        };
        let (sorted, d1) = index(make(), &cfg);
        let mut reversed = make();
        reversed.reverse();
        let (from_reversed, d2) = index(reversed, &cfg);
        let show = |a: &Archive| {
            a.entries
                .iter()
                .map(|e| format!("{} {}", e.article.source.display(), e.url))
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&sorted), show(&from_reversed));
        assert_eq!(d1, d2);
        assert_eq!(
            show(&sorted),
            [
                "content/b/z.md /2013/02/01/other/",
                "content/a/x.md /2013/02/02/same/",
                "content/a-b/y.md /2013/02/02/same-2/",
                "content/c/w.md /2013/02/02/same-3/",
            ]
        );
    }

    #[test]
    fn urls_whose_hashes_collide_are_still_told_apart() {
        let cfg = Config::parse("", std::path::Path::new("/site")).expect("config");
        let (archive, _) = index(
            vec![
                story("a.md", "A", "2013-02-01"),
                story("b.md", "B", "2013-02-02"),
            ],
            &cfg,
        );
        let entries = &archive.entries;
        let mut taken = Taken::with_capacity(2);
        taken.insert(&entries[0].url, 0);
        // Pretend the second URL hashes like the first.
        let h = taken.hasher.hash_one(entries[1].url.as_str());
        taken.by_hash.insert(h, 0);
        taken.insert(&entries[1].url, 1);
        assert_eq!(taken.get(&entries[0].url, entries), Some(0));
        assert_eq!(taken.get(&entries[1].url, entries), Some(1));
        assert_eq!(taken.get("/elsewhere/", entries), None);
    }

    #[test]
    fn permalinks_fill_every_placeholder_once() {
        let d = DateTime::parse_from_rfc3339("2013-02-02T10:00:00+00:00").ok();
        assert_eq!(
            permalink(
                "/news/:section/:year-:month-:day/:slug.html",
                "x",
                "Big World",
                d
            ),
            "/news/big-world/2013-02-02/x.html"
        );
        assert_eq!(permalink("/a:b/:slug/", "x", "", d), "/a:b/x/");
        let early = DateTime::parse_from_rfc3339("0987-03-04T10:00:00+00:00").ok();
        assert_eq!(
            permalink("/:year/:month/:day/", "x", "", early),
            "/0987/03/04/"
        );
    }

    #[test]
    fn section_names_are_capitalised_unless_written_with_capitals() {
        let labels: Vec<_> = ["world", "front page", "world-news", "BBC world", "o'clock"]
            .iter()
            .map(|n| section_label(n).into_owned())
            .collect();
        assert_eq!(
            labels,
            ["World", "Front Page", "World-News", "BBC world", "O'clock"]
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
