//! Plain-text wire copy (`.txt`) into an `Article`. The structure (headline, date
//! line, dateline, byline, paragraphs, credit, boilerplate) comes from
//! `crate::ingest::wire`; this module only maps it onto the article fields.

use chrono::NaiveTime;

use super::{Article, DateSource, escape};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::source::{Format, SourceFile};

/// The structure this module needs from a wire story.
struct Wire {
    headline: String,
    date: Option<chrono::NaiveDate>,
    paragraphs: Vec<String>,
    credit: Option<String>,
}

fn split(text: &str) -> Wire {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let mut it = blocks.into_iter();
    let headline = it.next().unwrap_or_default();
    let mut rest: Vec<String> = it.collect();
    let date = rest.first().and_then(|l| date_line(l));
    if date.is_some() {
        rest.remove(0);
    }
    while rest
        .last()
        .is_some_and(|l| l.to_ascii_lowercase().contains("comments to this article"))
    {
        rest.pop();
    }
    let credit = match rest.last() {
        Some(l) if l.starts_with('©') || l.to_ascii_lowercase().starts_with("(c)") => rest.pop(),
        _ => None,
    };
    Wire {
        headline,
        date,
        paragraphs: rest,
        credit,
    }
}

fn date_line(line: &str) -> Option<chrono::NaiveDate> {
    let head = line.split(',').next()?.trim();
    if head.len() > 30 {
        return None;
    }
    let mut words: Vec<String> = head.split_whitespace().map(str::to_string).collect();
    if let Some(day) = words.first_mut() {
        *day = day
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .to_string();
    }
    chrono::NaiveDate::parse_from_str(&words.join(" "), "%d %B %Y").ok()
}

pub(super) fn article(
    file: &SourceFile,
    text: &str,
    cfg: &Config,
    hash: [u8; 32],
    _diags: &mut Vec<Diagnostic>,
) -> Article {
    let w = split(text);
    let date = w
        .date
        .and_then(|d| super::dates::local(d.and_time(NaiveTime::MIN), cfg.timezone));
    let first = w.paragraphs.first().cloned().unwrap_or_default();
    let (slug, explicit_slug) = super::resolve_slug(file, None, &w.headline, &mut Vec::new(), None);
    Article {
        source: file.rel_path.clone(),
        format: Format::Wire,
        title: w.headline,
        slug,
        explicit_slug,
        date,
        updated: None,
        date_source: if date.is_some() {
            DateSource::DateLine
        } else {
            DateSource::None
        },
        tags: Vec::new(),
        authors: Vec::new(),
        section: super::default_section(&file.content_path),
        summary: format!("<p>{}</p>", escape(&first)),
        description: first,
        draft: false,
        aliases: Vec::new(),
        dateline: None,
        credit: w.credit,
        agency: None,
        image: None,
        extra: serde_json::Map::new(),
        word_count: w
            .paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum(),
        hash,
    }
}

pub(super) fn body_html(text: &str, _cfg: &Config) -> String {
    split(text)
        .paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect()
}
