//! An index kept up to date across edits, for the watcher (`site build --watch`, `site
//! serve`): the same files as [`super::write_index`], byte for byte, made again after an
//! edit from what changed only.
//!
//! [`LiveIndex`] keeps the postings of every token and the bytes' hash of every index file.
//! An update compares the documents of the last build with the new ones; when the pages
//! are the same (same URLs) and the rounded average field lengths stay the same (see
//! [`index::averages`]), only the edited documents are tokenized again, before and after
//! the edit, and only the postings of their tokens change. Otherwise (pages added or
//! removed, renamed, averages moved, configuration changed) the whole index is made again.
//! Either way only the files whose bytes changed are passed on.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::index::{self, Lens, Scratch};
use super::shard::{self, varint};
use super::{Document, SearchConfig, synonyms};

/// Postings of one token: document frequency and the encoded list (see [`shard`]).
type Entry = (u32, Vec<u8>);

/// See the module documentation.
#[derive(Default)]
pub struct LiveIndex {
    cfg: Option<SearchConfig>,
    /// Document numbers: the documents' URLs, sorted.
    urls: Vec<String>,
    lens: Vec<Lens>,
    avg: Lens,
    postings: BTreeMap<String, Entry>,
    /// Every file of the index, with the hash of its bytes.
    files: HashMap<String, u64>,
}

/// Documents in index order (by URL).
fn ordered<'a, 'b>(docs: &'b [Document<'a>]) -> Vec<&'b Document<'a>> {
    let mut order: Vec<&Document> = docs.iter().collect();
    order.sort_by(|a, b| a.url.cmp(&b.url));
    order
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write_usize(bytes.len());
    h.write(bytes);
    h.finish()
}

impl LiveIndex {
    /// An empty index: the first [`LiveIndex::update`] makes every file.
    pub fn new() -> Self {
        LiveIndex::default()
    }

    /// Every file of the index, relative to the output root.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }

    /// Brings the index from `old` (the documents of the previous update, exactly as given
    /// then; ignored on the first one) to `new`, passing to `emit` every file whose bytes
    /// changed. Returns true when only the edited documents were indexed again.
    pub fn update(
        &mut self,
        old: &[Document],
        new: &[Document],
        cfg: &SearchConfig,
        emit: &mut dyn FnMut(String, Vec<u8>),
    ) -> bool {
        let new = ordered(new);
        let old = ordered(old);
        let same_pages = self.cfg.as_ref() == Some(cfg)
            && old.len() == self.urls.len()
            && new.len() == self.urls.len()
            && old
                .iter()
                .zip(&new)
                .zip(&self.urls)
                .all(|((o, n), u)| o.url == n.url && n.url == u.as_str());
        if !same_pages {
            self.rebuild(&new, cfg, emit);
            return false;
        }
        let changed: Vec<usize> = (0..new.len()).filter(|&i| old[i] != new[i]).collect();
        if changed.is_empty() {
            return true;
        }
        let mut scratch = Scratch::default();
        let mut tk = super::tokenize::Tokenizer::default();
        let mut lens = self.lens.clone();
        for &i in &changed {
            lens[i] = index::lens(&mut tk, new[i]);
        }
        let avg = index::averages(&lens);
        if avg != self.avg {
            self.rebuild(&new, cfg, emit);
            return false;
        }
        // Per token, the documents whose impact changes: `None` to leave the list.
        let mut edits: BTreeMap<String, BTreeMap<u32, Option<u8>>> = BTreeMap::new();
        for &i in &changed {
            let n = i as u32;
            let before = index::doc_impacts(&mut scratch, old[i], &self.lens[i], &avg);
            for (t, _) in before.into_strings() {
                edits.entry(t).or_default().insert(n, None);
            }
            let after = index::doc_impacts(&mut scratch, new[i], &lens[i], &avg);
            for (t, imp) in after.into_strings() {
                edits.entry(t).or_default().insert(n, Some(imp));
            }
        }
        for (token, docs) in edits {
            let entry = self.postings.entry(token).or_default();
            let mut list = decode(&entry.1);
            for (doc, imp) in docs {
                match (list.binary_search_by_key(&doc, |p| p.0), imp) {
                    (Ok(at), Some(imp)) => list[at].1 = imp,
                    (Ok(at), None) => {
                        list.remove(at);
                    }
                    (Err(at), Some(imp)) => list.insert(at, (doc, imp)),
                    (Err(_), None) => {}
                }
            }
            *entry = encode(&list);
        }
        self.postings.retain(|_, e| e.0 > 0);
        self.lens = lens;
        self.write(&new, cfg, emit);
        true
    }

    /// Makes the whole index again.
    fn rebuild(
        &mut self,
        docs: &[&Document],
        cfg: &SearchConfig,
        emit: &mut dyn FnMut(String, Vec<u8>),
    ) {
        let (postings, lens) = index::build_with_lens(docs);
        self.avg = index::averages(&lens);
        self.lens = lens;
        self.urls = docs.iter().map(|d| d.url.to_string()).collect();
        self.postings = postings
            .into_iter()
            .map(|p| (p.token, (p.df, p.bytes)))
            .collect();
        self.cfg = Some(cfg.clone());
        self.write(docs, cfg, emit);
    }

    /// Lays the files out and passes on those whose bytes changed.
    fn write(
        &mut self,
        docs: &[&Document],
        cfg: &SearchConfig,
        emit: &mut dyn FnMut(String, Vec<u8>),
    ) {
        let refs: Vec<shard::Postings> = self
            .postings
            .iter()
            .map(|(t, (df, bytes))| (t.as_str(), *df, bytes.as_slice()))
            .collect();
        let synonyms = synonyms::merged(&cfg.synonyms, cfg.default_synonyms);
        let mut files = HashMap::with_capacity(self.files.len());
        let old = &self.files;
        shard::write(docs, &refs, &synonyms, &mut |path, bytes| {
            let h = hash(&bytes);
            if old.get(&path) != Some(&h) {
                emit(path.clone(), bytes);
            }
            files.insert(path, h);
        });
        self.files = files;
    }
}

/// `(document, impact)` pairs of an encoded list.
fn decode(bytes: &[u8]) -> Vec<(u32, u8)> {
    let mut out = Vec::new();
    let (mut pos, mut doc) = (0, 0u32);
    while pos < bytes.len() {
        let (mut n, mut shift) = (0u32, 0);
        while let Some(&b) = bytes.get(pos) {
            pos += 1;
            n |= u32::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        doc += n;
        let Some(&imp) = bytes.get(pos) else { break };
        pos += 1;
        out.push((doc, imp));
    }
    out
}

/// The entry of a list of `(document, impact)` pairs, sorted by document.
fn encode(list: &[(u32, u8)]) -> Entry {
    let mut bytes = Vec::with_capacity(list.len() * 2);
    let mut last = 0;
    for &(doc, imp) in list {
        varint(&mut bytes, u64::from(doc - last));
        bytes.push(imp);
        last = doc;
    }
    (list.len() as u32, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn doc(i: usize, title: &str, body: &str) -> Document<'static> {
        Document {
            url: format!("/p{i:02}/").into(),
            title: title.to_string().into(),
            kind: "task".into(),
            body: body.to_string().into(),
            lead_units: vec!["市科学技术协会".into()],
            ..Default::default()
        }
    }

    fn site(n: usize) -> Vec<Document<'static>> {
        (0..n)
            .map(|i| {
                doc(
                    i,
                    &format!("实施第{i}项科普行动"),
                    &"到2025年，公民具备科学素质的比例达到15%。加强科技馆建设。".repeat(1 + i % 3),
                )
            })
            .collect()
    }

    /// Applies `update` and returns the output folder as the emitted files leave it.
    fn apply(
        live: &mut LiveIndex,
        disk: &mut BTreeMap<String, Vec<u8>>,
        old: &[Document],
        new: &[Document],
        cfg: &SearchConfig,
    ) -> (bool, usize) {
        let mut n = 0;
        let local = live.update(old, new, cfg, &mut |p, b| {
            n += 1;
            disk.insert(p, b);
        });
        let paths: std::collections::BTreeSet<&String> = live.paths().collect();
        disk.retain(|p, _| paths.contains(p));
        (local, n)
    }

    #[test]
    fn updates_give_the_files_of_a_clean_build() {
        let cfg = SearchConfig::default();
        let mut live = LiveIndex::new();
        let mut disk = BTreeMap::new();
        let mut docs = site(40);
        apply(&mut live, &mut disk, &[], &docs, &cfg);
        let clean = |docs: &[Document]| -> BTreeMap<String, Vec<u8>> {
            super::super::build_index(docs, &cfg).into_iter().collect()
        };
        assert_eq!(disk, clean(&docs));
        // Body edit: a few words more.
        let mut next = docs.clone();
        next[7].body = format!("{}组织银龄科普讲座。", next[7].body).into();
        let (local, n) = apply(&mut live, &mut disk, &docs, &next, &cfg);
        assert!(local, "one page edited: only its tokens");
        assert!(n > 0 && n < disk.len(), "{n} of {} files", disk.len());
        assert_eq!(disk, clean(&next));
        docs = next;
        // Title edit, and a page losing a token every other page has.
        let mut next = docs.clone();
        next[3].title = "智慧助老".into();
        next[12].body = "全新内容。".into();
        apply(&mut live, &mut disk, &docs, &next, &cfg);
        assert_eq!(disk, clean(&next));
        docs = next;
        // Nothing changed: nothing written.
        assert_eq!(apply(&mut live, &mut disk, &docs, &docs, &cfg), (true, 0));
        // A page removed, then a page added: the whole index again.
        let mut next = docs.clone();
        next.remove(5);
        let (local, _) = apply(&mut live, &mut disk, &docs, &next, &cfg);
        assert!(!local);
        assert_eq!(disk, clean(&next));
        docs = next;
        let mut next = docs.clone();
        next.push(doc(99, "新增页面", "新的正文。"));
        apply(&mut live, &mut disk, &docs, &next, &cfg);
        assert_eq!(disk, clean(&next));
        // Configuration change.
        let mut cfg2 = cfg.clone();
        cfg2.default_synonyms = false;
        live.update(&next, &next, &cfg2, &mut |p, b| {
            disk.insert(p, b);
        });
        let want: BTreeMap<String, Vec<u8>> = super::super::build_index(&next, &cfg2)
            .into_iter()
            .collect();
        assert_eq!(disk, want);
    }

    #[test]
    fn postings_round_trip() {
        let list = vec![(0, 5), (3, 255), (200, 1), (70_000, 9)];
        let (df, bytes) = encode(&list);
        assert_eq!(df, 4);
        assert_eq!(decode(&bytes), list);
    }
}
