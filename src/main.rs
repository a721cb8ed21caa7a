//! The `broadsheet` binary: parses arguments and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    broadsheet::cli::run(broadsheet::cli::Cli::parse())
}
