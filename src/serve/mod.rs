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
pub mod mime;
mod path;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use serde::Serialize;
use tokio::runtime::Runtime;
use tokio::sync::watch as signal;

use files::Site;
use live::Live;
use watch::{Scope, Watcher};

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

/// A running server. Dropping it stops the server too, without waiting.
pub struct ServerHandle {
    addr: SocketAddr,
    runtime: Option<Runtime>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    stop: signal::Sender<bool>,
    watcher: Option<Watcher>,
}

/// Serves until Ctrl-C (or SIGTERM), then shuts down gracefully: open
/// connections and event streams are closed, and a rebuild in progress is
/// finished. Reports progress through `on_event`.
pub fn serve<R, F>(opts: ServeOptions, rebuilder: R, on_event: F) -> Result<(), ServeError>
where
    R: Rebuilder,
    F: Fn(ServeEvent) + Send + Sync + 'static,
{
    let open = opts.open;
    let on_event = Arc::new(on_event);
    let events = Arc::clone(&on_event);
    let mut handle = start(opts, rebuilder, move |e| events(e))?;
    if open {
        let url = handle.url();
        if let Err(e) = open_browser(&url) {
            on_event(ServeEvent::OpenFailed {
                url,
                message: e.to_string(),
            });
        }
    }
    let stopped = handle.block_until_stop_signal();
    on_event(ServeEvent::Stopping);
    let shut = handle.shutdown();
    stopped.and(shut)
}

/// Starts serving in the background and returns at once; tests use this to
/// learn the port. Emits [`ServeEvent::Listening`] before returning.
pub fn start<R, F>(
    opts: ServeOptions,
    rebuilder: R,
    on_event: F,
) -> Result<ServerHandle, ServeError>
where
    R: Rebuilder,
    F: Fn(ServeEvent) + Send + Sync + 'static,
{
    let root = opts
        .site_dir
        .canonicalize()
        .map_err(|source| ServeError::SiteDir {
            path: opts.site_dir.clone(),
            source,
        })?;
    // Bind synchronously so a port in use is reported here, by address.
    let requested = SocketAddr::new(opts.bind, opts.port);
    let listener = TcpListener::bind(requested).map_err(|source| match source.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse { addr: requested },
        _ => ServeError::Bind {
            addr: requested,
            source,
        },
    })?;
    let addr = listener.local_addr().map_err(ServeError::Server)?;
    listener.set_nonblocking(true).map_err(ServeError::Server)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("broadsheet-serve")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let (stop, stopped) = signal::channel(false);
    let server_id = format!("{}-{}", std::process::id(), addr.port());
    let site = Arc::new(Site {
        root,
        live: Live::new(server_id, stopped.clone()),
    });
    let on_event = Arc::new(on_event);
    let watcher = Watcher::start(
        Scope::new(&opts.watch),
        opts.debounce,
        Arc::clone(&site),
        rebuilder,
        Arc::clone(&on_event),
    )?;
    let router = Router::new()
        .route(live::EVENTS_PATH, get(live::events))
        .fallback(files::handle)
        .with_state(site);
    let server = runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let mut stopped = stopped;
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                // An error means the handle is gone: stop as well.
                let _ = stopped.wait_for(|stop| *stop).await;
            })
            .await
    });
    on_event(ServeEvent::Listening {
        url: format!("http://{addr}/"),
    });
    Ok(ServerHandle {
        addr,
        runtime: Some(runtime),
        server: Some(server),
        stop,
        watcher: Some(watcher),
    })
}

impl ServerHandle {
    /// The address actually listened on (the real port when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stops the server: no new connections, open ones and event streams
    /// are closed (waiting at most a few seconds), and the watcher stops
    /// after any rebuild in progress.
    pub fn shutdown(mut self) -> Result<(), ServeError> {
        self.stop_all()
    }

    fn stop_all(&mut self) -> Result<(), ServeError> {
        let _ = self.stop.send(true);
        let mut result = Ok(());
        if let (Some(runtime), Some(server)) = (self.runtime.as_ref(), self.server.take()) {
            let finished = runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(3), server).await });
            if let Ok(Ok(Err(e))) = finished {
                result = Err(ServeError::Server(e));
            }
        }
        if let Some(watcher) = self.watcher.take() {
            watcher.stop();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
        result
    }

    /// Blocks until Ctrl-C or SIGTERM, or until the server task ends on its
    /// own (an error, reported as such).
    fn block_until_stop_signal(&mut self) -> Result<(), ServeError> {
        let (Some(runtime), Some(server)) = (self.runtime.as_ref(), self.server.as_mut()) else {
            return Ok(());
        };
        let ended = runtime.block_on(async {
            tokio::select! {
                () = stop_signal() => None,
                ended = server => Some(ended),
            }
        });
        match ended {
            None => Ok(()),
            Some(ended) => {
                self.server = None;
                match ended {
                    Ok(Err(e)) => Err(ServeError::Server(e)),
                    _ => Ok(()),
                }
            }
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(watcher) = self.watcher.take() {
            watcher.stop();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Ctrl-C anywhere, SIGTERM on Unix. If a handler cannot be installed the
/// other one still works; if neither can, this never resolves.
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Opens `url` in the user's browser with the platform's opener.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}
