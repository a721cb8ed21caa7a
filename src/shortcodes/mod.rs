//! Template debris from other generators, in article bodies: Liquid and
//! Nunjucks tags (`{% image %}`, `{% include %}`, `{% raw %}`,
//! `{{ "/x/" | url }}`), Hugo shortcodes (`{{< figure >}}`, `{{< ref >}}`) and
//! WordPress shortcodes (`[caption]`, `[embed]`, `[gallery]`). The common ones
//! become HTML (`builtin`), a site's own become what its
//! `templates/shortcodes/NAME.html` makes (through `SiteShortcodes`, which
//! `render` implements: this module knows no template engine), and every
//! other one is left as text and returned as a finding with its line.
//!
//! Pure text to text: used by Markdown bodies (`article`) and by the
//! WordPress importer alike. Code (Markdown code spans and blocks, HTML
//! `<pre>` and `<code>`) is never changed, except that Liquid's
//! `{% raw %}`/`{% endraw %}` marks are dropped there too: they exist only to
//! keep what they wrap literal.
//!
//! `{{< ref >}}`, `{{< relref >}}`, `{% post_url %}` and `{% link %}` name
//! another article, whose URL is not known while one file is read: they
//! become `REF_SCHEME` + the target, which `resolve_refs` turns into the
//! article's URL once the archive is indexed.

mod builtin;
pub mod syntax;

use std::borrow::Cow;

pub use builtin::{REF_SCHEME, percent_decode};

/// What a body is written in: where code is, and how to place HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Markdown,
    Html,
}

/// The family a tag belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Syntax {
    /// `{% name ... %}` (Liquid, Nunjucks).
    Liquid,
    /// `{{ value | filter }}` (Liquid, Nunjucks).
    LiquidOutput,
    /// `{{< name >}}`, `{{% name %}}`.
    Hugo,
    /// `[name ...]`, `[name]...[/name]`.
    WordPress,
}

/// A tag's arguments: positional values and `key=value` pairs, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    pub positional: Vec<String>,
    pub named: Vec<(String, String)>,
}

impl Args {
    /// The named argument `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The named argument `key`, else the `i`-th positional one.
    pub fn get_or(&self, key: &str, i: usize) -> Option<&str> {
        self.get(key)
            .or_else(|| self.positional.get(i).map(String::as_str))
    }
}

/// A site's own shortcodes (`templates/shortcodes/NAME.html`).
pub trait SiteShortcodes: Send + Sync + std::fmt::Debug {
    /// Whether the site defines `name`.
    fn has(&self, name: &str) -> bool;
    /// The HTML `name` makes of `args` (and the text between its opening and
    /// closing tags), or why it could not.
    fn render(&self, name: &str, args: &Args, body: Option<&str>) -> Result<String, String>;
}

/// What translating one body may consult besides its text.
pub struct Context<'a> {
    pub markup: Markup,
    pub site: Option<&'a dyn SiteShortcodes>,
    /// Values of template variables: `page.KEY` and `KEY` ask for `KEY` (the
    /// article's front matter), `site.KEY` for `site.KEY`.
    pub vars: &'a dyn Fn(&str) -> Option<String>,
    /// The URL of a WordPress attachment by its id (for `[gallery ids=...]`).
    pub media: &'a dyn Fn(&str) -> Option<String>,
    /// The images attached to this post (a `[gallery]` without `ids`).
    pub attached: &'a [String],
}

impl Context<'_> {
    /// A Markdown body with no variables and no site shortcodes.
    pub fn markdown() -> Context<'static> {
        Context {
            markup: Markup::Markdown,
            site: None,
            vars: &|_| None,
            media: &|_| None,
            attached: &[],
        }
    }
}

/// One tag found in a body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// 1-based line in the text given to `translate`.
    pub line: usize,
    pub syntax: Syntax,
    /// The shortcode, tag or filter name (`figure`, `image`, `team_link`).
    pub name: String,
    /// The tag as written, cut to 80 characters.
    pub text: String,
    /// Whether it became HTML (false: left as text).
    pub translated: bool,
    /// Why it was left, when a site template failed.
    pub problem: Option<String>,
}

impl Finding {
    /// A one-line description for a warning.
    pub fn message(&self) -> String {
        match &self.problem {
            Some(p) => format!("template tag `{}` left as text: {p}", self.text),
            None => format!(
                "template tag `{}` left as text: no translation for `{}`",
                self.text, self.name
            ),
        }
    }
}

/// Whether `text` may hold a tag at all (a cheap test before the real scan).
pub fn may_contain(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memmem::find(b, b"{{").is_some()
        || memchr::memmem::find(b, b"{%").is_some()
        || memchr::memmem::find(b, b"[/").is_some()
        || memchr::memchr_iter(b'[', b).any(|i| {
            let head = &text.as_bytes()[i + 1..b.len().min(i + 200)];
            let end = head.iter().position(|&c| c == b']').unwrap_or(0);
            let inner = &head[..end];
            let name_end = inner
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-'))
                .unwrap_or(inner.len());
            end > 0
                && (inner.contains(&b'=')
                    || std::str::from_utf8(&inner[..name_end]).is_ok_and(builtin::is_wordpress))
        })
}

/// The text with every tag it can translate replaced, and every tag found.
pub fn translate<'t>(text: &'t str, cx: &Context) -> (Cow<'t, str>, Vec<Finding>) {
    if !may_contain(text) {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut t = Translator {
        text,
        cx,
        closings: syntax::wordpress_closings(text),
        out: String::with_capacity(text.len() + 64),
        copied: 0,
        findings: Vec::new(),
        lines: (0, 1),
    };
    t.run(&syntax::code_regions(text, cx.markup));
    if t.findings.is_empty() {
        return (Cow::Borrowed(text), Vec::new());
    }
    t.out.push_str(&text[t.copied..]);
    (Cow::Owned(t.out), t.findings)
}

/// Resolves the `REF_SCHEME` links of rendered HTML with `url_of` (target as
/// written to URL); a target it cannot find is left as it is and returned.
pub fn resolve_refs<'h>(
    html: &'h str,
    url_of: &dyn Fn(&str) -> Option<String>,
) -> (Cow<'h, str>, Vec<String>) {
    builtin::resolve_refs(html, url_of)
}

/// The targets of the `REF_SCHEME` links in `html`.
pub fn ref_targets(html: &str) -> Vec<String> {
    builtin::ref_targets(html)
}

struct Translator<'t, 'c> {
    text: &'t str,
    cx: &'c Context<'c>,
    /// Names with a `[/name]` closing tag somewhere in the text.
    closings: Vec<&'t str>,
    out: String,
    /// Text before this offset is in `out` already.
    copied: usize,
    findings: Vec<Finding>,
    /// The last offset a line was asked for, and its line.
    lines: (usize, usize),
}

impl<'t> Translator<'t, '_> {
    fn run(&mut self, code: &[(usize, usize)]) {
        let b = self.text.as_bytes();
        let mut code = code.iter().peekable();
        let mut i = 0;
        while let Some(j) = memchr::memchr2(b'{', b'[', &b[i..]).map(|j| j + i) {
            while code.next_if(|r| r.1 <= j).is_some() {}
            if let Some(&&(s, e)) = code.peek().filter(|r| r.0 <= j) {
                // A tag that ran into the code region has copied its start.
                self.code(s.max(i), e);
                i = e;
                continue;
            }
            i = match self.tag_at(j) {
                Some(end) => end,
                None => j + 1,
            };
        }
    }

    /// Copies the code region `start..end`, dropping `{% raw %}` marks.
    fn code(&mut self, start: usize, end: usize) {
        let region = &self.text[start..end];
        let mut i = 0;
        while let Some(j) = region[i..].find("{%").map(|j| j + i) {
            let Some(tag) = syntax::liquid_tag_at(region, j) else {
                break;
            };
            if matches!(tag.name, "raw" | "endraw") {
                self.replace(start + j, start + tag.end, String::new());
                let name = tag.name.to_string();
                self.found(
                    start + j,
                    Syntax::Liquid,
                    &name,
                    start + tag.end,
                    true,
                    None,
                );
            }
            i = tag.end;
        }
    }

    /// Handles the tag at `i`, if there is one; returns where scanning goes on.
    fn tag_at(&mut self, i: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        let tag = match (b[i], b.get(i + 1)) {
            (b'{', Some(b'{')) if matches!(b.get(i + 2), Some(b'<' | b'%')) => {
                syntax::hugo_at(self.text, i)?
            }
            (b'{', Some(b'%')) => {
                let tag = syntax::liquid_tag_at(self.text, i)?;
                match tag.name {
                    "raw" | "comment" | "highlight" => {
                        syntax::liquid_block(self.text, tag.clone()).unwrap_or(tag)
                    }
                    _ => tag,
                }
            }
            (b'{', Some(b'{')) => syntax::liquid_output_at(self.text, i)?,
            (b'[', _) => syntax::wordpress_at(self.text, i, &self.closings)?,
            _ => return None,
        };
        self.handle(tag)
    }

    fn handle(&mut self, tag: syntax::RawTag<'t>) -> Option<usize> {
        let whole_line = self.whole_line(tag.start, tag.end);
        let outcome = builtin::translate(&tag, self.cx, whole_line);
        let (name, end) = (outcome.name.clone(), tag.end);
        match outcome.html {
            Some(Ok(html)) => {
                self.replace(tag.start, end, html);
                self.found(tag.start, tag.syntax, &name, end, true, None);
            }
            // A bracket that is no shortcode we know of, with nothing that
            // marks it as one (a closing tag, `key=value`): ordinary text.
            None if tag.syntax == Syntax::WordPress && !looks_like_shortcode(&tag) => {
                return None;
            }
            None => self.found(tag.start, tag.syntax, &name, end, false, None),
            Some(Err(problem)) => {
                self.found(tag.start, tag.syntax, &name, end, false, Some(problem))
            }
        }
        Some(end)
    }

    /// Whether `start..end` is alone on its line(s), but for spaces.
    fn whole_line(&self, start: usize, end: usize) -> bool {
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[end..]
            .find('\n')
            .map_or(self.text.len(), |i| end + i);
        self.text[line_start..start].trim().is_empty() && self.text[end..line_end].trim().is_empty()
    }

    fn replace(&mut self, start: usize, end: usize, html: String) {
        self.out.push_str(&self.text[self.copied..start]);
        self.out.push_str(&html);
        self.copied = end;
    }

    fn found(
        &mut self,
        at: usize,
        syntax: Syntax,
        name: &str,
        end: usize,
        translated: bool,
        problem: Option<String>,
    ) {
        let line = self.line_of(at);
        let written = self.text[at..end].lines().next().unwrap_or("");
        let mut text: String = written.chars().take(80).collect();
        if text.len() < self.text[at..end].len() {
            text.push('…');
        }
        self.findings.push(Finding {
            line,
            syntax,
            name: name.to_string(),
            text,
            translated,
            problem,
        });
    }

    /// Lines are asked for in increasing offsets: count from the last one.
    fn line_of(&mut self, at: usize) -> usize {
        let (from, line) = self.lines;
        let (from, line) = if at < from { (0, 1) } else { (from, line) };
        let n = memchr::memchr_iter(b'\n', &self.text.as_bytes()[from..at]).count();
        self.lines = (at, line + n);
        line + n
    }
}

/// A bracketed word we do not know is taken for a WordPress shortcode only
/// when it is shaped like one: it has a `[/name]` closing tag or `key=value`
/// arguments. `[sic]`, `[1]` and `[Editor's note]` stay ordinary text.
fn looks_like_shortcode(tag: &syntax::RawTag<'_>) -> bool {
    tag.body.is_some() || tag.rest.contains('=') || builtin::is_wordpress(tag.name)
}

#[cfg(test)]
mod tests;
