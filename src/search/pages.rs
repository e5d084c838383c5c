//! Where the search room meets the pipeline: the [`Document`] of each rendered page, the
//! `/search/` page (with its list of every page for readers without JavaScript), and the
//! index files written beside the site.

use std::borrow::Cow;
use std::sync::Mutex;

use serde::Serialize;

use super::Document;
use super::live::LiveIndex;
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::{Sink, Written};
use crate::render::{GeneratedPage, PageRecord};

/// Site path of the search page.
pub const PATH: &str = "/search/";
/// Its template.
pub const TEMPLATE: &str = "search.html";

/// The search document of one rendered page. Links keep the base path (`/kepu/...`), so
/// results work on a site published under a sub-path.
pub fn document(r: &PageRecord) -> Document<'_> {
    Document {
        url: r.url().into(),
        title: r.title().into(),
        kind: r.kind.into(),
        breadcrumb: names(r.breadcrumb()),
        headings: r.headings().map(|(_, text)| text.into()).collect(),
        body: r.text.as_str().into(),
        units: names(r.units()),
        lead_units: names(r.lead_units()),
        audience: names(r.audience()),
        targets: r
            .targets()
            .map(|t| format!("{} {}{}", t.label, t.value, t.unit).into())
            .collect(),
    }
}

/// Borrowed names.
fn names<'a>(v: impl Iterator<Item = &'a str>) -> Vec<Cow<'a, str>> {
    v.map(Cow::from).collect()
}

/// Writes the index of the rendered pages (under `search/`) to `sink` file by file, so
/// that a large index is never in memory whole. Returns the number of files written.
pub fn write_index(
    site: &Site,
    records: &[PageRecord],
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let docs: Vec<Document> = records.iter().map(document).collect();
    let written = Mutex::new(Written::default());
    super::write_index(&docs, &site.config.search, &|path, bytes| {
        let result = sink.write(&path, &bytes);
        written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(result)
    });
    written
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .finish()
}

/// Brings `live` from the pages `old` (the records its last update was given; none the
/// first time) to `records`, writing to `sink` only the index files whose bytes changed.
/// Returns how many were written. The index files are then [`LiveIndex::paths`].
pub fn update_index(
    site: &Site,
    live: &mut LiveIndex,
    old: &[&PageRecord],
    records: &[PageRecord],
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let old: Vec<Document> = old.iter().map(|r| document(r)).collect();
    let new: Vec<Document> = records.iter().map(document).collect();
    let mut written = Written::default();
    live.update(&old, &new, &site.config.search, &mut |path, bytes| {
        written.add(sink.write(&path, &bytes))
    });
    written.finish()
}

/// One entry of the no-JavaScript page list.
#[derive(Serialize)]
struct Listed<'a> {
    url: String,
    title: &'a str,
    /// Titles of the enclosing sections below the home page.
    breadcrumb: Vec<&'a str>,
}

/// The `/search/` page. Its template gets `site_pages`: every page in tree order with
/// `url`, `title` and `breadcrumb` (a list of section titles), so the form still leads to
/// the whole site without JavaScript.
pub fn page(site: &Site) -> GeneratedPage {
    let pages: Vec<Listed> = site
        .pages
        .iter()
        .filter(|p| p.id != site.root)
        .map(|p| Listed {
            url: site.url(p),
            title: p.title(),
            breadcrumb: p
                .ancestors
                .iter()
                .filter(|&&a| a != site.root)
                .map(|&a| site.pages[a].title())
                .collect(),
        })
        .collect();
    let mut g = GeneratedPage::new(PATH, TEMPLATE, "搜索");
    // A tool, not content: kept out of the sitemap (and of the index: no `search_text`).
    g.in_sitemap = false;
    g.context.insert("site_pages", &pages);
    g
}
