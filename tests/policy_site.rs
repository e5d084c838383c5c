//! The policy pages as `site build` publishes them and the problems `site check` reports: on
//! the fixture sites and on the real Ordos plan in this repository (content/, site.yaml).

mod common;

use std::path::Path;

use common::{Site, run};

/// The HTML of a built page, `units/` → `units/index.html`.
fn page(site: &Site, out: &str, path: &str) -> String {
    site.read(&format!("{out}/{path}index.html"))
}

/// `--out` for a build into `<root>/public`.
fn out(site: &Site) -> String {
    site.path("public").to_string_lossy().into_owned()
}

#[test]
fn fixture_builds_every_policy_page() {
    let site = Site::fixture("policy");
    site.build_ok(&["--out", &out(&site)]);
    for path in [
        "units/",
        "units/shijiaoyutiyuju/",
        "responsibilities/",
        "targets/",
        "audiences/youth/",
        "audiences/farmers/",
        "audiences/workers/",
        "audiences/elderly/",
        "audiences/officials/",
    ] {
        let html = page(&site, "public", path);
        assert_eq!(html.matches("<h1").count(), 1, "{path}: one h1");
        assert!(!html.contains(" style="), "{path}: no inline style");
        assert!(!html.contains("None"), "{path}: a null printed");
    }
    for data in [
        "targets.csv",
        "tasks.csv",
        "targets.json",
        "units.json",
        "tasks.json",
    ] {
        assert!(
            site.path(&format!("public/data/{data}")).is_file(),
            "{data}"
        );
    }
    assert!(site.path("public/js/filter.js").is_file());

    let matrix = page(&site, "public", "responsibilities/");
    assert!(matrix.contains("data-kind=\"responsibilities\""));
    assert!(matrix.contains(" data-print=\"landscape\">"));
    assert_eq!(matrix.matches("<table class=\"matrix stack\">").count(), 3);
    // Marks in text; on phones each cell is labelled with its unit's short name.
    assert!(matrix.contains("<td data-label=\"教体局\" class=\"lead-mark\">牵头</td>"));
    assert!(matrix.contains("<td data-label=\"农牧局\">参与</td>"));
    assert!(matrix.contains("<td></td>"));
    assert!(matrix.contains("<th scope=\"col\" data-unit=\"shijiaoyutiyuju\">教体局</th>"));
    // Without JavaScript (no filter), readers go to the unit pages.
    assert!(matrix.contains("<a href=\"/units/\">责任单位</a>"));
    assert!(matrix.contains("<script src=\"/js/filter.js\" defer></script>"));

    let targets = page(&site, "public", "targets/");
    assert!(
        targets.contains("进度按2023-12-31计算"),
        "plan.as_of of site.yaml"
    );
    assert!(targets.contains(
        "<li class=\"target-card\" data-status=\"behind\">\n<h3 id=\"t-demo-schools\">命名科技教育示范学校</h3>"
    ));
    assert!(targets.contains("aria-labelledby=\"t-demo-schools\">72%</progress>"));
    assert!(targets.contains("最新18所（截至2023-12-31，来源：市教育体育局年报），完成72%"));
    assert!(targets.contains("data-status=\"unreported\""));
    assert!(targets.contains("data-status=\"on-track\""));
    assert!(targets.contains("data-status=\"done\""));
    assert!(
        targets.contains("=HYPERLINK(&quot;http:"),
        "editor text escaped"
    );

    let unit = page(&site, "public", "units/shijiaoyutiyuju/");
    assert!(unit.contains("<h1>市教育体育局</h1>"));
    assert!(unit.contains("牵头的任务（2项）"));
    assert!(
        unit.contains("<a href=\"/units/\">责任单位</a>"),
        "breadcrumb"
    );

    let youth = page(&site, "public", "audiences/youth/");
    assert!(youth.contains("<h1>青少年</h1>"));
    assert!(youth.contains("<h3 id=\"t-demo-schools\">"));
    assert!(!youth.contains("<h3 id=\"t-volunteers\">"));
    assert!(page(&site, "public", "audiences/workers/").contains("暂无任务"));

    // A task page links its units and 人群 and shows its targets as cards.
    let task = page(&site, "public", "actions/youth/02-basic/");
    assert!(task.contains("<dl class=\"task-units\">"));
    assert!(
        task.contains("<a class=\"lead-unit\" href=\"/units/shijiaoyutiyuju/\">市教育体育局</a>")
    );
    assert!(task.contains("<a href=\"/units/shinongmuju/\">市农牧局</a>"));
    assert!(task.contains("<a href=\"/audiences/youth/\">青少年</a>"));
    assert!(task.contains("<li class=\"target-card\" data-status=\"behind\">"));
    assert!(task.contains("<progress max=\"100\" value=\"72"));
    let placeholders = page(&site, "public", "projects/venues/05-volunteers/");
    assert!(
        placeholders.contains("<li>各成员单位</li>"),
        "placeholders as text"
    );
}

#[test]
fn policy_links_keep_a_base_path() {
    let site = Site::fixture("policy");
    site.build_ok(&[
        "--out",
        &out(&site),
        "--base-url",
        "https://kx.example.cn/kepu/",
    ]);
    for path in [
        "units/",
        "units/shijiaoyutiyuju/",
        "responsibilities/",
        "targets/",
        "audiences/youth/",
        "actions/youth/02-basic/",
    ] {
        let html = page(&site, "public", path);
        for attr in ["href=\"/", "src=\"/"] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                assert!(
                    rest.starts_with("kepu/"),
                    "{path}: link without the base path: {}",
                    &rest[..rest.len().min(40)]
                );
            }
        }
    }
    let csv = site.read("public/data/tasks.csv");
    assert!(csv.contains("https://kx.example.cn/kepu/actions/youth/02-basic/"));
}

#[test]
fn check_reports_every_problem_with_its_line() {
    let site = Site::fixture("policy-bad");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for (loc, what) in [
        (
            "error: content/a.md:4:14:",
            "unknown unit \"市教育局\" in `lead_units`",
        ),
        (
            "error: content/a.md:12:5:",
            "deadline 2019 is before its baseline year 2020",
        ),
        ("error: content/a.md:16:9:", "has no `as_of` date"),
        (
            "error: content/a.md:20:",
            "broken internal link: no file content/nope.md",
        ),
        (
            "warning: content/b.md:4:12:",
            "\"青年\" is not one of the plan's 人群",
        ),
        (
            "error: content/b.md:7:5:",
            "target id \"dup\" is already used at content/a.md:9",
        ),
        ("error: content/b.md:11:20:", "is not a date"),
        (
            "warning: content/units.yaml:2:5:",
            "unit \"市教育体育局\" is in the registry but no page names it",
        ),
        ("warning: content/units.yaml:5:5:", "unit \"市水利局\""),
    ] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.starts_with(loc) && l.contains(what)),
            "missing `{loc} … {what}` in:\n{}",
            r.stderr
        );
    }
    assert!(r.stderr.contains("did you mean \"市教育体育局\""));
    assert!(r.stderr.contains("6 errors found"), "{}", r.stderr);

    // build fails on the same errors and writes nothing.
    let r = site.run(&["build", "--out", &out(&site)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown unit \"市教育局\""));
    assert!(!site.path("public").exists());
}

#[test]
fn warnings_do_not_fail() {
    let site = Site::fixture("policy");
    // A unit nothing names: a warning, printed, exit 0.
    let units = site.read("content/units.yaml");
    let units = units.replace("placeholders:", "  - name: 市水利局\nplaceholders:");
    site.write("content/units.yaml", units);
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "content/units.yaml:29:5: unit \"市水利局\" is in the registry but no page names it"
        ),
        "{}",
        r.stderr
    );
    let r = site.run(&["check", "-q"]);
    assert_eq!(r.code, 0);
    assert!(!r.stderr.contains("warning"));
}

#[test]
fn units_yaml_may_be_a_bare_list() {
    let site = Site::fixture("policy");
    let units = site.read("content/units.yaml");
    // The fixture's registry is `units:` + indented items + `placeholders:`: rewrite it as
    // the benchmark corpus writes it, a bare list (placeholders go, so 各成员单位 is unknown).
    let list: String = units
        .lines()
        .skip_while(|l| !l.starts_with("units:"))
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .map(|l| format!("{}\n", &l[2..]))
        .collect();
    site.write("content/units.yaml", &list);
    let r = site.run(&["check"]);
    assert!(
        r.stderr.contains("unknown unit \"各成员单位\" in `units`"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("units.yaml:"),
        "the list itself parses: {}",
        r.stderr
    );
}

#[test]
fn plan_as_of_must_be_a_date() {
    let site = Site::fixture("policy");
    site.write(
        "site.yaml",
        "title: 规划\nbase_url: https://kx.example.cn/\nplan:\n  as_of: 2023年\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: site.yaml:4:3: `plan.as_of: 2023年` is not a date"),
        "{}",
        r.stderr
    );
}

/// The real plan of this repository, built as it is committed.
#[test]
fn the_real_plan() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let r = run(&[
        "build",
        "--root",
        repo.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let read =
        |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));

    // Every unit of the registry has its page.
    let registry = site::load::units::parse(
        &std::fs::read_to_string(repo.join("content/units.yaml")).expect("units.yaml"),
        "content/units.yaml",
    )
    .expect("registry parses");
    assert_eq!(registry.units.len(), 46);
    let units = read("units/index.html");
    assert!(units.contains("本方案共涉及46个单位"));
    let unit_pages = std::fs::read_dir(out.join("units"))
        .expect("units/")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().join("index.html").is_file())
        })
        .count();
    assert_eq!(unit_pages, 46);
    assert!(read("units/shijiaoyutiyuju/index.html").contains("<h1>市教育体育局</h1>"));

    for (slug, name) in [
        ("youth", "青少年"),
        ("farmers", "农牧民"),
        ("workers", "产业工人"),
        ("elderly", "老年人"),
        ("officials", "领导干部和公务员"),
    ] {
        let html = read(&format!("audiences/{slug}/index.html"));
        assert!(html.contains(&format!("<h1>{name}</h1>")), "{slug}");
        assert!(!html.contains("暂无任务"), "{slug}: its tasks are listed");
    }

    let matrix = read("responsibilities/index.html");
    assert!(matrix.contains("本方案35项任务的分工，涉及46个单位"));
    assert_eq!(matrix.matches("<th scope=\"row\">").count(), 35);

    // No progress in the real plan: every target 未报告, judged at site.yaml's as_of.
    let targets = read("targets/index.html");
    assert!(targets.contains("本方案共有28项量化目标，进度按2026-11-28计算"));
    assert_eq!(targets.matches("class=\"target-card\"").count(), 28);
    assert_eq!(
        targets
            .matches("class=\"target-card\" data-status=\"unreported\"")
            .count(),
        28
    );
    assert!(!targets.contains("<progress"));

    // targets.csv read back and compared with every page's front matter.
    let site = site::build::load_site(&site::build::BuildOptions::new(repo)).expect("loads");
    let bytes = std::fs::read(out.join("data/targets.csv")).expect("csv");
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM");
    let mut reader = csv::Reader::from_reader(body);
    let header = reader.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let expected: Vec<_> = site.targets().collect();
    assert_eq!(rows.len(), expected.len());
    assert_eq!(rows.len(), 28);
    for (row, (page, t)) in rows.iter().zip(expected) {
        assert_eq!(&row[col("id")], t.id);
        assert_eq!(&row[col("label")], t.label);
        assert_eq!(row[col("value")].parse::<f64>().expect("value"), t.value);
        assert_eq!(&row[col("unit")], t.unit.as_deref().unwrap_or(""));
        assert_eq!(&row[col("cmp")], t.cmp.label());
        assert_eq!(
            &row[col("by")],
            t.by.map(|b| b.to_string()).unwrap_or_default()
        );
        assert_eq!(&row[col("per")], t.per.as_deref().unwrap_or(""));
        assert_eq!(&row[col("status")], "unreported");
        assert_eq!(&row[col("task_title")], page.title());
        assert_eq!(&row[col("task_url")], site.urls.permalink(&page.path));
    }
    let tasks = std::fs::read(out.join("data/tasks.csv")).expect("csv");
    let mut reader = csv::Reader::from_reader(&tasks[3..]);
    assert_eq!(reader.records().count(), 35);

    // A task page links its units to their pages and shows its target cards.
    let task = read("actions/youth/02-ti-sheng-ji-chu-jiao-yu/index.html");
    assert!(
        task.contains("<a class=\"lead-unit\" href=\"/units/shijiaoyutiyuju/\">市教育体育局</a>")
    );
    assert!(task.contains("<a href=\"/units/shikexuejishuju/\">市科学技术局</a>"));
    assert!(task.contains("<h3 id=\"t-youth-2-1\">命名科技教育示范学校</h3>"));
}
