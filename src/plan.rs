//! The page plan: every page the site will have, as a cheap description (URL,
//! kind, which list and page), made from the archive index before anything is
//! rendered. Pure, no I/O.

use crate::archive::{Archive, Pager, Taxonomy, push_two_digits};

/// A list of articles that gets paginated pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListId {
    Home,
    Term(Taxonomy, usize),
    Year(usize),
    Month(usize, usize),
    Day(usize, usize, usize),
    /// A calendar day across the years (index into `Archive::on_this_day`).
    OnThisDay(usize),
    Undated,
}

/// Which page of a list: its first URL (newest items) or a numbered page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageNo {
    First,
    Numbered(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Article(u32),
    List(ListId, PageNo),
    TermIndex(Taxonomy),
    ArchiveIndex,
    NotFound,
    /// `/search/`, planned by the build when `[search]` is enabled.
    Search,
}

impl ListId {
    /// The articles of the list, oldest first.
    pub fn items<'a>(&self, a: &'a Archive) -> &'a [u32] {
        match *self {
            ListId::Home => HOME_MARKER,
            ListId::Term(t, i) => &a.terms(t)[i].articles,
            ListId::Year(y) => &a.years[y].articles,
            ListId::Month(y, m) => &a.years[y].months[m].articles,
            ListId::Day(y, m, d) => &a.years[y].months[m].days[d].articles,
            ListId::OnThisDay(k) => &a.on_this_day[k].articles,
            ListId::Undated => &a.undated,
        }
    }

    /// Number of articles in the list.
    pub fn len(&self, a: &Archive) -> usize {
        match self {
            ListId::Home => a.entries.len(),
            other => other.items(a).len(),
        }
    }

    /// The article index at position `pos` (oldest first).
    pub fn at(&self, a: &Archive, pos: usize) -> u32 {
        match self {
            ListId::Home => pos as u32,
            other => other.items(a)[pos],
        }
    }

    /// The list's first URL.
    pub fn base_url(&self, a: &Archive) -> String {
        let mut url = String::with_capacity(32);
        self.push_base_url(a, &mut url);
        url
    }

    /// `base_url` appended to `url` (made for every list page of every build,
    /// so without `format!`).
    pub fn push_base_url(&self, a: &Archive, url: &mut String) {
        match *self {
            ListId::Home => url.push('/'),
            ListId::Term(t, i) => {
                url.push('/');
                url.push_str(t.slug());
                url.push('/');
                url.push_str(&a.terms(t)[i].slug);
                url.push('/');
            }
            ListId::Year(y) => push_date(url, a.years[y].year, None, None),
            ListId::Month(y, m) => {
                push_date(url, a.years[y].year, Some(a.years[y].months[m].month), None);
            }
            ListId::Day(y, m, d) => {
                let (yy, mm) = (&a.years[y], &a.years[y].months[m]);
                push_date(url, yy.year, Some(mm.month), Some(mm.days[d].day));
            }
            ListId::OnThisDay(k) => {
                let c = &a.on_this_day[k];
                url.push_str("/on-this-day/");
                push_two_digits(url, c.month);
                url.push('-');
                push_two_digits(url, c.day);
                url.push('/');
            }
            ListId::Undated => url.push_str("/undated/"),
        }
    }

    pub fn pager(&self, a: &Archive, per_page: usize) -> Pager {
        Pager {
            total: self.len(a),
            per_page,
        }
    }

    /// The URL of one page of the list.
    pub fn page_url(&self, a: &Archive, page: PageNo) -> String {
        let mut url = String::with_capacity(40);
        self.push_base_url(a, &mut url);
        if let PageNo::Numbered(n) = page {
            use std::fmt::Write;
            // Writing to a String cannot fail.
            let _ = write!(url, "page/{n}/");
        }
        url
    }
}

/// `/YYYY/`, `/YYYY/MM/` or `/YYYY/MM/DD/` (as `{:04}` and `{:02}` write them).
fn push_date(url: &mut String, year: i32, month: Option<u32>, day: Option<u32>) {
    url.push('/');
    match u32::try_from(year).ok().filter(|&y| y <= 9999) {
        Some(y) => {
            push_two_digits(url, y / 100);
            push_two_digits(url, y % 100);
        }
        None => url.push_str(&format!("{year:04}")),
    }
    url.push('/');
    for part in [month, day].into_iter().flatten() {
        push_two_digits(url, part);
        url.push('/');
    }
}

/// Home's items are all entries in order; it needs no index vector.
const HOME_MARKER: &[u32] = &[];

/// One page to render.
#[derive(Debug, Clone)]
pub struct PlannedPage {
    pub url: String,
    pub kind: PageKind,
}

impl PlannedPage {
    /// The newest article the page shows (its own for an article page), as an
    /// index into the archive's entries; `None` for pages that show none.
    /// Rendering pages in this order keeps the articles of consecutive pages
    /// close together.
    pub fn newest(&self, a: &Archive, per_page: usize) -> Option<u32> {
        match self.kind {
            PageKind::Article(i) => Some(i),
            PageKind::List(list, no) => {
                let pager = list.pager(a, per_page);
                let range = match no {
                    PageNo::First => pager.first_range(),
                    PageNo::Numbered(n) => pager.range(n),
                };
                range.last().map(|p| list.at(a, p))
            }
            _ => None,
        }
    }
}

/// Every page of the site, in a deterministic order.
pub fn plan(a: &Archive, per_page: usize) -> Vec<PlannedPage> {
    let mut pages: Vec<PlannedPage> = (0..a.entries.len() as u32)
        .map(|i| PlannedPage {
            url: a.entries[i as usize].url.clone(),
            kind: PageKind::Article(i),
        })
        .collect();
    let mut lists = vec![ListId::Home];
    for t in Taxonomy::ALL {
        lists.extend((0..a.terms(t).len()).map(|i| ListId::Term(t, i)));
        pages.push(PlannedPage {
            url: format!("/{}/", t.slug()),
            kind: PageKind::TermIndex(t),
        });
    }
    for (y, year) in a.years.iter().enumerate() {
        lists.push(ListId::Year(y));
        for (m, month) in year.months.iter().enumerate() {
            lists.push(ListId::Month(y, m));
            lists.extend((0..month.days.len()).map(|d| ListId::Day(y, m, d)));
        }
    }
    lists.extend((0..a.on_this_day.len()).map(ListId::OnThisDay));
    if !a.undated.is_empty() {
        lists.push(ListId::Undated);
    }
    for list in lists {
        pages.push(PlannedPage {
            url: list.base_url(a),
            kind: PageKind::List(list, PageNo::First),
        });
        let pager = list.pager(a, per_page);
        if pager.pages() > 1 {
            for n in 1..=pager.pages() {
                let page = PageNo::Numbered(n);
                pages.push(PlannedPage {
                    url: list.page_url(a, page),
                    kind: PageKind::List(list, page),
                });
            }
        }
    }
    pages.push(PlannedPage {
        url: "/archive/".into(),
        kind: PageKind::ArchiveIndex,
    });
    pages.push(PlannedPage {
        url: "/404.html".into(),
        kind: PageKind::NotFound,
    });
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{archive, config, md};

    #[test]
    fn on_this_day_lists_a_calendar_day_across_years_oldest_first() {
        let cfg = config("");
        let a = archive(
            &cfg,
            &[
                ("a.md", &md("Ninety-nine", "1999-02-03", "")),
                ("b.md", &md("Thirteen", "2013-02-03", "")),
                ("c.md", &md("Other day", "2013-02-04", "")),
                ("d.md", &md("Five", "2005-02-03", "")),
            ],
        );
        let days: Vec<String> = a
            .on_this_day
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let titles: Vec<&str> = ListId::OnThisDay(k)
                    .items(&a)
                    .iter()
                    .map(|&i| a.entries[i as usize].article.title.as_str())
                    .collect();
                format!(
                    "{} {}",
                    ListId::OnThisDay(k).base_url(&a),
                    titles.join(", ")
                ) + if a.on_this_day_index(c.month, c.day) == Some(k) {
                    ""
                } else {
                    " (not found)"
                }
            })
            .collect();
        assert_eq!(
            days,
            [
                "/on-this-day/02-03/ Ninety-nine, Five, Thirteen",
                "/on-this-day/02-04/ Other day"
            ]
        );
    }

    #[test]
    fn list_urls_are_padded_and_numbered() {
        let cfg = config("");
        let a = archive(
            &cfg,
            &[
                ("a.md", &md("Early", "0987-03-04", "tags: [\"R&D\"]\n")),
                ("b.md", &md("Late", "2013-11-25", "")),
            ],
        );
        let urls: Vec<String> = [
            ListId::Home.page_url(&a, PageNo::First),
            ListId::Year(0).page_url(&a, PageNo::First),
            ListId::Month(0, 0).page_url(&a, PageNo::Numbered(2)),
            ListId::Day(1, 0, 0).page_url(&a, PageNo::Numbered(12)),
            ListId::Term(Taxonomy::Tags, 0).page_url(&a, PageNo::First),
            ListId::OnThisDay(1).page_url(&a, PageNo::Numbered(3)),
            ListId::Undated.page_url(&a, PageNo::First),
        ]
        .into();
        assert_eq!(
            urls,
            [
                "/",
                "/0987/",
                "/0987/03/page/2/",
                "/2013/11/25/page/12/",
                "/tags/r-d/",
                "/on-this-day/11-25/page/3/",
                "/undated/"
            ]
        );
    }
}
