use super::*;

fn md(text: &str) -> (String, Vec<Finding>) {
    let (out, found) = translate(text, &Context::markdown());
    (out.into_owned(), found)
}

fn html(text: &str) -> (String, Vec<Finding>) {
    let cx = Context {
        markup: Markup::Html,
        ..Context::markdown()
    };
    let (out, found) = translate(text, &cx);
    (out.into_owned(), found)
}

fn left(found: &[Finding]) -> Vec<(usize, &str)> {
    found
        .iter()
        .filter(|f| !f.translated)
        .map(|f| (f.line, f.name.as_str()))
        .collect()
}

#[test]
fn eleventy_image_becomes_an_img_from_the_site_root() {
    let (out, found) = md("Intro.\n\n{% image \"assets/blog/a.png\" \"A chart & more\" %}\n");
    assert_eq!(
        out,
        "Intro.\n\n<img src=\"/assets/blog/a.png\" alt=\"A chart &amp; more\">\n\n"
    );
    assert_eq!(found.len(), 1);
    assert!(found[0].translated && found[0].line == 3 && found[0].name == "image");
}

#[test]
fn liquid_url_filter_and_page_variables_become_their_values() {
    let vars = |k: &str| match k {
        "image" => Some("/img/x.png".to_string()),
        "site.baseurl" => Some(String::new()),
        _ => None,
    };
    let cx = Context {
        vars: &vars,
        ..Context::markdown()
    };
    let (out, found) = translate(
        "[a]({{ \"/2016/03/x/\" | url }}) ![b]({{ image | url }}) {{ site.baseurl }}/c {{ page.image }}",
        &cx,
    );
    assert_eq!(out, "[a](/2016/03/x/) ![b](/img/x.png) /c /img/x.png");
    assert!(found.iter().all(|f| f.translated), "{found:?}");
}

#[test]
fn unknown_filters_and_variables_are_left_and_reported() {
    let (out, found) = md("By {{ \"moncef\" | team_link }}.\n\n{{ page.nothing }}\n");
    assert_eq!(
        out,
        "By {{ \"moncef\" | team_link }}.\n\n{{ page.nothing }}\n"
    );
    assert_eq!(left(&found), vec![(1, "team_link"), (3, "page.nothing")]);
    assert_eq!(
        found[0].message(),
        "template tag `{{ \"moncef\" | team_link }}` left as text: no translation for `team_link`"
    );
}

#[test]
fn raw_blocks_keep_their_inside_and_lose_their_marks() {
    let (out, found) = md("a {% raw %}{{ x }}{% endraw %} b\n");
    assert_eq!(out, "a {{ x }} b\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].translated);
}

#[test]
fn code_is_never_touched_but_raw_marks_inside_it_go() {
    let text = "`{{ a }}` and `{% image \"x\" %}`\n\n```\n{% include x.html %}\nX={% raw %}{{{% endraw %} pw }}\n```\n\n    {{< figure src=\"y\" >}}\n\n<pre>[caption]x[/caption]</pre>\n";
    let (out, found) = md(text);
    assert_eq!(
        out,
        "`{{ a }}` and `{% image \"x\" %}`\n\n```\n{% include x.html %}\nX={{ pw }}\n```\n\n    {{< figure src=\"y\" >}}\n\n<pre>[caption]x[/caption]</pre>\n"
    );
    assert!(
        found
            .iter()
            .all(|f| f.translated && f.name.ends_with("raw")),
        "{found:?}"
    );
}

#[test]
fn includes_are_left_and_reported_under_their_file_name() {
    let (out, found) =
        md("{% include \"linked-figure.html\",\n  image: \"/a.png\",\n  alt: \"A\" %}\n");
    assert!(out.starts_with("{% include"), "{out}");
    assert_eq!(left(&found), vec![(1, "linked-figure")]);
}

#[test]
fn comments_go_and_highlight_becomes_escaped_code() {
    let (out, _) = md(
        "a{% comment %}secret{% endcomment %}b\n\n{% highlight ruby %}\nputs \"<x>\"\n{% endhighlight %}\n",
    );
    assert_eq!(
        out,
        "ab\n\n<pre><code class=\"language-ruby\">puts &quot;&lt;x&gt;&quot;\n</code></pre>\n\n"
    );
}

#[test]
fn hugo_figure_becomes_a_figure_with_its_caption() {
    let (out, found) = md(
        "{{< figure src=\"/p.jpg\" alt=\"Fire\" caption=\"Smoke <over> the bay\" link=\"/big.jpg\" >}}\nNext *line*.\n",
    );
    assert_eq!(
        out,
        "<figure><a href=\"/big.jpg\"><img src=\"/p.jpg\" alt=\"Fire\"></a><figcaption>Smoke &lt;over&gt; the bay</figcaption></figure>\n\nNext *line*.\n"
    );
    assert!(found[0].translated && found[0].name == "figure");
}

#[test]
fn hugo_youtube_vimeo_and_percent_form_become_links() {
    let (out, found) =
        md("{{< youtube w7Ft2ymGmfc >}} {{% vimeo id=\"146022717\" title=\"A talk\" %}}");
    assert_eq!(
        out,
        "<a href=\"https://www.youtube.com/watch?v=w7Ft2ymGmfc\">Video on YouTube</a> <a href=\"https://vimeo.com/146022717\">A talk</a>"
    );
    assert_eq!(found.len(), 2);
}

#[test]
fn hugo_ref_and_relref_become_resolvable_links() {
    let (out, _) =
        md("[fire]({{< ref \"posts/harbour fire.md#later\" >}}) and {{< relref \"other\" >}}");
    assert_eq!(
        out,
        "[fire](broadsheet-ref:posts/harbour%20fire.md#later) and broadsheet-ref:other"
    );
    let html = crate::article::markdown::to_html(&out);
    assert_eq!(
        ref_targets(&html),
        vec!["posts/harbour fire.md#later", "other"]
    );
    let url_of = |t: &str| (t == "posts/harbour fire.md").then(|| "/2020/01/02/fire/".to_string());
    let (resolved, missing) = resolve_refs(&html, &url_of);
    assert_eq!(
        resolved,
        "<p><a href=\"/2020/01/02/fire/#later\">fire</a> and other</p>\n"
    );
    assert_eq!(missing, vec!["other"]);
}

#[test]
fn hugo_paired_shortcodes_take_their_body_and_unknown_ones_are_reported() {
    let (out, found) = md(
        "{{< highlight go >}}\nfmt.Println(1)\n{{< /highlight >}}\n\n{{< notice warning >}}\nCareful\n{{< /notice >}}\n",
    );
    assert!(
        out.starts_with("<pre><code class=\"language-go\">fmt.Println(1)\n</code></pre>\n"),
        "{out}"
    );
    assert!(
        out.contains("{{< notice warning >}}\nCareful\n{{< /notice >}}"),
        "{out}"
    );
    assert_eq!(left(&found), vec![(5, "notice")]);
}

#[test]
fn hugo_escaped_shortcodes_are_shown_as_text() {
    let (out, _) = md("Write {{</* figure src=\"x\" */>}} to add one.");
    assert_eq!(
        out,
        "Write {{&lt; figure src=&quot;x&quot; &gt;}} to add one."
    );
}

#[test]
fn wordpress_caption_becomes_a_figure() {
    let (out, found) = html(
        "[caption id=\"attachment_1\" align=\"alignright\" width=\"300\"]<a href=\"/big.jpg\"><img src=\"/s.jpg\" alt=\"Boat\"></a> The <em>boat</em>[/caption]",
    );
    assert_eq!(
        out,
        "<figure class=\"wp-caption alignright\"><a href=\"/big.jpg\"><img src=\"/s.jpg\" alt=\"Boat\"></a><figcaption>The <em>boat</em></figcaption></figure>"
    );
    assert!(found[0].translated);
}

#[test]
fn wordpress_embed_gallery_and_audio() {
    let media = |id: &str| (id == "7").then(|| "/u/7.jpg".to_string());
    let attached = vec!["/u/a.jpg".to_string()];
    let cx = Context {
        markup: Markup::Html,
        media: &media,
        attached: &attached,
        ..Context::markdown()
    };
    let (out, found) = translate(
        "[embed]https://youtu.be/x[/embed]\n[gallery ids=\"7,8\"]\n[gallery]\n[audio mp3=\"/a.mp3\"][/audio]",
        &cx,
    );
    assert_eq!(
        out,
        "<a href=\"https://youtu.be/x\">https://youtu.be/x</a>\n<figure class=\"gallery\"><img src=\"/u/7.jpg\" alt=\"\"></figure>\n<figure class=\"gallery\"><img src=\"/u/a.jpg\" alt=\"\"></figure>\n<audio controls src=\"/a.mp3\"><a href=\"/a.mp3\">/a.mp3</a></audio>"
    );
    assert!(found.iter().all(|f| f.translated), "{found:?}");
}

#[test]
fn wordpress_brackets_that_are_not_shortcodes_are_plain_text() {
    let text = "He said [sic] and [1] and [a link](/x) and [ref][r].\n\n[r]: /y\n";
    let (out, found) = md(text);
    assert_eq!(out, text);
    assert!(found.is_empty(), "{found:?}");
    let (out, found) = html("[contact-form to=\"a@b\"] and [pullquote]Q[/pullquote] and [gallery]");
    assert_eq!(
        out,
        "[contact-form to=\"a@b\"] and [pullquote]Q[/pullquote] and [gallery]"
    );
    assert_eq!(
        left(&found),
        vec![(1, "contact-form"), (1, "pullquote"), (1, "gallery")]
    );
}

#[derive(Debug)]
struct Site;

impl SiteShortcodes for Site {
    fn has(&self, name: &str) -> bool {
        matches!(name, "team_link" | "linked-figure" | "notice")
    }

    fn render(&self, name: &str, args: &Args, body: Option<&str>) -> Result<String, String> {
        match name {
            "notice" => Err("template failed".into()),
            _ => Ok(format!("<{name} {args:?} {body:?}>")),
        }
    }
}

#[test]
fn site_shortcodes_get_their_arguments_and_failures_are_reported() {
    let cx = Context {
        site: Some(&Site),
        ..Context::markdown()
    };
    let (out, found) = translate(
        "{{ \"moncef\" | team_link }} {% include \"linked-figure.html\", image: \"/a.png\", alt: \"A b\" %} {{< notice >}}x{{< /notice >}}",
        &cx,
    );
    assert_eq!(
        out,
        "<team_link Args { positional: [\"moncef\"], named: [] } None> <linked-figure Args { positional: [\"linked-figure.html\"], named: [(\"image\", \"/a.png\"), (\"alt\", \"A b\")] } None> {{< notice >}}x{{< /notice >}}"
    );
    assert_eq!(found[2].problem.as_deref(), Some("template failed"));
    assert_eq!(left(&found), vec![(1, "notice")]);
}

#[test]
fn text_without_tags_is_returned_as_it_is() {
    let (out, found) = translate("Plain [text] with {braces}.", &Context::markdown());
    assert!(matches!(out, Cow::Borrowed(_)));
    assert!(found.is_empty());
}

#[test]
fn arguments_in_every_syntax() {
    let a = syntax::parse_args("src=\"/a b.png\" caption='Hi, there' width=300 \"pos\" bare");
    assert_eq!(a.get("src"), Some("/a b.png"));
    assert_eq!(a.get("caption"), Some("Hi, there"));
    assert_eq!(a.get("width"), Some("300"));
    assert_eq!(a.positional, vec!["pos", "bare"]);
    let b = syntax::parse_args("\"x.html\",\n image: \"/i.png\", alt: \"A: b\"");
    assert_eq!(b.positional, vec!["x.html"]);
    assert_eq!(b.get("alt"), Some("A: b"));
}

#[test]
fn stray_separators_in_arguments_end() {
    let a = syntax::parse_args("= x : y =\"z\" a= b: :");
    assert_eq!(a.positional, vec!["z"]);
    assert_eq!(a.get("x"), Some("y"));
    assert_eq!(a.get("a"), Some("b"));
}

proptest::proptest! {
    /// Any text made of tag characters translates without panicking, and
    /// text outside tags survives.
    #[test]
    fn any_tag_soup_translates(
        parts in proptest::collection::vec(proptest::sample::select(vec![
            "{{", "}}", "{%", "%}", "{{<", ">}}", "{{%", "%}}", "[", "]", "[/", "/",
            "\"", "'", "=", ":", ",", " ", "\n", "\n\n", "`", "```", "raw", "endraw",
            "figure", "caption", "ref", "image", "x", "|", "url", "-", "<pre>", "</pre>",
        ]), 0..60),
    ) {
        let text: String = parts.concat();
        let (out, found) = translate(&text, &Context::markdown());
        proptest::prop_assert!(found.iter().all(|f| f.line >= 1));
        if found.iter().all(|f| !f.translated) {
            proptest::prop_assert_eq!(out.as_ref(), text.as_str());
        }
    }
}
