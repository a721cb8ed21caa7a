//! Helpers shared by the deploy integration tests: small built sites and a progress
//! recorder.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::Path;
use std::sync::Mutex;

use broadsheet::deploy::DeployProgress;

/// A small built site: one file of every phase.
pub const SITE: &[(&str, &str)] = &[
    ("style.3f2a9c1b.css", "body { font-family: serif; }"),
    ("img/logo.png", "\u{89}PNG fake"),
    ("2013/02/02/lavrov/index.html", "<h1>Lavrov</h1> v1"),
    ("2013/02/03/talks/index.html", "<h1>Talks</h1> v1"),
    ("2013/index.html", "<a href=/2013/02/02/lavrov/>Lavrov</a>"),
    (
        "tags/russia/index.html",
        "<a href=/2013/02/02/lavrov/>Lavrov</a>",
    ),
    ("404.html", "<h1>Not found</h1>"),
    ("atom.xml", "<feed/>"),
    ("sitemap.xml", "<urlset/>"),
    ("robots.txt", "Sitemap: /sitemap.xml"),
    ("_redirects", "/old /2013/02/02/lavrov/ 301"),
    ("index.html", "<h1>Home</h1> v1"),
];

/// Replaces `dir` by exactly `files`.
pub fn write_site(dir: &Path, files: &[(&str, &str)]) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove old site");
    }
    for (path, body) in files {
        let to = dir.join(path);
        std::fs::create_dir_all(to.parent().expect("file has a folder")).expect("mkdir");
        std::fs::write(to, body).expect("write site file");
    }
}

/// `SITE` with some files replaced or added, and some removed.
pub fn edited(changes: &[(&str, &str)], removed: &[&str]) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = SITE
        .iter()
        .filter(|(p, _)| !removed.contains(p))
        .map(|(p, b)| ((*p).to_owned(), (*b).to_owned()))
        .collect();
    for (path, body) in changes {
        match files.iter_mut().find(|(p, _)| p == path) {
            Some(file) => file.1 = (*body).to_owned(),
            None => files.push(((*path).to_owned(), (*body).to_owned())),
        }
    }
    files
}

pub fn write_owned(dir: &Path, files: &[(String, String)]) {
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    write_site(dir, &borrowed);
}

/// Records progress events in order, as `up <path>` and `del <path>`.
#[derive(Default)]
pub struct Recorder {
    pub events: Mutex<Vec<String>>,
}

impl Recorder {
    pub fn events(&self) -> Vec<String> {
        self.events.lock().expect("recorder lock").clone()
    }
}

impl DeployProgress for Recorder {
    fn uploaded(&self, path: &str, _bytes: u64) {
        self.events
            .lock()
            .expect("recorder lock")
            .push(format!("up {path}"));
    }

    fn deleted(&self, path: &str) {
        self.events
            .lock()
            .expect("recorder lock")
            .push(format!("del {path}"));
    }
}
