//! Any line gives a date or none without panicking; a date's rest is trimmed and shorter
//! than the line.
#![no_main]

use broadsheet::ingest::{DateOrder, is_date_line, parse_text_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
        if let Some(found) = parse_text_date(line, order) {
            assert_eq!(found.rest.trim(), found.rest);
            assert!(found.rest.len() < line.len());
        }
        let _ = is_date_line(line, order);
    }
});
