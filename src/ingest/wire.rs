//! Plain-text wire copy to structure: headline, header lines (date, byline), paragraphs,
//! dateline, credit and source, with site boilerplate cut and every cut recorded.
//!
//! Owns the layout rules of `.txt` articles. Takes decoded text (see
//! [`decode`](super::decode)) and returns plain, unescaped text: escaping is the
//! renderer's job. Dates are taken only from header lines right after the headline or from
//! a closing date line, never from running prose.

mod boilerplate;
mod classify;
mod comments;
mod header;
mod headline;
mod item;
mod take;
mod zone;

use std::borrow::Cow;
use std::fmt;

use regex::{Regex, RegexBuilder};

use super::furniture::FurnitureLines;
use super::textdate::{self, DateKind, DateOrder, TextDate};
use boilerplate::BodyLine;

/// How to read wire copy.
#[derive(Debug, Clone, Default)]
pub struct WireOptions {
    /// How to read all-numeric dates such as `02/03/2013`.
    pub date_order: DateOrder,
    /// The site's own boilerplate patterns, applied to every body line after the built-in
    /// rules.
    pub boilerplate: Vec<Pattern>,
    /// The site's own comments separators (`[content] cut_after`): the first body line
    /// one of them matches is cut with everything after it.
    pub cut_after: Vec<Pattern>,
}

/// A site boilerplate pattern: `/regex/` between slashes, or else literal text matched
/// without regard to case. A match of a whole line cuts the line; a match of part of a
/// line removes that part.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: Regex,
}

/// A boilerplate pattern that does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("boilerplate pattern `{pattern}` is not a valid regular expression: {message}")]
    Invalid { pattern: String, message: String },
    #[error("cut_after pattern `{pattern}` is not a valid regular expression: {message}")]
    InvalidCutAfter { pattern: String, message: String },
}

/// The structure found in one wire-copy text. Line numbers are 1-based in the given text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireDoc {
    /// The header line that is no date, byline, caption, site name or furniture, trimmed;
    /// empty when the text has no line at all.
    pub headline: String,
    /// The headline's line, 0 when there is no headline.
    pub headline_line: usize,
    /// The deck or standfirst: lines of text between the headline and the end of the
    /// header, joined with a space.
    pub deck: Option<String>,
    pub deck_line: Option<usize>,
    /// The published (or unlabelled) date from a header or closing date line; of two
    /// unlabelled dates, the earlier.
    pub date: Option<TextDate>,
    pub date_line: Option<usize>,
    /// A date labelled `Updated`, `Last modified` and the like, or the later of two.
    pub updated: Option<TextDate>,
    pub updated_line: Option<usize>,
    /// The dateline split from the first paragraph: `MOSCOW (AFP)`, `BEIRUT, Lebanon, June 2`.
    pub dateline: Option<String>,
    pub dateline_line: Option<usize>,
    pub authors: Vec<String>,
    /// The first line naming an author.
    pub byline_line: Option<usize>,
    /// Reasons to review what was read.
    pub flags: Vec<Flag>,
    /// The closing credit line as written: `© 2013 AFP`.
    pub credit: Option<String>,
    /// The agency, from the credit line, else the dateline, else the byline: `AFP`.
    pub source: Option<String>,
    /// Paragraphs as plain text, lines joined with a space. Not HTML-escaped.
    pub paragraphs: Vec<String>,
    /// What was removed as boilerplate, in order of discovery.
    pub cut: Vec<CutNote>,
}

/// One piece of text removed from a wire-copy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutNote {
    pub first_line: usize,
    pub last_line: usize,
    pub reason: CutReason,
    /// The start of what was removed (its first line, or the matched text), at most 80
    /// characters.
    pub text: String,
}

/// Why text was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CutReason {
    /// `0 Comments To This Article`, or a `Comments 0 comments` tail on the date line.
    CommentCounter,
    /// `Share this article`, `Print | Email`.
    SharePrompt,
    /// A "Related stories" heading and the link lines under it.
    RelatedStories,
    /// A comments heading and everything after it.
    CommentsSection,
    /// Words beside the date on a date line that are neither a byline nor an agency.
    DateLineText,
    /// A pattern from site.toml, as written there.
    Pattern(String),
    /// A line repeated in the head or tail of many files of the same source.
    Furniture,
    /// A photo caption or credit.
    Caption,
    /// `Advertisement`, `Sponsored content`.
    Advertisement,
    /// Breadcrumbs, menus, reading times, tag lines.
    Navigation,
    /// A site, section or blog name (or tagline) above the headline.
    SiteName,
    /// Readers' comments without a heading: a name and time line over short paragraphs,
    /// repeated to the end.
    ReaderComments,
    /// A `[content] cut_after` pattern matched this line: it and all after it are cut.
    CutAfter(String),
    /// A job title or desk under a byline (`AP Sports Writer`, `BBC News, Abuja`).
    BylineRole,
    /// A page's footer under the story: `This entry was posted in …`, `Reporting by …;
    /// Editing by …`, `A version of this article appears in print …`.
    Footer,
}

/// Why a file's reading deserves a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// Two different unlabelled dates in the header: the earlier was taken.
    TwoDates,
    /// No header line was a headline candidate: the headline is a guess.
    NoHeadline,
    /// The story has fewer than 30 words.
    ShortStory,
}

/// Parses plain-text wire copy or a scraped page, without site furniture: see
/// [`parse_wire_with`].
pub fn parse_wire(text: &str, opts: &WireOptions) -> WireDoc {
    parse_wire_with(text, opts, &FurnitureLines::default())
}

/// Parses plain-text wire copy or a scraped page.
///
/// The header zone (the lines before the first real paragraph) is classified line by line
/// (see `zone`): date lines (`2nd February 2013, Comments 0 comments`, `Updated: …`, a time
/// on the next line, a date split over lines), bylines (`By Jane Smith`, `by John on July
/// 7, 2012`), captions, adverts, navigation, and the site's `furniture`; the headline is
/// the line that is none of these, and lines of text after it are the deck. Of two dates
/// the earlier is the date and the later the update. Body paragraphs are separated by
/// blank lines (runs of them count once) and their lines are joined with a space.
/// Boilerplate is cut (see [`CutReason`]), then a closing credit line and a closing date
/// line are taken, then a dateline opening the first paragraph is split off.
pub fn parse_wire_with(text: &str, opts: &WireOptions, furniture: &FurnitureLines) -> WireDoc {
    let lines: Vec<&str> = split_lines(text).into_iter().map(trim_line).collect();
    let mut doc = WireDoc::default();
    if lines.iter().all(|l| l.is_empty()) {
        return doc;
    }
    let zone = zone::scan(&lines, opts.date_order, furniture);
    let byline_agency = take::take_zone(&mut doc, &zone, &lines);
    let next = zone.end;

    let mut body: Vec<BodyLine<'_>> = lines[next..]
        .iter()
        .enumerate()
        .map(|(i, l)| BodyLine {
            no: next + i + 1,
            text: (!l.is_empty()).then_some(Cow::Borrowed(*l)),
        })
        .collect();
    boilerplate::cut_boilerplate(&mut body, opts, furniture, &mut doc.cut);
    take_closing_lines(&mut doc, &mut body, opts);

    let (mut paragraphs, first_line) = paragraphs(&body);
    let mut dateline_agency = None;
    if let Some(first) = paragraphs.first_mut() {
        if let Some(split) = header::split_dateline(first) {
            // `NEW YORK, Feb. 2, 2013 (AP) --` dates the story when nothing else has.
            if doc.date.is_none() {
                if let Some(date) = textdate::parse_text_date(&split.dateline, opts.date_order) {
                    store_date(&mut doc, date, first_line);
                }
            }
            doc.dateline = Some(split.dateline);
            doc.dateline_line = Some(first_line);
            dateline_agency = split.agency;
            *first = split.rest;
        }
    }
    doc.paragraphs = paragraphs;
    if doc.source.is_none() {
        doc.source = dateline_agency.or(byline_agency);
    }
    take::flag(&mut doc, &zone);
    doc
}

impl WireOptions {
    /// Options with the site's boilerplate patterns compiled once.
    pub fn new<S: AsRef<str>>(date_order: DateOrder, patterns: &[S]) -> Result<Self, PatternError> {
        let boilerplate = patterns
            .iter()
            .map(|p| Pattern::new(p.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(WireOptions {
            date_order,
            boilerplate,
            cut_after: Vec::new(),
        })
    }

    /// These options with the site's comments separators (regular expressions, as
    /// written) compiled.
    pub fn with_cut_after<S: AsRef<str>>(mut self, patterns: &[S]) -> Result<Self, PatternError> {
        self.cut_after = patterns
            .iter()
            .map(|p| Pattern::regex(p.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(self)
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flag::TwoDates => "two competing dates",
            Flag::NoHeadline => "no headline candidate",
            Flag::ShortStory => "very short story",
        })
    }
}

impl Pattern {
    /// Compiles `/regex/` as a regular expression and anything else as literal,
    /// case-insensitive text.
    pub fn new(source: &str) -> Result<Self, PatternError> {
        let expression = match source.strip_prefix('/').and_then(|s| s.strip_suffix('/')) {
            Some(inner) => inner.to_owned(),
            None => format!("(?i){}", regex::escape(source.trim())),
        };
        Self::compile(source, &expression, |pattern, message| {
            PatternError::Invalid { pattern, message }
        })
    }

    /// A regular expression as written (a `cut_after` entry).
    pub fn regex(source: &str) -> Result<Self, PatternError> {
        Self::compile(source, source, |pattern, message| {
            PatternError::InvalidCutAfter { pattern, message }
        })
    }

    fn compile(
        source: &str,
        expression: &str,
        error: fn(String, String) -> PatternError,
    ) -> Result<Self, PatternError> {
        let regex = RegexBuilder::new(expression)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| error(source.to_owned(), e.to_string()))?;
        Ok(Pattern {
            source: source.to_owned(),
            regex,
        })
    }

    /// The pattern as written in site.toml.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl CutNote {
    fn new(first_line: usize, last_line: usize, reason: CutReason, text: &str) -> Self {
        let mut short: String = text.chars().take(MAX_NOTE_CHARS).collect();
        if text.chars().count() > MAX_NOTE_CHARS {
            short.push('…');
        }
        CutNote {
            first_line,
            last_line,
            reason,
            text: short,
        }
    }
}

impl fmt::Display for CutNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first_line == self.last_line {
            write!(
                f,
                "line {}: {} `{}`",
                self.first_line, self.reason, self.text
            )
        } else {
            write!(
                f,
                "lines {}-{}: {} `{}`",
                self.first_line, self.last_line, self.reason, self.text
            )
        }
    }
}

impl fmt::Display for CutReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CutReason::CommentCounter => f.write_str("comment counter"),
            CutReason::SharePrompt => f.write_str("share prompt"),
            CutReason::RelatedStories => f.write_str("related stories"),
            CutReason::CommentsSection => f.write_str("comments section"),
            CutReason::DateLineText => f.write_str("text beside the date"),
            CutReason::Pattern(pattern) => write!(f, "site pattern `{pattern}`"),
            CutReason::Furniture => f.write_str("site furniture"),
            CutReason::Caption => f.write_str("caption"),
            CutReason::Advertisement => f.write_str("advertisement"),
            CutReason::Navigation => f.write_str("navigation"),
            CutReason::SiteName => f.write_str("site name"),
            CutReason::ReaderComments => f.write_str("reader comments"),
            CutReason::CutAfter(pattern) => write!(f, "cut_after `{pattern}`"),
            CutReason::BylineRole => f.write_str("byline role"),
            CutReason::Footer => f.write_str("page footer"),
        }
    }
}

const MAX_NOTE_CHARS: usize = 80;

fn store_date(doc: &mut WireDoc, date: TextDate, no: usize) {
    if date.kind == DateKind::Updated {
        if doc.updated.is_none() {
            doc.updated = Some(date);
            doc.updated_line = Some(no);
        }
    } else if doc.date.is_none() {
        doc.date = Some(date);
        doc.date_line = Some(no);
    }
}

/// Takes a closing credit line, a closing byline (`Posted by Harry at 18:42`) and, when the
/// header gave no date, a closing date line, in any order.
fn take_closing_lines(doc: &mut WireDoc, body: &mut [BodyLine<'_>], opts: &WireOptions) {
    for _ in 0..3 {
        let Some(last) = body.iter_mut().rev().find(|l| l.text.is_some()) else {
            return;
        };
        let text = last.text.as_deref().unwrap_or_default();
        if doc.credit.is_none() {
            if let Some(credit) = header::parse_credit(text) {
                doc.credit = Some(credit.text);
                doc.source = credit.source;
                last.text = None;
                continue;
            }
        }
        if doc.byline_line.is_none() {
            if let Some(byline) = header::parse_byline(text) {
                doc.byline_line = Some(last.no);
                doc.authors.extend(byline.authors);
                if doc.source.is_none() {
                    doc.source = byline.agency;
                }
                last.text = None;
                continue;
            }
        }
        if doc.date.is_none() {
            if let Some(date) = textdate::parse_date_line(text, opts.date_order) {
                if date.rest.is_empty() && date.kind != DateKind::Updated {
                    store_date(doc, date, last.no);
                    last.text = None;
                    continue;
                }
            }
        }
        return;
    }
}

/// Groups body lines into paragraphs (a blank or cut line ends one); also returns the
/// first paragraph's line.
fn paragraphs(body: &[BodyLine<'_>]) -> (Vec<String>, usize) {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut first_line = 0;
    for line in body {
        match line.text.as_deref() {
            Some(text) => {
                if out.is_empty() && current.is_empty() {
                    first_line = line.no;
                }
                current.push(text);
            }
            None if !current.is_empty() => out.push(std::mem::take(&mut current).join(" ")),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    (out, first_line)
}

/// Splits at LF, CRLF and lone CR, so line numbers match what an editor shows.
fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push(&text[start..]);
    lines
}

/// Trims white space (NBSP included) and zero-width characters from both ends.
fn trim_line(line: &str) -> &str {
    line.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
    })
}

#[cfg(test)]
mod tests;
