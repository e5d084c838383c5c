//! The 一图读懂 overview on a fixture site modelled on the seed plan
//! (tests/fixtures/overview): the page, the SVG and the PNG show exactly the front matter's
//! figures, change when it changes, are well-formed and self-contained, and the build
//! without a CJK font skips the PNG with a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use site::load::front_matter::{DocumentMeta, FrontMatter, Kind};
use site::load::units::UnitsFile;
use site::overview::{self, Fonts, Icons, OverviewData, OverviewSettings, PageInput, render_svg};

const BASE: &str = "https://kx.example.gov.cn";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/overview")
}

/// A fixture site as the overview's input records. (The real loader lives in src/load; this
/// reads only what the overview needs, the way the build will feed it.)
struct Site {
    pages: Vec<PageInput>,
    units: BTreeMap<String, String>,
    document: DocumentMeta,
}

fn load(root: &Path) -> Site {
    let content = root.join("content");
    let mut raw = Vec::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let rest = text.strip_prefix("---\n").expect("front matter");
        let end = rest.find("\n---\n").expect("end of front matter");
        let fm: FrontMatter = serde_yaml::from_str(&rest[..end]).unwrap();
        let body = rest[end + 5..].to_string();
        let rel = path.strip_prefix(&content).unwrap().with_extension("");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let url = match rel.strip_suffix("_index") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{rel}/"),
        };
        raw.push((url, fm, body));
    }
    let sections: Vec<String> = raw
        .iter()
        .filter(|(_, fm, _)| matches!(fm.kind, Kind::Action | Kind::Project))
        .map(|(url, _, _)| url.clone())
        .collect();
    let mut document = DocumentMeta::default();
    let pages = raw
        .into_iter()
        .map(|(url, fm, body)| {
            if fm.kind == Kind::Overview {
                document = fm.document.clone();
            }
            let parent = match url.trim_end_matches('/').rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/"),
                None => String::new(),
            };
            PageInput {
                section: sections.contains(&parent).then_some(parent),
                url,
                title: fm.title,
                kind: fm.kind,
                number: fm.number,
                order: fm.order,
                audience: fm.audience,
                targets: fm.targets,
                lead_units: fm.lead_units,
                summary: fm.summary,
                body: Some(body),
            }
        })
        .collect();
    let units: UnitsFile =
        serde_yaml::from_str(&std::fs::read_to_string(content.join("units.yaml")).unwrap())
            .unwrap();
    let units = units
        .units
        .into_iter()
        .map(|u| (u.name, u.slug.unwrap()))
        .collect();
    Site {
        pages,
        units,
        document,
    }
}

fn data(site: &Site, settings: &OverviewSettings) -> OverviewData {
    OverviewData::from_parts(
        &site.pages,
        &site.units,
        &site.document,
        settings,
        &Icons::builtin(),
    )
}

/// The page through the real theme: its templates (base.html, components, url_for) as the
/// build loads them, with the context a generated page gets.
fn page(data: &OverviewData) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = site::config::Config::parse(&format!("title: 科普\nbase_url: {BASE}/\n")).unwrap();
    let urls = site::model::url::Urls::new(&config.base_url);
    let files = site::theme::files(repo, "default").unwrap();
    let templates =
        site::render::Templates::load(&files.templates, &urls).unwrap_or_else(|e| panic!("{e:?}"));
    let mut ctx = tera::Context::new();
    ctx.insert("overview", data);
    ctx.insert("config", &config);
    ctx.insert("current_path", "/overview/");
    ctx.insert("site", &serde_json::json!({ "nav": [] }));
    ctx.insert(
        "page",
        &serde_json::json!({
            "title": data.title, "path": "/overview/", "permalink": format!("{BASE}/overview/"),
            "kind": "overview", "ancestors": [], "summary": "", "content": ""
        }),
    );
    String::from_utf8(
        templates
            .render("overview.html", &ctx)
            .unwrap_or_else(|e| panic!("{e:?}")),
    )
    .unwrap()
}

fn svg(data: &OverviewData, settings: &OverviewSettings) -> overview::SvgImage {
    render_svg(data, settings, &Icons::builtin(), BASE)
}

fn target_ids(figures: &[overview::data::Figure]) -> Vec<&str> {
    figures.iter().map(|f| f.id.as_str()).collect()
}

#[test]
fn key_targets_follow_the_rule() {
    let site = load(&fixture());
    let d = data(&site, &OverviewSettings::default());
    assert_eq!(target_ids(&d.headline), ["literacy-rate"]);
    let youth = d
        .actions
        .iter()
        .find(|s| s.url == "/actions/youth/")
        .unwrap();
    // No `key: true` in the section: the first three in task order.
    assert_eq!(
        target_ids(&youth.figures),
        ["demo-schools", "school-lectures", "student-participation"]
    );
    assert_eq!(youth.tasks, 6);
    assert_eq!(youth.more_targets, 4);
    assert_eq!(youth.icon, "youth");
    assert_eq!(youth.lead_units[0].name, "市教育体育局");
    assert_eq!(youth.lead_units[0].count, 5);
    assert_eq!(
        youth.lead_units[0].url.as_deref(),
        Some("/units/shi-jiao-yu-ti-yu-ju/")
    );
    // Sections in order, actions before projects.
    let titles: Vec<&str> = d.actions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles[0], "青少年科学素质提升行动");
    assert_eq!(titles.len(), 5);
    assert_eq!(d.projects.len(), 4);
    assert_eq!(d.principles.len(), 4);

    // Marking one target `key: true` shows that one only.
    let mut site = site;
    let task = site
        .pages
        .iter_mut()
        .find(|p| p.url == "/actions/farmers/03/")
        .unwrap();
    task.targets[1].key = true;
    let d = data(&site, &OverviewSettings::default());
    let farmers = d
        .actions
        .iter()
        .find(|s| s.url == "/actions/farmers/")
        .unwrap();
    assert_eq!(target_ids(&farmers.figures), ["farmers-served"]);
}

#[test]
fn timeline_and_units_come_from_the_data() {
    let site = load(&fixture());
    let d = data(&site, &OverviewSettings::default());
    assert_eq!(d.period, Some([2021, 2025]));
    let years: Vec<i32> = d.timeline.iter().map(|y| y.year).collect();
    assert_eq!(years, [2021, 2022, 2023, 2025]);
    let labels = |year: i32| -> Vec<String> {
        d.timeline
            .iter()
            .find(|y| y.year == year)
            .unwrap()
            .items
            .iter()
            .map(|i| i.label.clone())
            .collect()
    };
    assert_eq!(labels(2022), ["方案成文（2022年12月21日）"]);
    assert!(labels(2023).contains(&"中期自查评估".to_string()));
    let y2025 = labels(2025);
    assert_eq!(y2025[0], "全面总结评估");
    assert!(y2025.contains(&"到2025年，公民具备科学素质的比例达到14%".to_string()));
    assert!(y2025.contains(&"到2025年，命名科技教育示范学校达到25所".to_string()));
    // Evaluation steps link to the 组织实施 page they come from.
    let eval = d
        .timeline
        .iter()
        .flat_map(|y| &y.items)
        .find(|i| i.label == "中期自查评估")
        .unwrap();
    assert_eq!(eval.url, "/implementation/03/");
    // Units: most tasks first; 市科学技术协会 leads 3 + 3 + 6 tasks.
    assert_eq!(d.units[0].name, "市科学技术协会");
    assert_eq!(d.units[0].count, 12);
    assert_eq!(d.unit_max, 12);
}

#[test]
fn page_and_svg_show_every_figure_of_the_front_matter() {
    let site = load(&fixture());
    let settings = OverviewSettings::default();
    let d = data(&site, &settings);
    let html = page(&d);
    let image = svg(&d, &settings);
    // Each SVG link: (href, its text with wrapped lines joined).
    let doc = roxmltree::Document::parse(&image.svg).unwrap();
    let svg_links: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            let text = a
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            (a.attribute("href").unwrap().to_string(), text)
        })
        .collect();
    let timeline_figures: Vec<&overview::data::Figure> = d
        .timeline
        .iter()
        .flat_map(|y| &y.items)
        .filter_map(|i| i.figure.as_ref())
        .collect();
    let mut checked = 0;
    for f in d.figures() {
        // The figure equals its front matter.
        let source = site.pages.iter().find(|p| p.url == f.url).unwrap();
        let target = source.targets.iter().find(|t| t.id == f.id).unwrap();
        assert_eq!(f.value, overview::format_value(target.value));
        assert_eq!(f.unit, target.unit.clone().unwrap_or_default());
        let href = format!("{BASE}{}", f.url);
        if timeline_figures.iter().any(|t| std::ptr::eq(*t, f)) {
            // Timeline: the sentence, linked to the task, on the page and in the image.
            assert!(
                html.contains(&format!("<a href=\"{}\">{}</a>", f.url, f.text)),
                "page lacks {}",
                f.text
            );
            assert!(
                svg_links
                    .iter()
                    .any(|(h, t)| *h == href && t.ends_with(&f.text)),
                "svg lacks {}",
                f.text
            );
        } else {
            // Blocks: the value and unit as text inside one link to the task.
            let shown = format!(
                "data-target=\"{}\"><span class=\"ov-value\">{}</span><span class=\"ov-unit\">{}</span>",
                f.id, f.value, f.unit
            );
            let at = html
                .find(&shown)
                .unwrap_or_else(|| panic!("page lacks {shown}"));
            let link = html[..at].rfind("<a class=\"ov-fig\" href=\"").unwrap();
            assert!(html[link..].starts_with(&format!("<a class=\"ov-fig\" href=\"{}\"", f.url)));
            let label = f
                .label
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>();
            assert!(
                svg_links.iter().any(|(h, t)| *h == href
                    && t.contains(&format!("{}{}", f.value, f.unit))
                    && t.contains(&label)),
                "svg lacks {} {}{} linked to {href}",
                f.label,
                f.value,
                f.unit
            );
        }
        checked += 1;
    }
    // 1 headline + 5 dated targets in the timeline + 14 key figures of the 9 sections.
    assert_eq!(checked, 20);
    // One h1, no inline styles or scripts, lang from the base.
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(!html.contains("style="));
    // Scripts only as files from the base (the site's CSP is `default-src 'self'`).
    assert!(html.matches("<script").count() == html.matches("<script src=").count());
    assert!(html.contains("href=\"/overview.svg\""));
    assert!(html.contains("href=\"/overview.png\""));
    assert!(html.contains("鄂府发〔2022〕158号"));
    assert!(image.svg.contains("鄂府发〔2022〕158号"));
}

#[test]
fn changing_a_target_changes_page_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let task = dir.path().join("content/actions/youth/02.md");
    let settings = OverviewSettings::default();
    let before = data(&load(dir.path()), &settings);
    let (html_before, svg_before) = (page(&before), svg(&before, &settings).svg);
    assert!(
        html_before.contains("<span class=\"ov-value\">25</span><span class=\"ov-unit\">所</span>")
    );
    assert!(!html_before.contains(">37</span>"));

    let text = std::fs::read_to_string(&task).unwrap();
    std::fs::write(&task, text.replace("    value: 25\n", "    value: 37\n")).unwrap();
    let after = data(&load(dir.path()), &settings);
    let (html_after, svg_after) = (page(&after), svg(&after, &settings).svg);
    assert!(
        html_after.contains("<span class=\"ov-value\">37</span><span class=\"ov-unit\">所</span>")
    );
    assert!(!html_after.contains("<span class=\"ov-value\">25</span>"));
    assert!(svg_after.contains(">37</tspan>"));
    assert!(!svg_after.contains(">25</tspan>"));
    assert!(svg_before.contains(">25</tspan>"));
    assert!(svg_after.contains("命名科技教育示范学校达到37所"));
}

#[test]
fn svg_is_well_formed_self_contained_and_750_wide() {
    let site = load(&fixture());
    let settings = OverviewSettings::default();
    let d = data(&site, &settings);
    let image = svg(&d, &settings);
    let doc = roxmltree::Document::parse(&image.svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("750"));
    assert_eq!(
        root.attribute("height"),
        Some(image.height.to_string().as_str())
    );
    assert!(image.height > 3000.0, "{}", image.height);
    assert!(
        root.attribute("font-family")
            .unwrap()
            .starts_with("'Noto Sans CJK SC'")
    );
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            ![
                "image",
                "use",
                "script",
                "style",
                "foreignObject",
                "feImage"
            ]
            .contains(&name),
            "<{name}> refers outside the file or runs code"
        );
        for attr in node.attributes() {
            if attr.name() == "href" {
                assert_eq!(name, "a", "href on <{name}>");
                assert!(attr.value().starts_with(BASE), "{}", attr.value());
            }
            assert!(!attr.value().contains("url(http"), "{}", attr.value());
        }
    }
    // Every block is there, in order, and the QR code closes the image.
    let bands: Vec<&str> = image.bands.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(
        bands,
        [
            "title",
            "basis",
            "headline",
            "principles",
            "actions",
            "projects",
            "timeline",
            "units",
            "source"
        ]
    );
    assert!(image.svg.contains("shape-rendering=\"crispEdges\""));
    assert!(image.svg.contains(&format!("{BASE}/overview/")));
    // Text is escaped: a label with markup stays text.
    let mut site = site;
    site.pages[0].targets[0].label = "<b>比例 & \"率\"</b>".into();
    let d = data(&site, &settings);
    let image = svg(&d, &settings);
    roxmltree::Document::parse(&image.svg).expect("still well-formed");
    assert!(
        image
            .svg
            .contains("&lt;b&gt;比例 &amp; &quot;率&quot;&lt;/b&gt;")
    );
    assert!(
        page(&d).contains("&lt;b&gt;比例 &amp; &quot;率&quot;&lt;&#x2F;b&gt;")
            || page(&d).contains("&lt;b&gt;比例 &amp;")
    );
}

#[test]
fn svg_text_stays_inside_the_image() {
    // Every text line's estimated extent lies within 0..750 (wrapping and fitting work).
    let site = load(&fixture());
    let settings = OverviewSettings::default();
    let image = svg(&data(&site, &settings), &settings);
    let doc = roxmltree::Document::parse(&image.svg).unwrap();
    for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let x: f64 = text.attribute("x").unwrap().parse().unwrap();
        let size: f64 = text
            .attribute("font-size")
            .or_else(|| {
                text.first_element_child()
                    .and_then(|c| c.attribute("font-size"))
            })
            .unwrap()
            .parse()
            .unwrap();
        let content: String = text
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        let w = overview::measure::width(&content, size);
        let (left, right) = match text.attribute("text-anchor") {
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            Some("end") => (x - w, x),
            _ => (x, x + w),
        };
        assert!(
            left >= 0.0 && right <= 750.0 + 0.5,
            "{content:?} spans {left}..{right}"
        );
    }
}

#[test]
fn width_estimates_hold_against_noto_sans_cjk() {
    // The SVG wraps text by estimated widths; with the font CI installs, every line the
    // fixture draws is at least as wide in the estimate as in the font, so nothing overflows.
    let fonts = cjk_fonts();
    let site = load(&fixture());
    let settings = OverviewSettings::default();
    let image = svg(&data(&site, &settings), &settings);
    let doc = roxmltree::Document::parse(&image.svg).unwrap();
    let mut worst = (f64::MAX, String::new());
    for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let bold = text.attribute("font-weight") == Some("bold");
        let content: String = text
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        let actual: f64 = content
            .chars()
            .map(|c| fonts.advance_em(c, bold).unwrap_or(1.0))
            .sum();
        let estimate = overview::measure::width(&content, 1.0);
        let ratio = estimate / actual.max(1e-9);
        if ratio < worst.0 {
            worst = (ratio, content.clone());
        }
        assert!(
            estimate >= actual * 0.99,
            "{content:?}: estimated {estimate:.2} em, drawn {actual:.2} em"
        );
    }
    eprintln!(
        "tightest estimate: {:.3} × the font, for {:?}",
        worst.0, worst.1
    );
}

fn cjk_fonts() -> Fonts {
    let fonts = Fonts::system();
    assert!(
        fonts.cjk_family().is_some(),
        "these tests need a CJK font: apt-get install fonts-noto-cjk"
    );
    fonts
}

#[test]
fn png_decodes_is_1500_wide_has_ink_in_every_band_and_is_deterministic() {
    let site = load(&fixture());
    let settings = OverviewSettings::default();
    let fonts = cjk_fonts();
    let mut d = data(&site, &settings);
    let image = svg(&d, &settings);
    let started = Instant::now();
    let files = overview::render_files(&mut d, &settings, &Icons::builtin(), BASE, &fonts, None);
    let elapsed = started.elapsed();
    assert!(files.warnings.is_empty(), "{:?}", files.warnings);
    let bytes = files.png.expect("png");
    eprintln!(
        "overview.png: {} bytes, {}×{} px svg, rendered in {elapsed:?}",
        bytes.len(),
        750,
        image.height
    );
    assert_eq!(d.links.png.as_deref(), Some("/overview.png"));

    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.width, 1500);
    assert_eq!(info.height, (image.height * 2.0).round() as u32);
    let rgb = to_rgb(
        &buf,
        &reader.info().palette,
        info.color_type,
        info.width,
        info.height,
    );
    for (id, top, bottom) in &image.bands {
        let (y0, y1) = (
            (top * 2.0) as usize,
            ((bottom * 2.0) as usize).min(info.height as usize),
        );
        let band = &rgb[y0 * 1500..y1 * 1500];
        let mut counts: BTreeMap<[u8; 3], usize> = BTreeMap::new();
        for px in band {
            *counts.entry(*px).or_default() += 1;
        }
        let background = counts
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(c, _)| *c)
            .unwrap();
        let ink = band
            .iter()
            .filter(|px| distance(**px, background) > 96)
            .count();
        assert!(
            ink * 200 > band.len(),
            "band {id} has too little ink: {ink} of {} px",
            band.len()
        );
    }

    // Drawn band by band in parallel, the pixels are those of the whole SVG drawn at once
    // and put in the same palette, but for a few anti-aliased edge pixels (tiny-skia's fixed
    // point is coarser at the large coordinates of the whole image).
    let palette: Vec<[u8; 3]> = reader
        .info()
        .palette
        .as_ref()
        .unwrap()
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut nearest: BTreeMap<[u8; 3], [u8; 3]> = BTreeMap::new();
    let whole = overview::png::draw_whole(&image.svg, &fonts).expect("drawn");
    assert_eq!(whole.len(), rgb.len());
    let mut differing = 0;
    for (drawn, whole) in rgb.iter().zip(&whole) {
        let expected = *nearest.entry(*whole).or_insert_with(|| {
            let squared = |p: &[u8; 3]| -> u32 {
                p.iter()
                    .zip(whole)
                    .map(|(a, b)| u32::from(a.abs_diff(*b)).pow(2))
                    .sum()
            };
            *palette.iter().min_by_key(|p| squared(p)).unwrap()
        });
        if *drawn != expected {
            differing += 1;
        }
    }
    eprintln!("{differing} edge pixels differ from the whole SVG drawn at once");
    assert!(differing * 10_000 < rgb.len(), "{differing} pixels differ");

    // Same SVG and fonts → same bytes.
    let mut d2 = data(&site, &settings);
    let again = overview::render_files(&mut d2, &settings, &Icons::builtin(), BASE, &fonts, None);
    assert_eq!(again.png.as_deref(), Some(bytes.as_slice()));
    assert_eq!(again.svg, files.svg);

    // The previous build's PNG is reused when the SVG is unchanged, redrawn when it changed.
    let started = Instant::now();
    let cached = overview::render_files(
        &mut d2,
        &settings,
        &Icons::builtin(),
        BASE,
        &fonts,
        Some(&bytes),
    );
    eprintln!(
        "unchanged svg, previous png reused: {:?}",
        started.elapsed()
    );
    assert_eq!(cached.png.as_deref(), Some(bytes.as_slice()));
    let other_base = overview::render_files(
        &mut d2,
        &settings,
        &Icons::builtin(),
        "https://other.example.org",
        &fonts,
        Some(&bytes),
    );
    assert_ne!(other_base.png.as_deref(), Some(bytes.as_slice()));
    assert!(overview::png::reusable(
        other_base.png.as_deref().unwrap(),
        &overview::png::cache_key(&other_base.svg, &fonts)
    ));
}

#[test]
fn without_a_cjk_font_the_png_is_skipped_with_one_warning() {
    // As with SITE_FONT_DIRS=<an empty folder>.
    let empty = tempfile::tempdir().unwrap();
    let fonts = Fonts::from_setting(Some(empty.path().as_os_str()));
    assert_eq!(fonts.faces(), 0);
    assert_eq!(fonts.cjk_family(), None);
    let site = load(&fixture());
    let settings = OverviewSettings::default();
    let mut d = data(&site, &settings);
    let files = overview::render_files(&mut d, &settings, &Icons::builtin(), BASE, &fonts, None);
    assert!(files.png.is_none());
    assert_eq!(files.warnings.len(), 1);
    assert!(
        files.warnings[0].contains("fonts-noto-cjk"),
        "{}",
        files.warnings[0]
    );
    // The SVG and the page are still complete; the page no longer links the PNG.
    assert!(files.svg.contains("鄂府发〔2022〕158号"));
    assert_eq!(d.links.png, None);
    let html = page(&d);
    assert!(!html.contains("/overview.png"));
    assert!(html.contains("/overview.svg"));
}

#[test]
fn settings_change_order_titles_and_colours() {
    let site = load(&fixture());
    let settings: OverviewSettings = serde_yaml::from_str(
        "blocks: [headline, actions, units]\n\
         titles: {actions: 人群行动}\n\
         colours: {actions: '#0b4f71'}",
    )
    .unwrap();
    settings.validate().unwrap();
    let d = data(&site, &settings);
    let ids: Vec<&str> = d.blocks.iter().map(|b| b.id).collect();
    assert_eq!(ids, ["headline", "actions", "units"]);
    let html = page(&d);
    assert!(html.contains(">人群行动</h2>"));
    assert!(!html.contains("id=\"ov-principles\""));
    let image = svg(&d, &settings);
    assert!(image.svg.contains("fill=\"#0b4f71\""));
    assert!(image.svg.contains("人群行动"));
    assert!(
        settings
            .css()
            .contains(".ov-b-actions{--ov-colour:#0b4f71}")
    );
}

#[test]
fn an_empty_or_partial_site_still_gives_a_page_and_an_image() {
    let empty = Site {
        pages: Vec::new(),
        units: BTreeMap::new(),
        document: DocumentMeta::default(),
    };
    let settings = OverviewSettings::default();
    let d = data(&empty, &settings);
    assert!(d.blocks.is_empty());
    let html = page(&d);
    assert_eq!(html.matches("<h1").count(), 1);
    let image = svg(&d, &settings);
    roxmltree::Document::parse(&image.svg).unwrap();
    assert_eq!(image.bands.len(), 2, "header and source line only");

    // A section naming its lead unit twice, a headline without `key`, a unit without a slug.
    let mut site = load(&fixture());
    let youth = site
        .pages
        .iter_mut()
        .find(|p| p.url == "/actions/youth/")
        .unwrap();
    youth.lead_units = vec![
        "市教育体育局".into(),
        "市教育体育局".into(),
        "某未登记单位".into(),
    ];
    site.pages[0].targets[0].key = false;
    let d = data(&site, &settings);
    assert_eq!(target_ids(&d.headline), ["literacy-rate"]);
    let youth = d
        .actions
        .iter()
        .find(|s| s.url == "/actions/youth/")
        .unwrap();
    let names: Vec<&str> = youth.lead_units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["市教育体育局", "某未登记单位"]);
    assert_eq!(youth.lead_units[1].url, None);
    let html = page(&d);
    assert!(
        html.contains("某未登记单位</p>") || html.contains("某未登记单位\n"),
        "no count for 0"
    );
    assert!(!html.contains("（0项）"));
}

fn to_rgb(
    buf: &[u8],
    palette: &Option<std::borrow::Cow<'_, [u8]>>,
    color: png::ColorType,
    width: u32,
    height: u32,
) -> Vec<[u8; 3]> {
    let n = (width * height) as usize;
    match color {
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .take(n)
            .map(|p| [p[0], p[1], p[2]])
            .collect(),
        png::ColorType::Rgba => buf
            .chunks_exact(4)
            .take(n)
            .map(|p| [p[0], p[1], p[2]])
            .collect(),
        png::ColorType::Indexed => {
            let pal = palette.as_ref().unwrap();
            buf[..n]
                .iter()
                .map(|i| {
                    let i = *i as usize * 3;
                    [pal[i], pal[i + 1], pal[i + 2]]
                })
                .collect()
        }
        other => panic!("unexpected colour type {other:?}"),
    }
}

fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter().zip(b).map(|(x, y)| u32::from(x.abs_diff(y))).sum()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Timings of the overview's steps on the fixture; run in release:
/// `cargo test --release --test overview -- --ignored --nocapture timings`.
#[test]
#[ignore]
fn timings() {
    let started = Instant::now();
    let fonts = cjk_fonts();
    eprintln!(
        "load system fonts ({} faces): {:?}",
        fonts.faces(),
        started.elapsed()
    );
    let site = load(&fixture());
    let settings = OverviewSettings::default();
    let started = Instant::now();
    let d = data(&site, &settings);
    let image = svg(&d, &settings);
    eprintln!(
        "data + svg ({} bytes): {:?}",
        image.svg.len(),
        started.elapsed()
    );
    for _ in 0..3 {
        let started = Instant::now();
        let cpu = thread_cpu_ms();
        let png = overview::render_png(&image, &fonts);
        let size = match png {
            overview::Png::Written(b) => b.len(),
            overview::Png::Skipped(why) => panic!("{why}"),
        };
        eprintln!(
            "png ({size} bytes): {:?} wall, {} ms cpu",
            started.elapsed(),
            thread_cpu_ms() - cpu
        );
    }
    let previous = match overview::render_png(&image, &fonts) {
        overview::Png::Written(b) => b,
        overview::Png::Skipped(why) => panic!("{why}"),
    };
    let started = Instant::now();
    let mut d2 = data(&site, &settings);
    let files = overview::render_files(
        &mut d2,
        &settings,
        &Icons::builtin(),
        BASE,
        &fonts,
        Some(&previous),
    );
    assert_eq!(files.png.as_deref(), Some(previous.as_slice()));
    eprintln!(
        "data + svg + reuse of the previous png: {:?}",
        started.elapsed()
    );
    let out = std::env::temp_dir().join("overview-fixture");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("overview.svg"), &image.svg).unwrap();
    if let overview::Png::Written(bytes) = overview::render_png(&image, &fonts) {
        std::fs::write(out.join("overview.png"), &bytes).unwrap();
        if std::env::var_os("OVERVIEW_SLICES").is_some() {
            write_slices(&bytes, &out);
        }
    }
    std::fs::write(out.join("overview.html"), page(&d)).unwrap();
    eprintln!("written to {}", out.display());
}

/// CPU time of this thread in ms (Linux; 10 ms resolution), to time on a busy machine.
fn thread_cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) * 10
}

/// Half-size slices of the PNG, 1600 px tall, for looking at the layout.
fn write_slices(bytes: &[u8], out: &Path) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let rgb = to_rgb(
        &buf,
        &reader.info().palette,
        info.color_type,
        info.width,
        info.height,
    );
    let (w, h) = (info.width as usize / 2, info.height as usize / 2);
    for (part, y0) in (0..h).step_by(1600).enumerate() {
        let rows = (h - y0).min(1600);
        let mut data = Vec::with_capacity(w * rows * 3);
        for y in y0..y0 + rows {
            for x in 0..w {
                let mut sum = [0u32; 3];
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let px = rgb[(2 * y + dy) * info.width as usize + 2 * x + dx];
                    for (s, c) in sum.iter_mut().zip(px) {
                        *s += u32::from(c);
                    }
                }
                data.extend(sum.map(|s| (s / 4) as u8));
            }
        }
        let file = std::fs::File::create(out.join(format!("slice-{part}.png"))).unwrap();
        let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w as u32, rows as u32);
        enc.set_color(png::ColorType::Rgb);
        enc.write_header().unwrap().write_image_data(&data).unwrap();
    }
}
