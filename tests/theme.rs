//! The default theme end to end: fronts, calendars, "on this day", related
//! stories, relative URLs and the fingerprinted stylesheet.

mod common;

use std::path::Path;

use common::{Site, stderr};

/// Builds the `theme/days` fixture (four stories, three of them on 3 February
/// of 2011, 2012 and 2013) as if on `now`.
fn days(now: &str) -> Site {
    let site = Site::copy("theme/days");
    let out = site.run(&["build", "--now", now]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

/// The `href` values of `<a>` elements in `html`, in order.
fn links(html: &str) -> Vec<&str> {
    html.split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(url, _)| url))
        .collect()
}

/// `html` from the first `start` to the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn a_month_calendar_links_the_days_with_stories_and_its_neighbouring_months() {
    let site = days("2026-06-01T12:00:00Z");
    let month = site.page("2013/02/index.html");
    let calendar = between(&month, "<table class=\"calendar\">", "</table>");
    assert_eq!(
        links(calendar),
        ["/2013/02/", "/2013/02/03/", "/2013/02/10/"],
        "{calendar}"
    );
    // February 2013 began on a Friday: four empty cells, then the days.
    assert!(
        calendar.contains("<tr><td></td><td></td><td></td><td></td><td>1</td><td>2</td><td><a href=\"/2013/02/03/\" aria-label=\"3 February 2013: 1 story\">3</a></td></tr>"),
        "{calendar}"
    );
    assert!(calendar.contains("<td>28</td><td></td><td></td><td></td></tr>"));
    let day = site.page("2013/02/10/index.html");
    assert!(
        day.contains("<td aria-current=\"date\"><a href=\"/2013/02/10/\""),
        "{day}"
    );
    // The nearest months with stories, not the empty January 2013.
    let nav = between(&day, "<nav class=\"calendar-nav\"", "</nav>");
    assert_eq!(links(nav), ["/2012/02/"], "{nav}");
    let year = site.page("2012/index.html");
    assert_eq!(year.matches("<table class=\"calendar\">").count(), 1);
}

#[test]
fn on_this_day_lists_a_calendar_day_across_the_years_newest_first() {
    let site = days("2026-02-03T12:00:00Z");
    let page = site.page("on-this-day/02-03/index.html");
    assert!(page.contains("<h1>On this day: 3 February</h1>"), "{page}");
    let years = between(&page, "<nav class=\"on-this-day-years\"", "</nav>");
    assert_eq!(
        links(years),
        ["/2013/02/03/", "/2012/02/03/", "/2011/02/03/"]
    );
    let list = between(&page, "<ol class=\"article-list\">", "</ol>");
    let market = list.find("Market moves to the harbour").expect("2013");
    let ferry = list.find("New ferry arrives").expect("2012");
    assert!(market < ferry && !list.contains("Snow closes"), "{list}");
    assert!(
        site.page("on-this-day/02-03/page/1/index.html")
            .contains("Snow closes the harbour")
    );
    assert!(!site.public().join("on-this-day/02-04").exists());
    assert!(
        site.page("2011/02/03/index.html").contains(
            "<a href=\"/on-this-day/02-03/\">On this day, 3 February, across the years</a>"
        )
    );
    // Built on 3 February, home links to that day; on another day, it does not.
    assert!(site.page("index.html").contains(
        "On this day, 3 February: <a href=\"/on-this-day/02-03/\">3 stories across the years</a>"
    ));
    let other = days("2026-02-04T12:00:00Z");
    assert!(!other.page("index.html").contains("On this day"));
}

#[test]
fn home_and_section_fronts_lead_with_the_newest_story() {
    let site = days("2026-06-01T12:00:00Z");
    let home = site.page("index.html");
    let lead = between(&home, "<article class=\"lead\">", "</article>");
    assert!(lead.contains("Market fair draws crowds"), "{lead}");
    let sections = between(&home, "id=\"by-section\"", "</section>\n</div>");
    let city = sections
        .find("<a href=\"/sections/city/\">City</a>")
        .expect("city");
    let news = sections
        .find("<a href=\"/sections/news/\">News</a>")
        .expect("news");
    assert!(city < news, "{sections}");
    assert!(
        !sections.contains("Market fair draws crowds"),
        "the lead is not repeated"
    );
    let front = site.page("sections/news/index.html");
    let lead = between(&front, "<article class=\"lead\">", "</article>");
    assert!(
        lead.contains(
            "<img src=\"/2012/02/03/ferry/ferry.jpg\" srcset=\"/2012/02/03/ferry/ferry.jpg 64w\" sizes=\"(max-width: 44rem) 100vw, 44rem\" width=\"64\" height=\"48\" alt=\"The new ferry at the quay\""
        ) && lead.contains("New ferry arrives"),
        "{lead}"
    );
    let rest = between(&front, "<ol class=\"article-list\">", "</ol>");
    assert!(
        rest.contains("Snow closes") && !rest.contains("New ferry"),
        "{rest}"
    );
    assert!(front.contains(
        "<p class=\"feed-links\">Follow this section: <a href=\"/sections/news/atom.xml\""
    ));
}

#[test]
fn an_article_shows_related_stories_by_shared_tags_then_section() {
    let site = days("2026-06-01T12:00:00Z");
    let page = site.page("2013/02/03/market/index.html");
    let related = between(&page, "<aside class=\"related\"", "</aside>");
    assert_eq!(
        links(related),
        ["/2013/02/10/fair/", "/2011/02/03/snow/"],
        "{related}"
    );
}

/// Every `href` and `src` attribute value in `html`.
fn urls(html: &str) -> Vec<&str> {
    [" href=\"", " src=\""]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1))
        .filter_map(|rest| rest.split_once('"').map(|(url, _)| url))
        .collect()
}

#[test]
fn a_relative_build_links_every_page_and_asset_by_a_path_that_resolves_from_its_file() {
    let site = Site::copy("basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        format!("relative_urls = true\n{toml}").as_bytes(),
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.public();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("walk");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(path).expect("page");
        for url in urls(&html) {
            let external = url.starts_with("//")
                || url.starts_with('#')
                || url.split_once(':').is_some_and(|(s, _)| !s.contains('/'));
            if external {
                continue;
            }
            assert!(!url.starts_with('/'), "{}: {url}", path.display());
            let file = url.split(['#', '?']).next().unwrap_or(url);
            let target = path.parent().expect("dir").join(file);
            assert!(
                target.is_file() && normal(&target).starts_with(normal(&public)),
                "{}: {url} does not resolve to a file in the output",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
    let article = site.page("2013/02/01/toml-story/index.html");
    assert!(article.contains("<a href=\"../../../../tags/politics/index.html\" rel=\"tag\">"));
}

/// `path` with `..` and `.` folded away (the files need not exist).
fn normal(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The stylesheet the home page links to, and its bytes.
fn stylesheet(site: &Site) -> (String, Vec<u8>) {
    let home = site.page("index.html");
    let href = between(&home, "<link rel=\"stylesheet\" href=\"/", "\">")
        .trim_start_matches("<link rel=\"stylesheet\" href=\"/")
        .to_string();
    let bytes = std::fs::read(site.public().join(&href)).expect("stylesheet");
    (href, bytes)
}

#[test]
fn the_stylesheet_is_renamed_when_its_content_changes() {
    let site = Site::copy("basic");
    assert!(site.run(&["build"]).status.success());
    let (before, theme_css) = stylesheet(&site);
    assert!(before.starts_with("style.") && before.len() == "style.0123456789abcdef.css".len());
    assert_eq!(
        theme_css,
        include_bytes!("../themes/default/static/style.css")
    );
    site.write("static/style.css", b"body { color: black }\n");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (after, bytes) = stylesheet(&site);
    assert_ne!(after, before);
    assert_eq!(bytes, b"body { color: black }\n");
    assert!(
        !site.public().join(&before).exists(),
        "the old name is gone"
    );
    let article = site.page("2013/02/01/toml-story/index.html");
    assert!(
        article.contains(&format!("href=\"/{after}\"")),
        "every page relinked"
    );
}
