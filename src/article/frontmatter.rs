//! Splits a Markdown file into front matter and body, and parses TOML (`+++`) or
//! YAML (`---`) front matter into one JSON-like map. Errors carry the line in the
//! whole file, not in the front matter block.

use serde_json::{Map, Value};

use crate::diag::line_col;

/// Front matter read from the top of a file.
#[derive(Debug)]
pub struct FrontMatter<'a> {
    pub fields: Map<String, Value>,
    /// The raw block, for finding the line of a key in messages.
    pub raw: &'a str,
    /// 1-based line of the first line inside the block.
    pub first_line: usize,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

impl FrontMatter<'_> {
    /// The 1-based line in the whole file where `key` is set, if it can be found.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.raw
            .lines()
            .position(|l| {
                let l = l.trim_start().trim_start_matches(['"', '\'']);
                l.strip_prefix(key).is_some_and(|r| {
                    let r = r.trim_start_matches(['"', '\'']).trim_start();
                    r.starts_with('=') || r.starts_with(':')
                })
            })
            .map(|i| i + self.first_line)
    }
}

/// A front matter problem at a line of the whole file.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: Option<usize>,
    pub message: String,
}

/// Where a front matter block is: its fence kind, the raw block's byte range
/// and the body's offset. `Ok(None)` when the text opens with no fence.
struct Block {
    is_toml: bool,
    raw: std::ops::Range<usize>,
    body_offset: usize,
}

fn locate(text: &str) -> Result<Option<Block>, FrontMatterError> {
    let Some((fence, is_toml)) = [("+++", true), ("---", false)].into_iter().find(|(f, _)| {
        text.starts_with(f)
            && text[3..]
                .trim_start_matches([' ', '\t'])
                .starts_with(['\n', '\r'])
    }) else {
        return Ok(None);
    };
    let after_open = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = after_open;
    for line in text[after_open..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == fence || (!is_toml && t == "...") {
            return Ok(Some(Block {
                is_toml,
                raw: after_open..offset,
                body_offset: offset + line.len(),
            }));
        }
        offset += line.len();
    }
    Err(FrontMatterError {
        line: Some(1),
        message: format!("front matter opened with `{fence}` is never closed"),
    })
}

/// The byte offset of the body, found by the fences alone (the block is not
/// parsed): what rendering needs of a file whose front matter was read before.
pub fn body_offset(text: &str) -> Option<usize> {
    locate(text).ok().flatten().map(|b| b.body_offset)
}

/// Reads the front matter at the top of `text`, if any.
pub fn parse(text: &str) -> Result<Option<FrontMatter<'_>>, FrontMatterError> {
    let Some(Block {
        is_toml,
        raw: raw_range,
        body_offset,
    }) = locate(text)?
    else {
        return Ok(None);
    };
    let raw = &text[raw_range];
    let fields = if is_toml {
        parse_toml(raw)
    } else {
        parse_yaml(raw)
    }
    .map_err(|(line, message)| FrontMatterError {
        line: line.map(|l| l + 1),
        message,
    })?;
    Ok(Some(FrontMatter {
        fields,
        raw,
        first_line: 2,
        body_offset,
    }))
}

fn parse_toml(raw: &str) -> Result<Map<String, Value>, (Option<usize>, String)> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| {
        let line = e.span().map(|s| line_col(raw, s.start).0);
        (
            line,
            format!("invalid TOML front matter: {}", e.message().trim()),
        )
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect())
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn parse_yaml(raw: &str) -> Result<Map<String, Value>, (Option<usize>, String)> {
    if raw.trim().is_empty() {
        return Ok(Map::new());
    }
    // YAML 1.2 booleans only: a tag `Y` or `no` is text, as its author meant.
    let yaml = |text: &str| {
        serde_saphyr::from_str_with_options::<Value>(
            text,
            serde_saphyr::options! { strict_booleans: true },
        )
    };
    let first = yaml(raw);
    let value = match first {
        Ok(v) => v,
        Err(e) => {
            // Stray tabs and spaces at line ends (`- melody\t\t`) trip strict YAML
            // parsers but carry no meaning: retry once without them.
            let trimmed: String = raw.lines().map(|l| format!("{}\n", l.trim_end())).collect();
            yaml(&trimmed).map_err(|_| {
                let line = e.location().map(|l| l.line() as usize);
                (
                    line,
                    format!(
                        "invalid YAML front matter: {}",
                        first_line_of(&e.to_string())
                    ),
                )
            })?
        }
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err((
            Some(1),
            "front matter must be a map of `key: value` lines".into(),
        )),
    }
}

fn first_line_of(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter_is_read_and_dates_become_strings() {
        let fm = parse("+++\ntitle = \"A\"\ndate = 2013-02-02T10:00:00Z\n+++\nBody\n")
            .expect("ok")
            .expect("some");
        assert_eq!(fm.fields["title"], "A");
        assert_eq!(fm.fields["date"], "2013-02-02T10:00:00Z");
        assert_eq!(fm.line_of("date"), Some(3));
    }

    #[test]
    fn yaml_front_matter_with_folded_titles_and_stray_tabs() {
        let text = "---\ntitle: >\n  Folded\n  title\n\nauthors:\n- melody\t\t\n---\nBody";
        let fm = parse(text).expect("ok").expect("some");
        assert_eq!(fm.fields["title"], "Folded title\n");
        assert_eq!(fm.fields["authors"][0], "melody");
        assert_eq!(&text[fm.body_offset..], "Body");
    }

    #[test]
    fn yaml_1_1_booleans_stay_text() {
        let fm = parse("---\ntitle: A\ntags: [X, Y, no]\ndraft: true\n---\n")
            .expect("ok")
            .expect("some");
        assert_eq!(fm.fields["tags"], serde_json::json!(["X", "Y", "no"]));
        assert_eq!(fm.fields["draft"], true);
    }

    #[test]
    fn toml_errors_point_at_the_line_in_the_file() {
        let err = parse("+++\ntitle = \"A\"\ntags = [\"x\"\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err:?}");
        assert!(
            err.message.starts_with("invalid TOML front matter"),
            "{}",
            err.message
        );
    }

    #[test]
    fn yaml_errors_point_at_the_line_in_the_file() {
        let err = parse("---\ntitle: A\ndate: [2013\n---\n").unwrap_err();
        assert!(
            err.message.starts_with("invalid YAML front matter"),
            "{}",
            err.message
        );
        assert!(matches!(err.line, Some(3..=4)), "{err:?}");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(
            parse("---\ntitle: A\n").unwrap_err().message,
            "front matter opened with `---` is never closed"
        );
    }

    #[test]
    fn only_the_first_block_is_front_matter() {
        let fm = parse("---\ntitle: A\n---\n```\n---\ntitle: B\n---\n```\n")
            .expect("ok")
            .expect("some");
        assert_eq!(fm.fields["title"], "A");
    }

    #[test]
    fn a_file_without_fences_has_no_front_matter() {
        assert!(parse("# Title\n\ntext").expect("ok").is_none());
        assert!(parse("---- not a fence\n").expect("ok").is_none());
    }
}
