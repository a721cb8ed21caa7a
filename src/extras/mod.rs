//! The build step for every file beside the rendered pages: feeds, sitemaps,
//! the news sitemap, robots.txt and redirects. Called once by the build with
//! the archive index and the page plan; checks first (dates agree, aliases are
//! safe and collide with nothing), then makes the files in parallel and hands
//! each to the caller's sink. No file I/O here: bodies come through `body`,
//! files leave through `sink`.
//!
//! A static `robots.txt` of the theme or the site replaces the generated one;
//! any other generated path that a static file also has is an error.

pub mod feeds;
pub mod redirects;
pub mod sitemap;
pub mod xml;

use std::collections::HashMap;

use ahash::AHashSet;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::archive::{Archive, fill_tokens};
use crate::article::slug::slugify;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::output::url_to_file;
use crate::plan::{ListId, PageKind, PlannedPage};
use feeds::{BodyFn, FeedFormat};
use redirects::Owner;
use sitemap::Limits;

pub use crate::output::SinkFn;

/// Asked before a file is made, with the fingerprint of everything it is made
/// from: `true` means the output already holds the file made from that same
/// input (the caller keeps it), so it is not made. On `false` the file is made
/// and handed to the sink, and the caller records it with that fingerprint.
pub type KeepFn<'a> = dyn Fn(&str, &[u8; 16]) -> bool + Sync + 'a;

/// What the step reads.
pub struct ExtraInput<'a> {
    pub archive: &'a Archive,
    pub cfg: &'a Config,
    pub pages: &'a [PlannedPage],
    /// Output paths of the theme's and site's static files.
    pub statics: &'a [&'a str],
    /// The build's "now": decides the news sitemap's two-day window.
    pub now: DateTime<FixedOffset>,
    /// Incremental builds: per-article digests (`render::Renderer::digests`)
    /// and the keep question; feeds whose input is unchanged are not made.
    pub incremental: Option<(&'a [[u8; 16]], &'a KeepFn<'a>)>,
    /// Where the search step keeps its cache (none: `--no-cache`).
    pub cache_dir: Option<&'a std::path::Path>,
}

/// Checks, makes and hands over every extra file. Returns every problem
/// found; any error means the build must fail.
pub fn extra_outputs(input: &ExtraInput, body: &BodyFn, sink: &SinkFn) -> Vec<Diagnostic> {
    let (a, cfg) = (input.archive, input.cfg);
    let mut diags = check_dates(a, cfg);
    let (aliases, alias_diags) = redirects::table(a, cfg);
    diags.extend(alias_diags);
    let sitemaps = match sitemap::plan(a, cfg, input.pages, input.now, Limits::of(cfg)) {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return diags;
        }
    };
    let mut made = Made {
        feed_lists: feeds::lists(a),
        sitemaps,
        aliases,
        static_robots: input.statics.contains(&"robots.txt"),
    };
    diags.extend(claim_paths(input, &mut made));
    if diags.iter().any(Diagnostic::is_error) {
        return diags;
    }
    let mut errors = make_files(input, &made, body, sink);
    errors.sort_by(|x, y| (&x.file, x.line).cmp(&(&y.file, y.line)));
    if cfg.search.enabled {
        let search = crate::search::SearchInput {
            archive: a,
            cfg,
            body,
            cache_dir: input.cache_dir,
        };
        diags.extend(crate::search::outputs(&search, sink));
    }
    diags.extend(errors);
    diags
}

/// What the extras step makes, once the archive is checked.
struct Made {
    feed_lists: Vec<ListId>,
    sitemaps: sitemap::SitemapPlan,
    aliases: Vec<redirects::Alias>,
    /// A static `robots.txt` replaces the generated one.
    static_robots: bool,
}

impl Made {
    /// Every output path the step makes, but the alias pages.
    fn generated(&self, a: &Archive) -> Vec<String> {
        let mut generated: Vec<String> = self
            .feed_lists
            .iter()
            .flat_map(|&l| FeedFormat::ALL.map(|f| feeds::feed_url(l, a, f)))
            .flatten()
            .map(|u| u.trim_start_matches('/').to_string())
            .collect();
        generated.extend(self.sitemaps.files.iter().map(|f| f.path.clone()));
        generated.push(sitemap::INDEX.into());
        if !self.sitemaps.news.is_empty() {
            generated.push(sitemap::NEWS.into());
        }
        if !self.static_robots {
            generated.push("robots.txt".into());
        }
        if !self.aliases.is_empty() {
            generated.extend([redirects::NETLIFY.into(), redirects::NGINX.into()]);
        }
        generated
    }
}

/// Who owns each output path, to refuse any alias or file landing twice.
/// Only paths something else wants can collide, so only pages at those
/// paths are entered (a large archive has far more pages than claims).
fn claim_paths(input: &ExtraInput, made: &mut Made) -> Vec<Diagnostic> {
    let a = input.archive;
    let generated = made.generated(a);
    let wanted: AHashSet<&str> = generated
        .iter()
        .map(String::as_str)
        .chain(made.aliases.iter().map(|al| al.file.as_str()))
        .collect();
    let mut taken: HashMap<String, Owner> = page_owners(input, &wanted).into_iter().collect();
    for s in input.statics {
        taken.insert((*s).to_string(), Owner::Static((*s).to_string()));
    }
    let mut diags = Vec::new();
    for path in generated {
        if let Some(owner) = taken.get(&path) {
            diags.push(Diagnostic::error(
                std::path::Path::new(&path),
                None,
                format!("{owner} has the path of a generated file (feed, sitemap or redirects)"),
            ));
        }
        taken.insert(path.clone(), Owner::Generated(path));
    }
    diags.extend(redirects::collisions(&mut made.aliases, a, &taken));
    diags
}

/// The pages whose files are among the `wanted` paths, with their owners.
/// A page's file is its path, or for a path ending in `/` that path and
/// `index.html`: tested against the wanted paths without making the name.
fn page_owners(input: &ExtraInput, wanted: &AHashSet<&str>) -> Vec<(String, Owner)> {
    let wanted_dirs: AHashSet<&str> = wanted
        .iter()
        .filter_map(|w| w.strip_suffix("index.html"))
        .filter(|d| d.is_empty() || d.ends_with('/'))
        .collect();
    input
        .pages
        .par_iter()
        .filter_map(|page| {
            let trimmed = page.url.trim_start_matches('/');
            let hit = if trimmed.is_empty() || trimmed.ends_with('/') {
                wanted_dirs.contains(trimmed)
            } else {
                wanted.contains(trimmed)
            };
            hit.then(|| {
                let owner = match page.kind {
                    PageKind::Article(i) => {
                        Owner::Article(input.archive.entries[i as usize].article.source.clone())
                    }
                    _ => Owner::Page(page.url.clone()),
                };
                (url_to_file(&page.url), owner)
            })
        })
        .collect()
}

/// Makes every extra file (feeds and sitemap files only when their input
/// changed) and hands it to `sink`; returns the errors of the sink.
fn make_files(input: &ExtraInput, made: &Made, body: &BodyFn, sink: &SinkFn) -> Vec<Diagnostic> {
    let (a, cfg, pages) = (input.archive, input.cfg, input.pages);
    let write = |path: &str, text: &str| sink(path.trim_start_matches('/'), text.as_bytes());
    let feed_errors = make_feeds(input, &made.feed_lists, body, &write);
    let sitemap_errors = made.sitemaps.files.par_iter().filter_map(|f| {
        if let Some((_, keep)) = input.incremental {
            if keep(&f.path, &sitemap::fingerprint(f, pages, cfg)) {
                return None;
            }
        }
        write(&f.path, &sitemap::render_file(f, pages, cfg)).err()
    });
    let alias_errors = made
        .aliases
        .par_iter()
        .filter(|al| !al.file.is_empty())
        .filter_map(|al| write(&al.file, &redirects::page(al, a, cfg)).err());
    let mut singles = vec![(
        sitemap::INDEX.to_string(),
        sitemap::render_index(&made.sitemaps, a, cfg),
    )];
    singles.extend(
        sitemap::render_news(&made.sitemaps, a, cfg).map(|t| (sitemap::NEWS.to_string(), t)),
    );
    if !made.static_robots {
        singles.push(("robots.txt".into(), sitemap::robots(cfg)));
    }
    if !made.aliases.is_empty() {
        singles.push((redirects::NETLIFY.into(), redirects::netlify(&made.aliases)));
        singles.push((redirects::NGINX.into(), redirects::nginx(&made.aliases)));
    }
    let single_errors = singles.par_iter().filter_map(|(p, t)| write(p, t).err());
    feed_errors
        .into_iter()
        .chain(sitemap_errors.collect::<Vec<_>>())
        .chain(alias_errors.collect::<Vec<_>>())
        .chain(single_errors.collect::<Vec<_>>())
        .collect()
}

/// Every feed whose input changed, in every format.
fn make_feeds(
    input: &ExtraInput,
    lists: &[ListId],
    body: &BodyFn,
    write: &(dyn Fn(&str, &str) -> Result<(), Diagnostic> + Sync),
) -> Vec<Diagnostic> {
    let (a, cfg) = (input.archive, input.cfg);
    // An empty feed shows the newest change in the archive: part of its input.
    let newest_change = a
        .entries
        .par_iter()
        .filter_map(|e| e.modified(cfg.timezone))
        .max();
    lists
        .par_iter()
        .filter_map(|&list| {
            if let Some((digests, keep)) = input.incremental {
                let fp = feeds::fingerprint(list, a, cfg, digests, newest_change);
                // Ask for every format (each call records the fingerprint).
                let kept: Vec<bool> = FeedFormat::ALL
                    .iter()
                    .filter_map(|&f| feeds::feed_url(list, a, f))
                    .map(|u| keep(u.trim_start_matches('/'), &fp))
                    .collect();
                if kept.iter().all(|&k| k) {
                    return None;
                }
            }
            let files = feeds::render(list, a, cfg, newest_change, body);
            files
                .and_then(|files| files.iter().try_for_each(|(p, t)| write(p, t)))
                .err()
        })
        .collect()
}

/// The dates a reader and a crawler see must agree: the byline, JSON-LD, feeds
/// and sitemaps all print `Entry::local_date` / `Entry::modified`; this checks
/// that each article's URL shows that same day where the permalink has
/// `:year`, `:month` or `:day`, and warns where `updated` is before `date`.
pub fn check_dates(a: &Archive, cfg: &Config) -> Vec<Diagnostic> {
    let site_pattern = segments(&cfg.permalink);
    let by_section: HashMap<&str, Vec<Segment>> = cfg
        .permalinks
        .iter()
        .map(|(section, pattern)| (section.as_str(), segments(pattern)))
        .collect();
    a.entries
        .par_iter()
        .fold(
            || (String::new(), Vec::new()),
            |(mut buf, mut diags), e| {
                let Some(d) = e.local_date else {
                    return (buf, diags);
                };
                // An explicit URL is the old address, whatever it shows.
                if crate::urls::kept(&e.article, cfg).is_some() {
                    return (buf, diags);
                }
                let pattern = match by_section.get(slugify(&e.article.section).as_str()) {
                    Some(p) if !by_section.is_empty() => p,
                    _ => &site_pattern,
                };
                if !shows_date(pattern, &e.url, d, &mut buf) {
                    diags.push(Diagnostic::error(
                        &e.article.source,
                        None,
                        format!(
                            "the URL {} does not show the publication date {} (in {}), which the byline, JSON-LD and sitemap print",
                            e.url,
                            d.format("%Y-%m-%d"),
                            cfg.timezone
                        ),
                    ));
                }
                if let Some(u) = e.article.updated.filter(|&u| u < d) {
                    diags.push(Diagnostic::warning(
                        &e.article.source,
                        None,
                        format!(
                            "`updated` ({}) is before `date` ({}); feeds, sitemaps and metadata use the date",
                            u.with_timezone(&cfg.timezone).fixed_offset().to_rfc3339(),
                            d.to_rfc3339()
                        ),
                    ));
                }
                (buf, diags)
            },
        )
        .map(|(_, diags)| diags)
        .reduce(Vec::new, |mut x, y| {
            x.extend(y);
            x
        })
}

/// Stands for "any run of characters" in a filled pattern.
const ANY: char = '\u{0}';

/// One `/`-separated segment of a permalink pattern, for `shows_date`.
enum Segment<'a> {
    /// No token: the URL's segment must be this.
    Literal(&'a str),
    /// Exactly `:year`, `:month` or `:day`.
    Year,
    Month,
    Day,
    /// Exactly `:slug` or `:section`: anything.
    Any,
    /// Holds `:path`: one or more segments, anything.
    Path,
    /// Anything else: filled and matched as a glob.
    Mixed(&'a str),
}

fn segments(pattern: &str) -> Vec<Segment<'_>> {
    pattern
        .split('/')
        .map(|s| match s {
            ":year" => Segment::Year,
            ":month" => Segment::Month,
            ":day" => Segment::Day,
            ":slug" | ":section" => Segment::Any,
            _ if s.contains(":path") => Segment::Path,
            _ if !s.contains([':', ANY]) => Segment::Literal(s),
            _ => Segment::Mixed(s),
        })
        .collect()
}

/// Whether `url` matches the permalink `pattern` with its date tokens filled
/// from `d` (other tokens match anything); `buf` is scratch space.
#[cfg(test)]
fn url_shows_date(pattern: &str, url: &str, d: DateTime<FixedOffset>, buf: &mut String) -> bool {
    shows_date(&segments(pattern), url, d, buf)
}

/// `url_shows_date` with the pattern cut into segments once (filling a
/// token never makes a `/`, so each segment can be filled on its own).
fn shows_date(
    pattern: &[Segment<'_>],
    url: &str,
    d: DateTime<FixedOffset>,
    buf: &mut String,
) -> bool {
    // `:path` takes what the segments before and after it leave.
    if let Some(k) = pattern.iter().position(|s| matches!(s, Segment::Path)) {
        let parts: Vec<&str> = url.split('/').collect();
        let (head, tail) = (&pattern[..k], &pattern[k + 1..]);
        if parts.len() < head.len() + tail.len() + 1 {
            return false;
        }
        let (url_head, rest) = parts.split_at(head.len());
        let url_tail = &rest[rest.len() - tail.len()..];
        let mut matches = |segs: &[Segment<'_>], parts: &[&str]| {
            segs.is_empty() || shows_date(segs, &parts.join("/"), d, buf)
        };
        return matches(head, url_head) && matches(tail, url_tail);
    }
    let mut parts = url.split('/');
    for segment in pattern {
        let Some(part) = parts.next() else {
            return false;
        };
        let ok = match *segment {
            Segment::Literal(text) => text == part,
            Segment::Any | Segment::Path => true,
            Segment::Year => {
                fill(":year", d, buf);
                buf == part
            }
            Segment::Month => {
                part.len() == 2 && {
                    fill(":month", d, buf);
                    buf == part
                }
            }
            Segment::Day => {
                part.len() == 2 && {
                    fill(":day", d, buf);
                    buf == part
                }
            }
            Segment::Mixed(text) => {
                fill(text, d, buf);
                glob_match(buf, part, ANY)
            }
        };
        if !ok {
            return false;
        }
    }
    parts.next().is_none()
}

/// `pattern` with its date tokens filled from `d` and `:section` and
/// `:slug` as `ANY`, into `out`.
fn fill(pattern: &str, d: DateTime<FixedOffset>, out: &mut String) {
    out.clear();
    fill_tokens(out, pattern, d, |o| o.push(ANY), "\u{0}");
}

/// `pattern` with `any` standing for any run of characters.
fn glob_match(pattern: &str, text: &str, any: char) -> bool {
    let Some((first, tail)) = pattern.split_once(any) else {
        return pattern == text;
    };
    let (mids, last) = match tail.rsplit_once(any) {
        Some((mids, last)) => (Some(mids), last),
        None => (None, tail),
    };
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in mids.into_iter().flat_map(|m| m.split(any)) {
        match rest.find(mid) {
            Some(p) => rest = &rest[p + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests;
