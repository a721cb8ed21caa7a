//! Template debris in a Markdown body (`crate::shortcodes`), translated the
//! same way when the body is rendered at parse time and when it is rendered
//! again from its source: page variables come from the front matter, the
//! site's own shortcodes from the config. What is left as text becomes a
//! warning at its line in the file.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::shortcodes::{self, Context, Finding, Markup};
use crate::source::SourceFile;

/// The body with its template tags translated, and what was found, each
/// finding's line counted in the whole file (`body_line`: the line the body
/// starts on).
/// `fields`: the front matter as written, asked for only when the body may
/// hold tags.
pub fn translate<'b>(
    body: &'b str,
    body_line: usize,
    fields: impl FnOnce() -> Map<String, Value>,
    cfg: &Config,
) -> (Cow<'b, str>, Vec<Finding>) {
    if !shortcodes::may_contain(body) {
        return (Cow::Borrowed(body), Vec::new());
    }
    let fields = fields();
    let vars = |key: &str| variable(key, &fields, cfg);
    let cx = Context {
        markup: Markup::Markdown,
        site: cfg.shortcodes.as_deref(),
        vars: &vars,
        ..Context::markdown()
    };
    let (text, mut found) = shortcodes::translate(body, &cx);
    for f in &mut found {
        f.line += body_line - 1;
    }
    (text, found)
}

/// The articles a body links to by source, without anchors, each once.
pub fn ref_paths(body: &str) -> Vec<String> {
    if !body.contains(shortcodes::REF_SCHEME) {
        return Vec::new();
    }
    let mut refs: Vec<String> = shortcodes::ref_targets(body)
        .into_iter()
        .map(|t| t.split('#').next().unwrap_or("").to_string())
        .filter(|t| !t.is_empty())
        .collect();
    refs.sort();
    refs.dedup();
    refs
}

/// One warning per tag left as text.
pub fn warnings(file: &SourceFile, found: &[Finding]) -> Vec<Diagnostic> {
    found
        .iter()
        .filter(|f| !f.translated)
        .map(|f| Diagnostic::warning(&file.rel_path, Some(f.line), f.message()))
        .collect()
}

/// The 1-based line of byte `offset` of `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset.min(text.len())]).count() + 1
}

/// A template variable: `site.url` and `site.baseurl` from `base_url`, other
/// `site.` keys from `[extra]`, anything else a front-matter string.
fn variable(key: &str, fields: &Map<String, Value>, cfg: &Config) -> Option<String> {
    if let Some(site_key) = key.strip_prefix("site.") {
        let (origin, path) = split_base(&cfg.base_url);
        return match site_key {
            "url" => Some(origin.to_string()),
            "baseurl" => Some(path.to_string()),
            "title" => Some(cfg.title.clone()),
            _ => cfg
                .extra
                .get(site_key)
                .and_then(|v| v.as_str())
                .map(str::to_string),
        };
    }
    match fields.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `https://x.org/blog` into `https://x.org` and `/blog`.
fn split_base(base: &str) -> (&str, &str) {
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    match base[after_scheme..].find('/') {
        Some(i) => base.split_at(after_scheme + i),
        None => (base, ""),
    }
}
