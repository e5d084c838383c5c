//! Render stage: Markdown bodies to HTML, then every page through its tera template, in
//! parallel; plus the pages made by code ([`GeneratedPage`]), the sitemap, the Atom feed,
//! `robots.txt` and `404.html`. Produces a [`PageRecord`] per page for the search index.
//! Writes through an [`output::Sink`](crate::output::Sink); knows nothing of where files go.

pub mod context;
pub mod overview;
pub mod policy;
pub mod record;
pub mod templates;
pub mod value;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::load::SourcePage;
use crate::markdown;
use crate::model::{Page, PageId, Site, url};
use crate::output::Sink;
use context::{ConfigContext, PageBody, PageRef, map, to_value};
pub use record::{PageRecord, RecordFields, RecordTarget};
pub use templates::Templates;

/// A page made by code rather than by a content file: the unit pages, 责任清单, targets,
/// overview and search pages of later stages. Add one to [`Generated::pages`] and the
/// renderer gives it the same global context as every page (`config`, `site`), a `page`
/// object with the usual keys (so `base.html` works), your `context` entries on top, and
/// lists it in the sitemap.
#[derive(Debug, Clone)]
pub struct GeneratedPage {
    /// Site path, `/units/`; the file is `units/index.html`. A path with an extension
    /// (`/search/index.html`, `/overview.svg`) is used as the file name itself.
    pub path: String,
    /// Template name, e.g. `units.html`.
    pub template: String,
    /// `page.title`.
    pub title: String,
    /// Breadcrumb above this page, home first (site paths and titles); empty means home.
    pub ancestors: Vec<(String, String)>,
    /// Extra template variables (e.g. `units`, `matrix`), let go once the page is rendered.
    pub context: Context,
    /// Listed in `sitemap.xml` (default for HTML pages).
    pub in_sitemap: bool,
    /// Plain text for the search index; `None` keeps the page out of it.
    pub search_text: Option<String>,
}

impl GeneratedPage {
    /// A page at `path` rendered with `template`, in the sitemap, not in search.
    pub fn new(
        path: impl Into<String>,
        template: impl Into<String>,
        title: impl Into<String>,
    ) -> Self {
        GeneratedPage {
            path: path.into(),
            template: template.into(),
            title: title.into(),
            ancestors: Vec::new(),
            context: Context::new(),
            in_sitemap: true,
            search_text: None,
        }
    }
}

/// A file written as is (open data, search shards, images).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated: `data/targets.csv`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file made once the pages are rendered (the overview PNG): slow to make, large while it
/// is made, and no page depends on its bytes. A build makes it after the search index, when
/// it holds least; the watcher, on another thread while the pages render.
pub struct Deferred(Box<dyn FnOnce() -> Result<OutputFile, Diagnostic> + Send + Sync>);

impl Deferred {
    pub fn new(
        make: impl FnOnce() -> Result<OutputFile, Diagnostic> + Send + Sync + 'static,
    ) -> Self {
        Deferred(Box::new(make))
    }

    /// Makes the file.
    pub fn make(self) -> Result<OutputFile, Diagnostic> {
        (self.0)()
    }
}

impl std::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Deferred")
    }
}

/// What generators add to a build.
pub struct Generated<'s> {
    /// Where the files generators make are written, as soon as each is made (see
    /// [`Generated::write`]).
    sink: &'s dyn Sink,
    pub pages: Vec<GeneratedPage>,
    /// The files written by [`Generated::write`] (paths relative to the output folder).
    pub files: Vec<String>,
    /// Problems that do not stop the build (an unused unit...), printed unless `-q`.
    pub warnings: Vec<Diagnostic>,
    /// Problems that fail the build (an unknown unit...). The build still renders every
    /// page, so that `check` reports these with every other problem at once.
    pub errors: Vec<Diagnostic>,
    /// Values every template can read, put once into tera's global context (the policy
    /// graph as `policy`): cheaper than a copy in each page's context.
    pub globals: Vec<(&'static str, Value)>,
    /// Files made after the pages (see [`Deferred`]).
    pub deferred: Vec<Deferred>,
    /// Pieces of HTML rendered once per build and printed by many pages (see [`Fragments`]).
    pub fragments: Vec<Fragments>,
}

impl<'s> Generated<'s> {
    /// Nothing generated yet; files will be written to `sink`.
    pub fn new(sink: &'s dyn Sink) -> Self {
        Generated {
            sink,
            pages: Vec::new(),
            files: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            globals: Vec::new(),
            deferred: Vec::new(),
            fragments: Vec::new(),
        }
    }

    /// Writes a file made by a generator (open data, the overview SVG) at `path`, relative
    /// to the output folder. Files are written as they are made, not kept until the pages
    /// are rendered: the open data of a large plan is tens of megabytes. A failed write is
    /// an error of the build.
    pub fn write(&mut self, path: impl Into<String>, bytes: &[u8]) {
        let path = path.into();
        let written = self.sink.write(&path, bytes);
        self.record(path, written);
    }

    /// Lists the file at `path`, or its write's error among the build's errors.
    fn record(&mut self, path: String, written: Result<(), Diagnostic>) {
        match written {
            Ok(()) => self.files.push(path),
            Err(d) => self.errors.push(d),
        }
    }

    /// Adds what `other` generated after what this one did.
    pub fn append(&mut self, other: Generated<'_>) {
        let Generated {
            sink: _,
            pages,
            files,
            warnings,
            errors,
            globals,
            deferred,
            fragments,
        } = other;
        self.pages.extend(pages);
        self.files.extend(files);
        self.warnings.extend(warnings);
        self.errors.extend(errors);
        self.globals.extend(globals);
        self.deferred.extend(deferred);
        self.fragments.extend(fragments);
    }

    /// Makes and writes several files at once, each let go once written, as
    /// [`Generated::write`] does one: `make(i)` gives the path and bytes of file `i`.
    /// Files are made and written on the build's threads; they are listed in order of `i`.
    pub fn write_each<F>(&mut self, count: usize, make: F)
    where
        F: Fn(usize) -> (String, Vec<u8>) + Send + Sync,
    {
        let sink = self.sink;
        let results: Vec<(String, Result<(), Diagnostic>)> = (0..count)
            .into_par_iter()
            .map(|i| {
                let (path, bytes) = make(i);
                let written = sink.write(&path, &bytes);
                (path, written)
            })
            .collect();
        for (path, written) in results {
            self.record(path, written);
        }
    }
}

/// A list of HTML pieces rendered once per build, one per item, and given to every template
/// as the global `name` (a list of HTML strings, printed as they are): a target's card shows
/// on its page, its section, its units' and 人群's pages and `/targets/`, and rendering
/// each card once instead of at every place is a large part of a big plan's build.
pub struct Fragments {
    /// The global's name: `target_cards`.
    pub name: &'static str,
    /// The template of one piece: `partials/target_card.html`.
    pub template: &'static str,
    /// The name of the item in that template's context: `t`.
    pub item: &'static str,
    /// How many pieces.
    pub count: usize,
    /// The template value of item `i`. Each is made when its piece is rendered and let go
    /// right after: as template values, the 25,000 targets of a large plan would take
    /// several times the memory of their cards.
    pub make: Box<dyn Fn(usize) -> Value + Send + Sync>,
}

/// What rendering produced.
#[derive(Debug, Default)]
pub struct RenderReport {
    /// One per rendered content page, in tree order, then one per searchable generated page.
    pub records: Vec<PageRecord>,
    /// For each rendered content page (in the order of the first `records`): its id and
    /// the internal links its body resolved, with what they resolved to. An incremental
    /// rebuild renders the page again when one of them resolves differently.
    pub links: Vec<(PageId, Links)>,
    /// For each rendered content page, in the same order: its `#anchor` links. A full
    /// render checks them itself; an incremental one checks them with [`check_anchors`]
    /// over every page's, as it keeps them.
    pub anchors: Vec<(PageId, Anchors)>,
    /// Every page as listings show it (the `PageRef` values), in page order; with the
    /// global context left in the templates, enough for [`render_page`].
    pub refs: Vec<Value>,
    /// HTML pages written (content + generated + 404).
    pub pages: usize,
    /// Other files written.
    pub files: usize,
}

/// The internal links of a page body: target (after `@/`) and what it resolved to (a URL,
/// or the error message).
pub type Links = Vec<(String, String)>;

/// The `@/page.md#anchor` links of a page body, checked against the target's headings once
/// every page is rendered (see [`check_anchors`]).
pub type Anchors = Vec<markdown::AnchorLink>;

/// How much of the site to render, and from what. The default renders everything.
#[derive(Default)]
pub struct Plan<'a> {
    /// Every page's summary, in page order, when the caller keeps them (see [`summary`]).
    pub summaries: Option<&'a [String]>,
    /// Renders only the content pages for which this is true; the others are neither
    /// rendered nor written, and get no record. Generated and built-in files are always
    /// rendered.
    pub only: Option<&'a (dyn Fn(&Page) -> bool + Sync)>,
    /// The pages' Markdown, when the caller took it out of the site (see [`Bodies`]);
    /// otherwise it is read from the site.
    pub bodies: Option<&'a Bodies>,
}

/// Every page's Markdown, taken out of the site by a build that reads it only to render the
/// page: each body is let go as soon as its page is rendered, so that the bodies of a large
/// site shrink away as the plain text of its search records grows.
pub struct Bodies(Vec<std::sync::Mutex<String>>);

impl Bodies {
    /// Takes every page's body out of `site` (its pages keep empty bodies).
    pub fn take_from(site: &mut Site) -> Self {
        Bodies(
            site.pages
                .iter_mut()
                .map(|p| std::sync::Mutex::new(std::mem::take(&mut p.source.body)))
                .collect(),
        )
    }

    /// The body of page `id`; a second call gets an empty one.
    fn take(&self, id: PageId) -> String {
        self.0
            .get(id)
            .map(|b| std::mem::take(&mut *b.lock().unwrap_or_else(|e| e.into_inner())))
            .unwrap_or_default()
    }
}

/// Longest automatic summary, in characters.
const SUMMARY_CHARS: usize = 120;

fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}

/// A page's summary: `summary` from front matter, else its first paragraph, shortened.
pub fn summary(source: &SourcePage) -> String {
    match &source.front.summary {
        Some(s) => s.clone(),
        None => shorten(&markdown::first_paragraph(&source.body), SUMMARY_CHARS),
    }
}

/// Every page's summary. Listings need all of them before any page is rendered.
pub fn summaries(site: &Site) -> Vec<String> {
    site.pages.par_iter().map(|p| summary(&p.source)).collect()
}

/// Renders one page's Markdown, `body`; link problems become diagnostics located in its
/// file. `links` receives every internal link resolved.
fn render_body(
    site: &Site,
    page: &Page,
    body: &str,
    links: &mut Links,
) -> Result<markdown::Rendered, Vec<Diagnostic>> {
    let seen = std::sync::Mutex::new(Links::new());
    let resolve = |t: &str| {
        let r = site.resolve_internal(t);
        let shown = match &r {
            Ok(u) => u.clone(),
            Err(d) => format!("error: {}", d.message),
        };
        if let Ok(mut seen) = seen.lock() {
            seen.push((t.to_string(), shown));
        }
        r
    };
    let page_dir = page.source.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let opts = markdown::Options {
        resolve_link: &resolve,
        page_dir,
        base_path: &site.urls.base_path,
        highlight: site.config.markdown.highlight_code,
        unsafe_html: site.config.markdown.unsafe_html,
    };
    let md = markdown::render(body, &opts);
    *links = seen.into_inner().unwrap_or_default();
    if md.problems.is_empty() {
        return Ok(md);
    }
    Err(md
        .problems
        .iter()
        .map(|pr| {
            pr.diagnostic
                .clone()
                .in_file(page.file())
                .at(page.source.body_line + pr.line - 1, pr.column)
        })
        .collect())
}

/// The template for a content page: `index.html` for the home page, else `<kind>.html` if
/// the theme has one (`task.html`), else `section.html` or `page.html`.
fn template_for(templates: &Templates, site: &Site, page: &Page) -> String {
    if page.id == site.root {
        return "index.html".to_string();
    }
    let by_kind = format!("{}.html", page.front().kind.as_str());
    if page.front().kind != crate::load::front_matter::Kind::Page && templates.has(&by_kind) {
        return by_kind;
    }
    if page.is_section {
        "section.html"
    } else {
        "page.html"
    }
    .to_string()
}

/// The titles of the sections `page` is in, outermost first, the home page left out.
fn breadcrumb<'a>(site: &'a Site, page: &Page) -> Vec<&'a str> {
    page.ancestors
        .iter()
        .map(|&a| &site.pages[a])
        .filter(|p| p.path != "/")
        .map(Page::title)
        .collect()
}

/// The `page` value for a generated page: the same keys as a content page's.
fn generated_page_value(site: &Site, refs: &[Value], g: &GeneratedPage) -> Value {
    let ancestors: Vec<Value> = if g.ancestors.is_empty() {
        vec![refs[site.root].clone()]
    } else {
        g.ancestors
            .iter()
            .map(|(path, title)| {
                map(vec![
                    ("title", Value::from(title.as_str())),
                    ("path", Value::from(path.as_str())),
                    ("url", Value::from(site.urls.url(path))),
                ])
            })
            .collect()
    };
    map(vec![
        ("title", Value::from(g.title.as_str())),
        ("kind", Value::from("generated")),
        ("number", Value::none()),
        ("is_section", Value::from(false)),
        ("path", Value::from(g.path.as_str())),
        ("url", Value::from(site.urls.url(&g.path))),
        ("permalink", Value::from(site.urls.permalink(&g.path))),
        ("file", Value::none()),
        ("summary", Value::from("")),
        ("date", Value::none()),
        ("audience", Value::from(Vec::<Value>::new())),
        ("lead_units", Value::from(Vec::<Value>::new())),
        ("units", Value::from(Vec::<Value>::new())),
        ("target_count", Value::from(0)),
        ("targets", Value::from(Vec::<Value>::new())),
        ("content", Value::from("")),
        ("toc", Value::from(Vec::<Value>::new())),
        ("headings", Value::from(Vec::<Value>::new())),
        ("ancestors", Value::from(ancestors)),
        ("parent", Value::none()),
        ("prev", Value::none()),
        ("next", Value::none()),
        ("pages", Value::from(Vec::<Value>::new())),
        ("subsections", Value::from(Vec::<Value>::new())),
    ])
}

/// The pieces of `f`, in parallel, as one template value (a list of HTML strings).
fn render_fragments(templates: &Templates, f: &Fragments) -> Result<Value, Vec<Diagnostic>> {
    let pieces: Vec<Result<Value, Diagnostic>> = (0..f.count)
        .into_par_iter()
        .map(|i| {
            let mut ctx = Context::new();
            ctx.insert_value(f.item, (f.make)(i));
            let html = templates.render(f.template, &ctx)?;
            // The template file's final newline is not part of the piece.
            Ok(Value::safe_string(
                String::from_utf8_lossy(&html).trim_end(),
            ))
        })
        .collect();
    let mut values = Vec::with_capacity(pieces.len());
    let mut errors = Vec::new();
    for p in pieces {
        match p {
            Ok(v) => values.push(v),
            Err(d) => errors.push(d),
        }
    }
    // One broken card is one error, not one per target.
    errors.dedup();
    if errors.is_empty() {
        Ok(Value::from(values))
    } else {
        Err(errors)
    }
}

/// Renders the site into `sink`: content pages (those `plan` asks for), `generated` pages,
/// the sitemap, feed, robots.txt and 404 page. Reports every error found. The globals and
/// fragments of `generated` are taken into `templates` (and the fragments' items let go
/// once rendered).
pub fn render_with(
    site: &Site,
    templates: &mut Templates,
    generated: &mut Generated<'_>,
    sink: &dyn Sink,
    plan: &Plan<'_>,
) -> Result<RenderReport, Vec<Diagnostic>> {
    let computed;
    let summaries: &[String] = match plan.summaries {
        Some(s) => s,
        None => {
            computed = summaries(site);
            &computed
        }
    };

    // Shared values, built once.
    let refs: Vec<Value> = site
        .pages
        .par_iter()
        .map(|p| to_value(&PageRef::new(site, p, &summaries[p.id])))
        .collect();
    let home = &site.pages[site.root];
    let nav: Vec<Value> = home
        .subsections
        .iter()
        .chain(home.pages.iter())
        .map(|&i| refs[i].clone())
        .collect();
    let site_value = map(vec![
        ("home", refs[site.root].clone()),
        ("nav", Value::from(nav)),
        (
            "sections",
            Value::from(
                site.sections()
                    .map(|p| refs[p.id].clone())
                    .collect::<Vec<_>>(),
            ),
        ),
        ("pages", Value::from(refs.clone())),
        ("units", to_value(&site.units.units)),
        ("unit_placeholders", to_value(&site.units.placeholders)),
    ]);
    {
        let g = templates.tera.global_context();
        g.insert(
            "config",
            &ConfigContext::new(&site.config, &site.urls.base_path),
        );
        g.insert_value("site", site_value);
        for (name, value) in std::mem::take(&mut generated.globals) {
            g.insert_value(name, value);
        }
    }
    // A theme without the piece's template has no use for it.
    for f in std::mem::take(&mut generated.fragments) {
        if templates.has(f.template) {
            let html = render_fragments(templates, &f)?;
            templates.tera.global_context().insert_value(f.name, html);
        }
    }
    let templates: &Templates = templates;
    // The generated pages' own variables, let go as each page is rendered (a list of every
    // page for `/search/`, every task for a 人群...).
    let contexts: Vec<(Context, Option<String>)> = generated
        .pages
        .iter_mut()
        .map(|g| (std::mem::take(&mut g.context), g.search_text.take()))
        .collect();
    let generated: &Generated = generated;

    // Content pages (Markdown, template, write, one page at a time, so no more than a page's
    // HTML per thread is held in memory) beside the generated pages, so that the few large
    // generated pages (units, 责任清单, targets) share the threads with the many small ones.
    type PageResult = Result<(PageId, PageRecord, Links, Anchors), Vec<Diagnostic>>;
    let (results, gen_results) = rayon::join(
        || {
            site.pages
                .par_iter()
                .filter(|p| plan.only.is_none_or(|only| only(p)))
                .map(|p| {
                    let taken = plan.bodies.map(|b| b.take(p.id));
                    let body = taken.as_deref().unwrap_or(&p.source.body);
                    render_page(site, templates, &refs, p, body, sink)
                        .map(|(record, links, anchors)| (p.id, record, links, anchors))
                })
                .collect::<Vec<PageResult>>()
        },
        || {
            contexts
                .into_par_iter()
                .zip(generated.pages.par_iter())
                .map(|((mut ctx, search_text), g)| {
                    ctx.insert_value("page", generated_page_value(site, &refs, g));
                    ctx.insert("current_path", &g.path);
                    let html = templates.render(&g.template, &ctx)?;
                    let output = url::output_of(&g.path);
                    sink.write(&output, &html)?;
                    drop(ctx);
                    Ok(search_text.map(|text| {
                        let fields = RecordFields {
                            path: &g.path,
                            url: &site.urls.url(&g.path),
                            title: &g.title,
                            kind: "generated",
                            breadcrumb: &[],
                            headings: &[],
                            audience: &[],
                            lead_units: &[],
                            units: &[],
                            targets: &[],
                        };
                        PageRecord::new(fields, text)
                    }))
                })
                .collect::<Vec<Result<Option<PageRecord>, Diagnostic>>>()
        },
    );
    let mut errors = Vec::new();
    let mut report = RenderReport::default();
    for r in results {
        match r {
            Ok((id, rec, links, anchors)) => {
                report.links.push((id, links));
                report.anchors.push((id, anchors));
                report.records.push(rec);
            }
            Err(d) => errors.extend(d),
        }
    }
    report.pages = report.records.len();
    if errors.is_empty() && plan.only.is_none() {
        errors.extend(check_anchors(site, &report.records, &report.anchors));
    }

    for r in gen_results {
        match r {
            Ok(rec) => {
                report.pages += 1;
                report.records.extend(rec);
            }
            Err(d) => errors.push(d),
        }
    }
    // 404, sitemap, feed, robots.
    match builtin_files(site, templates, &refs, generated, summaries) {
        Ok(files) => {
            for (path, bytes) in files {
                match sink.write(&path, &bytes) {
                    Ok(()) if path.ends_with(".html") => report.pages += 1,
                    Ok(()) => report.files += 1,
                    Err(d) => errors.push(d),
                }
            }
        }
        Err(e) => errors.extend(e),
    }
    report.refs = refs;
    if errors.is_empty() {
        Ok(report)
    } else {
        Err(errors)
    }
}

/// Every `@/page.md#anchor` must name a heading of that page (or one of its targets,
/// `#target-<id>`).
pub fn check_anchors(
    site: &Site,
    records: &[PageRecord],
    links: &[(PageId, Anchors)],
) -> Vec<Diagnostic> {
    if links.is_empty() {
        return Vec::new();
    }
    let mut ids: HashMap<&str, Vec<String>> = HashMap::new();
    for r in records {
        let entry = ids.entry(r.path()).or_default();
        entry.extend(r.headings().map(|(id, _)| id.to_string()));
        entry.extend(r.targets().map(|t| format!("target-{}", t.id)));
    }
    let mut errors = Vec::new();
    for (from, link) in links
        .iter()
        .flat_map(|(id, anchors)| anchors.iter().map(move |a| (&site.pages[*id], a)))
    {
        let Ok(target) = site.page_for_link(&link.path) else {
            continue;
        };
        let anchor = percent_encoding::percent_decode_str(&link.anchor).decode_utf8_lossy();
        let known = ids
            .get(target.path.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        if known.iter().any(|id| *id == anchor) {
            continue;
        }
        let candidates: Vec<&str> = known.iter().map(String::as_str).collect();
        let hint = match crate::diagnostic::did_you_mean(&anchor, candidates.iter().copied()) {
            Some(c) => format!("did you mean #{c}?"),
            None if candidates.is_empty() => {
                format!("{} has no headings to link to", target.file())
            }
            None => format!(
                "link to one of its headings: {}",
                candidates
                    .iter()
                    .take(8)
                    .map(|c| format!("#{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        errors.push(
            Diagnostic::error(format!(
                "broken internal link: no heading #{anchor} in {}",
                target.file()
            ))
            .in_file(from.file())
            .at(from.source.body_line + link.line - 1, link.column)
            .with_hint(hint),
        );
    }
    errors
}

/// Renders one content page (Markdown `body`, template) into `sink`, with the shared values
/// of [`render_with`] (`refs` and the global context it put in `templates`). Returns its
/// record, the internal links its body resolved and its `#anchor` links.
pub fn render_page(
    site: &Site,
    templates: &Templates,
    refs: &[Value],
    p: &Page,
    body: &str,
    sink: &dyn Sink,
) -> Result<(PageRecord, Links, Anchors), Vec<Diagnostic>> {
    let mut links = Links::new();
    let mut md = render_body(site, p, body, &mut links)?;
    let anchors = std::mem::take(&mut md.anchors);
    let f = p.front();
    let ids = |v: &[usize]| Value::from(v.iter().map(|&i| refs[i].clone()).collect::<Vec<_>>());
    let opt = |i: Option<usize>| i.map(|i| refs[i].clone()).unwrap_or_else(Value::none);
    let mut m = refs[p.id].clone().into_map().unwrap_or_default();
    for (k, v) in [
        ("ancestors", ids(&p.ancestors)),
        ("parent", opt(p.parent)),
        ("prev", opt(p.prev)),
        ("next", opt(p.next)),
        ("pages", ids(&p.pages)),
        ("subsections", ids(&p.subsections)),
    ] {
        m.insert(k.into(), v);
    }
    let body_value = to_value(&PageBody {
        content: &md.html,
        toc: &md.toc,
        headings: &md.headings,
        document: &f.document,
        targets: &f.targets,
    });
    if let Some(extra) = body_value.into_map() {
        m.extend(extra);
    }
    let page_value = Value::from(m);
    let mut ctx = Context::new();
    if p.is_section {
        ctx.insert_value("section", page_value.clone());
    }
    ctx.insert_value("page", page_value);
    ctx.insert("current_path", &p.path);
    let template = template_for(templates, site, p);
    let html = templates
        .render(&template, &ctx)
        .map_err(|d| vec![with_page(d, p.file())])?;
    sink.write(&p.output, &html).map_err(|d| vec![d])?;
    let fields = RecordFields {
        path: &p.path,
        url: &site.url(p),
        title: &f.title,
        kind: f.kind.as_str(),
        breadcrumb: &breadcrumb(site, p),
        headings: &md.headings,
        audience: &f.audience,
        lead_units: &f.lead_units,
        units: &f.units,
        targets: &f.targets,
    };
    let record = PageRecord::new(fields, md.text);
    Ok((record, links, anchors))
}

/// Adds "while rendering content/x.md" to a template error.
fn with_page(mut d: Diagnostic, file: &str) -> Diagnostic {
    d.message.push_str(&format!(" (rendering {file})"));
    d
}

#[derive(Serialize)]
struct SitemapEntry {
    permalink: String,
    lastmod: Option<String>,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    permalink: String,
    updated: String,
    summary: &'a str,
}

/// RFC 3339 timestamp of a `YYYY-MM-DD` date, at midnight China time.
fn rfc3339(date: &str) -> String {
    format!("{date}T00:00:00+08:00")
}

fn builtin_files(
    site: &Site,
    templates: &Templates,
    refs: &[Value],
    generated: &Generated<'_>,
    summaries: &[String],
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut render = |name: &str, ctx: &Context, path: &str| match templates.render(name, ctx) {
        Ok(bytes) => out.push((path.to_string(), bytes)),
        Err(d) => errors.push(d),
    };

    // 404.html: a generated page at /404.html.
    let not_found = GeneratedPage {
        in_sitemap: false,
        ..GeneratedPage::new("/404.html", "404.html", "页面未找到")
    };
    let mut ctx = Context::new();
    ctx.insert_value("page", generated_page_value(site, refs, &not_found));
    ctx.insert("current_path", "/404.html");
    render("404.html", &ctx, "404.html");

    // sitemap.xml: every content page, then generated pages, in a stable order.
    let mut entries: Vec<SitemapEntry> = site
        .pages
        .iter()
        .map(|p| SitemapEntry {
            permalink: site.urls.permalink(&p.path),
            lastmod: p.front().date.clone(),
        })
        .collect();
    let mut gen_paths: Vec<&str> = generated
        .pages
        .iter()
        .filter(|g| g.in_sitemap)
        .map(|g| g.path.as_str())
        .collect();
    gen_paths.sort_unstable();
    entries.extend(gen_paths.into_iter().map(|p| SitemapEntry {
        permalink: site.urls.permalink(p),
        lastmod: None,
    }));
    let mut ctx = Context::new();
    ctx.insert("entries", &entries);
    render("sitemap.xml", &ctx, "sitemap.xml");

    // atom.xml: dated pages, newest first; without dates, the site's pages in order.
    let mut dated: Vec<&Page> = site
        .regular_pages()
        .filter(|p| p.front().date.is_some())
        .collect();
    dated.sort_by(|a, b| {
        b.front()
            .date
            .cmp(&a.front().date)
            .then(a.path.cmp(&b.path))
    });
    let fallback = site
        .config
        .document
        .published
        .clone()
        .or_else(|| site.config.document.written.clone())
        .unwrap_or_else(|| "1970-01-01".to_string());
    let chosen: Vec<&Page> = if dated.is_empty() {
        site.regular_pages().collect()
    } else {
        dated
    };
    let feed_entries: Vec<FeedEntry> = chosen
        .into_iter()
        .take(site.config.feed.limit)
        .map(|p| FeedEntry {
            title: p.title(),
            permalink: site.urls.permalink(&p.path),
            updated: rfc3339(p.front().date.as_deref().unwrap_or(&fallback)),
            summary: &summaries[p.id],
        })
        .collect();
    let updated = feed_entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| rfc3339(&fallback));
    let mut ctx = Context::new();
    ctx.insert("entries", &feed_entries);
    ctx.insert("updated", &updated);
    ctx.insert("feed_url", &site.urls.permalink("/atom.xml"));
    render("atom.xml", &ctx, "atom.xml");

    // robots.txt
    let mut ctx = Context::new();
    ctx.insert("sitemap_url", &site.urls.permalink("/sitemap.xml"));
    render("robots.txt", &ctx, "robots.txt");

    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
