//! `check --links --external`: outside links asked of a small local server
//! that counts what it is asked, so retries, the per-host limit and the
//! cache show in its counts.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use broadsheet::build::Quiet;
use broadsheet::links::ExternalOptions;
use broadsheet::links::external::{Outcome, check_urls};
use common::{Site, stderr, stdout};

/// A server on 127.0.0.1: `/ok` 200, `/gone` 404, `/flaky` 503 the first
/// two times (HEAD, then GET) then 200, `/no-head` 405 to HEAD and 200 to GET, `/slow` after 3 s,
/// `/busy/N` 200 after 100 ms.
#[derive(Clone)]
struct Server {
    base: String,
    /// `METHOD /path` -> requests.
    hits: Arc<Mutex<HashMap<String, usize>>>,
    now: Arc<AtomicUsize>,
    most_at_once: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let server = Server {
            base: format!("http://{}", listener.local_addr().expect("addr")),
            hits: Arc::default(),
            now: Arc::default(),
            most_at_once: Arc::default(),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.answer(stream));
            }
        });
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self, key: &str) -> usize {
        self.hits
            .lock()
            .expect("lock")
            .get(key)
            .copied()
            .unwrap_or(0)
    }

    fn answer(&self, mut stream: TcpStream) {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        let mut words = head.split_whitespace();
        let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let seen = {
            let mut hits = self.hits.lock().expect("lock");
            let n = hits.entry(format!("{method} {path}")).or_default();
            *n += 1;
            hits.iter()
                .filter(|(k, _)| k.ends_with(&format!(" {path}")))
                .map(|(_, n)| n)
                .sum::<usize>()
        };
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        let status = match (method, path) {
            (_, "/ok") => 200,
            (_, "/gone") => 404,
            (_, "/flaky") if seen <= 2 => 503,
            (_, "/flaky") => 200,
            ("HEAD", "/no-head") => 405,
            (_, "/no-head") => 200,
            (_, "/slow") => {
                std::thread::sleep(Duration::from_secs(3));
                200
            }
            (_, p) if p.starts_with("/busy/") => {
                std::thread::sleep(Duration::from_millis(100));
                200
            }
            _ => 404,
        };
        self.now.fetch_sub(1, Ordering::SeqCst);
        let reply =
            format!("HTTP/1.1 {status} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        let _ = stream.write_all(reply.as_bytes());
    }
}

fn quick(cache: &std::path::Path) -> ExternalOptions {
    ExternalOptions {
        backoff: Duration::from_millis(10),
        cache_file: Some(cache.to_path_buf()),
        ..ExternalOptions::default()
    }
}

#[test]
fn outside_links_are_asked_once_and_remembered_for_the_next_check() {
    let server = Server::start();
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = tmp.path().join("links.tsv");
    let urls = [
        server.url("/ok"),
        server.url("/gone"),
        server.url("/no-head"),
    ];
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    let (outcomes, summary) = check_urls(&urls, &quick(&cache), &cache, &Quiet);
    assert_eq!(
        outcomes,
        [Outcome::Ok(200), Outcome::Status(404), Outcome::Ok(200)]
    );
    assert_eq!((summary.fetched, summary.from_cache), (3, 0));
    assert_eq!((summary.ok, summary.broken, summary.unreachable), (2, 1, 0));
    assert_eq!(server.hits("HEAD /ok"), 1);
    assert_eq!(server.hits("GET /ok"), 0, "HEAD was enough");
    assert_eq!(server.hits("HEAD /gone"), 1, "a 404 is not asked again");
    assert_eq!(server.hits("GET /gone"), 0);
    assert_eq!(
        server.hits("GET /no-head"),
        1,
        "refused HEAD, asked with GET"
    );

    let (again, summary) = check_urls(&urls, &quick(&cache), &cache, &Quiet);
    assert_eq!(again, outcomes);
    assert_eq!((summary.fetched, summary.from_cache), (0, 3));
    assert_eq!(server.hits("HEAD /ok"), 1, "the cache answered");
    assert_eq!(server.hits("HEAD /gone"), 1);
}

#[test]
fn a_failure_that_may_pass_is_tried_again() {
    let server = Server::start();
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = tmp.path().join("links.tsv");
    let url = server.url("/flaky");
    let (outcomes, summary) = check_urls(&[url.as_str()], &quick(&cache), &cache, &Quiet);
    assert_eq!(outcomes, [Outcome::Ok(200)]);
    assert_eq!(summary.retries, 1);
    assert_eq!(server.hits("HEAD /flaky"), 2);
    assert_eq!(server.hits("GET /flaky"), 1, "after the first HEAD's 503");
}

#[test]
fn a_server_that_does_not_answer_in_time_is_unreachable() {
    let server = Server::start();
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = tmp.path().join("links.tsv");
    let opts = ExternalOptions {
        timeout: Duration::from_millis(300),
        retries: 0,
        ..quick(&cache)
    };
    let url = server.url("/slow");
    let (outcomes, summary) = check_urls(&[url.as_str()], &opts, &cache, &Quiet);
    assert_eq!(outcomes, [Outcome::Unreachable("timed out".into())]);
    assert_eq!(summary.unreachable, 1);
}

#[test]
fn one_host_is_never_asked_more_than_per_host_at_once() {
    let server = Server::start();
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = tmp.path().join("links.tsv");
    let urls: Vec<String> = (0..12).map(|i| server.url(&format!("/busy/{i}"))).collect();
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    let opts = ExternalOptions {
        threads: 8,
        per_host: 2,
        ..quick(&cache)
    };
    let (outcomes, summary) = check_urls(&urls, &opts, &cache, &Quiet);
    assert!(outcomes.iter().all(|o| *o == Outcome::Ok(200)));
    assert_eq!((summary.urls, summary.hosts), (12, 1));
    let most = server.most_at_once.load(Ordering::SeqCst);
    assert!((1..=2).contains(&most), "{most} requests at once");
}

#[test]
fn check_external_warns_about_broken_outside_links_at_their_source_line() {
    let server = Server::start();
    let site = Site::copy("basic");
    let article = format!(
        "+++\ntitle = \"Out\"\ndate = 2013-02-05\n+++\nFirst.\n\n[Fine]({}) and\n[gone]({}).\n",
        server.url("/ok"),
        server.url("/gone")
    );
    site.write("content/news/2013-02-05-out.md", article.as_bytes());
    let out = site.run(&["check", "--links", "--external"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let gone = format!(
        "content/news/2013-02-05-out.md:8: warning: broken link `{}` on /2013/02/05/out/: the server answered 404",
        server.url("/gone")
    );
    assert!(stderr(&out).lines().any(|l| l == gone), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("outside links: 2 URLs on 1 host: 1 ok, 1 broken, 0 unreachable (0 from the cache, 2 asked, 0 retries)\n"),
        "{}",
        stdout(&out)
    );
    assert!(site.root().join(".broadsheet-cache/links.tsv").is_file());

    let again = site.run(&["check", "--links", "--external"]);
    assert!(
        stdout(&again).contains("(2 from the cache, 0 asked, 0 retries)"),
        "{}",
        stdout(&again)
    );
    assert_eq!(server.hits("HEAD /gone"), 1);
}
