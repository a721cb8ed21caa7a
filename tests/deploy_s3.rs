//! The `s3` deploy target against a real S3-compatible server (moto). The
//! tests are ignored by default: scripts/ci-deploy.sh starts the server, sets
//! `BROADSHEET_TEST_S3_ENDPOINT` and runs them with `--ignored`. Run without a
//! server, they fail (never pass silently).

mod deploy_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use broadsheet::deploy::{
    ASSET, DeployConfig, DeployOptions, DeployProgress, DeployReport, IMMUTABLE, NoProgress, SHORT,
    deploy,
};
use deploy_support::{Recorder, SITE, edited, write_owned, write_site};
use rusty_s3::actions::ListObjectsV2;
use rusty_s3::{Bucket, Credentials, S3Action as _, UrlStyle};

const ENDPOINT_VAR: &str = "BROADSHEET_TEST_S3_ENDPOINT";
const SIGN: Duration = Duration::from_secs(600);
/// The lock object's name below the prefix.
const LOCK: &str = ".broadsheet-lock";

/// One object as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Object {
    body: Vec<u8>,
    content_type: String,
    cache_control: String,
}

/// A fresh bucket on the test server, and a built site to deploy into it.
struct Store {
    endpoint: String,
    bucket_name: String,
    prefix: String,
    bucket: Bucket,
    creds: Credentials,
    agent: ureq::Agent,
    tmp: tempfile::TempDir,
}

static BUCKETS: AtomicUsize = AtomicUsize::new(0);

/// A fresh bucket on the configured test server.
fn store(test: &str, prefix: &str) -> Store {
    let endpoint = std::env::var(ENDPOINT_VAR).unwrap_or_else(|_| {
        panic!("{ENDPOINT_VAR} is not set: run these through scripts/ci-deploy.sh")
    });
    let key = std::env::var("AWS_ACCESS_KEY_ID")
        .expect("with a test S3 server, set AWS_ACCESS_KEY_ID (any value)");
    let secret =
        std::env::var("AWS_SECRET_ACCESS_KEY").expect("set AWS_SECRET_ACCESS_KEY (any value)");
    let n = BUCKETS.fetch_add(1, Ordering::SeqCst);
    let bucket_name = format!("bs-{test}-{}-{n}", std::process::id()).replace('_', "-");
    let store = open(
        &endpoint,
        &bucket_name,
        prefix,
        Credentials::new(key, secret),
    );
    let create = store.bucket.create_bucket(&store.creds);
    let resp = store
        .agent
        .put(create.sign(SIGN).as_str())
        .send_empty()
        .expect("create bucket");
    assert!(
        resp.status().is_success(),
        "create bucket: {}",
        resp.status()
    );
    store
}

fn open(endpoint: &str, bucket_name: &str, prefix: &str, creds: Credentials) -> Store {
    let url = endpoint.parse().expect("endpoint URL");
    let bucket =
        Bucket::new(url, UrlStyle::Path, bucket_name.to_owned(), "us-east-1").expect("bucket");
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    Store {
        endpoint: endpoint.to_owned(),
        bucket_name: bucket_name.to_owned(),
        prefix: prefix.to_owned(),
        bucket,
        creds,
        agent,
        tmp: tempfile::tempdir().expect("tempdir"),
    }
}

impl Store {
    fn out(&self) -> PathBuf {
        self.tmp.path().join("public")
    }

    fn cfg(&self, extra: &str) -> DeployConfig {
        DeployConfig::parse(&format!(
            "{extra}\n[[targets]]\nname = \"s3\"\nkind = \"s3\"\nbucket = \"{}\"\n\
             endpoint = \"{}\"\nprefix = \"{}\"\n",
            self.bucket_name, self.endpoint, self.prefix
        ))
        .expect("config parses")
    }

    fn deploy(&self, opts: &DeployOptions, progress: &dyn DeployProgress) -> DeployReport {
        deploy(&self.out(), &self.cfg(""), opts, progress).expect("deploy succeeds")
    }

    /// Every object under the prefix (manifest included), by key below the prefix.
    fn objects(&self) -> BTreeMap<String, Object> {
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut list = self.bucket.list_objects_v2(Some(&self.creds));
            if let Some(t) = &token {
                list.with_continuation_token(t.as_str());
            }
            let mut resp = self
                .agent
                .get(list.sign(SIGN).as_str())
                .call()
                .expect("list");
            let text = resp.body_mut().read_to_string().expect("list body");
            let page = ListObjectsV2::parse_response(&text).expect("list parses");
            keys.extend(page.contents.into_iter().map(|c| c.key));
            match page.next_continuation_token {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        keys.into_iter()
            .map(|key| {
                let get = self.bucket.get_object(Some(&self.creds), &key);
                let mut resp = self.agent.get(get.sign(SIGN).as_str()).call().expect("get");
                let header = |name: &str| {
                    resp.headers()
                        .get(name)
                        .map(|v| v.to_str().expect("ascii header").to_owned())
                        .unwrap_or_default()
                };
                let (content_type, cache_control) =
                    (header("content-type"), header("cache-control"));
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(64 << 20)
                    .read_to_vec()
                    .expect("object body");
                let rel = key
                    .strip_prefix(&self.prefix)
                    .expect("key under the prefix")
                    .to_owned();
                (
                    rel,
                    Object {
                        body,
                        content_type,
                        cache_control,
                    },
                )
            })
            .collect()
    }

    /// Writes `body` at `key` below the prefix, as another program would.
    fn put_object(&self, key: &str, body: &[u8]) {
        let key = format!("{}{key}", self.prefix);
        let put = self.bucket.put_object(Some(&self.creds), &key);
        let resp = self
            .agent
            .put(put.sign(SIGN).as_str())
            .send(body)
            .expect("put");
        assert!(resp.status().is_success(), "put {key}: {}", resp.status());
    }

    /// The object at `key` below the prefix, with its ETag.
    fn get_object(&self, key: &str) -> Option<(Vec<u8>, String)> {
        let key = format!("{}{key}", self.prefix);
        let get = self.bucket.get_object(Some(&self.creds), &key);
        let mut resp = self.agent.get(get.sign(SIGN).as_str()).call().expect("get");
        if resp.status().as_u16() == 404 {
            return None;
        }
        let etag = resp
            .headers()
            .get("etag")
            .map(|v| v.to_str().expect("ascii").trim_matches('"').to_owned())
            .unwrap_or_default();
        let body = resp
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .expect("body");
        Some((body, etag))
    }

    /// Makes the lock object's lease run out, as time would.
    fn expire_lock(&self) {
        let (body, _) = self.get_object(LOCK).expect("a lock object");
        let mut lock: serde_json::Value = serde_json::from_slice(&body).expect("lock JSON");
        lock["expires"] = "2000-01-01T00:00:00Z".into();
        self.put_object(LOCK, &serde_json::to_vec(&lock).expect("JSON"));
    }

    /// A configuration whose target table also holds `extra`.
    fn cfg_target(&self, extra: &str) -> DeployConfig {
        DeployConfig::parse(&format!(
            "[[targets]]\nname = \"s3\"\nkind = \"s3\"\nbucket = \"{}\"\n\
             endpoint = \"{}\"\nprefix = \"{}\"\n{extra}\n",
            self.bucket_name, self.endpoint, self.prefix
        ))
        .expect("config parses")
    }

    /// Object bodies without the manifest and the lock.
    fn site(&self) -> BTreeMap<String, Vec<u8>> {
        self.objects()
            .into_iter()
            .filter(|(k, _)| k != ".broadsheet-manifest.json" && k != LOCK)
            .map(|(k, o)| (k, o.body))
            .collect()
    }
}

/// Every file of a built output directory, by path.
fn build_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let key = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (key, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn opts() -> DeployOptions {
    DeployOptions::default()
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn first_deploy_uploads_everything_with_content_type_and_cache_control() {
    let s3 = store("first", "news/");
    write_site(&s3.out(), SITE);
    let rec = Recorder::default();
    let cfg = s3.cfg("[[cache_control]]\nglob = \"img/**\"\nvalue = \"public, max-age=60\"\n");
    let report = deploy(&s3.out(), &cfg, &opts(), &rec).unwrap();
    assert_eq!(
        report.to_string(),
        "deployed to `s3`: 12 new, 0 replaced, 0 deleted, 248 B uploaded, 0 unchanged"
    );
    let objects = s3.objects();
    let headers = |key: &str| {
        let o = &objects[key];
        (o.content_type.as_str(), o.cache_control.as_str())
    };
    assert_eq!(headers("index.html"), ("text/html; charset=utf-8", SHORT));
    assert_eq!(
        headers("2013/02/02/lavrov/index.html"),
        ("text/html; charset=utf-8", SHORT)
    );
    assert_eq!(
        headers("style.3f2a9c1b.css"),
        ("text/css; charset=utf-8", IMMUTABLE)
    );
    assert_eq!(headers("img/logo.png"), ("image/png", "public, max-age=60"));
    assert_eq!(
        headers("atom.xml"),
        ("application/atom+xml; charset=utf-8", SHORT)
    );
    assert_eq!(
        headers("sitemap.xml"),
        ("application/xml; charset=utf-8", SHORT)
    );
    assert_eq!(headers("robots.txt"), ("text/plain; charset=utf-8", SHORT));
    assert_eq!(headers("_redirects"), ("text/plain; charset=utf-8", SHORT));
    assert_eq!(s3.site(), build_files(&s3.out()));
    assert!(objects.contains_key(".broadsheet-manifest.json"));
    assert_ne!(ASSET, "public, max-age=60");

    // Upload order: assets, articles, lists, feeds, home page last.
    let events = rec.events();
    let at = |path: &str| {
        events
            .iter()
            .position(|e| e == &format!("up {path}"))
            .unwrap()
    };
    assert!(at("style.3f2a9c1b.css") < at("2013/02/02/lavrov/index.html"));
    assert!(at("img/logo.png") < at("2013/02/03/talks/index.html"));
    assert!(at("2013/02/03/talks/index.html") < at("2013/index.html"));
    assert!(at("tags/russia/index.html") < at("atom.xml"));
    assert_eq!(events.last().unwrap(), "up index.html");
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn second_deploy_with_nothing_changed_uploads_nothing() {
    let s3 = store("second", "");
    write_site(&s3.out(), SITE);
    s3.deploy(&opts(), &NoProgress);
    let before = s3.objects();
    let rec = Recorder::default();
    let report = s3.deploy(&opts(), &rec);
    assert_eq!(
        report.to_string(),
        "deployed to `s3`: 0 new, 0 replaced, 0 deleted, 0 B uploaded, 12 unchanged"
    );
    assert_eq!(rec.events(), Vec::<String>::new());
    assert_eq!(s3.objects(), before);
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn editing_one_article_uploads_only_that_file() {
    let s3 = store("edit", "");
    write_site(&s3.out(), SITE);
    s3.deploy(&opts(), &NoProgress);
    write_owned(
        &s3.out(),
        &edited(
            &[("2013/02/02/lavrov/index.html", "<h1>Lavrov</h1> v2")],
            &[],
        ),
    );
    let paths = s3.tmp.path().join("changed-paths.txt");
    let rec = Recorder::default();
    let report = s3.deploy(
        &DeployOptions {
            changed_paths_file: Some(paths.clone()),
            ..opts()
        },
        &rec,
    );
    assert_eq!(
        report.to_string(),
        "deployed to `s3`: 0 new, 1 replaced, 0 deleted, 18 B uploaded, 11 unchanged"
    );
    assert_eq!(rec.events(), ["up 2013/02/02/lavrov/index.html"]);
    assert_eq!(
        std::fs::read_to_string(&paths).unwrap(),
        "/2013/02/02/lavrov/\n/2013/02/02/lavrov/index.html\n"
    );
    assert_eq!(s3.site(), build_files(&s3.out()));
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn a_removed_article_is_deleted_only_after_every_upload() {
    let s3 = store("remove", "");
    write_site(&s3.out(), SITE);
    s3.deploy(&opts(), &NoProgress);
    write_owned(
        &s3.out(),
        &edited(
            &[
                ("2013/index.html", "<p>no talks</p>"),
                ("atom.xml", "<feed>no talks</feed>"),
                ("index.html", "<h1>Home</h1> v2"),
            ],
            &["2013/02/03/talks/index.html"],
        ),
    );
    let rec = Recorder::default();
    let report = s3.deploy(&opts(), &rec);
    assert_eq!((report.uploads_replaced, report.deletes), (3, 1));
    assert_eq!(
        rec.events(),
        [
            "up 2013/index.html",
            "up atom.xml",
            "up index.html",
            "del 2013/02/03/talks/index.html"
        ]
    );
    assert_eq!(s3.site(), build_files(&s3.out()));
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn max_deletes_refuses_a_mass_delete_and_changes_nothing() {
    let s3 = store("maxdel", "");
    write_site(&s3.out(), SITE);
    s3.deploy(&opts(), &NoProgress);
    let before = s3.objects();
    write_site(&s3.out(), &[("index.html", "<h1>Oops</h1>")]);
    let e = deploy(
        &s3.out(),
        &s3.cfg(""),
        &DeployOptions {
            max_deletes: 5,
            ..opts()
        },
        &NoProgress,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "refusing to delete 11 files from target `s3` (more than --max-deletes 5); \
         nothing was changed; check the build, or raise --max-deletes"
    );
    assert_eq!(s3.objects(), before);
    // Raised, it goes through.
    let report = s3.deploy(
        &DeployOptions {
            max_deletes: 11,
            ..opts()
        },
        &NoProgress,
    );
    assert_eq!((report.uploads_replaced, report.deletes), (1, 11));
    assert_eq!(s3.site(), build_files(&s3.out()));
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn dry_run_changes_nothing() {
    let s3 = store("dry", "");
    write_site(&s3.out(), SITE);
    let paths = s3.tmp.path().join("changed-paths.txt");
    let dry = DeployOptions {
        dry_run: true,
        changed_paths_file: Some(paths.clone()),
        ..opts()
    };
    let report = s3.deploy(&dry, &NoProgress);
    assert_eq!(report.uploads_new, 12);
    assert_eq!(s3.objects(), BTreeMap::new());

    s3.deploy(&opts(), &NoProgress);
    let before = s3.objects();
    write_owned(
        &s3.out(),
        &edited(&[("index.html", "<h1>Home</h1> v2")], &["404.html"]),
    );
    let report = s3.deploy(&dry, &NoProgress);
    assert_eq!(
        format!("{report:#}"),
        "replace  index.html (16 B)\ndelete   404.html\n\
         dry run for `s3`: would upload 0 new and 1 replaced files (16 B) and delete 1; \
         10 unchanged; nothing was changed"
    );
    assert_eq!(s3.objects(), before);
    assert!(!paths.exists());
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn force_uploads_everything_again() {
    let s3 = store("force", "");
    write_site(&s3.out(), SITE);
    s3.deploy(&opts(), &NoProgress);
    let report = s3.deploy(
        &DeployOptions {
            force: true,
            ..opts()
        },
        &NoProgress,
    );
    assert_eq!((report.uploads_replaced, report.unchanged), (12, 0));
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn a_missing_bucket_is_one_clear_line() {
    let s3 = store("nobucket", "");
    write_site(&s3.out(), SITE);
    let gone = open(&s3.endpoint, "bs-no-such-bucket", "", s3.creds.clone());
    write_site(&gone.out(), SITE);
    let e = deploy(&gone.out(), &gone.cfg(""), &opts(), &NoProgress).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("S3 bucket `bs-no-such-bucket` not found at {}", s3.endpoint)
    );
}

const CHILD_OUTPUT: &str = "BROADSHEET_TEST_CHILD_OUTPUT";
const CHILD_BUCKET: &str = "BROADSHEET_TEST_CHILD_BUCKET";
const CHILD_ABORT_AFTER: usize = 10;

/// Ends the process, as `kill -9` would, right after the `n`th upload.
struct KillAfter {
    n: usize,
    seen: AtomicUsize,
}

impl DeployProgress for KillAfter {
    fn uploaded(&self, _path: &str, _bytes: u64) {
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 >= self.n {
            std::process::abort();
        }
    }
}

/// The deploy `a_killed_deploy_is_finished_by_the_next_one` kills: run by it in a
/// child process, with the output and bucket in the environment.
#[test]
#[ignore = "run as a child process by a_killed_deploy_is_finished_by_the_next_one"]
fn child_deploy_that_gets_killed() {
    let (Ok(out), Ok(bucket), Ok(endpoint)) = (
        std::env::var(CHILD_OUTPUT),
        std::env::var(CHILD_BUCKET),
        std::env::var(ENDPOINT_VAR),
    ) else {
        panic!("only a_killed_deploy_is_finished_by_the_next_one runs this");
    };
    let s3 = open(&endpoint, &bucket, "", Credentials::new("unused", "unused"));
    let kill = KillAfter {
        n: CHILD_ABORT_AFTER,
        seen: AtomicUsize::new(0),
    };
    let cfg = DeployConfig {
        jobs: 2,
        ..s3.cfg("")
    };
    let _ = deploy(Path::new(&out), &cfg, &opts(), &kill);
    panic!("the deploy should have been killed after {CHILD_ABORT_AFTER} uploads");
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn a_killed_deploy_is_finished_by_the_next_one() {
    let s3 = store("killed", "");
    write_site(&s3.out(), SITE);
    s3.deploy(&opts(), &NoProgress);
    let old = s3.site();
    let old_manifest = s3.objects()[".broadsheet-manifest.json"].clone();

    // The next build: 60 new articles, two pages and the home page changed, one removed.
    let new_articles: Vec<(String, String)> = (0..60)
        .map(|i| {
            (
                format!("2013/03/{:02}/n{i}/index.html", i % 28 + 1),
                format!("<h1>N{i}</h1>"),
            )
        })
        .collect();
    let mut changes: Vec<(&str, &str)> = new_articles
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    changes.extend([
        ("2013/index.html", "<p>march</p>"),
        ("atom.xml", "<feed>march</feed>"),
        ("index.html", "<h1>Home</h1> v2"),
    ]);
    write_owned(
        &s3.out(),
        &edited(&changes, &["2013/02/03/talks/index.html"]),
    );

    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_deploy_that_gets_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_OUTPUT, s3.out())
        .env(CHILD_BUCKET, &s3.bucket_name)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child deploy was killed");

    // Half way: some new pages are there, every old file still is, the home page and
    // the manifest are the old ones.
    let half = s3.site();
    let arrived = new_articles
        .iter()
        .filter(|(p, _)| half.contains_key(p))
        .count();
    assert!(
        (CHILD_ABORT_AFTER..new_articles.len()).contains(&arrived),
        "{arrived} arrived"
    );
    for (key, body) in &old {
        assert_eq!(half.get(key), Some(body), "{key} is still served as before");
    }
    assert_eq!(s3.objects()[".broadsheet-manifest.json"], old_manifest);

    // The killed deploy's lock stays until its lease runs out; then it is taken over.
    let refused = deploy(&s3.out(), &s3.cfg(""), &opts(), &NoProgress).unwrap_err();
    assert!(
        refused
            .to_string()
            .starts_with("target `s3` is locked by another deploy (host "),
        "{refused}"
    );
    s3.expire_lock();

    // The rerun sends only what did not arrive, then deletes, and the bucket is the build.
    let report = s3.deploy(&opts(), &NoProgress);
    assert_eq!(report.uploads_new + report.uploads_replaced, 63 - arrived);
    assert_eq!(report.deletes, 1);
    assert_eq!(s3.site(), build_files(&s3.out()));
    let again = s3.deploy(&opts(), &NoProgress);
    assert_eq!(
        (again.uploads_new, again.uploads_replaced, again.deletes),
        (0, 0, 0)
    );
}

const HELD_LOCK: &str = r#"{"host":"web1","pid":4242,"since":"2026-12-03T21:05:00Z","expires":"2999-01-01T00:00:00Z","token":"web1-4242-1"}"#;

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn a_deploy_while_another_holds_the_lock_is_refused_naming_the_holder_and_lease() {
    let s3 = store("locked", "news/");
    write_site(&s3.out(), SITE);
    s3.put_object(LOCK, HELD_LOCK.as_bytes());
    let err = deploy(&s3.out(), &s3.cfg(""), &opts(), &NoProgress).unwrap_err();
    assert_eq!(
        err.to_string(),
        "target `s3` is locked by another deploy (host web1, pid 4242, since \
         2026-12-03T21:05:00Z; lock object `news/.broadsheet-lock`, lease until \
         2999-01-01T00:00:00Z); try again when it has finished"
    );
    // Nothing was sent, and the other deploy's lock is as it was.
    assert_eq!(s3.site(), BTreeMap::new());
    assert_eq!(
        s3.get_object(LOCK).expect("lock").0,
        HELD_LOCK.as_bytes().to_vec()
    );
    // A dry run takes no lock.
    let dry = DeployOptions {
        dry_run: true,
        ..opts()
    };
    assert_eq!(s3.deploy(&dry, &NoProgress).uploads_new, 12);
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn an_expired_lease_is_taken_over_and_the_lock_is_let_go_after_the_deploy() {
    let s3 = store("expired", "news/");
    write_site(&s3.out(), SITE);
    s3.put_object(
        LOCK,
        HELD_LOCK.replace("2999-01-01", "2000-01-01").as_bytes(),
    );
    let report = s3.deploy(&opts(), &NoProgress);
    assert_eq!(report.uploads_new, 12);
    assert_eq!(s3.site(), build_files(&s3.out()));
    assert_eq!(s3.get_object(LOCK), None);
}

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn a_failed_deploy_lets_go_of_the_lock() {
    let s3 = store("failedlock", "");
    write_site(&s3.out(), SITE);
    s3.deploy(&opts(), &NoProgress);
    write_site(&s3.out(), &[("index.html", "<h1>Oops</h1>")]);
    let strict = DeployOptions {
        max_deletes: 1,
        ..opts()
    };
    deploy(&s3.out(), &s3.cfg(""), &strict, &NoProgress).unwrap_err();
    assert_eq!(s3.get_object(LOCK), None);
}

/// 5 MiB, the smallest threshold (and part) allowed: the test file is 11 MiB, not 64.
const SMALL_THRESHOLD: &str = "multipart_threshold = 5242880";

#[test]
#[ignore = "needs an S3 server: scripts/ci-deploy.sh starts moto and runs these with --ignored"]
fn a_file_over_the_threshold_is_sent_in_parts() {
    let s3 = store("multipart", "news/");
    write_site(&s3.out(), SITE);
    // Not one repeated byte, so a part sent twice or out of order would show.
    let big: Vec<u8> = (0..11u32 << 20).map(|i| (i % 251) as u8).collect();
    std::fs::write(s3.out().join("video.mp4"), &big).expect("write big file");
    let cfg = s3.cfg_target(SMALL_THRESHOLD);
    let report = deploy(&s3.out(), &cfg, &opts(), &NoProgress).unwrap();
    assert_eq!(report.uploads_new, 13);
    let (body, etag) = s3.get_object("video.mp4").expect("uploaded");
    assert!(body == big, "the stored file differs from the built one");
    // A multipart ETag: the MD5 of the parts' MD5s, then the number of parts.
    assert!(etag.ends_with("-3"), "{etag}");
    assert_eq!(s3.objects()["video.mp4"].content_type, "video/mp4");

    let again = deploy(&s3.out(), &cfg, &opts(), &NoProgress).unwrap();
    assert_eq!((again.uploads_new, again.uploads_replaced), (0, 0));
}
