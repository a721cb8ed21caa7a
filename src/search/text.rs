//! Text into search words: folding (case, diacritics) and tokenising. The
//! browser client repeats exactly these rules on the query (`search.js`,
//! `fold` and `words`), so both sides must change together:
//!
//! 1. every character is decomposed (NFD) and combining marks are dropped;
//! 2. it is lowercased, then a few letters without a decomposition are
//!    spelt out (`ß` -> `ss`, `æ` -> `ae`, `ø` -> `o`, ...; `ς` -> `σ`);
//! 3. a word is a run of alphabetic or numeric characters; an apostrophe
//!    between two letters is dropped (`Russia's` -> `russias`);
//! 4. words longer than `MAX_WORD` bytes are left out (hashes, base64).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Longest word indexed, in bytes of its folded form.
pub const MAX_WORD: usize = 40;

/// Calls `each` with every folded word of `text`, in order.
pub fn words(text: &str, mut each: impl FnMut(&str)) {
    let mut word = String::with_capacity(32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
                continue;
            }
        } else if fold_char(c, &mut word) {
            continue;
        }
        let apostrophe = matches!(c, '\'' | '\u{2019}')
            && word.chars().next_back().is_some_and(char::is_alphabetic)
            && chars.peek().is_some_and(|n| n.is_alphabetic());
        if !apostrophe {
            flush(&mut word, &mut each);
        }
    }
    flush(&mut word, &mut each);
}

/// The folded form of one query word or phrase, words joined by a space.
pub fn fold(text: &str) -> String {
    let mut out = String::new();
    words(text, |w| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    });
    out
}

fn flush(word: &mut String, each: &mut impl FnMut(&str)) {
    if !word.is_empty() && word.len() <= MAX_WORD {
        each(word);
    }
    word.clear();
}

/// Folds one non-ASCII character onto `word`; `false` when it is not part
/// of a word (punctuation, space, symbol).
fn fold_char(c: char, word: &mut String) -> bool {
    let mut any = false;
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            // A mark alone still belongs to the word around it.
            any = true;
            return;
        }
        for l in d.to_lowercase() {
            if let Some(spelt) = spelt_out(l) {
                word.push_str(spelt);
                any = true;
            } else if l.is_alphanumeric() {
                word.push(l);
                any = true;
            }
        }
    });
    any
}

/// Letters that decompose to nothing simpler but are read as other letters.
fn spelt_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' => "d",
        'ð' => "d",
        'þ' => "th",
        'ł' => "l",
        'ı' => "i",
        'ς' => "σ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_lowercased() {
        assert_eq!(
            all("Lavrov met Kerry, in 2013: \"talks\" (Geneva)."),
            ["lavrov", "met", "kerry", "in", "2013", "talks", "geneva"]
        );
    }

    #[test]
    fn case_and_diacritics_are_folded() {
        assert_eq!(all("Éric Zémmour à Évry"), ["eric", "zemmour", "a", "evry"]);
        // Decomposed input folds the same as composed input.
        assert_eq!(all("E\u{301}ric"), ["eric"]);
        assert_eq!(all("Straße Ærø Łódź"), ["strasse", "aero", "lodz"]);
        assert_eq!(all("ΣΟΦΟΣ σοφος"), ["σοφοσ", "σοφοσ"]);
    }

    #[test]
    fn an_apostrophe_inside_a_word_is_dropped_elsewhere_it_splits() {
        assert_eq!(
            all("Russia's don’t 'quoted'"),
            ["russias", "dont", "quoted"]
        );
        assert_eq!(all("rock 'n' roll"), ["rock", "n", "roll"]);
    }

    #[test]
    fn over_long_words_are_left_out() {
        let long = "a".repeat(MAX_WORD + 1);
        assert_eq!(all(&format!("one {long} two")), ["one", "two"]);
    }

    #[test]
    fn fold_joins_the_words_of_a_phrase() {
        assert_eq!(fold("  Prime   MINISTER! "), "prime minister");
    }

    #[test]
    fn scripts_without_case_are_kept() {
        assert_eq!(all("東京 2020"), ["東京", "2020"]);
    }
}
