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
