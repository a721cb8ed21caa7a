//! The files an article uses: images and links to files beside it (read from
//! its Markdown body and its raw HTML), and its lead image with caption,
//! credit, alt text and crop focus from the front matter. Pure: what a
//! reference points at is settled by `crate::media`, which knows the files.

use serde::Serialize;

/// One reference from an article to a file, as written, with its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaRef {
    /// The path as written (percent-escapes decoded, no `?query` or `#part`),
    /// relative to the article's file: `photo.jpg`, `files/report.pdf`.
    pub target: String,
    /// 1-based line in the source file.
    pub line: u32,
    pub kind: MediaKind,
}

/// How an article uses a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    /// `![alt](src)` or `<img src>`: shown in the body.
    Image,
    /// `[text](file.pdf)` or `<a href>`: linked.
    Link,
    /// The front matter's `image`: the lead image.
    Lead,
}

/// What the front matter says about the lead image (`image_*` keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImageMeta {
    /// `image_alt`: the text that stands for the image.
    pub alt: Option<String>,
    /// `image_caption`: plain text under the image.
    pub caption: Option<String>,
    /// `image_figcaption` (18F's): a caption with links, as sanitised HTML.
    pub figcaption_html: Option<String>,
    /// `image_credit`: who made it.
    pub credit: Option<String>,
    /// `image_focus = "x,y"`: the point crops keep in view, as fractions of
    /// the width and height (the centre when absent).
    pub focus: Option<(f32, f32)>,
}

impl ImageMeta {
    pub fn is_empty(&self) -> bool {
        *self == ImageMeta::default()
    }
}

/// Whether `href` names a file relative to the page (`photo.jpg`,
/// `img/a.png`, `../x.pdf`), not a URL with a scheme, a site path, a
/// fragment or a query. Returns the path part, decoded.
pub fn local_target(href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with(['/', '#', '?', '\\']) {
        return None;
    }
    if let Some((scheme, _)) = href.split_once(':') {
        if !scheme.contains(['/', '?', '#']) {
            return None;
        }
    }
    // Template debris left as text (`{{ image }}`) is not a file name.
    if href.contains("{{") || href.contains("{%") {
        return None;
    }
    let path = href.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() {
        return None;
    }
    Some(percent_decode(path))
}

/// Whether a link to `target` asks for a file the site must have (a PDF, a
/// sound, a picture) rather than a page (`other.md`, `page.html`, `folder/`).
pub fn links_a_file(target: &str) -> bool {
    if target.ends_with('/') {
        return false;
    }
    let name = target.rsplit('/').next().unwrap_or(target);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let ext = ext.to_ascii_lowercase();
    !ext.is_empty()
        && !matches!(
            ext.as_str(),
            "md" | "markdown" | "txt" | "html" | "htm" | "php" | "asp" | "aspx" | "gz"
        )
}

/// Whether `target` ends in the extension of a kind of file sites publish
/// (documents, pictures, sound, video, archives, data). A link to a missing
/// file is an error only for these: `name@example.gov` is a mistyped address.
pub fn known_file_type(target: &str) -> bool {
    let name = target.rsplit('/').next().unwrap_or(target);
    let ext = name
        .rsplit_once('.')
        .map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_str(),
        "pdf"
            | "doc"
            | "docx"
            | "xls"
            | "xlsx"
            | "ppt"
            | "pptx"
            | "odt"
            | "ods"
            | "odp"
            | "rtf"
            | "epub"
            | "csv"
            | "tsv"
            | "json"
            | "xml"
            | "zip"
            | "tar"
            | "7z"
            | "mp3"
            | "m4a"
            | "ogg"
            | "oga"
            | "opus"
            | "wav"
            | "flac"
            | "aac"
            | "mp4"
            | "m4v"
            | "webm"
            | "mov"
            | "ogv"
            | "mkv"
            | "avi"
            | "jpg"
            | "jpeg"
            | "png"
            | "gif"
            | "webp"
            | "avif"
            | "svg"
            | "tif"
            | "tiff"
            | "bmp"
            | "kml"
            | "kmz"
            | "gpx"
            | "geojson"
            | "vtt"
            | "srt"
    )
}

/// `%20` and friends decoded; a malformed escape is kept as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The values of `attr` on every `tag` element in a piece of raw HTML
/// (`<img src="a.jpg">`), with the byte offset of each tag.
pub fn html_attrs<'a>(html: &'a str, tag: &str, attr: &str) -> Vec<(usize, &'a str)> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(at) = lower[from..].find(&open) {
        let start = from + at;
        let after = start + open.len();
        from = after;
        if !lower[after..].starts_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let end = lower[after..].find('>').map_or(lower.len(), |e| after + e);
        if let Some(v) = attr_value(&html[after..end], &lower[after..end], attr) {
            found.push((start, v));
        }
        from = end;
    }
    found
}

/// The value of `attr` in the inside of one tag (`lower` is it in lower case).
fn attr_value<'a>(inside: &'a str, lower: &str, attr: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(at) = lower[from..].find(attr) {
        let start = from + at;
        from = start + attr.len();
        let before_ok = start == 0 || lower.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = inside.len() - rest.len() + 1;
        let value = inside[value_at..].trim_start();
        return Some(match value.chars().next()? {
            q @ ('"' | '\'') => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        });
    }
    None
}

/// `"0.3,0.6"` as a focus point: two fractions between 0 and 1.
pub fn parse_focus(text: &str) -> Result<(f32, f32), String> {
    let bad = || {
        format!(
            "`image_focus` must be two fractions `\"x,y\"` between 0 and 1 (`\"0.5,0.5\"` is the centre), not `{text}`"
        )
    };
    let (x, y) = text.split_once(',').ok_or_else(bad)?;
    let x: f32 = x.trim().parse().map_err(|_| bad())?;
    let y: f32 = y.trim().parse().map_err(|_| bad())?;
    if !(0.0..=1.0).contains(&x) || !(0.0..=1.0).contains(&y) {
        return Err(bad());
    }
    Ok((x, y))
}

/// A caption written as HTML (18F's `image_figcaption`) kept to text,
/// links (`http`, `https`, `mailto`, site paths) and emphasis; everything
/// else is dropped, its text kept and escaped.
pub fn sanitize_caption(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len());
    for child in fragment.root_element().children() {
        write_inline(child, &mut out);
    }
    out.trim().to_string()
}

fn write_inline(node: ego_tree::NodeRef<'_, scraper::Node>, out: &mut String) {
    match node.value() {
        scraper::Node::Text(t) => out.push_str(&crate::escape::html(t)),
        scraper::Node::Element(e) => {
            let name = e.name();
            if matches!(name, "script" | "style" | "template") {
                return;
            }
            let keep = match name {
                "em" | "strong" | "i" | "b" | "cite" | "small" => Some(String::new()),
                "a" => e
                    .attr("href")
                    .filter(|h| safe_href(h))
                    .map(|h| format!(" href=\"{}\"", crate::escape::html(h))),
                _ => None,
            };
            if let Some(attrs) = &keep {
                out.push_str(&format!("<{name}{attrs}>"));
            }
            for child in node.children() {
                write_inline(child, out);
            }
            if keep.is_some() {
                out.push_str(&format!("</{name}>"));
            }
        }
        _ => {}
    }
}

fn safe_href(h: &str) -> bool {
    let lower = h.trim().to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_relative_to_the_page_are_local_files() {
        assert_eq!(local_target("photo.jpg").as_deref(), Some("photo.jpg"));
        assert_eq!(
            local_target("img/my%20photo.jpg?v=2#x").as_deref(),
            Some("img/my photo.jpg")
        );
        assert_eq!(local_target("../x.pdf").as_deref(), Some("../x.pdf"));
        for not in [
            "/assets/a.png",
            "https://example.com/a.png",
            "mailto:a@b",
            "data:image/png;base64,xx",
            "#top",
            "{{ image | url }}",
            "",
        ] {
            assert_eq!(local_target(not), None, "{not}");
        }
    }

    #[test]
    fn links_to_pages_are_not_file_references() {
        assert!(links_a_file("report.pdf"));
        assert!(links_a_file("audio/interview.MP3"));
        for page in ["other.md", "page.html", "folder/", "README", "x.txt"] {
            assert!(!links_a_file(page), "{page}");
        }
        assert!(known_file_type("a/Report.PDF"));
        assert!(!known_file_type("name@example.gov"));
    }

    #[test]
    fn img_sources_are_read_from_raw_html() {
        let html = r#"<p>a</p><IMG class="x" SRC="one.jpg"><img src='two.png' alt=""><img data-src="no.jpg"><imgx src="no">"#;
        let found: Vec<&str> = html_attrs(html, "img", "src")
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(found, ["one.jpg", "two.png"]);
    }

    #[test]
    fn a_focus_is_two_fractions() {
        assert_eq!(parse_focus("0.25, 0.75"), Ok((0.25, 0.75)));
        assert!(parse_focus("1.5,0").is_err());
        assert!(parse_focus("centre").is_err());
    }

    #[test]
    fn captions_keep_links_and_emphasis_only() {
        assert_eq!(
            sanitize_caption(
                r#"Photo by <a href="https://x.org/p" onclick="evil()">Ann</a>; <em>CC</em> <script>alert(1)</script><img src=x onerror=y> & co"#
            ),
            r#"Photo by <a href="https://x.org/p">Ann</a>; <em>CC</em>  &amp; co"#
        );
        assert_eq!(
            sanitize_caption(r#"<a href="javascript:alert(1)">x</a>"#),
            "x"
        );
    }
}
