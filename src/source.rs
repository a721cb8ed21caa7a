//! Finds the input files under `content/` and says what each one is, with
//! each article file's stamp (size, times, inode). Reads no file contents:
//! parsing happens later, in parallel.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::diag::Diagnostic;

/// The input families broadsheet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `.md` / `.markdown` with TOML, YAML or `Key: value` headers.
    Markdown,
    /// `.txt` wire copy.
    Wire,
    /// `.html`, `.htm` (or either gzip-compressed, `.html.gz`): a saved web page.
    Html,
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

/// One article file as the walk found it, kept small (an archive has
/// hundreds of thousands): its path and stamp; the other forms of its path
/// are made when needed (`source_file`).
#[derive(Debug, Clone)]
pub struct Found {
    /// Relative to the site root, e.g. `content/2013/02/lavrov.txt`.
    pub rel_path: PathBuf,
    pub format: Format,
    /// As the walk saw it; `None` when it could not be taken (the parse step
    /// then reads the file and reports).
    pub stamp: Option<FileStamp>,
}

impl Found {
    /// Relative to `content/`, with `/` separators (borrowed unless a name
    /// is not UTF-8 or holds a backslash).
    pub fn content_path(&self) -> Cow<'_, str> {
        let bytes = self.rel_path.as_os_str().as_encoded_bytes();
        if let Some(rest) = bytes.strip_prefix(b"content/") {
            if let Ok(text) = std::str::from_utf8(rest) {
                if !text.contains('\\') {
                    return Cow::Borrowed(text);
                }
            }
        }
        let rest = self
            .rel_path
            .strip_prefix("content")
            .unwrap_or(&self.rel_path);
        Cow::Owned(rest.to_string_lossy().replace('\\', "/"))
    }

    /// The file with every form of its path, for reading and parsing it.
    pub fn source_file(&self, root: &Path) -> SourceFile {
        SourceFile {
            rel_path: self.rel_path.clone(),
            content_path: self.content_path().into_owned(),
            abs_path: root.join(&self.rel_path),
            format: self.format,
        }
    }
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Sources {
    /// Sorted by `rel_path` (a depth-first walk with names in byte order is
    /// exactly `Path` order), so a page can find its file by binary search.
    pub files: Vec<Found>,
    /// Files that are not articles and were left out, with the reason.
    pub skipped: Vec<(PathBuf, &'static str)>,
    /// Every other file under content/ (images, PDFs, audio, video...):
    /// media an article may carry (`crate::media`), sorted by path.
    pub assets: Vec<Asset>,
}

/// A file under content/ that is not an article: media an article may use.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Relative to `content/`, with `/` separators.
    pub content_path: String,
    /// As the walk saw it; `None` when it could not be taken.
    pub stamp: Option<FileStamp>,
}

/// Walks `content_dir`, sorted by path so every later step is deterministic.
/// The folders at the top of content/ (years, sections) are walked in
/// parallel; the result is the same as one sorted walk. Each article file is
/// stat'ed through its directory (no path lookup from the root), which is
/// what an incremental build mostly needs to know about it.
pub fn discover(root: &Path, ignore: &[String]) -> Result<Sources, Diagnostic> {
    let content = root.join("content");
    let ignore = build_globs(ignore)?;
    if !content.is_dir() {
        return Ok(Sources::default());
    }
    let walk = Walk {
        root,
        ignore: &ignore,
    };
    let top = walk.entries(&content)?;
    let rel_content = PathBuf::from("content");
    let parts: Vec<Result<Sources, Diagnostic>> = top
        .into_par_iter()
        .map(|(name, entry)| {
            let mut part = Sources::default();
            let at = Place {
                abs: &content,
                rel: &rel_content,
                prefix: "",
            };
            walk.entry(&at, &name, &entry, &mut part)?;
            Ok(part)
        })
        .collect();
    let parts: Vec<Sources> = parts.into_iter().collect::<Result<_, _>>()?;
    // Sized once: the list of a large archive is tens of megabytes.
    let total = parts.iter().map(|p| p.files.len()).sum();
    let mut sources = Sources {
        files: Vec::with_capacity(total),
        skipped: Vec::new(),
        assets: Vec::new(),
    };
    for part in parts {
        sources.files.extend(part.files);
        sources.skipped.extend(part.skipped);
        sources.assets.extend(part.assets);
    }
    Ok(sources)
}

/// What every step of the walk shares.
struct Walk<'a> {
    root: &'a Path,
    ignore: &'a GlobSet,
}

/// A directory being walked: its path, its path from the site root, and its
/// path under content/ as a `/`-terminated prefix (empty for content/).
struct Place<'a> {
    abs: &'a Path,
    rel: &'a Path,
    prefix: &'a str,
}

impl Walk<'_> {
    /// A directory's entries, sorted by name.
    fn entries(&self, dir: &Path) -> Result<Vec<(OsString, std::fs::DirEntry)>, Diagnostic> {
        let mut entries = std::fs::read_dir(dir)
            .and_then(|rd| {
                rd.map(|e| e.map(|e| (e.file_name(), e)))
                    .collect::<std::io::Result<Vec<_>>>()
            })
            .map_err(|e| self.error(dir, &e))?;
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(entries)
    }

    /// Walks one entry of the directory `at`: a directory is entered, a file
    /// classified, anything else (symbolic links) passed over.
    fn entry(
        &self,
        at: &Place<'_>,
        name: &OsStr,
        entry: &std::fs::DirEntry,
        sources: &mut Sources,
    ) -> Result<(), Diagnostic> {
        let file_type = entry
            .file_type()
            .map_err(|e| self.error(&at.abs.join(name), &e))?;
        if file_type.is_dir() {
            let abs = at.abs.join(name);
            let rel = at.rel.join(name);
            let prefix = format!("{}{}/", at.prefix, name.to_string_lossy());
            let inner = Place {
                abs: &abs,
                rel: &rel,
                prefix: &prefix,
            };
            for (name, entry) in self.entries(&abs)? {
                self.entry(&inner, &name, &entry, sources)?;
            }
        } else if file_type.is_file() {
            self.classify(at, name, entry, sources);
        }
        Ok(())
    }

    fn error(&self, path: &Path, e: &std::io::Error) -> Diagnostic {
        Diagnostic::error(&rel(self.root, path), None, format!("cannot read: {e}"))
    }

    /// Files one file as an article, a skipped file, or nothing.
    fn classify(
        &self,
        at: &Place<'_>,
        name: &OsStr,
        entry: &std::fs::DirEntry,
        sources: &mut Sources,
    ) {
        let name_text = name.to_string_lossy();
        if !self.ignore.is_empty() {
            let content_path = format!("{}{name_text}", at.prefix).replace('\\', "/");
            if self.ignore.is_match(&content_path) {
                return;
            }
        }
        if name_text.starts_with('.') {
            sources.skipped.push((at.rel.join(name), "hidden file"));
            return;
        }
        // As `Path::extension`: after the last dot, unless the name starts
        // with it (hidden files are gone by now).
        let ext = name_text
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let format = match ext.as_str() {
            // Hugo's and Zola's section pages: a list's title and text,
            // while broadsheet makes every list from its articles.
            "md" | "markdown" if name_text.starts_with("_index.") => {
                sources.skipped.push((
                    at.rel.join(name),
                    "a section page of Hugo or Zola (`_index`), not an article",
                ));
                return;
            }
            "md" | "markdown" => Format::Markdown,
            "txt" => Format::Wire,
            "html" | "htm" => Format::Html,
            "gz" if is_gzipped_page(&name_text) => Format::Html,
            _ => {
                sources.assets.push(Asset {
                    content_path: format!("{}{name_text}", at.prefix).replace('\\', "/"),
                    stamp: entry.metadata().ok().map(|m| FileStamp::of(&m)),
                });
                return;
            }
        };
        // Through the directory's open handle: no lookup of the whole path.
        let stamp = entry.metadata().ok().map(|m| FileStamp::of(&m));
        sources.files.push(Found {
            rel_path: at.rel.join(name),
            format,
            stamp,
        });
    }
}

/// `story.html.gz`, `story.htm.gz`: pages that mirrors keep compressed.
fn is_gzipped_page(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".html.gz") || lower.ends_with(".htm.gz")
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

/// What identifies a source file's contents without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub size: u64,
    pub mtime_ns: i64,
    /// Change time where the platform has one (it cannot be set by hand, so a
    /// `touch -d` to an old date is still seen); else the modification time.
    pub ctime_ns: i64,
    pub inode: u64,
}

impl FileStamp {
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> FileStamp {
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            size: meta.len(),
            mtime_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
            ctime_ns: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
            inode: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &std::fs::Metadata) -> FileStamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        FileStamp {
            size: meta.len(),
            mtime_ns,
            ctime_ns: mtime_ns,
            inode: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_found_file_gives_its_path_under_content() {
        let found = |p: &str| Found {
            rel_path: PathBuf::from(p),
            format: Format::Markdown,
            stamp: None,
        };
        let plain = found("content/2013/02/a.md");
        assert!(matches!(
            plain.content_path(),
            Cow::Borrowed("2013/02/a.md")
        ));
        assert_eq!(found("content/x\\y.md").content_path(), "x/y.md");
        let file = plain.source_file(Path::new("/site"));
        assert_eq!(
            (file.content_path.as_str(), file.abs_path),
            ("2013/02/a.md", PathBuf::from("/site/content/2013/02/a.md"))
        );
    }
}
