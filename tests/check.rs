//! `check` runs the build's own steps into a sink that writes nothing: on a
//! site holding one error of every kind, it reports exactly what `build`
//! reports, and writes neither the output nor the cache.

mod common;

use broadsheet::build::{BuildOptions, Quiet, build};
use broadsheet::check::check;
use common::{Site, stderr, stdout};

/// Every line of a failed build and a failed check of the same site, for
/// `skip_invalid` off and on.
fn both(site: &Site, skip_invalid: bool) -> (Vec<String>, Vec<String>) {
    let opts = BuildOptions {
        skip_invalid,
        ..BuildOptions::default()
    };
    let lines = |d: Vec<broadsheet::diag::Diagnostic>| -> Vec<String> {
        d.iter().map(ToString::to_string).collect()
    };
    let built = build(site.root(), &opts, &Quiet).expect_err("the build fails");
    let checked = check(site.root(), &opts, &Quiet).expect_err("the check fails");
    (lines(built.diagnostics), lines(checked.diagnostics))
}

#[test]
fn check_reports_every_error_that_build_reports() {
    let site = Site::copy("errors/every_kind");
    // Errors in articles stop both at the index, before any output is made.
    let (built, checked) = both(&site, false);
    assert_eq!(built, checked);
    assert_eq!(
        built,
        [
            "content/bad-date.md:3: error: `date`: cannot read date `someday` (expected YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] [±HH:MM])",
            "content/broken.md:3: error: invalid YAML front matter: error: line 2 column 5: illegal placement of ':' indicator",
            "content/unsafe.md:4: error: unsafe slug `../../etc/passwd`: a slug is one URL segment without `/`, `\\` or `..`",
        ]
    );
    // With the broken articles left out, the output steps run: the alias and
    // path clashes they refuse are refused by check too.
    let (built, checked) = both(&site, true);
    assert_eq!(built, checked);
    let output_errors: Vec<&String> = built
        .iter()
        .filter(|l| {
            !l.starts_with("content/bad-date")
                && !l.starts_with("content/broken")
                && !l.starts_with("content/unsafe")
        })
        .collect();
    assert_eq!(
        output_errors,
        [
            "content/2024-05-02-b.md: error: alias `/../../escape/` is not a safe site path: empty, `.` and `..` segments are not allowed",
            "content/2024-05-02-b.md: error: alias /2024/05/01/a/ collides with the page of content/2024-05-01-a.md",
            "sitemap.xml: error: the static file sitemap.xml has the path of a generated file (feed, sitemap or redirects)",
        ]
    );
    assert!(!site.public().exists(), "nothing was written");
}

#[test]
fn check_and_build_count_a_site_the_same_way() {
    let site = Site::copy("basic");
    let checked = site.run(&["check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(!site.public().exists(), "check writes no output");
    assert!(
        !site.root().join(".broadsheet-cache").exists(),
        "nor a cache"
    );
    let built = site.run(&["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let check_line = stdout(&checked);
    let build_line = stdout(&built);
    let figures = |s: &str| -> String {
        s.split(" in ")
            .next()
            .unwrap_or_default()
            .trim_start_matches("built ")
            .trim_start_matches("check passed: ")
            .trim_end_matches(" (nothing written)\n")
            .to_string()
    };
    assert_eq!(
        check_line,
        "check passed: 3 articles, 32 pages, 61 files, 2 warnings (nothing written)\n"
    );
    assert_eq!(figures(&check_line), figures(&build_line), "{build_line}");
}

#[test]
fn a_failed_check_says_it_was_a_check() {
    let site = Site::copy("errors/bad_date");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).ends_with("error: check found 1 error\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn build_outside_a_site_says_where_it_looked_and_how_to_start_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let expected = format!(
        "site.toml: error: no site here: {} does not exist (run `broadsheet init DIR` to make a site, or pass --root DIR)\nerror: build failed with 1 error; the output was not changed\n",
        dir.path().join("site.toml").display()
    );
    assert_eq!(stderr(&out), expected);
}
