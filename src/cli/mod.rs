//! The command line: clap definitions and one file per command. The only place
//! that prints or chooses exit codes (0 ok, 1 build or check errors, 2 usage).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the command line is the one place that prints"
)]

mod build;
mod check;
mod deploy;
mod import;
mod init;
mod links;
mod new;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::Diagnostic;

/// broadsheet: turn a folder of articles into a news archive website.
#[derive(Debug, Parser)]
#[command(name = "broadsheet", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output-dir).
    Build(build::BuildArgs),
    /// Check the site without writing; `--ingest` reports what was read from each file.
    Check(check::CheckArgs),
    /// Publish the built site to a target from `[[deploy.targets]]` in site.toml.
    Deploy(deploy::DeployArgs),
    /// Write a new dated Markdown article under content/.
    New(new::NewArgs),
    /// Bring an archive from another system (`import wordpress EXPORT.xml`).
    Import(import::ImportArgs),
    /// Create a new site that builds as it is.
    Init(init::InitArgs),
    /// Preview the site locally, rebuilding and reloading the browser on changes.
    Serve(serve::ServeArgs),
}

/// How `check --ingest` and `check --links` report.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Deploy(args) => deploy::run(&args),
        Command::New(args) => new::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Serve(args) => serve::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// The site root from `--root`, defaulting to the current directory.
fn root_of(root: &Option<PathBuf>) -> PathBuf {
    root.clone().unwrap_or_else(|| PathBuf::from("."))
}

/// Prints diagnostics to stderr, one per line.
fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

/// `1 article`, `2 articles`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The figures `build`, `check` and `serve` end with, counted the same way.
struct Summary {
    articles: usize,
    pages: usize,
    files: usize,
    warnings: usize,
    drafts_left_out: usize,
    invalid_skipped: usize,
}

impl Summary {
    fn of_build(r: &crate::build::BuildReport) -> Summary {
        Summary {
            articles: r.articles,
            pages: r.pages,
            files: r.files,
            warnings: r.warnings(),
            drafts_left_out: r.drafts_left_out,
            invalid_skipped: r.skipped_invalid.len(),
        }
    }
}

/// `3 articles, 12 pages, 40 files, 1 warning, 1 draft left out`: what a
/// site is made of, with the parts that are zero and unusual left out.
fn summary(s: &Summary) -> String {
    let mut out = format!(
        "{}, {}, {}, {}",
        count(s.articles, "article"),
        count(s.pages, "page"),
        count(s.files, "file"),
        count(s.warnings, "warning")
    );
    if s.drafts_left_out > 0 {
        out += &format!(", {} left out", count(s.drafts_left_out, "draft"));
    }
    if s.invalid_skipped > 0 {
        out += &format!(", {} skipped", count(s.invalid_skipped, "invalid article"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn summaries_count_in_words_a_reader_expects() {
        let s = Summary {
            articles: 1,
            pages: 12,
            files: 40,
            warnings: 1,
            drafts_left_out: 1,
            invalid_skipped: 2,
        };
        assert_eq!(
            summary(&s),
            "1 article, 12 pages, 40 files, 1 warning, 1 draft left out, 2 invalid articles skipped"
        );
    }
}
