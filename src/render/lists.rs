//! The context of list pages: every paginated list (home, terms, periods,
//! "on this day", undated), and the fronts (the first page of home and of
//! each section: a lead story, then the latest, and on home the latest by
//! section).

use std::borrow::Cow;

use super::period::on_this_day_url;
use super::sink::Sink;
use super::views::{FeedLinkView, LinkRef, LinkView, MONTH_NAMES, PageView, PaginationView};
use crate::archive::{Archive, Taxonomy};
use crate::config::Config;
use crate::feeds::{self, FeedFormat};
use crate::plan::{ListId, PageNo};

/// Sections shown on the home front, the largest first.
const HOME_SECTIONS: usize = 8;
/// Headlines per section on the home front.
const SECTION_HEADLINES: usize = 3;

pub(super) fn list_context<'a, S: Sink>(
    sink: &mut S,
    view: &mut PageView<'a>,
    (list, no): (ListId, PageNo),
    a: &'a Archive,
    cfg: &'a Config,
    today: Option<(u32, u32)>,
) -> &'static str {
    let pager = list.pager(a, cfg.paginate_by);
    let range = match no {
        PageNo::First => pager.first_range(),
        PageNo::Numbered(n) => pager.range(n),
    };
    let mut shown = range.rev().map(|p| list.at(a, p));
    let front =
        no == PageNo::First && matches!(list, ListId::Home | ListId::Term(Taxonomy::Sections, _));
    let lead = if front { shown.next() } else { None };
    if let Some(lead) = lead {
        sink.card("lead", a, lead);
    }
    sink.cards("cards", a, shown);
    if list == ListId::Home && no == PageNo::First {
        home_front(sink, a, lead, today);
    }
    sink.put("pagination", &pagination(list, no, a, cfg));
    let (kind, title, template) = identity(sink, list, a, cfg);
    view.kind = kind;
    view.title = match no {
        PageNo::Numbered(n) => Cow::Owned(format!("{title} (page {n})")),
        PageNo::First => title,
    };
    // Only home and term lists have feeds; their title is made once per page.
    if matches!(list, ListId::Home | ListId::Term(..)) {
        view.feeds = feed_links(list, a, cfg);
    }
    template
}

/// The home front after its lead: the latest headlines of the largest
/// sections, and the link to today's "on this day".
fn home_front<S: Sink>(sink: &mut S, a: &Archive, lead: Option<u32>, today: Option<(u32, u32)>) {
    let mut sections: Vec<usize> = (0..a.sections.len()).collect();
    sections.sort_by_key(|&s| std::cmp::Reverse(a.sections[s].articles.len()));
    sections.truncate(HOME_SECTIONS);
    let urls: Vec<String> = sections
        .iter()
        .map(|&s| Archive::term_url(Taxonomy::Sections, &a.sections[s].slug))
        .collect();
    let groups: Vec<(LinkRef, Vec<u32>)> = sections
        .iter()
        .zip(&urls)
        .map(|(&s, url)| {
            let term = &a.sections[s];
            let newest = term.articles.iter().rev().copied();
            let shown = newest.filter(|&i| Some(i) != lead).take(SECTION_HEADLINES);
            let link = LinkRef {
                name: &term.name,
                url,
                count: Some(term.articles.len()),
            };
            (link, shown.collect())
        })
        .collect();
    sink.groups("sections", a, &groups);
    let on_this_day = today.and_then(|(m, d)| {
        let k = a.on_this_day_index(m, d)?;
        Some(LinkView {
            name: format!("{d} {}", MONTH_NAMES[m as usize - 1]),
            url: on_this_day_url(m, d),
            count: Some(a.on_this_day[k].articles.len()),
        })
    });
    sink.put("on_this_day", &on_this_day);
}

fn pagination(list: ListId, no: PageNo, a: &Archive, cfg: &Config) -> PaginationView {
    let pager = list.pager(a, cfg.paginate_by);
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
    PaginationView {
        current: match no {
            PageNo::First => 0,
            PageNo::Numbered(n) => n,
        },
        first_url: list.base_url(a),
        newer_url: newer.map(|p| list.page_url(a, p)),
        older_url: older.map(|p| list.page_url(a, p)),
    }
}

/// The list's page kind, title and template, with what the template shows
/// about the list itself (its term, period or calendar day).
fn identity<'a, S: Sink>(
    sink: &mut S,
    list: ListId,
    a: &'a Archive,
    cfg: &'a Config,
) -> (&'static str, Cow<'a, str>, &'static str) {
    match list {
        ListId::Home => ("home", Cow::Borrowed(cfg.title.as_str()), "home.html"),
        ListId::Term(t, i) => {
            let term = &a.terms(t)[i];
            let kind = match t {
                Taxonomy::Tags => "tag",
                Taxonomy::Authors => "author",
                Taxonomy::Sections => "section",
                Taxonomy::Sources => "source",
            };
            sink.put(
                "term",
                &LinkRef {
                    name: &term.name,
                    url: &list.base_url(a),
                    count: Some(term.articles.len()),
                },
            );
            sink.put("taxonomy", t.slug());
            (kind, Cow::Borrowed(term.name.as_str()), "term.html")
        }
        ListId::Year(_) | ListId::Month(..) | ListId::Day(..) => {
            let (kind, title) = sink.period(list, a);
            (kind, Cow::Owned(title), "period.html")
        }
        ListId::OnThisDay(k) => {
            let c = &a.on_this_day[k];
            sink.put("years", &on_this_day_years(a, c.month, c.day));
            let label = format!(
                "On this day: {} {}",
                c.day,
                MONTH_NAMES[c.month as usize - 1]
            );
            ("on-this-day", Cow::Owned(label), "on_this_day.html")
        }
        ListId::Undated => ("undated", Cow::Borrowed("Undated articles"), "list.html"),
    }
}

/// The day pages of one calendar day, newest year first.
fn on_this_day_years(a: &Archive, month: u32, day: u32) -> Vec<LinkView> {
    a.years
        .iter()
        .rev()
        .filter_map(|y| {
            let m = y.months.iter().find(|m| m.month == month)?;
            let d = m.days.iter().find(|d| d.day == day)?;
            Some(LinkView {
                name: y.year.to_string(),
                url: format!("/{:04}/{month:02}/{day:02}/", y.year),
                count: Some(d.articles.len()),
            })
        })
        .collect()
}

/// The `<link rel="alternate">` feeds of a home or term list.
fn feed_links(list: ListId, a: &Archive, cfg: &Config) -> Vec<FeedLinkView> {
    let title = feeds::feed_title(list, a, cfg);
    FeedFormat::ALL
        .iter()
        .filter_map(|&f| {
            let url = feeds::feed_url(list, a, f)?;
            let label = f.label();
            let mut t = String::with_capacity(title.len() + label.len() + 3);
            t.push_str(&title);
            t.push_str(" (");
            t.push_str(label);
            t.push(')');
            Some(FeedLinkView {
                title: t,
                url,
                mime: f.mime(),
            })
        })
        .collect()
}
