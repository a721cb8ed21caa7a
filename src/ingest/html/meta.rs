//! A page's metadata, each field taken from the most trusted place that has
//! it, and the place recorded: JSON-LD, then Open Graph and `article:*`
//! properties, then `<meta name>` (author, date, Dublin Core, keywords) and
//! microdata (`itemprop`), then `<time datetime>` near the headline, the
//! `<title>` without the site's name, the main `<h1>`, and last the visible
//! byline and date lines read as wire copy's header lines are.

use super::dom::{Dom, Node};
use super::jsonld::{self, JsonLdArticle};
use crate::ingest::wire::{WireOptions, parse_wire};

/// Where a field was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    JsonLd,
    OpenGraph,
    Meta,
    Microdata,
    Link,
    Time,
    Title,
    H1,
    Byline,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::JsonLd => "json-ld",
            Source::OpenGraph => "open-graph",
            Source::Meta => "meta",
            Source::Microdata => "microdata",
            Source::Link => "link",
            Source::Time => "time",
            Source::Title => "title",
            Source::H1 => "h1",
            Source::Byline => "byline",
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    pub value: T,
    pub source: Source,
}

/// Everything the page says about itself. Dates are text as written (the
/// caller reads them); lists are never empty when present.
#[derive(Debug, Default, Clone)]
pub struct PageMeta {
    pub headline: Option<Found<String>>,
    pub date: Option<Found<String>>,
    pub updated: Option<Found<String>>,
    pub authors: Option<Found<Vec<String>>>,
    pub section: Option<Found<String>>,
    pub tags: Option<Found<Vec<String>>>,
    pub description: Option<Found<String>>,
    pub image: Option<Found<String>>,
    pub canonical: Option<Found<String>>,
    pub dateline: Option<String>,
    /// The page calls itself an article (JSON-LD type or `og:type`).
    pub article_typed: bool,
    /// `og:type` when it is something else (`website`).
    pub other_type: Option<String>,
    /// JSON-LD `articleBody`, a hint for the extractor.
    pub body_hint: Option<String>,
}

/// Reads the metadata of a parsed page.
pub fn read(dom: &Dom, wire: &WireOptions) -> PageMeta {
    let ld = jsonld::article(
        dom.all("script")
            .filter(|&i| {
                dom.nodes[i]
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
            })
            .map(|i| script_text(dom, i)),
    );
    let tags = MetaTags::collect(dom);
    let ld = ld.unwrap_or_default();
    let og_type = tags.get(&["og:type"]).map(|t| t.to_ascii_lowercase());
    let mut meta = PageMeta {
        article_typed: ld != JsonLdArticle::default()
            || og_type.as_deref().is_some_and(|t| t.contains("article")),
        other_type: og_type.filter(|t| !t.contains("article")),
        body_hint: ld.body.clone(),
        ..PageMeta::default()
    };
    fields(dom, &ld, &tags, &mut meta);
    visible_header(dom, wire, &mut meta);
    meta
}

fn fields(dom: &Dom, ld: &JsonLdArticle, tags: &MetaTags, m: &mut PageMeta) {
    use Source::*;
    let site = tags.get(&["og:site_name", "application-name"]);
    m.headline = first([
        (ld.headline.clone(), JsonLd),
        (tags.get(&["og:title"]), OpenGraph),
        (
            tags.get(&["dc.title", "dcterms.title", "twitter:title", "title"]),
            Meta,
        ),
        (microdata(dom, "headline"), Microdata),
        (title_without_site(dom, site.as_deref()), Title),
        (main_h1(dom).map(|h| dom.text_of(h)), H1),
    ]);
    m.date = first([
        (ld.date.clone(), JsonLd),
        (
            tags.get(&["article:published_time", "og:published_time"]),
            OpenGraph,
        ),
        (tags.get(DATE_NAMES), Meta),
        (microdata(dom, "datepublished"), Microdata),
        (time_near_headline(dom), Time),
    ]);
    m.updated = first([
        (ld.updated.clone(), JsonLd),
        (
            tags.get(&["article:modified_time", "og:updated_time"]),
            OpenGraph,
        ),
        (tags.get(UPDATED_NAMES), Meta),
        (microdata(dom, "datemodified"), Microdata),
    ]);
    m.authors = first([
        (Some(ld.authors.clone()), JsonLd),
        (Some(people(tags.all("article:author"))), OpenGraph),
        (Some(people(tags.all_of(AUTHOR_NAMES))), Meta),
        (microdata(dom, "author").map(|a| people(vec![a])), Microdata),
    ]);
    m.section = first([
        (ld.section.clone(), JsonLd),
        (tags.get(&["article:section"]), OpenGraph),
        (tags.get(&["section", "parsely-section", "category"]), Meta),
    ]);
    m.tags = first([
        (Some(ld.tags.clone()), JsonLd),
        (Some(tags.all("article:tag")), OpenGraph),
        (
            tags.get(&["news_keywords", "keywords"])
                .map(|k| split_list(&k)),
            Meta,
        ),
    ]);
    m.description = first([
        (ld.description.clone(), JsonLd),
        (tags.get(&["og:description"]), OpenGraph),
        (
            tags.get(&["description", "twitter:description", "dc.description"]),
            Meta,
        ),
    ]);
    m.image = first([
        (ld.image.clone(), JsonLd),
        (
            tags.get(&["og:image", "og:image:url", "og:image:secure_url"]),
            OpenGraph,
        ),
        (tags.get(&["twitter:image", "twitter:image:src"]), Meta),
    ]);
    m.canonical = first([
        (link_href(dom, "canonical"), Link),
        (tags.get(&["og:url"]), OpenGraph),
        (ld.url.clone(), JsonLd),
    ]);
}

const DATE_NAMES: &[&str] = &[
    "article:published",
    "article.published",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "datepublished",
    "originalpublicationdate",
];

const UPDATED_NAMES: &[&str] = &[
    "article.updated",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
    "datemodified",
];

const AUTHOR_NAMES: &[&str] = &[
    "author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "article.author",
];

/// The first candidate that has a (non-empty) value.
fn first<T: HasContent, const N: usize>(cands: [(Option<T>, Source); N]) -> Option<Found<T>> {
    cands.into_iter().find_map(|(v, source)| {
        v.filter(HasContent::has_content)
            .map(|value| Found { value, source })
    })
}

trait HasContent {
    fn has_content(&self) -> bool;
}
impl HasContent for String {
    fn has_content(&self) -> bool {
        !self.trim().is_empty()
    }
}
impl HasContent for Vec<String> {
    fn has_content(&self) -> bool {
        !self.is_empty()
    }
}

/// The `<meta>` elements: key (`property`, `name` or `itemprop`, lower
/// case) and `content`.
struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    fn collect(dom: &Dom) -> MetaTags {
        let pairs = dom
            .all("meta")
            .filter_map(|i| {
                let n = &dom.nodes[i];
                let key = n
                    .attr("property")
                    .or(n.attr("name"))
                    .or(n.attr("itemprop"))?;
                let value = n.attr("content")?.trim();
                (!value.is_empty()).then(|| (key.trim().to_ascii_lowercase(), value.to_string()))
            })
            .collect();
        MetaTags(pairs)
    }

    /// The first value under any of `keys`, in the order of `keys`.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|k| self.0.iter().find(|(key, _)| key == k))
            .map(|(_, v)| v.clone())
    }

    fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn all_of(&self, keys: &[&str]) -> Vec<String> {
        keys.iter()
            .map(|k| self.all(k))
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    }
}

/// Names from author fields: `By A and B`, `A, B`; profile URLs left out.
fn people(values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let v = v.trim();
        let v = v
            .strip_prefix("By ")
            .or_else(|| v.strip_prefix("by "))
            .or_else(|| v.strip_prefix("BY "))
            .unwrap_or(v);
        for name in v.split([',', ';', '&', '|']).flat_map(|p| p.split(" and ")) {
            let name = name.trim();
            let usable = !name.is_empty() && !name.contains("://") && !name.starts_with('@');
            if usable && !out.iter().any(|o| o == name) {
                out.push(name.to_string());
            }
        }
    }
    out
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The raw text of a `<script>`.
fn script_text(dom: &Dom, i: usize) -> &str {
    dom.children(i)
        .find(|&c| dom.nodes[c].is_text())
        .map_or("", |c| &*dom.nodes[c].text)
}

/// The value of the first element with `itemprop` = `prop` (its
/// `content` or `datetime`, else its text).
fn microdata(dom: &Dom, prop: &str) -> Option<String> {
    let i = (0..dom.nodes.len()).find(|&i| {
        dom.nodes[i]
            .attr("itemprop")
            .is_some_and(|p| p.split_whitespace().any(|w| w.eq_ignore_ascii_case(prop)))
            && dom.nodes[i].name.as_ref() != "meta"
    })?;
    let n = &dom.nodes[i];
    if let Some(v) = n.attr("content").or(n.attr("datetime")) {
        return Some(v.trim().to_string());
    }
    // An author's name is usually a nested `itemprop="name"`.
    let named = (i + 1..n.end).find(|&k| dom.nodes[k].attr("itemprop") == Some("name"));
    Some(dom.text_of(named.unwrap_or(i))).filter(|t| t.chars().count() <= 200)
}

/// `<link rel=...>`'s `href`.
fn link_href(dom: &Dom, rel: &str) -> Option<String> {
    dom.all("link")
        .find(|&i| {
            dom.nodes[i]
                .attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case(rel)))
        })
        .and_then(|i| dom.nodes[i].attr("href"))
        .map(|h| h.trim().to_string())
}

/// The page's main `<h1>`: the first inside `<article>` or `<main>`, else
/// the first.
pub fn main_h1(dom: &Dom) -> Option<usize> {
    let container = dom.find("article").or_else(|| dom.find("main"));
    container
        .and_then(|c| dom.all("h1").find(|&h| dom.within(h, c)))
        .or_else(|| dom.find("h1"))
}

/// The first `<time datetime>` after the main headline, else the first.
fn time_near_headline(dom: &Dom) -> Option<String> {
    let h1 = main_h1(dom).unwrap_or(0);
    let datetime = |i: usize| dom.nodes[i].attr("datetime").map(|d| d.trim().to_string());
    dom.all("time")
        .filter(|&i| i > h1)
        .find_map(datetime)
        .or_else(|| dom.all("time").find_map(datetime))
}

/// `<title>` without the site's name: the site name removed when the page
/// gives it, else the longest part between separators (` | `, ` - `...).
fn title_without_site(dom: &Dom, site: Option<&str>) -> Option<String> {
    let title = dom.text_of(dom.find("title")?);
    if let Some(site) = site.filter(|s| !s.is_empty()) {
        for sep in SEPARATORS {
            if let Some(rest) = title.strip_suffix(&format!("{sep}{site}")) {
                return Some(rest.trim().to_string());
            }
            if let Some(rest) = title.strip_prefix(&format!("{site}{sep}")) {
                return Some(rest.trim().to_string());
            }
        }
    }
    let parts = SEPARATORS
        .iter()
        .map(|sep| title.split(sep).collect::<Vec<_>>())
        .find(|p| p.len() > 1);
    match parts {
        Some(parts) => parts
            .into_iter()
            .max_by_key(|p| p.chars().count())
            .map(|p| p.trim().to_string()),
        None => Some(title),
    }
}

const SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", " · "];

/// Visible byline and date lines (elements named like bylines, authors or
/// dates, and `<time>` text), read as wire copy's header lines: fills the
/// date, authors and dateline that markup did not give.
fn visible_header(dom: &Dom, wire: &WireOptions, m: &mut PageMeta) {
    let headline = m.headline.as_ref().map_or("Headline", |h| h.value.as_str());
    for line in header_lines(dom) {
        let doc = parse_wire(&format!("{headline}\n{line}\n\nBody.\n"), wire);
        if m.date.is_none() && doc.date.is_some() {
            m.date = Some(Found {
                value: line.clone(),
                source: Source::Byline,
            });
        }
        if m.authors.is_none() && !doc.authors.is_empty() {
            m.authors = Some(Found {
                value: doc.authors,
                source: Source::Byline,
            });
        }
        if m.dateline.is_none() {
            m.dateline = doc.dateline;
        }
    }
}

/// Short texts of elements whose names say byline, author, date or time.
fn header_lines(dom: &Dom) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.is_text() || !(n.name.as_ref() == "time" || names_header(n)) {
            continue;
        }
        let text = dom.text_of(i);
        if !text.is_empty() && text.chars().count() <= 160 && !lines.contains(&text) {
            lines.push(text);
        }
        if lines.len() >= 12 {
            break;
        }
    }
    lines
}

fn names_header(n: &Node) -> bool {
    let names = format!(
        "{} {}",
        n.attr("class").unwrap_or(""),
        n.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase();
    ["byline", "author", "date", "time", "published", "posted"]
        .iter()
        .any(|w| names.contains(w))
}
