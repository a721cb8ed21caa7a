//! Other generators' front matter, each dialect from its own documentation:
//! a fixture site per dialect, built, with every headline, date, section
//! (first category), tag and URL read back from the pages.

mod common;

use common::{Site, stderr, stdout, stories};

/// Builds a fixture with the build's "now" fixed, and checks it succeeded.
fn build(fixture: &str, extra: &[&str]) -> (Site, String, String) {
    let site = Site::copy(fixture);
    let mut args = vec!["build", "--now", "2021-01-01T00:00:00Z"];
    args.extend_from_slice(extra);
    let out = site.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    (site, stdout(&out), stderr(&out))
}

#[test]
fn hugo_front_matter_keeps_dates_categories_authors_and_leaves_out_expired_pages() {
    let (site, summary, warnings) = build("dialects/hugo", &[]);
    assert_eq!(
        stories(&site.public()),
        [
            "/2020/03/01/harbour-fire/ | Fire at the harbour | 2020-03-01T10:00:00+00:00 | 2020-03-02T08:00:00+00:00 | Local | Ann Lee | Fire, Harbour, Emergencies",
            "/2020/04/02/council-votes-on-the-budget/ | Council votes on the budget | 2020-04-02T16:30:00+00:00 | - | Politics | Bo Berg | -",
        ]
    );
    assert!(
        summary.contains(", 3 warnings, 1 drafts left out"),
        "{summary}"
    );
    assert!(warnings.contains("content/posts/ferry-timetable.md: warning: expired on 2020-03-31T00:00:00+00:00 (`expiryDate`): left out, as Hugo does; `--drafts` includes it"), "{warnings}");
    let page = site.page("2020/04/02/council-votes-on-the-budget/index.html");
    assert!(
        page.contains("<meta name=\"description\" content=\"The budget passed by one vote.\">"),
        "{page}"
    );
    assert!(
        page.contains(
            "<meta property=\"og:image\" content=\"https://hugo.example/img/council.jpg\">"
        ),
        "{page}"
    );
    assert!(
        site.files()
            .contains(&"2020/03/harbour-fire.html".to_string())
    );
    assert!(warnings.contains("content/posts/harbour-fire/index.md: warning: front-matter key `weight` (1 file) is not one broadsheet reads: kept in article.extra for templates"), "{warnings}");
}

#[test]
fn zola_taxonomies_extra_and_file_name_dates_are_read() {
    let (site, _, warnings) = build("dialects/zola", &[]);
    assert_eq!(
        stories(&site.public()),
        [
            "/2019/05/01/a-new-rust-release/ | A new Rust release | 2019-05-01T00:00:00+00:00 | 2019-05-02T00:00:00+00:00 | Tech | - | rust, releases",
            "/2019/06/01/harbour/ | The harbour in spring | 2019-06-01T06:00:00+00:00 | - | Blog | Kim Park | -",
        ]
    );
    assert!(
        warnings.contains(
            "content/blog/harbour/index.md: warning: front-matter key `taxonomies.series` (1 file)"
        ),
        "{warnings}"
    );
}

#[test]
fn jekyll_posts_categories_and_unpublished_posts() {
    let (site, summary, warnings) = build("dialects/jekyll", &[]);
    assert_eq!(
        stories(&site.public()),
        [
            "/2015/05/21/tock-tracking-time/ | Tock: tracking time | 2015-05-21T14:00:00+00:00 | - | Tools | - | time, tools",
            "/2015/06/11/how-digital-humanitarians-responded-to-the-nepal-earthquake/ | How digital humanitarians responded to the Nepal earthquake | 2015-06-11T00:00:00+00:00 | - | News | Ann Lee | humanitarian, maps, world",
        ]
    );
    assert!(summary.contains(", 2 drafts left out"), "{summary}");
    assert!(
        warnings.contains("warning: front-matter key `layout` (4 files)"),
        "{warnings}"
    );
    assert!(
        site.files()
            .contains(&"2015/05/21/TockingTime/index.html".to_string())
    );
}

#[test]
fn eleventy_tags_and_permalink_false() {
    let (site, summary, _) = build("dialects/eleventy", &[]);
    assert_eq!(
        stories(&site.public()),
        [
            "/2018/01/01/my-first-post/ | My first post | 2018-01-01T00:00:00+00:00 | - | Posts | - | post",
            "/2018/02/03/a-second-post/ | A second post | 2018-02-03T00:00:00+00:00 | - | Posts | - | post, travel",
        ]
    );
    assert!(summary.contains(", 1 drafts left out"), "{summary}");
}

#[test]
fn expired_and_unpublished_pages_are_built_with_drafts() {
    let (site, _, _) = build("dialects/hugo", &["--drafts"]);
    let all = stories(&site.public());
    assert!(
        all.iter().any(
            |s| s.starts_with("/2020/01/10/winter-ferry-timetable/ | Winter ferry timetable |")
        ),
        "{all:?}"
    );
    let (site, _, _) = build("dialects/jekyll", &["--drafts"]);
    let all = stories(&site.public());
    assert!(
        all.iter()
            .any(|s| s.starts_with("/2016/01/01/not-yet-published/ | Not yet published |")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|s| s.starts_with("/undated/an-idea/ | An idea |")),
        "{all:?}"
    );
}
