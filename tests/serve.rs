//! `broadsheet serve` as a user's browser sees it: a real server on a free
//! port over a temporary site, a fake rebuilder, and real HTTP clients
//! (ureq, or a raw socket where a client would normalise the path).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use broadsheet::serve::{
    BuildFailure, Listener, Rebuilder, ServeError, ServeEvent, ServeOptions, ServerHandle, bind,
    start,
};
use tempfile::TempDir;

/// Builds `public/<name>/index.html` from each `content/<name>.txt` (its
/// text as the headline) and copies `content/*.css`. A line `BROKEN` in an
/// article fails the build at that line and leaves the site as it was.
struct FakeBuild {
    project: PathBuf,
    calls: Arc<AtomicUsize>,
    changes: Arc<Mutex<Vec<Vec<PathBuf>>>>,
}

impl Rebuilder for FakeBuild {
    fn rebuild(&self, changed: &[PathBuf]) -> Result<String, BuildFailure> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.changes
            .lock()
            .expect("changes lock")
            .push(changed.to_vec());
        build_site(&self.project)
    }
}

fn build_site(project: &Path) -> Result<String, BuildFailure> {
    let content = project.join("content");
    let mut pages = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&content)
        .expect("read content")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if let Some(stem) = name.strip_suffix(".txt") {
            let text = std::fs::read_to_string(&path).expect("read article");
            if let Some(n) = text.lines().position(|l| l == "BROKEN") {
                return Err(BuildFailure {
                    file: Some(PathBuf::from("content").join(&name)),
                    line: Some(n + 1),
                    message: "front matter: expected `key = value`, found `BROKEN`".into(),
                });
            }
            pages.push((stem.to_owned(), text.trim().to_owned()));
        } else if name.ends_with(".css") {
            std::fs::copy(&path, project.join("public").join(&name)).expect("copy css");
        }
    }
    for (stem, headline) in &pages {
        let dir = project.join("public").join(stem);
        std::fs::create_dir_all(&dir).expect("mkdir page");
        let html = format!("<html><body><h1>{headline}</h1></body></html>\n");
        std::fs::write(dir.join("index.html"), html).expect("write page");
    }
    Ok(format!("rebuilt {} pages", pages.len()))
}

struct Fixture {
    dir: TempDir,
    handle: Option<ServerHandle>,
    calls: Arc<AtomicUsize>,
    changes: Arc<Mutex<Vec<Vec<PathBuf>>>>,
    events: Arc<Mutex<Vec<ServeEvent>>>,
}

const INDEX: &str = "<!doctype html><html><head><link rel=\"stylesheet\" href=\"/style.css\">\
                     </head><body><h1>Home</h1></body></html>\n";
const NOT_FOUND: &str = "<html><body><h1>No such page</h1></body></html>\n";

fn fixture() -> Fixture {
    fixture_with(|_, _| {})
}

/// A fixture whose `before_start` runs on the project folder and the
/// listener after the address is bound and before serving starts.
fn fixture_with(before_start: impl FnOnce(&Path, &mut Listener)) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let public = root.join("public");
    std::fs::create_dir_all(public.join("section")).expect("mkdir");
    std::fs::create_dir_all(root.join("content")).expect("mkdir");
    std::fs::write(public.join("index.html"), INDEX).expect("write");
    std::fs::write(public.join("404.html"), NOT_FOUND).expect("write");
    std::fs::write(public.join("section/index.html"), "<p>section</p>").expect("write");
    std::fs::write(public.join("style.css"), "body { color: black }\n").expect("write");
    std::fs::write(public.join("rss.xml"), "<rss/>").expect("write");
    std::fs::write(public.join("search.json"), "{}").expect("write");
    std::fs::write(public.join("logo.svg"), "<svg/>").expect("write");
    std::fs::write(root.join("secret.txt"), "TOPSECRET\n").expect("write");
    std::fs::write(root.join("site.toml"), "title = \"t\"\n").expect("write");
    std::fs::write(root.join("content/story.txt"), "First headline\n").expect("write");
    build_site(root).expect("first build");

    let calls = Arc::new(AtomicUsize::new(0));
    let changes = Arc::new(Mutex::new(Vec::new()));
    let events = Arc::new(Mutex::new(Vec::new()));
    let opts = ServeOptions {
        port: 0,
        site_dir: public,
        watch: vec![
            root.join("content"),
            root.join("themes"),
            root.join("site.toml"),
        ],
        debounce: Duration::from_millis(100),
        ..ServeOptions::default()
    };
    let rebuilder = FakeBuild {
        project: root.to_path_buf(),
        calls: Arc::clone(&calls),
        changes: Arc::clone(&changes),
    };
    let log = Arc::clone(&events);
    let mut listener = bind(opts).expect("bind");
    before_start(root, &mut listener);
    let handle = listener
        .start(rebuilder, move |e| {
            log.lock().expect("events lock").push(e);
        })
        .expect("server starts");
    Fixture {
        dir,
        handle: Some(handle),
        calls,
        changes,
        events,
    }
}

impl Fixture {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn handle(&self) -> &ServerHandle {
        self.handle.as_ref().expect("server running")
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.handle().addr())
    }

    fn get(&self, path: &str) -> Reply {
        send(agent().get(self.url(path)).call())
    }

    fn get_with(&self, path: &str, header: &str, value: &str) -> Reply {
        send(agent().get(self.url(path)).header(header, value).call())
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root().join(rel), text).expect("write source");
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn send(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.expect("request succeeds");
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    Reply {
        status: response.status().as_u16(),
        headers,
        body: response.body_mut().read_to_string().expect("body"),
    }
}

/// Sends `target` byte for byte (no client-side normalisation) and returns
/// the status code and the body.
fn raw_get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("read");
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

/// An open event stream, read line by line by a real client.
struct EventStream {
    lines: std::io::Lines<BufReader<ureq::BodyReader<'static>>>,
}

impl EventStream {
    fn open(fx: &Fixture) -> Self {
        let response = agent_without_global_timeout()
            .get(fx.url("/__broadsheet/events"))
            .call()
            .expect("events endpoint");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        EventStream {
            lines: BufReader::new(response.into_body().into_reader()).lines(),
        }
    }

    /// The next event that is not a keep-alive: (name, data).
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        for line in &mut self.lines {
            let line = line.expect("event line");
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_owned();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_owned();
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
        panic!("event stream ended");
    }
}

fn agent_without_global_timeout() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_recv_body(Some(Duration::from_secs(15)))
        .build()
        .into()
}

#[test]
fn pages_directories_and_missing_paths_get_the_right_status() {
    let fx = fixture();

    let home = fx.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.starts_with("<!doctype html><html><head>"));
    assert!(home.body.contains("<h1>Home</h1>"));

    let section = fx.get("/section");
    assert_eq!(section.status, 308);
    assert_eq!(section.header("location"), Some("/section/"));
    let with_query = fx.get("/section?page=2");
    assert_eq!(with_query.header("location"), Some("/section/?page=2"));
    assert_eq!(fx.get("/section/").status, 200);
    assert!(fx.get("/section/").body.starts_with("<p>section</p>"));

    let missing = fx.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .body
            .starts_with("<html><body><h1>No such page</h1>")
    );
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(fx.get("/index.html/").status, 404);

    let post = send(agent().post(fx.url("/")).send_empty());
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[test]
fn percent_encoded_names_are_decoded() {
    let fx = fixture();
    std::fs::write(fx.root().join("public/caf\u{e9} menu.html"), "<p>menu</p>").expect("write");
    let reply = fx.get("/caf%C3%A9%20menu.html");
    assert_eq!(reply.status, 200);
    assert!(reply.body.starts_with("<p>menu</p>"));
}

#[test]
fn each_file_kind_has_its_content_type() {
    let fx = fixture();
    let cases = [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/search.json", "application/json"),
        ("/logo.svg", "image/svg+xml"),
    ];
    for (path, want) in cases {
        let reply = fx.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(want), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn html_carries_the_reload_script_but_the_file_on_disk_does_not() {
    let fx = fixture();
    let home = fx.get("/");
    let script = home
        .body
        .find("<script id=\"__broadsheet_live\">")
        .expect("script");
    assert!(script < home.body.find("</body>").expect("body end"));
    assert!(
        home.body
            .contains("new EventSource(\"/__broadsheet/events\")")
    );
    let on_disk = std::fs::read_to_string(fx.root().join("public/index.html")).expect("read");
    assert_eq!(on_disk, INDEX);
    assert!(!fx.get("/style.css").body.contains("__broadsheet"));
}

#[test]
fn head_sends_the_headers_of_get_without_a_body() {
    let fx = fixture();
    let get = fx.get("/style.css");
    let head = send(agent().head(fx.url("/style.css")).call());
    assert_eq!(head.status, 200);
    assert_eq!(head.body, "");
    assert_eq!(head.header("content-length"), Some("22"));
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("content-type"), Some("text/css; charset=utf-8"));
}

#[test]
fn validators_give_304_when_nothing_changed() {
    let fx = fixture();
    let css = fx.get("/style.css");
    let etag = css.header("etag").expect("etag").to_owned();
    let modified = css
        .header("last-modified")
        .expect("last-modified")
        .to_owned();
    assert_eq!(css.header("cache-control"), Some("no-cache"));

    let by_tag = fx.get_with("/style.css", "If-None-Match", &etag);
    assert_eq!(by_tag.status, 304);
    assert_eq!(by_tag.body, "");
    assert_eq!(by_tag.header("etag"), Some(etag.as_str()));
    assert_eq!(
        fx.get_with("/style.css", "If-Modified-Since", &modified)
            .status,
        304
    );
    assert_eq!(
        fx.get_with("/style.css", "If-None-Match", "\"other\"")
            .status,
        200
    );

    let home = fx.get("/");
    let home_tag = home.header("etag").expect("html etag").to_owned();
    assert_eq!(fx.get_with("/", "If-None-Match", &home_tag).status, 304);
}

#[test]
fn every_way_out_of_the_site_is_refused() {
    let fx = fixture();
    let root = fx.root();
    std::os::unix::fs::symlink(root.join("secret.txt"), root.join("public/leak.txt"))
        .expect("symlink");
    std::os::unix::fs::symlink(root, root.join("public/up")).expect("symlink");
    let addr = fx.handle().addr();
    let secret = root.join("secret.txt");
    let absolute = format!("/{}", secret.display());
    let cases = [
        ("/../secret.txt", 400),
        ("/section/../../secret.txt", 400),
        ("/%2e%2e/secret.txt", 400),
        ("/%2E%2E%2Fsecret.txt", 400),
        ("/..%2fsecret.txt", 400),
        ("/..\\secret.txt", 400),
        ("/..%5csecret.txt", 400),
        (absolute.as_str(), 400),
        ("//etc/passwd", 400),
        ("/index.html%00.css", 400),
        ("/leak.txt", 403),
        ("/up/secret.txt", 403),
        ("/up/", 403),
    ];
    for (target, status) in cases {
        let (got, text) = raw_get(addr, target);
        assert_eq!(got, status, "{target}: {text}");
        assert!(!text.contains("TOPSECRET"), "{target} leaked the file");
        assert!(!text.contains("root:"), "{target} leaked /etc/passwd");
    }
    // A symlink that stays inside the site is fine.
    std::os::unix::fs::symlink(root.join("public/style.css"), root.join("public/alias.css"))
        .expect("symlink");
    assert_eq!(raw_get(addr, "/alias.css").0, 200);
}

#[test]
fn an_edited_article_is_served_after_the_rebuild() {
    let fx = fixture();
    assert!(fx.get("/story/").body.contains("<h1>First headline</h1>"));
    fx.write("content/story.txt", "Second headline\n");
    eventually("the new headline", || {
        fx.get("/story/").body.contains("<h1>Second headline</h1>")
    });
    let changes = fx.changes.lock().expect("lock").clone();
    let story = fx
        .root()
        .join("content/story.txt")
        .canonicalize()
        .expect("canonical");
    assert_eq!(changes.last(), Some(&vec![story]));
    let events = fx.events.lock().expect("lock");
    assert!(events.iter().any(|e| matches!(
        e,
        ServeEvent::Rebuilt { summary, .. } if summary == "rebuilt 1 pages"
    )));
}

#[test]
fn a_change_saved_before_serving_starts_is_rebuilt_once_it_does() {
    let fx = fixture_with(|root, _| {
        std::fs::write(root.join("content/story.txt"), "Early headline\n").expect("write");
        // Long enough for the debouncer to have delivered the change.
        std::thread::sleep(Duration::from_millis(400));
    });
    eventually("the early change", || {
        fx.get("/story/").body.contains("<h1>Early headline</h1>")
    });
}

#[test]
fn a_save_by_rename_causes_one_rebuild() {
    let fx = fixture();
    let tmp = fx.root().join("content/.story.txt.tmp");
    std::fs::write(&tmp, "Renamed headline\n").expect("write");
    std::fs::rename(&tmp, fx.root().join("content/story.txt")).expect("rename");
    eventually("the rebuild", || {
        fx.get("/story/").body.contains("<h1>Renamed headline</h1>")
    });
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(fx.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_burst_of_changes_causes_one_rebuild() {
    let fx = fixture();
    for i in 0..20 {
        fx.write(&format!("content/burst{i}.txt"), &format!("Burst {i}\n"));
    }
    eventually("the burst rebuild", || fx.get("/burst19/").status == 200);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(fx.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn reads_of_watched_files_trigger_no_rebuild() {
    let fx = fixture();
    std::fs::read_to_string(fx.root().join("content/story.txt")).expect("read");
    std::fs::read_to_string(fx.root().join("site.toml")).expect("read");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(fx.calls.load(Ordering::SeqCst), 0);
}

#[test]
fn a_change_to_site_toml_triggers_a_rebuild() {
    let fx = fixture();
    fx.write("site.toml", "title = \"new\"\n");
    eventually("a rebuild", || fx.calls.load(Ordering::SeqCst) == 1);
}

#[test]
fn connected_clients_are_told_to_reload_after_a_rebuild() {
    let fx = fixture();
    let mut stream = EventStream::open(&fx);
    let (name, hello) = stream.next();
    assert_eq!(name, "hello");
    let home = fx.get("/");
    assert!(home.body.contains(&format!("var token = \"{hello}\"")));

    fx.write("content/story.txt", "Changed\n");
    let (name, data) = stream.next();
    assert_eq!(name, "reload");
    assert!(
        data.starts_with("{\"kind\":\"reload\",\"token\":\""),
        "{data}"
    );
    assert!(data.ends_with("\",\"css_only\":false}"), "{data}");

    fx.write("content/extra.css", "p { color: red }\n");
    let (name, data) = stream.next();
    assert_eq!(name, "reload");
    assert!(data.ends_with("\",\"css_only\":true}"), "{data}");
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_site_and_shows_an_overlay_until_fixed() {
    let fx = fixture();
    let mut stream = EventStream::open(&fx);
    assert_eq!(stream.next().0, "hello");

    fx.write("content/story.txt", "Broken headline\nBROKEN\n");
    let (name, data) = stream.next();
    assert_eq!(name, "failure");
    assert!(
        data.ends_with(
            "\"failure\":{\"location\":\"content/story.txt:2\",\
             \"message\":\"front matter: expected `key = value`, found `BROKEN`\"}}"
        ),
        "{data}"
    );
    for path in ["/", "/story/", "/no/such/page/"] {
        let page = fx.get(path);
        assert!(
            page.body.contains(
                "<p class=\"__bs_location\">content/story.txt:2</p>\
                 <pre class=\"__bs_message\">front matter: expected `key = value`, \
                 found `BROKEN`</pre>"
            ),
            "{path}: {}",
            page.body
        );
    }
    assert!(fx.get("/story/").body.contains("<h1>First headline</h1>"));
    {
        let events = fx.events.lock().expect("lock");
        assert!(events.iter().any(|e| matches!(
            e,
            ServeEvent::RebuildFailed { failure, .. } if failure.to_string()
                == "content/story.txt:2: front matter: expected `key = value`, found `BROKEN`"
        )));
    }

    fx.write("content/story.txt", "Fixed headline\n");
    let (name, data) = stream.next();
    assert_eq!(name, "reload");
    assert!(data.ends_with("\",\"css_only\":false}"), "{data}");
    let page = fx.get("/story/");
    assert!(page.body.contains("<h1>Fixed headline</h1>"));
    assert!(!page.body.contains("<div id=\"__broadsheet_overlay\""));
}

#[test]
fn a_failed_first_build_serves_the_last_site_with_the_overlay_until_a_save_fixes_it() {
    let fx = fixture_with(|root, listener| {
        std::fs::write(root.join("content/story.txt"), "Broken\nBROKEN\n").expect("write");
        listener.first_build_failed(build_site(root).expect_err("the first build fails"));
    });
    let overlay = "<p class=\"__bs_location\">content/story.txt:2</p>\
                   <pre class=\"__bs_message\">front matter: expected `key = value`, \
                   found `BROKEN`</pre>";
    for path in ["/", "/story/", "/no/such/page/"] {
        let page = fx.get(path);
        assert!(page.body.contains(overlay), "{path}: {}", page.body);
    }
    assert!(fx.get("/story/").body.contains("<h1>First headline</h1>"));

    fx.write("content/story.txt", "Fixed headline\n");
    eventually("the fixed page", || {
        fx.get("/story/").body.contains("<h1>Fixed headline</h1>")
    });
    eventually("the overlay to go", || {
        !fx.get("/")
            .body
            .contains("<div id=\"__broadsheet_overlay\"")
    });
}

#[test]
fn with_nothing_built_a_missing_page_still_carries_the_overlay() {
    let fx = fixture_with(|root, listener| {
        std::fs::remove_file(root.join("public/404.html")).expect("remove");
        listener.first_build_failed(BuildFailure {
            file: Some("content/story.txt".into()),
            line: None,
            message: "no date".into(),
        });
    });
    let page = fx.get("/no/such/page/");
    assert_eq!(page.status, 404);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.starts_with(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title>"
    ));
    assert!(page.body.contains(
        "<p class=\"__bs_location\">content/story.txt</p>\
         <pre class=\"__bs_message\">no date</pre>"
    ));
    assert!(page.body.contains("<script id=\"__broadsheet_live\">"));
}

/// Whether some rebuild was told that `path` (under the project) changed.
fn rebuilt_for(fx: &Fixture, path: &str) -> bool {
    let path = fx.root().canonicalize().expect("canonical").join(path);
    let changes = fx.changes.lock().expect("lock");
    changes.iter().flatten().any(|p| *p == path)
}

#[test]
fn a_watched_folder_made_after_the_server_started_is_watched() {
    // The fixture watches themes/, which does not exist yet.
    let fx = fixture();
    std::fs::create_dir(fx.root().join("themes")).expect("mkdir");
    eventually("the rebuild for the new folder", || {
        rebuilt_for(&fx, "themes")
    });
    fx.write("themes/article.html", "<article></article>\n");
    eventually("the rebuild for a file in it", || {
        rebuilt_for(&fx, "themes/article.html")
    });
}

#[test]
fn a_section_folder_made_after_the_server_started_is_watched() {
    let fx = fixture();
    std::fs::create_dir(fx.root().join("content/sport")).expect("mkdir");
    eventually("the rebuild for the new section", || {
        rebuilt_for(&fx, "content/sport")
    });
    fx.write("content/sport/match.txt", "Match report\n");
    eventually("the rebuild for an article in it", || {
        rebuilt_for(&fx, "content/sport/match.txt")
    });
}

#[test]
fn a_panicking_build_is_reported_and_the_server_lives_on() {
    struct Panics;
    impl Rebuilder for Panics {
        fn rebuild(&self, _: &[PathBuf]) -> Result<String, BuildFailure> {
            panic!("template exploded");
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("public")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    std::fs::write(dir.path().join("public/index.html"), "<body></body>").expect("write");
    let opts = ServeOptions {
        port: 0,
        site_dir: dir.path().join("public"),
        watch: vec![dir.path().join("content")],
        ..ServeOptions::default()
    };
    let handle = start(opts, Panics, |_| {}).expect("start");
    let url = format!("http://{}/", handle.addr());
    std::fs::write(dir.path().join("content/a.txt"), "x").expect("write");
    eventually("the overlay", || {
        send(agent().get(&url).call())
            .body
            .contains("<pre class=\"__bs_message\">the build panicked: template exploded</pre>")
    });
    handle.shutdown().expect("clean shutdown");
}

#[test]
fn a_port_in_use_is_a_clear_error_naming_the_address() {
    let fx = fixture();
    let taken = fx.handle().addr();
    let opts = ServeOptions {
        port: taken.port(),
        site_dir: fx.root().join("public"),
        ..ServeOptions::default()
    };
    let project = fx.root().to_path_buf();
    let rebuilder = FakeBuild {
        project,
        calls: Arc::default(),
        changes: Arc::default(),
    };
    let Err(err) = start(opts, rebuilder, |_| {}) else {
        panic!("a second server on {taken} started");
    };
    assert!(matches!(err, ServeError::PortInUse { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "cannot listen on {taken}: the address is already in use (another server running?); \
             choose another port with --port N, or --port 0 for any free port"
        )
    );
}

#[test]
fn the_default_address_is_loopback_and_port_zero_picks_a_free_port() {
    let fx = fixture();
    let addr = fx.handle().addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    let events = fx.events.lock().expect("lock");
    assert!(matches!(
        events.first(),
        Some(ServeEvent::Listening { url }) if *url == format!("http://{addr}/")
    ));
}

#[test]
fn shutdown_is_prompt_with_a_tab_connected_and_frees_the_port() {
    let mut fx = fixture();
    let addr = fx.handle().addr();
    let mut stream = EventStream::open(&fx);
    assert_eq!(stream.next().0, "hello");
    let started = Instant::now();
    fx.handle
        .take()
        .expect("handle")
        .shutdown()
        .expect("clean shutdown");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(TcpStream::connect(addr).is_err());
    // Nothing is left in the project but what the test wrote.
    let mut names: Vec<_> = std::fs::read_dir(fx.root())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["content", "public", "secret.txt", "site.toml"]);
}
