//! Finds templates and static files: the built-in default theme, then
//! `themes/<name>/`, then the site's own `templates/` and `static/`, later ones
//! overriding earlier ones file by file. Reads files; renders nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::Diagnostic;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, compiled into the binary so a site without a
/// themes/ folder builds.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded![
    "base.html",
    "article.html",
    "home.html",
    "list.html",
    "term.html",
    "terms.html",
    "period.html",
    "archive.html",
    "404.html",
    "search.html",
    "partials/article_list.html",
    "partials/card.html",
    "partials/pagination.html",
    "partials/search-box.html",
    "partials/feeds.html",
    "partials/lead.html",
    "partials/image.html",
    "partials/calendar.html",
    "partials/archive_header.html",
    "on_this_day.html",
];

const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "favicon.ico",
        include_bytes!("../themes/default/static/favicon.ico"),
    ),
];

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// Every template (name -> text, with the file it came from) and static file.
#[derive(Debug, Default)]
pub struct ThemeFiles {
    pub templates: BTreeMap<String, (String, PathBuf)>,
    /// Output path -> bytes. Stylesheets and scripts are here twice: under
    /// their own name and under their fingerprinted one (see `assets`).
    pub statics: BTreeMap<String, StaticSource>,
    /// Stylesheet and script name -> the site path of its fingerprinted copy
    /// (`style.css` -> `/style.0123456789abcdef.css`), which templates link to
    /// (`assets["style.css"]`): its name changes whenever its bytes do, so a
    /// CDN or browser can keep it for a year.
    pub assets: BTreeMap<String, String>,
}

impl StaticSource {
    /// The file's bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            StaticSource::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            StaticSource::File(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        }
    }
}

/// Collects the theme layers for a site.
pub fn collect(cfg: &Config) -> Result<ThemeFiles, Diagnostic> {
    let mut files = ThemeFiles::default();
    for (name, text) in DEFAULT_TEMPLATES {
        files.templates.insert(
            (*name).to_string(),
            (
                (*text).to_string(),
                PathBuf::from("<built-in default theme>"),
            ),
        );
    }
    for (name, bytes) in DEFAULT_STATIC {
        files
            .statics
            .insert((*name).to_string(), StaticSource::Embedded(bytes));
    }
    let theme_dir = cfg.root.join("themes").join(&cfg.theme);
    if cfg.theme != "default" && !theme_dir.is_dir() {
        return Err(Diagnostic::error(
            Path::new("site.toml"),
            None,
            format!("theme `{}` not found at themes/{}/", cfg.theme, cfg.theme),
        ));
    }
    for dir in [theme_dir, cfg.root.clone()] {
        for (name, path) in walk(&cfg.root, &dir.join("templates"))? {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::error(
                    &rel(&cfg.root, &path),
                    None,
                    format!("cannot read template: {e}"),
                )
            })?;
            files.templates.insert(name, (text, rel(&cfg.root, &path)));
        }
        for (name, path) in walk(&cfg.root, &dir.join("static"))? {
            files.statics.insert(name, StaticSource::File(path));
        }
    }
    fingerprint_assets(&mut files, &cfg.root)?;
    Ok(files)
}

/// Adds a fingerprinted copy of every stylesheet and script (the plain name
/// stays too, for templates and pages that link to it).
fn fingerprint_assets(files: &mut ThemeFiles, root: &Path) -> Result<(), Diagnostic> {
    let assets: Vec<(String, StaticSource)> = files
        .statics
        .iter()
        .filter(|(name, _)| name.ends_with(".css") || name.ends_with(".js"))
        .map(|(n, s)| (n.clone(), s.clone()))
        .collect();
    for (name, source) in assets {
        let bytes = source.read().map_err(|e| {
            let path = match &source {
                StaticSource::File(p) => rel(root, p),
                StaticSource::Embedded(_) => PathBuf::from(&name),
            };
            Diagnostic::error(&path, None, format!("cannot read static file: {e}"))
        })?;
        let hashed = fingerprinted_name(&name, &bytes);
        files.assets.insert(name, format!("/{hashed}"));
        files.statics.insert(hashed, source);
    }
    Ok(())
}

/// `css/site.css` with its bytes -> `css/site.<16 hex digits>.css`.
pub fn fingerprinted_name(name: &str, bytes: &[u8]) -> String {
    let hash = crate::digest::hash16(bytes);
    let hex: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{hex}.{ext}")
        }
        _ => format!("{name}.{hex}"),
    }
}

fn walk(root: &Path, dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry
            .map_err(|e| Diagnostic::error(&rel(root, dir), None, format!("cannot read: {e}")))?;
        if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            let name = rel(dir, entry.path()).to_string_lossy().replace('\\', "/");
            out.push((name, entry.path().to_path_buf()));
        }
    }
    Ok(out)
}

fn rel(base: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(base).unwrap_or(p).to_path_buf()
}
