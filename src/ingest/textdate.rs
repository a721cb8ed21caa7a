//! Dates written in free text: `2nd February 2013`, `Feb. 2, 2013`, `Saturday 2 February
//! 2013 12:34 GMT`, `2013-02-02`, `02/02/2013`, with `Published:`/`Updated:` prefixes,
//! inside bylines, and followed by comment counters.
//!
//! Owns the recognition of one date (with optional time and offset) in one line, and the
//! guard [`is_date_line`] that tells a header line that is mostly a date from prose that
//! merely mentions one. Must not decide where in a document dates may come from (that is
//! the wire parser's job) and never resolves time zones by name beyond fixed abbreviations.

use std::sync::LazyLock;

use chrono::{FixedOffset, NaiveDate, NaiveTime};
use regex::{Captures, Regex};

/// How to read all-numeric dates such as `02/03/2013`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateOrder {
    /// `02/03/2013` is 2 March 2013 (the default).
    #[default]
    DayFirst,
    /// `02/03/2013` is 3 February 2013.
    MonthFirst,
}

/// What a date's prefix says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// Prefixed by `Published`, `Posted`, `Filed`, `Date` and the like.
    Published,
    /// Prefixed by `Updated`, `Last updated`, `Modified` and the like.
    Updated,
    /// No prefix.
    Plain,
}

/// A date found in a line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDate {
    pub date: NaiveDate,
    /// The time of day when one stands next to the date.
    pub time: Option<NaiveTime>,
    /// The offset from UTC when the time carries one (`GMT`, `+0100`, `EST`, `UTC+1`).
    pub offset: Option<FixedOffset>,
    pub kind: DateKind,
    /// The line with the date, its weekday, time, prefix and any comment-counter tail
    /// removed, and separators trimmed from the ends: `By John` for `by John on July 7,
    /// 2012`, empty for `2nd February 2013, Comments 0 comments`.
    pub rest: String,
}

/// Finds the first date in `line`. Dates without a year (`Saturday 20 November`) and
/// impossible dates (`30 February 2013`) are not dates.
pub fn parse_text_date(line: &str, order: DateOrder) -> Option<TextDate> {
    parse_with_tail(line, order).map(|(date, _)| date)
}

/// Like [`parse_text_date`], but only for a line that is mostly a date: short, and what is
/// left besides the date is empty, a byline, another date, or a few header words
/// (`London`, `AFP`). A sentence that mentions a date is not a date line.
pub fn parse_date_line(line: &str, order: DateOrder) -> Option<TextDate> {
    parse_date_line_with_tail(line, order).map(|(date, _)| date)
}

/// Whether [`parse_date_line`] finds a date in `line`.
pub fn is_date_line(line: &str, order: DateOrder) -> bool {
    parse_date_line(line, order).is_some()
}

/// [`parse_date_line`] plus the comment-counter tail it dropped, for cut reports.
pub(crate) fn parse_date_line_with_tail(
    line: &str,
    order: DateOrder,
) -> Option<(TextDate, Option<String>)> {
    if !chars_at_most(line, MAX_DATE_LINE_CHARS) {
        return None;
    }
    let (date, tail) = parse_with_tail(line, order)?;
    rest_is_header_like(&date.rest, order).then_some((date, tail))
}

/// A line that is only a time of day (`11:42 AM EST`, `Last updated at 14:05 GMT`),
/// read as on `date` (which decides summer time for `ET` and its kin). The flag says the
/// time is labelled as an update.
pub(crate) fn parse_time_line(
    line: &str,
    date: NaiveDate,
) -> Option<(NaiveTime, Option<FixedOffset>, bool)> {
    if line.len() > 60 {
        return None;
    }
    let caps = TIME_LINE.captures(line)?;
    let (time, offset) = time_and_offset(&caps, date)?;
    Some((time, offset, caps.name("upd").is_some()))
}

/// Whether a line is a bare comment counter such as `0 Comments To This Article`.
pub(crate) fn is_comment_counter(line: &str) -> bool {
    COMMENT_TAIL.is_match(line)
}

/// Whether `text` has at most `most` characters, without counting them when its bytes
/// already say so (a character is one to four bytes): lines of a story are checked often.
pub(crate) fn chars_at_most(text: &str, most: usize) -> bool {
    text.len() <= most || text.len() <= 4 * most && text.chars().count() <= most
}

/// A date line longer than this is prose.
const MAX_DATE_LINE_CHARS: usize = 200;

// Word boundaries are ASCII (`(?-u:\b)`): the words they bound are ASCII, and a Unicode
// `\b` makes the regex engine fall back from its DFA to a much slower one on non-ASCII text.
const MONTH: &str = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?-u:\b)\.?";
const DAY: &str = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?(?-u:\b)";
const YEAR: &str = r"(?P<year>[12][0-9]{3})";
const WEEKDAY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?-u:\b)\.?";
const TIME: &str = r"(?:(?P<hour>[0-2]?[0-9])[:.](?P<min>[0-5][0-9])(?::(?P<sec>[0-5][0-9])(?:\.[0-9]+)?)?(?:\s*(?P<ampm>[ap])\.?\s?m(?-u:\b)\.?)?|(?P<hour2>[0-2]?[0-9])\s*(?P<ampm2>[ap])\.?\s?m(?-u:\b)\.?)";
const ZONE: &str = r"(?:\s*\(?\s*(?P<zone>gmt|utc|ut|z|bst|cest|cet|eest|eet|msk|edt|est|cdt|cst|mdt|mst|pdt|pst|akst|akdt|hst|et|ct|mt|pt|jst|kst|hkt|sgt|aest|aedt|nzst|nzdt|ist|pkt|wib|pht|eat|wat|sast|awst|acst|acdt)(?-u:\b)(?:\s*(?P<zoff>[+\-−]\s*[0-9]{1,2}(?::?[0-9]{2})?))?\s*\)?|\s*(?P<off>[+\-−][0-9]{2}:?[0-9]{2})(?-u:\b))?";
const SEPARATORS: &[char] = &[',', '|', '·', '•', '-', '–', '—', ':', ';', '/'];

/// The date forms; each match is checked by [`candidate`].
static FORMS: LazyLock<[(Form, Regex); 4]> = LazyLock::new(|| {
    [
        (Form::Iso, r"(?P<year>[12][0-9]{3})(?P<sep>[-/.])(?P<mon>[01]?[0-9])(?P<sep2>[-/.])(?P<day>[0-3]?[0-9])".to_owned()),
        (Form::Numeric, r"(?P<a>[0-3]?[0-9])(?P<sep>[-/.])(?P<b>[0-3]?[0-9])(?P<sep2>[-/.])(?P<year>[12][0-9]{3})".to_owned()),
        (Form::DayMonth, format!(r"(?i)(?-u:\b)(?:the\s+)?{DAY}(?:\s+of)?[\s\-]+{MONTH}(?:\s*,\s*|[\s\-]+){YEAR}")),
        (Form::MonthDay, format!(r"(?i)(?-u:\b){MONTH}\s+{DAY}(?:\s*,\s*|\s+){YEAR}")),
    ]
    .map(|(form, pattern)| (form, compile(&pattern)))
});
static TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)^\s*(?:(?:,|;|at|@|-|–|—|\||/|T)\s*){{0,2}}{TIME}{ZONE}"
    ))
});
/// A line that is only a time (`11:42 AM EST`), perhaps labelled as an update (`Last
/// updated at 14:05 GMT`).
static TIME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)^(?:(?P<upd>(?:page\s+)?(?:last\s+)?(?:updated|modified))|published|posted)?\s*(?:at|:|-|–|—)?\s*{TIME}{ZONE}\s*$"
    ))
});
static TIME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)(?-u:\b){TIME}{ZONE}\s*(?:,|\||-|–|—)?\s*(?:on\s+)?$"
    ))
});
static WEEKDAY_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!(r"(?i)(?-u:\b){WEEKDAY}\s*,?\s*$")));
static PREFIX_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)(?-u:\b)(?:(?P<upd>(?:page\s+)?(?:last\s+)?(?:updated|modified|revised|amended|edited))|(?P<pub>(?:first\s+)?(?:published|posted|filed|released|issued|dated|date)))(?:\s+(?:on|at))?\s*[:\-–—]?\s*$",
    )
});
static ON_BEFORE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)(?-u:\b)(?:on|at)\s*[:,]?\s*$"));
static COMMENT_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^\s*[,|·•\-–—]?\s*(?:(?:comments?|responses?|replies)\s*:?\s*\(?[0-9]+\)?(?:\s+(?:comments?|responses?|replies))?|[0-9]+\s+(?:comments?|responses?|replies)(?:\s+(?:to|on)\s+this\s+(?:article|story|post))?|no\s+comments?(?:\s+yet)?|(?:leave|add|post|write)\s+a\s+(?:comment|reply)|view\s+comments?|comments?\s+(?:off|closed))\s*[.!]?\s*$",
    )
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Iso,
    Numeric,
    DayMonth,
    MonthDay,
}

/// A date core found at `start..end` of the line.
struct Candidate {
    start: usize,
    end: usize,
    date: NaiveDate,
}

/// Compiles one of this module's literal patterns.
fn compile(pattern: &str) -> Regex {
    // The patterns are literals of this module, and every one is compiled by the unit tests.
    Regex::new(pattern).expect("built-in date pattern compiles")
}

fn parse_with_tail(line: &str, order: DateOrder) -> Option<(TextDate, Option<String>)> {
    let found = find_date(line, order)?;
    let (mut start, mut end) = (found.start, found.end);

    let mut time = None;
    let mut offset = None;
    if let Some(caps) = TIME_AFTER.captures(&line[end..]) {
        if let Some((t, o)) = time_and_offset(&caps, found.date) {
            (time, offset) = (Some(t), o);
            end += caps.get(0).map_or(0, |m| m.end());
        }
    }
    if let Some(m) = WEEKDAY_BEFORE.find(&line[..start]) {
        start = m.start();
    }
    if time.is_none() {
        if let Some(caps) = TIME_BEFORE.captures(&line[..start]) {
            if let (Some((t, o)), Some(m)) = (time_and_offset(&caps, found.date), caps.get(0)) {
                (time, offset) = (Some(t), o);
                start = m.start();
            }
        }
    }
    let mut kind = DateKind::Plain;
    if let Some(caps) = PREFIX_BEFORE.captures(&line[..start]) {
        kind = if caps.name("upd").is_some() {
            DateKind::Updated
        } else {
            DateKind::Published
        };
        start = caps.get(0).map_or(start, |m| m.start());
    } else if let Some(m) = ON_BEFORE.find(&line[..start]) {
        start = m.start();
    }
    let mut after = &line[end..];
    let mut tail = None;
    if COMMENT_TAIL.is_match(after) {
        tail = Some(
            after
                .trim_start_matches(|c: char| c.is_whitespace() || SEPARATORS.contains(&c))
                .trim_end()
                .to_owned(),
        );
        after = "";
    }
    let before =
        line[..start].trim_end_matches(|c: char| c.is_whitespace() || SEPARATORS.contains(&c));
    let after = after
        .trim_start_matches(|c: char| c.is_whitespace() || c == '.' || SEPARATORS.contains(&c));
    let before = before.trim_start();
    let after = after.trim_end();
    let rest = match (before.is_empty(), after.is_empty()) {
        (true, _) => after.to_owned(),
        (false, true) => before.to_owned(),
        (false, false) => format!("{before} {after}"),
    };
    Some((
        TextDate {
            date: found.date,
            time,
            offset,
            kind,
            rest,
        },
        tail,
    ))
}

/// The leftmost valid date core in the line; on a tie, the longest.
fn find_date(line: &str, order: DateOrder) -> Option<Candidate> {
    // Every form has a four-digit year: most lines of a story have none and are done here.
    let year = line
        .as_bytes()
        .windows(4)
        .any(|w| matches!(w[0], b'1' | b'2') && w[1..].iter().all(u8::is_ascii_digit));
    if !year {
        return None;
    }
    // `is_match` runs the fast engine alone; captures only for a line that has the form.
    FORMS
        .iter()
        .filter(|(_, regex)| regex.is_match(line))
        .filter_map(|(form, regex)| {
            regex
                .captures_iter(line)
                .find_map(|caps| candidate(line, *form, &caps, order))
        })
        .min_by_key(|c| (c.start, std::cmp::Reverse(c.end)))
}

fn candidate(line: &str, form: Form, caps: &Captures<'_>, order: DateOrder) -> Option<Candidate> {
    let whole = caps.get(0)?;
    // Digits must not run on into neighbouring digits: `12013-02-02` and `2013-02-021`
    // are not dates.
    let before = line[..whole.start()].chars().next_back();
    let after = line[whole.end()..].chars().next();
    if before.is_some_and(|c| c.is_ascii_digit()) || after.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let number = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = caps.name("year")?.as_str().parse::<i32>().ok()?;
    let (month, day) = match form {
        Form::Iso | Form::Numeric => {
            if caps.name("sep")?.as_str() != caps.name("sep2")?.as_str() {
                return None;
            }
            // Numbers glued to the slash (`1/02/02/2013`) belong to something else.
            if before.is_some_and(|c| "/.-".contains(c)) {
                return None;
            }
            if form == Form::Iso {
                (number("mon")?, number("day")?)
            } else {
                match order {
                    DateOrder::DayFirst => (number("b")?, number("a")?),
                    DateOrder::MonthFirst => (number("a")?, number("b")?),
                }
            }
        }
        Form::DayMonth | Form::MonthDay => {
            (month_number(caps.name("mon")?.as_str())?, number("day")?)
        }
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(Candidate {
        start: whole.start(),
        end: whole.end(),
        date,
    })
}

fn month_number(name: &str) -> Option<u32> {
    let prefix: String = name
        .chars()
        .take(3)
        .collect::<String>()
        .to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|&m| m == prefix)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The time and offset from a [`TIME`]/[`ZONE`] match; `None` when the time is impossible.
fn time_and_offset(
    caps: &Captures<'_>,
    date: NaiveDate,
) -> Option<(NaiveTime, Option<FixedOffset>)> {
    let number = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let (hour, minute, second, ampm) = match number("hour") {
        Some(hour) => (
            hour,
            number("min")?,
            number("sec").unwrap_or(0),
            caps.name("ampm"),
        ),
        None => (number("hour2")?, 0, 0, caps.name("ampm2")),
    };
    let hour = match ampm.map(|m| m.as_str().to_ascii_lowercase()) {
        None => hour,
        Some(_) if hour == 0 || hour > 12 => return None,
        Some(half) if half == "a" => hour % 12,
        Some(_) => hour % 12 + 12,
    };
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    let zone = caps.name("zone").map(|m| zone_seconds(m.as_str(), date));
    let shift = caps
        .name("zoff")
        .or_else(|| caps.name("off"))
        .map(|m| offset_seconds(m.as_str()));
    let offset = match (zone, shift) {
        (None, None) => None,
        (z, s) => FixedOffset::east_opt(z.unwrap_or(0) + s.flatten().unwrap_or(0)),
    };
    Some((time, offset))
}

/// Seconds east of UTC for the abbreviations [`ZONE`] accepts. `ET`, `CT`, `MT` and `PT`
/// name a US zone without saying whether summer time was on: the US rule of `date`'s
/// year decides. `IST` is India's (+5:30), as news pages use it.
fn zone_seconds(zone: &str, date: NaiveDate) -> i32 {
    let summer = i32::from(us_summer_time(date));
    let zone = zone.to_ascii_lowercase();
    let half_hour = match zone.as_str() {
        "ist" => 5,
        "acst" => 9,
        "acdt" => 10,
        _ => -1,
    };
    if half_hour >= 0 {
        return half_hour * 3600 + 1800;
    }
    let hours = match zone.as_str() {
        "pkt" => 5,
        "wib" => 7,
        "pht" | "awst" => 8,
        "eat" => 3,
        "sast" => 2,
        "wat" => 1,
        "et" => -5 + summer,
        "ct" => -6 + summer,
        "mt" => -7 + summer,
        "pt" => -8 + summer,
        "bst" | "cet" => 1,
        "cest" | "eet" => 2,
        "eest" | "msk" => 3,
        "hkt" | "sgt" => 8,
        "jst" | "kst" => 9,
        "aest" => 10,
        "aedt" => 11,
        "nzst" => 12,
        "nzdt" => 13,
        "akdt" => -8,
        "akst" => -9,
        "hst" => -10,
        "edt" => -4,
        "est" | "cdt" => -5,
        "cst" | "mdt" => -6,
        "mst" | "pdt" => -7,
        "pst" => -8,
        _ => 0,
    };
    hours * 3600
}

/// Whether US summer time was on for most of `date`: from 2007 the second Sunday of March
/// to the first Sunday of November, before that the first Sunday of April to the last
/// Sunday of October.
fn us_summer_time(date: NaiveDate) -> bool {
    use chrono::{Datelike, Weekday};
    let year = date.year();
    let nth_sunday =
        |month: u32, n: u8| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n);
    let last_sunday_of_october = (1..=5).rev().find_map(|n| nth_sunday(10, n));
    let (start, end) = if year >= 2007 {
        (nth_sunday(3, 2), nth_sunday(11, 1))
    } else {
        (nth_sunday(4, 1), last_sunday_of_october)
    };
    matches!((start, end), (Some(s), Some(e)) if date >= s && date < e)
}

/// Seconds east of UTC for `+1`, `-05`, `+0100`, `+01:00`.
fn offset_seconds(text: &str) -> Option<i32> {
    let mut chars = text.chars();
    let sign = if chars.next()? == '+' { 1 } else { -1 };
    let digits: String = chars.filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 | 4 => {
            let split = digits.len() - 2;
            (
                digits[..split].parse::<i32>().ok()?,
                digits[split..].parse::<i32>().ok()?,
            )
        }
        _ => return None,
    };
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// What may stand beside a date on a date line: nothing, a byline, another date, or a few
/// header words with at most one lower-case word among them (`London`, `AFP`, `Staff
/// reporter`). `He was born` has two and is prose. Parts set off by `|`, `·`, `•` or `/`
/// are judged one by one, and a reading time (`6 min read`) or a relative note (`Updated
/// 3 hours ago`) may be one of them.
fn rest_is_header_like(rest: &str, order: DateOrder) -> bool {
    if rest.is_empty() || parse_date_line(rest, order).is_some() {
        return true;
    }
    let parts: Vec<&str> = rest.split(['|', '·', '•', '/']).map(str::trim).collect();
    if parts.len() > 1 {
        return parts.iter().all(|p| {
            p.is_empty() || RELATIVE_OR_READING.is_match(p) || part_is_header_like(p, order)
        });
    }
    RELATIVE_OR_READING.is_match(rest) || part_is_header_like(rest, order)
}

/// `6 min read`, `4 MIN READ`, `Reading time: 3 minutes`, `Updated 3 hours ago`, `2 days
/// ago`: what sites print beside a date that is neither a name nor a place.
static RELATIVE_OR_READING: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:[0-9]+\s*(?:min(?:ute)?s?|hours?|hrs?)\.?\s*(?:read|reading|listen)|(?:estimated\s+)?reading\s+time\s*:?\s*[0-9]+\s*(?:min(?:ute)?s?|hours?)|(?:(?:last\s+)?(?:updated|modified|edited|posted|published)\s*:?\s*)?(?:about\s+)?(?:[0-9]+|an?|one)\s+(?:seconds?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago)$",
    )
});

/// One part of what stands beside a date: a date line of its own, a byline, or a few
/// header words.
fn part_is_header_like(rest: &str, order: DateOrder) -> bool {
    if rest.is_empty() || parse_date_line(rest, order).is_some() {
        return true;
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let first = words.first().map(|w| w.to_ascii_lowercase());
    if matches!(first.as_deref(), Some("by" | "by:")) {
        return words.len() <= 12;
    }
    let connectors = ["and", "of", "in", "the", "on", "at", "by", "for"];
    let lower = words
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_lowercase()) && !connectors.contains(w))
        .count();
    words.len() <= 5 && lower <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn hm(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    fn hours(h: i32) -> Option<FixedOffset> {
        FixedOffset::east_opt(h * 3600)
    }

    #[test]
    fn every_date_form_is_found() {
        let feb2 = ymd(2013, 2, 2);
        // line, date, time, offset, kind, rest
        type Case = (
            &'static str,
            NaiveDate,
            Option<NaiveTime>,
            Option<FixedOffset>,
            DateKind,
            &'static str,
        );
        let cases: &[Case] = &[
            ("2nd February 2013", feb2, None, None, DateKind::Plain, ""),
            ("February 2, 2013", feb2, None, None, DateKind::Plain, ""),
            ("February 2nd, 2013", feb2, None, None, DateKind::Plain, ""),
            ("2 Feb 2013", feb2, None, None, DateKind::Plain, ""),
            ("Feb. 2, 2013", feb2, None, None, DateKind::Plain, ""),
            (
                "the 2nd of February, 2013",
                feb2,
                None,
                None,
                DateKind::Plain,
                "",
            ),
            ("02-Feb-2013", feb2, None, None, DateKind::Plain, ""),
            (
                "Saturday 2 February 2013 12:34 GMT",
                feb2,
                hm(12, 34),
                hours(0),
                DateKind::Plain,
                "",
            ),
            (
                "01:38:07 PM IST Feb 2, 2013",
                feb2,
                NaiveTime::from_hms_opt(13, 38, 7),
                FixedOffset::east_opt(5 * 3600 + 1800),
                DateKind::Plain,
                "",
            ),
            (
                "Saturday, February 2, 2013 at 3:05 p.m. EST",
                feb2,
                hm(15, 5),
                hours(-5),
                DateKind::Plain,
                "",
            ),
            (
                "Sat 2 Feb 2013 9am",
                feb2,
                hm(9, 0),
                None,
                DateKind::Plain,
                "",
            ),
            (
                "2 Feb 2013 12:34 +0100",
                feb2,
                hm(12, 34),
                hours(1),
                DateKind::Plain,
                "",
            ),
            (
                "2 Feb 2013 12:34 (UTC+1)",
                feb2,
                hm(12, 34),
                hours(1),
                DateKind::Plain,
                "",
            ),
            ("2013-02-02", feb2, None, None, DateKind::Plain, ""),
            (
                "2013-02-02T12:34:56Z",
                feb2,
                NaiveTime::from_hms_opt(12, 34, 56),
                hours(0),
                DateKind::Plain,
                "",
            ),
            (
                "2013/02/02 12:34",
                feb2,
                hm(12, 34),
                None,
                DateKind::Plain,
                "",
            ),
            ("02/02/2013", feb2, None, None, DateKind::Plain, ""),
            ("2.2.2013", feb2, None, None, DateKind::Plain, ""),
            (
                "Published: 2 February 2013",
                feb2,
                None,
                None,
                DateKind::Published,
                "",
            ),
            (
                "Posted on February 2, 2013",
                feb2,
                None,
                None,
                DateKind::Published,
                "",
            ),
            (
                "Date: 2013-02-02",
                feb2,
                None,
                None,
                DateKind::Published,
                "",
            ),
            (
                "Updated: 2 February 2013 14:00 GMT",
                feb2,
                hm(14, 0),
                hours(0),
                DateKind::Updated,
                "",
            ),
            (
                "Last updated on Feb 2, 2013",
                feb2,
                None,
                None,
                DateKind::Updated,
                "",
            ),
            (
                "Page last updated at 12:34 GMT, Saturday, 2 February 2013",
                feb2,
                hm(12, 34),
                hours(0),
                DateKind::Updated,
                "",
            ),
            (
                "2nd February 2013, Comments 0 comments",
                feb2,
                None,
                None,
                DateKind::Plain,
                "",
            ),
            (
                "2 Feb 2013 | 3 comments",
                feb2,
                None,
                None,
                DateKind::Plain,
                "",
            ),
            (
                "by John on July 7, 2012",
                ymd(2012, 7, 7),
                None,
                None,
                DateKind::Plain,
                "by John",
            ),
            (
                "By Jane Smith | 2 Feb 2013",
                feb2,
                None,
                None,
                DateKind::Plain,
                "By Jane Smith",
            ),
            (
                "London, 2 February 2013",
                feb2,
                None,
                None,
                DateKind::Plain,
                "London",
            ),
            (
                "Published: 2 Feb 2013 | Updated: 3 Feb 2013",
                feb2,
                None,
                None,
                DateKind::Published,
                "Updated: 3 Feb 2013",
            ),
        ];
        for (line, date, time, offset, kind, rest) in cases {
            let found = parse_text_date(line, DateOrder::DayFirst);
            let want = TextDate {
                date: *date,
                time: *time,
                offset: *offset,
                kind: *kind,
                rest: (*rest).to_owned(),
            };
            assert_eq!(found, Some(want), "{line}");
            assert!(
                is_date_line(line, DateOrder::DayFirst),
                "{line} is a date line"
            );
        }
    }

    #[test]
    fn numeric_dates_follow_the_configured_order() {
        let cases = [
            ("03/02/2013", DateOrder::DayFirst, Some(ymd(2013, 2, 3))),
            ("03/02/2013", DateOrder::MonthFirst, Some(ymd(2013, 3, 2))),
            ("13/02/2013", DateOrder::DayFirst, Some(ymd(2013, 2, 13))),
            ("13/02/2013", DateOrder::MonthFirst, None),
            ("02/13/2013", DateOrder::MonthFirst, Some(ymd(2013, 2, 13))),
            ("02/13/2013", DateOrder::DayFirst, None),
        ];
        for (line, order, want) in cases {
            assert_eq!(
                parse_text_date(line, order).map(|d| d.date),
                want,
                "{line} {order:?}"
            );
        }
    }

    #[test]
    fn non_dates_are_not_dates() {
        let lines = [
            "Saturday 20 November",
            "Brown names 16 March for Budget",
            "Ties to be played on 19/20 February.",
            "30 February 2013",
            "2013-13-01",
            "12013-02-02",
            "2013-02-021",
            "02/02-2013",
            "1/02/02/2013",
            "Score: 2-1 2013",
            "Maybe 5 March",
            "February 2013",
            "",
        ];
        for line in lines {
            assert_eq!(parse_text_date(line, DateOrder::DayFirst), None, "{line}");
        }
    }

    #[test]
    fn prose_mentioning_a_date_is_not_a_date_line() {
        let lines = [
            "He was born on 2 February 1960.",
            "The deal was signed on 2 February 2013 and approved later.",
            "Talks resume on 2 Feb 2013 in Geneva, officials said",
        ];
        for line in lines {
            assert!(
                parse_text_date(line, DateOrder::DayFirst).is_some(),
                "{line} has a date"
            );
            assert!(!is_date_line(line, DateOrder::DayFirst), "{line} is prose");
        }
        let long = format!("2 February 2013 {}", "word ".repeat(50));
        assert!(!is_date_line(&long, DateOrder::DayFirst));
    }

    #[test]
    fn impossible_times_are_left_in_the_rest() {
        let found = parse_text_date("2 Feb 2013 25:61", DateOrder::DayFirst);
        assert_eq!(found.as_ref().map(|d| d.time), Some(None));
        assert_eq!(found.map(|d| d.rest), Some("25:61".to_owned()));
        let noon = parse_text_date("2 Feb 2013 12:00 pm", DateOrder::DayFirst);
        assert_eq!(noon.and_then(|d| d.time), hm(12, 0));
        let midnight = parse_text_date("2 Feb 2013 12:30 am", DateOrder::DayFirst);
        assert_eq!(midnight.and_then(|d| d.time), hm(0, 30));
    }

    #[test]
    fn comment_counters_are_recognised() {
        for line in [
            "0 Comments To This Article",
            "Comments (3)",
            "No comments yet",
            "12 comments",
            "Leave a comment",
        ] {
            assert!(is_comment_counter(line), "{line}");
        }
        for line in [
            "Comments from readers were mixed.",
            "3 comments were made by the minister",
        ] {
            assert!(!is_comment_counter(line), "{line}");
        }
        let (_, tail) = parse_date_line_with_tail(
            "2nd February 2013, Comments 0 comments",
            DateOrder::DayFirst,
        )
        .unwrap_or_else(|| panic!("date line"));
        assert_eq!(tail.as_deref(), Some("Comments 0 comments"));
    }
}
