//! Text ingestion: pure parsers that turn the raw bytes and text of archive files into
//! structured pieces (decoded text, dates found in header lines, wire-copy structure,
//! Pelican-style `Key: value` headers).
//!
//! This module owns byte decoding and the recognition of wire-copy conventions. It does no
//! file I/O, knows nothing of `Article`, `Config` or rendering, and never escapes HTML:
//! it returns plain text and line numbers, and the caller decides what becomes of them.
//!
//! ```text
//! bytes --decode--> Decoded { text, encoding, fixes }
//! text  --parse_wire--> WireDoc { headline, date, authors, paragraphs, cut, ... }
//!                           \-- uses textdate::parse_date_line on header lines only
//! text  --parse_key_value_header--> KeyValueHeader { fields, body_offset }
//! text  --html::read_page--> Page { meta (with sources), body (clean HTML + text) }
//! ```

pub mod decode;
pub mod furniture;
pub mod html;
pub mod pelican;
pub mod textdate;
pub mod wire;

pub use decode::{Decoded, SourceEncoding, TextFix, decode};
pub use furniture::{Furniture, FurnitureLines};
pub use pelican::{HeaderField, KeyValueHeader, parse_key_value_header};
pub use textdate::{DateKind, DateOrder, TextDate, is_date_line, parse_date_line, parse_text_date};
pub use wire::{
    CutNote, CutReason, Flag, Pattern, PatternError, WireDoc, WireOptions, parse_wire,
    parse_wire_with,
};
