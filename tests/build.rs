//! `broadsheet build` end to end on fixture sites: the files written, chosen
//! pages, and the exact messages of every failure.

mod common;

use common::{Site, stderr, stdout};

#[test]
fn the_basic_site_writes_every_page_kind() {
    let site = Site::copy("basic");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(summary.starts_with("built 3 articles, "), "{summary}");
    // Template tags no generator here knows stay as text, and are reported.
    assert!(summary.contains(" 2 warnings in "), "{summary}");
    assert_eq!(
        stderr(&out).lines().collect::<Vec<_>>(),
        [
            "content/news/2013-02-01-toml-story.md:10: warning: template tag `{{ not_a_variable }}` left as text: no translation for `not_a_variable`",
            "content/news/2013-02-01-toml-story.md:10: warning: template tag `{% not_a_tag %}` left as text: no translation for `not_a_tag`",
        ]
    );
    // Term shards and tag-name files are named by hashes and slots, the
    // stylesheet by its fingerprint: checked by pattern.
    let (hashed, files): (Vec<String>, Vec<String>) = site
        .files()
        .into_iter()
        .partition(|f| f.starts_with("search/t/") || f.starts_with("search/g/"));
    assert!(
        hashed.iter().any(|f| f.starts_with("search/t/")),
        "{hashed:?}"
    );
    assert!(
        hashed.iter().any(|f| f.starts_with("search/g/")),
        "{hashed:?}"
    );
    let mut files: Vec<String> = files
        .into_iter()
        .map(|f| {
            let hashed = f
                .strip_prefix("style.")
                .and_then(|r| r.strip_suffix(".css"));
            match hashed {
                Some(h) if h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    "style.<hash>.css".to_string()
                }
                _ => f,
            }
        })
        .collect();
    // Sorted after naming: where the real name sorted depends on the hash.
    files.sort();
    let expected = [
        "2013/02/01/index.html",
        "2013/02/01/toml-story/index.html",
        "2013/02/02/index.html",
        "2013/02/02/lavrov-wants-regular-contact-with-syrian-opposition/index.html",
        "2013/02/03/index.html",
        "2013/02/03/yaml-story/index.html",
        "2013/02/index.html",
        "2013/02/page/1/index.html",
        "2013/02/page/2/index.html",
        "2013/index.html",
        "2013/page/1/index.html",
        "2013/page/2/index.html",
        "404.html",
        "archive/index.html",
        "atom.xml",
        "authors/ali-khan/atom.xml",
        "authors/ali-khan/index.html",
        "authors/ali-khan/rss.xml",
        "authors/index.html",
        "authors/jane-smith/atom.xml",
        "authors/jane-smith/index.html",
        "authors/jane-smith/rss.xml",
        "favicon.ico",
        "favicon.svg",
        "index.html",
        "on-this-day/02-01/index.html",
        "on-this-day/02-02/index.html",
        "on-this-day/02-03/index.html",
        "page/1/index.html",
        "page/2/index.html",
        "robots.txt",
        "rss.xml",
        "search/index.html",
        "search/meta.json",
        "search/r/0.json",
        "search/search.js",
        "sections/index.html",
        "sections/news/atom.xml",
        "sections/news/index.html",
        "sections/news/rss.xml",
        "sections/world/atom.xml",
        "sections/world/index.html",
        "sections/world/rss.xml",
        "sitemap.xml",
        "sitemaps/2013.xml",
        "sitemaps/pages.xml",
        "sources/afp/atom.xml",
        "sources/afp/index.html",
        "sources/afp/rss.xml",
        "sources/index.html",
        "style.<hash>.css",
        "style.css",
        "tags/europe/atom.xml",
        "tags/europe/index.html",
        "tags/europe/rss.xml",
        "tags/index.html",
        "tags/politics/atom.xml",
        "tags/politics/index.html",
        "tags/politics/rss.xml",
    ];
    assert_eq!(files, expected);
}

#[test]
fn an_article_page_shows_headline_byline_dates_and_escaped_body() {
    let site = Site::copy("basic");
    assert!(site.run(&["build"]).status.success());
    let page = site.page("2013/02/01/toml-story/index.html");
    assert_eq!(page.matches("<h1").count(), 1, "one h1");
    assert!(page.contains("<h1>A TOML story</h1>"), "{page}");
    assert!(
        page.contains("<p><span class=\"dateline\">PARIS —</span> "),
        "the dateline opens the first paragraph: {page}"
    );
    assert!(
        page.contains("By <a href=\"/authors/jane-smith/\" rel=\"author\">Jane Smith</a>"),
        "{page}"
    );
    assert!(
        page.contains("<time datetime=\"2013-02-01T00:00:00+00:00\">1 February 2013</time>"),
        "{page}"
    );
    assert!(
        page.contains("{{ not_a_variable }} and {% not_a_tag %}"),
        "unknown template syntax stays literal"
    );
    assert!(
        page.contains("<a href=\"/tags/politics/\" rel=\"tag\">Politics</a>"),
        "{page}"
    );
    assert!(
        page.contains(
            "rel=\"next\" href=\"/2013/02/02/lavrov-wants-regular-contact-with-syrian-opposition/\""
        ),
        "{page}"
    );
}

#[test]
fn wire_copy_gets_its_date_credit_and_loses_its_boilerplate() {
    let site = Site::copy("basic");
    assert!(site.run(&["build"]).status.success());
    let page =
        site.page("2013/02/02/lavrov-wants-regular-contact-with-syrian-opposition/index.html");
    assert!(
        page.contains("<h1>Lavrov wants &#39;regular contact&#39; with Syrian opposition</h1>"),
        "{page}"
    );
    assert!(
        page.contains("<time datetime=\"2013-02-02T00:00:00+00:00\">2 February 2013</time>"),
        "{page}"
    );
    assert!(
        page.contains(
            "<p class=\"credit\">© 2013 AFP · <a href=\"/sources/afp/\">More from AFP</a></p>"
        ),
        "{page}"
    );
    assert!(
        site.page("sources/afp/index.html").contains("Lavrov wants"),
        "the agency is a filterable source"
    );
    assert!(
        !page.contains("Comments To This Article"),
        "boilerplate cut"
    );
    assert!(!page.contains("Comments 0 comments"), "comment counter cut");
    assert!(page.contains("<p>Lavrov also said that John Kerry, the new US secretary of state, should be making his way to Russia soon.</p>"));
}

#[test]
fn lists_are_paginated_from_the_oldest_and_the_first_url_shows_the_newest() {
    let site = Site::copy("basic");
    assert!(site.run(&["build"]).status.success());
    let front = site.page("index.html");
    // The latest list, before the home front's headlines by section.
    let home = &front[..front.find("id=\"by-section\"").unwrap_or(front.len())];
    let yaml = home.find("A YAML story").expect("newest on home");
    let lavrov = home.find("Lavrov wants").expect("second newest on home");
    assert!(yaml < lavrov, "newest first");
    assert!(
        !home.contains("A TOML story"),
        "only paginate_by = 2 articles"
    );
    assert!(
        home.contains("<a rel=\"next\" href=\"/page/1/\">Older →</a>"),
        "{home}"
    );
    let oldest = site.page("page/1/index.html");
    assert!(
        oldest.contains("A TOML story") && oldest.contains("Lavrov wants"),
        "{oldest}"
    );
    assert!(
        oldest.contains("<link rel=\"canonical\" href=\"https://fixture.example/page/1/\">"),
        "{oldest}"
    );
}

#[test]
fn date_archives_link_to_their_neighbours() {
    let site = Site::copy("basic");
    assert!(site.run(&["build"]).status.success());
    let day = site.page("2013/02/02/index.html");
    assert!(
        day.contains("<a rel=\"prev\" href=\"/2013/02/01/\">← 1 February 2013</a>"),
        "{day}"
    );
    assert!(
        day.contains("<a rel=\"next\" href=\"/2013/02/03/\">3 February 2013 →</a>"),
        "{day}"
    );
    let archive = site.page("archive/index.html");
    assert!(
        archive
            .contains("<a href=\"/2013/02/\">February 2013</a> <span class=\"count\">(3)</span>"),
        "{archive}"
    );
    let tags = site.page("tags/index.html");
    assert!(
        tags.contains("<a href=\"/tags/politics/\">Politics</a> <span class=\"count\">(2)</span>"),
        "{tags}"
    );
}

#[test]
fn site_templates_override_the_theme_file_by_file() {
    let site = Site::copy("basic");
    assert!(site.run(&["build"]).status.success());
    assert!(site.page("404.html").contains("<h1>Overridden 404</h1>"));
    let home = site.page("index.html");
    let link = home
        .split("<link rel=\"stylesheet\" href=\"/style.")
        .nth(1)
        .and_then(|rest| rest.split_once(".css\">"))
        .map(|(hash, _)| hash.len());
    assert_eq!(link, Some(16), "base.html still the theme's: {home}");
}

fn failing(fixture: &str) -> (Site, String) {
    let site = Site::copy(fixture);
    std::fs::create_dir_all(site.public()).expect("mkdir");
    site.write("public/index.html", b"previous output");
    let out = site.run(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{fixture} must fail: {}",
        stdout(&out)
    );
    assert_eq!(
        std::fs::read(site.public().join("index.html")).expect("kept"),
        b"previous output",
        "output untouched"
    );
    assert_eq!(
        common::list_files(&site.public()),
        ["index.html"],
        "no files added"
    );
    let names: Vec<String> = std::fs::read_dir(site.root())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("stage")),
        "no stage left: {names:?}"
    );
    (site, stderr(&out))
}

#[test]
fn broken_toml_front_matter_is_reported_at_its_line() {
    let (_, err) = failing("errors/broken_toml");
    assert!(
        err.starts_with("content/broken.md:4: error: invalid TOML front matter: "),
        "{err}"
    );
    assert!(
        err.ends_with("error: build failed with 1 error; the output was not changed\n"),
        "{err}"
    );
}

#[test]
fn broken_yaml_front_matter_is_reported_at_its_line() {
    let (_, err) = failing("errors/broken_yaml");
    assert!(
        err.starts_with("content/broken.md:4: error: invalid YAML front matter: "),
        "{err}"
    );
}

#[test]
fn a_bad_date_names_the_value_and_the_expected_forms() {
    let (_, err) = failing("errors/bad_date");
    assert_eq!(
        err.lines().next(),
        Some(
            "content/bad-date.md:3: error: `date`: cannot read date `2013-02-30` (expected YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] [±HH:MM])"
        )
    );
}

#[test]
fn an_unsafe_slug_is_refused() {
    let (_, err) = failing("errors/unsafe_slug");
    assert_eq!(
        err.lines().next(),
        Some(
            "content/unsafe.md:4: error: unsafe slug `../../../etc/passwd`: a slug is one URL segment without `/`, `\\` or `..`"
        )
    );
}

#[test]
fn clashing_explicit_slugs_name_both_files() {
    let (_, err) = failing("errors/clashing_slugs");
    assert_eq!(
        err.lines().next(),
        Some(
            "content/b.md: error: slug `same` gives the URL /2013/02/02/same/, already used by content/a.md"
        )
    );
}

#[test]
fn an_unknown_site_toml_key_is_an_error_with_its_line() {
    let (_, err) = failing("errors/unknown_key");
    assert!(
        err.starts_with("site.toml:6: error: unknown field `ignroe`, expected one of"),
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let (_, err) = failing("errors/several_problems");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "content/one.md:3: error: `date`: cannot read date `someday` (expected YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] [±HH:MM])",
            "content/two.md: error: no date: add `date` to the front matter; a YYYY-MM-DD- file name prefix also gives one, or set `[content] undated = \"include\"` to publish undated articles",
            "error: build failed with 2 errors; the output was not changed",
        ]
    );
}

#[test]
fn skip_invalid_lists_the_broken_articles_and_builds_the_rest() {
    let site = Site::copy("errors/several_problems");
    let out = site.run(&["build", "--skip-invalid"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("skipped (invalid): content/one.md\nskipped (invalid): content/two.md\n"),
        "{err}"
    );
    assert!(
        stdout(&out).starts_with("built 1 article, "),
        "{}",
        stdout(&out)
    );
    assert!(
        site.files()
            .contains(&"2013/02/02/good/index.html".to_string())
    );
}

#[test]
fn text_that_is_not_utf8_is_decoded_as_windows_1252_with_a_warning() {
    let site = Site::copy("undated/include");
    site.write(
        "content/sport/003.txt",
        b"Chelsea sack Mutu\n\nThe \xA315.8m signing.\n",
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "content/sport/003.txt:3: warning: text is not clean UTF-8: decoded as Windows-1252\n"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        site.page("undated/chelsea-sack-mutu/index.html")
            .contains("<p>The £15.8m signing.</p>")
    );
}

#[test]
fn undated_articles_are_included_under_undated_with_numbered_urls_for_clashes() {
    let site = Site::copy("undated/include");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/sport/002.txt: warning: URL /undated/same-headline/ is already used by content/sport/001.txt; this article gets a numbered URL\n"
    );
    let files = site.files();
    assert!(
        files.contains(&"undated/same-headline/index.html".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"undated/same-headline-2/index.html".to_string()),
        "{files:?}"
    );
    assert!(
        site.page("undated/same-headline-2/index.html")
            .contains("Second story.")
    );
    assert!(site.page("undated/index.html").contains("Same headline"));
    assert!(
        !files.iter().any(|f| f.starts_with("20")),
        "no date archives: {files:?}"
    );
}

#[test]
fn drafts_are_left_out_unless_requested() {
    let site = Site::copy("drafts/hidden");
    let out = site.run(&["build"]);
    assert!(
        stdout(&out).contains(", 1 draft left out"),
        "{}",
        stdout(&out)
    );
    assert!(!site.files().iter().any(|f| f.contains("2013/02/02")));
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success());
    // A dated Markdown post is published at its file name, as Jekyll,
    // Zola and Eleventy publish it.
    assert!(
        site.files()
            .contains(&"2013/02/02/draft/index.html".to_string())
    );
}

#[test]
fn the_output_holds_exactly_what_the_last_build_made() {
    let site = Site::copy("basic");
    site.write("public/stale.html", b"old");
    assert!(site.run(&["build"]).status.success());
    assert!(!site.public().join("stale.html").exists());
}

#[test]
fn content_files_are_never_modified() {
    let site = Site::copy("basic");
    let before: Vec<(String, Vec<u8>)> = common::list_files(&site.root().join("content"))
        .into_iter()
        .map(|f| {
            (
                f.clone(),
                std::fs::read(site.root().join("content").join(&f)).expect("read"),
            )
        })
        .collect();
    assert!(site.run(&["build"]).status.success());
    for (f, bytes) in before {
        assert_eq!(
            std::fs::read(site.root().join("content").join(&f)).expect("read"),
            bytes,
            "{f}"
        );
    }
}

#[test]
fn a_site_card_template_restyles_every_list_and_leaves_article_pages_alone() {
    let site = Site::copy("basic");
    site.write(
        "templates/partials/card.html",
        b"<div class=\"my-card\">{{ article.title }} / {{ site.title }}</div>\n",
    );
    assert!(site.run(&["build"]).status.success());
    let home = site.page("index.html");
    assert!(
        home.contains("<li>\n<div class=\"my-card\">"),
        "home lists site cards: {home}"
    );
    assert!(!home.contains("<article class=\"card\">"), "{home}");
    let tags: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("tags/") && f.ends_with("/index.html") && f != "tags/index.html")
        .collect();
    assert!(!tags.is_empty());
    for tag in tags {
        assert!(site.page(&tag).contains("class=\"my-card\""), "{tag}");
    }
    let article = site
        .files()
        .into_iter()
        .find(|f| f.matches('/').count() == 4)
        .expect("an article page");
    assert!(!site.page(&article).contains("my-card"), "{article}");
}

#[test]
fn a_broken_card_template_fails_the_build_and_names_it() {
    let site = Site::copy("basic");
    std::fs::create_dir_all(site.public()).expect("mkdir");
    site.write("public/index.html", b"previous output");
    site.write(
        "templates/partials/card.html",
        b"<div>\n{{ article.title / 2 }}\n</div>\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "templates/partials/card.html:2: error: template: Math operations can only be done on numbers, found `string`"
        ),
        "{err}"
    );
    assert!(err.contains("build failed with 1 error"), "{err}");
    assert_eq!(
        std::fs::read(site.public().join("index.html")).expect("kept"),
        b"previous output"
    );
}

#[test]
fn search_has_a_page_a_box_on_every_page_and_a_no_javascript_message() {
    let site = Site::copy("basic");
    assert!(site.run(&["build"]).status.success());
    let search = site.page("search/index.html");
    assert!(
        search.contains("<title>Search | Fixture Gazette</title>"),
        "{search}"
    );
    assert!(
        search.contains("<script src=\"/search/search.js\" defer></script>"),
        "{search}"
    );
    assert!(
        search.contains("Searching this archive needs JavaScript"),
        "{search}"
    );
    // A page of search results is not for search engines (and not in the sitemap).
    assert!(
        search.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{search}"
    );
    let sitemaps: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("sitemap"))
        .collect();
    assert!(!sitemaps.is_empty());
    for f in &sitemaps {
        assert!(!site.page(f).contains("/search/"), "{f}");
    }
    let home = site.page("index.html");
    assert!(
        home.contains(
            "<form class=\"search-box\" role=\"search\" method=\"get\" action=\"/search/\""
        ),
        "{home}"
    );
    // The client is not on the page: the box loads it when focused.
    assert!(
        !home.contains("<script src=\"/search/search.js\""),
        "{home}"
    );
    let meta = site.page("search/meta.json");
    assert!(meta.contains("\"docs\":3"), "{meta}");
}

#[test]
fn search_can_send_the_form_elsewhere_or_be_turned_off() {
    let site = Site::copy("basic");
    let toml = "title = \"Fixture Gazette\"\nbase_url = \"https://fixture.example\"\n";
    site.write(
        "site.toml",
        format!("{toml}[search]\nfallback_url = \"https://search.example/find\"\n").as_bytes(),
    );
    assert!(site.run(&["build"]).status.success());
    let search = site.page("search/index.html");
    assert!(
        search.contains("action=\"https://search.example/find\""),
        "{search}"
    );
    assert!(
        search.contains("the form sends your words to https://search.example/find instead"),
        "{search}"
    );

    site.write(
        "site.toml",
        format!("{toml}[search]\nenabled = false\n").as_bytes(),
    );
    assert!(site.run(&["build"]).status.success());
    let files = site.files();
    assert!(!files.iter().any(|f| f.starts_with("search/")), "{files:?}");
    assert!(!site.page("index.html").contains("search-box"));
}
