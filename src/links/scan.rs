//! The links and ids of one HTML page, found by a byte scanner over its tags.
//!
//! Not a full HTML tokenizer: it reads start tags and their attributes,
//! skips comments, doctypes, end tags and the text of raw-text elements
//! (`script`, `style`, `title`, `textarea`...), and decodes character
//! references in attribute values. That is all link checking needs, and it
//! runs 12 to 23 times faster than html5ever's tokenizer on the same pages
//! (ARCHITECTURE.md, Decisions); a test holds it to html5ever's reading of
//! every page of the fixture sites.

use std::borrow::Cow;

/// One thing a page says about links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found<'a> {
    /// A URL to check: an `href`, a `src`, one candidate of a `srcset`, or
    /// another URL attribute (`action`, `poster`, `cite`...).
    Link(Cow<'a, str>),
    /// A fragment target: an `id` (any element) or an `<a name>`.
    Id(Cow<'a, str>),
    /// `<base href>`: the URL relative links are resolved against.
    Base(Cow<'a, str>),
}

/// Calls `visit` with every link, id and base of `html`, in document order.
pub fn scan<'a>(html: &'a [u8], mut visit: impl FnMut(Found<'a>)) {
    let mut s = Scanner { html, at: 0 };
    while let Some(lt) = memchr::memchr(b'<', &html[s.at..]) {
        s.at += lt + 1;
        match html.get(s.at) {
            Some(b'!') => s.skip_markup_declaration(),
            Some(b'/' | b'?') => s.skip_past(b">"),
            Some(c) if c.is_ascii_alphabetic() => {
                let name = s.tag_name();
                s.attributes(name, &mut visit);
                if let Some(close) = raw_text_end(name) {
                    s.skip_raw_text(close);
                }
            }
            Some(_) => {}
            None => break,
        }
    }
}

/// The URLs of a `srcset` value: each candidate's URL, without its width or
/// density descriptor (the HTML standard's splitting, minus the parsing of
/// descriptors, which link checking does not need).
pub fn srcset_urls(value: &str) -> impl Iterator<Item = &str> {
    let mut rest = value;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..end];
        rest = &rest[end..];
        let url = if url.ends_with(',') {
            url.trim_end_matches(',')
        } else {
            // Descriptors run to the next comma outside parentheses.
            let mut depth = 0usize;
            let stop = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        ',' if depth == 0 => return true,
                        _ => {}
                    }
                    false
                })
                .map_or(rest.len(), |(i, _)| i + 1);
            rest = &rest[stop..];
            url
        };
        Some(url)
    })
}

struct Scanner<'a> {
    html: &'a [u8],
    /// Just after the last byte read.
    at: usize,
}

/// Attributes holding one URL, besides `href`: `src`, and the others that
/// browsers follow and lychee checks (`action`, `formaction`, `poster`,
/// `cite`, `longdesc`, an `<object>`'s `data`).
fn is_url_attribute(tag: &[u8], name: &[u8]) -> bool {
    const NAMES: [&[u8]; 6] = [
        b"src",
        b"action",
        b"formaction",
        b"poster",
        b"cite",
        b"longdesc",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
        || (name.eq_ignore_ascii_case(b"data") && tag.eq_ignore_ascii_case(b"object"))
}

/// The end tag that closes a raw-text or escapable raw-text element, whose
/// contents hold no tags.
fn raw_text_end(name: &[u8]) -> Option<&'static [u8]> {
    const RAW: [&[u8]; 8] = [
        b"script",
        b"style",
        b"title",
        b"textarea",
        b"xmp",
        b"iframe",
        b"noembed",
        b"noframes",
    ];
    const CLOSE: [&[u8]; 8] = [
        b"</script",
        b"</style",
        b"</title",
        b"</textarea",
        b"</xmp",
        b"</iframe",
        b"</noembed",
        b"</noframes",
    ];
    RAW.iter()
        .position(|r| r.eq_ignore_ascii_case(name))
        .map(|i| CLOSE[i])
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.html.get(self.at).copied()
    }

    /// Moves past the first `needle` from here, or to the end.
    fn skip_past(&mut self, needle: &[u8]) {
        self.at = memchr::memmem::find(&self.html[self.at..], needle)
            .map_or(self.html.len(), |i| self.at + i + needle.len());
    }

    /// `<!-- ... -->`, `<!DOCTYPE ...>`, `<![CDATA[...]]>`: nothing for links.
    fn skip_markup_declaration(&mut self) {
        let rest = &self.html[self.at..];
        if rest.starts_with(b"!--") {
            self.at += 3;
            // `<!-->` and `<!--->` end at once, as browsers read them.
            let rest = &self.html[self.at..];
            if rest.starts_with(b">") || rest.starts_with(b"->") {
                self.skip_past(b">");
            } else {
                self.skip_past(b"-->");
            }
        } else {
            self.skip_past(b">");
        }
    }

    /// Skips to the end tag `close` (any case) and leaves it to be read as
    /// an end tag.
    fn skip_raw_text(&mut self, close: &[u8]) {
        let html = self.html;
        while let Some(i) = memchr::memchr(b'<', &html[self.at..]) {
            let start = self.at + i;
            let tail = &html[start..];
            let ends = tail.len() > close.len()
                && tail[..close.len()].eq_ignore_ascii_case(close)
                && matches!(
                    tail[close.len()],
                    b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
                );
            self.at = start + 1;
            if ends {
                self.at = start;
                return;
            }
        }
        self.at = html.len();
    }

    fn tag_name(&mut self) -> &'a [u8] {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| !is_space(b) && b != b'/' && b != b'>')
        {
            self.at += 1;
        }
        &self.html[start..self.at]
    }

    /// Reads attributes up to the end of the tag, passing on the ones about links.
    fn attributes(&mut self, tag: &[u8], visit: &mut impl FnMut(Found<'a>)) {
        loop {
            while self.peek().is_some_and(|b| is_space(b) || b == b'/') {
                self.at += 1;
            }
            match self.peek() {
                None => return,
                Some(b'>') => {
                    self.at += 1;
                    return;
                }
                Some(_) => {}
            }
            let (name, value) = self.attribute();
            let Some(value) = value else { continue };
            let value = || decode_references(value);
            if name.eq_ignore_ascii_case(b"href") {
                if tag.eq_ignore_ascii_case(b"base") {
                    visit(Found::Base(value()));
                } else {
                    visit(Found::Link(value()));
                }
            } else if is_url_attribute(tag, name) {
                visit(Found::Link(value()));
            } else if name.eq_ignore_ascii_case(b"srcset") {
                match value() {
                    Cow::Borrowed(v) => {
                        srcset_urls(v).for_each(|u| visit(Found::Link(Cow::Borrowed(u))));
                    }
                    Cow::Owned(v) => {
                        srcset_urls(&v).for_each(|u| visit(Found::Link(Cow::Owned(u.to_owned()))))
                    }
                }
            } else if name.eq_ignore_ascii_case(b"id")
                || (name.eq_ignore_ascii_case(b"name") && tag.eq_ignore_ascii_case(b"a"))
            {
                visit(Found::Id(value()));
            }
        }
    }

    /// One attribute: its name and, when it has one, its raw value.
    fn attribute(&mut self) -> (&'a [u8], Option<&'a [u8]>) {
        let html = self.html;
        let start = self.at;
        // The first character may be `=`, as in the standard.
        self.at += 1;
        while self
            .peek()
            .is_some_and(|b| !is_space(b) && !matches!(b, b'/' | b'>' | b'='))
        {
            self.at += 1;
        }
        let name = &html[start..self.at];
        while self.peek().is_some_and(is_space) {
            self.at += 1;
        }
        if self.peek() != Some(b'=') {
            return (name, None);
        }
        self.at += 1;
        while self.peek().is_some_and(is_space) {
            self.at += 1;
        }
        let value = match self.peek() {
            Some(q @ (b'"' | b'\'')) => {
                let from = self.at + 1;
                let end = memchr::memchr(q, &html[from..]).map_or(html.len(), |i| from + i);
                self.at = (end + 1).min(html.len());
                &html[from..end]
            }
            _ => {
                let from = self.at;
                while self.peek().is_some_and(|b| !is_space(b) && b != b'>') {
                    self.at += 1;
                }
                &html[from..self.at]
            }
        };
        (name, Some(value))
    }
}

/// An attribute value with its character references decoded, as the HTML
/// standard decodes them in attributes (named ones from html5ever's table).
pub fn decode_references(raw: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(raw);
    if memchr::memchr(b'&', raw).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = &*text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let len = match rest.strip_prefix('#') {
            Some(num) => numeric(num, &mut out).map(|n| n + 1),
            None => named(rest, &mut out),
        };
        match len {
            Some(len) => rest = &rest[len..],
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `#38;`, `#x2F` (after the `#`): pushes the character, returns the length.
fn numeric(num: &str, out: &mut String) -> Option<usize> {
    let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 1),
        None => (num, 10, 0),
    };
    let n = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if n == 0 {
        return None;
    }
    let value = u32::from_str_radix(&digits[..n], radix).unwrap_or(0xFFFD);
    let c = char::from_u32(value)
        .filter(|&c| c != '\0')
        .unwrap_or('\u{FFFD}');
    out.push(c);
    Some(skip + n + usize::from(digits[n..].starts_with(';')))
}

/// `amp;`, `eacute;`, `copy` (after the `&`): the longest name in the table
/// that starts `s`; pushes its characters, returns its length. Without its
/// `;`, a name followed by a letter, digit or `=` is text, as the standard
/// reads attribute values (`?a=1&copy=2`).
fn named(s: &str, out: &mut String) -> Option<usize> {
    use markup5ever::data::NAMED_ENTITIES;
    let mut best = None;
    for (i, c) in s.char_indices() {
        if !(c.is_ascii_alphanumeric() || c == ';') {
            break;
        }
        // The table also holds every prefix of a name, as (0, 0).
        let Some(&(a, b)) = NAMED_ENTITIES.get(&s[..=i]) else {
            break;
        };
        if a != 0 {
            best = Some((a, b, i + 1));
        }
        if c == ';' {
            break;
        }
    }
    let (a, b, len) = best?;
    let next = s[len..].bytes().next();
    if !s[..len].ends_with(';') && next.is_some_and(|x| x.is_ascii_alphanumeric() || x == b'=') {
        return None;
    }
    out.extend(
        [a, b]
            .into_iter()
            .filter(|&c| c != 0)
            .filter_map(char::from_u32),
    );
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan(html.as_bytes(), |f| {
            out.push(match f {
                Found::Link(u) => format!("link {u}"),
                Found::Id(i) => format!("id {i}"),
                Found::Base(b) => format!("base {b}"),
            })
        });
        out
    }

    #[test]
    fn links_and_ids_are_read_from_every_element_in_order() {
        let html = r#"<!DOCTYPE html><html><head><base href="/x/"><link rel="stylesheet" href="/s.css"></head>
<body id=top><a href='/a/' name="anchor">A</a><IMG SRC=/i.png ALT=x>
<img srcset="/1x.png 1x, /2x.png 2x"><p id="para" class=c>text</p><form action="/f/"></form>
<video poster="/p.png"></video><object data="/o/"></object><div data="/not-a-link/"></div></body></html>"#;
        assert_eq!(
            found(html),
            [
                "base /x/",
                "link /s.css",
                "id top",
                "link /a/",
                "id anchor",
                "link /i.png",
                "link /1x.png",
                "link /2x.png",
                "id para",
                "link /f/",
                "link /p.png",
                "link /o/"
            ]
        );
    }

    #[test]
    fn comments_scripts_and_titles_hide_what_looks_like_tags() {
        let html = r#"<!-- <a href="/in-comment/"> --><title><a href="/in-title/"></title>
<script>var s = '<a href="/in-script/">'; if (a<b) {}</script>
<style>a[href="/x/"]{}</style><textarea><img src="/in-textarea.png"></textarea>
<a href="/real/">real</a><!--><a href="/after-empty-comment/">"#;
        assert_eq!(found(html), ["link /real/", "link /after-empty-comment/"]);
    }

    #[test]
    fn character_references_in_values_are_decoded() {
        let html =
            r#"<a href="/s/?a=1&amp;b=2&#38;c=3&#x2F;d&copy=4"></a><p id="caf&eacute;&#233;">"#;
        assert_eq!(found(html), ["link /s/?a=1&b=2&c=3/d&copy=4", "id caféé"]);
    }

    #[test]
    fn srcset_candidates_are_split_as_the_standard_says() {
        let urls: Vec<&str> =
            srcset_urls(" a.png 1x,b.png  2x , c,d.png 100w, e.png (x, y) 3x,f.png,").collect();
        assert_eq!(urls, ["a.png", "b.png", "c,d.png", "e.png", "f.png"]);
    }

    #[test]
    fn a_page_cut_short_ends_the_scan_without_panicking() {
        for html in [
            "<a href=\"/x",
            "<a href=",
            "<a ",
            "<",
            "<!--",
            "<script>",
            "<a href=/y",
        ] {
            let _ = found(html);
        }
        assert_eq!(found("<a href=/y"), ["link /y"]);
    }
}
