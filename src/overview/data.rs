//! The overview's data: simple input records ([`PageInput`], the unit slug map, the
//! document metadata, [`OverviewSettings`]) in, one serialisable [`OverviewData`] out. Every
//! figure shown by the page and the image comes from here, so they cannot disagree.
//!
//! Rules (documented in docs/overview.md):
//! - headline: the targets of the `kind: overview` page marked `key: true`, else all of them;
//! - key targets of a section (action or project): its targets marked `key: true`, else the
//!   first `overview.key_targets` (3) in task order;
//! - timeline: the document dates, the period's first year, every target with a `by` year
//!   and the evaluation steps (评估) found in the pages under `overview.implementation`;
//! - units: the lead units of the tasks, with the number of tasks each leads.

use std::collections::BTreeMap;

use serde::Serialize;

use super::icons::Icons;
use super::settings::{BlockId, OverviewSettings};
use crate::load::front_matter::{DocumentMeta, Kind, Target};

/// One content page as the overview needs it. The lead fills these from the site model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageInput {
    /// Site path, e.g. `/actions/youth/02-basic/`.
    pub url: String,
    pub title: String,
    pub kind: Kind,
    /// Where it stands in the source document, e.g. `三(一)2`.
    pub number: Option<String>,
    /// Sort order among siblings (default: by URL, which follows the file name).
    pub order: Option<i64>,
    /// URL of the section (`_index.md` of an action or project) the page belongs to.
    pub section: Option<String>,
    /// 人群.
    pub audience: Vec<String>,
    pub targets: Vec<Target>,
    /// 牵头单位, canonical names.
    pub lead_units: Vec<String>,
    /// One-line summary (principles show it; without one, the first sentence of the body).
    pub summary: Option<String>,
    /// The Markdown body. Read for principles without a summary (first sentence) and for
    /// pages under `overview.implementation` (evaluation steps); may be left empty otherwise.
    pub body: Option<String>,
}

/// A target as shown: a big figure that links to its task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The target's id.
    pub id: String,
    /// The value as written in front matter: `25`, `14`, `1.5`.
    pub value: String,
    /// `%`, `所`, `人次`… (may be empty).
    pub unit: String,
    pub label: String,
    /// `>=`, `<=` or `=`.
    pub cmp: &'static str,
    /// 不少于, 不超过, 达到.
    pub cmp_label: &'static str,
    pub by: Option<i32>,
    pub per: Option<String>,
    /// The task (page) the target comes from.
    pub url: String,
    /// That task's title.
    pub task: String,
    /// The whole target as one sentence, for screen readers and alt text:
    /// 到2025年，命名科技教育示范学校不少于25所.
    pub text: String,
}

/// The document's title band.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocumentBand {
    /// The plan's title (the `kind: overview` page).
    pub title: String,
    pub notice_title: Option<String>,
    pub issuer: Option<String>,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 成文日期 as written (`2022-12-21`) and in Chinese (`2022年12月21日`).
    pub written: Option<String>,
    pub written_text: Option<String>,
    pub published: Option<String>,
    pub published_text: Option<String>,
    /// 来源.
    pub source: Option<String>,
    /// Where the full text is read (the `kind: overview` page).
    pub full_text_url: String,
}

/// A document the plan is based on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Basis {
    pub title: String,
    pub number: Option<String>,
}

/// A 基本原则 tile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Principle {
    pub title: String,
    pub summary: String,
    pub url: String,
}

/// A unit with a count and, when it has a unit page, its URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitCount {
    pub name: String,
    /// `/units/<slug>/`, absent for names without a registry entry.
    pub url: Option<String>,
    /// Tasks it leads (in the section, or in the whole plan).
    pub count: usize,
}

/// One action (提升行动) or project (重点工程).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionBlock {
    pub url: String,
    pub title: String,
    pub number: Option<String>,
    pub audience: Vec<String>,
    /// Icon name: `/icons/<icon>.svg` of the theme (the page shows it with the theme's
    /// `icon` component).
    pub icon: String,
    /// Number of tasks.
    pub tasks: usize,
    /// Key targets.
    pub figures: Vec<Figure>,
    /// Targets of the section not shown here.
    pub more_targets: usize,
    pub lead_units: Vec<UnitCount>,
}

/// What a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The first year of the plan's period.
    Period,
    /// 成文 or 发布.
    Document,
    /// A target due that year.
    Target,
    /// An evaluation step of 组织实施.
    Evaluation,
}

/// One timeline entry; every entry links somewhere.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineItem {
    pub kind: ItemKind,
    /// A word for the kind, so meaning never rests on colour or shape: 目标, 评估, 文件.
    pub tag: &'static str,
    pub label: String,
    pub url: String,
    /// For targets: the figure.
    pub figure: Option<Figure>,
}

/// One year of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Year {
    pub year: i32,
    pub items: Vec<TimelineItem>,
    /// Targets due that year beyond `overview.timeline_limit` (listed on /targets/).
    pub more: usize,
}

/// A block heading, in display order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockHead {
    /// `title`, `basis`, … (also the CSS class suffix `ov-<id>`).
    pub id: &'static str,
    pub title: String,
}

/// Links the page offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Links {
    pub page: String,
    pub svg: String,
    /// Absent when the PNG was skipped (no CJK font).
    pub png: Option<String>,
    pub css: String,
    pub targets: String,
    pub units: String,
}

/// Everything the overview shows, in the order of the issue. Serialised as the template
/// context `overview` and drawn by [`render_svg`](super::svg::render_svg).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverviewData {
    /// The page's h1: 一图读懂《…》.
    pub title: String,
    pub document: DocumentBand,
    pub basis: Vec<Basis>,
    pub headline: Vec<Figure>,
    pub principles: Vec<Principle>,
    pub actions: Vec<SectionBlock>,
    pub projects: Vec<SectionBlock>,
    /// First and last year of the plan's period.
    pub period: Option<[i32; 2]>,
    pub timeline: Vec<Year>,
    /// Lead units with the number of tasks each leads, most first.
    pub units: Vec<UnitCount>,
    /// The largest of those numbers (the scale of the bars).
    pub unit_max: usize,
    /// The blocks to show, in order; blocks without content are left out.
    pub blocks: Vec<BlockHead>,
    pub links: Links,
}

/// Site path of the overview page and its files.
pub const PAGE_PATH: &str = "/overview/";
pub const SVG_PATH: &str = "/overview.svg";
pub const PNG_PATH: &str = "/overview.png";
pub const CSS_PATH: &str = "/css/overview-colours.css";

impl OverviewData {
    /// Builds the overview from the site's pages (any order), the unit registry's
    /// name → slug map, the document metadata and the settings. Pure: no I/O.
    pub fn from_parts(
        pages: &[PageInput],
        unit_slugs: &BTreeMap<String, String>,
        document: &DocumentMeta,
        settings: &OverviewSettings,
        icons: &Icons,
    ) -> OverviewData {
        let mut pages: Vec<&PageInput> = pages.iter().collect();
        pages.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        let overview_page = pages.iter().find(|p| p.kind == Kind::Overview).copied();
        let full_text_url = overview_page.map_or("/".to_string(), |p| p.url.clone());
        let doc_title = overview_page
            .map(|p| p.title.clone())
            .or_else(|| document.notice_title.clone())
            .unwrap_or_default();

        let band = DocumentBand {
            title: doc_title.clone(),
            notice_title: document.notice_title.clone(),
            issuer: document.issuer.clone(),
            doc_number: document.doc_number.clone(),
            written_text: document.written.as_deref().and_then(chinese_date),
            written: document.written.clone(),
            published_text: document.published.as_deref().and_then(chinese_date),
            published: document.published.clone(),
            source: document.source.clone(),
            full_text_url: full_text_url.clone(),
        };

        let basis = document
            .basis
            .iter()
            .map(|b| Basis {
                title: b.title.clone(),
                number: b.number.clone(),
            })
            .collect();

        let headline = overview_page
            .map(|p| {
                let keyed: Vec<&Target> = p.targets.iter().filter(|t| t.key).collect();
                let chosen = if keyed.is_empty() {
                    p.targets.iter().collect()
                } else {
                    keyed
                };
                chosen.into_iter().map(|t| figure(t, p)).collect()
            })
            .unwrap_or_default();

        let principles = pages
            .iter()
            .filter(|p| p.kind == Kind::Principle)
            .map(|p| Principle {
                title: p.title.clone(),
                summary: p
                    .summary
                    .clone()
                    .or_else(|| p.body.as_deref().map(first_sentence))
                    .unwrap_or_default(),
                url: p.url.clone(),
            })
            .collect();

        let section_block = |kind: Kind| -> Vec<SectionBlock> {
            pages
                .iter()
                .filter(|p| p.kind == kind)
                .map(|s| section(s, &pages, unit_slugs, settings, icons))
                .collect()
        };
        let actions = section_block(Kind::Action);
        let projects = section_block(Kind::Project);

        let period = settings
            .period
            .or_else(|| period_from_title(&doc_title))
            .or_else(|| {
                let years = pages
                    .iter()
                    .flat_map(|p| p.targets.iter().filter_map(|t| t.by));
                let (min, max) =
                    years.fold((None, None), |(lo, hi): (Option<i32>, Option<i32>), y| {
                        (
                            Some(lo.map_or(y, |l| l.min(y))),
                            Some(hi.map_or(y, |h| h.max(y))),
                        )
                    });
                Some([min?, max?])
            });
        let timeline = timeline(&pages, &band, period, settings);
        let units = lead_unit_counts(pages.iter().copied(), unit_slugs, None);

        let mut data = OverviewData {
            title: if doc_title.is_empty() {
                "一图读懂".to_string()
            } else {
                format!("一图读懂《{doc_title}》")
            },
            document: band,
            basis,
            headline,
            principles,
            actions,
            projects,
            period,
            timeline,
            unit_max: units.iter().map(|u| u.count).max().unwrap_or(0),
            units,
            blocks: Vec::new(),
            links: Links {
                page: PAGE_PATH.to_string(),
                svg: SVG_PATH.to_string(),
                png: Some(PNG_PATH.to_string()),
                css: CSS_PATH.to_string(),
                targets: "/targets/".to_string(),
                units: "/units/".to_string(),
            },
        };
        data.blocks = settings
            .blocks
            .iter()
            .filter(|b| data.has_content(**b))
            .map(|b| BlockHead {
                id: b.as_str(),
                title: settings.title(*b).to_string(),
            })
            .collect();
        data
    }

    /// True when `block` has something to show.
    pub fn has_content(&self, block: BlockId) -> bool {
        match block {
            BlockId::Title => !self.document.title.is_empty(),
            BlockId::Basis => !self.basis.is_empty(),
            BlockId::Headline => !self.headline.is_empty(),
            BlockId::Principles => !self.principles.is_empty(),
            BlockId::Actions => !self.actions.is_empty(),
            BlockId::Projects => !self.projects.is_empty(),
            BlockId::Timeline => !self.timeline.is_empty(),
            BlockId::Units => !self.units.is_empty(),
        }
    }

    /// Records whether `/overview.png` was written, so the page links it only then.
    pub fn set_png_written(&mut self, written: bool) {
        self.links.png = written.then(|| PNG_PATH.to_string());
    }

    /// Every figure shown (headline, sections, timeline), for checks and tests.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.headline
            .iter()
            .chain(self.actions.iter().flat_map(|s| &s.figures))
            .chain(self.projects.iter().flat_map(|s| &s.figures))
            .chain(
                self.timeline
                    .iter()
                    .flat_map(|y| &y.items)
                    .filter_map(|i| i.figure.as_ref()),
            )
    }
}

fn sort_key(p: &PageInput) -> (i64, &str) {
    (p.order.unwrap_or(i64::MAX), p.url.as_str())
}

/// A front-matter number as an editor writes it: `25`, not `25.0`.
pub fn format_value(value: f64) -> String {
    crate::model::policy::format_number(value)
}

fn figure(t: &Target, page: &PageInput) -> Figure {
    let value = format_value(t.value);
    let unit = t.unit.clone().unwrap_or_default();
    let mut text = String::new();
    if let Some(by) = t.by {
        text.push_str(&format!("到{by}年，"));
    }
    if let Some(per) = &t.per {
        text.push_str(per);
        text.push('，');
    }
    text.push_str(&t.label);
    text.push_str(t.cmp.label());
    text.push_str(&value);
    text.push_str(&unit);
    Figure {
        id: t.id.clone(),
        value,
        unit,
        label: t.label.clone(),
        cmp: t.cmp.as_str(),
        cmp_label: t.cmp.label(),
        by: t.by,
        per: t.per.clone(),
        url: page.url.clone(),
        task: page.title.clone(),
        text,
    }
}

fn section(
    s: &PageInput,
    pages: &[&PageInput],
    unit_slugs: &BTreeMap<String, String>,
    settings: &OverviewSettings,
    icons: &Icons,
) -> SectionBlock {
    let tasks: Vec<&PageInput> = pages
        .iter()
        .filter(|p| p.kind == Kind::Task && p.section.as_deref() == Some(s.url.as_str()))
        .copied()
        .collect();
    let all: Vec<(&Target, &PageInput)> = std::iter::once(s)
        .chain(tasks.iter().copied())
        .flat_map(|p| p.targets.iter().map(move |t| (t, p)))
        .collect();
    let keyed: Vec<&(&Target, &PageInput)> = all.iter().filter(|(t, _)| t.key).collect();
    let chosen: Vec<&(&Target, &PageInput)> = if keyed.is_empty() {
        all.iter().take(settings.key_targets).collect()
    } else {
        keyed
    };
    let figures: Vec<Figure> = chosen.iter().map(|(t, p)| figure(t, p)).collect();
    let icon = icons.choose(s, settings);
    let mut lead_units = lead_unit_counts(tasks.iter().copied(), unit_slugs, Some(s));
    lead_units.truncate(3);
    SectionBlock {
        url: s.url.clone(),
        title: s.title.clone(),
        number: s.number.clone(),
        audience: s.audience.clone(),
        icon,
        tasks: tasks.len(),
        more_targets: all.len() - figures.len(),
        figures,
        lead_units,
    }
}

/// Lead units of `tasks` with the number each leads, most first (ties: first named first).
/// A section's own `lead_units` come first with the count of its tasks they lead.
fn lead_unit_counts<'a>(
    tasks: impl Iterator<Item = &'a PageInput>,
    unit_slugs: &BTreeMap<String, String>,
    section: Option<&PageInput>,
) -> Vec<UnitCount> {
    let mut order: Vec<String> = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    if let Some(s) = section {
        for name in &s.lead_units {
            if !counts.contains_key(name) {
                order.push(name.clone());
                counts.insert(name.clone(), 0);
            }
        }
    }
    let own = order.len();
    for task in tasks.filter(|p| p.kind == Kind::Task) {
        for name in &task.lead_units {
            let count = counts.entry(name.clone()).or_insert_with(|| {
                order.push(name.clone());
                0
            });
            *count += 1;
        }
    }
    let mut units: Vec<UnitCount> = order
        .into_iter()
        .map(|name| UnitCount {
            url: unit_slugs
                .get(&name)
                .map(|slug| crate::model::policy::unit_url(slug)),
            count: counts[&name],
            name,
        })
        .collect();
    // The section's own lead units first, as written; then the rest, most tasks first.
    units[own..].sort_by_key(|u| std::cmp::Reverse(u.count));
    units
}

fn timeline(
    pages: &[&PageInput],
    band: &DocumentBand,
    period: Option<[i32; 2]>,
    settings: &OverviewSettings,
) -> Vec<Year> {
    let mut years: BTreeMap<i32, Vec<TimelineItem>> = BTreeMap::new();
    let mut more: BTreeMap<i32, usize> = BTreeMap::new();
    if let Some([first, last]) = period {
        years.entry(first).or_default().push(TimelineItem {
            kind: ItemKind::Period,
            tag: "起点",
            label: format!("实施期开始（{first}—{last}年）"),
            url: band.full_text_url.clone(),
            figure: None,
        });
        years.entry(last).or_default();
    }
    for (date, label) in [(&band.written, "方案成文"), (&band.published, "方案发布")] {
        if let Some(year) = date.as_deref().and_then(year_of) {
            let text = chinese_date(date.as_deref().unwrap_or_default()).unwrap_or_default();
            years.entry(year).or_default().push(TimelineItem {
                kind: ItemKind::Document,
                tag: "文件",
                label: format!("{label}（{text}）"),
                url: band.full_text_url.clone(),
                figure: None,
            });
        }
    }
    // Targets: the headline first, then in document order (section, its tasks), then the rest.
    let mut ordered: Vec<&PageInput> = pages
        .iter()
        .filter(|p| p.kind == Kind::Overview)
        .copied()
        .collect();
    for kind in [Kind::Action, Kind::Project] {
        for s in pages.iter().filter(|p| p.kind == kind) {
            ordered.push(s);
            ordered.extend(
                pages.iter().filter(|p| {
                    p.kind == Kind::Task && p.section.as_deref() == Some(s.url.as_str())
                }),
            );
        }
    }
    let rest: Vec<&PageInput> = pages
        .iter()
        .filter(|p| !ordered.iter().any(|o| std::ptr::eq(*o, **p)))
        .copied()
        .collect();
    ordered.extend(rest);
    let dated = ordered.iter().flat_map(|p| {
        p.targets
            .iter()
            .filter(|t| t.by.is_some())
            .map(move |t| (t, *p))
    });
    for (t, p) in dated {
        let Some(year) = t.by else { continue };
        let items = years.entry(year).or_default();
        let shown = items.iter().filter(|i| i.kind == ItemKind::Target).count();
        if shown < settings.timeline_limit {
            let f = figure(t, p);
            items.push(TimelineItem {
                kind: ItemKind::Target,
                tag: "目标",
                label: f.text.clone(),
                url: f.url.clone(),
                figure: Some(f),
            });
        } else {
            *more.entry(year).or_default() += 1;
        }
    }
    if let Some([first, last]) = period {
        for p in pages
            .iter()
            .filter(|p| p.url.starts_with(&settings.implementation))
        {
            let Some(body) = &p.body else { continue };
            for (when, label) in evaluation_steps(body) {
                let year = match when {
                    When::Mid => first + (last - first + 1) / 2,
                    When::End => last,
                    When::Year(y) => y,
                };
                years.entry(year).or_default().push(TimelineItem {
                    kind: ItemKind::Evaluation,
                    tag: "评估",
                    label,
                    url: p.url.clone(),
                    figure: None,
                });
            }
        }
    }
    years
        .into_iter()
        .map(|(year, mut items)| {
            // Within a year: period, document, evaluation, then targets.
            items.sort_by_key(|i| match i.kind {
                ItemKind::Period => 0,
                ItemKind::Document => 1,
                ItemKind::Evaluation => 2,
                ItemKind::Target => 3,
            });
            Year {
                year,
                items,
                more: more.get(&year).copied().unwrap_or(0),
            }
        })
        .filter(|y| !y.items.is_empty() || y.more > 0)
        .collect()
}

/// When an evaluation step happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    /// 中期: the middle of the period.
    Mid,
    /// “十四五”末, 期末: the last year.
    End,
    Year(i32),
}

fn when(clause: &str) -> Option<When> {
    if clause.contains("中期") {
        return Some(When::Mid);
    }
    if clause.contains("期末") || (clause.contains("十四五") && clause.contains('末')) {
        return Some(When::End);
    }
    let chars: Vec<char> = clause.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse().ok().map(When::Year))
            .flatten()
    })
}

/// Evaluation steps (评估) with a time in a 组织实施 text: 组织开展中期自查评估 →
/// (Mid, 中期自查评估); “十四五”末，……进行全面总结评估 → (End, 全面总结评估).
/// A clause names its own time, or the sentence opens with a short time phrase.
fn evaluation_steps(body: &str) -> Vec<(When, String)> {
    let text = plain_text(body);
    let mut steps = Vec::new();
    for sentence in text.split(['。', '；', ';', '\n']) {
        let clauses: Vec<&str> = sentence
            .split(['，', ','])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let opening = clauses
            .first()
            .filter(|c| c.chars().count() <= 8 && !c.contains("评估"))
            .and_then(|c| when(c));
        for clause in &clauses {
            if !clause.contains("评估") || clause.ends_with("机制") {
                continue;
            }
            let Some(time) = when(clause).or(opening) else {
                continue;
            };
            let label = ["进行", "开展", "组织"]
                .iter()
                .filter_map(|verb| clause.rfind(verb).map(|i| i + verb.len()))
                .max()
                .map_or(*clause, |i| &clause[i..]);
            let label = label.trim();
            if !label.is_empty() && !steps.iter().any(|(_, l)| l == label) {
                steps.push((time, label.to_string()));
            }
        }
    }
    steps
}

/// Markdown reduced to its words: headings, emphasis, list and quote markers dropped.
fn plain_text(markdown: &str) -> String {
    markdown
        .lines()
        .map(|l| {
            l.trim_start_matches(['#', '>', '-', '*', ' '])
                .replace(['*', '_', '`'], "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first sentence of a body (or summary), for a one-line summary.
pub fn first_sentence(body: &str) -> String {
    let paragraph = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let text = plain_text(paragraph);
    let line = text.trim();
    match line.find('。') {
        Some(i) => line[..i + '。'.len_utf8()].to_string(),
        None => line.to_string(),
    }
}

/// The years of a title such as …实施方案(2021—2025年) (the policy model's rule).
fn period_from_title(title: &str) -> Option<[i32; 2]> {
    crate::model::policy::plan_years(title).map(|(a, b)| [a, b])
}

fn year_of(date: &str) -> Option<i32> {
    date.get(..4)?.parse().ok()
}

/// `2022-12-21` → `2022年12月21日`.
pub fn chinese_date(date: &str) -> Option<String> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.get(..2)?.parse().ok()?;
    Some(format!("{y}年{m}月{d}日"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUPERVISION: &str = "实施监督评估机制，定期调度和跟踪问效，加强动态管理和督促检查，\
        组织开展中期自查评估，及时总结经验，解决问题，推进各项目标任务的落实落地。\
        “十四五”末，通过实地走访、专项调研、查验资料、座谈交流等方式，\
        对各旗区、各部门的纲要实施工作进行全面总结评估。";

    #[test]
    fn evaluation_steps_of_the_seed() {
        assert_eq!(
            evaluation_steps(SUPERVISION),
            vec![
                (When::Mid, "中期自查评估".to_string()),
                (When::End, "全面总结评估".to_string())
            ]
        );
    }

    #[test]
    fn period_from_the_seed_title() {
        assert_eq!(
            period_from_title("鄂尔多斯市全民科学素质行动规划纲要实施方案(2021—2025年)"),
            Some([2021, 2025])
        );
        assert_eq!(period_from_title("没有年份"), None);
    }

    #[test]
    fn values_and_dates() {
        assert_eq!(format_value(25.0), "25");
        assert_eq!(format_value(1.5), "1.5");
        assert_eq!(format_value(0.125), "0.125");
        assert_eq!(chinese_date("2023-01-07").as_deref(), Some("2023年1月7日"));
        assert_eq!(chinese_date("bad"), None);
    }

    #[test]
    fn first_sentence_of_a_principle() {
        assert_eq!(
            first_sentence("## x\n\n弘扬科学精神和科学家精神，传递思想。形成氛围。"),
            "弘扬科学精神和科学家精神，传递思想。"
        );
    }
}
