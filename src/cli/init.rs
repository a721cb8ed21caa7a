//! `broadsheet init DIR`: a new site that builds as it is, with the built-in theme.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in (created if missing; must not hold a site.toml).
    pub dir: PathBuf,
}

const SITE_TOML: &str = r#"title = "My archive"
# The build warns while a value still starts with "CHANGE ME".
description = "CHANGE ME: one sentence about this archive, for search results and link previews"
base_url = "https://example.org"
language = "en"
timezone = "UTC"
# permalink = "/:year/:month/:day/:slug/"
# paginate_by = 20

[content]
ignore = []
undated = "error"

# The organisation named as publisher in every article's news metadata.
[publisher]
name = "CHANGE ME: the newsroom's name"
# logo = "/logo.png"
"#;

const GITIGNORE: &str = "# Made by `broadsheet build`; rebuilt from content/ at any time.\n\
                         /public/\n\
                         /.broadsheet-cache/\n";

const FIRST_ARTICLE: &str = r#"+++
title = "Welcome to the archive"
date = 2026-01-01T09:00:00Z
tags = ["meta"]
authors = ["The Editors"]
section = "news"
+++

This archive was made with `broadsheet init`. Edit this file, or add articles with
`broadsheet new "Headline"`, then run `broadsheet build`.
"#;

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let site_toml = args.dir.join("site.toml");
    if site_toml.exists() {
        eprintln!(
            "error: {} already exists; not overwriting it",
            site_toml.display()
        );
        return Ok(ExitCode::from(1));
    }
    let news = args.dir.join("content").join("news");
    std::fs::create_dir_all(&news).with_context(|| format!("cannot create {}", news.display()))?;
    std::fs::write(&site_toml, SITE_TOML)
        .with_context(|| format!("cannot write {}", site_toml.display()))?;
    let gitignore = args.dir.join(".gitignore");
    if !gitignore.exists() {
        std::fs::write(&gitignore, GITIGNORE)
            .with_context(|| format!("cannot write {}", gitignore.display()))?;
    }
    let first = news.join("2026-01-01-welcome.md");
    if !first.exists() {
        std::fs::write(&first, FIRST_ARTICLE)
            .with_context(|| format!("cannot write {}", first.display()))?;
    }
    println!(
        "created a site in {}; build it with `broadsheet build --root {}`",
        args.dir.display(),
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
