//! `site.toml`: the raw serde shape (`RawConfig`, unknown keys rejected) and the
//! validated `Config` the rest of the pipeline reads. Owns no I/O beyond `load`.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use crate::diag::{Diagnostic, line_col};

/// What to do with an article that has no date anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Undated {
    /// An undated article is an error (the default).
    #[default]
    Error,
    /// Undated articles get their own pages, listed under `/undated/`.
    Include,
}

/// How to read an ambiguous numeric date such as `02/03/2013`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// `02/03/2013` is 2 March (the default).
    #[default]
    DayFirst,
    /// `02/03/2013` is 3 February.
    MonthFirst,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    title: String,
    description: String,
    base_url: String,
    language: String,
    timezone: String,
    permalink: String,
    paginate_by: usize,
    theme: String,
    relative_urls: bool,
    content: ContentConfig,
    permalinks: std::collections::BTreeMap<String, String>,
    feeds: FeedConfig,
    publisher: PublisherConfig,
    sitemap: SitemapConfig,
    search: SearchConfig,
    images: ImagesConfig,
    deploy: crate::deploy::DeployConfig,
    extra: toml::Table,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            // The site's name, shown in every page header and feed.
            title: "An archive".into(),
            // One sentence about the site, for the home page's meta description.
            description: String::new(),
            // Absolute URL the site is published at; every absolute link starts with it.
            base_url: "http://127.0.0.1:1111".into(),
            // BCP 47 language tag, written to `<html lang>` and the feeds.
            language: "en".into(),
            // IANA zone that naive dates (without offset) are in.
            timezone: "UTC".into(),
            // URL pattern of article pages.
            permalink: "/:year/:month/:day/:slug/".into(),
            // Articles per list page.
            paginate_by: 20,
            // Folder name under themes/ (the built-in default needs no folder).
            theme: "default".into(),
            // Links and assets written relative to each page, so the output
            // opens from disk or a sub-folder; default false (site paths).
            relative_urls: false,
            content: ContentConfig::default(),
            // `[permalinks]`: URL patterns by section, over `permalink`.
            permalinks: std::collections::BTreeMap::new(),
            feeds: FeedConfig::default(),
            publisher: PublisherConfig::default(),
            sitemap: SitemapConfig::default(),
            search: SearchConfig::default(),
            images: ImagesConfig::default(),
            // `[deploy]`: targets and cache rules for `broadsheet deploy`.
            deploy: crate::deploy::DeployConfig::default(),
            extra: toml::Table::new(),
        }
    }
}

/// Where the categories of other generators' front matter go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Categories {
    /// The first category is the section when the file names none; the
    /// others are tags (the default).
    #[default]
    Section,
    /// Every category is a tag.
    Tags,
}

/// Where an article's slug comes from when its front matter names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SlugFrom {
    /// The file name (without a `YYYY-MM-DD-` prefix), as Jekyll, Hugo, Zola
    /// and Eleventy make URLs, unless the name says nothing (`001.txt`,
    /// `afp-2013-02-02-0123.txt`): then the headline (the default).
    #[default]
    File,
    /// Always the headline.
    Title,
}

/// `[content]`: which files are articles and how they are read.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContentConfig {
    /// Glob patterns (relative to content/) of files that are not articles. Default: none.
    pub ignore: Vec<String>,
    /// What to do with undated articles. Default: "error".
    pub undated: Undated,
    /// Reading of numeric dates in wire copy. Default: "day-first".
    pub date_order: DateOrder,
    /// Extra regular expressions of wire-copy boilerplate lines to cut. Default: none.
    pub boilerplate: Vec<String>,
    /// Regular expressions of a site's comments separator: the first body line of a text
    /// file one matches is cut with everything after it. Default: none.
    pub cut_after: Vec<String>,
    /// Hosts whose iframes (video players) are kept in saved HTML pages. Default: none.
    pub allow_iframes: Vec<String>,
    /// Where front-matter `categories` go. Default: "section".
    pub categories: Categories,
    /// Where slugs come from. Default: "file".
    pub slug_from: SlugFrom,
    /// Explicit front-matter URLs (`url`, `path`, `permalink`) stay the
    /// articles' URLs; `false` moves the articles to the permalink pattern
    /// and makes those URLs redirects. Default: true.
    pub keep_urls: bool,
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig {
            ignore: Vec::new(),
            undated: Undated::Error,
            date_order: DateOrder::DayFirst,
            boilerplate: Vec::new(),
            cut_after: Vec::new(),
            allow_iframes: Vec::new(),
            categories: Categories::Section,
            slug_from: SlugFrom::File,
            keep_urls: true,
        }
    }
}

/// `[feeds]`: Atom and RSS feeds.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// Entries per feed (newest first). Default: 50.
    pub limit: usize,
    /// Whole article bodies in feeds instead of summaries. Default: false.
    pub full_text: bool,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            limit: 50,
            full_text: false,
        }
    }
}

/// `[publisher]`: the organisation named in news metadata.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct PublisherConfig {
    /// Publisher name. Default: the site title.
    pub name: String,
    /// Absolute or site-relative URL of the publisher logo. Default: none.
    pub logo: String,
}

/// `[sitemap]`: sitemap splitting.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SitemapConfig {
    /// Most URLs in one sitemap file. Default: 50,000 (the protocol's limit).
    pub max_urls: usize,
}

impl Default for SitemapConfig {
    fn default() -> Self {
        SitemapConfig { max_urls: 50_000 }
    }
}

/// `[search]`: the static full-text index and the search page.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Write `search/` (the index and its client) and `/search/`, and show a
    /// search box on every page. Default: true.
    pub enabled: bool,
    /// Where the search form sends the query when the reader's browser
    /// runs no JavaScript (e.g. a web search restricted to the site).
    /// Default: none (the form says search needs JavaScript).
    pub fallback_url: String,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            fallback_url: String::new(),
        }
    }
}

/// `[images]`: the responsive variants and crops made of the photos
/// articles use.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ImagesConfig {
    /// Widths in pixels of the variants of each image (never wider than the
    /// image itself). Default: 480, 800, 1200, 1600.
    pub widths: Vec<u32>,
    /// JPEG quality of the variants, 1 to 100. Default: 82.
    pub quality: u8,
    /// WebP quality of the variants, 1 to 100. Default: 80.
    pub webp_quality: u8,
    /// Keep EXIF, GPS, XMP and IPTC metadata in the published original.
    /// Default: false (stripped: a source's location must not leak by accident).
    pub keep_metadata: bool,
    /// Width of the lead image's 16:9, 4:3 and 1:1 crops when the image is
    /// large enough (search engines ask for at least 1200). Default: 1200.
    pub crop_width: u32,
    /// The `sizes` attribute: how wide images show at each viewport width.
    /// Default: the default theme's column, `(max-width: 44rem) 100vw, 44rem`.
    pub sizes: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![480, 800, 1200, 1600],
            quality: 82,
            webp_quality: 80,
            keep_metadata: false,
            crop_width: 1200,
            sizes: "(max-width: 44rem) 100vw, 44rem".into(),
        }
    }
}

impl ImagesConfig {
    /// Checks the values; sorts the widths.
    fn validate(
        mut self,
        file: &Path,
        at: &dyn Fn(&str) -> Option<usize>,
    ) -> Result<Self, Diagnostic> {
        self.widths.sort_unstable();
        self.widths.dedup();
        if self.widths.is_empty() || self.widths.iter().any(|w| !(16..=8192).contains(w)) {
            return Err(Diagnostic::error(
                file,
                at("widths"),
                "images.widths must list widths between 16 and 8192 pixels",
            ));
        }
        for (key, q) in [
            ("quality", self.quality),
            ("webp_quality", self.webp_quality),
        ] {
            if !(1..=100).contains(&q) {
                return Err(Diagnostic::error(
                    file,
                    at(key),
                    format!("images.{key} must be between 1 and 100"),
                ));
            }
        }
        if !(16..=8192).contains(&self.crop_width) {
            return Err(Diagnostic::error(
                file,
                at("crop_width"),
                "images.crop_width must be between 16 and 8192 pixels",
            ));
        }
        Ok(self)
    }
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Without a trailing slash.
    pub base_url: String,
    pub language: String,
    pub timezone: Tz,
    pub permalink: String,
    /// `[permalinks]`: section slug -> URL pattern.
    pub permalinks: std::collections::BTreeMap<String, String>,
    pub paginate_by: usize,
    pub theme: String,
    /// Internal links and assets relative to each page (`relative_urls`).
    pub relative_urls: bool,
    pub content: ContentConfig,
    pub feeds: FeedConfig,
    pub publisher: PublisherConfig,
    pub sitemap: SitemapConfig,
    pub search: SearchConfig,
    pub images: ImagesConfig,
    pub deploy: crate::deploy::DeployConfig,
    pub extra: toml::Table,
    /// How wire copy is read: date order and boilerplate patterns, compiled once.
    pub wire: crate::ingest::WireOptions,
    /// Site furniture the archive pass learned from the files' heads and tails
    /// (`learn::furniture`); empty until it runs. Text files are read with it.
    pub furniture: std::sync::Arc<crate::ingest::Furniture>,
    /// Hash of the whole site.toml text: any change re-renders everything.
    pub fingerprint: [u8; 32],
    /// The site's own shortcodes (`templates/shortcodes/NAME.html`), set by
    /// the build once the theme is known; their templates are in `fingerprint`.
    pub shortcodes: Option<std::sync::Arc<dyn crate::shortcodes::SiteShortcodes>>,
    /// Problems that do not stop a build (placeholders left from `init`).
    pub warnings: Vec<Diagnostic>,
}

impl RawConfig {
    /// The values that must hold before a `Config` is made from them; `at`
    /// gives a key's line in site.toml.
    fn check(&self, at: impl Fn(&str) -> Option<usize>) -> Result<(), Diagnostic> {
        let file = Path::new("site.toml");
        if self.paginate_by == 0 {
            return Err(Diagnostic::error(
                file,
                at("paginate_by"),
                "paginate_by must be at least 1",
            ));
        }
        if self.sitemap.max_urls == 0 || self.sitemap.max_urls > 50_000 {
            return Err(Diagnostic::error(
                file,
                at("max_urls"),
                "sitemap.max_urls must be between 1 and 50000",
            ));
        }
        if self.feeds.limit == 0 {
            return Err(Diagnostic::error(
                file,
                at("limit"),
                "feeds.limit must be at least 1 (feeds are never unbounded)",
            ));
        }
        if self.theme.contains(['/', '\\']) || self.theme.starts_with('.') {
            return Err(Diagnostic::error(
                file,
                at("theme"),
                "theme must be a folder name under themes/",
            ));
        }
        let fallback = &self.search.fallback_url;
        if !(fallback.is_empty()
            || fallback.starts_with("http://")
            || fallback.starts_with("https://")
            || fallback.starts_with('/'))
        {
            return Err(Diagnostic::error(
                file,
                at("fallback_url"),
                "search.fallback_url must start with http://, https:// or /",
            ));
        }
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(Diagnostic::error(
                file,
                at("base_url"),
                "base_url must start with http:// or https://",
            ));
        }
        Ok(())
    }
}

impl Config {
    /// Reads `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join("site.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let message = match e.kind() {
                std::io::ErrorKind::NotFound => format!(
                    "no site here: {} does not exist (run `broadsheet init DIR` to make a site, or pass --root DIR)",
                    path.display()
                ),
                _ => format!("cannot read {}: {e}", path.display()),
            };
            Diagnostic::error(Path::new("site.toml"), None, message)
        })?;
        Config::parse(&text, root)
    }

    /// Parses and validates the text of a `site.toml`.
    pub fn parse(text: &str, root: &Path) -> Result<Config, Diagnostic> {
        let file = Path::new("site.toml");
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_col(text, s.start).0);
            Diagnostic::error(file, line, e.message().trim().to_string())
        })?;
        raw.check(|key| key_line(text, key))?;
        let RawConfig {
            title,
            description,
            base_url,
            language,
            timezone,
            permalink,
            paginate_by,
            theme,
            relative_urls,
            content,
            permalinks,
            feeds,
            publisher,
            sitemap,
            search,
            images,
            deploy,
            extra,
        } = raw;
        let at = |key: &str| key_line(text, key);
        let timezone: Tz = timezone.parse().map_err(|_| {
            Diagnostic::error(
                file,
                at("timezone"),
                format!("unknown time zone `{timezone}` (use an IANA name such as `Europe/Paris`)"),
            )
        })?;
        check_pattern(&permalink).map_err(|m| Diagnostic::error(file, at("permalink"), m))?;
        let mut by_section = std::collections::BTreeMap::new();
        for (section, pattern) in permalinks {
            check_pattern(&pattern).map_err(|m| {
                Diagnostic::error(file, at(&section), format!("[permalinks] {section}: {m}"))
            })?;
            by_section.insert(crate::slug::slugify(&section), pattern);
        }
        let images = images.validate(file, &at)?;
        let base_url = base_url.trim_end_matches('/').to_string();
        let order = match content.date_order {
            DateOrder::DayFirst => crate::ingest::DateOrder::DayFirst,
            DateOrder::MonthFirst => crate::ingest::DateOrder::MonthFirst,
        };
        let wire = crate::ingest::WireOptions::new(order, &content.boilerplate)
            .map_err(|e| Diagnostic::error(file, at("boilerplate"), e.to_string()))?
            .with_cut_after(&content.cut_after)
            .map_err(|e| Diagnostic::error(file, at("cut_after"), e.to_string()))?;
        let mut publisher = publisher;
        if publisher.name.is_empty() {
            publisher.name = title.clone();
        }
        let warnings = placeholder_warnings(text, &description, &publisher);
        Ok(Config {
            warnings,
            root: root.to_path_buf(),
            title,
            description,
            base_url,
            language,
            timezone,
            permalink,
            permalinks: by_section,
            paginate_by,
            theme,
            relative_urls,
            content,
            feeds,
            publisher,
            sitemap,
            search,
            images,
            deploy,
            extra,
            wire,
            furniture: std::sync::Arc::default(),
            fingerprint: *blake3::hash(text.as_bytes()).as_bytes(),
            shortcodes: None,
        })
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// An absolute URL for a site path that starts with `/`.
    pub fn absolute(&self, path: &str) -> String {
        // Without `format!`: made for every page of every build.
        let mut url = String::with_capacity(self.base_url.len() + path.len());
        url.push_str(&self.base_url);
        url.push_str(path);
        url
    }

    /// An absolute URL for a link found on the page at site path `page_url`:
    /// absolute URLs (with a scheme or `//`) stay, `/x` is under `base_url`,
    /// anything else (`photo.jpg`, `#note`) is relative to the page.
    pub fn resolve(&self, page_url: &str, href: &str) -> String {
        let has_scheme = href.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if has_scheme || href.starts_with("//") {
            href.to_string()
        } else if href.starts_with('/') {
            self.absolute(href)
        } else {
            format!("{}{href}", self.absolute(page_url))
        }
    }
}

/// What `broadsheet init` writes where the site must say something of its own.
pub const PLACEHOLDER: &str = "CHANGE ME";

/// Warnings for values still holding the placeholder `broadsheet init`
/// wrote (they would be published as they are).
fn placeholder_warnings(
    text: &str,
    description: &str,
    publisher: &PublisherConfig,
) -> Vec<Diagnostic> {
    [
        (
            "description",
            description,
            "the home page's meta description",
        ),
        (
            "name",
            publisher.name.as_str(),
            "the publisher in news metadata",
        ),
        ("logo", publisher.logo.as_str(), "the publisher's logo"),
    ]
    .into_iter()
    .filter(|(_, value, _)| value.trim_start().starts_with(PLACEHOLDER))
    .map(|(key, _, what)| {
        Diagnostic::warning(
            Path::new("site.toml"),
            key_line(text, key),
            format!(
                "`{key}` is still the placeholder `broadsheet init` wrote; replace it ({what})"
            ),
        )
    })
    .collect()
}

/// A permalink pattern must hold something of each article (`:slug` or
/// `:path`), start with `/` and end with `/` or `.html`.
fn check_pattern(pattern: &str) -> Result<(), String> {
    if !(pattern.contains(":slug") || pattern.contains(":path")) {
        return Err("permalink must contain `:slug` or `:path`".into());
    }
    if !(pattern.starts_with('/') && (pattern.ends_with('/') || pattern.ends_with(".html"))) {
        return Err("permalink must start with `/` and end with `/` or `.html`".into());
    }
    Ok(())
}

impl Config {
    /// The URL pattern of a section's articles: `[permalinks]`, else `permalink`.
    pub fn pattern_for(&self, section: &str) -> &str {
        if self.permalinks.is_empty() || section.is_empty() {
            return &self.permalink;
        }
        let slug = crate::slug::slugify(section);
        self.permalinks
            .get(&slug)
            .map_or(&self.permalink, String::as_str)
    }
}

/// The 1-based line of the first `key =` in a TOML text, for messages about values.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(text, Path::new("/site"))
    }

    #[test]
    fn an_empty_file_gives_the_documented_defaults() {
        let cfg = parse("").expect("empty config is valid");
        assert_eq!(cfg.permalink, "/:year/:month/:day/:slug/");
        assert_eq!(cfg.paginate_by, 20);
        assert_eq!(cfg.content.undated, Undated::Error);
        assert_eq!(cfg.feeds.limit, 50);
        assert_eq!(cfg.timezone, chrono_tz::UTC);
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let err = parse("title = \"x\"\n\n[content]\nignroe = []\n").unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(
            err.message.contains("unknown field `ignroe`"),
            "{}",
            err.message
        );
        assert!(
            err.to_string()
                .starts_with("site.toml:4: error: unknown field `ignroe`"),
            "{err}"
        );
    }

    #[test]
    fn placeholders_left_from_init_are_warnings_with_their_line() {
        let cfg = parse(
            "title = \"x\"\ndescription = \"CHANGE ME: say it\"\n[publisher]\nname = \"CHANGE ME\"\n",
        )
        .expect("valid");
        let shown: Vec<String> = cfg.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "site.toml:2: warning: `description` is still the placeholder `broadsheet init` wrote; replace it (the home page's meta description)",
                "site.toml:4: warning: `name` is still the placeholder `broadsheet init` wrote; replace it (the publisher in news metadata)",
            ]
        );
        assert!(
            parse("description = \"A real one\"")
                .expect("valid")
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn time_zones_are_checked() {
        let err = parse("title = \"x\"\ntimezone = \"Mars/Olympus\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "site.toml:2: error: unknown time zone `Mars/Olympus` (use an IANA name such as `Europe/Paris`)"
        );
    }

    #[test]
    fn bad_boilerplate_patterns_are_errors_at_their_line() {
        let err = parse("[content]\nboilerplate = [\"/(unclosed/\"]\n").unwrap_err();
        assert!(err.to_string().starts_with("site.toml:2: error: boilerplate pattern `/(unclosed/` is not a valid regular expression"), "{err}");
    }

    #[test]
    fn bad_cut_after_patterns_are_errors_at_their_line() {
        let err =
            parse("[content]\nundated = \"include\"\ncut_after = [\"^ok$\", \"(unclosed\"]\n")
                .unwrap_err();
        assert!(err.to_string().starts_with("site.toml:3: error: cut_after pattern `(unclosed` is not a valid regular expression"), "{err}");
        let cfg = parse("[content]\ncut_after = [\"^=+ Talk back =+$\"]\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg.wire.cut_after.len(), 1);
    }

    #[test]
    fn base_url_loses_its_trailing_slash() {
        let cfg = parse("base_url = \"https://news.example/\"").expect("valid");
        assert_eq!(cfg.absolute("/tags/"), "https://news.example/tags/");
    }

    #[test]
    fn a_search_fallback_must_be_a_url() {
        let err = parse("[search]\nfallback_url = \"javascript:alert(1)\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "site.toml:2: error: search.fallback_url must start with http://, https:// or /"
        );
        assert!(parse("").expect("defaults").search.enabled);
    }

    #[test]
    fn feeds_are_never_unbounded() {
        let err = parse("[feeds]\nlimit = 0\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "site.toml:2: error: feeds.limit must be at least 1 (feeds are never unbounded)"
        );
    }

    #[test]
    fn links_resolve_against_the_page_and_the_site() {
        let cfg = parse("base_url = \"https://news.example\"").expect("valid");
        let page = "/2013/02/02/lavrov/";
        assert_eq!(
            cfg.resolve(page, "photo.jpg"),
            "https://news.example/2013/02/02/lavrov/photo.jpg"
        );
        assert_eq!(
            cfg.resolve(page, "/img/a.png"),
            "https://news.example/img/a.png"
        );
        assert_eq!(
            cfg.resolve(page, "#fn-1"),
            "https://news.example/2013/02/02/lavrov/#fn-1"
        );
        for kept in [
            "https://cdn.example/a.jpg",
            "//cdn.example/a.jpg",
            "mailto:x@y.z",
        ] {
            assert_eq!(cfg.resolve(page, kept), kept);
        }
    }
}
