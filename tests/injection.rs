//! Injection: what editors type (front matter, file names, site.yaml, raw HTML) must reach
//! every output context — HTML text, attributes, scripts, the Atom feed, the sitemap, JSON
//! files — as data, never as markup or script.

mod common;

use common::Site;

/// The usual payloads, in one title.
const PAYLOAD: &str = "\"><svg onload=alert(1)></title></script><script>alert(2)</script>]]>&'";

/// Every built file as text (binary files skipped).
fn texts(site: &Site) -> Vec<(String, String)> {
    site.tree("public")
        .into_iter()
        .filter(|(p, _)| !p.ends_with(".gz") && !p.ends_with(".br"))
        .filter_map(|(p, b)| String::from_utf8(b).ok().map(|t| (p, t)))
        .collect()
}

fn assert_inert(site: &Site) {
    for (path, text) in texts(site) {
        for bad in ["<svg onload", "<script>alert", "onload=alert(1)>"] {
            assert!(!text.contains(bad), "{bad} in {path}:\n{text}");
        }
        if path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"));
        }
        if path.ends_with(".xml") {
            assert_xml_escaped(&path, &text);
        }
    }
}

/// Every `&` starts an entity, and no text holds a raw `<` (the payload's `<` would be one).
fn assert_xml_escaped(path: &str, xml: &str) {
    for (i, _) in xml.match_indices('&') {
        let rest = &xml[i + 1..];
        let ok = ["amp;", "lt;", "gt;", "quot;", "apos;", "#"]
            .iter()
            .any(|e| rest.starts_with(e));
        assert!(
            ok,
            "bare & in {path} at {i}: {}",
            &xml[i..(i + 20).min(xml.len())]
        );
    }
    assert!(!xml.contains("]]>"), "]]> in {path}");
}

#[test]
fn front_matter_values_are_escaped_everywhere() {
    let site = Site::fixture("basic");
    site.write(
        "content/about.md",
        format!(
            "---\ntitle: '{}'\nsummary: '{}'\nnumber: '{}'\naudience: ['{}']\ndate: 2023-06-01\n---\n正文\n",
            PAYLOAD.replace('\'', "''"),
            PAYLOAD.replace('\'', "''"),
            PAYLOAD.replace('\'', "''"),
            PAYLOAD.replace('\'', "''"),
        ),
    );
    site.build_ok(&[]);
    assert_inert(&site);
    let html = site.read("public/about/index.html");
    assert!(
        html.contains("&quot;&gt;&lt;svg onload=alert(1)&gt;"),
        "{html}"
    );
    // In an attribute (<meta name="description" content="...">) the quote is escaped too.
    assert!(html.contains("content=\"&quot;&gt;&lt;svg"), "{html}");
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("]]&gt;&amp;"), "{feed}");
}

#[test]
fn site_yaml_values_are_escaped_everywhere() {
    let site = Site::fixture("basic");
    let yaml = site
        .read("site.yaml")
        .replace(
            "title: 示例市全民科学素质行动规划",
            &format!("title: '{}'", PAYLOAD.replace('\'', "''")),
        )
        .replace(
            "email: kx@example.gov.cn",
            "email: 'x\" onmouseover=\"alert(1)'",
        );
    site.write("site.yaml", yaml);
    site.build_ok(&[]);
    assert_inert(&site);
    let home = site.read("public/index.html");
    assert!(!home.contains("\" onmouseover=\""), "{home}");
}

#[test]
fn file_names_are_escaped_in_links_sitemap_and_feed() {
    let site = Site::fixture("basic");
    let name = "a\"b<c>&d'e";
    site.write(
        &format!("content/{name}.md"),
        "---\ntitle: 文件名\ndate: 2023-06-02\n---\n正文\n",
    );
    site.build_ok(&[]);
    assert_inert(&site);
    assert!(site.path(&format!("public/{name}/index.html")).is_file());
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("/a%22b%3Cc%3E%26d%27e/</loc>"),
        "{sitemap}"
    );
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"/a%22b%3Cc%3E%26d%27e/\""), "{home}");
}

#[test]
fn raw_html_is_sanitized_unless_allowed() {
    let body = "第一段<script>alert(1)</script>。\n\n<img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(1)\">点我</a>，面积 m<sup>2</sup>。\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<p style=\"color:red\" onclick=\"alert(1)\" class=\"note\">注</p>\n";
    let site = Site::fixture("basic");
    site.write("content/about.md", format!("---\ntitle: 关于\n---\n{body}"));
    site.build_ok(&[]);
    let html = site.read("public/about/index.html");
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "onclick",
        "style=",
    ] {
        assert!(!main.contains(bad), "{bad} in:\n{main}");
    }
    assert!(main.contains("m<sup>2</sup>"), "{main}");
    assert!(main.contains("<a>点我</a>"), "{main}");
    assert!(main.contains("<p class=\"note\">注</p>"), "{main}");

    // With `markdown.unsafe_html: true` the editor's HTML is published as written.
    let yaml = site.read("site.yaml") + "markdown:\n  unsafe_html: true\n";
    site.write("site.yaml", yaml);
    site.build_ok(&[]);
    let html = site.read("public/about/index.html");
    assert!(html.contains("<script>alert(1)</script>"));
    assert!(html.contains("onerror=alert(1)"));
}

#[test]
fn the_sanitizer_leaves_the_real_plan_alone() {
    // The seed plan has no raw HTML: its pages never pass through the sanitizer, and each
    // page's HTML is what the Markdown pipeline made.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let resolve = |t: &str| Ok(format!("/{t}"));
            let render = |unsafe_html| {
                site::markdown::render(
                    &text,
                    &site::markdown::Options {
                        resolve_link: &resolve,
                        page_dir: "",
                        base_path: "/",
                        highlight: true,
                        unsafe_html,
                    },
                )
                .html
            };
            assert_eq!(render(false), render(true), "{}", entry.path().display());
        }
    }
}
