//! One output file of every kind the basic fixture site makes, as reviewed
//! text (insta snapshots in `tests/snapshots/`): a change to a template, a
//! view or a context shows up as a diff to accept (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test snapshots` and read `git diff`).
//! The build's "now" is fixed, so nothing here depends on the clock.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use broadsheet::build::{BuildOptions, Quiet, build};
use common::Site;

/// The fixture, built once for all the tests of this file.
fn built() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = Site::copy("basic");
        let now = chrono::DateTime::parse_from_rfc3339("2013-02-03T12:00:00Z").expect("now");
        let opts = BuildOptions {
            now: Some(now),
            no_cache: true,
            ..BuildOptions::default()
        };
        build(site.root(), &opts, &Quiet).expect("the fixture builds");
        site
    })
}

/// A file of the output, with the stylesheet's content hash in its name
/// written `HASH`: a change to the CSS alone is not a change to every page.
fn file(rel: &str) -> String {
    let site = built();
    let text = std::fs::read_to_string(site.public().join(Path::new(rel)))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    without_css_hash(&text)
}

fn without_css_hash(text: &str) -> String {
    static HASHED: OnceLock<regex::Regex> = OnceLock::new();
    let re = HASHED.get_or_init(|| regex::Regex::new(r"style\.[0-9a-f]{16}\.css").expect("regex"));
    re.replace_all(text, "style.HASH.css").into_owned()
}

#[test]
fn the_output_holds_these_files() {
    insta::assert_snapshot!(without_css_hash(&built().files().join("\n")));
}

/// A test per file: its name says the kind, the snapshot is the file.
macro_rules! snapshots {
    ($($name:ident: $path:expr,)*) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(file($path));
            }
        )*
    };
}

snapshots! {
    an_article_page_of_wire_copy: "2013/02/02/lavrov-wants-regular-contact-with-syrian-opposition/index.html",
    an_article_page_of_markdown: "2013/02/03/yaml-story/index.html",
    the_home_page: "index.html",
    a_numbered_page_of_the_home_list: "page/1/index.html",
    a_section_page: "sections/news/index.html",
    the_sections_index: "sections/index.html",
    a_tag_page: "tags/europe/index.html",
    an_author_page: "authors/jane-smith/index.html",
    a_source_page: "sources/afp/index.html",
    a_year_page: "2013/index.html",
    a_month_page: "2013/02/index.html",
    a_day_page: "2013/02/02/index.html",
    an_on_this_day_page: "on-this-day/02-02/index.html",
    the_archive_index: "archive/index.html",
    the_search_page: "search/index.html",
    the_not_found_page: "404.html",
    the_atom_feed: "atom.xml",
    the_rss_feed_of_a_tag: "tags/europe/rss.xml",
    the_sitemap_index: "sitemap.xml",
    a_year_sitemap: "sitemaps/2013.xml",
    the_news_sitemap: "news-sitemap.xml",
    robots_txt: "robots.txt",
}
