//! The `directory` target: each deploy writes a complete release into
//! `<path>.releases/<NNNNNN-stamp>/` (hard-linking files unchanged since the live
//! release), then points the live symlink `<path>` at it with one rename, so a reader
//! sees the old site or the new one, never a mix. Keeps the last `keep` releases for
//! `--rollback`. Touches nothing outside `<path>` and `<path>.releases` but the
//! temporary link `.<name>.switch` and the lock file `.<name>.lock` beside `<path>`.
//!
//! A deploy or rollback holds the target's lock file (`lock::DirLock`) from before it
//! reads the live release until it is done, and the release is synced to disk before
//! the link switches to it, so a crash never leaves the link pointing at files that
//! were still only in memory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::config::{DeployConfig, DirectoryTarget};
use super::local::{self, LocalFile};
use super::lock::DirLock;
use super::manifest::{MANIFEST_NAME, Manifest};
use super::plan::{self, Change, ChangeKind, Compare, DeployReport, Plan, Remote};
use super::{DeployError, DeployOptions, DeployProgress, check_deletes, write_atomically};

pub(crate) fn deploy(
    target: &DirectoryTarget,
    files: &[LocalFile],
    cfg: &DeployConfig,
    opts: &DeployOptions,
    progress: &dyn DeployProgress,
) -> Result<DeployReport, DeployError> {
    let site = Site::new(&target.path)?;
    // Held until the end, and let go on every way out (errors included) by its Drop.
    let _lock = if opts.dry_run {
        None
    } else {
        Some(DirLock::take(&target.name, &site.lock_path())?)
    };
    let live = site.live_release()?;
    let remote = match &live {
        Some(id) => site.contents(id)?,
        None => BTreeMap::new(),
    };
    let how = Compare {
        force: opts.force,
        headers: false,
    };
    let plan = plan::plan(files, &remote, cfg, &how);
    check_deletes(&target.name, plan.deletes.len(), opts)?;
    let mut report = plan.report(&target.name, opts.dry_run);
    let nothing_to_do = plan.uploads.is_empty() && plan.deletes.is_empty() && live.is_some();
    if opts.dry_run || nothing_to_do {
        // An identical release would only push a useful one out of the rollback window.
        report.release = live;
        return Ok(report);
    }
    progress.start(plan.uploads.len(), report.upload_bytes);
    site.clear_leftovers()?;
    let id = site.next_release_id()?;
    site.write_release(&id, &plan, files, live.as_deref(), progress)?;
    site.switch_to(&id)?;
    report.releases_pruned = site.prune(target.keep, &id)?;
    report.release = Some(id);
    Ok(report)
}

pub(crate) fn rollback(
    target: &DirectoryTarget,
    opts: &DeployOptions,
) -> Result<DeployReport, DeployError> {
    let site = Site::new(&target.path)?;
    let _lock = if opts.dry_run {
        None
    } else {
        Some(DirLock::take(&target.name, &site.lock_path())?)
    };
    let Some(live) = site.live_release()? else {
        return Err(DeployError::Rollback(format!(
            "{}: nothing is deployed there yet, so there is nothing to roll back",
            site.live.display()
        )));
    };
    let releases = site.releases()?;
    let Some(previous) = releases.iter().rev().find(|r| r.as_str() < live.as_str()) else {
        return Err(DeployError::Rollback(format!(
            "no release older than {live} in {} to roll back to",
            site.releases.display()
        )));
    };
    let changes = diff(&site.contents(previous)?, &site.contents(&live)?);
    if !opts.dry_run {
        site.switch_to(previous)?;
    }
    Ok(DeployReport {
        target: target.name.clone(),
        dry_run: opts.dry_run,
        uploads_new: 0,
        uploads_replaced: 0,
        deletes: 0,
        upload_bytes: 0,
        unchanged: 0,
        changes,
        release: Some(previous.clone()),
        rolled_back_from: Some(live),
        releases_pruned: 0,
    })
}

/// The paths of a directory target.
struct Site {
    /// The symlink readers use.
    live: PathBuf,
    /// Its folder, where the temporary symlink is made before the switch.
    parent: PathBuf,
    /// `<live>.releases`.
    releases: PathBuf,
    /// The name of `releases`, as the live symlink points to it (relative, so the
    /// whole tree can be moved or mounted elsewhere).
    releases_name: String,
}

const PARTIAL: &str = ".partial";

impl Site {
    fn new(live: &Path) -> Result<Self, DeployError> {
        let name =
            live.file_name()
                .and_then(|n| n.to_str())
                .ok_or_else(|| DeployError::NonUtf8Path {
                    path: live.to_path_buf(),
                })?;
        let parent = match live.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let releases_name = format!("{name}.releases");
        Ok(Self {
            live: live.to_path_buf(),
            releases: parent.join(&releases_name),
            parent,
            releases_name,
        })
    }

    /// The release the live symlink points at, `None` before the first deploy.
    fn live_release(&self) -> Result<Option<String>, DeployError> {
        let meta = match fs::symlink_metadata(&self.live) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(DeployError::io(&self.live, e)),
        };
        let not_ours = || DeployError::LiveNotSymlink {
            path: self.live.clone(),
        };
        if !meta.file_type().is_symlink() {
            return Err(not_ours());
        }
        let to = fs::read_link(&self.live).map_err(|e| DeployError::io(&self.live, e))?;
        let id = to
            .strip_prefix(&self.releases_name)
            .ok()
            .and_then(|rest| rest.to_str())
            .filter(|id| is_release_id(id))
            .ok_or_else(not_ours)?;
        Ok(Some(id.to_owned()))
    }

    /// Release ids present, oldest first.
    fn releases(&self) -> Result<Vec<String>, DeployError> {
        let entries = match fs::read_dir(&self.releases) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(DeployError::io(&self.releases, e)),
        };
        let mut ids = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| DeployError::io(&self.releases, e))?;
            if let Some(name) = entry.file_name().to_str()
                && is_release_id(name)
                && entry.path().is_dir()
            {
                ids.push(name.to_owned());
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// `.<name>.lock` beside the live path.
    fn lock_path(&self) -> PathBuf {
        let name = self
            .live
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.parent.join(format!(".{name}.lock"))
    }

    fn release_dir(&self, id: &str) -> PathBuf {
        self.releases.join(id)
    }

    fn manifest_path(&self, id: &str) -> PathBuf {
        self.releases.join(format!("{id}{MANIFEST_NAME}"))
    }

    /// What a release holds: from its manifest, else by hashing its files.
    fn contents(&self, id: &str) -> Result<BTreeMap<String, Remote>, DeployError> {
        let manifest = fs::read(self.manifest_path(id))
            .ok()
            .and_then(|b| Manifest::from_json(&b));
        if let Some(m) = manifest {
            return Ok(m
                .files
                .into_iter()
                .map(|(k, e)| {
                    let remote = Remote {
                        size: e.size,
                        etag: None,
                        recorded: Some(e),
                    };
                    (k, remote)
                })
                .collect());
        }
        let files = match local::scan(&self.release_dir(id)) {
            Ok(files) => files,
            Err(DeployError::OutputEmpty { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        Ok(files
            .into_iter()
            .map(|f| {
                let remote = Remote {
                    size: f.size,
                    etag: Some(f.md5),
                    recorded: None,
                };
                (f.key, remote)
            })
            .collect())
    }

    /// Removes what a killed deploy left: half-written releases and the temporary link.
    fn clear_leftovers(&self) -> Result<(), DeployError> {
        fs::create_dir_all(&self.releases).map_err(|e| DeployError::io(&self.releases, e))?;
        for entry in fs::read_dir(&self.releases).map_err(|e| DeployError::io(&self.releases, e))? {
            let path = entry
                .map_err(|e| DeployError::io(&self.releases, e))?
                .path();
            if path.to_str().is_some_and(|p| p.ends_with(PARTIAL)) {
                fs::remove_dir_all(&path).map_err(|e| DeployError::io(&path, e))?;
            }
        }
        Ok(())
    }

    /// `NNNNNN-YYYYMMDDTHHMMSSZ`, numbered one past the highest release present, so ids
    /// sort in deploy order whatever the clock says.
    fn next_release_id(&self) -> Result<String, DeployError> {
        let last = self
            .releases()?
            .iter()
            .filter_map(|id| id.get(..6)?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        Ok(format!("{:06}-{stamp}", last + 1))
    }

    /// Writes the complete release `id` under a temporary name, then renames it into
    /// place with its manifest beside it. Unchanged files are hard links into the live
    /// release (copies when linking fails, as across filesystems).
    fn write_release(
        &self,
        id: &str,
        plan: &Plan<'_>,
        files: &[LocalFile],
        live: Option<&str>,
        progress: &dyn DeployProgress,
    ) -> Result<(), DeployError> {
        let partial = self.releases.join(format!("{id}{PARTIAL}"));
        let changed: BTreeMap<&str, ()> = plan
            .uploads
            .iter()
            .map(|u| (u.file.key.as_str(), ()))
            .collect();
        let live_dir = live.map(|l| self.release_dir(l));
        files.par_iter().try_for_each(|file| {
            let to = partial.join(&file.key);
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(|e| DeployError::io(dir, e))?;
            }
            let linked = match (&live_dir, changed.contains_key(file.key.as_str())) {
                (Some(live_dir), false) => fs::hard_link(live_dir.join(&file.key), &to).is_ok(),
                _ => false,
            };
            if !linked {
                fs::copy(&file.path, &to).map_err(|e| DeployError::io(&file.path, e))?;
            }
            if changed.contains_key(file.key.as_str()) {
                progress.uploaded(&file.key, file.size);
            }
            Ok(())
        })?;
        write_atomically(&self.manifest_path(id), &plan.manifest().to_json())?;
        // One syncfs writes out every file and folder of the release (and the
        // manifest), where fsync per file and folder would be a million calls.
        sync_filesystem(&partial)?;
        let dir = self.release_dir(id);
        fs::rename(&partial, &dir).map_err(|e| DeployError::io(&dir, e))?;
        sync_dir(&self.releases)
    }

    /// Points the live symlink at release `id` in one rename.
    fn switch_to(&self, id: &str) -> Result<(), DeployError> {
        let name = self
            .live
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = self.parent.join(format!(".{name}.switch"));
        match fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(DeployError::io(&tmp, e)),
        }
        let to = Path::new(&self.releases_name).join(id);
        std::os::unix::fs::symlink(&to, &tmp).map_err(|e| DeployError::io(&tmp, e))?;
        fs::rename(&tmp, &self.live).map_err(|e| DeployError::io(&self.live, e))?;
        sync_dir(&self.parent)
    }

    /// Removes releases beyond the newest `keep`, never the live one. Returns how many.
    fn prune(&self, keep: usize, live: &str) -> Result<usize, DeployError> {
        let releases = self.releases()?;
        let old = releases.len().saturating_sub(keep);
        let mut pruned = 0;
        for id in releases.iter().take(old).filter(|id| id.as_str() != live) {
            let dir = self.release_dir(id);
            fs::remove_dir_all(&dir).map_err(|e| DeployError::io(&dir, e))?;
            let manifest = self.manifest_path(id);
            match fs::remove_file(&manifest) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(DeployError::io(&manifest, e)),
            }
            pruned += 1;
        }
        Ok(pruned)
    }
}

/// Writes out everything pending on the file system holding `path`.
fn sync_filesystem(path: &Path) -> Result<(), DeployError> {
    let dir = fs::File::open(path).map_err(|e| DeployError::io(path, e))?;
    rustix::fs::syncfs(&dir).map_err(|e| DeployError::io(path, e.into()))
}

/// Makes the entries of folder `path` (a rename into it) durable.
fn sync_dir(path: &Path) -> Result<(), DeployError> {
    fs::File::open(path)
        .and_then(|dir| dir.sync_all())
        .map_err(|e| DeployError::io(path, e))
}

fn is_release_id(name: &str) -> bool {
    name.len() > 7
        && name.as_bytes()[..6].iter().all(u8::is_ascii_digit)
        && name.as_bytes()[6] == b'-'
        && !name.ends_with(PARTIAL)
        && !name.ends_with(MANIFEST_NAME)
}

/// The files that differ between the release going live (`to`) and the one leaving
/// (`from`): new or changed ones, then removed ones.
fn diff(to: &BTreeMap<String, Remote>, from: &BTreeMap<String, Remote>) -> Vec<Change> {
    let fingerprint = |r: &Remote| {
        r.recorded
            .as_ref()
            .map(|m| m.blake3.clone())
            .or_else(|| r.etag.clone())
    };
    let mut changes: Vec<Change> = to
        .iter()
        .filter_map(|(key, r)| {
            let kind = match from.get(key) {
                None => ChangeKind::New,
                Some(old) if fingerprint(old) != fingerprint(r) || old.size != r.size => {
                    ChangeKind::Replace
                }
                Some(_) => return None,
            };
            Some(Change {
                kind,
                path: key.clone(),
                bytes: r.size,
            })
        })
        .collect();
    changes.extend(
        from.keys()
            .filter(|k| !to.contains_key(*k))
            .map(|k| Change {
                kind: ChangeKind::Delete,
                path: k.clone(),
                bytes: 0,
            }),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_ids_are_recognised() {
        assert!(is_release_id("000001-20260101T000000Z"));
        assert!(!is_release_id("000001-20260101T000000Z.partial"));
        assert!(!is_release_id(
            "000001-20260101T000000Z.broadsheet-manifest.json"
        ));
        assert!(!is_release_id("latest"));
    }
}
