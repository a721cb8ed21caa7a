//! Sitemaps for archives of any size, the Google News sitemap and robots.txt.
//! Pure: made from the archive index and the page plan; the caller writes them.
//!
//! Where each page goes:
//!
//! - `sitemaps/YYYY.xml`: every article dated in year YYYY, and the year's,
//!   months' and days' archive pages (first and numbered). Nothing in it
//!   depends on other years or on the clock, so a past year's file stays
//!   byte-identical as news arrives (stable pagination keeps its list pages
//!   put). A year with more than `[sitemap] max_urls` URLs is split by month
//!   into `sitemaps/YYYY-MM.xml`; a list page goes to the month of the newest
//!   article it shows.
//! - `sitemaps/pages.xml`: the pages that change as news arrives: the home
//!   list, tag/author/section lists and their indexes, `/archive/`, and the
//!   undated articles and their list.
//! - Any file that would pass `max_urls` URLs or 50 MB continues in
//!   `STEM-p2.xml`, `STEM-p3.xml`, ...
//! - `sitemap.xml`: the index of all the above (and of `news-sitemap.xml`),
//!   each with the newest `lastmod` inside it. robots.txt points at it.
//! - `news-sitemap.xml`: articles published in the two days before the build's
//!   "now" (at most 1,000, newest first). Written only when there is one: the
//!   schema does not allow an empty `<urlset>`.
//!
//! `lastmod` is `Entry::modified` (updated, else the publication date) for
//! articles, and the newest of the articles shown for list pages. The 404
//! page and redirect pages are left out.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, FixedOffset};
use rayon::prelude::*;

use crate::archive::Archive;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::digest::Digest;
use crate::extras::xml::{Xml, escape};
use crate::plan::{ListId, PageKind, PageNo, PlannedPage};

/// The sitemap index's path, which robots.txt names.
pub const INDEX: &str = "sitemap.xml";
/// The Google News sitemap's path.
pub const NEWS: &str = "news-sitemap.xml";
/// The protocol's size limit of one file, uncompressed.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;
/// The protocol's limit of URLs in one file (and of files in the index).
pub const MAX_URLS: usize = 50_000;
/// Google reads at most this many URLs from a news sitemap.
pub const MAX_NEWS: usize = 1_000;

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// One URL of a sitemap file: a planned page and its `lastmod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapUrl {
    /// Index into the page plan.
    pub page: u32,
    pub lastmod: Option<DateTime<FixedOffset>>,
}

/// One sitemap file of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapFile {
    /// Output path, e.g. `sitemaps/2013.xml`.
    pub path: String,
    pub urls: Vec<SitemapUrl>,
}

impl SitemapFile {
    /// The newest `lastmod` in the file.
    pub fn lastmod(&self) -> Option<DateTime<FixedOffset>> {
        self.urls.iter().filter_map(|u| u.lastmod).max()
    }
}

/// Every sitemap file and the news sitemap's articles.
#[derive(Debug, Clone)]
pub struct SitemapPlan {
    pub files: Vec<SitemapFile>,
    /// Archive indexes of the news sitemap's articles, newest first.
    pub news: Vec<u32>,
}

/// Limits of one sitemap file.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_urls: usize,
    pub max_bytes: usize,
}

impl Limits {
    pub fn of(cfg: &Config) -> Limits {
        Limits {
            max_urls: cfg.sitemap.max_urls.clamp(1, MAX_URLS),
            max_bytes: MAX_BYTES,
        }
    }
}

/// Decides which page goes in which file.
pub fn plan(
    a: &Archive,
    cfg: &Config,
    pages: &[PlannedPage],
    now: DateTime<FixedOffset>,
    limits: Limits,
) -> Result<SitemapPlan, Diagnostic> {
    // Each article's `lastmod` once: list pages show each article many times.
    let modified: Vec<Option<DateTime<FixedOffset>>> = a
        .entries
        .par_iter()
        .map(|e| e.modified(cfg.timezone))
        .collect();
    let newest = modified.iter().flatten().max().copied();
    let mut rest: Vec<(SitemapUrl, usize)> = Vec::new();
    let mut years: BTreeMap<i32, Vec<(SitemapUrl, u32, usize)>> = BTreeMap::new();
    // Escaping works character by character: the base URL's share of every
    // `<loc>` is the same.
    let base_len = escape(&cfg.base_url).len();
    // Each URL's place and size in parallel (the size is its element's
    // length, for the byte limit), then grouped in page order.
    let placed: Vec<Option<(Place, SitemapUrl, usize)>> = pages
        .par_iter()
        .enumerate()
        .map(|(k, page)| {
            let (place, lastmod) = place(page, a, cfg, &modified, newest)?;
            let size = base_len + url_element_len(&page.url, lastmod);
            let url = SitemapUrl {
                page: k as u32,
                lastmod,
            };
            Some((place, url, size))
        })
        .collect();
    for (place, url, size) in placed.into_iter().flatten() {
        match place {
            Place::Pages => rest.push((url, size)),
            Place::Year(y, m) => years.entry(y).or_default().push((url, m, size)),
        }
    }
    let mut files = Vec::new();
    for (year, urls) in years {
        if urls.len() <= limits.max_urls {
            let urls = urls.into_iter().map(|(u, _, s)| (u, s)).collect();
            files.extend(chunk(&format!("{year:04}"), urls, limits));
        } else {
            let mut months: BTreeMap<u32, Vec<(SitemapUrl, usize)>> = BTreeMap::new();
            for (u, m, s) in urls {
                months.entry(m).or_default().push((u, s));
            }
            for (month, urls) in months {
                files.extend(chunk(&format!("{year:04}-{month:02}"), urls, limits));
            }
        }
    }
    files.extend(chunk("pages", rest, limits));
    let news = news_articles(a, now);
    let listed = files.len() + usize::from(!news.is_empty());
    if listed > MAX_URLS {
        return Err(Diagnostic::error(
            std::path::Path::new("site.toml"),
            None,
            format!(
                "the sitemap index would list {listed} files, more than {MAX_URLS}: raise [sitemap] max_urls"
            ),
        ));
    }
    Ok(SitemapPlan { files, news })
}

/// The text of one sitemap file.
pub fn render_file(file: &SitemapFile, pages: &[PlannedPage], cfg: &Config) -> String {
    let mut out = String::from(URLSET_OPEN);
    for u in &file.urls {
        out.push_str(&url_element(
            &cfg.absolute(&pages[u.page as usize].url),
            u.lastmod,
        ));
    }
    out.push_str(URLSET_CLOSE);
    out
}

/// What one sitemap file is made from, as one digest: its URLs (the base
/// URL and each page's path) and their `lastmod`s, which is all
/// `render_file` reads. An unchanged digest means unchanged bytes.
pub fn fingerprint(file: &SitemapFile, pages: &[PlannedPage], cfg: &Config) -> [u8; 16] {
    let mut d = Digest::with_capacity(128 + file.urls.len() * 64);
    d.put(concat!(env!("CARGO_PKG_VERSION"), "/sitemap-1").as_bytes());
    d.put(&cfg.fingerprint);
    d.put(cfg.base_url.as_bytes());
    d.put(file.path.as_bytes());
    for u in &file.urls {
        d.put(pages[u.page as usize].url.as_bytes());
        match u.lastmod {
            Some(t) => {
                d.raw(&[1]);
                d.raw(&t.timestamp().to_le_bytes());
                d.raw(&t.timestamp_subsec_nanos().to_le_bytes());
                d.raw(&t.offset().local_minus_utc().to_le_bytes());
            }
            None => d.raw(&[0]),
        }
    }
    d.finish()
}

/// The sitemap index: the news sitemap (when there is one), then every file.
pub fn render_index(plan: &SitemapPlan, a: &Archive, cfg: &Config) -> String {
    let mut x = Xml::document();
    x.open("sitemapindex", &[("xmlns", NS)]);
    let news_lastmod = plan
        .news
        .first()
        .and_then(|&i| a.entries[i as usize].local_date);
    let news = (!plan.news.is_empty()).then_some((NEWS, news_lastmod));
    let files = plan.files.iter().map(|f| (f.path.as_str(), f.lastmod()));
    for (path, lastmod) in news.into_iter().chain(files) {
        x.open("sitemap", &[]);
        x.text("loc", &[], &cfg.absolute(&format!("/{path}")));
        if let Some(d) = lastmod {
            x.text("lastmod", &[], &d.to_rfc3339());
        }
        x.close("sitemap");
    }
    x.close("sitemapindex");
    x.finish()
}

/// The Google News sitemap, or `None` when no article is recent enough.
pub fn render_news(plan: &SitemapPlan, a: &Archive, cfg: &Config) -> Option<String> {
    if plan.news.is_empty() {
        return None;
    }
    let language = news_language(&cfg.language);
    let mut x = Xml::document();
    x.open("urlset", &[("xmlns", NS), ("xmlns:news", NEWS_NS)]);
    for &i in &plan.news {
        let e = &a.entries[i as usize];
        x.open("url", &[]);
        x.text("loc", &[], &cfg.absolute(&e.url));
        x.open("news:news", &[]);
        x.open("news:publication", &[]);
        x.text("news:name", &[], &cfg.publisher.name);
        x.text("news:language", &[], &language);
        x.close("news:publication");
        if let Some(d) = e.local_date {
            x.text("news:publication_date", &[], &d.to_rfc3339());
        }
        x.text("news:title", &[], &e.article.title);
        x.close("news:news");
        x.close("url");
    }
    x.close("urlset");
    Some(x.finish())
}

/// robots.txt: everything may be crawled; the sitemap index is named.
pub fn robots(cfg: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        cfg.absolute(&format!("/{INDEX}"))
    )
}

/// The articles published in the two days up to `now`, newest first.
pub fn news_articles(a: &Archive, now: DateTime<FixedOffset>) -> Vec<u32> {
    let since = now - Duration::days(2);
    (0..a.entries.len() as u32)
        .rev()
        .filter(|&i| {
            a.entries[i as usize]
                .local_date
                .is_some_and(|d| d > since && d <= now)
        })
        .take(MAX_NEWS)
        .collect()
}

/// The language code the news schema accepts (`zh-cn`, `zh-tw` or two or three
/// letters) from a BCP 47 tag such as `en-GB` or `zh-Hant-TW`.
pub fn news_language(tag: &str) -> String {
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    if primary == "zh" {
        let rest: Vec<&str> = parts.collect();
        let traditional = rest
            .iter()
            .any(|p| matches!(*p, "tw" | "hk" | "mo" | "hant"));
        return if traditional { "zh-tw" } else { "zh-cn" }.into();
    }
    primary.to_string()
}

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// One `<url>` element.
fn url_element(loc: &str, lastmod: Option<DateTime<FixedOffset>>) -> String {
    match lastmod {
        Some(d) => format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape(loc),
            d.to_rfc3339()
        ),
        None => format!("<url><loc>{}</loc></url>\n", escape(loc)),
    }
}

/// The length of `url_element(base_url + path, lastmod)` less the escaped
/// base URL's, without making it.
fn url_element_len(path: &str, lastmod: Option<DateTime<FixedOffset>>) -> usize {
    let frame = "<url><loc></loc></url>\n".len();
    let date = lastmod.map_or(0, |d| "<lastmod></lastmod>".len() + rfc3339_len(d));
    // Most paths are plain ASCII that escaping leaves as they are.
    let plain = path
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'<' | b'>' | b'&' | b'\'' | b'"'));
    let loc = if plain {
        path.len()
    } else {
        escape(path).len()
    };
    frame + loc + date
}

/// The length of `d.to_rfc3339()`: `YYYY-MM-DDTHH:MM:SS`, the fraction
/// chrono prints (none, or 3, 6 or 9 digits), `+HH:MM`.
fn rfc3339_len(d: DateTime<FixedOffset>) -> usize {
    if !(0..=9999).contains(&d.year()) {
        return d.to_rfc3339().len();
    }
    let nanos = d.timestamp_subsec_nanos() % 1_000_000_000;
    let fraction = if nanos == 0 {
        0
    } else if nanos.is_multiple_of(1_000_000) {
        4
    } else if nanos.is_multiple_of(1_000) {
        7
    } else {
        10
    };
    "YYYY-MM-DDTHH:MM:SS".len() + fraction + "+HH:MM".len()
}

/// Splits a run of URLs into files within the limits: `STEM.xml`, then
/// `STEM-p2.xml`, ... so a growing run never renames its first file.
fn chunk(stem: &str, urls: Vec<(SitemapUrl, usize)>, limits: Limits) -> Vec<SitemapFile> {
    let frame = URLSET_OPEN.len() + URLSET_CLOSE.len();
    let mut files: Vec<SitemapFile> = Vec::new();
    let mut bytes = frame;
    for (url, size) in urls {
        let full = files
            .last()
            .is_none_or(|f| f.urls.len() >= limits.max_urls || bytes + size > limits.max_bytes);
        if full {
            let n = files.len() + 1;
            files.push(SitemapFile {
                path: if n == 1 {
                    format!("sitemaps/{stem}.xml")
                } else {
                    format!("sitemaps/{stem}-p{n}.xml")
                },
                urls: Vec::new(),
            });
            bytes = frame;
        }
        bytes += size;
        if let Some(f) = files.last_mut() {
            f.urls.push(url);
        }
    }
    files
}

enum Place {
    Pages,
    /// Year and month.
    Year(i32, u32),
}

/// Which file group a page belongs to and its `lastmod`; `None` for pages
/// that stay out of sitemaps.
/// `modified` holds `Entry::modified` of every entry.
fn place(
    page: &PlannedPage,
    a: &Archive,
    cfg: &Config,
    modified: &[Option<DateTime<FixedOffset>>],
    newest: Option<DateTime<FixedOffset>>,
) -> Option<(Place, Option<DateTime<FixedOffset>>)> {
    match page.kind {
        PageKind::Article(i) => {
            let e = &a.entries[i as usize];
            let place = match e.local_date {
                Some(d) => Place::Year(d.year(), d.month()),
                None => Place::Pages,
            };
            Some((place, modified[i as usize]))
        }
        PageKind::List(list, no) => {
            let pager = list.pager(a, cfg.paginate_by);
            let range = match no {
                PageNo::First => pager.first_range(),
                PageNo::Numbered(n) => pager.range(n),
            };
            let shown = range.map(|p| list.at(a, p) as usize);
            let lastmod = shown.clone().filter_map(|i| modified[i]).max();
            let place = match list {
                ListId::Year(..) | ListId::Month(..) | ListId::Day(..) => {
                    match shown.filter_map(|i| a.entries[i].local_date).max() {
                        Some(d) => Place::Year(d.year(), d.month()),
                        None => Place::Pages,
                    }
                }
                _ => Place::Pages,
            };
            Some((place, lastmod))
        }
        PageKind::TermIndex(_) | PageKind::ArchiveIndex => Some((Place::Pages, newest)),
        PageKind::NotFound | PageKind::Search => None,
    }
}

#[cfg(test)]
mod tests;
