//! Saved web pages: the story and its metadata out of a page's HTML.
//!
//! ```text
//! bytes --charset::decode_page--> text --dom::Dom::parse--> arena
//!   arena --meta::read--> PageMeta (each field with where it was found)
//!   arena --extract::extract--> story container --clean::clean--> HTML + text
//! ```
//!
//! Pure: no I/O, nothing about `Article`, `Config` or URLs of the new site.
//! The output HTML is sanitised here (an allow-list of tags and attributes),
//! so a caller can publish it as it is.

mod boiler;
pub mod charset;
pub mod clean;
pub mod dom;
pub mod extract;
mod jsonld;
pub mod meta;

#[cfg(test)]
mod tests;

pub use charset::{PageText, decode_page};
pub use clean::Cleaned;
pub use meta::{Found, PageMeta, Source};

use super::wire::WireOptions;

/// How to read pages.
#[derive(Debug, Default)]
pub struct HtmlOptions<'a> {
    /// Hosts whose iframes are kept (video players).
    pub allow_iframes: &'a [String],
    /// For visible date lines (`02/03/2013`).
    pub wire: Option<&'a WireOptions>,
}

/// What a page holds.
#[derive(Debug)]
pub struct Page {
    pub meta: PageMeta,
    pub body: Cleaned,
    /// Words of the story text.
    pub words: usize,
    /// Why the page is not an article (an index, tag or search page).
    pub not_article: Option<String>,
    /// What looks doubtful about the extraction.
    pub doubts: Vec<String>,
}

/// Story text shorter than this (characters) is doubtful.
const SHORT_BODY: usize = 500;

/// Reads a decoded page.
pub fn read_page(text: &str, opts: &HtmlOptions<'_>) -> Page {
    let dom = dom::Dom::parse(text);
    let default_wire = WireOptions::default();
    let wire = opts.wire.unwrap_or(&default_wire);
    let meta = meta::read(&dom, wire);
    let x = extract::extract(&dom);
    let base = meta
        .canonical
        .as_ref()
        .and_then(|c| url::Url::parse(&c.value).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let clean_opts = clean::CleanOptions {
        base: base.as_ref(),
        allow_iframes: opts.allow_iframes,
        date_order: wire.date_order,
    };
    let mut body = clean::clean(&dom, &x, &clean_opts);
    if let Some(hint) = meta.body_hint.as_deref() {
        if hint_completes(&body.text, hint) {
            body = paragraphs(hint);
        }
    }
    let words = body.text.split_whitespace().count();
    let not_article = not_article(&dom, &x, &meta, &body);
    let doubts = doubts(&meta, &body);
    Page {
        meta,
        body,
        words,
        not_article,
        doubts,
    }
}

/// Whether the page's JSON-LD `articleBody` is the whole of a story the
/// markup gave only part of: it holds nearly every word extracted and at
/// least twice as many (a truncated or unrelated `articleBody` does not).
fn hint_completes(text: &str, hint: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (ours, theirs) = (words(text), words(hint));
    if theirs.len() < 20 || theirs.len() < 2 * ours.len() {
        return false;
    }
    let known: std::collections::HashSet<&str> = theirs.iter().map(String::as_str).collect();
    let shared = ours.iter().filter(|w| known.contains(w.as_str())).count();
    shared * 10 >= ours.len() * 9
}

/// Plain text (JSON-LD `articleBody`) as escaped paragraphs.
fn paragraphs(text: &str) -> Cleaned {
    let paras: Vec<String> = text
        .split('\n')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    Cleaned {
        html: paras
            .iter()
            .map(|p| format!("<p>{}</p>\n", crate::article::escape(p)))
            .collect(),
        text: paras.join("\n\n"),
        images: Vec::new(),
    }
}

/// Pages that list other pages: most of their text is links and what is
/// left is too short to be a story, and the page does not call itself an
/// article.
fn not_article(
    dom: &dom::Dom,
    x: &extract::Extraction,
    meta: &PageMeta,
    body: &Cleaned,
) -> Option<String> {
    if meta.article_typed {
        return None;
    }
    let body_node = dom.find("body").unwrap_or(0);
    let (text, links) = (x.text[body_node], x.links[body_node]);
    let story = body.text.chars().count();
    let link_share = f64::from(links) / f64::from(text.max(1));
    if story < SHORT_BODY && link_share > 0.5 {
        let kind = meta.other_type.as_deref().unwrap_or("list");
        return Some(format!(
            "not an article: a {kind} page ({:.0}% of its text is links, {story} characters of story text)",
            link_share * 100.0
        ));
    }
    if story == 0 {
        return Some("not an article: no story text found".to_string());
    }
    None
}

fn doubts(meta: &PageMeta, body: &Cleaned) -> Vec<String> {
    let mut out = Vec::new();
    let chars = body.text.chars().count();
    if chars < SHORT_BODY {
        out.push(format!("short story text ({chars} characters)"));
    }
    if meta.date.is_none() {
        out.push("no date in the page".to_string());
    }
    if meta.headline.is_none() {
        out.push("no headline in the page".to_string());
    }
    out
}
