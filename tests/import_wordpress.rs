//! `broadsheet import wordpress` on a small export written for the test:
//! the files written, their front matter and bodies, the report, a second
//! import that writes nothing, and a build of the result.

mod common;

use std::process::{Command, Output};

use common::{Site, list_files, stderr, stdout};

fn broadsheet(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run broadsheet")
}

const IMPORT: &[&str] = &[
    "import",
    "wordpress",
    "export.xml",
    "--into",
    "site",
    "--uploads",
    "uploads",
];

#[test]
fn an_export_becomes_content_files_with_valid_html_a_report_and_a_second_import_writes_nothing() {
    let site = Site::copy("import");
    let out = broadsheet(IMPORT, site.root());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "content/2019/05/boat/index.md:17: shortcode left as text: [pullquote]Loud[/pullquote]
content/pages/search.md: old permalink /search/ is an address of the site's own pages (home, lists, search): they answer it, no redirect
imported: 2 posts, 2 pages (1 drafts), 1 attachments, 1 comments, 1 menu items not published
files: 6 written, 0 already there (kept); uploads: 1 copied, 0 missing; shortcodes left as text: 1
"
    );
    let root = site.root().join("site");
    assert_eq!(
        list_files(&root),
        [
            "content/2019/05/boat/2019-05-boat.jpg",
            "content/2019/05/boat/index.md",
            "content/2019/06/unfinished.md",
            "content/pages/about.md",
            "content/pages/search.md",
            "site.toml",
        ]
    );
    let boat = std::fs::read_to_string(root.join("content/2019/05/boat/index.md")).expect("boat");
    assert_eq!(
        boat,
        "+++
title = \"Boat & harbour\"
date = \"2019-05-06T07:30:00Z\"
updated = \"2019-05-07T08:00:00Z\"
slug = \"boat\"
authors = [\"Jo Bloggs\"]
categories = [\"News\"]
tags = [\"Boats\"]
summary = \"A boat.\"
aliases = [\"/?p=12\"]
+++
<p>First line<br>
second line</p>

<figure class=\"wp-caption alignleft\"><img src=\"2019-05-boat.jpg\" alt=\"Boat\"><figcaption>The boat</figcaption></figure>

<p>[pullquote]Loud[/pullquote]</p>
"
    );
    let about = std::fs::read_to_string(root.join("content/pages/about.md")).expect("about");
    assert!(
        about.contains("date = \"2018-01-01 00:00:00\"\n"),
        "{about}"
    );
    assert!(
        about.contains("aliases = [\"/about/\", \"/?page_id=2\"]\n"),
        "{about}"
    );
    assert!(
        about.ends_with("+++\n<p>We are a <em>paper</em>.</p>\n"),
        "{about}"
    );
    // Markup the HTML checker rejects is made valid: obsolete elements,
    // a body starting at h3 under the page's h1.
    let search = std::fs::read_to_string(root.join("content/pages/search.md")).expect("search");
    assert!(
        search.ends_with("aliases = [\"/?page_id=3\"]\n+++\n<h2>Where</h2>\n\n<p>Use <code>grep</code>, not <abbr title=\"Ctrl+F\">^F</abbr>.</p>\n"),
        "{search}"
    );
    let draft = std::fs::read_to_string(root.join("content/2019/06/unfinished.md")).expect("draft");
    assert!(
        draft.contains("slug = \"unfinished\"\ndraft = true\naliases = [\"/?p=13\"]\n"),
        "{draft}"
    );

    let again = broadsheet(IMPORT, site.root());
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).ends_with("files: 0 written, 5 already there (kept); uploads: 0 copied, 0 missing; shortcodes left as text: 0\n"),
        "{}",
        stdout(&again)
    );
    assert_eq!(list_files(&root).len(), 6);

    let build = broadsheet(&["build", "--root", "site"], site.root());
    assert!(build.status.success(), "{}", stderr(&build));
    let public = root.join("public");
    let page = std::fs::read_to_string(public.join("2019/05/06/boat/index.html")).expect("page");
    assert!(page.contains("<figcaption>The boat</figcaption>"), "{page}");
    let redirects = std::fs::read_to_string(public.join("_redirects")).expect("_redirects");
    assert!(
        redirects.contains("/ p=12 /2019/05/06/boat/ 301!\n"),
        "{redirects}"
    );
    assert!(public.join("about/index.html").is_file());
}

#[test]
fn a_missing_export_is_an_error_naming_it() {
    let site = Site::copy("import");
    let out = broadsheet(&["import", "wordpress", "nope.xml"], site.root());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: nope.xml: "),
        "{}",
        stderr(&out)
    );
}
