//! The page plan: every page the site will have, as a cheap description (URL,
//! kind, which list and page), made from the archive index before anything is
//! rendered. Pure, no I/O.

use crate::archive::{Archive, Pager, Taxonomy};

/// A list of articles that gets paginated pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListId {
    Home,
    Term(Taxonomy, usize),
    Year(usize),
    Month(usize, usize),
    Day(usize, usize, usize),
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
        match *self {
            ListId::Home => "/".into(),
            ListId::Term(t, i) => Archive::term_url(t, &a.terms(t)[i].slug),
            ListId::Year(y) => format!("/{:04}/", a.years[y].year),
            ListId::Month(y, m) => {
                format!("/{:04}/{:02}/", a.years[y].year, a.years[y].months[m].month)
            }
            ListId::Day(y, m, d) => {
                let (yy, mm) = (&a.years[y], &a.years[y].months[m]);
                format!("/{:04}/{:02}/{:02}/", yy.year, mm.month, mm.days[d].day)
            }
            ListId::Undated => "/undated/".into(),
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
        match page {
            PageNo::First => self.base_url(a),
            PageNo::Numbered(n) => format!("{}page/{n}/", self.base_url(a)),
        }
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
