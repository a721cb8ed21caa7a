//! Machine-readable article metadata for templates: the schema.org
//! `NewsArticle` JSON-LD block and the Open Graph `article:*` values. Built in
//! Rust (serde_json) so templates only place it. Every date comes from
//! `DateView` of the archive's `local_date` / `Entry::modified`, the same
//! values the byline, the feeds and the sitemaps print.

use serde::Serialize;
use serde_json::Value;

use crate::archive::{Archive, Entry, Taxonomy};
use crate::article::slug::slugify;
use crate::config::Config;
use crate::media::photo::Layout;

use super::views::DateView;

/// What an article page's `<head>` says about the article.
#[derive(Serialize)]
pub struct ArticleMeta {
    /// The JSON-LD object, safe to place raw inside `<script>`.
    pub json_ld: String,
    /// RFC 3339, as in the byline's `<time datetime>`.
    pub published: Option<String>,
    pub modified: Option<String>,
    /// Absolute URLs of the authors' pages.
    pub authors: Vec<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    /// Absolute image URL: the 16:9 crop of a lead photo the site carries.
    pub image: Option<String>,
    /// The size of `image`, when known.
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub image_alt: Option<String>,
}

impl ArticleMeta {
    /// `lead`: the lead image as a photo the site carries (its target as
    /// written and what is made of it), for its crops.
    pub fn new(e: &Entry, cfg: &Config, lead: Option<(&str, &Layout)>) -> ArticleMeta {
        let a = &e.article;
        let published = e.local_date.map(|d| DateView::new(d).iso);
        let modified = e.modified(cfg.timezone).map(|d| DateView::new(d).iso);
        let permalink = cfg.absolute(&e.url);
        let crops: Vec<(String, u32, u32)> = lead
            .map(|(target, layout)| crate::media::html::crops(target, layout))
            .unwrap_or_default()
            .into_iter()
            .map(|(_, path, w, h)| (cfg.resolve(&e.url, &path), w, h))
            .collect();
        let image = a.image.as_deref().map(|i| cfg.resolve(&e.url, i));
        let images: Vec<&str> = match crops.is_empty() {
            true => image.iter().map(String::as_str).collect(),
            false => crops.iter().map(|c| c.0.as_str()).collect(),
        };
        let author_pages: Vec<(&str, String)> = a
            .authors
            .iter()
            .filter_map(|n| {
                let slug = slugify(n);
                (!slug.is_empty()).then(|| {
                    let url = Archive::term_url(Taxonomy::Authors, &slug);
                    (n.as_str(), cfg.absolute(&url))
                })
            })
            .collect();
        let mut authors: Vec<LdAgent> = author_pages
            .iter()
            .map(|(name, url)| LdAgent {
                kind: "Person",
                name,
                url: Some(url),
            })
            .collect();
        if authors.is_empty() {
            // A wire story is by its agency; anything else by the publisher.
            authors.push(LdAgent {
                kind: "Organization",
                name: a.agency.as_deref().unwrap_or(&cfg.publisher.name),
                url: None,
            });
        }
        let home = cfg.absolute("/");
        let section = crate::archive::section_label(&a.section);
        let logo = (!cfg.publisher.logo.is_empty()).then(|| cfg.resolve("/", &cfg.publisher.logo));
        let free = a
            .extra
            .get("accessible_for_free")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let ld = NewsArticleLd {
            context: "https://schema.org",
            kind: "NewsArticle",
            article_section: (!a.section.is_empty()).then_some(section.as_ref()),
            author: authors,
            date_modified: modified.as_deref(),
            date_published: published.as_deref(),
            dateline: a.dateline.as_deref(),
            description: (!a.description.is_empty()).then_some(a.description.as_str()),
            headline: &a.title,
            image: (!images.is_empty()).then_some(images.as_slice()),
            in_language: &cfg.language,
            is_accessible_for_free: free,
            keywords: (!a.tags.is_empty()).then_some(a.tags.as_slice()),
            main_entity_of_page: LdWebPage {
                id: &permalink,
                kind: "WebPage",
            },
            publisher: LdPublisher {
                kind: "Organization",
                logo: logo.as_deref().map(|url| LdImage {
                    kind: "ImageObject",
                    url,
                }),
                name: &cfg.publisher.name,
                url: &home,
            },
            url: &permalink,
            word_count: (a.word_count > 0).then_some(a.word_count),
        };
        // Serializing these structs cannot fail (strings, numbers, options).
        let json = serde_json::to_string(&ld).unwrap_or_default();
        ArticleMeta {
            json_ld: script_safe(&json),
            published,
            modified,
            authors: author_pages.into_iter().map(|(_, url)| url).collect(),
            section: (!a.section.is_empty()).then(|| section.into_owned()),
            tags: a.tags.clone(),
            image_width: crops.first().map(|c| c.1),
            image_height: crops.first().map(|c| c.2),
            image: crops.first().map(|c| c.0.clone()).or(image),
            image_alt: a.image_meta.as_ref().and_then(|m| m.alt.clone()),
        }
    }
}

// The JSON-LD object. Fields are in byte order of their JSON names, the order
// a JSON object map would print them in, so the text is stable and sorted.

#[derive(Serialize)]
struct NewsArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "articleSection", skip_serializing_if = "Option::is_none")]
    article_section: Option<&'a str>,
    author: Vec<LdAgent<'a>>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a [&'a str]>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isAccessibleForFree")]
    is_accessible_for_free: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<&'a [String]>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: LdWebPage<'a>,
    publisher: LdPublisher<'a>,
    url: &'a str,
    #[serde(rename = "wordCount", skip_serializing_if = "Option::is_none")]
    word_count: Option<usize>,
}

#[derive(Serialize)]
struct LdAgent<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct LdWebPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct LdPublisher<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<LdImage<'a>>,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct LdImage<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
}

/// JSON that cannot end its `<script>` element or open a comment: `<`, `>`
/// and `&` only occur inside strings, where `\u003c` and friends mean the same.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{archive, config, md};
    use serde_json::json;

    #[test]
    fn news_article_json_ld_carries_the_required_fields() {
        let cfg = config(
            "title = \"Gazette\"\nbase_url = \"https://news.example\"\ntimezone = \"Europe/London\"\n[publisher]\nlogo = \"/logo.png\"\n",
        );
        let a = archive(
            &cfg,
            &[(
                "city/flood.md",
                &md(
                    "Floods </script><!--",
                    "2023-07-21T09:30:00",
                    "authors: [Mara Quinn, Ann Lee]\ntags: [Weather]\nimage: map.jpg\ndateline: HARBOUR TOWN\n",
                ),
            )],
        );
        let meta = ArticleMeta::new(&a.entries[0], &cfg, None);
        assert!(!meta.json_ld.contains('<'), "{}", meta.json_ld);
        let v: Value = serde_json::from_str(&meta.json_ld).expect("JSON");
        assert_eq!(v["@type"], "NewsArticle");
        assert_eq!(v["headline"], "Floods </script><!--");
        assert_eq!(v["datePublished"], "2023-07-21T09:30:00+01:00");
        assert_eq!(v["dateModified"], "2023-07-21T09:30:00+01:00");
        assert_eq!(v["author"][1]["name"], "Ann Lee");
        assert_eq!(
            v["author"][0]["url"],
            "https://news.example/authors/mara-quinn/"
        );
        assert_eq!(v["publisher"]["name"], "Gazette");
        assert_eq!(
            v["publisher"]["logo"]["url"],
            "https://news.example/logo.png"
        );
        assert_eq!(v["dateline"], "HARBOUR TOWN");
        assert_eq!(
            v["image"][0],
            "https://news.example/2023/07/21/flood/map.jpg"
        );
        assert_eq!(v["isAccessibleForFree"], true);
        assert_eq!(
            v["mainEntityOfPage"]["@id"],
            "https://news.example/2023/07/21/flood/"
        );
        assert_eq!(meta.published, meta.modified);
        assert_eq!(meta.tags, ["Weather"]);
    }

    #[test]
    fn an_article_without_authors_is_by_the_publisher_and_may_be_paywalled() {
        let cfg = config("title = \"Gazette\"\n");
        let a = archive(
            &cfg,
            &[(
                "a.md",
                &md("Paid", "2023-07-21", "accessible_for_free: false\n"),
            )],
        );
        let v: Value = serde_json::from_str(&ArticleMeta::new(&a.entries[0], &cfg, None).json_ld)
            .expect("JSON");
        assert_eq!(
            v["author"],
            json!([{"@type": "Organization", "name": "Gazette"}])
        );
        assert_eq!(v["isAccessibleForFree"], false);
        assert!(v.get("image").is_none());
    }
}
