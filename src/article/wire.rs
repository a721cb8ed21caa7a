//! Plain-text wire copy (`.txt`) into an `Article`. The structure (headline, date
//! line, dateline, byline, paragraphs, credit, boilerplate) comes from
//! `crate::ingest::wire`; this module maps it onto article fields and renders the
//! paragraphs, always escaped.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone};

use super::{Article, DateSource, FieldLines, Notes};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::escape::html as escape;
use crate::ingest::{TextDate, WireDoc, parse_wire_with};
use crate::source::{Format, SourceFile};

pub(super) fn article(
    file: &SourceFile,
    text: &str,
    cfg: &Config,
    hash: [u8; 16],
    body_html: Option<&mut Option<String>>,
    diags: &mut Vec<Diagnostic>,
    notes: &mut Notes,
) -> Article {
    let doc = parse(file, text, cfg);
    if let Some(out) = body_html {
        *out = Some(paragraphs_html(&doc.paragraphs, text.len()));
    }
    notes.header = "wire";
    notes.cut = doc.cut.iter().map(cut_note).collect();
    notes.paragraphs = Some(doc.paragraphs.len());
    notes.lines = Some(FieldLines {
        headline: (doc.headline_line > 0).then_some(doc.headline_line),
        deck: doc.deck_line,
        date: doc.date_line,
        updated: doc.updated_line,
        byline: doc.byline_line,
        dateline: doc.dateline_line,
    });
    notes.deck = doc.deck.clone();
    notes.doubts = doc.flags.iter().map(ToString::to_string).collect();
    notes.furniture = doc
        .cut
        .iter()
        .filter(|c| c.reason == crate::ingest::CutReason::Furniture)
        .map(|c| c.text.clone())
        .collect();
    if doc.headline.is_empty() {
        diags.push(Diagnostic::error(
            &file.rel_path,
            Some(1),
            "empty file: wire copy needs a headline line",
        ));
    }
    let updated = doc.updated.as_ref().and_then(|d| instant(d, cfg));
    // A story that only says when it was updated was published no later than that.
    let date = doc.date.as_ref().and_then(|d| instant(d, cfg)).or(updated);
    let first = doc
        .paragraphs
        .first()
        .map(|p| super::markdown::cut_text(p).into_owned())
        .unwrap_or_default();
    let (slug, explicit_slug) = super::resolve_slug(
        file,
        None,
        &doc.headline,
        cfg.content.slug_from,
        diags,
        None,
    );
    let WireDoc {
        headline,
        dateline,
        authors,
        credit,
        source,
        paragraphs,
        ..
    } = doc;
    Article {
        source: file.rel_path.clone(),
        format: Format::Wire,
        title: headline,
        slug,
        explicit_slug,
        date,
        updated,
        date_source: if date.is_some() {
            DateSource::DateLine
        } else {
            DateSource::None
        },
        tags: Vec::new(),
        authors,
        section: super::default_section(&file.content_path),
        summary: format!("<p>{}</p>", escape(&first)),
        description: first,
        draft: false,
        aliases: Vec::new(),
        url: None,
        refs: Vec::new(),
        dateline,
        credit,
        agency: source,
        image: None,
        image_meta: None,
        media: Vec::new(),
        extra: serde_json::Map::new(),
        unknown: Vec::new(),
        expires: None,
        word_count: paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum(),
        hash,
    }
}

/// The body as HTML paragraphs; the dateline is shown by the template.
pub(super) fn body_html(file: &SourceFile, text: &str, cfg: &Config) -> String {
    paragraphs_html(&parse(file, text, cfg).paragraphs, text.len())
}

/// The file's text read with the furniture of its group.
fn parse(file: &SourceFile, text: &str, cfg: &Config) -> WireDoc {
    parse_wire_with(text, &cfg.wire, cfg.furniture.for_path(&file.content_path))
}

/// Paragraphs as escaped `<p>` elements; `text_len` sizes the buffer.
fn paragraphs_html(paragraphs: &[String], text_len: usize) -> String {
    let mut out = String::with_capacity(text_len + paragraphs.len() * 8);
    for p in paragraphs {
        out.push_str("<p>");
        out.push_str(&escape(p));
        out.push_str("</p>\n");
    }
    out
}

/// A date from text as an instant: its own offset if it has one, else the site zone.
fn instant(d: &TextDate, cfg: &Config) -> Option<DateTime<FixedOffset>> {
    let naive = d.date.and_time(d.time.unwrap_or(NaiveTime::MIN));
    match d.offset {
        Some(off) => off.from_local_datetime(&naive).single(),
        None => super::dates::local(naive, cfg.timezone),
    }
}

fn cut_note(c: &crate::ingest::CutNote) -> String {
    let lines = if c.first_line == c.last_line {
        format!("line {}", c.first_line)
    } else {
        format!("lines {}-{}", c.first_line, c.last_line)
    };
    format!("{lines}: {}: {}", cut_reason(&c.reason), c.text)
}

/// The reader's name for why text was cut, as the ingest report shows it.
fn cut_reason(reason: &crate::ingest::CutReason) -> String {
    use crate::ingest::CutReason as R;
    match reason {
        R::CommentCounter => "comment counter".into(),
        R::SharePrompt => "share prompt".into(),
        R::RelatedStories => "related stories".into(),
        R::CommentsSection => "comments section".into(),
        R::DateLineText => "date line text".into(),
        R::Pattern(p) => format!("boilerplate pattern `{p}`"),
        R::Furniture => "site furniture".into(),
        R::Caption => "photo caption".into(),
        R::Advertisement => "advertisement".into(),
        R::Navigation => "navigation".into(),
        R::SiteName => "site name".into(),
        R::ReaderComments => "reader comments".into(),
        R::CutAfter(p) => format!("cut_after pattern `{p}`"),
        R::BylineRole => "byline role".into(),
        R::Footer => "page footer".into(),
    }
}
