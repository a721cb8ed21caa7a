//! `check --links`: every `href`, `src` and `srcset` of every page the build
//! would write. The build runs into nothing (as `check` does) with a
//! `Collector` watching: each page is scanned as it is made (`scan`), its
//! links resolved (`resolve`) and counted under their targets, its ids kept
//! as numbers. Then one pass settles each distinct target against the files
//! written and the ids of the page it names. With `external`, outside URLs
//! are fetched (`external`), remembered for a while in `.broadsheet-cache/`
//! (`memo`). Uses `build` and `check`; nothing uses it but `cli`.

mod collect;
pub mod external;
mod memo;
pub mod resolve;
pub mod scan;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use serde::Serialize;

use crate::build::{BuildError, BuildOptions, Progress};
use crate::check::CheckReport;
use crate::diag::Diagnostic;
use collect::{Collector, Gathered, Page, Uses, id_key, is_html};
pub use external::ExternalOptions;

/// What `check --links` does beyond `check`.
#[derive(Debug, Clone, Default)]
pub struct LinkOptions {
    /// Check outside links too, with these settings.
    pub external: Option<ExternalOptions>,
}

/// What the link check found.
#[derive(Debug, Default, Serialize)]
pub struct LinkReport {
    /// HTML pages read.
    pub pages: usize,
    /// URLs in `href`, `src` and `srcset` attributes, counted where they stand.
    pub links: usize,
    /// Of those, links into the site, and the distinct targets they name.
    pub internal: usize,
    pub internal_targets: usize,
    /// Links out of the site, and the distinct URLs.
    pub external: usize,
    pub external_urls: usize,
    /// `mailto:`, `tel:`, `data:`, `javascript:` and empty links: not checked.
    pub unchecked: usize,
    /// Broken internal links and fragments: any fails the check.
    pub broken: Vec<Broken>,
    /// Outside links that failed (`--external`): reported, not failing.
    pub external_broken: Vec<Broken>,
    /// The outside check's figures (`--external`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_summary: Option<external::Summary>,
}

/// One broken target and where links to it stand.
#[derive(Debug, Clone, Serialize)]
pub struct Broken {
    /// The target as a URL of the site (`/2013/02/x/`, `/about/#team`), or
    /// the outside URL.
    pub target: String,
    pub problem: Problem,
    /// The first few pages with the link.
    pub on: Vec<Place>,
    /// How many more pages have it.
    pub more_pages: usize,
}

/// Why a link is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// No file of the output is there.
    NoFile,
    /// The page is there, without an element with this id.
    NoId { id: String },
    /// An outside server answered with an error status.
    Status { status: u16 },
    /// No answer: a timeout, an unknown host, a refused connection.
    Unreachable { reason: String },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::NoFile => write!(f, "no page or file there"),
            Problem::NoId { id } => write!(f, "the page has no element with id `{id}`"),
            Problem::Status { status } => write!(f, "the server answered {status}"),
            Problem::Unreachable { reason } => write!(f, "{reason}"),
        }
    }
}

/// A page holding a link.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    /// The page's URL in the site: `/2013/02/02/x/`.
    pub page: String,
    /// When the link is in an article's body: the link as written there,
    /// the source file and (when it could be found) the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// Runs `check` with every page's links gathered, then settles them (and,
/// with `external`, fetches the outside ones). Fails as `check` fails;
/// broken links are in the report, not a failure of their own.
pub fn check(
    root: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
    link_opts: &LinkOptions,
) -> Result<(CheckReport, LinkReport), BuildError> {
    let cfg = crate::build::load_config(root, opts)?;
    let collector = Collector::new(&cfg.base_url);
    let checked = crate::check::check_observed(root, opts, progress, &collector)?;
    let gathered = collector.into_gathered();
    let mut places = Places::new(&cfg.root, &gathered.pages);
    let mut report = settle(&gathered, &mut places);
    if let Some(ext) = &link_opts.external {
        let cache = ext
            .cache_file
            .clone()
            .or_else(|| Some(opts.cache_dir.clone()?.join(memo::FILE)))
            .unwrap_or_else(|| cfg.root.join(crate::cache::DIR).join(memo::FILE));
        let urls: Vec<&str> = gathered.external.iter().map(|(_, u, _)| &**u).collect();
        let (outcomes, summary) = external::check_urls(&urls, ext, &cache, progress);
        for ((hash, url, uses), outcome) in gathered.external.iter().zip(outcomes) {
            if let Some(problem) = outcome.problem() {
                let broken = places.broken(url.to_string(), problem, uses, *hash);
                report.external_broken.push(broken);
            }
        }
        report
            .external_broken
            .sort_by(|a, b| a.target.cmp(&b.target));
        report.external_summary = Some(summary);
    }
    Ok((checked, report))
}

/// Every internal target against the files written and the ids of the pages.
fn settle(g: &Gathered, places: &mut Places) -> LinkReport {
    let page_of: HashMap<&str, u32> = g
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (&*p.path, i as u32))
        .collect();
    let mut broken = Vec::new();
    for (hash, key, uses) in &g.internal {
        let (path, fragment) = match key.split_once('\0') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (&**key, None),
        };
        let problem = match existing_file(path, &g.written) {
            None => Some(Problem::NoFile),
            Some(file) => fragment
                .filter(|f| is_html(&file) && !f.eq_ignore_ascii_case("top"))
                .filter(|f| {
                    let page = page_of.get(file.as_str());
                    !page.is_some_and(|&p| g.ids.contains(&id_key(p, f)))
                })
                .map(|f| Problem::NoId { id: f.to_string() }),
        };
        if let Some(problem) = problem {
            broken.push(places.broken(site_url(path, fragment), problem, uses, *hash));
        }
    }
    broken.sort_by(|a, b| (&a.on[0].page, &a.target).cmp(&(&b.on[0].page, &b.target)));
    let count = |n: &std::sync::atomic::AtomicUsize| n.load(Ordering::Relaxed);
    LinkReport {
        pages: g.pages.len(),
        links: count(&g.counts.links),
        internal: count(&g.counts.internal),
        internal_targets: g.internal.len(),
        external: count(&g.counts.external),
        external_urls: g.external.len(),
        unchecked: count(&g.counts.unchecked),
        broken,
        ..LinkReport::default()
    }
}

/// The file a link to `path` gets: the path itself, or for a folder named
/// without its slash (`tags/x`), its index page, as servers answer.
fn existing_file(path: &str, written: &ahash::AHashSet<Box<str>>) -> Option<String> {
    if written.contains(path) {
        return Some(path.to_string());
    }
    let index = format!("{path}/index.html");
    (!path.ends_with("index.html") && written.contains(index.as_str())).then_some(index)
}

/// `tags/x/index.html` and `team` as `/tags/x/#team`.
fn site_url(path: &str, fragment: Option<&str>) -> String {
    let shown = path.strip_suffix("index.html").unwrap_or(path);
    match fragment {
        Some(f) => format!("/{shown}#{f}"),
        None => format!("/{shown}"),
    }
}

/// Says where links stand: page URLs, and for links in article bodies, the
/// source file and line (source files are read once, when first needed).
struct Places<'a> {
    root: &'a Path,
    pages: &'a [Page],
    sources: HashMap<PathBuf, Option<String>>,
}

impl<'a> Places<'a> {
    fn new(root: &'a Path, pages: &'a [Page]) -> Places<'a> {
        Places {
            root,
            pages,
            sources: HashMap::new(),
        }
    }

    fn broken(&mut self, target: String, problem: Problem, uses: &Uses, hash: u64) -> Broken {
        let mut on: Vec<Place> = uses.kept().map(|p| self.place(p, hash)).collect();
        on.sort_by(|a, b| a.page.cmp(&b.page));
        Broken {
            target,
            problem,
            more_pages: uses.count as usize - on.len(),
            on,
        }
    }

    fn place(&mut self, page: u32, key_hash: u64) -> Place {
        let p = &self.pages[page as usize];
        let mut place = Place {
            page: site_url(&p.path, None),
            href: None,
            source: None,
            line: None,
        };
        let in_body = p.body_links.iter().find(|(h, _)| *h == key_hash);
        if let (Some(source), Some((_, href))) = (&p.source, in_body) {
            place.line = self.line_of(source, href);
            place.href = Some(href.to_string());
            place.source = Some(source.clone());
        }
        place
    }

    /// The line of `source` where `href` is written (as it is, with `&`
    /// escaped, or percent-decoded), if any.
    fn line_of(&mut self, source: &Path, href: &str) -> Option<usize> {
        let root = self.root;
        let text = self
            .sources
            .entry(source.to_path_buf())
            .or_insert_with(|| {
                let bytes = std::fs::read(root.join(source)).ok()?;
                Some(String::from_utf8_lossy(&bytes).into_owned())
            })
            .as_deref()?;
        // A file name alone, as template tags write them (`{% image "a/b.png" %}`).
        let file_name = href
            .split(['?', '#'])
            .next()
            .and_then(|p| p.rsplit('/').next())
            .filter(|name| name.contains('.'))
            .unwrap_or(href);
        let candidates = [
            href.to_string(),
            href.replace('&', "&amp;"),
            resolve::percent_decode(href),
            file_name.to_string(),
        ];
        let at = candidates.iter().find_map(|c| text.find(c.as_str()))?;
        Some(crate::diag::line_col(text, at).0)
    }
}

impl LinkReport {
    /// The broken links as diagnostics: an error per link in an article body
    /// (at its source file and line), one per broken target for the links of
    /// the templates (at the first page, counting the others); outside links
    /// as warnings.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for b in &self.broken {
            broken_diagnostics(b, Diagnostic::error, &mut out);
        }
        for b in &self.external_broken {
            broken_diagnostics(b, Diagnostic::warning, &mut out);
        }
        out.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        out
    }
}

type Make = fn(&Path, Option<usize>, String) -> Diagnostic;

fn broken_diagnostics(b: &Broken, make: Make, out: &mut Vec<Diagnostic>) {
    let (in_body, on_page): (Vec<&Place>, Vec<&Place>) =
        b.on.iter().partition(|p| p.source.is_some());
    for p in &in_body {
        let source = p.source.as_deref().unwrap_or(Path::new(""));
        let href = p.href.as_deref().unwrap_or(&b.target);
        let mut message = format!("broken link `{href}` on {}: {}", p.page, b.problem);
        if on_page.is_empty() && std::ptr::eq(*p, in_body[in_body.len() - 1]) {
            message += &also(b.more_pages);
        }
        out.push(make(source, p.line, message));
    }
    if let Some(first) = on_page.first() {
        let others = on_page.len() - 1 + b.more_pages;
        let message = format!("broken link `{}`: {}{}", b.target, b.problem, also(others));
        out.push(make(Path::new(&first.page), None, message));
    }
}

/// ` (and on 3 other pages)`, or nothing.
fn also(others: usize) -> String {
    match others {
        0 => String::new(),
        1 => " (and on 1 other page)".to_string(),
        n => format!(" (and on {n} other pages)"),
    }
}
