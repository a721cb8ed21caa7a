//! The conventions of wire copy that name people and agencies: bylines, datelines, credit
//! lines, and the agency names they carry.
//!
//! Each function looks at one line or paragraph and either recognises it whole or returns
//! `None`; none of them decides where in a document it may be applied.

use std::sync::LazyLock;

use regex::Regex;

use crate::ingest::textdate::chars_at_most;

/// Authors (and possibly an agency) from a `By …` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Byline {
    pub authors: Vec<String>,
    pub agency: Option<String>,
}

/// A credit line such as `© 2013 AFP`: the line as written and its holder's agency name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Credit {
    pub text: String,
    pub source: Option<String>,
}

/// A dateline such as `MOSCOW (AFP)` split from the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dateline {
    pub dateline: String,
    pub agency: Option<String>,
    pub rest: String,
}

/// `By Jane Smith`, `By Jane Smith and Ali Khan`, `Posted by John`, `By Jane Smith, BBC
/// News`, `By AFP`, `By NEWS STAFF` (a byline naming no one), `Posted by admin` (a site
/// user's handle). Every name must look like one (capitalised words, particles such as
/// `de` or `al-` allowed), so `By the end of the year` is not a byline.
pub(crate) fn parse_byline(line: &str) -> Option<Byline> {
    if !chars_at_most(line, MAX_BYLINE_CHARS) || !has_by(line) {
        return None;
    }
    // `is_match` runs the fast engine alone: most lines are no byline.
    let caps = HANDLE_BYLINE
        .is_match(line)
        .then(|| HANDLE_BYLINE.captures(line))
        .flatten();
    if let Some(handle) = caps.and_then(|c| c.name("handle").or_else(|| c.name("handle2"))) {
        return Some(Byline {
            authors: vec![handle.as_str().to_owned()],
            agency: None,
        });
    }
    if !BYLINE.is_match(line) {
        return None;
    }
    let caps = BYLINE.captures(line)?;
    let mut names = caps.name("names")?.as_str().trim();
    let mut agency = None;
    if let Some(paren) = TRAILING_PAREN.captures(names) {
        agency = Some(canonical_agency(paren.name("inner")?.as_str())?);
        names = names[..paren.get(0)?.start()].trim_end();
    }
    let mut authors: Vec<String> = Vec::new();
    let mut roles = 0;
    for piece in NAME_SEPARATOR.split(names) {
        let piece = IN_PLACE.replace(piece.trim(), "");
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        if let Some(name) = canonical_agency(piece) {
            agency.get_or_insert(name);
        } else if is_role(piece)
            || is_contact(piece)
            || OTHER_CREDIT.is_match(piece)
            || !authors.is_empty() && (is_outlet(piece) || is_shouted_after(piece, &authors))
        {
            // A job, an outlet, an e-mail address or handle, `Photos by Ann Lee`.
            roles += 1;
        } else if is_name(piece) {
            if !authors.iter().any(|a| a == piece) {
                authors.push(piece.to_owned());
            }
        } else {
            return None;
        }
    }
    (!authors.is_empty() || agency.is_some() || roles > 0).then_some(Byline { authors, agency })
}

/// A byline beside a date (`March 3, 2011 by quakewatch`): any byline, or `by` and one
/// user name.
pub(crate) fn parse_byline_beside_date(rest: &str) -> Option<Byline> {
    if !has_by(rest) {
        return None;
    }
    parse_byline(rest).or_else(|| {
        let handle = DATE_HANDLE.captures(rest)?.name("handle")?;
        Some(Byline {
            authors: vec![handle.as_str().to_owned()],
            agency: None,
        })
    })
}

/// `© 2013 AFP`, `(c) Reuters 2012`, `(c) 2013 AFP`, `Copyright 2012 The Associated Press.
/// All rights reserved.`, `Copyright © 2013 Agence France-Presse`. The source is the
/// holder's usual agency name (`AP` for The Associated Press), else the holder as written.
pub(crate) fn parse_credit(line: &str) -> Option<Credit> {
    let start = line.trim_start();
    let opens = start.starts_with(['©', '('])
        || start
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("copy") || p.eq_ignore_ascii_case("copr"));
    if !opens || !chars_at_most(line, MAX_CREDIT_CHARS) {
        return None;
    }
    let caps = CREDIT.captures(line)?;
    let holder = caps
        .name("holder")
        .map_or("", |m| m.as_str())
        .trim_end_matches([',', '.', ' ']);
    let year = caps.name("y1").or_else(|| caps.name("y2")).is_some();
    let symbol = caps.name("symbol").is_some();
    let reserved = caps.name("arr").is_some();
    let agency = canonical_agency(holder);
    // A bare `Copyright` word opens sentences too (`Copyright laws changed in 2012.`): it
    // needs a year right after it, a rights notice or an agency to be a credit.
    let credit_like = symbol || caps.name("y1").is_some() || reserved || agency.is_some();
    if !credit_like || (holder.is_empty() && !year) || !is_holder(holder) {
        return None;
    }
    let source = agency.or_else(|| (!holder.is_empty()).then(|| holder.to_owned()));
    Some(Credit {
        text: line.trim().to_owned(),
        source,
    })
}

/// `MOSCOW (AFP) - …`, `BEIRUT, Lebanon, June 2 — …`, `LONDON (Reuters) - …`,
/// `NEW YORK, Feb 2 (Reuters) -`, `Moscow (AFP) -`. The place must be in capitals unless an
/// agency in brackets follows it.
pub(crate) fn split_dateline(paragraph: &str) -> Option<Dateline> {
    let (head, rest) = split_at_dash(paragraph)?;
    let agency = parse_place(head)?;
    Some(Dateline {
        dateline: head.to_owned(),
        agency,
        rest: rest.to_owned(),
    })
}

/// Whether `head` is a dateline without its dash: `MOSCOW (AFP)`, `BEIRUT, Lebanon, June
/// 2`. Returns the agency in brackets, if any.
pub(crate) fn parse_place(head: &str) -> Option<Option<String>> {
    // `(AFP)`, or a press wire between slashes: `CHICAGO, May 5, 2016 /PRNewswire/`.
    let marker = TRAILING_PAREN
        .captures(head)
        .or_else(|| WIRE_SLASHES.captures(head));
    let (place_part, agency) = match marker {
        Some(caps) => {
            let inner = caps.name("inner")?.as_str();
            (
                head[..caps.get(0)?.start()].trim_end_matches([' ', '-']),
                Some(canonical_agency(inner)?),
            )
        }
        None => (head, None),
    };
    let mut segments = place_part.split(',').map(str::trim);
    let place = segments.next()?;
    let capitals = place.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !place.chars().any(char::is_lowercase);
    if !is_place(place) || !(capitals || agency.is_some() && is_title_words(place)) {
        return None;
    }
    let mut seen_day = false;
    for segment in segments {
        let fits = if MONTH_DAY.is_match(segment) {
            seen_day = true;
            true
        } else if seen_day && YEAR_ONLY.is_match(segment) {
            true
        } else {
            !seen_day && is_place(segment) && is_title_words(segment)
        };
        if !fits {
            return None;
        }
    }
    Some(agency)
}

/// The usual short name of a news agency, for any of the names it goes by.
pub(crate) fn canonical_agency(name: &str) -> Option<String> {
    let lower = name.trim().trim_end_matches('.').to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    let found = AGENCIES.iter().find(|(_, names)| names.contains(&lower))?;
    Some(found.0.to_owned())
}

const MAX_BYLINE_CHARS: usize = 120;
const MAX_CREDIT_CHARS: usize = 150;

/// Agencies: the name shown as source, then every lower-case name it is written as.
const AGENCIES: &[(&str, &[&str])] = &[
    (
        "AFP",
        &[
            "afp",
            "agence france-presse",
            "agence france presse",
            "france-presse",
        ],
    ),
    (
        "Reuters",
        &["reuters", "thomson reuters", "reuters limited"],
    ),
    ("AP", &["ap", "associated press", "the associated press"]),
    ("dpa", &["dpa", "deutsche presse-agentur"]),
    ("PA", &["pa", "press association", "pa media"]),
    (
        "Bloomberg",
        &["bloomberg", "bloomberg news", "bloomberg l.p"],
    ),
    ("ANSA", &["ansa"]),
    ("EFE", &["efe", "agencia efe"]),
    ("Xinhua", &["xinhua", "xinhua news agency"]),
    ("Kyodo", &["kyodo", "kyodo news"]),
    ("UPI", &["upi", "united press international"]),
    ("AAP", &["aap", "australian associated press"]),
    ("The Canadian Press", &["cp", "canadian press"]),
    ("PTI", &["pti", "press trust of india"]),
    ("IANS", &["ians"]),
    ("Anadolu", &["anadolu", "anadolu agency", "aa"]),
    ("TASS", &["tass", "itar-tass"]),
    ("Interfax", &["interfax"]),
    ("RIA Novosti", &["ria novosti", "ria"]),
    ("Yonhap", &["yonhap"]),
    ("Jiji", &["jiji", "jiji press"]),
    (
        "PR Newswire",
        &["prnewswire", "pr newswire", "prnewswire-usnewswire"],
    ),
    ("Business Wire", &["business wire", "businesswire"]),
    ("GlobeNewswire", &["globe newswire", "globenewswire"]),
];

/// Words that make a byline piece a job title or an outlet rather than a person.
const ROLE_WORDS: &[&str] = &[
    "correspondent",
    "editor",
    "reporter",
    "writer",
    "staff",
    "news",
    "bureau",
    "contributor",
    "columnist",
    "desk",
    "agency",
    "agencies",
    "wires",
    "newsroom",
    "team",
    "online",
    "engineer",
    "producer",
    "analyst",
    "critic",
    "photographer",
    "researcher",
];

/// Lower-case words allowed inside names and place names.
const PARTICLES: &[&str] = &[
    "de", "da", "das", "del", "della", "der", "di", "do", "dos", "du", "el", "al", "la", "le",
    "van", "von", "bin", "ibn", "ben", "y", "of", "and", "the", "on", "upon",
];

// Word boundaries are ASCII (`(?-u:\b)`) so the regex DFA never falls back to a slower
// engine on non-ASCII text; see textdate.rs.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:(?:posted|written|words|story|text|reporting|reported|report|photos?|interview|compiled|edited|produced|curated)\s+)?by\s*:?\s+(?P<names>.+?)\s*$",
    )
});
static HANDLE_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:posted|written|submitted)\s+by\s*:?\s+(?P<handle>[\w.\-]{2,30})(?:\s+(?:in|at)\s+[^,]{1,40})?$|^by\s+(?P<handle2>[a-z0-9_.\-]*[0-9_][a-z0-9_.\-]*)$",
    )
});
static WIRE_SLASHES: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\s*/(?P<inner>[A-Za-z][A-Za-z \-]{1,40})/\s*$"));
static OTHER_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:photos?|photography|pictures?|video|graphics?|illustrations?|additional\s+reporting)\s+by\s",
    )
});
static DATE_HANDLE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)^(?:posted\s+)?by\s*:?\s+(?P<handle>[\w.\-]{2,30})$"));
static NAME_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\s*(?:,|;|&|\||/|—|(?-u:\b)and(?-u:\b)|(?-u:\b)with(?-u:\b))\s*")
});
static IN_PLACE: LazyLock<Regex> = LazyLock::new(|| compile(r"\s+in\s+[A-Z][^,]*$"));
static TRAILING_PAREN: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\s*\((?P<inner>[^()]{1,40})\)\s*$"));
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:(?:(?P<symbol>©|\(c\))|copyright|copr\.?)\s*)+(?:(?P<y1>[12][0-9]{3})(?:\s*[-–]\s*[12][0-9]{3})?(?-u:\b)\s*,?\s*)?(?P<holder>.*?)\s*,?\s*(?:(?-u:\b)(?P<y2>[12][0-9]{3}))?\s*[.,]?\s*(?P<arr>all\s+rights\s+reserved\.?(?:\s*this\s+material\s+may\s+not\s+be\s+[^.]*\.?)?)?\s*$",
    )
});
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?-u:\b)\.?";
    compile(&format!(
        r"(?i)^(?:{month}\s*[0-3]?[0-9]|[0-3]?[0-9]\s+{month})(?:\s+[12][0-9]{{3}})?$"
    ))
});
static YEAR_ONLY: LazyLock<Regex> = LazyLock::new(|| compile(r"^[12][0-9]{3}$"));

/// Whether the line's first word, or its second after a word such as `Posted`, starts
/// with `by` (in any letter case): every byline form does, and most lines are done here
/// without a regular expression.
fn has_by(line: &str) -> bool {
    let by = |w: &str| w.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("by"));
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    by(first)
        || BY_PREFIXES.iter().any(|p| p.eq_ignore_ascii_case(first)) && words.next().is_some_and(by)
}

/// The words a byline may open with before its `by` (see [`BYLINE`], [`HANDLE_BYLINE`]).
const BY_PREFIXES: &[&str] = &[
    "posted",
    "written",
    "words",
    "story",
    "text",
    "reporting",
    "reported",
    "report",
    "photo",
    "photos",
    "interview",
    "compiled",
    "edited",
    "produced",
    "curated",
    "submitted",
];

fn compile(pattern: &str) -> Regex {
    // The patterns are literals of this module, and every one is compiled by the unit tests.
    Regex::new(pattern).expect("built-in wire pattern compiles")
}

/// Splits at the first dash that separates a dateline from its text: ` - `, ` -- `, or an
/// en or em dash with or without spaces, within the first 100 characters.
fn split_at_dash(paragraph: &str) -> Option<(&str, &str)> {
    let limit = paragraph
        .char_indices()
        .nth(100)
        .map_or(paragraph.len(), |(i, _)| i);
    let window = &paragraph[..limit];
    let (index, dash_len) = window.char_indices().find_map(|(i, c)| match c {
        '–' | '—' => Some((i, c.len_utf8())),
        '-' if window[..i].ends_with(' ') || window[..i].ends_with(')') => {
            let run = window[i..].chars().take_while(|&d| d == '-').count();
            window[i + run..].starts_with(' ').then_some((i, run))
        }
        _ => None,
    })?;
    let head = paragraph[..index].trim();
    let rest = paragraph[index + dash_len..].trim();
    (!head.is_empty() && !rest.is_empty()).then_some((head, rest))
}

/// One to four words of letters, dots, apostrophes and hyphens.
fn is_place(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || ".'’-".contains(c)))
}

/// Every word capitalised, or a particle.
fn is_title_words(text: &str) -> bool {
    text.split_whitespace().all(|w| {
        w.starts_with(|c: char| c.is_uppercase()) || PARTICLES.contains(&w) || is_prefixed_name(w)
    })
}

/// `al-Khatib`, `el-Sisi`, `bin-Laden`: a lower-case particle joined to a capitalised name.
fn is_prefixed_name(word: &str) -> bool {
    word.split_once('-').is_some_and(|(particle, name)| {
        PARTICLES.contains(&particle) && name.starts_with(|c: char| c.is_uppercase())
    })
}

fn is_name(piece: &str) -> bool {
    let words: Vec<&str> = piece.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && chars_at_most(piece, 60)
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || ".'’-".contains(c)))
        && words
            .first()
            .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()) || is_prefixed_name(w))
        && is_title_words(piece)
}

/// An e-mail address, a social handle or a web address beside a name.
pub(crate) fn is_contact(piece: &str) -> bool {
    piece.contains('@') || piece.starts_with("http") || piece.starts_with("www.")
}

/// A name in capitals after a name that is not (`Kim Hjelmgaard, USA TODAY`): an outlet.
/// Where every name is in capitals (`By KYLE HIGHTOWER`), capitals say nothing.
fn is_shouted_after(piece: &str, authors: &[String]) -> bool {
    let shouted = |t: &str| !t.chars().any(char::is_lowercase);
    shouted(piece) && authors.first().is_some_and(|a| !shouted(a))
}

/// A broadcaster or paper by its initials after a name: `CNN`, `BBC`, `NPR`.
fn is_outlet(piece: &str) -> bool {
    (2..=5).contains(&piece.len()) && piece.chars().all(|c| c.is_ascii_uppercase())
}

/// Whether the last word of `text` names a job, a desk or an outlet (`Sports Writer`,
/// `BBC News`), as a job title's head word does; `Transit agency delays fares` is no title.
pub(crate) fn ends_with_role(text: &str) -> bool {
    text.split_whitespace().next_back().is_some_and(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        ROLE_WORDS.contains(&w.as_str())
    })
}

/// Whether a byline piece names a job, a desk or an outlet rather than a person.
pub(crate) fn is_role(piece: &str) -> bool {
    piece
        .split_whitespace()
        .any(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
}

/// A credit holder reads like a name: at most one lower-case word that is not a particle.
fn is_holder(holder: &str) -> bool {
    let lower = holder
        .split_whitespace()
        .filter(|w| w.starts_with(|c: char| c.is_lowercase()) && !PARTICLES.contains(w))
        .count();
    holder.split_whitespace().count() <= 8 && lower <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn byline(authors: &[&str], agency: Option<&str>) -> Option<Byline> {
        Some(Byline {
            authors: authors.iter().map(|a| (*a).to_owned()).collect(),
            agency: agency.map(str::to_owned),
        })
    }

    #[test]
    fn bylines_name_their_authors() {
        let cases = [
            ("By Jane Smith", byline(&["Jane Smith"], None)),
            (
                "By Jane Smith and Ali Khan",
                byline(&["Jane Smith", "Ali Khan"], None),
            ),
            ("BY JANE SMITH", byline(&["JANE SMITH"], None)),
            ("by John", byline(&["John"], None)),
            (
                "By: Jane Smith, Ali Khan & Bob Lee",
                byline(&["Jane Smith", "Ali Khan", "Bob Lee"], None),
            ),
            (
                "Posted by Jean-Luc Picard",
                byline(&["Jean-Luc Picard"], None),
            ),
            (
                "By Ahmed al-Khatib in Beirut",
                byline(&["Ahmed al-Khatib"], None),
            ),
            ("By Maria de la Cruz", byline(&["Maria de la Cruz"], None)),
            ("By J. R. Smith", byline(&["J. R. Smith"], None)),
            ("By Jane Smith, BBC News", byline(&["Jane Smith"], None)),
            (
                "By Jane Smith, Political Correspondent",
                byline(&["Jane Smith"], None),
            ),
            (
                "By Jane Smith, Associated Press",
                byline(&["Jane Smith"], Some("AP")),
            ),
            (
                "By Jane Smith (Reuters)",
                byline(&["Jane Smith"], Some("Reuters")),
            ),
            ("By AFP", byline(&[], Some("AFP"))),
            ("By NEWS STAFF", byline(&[], None)),
            ("Posted by admin", byline(&["admin"], None)),
            ("By Jane Doe, CNN", byline(&["Jane Doe"], None)),
            ("By Sam Jones | Staff Writer", byline(&["Sam Jones"], None)),
            ("By the end of the year, prices rose", None),
            ("By 2015 the plan will be complete", None),
            ("Bystanders fled", None),
            ("By Jane Smith (who was there)", None),
        ];
        for (line, want) in cases {
            assert_eq!(parse_byline(line), want, "{line}");
        }
    }

    #[test]
    fn credit_lines_give_credit_and_source() {
        let cases = [
            ("© 2013 AFP", Some("AFP")),
            ("(c) Reuters 2012", Some("Reuters")),
            ("(c) 2013 AFP", Some("AFP")),
            ("(C) 2013 AFP.", Some("AFP")),
            (
                "Copyright 2012 The Associated Press. All rights reserved.",
                Some("AP"),
            ),
            ("Copyright © 2013 Agence France-Presse", Some("AFP")),
            (
                "© Thomson Reuters 2012. All rights reserved.",
                Some("Reuters"),
            ),
            (
                "© 2004-2013 Guardian News and Media Limited",
                Some("Guardian News and Media Limited"),
            ),
            ("Copyright AFP", Some("AFP")),
        ];
        for (line, source) in cases {
            let want = Some(Credit {
                text: line.to_owned(),
                source: source.map(str::to_owned),
            });
            assert_eq!(parse_credit(line), want, "{line}");
        }
        assert_eq!(parse_credit("© 2013").map(|c| c.source), Some(None));
        for prose in [
            "Copyright laws were changed in 2012.",
            "Copyright infringement is a crime",
            "© is the copyright sign and it is used here",
            "Reuters 2012",
        ] {
            assert_eq!(parse_credit(prose), None, "{prose}");
        }
    }

    #[test]
    fn datelines_split_from_the_first_paragraph() {
        let cases = [
            (
                "MOSCOW (AFP) - Russia said",
                "MOSCOW (AFP)",
                Some("AFP"),
                "Russia said",
            ),
            (
                "BEIRUT, Lebanon, June 2 — Fighting",
                "BEIRUT, Lebanon, June 2",
                None,
                "Fighting",
            ),
            (
                "LONDON (Reuters) - Shares fell",
                "LONDON (Reuters)",
                Some("Reuters"),
                "Shares fell",
            ),
            (
                "NEW YORK, Feb. 2, 2013 (AP) -- Stocks",
                "NEW YORK, Feb. 2, 2013 (AP)",
                Some("AP"),
                "Stocks",
            ),
            ("WASHINGTON—The Senate", "WASHINGTON", None, "The Senate"),
            (
                "Moscow (AFP) - Russia said",
                "Moscow (AFP)",
                Some("AFP"),
                "Russia said",
            ),
            (
                "GUINEA-BISSAU – Soldiers",
                "GUINEA-BISSAU",
                None,
                "Soldiers",
            ),
        ];
        for (paragraph, dateline, agency, rest) in cases {
            let want = Some(Dateline {
                dateline: dateline.to_owned(),
                agency: agency.map(str::to_owned),
                rest: rest.to_owned(),
            });
            assert_eq!(split_dateline(paragraph), want, "{paragraph}");
        }
        for paragraph in [
            "Moscow - the capital - said",
            "The minister - who was tired - left",
            "US actor Ossie Davis has been found dead at the age of 87.",
            "UK house-prices rose",
            "A - B",
            "MOSCOW (a source close to the talks) - said",
            "MOSCOW -",
        ] {
            assert_eq!(split_dateline(paragraph), None, "{paragraph}");
        }
    }
}
