//! The deploy manifest: what a target holds, file by file (size, content hash, ETag,
//! headers), kept beside the site so the next deploy knows what to skip. Pure data and
//! JSON; reading and writing it belongs to the targets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// File name of the manifest: a key beside the site in a bucket, a file beside each
/// release of a directory target. Never part of the deployed site.
pub(crate) const MANIFEST_NAME: &str = ".broadsheet-manifest.json";

const VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub version: u32,
    pub files: BTreeMap<String, Entry>,
}

/// What was deployed for one key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub size: u64,
    pub blake3: String,
    /// The ETag the store returned, when the target has one (S3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    pub content_type: String,
    pub cache_control: String,
}

impl Manifest {
    pub(crate) fn new(files: BTreeMap<String, Entry>) -> Self {
        Self {
            version: VERSION,
            files,
        }
    }

    /// Reads a manifest; one from another version or unreadable counts as absent, which
    /// only makes the next deploy compare by size and ETag or content alone.
    pub(crate) fn from_json(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice::<Self>(bytes)
            .ok()
            .filter(|m| m.version == VERSION)
    }

    pub(crate) fn to_json(&self) -> Vec<u8> {
        // Serializing plain structs of strings and integers cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_other_versions() {
        let mut files = BTreeMap::new();
        files.insert(
            "index.html".to_owned(),
            Entry {
                size: 3,
                blake3: "ab".into(),
                etag: None,
                content_type: "text/html; charset=utf-8".into(),
                cache_control: "public, max-age=300".into(),
            },
        );
        let m = Manifest::new(files);
        assert_eq!(Manifest::from_json(&m.to_json()), Some(m));
        assert_eq!(Manifest::from_json(br#"{"version":2,"files":{}}"#), None);
        assert_eq!(Manifest::from_json(b"not json"), None);
    }
}
