//! Incremental rebuilds for the authoring room (`site build --watch`, `site serve`).
//!
//! [`Incremental`] keeps the site in memory between builds: every content file as parsed
//! (keyed by path, re-read when its modification time or size changes or the watcher names
//! it), the loaded templates, and for every rendered page a fingerprint of everything its
//! rendering read. A rebuild re-reads only changed files, rebuilds the site graph (cheap),
//! and renders again only the pages whose fingerprint changed: the page's own file, or a
//! page it shows (its ancestors, parent, neighbours, children), or a link in its body that
//! now resolves differently, or the values every page sees (`site.nav`, `site.sections`,
//! `site.targets`, the unit registry — and `site.pages` when a template uses it). Generated
//! pages (units, 责任清单, targets, overview), the sitemap, the feed and 404 are made again
//! every time from the whole graph; their files are written only when their bytes changed.
//! The search index is kept too ([`LiveIndex`]): an edit tokenizes again only the edited
//! pages and makes again only the index files their tokens and chunks touch. A config,
//! theme or template change, or a folder added or removed, is a full build.
//!
//! Order: the page an editor saved goes to disk first. A body edit (the fast path of
//! [`Incremental::rebuild_exact`]) writes the page, then updates the index. Any other edit
//! of an existing page first writes a preview of it, rendered against the last graph, then
//! rebuilds; the rebuild writes every file right (the preview included) or, on error,
//! puts the preview's previous bytes back. The build reports success (and live reload
//! fires) only once everything is written.
//!
//! Output: a full build writes into a temporary folder and swaps it in, exactly like
//! `site build`. An incremental rebuild renders everything it needs in memory first; on
//! any error it writes nothing (but for the preview above, put back). Then it writes each
//! changed file atomically (a temporary
//! file in the same folder, renamed over the old one) and deletes the files of pages that
//! are gone, so that a browser or a server never reads a half-written file. Should the disk
//! fail between two files (disk full), the error is returned and the caller's next build is
//! a full one, which puts the whole output right again. The result after any sequence of
//! edits is byte-identical to a clean build of the same input (tests/incremental.rs).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use rayon::prelude::*;

use super::{
    BuildOptions, BuildReport, Timer, check_collisions, copy_static, finish, generate, load_config,
    write_deferred,
};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::units::{UnitsFile, UnitsSource};
use crate::load::{self, Loaded, SourcePage, walk};
use crate::model::{ModelOptions, Page, Site};
use crate::output::{self, Discard, Sink, Staging};
use crate::render::{self, Anchors, Links, PageRecord, Plan, Templates};
use crate::search::live::LiveIndex;
use crate::theme;

/// What a build of an [`Incremental`] did.
#[derive(Debug)]
pub struct Step {
    pub report: BuildReport,
    /// True when it was a full build (atomic swap of the whole output).
    pub full: bool,
    /// Content pages rendered.
    pub rendered: usize,
    /// Files written or deleted in the output folder (every file for a full build).
    pub changed_files: usize,
}

/// A site kept in memory between builds. See the module documentation.
pub struct Incremental {
    opts: BuildOptions,
    state: Option<State>,
}

/// When a file was last modified, and its size.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// A content file as last read.
struct Source {
    stamp: Stamp,
    /// Hash of the file's bytes.
    hash: u64,
    page: SourcePage,
    summary: String,
    /// Hash of what `site.targets` shows of the page (its targets and title).
    targets: u64,
}

/// A content page as last rendered.
struct Rendered {
    fingerprint: u64,
    record: PageRecord,
    links: Links,
    anchors: Anchors,
}

/// Checks every page's `#anchor` links against the headings of the pages as they are now
/// (a clean build fails on a broken one, so an incremental build must too).
fn check_all_anchors(
    site: &Site,
    records: &[PageRecord],
    rendered: &HashMap<String, Rendered>,
) -> Vec<Diagnostic> {
    let anchors: Vec<(usize, Anchors)> = site
        .pages
        .iter()
        .filter_map(|p| {
            let r = rendered.get(&p.output)?;
            (!r.anchors.is_empty()).then(|| (p.id, r.anchors.clone()))
        })
        .collect();
    render::check_anchors(site, records, &anchors)
}

struct State {
    out: PathBuf,
    config: Config,
    /// Taken out while a build runs.
    templates: Option<Templates>,
    /// The parts of `site` the templates read (`None`: all of it). Only those parts are
    /// in the fingerprint every page shares.
    site_reads: Option<BTreeSet<String>>,
    sources: HashMap<String, Source>,
    units: Option<(Stamp, (UnitsFile, UnitsSource))>,
    assets: HashMap<String, Stamp>,
    /// Theme and site static files (they change only with a full build).
    statics: Vec<String>,
    /// By output path.
    rendered: HashMap<String, Rendered>,
    /// Every file of the output folder, relative to it.
    files: BTreeSet<String>,
    /// The site graph, its pages' template values, the fingerprints, and every record
    /// (content pages in page order, then generated pages): what a body edit needs to
    /// render one page again.
    site: Site,
    refs: Vec<tera::Value>,
    prints: Fingerprints,
    records: Vec<PageRecord>,
    /// The search index, as made from `records`.
    search: LiveIndex,
    /// HTML pages of the last build, and its warnings.
    pages: usize,
    warnings: Vec<Diagnostic>,
}

impl Incremental {
    pub fn new(opts: BuildOptions) -> Self {
        Incremental { opts, state: None }
    }

    /// The options this builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Builds the whole site (atomic swap of the output folder) and keeps it in memory.
    pub fn build_all(&mut self) -> Result<Step, Vec<Diagnostic>> {
        self.state = None;
        self.rebuild(&HashSet::new())
    }

    /// Brings the output up to date. `changed` names content files (relative to
    /// `content/`) known to have changed, read again even when their time stamp looks the
    /// same; other changes are found by time stamp. Without a previous good build this is a
    /// full build. On error the output is as it was, and the next build is a full one.
    pub fn rebuild(&mut self, changed: &HashSet<String>) -> Result<Step, Vec<Diagnostic>> {
        // Taken: after an error there is no state, and the next build is a full one.
        let previous = self.state.take();
        let (step, state) = step(&self.opts, previous, changed).map_err(finish)?;
        self.state = Some(state);
        Ok(step)
    }

    /// Like [`Incremental::rebuild`], for a caller that knows every file that changed (the
    /// watcher). When all of them are pages whose front matter and summary stayed the
    /// same — an editor writing the text of a page — only those pages are rendered and the
    /// search index is made again: the graph, listings, generated pages, sitemap and feed
    /// read no page body beyond its summary, so they cannot have changed (the overview
    /// reads the text of 组织实施: an edit there is not such an edit, see
    /// [`render::overview::reads_body`]). Otherwise this is [`Incremental::rebuild`].
    pub fn rebuild_exact(&mut self, changed: &HashSet<String>) -> Result<Step, Vec<Diagnostic>> {
        if let Some(mut state) = self.state.take() {
            match body_edits(&self.opts, &mut state, changed) {
                Some(Ok(step)) => {
                    self.state = Some(state);
                    return Ok(step);
                }
                // The state may be half updated: the next build is a full one.
                Some(Err(errors)) => return Err(finish(errors)),
                None => self.state = Some(state),
            }
        }
        // The pages the editor saved first, rendered against the previous graph; the
        // rebuild then puts every file right, these included, or on error puts them back.
        let previews = match self.state.as_mut() {
            Some(state) => preview(&self.opts, state, changed),
            None => Vec::new(),
        };
        let result = self.rebuild(changed);
        if result.is_err() && !previews.is_empty() {
            let out = self.opts.out_dir();
            let memory = Memory(Mutex::new(previews));
            // Best effort: the next build is a full one anyway.
            let _ = apply(
                &out,
                memory,
                &[],
                crate::config::Config::load(&self.opts.root).is_ok_and(|c| c.compress),
            );
        }
        result
    }
}

/// Writes the edited pages among `changed` (pages that exist, stay published and render
/// without error) as they now read, rendered against the graph of the last build, so that
/// the page an editor saved is on disk before the rest of the site is made. Returns the
/// previous bytes of the files written, to put back should the rebuild fail.
fn preview(
    opts: &BuildOptions,
    state: &mut State,
    changed: &HashSet<String>,
) -> Vec<(String, Vec<u8>)> {
    let Some(templates) = state.templates.as_ref() else {
        return Vec::new();
    };
    let dir = walk::content_dir(&opts.root);
    let memory = Memory::default();
    for rel in changed.iter().filter(|rel| rel.ends_with(".md")) {
        let Some(id) = state.site.page_by_rel(rel).map(|p| p.id) else {
            continue;
        };
        let Some(page) = std::fs::read(dir.join(rel))
            .ok()
            .and_then(|bytes| load::parse_page(rel, bytes).ok())
        else {
            continue;
        };
        if page.front.draft && !opts.drafts {
            continue;
        }
        // The graph is made again by the rebuild; until then it holds the new text, and the
        // page's own reference (its title, summary) what it now says.
        let summary = render::summary(&page);
        state.site.pages[id].source = page;
        let p = &state.site.pages[id];
        state.refs[id] =
            render::context::to_value(&render::context::PageRef::new(&state.site, p, &summary));
        let _ = render::render_page(
            &state.site,
            templates,
            &state.refs,
            p,
            &p.source.body,
            &memory,
        );
    }
    let files = memory.0.into_inner().unwrap_or_default();
    let before: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|(rel, _)| Some((rel.clone(), std::fs::read(state.out.join(rel)).ok()?)))
        .collect();
    match apply(
        &state.out,
        Memory(Mutex::new(files)),
        &[],
        state.config.compress,
    ) {
        Ok(_) => before,
        Err(_) => Vec::new(),
    }
}

/// The fast path of [`Incremental::rebuild_exact`]: `None` when it does not apply.
fn body_edits(
    opts: &BuildOptions,
    state: &mut State,
    changed: &HashSet<String>,
) -> Option<Result<Step, Vec<Diagnostic>>> {
    let mut timer = Timer::new();
    if changed.is_empty() || !changed.iter().all(|rel| rel.ends_with(".md")) {
        return None;
    }
    let dir = walk::content_dir(&opts.root);
    let mut edits = Vec::new();
    for rel in changed {
        let old = state.sources.get(rel)?;
        let page = state.site.page_by_rel(rel)?;
        // The overview reads the text of some pages (组织实施): not a body-only edit.
        if render::overview::reads_body(&state.site, page) {
            return None;
        }
        let id = page.id;
        let path = dir.join(rel);
        let st = stamp(&path);
        let bytes = std::fs::read(&path).ok()?;
        let hash = hash_bytes(&bytes);
        let page = load::parse_page(rel, bytes).ok()?;
        let same_front = page.front_matter_src == old.page.front_matter_src
            && page.front_matter_line == old.page.front_matter_line
            && page.body_line == old.page.body_line;
        let summary = render::summary(&page);
        if !same_front || summary != old.summary {
            return None;
        }
        let source = Source {
            stamp: st,
            hash,
            page,
            summary,
            targets: old.targets,
        };
        edits.push((id, rel.clone(), source));
    }
    timer.lap("load");
    let templates = state.templates.as_ref()?;
    let memory = Memory::default();
    let mut errors = Vec::new();
    let rendered = edits.len();
    // The records the index was last made from, for its update.
    let mut replaced: HashMap<usize, PageRecord> = HashMap::new();
    for (id, rel, source) in edits {
        state.site.pages[id].source = source.page.clone();
        state.sources.insert(rel, source);
        let p = &state.site.pages[id];
        let page = render::render_page(
            &state.site,
            templates,
            &state.refs,
            p,
            &p.source.body,
            &memory,
        );
        match page {
            Ok((record, links, anchors)) => {
                let prints = &state.prints;
                let fingerprint =
                    page_fingerprint(&state.site, &state.sources, &prints.refs, prints.global, p);
                state.prints.pages[id] = fingerprint;
                let old = std::mem::replace(&mut state.records[id], record.clone());
                replaced.entry(id).or_insert(old);
                state.rendered.insert(
                    p.output.clone(),
                    Rendered {
                        fingerprint,
                        record,
                        links,
                        anchors,
                    },
                );
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        errors = check_all_anchors(&state.site, &state.records, &state.rendered);
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    timer.lap("render");
    // The pages first: what the editor looks at is on disk before the index is made.
    let mut changed_files = match apply(&state.out, memory, &[], state.config.compress) {
        Ok(n) => n,
        Err(d) => return Some(Err(vec![d])),
    };
    timer.lap("write pages");
    let old: Vec<&PageRecord> = (0..state.records.len())
        .map(|i| replaced.get(&i).unwrap_or(&state.records[i]))
        .collect();
    let memory = Memory::default();
    let before: HashSet<String> = state.search.paths().cloned().collect();
    if let Err(e) = crate::search::pages::update_index(
        &state.site,
        &mut state.search,
        &old,
        &state.records,
        &memory,
    ) {
        return Some(Err(e));
    }
    drop(old);
    timer.lap("index");
    let now: HashSet<&String> = state.search.paths().collect();
    let gone: Vec<&String> = before.iter().filter(|p| !now.contains(p)).collect();
    changed_files += match apply(&state.out, memory, &gone, state.config.compress) {
        Ok(n) => n,
        Err(d) => return Some(Err(vec![d])),
    };
    for p in gone {
        state.files.remove(p);
    }
    state.files.extend(state.search.paths().cloned());
    timer.lap("write");
    Some(Ok(Step {
        report: BuildReport {
            pages: state.pages,
            files: state.files.len().saturating_sub(state.pages),
            elapsed: timer.start.elapsed(),
            timings: timer.timings,
            warnings: state.warnings.clone(),
            out: Some(state.out.clone()),
        },
        full: false,
        rendered,
        changed_files,
    }))
}

fn step(
    opts: &BuildOptions,
    previous: Option<State>,
    changed: &HashSet<String>,
) -> Result<(Step, State), Vec<Diagnostic>> {
    let mut timer = Timer::new();
    let out = output::check_out_dir(&opts.root, &opts.out_dir()).map_err(|d| vec![d])?;
    let root = opts.root.clone();
    let config = load_config(opts).map_err(|d| vec![d])?;
    // A config change (or a different output) is a full build.
    let mut previous = previous.filter(|p| p.config == config && p.out == out);
    let full = previous.is_none();
    if full && !root.join(crate::config::FILE).is_file() && !root.join("content").is_dir() {
        return Err(super::load_site(opts).err().unwrap_or_default());
    }

    // Load: only what changed.
    let (sources, units, assets) = load_changed(&root, previous.as_ref(), changed)?;
    let loaded = Loaded {
        pages: {
            let mut pages: Vec<SourcePage> = sources.values().map(|s| s.page.clone()).collect();
            pages.sort_by(|a, b| a.rel.cmp(&b.rel));
            pages
        },
        assets: {
            let mut a: Vec<String> = assets.keys().cloned().collect();
            a.sort();
            a
        },
        units: units
            .as_ref()
            .map(|(_, (u, _))| u.clone())
            .unwrap_or_default(),
        units_source: units
            .as_ref()
            .map(|(_, (_, s))| s.clone())
            .unwrap_or_default(),
    };
    let site = Site::build(
        config.clone(),
        loaded,
        &ModelOptions {
            drafts: opts.drafts,
        },
    )?;
    timer.lap("load");
    // Where files go: the staging folder of a full build; otherwise memory, written out
    // once everything is made (see the module documentation).
    let memory = Memory::default();
    let staging = if full {
        Some(Staging::new(&out, config.compress).map_err(|d| vec![d])?)
    } else {
        None
    };
    let sink: &dyn Sink = match &staging {
        Some(staging) => staging,
        None => &memory,
    };
    let recorder = Recorder {
        inner: sink,
        paths: Mutex::new(Vec::new()),
    };
    let mut generated = generate(
        &site,
        &root,
        crate::render::overview::PngMode::Write {
            previous_out: Some(&out),
        },
        &recorder,
    )?;
    check_collisions(&site, &generated)?;
    timer.lap("generate");

    let (mut templates, theme_files, site_reads) =
        match previous.as_mut().and_then(|p| p.templates.take()) {
            Some(templates) => (
                templates,
                None,
                previous.as_ref().and_then(|p| p.site_reads.clone()),
            ),
            None => {
                let files = theme::files(&root, &site.config.theme).map_err(|d| vec![d])?;
                let templates = Templates::load(&files.templates, &site.urls)?;
                let mut reads = Some(BTreeSet::new());
                for f in &files.templates {
                    let text = f.origin.read().unwrap_or_default();
                    match (site_reads(&String::from_utf8_lossy(&text)), reads.as_mut()) {
                        (Some(fields), Some(all)) => all.extend(fields),
                        _ => reads = None,
                    }
                }
                (templates, Some(files), reads)
            }
        };
    timer.lap("templates");

    // What to render: pages whose inputs changed.
    let summaries: Vec<String> = site
        .pages
        .iter()
        .map(|p| {
            sources
                .get(&p.source.rel)
                .map(|s| s.summary.clone())
                .unwrap_or_else(|| render::summary(&p.source))
        })
        .collect();
    let prints = fingerprints(&site, &sources, &summaries, site_reads.as_ref());
    let fingerprints = &prints.pages;
    let dirty: Vec<bool> = site
        .pages
        .par_iter()
        .map(|p| {
            let Some(old) = previous.as_ref().and_then(|s| s.rendered.get(&p.output)) else {
                return true;
            };
            old.fingerprint != fingerprints[p.id]
                || old
                    .links
                    .iter()
                    .any(|(target, was)| resolved(&site, target) != *was)
        })
        .collect();
    let only = |p: &Page| dirty[p.id];

    let mut statics = Vec::new();
    if let Some(files) = &theme_files {
        copy_static(&site, files, &root, &recorder)?;
        statics = files.statics.iter().map(|f| f.rel.clone()).collect();
    } else {
        // Content assets that changed since the last build.
        let old = previous.as_ref().map(|s| &s.assets);
        for rel in &site.assets {
            if old.and_then(|a| a.get(rel)) != assets.get(rel) || changed.contains(rel) {
                let bytes = std::fs::read(root.join("content").join(rel)).map_err(|e| {
                    vec![
                        Diagnostic::error(format!("cannot read: {e}"))
                            .in_file(format!("content/{rel}")),
                    ]
                })?;
                recorder.write(rel, &bytes).map_err(|d| vec![d])?;
            }
        }
    }
    let rendered_count = dirty.iter().filter(|d| **d).count();
    // The overview PNG is drawn on another thread while the pages render: the watcher keeps
    // the whole site in memory anyway, and an editor waits for the last file.
    let deferred = std::mem::take(&mut generated.deferred);
    let (report, made) = rayon::join(
        || {
            render::render_with(
                &site,
                &mut templates,
                &mut generated,
                &recorder,
                &Plan {
                    summaries: Some(&summaries),
                    only: Some(&only),
                    // Kept: a body edit renders a page again from the site.
                    bodies: None,
                },
            )
        },
        || write_deferred(deferred, &recorder),
    );
    let report = report?;
    made?;
    timer.lap("render");

    // Records of every page, in tree order, for the search index.
    let content_records = report.links.len();
    let mut fresh: HashMap<usize, (PageRecord, Links, Anchors)> = report
        .links
        .into_iter()
        .zip(report.anchors)
        .zip(report.records.iter().take(content_records).cloned())
        .map(|(((id, links), (_, anchors)), rec)| (id, (rec, links, anchors)))
        .collect();
    let mut rendered = HashMap::with_capacity(site.pages.len());
    let mut records = Vec::with_capacity(site.pages.len() + report.records.len());
    let mut old_rendered = previous
        .as_mut()
        .map(|s| std::mem::take(&mut s.rendered))
        .unwrap_or_default();
    for p in &site.pages {
        let (record, links, anchors) = match fresh.remove(&p.id) {
            Some(r) => r,
            None => match old_rendered.remove(&p.output) {
                Some(old) => (old.record, old.links, old.anchors),
                None => {
                    // Not rendered and not known: cannot happen.
                    return Err(vec![Diagnostic::error(format!(
                        "internal error: no rendering of {} is known",
                        p.file()
                    ))]);
                }
            },
        };
        records.push(record.clone());
        rendered.insert(
            p.output.clone(),
            Rendered {
                fingerprint: fingerprints[p.id],
                record,
                links,
                anchors,
            },
        );
    }
    let anchor_errors = check_all_anchors(&site, &records, &rendered);
    if !anchor_errors.is_empty() {
        return Err(anchor_errors);
    }
    let refs = report.refs;
    records.extend(report.records.into_iter().skip(content_records));
    // The search index, updated from what changed since the last build (all of it the
    // first time).
    let mut search = previous
        .as_mut()
        .map(|s| std::mem::take(&mut s.search))
        .unwrap_or_default();
    let old: Vec<&PageRecord> = previous
        .as_ref()
        .map(|s| s.records.iter().collect())
        .unwrap_or_default();
    crate::search::pages::update_index(&site, &mut search, &old, &records, &recorder)?;
    drop(old);
    timer.lap("index");

    // Write.
    let pages = site.pages.len() + generated.pages.len() + 1;
    let warnings = std::mem::take(&mut generated.warnings);
    drop(generated);
    let written = recorder.paths.into_inner().unwrap_or_default();
    let (files, changed_files, statics) = if let Some(staging) = staging {
        let n = written.len();
        staging.commit().map_err(|d| vec![d])?;
        (written.into_iter().collect::<BTreeSet<_>>(), n, statics)
    } else {
        let state = previous
            .as_ref()
            .ok_or_else(|| vec![Diagnostic::error("internal error: no state")])?;
        let statics = state.statics.clone();
        let mut files: BTreeSet<String> = statics.iter().cloned().collect();
        files.extend(site.assets.iter().cloned());
        files.extend(site.pages.iter().map(|p| p.output.clone()));
        files.extend(written.iter().cloned());
        files.extend(search.paths().cloned());
        let gone: Vec<&String> = state.files.difference(&files).collect();
        let n = apply(&out, memory, &gone, config.compress).map_err(|d| vec![d])?;
        (files, n, statics)
    };
    timer.lap("write");

    let state = State {
        out: out.clone(),
        config,
        templates: Some(templates),
        site_reads,
        sources,
        units,
        assets,
        statics,
        rendered,
        files: files.clone(),
        site,
        refs,
        prints,
        records,
        search,
        pages,
        warnings: warnings.clone(),
    };
    let step = Step {
        report: BuildReport {
            pages,
            files: files.len().saturating_sub(pages),
            elapsed: timer.start.elapsed(),
            timings: timer.timings,
            warnings,
            out: Some(out),
        },
        full,
        rendered: rendered_count,
        changed_files,
    };
    Ok((step, state))
}

/// What an internal link resolves to now, as recorded by the renderer.
fn resolved(site: &Site, target: &str) -> String {
    match site.resolve_internal(target) {
        Ok(u) => u,
        Err(d) => format!("error: {}", d.message),
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

type LoadedSources = (
    HashMap<String, Source>,
    Option<(Stamp, (UnitsFile, UnitsSource))>,
    HashMap<String, Stamp>,
);

/// Walks `content/` and reads the files that are new or changed (by time stamp and size,
/// or named in `changed`); the others come from `previous`.
fn load_changed(
    root: &Path,
    previous: Option<&State>,
    changed: &HashSet<String>,
) -> Result<LoadedSources, Vec<Diagnostic>> {
    let dir = walk::content_dir(root);
    if !dir.is_dir() {
        return load::load(root).map(|_| Default::default());
    }
    let files = walk::walk(&dir, "content")?;
    let results: Vec<Result<(String, Source), Diagnostic>> = files
        .pages
        .par_iter()
        .map(|rel| {
            let path = dir.join(rel);
            let st = stamp(&path);
            if let Some(old) = previous.and_then(|s| s.sources.get(rel))
                && old.stamp == st
                && st.is_some()
                && !changed.contains(rel)
            {
                return Ok((
                    rel.clone(),
                    Source {
                        stamp: old.stamp,
                        hash: old.hash,
                        page: old.page.clone(),
                        summary: old.summary.clone(),
                        targets: old.targets,
                    },
                ));
            }
            let bytes = std::fs::read(&path).map_err(|e| {
                Diagnostic::error(format!("cannot read file: {e}"))
                    .in_file(format!("content/{rel}"))
            })?;
            let hash = hash_bytes(&bytes);
            let page = load::parse_page(rel, bytes)?;
            let summary = render::summary(&page);
            let targets =
                hash_bytes(format!("{:?}{}", page.front.targets, page.front.title).as_bytes());
            Ok((
                rel.clone(),
                Source {
                    stamp: st,
                    hash,
                    page,
                    summary,
                    targets,
                },
            ))
        })
        .collect();
    let mut errors = Vec::new();
    let mut sources = HashMap::with_capacity(results.len());
    for r in results {
        match r {
            Ok((rel, s)) => {
                sources.insert(rel, s);
            }
            Err(d) => errors.push(d),
        }
    }
    let units = match &files.units {
        Some(rel) => {
            let path = dir.join(rel);
            let st = stamp(&path);
            match previous.and_then(|s| s.units.as_ref()) {
                Some((old, units)) if *old == st && st.is_some() && !changed.contains(rel) => {
                    Some((st, units.clone()))
                }
                _ => match load::units::load(&path, &format!("content/{rel}")) {
                    Ok(u) => Some((st, u)),
                    Err(d) => {
                        errors.push(d);
                        None
                    }
                },
            }
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let assets = files
        .assets
        .iter()
        .map(|rel| (rel.clone(), stamp(&dir.join(rel))))
        .collect();
    Ok((sources, units, assets))
}

/// For every page, a hash of everything its rendering reads (see the module documentation).
fn fingerprints(
    site: &Site,
    sources: &HashMap<String, Source>,
    summaries: &[String],
    site_reads: Option<&BTreeSet<String>>,
) -> Fingerprints {
    // What listings, breadcrumbs and navigation show of a page: its front matter and
    // summary, not the rest of its body.
    let refs: Vec<u64> = site
        .pages
        .par_iter()
        .map(|p| {
            let mut h = DefaultHasher::new();
            (
                &p.source.front_matter_src,
                &p.source.front.title,
                &summaries[p.id],
                &p.source.rel,
                &p.path,
                p.is_section,
                p.pages.len(),
                p.ancestors.len(),
            )
                .hash(&mut h);
            h.finish()
        })
        .collect();
    // What every page sees: the parts of `site` the templates read.
    let reads = |field: &str| site_reads.is_none_or(|r| r.contains(field));
    let mut g = DefaultHasher::new();
    if reads("units") || reads("unit_placeholders") {
        format!("{:?}", site.units).hash(&mut g);
    }
    "home".hash(&mut g);
    if reads("home") {
        refs[site.root].hash(&mut g);
    }
    "nav".hash(&mut g);
    if reads("nav") {
        let home = &site.pages[site.root];
        for &i in home.subsections.iter().chain(home.pages.iter()) {
            refs[i].hash(&mut g);
        }
    }
    "sections".hash(&mut g);
    if reads("sections") {
        for p in site.sections() {
            refs[p.id].hash(&mut g);
        }
    }
    // `site.targets`: each target with its page's title and address.
    "targets".hash(&mut g);
    if reads("targets") {
        for p in site.pages.iter().filter(|p| !p.front().targets.is_empty()) {
            (sources.get(&p.source.rel).map(|s| s.targets), &p.path).hash(&mut g);
        }
    }
    "pages".hash(&mut g);
    if reads("pages") {
        refs.hash(&mut g);
    }
    let global = g.finish();
    let prints = site
        .pages
        .par_iter()
        .map(|p| page_fingerprint(site, sources, &refs, global, p))
        .collect();
    Fingerprints {
        refs,
        global,
        pages: prints,
    }
}

/// Hashes of the pages as listings show them, of what every page sees, and of every page.
struct Fingerprints {
    refs: Vec<u64>,
    global: u64,
    pages: Vec<u64>,
}

/// The fingerprint of one page: what every page sees, the page itself (front matter and
/// body), and the pages it shows.
fn page_fingerprint(
    site: &Site,
    sources: &HashMap<String, Source>,
    refs: &[u64],
    global: u64,
    p: &Page,
) -> u64 {
    let mut h = DefaultHasher::new();
    global.hash(&mut h);
    refs[p.id].hash(&mut h);
    // The body.
    sources
        .get(&p.source.rel)
        .map(|s| s.hash)
        .unwrap_or_else(|| hash_bytes(p.source.body.as_bytes()))
        .hash(&mut h);
    (p.id == site.root, &p.output).hash(&mut h);
    let ids = |v: &[usize], h: &mut DefaultHasher| {
        v.len().hash(h);
        for &i in v {
            refs[i].hash(h);
        }
    };
    ids(&p.ancestors, &mut h);
    ids(&p.pages, &mut h);
    ids(&p.subsections, &mut h);
    for i in [p.parent, p.prev, p.next] {
        i.map(|i| refs[i]).hash(&mut h);
    }
    h.finish()
}

/// The parts of `site` a template reads (`nav`, `targets`...), or `None` when it may read
/// all of it: any use of `site` inside `{{ }}` or `{% %}` other than `site.<name>`
/// (`{% set s = site %}`, `site["pages"]`, `__tera_context`).
fn site_reads(template: &str) -> Option<BTreeSet<String>> {
    let mut fields = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let tail = &rest[open..];
        let close = if tail.starts_with("{{") {
            "}}"
        } else if tail.starts_with("{%") {
            "%}"
        } else {
            rest = &tail[1..];
            continue;
        };
        let end = tail[2..].find(close).map(|e| e + 2).unwrap_or(tail.len());
        let code = &tail[2..end];
        if code.contains("__tera_context") {
            return None;
        }
        let bytes = code.as_bytes();
        let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        for (i, _) in code.match_indices("site") {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            if before.is_some_and(|b| ident(b) || b == b'.' || b == b'-') {
                continue;
            }
            let after = &code[i + 4..];
            if after.bytes().next().is_some_and(ident) {
                continue;
            }
            let field: String = after
                .strip_prefix('.')?
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            fields.insert(field);
        }
        rest = &tail[(end + close.len()).min(tail.len())..];
    }
    Some(fields)
}

/// A sink that keeps what is written, for the incremental write.
#[derive(Default)]
struct Memory(Mutex<Vec<(String, Vec<u8>)>>);

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        Discard.write(rel, bytes)?;
        if let Ok(mut files) = self.0.lock() {
            files.push((rel.to_string(), bytes.to_vec()));
        }
        Ok(())
    }
}

/// A sink that notes every path written.
struct Recorder<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
}

impl Sink for Recorder<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.inner.write(rel, bytes)?;
        if let Ok(mut paths) = self.paths.lock() {
            paths.push(rel.to_string());
        }
        Ok(())
    }
}

static TEMP: AtomicU64 = AtomicU64::new(0);

/// Writes the files of `memory` whose bytes differ from the output's, each atomically and
/// with its compressed copies as a full build writes them (see
/// [`output::compress::copies`]), then deletes `gone` and the folders they leave empty.
/// Returns the number of files written or deleted.
fn apply(out: &Path, memory: Memory, gone: &[&String], brotli: bool) -> Result<usize, Diagnostic> {
    let files = memory.0.into_inner().unwrap_or_default();
    // In parallel: large generated pages (listings of every page) take a while to compress.
    let written: Vec<Result<bool, Diagnostic>> = files
        .par_iter()
        .map(|(rel, bytes)| {
            let path = out.join(rel);
            if std::fs::read(&path).is_ok_and(|old| old == *bytes) {
                return Ok(false);
            }
            let parent = path.parent().unwrap_or(out);
            let cannot = |e: std::io::Error| {
                Diagnostic::error(format!("cannot write {}: {e}", path.display()))
                    .with_hint("check that the output folder is writable and the disk is not full")
            };
            std::fs::create_dir_all(parent).map_err(cannot)?;
            write_atomically(&path, bytes).map_err(cannot)?;
            for (suffix, copy) in output::compress::copies(&path, bytes, brotli) {
                let copy_path = output::compress::with_suffix(&path, suffix);
                match copy {
                    Some(c) => write_atomically(&copy_path, &c).map_err(cannot)?,
                    None => {
                        remove_if_there(&copy_path).map_err(cannot)?;
                    }
                }
            }
            Ok(true)
        })
        .collect();
    let mut n = 0;
    for w in written {
        n += usize::from(w?);
    }
    for rel in gone {
        let path = out.join(rel);
        let cannot =
            |e: std::io::Error| Diagnostic::error(format!("cannot delete {}: {e}", path.display()));
        for suffix in ["gz", "br"] {
            remove_if_there(&output::compress::with_suffix(&path, suffix)).map_err(cannot)?;
        }
        if remove_if_there(&path).map_err(cannot)? {
            n += 1;
        }
        // A clean build has no empty folders.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| d.starts_with(out) && *d != out) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(n)
}

/// Writes `path` through a temporary file renamed over it, so a reader never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = parent.join(format!(
        ".{name}.site-tmp-{}-{}",
        std::process::id(),
        TEMP.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&temp, bytes)
        .and_then(|()| std::fs::rename(&temp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
}

/// Deletes `path`; true if it was there.
fn remove_if_there(path: &Path) -> std::io::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_parts_of_site_templates_read() {
        let set = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>());
        assert_eq!(
            site_reads("<p class=\"site-nav\">{% for p in site.nav %}{{ p.title }}{% endfor %}"),
            set(&["nav"])
        );
        assert_eq!(
            site_reads("{{ site.home.title }} {{ site.targets | length }} { not code }"),
            set(&["home", "targets"])
        );
        assert_eq!(
            site_reads("{% for p in site.pages %}{{ p.title }}{% endfor %}"),
            set(&["pages"])
        );
        assert_eq!(site_reads("{% set s = site %}{{ s.pages }}"), None);
        assert_eq!(site_reads("{{ site[\"pages\"] }}"), None);
        assert_eq!(site_reads("{{ website }} {{ page.site }}"), set(&[]));
        assert_eq!(site_reads("{{ __tera_context }}"), None);
        assert_eq!(site_reads("{{ site"), None);
    }
}
