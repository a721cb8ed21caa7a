//! `broadsheet serve`: build the site for the local address into
//! `.broadsheet-cache/serve/` (its output and cache kept between runs, so a
//! restart on an unchanged archive is an incremental build, and the
//! project's `public/` is left alone), serve it with live reload, and
//! rebuild on changes. A first build that fails does not stop the server:
//! the browser shows the error until a save fixes it.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::build::{BuildError, BuildOptions, BuildReport, Quiet, build};
use crate::serve::{self, BuildFailure, Rebuilder, ServeEvent, ServeOptions};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site folder (holding site.toml and content/).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Address to listen on; anything but loopback exposes the preview.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on; 0 picks a free one (printed).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include articles marked as drafts.
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let root = super::root_of(&args.root);
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open the site folder {}", root.display()))?;
    let place = Place::open(&root)?;
    let site_dir = place.dir.join("public");
    // Served even before anything is built in it (a failed first build).
    std::fs::create_dir_all(&site_dir)
        .with_context(|| format!("cannot create {}", site_dir.display()))?;
    let mut listener = serve::bind(ServeOptions {
        bind: args.bind,
        port: args.port,
        open: args.open,
        site_dir: site_dir.clone(),
        watch: ["content", "templates", "themes", "static", "site.toml"]
            .iter()
            .map(|p| root.join(p))
            .collect(),
        ..ServeOptions::default()
    })?;
    let builder = SiteBuilder {
        opts: BuildOptions {
            output_dir: Some(site_dir),
            // A cache of its own: the preview's base URL differs from the
            // published one, and `build` must not find its records changed.
            cache_dir: Some(place.dir.join("cache")),
            // Links point at the preview, not at the published site.
            base_url: Some(listener.url()),
            drafts: args.drafts,
            skip_invalid: false,
            ..BuildOptions::default()
        },
        root,
    };
    let kept = Kept::new(&place.dir, &listener.url(), args.drafts);
    if kept.usable() {
        println!(
            "serving the preview kept from the last run; checking it against the sources \
             in the background"
        );
        listener.rebuild_on_start();
    } else {
        kept.forget();
        if first_build(&builder, &mut listener) {
            kept.record();
        }
    }
    listener.serve(builder, print_event)?;
    drop(place);
    Ok(ExitCode::SUCCESS)
}

/// Builds before serving; on failure the server starts anyway, with the
/// overlay. Returns whether the build succeeded.
fn first_build(builder: &SiteBuilder, listener: &mut serve::Listener) -> bool {
    match builder.build() {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            println!(
                "built {} in {:.2?} ({} pages rendered, {} reused)",
                super::summary(&super::Summary::of_build(&report)),
                report.elapsed,
                report.pages_rendered,
                report.pages_reused
            );
            true
        }
        Err(err) => {
            super::print_diagnostics(&err.diagnostics);
            eprintln!(
                "error: build failed with {err}; serving anyway, with the error shown \
                 in the browser until a saved change fixes it"
            );
            listener.first_build_failed(failure_of(&err));
            false
        }
    }
}

/// What the kept preview was built for (`built-for` beside it: the base
/// URL and the drafts switch), written after a good build. A preview built
/// for the same address and drafts is served at once while a rebuild checks
/// it; any other (another port, or a build cut short) is built first.
struct Kept {
    file: PathBuf,
    site_dir: PathBuf,
    wanted: String,
}

impl Kept {
    fn new(dir: &Path, url: &str, drafts: bool) -> Self {
        Kept {
            file: dir.join("built-for"),
            site_dir: dir.join("public"),
            wanted: format!("base_url = {url}\ndrafts = {drafts}\n"),
        }
    }

    fn usable(&self) -> bool {
        let built_for = std::fs::read_to_string(&self.file).ok();
        let has_files = std::fs::read_dir(&self.site_dir).is_ok_and(|mut d| d.next().is_some());
        built_for.as_deref() == Some(self.wanted.as_str()) && has_files
    }

    /// Called before a build that may be cut short.
    fn forget(&self) {
        // Missing is fine; any other failure shows up on `record`.
        let _ = std::fs::remove_file(&self.file);
    }

    fn record(&self) {
        if let Err(e) = std::fs::write(&self.file, &self.wanted) {
            eprintln!(
                "warning: cannot write {}: {e}; the next start builds first",
                self.file.display()
            );
        }
    }
}

/// The real build behind the preview.
struct SiteBuilder {
    root: PathBuf,
    opts: BuildOptions,
}

impl SiteBuilder {
    fn build(&self) -> Result<BuildReport, BuildError> {
        build(&self.root, &self.opts, &Quiet)
    }
}

impl Rebuilder for SiteBuilder {
    fn rebuild(&self, changed: &[PathBuf]) -> Result<String, BuildFailure> {
        let what = if changed.is_empty() {
            // The rebuild asked for at start, of the kept preview.
            "the kept preview checked against the sources".to_owned()
        } else {
            format!("{} changed", describe(&self.root, changed))
        };
        match self.build() {
            Ok(report) => Ok(format!(
                "{what}: {} pages rendered, {} reused, {} removed in {:.2?}{}",
                report.pages_rendered,
                report.pages_reused,
                report.files_removed,
                report.elapsed,
                match report.warnings() {
                    0 => String::new(),
                    1 => ", 1 warning".to_owned(),
                    n => format!(", {n} warnings"),
                }
            )),
            Err(err) => Err(failure_of(&err)),
        }
    }
}

/// The first error locates the overlay; the message lists every error.
fn failure_of(err: &BuildError) -> BuildFailure {
    let mut errors = err.diagnostics.iter().filter(|d| d.is_error());
    let Some(first) = errors.next() else {
        return BuildFailure {
            file: None,
            line: None,
            message: err.to_string(),
        };
    };
    let mut message = first.message.clone();
    for other in errors {
        message.push('\n');
        message.push_str(&other.to_string());
    }
    BuildFailure {
        file: Some(first.file.clone()),
        line: first.line,
        message,
    }
}

/// `content/a.md`, or `content/a.md and 3 more`, relative to the site.
fn describe(root: &Path, changed: &[PathBuf]) -> String {
    let Some(first) = changed.first() else {
        return "nothing".to_owned();
    };
    let first = first.strip_prefix(root).unwrap_or(first).display();
    match changed.len() {
        1 => first.to_string(),
        n => format!("{first} and {} more", n - 1),
    }
}

fn print_event(event: ServeEvent) {
    match event {
        ServeEvent::Listening { url } => {
            println!("listening on {url}");
            println!("watching for changes; press Ctrl-C to stop");
        }
        ServeEvent::Changed { .. } => {}
        ServeEvent::Rebuilt { summary, .. } => println!("{summary}"),
        ServeEvent::RebuildFailed { failure, .. } => {
            eprintln!("error: rebuild failed, still serving the last good build:\n{failure}");
        }
        ServeEvent::WatchFailed { message } => eprintln!("warning: watching: {message}"),
        ServeEvent::OpenFailed { url, message } => {
            eprintln!("warning: cannot open a browser at {url}: {message}");
        }
        ServeEvent::Stopping => eprintln!("stopping"),
        ServeEvent::RebuildCutShort => {
            eprintln!(
                "stopped during a rebuild; the next `broadsheet serve` finishes it \
                 (the preview is built in .broadsheet-cache/serve/, not in public/)"
            );
        }
    }
}

/// Where the preview is built: `.broadsheet-cache/serve/` in the project,
/// kept between runs and locked while a server uses it; a temporary folder,
/// removed on exit, when another `serve` of the same project holds the lock.
struct Place {
    dir: PathBuf,
    /// Held open for the lock; `None` for a temporary folder.
    lock: Option<std::fs::File>,
}

impl Place {
    fn open(root: &Path) -> anyhow::Result<Self> {
        let dir = root.join(crate::cache::DIR).join("serve");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join("lock");
        let lock = std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let op = rustix::fs::FlockOperation::NonBlockingLockExclusive;
        if rustix::fs::flock(&lock, op).is_ok() {
            clear_leftovers(&dir);
            return Ok(Place {
                dir,
                lock: Some(lock),
            });
        }
        let dir = std::env::temp_dir().join(format!("broadsheet-serve-{}", std::process::id()));
        eprintln!(
            "warning: another `broadsheet serve` is previewing this site; this one builds \
             from scratch in {}",
            dir.display()
        );
        if dir.exists() {
            // A previous process with the same id was killed; its files are ours to clear.
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Place { dir, lock: None })
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if self.lock.is_none() {
            // Best effort: a leftover in the temp dir harms nothing.
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes, in the background, the staging folders of a server that was
/// stopped during a rebuild (they are named after its process id, so no
/// later build reuses them). Deleting a whole staged site can take seconds;
/// serving does not wait for it.
fn clear_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".public.stage-")
        })
        .map(|e| e.path())
        .collect();
    if !stale.is_empty() {
        std::thread::spawn(move || {
            for path in stale {
                let _ = std::fs::remove_dir_all(path);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    #[test]
    fn the_overlay_names_the_first_error_and_lists_the_rest() {
        let err = BuildError {
            diagnostics: vec![
                Diagnostic::warning(Path::new("content/w.md"), Some(1), "odd"),
                Diagnostic::error(Path::new("content/a.md"), Some(3), "unknown field `auther`"),
                Diagnostic::error(Path::new("content/b.md"), None, "no date"),
            ],
        };
        let failure = failure_of(&err);
        assert_eq!(failure.file, Some(PathBuf::from("content/a.md")));
        assert_eq!(failure.line, Some(3));
        assert_eq!(
            failure.message,
            "unknown field `auther`\ncontent/b.md: error: no date"
        );
    }

    #[test]
    fn changed_paths_are_described_relative_to_the_site() {
        let root = Path::new("/site");
        assert_eq!(
            describe(root, &["/site/content/a.md".into()]),
            "content/a.md"
        );
        assert_eq!(
            describe(
                root,
                &["/site/content/a.md".into(), "/site/site.toml".into()]
            ),
            "content/a.md and 1 more"
        );
    }
}
