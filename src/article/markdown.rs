//! Markdown bodies to HTML with pulldown-cmark: tables, footnotes, strikethrough,
//! smart punctuation, heading anchors. Bodies are never run through templates, so
//! `{{ }}` and `{% %}` in an article stay literal text.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::media::MediaKind;
use super::slug::slugify;

/// A reference to an image or a linked file found in a body, before it is
/// known whether it names a file beside the article (`media::local_target`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRef {
    /// Byte offset in the body where the image or link starts.
    pub offset: usize,
    pub href: String,
    /// `Image` or `Link`.
    pub kind: MediaKind,
    /// An image written without alt text (`![](x.jpg)`, `<img>` without `alt`).
    pub no_alt: bool,
}

const MORE: &str = "<!-- more -->";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The whole body as HTML. Footnote ids are prefixed with `fn-` so they cannot
/// clash with heading anchors or with another article's on a list page.
pub fn to_html(body: &str) -> String {
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, with_anchors(body, None).into_iter());
    out
}

/// Most characters of text an automatic summary keeps. List pages show
/// summaries and the archive index holds them, so their size must not follow
/// the length of an article's first paragraph: longer ones are cut at a word,
/// with an ellipsis. Summaries written by hand (`summary`, `<!-- more -->`) are
/// kept whole.
pub const SUMMARY_CHARS: usize = 300;

/// The summary: the text before `<!-- more -->`, else the first paragraph
/// (cut to `SUMMARY_CHARS`).
pub fn summary_html(body: &str) -> String {
    summary_and_word_count(body).0
}

/// Words in a body, counting only text (not markup).
pub fn word_count(body: &str) -> usize {
    summary_and_word_count(body).1
}

/// The summary and the word count from one pass of the parser (every pass
/// reads the whole body's block structure first, so one pass, not two).
pub fn summary_and_word_count(body: &str) -> (String, usize) {
    let (summary, words, _) = gist(body);
    (summary, words)
}

/// `summary_and_word_count`, and the images and links the body refers to.
pub fn gist(body: &str) -> (String, usize, Vec<BodyRef>) {
    let mut refs = Vec::new();
    let events = with_anchors(body, Some(&mut refs));
    let mut gist = Gist::new(body);
    for ev in &events {
        gist.feed(ev);
    }
    let (summary, words) = gist.finish(body);
    (summary, words, refs)
}

/// What one pass over a body gives a build that renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub summary: String,
    pub words: usize,
    pub refs: Vec<BodyRef>,
}

/// The body as HTML (`to_html`), its summary and its word count
/// (`summary_and_word_count`) and its references (`gist`), from one pass of
/// the parser: for a build that renders every article it parses.
pub fn render(body: &str) -> Rendered {
    let mut refs = Vec::new();
    let events = with_anchors(body, Some(&mut refs));
    let mut gist = Gist::new(body);
    for ev in &events {
        gist.feed(ev);
    }
    let (summary, words) = gist.finish(body);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Rendered {
        html,
        summary,
        words,
        refs,
    }
}

/// The word count and the summary, gathered event by event. Heading anchors
/// and footnote labels (`with_anchors`) change neither: a summary is a
/// paragraph, and words are counted in text.
struct Gist<'a> {
    /// Where `<!-- more -->` is, which makes the summary everything before it.
    more: Option<usize>,
    words: usize,
    first: FirstParagraph<'a>,
}

impl<'a> Gist<'a> {
    fn new(body: &str) -> Gist<'a> {
        Gist {
            more: memchr::memmem::find(body.as_bytes(), MORE.as_bytes()),
            words: 0,
            first: FirstParagraph::default(),
        }
    }

    fn feed(&mut self, ev: &Event<'a>) {
        if let Event::Text(t) | Event::Code(t) = ev {
            self.words += count_words(t);
        }
        if self.more.is_none() && !self.first.done {
            self.first.feed(ev.clone());
        }
    }

    /// The summary and the word count.
    fn finish(self, body: &str) -> (String, usize) {
        let summary = match self.more {
            Some(i) => to_html(&body[..i]).trim_end().to_string(),
            None => {
                let mut out = String::new();
                html::push_html(&mut out, self.first.events.into_iter());
                out.trim_end().to_string()
            }
        };
        (summary, self.words)
    }
}

/// Words as `split_whitespace` counts them. ASCII text goes 8 bytes at a
/// time: a word starts at each non-space byte whose previous byte is a space
/// (or which starts the text).
fn count_words(t: &str) -> usize {
    if !t.is_ascii() {
        return t.split_whitespace().count();
    }
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn each(byte: u8) -> u64 {
        u64::from_le_bytes([byte; 8])
    }
    // One flag per byte (its high bit) for a space: 0x20, or 9..=13 (tab
    // through carriage return). Bytes are ASCII, below 0x80, so no sum below
    // carries into the next byte.
    let spaces = |x: u64| {
        let not_blank = ((x ^ each(b' ')) & !HIGH) + !HIGH;
        let from_tab = x + each(0x80 - 9);
        let from_14 = x + each(0x80 - 14);
        (!not_blank | (from_tab & !from_14)) & HIGH
    };
    let mut words = 0;
    let mut after_space = true;
    let mut chunks = t.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let s = spaces(u64::from_le_bytes(word));
        let before = (s << 8) | (u64::from(after_space) << 7);
        words += (before & !s & HIGH).count_ones() as usize;
        after_space = s >> 63 == 1;
    }
    for &c in chunks.remainder() {
        let s = (c == b' ') | (c.wrapping_sub(b'\t') < 5);
        words += usize::from(after_space & !s);
        after_space = s;
    }
    words
}

/// Collects the events of the first paragraph, cut after `SUMMARY_CHARS`.
#[derive(Default)]
struct FirstParagraph<'a> {
    events: Vec<Event<'a>>,
    /// Tags open inside the paragraph, to close after a cut.
    open: Vec<Tag<'a>>,
    chars: usize,
    started: bool,
    done: bool,
}

impl<'a> FirstParagraph<'a> {
    fn feed(&mut self, ev: Event<'a>) {
        if self.done {
            return;
        }
        if !self.started {
            if matches!(ev, Event::Start(Tag::Paragraph)) {
                self.started = true;
                self.events.push(ev);
            }
            return;
        }
        match ev {
            Event::End(TagEnd::Paragraph) if self.open.is_empty() => {
                self.events.push(ev);
                self.done = true;
            }
            // Footnote references in a summary would point at nothing.
            Event::FootnoteReference(_) => {}
            Event::Start(tag) => {
                self.open.push(tag.clone());
                self.events.push(Event::Start(tag));
            }
            Event::End(end) => {
                self.open.pop();
                self.events.push(Event::End(end));
            }
            Event::Text(t) => self.text(t),
            Event::Code(t) => {
                let n = t.chars().count();
                if self.chars + n > SUMMARY_CHARS {
                    self.cut(CowStr::from("…"));
                } else {
                    self.chars += n;
                    self.events.push(Event::Code(t));
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                self.chars += 1;
                self.events.push(ev);
            }
            other => self.events.push(other),
        }
    }

    fn text(&mut self, t: CowStr<'a>) {
        let room = SUMMARY_CHARS.saturating_sub(self.chars);
        let n = t.chars().count();
        if n <= room {
            self.chars += n;
            self.events.push(Event::Text(t));
            return;
        }
        let text = format!("{}…", word_prefix(&t, room));
        self.cut(CowStr::from(text));
    }

    /// Ends the summary with `last`, closing every open tag.
    fn cut(&mut self, last: CowStr<'a>) {
        self.events.push(Event::Text(last));
        while let Some(tag) = self.open.pop() {
            self.events.push(Event::End(tag.to_end()));
        }
        self.events.push(Event::End(TagEnd::Paragraph));
        self.done = true;
    }
}

/// Cuts plain text to `SUMMARY_CHARS` at a word, with an ellipsis.
pub fn cut_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= SUMMARY_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(format!("{}…", word_prefix(text, SUMMARY_CHARS)))
}

/// At most `chars` characters of `text`, ending at a word where there is one.
fn word_prefix(text: &str, chars: usize) -> &str {
    let end = text
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let head = match head.rfind(char::is_whitespace) {
        Some(i) if i > 0 => &head[..i],
        _ => head,
    };
    head.trim_end()
}

/// Plain text of an HTML fragment made by this module (tags dropped, entities kept).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses a body: gives every heading an id from its text (unique within the
/// article) unless it has one (`# Title {#id}`), prefixes footnote labels,
/// makes an image standing alone in its paragraph with a title a figure
/// with that caption, and lists the images and links in `refs`.
fn with_anchors<'a>(body: &'a str, mut refs: Option<&mut Vec<BodyRef>>) -> Vec<Event<'a>> {
    let mut events: Vec<Event<'a>> = Vec::new();
    let mut used = HashSet::new();
    let mut heading_start: Option<usize> = None;
    let mut paragraph_start: Option<usize> = None;
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some(refs) = refs.as_deref_mut() {
            note_ref(&ev, range.start, refs);
        }
        match ev {
            Event::Start(Tag::Paragraph) => {
                paragraph_start = Some(events.len());
                events.push(ev);
            }
            Event::End(TagEnd::Paragraph) => match paragraph_start.take() {
                Some(start) if figure(&mut events, start) => {}
                _ => events.push(ev),
            },
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                events.push(ev);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    name_heading(&mut events, start, level, &mut used);
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::FootnoteReference(label) => {
                events.push(Event::FootnoteReference(prefixed(&label)))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                events.push(Event::Start(Tag::FootnoteDefinition(prefixed(&label))));
            }
            other => events.push(other),
        }
    }
    events
}

fn name_heading<'a>(
    events: &mut [Event<'a>],
    start: usize,
    level: HeadingLevel,
    used: &mut HashSet<String>,
) {
    let text: String = events[start + 1..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if let Event::Start(Tag::Heading {
        id, classes, attrs, ..
    }) = &events[start]
    {
        if id.is_some() {
            return;
        }
        let base = match slugify(&text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut candidate = base.clone();
        let mut n = 1;
        while !used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        events[start] = Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(candidate)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        });
    }
}

/// Records an image or link event, or the `<img src>` and `<a href>` of raw HTML.
fn note_ref(ev: &Event<'_>, offset: usize, refs: &mut Vec<BodyRef>) {
    match ev {
        Event::Start(Tag::Image { dest_url, .. }) => refs.push(BodyRef {
            offset,
            href: dest_url.to_string(),
            kind: MediaKind::Image,
            // Settled at the image's end, when its text is known.
            no_alt: true,
        }),
        Event::Start(Tag::Link { dest_url, .. }) => refs.push(BodyRef {
            offset,
            href: dest_url.to_string(),
            kind: MediaKind::Link,
            no_alt: false,
        }),
        Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
            if let Some(last) = refs.last_mut().filter(|r| r.kind == MediaKind::Image) {
                if last.offset <= offset {
                    last.no_alt = false;
                }
            }
        }
        Event::Html(h) | Event::InlineHtml(h) => {
            for (at, src) in super::media::html_attrs(h, "img", "src") {
                let tag = &h[at..];
                let tag = &tag[..tag.find('>').map_or(tag.len(), |e| e + 1)];
                let alt = super::media::html_attrs(tag, "img", "alt");
                refs.push(BodyRef {
                    offset: offset + at,
                    href: src.to_string(),
                    kind: MediaKind::Image,
                    // `alt=""` marks a decorative image on purpose: only
                    // a missing attribute is a fault.
                    no_alt: alt.is_empty(),
                });
            }
            for (at, href) in super::media::html_attrs(h, "a", "href") {
                refs.push(BodyRef {
                    offset: offset + at,
                    href: href.to_string(),
                    kind: MediaKind::Link,
                    no_alt: false,
                });
            }
        }
        _ => {}
    }
}

/// A paragraph (from `start` to the end of `events`) that holds only an
/// image with a title becomes `<figure>` with the title as `<figcaption>`.
/// Returns whether it did (the paragraph's end is then not needed).
fn figure(events: &mut Vec<Event<'_>>, start: usize) -> bool {
    let inside = &events[start + 1..];
    let (Some(Event::Start(Tag::Image { title, .. })), Some(Event::End(TagEnd::Image))) =
        (inside.first(), inside.last())
    else {
        return false;
    };
    let nested = inside[1..inside.len() - 1]
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Image { .. })));
    if title.trim().is_empty() || nested {
        return false;
    }
    let caption = format!(
        "<figcaption>{}</figcaption></figure>\n",
        crate::escape::html(title.trim())
    );
    if let Event::Start(Tag::Image {
        link_type,
        dest_url,
        id,
        ..
    }) = &events[start + 1]
    {
        events[start + 1] = Event::Start(Tag::Image {
            link_type: *link_type,
            dest_url: dest_url.clone(),
            title: CowStr::from(""),
            id: id.clone(),
        });
    }
    events[start] = Event::Html(CowStr::from("<figure>"));
    events.push(Event::Html(CowStr::from(caption)));
    true
}

fn prefixed(label: &str) -> CowStr<'static> {
    CowStr::from(format!("fn-{label}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for t in [
            "",
            "   ",
            "one",
            " two  words ",
            "tabs\tand\nlines\r\nand\x0bvertical\x0cfeed",
            "non-breaking\u{a0}space counts as a gap",
            "  café au lait  ",
        ] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    proptest::proptest! {
        /// Any ASCII text counts as `split_whitespace` counts it: half the
        /// bytes drawn from the spaces (each kind) and their neighbours 8, 14,
        /// 0x1F and 0x21, half from all of ASCII. Non-ASCII text takes
        /// `split_whitespace` itself.
        #[test]
        fn word_count_matches_split_whitespace(
            chars in proptest::collection::vec(proptest::prop_oneof![
                proptest::sample::select(vec![
                    ' ', '\t', '\n', '\x0b', '\x0c', '\r', '\x08', '\x0e', '\x1f', '!',
                ]),
                (0u8..0x80).prop_map(char::from),
            ], 0..200)
        ) {
            let t: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(count_words(&t), t.split_whitespace().count());
        }
    }

    #[test]
    fn headings_get_unique_anchors() {
        let html = to_html("## Hello World\n\n## Hello World\n\n## Custom {#mine}\n");
        assert!(
            html.contains("<h2 id=\"hello-world\">Hello World</h2>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"hello-world-2\">"), "{html}");
        assert!(html.contains("<h2 id=\"mine\">"), "{html}");
    }

    #[test]
    fn tables_footnotes_strikethrough_and_smart_quotes() {
        let html = to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"new\" -- text[^1]\n\n[^1]: note\n",
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("“new” – text"), "{html}");
        assert!(html.contains("href=\"#fn-1\""), "{html}");
        assert!(html.contains("id=\"fn-1\""), "{html}");
    }

    #[test]
    fn template_syntax_in_bodies_stays_literal() {
        let html = to_html("{{ page.title }} and {% include \"x\" %}");
        assert!(
            html.contains("{{ page.title }} and {% include “x” %}"),
            "{html}"
        );
    }

    #[test]
    fn summary_is_the_text_before_more_or_the_first_paragraph() {
        assert_eq!(
            summary_html("One.\n\nTwo.\n<!-- more -->\nThree."),
            "<p>One.</p>\n<p>Two.</p>"
        );
        assert_eq!(
            summary_html("# Head\n\nFirst *para*.\n\nSecond."),
            "<p>First <em>para</em>.</p>"
        );
    }

    #[test]
    fn long_first_paragraphs_are_cut_at_a_word_with_open_tags_closed() {
        let long = format!("Start *of a {} end* after.", "word ".repeat(100));
        let summary = summary_html(&long);
        assert!(
            summary.starts_with("<p>Start <em>of a word word"),
            "{summary}"
        );
        assert!(summary.ends_with(" word…</em></p>"), "{summary}");
        assert!(strip_tags(&summary).chars().count() <= SUMMARY_CHARS + 1);
        let short = "Short *one*.\n\nSecond.";
        assert_eq!(summary_html(short), "<p>Short <em>one</em>.</p>");
        assert_eq!(cut_text("few words"), "few words");
        let abc = "abc ".repeat(100);
        let cut = cut_text(&abc);
        assert!(
            cut.ends_with("abc…") && cut.chars().count() <= SUMMARY_CHARS + 1,
            "{cut}"
        );
    }

    #[test]
    fn one_pass_render_gives_what_the_separate_passes_give() {
        let long = "word ".repeat(80);
        for body in [
            String::new(),
            "Just one line.".to_string(),
            format!("# Heading\n\n{long}\n\nSecond *para*."),
            "[^1]: A note first.\n\nThen text[^1] and `code`.\n".to_string(),
            "> Quoted **bold** start\n\n## Same\n\n## Same\n\nText.".to_string(),
            format!("Lead.\n\n<!-- more -->\n\n{long}"),
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ \"quoted\"".to_string(),
        ] {
            let r = render(&body);
            assert_eq!(r.html, to_html(&body), "{body:?}");
            assert_eq!(
                (r.summary, r.words),
                summary_and_word_count(&body),
                "{body:?}"
            );
        }
    }

    #[test]
    fn an_image_alone_with_a_title_is_a_figure_with_its_caption() {
        let html = to_html(
            "![The fire](fire.jpg \"Flames over the harbour\")\n\nText ![x](in.png \"t\") more.\n",
        );
        assert!(
            html.starts_with(
                "<figure><img src=\"fire.jpg\" alt=\"The fire\" /><figcaption>Flames over the harbour</figcaption></figure>\n<p>Text"
            ),
            "{html}"
        );
        assert!(
            html.contains("<img src=\"in.png\" alt=\"x\" title=\"t\" />"),
            "{html}"
        );
        let plain = to_html("![Alone](a.jpg)\n");
        assert_eq!(plain, "<p><img src=\"a.jpg\" alt=\"Alone\" /></p>\n");
    }

    #[test]
    fn images_and_links_are_listed_with_their_offsets() {
        let body = "Intro.\n\n![](a.jpg)\n\n[report](files/r.pdf) and ![Alt](https://x.org/b.png)\n\n<img src=\"c.png\" alt=\"C\">\n";
        let r = render(body);
        let got: Vec<(usize, &str, MediaKind, bool)> = r
            .refs
            .iter()
            .map(|x| (x.offset, x.href.as_str(), x.kind, x.no_alt))
            .collect();
        assert_eq!(
            got,
            [
                (8, "a.jpg", MediaKind::Image, true),
                (20, "files/r.pdf", MediaKind::Link, false),
                (46, "https://x.org/b.png", MediaKind::Image, false),
                (75, "c.png", MediaKind::Image, false),
            ]
        );
        assert_eq!(gist(body).2, r.refs);
    }

    #[test]
    fn words_are_counted_in_text_only() {
        assert_eq!(
            word_count("# Two words\n\n<b>three</b> four [five](http://x.y)"),
            5
        );
        assert_eq!(strip_tags("<p>A &amp; <em>b</em></p>"), "A &amp; b");
    }
}
