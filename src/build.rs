//! The pipeline, and the library API that the command line, the watcher and the server call:
//! [`build`] and [`check`]. Stages run in order — config, load, model, generators, templates,
//! render, search index, write — and each stage reports all its errors before the build
//! stops.
//!
//! Extension points for later stages:
//! - pages and files made by code (units, 责任清单, targets, open data, overview): add them in
//!   [`generate`] as [`GeneratedPage`](crate::render::GeneratedPage)s and files written
//!   with [`Generated::write`](crate::render::Generated::write);
//! - files made from the rendered pages (the search index): written in [`index_files`],
//!   which receives every page's [`PageRecord`] and the output sink.

mod incremental;

pub use incremental::{Incremental, Step};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::model::{ModelOptions, Site, url};
use crate::output::{self, Discard, Sink, Staging, Written};
use crate::render::{self, Deferred, Generated, PageRecord, Templates};
use crate::theme;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holds `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Publish `draft: true` pages.
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            base_url: None,
            drafts: false,
        }
    }

    /// The output folder this build writes.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// Other files written (CSS, feeds, data, assets).
    pub files: usize,
    pub elapsed: Duration,
    /// Time per stage, in pipeline order (for `-v`).
    pub timings: Vec<(&'static str, Duration)>,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Where the site was written (`None` for `check`).
    pub out: Option<PathBuf>,
}

/// Stopwatch for stage timings.
struct Timer {
    start: Instant,
    last: Instant,
    timings: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn new() -> Self {
        let now = Instant::now();
        Timer {
            start: now,
            last: now,
            timings: Vec::new(),
        }
    }
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.push((stage, now - self.last));
        self.last = now;
    }
}

/// Reads `site.yaml` and `content/` into the site graph. Used by build, check, and anything
/// that needs the graph without rendering.
pub fn load_site(opts: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
    let config = load_config(opts);
    let loaded = crate::load::load(&opts.root);
    let (config, loaded) = match (config, loaded) {
        (Ok(c), Ok(l)) => (c, l),
        (c, l) => {
            let mut errors = Vec::new();
            if let Err(e) = c {
                errors.push(e);
            }
            if let Err(e) = l {
                errors.extend(e);
            }
            return Err(errors);
        }
    };
    Site::build(
        config,
        loaded,
        &ModelOptions {
            drafts: opts.drafts,
        },
    )
}

fn load_config(opts: &BuildOptions) -> Result<Config, Diagnostic> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = crate::config::normalize_base_url(url).map_err(|d| Diagnostic {
            message: format!("--base-url: {}", d.message),
            ..d
        })?;
    }
    Ok(config)
}

/// Pages and files made by code from the site graph. Later stages add theirs here. Files
/// are written to `sink` as they are made.
/// Generators read the graph and front matter, never page bodies (beyond summaries): the
/// watcher skips them when only the text of pages changed (see [`Incremental`]). The one
/// exception is the overview, which reads the text of 组织实施 for its evaluation steps;
/// the watcher asks [`render::overview::reads_body`] before skipping generators.
/// `root` is the site's folder (for the theme's icons); `png` says whether to draw the
/// overview PNG and where the last one is.
pub fn generate<'s>(
    site: &Site,
    root: &Path,
    png: render::overview::PngMode<'_>,
    sink: &'s dyn Sink,
) -> Result<Generated<'s>, Vec<Diagnostic>> {
    let mut generated = Generated::new(sink);
    generated.pages.push(crate::search::pages::page(site));
    // Generators push their pages to `generated.pages`, write files with `generated.write`,
    // push problems
    // that should not stop the build to `generated.warnings` and those that should to
    // `generated.errors` (the build still renders, so every problem is reported at once).
    // Issue 4: units, audiences, 责任清单, targets, open data.
    let (graph, period) = render::policy::generate(site, build_date(), &mut generated);
    // The open data beside the overview (issue 5: its page and images) and the graph's
    // template value, which read the graph only: on two cores, the one the open data's
    // largest file leaves free makes the others.
    let mut overview = Generated::new(sink);
    let ((), policy) = rayon::join(
        || render::policy::write_data(site, &graph, &mut generated),
        || {
            render::overview::generate(site, root, &graph, &period, png, &mut overview);
            render::policy::policy_value(&graph)
        },
    );
    generated.append(overview);
    // The target cards' values last, made from the graph's targets once the rest of the
    // graph has let its memory go.
    render::policy::template_values(graph, policy, &mut generated);
    Ok(generated)
}

/// The build date, China Standard Time (UTC+8): the evaluation date of target progress when
/// `site.yaml` sets no `plan.as_of`. `SOURCE_DATE_EPOCH` (Unix seconds), when set, replaces
/// the clock, for reproducible builds.
pub fn build_date() -> time::Date {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    crate::model::policy::date_from_unix(seconds + 8 * 3600)
}

/// Files made from the rendered pages: the search index (`search/`), written to `sink` as
/// it is made. Returns the number of files written.
pub fn index_files(
    site: &Site,
    records: &[PageRecord],
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    crate::search::pages::write_index(site, records, sink)
}

/// Makes the deferred files of a build (the overview PNG) and writes them to `sink`;
/// returns how many were written.
fn write_deferred(deferred: Vec<Deferred>, sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
    let mut written = Written::default();
    for d in deferred {
        written.add(d.make().and_then(|f| sink.write(&f.path, &f.bytes)));
    }
    written.finish()
}

/// Two outputs with one path are an error naming both sources.
fn check_collisions(site: &Site, generated: &Generated) -> Result<(), Vec<Diagnostic>> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut errors = Vec::new();
    let builtins = ["404.html", "sitemap.xml", "atom.xml", "robots.txt"];
    let outputs = site
        .pages
        .iter()
        .map(|p| (p.output.clone(), p.file().to_string()))
        .chain(
            site.assets
                .iter()
                .map(|a| (a.clone(), format!("content/{a}"))),
        )
        .chain(
            builtins
                .iter()
                .map(|b| (b.to_string(), format!("the built-in {b}"))),
        )
        .chain(generated.pages.iter().map(|g| {
            (
                url::output_of(&g.path),
                format!("the generated page {} ({})", g.path, g.template),
            )
        }))
        .chain(
            generated
                .files
                .iter()
                .map(|f| (f.clone(), format!("the generated file {f}"))),
        );
    for (out, source) in outputs {
        if let Some(other) = seen.get(&out) {
            errors.push(
                Diagnostic::error(format!(
                    "{source} and {other} would both be written to {out}"
                ))
                .with_hint(
                    "rename or move the content file; some paths are reserved for generated pages",
                ),
            );
        } else {
            seen.insert(out, source);
        }
    }
    // A page whose folder is another output's file (`content/404.html.md` publishes
    // `404.html/index.html`, but `404.html` is the built-in page).
    for (out, source) in &seen {
        let mut folder = out.as_str();
        while let Some(i) = folder.rfind('/') {
            folder = &folder[..i];
            if let Some(other) = seen.get(folder) {
                errors.push(
                    Diagnostic::error(format!(
                        "{source} would be written inside {folder}, which is {other}"
                    ))
                    .with_hint(
                        "rename or move the content file; some paths are reserved for generated pages",
                    ),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Theme stylesheets and scripts are published minified: the theme keeps its comments for
/// the people who edit it, readers' phones don't download them. Anything the minifier
/// cannot read is published as it is.
fn minify(rel: &str, bytes: Vec<u8>) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return bytes;
    };
    let min = if rel.ends_with(".css") {
        minifier::css::minify(text).map(|m| m.to_string())
    } else if rel.ends_with(".js") {
        minifier::js::minify(text).map(|m| m.to_string())
    } else {
        return bytes;
    };
    min.map_or(bytes, String::into_bytes)
}

/// Copies theme and site static files and content assets.
fn copy_static(
    site: &Site,
    files: &theme::ThemeFiles,
    root: &Path,
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let mut written = Written::default();
    let read_error = |e: std::io::Error| Diagnostic::error(format!("cannot read: {e}"));
    for f in &files.statics {
        written.add(
            match f.origin.read() {
                Ok(bytes) => sink.write(&f.rel, &minify(&f.rel, bytes)),
                Err(e) => Err(read_error(e)),
            }
            .map_err(|d| d.in_file(&f.shown)),
        );
    }
    let content = root.join("content");
    for rel in &site.assets {
        written.add(
            match std::fs::read(content.join(rel)) {
                Ok(bytes) => sink.write(rel, &bytes),
                Err(e) => Err(read_error(e)),
            }
            .map_err(|d| d.in_file(format!("content/{rel}"))),
        );
    }
    written.finish()
}

/// Runs every stage after loading into `sink`. The site's page bodies are let go as their
/// pages are rendered.
fn run(
    opts: &BuildOptions,
    mut site: Site,
    sink: &dyn Sink,
    png: render::overview::PngMode<'_>,
    timer: &mut Timer,
) -> Result<(usize, usize, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut generated = generate(&site, &opts.root, png, sink)?;
    check_collisions(&site, &generated)?;
    timer.lap("generate");
    // Content errors found by generators fail the build, but only after rendering, so that
    // broken links and template errors are reported with them (warnings too).
    let mut problems = std::mem::take(&mut generated.errors);
    let fail = |mut problems: Vec<Diagnostic>, generated: &Generated| {
        problems.extend(generated.warnings.iter().cloned());
        problems
    };
    let theme_files = theme::files(&opts.root, &site.config.theme).map_err(|d| vec![d])?;
    let mut templates = match Templates::load(&theme_files.templates, &site.urls) {
        Ok(t) => t,
        Err(e) => {
            problems.extend(e);
            return Err(fail(problems, &generated));
        }
    };
    timer.lap("templates");
    let mut files = copy_static(&site, &theme_files, &opts.root, sink)? + generated.files.len();
    // Nothing reads a page's Markdown after the summaries but its rendering.
    let summaries = render::summaries(&site);
    let bodies = render::Bodies::take_from(&mut site);
    let plan = render::Plan {
        summaries: Some(&summaries),
        bodies: Some(&bodies),
        only: None,
    };
    let deferred = std::mem::take(&mut generated.deferred);
    let report = render::render_with(&site, &mut templates, &mut generated, sink, &plan);
    drop(bodies);
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            problems.extend(e);
            return Err(fail(problems, &generated));
        }
    };
    if !problems.is_empty() {
        return Err(fail(problems, &generated));
    }
    timer.lap("render");
    // The templates (the policy graph and the target cards are in their globals), the
    // generated pages, the page values and the links are done with: let them go before
    // the index is made, so that the two largest stages never hold their memory at once.
    let warnings = std::mem::take(&mut generated.warnings);
    drop(templates);
    drop(generated);
    let render::RenderReport {
        records,
        pages,
        files: rendered_files,
        refs,
        links,
        anchors,
    } = report;
    drop((refs, links, anchors));
    files += index_files(&site, &records, sink)?;
    timer.lap("index");
    // The overview PNG is large while it is drawn: it is drawn last, when the build holds
    // least (on a large plan, a 1500 px wide image is some 80 MB of pixels).
    drop(records);
    files += write_deferred(deferred, sink)?;
    timer.lap("overview");
    Ok((pages, files + rendered_files, warnings))
}

fn finish(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut errors);
    errors.dedup();
    errors
}

/// Builds the site into its output folder. On any error the previous output is left exactly
/// as it was and every error found is returned.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let mut timer = Timer::new();
    let out = output::check_out_dir(&opts.root, &opts.out_dir()).map_err(|d| vec![d])?;
    if !opts.root.join(crate::config::FILE).is_file() && !opts.root.join("content").is_dir() {
        // Fall through to the usual errors, but don't create folders for a wrong --root.
        return Err(finish(load_site(opts).err().unwrap_or_default()));
    }
    let site = load_site(opts).map_err(finish)?;
    timer.lap("load");
    let staging = Staging::new(&out, site.config.compress).map_err(|d| vec![d])?;
    let png = render::overview::PngMode::Write {
        previous_out: Some(&out),
    };
    let done = run(opts, site, &staging, png, &mut timer).map_err(finish)?;
    staging.commit().map_err(|d| vec![d])?;
    timer.lap("write");
    Ok(report(done, timer, Some(out)))
}

/// The report of a build or check that ran to its end.
fn report(
    (pages, files, warnings): (usize, usize, Vec<Diagnostic>),
    timer: Timer,
    out: Option<PathBuf>,
) -> BuildReport {
    BuildReport {
        pages,
        files,
        elapsed: timer.start.elapsed(),
        timings: timer.timings,
        warnings,
        out,
    }
}

/// Validates everything [`build`] does (content, links, templates, generators) and writes
/// nothing.
pub fn check(opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let mut timer = Timer::new();
    let site = load_site(opts).map_err(finish)?;
    timer.lap("load");
    let png = render::overview::PngMode::Skip;
    let done = run(opts, site, &Discard, png, &mut timer).map_err(finish)?;
    Ok(report(done, timer, None))
}
