//! Scoring at build time: BM25F term impacts per (token, page), with field weights.
//!
//! For token `t` and page `d`, `tf = Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)`
//! over the fields below, and the stored impact is `tf · (k1 + 1) / (k1 + tf)` scaled to a
//! byte (1..=255). The browser multiplies it by the token's IDF, computed from the document
//! frequency stored beside the postings, so the ranking is BM25 with field weights.

use super::Document;
use super::tokenize::{field_len, tokens};
use rayon::prelude::*;
use std::collections::HashMap;

/// BM25 saturation.
pub const K1: f32 = 1.2;

/// One weighted field.
struct Field {
    weight: f32,
    b: f32,
    pinyin: bool,
    text: fn(&Document) -> Vec<&str>,
}

/// Title > headings > units > body. Pinyin only where people type names: titles (unit pages
/// have the unit name as title), headings, lead units; not the long lists of 责任单位.
const FIELDS: [Field; 7] = [
    Field {
        weight: 6.0,
        b: 0.3,
        pinyin: true,
        text: |d| vec![d.title.as_str()],
    },
    Field {
        weight: 3.0,
        b: 0.5,
        pinyin: true,
        text: |d| d.headings.iter().map(String::as_str).collect(),
    },
    Field {
        weight: 2.5,
        b: 0.3,
        pinyin: true,
        text: |d| d.lead_units.iter().map(String::as_str).collect(),
    },
    Field {
        weight: 1.5,
        b: 0.5,
        pinyin: false,
        text: |d| d.units.iter().map(String::as_str).collect(),
    },
    Field {
        weight: 1.5,
        b: 0.5,
        pinyin: false,
        text: |d| {
            d.audience
                .iter()
                .chain(&d.targets)
                .map(String::as_str)
                .collect()
        },
    },
    Field {
        weight: 0.7,
        b: 0.3,
        pinyin: false,
        text: |d| d.breadcrumb.iter().map(String::as_str).collect(),
    },
    Field {
        weight: 1.0,
        b: 0.75,
        pinyin: false,
        text: |d| vec![d.body.as_str()],
    },
];

const NF: usize = FIELDS.len();

/// Documents tokenized at once.
const BATCH: usize = 256;

/// A token's postings: `(document number, impact)`, by document number.
pub type Postings = Vec<(u32, u8)>;

/// Postings of every token, sorted by token.
pub fn build(docs: &[&Document]) -> Vec<(String, Postings)> {
    let lens: Vec<[f32; NF]> = docs
        .par_iter()
        .map(|d| {
            let mut l = [0.0; NF];
            for (i, f) in FIELDS.iter().enumerate() {
                l[i] = (f.text)(d).iter().map(|t| field_len(t)).sum::<usize>() as f32;
            }
            l
        })
        .collect();
    let mut avg = [0.0f32; NF];
    for l in &lens {
        for i in 0..NF {
            avg[i] += l[i];
        }
    }
    for a in &mut avg {
        *a = if docs.is_empty() {
            1.0
        } else {
            (*a / docs.len() as f32).max(1.0)
        };
    }
    // Batches keep memory bounded on large sites: only one batch's token lists at a time.
    let mut map: HashMap<String, Postings> = HashMap::new();
    for (b, batch) in docs.chunks(BATCH).enumerate() {
        let per_doc: Vec<Vec<(String, u8)>> = batch
            .par_iter()
            .zip(&lens[b * BATCH..])
            .map(|(d, len)| doc_impacts(d, len, &avg))
            .collect();
        for (i, list) in per_doc.into_iter().enumerate() {
            let n = (b * BATCH + i) as u32;
            for (tok, imp) in list {
                match map.get_mut(tok.as_str()) {
                    Some(p) => p.push((n, imp)),
                    None => {
                        map.insert(tok, vec![(n, imp)]);
                    }
                }
            }
        }
    }
    let mut out: Vec<(String, Postings)> = map.into_iter().collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Impact of every token of one document, sorted by token.
fn doc_impacts(d: &Document, len: &[f32; NF], avg: &[f32; NF]) -> Vec<(String, u8)> {
    let mut tf: HashMap<String, [u16; NF]> = HashMap::new();
    for (i, f) in FIELDS.iter().enumerate() {
        for text in (f.text)(d) {
            tokens(text, f.pinyin, &mut |t| {
                let c = &mut tf.entry(t).or_insert([0; NF])[i];
                *c = c.saturating_add(1);
            });
        }
    }
    let mut out: Vec<(String, u8)> = tf
        .into_iter()
        .map(|(t, counts)| {
            let w: f32 = FIELDS
                .iter()
                .enumerate()
                .map(|(i, f)| f.weight * counts[i] as f32 / (1.0 - f.b + f.b * len[i] / avg[i]))
                .sum();
            (t, quantize(w))
        })
        .collect();
    out.sort();
    out
}

/// BM25 saturation of a weighted term frequency, scaled to 1..=255.
pub fn quantize(weighted_tf: f32) -> u8 {
    let impact = weighted_tf / (K1 + weighted_tf); // 0..1, i.e. BM25 / (k1 + 1)
    (impact * 255.0).round().clamp(1.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str, body: &str) -> Document {
        Document {
            url: url.into(),
            title: title.into(),
            body: body.into(),
            ..Default::default()
        }
    }

    fn impact(p: &[(String, Postings)], tok: &str, d: u32) -> Option<u8> {
        let (_, list) = p.iter().find(|(t, _)| t == tok)?;
        list.iter().find(|(n, _)| *n == d).map(|(_, i)| *i)
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
            &format!("科普讲座。{}", "其他内容。".repeat(60)),
        );
        let many = doc("/m/", "丙", &"科普讲座。".repeat(20));
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
    fn postings_are_sorted_and_deterministic() {
        let docs = [doc("/a/", "科普", "科普科普"), doc("/b/", "科学", "科普")];
        let refs: Vec<&Document> = docs.iter().collect();
        let p = build(&refs);
        assert_eq!(p, build(&refs));
        assert!(p.windows(2).all(|w| w[0].0 < w[1].0));
        let (_, kp) = p.iter().find(|(t, _)| t == "科普").unwrap();
        assert_eq!(kp.iter().map(|x| x.0).collect::<Vec<_>>(), [0, 1]);
    }
}
