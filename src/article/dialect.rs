//! Front matter of every dialect (Hugo, Zola, Jekyll, Eleventy, Pelican)
//! mapped, in this one place, onto one canonical front matter: after this,
//! nothing asks which tool wrote a file.
//!
//! The rules, each from the tool's documentation:
//! - every canonical field has its names in order of precedence (`FIELDS`):
//!   `date` is `date`, else Hugo's `publishDate`/`pubdate`/`published`;
//!   `updated` is Zola's `updated`, else Hugo's `lastmod`/`modified`, else
//!   Jekyll's `last_modified_at`; `url` is Hugo's `url`, Zola's `path`,
//!   Jekyll's and Eleventy's `permalink`; names compare without case, as
//!   Hugo's do;
//! - list fields gather all their names (`aliases` and Jekyll's
//!   `redirect_from`, `authors` and `author`), and Zola's `[taxonomies]`
//!   table adds its `tags`, `categories` and `authors`;
//! - Jekyll's `published: false` and Eleventy's `permalink: false` make a
//!   draft; a file under a `_drafts` folder is one (Jekyll);
//! - in a Jekyll `_posts` folder a `tags` or `categories` string is a
//!   space-separated list, as Jekyll reads it (elsewhere a string is split
//!   at commas);
//! - categories go where `[content] categories` says: by default the first
//!   is the section when the file names none, the others become tags;
//! - Zola's `[extra]` and Hugo's `[params]` tables are the article's extra
//!   values; a known name that lost to a synonym (Hugo's `publishDate`
//!   beside `date`) is kept there too; any other key is kept there **and**
//!   listed in `unknown`, so the build can report it.
//!
//! Pure: no I/O, no dates parsed (the reader does that at the key's line).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use super::Article;
use crate::config::Categories;
use crate::diag::Diagnostic;

/// A front matter in canonical names.
#[derive(Debug, Default)]
pub struct Canonical {
    /// Canonical name -> value, for the fields the reader reads.
    pub fields: Map<String, Value>,
    /// Canonical name -> the name it was written under, for messages and lines.
    pub origin: Vec<(&'static str, String)>,
    /// Values for templates: `[extra]`/`[params]`, unused synonyms, unknown keys.
    pub extra: Map<String, Value>,
    /// Keys neither known nor under `[extra]` (nested ones as `taxonomies.series`).
    pub unknown: Vec<String>,
}

impl Canonical {
    /// The name a canonical field was written under in the file.
    pub fn written_as<'a>(&'a self, field: &'a str) -> &'a str {
        self.origin
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(field, |(_, name)| name.as_str())
    }
}

/// What the mapping needs besides the keys.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The file's path under content/, `/`-separated.
    pub content_path: &'a str,
    pub categories: Categories,
}

/// How a canonical field takes its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The first name present wins; the others are kept in extra.
    One,
    /// Every name present adds its items.
    List,
}

/// Canonical field, its names (lower case) in order of precedence, and kind.
const FIELDS: &[(&str, &[&str], Kind)] = &[
    ("title", &["title"], Kind::One),
    (
        "date",
        &["date", "publishdate", "pubdate", "published"],
        Kind::One,
    ),
    (
        "updated",
        &["updated", "lastmod", "modified", "last_modified_at"],
        Kind::One,
    ),
    ("expires", &["expirydate", "unpublishdate"], Kind::One),
    ("slug", &["slug"], Kind::One),
    ("url", &["url", "path", "permalink"], Kind::One),
    ("section", &["section"], Kind::One),
    ("summary", &["summary", "description", "excerpt"], Kind::One),
    ("draft", &["draft"], Kind::One),
    ("dateline", &["dateline"], Kind::One),
    ("credit", &["credit"], Kind::One),
    ("image", &["image", "images"], Kind::One),
    ("image_alt", &["image_alt"], Kind::One),
    ("image_caption", &["image_caption"], Kind::One),
    ("image_figcaption", &["image_figcaption"], Kind::One),
    ("image_credit", &["image_credit"], Kind::One),
    ("image_focus", &["image_focus"], Kind::One),
    ("tags", &["tags"], Kind::List),
    ("categories", &["categories", "category"], Kind::List),
    ("authors", &["authors", "author"], Kind::List),
    ("aliases", &["aliases", "redirect_from"], Kind::List),
];

/// Tables whose contents are the article's extra values.
const EXTRA_TABLES: &[&str] = &["extra", "params"];

/// Maps a parsed front matter onto canonical names.
pub fn canonical(raw: Map<String, Value>, cx: &Context) -> Canonical {
    let mut out = Canonical::default();
    let mut draft = in_folder(cx.content_path, "_drafts");
    let mut lists: Vec<(&'static str, usize, String, Value)> = Vec::new();
    let mut ones: Vec<(&'static str, usize, String, Value)> = Vec::new();
    for (key, value) in raw {
        let lower = key.to_ascii_lowercase();
        // Jekyll's `published: false`, Eleventy's `permalink: false`.
        if let ("published" | "permalink", Value::Bool(b)) = (lower.as_str(), &value) {
            draft |= !b;
            continue;
        }
        if lower == "taxonomies" && value.is_object() {
            taxonomies(key, value, &mut lists, &mut out);
            continue;
        }
        if EXTRA_TABLES.contains(&lower.as_str()) && value.is_object() {
            if let Value::Object(table) = value {
                out.extra.extend(table);
            }
            continue;
        }
        match field_of(&lower) {
            Some((field, Kind::List, rank)) => lists.push((field, rank, key, value)),
            Some((field, Kind::One, rank)) => ones.push((field, rank, key, value)),
            None => {
                out.unknown.push(key.clone());
                out.extra.insert(key, value);
            }
        }
    }
    take_ones(ones, &mut out);
    let jekyll = in_folder(cx.content_path, "_posts");
    // Names in order of precedence (the map comes sorted by name).
    lists.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (field, _, key, value) in lists {
        add_list(&mut out, field, key, value, jekyll);
    }
    place_categories(&mut out, cx.categories);
    if draft && !out.fields.contains_key("draft") {
        out.fields.insert("draft".into(), Value::Bool(true));
    }
    out.unknown.sort();
    out
}

/// The canonical field of a name, its kind and the name's rank among the
/// field's names.
fn field_of(lower: &str) -> Option<(&'static str, Kind, usize)> {
    FIELDS.iter().find_map(|(field, names, kind)| {
        let rank = names.iter().position(|n| *n == lower)?;
        Some((*field, *kind, rank))
    })
}

/// Whether a folder of this name holds the file.
fn in_folder(content_path: &str, folder: &str) -> bool {
    content_path
        .rsplit_once('/')
        .is_some_and(|(dirs, _)| dirs.split('/').any(|d| d == folder))
}

/// Single-valued fields: the best-ranked name wins, the others stay in extra.
fn take_ones(mut ones: Vec<(&'static str, usize, String, Value)>, out: &mut Canonical) {
    ones.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (field, _, key, value) in ones {
        if out.fields.contains_key(field) {
            out.extra.insert(key, value);
            continue;
        }
        // Hugo's `images` is a list: its first is the article's image.
        let value = match (field, value) {
            ("image", Value::Array(items)) => {
                let first = items.first().cloned().unwrap_or(Value::Null);
                out.extra.insert(key.clone(), Value::Array(items));
                first
            }
            (_, v) => v,
        };
        out.origin.push((field, key));
        out.fields.insert(field.into(), value);
    }
}

/// Zola's `[taxonomies]`: known lists join their fields; others are kept
/// (under `taxonomies`) and reported.
fn taxonomies(
    key: String,
    value: Value,
    lists: &mut Vec<(&'static str, usize, String, Value)>,
    out: &mut Canonical,
) {
    let Value::Object(table) = value else {
        return;
    };
    let mut rest = Map::new();
    for (name, terms) in table {
        match field_of(&name.to_ascii_lowercase()) {
            // After the file's own lists of the same field.
            Some((field, Kind::List, _)) => lists.push((field, usize::MAX, name, terms)),
            _ => {
                out.unknown.push(format!("{key}.{name}"));
                rest.insert(name, terms);
            }
        }
    }
    if !rest.is_empty() {
        out.extra.insert(key, Value::Object(rest));
    }
}

/// Adds one name's items to a list field. A string is split at commas (at
/// spaces in a Jekyll post, when it has no comma); a value of another type
/// is left for the reader to report.
fn add_list(out: &mut Canonical, field: &'static str, key: String, value: Value, jekyll: bool) {
    let items = match value {
        Value::Array(items) => items,
        Value::String(s) => split(&s, jekyll && matches!(field, "tags" | "categories")),
        Value::Null => Vec::new(),
        other => {
            out.origin.push((field, key));
            out.fields.insert(field.into(), other);
            return;
        }
    };
    if !out.origin.iter().any(|(f, _)| *f == field) {
        out.origin.push((field, key));
    }
    match out.fields.get_mut(field) {
        Some(Value::Array(have)) => have.extend(items),
        Some(_) => {}
        None => {
            out.fields.insert(field.into(), Value::Array(items));
        }
    }
}

fn split(s: &str, at_spaces: bool) -> Vec<Value> {
    let parts: Vec<&str> = if at_spaces && !s.contains(',') {
        s.split_whitespace().collect()
    } else {
        s.split(',').collect()
    };
    parts
        .into_iter()
        .map(|p| Value::String(p.to_string()))
        .collect()
}

/// Categories into the section and tags, as `[content] categories` says.
fn place_categories(out: &mut Canonical, how: Categories) {
    let Some(Value::Array(cats)) = out.fields.remove("categories") else {
        return;
    };
    let mut cats = cats.into_iter().filter(|c| match c {
        Value::String(s) => !s.trim().is_empty(),
        _ => true,
    });
    if how == Categories::Section && !out.fields.contains_key("section") {
        if let Some(first) = cats.next() {
            let written = out.written_as("categories").to_string();
            out.origin.push(("section", written));
            out.fields.insert("section".into(), first);
        }
    }
    let rest: Vec<Value> = cats.collect();
    if rest.is_empty() {
        return;
    }
    if !out.origin.iter().any(|(f, _)| *f == "tags") {
        let written = out.written_as("categories").to_string();
        out.origin.push(("tags", written));
    }
    match out.fields.get_mut("tags") {
        Some(Value::Array(tags)) => tags.extend(rest),
        Some(_) => {}
        None => {
            out.fields.insert("tags".into(), Value::Array(rest));
        }
    }
}

/// The front-matter keys no dialect defines, counted across an archive.
#[derive(Debug, Default)]
pub struct UnknownKeys<'a> {
    /// Key -> articles using it, and the first of them.
    keys: BTreeMap<&'a str, (usize, &'a Path)>,
}

impl<'a> UnknownKeys<'a> {
    pub fn add(&mut self, a: &'a Article) {
        for key in &a.unknown {
            self.keys.entry(key).or_insert((0, &a.source)).0 += 1;
        }
    }

    /// One warning per key, with the number of articles using it, at the
    /// first of them (in the order they were added).
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.keys
            .iter()
            .map(|(key, (count, first))| {
                let files = if *count == 1 { "file" } else { "files" };
                Diagnostic::warning(
                    first,
                    None,
                    format!(
                        "front-matter key `{}` ({count} {files}) is not one broadsheet reads: kept in article.extra for templates",
                        short_key(key)
                    ),
                )
            })
            .collect()
    }
}

/// A key as messages show it: a stray line of YAML can make a paragraph a
/// key, so at most 40 characters.
pub fn short_key(key: &str) -> std::borrow::Cow<'_, str> {
    match key.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &key[..i]).into(),
        None => key.into(),
    }
}

/// Whether an article's expiry date (Hugo's `expiryDate`) has passed at `now`.
pub fn expired(a: &Article, now: DateTime<FixedOffset>) -> bool {
    a.expires.is_some_and(|e| e <= now)
}

/// The warning for an expired article left out of a build.
pub fn expired_warning(a: &Article) -> Diagnostic {
    let when = a.expires.map(|e| e.to_rfc3339()).unwrap_or_default();
    Diagnostic::warning(
        &a.source,
        None,
        format!("expired on {when} (`expiryDate`): left out, as Hugo does; `--drafts` includes it"),
    )
}

#[cfg(test)]
mod tests;
