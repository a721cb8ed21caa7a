//! broadsheet: a static site generator for news archives.
//!
//! The pipeline, in order (each stage a function returning a new type):
//!
//! ```text
//! site.toml -> Config -> ThemeFiles
//! content/** -> SourceFile -> Article (+ Diagnostics) -> Archive -> page plan
//!            -> rendered pages -> output (staged, committed) -> BuildReport
//!                        \-> extras: feeds, sitemaps, robots.txt, redirects
//! ```
//!
//! Modules are listed in that order: the stages, then the shared helpers the
//! stages use, then the commands built on the pipeline.

// The stages.
pub mod archive;
pub mod article;
pub mod build;
pub mod config;
pub mod extras;
pub mod ingest;
pub mod output;
pub mod plan;
pub mod render;
pub mod source;
pub mod theme;

// Shared by the stages.
pub mod cache;
pub mod diag;
pub mod digest;
pub mod escape;
pub mod mime;
pub mod spill;
pub mod timings;

// Users of the pipeline.
pub mod check;
pub mod cli;
pub mod deploy;
pub mod serve;

#[cfg(test)]
pub(crate) mod testing;
