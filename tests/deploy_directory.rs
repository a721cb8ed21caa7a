//! The `directory` deploy target: atomic switches, hard-linked releases, rollback,
//! pruning, and the plan and refusal rules on a local folder.

mod deploy_support;

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use broadsheet::deploy::{DeployConfig, DeployOptions, DeployProgress, NoProgress, deploy};
use deploy_support::{Recorder, SITE, edited, write_owned, write_site};

struct Fixture {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    live: PathBuf,
    cfg: DeployConfig,
}

fn fixture(keep: usize) -> Fixture {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let live = tmp.path().join("www/news");
    std::fs::create_dir_all(live.parent().expect("parent")).expect("mkdir");
    write_site(&out, SITE);
    let cfg = DeployConfig::parse(&format!(
        "[[targets]]\nname = \"local\"\nkind = \"directory\"\npath = '{}'\nkeep = {keep}\n",
        live.display()
    ))
    .expect("config parses");
    Fixture {
        _tmp: tmp,
        out,
        live,
        cfg,
    }
}

impl Fixture {
    fn deploy(&self, opts: &DeployOptions) -> broadsheet::deploy::DeployReport {
        deploy(&self.out, &self.cfg, opts, &NoProgress).expect("deploy succeeds")
    }

    fn releases(&self) -> Vec<String> {
        let dir = self.live.with_file_name("news.releases");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("releases folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn live_release(&self) -> String {
        let to = std::fs::read_link(&self.live).expect("live is a symlink");
        to.file_name()
            .expect("release name")
            .to_string_lossy()
            .into_owned()
    }

    fn read_live(&self, path: &str) -> String {
        std::fs::read_to_string(self.live.join(path)).expect("live file")
    }
}

fn opts() -> DeployOptions {
    DeployOptions::default()
}

#[test]
fn first_deploy_makes_a_release_and_points_the_live_symlink_at_it() {
    let f = fixture(5);
    let report = f.deploy(&opts());
    assert_eq!(
        (report.uploads_new, report.unchanged, report.deletes),
        (12, 0, 0)
    );
    let release = report.release.clone().unwrap();
    assert!(release.starts_with("000001-"), "{release}");
    assert_eq!(
        report.to_string(),
        format!(
            "deployed to `local`: 12 new, 0 replaced, 0 deleted, 248 B uploaded, \
             0 unchanged; release {release} is live"
        )
    );
    assert_eq!(
        std::fs::read_link(&f.live).unwrap(),
        Path::new("news.releases").join(&release)
    );
    for (path, body) in SITE {
        assert_eq!(f.read_live(path), *body, "{path}");
    }
}

#[test]
fn unchanged_files_are_hard_linked_and_only_changes_are_copied() {
    let f = fixture(5);
    let first = f.deploy(&opts()).release.unwrap();
    write_owned(
        &f.out,
        &edited(
            &[("2013/02/02/lavrov/index.html", "<h1>Lavrov</h1> v2")],
            &[],
        ),
    );
    let report = f.deploy(&opts());
    let second = report.release.clone().unwrap();
    assert_eq!(
        (
            report.uploads_new,
            report.uploads_replaced,
            report.unchanged
        ),
        (0, 1, 11)
    );
    let releases = f.live.with_file_name("news.releases");
    let ino = |release: &str, path: &str| {
        std::fs::metadata(releases.join(release).join(path))
            .unwrap()
            .ino()
    };
    assert_eq!(ino(&first, "index.html"), ino(&second, "index.html"));
    assert_ne!(
        ino(&first, "2013/02/02/lavrov/index.html"),
        ino(&second, "2013/02/02/lavrov/index.html")
    );
    assert_eq!(
        f.read_live("2013/02/02/lavrov/index.html"),
        "<h1>Lavrov</h1> v2"
    );
    // Nothing changed: no new release, so the rollback window keeps real releases.
    let again = f.deploy(&opts());
    assert_eq!(
        (again.uploads_new, again.uploads_replaced, again.unchanged),
        (0, 0, 12)
    );
    assert_eq!(again.release.as_deref(), Some(second.as_str()));
    assert_eq!(f.live_release(), second);
    assert_eq!(f.releases().len(), 4, "two releases and their manifests");
}

#[test]
fn a_reader_never_sees_a_missing_file_during_deploys() {
    let f = fixture(3);
    // Enough files that writing a release takes a while: 150 article pages.
    let articles: Vec<String> = (0..150)
        .map(|i| format!("2014/01/01/a{i}/index.html"))
        .collect();
    let build = |version: &str| -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = SITE
            .iter()
            .map(|(p, _)| ((*p).to_owned(), format!("{version} {p}")))
            .collect();
        files.extend(
            articles
                .iter()
                .map(|p| (p.clone(), format!("{version} {p}"))),
        );
        files
    };
    write_owned(&f.out, &build("v0"));
    f.deploy(&opts());
    let stop = AtomicBool::new(false);
    let rounds = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut problems = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                // Each file through the live path, as a web server resolves it per request.
                for path in SITE
                    .iter()
                    .map(|(p, _)| *p)
                    .chain(articles.iter().step_by(15).map(String::as_str))
                {
                    match std::fs::read_to_string(f.live.join(path)) {
                        Ok(body) if body.ends_with(path) => {}
                        Ok(body) => problems.push(format!("{path}: read {body:?}")),
                        Err(e) => problems.push(format!("{path}: {e}")),
                    }
                }
                rounds.fetch_add(1, Ordering::Relaxed);
            }
            problems
        });
        for round in 1..=4 {
            write_owned(&f.out, &build(&format!("v{round}")));
            f.deploy(&opts());
        }
        stop.store(true, Ordering::Relaxed);
        assert_eq!(reader.join().unwrap(), Vec::<String>::new());
    });
    assert!(
        rounds.load(Ordering::Relaxed) > 10,
        "the reader ran during the deploys"
    );
    assert_eq!(f.read_live("index.html"), "v4 index.html");
}

#[test]
fn a_reader_holding_the_old_release_keeps_reading_it_whole() {
    // A web server resolves the live path once per request; a directory handle opened
    // on the live path keeps showing one release whole, whatever is switched meanwhile.
    let f = fixture(5);
    f.deploy(&opts());
    let held = std::fs::canonicalize(&f.live).unwrap();
    write_owned(
        &f.out,
        &edited(&[("index.html", "<h1>Home</h1> v2")], &["404.html"]),
    );
    f.deploy(&opts());
    assert_eq!(
        std::fs::read_to_string(held.join("index.html")).unwrap(),
        "<h1>Home</h1> v1"
    );
    assert!(held.join("404.html").exists());
    assert_eq!(f.read_live("index.html"), "<h1>Home</h1> v2");
    assert!(!f.live.join("404.html").exists());
}

#[test]
fn rollback_goes_back_one_release_at_a_time() {
    let f = fixture(5);
    let first = f.deploy(&opts()).release.unwrap();
    write_owned(
        &f.out,
        &edited(&[("index.html", "<h1>Home</h1> v2")], &["404.html"]),
    );
    let second = f.deploy(&opts()).release.unwrap();
    let rollback = DeployOptions {
        rollback: true,
        ..opts()
    };
    let report = f.deploy(&rollback);
    assert_eq!(
        report.to_string(),
        format!("rolled back `local` from release {second} to {first} (2 files differ)")
    );
    assert_eq!(f.live_release(), first);
    assert_eq!(f.read_live("index.html"), "<h1>Home</h1> v1");
    assert_eq!(f.read_live("404.html"), "<h1>Not found</h1>");

    let e = deploy(&f.out, &f.cfg, &rollback, &NoProgress)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "no release older than {first} in {} to roll back to",
            f.live.with_file_name("news.releases").display()
        )
    );

    // The next deploy compares with the live (rolled back) release.
    let third = f.deploy(&opts());
    assert_eq!((third.uploads_replaced, third.deletes), (1, 1));
    assert!(third.release.unwrap().starts_with("000003-"));
}

#[test]
fn releases_beyond_keep_are_pruned_and_the_live_one_is_kept() {
    let f = fixture(2);
    let mut last = String::new();
    for round in 0..4 {
        write_owned(
            &f.out,
            &edited(&[("index.html", &format!("v{round}"))], &[]),
        );
        let report = f.deploy(&opts());
        assert_eq!(report.releases_pruned, usize::from(round >= 2));
        last = report.release.unwrap();
    }
    let releases = f.releases();
    let ids: Vec<&str> = releases
        .iter()
        .filter(|n| !n.ends_with(".json"))
        .map(String::as_str)
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(
        ids[0].starts_with("000003-") && ids[1].starts_with("000004-"),
        "{ids:?}"
    );
    assert_eq!(
        releases.len(),
        4,
        "one manifest beside each release: {releases:?}"
    );
    assert_eq!(f.live_release(), last);
}

#[test]
fn dry_run_reports_the_plan_and_changes_nothing() {
    let f = fixture(5);
    let first = f.deploy(&opts()).release.unwrap();
    write_owned(
        &f.out,
        &edited(
            &[
                ("index.html", "<h1>Home</h1> v2"),
                ("2013/02/04/new/index.html", "new"),
            ],
            &["404.html"],
        ),
    );
    let paths = f.live.with_file_name("changed.txt");
    let dry = DeployOptions {
        dry_run: true,
        changed_paths_file: Some(paths.clone()),
        ..opts()
    };
    let report = f.deploy(&dry);
    assert_eq!(
        format!("{report:#}"),
        "new      2013/02/04/new/index.html (3 B)\n\
         replace  index.html (16 B)\n\
         delete   404.html\n\
         dry run for `local`: would upload 1 new and 1 replaced files (19 B) and delete 1; \
         10 unchanged; nothing was changed"
    );
    assert_eq!(f.live_release(), first);
    assert_eq!(f.releases().len(), 2);
    assert!(!paths.exists());
}

#[test]
fn changed_url_paths_are_written_for_cdn_invalidation() {
    let f = fixture(5);
    f.deploy(&opts());
    write_owned(
        &f.out,
        &edited(&[("2013/02/02/lavrov/index.html", "v2")], &["404.html"]),
    );
    let paths = f.live.with_file_name("changed.txt");
    f.deploy(&DeployOptions {
        changed_paths_file: Some(paths.clone()),
        ..opts()
    });
    assert_eq!(
        std::fs::read_to_string(&paths).unwrap(),
        "/2013/02/02/lavrov/\n/2013/02/02/lavrov/index.html\n/404.html\n"
    );
}

#[test]
fn too_many_deletes_are_refused_and_nothing_changes() {
    let f = fixture(5);
    let first = f.deploy(&opts()).release.unwrap();
    write_site(&f.out, &[("index.html", "<h1>Home</h1> v1")]);
    let e = deploy(
        &f.out,
        &f.cfg,
        &DeployOptions {
            max_deletes: 3,
            ..opts()
        },
        &NoProgress,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "refusing to delete 11 files from target `local` (more than --max-deletes 3); \
         nothing was changed; check the build, or raise --max-deletes"
    );
    assert_eq!(f.live_release(), first);
    assert_eq!(f.releases().len(), 2);
}

/// Panics after `after` files, as a deploy killed half way would stop.
struct DieAfter {
    after: usize,
    seen: AtomicUsize,
}

impl DeployProgress for DieAfter {
    fn uploaded(&self, _path: &str, _bytes: u64) {
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            panic!("deploy stopped half way");
        }
    }
}

#[test]
fn a_deploy_stopped_half_way_leaves_the_live_site_and_the_next_finishes() {
    let f = fixture(5);
    let first = f.deploy(&opts()).release.unwrap();
    let changes: Vec<(String, String)> = (0..50)
        .map(|i| {
            (
                format!("2013/03/{:02}/n{i}/index.html", i % 28 + 1),
                format!("new {i}"),
            )
        })
        .collect();
    let changes: Vec<(&str, &str)> = changes
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    write_owned(&f.out, &edited(&changes, &[]));
    let die = DieAfter {
        after: 10,
        seen: AtomicUsize::new(0),
    };
    let stopped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        deploy(&f.out, &f.cfg, &opts(), &die)
    }));
    assert!(stopped.is_err());
    assert_eq!(f.live_release(), first);
    for (path, body) in SITE {
        assert_eq!(f.read_live(path), *body);
    }
    let report = f.deploy(&opts());
    assert_eq!((report.uploads_new, report.unchanged), (50, 12));
    assert!(report.release.unwrap().starts_with("000002-"));
    assert!(
        f.releases().iter().all(|n| !n.ends_with(".partial")),
        "{:?}",
        f.releases()
    );
    assert_eq!(f.read_live("2013/03/01/n0/index.html"), "new 0");
}

#[test]
fn a_real_folder_at_the_live_path_is_never_replaced() {
    let f = fixture(5);
    std::fs::create_dir_all(f.live.join("old")).unwrap();
    let e = deploy(&f.out, &f.cfg, &opts(), &NoProgress)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "{}: live path exists and is not a symlink made by broadsheet deploy; \
             move it away and deploy again",
            f.live.display()
        )
    );
    assert!(f.live.join("old").is_dir());
}

#[test]
fn progress_reports_each_copied_file() {
    let f = fixture(5);
    let rec = Recorder::default();
    deploy(&f.out, &f.cfg, &opts(), &rec).unwrap();
    let mut events = rec.events();
    events.sort();
    assert_eq!(events.len(), SITE.len());
    assert!(events.contains(&"up index.html".to_owned()));
}

/// Holds the target's lock file as another deploy would: `flock` taken, the holder
/// written. Let go when dropped.
fn hold_lock(f: &Fixture) -> (std::fs::File, PathBuf) {
    use std::io::Write as _;
    let path = f.live.with_file_name(".news.lock");
    let mut file = std::fs::File::create(&path).expect("lock file");
    rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive)
        .expect("lock taken");
    file.write_all(br#"{"host":"web1","pid":4242,"since":"2026-12-03T21:05:00Z"}"#)
        .expect("holder written");
    (file, path)
}

#[test]
fn a_deploy_while_another_holds_the_lock_is_refused_naming_the_holder() {
    let f = fixture(5);
    let first = f.deploy(&opts()).release.expect("first release");
    write_owned(&f.out, &edited(&[("index.html", "<h1>Home</h1> v2")], &[]));
    let (held, path) = hold_lock(&f);
    let expected = format!(
        "target `local` is locked by another deploy (host web1, pid 4242, since \
         2026-12-03T21:05:00Z; lock file {}); try again when it has finished",
        path.display()
    );
    let err = deploy(&f.out, &f.cfg, &opts(), &NoProgress).expect_err("refused");
    assert_eq!(err.to_string(), expected);
    let rollback = DeployOptions {
        rollback: true,
        ..opts()
    };
    let err = deploy(&f.out, &f.cfg, &rollback, &NoProgress).expect_err("refused");
    assert_eq!(err.to_string(), expected);
    // Nothing changed, and a dry run still reports the plan.
    assert_eq!(f.live_release(), first);
    let dry = DeployOptions {
        dry_run: true,
        ..opts()
    };
    assert_eq!(f.deploy(&dry).uploads_replaced, 1);

    drop(held);
    let second = f.deploy(&opts()).release.expect("second release");
    assert_ne!(second, first);
    assert_eq!(f.read_live("index.html"), "<h1>Home</h1> v2");
}

#[test]
fn a_failed_deploy_lets_go_of_the_lock() {
    let f = fixture(5);
    f.deploy(&opts());
    write_owned(&f.out, &edited(&[], &["atom.xml", "sitemap.xml"]));
    let strict = DeployOptions {
        max_deletes: 1,
        ..opts()
    };
    deploy(&f.out, &f.cfg, &strict, &NoProgress).expect_err("too many deletes");
    let path = f.live.with_file_name(".news.lock");
    // Free, and it names nobody.
    let file = std::fs::File::open(&path).expect("lock file");
    rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive)
        .expect("the lock is free");
    drop(file);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "");
    assert_eq!(f.deploy(&opts()).deletes, 2);
}
