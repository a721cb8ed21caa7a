//! Saved HTML pages in content/: the story and its metadata become an
//! article page, the page's old address redirects to it, pages that list
//! other pages are skipped with the reason, and `check --ingest` says where
//! each field came from.

mod common;

use std::io::Write;

use common::{Site, stderr, stdout};

#[test]
fn a_saved_page_becomes_a_clean_article_at_its_old_slug() {
    let site = Site::copy("html_pages");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = site.page("2019/11/19/harbour-fire/index.html");
    assert!(
        page.contains("<h1>Harbour fire closes the port</h1>")
            || page.contains("Harbour fire closes the port</h1>"),
        "{page}"
    );
    assert!(page.contains("<p>The harbour fire burned for six hours, officials said, and three warehouses were lost.</p>"), "{page}");
    assert!(
        page.contains(r#"<img src="https://old.example/img/quay.jpg" alt="The quay">"#),
        "{page}"
    );
    assert!(
        page.contains("<figcaption>The quay at dawn, after the fire was put out.</figcaption>"),
        "{page}"
    );
    assert!(page.contains(r#"<iframe src="https://www.youtube.com/embed/abc123" loading="lazy" allowfullscreen=""></iframe>"#), "{page}");
    assert!(page.contains("Jane Smith"), "{page}");
    for furniture in [
        "Share this story",
        "Another story about a fire",
        "all rights reserved",
        "tracking",
        "steal()",
        "javascript:",
        "ads.example",
    ] {
        assert!(!page.contains(furniture), "{furniture} in {page}");
    }
    // The old address answers with a redirect to the new one.
    let old = site.page("news/2019/11/19/harbour-fire.html");
    assert!(
        old.contains("https://fixture.example/2019/11/19/harbour-fire/"),
        "{old}"
    );
    let tag = site.page("tags/port/index.html");
    assert!(tag.contains("Harbour fire closes the port"), "{tag}");
}

#[test]
fn a_page_listing_other_pages_is_skipped_with_the_reason() {
    let site = Site::copy("html_pages");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/tags/fire.html: warning: not an article: a website page (")
            && err.contains("is links, 0 characters of story text): skipped"),
        "{err}"
    );
    let home = site.page("index.html");
    assert!(home.contains("Harbour fire closes the port"), "{home}");
    assert!(!home.contains("Stories tagged fire"), "{home}");
}

#[test]
fn check_ingest_names_where_each_field_came_from_and_gives_the_story_text() {
    let site = Site::copy("html_pages");
    let out = site.run(&["check", "--ingest", "--text"]);
    let text = stdout(&out);
    assert!(text.contains("content/world/harbour-fire.html  [Html, html, UTF-8]\n  headline: Harbour fire closes the port\n  date:     2019-11-19T05:00:00+00:00 (Page)\n"), "{text}");
    assert!(
        text.contains("  from:     authors json-ld, canonical link, date json-ld, headline json-ld, image json-ld, section json-ld, tags open-graph\n"),
        "{text}"
    );
    assert!(text.contains("  | The harbour fire burned for six hours, officials said, and three warehouses were lost.\n  | \n  | Firefighters"), "{text}");
    assert!(
        text.contains("  skipped:  not an article: a website page"),
        "{text}"
    );
    let json = site.run(&["check", "--ingest", "--format", "json", "--text"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let page = &v["files"][1];
    assert_eq!(page["sources"]["date"], "json-ld");
    assert!(
        page["text"]
            .as_str()
            .unwrap()
            .ends_with("the mayor said on Sunday."),
        "{page}"
    );
    assert_eq!(v["totals"]["skipped"], 1);
}

#[test]
fn a_gzipped_page_in_another_charset_is_read() {
    let site = Site::copy("html_pages");
    let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">\
        <title>Caf\xe9 reopens</title><meta name=\"date\" content=\"2013-02-03\"></head><body><article>\
        <p>The caf\xe9 by the harbour reopened on Sunday, three months after the fire, its owner said.</p>\
        <p>Regulars queued from seven in the morning, and the first coffee was free for everyone.</p></article></body></html>";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(page).expect("gzip");
    site.write("content/world/cafe.html.gz", &gz.finish().expect("gzip"));
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.page("2013/02/03/cafe-reopens/index.html");
    assert!(
        html.contains("<p>The café by the harbour reopened on Sunday"),
        "{html}"
    );
}

#[test]
fn a_damaged_gzip_is_an_error_naming_the_file() {
    let site = Site::copy("html_pages");
    site.write(
        "content/world/broken.html.gz",
        b"\x1f\x8b\x08\x00not gzip at all",
    );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("content/world/broken.html.gz: error: cannot decompress:"),
        "{}",
        stderr(&out)
    );
}
