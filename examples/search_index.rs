//! Measurement harness for the search index until the pipeline feeds it real pages.
//!
//! ```text
//! cargo run --release --example search_index -- seed seeds/000_3d1b4c4ae8fc006b.txt OUT
//! cargo run --release --example search_index -- corpus /tmp/c10k/site/content OUT
//! ```
//! `seed` splits the plan into one page per numbered task (quick and dirty: good enough
//! to measure, not the importer); `corpus` reads a `gen_corpus.py` content tree. Both write
//! the index under `OUT/search/`, a page list `OUT/pages.json`, one minimal HTML page per
//! document (for Pagefind), the theme's search page at `OUT/search/index.html` and its
//! `search.js`, then print build time and sizes.

use site::load::front_matter::FrontMatter;
use site::search::{Document, SearchConfig, build_index};
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: search_index seed|corpus INPUT OUT");
        std::process::exit(2);
    }
    let docs = match args[1].as_str() {
        "seed" => seed_docs(&std::fs::read_to_string(&args[2]).expect("read seed")),
        "corpus" => corpus_docs(Path::new(&args[2])),
        _ => {
            eprintln!("first argument: seed or corpus");
            std::process::exit(2);
        }
    };
    let cfg = SearchConfig::default();
    let mut best = f64::MAX;
    let mut files = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        files = build_index(&docs, &cfg);
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    let out = Path::new(&args[3]);
    let _ = std::fs::remove_dir_all(out.join("search"));
    let mut total = 0;
    let mut by_dir = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for (path, bytes) in &files {
        let p = out.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write");
        total += bytes.len();
        let dir = path.rsplit_once('/').map(|x| x.0).unwrap_or("").to_string();
        let e = by_dir.entry(dir).or_default();
        e.0 += 1;
        e.1 += bytes.len();
    }
    let pages: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| serde_json::json!({"url": d.url, "title": d.title, "kind": d.kind}))
        .collect();
    std::fs::write(
        out.join("pages.json"),
        serde_json::to_vec_pretty(&pages).expect("json"),
    )
    .expect("write pages");
    for d in &docs {
        let dir = out.join(d.url.trim_start_matches('/'));
        std::fs::create_dir_all(&dir).expect("mkdir page");
        std::fs::write(dir.join("index.html"), page_html(d)).expect("write page");
    }
    std::fs::write(out.join("search/index.html"), search_page(&docs)).expect("write page");
    std::fs::create_dir_all(out.join("js")).expect("mkdir js");
    std::fs::copy(
        "themes/default/static/js/search.js",
        out.join("js/search.js"),
    )
    .ok();
    println!(
        "{} documents, build_index best of 5: {best:.1} ms",
        docs.len()
    );
    println!("{} files, {} bytes", files.len(), total);
    for (dir, (n, b)) in by_dir {
        println!("  {dir}: {n} files, {b} bytes");
    }
}

/// The theme's search page, rendered with a stand-in `base.html` (the real one is the
/// core pipeline's).
fn search_page(docs: &[Document]) -> String {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(vec![
        (
            "base.html",
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{% block title %}{% endblock %}</title></head><body><main>{% block content %}{% endblock %}</main></body></html>",
        ),
        (
            "search.html",
            &std::fs::read_to_string("themes/default/templates/search.html").expect("template"),
        ),
    ])
    .expect("templates");
    let mut ctx = tera::Context::new();
    ctx.insert("base_url", "/");
    let pages: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| serde_json::json!({"url": d.url, "title": d.title, "breadcrumb": d.breadcrumb}))
        .collect();
    ctx.insert("site_pages", &pages);
    tera.render("search.html", &ctx).expect("render")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal HTML page of a document, so that Pagefind can index the same content.
fn page_html(d: &Document) -> String {
    let mut h = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><nav>{}</nav><main><h1>{}</h1>",
        esc(&d.title),
        esc(&d.breadcrumb.join(" › ")),
        esc(&d.title)
    );
    for p in d.body.lines().filter(|l| !l.trim().is_empty()) {
        let p = p.trim();
        if d.headings.iter().any(|x| x == p) {
            h += &format!("<h2>{}</h2>", esc(p));
        } else {
            h += &format!("<p>{}</p>", esc(p));
        }
    }
    for (label, list) in [
        ("人群", &d.audience),
        ("牵头单位", &d.lead_units),
        ("责任单位", &d.units),
        ("目标", &d.targets),
    ] {
        if !list.is_empty() {
            h += &format!("<p>{label}：{}</p>", esc(&list.join("、")));
        }
    }
    h + "</main></body></html>"
}

/// The seed plan, one document per numbered task, section, principle and chapter.
fn seed_docs(text: &str) -> Vec<Document> {
    let mut docs: Vec<Document> = Vec::new();
    let (mut chapter, mut chapter_n) = (String::new(), 0);
    let mut section: Option<usize> = None;
    let mut section_n = 0;
    let mut started = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("一、总体要求") {
            started = true;
        }
        if !started || line.starts_with("附件") {
            if line.starts_with("附件") {
                break;
            }
            continue;
        }
        let cn = ["一、", "二、", "三、", "四、", "五、"];
        if let Some(i) = cn.iter().position(|p| line.starts_with(p)) {
            chapter = line[cn[i].len()..].trim().to_string();
            chapter_n = i + 1;
            section = None;
            docs.push(Document {
                url: format!("/c{chapter_n}/"),
                title: chapter.clone(),
                kind: if chapter_n == 1 { "overview" } else { "page" }.into(),
                ..Default::default()
            });
            continue;
        }
        if line.starts_with('(') || line.starts_with('（') {
            let close = line.find(')').or_else(|| line.find('）')).unwrap_or(0);
            let rest = line[close..].trim_start_matches([')', '）']).trim();
            section_n += 1;
            let (title, body) = split_title(rest);
            let kind = match chapter_n {
                2 => "principle",
                3 => "action",
                4 => "project",
                _ => "page",
            };
            docs.push(Document {
                url: format!("/c{chapter_n}/s{section_n}/"),
                title: title.clone(),
                kind: kind.into(),
                breadcrumb: vec![chapter.clone()],
                body: body.clone(),
                audience: if chapter_n == 3 {
                    vec![audience_of(&title)]
                } else {
                    vec![]
                },
                ..Default::default()
            });
            section = Some(docs.len() - 1);
            continue;
        }
        let num_end = line.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        if num_end > 0 && line[num_end..].starts_with('.') {
            let rest = &line[num_end + 1..];
            let (title, body) = split_title(rest);
            let (body, lead, units) = split_units(&body);
            let parent = section.map(|s| docs[s].clone()).unwrap_or_default();
            let mut crumb = vec![chapter.clone()];
            if section.is_some() {
                crumb.push(parent.title.clone());
            }
            let targets = numbers(&body);
            docs.push(Document {
                url: format!(
                    "{}t{}/",
                    if section.is_some() {
                        parent.url.clone()
                    } else {
                        format!("/c{chapter_n}/")
                    },
                    &line[..num_end]
                ),
                title,
                kind: "task".into(),
                breadcrumb: crumb,
                body,
                lead_units: lead,
                units,
                audience: parent.audience.clone(),
                targets,
                ..Default::default()
            });
            continue;
        }
        // a paragraph of running text: belongs to the current section or chapter page
        let target = section.unwrap_or(docs.len() - 1);
        let d = &mut docs[target];
        if !d.body.is_empty() {
            d.body.push('\n');
        }
        d.body.push_str(line);
    }
    docs
}

fn split_title(s: &str) -> (String, String) {
    match s.find('。') {
        Some(i) => (
            s[..i].to_string(),
            s[i + '。'.len_utf8()..].trim().to_string(),
        ),
        None => (s.to_string(), String::new()),
    }
}

fn split_units(body: &str) -> (String, Vec<String>, Vec<String>) {
    let Some(i) = body.rfind("(牵头单位").or_else(|| body.rfind("(责任单位")) else {
        return (body.to_string(), vec![], vec![]);
    };
    let tail = body[i + 1..].trim_end_matches([')', ' ']);
    let mut lead = vec![];
    let mut units = vec![];
    for part in tail.split(['，', ',']) {
        let part = part.trim();
        let list = |p: &str| -> Vec<String> {
            p.split(['、', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        if let Some(p) = part.strip_prefix("牵头单位:") {
            lead = list(p);
        } else if let Some(p) = part.strip_prefix("责任单位:") {
            units = list(p);
        }
    }
    (body[..i].to_string(), lead, units)
}

fn audience_of(title: &str) -> String {
    title.trim_end_matches("科学素质提升行动").to_string()
}

/// Sentences that carry a number, as target stand-ins.
fn numbers(body: &str) -> Vec<String> {
    body.split(['。', ','])
        .filter(|s| {
            s.chars().any(|c| c.is_ascii_digit())
                && (s.contains("不少于") || s.contains("以上") || s.contains('%'))
        })
        .map(|s| s.trim().to_string())
        .collect()
}

/// A gen_corpus.py content tree.
fn corpus_docs(root: &Path) -> Vec<Document> {
    let mut files: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    let mut section_titles = std::collections::HashMap::new();
    let mut docs = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let rest = text.strip_prefix("---\n").expect("front matter");
        let end = rest.find("\n---\n").expect("front matter end");
        let fm: FrontMatter = serde_yaml::from_str(&rest[..end]).expect("yaml");
        let md = &rest[end + 5..];
        let rel = f.strip_prefix(root).expect("rel").with_extension("");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let url = match rel.strip_suffix("_index") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{rel}/"),
        };
        let url = url.replace("//", "/");
        if rel.ends_with("_index") {
            section_titles.insert(url.clone(), fm.title.clone());
        }
        let mut headings = vec![];
        let mut body = String::new();
        for line in md.lines() {
            let t = line.trim_start_matches('#').trim();
            if line.starts_with('#') {
                headings.push(t.to_string());
            }
            body.push_str(&t.replace(['|', '*', '`'], " "));
            body.push('\n');
        }
        let targets = fm
            .targets
            .iter()
            .map(|t| {
                format!(
                    "{} {}{}",
                    t.label,
                    t.value,
                    t.unit.clone().unwrap_or_default()
                )
            })
            .collect();
        docs.push(Document {
            url,
            title: fm.title,
            kind: fm.kind.as_str().to_string(),
            breadcrumb: vec![],
            headings,
            body,
            units: fm.units,
            lead_units: fm.lead_units,
            audience: fm.audience,
            targets,
        });
    }
    for d in &mut docs {
        let parent = d
            .url
            .trim_end_matches('/')
            .rsplit_once('/')
            .map(|x| format!("{}/", x.0));
        if let Some(t) = parent.and_then(|p| section_titles.get(&p))
            && d.url != "/"
        {
            d.breadcrumb = vec![t.clone()];
        }
    }
    docs
}
