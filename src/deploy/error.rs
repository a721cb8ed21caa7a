//! The errors a deploy can end with. Each names the file, target or remote object it
//! concerns, fits on one line, and never contains a credential.

use std::path::PathBuf;

use thiserror::Error;

/// Why a deploy, dry run or rollback stopped. When one of these is returned after the
/// plan was made, the live site is still whole: the old files are still served.
#[derive(Debug, Error)]
pub enum DeployError {
    /// The `[deploy]` table could not be read.
    #[error("deploy config: {0}")]
    Config(String),
    /// No target matched, or several did and none was chosen.
    #[error("{0}")]
    Target(String),
    /// The built output directory is missing.
    #[error("{}: output directory not found; run `broadsheet build` first", path.display())]
    OutputMissing { path: PathBuf },
    /// The built output directory holds no file: deploying it would empty the site.
    #[error("{}: output directory is empty; run `broadsheet build` first", path.display())]
    OutputEmpty { path: PathBuf },
    /// A file name that cannot become a URL path.
    #[error("{}: file name is not valid UTF-8 and cannot be deployed", path.display())]
    NonUtf8Path { path: PathBuf },
    /// A local file could not be read, written, linked or renamed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The plan deletes more files than `--max-deletes` allows.
    #[error(
        "refusing to delete {count} files from target `{target}` (more than --max-deletes {max}); \
         nothing was changed; check the build, or raise --max-deletes"
    )]
    TooManyDeletes {
        target: String,
        count: usize,
        max: usize,
    },
    /// The live path of a directory target exists but is not the symlink deploys manage.
    #[error(
        "{}: live path exists and is not a symlink made by broadsheet deploy; \
         move it away and deploy again",
        path.display()
    )]
    LiveNotSymlink { path: PathBuf },
    /// Another deploy to the same target holds its lock.
    #[error(
        "target `{target}` is locked by another deploy ({holder}; {lock}); \
         try again when it has finished"
    )]
    Locked {
        target: String,
        /// `host web1, pid 4242, since 2026-12-03T21:05:00Z`.
        holder: String,
        /// The lock file, or the lock object and its lease.
        lock: String,
    },
    /// `--rollback` found no release to go back to.
    #[error("{0}")]
    Rollback(String),
    /// No usable S3 credentials in the environment or the AWS profile.
    #[error(
        "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
         (and AWS_SESSION_TOKEN), or AWS_PROFILE naming a profile in {credentials_file} \
         (profile `{profile}` not found)"
    )]
    NoCredentials {
        profile: String,
        credentials_file: String,
    },
    /// The store refused the credentials.
    #[error("S3 rejected the credentials for bucket `{bucket}` ({code}): {message}")]
    BadCredentials {
        bucket: String,
        code: String,
        message: String,
    },
    /// The bucket does not exist at the endpoint.
    #[error("S3 bucket `{bucket}` not found at {endpoint}")]
    BucketNotFound { bucket: String, endpoint: String },
    /// The endpoint could not be reached, even after retries.
    #[error("cannot reach S3 endpoint {endpoint} for `{key}` after {attempts} attempts: {message}")]
    Unreachable {
        endpoint: String,
        key: String,
        attempts: u32,
        message: String,
    },
    /// The store answered a request about one object with an error.
    #[error(
        "S3 {action} `{key}` failed after {attempts} attempts: HTTP {status} {code}: {message}"
    )]
    Remote {
        action: &'static str,
        key: String,
        attempts: u32,
        status: u16,
        code: String,
        message: String,
    },
    /// The store answered with something this client cannot read.
    #[error("S3 {action} `{key}`: unexpected response: {message}")]
    Protocol {
        action: &'static str,
        key: String,
        message: String,
    },
}

impl DeployError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
