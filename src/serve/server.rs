//! The running server: binding, the tokio runtime, graceful shutdown, and
//! the stop signals. Wires the file responder, the events endpoint and the
//! watcher together; owns no HTTP semantics itself.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::runtime::Runtime;
use tokio::sync::watch as signal;

use super::files::{self, Site};
use super::live::{self, Live};
use super::watch::{Scope, Watcher, Watching};
use super::{BuildFailure, Rebuilder, ServeError, ServeEvent, ServeOptions};

/// A running server. Dropping it stops the server too, without waiting.
pub struct ServerHandle {
    addr: SocketAddr,
    runtime: Option<Runtime>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    stop: signal::Sender<bool>,
    /// Installed by `serve` (not by `start`: a test process keeps its own).
    signals: Option<StopSignals>,
    watcher: Option<Watcher>,
}

/// A bound address, not serving yet. The sources are already watched, so
/// changes made while the caller builds the site are rebuilt once serving
/// starts.
pub struct Listener {
    opts: ServeOptions,
    listener: TcpListener,
    addr: SocketAddr,
    watching: Watching,
    /// Set when the site on disk is not a build of the current sources.
    first_failure: Option<BuildFailure>,
}

impl Listener {
    pub(crate) fn bind(opts: ServeOptions) -> Result<Self, ServeError> {
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
        let watching = Watching::begin(Scope::new(&opts.watch), opts.debounce)?;
        Ok(Listener {
            opts,
            listener,
            addr,
            watching,
            first_failure: None,
        })
    }

    /// Serves the site folder as it is, and rebuilds it at once in the
    /// background: for a site kept from an earlier run, which is served
    /// while the rebuild checks it against the sources (open tabs reload
    /// when it is done, or show the overlay if it fails).
    pub fn rebuild_on_start(&mut self) {
        self.watching.rebuild_first();
    }

    /// Records that the caller's first build failed: serving starts anyway,
    /// with whatever the site folder holds (the last good build, or nothing)
    /// and the error overlay on every page, until a change fixes the build.
    pub fn first_build_failed(&mut self, failure: BuildFailure) {
        self.first_failure = Some(failure);
    }

    /// The address actually bound (the real port when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Serves until Ctrl-C or SIGTERM; see [`super::serve`].
    pub fn serve<R, F>(self, rebuilder: R, on_event: F) -> Result<(), ServeError>
    where
        R: Rebuilder,
        F: Fn(ServeEvent) + Send + Sync + 'static,
    {
        let open = self.opts.open;
        let on_event = Arc::new(on_event);
        let events = Arc::clone(&on_event);
        let mut handle = self.start_with(rebuilder, move |e| events(e), true)?;
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

    /// Starts serving in the background; see [`super::start`].
    pub fn start<R, F>(self, rebuilder: R, on_event: F) -> Result<ServerHandle, ServeError>
    where
        R: Rebuilder,
        F: Fn(ServeEvent) + Send + Sync + 'static,
    {
        self.start_with(rebuilder, on_event, false)
    }

    /// `start`, with the stop signals' handlers installed first when `signals`.
    fn start_with<R, F>(
        self,
        rebuilder: R,
        on_event: F,
        signals: bool,
    ) -> Result<ServerHandle, ServeError>
    where
        R: Rebuilder,
        F: Fn(ServeEvent) + Send + Sync + 'static,
    {
        let Listener {
            opts,
            listener,
            addr,
            watching,
            first_failure,
        } = self;
        let root = opts
            .site_dir
            .canonicalize()
            .map_err(|source| ServeError::SiteDir {
                path: opts.site_dir.clone(),
                source,
            })?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("broadsheet-serve")
            .enable_all()
            .build()
            .map_err(ServeError::Runtime)?;
        let signals = signals.then(|| {
            let _entered = runtime.enter();
            StopSignals::install()
        });
        let (stop, stopped) = signal::channel(false);
        let server_id = format!("{}-{}", std::process::id(), addr.port());
        let site = Arc::new(Site {
            root,
            live: Live::new(server_id, stopped.clone()),
        });
        if let Some(failure) = &first_failure {
            site.live.failed(failure);
        }
        let on_event = Arc::new(on_event);
        let watcher = watching.run(Arc::clone(&site), rebuilder, Arc::clone(&on_event))?;
        let router = Router::new()
            .route(live::EVENTS_PATH, get(live::events::<Site>))
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
            signals,
            addr,
            runtime: Some(runtime),
            server: Some(server),
            stop,
            watcher: Some(watcher),
        })
    }
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
        let signals = self.signals.take();
        let (Some(runtime), Some(server)) = (self.runtime.as_ref(), self.server.as_mut()) else {
            return Ok(());
        };
        let ended = runtime.block_on(async {
            let mut signals = signals.unwrap_or_else(StopSignals::install);
            tokio::select! {
                () = signals.wait() => None,
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

/// SIGINT (Ctrl-C) and SIGTERM, listened for from before the server says it is
/// listening: a signal sent in between would otherwise end the process the hard way.
struct StopSignals {
    interrupt: Option<tokio::signal::unix::Signal>,
    terminate: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    /// Installs the handlers; must run inside the runtime. One that cannot be
    /// installed is left out (the other still works).
    fn install() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        StopSignals {
            interrupt: signal(SignalKind::interrupt()).ok(),
            terminate: signal(SignalKind::terminate()).ok(),
        }
    }

    /// Resolves at the first signal; never if neither handler was installed.
    async fn wait(&mut self) {
        async fn next(signal: Option<&mut tokio::signal::unix::Signal>) {
            match signal {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        tokio::select! {
            () = next(self.interrupt.as_mut()) => {}
            () = next(self.terminate.as_mut()) => {}
        }
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
