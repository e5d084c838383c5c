//! The authoring commands through the binary, on a copy of the fixture site:
//! `site build --watch` (plain and atomic-rename saves, a burst of saves, a broken edit and
//! its fix, deletes, a new folder, the output equal to a clean build, Ctrl-C) and
//! `site serve` (pages, content types, the 404 page, traversal refused, live reload after an
//! edit, the error event of a broken edit, a port in use, Ctrl-C).
//!
//! Timing: every wait polls with a generous deadline (the tests run on loaded two-core
//! machines); no fixed sleep is an assertion.

mod common;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::http::{Events, get};
use common::{Site, tree};

/// Long enough for a debug build of the fixture on a busy machine.
const DEADLINE: Duration = Duration::from_secs(120);

/// Polls `cond` until it holds or the deadline passes.
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + DEADLINE;
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running `site` process whose output lines are collected as they come.
struct Running {
    child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_site"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start site");
        let collect = |stream: Box<dyn std::io::Read + Send>| {
            let lines = Arc::new(Mutex::new(Vec::new()));
            let sink = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    sink.lock().unwrap().push(line);
                }
            });
            lines
        };
        let stdout = collect(Box::new(child.stdout.take().unwrap()));
        let stderr = collect(Box::new(child.stderr.take().unwrap()));
        Running {
            child,
            stdout,
            stderr,
        }
    }

    fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Number of finished builds (`built ...` lines).
    fn builds(&self) -> usize {
        self.stdout()
            .iter()
            .filter(|l| l.starts_with("built "))
            .count()
    }

    /// Runs `change`, then waits for the build it causes to finish and for `done` to hold.
    fn after(&self, what: &str, change: impl FnOnce(), mut done: impl FnMut() -> bool) {
        let before = self.builds();
        change();
        wait_until(what, || self.builds() > before && done());
    }

    /// Sends Ctrl-C (SIGINT) and waits for the process to end.
    fn interrupt(&mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < end, "Ctrl-C did not stop site");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn contains(path: &Path, text: &str) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.contains(text))
}

/// Temporary files or folders of the atomic writers under `dir` or beside it.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for base in [dir, dir.parent().unwrap()] {
        for entry in walkdir::WalkDir::new(base).into_iter().flatten() {
            let name = entry.file_name().to_string_lossy();
            if name.contains(".site-tmp-") || name.contains(".site-old-") {
                found.push(entry.path().display().to_string());
            }
        }
    }
    found
}

const TASK: &str = "content/actions/youth/01-basic.md";

fn task(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nkind: task\norder: 1\n---\n{body}\n")
}

#[test]
fn build_watch_follows_every_kind_of_save() {
    let site = Site::fixture("basic");
    let root = site.root.to_str().unwrap().to_string();
    let out = site.path("public");
    let page = out.join("actions/youth/01-basic/index.html");
    let about = out.join("about/index.html");
    let mut run = Running::start(&["build", "--watch", "--root", &root]);
    wait_until("the first build", || run.builds() == 1);
    assert!(contains(&about, "关于本站"));

    // A plain write.
    run.after(
        "a plain save",
        || {
            site.write(
                "content/about.md",
                "---\ntitle: 关于本站\n---\n第一次修改。\n",
            )
        },
        || contains(&about, "第一次修改"),
    );

    // An atomic save: write a temporary file beside the page, rename it over the page
    // (vim, VS Code, JetBrains). The temporary file never shows in the output.
    run.after(
        "an atomic-rename save",
        || {
            site.write(
                "content/.about.md.swp",
                "---\ntitle: 关于本站\n---\n第二次修改。\n",
            );
            std::fs::rename(
                site.path("content/.about.md.swp"),
                site.path("content/about.md"),
            )
            .unwrap();
        },
        || contains(&about, "第二次修改"),
    );

    // A burst of saves: far fewer builds than saves, and the last save wins.
    let before = run.builds();
    for i in 0..30 {
        site.write(TASK, task("连续保存", &format!("连续保存第{i}次。")));
        site.write(
            "content/about.md",
            format!("---\ntitle: 关于本站\n---\n第{i}次。\n"),
        );
    }
    wait_until("the burst's last save", || {
        run.builds() > before && contains(&page, "连续保存第29次") && contains(&about, "第29次")
    });
    let burst = run.builds() - before;
    assert!(burst <= 10, "{burst} builds for a burst of 60 saves");

    // A broken edit: the error names the file, the last good site stays; the fix rebuilds.
    site.write(TASK, "---\ntitle: [没有闭合\n---\n坏的。\n");
    wait_until("the error of a broken edit", || {
        let err = run.stderr();
        err.contains(TASK) && err.contains("the last good site is kept")
    });
    assert!(
        contains(&page, "连续保存第29次"),
        "the last good page is kept"
    );
    run.after(
        "the fix",
        || site.write(TASK, task("修好了", "修好了的正文。")),
        || contains(&page, "修好了的正文"),
    );

    // A deleted page goes; a page in a new folder comes.
    run.after(
        "a delete",
        || std::fs::remove_file(site.path("content/about.md")).unwrap(),
        || !about.exists(),
    );
    let notes = out.join("notes/a/index.html");
    run.after(
        "a page in a new folder",
        || {
            site.write(
                "content/notes/a.md",
                "---\ntitle: 说明\n---\n新文件夹里的页面。\n",
            )
        },
        || contains(&notes, "新文件夹里的页面"),
    );

    // The output is what a clean build of the same input writes.
    let clean = site.path("clean");
    let status = Command::new(env!("CARGO_BIN_EXE_site"))
        .args(["build", "-q", "--root", &root, "--out"])
        .arg(&clean)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        tree(&out) == tree(&clean),
        "the watched output differs from a clean build"
    );

    // Ctrl-C ends the watch cleanly: exit code 0, nothing half-written left behind.
    let status = run.interrupt();
    assert!(status.success(), "{status:?}\n{}", run.stderr());
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    assert!(run.stderr().contains("stopping"));
}

/// Starts `site serve` on a free port; returns the process and the address.
fn serve(site: &Site) -> (Running, SocketAddr) {
    let root = site.root.to_str().unwrap().to_string();
    let run = Running::start(&["serve", "--port", "0", "--root", &root]);
    let mut addr = None;
    wait_until("the server's address", || {
        addr = run.stdout().iter().find_map(|l| {
            l.strip_prefix("serving the site at http://")
                .and_then(|rest| rest.split('/').next())
                .and_then(|a| a.parse().ok())
        });
        addr.is_some()
    });
    (run, addr.unwrap())
}

#[test]
fn serve_pages_reload_errors_and_traversal() {
    let site = Site::fixture("basic");
    let (mut run, addr) = serve(&site);
    wait_until("the first build", || run.builds() == 1);

    // Pages and files, with their types; the reload script only in served HTML.
    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("/__site/reload.js"));
    assert!(home.text().contains("示例市全民科学素质行动规划"));
    let task = get(addr, "/actions/youth/01-basic/");
    assert_eq!(task.status, 200);
    assert!(task.text().contains("提升基础教育阶段科学教育水平"));
    let css = get(addr, "/css/site.css");
    assert_eq!(css.status, 200);
    assert!(css.header("Content-Type").unwrap().starts_with("text/css"));
    let sitemap = get(addr, "/sitemap.xml");
    assert!(sitemap.header("Content-Type").unwrap().contains("xml"));
    // Served with the server's address as base URL.
    assert!(
        sitemap.text().contains(&format!("http://{addr}/actions/")),
        "{}",
        sitemap.text()
    );
    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("页面未找到"), "the site's 404 page");

    // Traversal out of the output folder is refused.
    for target in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E%2Fsite.yaml",
        "/%252e%252e/site.yaml",
        "/..%5csite.yaml",
        "/..\\site.yaml",
    ] {
        let reply = get(addr, target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: {}",
            reply.status
        );
        assert!(
            !reply.text().contains("base_url"),
            "{target} leaked site.yaml"
        );
    }

    // An edit: the open page hears `reload` and gets the new text.
    let mut events = Events::open(addr);
    let next_named = |events: &mut Events, name: &str| loop {
        let (n, data) = events.next();
        if n == name {
            return data;
        }
    };
    site.write(
        "content/about.md",
        "---\ntitle: 关于本站\n---\n服务中修改。\n",
    );
    next_named(&mut events, "reload");
    wait_until("the edited page", || {
        get(addr, "/about/").text().contains("服务中修改")
    });

    // A broken edit: the overlay's message is the terminal's; the fix reloads.
    site.write(
        "content/about.md",
        "---\ntitle: 关于本站\nkind: tsak\n---\n坏的。\n",
    );
    let message = next_named(&mut events, "error");
    assert!(message.contains("content/about.md"), "{message}");
    wait_until("the terminal's error", || {
        run.stderr().contains("content/about.md")
    });
    assert!(
        get(addr, "/about/").text().contains("服务中修改"),
        "last good page"
    );
    site.write("content/about.md", "---\ntitle: 关于本站\n---\n修好了。\n");
    next_named(&mut events, "reload");
    wait_until("the fixed page", || {
        get(addr, "/about/").text().contains("修好了")
    });

    // Nothing was written to public/, and Ctrl-C frees the port.
    assert!(!site.path("public").exists());
    let status = run.interrupt();
    assert!(status.success(), "{status:?}\n{}", run.stderr());
    TcpListener::bind(addr).expect("the port is free after Ctrl-C");
}

#[test]
fn serve_on_a_port_in_use_says_so() {
    let site = Site::fixture("basic");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let root = site.root.to_str().unwrap().to_string();
    let mut run = Running::start(&["serve", "--port", &port, "--root", &root]);
    let end = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = run.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < end, "site serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    // The reader threads may still be draining.
    wait_until("the error message", || run.stderr().contains("--port"));
    assert_eq!(status.code(), Some(1));
    let err = run.stderr();
    assert!(err.contains("already in use"), "{err}");
}
