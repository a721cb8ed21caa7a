//! `broadsheet import wordpress`: a WordPress export (WXR) into ordinary
//! content files, one Markdown file with TOML front matter per post and page
//! (pages under `content/pages/`, posts under `content/YYYY/MM/`). Not a
//! build step: the build then reads these files like any others.
//!
//! Bodies get WordPress's paragraph rule (`autop`), lose block-editor
//! comments, and have their shortcodes translated by `crate::shortcodes`
//! (galleries from the export's attachments), and have markup that is not
//! valid HTML repaired (`repair`: obsolete elements, repeated ids, heading
//! levels). Files under
//! `wp-content/uploads/` (or on `*.files.wordpress.com`) are copied from
//! `--uploads` beside the article, which becomes a bundle (`slug/index.md`);
//! those not found there are listed. Comments, menus and attachments are
//! counted, not published. An existing file is never overwritten, so a
//! second import writes nothing.

mod autop;
mod post;
mod repair;
pub mod wxr;

use std::path::{Path, PathBuf};

pub use post::Article;

/// What to import and where.
#[derive(Debug, Clone)]
pub struct WordPressOptions {
    pub export: PathBuf,
    /// The site folder (its `content/` receives the files).
    pub into: PathBuf,
    /// A copy of the old site's `wp-content/uploads/`.
    pub uploads: Option<PathBuf>,
}

/// What an import found and did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub posts: usize,
    pub pages: usize,
    /// Posts and pages not published (draft, pending, private, future,
    /// password-protected): written with `draft = true`.
    pub drafts: usize,
    pub attachments: usize,
    pub comments: usize,
    pub menu_items: usize,
    /// Items of other types (`wp_block`, custom types), by type.
    pub other: std::collections::BTreeMap<String, usize>,
    /// Files written, relative to the site.
    pub written: Vec<PathBuf>,
    /// Files that were there already (left as they were).
    pub kept: Vec<PathBuf>,
    /// Uploads copied beside their article.
    pub copied: usize,
    /// `(article file, upload URL)` not found under `--uploads`.
    pub missing: Vec<(PathBuf, String)>,
    /// `(article file, line, tag)` left as text.
    pub unknown_shortcodes: Vec<(PathBuf, usize, String)>,
    /// `(article file, old permalink path)` the site's own pages answer
    /// (`/search/`, `/tags/`, the home page `/`), so no redirect is made.
    pub left_to_site: Vec<(PathBuf, String)>,
}

/// A failed import: the export cannot be read, or a file cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{}", path.display(), source)]
    Export {
        path: PathBuf,
        source: wxr::WxrError,
    },
}

/// Imports a WordPress export.
pub fn wordpress(opts: &WordPressOptions) -> Result<Report, ImportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Io { path, source }
    };
    let bytes = std::fs::read(&opts.export).map_err(io(&opts.export))?;
    let text = String::from_utf8_lossy(&bytes);
    let export = wxr::parse(&text).map_err(|source| ImportError::Export {
        path: opts.export.clone(),
        source,
    })?;
    let tz = site_zone(&opts.into);
    let mut report = Report::default();
    let articles = post::articles(&export, tz, &mut report);
    ensure_site(opts, &export, &mut report)?;
    for a in &articles {
        write_article(a, opts, &mut report)?;
    }
    Ok(report)
}

/// The site's zone (naive WordPress dates are read in it), else UTC.
fn site_zone(root: &Path) -> chrono_tz::Tz {
    crate::config::Config::load(root).map_or(chrono_tz::UTC, |c| c.timezone)
}

/// A `site.toml` from the export's title and address when the folder has none.
fn ensure_site(
    opts: &WordPressOptions,
    export: &wxr::Export,
    report: &mut Report,
) -> Result<(), ImportError> {
    let toml = format!(
        "title = {}\nbase_url = {}\n",
        toml::Value::String(export.title.clone()),
        toml::Value::String(export.link.trim_end_matches('/').to_string()),
    );
    write_new(&opts.into, Path::new("site.toml"), toml.as_bytes(), report)
}

fn write_article(
    a: &Article,
    opts: &WordPressOptions,
    report: &mut Report,
) -> Result<(), ImportError> {
    let mut copies = Vec::new();
    let mut body = a.body.clone();
    for (url, rel) in &a.uploads {
        let found = opts
            .uploads
            .as_ref()
            .map(|d| d.join(rel))
            .filter(|p| p.is_file());
        match found {
            Some(path) => {
                let name = rel.replace('/', "-");
                body = body.replace(url.as_str(), &name);
                copies.push((path, name));
            }
            None => report.missing.push((a.path(false), url.clone())),
        }
    }
    let bundle = !copies.is_empty();
    let path = a.path(bundle);
    // Either form written by an earlier import counts.
    for earlier in [a.path(false), a.path(true)] {
        if opts.into.join(&earlier).exists() {
            report.kept.push(earlier);
            return Ok(());
        }
    }
    if let Some(old) = &a.left_to_site {
        report.left_to_site.push((path.clone(), old.clone()));
    }
    for f in &a.unknown {
        let line = a.line_of(&body, f);
        report
            .unknown_shortcodes
            .push((path.clone(), line, f.clone()));
    }
    write_new(&opts.into, &path, a.file_text(&body).as_bytes(), report)?;
    for (from, name) in copies {
        let to = path.with_file_name(&name);
        let bytes = std::fs::read(&from).map_err(|e| ImportError::Io {
            path: from.clone(),
            source: e,
        })?;
        write_new(&opts.into, &to, &bytes, report)?;
        report.copied += 1;
    }
    Ok(())
}

/// Writes `rel` under `root` unless something is there already.
fn write_new(
    root: &Path,
    rel: &Path,
    bytes: &[u8],
    report: &mut Report,
) -> Result<(), ImportError> {
    let path = root.join(rel);
    if path.exists() {
        report.kept.push(rel.to_path_buf());
        return Ok(());
    }
    let err = |source| ImportError::Io {
        path: path.clone(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(err)?;
    std::io::Write::write_all(&mut f, bytes).map_err(err)?;
    report.written.push(rel.to_path_buf());
    Ok(())
}
