//! The header zone of a story: the lines before its first real paragraph, whatever their
//! order. Every line is classified (date, time, byline, caption, advert, navigation,
//! site furniture, ...); the headline is the line that is none of these, chosen among
//! the candidates by [`choose`]; the candidates after it are the deck.
//!
//! Owns where the header ends. Must not take anything from below it: a date written in
//! the running text is never a header date.

use super::header::{self, Byline};
use super::item::{DateLine, Item, Kind, is_byline, is_strong, is_title, is_weak};
use super::{classify, headline};
use crate::ingest::furniture::FurnitureLines;
use crate::ingest::textdate::{self, DateKind, DateOrder, chars_at_most};

/// The header zone found at the top of a text.
#[derive(Debug, Default)]
pub(super) struct Zone {
    pub items: Vec<Item>,
    /// The index of the first body line.
    pub end: usize,
    /// The headline's item.
    pub headline: Option<usize>,
    /// Candidates after the headline (a deck or standfirst).
    pub deck: Vec<usize>,
    /// Candidates before the headline (site, section or blog names, taglines).
    pub labels: Vec<usize>,
    /// No line was a headline candidate: the headline is a guess.
    pub guessed: bool,
}

/// Classifies the lines from the first non-empty one down to the first real paragraph.
pub(super) fn scan(lines: &[&str], order: DateOrder, furniture: &FurnitureLines) -> Zone {
    let mut items: Vec<Item> = Vec::new();
    let mut next = 0;
    let mut text_run = 0;
    let mut sentence_seen = false;
    let mut reader = Reader {
        lines,
        order,
        furniture,
        ahead: Vec::new(),
    };
    while items.len() < WINDOW {
        let Some(at) = next_non_empty(lines, next) else {
            break;
        };
        let item = reader.classify(at);
        let line = lines[at];
        let texts = items
            .iter()
            .filter(|i| matches!(i.kind, Kind::Text))
            .count();
        match &item.kind {
            Kind::Text => {
                let mut deck_then_header = || anchor_within(&mut reader, item.last + 1, 2);
                // Above any headline-like line a long one may be a caption or deck.
                let titled = items.iter().any(|i| is_title(&i.kind, lines[i.first]));
                if titled
                    && (header::split_dateline(line).is_some()
                        || classify::is_prose(line) && !deck_then_header())
                {
                    break;
                }
                // Labels (a section, a site name, a person's name) are short and many
                // headers stack them; only lines of other text make a run.
                if !classify::is_label(line) {
                    text_run += 1;
                }
                if text_run > MAX_TEXT_RUN {
                    break;
                }
                // A deck is a sentence too, but one of some length; a short sentence
                // under the headline is the story's.
                let words = line.split_whitespace().count();
                sentence_seen |= texts > 0 && classify::is_sentence(line) && words < DECK_WORDS;
            }
            Kind::Date(d) if sentence_seen && is_bare(d) => {
                // `First paragraph.` then a bare date: a date in the story, not the header's,
                // unless the header has a byline.
                let byline_near = items.iter().any(|i| {
                    is_byline(&i.kind)
                        || matches!(i.kind, Kind::Text) && is_name_with_role(lines[i.first])
                }) || byline_within(lines, item.last + 1, 3, order);
                if !byline_near {
                    break;
                }
                text_run = 0;
            }
            _ => text_run = 0,
        }
        next = item.last + 1;
        items.push(item);
    }
    mark_authors(&mut items, lines);
    finish(items, lines)
}

/// Items after this many the story has surely begun.
const WINDOW: usize = 16;
/// A sentence under the headline with fewer words than this starts the story.
const DECK_WORDS: usize = 6;
/// More candidate lines in a row than this are paragraphs, not a header.
const MAX_TEXT_RUN: usize = 3;

/// Classifies lines for the scan, keeping the lines classified while looking ahead so that
/// each is classified once.
struct Reader<'a> {
    lines: &'a [&'a str],
    order: DateOrder,
    furniture: &'a FurnitureLines,
    ahead: Vec<Item>,
}

impl Reader<'_> {
    fn classify(&mut self, at: usize) -> Item {
        match self.ahead.iter().position(|i| i.first == at) {
            Some(pos) => self.ahead.swap_remove(pos),
            None => classify_at(self.lines, at, self.order, self.furniture),
        }
    }
}

fn next_non_empty(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&i| !lines[i].is_empty())
}

/// One line (or a date split over up to three short lines) classified.
fn classify_at(lines: &[&str], at: usize, order: DateOrder, furniture: &FurnitureLines) -> Item {
    let line = lines[at];
    let one = |kind| Item {
        first: at,
        last: at,
        kind,
    };
    if furniture.contains(line) {
        return one(Kind::Furniture);
    }
    if let Some(date) = date_line(line, order) {
        return one(Kind::Date(date));
    }
    if let Some((last, date)) = split_date(lines, at, order) {
        return Item {
            first: at,
            last,
            kind: Kind::Date(date),
        };
    }
    one(single_kind(line))
}

/// The kind of a line that is not a date line.
fn single_kind(line: &str) -> Kind {
    if !chars_at_most(line, LONG_LINE) {
        return long_line_kind(line);
    }
    let any_day = chrono::NaiveDate::default();
    if textdate::parse_time_line(line, any_day).is_some() {
        return Kind::Time;
    }
    if let Some(byline) = header::parse_byline(line) {
        return Kind::Byline(byline);
    }
    if classify::is_staff_byline(line) {
        return Kind::Byline(Byline {
            authors: Vec::new(),
            agency: None,
        });
    }
    if line.len() <= 12 && BY_WORDS.contains(&line.to_lowercase().trim_end_matches(':')) {
        return Kind::ByWord;
    }
    // `AFP`, `Reuters`, `The Associated Press`; a word in lower case is prose (`ap.`).
    let capitalised = line.starts_with(|c: char| c.is_uppercase());
    let agency = (capitalised && line.len() <= 40)
        .then(|| header::canonical_agency(line))
        .flatten();
    if let Some(agency) = agency {
        return Kind::Agency(agency);
    }
    if header::parse_credit(line).is_some() {
        return Kind::Credit;
    }
    if textdate::is_comment_counter(line) {
        Kind::Counter
    } else if super::boilerplate::is_share_prompt(line) {
        Kind::Share
    } else if super::boilerplate::is_related_heading(line) {
        Kind::Navigation
    } else if classify::is_advert(line) {
        Kind::Advert
    } else if classify::is_caption(line) {
        Kind::Caption
    } else if classify::is_navigation(line) {
        Kind::Navigation
    } else if classify::is_meta(line) {
        Kind::Meta
    } else {
        Kind::Text
    }
}

/// Past this many characters no test of [`single_kind`] holds but those of
/// [`long_line_kind`] (times, bylines, agencies, credits, share prompts, captions,
/// navigation and meta lines are all shorter).
const LONG_LINE: usize = 400;

/// [`single_kind`] of a line past [`LONG_LINE`] characters, with only the tests that can
/// hold for it, in the same order: those whose patterns allow runs of spaces or
/// decoration of any length.
fn long_line_kind(line: &str) -> Kind {
    if classify::is_staff_byline(line) {
        Kind::Byline(Byline {
            authors: Vec::new(),
            agency: None,
        })
    } else if textdate::is_comment_counter(line) {
        Kind::Counter
    } else if super::boilerplate::is_related_heading(line) {
        Kind::Navigation
    } else if classify::is_advert(line) {
        Kind::Advert
    } else {
        Kind::Text
    }
}

const BY_WORDS: &[&str] = &["by", "posted by", "written by", "words by", "words"];

/// A date line with every date on it (`Published: 2 Feb 2013 | Updated: 3 Feb 2013`).
fn date_line(line: &str, order: DateOrder) -> Option<DateLine> {
    let (first, tail) = textdate::parse_date_line_with_tail(line, order)?;
    let mut rest = first.rest.clone();
    let mut tails: Vec<String> = tail.into_iter().collect();
    let mut dates = vec![first];
    while let Some((more, tail)) = textdate::parse_date_line_with_tail(&rest, order) {
        rest = more.rest.clone();
        tails.extend(tail);
        dates.push(more);
    }
    Some(DateLine { dates, tails, rest })
}

/// A date written over two or three short lines: `3` / `March` / `2011`, `Thursday` /
/// `March 3, 2011`. Returns the last line used.
fn split_date(lines: &[&str], at: usize, order: DateOrder) -> Option<(usize, DateLine)> {
    if !chars_at_most(lines[at], 12) {
        return None;
    }
    let mut joined = lines[at].to_owned();
    let mut last = at;
    for _ in 0..2 {
        let next = next_non_empty(lines, last + 1)?;
        if !chars_at_most(lines[next], 16) || next > last + 2 {
            return None;
        }
        joined.push(' ');
        joined.push_str(lines[next]);
        last = next;
        if let Some(date) = date_line(&joined, order).filter(|d| d.rest.is_empty()) {
            return Some((last, date));
        }
    }
    None
}

/// A date alone on its line, with neither time nor label nor byline beside it.
fn is_bare(d: &DateLine) -> bool {
    d.rest.is_empty()
        && d.dates
            .iter()
            .all(|t| t.time.is_none() && t.kind == DateKind::Plain)
}

/// Whether one of the next `n` non-empty lines from `from` is a byline.
fn byline_within(lines: &[&str], from: usize, n: usize, order: DateOrder) -> bool {
    let empty = FurnitureLines::default();
    (from..lines.len())
        .filter(|&i| !lines[i].is_empty())
        .take(n)
        .any(|at| is_byline(&classify_at(lines, at, order, &empty).kind))
}

/// Whether one of the next `n` lines of text or header from `from` (captions, adverts
/// and the like passed over) is a date, time or byline: what shows a long line above it
/// to be a deck (or a headline over its deck) rather than the first paragraph. A caption
/// or an advert under a paragraph shows nothing: stories have them too.
fn anchor_within(reader: &mut Reader<'_>, from: usize, n: usize) -> bool {
    let mut seen = 0;
    let mut at = from;
    while seen < n {
        let Some(next) = next_non_empty(reader.lines, at) else {
            return false;
        };
        let item = reader.classify(next);
        let strong = is_strong(&item.kind);
        if matches!(item.kind, Kind::Text) {
            seen += 1;
        }
        at = item.last + 1;
        reader.ahead.push(item);
        if strong {
            return true;
        }
    }
    false
}

/// Whether an item ends the header no earlier than itself. Dates, times, bylines and
/// agencies always do; captions, adverts, navigation and the like only above any sentence
/// of text and any text under a date or byline: below those they are the story's.
fn is_anchor(kind: &Kind, weak_allowed: bool) -> bool {
    match kind {
        Kind::Text | Kind::Credit => false,
        k => is_strong(k) || weak_allowed,
    }
}

/// The last item among `items[..limit]` that ends the header no earlier than itself.
fn last_anchor(items: &[Item], lines: &[&str], limit: usize) -> Option<usize> {
    let mut texts = 0;
    let mut seen_sentence = false;
    let mut strong_seen = false;
    let mut text_after_strong = false;
    let mut last = None;
    for (k, item) in items.iter().enumerate().take(limit) {
        if matches!(item.kind, Kind::Text) {
            seen_sentence |= texts > 0 && classify::is_sentence(lines[item.first]);
            text_after_strong |= strong_seen;
            texts += 1;
        }
        strong_seen |= is_strong(&item.kind);
        // Share prompts, reading times and the like right under a date or byline belong
        // to the header wherever it stands.
        let run_on = k > 0 && last == Some(k - 1) && is_weak(&item.kind);
        if run_on || is_anchor(&item.kind, !seen_sentence && !text_after_strong) {
            last = Some(k);
        }
    }
    last
}

/// Whether story text follows line `from`: anything but a credit, a counter or a share
/// prompt.
fn story_follows(lines: &[&str], from: usize) -> bool {
    lines.iter().skip(from).any(|l| {
        !l.is_empty()
            && header::parse_credit(l).is_none()
            && !textdate::is_comment_counter(l)
            && !super::boilerplate::is_share_prompt(l)
    })
}

/// Marks the name under a lone `By`, and a person's name beside a byline that names the
/// same person.
fn mark_authors(items: &mut [Item], lines: &[&str]) {
    for k in 1..items.len() {
        let (before, rest) = items.split_at_mut(k);
        let (prev, item) = (&before[k - 1], &mut rest[0]);
        if !matches!(item.kind, Kind::Text) {
            continue;
        }
        let line = lines[item.first];
        let after_by = matches!(prev.kind, Kind::ByWord) && classify::is_person_name(line);
        if after_by || names_same_person(&prev.kind, line) {
            item.kind = Kind::Author;
        }
    }
    for k in 0..items.len().saturating_sub(1) {
        let line = lines[items[k].first];
        if matches!(items[k].kind, Kind::Text) && names_same_person(&items[k + 1].kind, line) {
            items[k].kind = Kind::Author;
        }
    }
    for k in 1..items.len() {
        let line = lines[items[k].first];
        let under_byline = match &items[k - 1].kind {
            Kind::Date(d) => header::parse_byline_beside_date(&d.rest).is_some(),
            kind => is_byline(kind),
        };
        if matches!(items[k].kind, Kind::Text) && under_byline && classify::is_role_line(line) {
            items[k].kind = Kind::Role;
        }
    }
    // `Carlos Brennan` over `Contributor`: a name over its role, wherever they stand.
    for k in 1..items.len() {
        let both_text =
            matches!(items[k - 1].kind, Kind::Text) && matches!(items[k].kind, Kind::Text);
        if both_text
            && classify::is_person_name(lines[items[k - 1].first])
            && classify::is_role_line(lines[items[k].first])
        {
            items[k - 1].kind = Kind::Author;
            items[k].kind = Kind::Role;
        }
    }
    for k in 0..items.len() {
        if matches!(items[k].kind, Kind::Text) && is_named_author(items, k, lines) {
            items[k].kind = Kind::Author;
        }
    }
    // The links under a `Related Topics` heading.
    for k in 1..items.len() {
        let line = lines[items[k].first];
        let under_related = matches!(items[k - 1].kind, Kind::Navigation)
            && (super::boilerplate::is_related_heading(lines[items[k - 1].first])
                || related_run(items, k - 1, lines));
        if under_related && matches!(items[k].kind, Kind::Text) && is_link_text(line) {
            items[k].kind = Kind::Navigation;
        }
    }
}

/// Whether `items[k]` is a link already taken into a related block.
fn related_run(items: &[Item], k: usize, lines: &[&str]) -> bool {
    (0..k)
        .rev()
        .find(|&j| !matches!(items[j].kind, Kind::Navigation))
        .map_or(
            super::boilerplate::is_related_heading(lines[items[0].first]),
            |j| {
                items
                    .get(j + 1)
                    .is_some_and(|i| super::boilerplate::is_related_heading(lines[i.first]))
            },
        )
}

/// A short line that is no sentence: a link's title.
fn is_link_text(line: &str) -> bool {
    line.split_whitespace().count() <= 12 && !classify::is_sentence(line)
}

/// A person's name (perhaps with a role) under a headline-like line, next to a date,
/// time or byline, or closing the header: `Alex Chen` over `Jan 14, 2019 · 6 min read`.
fn is_named_author(items: &[Item], k: usize, lines: &[&str]) -> bool {
    let line = lines[items[k].first];
    if classify::author_name(line).is_none() {
        return false;
    }
    if is_name_with_role(line) {
        return true;
    }
    // Some line above that is not a name itself (a headline, a site's name).
    let titled = items[..k]
        .iter()
        .any(|i| matches!(i.kind, Kind::Text) && classify::author_name(lines[i.first]).is_none());
    let prev = items[..k].iter().rev().find(|i| !is_weak(&i.kind));
    let next = items[k + 1..].iter().find(|i| !is_weak(&i.kind));
    titled && (prev.is_some_and(|i| is_strong(&i.kind)) || next.is_none_or(|i| is_strong(&i.kind)))
}

/// `Jo Baker | Contributor`, `Jo Baker, Staff Writer`: a name with its role says what it
/// is wherever it stands.
fn is_name_with_role(line: &str) -> bool {
    line.contains([',', '|', '—']) && classify::author_name(line).is_some()
}

fn names_same_person(kind: &Kind, line: &str) -> bool {
    let byline = match kind {
        Kind::Byline(b) => Some(b.clone()),
        Kind::Date(d) => header::parse_byline_beside_date(&d.rest),
        _ => None,
    };
    // `Patrick Wintour, political editor` beside `by Patrick Wintour`.
    let name = line.split([',', '|', '—']).next().unwrap_or(line).trim();
    byline.is_some_and(|b| b.authors.iter().any(|a| a.eq_ignore_ascii_case(name)))
}

/// Ends the zone at its last anchor and chooses the headline among the candidates.
fn finish(items: Vec<Item>, lines: &[&str]) -> Zone {
    let mut last = last_anchor(&items, lines, items.len());
    if last.is_some_and(|a| !story_follows(lines, items[a].last + 1)) {
        // A header cannot be the whole text: what looked like its last lines close the
        // story, and the header ends before the second line of text (or, with one line
        // of text, at it: `Headline` / `AP.` is a headline over a story of one word).
        let mut texts = items
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.kind, Kind::Text))
            .map(|(k, _)| k);
        let first_text = texts.next();
        let limit = texts
            .next()
            .or(first_text.map(|k| k + 1))
            .unwrap_or(items.len());
        last = last_anchor(&items, lines, limit);
    }
    // Candidates: the lines of text above the last anchor, and those right under it up
    // to the first paragraph (`date` / `headline` / story).
    let after = last.map_or(0, |a| a + 1);
    // With no anchor at all nothing shows a header: the first line is the headline.
    let under = match last {
        Some(_) => items[after..]
            .iter()
            .take_while(|i| matches!(i.kind, Kind::Text))
            .count(),
        None => {
            items
                .iter()
                .take_while(|i| matches!(i.kind, Kind::Furniture))
                .count()
                + 1
        }
    }
    .min(items.len() - after);
    let is_text = |k: &usize| matches!(items[*k].kind, Kind::Text);
    let above: Vec<usize> = (0..after).filter(is_text).collect();
    let under: Vec<usize> = (after..after + under).filter(is_text).collect();
    let mut zone = Zone {
        end: last.map_or(0, |a| items[a].last + 1),
        ..Zone::default()
    };
    match headline::choose(&items, &above, &under, lines) {
        Some(h) => {
            zone.headline = Some(h);
            zone.labels = above
                .iter()
                .chain(&under)
                .copied()
                .filter(|&k| k < h)
                .collect();
            zone.deck = above.iter().copied().filter(|&k| k > h).collect();
        }
        None => {
            let (h, guessed) = headline::fallback(&items);
            zone.headline = h;
            zone.guessed = guessed;
        }
    }
    if let Some(h) = zone.headline {
        zone.end = zone.end.max(items[h].last + 1);
    }
    zone.items = items;
    zone
}
