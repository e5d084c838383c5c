//! `site new` through the binary: the file it writes, and its exit codes.

use std::fs;
use std::process::Command;

fn site(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_site"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn writes_a_task_page_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let section = dir.path().join("content/actions/youth");
    fs::create_dir_all(&section).unwrap();
    fs::write(
        section.join("_index.md"),
        "---\ntitle: 青少年科学素质提升行动\nkind: action\n---\n",
    )
    .unwrap();
    fs::write(
        section.join("01-a.md"),
        "---\ntitle: 一\nkind: task\norder: 1\n---\n",
    )
    .unwrap();

    let out = site(
        dir.path(),
        &[
            "new",
            "actions/youth/02-basic",
            "--title",
            "提升基础教育阶段科学教育水平",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "created content/actions/youth/02-basic.md\n"
    );
    assert_eq!(
        fs::read_to_string(section.join("02-basic.md")).unwrap(),
        "---\ntitle: 提升基础教育阶段科学教育水平\nkind: task\norder: 2\n---\n"
    );

    // Again: refused, exit 1, the file untouched.
    fs::write(section.join("02-basic.md"), "edited by hand").unwrap();
    let out = site(
        dir.path(),
        &["new", "actions/youth/02-basic.md", "--title", "x"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/actions/youth/02-basic.md already exists"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(section.join("02-basic.md")).unwrap(),
        "edited by hand"
    );

    // -q prints nothing on success.
    let out = site(
        dir.path(),
        &["-q", "new", "actions/youth/03-c", "--title", "三"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("content")).unwrap();
    for args in [
        &["new", "a"][..],
        &["new", "../a", "--title", "x"],
        &["new", "a", "--title", "x", "--date", "2023-13-01"],
        &["new", "a", "--title", "x", "--kind", "tsk"],
    ] {
        let out = site(dir.path(), args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        fs::read_dir(dir.path().join("content"))
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn a_new_page_builds_and_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let init = Command::new(env!("CARGO_BIN_EXE_site"))
        .arg("init")
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    // A task in the skeleton's action (content/actions/), and a new action with a task.
    let task = "actions/99-new".to_string();
    for (path, title) in [
        (task.as_str(), "新增的任务"),
        ("actions/workers/_index", "产业工人科学素质提升行动"),
        ("actions/workers/01-skills", "提升技能"),
    ] {
        let out = site(&root, &["new", path, "--title", title]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = fs::read_to_string(root.join(format!("content/{task}.md"))).unwrap();
    assert!(text.contains("kind: task"), "{text}");
    let section = fs::read_to_string(root.join("content/actions/workers/_index.md")).unwrap();
    assert!(section.contains("kind: action"), "{section}");

    let out = site(&root, &["build", "-q"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = fs::read_to_string(root.join(format!("public/{task}/index.html"))).unwrap();
    assert!(page.contains("新增的任务"));
    let listing = fs::read_to_string(root.join("public/actions/index.html")).unwrap();
    assert!(
        listing.contains("新增的任务"),
        "the section lists the new task"
    );
    let workers = fs::read_to_string(root.join("public/actions/workers/index.html")).unwrap();
    assert!(workers.contains("提升技能"));
}
