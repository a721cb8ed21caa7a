//! A terminal progress bar for deploys (indicatif). Whether to show it is the CLI's
//! choice: it makes one only when stderr is a terminal and passes it to `deploy`.

use indicatif::{ProgressBar, ProgressStyle};

use super::DeployProgress;

/// Draws bytes sent against the plan's total, naming the last file sent.
#[derive(Debug, Clone)]
pub struct BarProgress {
    bar: ProgressBar,
}

impl BarProgress {
    /// A bar on stderr, hidden until the plan is known.
    pub fn new() -> Self {
        let bar = ProgressBar::hidden();
        let style = ProgressStyle::with_template(
            "{spinner} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {wide_msg}",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Self { bar }
    }
}

impl Default for BarProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl DeployProgress for BarProgress {
    fn start(&self, _files: usize, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }

    fn uploaded(&self, path: &str, bytes: u64) {
        self.bar.set_message(path.to_owned());
        self.bar.inc(bytes);
    }

    fn deleted(&self, path: &str) {
        self.bar.set_message(format!("deleted {path}"));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_counts_bytes_against_the_plan() {
        let p = BarProgress::new();
        p.start(2, 300);
        p.uploaded("a.css", 100);
        p.uploaded("index.html", 200);
        assert_eq!((p.bar.position(), p.bar.length()), (300, Some(300)));
        assert_eq!(p.bar.message(), "index.html");
        p.finish();
        assert!(p.bar.is_finished());
    }
}
