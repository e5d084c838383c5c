//! `site build` on the fixture site: every published path, Chinese Markdown, heading ids,
//! internal links, drafts, sub-path deployment, feeds, determinism.

mod common;

use common::{Site, run, tree};

#[test]
fn builds_every_published_path() {
    let site = Site::fixture("basic");
    // Editors' swap and backup files are never read.
    site.write("content/.about.md.swp", [0xFFu8, 0xFE, 0x00]);
    site.write("content/about.md~", "not front matter");
    site.write("content/.DS_Store", [0u8; 8]);
    let r = site.build_ok(&[]);
    let line = r.stdout.trim();
    assert!(
        // 7 content pages and 404.html; /units/, 2 unit pages, 5 audience pages,
        // /responsibilities/, /targets/, /overview/ and the search page.
        line.starts_with("built 20 pages in ") && line.ends_with(" ms"),
        "{line}"
    );
    let t = site.tree("public");
    for path in [
        "index.html",
        "about/index.html",
        "actions/index.html",
        "actions/youth/index.html",
        "actions/youth/01-basic/index.html",
        "actions/youth/02-extra/index.html",
        "projects/index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "css/site.css",
        "css/highlight.css",
        "files/说明.txt",
        "units/index.html",
        "responsibilities/index.html",
        "overview/index.html",
        "overview.svg",
        "css/overview-colours.css",
        "targets/index.html",
        "audiences/youth/index.html",
        "data/targets.csv",
        "js/filter.js",
    ] {
        assert!(
            t.contains_key(path),
            "missing {path}; have {:?}",
            t.keys().collect::<Vec<_>>()
        );
    }
    // Nothing stray: no temporary folders beside the output, no units.yaml published.
    assert!(!t.contains_key("units.yaml"));
    let beside: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn every_page_has_lang_and_one_h1() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    for (path, bytes) in site.tree("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
            "{path}"
        );
        assert_eq!(
            html.matches("<h1").count(),
            1,
            "{path} has not exactly one h1"
        );
        for tag in html.split("<script").skip(1) {
            let tag = tag.split('>').next().unwrap();
            assert!(tag.contains(" src="), "{path} has an inline script");
        }
        assert!(!html.contains("style="), "{path} has inline style");
        assert!(!html.contains("<style"), "{path} has a style element");
    }
}

#[test]
fn chinese_markdown_renders_right() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.read("public/actions/youth/01-basic/index.html");
    // A soft break between two CJK characters vanishes.
    assert!(html.contains("全面提升公民科学素质水平。"), "{html}");
    // Emphasis next to full-width punctuation.
    assert!(
        html.contains("<strong>注意：</strong>正文从这里开始。"),
        "{html}"
    );
    assert!(html.contains("这是<strong>“重点”</strong>内容。"), "{html}");
    // Tables, task lists, footnotes, strikethrough.
    assert!(html.contains("<table>"));
    let extra = site.read("public/actions/youth/02-extra/index.html");
    assert!(extra.contains("type=\"checkbox\""));
    assert!(extra.contains("<del>删除线</del>"));
    assert!(extra.contains("footnote"));
}

#[test]
fn headings_get_stable_unique_ids_anchors_and_toc() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.read("public/actions/youth/01-basic/index.html");
    assert!(
        html.contains("<h2 id=\"一-总体要求\">一、总体要求 <a class=\"anchor\""),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"一-总体要求-1\">"));
    assert!(html.contains("<h3 id=\"数据格式\">"));
    // Table of contents with nested entries.
    assert!(html.contains("<nav class=\"toc\" aria-label=\"本页目录\">"));
    assert!(html.contains("<a href=\"#一-总体要求-1\">一、总体要求</a>"));
    assert!(html.contains("<a href=\"#数据格式\">数据格式</a>"));
}

#[test]
fn code_is_highlighted_with_classes() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.read("public/actions/youth/01-basic/index.html");
    assert!(
        html.contains("<pre class=\"code\"><code class=\"language-yaml\"><span class=\"hl-"),
        "{html}"
    );
    let css = site.read("public/css/highlight.css");
    assert!(css.contains(".hl-"));
}

#[test]
fn internal_links_become_urls() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.read("public/actions/youth/01-basic/index.html");
    assert!(html.contains("<a href=\"/actions/youth/02-extra/#%E4%BA%8C-%E5%AE%9E%E6%96%BD%E6%AD%A5%E9%AA%A4\">下一项任务</a>")
        || html.contains("<a href=\"/actions/youth/02-extra/#二-实施步骤\">下一项任务</a>"), "{html}");
    let extra = site.read("public/actions/youth/02-extra/index.html");
    assert!(extra.contains("<a href=\"/actions/youth/01-basic/\">上一项任务</a>"));
    assert!(extra.contains("<a href=\"/actions/youth/\">本行动</a>"));
    // Anchors are checked against the target's headings and targets.
    site.write(
        "content/about.md",
        "---\ntitle: 关于\n---\n[指标](@/actions/youth/01-basic.md#target-demo-schools)\n[格式](@/actions/youth/01-basic.md#数据格式)\n",
    );
    site.build_ok(&[]);
    assert!(
        site.read("public/about/index.html")
            .contains("href=\"/actions/youth/01-basic/#target-demo-schools\"")
    );
}

#[test]
fn relative_links_to_markdown_files_become_urls() {
    // As editors copy them from a file browser: relative to the page's own folder.
    let site = Site::fixture("basic");
    site.write(
        "content/actions/youth/03-links.md",
        "---\ntitle: 链接\n---\n[上一项](02-extra.md)、[本行动](./_index.md)、[关于](../../about.md#x)\n\n## 其他\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: 关于\n---\n## X {#x}\n[回到](actions/youth/03-links.md#其他)\n",
    );
    site.build_ok(&[]);
    let html = site.read("public/actions/youth/03-links/index.html");
    assert!(
        html.contains("<a href=\"/actions/youth/02-extra/\">上一项</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/actions/youth/\">本行动</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/about/#x\">关于</a>"), "{html}");
    // A missing file or anchor is an error, as with @/ links.
    site.write(
        "content/about.md",
        "---\ntitle: 关于\n---\n[回到](actions/youth/03-links.md#没有)\n",
    );
    let r = site.run(&["build"]);
    common::assert_failed(&r, &["content/about.md:4:", "#没有"]);
}

#[test]
fn relative_links_to_files_beside_the_page_work_on_its_url() {
    // The page is published one folder below its file (/actions/youth/03-map/), so the
    // link is made from the file's folder, where the image is published.
    let site = Site::fixture("basic");
    site.write(
        "content/actions/youth/img/地图.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>",
    );
    site.write(
        "content/actions/youth/03-map.md",
        "---\ntitle: 地图\n---\n![地图](img/地图.svg)\n\n[下载](img/%E5%9C%B0%E5%9B%BE.svg)、[报告](files/r.pdf)\n",
    );
    site.build_ok(&["--base-url", "https://kxxh.example.gov.cn/kepu/"]);
    let html = site.read("public/actions/youth/03-map/index.html");
    let url = "/kepu/actions/youth/img/%E5%9C%B0%E5%9B%BE.svg";
    assert!(
        html.contains(&format!("<img src=\"{url}\" alt=\"地图\"")),
        "{html}"
    );
    assert!(
        html.contains(&format!("<a href=\"{url}\">下载</a>")),
        "{html}"
    );
    assert!(site.path("public/actions/youth/img/地图.svg").is_file());
    // A file that is not under content/ (one of static/, say) is left as written.
    assert!(html.contains("<a href=\"files/r.pdf\">报告</a>"), "{html}");
}

#[test]
fn task_pages_show_units_and_targets() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.read("public/actions/youth/01-basic/index.html");
    assert!(html.contains("<dt>牵头单位</dt>"));
    assert!(
        html.contains("<a class=\"lead-unit\" href=\"/units/shijiaoyutiyuju/\">市教育体育局</a>")
    );
    assert!(html.contains("<a href=\"/units/shikexuejishuxiehui/\">市科学技术协会</a>"));
    assert!(html.contains("命名科技教育示范学校"));
    assert!(html.contains("不少于<strong>25</strong>所"));
    assert!(html.contains("最新18所（截至2023-12-31，来源：市教育体育局年报），完成72%"));
    assert!(html.contains("<p class=\"status\">滞后</p>"));
    // Breadcrumb: home › 提升行动 › 青少年科学素质提升行动 › page.
    let crumbs = html.split("<nav class=\"breadcrumb\"").nth(1).unwrap();
    let crumbs = crumbs.split("</nav>").next().unwrap();
    assert!(crumbs.contains("<a href=\"/\">首页</a>"));
    assert!(crumbs.contains("<a href=\"/actions/\">提升行动</a>"));
    assert!(crumbs.contains("<a href=\"/actions/youth/\">青少年科学素质提升行动</a>"));
    // Footer from site.yaml.
    assert!(html.contains("主办单位：示例市科学技术协会"));
    assert!(html.contains("示ICP备12345678号"));
    // Section lists its tasks in order.
    let section = site.read("public/actions/youth/index.html");
    let a = section.find("提升基础教育阶段科学教育水平").unwrap();
    let b = section.find("开展课后科普活动").unwrap();
    assert!(a < b);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.path("public/actions/youth/03-draft").exists());
    assert!(!site.read("public/sitemap.xml").contains("03-draft"));
    assert!(
        !site
            .read("public/actions/youth/index.html")
            .contains("尚未发布的任务")
    );
    site.build_ok(&["--drafts"]);
    assert!(
        site.read("public/actions/youth/03-draft/index.html")
            .contains("草稿内容")
    );
}

#[test]
fn sub_path_deployment_keeps_every_link_under_the_base() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://kxxh.example.gov.cn/kepu/"]);
    let t = site.tree("public");
    for (path, bytes) in &t {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url = part.split('"').next().unwrap();
                // In-page anchors, mail and the ICP filing link (on MIIT's site) leave the base.
                if url.starts_with('#')
                    || url.starts_with("mailto:")
                    || url == "https://beian.miit.gov.cn/"
                {
                    continue;
                }
                assert!(
                    url.starts_with("/kepu/")
                        || url.starts_with("https://kxxh.example.gov.cn/kepu/"),
                    "{path}: {attr}{url}"
                );
            }
        }
    }
    let page = site.read("public/actions/youth/01-basic/index.html");
    assert!(page.contains("href=\"/kepu/css/site.css\""));
    assert!(
        page.contains("href=\"/kepu/targets/\""),
        "root-relative Markdown links get the base path"
    );
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://kxxh.example.gov.cn/kepu/actions/youth/01-basic/\">"
    ));
    let sitemap = site.read("public/sitemap.xml");
    for loc in sitemap.split("<loc>").skip(1) {
        assert!(
            loc.starts_with("https://kxxh.example.gov.cn/kepu/"),
            "{loc}"
        );
    }
    let atom = site.read("public/atom.xml");
    assert!(atom.contains("<link href=\"https://kxxh.example.gov.cn/kepu/atom.xml\" rel=\"self\""));
    assert!(atom.contains("https://kxxh.example.gov.cn/kepu/actions/youth/02-extra/"));
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://kxxh.example.gov.cn/kepu/sitemap.xml")
    );
    let not_found = site.read("public/404.html");
    assert!(not_found.contains("href=\"/kepu/\""));
}

#[test]
fn feeds_sitemap_robots_404() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset"));
    // 7 content pages, 10 policy pages and /overview/ (see builds_every_published_path).
    assert_eq!(sitemap.matches("<url>").count(), 18, "{sitemap}");
    assert!(sitemap.contains("<loc>https://kepu.example.gov.cn/actions/youth/01-basic/</loc><lastmod>2023-01-07</lastmod>"));
    let atom = site.read("public/atom.xml");
    // Dated pages, newest first; no build timestamp.
    let first = atom.find("02-extra").unwrap();
    let second = atom.find("01-basic").unwrap();
    assert!(first < second);
    assert!(atom.contains("<updated>2023-02-01T00:00:00+08:00</updated>"));
    assert!(atom.contains("<title>开展课后科普活动</title>"));
    let robots = site.read("public/robots.txt");
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\nSitemap: https://kepu.example.gov.cn/sitemap.xml\n"
    );
    let nf = site.read("public/404.html");
    assert!(nf.contains("<h1>页面未找到</h1>"));
    assert!(nf.contains("<title>页面未找到 - 示例市全民科学素质行动规划</title>"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::fixture("basic");
    let a = site.tmp.path().join("a");
    let b = site.tmp.path().join("b");
    site.build_ok(&["--out", a.to_str().unwrap()]);
    site.build_ok(&["--out", b.to_str().unwrap()]);
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(!ta.is_empty());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between builds");
    }
    // And a rebuild over an existing output gives the same tree.
    site.build_ok(&["--out", a.to_str().unwrap()]);
    assert!(tree(&a) == tb);
}

/// Rebuilds rewrite the output before last (`.public.site-prev`) instead of an empty
/// folder, and a failed build leaves what it wrote there: whatever happened before, the
/// output is the clean build's, file for file and byte for byte.
#[test]
fn rebuilds_over_the_kept_output_equal_a_clean_build() {
    let site = Site::fixture("basic");
    let page = "content/actions/youth/01-basic.md";
    let original = site.read(page);
    // Three builds: the third rewrites the first one's folder.
    for _ in 0..3 {
        site.build_ok(&[]);
    }
    assert!(site.path(".public.site-prev/index.html").is_file());
    // Edits: a page's text, a page added, a page removed (its folder must go too).
    site.write(page, original.replace("\n---\n", "\n---\n新的一段。\n\n"));
    site.write("content/about2.md", "---\ntitle: 新页面\n---\n正文。\n");
    site.build_ok(&[]);
    std::fs::remove_file(site.path("content/about2.md")).unwrap();
    // A failed build (an unknown unit is found after the pages are rendered).
    site.write(
        "content/about3.md",
        "---\ntitle: 坏页面\nlead_units: [不存在的单位]\n---\n正文。\n",
    );
    let failed = site.run(&["build"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    std::fs::remove_file(site.path("content/about3.md")).unwrap();
    site.build_ok(&[]);
    site.build_ok(&[]);
    let clean = site.tmp.path().join("clean");
    site.build_ok(&["--out", clean.to_str().unwrap()]);
    let (built, want) = (site.tree("public"), tree(&clean));
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (k, v) in &want {
        assert!(v == &built[k], "{k} differs from a clean build");
    }
    assert!(!site.path("public/about2").exists());
    assert!(
        site.read("public/actions/youth/01-basic/index.html")
            .contains("新的一段。")
    );
}

#[test]
fn bom_crlf_and_cjk_file_names_build() {
    let site = Site::fixture("basic");
    site.write("content/行动 说明.md", b"\xEF\xBB\xBF---\r\ntitle: CRLF \xE9\xA1\xB5\r\n---\r\n\xE7\xA7\x91\xE5\xAD\xA6\r\n\xE7\xB4\xA0\xE8\xB4\xA8\r\n");
    site.build_ok(&[]);
    let html = site.read("public/行动 说明/index.html");
    assert!(html.contains("<p>科学素质</p>"), "{html}");
    assert!(
        site.read("public/index.html")
            .contains("href=\"/%E8%A1%8C%E5%8A%A8%20%E8%AF%B4%E6%98%8E/\"")
    );
}

#[test]
fn site_templates_override_the_theme() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>覆盖：{{ page.title }}</h1>{% endblock content %}",
    );
    site.build_ok(&[]);
    assert!(
        site.read("public/about/index.html")
            .contains("<h1>覆盖：关于本站</h1>")
    );
    // Kind-specific templates win over page.html.
    site.write(
        "templates/task.html",
        "{% extends \"base.html\" %}{% block content %}<h1>任务：{{ page.title }}</h1>{% endblock content %}",
    );
    site.build_ok(&[]);
    assert!(
        site.read("public/actions/youth/01-basic/index.html")
            .contains("<h1>任务：提升基础教育阶段科学教育水平</h1>")
    );
}

#[test]
fn quiet_prints_nothing_and_verbose_prints_stages() {
    let site = Site::fixture("basic");
    let r = site.build_ok(&["-q"]);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "");
    let r = site.build_ok(&["-v"]);
    assert!(r.stderr.contains("render"), "{}", r.stderr);
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = Site::fixture("basic");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("no errors"));
    assert!(!site.path("public").exists());
    site.write(
        "content/about.md",
        "---\ntitle: 关于\n---\n[坏](@/nope.md)\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("content/about.md:4:1: broken internal link"),
        "{}",
        r.stderr
    );
    assert!(!site.path("public").exists());
}

#[test]
fn init_makes_a_buildable_site() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("新站点");
    let r = run(&["init", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // No theme folder: the built-in default theme is used.
    assert!(!dir.join("themes").exists());
    let r = run(&["build", "--root", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(dir.join("public/actions/01-science-education/index.html"))
        .unwrap();
    assert!(html.contains("<strong>注意：</strong>每所学校"));
    assert!(dir.join("public/css/site.css").exists());
    // init refuses a folder that is not empty.
    let r = run(&["init", dir.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not empty"));
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    let help = run(&["--help"]);
    assert_eq!(help.code, 0);
    // Exactly the working commands are listed.
    let listed: Vec<&str> = help
        .stdout
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("Options:").next())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        listed,
        ["build", "check", "init", "import", "new", "serve", "help"],
        "{}",
        help.stdout
    );
}
