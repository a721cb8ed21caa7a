//! Pelican-style `Key: value` header blocks at the top of Markdown files.
//!
//! Owns recognising such a block and splitting it into fields with their line numbers.
//! Accepts a block only when its first line is `Title:`, so ordinary Markdown is never
//! misread. Must not interpret values (dates, slugs): the caller does, reporting errors at
//! the line given here.

/// A `Key: value` header block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValueHeader {
    /// The fields in file order. A key given twice appears twice.
    pub fields: Vec<HeaderField>,
    /// Byte offset in the text where the body starts (after the blank line ending the
    /// block), or the text's length when there is no body.
    pub body_offset: usize,
    /// The 1-based line the body starts on.
    pub body_line: usize,
}

/// One `Key: value` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField {
    /// The key in lower case: `title`, `date`, `tags`, `authors`, ...
    pub key: String,
    /// The value, trimmed; indented continuation lines are joined with a space.
    pub value: String,
    /// The 1-based line of the key.
    pub line: usize,
}

/// Reads a Pelican header block: `Key: value` lines from the first non-blank line, which
/// must be `Title:` (in any case), to the first blank line. An indented line continues the
/// value above it. A line that is neither ends the block and starts the body, as in
/// Python-Markdown's meta-data extension.
pub fn parse_key_value_header(text: &str) -> Option<KeyValueHeader> {
    let mut fields: Vec<HeaderField> = Vec::new();
    let mut offset = 0;
    let mut line_no = 0;
    let mut started = false;
    for raw in text.split_inclusive('\n') {
        line_no += 1;
        let line = raw.trim_end_matches(['\n', '\r']);
        let blank = line.trim().is_empty();
        if !started {
            if blank {
                offset += raw.len();
                continue;
            }
            let (key, value) = split_field(line)?;
            if key != "title" {
                return None;
            }
            fields.push(HeaderField {
                key,
                value,
                line: line_no,
            });
            started = true;
            offset += raw.len();
            continue;
        }
        if blank {
            offset += raw.len();
            return Some(KeyValueHeader {
                fields,
                body_offset: offset,
                body_line: line_no + 1,
            });
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                let more = line.trim();
                if !last.value.is_empty() {
                    last.value.push(' ');
                }
                last.value.push_str(more);
            }
        } else if let Some((key, value)) = split_field(line) {
            fields.push(HeaderField {
                key,
                value,
                line: line_no,
            });
        } else {
            return Some(KeyValueHeader {
                fields,
                body_offset: offset,
                body_line: line_no,
            });
        }
        offset += raw.len();
    }
    started.then_some(KeyValueHeader {
        fields,
        body_offset: text.len(),
        body_line: line_no + 1,
    })
}

impl KeyValueHeader {
    /// The first field with this key (given in lower case).
    pub fn get(&self, key: &str) -> Option<&HeaderField> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The list in a `Tags:`, `Authors:` or `Category:` value: split at semicolons when it
    /// has any (so names may hold commas), else at commas, trimmed, empties dropped.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.get(key)
            .map(|f| split_list(&f.value))
            .unwrap_or_default()
    }
}

/// Splits a Pelican list value.
pub fn split_list(value: &str) -> Vec<String> {
    let separator = if value.contains(';') { ';' } else { ',' };
    value
        .split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `Key: value` with a key of letters, digits, `_` and `-` starting at the first column.
fn split_field(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once(':')?;
    let valid = key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then(|| (key.to_ascii_lowercase(), value.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, value: &str, line: usize) -> HeaderField {
        HeaderField {
            key: key.to_owned(),
            value: value.to_owned(),
            line,
        }
    }

    #[test]
    fn pelican_header_gives_fields_lines_and_body_offset() {
        let text = "Title: My super title\nDate: 2010-12-03 10:20\nmodified: 2010-12-05 19:30\nCategory: Python\nTags: pelican, publishing\nSlug: my-super-post\nAuthors: Alexis Metaireau; Conrad, Anker\nSummary: Short version\n  for index and feeds\n\nThis is the content of my super blog post.\n";
        let header = parse_key_value_header(text).unwrap_or_else(|| panic!("header"));
        assert_eq!(
            header.fields,
            [
                field("title", "My super title", 1),
                field("date", "2010-12-03 10:20", 2),
                field("modified", "2010-12-05 19:30", 3),
                field("category", "Python", 4),
                field("tags", "pelican, publishing", 5),
                field("slug", "my-super-post", 6),
                field("authors", "Alexis Metaireau; Conrad, Anker", 7),
                field("summary", "Short version for index and feeds", 8),
            ]
        );
        assert_eq!(
            &text[header.body_offset..],
            "This is the content of my super blog post.\n"
        );
        assert_eq!(header.body_line, 11);
        assert_eq!(header.list("tags"), ["pelican", "publishing"]);
        assert_eq!(
            header.list("authors"),
            ["Alexis Metaireau", "Conrad, Anker"]
        );
        assert_eq!(header.get("slug").map(|f| f.line), Some(6));
        assert_eq!(header.list("missing"), Vec::<String>::new());
    }

    #[test]
    fn crlf_leading_blank_lines_and_missing_body_are_handled() {
        let header = parse_key_value_header("\r\n\r\nTITLE: Hello\r\nDate: 2013-02-02\r\n")
            .unwrap_or_else(|| panic!("header"));
        assert_eq!(
            header.fields,
            [field("title", "Hello", 3), field("date", "2013-02-02", 4)]
        );
        assert_eq!(header.body_offset, 36);
        assert_eq!(header.body_line, 5);

        let header = parse_key_value_header("Title: Hi\nDate: 2013\n# Heading\nText\n")
            .unwrap_or_else(|| panic!("header"));
        assert_eq!(header.fields.len(), 2);
        assert_eq!(header.body_offset, 21);
        assert_eq!(header.body_line, 3);
    }

    #[test]
    fn ordinary_markdown_is_not_a_header() {
        for text in [
            "",
            "# Title: a heading\n",
            "Date: 2013-02-02\nTitle: Later\n",
            "Some text: with a colon\n",
            "+++\ntitle = \"x\"\n+++\n",
            "---\ntitle: x\n---\n",
            " Title: indented\n",
            "Title of the piece\n",
        ] {
            assert_eq!(parse_key_value_header(text), None, "{text:?}");
        }
    }
}
