//! `broadsheet import wordpress EXPORT.xml [--into DIR] [--uploads DIR]`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::import::{Report, WordPressOptions};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub from: ImportFrom,
}

#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// A WordPress export (Tools > Export, WXR 1.1/1.2): one Markdown file per
    /// post and page under content/; never overwrites a file.
    Wordpress {
        /// The export file.
        export: PathBuf,
        /// The site folder (default: the current one).
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
        /// A copy of the old site's wp-content/uploads/.
        #[arg(long, value_name = "DIR")]
        uploads: Option<PathBuf>,
    },
}

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let ImportFrom::Wordpress {
        export,
        into,
        uploads,
    } = &args.from;
    let opts = WordPressOptions {
        export: export.clone(),
        into: super::root_of(into),
        uploads: uploads.clone(),
    };
    let report = crate::import::wordpress(&opts)?;
    print(&report);
    Ok(ExitCode::SUCCESS)
}

fn print(r: &Report) {
    for (file, url) in &r.missing {
        println!("missing upload: {} (in {})", url, file.display());
    }
    for (file, line, tag) in &r.unknown_shortcodes {
        println!("{}:{line}: shortcode left as text: {tag}", file.display());
    }
    for (file, old) in &r.left_to_site {
        println!(
            "{}: old permalink {old} is an address of the site's own pages (home, lists, search): they answer it, no redirect",
            file.display()
        );
    }
    let other: Vec<String> = r.other.iter().map(|(t, n)| format!("{t} {n}")).collect();
    println!(
        "imported: {} posts, {} pages ({} drafts), {} attachments, {} comments, {} menu items{} not published",
        r.posts,
        r.pages,
        r.drafts,
        r.attachments,
        r.comments,
        r.menu_items,
        if other.is_empty() {
            String::new()
        } else {
            format!(", other: {}", other.join(", "))
        },
    );
    println!(
        "files: {} written, {} already there (kept); uploads: {} copied, {} missing; shortcodes left as text: {}",
        r.written.len(),
        r.kept.len(),
        r.copied,
        r.missing.len(),
        r.unknown_shortcodes.len()
    );
}
