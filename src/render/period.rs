//! Year, month and day archives: their labels, neighbours, children and
//! calendars (a month grid linking the days that have stories), and the
//! "on this day" view of a calendar day across the years. Pure: built from the
//! archive index only.

use chrono::{Datelike, NaiveDate};

use super::views::{CalendarView, CellView, LinkView, MONTH_NAMES, PeriodView};
use crate::archive::{Archive, Year};
use crate::plan::ListId;

pub(crate) fn month_link(year: i32, month: u32, count: usize) -> LinkView {
    LinkView {
        name: format!("{} {year}", MONTH_NAMES[month as usize - 1]),
        url: format!("/{year:04}/{month:02}/"),
        count: Some(count),
    }
}

/// The kind (`year`, `month`, `day`) and label of a period list.
pub(crate) fn period_label(list: ListId, a: &Archive) -> (&'static str, String) {
    let years = &a.years;
    match list {
        ListId::Year(y) => ("year", years[y].year.to_string()),
        ListId::Month(y, m) => {
            let (yr, mo) = (&years[y], &years[y].months[m]);
            (
                "month",
                format!("{} {}", MONTH_NAMES[mo.month as usize - 1], yr.year),
            )
        }
        ListId::Day(y, m, d) => {
            let (yr, mo) = (&years[y], &years[y].months[m]);
            (
                "day",
                format!(
                    "{} {} {}",
                    mo.days[d].day,
                    MONTH_NAMES[mo.month as usize - 1],
                    yr.year
                ),
            )
        }
        _ => ("", String::new()),
    }
}

/// One month grid a period page shows: the month at `(y, m)` in the archive
/// tree, and the day highlighted on a day page (whose grid also links the
/// neighbouring months). Year and month pages share their grids, so a renderer
/// can make each distinct one once (`CardCache`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CalendarId {
    pub y: usize,
    pub m: usize,
    pub day: Option<u32>,
}

/// The month grids of a period list, in the order the page shows them.
pub(crate) fn period_calendars(list: ListId, a: &Archive) -> Vec<CalendarId> {
    let months = |y: usize| a.years[y].months.len();
    match list {
        ListId::Year(y) => (0..months(y))
            .map(|m| CalendarId { y, m, day: None })
            .collect(),
        ListId::Month(y, m) => vec![CalendarId { y, m, day: None }],
        ListId::Day(y, m, d) => vec![CalendarId {
            y,
            m,
            day: Some(a.years[y].months[m].days[d].day),
        }],
        _ => Vec::new(),
    }
}

/// The grid `id` names.
pub(crate) fn calendar_view(a: &Archive, id: CalendarId) -> CalendarView {
    calendar(&a.years, (id.y, id.m), id.day, id.day.is_some())
}

/// The period view of a year, month or day list, its calendars included.
pub(crate) fn period_view(list: ListId, a: &Archive) -> PeriodView {
    let mut view = period_shell(list, a);
    view.calendars = period_calendars(list, a)
        .into_iter()
        .map(|id| calendar_view(a, id))
        .collect();
    view
}

/// The period view without its calendars (`period_calendars` lists them).
pub(crate) fn period_shell(list: ListId, a: &Archive) -> PeriodView {
    let years = &a.years;
    let label = period_label(list, a).1;
    match list {
        ListId::Year(y) => year_view(a, y, label),
        ListId::Month(y, m) => {
            let (yr, mo) = (&years[y], &years[y].months[m]);
            PeriodView {
                kind: "month",
                label,
                previous: previous_month(years, (y, m)).map(|p| month_at(years, p)),
                next: next_month(years, (y, m)).map(|n| month_at(years, n)),
                children: mo
                    .days
                    .iter()
                    .map(|d| day_link(yr.year, mo.month, d.day, d.articles.len()))
                    .collect(),
                // The month's calendar (`period_calendars`) leaves the
                // neighbouring months to the period navigation above.
                calendars: Vec::new(),
                on_this_day: None,
            }
        }
        ListId::Day(y, m, d) => day_view(a, (y, m, d), label),
        _ => PeriodView {
            kind: "",
            label,
            previous: None,
            next: None,
            children: Vec::new(),
            calendars: Vec::new(),
            on_this_day: None,
        },
    }
}

fn year_view(a: &Archive, y: usize, label: String) -> PeriodView {
    let years = &a.years;
    let link = |y: &Year| LinkView {
        name: y.year.to_string(),
        url: format!("/{:04}/", y.year),
        count: Some(y.articles.len()),
    };
    let yr = &years[y];
    PeriodView {
        kind: "year",
        label,
        previous: y.checked_sub(1).map(|p| link(&years[p])),
        next: years.get(y + 1).map(link),
        children: yr
            .months
            .iter()
            .map(|m| month_link(yr.year, m.month, m.articles.len()))
            .collect(),
        calendars: Vec::new(),
        on_this_day: None,
    }
}

fn day_view(a: &Archive, (y, m, d): (usize, usize, usize), label: String) -> PeriodView {
    let years = &a.years;
    let link = |(yi, mi, di): (usize, usize, usize)| {
        let (yr, mo) = (&years[yi], &years[yi].months[mi]);
        let day = &mo.days[di];
        day_link(yr.year, mo.month, day.day, day.articles.len())
    };
    let mo = &years[y].months[m];
    let previous = match d.checked_sub(1) {
        Some(p) => Some((y, m, p)),
        None => previous_month(years, (y, m))
            .and_then(|(py, pm)| Some((py, pm, years[py].months[pm].days.len().checked_sub(1)?))),
    };
    let next = if d + 1 < mo.days.len() {
        Some((y, m, d + 1))
    } else {
        next_month(years, (y, m)).map(|(ny, nm)| (ny, nm, 0))
    };
    let day = mo.days[d].day;
    PeriodView {
        kind: "day",
        label,
        previous: previous.map(link),
        next: next.map(link),
        children: Vec::new(),
        calendars: Vec::new(),
        on_this_day: a.on_this_day_index(mo.month, day).map(|k| LinkView {
            name: format!("{day} {}", MONTH_NAMES[mo.month as usize - 1]),
            url: on_this_day_url(mo.month, day),
            count: Some(a.on_this_day[k].articles.len()),
        }),
    }
}

/// `/on-this-day/MM-DD/`.
pub(crate) fn on_this_day_url(month: u32, day: u32) -> String {
    format!("/on-this-day/{month:02}-{day:02}/")
}

/// The link to the month at `(y, m)` in the tree.
fn month_at(years: &[Year], (y, m): (usize, usize)) -> LinkView {
    let (yr, mo) = (&years[y], &years[y].months[m]);
    month_link(yr.year, mo.month, mo.articles.len())
}

/// The calendar of the month at `(y, m)`, its days with stories linked;
/// `nav` adds the neighbouring months.
fn calendar(
    years: &[Year],
    (y, m): (usize, usize),
    current: Option<u32>,
    nav: bool,
) -> CalendarView {
    let (yr, mo) = (&years[y], &years[y].months[m]);
    let first = NaiveDate::from_ymd_opt(yr.year, mo.month, 1);
    let lead = first.map_or(0, |f| f.weekday().num_days_from_monday() as usize);
    let len = first.map_or(31, days_in_month);
    let mut cells: Vec<Option<CellView>> = (0..lead).map(|_| None).collect();
    let mut stories = mo.days.iter().peekable();
    for day in 1..=len {
        let found = stories.next_if(|d| d.day == day);
        cells.push(Some(CellView {
            day,
            url: found.map(|_| format!("/{:04}/{:02}/{day:02}/", yr.year, mo.month)),
            count: found.map_or(0, |d| d.articles.len()),
            current: current == Some(day),
        }));
    }
    cells.resize_with(cells.len().div_ceil(7) * 7, || None);
    let mut weeks = Vec::with_capacity(cells.len() / 7);
    let mut cells = cells.into_iter();
    while cells.len() > 0 {
        weeks.push(cells.by_ref().take(7).collect());
    }
    CalendarView {
        caption: format!("{} {}", MONTH_NAMES[mo.month as usize - 1], yr.year),
        url: format!("/{:04}/{:02}/", yr.year, mo.month),
        weeks,
        previous: nav
            .then(|| previous_month(years, (y, m)).map(|p| month_at(years, p)))
            .flatten(),
        next: nav
            .then(|| next_month(years, (y, m)).map(|n| month_at(years, n)))
            .flatten(),
    }
}

fn days_in_month(first: NaiveDate) -> u32 {
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (next - first).num_days().clamp(28, 31) as u32
}

/// The month before `(year, month)` in the tree (every year has a month and
/// every month a day, so neighbours are found without scanning).
fn previous_month(years: &[Year], (y, m): (usize, usize)) -> Option<(usize, usize)> {
    match m.checked_sub(1) {
        Some(p) => Some((y, p)),
        None => {
            let py = y.checked_sub(1)?;
            Some((py, years[py].months.len().checked_sub(1)?))
        }
    }
}

fn next_month(years: &[Year], (y, m): (usize, usize)) -> Option<(usize, usize)> {
    if m + 1 < years[y].months.len() {
        Some((y, m + 1))
    } else {
        (y + 1 < years.len()).then_some((y + 1, 0))
    }
}

fn day_link(year: i32, month: u32, day: u32, count: usize) -> LinkView {
    LinkView {
        name: format!("{day} {} {year}", MONTH_NAMES[month as usize - 1]),
        url: format!("/{year:04}/{month:02}/{day:02}/"),
        count: Some(count),
    }
}
