//! Slugs: ASCII, lowercase, hyphen-separated, safe as one URL path segment.

/// Turns any text into a slug (`"Lavrov wants 'regular contact'"` -> `lavrov-wants-regular-contact`).
pub fn slugify(text: &str) -> String {
    // deunicode leaves ASCII as it is; skipping it for ASCII text makes card
    // rendering (a slug per tag, author and section link) several times faster.
    let ascii = if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(text))
    };
    let mut out = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            pending_dash = true;
        }
    }
    truncate_at_dash(out, 80)
}

/// Whether `slugify(text)` is not empty, without making the slug for ASCII text.
pub fn has_slug(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().any(|b| b.is_ascii_alphanumeric())
    } else {
        !slugify(text).is_empty()
    }
}

/// Checks an explicit front-matter slug: it must be one path segment.
pub fn check_explicit(slug: &str) -> Result<String, String> {
    let s = slug.trim();
    if s.contains(['/', '\\', '\0']) || s.contains("..") || s.starts_with('.') {
        return Err(format!(
            "unsafe slug `{s}`: a slug is one URL segment without `/`, `\\` or `..`"
        ));
    }
    let clean = slugify(s);
    if clean.is_empty() {
        return Err(format!("slug `{s}` has no letters or digits"));
    }
    Ok(clean)
}

/// Words that name no article: a file called `untitled-3.md` or
/// `story-12.txt` says nothing about its story.
const PLACEHOLDERS: &[&str] = &[
    "article", "copy", "default", "document", "draft", "file", "index", "item", "new", "page",
    "post", "story", "text", "untitled",
];

/// Whether a file name (its date prefix removed) names its article, so that
/// it can be the slug, as generators make URLs from file names. It does when
/// at least half of its words are real words: three or more letters, no
/// digits, not a placeholder. `harbour-fire`, `18f-project-defaults` and
/// `g20-summit` do; `001`, `ap-0012`, `afp-2013-02-02-lavrov`, `wire0001`
/// and `untitled-3` do not (a wire system's numbering, not a headline).
pub fn names_the_article(name: &str) -> bool {
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let real = words
        .iter()
        .filter(|w| {
            w.chars().count() >= 3
                && w.chars().all(char::is_alphabetic)
                && !PLACEHOLDERS.contains(&w.to_lowercase().as_str())
        })
        .count();
    real > 0 && real * 2 >= words.len()
}

fn truncate_at_dash(mut s: String, max: usize) -> String {
    if s.len() > max {
        let cut = s[..max].rfind('-').unwrap_or(max);
        s.truncate(cut);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_lowercase_and_hyphenated() {
        assert_eq!(
            slugify("Lavrov wants 'regular contact' with Syrian opposition"),
            "lavrov-wants-regular-contact-with-syrian-opposition"
        );
        assert_eq!(
            slugify("Ça coûte 15 £ à Zürich!"),
            "ca-coute-15-ps-a-zurich"
        );
        assert_eq!(slugify("  --Hello,   World--  "), "hello-world");
        assert_eq!(slugify("Москва"), "moskva");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn file_names_that_name_their_article() {
        for name in [
            "harbour-fire",
            "moveforward-map-give-video",
            "18f-project-defaults",
            "g20-summit",
            "TockingTime",
            "war",
        ] {
            assert!(names_the_article(name), "{name}");
        }
        for name in [
            "001",
            "ap-0012",
            "afp-2013-02-02-lavrov",
            "AFP_20130202_0123",
            "wire0001",
            "untitled-3",
            "story",
            "a-b",
            "",
        ] {
            assert!(!names_the_article(name), "{name}");
        }
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let s = slugify(&"word ".repeat(40));
        assert!(s.len() <= 80 && !s.ends_with('-'), "{s}");
    }

    #[test]
    fn explicit_slugs_cannot_leave_their_folder() {
        assert_eq!(
            check_explicit("../../etc/passwd"),
            Err("unsafe slug `../../etc/passwd`: a slug is one URL segment without `/`, `\\` or `..`".into())
        );
        assert!(check_explicit("a\\b").is_err());
        assert_eq!(check_explicit("My Story"), Ok("my-story".into()));
    }
}
