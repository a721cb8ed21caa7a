//! `broadsheet build`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::build::{BuildOptions, BuildReport, Progress, build};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site folder (holding site.toml and content/).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Where to write the site [default: <root>/public].
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Override base_url from site.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include articles marked as drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Leave out articles with errors (listed) instead of failing.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Build as if the time were this RFC 3339 instant (it decides which
    /// articles the news sitemap lists) [default: the clock].
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<DateTime<FixedOffset>>,
    /// Ignore .broadsheet-cache/ and do not update it: a clean, full build.
    #[arg(long)]
    pub no_cache: bool,
    /// Print the time of each phase, pages rendered and reused, and peak memory.
    #[arg(long)]
    pub timings: bool,
}

pub(super) fn parse_now(s: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s)
        .map_err(|e| format!("{e}: use RFC 3339, e.g. 2013-02-02T12:00:00Z"))
}

/// An indicatif bar on a terminal; nothing otherwise.
struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn phase(&self, name: &str, total: u64) {
        if let Some(bar) = &self.0 {
            bar.set_length(total);
            bar.set_position(0);
            bar.set_message(name.to_string());
        }
    }
    fn advance(&self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(n);
        }
    }
}

pub fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let root = super::root_of(&args.root);
    let opts = BuildOptions {
        output_dir: args.output_dir.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        skip_invalid: args.skip_invalid,
        now: args.now,
        no_cache: args.no_cache,
        cache_dir: None,
        // The process ends after this build.
        exit_after: true,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{msg:>7} [{bar:30}] {pos}/{len}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    });
    let progress = Bar(bar);
    let result = build(&root, &opts, &progress);
    if let Some(bar) = &progress.0 {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            for note in &report.cache_notes {
                eprintln!("note: {note}");
            }
            for p in &report.skipped_invalid {
                eprintln!("skipped (invalid): {}", p.display());
            }
            for (p, why) in &report.skipped_files {
                eprintln!("skipped ({why}): {}", p.display());
            }
            println!(
                "built {} in {:.2?}: {} written to {}",
                super::summary(&super::Summary::of_build(&report)),
                report.elapsed,
                report.pages_written,
                report.output_dir.display(),
            );
            if args.timings {
                print_timings(&report);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            super::print_diagnostics(&err.diagnostics);
            eprintln!("error: build failed with {err}; the output was not changed");
            Ok(ExitCode::from(1))
        }
    }
}

/// The `--timings` table.
fn print_timings(report: &BuildReport) {
    let t = &report.timings;
    let secs = |d: std::time::Duration| format!("{:8.3} s", d.as_secs_f64());
    println!("timings:");
    let mib = |b: Option<u64>| match b {
        Some(b) => format!("{:7.1} MiB", b as f64 / (1024.0 * 1024.0)),
        None => "      ? MiB".to_string(),
    };
    println!("  {:<28}{:>10}  peak memory so far", "phase", "wall");
    for phase in &t.phases {
        let name = phase.name;
        let extra = match name {
            "parse" => format!(
                "  {} parsed, {} reused from the cache",
                t.parsed, t.parse_reused
            ),
            _ => String::new(),
        };
        println!(
            "  {name:<28}{}  {}{extra}",
            secs(phase.took),
            mib(phase.peak_rss_bytes)
        );
        if name == "render and write pages" {
            for k in t.kinds.iter().filter(|k| k.pages > 0) {
                println!(
                    "    {:<26}{}  {} pages: {} rendered, {} reused (time summed over threads)",
                    k.label,
                    secs(k.time),
                    k.pages,
                    k.rendered,
                    k.reused
                );
            }
            println!(
                "    {:<26}{}  (summed over threads)",
                "writing files",
                secs(t.write)
            );
        }
    }
    println!("  {:<28}{}", "total", secs(report.elapsed));
    println!(
        "  pages: {} rendered, {} reused; files: {} written, {} unchanged, {} removed ({})",
        report.pages_rendered,
        report.pages_reused,
        report.pages_written,
        report.files_unchanged,
        report.files_removed,
        if report.incremental {
            "output patched in place"
        } else {
            "output written whole and swapped in"
        }
    );
    match t.peak_rss_bytes {
        Some(b) => println!("  peak memory: {:.1} MiB", b as f64 / (1024.0 * 1024.0)),
        None => println!("  peak memory: unknown on this platform"),
    }
}
