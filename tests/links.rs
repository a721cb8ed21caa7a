//! `check --links`: every link of every page the build would write, checked
//! against the files it would write and the ids of their pages.

mod common;

use common::{Site, stderr, stdout};

const BROKEN: [&str; 6] = [
    "/404.html: error: broken link `/no-such-section/`: no page or file there",
    "content/2020-01-02-first.md:10: error: broken link `/2020/01/04/nowhere/` on /2020/01/02/first/: no page or file there",
    "content/2020-01-02-first.md:12: error: broken link `/2020/01/03/second/#no-such-id` on /2020/01/02/first/: the page has no element with id `no-such-id`",
    "content/2020-01-03-second.md:9: error: broken link `/missing.png` on /2020/01/03/second/: no page or file there",
    "content/2020-01-03-second.md:9: error: broken link `/missing@2x.png` on /2020/01/03/second/: no page or file there",
    "error: check found 5 broken links",
];

#[test]
fn broken_links_and_fragments_are_errors_naming_the_page_or_the_source_line() {
    let site = Site::copy("links/broken");
    let out = site.run(&["check", "--links"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().collect::<Vec<_>>(), BROKEN);
    assert_eq!(
        stdout(&out),
        "links: 16 pages, 244 links (243 into the site, to 43 targets; 1 outside, to 1 URL; 0 not checked), 5 broken\n"
    );
    assert!(!site.public().exists(), "nothing was written");
}

#[test]
fn relative_urls_break_the_same_links() {
    let site = Site::copy("links/broken");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).expect("read");
    site.write(
        "site.toml",
        format!("{toml}relative_urls = true\n").as_bytes(),
    );
    let out = site.run(&["check", "--links"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().collect::<Vec<_>>(), BROKEN);
}

#[test]
fn a_relative_link_in_a_summary_breaks_on_the_list_pages_that_show_it() {
    let site = Site::copy("links/broken");
    site.write(
        "content/2020-01-05-third.md",
        b"+++\ntitle = \"Third\"\ndate = 2020-01-05\n+++\nSee [the second](../../03/second/).\n",
    );
    let out = site.run(&["check", "--links"]);
    let err = stderr(&out);
    // Fine on its own page (/2020/01/05/third/), wrong on the day's list
    // and the front page.
    assert!(
        err.contains(
            "/2020/01/05/: error: broken link `/2020/03/second/`: no page or file there\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("/: error: broken link `/03/second/`: no page or file there (and on "),
        "{err}"
    );
    assert!(!err.contains("on /2020/01/05/third/"), "{err}");
}

#[test]
fn the_json_report_lists_each_broken_link_with_where_it_stands() {
    let site = Site::copy("links/broken");
    let out = site.run(&["check", "--links", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let links = &json["links"];
    assert_eq!(links["pages"], 16);
    assert_eq!(links["internal_targets"], 43);
    let broken = links["broken"].as_array().expect("list");
    assert_eq!(broken.len(), 5);
    let fragment = broken
        .iter()
        .find(|b| b["problem"]["kind"] == "no-id")
        .expect("the broken fragment");
    assert_eq!(
        fragment,
        &serde_json::json!({
            "target": "/2020/01/03/second/#no-such-id",
            "problem": {"kind": "no-id", "id": "no-such-id"},
            "on": [{
                "page": "/2020/01/02/first/",
                "href": "/2020/01/03/second/#no-such-id",
                "source": "content/2020-01-02-first.md",
                "line": 12
            }],
            "more_pages": 0
        })
    );
}

#[test]
fn a_site_with_good_links_passes() {
    let site = Site::copy("basic");
    let out = site.run(&["check", "--links"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(", 0 broken\n"), "{text}");
    assert!(
        text.ends_with("no broken links (nothing written)\n"),
        "{text}"
    );
}

#[test]
fn the_repositorys_own_site_has_no_broken_links() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["check", "--links", "--root", env!("CARGO_MANIFEST_DIR")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(", 0 broken\n"));
}

/// What the scanner finds on a page, and what html5ever's parser finds:
/// each URL attribute, `srcset` candidate, `id` and `<a name>`, sorted.
fn both_readings(html: &str) -> (Vec<String>, Vec<String>) {
    use broadsheet::links::scan::{Found, scan, srcset_urls};
    let mut ours = Vec::new();
    scan(html.as_bytes(), |f| {
        ours.push(match f {
            Found::Link(u) => format!("link {u}"),
            Found::Id(i) => format!("id {i}"),
            Found::Base(b) => format!("base {b}"),
        })
    });
    // A browser running scripts reads `<noscript>` as text; its links are
    // still links for readers without scripts, so the scanner reads them.
    let without_noscript = html
        .replace("<noscript>", "<div>")
        .replace("</noscript>", "</div>");
    let doc = scraper::Html::parse_document(&without_noscript);
    let mut theirs = Vec::new();
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        for (name, value) in el.attrs() {
            match name {
                "href" if el.name() == "base" => theirs.push(format!("base {value}")),
                "href" | "src" | "action" | "formaction" | "poster" | "cite" | "longdesc" => {
                    theirs.push(format!("link {value}"))
                }
                "data" if el.name() == "object" => theirs.push(format!("link {value}")),
                "srcset" => theirs.extend(srcset_urls(value).map(|u| format!("link {u}"))),
                "id" => theirs.push(format!("id {value}")),
                "name" if el.name() == "a" => theirs.push(format!("id {value}")),
                _ => {}
            }
        }
    }
    ours.sort();
    theirs.sort();
    (ours, theirs)
}

#[test]
fn the_scanner_reads_every_page_as_html5ever_does() {
    let mut pages = 0;
    for fixture in ["basic", "links/broken", "html_pages", "shortcodes"] {
        let site = Site::copy(fixture);
        let out = site.run(&["build"]);
        assert!(out.status.success(), "{fixture}: {}", stderr(&out));
        for file in site.files().iter().filter(|f| f.ends_with(".html")) {
            let html = site.page(file);
            let (ours, theirs) = both_readings(&html);
            assert_eq!(ours, theirs, "{fixture}: {file}");
            pages += 1;
        }
    }
    assert!(pages > 80, "{pages} pages");
    let tricky = r#"<!DOCTYPE html><title><a href="/no/"></title><!-- <a href="/no/"> -->
<script>document.write('<a href="/no/">')</script><style>a{}</style>
<A HREF=/yes/ id=x>1</A><img src='/i.png' srcset="/a.png 1x, /b.png 2x"><a name="n" href="?q=1&amp;r=2&copy=3">
<textarea><img src="/no.png"></textarea><p id="caf&eacute;"><form action="/f/"><button formaction=/g/>
</button></form><blockquote cite="/c/"></blockquote><object data="/o/"></object><div data="/no/">"#;
    let (ours, theirs) = both_readings(tricky);
    assert_eq!(ours, theirs);
}

#[test]
fn files_of_a_page_bundle_are_there_for_links_though_the_check_does_not_read_them() {
    let site = Site::copy("links/broken");
    site.write(
        "content/2020-01-06-fire/index.md",
        b"+++\ntitle = \"Fire\"\ndate = 2020-01-06\n+++\nThe fire.\n\n![Flames](photo.jpg) and [the report](docs/report.pdf).\n",
    );
    // A real picture: a photo that cannot be read is an error (tests/media.rs).
    let mut photo = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut photo)
        .encode_image(&image::RgbImage::new(8, 8))
        .expect("encode");
    site.write("content/2020-01-06-fire/photo.jpg", &photo);
    site.write("content/2020-01-06-fire/docs/report.pdf", b"%PDF-1.4");
    // A file is taken by its stamp (not read) only once the stamp is 2 s old.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    let out = site.run(&["check", "--links"]);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), BROKEN.len(), "{err}");
    assert!(!err.contains("fire"), "{err}");
}
