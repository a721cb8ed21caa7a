//! One WordPress post or page into one article file: front matter with the
//! keys broadsheet reads, and the body as HTML.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::{NaiveDateTime, TimeZone};

use super::wxr::{Export, Item};
use super::{Report, autop, repair};
use crate::shortcodes::{self, Context, Markup};

/// One article to write.
#[derive(Debug, Clone)]
pub struct Article {
    /// `pages` or `YYYY/MM`.
    pub dir: String,
    pub slug: String,
    /// Front matter lines (TOML), without the fences.
    pub front: String,
    pub body: String,
    /// `(URL as written, path under uploads/)`.
    pub uploads: Vec<(String, String)>,
    /// Shortcodes left as text, as written.
    pub unknown: Vec<String>,
    /// The old permalink path, when it is an address the site's own pages
    /// use (`/search/`, `/tags/`, `/`): not made an alias, and reported.
    pub left_to_site: Option<String>,
}

impl Article {
    /// `content/DIR/slug.md`, or `content/DIR/slug/index.md` for a bundle.
    pub fn path(&self, bundle: bool) -> PathBuf {
        let dir = PathBuf::from("content").join(&self.dir);
        if bundle {
            dir.join(&self.slug).join("index.md")
        } else {
            dir.join(format!("{}.md", self.slug))
        }
    }

    pub fn file_text(&self, body: &str) -> String {
        format!("+++\n{}+++\n{}", self.front, body)
    }

    /// The line of `tag` in the written file.
    pub fn line_of(&self, body: &str, tag: &str) -> usize {
        let head = self.front.lines().count() + 2;
        let needle = tag.trim_end_matches('…');
        body.find(needle)
            .map_or(head + 1, |i| head + 1 + body[..i].matches('\n').count())
    }
}

/// Every post and page of the export, counting the rest into `report`.
pub fn articles(export: &Export, tz: chrono_tz::Tz, report: &mut Report) -> Vec<Article> {
    let media: HashMap<&str, &str> = export
        .items
        .iter()
        .filter(|i| i.post_type == "attachment")
        .map(|i| (i.id.as_str(), i.attachment_url.as_str()))
        .collect();
    let authors: HashMap<&str, &str> = export
        .authors
        .iter()
        .map(|(l, d)| (l.as_str(), d.as_str()))
        .collect();
    let mut taken = HashSet::new();
    let mut out = Vec::new();
    for item in &export.items {
        report.comments += item.comments;
        match item.post_type.as_str() {
            "post" => report.posts += 1,
            "page" => report.pages += 1,
            "attachment" => {
                report.attachments += 1;
                continue;
            }
            "nav_menu_item" | "wp_navigation" => {
                report.menu_items += 1;
                continue;
            }
            other => {
                *report.other.entry(other.to_string()).or_insert(0) += 1;
                continue;
            }
        }
        let a = article(item, export, &media, &authors, tz, &mut taken);
        if a.front.contains("\ndraft = true") {
            report.drafts += 1;
        }
        out.push(a);
    }
    out
}

fn article(
    item: &Item,
    export: &Export,
    media: &HashMap<&str, &str>,
    authors: &HashMap<&str, &str>,
    tz: chrono_tz::Tz,
    taken: &mut HashSet<(String, String)>,
) -> Article {
    let title = plain(&item.title);
    let title = if title.is_empty() {
        format!("Untitled {}", item.id)
    } else {
        title
    };
    let date = wp_date(&item.date_gmt, &item.date, tz);
    let is_page = item.post_type == "page";
    let dir = match (is_page, &date) {
        (true, _) | (false, None) => "pages".to_string(),
        (false, Some((_, local))) => local.format("%Y/%m").to_string(),
    };
    let mut slug = slug_of(item, &title);
    let base = slug.clone();
    let mut n = 1;
    while !taken.insert((dir.clone(), slug.clone())) {
        n += 1;
        slug = format!("{base}-{n}");
    }
    let (body, unknown) = body(item, export, media);
    let uploads = uploads_in(&body);
    let mut front = String::new();
    let mut put = |k: &str, v: toml::Value| front.push_str(&format!("{k} = {v}\n"));
    put("title", title.into());
    if let Some((text, _)) = &date {
        put("date", text.clone().into());
    }
    if let Some((text, _)) = wp_date(&item.modified_gmt, &item.modified, tz) {
        if date.as_ref().map(|d| &d.0) != Some(&text) {
            put("updated", text.into());
        }
    }
    put("slug", slug.clone().into());
    let author = authors
        .get(item.creator.as_str())
        .copied()
        .filter(|a| !a.is_empty());
    if let Some(a) = author.or(Some(item.creator.as_str()).filter(|c| !c.is_empty())) {
        put("authors", toml::Value::Array(vec![a.to_string().into()]));
    }
    for (key, names) in terms(item) {
        put(key, toml::Value::Array(names));
    }
    let excerpt = plain(&item.excerpt);
    if !excerpt.is_empty() {
        put("summary", excerpt.into());
    }
    if item.status != "publish" || !item.password.is_empty() {
        put("draft", true.into());
    }
    let (aliases, left_to_site) = aliases(item, export, date.as_ref().map(|d| d.1), &slug, is_page);
    if !aliases.is_empty() {
        put(
            "aliases",
            toml::Value::Array(aliases.into_iter().map(Into::into).collect()),
        );
    }
    Article {
        dir,
        slug,
        front,
        body,
        uploads,
        unknown,
        left_to_site,
    }
}

/// The item's categories and tags, as front-matter lists (none when empty).
fn terms(item: &Item) -> Vec<(&'static str, Vec<toml::Value>)> {
    [("category", "categories"), ("post_tag", "tags")]
        .into_iter()
        .map(|(domain, key)| {
            let names: Vec<toml::Value> = item
                .terms
                .iter()
                .filter(|(d, n)| d == domain && !n.is_empty())
                .map(|(_, n)| plain(n).into())
                .collect();
            (key, names)
        })
        .filter(|(_, names)| !names.is_empty())
        .collect()
}

/// The body: block comments out, shortcodes translated, paragraphs made,
/// markup made valid.
fn body(item: &Item, export: &Export, media: &HashMap<&str, &str>) -> (String, Vec<String>) {
    let html = autop::strip_block_comments(&item.content);
    let attached: Vec<String> = export
        .items
        .iter()
        .filter(|i| i.post_type == "attachment" && i.parent == item.id)
        .map(|i| i.attachment_url.clone())
        .collect();
    let media_of = |id: &str| media.get(id).map(|u| u.to_string());
    let cx = Context {
        markup: Markup::Html,
        media: &media_of,
        attached: &attached,
        ..Context::markdown()
    };
    let (html, found) = shortcodes::translate(&html, &cx);
    let unknown = found
        .into_iter()
        .filter(|f| !f.translated)
        .map(|f| f.text)
        .collect();
    (repair::repair(&autop::autop(&html)), unknown)
}

/// `(front-matter text, local time)` from the GMT date, else the local one
/// (read in the site's zone). WordPress writes `0000-00-00 00:00:00` for none.
fn wp_date(gmt: &str, local: &str, tz: chrono_tz::Tz) -> Option<(String, NaiveDateTime)> {
    let parse = |s: &str| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok();
    if let Some(g) = parse(gmt).filter(|d| d.and_utc().timestamp() > 0) {
        let local = chrono::Utc
            .from_utc_datetime(&g)
            .with_timezone(&tz)
            .naive_local();
        return Some((g.format("%Y-%m-%dT%H:%M:%SZ").to_string(), local));
    }
    let l = parse(local).filter(|d| d.and_utc().timestamp() > 0)?;
    Some((l.format("%Y-%m-%d %H:%M:%S").to_string(), l))
}

/// `wp:post_name` (percent-decoded), else the title.
fn slug_of(item: &Item, title: &str) -> String {
    let name = shortcodes::percent_decode(&item.name);
    let slug = crate::slug::slugify(&name);
    let slug = if slug.is_empty() {
        crate::slug::slugify(title)
    } else {
        slug
    };
    if slug.is_empty() {
        format!("post-{}", item.id)
    } else {
        slug
    }
}

/// First path segments of pages broadsheet makes itself: an old address
/// there would collide with them (the old page is still reached by its
/// `?p=`/`?page_id=` link and by its new URL).
const RESERVED: &[&str] = &[
    "tags",
    "authors",
    "sections",
    "sources",
    "archive",
    "search",
    "undated",
    "page",
    "on-this-day",
    "sitemaps",
];

/// The old permalink's path and WordPress's short link (`/?p=ID`,
/// `/?page_id=ID`); not the new URL itself (default permalink pattern).
/// Second: the old path when the site's own pages have it (the home page,
/// `/search/`, `/tags/...`), so it cannot be an alias.
fn aliases(
    item: &Item,
    export: &Export,
    local: Option<NaiveDateTime>,
    slug: &str,
    is_page: bool,
) -> (Vec<String>, Option<String>) {
    let mut out = Vec::new();
    let base = export.link.trim_end_matches('/');
    // Aliases are written decoded, with no empty segments.
    let decoded = shortcodes::percent_decode(item.link.strip_prefix(base).unwrap_or(""));
    let mut path = String::from("/");
    for seg in decoded.split('/').filter(|s| !s.is_empty()) {
        path.push_str(seg);
        path.push('/');
    }
    if !decoded.ends_with('/') && path.len() > 1 {
        path.pop();
    }
    let path = path.as_str();
    let new_url = local.map(|d| format!("/{}/{slug}/", d.format("%Y/%m/%d")));
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let site_owned = path == "/" || RESERVED.contains(&first);
    let plain_path = !site_owned && !path.contains(['?', '#', '%']);
    if plain_path && path.starts_with('/') && Some(path) != new_url.as_deref() {
        out.push(path.to_string());
    }
    let left = (site_owned && !item.link.is_empty()).then(|| path.to_string());
    if !item.id.is_empty() && item.id.chars().all(|c| c.is_ascii_digit()) {
        let key = if is_page { "page_id" } else { "p" };
        out.push(format!("/?{key}={}", item.id));
    }
    (out, left)
}

/// Upload URLs in the body and their path under `uploads/`: after
/// `/wp-content/uploads/`, or the path on a `*.files.wordpress.com` host.
fn uploads_in(body: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in body.match_indices(attr) {
            let rest = &body[i + attr.len()..];
            let url = &rest[..rest.find('"').unwrap_or(0)];
            let rel = match url.find("/wp-content/uploads/") {
                Some(k) => Some(&url[k + "/wp-content/uploads/".len()..]),
                None => url.split_once(".files.wordpress.com/").map(|(_, p)| p),
            };
            let rel = rel.map(|r| r.split(['?', '#']).next().unwrap_or(r));
            if let Some(rel) = rel.filter(|r| !r.is_empty() && !r.contains("..")) {
                if !out.iter().any(|(u, _)| u == url) {
                    out.push((url.to_string(), rel.to_string()));
                }
            }
        }
    }
    out
}

/// Titles, terms and excerpts as plain text: tags dropped, entities read.
fn plain(html: &str) -> String {
    let text = crate::article::markdown::strip_tags(html);
    let mut out = text.clone();
    for (entity, c) in [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#039;", "'"),
        ("&#39;", "'"),
        ("&nbsp;", "\u{a0}"),
        ("&#8217;", "’"),
        ("&#8220;", "“"),
        ("&#8221;", "”"),
        ("&#8211;", "–"),
        ("&#8212;", "—"),
    ] {
        out = out.replace(entity, c);
    }
    out.trim().to_string()
}
