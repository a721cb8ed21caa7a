//! What outside URLs answered, remembered in `.broadsheet-cache/links.tsv` so
//! a second check soon after does not ask the same servers again. A text
//! file: a header line, then `seconds<TAB>answer<TAB>url` per URL, where the
//! answer is a status code or `!` and the reason it failed. A line that does
//! not read is skipped; a file with another header is ignored.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use super::Problem;

/// The file's name in the cache folder.
pub const FILE: &str = "links.tsv";

const HEADER: &str = "broadsheet external links 1";

/// Failures that may pass (a timeout, a server error) are kept this long at
/// most, however long answers are kept.
pub const FAILURE_AGE: Duration = Duration::from_secs(3600);

/// Remembered answers: URL -> (when, in seconds since 1970; answer).
#[derive(Debug, Default)]
pub struct Memo {
    entries: HashMap<String, (u64, Outcome)>,
}

impl Memo {
    /// Reads the file; missing or unreadable, an empty memo.
    pub fn load(path: &Path) -> Memo {
        std::fs::read_to_string(path)
            .map(|text| Memo::parse(&text))
            .unwrap_or_default()
    }

    pub fn parse(text: &str) -> Memo {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Memo::default();
        }
        let entries = lines
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                let when = parts.next()?.parse().ok()?;
                let answer = parts.next()?;
                let url = parts.next().filter(|u| !u.is_empty())?;
                let outcome = match answer.strip_prefix('!') {
                    Some(reason) => Outcome::Unreachable(reason.to_string()),
                    None => Outcome::of_status(answer.parse().ok()?),
                };
                Some((url.to_string(), (when, outcome)))
            })
            .collect();
        Memo { entries }
    }

    /// The answer for `url` if it is recent enough at `now`.
    pub fn fresh(&self, url: &str, now: u64, max_age: Duration) -> Option<&Outcome> {
        let (when, outcome) = self.entries.get(url)?;
        let age = if outcome.may_pass() {
            max_age.min(FAILURE_AGE)
        } else {
            max_age
        };
        (now.saturating_sub(*when) < age.as_secs()).then_some(outcome)
    }

    pub fn record(&mut self, url: &str, now: u64, outcome: Outcome) {
        self.entries.insert(url.to_string(), (now, outcome));
    }

    /// The file's text, without the answers too old to be used at `now`.
    pub fn to_text(&self, now: u64, max_age: Duration) -> String {
        let mut urls: Vec<&String> = self
            .entries
            .keys()
            .filter(|u| self.fresh(u, now, max_age).is_some())
            .collect();
        urls.sort();
        let mut text = format!("{HEADER}\n");
        for url in urls {
            let (when, outcome) = &self.entries[url];
            let answer = match outcome {
                Outcome::Unreachable(reason) => format!("!{}", reason.replace(['\t', '\n'], " ")),
                Outcome::Ok(s) | Outcome::Status(s) => s.to_string(),
            };
            text.push_str(&format!("{when}\t{answer}\t{url}\n"));
        }
        text
    }

    /// Writes the file whole, through a temporary file renamed over it.
    pub fn save(&self, path: &Path, now: u64, max_age: Duration) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(self.to_text(now, max_age).as_bytes())?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// What a server said about one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx, after any redirects.
    Ok(u16),
    /// Any other final status.
    Status(u16),
    /// No answer: the reason.
    Unreachable(String),
}

impl Outcome {
    pub fn of_status(status: u16) -> Outcome {
        if (200..300).contains(&status) {
            Outcome::Ok(status)
        } else {
            Outcome::Status(status)
        }
    }

    /// A failure that may not last: worth a retry, not worth remembering long.
    pub fn may_pass(&self) -> bool {
        match self {
            Outcome::Ok(_) => false,
            Outcome::Status(s) => *s == 408 || *s == 429 || *s >= 500,
            Outcome::Unreachable(_) => true,
        }
    }

    pub fn problem(&self) -> Option<Problem> {
        match self {
            Outcome::Ok(_) => None,
            Outcome::Status(status) => Some(Problem::Status { status: *status }),
            Outcome::Unreachable(reason) => Some(Problem::Unreachable {
                reason: reason.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);

    #[test]
    fn answers_are_kept_until_they_expire_and_failures_sooner() {
        let mut memo = Memo::default();
        memo.record("https://a.example/", 1_000, Outcome::Ok(200));
        memo.record("https://b.example/", 1_000, Outcome::Status(404));
        memo.record("https://c.example/", 1_000, Outcome::Status(503));
        memo.record(
            "https://d.example/",
            1_000,
            Outcome::Unreachable("timed out".into()),
        );
        let memo = Memo::parse(&memo.to_text(1_000, DAY));
        let fresh = |url, now| memo.fresh(url, now, DAY).cloned();
        assert_eq!(fresh("https://a.example/", 2_000), Some(Outcome::Ok(200)));
        assert_eq!(
            fresh("https://b.example/", 2_000),
            Some(Outcome::Status(404))
        );
        assert_eq!(
            fresh("https://c.example/", 2_000),
            Some(Outcome::Status(503))
        );
        assert_eq!(
            fresh("https://d.example/", 2_000),
            Some(Outcome::Unreachable("timed out".into()))
        );
        assert_eq!(
            fresh("https://c.example/", 1_000 + 3_600),
            None,
            "a server error passes"
        );
        assert_eq!(fresh("https://d.example/", 1_000 + 3_600), None);
        assert_eq!(
            fresh("https://a.example/", 1_000 + 86_399),
            Some(Outcome::Ok(200))
        );
        assert_eq!(fresh("https://a.example/", 1_000 + 86_400), None);
        assert!(!memo.to_text(1_000 + 86_400, DAY).contains("a.example"));
    }

    #[test]
    fn a_damaged_or_foreign_file_is_ignored_line_by_line_or_whole() {
        let text = format!(
            "{HEADER}\n12\t200\thttps://ok.example/\nnonsense\n\t\t\nx\t200\thttps://bad.example/\n"
        );
        let memo = Memo::parse(&text);
        assert_eq!(memo.entries.len(), 1);
        assert!(
            Memo::parse("something else\n12\t200\thttps://ok.example/\n")
                .entries
                .is_empty()
        );
    }
}
