//! Content-Type of a built file, from its name alone. Shared by deploy (S3 headers) and
//! the preview server; it reads no file and knows nothing of targets.

use std::path::Path;

/// The Content-Type a static host should send for `path`, chosen from its file name.
/// Text types carry `charset=utf-8` because the build writes UTF-8 only. Unknown kinds
/// get `application/octet-stream`, so a browser downloads rather than guesses.
pub fn content_type(path: &Path) -> &'static str {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return OCTET_STREAM;
    };
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        // Netlify / Cloudflare Pages control files and other extension-less texts.
        "_redirects" | "_headers" | "cname" | "license" | "readme" => return TEXT,
        "atom.xml" => return "application/atom+xml; charset=utf-8",
        "rss.xml" => return "application/rss+xml; charset=utf-8",
        _ => {}
    }
    let ext = match lower.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        _ => return OCTET_STREAM,
    };
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" | "xsl" | "xslt" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "json" | "map" => "application/json",
        "jsonld" => "application/ld+json",
        "webmanifest" => "application/manifest+json",
        "txt" | "conf" => TEXT,
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => OCTET_STREAM,
    }
}

const TEXT: &str = "text/plain; charset=utf-8";
const OCTET_STREAM: &str = "application/octet-stream";

#[cfg(test)]
mod tests {
    use super::*;

    fn ct(name: &str) -> &'static str {
        content_type(Path::new(name))
    }

    #[test]
    fn pages_styles_and_scripts_are_utf8_text() {
        assert_eq!(
            ct("2013/02/02/lavrov/index.html"),
            "text/html; charset=utf-8"
        );
        assert_eq!(ct("404.HTML"), "text/html; charset=utf-8");
        assert_eq!(ct("style.3f2a9c1b.css"), "text/css; charset=utf-8");
        assert_eq!(ct("app.js"), "text/javascript; charset=utf-8");
    }

    #[test]
    fn feeds_are_named_by_their_kind() {
        assert_eq!(ct("atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(
            ct("tags/russia/rss.xml"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(ct("sitemap-2013.xml"), "application/xml; charset=utf-8");
        assert_eq!(ct("feed.json"), "application/json");
    }

    #[test]
    fn images_fonts_and_maps() {
        assert_eq!(ct("logo.svg"), "image/svg+xml");
        assert_eq!(ct("a.png"), "image/png");
        assert_eq!(ct("a.JPG"), "image/jpeg");
        assert_eq!(ct("a.jpeg"), "image/jpeg");
        assert_eq!(ct("a.gif"), "image/gif");
        assert_eq!(ct("a.webp"), "image/webp");
        assert_eq!(ct("favicon.ico"), "image/x-icon");
        assert_eq!(ct("f.woff2"), "font/woff2");
        assert_eq!(ct("app.js.map"), "application/json");
    }

    #[test]
    fn control_files_are_plain_text() {
        assert_eq!(ct("_redirects"), "text/plain; charset=utf-8");
        assert_eq!(ct("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(ct("redirects.nginx.conf"), "text/plain; charset=utf-8");
    }

    #[test]
    fn unknown_and_dotfiles_are_octet_stream() {
        assert_eq!(ct("data.bin"), "application/octet-stream");
        assert_eq!(ct("Makefile"), "application/octet-stream");
        assert_eq!(ct(".htaccess"), "application/octet-stream");
    }
}
