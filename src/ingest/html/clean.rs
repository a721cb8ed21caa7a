//! The story container written out as clean HTML and as plain text.
//!
//! An allow-list, not a block-list: paragraphs, headings (`h1` is the
//! page's headline and is left to the template), lists, tables, quotes,
//! figures with captions, images, links and inline emphasis keep their tag;
//! layout boxes (`div`, `section`, `span`, custom elements) are unwrapped and
//! text left loose in them becomes a paragraph; everything else is dropped
//! with its content (scripts, styles, forms, embeds). Attributes are rebuilt,
//! never copied: no `on*` handlers, no `style`, no `class`; links and images
//! keep only `http`, `https` and `mailto` targets (relative ones resolved
//! against the page's address when it has one); iframes only from the hosts
//! a site allows. Text is always escaped.

use url::Url;

use super::dom::Dom;
use super::extract::{Extraction, is_block};

/// Boxes titled by a link and shorter than this are teasers.
const TEASER: u32 = 500;

/// Nesting below this depth is written as text only (no stack overflow on
/// pathological pages).
const MAX_DEPTH: usize = 200;

/// What the writer needs besides the page.
#[derive(Debug, Default)]
pub struct CleanOptions<'a> {
    /// The page's own address, for relative links and images.
    pub base: Option<&'a Url>,
    /// Hosts whose iframes are kept (`www.youtube.com`).
    pub allow_iframes: &'a [String],
    /// How numeric dates are read, for date lines left out of the story.
    pub date_order: crate::ingest::DateOrder,
}

/// The cleaned story.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub html: String,
    /// The running text, paragraphs separated by blank lines; figure
    /// captions and credits are in the HTML only.
    pub text: String,
    /// Image addresses, as written into the HTML.
    pub images: Vec<String>,
}

/// Writes the subtree of `x.root`.
pub fn clean(dom: &Dom, x: &Extraction, opts: &CleanOptions<'_>) -> Cleaned {
    let mut w = Writer {
        dom,
        x,
        opts,
        out: Cleaned::default(),
        pending: String::new(),
        in_figure: 0,
    };
    w.children(x.root, Ctx::Block, 0);
    w.flush();
    w.out.text = w.out.text.trim().to_string();
    w.out
}

struct Writer<'a> {
    dom: &'a Dom,
    x: &'a Extraction,
    opts: &'a CleanOptions<'a>,
    out: Cleaned,
    /// Loose inline HTML waiting to become a paragraph (block context only).
    pending: String,
    /// Inside a figure: its caption and credits are not story text.
    in_figure: usize,
}

/// How an element is written.
enum Kind {
    /// Written with the same tag (and rebuilt attributes).
    Keep(&'static str),
    /// Its children are written in its place.
    Unwrap,
    /// Left out with everything inside.
    Drop,
}

/// Where a node's output goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Among blocks: loose inline content is gathered into a paragraph.
    Block,
    /// Inside loose inline content being gathered.
    Pending,
    /// Inside a kept element: written as it comes.
    Direct,
}

impl Writer<'_> {
    fn children(&mut self, i: usize, ctx: Ctx, depth: usize) {
        for c in self.dom.children(i) {
            self.node(c, ctx, depth + 1);
        }
    }

    fn node(&mut self, i: usize, ctx: Ctx, depth: usize) {
        if self.x.removed[i] {
            return;
        }
        let node = &self.dom.nodes[i];
        if node.is_text() {
            self.text(&node.text, ctx);
            return;
        }
        if depth > MAX_DEPTH {
            let text = self.dom.text_of(i);
            self.text(&text, ctx);
            return;
        }
        if self.is_link_list(i) || self.titles_furniture(i) || self.is_date_line(i) {
            return;
        }
        match kind(&node.name) {
            Kind::Drop => {}
            Kind::Keep(tag) if ctx != Ctx::Pending || !is_block(tag) => {
                self.element(i, tag, ctx, depth);
            }
            Kind::Unwrap | Kind::Keep(_) => {
                let splits = ctx == Ctx::Block && is_block(&node.name);
                if splits {
                    self.flush();
                }
                self.children(i, ctx, depth);
                if splits {
                    self.flush();
                }
            }
        }
    }

    /// A kept element: its tag, rebuilt attributes and children.
    fn element(&mut self, i: usize, tag: &'static str, ctx: Ctx, depth: usize) {
        let Some(attrs) = self.attributes(i, tag) else {
            return;
        };
        let block_tag = is_block(tag) || tag == "iframe";
        let ctx = match ctx {
            Ctx::Block if block_tag => {
                self.flush();
                Ctx::Direct
            }
            Ctx::Block => Ctx::Pending,
            other => other,
        };
        let pending = ctx == Ctx::Pending;
        self.push_html(&format!("<{tag}{attrs}>"), pending);
        if is_void(tag) {
            if tag == "br" {
                self.out.text.push('\n');
            }
            return;
        }
        let paragraph = is_block(tag) && !matches!(tag, "ul" | "ol" | "table" | "tr" | "dl");
        if paragraph {
            self.break_text();
        }
        if tag == "pre" {
            let text = pre_text(self.dom, self.x, i);
            self.out.html.push_str(&crate::article::escape(&text));
            self.out.text.push_str(&text);
        } else if tag == "figure" {
            self.in_figure += 1;
            self.children(i, Ctx::Block, depth);
            self.flush();
            self.in_figure -= 1;
        } else if tag == "blockquote" {
            self.children(i, Ctx::Block, depth);
            self.flush();
        } else {
            self.children(i, ctx, depth);
        }
        self.push_html(&format!("</{tag}>"), pending);
        if paragraph {
            self.break_text();
        }
    }

    /// A block whose text is mostly links (a list of related stories,
    /// tags), or a short box titled by a link (a teaser for another story).
    fn is_link_list(&self, i: usize) -> bool {
        let name = &*self.dom.nodes[i].name;
        let (text, links) = (self.x.text[i], self.x.links[i]);
        i != self.x.root
            && is_block(name)
            && name != "figure"
            && (links * 2 > text || (self.x.linked_heading[i] && text < TEASER))
    }

    /// A short block that is only a date (`Updated at 1:23 p.m.`,
    /// `Published 4:00 am CST, Wednesday, November 20, 2019`), read as wire
    /// copy's date lines are: the page's date, shown by the template.
    fn is_date_line(&self, i: usize) -> bool {
        let node = &self.dom.nodes[i];
        i != self.x.root
            && is_block(&node.name)
            && self.x.text[i] < 100
            && self.x.links[i] == 0
            && crate::ingest::is_date_line(&self.dom.text_of(i), self.opts.date_order)
    }

    /// A short heading whose next element is left out as furniture or a
    /// link list ("Related", "More in Sport").
    fn titles_furniture(&self, i: usize) -> bool {
        let dom = self.dom;
        let short = self.x.text[i] < 60
            && matches!(
                &*dom.nodes[i].name,
                "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "div"
            );
        let next = (dom.nodes[i].end..dom.nodes[dom.nodes[i].parent].end)
            .find(|&k| !dom.nodes[k].is_text() && dom.nodes[k].parent == dom.nodes[i].parent);
        short
            && next
                .is_some_and(|k| self.x.removed[k] || (self.x.text[k] > 0 && self.is_link_list(k)))
    }

    fn text(&mut self, text: &str, ctx: Ctx) {
        let mut collapsed = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space {
                    collapsed.push(' ');
                }
                space = false;
                collapsed.push(c);
            }
        }
        if space {
            collapsed.push(' ');
        }
        if collapsed.trim().is_empty() && ctx == Ctx::Block && self.pending.is_empty() {
            return;
        }
        let escaped = crate::article::escape(&collapsed);
        self.push_html(&escaped, ctx != Ctx::Direct);
        if self.in_figure > 0 {
            return;
        }
        if !(self.out.text.ends_with(char::is_whitespace) && collapsed.starts_with(' ')) {
            self.out.text.push_str(&collapsed);
        } else {
            self.out.text.push_str(&collapsed[1..]);
        }
    }

    fn push_html(&mut self, html: &str, pending: bool) {
        if pending {
            self.pending.push_str(html);
        } else {
            self.out.html.push_str(html);
        }
    }

    /// Writes loose inline content as a paragraph.
    fn flush(&mut self) {
        let p = std::mem::take(&mut self.pending);
        if !p.trim().is_empty() {
            self.out.html.push_str("<p>");
            self.out.html.push_str(p.trim());
            self.out.html.push_str("</p>\n");
        }
        self.break_text();
    }

    /// Ends the current paragraph of the plain text.
    fn break_text(&mut self) {
        let t = &mut self.out.text;
        while t.ends_with(' ') {
            t.pop();
        }
        if !t.is_empty() && !t.ends_with("\n\n") {
            t.push_str(if t.ends_with('\n') { "\n" } else { "\n\n" });
        }
    }

    /// The rebuilt attributes of a kept element, or `None` when the element
    /// cannot be kept without them (an image without a safe source).
    fn attributes(&mut self, i: usize, tag: &str) -> Option<String> {
        let node = &self.dom.nodes[i];
        let mut out = String::new();
        let mut push = |name: &str, value: &str| {
            out.push_str(&format!(" {name}=\"{}\"", crate::article::escape(value)));
        };
        match tag {
            "a" => {
                if let Some(href) = node.attr("href").and_then(|h| safe_url(h, self.opts.base)) {
                    push("href", &href);
                }
            }
            "img" => {
                let src = image_source(node).and_then(|s| safe_url(s, self.opts.base))?;
                push("src", &src);
                push("alt", node.attr("alt").unwrap_or(""));
                for a in ["width", "height"] {
                    if let Some(v) = node
                        .attr(a)
                        .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
                    {
                        push(a, v);
                    }
                }
                self.out.images.push(src);
            }
            "iframe" => {
                let src = node.attr("src").and_then(|s| safe_url(s, self.opts.base))?;
                let host = Url::parse(&src).ok()?.host_str()?.to_string();
                if !self
                    .opts
                    .allow_iframes
                    .iter()
                    .any(|h| h.eq_ignore_ascii_case(&host))
                {
                    return None;
                }
                push("src", &src);
                push("loading", "lazy");
                push("allowfullscreen", "");
            }
            "td" | "th" => {
                for a in ["colspan", "rowspan"] {
                    if let Some(v) = node
                        .attr(a)
                        .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
                    {
                        push(a, v);
                    }
                }
            }
            "ol" => {
                if let Some(v) = node.attr("start").filter(|v| v.parse::<i64>().is_ok()) {
                    push("start", v);
                }
            }
            "abbr" => {
                if let Some(v) = node.attr("title") {
                    push("title", v);
                }
            }
            _ => {}
        }
        Some(out)
    }
}

/// How each tag is written.
fn kind(name: &str) -> Kind {
    let keep = |t: &'static str| Kind::Keep(t);
    match name {
        "p" => keep("p"),
        "h2" => keep("h2"),
        "h3" => keep("h3"),
        "h4" => keep("h4"),
        "h5" => keep("h5"),
        "h6" => keep("h6"),
        "ul" => keep("ul"),
        "ol" => keep("ol"),
        "li" => keep("li"),
        "dl" => keep("dl"),
        "dt" => keep("dt"),
        "dd" => keep("dd"),
        "blockquote" => keep("blockquote"),
        "pre" => keep("pre"),
        "table" => keep("table"),
        "caption" => keep("caption"),
        "thead" => keep("thead"),
        "tbody" => keep("tbody"),
        "tfoot" => keep("tfoot"),
        "tr" => keep("tr"),
        "td" => keep("td"),
        "th" => keep("th"),
        "figure" => keep("figure"),
        "figcaption" => keep("figcaption"),
        "img" => keep("img"),
        "iframe" => keep("iframe"),
        "br" => keep("br"),
        "hr" => keep("hr"),
        "a" => keep("a"),
        "em" | "i" | "cite" | "dfn" | "var" => keep("em"),
        "strong" | "b" => keep("strong"),
        "code" | "kbd" | "samp" | "tt" => keep("code"),
        "sub" => keep("sub"),
        "sup" => keep("sup"),
        "small" => keep("small"),
        "s" | "strike" | "del" => keep("del"),
        "ins" | "u" => keep("ins"),
        "mark" => keep("mark"),
        "q" => keep("q"),
        "abbr" => keep("abbr"),
        "h1" | "script" | "style" | "noscript" | "template" | "svg" | "math" | "form"
        | "button" | "input" | "select" | "textarea" | "option" | "label" | "object" | "embed"
        | "canvas" | "dialog" | "head" | "title" | "meta" | "link" | "audio" | "video"
        | "source" | "track" | "map" | "area" | "frame" | "frameset" | "applet" | "base"
        | "param" | "#" => Kind::Drop,
        _ => Kind::Unwrap,
    }
}

fn is_void(tag: &str) -> bool {
    matches!(tag, "img" | "br" | "hr")
}

/// The real source of an image, lazy-loading attributes first.
fn image_source(node: &super::dom::Node) -> Option<&str> {
    ["data-src", "data-lazy-src", "data-original", "src"]
        .iter()
        .filter_map(|a| node.attr(a))
        .chain(
            node.attr("srcset")
                .and_then(|s| s.split_whitespace().next()),
        )
        .map(str::trim)
        .find(|s| !s.is_empty() && !s.starts_with("data:"))
}

/// A link or image target that is safe to publish, made absolute against
/// `base` when relative; `None` for `javascript:`, `data:` and other schemes.
pub fn safe_url(raw: &str, base: Option<&Url>) -> Option<String> {
    let trimmed: String = raw.trim().chars().filter(|c| !c.is_control()).collect();
    if trimmed.is_empty() {
        return None;
    }
    let scheme_end = trimmed.find(':');
    let before_path = trimmed.find(['/', '?', '#']).unwrap_or(trimmed.len());
    match scheme_end {
        Some(at) if at < before_path => {
            let scheme = trimmed[..at].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(trimmed)
        }
        _ => match base {
            Some(b) if !trimmed.starts_with('#') => b.join(&trimmed).ok().map(String::from),
            _ => Some(trimmed),
        },
    }
}

/// The text of a `pre`, whitespace kept, furniture left out.
fn pre_text(dom: &Dom, x: &Extraction, i: usize) -> String {
    let mut out = String::new();
    for k in i..dom.nodes[i].end {
        if dom.nodes[k].is_text() && !x.removed[k] {
            out.push_str(&dom.nodes[k].text);
        }
    }
    out
}
