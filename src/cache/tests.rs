use super::*;
use crate::article::Parsed;
use crate::config::Config;
use crate::source::SourceFile;

fn article(text: &str) -> Parsed {
    let cfg = Config::parse("timezone = \"Europe/Paris\"", Path::new("/site")).expect("config");
    let file = SourceFile {
        rel_path: PathBuf::from("content/world/2013-02-02-lavrov.md"),
        content_path: "world/2013-02-02-lavrov.md".into(),
        abs_path: PathBuf::from("/site/content/world/2013-02-02-lavrov.md"),
        format: Format::Markdown,
    };
    crate::article::parse(&file, text.as_bytes(), &cfg)
}

const STORY: &str = "+++\ntitle = \"Lavrov & Syria\"\ndate = 2013-02-02T10:00:00+01:00\n\
tags = [\"Syria\", \"Russia\"]\nauthors = [\"AFP\"]\nmood = { level = 3, words = [\"calm\"] }\n+++\n\
First *paragraph*.\n\nSecond.\n";

fn stamp(mtime_ns: i64) -> FileStamp {
    FileStamp {
        size: 10,
        mtime_ns,
        ctime_ns: mtime_ns,
        inode: 7,
    }
}

const PATH: &str = "world/2013-02-02-lavrov.md";

fn save_one(cache: &Cache, parsed: &Parsed, started_ns: i64) {
    let records = [FileRecord {
        content_path: PATH.into(),
        stamp: stamp(1_000),
        hash: &[9; 16],
        diagnostics: &parsed.diagnostics,
        article: parsed.article.as_ref(),
    }];
    cache
        .save_shard(shard_of(PATH), &[1; 32], started_ns, records.into_iter())
        .expect("save");
}

fn shard_path(dir: &Path) -> PathBuf {
    dir.join(DIR)
        .join(format!("articles-{:02x}.bin", shard_of(PATH)))
}

#[test]
fn articles_come_back_exactly_as_saved() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = Cache::new(tmp.path());
    let mut parsed = article(STORY);
    parsed.diagnostics.push(Diagnostic::warning(
        Path::new("content/world/2013-02-02-lavrov.md"),
        Some(3),
        "not valid UTF-8; decoded as Windows-1252",
    ));
    save_one(&cache, &parsed, 5_000_000_000);
    let (loaded, errors) = cache.load_articles(&[1; 32]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        loaded.stale.iter().filter(|s| !**s).count(),
        1,
        "the saved shard is current, the missing ones are not"
    );
    let file = loaded.get(PATH).expect("cached");
    assert_eq!(file.started_ns, 5_000_000_000);
    assert_eq!(file.stamp, stamp(1_000));
    assert_eq!(file.hash, [9; 16]);
    assert_eq!(
        format!("{:?}", file.article.as_deref()),
        format!("{:?}", parsed.article.as_ref()),
        "article round-trips"
    );
    assert_eq!(file.diagnostics, parsed.diagnostics);
}

#[test]
fn a_cache_made_with_another_site_toml_is_not_used() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = Cache::new(tmp.path());
    save_one(&cache, &article(STORY), 0);
    assert!(
        cache
            .load_shard(shard_of(PATH), &[2; 32])
            .expect("readable")
            .is_none()
    );
    let (loaded, errors) = cache.load_articles(&[2; 32]);
    assert!(loaded.is_empty() && errors.is_empty());
    assert!(
        loaded.stale.iter().all(|s| *s),
        "every shard must be rewritten"
    );
}

#[test]
fn a_missing_cache_is_simply_absent() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = Cache::new(tmp.path());
    let (loaded, errors) = cache.load_articles(&[1; 32]);
    assert!(loaded.is_empty() && errors.is_empty());
    assert!(cache.load_outputs(tmp.path()).expect("no error").is_none());
}

#[test]
fn damaged_truncated_and_foreign_files_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = Cache::new(tmp.path());
    save_one(&cache, &article(STORY), 0);
    let path = shard_path(tmp.path());
    let good = std::fs::read(&path).expect("read");
    let load = || cache.load_shard(shard_of(PATH), &[1; 32]);

    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    std::fs::write(&path, &flipped).expect("write");
    let err = load().expect_err("flipped byte");
    assert!(matches!(err, CacheError::Damaged { .. }), "{err}");

    for cut in [good.len() - 1, good.len() / 3, MAGIC.len() + 2] {
        std::fs::write(&path, &good[..cut]).expect("write");
        let err = load().expect_err("truncated");
        assert!(
            matches!(err, CacheError::Damaged { .. }),
            "cut {cut}: {err}"
        );
    }

    std::fs::write(&path, b"some other program's file").expect("write");
    let err = load().expect_err("foreign");
    assert_eq!(
        err.to_string(),
        format!("{}: not a broadsheet cache file", path.display())
    );
    let (loaded, errors) = cache.load_articles(&[1; 32]);
    assert_eq!(errors.len(), 1, "reported");
    assert!(loaded.is_empty() && loaded.stale[shard_of(PATH)]);
}

#[test]
fn a_cache_from_another_version_is_refused_with_both_versions_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = Cache::new(tmp.path());
    let mut e = Enc::default();
    e.raw(MAGIC);
    e.u32(FORMAT);
    e.str("0.0.1");
    e.u8(b'a');
    std::fs::create_dir_all(tmp.path().join(DIR)).expect("mkdir");
    let path = shard_path(tmp.path());
    std::fs::write(&path, &e.buf).expect("write");
    let err = cache
        .load_shard(shard_of(PATH), &[1; 32])
        .expect_err("old version");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: written by broadsheet 0.0.1 (cache format {FORMAT}), this is {VERSION} (format {FORMAT})",
            path.display()
        )
    );
}

#[test]
fn a_stamp_is_trusted_only_well_before_the_cached_build() {
    let cached = CachedFile {
        started_ns: 100_000_000_000,
        stamp: stamp(50_000_000_000),
        hash: [0; 16],
        diagnostics: Vec::new(),
        article: None,
    };
    assert!(cached.trusts(&stamp(50_000_000_000)));
    assert!(!cached.trusts(&stamp(50_000_000_001)), "edited");
    let racy = CachedFile {
        stamp: stamp(99_500_000_000),
        ..cached
    };
    assert!(
        !racy.trusts(&stamp(99_500_000_000)),
        "modified just before the cached build: could have changed again unseen"
    );
}

#[test]
fn output_records_round_trip_per_output_directory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = Cache::new(tmp.path());
    let records = vec![
        OutputRecord {
            path: "2013/index.html".into(),
            fingerprint: [1; 16],
            content: [2; 16],
        },
        OutputRecord {
            path: "index.html".into(),
            fingerprint: [3; 16],
            content: [4; 16],
        },
    ];
    let public = tmp.path().join("public");
    cache.save_outputs(&public, records.iter()).expect("save");
    let loaded = cache.load_outputs(&public).expect("ok").expect("present");
    assert_eq!(loaded.records, records);
    assert_eq!(loaded.get("index.html").map(|r| r.content), Some([4; 16]));
    assert!(loaded.get("missing.html").is_none());
    assert!(
        cache
            .load_outputs(&tmp.path().join("preview"))
            .expect("ok")
            .is_none(),
        "another output directory has its own record"
    );
    cache.forget_outputs(&public).expect("forget");
    assert!(cache.load_outputs(&public).expect("ok").is_none());
}

#[test]
fn shards_spread_paths_and_stay_put() {
    assert_eq!(shard_of(PATH), shard_of("world/2013-02-02-lavrov.md"));
    let used: std::collections::HashSet<usize> = (0..1000)
        .map(|i| shard_of(&format!("2013/02/story-{i}.md")))
        .collect();
    assert_eq!(used.len(), SHARDS, "a thousand paths reach every shard");
}
