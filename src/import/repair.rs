//! Markup in WordPress bodies that is not valid HTML, made valid without
//! losing what it says: the checks are those of the Nu HTML Checker, the
//! cases those WordPress's own theme test data carries.
//!
//! - obsolete elements become their successors: `acronym` is `abbr`, `tt`
//!   is `code`, `strike` is `s`, `big` and `center` are a `span` and a `div`
//!   with the style they stood for;
//! - a space inside a URL attribute (`href`, `src`, `cite`, `poster`) is
//!   written `%20`, as a browser reads it;
//! - an `id` used again in the same body gets a number (`x-2`), and the
//!   references that follow it (`aria-describedby`, `for`, `href="#x"`)
//!   follow it;
//! - body headings start at `h2` (the page's headline is its `h1`) and go
//!   down one level at a time: a body that starts at `h3` is moved up a
//!   level, and a heading deeper than one below the one before it is raised;
//! - a `dl` whose last term has no description gets an empty `dd`.
//!
//! Text, comments and the inside of `script` and `style` are never changed,
//! and a tag that needs nothing is copied byte for byte. Pure text to text.

use std::collections::HashMap;

/// The body with its markup repaired.
pub fn repair(html: &str) -> String {
    let mut r = Repairer {
        shift: heading_shift(html),
        ..Repairer::default()
    };
    for token in tokens(html) {
        match token {
            Token::Text(t) => r.out.push_str(t),
            Token::Tag(t) => r.tag(t),
        }
    }
    r.out
}

enum Token<'a> {
    /// Text, comments, and the inside of `script`/`style`: copied.
    Text(&'a str),
    Tag(&'a str),
}

/// Splits `html` into tags and everything else.
fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let (mut i, mut copied) = (0, 0);
    while let Some(j) = memchr::memchr(b'<', &b[i..]).map(|j| i + j) {
        let rest = &html[j..];
        let end = if rest.starts_with("<!--") {
            // A comment is text here.
            i = rest.find("-->").map_or(html.len(), |e| j + e + 3);
            continue;
        } else if starts_tag(rest) {
            j + tag_len(rest)
        } else {
            i = j + 1;
            continue;
        };
        if copied < j {
            out.push(Token::Text(&html[copied..j]));
        }
        let tag = &html[j..end];
        out.push(Token::Tag(tag));
        i = end;
        copied = end;
        let name = Tag::parse(tag).name;
        if !tag.starts_with("</") && matches!(name.as_str(), "script" | "style") {
            let close = format!("</{name}");
            let lower = html[end..].to_ascii_lowercase();
            let stop = lower.find(&close).map_or(html.len(), |k| end + k);
            if end < stop {
                out.push(Token::Text(&html[end..stop]));
            }
            i = stop;
            copied = stop;
        }
    }
    if copied < html.len() {
        out.push(Token::Text(&html[copied..]));
    }
    out
}

fn starts_tag(s: &str) -> bool {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'/') => b.get(2).is_some_and(u8::is_ascii_alphabetic),
        Some(c) => c.is_ascii_alphabetic(),
        None => false,
    }
}

/// The length of the tag at the start of `s`: to its `>`, quotes respected.
fn tag_len(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// A tag taken apart: enough to change it and write it again.
#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    /// `(name as written, value)`; `None` for a bare attribute.
    attrs: Vec<(String, Option<String>)>,
    self_closing: bool,
}

impl Tag {
    fn parse(tag: &str) -> Tag {
        let inner = tag.trim_start_matches('<').trim_end_matches('>');
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let self_closing = inner.trim_end().ends_with('/');
        let inner = inner.trim_end().trim_end_matches('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        Tag {
            name,
            closing,
            attrs: attributes(&inner[name_end..]),
            self_closing,
        }
    }

    fn write(&self) -> String {
        let mut out = format!("<{}{}", if self.closing { "/" } else { "" }, self.name);
        for (name, value) in &self.attrs {
            out.push(' ');
            out.push_str(name);
            if let Some(v) = value {
                out.push_str("=\"");
                out.push_str(&v.replace('"', "&quot;"));
                out.push('"');
            }
        }
        out.push_str(if self.self_closing { " />" } else { ">" });
        out
    }
}

/// `a="x" b='y' c=z d` into pairs (values as written: entities stay).
fn attributes(s: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        rest = rest[name_end..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            if !name.is_empty() {
                out.push((name, None));
            }
            continue;
        };
        let after = after.trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &after[1..];
                let end = body.find(q).unwrap_or(body.len());
                (&body[..end], body.get(end + 1..).unwrap_or(""))
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        out.push((name, Some(value.to_string())));
        rest = next.trim_start();
    }
    out
}

/// Attributes holding one URL.
const URL_ATTRS: &[&str] = &["href", "src", "cite", "poster"];
/// Attributes holding ids, separated by spaces.
const IDREF_ATTRS: &[&str] = &["aria-describedby", "aria-labelledby", "for", "headers"];

#[derive(Default)]
struct Repairer {
    out: String,
    /// How many levels body headings move up.
    shift: u8,
    /// The level of the last heading written (the page's `h1` before any).
    last_heading: u8,
    /// Open headings: `(level written in the body, level written out)`.
    headings: Vec<(u8, u8)>,
    /// Each `id` seen: times seen, and the name its latest use was given.
    ids: HashMap<String, (usize, String)>,
    /// Open `dl` elements: whether the last child so far is a `dt`.
    dls: Vec<bool>,
}

impl Repairer {
    fn tag(&mut self, raw: &str) {
        let mut tag = Tag::parse(raw);
        let mut changed = self.obsolete(&mut tag);
        changed |= self.heading(&mut tag);
        if tag.closing {
            if tag.name == "dl" && self.dls.pop() == Some(true) {
                self.out.push_str("<dd></dd>");
            }
        } else {
            match tag.name.as_str() {
                "dl" => self.dls.push(false),
                "dt" | "dd" => {
                    if let Some(last) = self.dls.last_mut() {
                        *last = tag.name == "dt";
                    }
                }
                _ => {}
            }
            changed |= self.attributes(&mut tag);
        }
        if changed {
            self.out.push_str(&tag.write());
        } else {
            self.out.push_str(raw);
        }
    }

    /// Obsolete elements renamed; returns whether the tag changed.
    fn obsolete(&mut self, tag: &mut Tag) -> bool {
        let (name, style) = match tag.name.as_str() {
            "acronym" => ("abbr", None),
            "tt" => ("code", None),
            "strike" => ("s", None),
            "big" => ("span", Some("font-size: larger")),
            "center" => ("div", Some("text-align: center")),
            _ => return false,
        };
        tag.name = name.to_string();
        if let (Some(style), false) = (style, tag.closing) {
            match tag
                .attrs
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case("style"))
            {
                Some((_, Some(v))) => *v = format!("{style}; {v}"),
                _ => tag
                    .attrs
                    .push(("style".to_string(), Some(style.to_string()))),
            }
        }
        true
    }

    /// Heading levels moved and gaps closed; returns whether the tag changed.
    fn heading(&mut self, tag: &mut Tag) -> bool {
        let Some(level) = heading_level(&tag.name) else {
            return false;
        };
        let new = if tag.closing {
            match self.headings.iter().rposition(|(l, _)| *l == level) {
                Some(k) => self.headings.remove(k).1,
                None => level,
            }
        } else {
            let moved = level.saturating_sub(self.shift).max(1);
            let new = moved.min(self.last_heading.max(1) + 1);
            self.headings.push((level, new));
            self.last_heading = new;
            new
        };
        tag.name = format!("h{new}");
        new != level
    }

    /// URL spaces, repeated ids and their references; returns whether the
    /// tag changed.
    fn attributes(&mut self, tag: &mut Tag) -> bool {
        let mut changed = false;
        for (name, value) in &mut tag.attrs {
            let Some(v) = value else { continue };
            let lower = name.to_ascii_lowercase();
            let new = if URL_ATTRS.contains(&lower.as_str()) {
                url_without_spaces(v).or_else(|| self.fragment_ref(v))
            } else if lower == "id" {
                self.id(v)
            } else if IDREF_ATTRS.contains(&lower.as_str()) {
                self.id_refs(v)
            } else {
                None
            };
            if let Some(new) = new {
                *v = new;
                changed = true;
            }
        }
        changed
    }

    /// A new name for an id seen before.
    fn id(&mut self, id: &str) -> Option<String> {
        let (count, _) = self
            .ids
            .entry(id.to_string())
            .or_insert((0, id.to_string()));
        *count += 1;
        if *count == 1 {
            return None;
        }
        let mut n = *count;
        let mut name = format!("{id}-{n}");
        while self.ids.contains_key(&name) {
            n += 1;
            name = format!("{id}-{n}");
        }
        let entry = self.ids.get_mut(id).expect("inserted above");
        entry.1 = name.clone();
        self.ids.insert(name.clone(), (1, name.clone()));
        Some(name)
    }

    /// Ids in a reference list, renamed as their latest definition was.
    fn id_refs(&self, refs: &str) -> Option<String> {
        let mut changed = false;
        let out: Vec<&str> = refs
            .split_whitespace()
            .map(|r| match self.ids.get(r) {
                Some((_, current)) if current != r => {
                    changed = true;
                    current.as_str()
                }
                _ => r,
            })
            .collect();
        changed.then(|| out.join(" "))
    }

    /// `#x` pointing to an id that was renamed.
    fn fragment_ref(&self, url: &str) -> Option<String> {
        let id = url.strip_prefix('#')?;
        self.id_refs(id).map(|new| format!("#{new}"))
    }
}

/// A URL with its inner spaces written `%20` (and its outer ones trimmed),
/// when it has any.
fn url_without_spaces(url: &str) -> Option<String> {
    if !url.contains(char::is_whitespace) {
        return None;
    }
    let words: Vec<&str> = url.split_whitespace().collect();
    Some(words.join("%20"))
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// How far body headings move up so that the highest is `h2`: none when
/// the body has an `h1` or `h2`, or no heading.
fn heading_shift(html: &str) -> u8 {
    let top = tokens(html)
        .into_iter()
        .filter_map(|t| match t {
            Token::Tag(raw) if !raw.starts_with("</") => heading_level(&Tag::parse(raw).name),
            _ => None,
        })
        .min();
    top.map_or(0, |l| l.saturating_sub(2))
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn obsolete_elements_become_their_successors() {
        assert_eq!(
            repair("<acronym title=\"x\">X</acronym> <tt>t</tt> <strike>s</strike> <big>B</big>"),
            "<abbr title=\"x\">X</abbr> <code>t</code> <s>s</s> <span style=\"font-size: larger\">B</span>"
        );
        assert_eq!(
            repair("<CENTER style=\"color: red\">c</CENTER>"),
            "<div style=\"text-align: center; color: red\">c</div>"
        );
    }

    #[test]
    fn spaces_in_urls_are_escaped_and_other_tags_are_copied_as_they_are() {
        assert_eq!(
            repair("<del cite=\"deleted it\">x</del><a href='/a b'  class=k>y</a>"),
            "<del cite=\"deleted%20it\">x</del><a href=\"/a%20b\" class=\"k\">y</a>"
        );
        let same = "<p class='x'>a <b>b</b> 3 < 4 <!-- <tt> --></p><script>if (a<b) {}</script>";
        assert_eq!(repair(same), same);
    }

    #[test]
    fn repeated_ids_are_numbered_and_their_references_follow() {
        let block = "<a id=\"f\" href=\"/x\">X</a><a aria-describedby=\"f\" href=\"#f\">D</a>";
        assert_eq!(
            repair(&block.repeat(2)),
            format!(
                "{block}<a id=\"f-2\" href=\"/x\">X</a><a aria-describedby=\"f-2\" href=\"#f-2\">D</a>"
            )
        );
    }

    #[test]
    fn headings_start_at_h2_and_skip_no_level() {
        assert_eq!(
            repair("<h3 class=\"a\">A</h3><p>x</p><h3>B</h3><h5>C</h5>"),
            "<h2 class=\"a\">A</h2><p>x</p><h2>B</h2><h3>C</h3>"
        );
        assert_eq!(repair("<h6>Only</h6>"), "<h2>Only</h2>");
        let fine = "<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>";
        assert_eq!(repair(fine), fine);
    }

    #[test]
    fn a_term_without_a_description_gets_an_empty_one() {
        assert_eq!(
            repair("<dl id=\"c\"><dt class=\"t\"></dt></dl>"),
            "<dl id=\"c\"><dt class=\"t\"></dt><dd></dd></dl>"
        );
        let fine = "<dl><dt>a</dt><dd>b</dd></dl>";
        assert_eq!(repair(fine), fine);
    }
}
