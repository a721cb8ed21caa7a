//! View structs: what templates see. Built from the archive index; templates
//! never see domain types, so the index can change without breaking themes.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, FixedOffset};
use serde::Serialize;

use crate::archive::{Archive, Entry, Taxonomy, section_label};
use crate::article::media::local_target;
use crate::article::slug::slugify;
use crate::config::Config;
use crate::media::html::Responsive;
use crate::media::photo::Layout;
use std::sync::Arc;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    pub publisher: &'a str,
    pub extra: &'a toml::Table,
    /// Present when `[search]` is enabled.
    pub search: Option<SearchView<'a>>,
}

/// What the search box and page need.
#[derive(Serialize)]
pub struct SearchView<'a> {
    /// The search page, `/search/`.
    pub url: &'static str,
    /// The client script, loaded on focus.
    pub script: &'static str,
    /// `[search] fallback_url`: where the form goes without JavaScript.
    pub fallback: &'a str,
}

impl<'a> SiteView<'a> {
    pub fn new(cfg: &'a Config) -> Self {
        SiteView {
            title: &cfg.title,
            description: &cfg.description,
            base_url: &cfg.base_url,
            language: &cfg.language,
            publisher: &cfg.publisher.name,
            extra: &cfg.extra,
            search: cfg.search.enabled.then_some(SearchView {
                url: crate::search::PAGE_URL,
                script: crate::search::SCRIPT_URL,
                fallback: &cfg.search.fallback_url,
            }),
        }
    }
}

/// A link with a label, and a count where it lists something.
#[derive(Serialize, Clone)]
pub struct LinkView {
    pub name: String,
    pub url: String,
    pub count: Option<usize>,
}

/// A `LinkView` that borrows its text (templates see the same fields).
#[derive(Serialize)]
pub struct LinkRef<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub count: Option<usize>,
}

/// A date in three forms: machine, human, and its parts.
#[derive(Serialize)]
pub struct DateView {
    /// RFC 3339, for `<time datetime>`.
    pub iso: String,
    /// `2 February 2013`.
    pub display: String,
    pub year: String,
    pub month: String,
    pub day: String,
}

impl DateView {
    pub fn new(d: DateTime<FixedOffset>) -> Self {
        let (year, month, day) = (d.year(), d.month(), d.day());
        // Formatted by hand: chrono's `format` parses its pattern on every call,
        // and every card on every list page has a date.
        let year_text = if (0..=9999).contains(&year) {
            format!("{year:04}")
        } else {
            d.format("%Y").to_string()
        };
        DateView {
            iso: d.to_rfc3339(),
            display: format!("{day} {} {year_text}", MONTH_NAMES[month as usize - 1]),
            year: year_text,
            month: format!("{month:02}"),
            day: format!("{day:02}"),
        }
    }
}

pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// An article as list pages show it (no body).
#[derive(Serialize)]
pub struct CardView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    pub section: Option<LinkView>,
    pub tags: Vec<LinkView>,
    pub authors: Vec<LinkView>,
    pub summary: &'a str,
    pub description: &'a str,
    pub dateline: Option<&'a str>,
    pub credit: Option<&'a str>,
    /// The agency (from wire copy's credit, dateline or byline), linked to its page.
    pub agency: Option<LinkView>,
    pub image: Option<&'a str>,
    /// `image` as a site path or absolute URL (a relative one is relative
    /// to the article's page, which fronts and lists are not).
    pub image_url: Option<String>,
    /// The lead image with its alt text, caption and credit, as shown.
    pub lead_image: Option<ImageView<'a>>,
    pub word_count: usize,
    /// Minutes at 230 words a minute, at least 1.
    pub reading_time: usize,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

impl<'a> CardView<'a> {
    /// `photos`: the photos the article carries (`media::Media::photos`).
    pub fn new(e: &'a Entry, cfg: &'a Config, photos: &[(String, Arc<Layout>)]) -> Self {
        let a = &e.article;
        let link = |t: Taxonomy, name: &String| {
            let slug = slugify(name);
            (!slug.is_empty()).then(|| LinkView {
                name: match t {
                    Taxonomy::Sections => section_label(name).into_owned(),
                    _ => name.clone(),
                },
                url: Archive::term_url(t, &slug),
                count: None,
            })
        };
        let links = |t: Taxonomy, names: &[String]| -> Vec<LinkView> {
            names.iter().filter_map(|n| link(t, n)).collect()
        };
        let updated = a
            .updated
            .map(|u| u.with_timezone(&cfg.timezone).fixed_offset());
        CardView {
            title: &a.title,
            url: &e.url,
            permalink: cfg.absolute(&e.url),
            date: e.local_date.map(DateView::new),
            updated: updated.map(DateView::new),
            section: link(Taxonomy::Sections, &a.section),
            tags: links(Taxonomy::Tags, &a.tags),
            authors: links(Taxonomy::Authors, &a.authors),
            summary: &a.summary,
            description: &a.description,
            dateline: a.dateline.as_deref(),
            credit: a.credit.as_deref(),
            agency: a.agency.as_ref().and_then(|n| link(Taxonomy::Sources, n)),
            image: a.image.as_deref(),
            image_url: a.image.as_deref().map(|i| from_page(&e.url, i)),
            lead_image: a
                .image
                .as_deref()
                .map(|i| ImageView::lead(e, i, photos, cfg)),
            word_count: a.word_count,
            reading_time: a.word_count.div_ceil(230).max(1),
            extra: &a.extra,
        }
    }
}

/// An image as templates show it (`partials/image.html`).
#[derive(Serialize)]
pub struct ImageView<'a> {
    /// As a site path or absolute URL: for a photo the site carries, its
    /// widest variant in its own format.
    pub src: String,
    /// For a photo the site carries: its variants (`srcset`), the same in
    /// WebP (`webp_srcset`, empty for a WebP photo), the `sizes` to use, and
    /// the size of `src`; `None` for other images.
    pub srcset: Option<String>,
    pub webp_srcset: Option<String>,
    pub sizes: Option<&'a str>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Empty when none was given.
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    /// A caption with links, sanitised HTML (`image_figcaption`).
    pub caption_html: Option<&'a str>,
    pub credit: Option<&'a str>,
}

impl<'a> ImageView<'a> {
    fn lead(e: &'a Entry, image: &str, photos: &[(String, Arc<Layout>)], cfg: &'a Config) -> Self {
        let meta = e.article.image_meta.as_deref();
        let photo = local_target(image)
            .and_then(|t| photos.iter().find(|(target, _)| *target == t))
            .map(|(t, layout)| Responsive::new(&from_page(&e.url, t), layout));
        let sized = photo.is_some();
        let (src, srcset, webp_srcset, width, height) = match photo {
            Some(r) => (
                r.src,
                Some(r.srcset),
                Some(r.webp_srcset),
                Some(r.width),
                Some(r.height),
            ),
            None => (from_page(&e.url, image), None, None, None, None),
        };
        ImageView {
            src,
            srcset,
            webp_srcset,
            sizes: sized.then_some(cfg.images.sizes.as_str()),
            width,
            height,
            alt: meta.and_then(|m| m.alt.as_deref()).unwrap_or(""),
            caption: meta.and_then(|m| m.caption.as_deref()),
            caption_html: meta.and_then(|m| m.figcaption_html.as_deref()),
            credit: meta.and_then(|m| m.credit.as_deref()),
        }
    }
}

/// An article as a headline link (related stories).
#[derive(Serialize)]
pub struct TeaserView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<DateView>,
    pub section: Option<Cow<'a, str>>,
}

impl<'a> TeaserView<'a> {
    pub fn new(e: &'a Entry, _cfg: &Config) -> Self {
        let section = &e.article.section;
        TeaserView {
            title: &e.article.title,
            url: &e.url,
            date: e.local_date.map(DateView::new),
            section: (!section.is_empty()).then(|| section_label(section)),
        }
    }
}

/// A link written on the page at `page_url` as a link any page can use:
/// URLs with a scheme and site paths stay, `photo.jpg` becomes
/// `<page_url>photo.jpg`.
fn from_page(page_url: &str, href: &str) -> String {
    let has_scheme = href
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if has_scheme || href.starts_with('/') {
        href.to_string()
    } else {
        format!("{page_url}{href}")
    }
}

/// What every page knows about itself.
#[derive(Serialize)]
pub struct PageView<'a> {
    /// `article`, `home`, `tag`, `author`, `section`, `year`, `month`, `day`,
    /// `undated`, `tags`, `authors`, `sections`, `archive`, `404`.
    pub kind: &'static str,
    pub url: &'a str,
    pub permalink: String,
    pub title: Cow<'a, str>,
    pub description: &'a str,
    /// Open Graph type: `article` on article pages, else `website`.
    pub og_type: &'static str,
    /// The feeds this page offers for autodiscovery (home: the site's; a tag,
    /// author or section list: its own).
    pub feeds: Vec<FeedLinkView>,
}

/// A `<link rel="alternate">` to a feed.
#[derive(Serialize)]
pub struct FeedLinkView {
    pub title: String,
    /// Site path, e.g. `/tags/flooding/atom.xml`.
    pub url: String,
    /// `application/atom+xml` or `application/rss+xml`.
    pub mime: &'static str,
}

/// Links between the pages of one list. There is deliberately no page count:
/// numbered pages count from the oldest so that new articles leave them as
/// they are, and a count on every page would change all of them whenever a
/// list gains a page (one article in `paginate_by`), so that a rebuild would
/// rewrite, and a deploy upload, every page of the home list and of each
/// growing term.
#[derive(Serialize)]
pub struct PaginationView {
    /// 0 at the list's first URL, else the page number (1 = oldest).
    pub current: usize,
    pub first_url: String,
    pub newer_url: Option<String>,
    pub older_url: Option<String>,
}

/// A period archive's place among its neighbours.
#[derive(Serialize)]
pub struct PeriodView {
    /// `year`, `month` or `day`.
    pub kind: &'static str,
    pub label: String,
    pub previous: Option<LinkView>,
    pub next: Option<LinkView>,
    /// Months of a year, days of a month.
    pub children: Vec<LinkView>,
    /// Month grids: each month of a year, a month's own, a day's month.
    pub calendars: Vec<CalendarView>,
    /// A day page's calendar day across the years (`/on-this-day/MM-DD/`).
    pub on_this_day: Option<LinkView>,
}

/// A year in the `/archive/` page.
#[derive(Serialize)]
pub struct YearView {
    pub year: i32,
    pub url: String,
    pub count: usize,
    pub months: Vec<LinkView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_as_chrono_would_format_them() {
        for s in [
            "2013-02-02T10:00:00+01:00",
            "1969-07-20T20:17:00-04:00",
            "0800-12-25T00:00:00+00:00",
            "2024-11-09T23:59:59+00:00",
        ] {
            let d = DateTime::parse_from_rfc3339(s).expect("valid");
            let v = DateView::new(d);
            assert_eq!(v.display, d.format("%-d %B %Y").to_string(), "{s}");
            assert_eq!(
                (v.year, v.month, v.day),
                (
                    d.format("%Y").to_string(),
                    d.format("%m").to_string(),
                    d.format("%d").to_string()
                ),
                "{s}"
            );
        }
    }
}

/// One month as a grid of weeks (Monday first).
#[derive(Serialize)]
pub struct CalendarView {
    /// `February 2013`.
    pub caption: String,
    /// The month's archive page.
    pub url: String,
    /// Rows of seven cells; `None` pads the days outside the month.
    pub weeks: Vec<Vec<Option<CellView>>>,
    /// The nearest earlier and later months that have stories.
    pub previous: Option<LinkView>,
    pub next: Option<LinkView>,
}

/// A day of a calendar month.
#[derive(Serialize)]
pub struct CellView {
    pub day: u32,
    /// The day's archive page, when it has stories.
    pub url: Option<String>,
    pub count: usize,
    /// The day the page is about.
    pub current: bool,
}
