//! Readers' comments at the end of a page: a comments heading in any decoration, letter
//! case or common misspelling (`--- Comments (3) ---`, `★ COMMENTS ★`, `5 thoughts on
//! “Title”`, `Leave a Reply`, `Commments`), a site's own separator (`[content]
//! cut_after`), and comments without a heading (a name and time line over short
//! paragraphs, repeated to the end of the page).
//!
//! Each cut runs from where the comments start to the end of the body, and is recorded.
//! Must not cut before the story has begun: the first body paragraph is never a heading.

use std::sync::LazyLock;

use regex::Regex;

use super::boilerplate::BodyLine;
use super::{CutNote, CutReason, Pattern, header};
use crate::ingest::textdate::{self, DateOrder, chars_at_most};

/// Whether the line heads a comments section.
pub(super) fn is_comments_heading(line: &str) -> bool {
    // Called on every line of every story: the common case must stay cheap. Past a dozen
    // words only `12 Responses to “a long headline”` is a heading.
    let start = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    let counted = start.starts_with(|c: char| c.is_ascii_digit())
        || ["one ", "two ", "three ", "four ", "five "]
            .iter()
            .any(|n| {
                start
                    .get(..n.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(n))
            });
    let most = if counted { MAX_HEADING_WORDS } else { 12 };
    let spaced = || line.bytes().filter(|&b| b == b' ').nth(most + 8).is_some();
    if line.len() > 800 || spaced() || !names_a_heading_word(line) {
        return false;
    }
    if !chars_at_most(line, 200) {
        return false;
    }
    let lower = line.to_lowercase().replace('’', "'");
    let mut folded = String::with_capacity(lower.len());
    let words = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty());
    for (n, word) in words.enumerate() {
        if n >= most {
            return false;
        }
        if n > 0 {
            folded.push(' ');
        }
        folded.push_str(canonical_word(word));
    }
    // `Comments (12) | Add yours`: the heading is what stands before the first bar.
    HEADING.is_match(&folded)
        || line
            .split_once('|')
            .is_some_and(|(first, _)| !first.contains('|') && is_comments_heading(first))
}

/// Cuts from the first comments heading (or `cut_after` match) to the end, with any rule
/// lines just above it; failing those, trailing reader comments without a heading.
pub(super) fn cut_comments(
    body: &mut [BodyLine<'_>],
    cut_after: &[Pattern],
    order: DateOrder,
    cuts: &mut Vec<CutNote>,
) {
    let story_start = body
        .iter()
        .position(|l| l.text.is_some())
        .map_or(0, |i| i + 1);
    let matched = body
        .iter()
        .enumerate()
        .skip(story_start)
        .find_map(|(i, l)| {
            let text = l.text.as_deref()?;
            if let Some(p) = cut_after.iter().find(|p| p.regex.is_match(text)) {
                return Some((i, CutReason::CutAfter(p.source.clone())));
            }
            let heading = is_comments_heading(text) && !is_closing_counter(body, i, text);
            heading.then_some((i, CutReason::CommentsSection))
        });
    if let Some((heading_at, reason)) = matched {
        let mut start = heading_at;
        while let Some(above) = body[..start].iter().rposition(|l| l.text.is_some()) {
            let rule = body[above]
                .text
                .as_deref()
                .is_some_and(|t| RULE_LINE.is_match(t));
            if !rule || above < story_start {
                break;
            }
            start = above;
        }
        let heading = body[heading_at]
            .text
            .as_deref()
            .unwrap_or_default()
            .to_owned();
        cut_from(body, start, reason, &heading, cuts);
        return;
    }
    if let Some(start) = reader_comments_start(body, story_start, order) {
        let first = body[start].text.as_deref().unwrap_or_default().to_owned();
        cut_from(body, start, CutReason::ReaderComments, &first, cuts);
    }
}

/// A comment counter that heads nothing: `0 Comments To This Article`, `No comments
/// yet`, or any counter with no line after it.
fn is_closing_counter(body: &[BodyLine<'_>], at: usize, text: &str) -> bool {
    if !textdate::is_comment_counter(text) {
        return false;
    }
    let zero = text.trim_start().starts_with(['0', 'N', 'n']);
    zero || body[at + 1..].iter().all(|l| l.text.is_none())
}

/// Whether some word of `line` is, or is one slip from, a word comments headings are made
/// of: a quick test, without allocating, before the line is folded and matched.
fn names_a_heading_word(line: &str) -> bool {
    let mut buffer = [0u8; 16];
    // Misspelt headings are short (`~~ commments ~~`, `COMMNETS:`): in longer lines only
    // the words as spelt are looked for, by one search of the line.
    let fuzzy = line.split_whitespace().nth(4).is_none();
    if !fuzzy && line.is_ascii() {
        return HEADING_WORD.is_match(line);
    }
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| (3..=14).contains(&w.len()))
        .any(|word| {
            if !word.is_ascii() {
                return true;
            }
            let lower = &mut buffer[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            let lower: &[u8] = lower;
            TRIGGERS.iter().any(|t| t.as_bytes() == lower)
                || KEYWORDS.iter().any(|k| {
                    k.as_bytes() == lower
                        || fuzzy
                            && k.len() >= 6
                            && k.len().abs_diff(lower.len()) <= 1
                            && one_edit_apart(lower, k.as_bytes())
                })
        })
}

/// Heading words that are no keyword: `Have your say`, `What do you think`, `Join the
/// debate`, `Readers' views`, `Talkback`, `Reactions`.
const TRIGGERS: &[&str] = &[
    "say",
    "think",
    "debate",
    "views",
    "feedback",
    "talkback",
    "reaction",
    "reactions",
    "thought",
];

/// A word of [`TRIGGERS`] or [`KEYWORDS`] as spelt, between characters that are not
/// letters or digits: [`names_a_heading_word`] for an ASCII line of five words or more.
static HEADING_WORD: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<&str> = TRIGGERS.iter().chain(KEYWORDS).copied().collect();
    compile(&format!(
        r"(?i)(?:^|[^a-zA-Z0-9])(?:{})(?:$|[^a-zA-Z0-9])",
        words.join("|")
    ))
});

/// A comments heading has no more words than this (`12 Responses to “…”` included).
const MAX_HEADING_WORDS: usize = 40;

/// Words a comments heading is made of, each within one slip of typing of its canonical
/// spelling.
const KEYWORDS: &[&str] = &[
    "comment",
    "comments",
    "discussion",
    "responses",
    "response",
    "replies",
    "reply",
    "readers",
    "reader",
    "thoughts",
    "conversation",
];

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    let count = r"(?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten)";
    let things = r"(?:comments?|responses?|replies|reply|thoughts?|reactions?)";
    compile(&format!(
        r"^(?:(?:show|showing|view|viewing|load|read|see|hide|all)\s+(?:all\s+)?(?:the\s+)?)?(?:{count}\s+)?(?:(?:readers?|reader's|readers'|user|users|your|visitor|visitors|member|guest)\s+)?(?:comments?|discussion|responses?|replies|reactions?|talkback|conversations?)(?:\s+{count})?$|^(?:readers?|reader's|readers'|your|user|users)\s+(?:views|feedback|reactions?)$|^{count}\s+{things}\s+(?:on|to|for|about)\s+.+$|^(?:leave|post|add|write|submit|make|have)\s+(?:a|your|an)\s+(?:comment|comments|reply|response|say)(?:\s+{count})?$|^(?:join|start|enter)\s+the\s+(?:discussion|conversation|debate)$|^have\s+your\s+say$|^add\s+your\s+comments?$|^what\s+do\s+you\s+think$|^comments?\s+(?:are\s+)?closed$|^(?:comments?|discussion)\s+(?:section|thread|policy)$|^we\s+welcome\s+your\s+comments$|^what\s+(?:our\s+|other\s+)?(?:readers?|commenters|you)\s+(?:are\s+)?(?:saying|say|said|think|thinks|wrote)$|^(?:readers?|commenters)\s+(?:respond|write|react|say)$"
    ))
});
static RULE_LINE: LazyLock<Regex> = LazyLock::new(|| compile(r"^[\W_]{3,}$"));
static SAYS: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:posted\s+by\s+|by\s+)?(?P<name>[^.!?]{1,40}?)\s*(?:says|said|wrote|writes|replied|commented)\s*(?::|\.{3}|…)?\s*$",
    )
});
/// `Ann Marie • 6 years ago`, `jsmith · 2 hours ago`, or the time alone under the name.
static AGO: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:(?P<name>[^•·|]{1,40}?)\s*[•·|\-–—]\s*)?(?:about\s+)?(?:[0-9]+|an?|one)\s+(?:seconds?|min(?:ute)?s?|hours?|days?|weeks?|months?|years?)\s+ago$",
    )
});
static REPLY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^[\W_]*(?:reply|like|report|report\s+abuse|flag|permalink|log\s+in\s+to\s+reply|recommend|share|[0-9]+\s+likes?|quote)[\W_]*(?:\s*[|·•]\s*(?:reply|like|report|share|flag|quote))*[\W_]*$",
    )
});

fn compile(pattern: &str) -> Regex {
    // The patterns are literals of this module, and every one is compiled by the unit tests.
    Regex::new(pattern).expect("built-in comments pattern compiles")
}

/// `commments`, `coments`, `commnets` as `comments`: a word one edit (or one swap of
/// neighbours) from a keyword of six letters or more is that keyword.
fn canonical_word(word: &str) -> &str {
    if word.len() < 6 || KEYWORDS.contains(&word) {
        return word;
    }
    let length = word.chars().count();
    let near = |keyword: &&&str| {
        if keyword.len() < 6 || keyword.len().abs_diff(length) > 1 {
            false
        } else if word.is_ascii() {
            one_edit_apart(word.as_bytes(), keyword.as_bytes())
        } else {
            let chars: Vec<char> = word.chars().collect();
            let keyword: Vec<char> = keyword.chars().collect();
            one_edit_apart(&chars, &keyword)
        }
    };
    KEYWORDS.iter().find(near).copied().unwrap_or(word)
}

/// Damerau-Levenshtein distance of at most one.
fn one_edit_apart<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x + 1 == y => ra == &rb[1..],
        (x, y) if y + 1 == x => &ra[1..] == rb,
        _ => false,
    }
}

fn cut_from(
    body: &mut [BodyLine<'_>],
    start: usize,
    reason: CutReason,
    first: &str,
    cuts: &mut Vec<CutNote>,
) {
    let last = body.iter().rposition(|l| l.text.is_some()).unwrap_or(start);
    cuts.push(CutNote::new(body[start].no, body[last].no, reason, first));
    for line in &mut body[start..] {
        line.text = None;
    }
}

/// Where comments without a heading start: at least two comment heads (a name with a
/// date or time, or `Name says:`), each followed by at most a few short paragraphs, and
/// nothing else down to the end.
fn reader_comments_start(
    body: &[BodyLine<'_>],
    story_start: usize,
    order: DateOrder,
) -> Option<usize> {
    let texts: Vec<(usize, &str)> = body
        .iter()
        .enumerate()
        .skip(story_start)
        .filter_map(|(i, l)| l.text.as_deref().map(|t| (i, t)))
        .collect();
    let mut start = None;
    let mut heads = 0;
    let mut since_head = 0;
    // What `comment_head` said of the line below with this one above it.
    let mut below: Option<bool> = None;
    for (k, &(i, text)) in texts.iter().enumerate().rev() {
        let prev = k.checked_sub(1).map(|p| texts[p].1);
        let named_before_head = below == Some(true);
        // Heads, names and reply lines are short; a long line is a comment or the story.
        if text.len() > 400 {
            below = None;
            if since_head < 4 && words_at_most(text, MAX_COMMENT_WORDS) {
                since_head += 1;
                continue;
            }
            break;
        }
        let head = comment_head(text, prev, order);
        below = head;
        if let Some(name_above) = head {
            heads += 1;
            since_head = 0;
            start = Some(if name_above { texts[k - 1].0 } else { i });
        } else if REPLY_LINE.is_match(text) || named_before_head {
            continue;
        } else if since_head < 4 && words_at_most(text, MAX_COMMENT_WORDS) {
            since_head += 1;
        } else {
            break;
        }
    }
    // The lines after the last head belong to it; those above the first are the story.
    (heads >= 2).then_some(start?)
}

const MAX_COMMENT_WORDS: usize = 120;

/// At most `most` words, counted by their spaces (a quick count for long lines).
fn words_at_most(text: &str, most: usize) -> bool {
    text.bytes().filter(|&b| b == b' ').count() < most
}

/// Whether `text` opens a comment; `Some(true)` when its name is on the line above.
fn comment_head(text: &str, prev: Option<&str>, order: DateOrder) -> Option<bool> {
    if !chars_at_most(text, 100) {
        return None;
    }
    let has = |word: &str| {
        text.as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    let says = ["say", "said", "wrote", "writes", "replied", "commented"];
    if says.iter().any(|w| has(w)) && SAYS.is_match(text) {
        return Some(false);
    }
    if let Some(caps) = has("ago").then(|| AGO.captures(text)).flatten() {
        return match caps.name("name") {
            Some(name) => is_commenter(name.as_str()).then_some(false),
            None => prev.is_some_and(is_commenter).then_some(true),
        };
    }
    let stamp = textdate::parse_date_line(text, order).map(|d| d.rest);
    let day = chrono::NaiveDate::default();
    let time_only = textdate::parse_time_line(text, day).is_some();
    let rest = match stamp {
        Some(rest) => rest,
        None if time_only => String::new(),
        None => return None,
    };
    let rest = SAYS
        .captures(&rest)
        .and_then(|c| c.name("name"))
        .map_or(rest.as_str(), |m| m.as_str());
    if !rest.is_empty() {
        return is_commenter(rest).then_some(false);
    }
    prev.is_some_and(is_commenter).then_some(true)
}

/// A commenter's name or handle: one to four words, no sentence.
fn is_commenter(text: &str) -> bool {
    let text = text.trim_matches(|c: char| !c.is_alphanumeric());
    let words = text.split_whitespace().count();
    (1..=4).contains(&words)
        && chars_at_most(text, 40)
        && !text.ends_with(['.', '!', '?'])
        && header::parse_credit(text).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn headings_in_any_dress_are_found() {
        for line in [
            "Comments",
            "--- Comments (3) ---",
            "★★★ COMMENTS ★★★",
            "═══ Reader comments ═══",
            "~~ commments ~~",
            "Coments:",
            "COMMNETS",
            "5 thoughts on “Lavrov wants contact”",
            "12 Responses to \"Budget day\"",
            "One thought on “Budget day”",
            "Leave a Reply",
            "Leave a comment",
            "Join the discussion",
            "Have your say",
            ">> Readers' comments <<",
            "Discussion (14)",
            "Show comments",
            "=== What readers are saying ===",
            "# what readers are saying",
            "Readers respond",
        ] {
            assert!(is_comments_heading(line), "{line}");
        }
        for line in [
            "Comments were closed after the vote.",
            "No comment",
            "Discussion continued late into the night.",
            "Moments",
            "The minister's comments angered the opposition",
            "Replies from the ministry were slow",
        ] {
            assert!(!is_comments_heading(line), "{line}");
        }
    }

    fn body(lines: &[&'static str]) -> Vec<BodyLine<'static>> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| BodyLine {
                no: i + 1,
                text: (!t.is_empty()).then_some(Cow::Borrowed(*t)),
            })
            .collect()
    }

    fn kept(lines: &[BodyLine<'_>]) -> Vec<String> {
        lines
            .iter()
            .filter_map(|l| l.text.as_deref().map(str::to_owned))
            .collect()
    }

    #[test]
    fn unheaded_reader_comments_are_cut() {
        let mut lines = body(&[
            "The council voted on Tuesday to close the library, despite a petition signed by thousands.",
            "",
            "The building will be sold next year.",
            "",
            "Mary Jones says:",
            "March 4, 2011 at 10:02 am",
            "What a shame. I grew up reading there.",
            "",
            "Reply",
            "",
            "Tom Baker",
            "March 4, 2011 at 11:15 am",
            "Sell it and be done.",
        ]);
        let mut cuts = Vec::new();
        cut_comments(&mut lines, &[], DateOrder::DayFirst, &mut cuts);
        assert_eq!(
            kept(&lines),
            [
                "The council voted on Tuesday to close the library, despite a petition signed by thousands.",
                "The building will be sold next year.",
            ]
        );
        assert_eq!(
            cuts.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["lines 5-13: reader comments `Mary Jones says:`"]
        );
    }

    #[test]
    fn a_story_that_merely_mentions_times_keeps_its_text() {
        let mut lines = body(&[
            "The first train left at 9:15 am.",
            "",
            "March 4, 2011",
            "",
            "The last one never came, passengers said after waiting for hours in the cold.",
        ]);
        let mut cuts = Vec::new();
        cut_comments(&mut lines, &[], DateOrder::DayFirst, &mut cuts);
        assert!(cuts.is_empty(), "{cuts:?}");
    }

    #[test]
    fn cut_after_patterns_cut_from_their_line() {
        let pattern = Pattern::regex(r"^#{3} Talk back #{3}$").unwrap_or_else(|e| panic!("{e}"));
        let mut lines = body(&["Story.", "", "### Talk back ###", "Me too"]);
        let mut cuts = Vec::new();
        cut_comments(&mut lines, &[pattern], DateOrder::DayFirst, &mut cuts);
        assert_eq!(kept(&lines), ["Story."]);
        assert_eq!(
            cuts[0].to_string(),
            "lines 3-4: cut_after `^#{3} Talk back #{3}$` `### Talk back ###`"
        );
    }
}
