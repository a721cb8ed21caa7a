//! The build cache in `.broadsheet-cache/` under the site root: what the last
//! build parsed (per source file: its stamp, hash, article and diagnostics) and
//! what it wrote (per output file: its fingerprint and content hash). Owns the
//! files inside that folder and touches nothing else.
//!
//! The folder is safe to delete: a missing cache means a full build. Each file
//! starts with a magic line, the cache format and the crate version, and ends
//! with a checksum (XXH3-128) of everything before it; a file from another version,
//! or one that is damaged, is reported and ignored, never trusted. Files are
//! written to a temporary name and renamed into place, so a killed build leaves
//! the previous cache whole.
//!
//! Files are written as a stream of blocks, so the writer never holds a whole
//! cache file in memory; the reader takes a file at once (a shard is small) into
//! a buffer it reuses for the next shard.

pub mod codec;

use ahash::AHashMap as HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use codec::{Dec, DecodeError, Enc};
use xxhash_rust::xxh3::Xxh3;

use crate::article::media::{ImageMeta, MediaKind, MediaRef};
use crate::article::{Article, DateSource};
use crate::diag::{Diagnostic, Severity};
pub use crate::source::FileStamp;
use crate::source::Format;

/// The cache folder's name under the site root.
pub const DIR: &str = ".broadsheet-cache";

const MAGIC: &[u8] = b"broadsheet-cache\n";
/// Bumped whenever the layout of a cache file changes, or what a reader
/// makes of the same bytes (8: slugs of file names are not cut, and a
/// dated Markdown post's name is its slug; 9: scraped text pages read with
/// the header rules of issue 14's blind sets; 10: more time zones in
/// dates written in words).
const FORMAT: u32 = 10;
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Bytes of the checksum that closes every file.
const SUM: usize = 16;
/// Bytes per block; a block always holds whole records.
const BLOCK: usize = 256 * 1024;
/// A file modified less than this long before the cache was written may change
/// again within the same timestamp tick, so its stamp alone is not trusted.
const RACY_NS: i64 = 2_000_000_000;

/// Why a cache file was ignored.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("{}: cannot read: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: not a broadsheet cache file", path.display())]
    Foreign { path: PathBuf },
    #[error("{}: written by broadsheet {version} (cache format {format}), this is {VERSION} (format {FORMAT})", path.display())]
    Version {
        path: PathBuf,
        version: String,
        format: u32,
    },
    #[error("{}: damaged ({reason})", path.display())]
    Damaged { path: PathBuf, reason: String },
}

impl FileStamp {
    /// Whether the file was last modified long enough before `started_ns`
    /// that a record written by a build started then can trust the stamp.
    pub fn settled_before(&self, started_ns: i64) -> bool {
        self.mtime_ns.max(self.ctime_ns) < started_ns.saturating_sub(RACY_NS)
    }
}

/// One source file as the last build saw it.
#[derive(Debug)]
pub struct CachedFile {
    /// When the build that wrote this record started (ns since the epoch).
    pub started_ns: i64,
    pub stamp: FileStamp,
    /// XXH3-128 of the file's bytes.
    pub hash: [u8; 16],
    pub diagnostics: Vec<Diagnostic>,
    /// Boxed, so that moving cached files around moves pointers.
    pub article: Option<Box<Article>>,
}

/// Shards of the parse cache. A file's shard follows from its path, so a
/// one-article change rewrites one small shard, and shards load in parallel.
pub const SHARDS: usize = 64;
// Shard numbers are kept in a byte per source file.
const _: () = assert!(SHARDS <= 256);

/// The shard holding a file's record (FNV-1a of its path: stable everywhere).
pub fn shard_of(content_path: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in content_path.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % SHARDS as u64) as usize
}

/// The records of one shard: (path under content/, record).
pub type Shard = Vec<(String, Box<CachedFile>)>;

/// The parse results of the last build, by path under content/, one map per
/// shard (a file's is `shard_of` its path), so that shards are filled and
/// searched in parallel.
#[derive(Debug)]
pub struct ArticleCache {
    /// Boxed: a map entry is then a path and a pointer, and files move out
    /// of it cheaply.
    pub shards: Vec<HashMap<String, Box<CachedFile>>>,
    /// Shards that must be written again even if none of their files changed
    /// (damaged, from another version, or made with another site.toml).
    pub stale: Vec<bool>,
}

impl Default for ArticleCache {
    fn default() -> Self {
        ArticleCache {
            shards: (0..SHARDS).map(|_| HashMap::new()).collect(),
            stale: vec![false; SHARDS],
        }
    }
}

impl ArticleCache {
    /// The record of the file at `content_path`.
    pub fn get(&self, content_path: &str) -> Option<&CachedFile> {
        self.shards
            .get(shard_of(content_path))?
            .get(content_path)
            .map(|c| &**c)
    }

    /// Number of files recorded.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|m| m.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl CachedFile {
    /// Whether a file whose stamp equals the cached one can be taken as
    /// unchanged without reading it: not if it was modified so close to the
    /// cached build that a later edit could carry the same timestamps.
    pub fn trusts(&self, stamp: &FileStamp) -> bool {
        self.stamp == *stamp && stamp.settled_before(self.started_ns)
    }
}

/// A source file's record for saving.
pub struct FileRecord<'a> {
    pub content_path: std::borrow::Cow<'a, str>,
    pub stamp: FileStamp,
    pub hash: &'a [u8; 16],
    pub diagnostics: &'a [Diagnostic],
    pub article: Option<&'a Article>,
}

/// One output file as the last build wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputRecord {
    /// Relative to the output directory, `/`-separated.
    pub path: String,
    /// What the file was made from (for pages, the render fingerprint; for other
    /// files, the content hash).
    pub fingerprint: [u8; 16],
    /// Hash of the bytes written.
    pub content: [u8; 16],
}

/// What the last build wrote to one output directory, sorted by path.
#[derive(Debug, Default)]
pub struct OutputCache {
    pub records: Vec<OutputRecord>,
}

impl OutputCache {
    pub fn get(&self, path: &str) -> Option<&OutputRecord> {
        self.records
            .binary_search_by(|r| r.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.records[i])
    }
}

/// The cache folder of one site.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(root: &Path) -> Cache {
        Cache {
            dir: root.join(DIR),
        }
    }

    /// A cache kept in `dir` itself (the preview server keeps its own outside
    /// the project).
    pub fn at(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
        }
    }

    /// Reads every shard of the parse cache (in parallel). Shards that are
    /// missing, unreadable or made with another site.toml (`cfg_fingerprint`,
    /// which changes how files parse) contribute nothing; the unreadable ones
    /// come back as errors to report.
    pub fn load_articles(&self, cfg_fingerprint: &[u8; 32]) -> (ArticleCache, Vec<CacheError>) {
        use rayon::prelude::*;
        type Loaded = Result<Option<HashMap<String, Box<CachedFile>>>, CacheError>;
        let shards: Vec<Loaded> = (0..SHARDS)
            .into_par_iter()
            .map_init(Vec::new, |buf, shard| {
                let files = self.load_shard_with(shard, cfg_fingerprint, buf)?;
                Ok(files.map(|files| files.into_iter().collect()))
            })
            .collect();
        let mut cache = ArticleCache::default();
        let mut errors = Vec::new();
        for (shard, result) in shards.into_iter().enumerate() {
            match result {
                Ok(Some(files)) => cache.shards[shard] = files,
                Ok(None) => cache.stale[shard] = true,
                Err(e) => {
                    cache.stale[shard] = true;
                    errors.push(e);
                }
            }
        }
        (cache, errors)
    }

    /// One shard; `Ok(None)` when it is missing or made with another site.toml.
    pub fn load_shard(
        &self,
        shard: usize,
        cfg_fingerprint: &[u8; 32],
    ) -> Result<Option<Shard>, CacheError> {
        self.load_shard_with(shard, cfg_fingerprint, &mut Vec::new())
    }

    /// `load_shard`, reading the file into `buf`.
    fn load_shard_with(
        &self,
        shard: usize,
        cfg_fingerprint: &[u8; 32],
        buf: &mut Vec<u8>,
    ) -> Result<Option<Shard>, CacheError> {
        let path = self.shard_file(shard);
        let Some(mut reader) = BlockReader::open(&path, b'a', buf)? else {
            return Ok(None);
        };
        let mut files = Vec::new();
        let mut started_ns = None;
        while let Some(block) = reader.next_block()? {
            let mut d = Dec::new(block);
            let started = match started_ns {
                Some(t) => t,
                None => {
                    let fp: [u8; 32] = d.array().map_err(|e| reader.damaged(e))?;
                    if fp != *cfg_fingerprint {
                        return Ok(None);
                    }
                    *started_ns.insert(d.i64().map_err(|e| reader.damaged(e))?)
                }
            };
            while !d.is_empty() {
                let entry = decode_file(&mut d, started).map_err(|e| reader.damaged(e))?;
                files.push(entry);
            }
        }
        reader.finish()?;
        Ok(Some(files))
    }

    /// Writes one shard of the parse cache with every record that belongs to it.
    pub fn save_shard<'a>(
        &self,
        shard: usize,
        cfg_fingerprint: &[u8; 32],
        started_ns: i64,
        records: impl Iterator<Item = FileRecord<'a>>,
    ) -> io::Result<()> {
        let name = format!("articles-{shard:02x}.bin");
        let mut w = BlockWriter::create(&self.dir, &name, b'a')?;
        w.enc.raw(cfg_fingerprint);
        w.enc.i64(started_ns);
        w.flush_block()?;
        for r in records {
            encode_file(&mut w.enc, &r);
            w.record_done()?;
        }
        w.finish()
    }

    fn shard_file(&self, shard: usize) -> PathBuf {
        self.dir.join(format!("articles-{shard:02x}.bin"))
    }

    /// Reads what the last build wrote to `out`; `Ok(None)` when unknown.
    pub fn load_outputs(&self, out: &Path) -> Result<Option<OutputCache>, CacheError> {
        let path = self.outputs_file(out);
        let mut buf = Vec::new();
        let Some(mut reader) = BlockReader::open(&path, b'o', &mut buf)? else {
            return Ok(None);
        };
        // About the number of records (each takes a length, a path and two
        // hashes): growing the list step by step would copy it several times.
        let mut records = Vec::with_capacity(reader.rest.len() / 56);
        while let Some(block) = reader.next_block()? {
            let mut d = Dec::new(block);
            while !d.is_empty() {
                let r = decode_output(&mut d).map_err(|e| reader.damaged(e))?;
                records.push(r);
            }
        }
        reader.finish()?;
        if !records.windows(2).all(|w| w[0].path < w[1].path) {
            return Err(CacheError::Damaged {
                path,
                reason: "records out of order".into(),
            });
        }
        Ok(Some(OutputCache { records }))
    }

    /// Forgets what was written to `out`; called before the output changes, so
    /// that a build killed halfway leaves no record that could be trusted.
    pub fn forget_outputs(&self, out: &Path) -> io::Result<()> {
        match std::fs::remove_file(self.outputs_file(out)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Records what was written to `out`; `records` must be sorted by path.
    pub fn save_outputs<'a>(
        &self,
        out: &Path,
        records: impl Iterator<Item = &'a OutputRecord>,
    ) -> io::Result<()> {
        let file = self.outputs_file(out);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut w = BlockWriter::create(&self.dir, &name, b'o')?;
        for r in records {
            w.enc.str(&r.path);
            w.enc.raw(&r.fingerprint);
            w.enc.raw(&r.content);
            w.record_done()?;
        }
        w.finish()
    }

    /// One outputs file per output directory, so a preview build into another
    /// folder does not wipe the record of `public/`.
    fn outputs_file(&self, out: &Path) -> PathBuf {
        let abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        let hash = blake3::hash(abs.as_os_str().as_encoded_bytes());
        let hex: String = hash.as_bytes()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.dir.join(format!("outputs-{hex}.bin"))
    }
}

/// The checksum closing a cache file: XXH3-128 of everything before it. It
/// guards against damage, not forgery (whoever can write the cache can write
/// the site), and blake3 over the whole parse cache cost a tenth of a rebuild.
fn checksum(bytes: &[u8]) -> [u8; SUM] {
    xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes()
}

/// Current time in ns since the epoch (for `started_ns`).
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
}

/// Writes header, blocks, end marker and checksum to a temporary file, then
/// renames it into place.
struct BlockWriter {
    file: BufWriter<File>,
    tmp: PathBuf,
    dest: PathBuf,
    hasher: Xxh3,
    enc: Enc,
}

impl BlockWriter {
    fn create(dir: &Path, name: &str, kind: u8) -> io::Result<BlockWriter> {
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let file = BufWriter::with_capacity(BLOCK, File::create(&tmp)?);
        let mut w = BlockWriter {
            file,
            tmp,
            dest: dir.join(name),
            hasher: Xxh3::new(),
            enc: Enc::default(),
        };
        let mut header = Enc::default();
        header.raw(MAGIC);
        header.u32(FORMAT);
        header.str(VERSION);
        header.u8(kind);
        w.put(&header.buf)?;
        Ok(w)
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hasher.update(bytes);
        self.file.write_all(bytes)
    }

    fn record_done(&mut self) -> io::Result<()> {
        if self.enc.buf.len() >= BLOCK {
            self.flush_block()?;
        }
        Ok(())
    }

    fn flush_block(&mut self) -> io::Result<()> {
        if self.enc.buf.is_empty() {
            return Ok(());
        }
        let block = std::mem::take(&mut self.enc.buf);
        self.put(&(block.len() as u32).to_le_bytes())?;
        self.put(&block)?;
        self.enc.buf = block;
        self.enc.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        let result = self.finish_inner();
        if result.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        result
    }

    fn finish_inner(&mut self) -> io::Result<()> {
        self.flush_block()?;
        self.put(&0u32.to_le_bytes())?;
        let sum = self.hasher.digest128().to_le_bytes();
        self.file.write_all(&sum)?;
        self.file.flush()?;
        std::fs::rename(&self.tmp, &self.dest)
    }
}

/// Reads what `BlockWriter` wrote: the whole file at once into a buffer the
/// caller keeps (shards are small, and one buffer serves many), then the
/// header, the checksum over everything, and block after block.
struct BlockReader<'a> {
    rest: &'a [u8],
    path: PathBuf,
}

impl<'a> BlockReader<'a> {
    /// `Ok(None)` when there is no file.
    fn open(
        path: &Path,
        kind: u8,
        buf: &'a mut Vec<u8>,
    ) -> Result<Option<BlockReader<'a>>, CacheError> {
        buf.clear();
        match File::open(path).and_then(|mut f| f.read_to_end(buf)) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(CacheError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
        let whole: &'a [u8] = buf;
        let mut r = BlockReader {
            rest: whole,
            path: path.to_path_buf(),
        };
        if r.take(MAGIC.len()).ok() != Some(MAGIC) {
            return Err(CacheError::Foreign {
                path: path.to_path_buf(),
            });
        }
        let format = u32::from_le_bytes(r.array()?);
        let len = u32::from_le_bytes(r.array()?) as usize;
        if len > 64 {
            return Err(r.damaged(DecodeError::Invalid("version")));
        }
        let version = String::from_utf8_lossy(r.take(len)?).into_owned();
        if format != FORMAT || version != VERSION {
            return Err(CacheError::Version {
                path: path.to_path_buf(),
                version,
                format,
            });
        }
        let [k] = r.array::<1>()?;
        if k != kind {
            return Err(CacheError::Foreign {
                path: path.to_path_buf(),
            });
        }
        // The checksum closes the file and covers everything before it.
        let summed = whole
            .len()
            .checked_sub(SUM)
            .filter(|&n| n >= whole.len() - r.rest.len());
        let ok = summed.is_some_and(|n| checksum(&whole[..n]) == whole[n..]);
        if !ok {
            return Err(r.damaged(DecodeError::Invalid("checksum mismatch")));
        }
        Ok(Some(r))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CacheError> {
        if self.rest.len() < n {
            return Err(self.damaged(DecodeError::Truncated));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CacheError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// The next block, or `None` at the end marker.
    fn next_block(&mut self) -> Result<Option<&'a [u8]>, CacheError> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        if len == 0 {
            return Ok(None);
        }
        if len > 64 * BLOCK {
            return Err(self.damaged(DecodeError::Invalid("block length")));
        }
        self.take(len).map(Some)
    }

    /// Checks that only the checksum (verified on opening) follows the end marker.
    fn finish(self) -> Result<(), CacheError> {
        if self.rest.len() == SUM {
            Ok(())
        } else {
            Err(self.damaged(DecodeError::Invalid("checksum mismatch")))
        }
    }

    fn damaged(&self, e: DecodeError) -> CacheError {
        CacheError::Damaged {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }
}

fn encode_file(e: &mut Enc, r: &FileRecord<'_>) {
    e.str(&r.content_path);
    e.u64(r.stamp.size);
    e.i64(r.stamp.mtime_ns);
    e.i64(r.stamp.ctime_ns);
    e.u64(r.stamp.inode);
    e.raw(r.hash);
    e.u32(r.diagnostics.len() as u32);
    for d in r.diagnostics {
        e.u8(match d.severity {
            Severity::Warning => 0,
            Severity::Error => 1,
        });
        e.path(&d.file);
        e.u64(d.line.map_or(0, |l| l as u64 + 1));
        e.str(&d.message);
    }
    match r.article {
        Some(a) => {
            e.u8(1);
            encode_article(e, a);
        }
        None => e.u8(0),
    }
}

fn decode_file(d: &mut Dec<'_>, started_ns: i64) -> Result<(String, Box<CachedFile>), DecodeError> {
    let key = d.string()?;
    let stamp = FileStamp {
        size: d.u64()?,
        mtime_ns: d.i64()?,
        ctime_ns: d.i64()?,
        inode: d.u64()?,
    };
    let hash = d.array()?;
    let n = d.u32()?;
    let mut diagnostics = Vec::new();
    for _ in 0..n {
        let severity = match d.u8()? {
            0 => Severity::Warning,
            1 => Severity::Error,
            _ => return Err(DecodeError::Invalid("severity")),
        };
        let file = d.path()?;
        let line = d.u64()?.checked_sub(1).map(|l| l as usize);
        let message = d.string()?;
        diagnostics.push(Diagnostic {
            severity,
            file,
            line,
            message,
        });
    }
    let article = match d.u8()? {
        0 => None,
        1 => Some(Box::new(decode_article(d)?)),
        _ => return Err(DecodeError::Invalid("option")),
    };
    Ok((
        key,
        Box::new(CachedFile {
            started_ns,
            stamp,
            hash,
            diagnostics,
            article,
        }),
    ))
}

fn encode_article(e: &mut Enc, a: &Article) {
    // Destructured in full so that a new field cannot be forgotten here.
    let Article {
        source,
        format,
        title,
        slug,
        explicit_slug,
        date,
        updated,
        date_source,
        tags,
        authors,
        section,
        summary,
        description,
        draft,
        aliases,
        url,
        dateline,
        credit,
        agency,
        image,
        image_meta,
        media,
        extra,
        unknown,
        expires,
        word_count,
        refs,
        hash,
    } = a;
    e.path(source);
    e.u8(match format {
        Format::Markdown => 0,
        Format::Wire => 1,
        Format::Html => 2,
    });
    e.str(title);
    e.str(slug);
    e.bool(*explicit_slug);
    e.date(*date);
    e.date(*updated);
    e.u8(match date_source {
        DateSource::FrontMatter => 0,
        DateSource::FileName => 1,
        DateSource::Path => 2,
        DateSource::DateLine => 3,
        DateSource::None => 4,
        DateSource::Page => 5,
        DateSource::Url => 6,
    });
    e.strs(tags);
    e.strs(authors);
    e.str(section);
    e.str(summary);
    e.str(description);
    e.bool(*draft);
    e.strs(aliases);
    e.opt_str(url.as_deref());
    e.opt_str(dateline.as_deref());
    e.opt_str(credit.as_deref());
    e.opt_str(agency.as_deref());
    e.opt_str(image.as_deref());
    encode_image_meta(e, image_meta.as_deref());
    e.u32(media.len() as u32);
    for m in media {
        e.str(&m.target);
        e.u32(m.line);
        e.u8(match m.kind {
            MediaKind::Image => 0,
            MediaKind::Link => 1,
            MediaKind::Lead => 2,
        });
    }
    if extra.is_empty() {
        e.str("");
    } else {
        e.str(&serde_json::Value::Object(extra.clone()).to_string());
    }
    e.strs(unknown);
    e.date(*expires);
    e.u64(*word_count as u64);
    e.strs(refs);
    e.raw(hash);
}

fn decode_article(d: &mut Dec<'_>) -> Result<Article, DecodeError> {
    Ok(Article {
        source: d.path()?,
        format: match d.u8()? {
            0 => Format::Markdown,
            1 => Format::Wire,
            2 => Format::Html,
            _ => return Err(DecodeError::Invalid("format")),
        },
        title: d.string()?,
        slug: d.string()?,
        explicit_slug: d.bool()?,
        date: d.date()?,
        updated: d.date()?,
        date_source: match d.u8()? {
            0 => DateSource::FrontMatter,
            1 => DateSource::FileName,
            2 => DateSource::Path,
            3 => DateSource::DateLine,
            4 => DateSource::None,
            5 => DateSource::Page,
            6 => DateSource::Url,
            _ => return Err(DecodeError::Invalid("date source")),
        },
        tags: d.strings()?,
        authors: d.strings()?,
        section: d.string()?,
        summary: d.string()?,
        description: d.string()?,
        draft: d.bool()?,
        aliases: d.strings()?,
        url: d.opt_string()?,
        dateline: d.opt_string()?,
        credit: d.opt_string()?,
        agency: d.opt_string()?,
        image: d.opt_string()?,
        image_meta: decode_image_meta(d)?.map(Box::new),
        media: decode_media(d)?,
        extra: match d.str()? {
            "" => serde_json::Map::new(),
            json => match serde_json::from_str(json) {
                Ok(serde_json::Value::Object(map)) => map,
                _ => return Err(DecodeError::Invalid("extra")),
            },
        },
        unknown: d.strings()?,
        expires: d.date()?,
        word_count: d.u64()? as usize,
        refs: d.strings()?,
        hash: d.array()?,
    })
}

fn encode_image_meta(e: &mut Enc, m: Option<&ImageMeta>) {
    let Some(m) = m else {
        e.u8(0);
        return;
    };
    let ImageMeta {
        alt,
        caption,
        figcaption_html,
        credit,
        focus,
    } = m;
    e.u8(1);
    e.opt_str(alt.as_deref());
    e.opt_str(caption.as_deref());
    e.opt_str(figcaption_html.as_deref());
    e.opt_str(credit.as_deref());
    match focus {
        Some((x, y)) => {
            e.u8(1);
            e.u32(x.to_bits());
            e.u32(y.to_bits());
        }
        None => e.u8(0),
    }
}

fn decode_image_meta(d: &mut Dec<'_>) -> Result<Option<ImageMeta>, DecodeError> {
    if !d.bool()? {
        return Ok(None);
    }
    Ok(Some(ImageMeta {
        alt: d.opt_string()?,
        caption: d.opt_string()?,
        figcaption_html: d.opt_string()?,
        credit: d.opt_string()?,
        focus: match d.bool()? {
            true => Some((f32::from_bits(d.u32()?), f32::from_bits(d.u32()?))),
            false => None,
        },
    }))
}

fn decode_media(d: &mut Dec<'_>) -> Result<Vec<MediaRef>, DecodeError> {
    let n = d.u32()? as usize;
    // Each record takes at least 9 bytes: a damaged count cannot allocate much.
    let mut media = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        media.push(MediaRef {
            target: d.string()?,
            line: d.u32()?,
            kind: match d.u8()? {
                0 => MediaKind::Image,
                1 => MediaKind::Link,
                2 => MediaKind::Lead,
                _ => return Err(DecodeError::Invalid("media kind")),
            },
        });
    }
    Ok(media)
}

fn decode_output(d: &mut Dec<'_>) -> Result<OutputRecord, DecodeError> {
    Ok(OutputRecord {
        path: d.string()?,
        fingerprint: d.array()?,
        content: d.array()?,
    })
}

#[cfg(test)]
mod tests;
