use super::*;
use crate::testing::{archive, config, md};

fn no_body(_: u32) -> Result<String, Diagnostic> {
    Err(Diagnostic::error(
        std::path::Path::new("x"),
        None,
        "bodies are not needed for summaries",
    ))
}

fn feed_text(files: &[(String, String)], path: &str) -> String {
    files
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| {
            panic!(
                "no {path} among {:?}",
                files.iter().map(|f| &f.0).collect::<Vec<_>>()
            )
        })
}

/// Every element's text, in document order, from a quick-xml reader: fails on
/// any well-formedness error.
fn texts_of(xml: &str, element: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == element.as_bytes() => {
                inside = true;
                out.push(String::new());
            }
            Event::End(e) if e.name().as_ref() == element.as_bytes() => inside = false,
            Event::Text(t) if inside => {
                let text = t.decode().expect("utf-8");
                let text = quick_xml::escape::unescape(&text).expect("escapes");
                if let Some(last) = out.last_mut() {
                    last.push_str(&text);
                }
            }
            Event::GeneralRef(r) if inside => {
                let name = r.decode().expect("utf-8");
                let text = quick_xml::escape::unescape(&format!("&{name};"))
                    .expect("escapes")
                    .into_owned();
                if let Some(last) = out.last_mut() {
                    last.push_str(&text);
                }
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

#[test]
fn the_site_feed_has_the_newest_entries_newest_first_up_to_the_limit() {
    let cfg = config("base_url = \"https://news.example\"\n[feeds]\nlimit = 2\n");
    let a = archive(
        &cfg,
        &[
            ("a.md", &md("Oldest", "2013-02-01", "")),
            ("b.md", &md("Middle", "2013-02-02", "")),
            ("c.md", &md("Newest", "2013-02-03", "")),
        ],
    );
    let files = render(ListId::Home, &a, &cfg, None, &no_body).expect("feeds");
    assert_eq!(
        files.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["/atom.xml", "/rss.xml"]
    );
    let atom = feed_text(&files, "/atom.xml");
    assert_eq!(texts_of(&atom, "title"), ["An archive", "Newest", "Middle"]);
    let rss = feed_text(&files, "/rss.xml");
    assert_eq!(texts_of(&rss, "title"), ["An archive", "Newest", "Middle"]);
}

#[test]
fn an_atom_entry_carries_id_dates_authors_categories_and_absolute_links() {
    let cfg = config(
        "title = \"Gazette\"\nbase_url = \"https://news.example/\"\ntimezone = \"Europe/London\"\n",
    );
    let a = archive(
        &cfg,
        &[(
            "city/flood.md",
            &md(
                "Floods & <tides>",
                "2023-07-21T09:30:00",
                "updated: 2023-07-22T10:00:00\nauthors: [Mara Quinn]\ntags: [Weather]\nsummary: See [map](/maps/flood/)\n",
            ),
        )],
    );
    let files = render(ListId::Home, &a, &cfg, None, &no_body).expect("feeds");
    let atom = feed_text(&files, "/atom.xml");
    let entry = &atom[atom.find("<entry>").expect("an entry")..];
    assert_eq!(
        entry,
        "<entry>
<title>Floods &amp; &lt;tides&gt;</title>
<link rel=\"alternate\" type=\"text/html\" href=\"https://news.example/2023/07/21/flood/\"/>
<id>tag:news.example,2023-07-21:/2023/07/21/flood/</id>
<published>2023-07-21T09:30:00+01:00</published>
<updated>2023-07-22T10:00:00+01:00</updated>
<author>
<name>Mara Quinn</name>
<uri>https://news.example/authors/mara-quinn/</uri>
</author>
<category term=\"city\" scheme=\"https://news.example/sections/\"/>
<category term=\"Weather\" scheme=\"https://news.example/tags/\"/>
<summary type=\"html\">&lt;p&gt;See [map](/maps/flood/)&lt;/p&gt;</summary>
</entry>
</feed>
"
    );
    assert!(
        atom.contains(
            "<updated>2023-07-22T10:00:00+01:00</updated>\n<author>\n<name>Gazette</name>"
        ),
        "{atom}"
    );
}

#[test]
fn rss_items_use_rfc_822_dates_in_the_site_zone_and_the_same_ids_as_atom() {
    let cfg = config("base_url = \"https://news.example\"\ntimezone = \"America/New_York\"\n");
    let a = archive(&cfg, &[("a.md", &md("Winter", "2013-02-02T10:00:00Z", ""))]);
    let files = render(ListId::Home, &a, &cfg, None, &no_body).expect("feeds");
    let rss = feed_text(&files, "/rss.xml");
    assert_eq!(
        texts_of(&rss, "pubDate"),
        ["Sat, 02 Feb 2013 05:00:00 -0500"]
    );
    assert_eq!(
        texts_of(&rss, "lastBuildDate"),
        ["Sat, 02 Feb 2013 05:00:00 -0500"]
    );
    let id = "tag:news.example,2013-02-02:/2013/02/02/winter/";
    assert_eq!(texts_of(&rss, "guid"), [id]);
    assert_eq!(texts_of(&feed_text(&files, "/atom.xml"), "id")[1], id);
}

#[test]
fn term_feeds_hold_only_their_terms_articles() {
    let cfg = config("");
    let a = archive(
        &cfg,
        &[
            ("a.md", &md("Rain", "2013-02-01", "tags: [Weather]\n")),
            ("b.md", &md("Vote", "2013-02-02", "tags: [Politics]\n")),
            (
                "c.md",
                &md(
                    "Snow",
                    "2013-02-03",
                    "tags: [weather]\nauthors: [Ann Lee]\n",
                ),
            ),
        ],
    );
    let lists = lists(&a);
    assert_eq!(lists.len(), 1 + 2 + 1, "home, two tags, one author");
    let weather = a
        .tags
        .iter()
        .position(|t| t.slug == "weather")
        .expect("tag");
    let files = render(
        ListId::Term(Taxonomy::Tags, weather),
        &a,
        &cfg,
        None,
        &no_body,
    )
    .expect("feeds");
    let atom = feed_text(&files, "/tags/weather/atom.xml");
    assert_eq!(
        texts_of(&atom, "title"),
        ["An archive: Weather", "Snow", "Rain"]
    );
    assert!(atom.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"http://127.0.0.1:1111/tags/weather/atom.xml\"/>"));
    let rss = feed_text(&files, "/tags/weather/rss.xml");
    assert_eq!(
        texts_of(&rss, "link")[0],
        "http://127.0.0.1:1111/tags/weather/"
    );
}

#[test]
fn undated_articles_stay_out_of_feeds() {
    let cfg = config("[content]\nundated = \"include\"\n");
    let a = archive(
        &cfg,
        &[
            ("notes.md", "---\ntitle: Notes\n---\nx\n"),
            ("a.md", &md("Dated", "2013-02-01", "")),
        ],
    );
    assert_eq!(entries(ListId::Home, &a, 50), [1]);
}

#[test]
fn full_text_feeds_carry_bodies_with_absolute_links() {
    let cfg = config("base_url = \"https://news.example\"\n[feeds]\nfull_text = true\n");
    let a = archive(&cfg, &[("a.md", &md("Pics", "2013-02-01", ""))]);
    let body = |i: u32| -> Result<String, Diagnostic> {
        Ok(format!(
            "<p><img src=\"photo.jpg\" alt=\"\"> <a href=\"/x/\">{i}</a></p>"
        ))
    };
    let files = render(ListId::Home, &a, &cfg, None, &body).expect("feeds");
    let expected = "<p><img src=\"https://news.example/2013/02/01/pics/photo.jpg\" alt=\"\"> <a href=\"https://news.example/x/\">0</a></p>";
    assert_eq!(
        texts_of(&feed_text(&files, "/atom.xml"), "content"),
        [expected]
    );
    assert_eq!(
        texts_of(&feed_text(&files, "/rss.xml"), "content:encoded"),
        [expected]
    );

    let failing = |_: u32| -> Result<String, Diagnostic> {
        Err(Diagnostic::error(
            std::path::Path::new("content/a.md"),
            None,
            "cannot read: gone",
        ))
    };
    let err = render(ListId::Home, &a, &cfg, None, &failing).unwrap_err();
    assert_eq!(err.to_string(), "content/a.md: error: cannot read: gone");
}

#[test]
fn an_empty_site_has_valid_feeds_dated_at_the_epoch_not_the_clock() {
    let cfg = config("");
    let a = archive(&cfg, &[]);
    let files = render(ListId::Home, &a, &cfg, None, &no_body).expect("feeds");
    assert_eq!(
        texts_of(&feed_text(&files, "/atom.xml"), "updated"),
        ["1970-01-01T00:00:00+00:00"]
    );
}

proptest::proptest! {
    /// The hand-written dates match chrono's for any instant and offset.
    #[test]
    fn dates_by_hand_match_chrono(
        secs in -62_000_000_000i64..253_402_300_799,
        offset_minutes in -1439i32..=1439,
    ) {
        let tz = FixedOffset::east_opt(offset_minutes * 60).expect("offset");
        let d = DateTime::from_timestamp(secs, 0).expect("instant").with_timezone(&tz);
        proptest::prop_assert_eq!(rfc822(d), d.format("%a, %d %b %Y %H:%M:%S %z").to_string());
        let cfg = config("title = \"T\"\nbase_url = \"https://News.Example:8080/x\"\n");
        proptest::prop_assert_eq!(
            entry_id(&cfg, "/a/", d),
            format!("tag:news.example,{}:/a/", d.format("%Y-%m-%d"))
        );
    }
}
