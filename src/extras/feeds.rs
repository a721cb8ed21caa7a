//! Atom 1.0 and RSS 2.0 feeds for the whole site and for every tag, author and
//! section: the newest `[feeds] limit` dated articles of each list, newest
//! first, with summaries or (with `full_text`) whole bodies.
//!
//! Pure: bodies come through a callback the build passes, and the feed text
//! goes back to the caller; no file I/O, no templates. Nothing in a feed
//! depends on the clock except the `updated` date of a feed with no entries,
//! so unchanged lists give byte-identical feeds.
//!
//! Entry ids are tag URIs (RFC 4151) made of the site's host, the publication
//! day and the article's path (`tag:news.example,2013-02-02:/2013/02/02/lavrov/`):
//! the same across builds, the same in the Atom and the RSS feed, and not
//! changed by moving the site from http to https.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use crate::archive::{Archive, Entry, Taxonomy};
use crate::article::slug::{has_slug, slugify};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::digest::Digest;
use crate::extras::xml::{Escaped, Xml};
use crate::plan::ListId;

pub use crate::output::BodyFn;

/// The two feed formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Atom,
    Rss,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 2] = [FeedFormat::Atom, FeedFormat::Rss];

    /// The file name in the list's folder.
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
        }
    }

    /// The name readers know it by.
    pub fn label(self) -> &'static str {
        match self {
            FeedFormat::Atom => "Atom",
            FeedFormat::Rss => "RSS",
        }
    }

    /// The media type, for `<link rel="alternate" type>`.
    pub fn mime(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Rss => "application/rss+xml",
        }
    }
}

/// The lists that have feeds: the home list (the whole site) and every term.
pub fn lists(a: &Archive) -> Vec<ListId> {
    let mut lists = vec![ListId::Home];
    for t in Taxonomy::ALL {
        lists.extend((0..a.terms(t).len()).map(|i| ListId::Term(t, i)));
    }
    lists
}

/// The site path of a list's feed (`/atom.xml`, `/tags/flooding/rss.xml`), or
/// `None` for lists without feeds (period archives, undated).
pub fn feed_url(list: ListId, a: &Archive, format: FeedFormat) -> Option<String> {
    match list {
        ListId::Home | ListId::Term(..) => {
            let mut url = String::with_capacity(48);
            list.push_base_url(a, &mut url);
            url.push_str(format.file_name());
            Some(url)
        }
        _ => None,
    }
}

/// The title of a list's feeds.
pub fn feed_title(list: ListId, a: &Archive, cfg: &Config) -> String {
    match list {
        ListId::Term(t, i) => format!("{}: {}", cfg.title, a.terms(t)[i].name),
        _ => cfg.title.clone(),
    }
}

/// The entries of a list's feeds: its newest `limit` dated articles, newest first.
pub fn entries(list: ListId, a: &Archive, limit: usize) -> Vec<u32> {
    (0..list.len(a))
        .rev()
        .map(|pos| list.at(a, pos))
        .filter(|&i| a.entries[i as usize].local_date.is_some())
        .take(limit)
        .collect()
}

/// What a list's feeds are made from, as one digest: the config, the list's
/// title and page, and the digest of each article they show (which covers its
/// metadata, URL and source bytes, so bodies too). An empty feed also shows the
/// archive's newest change. `digests` are `render::Renderer::digests` entries.
pub fn fingerprint(
    list: ListId,
    a: &Archive,
    cfg: &Config,
    digests: &[[u8; 16]],
    newest_change: Option<DateTime<FixedOffset>>,
) -> [u8; 16] {
    let mut d = Digest::with_capacity(1024);
    d.put(concat!(env!("CARGO_PKG_VERSION"), "/feeds-1").as_bytes());
    d.put(&cfg.fingerprint);
    d.put(cfg.base_url.as_bytes());
    d.put(list.base_url(a).as_bytes());
    d.put(feed_title(list, a, cfg).as_bytes());
    if let ListId::Term(t, i) = list {
        d.put(a.terms(t)[i].name.as_bytes());
    }
    let shown = entries(list, a, cfg.feeds.limit);
    if shown.is_empty() {
        d.put(
            newest_change
                .map(|d| d.to_rfc3339())
                .unwrap_or_default()
                .as_bytes(),
        );
    }
    for i in shown {
        d.put(&digests[i as usize]);
    }
    d.finish()
}

/// A list's Atom and RSS feeds as `(site path, text)`. Bodies are fetched once
/// for both formats. `newest_change` is the archive's newest change, which an
/// empty feed shows as its `updated` date (never the clock, so a rebuild of the
/// same input is byte-identical).
pub fn render(
    list: ListId,
    a: &Archive,
    cfg: &Config,
    newest_change: Option<DateTime<FixedOffset>>,
    body: &BodyFn,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let feed = Feed::new(list, a, cfg, newest_change, body)?;
    Ok(FeedFormat::ALL
        .iter()
        .filter_map(|&f| {
            let url = feed_url(list, a, f)?;
            let text = match f {
                FeedFormat::Atom => feed.atom(&cfg.absolute(&url)),
                FeedFormat::Rss => feed.rss(&cfg.absolute(&url)),
            };
            Some((url, text))
        })
        .collect())
}

/// What both formats say, gathered once.
struct Feed<'a> {
    cfg: &'a Config,
    title: String,
    description: String,
    page: String,
    updated: DateTime<FixedOffset>,
    items: Vec<Item<'a>>,
}

struct Item<'a> {
    title: &'a str,
    link: String,
    id: String,
    published: DateTime<FixedOffset>,
    updated: DateTime<FixedOffset>,
    /// Names and absolute author-page URLs (a wire story's agency has no page).
    authors: Vec<(String, Option<String>)>,
    /// Taxonomy page URL (absolute) and term name.
    categories: Vec<(String, &'a str)>,
    /// Escaped once for both formats.
    summary: Escaped,
    content: Option<Escaped>,
}

impl<'a> Feed<'a> {
    fn new(
        list: ListId,
        a: &'a Archive,
        cfg: &'a Config,
        newest_change: Option<DateTime<FixedOffset>>,
        body: &BodyFn,
    ) -> Result<Feed<'a>, Diagnostic> {
        let items = entries(list, a, cfg.feeds.limit)
            .into_iter()
            .map(|i| Item::new(i, &a.entries[i as usize], cfg, body))
            .collect::<Result<Vec<_>, _>>()?;
        // An empty feed (a list of undated articles) takes the archive's
        // newest change.
        let updated = items
            .iter()
            .map(|i| i.updated)
            .max()
            .or(newest_change)
            .unwrap_or_default();
        let title = feed_title(list, a, cfg);
        let description = match list {
            ListId::Term(t, i) => format!("{} articles: {}", cfg.title, a.terms(t)[i].name),
            _ if !cfg.description.is_empty() => cfg.description.clone(),
            _ => cfg.title.clone(),
        };
        Ok(Feed {
            cfg,
            title,
            description,
            page: cfg.absolute(&list.base_url(a)),
            updated,
            items,
        })
    }

    fn atom(&self, self_url: &str) -> String {
        let mut x = Xml::document();
        x.open(
            "feed",
            &[
                ("xmlns", "http://www.w3.org/2005/Atom"),
                ("xml:lang", &self.cfg.language),
            ],
        );
        x.text("title", &[], &self.title);
        x.text("subtitle", &[], &self.description);
        x.empty(
            "link",
            &[
                ("rel", "self"),
                ("type", FeedFormat::Atom.mime()),
                ("href", self_url),
            ],
        );
        x.empty(
            "link",
            &[
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", &self.page),
            ],
        );
        x.text("id", &[], &self.page);
        x.text("updated", &[], &rfc3339(self.updated));
        x.open("author", &[]);
        x.text("name", &[], &self.cfg.publisher.name);
        x.text("uri", &[], &self.cfg.absolute("/"));
        x.close("author");
        x.text("generator", &[], "broadsheet");
        for item in &self.items {
            x.open("entry", &[]);
            x.text("title", &[], item.title);
            x.empty(
                "link",
                &[
                    ("rel", "alternate"),
                    ("type", "text/html"),
                    ("href", &item.link),
                ],
            );
            x.text("id", &[], &item.id);
            x.text("published", &[], &rfc3339(item.published));
            x.text("updated", &[], &rfc3339(item.updated));
            for (name, uri) in &item.authors {
                x.open("author", &[]);
                x.text("name", &[], name);
                if let Some(uri) = uri {
                    x.text("uri", &[], uri);
                }
                x.close("author");
            }
            for (scheme, term) in &item.categories {
                x.empty("category", &[("term", term), ("scheme", scheme)]);
            }
            x.escaped_text("summary", &[("type", "html")], &item.summary);
            if let Some(content) = &item.content {
                x.escaped_text("content", &[("type", "html")], content);
            }
            x.close("entry");
        }
        x.close("feed");
        x.finish()
    }

    fn rss(&self, self_url: &str) -> String {
        let mut x = Xml::document();
        x.open(
            "rss",
            &[
                ("version", "2.0"),
                ("xmlns:atom", "http://www.w3.org/2005/Atom"),
                ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
                ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
            ],
        );
        x.open("channel", &[]);
        x.text("title", &[], &self.title);
        x.text("link", &[], &self.page);
        x.text("description", &[], &self.description);
        x.text("language", &[], &self.cfg.language);
        x.text("lastBuildDate", &[], &rfc822(self.updated));
        x.text("generator", &[], "broadsheet");
        x.empty(
            "atom:link",
            &[
                ("href", self_url),
                ("rel", "self"),
                ("type", FeedFormat::Rss.mime()),
            ],
        );
        for item in &self.items {
            x.open("item", &[]);
            x.text("title", &[], item.title);
            x.text("link", &[], &item.link);
            x.text("guid", &[("isPermaLink", "false")], &item.id);
            x.text("pubDate", &[], &rfc822(item.published));
            for (name, _) in &item.authors {
                x.text("dc:creator", &[], name);
            }
            for (domain, term) in &item.categories {
                x.text("category", &[("domain", domain)], term);
            }
            x.escaped_text("description", &[], &item.summary);
            if let Some(content) = &item.content {
                x.escaped_text("content:encoded", &[], content);
            }
            x.close("item");
        }
        x.close("channel");
        x.close("rss");
        x.finish()
    }
}

impl<'a> Item<'a> {
    fn new(i: u32, e: &'a Entry, cfg: &Config, body: &BodyFn) -> Result<Item<'a>, Diagnostic> {
        let a = &e.article;
        // `entries` keeps dated articles only; the fallback is never used.
        let published = e.local_date.unwrap_or_default();
        let mut authors: Vec<(String, Option<String>)> = a
            .authors
            .iter()
            .map(|n| {
                let slug = slugify(n);
                let url = (!slug.is_empty())
                    .then(|| cfg.absolute(&Archive::term_url(Taxonomy::Authors, &slug)));
                (n.clone(), url)
            })
            .collect();
        if authors.is_empty()
            && let Some(agency) = &a.agency
        {
            authors.push((agency.clone(), None));
        }
        let scheme = |t: Taxonomy| cfg.absolute(&format!("/{}/", t.slug()));
        let mut categories = Vec::new();
        if has_slug(&a.section) {
            categories.push((scheme(Taxonomy::Sections), a.section.as_str()));
        }
        categories.extend(
            a.tags
                .iter()
                .filter(|t| has_slug(t))
                .map(|t| (scheme(Taxonomy::Tags), t.as_str())),
        );
        let content = if cfg.feeds.full_text {
            Some(Escaped::new(&absolutize(&body(i)?, cfg, &e.url)))
        } else {
            None
        };
        Ok(Item {
            title: &a.title,
            link: cfg.absolute(&e.url),
            id: entry_id(cfg, &e.url, published),
            published,
            updated: e.modified(cfg.timezone).unwrap_or(published),
            authors,
            categories,
            summary: Escaped::new(&absolutize(&a.summary, cfg, &e.url)),
            content,
        })
    }
}

/// The stable id of an article in feeds: a tag URI of the site's host, the
/// publication day and the article's path.
pub fn entry_id(cfg: &Config, url: &str, published: DateTime<FixedOffset>) -> String {
    let host = cfg
        .base_url
        .split_once("://")
        .map_or(cfg.base_url.as_str(), |(_, rest)| rest);
    let host = host.split(['/', ':']).next().unwrap_or(host);
    let (y, m, d) = (published.year(), published.month(), published.day());
    let day = if (0..=9999).contains(&y) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        published.format("%Y-%m-%d").to_string()
    };
    format!("tag:{},{day}:{url}", host.to_ascii_lowercase())
}

/// RFC 3339 as every other date in the site prints it.
fn rfc3339(d: DateTime<FixedOffset>) -> String {
    d.to_rfc3339()
}

/// RFC 822 (with a four-digit year, as RSS readers expect). Written by hand
/// because chrono's `to_rfc2822` panics on years it cannot show.
fn rfc822(d: DateTime<FixedOffset>) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // By hand for the years a feed shows (chrono's `format` parses its
    // pattern on every call, twice per item); chrono's for the rest.
    if !(0..=9999).contains(&d.year()) {
        return d.format("%a, %d %b %Y %H:%M:%S %z").to_string();
    }
    let offset = d.offset().local_minus_utc();
    let (sign, offset) = if offset < 0 {
        ('-', -offset)
    } else {
        ('+', offset)
    };
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        DAYS[d.weekday().num_days_from_monday() as usize],
        d.day(),
        MONTHS[d.month0() as usize],
        d.year(),
        d.hour(),
        d.minute(),
        d.second(),
        offset / 3600,
        offset / 60 % 60
    )
}

/// Makes the `href` and `src` links of an HTML fragment absolute, so the
/// fragment works in a feed reader, which knows nothing of the site.
pub fn absolutize(html: &str, cfg: &Config, page_url: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next = ["href=\"", "src=\""]
            .iter()
            .filter_map(|attr| rest.find(attr).map(|p| (p, attr.len())))
            .min();
        let Some((pos, len)) = next else {
            out.push_str(rest);
            return out;
        };
        let value_start = pos + len;
        out.push_str(&rest[..value_start]);
        let after = &rest[value_start..];
        let end = after.find('"').unwrap_or(after.len());
        out.push_str(&cfg.resolve(page_url, &after[..end]));
        rest = &after[end..];
    }
}

#[cfg(test)]
mod tests;
