//! The two destinations of a page context: a tera `Context` to render, or a
//! fingerprint (`digest::Digest`) that stands in for it. Cards and bodies are the bulky parts of
//! a context; the hasher takes the inputs they are made from instead (the
//! article's source hash, path and URL), so fingerprinting a page never builds
//! a card or reads a body.

use serde::Serialize;
use tera::{Context, Tera, Value};

use super::meta::ArticleMeta;
use super::views::{CardView, LinkRef, SiteView, TeaserView};
use super::{Digests, Fingerprint, PageInput, period_label, period_view};
use crate::archive::{Archive, Entry};
use crate::config::Config;
use crate::digest::Digest;
use crate::media::Media;
use crate::plan::ListId;

/// Receives the pieces of one page's context.
pub(super) trait Sink {
    /// A small value, as templates see it.
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T);
    /// One article (an index into the archive's entries) as a card.
    fn card(&mut self, key: &'static str, archive: &Archive, article: u32);
    /// Articles as cards, in the order given.
    fn cards(&mut self, key: &'static str, archive: &Archive, articles: impl Iterator<Item = u32>);
    /// Named groups of cards (`[{name, url, count, cards}]`), as the home
    /// front shows the latest of each section.
    fn groups(&mut self, key: &'static str, archive: &Archive, groups: &[(LinkRef, Vec<u32>)]);
    /// Articles as light links (`[{title, url, date, section}]`), as an
    /// article page lists its related stories.
    fn links(&mut self, key: &'static str, archive: &Archive, articles: impl Iterator<Item = u32>);
    /// The JSON-LD and Open Graph values of an article (`meta::ArticleMeta`).
    fn meta(&mut self, key: &'static str, archive: &Archive, article: u32);
    /// The body of an article page, and the URLs of the articles it links
    /// to by source (target as written, URL).
    fn body(&mut self, article: u32, entry: &Entry, refs: &[(&str, &str)]);
    /// The period view of a year, month or day list; returns its kind and label.
    fn period(&mut self, list: ListId, archive: &Archive) -> (&'static str, String);
}

/// The template that turns one article's card into the HTML every list shows.
pub const CARD_TEMPLATE: &str = "partials/card.html";

/// What one rendering thread keeps between pages: recently rendered cards
/// (an article's `partials/card.html`, as a safe string: cheap to share) and
/// the site view. An article appears on about nine list pages; its card is
/// rendered once while it stays in the cache, and every other list copies it.
/// Cards are direct-mapped by article index: pages rendered in date order show
/// nearby articles, so a few thousand slots catch most repeats while memory
/// stays fixed (a rendered card is under 1 KB). Only valid for one archive,
/// config and theme: make one per build and thread.
pub struct CardCache {
    slots: Vec<Option<(u32, Value)>>,
    site: Option<Value>,
}

impl CardCache {
    /// Slots per cache: about 8 MB of cards.
    pub const SLOTS: usize = 8192;

    pub fn new() -> CardCache {
        CardCache {
            slots: vec![None; Self::SLOTS],
            site: None,
        }
    }

    /// A cache that keeps no cards.
    pub fn none() -> CardCache {
        CardCache {
            slots: Vec::new(),
            site: None,
        }
    }

    fn site(&mut self, cfg: &Config) -> Value {
        self.site
            .get_or_insert_with(|| Value::from_serializable(&SiteView::new(cfg)))
            .clone()
    }

    /// Article `i` as the card value templates see (`article` on its page).
    fn card(archive: &Archive, i: u32, cfg: &Config, media: &Media) -> Value {
        let e = &archive.entries[i as usize];
        Value::from_serializable(&CardView::new(e, cfg, media.photos(i)))
    }

    /// Article `i`'s card rendered by [`CARD_TEMPLATE`], with `article` and `site`.
    fn html(
        &mut self,
        tera: &Tera,
        archive: &Archive,
        i: u32,
        (cfg, media): (&Config, &Media),
    ) -> tera::TeraResult<Value> {
        let make = |cache: &mut CardCache| {
            let mut ctx = Context::new();
            ctx.insert_value("site", cache.site(cfg));
            ctx.insert_value("article", Self::card(archive, i, cfg, media));
            tera.render(CARD_TEMPLATE, &ctx)
                .map(|html| Value::safe_string(&html))
        };
        if self.slots.is_empty() {
            return make(self);
        }
        let k = i as usize % Self::SLOTS;
        if let Some((j, v)) = &self.slots[k] {
            if *j == i {
                return Ok(v.clone());
            }
        }
        let v = make(self)?;
        self.slots[k] = Some((i, v.clone()));
        Ok(v)
    }
}

impl Default for CardCache {
    fn default() -> Self {
        CardCache::new()
    }
}

/// Builds the tera context.
pub(super) struct ContextSink<'a> {
    ctx: Context,
    cfg: &'a Config,
    tera: &'a Tera,
    body: Option<&'a str>,
    media: &'a Media,
    cards: &'a mut CardCache,
    /// The first error rendering a card: the page fails with it.
    error: Option<tera::Error>,
}

impl<'a> ContextSink<'a> {
    pub(super) fn new(
        cfg: &'a Config,
        tera: &'a Tera,
        input: PageInput<'a>,
        cards: &'a mut CardCache,
    ) -> Self {
        let mut ctx = Context::new();
        ctx.insert_value("site", cards.site(cfg));
        ContextSink {
            ctx,
            cfg,
            tera,
            body: input.body,
            media: input.media,
            cards,
            error: None,
        }
    }

    /// Articles' rendered cards, from the card cache; a failure is kept for
    /// `into_context`.
    fn card_values(&mut self, archive: &Archive, articles: impl Iterator<Item = u32>) -> Value {
        let mut cards = Vec::new();
        for i in articles {
            match self
                .cards
                .html(self.tera, archive, i, (self.cfg, self.media))
            {
                Ok(card) => cards.push(card),
                Err(e) => {
                    self.error.get_or_insert(e);
                }
            }
        }
        Value::from(cards)
    }

    /// The context, or the error a card met.
    pub(super) fn into_context(self) -> Result<Context, tera::Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.ctx),
        }
    }
}

impl Sink for ContextSink<'_> {
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.ctx.insert(key, value);
    }

    fn card(&mut self, key: &'static str, archive: &Archive, article: u32) {
        self.ctx
            .insert_value(key, CardCache::card(archive, article, self.cfg, self.media));
    }

    fn cards(&mut self, key: &'static str, archive: &Archive, articles: impl Iterator<Item = u32>) {
        let cards = self.card_values(archive, articles);
        self.ctx.insert_value(key, cards);
    }

    fn groups(&mut self, key: &'static str, archive: &Archive, groups: &[(LinkRef, Vec<u32>)]) {
        let values: Vec<Value> = groups
            .iter()
            .map(|(link, ids)| {
                let mut group = std::collections::BTreeMap::new();
                group.insert("name", Value::from(link.name));
                group.insert("url", Value::from(link.url));
                group.insert("count", Value::from(link.count));
                group.insert("cards", self.card_values(archive, ids.iter().copied()));
                Value::from(group)
            })
            .collect();
        self.ctx.insert_value(key, Value::from(values));
    }

    fn links(&mut self, key: &'static str, archive: &Archive, articles: impl Iterator<Item = u32>) {
        let links: Vec<TeaserView> = articles
            .map(|i| TeaserView::new(&archive.entries[i as usize], self.cfg))
            .collect();
        self.ctx.insert(key, &links);
    }

    fn meta(&mut self, key: &'static str, archive: &Archive, article: u32) {
        let e = &archive.entries[article as usize];
        let lead = e.article.image.as_deref().and_then(|image| {
            let target = crate::article::media::local_target(image)?;
            let layout = self.media.photo(article, &target)?;
            Some((target, layout))
        });
        let lead = lead.as_ref().map(|(t, l)| (t.as_str(), *l));
        self.ctx.insert(key, &ArticleMeta::new(e, self.cfg, lead));
    }

    fn body(&mut self, article: u32, entry: &Entry, refs: &[(&str, &str)]) {
        let body = self.body.unwrap_or("");
        let shown_before = usize::from(entry.article.image.is_some());
        let sizes = &self.cfg.images.sizes;
        let photos = self.media.photos(article);
        let body = crate::media::html::responsive_body(body, photos, sizes, shown_before);
        let body = body.as_ref();
        let resolved = (!entry.article.refs.is_empty()).then(|| {
            let url_of = |t: &str| refs.iter().find(|r| r.0 == t).map(|r| r.1.to_string());
            crate::shortcodes::resolve_refs(body, &url_of)
                .0
                .into_owned()
        });
        let body = resolved.as_deref().unwrap_or(body);
        let joined = entry
            .article
            .dateline
            .as_deref()
            .and_then(|d| with_dateline(body, d));
        self.ctx.insert("dateline_in_body", &joined.is_some());
        self.ctx.insert("body", joined.as_deref().unwrap_or(body));
    }

    fn period(&mut self, list: ListId, archive: &Archive) -> (&'static str, String) {
        let period = period_view(list, archive);
        self.ctx.insert("period", &period);
        (period.kind, period.label)
    }
}

/// The body with its dateline run into the first paragraph, as newspapers
/// print it (`<p><span class="dateline">HARBOURTON —</span> The storm…`);
/// `None` when the body does not open with a paragraph.
pub(super) fn with_dateline(body: &str, dateline: &str) -> Option<String> {
    let start = body.len() - body.trim_start().len();
    let rest = body[start..].strip_prefix("<p>")?;
    let dateline = dateline.trim();
    let dash = if dateline.ends_with(['—', '–', '-']) {
        ""
    } else {
        " —"
    };
    let mut out = String::with_capacity(body.len() + dateline.len() + 40);
    out.push_str(&body[..start]);
    out.push_str("<p><span class=\"dateline\">");
    crate::extras::xml::escape_into(&mut out, dateline);
    out.push_str(dash);
    out.push_str("</span> ");
    out.push_str(rest);
    Some(out)
}

/// Hashes what the context is made from. The site view is left out: the
/// caller hashes the config fingerprint and base URL it comes from.
pub(super) struct HashSink<'d> {
    buf: Digest,
    /// Digests of shared parts, when the caller computed them once for all pages.
    digests: Option<&'d Digests>,
}

/// The digest of a value as `HashSink::put` would hash it.
pub(super) fn value_digest<T: Serialize>(value: &T) -> [u8; 16] {
    let mut sink = HashSink::new(None);
    sink.put("", value);
    sink.finish()
}

/// What an article's card is made from: the article (itself a pure function
/// of the source bytes, its path and the config), its URL and the config.
pub(super) fn entry_digest(entry: &Entry, photos: Option<&[u8; 16]>) -> [u8; 16] {
    let mut sink = HashSink::new(None);
    sink.entry_raw(entry);
    if let Some(p) = photos {
        sink.bytes(p);
    }
    sink.finish()
}

impl<'d> HashSink<'d> {
    pub(super) fn new(digests: Option<&'d Digests>) -> Self {
        HashSink {
            buf: Digest::with_capacity(1024),
            digests,
        }
    }

    /// Length-prefixed, so that adjacent fields cannot run into each other.
    pub(super) fn bytes(&mut self, bytes: &[u8]) {
        self.buf.put(bytes);
    }

    fn entry_raw(&mut self, entry: &Entry) {
        self.bytes(&entry.article.hash);
        self.bytes(entry.article.source.as_os_str().as_encoded_bytes());
        self.bytes(entry.url.as_bytes());
    }

    fn entry(&mut self, archive: &Archive, i: u32) {
        match self.digests.and_then(|d| d.entries.get(i as usize)) {
            Some(digest) => self.buf.raw(digest),
            None => self.entry_raw(&archive.entries[i as usize]),
        }
    }

    pub(super) fn finish(self) -> Fingerprint {
        self.buf.finish()
    }
}

/// Lets postcard append to a buffer it does not own, a slice at a time
/// (its `Extend` flavor pushes byte by byte).
struct Append<'a>(&'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Append<'_> {
    type Output = ();

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

impl Sink for HashSink<'_> {
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.bytes(key.as_bytes());
        // postcard: every string length-prefixed, nothing escaped (JSON's
        // escaping was most of the cost of fingerprinting a page).
        if postcard::serialize_with_flavor(value, Append(self.buf.buffer())).is_err() {
            // View structs always serialize; should one fail, its render fails too.
            self.buf.raw(b"\xffunserializable");
        }
        self.buf.raw(&[0]);
    }

    fn card(&mut self, key: &'static str, archive: &Archive, article: u32) {
        self.bytes(key.as_bytes());
        self.entry(archive, article);
    }

    fn cards(&mut self, key: &'static str, archive: &Archive, articles: impl Iterator<Item = u32>) {
        self.bytes(key.as_bytes());
        let mut n = 0u64;
        for i in articles {
            self.entry(archive, i);
            n += 1;
        }
        self.buf.raw(&n.to_le_bytes());
    }

    fn groups(&mut self, key: &'static str, archive: &Archive, groups: &[(LinkRef, Vec<u32>)]) {
        self.bytes(key.as_bytes());
        for (link, ids) in groups {
            self.put("group", link);
            self.cards("cards", archive, ids.iter().copied());
        }
    }

    fn links(&mut self, key: &'static str, archive: &Archive, articles: impl Iterator<Item = u32>) {
        // Each link is a pure function of its entry and the config.
        self.cards(key, archive, articles);
    }

    fn meta(&mut self, key: &'static str, archive: &Archive, article: u32) {
        // Like a card, a pure function of the entry and the config.
        self.bytes(key.as_bytes());
        self.entry(archive, article);
    }

    fn body(&mut self, article: u32, entry: &Entry, refs: &[(&str, &str)]) {
        self.bytes(b"body");
        self.bytes(&entry.article.hash);
        // The photos it shows (their sizes and variants) are in the entry's digest.
        if let Some(d) = self.digests.and_then(|d| d.entries.get(article as usize)) {
            self.buf.raw(d);
        }
        for (target, url) in refs {
            self.bytes(target.as_bytes());
            self.bytes(url.as_bytes());
        }
    }

    fn period(&mut self, list: ListId, archive: &Archive) -> (&'static str, String) {
        let (kind, label) = period_label(list, archive);
        self.bytes(b"period");
        match self.digests.and_then(|d| d.periods.get(&list)) {
            Some(digest) => self.buf.raw(digest),
            None => {
                let digest = value_digest(&period_view(list, archive));
                self.buf.raw(&digest);
            }
        }
        (kind, label)
    }
}

#[cfg(test)]
mod tests {
    use super::with_dateline;

    #[test]
    fn the_dateline_opens_the_first_paragraph() {
        assert_eq!(
            with_dateline("\n<p>The storm hit.</p>\n<p>More.</p>", "MOSCOW (AFP)").as_deref(),
            Some(
                "\n<p><span class=\"dateline\">MOSCOW (AFP) —</span> The storm hit.</p>\n<p>More.</p>"
            )
        );
        assert_eq!(
            with_dateline("<p>x</p>", "A & B —").as_deref(),
            Some("<p><span class=\"dateline\">A &amp; B —</span> x</p>")
        );
        assert_eq!(with_dateline("<h2>Title</h2><p>x</p>", "PARIS"), None);
    }
}
