//! Open data: `/data/targets.csv`, `/data/tasks.csv`, `/data/targets.json`,
//! `/data/units.json`, `/data/tasks.json` (schema in docs/data.md).
//!
//! Pure functions of the graph: same graph, same bytes. CSV is UTF-8 with a byte-order mark
//! (so Excel reads it as UTF-8), RFC 4180 quoting and CRLF line ends; a text cell that a
//! spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or carriage
//! return) gets a leading `'`. Numbers are written as numbers and never altered. JSON is
//! pretty-printed with a final newline. URLs are full addresses (core's [`Urls::permalink`]:
//! base URL with its path, percent-encoded).

use serde::{Serialize, Serializer};

use super::format_number;
use super::graph::{PolicyGraph, ProgressRow, SectionRef, TargetRow, TaskLink};
use crate::load::front_matter::serialize_number;
use crate::model::Urls;
use crate::text::json::Stream;

/// The byte-order mark that tells Excel a CSV file is UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Separator of list cells in CSV (unit names, ids).
pub const LIST_SEPARATOR: &str = "、";

/// Makes the bytes of one data file.
pub type Maker = fn(&PolicyGraph, &Urls) -> Vec<u8>;

/// Every data file: its path under the output folder and what makes its bytes, in a fixed
/// order. The open data of a large plan is tens of megabytes: a build makes, writes and
/// lets go of one file at a time on each thread. Largest first: the threads make the files
/// side by side, and `targets.json` (over half the bytes) started last would end the stage
/// alone on one thread.
pub const FILES: [(&str, Maker); 5] = [
    ("data/targets.json", targets_json),
    ("data/targets.csv", targets_csv),
    ("data/tasks.json", tasks_json),
    ("data/units.json", units_json),
    ("data/tasks.csv", tasks_csv),
];

/// A text cell made safe for spreadsheets (see the module doc).
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Header of `targets.csv`.
pub const TARGETS_CSV_HEADER: [&str; 20] = [
    "id",
    "label",
    "value",
    "unit",
    "cmp",
    "by",
    "per",
    "baseline_value",
    "baseline_year",
    "latest_value",
    "latest_as_of",
    "latest_source",
    "percent",
    "status",
    "status_label",
    "task_number",
    "task_title",
    "task_url",
    "section_title",
    "lead_units",
];

/// Header of `tasks.csv`.
pub const TASKS_CSV_HEADER: [&str; 9] = [
    "number",
    "title",
    "url",
    "section_number",
    "section_title",
    "audience",
    "lead_units",
    "units",
    "targets",
];

/// One CSV row: text cells neutralised, number cells as they are.
enum Cell {
    Text(String),
    Number(String),
}

fn text(s: impl AsRef<str>) -> Cell {
    Cell::Text(s.as_ref().to_string())
}

fn opt_text(s: Option<&str>) -> Cell {
    text(s.unwrap_or_default())
}

fn number(n: Option<f64>) -> Cell {
    Cell::Number(n.map(format_number).unwrap_or_default())
}

fn integer(n: Option<i32>) -> Cell {
    Cell::Number(n.map(|n| n.to_string()).unwrap_or_default())
}

fn write_csv(header: &[&str], rows: Vec<Vec<Cell>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    // Writing to a Vec cannot fail; the records all have the header's length.
    let _ = w.write_record(header);
    for row in rows {
        let cells = row.into_iter().map(|c| match c {
            Cell::Text(s) => neutralise(&s),
            Cell::Number(s) => s,
        });
        let _ = w.write_record(cells);
    }
    w.into_inner().unwrap_or_default()
}

fn names<'a>(units: impl IntoIterator<Item = &'a str>) -> String {
    units.into_iter().collect::<Vec<_>>().join(LIST_SEPARATOR)
}

/// `/data/targets.csv`: one row per target, its latest value and status.
pub fn targets_csv(graph: &PolicyGraph, urls: &Urls) -> Vec<u8> {
    let rows = graph
        .targets
        .iter()
        .map(|t| {
            let latest = t.latest.as_ref();
            vec![
                text(&t.id),
                text(&t.label),
                number(Some(t.value)),
                opt_text(t.unit.as_deref()),
                text(t.cmp_label),
                integer(t.by),
                opt_text(t.per.as_deref()),
                number(t.baseline.as_ref().map(|b| b.value)),
                integer(t.baseline.as_ref().map(|b| b.year)),
                number(latest.map(|p| p.value)),
                opt_text(latest.and_then(|p| p.as_of.as_deref())),
                opt_text(latest.and_then(|p| p.source.as_deref())),
                number(t.percent),
                text(t.status.code()),
                text(t.status_label),
                opt_text(t.task.number.as_deref()),
                text(&t.task.title),
                text(urls.permalink(&t.task.url)),
                opt_text(t.section.as_ref().map(|s| s.title.as_str())),
                text(names(t.lead_units.iter().map(|u| u.name.as_str()))),
            ]
        })
        .collect();
    write_csv(&TARGETS_CSV_HEADER, rows)
}

/// `/data/tasks.csv`: one row per task, its units and targets.
pub fn tasks_csv(graph: &PolicyGraph, urls: &Urls) -> Vec<u8> {
    let rows = graph
        .tasks
        .iter()
        .map(|t| {
            let section = t.section.as_ref();
            vec![
                opt_text(t.number.as_deref()),
                text(&t.title),
                text(urls.permalink(&t.url)),
                opt_text(section.and_then(|s| s.number.as_deref())),
                opt_text(section.map(|s| s.title.as_str())),
                text(names(t.audience.iter().map(|a| a.name.as_str()))),
                text(names(t.lead_units.iter().map(|u| u.name.as_str()))),
                text(names(
                    t.units
                        .iter()
                        .map(|u| u.name.as_str())
                        .chain(t.placeholders.iter().map(String::as_str)),
                )),
                text(names(
                    t.targets.iter().map(|&i| graph.targets[i].id.as_str()),
                )),
            ]
        })
        .collect();
    write_csv(&TASKS_CSV_HEADER, rows)
}

/// A number as an editor writes it: `25`, not `25.0`.
#[derive(Debug, Clone, Copy)]
struct Num(f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_number(&self.0, s)
    }
}

#[derive(Serialize)]
struct LinkRecord {
    url: String,
    title: String,
    number: Option<String>,
}

fn link_record(urls: &Urls, l: &TaskLink) -> LinkRecord {
    LinkRecord {
        url: urls.permalink(&l.url),
        title: l.title.clone(),
        number: l.number.clone(),
    }
}

fn section_record(urls: &Urls, s: &SectionRef) -> LinkRecord {
    LinkRecord {
        url: urls.permalink(&s.url),
        title: s.title.clone(),
        number: s.number.clone(),
    }
}

#[derive(Serialize)]
struct ProgressRecord {
    value: Num,
    as_of: Option<String>,
    source: Option<String>,
}

fn progress_record(p: &ProgressRow) -> ProgressRecord {
    ProgressRecord {
        value: Num(p.value),
        as_of: p.as_of.clone(),
        source: p.source.clone(),
    }
}

#[derive(Serialize)]
struct BaselineRecord {
    value: Num,
    year: i32,
}

#[derive(Serialize)]
struct TargetRecord {
    id: String,
    label: String,
    value: Num,
    unit: Option<String>,
    cmp: &'static str,
    by: Option<i32>,
    per: Option<String>,
    recurring: bool,
    key: bool,
    baseline: Option<BaselineRecord>,
    progress: Vec<ProgressRecord>,
    latest: Option<ProgressRecord>,
    expected: Option<Num>,
    percent: Option<Num>,
    status: &'static str,
    status_label: &'static str,
    task: LinkRecord,
    section: Option<LinkRecord>,
    lead_units: Vec<String>,
    audience: Vec<String>,
}

fn target_record(urls: &Urls, t: &TargetRow) -> TargetRecord {
    TargetRecord {
        id: t.id.clone(),
        label: t.label.clone(),
        value: Num(t.value),
        unit: t.unit.clone(),
        cmp: t.cmp,
        by: t.by,
        per: t.per.clone(),
        recurring: t.recurring,
        key: t.key,
        baseline: t.baseline.as_ref().map(|b| BaselineRecord {
            value: Num(b.value),
            year: b.year,
        }),
        progress: t.progress.iter().map(progress_record).collect(),
        latest: t.latest.as_ref().map(progress_record),
        expected: t.expected.map(Num),
        percent: t.percent.map(Num),
        status: t.status.code(),
        status_label: t.status_label,
        task: link_record(urls, &t.task),
        section: t.section.as_ref().map(|s| section_record(urls, s)),
        lead_units: t.lead_units.iter().map(|u| u.name.clone()).collect(),
        audience: t.audience.iter().map(|a| a.name.clone()).collect(),
    }
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = crate::text::json::to_vec(value, true);
    out.push(b'\n');
    out
}

/// `/data/targets.json`: every target with its whole progress history.
pub fn targets_json(graph: &PolicyGraph, urls: &Urls) -> Vec<u8> {
    #[derive(Serialize)]
    #[serde(bound = "")]
    struct File<'a, I: Iterator<Item = TargetRecord>> {
        as_of: &'a str,
        targets: Stream<I>,
    }
    to_json(&File {
        as_of: &graph.as_of,
        targets: Stream::new(graph.targets.iter().map(|t| target_record(urls, t))),
    })
}

/// `/data/units.json`: the registry with what each unit leads and shares.
pub fn units_json(graph: &PolicyGraph, urls: &Urls) -> Vec<u8> {
    #[derive(Serialize)]
    struct UnitRecord {
        name: String,
        short: String,
        kind: String,
        aliases: Vec<String>,
        slug: String,
        url: String,
        led: Vec<String>,
        shared: Vec<String>,
        targets: Vec<String>,
    }
    #[derive(Serialize)]
    #[serde(bound = "")]
    struct File<'a, I: Iterator<Item = UnitRecord>> {
        units: Stream<I>,
        placeholders: &'a [String],
    }
    let task_urls = |tasks: &[usize]| -> Vec<String> {
        tasks
            .iter()
            .map(|&k| urls.permalink(&graph.tasks[k].url))
            .collect()
    };
    to_json(&File {
        units: Stream::new(graph.units.iter().map(|u| {
            UnitRecord {
                name: u.name.clone(),
                short: u.short.clone(),
                kind: u.kind.clone(),
                aliases: u.aliases.clone(),
                slug: u.slug.clone(),
                url: urls.permalink(&u.url),
                led: task_urls(&u.led),
                shared: task_urls(&u.shared),
                targets: u
                    .targets
                    .iter()
                    .map(|&i| graph.targets[i].id.clone())
                    .collect(),
            }
        })),
        placeholders: &graph.placeholders,
    })
}

/// `/data/tasks.json`: every task with its section, audience, units and targets.
pub fn tasks_json(graph: &PolicyGraph, urls: &Urls) -> Vec<u8> {
    #[derive(Serialize)]
    struct TaskRecord {
        url: String,
        title: String,
        number: Option<String>,
        section: Option<LinkRecord>,
        audience: Vec<String>,
        lead_units: Vec<String>,
        units: Vec<String>,
        placeholders: Vec<String>,
        targets: Vec<String>,
    }
    #[derive(Serialize)]
    #[serde(bound = "")]
    struct File<I: Iterator<Item = TaskRecord>> {
        tasks: Stream<I>,
    }
    to_json(&File {
        tasks: Stream::new(graph.tasks.iter().map(|t| {
            TaskRecord {
                url: urls.permalink(&t.url),
                title: t.title.clone(),
                number: t.number.clone(),
                section: t.section.as_ref().map(|s| section_record(urls, s)),
                audience: t.audience.iter().map(|a| a.name.clone()).collect(),
                lead_units: t.lead_units.iter().map(|u| u.name.clone()).collect(),
                units: t.units.iter().map(|u| u.name.clone()).collect(),
                placeholders: t.placeholders.clone(),
                targets: t
                    .targets
                    .iter()
                    .map(|&i| graph.targets[i].id.clone())
                    .collect(),
            }
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        assert_eq!(neutralise("市教育体育局"), "市教育体育局");
        assert_eq!(neutralise(""), "");
        assert_eq!(neutralise("a=b"), "a=b");
    }
}
