//! The file watcher and the authoring session on a real temporary site: edits, the ways
//! editors save, editor noise, bursts, deletes and renames of files and folders, and a
//! broken edit followed by its fix.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use site::watch::session::{self, BuildFailed, Built, Event, Rebuild};
use site::watch::{Area, ChangeSet, SiteWatcher, State};

/// Long enough for any batch on a loaded machine; tests never wait this long when they pass.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long "nothing happens" is watched for.
const QUIET: Duration = Duration::from_millis(600);

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content/actions/youth")).unwrap();
    fs::create_dir_all(root.join("themes/default/templates")).unwrap();
    fs::write(root.join("site.yaml"), "title: 测试\n").unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: 首页\n---\n").unwrap();
    fs::write(
        root.join("content/actions/youth/_index.md"),
        "---\ntitle: 青少年\n---\n",
    )
    .unwrap();
    fs::write(
        root.join("content/actions/youth/01-a.md"),
        "---\ntitle: 一\n---\n甲\n",
    )
    .unwrap();
    fs::write(
        root.join("themes/default/templates/page.html"),
        "{{ content }}",
    )
    .unwrap();
    dir
}

fn start(root: &Path) -> SiteWatcher {
    SiteWatcher::start(root, Some(&root.join("public"))).unwrap()
}

fn next(w: &mut SiteWatcher) -> ChangeSet {
    w.next_batch_within(PATIENCE)
        .expect("a change was reported")
}

fn assert_quiet(w: &mut SiteWatcher) {
    if let Some(batch) = w.next_batch_within(QUIET) {
        panic!("expected no change, got {batch:?}");
    }
}

/// The next batch and every batch that follows until the watcher is quiet, merged: for
/// tests about what is reported, not about how it is batched.
fn settle(w: &mut SiteWatcher) -> (ChangeSet, usize) {
    let mut merged = next(w);
    let mut count = 1;
    while let Some(more) = w.next_batch_within(QUIET) {
        merged.rescan |= more.rescan;
        merged.changes.extend(more.changes);
        count += 1;
    }
    (merged, count)
}

fn paths(set: &ChangeSet) -> Vec<(String, State)> {
    set.changes
        .iter()
        .map(|(p, c)| (p.to_string_lossy().into_owned(), c.state))
        .collect()
}

#[test]
fn an_edit_is_one_incremental_change() {
    let dir = site();
    let mut w = start(dir.path());
    fs::write(
        dir.path().join("content/actions/youth/01-a.md"),
        "---\ntitle: 一\n---\n乙\n",
    )
    .unwrap();
    let set = next(&mut w);
    assert_eq!(
        paths(&set),
        [("content/actions/youth/01-a.md".to_string(), State::Present)]
    );
    assert!(!set.needs_full_build());
    assert_eq!(set.pages().count(), 1);
    assert_quiet(&mut w);
}

#[test]
fn atomic_rename_saves_are_one_change_of_the_file() {
    let dir = site();
    let root = dir.path();
    let page = root.join("content/actions/youth/01-a.md");
    let mut w = start(root);

    // vim (backupcopy=no, writebackup): probe file 4913, rename to backup, write, delete backup.
    let folder = page.parent().unwrap();
    fs::write(folder.join("4913"), "").unwrap();
    fs::remove_file(folder.join("4913")).unwrap();
    fs::write(folder.join(".01-a.md.swp"), "swap").unwrap();
    fs::rename(&page, folder.join("01-a.md~")).unwrap();
    fs::write(&page, "---\ntitle: 一\n---\nvim\n").unwrap();
    fs::remove_file(folder.join("01-a.md~")).unwrap();
    let (set, _) = settle(&mut w);
    assert_eq!(
        paths(&set),
        [("content/actions/youth/01-a.md".to_string(), State::Present)]
    );
    assert!(!set.needs_full_build());

    // VS Code and most editors' atomic save: write a temporary file, rename it over.
    fs::write(
        folder.join(".01-a.md.tmp.1234"),
        "---\ntitle: 一\n---\ncode\n",
    )
    .unwrap();
    fs::rename(folder.join(".01-a.md.tmp.1234"), &page).unwrap();
    let (set, _) = settle(&mut w);
    assert_eq!(
        paths(&set),
        [("content/actions/youth/01-a.md".to_string(), State::Present)]
    );

    // JetBrains safe write.
    fs::write(
        folder.join("01-a.md___jb_tmp___"),
        "---\ntitle: 一\n---\njb\n",
    )
    .unwrap();
    fs::rename(&page, folder.join("01-a.md___jb_old___")).unwrap();
    fs::rename(folder.join("01-a.md___jb_tmp___"), &page).unwrap();
    fs::remove_file(folder.join("01-a.md___jb_old___")).unwrap();
    let (set, _) = settle(&mut w);
    assert_eq!(
        paths(&set),
        [("content/actions/youth/01-a.md".to_string(), State::Present)]
    );
    assert_quiet(&mut w);
}

#[test]
fn editor_noise_and_other_folders_are_ignored() {
    let dir = site();
    let root = dir.path();
    let mut w = start(root);
    let folder = root.join("content/actions/youth");
    for name in [
        ".01-a.md.swp",
        "01-a.md.swx",
        "01-a.md~",
        "4913",
        ".DS_Store",
        "#01-a.md#",
        ".#01-a.md",
    ] {
        fs::write(folder.join(name), "noise").unwrap();
    }
    fs::create_dir_all(root.join("content/.git/objects")).unwrap();
    fs::write(root.join("content/.git/objects/x"), "git").unwrap();
    // The output folder, an atomic writer's temporary folder beside it, and other folders.
    fs::create_dir_all(root.join("public/actions")).unwrap();
    fs::write(root.join("public/index.html"), "out").unwrap();
    fs::create_dir_all(root.join("public.tmp-1")).unwrap();
    fs::create_dir_all(root.join("target/debug")).unwrap();
    fs::write(root.join("target/debug/x"), "x").unwrap();
    fs::write(root.join("README.md"), "x").unwrap();
    fs::write(root.join(".site.yaml.swp"), "x").unwrap();
    assert_quiet(&mut w);
}

#[test]
fn a_burst_of_saves_is_one_batch() {
    let dir = site();
    let root = dir.path();
    let mut w = start(root);
    let folder = root.join("content/actions/youth");
    for i in 0..50 {
        fs::write(
            folder.join("01-a.md"),
            format!("---\ntitle: 一\n---\n{i}\n"),
        )
        .unwrap();
        fs::write(
            folder.join(format!("{:02}-new.md", i % 10 + 2)),
            format!("{i}"),
        )
        .unwrap();
    }
    // One batch, not one per save. Two only if this machine stalls the writing thread for
    // longer than the watcher's settle time in the middle of the burst.
    let (set, batches) = settle(&mut w);
    assert!(batches <= 2, "{batches} batches for one burst");
    assert_eq!(set.changes.len(), 11, "{set:?}");
    assert!(set.changes.values().all(|c| c.state == State::Present));
}

#[test]
fn deletes_and_renames_of_files_and_folders() {
    let dir = site();
    let root = dir.path();
    let mut w = start(root);

    fs::remove_file(root.join("content/actions/youth/01-a.md")).unwrap();
    let set = next(&mut w);
    assert_eq!(
        paths(&set),
        [("content/actions/youth/01-a.md".to_string(), State::Gone)]
    );
    assert!(!set.needs_full_build());

    fs::write(root.join("content/a.md"), "x").unwrap();
    let _ = next(&mut w);
    fs::rename(root.join("content/a.md"), root.join("content/b.md")).unwrap();
    let set = next(&mut w);
    assert_eq!(
        paths(&set),
        [
            ("content/a.md".to_string(), State::Gone),
            ("content/b.md".to_string(), State::Present)
        ]
    );

    // A folder renamed: a full build.
    fs::rename(
        root.join("content/actions/youth"),
        root.join("content/actions/teens"),
    )
    .unwrap();
    let (set, _) = settle(&mut w);
    assert!(set.needs_full_build(), "{set:?}");
    assert!(
        set.changes.contains_key(Path::new("content/actions/teens")),
        "{set:?}"
    );
    // Files of the renamed folder are still watched.
    fs::write(
        root.join("content/actions/teens/_index.md"),
        "---\ntitle: 少年\n---\n",
    )
    .unwrap();
    let set = next(&mut w);
    assert!(
        set.changes
            .contains_key(Path::new("content/actions/teens/_index.md")),
        "{set:?}"
    );

    // A folder deleted.
    fs::remove_dir_all(root.join("content/actions")).unwrap();
    let (set, _) = settle(&mut w);
    assert!(set.needs_full_build());
    assert_eq!(set.changes[Path::new("content/actions")].state, State::Gone);
}

#[test]
fn the_watched_folder_itself_deleted_and_recreated() {
    let dir = site();
    let root = dir.path();
    let mut w = start(root);
    fs::remove_dir_all(root.join("content")).unwrap();
    let (set, _) = settle(&mut w);
    assert!(set.needs_full_build());
    assert_eq!(set.changes[Path::new("content")].state, State::Gone);

    fs::create_dir(root.join("content")).unwrap();
    let (set, _) = settle(&mut w);
    assert!(
        set.rescan,
        "a recreated folder means a full rescan: {set:?}"
    );
    // The new folder is watched: a page written into it later is reported.
    std::thread::sleep(Duration::from_millis(100));
    fs::write(root.join("content/new.md"), "x").unwrap();
    let set = next(&mut w);
    assert!(
        set.changes.contains_key(Path::new("content/new.md")),
        "{set:?}"
    );

    // Replaced by rename, as `git checkout` or a sync tool may do.
    fs::create_dir(root.join("content.next")).unwrap();
    fs::write(root.join("content.next/x.md"), "x").unwrap();
    fs::rename(root.join("content"), root.join("content.old")).unwrap();
    fs::rename(root.join("content.next"), root.join("content")).unwrap();
    let (set, _) = settle(&mut w);
    assert!(set.needs_full_build(), "{set:?}");
    std::thread::sleep(Duration::from_millis(100));
    fs::write(root.join("content/y.md"), "y").unwrap();
    let set = next(&mut w);
    assert!(
        set.changes.contains_key(Path::new("content/y.md")),
        "{set:?}"
    );
    // The old folder is no longer watched.
    fs::write(root.join("content.old/z.md"), "z").unwrap();
    assert_quiet(&mut w);
}

#[test]
fn config_theme_and_templates_areas() {
    let dir = site();
    let root = dir.path();
    let mut w = start(root);
    fs::write(root.join("site.yaml"), "title: 新\n").unwrap();
    let set = next(&mut w);
    assert_eq!(set.changes[Path::new("site.yaml")].area, Area::Config);
    assert!(set.needs_full_build());

    fs::write(root.join("themes/default/templates/page.html"), "x").unwrap();
    let set = next(&mut w);
    assert_eq!(
        set.changes[Path::new("themes/default/templates/page.html")].area,
        Area::Theme
    );
    assert!(set.needs_full_build());

    // templates/ does not exist at start; created later, it is watched.
    fs::create_dir(root.join("templates")).unwrap();
    let _ = next(&mut w);
    std::thread::sleep(Duration::from_millis(100));
    fs::write(root.join("templates/page.html"), "x").unwrap();
    let set = next(&mut w);
    assert_eq!(
        set.changes[Path::new("templates/page.html")].area,
        Area::Templates
    );

    fs::write(root.join("content/units.yaml"), "units: []\n").unwrap();
    let set = next(&mut w);
    assert!(
        set.needs_full_build(),
        "units.yaml changes every page that names a unit"
    );
}

/// A stand-in for the build pipeline: copies every page of content/ to out/<path>.html,
/// and fails on a page that contains `BROKEN`, naming the file and line like a diagnostic.
struct CopyBuild {
    root: PathBuf,
    out: PathBuf,
    log: Arc<Mutex<Vec<String>>>,
}

impl CopyBuild {
    fn pages(&self) -> Vec<PathBuf> {
        let mut pages: Vec<PathBuf> = walk(&self.root.join("content"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        pages.sort();
        pages
    }

    fn write(&self, page: &Path) -> Result<(), BuildFailed> {
        let rel = page.strip_prefix(self.root.join("content")).unwrap();
        let text = fs::read_to_string(page).unwrap_or_default();
        if let Some(line) = text.lines().position(|l| l.contains("BROKEN")) {
            return Err(BuildFailed {
                message: format!(
                    "error: content/{}:{}:1: broken page\nhint: remove BROKEN",
                    rel.display(),
                    line + 1
                ),
            });
        }
        let target = self.out.join(rel).with_extension("html");
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(
            target,
            format!("<html><head></head><body>{text}</body></html>"),
        )
        .unwrap();
        Ok(())
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

impl Rebuild for CopyBuild {
    fn build_all(&mut self) -> Result<Built, BuildFailed> {
        self.log.lock().unwrap().push("all".into());
        // Check everything first: a failed build leaves the last good output in place.
        for page in self.pages() {
            let text = fs::read_to_string(&page).unwrap_or_default();
            if text.contains("PANIC") {
                panic!("builder bug");
            }
            if text.contains("BROKEN") {
                return self.write(&page).map(|()| unreachable!());
            }
        }
        let _ = fs::remove_dir_all(&self.out);
        for page in self.pages() {
            self.write(&page)?;
        }
        Ok(Built {
            summary: format!("{} pages", self.pages().len()),
            ..Built::default()
        })
    }

    fn rebuild(&mut self, changes: &ChangeSet) -> Result<Built, BuildFailed> {
        if changes.needs_full_build() || changes.pages().any(|(_, s)| s == State::Gone) {
            return self.build_all();
        }
        self.log.lock().unwrap().push(format!("pages {changes}"));
        for (page, _) in changes.pages() {
            self.write(&self.root.join(page))?;
        }
        Ok(Built {
            summary: "incremental".into(),
            ..Built::default()
        })
    }
}

/// What a session reported, in order.
#[derive(Debug, PartialEq)]
enum Seen {
    Built,
    Failed(String),
}

struct Session {
    stop: Arc<AtomicBool>,
    events: Receiver<Seen>,
    log: Arc<Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Session {
    fn start(root: &Path) -> Session {
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, events) = channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut builder = CopyBuild {
            root: root.to_path_buf(),
            out: root.join("public"),
            log: Arc::clone(&log),
        };
        let (root, flag) = (root.to_path_buf(), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let out = root.join("public");
            session::run(
                &root,
                Some(&out),
                &mut builder,
                &flag,
                |event| match event {
                    Event::Built(..) => tx.send(Seen::Built).unwrap(),
                    Event::Failed(f) => tx.send(Seen::Failed(f.message.clone())).unwrap(),
                    _ => {}
                },
            )
            .unwrap();
        });
        let session = Session {
            stop,
            events,
            log,
            thread: Some(thread),
        };
        assert_eq!(session.next(), Seen::Built, "the first build");
        session
    }

    fn next(&self) -> Seen {
        self.events.recv_timeout(PATIENCE).expect("a build outcome")
    }

    fn assert_idle(&self) {
        if let Ok(seen) = self.events.recv_timeout(QUIET) {
            panic!("expected no build, got {seen:?}");
        }
    }

    fn builds(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

#[test]
fn session_rebuilds_incrementally_and_survives_a_broken_edit() {
    let dir = site();
    let root = dir.path();
    let page = root.join("content/actions/youth/01-a.md");
    let out = root.join("public/actions/youth/01-a.html");
    let s = Session::start(root);
    assert!(fs::read_to_string(&out).unwrap().contains("甲"));

    fs::write(&page, "---\ntitle: 一\n---\n乙\n").unwrap();
    assert_eq!(s.next(), Seen::Built);
    assert!(fs::read_to_string(&out).unwrap().contains("乙"));
    assert_eq!(
        s.builds().last().unwrap(),
        "pages content/actions/youth/01-a.md"
    );

    // A broken edit: the error names the file and line; the last good page stays.
    fs::write(&page, "---\ntitle: 一\n---\nBROKEN\n").unwrap();
    assert_eq!(
        s.next(),
        Seen::Failed(
            "error: content/actions/youth/01-a.md:4:1: broken page\nhint: remove BROKEN".into()
        )
    );
    assert!(fs::read_to_string(&out).unwrap().contains("乙"));

    // The fix: after a failure the session builds everything.
    fs::write(&page, "---\ntitle: 一\n---\n丙\n").unwrap();
    assert_eq!(s.next(), Seen::Built);
    assert!(fs::read_to_string(&out).unwrap().contains("丙"));
    assert_eq!(s.builds().last().unwrap(), "all");

    // A burst of saves over many pages: one build (two at most on a stalled machine).
    let before = s.builds().len();
    for i in 0..30 {
        fs::write(root.join(format!("content/p{}.md", i % 6)), format!("{i}")).unwrap();
    }
    assert_eq!(s.next(), Seen::Built);
    let extra = usize::from(s.events.recv_timeout(QUIET).is_ok());
    s.assert_idle();
    assert_eq!(s.builds().len(), before + 1 + extra, "{:?}", s.builds());
    assert_eq!(
        fs::read_to_string(root.join("public/p5.html")).unwrap(),
        "<html><head></head><body>29</body></html>"
    );
}

#[test]
fn session_survives_a_panicking_build() {
    let dir = site();
    let root = dir.path();
    let page = root.join("content/actions/youth/01-a.md");
    let s = Session::start(root);
    fs::write(root.join("site.yaml"), "PANIC").unwrap();
    fs::write(&page, "PANIC").unwrap();
    match s.next() {
        Seen::Failed(message) => assert!(message.contains("internal error"), "{message}"),
        seen => panic!("expected a failure, got {seen:?}"),
    }
    fs::write(&page, "fixed").unwrap();
    assert_eq!(s.next(), Seen::Built);
    assert!(
        fs::read_to_string(root.join("public/actions/youth/01-a.html"))
            .unwrap()
            .contains("fixed")
    );
}
