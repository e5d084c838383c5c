//! Search wired into `site build`: the `/search/` page (no-JavaScript page list, external
//! script with the base path), the index under `search/` built from the rendered pages,
//! `search:` in `site.yaml`, and byte-identical index files from build to build.

mod common;

use common::Site;

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

#[test]
fn search_page_and_index_are_published_under_the_base_path() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://example.org/kepu/"]);
    let html = site.read("public/search/index.html");
    assert!(html.contains("<h1>搜索</h1>"), "{html}");
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains(r#"action="/kepu/search/" method="get""#));
    assert!(html.contains(r#"name="q""#));
    assert!(
        html.contains(r#"<script src="/kepu/js/search.js" data-base="/kepu/" defer></script>"#),
        "{html}"
    );
    // Without JavaScript: every page, linked, with its section.
    assert!(
        html.contains(
            r#"<a href="/kepu/actions/youth/01-basic/">提升基础教育阶段科学教育水平</a>"#
        )
    );
    assert!(html.contains("提升行动 › 青少年科学素质提升行动"), "{html}");
    assert!(!html.contains("style="), "no inline style");
    assert!(!html.contains("<script>"), "no inline script");

    let t = site.tree("public");
    assert!(t.contains_key("js/search.js"));
    let m = json(&t["search/manifest.json"]);
    // Every content page (7), unit page (2) and the overview page is a search document; the
    // search page and the audience pages (which repeat their action's task list) are not.
    let documents = 7 + 2 + 1;
    assert_eq!(m["n"], documents, "{m}");
    assert_eq!(m["synonyms"]["老人"][0], "老年人");
    let metas: Vec<serde_json::Value> = t
        .iter()
        .filter(|(p, _)| p.starts_with("search/m/") && p.ends_with(".json"))
        .flat_map(|(_, b)| json(b).as_array().cloned().unwrap_or_default())
        .collect();
    assert_eq!(metas.len(), documents);
    let task = metas
        .iter()
        .find(|m| m["t"] == "提升基础教育阶段科学教育水平")
        .expect("the task is indexed");
    assert_eq!(
        task["u"], "/kepu/actions/youth/01-basic/",
        "links keep the base path"
    );
    assert_eq!(task["k"], "task");
    assert_eq!(task["l"][0], "市教育体育局");
    assert_eq!(task["a"][0], "青少年");
    assert!(
        !metas
            .iter()
            .any(|m| m["u"].as_str().unwrap().ends_with("/search/")),
        "the search page is not a result"
    );
    // The body text is the excerpt source; postings exist for its words and the target.
    let text: String = t
        .iter()
        .filter(|(p, _)| p.starts_with("search/x/") && p.ends_with(".json"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!text.contains('<'), "excerpt source is plain text");
    let shards: Vec<u8> = t
        .iter()
        .filter(|(p, _)| p.starts_with("search/s/") && !p.ends_with(".gz") && !p.ends_with(".br"))
        .flat_map(|(_, b)| b.clone())
        .collect();
    for token in ["科技", "25所", "'jiaoyu"] {
        assert!(
            shards.windows(token.len()).any(|w| w == token.as_bytes()),
            "token {token} missing from the shards"
        );
    }
}

#[test]
fn index_bytes_are_identical_across_builds_and_thread_counts() {
    let site = Site::fixture("basic");
    let out = |dir: &str, threads: &str| {
        let root = site.root.to_str().unwrap().to_string();
        let out = site.path(dir);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_site"))
            .args(["build", "-q", "--root", &root, "--out"])
            .arg(&out)
            .env("RAYON_NUM_THREADS", threads)
            .status()
            .expect("run site");
        assert!(status.success());
        common::tree(&out)
            .into_iter()
            .filter(|(p, _)| p.starts_with("search/"))
            .collect::<Vec<_>>()
    };
    let a = out("out-a", "1");
    let b = out("out-b", "3");
    assert!(a.len() > 5, "{} index files", a.len());
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{path} differs between builds");
    }
}

#[test]
fn search_section_of_site_yaml_adds_synonyms_and_rejects_unknown_keys() {
    let site = Site::fixture("basic");
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{yaml}search:\n  synonyms:\n    示例: [样板市]\n"),
    );
    site.build_ok(&[]);
    let m = json(&std::fs::read(site.path("public/search/manifest.json")).unwrap());
    assert_eq!(m["synonyms"]["示例"][0], "样板市");
    assert_eq!(m["synonyms"]["农民"][0], "农牧民", "defaults stay");

    site.write("site.yaml", format!("{yaml}search:\n  synonym: {{}}\n"));
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("site.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("synonym"), "{}", r.stderr);
}
