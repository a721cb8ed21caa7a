//! Any bytes, decoded, parse as wire copy without panicking, into single-line, non-empty
//! paragraphs and cut notes whose lines exist.
#![no_main]

use std::sync::LazyLock;

use broadsheet::ingest::{DateOrder, WireOptions, decode, parse_wire};
use libfuzzer_sys::fuzz_target;

static OPTIONS: LazyLock<WireOptions> = LazyLock::new(|| {
    WireOptions::new(
        DateOrder::DayFirst,
        &["Advertisement", "/^Sponsored by .*$/"],
    )
    .expect("fuzz patterns compile")
});

fuzz_target!(|data: &[u8]| {
    let text = decode(data).text;
    check(&text);
    // Undecoded text too: the parser must cope with CR and stray characters itself.
    if let Ok(raw) = std::str::from_utf8(data) {
        check(raw);
    }
});

fn check(text: &str) {
    let doc = parse_wire(text, &OPTIONS);
    let lines = text.split(['\n', '\r']).count();
    assert!(doc.headline_line <= lines);
    for paragraph in &doc.paragraphs {
        assert!(!paragraph.is_empty());
        assert!(!paragraph.contains(['\n', '\r']));
    }
    for cut in &doc.cut {
        assert!(
            cut.first_line <= cut.last_line && cut.last_line <= lines,
            "{cut}"
        );
    }
}
