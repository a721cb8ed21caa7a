//! One input file to one `Article`: its metadata for the archive index, and on
//! demand its body as HTML. Dates become chrono types here and only here. No file
//! I/O: callers pass the bytes.

pub mod dates;
mod debris;
pub mod dialect;
pub mod frontmatter;
mod html;
pub mod markdown;
pub mod media;
pub mod permalink;
pub mod sitepath;
pub use crate::slug;
mod wire;

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveTime};
use serde_json::{Map, Value};

use crate::config::{Config, SlugFrom};
use crate::diag::Diagnostic;
use crate::escape::html as escape;
use crate::source::{Format, SourceFile};

/// Where an article's date came from (shown in the ingest report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    FrontMatter,
    FileName,
    Path,
    DateLine,
    /// The start of an explicit URL (`path = "2019/03/04/story"`).
    Url,
    /// The page's own markup (JSON-LD, meta, `<time>`...) of a saved HTML page.
    Page,
    None,
}

/// Everything the archive index and list pages need about an article; no body.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Article {
    /// Relative to the site root, e.g. `content/2013/02/lavrov.txt`.
    pub source: std::path::PathBuf,
    pub format: Format,
    pub title: String,
    pub slug: String,
    /// True when the slug was set in front matter (clashes are then errors).
    pub explicit_slug: bool,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub date_source: DateSource,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub section: String,
    /// Summary as HTML (escaped for wire copy).
    pub summary: String,
    /// Summary as plain text, for meta descriptions.
    pub description: String,
    pub draft: bool,
    pub aliases: Vec<String>,
    /// The URL the file claims (Hugo's `url`, Zola's `path`, Jekyll's and
    /// Eleventy's `permalink`), checked: a site path starting with `/`.
    pub url: Option<String>,
    pub dateline: Option<String>,
    pub credit: Option<String>,
    /// The agency behind a wire story (AFP, Reuters, ...).
    pub agency: Option<String>,
    pub image: Option<String>,
    /// The lead image's alt text, caption, credit and focus (`image_*`).
    pub image_meta: Option<Box<media::ImageMeta>>,
    /// Files beside the article that it uses (images, linked files, the
    /// lead image), by paths relative to its source file.
    pub media: Vec<media::MediaRef>,
    pub extra: Map<String, Value>,
    /// Front-matter keys kept in `extra` that no dialect defines (reported
    /// once per key across the archive).
    pub unknown: Vec<String>,
    /// Hugo's `expiryDate`: from then on the article is left out.
    pub expires: Option<DateTime<FixedOffset>>,
    pub word_count: usize,
    /// Other articles this one links to by source (`{{< ref "x" >}}`), as
    /// written; the archive finds their URLs.
    pub refs: Vec<String>,
    /// XXH3-128 of the source bytes (`digest::hash16`), for incremental builds.
    pub hash: [u8; 16],
}

/// The result of reading one file: an article unless an error stopped it, and
/// every problem found.
#[derive(Debug)]
pub struct Parsed {
    pub article: Option<Article>,
    pub diagnostics: Vec<Diagnostic>,
    /// What ingestion found and did, for `check --ingest`.
    pub notes: Notes,
    /// The body as HTML, when asked for and there is an article.
    pub body: Option<String>,
}

/// How a file was read: its encoding, header style, and what was changed or cut.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Notes {
    pub encoding: &'static str,
    /// `toml`, `yaml`, `key-value` (Pelican), `wire` or `none`.
    pub header: &'static str,
    /// Encoding fixes (`decoded as Windows-1252`, `repaired 3 mojibake sequences`).
    pub fixes: Vec<String>,
    /// Boilerplate cut from wire copy, with its lines.
    pub cut: Vec<String>,
    /// Paragraphs of wire copy (the body's blank-line structure).
    pub paragraphs: Option<usize>,
    /// For text files, the line each field was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<FieldLines>,
    /// The deck (standfirst) under a text file's headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deck: Option<String>,
    /// Site furniture lines cut from a text file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<String>,
    /// Template tags in the body: translated, or left as text (`shortcodes`).
    pub template_tags: Vec<crate::shortcodes::Finding>,
    /// HTML pages: where each field was found (`headline: json-ld`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub sources: std::collections::BTreeMap<&'static str, &'static str>,
    /// HTML pages: what looks doubtful about the extraction.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
    /// Why a file that was read is not an article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// HTML pages: the story as plain text (shown by `check --ingest --text`).
    #[serde(skip)]
    pub text: Option<String>,
}

/// The 1-based line each field of a text file came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldLines {
    pub headline: Option<usize>,
    pub deck: Option<usize>,
    pub date: Option<usize>,
    pub updated: Option<usize>,
    pub byline: Option<usize>,
    pub dateline: Option<usize>,
}

/// The hash of a source file's bytes.
pub fn source_hash(bytes: &[u8]) -> [u8; 16] {
    crate::digest::hash16(bytes)
}

/// What an `Article` carries as its hash (and the parse cache compares): the hash of
/// its bytes, and for a text file in a group with site furniture, of that furniture too,
/// since its reading depends on it.
pub fn input_hash(content_path: &str, format: Format, source: [u8; 16], cfg: &Config) -> [u8; 16] {
    let furniture = cfg.furniture.for_path(content_path);
    if format != Format::Wire || furniture.is_empty() {
        return source;
    }
    let mut both = [0u8; 32];
    both[..16].copy_from_slice(&source);
    both[16..].copy_from_slice(&furniture.digest());
    crate::digest::hash16(&both)
}

/// Reads one source file's bytes into an `Article`.
pub fn parse(file: &SourceFile, bytes: &[u8], cfg: &Config) -> Parsed {
    let hash = input_hash(&file.content_path, file.format, source_hash(bytes), cfg);
    parse_hashed(file, bytes, hash, cfg, false)
}

/// `parse`, for a caller that has hashed the bytes already (`input_hash`).
/// `with_body` also renders the body (`Parsed::body`), in the same pass over a
/// Markdown body as the summary and the word count.
pub fn parse_hashed(
    file: &SourceFile,
    bytes: &[u8],
    hash: [u8; 16],
    cfg: &Config,
    with_body: bool,
) -> Parsed {
    if file.format == Format::Html {
        return html::parse(file, bytes, hash, cfg, with_body);
    }
    let mut diags = Vec::new();
    let mut notes = Notes::default();
    let text = decode(file, bytes, &mut diags, &mut notes);
    let mut body = None;
    let body_out = with_body.then_some(&mut body);
    let article = match file.format {
        Format::Markdown => {
            markdown_article(file, &text, cfg, hash, body_out, &mut diags, &mut notes)
        }
        Format::Wire => Some(wire::article(
            file, &text, cfg, hash, body_out, &mut diags, &mut notes,
        )),
        Format::Html => None,
    };
    let article = article.and_then(|a| finish_dates(file, a, cfg, &mut diags));
    let failed = diags.iter().any(Diagnostic::is_error);
    let article = if failed { None } else { article };
    Parsed {
        body: body.filter(|_| article.is_some()),
        article,
        diagnostics: diags,
        notes,
    }
}

/// The body of a parsed article as plain text: an HTML page's extracted
/// story, else the rendered body without its tags.
pub fn plain_text(parsed: &Parsed) -> Option<String> {
    parsed.article.as_ref()?;
    parsed
        .notes
        .text
        .clone()
        .or_else(|| parsed.body.as_deref().map(markdown::strip_tags))
}

/// The body of an article as HTML, from the same bytes `parse` read.
pub fn body_html(file: &SourceFile, bytes: &[u8], cfg: &Config) -> String {
    if file.format == Format::Html {
        return html::body_html(file, bytes, cfg);
    }
    let text = decode(file, bytes, &mut Vec::new(), &mut Notes::default());
    match file.format {
        Format::Markdown => {
            // Only archived articles are rendered: their front matter parsed
            // before, so the fences alone find the body.
            let body = match frontmatter::body_offset(&text) {
                Some(offset) => &text[offset..],
                None => match crate::ingest::parse_key_value_header(&text) {
                    Some(h) => &text[h.body_offset..],
                    None => &text[..],
                },
            };
            let fields = || match Header::read(&text, &mut Notes::default()) {
                Ok(header) => header.fields(),
                Err(_) => Map::new(),
            };
            markdown::to_html(&debris::translate(body, 1, fields, cfg).0)
        }
        Format::Wire => wire::body_html(file, &text, cfg),
        Format::Html => String::new(),
    }
}

/// Bytes to text (see `ingest::decode`); every fix a reader could notice is a
/// warning naming the file.
fn decode(
    file: &SourceFile,
    bytes: &[u8],
    diags: &mut Vec<Diagnostic>,
    notes: &mut Notes,
) -> String {
    let decoded = crate::ingest::decode(bytes);
    notes.encoding = decoded.encoding.name();
    for fix in &decoded.fixes {
        notes.fixes.push(fix.to_string());
        if fix.is_warning() {
            let line = match fix {
                crate::ingest::TextFix::DecodedAs(_) => first_bad_utf8_line(bytes),
                _ => None,
            };
            diags.push(Diagnostic::warning(
                &file.rel_path,
                line,
                format!("text is not clean UTF-8: {fix}"),
            ));
        }
    }
    decoded.text
}

/// The line of the first byte that is not valid UTF-8.
fn first_bad_utf8_line(bytes: &[u8]) -> Option<usize> {
    let valid = std::str::from_utf8(bytes).err()?.valid_up_to();
    Some(bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1)
}

fn markdown_article(
    file: &SourceFile,
    text: &str,
    cfg: &Config,
    hash: [u8; 16],
    body_html: Option<&mut Option<String>>,
    diags: &mut Vec<Diagnostic>,
    notes: &mut Notes,
) -> Option<Article> {
    let header = match Header::read(text, notes) {
        Ok(h) => h,
        Err(e) => {
            diags.push(Diagnostic::error(&file.rel_path, e.line, e.message));
            return None;
        }
    };
    let read = read_front_matter(&header, file, cfg, diags);
    let Meta {
        title,
        date,
        updated,
        expires,
        slug: slug_text,
        tags,
        authors,
        section,
        summary,
        draft,
        aliases,
        dateline,
        credit,
        image,
        url,
    } = read.meta;
    let (slug, explicit_slug) = resolve_slug(
        file,
        slug_text.as_deref(),
        &title,
        cfg.content.slug_from,
        diags,
        read.slug_line,
    );
    let body_line = debris::line_at(text, text.len() - header.body.len());
    let (body, found) = debris::translate(header.body, body_line, || header.fields(), cfg);
    diags.extend(debris::warnings(file, &found));
    notes.template_tags = found;
    let refs = debris::ref_paths(&body);
    let (auto_summary, word_count, body_refs) = gist(&body, body_html);
    let lead_alt = read.image_meta.as_ref().is_some_and(|m| m.alt.is_some());
    let lead = image.as_ref().map(|i| (i, lead_alt));
    let media = media_refs(file, (&body, body_line, &body_refs), lead, diags);
    let summary_html = match summary.as_deref() {
        Some(s) => format!("<p>{}</p>", escape(s.trim())),
        None => auto_summary,
    };
    let description = markdown::strip_tags(&summary_html);
    Some(Article {
        source: file.rel_path.clone(),
        format: Format::Markdown,
        title,
        slug,
        explicit_slug,
        date,
        updated,
        date_source: if date.is_some() {
            DateSource::FrontMatter
        } else {
            DateSource::None
        },
        tags,
        authors,
        section: section.unwrap_or_else(|| default_section(&file.content_path)),
        summary: summary_html,
        description,
        draft,
        aliases,
        url,
        dateline,
        credit,
        agency: None,
        image: image.map(|(i, _)| i),
        image_meta: read.image_meta.map(Box::new),
        media,
        extra: read.extra,
        unknown: read.unknown,
        expires,
        word_count,
        refs,
        hash,
    })
}

/// The header of a Markdown file: TOML or YAML front matter, else a Pelican
/// `Key: value` block, else none; and the body after it.
struct Header<'t> {
    fm: Option<frontmatter::FrontMatter<'t>>,
    pelican: Option<crate::ingest::KeyValueHeader>,
    body: &'t str,
}

impl<'t> Header<'t> {
    fn read(text: &'t str, notes: &mut Notes) -> Result<Header<'t>, frontmatter::FrontMatterError> {
        let fm = frontmatter::parse(text)?;
        let pelican = if fm.is_none() {
            crate::ingest::parse_key_value_header(text)
        } else {
            None
        };
        let (header, body) = match (&fm, &pelican) {
            (Some(fm), _) if text.starts_with("+++") => ("toml", &text[fm.body_offset..]),
            (Some(fm), _) => ("yaml", &text[fm.body_offset..]),
            (None, Some(h)) => ("key-value", &text[h.body_offset..]),
            (None, None) => ("none", text),
        };
        notes.header = header;
        Ok(Header { fm, pelican, body })
    }

    /// The fields as written (Pelican's names mapped onto front-matter ones).
    fn fields(&self) -> Map<String, Value> {
        match (&self.fm, &self.pelican) {
            (Some(fm), _) => fm.fields.clone(),
            (None, Some(h)) => key_value_fields(h),
            (None, None) => Map::new(),
        }
    }

    /// The line in the file where `key` (as written) is set.
    fn line_of(&self, key: &str) -> Option<usize> {
        match (&self.fm, &self.pelican) {
            (Some(f), _) => f.line_of(key),
            (None, Some(h)) => h
                .fields
                .iter()
                .find(|f| key_value_name(&f.key) == key)
                .map(|f| f.line),
            _ => None,
        }
    }
}

/// An explicit URL checked (`sitepath`) into an article URL. A template
/// (Eleventy's `{{ page.fileSlug }}`) is not evaluated: a warning, and the
/// site's pattern gives the URL.
fn explicit_url(
    raw: &str,
    name: &str,
    line: Option<usize>,
    file: &SourceFile,
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if raw.contains("{{") || raw.contains("{%") {
        diags.push(Diagnostic::warning(
            &file.rel_path,
            line,
            format!("`{name}` `{raw}` is a template, which broadsheet does not evaluate: the permalink pattern gives the URL (the value is kept in article.extra)"),
        ));
        return None;
    }
    let noun = sitepath::Noun {
        name,
        with_article: "a URL",
    };
    match sitepath::check(raw, &cfg.base_url, noun) {
        Ok((path, _)) => Some(sitepath::article_url(&path)),
        Err(msg) => {
            diags.push(Diagnostic::error(&file.rel_path, line, msg));
            None
        }
    }
}

/// What the front matter gave, in canonical form.
struct FrontMatterRead {
    meta: Meta,
    /// The lead image's `image_*` fields, when any is set.
    image_meta: Option<media::ImageMeta>,
    extra: Map<String, Value>,
    unknown: Vec<String>,
    slug_line: Option<usize>,
}

/// Maps the header's dialect onto canonical fields (`dialect`) and reads them.
fn read_front_matter(
    header: &Header,
    file: &SourceFile,
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
) -> FrontMatterRead {
    let cx = dialect::Context {
        content_path: &file.content_path,
        categories: cfg.content.categories,
    };
    let mut canon = dialect::canonical(header.fields(), &cx);
    let map = std::mem::take(&mut canon.fields);
    let mut extra = std::mem::take(&mut canon.extra);
    let unknown = std::mem::take(&mut canon.unknown);
    let line_of = |field: &str| header.line_of(canon.written_as(field));
    let names = |field: &str| canon.written_as(field).to_string();
    let mut fields = Fields {
        map,
        file,
        line_of: &line_of,
        names: &names,
        diags,
    };
    let mut meta = Meta::read(&mut fields, cfg);
    let image_meta = read_image_meta(&mut fields);
    // Every canonical field was taken; anything left is kept too.
    extra.extend(fields.map);
    if let Some(raw) = meta.url.take() {
        let (name, line) = (canon.written_as("url"), line_of("url"));
        meta.url = explicit_url(&raw, name, line, file, cfg, diags);
        if meta.url.is_none() {
            extra.insert(name.to_string(), Value::String(raw));
        }
    }
    FrontMatterRead {
        meta,
        image_meta: image_meta.filter(|m| !m.is_empty()),
        // Built by inserting (the reader's map, which had every field
        // removed, is empty), so no spare B-tree node stays in the index.
        extra,
        unknown,
        slug_line: line_of("slug"),
    }
}

/// Pelican's `Key: value` names mapped onto front-matter names.
fn key_value_name(key: &str) -> &str {
    match key {
        "category" => "section",
        "author" => "authors",
        "modified" => "updated",
        other => other,
    }
}

/// A Pelican header as a front-matter map: lists split on commas.
fn key_value_fields(h: &crate::ingest::KeyValueHeader) -> Map<String, Value> {
    let mut map = Map::new();
    for f in &h.fields {
        let name = key_value_name(&f.key).to_string();
        let value = match name.as_str() {
            "tags" | "authors" => Value::Array(
                crate::ingest::pelican::split_list(&f.value)
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            ),
            _ => Value::String(f.value.clone()),
        };
        map.insert(name, value);
    }
    map
}

/// A slug from front matter (checked), else from the file name, else from
/// the headline (made). The file name is the slug when it names the article
/// (`slug::names_the_article`), when it is a bundle's folder (`slug/index.md`),
/// and for a Markdown post named `YYYY-MM-DD-name` with a letter in its name:
/// generators publish such a post at its name whatever words it uses
/// (`2020-03-10-ask-18f-po-vs-cor.md`).
fn resolve_slug(
    file: &SourceFile,
    explicit: Option<&str>,
    title: &str,
    from: SlugFrom,
    diags: &mut Vec<Diagnostic>,
    line: Option<usize>,
) -> (String, bool) {
    if let Some(s) = explicit {
        match slug::check_explicit(s) {
            Ok(s) => return (s, true),
            Err(msg) => diags.push(Diagnostic::error(&file.rel_path, line, msg)),
        }
        return (String::new(), true);
    }
    let name = file_slug_name(&file.content_path);
    let use_name = match from {
        SlugFrom::File => name_gives_slug(&file.content_path, file.format),
        SlugFrom::Title => Path::new(&file.content_path).file_stem() == Some("index".as_ref()),
    };
    let mut slug = if use_name {
        slug::slugify_name(name)
    } else {
        slug::slugify(title)
    };
    if slug.is_empty() {
        slug = slug::slugify_name(name);
    }
    if slug.is_empty() {
        slug = "article".into();
    }
    (slug, false)
}

/// Whether a file's name is its slug under `slug_from = "file"`: a bundle's
/// folder, a Markdown file named `YYYY-MM-DD-name` with a letter in the
/// name, or a name that names the article (`slug::names_the_article`).
pub fn name_gives_slug(content_path: &str, format: Format) -> bool {
    let name = file_slug_name(content_path);
    let file_name = content_path.rsplit('/').next().unwrap_or("");
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let generator_post = format == Format::Markdown
        && dates::date_from_file_name(stem).is_some()
        && name.chars().any(char::is_alphabetic);
    stem == "index" || generator_post || slug::names_the_article(name)
}

/// The name a file gives its article: its stem, or the folder of a
/// `name/index.md` bundle, without a `YYYY-MM-DD-` prefix.
pub fn file_slug_name(content_path: &str) -> &str {
    let mut parts = content_path.rsplit('/');
    let file = parts.next().unwrap_or("");
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let stem = match (stem, parts.next()) {
        ("index", Some(folder)) => folder,
        _ => stem,
    };
    dates::date_from_file_name(stem).map_or(stem, |(_, rest)| rest)
}

/// The first folder under content/, or "" for files at its top. Folders
/// named `_x` (Jekyll's `_posts`, `_drafts`) are not sections.
fn default_section(content_path: &str) -> String {
    let Some((dirs, _)) = content_path.rsplit_once('/') else {
        return String::new();
    };
    match dirs.split('/').find(|d| !d.starts_with('_')) {
        Some(first) if !first.chars().all(|c| c.is_ascii_digit()) => first.to_string(),
        _ => String::new(),
    }
}

/// Fills a missing date from the file name or a `YYYY/MM/DD` path, and rejects
/// undated articles unless the site includes them.
fn finish_dates(
    file: &SourceFile,
    mut a: Article,
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<Article> {
    if a.date.is_none() {
        let name = Path::new(&file.content_path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let from_name = dates::date_from_file_name(&name).map(|(d, _)| (d, DateSource::FileName));
        let from_url = || {
            let url = a.url.as_deref()?;
            dates::date_from_path(url).map(|d| (d, DateSource::Url))
        };
        if let Some((day, source)) = from_name
            .or_else(from_url)
            .or_else(|| dates::date_from_path(&file.content_path).map(|d| (d, DateSource::Path)))
        {
            a.date = dates::local(day.and_time(NaiveTime::MIN), cfg.timezone);
            a.date_source = source;
        }
    }
    // A date that was there but unreadable has been reported already.
    let reported = diags.iter().any(Diagnostic::is_error);
    // A draft needs no date until it is published.
    let undated_error = cfg.content.undated == crate::config::Undated::Error && !a.draft;
    if a.date.is_none() && undated_error && !reported {
        let how = match file.format {
            Format::Wire => "its header has no date line",
            _ => "add `date` to the front matter",
        };
        diags.push(Diagnostic::error(
            &file.rel_path,
            None,
            format!("no date: {how}; a YYYY-MM-DD- file name prefix also gives one, or set `[content] undated = \"include\"` to publish undated articles"),
        ));
        return None;
    }
    Some(a)
}

/// The canonical fields of one front matter, typed.
struct Meta {
    title: String,
    date: Option<DateTime<FixedOffset>>,
    updated: Option<DateTime<FixedOffset>>,
    expires: Option<DateTime<FixedOffset>>,
    slug: Option<String>,
    tags: Vec<String>,
    authors: Vec<String>,
    section: Option<String>,
    summary: Option<String>,
    draft: bool,
    aliases: Vec<String>,
    dateline: Option<String>,
    credit: Option<String>,
    /// The lead image and the line of its key.
    image: Option<(String, Option<usize>)>,
    url: Option<String>,
}

impl Meta {
    /// Takes every canonical field out of `f` (a wrong type or an unreadable
    /// date is an error at its line).
    fn read(f: &mut Fields<'_, '_>, cfg: &Config) -> Meta {
        let title = match f.string("title") {
            Some(t) => t.trim().to_string(),
            None => {
                let d =
                    Diagnostic::error(&f.file.rel_path, Some(1), "missing `title` in front matter");
                f.diags.push(d);
                String::new()
            }
        };
        let mut tags = f.list("tags");
        dedupe_by_slug(&mut tags);
        Meta {
            title,
            date: f.date("date", cfg),
            updated: f.date("updated", cfg),
            expires: f.date("expires", cfg),
            slug: f.string("slug"),
            tags,
            authors: f.list("authors"),
            section: f.string("section"),
            summary: f.string("summary"),
            draft: f.boolean("draft"),
            aliases: f.list("aliases"),
            dateline: f.string("dateline"),
            credit: f.string("credit"),
            image: f
                .string("image")
                .filter(|i| !i.trim().is_empty())
                .map(|i| (i.trim().to_string(), (f.line_of)("image"))),
            url: f.string("url"),
        }
    }
}

/// The `image_*` fields: alt, caption, HTML caption (sanitised), credit, focus.
fn read_image_meta(f: &mut Fields<'_, '_>) -> Option<media::ImageMeta> {
    let text = |f: &mut Fields<'_, '_>, key| {
        f.string(key)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let focus = match text(f, "image_focus") {
        Some(raw) => match media::parse_focus(&raw) {
            Ok(p) => Some(p),
            Err(msg) => {
                let line = (f.line_of)("image_focus");
                f.diags.push(Diagnostic::error(&f.file.rel_path, line, msg));
                None
            }
        },
        None => None,
    };
    Some(media::ImageMeta {
        alt: text(f, "image_alt"),
        caption: text(f, "image_caption"),
        figcaption_html: text(f, "image_figcaption").map(|h| media::sanitize_caption(&h)),
        credit: text(f, "image_credit"),
        focus,
    })
}

/// The summary, word count and references of a body, and its HTML when asked.
fn gist(
    body: &str,
    body_html: Option<&mut Option<String>>,
) -> (String, usize, Vec<markdown::BodyRef>) {
    match body_html {
        Some(out) => {
            let r = markdown::render(body);
            *out = Some(r.html);
            (r.summary, r.words, r.refs)
        }
        None => markdown::gist(body),
    }
}

/// The files a Markdown article uses, from its body's images and links and
/// its front matter's `image`; an image without alt text is a warning.
fn media_refs(
    file: &SourceFile,
    (body, body_line, refs): (&str, usize, &[markdown::BodyRef]),
    lead: Option<(&(String, Option<usize>), bool)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<media::MediaRef> {
    let mut out = Vec::new();
    if let Some(((image, line), has_alt)) = lead {
        if let Some(target) = media::local_target(image) {
            if !has_alt {
                diags.push(Diagnostic::warning(
                    &file.rel_path,
                    *line,
                    format!(
                        "lead image `{target}` has no `image_alt`: say what it shows, for readers who cannot see it"
                    ),
                ));
            }
            out.push(media::MediaRef {
                target,
                line: line.unwrap_or(1) as u32,
                kind: media::MediaKind::Lead,
            });
        }
    }
    for r in refs {
        let before = &body.as_bytes()[..r.offset.min(body.len())];
        let line = body_line + memchr::memchr_iter(b'\n', before).count();
        if r.no_alt {
            diags.push(Diagnostic::warning(
                &file.rel_path,
                Some(line),
                format!(
                    "image `{}` has no alt text: say what it shows in `![...]({})`, for readers who cannot see it",
                    r.href, r.href
                ),
            ));
        }
        let Some(target) = media::local_target(&r.href) else {
            continue;
        };
        if r.kind == media::MediaKind::Link && !media::links_a_file(&target) {
            continue;
        }
        out.push(media::MediaRef {
            target,
            line: line as u32,
            kind: r.kind,
        });
    }
    out.shrink_to_fit();
    out
}

/// Drops a name whose slug an earlier one has (`News` after `news`).
fn dedupe_by_slug(names: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(slug::slugify(n)));
}

/// Typed access to front-matter fields; a wrong type is an error at the key's line.
struct Fields<'a, 'f> {
    map: Map<String, Value>,
    file: &'a SourceFile,
    line_of: &'a dyn Fn(&str) -> Option<usize>,
    /// The name a canonical field was written under, for messages.
    names: &'a dyn Fn(&str) -> String,
    diags: &'f mut Vec<Diagnostic>,
}

impl Fields<'_, '_> {
    fn wrong(&mut self, key: &str, expected: &str) {
        let line = (self.line_of)(key);
        self.diags.push(Diagnostic::error(
            &self.file.rel_path,
            line,
            format!("`{}` must be {expected}", (self.names)(key)),
        ));
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.map.remove(key)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            _ => {
                self.wrong(key, "a string");
                None
            }
        }
    }

    fn list(&mut self, key: &str) -> Vec<String> {
        let value = match self.map.remove(key) {
            Some(v) => v,
            None => return Vec::new(),
        };
        let items = match value {
            Value::Array(items) => items,
            Value::String(s) => s.split(',').map(|p| Value::String(p.to_string())).collect(),
            Value::Null => Vec::new(),
            _ => {
                self.wrong(key, "a list of strings");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                Value::String(_) | Value::Null => {}
                Value::Number(n) => out.push(n.to_string()),
                _ => self.wrong(key, "a list of strings"),
            }
        }
        // The list lives in the archive index for the whole build.
        out.shrink_to_fit();
        out
    }

    fn boolean(&mut self, key: &str) -> bool {
        match self.map.remove(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => b,
            Some(_) => {
                self.wrong(key, "true or false");
                false
            }
        }
    }

    fn date(&mut self, key: &str, cfg: &Config) -> Option<DateTime<FixedOffset>> {
        let text = self.string(key)?;
        match dates::parse_date(&text, cfg.timezone) {
            Ok(d) => Some(d),
            Err(msg) => {
                let line = (self.line_of)(key);
                self.diags.push(Diagnostic::error(
                    &self.file.rel_path,
                    line,
                    format!("`{}`: {msg}", (self.names)(key)),
                ));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
