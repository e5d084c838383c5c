//! The template context: what templates can read. Documented for theme authors in
//! `docs/templates.md`; keep the two in step.
//!
//! Values shared by every page (`config`, `site`) are built once and put in Tera's global
//! context; each page adds only its own `page` (and `section`). Page summaries ([`PageRef`])
//! are converted to template values once and shared by reference, so listing a section's
//! pages costs no copying.

use serde::Serialize;
use tera::Value;

use crate::config::{Config, Footer};
use crate::load::front_matter::{DocumentMeta, Target};
use crate::markdown::{Heading, TocEntry};
use crate::model::{Page, Site};

/// `config`: the site's settings as templates need them.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigContext<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// `https://kxxh.example.gov.cn/kepu/`.
    pub base_url: &'a str,
    /// `/kepu/`.
    pub base_path: &'a str,
    pub language: &'a str,
    pub theme: &'a str,
    pub footer: &'a Footer,
    pub document: &'a DocumentMeta,
}

impl<'a> ConfigContext<'a> {
    pub fn new(config: &'a Config, base_path: &'a str) -> Self {
        ConfigContext {
            title: &config.title,
            description: config.description.as_deref(),
            base_url: &config.base_url,
            base_path,
            language: &config.language,
            theme: &config.theme,
            footer: &config.footer,
            document: &config.document,
        }
    }
}

/// A page as listings, breadcrumbs and navigation show it (no body).
#[derive(Debug, Clone, Serialize)]
pub struct PageRef<'a> {
    pub title: &'a str,
    /// `overview`, `principle`, `action`, `project`, `task` or `page`.
    pub kind: &'static str,
    pub number: Option<&'a str>,
    pub order: Option<i64>,
    pub is_section: bool,
    /// Site path without base: `/actions/youth/`.
    pub path: &'a str,
    /// Link with base path: `/kepu/actions/youth/`.
    pub url: String,
    /// Full address: `https://kxxh.example.gov.cn/kepu/actions/youth/`.
    pub permalink: String,
    /// The content file: `content/actions/youth/_index.md`.
    pub file: &'a str,
    /// `summary` from front matter, else the first paragraph (shortened).
    pub summary: &'a str,
    pub date: Option<&'a str>,
    pub audience: &'a [String],
    pub lead_units: &'a [String],
    pub units: &'a [String],
    /// Number of targets in its front matter.
    pub target_count: usize,
    /// Number of regular pages (sections only).
    pub page_count: usize,
    /// 0 for the home page, 1 for its children...
    pub depth: usize,
}

impl<'a> PageRef<'a> {
    pub fn new(site: &'a Site, page: &'a Page, summary: &'a str) -> Self {
        let f = page.front();
        PageRef {
            title: &f.title,
            kind: f.kind.as_str(),
            number: f.number.as_deref(),
            order: f.order,
            is_section: page.is_section,
            path: &page.path,
            url: site.urls.url(&page.path),
            permalink: site.urls.permalink(&page.path),
            file: page.file(),
            summary,
            date: f.date.as_deref(),
            audience: &f.audience,
            lead_units: &f.lead_units,
            units: &f.units,
            target_count: f.targets.len(),
            page_count: page.pages.len(),
            depth: page.ancestors.len(),
        }
    }
}

/// The parts of `page` that are not shared with its [`PageRef`].
#[derive(Debug, Clone, Serialize)]
pub struct PageBody<'a> {
    /// The body as HTML; print it with `{{ page.content | safe }}`.
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub headings: &'a [Heading],
    /// Document metadata from front matter (on a policy document's `_index.md`).
    pub document: &'a DocumentMeta,
    /// Its targets as written in front matter (their assessment is on their cards,
    /// `target_cards`).
    pub targets: &'a [Target],
}

/// Converts any serializable value for templates; values come from our own types, whose
/// serialization cannot fail, so a failure is a bug shown as an empty value.
pub fn to_value<T: Serialize + ?Sized>(v: &T) -> Value {
    Value::try_from_serializable(v).unwrap_or_else(|_| Value::none())
}

/// Builds a map value from named parts, keeping their order.
pub fn map(parts: Vec<(&'static str, Value)>) -> Value {
    let mut m = tera::Map::default();
    for (k, v) in parts {
        m.insert(k.into(), v);
    }
    Value::from(m)
}
