//! `broadsheet serve`: build the site for the local address into a temporary
//! directory, serve it with live reload, rebuild on changes, and remove the
//! temporary directory on exit (the project is left as it was).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::build::{BuildError, BuildOptions, BuildReport, Quiet, build};
use crate::serve::{self, BuildFailure, Rebuilder, ServeEvent, ServeOptions};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site folder (holding site.toml and content/).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Address to listen on; anything but loopback exposes the preview.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on; 0 picks a free one (printed).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include articles marked as drafts.
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let root = super::root_of(&args.root);
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open the site folder {}", root.display()))?;
    let scratch = Scratch::create()?;
    let site_dir = scratch.0.join("public");
    let listener = serve::bind(ServeOptions {
        bind: args.bind,
        port: args.port,
        open: args.open,
        site_dir: site_dir.clone(),
        watch: ["content", "templates", "themes", "static", "site.toml"]
            .iter()
            .map(|p| root.join(p))
            .collect(),
        ..ServeOptions::default()
    })?;
    let builder = SiteBuilder {
        opts: BuildOptions {
            output_dir: Some(site_dir),
            // The cache lives in the scratch folder too: serve leaves nothing in the project.
            cache_dir: Some(scratch.0.join("cache")),
            // Links point at the preview, not at the published site.
            base_url: Some(listener.url()),
            drafts: args.drafts,
            skip_invalid: false,
            ..BuildOptions::default()
        },
        root,
    };
    match builder.build() {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            println!(
                "built {} in {:.2?}",
                super::summary(&super::Summary::of_build(&report)),
                report.elapsed
            );
        }
        Err(err) => {
            super::print_diagnostics(&err.diagnostics);
            eprintln!("error: build failed with {err}; fix it and run `broadsheet serve` again");
            return Ok(ExitCode::from(1));
        }
    }
    listener.serve(builder, print_event)?;
    drop(scratch);
    Ok(ExitCode::SUCCESS)
}

/// The real build behind the preview.
struct SiteBuilder {
    root: PathBuf,
    opts: BuildOptions,
}

impl SiteBuilder {
    fn build(&self) -> Result<BuildReport, BuildError> {
        build(&self.root, &self.opts, &Quiet)
    }
}

impl Rebuilder for SiteBuilder {
    fn rebuild(&self, changed: &[PathBuf]) -> Result<String, BuildFailure> {
        let what = describe(&self.root, changed);
        match self.build() {
            Ok(report) => Ok(format!(
                "{what} changed: {} pages rendered, {} reused, {} removed in {:.2?}{}",
                report.pages_rendered,
                report.pages_reused,
                report.files_removed,
                report.elapsed,
                match report.warnings() {
                    0 => String::new(),
                    1 => ", 1 warning".to_owned(),
                    n => format!(", {n} warnings"),
                }
            )),
            Err(err) => Err(failure_of(&err)),
        }
    }
}

/// The first error locates the overlay; the message lists every error.
fn failure_of(err: &BuildError) -> BuildFailure {
    let mut errors = err.diagnostics.iter().filter(|d| d.is_error());
    let Some(first) = errors.next() else {
        return BuildFailure {
            file: None,
            line: None,
            message: err.to_string(),
        };
    };
    let mut message = first.message.clone();
    for other in errors {
        message.push('\n');
        message.push_str(&other.to_string());
    }
    BuildFailure {
        file: Some(first.file.clone()),
        line: first.line,
        message,
    }
}

/// `content/a.md`, or `content/a.md and 3 more`, relative to the site.
fn describe(root: &Path, changed: &[PathBuf]) -> String {
    let Some(first) = changed.first() else {
        return "nothing".to_owned();
    };
    let first = first.strip_prefix(root).unwrap_or(first).display();
    match changed.len() {
        1 => first.to_string(),
        n => format!("{first} and {} more", n - 1),
    }
}

fn print_event(event: ServeEvent) {
    match event {
        ServeEvent::Listening { url } => {
            println!("listening on {url}");
            println!("watching for changes; press Ctrl-C to stop");
        }
        ServeEvent::Changed { .. } => {}
        ServeEvent::Rebuilt { summary, .. } => println!("{summary}"),
        ServeEvent::RebuildFailed { failure, .. } => {
            eprintln!("error: rebuild failed, still serving the last good build:\n{failure}");
        }
        ServeEvent::WatchFailed { message } => eprintln!("warning: watching: {message}"),
        ServeEvent::OpenFailed { url, message } => {
            eprintln!("warning: cannot open a browser at {url}: {message}");
        }
        ServeEvent::Stopping => eprintln!("stopping"),
        ServeEvent::RebuildCutShort => {
            eprintln!(
                "stopped during a rebuild; the project is untouched (the preview is built in a temporary folder)"
            );
        }
    }
}

/// A private directory outside the project for the preview build; removed
/// on drop, so nothing is left behind.
struct Scratch(PathBuf);

impl Scratch {
    fn create() -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!("broadsheet-serve-{}", std::process::id()));
        if dir.exists() {
            // A previous process with the same id was killed; its files are ours to clear.
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover in the temp dir harms nothing.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    #[test]
    fn the_overlay_names_the_first_error_and_lists_the_rest() {
        let err = BuildError {
            diagnostics: vec![
                Diagnostic::warning(Path::new("content/w.md"), Some(1), "odd"),
                Diagnostic::error(Path::new("content/a.md"), Some(3), "unknown field `auther`"),
                Diagnostic::error(Path::new("content/b.md"), None, "no date"),
            ],
        };
        let failure = failure_of(&err);
        assert_eq!(failure.file, Some(PathBuf::from("content/a.md")));
        assert_eq!(failure.line, Some(3));
        assert_eq!(
            failure.message,
            "unknown field `auther`\ncontent/b.md: error: no date"
        );
    }

    #[test]
    fn changed_paths_are_described_relative_to_the_site() {
        let root = Path::new("/site");
        assert_eq!(
            describe(root, &["/site/content/a.md".into()]),
            "content/a.md"
        );
        assert_eq!(
            describe(
                root,
                &["/site/content/a.md".into(), "/site/site.toml".into()]
            ),
            "content/a.md and 1 more"
        );
    }
}
