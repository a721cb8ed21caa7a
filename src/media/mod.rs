//! Media: the files under content/ that are not articles (images, PDFs,
//! sound, video) and travel with the articles that use them. `plan` decides
//! which file goes where (every file of a page bundle, and every file an
//! article refers to, beside the article's page, under the name it is
//! referred to by) and reports references to files that do not exist. Reads
//! nothing: the walk (`source::Asset`) listed the files.
//!
//! A page bundle is a folder whose article is `index.md` (or
//! `index.markdown`): every other file in it and below it, except those of a
//! bundle further down, belongs to that article.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ahash::AHashMap as HashMap;

use crate::archive::{Archive, Entry};
use crate::article::media::{MediaKind, known_file_type};
use crate::config::ImagesConfig;
use crate::diag::Diagnostic;
use crate::source::{Asset, FileStamp, Format};
use photo::{Layout, Probe, Raster};

/// Why a file under content/ was not copied.
pub mod html;
pub mod photo;
pub mod store;

pub const UNUSED: &str = "not in a page bundle and used by no article";

/// Where every media file goes.
#[derive(Debug, Default)]
pub struct MediaPlan {
    /// Sorted by output path; one source may go to several places.
    pub files: Vec<MediaFile>,
}

/// One media file to put in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// The source, relative to content/ (`/`-separated).
    pub source: String,
    /// Where it goes, relative to the output (`2020/01/02/fire/photo.jpg`).
    pub out: String,
    /// As the walk saw the source.
    pub stamp: Option<FileStamp>,
}

/// An article showing a file: entry, target as written, source, how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub entry: u32,
    pub target: String,
    pub source: String,
    pub kind: MediaKind,
}

/// What `plan` found: the plan, the references that point at nothing (as
/// errors or, with `skip_invalid`, warnings), and the files nobody uses.
#[derive(Debug, Default)]
pub struct Planned {
    pub plan: MediaPlan,
    /// Every image and lead image an article shows that was found.
    pub uses: Vec<Use>,
    pub diagnostics: Vec<Diagnostic>,
    pub unused: Vec<PathBuf>,
}

/// Decides where each file under content/ that is not an article goes.
pub fn plan(archive: &Archive, assets: &[Asset], skip_invalid: bool) -> Planned {
    let mut assets: Vec<&Asset> = assets.iter().collect();
    assets.sort_unstable_by(|a, b| a.content_path.cmp(&b.content_path));
    let bundles = bundles(archive);
    let mut out = Planned::default();
    let mut used = vec![false; assets.len()];
    for (k, asset) in assets.iter().enumerate() {
        if let Some(&i) = owner(&asset.content_path, &bundles) {
            let e = &archive.entries[i as usize];
            let rel = &asset.content_path[dir_of(&content_path(&e.article.source)).len()..];
            let rel = rel.trim_start_matches('/');
            out.plan.files.push(MediaFile {
                source: asset.content_path.clone(),
                out: format!("{}{rel}", page_dir(&e.url)),
                stamp: asset.stamp,
            });
            used[k] = true;
        }
    }
    let refs = Refs {
        assets: &assets,
        bundles: &bundles,
        skip_invalid,
    };
    for (i, e) in archive.entries.iter().enumerate() {
        refs.resolve(i as u32, e, &mut out, &mut used);
    }
    out.plan
        .files
        .sort_by(|a, b| (&a.out, &a.source).cmp(&(&b.out, &b.source)));
    out.plan.files.dedup();
    for w in out.plan.files.windows(2) {
        if w[0].out == w[1].out {
            out.diagnostics.push(Diagnostic::error(
                &Path::new("content").join(&w[1].source),
                None,
                format!(
                    "two files would be copied to {}: content/{} and content/{}",
                    w[0].out, w[0].source, w[1].source
                ),
            ));
        }
    }
    out.unused = assets
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(a, _)| Path::new("content").join(&a.content_path))
        .collect();
    out
}

/// What resolving an article's references needs.
struct Refs<'a> {
    /// Sorted by path.
    assets: &'a [&'a Asset],
    bundles: &'a HashMap<&'a str, u32>,
    skip_invalid: bool,
}

impl Refs<'_> {
    /// Entry `i`'s references: each file found is marked used and, unless
    /// its bundle already brings it, planned where the page points; each
    /// missing one is a problem.
    fn resolve(&self, i: u32, e: &Entry, out: &mut Planned, used: &mut [bool]) {
        let source = content_path(&e.article.source);
        let dir = dir_of(&source);
        for r in &e.article.media {
            let problem = |message: String| {
                let line = Some(r.line as usize);
                match self.skip_invalid {
                    true => Diagnostic::warning(&e.article.source, line, message),
                    false => Diagnostic::error(&e.article.source, line, message),
                }
            };
            let noun = match r.kind {
                MediaKind::Image => "image",
                MediaKind::Link => "linked file",
                MediaKind::Lead => "lead image (`image`)",
            };
            let Some(path) = join(dir, &r.target) else {
                let msg = format!("{noun} `{}` points outside content/", r.target);
                out.diagnostics.push(problem(msg));
                continue;
            };
            let found = self
                .assets
                .binary_search_by(|a| a.content_path.as_str().cmp(&path));
            let Ok(k) = found else {
                if r.kind == MediaKind::Link && !known_file_type(&r.target) {
                    continue;
                }
                let msg = format!(
                    "{noun} `{}` not found: there is no file content/{path}",
                    r.target
                );
                out.diagnostics.push(problem(msg));
                continue;
            };
            used[k] = true;
            if r.kind != MediaKind::Link {
                out.uses.push(Use {
                    entry: i,
                    target: r.target.clone(),
                    source: path.clone(),
                    kind: r.kind,
                });
            }
            if owner(&path, self.bundles) == Some(&i) {
                continue;
            }
            match join(page_dir(&e.url).trim_end_matches('/'), &r.target) {
                Some(dest) if !dest.is_empty() => out.plan.files.push(MediaFile {
                    source: path,
                    out: dest,
                    stamp: self.assets[k].stamp,
                }),
                _ => {
                    let msg = format!(
                        "{noun} `{}` would be outside the site from the page {}",
                        r.target, e.url
                    );
                    out.diagnostics.push(problem(msg));
                }
            }
        }
    }
}

/// A photo to publish: where its original goes, and what is made of it.
#[derive(Debug, Clone)]
pub struct Photo {
    /// Relative to content/.
    pub source: String,
    /// Where the original goes (its variants and crops go beside each).
    pub outs: Vec<String>,
    pub stamp: Option<FileStamp>,
    pub layout: Arc<Layout>,
    /// Names everything made of it: source bytes, settings, layout.
    pub key: [u8; 16],
}

/// What pages need to know about the photos their articles show.
#[derive(Debug, Default)]
pub struct Media {
    /// Per archive entry with photos: (target as written, layout).
    by_entry: HashMap<u32, Vec<(String, Arc<Layout>)>>,
    /// Per archive entry with photos: a digest of the above, for fingerprints.
    digests: HashMap<u32, [u8; 16]>,
}

impl Media {
    /// The photos entry `i` shows, by the target it writes.
    pub fn photos(&self, i: u32) -> &[(String, Arc<Layout>)] {
        self.by_entry.get(&i).map_or(&[], Vec::as_slice)
    }

    /// What entry `i` shows as `target`, when it is a photo.
    pub fn photo(&self, i: u32, target: &str) -> Option<&Layout> {
        self.photos(i)
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, l)| &**l)
    }

    /// Digest of what entry `i`'s pages show of its photos.
    pub fn digest(&self, i: u32) -> Option<&[u8; 16]> {
        self.digests.get(&i)
    }
}

/// The photos among the planned files (JPEG, PNG and WebP, probed: source
/// -> content hash and size), what is made of each, and the table pages read.
/// A photo gets variants when an article shows it, and crops when one leads
/// with it (around that article's `image_focus`).
pub fn photos(
    archive: &Archive,
    planned: &Planned,
    probed: &HashMap<String, ([u8; 16], Probe)>,
    cfg: &ImagesConfig,
) -> (Vec<Photo>, Media) {
    // Per source: shown (variants), and the focus of an article leading with it.
    type Role = (bool, Option<(f32, f32)>);
    let mut roles: HashMap<&str, Role> = HashMap::new();
    for u in &planned.uses {
        let role = roles.entry(u.source.as_str()).or_default();
        role.0 = true;
        if u.kind == MediaKind::Lead && role.1.is_none() {
            let meta = archive.entries[u.entry as usize]
                .article
                .image_meta
                .as_deref();
            role.1 = Some(meta.and_then(|m| m.focus).unwrap_or((0.5, 0.5)));
        }
    }
    let mut by_source: HashMap<&str, Photo> = HashMap::new();
    for f in &planned.plan.files {
        let (Some(format), Some((hash, probe))) = (Raster::of(&f.source), probed.get(&f.source))
        else {
            continue;
        };
        let photo = by_source.entry(f.source.as_str()).or_insert_with(|| {
            let (variants, focus) = roles.get(f.source.as_str()).copied().unwrap_or_default();
            let layout = Layout::new(format, *probe, cfg, variants, focus);
            let name = f.source.rsplit('/').next().unwrap_or(&f.source);
            Photo {
                source: f.source.clone(),
                outs: Vec::new(),
                stamp: f.stamp,
                key: photo_key(hash, name, &layout, cfg),
                layout: Arc::new(layout),
            }
        });
        photo.outs.push(f.out.clone());
    }
    let mut media = Media::default();
    for u in &planned.uses {
        if let Some(p) = by_source.get(u.source.as_str()) {
            let list = media.by_entry.entry(u.entry).or_default();
            if !list.iter().any(|(t, _)| *t == u.target) {
                list.push((u.target.clone(), Arc::clone(&p.layout)));
            }
        }
    }
    for (&i, list) in &media.by_entry {
        let mut d = crate::digest::Digest::with_capacity(256);
        for (target, layout) in list {
            d.put(target.as_bytes());
            d.put(format!("{layout:?}").as_bytes());
        }
        media.digests.insert(i, d.finish());
    }
    let mut photos: Vec<Photo> = by_source.into_values().collect();
    photos.sort_by(|a, b| a.source.cmp(&b.source));
    (photos, media)
}

/// What names everything made of one photo.
fn photo_key(hash: &[u8; 16], name: &str, layout: &Layout, cfg: &ImagesConfig) -> [u8; 16] {
    let mut d = crate::digest::Digest::with_capacity(256);
    d.put(photo::PROCESS_VERSION);
    d.put(hash);
    d.put(name.as_bytes());
    d.put(format!("{layout:?}").as_bytes());
    d.put(&[cfg.quality, cfg.webp_quality, u8::from(cfg.keep_metadata)]);
    d.finish()
}

/// Page bundles: the folder (under content/) of each `index.md` article -> its entry.
fn bundles(archive: &Archive) -> HashMap<&str, u32> {
    let mut bundles = HashMap::new();
    for (i, e) in archive.entries.iter().enumerate() {
        let a = &e.article;
        let name = a.source.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_index = matches!(name, "index.md" | "index.markdown");
        if a.format != Format::Markdown || !is_index {
            continue;
        }
        let Some(dir) = a
            .source
            .parent()
            .and_then(|p| p.strip_prefix("content").ok())
            .and_then(Path::to_str)
            .filter(|d| !d.is_empty())
        else {
            continue;
        };
        bundles.insert(dir, i as u32);
    }
    bundles
}

/// The bundle a file belongs to: the nearest folder above it that is one.
fn owner<'b>(path: &str, bundles: &'b HashMap<&str, u32>) -> Option<&'b u32> {
    let mut dir = dir_of(path);
    while !dir.is_empty() {
        if let Some(i) = bundles.get(dir) {
            return Some(i);
        }
        dir = dir_of(dir);
    }
    None
}

/// `a/b/c.jpg` -> `a/b`; `c.jpg` -> ``.
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `content/a/b.md` -> `a/b.md`.
fn content_path(source: &Path) -> String {
    source
        .strip_prefix("content")
        .unwrap_or(source)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The output folder a page's relative links resolve against: `/a/b/` ->
/// `a/b/`, `/news/x.html` -> `news/`, `/` -> ``.
pub fn page_dir(url: &str) -> &str {
    let url = url.trim_start_matches('/');
    url.rsplit_once('/')
        .map_or("", |(d, _)| &url[..d.len() + 1])
}

/// `target` (a relative path) from the folder `dir`, with `.` and `..`
/// worked out; `None` when it climbs above the root.
fn join(dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{archive, config, md};

    fn asset(p: &str) -> Asset {
        Asset {
            content_path: p.to_string(),
            stamp: None,
        }
    }

    fn outs(p: &Planned) -> Vec<(&str, &str)> {
        p.plan
            .files
            .iter()
            .map(|f| (f.source.as_str(), f.out.as_str()))
            .collect()
    }

    #[test]
    fn bundle_files_go_beside_the_page_and_references_are_checked() {
        let cfg = config("");
        let a = archive(
            &cfg,
            &[
                (
                    "news/fire/index.md",
                    &md("Fire", "2020-01-02", "image: lead.jpg\n").replace(
                        "Body of Fire.",
                        "![Fire](photo.jpg)\n\n![Gone](missing.png)",
                    ),
                ),
                (
                    "news/2020-01-03-flood.md",
                    &md("Flood", "2020-01-03", "")
                        .replace("Body of Flood.", "[Report](files/r.pdf)"),
                ),
            ],
        );
        let assets = [
            asset("news/fire/photo.jpg"),
            asset("news/fire/lead.jpg"),
            asset("news/fire/docs/plan.pdf"),
            asset("news/files/r.pdf"),
            asset("news/stray.png"),
        ];
        let p = plan(&a, &assets, false);
        assert_eq!(
            outs(&p),
            [
                ("news/fire/docs/plan.pdf", "2020/01/02/fire/docs/plan.pdf"),
                ("news/fire/lead.jpg", "2020/01/02/fire/lead.jpg"),
                ("news/fire/photo.jpg", "2020/01/02/fire/photo.jpg"),
                ("news/files/r.pdf", "2020/01/03/flood/files/r.pdf"),
            ]
        );
        let msgs: Vec<String> = p.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "content/news/fire/index.md:8: error: image `missing.png` not found: there is no file content/news/fire/missing.png"
            ]
        );
        assert_eq!(p.unused, [PathBuf::from("content/news/stray.png")]);
        let lenient = plan(&a, &assets, true);
        assert!(!lenient.diagnostics[0].is_error());
    }

    #[test]
    fn paths_are_joined_without_leaving_the_root() {
        assert_eq!(join("a/b", "../c.jpg").as_deref(), Some("a/c.jpg"));
        assert_eq!(join("a", "./x/./y.png").as_deref(), Some("a/x/y.png"));
        assert_eq!(join("a", "../../x.png"), None);
        assert_eq!(page_dir("/2020/01/02/fire/"), "2020/01/02/fire/");
        assert_eq!(page_dir("/news/x.html"), "news/");
        assert_eq!(page_dir("/"), "");
    }
}
