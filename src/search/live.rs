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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::FxHasher;

use super::index::{self, Lens, Scratch};
use super::shard::{self, Layout, Version, fnv1a32, varint};
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
    /// [`shard::meta_len`] and [`shard::text_len`] of every document.
    meta_lens: Vec<usize>,
    text_lens: Vec<usize>,
    /// The layout of the files written last, and the files of each shard, metadata chunk
    /// and text chunk, in the order of [`shard::write`], the manifest last.
    layout: Option<Layout>,
    shard_files: Vec<Vec<File>>,
    meta_files: Vec<File>,
    text_files: Vec<File>,
    manifest: Option<File>,
}

/// A file of the index as last written: path, [`fnv1a32`] (for the manifest's version) and
/// a 64-bit hash of its bytes (to know whether it changed).
#[derive(Debug, Clone, PartialEq, Eq)]
struct File {
    path: String,
    fnv: u32,
    hash: u64,
}

impl File {
    fn of(path: String, bytes: &[u8]) -> File {
        File {
            path,
            fnv: fnv1a32(bytes),
            hash: hash(bytes),
        }
    }
}

/// Which parts of the files an update touched: the shards of changed tokens, the changed
/// documents (numbers in index order).
struct Dirty {
    shards: BTreeSet<usize>,
    docs: BTreeSet<usize>,
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
        self.shard_files
            .iter()
            .flatten()
            .chain(&self.meta_files)
            .chain(&self.text_files)
            .chain(&self.manifest)
            .map(|f| &f.path)
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
        let tokens: Vec<String> = edits.keys().cloned().collect();
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
        for &i in &changed {
            self.meta_lens[i] = shard::meta_len(new[i]);
            self.text_lens[i] = shard::text_len(new[i]);
        }
        let dirty = Dirty {
            shards: BTreeSet::new(),
            docs: changed.into_iter().collect(),
        };
        self.write(&new, cfg, Some((dirty, &tokens)), emit);
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
        self.meta_lens = docs.par_iter().map(|d| shard::meta_len(d)).collect();
        self.text_lens = docs.par_iter().map(|d| shard::text_len(d)).collect();
        self.cfg = Some(cfg.clone());
        self.write(docs, cfg, None, emit);
    }

    /// Lays the files out and passes on those whose bytes changed. With `dirty` (and the
    /// tokens whose postings changed), files that cannot have changed are not made again.
    fn write(
        &mut self,
        docs: &[&Document],
        cfg: &SearchConfig,
        dirty: Option<(Dirty, &[String])>,
        emit: &mut dyn FnMut(String, Vec<u8>),
    ) {
        let refs: Vec<shard::Postings> = self
            .postings
            .iter()
            .map(|(t, (df, bytes))| (t.as_str(), *df, bytes.as_slice()))
            .collect();
        let layout = Layout::new(&refs, &self.meta_lens, &self.text_lens);
        // Everything is made again when the layout moved.
        let dirty = dirty
            .filter(|_| self.layout == Some(layout))
            .map(|(mut d, tokens)| {
                d.shards = tokens.iter().map(|t| layout.shard_of(t)).collect();
                d
            });
        self.layout = Some(layout);
        let (metas, texts) = layout.chunks(docs.len());
        let (shards, metas, texts): (Vec<usize>, Vec<usize>, Vec<usize>) = match &dirty {
            Some(d) => (
                d.shards.iter().copied().collect(),
                d.docs
                    .iter()
                    .map(|&i| i / layout.meta_per)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                d.docs
                    .iter()
                    .map(|&i| i / layout.text_per)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            ),
            None => (
                (0..layout.shards).collect(),
                (0..metas).collect(),
                (0..texts).collect(),
            ),
        };
        // What was written at each path, to pass on only what changed.
        let previous: HashMap<String, File> = self
            .shard_files
            .iter()
            .flatten()
            .chain(&self.meta_files)
            .chain(&self.text_files)
            .chain(&self.manifest)
            .map(|f| (f.path.clone(), f.clone()))
            .collect();
        let old = |path: &str| previous.get(path);
        if dirty.is_none() {
            self.shard_files = vec![Vec::new(); layout.shards];
            self.meta_files = Vec::new();
            self.text_files = Vec::new();
        }
        // The postings of the shards to make.
        let mut buckets: BTreeMap<usize, Vec<&shard::Postings>> =
            shards.iter().map(|&s| (s, Vec::new())).collect();
        for p in &refs {
            if let Some(b) = buckets.get_mut(&layout.shard_of(p.0)) {
                b.push(p);
            }
        }
        let made: Vec<(usize, Vec<Made>)> = buckets
            .into_par_iter()
            .map(|(s, bucket)| (s, layout.shard_files(s, &bucket)))
            .collect();
        for (s, files) in made {
            self.shard_files[s] = pass_on(files, old, emit);
        }
        let made: Vec<(usize, Made)> = metas
            .into_par_iter()
            .map(|n| (n, layout.meta_file(n, docs)))
            .collect();
        for (n, file) in made {
            let f = pass_on(vec![file], old, emit).remove(0);
            set(&mut self.meta_files, n, f);
        }
        let made: Vec<(usize, Made)> = texts
            .into_par_iter()
            .map(|n| (n, layout.text_file(n, docs)))
            .collect();
        for (n, file) in made {
            let f = pass_on(vec![file], old, emit).remove(0);
            set(&mut self.text_files, n, f);
        }
        let mut version = Version::default();
        for f in self
            .shard_files
            .iter()
            .flatten()
            .chain(&self.meta_files)
            .chain(&self.text_files)
        {
            version.add(&f.path, f.fnv);
        }
        let synonyms = synonyms::merged(&cfg.synonyms, cfg.default_synonyms);
        let (path, bytes) = layout.manifest(docs.len(), &synonyms, version);
        self.manifest = pass_on(vec![(path, bytes)], old, emit).pop();
    }
}

/// A file made: path and bytes.
type Made = (String, Vec<u8>);

/// Passes on the files whose bytes differ from what `old` says was written at their path.
fn pass_on<'a>(
    files: Vec<Made>,
    old: impl Fn(&str) -> Option<&'a File>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Vec<File> {
    files
        .into_iter()
        .map(|(path, bytes)| {
            let f = File::of(path, &bytes);
            if old(&f.path) != Some(&f) {
                emit(f.path.clone(), bytes);
            }
            f
        })
        .collect()
}

fn set(v: &mut Vec<File>, n: usize, f: File) {
    if n < v.len() {
        v[n] = f;
    } else {
        debug_assert_eq!(n, v.len(), "chunks are made in order");
        v.push(f);
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
