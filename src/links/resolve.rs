//! What a link on a page points at: a file of the site (its output path and
//! fragment), an outside URL, or something not checked (`mailto:`, `data:`).
//! Relative links resolve against the page (or its `<base href>`); absolute
//! URLs under `base_url` are the site's own. Pure: no I/O.

/// The site's address, from `base_url`: `https://news.example/archive`.
#[derive(Debug, Clone)]
pub struct SiteUrl {
    /// `https`
    scheme: String,
    /// `https://news.example`, lowercased.
    origin: String,
    /// `/archive`, or empty at the root.
    path: String,
}

impl SiteUrl {
    pub fn new(base_url: &str) -> SiteUrl {
        let (scheme, rest) = base_url.split_once("://").unwrap_or(("https", base_url));
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        SiteUrl {
            scheme: scheme.to_ascii_lowercase(),
            origin: format!("{}://{}", scheme, authority).to_ascii_lowercase(),
            path: path.trim_end_matches('/').to_string(),
        }
    }
}

/// What relative links on a page resolve against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// A folder of the site: `/2013/02/02/x/` (the page's own, or a `<base href>` inside the site).
    Site(String),
    /// A `<base href>` outside the site.
    Outside(String),
}

impl Base {
    /// The folder of the page written at `path` (`2013/02/02/x/index.html`,
    /// `404.html`): `/2013/02/02/x/`, `/`.
    pub fn of_page(path: &str) -> Base {
        let dir = path.rfind('/').map_or("", |i| &path[..=i]);
        Base::Site(format!("/{dir}"))
    }

    /// The base a `<base href>` sets on a page whose own base is `self`.
    pub fn with_href(&self, href: &str, site: &SiteUrl) -> Base {
        match resolve(href, self, site) {
            Link::Internal { path, .. } => Base::of_page(&path),
            Link::External(url) => Base::Outside(url),
            Link::Unchecked => self.clone(),
        }
    }
}

/// A link, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A file of the output: its path (`tags/x/index.html`; a folder link
    /// ends in `index.html`; one without its slash, `tags/x`, may be either),
    /// percent-decoded, and the decoded fragment, if any.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// An `http` or `https` URL outside the site, without its fragment.
    External(String),
    /// Not a link to check: empty, `mailto:`, `tel:`, `data:`, `javascript:`...
    Unchecked,
}

/// Resolves `raw` (an attribute value, references decoded) against `base`.
pub fn resolve(raw: &str, base: &Base, site: &SiteUrl) -> Link {
    let cleaned;
    let mut link = raw.trim_matches(|c: char| c <= ' ');
    if memchr::memchr3(b'\t', b'\n', b'\r', link.as_bytes()).is_some() {
        cleaned = link.replace(['\t', '\n', '\r'], "");
        link = &cleaned;
    }
    if link.is_empty() {
        return Link::Unchecked;
    }
    if let Some(plain) = plain_site_path(link) {
        return plain;
    }
    if let Some(scheme) = scheme_of(link) {
        return match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" => absolute(link, site),
            _ => Link::Unchecked,
        };
    }
    if link.starts_with("//") {
        return absolute(&format!("{}:{link}", site.scheme), site);
    }
    match base {
        Base::Site(_) if link.starts_with('/') => site_path(link),
        Base::Site(dir) => site_path(&format!("{dir}{link}")),
        Base::Outside(url) => match url::Url::parse(url).and_then(|u| u.join(link)) {
            Ok(joined) => absolute(joined.as_str(), site),
            Err(_) => Link::External(format!("{url}{link}")),
        },
    }
}

/// `/a/b/`, `/style.css`: a site path with nothing to decode, drop or
/// normalize (most links of a page), made into its file at once.
fn plain_site_path(link: &str) -> Option<Link> {
    let bytes = link.as_bytes();
    let plain = bytes.first() == Some(&b'/')
        && bytes.get(1) != Some(&b'/')
        && memchr::memchr3(b'%', b'#', b'?', bytes).is_none()
        && memchr::memmem::find(bytes, b"/.").is_none();
    if !plain {
        return None;
    }
    let mut path = String::with_capacity(link.len() + "index.html".len());
    path.push_str(&link[1..]);
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Some(Link::Internal {
        path,
        fragment: None,
    })
}

/// The scheme of an absolute URL (`https` of `https://x`), if it has one.
fn scheme_of(link: &str) -> Option<&str> {
    let colon = link.find(':')?;
    let scheme = &link[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// An `http(s)://` URL: the site's own when it is under `base_url`.
fn absolute(url: &str, site: &SiteUrl) -> Link {
    let inside = url
        .get(..site.origin.len())
        .filter(|origin| origin.eq_ignore_ascii_case(&site.origin))
        .map(|_| &url[site.origin.len()..])
        .and_then(|rest| rest.strip_prefix(site.path.as_str()))
        .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']));
    match inside {
        Some(rest) if rest.starts_with('/') => site_path(rest),
        Some(rest) => site_path(&format!("/{rest}")),
        None => Link::External(url.split('#').next().unwrap_or(url).to_string()),
    }
}

/// A path from the site's root (`/a/../b/?q#f`): dot segments removed,
/// query dropped, path and fragment percent-decoded.
fn site_path(link: &str) -> Link {
    let (rest, fragment) = match link.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (link, None),
    };
    let path = rest.split('?').next().unwrap_or(rest);
    let mut segments: Vec<&str> = Vec::new();
    let mut parts = path.split('/').skip(1).peekable();
    while let Some(segment) = parts.next() {
        let last = parts.peek().is_none();
        match segment {
            "." | "%2e" | "%2E" => {}
            ".." | ".%2e" | ".%2E" | "%2e." | "%2E." | "%2e%2e" | "%2E%2E" => {
                segments.pop();
            }
            _ => {
                segments.push(segment);
                continue;
            }
        }
        // A dot segment at the end names its folder: `/a/b/..` is `/a/`.
        if last {
            segments.push("");
        }
    }
    let mut path = percent_decode(&segments.join("/"));
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    let fragment = fragment
        .filter(|f| !f.is_empty() && !f.starts_with(":~:"))
        .map(percent_decode);
    Link::Internal { path, fragment }
}

/// `%20` and the like decoded (as UTF-8, lossily); `%` without two hex
/// digits kept; `%00` becomes U+FFFD.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let byte = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(byte as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    // A NUL names no file, and would end the target's path in its key.
    String::from_utf8_lossy(&out).replace('\0', "\u{FFFD}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Link {
        Link::Internal {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        }
    }

    fn on(page: &str, raw: &str) -> Link {
        let site = SiteUrl::new("https://News.Example");
        resolve(raw, &Base::of_page(page), &site)
    }

    #[test]
    fn site_paths_and_relative_links_become_output_files() {
        let page = "2013/02/02/x/index.html";
        assert_eq!(on(page, "/tags/x/"), internal("tags/x/index.html", None));
        assert_eq!(on(page, "/"), internal("index.html", None));
        assert_eq!(on(page, "/tags/x"), internal("tags/x", None));
        assert_eq!(on(page, "../y/"), internal("2013/02/02/y/index.html", None));
        assert_eq!(
            on(page, "../../../../tags/x/index.html"),
            internal("tags/x/index.html", None)
        );
        assert_eq!(on(page, "../../../../../../a.css"), internal("a.css", None));
        assert_eq!(on(page, "img.png"), internal("2013/02/02/x/img.png", None));
        assert_eq!(on(page, "./"), internal("2013/02/02/x/index.html", None));
        assert_eq!(on(page, ".."), internal("2013/02/02/index.html", None));
        assert_eq!(on("404.html", "style.css"), internal("style.css", None));
    }

    #[test]
    fn the_shortcut_for_plain_site_paths_agrees_with_the_long_way() {
        for link in [
            "/",
            "/a/",
            "/a/b",
            "/style.5197d3c4.css",
            "/a/b/index.html",
            "/a..b/",
        ] {
            assert_eq!(plain_site_path(link), Some(site_path(link)), "{link}");
        }
        for link in [
            "/a/./b/", "/a/../b/", "/a%20b/", "/a/#x", "/a/?q", "//cdn/x", "a/",
        ] {
            assert_eq!(plain_site_path(link), None, "{link}");
        }
    }

    #[test]
    fn fragments_and_queries_are_split_off_and_decoded() {
        let page = "a/index.html";
        assert_eq!(on(page, "#main"), internal("a/index.html", Some("main")));
        assert_eq!(
            on(page, "/b/?q=1#caf%C3%A9"),
            internal("b/index.html", Some("café"))
        );
        assert_eq!(on(page, "/b/#"), internal("b/index.html", None));
        assert_eq!(on(page, "/b/#:~:text=x"), internal("b/index.html", None));
        assert_eq!(
            on(page, "/f%C3%AAte%20x/"),
            internal("fête x/index.html", None)
        );
    }

    #[test]
    fn urls_under_the_base_url_are_the_sites_own() {
        let page = "index.html";
        assert_eq!(
            on(page, "https://news.example/2013/x/"),
            internal("2013/x/index.html", None)
        );
        assert_eq!(
            on(page, "HTTPS://NEWS.EXAMPLE"),
            internal("index.html", None)
        );
        assert_eq!(on(page, "//news.example/a.css"), internal("a.css", None));
        assert_eq!(
            on(page, "https://news.example.org/x"),
            Link::External("https://news.example.org/x".into())
        );
        assert_eq!(
            on(page, "http://news.example/x"),
            Link::External("http://news.example/x".into())
        );
        assert_eq!(
            on(page, "https://other.example/x?y=1#z"),
            Link::External("https://other.example/x?y=1".into())
        );
        let site = SiteUrl::new("https://example.org/archive/");
        let base = Base::of_page("index.html");
        assert_eq!(
            resolve("https://example.org/archive/tags/", &base, &site),
            internal("tags/index.html", None)
        );
        assert_eq!(
            resolve("https://example.org/archived/", &base, &site),
            Link::External("https://example.org/archived/".into())
        );
    }

    #[test]
    fn other_schemes_and_empty_links_are_not_checked() {
        for raw in [
            "",
            "  ",
            "mailto:a@b.c",
            "tel:+1",
            "javascript:void(0)",
            "data:image/png;base64,AA",
            "ftp://x/",
        ] {
            assert_eq!(on("index.html", raw), Link::Unchecked, "{raw:?}");
        }
    }

    #[test]
    fn a_base_element_moves_where_relative_links_point() {
        let site = SiteUrl::new("https://news.example");
        let page = Base::of_page("a/b/index.html");
        let inside = page.with_href("/c/", &site);
        assert_eq!(resolve("x.png", &inside, &site), internal("c/x.png", None));
        let outside = page.with_href("https://cdn.example/s/", &site);
        assert_eq!(
            resolve("x.png", &outside, &site),
            Link::External("https://cdn.example/s/x.png".into())
        );
        assert_eq!(
            resolve("/y/", &inside, &site),
            internal("y/index.html", None)
        );
    }
}
