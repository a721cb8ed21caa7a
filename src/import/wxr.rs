//! WordPress eXtended RSS (WXR 1.0 to 1.2), the file of WordPress's Tools >
//! Export, read with quick-xml: the channel's site and authors, and every
//! item (post, page, attachment, menu item, ...) with its fields, terms and
//! comment count. Values come the same whether written as CDATA or escaped
//! text. Elements are named by their prefixes as WordPress writes them
//! (`wp:`, `content:`, `excerpt:`, `dc:`), whatever namespace version.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The whole export.
#[derive(Debug, Default)]
pub struct Export {
    pub title: String,
    /// The blog's address (`<link>`, else `wp:base_blog_url`).
    pub link: String,
    pub wxr_version: String,
    /// `(login, display name)`.
    pub authors: Vec<(String, String)>,
    pub items: Vec<Item>,
}

/// One `<item>`.
#[derive(Debug, Default, Clone)]
pub struct Item {
    /// 1-based line of `<item>` in the export.
    pub line: usize,
    pub title: String,
    pub link: String,
    /// `dc:creator`: the author's login.
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub id: String,
    pub date: String,
    pub date_gmt: String,
    pub modified: String,
    pub modified_gmt: String,
    /// `wp:post_name`: the slug, percent-encoded when not ASCII.
    pub name: String,
    pub status: String,
    pub post_type: String,
    pub password: String,
    pub parent: String,
    pub attachment_url: String,
    /// `(domain, name)`: `category`, `post_tag`, `post_format`, ...
    pub terms: Vec<(String, String)>,
    pub comments: usize,
}

/// A malformed export: the line and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct WxrError {
    pub line: usize,
    pub message: String,
}

/// Reads an export.
pub fn parse(xml: &str) -> Result<Export, WxrError> {
    let mut reader = Reader::from_str(xml);
    let mut state = State::default();
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| WxrError {
            line: line_at(xml, reader.error_position() as usize),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) => state.open(&e, line_at(xml, at)),
            Event::Empty(e) => {
                state.open(&e, line_at(xml, at));
                state.close();
            }
            Event::End(_) => state.close(),
            Event::Text(t) => state.text(&t.xml10_content().unwrap_or_default()),
            Event::CData(t) => state.text(&t.xml10_content().unwrap_or_default()),
            Event::GeneralRef(r) => state.text(&resolve(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    if !state.seen_rss {
        return Err(WxrError {
            line: 1,
            message: "not a WordPress export: no <rss> element".into(),
        });
    }
    Ok(state.export)
}

/// `&amp;`, `&#8217;`: the character it stands for (unknown names as written).
fn resolve(r: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = r.decode().unwrap_or_default();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => s.to_string(),
        None => format!("&{name};"),
    }
}

fn line_at(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset.min(text.len())]).count() + 1
}

/// Where the reader is: the open elements, the text of the innermost one,
/// and the item being filled.
#[derive(Default)]
struct State {
    export: Export,
    path: Vec<String>,
    text: String,
    item: Option<Item>,
    author: (String, String),
    /// The domain of the `<category>` being read.
    term: Option<String>,
    seen_rss: bool,
}

impl State {
    fn open(&mut self, e: &BytesStart<'_>, line: usize) {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        self.text.clear();
        match name.as_str() {
            "rss" => self.seen_rss = true,
            "item" => {
                self.item = Some(Item {
                    line,
                    ..Item::default()
                })
            }
            "category" if self.in_item() => {
                let domain = attribute(e, "domain").unwrap_or_else(|| "category".into());
                self.term = Some(domain);
            }
            "wp:comment" if self.in_item() => {
                if let Some(item) = &mut self.item {
                    item.comments += 1;
                }
            }
            _ => {}
        }
        self.path.push(name);
    }

    fn in_item(&self) -> bool {
        self.path.last().is_some_and(|p| p == "item")
    }

    fn text(&mut self, t: &str) {
        self.text.push_str(t);
    }

    fn close(&mut self) {
        let Some(name) = self.path.pop() else { return };
        let text = std::mem::take(&mut self.text);
        let parent = self.path.last().map(String::as_str).unwrap_or("");
        match (parent, name.as_str()) {
            (_, "item") => {
                if let Some(item) = self.item.take() {
                    self.export.items.push(item);
                }
            }
            ("item", _) => self.item_field(&name, text),
            ("channel", "title") => self.export.title = text.trim().to_string(),
            ("channel", "link") => self.export.link = text.trim().to_string(),
            ("channel", "wp:base_blog_url") if self.export.link.is_empty() => {
                self.export.link = text.trim().to_string()
            }
            ("channel", "wp:wxr_version") => self.export.wxr_version = text.trim().to_string(),
            ("wp:author", "wp:author_login") => self.author.0 = text.trim().to_string(),
            ("wp:author", "wp:author_display_name") => self.author.1 = text.trim().to_string(),
            ("channel", "wp:author") => {
                let author = std::mem::take(&mut self.author);
                self.export.authors.push(author);
            }
            _ => {}
        }
    }

    fn item_field(&mut self, name: &str, text: String) {
        let Some(item) = &mut self.item else { return };
        let field = match name {
            "title" => &mut item.title,
            "link" => &mut item.link,
            "dc:creator" => &mut item.creator,
            "content:encoded" => &mut item.content,
            "excerpt:encoded" => &mut item.excerpt,
            "wp:post_id" => &mut item.id,
            "wp:post_date" => &mut item.date,
            "wp:post_date_gmt" => &mut item.date_gmt,
            "wp:post_modified" => &mut item.modified,
            "wp:post_modified_gmt" => &mut item.modified_gmt,
            "wp:post_name" => &mut item.name,
            "wp:status" => &mut item.status,
            "wp:post_type" => &mut item.post_type,
            "wp:post_password" => &mut item.password,
            "wp:post_parent" => &mut item.parent,
            "wp:attachment_url" => &mut item.attachment_url,
            "category" => {
                let domain = self.term.take().unwrap_or_default();
                item.terms.push((domain, text.trim().to_string()));
                return;
            }
            _ => return,
        };
        // Bodies keep their text as written; every other value is trimmed.
        *field = if name.ends_with(":encoded") {
            text
        } else {
            text.trim().to_string()
        };
    }
}

fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key.as_bytes())
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_read_the_same_with_and_without_cdata() {
        let xml = r#"<?xml version="1.0"?>
<rss xmlns:wp="http://wordpress.org/export/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>A &amp; B</title><link>https://old.example</link>
<wp:wxr_version>1.1</wp:wxr_version>
<wp:author><wp:author_login>jo</wp:author_login><wp:author_display_name><![CDATA[Jo Bloggs]]></wp:author_display_name></wp:author>
<item><title>Caf&#233; &amp; co</title><wp:post_type><![CDATA[post]]></wp:post_type>
<content:encoded><![CDATA[<p>Hi & bye</p>]]></content:encoded>
<category domain="post_tag" nicename="x"><![CDATA[Harbour]]></category>
<category domain="category" nicename="n">News</category>
<wp:comment><wp:comment_id>1</wp:comment_id></wp:comment><wp:comment><wp:comment_id>2</wp:comment_id></wp:comment>
</item>
<item><title><![CDATA[Two]]></title><wp:post_type>page</wp:post_type><content:encoded>&lt;b&gt;bold&lt;/b&gt;</content:encoded></item>
</channel></rss>"#;
        let e = parse(xml).expect("parses");
        assert_eq!(e.title, "A & B");
        assert_eq!(e.link, "https://old.example");
        assert_eq!(e.wxr_version, "1.1");
        assert_eq!(e.authors, vec![("jo".to_string(), "Jo Bloggs".to_string())]);
        assert_eq!(e.items.len(), 2);
        let a = &e.items[0];
        assert_eq!(
            (a.title.as_str(), a.post_type.as_str(), a.content.as_str()),
            ("Café & co", "post", "<p>Hi & bye</p>")
        );
        assert_eq!(
            a.terms,
            vec![
                ("post_tag".to_string(), "Harbour".to_string()),
                ("category".to_string(), "News".to_string())
            ]
        );
        assert_eq!((a.comments, a.line), (2, 6));
        assert_eq!(
            (e.items[1].post_type.as_str(), e.items[1].content.as_str()),
            ("page", "<b>bold</b>")
        );
    }

    #[test]
    fn broken_xml_names_its_line() {
        let err = parse("<rss>\n<channel>\n<item></channel>").expect_err("broken");
        assert_eq!(err.line, 3, "{err}");
        let err = parse("<html></html>").expect_err("not wxr");
        assert_eq!(
            err.to_string(),
            "line 1: not a WordPress export: no <rss> element"
        );
    }
}
