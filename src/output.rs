//! The only writer of the output directory. Two ways to write one build, both
//! leaving the previous output whole if the build fails or is killed before its
//! commit:
//!
//! - **full**: every file goes into a fresh staging directory beside the output,
//!   swapped into place in one step at commit (`renameat2(RENAME_EXCHANGE)`), so
//!   the output holds exactly what one build made;
//! - **incremental**: only changed files are written, into a flat staging
//!   directory; commit renames each over its old version (one atomic rename per
//!   file), then deletes files the build no longer makes. A reader never sees a
//!   half-written file, and a build killed during commit is redone by the next
//!   one (the cache forgets the output before commit and records it after).

use std::io::{self, Write};
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustix::fs::{Mode, OFlags};

use crate::diag::Diagnostic;

/// Receives one finished file: its output path (relative, `/`-separated) and bytes.
pub type SinkFn<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync + 'a;

/// Fetches an article's body HTML by its index in the archive (the output
/// makers that show bodies: feeds, the search index).
pub type BodyFn<'a> = dyn Fn(u32) -> Result<String, Diagnostic> + Sync + 'a;

/// A staging directory being filled.
#[derive(Debug)]
pub struct Stage {
    out: PathBuf,
    dir: PathBuf,
    /// `dir`, open: full builds create folders and files relative to it, so
    /// the kernel does not walk the whole path for each of a few hundred
    /// thousand files.
    root: OwnedFd,
    written: AtomicUsize,
    /// Incremental mode: staged file number -> path in the output.
    patch: Option<Patch>,
}

#[derive(Debug, Default)]
struct Patch {
    staged: Mutex<Vec<(usize, String)>>,
    removed: Mutex<Vec<String>>,
}

impl Stage {
    /// Creates an empty staging directory next to `out` (same file system, so the
    /// final swap is a rename) for a full build.
    pub fn begin(out: &Path) -> io::Result<Stage> {
        Stage::create(out, None)
    }

    /// Starts an incremental build on top of the existing output `out`.
    pub fn begin_incremental(out: &Path) -> io::Result<Stage> {
        if !out.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is not a directory", out.display()),
            ));
        }
        Stage::create(out, Some(Patch::default()))
    }

    fn create(out: &Path, patch: Option<Patch>) -> io::Result<Stage> {
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
        let root = rustix::fs::open(
            &dir,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(Stage {
            out: out.to_path_buf(),
            root,
            dir,
            written: AtomicUsize::new(0),
            patch,
        })
    }

    /// Whether this stage patches the existing output.
    pub fn is_incremental(&self) -> bool {
        self.patch.is_some()
    }

    /// Writes one file at a site path (`/2013/02/02/x/` means `.../x/index.html`).
    pub fn write_url(&self, url: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write(&url_to_file(url), bytes)
    }

    /// Writes one file at a relative path, refusing any path that would leave the
    /// output directory.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let fail = |e: io::Error| {
            Diagnostic::error(
                Path::new(rel),
                None,
                format!("cannot write output file: {e}"),
            )
        };
        safe_join(&self.dir, rel)?;
        let n = self.written.fetch_add(1, Ordering::Relaxed);
        match &self.patch {
            None => {
                if let Some((parent, _)) = rel.rsplit_once('/') {
                    mkdirs_at(&self.root, parent).map_err(fail)?;
                }
                // As `std::fs::write` opens: mode 0o666 less the umask.
                let fd = rustix::fs::openat(
                    &self.root,
                    rel,
                    OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC,
                    Mode::from_raw_mode(0o666),
                )
                .map_err(io::Error::from)
                .map_err(fail)?;
                std::fs::File::from(fd).write_all(bytes).map_err(fail)
            }
            Some(patch) => {
                // Flat names: no directory tree to build in the stage.
                std::fs::write(self.dir.join(n.to_string()), bytes).map_err(fail)?;
                lock(&patch.staged).push((n, rel.to_string()));
                Ok(())
            }
        }
    }

    /// Incremental mode: deletes `rel` from the output at commit, after every
    /// new file is in place.
    pub fn remove(&self, rel: &str) -> Result<(), Diagnostic> {
        safe_join(&self.out, rel)?;
        if let Some(patch) = &self.patch {
            lock(&patch.removed).push(rel.to_string());
        }
        Ok(())
    }

    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Puts the staged files in place: swaps the stage with the output (full), or
    /// renames each staged file over its old version and then deletes removed
    /// files (incremental).
    pub fn commit(self) -> io::Result<()> {
        match &self.patch {
            None => self.swap(),
            Some(patch) => {
                let mut staged = std::mem::take(&mut *lock(&patch.staged));
                staged.sort_by(|a, b| a.1.cmp(&b.1));
                let mut made = std::collections::HashSet::new();
                for (n, rel) in &staged {
                    let target = self.out.join(rel);
                    if let Some(parent) = target.parent() {
                        if made.insert(parent.to_path_buf()) {
                            std::fs::create_dir_all(parent)?;
                        }
                    }
                    std::fs::rename(self.dir.join(n.to_string()), &target)?;
                }
                let mut removed = std::mem::take(&mut *lock(&patch.removed));
                removed.sort();
                for rel in &removed {
                    match std::fs::remove_file(self.out.join(rel)) {
                        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                        _ => prune_empty_dirs(&self.out, rel),
                    }
                }
                std::fs::remove_dir_all(&self.dir)
            }
        }
    }

    fn swap(&self) -> io::Result<()> {
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

/// `mkdir -p` below `root`, as `std::fs::create_dir_all` does it (mode 0o777
/// less the umask), trying the whole path first: its parent usually exists.
fn mkdirs_at(root: &OwnedFd, rel: &str) -> io::Result<()> {
    match rustix::fs::mkdirat(root, rel, Mode::from_raw_mode(0o777)) {
        Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
        Err(rustix::io::Errno::NOENT) => {
            if let Some((parent, _)) = rel.rsplit_once('/') {
                mkdirs_at(root, parent)?;
            }
            match rustix::fs::mkdirat(root, rel, Mode::from_raw_mode(0o777)) {
                Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Removes the now-empty folders above a deleted file, up to the output root.
fn prune_empty_dirs(out: &Path, rel: &str) {
    let mut dir = Path::new(rel).parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        // Fails (and stops) at the first folder that still holds something.
        if std::fs::remove_dir(out.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// A poisoned lock only means another writer thread panicked; the list it
/// guards is still whole, so keep going.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The file a site path is served from.
pub fn url_to_file(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        // Without `format!`: called for every page of every build.
        let mut file = String::with_capacity(trimmed.len() + 10);
        file.push_str(trimmed);
        file.push_str("index.html");
        file
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
