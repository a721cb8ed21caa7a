//! Bytes to clean text: encoding detection, mojibake repair, control-character and
//! line-ending clean-up.
//!
//! Owns the decision of which encoding a file is in and every change made to its characters
//! before parsing; records each change as a [`TextFix`] so the caller can warn about it.
//! Must not parse structure (headlines, dates) and does no I/O.

use std::fmt;
use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Text decoded from a file's bytes, with what was done to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text: LF line endings only, no control characters but tab and newline, no
    /// byte order mark or zero-width spaces.
    pub text: String,
    /// The encoding the bytes were read as.
    pub encoding: SourceEncoding,
    /// Every change made on the way, in the order it was made. Empty for clean UTF-8.
    pub fixes: Vec<TextFix>,
}

/// The encodings [`decode`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceEncoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 starting with the byte order mark EF BB BF (removed from the text).
    Utf8Bom,
    /// UTF-16 little-endian, with the byte order mark FF FE or detected from its zero bytes.
    Utf16Le,
    /// UTF-16 big-endian, with the byte order mark FE FF or detected from its zero bytes.
    Utf16Be,
    /// Windows-1252: the fallback for bytes that are not valid UTF-8.
    Windows1252,
}

/// One kind of change [`decode`] made to a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextFix {
    /// The bytes were not UTF-8 and were read as this encoding.
    DecodedAs(SourceEncoding),
    /// Byte sequences invalid in the detected encoding were replaced by U+FFFD.
    ReplacedMalformed { count: usize },
    /// UTF-8 read as Windows-1252 somewhere upstream (`â€™` for `’`) was turned back.
    RepairedMojibake { count: usize },
    /// Control characters other than tab and newline were removed.
    RemovedControlChars { count: usize },
    /// Zero-width spaces, word joiners and stray byte order marks were removed.
    RemovedZeroWidth { count: usize },
    /// CRLF and lone CR line endings were turned into LF.
    NormalisedLineEndings { count: usize },
}

/// Decodes a file's bytes to clean text.
///
/// A byte order mark decides first (UTF-8, UTF-16 LE or BE); without one, bytes with many
/// zero bytes in alternate positions are read as UTF-16, valid UTF-8 as UTF-8, anything else
/// as Windows-1252. The text is then cleaned: CR and CRLF become LF, mojibake is repaired,
/// control characters (but tab and newline) and zero-width characters are dropped. NBSP is
/// kept as text.
pub fn decode(bytes: &[u8]) -> Decoded {
    // Printable ASCII lines, most of an English-language archive, need none
    // of the steps below: one pass proves it.
    if plain_ascii(bytes) {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Decoded {
                text: text.to_owned(),
                encoding: SourceEncoding::Utf8,
                fixes: Vec::new(),
            };
        }
    }
    let mut fixes = Vec::new();
    let (raw, encoding) = decode_bytes(bytes, &mut fixes);
    let text = clean(raw, &mut fixes);
    Decoded {
        text,
        encoding,
        fixes,
    }
}

impl SourceEncoding {
    /// The encoding's usual name, as shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "UTF-8",
            SourceEncoding::Utf8Bom => "UTF-8 with BOM",
            SourceEncoding::Utf16Le => "UTF-16LE",
            SourceEncoding::Utf16Be => "UTF-16BE",
            SourceEncoding::Windows1252 => "Windows-1252",
        }
    }
}

impl fmt::Display for SourceEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TextFix {
    /// Whether the fix changed what a reader sees (worth a warning), as opposed to invisible
    /// housekeeping such as line endings or zero-width characters.
    pub fn is_warning(self) -> bool {
        !matches!(
            self,
            TextFix::NormalisedLineEndings { .. } | TextFix::RemovedZeroWidth { .. }
        )
    }
}

impl fmt::Display for TextFix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (verb, count, noun, suffix) = match *self {
            TextFix::DecodedAs(encoding) => return write!(f, "decoded as {encoding}"),
            TextFix::ReplacedMalformed { count } => {
                ("replaced", count, "malformed byte sequence", " with U+FFFD")
            }
            TextFix::RepairedMojibake { count } => ("repaired", count, "mojibake sequence", ""),
            TextFix::RemovedControlChars { count } => ("removed", count, "control character", ""),
            TextFix::RemovedZeroWidth { count } => ("removed", count, "zero-width character", ""),
            TextFix::NormalisedLineEndings { count } => {
                ("normalised", count, "CR/CRLF line ending", " to LF")
            }
        };
        let plural = if count == 1 { "" } else { "s" };
        write!(f, "{verb} {count} {noun}{plural}{suffix}")
    }
}

/// Picks the encoding and turns the bytes into a string, recording non-UTF-8 decodes.
fn decode_bytes(bytes: &[u8], fixes: &mut Vec<TextFix>) -> (String, SourceEncoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return if encoding == UTF_16LE || encoding == UTF_16BE {
            let source = if encoding == UTF_16LE {
                SourceEncoding::Utf16Le
            } else {
                SourceEncoding::Utf16Be
            };
            fixes.push(TextFix::DecodedAs(source));
            (decode_with(encoding, body, fixes), source)
        } else {
            // A UTF-8 BOM declares UTF-8: invalid bytes become U+FFFD rather than a guess.
            (
                decode_with(encoding_rs::UTF_8, body, fixes),
                SourceEncoding::Utf8Bom,
            )
        };
    }
    if let Some(source) = sniff_utf16(bytes) {
        let encoding = if source == SourceEncoding::Utf16Le {
            UTF_16LE
        } else {
            UTF_16BE
        };
        fixes.push(TextFix::DecodedAs(source));
        return (decode_with(encoding, bytes, fixes), source);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), SourceEncoding::Utf8),
        Err(_) => {
            fixes.push(TextFix::DecodedAs(SourceEncoding::Windows1252));
            // Windows-1252 maps every byte, so this decode cannot report malformed input.
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), SourceEncoding::Windows1252)
        }
    }
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8], fixes: &mut Vec<TextFix>) -> String {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let count = text
            .chars()
            .filter(|&c| c == char::REPLACEMENT_CHARACTER)
            .count();
        fixes.push(TextFix::ReplacedMalformed { count });
    }
    text.into_owned()
}

/// UTF-16 without a byte order mark: ASCII-heavy text has a zero in every other byte.
fn sniff_utf16(bytes: &[u8]) -> Option<SourceEncoding> {
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.len() < 4 || !sample.contains(&0) {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_zeros = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zeros = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let mostly = |n: usize| n * 10 >= pairs * 4;
    let hardly = |n: usize| n * 20 <= pairs;
    if mostly(odd_zeros) && hardly(even_zeros) {
        Some(SourceEncoding::Utf16Le)
    } else if mostly(even_zeros) && hardly(odd_zeros) {
        Some(SourceEncoding::Utf16Be)
    } else {
        None
    }
}

/// Line endings, mojibake, control and zero-width characters, in that order: mojibake
/// repair must see the C1 controls that Latin-1 decoders leave in place of Windows-1252
/// punctuation before they are dropped as control characters.
fn clean(raw: String, fixes: &mut Vec<TextFix>) -> String {
    let (text, endings) = normalise_line_endings(raw);
    if endings > 0 {
        fixes.push(TextFix::NormalisedLineEndings { count: endings });
    }
    let (text, repaired) = repair_mojibake(text);
    if repaired > 0 {
        fixes.push(TextFix::RepairedMojibake { count: repaired });
    }
    if !may_need_removal(&text) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let (mut controls, mut zero_width) = (0, 0);
    for c in text.chars() {
        if is_zero_width(c) {
            zero_width += 1;
        } else if c.is_control() && c != '\n' && c != '\t' {
            controls += 1;
        } else {
            out.push(c);
        }
    }
    if controls > 0 {
        fixes.push(TextFix::RemovedControlChars { count: controls });
    }
    if zero_width > 0 {
        fixes.push(TextFix::RemovedZeroWidth { count: zero_width });
    }
    out
}

/// A byte-level screen for [`clean`]'s per-character pass: control characters are ASCII
/// bytes below 0x20 or 0x7F, C1 controls are 0xC2 0x80..=0x9F, and the zero-width
/// characters dropped are E2 80 8B, E2 81 A0 and EF BB BF. Clean text, the common case
/// (curly quotes and dashes included, which also start with 0xE2), skips the pass.
fn may_need_removal(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    // Eight bytes at a time past printable ASCII, the bulk of news text; a
    // word holding anything else (a newline, a curly quote) is looked at
    // byte by byte.
    while i + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        if !printable_ascii(u64::from_le_bytes(word)) && (i..i + 8).any(|k| removable_at(b, k)) {
            return true;
        }
        i += 8;
    }
    (i..b.len()).any(|k| removable_at(b, k))
}

/// Only printable ASCII, tabs and newlines: no byte order mark, no UTF-16
/// zeros, nothing to decode, normalise, repair or remove. Blocks of 64 bytes
/// without an early exit inside, which the compiler turns into vector code.
fn plain_ascii(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|block| {
        block.iter().fold(true, |ok, &c| {
            ok & ((0x20..0x7F).contains(&c) | (c == b'\n') | (c == b'\t'))
        })
    })
}

/// Whether all eight bytes are in 0x20..=0x7E. Borrows and carries between
/// bytes can only make it answer false for a printable word (the caller then
/// looks closer), never true for a word holding anything else.
fn printable_ascii(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let delete_or_above = (word.wrapping_add(ONES) | word) & HIGH;
    below_space | delete_or_above == 0
}

/// Whether a character [`clean`] removes starts at byte `i`.
fn removable_at(b: &[u8], i: usize) -> bool {
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    match b[i] {
        b'\n' | b'\t' => false,
        c if c < 0x20 || c == 0x7F => true,
        0xC2 => (0x80..=0x9F).contains(&at(i + 1)),
        0xE2 => matches!((at(i + 1), at(i + 2)), (0x80, 0x8B) | (0x81, 0xA0)),
        0xEF => (at(i + 1), at(i + 2)) == (0xBB, 0xBF),
        _ => false,
    }
}

/// Zero-width characters that carry no meaning in news text. ZWJ and ZWNJ are kept: they
/// matter in Persian, Indic scripts and emoji.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn normalise_line_endings(text: String) -> (String, usize) {
    if !text.contains('\r') {
        return (text, 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            count += 1;
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    (out, count)
}

/// Repairs UTF-8 that was read as Windows-1252 (or Latin-1), up to three layers deep.
/// Returns the text and the number of sequences repaired.
fn repair_mojibake(text: String) -> (String, usize) {
    let mut current = text;
    let mut total = 0;
    for _ in 0..3 {
        // Every lead (`Â` to `ô`, U+00C2..U+00F4) is encoded starting with byte 0xC3.
        if !current.as_bytes().contains(&0xC3) {
            break;
        }
        let (next, count) = repair_once(&current);
        if count == 0 {
            break;
        }
        total += count;
        current = next;
    }
    (current, total)
}

fn repair_once(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    // (start, chars spanned, repaired character)
    let mut found: Vec<(usize, usize, char)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match repair_at(&chars[i..]) {
            Some((repaired, used)) => {
                found.push((i, used, repaired));
                i += used;
            }
            None => i += 1,
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut next = 0;
    for (k, &(start, used, repaired)) in found.iter().enumerate() {
        let touches_previous = k > 0 && found[k - 1].0 + found[k - 1].1 == start;
        let touches_next = found.get(k + 1).is_some_and(|n| n.0 == start + used);
        if !plausible(
            &chars[start..start + used],
            touches_previous || touches_next,
        ) {
            continue;
        }
        out.extend(&chars[next..start]);
        out.push(repaired);
        count += 1;
        next = start + used;
    }
    out.extend(&chars[next..]);
    (out, count)
}

/// Whether a candidate is mojibake rather than an accented capital followed by punctuation
/// (`JOSÉ’S`): it is, when its lead is one of the usual ones (`Â`, `Ã` for Latin-1, `â`
/// for punctuation), when it sits in a run of candidates (Cyrillic, Greek, CJK), or when
/// its second character is not typographic punctuation.
fn plausible(sequence: &[char], in_run: bool) -> bool {
    const PUNCTUATION: &[char] = &[
        '\u{2019}', '\u{2018}', '\u{201D}', '\u{201C}', '\u{201E}', '\u{201A}', '\u{2026}',
        '\u{2013}', '\u{2014}', '\u{AB}', '\u{BB}', '\u{2022}', '\u{B7}', '\u{2039}', '\u{203A}',
        '\u{2122}', '\u{A9}', '\u{AE}',
    ];
    let common_lead = matches!(sequence.first(), Some('\u{C2}' | '\u{C3}' | '\u{E2}'));
    common_lead || in_run || sequence.get(1).is_none_or(|c| !PUNCTUATION.contains(c))
}

/// If `chars` starts with the Windows-1252 rendering of one UTF-8 multi-byte character,
/// returns that character and how many chars it spans.
fn repair_at(chars: &[char]) -> Option<(char, usize)> {
    let lead = cp1252_byte(*chars.first()?)?;
    let continuation_count = match lead {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    let mut bytes = vec![lead];
    for &c in chars.iter().skip(1).take(continuation_count) {
        match cp1252_byte(c) {
            Some(b @ 0x80..=0xBF) => bytes.push(b),
            _ => break,
        }
    }
    if bytes.len() == continuation_count + 1 {
        let decoded = std::str::from_utf8(&bytes).ok()?.chars().next()?;
        return (!decoded.is_control()).then_some((decoded, bytes.len()));
    }
    // `â€` + 0x9D is `”`; 0x9D is undefined in Windows-1252, so it is often lost or became
    // U+FFFD. Nothing else starts with `â€` in real text.
    if bytes == [0xE2, 0x80] {
        let used = if chars.get(2) == Some(&char::REPLACEMENT_CHARACTER) {
            3
        } else {
            2
        };
        return Some(('\u{201D}', used));
    }
    None
}

/// The byte a character came from when UTF-8 was read as Windows-1252 or Latin-1.
fn cp1252_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    if code < 0x80 {
        return None;
    }
    if code <= 0xFF {
        return u8::try_from(code).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .and_then(|i| u8::try_from(0x80 + i).ok())
}

/// Windows-1252's characters for bytes 0x80..=0x9F, taken from encoding_rs so the table
/// cannot drift from the decoder.
static CP1252_HIGH: LazyLock<[char; 32]> = LazyLock::new(|| {
    let mut table = ['\0'; 32];
    for (slot, byte) in table.iter_mut().zip(0x80u8..=0x9F) {
        let bytes = [byte];
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
        *slot = text.chars().next().unwrap_or('\0');
    }
    table
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_screen_flags_exactly_the_characters_the_pass_removes() {
        let removed = |t: &str| {
            t.chars()
                .any(|c| is_zero_width(c) || (c.is_control() && c != '\n' && c != '\t'))
        };
        for text in [
            "plain ASCII\nwith\ttabs",
            "curly \u{201C}quotes\u{201D} and \u{2014} dashes \u{2026} \u{20AC}",
            "Zürich, café, Ελλάδα, 日本語",
            "zero\u{200B}width",
            "word\u{2060}joiner",
            "\u{FEFF}bom inside",
            "next line \u{85} C1",
            "delete \u{7F}",
            "bell \u{7}",
            "non-breaking\u{A0}space \u{2028} line separator",
            "\u{200C}\u{200D} joiners kept",
        ] {
            assert_eq!(may_need_removal(text), removed(text), "{text:?}");
        }
    }

    proptest::proptest! {
        /// The word-at-a-time skip agrees with the per-character rule at every
        /// position and length (characters drawn to hit every removable kind).
        #[test]
        fn the_byte_screen_agrees_with_the_rule_on_any_text(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', ' ', '~', '\n', '\t', '\u{7}', '\u{7F}', '\u{85}', '\u{A0}', '\u{E9}',
                '\u{200B}', '\u{200C}', '\u{2014}', '\u{2060}', '\u{201C}', '\u{FEFF}', '\u{FFFD}',
            ]), 0..40)
        ) {
            let text: String = chars.into_iter().collect();
            let removed = text
                .chars()
                .any(|c| is_zero_width(c) || (c.is_control() && c != '\n' && c != '\t'));
            proptest::prop_assert_eq!(may_need_removal(&text), removed);
        }
    }

    proptest::proptest! {
        /// The printable-ASCII shortcut decodes exactly as the full steps do.
        #[test]
        fn the_ascii_shortcut_changes_nothing(
            bytes in proptest::collection::vec(proptest::sample::select(vec![
                b'a', b' ', b'~', b'\n', b'\t', b'\r', 0u8, 0x7F, 0x1B, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF,
            ]), 0..80)
        ) {
            let fast = decode(&bytes);
            let mut fixes = Vec::new();
            let (raw, encoding) = decode_bytes(&bytes, &mut fixes);
            let text = clean(raw, &mut fixes);
            proptest::prop_assert_eq!(fast.text, text);
            proptest::prop_assert_eq!(fast.encoding, encoding);
            proptest::prop_assert_eq!(fast.fixes, fixes);
        }
    }

    #[test]
    fn the_word_screen_passes_printable_ascii_only() {
        let word = |bytes: &[u8; 8]| printable_ascii(u64::from_le_bytes(*bytes));
        assert!(word(b"plain, ~"));
        assert!(word(b"        "));
        for bad in [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xC2, 0xE2, 0xFF] {
            for at in 0..8 {
                let mut w = *b"abcdefgh";
                w[at] = bad;
                assert!(!word(&w), "{bad:#x} at {at}");
            }
        }
    }

    fn fixes_text(decoded: &Decoded) -> Vec<String> {
        decoded.fixes.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn each_encoding_case_decodes_to_the_same_text() {
        let text = "Caf\u{e9} \u{2019}n\u{2019} \u{a3}15.8m\n";
        let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let cases: Vec<(&str, Vec<u8>, SourceEncoding, Vec<&str>)> = vec![
            (
                "utf-8",
                text.as_bytes().to_vec(),
                SourceEncoding::Utf8,
                vec![],
            ),
            (
                "utf-8 bom",
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                SourceEncoding::Utf8Bom,
                vec![],
            ),
            (
                "utf-16le bom",
                [b"\xFF\xFE".as_slice(), &utf16le].concat(),
                SourceEncoding::Utf16Le,
                vec!["decoded as UTF-16LE"],
            ),
            (
                "utf-16be bom",
                [b"\xFE\xFF".as_slice(), &utf16be].concat(),
                SourceEncoding::Utf16Be,
                vec!["decoded as UTF-16BE"],
            ),
            (
                "windows-1252",
                b"Caf\xE9 \x92n\x92 \xA315.8m\n".to_vec(),
                SourceEncoding::Windows1252,
                vec!["decoded as Windows-1252"],
            ),
        ];
        for (name, bytes, encoding, fixes) in cases {
            let decoded = decode(&bytes);
            assert_eq!(decoded.text, text, "{name}");
            assert_eq!(decoded.encoding, encoding, "{name}");
            assert_eq!(fixes_text(&decoded), fixes, "{name}");
        }
    }

    #[test]
    fn utf16_without_bom_is_detected_from_zero_bytes() {
        let text = "Lavrov wants regular contact\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le).text, text);
        assert_eq!(decode(&le).encoding, SourceEncoding::Utf16Le);
        assert_eq!(decode(&be).text, text);
        assert_eq!(decode(&be).encoding, SourceEncoding::Utf16Be);
    }

    #[test]
    fn odd_utf16_tail_is_replaced_and_reported() {
        let decoded = decode(b"\xFF\xFEA\x00B");
        assert_eq!(decoded.text, "A\u{FFFD}");
        assert_eq!(
            fixes_text(&decoded),
            [
                "decoded as UTF-16LE",
                "replaced 1 malformed byte sequence with U+FFFD"
            ]
        );
    }

    #[test]
    fn invalid_utf8_after_a_utf8_bom_is_replaced_not_guessed() {
        let decoded = decode(b"\xEF\xBB\xBFcaf\xE9");
        assert_eq!(decoded.text, "caf\u{FFFD}");
        assert_eq!(decoded.encoding, SourceEncoding::Utf8Bom);
    }

    #[test]
    fn mojibake_is_repaired_and_counted() {
        let cases = [
            ("It\u{e2}\u{20ac}\u{2122}s", "It\u{2019}s", 1),
            (
                "caf\u{c3}\u{a9} cr\u{c3}\u{a8}me",
                "caf\u{e9} cr\u{e8}me",
                2,
            ),
            (
                "\u{e2}\u{20ac}\u{153}quoted\u{e2}\u{20ac}\u{9d}",
                "\u{201c}quoted\u{201d}",
                2,
            ),
            (
                "\u{e2}\u{20ac}\u{153}lost 9D\u{e2}\u{20ac} end",
                "\u{201c}lost 9D\u{201d} end",
                2,
            ),
            ("\u{c2}\u{a3}15.8m", "\u{a3}15.8m", 1),
            // Twice-encoded: `’` -> `â€™` -> `Ã¢â‚¬â„¢`.
            // Three repairs in the first pass, one in the second.
            (
                "\u{c3}\u{a2}\u{e2}\u{201a}\u{ac}\u{e2}\u{201e}\u{a2}",
                "\u{2019}",
                4,
            ),
            (
                "\u{d0}\u{bf}\u{d1}\u{20ac}\u{d0}\u{b8}\u{d0}\u{b2}\u{d0}\u{b5}\u{d1}\u{201a}",
                "\u{43f}\u{440}\u{438}\u{432}\u{435}\u{442}",
                6,
            ),
            ("Erdo\u{c4}\u{178}an", "Erdo\u{11f}an", 1),
            ("\u{e4}\u{b8}\u{ad}", "\u{4e2d}", 1),
            // Legitimate text is left alone: accented capitals before quotes, and odd
            // sequences that would decode to something but are not mojibake.
            (
                "JOS\u{c9}\u{2019}S \u{c9}\u{201d}",
                "JOS\u{c9}\u{2019}S \u{c9}\u{201d}",
                0,
            ),
            ("\u{e9}\u{2019}\u{20ac}", "\u{e9}\u{2019}\u{20ac}", 0),
            (
                "S\u{c3}O PAULO, \u{c0} la carte, na\u{ef}ve",
                "S\u{c3}O PAULO, \u{c0} la carte, na\u{ef}ve",
                0,
            ),
        ];
        for (input, expected, count) in cases {
            let decoded = decode(input.as_bytes());
            assert_eq!(decoded.text, expected, "{input}");
            let want: Vec<String> = if count == 0 {
                vec![]
            } else {
                vec![TextFix::RepairedMojibake { count }.to_string()]
            };
            assert_eq!(fixes_text(&decoded), want, "{input}");
        }
    }

    #[test]
    fn fix_messages_read_as_sentences() {
        let cases = [
            (
                TextFix::DecodedAs(SourceEncoding::Windows1252),
                "decoded as Windows-1252",
            ),
            (
                TextFix::RepairedMojibake { count: 3 },
                "repaired 3 mojibake sequences",
            ),
            (
                TextFix::RemovedControlChars { count: 2 },
                "removed 2 control characters",
            ),
            (
                TextFix::RemovedControlChars { count: 1 },
                "removed 1 control character",
            ),
            (
                TextFix::RemovedZeroWidth { count: 1 },
                "removed 1 zero-width character",
            ),
            (
                TextFix::ReplacedMalformed { count: 2 },
                "replaced 2 malformed byte sequences with U+FFFD",
            ),
            (
                TextFix::NormalisedLineEndings { count: 4 },
                "normalised 4 CR/CRLF line endings to LF",
            ),
        ];
        for (fix, message) in cases {
            assert_eq!(fix.to_string(), message);
        }
    }

    #[test]
    fn line_endings_controls_and_zero_width_are_cleaned() {
        let decoded =
            decode(b"Head\r\n\r\nOne\rTwo\x07\x00\tend\xE2\x80\x8B\xEF\xBB\xBF.\xC2\xA0x");
        assert_eq!(decoded.text, "Head\n\nOne\nTwo\tend.\u{a0}x");
        assert_eq!(
            fixes_text(&decoded),
            [
                "normalised 3 CR/CRLF line endings to LF",
                "removed 2 control characters",
                "removed 2 zero-width characters"
            ]
        );
        assert!(!TextFix::NormalisedLineEndings { count: 1 }.is_warning());
        assert!(TextFix::RemovedControlChars { count: 1 }.is_warning());
    }

    #[test]
    fn windows_1252_undefined_bytes_are_dropped_as_controls() {
        let decoded = decode(b"a\x81b\xE9");
        assert_eq!(decoded.text, "ab\u{e9}");
        assert_eq!(
            fixes_text(&decoded),
            ["decoded as Windows-1252", "removed 1 control character"]
        );
    }
}
