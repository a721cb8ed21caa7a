//! Machine-readable article metadata for templates: the schema.org
//! `NewsArticle` JSON-LD block and the Open Graph `article:*` values. Built in
//! Rust (serde_json) so templates only place it. Every date comes from
//! `DateView` of the archive's `local_date` / `Entry::modified`, the same
//! values the byline, the feeds and the sitemaps print.

use serde::Serialize;
use serde_json::{Value, json};

use crate::archive::{Archive, Entry, Taxonomy};
use crate::article::slug::slugify;
use crate::config::Config;

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
    /// Absolute image URL.
    pub image: Option<String>,
}

impl ArticleMeta {
    pub fn new(e: &Entry, cfg: &Config) -> ArticleMeta {
        let a = &e.article;
        let published = e.local_date.map(|d| DateView::new(d).iso);
        let modified = e.modified(cfg.timezone).map(|d| DateView::new(d).iso);
        let permalink = cfg.absolute(&e.url);
        let image = a.image.as_deref().map(|i| cfg.resolve(&e.url, i));
        let author_pages: Vec<(&str, String)> = a
            .authors
            .iter()
            .filter(|n| !slugify(n).is_empty())
            .map(|n| {
                let url = Archive::term_url(Taxonomy::Authors, &slugify(n));
                (n.as_str(), cfg.absolute(&url))
            })
            .collect();
        let mut authors: Vec<Value> = author_pages
            .iter()
            .map(|(name, url)| json!({"@type": "Person", "name": name, "url": url}))
            .collect();
        if authors.is_empty() {
            // A wire story is by its agency; anything else by the publisher.
            let name = a.agency.as_deref().unwrap_or(&cfg.publisher.name);
            authors.push(json!({"@type": "Organization", "name": name}));
        }
        let mut publisher = json!({
            "@type": "Organization",
            "name": cfg.publisher.name,
            "url": cfg.absolute("/"),
        });
        if !cfg.publisher.logo.is_empty() {
            publisher["logo"] = json!({
                "@type": "ImageObject",
                "url": cfg.resolve("/", &cfg.publisher.logo),
            });
        }
        let free = a
            .extra
            .get("accessible_for_free")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "url": permalink,
            "mainEntityOfPage": {"@type": "WebPage", "@id": permalink},
            "author": authors,
            "publisher": publisher,
            "isAccessibleForFree": free,
            "inLanguage": cfg.language,
        });
        let mut set = |key: &str, v: Value| {
            ld[key] = v;
        };
        if let Some(p) = &published {
            set("datePublished", json!(p));
        }
        if let Some(m) = &modified {
            set("dateModified", json!(m));
        }
        if !a.description.is_empty() {
            set("description", json!(a.description));
        }
        if let Some(d) = &a.dateline {
            set("dateline", json!(d));
        }
        if let Some(i) = &image {
            set("image", json!([i]));
        }
        if !a.section.is_empty() {
            set("articleSection", json!(a.section));
        }
        if !a.tags.is_empty() {
            set("keywords", json!(a.tags));
        }
        if a.word_count > 0 {
            set("wordCount", json!(a.word_count));
        }
        ArticleMeta {
            json_ld: script_safe(&ld.to_string()),
            published,
            modified,
            authors: author_pages.into_iter().map(|(_, url)| url).collect(),
            section: (!a.section.is_empty()).then(|| a.section.clone()),
            tags: a.tags.clone(),
            image,
        }
    }
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
        let meta = ArticleMeta::new(&a.entries[0], &cfg);
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
            "https://news.example/2023/07/21/floods-script/map.jpg"
        );
        assert_eq!(v["isAccessibleForFree"], true);
        assert_eq!(
            v["mainEntityOfPage"]["@id"],
            "https://news.example/2023/07/21/floods-script/"
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
        let v: Value =
            serde_json::from_str(&ArticleMeta::new(&a.entries[0], &cfg).json_ld).expect("JSON");
        assert_eq!(
            v["author"],
            json!([{"@type": "Organization", "name": "Gazette"}])
        );
        assert_eq!(v["isAccessibleForFree"], false);
        assert!(v.get("image").is_none());
    }
}
