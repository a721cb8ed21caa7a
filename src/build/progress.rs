//! Progress callbacks of the build's long steps; the CLI draws a bar only on a
//! terminal.

/// Told when a step starts (with how many items it has) and as items finish.
pub trait Progress: Sync {
    fn phase(&self, _name: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
}

/// No progress display.
pub struct Quiet;
impl Progress for Quiet {}
