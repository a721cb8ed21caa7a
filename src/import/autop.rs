//! WordPress's paragraph rule for post bodies (its `wpautop`): text split by
//! blank lines becomes paragraphs, a single newline inside one a `<br>`;
//! block elements stand on their own; `<pre>` is left alone. The result has
//! blank lines only between top-level blocks, each starting with a tag, so a
//! Markdown reader passes it through as HTML.

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "style",
    "script",
    "iframe",
];

/// Elements whose text gets paragraphs of its own.
const CONTAINERS: &[&str] = &["blockquote", "div", "section", "article", "aside", "main"];

/// Block-editor comments (`<!-- wp:paragraph -->`, `<!-- /wp:image -->`)
/// removed; `<!--more-->` kept as broadsheet's `<!-- more -->`.
pub fn strip_block_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find("-->").map(|e| i + e + 3) else {
            rest = &rest[i..];
            break;
        };
        let inner = rest[i + 4..end - 3].trim();
        if inner.starts_with("more") {
            out.push_str("\n\n<!-- more -->\n\n");
        } else if !(inner.starts_with("wp:") || inner.starts_with("/wp:") || inner == "nextpage") {
            out.push_str(&rest[i..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The paragraph rule.
pub fn autop(html: &str) -> String {
    let html = html.replace("\r\n", "\n");
    let mut p = Para::default();
    let mut rest = html.as_str();
    while !rest.is_empty() {
        let Some(i) = rest.find('<') else {
            p.text(rest);
            break;
        };
        p.text(&rest[..i]);
        let len = tag_len(&rest[i..]);
        let tag = &rest[i..i + len];
        if let Some(name) = opaque(tag) {
            let close = format!("</{name}>");
            let end = rest[i..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(rest.len(), |e| i + e + close.len());
            let top = p.stack.is_empty();
            p.block(&rest[i..end].replace("\n\n", "\n&#10;"), top, false);
            rest = &rest[end..];
            continue;
        }
        p.tag(tag);
        rest = &rest[i + len..];
    }
    p.finish()
}

fn tag_len(s: &str) -> usize {
    if s.starts_with("<!--") {
        return s.find("-->").map_or(s.len(), |e| e + 3);
    }
    s.find('>').map_or(s.len(), |e| e + 1)
}

/// The name of a tag (lowercase, without `/`), and whether it closes.
fn name_of(tag: &str) -> (String, bool) {
    let inner = tag.trim_start_matches('<');
    let closing = inner.starts_with('/');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (name.to_ascii_lowercase(), closing)
}

/// `<pre>`, `<script>`, `<style>`, `<textarea>`: copied as they are.
fn opaque(tag: &str) -> Option<&'static str> {
    let (name, closing) = name_of(tag);
    if closing {
        return None;
    }
    ["pre", "script", "style", "textarea"]
        .into_iter()
        .find(|n| *n == name)
}

#[derive(Default)]
struct Para {
    out: String,
    /// Open block elements, innermost last.
    stack: Vec<String>,
    /// Inline elements open inside the current paragraph.
    inline: usize,
    open: bool,
}

impl Para {
    fn may_open(&self) -> bool {
        self.stack
            .last()
            .is_none_or(|b| CONTAINERS.contains(&b.as_str()))
    }

    fn text(&mut self, text: &str) {
        for (k, piece) in text.split("\n\n").enumerate() {
            if k > 0 && self.inline == 0 {
                self.close();
            }
            let t = piece.trim_matches('\n');
            if t.trim().is_empty() {
                continue;
            }
            if !self.open && self.may_open() {
                self.out.push_str(if self.stack.is_empty() {
                    "\n\n<p>"
                } else {
                    "<p>"
                });
                self.open = true;
            }
            let t = if self.open { t.trim_start() } else { t };
            self.out.push_str(&t.replace('\n', "<br>\n"));
        }
    }

    fn tag(&mut self, tag: &str) {
        let (name, closing) = name_of(tag);
        if tag.starts_with("<!--") {
            let top = self.stack.is_empty() && !self.open;
            self.block(tag, top, false);
        } else if BLOCKS.contains(&name.as_str()) {
            self.close();
            let void = name == "hr" || tag.ends_with("/>");
            self.block(tag, self.stack.is_empty() && !closing, closing);
            if !closing && !void {
                self.stack.push(name);
            } else if closing {
                if let Some(k) = self.stack.iter().rposition(|b| *b == name) {
                    self.stack.truncate(k);
                }
            }
        } else {
            if !self.open && self.may_open() {
                self.text_start();
            }
            let void = tag.ends_with("/>")
                || matches!(
                    name.as_str(),
                    "img" | "br" | "input" | "wbr" | "source" | "embed"
                );
            if self.open && !void {
                self.inline = if closing {
                    self.inline.saturating_sub(1)
                } else {
                    self.inline + 1
                };
            }
            self.out.push_str(tag);
        }
    }

    fn text_start(&mut self) {
        self.out.push_str(if self.stack.is_empty() {
            "\n\n<p>"
        } else {
            "<p>"
        });
        self.open = true;
    }

    fn block(&mut self, html: &str, top: bool, _closing: bool) {
        self.close();
        if top {
            self.out.push_str("\n\n");
        }
        self.out.push_str(html);
    }

    fn close(&mut self) {
        if self.open {
            self.out.push_str("</p>");
            self.open = false;
            self.inline = 0;
        }
    }

    fn finish(mut self) -> String {
        self.close();
        // Blank lines only between top-level blocks.
        let mut out = String::new();
        for chunk in self
            .out
            .split("\n\n")
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(chunk);
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_make_paragraphs_and_single_newlines_breaks() {
        assert_eq!(
            autop("One\nline two\n\nPara <em>two</em>.\n<ul>\n<li>a</li>\n</ul>\nAfter"),
            "<p>One<br>\nline two</p>\n\n<p>Para <em>two</em>.</p>\n\n<ul><li>a</li></ul>\n\n<p>After</p>\n"
        );
    }

    #[test]
    fn pre_is_kept_and_containers_get_paragraphs() {
        assert_eq!(
            autop("<blockquote>Q1\n\nQ2</blockquote>\n<pre>a\n\nb</pre>"),
            "<blockquote><p>Q1</p><p>Q2</p></blockquote>\n\n<pre>a\n&#10;b</pre>\n"
        );
    }

    #[test]
    fn block_editor_comments_go_and_more_stays() {
        assert_eq!(
            strip_block_comments(
                "<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph --><!--more-->B<!-- note -->"
            ),
            "\n<p>A</p>\n\n\n<!-- more -->\n\nB<!-- note -->"
        );
    }
}
