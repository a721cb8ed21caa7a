//! `broadsheet serve` end to end: the real binary and the real build on a
//! tiny site, driven over HTTP and stopped with Ctrl-C (SIGINT).

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn article(title: &str, slug: &str, date: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nslug = \"{slug}\"\ndate = {date}\n+++\n\nBody of {slug}.\n")
}

fn write_site(root: &Path) {
    std::fs::create_dir_all(root.join("content/city")).expect("mkdir");
    std::fs::write(
        root.join("site.toml"),
        "title = \"Test Gazette\"\nbase_url = \"https://gazette.example.org\"\n",
    )
    .expect("write");
    std::fs::write(
        root.join("content/city/harbour.md"),
        article("Harbour opens", "harbour", "2024-01-02T09:00:00"),
    )
    .expect("write");
    std::fs::write(
        root.join("content/city/ferry.md"),
        article("Ferry returns", "ferry", "2024-01-03T09:00:00"),
    )
    .expect("write");
}

struct Server {
    child: Child,
    url: String,
    lines: mpsc::Receiver<String>,
    /// Lines read while waiting for others, for a later `wait_for_line`:
    /// stdout and stderr are read by two threads, so their order may mix.
    skipped: std::cell::RefCell<Vec<String>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_on(root, 0)
    }

    fn start_on(root: &Path, port: u16) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn broadsheet serve");
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut server = Server {
            child,
            url: String::new(),
            lines,
            skipped: std::cell::RefCell::default(),
        };
        let line = server.wait_for_line("listening on ");
        server.url = line["listening on ".len()..].to_owned();
        server
    }

    fn wait_for_line(&self, start: &str) -> String {
        {
            let mut skipped = self.skipped.borrow_mut();
            if let Some(at) = skipped.iter().position(|l| l.starts_with(start)) {
                return skipped.remove(at);
            }
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(start) => return line,
                Ok(line) => self.skipped.borrow_mut().push(line),
                Err(_) => break,
            }
        }
        panic!("no line starting with {start:?}");
    }

    fn get(&self, path: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let url = format!("{}{}", self.url.trim_end_matches('/'), path);
        let mut response = agent.get(&url).call().expect("request");
        let body = response.body_mut().read_to_string().expect("body");
        (response.status().as_u16(), body)
    }

    fn interrupt(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    /// A failed test must not leave a server running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serve_builds_for_the_local_address_rebuilds_on_change_and_stops_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write_site(root);
    let mut server = Server::start(root);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );

    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("Harbour opens"));
    // Links point at the preview, not at the published site.
    assert!(home.contains(&format!("href=\"{}\"", server.url)), "{home}");
    assert!(!home.contains("gazette.example.org"));
    assert!(home.contains("<script id=\"__broadsheet_live\">"));
    assert_eq!(server.get("/2024/01/02/harbour/").0, 200);

    // An edited article's page changes.
    std::fs::write(
        root.join("content/city/harbour.md"),
        article("Harbour reopens", "harbour", "2024-01-02T09:00:00"),
    )
    .expect("write");
    eventually("the edited headline", || {
        server
            .get("/2024/01/02/harbour/")
            .1
            .contains("Harbour reopens")
    });
    let line = server.wait_for_line("content/city/harbour.md changed: ");
    assert!(line.contains(" pages rendered, "), "{line}");

    // A broken article keeps the last good site, with the overlay.
    std::fs::write(
        root.join("content/city/ferry.md"),
        "+++\ntitle = \"Ferry\n+++\n",
    )
    .expect("write");
    eventually("the overlay", || {
        server
            .get("/")
            .1
            .contains("<p class=\"__bs_location\">content/city/ferry.md:2</p>")
    });
    assert!(server.get("/2024/01/03/ferry/").1.contains("Ferry returns"));
    server.wait_for_line("error: rebuild failed, still serving the last good build:");

    // Deleting it fixes the build and removes its page.
    std::fs::remove_file(root.join("content/city/ferry.md")).expect("remove");
    eventually("the deleted page to go", || {
        server.get("/2024/01/03/ferry/").0 == 404
    });
    // The overlay goes once the rebuild has returned, a moment after the
    // new site is in place.
    eventually("the overlay to go", || {
        !server
            .get("/")
            .1
            .contains("<div id=\"__broadsheet_overlay\"")
    });

    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
    let mut left: Vec<_> = std::fs::read_dir(root)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // The preview is kept in the build cache's folder, not in public/.
    assert_eq!(left, [".broadsheet-cache", "content", "site.toml"]);
}

#[test]
fn serve_starts_with_the_overlay_when_the_first_build_fails_and_recovers_on_save() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write_site(root);
    std::fs::write(
        root.join("content/city/ferry.md"),
        "+++\ntitle = \"Ferry\n+++\n",
    )
    .expect("write");
    let mut server = Server::start(root);
    server.wait_for_line("error: build failed with ");

    // Nothing was ever built: every path is a 404 that shows the error.
    let (status, page) = server.get("/");
    assert_eq!(status, 404);
    assert!(
        page.contains("<p class=\"__bs_location\">content/city/ferry.md:2</p>"),
        "{page}"
    );

    std::fs::write(
        root.join("content/city/ferry.md"),
        article("Ferry returns", "ferry", "2024-01-03T09:00:00"),
    )
    .expect("write");
    eventually("the fixed site", || {
        let (status, home) = server.get("/");
        status == 200 && home.contains("Ferry returns")
    });
    eventually("the overlay to go", || {
        !server
            .get("/")
            .1
            .contains("<div id=\"__broadsheet_overlay\"")
    });
    assert!(server.interrupt().success());
}

#[test]
fn a_second_serve_builds_on_the_output_the_first_one_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write_site(root);
    // The same port both times: the preview's links carry its address.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        probe.local_addr().expect("addr").port()
    };
    let mut first = Server::start_on(root, port);
    let built = first.wait_for_line("built ");
    assert!(built.ends_with(" reused)"), "{built}");
    assert!(first.interrupt().success());
    drop(first);

    // Served at once; the rebuild that checks it renders nothing.
    let mut second = Server::start_on(root, port);
    second.wait_for_line("serving the preview kept from the last run; ");
    let (status, home) = second.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("Harbour opens"));
    let checked = second.wait_for_line("the kept preview checked against the sources: ");
    assert!(checked.contains(": 0 pages rendered, "), "{checked}");
    assert!(second.interrupt().success());

    // On another port every link changes: it builds before serving.
    let mut third = Server::start(root);
    let built = third.wait_for_line("built ");
    assert!(!built.contains(" (0 pages rendered, "), "{built}");
    assert!(third.interrupt().success());
    assert!(!root.join("public").exists());
}

#[test]
fn an_article_saved_while_serve_was_stopped_is_shown_after_the_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write_site(root);
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        probe.local_addr().expect("addr").port()
    };
    let mut first = Server::start_on(root, port);
    assert!(first.interrupt().success());
    drop(first);
    std::fs::write(
        root.join("content/city/harbour.md"),
        article("Harbour reopens", "harbour", "2024-01-02T09:00:00"),
    )
    .expect("write");

    let mut second = Server::start_on(root, port);
    let checked = second.wait_for_line("the kept preview checked against the sources: ");
    assert!(!checked.contains(": 0 pages rendered, "), "{checked}");
    assert!(
        second
            .get("/2024/01/02/harbour/")
            .1
            .contains("Harbour reopens")
    );
    assert!(second.interrupt().success());
}

#[test]
fn a_port_in_use_is_reported_with_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let dir = tempfile::tempdir().expect("tempdir");
    write_site(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: cannot listen on 127.0.0.1:{port}: the address is already in use \
             (another server running?); choose another port with --port N, or --port 0 \
             for any free port\n"
        )
    );
}
