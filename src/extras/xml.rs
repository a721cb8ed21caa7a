//! A small XML writer for the generated XML files (feeds, sitemaps): escaping
//! through quick-xml, plus removal of the characters XML 1.0 forbids even when
//! escaped (control characters from old wire copy would otherwise make a whole
//! feed unreadable). Pure string building; no I/O.

use std::borrow::Cow;

/// Text made safe for XML content and double-quoted attribute values.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !needs_work(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(escaped(text))
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// What `escape` makes of `text`, appended to `out` in one pass: the five
/// markup characters become entities and characters XML 1.0 forbids (C0
/// controls but tab, newline and return; U+FFFE and U+FFFF) are dropped.
pub fn escape_into(out: &mut String, text: &str) {
    let b = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        if !SPECIAL[b[i] as usize] {
            i += 1;
            continue;
        }
        let (replacement, len) = match b[i] {
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'&' => ("&amp;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            0xEF if forbidden_ef(b, i) => ("", 3),
            0xEF => {
                i += 1;
                continue;
            }
            // A C0 control (the table leaves out tab, newline and return).
            _ => ("", 1),
        };
        out.push_str(&text[from..i]);
        out.push_str(replacement);
        i += len;
        from = i;
    }
    out.push_str(&text[from..]);
}

/// Bytes `escape_into` must look at: markup, C0 controls but tab, newline and
/// return, and 0xEF (the lead byte of U+FFFE and U+FFFF).
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = !matches!(c as u8, b'\t' | b'\n' | b'\r');
        c += 1;
    }
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'&' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[0xEF] = true;
    t
};

/// A byte screen: false when `text` has nothing to escape and no character
/// XML forbids (most feed and sitemap text), so it is used as it is. The same
/// table as `escape_into`, where a lone 0xEF is any other character.
fn needs_work(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| SPECIAL[c as usize] && (c != 0xEF || forbidden_ef(b, i)))
}

/// U+FFFE or U+FFFF (EF BF BE, EF BF BF) starts at byte `i`.
fn forbidden_ef(b: &[u8], i: usize) -> bool {
    b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF))
}

/// XML 1.0's `Char` production.
#[cfg(test)]
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Text escaped once (with [`escape`]) for writing into several documents,
/// such as a feed item's summary in the Atom and the RSS feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escaped(String);

impl Escaped {
    pub fn new(text: &str) -> Escaped {
        Escaped(escaped(text))
    }
}

/// Appends elements to a string, one per line, with escaping done here so
/// callers never concatenate raw text into markup.
#[derive(Debug, Default)]
pub struct Xml {
    out: String,
}

impl Xml {
    /// A document starting with the XML declaration.
    pub fn document() -> Xml {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        }
    }

    /// `<name a="v" ...>` (attribute values are escaped).
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start(name, attrs);
        self.out.push_str(">\n");
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name a="v"/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start(name, attrs);
        self.out.push_str("/>\n");
    }

    /// `<name a="v">text</name>` with the text escaped.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `text`, with text escaped beforehand.
    pub fn escaped_text(&mut self, name: &str, attrs: &[(&str, &str)], text: &Escaped) {
        self.start(name, attrs);
        self.out.push('>');
        self.out.push_str(&text.0);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v);
            self.out.push('"');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_passes_only_text_that_needs_no_escaping() {
        for text in [
            "plain text",
            "Tom & Jerry",
            "<b>",
            "say \"hi\"",
            "it's",
            "bell\u{7}",
            "tab\tline\nreturn\r",
            "café \u{2014} 日本",
            "\u{FFFE}",
            "\u{FFFF}",
            "\u{FFFD} replacement",
            "\u{10000} astral",
        ] {
            let untouched = text.chars().all(allowed)
                && matches!(quick_xml::escape::escape(text), Cow::Borrowed(_));
            assert_eq!(!needs_work(text), untouched, "{text:?}");
        }
    }

    proptest::proptest! {
        /// One pass gives what dropping forbidden characters and then escaping
        /// markup with quick-xml gives.
        #[test]
        fn escaping_in_one_pass_matches_filter_then_escape(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', ' ', '<', '>', '&', '"', '\'', '\t', '\n', '\r', '\u{1}', '\u{1F}',
                '\u{7F}', '\u{E9}', '\u{FEFF}', '\u{FFFD}', '\u{FFFE}', '\u{FFFF}', '\u{10000}',
            ]), 0..30)
        ) {
            let text: String = chars.into_iter().collect();
            let clean: String = text.chars().filter(|&c| allowed(c)).collect();
            let expected = quick_xml::escape::escape(clean.as_str()).into_owned();
            proptest::prop_assert_eq!(escape(&text).into_owned(), expected.clone());
            let mut out = String::from("x");
            escape_into(&mut out, &text);
            proptest::prop_assert_eq!(out, format!("x{expected}"));
        }
    }

    #[test]
    fn markup_characters_are_escaped_and_forbidden_ones_dropped() {
        assert_eq!(
            escape("Tom & \"Jerry\" <b>\u{1}\u{c}ok\u{FFFE}'"),
            "Tom &amp; &quot;Jerry&quot; &lt;b&gt;ok&apos;"
        );
        assert!(matches!(escape("plain text é"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_escaped_beforehand_is_written_as_text_would_be() {
        let text = "<p>Tom & \"Jerry\"\u{1}</p>";
        let mut once = Xml::default();
        once.text("summary", &[("type", "html")], text);
        let mut before = Xml::default();
        before.escaped_text("summary", &[("type", "html")], &Escaped::new(text));
        assert_eq!(once.finish(), before.finish());
    }

    #[test]
    fn elements_are_written_one_per_line() {
        let mut x = Xml::document();
        x.open("a", &[("href", "x?a=1&b=2")]);
        x.text("b", &[], "1 < 2");
        x.empty("c", &[("d", "\"")]);
        x.close("a");
        assert_eq!(
            x.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a href=\"x?a=1&amp;b=2\">\n<b>1 &lt; 2</b>\n<c d=\"&quot;\"/>\n</a>\n"
        );
    }
}
