//! File layout of the index: manifest, token shards, large postings, page chunks.
//!
//! Shard files are binary, made of unsigned LEB128 varints (`v`) and bytes:
//! ```text
//! shard    := v(token count) entry*            entries sorted by token bytes
//! entry    := v(len) token-utf8 v(df) v(mode) [mode 0: v(len) postings]
//!             mode 1: postings are in p/<shard hex>-<k>.bin, k = 0,1,.. in entry order
//! postings := (v(doc − previous doc) impact-byte)*   first delta from 0
//! ```
//! A token belongs to shard `fnv1a32(utf8) & (shards − 1)`. `search.js` decodes the same.

use super::Document;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Target size of a shard file on a small site: a query downloads about one shard per
/// distinct token, so small shards mean small downloads. The shard count is a power of two,
/// at most [`MAX_SHARDS`] (large sites get larger shards rather than too many files).
pub const SHARD_TARGET: usize = 512;
/// Most shard files a site gets.
pub const MAX_SHARDS: usize = 1024;
/// Postings larger than this (on a small site) go to a file of their own, so that a shard
/// stays small.
pub const EXTERNAL_MIN: usize = 768;
/// Target size of a metadata chunk on a small site.
pub const META_TARGET: usize = 2 * 1024;
/// Target size of a text chunk on a small site. Large sites (scale 2 and more, see
/// [`scale`]) get text chunks twice as large again: a query fetches text for the ten
/// results it shows only (metadata for twenty), the text compresses to a third, and every
/// file saved is a file creation saved at build time (at 10,000 pages: 1,255 chunks instead
/// of 2,510, for about 16 KB more, compressed, in the largest first answer).
pub const TEXT_TARGET: usize = 2 * 1024;
/// Characters of page text kept as excerpt source.
pub const TEXT_MAX: usize = 600;
/// Documents per step of [`scale`].
pub const SCALE_STEP: usize = 2500;
/// Largest [`scale`].
pub const MAX_SCALE: usize = 4;

/// How much larger than on a small site the files of a site of `n` documents are: 1 up to
/// 2,499 documents, then one more per [`SCALE_STEP`], at most [`MAX_SCALE`]. Every file
/// costs a file creation at build time (about 0.1 ms of system time) and large sites would
/// otherwise get tens of thousands; four times larger files keep a 10,000-page site at a few
/// thousand while a query still downloads well under its budget.
pub fn scale(n: usize) -> usize {
    (n / SCALE_STEP + 1).min(MAX_SCALE)
}

/// 32-bit FNV-1a: small, and the same few lines in `search.js`.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Appends `n` as an unsigned LEB128 varint.
pub fn varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// Format version of these files.
    format: u32,
    /// Content hash, for cache busting (`?v=`).
    v: String,
    /// Number of documents.
    n: usize,
    /// Number of shards (a power of two).
    shards: usize,
    /// Documents per metadata chunk and per text chunk.
    meta_per: usize,
    text_per: usize,
    /// Query expansion: word → alternatives.
    synonyms: &'a BTreeMap<String, Vec<String>>,
}

#[derive(Serialize)]
struct Meta<'a> {
    u: &'a str,
    t: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    b: &'a [Cow<'a, str>],
    k: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    a: &'a [Cow<'a, str>],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    l: &'a [Cow<'a, str>],
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    crate::text::json::to_vec(value, false)
}

/// Length of a value's JSON, without building it.
fn json_len<T: Serialize>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    // Writing plain structs of strings and numbers to a counter cannot fail.
    let _ = serde_json::to_writer(&mut c, value);
    c.0
}

/// Documents per chunk so that a chunk is about `target` bytes.
fn per_chunk(sizes: impl ExactSizeIterator<Item = usize>, target: usize) -> usize {
    let n = sizes.len();
    let total: usize = sizes.sum();
    if n == 0 || total == 0 {
        return 1;
    }
    (target * n / total).max(1)
}

/// FNV-1a of `bytes`, continuing from `state`.
fn fnv1a32_from(mut h: u32, bytes: &[u8]) -> u32 {
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The postings of one token, as [`write`] takes them: token, document frequency, encoded
/// list (see [`super::index::TokenPostings`]).
pub type Postings<'a> = (&'a str, u32, &'a [u8]);

/// How the files of an index are cut: shard count, which postings go to files of their
/// own, documents per metadata and per text chunk. The same inputs give the same layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub shards: usize,
    pub external_min: usize,
    pub meta_per: usize,
    pub text_per: usize,
}

/// JSON length of a document's metadata entry (for [`Layout::new`]).
pub fn meta_len(d: &Document) -> usize {
    json_len(&meta(d))
}

/// JSON length of a document's text entry (for [`Layout::new`]).
pub fn text_len(d: &Document) -> usize {
    json_len(&excerpt_source(&d.body))
}

fn meta<'a>(d: &'a Document<'a>) -> Meta<'a> {
    Meta {
        u: &d.url,
        t: &d.title,
        b: &d.breadcrumb,
        k: &d.kind,
        a: &d.audience,
        l: &d.lead_units,
    }
}

impl Layout {
    /// The layout of `docs` documents with these postings (sorted by token) and these
    /// [`meta_len`]s and [`text_len`]s of the documents.
    pub fn new(postings: &[Postings], meta_lens: &[usize], text_lens: &[usize]) -> Layout {
        let f = scale(meta_lens.len());
        let external_min = EXTERNAL_MIN * f;
        let inline_bytes: usize = postings
            .iter()
            .map(|(token, _, bytes)| {
                token.len()
                    + 4
                    + if bytes.len() > external_min {
                        0
                    } else {
                        bytes.len()
                    }
            })
            .sum();
        Layout {
            shards: (inline_bytes / (SHARD_TARGET * f))
                .max(1)
                .next_power_of_two()
                .min(MAX_SHARDS),
            external_min,
            meta_per: per_chunk(meta_lens.iter().copied(), META_TARGET * f),
            text_per: per_chunk(text_lens.iter().copied(), TEXT_TARGET * f * f.min(2)),
        }
    }

    /// The shard of a token.
    pub fn shard_of(&self, token: &str) -> usize {
        fnv1a32(token.as_bytes()) as usize & (self.shards - 1)
    }

    /// Number of metadata and text chunks of `n` documents.
    pub fn chunks(&self, n: usize) -> (usize, usize) {
        (n.div_ceil(self.meta_per), n.div_ceil(self.text_per))
    }

    /// The files of shard `s`, whose postings (sorted by token) are `bucket`: its large
    /// postings, then the shard file itself.
    pub fn shard_files(&self, s: usize, bucket: &[&Postings]) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut shard = Vec::new();
        varint(&mut shard, bucket.len() as u64);
        for &&(token, df, bytes) in bucket {
            varint(&mut shard, token.len() as u64);
            shard.extend_from_slice(token.as_bytes());
            varint(&mut shard, u64::from(df));
            if bytes.len() > self.external_min {
                varint(&mut shard, 1);
                let k = files.len();
                files.push((format!("search/p/{s:x}-{k}.bin"), bytes.to_vec()));
            } else {
                varint(&mut shard, 0);
                varint(&mut shard, bytes.len() as u64);
                shard.extend_from_slice(bytes);
            }
        }
        files.push((format!("search/s/{s:x}.bin"), shard));
        files
    }

    /// Metadata chunk `n` of the documents.
    pub fn meta_file(&self, n: usize, docs: &[&Document]) -> (String, Vec<u8>) {
        let metas: Vec<Meta> = chunk(docs, n, self.meta_per)
            .iter()
            .map(|d| meta(d))
            .collect();
        (format!("search/m/{n}.json"), to_json(&metas))
    }

    /// Text chunk `n` of the documents.
    pub fn text_file(&self, n: usize, docs: &[&Document]) -> (String, Vec<u8>) {
        let texts: Vec<String> = chunk(docs, n, self.text_per)
            .iter()
            .map(|d| excerpt_source(&d.body))
            .collect();
        (format!("search/x/{n}.json"), to_json(&texts))
    }

    /// The manifest; `version` is the [`Version`] of every other file.
    pub fn manifest(
        &self,
        n: usize,
        synonyms: &BTreeMap<String, Vec<String>>,
        version: Version,
    ) -> (String, Vec<u8>) {
        let manifest = Manifest {
            format: 1,
            v: format!("{:08x}", version.0),
            n,
            shards: self.shards,
            meta_per: self.meta_per,
            text_per: self.text_per,
            synonyms,
        };
        ("search/manifest.json".to_string(), to_json(&manifest))
    }
}

fn chunk<'a, 'b>(docs: &'b [&'a Document<'a>], n: usize, per: usize) -> &'b [&'a Document<'a>] {
    let start = (n * per).min(docs.len());
    &docs[start..(start + per).min(docs.len())]
}

/// The manifest's version: a hash of every index file's path and contents hash, in the
/// order [`write`] makes them (for cache busting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(u32);

impl Default for Version {
    fn default() -> Self {
        Version(0x811c_9dc5)
    }
}

impl Version {
    /// Adds a file whose contents hash ([`fnv1a32`]) is `hash`.
    pub fn add(&mut self, path: &str, hash: u32) {
        let h = fnv1a32_from(self.0, path.as_bytes());
        self.0 = fnv1a32_from(h, &hash.to_le_bytes());
    }
}

/// Shards made at once by [`write`]: bounds the memory of a large index to a group's files.
const GROUP: usize = 64;

/// Passes every file to `emit`, the manifest last, made a group at a time (in parallel) so
/// that a large index is never held in memory whole. The files of a group are passed on
/// the build's threads at once (a large index is thousands of files, and making each one is
/// much of its cost on disk); the manifest, whose version covers every other file, after
/// them all. `postings` are sorted by token.
pub fn write(
    docs: &[&Document],
    postings: &[Postings],
    synonyms: &BTreeMap<String, Vec<String>>,
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
) {
    let meta_lens: Vec<usize> = docs.par_iter().map(|d| meta_len(d)).collect();
    let text_lens: Vec<usize> = docs.par_iter().map(|d| text_len(d)).collect();
    let layout = Layout::new(postings, &meta_lens, &text_lens);
    let mut version = Version::default();
    let mut out = |files: Vec<(String, Vec<u8>)>| {
        let hashes: Vec<u32> = files.par_iter().map(|(_, b)| fnv1a32(b)).collect();
        for ((path, _), h) in files.iter().zip(hashes) {
            version.add(path, h);
        }
        files
            .into_par_iter()
            .for_each(|(path, bytes)| emit(path, bytes));
    };
    let mut buckets: Vec<Vec<&Postings>> = (0..layout.shards).map(|_| Vec::new()).collect();
    for p in postings {
        buckets[layout.shard_of(p.0)].push(p);
    }
    for (g, group) in buckets.chunks(GROUP).enumerate() {
        let files: Vec<Vec<(String, Vec<u8>)>> = group
            .par_iter()
            .enumerate()
            .map(|(i, bucket)| layout.shard_files(g * GROUP + i, bucket))
            .collect();
        out(files.into_iter().flatten().collect());
    }
    let (metas, texts) = layout.chunks(docs.len());
    for start in (0..metas).step_by(GROUP) {
        let end = (start + GROUP).min(metas);
        out((start..end)
            .into_par_iter()
            .map(|n| layout.meta_file(n, docs))
            .collect());
    }
    for start in (0..texts).step_by(GROUP) {
        let end = (start + GROUP).min(texts);
        out((start..end)
            .into_par_iter()
            .map(|n| layout.text_file(n, docs))
            .collect());
    }
    let (path, bytes) = layout.manifest(docs.len(), synonyms, version);
    emit(path, bytes);
}

/// The page text kept for excerpts: whitespace collapsed, at most [`TEXT_MAX`] characters.
fn excerpt_source(body: &str) -> String {
    let mut out = String::new();
    for (n, word) in body.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.chars().take(TEXT_MAX).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_and_varint_match_the_reference_values() {
        assert_eq!(fnv1a32(b""), 0x811c9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c292c);
        let mut v = Vec::new();
        varint(&mut v, 300);
        varint(&mut v, 5);
        assert_eq!(v, [0xac, 0x02, 0x05]);
    }
}
