//! The command line: clap definitions and one file per command. The only place
//! that prints or chooses exit codes (0 ok, 1 build or check errors, 2 usage).

mod build;
mod check;
mod deploy;
mod import;
mod init;
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
