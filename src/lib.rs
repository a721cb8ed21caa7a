//! broadsheet: a static site generator for news archives.
//!
//! The pipeline, in order (each stage a function returning a new type):
//!
//! ```text
//! site.toml -> Config
//! content/** -> SourceFile -> Article (+ Diagnostics) -> Archive -> page plan
//!            -> rendered pages streamed to output -> BuildReport
//!                        \-> extras: feeds, sitemaps, robots.txt, redirects
//! ```

pub mod archive;
pub mod article;
pub mod build;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod deploy;
pub mod diag;
pub mod digest;
pub mod extras;
pub mod feeds;
pub mod incremental;
pub mod ingest;
pub mod learn;
pub mod output;
pub mod plan;
pub mod redirects;
pub mod related;
pub mod render;
pub mod search;
pub mod serve;
pub mod shortcodes;
pub mod sitemap;
pub mod source;
pub mod spill;
#[cfg(test)]
pub(crate) mod testing;
pub mod timings;
pub mod xml;
