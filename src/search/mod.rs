//! Search room: builds the sharded full-text index that `search.js` queries in the browser.
//!
//! Input is one [`Document`] per page (filled by the pipeline), output a list of files to
//! write under the output root, all below `search/`:
//! - `search/manifest.json`: document count, shard count, chunk sizes, synonyms, version;
//! - `search/s/<hex>.bin`: shard `h` holds every token whose FNV-1a hash masked to the shard
//!   count is `h`, with its document frequency and its postings (or a pointer to
//!   `search/p/<hex>-<k>.bin` when they are large), see [`shard`];
//! - `search/m/<n>.json`: page metadata (url, title, breadcrumb, kind, audience, lead units)
//!   for a fixed number of consecutive documents;
//! - `search/x/<n>.json`: the excerpt source (plain text) of consecutive documents.
//!
//! A query therefore downloads the manifest, one shard per distinct query token, and the
//! metadata and text chunks of the pages it shows. Tokenizing is in [`tokenize`], scoring
//! (BM25F impacts) in [`index`], synonyms in [`synonyms`]. Everything is deterministic:
//! the same documents and configuration give byte-identical files.

pub mod index;
pub mod live;
pub mod pages;
pub mod shard;
pub mod synonyms;
pub mod tokenize;

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// One page as the search index sees it. Fields borrow from the rendered page where they
/// can (`Cow`), so indexing a large site copies no page text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document<'a> {
    /// The page's link (with the site's base path), e.g. `/actions/youth/02-basic/`.
    pub url: Cow<'a, str>,
    pub title: Cow<'a, str>,
    /// `overview`, `principle`, `action`, `project`, `task` or `page`.
    pub kind: Cow<'a, str>,
    /// Titles of the ancestors, outermost first (action › task).
    pub breadcrumb: Vec<Cow<'a, str>>,
    /// Section headings inside the page.
    pub headings: Vec<Cow<'a, str>>,
    /// The page text, plain (no markup).
    pub body: Cow<'a, str>,
    /// 责任单位.
    pub units: Vec<Cow<'a, str>>,
    /// 牵头单位.
    pub lead_units: Vec<Cow<'a, str>>,
    /// 人群.
    pub audience: Vec<Cow<'a, str>>,
    /// Target labels with their values, e.g. `命名科技教育示范学校 25所`.
    pub targets: Vec<Cow<'a, str>>,
}

/// The `search:` section of `site.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Extra synonyms: word citizens type → words the site uses. Added to the defaults.
    pub synonyms: BTreeMap<String, Vec<String>>,
    /// Whether the built-in synonym list for this domain applies (default: yes).
    pub default_synonyms: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            synonyms: BTreeMap::new(),
            default_synonyms: true,
        }
    }
}

/// Builds the index and passes each file to `emit` as soon as it is made:
/// `(path relative to the output root, bytes)`, from several threads at once. Documents
/// are ordered by URL, so the input order does not matter; the same input gives the same
/// files.
pub fn write_index(docs: &[Document], cfg: &SearchConfig, emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
    let mut order: Vec<&Document> = docs.iter().collect();
    order.sort_by(|a, b| a.url.cmp(&b.url));
    let postings = index::build(&order);
    let refs: Vec<shard::Postings> = postings
        .iter()
        .map(|p| (p.token.as_str(), p.df, p.bytes.as_slice()))
        .collect();
    let synonyms = synonyms::merged(&cfg.synonyms, cfg.default_synonyms);
    shard::write(&order, &refs, &synonyms, emit);
}

/// Every index file, sorted by path (see [`write_index`]).
pub fn build_index(docs: &[Document], cfg: &SearchConfig) -> Vec<(String, Vec<u8>)> {
    let files = std::sync::Mutex::new(Vec::new());
    write_index(docs, cfg, &|path, bytes| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes))
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Document<'static>> {
        let titles = [
            "完善现代科技馆体系",
            "实施智慧助老行动",
            "保障经费投入",
            "加强交流学习",
        ];
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| Document {
                url: format!("/p{i}/").into(),
                title: (*t).into(),
                kind: "task".into(),
                body: format!("{t}。到2025年达到14%，建设{i}所学校。").into(),
                lead_units: vec!["市科学技术协会".into()],
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn output_is_deterministic_and_independent_of_input_order() {
        let cfg = SearchConfig::default();
        let a = build_index(&docs(), &cfg);
        let mut reversed = docs();
        reversed.reverse();
        assert_eq!(a, build_index(&reversed, &cfg));
        assert!(a.windows(2).all(|w| w[0].0 < w[1].0), "sorted by path");
        assert!(a.iter().all(|(p, _)| p.starts_with("search/")));
        let (_, m) = a.iter().find(|(p, _)| p == "search/manifest.json").unwrap();
        let m: serde_json::Value = serde_json::from_slice(m).unwrap();
        assert_eq!(m["n"], 4);
        assert_eq!(m["synonyms"]["老人"][0], "老年人");
        let meta: serde_json::Value =
            serde_json::from_slice(&a.iter().find(|(p, _)| p == "search/m/0.json").unwrap().1)
                .unwrap();
        assert_eq!(meta[0]["u"], "/p0/", "documents are numbered by URL");
    }

    #[test]
    fn configured_synonyms_reach_the_manifest() {
        let mut cfg = SearchConfig::default();
        cfg.synonyms
            .insert("鄂市".into(), vec!["鄂尔多斯市".into()]);
        let files = build_index(&docs(), &cfg);
        let m = &files
            .iter()
            .find(|(p, _)| p == "search/manifest.json")
            .unwrap()
            .1;
        assert!(String::from_utf8_lossy(m).contains("\"鄂市\":[\"鄂尔多斯市\"]"));
    }

    #[test]
    fn config_denies_unknown_keys_and_defaults() {
        let cfg: SearchConfig = serde_yaml::from_str("synonyms: {鄂市: [鄂尔多斯市]}").unwrap();
        assert!(cfg.default_synonyms);
        assert_eq!(cfg.synonyms["鄂市"], ["鄂尔多斯市"]);
        let err = serde_yaml::from_str::<SearchConfig>("synonym: {}").unwrap_err();
        assert!(err.to_string().contains("unknown field `synonym`"), "{err}");
    }
}
