//! `broadsheet check --links [--external]`: the check, then every link of
//! every page; text (diagnostics on stderr, figures on stdout) or JSON.

use std::path::Path;
use std::process::ExitCode;

use super::ReportFormat;
use crate::build::{BuildOptions, Quiet};
use crate::links::{self, ExternalOptions, LinkOptions, LinkReport};

pub fn run(
    root: &Path,
    opts: &BuildOptions,
    external: bool,
    format: ReportFormat,
) -> anyhow::Result<ExitCode> {
    let link_opts = LinkOptions {
        external: external.then(ExternalOptions::default),
    };
    let (checked, report) = match links::check(root, opts, &Quiet, &link_opts) {
        Ok(done) => done,
        Err(err) => {
            super::print_diagnostics(&err.diagnostics);
            eprintln!("error: check found {err}; links were not checked");
            return Ok(ExitCode::from(1));
        }
    };
    let broken = report.broken.len();
    let summary = super::Summary {
        articles: checked.articles,
        pages: checked.pages,
        files: checked.files,
        warnings: checked.diagnostics.iter().filter(|d| !d.is_error()).count(),
        drafts_left_out: checked.drafts_left_out,
        invalid_skipped: 0,
    };
    match format {
        ReportFormat::Json => {
            let json = serde_json::json!({
                "articles": summary.articles,
                "pages": summary.pages,
                "files": summary.files,
                "diagnostics": checked.diagnostics,
                "links": report,
            });
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        ReportFormat::Text => {
            super::print_diagnostics(&checked.diagnostics);
            super::print_diagnostics(&report.diagnostics());
            println!("{}", figures(&report));
            if let Some(s) = &report.external_summary {
                println!("{}", outside_figures(s));
                if let Some(note) = &s.cache_note {
                    eprintln!("warning: {note}");
                }
            }
        }
    }
    if broken > 0 {
        eprintln!("error: check found {}", super::count(broken, "broken link"));
        return Ok(ExitCode::from(1));
    }
    if matches!(format, ReportFormat::Text) {
        println!(
            "check passed: {}, no broken links (nothing written)",
            super::summary(&summary)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `links: 97 pages, 1983 links (1885 into the site, to 327 targets; 98 outside; 0 not checked), 0 broken`
fn figures(r: &LinkReport) -> String {
    format!(
        "links: {}, {} ({} into the site, to {}; {} outside, to {}; {} not checked), {} broken",
        super::count(r.pages, "page"),
        super::count(r.links, "link"),
        r.internal,
        super::count(r.internal_targets, "target"),
        r.external,
        super::count(r.external_urls, "URL"),
        r.unchecked,
        r.broken.len()
    )
}

/// `outside links: 45 URLs on 12 hosts: 40 ok, 2 broken, 1 unreachable (3 from the cache, 42 asked, 1 retry)`
fn outside_figures(s: &links::external::Summary) -> String {
    format!(
        "outside links: {} on {}: {} ok, {} broken, {} unreachable ({} from the cache, {} asked, {})",
        super::count(s.urls, "URL"),
        super::count(s.hosts, "host"),
        s.ok,
        s.broken,
        s.unreachable,
        s.from_cache,
        s.fetched,
        super::count(s.retries, "retry").replace("retrys", "retries")
    )
}
