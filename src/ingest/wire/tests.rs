use chrono::NaiveDate;

use super::*;

fn parse(text: &str) -> WireDoc {
    parse_wire(text, &WireOptions::default())
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn notes(doc: &WireDoc) -> Vec<String> {
    doc.cut.iter().map(ToString::to_string).collect()
}

const AGENCY_STORY: &str = "Lavrov wants 'regular contact' with Syrian opposition\n\
\n\
2nd February 2013, Comments 0 comments\n\
\n\
Russia's Foreign Minister Sergei Lavrov said Saturday he wants to keep in regular contact.\n\
\n\
\"We will make that happen,\" he added.\n\
\n\
Lavrov also said that John Kerry, the new US secretary of state, should be making his way to Russia soon.\n\
\n\
\u{a9} 2013 AFP\n\
\n\
0 Comments To This Article";

#[test]
fn agency_story_gives_headline_date_credit_and_paragraphs() {
    let doc = parse(AGENCY_STORY);
    assert_eq!(
        doc.headline,
        "Lavrov wants 'regular contact' with Syrian opposition"
    );
    assert_eq!(doc.headline_line, 1);
    assert_eq!(doc.date.as_ref().map(|d| d.date), ymd(2013, 2, 2));
    assert_eq!(doc.date_line, Some(3));
    assert_eq!(doc.credit.as_deref(), Some("\u{a9} 2013 AFP"));
    assert_eq!(doc.source.as_deref(), Some("AFP"));
    assert_eq!(doc.paragraphs.len(), 3);
    assert_eq!(
        doc.paragraphs.last().map(String::as_str),
        Some(
            "Lavrov also said that John Kerry, the new US secretary of state, should be making his way to Russia soon."
        )
    );
    assert_eq!(
        notes(&doc),
        [
            "line 3: comment counter `Comments 0 comments`",
            "line 13: comment counter `0 Comments To This Article`"
        ]
    );
}

#[test]
fn crlf_leading_blanks_nbsp_lines_and_no_final_newline_change_nothing() {
    let variants = [
        AGENCY_STORY.replace('\n', "\r\n"),
        AGENCY_STORY.replace('\n', "\r"),
        format!("\n\n  \n{AGENCY_STORY}"),
        AGENCY_STORY.replace("\n\n", "\n\u{a0}\n\n \t\n"),
        format!("{AGENCY_STORY}\n"),
        AGENCY_STORY.replace("Lavrov wants", "\u{feff}Lavrov wants"),
    ];
    let plain = parse(AGENCY_STORY);
    for text in &variants {
        let doc = parse(text);
        assert_eq!(doc.headline, plain.headline, "{text:?}");
        assert_eq!(doc.date, plain.date, "{text:?}");
        assert_eq!(doc.paragraphs, plain.paragraphs, "{text:?}");
        assert_eq!(doc.credit, plain.credit, "{text:?}");
    }
}

#[test]
fn paragraphs_follow_blank_lines_and_join_single_newlines() {
    let doc = parse("Headline\nFirst line\n  continues here\n\n\n\nSecond.\n \nThird\n");
    assert_eq!(doc.headline, "Headline");
    assert_eq!(
        doc.paragraphs,
        ["First line continues here", "Second.", "Third"]
    );
    assert_eq!(doc.date, None);
    assert!(doc.cut.is_empty());
}

#[test]
fn empty_and_headline_only_texts() {
    assert_eq!(parse(""), WireDoc::default());
    assert_eq!(parse(" \n\u{a0}\n"), WireDoc::default());
    let doc = parse("\n\nJust a headline");
    assert_eq!(
        (doc.headline.as_str(), doc.headline_line),
        ("Just a headline", 3)
    );
    assert!(doc.paragraphs.is_empty());
}

#[test]
fn header_lines_give_dates_and_authors() {
    // text, date, updated, authors
    type Case = (
        &'static str,
        Option<NaiveDate>,
        Option<NaiveDate>,
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        ("H\n\nBy Jane Smith\n\nBody.", None, None, &["Jane Smith"]),
        (
            "H\n\nBy Jane Smith and Ali Khan\n2 Feb 2013\n\nBody.",
            ymd(2013, 2, 2),
            None,
            &["Jane Smith", "Ali Khan"],
        ),
        (
            "H\nby John on July 7, 2012\n\nBody.",
            ymd(2012, 7, 7),
            None,
            &["John"],
        ),
        (
            "H\n\nPublished: 2 Feb 2013 | Updated: 3 Feb 2013\n\nBody.",
            ymd(2013, 2, 2),
            ymd(2013, 2, 3),
            &[],
        ),
        (
            "H\n\nPublished: 02/03/2013\nUpdated: 04/03/2013 10:00 GMT\n\nBody.",
            ymd(2013, 3, 2),
            ymd(2013, 3, 4),
            &[],
        ),
        // A header whose only date is an update was published by then.
        (
            "H\n\nUpdated: 2013-02-03\n\nBody.",
            ymd(2013, 2, 3),
            None,
            &[],
        ),
        (
            "H\n\nSaturday 2 February 2013 12:34 GMT\nBy Jane Smith, BBC News\n\nBody.",
            ymd(2013, 2, 2),
            None,
            &["Jane Smith"],
        ),
    ];
    for (text, date, updated, authors) in cases {
        let doc = parse(text);
        assert_eq!(doc.date.as_ref().map(|d| d.date), *date, "{text}");
        assert_eq!(doc.updated.as_ref().map(|d| d.date), *updated, "{text}");
        assert_eq!(doc.authors, *authors, "{text}");
        assert_eq!(doc.paragraphs, ["Body."], "{text}");
    }
}

#[test]
fn dates_in_running_text_are_not_taken() {
    let cases = [
        "Deal signed\n\nThe deal was signed on 2 February 2013 in Geneva by both sides.\n",
        "Deal signed\n\nSaturday 20 November\n\nLansdowne Road, Dublin\n",
        "Deal signed\n\nHe was born on 2 February 1960.\n",
        "Deal signed\n\nFirst paragraph.\n\n2 February 2013\n\nLast paragraph.\n",
    ];
    for text in cases {
        let doc = parse(text);
        assert_eq!(doc.date, None, "{text}");
        assert_eq!(
            doc.paragraphs.len(),
            text.split("\n\n").count() - 1,
            "{text}"
        );
    }
}

#[test]
fn closing_date_line_is_taken_when_the_header_has_none() {
    let doc = parse("H\n\nBody.\n\nPublished 2 February 2013\n\n(c) Reuters 2012\n");
    assert_eq!(doc.date.as_ref().map(|d| d.date), ymd(2013, 2, 2));
    assert_eq!(doc.date_line, Some(5));
    assert_eq!(doc.credit.as_deref(), Some("(c) Reuters 2012"));
    assert_eq!(doc.source.as_deref(), Some("Reuters"));
    assert_eq!(doc.paragraphs, ["Body."]);
}

#[test]
fn datelines_are_split_and_give_the_source() {
    let cases: &[(&str, Option<&str>, Option<&str>, &str)] = &[
        (
            "H\n\nMOSCOW (AFP) - Russia said.\n",
            Some("MOSCOW (AFP)"),
            Some("AFP"),
            "Russia said.",
        ),
        (
            "H\n\nBEIRUT, Lebanon, June 2 \u{2014} Shelling\ngoes on.\n",
            Some("BEIRUT, Lebanon, June 2"),
            None,
            "Shelling goes on.",
        ),
        (
            "H\n\nLONDON (Reuters) - Shares fell.\n\n\u{a9} 2013 AFP\n",
            Some("LONDON (Reuters)"),
            Some("AFP"),
            "Shares fell.",
        ),
        (
            "H\n\nBy Jane Smith (AP)\n\nThe Senate - after a vote - agreed.\n",
            None,
            Some("AP"),
            "The Senate - after a vote - agreed.",
        ),
    ];
    for (text, dateline, source, first) in cases {
        let doc = parse(text);
        assert_eq!(doc.dateline.as_deref(), *dateline, "{text}");
        assert_eq!(doc.source.as_deref(), *source, "{text}");
        assert_eq!(
            doc.paragraphs.first().map(String::as_str),
            Some(*first),
            "{text}"
        );
    }
}

#[test]
fn a_dated_dateline_dates_the_story_and_a_dateline_may_share_the_date_line() {
    let doc = parse("H\n\nNEW YORK, Feb. 2, 2013 (AP) -- Stocks rose.\n");
    assert_eq!(doc.date.as_ref().map(|d| d.date), ymd(2013, 2, 2));
    assert_eq!(doc.date_line, Some(3));
    assert_eq!(doc.dateline.as_deref(), Some("NEW YORK, Feb. 2, 2013 (AP)"));
    assert_eq!(doc.paragraphs, ["Stocks rose."]);

    let doc = parse("H\n\nMOSCOW (AFP), 2 February 2013\n\nRussia said.\n");
    assert_eq!(doc.date.as_ref().map(|d| d.date), ymd(2013, 2, 2));
    assert_eq!(doc.dateline.as_deref(), Some("MOSCOW (AFP)"));
    assert_eq!(doc.source.as_deref(), Some("AFP"));
    assert_eq!(doc.paragraphs, ["Russia said."]);
    assert!(doc.cut.is_empty());

    let doc = parse("H\n\nLondon, 2 February 2013\n\nText.\n");
    assert_eq!(doc.dateline, None);
    assert_eq!(notes(&doc), ["line 3: text beside the date `London`"]);
}

#[test]
fn every_credit_form_closes_the_story() {
    let cases = [
        ("\u{a9} 2013 AFP", "AFP"),
        ("(c) Reuters 2012", "Reuters"),
        ("(c) 2013 AFP", "AFP"),
        (
            "Copyright 2012 The Associated Press. All rights reserved.",
            "AP",
        ),
    ];
    for (credit, source) in cases {
        let doc = parse(&format!("H\n\nBody.\n{credit}\n\nShare this article\n"));
        assert_eq!(doc.credit.as_deref(), Some(credit));
        assert_eq!(doc.source.as_deref(), Some(source));
        assert_eq!(doc.paragraphs, ["Body."]);
    }
}

#[test]
fn boilerplate_is_cut_with_line_numbers() {
    let text = "Headline\n\nBody one.\n\nPrint | Email\n\nRelated stories\nOther headline\n\nBody two.\n\n\u{a9} 2013 AFP\n \t\r\n -- Comments (2) -- \t\r\nNice\n\nSpam";
    let opts = WireOptions::new(DateOrder::DayFirst, &["/^Advertisement$/"])
        .unwrap_or_else(|e| panic!("{e}"));
    let doc = parse_wire(text, &opts);
    assert_eq!(doc.paragraphs, ["Body one.", "Body two."]);
    assert_eq!(doc.credit.as_deref(), Some("\u{a9} 2013 AFP"));
    assert_eq!(
        notes(&doc),
        [
            "lines 14-17: comments section `-- Comments (2) --`",
            "lines 7-8: related stories `Related stories`",
            "line 5: share prompt `Print | Email`",
        ]
    );
}

#[test]
fn site_patterns_are_compiled_once_and_errors_name_the_pattern() {
    let opts = WireOptions::new(
        DateOrder::MonthFirst,
        &["Advertisement", "/Sponsored by \\w+/"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let doc = parse_wire(
        "Prices rise again\n\n02/03/2013\n\nOne. Sponsored by Acme\n\nADVERTISEMENT\n\nTwo.",
        &opts,
    );
    assert_eq!(doc.date.as_ref().map(|d| d.date), ymd(2013, 2, 3));
    assert_eq!(doc.paragraphs, ["One.", "Two."]);
    assert_eq!(
        notes(&doc),
        [
            "line 7: site pattern `Advertisement` `ADVERTISEMENT`",
            "line 5: site pattern `/Sponsored by \\w+/` `Sponsored by Acme`",
        ]
    );
    let error = WireOptions::new(DateOrder::DayFirst, &["/(unclosed/"]).map(|_| ());
    let message = error.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message
            .starts_with("boilerplate pattern `/(unclosed/` is not a valid regular expression: "),
        "{message}"
    );
}

#[test]
fn a_short_lower_case_paragraph_naming_an_agency_is_story() {
    for last in ["pa.", "ap.", "reuters."] {
        let doc = parse(&format!("Headline\n\nFirst words here.\n\n{last}\n"));
        assert_eq!(doc.paragraphs, ["First words here.", last], "{last}");
        assert!(doc.cut.is_empty(), "{last}: {:?}", doc.cut);
    }
}

#[test]
fn a_name_with_its_role_is_a_byline_wherever_it_stands() {
    // Above the headline, between the date and a share prompt; and over a deck and a
    // bare date, which it keeps in the header.
    let doc = parse(
        "29 Jun 2022\n\nPeter Tanaka | Senior Reporter\n\nListen to this article\n\n\
         Hospital staff faces flood defenses\n\n\
         When the plan was shown to the board last week, few people expected a vote.\n",
    );
    assert_eq!(doc.headline, "Hospital staff faces flood defenses");
    assert_eq!(doc.authors, ["Peter Tanaka"]);
    let doc = parse(
        "Will the library back the solar farm?\n\
         The plan, years in the making, still needs approval from the state.\n\
         Ruth Sharma | Business Editor\n\nOctober 24th, 2010\n\n\
         When the plan was shown to the board last week, few people expected a vote.\n",
    );
    assert_eq!(doc.headline, "Will the library back the solar farm?");
    assert_eq!(doc.date.map(|d| d.date), ymd(2010, 10, 24));
    // A name over its role at the top of the page.
    let doc = parse(
        "Carlos Brennan\nContributor\n\nDecember storm breaks records\n\n22nd April 2006\n\n\
         When the plan was shown to the board last week, few people expected a vote.\n",
    );
    assert_eq!(doc.headline, "December storm breaks records");
    assert_eq!(doc.authors, ["Carlos Brennan"]);
}
