//! broadsheet: a static site generator for news archives.
//!
//! The pipeline, in order (each stage a function returning a new type):
//!
//! ```text
//! site.toml -> Config -> ThemeFiles
//! content/** -> SourceFile -> Article (+ Diagnostics) -> Archive -> page plan
//!            -> rendered pages -> output (staged, committed) -> BuildReport
//!                        \-> extras: feeds, sitemaps, robots.txt, redirects;
//!                            the search index
//! ```
//!
//! Modules are listed in that order (rustfmt.toml keeps it): the stages, then
//! the shared helpers the stages use, then the commands built on the pipeline.

// The stages.
pub mod config;
pub mod theme;
pub mod source;
pub mod ingest;
pub mod learn;
pub mod shortcodes;
pub mod article;
pub mod urls;
pub mod archive;
pub mod plan;
pub mod media;
pub mod render;
pub mod extras;
pub mod search;
pub mod output;
pub mod build;

// Shared by the stages.
pub mod cache;
pub mod diag;
pub mod digest;
pub mod escape;
pub mod slug;
pub mod mime;
pub mod spill;
pub mod timings;

// Users of the pipeline.
pub mod check;
pub mod links;
pub mod serve;
pub mod deploy;
pub mod import;
pub mod cli;

#[cfg(test)]
pub(crate) mod testing;
