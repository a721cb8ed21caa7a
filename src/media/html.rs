//! Photos as HTML: `<picture>` with a WebP `<source>`, `srcset`, `sizes`,
//! `width` and `height` (no layout shift) and `loading="lazy"` on all but
//! the page's first image. `responsive_body` puts them in place of a body's
//! `<img>` tags that show a photo the article carries. Pure text to text.

use std::borrow::Cow;

use super::photo::{Layout, Raster, crop_name, variant_name};
use crate::article::media::local_target;
use crate::escape::html as escape;

/// The parts of a responsive image, as templates and the body use them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Responsive {
    /// The fallback: the widest variant in the photo's own format.
    pub src: String,
    /// Variants in the photo's own format (`a-480w.jpg 480w, ...`).
    pub srcset: String,
    /// The same widths in WebP; empty when the photo is a WebP.
    pub webp_srcset: String,
    pub width: u32,
    pub height: u32,
    /// The fallback's type, for `<source type>` siblings.
    pub mime: &'static str,
}

impl Responsive {
    /// For the photo referred to as `target` (`img/photo.jpg`) from its page.
    pub fn new(target: &str, layout: &Layout) -> Responsive {
        let (dir, name) = target
            .rsplit_once('/')
            .map_or(("", target), |(d, n)| (d, n));
        let at = |file: &str| {
            let mut s = String::with_capacity(dir.len() + file.len() + 1);
            if !dir.is_empty() {
                s.push_str(dir);
                s.push('/');
            }
            s.push_str(file);
            url_path(&s)
        };
        let own = |w: u32| {
            if w == layout.width {
                at(name)
            } else if layout.format == Raster::WebP {
                at(&variant_name(name, w, true))
            } else {
                at(&variant_name(name, w, false))
            }
        };
        let list = |f: &dyn Fn(u32) -> String| {
            layout
                .variants
                .iter()
                .map(|v| format!("{} {}w", f(v.width), v.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let widest = layout.variants.last();
        let webp = layout.format != Raster::WebP;
        Responsive {
            src: widest.map_or_else(|| at(name), |v| own(v.width)),
            srcset: list(&own),
            webp_srcset: if webp {
                list(&|w| at(&variant_name(name, w, true)))
            } else {
                String::new()
            },
            width: widest.map_or(layout.width, |v| v.width),
            height: widest.map_or(layout.height, |v| v.height),
            mime: layout.format.mime(),
        }
    }

    /// `<picture>` with `attrs` (already escaped `name="value"` pairs such
    /// as `alt`) on its `<img>`.
    pub fn picture(&self, attrs: &str, sizes: &str, lazy: bool) -> String {
        let mut out = String::with_capacity(512);
        out.push_str("<picture>");
        if !self.webp_srcset.is_empty() {
            out.push_str(&format!(
                "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
                escape(&self.webp_srcset),
                escape(sizes)
            ));
        }
        out.push_str(&format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{}\" height=\"{}\"{attrs}",
            escape(&self.src),
            escape(&self.srcset),
            escape(sizes),
            self.width,
            self.height
        ));
        if lazy {
            out.push_str(" loading=\"lazy\"");
        }
        out.push_str(" decoding=\"async\"></picture>");
        out
    }
}

/// The crops of a lead image referred to as `target`, as (label, path from
/// the page, width, height).
pub fn crops(target: &str, layout: &Layout) -> Vec<(&'static str, String, u32, u32)> {
    let (dir, name) = target
        .rsplit_once('/')
        .map_or(("", target), |(d, n)| (d, n));
    layout
        .crops
        .iter()
        .map(|c| {
            let file = crop_name(name, c.label);
            let path = if dir.is_empty() {
                file
            } else {
                format!("{dir}/{file}")
            };
            (c.label, url_path(&path), c.width, c.height)
        })
        .collect()
}

/// A body with every `<img>` that shows one of `photos` (by the target it
/// is written with) made responsive. Images count from the page's first:
/// `first` is the number of images shown before the body (a lead image), and
/// only the page's first image loads eagerly.
pub fn responsive_body<'b>(
    body: &'b str,
    photos: &[(String, std::sync::Arc<Layout>)],
    sizes: &str,
    first: usize,
) -> Cow<'b, str> {
    if photos.is_empty() || !body.contains("<img") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 1024);
    let mut rest = body;
    let mut seen = first;
    while let Some(at) = rest.find("<img") {
        let Some(len) = rest[at..].find('>') else {
            break;
        };
        let tag = &rest[at..at + len + 1];
        out.push_str(&rest[..at]);
        rest = &rest[at + len + 1..];
        if !tag[4..].starts_with(|c: char| c.is_ascii_whitespace()) {
            out.push_str(tag);
            continue;
        }
        let attrs = attributes(tag);
        let photo = attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("src"))
            .and_then(|(_, v)| local_target(&unescape(v)))
            .and_then(|t| photos.iter().find(|(target, _)| *target == t));
        match photo {
            Some((target, layout)) => {
                let kept: String = attrs
                    .iter()
                    .filter(|(n, _)| !DROPPED.iter().any(|d| n.eq_ignore_ascii_case(d)))
                    .map(|(n, v)| format!(" {n}=\"{v}\""))
                    .collect();
                let r = Responsive::new(target, layout);
                out.push_str(&r.picture(&kept, sizes, seen > 0));
            }
            None => out.push_str(tag),
        }
        seen += 1;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Attributes of an `<img>` that the responsive markup sets itself.
const DROPPED: [&str; 7] = [
    "src", "srcset", "sizes", "width", "height", "loading", "decoding",
];

/// The attributes of one tag as (name, value as written, quotes removed);
/// a value in single quotes or none gets its `"` escaped.
fn attributes(tag: &str) -> Vec<(&str, String)> {
    let inner = tag
        .trim_start_matches("<img")
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut out = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = after[1..].find(q).map_or(after.len(), |e| e + 1);
                    (&after[1..end], after.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = tail.trim_start();
            value.replace('"', "&quot;")
        } else {
            String::new()
        };
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// The few entities pulldown-cmark writes in attribute values.
fn unescape(v: &str) -> String {
    v.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A relative path as a URL path: spaces, commas and other characters that
/// would break a `srcset` are percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ImagesConfig;
    use crate::media::photo::Probe;

    fn layout(w: u32, h: u32, format: Raster) -> std::sync::Arc<Layout> {
        let probe = Probe {
            width: w,
            height: h,
            orientation: 1,
        };
        std::sync::Arc::new(Layout::new(
            format,
            probe,
            &ImagesConfig::default(),
            true,
            None,
        ))
    }

    #[test]
    fn a_body_photo_becomes_a_picture_with_srcsets_and_size() {
        let photos = vec![("img/fire.jpg".to_string(), layout(3000, 2000, Raster::Jpeg))];
        let body = "<p>x</p><figure><img src=\"img/fire.jpg\" alt=\"The &quot;fire&quot;\" /><figcaption>c</figcaption></figure><img src=\"https://x.org/a.png\" alt=\"\">";
        let out = responsive_body(body, &photos, "100vw", 0);
        assert_eq!(
            out,
            "<p>x</p><figure><picture><source type=\"image/webp\" srcset=\"img/fire-480w.webp 480w, img/fire-800w.webp 800w, img/fire-1200w.webp 1200w, img/fire-1600w.webp 1600w\" sizes=\"100vw\"><img src=\"img/fire-1600w.jpg\" srcset=\"img/fire-480w.jpg 480w, img/fire-800w.jpg 800w, img/fire-1200w.jpg 1200w, img/fire-1600w.jpg 1600w\" sizes=\"100vw\" width=\"1600\" height=\"1067\" alt=\"The &quot;fire&quot;\" decoding=\"async\"></picture><figcaption>c</figcaption></figure><img src=\"https://x.org/a.png\" alt=\"\">"
        );
        let after_lead = responsive_body(body, &photos, "100vw", 1);
        assert!(after_lead.contains(" loading=\"lazy\""), "{after_lead}");
    }

    #[test]
    fn a_small_photo_is_its_own_widest_variant() {
        let r = Responsive::new("a b.png", &layout(1000, 500, Raster::Png));
        assert_eq!(r.src, "a%20b.png");
        assert_eq!(
            r.srcset,
            "a%20b-480w.png 480w, a%20b-800w.png 800w, a%20b.png 1000w"
        );
        assert_eq!((r.width, r.height), (1000, 500));
        let w = Responsive::new("c.webp", &layout(900, 600, Raster::WebP));
        assert_eq!(w.srcset, "c-480w.webp 480w, c-800w.webp 800w, c.webp 900w");
        assert_eq!(w.webp_srcset, "");
    }
}
