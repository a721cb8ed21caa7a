//! The two destinations of a page context: a tera `Context` to render, or a
//! blake3 hasher that stands in for it. Cards and bodies are the bulky parts of
//! a context; the hasher takes the inputs they are made from instead (the
//! article's source hash, path and URL), so fingerprinting a page never builds
//! a card or reads a body.

use serde::Serialize;
use tera::Context;

use super::Fingerprint;
use super::views::{CardView, SiteView};
use crate::archive::Entry;
use crate::config::Config;

/// Receives the pieces of one page's context.
pub(super) trait Sink {
    /// A small value, as templates see it.
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T);
    /// One article as a card.
    fn card(&mut self, key: &'static str, entry: &Entry);
    /// Articles as cards, in the order given.
    fn cards<'e>(&mut self, key: &'static str, entries: impl Iterator<Item = &'e Entry>);
    /// The body of an article page.
    fn body(&mut self, entry: &Entry);
}

/// Builds the tera context.
pub(super) struct ContextSink<'a> {
    ctx: Context,
    cfg: &'a Config,
    body: Option<&'a str>,
}

impl<'a> ContextSink<'a> {
    pub(super) fn new(cfg: &'a Config, body: Option<&'a str>) -> Self {
        let mut ctx = Context::new();
        ctx.insert("site", &SiteView::new(cfg));
        ContextSink { ctx, cfg, body }
    }

    pub(super) fn into_context(self) -> Context {
        self.ctx
    }
}

impl Sink for ContextSink<'_> {
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.ctx.insert(key, value);
    }

    fn card(&mut self, key: &'static str, entry: &Entry) {
        self.ctx.insert(key, &CardView::new(entry, self.cfg));
    }

    fn cards<'e>(&mut self, key: &'static str, entries: impl Iterator<Item = &'e Entry>) {
        let cards: Vec<CardView> = entries.map(|e| CardView::new(e, self.cfg)).collect();
        self.ctx.insert(key, &cards);
    }

    fn body(&mut self, _entry: &Entry) {
        self.ctx.insert("body", self.body.unwrap_or(""));
    }
}

/// Hashes what the context is made from. The site view is left out: the
/// caller hashes the config fingerprint and base URL it comes from. Bytes are
/// gathered and hashed once: many small hasher updates cost more than the hash.
pub(super) struct HashSink {
    buf: Vec<u8>,
}

impl HashSink {
    pub(super) fn new() -> Self {
        HashSink {
            buf: Vec::with_capacity(4096),
        }
    }

    /// Length-prefixed, so that adjacent fields cannot run into each other.
    pub(super) fn bytes(&mut self, bytes: &[u8]) {
        self.buf
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.buf.extend_from_slice(bytes);
    }

    fn entry(&mut self, entry: &Entry) {
        // A card is a pure function of the article (itself a pure function of
        // the source bytes, its path and the config), its URL and the config.
        self.bytes(&entry.article.hash);
        self.bytes(entry.article.source.as_os_str().as_encoded_bytes());
        self.bytes(entry.url.as_bytes());
    }

    pub(super) fn finish(self) -> Fingerprint {
        let mut out = [0u8; 16];
        out.copy_from_slice(&blake3::hash(&self.buf).as_bytes()[..16]);
        out
    }
}

impl Sink for HashSink {
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.bytes(key.as_bytes());
        if serde_json::to_writer(&mut self.buf, value).is_err() {
            // View structs always serialize; should one fail, its render fails too.
            self.buf.extend_from_slice(b"\xffunserializable");
        }
        self.buf.push(0);
    }

    fn card(&mut self, key: &'static str, entry: &Entry) {
        self.bytes(key.as_bytes());
        self.entry(entry);
    }

    fn cards<'e>(&mut self, key: &'static str, entries: impl Iterator<Item = &'e Entry>) {
        self.bytes(key.as_bytes());
        let mut n = 0u64;
        for e in entries {
            self.entry(e);
            n += 1;
        }
        self.buf.extend_from_slice(&n.to_le_bytes());
    }

    fn body(&mut self, entry: &Entry) {
        self.bytes(b"body");
        self.bytes(&entry.article.hash);
    }
}
