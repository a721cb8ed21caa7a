//! What a deploy will do, decided before anything changes: which files to upload (new
//! or replacing), in which order, which to delete, and the report of it. Pure: compares
//! the local files with what the target says it holds; no I/O.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use super::config::{CacheRules, DeployConfig};
use super::local::LocalFile;
use super::manifest::{Entry, Manifest};
use crate::mime::content_type;

/// Upload order. A reader of a half-deployed site must never follow a link to a file
/// that is not there yet, so whatever is linked to goes before what links to it:
/// assets, then article pages, then the lists linking to articles, then feeds, sitemaps
/// and redirect files, then the home page. Deletions run the other way, after all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Stylesheets, scripts, images, fonts and anything not listed below.
    Asset,
    /// Article pages (and any HTML page not recognised as a list).
    Article,
    /// Date archives, tag, author and section pages, pagination, `404.html`.
    Listing,
    /// Feeds, sitemaps, `robots.txt`, `_redirects`.
    Feed,
    /// `index.html` at the root.
    Home,
}

/// The phase of the file at `key` (its `/`-separated path in the output), from its
/// name and folders, following the URL scheme of the build: articles live under
/// `/YYYY/MM/DD/slug/`, lists under numeric date folders, `tags/`, `authors/`,
/// `sections/`, `archive/`, `page/`.
pub fn phase(key: &str) -> Phase {
    if key == "index.html" {
        return Phase::Home;
    }
    let (dirs, name) = key.rsplit_once('/').unwrap_or(("", key));
    let mime = content_type(Path::new(name));
    let lower = name.to_ascii_lowercase();
    let feed_like = mime.contains("xml")
        || lower.starts_with("feed.")
        || lower.starts_with("sitemap")
        || matches!(lower.as_str(), "robots.txt" | "_redirects" | "_headers");
    if feed_like {
        return Phase::Feed;
    }
    if !mime.starts_with("text/html") {
        return Phase::Asset;
    }
    let dirs: Vec<&str> = dirs.split('/').filter(|d| !d.is_empty()).collect();
    let is_list = dirs.is_empty()
        || dirs.iter().all(|d| d.bytes().all(|b| b.is_ascii_digit()))
        || dirs.iter().any(|d| LIST_FOLDERS.contains(d))
        || dirs == ["undated"];
    if is_list {
        Phase::Listing
    } else {
        Phase::Article
    }
}

const LIST_FOLDERS: &[&str] = &[
    "page",
    "tags",
    "tag",
    "authors",
    "author",
    "sections",
    "section",
    "categories",
    "archive",
    "archives",
];

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Uploaded; the target did not have it.
    New,
    /// Uploaded over a different version.
    Replace,
    /// Removed from the target: no longer in the build.
    Delete,
}

/// One line of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// `/`-separated path relative to the site root.
    pub path: String,
    /// Bytes sent (0 for a deletion).
    pub bytes: u64,
}

/// The outcome of a deploy, dry run or rollback. `Display` gives the one-line summary;
/// the alternate form (`{:#}`) lists every change first, as `--dry-run` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployReport {
    /// Name of the target.
    pub target: String,
    /// Nothing was changed; the counts say what would have been.
    pub dry_run: bool,
    pub uploads_new: usize,
    pub uploads_replaced: usize,
    pub deletes: usize,
    /// Bytes uploaded (or copied into the new release).
    pub upload_bytes: u64,
    /// Files already on the target as built.
    pub unchanged: usize,
    /// Every upload in upload order, then every deletion.
    pub changes: Vec<Change>,
    /// Directory targets: the release now live (or that would be).
    pub release: Option<String>,
    /// After `--rollback`: the release that was live before.
    pub rolled_back_from: Option<String>,
    /// Directory targets: old releases removed beyond `keep`.
    pub releases_pruned: usize,
}

impl DeployReport {
    /// URL paths whose content changed, for CDN invalidation: `/` + each changed path,
    /// plus the folder URL (`/2013/02/02/lavrov/`, `/`) for each `index.html`. Sorted.
    pub fn changed_url_paths(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        for change in &self.changes {
            out.insert(format!("/{}", change.path));
            if let Some(dir) = change.path.strip_suffix("index.html")
                && (dir.is_empty() || dir.ends_with('/'))
            {
                out.insert(format!("/{dir}"));
            }
        }
        out.into_iter().collect()
    }
}

impl fmt::Display for DeployReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            for change in &self.changes {
                writeln!(f, "{change}")?;
            }
        }
        let target = &self.target;
        if let Some(from) = &self.rolled_back_from {
            let release = self.release.as_deref().unwrap_or("?");
            let verb = if self.dry_run {
                "dry run: would roll back"
            } else {
                "rolled back"
            };
            return write!(
                f,
                "{verb} `{target}` from release {from} to {release} ({} files differ)",
                self.changes.len()
            );
        }
        let bytes = human_bytes(self.upload_bytes);
        let (new, replaced, deletes, unchanged) = (
            self.uploads_new,
            self.uploads_replaced,
            self.deletes,
            self.unchanged,
        );
        if self.dry_run {
            write!(
                f,
                "dry run for `{target}`: would upload {new} new and {replaced} replaced files \
                 ({bytes}) and delete {deletes}; {unchanged} unchanged; nothing was changed"
            )
        } else {
            write!(
                f,
                "deployed to `{target}`: {new} new, {replaced} replaced, {deletes} deleted, \
                 {bytes} uploaded, {unchanged} unchanged"
            )?;
            if let Some(release) = &self.release {
                write!(f, "; release {release} is live")?;
            }
            Ok(())
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ChangeKind::New => write!(f, "new      {} ({})", self.path, human_bytes(self.bytes)),
            ChangeKind::Replace => {
                write!(f, "replace  {} ({})", self.path, human_bytes(self.bytes))
            }
            ChangeKind::Delete => write!(f, "delete   {}", self.path),
        }
    }
}

/// `1536` -> `1.5 KiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    #[expect(clippy::cast_precision_loss, reason = "a rounded figure for people")]
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// What the target holds for one key, as far as it can tell.
#[derive(Debug, Clone, Default)]
pub(crate) struct Remote {
    pub size: u64,
    /// The ETag listed by the store, unquoted.
    pub etag: Option<String>,
    /// What the last deploy's manifest recorded for this key.
    pub recorded: Option<Entry>,
}

/// One file to send.
#[derive(Debug, Clone)]
pub(crate) struct Upload<'a> {
    pub file: &'a LocalFile,
    pub replace: bool,
    pub phase: Phase,
    pub content_type: &'static str,
    pub cache_control: String,
}

/// The plan: uploads in upload order, deletions in deletion order.
#[derive(Debug)]
pub(crate) struct Plan<'a> {
    pub uploads: Vec<Upload<'a>>,
    pub deletes: Vec<String>,
    pub unchanged: usize,
    /// What the target will hold once the plan ran: the next manifest (ETags of
    /// uploads are filled in by the target as they come back).
    pub next: BTreeMap<String, Entry>,
}

/// How to compare local files with the target.
pub(crate) struct Compare {
    /// Upload every file.
    pub force: bool,
    /// A change of Content-Type or Cache-Control needs an upload (true for S3, whose
    /// objects carry their headers; false for directories, which carry none).
    pub headers: bool,
}

/// Decides what to upload and delete. A file is unchanged when the target has the same
/// size and either the ETag equals its MD5 or the manifest recorded the same blake3
/// (and the ETag it saw then, if any), and, when `headers`, the recorded headers match.
pub(crate) fn plan<'a>(
    files: &'a [LocalFile],
    remote: &BTreeMap<String, Remote>,
    cfg: &DeployConfig,
    how: &Compare,
) -> Plan<'a> {
    let rules = CacheRules::new(cfg);
    let mut uploads = Vec::new();
    let mut next = BTreeMap::new();
    let mut unchanged = 0;
    for file in files {
        let content_type = content_type(Path::new(&file.key));
        let cache_control = rules.value(&file.key).to_owned();
        let there = remote.get(&file.key);
        let same = there.is_some_and(|r| {
            !how.force && is_same(file, r, content_type, &cache_control, how.headers)
        });
        next.insert(
            file.key.clone(),
            Entry {
                size: file.size,
                blake3: file.blake3.clone(),
                etag: there.filter(|_| same).and_then(|r| r.etag.clone()),
                content_type: content_type.to_owned(),
                cache_control: cache_control.clone(),
            },
        );
        if same {
            unchanged += 1;
        } else {
            uploads.push(Upload {
                file,
                replace: there.is_some(),
                phase: phase(&file.key),
                content_type,
                cache_control,
            });
        }
    }
    uploads.sort_by(|a, b| (a.phase, &a.file.key).cmp(&(b.phase, &b.file.key)));
    let mut deletes: Vec<String> = remote
        .keys()
        .filter(|k| !next.contains_key(*k))
        .cloned()
        .collect();
    deletes.sort_by(|a, b| (phase(b), a).cmp(&(phase(a), b)));
    Plan {
        uploads,
        deletes,
        unchanged,
        next,
    }
}

fn is_same(
    file: &LocalFile,
    r: &Remote,
    content_type: &str,
    cache_control: &str,
    headers: bool,
) -> bool {
    if r.size != file.size {
        return false;
    }
    let content = r.etag.as_deref() == Some(file.md5.as_str())
        || r.recorded
            .as_ref()
            .is_some_and(|m| m.blake3 == file.blake3 && (m.etag.is_none() || m.etag == r.etag));
    let header_ok = !headers
        || r.recorded
            .as_ref()
            .is_none_or(|m| m.content_type == content_type && m.cache_control == cache_control);
    content && header_ok
}

impl Plan<'_> {
    /// The report of this plan, before (dry run) or after it ran.
    pub(crate) fn report(&self, target: &str, dry_run: bool) -> DeployReport {
        let mut changes: Vec<Change> = self
            .uploads
            .iter()
            .map(|u| Change {
                kind: if u.replace {
                    ChangeKind::Replace
                } else {
                    ChangeKind::New
                },
                path: u.file.key.clone(),
                bytes: u.file.size,
            })
            .collect();
        changes.extend(self.deletes.iter().map(|k| Change {
            kind: ChangeKind::Delete,
            path: k.clone(),
            bytes: 0,
        }));
        let replaced = self.uploads.iter().filter(|u| u.replace).count();
        DeployReport {
            target: target.to_owned(),
            dry_run,
            uploads_new: self.uploads.len() - replaced,
            uploads_replaced: replaced,
            deletes: self.deletes.len(),
            upload_bytes: self.uploads.iter().map(|u| u.file.size).sum(),
            unchanged: self.unchanged,
            changes,
            release: None,
            rolled_back_from: None,
            releases_pruned: 0,
        }
    }

    /// The manifest to store once the plan ran.
    pub(crate) fn manifest(&self) -> Manifest {
        Manifest::new(self.next.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_s3<'a>(files: &'a [LocalFile], remote: &BTreeMap<String, Remote>) -> Plan<'a> {
        let how = Compare {
            force: false,
            headers: true,
        };
        plan(files, remote, &DeployConfig::default(), &how)
    }

    fn local(key: &str, body: &str) -> LocalFile {
        super::super::local::hash_file_bytes(key, body.as_bytes())
    }

    #[test]
    fn phases_follow_the_url_scheme() {
        assert_eq!(phase("style.css"), Phase::Asset);
        assert_eq!(phase("img/a.png"), Phase::Asset);
        assert_eq!(phase("2013/02/02/lavrov/index.html"), Phase::Article);
        assert_eq!(phase("undated/some-story/index.html"), Phase::Article);
        assert_eq!(phase("2013/index.html"), Phase::Listing);
        assert_eq!(phase("2013/02/02/index.html"), Phase::Listing);
        assert_eq!(phase("tags/russia/index.html"), Phase::Listing);
        assert_eq!(phase("page/3/index.html"), Phase::Listing);
        assert_eq!(phase("undated/index.html"), Phase::Listing);
        assert_eq!(phase("404.html"), Phase::Listing);
        assert_eq!(phase("atom.xml"), Phase::Feed);
        assert_eq!(phase("sitemap-2013.xml"), Phase::Feed);
        assert_eq!(phase("robots.txt"), Phase::Feed);
        assert_eq!(phase("_redirects"), Phase::Feed);
        assert_eq!(phase("index.html"), Phase::Home);
    }

    #[test]
    fn uploads_are_ordered_by_phase_and_deletes_reversed() {
        let files = [
            local("index.html", "home"),
            local("atom.xml", "feed"),
            local("2013/index.html", "year"),
            local("2013/02/02/a/index.html", "a"),
            local("style.css", "css"),
        ];
        let mut remote = BTreeMap::new();
        for key in ["old.css", "2012/01/01/b/index.html", "2012/index.html"] {
            remote.insert(key.to_owned(), Remote::default());
        }
        let p = plan_s3(&files, &remote);
        let order: Vec<_> = p.uploads.iter().map(|u| u.file.key.as_str()).collect();
        assert_eq!(
            order,
            [
                "style.css",
                "2013/02/02/a/index.html",
                "2013/index.html",
                "atom.xml",
                "index.html"
            ]
        );
        assert_eq!(
            p.deletes,
            ["2012/index.html", "2012/01/01/b/index.html", "old.css"]
        );
    }

    #[test]
    fn same_md5_or_recorded_blake3_is_unchanged_unless_headers_moved() {
        let files = [
            local("a.html", "one"),
            local("b.html", "two"),
            local("c.html", "three"),
        ];
        let entry = |f: &LocalFile, cc: &str| Entry {
            size: f.size,
            blake3: f.blake3.clone(),
            etag: Some("multipart-1".into()),
            content_type: "text/html; charset=utf-8".into(),
            cache_control: cc.into(),
        };
        let mut remote = BTreeMap::new();
        remote.insert(
            "a.html".into(),
            Remote {
                size: 3,
                etag: Some(files[0].md5.clone()),
                recorded: None,
            },
        );
        remote.insert(
            "b.html".into(),
            Remote {
                size: 3,
                etag: Some("multipart-1".into()),
                recorded: Some(entry(&files[1], super::super::config::SHORT)),
            },
        );
        remote.insert(
            "c.html".into(),
            Remote {
                size: 5,
                etag: Some("x".into()),
                recorded: Some(entry(&files[2], "no-cache")),
            },
        );
        let cfg = DeployConfig::default();
        let p = plan(
            &files,
            &remote,
            &cfg,
            &Compare {
                force: false,
                headers: true,
            },
        );
        assert_eq!(p.unchanged, 2);
        assert_eq!(p.uploads.len(), 1);
        assert_eq!(
            (p.uploads[0].file.key.as_str(), p.uploads[0].replace),
            ("c.html", true)
        );
        let p = plan(
            &files,
            &remote,
            &cfg,
            &Compare {
                force: true,
                headers: true,
            },
        );
        assert_eq!((p.unchanged, p.uploads.len()), (0, 3));
    }

    #[test]
    fn report_summarises_and_lists_changes() {
        let files = [local("index.html", "home"), local("a.css", "x")];
        let mut remote = BTreeMap::new();
        remote.insert("index.html".to_owned(), Remote::default());
        remote.insert("gone/index.html".to_owned(), Remote::default());
        let p = plan_s3(&files, &remote);
        let r = p.report("prod", true);
        assert_eq!(
            r.to_string(),
            "dry run for `prod`: would upload 1 new and 1 replaced files (5 B) and delete 1; \
             0 unchanged; nothing was changed"
        );
        assert_eq!(
            format!("{r:#}"),
            "new      a.css (1 B)\nreplace  index.html (4 B)\ndelete   gone/index.html\n\
             dry run for `prod`: would upload 1 new and 1 replaced files (5 B) and delete 1; \
             0 unchanged; nothing was changed"
        );
        assert_eq!(
            r.changed_url_paths(),
            ["/", "/a.css", "/gone/", "/gone/index.html", "/index.html"]
        );
    }

    #[test]
    fn bytes_read_well() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024 * 1024), "5.0 GiB");
    }
}
