//! The `s3` target: compares the build with the bucket (ListObjectsV2 sizes and ETags,
//! plus the manifest the last deploy left at `<prefix>.broadsheet-manifest.json`), then
//! uploads phase by phase, deletes what the build dropped, and writes the manifest last.
//! A deploy stopped at any point leaves every old file in place; the next one, seeing
//! the bucket as it is, finishes the job. Touches only keys under the prefix.

mod client;
mod credentials;
mod lock;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::config::{DeployConfig, S3Target};
use super::manifest::{MANIFEST_NAME, Manifest};
use super::plan::{self, Compare, DeployReport, Remote, Upload};
use super::{DeployError, DeployOptions, DeployProgress, check_deletes};
use client::{Client, DELETE_BATCH, MultipartFile, Retry};
use lock::{LOCK_NAME, S3Lock};

use super::local::{LocalFile, md5_hex};

pub(crate) fn deploy(
    target: &S3Target,
    files: &[LocalFile],
    cfg: &DeployConfig,
    opts: &DeployOptions,
    progress: &dyn DeployProgress,
) -> Result<DeployReport, DeployError> {
    let credentials = credentials::load(&|name| std::env::var(name).ok())?;
    let client = Client::new(target, credentials, Retry::default())?;
    if opts.dry_run {
        return run(&client, target, files, cfg, opts, progress);
    }
    let lock_key = format!("{}{LOCK_NAME}", normalize_prefix(&target.prefix));
    let lease = std::time::Duration::from_secs(target.lock_lease);
    // Held from before the bucket is read until the manifest is written; its Drop
    // lets go on every way out, errors included.
    let lock = S3Lock::take(&client, &target.name, &lock_key, lease)?;
    lock.while_held(|| run(&client, target, files, cfg, opts, progress))
}

/// The deploy proper, lock held (or a dry run).
fn run(
    client: &Client,
    target: &S3Target,
    files: &[LocalFile],
    cfg: &DeployConfig,
    opts: &DeployOptions,
    progress: &dyn DeployProgress,
) -> Result<DeployReport, DeployError> {
    let prefix = normalize_prefix(&target.prefix);
    let manifest_key = format!("{prefix}{MANIFEST_NAME}");

    let listed = client.list(&prefix)?;
    let recorded = client
        .get(&manifest_key)?
        .and_then(|bytes| Manifest::from_json(&bytes));
    let remote = remote_state(&prefix, &manifest_key, listed, recorded.as_ref());
    let how = Compare {
        force: opts.force,
        headers: true,
    };
    let plan = plan::plan(files, &remote, cfg, &how);
    check_deletes(&target.name, plan.deletes.len(), opts)?;
    let report = plan.report(&target.name, opts.dry_run);
    if opts.dry_run {
        return Ok(report);
    }

    progress.start(plan.uploads.len(), report.upload_bytes);
    let sending = Sending {
        client,
        prefix: &prefix,
        jobs: cfg.jobs,
        part_size: target.multipart_threshold,
    };
    let etags = upload_all(&sending, &plan.uploads, progress)?;
    for batch in plan.deletes.chunks(DELETE_BATCH) {
        let keys: Vec<String> = batch.iter().map(|k| format!("{prefix}{k}")).collect();
        client.delete(&keys)?;
        for key in batch {
            progress.deleted(key);
        }
    }
    let mut next = plan.manifest();
    for (key, etag) in etags {
        if let Some(entry) = next.files.get_mut(&key) {
            entry.etag = Some(etag);
        }
    }
    if recorded.as_ref() != Some(&next) {
        client.put(
            &manifest_key,
            &next.to_json(),
            "application/json",
            "no-cache",
        )?;
    }
    Ok(report)
}

/// `news` and `/news/` become `news/`; the root stays empty.
fn normalize_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}/")
    }
}

/// The bucket's site files by key relative to the prefix. Folder markers (keys ending
/// in `/`), the manifest and the lock are not site files.
fn remote_state(
    prefix: &str,
    manifest_key: &str,
    listed: Vec<client::Listed>,
    recorded: Option<&Manifest>,
) -> BTreeMap<String, Remote> {
    listed
        .into_iter()
        .filter(|o| {
            o.key != manifest_key
                && !o.key.ends_with('/')
                && o.key.strip_prefix(prefix) != Some(LOCK_NAME)
        })
        .filter_map(|o| {
            let key = o.key.strip_prefix(prefix)?.to_owned();
            let remote = Remote {
                size: o.size,
                etag: Some(o.etag),
                recorded: recorded.and_then(|m| m.files.get(&key).cloned()),
            };
            Some((key, remote))
        })
        .collect()
}

/// Where and how uploads go.
struct Sending<'a> {
    client: &'a Client,
    prefix: &'a str,
    /// Uploads in flight at once.
    jobs: usize,
    /// Files over this many bytes go in parts of this size.
    part_size: u64,
}

/// Uploads phase by phase, `jobs` at a time within a phase; a phase starts only when
/// the one before is complete. Stops at the first failure. Returns the ETags by key.
fn upload_all(
    sending: &Sending<'_>,
    uploads: &[Upload<'_>],
    progress: &dyn DeployProgress,
) -> Result<BTreeMap<String, String>, DeployError> {
    let etags = Mutex::new(BTreeMap::new());
    for phase in uploads.chunk_by(|a, b| a.phase == b.phase) {
        in_parallel(phase, sending.jobs, |upload| {
            let etag = send_one(sending, upload)?;
            let file = upload.file;
            progress.uploaded(&file.key, file.size);
            etags
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(file.key.clone(), etag);
            Ok(())
        })?;
    }
    Ok(etags.into_inner().unwrap_or_else(PoisonError::into_inner))
}

/// Sends one file, in parts when it is over the threshold (then read part by part,
/// never whole); returns its ETag. A file whose MD5 is not the plan's changed since the
/// plan was made and is refused.
fn send_one(sending: &Sending<'_>, upload: &Upload<'_>) -> Result<String, DeployError> {
    let file = upload.file;
    let key = format!("{}{}", sending.prefix, file.key);
    if file.size > sending.part_size {
        return sending.client.put_multipart(&MultipartFile {
            key: &key,
            path: &file.path,
            md5: &file.md5,
            // At most the threshold, which is far below usize::MAX on 64-bit systems.
            part_size: usize::try_from(sending.part_size).unwrap_or(usize::MAX),
            content_type: upload.content_type,
            cache_control: &upload.cache_control,
        });
    }
    let body = std::fs::read(&file.path).map_err(|e| DeployError::io(&file.path, e))?;
    let md5 = md5_hex(&body);
    if md5 != file.md5 {
        return Err(DeployError::io(
            &file.path,
            std::io::Error::other("changed while deploying; build, then deploy again"),
        ));
    }
    let etag = sending
        .client
        .put(&key, &body, upload.content_type, &upload.cache_control)?;
    if is_md5(&etag) && etag != md5 {
        return Err(DeployError::Protocol {
            action: "upload",
            key,
            message: format!("stored ETag {etag} does not match the sent MD5 {md5}"),
        });
    }
    Ok(etag)
}

/// Runs `work` over `items` on `jobs` threads; after the first error no new item starts,
/// and that error is returned once the items in flight are done.
fn in_parallel<T: Sync>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> Result<(), DeployError> + Sync,
) -> Result<(), DeployError> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let first_error = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    if let Err(e) = work(item) {
                        failed.store(true, Ordering::Relaxed);
                        first_error
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .get_or_insert(e);
                    }
                }
            });
        }
    });
    match first_error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn is_md5(etag: &str) -> bool {
    etag.len() == 32 && etag.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_normalized() {
        assert_eq!(normalize_prefix(""), "");
        assert_eq!(normalize_prefix("/"), "");
        assert_eq!(normalize_prefix("news"), "news/");
        assert_eq!(normalize_prefix("/news/2013/"), "news/2013/");
    }

    #[test]
    fn listing_outside_the_site_is_ignored() {
        let listed = |key: &str| client::Listed {
            key: key.to_owned(),
            size: 1,
            etag: "e".to_owned(),
        };
        let remote = remote_state(
            "news/",
            "news/.broadsheet-manifest.json",
            vec![
                listed("news/.broadsheet-manifest.json"),
                listed("news/index.html"),
                listed("news/img/"),
            ],
            None,
        );
        assert_eq!(remote.keys().collect::<Vec<_>>(), ["index.html"]);
    }

    #[test]
    fn first_error_stops_new_work() {
        let done = AtomicUsize::new(0);
        let items: Vec<usize> = (0..100).collect();
        let e = in_parallel(&items, 1, |i| {
            done.fetch_add(1, Ordering::Relaxed);
            if *i == 3 {
                Err(DeployError::Target(format!("item {i}")))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "item 3");
        assert_eq!(done.load(Ordering::Relaxed), 4);
    }
}
