//! Incremental builds are byte-identical to clean builds: a small site goes
//! through a sequence of changes; after each one an incremental build (with the
//! cache) and a clean build (`no_cache`, into a fresh folder) must produce the
//! same files with the same bytes, and every file whose bytes did not change
//! must not have been rewritten (its modification time stays).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use broadsheet::build::{BuildError, BuildOptions, BuildReport, Quiet, build};

/// A moment long before the test, for "not rewritten" checks and for source
/// files the cache may trust by their stamp.
fn long_ago() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_500_000_000)
}

struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    clean: PathBuf,
}

impl Site {
    fn new() -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        let site = Site {
            out: root.join("public"),
            clean: tmp.path().join("clean"),
            root,
            _tmp: tmp,
        };
        site.put(
            "site.toml",
            "title = \"The Test Gazette\"\nbase_url = \"https://test.example\"\n\
             paginate_by = 2\n\n[content]\nundated = \"include\"\n",
        );
        for (path, title, date, tags) in [
            (
                "content/city/harbour.md",
                "Harbour reopens",
                "2024-02-12",
                "\"transport\", \"port\"",
            ),
            (
                "content/city/ferry.md",
                "Ferry timetable",
                "2024-02-12",
                "\"transport\"",
            ),
            (
                "content/city/market.md",
                "Market square",
                "2024-03-01",
                "\"planning\"",
            ),
            (
                "content/culture/choir.md",
                "Choir at 100",
                "2023-11-04",
                "\"music\"",
            ),
            (
                "content/culture/museum.md",
                "Museum night",
                "2024-10-19",
                "\"music\", \"port\"",
            ),
            (
                "content/culture/library.md",
                "Library archive",
                "2023-03-30",
                "",
            ),
        ] {
            site.put(
                path,
                &article(
                    title,
                    Some(date),
                    tags,
                    "First paragraph.\n\nSecond paragraph.",
                ),
            );
        }
        site.put(
            "content/notes/undated.md",
            &article("A note without a date", None, "", "Some text."),
        );
        site.put(
            "content/world/2013/02/02/afp-lavrov.txt",
            "Lavrov wants contact\n\n2nd February 2013, Comments 0 comments\n\n\
             Russia's minister spoke.\n\nHe added more.\n\n(c) 2013 AFP\n",
        );
        site.backdate_sources();
        site
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn put(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).expect("remove");
    }

    /// Source files older than any build, so the cache trusts their stamps.
    fn backdate_sources(&self) {
        for f in files_under(&self.path("content")) {
            set_mtime(&self.path("content").join(f), long_ago());
        }
    }

    /// Output files written by the last `step` (their modification time moved).
    fn rewritten(&self) -> Vec<String> {
        files_under(&self.out)
            .into_iter()
            .filter(|f| mtime(&self.out.join(f)) != long_ago())
            .collect()
    }

    fn build(&self) -> Result<BuildReport, BuildError> {
        build(
            &self.root,
            &BuildOptions {
                output_dir: Some(self.out.clone()),
                ..BuildOptions::default()
            },
            &Quiet,
        )
    }

    /// An incremental build, then a clean one to compare with; returns the
    /// incremental build's report.
    fn step(&self, what: &str) -> BuildReport {
        self.step_with(what, true)
    }

    /// `step`; `keep_mtimes` false when every file is expected to be rewritten.
    fn step_with(&self, what: &str, keep_mtimes: bool) -> BuildReport {
        let before = snapshot(&self.out);
        for f in before.keys() {
            set_mtime(&self.out.join(f), long_ago());
        }
        let report = self
            .build()
            .unwrap_or_else(|e| panic!("{what}: incremental build failed: {:?}", e.diagnostics));
        let _ = std::fs::remove_dir_all(&self.clean);
        build(
            &self.root,
            &BuildOptions {
                output_dir: Some(self.clean.clone()),
                no_cache: true,
                ..BuildOptions::default()
            },
            &Quiet,
        )
        .unwrap_or_else(|e| panic!("{what}: clean build failed: {:?}", e.diagnostics));

        let inc = snapshot(&self.out);
        let clean = snapshot(&self.clean);
        assert_eq!(
            inc.keys().collect::<Vec<_>>(),
            clean.keys().collect::<Vec<_>>(),
            "{what}: the incremental build made other files than a clean build"
        );
        for (f, bytes) in &inc {
            assert!(
                *bytes == clean[f],
                "{what}: {f} differs from a clean build:\n--- incremental\n{}\n--- clean\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&clean[f])
            );
        }
        for (f, old) in before.iter().filter(|_| keep_mtimes) {
            if inc.get(f) == Some(old) {
                let mtime = mtime(&self.out.join(f));
                assert_eq!(mtime, long_ago(), "{what}: unchanged {f} was rewritten");
            }
        }
        report
    }
}

fn article(title: &str, date: Option<&str>, tags: &str, body: &str) -> String {
    let date = date.map(|d| format!("date = {d}\n")).unwrap_or_default();
    format!(
        "+++\ntitle = \"{title}\"\n{date}tags = [{tags}]\nauthors = [\"Mara Quinn\"]\n+++\n\n{body}\n"
    )
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("under dir");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    if !dir.exists() {
        return BTreeMap::new();
    }
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(t))
        .expect("set mtime");
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn every_incremental_build_matches_a_clean_build() {
    let site = Site::new();
    let first = site.step("first build");
    assert!(!first.incremental, "no cache yet: a full build");

    let r = site.step("nothing changed");
    assert!(r.incremental);
    assert_eq!((r.pages_rendered, r.pages_written), (0, 0), "nothing to do");

    let market = |second: &str| {
        let body = format!("First paragraph.\n\n{second}");
        site.put(
            "content/city/market.md",
            &article("Market square", Some("2024-03-01"), "\"planning\"", &body),
        );
    };
    // A change after the summary: only the article page and the search
    // index file holding the words that changed.
    market("Second paragraph, edited.");
    let r = site.step("body edit");
    let shard = format!("search/{}", broadsheet::search::layout::shard_name(""));
    assert_eq!(
        site.rewritten(),
        ["2024/03/01/market/index.html", shard.as_str()],
        "only the article page and its words' index shard are rewritten"
    );
    assert_eq!(r.pages_written, 2);
    let index = broadsheet::search::encode::read_shard(
        &std::fs::read(site.out.join(&shard)).expect("shard"),
    )
    .expect("decodes");
    assert!(
        index.words.iter().any(|(w, _)| w == "edited"),
        "the new word is indexed"
    );

    // Same size, same old modification time: the change time still gives it away.
    market("Second paragraph, EDITED.");
    set_mtime(&site.path("content/city/market.md"), long_ago());
    let r = site.step("same-size edit with the old mtime");
    assert_eq!(r.pages_written, 1);

    // A title change reaches the neighbours' previous/next links and the lists.
    site.put(
        "content/city/ferry.md",
        &article(
            "Ferry timetable changes",
            Some("2024-02-12"),
            "\"transport\"",
            "First paragraph.\n\nSecond paragraph.",
        ),
    );
    site.step("title edit");

    site.put(
        "content/city/bridge.md",
        &article(
            "New bridge",
            Some("2024-06-30"),
            "\"transport\", \"bridges\"",
            "About a bridge.",
        ),
    );
    let r = site.step("article added");
    assert!(r.pages_reused > 0, "untouched pages are reused");

    site.remove("content/culture/library.md");
    let r = site.step("article deleted");
    assert!(r.files_removed > 0, "its pages are gone");
    assert!(
        !site.out.join("2023/03/30").exists(),
        "empty folders are removed"
    );

    std::fs::rename(
        site.path("content/culture/choir.md"),
        site.path("content/culture/choir-centenary.md"),
    )
    .expect("rename");
    site.step("article renamed");

    site.put(
        "content/city/harbour.md",
        "+++\ntitle = \"Harbour reopens\"\ndate = 2024-02-12\ndraft = true\n+++\n\nText.\n",
    );
    site.step("article turned into a draft");

    site.put(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ article.title }}</h1>{{ body | safe }}{% endblock main %}",
    );
    let r = site.step("article template overridden");
    let articles = r
        .timings
        .kinds
        .iter()
        .find(|k| k.label == "articles")
        .expect("articles");
    assert_eq!(
        articles.rendered, articles.pages,
        "every article page re-rendered"
    );
    assert_eq!(
        r.pages_rendered, articles.pages,
        "no other page re-rendered"
    );

    site.put(
        "templates/partials/article_list.html",
        "{% for card in cards %}<p>{{ card | safe }}</p>{% endfor %}",
    );
    site.step("list partial overridden");
    site.put(
        "templates/partials/card.html",
        "<a href=\"{{ article.url }}\">{{ article.title }}</a>",
    );
    site.step("card partial overridden");

    site.put("static/extra.css", "body { margin: 0 }\n");
    site.step("static file added");
    site.remove("static/extra.css");
    site.step("static file removed");

    site.put(
        "site.toml",
        "title = \"The Renamed Gazette\"\nbase_url = \"https://test.example\"\n\
         paginate_by = 3\n\n[content]\nundated = \"include\"\n",
    );
    site.step("site.toml changed");

    site.put(
        "content/city/broken.md",
        "+++\ntitle = \"Broken\"\ndate = 2024-13-45\n+++\nx\n",
    );
    let before = snapshot(&site.out);
    for f in before.keys() {
        set_mtime(&site.out.join(f), long_ago());
    }
    assert!(site.build().is_err(), "a bad date fails the build");
    assert_eq!(
        snapshot(&site.out),
        before,
        "a failed build leaves the output whole"
    );
    for f in before.keys() {
        assert_eq!(
            mtime(&site.out.join(f)),
            long_ago(),
            "{f} untouched by a failed build"
        );
    }
    site.remove("content/city/broken.md");
    site.step("broken article removed");

    for entry in std::fs::read_dir(site.path(".broadsheet-cache")).expect("cache folder") {
        let path = entry.expect("entry").path();
        if path.to_string_lossy().contains("articles-") {
            std::fs::write(path, b"garbage").expect("damage");
        }
    }
    let r = site.step("damaged parse cache");
    assert!(
        r.cache_notes
            .iter()
            .any(|n| n.contains("not a broadsheet cache file")),
        "{:?}",
        r.cache_notes
    );

    std::fs::remove_dir_all(site.path(".broadsheet-cache")).expect("delete cache");
    let r = site.step_with("cache deleted", false);
    assert!(
        !r.incremental,
        "without a cache the output is written whole"
    );

    site.backdate_sources();
    site.step("sources touched");
    let r = site.step("nothing changed again");
    assert_eq!((r.pages_rendered, r.pages_written), (0, 0));
}

#[test]
fn new_articles_leave_older_numbered_pages_as_they_were() {
    let site = Site::new();
    site.step("first build");
    let oldest = "page/1/index.html";
    let before = std::fs::read(site.out.join(oldest)).expect("oldest home page");
    let pages = |site: &Site| {
        files_under(&site.out.join("page"))
            .into_iter()
            .filter(|f| f.ends_with("index.html"))
            .count()
    };
    let first_count = pages(&site);
    // Two newest articles: with two per page, one of them adds a page to the
    // home list; neither may touch the oldest page (step checks its mtime).
    for (n, date) in [(1, "2025-05-01"), (2, "2025-06-01")] {
        site.put(
            &format!("content/city/newest-{n}.md"),
            &article(&format!("Newest {n}"), Some(date), "", "Text."),
        );
        site.step(&format!("newest article {n} added"));
        assert_eq!(
            std::fs::read(site.out.join(oldest)).expect("oldest home page"),
            before,
            "newest article {n}: the oldest numbered page changed"
        );
    }
    assert_eq!(pages(&site), first_count + 1, "the home list gained a page");
}

#[test]
fn text_files_are_read_again_when_their_folders_furniture_changes() {
    let site = Site::new();
    let page = |headline: &str, day: u32, story: &str| {
        format!(
            "Valley Voice\nNews and views from the Shenandoah\n\n{headline}\n\nMarch {day}, 2011\n\n{story}\n\nThanks for reading the Valley Voice\n"
        )
    };
    site.put(
        "content/blog/one.txt",
        &page(
            "Festival moves to the park",
            1,
            "The festival moves to the riverside park this summer, organisers said.",
        ),
    );
    site.put(
        "content/blog/two.txt",
        &page(
            "Flood reaches the mill",
            2,
            "Flood water reached the old mill overnight, and the road was closed.",
        ),
    );
    site.backdate_sources();
    site.step("two blog posts: no furniture yet, the blog's name reads as a label");
    // A third story carrying the same lines makes them furniture for all three, and the
    // closing line is cut from every story: the unchanged two must be read again
    // (trusting their stamps would keep their old bodies).
    site.put(
        "content/blog/three.txt",
        &page(
            "Bridge repairs begin",
            3,
            "Engineers began repairs to the iron bridge on Thursday morning.",
        ),
    );
    site.step("a third post: the name and tagline become furniture");
    site.remove("content/blog/three.txt");
    site.backdate_sources();
    site.step("back to two posts: no furniture again");
}
