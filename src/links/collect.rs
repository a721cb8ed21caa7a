//! The build's observer for `check --links`: every file made is a written
//! path; every HTML page is scanned as it is made for its ids and links, each
//! link resolved and counted once per page under its target. Nothing is kept
//! of a page's bytes. Targets are settled in one pass at the end (`settle`).

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use ahash::{AHashMap, AHashSet};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use super::resolve::{self, Base, Link, SiteUrl};
use super::scan::{self, Found};
use crate::build::{ArticleOrigin, Observer};

/// Pages named per target; the others are counted.
pub const PAGES_KEPT: usize = 4;

/// Lock shards of the target tables (by the top four bits of a key's hash).
const SHARDS: usize = 16;

/// What the pages said, gathered while they were made.
pub struct Collector {
    site: SiteUrl,
    written: Mutex<Vec<Box<str>>>,
    pages: Mutex<Vec<Page>>,
    /// `id_key(page, id)` of every id of every page.
    ids: Mutex<AHashSet<u64>>,
    /// Internal targets (`target_key`) and external URLs, by shard, under
    /// the XXH3 of the key (a collision among a million keys has odds of
    /// about 1 in 10^7).
    internal: Vec<Mutex<Targets>>,
    external: Vec<Mutex<Targets>>,
    counts: Counts,
}

type Targets = AHashMap<u64, (Box<str>, Uses)>;

/// Link occurrences, for the summary.
#[derive(Debug, Default)]
pub struct Counts {
    pub links: AtomicUsize,
    pub internal: AtomicUsize,
    pub external: AtomicUsize,
    pub unchecked: AtomicUsize,
}

/// One HTML page seen.
#[derive(Debug)]
pub struct Page {
    /// Its path in the output.
    pub path: Box<str>,
    /// An article page's source file, and the links of its body: the
    /// target's key hash and the link as the body has it.
    pub source: Option<PathBuf>,
    pub body_links: Vec<(u64, Box<str>)>,
}

/// The pages linking to one target.
#[derive(Debug, Clone)]
pub struct Uses {
    /// Pages linking to it (each page once).
    pub count: u32,
    /// A few of them: (rank, index into the pages). Pages are made in
    /// parallel, in no fixed order, so the ones kept are those of lowest
    /// rank (a hash of the page's path): the same pages on every run.
    pages: [(u32, u32); PAGES_KEPT],
}

impl Uses {
    fn new() -> Uses {
        Uses {
            count: 0,
            pages: [(u32::MAX, u32::MAX); PAGES_KEPT],
        }
    }

    /// Counts a page, keeping it if it ranks among the lowest.
    fn add(&mut self, rank: u32, page: u32) {
        self.count += 1;
        let highest = (0..PAGES_KEPT).max_by_key(|&i| self.pages[i]).unwrap_or(0);
        if (rank, page) < self.pages[highest] {
            self.pages[highest] = (rank, page);
        }
    }

    /// The pages kept, as indexes into the pages.
    pub fn kept(&self) -> impl Iterator<Item = u32> + '_ {
        self.pages
            .iter()
            .filter(|(_, page)| *page != u32::MAX)
            .map(|&(_, page)| page)
    }
}

/// Everything gathered, for settling.
pub struct Gathered {
    pub written: AHashSet<Box<str>>,
    pub pages: Vec<Page>,
    pub ids: AHashSet<u64>,
    /// Each target: its key's hash, the key, and the pages using it.
    pub internal: Vec<(u64, Box<str>, Uses)>,
    pub external: Vec<(u64, Box<str>, Uses)>,
    pub counts: Counts,
}

impl Collector {
    pub fn new(base_url: &str) -> Collector {
        let shards = || (0..SHARDS).map(|_| Mutex::default()).collect();
        Collector {
            site: SiteUrl::new(base_url),
            written: Mutex::default(),
            pages: Mutex::default(),
            ids: Mutex::default(),
            internal: shards(),
            external: shards(),
            counts: Counts::default(),
        }
    }

    pub fn into_gathered(self) -> Gathered {
        let take = |shards: Vec<Mutex<Targets>>| {
            shards
                .into_iter()
                .flat_map(|m| into_inner(m).into_iter())
                .map(|(hash, (key, uses))| (hash, key, uses))
                .collect()
        };
        Gathered {
            written: into_inner(self.written).into_iter().collect(),
            pages: into_inner(self.pages),
            ids: into_inner(self.ids),
            internal: take(self.internal),
            external: take(self.external),
            counts: self.counts,
        }
    }

    /// Reads one page: its ids and its links, each target once.
    fn page(&self, path: &str, html: &[u8], article: Option<&ArticleOrigin<'_>>) {
        let index = {
            let mut pages = lock(&self.pages);
            pages.push(Page {
                path: path.into(),
                source: article.map(|a| a.source.to_path_buf()),
                body_links: Vec::new(),
            });
            (pages.len() - 1) as u32
        };
        let mut base = Base::of_page(path);
        let mut ids = Vec::new();
        let mut raws = Vec::new();
        scan::scan(html, |found| match found {
            Found::Base(href) => base = base.with_href(&href, &self.site),
            Found::Id(id) => ids.push(id_key(index, &id)),
            Found::Link(raw) => raws.push(raw),
        });
        lock(&self.ids).extend(ids);
        // Each link written on the page resolved once (menus and cards repeat).
        let mut written: AHashMap<Cow<'_, str>, usize> = AHashMap::with_capacity(raws.len());
        let links = raws.len();
        for raw in raws {
            *written.entry(raw).or_default() += 1;
        }
        let (mut internal, mut external) = (Vec::new(), Vec::new());
        let mut tally = [0usize; 3];
        for (raw, times) in written {
            let (kind, target) = match resolve::resolve(&raw, &base, &self.site) {
                Link::Internal { path, fragment } => (
                    0,
                    Some((&mut internal, target_key(path, fragment.as_deref()))),
                ),
                Link::External(url) => (1, Some((&mut external, url))),
                Link::Unchecked => (2, None),
            };
            tally[kind] += times;
            if let Some((list, key)) = target {
                list.push((xxh3_64(key.as_bytes()), key));
            }
        }
        let counts = &self.counts;
        counts.links.fetch_add(links, Ordering::Relaxed);
        counts.internal.fetch_add(tally[0], Ordering::Relaxed);
        counts.external.fetch_add(tally[1], Ordering::Relaxed);
        counts.unchecked.fetch_add(tally[2], Ordering::Relaxed);
        let rank = xxh3_64(path.as_bytes()) as u32;
        add_uses(&self.internal, internal, index, rank);
        add_uses(&self.external, external, index, rank);
        if let Some(article) = article {
            let body_links = self.body_links(path, article.body);
            if !body_links.is_empty() {
                lock(&self.pages)[index as usize].body_links = body_links;
            }
        }
    }

    /// The links of an article's body, keyed as the page's are.
    fn body_links(&self, path: &str, body: &str) -> Vec<(u64, Box<str>)> {
        let base = Base::of_page(path);
        let mut links = Vec::new();
        scan::scan(body.as_bytes(), |found| {
            if let Found::Link(raw) = found {
                let key = match resolve::resolve(&raw, &base, &self.site) {
                    Link::Internal { path, fragment } => target_key(path, fragment.as_deref()),
                    Link::External(url) => url,
                    Link::Unchecked => return,
                };
                links.push((xxh3_64(key.as_bytes()), raw.into()));
            }
        });
        links
    }
}

impl Observer for Collector {
    fn file(&self, path: &str, bytes: &[u8], article: Option<&ArticleOrigin<'_>>) {
        lock(&self.written).push(path.into());
        if is_html(path) {
            self.page(path, bytes, article);
        }
    }
}

/// Counts `page` once under each of `targets` (hash, key), a shard's lock
/// taken once per page.
fn add_uses(shards: &[Mutex<Targets>], mut targets: Vec<(u64, String)>, page: u32, rank: u32) {
    let shard_of = |hash: u64| (hash >> 60) as usize % SHARDS;
    targets.sort_unstable_by_key(|(hash, _)| *hash);
    targets.dedup_by_key(|(hash, _)| *hash);
    for run in targets.chunk_by(|a, b| shard_of(a.0) == shard_of(b.0)) {
        let mut map = lock(&shards[shard_of(run[0].0)]);
        for (hash, key) in run {
            let (_, uses) = map
                .entry(*hash)
                .or_insert_with(|| (key.as_str().into(), Uses::new()));
            uses.add(rank, page);
        }
    }
}

/// A page's output path says it is HTML.
pub fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// An internal target as one string: the output path, then NUL and the
/// fragment when there is one (a decoded path with a NUL names no file).
pub fn target_key(mut path: String, fragment: Option<&str>) -> String {
    if let Some(f) = fragment {
        path.push('\0');
        path.push_str(f);
    }
    path
}

/// An id of a page, as one number.
pub fn id_key(page: u32, id: &str) -> u64 {
    xxh3_64_with_seed(id.as_bytes(), u64::from(page))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_kept_for_a_target_do_not_depend_on_the_order_pages_came() {
        let ranks = [50, 10, 40, 30, 20, 60, 5];
        let kept = |order: &[usize]| {
            let mut uses = Uses::new();
            for &i in order {
                uses.add(ranks[i], i as u32);
            }
            let mut kept: Vec<u32> = uses.kept().collect();
            kept.sort();
            (uses.count, kept)
        };
        assert_eq!(kept(&[0, 1, 2, 3, 4, 5, 6]), (7, vec![1, 3, 4, 6]));
        assert_eq!(kept(&[6, 5, 4, 3, 2, 1, 0]), (7, vec![1, 3, 4, 6]));
        assert_eq!(kept(&[2, 0]), (2, vec![0, 2]));
    }

    #[test]
    fn a_page_is_read_for_its_links_ids_and_body_links() {
        let collector = Collector::new("https://news.example");
        let body = r#"<p><a href="/b/">b</a> <a href="https://out.example/x#y">out</a></p>"#;
        let page = format!(
            r##"<html><body id="top-of-page"><a href="/b/">b</a><a href="#top-of-page">up</a>{body}<a href="mailto:x@y">m</a></body></html>"##
        );
        let origin = ArticleOrigin {
            source: std::path::Path::new("content/a.md"),
            body,
        };
        collector.file("a/index.html", page.as_bytes(), Some(&origin));
        collector.file("style.css", b"a{}", None);
        let g = collector.into_gathered();
        assert_eq!(g.written.len(), 2);
        assert_eq!(g.pages.len(), 1);
        assert!(g.ids.contains(&id_key(0, "top-of-page")));
        let mut internal: Vec<(&str, u32)> =
            g.internal.iter().map(|(_, k, u)| (&**k, u.count)).collect();
        internal.sort();
        assert_eq!(
            internal,
            [("a/index.html\0top-of-page", 1), ("b/index.html", 1)]
        );
        let external: Vec<&str> = g.external.iter().map(|(_, k, _)| &**k).collect();
        assert_eq!(external, ["https://out.example/x"]);
        let count = |n: &AtomicUsize| n.load(Ordering::Relaxed);
        let c = &g.counts;
        assert_eq!(
            (
                count(&c.links),
                count(&c.internal),
                count(&c.external),
                count(&c.unchecked)
            ),
            (5, 3, 1, 1)
        );
        let body_links: Vec<&str> = g.pages[0]
            .body_links
            .iter()
            .map(|(_, raw)| &**raw)
            .collect();
        assert_eq!(body_links, ["/b/", "https://out.example/x#y"]);
        assert_eq!(
            g.pages[0].source.as_deref(),
            Some(std::path::Path::new("content/a.md"))
        );
    }
}
