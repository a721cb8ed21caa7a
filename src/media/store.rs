//! The photo cache in `.broadsheet-cache/media/`: `index.bin` (per source
//! photo: its stamp, content hash and probed size, so a rebuild reads no
//! unchanged photo) and one pack per processed photo, named by the hash of
//! its source bytes and every setting that changes what is made (so a
//! rebuild never encodes an unchanged photo again, and a clean output folder
//! is refilled from the packs). Every file ends with an XXH3-128 checksum;
//! a damaged or foreign file is ignored (the photo is made again). Files are
//! written to a temporary name and renamed into place.

use std::io;
use std::path::{Path, PathBuf};

use ahash::AHashMap as HashMap;

use super::photo::{Made, Probe};
use crate::cache::codec::{Dec, Enc};
use crate::source::FileStamp;

const MAGIC: &[u8] = b"broadsheet-media\n";
const FORMAT: u32 = 1;

/// What the index remembers of one source photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub stamp: FileStamp,
    pub hash: [u8; 16],
    pub probe: Probe,
}

/// The photo cache of one site.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store under a cache folder (`.broadsheet-cache`).
    pub fn new(cache_dir: &Path) -> Store {
        Store {
            dir: cache_dir.join("media"),
        }
    }

    /// The index: source path under content/ -> what was known, and when the
    /// build that wrote it started. Empty when missing or unreadable.
    pub fn load_index(&self) -> (HashMap<String, Known>, i64) {
        let Some(data) = read_checked(&self.dir.join("index.bin")) else {
            return (HashMap::new(), 0);
        };
        decode_index(&data).unwrap_or_default()
    }

    pub fn save_index<'a>(
        &self,
        started_ns: i64,
        entries: impl Iterator<Item = (&'a str, &'a Known)>,
    ) -> io::Result<()> {
        let mut e = Enc::default();
        e.i64(started_ns);
        for (path, k) in entries {
            e.str(path);
            e.u64(k.stamp.size);
            e.i64(k.stamp.mtime_ns);
            e.i64(k.stamp.ctime_ns);
            e.u64(k.stamp.inode);
            e.raw(&k.hash);
            e.u32(k.probe.width);
            e.u32(k.probe.height);
            e.u8(k.probe.orientation);
        }
        write_checked(&self.dir, "index.bin", &e.buf)
    }

    /// The files made of a photo under `key`, when a pack holds them.
    pub fn load_pack(&self, key: &[u8; 16]) -> Option<Made> {
        let data = read_checked(&self.pack_path(key))?;
        let mut d = Dec::new(&data);
        let n = d.u32().ok()? as usize;
        let mut made = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let name = d.string().ok()?;
            let len = d.u64().ok()? as usize;
            made.push((name, d.raw(len).ok()?.to_vec()));
        }
        d.is_empty().then_some(made)
    }

    pub fn save_pack(&self, key: &[u8; 16], made: &Made) -> io::Result<()> {
        let total: usize = made.iter().map(|(n, b)| n.len() + b.len() + 16).sum();
        let mut e = Enc {
            buf: Vec::with_capacity(total + 8),
        };
        e.u32(made.len() as u32);
        for (name, bytes) in made {
            e.str(name);
            e.u64(bytes.len() as u64);
            e.raw(bytes);
        }
        write_checked(&self.dir, &pack_name(key), &e.buf)
    }

    /// Removes the packs no key in `keep` names (photos replaced or gone).
    pub fn prune(&self, keep: &std::collections::HashSet<String>) -> io::Result<usize> {
        let mut removed = 0;
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".pack") && !keep.contains(&name) {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    fn pack_path(&self, key: &[u8; 16]) -> PathBuf {
        self.dir.join(pack_name(key))
    }
}

/// The file name of the pack under `key`.
pub fn pack_name(key: &[u8; 16]) -> String {
    let mut name: String = key.iter().map(|b| format!("{b:02x}")).collect();
    name.push_str(".pack");
    name
}

fn decode_index(data: &[u8]) -> Option<(HashMap<String, Known>, i64)> {
    let mut d = Dec::new(data);
    let started = d.i64().ok()?;
    let mut map = HashMap::new();
    while !d.is_empty() {
        let path = d.string().ok()?;
        let stamp = FileStamp {
            size: d.u64().ok()?,
            mtime_ns: d.i64().ok()?,
            ctime_ns: d.i64().ok()?,
            inode: d.u64().ok()?,
        };
        let hash = d.array().ok()?;
        let probe = Probe {
            width: d.u32().ok()?,
            height: d.u32().ok()?,
            orientation: d.u8().ok()?,
        };
        map.insert(path, Known { stamp, hash, probe });
    }
    Some((map, started))
}

/// The body of a file written by `write_checked`, or `None` when it is
/// missing, foreign, from another format or damaged.
fn read_checked(path: &Path) -> Option<Vec<u8>> {
    let data = std::fs::read(path).ok()?;
    let head = MAGIC.len() + 4;
    let n = data.len().checked_sub(16).filter(|&n| n >= head)?;
    if !data.starts_with(MAGIC) || crate::digest::hash16(&data[..n]) != data[n..] {
        return None;
    }
    let format = u32::from_le_bytes(data[MAGIC.len()..head].try_into().ok()?);
    (format == FORMAT).then(|| data[head..n].to_vec())
}

fn write_checked(dir: &Path, name: &str, body: &[u8]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut data = Vec::with_capacity(MAGIC.len() + 4 + body.len() + 16);
    data.extend_from_slice(MAGIC);
    data.extend_from_slice(&FORMAT.to_le_bytes());
    data.extend_from_slice(body);
    let sum = crate::digest::hash16(&data);
    data.extend_from_slice(&sum);
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, &data)?;
    std::fs::rename(&tmp, dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_the_index_read_back_and_damage_is_ignored() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::new(tmp.path());
        let key = [7u8; 16];
        let made: Made = vec![
            ("a.jpg".into(), vec![1, 2, 3]),
            ("a-480w.webp".into(), vec![]),
        ];
        store.save_pack(&key, &made).expect("save");
        assert_eq!(store.load_pack(&key), Some(made));
        let known = Known {
            stamp: FileStamp {
                size: 3,
                mtime_ns: 4,
                ctime_ns: 5,
                inode: 6,
            },
            hash: [9; 16],
            probe: Probe {
                width: 30,
                height: 20,
                orientation: 6,
            },
        };
        store
            .save_index(42, [("news/a.jpg", &known)].into_iter())
            .expect("save");
        let (index, started) = store.load_index();
        assert_eq!((index.get("news/a.jpg"), started), (Some(&known), 42));
        let path = store.pack_path(&key);
        let mut bytes = std::fs::read(&path).expect("read");
        bytes[MAGIC.len() + 6] ^= 1;
        std::fs::write(&path, bytes).expect("write");
        assert_eq!(store.load_pack(&key), None);
        let keep = std::collections::HashSet::new();
        assert_eq!(store.prune(&keep).expect("prune"), 1);
    }
}
