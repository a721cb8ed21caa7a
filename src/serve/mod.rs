//! Local preview: serve the built site over HTTP, rebuild on changes, and
//! reload the open browser tabs.
//!
//! Owns the HTTP server (axum on a small tokio runtime), the file watcher and
//! the live-reload channel. It is generic over a [`Rebuilder`], so it knows
//! nothing of how the site is built; it only reads the directory it serves
//! and never writes anywhere. It does not print: everything worth telling
//! the user goes to the `on_event` callback.

mod files;
mod live;
mod path;
mod server;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

pub use server::{Listener, ServerHandle};

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// Port to listen on; 0 picks any free port (see [`ServerHandle::addr`]).
    pub port: u16,
    /// Open the site in the default browser once listening.
    pub open: bool,
    /// The directory being served: the built output.
    pub site_dir: PathBuf,
    /// Sources whose changes trigger a rebuild: directories (watched
    /// recursively) and single files. Missing ones are skipped.
    pub watch: Vec<PathBuf>,
    /// How long a path must stay quiet before its change is acted on.
    pub debounce: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            open: false,
            site_dir: PathBuf::from("public"),
            watch: Vec::new(),
            debounce: Duration::from_millis(150),
        }
    }
}

/// Rebuilds the site into [`ServeOptions::site_dir`] after sources changed.
///
/// Called from one thread, one rebuild at a time. It should leave the last
/// good site in place when it fails (the server keeps serving it).
pub trait Rebuilder: Send + Sync + 'static {
    /// Rebuilds after `changed` (absolute paths) changed; returns a one-line
    /// summary of what it did.
    fn rebuild(&self, changed: &[PathBuf]) -> Result<String, BuildFailure>;
}

/// Why a rebuild failed, as shown in the browser overlay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BuildFailure {
    /// The file at fault, relative to the project when possible.
    pub file: Option<PathBuf>,
    /// Its 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong; may list several problems, one per line.
    pub message: String,
}

impl BuildFailure {
    /// `file:line`, `file`, or `the build` when no file is known.
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => format!("{}:{line}", file.display()),
            (Some(file), None) => file.display().to_string(),
            (None, _) => "the build".to_owned(),
        }
    }

    fn from_panic(panic: &(dyn std::any::Any + Send)) -> Self {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        BuildFailure {
            file: None,
            line: None,
            message: format!("the build panicked: {detail}"),
        }
    }
}

impl std::fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// What happened while serving, for the caller to report.
#[derive(Clone, Debug)]
pub enum ServeEvent {
    /// The server accepts connections at `url` (`http://ADDR:PORT/`).
    Listening { url: String },
    /// Sources changed; a rebuild starts.
    Changed { paths: Vec<PathBuf> },
    /// A rebuild succeeded; the tabs are told to reload.
    Rebuilt { summary: String, elapsed: Duration },
    /// A rebuild failed; the last good site stays, with an overlay.
    RebuildFailed {
        failure: BuildFailure,
        elapsed: Duration,
    },
    /// The watcher reported an error (the server goes on).
    WatchFailed { message: String },
    /// `open` was asked for and no browser could be started.
    OpenFailed { url: String, message: String },
    /// A stop was requested (Ctrl-C); the server is shutting down.
    Stopping,
    /// The server stopped while a rebuild was still running after a short
    /// wait; the rebuild ends with the process, unfinished.
    RebuildCutShort,
}

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot serve {}: {source}", path.display())]
    SiteDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot listen on {addr}: the address is already in use (another server running?); \
         choose another port with --port N, or --port 0 for any free port"
    )]
    PortInUse { addr: SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
}

/// Binds the address in `opts` (so a port in use is reported at once, by
/// address, and port 0 is resolved) without serving yet: the caller can
/// build the site for [`Listener::url`] first, then call
/// [`Listener::serve`] or [`Listener::start`].
pub fn bind(opts: ServeOptions) -> Result<Listener, ServeError> {
    Listener::bind(opts)
}

/// Binds, serves until Ctrl-C (or SIGTERM), then shuts down gracefully:
/// open connections and event streams are closed, and a rebuild in progress
/// is given half a second to finish (then cut short, and reported).
/// Reports progress through `on_event`.
pub fn serve<R, F>(opts: ServeOptions, rebuilder: R, on_event: F) -> Result<(), ServeError>
where
    R: Rebuilder,
    F: Fn(ServeEvent) + Send + Sync + 'static,
{
    bind(opts)?.serve(rebuilder, on_event)
}

/// Binds and starts serving in the background, returning at once; tests use
/// this to learn the port. Emits [`ServeEvent::Listening`] before returning.
pub fn start<R, F>(
    opts: ServeOptions,
    rebuilder: R,
    on_event: F,
) -> Result<ServerHandle, ServeError>
where
    R: Rebuilder,
    F: Fn(ServeEvent) + Send + Sync + 'static,
{
    bind(opts)?.start(rebuilder, on_event)
}
