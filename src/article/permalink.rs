//! Permalink patterns: `/:year/:month/:day/:slug/` filled for one article.
//! Pure string work, below both the readers (which compare an old address
//! with the new one) and the archive (which assigns every URL).

use chrono::{DateTime, Datelike, FixedOffset};

use super::slug::slugify;

/// Fills the permalink pattern for one article.
pub fn permalink(
    pattern: &str,
    slug: &str,
    section: &str,
    date: Option<DateTime<FixedOffset>>,
) -> String {
    let Some(d) = date else {
        return format!("/undated/{slug}/");
    };
    let mut out = String::with_capacity(pattern.len() + slug.len() + 16);
    fill_tokens(
        &mut out,
        pattern,
        d,
        |o| o.push_str(&slugify(section)),
        slug,
    );
    out
}

/// Appends `pattern` to `out` with its tokens filled: `:year`, `:month` and
/// `:day` from `d`, `:section` by `section`, `:slug` with `slug`. One pass
/// (placeholders never overlap and no value holds a `:`, so this is the same
/// as replacing each token in turn).
pub fn fill_tokens(
    out: &mut String,
    pattern: &str,
    d: DateTime<FixedOffset>,
    section: impl Fn(&mut String),
    slug: &str,
) {
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let len = if tail.starts_with(":year") {
            match u32::try_from(d.year()).ok().filter(|&y| y <= 9999) {
                Some(y) => {
                    push_two_digits(out, y / 100);
                    push_two_digits(out, y % 100);
                }
                None => out.push_str(&format!("{:04}", d.year())),
            }
            5
        } else if tail.starts_with(":month") {
            push_two_digits(out, d.month());
            6
        } else if tail.starts_with(":day") {
            push_two_digits(out, d.day());
            4
        } else if tail.starts_with(":section") {
            section(out);
            8
        } else if tail.starts_with(":slug") {
            out.push_str(slug);
            5
        } else {
            out.push(':');
            1
        };
        rest = &tail[len..];
    }
    out.push_str(rest);
}

/// `n` (below 100) as two digits, as `{:02}` writes it.
pub fn push_two_digits(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}
