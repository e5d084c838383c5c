//! The 一图读懂 overview (issue 5) as a generated page and files: `/overview/`,
//! `/overview.svg`, `/css/overview-colours.css` and, drawn on another thread while the pages
//! render, `/overview.png`. The drawing lives in [`crate::overview`]; here its input records
//! are filled from the site graph and the policy graph (canonical lead units, unit slugs,
//! the plan period), never computed a second time.
//!
//! Page bodies: the overview reads the text of the pages under `overview.implementation`
//! (组织实施, for its evaluation steps). That is the one exception to the generators'
//! rule of reading front matter and summaries only; the watcher's body-edit fast path
//! therefore rebuilds fully when such a page changes (see [`reads_body`]). Principles
//! without a `summary` show the first sentence of the page summary, which the fast path
//! already watches.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Deferred, Generated, GeneratedPage, OutputFile};
use crate::diagnostic::Diagnostic;
use crate::load::front_matter::Kind;
use crate::model::policy::{Period, PolicyGraph};
use crate::model::{Page, Site};
use crate::overview::{self, Fonts, Icons, OverviewData, PageInput, Png, SvgImage};

/// The template of the overview page.
pub const TEMPLATE: &str = "overview.html";

/// Where the build reads the last build's PNG, to reuse it when nothing it shows changed.
#[derive(Debug, Clone, Copy)]
pub enum PngMode<'a> {
    /// Draw (or reuse) the PNG; the last build's output folder, if any.
    Write { previous_out: Option<&'a Path> },
    /// `site check`: validate, draw nothing.
    Skip,
}

/// True when the overview reads the body of `page` (beyond its summary): a body edit of
/// such a page changes the overview, so the watcher's fast path must not skip generators.
pub fn reads_body(site: &Site, page: &Page) -> bool {
    page.path.starts_with(&site.config.overview.implementation)
}

/// Adds the overview page, its files and its problems to `generated`.
pub fn generate(
    site: &Site,
    root: &Path,
    graph: &PolicyGraph,
    period: &Period,
    png: PngMode<'_>,
    generated: &mut Generated<'_>,
) {
    let mut settings = site.config.overview.clone();
    if settings.period.is_none() {
        settings.period = period.start_year.zip(period.end_year).map(|(a, b)| [a, b]);
    }
    let (icons, icon_warnings) = theme_icons(site, root);
    generated.warnings.extend(icon_warnings);
    for e in icons.check_settings(&settings) {
        generated.errors.push(
            Diagnostic::error(format!("{}: {}", e.setting, e.message)).in_file(crate::config::FILE),
        );
    }

    let inputs = page_inputs(site, graph);
    let unit_slugs: BTreeMap<String, String> = graph
        .units
        .iter()
        .map(|u| (u.name.clone(), u.slug.clone()))
        .collect();
    let mut data = OverviewData::from_parts(
        &inputs,
        &unit_slugs,
        &site.config.document,
        &settings,
        &icons,
    );
    let image = overview::render_svg(&data, &settings, &icons, &site.config.base_url);

    match png {
        PngMode::Skip => data.set_png_written(false),
        PngMode::Write { previous_out } => {
            let fonts = Fonts::shared();
            if fonts.cjk_family().is_none() {
                // Known before drawing: warn once, and the page does not link the PNG.
                if let Png::Skipped(why) = overview::render_png(&image, fonts) {
                    generated.warnings.push(Diagnostic::warning(why));
                }
                data.set_png_written(false);
            } else {
                data.set_png_written(true);
                let previous = previous_out
                    .and_then(|out| std::fs::read(out.join(&overview::PNG_PATH[1..])).ok());
                let image = image.clone();
                generated.deferred.push(Deferred::new(move || {
                    draw_png(&image, fonts, previous.as_deref())
                }));
            }
        }
    }

    generated.write(&overview::SVG_PATH[1..], image.svg.as_bytes());
    generated.write(&overview::CSS_PATH[1..], settings.css().as_bytes());
    let mut page = GeneratedPage::new(overview::PAGE_PATH, TEMPLATE, data.title.clone());
    page.ancestors = vec![("/".to_string(), site.pages[site.root].title().to_string())];
    page.search_text = Some(search_text(&data));
    page.context.insert("overview", &data);
    generated.pages.push(page);
}

/// The PNG of `image`: the previous one when it was drawn from the same SVG and fonts.
fn draw_png(
    image: &SvgImage,
    fonts: &Fonts,
    previous: Option<&[u8]>,
) -> Result<OutputFile, Diagnostic> {
    match overview::png::reuse_or_render(image, fonts, previous) {
        Png::Written(bytes) => Ok(OutputFile {
            path: overview::PNG_PATH[1..].to_string(),
            bytes,
        }),
        // Fonts were checked before; an SVG resvg cannot draw is our bug.
        Png::Skipped(why) => Err(Diagnostic::error(format!(
            "internal error: the overview PNG could not be drawn: {why}"
        ))),
    }
}

/// The icons of the site's theme (its `static/icons/`, site overrides included).
fn theme_icons(site: &Site, root: &Path) -> (Icons, Vec<Diagnostic>) {
    match crate::theme::files(root, &site.config.theme) {
        Ok(files) => {
            let (icons, warnings) = Icons::from_theme(&files);
            (
                icons,
                warnings.into_iter().map(Diagnostic::warning).collect(),
            )
        }
        // The build reports a missing theme itself.
        Err(_) => (Icons::builtin(), Vec::new()),
    }
}

/// One input record per published page: its front matter, its own lead units as the
/// policy graph resolved them (canonical names), and for the pages the overview reads the
/// text of (see the module doc) the body.
fn page_inputs(site: &Site, graph: &PolicyGraph) -> Vec<PageInput> {
    site.pages
        .iter()
        .map(|p| {
            let front = p.front();
            let lead_units = graph
                .by_page
                .get(&p.path)
                .and_then(|pp| pp.task)
                .map(|t| {
                    graph.tasks[t]
                        .lead_units
                        .iter()
                        .map(|u| u.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            let summary = match (&front.summary, front.kind) {
                (Some(s), _) => Some(s.clone()),
                (None, Kind::Principle) => {
                    Some(overview::data::first_sentence(&super::summary(&p.source)))
                }
                (None, _) => None,
            };
            PageInput {
                url: p.path.clone(),
                title: front.title.clone(),
                kind: front.kind,
                number: front.number.clone(),
                order: front.order,
                section: p
                    .parent
                    .filter(|&s| s != site.root)
                    .map(|s| site.pages[s].path.clone()),
                audience: front.audience.clone(),
                targets: front.targets.clone(),
                lead_units,
                summary,
                body: reads_body(site, p).then(|| p.source.body.clone()),
            }
        })
        .collect()
}

/// What the search index keeps of the overview: its headings and figures in words.
fn search_text(data: &OverviewData) -> String {
    let mut text = vec![data.title.clone()];
    text.extend(data.blocks.iter().map(|b| b.title.clone()));
    text.extend(data.figures().map(|f| f.text.clone()));
    text.join("\n")
}
