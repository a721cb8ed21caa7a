//! Plain-text wire copy to structure: headline, header lines (date, byline), paragraphs,
//! dateline, credit and source, with site boilerplate cut and every cut recorded.
//!
//! Owns the layout rules of `.txt` articles. Takes decoded text (see
//! [`decode`](super::decode)) and returns plain, unescaped text: escaping is the
//! renderer's job. Dates are taken only from header lines right after the headline or from
//! a closing date line, never from running prose.

mod boilerplate;
mod header;

use std::borrow::Cow;
use std::fmt;

use regex::{Regex, RegexBuilder};

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
}

/// The structure found in one wire-copy text. Line numbers are 1-based in the given text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireDoc {
    /// The first non-empty line, trimmed; empty when the text has none.
    pub headline: String,
    /// The headline's line, 0 when there is no headline.
    pub headline_line: usize,
    /// The published (or unlabelled) date from a header or closing date line.
    pub date: Option<TextDate>,
    pub date_line: Option<usize>,
    /// A date labelled `Updated`, `Last modified` and the like.
    pub updated: Option<TextDate>,
    /// The dateline split from the first paragraph: `MOSCOW (AFP)`, `BEIRUT, Lebanon, June 2`.
    pub dateline: Option<String>,
    pub authors: Vec<String>,
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
}

/// Parses plain-text wire copy.
///
/// The headline is the first non-empty line. The lines after it (blank lines aside) may be
/// date lines (`2nd February 2013, Comments 0 comments`, `Updated: …`) and bylines (`By Jane
/// Smith`, `by John on July 7, 2012`); the first other line starts the body. Body
/// paragraphs are separated by blank lines (runs of them count once) and their lines are
/// joined with a space. Boilerplate is cut (see [`CutReason`]), then a closing credit line
/// and a closing date line are taken, then a dateline opening the first paragraph is split
/// off.
pub fn parse_wire(text: &str, opts: &WireOptions) -> WireDoc {
    let lines: Vec<&str> = split_lines(text).into_iter().map(trim_line).collect();
    let mut doc = WireDoc::default();
    let Some(head) = lines.iter().position(|l| !l.is_empty()) else {
        return doc;
    };
    doc.headline = lines[head].to_owned();
    doc.headline_line = head + 1;
    let mut byline_agency = None;

    let mut next = head + 1;
    let mut header_lines = 0;
    while header_lines < MAX_HEADER_LINES {
        let Some(offset) = lines[next..].iter().position(|l| !l.is_empty()) else {
            break;
        };
        let index = next + offset;
        if !take_header_line(&mut doc, lines[index], index + 1, opts, &mut byline_agency) {
            break;
        }
        next = index + 1;
        header_lines += 1;
    }

    let mut body: Vec<BodyLine<'_>> = lines[next..]
        .iter()
        .enumerate()
        .map(|(i, l)| BodyLine {
            no: next + i + 1,
            text: (!l.is_empty()).then_some(Cow::Borrowed(*l)),
        })
        .collect();
    boilerplate::cut_boilerplate(&mut body, &opts.boilerplate, &mut doc.cut);
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
            dateline_agency = split.agency;
            *first = split.rest;
        }
    }
    doc.paragraphs = paragraphs;
    if doc.source.is_none() {
        doc.source = dateline_agency.or(byline_agency);
    }
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
        let regex = RegexBuilder::new(&expression)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| PatternError::Invalid {
                pattern: source.to_owned(),
                message: e.to_string(),
            })?;
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
        }
    }
}

/// Header lines after the headline: more than this and the body has begun.
const MAX_HEADER_LINES: usize = 6;
const MAX_NOTE_CHARS: usize = 80;

/// Takes one header line (date line, byline, or comment counter) into `doc`; false when the
/// line is none of these and so starts the body.
fn take_header_line(
    doc: &mut WireDoc,
    line: &str,
    no: usize,
    opts: &WireOptions,
    byline_agency: &mut Option<String>,
) -> bool {
    if let Some((first, tail)) = textdate::parse_date_line_with_tail(line, opts.date_order) {
        let mut rest = first.rest.clone();
        let mut tails = vec![tail];
        store_date(doc, first, no);
        // `Published: 2 Feb 2013 | Updated: 3 Feb 2013` holds two.
        while let Some((more, tail)) = textdate::parse_date_line_with_tail(&rest, opts.date_order) {
            rest = more.rest.clone();
            tails.push(tail);
            store_date(doc, more, no);
        }
        for tail in tails.into_iter().flatten() {
            doc.cut
                .push(CutNote::new(no, no, CutReason::CommentCounter, &tail));
        }
        if let Some(byline) = header::parse_byline(&rest) {
            add_byline(doc, byline, byline_agency);
        } else if let Some(agency) = header::canonical_agency(&rest) {
            byline_agency.get_or_insert(agency);
        } else if let Some(agency) = header::parse_place(&rest) {
            // `MOSCOW (AFP), 2 February 2013`: a dateline on the date line.
            doc.dateline.get_or_insert(rest);
            if let Some(agency) = agency {
                byline_agency.get_or_insert(agency);
            }
        } else if !rest.is_empty() {
            doc.cut
                .push(CutNote::new(no, no, CutReason::DateLineText, &rest));
        }
        return true;
    }
    if let Some(byline) = header::parse_byline(line) {
        add_byline(doc, byline, byline_agency);
        return true;
    }
    if textdate::is_comment_counter(line) {
        doc.cut
            .push(CutNote::new(no, no, CutReason::CommentCounter, line));
        return true;
    }
    false
}

fn store_date(doc: &mut WireDoc, date: TextDate, no: usize) {
    if date.kind == DateKind::Updated {
        doc.updated.get_or_insert(date);
    } else if doc.date.is_none() {
        doc.date = Some(date);
        doc.date_line = Some(no);
    }
}

fn add_byline(doc: &mut WireDoc, byline: header::Byline, byline_agency: &mut Option<String>) {
    for author in byline.authors {
        if !doc.authors.contains(&author) {
            doc.authors.push(author);
        }
    }
    if let Some(agency) = byline.agency {
        byline_agency.get_or_insert(agency);
    }
}

/// Takes a closing credit line and, when the header gave no date, a closing date line, in
/// either order.
fn take_closing_lines(doc: &mut WireDoc, body: &mut [BodyLine<'_>], opts: &WireOptions) {
    for _ in 0..2 {
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
