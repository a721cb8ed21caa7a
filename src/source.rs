//! Finds the input files under `content/` (walkdir) and says what each one is.
//! Reads no file contents: parsing happens later, in parallel.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::diag::Diagnostic;

/// The input families broadsheet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `.md` / `.markdown` with TOML, YAML or `Key: value` headers.
    Markdown,
    /// `.txt` wire copy.
    Wire,
}

/// One article file, not yet read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, e.g. `content/2013/02/lavrov.txt`.
    pub rel_path: PathBuf,
    /// Relative to `content/`, with `/` separators.
    pub content_path: String,
    pub abs_path: PathBuf,
    pub format: Format,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    /// Files that are not articles and were left out, with the reason.
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// Walks `content_dir`, sorted by path so every later step is deterministic.
pub fn discover(root: &Path, ignore: &[String]) -> Result<Sources, Diagnostic> {
    let content = root.join("content");
    let ignore = build_globs(ignore)?;
    let mut sources = Sources::default();
    if !content.is_dir() {
        return Ok(sources);
    }
    for entry in WalkDir::new(&content)
        .sort_by_file_name()
        .follow_links(false)
    {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map(|p| rel(root, p))
                .unwrap_or_else(|| PathBuf::from("content"));
            Diagnostic::error(&path, None, format!("cannot read: {e}"))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let abs_path = entry.path().to_path_buf();
        let rel_path = rel(root, &abs_path);
        let content_path = rel(&content, &abs_path)
            .to_string_lossy()
            .replace('\\', "/");
        if ignore.is_match(&content_path) {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            sources.skipped.push((rel_path, "hidden file"));
            continue;
        }
        let ext = abs_path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let format = match ext.as_str() {
            "md" | "markdown" => Format::Markdown,
            "txt" => Format::Wire,
            _ => {
                sources.skipped.push((rel_path, "unsupported format"));
                continue;
            }
        };
        sources.files.push(SourceFile {
            rel_path,
            content_path,
            abs_path,
            format,
        });
    }
    Ok(sources)
}

fn build_globs(patterns: &[String]) -> Result<GlobSet, Diagnostic> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| {
            Diagnostic::error(
                Path::new("site.toml"),
                None,
                format!("bad ignore pattern `{p}`: {e}"),
            )
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| {
        Diagnostic::error(
            Path::new("site.toml"),
            None,
            format!("bad ignore patterns: {e}"),
        )
    })
}

fn rel(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}
