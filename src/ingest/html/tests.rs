use super::*;

fn page(html: &str) -> Page {
    read_page(html, &HtmlOptions::default())
}

/// A story of three paragraphs inside `wrap` (`{}` marks where).
fn story(wrap: &str) -> String {
    let paras = "<p>The harbour fire burned for six hours, officials said, and three warehouses were lost.</p>\
        <p>Firefighters from four towns fought the blaze, which started in a shed near the quay.</p>\
        <p>No one was hurt, but the port will stay closed until Monday, the mayor said on Sunday.</p>";
    wrap.replace("{}", paras)
}

fn source<T>(f: &Option<Found<T>>) -> Option<Source> {
    f.as_ref().map(|f| f.source)
}

#[test]
fn json_ld_inside_a_graph_gives_the_fields_and_names_its_source() {
    let html = r##"<html><head><title>Other | Site</title>
        <meta property="og:title" content="OG headline">
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","name":"Site"},
          {"@type":"Person","@id":"#jane","name":"Jane Smith"},
          {"@type":["NewsArticle"],"headline":"Harbour fire","datePublished":"2019-11-19T05:00:00Z",
           "dateModified":"2019-11-20T06:00:00Z","author":[{"@id":"#jane"},{"@type":"Person","name":"Ali Khan"}],
           "articleSection":["World"],"keywords":"fire, harbour","image":{"url":"https://x.test/a.jpg"},
           "description":"A fire."}]}</script></head><body></body></html>"##;
    let m = page(html).meta;
    assert_eq!(
        m.headline.as_ref().map(|h| h.value.as_str()),
        Some("Harbour fire")
    );
    assert_eq!(source(&m.headline), Some(Source::JsonLd));
    assert_eq!(m.date.unwrap().value, "2019-11-19T05:00:00Z");
    assert_eq!(m.updated.unwrap().value, "2019-11-20T06:00:00Z");
    assert_eq!(m.authors.unwrap().value, ["Jane Smith", "Ali Khan"]);
    assert_eq!(m.section.unwrap().value, "World");
    assert_eq!(m.tags.unwrap().value, ["fire", "harbour"]);
    assert_eq!(m.image.unwrap().value, "https://x.test/a.jpg");
    assert!(m.article_typed);
}

#[test]
fn open_graph_and_article_properties_come_next() {
    let html = r#"<head><meta property="og:title" content="OG headline">
        <meta property="article:published_time" content="2019-11-19T05:00:00+01:00">
        <meta property="article:author" content="https://facebook.com/someone">
        <meta property="article:author" content="Jane Smith">
        <meta property="article:tag" content="fire"><meta property="article:tag" content="port">
        <meta property="article:section" content="Local">
        <meta property="og:url" content="https://news.test/2019/11/19/harbour-fire/">
        <meta name="author" content="Meta Author"></head>"#;
    let m = page(html).meta;
    assert_eq!(source(&m.headline), Some(Source::OpenGraph));
    assert_eq!(m.date.as_ref().unwrap().value, "2019-11-19T05:00:00+01:00");
    assert_eq!(source(&m.date), Some(Source::OpenGraph));
    assert_eq!(m.authors.unwrap().value, ["Jane Smith"]);
    assert_eq!(m.tags.unwrap().value, ["fire", "port"]);
    assert_eq!(m.section.unwrap().value, "Local");
    assert_eq!(source(&m.canonical), Some(Source::OpenGraph));
}

#[test]
fn meta_names_and_dublin_core_fill_what_open_graph_lacks() {
    let html = r#"<head><meta name="DC.title" content="DC headline">
        <meta name="dc.date.issued" content="2013-02-03">
        <meta name="author" content="By Jane Smith and Ali Khan">
        <meta name="keywords" content="fire; port"></head>"#;
    let m = page(html).meta;
    assert_eq!(m.headline.unwrap().value, "DC headline");
    assert_eq!(
        (m.date.as_ref().unwrap().value.as_str(), source(&m.date)),
        ("2013-02-03", Some(Source::Meta))
    );
    assert_eq!(m.authors.unwrap().value, ["Jane Smith", "Ali Khan"]);
    assert_eq!(m.tags.unwrap().value, ["fire", "port"]);
}

#[test]
fn time_title_and_h1_are_the_last_markup_sources() {
    let html = r#"<head><title>Harbour fire closes port - The Daily Test</title>
        <meta property="og:site_name" content="The Daily Test"></head>
        <body><time datetime="2001-01-01">old</time><article><h1>Main heading</h1>
        <time datetime="2019-11-19T05:00">Nov 19</time></article></body>"#;
    let m = page(html).meta;
    assert_eq!(
        m.headline.as_ref().unwrap().value,
        "Harbour fire closes port"
    );
    assert_eq!(source(&m.headline), Some(Source::Title));
    assert_eq!(m.date.as_ref().unwrap().value, "2019-11-19T05:00");
    assert_eq!(source(&m.date), Some(Source::Time));
    let bare = page("<body><h1>Only a heading</h1></body>").meta;
    assert_eq!(
        (
            bare.headline.as_ref().unwrap().value.as_str(),
            source(&bare.headline)
        ),
        ("Only a heading", Some(Source::H1))
    );
}

#[test]
fn visible_byline_and_date_lines_are_read_as_wire_header_lines() {
    let html = r#"<body><h1>Harbour fire</h1><div class="byline">By Jane Smith</div>
        <span class="article-date">19 November 2019</span></body>"#;
    let m = page(html).meta;
    assert_eq!(m.authors.as_ref().unwrap().value, ["Jane Smith"]);
    assert_eq!(source(&m.authors), Some(Source::Byline));
    assert_eq!(m.date.as_ref().unwrap().value, "19 November 2019");
    assert_eq!(source(&m.date), Some(Source::Byline));
}

#[test]
fn the_story_is_taken_without_navigation_share_bars_related_lists_and_comments() {
    let html = story(
        r#"<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <div class="share-bar">Share this story on Facebook and Twitter and by email today</div>
        <article><h1>Harbour fire</h1><div class="story-body">{}</div></article>
        <div class="related-stories"><p>Another long teaser paragraph about something else entirely here.</p></div>
        <section id="comments"><p>What a terrible fire, I hope everyone is fine and the port reopens soon.</p></section>
        <footer>Copyright The Daily Test, all rights reserved, since 1901.</footer></body>"#,
    );
    let p = page(&html);
    assert_eq!(
        p.body.text,
        "The harbour fire burned for six hours, officials said, and three warehouses were lost.\n\n\
         Firefighters from four towns fought the blaze, which started in a shed near the quay.\n\n\
         No one was hurt, but the port will stay closed until Monday, the mayor said on Sunday."
    );
    assert!(
        p.body.html.starts_with("<p>The harbour fire"),
        "{}",
        p.body.html
    );
    assert_eq!(p.not_article, None);
}

#[test]
fn scripts_handlers_javascript_links_forms_and_iframes_never_reach_the_output() {
    let html = story(
        r#"<body><article>{}<p onclick="steal()">Click <a href="javascript:alert(1)">here</a> or
        <a href=" JaVaScRiPt:alert(2)">there</a> for the full report on the harbour fire today.</p>
        <script>alert(3)</script><style>p{}</style><form><input value="x"></form>
        <iframe src="https://evil.test/x"></iframe><img src="x.jpg" onerror="alert(4)"></article></body>"#,
    );
    let body = page(&html).body.html;
    for bad in [
        "script",
        "onclick",
        "javascript",
        "alert",
        "<form",
        "<input",
        "<iframe",
        "onerror",
        "<style",
    ] {
        assert!(!body.to_ascii_lowercase().contains(bad), "{bad} in {body}");
    }
    assert!(body.contains("Click <a>here</a>"), "{body}");
}

#[test]
fn iframes_from_allowed_hosts_are_kept() {
    let html = story(
        r#"<body><article>{}<iframe src="https://www.youtube.com/embed/abc" onload="x()"></iframe></article></body>"#,
    );
    let hosts = ["www.youtube.com".to_string()];
    let p = read_page(
        &html,
        &HtmlOptions {
            allow_iframes: &hosts,
            wire: None,
        },
    );
    assert!(
        p.body.html.contains(r#"<iframe src="https://www.youtube.com/embed/abc" loading="lazy" allowfullscreen=""></iframe>"#),
        "{}",
        p.body.html
    );
    assert!(!p.body.html.contains("onload"));
}

#[test]
fn relative_links_and_images_are_resolved_against_the_page_address() {
    let html = story(
        r#"<head><link rel="canonical" href="https://news.test/2019/11/fire.html"></head><body><article>{}
        <figure><img data-src="/img/fire.jpg" src="data:image/gif;base64,R0"><figcaption>The quay at dawn, after the fire was put out.</figcaption></figure>
        <p>See <a href="map.html">the map</a> of the harbour and the warehouses that burned down.</p></article></body>"#,
    );
    let p = page(&html);
    assert!(
        p.body
            .html
            .contains(r#"<img src="https://news.test/img/fire.jpg" alt="">"#),
        "{}",
        p.body.html
    );
    assert!(
        p.body
            .html
            .contains(r#"<a href="https://news.test/2019/11/map.html">the map</a>"#)
    );
    assert!(p.body.html.contains("<figcaption>The quay at dawn"));
    assert_eq!(p.body.images, ["https://news.test/img/fire.jpg"]);
}

#[test]
fn loose_text_in_layout_boxes_becomes_paragraphs_and_headings_lists_tables_stay() {
    let html = story(
        r#"<body><article>{}<div>Loose words in a box, long enough to be a paragraph of the story.<br>Second line</div>
        <h2>What next</h2><ul><li>One item of the list</li></ul><table><tr><td colspan="2" style="x">cell</td></tr></table>
        <blockquote>A quote, <em>stressed</em> and <b>bold</b>, from the mayor of the town.</blockquote></article></body>"#,
    );
    let body = page(&html).body.html;
    assert!(body.contains("<p>Loose words in a box, long enough to be a paragraph of the story.<br>Second line</p>"), "{body}");
    assert!(
        body.contains("<h2>What next</h2><ul><li>One item of the list</li></ul>"),
        "{body}"
    );
    assert!(
        body.contains(r#"<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>"#),
        "{body}"
    );
    assert!(body.contains("<blockquote><p>A quote, <em>stressed</em> and <strong>bold</strong>, from the mayor of the town.</p>\n</blockquote>"), "{body}");
}

#[test]
fn a_page_of_links_is_not_an_article() {
    let links: String = (0..40)
        .map(|i| {
            format!(r#"<li><a href="/story/{i}">Story number {i} of the archive index</a></li>"#)
        })
        .collect();
    let p = page(&format!(
        "<head><title>Index</title></head><body><ul>{links}</ul></body>"
    ));
    let reason = p.not_article.expect("an index page");
    assert!(
        reason.starts_with("not an article: a list page"),
        "{reason}"
    );
}

#[test]
fn json_ld_article_body_stands_in_for_a_story_the_markup_hides() {
    let html = r#"<head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H",
        "articleBody":"First paragraph of the story, told at length so that it counts for something.\nSecond paragraph, also long enough to be read as part of the story."}</script></head>
        <body><div id="app"></div></body>"#;
    let p = page(html);
    assert!(
        p.body.text.starts_with("First paragraph"),
        "{}",
        p.body.text
    );
    assert!(p.body.html.contains("</p>\n<p>Second paragraph"));
}

#[test]
fn a_declared_charset_is_used_and_a_bom_wins_over_it() {
    let latin = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body>caf\xe9</body></html>";
    let t = decode_page(latin);
    assert!(t.text.contains("café"));
    assert_eq!(t.encoding, "windows-1252");
    let sjis = b"<meta charset=\"shift_jis\"><p>\x93\xfa\x96\x7b</p>";
    assert!(decode_page(sjis).text.contains("日本"));
    let bom = b"\xef\xbb\xbf<meta charset=\"iso-8859-1\"><p>caf\xc3\xa9</p>";
    assert!(decode_page(bom).text.contains("café"));
}

#[test]
fn doubtful_extractions_are_flagged() {
    let p = page("<head><title>T</title></head><body><article><p>Too short.</p></article></body>");
    assert_eq!(
        p.doubts,
        ["short story text (10 characters)", "no date in the page"]
    );
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000)) {
        let text = decode_page(&bytes);
        let _ = read_page(&text.text, &HtmlOptions::default());
    }

    #[test]
    fn arbitrary_tag_soup_never_panics(parts in proptest::collection::vec(
        proptest::sample::select(vec!["<p>", "</p>", "<div class=share>", "</div>", "<a href='javascript:x'>", "</a>",
            "<table>", "<td>", "<li>", "<h1>", "<script>", "</script>", "<img src=x>", "word, ", "<br>", "<pre>", "&amp;",
            "<article>", "<nav>", "<b>", "<svg>", "<![CDATA[", "<!--", "-->"]), 0..200)) {
        let html: String = parts.concat();
        let p = read_page(&html, &HtmlOptions::default());
        proptest::prop_assert!(!p.body.html.contains("<script"));
    }
}

#[test]
fn teasers_titled_by_links_date_lines_and_the_headings_of_left_out_lists_are_not_story() {
    let html = story(
        r#"<body><article><div class="text">{}<p>Updated 19 November 2019</p>
        <div class="card"><a href="/other"><h3>Another fire, in another town</h3></a>
        <p>A summary of that other story, which is not this one at all.</p></div>
        <h2>More on this</h2><ul><li><a href="/x">A link to a story about something else</a></li></ul>
        <blockquote class="twitter-tweet"><p>We are on the scene of the harbour fire, stay away from the quay.</p></blockquote>
        </div></article></body>"#,
    );
    let text = page(&html).body.text;
    assert!(text.ends_with("the mayor said on Sunday.\n\nWe are on the scene of the harbour fire, stay away from the quay."), "{text}");
}
