//! The only writer of the output directory. A build writes into a fresh staging
//! directory beside the output and swaps it into place in one step at the end,
//! so a failed or interrupted build leaves the previous output untouched and the
//! output holds exactly what one build made.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::Diagnostic;

/// A staging directory being filled.
#[derive(Debug)]
pub struct Stage {
    out: PathBuf,
    dir: PathBuf,
    written: AtomicUsize,
}

impl Stage {
    /// Creates an empty staging directory next to `out` (same file system, so the
    /// final swap is a rename).
    pub fn begin(out: &Path) -> io::Result<Stage> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.stage-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Stage {
            out: out.to_path_buf(),
            dir,
            written: AtomicUsize::new(0),
        })
    }

    /// Writes one file at a site path (`/2013/02/02/x/` means `.../x/index.html`).
    pub fn write_url(&self, url: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write(&url_to_file(url), bytes)
    }

    /// Writes one file at a relative path, refusing any path that would leave the
    /// output directory.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = safe_join(&self.dir, rel)?;
        let fail = |e: io::Error| {
            Diagnostic::error(
                Path::new(rel),
                None,
                format!("cannot write output file: {e}"),
            )
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        std::fs::write(&path, bytes).map_err(fail)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Swaps the stage into place and removes the previous output.
    pub fn commit(self) -> io::Result<()> {
        if self.out.is_dir() {
            match rustix::fs::renameat_with(
                rustix::fs::CWD,
                &self.dir,
                rustix::fs::CWD,
                &self.out,
                rustix::fs::RenameFlags::EXCHANGE,
            ) {
                Ok(()) => {}
                Err(_) => {
                    // File systems without RENAME_EXCHANGE: two renames, with the
                    // old output kept until the new one is in place.
                    let old = self.dir.with_extension("old");
                    std::fs::rename(&self.out, &old)?;
                    std::fs::rename(&self.dir, &self.out)?;
                    std::fs::rename(&old, &self.dir)?;
                }
            }
            std::fs::remove_dir_all(&self.dir)
        } else {
            if self.out.exists() {
                return Err(io::Error::other(format!(
                    "{} exists and is not a directory",
                    self.out.display()
                )));
            }
            std::fs::rename(&self.dir, &self.out)
        }
    }

    /// Throws the stage away, leaving the previous output as it was.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The file a site path is served from.
pub fn url_to_file(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Joins a relative output path onto `base`, refusing `..`, absolute paths,
/// backslashes, NUL bytes and empty segments.
pub fn safe_join(base: &Path, rel: &str) -> Result<PathBuf, Diagnostic> {
    let refuse = || {
        Diagnostic::error(
            Path::new(rel),
            None,
            "refusing to write outside the output directory",
        )
    };
    if rel.is_empty() || rel.contains(['\\', '\0']) || rel.starts_with('/') {
        return Err(refuse());
    }
    let p = Path::new(rel);
    if !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(refuse());
    }
    Ok(base.join(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_map_to_index_files() {
        assert_eq!(url_to_file("/"), "index.html");
        assert_eq!(
            url_to_file("/2013/02/02/lavrov/"),
            "2013/02/02/lavrov/index.html"
        );
        assert_eq!(url_to_file("/404.html"), "404.html");
    }

    #[test]
    fn paths_cannot_escape_the_output() {
        let base = Path::new("/out");
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a\\..\\b",
            "a\0b",
            "",
            "./a",
        ] {
            let err = safe_join(base, bad).unwrap_err();
            assert_eq!(
                err.message, "refusing to write outside the output directory",
                "{bad:?}"
            );
        }
        assert_eq!(
            safe_join(base, "a/b.html").expect("safe"),
            Path::new("/out/a/b.html")
        );
    }

    #[test]
    fn a_committed_stage_replaces_the_output_and_an_aborted_one_leaves_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        let s = Stage::begin(&out).expect("stage");
        s.write_url("/", b"one").expect("write");
        s.commit().expect("commit");
        assert_eq!(std::fs::read(out.join("index.html")).expect("read"), b"one");

        let s = Stage::begin(&out).expect("stage");
        s.write_url("/a/", b"two").expect("write");
        s.abort();
        assert!(!out.join("a").exists());

        let s = Stage::begin(&out).expect("stage");
        s.write_url("/b/", b"three").expect("write");
        s.commit().expect("commit");
        assert!(
            !out.join("index.html").exists(),
            "output holds exactly what the last build made"
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).expect("ls").count(),
            1,
            "no stage left behind"
        );
    }
}
