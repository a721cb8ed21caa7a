//! Site paths written by people: aliases, and the explicit URLs of other
//! generators (Hugo's `url`, Zola's `path`, Jekyll's and Eleventy's
//! `permalink`). One rule for both: a plain path on this site (a same-site
//! absolute URL counts as its path), without query, fragment, percent
//! escapes or `.`/`..`/empty segments, so it can never lead outside the output.
//!
//! Where such a path's page is written: `/old/` and `/old` (no dot in the
//! last segment) become `old/index.html`; `/story.php` or `/a/b.html` are
//! written as they are. Pure: no I/O.

use std::path::Path;

use crate::output::safe_join;

/// How messages name the path's key: `alias`/`an alias`, `url`/`a URL`.
#[derive(Debug, Clone, Copy)]
pub struct Noun<'a> {
    pub name: &'a str,
    pub with_article: &'a str,
}

/// Checks a written path; returns it as a site path starting with `/` (as
/// written otherwise) and the output file answering at it.
pub fn check(raw: &str, base_url: &str, noun: Noun) -> Result<(String, String), String> {
    let Noun { name, with_article } = noun;
    let trimmed = raw.trim();
    let path = if trimmed.contains("://") {
        match trimmed.strip_prefix(base_url) {
            Some(p) if p.starts_with('/') => p,
            _ => {
                return Err(format!(
                    "{name} `{trimmed}` is not on this site ({base_url}): write it as a path such as /2013/02/old-story/"
                ));
            }
        }
    } else {
        trimmed
    };
    let from = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    if let Some(c) = from
        .chars()
        .find(|&c| c.is_whitespace() || c.is_control() || "?#%\"'<>\\^`{}|$;".contains(c))
    {
        return Err(format!(
            "{name} `{trimmed}` contains {c:?}: {with_article} is a plain site path, without query, fragment or percent escapes"
        ));
    }
    let inner = from[1..].strip_suffix('/').unwrap_or(&from[1..]);
    if !inner.is_empty() && inner.split('/').any(|seg| matches!(seg, "" | "." | "..")) {
        return Err(format!(
            "{name} `{trimmed}` is not a safe site path: empty, `.` and `..` segments are not allowed"
        ));
    }
    let file = file_of(&from);
    safe_join(Path::new("/"), &file)
        .map_err(|e| format!("{name} `{trimmed}` is not a safe site path: {}", e.message))?;
    Ok((from, file))
}

/// The output file answering at a checked site path.
pub fn file_of(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || !last.contains('.') {
        format!("{}/index.html", path.trim_matches('/'))
            .trim_start_matches('/')
            .to_string()
    } else {
        path.trim_start_matches('/').to_string()
    }
}

/// An article's URL from a checked path: a folder path ends with `/`
/// (`/about` and `/about/index.html` are `/about/`); a file path (a dot in
/// its last segment, `/news/story.html`) stays as it is.
pub fn article_url(path: &str) -> String {
    if let Some(dir) = path.strip_suffix("index.html").filter(|d| d.ends_with('/')) {
        return dir.to_string();
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || last.contains('.') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: Noun = Noun {
        name: "permalink",
        with_article: "a URL",
    };

    #[test]
    fn explicit_paths_become_article_urls() {
        let url = |raw: &str| check(raw, "https://n.example", URL).map(|(p, _)| article_url(&p));
        assert_eq!(
            url("2019/03/04/zola-post"),
            Ok("/2019/03/04/zola-post/".into())
        );
        assert_eq!(
            url("/news/2020/hugo-post.html"),
            Ok("/news/2020/hugo-post.html".into())
        );
        assert_eq!(url("/about/index.html"), Ok("/about/".into()));
        assert_eq!(url("https://n.example/x/"), Ok("/x/".into()));
        assert_eq!(url("/"), Ok("/".into()));
    }

    #[test]
    fn unsafe_or_foreign_paths_are_refused() {
        let err = |raw: &str| check(raw, "https://n.example", URL).unwrap_err();
        assert_eq!(
            err("/a/../../etc/"),
            "permalink `/a/../../etc/` is not a safe site path: empty, `.` and `..` segments are not allowed"
        );
        assert_eq!(
            err("/posts/{{ page.fileSlug }}/"),
            "permalink `/posts/{{ page.fileSlug }}/` contains '{': a URL is a plain site path, without query, fragment or percent escapes"
        );
        assert!(err("https://other.example/x/").contains("is not on this site"));
    }

    #[test]
    fn files_answering_at_paths() {
        assert_eq!(file_of("/old"), "old/index.html");
        assert_eq!(file_of("/a/b.html"), "a/b.html");
        assert_eq!(file_of("/"), "index.html");
    }
}
