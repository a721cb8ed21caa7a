//! Watching the project's sources and running rebuilds, one at a time.
//!
//! Owns the debouncer and the rebuild thread: it turns file-system events
//! into a list of changed paths, calls the [`Rebuilder`], and reports the
//! outcome to the live-reload state and to `on_event`. It does not build
//! anything itself and never touches the served directory.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::DebouncedEvent;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::files::Site;
use super::{BuildFailure, Rebuilder, ServeError, ServeEvent};

/// Watching, with changes queued until [`Watching::run`] starts rebuilding:
/// a change saved while the first build runs is not lost.
pub(crate) struct Watching {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    rx: Receiver<DebounceEventResult>,
    scope: Scope,
    debounce: Duration,
    /// Rebuild once as soon as [`Self::run`] starts, changes or not.
    rebuild_first: bool,
}

/// The debouncer, shared with the rebuild thread (which adds watches for
/// directories that appear) until [`Watcher::stop`] takes it.
type SharedDebouncer = Arc<Mutex<Option<Debouncer<RecommendedWatcher, RecommendedCache>>>>;

/// A running watcher and its rebuild thread; [`Watcher::stop`] ends both.
pub(crate) struct Watcher {
    debouncer: SharedDebouncer,
    thread: JoinHandle<()>,
    /// Set on stop: changes still queued start no new rebuild.
    stopping: Arc<AtomicBool>,
    on_event: Arc<dyn Fn(ServeEvent) + Send + Sync>,
}

/// How long stopping waits for a rebuild in progress before leaving it to
/// end with the process. Short, so that Ctrl-C returns the prompt at once:
/// a build cut short leaves the last output whole (it is staged and swapped
/// in) and its cache forgets the output first, so the next build redoes it.
const STOP_WAIT: Duration = Duration::from_millis(500);

/// What is watched: directories recursively, single files through their
/// parent directory (an editor's save-by-rename replaces the file, and a
/// watch on the old inode would go quiet), and paths that do not exist yet
/// through their parent too, so that a `templates/` made after the server
/// started is seen, and then watched as a directory.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scope {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
    /// Asked for but missing when watching began; they may appear.
    missing: Vec<PathBuf>,
}

impl Scope {
    /// Sorts `paths` into directories, files and missing paths (a site
    /// without `themes/` is normal). A missing path whose parent is missing
    /// too is left out.
    pub(crate) fn new(paths: &[PathBuf]) -> Self {
        let mut scope = Scope::default();
        for path in paths {
            // Canonical paths, because the watcher reports canonical ones
            // when given them, and `relevant` compares by prefix.
            match path.canonicalize() {
                Ok(path) if path.is_dir() => scope.dirs.push(path),
                Ok(path) => scope.files.push(path),
                Err(_) => {
                    let parent = path.parent().and_then(|p| p.canonicalize().ok());
                    if let (Some(parent), Some(name)) = (parent, path.file_name()) {
                        scope.missing.push(parent.join(name));
                    }
                }
            }
        }
        scope
    }

    /// Whether a changed `path` should trigger a rebuild.
    pub(crate) fn relevant(&self, path: &Path) -> bool {
        let inside = self
            .dirs
            .iter()
            .chain(&self.missing)
            .any(|d| path.starts_with(d))
            || self.files.iter().any(|f| f == path);
        inside && !is_editor_scratch(path)
    }

    /// Whether `path` is one of the directories (or missing paths) asked
    /// for itself, not something inside one: when it appears as a
    /// directory, it needs a recursive watch of its own.
    fn is_root(&self, path: &Path) -> bool {
        self.dirs.iter().chain(&self.missing).any(|d| d == path)
    }

    /// The directories to watch recursively and the parents to watch
    /// non-recursively.
    fn targets(&self) -> impl Iterator<Item = (&Path, RecursiveMode)> {
        let parents: BTreeSet<&Path> = self
            .files
            .iter()
            .chain(&self.missing)
            .filter_map(|f| f.parent())
            .collect();
        let dirs = self
            .dirs
            .iter()
            .map(|d| (d.as_path(), RecursiveMode::Recursive));
        dirs.chain(
            parents
                .into_iter()
                .map(|p| (p, RecursiveMode::NonRecursive)),
        )
    }
}

impl Watching {
    /// Starts watching `scope`; events wait in a queue until [`Self::run`].
    pub(crate) fn begin(scope: Scope, debounce: Duration) -> Result<Self, ServeError> {
        let (tx, rx) = channel();
        let mut debouncer =
            new_debouncer(debounce, None, tx).map_err(|source| ServeError::Watch {
                path: PathBuf::new(),
                source,
            })?;
        for (path, mode) in scope.targets() {
            debouncer
                .watch(path, mode)
                .map_err(|source| ServeError::Watch {
                    path: path.to_path_buf(),
                    source,
                })?;
        }
        Ok(Watching {
            debouncer,
            rx,
            scope,
            debounce,
            rebuild_first: false,
        })
    }

    /// Asks for a rebuild as soon as serving starts, before any change: the
    /// caller serves a site kept from an earlier run, and this one checks
    /// it against the sources (the tabs reload when it is done).
    pub(crate) fn rebuild_first(&mut self) {
        self.rebuild_first = true;
    }

    /// Starts the rebuild thread: from now on changes are rebuilt and
    /// reported, beginning with any that queued up since [`Self::begin`].
    pub(crate) fn run<R, F>(
        self,
        site: Arc<Site>,
        rebuilder: R,
        on_event: Arc<F>,
    ) -> Result<Watcher, ServeError>
    where
        R: Rebuilder,
        F: Fn(ServeEvent) + Send + Sync + 'static,
    {
        let Watching {
            debouncer,
            rx,
            scope,
            debounce,
            rebuild_first,
        } = self;
        let debouncer: SharedDebouncer = Arc::new(Mutex::new(Some(debouncer)));
        let shared = Arc::clone(&debouncer);
        let stopping = Arc::new(AtomicBool::new(false));
        let stop_flag = Arc::clone(&stopping);
        let events = Arc::clone(&on_event);
        let thread = std::thread::Builder::new()
            .name("broadsheet-rebuild".into())
            .spawn(move || {
                let context = Context {
                    settle_for: debounce / 2,
                    scope: &scope,
                    site: &site,
                    stopping: &stop_flag,
                    debouncer: &shared,
                };
                if rebuild_first {
                    rebuild_now(Vec::new(), &site, &rebuilder, &*events);
                }
                rebuild_loop(&rx, &context, &rebuilder, &*events);
            })
            .map_err(ServeError::Runtime)?;
        Ok(Watcher {
            debouncer,
            thread,
            stopping,
            on_event,
        })
    }
}

impl Watcher {
    /// Stops watching and waits (half a second at most) for a rebuild in
    /// progress to finish, so that it is not cut short needlessly. A rebuild
    /// still running then is left to end with the process, and reported.
    pub(crate) fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Stopping the debouncer drops its sender, which ends the loop.
        let debouncer = self
            .debouncer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(debouncer) = debouncer {
            debouncer.stop();
        }
        let deadline = Instant::now() + STOP_WAIT;
        while !self.thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if self.thread.is_finished() {
            let _ = self.thread.join();
        } else {
            (self.on_event)(ServeEvent::RebuildCutShort);
        }
    }
}

/// What the rebuild loop reads besides its queue and callbacks.
struct Context<'a> {
    settle_for: Duration,
    scope: &'a Scope,
    site: &'a Site,
    stopping: &'a AtomicBool,
    debouncer: &'a SharedDebouncer,
}

fn rebuild_loop<R: Rebuilder, F: Fn(ServeEvent) + ?Sized>(
    rx: &Receiver<DebounceEventResult>,
    context: &Context<'_>,
    rebuilder: &R,
    on_event: &F,
) {
    let Context {
        settle_for,
        site,
        stopping,
        ..
    } = context;
    while let Ok(first) = rx.recv() {
        let mut changed = BTreeSet::new();
        for result in std::iter::once(first).chain(settle(rx, *settle_for)) {
            match result {
                Ok(events) => changed.extend(changes_in(&events, context, on_event)),
                Err(errors) => {
                    for error in errors {
                        on_event(ServeEvent::WatchFailed {
                            message: error.to_string(),
                        });
                    }
                }
            }
        }
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        if changed.is_empty() {
            continue;
        }
        rebuild_now(changed.into_iter().collect(), site, rebuilder, on_event);
    }
}

/// One rebuild after `changed` (empty: a rebuild asked for at start), with
/// its outcome told to the tabs and to `on_event`.
fn rebuild_now<R: Rebuilder, F: Fn(ServeEvent) + ?Sized>(
    changed: Vec<PathBuf>,
    site: &Site,
    rebuilder: &R,
    on_event: &F,
) {
    on_event(ServeEvent::Changed {
        paths: changed.clone(),
    });
    let started = Instant::now();
    // A panic in the build is one more way a bad file can fail it; the
    // server must outlive it.
    let outcome = catch_unwind(AssertUnwindSafe(|| rebuilder.rebuild(&changed)))
        .unwrap_or_else(|panic| Err(BuildFailure::from_panic(panic.as_ref())));
    let elapsed = started.elapsed();
    match outcome {
        Ok(summary) => {
            site.live.succeeded(css_only(&changed));
            on_event(ServeEvent::Rebuilt { summary, elapsed });
        }
        Err(failure) => {
            site.live.failed(&failure);
            on_event(ServeEvent::RebuildFailed { failure, elapsed });
        }
    }
}

/// The relevant paths of one batch of events. A watched directory that
/// appears (made after the server started, or deleted and made again) gets
/// a recursive watch before the rebuild it triggers reads it, so files
/// saved in it later are seen too.
fn changes_in<F: Fn(ServeEvent) + ?Sized>(
    events: &[DebouncedEvent],
    context: &Context<'_>,
    on_event: &F,
) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for event in events.iter().filter(|e| matters(&e.kind)) {
        let appeared = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in event.paths.iter().filter(|p| context.scope.relevant(p)) {
            if appeared && context.scope.is_root(path) && path.is_dir() {
                watch_new_dir(context.debouncer, path, on_event);
            }
            changed.push(path.clone());
        }
    }
    changed
}

fn watch_new_dir<F: Fn(ServeEvent) + ?Sized>(
    debouncer: &SharedDebouncer,
    dir: &Path,
    on_event: &F,
) {
    let mut debouncer = debouncer.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(debouncer) = debouncer.as_mut() else {
        return;
    };
    if let Err(e) = debouncer.watch(dir, RecursiveMode::Recursive) {
        on_event(ServeEvent::WatchFailed {
            message: format!("cannot watch {}: {e}", dir.display()),
        });
    }
}

/// The batches that follow the first one closely. The debouncer times each
/// path on its own, so a burst over many files (a `git checkout`, a script)
/// arrives as several batches a tick apart; waiting until the channel has
/// been quiet for `quiet` merges them into one rebuild. Whatever arrived
/// while the previous rebuild ran is already queued and joins too. The wait
/// is capped so that a never-ending stream of changes still gets built.
fn settle(rx: &Receiver<DebounceEventResult>, quiet: Duration) -> Vec<DebounceEventResult> {
    let deadline = Instant::now() + MAX_SETTLE;
    let mut batches = Vec::new();
    while Instant::now() < deadline {
        match rx.recv_timeout(quiet) {
            Ok(batch) => batches.push(batch),
            Err(_) => break,
        }
    }
    batches
}

/// The longest a rebuild waits for a burst of changes to end.
const MAX_SETTLE: Duration = Duration::from_secs(2);

/// Reads (the build's own, among others) and access-time updates change
/// nothing.
fn matters(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(
            AccessKind::Open(_)
                | AccessKind::Close(_)
                | AccessKind::Read
                | AccessKind::Any
                | AccessKind::Other
        ) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// Swap files, backups and lock files editors write beside the real one.
fn is_editor_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.starts_with(".#")
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

fn css_only(changed: &[PathBuf]) -> bool {
    !changed.is_empty()
        && changed.iter().all(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("css"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_in_scope_and_not_scratch_files_count() {
        let scope = Scope {
            dirs: vec!["/p/content".into(), "/p/templates".into()],
            files: vec!["/p/site.toml".into()],
            missing: vec!["/p/static".into()],
        };
        assert!(scope.relevant(Path::new("/p/static/logo.svg")));
        assert!(scope.is_root(Path::new("/p/static")));
        assert!(!scope.is_root(Path::new("/p/content/world")));
        assert!(scope.relevant(Path::new("/p/content/2013/a.md")));
        assert!(scope.relevant(Path::new("/p/site.toml")));
        assert!(!scope.relevant(Path::new("/p/public/index.html")));
        assert!(!scope.relevant(Path::new("/p/site.toml.bak/x")));
        assert!(!scope.relevant(Path::new("/p/content/.a.md.swp")));
        assert!(!scope.relevant(Path::new("/p/content/a.md~")));
        assert!(!scope.relevant(Path::new("/p/content/.#a.md")));
    }

    #[test]
    fn reads_do_not_trigger_rebuilds_but_writes_do() {
        use notify::event::{AccessMode, CreateKind, DataChange};
        assert!(!matters(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!matters(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(matters(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(matters(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn a_change_is_css_only_when_every_path_is_a_stylesheet() {
        assert!(css_only(&["a.css".into(), "b/C.CSS".into()]));
        assert!(!css_only(&["a.css".into(), "b.md".into()]));
        assert!(!css_only(&[]));
    }
}
