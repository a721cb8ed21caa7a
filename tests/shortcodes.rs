//! Template debris from other generators in Markdown bodies, end to end: what
//! is translated, what is left and reported (build warnings, `check
//! --ingest`), links between articles by source, and a site's own shortcodes.

mod common;

use common::{Site, stderr, stdout};

#[test]
fn common_tags_become_html_and_the_rest_is_reported_with_its_line() {
    let site = Site::copy("shortcodes");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(" 3 warnings in "), "{}", stdout(&out));
    assert_eq!(
        stderr(&out).lines().collect::<Vec<_>>(),
        [
            "content/posts/2020-01-03-follow-up.md:20: warning: template tag `{{< notice warning >}}…` left as text: no translation for `notice`",
            "content/posts/2020-01-03-follow-up.md:24: warning: template tag `[pullquote]Quoted[/pullquote]` left as text: no translation for `pullquote`",
            "content/posts/2020-01-03-follow-up.md: warning: link to another article by its source (`ref`): no single article is `posts/missing.md`",
        ][..]
    );
    let page = site.page("2020/01/03/follow-up/index.html");
    for expected in [
        "See <a href=\"/2020/01/02/harbour-fire/#later\">the fire</a> and <a href=\"/maps/\">its map</a>.",
        "<img src=\"/assets/chart.svg\" alt=\"Chart of the damage\">",
        "<img src=\"/img/lead.png\" alt=\"Lead\" />",
        "By <a class=\"team\" href=\"/team/jane/\">JANE</a>, with <a href=\"https://www.youtube.com/watch?v=w7Ft2ymGmfc\">Video on YouTube</a>.",
        "<code>{{ page.title }}</code>",
        "<pre><code>{% include \"x.html\" %}\n</code></pre>",
        "<p>{{&lt; notice warning &gt;}}\nCareful.\n{{&lt; /notice &gt;}}</p>",
        "[pullquote]Quoted[/pullquote] and [sic].",
        "A ref to nothing: posts/missing.md",
    ] {
        assert!(page.contains(expected), "{expected}\n--- in ---\n{page}");
    }
    let fire = site.page("2020/01/02/harbour-fire/index.html");
    assert!(
        // The photo the figure shows is made responsive (tests/media.rs).
        fire.contains("<figure><picture><source type=\"image/webp\" srcset=\"fire-64w.webp 64w\" sizes=\"(max-width: 44rem) 100vw, 44rem\"><img src=\"fire.jpg\" srcset=\"fire.jpg 64w\" sizes=\"(max-width: 44rem) 100vw, 44rem\" width=\"64\" height=\"48\" alt=\"The harbour at dawn\" decoding=\"async\"></picture><figcaption>The harbour at dawn</figcaption></figure>"),
        "{fire}"
    );
}

#[test]
fn check_ingest_counts_translated_and_left_tags() {
    let site = Site::copy("shortcodes");
    let out = site.run(&["check", "--ingest"]);
    let text = stdout(&out);
    assert!(
        text.contains("template tags: 8 translated, 2 left as text"),
        "{text}"
    );
    assert!(
        text.contains("content/posts/2020-01-03-follow-up.md:20: warning: template tag `{{< notice warning >}}…` left as text"),
        "{text}"
    );
}

#[test]
fn a_link_by_source_follows_its_target_to_a_new_url_on_rebuild() {
    let site = Site::copy("shortcodes");
    assert!(site.run(&["build"]).status.success());
    site.write(
        "content/posts/harbour-fire/index.md",
        b"+++\ntitle = \"Harbour fire\"\ndate = 2020-01-02\nslug = \"blaze\"\n+++\nSmoke.\n",
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = site.page("2020/01/03/follow-up/index.html");
    assert!(
        page.contains("<a href=\"/2020/01/02/blaze/#later\">the fire</a>"),
        "{page}"
    );
}

#[test]
fn a_new_shortcode_template_is_used_by_the_next_build() {
    let site = Site::copy("shortcodes");
    assert!(site.run(&["build"]).status.success());
    site.write(
        "templates/shortcodes/notice.html",
        b"<aside class=\"{{ args[0] }}\">{{ body | trim }}</aside>",
    );
    let out = site.run(&["build"]);
    assert!(!stderr(&out).contains("`notice`"), "{}", stderr(&out));
    let page = site.page("2020/01/03/follow-up/index.html");
    assert!(
        page.contains("<aside class=\"warning\">Careful.</aside>"),
        "{page}"
    );
}
