//! Any text gives a Pelican header or none without panicking; the body offset is a char
//! boundary inside the text and the first key is `title`.
#![no_main]

use broadsheet::ingest::parse_key_value_header;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(header) = parse_key_value_header(text) {
        assert!(text.is_char_boundary(header.body_offset));
        assert_eq!(header.fields.first().map(|f| f.key.as_str()), Some("title"));
        assert!(header.fields.iter().all(|f| f.line < header.body_line));
    }
});
