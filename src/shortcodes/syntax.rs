//! Recognising template tags in text: where code is (never touched), where a
//! tag starts and ends, its name and its arguments. No HTML is made here.

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::{Args, Markup, Syntax};

/// Byte ranges of code in `text`, sorted: Markdown code spans and code blocks
/// (for Markdown), and HTML `<pre>` and `<code>` elements (for both).
pub fn code_regions(text: &str, markup: Markup) -> Vec<(usize, usize)> {
    let mut regions = Vec::new();
    if markup == Markup::Markdown {
        for (ev, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
            match ev {
                Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => {
                    regions.push((range.start, range.end))
                }
                _ => {}
            }
        }
    }
    regions.extend(html_code(text));
    regions.sort_unstable();
    // Merge overlaps (a `<code>` written inside a Markdown code block).
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(regions.len());
    for (s, e) in regions {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// `<pre ...>...</pre>` and `<code ...>...</code>`, case-insensitive.
fn html_code(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for (open, close) in [("<pre", "</pre>"), ("<code", "</code>")] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(open).map(|i| i + from) {
            let after = lower.as_bytes().get(i + open.len()).copied();
            if !matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
                from = i + open.len();
                continue;
            }
            let end = lower[i..]
                .find(close)
                .map_or(text.len(), |j| i + j + close.len());
            out.push((i, end));
            from = end;
        }
    }
    out
}

/// One tag found in the text: where it is and what it says.
#[derive(Debug, Clone)]
pub struct RawTag<'t> {
    pub syntax: Syntax,
    pub start: usize,
    /// Just past the tag (past its closing tag when it has a body).
    pub end: usize,
    pub name: &'t str,
    /// The text between the name and the closing delimiter.
    pub rest: &'t str,
    /// The text between the tag and its closing tag, for paired tags.
    pub body: Option<&'t str>,
}

/// The Hugo shortcode `{{< name ... >}}` or `{{% name ... %}}` at `i`.
pub fn hugo_at(text: &str, i: usize) -> Option<RawTag<'_>> {
    let b = text.as_bytes();
    let close = match b.get(i + 2)? {
        b'<' => ">}}",
        b'%' => "%}}",
        _ => return None,
    };
    let inner_start = i + 3;
    let inner_end = inner_start + text[inner_start..].find(close)?;
    let end = inner_end + close.len();
    let inner = text[inner_start..inner_end].trim();
    let (name, rest) = split_name(inner);
    let mut tag = RawTag {
        syntax: Syntax::Hugo,
        start: i,
        end,
        name,
        rest,
        body: None,
    };
    if let Some((body_end, after)) = hugo_closing(text, end, name) {
        tag.body = Some(&text[end..body_end]);
        tag.end = after;
    }
    Some(tag)
}

/// The matching `{{< /name >}}` (or `{{% /name %}}`) after `from`: its start
/// and end.
fn hugo_closing(text: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(j) = text[at..].find("{{").map(|j| j + at) {
        let close = match text.as_bytes().get(j + 2) {
            Some(b'<') => ">}}",
            Some(b'%') => "%}}",
            _ => {
                at = j + 2;
                continue;
            }
        };
        let end = text[j + 3..].find(close).map(|k| j + 3 + k)?;
        let inner = text[j + 3..end].trim();
        if inner.strip_prefix('/').map(str::trim) == Some(name) {
            return Some((j, end + close.len()));
        }
        at = end;
    }
    None
}

/// The Liquid tag `{% name ... %}` at `i` (with `{%-`/`-%}` trimming marks).
pub fn liquid_tag_at(text: &str, i: usize) -> Option<RawTag<'_>> {
    let (inner, end) = delimited(text, i, "%}")?;
    let (name, rest) = split_name(inner);
    Some(RawTag {
        syntax: Syntax::Liquid,
        start: i,
        end,
        name,
        rest,
        body: None,
    })
}

/// The trimmed text between the two-byte opener at `i` and `close`, and
/// where the closer ends.
fn delimited<'t>(text: &'t str, i: usize, close: &str) -> Option<(&'t str, usize)> {
    let inner_end = i + 2 + text[i + 2..].find(close)?;
    let inner = text[i + 2..inner_end]
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    Some((inner, inner_end + close.len()))
}

/// For a block tag (`raw`, `comment`, `highlight`) at `tag`: the same tag
/// extended over its body up to `{% endNAME %}`.
pub fn liquid_block<'t>(text: &'t str, mut tag: RawTag<'t>) -> Option<RawTag<'t>> {
    let end_name = format!("end{}", tag.name);
    let mut at = tag.end;
    while let Some(j) = text[at..].find("{%").map(|j| j + at) {
        let close = liquid_tag_at(text, j)?;
        if close.name == end_name {
            tag.body = Some(&text[tag.end..j]);
            tag.end = close.end;
            return Some(tag);
        }
        at = close.end;
    }
    None
}

/// The Liquid output `{{ expression }}` at `i`.
pub fn liquid_output_at(text: &str, i: usize) -> Option<RawTag<'_>> {
    let (inner, end) = delimited(text, i, "}}")?;
    if inner.is_empty() || inner.contains('\n') && inner.len() > 200 {
        return None;
    }
    Some(RawTag {
        syntax: Syntax::LiquidOutput,
        start: i,
        end,
        name: "",
        rest: inner,
        body: None,
    })
}

/// The WordPress shortcode `[name ...]` (with its `[/name]` when there is
/// one) at `i`. Markdown links and footnotes (`[text](...)`, `[text][x]`,
/// `[x]: ...`) are not shortcodes.
/// `closings`: the names that have a `[/name]` somewhere in the text (only
/// those are looked for after the tag).
pub fn wordpress_at<'t>(text: &'t str, i: usize, closings: &[&str]) -> Option<RawTag<'t>> {
    let window = &text.as_bytes()[i..text.len().min(i + 1000)];
    let close = i + memchr::memchr(b']', window)?;
    let inner = &text[i + 1..close];
    if inner.contains('[') {
        return None;
    }
    let inner = inner.trim_end_matches('/').trim_end();
    let (name, rest) = split_name(inner);
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let after = &text.as_bytes()[close + 1..];
    let link_like = matches!(after.first(), Some(b'(' | b':'))
        || after.first() == Some(&b'[') && after.get(1) != Some(&b'/');
    if !valid || link_like {
        return None;
    }
    let mut tag = RawTag {
        syntax: Syntax::WordPress,
        start: i,
        end: close + 1,
        name,
        rest,
        body: None,
    };
    if !closings.contains(&name) {
        return Some(tag);
    }
    let closing = format!("[/{name}]");
    if let Some(j) = text[tag.end..].find(&closing).map(|j| j + tag.end) {
        tag.body = Some(&text[tag.end..j]);
        tag.end = j + closing.len();
    }
    Some(tag)
}

/// The first word and what follows it.
fn split_name(inner: &str) -> (&str, &str) {
    let end = inner
        .find(|c: char| c.is_whitespace() || c == ',')
        .unwrap_or(inner.len());
    (&inner[..end], inner[end..].trim())
}

/// Arguments in any of the three syntaxes: quoted or bare values, `key=value`
/// (Hugo, WordPress, Jekyll `include`) and `key: value` (Nunjucks), with or
/// without commas between them.
pub fn parse_args(rest: &str) -> Args {
    let mut args = Args::default();
    let mut s = rest.trim();
    while !s.is_empty() {
        // Stray separators (`= x`, `: x`) are skipped: every turn consumes.
        s = s.trim_start_matches([',', ' ', '\t', '\n', '\r', '=', ':']);
        if s.is_empty() {
            break;
        }
        let (first, after) = value(s);
        let after_trim = after.trim_start();
        let is_key = !first.quoted && !first.text.is_empty();
        match after_trim.strip_prefix('=').or_else(|| {
            after_trim
                .strip_prefix(':')
                .filter(|r| r.starts_with([' ', '\t', '"', '\'']))
        }) {
            Some(r) if is_key => {
                let (v, after) = value(r.trim_start());
                args.named.push((first.text, v.text));
                s = after;
            }
            _ => {
                if let Some((k, v)) = first.text.split_once('=').filter(|_| !first.quoted) {
                    let v = v.trim_matches(['"', '\'']);
                    args.named.push((k.to_string(), v.to_string()));
                } else {
                    args.positional.push(first.text);
                }
                s = after;
            }
        }
    }
    args
}

struct Value {
    text: String,
    quoted: bool,
}

/// One quoted or bare value at the start of `s`, and what follows it.
fn value(s: &str) -> (Value, &str) {
    let quote = s
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '“' | '”' | '`'));
    if let Some(q) = quote {
        let body = &s[q.len_utf8()..];
        let close = if q == '“' { '”' } else { q };
        let end = body.find(close).unwrap_or(body.len());
        let rest = body.get(end + close.len_utf8()..).unwrap_or("");
        let text = body[..end].to_string();
        return (Value { text, quoted: true }, rest);
    }
    let end = s
        .find(|c: char| c.is_whitespace() || c == ',' || c == '=')
        .unwrap_or(s.len());
    let end = match s[..end].find(':') {
        Some(k) if k > 0 && (s[k + 1..].starts_with([' ', '\t']) || k + 1 == end) => k,
        _ => end,
    };
    // Never nothing: a value is at least one character.
    let end = end.max(s.chars().next().map_or(0, char::len_utf8));
    let text = s[..end].to_string();
    (
        Value {
            text,
            quoted: false,
        },
        &s[end..],
    )
}

/// The names of every `[/name]` closing tag in `text`.
pub fn wordpress_closings(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = memchr::memmem::find_iter(text.as_bytes(), b"[/")
        .filter_map(|i| {
            let rest = &text[i + 2..];
            let end = rest.find(']').filter(|&e| e > 0 && e < 64)?;
            Some(&rest[..end])
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Splits a Liquid expression on `|` outside quotes: the value, then each
/// filter as its name and its argument text.
pub fn split_filters(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut from = 0;
    for (i, c) in expr.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                parts.push(expr[from..i].trim());
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(expr[from..].trim());
    parts
}

/// A Liquid filter `name: a, b` as its name and arguments.
pub fn filter_parts(filter: &str) -> (&str, Args) {
    match filter.split_once(':') {
        Some((name, rest)) => (name.trim(), parse_args(rest)),
        None => (filter.trim(), Args::default()),
    }
}

/// The text of a Liquid value: a quoted string as written, or a variable
/// looked up with `vars` (`page.image`, `image`, `site.baseurl`).
pub fn literal(value: &str) -> Option<String> {
    let v = value.trim();
    let q = v.chars().next()?;
    if matches!(q, '"' | '\'') && v.len() >= 2 && v.ends_with(q) {
        return Some(v[1..v.len() - 1].to_string());
    }
    None
}
