//! The policy part of the site graph: who leads what (units, the 责任清单), who it is for
//! (audiences, 人群) and how far each quantitative target has come. Also the problems
//! `site check` and `site build` report about them, the open data files, and the list of
//! generated pages (`/units/`, `/targets/`...).
//!
//! The build calls [`from_site`] with the [`period_of`] the site (both wired in
//! `crate::render::policy`), puts the graph once into tera's global context as `policy`,
//! renders [`pages()`] and writes [`data::FILES`].
//! Inputs are borrowed from what the loader already holds: the unit registry with its raw
//! text, and one [`PageInput`] per published page (drafts left out) in reading order.
//! Output is [`PolicyGraph`] plus every problem found (core [`Diagnostic`]s), sorted by file
//! and line; the
//! graph is complete even when there are errors, so `check` can report them all at once.

pub mod data;
pub mod graph;
pub mod pages;
pub mod problem;
pub mod registry;
pub mod status;

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

pub use graph::*;
pub use pages::{GeneratedPage, PageItem, pages};
pub use status::{Period, Status, date_from_unix, format_date, parse_date, plan_years};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::diagnostic::Diagnostic;
use crate::load::front_matter::{FrontMatter, Kind};
use crate::load::locate::{Position, YamlPositions};
use crate::load::units::UnitsFile;
use crate::model::Site;
use registry::{DEFAULT_KIND, Registry, Resolved};

/// The unit registry as loaded.
#[derive(Debug, Clone, Copy)]
pub struct RegistryInput<'a> {
    /// Path relative to the site root: `content/units.yaml`.
    pub file: &'a str,
    pub data: &'a UnitsFile,
    /// The raw text of the file, for line numbers.
    pub text: &'a str,
}

/// One published page as loaded.
#[derive(Debug, Clone, Copy)]
pub struct PageInput<'a> {
    /// Its URL path: `/actions/youth/02-basic/`.
    pub url: &'a str,
    /// Path relative to the site root: `content/actions/youth/02-basic.md`.
    pub file: &'a str,
    /// URL of the section page (`_index.md`) it belongs to, if any. That page should be
    /// among the inputs too: its title, kind, audience and lead units are used.
    pub section: Option<&'a str>,
    pub front: &'a FrontMatter,
    /// The raw front matter (the YAML between the `---` lines).
    pub front_text: &'a str,
    /// The line of the file on which `front_text` starts (2 after an opening `---`).
    pub front_line: usize,
}

/// `plan:` in `site.yaml`: the plan period and the date progress is judged at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanConfig {
    /// The evaluation date of every target status, `YYYY-MM-DD`. Default: the build date
    /// (or the date of `SOURCE_DATE_EPOCH` when set), so set it for byte-identical builds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// First year of the plan; default: from the home page title (`（2021—2025年）`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<i32>,
    /// Last year of the plan, the deadline of targets without `by`; default: as above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<i32>,
}

impl PlanConfig {
    /// Checks the values; `at` gives the line of a key (`as_of`) for messages.
    pub fn validate(&self, at: impl Fn(&str) -> Position) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        if let Some(d) = &self.as_of
            && parse_date(d).is_none()
        {
            errors.push(problem::error(
                crate::config::FILE,
                at("plan.as_of"),
                format!("`plan.as_of: {d}` is not a date"),
                Some("write it as YYYY-MM-DD, e.g. `as_of: 2025-12-31`".into()),
            ));
        }
        if let (Some(a), Some(b)) = (self.start_year, self.end_year)
            && a > b
        {
            errors.push(problem::error(
                crate::config::FILE,
                at("plan.end_year"),
                format!("the plan ends ({b}) before it starts ({a})"),
                Some("`start_year` is the plan's first year, `end_year` its last".into()),
            ));
        }
        errors
    }
}

/// The plan period for a site: `plan:` from `site.yaml` where set; otherwise the years in
/// the home page title (else the site title, else the notice title) and `today` as the
/// evaluation date. The caller reads the clock; this never does.
pub fn period_of(site: &Site, today: Date) -> Period {
    let plan = &site.config.plan;
    let years = [
        Some(site.pages[site.root].title()),
        Some(site.config.title.as_str()),
        site.config.document.notice_title.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find_map(plan_years);
    Period {
        as_of: plan.as_of.as_deref().and_then(parse_date).unwrap_or(today),
        start_year: plan.start_year.or(years.map(|y| y.0)),
        end_year: plan.end_year.or(years.map(|y| y.1)),
    }
}

/// Builds the policy graph of a loaded site (see [`build`]): the registry with its text,
/// every published page in tree order, its section being its enclosing `_index.md` (the
/// home page excepted).
pub fn from_site(site: &Site, period: Period) -> (PolicyGraph, Vec<Diagnostic>) {
    let registry = RegistryInput {
        file: &site.units_source.file,
        data: &site.units,
        text: &site.units_source.text,
    };
    let pages: Vec<PageInput<'_>> = site
        .pages
        .iter()
        .map(|p| PageInput {
            url: &p.path,
            file: p.file(),
            section: p
                .parent
                .filter(|&s| s != site.root)
                .map(|s| site.pages[s].path.as_str()),
            front: p.front(),
            front_text: &p.source.front_matter_src,
            front_line: p.source.front_matter_line,
        })
        .collect();
    build(&registry, &pages, period)
}

/// The plan's 人群 with their URL slugs: short English words, fixed, so that links stay
/// stable whatever the wording of a page (documented in docs/data.md). They are also the
/// names of the theme's icons (`/icons/<slug>.svg`).
pub const AUDIENCES: [(&str, &str); 5] = [
    ("青少年", "youth"),
    ("农牧民", "farmers"),
    ("产业工人", "workers"),
    ("老年人", "elderly"),
    ("领导干部和公务员", "officials"),
];

/// URL of the unit page for `slug`.
pub fn unit_url(slug: &str) -> String {
    format!("/units/{slug}/")
}

/// URL of the audience page for `slug`.
pub fn audience_url(slug: &str) -> String {
    format!("/audiences/{slug}/")
}

/// Writes a number as an editor would: `25`, `0.5`, `-3`.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Target ids are ASCII letters, digits, `-` and `_`: they appear in URLs and open data.
fn is_valid_target_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Per page: where its YAML keys are, and its resolved responsibilities.
struct Resolution {
    lead: Vec<usize>,
    units: Vec<usize>,
    placeholders: Vec<String>,
}

/// Builds the policy graph and reports every problem (see the module doc).
pub fn build(
    registry: &RegistryInput<'_>,
    pages: &[PageInput<'_>],
    period: Period,
) -> (PolicyGraph, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let reg = Registry::new(registry.file, registry.data, registry.text, &mut problems);
    // Positions are only needed to report a problem: index a page's YAML on first use.
    let positions: Vec<OnceCell<YamlPositions>> = pages.iter().map(|_| OnceCell::new()).collect();
    let pos = |pi: usize| {
        positions[pi].get_or_init(|| YamlPositions::new(pages[pi].front_text, pages[pi].front_line))
    };
    let by_url: HashMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.url, i)).collect();
    let mut referenced = vec![false; reg.units.len()];

    // Resolve every unit name of every page.
    let mut resolved: Vec<Resolution> = Vec::with_capacity(pages.len());
    for (pi, page) in pages.iter().enumerate() {
        let mut r = Resolution {
            lead: Vec::new(),
            units: Vec::new(),
            placeholders: Vec::new(),
        };
        for (key, names) in [
            ("lead_units", &page.front.lead_units),
            ("units", &page.front.units),
        ] {
            for (i, name) in names.iter().enumerate() {
                match reg.resolve(name) {
                    Resolved::Unit(u) => {
                        referenced[u] = true;
                        let list = if key == "lead_units" {
                            &mut r.lead
                        } else {
                            &mut r.units
                        };
                        if !list.contains(&u) {
                            list.push(u);
                        }
                    }
                    Resolved::Placeholder => {
                        let name = name.trim().to_string();
                        if !r.placeholders.contains(&name) {
                            r.placeholders.push(name);
                        }
                    }
                    Resolved::Unknown => {
                        problems.push(unknown_unit(&reg, page, pos(pi), key, i, name));
                    }
                }
            }
        }
        let lead = r.lead.clone();
        r.units.retain(|u| !lead.contains(u));
        resolved.push(r);
    }

    // Audiences: the five of the plan, then others in order of appearance.
    let mut audiences: Vec<Arc<AudienceRef>> = AUDIENCES
        .iter()
        .map(|(name, slug)| {
            Arc::new(AudienceRef {
                name: name.to_string(),
                slug: slug.to_string(),
                url: audience_url(slug),
            })
        })
        .collect();
    for (pi, page) in pages.iter().enumerate() {
        for (i, name) in page.front.audience.iter().enumerate() {
            let name = name.trim();
            if audiences.iter().any(|a| a.name == name) {
                continue;
            }
            let hint = match crate::diagnostic::did_you_mean(name, AUDIENCES.iter().map(|a| a.0)) {
                Some(s) => format!(
                    "did you mean \"{s}\"? The plan's 人群 are {}",
                    audience_names()
                ),
                None => format!(
                    "the plan's 人群 are {}; another name gets a page of its own",
                    audience_names()
                ),
            };
            problems.push(problem::warning(
                page.file,
                pos(pi).find(&[&format!("audience.{i}"), "audience"]),
                format!("\"{name}\" is not one of the plan's 人群"),
                Some(hint),
            ));
            let mut slug = registry::slugify(name);
            while audiences.iter().any(|a| a.slug == slug) {
                slug.push_str("-2");
            }
            audiences.push(Arc::new(AudienceRef {
                name: name.to_string(),
                url: audience_url(&slug),
                slug,
            }));
        }
    }

    // Links, made once each and shared by every row that names them (see `graph`).
    let unit_refs: Vec<Arc<UnitRef>> = reg
        .units
        .iter()
        .map(|ru| {
            Arc::new(UnitRef {
                name: ru.name.clone(),
                short: ru.short.clone().unwrap_or_else(|| ru.name.clone()),
                slug: ru.slug.clone(),
                url: unit_url(&ru.slug),
            })
        })
        .collect();
    let unit_ref = |u: usize| Arc::clone(&unit_refs[u]);
    let section_of = |page: &PageInput<'_>| -> Option<usize> {
        page.section.and_then(|s| by_url.get(s).copied())
    };
    let section_refs: Vec<OnceCell<Arc<SectionRef>>> =
        pages.iter().map(|_| OnceCell::new()).collect();
    let section_ref = |page: &PageInput<'_>| -> Option<Arc<SectionRef>> {
        let s = section_of(page)?;
        let made = section_refs[s].get_or_init(|| {
            let sp = &pages[s];
            Arc::new(SectionRef {
                url: sp.url.to_string(),
                title: sp.front.title.clone(),
                kind: sp.front.kind,
                number: sp.front.number.clone(),
            })
        });
        Some(Arc::clone(made))
    };
    let links: Vec<OnceCell<Arc<TaskLink>>> = pages.iter().map(|_| OnceCell::new()).collect();
    let link = |pi: usize| {
        let made = links[pi].get_or_init(|| {
            let page = &pages[pi];
            Arc::new(TaskLink {
                url: page.url.to_string(),
                title: page.front.title.clone(),
                number: page.front.number.clone(),
            })
        });
        Arc::clone(made)
    };
    // Each page's audiences (indexes into `audiences`): its own, else its section's.
    let page_aud: Vec<Vec<usize>> = pages
        .iter()
        .map(|page| {
            let own = &page.front.audience;
            let names = if own.is_empty() {
                section_of(page)
                    .map(|s| &pages[s].front.audience)
                    .unwrap_or(own)
            } else {
                own
            };
            let mut found: Vec<usize> = Vec::new();
            for n in names {
                if let Some(a) = audiences.iter().position(|a| a.name == n.trim())
                    && !found.contains(&a)
                {
                    found.push(a);
                }
            }
            found
        })
        .collect();
    let page_audience = |pi: usize| -> Vec<Arc<AudienceRef>> {
        page_aud[pi]
            .iter()
            .map(|&a| Arc::clone(&audiences[a]))
            .collect()
    };
    // Each page's lead units: its own, else its section's.
    let page_leads: Vec<Vec<usize>> = (0..pages.len())
        .map(|pi| {
            let own = &resolved[pi].lead;
            if own.is_empty() {
                section_of(&pages[pi])
                    .map(|s| resolved[s].lead.clone())
                    .unwrap_or_default()
            } else {
                own.clone()
            }
        })
        .collect();

    // Targets, with their problems.
    let mut targets: Vec<TargetRow> = Vec::new();
    let mut target_page: Vec<usize> = Vec::new();
    let mut first_id: HashMap<&str, (usize, usize)> = HashMap::new();
    let target_at = |pi: usize, ti: usize, rest: &str| -> Position {
        pos(pi).find(&[
            &format!("targets.{ti}.{rest}"),
            &format!("targets.{ti}"),
            "targets",
        ])
    };
    for (pi, page) in pages.iter().enumerate() {
        let file: Arc<str> = Arc::from(page.file);
        for (ti, t) in page.front.targets.iter().enumerate() {
            let here = |rest: &str| target_at(pi, ti, rest);
            if !is_valid_target_id(&t.id) {
                problems.push(problem::error(
                    page.file,
                    here("id"),
                    format!(
                        "target id \"{}\" may only use ASCII letters, digits, `-` and `_`",
                        t.id
                    ),
                    Some("ids appear in URLs and open data, e.g. `demo-schools`".into()),
                ));
            }
            match first_id.get(t.id.as_str()) {
                Some(&(fp, ft)) => problems.push(problem::error(
                    page.file,
                    here("id"),
                    format!(
                        "target id \"{}\" is already used at {}:{}",
                        t.id,
                        pages[fp].file,
                        target_at(fp, ft, "id").line
                    ),
                    Some("target ids must be unique in the site: rename one of them".into()),
                )),
                None => {
                    first_id.insert(t.id.as_str(), (pi, ti));
                }
            }
            if let (Some(by), Some(b)) = (t.by, &t.baseline)
                && by < b.year
            {
                problems.push(problem::error(
                    page.file,
                    here("by"),
                    format!("target \"{}\": deadline {by} is before its baseline year {}", t.id, b.year),
                    Some("`by` is the year the value must be reached; `baseline.year` the year it started from".into()),
                ));
            }
            for (k, p) in t.progress.iter().enumerate() {
                match p.as_of.as_deref() {
                    None => problems.push(problem::error(
                        page.file,
                        here(&format!("progress.{k}")),
                        format!("target \"{}\": progress value {} has no `as_of` date", t.id, format_number(p.value)),
                        Some("add the date the value was measured: `as_of: 2023-12-31`".into()),
                    )),
                    Some(d) => match parse_date(d) {
                        None => problems.push(problem::error(
                            page.file,
                            here(&format!("progress.{k}.as_of")),
                            format!("target \"{}\": `as_of: {d}` is not a date", t.id),
                            Some("write it as YYYY-MM-DD, e.g. `as_of: 2023-12-31`".into()),
                        )),
                        Some(date) if date > period.as_of => problems.push(problem::warning(
                            page.file,
                            here(&format!("progress.{k}.as_of")),
                            format!(
                                "target \"{}\": progress dated {d} is after the evaluation date {} and is not counted",
                                t.id,
                                format_date(period.as_of)
                            ),
                            Some("set `as_of` in site.yaml to a later date, or remove it to judge at the build date".into()),
                        )),
                        Some(_) => {}
                    },
                }
            }
            let a = status::assess(t, &period);
            let progress: Vec<ProgressRow> = t
                .progress
                .iter()
                .map(|p| ProgressRow {
                    value: p.value,
                    value_text: format_number(p.value),
                    as_of: p.as_of.clone(),
                    source: p.source.clone(),
                })
                .collect();
            let percent_text = a
                .percent
                .map(|p| format!("{}%", format_number(p)))
                .unwrap_or_default();
            targets.push(TargetRow {
                id: t.id.clone(),
                label: t.label.clone(),
                value: t.value,
                value_text: format_number(t.value),
                unit: t.unit.clone(),
                cmp: t.cmp.as_str(),
                cmp_label: t.cmp.label(),
                by: t.by,
                per: t.per.clone(),
                recurring: a.recurring,
                baseline: t.baseline.clone(),
                latest: a.latest.map(|i| progress[i].clone()),
                progress,
                expected: a.expected,
                percent: a.percent,
                percent_text,
                meter: a.percent.unwrap_or(0.0).clamp(0.0, 100.0),
                status: a.status,
                status_label: a.status.label(),
                key: t.key,
                task: link(pi),
                section: section_ref(page),
                lead_units: page_leads[pi].iter().map(|&u| unit_ref(u)).collect(),
                audience: page_audience(pi),
                file: Arc::clone(&file),
            });
            target_page.push(pi);
        }
    }

    // Each page's targets, as indexes into `targets`.
    let mut page_targets: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for (ti, &pi) in target_page.iter().enumerate() {
        page_targets[pi].push(ti);
    }

    // Tasks: pages of kind task, and any other page that names units.
    let task_pages: Vec<usize> = (0..pages.len())
        .filter(|&pi| {
            let f = pages[pi].front;
            f.kind == Kind::Task || !f.lead_units.is_empty() || !f.units.is_empty()
        })
        .collect();
    let tasks: Vec<Task> = task_pages
        .iter()
        .map(|&pi| {
            let page = &pages[pi];
            let r = &resolved[pi];
            let lead_units: Vec<Arc<UnitRef>> = r.lead.iter().map(|&u| unit_ref(u)).collect();
            let units: Vec<Arc<UnitRef>> = r.units.iter().map(|&u| unit_ref(u)).collect();
            Task {
                url: page.url.to_string(),
                title: page.front.title.clone(),
                number: page.front.number.clone(),
                file: page.file.to_string(),
                section: section_ref(page),
                audience: page_audience(pi),
                unit_slugs: slugs_of(&lead_units, &units),
                lead_units,
                units,
                placeholders: r.placeholders.clone(),
                targets: page_targets[pi].clone(),
            }
        })
        .collect();

    // What each page carries, by URL, for its own template (task pages link their units and
    // show their target cards).
    let mut by_page: BTreeMap<String, PagePolicy> = BTreeMap::new();
    for (pi, page) in pages.iter().enumerate() {
        if page_targets[pi].is_empty() && page_aud[pi].is_empty() {
            continue;
        }
        by_page.insert(
            page.url.to_string(),
            PagePolicy {
                task: None,
                targets: page_targets[pi].clone(),
                audience: page_audience(pi),
            },
        );
    }
    for (k, &pi) in task_pages.iter().enumerate() {
        by_page
            .entry(pages[pi].url.to_string())
            .or_insert_with(|| PagePolicy {
                task: None,
                targets: page_targets[pi].clone(),
                audience: page_audience(pi),
            })
            .task = Some(k);
    }

    // Units.
    let mut units: Vec<Unit> = reg
        .units
        .iter()
        .enumerate()
        .map(|(u, ru)| {
            let r = unit_ref(u);
            Unit {
                name: ru.name.clone(),
                short: r.short.clone(),
                kind: ru.kind.clone().unwrap_or_else(|| DEFAULT_KIND.to_string()),
                aliases: ru.aliases.clone(),
                slug: ru.slug.clone(),
                url: r.url.clone(),
                led: Vec::new(),
                shared: Vec::new(),
                targets: Vec::new(),
                led_count: 0,
                shared_count: 0,
            }
        })
        .collect();
    for (k, &pi) in task_pages.iter().enumerate() {
        for &u in &resolved[pi].lead {
            units[u].led.push(k);
        }
        for &u in &resolved[pi].units {
            units[u].shared.push(k);
        }
    }
    for (ti, &pi) in target_page.iter().enumerate() {
        for &u in &page_leads[pi] {
            units[u].targets.push(ti);
        }
    }
    for u in &mut units {
        u.led_count = u.led.len();
        u.shared_count = u.shared.len();
    }

    // Registry units nothing names.
    for (u, ru) in reg.units.iter().enumerate() {
        if !referenced[u] {
            problems.push(problem::warning(
                &reg.file,
                reg.positions.find(&[
                    &format!("units.{}.name", ru.entry),
                    &format!("units.{}", ru.entry),
                ]),
                format!(
                    "unit \"{}\" is in the registry but no page names it",
                    ru.name
                ),
                Some(
                    "name it in a page's `lead_units` or `units`, or remove it from units.yaml"
                        .into(),
                ),
            ));
        }
    }

    // Units grouped by kind, kinds in order of first appearance, the default kind last.
    let mut kinds: Vec<String> = Vec::new();
    for u in &units {
        if !kinds.contains(&u.kind) {
            kinds.push(u.kind.clone());
        }
    }
    if let Some(i) = kinds.iter().position(|k| k == DEFAULT_KIND) {
        let k = kinds.remove(i);
        kinds.push(k);
    }
    let unit_groups = kinds
        .into_iter()
        .map(|kind| UnitGroup {
            units: units
                .iter()
                .filter(|u| u.kind == kind)
                .map(|u| UnitSummary {
                    name: u.name.clone(),
                    short: u.short.clone(),
                    slug: u.slug.clone(),
                    url: u.url.clone(),
                    led_count: u.led_count,
                    shared_count: u.shared_count,
                    target_count: u.targets.len(),
                })
                .collect(),
            kind,
        })
        .collect();

    // Audiences with their sections, tasks, targets and lead units.
    let audiences: Vec<Audience> = audiences
        .iter()
        .cloned()
        .enumerate()
        .map(|(ai, a)| {
            let sections = pages
                .iter()
                .enumerate()
                .filter(|(_, p)| matches!(p.front.kind, Kind::Action | Kind::Project))
                .filter(|(_, p)| p.front.audience.iter().any(|n| n.trim() == a.name))
                .map(|(pi, _)| link(pi))
                .collect();
            let task_links: Vec<usize> = task_pages
                .iter()
                .copied()
                .filter(|&pi| page_aud[pi].contains(&ai))
                .collect();
            let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
            for &pi in &task_links {
                for &u in &resolved[pi].lead {
                    *counts.entry(u).or_default() += 1;
                }
            }
            Audience {
                sections,
                tasks: task_links.iter().map(|&pi| link(pi)).collect(),
                targets: (0..targets.len())
                    .filter(|&ti| page_aud[target_page[ti]].contains(&ai))
                    .collect(),
                lead_units: counts
                    .into_iter()
                    .map(|(u, count)| UnitCount {
                        unit: unit_ref(u),
                        count,
                    })
                    .collect(),
                name: a.name.clone(),
                slug: a.slug.clone(),
                url: a.url.clone(),
            }
        })
        .collect();

    // The matrix.
    let leads: HashSet<usize> = task_pages
        .iter()
        .flat_map(|&pi| resolved[pi].lead.iter().copied())
        .collect();
    let named: HashSet<usize> = task_pages
        .iter()
        .flat_map(|&pi| resolved[pi].lead.iter().chain(&resolved[pi].units).copied())
        .collect();
    let mut column_ids: Vec<usize> = (0..reg.units.len()).filter(|u| leads.contains(u)).collect();
    column_ids.extend((0..reg.units.len()).filter(|u| named.contains(u) && !leads.contains(u)));
    let columns: Vec<Arc<UnitRef>> = column_ids.iter().map(|&u| unit_ref(u)).collect();
    // Rows by section, in reading order; each section's table has a column only for the
    // units its tasks name (a 46-column table per section would be mostly empty cells).
    type SectionRows = (Option<Arc<SectionRef>>, Vec<(usize, usize)>);
    let mut by_section: Vec<SectionRows> = Vec::new();
    for (ti, (task, &pi)) in tasks.iter().zip(&task_pages).enumerate() {
        match by_section.iter_mut().find(|(s, _)| *s == task.section) {
            Some((_, rows)) => rows.push((ti, pi)),
            None => by_section.push((task.section.clone(), vec![(ti, pi)])),
        }
    }
    let groups: Vec<ResponsibilityGroup> = by_section
        .into_iter()
        .map(|(section, rows)| {
            let named: HashSet<usize> = rows
                .iter()
                .flat_map(|&(_, pi)| resolved[pi].lead.iter().chain(&resolved[pi].units).copied())
                .collect();
            let group_columns: Vec<usize> = column_ids
                .iter()
                .copied()
                .filter(|u| named.contains(u))
                .collect();
            let rows = rows
                .into_iter()
                .map(|(ti, pi)| {
                    let r = &resolved[pi];
                    let cells = group_columns
                        .iter()
                        .map(|&u| {
                            if r.lead.contains(&u) {
                                Role::Lead
                            } else if r.units.contains(&u) {
                                Role::Share
                            } else {
                                Role::None
                            }
                        })
                        .collect();
                    ResponsibilityRow { task: ti, cells }
                })
                .collect();
            ResponsibilityGroup {
                title: section
                    .as_ref()
                    .map_or_else(|| "其他".to_string(), |s| s.title.clone()),
                section,
                columns: group_columns.iter().map(|&u| unit_ref(u)).collect(),
                rows,
            }
        })
        .collect();

    let mut target_groups: Vec<TargetGroup> = Vec::new();
    for (ti, t) in targets.iter().enumerate() {
        match target_groups.iter_mut().find(|g| g.section == t.section) {
            Some(g) => g.targets.push(ti),
            None => target_groups.push(TargetGroup {
                title: t
                    .section
                    .as_ref()
                    .map_or_else(|| "总体目标".to_string(), |s| s.title.clone()),
                section: t.section.clone(),
                targets: vec![ti],
            }),
        }
    }

    let status_counts = Status::ALL
        .iter()
        .map(|&s| StatusCount {
            status: s,
            label: s.label(),
            count: targets.iter().filter(|t| t.status == s).count(),
        })
        .collect();

    crate::diagnostic::sort(&mut problems);
    let graph = PolicyGraph {
        as_of: format_date(period.as_of),
        units,
        unit_groups,
        placeholders: reg.placeholders.clone(),
        audiences,
        tasks,
        by_page,
        targets,
        target_groups,
        status_counts,
        responsibilities: Responsibilities { columns, groups },
    };
    (graph, problems)
}

fn audience_names() -> String {
    AUDIENCES.iter().map(|a| a.0).collect::<Vec<_>>().join("、")
}

fn slugs_of(lead: &[Arc<UnitRef>], units: &[Arc<UnitRef>]) -> String {
    lead.iter()
        .chain(units)
        .map(|u| u.slug.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn unknown_unit(
    reg: &Registry,
    page: &PageInput<'_>,
    pos: &YamlPositions,
    key: &str,
    i: usize,
    name: &str,
) -> Diagnostic {
    let at = pos.find(&[&format!("{key}.{i}"), key]);
    let add = format!(
        "or add it to {} (as a unit, or as an alias of one)",
        reg.file
    );
    let items = crate::diagnostic::list_items(name);
    let hint = match reg.suggest(name) {
        // Names run together with a Chinese comma or 、: one string to YAML.
        _ if items.len() > 1 => format!(
            "these are {} names in one: separate them with half-width commas, `{}`",
            items.len(),
            crate::diagnostic::list_line(key, name).unwrap_or_default()
        ),
        Some((canonical, None)) => format!("did you mean \"{canonical}\"? {add}"),
        Some((canonical, Some(alias))) => {
            format!("did you mean \"{canonical}\" (alias \"{alias}\")? {add}")
        }
        None => format!("use a name from {}, {add}", reg.file),
    };
    problem::error(
        page.file,
        at,
        format!("unknown unit \"{}\" in `{key}`", name.trim()),
        Some(hint),
    )
}
