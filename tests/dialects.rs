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
            "/news/2020/hugo-post.html | Ferry company sold | 2020-05-05T10:00:00+00:00 | - | News | - | Ferries",
            "/posts/budget-vote/ | Council votes on the budget | 2020-04-02T16:30:00+00:00 | - | Politics | Bo Berg | -",
            "/posts/harbour-fire/ | Fire at the harbour | 2020-03-01T10:00:00+00:00 | 2020-03-02T08:00:00+00:00 | Local | Ann Lee | Fire, Harbour, Emergencies",
        ]
    );
    assert!(
        summary.contains(", 3 warnings, 1 draft left out"),
        "{summary}"
    );
    assert!(warnings.contains("content/posts/ferry-timetable.md: warning: expired on 2020-03-31T00:00:00+00:00 (`expiryDate`): left out, as Hugo does; `--drafts` includes it"), "{warnings}");
    let page = site.page("posts/budget-vote/index.html");
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
fn slugs_from_headlines_move_posts_and_their_file_name_addresses_redirect() {
    let site = Site::copy("dialects/jekyll");
    site.write(
        "site.toml",
        b"title = \"J\"\nbase_url = \"https://jekyll.example\"\n[content]\nslug_from = \"title\"\n",
    );
    let out = site.run(&["build", "--now", "2021-01-01T00:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let new = "2015/06/11/how-digital-humanitarians-responded-to-the-nepal-earthquake/index.html";
    assert!(
        site.page(new)
            .contains("<h1>How digital humanitarians responded to the Nepal earthquake</h1>")
    );
    let old = site.page("2015/06/11/moveforward-map-give-video/index.html");
    assert!(
        old.contains("url=https://jekyll.example/2015/06/11/how-digital-humanitarians-responded-to-the-nepal-earthquake/\">"),
        "{old}"
    );
}

#[test]
fn section_pages_of_hugo_and_zola_are_listed_as_skipped_not_read_as_undated_articles() {
    let site = Site::copy("dialects/hugo");
    site.write(
        "content/posts/_index.md",
        b"+++\ntitle = \"Posts\"\n+++\nAll our posts.\n",
    );
    let out = site.run(&["build", "--now", "2021-01-01T00:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("skipped (a section page of Hugo or Zola (`_index`), not an article): content/posts/_index.md"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn zola_taxonomies_extra_and_file_name_dates_are_read() {
    let (site, _, warnings) = build("dialects/zola", &[]);
    assert_eq!(
        stories(&site.public()),
        [
            "/2019/03/04/zola-post/ | The first post | 2019-03-04T00:00:00+00:00 | - | Blog | - | rust",
            "/blog/harbour/ | The harbour in spring | 2019-06-01T06:00:00+00:00 | - | Blog | Kim Park | -",
            "/blog/rust-release/ | A new Rust release | 2019-05-01T00:00:00+00:00 | 2019-05-02T00:00:00+00:00 | Tech | - | rust, releases",
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
            "/2015/05/21/tockingtime/ | Tock: tracking time | 2015-05-21T14:00:00+00:00 | - | Tools | - | time, tools",
            "/2015/06/11/moveforward-map-give-video/ | How digital humanitarians responded to the Nepal earthquake | 2015-06-11T00:00:00+00:00 | - | News | Ann Lee | humanitarian, maps, world",
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
fn eleventy_tags_permalinks_and_permalink_false() {
    let (site, summary, warnings) = build("dialects/eleventy", &[]);
    assert_eq!(
        stories(&site.public()),
        [
            "/about-us/ | About us | 2018-03-01T00:00:00+00:00 | - | - | - | -",
            "/posts/my-first-post/ | My first post | 2018-01-01T00:00:00+00:00 | - | Posts | - | post",
            "/posts/second-post/ | A second post | 2018-02-03T00:00:00+00:00 | - | Posts | - | post, travel",
        ]
    );
    assert!(summary.contains(", 1 draft left out"), "{summary}");
    assert!(warnings.contains("content/posts/second-post.md:4: warning: `permalink` `/posts/{{ page.fileSlug }}/` is a template, which broadsheet does not evaluate: the permalink pattern gives the URL (the value is kept in article.extra)"), "{warnings}");
}

#[test]
fn expired_and_unpublished_pages_are_built_with_drafts() {
    let (site, _, _) = build("dialects/hugo", &["--drafts"]);
    let all = stories(&site.public());
    assert!(
        all.iter()
            .any(|s| s.starts_with("/posts/ferry-timetable/ | Winter ferry timetable |")),
        "{all:?}"
    );
    let (site, _, _) = build("dialects/jekyll", &["--drafts"]);
    let all = stories(&site.public());
    assert!(
        all.iter()
            .any(|s| s.starts_with("/2016/01/01/not-yet/ | Not yet published |")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|s| s.starts_with("/undated/an-idea/ | An idea |")),
        "{all:?}"
    );
}

#[test]
fn dates_come_from_an_explicit_path_when_the_front_matter_has_none() {
    let site = Site::copy("dialects/zola");
    let out = site.run(&["check", "--ingest", "--format", "json"]);
    let report = stdout(&out);
    let at = report.find("content/blog/first.md").expect("listed");
    let entry = &report[at..at + report[at..].find("\"diagnostics\"").expect("end")];
    assert!(
        entry.contains("\"date\": \"2019-03-04T00:00:00+00:00\""),
        "{entry}"
    );
    assert!(entry.contains("\"date_source\": \"url\""), "{entry}");
    assert!(report.contains("\"taxonomies.series\": 1"), "{report}");
}

#[test]
fn without_keep_urls_explicit_urls_become_redirects_to_the_pattern() {
    let site = Site::copy("dialects/hugo");
    site.write(
        "site.toml",
        b"title = \"H\"\nbase_url = \"https://hugo.example\"\n[content]\nkeep_urls = false\n",
    );
    let out = site.run(&["build", "--now", "2021-01-01T00:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let old = site.page("news/2020/hugo-post.html");
    assert!(old.contains("<meta http-equiv=\"refresh\" content=\"0; url=https://hugo.example/2020/05/05/hugo-post/\">"), "{old}");
    assert!(
        site.page("_redirects")
            .contains("/news/2020/hugo-post.html /2020/05/05/hugo-post/ 301")
    );
    assert!(
        site.page("2020/05/05/hugo-post/index.html")
            .contains("<h1>Ferry company sold</h1>")
    );
    assert!(
        site.page("nginx-redirects.conf")
            .contains("    \"/news/2020/hugo-post.html\" \"/2020/05/05/hugo-post/\";\n"),
        "{}",
        site.page("nginx-redirects.conf")
    );
}

#[test]
fn a_dated_post_keeps_its_file_name_address_in_every_form_other_generators_wrote_it() {
    let site = Site::copy("dialects/jekyll");
    let post = |title: &str| format!("---\ntitle: {title}\n---\nText.\n");
    site.write(
        "content/_posts/2015-02-25-We_Are-Hiring.md",
        post("Join us").as_bytes(),
    );
    // Words the file-name test would not take for a headline's, and a
    // name longer than a headline's slug may be: still the address.
    site.write(
        "content/_posts/2020-03-10-ask-18f-po-vs-cor.md",
        post("\"Ask 18F: what is the difference?\"").as_bytes(),
    );
    let long = "what-we-learned-after-interviewing-people-about-their-interactions-with-the-federal-government";
    site.write(
        &format!("content/_posts/2016-03-01-{long}.md"),
        post("What we learned").as_bytes(),
    );
    let out = site.run(&["build", "--now", "2021-01-01T00:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let hiring = site.page("2015/02/25/we-are-hiring/index.html");
    assert!(hiring.contains("<h1>Join us</h1>"), "{hiring}");
    // Jekyll's and Eleventy's address keeps the name's case and `_`;
    // Hugo's is in lower case.
    for old in ["2015/02/25/We_Are-Hiring", "2015/02/25/we_are-hiring"] {
        let page = site.page(&format!("{old}/index.html"));
        assert!(
            page.contains("<meta http-equiv=\"refresh\" content=\"0; url=https://jekyll.example/2015/02/25/we-are-hiring/\">"),
            "{old}: {page}"
        );
    }
    let redirects = site.page("_redirects");
    assert!(
        redirects.contains("/2015/02/25/We_Are-Hiring/ /2015/02/25/we-are-hiring/ 301\n"),
        "{redirects}"
    );
    assert!(
        site.page("nginx-redirects.conf")
            .contains("    \"/2015/02/25/We_Are-Hiring/\" \"/2015/02/25/we-are-hiring/\";\n")
    );
    assert!(
        site.page("2020/03/10/ask-18f-po-vs-cor/index.html")
            .contains("<h1>Ask 18F: what is the difference?</h1>")
    );
    assert!(
        site.page(&format!("2016/03/01/{long}/index.html"))
            .contains("<h1>What we learned</h1>")
    );
}

#[test]
fn a_url_claimed_twice_or_unsafe_is_an_error_naming_the_files() {
    let site = Site::copy("dialects/hugo");
    site.write(
        "content/news/again.md",
        b"+++\ntitle = \"Again\"\ndate = 2020-06-01\nurl = \"/news/2020/hugo-post.html\"\n+++\n",
    );
    site.write(
        "content/news/escape.md",
        b"+++\ntitle = \"Out\"\ndate = 2020-06-01\nurl = \"/../../etc/passwd\"\n+++\n",
    );
    site.write(
        "content/news/home.md",
        b"---\ntitle: Home\ndate: 2020-06-01\npermalink: /\n---\n",
    );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/news/hugo-post.md: error: claims the URL /news/2020/hugo-post.html, already used by content/news/again.md"), "{err}");
    assert!(err.contains("content/news/escape.md:4: error: url `/../../etc/passwd` is not a safe site path: empty, `.` and `..` segments are not allowed"), "{err}");
    assert!(
        err.contains(
            "content/news/home.md: error: the URL / is the home page's; an article cannot take it"
        ),
        "{err}"
    );
    assert!(!site.public().exists());
}
