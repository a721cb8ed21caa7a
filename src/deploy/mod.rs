//! `broadsheet deploy`: publishes a built output directory to a target (a local folder
//! switched atomically, or an S3-compatible bucket), sending only what changed, in an
//! order that never shows readers a link to a missing file, and deleting only after
//! every upload succeeded.
//!
//! A user of the build's output only: it reads the output directory, never builds,
//! never writes into it, and prints nothing (the CLI prints the [`DeployReport`] and
//! draws progress through [`DeployProgress`]).
//!
//! ```text
//! output dir -> local::scan -> LocalFile[] --+
//! target (listing, manifest)  -> Remote{}  --+-> plan::plan -> Plan -> target runs it
//!                                                                  -> DeployReport
//! ```

mod config;
mod directory;
mod error;
mod local;
mod lock;
mod manifest;
mod plan;
mod progress;
mod s3;

use std::path::{Path, PathBuf};

pub use config::{
    ASSET, CacheRule, DeployConfig, DirectoryTarget, IMMUTABLE, S3Target, SHORT, TargetConfig,
};
pub use error::DeployError;

pub use plan::{Change, ChangeKind, DeployReport, Phase, human_bytes, phase};
pub use progress::BarProgress;

/// How to run a deploy; `Default` gives a plain incremental deploy of the only target.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Name of the target; may be `None` when exactly one is configured.
    pub target: Option<String>,
    /// Work out and report the plan, change nothing.
    pub dry_run: bool,
    /// Upload every file, changed or not.
    pub force: bool,
    /// Refuse (changing nothing) a deploy that would delete more files than this.
    pub max_deletes: usize,
    /// Directory targets: make the release before the live one live again.
    pub rollback: bool,
    /// Where to write the changed URL paths, one a line, for CDN invalidation.
    pub changed_paths_file: Option<PathBuf>,
}

impl Default for DeployOptions {
    fn default() -> Self {
        Self {
            target: None,
            dry_run: false,
            force: false,
            max_deletes: 256,
            rollback: false,
            changed_paths_file: None,
        }
    }
}

/// Receives progress while a deploy runs, from several threads at once. Every method
/// does nothing by default; [`BarProgress`] draws a bar, [`NoProgress`] stays quiet.
pub trait DeployProgress: Sync {
    /// The plan is made: `files` files of `bytes` bytes in all will be sent.
    fn start(&self, _files: usize, _bytes: u64) {}
    /// One file was uploaded (or copied into a new release).
    fn uploaded(&self, _path: &str, _bytes: u64) {}
    /// One file was deleted from the target.
    fn deleted(&self, _path: &str) {}
    /// The deploy ended, well or not.
    fn finish(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl DeployProgress for NoProgress {}

/// Deploys the built site in `output_dir` to the target `opts` selects from `cfg`, or
/// with `opts.rollback` switches a directory target back one release. Returns what was
/// (or, with `dry_run`, would be) done. On error the live site is whole: either nothing
/// changed yet, or only new files were added beside the old ones; running the deploy
/// again finishes the job.
pub fn deploy(
    output_dir: &Path,
    cfg: &DeployConfig,
    opts: &DeployOptions,
    progress: &dyn DeployProgress,
) -> Result<DeployReport, DeployError> {
    cfg.validate()?;
    let target = cfg.select(opts.target.as_deref())?;
    let result = run(output_dir, cfg, target, opts, progress);
    progress.finish();
    let report = result?;
    if !report.dry_run
        && let Some(path) = &opts.changed_paths_file
    {
        write_changed_paths(path, &report)?;
    }
    Ok(report)
}

fn run(
    output_dir: &Path,
    cfg: &DeployConfig,
    target: &TargetConfig,
    opts: &DeployOptions,
    progress: &dyn DeployProgress,
) -> Result<DeployReport, DeployError> {
    if opts.rollback {
        return match target {
            TargetConfig::Directory(d) => directory::rollback(d, opts),
            TargetConfig::S3(s) => Err(DeployError::Rollback(format!(
                "--rollback works with directory targets only; `{}` is an s3 target \
                 (deploy the older build instead)",
                s.name
            ))),
        };
    }
    let files = local::scan(output_dir)?;
    match target {
        TargetConfig::Directory(d) => directory::deploy(d, &files, cfg, opts, progress),
        TargetConfig::S3(s) => s3::deploy(s, &files, cfg, opts, progress),
    }
}

/// Fails with `TooManyDeletes` when the plan deletes more than allowed.
fn check_deletes(target: &str, count: usize, opts: &DeployOptions) -> Result<(), DeployError> {
    if count > opts.max_deletes {
        return Err(DeployError::TooManyDeletes {
            target: target.to_owned(),
            count,
            max: opts.max_deletes,
        });
    }
    Ok(())
}

/// Writes the changed URL paths, one a line, replacing the file in one rename.
fn write_changed_paths(path: &Path, report: &DeployReport) -> Result<(), DeployError> {
    let mut text = report.changed_url_paths().join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    write_atomically(path, text.as_bytes())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`, so a
/// reader or a killed deploy never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), DeployError> {
    let name = path.file_name().map_or_else(
        || "changed-paths".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| DeployError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| DeployError::io(path, e))
}
