//! The character encoding of a saved page: a byte order mark first, then a
//! `<meta charset>` or `http-equiv` declaration in the first 1,024 bytes (as
//! browsers prescan), else the text reader's own detection (UTF-8, UTF-16,
//! Windows-1252, mojibake repair).

use encoding_rs::Encoding;

use crate::ingest::decode::{TextFix, decode};

/// A page's text, the name of the encoding it was read as, and the fixes
/// made on the way (as `ingest::decode` reports them).
#[derive(Debug)]
pub struct PageText {
    pub text: String,
    pub encoding: &'static str,
    pub fixes: Vec<TextFix>,
}

/// Decodes a page's bytes.
pub fn decode_page(bytes: &[u8]) -> PageText {
    let declared = match Encoding::for_bom(bytes) {
        Some(_) => None,
        // A page that says UTF-8 but is not is what the detection is for.
        None => declared(bytes).filter(|&e| e != encoding_rs::UTF_8 && !is_utf16(e)),
    };
    match declared {
        Some(enc) => {
            let (text, _, malformed) = enc.decode(bytes);
            let mut decoded = decode(text.as_bytes());
            if malformed {
                let count = text.matches(char::REPLACEMENT_CHARACTER).count();
                decoded
                    .fixes
                    .insert(0, TextFix::ReplacedMalformed { count });
            }
            PageText {
                text: decoded.text,
                encoding: enc.name(),
                fixes: decoded.fixes,
            }
        }
        None => {
            let decoded = decode(bytes);
            PageText {
                text: decoded.text,
                encoding: decoded.encoding.name(),
                fixes: decoded.fixes,
            }
        }
    }
}

/// A page cannot declare UTF-16 in ASCII bytes it would not have; browsers
/// read such a declaration as UTF-8.
fn is_utf16(enc: &'static Encoding) -> bool {
    enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE
}

/// The encoding named by a `<meta>` in the first 1,024 bytes.
pub fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(label) = charset_in(tag) {
            if let Some(enc) = Encoding::for_label(label.as_bytes()) {
                return Some(enc);
            }
        }
    }
    None
}

/// The value after `charset=` in a meta tag's text (covering both
/// `charset="x"` and `content="text/html; charset=x"`).
fn charset_in(tag: &str) -> Option<&str> {
    let at = tag.find("charset")?;
    let rest = tag[at + 7..].trim_start().strip_prefix('=')?;
    let rest = rest.trim_start().trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace())
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|l| !l.is_empty())
}
