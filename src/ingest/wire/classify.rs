//! What one line of a page's header zone is, when it is neither a date nor a byline: a
//! photo caption or credit, an advertisement marker, navigation, a reading-time or tag
//! line, a site or section name; and the shapes the zone scan asks about (prose, a
//! person's name).
//!
//! Each function looks at one line and answers yes or no; none decides where in a
//! document it may be applied (that is `zone`'s job).

use std::sync::LazyLock;

use regex::Regex;

/// `(Credit: Getty Images)`, `Photo: AP`, `Image copyright Reuters`, `Photograph by Sam
/// Jones/AFP`, `AP Photo/Evan Vucci`, `Getty Images`, and a caption sentence ending in a
/// bracketed credit: `Crowds gather in Cairo. (AP Photo/Amr Nabil)`.
pub(super) fn is_caption(line: &str) -> bool {
    line.chars().count() <= 400
        && (CAPTION_START.is_match(line)
            || CREDIT_TAIL.is_match(line)
            || PHOTO_AGENCY.is_match(line))
}

/// `Advertisement`, `ADVERTISEMENT`, `Sponsored content`, `Story continues below
/// advertisement`.
pub(super) fn is_advert(line: &str) -> bool {
    ADVERT.is_match(line)
}

/// Breadcrumbs (`Home > News > World`), menus of short items (`News | Sport | Weather`),
/// and the links of a page's frame (`Skip to main content`, `Sign in`).
pub(super) fn is_navigation(line: &str) -> bool {
    if line.chars().count() > 120 {
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
    line.chars().count() <= 160 && META.is_match(line)
}

/// A short label: one or two capitalised words (`World`, `BBC News`), or a site's name
/// (`The Daily Bugle`, `Seattle Times Online`, `example.com`). Shown before headlines, rarely a headline
/// itself (`Deal signed` is one).
pub(super) fn is_label(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let capitalised = |w: &&str| w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic());
    if words.len() <= 2 && words.iter().all(capitalised) && !line.ends_with(['.', '?', '!']) {
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
    let words = line.split_whitespace().count();
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
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && line.chars().count() <= 40
        && line
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || ".'’-".contains(c))
        && words.iter().all(|w| {
            w.starts_with(|c: char| c.is_uppercase())
                || ["de", "da", "van", "von", "del", "la", "le", "al", "bin"].contains(w)
        })
}

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
        r"(?i)^[\[(]?\s*(?:file\s+)?(?:photo(?:graph)?s?|images?|pictures?|pics?|credit|illustration|caption|video|graphic|gallery)(?:\s+(?:credit|caption|copyright|courtesy|source)(?:\s*:)?\s|\s*(?:by\s|:|/|-\s|–|—|©|\(c\)))",
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
static NAV_LINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^[\W_]*(?:skip\s+to\s+(?:main\s+)?(?:content|navigation|article)|main\s+menu|menu|search|home|sign\s+in|log\s*in|log\s+out|sign\s+up|register|subscribe(?:\s+now)?|newsletters?|back\s+to\s+top|toggle\s+navigation|close|open\s+menu|you\s+are\s+here:?.*|jump\s+to\s+(?:comments|navigation))[\W_]*$",
    )
});
static META: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:[0-9]+\s*(?:min(?:ute)?s?)\.?\s*(?:read|reading|listen)|(?:estimated\s+)?reading\s+time\s*:?.*|(?:tags?|tagged(?:\s+with)?|filed\s+under|categor(?:y|ies)|topics?|posted\s+in|keywords?)\s*:.*|listen\s+to\s+(?:this\s+)?(?:article|story)(?:\s+[0-9:]+)?|[0-9][0-9,]*\s+words|print\s+edition|this\s+article\s+is\s+more\s+than\s+.*\s+old|view\s+(?:gallery|photos?|video)|enlarge\s+this\s+image|hide\s+caption|toggle\s+caption)$",
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
