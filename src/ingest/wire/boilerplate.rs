//! Site boilerplate in wire-copy bodies: comment sections and counters, share and print
//! prompts, "Related stories" blocks, and the site's own patterns.
//!
//! Works on the body lines only (after the headline and header lines) and records every
//! removal as a [`CutNote`]; must not touch credits, datelines or paragraph structure.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::{CutNote, CutReason, Pattern, WireOptions, classify, comments};
use crate::ingest::furniture::{EDGE_LINES, FurnitureLines};
use crate::ingest::textdate::{chars_at_most, is_comment_counter};

/// One line of the body: its 1-based number in the file and its trimmed text, or `None`
/// once it is blank or cut (both end a paragraph).
#[derive(Debug)]
pub(super) struct BodyLine<'a> {
    pub no: usize,
    pub text: Option<Cow<'a, str>>,
}

/// Removes boilerplate from `body`, recording each removal in `cuts`, in this order: a
/// comments section and everything after it, "Related stories" blocks, single-line comment
/// counters, share prompts, adverts and photo credits, furniture among the last lines,
/// then the site's patterns.
pub(super) fn cut_boilerplate(
    body: &mut [BodyLine<'_>],
    opts: &WireOptions,
    furniture: &FurnitureLines,
    cuts: &mut Vec<CutNote>,
) {
    comments::cut_comments(body, &opts.cut_after, opts.date_order, cuts);
    cut_related_blocks(body, cuts);
    cut_footer(body, furniture, cuts);
    cut_lines(body, cuts, |_, text| {
        if is_comment_counter(text) {
            Some(CutReason::CommentCounter)
        } else {
            is_share_prompt(text).then_some(CutReason::SharePrompt)
        }
    });
    for pattern in &opts.boilerplate {
        for line in body.iter_mut() {
            cut_pattern(line, pattern, cuts);
        }
    }
    let tail_from = tail_start(body);
    cut_lines(body, cuts, |i, text| {
        if classify::is_advert(text) {
            Some(CutReason::Advertisement)
        } else if text.len() <= 200 && classify::is_caption(text) && !text.ends_with('.') {
            Some(CutReason::Caption)
        } else {
            (i >= tail_from && furniture.contains(text)).then_some(CutReason::Furniture)
        }
    });
}

/// Cuts the page footer under the story, from the last line up: tag and topic lines,
/// `This entry was posted in …`, `Reporting by …; Editing by …`, `A version of this
/// article appears in print …`, `Thanks for reading`, `Like this:`. A credit line among
/// them is left for the closing lines, and the site's furniture for its own cut.
fn cut_footer(body: &mut [BodyLine<'_>], furniture: &FurnitureLines, cuts: &mut Vec<CutNote>) {
    let mut end = body.len();
    let mut credits = 0;
    while let Some(i) = body[..end].iter().rposition(|l| l.text.is_some()) {
        let text = body[i].text.as_deref().unwrap_or_default();
        let reason = if furniture.contains(text) {
            end = i;
            continue;
        } else if classify::is_meta(text) {
            CutReason::Navigation
        } else if chars_at_most(text, 300) && (FOOTER.is_match(text) || WIRE_SOURCE.is_match(text))
        {
            CutReason::Footer
        } else if credits == 0 && super::header::parse_credit(text).is_some() {
            credits += 1;
            end = i;
            continue;
        } else {
            return;
        };
        cuts.push(CutNote::new(body[i].no, body[i].no, reason, text));
        body[i].text = None;
        end = i;
    }
}

/// `SOURCE Acme Industrial Corp.`: a press wire's last line.
static WIRE_SOURCE: LazyLock<Regex> = LazyLock::new(|| compile(r"^SOURCE\s+[A-Z0-9].{0,100}$"));
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:this\s+(?:entry|post)\s+was\s+(?:posted|filed)\s+(?:in|on|under)\s.*|.*bookmark\s+the\s+permalink\.?|like\s+this:?|like\s+loading\.*|(?:additional\s+)?(?:reporting|writing|reported)\s+by\s+[^.]{1,120};\s*(?:editing|edited)\s+by\s+.+|(?:editing|edited)\s+by\s+[^.]{1,80}|a\s+version\s+of\s+this\s+(?:article|story)\s+(?:appears|appeared)\s+in\s+print\s.*|thanks?\s+(?:you\s+)?for\s+reading.*|subscribe\s+(?:for\s+free|now|today)(?-u:\b).*)$",
    )
});

/// Cuts each line `reason` gives a reason for (called with the line's index and text).
fn cut_lines(
    body: &mut [BodyLine<'_>],
    cuts: &mut Vec<CutNote>,
    reason: impl Fn(usize, &str) -> Option<CutReason>,
) {
    for (i, line) in body.iter_mut().enumerate() {
        let Some(text) = line.text.as_deref() else {
            continue;
        };
        if let Some(why) = reason(i, text) {
            cuts.push(CutNote::new(line.no, line.no, why, text));
            line.text = None;
        }
    }
}

/// The index from which the last [`EDGE_LINES`] non-empty lines run.
fn tail_start(body: &[BodyLine<'_>]) -> usize {
    body.iter()
        .enumerate()
        .rev()
        .filter(|(_, l)| l.text.is_some())
        .nth(EDGE_LINES - 1)
        .map_or(0, |(i, _)| i)
}

/// Whether the line is only share, print and e-mail prompts (`Share this article`, `Print |
/// Email | Tweet`).
pub(super) fn is_share_prompt(line: &str) -> bool {
    if line.len() > 100 {
        return false;
    }
    let listed = |list: &[&str], w: &str| list.iter().any(|s| s.eq_ignore_ascii_case(w));
    let bare = line.trim_matches(|c: char| !c.is_alphanumeric());
    if bare.len() <= 24 && listed(SHARE_PHRASES, bare) {
        return true;
    }
    let mut triggered = false;
    let words = line
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty());
    for word in words {
        if listed(SHARE_TRIGGERS, word) {
            triggered = true;
        } else if !listed(SHARE_WORDS, word) {
            return false;
        }
    }
    triggered
}

const SHARE_TRIGGERS: &[&str] = &[
    "share",
    "print",
    "email",
    "e-mail",
    "tweet",
    "facebook",
    "twitter",
    "bookmark",
    "whatsapp",
    "linkedin",
    "reddit",
    "pinterest",
    "reprint",
    "reprints",
];
/// Whole lines that are a page's buttons without any trigger word: `Copy link`, `Save`.
const SHARE_PHRASES: &[&str] = &[
    "copy link",
    "copy the link",
    "copy url",
    "save",
    "save article",
    "save story",
    "save for later",
    "gift this article",
    "gift article",
    "listen",
    "listen to this article",
    "listen to this story",
];
const SHARE_WORDS: &[&str] = &[
    "this",
    "article",
    "story",
    "page",
    "post",
    "printer",
    "printable",
    "friendly",
    "version",
    "mail",
    "google",
    "digg",
    "delicious",
    "stumbleupon",
    "tumblr",
    "telegram",
    "messenger",
    "x",
    "on",
    "to",
    "a",
    "friend",
    "send",
    "save",
    "like",
    "follow",
    "us",
    "via",
    "it",
    "link",
    "copy",
    "text",
    "size",
    "font",
    "increase",
    "decrease",
    "larger",
    "smaller",
    "permissions",
    "license",
    "rss",
    "feed",
    "subscribe",
    "more",
    "options",
    "and",
    "or",
    "with",
];

const DECORATION: &str = r"[\s\-=_*~#·•|]*";

static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)^{DECORATION}(?:related(?:\s+(?:stories|articles|links|content|news|coverage|topics|posts|reading|items))?|more\s+on\s+this\s+(?:story|topic)|see\s+also|read\s+more|also\s+read|read\s+also|you\s+(?:may|might)\s+also\s+like|recommended(?:\s+(?:stories|articles|for\s+you))?|most\s+(?:read|popular|viewed|shared)|top\s+stories|more\s+stories|further\s+reading|topics|more\s+about|sources?|references|external\s+links)\s*:?{DECORATION}$"
    ))
});
static RELATED_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:related(?:\s+(?:stories|articles|links|content|news|coverage))?|see\s+also|read\s+more|also\s+read)\s*:\s*\S",
    )
});

fn compile(pattern: &str) -> Regex {
    // The patterns are literals of this module, and every one is compiled by the unit tests.
    Regex::new(pattern).expect("built-in boilerplate pattern compiles")
}

/// Whether the line heads a "Related stories" block (`Related Topics`, `More on this
/// story`).
pub(super) fn is_related_heading(line: &str) -> bool {
    RELATED_HEADING.is_match(line)
}

/// Cuts each "Related stories" heading with the link-like lines under it, up to the first
/// line of prose.
fn cut_related_blocks(body: &mut [BodyLine<'_>], cuts: &mut Vec<CutNote>) {
    let mut i = 0;
    while i < body.len() {
        let Some(text) = body[i].text.as_deref() else {
            i += 1;
            continue;
        };
        let heading =
            RELATED_HEADING.is_match(text) || text.len() <= 200 && RELATED_INLINE.is_match(text);
        if !heading {
            i += 1;
            continue;
        }
        let heading = text.to_owned();
        let mut end = i;
        for (j, line) in body.iter().enumerate().skip(i + 1) {
            match line.text.as_deref() {
                None => {}
                Some(t) if is_link_like(t) => end = j,
                Some(_) => break,
            }
        }
        cuts.push(CutNote::new(
            body[i].no,
            body[end].no,
            CutReason::RelatedStories,
            &heading,
        ));
        for line in &mut body[i..=end] {
            line.text = None;
        }
        i = end + 1;
    }
}

/// A line that reads like a link title: short, not a sentence, and not a credit line.
fn is_link_like(text: &str) -> bool {
    let end = text.trim_end_matches(['"', '\'', '”', '’', ')']);
    chars_at_most(text, 120)
        && !end.ends_with(['.', '!', ':'])
        && super::header::parse_credit(text).is_none()
}

/// Applies one site pattern to a line: a match of the whole line cuts it, a match of part
/// of it removes that part.
fn cut_pattern(line: &mut BodyLine<'_>, pattern: &Pattern, cuts: &mut Vec<CutNote>) {
    let Some(text) = line.text.as_deref() else {
        return;
    };
    let matches: Vec<&str> = pattern
        .regex
        .find_iter(text)
        .map(|m| m.as_str())
        .filter(|m| !m.is_empty())
        .collect();
    let Some(first) = matches.first() else { return };
    let reason = CutReason::Pattern(pattern.source.clone());
    if first.len() == text.len() {
        cuts.push(CutNote::new(line.no, line.no, reason, text));
        line.text = None;
        return;
    }
    let note = CutNote::new(line.no, line.no, reason, &matches.join(" … "));
    let kept = pattern.regex.replace_all(text, "");
    let kept = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    cuts.push(note);
    line.text = (!kept.is_empty()).then_some(Cow::Owned(kept));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the cuts over lines numbered from 10; returns the kept lines and the notes.
    fn cut(lines: &[&'static str], patterns: &[Pattern]) -> (Vec<String>, Vec<String>) {
        let mut body: Vec<BodyLine<'static>> = lines
            .iter()
            .enumerate()
            .map(|(i, t)| BodyLine {
                no: i + 10,
                text: (!t.is_empty()).then_some(Cow::Borrowed(*t)),
            })
            .collect();
        let mut cuts = Vec::new();
        let opts = WireOptions {
            boilerplate: patterns.to_vec(),
            ..WireOptions::default()
        };
        cut_boilerplate(&mut body, &opts, &FurnitureLines::default(), &mut cuts);
        let kept = body
            .iter()
            .filter_map(|l| l.text.as_deref().map(str::to_owned))
            .collect();
        (kept, cuts.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn comments_separator_cuts_to_the_end() {
        for separator in [
            "Comments",
            "--- Comments (3) ---",
            "\t Reader comments: ",
            "Have your say",
            "** Discussion **",
        ] {
            assert!(comments::is_comments_heading(separator), "{separator}");
        }
        for prose in [
            "Comments were closed after the vote.",
            "No comment",
            "Discussion continued",
        ] {
            assert!(!comments::is_comments_heading(prose), "{prose}");
        }
        let (kept, notes) = cut(
            &[
                "Last paragraph.",
                "",
                "-----",
                "Comments (2)",
                "Great story",
                "",
                "Rubbish",
            ],
            &[],
        );
        assert_eq!(kept, ["Last paragraph."]);
        assert_eq!(notes, ["lines 12-16: comments section `Comments (2)`"]);
    }

    #[test]
    fn related_blocks_stop_at_prose() {
        let (kept, notes) = cut(
            &[
                "Related stories",
                "Syria talks stall in Geneva",
                "",
                "Russia blocks UN resolution",
                "",
                "The talks continue on Monday.",
                "Related: Kerry heads to Moscow",
            ],
            &[],
        );
        assert_eq!(kept, ["The talks continue on Monday."]);
        assert_eq!(
            notes,
            [
                "lines 10-13: related stories `Related stories`",
                "line 16: related stories `Related: Kerry heads to Moscow`"
            ]
        );
    }

    #[test]
    fn counters_and_share_prompts_are_cut_line_by_line() {
        for prompt in [
            "Share this article",
            "Print | Email | Tweet",
            "Share on Facebook",
            "E-mail this to a friend",
            "Copy link",
            "Save",
            "Listen to this article",
        ] {
            assert!(is_share_prompt(prompt), "{prompt}");
        }
        for (line, want) in [
            ("Share prices fell sharply.", false),
            ("Email", true),
            ("Follow us", false),
            ("Save the date", false),
        ] {
            assert_eq!(is_share_prompt(line), want, "{line}");
        }
        let (kept, notes) = cut(
            &[
                "Text.",
                "0 Comments To This Article",
                "Share this article",
                "More text.",
            ],
            &[],
        );
        assert_eq!(kept, ["Text.", "More text."]);
        assert_eq!(
            notes,
            [
                "line 11: comment counter `0 Comments To This Article`",
                "line 12: share prompt `Share this article`"
            ]
        );
    }

    #[test]
    fn site_patterns_cut_whole_lines_or_parts() {
        let patterns = [
            Pattern::new("Click here to subscribe").unwrap_or_else(|e| panic!("{e}")),
            Pattern::new(r"/\[Ad\].*$/").unwrap_or_else(|e| panic!("{e}")),
        ];
        let (kept, notes) = cut(
            &[
                "CLICK HERE TO SUBSCRIBE",
                "Prices rose. [Ad] Buy now",
                "[Ad] only",
                "Plain.",
            ],
            &patterns,
        );
        assert_eq!(kept, ["Prices rose.", "Plain."]);
        assert_eq!(
            notes,
            [
                "line 10: site pattern `Click here to subscribe` `CLICK HERE TO SUBSCRIBE`",
                "line 11: site pattern `/\\[Ad\\].*$/` `[Ad] Buy now`",
                "line 12: site pattern `/\\[Ad\\].*$/` `[Ad] only`"
            ]
        );
    }
}
