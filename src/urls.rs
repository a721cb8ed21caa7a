//! Where each article is published, before collisions are settled (that is
//! `archive`'s): the explicit URL its file claims (Hugo's `url`, Zola's
//! `path`, Jekyll's and Eleventy's `permalink`) while `[content] keep_urls`,
//! else its section's permalink pattern (`[permalinks]`, else `permalink`)
//! filled from the article. Pure: no I/O.
//!
//! Tokens: `:year`, `:month`, `:day`, `:slug`, `:section`, and `:path`: the
//! folders under content/ leading to the article, then its slug
//! (`content/posts/harbour-fire/index.md` is `posts/harbour-fire`, a `slug`
//! replacing the last segment), which reproduces the default URLs of Hugo,
//! Zola and Eleventy with the pattern `/:path/`. Folders named `_x`
//! (Jekyll's `_posts`) and the site's own top are left out.

use chrono::{DateTime, FixedOffset};

use crate::article::Article;
use crate::article::permalink::{fill_tokens, permalink};
use crate::article::slug::slugify;
use crate::config::Config;

/// The explicit URL an article keeps, if it has one and the site keeps them.
pub fn kept<'a>(a: &'a Article, cfg: &Config) -> Option<&'a str> {
    a.url.as_deref().filter(|_| cfg.content.keep_urls)
}

/// Whether the article chose its URL (an explicit URL kept, or a slug):
/// two such articles on one URL are an error, not a numbered URL.
pub fn claimed(a: &Article, cfg: &Config) -> bool {
    a.explicit_slug || kept(a, cfg).is_some()
}

/// The URL an article asks for.
pub fn wanted(a: &Article, date: Option<DateTime<FixedOffset>>, cfg: &Config) -> String {
    if let Some(url) = kept(a, cfg) {
        return url.to_string();
    }
    from_pattern(a, &a.slug, date, cfg)
}

/// The addresses other generators gave a Markdown article from its file
/// name, where they are not its URL: its file name's slug, the name as
/// written (`2015-02-25-We-Are-Hiring.md` was Jekyll's
/// `/2015/02/25/We-Are-Hiring/`), in lower case (Hugo's), and as Jekyll's
/// `pretty` slug. Only for a name that `slug_from = "file"` would take
/// (`article::name_gives_slug`: not `001.md`), and not when the front
/// matter chose the URL or slug (the generators did not use the name then).
/// With `slug_from = "title"` the name's own slug is one of them: the
/// article moved. `extras::redirects` makes them redirects.
pub fn name_addresses(
    a: &Article,
    date: Option<DateTime<FixedOffset>>,
    cfg: &Config,
) -> Vec<String> {
    if a.format != crate::source::Format::Markdown || a.explicit_slug || kept(a, cfg).is_some() {
        return Vec::new();
    }
    let content_path = a.source.strip_prefix("content").unwrap_or(&a.source);
    let content_path = content_path.to_string_lossy();
    let content_path = content_path.trim_start_matches(['/', '\\']);
    let name = crate::article::file_slug_name(content_path);
    if name == a.slug || !crate::article::name_gives_slug(content_path, a.format) {
        return Vec::new();
    }
    let mut forms = crate::slug::name_forms(name);
    forms.insert(0, crate::slug::slugify_name(name));
    forms
        .iter()
        .filter(|f| **f != a.slug)
        .map(|f| from_pattern(a, f, date, cfg))
        .collect()
}

/// The section's permalink pattern filled for `a` with `slug`.
fn from_pattern(
    a: &Article,
    slug: &str,
    date: Option<DateTime<FixedOffset>>,
    cfg: &Config,
) -> String {
    let pattern = cfg.pattern_for(&a.section);
    if !pattern.contains(":path") {
        return permalink(pattern, slug, &a.section, date);
    }
    let filled = pattern.replace(":path", &path_token(a, slug));
    let has_date = [":year", ":month", ":day"]
        .iter()
        .any(|t| pattern.contains(t));
    match date {
        None if has_date => format!("/undated/{slug}/"),
        // Without date tokens the date is never read.
        _ => {
            let d = date.unwrap_or_default();
            let mut out = String::with_capacity(filled.len() + 16);
            fill_tokens(
                &mut out,
                &filled,
                d,
                |o| o.push_str(&slugify(&a.section)),
                slug,
            );
            out
        }
    }
}

/// `url` made distinct with a number: `/x/` -> `/x-2/`, `/x.html` -> `/x-2.html`.
pub fn numbered(url: &str, n: usize) -> String {
    if let Some(dir) = url.strip_suffix('/') {
        return format!("{dir}-{n}/");
    }
    let (head, last) = url.rsplit_once('/').unwrap_or(("", url));
    match last.rsplit_once('.') {
        Some((stem, ext)) => format!("{head}/{stem}-{n}.{ext}"),
        None => format!("{url}-{n}"),
    }
}

/// Why an explicit URL cannot be an article's: it is the address of a page
/// the site makes itself (home, lists, date archives, feeds).
pub fn reserved(url: &str) -> Option<&'static str> {
    let segs: Vec<&str> = url.trim_matches('/').split('/').collect();
    let number = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    let generated = [
        "tags",
        "authors",
        "sections",
        "sources",
        "archive",
        "undated",
        "page",
        "on-this-day",
        "sitemaps",
        "search",
    ];
    match segs[..] {
        [""] => Some("the home page"),
        ["404.html" | "atom.xml" | "rss.xml" | "sitemap.xml" | "robots.txt"] => {
            Some("a generated file")
        }
        [first, ..] if generated.contains(&first) && url.ends_with('/') && segs.len() <= 4 => {
            Some("a generated list page")
        }
        [y] | [y, _] | [y, _, _] if number(y, 4) && segs[1..].iter().all(|s| number(s, 2)) => {
            Some("a date archive page")
        }
        _ => None,
    }
}

/// Folders under content/ (without `_x` ones) and the slug, slugified.
fn path_token(a: &Article, slug: &str) -> String {
    let rel = a.source.strip_prefix("content").unwrap_or(&a.source);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let mut dirs: Vec<&str> = rel.split('/').collect();
    let file = dirs.pop().unwrap_or("");
    // A bundle (`story/index.md`) is its folder: the slug stands for it.
    if file.rsplit_once('.').map_or(file, |(stem, _)| stem) == "index" {
        dirs.pop();
    }
    let mut out = String::new();
    for dir in dirs.iter().filter(|d| !d.is_empty() && !d.starts_with('_')) {
        out.push_str(&slugify(dir));
        out.push('/');
    }
    out.push_str(slug);
    out
}

#[cfg(test)]
mod tests;
