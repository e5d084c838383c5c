//! Incremental rebuilds (`build::Incremental`, used by `site build --watch` and `site serve`):
//! after every edit of a sequence — body and title edits, new pages, renames, deletes,
//! drafts, assets, the unit registry, a broken edit and its fix, config and template
//! changes — the output folder is byte-identical to a clean build of the same input, and a
//! body edit renders only its own page.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use common::{Site, copy_dir, tree};
use site::build::{self, BuildOptions, Incremental, Step};

struct Bench {
    site: Site,
    inc: Incremental,
}

impl Bench {
    fn new(site: Site) -> Bench {
        let opts = BuildOptions {
            out: Some(site.path("public")),
            ..BuildOptions::new(site.root.clone())
        };
        let mut inc = Incremental::new(opts);
        let step = inc.build_all().expect("first build");
        assert!(step.full);
        let b = Bench { site, inc };
        b.assert_same_as_clean("first build");
        b
    }

    /// A clean build of the current input, in its own folder.
    fn clean(&self) -> BTreeMap<String, Vec<u8>> {
        let out = self.site.tmp.path().join("clean");
        let _ = std::fs::remove_dir_all(&out);
        let opts = BuildOptions {
            out: Some(out.clone()),
            ..BuildOptions::new(self.site.root.clone())
        };
        if let Err(e) = build::build(&opts) {
            panic!("clean build failed: {e:?}");
        }
        tree(&out)
    }

    fn output(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.site.path("public"))
    }

    fn assert_same_as_clean(&self, after: &str) {
        let (inc, clean) = (self.output(), self.clean());
        let inc_names: Vec<&String> = inc.keys().collect();
        let clean_names: Vec<&String> = clean.keys().collect();
        assert_eq!(inc_names, clean_names, "files differ after {after}");
        for (name, bytes) in &clean {
            assert!(
                inc[name] == *bytes,
                "{name} differs from a clean build after {after}:\n--- incremental\n{}\n--- clean\n{}",
                String::from_utf8_lossy(&inc[name]),
                String::from_utf8_lossy(bytes)
            );
        }
        // A clean build leaves no empty folders; neither may the incremental one.
        for entry in walkdir::WalkDir::new(self.site.path("public")) {
            let entry = entry.unwrap();
            if entry.file_type().is_dir() {
                assert!(
                    std::fs::read_dir(entry.path()).unwrap().next().is_some(),
                    "empty folder {} after {after}",
                    entry.path().display()
                );
            }
        }
    }

    /// Rebuilds after the files `changed` (relative to content/), as the watcher does, and
    /// compares with a clean build.
    fn rebuild(&mut self, after: &str, changed: &[&str]) -> Step {
        let changed: HashSet<String> = changed.iter().map(|s| s.to_string()).collect();
        let step = self
            .inc
            .rebuild_exact(&changed)
            .unwrap_or_else(|e| panic!("rebuild after {after} failed: {e:?}"));
        self.assert_same_as_clean(after);
        step
    }

    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let text = self.site.read(rel);
        self.site.write(rel, f(text));
    }
}

#[test]
fn any_sequence_of_edits_equals_a_clean_build() {
    let mut b = Bench::new(Site::fixture("basic"));
    let task = "content/actions/youth/01-basic.md";

    // A body edit past the first paragraph: that page alone is rendered (the fast path),
    // and the same through the general path (time stamps, fingerprints).
    b.edit(task, |t| t.replace("重复的标题。", "重复的标题，已修改。"));
    let step = b.rebuild("a body edit", &["actions/youth/01-basic.md"]);
    assert!(!step.full);
    assert_eq!(step.rendered, 1, "{step:?}");
    let stages: Vec<&str> = step.report.timings.iter().map(|t| t.0).collect();
    assert_eq!(
        stages,
        ["load", "render", "write pages", "index", "write"],
        "the fast path writes the page before the index: {step:?}"
    );
    b.edit(task, |t| t.replace("已修改", "又修改"));
    let step = b.inc.rebuild(&HashSet::new()).unwrap();
    assert_eq!(step.rendered, 1, "{step:?}");
    b.assert_same_as_clean("a body edit found by time stamp");
    // A body edit that breaks a link is an error; the output stays.
    let before = b.output();
    b.edit(task, |t| {
        t.replace("@/actions/youth/02-extra.md", "@/actions/youth/02-extar.md")
    });
    let err = b
        .inc
        .rebuild_exact(&HashSet::from(["actions/youth/01-basic.md".to_string()]))
        .unwrap_err();
    assert!(
        err.iter()
            .any(|d| d.message.contains("broken internal link")),
        "{err:?}"
    );
    assert!(b.output() == before);
    b.edit(task, |t| t.replace("02-extar.md", "02-extra.md"));
    let step = b.rebuild("a broken link fixed", &["actions/youth/01-basic.md"]);
    assert!(step.full, "after an error the next build is a full one");

    // A title edit saved together with a broken page: the edited page is written first
    // (rendered against the last graph), then put back when the rebuild fails.
    let before = b.output();
    b.edit(task, |t| {
        t.replace("title: 提升基础教育", "title: 先行提升基础教育")
    });
    b.edit("content/actions/youth/02-extra.md", |t| {
        t.replacen("title:", "title: [", 1)
    });
    let err = b
        .inc
        .rebuild_exact(&HashSet::from([
            "actions/youth/01-basic.md".to_string(),
            "actions/youth/02-extra.md".to_string(),
        ]))
        .unwrap_err();
    assert!(!err.is_empty());
    assert!(b.output() == before, "the output is the last good one");
    b.edit(task, |t| {
        t.replace("title: 先行提升基础教育", "title: 提升基础教育")
    });
    b.edit("content/actions/youth/02-extra.md", |t| {
        t.replacen("title: [", "title:", 1)
    });
    b.rebuild(
        "a broken page fixed",
        &["actions/youth/01-basic.md", "actions/youth/02-extra.md"],
    );

    // The first paragraph is the summary, shown in the section's listing and neighbours.
    b.edit(task, |t| {
        t.replace("推进中小学科学教育改革", "深化中小学科学教育改革")
    });
    let step = b.rebuild("a summary edit", &["actions/youth/01-basic.md"]);
    assert!(step.rendered > 1 && step.rendered < 10, "{step:?}");

    // Title and targets: the page, its section, listings, the home page's targets.
    b.edit(task, |t| {
        t.replace(
            "title: 提升基础教育阶段科学教育水平",
            "title: 提升科学教育水平",
        )
        .replace("value: 25", "value: 30")
    });
    b.rebuild("a title and target edit", &["actions/youth/01-basic.md"]);

    // A new page, then renamed, then deleted.
    b.site.write(
        "content/actions/youth/04-new.md",
        "---\ntitle: 新任务\nkind: task\norder: 4\n---\n新的任务正文。\n",
    );
    b.rebuild("a new page", &["actions/youth/04-new.md"]);
    std::fs::rename(
        b.site.path("content/actions/youth/04-new.md"),
        b.site.path("content/actions/youth/05-renamed.md"),
    )
    .unwrap();
    b.rebuild(
        "a rename",
        &["actions/youth/04-new.md", "actions/youth/05-renamed.md"],
    );
    std::fs::remove_file(b.site.path("content/about.md")).unwrap();
    b.rebuild("a delete", &["about.md"]);

    // A page in a new folder (its folder gone again later leaves no empty folder).
    b.site
        .write("content/notes/a.md", "---\ntitle: 说明\n---\n一段说明。\n");
    b.rebuild("a page in a new folder", &["notes/a.md"]);
    std::fs::remove_dir_all(b.site.path("content/notes")).unwrap();
    b.rebuild("a folder deleted", &["notes"]);

    // Drafts.
    b.edit("content/actions/youth/05-renamed.md", |t| {
        t.replace("order: 4", "order: 4\ndraft: true")
    });
    b.rebuild("a page made a draft", &["actions/youth/05-renamed.md"]);

    // Assets: changed, added, deleted.
    b.site.write("content/files/说明.txt", "新的说明文字\n");
    b.site.write(
        "content/files/图.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    b.rebuild(
        "assets changed and added",
        &["files/说明.txt", "files/图.svg"],
    );
    std::fs::remove_file(b.site.path("content/files/图.svg")).unwrap();
    b.rebuild("an asset deleted", &["files/图.svg"]);

    // The unit registry.
    b.edit("content/units.yaml", |t| {
        t.replacen("name:", "aliases: [某某]\n    name:", 1)
    });
    if b.inc
        .rebuild(&HashSet::from(["units.yaml".to_string()]))
        .is_ok()
    {
        b.assert_same_as_clean("a units.yaml edit");
    }

    // A broken edit keeps the output as it was; the fix rebuilds.
    let before = b.output();
    b.edit(task, |t| t.replace("kind: task", "kind: tsak"));
    let err = b
        .inc
        .rebuild(&HashSet::from(["actions/youth/01-basic.md".to_string()]))
        .unwrap_err();
    assert!(
        err.iter()
            .any(|d| d.file.as_deref() == Some("content/actions/youth/01-basic.md")),
        "{err:?}"
    );
    assert!(b.output() == before, "a failed rebuild changed the output");
    b.edit(task, |t| t.replace("kind: tsak", "kind: task"));
    b.rebuild("the fix of a broken edit", &["actions/youth/01-basic.md"]);

    // A link that stops resolving is an error in the page that links, even though that
    // page did not change; restoring the target fixes it.
    let linked = b.site.read("content/actions/youth/02-extra.md");
    std::fs::remove_file(b.site.path("content/actions/youth/02-extra.md")).unwrap();
    let err = b
        .inc
        .rebuild(&HashSet::from(["actions/youth/02-extra.md".to_string()]))
        .unwrap_err();
    assert!(
        err.iter().any(|d| d.file.as_deref() == Some(task)),
        "the linking page is reported: {err:?}"
    );
    b.site.write("content/actions/youth/02-extra.md", &linked);
    b.rebuild("a link target restored", &["actions/youth/02-extra.md"]);

    // Config and templates: full builds.
    b.edit("site.yaml", |t| {
        t.replace("示例市全民科学素质行动规划（", "示例市规划（")
    });
    let step = b.rebuild("a config edit", &[]);
    assert!(step.full);
    b.edit("themes/default/templates/page.html", |t| {
        format!("{t}\n{{# edited #}}\n")
    });
    let step = b.inc.build_all().unwrap();
    assert!(step.full);
    b.assert_same_as_clean("a template edit");

    // Edits found by time stamp alone (nothing named).
    b.edit(task, |t| t.replace("这是", "这确实是"));
    b.rebuild("an edit found by time stamp", &[]);
}

#[test]
fn the_real_plan_edited() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("content"), &root.join("content"));
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    let site = Site { tmp, root };
    let mut b = Bench::new(site);
    let pages: Vec<String> = walkdir::WalkDir::new(b.site.path("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
        .map(|e| {
            e.path()
                .strip_prefix(b.site.path("content"))
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(pages.len() > 10);
    let one = &pages[pages.len() / 2];
    b.edit(&format!("content/{one}"), |t| {
        format!("{t}\n补充一段文字。\n")
    });
    let step = b.rebuild("an appended paragraph", &[one]);
    assert_eq!(step.rendered, 1, "{step:?}");
    // A section's title shows in the navigation of every page.
    let section = "projects/_index.md";
    b.edit(&format!("content/{section}"), |t| {
        t.replacen("title: ", "title: 新", 1)
    });
    b.rebuild("a top-level section's title", &[section]);
    std::fs::remove_file(b.site.path(&format!("content/{}", pages[0]))).unwrap();
    b.rebuild("a deleted task", &[&pages[0]]);
    // The overview reads the text of 组织实施 (its evaluation steps): a body edit there
    // is not a body-only edit, and the overview follows it.
    let implementation = "implementation/03-qiang-hua-jian-du-ping-gu.md";
    b.edit(&format!("content/{implementation}"), |t| {
        t.replace("组织开展中期自查评估", "组织开展年度自查")
    });
    b.rebuild("an edited evaluation step", &[implementation]);
    let page = b.site.read("public/overview/index.html");
    assert!(
        !page.contains("中期自查评估"),
        "the overview still shows the old step"
    );
    assert!(page.contains("全面总结评估"));
}
