//! The policy graph on fixture sites, loaded by the core loader: unit resolution, statuses,
//! every `check` problem with its line, the open data files read back and compared with the
//! front matter. The built pages (fixtures and the real plan) are in `tests/policy_site.rs`.

use site::build::{BuildOptions, load_site};
use site::diagnostic::{Diagnostic, has_errors};
use site::model::policy::{self, Period, PolicyGraph, Status, parse_date};
use site::model::{Site, Urls};

const FIXTURE: &str = "tests/fixtures/policy";
const BAD_FIXTURE: &str = "tests/fixtures/policy-bad";

fn load(root: &str) -> Site {
    load_site(&BuildOptions::new(root)).unwrap_or_else(|e| panic!("{root} loads: {e:#?}"))
}

fn period(as_of: &str) -> Period {
    Period {
        as_of: parse_date(as_of).expect("date"),
        start_year: Some(2021),
        end_year: Some(2025),
    }
}

fn build(site: &Site, as_of: &str) -> (PolicyGraph, Vec<Diagnostic>) {
    policy::from_site(site, period(as_of))
}

/// Links in open data are full addresses under this base URL.
fn urls() -> Urls {
    Urls::new("https://kx.example.cn/")
}

fn good() -> (Site, PolicyGraph) {
    let site = load(FIXTURE);
    let (graph, problems) = build(&site, "2023-12-31");
    assert!(problems.is_empty(), "fixture has problems: {problems:#?}");
    (site, graph)
}

#[test]
fn units_resolve_by_name_and_alias_with_stable_slugs() {
    let (_, g) = good();
    let unit = |name: &str| g.units.iter().find(|u| u.name == name).expect(name);
    let jyt = unit("市教育体育局");
    assert_eq!(jyt.slug, "shijiaoyutiyuju");
    assert_eq!(jyt.url, "/units/shijiaoyutiyuju/");
    assert_eq!(jyt.led_count, 2);
    assert_eq!(jyt.shared_count, 0);
    assert_eq!(
        jyt.targets
            .iter()
            .map(|&i| g.targets[i].id.as_str())
            .collect::<Vec<_>>(),
        ["demo-schools", "school-lectures", "student-participation"]
    );
    // 市科协 (alias) and 市科学技术协会 (name) are the same unit.
    let kx = unit("市科学技术协会");
    assert_eq!(kx.led_count, 2);
    assert_eq!(kx.shared_count, 3);
    assert_eq!(kx.short, "科协");
    // "科学技术局" is an alias of 市科学技术局.
    assert_eq!(unit("市科学技术局").shared_count, 2);
    assert_eq!(unit("鄂尔多斯应用技术学院").slug, "oit");
    assert_eq!(unit("市融媒体中心").kind, "其他");
    // Kinds in order of first appearance, 其他 last.
    let kinds: Vec<&str> = g.unit_groups.iter().map(|k| k.kind.as_str()).collect();
    assert_eq!(kinds, ["党委部门", "政府部门", "群团组织", "高校", "其他"]);
    // The placeholder is kept as written and is not a unit.
    assert!(g.units.iter().all(|u| u.name != "各成员单位"));
    let volunteers = g
        .tasks
        .iter()
        .find(|t| t.url == "/projects/venues/05-volunteers/")
        .expect("task");
    assert_eq!(volunteers.placeholders, ["各成员单位"]);
    assert!(volunteers.units.is_empty());
}

#[test]
fn audiences_have_fixed_slugs_and_inherit_from_sections() {
    let (_, g) = good();
    let slugs: Vec<(&str, &str)> = g
        .audiences
        .iter()
        .map(|a| (a.name.as_str(), a.slug.as_str()))
        .collect();
    assert_eq!(
        slugs,
        [
            ("青少年", "youth"),
            ("农牧民", "farmers"),
            ("产业工人", "workers"),
            ("老年人", "elderly"),
            ("领导干部和公务员", "officials")
        ]
    );
    let youth = &g.audiences[0];
    assert_eq!(youth.url, "/audiences/youth/");
    assert_eq!(youth.sections.len(), 1);
    assert_eq!(
        youth.tasks.len(),
        2,
        "tasks inherit 青少年 from their action"
    );
    assert_eq!(youth.targets.len(), 3);
    assert_eq!(youth.lead_units.len(), 1);
    assert_eq!(
        (
            youth.lead_units[0].unit.name.as_str(),
            youth.lead_units[0].count
        ),
        ("市教育体育局", 2)
    );
    let seniors = &g.audiences[3];
    assert_eq!(seniors.tasks.len(), 1, "a task's own audience");
    assert!(g.audiences[2].tasks.is_empty());
}

#[test]
fn statuses_at_the_evaluation_date() {
    let (_, g) = good();
    let status = |id: &str| {
        let t = g.targets.iter().find(|t| t.id == id).expect(id);
        (t.status, t.percent_text.clone())
    };
    // 10 → 25 over 2021–2025: 18.995 expected at the end of 2023, 18 reported.
    assert_eq!(status("demo-schools"), (Status::Behind, "72%".to_string()));
    assert_eq!(
        status("school-lectures"),
        (Status::OnTrack, "100%".to_string())
    );
    assert_eq!(
        status("student-participation"),
        (Status::Unreported, String::new())
    );
    // 0 → 6000 over 2021–2025: 3598 expected, 4000 reported.
    assert_eq!(
        status("farmer-training"),
        (Status::OnTrack, "66.7%".to_string())
    );
    assert_eq!(status("volunteers"), (Status::Done, "100%".to_string()));
    // 每年, deadline 2023, evaluated on its last day: on track, not yet done.
    assert_eq!(
        status("health-talks"),
        (Status::OnTrack, "125%".to_string())
    );
    // 10.31 → 14: 12.52 expected, 12.5 reported.
    assert_eq!(
        status("literacy-rate"),
        (Status::Behind, "89.3%".to_string())
    );
    let counts: Vec<usize> = g.status_counts.iter().map(|c| c.count).collect();
    assert_eq!(counts, [1, 3, 2, 1]);
    // Lead units come from the page; the overview has none.
    let demo = g
        .targets
        .iter()
        .find(|t| t.id == "demo-schools")
        .expect("target");
    assert_eq!(demo.lead_units[0].name, "市教育体育局");
    assert_eq!(demo.task.url, "/actions/youth/02-basic/");
    assert_eq!(
        demo.section.as_ref().map(|s| s.title.as_str()),
        Some("青少年科学素质提升行动")
    );
    // A later evaluation date changes the verdict: after 2025 the 72% is late for good.
    let site = load(FIXTURE);
    let (later, _) = build(&site, "2026-01-01");
    let health = later
        .targets
        .iter()
        .find(|t| t.id == "health-talks")
        .expect("target");
    assert_eq!(health.status, Status::Done);
}

#[test]
fn responsibility_matrix_marks_lead_and_share_in_text() {
    let (_, g) = good();
    let r = &g.responsibilities;
    let cols: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    // Units that lead come first, then the others, each in registry order.
    assert_eq!(
        cols,
        [
            "市教育体育局",
            "市农牧局",
            "市科学技术协会",
            "市委宣传部",
            "市科学技术局",
            "市卫生健康委员会",
            "鄂尔多斯应用技术学院",
            "市融媒体中心"
        ]
    );
    let titles: Vec<&str> = r.groups.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "青少年科学素质提升行动",
            "农牧民科学素质提升行动",
            "实施基层科普能力提升工程"
        ]
    );
    let row = &r.groups[0].rows[1];
    let task = &g.tasks[row.task];
    assert_eq!(task.title, "提升基础教育阶段科学教育水平");
    // Each section's table has a column only for the units its tasks name, in the order of
    // the whole matrix's columns.
    // 市卫生健康委员会 is named only outside this section: no column here.
    let group_cols: Vec<&str> = r.groups[0]
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        group_cols,
        [
            "市教育体育局",
            "市农牧局",
            "市科学技术协会",
            "市委宣传部",
            "市科学技术局",
            "鄂尔多斯应用技术学院",
            "市融媒体中心"
        ]
    );
    let labels: Vec<&str> = row.cells.iter().map(|c| c.label()).collect();
    assert_eq!(labels, ["牵头", "参与", "参与", "", "参与", "", ""]);
    assert_eq!(
        task.unit_slugs,
        "shijiaoyutiyuju shikexuejishuju shinongmuju shikexuejishuxiehui"
    );
}

fn problem_summary(problems: &[Diagnostic]) -> Vec<(String, usize, usize, bool)> {
    problems
        .iter()
        .map(|p| {
            (
                p.file.clone().unwrap_or_default(),
                p.line.unwrap_or(0),
                p.column.unwrap_or(0),
                !p.is_error(),
            )
        })
        .collect()
}

#[test]
fn every_check_problem_with_its_line() {
    let site = load(BAD_FIXTURE);
    let (graph, problems) = build(&site, "2022-06-30");
    let summary = problem_summary(&problems);
    let expected = [
        ("content/a.md", 4, 14, false),     // unknown unit 市教育局
        ("content/a.md", 12, 5, false),     // deadline 2019 before baseline 2020
        ("content/a.md", 16, 9, false),     // progress without as_of
        ("content/b.md", 4, 12, true),      // audience 青年
        ("content/b.md", 7, 5, false),      // duplicate target id
        ("content/b.md", 11, 20, false),    // as_of not a date
        ("content/units.yaml", 2, 5, true), // 市教育体育局 named by no page (only misspelt)
        ("content/units.yaml", 5, 5, true), // 市水利局 named by no page
    ];
    let expected: Vec<(String, usize, usize, bool)> = expected
        .iter()
        .map(|(f, l, c, w)| (f.to_string(), *l, *c, *w))
        .collect();
    assert_eq!(summary, expected, "{problems:#?}");
    let text = |i: usize| format!("{}", problems[i]);
    assert!(
        text(0).contains("unknown unit \"市教育局\" in `lead_units`"),
        "{}",
        text(0)
    );
    assert!(
        text(0).contains("did you mean \"市教育体育局\""),
        "{}",
        text(0)
    );
    assert!(text(1).contains("deadline 2019 is before its baseline year 2020"));
    assert!(text(2).contains("has no `as_of` date"));
    assert!(text(3).contains("did you mean \"青少年\""), "{}", text(3));
    assert!(
        text(4).contains("already used at content/a.md:9"),
        "{}",
        text(4)
    );
    assert!(text(5).contains("is not a date"));
    assert!(text(6).contains("unit \"市教育体育局\" is in the registry but no page names it"));
    assert!(text(7).contains("市水利局"));
    assert!(has_errors(&problems));
    // The graph is still complete, so every page can be checked at once.
    assert_eq!(graph.targets.len(), 2);
    assert_eq!(graph.tasks.len(), 2);
}

#[test]
fn a_progress_value_after_the_evaluation_date_is_a_warning() {
    let site = load(FIXTURE);
    let (_, problems) = build(&site, "2023-06-30");
    let late: Vec<(String, usize)> = problems
        .iter()
        .map(|p| (p.file.clone().unwrap_or_default(), p.line.unwrap_or(0)))
        .collect();
    assert_eq!(
        late,
        [
            ("content/actions/farmers/02-talent.md".to_string(), 17),
            ("content/actions/youth/02-basic.md".to_string(), 21),
            ("content/actions/youth/02-basic.md".to_string(), 30),
        ]
    );
    assert!(problems.iter().all(|p| !p.is_error()));
}

fn csv_records(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    assert!(
        bytes.starts_with(policy::data::BOM),
        "UTF-8 byte-order mark"
    );
    let mut reader = csv::Reader::from_reader(&bytes[policy::data::BOM.len()..]);
    let header = reader.headers().expect("header").clone();
    let rows = reader.records().map(|r| r.expect("record")).collect();
    (header, rows)
}

#[test]
fn targets_csv_reads_back_as_the_front_matter() {
    let (site, g) = good();
    let bytes = policy::data::targets_csv(&g, &urls());
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");
    let (header, rows) = csv_records(&bytes);
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        policy::data::TARGETS_CSV_HEADER
    );
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let targets: Vec<_> = site
        .pages
        .iter()
        .flat_map(|p| p.front().targets.iter().map(move |t| (p, t)))
        .collect();
    assert_eq!(rows.len(), targets.len());
    for (row, (page, t)) in rows.iter().zip(&targets) {
        assert_eq!(&row[col("id")], t.id);
        let label = if t.label.starts_with('-') {
            format!("'{}", t.label)
        } else {
            t.label.clone()
        };
        assert_eq!(&row[col("label")], label);
        assert_eq!(row[col("value")].parse::<f64>().expect("number"), t.value);
        assert_eq!(&row[col("unit")], t.unit.as_deref().unwrap_or(""));
        assert_eq!(
            &row[col("cmp")],
            t.cmp.label(),
            "wording, as `=` alone would be a formula"
        );
        assert_eq!(
            &row[col("by")],
            t.by.map(|b| b.to_string()).unwrap_or_default()
        );
        assert_eq!(&row[col("per")], t.per.as_deref().unwrap_or(""));
        assert_eq!(
            row[col("baseline_value")].parse::<f64>().ok(),
            t.baseline.as_ref().map(|b| b.value)
        );
        let last = t.progress.last();
        assert_eq!(
            row[col("latest_value")].parse::<f64>().ok(),
            last.map(|p| p.value)
        );
        assert_eq!(
            &row[col("latest_as_of")],
            last.and_then(|p| p.as_of.as_deref()).unwrap_or("")
        );
        assert_eq!(&row[col("task_title")], page.title());
        assert_eq!(
            &row[col("task_url")],
            format!("https://kx.example.cn{}", page.path)
        );
    }
    // Formula injection: the source starting with `=` and the label starting with `-`.
    let farmer = rows
        .iter()
        .find(|r| &r[0] == "farmer-training")
        .expect("row");
    assert_eq!(
        &farmer[col("latest_source")],
        "'=HYPERLINK(\"http://example.invalid\",\"年报\")"
    );
    let volunteers = rows.iter().find(|r| &r[0] == "volunteers").expect("row");
    assert_eq!(&volunteers[col("label")], "'-注册科技志愿者人数");
    assert_eq!(&volunteers[col("status_label")], "已完成");
    assert_eq!(&volunteers[col("lead_units")], "市科学技术协会");
}

#[test]
fn tasks_csv_lists_units_and_placeholders() {
    let (_, g) = good();
    let (header, rows) = csv_records(&policy::data::tasks_csv(&g, &urls()));
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        policy::data::TASKS_CSV_HEADER
    );
    assert_eq!(rows.len(), 5);
    let basic = rows
        .iter()
        .find(|r| &r[1] == "提升基础教育阶段科学教育水平")
        .expect("row");
    assert_eq!(&basic[0], "三(一)2");
    assert_eq!(&basic[2], "https://kx.example.cn/actions/youth/02-basic/");
    assert_eq!(&basic[4], "青少年科学素质提升行动");
    assert_eq!(&basic[5], "青少年");
    assert_eq!(&basic[6], "市教育体育局");
    assert_eq!(&basic[7], "市科学技术局、市农牧局、市科学技术协会");
    assert_eq!(
        &basic[8],
        "demo-schools、school-lectures、student-participation"
    );
    let volunteers = rows
        .iter()
        .find(|r| &r[1] == "强化科普人才队伍建设")
        .expect("row");
    assert_eq!(&volunteers[7], "各成员单位");
}

#[test]
fn json_files_carry_the_graph() {
    let (site, g) = good();
    let targets: serde_json::Value =
        serde_json::from_slice(&policy::data::targets_json(&g, &urls())).expect("json");
    assert_eq!(targets["as_of"], "2023-12-31");
    let list = targets["targets"].as_array().expect("array");
    let demo = list
        .iter()
        .find(|t| t["id"] == "demo-schools")
        .expect("target");
    let front = site
        .pages
        .iter()
        .flat_map(|p| &p.front().targets)
        .find(|t| t.id == "demo-schools")
        .expect("front");
    assert_eq!(
        demo["value"],
        serde_json::json!(25),
        "whole numbers without .0"
    );
    assert_eq!(demo["label"], front.label.as_str());
    assert_eq!(
        demo["baseline"],
        serde_json::json!({"value": 10, "year": 2020})
    );
    assert_eq!(
        demo["progress"].as_array().map(Vec::len),
        Some(front.progress.len())
    );
    assert_eq!(demo["latest"]["value"], serde_json::json!(18));
    assert_eq!(demo["status"], "behind");
    assert_eq!(demo["status_label"], "滞后");
    assert_eq!(demo["percent"], serde_json::json!(72));
    assert_eq!(
        demo["task"]["url"],
        "https://kx.example.cn/actions/youth/02-basic/"
    );
    assert_eq!(demo["lead_units"], serde_json::json!(["市教育体育局"]));
    let literacy = list
        .iter()
        .find(|t| t["id"] == "literacy-rate")
        .expect("target");
    assert_eq!(literacy["baseline"]["value"], serde_json::json!(10.31));
    assert_eq!(literacy["percent"], serde_json::json!(89.3));
    assert!(literacy["lead_units"].as_array().is_some_and(Vec::is_empty));

    let units: serde_json::Value =
        serde_json::from_slice(&policy::data::units_json(&g, &urls())).expect("json");
    assert_eq!(
        units["units"].as_array().map(Vec::len),
        Some(site.units.units.len())
    );
    assert_eq!(units["placeholders"], serde_json::json!(["各成员单位"]));
    let jyt = &units["units"][1];
    assert_eq!(jyt["name"], "市教育体育局");
    assert_eq!(
        jyt["aliases"],
        serde_json::json!(["教育体育局", "市教体局"])
    );
    assert_eq!(
        jyt["led"],
        serde_json::json!([
            "https://kx.example.cn/actions/youth/01-spirit/",
            "https://kx.example.cn/actions/youth/02-basic/"
        ])
    );

    let tasks: serde_json::Value =
        serde_json::from_slice(&policy::data::tasks_json(&g, &urls())).expect("json");
    let list = tasks["tasks"].as_array().expect("array");
    assert_eq!(list.len(), 5);
    assert_eq!(list[0]["section"]["title"], "青少年科学素质提升行动");
}

#[test]
fn output_is_deterministic() {
    let site = load(FIXTURE);
    let (a, _) = build(&site, "2023-12-31");
    let (b, _) = build(&site, "2023-12-31");
    for (_, make) in policy::data::FILES {
        assert_eq!(make(&a, &urls()), make(&b, &urls()));
    }
    let paths: Vec<&str> = policy::data::FILES.iter().map(|f| f.0).collect();
    assert_eq!(
        paths,
        [
            "data/targets.json",
            "data/targets.csv",
            "data/tasks.json",
            "data/units.json",
            "data/tasks.csv"
        ]
    );
}
