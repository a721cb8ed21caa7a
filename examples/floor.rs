//! The floor of a clean build (issue 20): the least any generator must do for
//! an archive of Markdown articles, and nothing else. Reads every `.md` file
//! under `SITE/content`, converts the text after its `+++` front matter with
//! pulldown-cmark (the options broadsheet uses), and writes it as
//! `OUT/<path without .md>/index.html`, the files shared out over rayon's
//! threads. No templates, lists, feeds, cache or search: `scripts/bench.sh`
//! runs it beside a clean build and prints the build/floor ratio.
//!
//! `cargo build --release --example floor`, then
//! `target/release/examples/floor SITE OUT`

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

/// The same allocator as the `broadsheet` binary, so the ratio compares work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out] = args.as_slice() else {
        return Err(io::Error::other("usage: floor SITE OUT"));
    };
    let content = Path::new(site).join("content");
    let files = markdown_files(&content)?;
    files
        .par_iter()
        .try_for_each(|path| write_page(&content, Path::new(out), path))
}

/// Every `.md` file under `content`.
fn markdown_files(content: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(content) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// One article read, converted and written.
fn write_page(content: &Path, out: &Path, path: &Path) -> io::Result<()> {
    let text = fs::read_to_string(path)?;
    let body = without_front_matter(&text);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut page = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut page, Parser::new_ext(body, options));
    let relative = path.strip_prefix(content).map_err(io::Error::other)?;
    let dir = out.join(relative.with_extension(""));
    fs::create_dir_all(&dir)?;
    fs::write(dir.join("index.html"), page)
}

/// The text after a `+++` front matter block (all of it when there is none).
fn without_front_matter(text: &str) -> &str {
    text.strip_prefix("+++")
        .and_then(|rest| rest.find("\n+++").map(|end| &rest[end + 4..]))
        .unwrap_or(text)
}
