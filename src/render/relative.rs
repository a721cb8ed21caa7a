//! `relative_urls = true`: a rendered page's site paths (`href="/tags/x/"`)
//! rewritten relative to the page itself (`href="../../tags/x/index.html"`),
//! so the output works opened from disk or served from any sub-folder.
//! Folder links get `index.html`, which a file browser does not add.
//! Absolute URLs (`https://…`, `//cdn…`), fragments and relative links are
//! left as they are.

/// Attributes whose value is a URL, or (`srcset`) a list of URLs each
/// followed by a width or density.
const ATTRIBUTES: [&[u8]; 5] = [
    b" href=\"",
    b" src=\"",
    b" action=\"",
    b" poster=\"",
    b" srcset=\"",
];

/// `html` with every site path in a URL attribute made relative to the page
/// at `page_url` (a site path: `/2013/02/03/x/`, `/404.html`).
pub fn relativize(html: &[u8], page_url: &str, out: &mut Vec<u8>) {
    let prefix = prefix(page_url);
    out.clear();
    out.reserve(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((at, len)) = next_attribute(rest) {
        let value_start = at + len;
        out.extend_from_slice(&rest[..value_start]);
        rest = &rest[value_start..];
        let end = memchr::memchr(b'"', rest).unwrap_or(rest.len());
        let value = &rest[..end];
        if len == b" srcset=\"".len() {
            for (i, candidate) in value.split(|&b| b == b',').enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let lead = candidate.len() - candidate.trim_ascii_start().len();
                out.extend_from_slice(&candidate[..lead]);
                push_url(&candidate[lead..], &prefix, out);
            }
        } else {
            push_url(value, &prefix, out);
        }
        rest = &rest[end..];
    }
    out.extend_from_slice(rest);
}

/// `value` (a URL, perhaps followed by a srcset descriptor), relative to
/// the page when it is a site path.
fn push_url(value: &[u8], prefix: &str, out: &mut Vec<u8>) {
    if value.starts_with(b"/") && !value.starts_with(b"//") {
        let url_end = value
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(value.len());
        out.extend_from_slice(prefix.as_bytes());
        push_target(&value[1..url_end], out);
        out.extend_from_slice(&value[url_end..]);
    } else {
        out.extend_from_slice(value);
    }
}

/// `../` once per folder of the page's own folder (`./` at the root).
fn prefix(page_url: &str) -> String {
    let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
    let depth = dir.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The earliest URL attribute in `html`: its offset and the length of
/// ` name="`.
fn next_attribute(html: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'=', &html[from..]) {
        let eq = from + i;
        if html.get(eq + 1) == Some(&b'"') {
            for attr in ATTRIBUTES {
                let start = (eq + 2).checked_sub(attr.len());
                if start.is_some_and(|s| html[s..eq + 2].eq_ignore_ascii_case(attr)) {
                    return start.map(|s| (s, attr.len()));
                }
            }
        }
        from = eq + 1;
    }
    None
}

/// A site path without its leading `/`, with `index.html` added to a folder.
fn push_target(path: &[u8], out: &mut Vec<u8>) {
    let end = path
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .unwrap_or(path.len());
    let (file, tail) = path.split_at(end);
    out.extend_from_slice(file);
    if file.is_empty() || file.ends_with(b"/") {
        out.extend_from_slice(b"index.html");
    }
    out.extend_from_slice(tail);
}

#[cfg(test)]
mod tests {
    use super::relativize;

    fn rel(html: &str, page: &str) -> String {
        let mut out = Vec::new();
        relativize(html.as_bytes(), page, &mut out);
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn site_paths_become_relative_to_the_page() {
        let html = r##"<a href="/">Home</a><link rel="stylesheet" href="/style.0123456789abcdef.css"><a href="/tags/x/#top">x</a><img src="/img/a.png?v=1" alt="">"##;
        assert_eq!(
            rel(html, "/2013/02/03/story/"),
            r##"<a href="../../../../index.html">Home</a><link rel="stylesheet" href="../../../../style.0123456789abcdef.css"><a href="../../../../tags/x/index.html#top">x</a><img src="../../../../img/a.png?v=1" alt="">"##
        );
        assert_eq!(
            rel(r#"<a href="/">Home</a><a href="/tags/x/">x</a>"#, "/"),
            r#"<a href="./index.html">Home</a><a href="./tags/x/index.html">x</a>"#
        );
    }

    #[test]
    fn every_candidate_of_a_srcset_becomes_relative() {
        let html = r#"<source srcset="/2020/01/02/a/lead-480w.webp 480w, /2020/01/02/a/lead-800w.webp 800w"><img srcset="photo-480w.jpg 480w,https://cdn.example/x.jpg 2x, /x.jpg 3x">"#;
        assert_eq!(
            rel(html, "/tags/x/"),
            r#"<source srcset="../../2020/01/02/a/lead-480w.webp 480w, ../../2020/01/02/a/lead-800w.webp 800w"><img srcset="photo-480w.jpg 480w,https://cdn.example/x.jpg 2x, ../../x.jpg 3x">"#
        );
    }

    #[test]
    fn other_urls_and_text_are_left_alone() {
        let html = r##"<a href="https://x.example/">a</a><a href="//cdn.example/a.js">b</a><a href="#note">c</a><a href="photo.jpg">d</a><p>href="/not-an-attribute/"</p><a data-href="/x/">e</a>"##;
        assert_eq!(rel(html, "/404.html"), html);
    }
}
