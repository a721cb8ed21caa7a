//! Markdown bodies to HTML with pulldown-cmark: tables, footnotes, strikethrough,
//! smart punctuation, heading anchors. Bodies are never run through templates, so
//! `{{ }}` and `{% %}` in an article stay literal text.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::slug::slugify;

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
    html::push_html(
        &mut out,
        with_anchors(Parser::new_ext(body, options())).into_iter(),
    );
    out
}

/// The summary: the text before `<!-- more -->`, else the first paragraph.
pub fn summary_html(body: &str) -> String {
    if let Some(i) = body.find(MORE) {
        return to_html(&body[..i]).trim_end().to_string();
    }
    let mut events = Vec::new();
    let mut in_para = false;
    for ev in Parser::new_ext(body, options()) {
        match &ev {
            Event::Start(Tag::Paragraph) => in_para = true,
            Event::End(TagEnd::Paragraph) if in_para => {
                events.push(ev);
                break;
            }
            _ => {}
        }
        if in_para {
            // Footnote references in a summary would point at nothing.
            if !matches!(ev, Event::FootnoteReference(_)) {
                events.push(ev);
            }
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out.trim_end().to_string()
}

/// Words in a body, counting only text (not markup).
pub fn word_count(body: &str) -> usize {
    Parser::new_ext(body, options())
        .map(|ev| match ev {
            Event::Text(t) | Event::Code(t) => t.split_whitespace().count(),
            _ => 0,
        })
        .sum()
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

/// Gives every heading an id from its text (unique within the article) unless it
/// has one (`# Title {#id}`), and prefixes footnote labels.
fn with_anchors<'a>(parser: Parser<'a>) -> Vec<Event<'a>> {
    let mut events: Vec<Event<'a>> = Vec::new();
    let mut used = HashSet::new();
    let mut heading_start: Option<usize> = None;
    for ev in parser {
        match ev {
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

fn prefixed(label: &str) -> CowStr<'static> {
    CowStr::from(format!("fn-{label}"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn words_are_counted_in_text_only() {
        assert_eq!(
            word_count("# Two words\n\n<b>three</b> four [five](http://x.y)"),
            5
        );
        assert_eq!(strip_tags("<p>A &amp; <em>b</em></p>"), "A &amp; b");
    }
}
