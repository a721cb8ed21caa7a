//! Who holds a deploy target, and the directory target's lock file. Two deploys to one
//! target must not run at once: their releases (or uploads and deletes) would mix. The
//! loser is told who holds the lock (host, process id) and since when.
//!
//! The directory target's lock is `.<name>.lock` beside its live path `<name>`, held
//! with `flock`, so
//! the kernel lets go of it when the holding process ends however it ends; the file
//! only says who holds it. The S3 target's lock object lives in `s3::lock`.

use std::fs::File;
use std::io::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::DeployError;

/// Who holds a lock, as written into the lock file or object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Holder {
    pub host: String,
    pub pid: u32,
    /// When the lock was taken, UTC, `2026-12-03T21:05:00Z`.
    pub since: String,
}

impl Holder {
    /// This process, now.
    pub(crate) fn me() -> Self {
        Holder {
            host: hostname(),
            pid: std::process::id(),
            since: utc(chrono::Utc::now()),
        }
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "host {}, pid {}, since {}",
            self.host, self.pid, self.since
        )
    }
}

/// A time as lock files and messages show it.
pub(crate) fn utc(time: chrono::DateTime<chrono::Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The machine's name; `unknown host` where it cannot be read.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown host".to_owned())
}

/// A held directory-target lock; dropping it (on success, error or panic) lets go.
#[derive(Debug)]
pub(crate) struct DirLock {
    file: File,
}

impl DirLock {
    /// Takes the lock file `path` of the directory target `target`, or says who
    /// holds it.
    pub(crate) fn take(target: &str, path: &Path) -> Result<Self, DeployError> {
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| DeployError::io(path, e))?;
        let op = rustix::fs::FlockOperation::NonBlockingLockExclusive;
        if let Err(e) = rustix::fs::flock(&file, op) {
            if e != rustix::io::Errno::WOULDBLOCK {
                return Err(DeployError::io(path, e.into()));
            }
            return Err(busy(target, path));
        }
        let holder = serde_json::to_string(&Holder::me()).unwrap_or_default();
        file.set_len(0)
            .and_then(|()| file.write_all(holder.as_bytes()))
            .map_err(|e| DeployError::io(path, e))?;
        Ok(DirLock { file })
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Emptied first, so a reader never blames a process that let go; closing the
        // file releases the lock in any case.
        let _ = self.file.set_len(0);
        let _ = rustix::fs::flock(&self.file, rustix::fs::FlockOperation::Unlock);
    }
}

/// The error for a lock held by another deploy, naming it when its file says who.
fn busy(target: &str, path: &Path) -> DeployError {
    let holder = std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Holder>(&bytes).ok());
    DeployError::Locked {
        target: target.to_owned(),
        holder: holder.map_or_else(|| "an unknown process".to_owned(), |h| h.to_string()),
        lock: format!("lock file {}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_reads_as_host_pid_and_time() {
        let holder = Holder {
            host: "web1".into(),
            pid: 4242,
            since: "2026-12-03T21:05:00Z".into(),
        };
        assert_eq!(
            holder.to_string(),
            "host web1, pid 4242, since 2026-12-03T21:05:00Z"
        );
    }
}
