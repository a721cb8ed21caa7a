//! Where a build's time and memory went, for `broadsheet build --timings`.
//! Measures only; printing belongs to `cli`.

use std::time::{Duration, Instant};

/// Wall time per phase, render time per page kind, peak memory.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Phases in the order they ran, with their wall time and the peak
    /// resident memory at their end.
    pub phases: Vec<Phase>,
    /// Per page kind: pages, how many were rendered and reused, and the time
    /// spent on them summed over all threads.
    pub kinds: Vec<KindTiming>,
    /// Time spent writing files, summed over all threads (part of rendering).
    pub write: Duration,
    /// Source files parsed, and reused from the cache without parsing.
    pub parsed: usize,
    pub parse_reused: usize,
    /// Peak resident memory of the process (Linux), in bytes.
    pub peak_rss_bytes: Option<u64>,
}

/// One phase of a build.
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub took: Duration,
    /// Peak resident memory of the process so far, in bytes (Linux).
    pub peak_rss_bytes: Option<u64>,
}

/// Rendering figures for one kind of page.
#[derive(Debug, Clone, Default)]
pub struct KindTiming {
    pub label: &'static str,
    pub pages: usize,
    pub rendered: usize,
    pub reused: usize,
    pub time: Duration,
}

/// Times consecutive phases.
pub struct Clock {
    last: Instant,
}

impl Clock {
    pub fn start() -> Clock {
        Clock {
            last: Instant::now(),
        }
    }

    /// Ends the current phase under `name` and starts the next.
    pub fn lap(&mut self, timings: &mut Timings, name: &'static str) {
        let now = Instant::now();
        timings.phases.push(Phase {
            name,
            took: now - self.last,
            peak_rss_bytes: peak_rss_bytes(),
        });
        self.last = now;
    }
}

/// The process's peak resident set size so far, from `/proc/self/status`
/// (`VmHWM`); `None` where there is no such file.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn peak_memory_is_read_on_linux() {
        let rss = peak_rss_bytes().expect("VmHWM on Linux");
        assert!(rss > 100 * 1024, "{rss}");
    }
}
