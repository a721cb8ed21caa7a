//! What a line of a header zone can be ([`Kind`]), the classified [`Item`]s `zone` makes
//! of them, and the questions both the zone scan and the headline choice ask of an item
//! (is it a byline, an anchor, a title?).
//!
//! Types and predicates only: no scanning, no choosing.

use super::classify;
use super::header::{self, Byline};
use crate::ingest::textdate::TextDate;

/// What one header line is (a date split over lines makes one item of them).
#[derive(Debug)]
pub(super) enum Kind {
    /// None of the others: the headline, a deck, a site or section name.
    Text,
    Date(DateLine),
    /// A time alone, for the date just above (`11:42 AM EST`, `Updated 14:05 GMT`).
    Time,
    Byline(Byline),
    /// `By` alone: the name is on the next line.
    ByWord,
    /// A person's name alone next to a byline or a date, or under the headline (`Alex
    /// Chen`, `Mei Lin, Staff Engineer`).
    Author,
    /// A job title or desk under a byline: `AP Sports Writer`, `BBC News, Abuja`.
    Role,
    Agency(String),
    /// A credit line (`© 2013 AFP`): a photo's at the top, the story's at the end.
    Credit,
    Furniture,
    Caption,
    Advert,
    Share,
    Counter,
    Navigation,
    Meta,
}

/// The dates on one date line, with what else the line holds.
#[derive(Debug)]
pub(super) struct DateLine {
    pub dates: Vec<TextDate>,
    /// Comment counters after a date (`Comments 0 comments`).
    pub tails: Vec<String>,
    /// The line without its dates: a byline, a place, or other words.
    pub rest: String,
}

/// One classified item: lines `first..=last` (0-based indexes into the text's lines).
#[derive(Debug)]
pub(super) struct Item {
    pub first: usize,
    pub last: usize,
    pub kind: Kind,
}

/// A line of text that could be a headline: not a label, not a sentence.
pub(super) fn is_title(kind: &Kind, line: &str) -> bool {
    matches!(kind, Kind::Text) && !classify::is_label(line) && !classify::ends_with_full_stop(line)
}
pub(super) fn is_byline(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Byline(_) | Kind::ByWord | Kind::Author | Kind::Role
    ) || matches!(kind, Kind::Date(d) if header::parse_byline_beside_date(&d.rest).is_some())
}
pub(super) fn is_strong(kind: &Kind) -> bool {
    matches!(kind, Kind::Date(_) | Kind::Time | Kind::Agency(_)) || is_byline(kind)
}
/// Lines that are neither text nor an anchor of their own: captions, adverts, share
/// prompts, navigation and the like.
pub(super) fn is_weak(kind: &Kind) -> bool {
    !matches!(kind, Kind::Text) && !is_strong(kind)
}
