//! `broadsheet init` and `broadsheet new`: scaffolding that builds, and never
//! overwrites.

mod common;

use std::process::Command;

use common::{stderr, stdout};

fn broadsheet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(args)
        .output()
        .expect("run")
}

#[test]
fn init_makes_a_site_that_builds_with_the_built_in_theme() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("site");
    let d = dir.to_str().expect("utf8");
    let out = broadsheet(&["init", d]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.join("themes").exists(), "no theme folder needed");
    let out = broadsheet(&["build", "--root", d]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page =
        std::fs::read_to_string(dir.join("public/2026/01/01/welcome-to-the-archive/index.html"))
            .expect("page");
    assert!(page.contains("<h1>Welcome to the archive</h1>"));
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).expect(".gitignore"),
        "# Made by `broadsheet build`; rebuilt from content/ at any time.\n/public/\n/.broadsheet-cache/\n"
    );
    let warned = stderr(&out);
    assert!(
        warned.contains("site.toml:3: warning: `description` is still the placeholder `broadsheet init` wrote; replace it")
            && warned.contains("warning: `name` is still the placeholder `broadsheet init` wrote; replace it (the publisher in news metadata)"),
        "{warned}"
    );
    let toml = std::fs::read_to_string(dir.join("site.toml")).expect("site.toml");
    let filled = toml
        .replace("CHANGE ME: one sentence", "One sentence")
        .replace("CHANGE ME: the newsroom's name", "The Gazette");
    std::fs::write(dir.join("site.toml"), filled).expect("write");
    let out = broadsheet(&["build", "--root", d]);
    assert!(stdout(&out).contains(" 0 warnings "), "{}", stdout(&out));
    let again = broadsheet(&["init", d]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists; not overwriting it"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn new_writes_a_dated_draft_and_never_overwrites() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().to_str().expect("utf8");
    assert!(broadsheet(&["init", d]).status.success());
    let out = broadsheet(&[
        "new",
        "Storm hits the coast",
        "--section",
        "Weather",
        "--tags",
        "storm, coast",
        "--root",
        d,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = stdout(&out).trim().to_string();
    assert!(
        path.contains("content/weather/") && path.ends_with("-storm-hits-the-coast.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(
        text.starts_with("+++\ntitle = \"Storm hits the coast\"\ndate = "),
        "{text}"
    );
    assert!(
        text.contains("section = \"Weather\"\ntags = [\"storm\", \"coast\"]\n"),
        "{text}"
    );
    let built = broadsheet(&["build", "--root", d, "--drafts"]);
    assert!(built.status.success(), "{}", stderr(&built));
    std::fs::write(&path, "edited").expect("edit");
    let again = broadsheet(&[
        "new",
        "Storm hits the coast",
        "--section",
        "Weather",
        "--root",
        d,
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "edited");
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(
        broadsheet(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    let help = stdout(&broadsheet(&["--help"]));
    assert!(help.contains("Build the site into public/"), "{help}");
}

#[test]
fn check_ingest_reports_what_was_read_from_each_file() {
    let site = common::Site::copy("basic");
    site.write("content/notes/readme.rst", b"not an article");
    let out = site.run(&["check", "--ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(
        "content/world/2013/02/02/afp-2013-02-02-lavrov.txt  [wire, header: wire, UTF-8]\n  headline: Lavrov wants 'regular contact' with Syrian opposition\n  date:     2013-02-02T00:00:00+00:00 (from: date-line)\n"
    ), "{text}");
    assert!(
        text.contains("  from:     headline line 1, date line 3\n"),
        "{text}"
    );
    assert!(
        text.contains("  section:  world   credit: © 2013 AFP   agency: AFP\n"),
        "{text}"
    );
    assert!(
        text.contains("  cut:      line 37: comment counter: 0 Comments To This Article\n"),
        "{text}"
    );
    assert!(
        text.contains("content/notes/readme.rst  [skipped: unsupported format]\n"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "totals: 4 files, 3 articles, 0 drafts, 0 undated, 1 skipped, 0 doubtful, 2 warnings, 0 errors\ntemplate tags: 0 translated, 2 left as text\n"
        ),
        "{text}"
    );
    assert!(!site.public().exists(), "check writes nothing");

    let json = site.run(&["check", "--ingest", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["totals"]["articles"], 3);
    let yaml = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == "content/news/yaml-story.md")
        .expect("yaml story");
    assert_eq!(yaml["date"], "2013-02-03T13:30:00+00:00");
    assert_eq!(yaml["date_source"], "front-matter");
    assert_eq!(
        yaml["authors"],
        serde_json::json!(["Jane Smith", "Ali Khan"])
    );
    assert_eq!(yaml["header"], "yaml");
}

#[test]
fn check_fails_on_the_same_problems_as_build_without_writing() {
    let site = common::Site::copy("errors/several_problems");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("content/one.md:3: error: `date`: cannot read date `someday`"),
        "{}",
        stderr(&out)
    );
    assert!(!site.public().exists());
}

#[test]
fn deploy_publishes_the_built_site_to_a_directory_target_relative_to_the_site() {
    let site = common::Site::copy("basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).expect("read");
    site.write(
        "site.toml",
        format!(
            "{toml}\n[[deploy.targets]]\nname = \"www\"\nkind = \"directory\"\npath = \"live\"\n"
        )
        .as_bytes(),
    );
    let early = site.run(&["deploy"]);
    assert_eq!(early.status.code(), Some(1));
    assert!(
        stderr(&early).contains("does not exist; run `broadsheet build` first"),
        "{}",
        stderr(&early)
    );
    assert!(site.run(&["build"]).status.success());
    let dry = site.run(&["deploy", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        !site.root().join("live").exists(),
        "a dry run changes nothing"
    );
    let out = site.run(&["deploy"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let live = std::fs::read_to_string(site.root().join("live/index.html")).expect("live home");
    assert_eq!(live, site.page("index.html"));
}
