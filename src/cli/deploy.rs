//! `broadsheet deploy`: publishes the built output to a target from site.toml.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::config::Config;
use crate::deploy::{BarProgress, DeployOptions, DeployProgress, NoProgress, deploy};

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Site folder.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The built site to publish [default: <root>/public].
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Target name from `[[deploy.targets]]` (needed when there are several).
    #[arg(long, value_name = "NAME")]
    pub target: Option<String>,
    /// Print what would be uploaded, replaced and deleted; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Upload every file, changed or not.
    #[arg(long)]
    pub force: bool,
    /// Refuse a deploy that would delete more files than this.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_deletes: usize,
    /// Directory targets: make the previous release live again.
    #[arg(long)]
    pub rollback: bool,
    /// Write the changed URL paths here (for CDN invalidation).
    #[arg(long, value_name = "FILE")]
    pub changed_paths: Option<PathBuf>,
    /// List every change, not only the summary.
    #[arg(long, short)]
    pub verbose: bool,
}

pub fn run(args: &DeployArgs) -> anyhow::Result<ExitCode> {
    let root = super::root_of(&args.root);
    let cfg = match Config::load(&root) {
        Ok(cfg) => cfg,
        Err(d) => {
            eprintln!("{d}");
            return Ok(ExitCode::from(1));
        }
    };
    let output = args
        .output_dir
        .clone()
        .unwrap_or_else(|| root.join("public"));
    if !output.is_dir() && !args.rollback {
        eprintln!(
            "error: {} does not exist; run `broadsheet build` first",
            output.display()
        );
        return Ok(ExitCode::from(1));
    }
    let opts = DeployOptions {
        target: args.target.clone(),
        dry_run: args.dry_run,
        force: args.force,
        max_deletes: args.max_deletes,
        rollback: args.rollback,
        changed_paths_file: args.changed_paths.clone(),
    };
    let bar;
    let progress: &dyn DeployProgress = if std::io::stderr().is_terminal() && !args.dry_run {
        bar = BarProgress::new();
        &bar
    } else {
        &NoProgress
    };
    // A relative directory-target path is relative to the site, not the shell.
    let mut deploy_cfg = cfg.deploy.clone();
    for t in &mut deploy_cfg.targets {
        if let crate::deploy::TargetConfig::Directory(d) = t
            && d.path.is_relative()
        {
            d.path = root.join(&d.path);
        }
    }
    match deploy(&output, &deploy_cfg, &opts, progress) {
        Ok(report) => {
            if args.verbose || args.dry_run {
                println!("{report:#}");
            } else {
                println!("{report}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
