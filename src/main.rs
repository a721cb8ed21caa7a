//! The `broadsheet` binary: parses arguments and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: a build makes and drops millions of small strings and template
/// values on two threads; glibc's allocator spent about a tenth of a build in
/// malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    broadsheet::cli::run(broadsheet::cli::Cli::parse())
}
