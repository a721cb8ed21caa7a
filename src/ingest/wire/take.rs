//! From a classified header zone to the fields of a [`WireDoc`]: headline, deck, dates
//! (the earlier of two is the date, the later the update), authors, agency, and a cut
//! note for every header line that is none of these. Also the review flags.
//!
//! Reads only what `zone` classified; never looks below the header.

use chrono::{NaiveTime, Timelike};

use super::item::{DateLine, Item, Kind};
use super::zone::Zone;
use super::{CutNote, CutReason, Flag, WireDoc, classify, header};
use crate::ingest::textdate::{self, DateKind, TextDate};

/// Fills `doc` from the header zone; returns the agency a byline or date line named.
pub(super) fn take_zone(doc: &mut WireDoc, zone: &Zone, lines: &[&str]) -> Option<String> {
    let mut agency = None;
    let mut dates: Vec<(TextDate, usize)> = Vec::new();
    if let Some(h) = zone.headline {
        let item = &zone.items[h];
        doc.headline = joined(lines, item);
        doc.headline_line = item.first + 1;
    }
    if let Some(&first) = zone.deck.first() {
        let text: Vec<String> = zone
            .deck
            .iter()
            .map(|&k| joined(lines, &zone.items[k]))
            .collect();
        doc.deck = Some(text.join(" "));
        doc.deck_line = Some(zone.items[first].first + 1);
    }
    for &k in &zone.labels {
        cut(doc, &zone.items[k], lines, CutReason::SiteName);
    }
    for (k, item) in zone.items.iter().enumerate() {
        if item.last >= zone.end
            || (Some(k) == zone.headline && !matches!(item.kind, Kind::Date(_)))
        {
            continue;
        }
        let no = item.first + 1;
        match &item.kind {
            Kind::Text => {}
            Kind::Date(d) => take_date_line(doc, d, no, &mut dates, &mut agency),
            Kind::Time => take_time(lines[item.first], no, &mut dates),
            Kind::Byline(b) => add_byline(doc, b.clone(), no, &mut agency),
            Kind::ByWord => {
                doc.byline_line.get_or_insert(no);
            }
            Kind::Author => {
                add_author(doc, lines[item.first], no);
            }
            Kind::Role => cut(doc, item, lines, CutReason::BylineRole),
            Kind::Agency(a) => {
                agency.get_or_insert(a.clone());
            }
            Kind::Furniture => cut(doc, item, lines, CutReason::Furniture),
            Kind::Caption | Kind::Credit => cut(doc, item, lines, CutReason::Caption),
            Kind::Advert => cut(doc, item, lines, CutReason::Advertisement),
            Kind::Share => cut(doc, item, lines, CutReason::SharePrompt),
            Kind::Counter => cut(doc, item, lines, CutReason::CommentCounter),
            Kind::Navigation | Kind::Meta => cut(doc, item, lines, CutReason::Navigation),
        }
    }
    resolve_dates(doc, dates);
    agency
}

/// Flags what a reviewer should look at.
pub(super) fn flag(doc: &mut WireDoc, zone: &Zone) {
    if zone.guessed || doc.headline.is_empty() {
        doc.flags.push(Flag::NoHeadline);
    }
    // Counting stops at the threshold: a long story is not read to its end here.
    let words = doc
        .paragraphs
        .iter()
        .flat_map(|p| p.split_whitespace())
        .take(SHORT_STORY_WORDS)
        .count();
    if words < SHORT_STORY_WORDS {
        doc.flags.push(Flag::ShortStory);
    }
}

const SHORT_STORY_WORDS: usize = 30;

fn joined(lines: &[&str], item: &Item) -> String {
    lines[item.first..=item.last]
        .iter()
        .filter(|l| !l.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn cut(doc: &mut WireDoc, item: &Item, lines: &[&str], reason: CutReason) {
    let text = joined(lines, item);
    doc.cut
        .push(CutNote::new(item.first + 1, item.last + 1, reason, &text));
}

/// The dates of a date line, and what stands beside them: a comment counter, an update
/// time, a byline, an agency, a place; anything else is cut and noted.
fn take_date_line(
    doc: &mut WireDoc,
    d: &DateLine,
    no: usize,
    dates: &mut Vec<(TextDate, usize)>,
    agency: &mut Option<String>,
) {
    dates.extend(d.dates.iter().cloned().map(|t| (t, no)));
    for tail in &d.tails {
        doc.cut
            .push(CutNote::new(no, no, CutReason::CommentCounter, tail));
    }
    let rest = d.rest.as_str();
    if rest.is_empty() {
        return;
    }
    if let Some(byline) = header::parse_byline_beside_date(rest) {
        add_byline(doc, byline, no, agency);
    } else if let Some(found) = header::canonical_agency(rest) {
        agency.get_or_insert(found);
    } else if header::parse_place(rest).is_none() && classify::author_name(rest).is_some() {
        // `March 6, 2015 | 11:48 PM | Coach K. Watts`: the author beside the date.
        add_author(doc, rest, no);
    } else if let Some(day) = d.dates.last().map(|t| t.date) {
        if let Some((time, offset, updated)) = textdate::parse_time_line(rest, day) {
            // `3 March 2011 Last updated at 14:05 GMT`: an update later that day;
            // `Sunday, March 6, 2011; 9:02 PM`: the date's own time.
            match dates.last_mut() {
                Some((last, _)) if !updated && last.time.is_none() => {
                    last.time = Some(time);
                    last.offset = offset;
                }
                _ => dates.push((at_time(day, time, offset, DateKind::Updated), no)),
            }
        } else if let Some(place_agency) = header::parse_place(rest) {
            // `MOSCOW (AFP), 2 February 2013`: a dateline on the date line.
            doc.dateline.get_or_insert(rest.to_owned());
            doc.dateline_line.get_or_insert(no);
            if let Some(a) = place_agency {
                agency.get_or_insert(a);
            }
        } else {
            doc.cut
                .push(CutNote::new(no, no, CutReason::DateLineText, rest));
        }
    }
}

fn at_time(
    day: chrono::NaiveDate,
    time: NaiveTime,
    offset: Option<chrono::FixedOffset>,
    kind: DateKind,
) -> TextDate {
    TextDate {
        date: day,
        time: Some(time),
        offset,
        kind,
        rest: String::new(),
    }
}

/// A time alone on its line gives the date just above it its time, or (labelled as an
/// update, or when that date has a time already) an update that day.
fn take_time(line: &str, no: usize, dates: &mut Vec<(TextDate, usize)>) {
    let Some((last, _)) = dates.last_mut() else {
        return;
    };
    let Some((time, offset, updated)) = textdate::parse_time_line(line, last.date) else {
        return;
    };
    if updated || last.time.is_some() {
        let day = last.date;
        dates.push((at_time(day, time, offset, DateKind::Updated), no));
    } else {
        last.time = Some(time);
        last.offset = offset;
    }
}

/// The earliest unlabelled (or `Published`) date is the date; the latest later one,
/// labelled `Updated` or not, the update. A header whose only dates say `Updated` was
/// published no later than the earliest of them, which is its date. Two different
/// unlabelled days are flagged.
fn resolve_dates(doc: &mut WireDoc, mut dates: Vec<(TextDate, usize)>) {
    dates.sort_by_key(|(d, _)| sort_key(d));
    let published: Vec<&(TextDate, usize)> = dates
        .iter()
        .filter(|(d, _)| d.kind != DateKind::Updated)
        .collect();
    let first = published
        .first()
        .copied()
        .or_else(|| dates.first())
        .cloned();
    let mut days: Vec<chrono::NaiveDate> = published.iter().map(|(d, _)| d.date).collect();
    days.dedup();
    if days.len() > 1 {
        doc.flags.push(Flag::TwoDates);
    }
    let later = dates.iter().rev().find(|(d, _)| {
        first
            .as_ref()
            .is_none_or(|(f, _)| sort_key(d) > sort_key(f))
    });
    let later = later
        .cloned()
        .filter(|(d, _)| d.kind == DateKind::Updated || first.is_some());
    if let Some((d, no)) = first {
        doc.date = Some(d);
        doc.date_line = Some(no);
    }
    if let Some((mut d, no)) = later {
        d.kind = DateKind::Updated;
        doc.updated = Some(d);
        doc.updated_line = Some(no);
    }
}

fn sort_key(d: &TextDate) -> (chrono::NaiveDate, u32) {
    (d.date, d.time.map_or(0, |t| t.num_seconds_from_midnight()))
}

fn add_byline(doc: &mut WireDoc, byline: header::Byline, no: usize, agency: &mut Option<String>) {
    doc.byline_line.get_or_insert(no);
    for author in byline.authors {
        if !doc.authors.contains(&author) {
            doc.authors.push(author);
        }
    }
    if let Some(found) = byline.agency {
        agency.get_or_insert(found);
    }
}

/// A name alone on its line; `Patrick Wintour, political editor` and `Heather Stewart
/// Political editor` name a person.
fn add_author(doc: &mut WireDoc, line: &str, no: usize) {
    let named = classify::author_name(line);
    let name = named
        .as_deref()
        .unwrap_or_else(|| line.split([',', '|', '—']).next().unwrap_or(line).trim());
    doc.byline_line.get_or_insert(no);
    if !doc.authors.iter().any(|a| a.eq_ignore_ascii_case(name)) {
        doc.authors.push(name.to_owned());
    }
}
