//! A saved web page (`.html`, `.htm`, `.html.gz`) into an `Article`. The
//! reading (charset, metadata with its sources, the story as clean HTML) is
//! `crate::ingest::html`; this module decompresses, maps the fields, reads
//! the dates, keeps the page's old address as an alias, and reports pages
//! that are not articles.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::{DateTime, FixedOffset, NaiveTime};

use super::{Article, DateSource, Notes, Parsed, escape};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::ingest::html::{self, Found, HtmlOptions, Page};
use crate::source::{Format, SourceFile};

/// A decompressed page larger than this is refused (a damaged or hostile
/// `.gz` must not fill the memory).
const MAX_PAGE: u64 = 64 << 20;

/// Reads one page; `with_body` also returns the story HTML.
pub(super) fn parse(
    file: &SourceFile,
    bytes: &[u8],
    hash: [u8; 16],
    cfg: &Config,
    with_body: bool,
) -> Parsed {
    let mut diags = Vec::new();
    let mut notes = Notes {
        header: "html",
        ..Notes::default()
    };
    let page = match read(file, bytes, cfg, &mut diags, &mut notes) {
        Some(p) => p,
        None => return finish(None, None, diags, notes),
    };
    if let Some(reason) = &page.not_article {
        diags.push(Diagnostic::warning(
            &file.rel_path,
            None,
            format!("{reason}: skipped"),
        ));
        notes.skipped = Some(reason.clone());
        return finish(None, None, diags, notes);
    }
    let article = article(file, &page, cfg, hash, &mut diags, &mut notes);
    let article = article.and_then(|a| super::finish_dates(file, a, cfg, &mut diags));
    notes.doubts.clone_from(&page.doubts);
    notes.text = Some(page.body.text);
    let body = with_body.then_some(page.body.html);
    finish(article, body, diags, notes)
}

/// The story HTML of a page `parse` read before.
pub(super) fn body_html(file: &SourceFile, bytes: &[u8], cfg: &Config) -> String {
    read(file, bytes, cfg, &mut Vec::new(), &mut Notes::default())
        .map(|p| p.body.html)
        .unwrap_or_default()
}

fn finish(
    article: Option<Article>,
    body: Option<String>,
    diagnostics: Vec<Diagnostic>,
    notes: Notes,
) -> Parsed {
    let article = article.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    Parsed {
        body: body.filter(|_| article.is_some()),
        article,
        diagnostics,
        notes,
    }
}

/// Decompresses, decodes and reads the page.
fn read(
    file: &SourceFile,
    bytes: &[u8],
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
    notes: &mut Notes,
) -> Option<Page> {
    let unzipped;
    let bytes = if is_gzip(file) {
        unzipped = match gunzip(bytes) {
            Ok(b) => b,
            Err(msg) => {
                diags.push(Diagnostic::error(&file.rel_path, None, msg));
                return None;
            }
        };
        &unzipped[..]
    } else {
        bytes
    };
    let text = html::decode_page(bytes);
    notes.encoding = text.encoding;
    for fix in &text.fixes {
        notes.fixes.push(fix.to_string());
        if fix.is_warning() {
            let msg = format!("text is not clean UTF-8: {fix}");
            diags.push(Diagnostic::warning(&file.rel_path, None, msg));
        }
    }
    let opts = HtmlOptions {
        allow_iframes: &cfg.content.allow_iframes,
        wire: Some(&cfg.wire),
    };
    Some(html::read_page(&text.text, &opts))
}

fn is_gzip(file: &SourceFile) -> bool {
    file.content_path.to_ascii_lowercase().ends_with(".gz")
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_PAGE + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot decompress: {e}"))?;
    if out.len() as u64 > MAX_PAGE {
        return Err(format!(
            "page larger than {} MiB once decompressed",
            MAX_PAGE >> 20
        ));
    }
    Ok(out)
}

/// The page's fields as an article.
fn article(
    file: &SourceFile,
    page: &Page,
    cfg: &Config,
    hash: [u8; 16],
    diags: &mut Vec<Diagnostic>,
    notes: &mut Notes,
) -> Option<Article> {
    let m = &page.meta;
    let mut sources = BTreeMap::new();
    let mut note = |field: &'static str, source: Option<html::Source>| {
        if let Some(s) = source {
            sources.insert(field, s.name());
        }
    };
    note("headline", m.headline.as_ref().map(|f| f.source));
    note("date", m.date.as_ref().map(|f| f.source));
    note("updated", m.updated.as_ref().map(|f| f.source));
    note("authors", m.authors.as_ref().map(|f| f.source));
    note("section", m.section.as_ref().map(|f| f.source));
    note("tags", m.tags.as_ref().map(|f| f.source));
    note("description", m.description.as_ref().map(|f| f.source));
    note("image", m.image.as_ref().map(|f| f.source));
    note("canonical", m.canonical.as_ref().map(|f| f.source));
    notes.sources = sources;
    let Some(title) = m.headline.as_ref().map(|h| h.value.trim().to_string()) else {
        let msg = "no headline in the page (no JSON-LD headline, og:title, <title> or <h1>)";
        diags.push(Diagnostic::error(&file.rel_path, None, msg));
        return None;
    };
    let date = m
        .date
        .as_ref()
        .and_then(|d| read_date(file, "date", d, cfg, diags));
    let updated = m
        .updated
        .as_ref()
        .and_then(|d| read_date(file, "updated", d, cfg, diags));
    let description = m
        .description
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_else(|| first_paragraph(&page.body.text));
    let description = super::markdown::cut_text(&description).into_owned();
    let section = m
        .section
        .as_ref()
        .map(|s| s.value.clone())
        .unwrap_or_else(|| super::default_section(&file.content_path));
    let slug_source = old_slug(m.canonical.as_ref()).unwrap_or_else(|| title.clone());
    // The old address's slug, not the saved file's name.
    let from = crate::config::SlugFrom::Title;
    let (slug, explicit_slug) = super::resolve_slug(file, None, &slug_source, from, diags, None);
    let mut extra = serde_json::Map::new();
    if let Some(c) = &m.canonical {
        extra.insert("source_url".into(), c.value.clone().into());
    }
    let mut article = Article {
        source: file.rel_path.clone(),
        format: Format::Html,
        summary: format!("<p>{}</p>", escape(&description)),
        description,
        slug,
        explicit_slug,
        date,
        updated,
        date_source: if date.is_some() {
            DateSource::Page
        } else {
            DateSource::None
        },
        tags: m.tags.as_ref().map(|t| t.value.clone()).unwrap_or_default(),
        authors: m
            .authors
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default(),
        section,
        draft: false,
        aliases: Vec::new(),
        url: None,
        dateline: m.dateline.clone(),
        credit: None,
        agency: None,
        image: m.image.as_ref().map(|i| i.value.clone()),
        image_meta: None,
        media: Vec::new(),
        extra,
        unknown: Vec::new(),
        expires: None,
        word_count: page.words,
        refs: Vec::new(),
        hash,
        title,
    };
    article.aliases = old_address(m.canonical.as_ref(), &article, cfg);
    Some(article)
}

/// A date as the page wrote it: RFC 3339 and the front-matter forms first,
/// then dates in words (`November 19, 2019 5:00 AM ET`). Unreadable: a
/// warning naming where it came from.
fn read_date(
    file: &SourceFile,
    field: &str,
    found: &Found<String>,
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<DateTime<FixedOffset>> {
    let text = found.value.trim();
    if let Ok(d) = super::dates::parse_date(text, cfg.timezone) {
        return Some(d);
    }
    let order = cfg.wire.date_order;
    if let Some(d) = crate::ingest::parse_text_date(text, order) {
        let naive = d.date.and_time(d.time.unwrap_or(NaiveTime::MIN));
        let at = match d.offset {
            Some(off) => naive.and_local_timezone(off).single(),
            None => super::dates::local(naive, cfg.timezone),
        };
        if at.is_some() {
            return at;
        }
    }
    diags.push(Diagnostic::warning(
        &file.rel_path,
        None,
        format!(
            "{field} `{text}` ({}) is not a date broadsheet reads",
            found.source.name()
        ),
    ));
    None
}

fn first_paragraph(text: &str) -> String {
    text.split("\n\n").next().unwrap_or("").trim().to_string()
}

/// The last segment of the page's old address when it reads as a slug
/// (`/2019/11/19/harbour-fire.html` -> `harbour-fire`), so an archive moved
/// with the same permalink pattern keeps its URLs.
fn old_slug(canonical: Option<&Found<String>>) -> Option<String> {
    let url = url::Url::parse(&canonical?.value).ok()?;
    let last = url.path_segments()?.rev().find(|s| !s.is_empty())?;
    let stem = last
        .strip_suffix(".html")
        .or_else(|| last.strip_suffix(".htm"))
        .unwrap_or(last);
    let words = stem
        .split('-')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    (words >= 2 && !stem.contains('%')).then(|| stem.to_string())
}

/// The path of the page's old address as an alias, when it is a plain path
/// that differs from the article's new URL.
fn old_address(canonical: Option<&Found<String>>, a: &Article, cfg: &Config) -> Vec<String> {
    let Some(url) = canonical.and_then(|c| url::Url::parse(&c.value).ok()) else {
        return Vec::new();
    };
    let path = url.path();
    let plain = path.len() > 1
        && url.query().is_none()
        && !path.split('/').any(|s| s == "." || s == "..")
        && !path[1..].split('/').rev().skip(1).any(str::is_empty)
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.~+,=@!*():".contains(c));
    let local = a
        .date
        .map(|d| d.with_timezone(&cfg.timezone).fixed_offset());
    let new = super::permalink::permalink(&cfg.permalink, &a.slug, &a.section, local);
    if plain && path != new {
        vec![path.to_string()]
    } else {
        Vec::new()
    }
}
