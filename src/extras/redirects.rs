//! Redirects from old URLs. One table, made from the front-matter `aliases` of
//! every article, gives three outputs: an HTML page at each old path (meta
//! refresh plus a canonical link, for any static host), a `_redirects` file of
//! 301s (read by Netlify and Cloudflare Pages) and an nginx `map` block.
//!
//! Pure: checks and texts only; the caller writes the files and says which
//! paths are already taken. An alias must be a safe site path (the same rules
//! as `output::safe_join`), and may not land on a real page, a static file,
//! a generated file or another alias: each such clash is an error naming both
//! files.
//!
//! Where an old path's page is written: `/old/` and `/old` (no dot in the last
//! segment) become `old/index.html`; `/story.php` or `/a/b.html` are written
//! as they are. A same-site absolute URL (`https://news.example/old/`) counts
//! as its path. Fragments and percent escapes are refused (aliases are
//! written decoded).
//!
//! An old address with a query (`/?p=123`, WordPress's short links) has no
//! file to answer it: `/` is the home page. It gets no HTML page, a forced
//! Netlify rule with query matching (`/ p=123 /new/ 301!`; Cloudflare Pages
//! cannot match queries and ignores such a line) and an nginx `map` on
//! `$request_uri` (the path with its query, exactly as asked).
//!
//! On Netlify a rule does not apply where a file exists unless forced, so the
//! HTML page answers there (still moving readers and search engines); Cloudflare
//! Pages applies the 301 first. Cloudflare reads at most 2,000 static rules.

use std::collections::HashMap;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use crate::archive::Archive;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::escape::html as escape;
use crate::output::{safe_join, url_to_file};

/// The `_redirects` file's path.
pub const NETLIFY: &str = "_redirects";
/// The nginx snippet's path.
pub const NGINX: &str = "nginx-redirects.conf";

/// One old path and where it now lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The old site path, starting with `/`.
    pub from: String,
    /// The output file answering at the old path.
    pub file: String,
    /// The article's site path.
    pub to: String,
    /// The article it leads to (archive index).
    pub entry: u32,
    /// Made from the article's file name (`urls::name_addresses`), not
    /// written in its front matter: it gives way to any other claim on its
    /// path, with a warning.
    pub derived: bool,
}

/// Who already owns an output file, for collision messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// An article's page (its source file).
    Article(PathBuf),
    /// A generated page (its site path) such as `/tags/`.
    Page(String),
    /// A static file of the theme or the site.
    Static(String),
    /// A generated file such as `sitemap.xml`.
    Generated(String),
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Owner::Article(p) => write!(f, "the page of {}", p.display()),
            Owner::Page(url) => write!(f, "the generated page {url}"),
            Owner::Static(name) => write!(f, "the static file {name}"),
            Owner::Generated(path) => write!(f, "the generated file {path}"),
        }
    }
}

/// The alias table, in source-path order, with every malformed alias and
/// every alias claimed twice reported. The addresses of file names come
/// after every written alias, and give way to them.
pub fn table(a: &Archive, cfg: &Config) -> (Vec<Alias>, Vec<Diagnostic>) {
    // With `keep_urls = false`, an explicit URL is one more old address.
    fn moved<'e>(e: &'e crate::archive::Entry, cfg: &Config) -> Option<&'e String> {
        e.article.url.as_ref().filter(|_| !cfg.content.keep_urls)
    }
    let mut order: Vec<u32> = (0..a.entries.len() as u32).collect();
    order.sort_by(|&x, &y| {
        a.entries[x as usize]
            .article
            .source
            .cmp(&a.entries[y as usize].article.source)
    });
    let mut t = Table {
        a,
        aliases: Vec::new(),
        by_file: HashMap::new(),
        diags: Vec::new(),
    };
    for &i in &order {
        let e = &a.entries[i as usize];
        for raw in e.article.aliases.iter().chain(moved(e, cfg)) {
            match normalize(raw, cfg) {
                Ok((from, file)) => t.add(i, from, file, false),
                Err(msg) => t
                    .diags
                    .push(Diagnostic::error(&e.article.source, None, msg)),
            }
        }
    }
    let named: Vec<(u32, Vec<String>)> = order
        .par_iter()
        .map(|&i| {
            let e = &a.entries[i as usize];
            (
                i,
                crate::urls::name_addresses(&e.article, e.local_date, cfg),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    for (i, addresses) in named {
        for from in addresses {
            // Made by `urls` from a plain name: a safe path.
            if let Ok((from, file)) = normalize(&from, cfg) {
                t.add(i, from, file, true);
            }
        }
    }
    (t.aliases, t.diags)
}

/// The alias table being made.
struct Table<'a> {
    a: &'a Archive,
    aliases: Vec<Alias>,
    by_file: HashMap<String, usize>,
    diags: Vec<Diagnostic>,
}

impl Table<'_> {
    fn add(&mut self, i: u32, from: String, file: String, derived: bool) {
        let e = &self.a.entries[i as usize];
        let source = &e.article.source;
        if !file.is_empty() && file == url_to_file(&e.url) {
            if !derived {
                self.diags.push(Diagnostic::error(
                    source,
                    None,
                    format!("alias {from} is this article's own URL"),
                ));
            }
            return;
        }
        // Query aliases have no file: they are told apart by address.
        let file = if file.is_empty() { from.clone() } else { file };
        if let Some(&k) = self.by_file.get(&file) {
            let other = &self.a.entries[self.aliases[k].entry as usize]
                .article
                .source;
            if other == source {
                return;
            }
            let message = format!(
                "alias {from} is also an alias of {} (both would write {file})",
                other.display()
            );
            self.diags.push(if derived {
                Diagnostic::warning(source, None, derived_message(&from, &message))
            } else {
                Diagnostic::error(source, None, message)
            });
            return;
        }
        self.by_file.insert(file.clone(), self.aliases.len());
        self.aliases.push(Alias {
            file: if from.contains('?') {
                String::new()
            } else {
                file
            },
            from,
            to: e.url.clone(),
            entry: i,
            derived,
        });
    }
}

/// The warning for an address of a file name that gives way.
fn derived_message(from: &str, why: &str) -> String {
    format!("the old address {from} (from the file name) is not redirected: {why}")
}

/// Errors for aliases whose file is already taken by something else
/// (warnings for the addresses of file names, which are then left out).
pub fn collisions(
    aliases: &mut Vec<Alias>,
    a: &Archive,
    taken: &HashMap<String, Owner>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    aliases.retain(|alias| {
        let Some(owner) = taken.get(&alias.file) else {
            return true;
        };
        let source = &a.entries[alias.entry as usize].article.source;
        let message = format!("alias {} collides with {owner}", alias.from);
        if alias.derived {
            let message = derived_message(&alias.from, &message);
            diags.push(Diagnostic::warning(source, None, message));
            return false;
        }
        diags.push(Diagnostic::error(source, None, message));
        true
    });
    diags
}

/// The HTML page answering at an old path.
pub fn page(alias: &Alias, a: &Archive, cfg: &Config) -> String {
    let e = &a.entries[alias.entry as usize];
    let target = escape(&cfg.absolute(&alias.to));
    let title = escape(&e.article.title);
    format!(
        "<!DOCTYPE html>
<html lang=\"{lang}\">
<head>
<meta charset=\"utf-8\">
<title>{title}</title>
<link rel=\"canonical\" href=\"{target}\">
<meta name=\"robots\" content=\"noindex\">
<meta http-equiv=\"refresh\" content=\"0; url={target}\">
</head>
<body>
<p>This article has moved to <a href=\"{target}\">{title}</a>.</p>
</body>
</html>
",
        lang = escape(&cfg.language),
    )
}

/// `_redirects`: one `old new 301` line per alias (paths percent-encoded).
pub fn netlify(aliases: &[Alias]) -> String {
    let mut out =
        String::from("# Old URLs of articles (front matter `aliases`), made by broadsheet.\n");
    for alias in aliases {
        let (from, query) = match alias.from.split_once('?') {
            Some((path, query)) => (path, format!(" {} ", query.replace('&', " "))),
            None => (alias.from.as_str(), " ".to_string()),
        };
        // A query rule must be forced: a file (the home page) exists at `/`.
        let force = if alias.file.is_empty() { "!" } else { "" };
        out.push_str(&format!(
            "{}{query}{} 301{force}\n",
            percent_encode(from),
            percent_encode(&alias.to)
        ));
    }
    out
}

/// An nginx `map` block from old paths (`$uri`, decoded) to new ones.
pub fn nginx(aliases: &[Alias]) -> String {
    let mut out = String::from(
        "# Old URLs of articles (front matter `aliases`), made by broadsheet.
# In the http block:   include /path/to/nginx-redirects.conf;
# In the server block: if ($broadsheet_redirect) { return 301 $broadsheet_redirect; }
map $uri $broadsheet_redirect {
    default \"\";
",
    );
    for alias in aliases.iter().filter(|a| !a.file.is_empty()) {
        out.push_str(&format!("    \"{}\" \"{}\";\n", alias.from, alias.to));
    }
    out.push_str("}\n");
    let queries: Vec<&Alias> = aliases.iter().filter(|a| a.file.is_empty()).collect();
    if !queries.is_empty() {
        out.push_str(
            "# Old addresses with a query, matched as asked (path and query):
# In the server block: if ($broadsheet_query_redirect) { return 301 $broadsheet_query_redirect; }
map $request_uri $broadsheet_query_redirect {
    default \"\";
",
        );
        for alias in queries {
            out.push_str(&format!("    \"{}\" \"{}\";\n", alias.from, alias.to));
        }
        out.push_str("}\n");
    }
    out
}

/// Checks one alias and returns its site path and output file.
fn normalize(raw: &str, cfg: &Config) -> Result<(String, String), String> {
    let trimmed = raw.trim();
    let path = if trimmed.contains("://") {
        match trimmed.strip_prefix(&cfg.base_url) {
            Some(p) if p.starts_with('/') => p,
            _ => {
                return Err(format!(
                    "alias `{trimmed}` is not on this site ({}): write it as a path such as /2013/02/old-story/",
                    cfg.base_url
                ));
            }
        }
    } else {
        trimmed
    };
    if let Some((path, query)) = path.split_once('?') {
        return query_alias(trimmed, path, query, cfg);
    }
    let from = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    if let Some(c) = from
        .chars()
        .find(|&c| c.is_whitespace() || c.is_control() || "?#%\"'<>\\^`{}|$;".contains(c))
    {
        return Err(format!(
            "alias `{trimmed}` contains {c:?}: an alias is a plain site path (and plain query pairs), without fragment or percent escapes"
        ));
    }
    let inner = from[1..].strip_suffix('/').unwrap_or(&from[1..]);
    if !inner.is_empty() && inner.split('/').any(|seg| matches!(seg, "" | "." | "..")) {
        return Err(format!(
            "alias `{trimmed}` is not a safe site path: empty, `.` and `..` segments are not allowed"
        ));
    }
    let last = from.rsplit('/').next().unwrap_or("");
    let file = if from.ends_with('/') || !last.contains('.') {
        format!("{}/index.html", from.trim_matches('/'))
            .trim_start_matches('/')
            .to_string()
    } else {
        from.trim_start_matches('/').to_string()
    };
    safe_join(Path::new("/"), &file)
        .map_err(|e| format!("alias `{trimmed}` is not a safe site path: {}", e.message))?;
    Ok((from, file))
}

/// An old address with a query (`/?p=123`): its path checked as any alias's,
/// its query plain `key=value` pairs. No output file answers it.
fn query_alias(
    raw: &str,
    path: &str,
    query: &str,
    cfg: &Config,
) -> Result<(String, String), String> {
    let (from, _) = normalize(if path.is_empty() { "/" } else { path }, cfg)?;
    let plain = |c: char| c.is_ascii_alphanumeric() || "_.-=&".contains(c);
    if query.is_empty() || !query.chars().all(plain) || !query.contains('=') {
        return Err(format!(
            "alias `{raw}`: a query in an alias must be plain `key=value` pairs, such as /?p=123"
        ));
    }
    Ok((format!("{from}?{query}"), String::new()))
}

/// Percent-encodes what a `_redirects` path may not hold raw (non-ASCII bytes).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
