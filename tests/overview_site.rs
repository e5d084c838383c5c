//! The 一图读懂 overview through the real pipeline on the real plan (content/): `site build`
//! publishes `/overview/`, `/overview.svg`, `/overview.png`; the figures on the page and in
//! the image are the front matter's; and without a CJK font the build warns once and
//! succeeds without the PNG.

mod common;

use std::path::Path;
use std::process::Command;

use common::copy_dir;
use site::build::{self, BuildOptions};
use site::load::front_matter::Kind;
use site::model::policy::format_number;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The real plan copied to a temporary folder (so builds never touch the repository).
fn real_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).unwrap();
    (tmp, root)
}

/// `figure` as the page writes it: `data-target="ID"><span class="ov-value">V</span>`.
fn page_figure(id: &str, value: f64) -> String {
    format!(
        "data-target=\"{id}\"><span class=\"ov-value\">{}</span>",
        format_number(value)
    )
}

#[test]
fn the_real_plan_gets_its_overview_page_and_images() {
    let (tmp, root) = real_site();
    let out = tmp.path().join("public");
    let opts = BuildOptions {
        out: Some(out.clone()),
        ..BuildOptions::new(root.clone())
    };
    build::build(&opts).expect("build");
    let page = std::fs::read_to_string(out.join("overview/index.html")).unwrap();
    let svg = std::fs::read_to_string(out.join("overview.svg")).unwrap();
    let css = std::fs::read_to_string(out.join("css/overview-colours.css")).unwrap();
    assert!(css.contains(".ov-b-headline"), "{css}");

    let site = build::load_site(&opts).unwrap();
    let home = &site.pages[site.root];
    // The headline: 14% by 2025, from the home page's front matter.
    let headline = home
        .front()
        .targets
        .iter()
        .find(|t| t.value == 14.0)
        .expect("the plan's 14% target");
    assert_eq!(headline.unit.as_deref(), Some("%"));
    assert_eq!(headline.by, Some(2025));
    assert!(page.contains(&page_figure(&headline.id, 14.0)), "headline");
    assert!(svg.contains(">14<"), "the SVG shows 14");

    // Every action and project is a block, on the page and in the image, with its number of
    // tasks; its first target (a key figure when none is marked) with the front matter's value.
    let sections: Vec<_> = site
        .pages
        .iter()
        .filter(|p| matches!(p.front().kind, Kind::Action | Kind::Project))
        .collect();
    assert_eq!(sections.len(), 9, "five actions and four projects");
    for s in &sections {
        let title = &s.front().title;
        assert!(
            page.contains(&format!("<span>{title}</span>")),
            "{title} on the page"
        );
        assert!(svg.contains(title.as_str()), "{title} in the SVG");
        let tasks: Vec<_> = site
            .pages
            .iter()
            .filter(|p| p.parent == Some(s.id) && p.front().kind == Kind::Task)
            .collect();
        assert!(
            page.contains(&format!("<strong>{}</strong>项任务", tasks.len())),
            "{title}: {} tasks",
            tasks.len()
        );
        let mut tasks = tasks;
        tasks.sort_by_key(|p| (p.front().order.unwrap_or(i64::MAX), p.path.clone()));
        let first = s
            .front()
            .targets
            .iter()
            .chain(tasks.iter().flat_map(|p| p.front().targets.iter()))
            .next();
        let any_key = std::iter::once(*s)
            .chain(tasks.iter().copied())
            .any(|p| p.front().targets.iter().any(|t| t.key));
        if let (Some(t), false) = (first, any_key) {
            assert!(
                page.contains(&page_figure(&t.id, t.value)),
                "{title}: {}",
                t.id
            );
            assert!(
                svg.contains(&format!(">{}<", format_number(t.value))),
                "{title}: {} in the SVG",
                t.id
            );
        }
    }
    // Every figure links to the page it comes from (the headline: the full text).
    assert!(page.contains("<a class=\"ov-fig\" href=\"/\"><figure>"));
    for s in &sections {
        for t in &s.front().targets {
            assert!(
                page.contains(&format!("href=\"{}\"><figure>", s.path)),
                "{}",
                t.id
            );
        }
    }

    // The timeline runs 2021 → 2025, with the evaluation steps of 组织实施.
    for year in 2021..=2025 {
        let on_page = page.contains(&format!("<time datetime=\"{year}\">{year}年</time>"));
        if year != 2024 {
            assert!(on_page, "{year} on the timeline");
            assert!(svg.contains(&format!(">{year}<")), "{year} in the SVG");
        }
    }
    assert!(page.contains("中期自查评估") && page.contains("全面总结评估"));
    let years: Vec<usize> = (2021..=2025)
        .filter_map(|y| page.find(&format!("<time datetime=\"{y}\">")))
        .collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "years in order");

    // The image: 1500 px wide PNG when a CJK font is installed, and the page links it.
    if site::overview::Fonts::shared().cjk_family().is_some() {
        let png = std::fs::read(out.join("overview.png")).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().width, 1500);
        assert!(page.contains("href=\"/overview.png\""));
        // A second build reuses the PNG byte for byte.
        build::build(&opts).expect("second build");
        assert_eq!(std::fs::read(out.join("overview.png")).unwrap(), png);
    }
    // The full text links back to the overview.
    let home_html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home_html.contains("href=\"/overview/\""));
}

#[test]
fn without_a_cjk_font_the_build_warns_once_and_writes_no_png() {
    let (tmp, root) = real_site();
    let fonts = tmp.path().join("no-fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    let out = tmp.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_site"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .env("SITE_FONT_DIRS", &fonts)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.matches("no font with Chinese characters").count(),
        1,
        "{stderr}"
    );
    assert!(!out.join("overview.png").exists());
    assert!(out.join("overview.svg").is_file());
    let page = std::fs::read_to_string(out.join("overview/index.html")).unwrap();
    assert!(!page.contains("overview.png"), "the page links no PNG");
}
