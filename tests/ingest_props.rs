//! Property tests: the ingest parsers never panic, and what they return keeps its promises,
//! on arbitrary bytes and on text built from the pieces wire copy is made of.

use broadsheet::ingest::{
    DateOrder, SourceEncoding, WireOptions, decode, parse_key_value_header, parse_text_date,
    parse_wire,
};
use proptest::prelude::*;
use proptest::sample::select;

/// Pieces of wire copy and of the things that break parsers, glued in any order.
fn wireish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-zA-Z ]{1,12}",
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("\u{200b}".to_owned()),
        Just("2nd February 2013".to_owned()),
        Just("Saturday 2 February 2013 12:34 GMT".to_owned()),
        Just("02/02/2013".to_owned()),
        Just("Updated: ".to_owned()),
        Just(", Comments 0 comments".to_owned()),
        Just("By Jane Smith and Ali Khan".to_owned()),
        Just("by John on July 7, 2012".to_owned()),
        Just("MOSCOW (AFP) - ".to_owned()),
        Just("BEIRUT, Lebanon, June 2 \u{2014} ".to_owned()),
        Just("\u{a9} 2013 AFP".to_owned()),
        Just("Copyright 2012 The Associated Press. All rights reserved.".to_owned()),
        Just("Related stories".to_owned()),
        Just(" -- Comments -- ".to_owned()),
        Just("Share this article".to_owned()),
        Just("Title: x\n".to_owned()),
        Just("<script>&amp;".to_owned()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Printable text without CR, controls, zero-width characters, or anything that reads as
/// mojibake (a letter from `Â` to `ô` followed by a character Windows-1252 has for a byte
/// from 0x80 to 0xBF).
fn clean_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 .,;:!?'\"()\n\t\u{a0}\u{c9}\u{e9}\u{2019}\u{20ac}\u{4e2d}]{0,200}"
        .prop_filter("reads as mojibake", |text| !looks_like_mojibake(text))
}

fn looks_like_mojibake(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).any(|pair| {
        let (first, second) = (u32::from(pair[0]), pair[1]);
        let second_is_high = encoding_rs::WINDOWS_1252
            .encode(&second.to_string())
            .0
            .first()
            .is_some_and(|b| (0x80..=0xBF).contains(b));
        (0xC2..=0xF4).contains(&first) && second_is_high
    })
}

proptest! {
    // Failures print their minimal input; nothing is written next to the sources.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decode_never_panics_and_cleans(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let decoded = decode(&bytes);
        for c in decoded.text.chars() {
            prop_assert!(c == '\n' || c == '\t' || !c.is_control(), "control {c:?}");
            prop_assert!(!matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}'), "zero-width {c:?}");
        }
    }

    #[test]
    fn clean_utf8_decodes_unchanged(text in clean_text()) {
        let decoded = decode(text.as_bytes());
        prop_assert_eq!(&decoded.text, &text);
        prop_assert_eq!(decoded.encoding, SourceEncoding::Utf8);
        prop_assert!(decoded.fixes.is_empty());
    }

    #[test]
    fn windows_1252_bytes_decode_to_their_characters(
        // Each non-ASCII character followed by a letter, so no byte run is valid UTF-8.
        text in "([a-z ]{0,3}[\u{e9}\u{a3}\u{2019}\u{20ac}]?[a-zA-Z]){1,40}",
    ) {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let decoded = decode(&bytes);
        prop_assert_eq!(&decoded.text, &text);
    }

    #[test]
    fn text_dates_never_panic(line in wireish(), month_first in any::<bool>()) {
        let order = if month_first { DateOrder::MonthFirst } else { DateOrder::DayFirst };
        if let Some(found) = parse_text_date(&line, order) {
            prop_assert_eq!(found.rest.trim(), found.rest.as_str());
            prop_assert!(found.rest.len() < line.len());
        }
    }

    #[test]
    fn wire_never_panics_and_keeps_its_shape(text in wireish()) {
        let doc = parse_wire(&text, &WireOptions::default());
        let lines = text.split(['\n', '\r']).count();
        prop_assert!(!doc.headline.contains(['\n', '\r']));
        prop_assert!(doc.headline_line <= lines);
        for paragraph in &doc.paragraphs {
            prop_assert!(!paragraph.is_empty());
            prop_assert!(!paragraph.contains(['\n', '\r']), "{paragraph:?}");
        }
        for cut in &doc.cut {
            prop_assert!(cut.first_line <= cut.last_line && cut.last_line <= lines, "{cut}");
        }
    }

    #[test]
    fn plain_paragraphs_come_back_as_written(
        paragraphs in prop::collection::vec("[a-z]{1,8}( [a-z]{1,8}){0,12}\\.", 1..8),
    ) {
        let text = format!("Headline\n\n{}\n", paragraphs.join("\n\n"));
        let doc = parse_wire(&text, &WireOptions::default());
        prop_assert_eq!(doc.headline.as_str(), "Headline");
        prop_assert_eq!(&doc.paragraphs, &paragraphs);
        prop_assert!(doc.date.is_none() && doc.cut.is_empty());
    }

    #[test]
    fn key_value_headers_never_panic(text in wireish()) {
        if let Some(header) = parse_key_value_header(&text) {
            prop_assert!(header.body_offset <= text.len());
            prop_assert!(text.is_char_boundary(header.body_offset));
            prop_assert_eq!(header.fields.first().map(|f| f.key.as_str()), Some("title"));
        }
    }

    #[test]
    fn shuffled_header_lines_keep_the_date_and_the_headline(
        headline in select(HEADLINES),
        (year, month, day) in (1990i32..2030, 1u32..=12, 1u32..=28),
        form in 0usize..DATE_FORMS,
        others in prop::sample::subsequence(vec![0usize, 1, 2], 0..=3),
        site in select(SITES),
        deck in select(DECKS),
        byline in select(BYLINES),
        order in any::<u64>(),
    ) {
        let date = date_line(year, month, day, form);
        let mut lines: Vec<String> = vec![date];
        for k in others {
            lines.push([site, deck, byline][k].to_owned());
        }
        shuffle(&mut lines, order);
        // The headline keeps a place among them; the others go anywhere around it.
        let at = usize::try_from(order % (lines.len() as u64 + 1)).unwrap_or(0);
        lines.insert(at, headline.to_owned());
        let text = format!("{}\n\n{STORY}\n", lines.join("\n"));
        let doc = parse_wire(&text, &WireOptions::default());
        prop_assert_eq!(doc.headline.as_str(), headline, "{}", text);
        let found = doc.date.as_ref().map(|d| d.date);
        prop_assert_eq!(found, chrono::NaiveDate::from_ymd_opt(year, month, day), "{}", text);
    }
}

/// A fixture page split for shuffling: its header lines (one-line parts only), the
/// headline among them, the story below, and what the unshuffled page reads as.
#[derive(Debug, Clone)]
struct ShuffleCase {
    name: String,
    headline: String,
    others: Vec<String>,
    story: String,
    date: Option<chrono::NaiveDate>,
}

/// The scraped fixtures (outside site folders, so no furniture) whose header is made only
/// of parts that stand alone on one line: the headline, one date line, one byline, site or
/// section names, and a deck that is a sentence. Two-line parts (a time under its date, a
/// date over three lines, `By` over a name) and doubtful readings are left out.
fn shuffleable_fixtures() -> Vec<ShuffleCase> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases = Vec::new();
    for set in ["scraped", "scraped-blind", "scraped-blind2"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(set))
            .expect("fixture folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("fixture reads");
            let name = format!(
                "{set}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            cases.extend(shuffle_case(name, &text));
        }
    }
    cases
}

fn shuffle_case(name: String, text: &str) -> Option<ShuffleCase> {
    let doc = parse_wire(text, &WireOptions::default());
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let first = doc.paragraphs.first()?;
    let story_at = (doc.headline_line..lines.len()).find(|&i| {
        let line = lines[i];
        !line.is_empty()
            && (first.starts_with(line)
                || doc
                    .dateline
                    .as_ref()
                    .is_some_and(|d| line.starts_with(d.as_str())))
    })?;
    let site_names: Vec<usize> = doc
        .cut
        .iter()
        .filter(|c| {
            c.reason == broadsheet::ingest::CutReason::SiteName && c.first_line == c.last_line
        })
        .map(|c| c.first_line)
        .collect();
    let sentence_deck = doc.deck.as_ref().is_some_and(|d| d.ends_with('.'));
    let mut others: Vec<String> = Vec::new();
    let mut previous_site = false;
    for (i, line) in lines[..story_at].iter().enumerate() {
        let no = Some(i + 1);
        if line.is_empty() || i + 1 == doc.headline_line {
            continue;
        }
        let site = site_names.contains(&(i + 1));
        let known = no == doc.date_line
            || no == doc.byline_line
            || site
            || sentence_deck && no == doc.deck_line;
        if !known {
            return None;
        }
        match others.last_mut() {
            // A site's name and the tagline under it move as one part.
            Some(block) if site && previous_site => {
                block.push('\n');
                block.push_str(line);
            }
            _ => others.push((*line).to_owned()),
        }
        previous_site = site;
    }
    let simple =
        doc.flags.is_empty() && doc.updated.is_none() && doc.date.is_some() && !others.is_empty();
    simple.then(|| ShuffleCase {
        name,
        headline: doc.headline.clone(),
        others,
        story: lines[story_at..].join("\n"),
        date: doc.date.as_ref().map(|d| d.date),
    })
}

static SHUFFLEABLE: std::sync::LazyLock<Vec<ShuffleCase>> =
    std::sync::LazyLock::new(shuffleable_fixtures);

#[test]
fn enough_fixtures_have_headers_to_shuffle() {
    let names: Vec<&str> = SHUFFLEABLE.iter().map(|c| c.name.as_str()).collect();
    assert!(names.len() >= 30, "{names:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn shuffled_fixture_headers_keep_the_date_and_the_headline(
        case in select(SHUFFLEABLE.clone()),
        order in any::<u64>(),
    ) {
        let mut lines = case.others.clone();
        shuffle(&mut lines, order);
        let at = usize::try_from(order % (lines.len() as u64 + 1)).unwrap_or(0);
        lines.insert(at, case.headline.clone());
        let text = format!("{}\n\n{}\n", lines.join("\n"), case.story);
        let doc = parse_wire(&text, &WireOptions::default());
        prop_assert_eq!(&doc.headline, &case.headline, "{}:\n{}", case.name, text);
        prop_assert_eq!(doc.date.as_ref().map(|d| d.date), case.date, "{}:\n{}", case.name, text);
    }
}

/// Headlines, some with a date-like word or opening with `By`.
const HEADLINES: &[&str] = &[
    "Lavrov wants regular contact with Syrian opposition",
    "March madness grips Kentucky as fans await the draw",
    "By Royal Appointment, the tailors who dress the King",
    "Friday the 13th brings no luck to the markets",
    "Council votes to close Main Street library",
    "Is this the end of the high street?",
];
const SITES: &[&str] = &["BBC News", "The Daily Bugle", "Valley Voice", "example.com"];
const DECKS: &[&str] = &[
    "Campaigners say they will take the council to court.",
    "The minister said talks would continue next week despite the setback in Geneva.",
];
const BYLINES: &[&str] = &[
    "By Jane Smith",
    "by Maria Lopez",
    "Posted by admin",
    "By NEWS STAFF",
];
const STORY: &str = "The council voted on Tuesday night to close the library, ending more than a century of lending on the site despite a petition signed by thousands.\n\nCampaigners promised to challenge the decision in court.";
const DATE_FORMS: usize = 6;

fn date_line(year: i32, month: u32, day: u32, form: usize) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = MONTHS[month as usize - 1];
    match form {
        0 => format!("{name} {day}, {year}"),
        1 => format!("{day} {name} {year}"),
        2 => format!("{name} {day}, {year} 9:05 AM PST"),
        3 => format!("{year}-{month:02}-{day:02}"),
        4 => format!("Published: {day} {name} {year}"),
        _ => format!("{day} {name} {year} Last updated at 14:05 GMT"),
    }
}

/// A Fisher-Yates shuffle driven by `seed`.
fn shuffle(lines: &mut [String], mut seed: u64) {
    for i in (1..lines.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = usize::try_from((seed >> 33) % (i as u64 + 1)).unwrap_or(0);
        lines.swap(i, j);
    }
}
