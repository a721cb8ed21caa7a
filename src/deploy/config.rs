//! The `[deploy]` table of site.toml: targets and Cache-Control rules. Owns parsing and
//! validation of deploy settings only; it reads no file and never holds a credential
//! (credential keys are rejected while parsing, see [`S3Target`]).

use std::fmt;
use std::path::PathBuf;

use globset::{Glob, GlobMatcher};
use serde::{Deserialize, Deserializer};

use super::DeployError;

/// The `[deploy]` table. Embedded in site.toml; `DeployConfig::parse` reads the same
/// table from a string on its own (for tests and tools).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeployConfig {
    /// Where deploys go, as `[[deploy.targets]]` tables; `--target NAME` picks one, and
    /// a single target is used without it. Default: none.
    #[serde(default)]
    pub targets: Vec<TargetConfig>,
    /// Cache-Control rules as `[[deploy.cache_control]]` tables with `glob` and `value`;
    /// the first whose glob matches a file's path wins, then the built-in defaults apply
    /// (see `cache_control_for`). Default: none, so only the built-in defaults.
    #[serde(default)]
    pub cache_control: Vec<CacheRule>,
    /// Uploads in flight at once to an S3 target. Default: 4.
    #[serde(default = "default_jobs")]
    pub jobs: usize,
}

impl Default for DeployConfig {
    fn default() -> Self {
        Self {
            targets: Vec::new(),
            cache_control: Vec::new(),
            jobs: default_jobs(),
        }
    }
}

/// One `[[deploy.targets]]` table; `kind` chooses the variant.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TargetConfig {
    /// `kind = "directory"`: a local or mounted folder switched atomically.
    Directory(DirectoryTarget),
    /// `kind = "s3"`: an S3-compatible bucket.
    S3(S3Target),
}

/// A `directory` target: releases beside a live symlink.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryTarget {
    /// Name used by `--target`. Required.
    pub name: String,
    /// The live path readers (a web server root) use. Deploys make it a symlink into the
    /// folder `<path>.releases` beside it. Relative paths are taken from the current
    /// directory. Required.
    pub path: PathBuf,
    /// How many releases to keep for `--rollback`, the live one included. Default: 5.
    #[serde(default = "default_keep")]
    pub keep: usize,
}

/// An `s3` target. Credentials come only from the environment (AWS_ACCESS_KEY_ID,
/// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or an AWS profile (AWS_PROFILE); a
/// credential key in site.toml is an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Target {
    /// Name used by `--target`. Required.
    pub name: String,
    /// Bucket name. Required.
    pub bucket: String,
    /// Folder inside the bucket the site lives under, such as `news/`. Default: the root.
    #[serde(default)]
    pub prefix: String,
    /// Region used to sign requests. Default: `us-east-1` (what R2 and MinIO accept too).
    #[serde(default = "default_region")]
    pub region: String,
    /// Endpoint URL for stores other than AWS, such as `https://<account>.r2.cloudflarestorage.com`.
    /// Default: `https://s3.<region>.amazonaws.com`.
    #[serde(default, deserialize_with = "endpoint")]
    pub endpoint: Option<String>,
    /// Path-style URLs (`endpoint/bucket/key`) instead of virtual hosts
    /// (`bucket.endpoint/key`). Default: true when `endpoint` is set, else false.
    #[serde(default)]
    pub path_style: Option<bool>,
    /// Seconds the target's lock object holds without being renewed. A deploy renews
    /// it every third of that while it runs, so this only decides how soon the lock of
    /// a deploy that died is taken over. Default: 600.
    #[serde(default = "default_lock_lease")]
    pub lock_lease: u64,
    /// Files larger than this many bytes are sent as multipart uploads, in parts of
    /// this size (at least 5 MiB, the S3 minimum part). Default: 67108864 (64 MiB).
    #[serde(default = "default_multipart_threshold")]
    pub multipart_threshold: u64,
    /// Any credential-looking key: present only to fail with a clear message.
    #[serde(
        default,
        rename = "secret_access_key",
        alias = "access_key_id",
        alias = "session_token",
        alias = "aws_access_key_id",
        alias = "aws_secret_access_key",
        alias = "aws_session_token",
        alias = "access_key",
        alias = "secret_key",
        alias = "secret",
        alias = "token",
        alias = "password",
        alias = "credentials"
    )]
    _credentials: Option<NoCredentialsHere>,
}

/// A Cache-Control rule: files whose path (relative to the output directory, `/`
/// separated, `*` crossing folders) matches `glob` get `value`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheRule {
    /// Glob over the file's path, such as `assets/**` or `*.html`.
    #[serde(deserialize_with = "glob")]
    pub glob: String,
    /// The Cache-Control header value, such as `public, max-age=60`.
    #[serde(deserialize_with = "header_value")]
    pub value: String,
}

impl DeployConfig {
    /// Reads a `[deploy]` table's contents from TOML text (the keys that would follow
    /// `[deploy]` in site.toml, with `[[targets]]` tables).
    pub fn parse(text: &str) -> Result<Self, DeployError> {
        let cfg: Self = toml::from_str(text).map_err(|e| DeployError::Config(one_line(&e)))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks what serde cannot: unique, non-empty names and sane numbers.
    pub fn validate(&self) -> Result<(), DeployError> {
        let mut seen = std::collections::BTreeSet::new();
        for target in &self.targets {
            let name = target.name();
            if name.trim().is_empty() {
                return Err(DeployError::Config("a target has an empty `name`".into()));
            }
            if !seen.insert(name) {
                return Err(DeployError::Config(format!(
                    "two targets are named `{name}`"
                )));
            }
            match target {
                TargetConfig::Directory(d) if d.keep == 0 => {
                    return Err(DeployError::Config(format!(
                        "target `{name}`: `keep` must be at least 1"
                    )));
                }
                TargetConfig::S3(s) if s.bucket.trim().is_empty() => {
                    return Err(DeployError::Config(format!(
                        "target `{name}`: `bucket` is empty"
                    )));
                }
                TargetConfig::S3(s) if s.multipart_threshold < MIN_PART => {
                    return Err(DeployError::Config(format!(
                        "target `{name}`: `multipart_threshold` must be at least {MIN_PART} \
                         (5 MiB, the smallest part S3 accepts)"
                    )));
                }
                TargetConfig::S3(s) if s.lock_lease < 3 => {
                    return Err(DeployError::Config(format!(
                        "target `{name}`: `lock_lease` must be at least 3 seconds"
                    )));
                }
                _ => {}
            }
        }
        if self.jobs == 0 {
            return Err(DeployError::Config("`jobs` must be at least 1".into()));
        }
        Ok(())
    }

    /// The target to deploy to: the one named, or the only one.
    pub fn select(&self, name: Option<&str>) -> Result<&TargetConfig, DeployError> {
        let names = || {
            self.targets
                .iter()
                .map(|t| format!("`{}`", t.name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (name, self.targets.as_slice()) {
            (_, []) => Err(DeployError::Target(
                "no deploy target: add a [[deploy.targets]] table to site.toml".into(),
            )),
            (Some(name), targets) => targets.iter().find(|t| t.name() == name).ok_or_else(|| {
                DeployError::Target(format!(
                    "no deploy target named `{name}` (configured: {})",
                    names()
                ))
            }),
            (None, [only]) => Ok(only),
            (None, _) => Err(DeployError::Target(format!(
                "several deploy targets ({}): choose one with --target",
                names()
            ))),
        }
    }

    /// The Cache-Control value for a file at `key` (its `/`-separated path relative to
    /// the output directory): the first matching configured rule, else the defaults:
    /// fingerprinted files (a name like `style.3f2a9c1b.css`) a year and `immutable`;
    /// HTML, feeds, sitemaps and other texts 5 minutes; other assets an hour.
    pub fn cache_control_for(&self, key: &str) -> String {
        CacheRules::new(self).value(key).to_owned()
    }
}

impl TargetConfig {
    /// The name `--target` selects it by.
    pub fn name(&self) -> &str {
        match self {
            TargetConfig::Directory(d) => &d.name,
            TargetConfig::S3(s) => &s.name,
        }
    }
}

/// Compiled Cache-Control rules, built once per deploy.
pub(crate) struct CacheRules<'a> {
    rules: Vec<(GlobMatcher, &'a str)>,
}

impl<'a> CacheRules<'a> {
    pub(crate) fn new(cfg: &'a DeployConfig) -> Self {
        let rules = cfg
            .cache_control
            .iter()
            // Globs were checked while parsing; one built by hand that does not
            // compile matches nothing rather than failing the deploy.
            .filter_map(|r| Some((Glob::new(&r.glob).ok()?.compile_matcher(), r.value.as_str())))
            .collect();
        Self { rules }
    }

    pub(crate) fn value(&self, key: &str) -> &'a str {
        self.rules
            .iter()
            .find(|(glob, _)| glob.is_match(key))
            .map_or_else(|| default_cache_control(key), |(_, value)| *value)
    }
}

/// Cache-Control for long-lived files whose name changes when their content does.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache-Control for pages, feeds and other files that change in place.
pub const SHORT: &str = "public, max-age=300";
/// Cache-Control for assets that keep their name across changes.
pub const ASSET: &str = "public, max-age=3600";

fn default_cache_control(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let mime = crate::mime::content_type(std::path::Path::new(name));
    let changes_in_place = mime.starts_with("text/html")
        || mime.contains("xml")
        || mime.starts_with("text/plain")
        || mime.starts_with("application/json");
    if changes_in_place {
        SHORT
    } else if is_fingerprinted(name) {
        IMMUTABLE
    } else {
        ASSET
    }
}

/// True for names such as `style.3f2a9c1b.css` or `app-5d41402abc4b.js`: the last
/// `.`/`-` separated part of the stem is at least 8 lowercase hex characters with a
/// letter and a digit (so a date like `20130202` is not mistaken for a hash), or
/// 16 or more (as the build names the theme's stylesheets, whose 16 hex digits
/// may by chance all be digits).
fn is_fingerprinted(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let part = stem.rsplit(['.', '-']).next().unwrap_or(stem);
    part.len() >= 8
        && part
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && (part.len() >= 16
            || part.bytes().any(|b| b.is_ascii_digit())
                && part.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// Deserializes only to fail: a credential in site.toml would end up in version control.
#[derive(Debug, Clone)]
struct NoCredentialsHere;

impl<'de> Deserialize<'de> for NoCredentialsHere {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(
            "credentials are never read from site.toml: remove the credential key from \
             this target and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), \
             or AWS_PROFILE, in the environment",
        ))
    }
}

fn endpoint<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    match url::Url::parse(&text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            Ok(Some(text))
        }
        _ => Err(serde::de::Error::custom(format!(
            "endpoint `{text}` is not an http:// or https:// URL"
        ))),
    }
}

fn glob<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    Glob::new(&text).map_err(|e| serde::de::Error::custom(format!("bad glob `{text}`: {e}")))?;
    Ok(text)
}

fn header_value<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.trim().is_empty() || text.chars().any(|c| c.is_control()) {
        return Err(serde::de::Error::custom(format!(
            "Cache-Control value {text:?} must be non-empty, on one line"
        )));
    }
    Ok(text)
}

fn one_line(e: &impl fmt::Display) -> String {
    // toml errors quote the offending source line under a position header; keep the
    // position and the message, not the quoted text (it could hold a pasted secret).
    e.to_string()
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with('|') && !l.starts_with(|c: char| c.is_ascii_digit())
        })
        .collect::<Vec<_>>()
        .join(": ")
}

fn default_jobs() -> usize {
    4
}

fn default_keep() -> usize {
    5
}

fn default_lock_lease() -> u64 {
    600
}

/// 64 MiB.
fn default_multipart_threshold() -> u64 {
    64 << 20
}

/// The smallest part S3 accepts (but for the last one).
pub(crate) const MIN_PART: u64 = 5 << 20;

fn default_region() -> String {
    "us-east-1".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match DeployConfig::parse(text) {
            Ok(cfg) => panic!("expected an error, got {cfg:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn targets_of_both_kinds_parse_with_defaults() {
        let cfg = DeployConfig::parse(
            r#"
            [[targets]]
            name = "local"
            kind = "directory"
            path = "/srv/www/news"

            [[targets]]
            name = "r2"
            kind = "s3"
            bucket = "news"
            endpoint = "https://example.r2.cloudflarestorage.com"
            "#,
        )
        .unwrap();
        let TargetConfig::Directory(d) = &cfg.targets[0] else {
            panic!("first target is a directory")
        };
        assert_eq!((d.name.as_str(), d.keep), ("local", 5));
        let TargetConfig::S3(s) = &cfg.targets[1] else {
            panic!("second target is s3")
        };
        assert_eq!(s.prefix, "");
        assert_eq!(s.region, "us-east-1");
        assert_eq!(s.path_style, None);
        assert_eq!(cfg.jobs, 4);
    }

    #[test]
    fn credentials_in_site_toml_are_refused() {
        let e = err(r#"
            [[targets]]
            name = "prod"
            kind = "s3"
            bucket = "news"
            secret_access_key = "wJalrXUtnFEMI-do-not-print"
            "#);
        assert_eq!(
            e,
            "deploy config: TOML parse error at line 2, column 13: credentials are never \
             read from site.toml: remove the credential key from this target and set \
             AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or \
             AWS_PROFILE, in the environment"
        );
    }

    #[test]
    fn unknown_keys_and_kinds_are_errors() {
        let e = err("[[targets]]\nname = \"a\"\nkind = \"ftp\"\n");
        assert!(
            e.contains("unknown variant `ftp`, expected `directory` or `s3`"),
            "{e}"
        );
        let e = err("[[targets]]\nname = \"a\"\nkind = \"directory\"\npath = \"x\"\nkep = 3\n");
        assert!(e.contains("unknown field `kep`"), "{e}");
    }

    #[test]
    fn bad_endpoint_glob_and_duplicate_names_are_errors() {
        let e = err(
            "[[targets]]\nname = \"a\"\nkind = \"s3\"\nbucket = \"b\"\nendpoint = \"localhost:9000\"\n",
        );
        assert!(
            e.contains("endpoint `localhost:9000` is not an http:// or https:// URL"),
            "{e}"
        );
        let e = err("[[cache_control]]\nglob = \"a/[\"\nvalue = \"no-cache\"\n");
        assert!(e.contains("bad glob `a/[`"), "{e}");
        let e = err(
            "[[targets]]\nname = \"a\"\nkind = \"directory\"\npath = \"x\"\n\
             [[targets]]\nname = \"a\"\nkind = \"directory\"\npath = \"y\"\n",
        );
        assert_eq!(e, "deploy config: two targets are named `a`");
    }

    #[test]
    fn target_selection_explains_itself() {
        let two = DeployConfig::parse(
            "[[targets]]\nname = \"a\"\nkind = \"directory\"\npath = \"x\"\n\
             [[targets]]\nname = \"b\"\nkind = \"directory\"\npath = \"y\"\n",
        )
        .unwrap();
        assert_eq!(two.select(Some("b")).unwrap().name(), "b");
        assert_eq!(
            two.select(None).unwrap_err().to_string(),
            "several deploy targets (`a`, `b`): choose one with --target"
        );
        assert_eq!(
            two.select(Some("c")).unwrap_err().to_string(),
            "no deploy target named `c` (configured: `a`, `b`)"
        );
        assert_eq!(
            DeployConfig::default()
                .select(None)
                .unwrap_err()
                .to_string(),
            "no deploy target: add a [[deploy.targets]] table to site.toml"
        );
    }

    #[test]
    fn cache_control_defaults_by_kind() {
        let cfg = DeployConfig::default();
        assert_eq!(cfg.cache_control_for("style.3f2a9c1b.css"), IMMUTABLE);
        assert_eq!(cfg.cache_control_for("img/app-5d41402abc4b.js"), IMMUTABLE);
        assert_eq!(cfg.cache_control_for("style.css"), ASSET);
        assert_eq!(cfg.cache_control_for("img/photo-20130202.jpg"), ASSET);
        // As the build names stylesheets, even when the hash is all digits.
        let built = crate::theme::fingerprinted_name("style.css", b"body {}");
        assert_eq!(cfg.cache_control_for(&built), IMMUTABLE);
        assert_eq!(
            cfg.cache_control_for("style.1234567890123456.css"),
            IMMUTABLE
        );
        assert_eq!(cfg.cache_control_for("index.html"), SHORT);
        assert_eq!(cfg.cache_control_for("2013/02/02/lavrov/index.html"), SHORT);
        assert_eq!(cfg.cache_control_for("atom.xml"), SHORT);
        assert_eq!(cfg.cache_control_for("sitemap-2013.xml"), SHORT);
        assert_eq!(cfg.cache_control_for("_redirects"), SHORT);
    }

    #[test]
    fn configured_rules_win_in_order() {
        let cfg = DeployConfig::parse(
            "[[cache_control]]\nglob = \"*.html\"\nvalue = \"no-cache\"\n\
             [[cache_control]]\nglob = \"assets/**\"\nvalue = \"public, max-age=60\"\n\
             [[cache_control]]\nglob = \"assets/x.css\"\nvalue = \"never used\"\n",
        )
        .unwrap();
        assert_eq!(cfg.cache_control_for("2013/a/index.html"), "no-cache");
        assert_eq!(cfg.cache_control_for("assets/x.css"), "public, max-age=60");
        assert_eq!(cfg.cache_control_for("style.css"), ASSET);
    }
}
