//! What is page furniture rather than story, judged from one element alone:
//! its tag (navigation, forms, scripts), its ARIA role, whether it is
//! hidden, and the words of its `class` and `id` (share bars, related
//! stories, comments, cookie banners, advertisements, newsletters). General
//! rules of how sites name these parts, not a list of sites.

use super::dom::Node;

/// Tags whose content is never story text.
pub fn is_dropped_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "form"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "option"
            | "label"
            | "nav"
            | "aside"
            | "footer"
            | "header"
            | "object"
            | "embed"
            | "canvas"
            | "dialog"
            | "menu"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "audio"
            | "video"
            | "source"
            | "track"
            | "map"
            | "area"
    )
}

/// Whether an element is hidden or plays a furniture role.
pub fn is_hidden_or_furniture_role(node: &Node) -> bool {
    if node.attr("hidden").is_some() || node.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = node.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    matches!(
        node.attr("role"),
        Some(
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "menu"
                | "menubar"
                | "dialog"
                | "alertdialog"
                | "search"
                | "toolbar"
                | "tablist"
        )
    )
}

/// Pieces of `class`/`id` names that mark furniture wherever they appear in
/// a name (`social-share-bar`, `relatedStories`, `cookieConsent`).
const FURNITURE_PARTS: &[&str] = &[
    "share",
    "social",
    "comment",
    "related",
    "recommend",
    "newsletter",
    "subscri",
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "sidebar",
    "widget",
    "promo",
    "advert",
    "sponsor",
    "outbrain",
    "taboola",
    "disqus",
    "popular",
    "trending",
    "paywall",
    "signup",
    "modal",
    "popup",
    "toolbar",
    "pagination",
    "byline",
    "masthead",
    "footer",
    "header",
    "navbar",
    "navigation",
    "menu",
    "skiplink",
    "sronly",
    "visuallyhidden",
    "screenreader",
    "dateline",
    "timestamp",
    "tagcloud",
    "taglist",
    "keywords",
    "readmore",
    "moreon",
    "morefrom",
    "mostread",
    "alsoread",
    "seealso",
    "topstories",
    "donate",
    "login",
    "carousel",
    "slideshow",
    "lightbox",
];

/// Whole words of a name that mark furniture only as a word (`ad` in
/// `ad-slot`, not in `heading`).
const FURNITURE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "adunit",
    "adslot",
    "dfp",
    "gpt",
    "nav",
    "tags",
    "tag",
    "meta",
    "banner",
    "bio",
    "author",
    "authors",
    "credits",
    "pullquote",
    "teaser",
    "teasers",
    "jump",
    "pager",
    "print",
    "rating",
    "ticker",
    "subscribe",
];

/// Words of names that mark the story itself.
const STORY_WORDS: &[&str] = &[
    "article",
    "articlebody",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "story",
    "storybody",
    "text",
    "blog",
    "prose",
    "richtext",
];

/// What an element's names say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameSignal {
    /// Some name is furniture (`share-bar`, `ad-slot`).
    pub furniture: bool,
    /// Some other name is the story's (`entry`, `article-body`).
    pub story: bool,
    /// Some name says comments (these can outweigh the story).
    pub comments: bool,
}

/// Reads the element's `class` and `id` names one by one.
pub fn name_signal(node: &Node) -> NameSignal {
    let mut signal = NameSignal {
        furniture: false,
        story: false,
        comments: false,
    };
    for name in names(node) {
        let joined: String = name.split(is_separator).collect();
        let furniture = FURNITURE_PARTS.iter().any(|p| joined.contains(p))
            || words(&name).any(|w| FURNITURE_WORDS.contains(&w.as_str()));
        signal.furniture |= furniture;
        signal.comments |= joined.contains("comment");
        signal.story |= !furniture
            && (words(&name).any(|w| STORY_WORDS.contains(&w.as_str()))
                || STORY_WORDS.iter().any(|w| joined == *w));
    }
    signal
}

/// +3 for `itemprop="articleBody"`, +1 for a story name, -2 for furniture.
pub fn name_weight(node: &Node) -> i32 {
    if node
        .attr("itemprop")
        .is_some_and(|p| p.eq_ignore_ascii_case("articlebody"))
    {
        return 3;
    }
    let s = name_signal(node);
    i32::from(s.story) - 2 * i32::from(s.furniture)
}

/// The lower-case class names and id of an element.
fn names(node: &Node) -> impl Iterator<Item = String> + '_ {
    let classes = node.attr("class").unwrap_or("").split_ascii_whitespace();
    classes
        .chain(node.attr("id"))
        .map(|n| split_camel(n).to_ascii_lowercase())
}

/// `relatedStories` -> `related-Stories`, so that its words come apart.
fn split_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('-');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c);
    }
    out
}

fn is_separator(c: char) -> bool {
    c == '-' || c == '_' || c == ':' || c == '.' || c.is_whitespace()
}

fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(is_separator)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
}
