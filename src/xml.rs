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
    let clean: Cow<'_, str> = if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    };
    match quick_xml::escape::escape(clean.as_ref()) {
        Cow::Borrowed(_) => clean,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// A byte screen: false when `text` has nothing to escape and no character
/// XML forbids (most feed and sitemap text), so it is used as it is.
fn needs_work(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'<' | b'>' | b'&' | b'"' | b'\'' => true,
        b'\t' | b'\n' | b'\r' => false,
        c if c < 0x20 => true,
        // U+FFFE and U+FFFF: EF BF BE, EF BF BF.
        0xEF => b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })
}

/// XML 1.0's `Char` production.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
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
        self.out.push_str(&escape(text));
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
            self.out.push_str(&escape(v));
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

    #[test]
    fn markup_characters_are_escaped_and_forbidden_ones_dropped() {
        assert_eq!(
            escape("Tom & \"Jerry\" <b>\u{1}\u{c}ok\u{FFFE}'"),
            "Tom &amp; &quot;Jerry&quot; &lt;b&gt;ok&apos;"
        );
        assert!(matches!(escape("plain text é"), Cow::Borrowed(_)));
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
