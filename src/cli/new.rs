//! `broadsheet new "Headline"`: writes a dated Markdown article, never overwriting.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::article::slug::slugify;
use crate::config::Config;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The article's headline.
    pub headline: String,
    /// Section (the folder under content/ it is written to).
    #[arg(long)]
    pub section: Option<String>,
    /// Comma-separated tags.
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Site folder.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

pub fn run(args: &NewArgs) -> anyhow::Result<ExitCode> {
    let root = super::root_of(&args.root);
    let cfg = Config::load(&root).map_err(|d| anyhow::anyhow!("{d}"))?;
    let slug = slugify(&args.headline);
    if slug.is_empty() {
        eprintln!("error: the headline needs at least one letter or digit");
        return Ok(ExitCode::from(2));
    }
    let now = chrono::Utc::now().with_timezone(&cfg.timezone);
    let mut dir = root.join("content");
    if let Some(section) = &args.section {
        let s = slugify(section);
        if s.is_empty() {
            eprintln!("error: the section needs at least one letter or digit");
            return Ok(ExitCode::from(2));
        }
        dir.push(s);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{}-{slug}.md", now.format("%Y-%m-%d")));
    let text = front_matter(
        &args.headline,
        &now.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        args,
    );
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; not overwriting it",
                path.display()
            );
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn front_matter(headline: &str, date: &str, args: &NewArgs) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let tags: Vec<String> = args
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(q)
        .collect();
    let mut out = format!("+++\ntitle = {}\ndate = {date}\n", q(headline));
    if let Some(s) = &args.section {
        out.push_str(&format!("section = {}\n", q(s)));
    }
    out.push_str(&format!("tags = [{}]\nauthors = []\ndraft = true\n+++\n\nWrite the first paragraph here: it becomes the summary.\n", tags.join(", ")));
    out
}
