//! Rendering with tera: compiles the theme once, turns a planned page into HTML.
//! The only module that knows tera. No file I/O here beyond theme discovery in
//! `theme`: bodies are handed in by the caller.

pub mod theme;
pub mod views;

use chrono::{DateTime, FixedOffset};
use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::archive::{Archive, Taxonomy};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::plan::{ListId, PageKind, PageNo, PlannedPage};
use views::{
    CardView, DateView, LinkView, PageView, PaginationView, PeriodView, SiteView, YearView,
};

pub use theme::{StaticSource, ThemeFiles};

/// Compiled templates plus the fingerprint of their text.
pub struct Renderer {
    tera: Tera,
    /// blake3 over every template's name and text.
    pub fingerprint: [u8; 32],
}

const MONTHS: [&str; 12] = [
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

impl Renderer {
    /// Compiles every template; a syntax error names the template file and line.
    pub fn new(files: &ThemeFiles) -> Result<Renderer, Diagnostic> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("date", date_filter);
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
        .map_err(|e| template_error(&e, files))?;
        Ok(Renderer {
            tera,
            fingerprint: *hasher.finalize().as_bytes(),
        })
    }

    /// Renders one planned page. `body` is the article's HTML for article pages.
    pub fn render(
        &self,
        page: &PlannedPage,
        archive: &Archive,
        cfg: &Config,
        body: Option<&str>,
        files: &ThemeFiles,
    ) -> Result<String, Diagnostic> {
        let (template, ctx) = self.context(page, archive, cfg, body);
        self.tera
            .render(template, &ctx)
            .map_err(|e| template_error(&e, files))
    }

    fn context(
        &self,
        page: &PlannedPage,
        a: &Archive,
        cfg: &Config,
        body: Option<&str>,
    ) -> (&'static str, Context) {
        let mut ctx = Context::new();
        ctx.insert("site", &SiteView::new(cfg));
        let mut view = PageView {
            kind: "",
            url: page.url.clone(),
            permalink: cfg.absolute(&page.url),
            title: String::new(),
            description: cfg.description.clone(),
        };
        let template = match page.kind {
            PageKind::Article(i) => {
                let e = &a.entries[i as usize];
                let (older, newer) = a.neighbours(i);
                let link = |j: Option<u32>| {
                    j.map(|j| {
                        let n = &a.entries[j as usize];
                        LinkView {
                            name: n.article.title.clone(),
                            url: n.url.clone(),
                            count: None,
                        }
                    })
                };
                ctx.insert("article", &CardView::new(e, cfg));
                ctx.insert("body", body.unwrap_or(""));
                ctx.insert("previous", &link(older));
                ctx.insert("next", &link(newer));
                view.kind = "article";
                view.title = e.article.title.clone();
                view.description = e.article.description.clone();
                "article.html"
            }
            PageKind::List(list, no) => self.list_context(&mut ctx, &mut view, list, no, a, cfg),
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
                ctx.insert("terms", &terms);
                ctx.insert("taxonomy", t.slug());
                view.kind = t.slug();
                view.title = t.title().to_string();
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
                ctx.insert("years", &years);
                ctx.insert("undated_count", &a.undated.len());
                view.kind = "archive";
                view.title = "Archive".into();
                "archive.html"
            }
            PageKind::NotFound => {
                view.kind = "404";
                view.title = "Page not found".into();
                "404.html"
            }
        };
        ctx.insert("page", &view);
        (template, ctx)
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one place that builds list contexts"
    )]
    fn list_context(
        &self,
        ctx: &mut Context,
        view: &mut PageView,
        list: ListId,
        no: PageNo,
        a: &Archive,
        cfg: &Config,
    ) -> &'static str {
        let pager = list.pager(a, cfg.paginate_by);
        let range = match no {
            PageNo::First => pager.first_range(),
            PageNo::Numbered(n) => pager.range(n),
        };
        let cards: Vec<CardView> = range
            .clone()
            .rev()
            .map(|p| CardView::new(&a.entries[list.at(a, p) as usize], cfg))
            .collect();
        let numbered = pager.pages() > 1;
        let (newer, older) = match no {
            PageNo::First => (
                None,
                pager
                    .older_than_first()
                    .filter(|_| numbered)
                    .map(PageNo::Numbered),
            ),
            PageNo::Numbered(n) => (
                (n < pager.pages()).then_some(PageNo::Numbered(n + 1)),
                (n > 1).then(|| PageNo::Numbered(n - 1)),
            ),
        };
        ctx.insert("articles", &cards);
        ctx.insert(
            "pagination",
            &PaginationView {
                current: match no {
                    PageNo::First => 0,
                    PageNo::Numbered(n) => n,
                },
                total: pager.pages(),
                first_url: list.base_url(a),
                newer_url: newer.map(|p| list.page_url(a, p)),
                older_url: older.map(|p| list.page_url(a, p)),
            },
        );
        let suffix = match no {
            PageNo::Numbered(n) => format!(" (page {n} of {})", pager.pages()),
            PageNo::First => String::new(),
        };
        let (kind, title, template) = match list {
            ListId::Home => ("home", cfg.title.clone(), "home.html"),
            ListId::Term(t, i) => {
                let term = &a.terms(t)[i];
                let kind = match t {
                    Taxonomy::Tags => "tag",
                    Taxonomy::Authors => "author",
                    Taxonomy::Sections => "section",
                    Taxonomy::Sources => "source",
                };
                ctx.insert(
                    "term",
                    &LinkView {
                        name: term.name.clone(),
                        url: list.base_url(a),
                        count: Some(term.articles.len()),
                    },
                );
                ctx.insert("taxonomy", t.slug());
                (kind, term.name.clone(), "term.html")
            }
            ListId::Year(_) | ListId::Month(..) | ListId::Day(..) => {
                let period = period_view(list, a);
                let title = period.label.clone();
                let kind = period.kind;
                ctx.insert("period", &period);
                (kind, title, "period.html")
            }
            ListId::Undated => ("undated", "Undated articles".to_string(), "list.html"),
        };
        view.kind = kind;
        view.title = format!("{title}{suffix}");
        template
    }
}

fn month_link(year: i32, month: u32, count: usize) -> LinkView {
    LinkView {
        name: format!("{} {year}", MONTHS[month as usize - 1]),
        url: format!("/{year:04}/{month:02}/"),
        count: Some(count),
    }
}

/// Label, neighbours and children of a year, month or day archive.
fn period_view(list: ListId, a: &Archive) -> PeriodView {
    let years = &a.years;
    match list {
        ListId::Year(y) => {
            let link = |y: &crate::archive::Year| LinkView {
                name: y.year.to_string(),
                url: format!("/{:04}/", y.year),
                count: Some(y.articles.len()),
            };
            let yr = &years[y];
            PeriodView {
                kind: "year",
                label: yr.year.to_string(),
                previous: y.checked_sub(1).map(|p| link(&years[p])),
                next: years.get(y + 1).map(link),
                children: yr
                    .months
                    .iter()
                    .map(|m| month_link(yr.year, m.month, m.articles.len()))
                    .collect(),
            }
        }
        ListId::Month(y, m) => {
            let flat: Vec<(usize, usize)> = years
                .iter()
                .enumerate()
                .flat_map(|(yi, yr)| (0..yr.months.len()).map(move |mi| (yi, mi)))
                .collect();
            let pos = flat.iter().position(|&p| p == (y, m)).unwrap_or(0);
            let link = |&(yi, mi): &(usize, usize)| {
                let (yr, mo) = (&years[yi], &years[yi].months[mi]);
                month_link(yr.year, mo.month, mo.articles.len())
            };
            let (yr, mo) = (&years[y], &years[y].months[m]);
            PeriodView {
                kind: "month",
                label: format!("{} {}", MONTHS[mo.month as usize - 1], yr.year),
                previous: pos.checked_sub(1).and_then(|p| flat.get(p)).map(link),
                next: flat.get(pos + 1).map(link),
                children: mo
                    .days
                    .iter()
                    .map(|d| day_link(yr.year, mo.month, d.day, d.articles.len()))
                    .collect(),
            }
        }
        ListId::Day(y, m, d) => {
            let flat: Vec<(usize, usize, usize)> = years
                .iter()
                .enumerate()
                .flat_map(|(yi, yr)| {
                    yr.months
                        .iter()
                        .enumerate()
                        .flat_map(move |(mi, mo)| (0..mo.days.len()).map(move |di| (yi, mi, di)))
                })
                .collect();
            let pos = flat.iter().position(|&p| p == (y, m, d)).unwrap_or(0);
            let link = |&(yi, mi, di): &(usize, usize, usize)| {
                let (yr, mo) = (&years[yi], &years[yi].months[mi]);
                day_link(
                    yr.year,
                    mo.month,
                    mo.days[di].day,
                    mo.days[di].articles.len(),
                )
            };
            let (yr, mo) = (&years[y], &years[y].months[m]);
            PeriodView {
                kind: "day",
                label: format!(
                    "{} {} {}",
                    mo.days[d].day,
                    MONTHS[mo.month as usize - 1],
                    yr.year
                ),
                previous: pos.checked_sub(1).and_then(|p| flat.get(p)).map(link),
                next: flat.get(pos + 1).map(link),
                children: Vec::new(),
            }
        }
        _ => PeriodView {
            kind: "",
            label: String::new(),
            previous: None,
            next: None,
            children: Vec::new(),
        },
    }
}

fn day_link(year: i32, month: u32, day: u32, count: usize) -> LinkView {
    LinkView {
        name: format!("{day} {} {year}", MONTHS[month as usize - 1]),
        url: format!("/{year:04}/{month:02}/{day:02}/"),
        count: Some(count),
    }
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
fn template_error(e: &tera::Error, files: &ThemeFiles) -> Diagnostic {
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
        .and_then(|n| {
            files.templates.get(n).map(|(_, p)| {
                if p.starts_with("<") {
                    std::path::PathBuf::from(format!("themes/default/templates/{n}"))
                } else {
                    p.clone()
                }
            })
        })
        .unwrap_or_else(|| std::path::PathBuf::from("templates"));
    Diagnostic::error(&file, line, format!("template: {message}"))
}
