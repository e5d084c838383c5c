//! The development server, spoken to with a plain HTTP client: pages, content types, the
//! 404 page, folders, traversal attempts, the live-reload events, a port in use, and
//! `site serve`'s loop (edit → rebuild → reload event; broken edit → error event).

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

mod common;

use common::http::{Events, TIMEOUT, get, request};
use site::cmd::Outcome;
use site::cmd::serve::{Args as ServeArgs, serve};
use site::serve::{ServeError, ServeOptions, Server};
use site::watch::session::{BuildFailed, Built, Rebuild};

/// An output folder like a built site's, plus a secret file outside it.
fn output() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    fs::create_dir_all(out.join("actions/youth/02-basic")).unwrap();
    fs::create_dir_all(out.join("data")).unwrap();
    fs::create_dir_all(out.join("css")).unwrap();
    let page = |title: &str| {
        format!(
            "<!doctype html><html lang=\"zh-CN\"><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
        )
    };
    fs::write(out.join("index.html"), page("首页")).unwrap();
    fs::write(
        out.join("actions/youth/02-basic/index.html"),
        page("提升基础教育"),
    )
    .unwrap();
    fs::write(out.join("404.html"), page("页面不存在")).unwrap();
    fs::write(out.join("css/site.css"), "body{}").unwrap();
    fs::write(out.join("data/targets.json"), "[]").unwrap();
    fs::write(out.join("data/targets.csv"), "id\n").unwrap();
    fs::write(out.join("sitemap.xml"), "<urlset/>").unwrap();
    fs::write(out.join("logo.png"), [0x89, b'P', b'N', b'G']).unwrap();
    fs::write(dir.path().join("secret.txt"), "SECRET").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
        std::os::unix::fs::symlink(out.join("css/site.css"), out.join("inside.css")).unwrap();
    }
    (dir, out)
}

fn start(out: &Path) -> Server {
    Server::start(&ServeOptions {
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        dir: out.into(),
    })
    .unwrap()
}

#[test]
fn pages_types_folders_and_404() {
    let (_dir, out) = output();
    let server = start(&out);
    let addr = server.addr();

    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("<h1>首页</h1>"));
    assert!(
        home.text()
            .contains(r#"<script src="/__site/reload.js" data-build="0" defer></script></head>"#),
        "the reload script is injected by the server: {}",
        home.text()
    );
    // ... and never written to disk.
    assert!(
        !fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("reload.js")
    );

    let page = get(addr, "/actions/youth/02-basic/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("提升基础教育"));
    let page = get(addr, "/actions/youth/02-basic/index.html?x=1");
    assert_eq!(page.status, 200);

    let redirect = get(addr, "/actions/youth/02-basic?from=feed");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("Location"),
        Some("/actions/youth/02-basic/?from=feed")
    );

    for (path, kind) in [
        ("/css/site.css", "text/css; charset=utf-8"),
        ("/data/targets.json", "application/json; charset=utf-8"),
        ("/data/targets.csv", "text/csv; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/logo.png", "image/png"),
        ("/__site/reload.js", "text/javascript; charset=utf-8"),
        ("/__site/reload.css", "text/css; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(kind), "{path}");
        assert!(
            !reply.text().contains("reload.js\" defer"),
            "only HTML gets the script: {path}"
        );
    }
    assert_eq!(get(addr, "/css/site.css").text(), "body{}");

    let missing = get(addr, "/actions/nothing/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.text().contains("页面不存在"));

    let head = request(addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(addr, "POST", "/").status, 405);
    server.shutdown();
}

#[test]
fn traversal_attempts_are_refused() {
    let (_dir, out) = output();
    let server = start(&out);
    let addr = server.addr();
    for target in [
        "/../secret.txt",
        "/css/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/css/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%2e%2e%5csecret.txt",
        "/index.html%00.png",
        "/leak.txt",
        "/up/secret.txt",
        "//etc/passwd",
        "/%c0%ae%c0%ae/secret.txt",
    ] {
        let reply = get(addr, target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: status {}",
            reply.status
        );
        assert!(!reply.text().contains("SECRET"), "{target} leaked the file");
    }
    // A link that stays inside the output folder is fine.
    #[cfg(unix)]
    assert_eq!(get(addr, "/inside.css").status, 200);
    server.shutdown();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (_dir, out) = output();
    let err = match Server::start(&ServeOptions {
        bind: "127.0.0.1".parse().unwrap(),
        port,
        dir: out,
    }) {
        Err(e) => e,
        Ok(_) => panic!("the port is taken"),
    };
    assert!(matches!(err, ServeError::PortInUse(_)));
    let message = err.to_string();
    assert!(
        message.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{message}"
    );
    assert!(
        message.contains(&format!("site serve --port {}", port + 1)),
        "{message}"
    );
}

/// An open `/__site/events` stream.

#[test]
fn live_reload_events() {
    let (_dir, out) = output();
    let server = start(&out);
    let addr = server.addr();
    let live = server.live_reload();
    let mut first = Events::open(addr);
    assert_eq!(first.next().0, "ok");

    // Pages keep loading while pages listen.
    let mut others: Vec<Events> = (0..6).map(|_| Events::open(addr)).collect();
    assert_eq!(get(addr, "/").status, 200);

    live.built();
    assert_eq!(first.next(), ("reload".into(), "1".into()));
    // Pages are stamped with the build they show, for the script to spot stale pages.
    assert!(get(addr, "/").text().contains(r#"data-build="1""#));
    let message = "error: content/actions/youth/02-basic.md:3:1: unknown key 'titel'\nhint: did you mean 'title'?";
    live.failed(message);
    assert_eq!(first.next(), ("error".into(), message.into()));
    for events in &mut others {
        assert_eq!(events.next().0, "ok");
        assert_eq!(events.next().0, "reload");
        assert_eq!(events.next(), ("error".into(), message.into()));
    }
    // A page opened while the site is broken sees the error at once.
    let mut late = Events::open(addr);
    assert_eq!(late.next(), ("error".into(), message.into()));
    live.built();
    assert_eq!(late.next(), ("reload".into(), "2".into()));
    server.shutdown();
}

/// A stand-in for the build pipeline: writes content/index.md's text as public/index.html;
/// fails when it contains `BROKEN`.
struct PageBuild {
    root: PathBuf,
    out: PathBuf,
}

impl Rebuild for PageBuild {
    fn build_all(&mut self) -> Result<Built, BuildFailed> {
        let text = fs::read_to_string(self.root.join("content/index.md")).unwrap_or_default();
        if text.contains("BROKEN") {
            return Err(BuildFailed {
                message: "error: content/index.md:1:1: broken".into(),
            });
        }
        fs::create_dir_all(&self.out).unwrap();
        let html = format!("<html><head></head><body>{text}</body></html>");
        fs::write(self.out.join("index.html"), html).unwrap();
        Ok(Built {
            summary: "1 page".into(),
            ..Built::default()
        })
    }
}

#[test]
fn serve_rebuilds_and_reloads_after_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("content/index.md"), "第一版").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready) = std::sync::mpsc::channel();
    let args = ServeArgs {
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        out: Some("public".into()),
        drafts: false,
    };
    let thread = {
        let (root, stop) = (root.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut make = |out: &Path, base_url: &str| -> Box<dyn Rebuild> {
                assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
                Box::new(PageBuild {
                    root: root.clone(),
                    out: out.to_path_buf(),
                })
            };
            serve(&root, true, &args, &mut make, &stop, |addr| {
                ready_tx.send(addr).unwrap()
            })
        })
    };
    let addr = ready.recv_timeout(TIMEOUT).unwrap();
    let mut events = Events::open(addr);
    // The first build may finish before or after the page subscribed.
    let deadline = Instant::now() + TIMEOUT;
    while !get(addr, "/").text().contains("第一版") {
        assert!(Instant::now() < deadline, "the first build never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Skips events until the one named; the first build's `reload 1` may come before or
    // after the subscription, so reloads are told apart by the count of good builds.
    let next_named = |events: &mut Events, name: &str, data: &str| loop {
        let (n, d) = events.next();
        if n == name && (data.is_empty() || d == data) {
            return d;
        }
    };

    fs::write(root.join("content/index.md"), "第二版").unwrap();
    next_named(&mut events, "reload", "2");
    assert!(get(addr, "/").text().contains("第二版"));

    fs::write(root.join("content/index.md"), "BROKEN").unwrap();
    assert_eq!(
        next_named(&mut events, "error", ""),
        "error: content/index.md:1:1: broken"
    );
    assert!(
        get(addr, "/").text().contains("第二版"),
        "the last good site is served"
    );

    fs::write(root.join("content/index.md"), "第三版").unwrap();
    next_named(&mut events, "reload", "3");
    assert!(get(addr, "/").text().contains("第三版"));
    assert!(
        !fs::read_to_string(root.join("public/index.html"))
            .unwrap()
            .contains("reload.js")
    );

    stop.store(true, Ordering::Relaxed);
    assert_eq!(thread.join().unwrap(), Outcome::Ok);
    // The port is free again.
    TcpListener::bind(addr).unwrap();
}
