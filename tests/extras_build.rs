//! Whole builds of small fixture sites with a frozen "now": the files beside
//! the pages (feeds, sitemaps, news sitemap, robots.txt, redirects).

use std::path::{Path, PathBuf};

use broadsheet::build::{BuildOptions, Quiet, build};
use chrono::DateTime;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/extras")
        .join(name)
}

fn options(out: &Path) -> BuildOptions {
    BuildOptions {
        output_dir: Some(out.to_path_buf()),
        now: Some(DateTime::parse_from_rfc3339("2024-06-01T12:00:00+01:00").expect("date")),
        // The fixtures are read-only inputs: no cache is written beside them.
        no_cache: true,
        ..BuildOptions::default()
    }
}

/// Every file under `dir` that is not an `index.html` page nor part of the
/// search index (`tests/build.rs` lists those), sorted.
fn extra_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| {
            p.strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| !p.ends_with("index.html") && !p.starts_with("search/"))
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_build_writes_feeds_sitemaps_robots_and_redirects_and_the_news_window_follows_now() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    build(&fixture("news_window"), &options(&out), &Quiet).expect("build");
    let css = include_bytes!("../themes/default/static/style.css");
    let hashed_css = broadsheet::render::theme::fingerprinted_name("style.css", css);
    let mut expected = vec![
        "404.html",
        "_redirects",
        "atom.xml",
        "favicon.ico",
        "favicon.svg",
        "news-sitemap.xml",
        "nginx-redirects.conf",
        "robots.txt",
        "rss.xml",
        "sitemap.xml",
        "sitemaps/2024.xml",
        "sitemaps/pages.xml",
        "stories/old.html",
        "style.css",
        &hashed_css,
        "tags/harbour/atom.xml",
        "tags/harbour/rss.xml",
    ];
    expected.sort();
    assert_eq!(extra_files(&out), expected);
    let news = std::fs::read_to_string(out.join("news-sitemap.xml")).expect("news");
    assert!(news.contains("<loc>https://fixture.example/2024/05/31/a-fresh-story/</loc>"));
    assert!(!news.contains("an-old-story"), "{news}");
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(home.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Fixture Times (Atom)\" href=\"/atom.xml\">"
    ));

    // Built again a week later: the same files but no news sitemap, and the
    // feeds and year sitemap are byte-identical.
    let later = tmp.path().join("later");
    let mut opts = options(&later);
    opts.now = Some(DateTime::parse_from_rfc3339("2024-06-08T12:00:00+01:00").expect("date"));
    build(&fixture("news_window"), &opts, &Quiet).expect("build");
    assert!(!later.join("news-sitemap.xml").exists());
    for same in [
        "atom.xml",
        "rss.xml",
        "sitemaps/2024.xml",
        "tags/harbour/rss.xml",
    ] {
        assert_eq!(
            std::fs::read(out.join(same)).expect("first"),
            std::fs::read(later.join(same)).expect("second"),
            "{same}"
        );
    }
}

#[test]
fn colliding_aliases_fail_the_build_naming_both_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let err = build(&fixture("alias_collision"), &options(&out), &Quiet).unwrap_err();
    let messages: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "content/2024-05-02-b.md: error: alias /old/ is also an alias of content/2024-05-01-a.md (both would write old/index.html)",
            "content/2024-05-02-b.md: error: alias /2024/05/01/a/ collides with the page of content/2024-05-01-a.md",
        ]
    );
    assert!(!out.exists(), "a failed build writes nothing");
}
