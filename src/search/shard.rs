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
use super::index::Postings;
use serde::Serialize;
use std::collections::BTreeMap;

/// Target size of a shard file: a query downloads about one shard per distinct token, so
/// small shards mean small downloads. The shard count is a power of two, at most
/// [`MAX_SHARDS`] (large sites get larger shards rather than too many files).
pub const SHARD_TARGET: usize = 1024;
/// Most shard files a site gets.
pub const MAX_SHARDS: usize = 4096;
/// Postings larger than this go to a file of their own, so that a shard stays small.
pub const EXTERNAL_MIN: usize = 768;
/// Target size of a metadata chunk.
pub const META_TARGET: usize = 2 * 1024;
/// Target size of a text chunk.
pub const TEXT_TARGET: usize = 2 * 1024;
/// Characters of page text kept as excerpt source.
pub const TEXT_MAX: usize = 800;

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

fn encode_postings(list: &Postings) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 2);
    let mut prev = 0;
    for &(doc, impact) in list {
        varint(&mut out, u64::from(doc - prev));
        out.push(impact);
        prev = doc;
    }
    out
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
    b: &'a [String],
    k: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    a: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    l: &'a [String],
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// Documents per chunk so that a chunk is about `target` bytes.
fn per_chunk(sizes: &[usize], target: usize) -> usize {
    let total: usize = sizes.iter().sum();
    if sizes.is_empty() || total == 0 {
        return 1;
    }
    (target * sizes.len() / total).max(1)
}

/// Every index file, sorted by path.
pub fn write(
    docs: &[&Document],
    postings: &[(String, Postings)],
    synonyms: &BTreeMap<String, Vec<String>>,
) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();

    // Token shards.
    let encoded: Vec<(&str, usize, Vec<u8>)> = postings
        .iter()
        .map(|(t, list)| (t.as_str(), list.len(), encode_postings(list)))
        .collect();
    let inline_bytes: usize = encoded
        .iter()
        .map(|(t, _, p)| t.len() + 4 + if p.len() > EXTERNAL_MIN { 0 } else { p.len() })
        .sum();
    let shards = (inline_bytes / SHARD_TARGET)
        .max(1)
        .next_power_of_two()
        .min(MAX_SHARDS);
    let mut buckets: Vec<Vec<&(&str, usize, Vec<u8>)>> = vec![Vec::new(); shards];
    for e in &encoded {
        buckets[fnv1a32(e.0.as_bytes()) as usize & (shards - 1)].push(e);
    }
    for (s, bucket) in buckets.iter().enumerate() {
        let mut out = Vec::new();
        varint(&mut out, bucket.len() as u64);
        let mut external = 0;
        for (tok, df, bytes) in bucket {
            varint(&mut out, tok.len() as u64);
            out.extend_from_slice(tok.as_bytes());
            varint(&mut out, *df as u64);
            if bytes.len() > EXTERNAL_MIN {
                varint(&mut out, 1);
                files.push((format!("search/p/{s:x}-{external}.bin"), bytes.clone()));
                external += 1;
            } else {
                varint(&mut out, 0);
                varint(&mut out, bytes.len() as u64);
                out.extend_from_slice(bytes);
            }
        }
        files.push((format!("search/s/{s:x}.bin"), out));
    }

    // Page metadata and text chunks.
    let metas: Vec<Vec<u8>> = docs
        .iter()
        .map(|d| {
            to_json(&Meta {
                u: &d.url,
                t: &d.title,
                b: &d.breadcrumb,
                k: &d.kind,
                a: &d.audience,
                l: &d.lead_units,
            })
        })
        .collect();
    let texts: Vec<Vec<u8>> = docs
        .iter()
        .map(|d| to_json(&excerpt_source(&d.body)))
        .collect();
    let meta_per = per_chunk(&metas.iter().map(Vec::len).collect::<Vec<_>>(), META_TARGET);
    let text_per = per_chunk(&texts.iter().map(Vec::len).collect::<Vec<_>>(), TEXT_TARGET);
    for (dir, items, per) in [("m", &metas, meta_per), ("x", &texts, text_per)] {
        for (n, chunk) in items.chunks(per).enumerate() {
            let mut out = b"[".to_vec();
            for (i, item) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(item);
            }
            out.push(b']');
            files.push((format!("search/{dir}/{n}.json"), out));
        }
    }

    let mut hash = 0x811c_9dc5u32;
    for (path, bytes) in &files {
        hash = fnv1a32(&[&hash.to_le_bytes()[..], path.as_bytes(), bytes].concat());
    }
    let manifest = Manifest {
        format: 1,
        v: format!("{hash:08x}"),
        n: docs.len(),
        shards,
        meta_per,
        text_per,
        synonyms,
    };
    files.push(("search/manifest.json".to_string(), to_json(&manifest)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
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

    #[test]
    fn postings_are_delta_encoded() {
        assert_eq!(
            encode_postings(&vec![(3, 200), (130, 7)]),
            [3, 200, 0x7f, 7]
        );
    }
}
