//! The output of the policy model: the graph every template and data file reads.
//!
//! Everything is `Serialize`; `Option`s serialise as `null` (never skipped) so a template can
//! test `{% if target.latest %}` without tripping over an undefined field. Lists are in
//! reading order (the order of the pages given to [`super::build`]) or registry order.
//!
//! A unit, section, task or 人群 named in many places (every target names its task, section,
//! lead units and 人群) is one shared link ([`Arc`]), not a copy per place: on a large plan
//! the copies were most of the graph's memory. They serialise as the link itself.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::status::Status;
use crate::load::front_matter::{Baseline, Kind};

/// The whole policy graph.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyGraph {
    /// The evaluation date of every status, `YYYY-MM-DD`.
    pub as_of: String,
    /// Every registry unit, in registry order.
    pub units: Vec<Unit>,
    /// The units grouped by kind (kinds in order of first appearance, 其他 last).
    pub unit_groups: Vec<UnitGroup>,
    /// Registry placeholders (各成员单位): written as is, never a unit page.
    pub placeholders: Vec<String>,
    /// The five 人群 of the plan, then any other audience found in content.
    pub audiences: Vec<Audience>,
    /// Every page with responsibilities (a task, or any page naming units).
    pub tasks: Vec<Task>,
    /// What each page with responsibilities, targets or an audience carries, by its URL
    /// path: a content page's template reads `policy.by_page[page.path]` (test first with
    /// `{% if page.path in policy.by_page %}`).
    pub by_page: BTreeMap<String, PagePolicy>,
    /// Every target of every page. Serialised as the targets' ids only: a template shows a
    /// target by its card (`target_cards[i]`, made from the row itself), and as template
    /// values the rows of a large plan are most of a build's memory.
    #[serde(serialize_with = "ids")]
    pub targets: Vec<TargetRow>,
    /// The targets grouped by section (the overview's own targets first, as 总体目标), as
    /// indexes into `targets`.
    pub target_groups: Vec<TargetGroup>,
    /// How many targets have each status, in display order.
    pub status_counts: Vec<StatusCount>,
    /// The 责任清单 matrix.
    pub responsibilities: Responsibilities,
}

/// The ids of `targets`, as a list.
fn ids<S: serde::Serializer>(targets: &[TargetRow], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(targets.iter().map(|t| &t.id))
}

/// A section (action or project) a task belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionRef {
    pub url: String,
    pub title: String,
    pub kind: Kind,
    pub number: Option<String>,
}

/// A link to a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskLink {
    pub url: String,
    pub title: String,
    pub number: Option<String>,
}

/// A link to a unit page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRef {
    pub name: String,
    /// The registry's short name, else the name.
    pub short: String,
    pub slug: String,
    pub url: String,
}

/// A link to an audience page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudienceRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// One unit with everything it is responsible for.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub name: String,
    pub short: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub slug: String,
    pub url: String,
    /// Tasks it leads (牵头), as indexes into [`PolicyGraph::tasks`].
    pub led: Vec<usize>,
    /// Tasks where it shares responsibility (参与) without leading, as indexes into
    /// [`PolicyGraph::tasks`].
    pub shared: Vec<usize>,
    /// Targets of the tasks it leads, as indexes into [`PolicyGraph::targets`] (in a
    /// template, their cards: `target_cards[i]`), so that a large plan does not copy every
    /// target into every unit.
    pub targets: Vec<usize>,
    pub led_count: usize,
    pub shared_count: usize,
}

/// Units of one kind, for `/units/`.
#[derive(Debug, Clone, Serialize)]
pub struct UnitGroup {
    pub kind: String,
    pub units: Vec<UnitSummary>,
}

/// A unit with its counts, for listings.
#[derive(Debug, Clone, Serialize)]
pub struct UnitSummary {
    pub name: String,
    pub short: String,
    pub slug: String,
    pub url: String,
    pub led_count: usize,
    pub shared_count: usize,
    pub target_count: usize,
}

/// One 人群 with the parts of the plan aimed at it.
#[derive(Debug, Clone, Serialize)]
pub struct Audience {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Sections (actions, projects) aimed at it.
    pub sections: Vec<Arc<TaskLink>>,
    /// Tasks aimed at it, directly or through their section.
    pub tasks: Vec<Arc<TaskLink>>,
    /// Its targets, as indexes into [`PolicyGraph::targets`].
    pub targets: Vec<usize>,
    /// Units leading its tasks, with how many each leads.
    pub lead_units: Vec<UnitCount>,
}

/// A unit and a count.
#[derive(Debug, Clone, Serialize)]
pub struct UnitCount {
    pub unit: Arc<UnitRef>,
    pub count: usize,
}

/// A page with responsibilities.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub url: String,
    pub title: String,
    pub number: Option<String>,
    /// Source file, relative to the site root.
    pub file: String,
    pub section: Option<Arc<SectionRef>>,
    pub audience: Vec<Arc<AudienceRef>>,
    /// 牵头单位.
    pub lead_units: Vec<Arc<UnitRef>>,
    /// 责任单位 that are registry units (lead units excluded).
    pub units: Vec<Arc<UnitRef>>,
    /// Placeholders among its units (各成员单位), as written.
    pub placeholders: Vec<String>,
    /// Its targets, as indexes into [`PolicyGraph::targets`].
    pub targets: Vec<usize>,
    /// Slugs of every unit involved, space-separated (for `data-units` filter attributes).
    pub unit_slugs: String,
}

/// The policy side of one content page.
#[derive(Debug, Clone, Serialize)]
pub struct PagePolicy {
    /// Index into [`PolicyGraph::tasks`] when the page is a task (or names units): its
    /// lead and responsible units as links.
    pub task: Option<usize>,
    /// Its targets, as indexes into [`PolicyGraph::targets`].
    pub targets: Vec<usize>,
    /// Its 人群 (its own, else its section's), as links.
    pub audience: Vec<Arc<AudienceRef>>,
}

/// One reported value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressRow {
    pub value: f64,
    pub value_text: String,
    pub as_of: Option<String>,
    pub source: Option<String>,
}

/// One target with its assessment.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    pub id: String,
    pub label: String,
    pub value: f64,
    /// The value as an editor writes it (`25`, `0.5`).
    pub value_text: String,
    pub unit: Option<String>,
    /// `>=`, `<=` or `=`.
    pub cmp: &'static str,
    /// 不少于, 不超过, 达到.
    pub cmp_label: &'static str,
    pub by: Option<i32>,
    pub per: Option<String>,
    pub recurring: bool,
    pub baseline: Option<Baseline>,
    pub progress: Vec<ProgressRow>,
    pub latest: Option<ProgressRow>,
    /// Expected value at the evaluation date (status rule), if a line could be drawn.
    pub expected: Option<f64>,
    /// Per cent of target, one decimal; may exceed 100 for upward targets.
    pub percent: Option<f64>,
    /// `72%`, `66.7%`; empty when unreported.
    pub percent_text: String,
    /// The per cent clamped to 0–100, for `<meter>`/`<progress>`.
    pub meter: f64,
    /// `done`, `on-track`, `behind`, `unreported`.
    pub status: Status,
    /// 已完成, 进度正常, 滞后, 未报告.
    pub status_label: &'static str,
    /// Shown among the overview's key figures.
    pub key: bool,
    /// The page that sets the target.
    pub task: Arc<TaskLink>,
    pub section: Option<Arc<SectionRef>>,
    /// The page's lead units, else its section's.
    pub lead_units: Vec<Arc<UnitRef>>,
    pub audience: Vec<Arc<AudienceRef>>,
    /// Source file, relative to the site root.
    pub file: Arc<str>,
}

/// The targets of one section.
#[derive(Debug, Clone, Serialize)]
pub struct TargetGroup {
    /// The section; `None` for targets on pages outside any section.
    pub section: Option<Arc<SectionRef>>,
    /// The section title, or 总体目标.
    pub title: String,
    /// Indexes into [`PolicyGraph::targets`].
    pub targets: Vec<usize>,
}

/// A status and how many targets have it.
#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: Status,
    pub label: &'static str,
    pub count: usize,
}

/// The 责任清单: tasks × units.
#[derive(Debug, Clone, Serialize)]
pub struct Responsibilities {
    /// Every unit named by a task: units that lead something first, then the others, each
    /// part in registry order.
    pub columns: Vec<Arc<UnitRef>>,
    /// Rows grouped by section, in reading order.
    pub groups: Vec<ResponsibilityGroup>,
}

/// The tasks of one section.
#[derive(Debug, Clone, Serialize)]
pub struct ResponsibilityGroup {
    /// The section; `None` for tasks outside any section.
    pub section: Option<Arc<SectionRef>>,
    /// The section title, or 其他.
    pub title: String,
    /// The units its tasks name, in the order of [`Responsibilities::columns`].
    pub columns: Vec<Arc<UnitRef>>,
    pub rows: Vec<ResponsibilityRow>,
}

/// One task's row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct ResponsibilityRow {
    /// Index into [`PolicyGraph::tasks`] (the task's title, links and units are there).
    pub task: usize,
    /// The task's role in each column of its group, in column order. A plain list of
    /// strings: a 10,000-task plan has hundreds of thousands of cells.
    pub cells: Vec<Role>,
}

/// What a unit does in a task: one cell of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Role {
    /// 牵头单位.
    #[serde(rename = "lead")]
    Lead,
    /// 责任单位 that does not lead.
    #[serde(rename = "share")]
    Share,
    /// Not named by the task.
    #[serde(rename = "")]
    None,
}

impl Role {
    /// 牵头, 参与 or empty.
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "牵头",
            Role::Share => "参与",
            Role::None => "",
        }
    }
}
