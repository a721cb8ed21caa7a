//! Any bytes decode without panicking, to text with no control characters but tab and
//! newline and no zero-width characters.
#![no_main]

use broadsheet::ingest::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = decode(data);
    for c in decoded.text.chars() {
        assert!(c == '\n' || c == '\t' || !c.is_control(), "control {c:?}");
        assert!(
            !matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}'),
            "zero-width {c:?}"
        );
    }
    // Decoding clean text again changes nothing but possibly a second layer of mojibake.
    let again = decode(decoded.text.as_bytes());
    assert!(again.text.len() <= decoded.text.len());
});
