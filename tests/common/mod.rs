//! Helpers shared by the integration tests: copy a fixture site into a temp
//! folder (so builds never write into the repository) and run the binary.

#![allow(dead_code, reason = "each test file uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture site copied into a fresh temp folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn copy(fixture: &str) -> Site {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let dir = tempfile::tempdir().expect("tempdir");
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.expect("walk fixture");
            let rel = entry.path().strip_prefix(&src).expect("inside fixture");
            let dest = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &dest).expect("copy");
            }
        }
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: &[u8]) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// Runs `broadsheet <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("run broadsheet")
    }

    /// The text of an output page.
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Every file under public/, sorted, with `/` separators.
    pub fn files(&self) -> Vec<String> {
        list_files(&self.public())
    }
}

pub fn list_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every article page under public/ as one line:
/// `url | headline | date | updated | section | authors | tags`, sorted by URL.
pub fn stories(public: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for file in list_files(public) {
        if !file.ends_with(".html") {
            continue;
        }
        let page = std::fs::read_to_string(public.join(&file)).expect("read page");
        if !page.contains("<article class=\"story\">") {
            continue;
        }
        let url = format!("/{}", file.strip_suffix("index.html").unwrap_or(&file));
        let field = |start: &str, end: &str| between(&page, start, end).unwrap_or("-").to_string();
        let all = |marker: &str| {
            let names: Vec<&str> = page
                .split(marker)
                .skip(1)
                .filter_map(|rest| rest.split("</a>").next())
                .collect();
            if names.is_empty() {
                "-".to_string()
            } else {
                names.join(", ")
            }
        };
        let section = between(&page, "<p class=\"kicker\">", "</p>")
            .and_then(|k| between(k, "\">", "</a>"))
            .unwrap_or("-");
        let updated = between(
            &page,
            "<span class=\"updated\">Updated <time datetime=\"",
            "\"",
        )
        .unwrap_or("-");
        out.push(format!(
            "{url} | {} | {} | {updated} | {section} | {} | {}",
            field("<h1>", "</h1>"),
            field("<time datetime=\"", "\""),
            all("rel=\"author\">"),
            all("rel=\"tag\">"),
        ));
    }
    out.sort();
    out
}

/// The text between the first `start` and the next `end`.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}
