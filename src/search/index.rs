//! Scoring at build time: BM25F term impacts per (token, page), with field weights.
//!
//! For token `t` and page `d`, `tf = Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)`
//! over the fields below, and the stored impact is `tf · (k1 + 1) / (k1 + tf)` scaled to a
//! byte (1..=255). The browser multiplies it by the token's IDF, computed from the document
//! frequency stored beside the postings, so the ranking is BM25 with field weights.

use super::Document;
use super::shard::varint;
use super::tokenize::{Token, Tokenizer};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// BM25 saturation.
pub const K1: f32 = 1.2;

/// One weighted field.
struct Field {
    weight: f32,
    b: f32,
    pinyin: bool,
    text: for<'a> fn(&'a Document<'a>) -> Vec<&'a str>,
}

/// Title > headings > units > body. Pinyin only where people type names: titles (unit pages
/// have the unit name as title), headings, lead units; not the long lists of 责任单位.
const FIELDS: [Field; 7] = [
    Field {
        weight: 6.0,
        b: 0.3,
        pinyin: true,
        text: |d| vec![d.title.as_ref()],
    },
    Field {
        weight: 3.0,
        b: 0.5,
        pinyin: true,
        text: |d| d.headings.iter().map(|s| s.as_ref()).collect(),
    },
    Field {
        weight: 2.5,
        b: 0.3,
        pinyin: true,
        text: |d| d.lead_units.iter().map(|s| s.as_ref()).collect(),
    },
    Field {
        weight: 1.5,
        b: 0.5,
        pinyin: false,
        text: |d| d.units.iter().map(|s| s.as_ref()).collect(),
    },
    Field {
        weight: 1.5,
        b: 0.5,
        pinyin: false,
        text: |d| {
            d.audience
                .iter()
                .chain(&d.targets)
                .map(|s| s.as_ref())
                .collect()
        },
    },
    Field {
        weight: 0.7,
        b: 0.3,
        pinyin: false,
        text: |d| d.breadcrumb.iter().map(|s| s.as_ref()).collect(),
    },
    Field {
        weight: 1.0,
        b: 0.75,
        pinyin: false,
        text: |d| vec![d.body.as_ref()],
    },
];

/// Number of weighted fields.
pub const NF: usize = FIELDS.len();

/// Documents tokenized at once: bounds memory on large sites to one batch's token lists.
const BATCH: usize = 512;

/// The postings of one token: document frequency and the encoded list
/// `(v(doc − previous doc) impact-byte)*` by document number, first delta from 0
/// (the format of [`shard`](super::shard)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPostings {
    pub token: String,
    pub df: u32,
    pub bytes: Vec<u8>,
}

/// Han n-grams as integers: one character, or two with the top bit set.
fn han_key(t: Token<'_>) -> Option<u64> {
    match t {
        Token::Han1(c) => Some(u64::from(c)),
        Token::Han2(a, b) => Some(1 << 63 | u64::from(a) << 21 | u64::from(b)),
        Token::Text(_) => None,
    }
}

fn han_token(key: u64) -> String {
    let ch = |k: u64| char::from_u32((k & 0x1f_ffff) as u32).unwrap_or('\u{fffd}');
    if key >> 63 == 1 {
        [ch(key >> 21), ch(key)].iter().collect()
    } else {
        ch(key).to_string()
    }
}

/// Tokens of one document with their impacts.
#[derive(Debug, Default, PartialEq)]
pub struct DocTokens {
    pub han: Vec<(u64, u8)>,
    pub text: Vec<(String, u8)>,
}

impl DocTokens {
    /// Every token as a string, with its impact.
    pub fn into_strings(self) -> impl Iterator<Item = (String, u8)> {
        self.han
            .into_iter()
            .map(|(k, i)| (han_token(k), i))
            .chain(self.text)
    }

    /// The tokens split into `n` partitions by hash: a token is always in the same one.
    fn split(self, n: usize) -> Vec<DocTokens> {
        let mut parts: Vec<DocTokens> = (0..n).map(|_| DocTokens::default()).collect();
        for (key, imp) in self.han {
            parts[partition(&key, n)].han.push((key, imp));
        }
        for (tok, imp) in self.text {
            parts[partition(tok.as_str(), n)].text.push((tok, imp));
        }
        parts
    }
}

/// The partition of a token among `n`.
fn partition<T: std::hash::Hash + ?Sized>(token: &T, n: usize) -> usize {
    use std::hash::BuildHasher;
    (rustc_hash::FxBuildHasher.hash_one(token) % n as u64) as usize
}

/// Per-thread buffers, reused from one document to the next.
#[derive(Default)]
pub struct Scratch {
    tokenizer: Tokenizer,
    han: FxHashMap<u64, [u16; NF]>,
    text: FxHashMap<String, [u16; NF]>,
}

/// Postings under construction, appended in document order.
#[derive(Default)]
struct Acc {
    df: u32,
    last: u32,
    bytes: Vec<u8>,
}

impl Acc {
    fn push(&mut self, doc: u32, impact: u8) {
        varint(&mut self.bytes, u64::from(doc - self.last));
        self.bytes.push(impact);
        self.last = doc;
        self.df += 1;
    }
}

/// Length of every field of a document, for length normalization.
pub type Lens = [f32; NF];

/// The field lengths of one document.
pub fn lens(tk: &mut Tokenizer, d: &Document) -> Lens {
    let mut l = [0.0; NF];
    for (i, f) in FIELDS.iter().enumerate() {
        l[i] = (f.text)(d).iter().map(|t| tk.field_len(t)).sum::<usize>() as f32;
    }
    l
}

/// Average field lengths, each rounded to an eighth of an octave (2^(k/8)). Rounding costs
/// nothing in ranking (BM25 normalization is smooth in the average) and keeps the averages,
/// and so every other page's impacts, the same when one page is edited: the watcher then
/// updates only the postings of the edited page's tokens (see [`super::live`]).
pub fn averages(lens: &[Lens]) -> Lens {
    let mut avg = [0.0f32; NF];
    for l in lens {
        for i in 0..NF {
            avg[i] += l[i];
        }
    }
    for a in &mut avg {
        let mean = if lens.is_empty() {
            1.0
        } else {
            (*a / lens.len() as f32).max(1.0)
        };
        *a = ((mean.log2() * 8.0).round() / 8.0).exp2();
    }
    avg
}

/// Postings of every token, sorted by token.
pub fn build(docs: &[&Document]) -> Vec<TokenPostings> {
    build_with_lens(docs).0
}

/// Postings of every token, sorted by token, and the field lengths of every document.
///
/// Tokens are split by hash into partitions, one per thread: each partition gathers the
/// postings of its own tokens, so the merge of a batch runs on every thread at once. A
/// token's postings are in document order whatever the partition, and the list is sorted
/// by token at the end, so the result does not depend on the number of threads.
pub fn build_with_lens(docs: &[&Document]) -> (Vec<TokenPostings>, Vec<Lens>) {
    let lens: Vec<Lens> = docs
        .par_iter()
        .map_init(Tokenizer::default, |tk, d| lens(tk, d))
        .collect();
    let avg = averages(&lens);
    let n_parts = rayon::current_num_threads().clamp(1, 16);
    let mut parts: Vec<Partition> = (0..n_parts).map(|_| Partition::default()).collect();
    for (b, batch) in docs.chunks(BATCH).enumerate() {
        let per_doc: Vec<Vec<DocTokens>> = batch
            .par_iter()
            .zip(&lens[b * BATCH..])
            .map_init(Scratch::default, |s, (d, len)| {
                doc_impacts(s, d, len, &avg).split(n_parts)
            })
            .collect();
        // Transposed: for each partition, its tokens of each document of the batch.
        let mut by_part: Vec<Vec<DocTokens>> = (0..n_parts)
            .map(|_| Vec::with_capacity(batch.len()))
            .collect();
        for doc in per_doc {
            for (p, tokens) in doc.into_iter().enumerate() {
                by_part[p].push(tokens);
            }
        }
        let first = (b * BATCH) as u32;
        parts.par_iter_mut().zip(by_part).for_each(|(part, docs)| {
            for (i, tokens) in docs.into_iter().enumerate() {
                part.add(first + i as u32, tokens);
            }
        });
    }
    let mut postings: Vec<TokenPostings> = parts
        .into_par_iter()
        .flat_map_iter(Partition::into_postings)
        .collect();
    postings.par_sort_unstable_by(|a, b| a.token.cmp(&b.token));
    (postings, lens)
}

/// A new token's postings: its id, the next in `accs`.
fn new_acc(accs: &mut Vec<Acc>) -> u32 {
    accs.push(Acc::default());
    (accs.len() - 1) as u32
}

/// The postings of the tokens of one partition, as [`build_with_lens`] gathers them.
#[derive(Default)]
struct Partition {
    han_ids: FxHashMap<u64, u32>,
    text_ids: FxHashMap<String, u32>,
    /// By token id; ids are given in order of first appearance.
    accs: Vec<Acc>,
}

impl Partition {
    /// Appends document `n`'s impacts to the postings of its tokens.
    fn add(&mut self, n: u32, tokens: DocTokens) {
        let Partition {
            han_ids,
            text_ids,
            accs,
        } = self;
        for (key, imp) in tokens.han {
            let id = *han_ids.entry(key).or_insert_with(|| new_acc(accs));
            accs[id as usize].push(n, imp);
        }
        for (tok, imp) in tokens.text {
            let id = *text_ids.entry(tok).or_insert_with(|| new_acc(accs));
            accs[id as usize].push(n, imp);
        }
    }

    /// The finished postings, in no particular order.
    fn into_postings(self) -> impl Iterator<Item = TokenPostings> {
        let mut accs: Vec<Option<Acc>> = self.accs.into_iter().map(Some).collect();
        let named: Vec<(String, u32)> = self
            .han_ids
            .into_iter()
            .map(|(k, id)| (han_token(k), id))
            .chain(self.text_ids)
            .collect();
        named.into_iter().filter_map(move |(token, id)| {
            let acc = accs[id as usize].take()?;
            Some(TokenPostings {
                token,
                df: acc.df,
                bytes: acc.bytes,
            })
        })
    }
}

/// Impact of every token of one document, given its field lengths and the averages.
pub fn doc_impacts(s: &mut Scratch, d: &Document, len: &Lens, avg: &Lens) -> DocTokens {
    let Scratch {
        tokenizer,
        han,
        text,
    } = s;
    han.clear();
    text.clear();
    for (i, f) in FIELDS.iter().enumerate() {
        for t in (f.text)(d) {
            tokenizer.tokens(t, f.pinyin, &mut |tok| {
                let counts = match han_key(tok) {
                    Some(k) => han.entry(k).or_insert([0; NF]),
                    None => {
                        let Token::Text(t) = tok else { return };
                        if !text.contains_key(t) {
                            text.insert(t.to_string(), [0; NF]);
                        }
                        text.get_mut(t).expect("just inserted")
                    }
                };
                counts[i] = counts[i].saturating_add(1);
            });
        }
    }
    let weigh = |counts: &[u16; NF]| -> u8 {
        let w: f32 = FIELDS
            .iter()
            .enumerate()
            .map(|(i, f)| f.weight * counts[i] as f32 / (1.0 - f.b + f.b * len[i] / avg[i]))
            .sum();
        quantize(w)
    };
    DocTokens {
        han: han.iter().map(|(k, c)| (*k, weigh(c))).collect(),
        text: text.drain().map(|(t, c)| (t, weigh(&c))).collect(),
    }
}

/// BM25 saturation of a weighted term frequency, scaled to 1..=255.
pub fn quantize(weighted_tf: f32) -> u8 {
    let impact = weighted_tf / (K1 + weighted_tf); // 0..1, i.e. BM25 / (k1 + 1)
    (impact * 255.0).round().clamp(1.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn doc<'a>(url: &'a str, title: &'a str, body: impl Into<Cow<'a, str>>) -> Document<'a> {
        Document {
            url: url.into(),
            title: title.into(),
            body: body.into(),
            ..Default::default()
        }
    }

    /// Decoded postings of a token: `(document, impact)`.
    fn list(p: &[TokenPostings], tok: &str) -> Vec<(u32, u8)> {
        let Some(tp) = p.iter().find(|t| t.token == tok) else {
            return Vec::new();
        };
        let (mut out, mut pos, mut doc) = (Vec::new(), 0, 0u32);
        while pos < tp.bytes.len() {
            let (mut n, mut shift) = (0u32, 0);
            loop {
                let b = tp.bytes[pos];
                pos += 1;
                n |= u32::from(b & 0x7f) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            doc += n;
            out.push((doc, tp.bytes[pos]));
            pos += 1;
        }
        assert_eq!(out.len(), tp.df as usize);
        out
    }

    fn impact(p: &[TokenPostings], tok: &str, d: u32) -> Option<u8> {
        list(p, tok).iter().find(|(n, _)| *n == d).map(|(_, i)| *i)
    }

    #[test]
    fn title_outweighs_body_and_units_outweigh_body() {
        let a = doc("/a/", "完善现代科技馆体系", "加强实体建设。");
        let b = doc("/b/", "加强交流学习", "充分利用科技馆等公共设施。");
        let mut c = doc("/c/", "实施银龄科普行动", "组织开展活动。");
        c.lead_units = vec!["市科学技术协会".into()];
        let mut e = doc("/e/", "加强组织领导", "组织开展市科学技术协会活动。");
        e.units = vec![];
        let p = build(&[&a, &b, &c, &e]);
        assert!(impact(&p, "科技", 0) > impact(&p, "科技", 1));
        assert!(impact(&p, "协会", 2) > impact(&p, "协会", 3));
        // pinyin only from names, not from body text
        assert!(impact(&p, "'kejiguan", 0).is_some());
        assert!(impact(&p, "'kejiguan", 1).is_none());
    }

    #[test]
    fn frequency_saturates_and_long_bodies_are_normalized() {
        let short = doc("/s/", "甲", "科普讲座。");
        let long = doc(
            "/l/",
            "乙",
            format!("科普讲座。{}", "其他内容。".repeat(60)),
        );
        let many = doc("/m/", "丙", "科普讲座。".repeat(20));
        let p = build(&[&short, &long, &many]);
        assert!(
            impact(&p, "讲座", 0) > impact(&p, "讲座", 1),
            "shorter body wins"
        );
        let (one, twenty) = (
            impact(&p, "讲座", 0).unwrap(),
            impact(&p, "讲座", 2).unwrap(),
        );
        assert!(
            twenty > one && twenty < 255 && (twenty as f32) < one as f32 * 3.0,
            "{one} {twenty}"
        );
    }

    #[test]
    fn build_gives_the_postings_of_a_plain_accumulation() {
        let texts = [
            "科普",
            "科学素质",
            "老年人智慧助老",
            "青少年科技教育",
            "2025年达到15%",
        ];
        let docs: Vec<Document> = (0..700)
            .map(|i| {
                let mut d = doc(
                    "",
                    texts[i % texts.len()],
                    texts
                        .iter()
                        .cycle()
                        .skip(i % 3)
                        .take(1 + i % 7)
                        .cloned()
                        .collect::<String>(),
                );
                d.url = format!("/p{i:04}/").into();
                d.lead_units = vec![texts[(i / 3) % texts.len()].into()];
                d
            })
            .collect();
        let refs: Vec<&Document> = docs.iter().collect();
        let (got, lens) = build_with_lens(&refs);
        let avg = averages(&lens);
        let mut want: std::collections::BTreeMap<String, (u32, u32, Vec<u8>)> = Default::default();
        let mut s = Scratch::default();
        for (n, d) in refs.iter().enumerate() {
            for (t, imp) in doc_impacts(&mut s, d, &lens[n], &avg).into_strings() {
                let e = want.entry(t).or_default();
                varint(&mut e.2, u64::from(n as u32 - e.1));
                e.2.push(imp);
                e.1 = n as u32;
                e.0 += 1;
            }
        }
        let want: Vec<TokenPostings> = want
            .into_iter()
            .map(|(token, (df, _, bytes))| TokenPostings { token, df, bytes })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn postings_are_sorted_and_deterministic() {
        let docs = [doc("/a/", "科普", "科普科普"), doc("/b/", "科学", "科普")];
        let refs: Vec<&Document> = docs.iter().collect();
        let p = build(&refs);
        assert_eq!(p, build(&refs));
        assert!(p.windows(2).all(|w| w[0].token < w[1].token));
        let kp = list(&p, "科普");
        assert_eq!(kp.iter().map(|x| x.0).collect::<Vec<_>>(), [0, 1]);
    }
}
