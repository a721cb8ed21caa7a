//! The built output directory as deploy sees it: every file with its `/`-separated key,
//! size and content hashes. Reads the output, never writes it.

use std::path::{Path, PathBuf};

use md5::{Digest as _, Md5};
use rayon::prelude::*;

use super::DeployError;
use super::manifest::MANIFEST_NAME;

/// One built file.
#[derive(Debug, Clone)]
pub(crate) struct LocalFile {
    /// Path relative to the output directory, `/`-separated: the object key and URL path.
    pub key: String,
    /// Where to read it.
    pub path: PathBuf,
    pub size: u64,
    /// blake3 of the bytes, lowercase hex: what manifests compare.
    pub blake3: String,
    /// MD5 of the bytes, lowercase hex: what S3 reports as the ETag of a simple upload.
    pub md5: String,
}

/// Lists and hashes every file under `dir` (following a symlinked `dir` itself), sorted
/// by key. Fails if `dir` is missing or holds no file: deploying an empty output would
/// empty the site.
pub(crate) fn scan(dir: &Path) -> Result<Vec<LocalFile>, DeployError> {
    if !dir.is_dir() {
        return Err(DeployError::OutputMissing {
            path: dir.to_path_buf(),
        });
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            DeployError::io(path, e.into())
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let key = key_of(rel).ok_or_else(|| DeployError::NonUtf8Path {
            path: entry.path().to_path_buf(),
        })?;
        if key != MANIFEST_NAME {
            found.push((key, entry.into_path()));
        }
    }
    if found.is_empty() {
        return Err(DeployError::OutputEmpty {
            path: dir.to_path_buf(),
        });
    }
    let mut files = found
        .into_par_iter()
        .map(|(key, path)| hash_file(key, path))
        .collect::<Result<Vec<_>, _>>()?;
    files.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(files)
}

/// Reads one file and hashes it.
pub(crate) fn hash_file(key: String, path: PathBuf) -> Result<LocalFile, DeployError> {
    let bytes = std::fs::read(&path).map_err(|e| DeployError::io(&path, e))?;
    Ok(describe(key, path, &bytes))
}

fn describe(key: String, path: PathBuf, bytes: &[u8]) -> LocalFile {
    LocalFile {
        key,
        size: bytes.len() as u64,
        blake3: blake3::hash(bytes).to_hex().to_string(),
        md5: md5_hex(bytes),
        path,
    }
}

/// A `LocalFile` for `bytes` that claims to live at `key`, for plan tests.
#[cfg(test)]
pub(crate) fn hash_file_bytes(key: &str, bytes: &[u8]) -> LocalFile {
    describe(key.to_owned(), PathBuf::from(key), bytes)
}

fn key_of(rel: &Path) -> Option<String> {
    let parts = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?;
    Some(parts.join("/"))
}

/// MD5 of `bytes` in lowercase hex, as S3 ETags show it.
pub(crate) fn md5_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Md5::digest(bytes)
        .iter()
        .fold(String::with_capacity(32), |mut s, b| {
            // Writing to a String cannot fail.
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_slash_separated_and_sorted_with_hashes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("2013/02")).unwrap();
        std::fs::write(dir.path().join("2013/02/index.html"), "hello").unwrap();
        std::fs::write(dir.path().join("a.css"), "").unwrap();
        std::fs::write(dir.path().join(MANIFEST_NAME), "{}").unwrap();
        let files = scan(dir.path()).unwrap();
        let keys: Vec<_> = files.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["2013/02/index.html", "a.css"]);
        assert_eq!(files[0].size, 5);
        assert_eq!(files[0].md5, "5d41402abc4b2a76b9719d911017c592");
        assert_eq!(files[1].md5, "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(files[0].blake3, blake3::hash(b"hello").to_hex().to_string());
    }

    #[test]
    fn missing_and_empty_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = scan(dir.path()).unwrap_err().to_string();
        assert!(
            e.ends_with(": output directory is empty; run `broadsheet build` first"),
            "{e}"
        );
        let e = scan(&dir.path().join("public")).unwrap_err().to_string();
        assert!(
            e.ends_with("public: output directory not found; run `broadsheet build` first"),
            "{e}"
        );
    }
}
