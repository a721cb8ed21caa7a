//! `broadsheet build`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::build::{BuildOptions, Progress, build};

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
            for p in &report.skipped_invalid {
                eprintln!("skipped (invalid): {}", p.display());
            }
            for (p, why) in &report.skipped_files {
                eprintln!("skipped ({why}): {}", p.display());
            }
            let warnings = report.warnings();
            println!(
                "built {} articles, {} pages written to {}, {} warning{}{}{} in {:.2?}",
                report.articles,
                report.pages_written,
                report.output_dir.display(),
                warnings,
                if warnings == 1 { "" } else { "s" },
                if report.skipped_invalid.is_empty() {
                    String::new()
                } else {
                    format!(", {} invalid skipped", report.skipped_invalid.len())
                },
                if report.drafts_left_out == 0 {
                    String::new()
                } else {
                    format!(", {} drafts left out", report.drafts_left_out)
                },
                report.elapsed
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            super::print_diagnostics(&err.diagnostics);
            eprintln!("error: {err}; the output was not changed");
            Ok(ExitCode::from(1))
        }
    }
}
