//! Articles into term vectors: each folded word (`text::words`) is stemmed
//! with the Snowball stemmer of the site's language and interned, and each
//! article becomes its stems with a weighted count (BM25F-style: a headline
//! word counts `HEADLINE` times, a tag, author, section or source word
//! `LABEL` times, a summary or body word once). Interning is shared by
//! every thread; a thread remembers its own recent words so the shared
//! tables are asked only once per distinct word and thread.

use std::sync::Mutex;

use ahash::AHashMap;
use rust_stemmers::{Algorithm, Stemmer};

use super::text;

/// Weight of a headline word.
pub const HEADLINE: u32 = 4;
/// Weight of a tag, author, section or source word.
pub const LABEL: u32 = 2;

/// Interned words and stems, shared by every thread.
pub struct Lexicon {
    stemmer: Option<Stemmer>,
    tables: Mutex<Tables>,
}

/// Every folded word seen (by id) with its stem id, and the stems (by id).
/// Ids are given in the order words are first met, which differs from run
/// to run: nothing written to the output depends on them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tables {
    pub words: Vec<Box<str>>,
    pub word_stem: Vec<u32>,
    pub stems: Vec<Box<str>>,
    word_ids: AHashMap<Box<str>, u32>,
    stem_ids: AHashMap<Box<str>, u32>,
}

impl Tables {
    /// Tables from their lists (as a cache keeps them); `None` when a stem
    /// id is out of range.
    pub fn from_lists(
        words: Vec<Box<str>>,
        word_stem: Vec<u32>,
        stems: Vec<Box<str>>,
    ) -> Option<Tables> {
        if words.len() != word_stem.len() || word_stem.iter().any(|&s| s as usize >= stems.len()) {
            return None;
        }
        let word_ids = words
            .iter()
            .enumerate()
            .map(|(k, w)| (w.clone(), k as u32))
            .collect();
        let stem_ids = stems
            .iter()
            .enumerate()
            .map(|(k, w)| (w.clone(), k as u32))
            .collect();
        Some(Tables {
            words,
            word_stem,
            stems,
            word_ids,
            stem_ids,
        })
    }
}

/// One article's words: `(word id, weighted count)`, by word id, and its
/// length (the sum of the counts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermVector {
    pub terms: Vec<(u32, u32)>,
    pub len: u32,
}

/// The text of one article, field by field.
pub struct DocText<'a> {
    pub headline: &'a str,
    pub labels: &'a [&'a str],
    pub summary: &'a str,
    /// Body HTML: tags are skipped, entities separate words.
    pub body_html: &'a str,
}

/// A thread's memory of words it has already looked up.
#[derive(Default)]
pub struct Memo {
    ids: AHashMap<String, u32>,
    /// Scratch space for a body's text.
    text: String,
}

impl Lexicon {
    /// A lexicon for a BCP 47 language tag; languages without a Snowball
    /// stemmer are indexed unstemmed.
    pub fn new(language: &str) -> Lexicon {
        Lexicon::with_tables(language, Tables::default())
    }

    /// A lexicon that goes on from `tables` (ids stay as they are).
    pub fn with_tables(language: &str, tables: Tables) -> Lexicon {
        Lexicon {
            stemmer: algorithm(language).map(Stemmer::create),
            tables: Mutex::new(tables),
        }
    }

    /// The term vector of one article.
    pub fn vector(&self, doc: &DocText, memo: &mut Memo) -> TermVector {
        let mut hits: Vec<(u32, u32)> = Vec::with_capacity(1024);
        self.add(doc.headline, HEADLINE, memo, &mut hits);
        for label in doc.labels {
            self.add(label, LABEL, memo, &mut hits);
        }
        self.add(doc.summary, 1, memo, &mut hits);
        let mut body = std::mem::take(&mut memo.text);
        body.clear();
        html_text(doc.body_html, &mut body);
        self.add(&body, 1, memo, &mut hits);
        memo.text = body;
        hits.sort_unstable_by_key(|&(id, _)| id);
        let mut terms: Vec<(u32, u32)> = Vec::with_capacity(hits.len() / 2);
        for (id, w) in hits {
            match terms.last_mut() {
                Some((last, n)) if *last == id => *n += w,
                _ => terms.push((id, w)),
            }
        }
        let len = terms.iter().map(|&(_, n)| n).sum();
        TermVector { terms, len }
    }

    fn add(&self, text: &str, weight: u32, memo: &mut Memo, hits: &mut Vec<(u32, u32)>) {
        text::words(text, |w| hits.push((self.word_id(w, memo), weight)));
    }

    /// The id of a folded word (its stem made and interned on first sight).
    pub fn word_id(&self, word: &str, memo: &mut Memo) -> u32 {
        if let Some(&id) = memo.ids.get(word) {
            return id;
        }
        let id = {
            let mut t = lock(&self.tables);
            match t.word_ids.get(word) {
                Some(&id) => id,
                None => {
                    let stem = self.stem(word);
                    let stem_id = match t.stem_ids.get(stem.as_str()) {
                        Some(&s) => s,
                        None => {
                            let s = t.stems.len() as u32;
                            t.stem_ids.insert(stem.as_str().into(), s);
                            t.stems.push(stem.into());
                            s
                        }
                    };
                    let id = t.words.len() as u32;
                    t.word_ids.insert(word.into(), id);
                    t.words.push(word.into());
                    t.word_stem.push(stem_id);
                    id
                }
            }
        };
        memo.ids.insert(word.to_string(), id);
        id
    }

    /// The stem of a folded word.
    pub fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(s) => s.stem(word).into_owned(),
            None => word.to_string(),
        }
    }

    pub fn into_tables(self) -> Tables {
        self.tables.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// The Snowball algorithm for a language tag (`en`, `en-GB`, `pt_BR`).
pub fn algorithm(language: &str) -> Option<Algorithm> {
    let primary = language.split(['-', '_']).next()?.to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// The text of an HTML fragment into `out`: tags become spaces, the
/// entities of quotes and apostrophes their characters, other entities
/// spaces.
pub fn html_text(html: &str, out: &mut String) {
    let mut rest = html;
    while !rest.is_empty() {
        let cut = rest.find(['<', '&']).unwrap_or(rest.len());
        out.push_str(&rest[..cut]);
        rest = &rest[cut..];
        let end = match rest.as_bytes().first() {
            Some(b'<') => rest.find('>').map_or(rest.len(), |e| e + 1),
            Some(_) => entity_len(rest),
            None => 0,
        };
        out.push_str(match &rest[..end] {
            "&#39;" | "&#x27;" | "&rsquo;" | "&#8217;" | "&apos;" => "'",
            _ => " ",
        });
        rest = &rest[end..];
    }
}

/// Length of the entity at the start of `s` (which starts with `&`); a
/// lone `&` is one byte.
fn entity_len(s: &str) -> usize {
    let name = s[1..]
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
        .unwrap_or(s.len() - 1);
    1 + name + usize::from(s.as_bytes().get(1 + name) == Some(&b';'))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_runs(html: &str) -> String {
        let mut out = String::new();
        html_text(html, &mut out);
        out
    }

    #[test]
    fn english_words_are_stemmed_with_porter2() {
        let lex = Lexicon::new("en-GB");
        for (word, stem) in [
            ("running", "run"),
            ("ministers", "minist"),
            ("happiness", "happi"),
            ("generously", "generous"),
            ("russias", "russia"),
        ] {
            assert_eq!(lex.stem(word), stem, "{word}");
        }
    }

    #[test]
    fn languages_without_a_stemmer_are_indexed_unstemmed() {
        assert!(algorithm("ja").is_none());
        assert_eq!(Lexicon::new("ja").stem("running"), "running");
        assert_eq!(Lexicon::new("fr").stem("continuellement"), "continuel");
    }

    #[test]
    fn html_text_skips_tags_and_keeps_apostrophes_of_entities() {
        assert_eq!(
            text_runs("<p>Tom&amp;Jerry <a href=\"x\">Kerry</a>&#8217;s</p>"),
            " Tom Jerry  Kerry 's "
        );
        assert_eq!(text_runs("x & y &amp"), "x   y  ");
    }

    #[test]
    fn a_vector_weights_headline_and_labels_and_words_share_their_stem() {
        let lex = Lexicon::new("en");
        let mut memo = Memo::default();
        let v = lex.vector(
            &DocText {
                headline: "Talks resume",
                labels: &["Diplomacy"],
                summary: "",
                body_html: "<p>The talking resumed.</p>",
            },
            &mut memo,
        );
        let t = lex.into_tables();
        let mut named: Vec<(&str, &str, u32)> = v
            .terms
            .iter()
            .map(|&(id, n)| {
                let stem = &*t.stems[t.word_stem[id as usize] as usize];
                (&*t.words[id as usize], stem, n)
            })
            .collect();
        named.sort();
        assert_eq!(
            named,
            [
                ("diplomacy", "diplomaci", LABEL),
                ("resume", "resum", HEADLINE),
                ("resumed", "resum", 1),
                ("talking", "talk", 1),
                ("talks", "talk", HEADLINE),
                ("the", "the", 1)
            ]
        );
        assert_eq!(v.len, 2 * HEADLINE + LABEL + 3);
    }
}
