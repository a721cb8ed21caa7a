//! broadsheet: a static site generator for news archives.
//!
//! The pipeline, in order (each stage a function returning a new type):
//!
//! ```text
//! site.toml -> Config
//! content/** -> SourceFile -> Article (+ Diagnostics) -> Archive -> page plan
//!            -> rendered pages streamed to output -> BuildReport
//! ```

pub mod archive;
pub mod article;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod deploy;
pub mod diag;
pub mod ingest;
pub mod output;
pub mod plan;
pub mod render;
pub mod serve;
pub mod source;
