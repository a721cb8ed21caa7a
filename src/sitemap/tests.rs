use super::*;
use crate::plan;
use crate::testing::{archive, config, md};

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("date")
}

/// `(path, [site paths])` of every planned sitemap file.
fn layout(plan: &SitemapPlan, pages: &[PlannedPage]) -> Vec<(String, Vec<String>)> {
    plan.files
        .iter()
        .map(|f| {
            let urls = f
                .urls
                .iter()
                .map(|u| pages[u.page as usize].url.clone())
                .collect();
            (f.path.clone(), urls)
        })
        .collect()
}

fn limits(max_urls: usize) -> Limits {
    Limits {
        max_urls,
        max_bytes: MAX_BYTES,
    }
}

#[test]
fn articles_and_period_pages_go_to_their_year_and_other_pages_to_pages() {
    let cfg = config("paginate_by = 10\n");
    let a = archive(
        &cfg,
        &[
            ("a.md", &md("One", "2013-02-01", "tags: [X]\n")),
            ("b.md", &md("Two", "2014-03-04", "")),
        ],
    );
    let pages = plan::plan(&a, cfg.paginate_by);
    let p = plan(&a, &cfg, &pages, at("2024-01-01T00:00:00Z"), limits(50_000)).expect("plan");
    assert_eq!(
        layout(&p, &pages),
        [
            (
                "sitemaps/2013.xml".to_string(),
                vec!["/2013/02/01/one/", "/2013/", "/2013/02/", "/2013/02/01/"]
                    .into_iter()
                    .map(String::from)
                    .collect::<Vec<_>>()
            ),
            (
                "sitemaps/2014.xml".to_string(),
                vec!["/2014/03/04/two/", "/2014/", "/2014/03/", "/2014/03/04/"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            ),
            (
                "sitemaps/pages.xml".to_string(),
                vec![
                    "/tags/",
                    "/authors/",
                    "/sections/",
                    "/sources/",
                    "/",
                    "/tags/x/",
                    "/on-this-day/02-01/",
                    "/on-this-day/03-04/",
                    "/archive/"
                ]
                .into_iter()
                .map(String::from)
                .collect()
            ),
        ]
    );
    assert!(p.news.is_empty());
}

#[test]
fn a_year_above_the_limit_splits_by_month_and_a_month_above_it_continues_in_parts() {
    let cfg = config("paginate_by = 10\n");
    let a = archive(
        &cfg,
        &[
            ("a.md", &md("A", "2013-01-05", "")),
            ("b.md", &md("B", "2013-02-01", "")),
            ("c.md", &md("C", "2013-02-02", "")),
            ("d.md", &md("D", "2014-02-02", "")),
        ],
    );
    let pages = plan::plan(&a, cfg.paginate_by);
    let p = plan(&a, &cfg, &pages, at("2024-01-01T00:00:00Z"), limits(4)).expect("plan");
    let got: Vec<(String, usize)> = p
        .files
        .iter()
        .map(|f| (f.path.clone(), f.urls.len()))
        .collect();
    assert_eq!(
        got,
        [
            // January: the article, its day, its month.
            ("sitemaps/2013-01.xml".to_string(), 3),
            // February: two articles, two days, the month, and the year page
            // (whose newest article is in February).
            ("sitemaps/2013-02.xml".to_string(), 4),
            ("sitemaps/2013-02-p2.xml".to_string(), 2),
            ("sitemaps/2014.xml".to_string(), 4),
            // Lists, the archive and "on this day" (01-05, 02-01, 02-02).
            ("sitemaps/pages.xml".to_string(), 4),
            ("sitemaps/pages-p2.xml".to_string(), 4),
            ("sitemaps/pages-p3.xml".to_string(), 1),
        ]
    );
    assert!(p.files.iter().all(|f| f.urls.len() <= 4));
}

#[test]
fn files_also_split_before_the_byte_limit() {
    let cfg = config("");
    let a = archive(
        &cfg,
        &[
            ("a.md", &md("A", "2013-01-05", "")),
            ("b.md", &md("B", "2013-01-06", "")),
        ],
    );
    let pages = plan::plan(&a, cfg.paginate_by);
    let one = url_element(
        "http://127.0.0.1:1111/2013/01/05/a/",
        at("2013-01-05T00:00:00Z").into(),
    )
    .len();
    let max_bytes = URLSET_OPEN.len() + URLSET_CLOSE.len() + 2 * one;
    let p = plan(
        &a,
        &cfg,
        &pages,
        at("2024-01-01T00:00:00Z"),
        Limits {
            max_urls: 50_000,
            max_bytes,
        },
    )
    .expect("plan");
    for f in &p.files {
        let text = render_file(f, &pages, &cfg);
        assert!(
            text.len() <= max_bytes,
            "{} has {} bytes",
            f.path,
            text.len()
        );
    }
    assert_eq!(p.files[0].path, "sitemaps/2013.xml");
    assert_eq!(p.files[1].path, "sitemaps/2013-p2.xml");
}

#[test]
fn a_past_years_file_stays_byte_identical_as_news_arrives() {
    let cfg = config("paginate_by = 2\n");
    let old = [
        ("a.md", md("A", "2013-01-05", "tags: [X]\n")),
        ("b.md", md("B", "2013-03-06", "tags: [X]\n")),
        ("c.md", md("C", "2013-03-07", "")),
        ("d.md", md("D", "2014-01-01", "tags: [X]\n")),
    ];
    let mut new = old.to_vec();
    new.push((
        "e.md",
        md("E", "2014-05-01", "tags: [X, Zed]\nauthors: [Ann]\n"),
    ));
    let text_of = |files: &[(&str, String)], path: &str| {
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let a = archive(&cfg, &refs);
        let pages = plan::plan(&a, cfg.paginate_by);
        let p = plan(&a, &cfg, &pages, at("2024-01-01T00:00:00Z"), limits(50_000)).expect("plan");
        let f = p.files.iter().find(|f| f.path == path).expect("file");
        render_file(f, &pages, &cfg)
    };
    assert_eq!(
        text_of(&old, "sitemaps/2013.xml"),
        text_of(&new, "sitemaps/2013.xml")
    );
    assert_ne!(
        text_of(&old, "sitemaps/2014.xml"),
        text_of(&new, "sitemaps/2014.xml")
    );
}

#[test]
fn lastmod_is_updated_or_date_in_the_site_zone_and_lists_take_their_newest() {
    let cfg = config("base_url = \"https://n.example\"\ntimezone = \"Europe/Paris\"\n");
    let a = archive(
        &cfg,
        &[
            (
                "a.md",
                &md(
                    "A",
                    "2013-01-05T10:00:00Z",
                    "updated: 2013-06-01T10:00:00Z\n",
                ),
            ),
            ("b.md", &md("B", "2013-01-06T10:00:00Z", "")),
        ],
    );
    let pages = plan::plan(&a, cfg.paginate_by);
    let p = plan(&a, &cfg, &pages, at("2024-01-01T00:00:00Z"), limits(50_000)).expect("plan");
    let text = render_file(&p.files[0], &pages, &cfg);
    assert_eq!(
        text,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">
<url><loc>https://n.example/2013/01/05/a/</loc><lastmod>2013-06-01T12:00:00+02:00</lastmod></url>
<url><loc>https://n.example/2013/01/06/b/</loc><lastmod>2013-01-06T11:00:00+01:00</lastmod></url>
<url><loc>https://n.example/2013/</loc><lastmod>2013-06-01T12:00:00+02:00</lastmod></url>
<url><loc>https://n.example/2013/01/</loc><lastmod>2013-06-01T12:00:00+02:00</lastmod></url>
<url><loc>https://n.example/2013/01/05/</loc><lastmod>2013-06-01T12:00:00+02:00</lastmod></url>
<url><loc>https://n.example/2013/01/06/</loc><lastmod>2013-01-06T11:00:00+01:00</lastmod></url>
</urlset>
"
    );
    let index = render_index(&p, &a, &cfg);
    assert_eq!(
        index,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">
<sitemap>
<loc>https://n.example/sitemaps/2013.xml</loc>
<lastmod>2013-06-01T12:00:00+02:00</lastmod>
</sitemap>
<sitemap>
<loc>https://n.example/sitemaps/pages.xml</loc>
<lastmod>2013-06-01T12:00:00+02:00</lastmod>
</sitemap>
</sitemapindex>
"
    );
    assert_eq!(
        robots(&cfg),
        "User-agent: *\nAllow: /\n\nSitemap: https://n.example/sitemap.xml\n"
    );
}

#[test]
fn the_news_sitemap_holds_only_the_two_days_before_now() {
    let cfg = config(
        "title = \"Gazette\"\nbase_url = \"https://n.example\"\nlanguage = \"en-GB\"\ntimezone = \"Europe/London\"\n",
    );
    let a = archive(
        &cfg,
        &[
            ("a.md", &md("Too old", "2024-05-29T23:00:00Z", "")),
            ("b.md", &md("Just in", "2024-05-30T00:00:01Z", "")),
            ("c.md", &md("Fresh & new", "2024-05-31T23:00:00Z", "")),
            ("d.md", &md("Future", "2024-06-01T00:00:01Z", "")),
        ],
    );
    let now = at("2024-06-01T00:00:00Z");
    let pages = plan::plan(&a, cfg.paginate_by);
    let p = plan(&a, &cfg, &pages, now, limits(50_000)).expect("plan");
    let titles: Vec<&str> = p
        .news
        .iter()
        .map(|&i| a.entries[i as usize].article.title.as_str())
        .collect();
    assert_eq!(titles, ["Fresh & new", "Just in"]);
    let news = render_news(&p, &a, &cfg).expect("news sitemap");
    assert!(
        news.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">
<url>
<loc>https://n.example/2024/06/01/fresh-new/</loc>
<news:news>
<news:publication>
<news:name>Gazette</news:name>
<news:language>en</news:language>
</news:publication>
<news:publication_date>2024-06-01T00:00:00+01:00</news:publication_date>
<news:title>Fresh &amp; new</news:title>
</news:news>
</url>
"
        ),
        "{news}"
    );
    assert!(render_index(&p, &a, &cfg).contains("<loc>https://n.example/news-sitemap.xml</loc>\n<lastmod>2024-06-01T00:00:00+01:00</lastmod>"));

    let later = plan(&a, &cfg, &pages, at("2024-06-10T00:00:00Z"), limits(50_000)).expect("plan");
    assert!(later.news.is_empty());
    assert_eq!(render_news(&later, &a, &cfg), None);
    assert!(!render_index(&later, &a, &cfg).contains("news-sitemap"));
}

#[test]
fn news_languages_follow_the_schemas_pattern() {
    for (tag, code) in [
        ("en", "en"),
        ("en-GB", "en"),
        ("fr_CA", "fr"),
        ("zh-CN", "zh-cn"),
        ("zh-Hant-TW", "zh-tw"),
        ("zh-HK", "zh-tw"),
        ("zh", "zh-cn"),
        ("AST", "ast"),
    ] {
        assert_eq!(news_language(tag), code, "{tag}");
    }
}

#[test]
fn url_element_sizes_are_counted_without_making_the_element() {
    let dates = [
        "2013-02-02T10:00:00+00:00",
        "2013-02-02T10:00:00.5+05:30",
        "2013-02-02T10:00:00.000250-04:00",
        "2013-02-02T10:00:00.000000007+14:00",
        "0001-01-01T00:00:00Z",
    ];
    let base = "https://example.org/a&b";
    for path in ["/", "/2013/02/02/x/", "/tags/<r&d>/page/2/", "/ünï/"] {
        let size = |d| escape(base).len() + url_element_len(path, d);
        assert_eq!(
            size(None),
            url_element(&format!("{base}{path}"), None).len()
        );
        for d in dates {
            let d = Some(at(d));
            assert_eq!(
                size(d),
                url_element(&format!("{base}{path}"), d).len(),
                "{path} {d:?}"
            );
        }
    }
}
