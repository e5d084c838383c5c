//! `site import` on the seed plan, on small plans in other layouts and attribution styles,
//! on bad input, and re-import that keeps an editor's changes.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use site::import::{self, DoubtKind, ImportError, Imported, PageDraft};
use site::load::front_matter::{Cmp, FrontMatter, Kind, Target};

const SEED: &str = "seeds/000_3d1b4c4ae8fc006b.txt";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn convert_file(rel: &str) -> Imported {
    let path = root().join(rel);
    let bytes = fs::read(&path).expect("fixture readable");
    import::convert(&bytes, &path).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn task<'a>(imp: &'a Imported, number: &str) -> &'a PageDraft {
    imp.plan
        .pages
        .iter()
        .find(|p| p.front.number.as_deref() == Some(number) && p.front.kind == Kind::Task)
        .unwrap_or_else(|| panic!("no task {number}"))
}

fn target(page: &PageDraft, value: f64) -> &Target {
    page.front
        .targets
        .iter()
        .find(|t| t.value == value)
        .unwrap_or_else(|| panic!("{}: no target {value}", page.front.title))
}

fn of_kind(imp: &Imported, kind: Kind) -> Vec<&PageDraft> {
    imp.plan
        .pages
        .iter()
        .filter(|p| p.front.kind == kind)
        .collect()
}

#[test]
fn seed_structure() {
    let imp = convert_file(SEED);
    assert_eq!(of_kind(&imp, Kind::Task).len(), 35);
    assert_eq!(of_kind(&imp, Kind::Principle).len(), 4);
    assert_eq!(of_kind(&imp, Kind::Action).len(), 5);
    assert_eq!(of_kind(&imp, Kind::Project).len(), 4);
    assert_eq!(of_kind(&imp, Kind::Overview).len(), 1);
    // Tasks per section: 6+4+4+3+3 under the actions, 3+3+3+6 under the projects.
    let per_section: Vec<usize> = imp
        .plan
        .pages
        .iter()
        .filter(|p| matches!(p.front.kind, Kind::Action | Kind::Project))
        .map(|s| {
            let dir = s.path.parent().expect("section folder");
            imp.plan
                .pages
                .iter()
                .filter(|p| p.front.kind == Kind::Task && p.path.parent() == Some(dir))
                .count()
        })
        .collect();
    assert_eq!(per_section, [6, 4, 4, 3, 3, 3, 3, 3, 6]);
    let audiences: Vec<Vec<String>> = of_kind(&imp, Kind::Action)
        .iter()
        .map(|a| a.front.audience.clone())
        .collect();
    assert_eq!(
        audiences,
        [
            ["青少年"],
            ["农牧民"],
            ["产业工人"],
            ["老年人"],
            ["领导干部和公务员"]
        ]
    );
    assert_eq!(task(&imp, "三(一)2").front.audience, ["青少年"]);
    // Implementation: an index and its four parts.
    let implementation: Vec<&PageDraft> = imp
        .plan
        .pages
        .iter()
        .filter(|p| p.path.starts_with("implementation"))
        .collect();
    assert_eq!(implementation.len(), 5);
    assert_eq!(implementation[0].front.title, "组织实施");
    // Every path is ASCII, every task has number and order.
    for p in &imp.plan.pages {
        assert!(p.path.to_string_lossy().is_ascii(), "{}", p.path.display());
    }
    for t in of_kind(&imp, Kind::Task) {
        assert!(t.front.number.is_some() && t.front.order.is_some());
    }
}

#[test]
fn seed_overview_and_metadata() {
    let imp = convert_file(SEED);
    let o = &imp.plan.pages[0];
    assert_eq!(o.path, Path::new("_index.md"));
    assert_eq!(o.front.kind, Kind::Overview);
    assert_eq!(
        o.front.title,
        "鄂尔多斯市全民科学素质行动规划纲要实施方案（2021—2025年）"
    );
    let d = &o.front.document;
    assert_eq!(d.doc_number.as_deref(), Some("鄂府发〔2022〕158号"));
    assert_eq!(d.issuer.as_deref(), Some("鄂尔多斯市人民政府"));
    assert_eq!(
        d.written.as_deref(),
        Some("2022-12-21"),
        "damaged 2022年1221"
    );
    assert_eq!(d.published.as_deref(), Some("2023-01-07"));
    assert_eq!(d.basis.len(), 3);
    assert_eq!(d.basis[0].number.as_deref(), Some("国发〔2021〕9号"));
    assert!(
        d.basis[0].title.contains("（2021—2035年）"),
        "damaged 20212035"
    );
    assert_eq!(d.basis[1].number.as_deref(), Some("内政发〔2021〕22号"));
    assert_eq!(d.basis[2].number, None, "damaged 鄂府发〔20221 left out");
    // Preamble and 总体要求 as body; the headline target is key.
    assert!(o.body.starts_with("为进一步提升全民科学素质"));
    assert!(o.body.contains("## 总体要求"));
    assert_eq!(o.front.targets.len(), 1);
    let t = &o.front.targets[0];
    assert_eq!(
        (t.value, t.unit.as_deref(), t.by, t.key),
        (14.0, Some("%"), Some(2025), true)
    );
    // Chrome is gone from every page.
    for p in &imp.plan.pages {
        for chrome in ["ICP", "网站标识码", "审计局", "字号", "政策解读", "首页"] {
            assert!(!p.body.contains(chrome), "{}: {chrome}", p.path.display());
        }
    }
}

#[test]
fn seed_units() {
    let imp = convert_file(SEED);
    let t = task(&imp, "三(一)1");
    assert_eq!(t.front.lead_units, ["市教育体育局"]);
    assert_eq!(
        t.front.units,
        [
            "市委宣传部",
            "市融媒体中心",
            "市科学技术协会",
            "鄂尔多斯应用技术学院",
            "鄂尔多斯职业学院",
            "鄂尔多斯生态环境职业学院",
            "内蒙古民族幼儿师范高等专科学校"
        ]
    );
    // Missing closing parenthesis and glued names.
    assert_eq!(
        task(&imp, "三(一)2").front.units,
        [
            "市科学技术局",
            "市发展和改革委员会",
            "市农牧局",
            "市科学技术协会"
        ]
    );
    // Only 责任单位.
    let t = task(&imp, "三(一)3");
    assert!(t.front.lead_units.is_empty());
    assert_eq!(t.front.units.len(), 4);
    // 共青团鄂尔多斯市委员会 stays whole inside a glued run of six names.
    let t = task(&imp, "三(二)1");
    assert_eq!(t.front.units.len(), 14);
    assert!(t.front.units.iter().any(|u| u == "共青团鄂尔多斯市委员会"));
    // 市工商合会 → 市工商业联合会, 教育体育局 → 市教育体育局, 科学技术局 → 市科学技术局.
    let t = task(&imp, "三(三)3");
    assert_eq!(t.front.units.len(), 17);
    assert!(t.front.units.iter().any(|u| u == "市工商业联合会"));
    assert!(t.front.units.iter().any(|u| u == "市教育体育局"));
    assert!(
        !t.front
            .units
            .iter()
            .any(|u| u == "市工商合会" || u == "教育体育局")
    );
    assert!(
        task(&imp, "三(三)4")
            .front
            .units
            .iter()
            .any(|u| u == "市科学技术局")
    );
    // 责任单位 with no comma before it; the placeholder kept as written.
    let t = task(&imp, "四(二)1");
    assert_eq!(t.front.lead_units, ["市科学技术协会"]);
    assert_eq!(t.front.units, ["各成员单位"]);
    assert_eq!(task(&imp, "四(三)2").front.units.len(), 11);

    let reg = &imp.plan.units;
    assert_eq!(reg.placeholders, ["各成员单位"]);
    assert!(!reg.units.iter().any(|u| u.name == "各成员单位"));
    assert_eq!(reg.units.len(), 46);
    let find = |n: &str| {
        reg.units
            .iter()
            .find(|u| u.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(find("市工商业联合会").aliases, ["市工商合会"]);
    assert_eq!(find("市教育体育局").aliases, ["教育体育局"]);
    assert_eq!(find("市科学技术协会").short.as_deref(), Some("市科协"));
    assert_eq!(
        find("共青团鄂尔多斯市委员会").kind.as_deref(),
        Some("群团组织")
    );
    assert_eq!(find("市委宣传部").kind.as_deref(), Some("党委部门"));
    assert_eq!(find("市教育体育局").kind.as_deref(), Some("政府部门"));
    assert_eq!(find("鄂尔多斯应用技术学院").kind.as_deref(), Some("高校"));
    assert_eq!(
        find("鄂尔多斯机场管理集团有限公司").kind.as_deref(),
        Some("企业")
    );
    assert_eq!(find("市融媒体中心").kind.as_deref(), Some("事业单位"));
    // Every unit a page names is in the registry (or is a placeholder).
    let names: HashSet<&str> = reg
        .units
        .iter()
        .map(|u| u.name.as_str())
        .chain(reg.placeholders.iter().map(String::as_str))
        .collect();
    for p in &imp.plan.pages {
        for u in p.front.lead_units.iter().chain(&p.front.units) {
            assert!(names.contains(u.as_str()), "{u}");
        }
    }
}

#[test]
fn seed_targets() {
    let imp = convert_file(SEED);
    let all: Vec<&Target> = imp
        .plan
        .pages
        .iter()
        .flat_map(|p| &p.front.targets)
        .collect();
    assert_eq!(all.len(), 28);
    let ids: HashSet<&str> = all.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), 28, "ids unique");
    assert!(all.iter().all(|t| t.id.is_ascii() && !t.id.contains(' ')));

    let t2 = task(&imp, "三(一)2");
    let schools = target(t2, 25.0);
    assert_eq!(
        (schools.unit.as_deref(), schools.by, schools.cmp),
        (Some("所"), Some(2025), Cmp::Equal)
    );
    assert_eq!(schools.label, "命名科技教育示范学校");
    let talks = target(t2, 2.0);
    assert_eq!(
        (talks.cmp, talks.per.as_deref()),
        (Cmp::AtLeast, Some("每学期"))
    );
    assert_eq!(target(t2, 90.0).cmp, Cmp::AtLeast);
    let farmers = target(task(&imp, "三(二)2"), 6000.0);
    assert_eq!(
        (farmers.per.as_deref(), farmers.by),
        (Some("十四五期间"), Some(2025))
    );
    assert_eq!(
        target(task(&imp, "三(二)2"), 1200.0).unit.as_deref(),
        Some("户")
    );
    assert_eq!(target(task(&imp, "三(二)4"), 14.0).cmp, Cmp::AtLeast);
    assert_eq!(target(task(&imp, "三(一)5"), 1.0).cmp, Cmp::AtLeast, "至少");
    let info = target(task(&imp, "四(二)1"), 80000.0);
    assert_eq!((info.cmp, info.by), (Cmp::AtLeast, Some(2025)));
    let volunteers = target(task(&imp, "四(四)5"), 100_000.0);
    assert_eq!(
        (volunteers.unit.as_deref(), volunteers.cmp),
        (Some("人"), Cmp::AtLeast)
    );
    assert_eq!(task(&imp, "四(三)3").front.targets.len(), 3);
    // Not targets: 工程2.0, 12396, 百名专家, 2035年远景目标, 5项提升行动.
    for v in [2035.0, 12396.0, 100.0] {
        assert!(all.iter().all(|t| t.value != v), "{v}");
    }
    assert!(
        task(&imp, "三(一)6")
            .front
            .targets
            .iter()
            .all(|t| t.value != 2.0)
    );
    let skipped: Vec<String> = imp
        .doubts
        .iter()
        .filter(|d| d.kind == DoubtKind::NumberSkipped)
        .map(|d| d.message.clone())
        .collect();
    assert!(skipped.iter().any(|m| m.contains("2.0")));
    assert!(skipped.iter().any(|m| m.contains("12396")));
}

#[test]
fn seed_doubts_name_their_lines() {
    let imp = convert_file(SEED);
    let at =
        |kind: DoubtKind, line: usize| imp.doubts.iter().any(|d| d.kind == kind && d.line == line);
    assert!(at(DoubtKind::DamagedDate, 17));
    assert!(at(DoubtKind::DamagedYear, 21));
    assert!(at(DoubtKind::DamagedDocNumber, 21));
    assert!(at(DoubtKind::ParenthesisFixed, 45));
    assert!(at(DoubtKind::UnitsSplit, 43));
    assert!(at(DoubtKind::AliasApplied, 71));
    assert!(at(DoubtKind::Attribution, 47), "task with only 责任单位");
    assert!(at(DoubtKind::NumberSkipped, 53));
    assert!(at(DoubtKind::Structure, 157), "attachment");
    assert!(at(DoubtKind::ChromeRemoved, 1));
}

#[test]
fn state_council_layout_and_convention() {
    let imp = convert_file("tests/fixtures/import/state_council.txt");
    let d = &imp.plan.pages[0].front.document;
    assert_eq!(d.doc_number.as_deref(), Some("国发〔2021〕9号"));
    assert_eq!(d.issuer.as_deref(), Some("国务院"));
    assert_eq!(d.written.as_deref(), Some("2021-06-03"));
    assert_eq!(
        imp.plan.pages[0].front.title,
        "全民科学素质行动规划纲要（2021—2035年）"
    );
    let key: Vec<(f64, Cmp, Option<i32>)> = imp.plan.pages[0]
        .front
        .targets
        .iter()
        .map(|t| (t.value, t.cmp, t.by))
        .collect();
    assert_eq!(
        key,
        [
            (15.0, Cmp::AtLeast, Some(2025)),
            (25.0, Cmp::Equal, Some(2035))
        ]
    );
    assert_eq!(of_kind(&imp, Kind::Task).len(), 6);
    // 列第一位者为牵头单位，下同: the first named unit leads, here and in every later item.
    let t = task(&imp, "二(一)1");
    assert_eq!(t.front.lead_units, ["教育部"]);
    assert_eq!(t.front.units, ["中国科协", "共青团中央"]);
    let t = task(&imp, "二(一)2");
    assert_eq!(
        (t.front.lead_units.clone(), t.front.units.clone()),
        (vec!["教育部".to_owned()], vec!["科技部".to_owned()])
    );
    let t = task(&imp, "二(二)2");
    assert_eq!(t.front.lead_units, ["农业农村部"]);
    assert_eq!(t.front.units, ["人力资源社会保障部", "全国妇联"]);
    assert_eq!(task(&imp, "三(一)2").front.units.len(), 3);
    assert_eq!(
        target(task(&imp, "二(二)1"), 1_000_000.0).per.as_deref(),
        Some("每年")
    );
    assert_eq!(of_kind(&imp, Kind::Action)[1].front.audience, ["农民"]);
    let kinds: Vec<(&str, &str)> = imp
        .plan
        .units
        .units
        .iter()
        .map(|u| (u.name.as_str(), u.kind.as_deref().unwrap_or("")))
        .collect();
    assert!(kinds.contains(&("中央宣传部", "党委部门")));
    assert!(kinds.contains(&("中国科协", "群团组织")));
    assert!(kinds.contains(&("教育部", "政府部门")));
    assert!(
        imp.doubts.iter().all(|d| d.kind != DoubtKind::UnknownUnit),
        "{:?}",
        imp.doubts
    );
}

#[test]
fn city_layout_and_lead_styles() {
    let imp = convert_file("tests/fixtures/import/city_lead_style.txt");
    let o = &imp.plan.pages[0].front;
    assert_eq!(o.title, "某某市科普能力提升方案");
    assert_eq!(
        o.document.doc_number.as_deref(),
        Some("某政办发〔2023〕12号")
    );
    assert_eq!(o.document.issuer.as_deref(), Some("某某市人民政府办公室"));
    assert_eq!(o.targets.len(), 1);
    assert_eq!((o.targets[0].value, o.targets[0].cmp), (15.0, Cmp::AtLeast));
    // ——-led principles.
    let principles: Vec<&str> = of_kind(&imp, Kind::Principle)
        .iter()
        .map(|p| p.front.title.as_str())
        .collect();
    assert_eq!(principles, ["坚持政府推动", "坚持全民参与"]);
    // (A牵头,B、C按职责分工负责) with half-width punctuation; short forms resolved.
    let t = task(&imp, "三(一)1");
    assert_eq!(t.front.lead_units, ["市教育局"]);
    assert_eq!(t.front.units, ["市科学技术局", "市科学技术协会"]);
    assert_eq!(target(t, 3.0).per.as_deref(), Some("每学期"));
    // （牵头单位：A；配合单位：B、C）, 1．full-width numeral.
    let t = task(&imp, "三(一)2");
    assert_eq!(t.front.lead_units, ["市科学技术协会"]);
    assert_eq!(t.front.units, ["市财政局", "市住房和城乡建设局"]);
    let halls = target(t, 10.0);
    assert_eq!(
        (halls.by, halls.cmp, halls.unit.as_deref()),
        (Some(2024), Cmp::AtLeast, Some("座"))
    );
    let money = target(t, 500.0);
    assert_eq!(
        (money.cmp, money.unit.as_deref()),
        (Cmp::AtMost, Some("万元"))
    );
    // 3、 numeral, only 责任单位.
    let t = task(&imp, "三(一)3");
    assert!(t.front.lead_units.is_empty());
    assert_eq!(t.front.units, ["市人力资源和社会保障局", "市科学技术协会"]);
    let t = task(&imp, "三(二)1");
    assert_eq!(t.front.audience, ["社区居民"]);
    assert_eq!(t.front.units, ["各区人民政府", "市民政局"]);
    assert!(t.path.starts_with("actions/residents"));
    assert_eq!(imp.plan.units.placeholders, ["各区人民政府"]);
    let lecture = target(t, 200.0);
    assert_eq!(
        (lecture.per.as_deref(), lecture.by),
        (Some("每年"), Some(2025))
    );
    assert!(
        imp.plan
            .pages
            .iter()
            .any(|p| p.path.starts_with("implementation"))
    );
}

#[test]
fn bad_input_is_a_clear_error() {
    let p = Path::new("x.txt");
    let binary = [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe, 0x00];
    let e = import::convert(&binary, p).expect_err("binary");
    assert!(e.to_string().contains("not a text file"), "{e}");
    let e = import::convert(b"", p).expect_err("empty");
    assert!(e.to_string().contains("empty"), "{e}");
    let e = import::convert("这是一段没有任何标题的文字。\n第二段。".as_bytes(), p)
        .expect_err("no headings");
    assert!(matches!(e, ImportError::NoHeadings { .. }), "{e}");
    assert!(e.to_string().contains("一、"), "{e}");
    // Invalid in UTF-8 and in GB18030.
    let e = import::convert(&[0x81, 0x20, 0x81, 0x20, b'a'], p).expect_err("encoding");
    assert!(e.to_string().contains("UTF-8"), "{e}");
}

#[test]
fn ten_megabyte_file_is_refused_and_large_text_does_not_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.txt");
    let line = "一、标题\n到2025年，建成科普场馆10座以上。（牵头单位：市科协）\n";
    let text = line.repeat(10 * 1024 * 1024 / line.len() + 1);
    fs::write(&big, &text).expect("write");
    let e = import::run(&big, &dir.path().join("out"), false).expect_err("too large");
    assert!(matches!(e, ImportError::TooLarge { .. }), "{e}");
    assert!(e.to_string().contains("MB"), "{e}");
    assert!(!dir.path().join("out").exists(), "nothing written");
    // The converter itself copes with a big text (1 MB, thousands of chapters) in linear
    // time, without panicking.
    let chunk = line.repeat(1024 * 1024 / line.len());
    let imp = import::convert(chunk.as_bytes(), &big).expect("converts");
    assert!(imp.plan.pages.len() > 100);
}

#[test]
fn reimport_keeps_edited_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("content");
    let seed = root().join(SEED);
    let first = import::run(&seed, &out, false).expect("first import");
    assert_eq!(first.pages(), 57);
    assert_eq!(first.targets, 28);
    assert!(out.join(".import-manifest.json").is_file());
    assert!(out.join("units.yaml").is_file());

    // A second import without --force refuses and writes nothing.
    let e = import::run(&seed, &out, false).expect_err("non-empty");
    assert!(matches!(e, ImportError::OutNotEmpty(_)));
    assert!(e.to_string().contains("--force"));

    // An editor changes one page and adds one of their own; a generated page is deleted.
    let edited = out.join("actions/youth/02-ti-sheng-ji-chu-jiao-yu.md");
    let mut text = fs::read_to_string(&edited).expect("generated page");
    text.push_str("\n编辑补充的说明。\n");
    fs::write(&edited, &text).expect("edit");
    let own = out.join("actions/youth/99-notes.md");
    fs::write(&own, "---\ntitle: 编辑的页面\n---\n").expect("own page");
    let units_before = fs::read(out.join("units.yaml")).expect("units");
    fs::remove_file(out.join("principles/01-tu-chu-ke-xue-jing-shen.md")).expect("remove");

    let second = import::run(&seed, &out, true).expect("forced import");
    assert_eq!(
        second.kept,
        [PathBuf::from("actions/youth/02-ti-sheng-ji-chu-jiao-yu.md")]
    );
    assert_eq!(fs::read_to_string(&edited).expect("kept"), text);
    assert!(
        own.is_file(),
        "a file the importer never wrote is untouched"
    );
    assert_eq!(
        second.written,
        [PathBuf::from("principles/01-tu-chu-ke-xue-jing-shen.md")]
    );
    assert_eq!(
        fs::read(out.join("units.yaml")).expect("units"),
        units_before
    );
    let printed = second.to_string();
    assert!(
        printed.contains("kept") && printed.contains("02-ti-sheng-ji-chu-jiao-yu.md"),
        "{printed}"
    );

    // The edit is remembered: a third import still keeps it.
    let third = import::run(&seed, &out, true).expect("third import");
    assert_eq!(third.kept, second.kept);
    assert!(third.written.is_empty());
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = root().join(SEED);
    import::run(&seed, &dir.path().join("a"), false).expect("a");
    import::run(&seed, &dir.path().join("b"), false).expect("b");
    let files = |d: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<(PathBuf, Vec<u8>)> = walk(d)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(d).expect("inside").to_owned(),
                    fs::read(&p).expect("read"),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(files(&dir.path().join("a")), files(&dir.path().join("b")));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The committed `content/` is the seed imported: every file parses with the schema
/// (unknown keys refused), and it holds the plan's 35 tasks and 28 targets.
#[test]
fn committed_content_round_trips() {
    let content = root().join("content");
    let mut tasks = 0;
    let mut targets = 0;
    let mut named = HashSet::new();
    for p in walk(&content) {
        let rel = p
            .strip_prefix(&content)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        if rel.starts_with('.') {
            continue;
        }
        assert!(rel.is_ascii(), "{rel}");
        if rel == "units.yaml" {
            continue;
        }
        let text = fs::read_to_string(&p).expect("utf-8");
        let rest = text
            .strip_prefix("---\n")
            .unwrap_or_else(|| panic!("{rel}: no front matter"));
        let end = rest
            .find("\n---\n")
            .unwrap_or_else(|| panic!("{rel}: unclosed front matter"));
        let fm: FrontMatter =
            serde_yaml::from_str(&rest[..end + 1]).unwrap_or_else(|e| panic!("{rel}: {e}"));
        // Serialising again gives the same front matter.
        let again: FrontMatter =
            serde_yaml::from_str(&serde_yaml::to_string(&fm).expect("ser")).expect("de");
        assert_eq!(fm, again, "{rel}");
        tasks += usize::from(fm.kind == Kind::Task);
        targets += fm.targets.len();
        named.extend(fm.lead_units.into_iter().chain(fm.units));
    }
    assert_eq!(tasks, 35);
    assert_eq!(targets, 28);
    let units: site::load::units::UnitsFile =
        serde_yaml::from_str(&fs::read_to_string(content.join("units.yaml")).expect("units.yaml"))
            .expect("units.yaml parses");
    for n in &named {
        assert!(
            units.units.iter().any(|u| &u.name == n) || units.placeholders.contains(n),
            "{n} not in units.yaml"
        );
    }
}

#[test]
fn flat_task_list_without_notice() {
    let imp = convert_file("tests/fixtures/import/ministry_flat.txt");
    let o = &imp.plan.pages[0].front;
    assert_eq!(o.title, "关于推进科普信息化建设的实施意见");
    assert_eq!(o.targets.len(), 1);
    assert_eq!(
        (o.targets[0].value, o.targets[0].unit.as_deref()),
        (50_000_000.0, Some("人"))
    );
    // A chapter whose items are tasks is itself the section.
    let sections = of_kind(&imp, Kind::Action);
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].path, Path::new("actions/_index.md"));
    assert_eq!(of_kind(&imp, Kind::Task).len(), 3);
    let t = task(&imp, "二(一)");
    assert_eq!(t.front.lead_units, ["科技部"]);
    assert_eq!(t.front.units, ["教育部", "工业和信息化部"]);
    // （A、B等负责） without the 列第一位者 convention: all responsible, no lead.
    let t = task(&imp, "二(二)");
    assert!(t.front.lead_units.is_empty());
    assert_eq!(t.front.units, ["中国科协", "中国科学院"]);
    assert_eq!(target(t, 500.0).per.as_deref(), Some("每年"));
    assert!(
        imp.doubts
            .iter()
            .any(|d| d.kind == DoubtKind::Attribution && d.message.contains("二(三)"))
    );
    assert!(
        imp.plan
            .pages
            .iter()
            .any(|p| p.path == Path::new("implementation/_index.md"))
    );
}
