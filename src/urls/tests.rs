use std::path::Path;

use super::*;

fn cfg(toml: &str) -> Config {
    Config::parse(toml, Path::new("/site")).expect("valid config")
}

fn article(path: &str, text: &str, cfg: &Config) -> Article {
    let file = crate::source::SourceFile {
        rel_path: format!("content/{path}").into(),
        content_path: path.to_string(),
        abs_path: format!("/site/content/{path}").into(),
        format: crate::source::Format::Markdown,
    };
    crate::article::parse(&file, text.as_bytes(), cfg)
        .article
        .expect("valid article")
}

fn url_of(path: &str, text: &str, cfg: &Config) -> String {
    let a = article(path, text, cfg);
    let date = a
        .date
        .map(|d| d.with_timezone(&cfg.timezone).fixed_offset());
    wanted(&a, date, cfg)
}

#[test]
fn the_path_token_gives_hugo_default_urls_with_slug_replacing_the_last_segment() {
    let c = cfg("permalink = \"/:path/\"\n[content]\nundated = \"include\"\n");
    let body = "+++\ntitle = \"Fire at the harbour\"\ndate = 2020-03-01\n+++\nText.\n";
    assert_eq!(
        url_of("posts/harbour-fire/index.md", body, &c),
        "/posts/harbour-fire/"
    );
    assert_eq!(
        url_of("Posts/Harbour Fire.md", body, &c),
        "/posts/harbour-fire/"
    );
    let slugged = "+++\ntitle = \"T\"\nslug = \"fire\"\n+++\nText.\n";
    assert_eq!(
        url_of("posts/harbour-fire/index.md", slugged, &c),
        "/posts/fire/"
    );
    assert_eq!(url_of("about.md", slugged, &c), "/fire/");
    assert_eq!(
        url_of("_posts/2020-01-02-hello-world.md", slugged, &c),
        "/fire/"
    );
}

#[test]
fn sections_have_their_own_patterns() {
    let c = cfg("[permalinks]\nNews = \"/news/:year/:slug.html\"\nblog = \"/:path/\"\n");
    let news = "+++\ntitle = \"A\"\nsection = \"news\"\ndate = 2020-03-01\n+++\n";
    assert_eq!(
        url_of("x/first-story.md", news, &c),
        "/news/2020/first-story.html"
    );
    let blog = "+++\ntitle = \"A\"\ndate = 2020-03-01\n+++\n";
    assert_eq!(url_of("blog/my-trip.md", blog, &c), "/blog/my-trip/");
    assert_eq!(url_of("world/my-trip.md", blog, &c), "/2020/03/01/my-trip/");
}

#[test]
fn explicit_urls_are_kept_or_left_for_the_pattern() {
    let text = "+++\ntitle = \"A\"\nurl = \"/news/2020/hugo-post.html\"\ndate = 2020-03-01\n+++\n";
    let keep = cfg("");
    assert_eq!(url_of("x/a.md", text, &keep), "/news/2020/hugo-post.html");
    let moved = cfg("[content]\nkeep_urls = false\n");
    assert_eq!(url_of("x/a.md", text, &moved), "/2020/03/01/a/");
}

#[test]
fn numbered_urls_keep_their_extension() {
    assert_eq!(numbered("/a/b/", 2), "/a/b-2/");
    assert_eq!(numbered("/a/b.html", 3), "/a/b-3.html");
    assert_eq!(numbered("/a/b", 2), "/a/b-2");
}

#[test]
fn pages_the_site_makes_are_reserved() {
    for url in [
        "/",
        "/tags/",
        "/tags/x/",
        "/2019/",
        "/2019/03/04/",
        "/rss.xml",
    ] {
        assert!(reserved(url).is_some(), "{url}");
    }
    for url in [
        "/2019/03/04/story/",
        "/news/2020/x.html",
        "/about/",
        "/tagsx/",
    ] {
        assert_eq!(reserved(url), None, "{url}");
    }
}
