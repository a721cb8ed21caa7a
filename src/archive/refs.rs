//! Links from one article to another by its source (`{{< ref "x" >}}`,
//! `{% post_url x %}`): which entry a target names. A target is a path
//! under content/ (with or without its extension, `/index.md` of a bundle,
//! a leading `/`), else a file name alone when only one article has it.

use std::collections::HashMap;

use super::Entry;

/// Entries by their source path and by their file name (`None`: more than
/// one article has that name). Empty unless some article links by source.
#[derive(Debug, Default)]
pub struct RefIndex {
    by_path: HashMap<String, u32>,
    by_name: HashMap<String, Option<u32>>,
}

impl RefIndex {
    pub fn new(entries: &[Entry]) -> RefIndex {
        let mut index = RefIndex::default();
        if entries.iter().all(|e| e.article.refs.is_empty()) {
            return index;
        }
        for (i, e) in entries.iter().enumerate() {
            let source = e.article.source.to_string_lossy();
            let path = normalize(source.strip_prefix("content/").unwrap_or(&source));
            let name = last_segment(&path).to_string();
            index
                .by_name
                .entry(name)
                .and_modify(|v| *v = None)
                .or_insert(Some(i as u32));
            index.by_path.insert(path, i as u32);
        }
        index
    }

    /// The entry `target` names, if exactly one.
    pub fn find(&self, target: &str) -> Option<u32> {
        let path = normalize(target);
        if let Some(&i) = self.by_path.get(&path) {
            return Some(i);
        }
        self.by_name.get(last_segment(&path)).copied().flatten()
    }
}

/// `/posts/Fire/index.md` -> `posts/fire`.
fn normalize(target: &str) -> String {
    let mut t = target.trim().trim_start_matches(['.', '/']);
    for ext in [".md", ".markdown", ".html", ".txt"] {
        t = t.strip_suffix(ext).unwrap_or(t);
    }
    let t = t.trim_end_matches('/');
    let t = t
        .strip_suffix("/index")
        .or_else(|| t.strip_suffix("/_index"))
        .unwrap_or(t);
    t.to_lowercase()
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
