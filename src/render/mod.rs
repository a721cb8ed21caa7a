//! Rendering with tera: compiles the theme once, turns a planned page into HTML,
//! and fingerprints a planned page without rendering it. The only module that
//! knows tera. No file I/O here beyond theme discovery in `theme`: bodies are
//! handed in by the caller.
//!
//! A page is a pure function of its templates and its context, so one function
//! (`fill`) describes every page's context, and feeds either a tera context (to
//! render) or a hasher (to fingerprint). The two can never drift apart.

pub mod deps;
mod lists;
pub mod meta;
mod period;
pub mod relative;
pub mod shortcodes;
mod sink;
pub mod views;

use std::borrow::Cow;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use tera::{Kwargs, State, Tera, TeraResult};

use crate::archive::Archive;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::media::Media;
use crate::plan::{ListId, PageKind, PlannedPage};
use period::{month_link, period_label, period_view};
use sink::{ContextSink, HashSink, Sink};
use views::{DateView, LinkRef, LinkView, PageView, YearView};

pub use sink::CardCache;

use crate::theme::ThemeFiles;

/// A page's fingerprint: equal fingerprints render to equal bytes.
pub type Fingerprint = [u8; 16];

/// What an article page is made from besides the index: its body and the
/// photos its article carries.
#[derive(Clone, Copy)]
pub struct PageInput<'a> {
    /// The article's HTML, for article pages.
    pub body: Option<&'a str>,
    pub media: &'a Media,
}

/// See `Renderer::digests`.
pub struct Digests {
    /// Per article (index into the entries).
    pub entries: Vec<[u8; 16]>,
    /// Per year, month and day list: its period view.
    pub periods: ahash::AHashMap<ListId, [u8; 16]>,
}

/// Compiled templates plus the fingerprints of their text.
pub struct Renderer {
    tera: Tera,
    /// blake3 over every template's name and text.
    pub fingerprint: [u8; 32],
    /// Per template: blake3 over its own text and every template it may pull in
    /// (extends, include, import), so editing `article.html` leaves list pages alone.
    /// (aHash: looked up for every page of every build.)
    template_fingerprints: ahash::AHashMap<String, [u8; 32]>,
    /// Per template: the file it came from, for error messages.
    sources: ahash::AHashMap<String, std::path::PathBuf>,
    /// Digest of the fingerprinted asset names every page links to.
    assets: [u8; 16],
    /// The build's date (month, day) in the site's zone: the home page links
    /// to that calendar day's "on this day" page. `None`: no such link.
    pub today: Option<(u32, u32)>,
}

/// The page kinds `--timings` reports separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KindGroup {
    Article,
    Home,
    Term,
    Period,
    Other,
}

impl KindGroup {
    pub const ALL: [KindGroup; 5] = [
        KindGroup::Article,
        KindGroup::Home,
        KindGroup::Term,
        KindGroup::Period,
        KindGroup::Other,
    ];

    pub fn of(kind: &PageKind) -> KindGroup {
        match kind {
            PageKind::Article(_) => KindGroup::Article,
            PageKind::List(ListId::Home, _) => KindGroup::Home,
            PageKind::List(ListId::Term(..), _) => KindGroup::Term,
            PageKind::List(
                ListId::Year(_) | ListId::Month(..) | ListId::Day(..) | ListId::OnThisDay(_),
                _,
            ) => KindGroup::Period,
            _ => KindGroup::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            KindGroup::Article => "articles",
            KindGroup::Home => "home pages",
            KindGroup::Term => "tag/author/section pages",
            KindGroup::Period => "year/month/day and on-this-day pages",
            KindGroup::Other => "other pages",
        }
    }
}

impl Renderer {
    /// Compiles every template; a syntax error names the template file and line.
    pub fn new(files: &ThemeFiles) -> Result<Renderer, Diagnostic> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("date", date_filter);
        tera.global_context().insert("assets", &files.assets);
        let mut hasher = blake3::Hasher::new();
        for (name, (text, _)) in &files.templates {
            hasher.update(name.as_bytes());
            hasher.update(&[0]);
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        tera.add_raw_templates(
            files
                .templates
                .iter()
                .map(|(n, (t, _))| (n.as_str(), t.as_str())),
        )
        .map_err(|e| {
            template_error(&e, |n| files.templates.get(n).map(|(_, p)| source_of(n, p)))
        })?;
        let texts: Vec<(&str, &str)> = files
            .templates
            .iter()
            .map(|(n, (t, _))| (n.as_str(), t.as_str()))
            .collect();
        Ok(Renderer {
            tera,
            fingerprint: *hasher.finalize().as_bytes(),
            template_fingerprints: deps::fingerprints(&texts).into_iter().collect(),
            sources: files
                .templates
                .iter()
                .map(|(n, (_, p))| (n.clone(), source_of(n, p)))
                .collect(),
            assets: sink::value_digest(&files.assets),
            today: None,
        })
    }

    /// Renders one planned page.
    pub fn render(
        &self,
        page: &PlannedPage,
        archive: &Archive,
        cfg: &Config,
        input: PageInput<'_>,
    ) -> Result<String, Diagnostic> {
        let mut out = Vec::new();
        self.render_into(page, archive, cfg, input, &mut CardCache::none(), &mut out)?;
        String::from_utf8(out).map_err(|_| {
            Diagnostic::error(Path::new(&page.url), None, "rendered page is not UTF-8")
        })
    }

    /// `render` into `out` (cleared first), taking article cards from (and
    /// adding them to) `cards`: an article appears on its own page and on about
    /// nine list pages, and building its card is a good part of rendering each
    /// of them; a thread reuses one buffer and one card cache for all its pages.
    pub fn render_into(
        &self,
        page: &PlannedPage,
        archive: &Archive,
        cfg: &Config,
        input: PageInput<'_>,
        cards: &mut CardCache,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        out.clear();
        let mut sink = ContextSink::new(cfg, &self.tera, input, cards);
        let template = fill(&mut sink, page, archive, cfg, self.today);
        let source = |n: &str| self.sources.get(n).cloned();
        let ctx = sink
            .into_context()
            .map_err(|e| template_error(&e, source))?;
        self.tera
            .render_to(template, &ctx, &mut *out)
            .map_err(|e| template_error(&e, source))?;
        if cfg.relative_urls {
            let absolute = std::mem::take(out);
            relative::relativize(&absolute, &page.url, out);
        }
        Ok(())
    }

    /// What the page's bytes depend on, without rendering it or reading its
    /// body: the templates it uses, the config, the small views it shows, and
    /// for every article it shows (or is) that article's source hash, path and URL.
    pub fn fingerprint(&self, page: &PlannedPage, archive: &Archive, cfg: &Config) -> Fingerprint {
        self.fingerprint_with(page, archive, cfg, None)
    }

    /// Digests of the parts many pages share (each article's card inputs, each
    /// period's view), computed once per build so that fingerprinting a page
    /// hashes 16 bytes per part instead of rebuilding it.
    pub fn digests(archive: &Archive, media: &Media) -> Digests {
        use rayon::prelude::*;
        let entries = archive
            .entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| sink::entry_digest(e, media.digest(i as u32)))
            .collect();
        let mut lists = Vec::new();
        for (y, year) in archive.years.iter().enumerate() {
            lists.push(ListId::Year(y));
            for (m, month) in year.months.iter().enumerate() {
                lists.push(ListId::Month(y, m));
                lists.extend((0..month.days.len()).map(|d| ListId::Day(y, m, d)));
            }
        }
        let periods: Vec<(ListId, [u8; 16])> = lists
            .into_par_iter()
            .map(|list| (list, sink::value_digest(&period_view(list, archive))))
            .collect();
        let periods = periods.into_iter().collect();
        Digests { entries, periods }
    }

    /// `fingerprint`, with `digests` of the same archive.
    pub fn fingerprint_with(
        &self,
        page: &PlannedPage,
        archive: &Archive,
        cfg: &Config,
        digests: Option<&Digests>,
    ) -> Fingerprint {
        let mut sink = HashSink::new(digests);
        sink.bytes(RENDER_VERSION.as_bytes());
        sink.bytes(&cfg.fingerprint);
        sink.bytes(cfg.base_url.as_bytes());
        sink.bytes(&self.assets);
        let template = fill(&mut sink, page, archive, cfg, self.today);
        // A list also shows its articles through the card template.
        let card = matches!(page.kind, PageKind::List(..)).then_some(sink::CARD_TEMPLATE);
        for name in std::iter::once(template).chain(card) {
            sink.bytes(name.as_bytes());
            match self.template_fingerprints.get(name) {
                Some(fp) => sink.bytes(fp),
                // Unknown template (cannot happen with a compiled theme): depend on all.
                None => sink.bytes(&self.fingerprint),
            }
        }
        sink.finish()
    }
}

/// The build's (month, day) in the site's zone: `now` when given, else the clock.
pub fn today(now: Option<DateTime<FixedOffset>>, cfg: &Config) -> (u32, u32) {
    use chrono::Datelike;
    let now = now.map_or_else(chrono::Utc::now, |n| n.to_utc());
    let local = now.with_timezone(&cfg.timezone);
    (local.month(), local.day())
}

/// Bumped whenever the code that turns an index into pages changes its output,
/// so fingerprints from an older build of the same version are not trusted.
const RENDER_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "/render-6");

/// Describes one page's context to `sink` and returns its template.
fn fill<'a, S: Sink>(
    sink: &mut S,
    page: &'a PlannedPage,
    a: &'a Archive,
    cfg: &'a Config,
    today: Option<(u32, u32)>,
) -> &'static str {
    let mut view = PageView {
        kind: "",
        url: &page.url,
        permalink: cfg.absolute(&page.url),
        title: Cow::Borrowed(""),
        description: &cfg.description,
        og_type: "website",
        feeds: Vec::new(),
    };
    let template = match page.kind {
        PageKind::Article(i) => {
            let e = &a.entries[i as usize];
            let (older, newer) = a.neighbours(i);
            let link = |j: Option<u32>| {
                j.map(|j| {
                    let n = &a.entries[j as usize];
                    LinkRef {
                        name: &n.article.title,
                        url: &n.url,
                        count: None,
                    }
                })
            };
            sink.card("article", a, i);
            sink.meta("meta", a, i);
            sink.links("related", a, a.related(i));
            view.og_type = "article";
            sink.body(i, e, &a.ref_urls(i));
            sink.put("previous", &link(older));
            sink.put("next", &link(newer));
            view.kind = "article";
            view.title = Cow::Borrowed(&e.article.title);
            view.description = &e.article.description;
            "article.html"
        }
        PageKind::List(list, no) => lists::list_context(sink, &mut view, (list, no), a, cfg, today),
        PageKind::TermIndex(t) => {
            let terms: Vec<LinkView> = a
                .terms(t)
                .iter()
                .map(|term| LinkView {
                    name: term.name.clone(),
                    url: Archive::term_url(t, &term.slug),
                    count: Some(term.articles.len()),
                })
                .collect();
            sink.put("terms", &terms);
            sink.put("taxonomy", t.slug());
            view.kind = t.slug();
            view.title = Cow::Borrowed(t.title());
            "terms.html"
        }
        PageKind::ArchiveIndex => {
            let years: Vec<YearView> = a
                .years
                .iter()
                .rev()
                .map(|y| YearView {
                    year: y.year,
                    url: format!("/{:04}/", y.year),
                    count: y.articles.len(),
                    months: y
                        .months
                        .iter()
                        .map(|m| month_link(y.year, m.month, m.articles.len()))
                        .collect(),
                })
                .collect();
            sink.put("years", &years);
            sink.put("undated_count", &a.undated.len());
            view.kind = "archive";
            view.title = Cow::Borrowed("Archive");
            "archive.html"
        }
        PageKind::NotFound => {
            view.kind = "404";
            view.title = Cow::Borrowed("Page not found");
            "404.html"
        }
        PageKind::Search => {
            view.kind = "search";
            view.title = Cow::Borrowed("Search");
            "search.html"
        }
    };
    sink.put("page", &view);
    template
}

/// `{{ article.date.iso | date(format="%Y") }}`: formats an RFC 3339 date.
fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format: &str = kwargs.get("format")?.unwrap_or("%-d %B %Y");
    let d: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(value).map_err(|e| {
        tera::Error::message(format!(
            "date filter: `{value}` is not an RFC 3339 date: {e}"
        ))
    })?;
    Ok(DateView::new(d).display.clone()).map(|default| {
        if format == "%-d %B %Y" {
            default
        } else {
            d.format(format).to_string()
        }
    })
}

/// A tera error as a diagnostic naming the template file and line.
fn template_error(
    e: &tera::Error,
    source: impl Fn(&str) -> Option<std::path::PathBuf>,
) -> Diagnostic {
    let (name, line, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            Some(r.filename().to_string()),
            Some(r.span().start_line),
            r.message().to_string(),
        ),
        other => (None, None, other.to_string()),
    };
    let file = name
        .as_deref()
        .and_then(source)
        .unwrap_or_else(|| std::path::PathBuf::from("templates"));
    Diagnostic::error(&file, line, format!("template: {message}"))
}

/// Where a template came from, as an error names it: the built-in theme's
/// templates by their place in the repository.
fn source_of(name: &str, path: &std::path::Path) -> std::path::PathBuf {
    if path.to_string_lossy().starts_with('<') {
        std::path::PathBuf::from(format!("themes/default/templates/{name}"))
    } else {
        path.to_path_buf()
    }
}
