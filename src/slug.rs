//! Slugs: ASCII, lowercase, hyphen-separated, safe as one URL path segment.

/// Turns any text into a slug (`"Lavrov wants 'regular contact'"` -> `lavrov-wants-regular-contact`),
/// at most 80 bytes, cut at a hyphen.
pub fn slugify(text: &str) -> String {
    truncate_at_dash(slug_of(text), 80)
}

/// A file name's slug: as `slugify`, but never cut (the name is the
/// article's old address, and a file system already bounds its length).
pub fn slugify_name(name: &str) -> String {
    slug_of(name)
}

fn slug_of(text: &str) -> String {
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
    out
}

/// The forms other generators publish a file name under, where they differ
/// from `slugify_name`: as written (Eleventy's `page.fileSlug`; Jekyll's
/// `:title`, which keeps case), lowercase (Hugo keeps `_` and `.`), and
/// Jekyll's own slug (its `pretty` mode, case kept: every run of other
/// characters than letters, digits and ``._~!$&'()+,;=@`` one `-`). Only
/// forms that are plain URL segments (letters, digits, `-`, `_`, `.`, `~`)
/// are given.
pub fn name_forms(name: &str) -> Vec<String> {
    let mut jekyll = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c) {
            jekyll.push(c);
        } else if !jekyll.ends_with('-') {
            jekyll.push('-');
        }
    }
    let jekyll = jekyll.trim_matches('-').to_string();
    let own = slugify_name(name);
    let mut out: Vec<String> = Vec::new();
    for form in [name.to_string(), name.to_lowercase(), jekyll] {
        let plain = !form.is_empty()
            && !form.starts_with('.')
            && form
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
        if plain && form != own && !out.contains(&form) {
            out.push(form);
        }
    }
    out
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
    fn file_names_keep_the_forms_other_generators_published() {
        assert_eq!(name_forms("TockingTime"), ["TockingTime".to_string()]);
        assert_eq!(
            name_forms("We_Are_Hiring"),
            ["We_Are_Hiring", "we_are_hiring"]
        );
        assert_eq!(
            name_forms("analytics.usa.gov-agency"),
            ["analytics.usa.gov-agency"]
        );
        assert!(name_forms("harbour-fire").is_empty());
        assert_eq!(name_forms("building_a_strategy"), ["building_a_strategy"]);
        assert!(name_forms("Fire (2)").is_empty());
        assert_eq!(name_forms("Harbour Fire"), ["Harbour-Fire"]);
        // A quote makes no plain segment.
        assert!(name_forms("Harbour Fire's").is_empty());
    }

    #[test]
    fn long_slugs_are_cut_at_a_word_but_not_file_names() {
        let name = "what-we-learned-after-interviewing-people-about-their-interactions-with-the-federal-government";
        assert_eq!(slugify_name(name), name);
        let s = slugify(&"word ".repeat(40));
        assert!(s.len() <= 80 && !s.ends_with('-'), "{s}");
        assert!(slugify(name).len() <= 80);
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
