//! Test helpers: a config and an archive index made from strings, never from
//! disk, for the unit tests of the modules that read the index.

use std::path::{Path, PathBuf};

use crate::archive::{self, Archive};
use crate::article;
use crate::config::Config;
use crate::source::{Format, SourceFile};

/// A config from site.toml text (panics on an invalid one: tests pass valid text).
pub fn config(site_toml: &str) -> Config {
    Config::parse(site_toml, Path::new("/site")).expect("valid test config")
}

/// A source file at `content/<path>`.
pub fn source(path: &str) -> SourceFile {
    SourceFile {
        rel_path: PathBuf::from(format!("content/{path}")),
        content_path: path.to_string(),
        abs_path: PathBuf::from(format!("/site/content/{path}")),
        format: if path.ends_with(".txt") {
            Format::Wire
        } else {
            Format::Markdown
        },
    }
}

/// An archive of articles given as `(path under content/, file text)`.
pub fn archive(cfg: &Config, files: &[(&str, &str)]) -> Archive {
    let articles = files
        .iter()
        .map(|(path, text)| {
            let parsed = article::parse(&source(path), text.as_bytes(), cfg);
            parsed
                .article
                .unwrap_or_else(|| panic!("{path}: {:?}", parsed.diagnostics))
        })
        .collect();
    let (archive, diags) = archive::index(articles, cfg);
    assert!(diags.is_empty(), "{diags:?}");
    archive
}

/// A Markdown article with YAML front matter.
pub fn md(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\n{extra}---\nBody of {title}.\n")
}
