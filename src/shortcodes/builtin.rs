//! The HTML the common tags become. Every value that reaches HTML from a tag
//! is escaped, except what WordPress itself treats as HTML (the inside of
//! `[caption]`).

use std::borrow::Cow;

use super::syntax::{self, RawTag};
use super::{Args, Context, Markup, Syntax};
use crate::xml::escape;

/// The prefix of a link to another article by its source path or name,
/// resolved once the archive knows every URL (`super::resolve_refs`).
pub const REF_SCHEME: &str = "broadsheet-ref:";

/// What became of one tag: its name as reported, and its HTML (`None`: no
/// translation; `Err`: a site template failed).
pub struct Outcome {
    pub name: String,
    pub html: Option<Result<String, String>>,
}

/// Translates one tag. `whole_line`: it stands alone on its line, so a block
/// element may replace it.
pub fn translate(tag: &RawTag<'_>, cx: &Context, whole_line: bool) -> Outcome {
    let args = syntax::parse_args(tag.rest);
    let mut name = tag.name.to_string();
    let html = match tag.syntax {
        Syntax::Liquid => liquid(tag, &args, &mut name),
        Syntax::LiquidOutput => return output(tag.rest, cx),
        Syntax::Hugo => hugo(tag, &args),
        Syntax::WordPress => wordpress(tag, &args, cx),
    };
    let html = match html {
        Some(html) => Some(Ok(html)),
        None => site(cx, &name, &args, tag.body),
    };
    let html = html.map(|r| r.map(|h| placed(h, cx.markup, whole_line)));
    Outcome { name, html }
}

/// Block HTML alone on a Markdown line gets a blank line after it, so the
/// next line is read as Markdown again rather than as part of the HTML block.
fn placed(html: String, markup: Markup, whole_line: bool) -> String {
    if markup == Markup::Markdown && whole_line && html.starts_with('<') {
        html + "\n"
    } else {
        html
    }
}

fn site(
    cx: &Context,
    name: &str,
    args: &Args,
    body: Option<&str>,
) -> Option<Result<String, String>> {
    let site = cx.site.filter(|s| s.has(name))?;
    Some(site.render(name, args, body))
}

fn liquid(tag: &RawTag<'_>, args: &Args, name: &mut String) -> Option<String> {
    match tag.name {
        "raw" => tag.body.map(str::to_string),
        "endraw" => Some(String::new()),
        "comment" => tag.body.map(|_| String::new()),
        "highlight" => tag.body.map(|b| code_block(args.positional.first(), b)),
        "image" => {
            let src = args.get_or("src", 0)?;
            Some(img(
                &site_path(src),
                args.get_or("alt", 1).unwrap_or(""),
                None,
            ))
        }
        "include" | "include_relative" | "render" => {
            // An include becomes the site's shortcode of the same name.
            let file = args.positional.first()?;
            let stem = file.rsplit('/').next().unwrap_or(file);
            *name = stem.split('.').next().unwrap_or(stem).to_string();
            None
        }
        "post_url" | "link" => args.positional.first().map(|t| ref_url(t)),
        "youtube" => args
            .get_or("id", 0)
            .map(|id| youtube(id, args.get("title"))),
        _ => None,
    }
}

fn hugo(tag: &RawTag<'_>, args: &Args) -> Option<String> {
    match tag.name {
        // `{{</* name */>}}` is Hugo's way to show a shortcode as text.
        n if n.starts_with("/*") => {
            let inner = format!("{n} {}", tag.rest);
            let inner = inner.trim_start_matches("/*").trim_end_matches("*/").trim();
            Some(format!("{{{{&lt; {} &gt;}}}}", escape(inner)))
        }
        "figure" => Some(figure(args)),
        "youtube" => args
            .get_or("id", 0)
            .map(|id| youtube(id, args.get("title"))),
        "vimeo" => args.get_or("id", 0).map(|id| {
            let url = format!("https://vimeo.com/{id}");
            link(&url, args.get("title").unwrap_or("Video on Vimeo"))
        }),
        "ref" | "relref" => args.get_or("path", 0).map(ref_url),
        "highlight" => tag.body.map(|b| code_block(args.positional.first(), b)),
        "gist" => {
            let (user, id) = (args.get_or("user", 0)?, args.get_or("id", 1)?);
            Some(link(
                &format!("https://gist.github.com/{user}/{id}"),
                "Gist",
            ))
        }
        "x" | "tweet" | "twitter" => {
            let (user, id) = (args.get_or("user", 0)?, args.get_or("id", 1)?);
            let url = format!("https://x.com/{user}/status/{id}");
            Some(link(&url, &format!("Post by @{user}")))
        }
        "instagram" => args.get_or("id", 0).map(|id| {
            link(
                &format!("https://www.instagram.com/p/{id}/"),
                "Instagram post",
            )
        }),
        _ => None,
    }
}

/// WordPress's own shortcodes (translated when they can be).
pub fn is_wordpress(name: &str) -> bool {
    matches!(
        name,
        "caption" | "wp_caption" | "embed" | "gallery" | "audio" | "video"
    )
}

fn wordpress(tag: &RawTag<'_>, args: &Args, cx: &Context) -> Option<String> {
    match tag.name {
        "caption" | "wp_caption" => Some(caption(args, tag.body.unwrap_or(""))),
        "embed" => {
            let url = tag.body.map(str::trim).filter(|u| !u.is_empty())?;
            Some(link(url, url))
        }
        "gallery" => gallery(args, cx),
        "audio" | "video" => media(tag.name, args, tag.body),
        _ => None,
    }
}

/// `{{ value | filter | ... }}`: a literal or a page variable through the
/// filters we know; an unknown filter is the site's shortcode of that name,
/// given the value and the filter's arguments.
fn output(expr: &str, cx: &Context) -> Outcome {
    let parts = syntax::split_filters(expr);
    let value = parts[0];
    let mut name = value.to_string();
    let mut current = syntax::literal(value).or_else(|| variable(value, cx));
    for filter in &parts[1..] {
        let (fname, fargs) = syntax::filter_parts(filter);
        name = fname.to_string();
        let Some(v) = current.take() else { break };
        current = match fname {
            "url" | "relative_url" | "strip" => Some(v.trim().to_string()),
            "absolute_url" => Some(format!("{}{v}", (cx.vars)("site.url").unwrap_or_default())),
            "escape" | "xml_escape" | "escape_once" => Some(v),
            _ => {
                let mut args = fargs;
                args.positional.insert(0, v);
                let html = site(cx, fname, &args, None);
                return Outcome { name, html };
            }
        };
    }
    Outcome {
        name,
        html: current.map(|v| Ok(escape(&v).into_owned())),
    }
}

/// `page.KEY` or `KEY` (front matter), `site.KEY` (the site).
fn variable(path: &str, cx: &Context) -> Option<String> {
    let ok = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    if !ok {
        return None;
    }
    if path.starts_with("site.") {
        return (cx.vars)(path);
    }
    (cx.vars)(path.strip_prefix("page.").unwrap_or(path))
}

/// A path from the site root, as Eleventy's and Jekyll's image tags read
/// them (`assets/x.png` is `/assets/x.png`); URLs and explicit paths stay.
fn site_path(src: &str) -> Cow<'_, str> {
    if src.contains("://") || src.starts_with(['/', '.', '#']) || src.starts_with("data:") {
        Cow::Borrowed(src)
    } else {
        Cow::Owned(format!("/{src}"))
    }
}

fn img(src: &str, alt: &str, class: Option<&str>) -> String {
    let class = class
        .map(|c| format!(" class=\"{}\"", escape(c)))
        .unwrap_or_default();
    format!(
        "<img src=\"{}\" alt=\"{}\"{class}>",
        escape(src),
        escape(alt)
    )
}

fn link(url: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape(url), escape(text))
}

fn youtube(id: &str, title: Option<&str>) -> String {
    let url = format!("https://www.youtube.com/watch?v={id}");
    link(&url, title.unwrap_or("Video on YouTube"))
}

fn code_block(lang: Option<&String>, code: &str) -> String {
    let class = lang
        .map(|l| format!(" class=\"language-{}\"", escape(l)))
        .unwrap_or_default();
    let code = code.strip_prefix('\n').unwrap_or(code);
    format!("<pre><code{class}>{}</code></pre>", escape(code))
}

/// Hugo's `figure`: an image, optionally linked, with a title and caption.
fn figure(args: &Args) -> String {
    let src = args.get_or("src", 0).unwrap_or("");
    let alt = args.get("alt").or(args.get("caption")).unwrap_or("");
    let mut image = img(src, alt, None);
    if let Some(href) = args.get("link") {
        image = format!("<a href=\"{}\">{image}</a>", escape(href));
    }
    let mut caption = String::new();
    if let Some(t) = args.get("title") {
        caption.push_str(&format!("<strong>{}</strong> ", escape(t)));
    }
    if let Some(c) = args.get("caption") {
        caption.push_str(&escape(c));
    }
    let class = args
        .get("class")
        .map(|c| format!(" class=\"{}\"", escape(c)))
        .unwrap_or_default();
    let caption = match caption.trim_end() {
        "" => String::new(),
        c => format!("<figcaption>{c}</figcaption>"),
    };
    format!("<figure{class}>{image}{caption}</figure>")
}

/// WordPress's `[caption]`: its body is the image (perhaps in a link) and
/// then the caption, both HTML; older exports put the caption in an attribute.
fn caption(args: &Args, body: &str) -> String {
    let body = body.trim();
    let split = image_end(body);
    let (image, text) = body.split_at(split);
    let text = match args.get("caption") {
        Some(c) => escape(c).into_owned(),
        None => text.trim().to_string(),
    };
    let align = args.get("align").unwrap_or("alignnone");
    let mut out = format!(
        "<figure class=\"wp-caption {}\">{}",
        escape(align),
        image.trim()
    );
    if !text.is_empty() {
        out.push_str(&format!(
            "<figcaption>{}</figcaption>",
            text.replace('\n', " ")
        ));
    }
    out.push_str("</figure>");
    out
}

/// Where the leading `<img>` (or `<a ...><img></a>`) of a caption ends.
fn image_end(body: &str) -> usize {
    let lower = body.to_ascii_lowercase();
    if lower.starts_with("<a") {
        if let Some(i) = lower.find("</a>") {
            return i + 4;
        }
    }
    if lower.starts_with("<img") {
        if let Some(i) = body.find('>') {
            return i + 1;
        }
    }
    0
}

/// `[gallery]`: the attachments named by `ids`, else the post's own images.
fn gallery(args: &Args, cx: &Context) -> Option<String> {
    let urls: Vec<String> = match args.get("ids") {
        Some(ids) => ids
            .split(',')
            .filter_map(|id| (cx.media)(id.trim()))
            .collect(),
        None => cx.attached.to_vec(),
    };
    if urls.is_empty() {
        return None;
    }
    let images: String = urls.iter().map(|u| img(u, "", None)).collect();
    Some(format!("<figure class=\"gallery\">{images}</figure>"))
}

/// `[audio src=...]` and `[video mp4=...]`: a player for the first source.
fn media(kind: &str, args: &Args, body: Option<&str>) -> Option<String> {
    let keys = [
        "src", "mp3", "m4a", "ogg", "wav", "mp4", "webm", "ogv", "m4v",
    ];
    let src = keys
        .iter()
        .find_map(|k| args.get(k))
        .or(body.map(str::trim).filter(|b| b.contains("://")))?;
    let fallback = link(src, src);
    Some(format!(
        "<{kind} controls src=\"{}\">{fallback}</{kind}>",
        escape(src)
    ))
}

/// A link to another article, as a URL: the target percent-encoded after
/// `REF_SCHEME`, so it survives Markdown link destinations.
fn ref_url(target: &str) -> String {
    let mut out = String::from(REF_SCHEME);
    for b in target.trim().bytes() {
        if b.is_ascii_alphanumeric() || b"._~/#-".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn ref_targets(html: &str) -> Vec<String> {
    ref_spans(html).map(|(_, _, t)| t).collect()
}

pub fn resolve_refs<'h>(
    html: &'h str,
    url_of: &dyn Fn(&str) -> Option<String>,
) -> (Cow<'h, str>, Vec<String>) {
    let mut out = String::new();
    let mut copied = 0;
    let mut missing = Vec::new();
    for (start, end, target) in ref_spans(html) {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, format!("#{a}")),
            None => (target.as_str(), String::new()),
        };
        out.push_str(&html[copied..start]);
        copied = end;
        match url_of(path) {
            Some(url) => {
                out.push_str(&escape(&url));
                out.push_str(&escape(&anchor));
            }
            // Not found (and reported): the target as its author wrote it.
            None => {
                out.push_str(&escape(&target));
                missing.push(target.clone());
            }
        }
    }
    if copied == 0 {
        return (Cow::Borrowed(html), missing);
    }
    out.push_str(&html[copied..]);
    (Cow::Owned(out), missing)
}

/// Each `REF_SCHEME` URL in `html`: start, end, decoded target.
fn ref_spans(html: &str) -> impl Iterator<Item = (usize, usize, String)> + '_ {
    memchr::memmem::find_iter(html.as_bytes(), REF_SCHEME.as_bytes()).map(move |start| {
        let from = start + REF_SCHEME.len();
        let len = html[from..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "._~/#-%".contains(c)))
            .unwrap_or(html.len() - from);
        (start, from + len, percent_decode(&html[from..from + len]))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
