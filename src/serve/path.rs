//! Turning a request path into a file inside the site directory, safely.
//!
//! Owns the rule "nothing outside the site is ever served": it decodes the
//! path, refuses every suspicious shape before touching the disk, then
//! canonicalizes what it found and checks it is still under the site root
//! (which catches symlinks pointing out). It reads metadata only, never file
//! contents, and builds no HTTP response.

use std::path::{Component, Path, PathBuf};

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A regular file inside the site (canonical path).
    File(PathBuf),
    /// A directory asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing there (or a file asked for with a trailing slash).
    NotFound,
    /// It exists, but resolves outside the site (a symlink pointing out).
    Outside,
    /// The path itself is malformed or suspicious; the reason says why.
    Refused(&'static str),
}

/// Resolves `raw_path` (the still percent-encoded path of the request URI,
/// without query) against `root`, which must already be canonical.
pub(crate) fn resolve(root: &Path, raw_path: &str) -> Target {
    let segments = match split(raw_path) {
        Ok(segments) => segments,
        Err(reason) => return Target::Refused(reason),
    };
    let wants_dir = raw_path.ends_with('/');
    let mut joined = root.to_path_buf();
    joined.extend(&segments);
    let found = match locate(root, &joined) {
        Ok(found) => found,
        Err(target) => return target,
    };
    if found.is_dir() {
        if !wants_dir {
            return Target::Redirect(format!("{raw_path}/"));
        }
        return match locate(root, &found.join("index.html")) {
            Ok(index) if index.is_file() => Target::File(index),
            Ok(_) => Target::NotFound,
            Err(target) => target,
        };
    }
    if wants_dir || !found.is_file() {
        return Target::NotFound;
    }
    Target::File(found)
}

/// Decodes a request path into plain path segments, refusing anything that
/// could step outside the root: `..` and `.` segments (also when encoded),
/// empty segments (which is how `//etc/passwd` would become absolute),
/// backslashes, NUL bytes, invalid escapes and non-UTF-8.
pub(crate) fn split(raw_path: &str) -> Result<Vec<String>, &'static str> {
    let Some(rest) = raw_path.strip_prefix('/') else {
        return Err("the path does not start with /");
    };
    let decoded = percent_decode(rest)?;
    if decoded.contains('\0') {
        return Err("the path contains a NUL byte");
    }
    if decoded.contains('\\') {
        return Err("the path contains a backslash");
    }
    let body = decoded.strip_suffix('/').unwrap_or(&decoded);
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let mut segments = Vec::new();
    for segment in body.split('/') {
        match segment {
            "" => return Err("the path has an empty segment"),
            "." | ".." => return Err("the path has a dot segment"),
            _ => {}
        }
        // Whatever the platform treats as a root, prefix or parent (a drive
        // letter on Windows, say) is refused too: a segment must stay one
        // plain name.
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(name)), None) if name == segment => {}
            _ => return Err("the path has a segment that is not a plain name"),
        }
        segments.push(segment.to_owned());
    }
    Ok(segments)
}

/// The canonical form of `path` if it exists and lies under `root`; else
/// the target to answer with.
fn locate(root: &Path, path: &Path) -> Result<PathBuf, Target> {
    let canonical = path.canonicalize().map_err(|_| Target::NotFound)?;
    if canonical.starts_with(root) {
        Ok(canonical)
    } else {
        Err(Target::Outside)
    }
}

/// Percent-decodes `s` strictly: a `%` must be followed by two hex digits,
/// and the result must be UTF-8.
fn percent_decode(s: &str) -> Result<String, &'static str> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .ok_or("the path has a bad % escape")?;
            let hex = std::str::from_utf8(hex).map_err(|_| "the path has a bad % escape")?;
            let byte = u8::from_str_radix(hex, 16).map_err(|_| "the path has a bad % escape")?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the path is not UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_split_into_segments() {
        assert_eq!(split("/"), Ok(vec![]));
        assert_eq!(
            split("/2013/02/lavrov/"),
            Ok(vec!["2013".into(), "02".into(), "lavrov".into()])
        );
        assert_eq!(split("/a%20b.html"), Ok(vec!["a b.html".into()]));
        assert_eq!(split("/caf%C3%A9/"), Ok(vec!["café".into()]));
    }

    #[test]
    fn every_traversal_shape_is_refused() {
        let cases = [
            ("/../etc/passwd", "the path has a dot segment"),
            ("/a/../../etc/passwd", "the path has a dot segment"),
            ("/%2e%2e/etc/passwd", "the path has a dot segment"),
            ("/%2E%2E/etc/passwd", "the path has a dot segment"),
            ("/..%2fetc/passwd", "the path has a dot segment"),
            ("/./index.html", "the path has a dot segment"),
            ("//etc/passwd", "the path has an empty segment"),
            ("/a//b", "the path has an empty segment"),
            ("/%2fetc/passwd", "the path has an empty segment"),
            ("/..\\etc\\passwd", "the path contains a backslash"),
            ("/..%5cetc%5cpasswd", "the path contains a backslash"),
            ("/index.html%00.css", "the path contains a NUL byte"),
            ("/a%zz", "the path has a bad % escape"),
            ("/a%2", "the path has a bad % escape"),
            ("/%ff", "the path is not UTF-8"),
            ("etc/passwd", "the path does not start with /"),
        ];
        for (path, reason) in cases {
            assert_eq!(split(path), Err(reason), "{path}");
        }
    }

    #[test]
    fn dots_inside_a_name_are_fine() {
        assert_eq!(
            split("/a..b/x.y.html"),
            Ok(vec!["a..b".into(), "x.y.html".into()])
        );
    }
}
