//! What one line of a page's header zone is, when it is neither a date nor a byline: a
//! photo caption or credit, an advertisement marker, navigation, a reading-time or tag
//! line, a site or section name; and the shapes the zone scan asks about (prose, a
//! person's name).
//!
//! Each function looks at one line and answers yes or no; none decides where in a
//! document it may be applied (that is `zone`'s job).

use std::sync::LazyLock;

use regex::Regex;

use crate::ingest::textdate::chars_at_most;

/// `(Credit: Getty Images)`, `Photo: AP`, `Image copyright Reuters`, `Photograph by Sam
/// Jones/AFP`, `AP Photo/Evan Vucci`, `Getty Images`, and a caption sentence ending in a
/// bracketed credit: `Crowds gather in Cairo. (AP Photo/Amr Nabil)`.
pub(super) fn is_caption(line: &str) -> bool {
    let bracketed = line.trim_end().ends_with([')', ']']);
    chars_at_most(line, 400)
        && (CAPTION_START.is_match(line)
            || bracketed && CREDIT_TAIL.is_match(line)
            || PHOTO_AGENCY.is_match(line))
}

/// `Advertisement`, `ADVERTISEMENT`, `Sponsored content`, `Story continues below
/// advertisement`, and affiliate notices (`This post contains affiliate links.`). Markers
/// are printed with a capital: `ad.` in lower case is a word of the story.
pub(super) fn is_advert(line: &str) -> bool {
    let marker = ADVERT.is_match(line) && line.chars().any(char::is_uppercase);
    marker || chars_at_most(line, 300) && AFFILIATE.is_match(line)
}

/// Breadcrumbs (`Home > News > World`), menus of short items (`News | Sport | Weather`),
/// and the links of a page's frame (`Skip to main content`, `Sign in`).
pub(super) fn is_navigation(line: &str) -> bool {
    if !chars_at_most(line, 120) {
        return false;
    }
    if NAV_LINE.is_match(line) {
        return true;
    }
    let parts: Vec<&str> = line
        .split(['>', '»', '›', '|', '/', '•', '·'])
        .map(str::trim)
        .collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.split_whitespace().count() <= 3 && !p.ends_with('.'))
}

/// `5 min read`, `Reading time: 3 minutes`, `Tags: Syria, Russia`, `Filed under: World`,
/// `Listen to this article`, `1,234 words`.
pub(super) fn is_meta(line: &str) -> bool {
    chars_at_most(line, 160) && META.is_match(line)
}

/// A person's name alone on a line, or followed by a role: `Alex Chen`, `Mei Lin, Staff
/// Engineer`, `Heather Stewart Political editor`, `Jo Baker | Contributor`. Returns the
/// name.
pub(super) fn author_name(line: &str) -> Option<String> {
    if !chars_at_most(line, 80) {
        return None;
    }
    // `Sarah Lee @sarahlee`, `Jo Baker jo@example.com`: the name before its address.
    let line = match line.split_whitespace().last() {
        Some(last) if super::header::is_contact(last) && line.split_whitespace().count() > 1 => {
            line[..line.len() - last.len()].trim_end()
        }
        _ => line,
    };
    if let Some((head, role)) = line.split_once([',', '|', '—']) {
        let head = head.trim();
        return (is_person_name(head) && is_role_text(role.trim())).then(|| head.to_owned());
    }
    if is_person_name(line) {
        return Some(line.to_owned());
    }
    // A name and a role: the role's head word ends the line.
    if !super::header::ends_with_role(line) {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let named = |n: usize| {
        let name = words[..n].join(" ");
        (is_person_name(&name) && is_role_text(&words[n..].join(" "))).then_some(name)
    };
    // A role in sentence case starts with the capitalised word before its first
    // lower-case one: `Heather Stewart` `Political editor`.
    let lower = words
        .iter()
        .position(|w| w.starts_with(|c: char| c.is_lowercase()));
    lower
        .and_then(|i| i.checked_sub(1))
        .filter(|&n| n >= 2)
        .and_then(named)
        .or_else(|| (2..words.len()).rev().find_map(named))
}

/// A job title, desk or outlet under a byline: `AP Sports Writer`, `Chief football
/// writer`, `BBC News, Abuja`, `Political editor`.
pub(super) fn is_role_line(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=6).contains(&words)
        && !ends_with_full_stop(line)
        && line
            .split([',', '|'])
            .next()
            .is_some_and(|first| is_role_text(first.trim()))
}

/// `Staff report`, `From staff reports`, `Staff and wire reports`, `Staff writer`: a
/// byline that names no one.
pub(super) fn is_staff_byline(line: &str) -> bool {
    STAFF.is_match(line)
}

/// A few words naming a job or a desk (`Staff Engineer`, `political editor`).
fn is_role_text(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=4).contains(&words)
        && !text.ends_with(['.', '!', '?'])
        && super::header::ends_with_role(text)
}

/// A short label: one or two capitalised words (`World`, `BBC News`), or a site's name
/// (`The Daily Bugle`, `Seattle Times Online`, `example.com`). Shown before headlines, rarely a headline
/// itself (`Deal signed` is one).
pub(super) fn is_label(line: &str) -> bool {
    // Six words are enough to know a line is longer than any label.
    let words: Vec<&str> = line.split_whitespace().take(6).collect();
    let capitalised = |w: &&str| w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic());
    if words.len() <= 2 && words.iter().all(capitalised) && !line.ends_with(['.', '?', '!']) {
        return true;
    }
    // `Stitch & Story`, `Notes from the Allotment`, `Metro Transit Watch`: a name of three
    // or four words, capitalised but for short joining words.
    let joining = |w: &&str| w.len() <= 4 && w.chars().all(char::is_lowercase);
    let name_like = (3..=4).contains(&words.len())
        && words.first().is_some_and(capitalised)
        && words.last().is_some_and(capitalised)
        && words.iter().all(|w| capitalised(w) || joining(w))
        && !line.chars().any(|c| c.is_ascii_digit())
        && !line.ends_with(['.', '?', '!', ':']);
    if name_like {
        return true;
    }
    if words.len() > 5 {
        return false;
    }
    let site_word = words.iter().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        SITE_WORDS.contains(&w.as_str())
    });
    DOMAIN.is_match(line) || site_word && words.iter().all(capitalised)
}

/// A paragraph of running text rather than a headline: long, or a sentence of several
/// words.
pub(super) fn is_prose(line: &str) -> bool {
    let words = line.split_whitespace().take(30).count();
    let end = line.trim_end_matches(['"', '\'', '”', '’', ')']);
    words >= 30 || (words >= 12 && end.ends_with(['.', '!', '?', ':']))
}

/// A sentence: ends with a full stop, question or exclamation mark.
pub(super) fn is_sentence(line: &str) -> bool {
    let end = line.trim_end_matches(['"', '\'', '”', '’', ')']);
    end.ends_with(['.', '!', '?']) && line.split_whitespace().count() >= 2
}

/// Ends with a full stop (quotes and brackets aside): a sentence, not a headline.
pub(super) fn ends_with_full_stop(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with('.')
}

/// A person's name alone: two to four capitalised words (particles allowed), no digits or
/// sentence punctuation.
pub(super) fn is_person_name(line: &str) -> bool {
    if !chars_at_most(line, 40) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let page_word = |w: &&str| {
        let listed = |list: &[&str]| list.iter().any(|p| p.eq_ignore_ascii_case(w));
        listed(PAGE_WORDS) || listed(SITE_WORDS)
    };
    (2..=4).contains(&words.len())
        && line
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || ".'’-".contains(c))
        && words.iter().all(|w| {
            w.starts_with(|c: char| c.is_uppercase())
                || ["de", "da", "van", "von", "del", "la", "le", "al", "bin"].contains(w)
        })
        && !words.iter().any(page_word)
}

/// Words of a page's frame, never part of a person's name.
const PAGE_WORDS: &[&str] = &[
    "related",
    "topics",
    "share",
    "more",
    "read",
    "comments",
    "comment",
    "home",
    "menu",
    "follow",
    "subscribe",
    "latest",
    "popular",
    "trending",
    "video",
    "videos",
    "photos",
    "watch",
    "live",
    "sign",
    "login",
    "search",
    "contact",
    "about",
    "archive",
    "reviews",
    "deals",
    "sport",
    "sports",
    "weather",
    "business",
    "opinion",
    "politics",
    "world",
    "local",
    "story",
    "stories",
    "top",
    "most",
    "breaking",
    "advertisement",
    "sponsored",
    "newsletter",
    "privacy",
    "terms",
    "help",
    "section",
    "editor's",
    "picks",
];

/// Final words of a site's name.
const SITE_WORDS: &[&str] = &[
    "news",
    "times",
    "post",
    "herald",
    "tribune",
    "journal",
    "blog",
    "gazette",
    "online",
    "magazine",
    "chronicle",
    "telegraph",
    "guardian",
    "independent",
    "observer",
    "express",
    "weekly",
    "daily",
    "insider",
    "dispatch",
    "courier",
    "register",
    "bulletin",
    "network",
    "media",
    "radio",
    "tv",
];

static CAPTION_START: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^[\[(]?\s*(?:(?:file|featured|top|lead|header|main)\s+)?(?:photo(?:graph)?s?|images?|pictures?|pics?|credit|illustration|caption|video|graphic|gallery)(?:\s+(?:credit|caption|copyright|courtesy|source)(?:\s*:)?\s|\s*(?:by\s|:|/|-\s|–|—|©|\(c\)))",
    )
});
static CREDIT_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)[\[(]\s*(?:[^()\[\]]*(?-u:\b)(?:photo|photograph|credit|image|picture|getty|afp|ap|reuters|epa|shutterstock|courtesy)(?-u:\b)[^()\[\]]*)[\])]\s*$",
    )
});
static PHOTO_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:getty\s+images|ap\s+photo|afp\s+photo|epa|shutterstock|alamy|pa\s+wire)(?:\s*/\s*\S+(?:\s+\S+){0,3})?$|^(?:reuters|afp|ap|epa)\s*/\s*\S+(?:\s+\S+){0,3}$|^(?:[A-Z][\w.'-]*\s+){0,3}[A-Z][\w.'-]*\s*/\s*(?:getty\s+images|reuters|afp|ap|epa|shutterstock|alamy|pa|ap\s+images)$",
    )
});
static ADVERT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^[\W_]*(?:advertisements?|advertising|advert|ad|sponsored(?:\s+(?:content|links?|stories))?|paid\s+content|promoted(?:\s+content)?|story\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:advertisement|ad))?|continue\s+reading\s+(?:below|the\s+main\s+story)|skip\s+advert(?:isement)?|ad\s+feedback|report\s+this\s+ad)[\W_]*$",
    )
});
static AFFILIATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:this\s+(?:post|article|page|story|review)\s+(?:may\s+)?contains?\s+affiliate\s+links|(?:we|i)\s+may\s+(?:earn|receive)\s+(?:a\s+)?(?:small\s+)?commission)",
    )
});
static STAFF: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:from\s+)?(?:staff|wire|news\s+services?)(?:\s+(?:and|&)\s+(?:wire|news\s+services?|agency))?\s+(?:reports?|writers?|reporters?)$",
    )
});
static NAV_LINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^[\W_]*(?:follow|unfollow|sign\s+up\s+(?:to|for)\s+(?:our|the)\s+.{0,40}(?:newsletters?|emails?|alerts?)|skip\s+to\s+(?:main\s+)?(?:content|navigation|article)|main\s+menu|menu|search|home|sign\s+in|log\s*in|log\s+out|sign\s+up|register|subscribe(?:\s+now)?|newsletters?|back\s+to\s+top|toggle\s+navigation|close|open\s+menu|you\s+are\s+here:?.*|jump\s+to\s+(?:comments|navigation))[\W_]*$",
    )
});
static META: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:[0-9]+\s*(?:min(?:ute)?s?)\.?\s*(?:read|reading|listen)|(?:estimated\s+)?reading\s+time\s*:?.*|(?:tags?|tagged(?:\s+with)?|filed\s+under|categor(?:y|ies)|topics?|posted\s+in|keywords?)\s*:.*|listen\s+to\s+(?:this\s+)?(?:article|story)(?:\s+[0-9:]+)?|[0-9][0-9,]*\s+words|print\s+edition|this\s+article\s+is\s+more\s+than\s+.*\s+old|view\s+(?:gallery|photos?|video)|enlarge\s+this\s+image|hide\s+caption|toggle\s+caption|from\s+the\s+section\s+.{1,40}|[0-9][0-9,.]*[km]?)$",
    )
});
static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)(?-u:\b)[a-z0-9-]+\.(?:com|org|net|co\.uk|co|info|io|news|blog|us|uk|ca|au|in)(?-u:\b)",
    )
});

fn compile(pattern: &str) -> Regex {
    // The patterns are literals of this module, and every one is compiled by the unit tests.
    Regex::new(pattern).expect("built-in header pattern compiles")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_and_credits_are_recognised() {
        for line in [
            "(Credit: Getty Images)",
            "Photo: AP",
            "Image copyright Reuters",
            "Image caption Crowds gathered in the square",
            "Photograph by Sam Jones/AFP",
            "AP Photo/Evan Vucci",
            "Getty Images",
            "Crowds gather in Cairo on Friday. (AP Photo/Amr Nabil)",
            "FILE PHOTO: The logo of the bank in Zurich",
            "REUTERS/Kevin Lamarque",
            "[Photo: courtesy of the family]",
        ] {
            assert!(is_caption(line), "{line}");
        }
        for line in [
            "Photographers gathered outside the court",
            "The picture is grim for Labour",
            "Russia says talks (with the rebels) will go on",
            "Obama wins second term",
        ] {
            assert!(!is_caption(line), "{line}");
        }
    }

    #[test]
    fn adverts_navigation_and_meta_lines_are_recognised() {
        for line in [
            "Advertisement",
            "ADVERTISEMENT",
            "- Advertisement -",
            "Sponsored content",
            "Story continues below advertisement",
        ] {
            assert!(is_advert(line), "{line}");
        }
        assert!(!is_advert("Advertising revenue fell by a third"));
        for line in [
            "Home > News > World",
            "News | Sport | Weather | Travel",
            "Skip to main content",
            "Sign in",
            "Home » Politics » Europe",
        ] {
            assert!(is_navigation(line), "{line}");
        }
        for line in [
            "Home secretary resigns",
            "Lavrov wants 'regular contact' with Syrian opposition",
            "Russia / Syria talks",
        ] {
            assert!(!is_navigation(line), "{line}");
        }
        for line in [
            "5 min read",
            "Reading time: 3 minutes",
            "Tags: Syria, Russia",
            "Filed under: World",
            "Listen to this article",
            "1,234 words",
        ] {
            assert!(is_meta(line), "{line}");
        }
        assert!(!is_meta("Tags were found on the birds"));
    }

    #[test]
    fn labels_prose_and_names_are_told_apart() {
        for line in [
            "World",
            "BBC News",
            "The Daily Star Herald",
            "example.com",
            "The New York Times",
        ] {
            assert!(is_label(line), "{line}");
        }
        for line in [
            "Obama wins second term",
            "Lavrov wants regular contact",
            "Russia warns on Syria news",
        ] {
            assert!(!is_label(line), "{line}");
        }
        assert!(is_prose(
            "The minister said on Saturday that he wanted to keep in regular contact with them."
        ));
        assert!(!is_prose(
            "Lavrov wants 'regular contact' with Syrian opposition"
        ));
        assert!(is_person_name("Maria Lopez"));
        assert!(is_person_name("Ludwig van Beethoven"));
        assert!(!is_person_name("Obama wins"));
        assert!(!is_person_name("Maria"));
    }
}
