//! A small binary encoding for cache files: little-endian integers and
//! length-prefixed bytes. Decoding never panics: damaged input is an error.
//!
//! Hand-written rather than a serde format because the cached types carry
//! `serde_json::Value` and chrono dates, which the compact serde formats cannot
//! read back without wrappers, and because every read must fail cleanly.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

/// Why a cache file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("truncated")]
    Truncated,
    #[error("invalid data: {0}")]
    Invalid(&'static str),
}

/// Appends values to a buffer.
#[derive(Default)]
pub struct Enc {
    pub buf: Vec<u8>,
}

impl Enc {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub fn bool(&mut self, v: bool) {
        self.buf.push(u8::from(v));
    }

    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn raw(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }

    pub fn bytes(&mut self, v: &[u8]) {
        self.u32(v.len() as u32);
        self.buf.extend_from_slice(v);
    }

    pub fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }

    pub fn opt_str(&mut self, v: Option<&str>) {
        match v {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }

    pub fn strs(&mut self, v: &[String]) {
        self.u32(v.len() as u32);
        for s in v {
            self.str(s);
        }
    }

    pub fn path(&mut self, v: &std::path::Path) {
        self.str(&v.to_string_lossy());
    }

    pub fn date(&mut self, v: Option<DateTime<FixedOffset>>) {
        match v {
            Some(d) => {
                self.u8(1);
                self.i64(d.timestamp());
                self.u32(d.timestamp_subsec_nanos());
                self.i64(i64::from(d.offset().local_minus_utc()));
            }
            None => self.u8(0),
        }
    }
}

/// Reads values back in the order they were written.
pub struct Dec<'a> {
    data: &'a [u8],
}

impl<'a> Dec<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Dec { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn raw(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.data.len() < n {
            return Err(DecodeError::Truncated);
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.raw(N)?);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.raw(1)?[0])
    }

    pub fn bool(&mut self) -> Result<bool, DecodeError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::Invalid("bool")),
        }
    }

    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    pub fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.u32()? as usize;
        self.raw(n)
    }

    pub fn str(&mut self) -> Result<&'a str, DecodeError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| DecodeError::Invalid("utf-8"))
    }

    pub fn string(&mut self) -> Result<String, DecodeError> {
        self.str().map(str::to_string)
    }

    pub fn opt_string(&mut self) -> Result<Option<String>, DecodeError> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(DecodeError::Invalid("option")),
        }
    }

    pub fn strings(&mut self) -> Result<Vec<String>, DecodeError> {
        let n = self.u32()? as usize;
        // Each string takes at least its 4-byte length: refuse absurd counts
        // before allocating for them.
        if n > self.data.len() / 4 {
            return Err(DecodeError::Truncated);
        }
        (0..n).map(|_| self.string()).collect()
    }

    pub fn path(&mut self) -> Result<PathBuf, DecodeError> {
        self.str().map(PathBuf::from)
    }

    pub fn date(&mut self) -> Result<Option<DateTime<FixedOffset>>, DecodeError> {
        match self.u8()? {
            0 => Ok(None),
            1 => {
                let secs = self.i64()?;
                let nanos = self.u32()?;
                let offset =
                    i32::try_from(self.i64()?).map_err(|_| DecodeError::Invalid("date"))?;
                let offset = FixedOffset::east_opt(offset).ok_or(DecodeError::Invalid("date"))?;
                DateTime::from_timestamp(secs, nanos)
                    .map(|d| d.with_timezone(&offset))
                    .map(Some)
                    .ok_or(DecodeError::Invalid("date"))
            }
            _ => Err(DecodeError::Invalid("option")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let d = DateTime::parse_from_rfc3339("1969-07-20T20:17:00.5-04:00").ok();
        let mut e = Enc::default();
        e.str("Zürich");
        e.opt_str(None);
        e.strs(&["a".into(), "b".into()]);
        e.date(d);
        e.u64(7);
        let mut r = Dec::new(&e.buf);
        assert_eq!(r.string(), Ok("Zürich".to_string()));
        assert_eq!(r.opt_string(), Ok(None));
        assert_eq!(r.strings(), Ok(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(r.date(), Ok(d));
        assert_eq!(r.u64(), Ok(7));
        assert!(r.is_empty());
    }

    #[test]
    fn damaged_input_is_an_error_not_a_panic() {
        let mut e = Enc::default();
        e.strs(&["abc".into()]);
        for cut in 0..e.buf.len() {
            let mut r = Dec::new(&e.buf[..cut]);
            assert_eq!(r.strings(), Err(DecodeError::Truncated), "cut at {cut}");
        }
        let mut r = Dec::new(&[2]);
        assert_eq!(r.bool(), Err(DecodeError::Invalid("bool")));
        let huge = u32::MAX.to_le_bytes();
        assert_eq!(Dec::new(&huge).strings(), Err(DecodeError::Truncated));
    }
}
