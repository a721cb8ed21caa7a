use std::sync::Mutex;

use super::*;
use crate::plan;
use crate::testing::{archive, config, md};

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2013-02-03T12:00:00+00:00").expect("date")
}

/// Runs the step and returns the written paths (sorted) and the messages.
fn run(cfg: &Config, a: &Archive, statics: &[&str]) -> (Vec<String>, Vec<String>) {
    let pages = plan::plan(a, cfg.paginate_by);
    let written = Mutex::new(Vec::new());
    let sink = |p: &str, _: &[u8]| -> Result<(), Diagnostic> {
        written.lock().expect("lock").push(p.to_string());
        Ok(())
    };
    let body = |_: u32| -> Result<String, Diagnostic> { Ok("<p>body</p>".into()) };
    let input = ExtraInput {
        archive: a,
        cfg,
        pages: &pages,
        statics,
        now: now(),
        incremental: None,
        cache_dir: None,
    };
    let diags = extra_outputs(&input, &body, &sink);
    let mut written = written.into_inner().expect("lock");
    written.sort();
    (written, diags.iter().map(ToString::to_string).collect())
}

#[test]
fn the_step_writes_feeds_sitemaps_robots_and_redirects() {
    let cfg = config("");
    let a = archive(
        &cfg,
        &[
            (
                "a.md",
                &md("A", "2013-02-02", "tags: [X]\naliases: [/old/a/]\n"),
            ),
            ("b.md", &md("B", "2012-01-01", "")),
        ],
    );
    let (written, diags) = run(&cfg, &a, &["style.css"]);
    assert!(diags.is_empty(), "{diags:?}");
    let (search, written): (Vec<String>, Vec<String>) =
        written.into_iter().partition(|p| p.starts_with("search/"));
    let (_, tag_slot) = crate::search::layout::slots(&["X"]);
    let mut expected = vec![
        format!(
            "search/g/{}.json",
            tag_slot[0] / crate::search::layout::TAG_BLOCK
        ),
        "search/meta.json".to_string(),
        "search/r/0.json".to_string(),
        "search/search.js".to_string(),
        format!("search/{}", crate::search::layout::shard_name("")),
    ];
    expected.sort();
    assert_eq!(search, expected);
    assert_eq!(
        written,
        [
            "_redirects",
            "atom.xml",
            "news-sitemap.xml",
            "nginx-redirects.conf",
            "old/a/index.html",
            "robots.txt",
            "rss.xml",
            "sitemap.xml",
            "sitemaps/2012.xml",
            "sitemaps/2013.xml",
            "sitemaps/pages.xml",
            "tags/x/atom.xml",
            "tags/x/rss.xml",
        ]
    );
}

#[test]
fn a_static_robots_txt_wins_and_other_clashes_with_statics_fail() {
    let cfg = config("");
    let a = archive(&cfg, &[("a.md", &md("A", "2013-02-02", ""))]);
    let (written, diags) = run(&cfg, &a, &["robots.txt", "sitemap.xml"]);
    assert!(written.is_empty());
    assert_eq!(
        diags,
        [
            "sitemap.xml: error: the static file sitemap.xml has the path of a generated file (feed, sitemap or redirects)"
        ]
    );
    let (written, diags) = run(&cfg, &a, &["robots.txt"]);
    assert!(diags.is_empty());
    assert!(!written.contains(&"robots.txt".to_string()));
}

#[test]
fn alias_collisions_stop_the_step_before_anything_is_written() {
    let cfg = config("");
    let a = archive(
        &cfg,
        &[
            (
                "a.md",
                &md("A", "2013-02-02", "aliases: [/2013/02/03/b/]\n"),
            ),
            ("b.md", &md("B", "2013-02-03", "aliases: [/atom.xml]\n")),
        ],
    );
    let (written, diags) = run(&cfg, &a, &[]);
    assert!(written.is_empty());
    assert_eq!(
        diags,
        [
            "content/a.md: error: alias /2013/02/03/b/ collides with the page of content/b.md",
            "content/b.md: error: alias /atom.xml collides with the generated file atom.xml",
        ]
    );
}

#[test]
fn a_url_that_does_not_show_the_publication_date_fails_the_build() {
    let cfg = config("timezone = \"Europe/London\"\n");
    let mut a = archive(
        &cfg,
        &[(
            "a.md",
            &md("A", "2013-07-01T23:30:00Z", "updated: 2013-06-01\n"),
        )],
    );
    assert_eq!(
        a.entries[0].url, "/2013/07/02/a/",
        "the day in the site's zone"
    );
    assert_eq!(
        check_dates(&a, &cfg)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "content/a.md: warning: `updated` (2013-06-01T00:00:00+01:00) is before `date` (2013-07-02T00:30:00+01:00); feeds, sitemaps and metadata use the date"
        ]
    );
    // A URL made from the UTC day instead would disagree with the byline.
    a.entries[0].url = "/2013/07/01/a/".into();
    assert_eq!(
        check_dates(&a, &cfg)[0].to_string(),
        "content/a.md: error: the URL /2013/07/01/a/ does not show the publication date 2013-07-02 (in Europe/London), which the byline, JSON-LD and sitemap print"
    );
}

#[test]
fn permalink_patterns_match_with_date_tokens_inside_segments() {
    let d = DateTime::parse_from_rfc3339("2013-02-02T10:00:00+00:00").expect("date");
    let shows = |pattern: &str, url: &str| url_shows_date(pattern, url, d, &mut String::new());
    assert!(shows("/:year/:month/:day/:slug/", "/2013/02/02/x-2/"));
    assert!(shows("/:section/:year-:month-:slug/", "/world/2013-02-x/"));
    assert!(shows("/:section/:slug/", "/world/x/"));
    assert!(shows("/:slug.html", "/x.html"));
    assert!(shows("/a/:section/b/:slug/c", "/a/w/b/x-y/c"));
    assert!(!shows("/:year/:month/:day/:slug/", "/2013/02/03/x/"));
    assert!(!shows("/:section/:year-:month-:slug/", "/world/2013-03-x/"));
    assert!(!shows("/:year/:slug/", "/2013/x/y/"));
    assert!(!shows("/:slug.html", "/x.htm"));
    let early = DateTime::parse_from_rfc3339("0987-03-04T10:00:00+00:00").expect("date");
    let buf = &mut String::new();
    assert!(url_shows_date(
        "/:year/:month/:day/:slug/",
        "/0987/03/04/x/",
        early,
        buf
    ));
    assert!(!url_shows_date(
        "/:year/:month/:day/:slug/",
        "/987/03/04/x/",
        early,
        buf
    ));
}
