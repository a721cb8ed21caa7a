//! Site furniture: lines that repeat at the top or bottom of many files of one source (a
//! blog's name and tagline, navigation, "Share this"), learned from the archive itself.
//!
//! Owns which lines of a file's head and tail are looked at ([`sample`]), how lines are
//! compared (case and spacing aside), and the rule that makes a line furniture: it stands
//! in the head or tail of at least [`MIN_FILES`] different stories of one group (the
//! first folder under content/). Pure: the caller reads the files and hands over text.
//! Readers take the result as input and never treat a furniture line as headline or
//! story.

use ahash::{AHashMap as HashMap, AHashSet as HashSet};

/// Lines looked at from each end of a file.
pub const EDGE_LINES: usize = 15;
/// Lines from the top among which the longest signs the story.
const STORY_LINES: usize = 40;
/// A line is furniture when this many different stories of a group carry it.
pub const MIN_FILES: usize = 3;

/// The furniture lines of one group, by their keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FurnitureLines {
    keys: HashSet<u64>,
    digest: [u8; 16],
}

/// Furniture of a whole archive, per group.
#[derive(Debug, Clone, Default)]
pub struct Furniture {
    groups: HashMap<String, FurnitureLines>,
}

/// What one file offers to learning: its group, the keys of its head and tail lines, and
/// a signature of its story (so that copies of one story count once).
#[derive(Debug, Clone)]
pub struct Sample {
    pub group: String,
    pub keys: Vec<u64>,
    pub story: u64,
}

/// The group of a file: the first folder of its path under content/ (`""` at the top).
pub fn group_of(content_path: &str) -> &str {
    content_path.split_once('/').map_or("", |(first, _)| first)
}

/// The head and tail lines of `text` that could be furniture, and its story signature.
pub fn sample(content_path: &str, text: &str) -> Sample {
    // The head and the tail only, read from each end: never the whole body.
    let head: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(STORY_LINES)
        .collect();
    // A short file is all in `head`: its tail is the lines after the first EDGE_LINES.
    let tail: Vec<&str> = if head.len() < STORY_LINES {
        head.iter()
            .copied()
            .skip(head.len().saturating_sub(EDGE_LINES).max(EDGE_LINES))
            .collect()
    } else {
        text.lines()
            .rev()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(EDGE_LINES)
            .collect()
    };
    let mut keys: Vec<u64> = head
        .iter()
        .take(EDGE_LINES)
        .chain(&tail)
        .filter_map(|l| line_key(l))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let story = head
        .iter()
        .max_by_key(|l| l.len())
        .map_or(0, |l| xxhash_rust::xxh3::xxh3_64(l.as_bytes()));
    Sample {
        group: group_of(content_path).to_owned(),
        keys,
        story,
    }
}

/// The furniture of an archive from the samples of its files.
pub fn learn(samples: &[Sample]) -> Furniture {
    let mut seen: HashMap<(&str, u64), Vec<u64>> = HashMap::new();
    for s in samples {
        for &key in &s.keys {
            let stories = seen.entry((s.group.as_str(), key)).or_default();
            if stories.len() < MIN_FILES && !stories.contains(&s.story) {
                stories.push(s.story);
            }
        }
    }
    let mut furniture = Furniture::default();
    for ((group, key), stories) in seen {
        if stories.len() >= MIN_FILES {
            let lines = furniture.groups.entry(group.to_owned()).or_default();
            lines.keys.insert(key);
        }
    }
    for lines in furniture.groups.values_mut() {
        let mut keys: Vec<u64> = lines.keys.iter().copied().collect();
        keys.sort_unstable();
        let bytes: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
        lines.digest = xxhash_rust::xxh3::xxh3_128(&bytes).to_le_bytes();
    }
    furniture
}

/// The comparison key of a line that could be furniture: short, nothing like a date,
/// time or counter (those are read as what they are, and a date shared by three stories
/// of one day is still their date), not a byline or a credit, and not a sentence of more
/// than a few words.
pub fn line_key(line: &str) -> Option<u64> {
    // Called on every head and tail line, and on every header line a reader classifies:
    // the cheap tests first, one lower-casing for the lines that pass them.
    let line = line.trim();
    if line.is_empty() || !crate::ingest::textdate::chars_at_most(line, 80) {
        return None;
    }
    let words = line.split_whitespace().count();
    if words > 12 || line.ends_with('.') && words > 4 {
        return None;
    }
    let lower = line.to_lowercase();
    if line.bytes().any(|b| b.is_ascii_digit()) && dateish(&lower) || is_calendar_word(&lower) {
        return None;
    }
    let credit_or_byline = [
        "by ",
        "by:",
        "posted by",
        "written by",
        "©",
        "(c)",
        "copyright",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    if credit_or_byline {
        return None;
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (n, word) in lower.split_whitespace().enumerate() {
        if n > 0 {
            hasher.update(b" ");
        }
        hasher.update(word.as_bytes());
    }
    Some(hasher.digest())
}

/// A line with digits that could be a date, a time or a counter: it opens with a digit,
/// names a month, or has digits either side of `:`, `/`, `.` or `-`.
fn dateish(lower: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let b = lower.as_bytes();
    let joined = b
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && b":/.-".contains(&w[1]) && w[2].is_ascii_digit());
    b.first().is_some_and(u8::is_ascii_digit) || joined || MONTHS.iter().any(|m| lower.contains(m))
}

/// A month or weekday name alone (`MAY`, `Sept.`, `Thursday`): a piece of a date written
/// over several lines, which many stories of one month share.
fn is_calendar_word(lower: &str) -> bool {
    const WORDS: [&str; 28] = [
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
        "mon",
        "tue",
        "wed",
        "thu",
    ];
    const DAYS: [&str; 10] = [
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let word = lower.trim_matches(|c: char| !c.is_alphanumeric());
    word.len() <= 9 && (WORDS.contains(&word) || DAYS.contains(&word))
}

impl FurnitureLines {
    /// Whether `line` is one of these furniture lines.
    pub fn contains(&self, line: &str) -> bool {
        !self.keys.is_empty() && line_key(line).is_some_and(|k| self.keys.contains(&k))
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// A fingerprint of the set: a file's reading depends on it.
    pub fn digest(&self) -> [u8; 16] {
        self.digest
    }
}

static NONE: std::sync::LazyLock<FurnitureLines> =
    std::sync::LazyLock::new(FurnitureLines::default);

impl Furniture {
    /// The furniture of the group `content_path` belongs to (empty when it has none).
    pub fn for_path(&self, content_path: &str) -> &FurnitureLines {
        self.groups.get(group_of(content_path)).unwrap_or(&NONE)
    }

    /// Groups that have furniture, sorted, with their number of lines.
    pub fn groups(&self) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = self
            .groups
            .iter()
            .map(|(g, l)| (g.as_str(), l.len()))
            .collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(site: &str, headline: &str, story: &str) -> String {
        format!(
            "{site}\nNews and views from the valley\n\n{headline}\n\nMarch 3, 2011\n\n{story}\n\nShare this:\n"
        )
    }

    #[test]
    fn lines_repeating_in_three_stories_of_a_group_are_furniture() {
        let samples: Vec<Sample> = (0..3)
            .map(|i| {
                sample(
                    &format!("blog/{i}.txt"),
                    &page(
                        "Valley Voice",
                        &format!("Headline {i}"),
                        &format!(
                            "Story number {i} is long enough to be the signature line of its file."
                        ),
                    ),
                )
            })
            .collect();
        let furniture = learn(&samples);
        let lines = furniture.for_path("blog/x.txt");
        for line in [
            "Valley Voice",
            "NEWS AND VIEWS  from the valley",
            "Share this:",
        ] {
            assert!(lines.contains(line), "{line}");
        }
        for line in ["Headline 1", "March 3, 2011"] {
            assert!(!lines.contains(line), "{line}");
        }
        assert!(furniture.for_path("other/x.txt").is_empty());
        assert_eq!(furniture.groups(), [("blog", 3)]);
    }

    #[test]
    fn copies_of_one_story_count_once() {
        let text = page(
            "Valley Voice",
            "Same",
            "One story, copied three times into the archive.",
        );
        let samples: Vec<Sample> = (0..3)
            .map(|i| sample(&format!("blog/{i}.txt"), &text))
            .collect();
        assert!(learn(&samples).for_path("blog/0.txt").is_empty());
    }

    #[test]
    fn dates_bylines_credits_and_sentences_are_never_furniture() {
        for line in [
            "March 3, 2011",
            "2011-03-03",
            "9:05 AM",
            "0 Comments",
            "By News Staff",
            "© 2013 AFP",
            "Copyright The Site",
            "This is a sentence of several words.",
            // The pieces of a date written over lines: `JUN` / `05` / `2011`.
            "JUN",
            "June",
            "Thursday",
        ] {
            assert_eq!(line_key(line), None, "{line}");
        }
        assert!(line_key("Local news since 1887").is_some());
        assert_eq!(
            line_key("Comments are closed."),
            line_key("comments  ARE closed.")
        );
    }
}
