//! Watching a site for edits: which files changed, batched so that one save (or a burst of
//! saves) is one rebuild.
//!
//! [`SiteWatcher`] watches `content/`, `themes/`, `templates/`, `static/` and `site.yaml`
//! under a site root with notify and its full debouncer, drops editor noise (swap, backup
//! and lock files, hidden files, the output folder), and hands out [`ChangeSet`]s that say which areas of the
//! site changed, so that the builder can decide between an incremental and a full build.
//! It survives the ways editors save (atomic rename, write-then-rename, backup files) and the
//! deletion and re-creation of the watched folders themselves.
//!
//! [`session`] drives builds from the batches; it knows the build only through the
//! [`session::Rebuild`] trait. Nothing here knows about pages, templates or HTTP.

pub mod session;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::load::walk::is_ignored;

/// The folders under the site root whose whole tree is watched.
pub const WATCHED_DIRS: &[&str] = &["content", "themes", "templates", "static"];
/// The configuration file, watched through a non-recursive watch on the root.
pub const CONFIG_FILE: &str = "site.yaml";

/// How long a path must be quiet before its events are handed on. Editors' atomic saves
/// (write temp, rename, delete backup) finish within a few milliseconds.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(5);
/// After a first batch, further batches that follow within this time join it, so that a
/// burst of saves over many files is one rebuild.
const SETTLE: Duration = Duration::from_millis(30);
/// A burst never delays a rebuild longer than this.
const MAX_BATCH: Duration = Duration::from_secs(2);
/// How often a waiting watcher looks at its stop flag.
const POLL: Duration = Duration::from_millis(50);

/// Which part of the site a changed path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// A file under `content/` (pages, `units.yaml`, images).
    Content,
    /// A file under `themes/` (templates and static assets of a theme).
    Theme,
    /// A file under `templates/` (the site's own template overrides).
    Templates,
    /// A file under `static/` (the site's own static files, overriding the theme's).
    Static,
    /// `site.yaml`.
    Config,
}

/// What happened to a path, judged by looking at the disk once the batch was quiet (events
/// of atomic saves say "removed" and "created" for a file that simply changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The path exists now (created or modified).
    Present,
    /// The path is gone (deleted or renamed away).
    Gone,
}

/// One changed path of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub area: Area,
    pub state: State,
    /// True when the path is (or was) a folder, or when a watched folder itself was
    /// replaced: everything under it may have changed.
    pub tree: bool,
}

/// The changes of one batch, keyed by path relative to the site root (`content/a/b.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub changes: BTreeMap<PathBuf, Change>,
    /// Events may have been lost (the kernel queue overflowed, a watched folder was
    /// replaced): only a full build is safe.
    pub rescan: bool,
}

impl ChangeSet {
    /// True when nothing of interest changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && !self.rescan
    }

    /// True when only a full build is correct: a config, theme or template change, a folder
    /// added or removed, a data file under `content/` (such as `units.yaml`), or lost events.
    /// Otherwise every change is a Markdown page or an asset under `content/`.
    pub fn needs_full_build(&self) -> bool {
        self.rescan
            || self.changes.iter().any(|(path, c)| {
                c.area != Area::Content || c.tree || path.extension().is_some_and(|e| e == "yaml")
            })
    }

    /// Changed Markdown pages under `content/`, with their state, in path order.
    pub fn pages(&self) -> impl Iterator<Item = (&Path, State)> {
        self.changes.iter().filter_map(|(path, c)| {
            (c.area == Area::Content && !c.tree && path.extension().is_some_and(|e| e == "md"))
                .then_some((path.as_path(), c.state))
        })
    }

    fn merge(&mut self, other: ChangeSet) {
        self.rescan |= other.rescan;
        for (path, change) in other.changes {
            let entry = self.changes.entry(path).or_insert(change.clone());
            entry.state = change.state;
            entry.tree |= change.tree;
        }
    }
}

impl fmt::Display for ChangeSet {
    /// A short description for the terminal: `content/a.md`, `content/a.md and 3 more`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut paths = self.changes.keys();
        match paths.next() {
            None if self.rescan => f.write_str("the site"),
            None => f.write_str("nothing"),
            Some(first) => {
                write!(f, "{}", first.display())?;
                let more = self.changes.len() - 1;
                if more > 0 {
                    write!(f, " and {more} more")?;
                }
                Ok(())
            }
        }
    }
}

/// An error that stops watching before it starts (the watch itself cannot be set up).
#[derive(Debug)]
pub struct WatchError(pub String);

impl fmt::Display for WatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WatchError {}

/// A running watch on one site.
pub struct SiteWatcher {
    root: PathBuf,
    /// The output folder, absolute; never reported, wherever it is.
    out: Option<PathBuf>,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    /// Which watched folders currently have a recursive watch.
    watching: BTreeMap<&'static str, bool>,
    /// Messages about the watch itself (a folder that cannot be watched), for the caller to
    /// print; they never stop the watcher.
    warnings: Vec<String>,
}

impl SiteWatcher {
    /// Starts watching the site at `root`. `out` is the output folder, ignored wherever it
    /// lies. Changes are recorded from this moment on, so build after starting the watcher.
    pub fn start(root: &Path, out: Option<&Path>) -> Result<SiteWatcher, WatchError> {
        let root = root
            .canonicalize()
            .map_err(|e| WatchError(format!("cannot watch {}: {e}", root.display())))?;
        let out = out.map(|o| {
            let abs = if o.is_absolute() {
                o.to_path_buf()
            } else {
                root.join(o)
            };
            abs.canonicalize().unwrap_or(abs)
        });
        let (tx, events) = channel();
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), tx)
            .map_err(|e| WatchError(format!("cannot start the file watcher: {e}")))?;
        debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| WatchError(format!("cannot watch {}: {e}", root.display())))?;
        let mut watcher = SiteWatcher {
            root,
            out,
            debouncer,
            events,
            watching: WATCHED_DIRS.iter().map(|d| (*d, false)).collect(),
            warnings: Vec::new(),
        };
        // The first watches miss nothing: the caller builds after this.
        watcher.refresh_watches(&[]);
        Ok(watcher)
    }

    /// The canonical site root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Takes the messages about folders that could not be watched.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Waits for the next batch of changes. Returns `None` once `stop` is set. A batch is
    /// handed out when the file system has been quiet for a moment; events that arrive
    /// while the caller builds are kept and make up the next batch.
    pub fn next_batch(&mut self, stop: &AtomicBool) -> Option<ChangeSet> {
        self.wait(stop, None)
    }

    /// Like [`SiteWatcher::next_batch`], but gives up (`None`) when no change started within
    /// `wait`.
    pub fn next_batch_within(&mut self, wait: Duration) -> Option<ChangeSet> {
        self.wait(&AtomicBool::new(false), Some(Instant::now() + wait))
    }

    fn wait(&mut self, stop: &AtomicBool, deadline: Option<Instant>) -> Option<ChangeSet> {
        loop {
            let mut batch = ChangeSet::default();
            // Wait for the first event.
            loop {
                if stop.load(Ordering::Relaxed) || deadline.is_some_and(|d| Instant::now() >= d) {
                    return None;
                }
                match self.events.recv_timeout(POLL) {
                    Ok(result) => {
                        batch.merge(self.classify(result));
                        break;
                    }
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            // Gather what follows closely.
            let first = Instant::now();
            while first.elapsed() < MAX_BATCH {
                match self.events.recv_timeout(SETTLE) {
                    Ok(result) => batch.merge(self.classify(result)),
                    Err(_) => break,
                }
            }
            let replaced: Vec<PathBuf> = batch
                .changes
                .iter()
                .filter(|(path, c)| c.tree && path.components().count() == 1)
                .map(|(path, _)| path.clone())
                .collect();
            if self.refresh_watches(&replaced) {
                batch.rescan = true;
            }
            if !batch.is_empty() {
                return Some(batch);
            }
        }
    }

    /// Makes sure every existing watched folder has a live watch, re-creating the watches of
    /// `replaced` folders (deleted, renamed or re-created). Returns true when a watch was
    /// (re)established, since events inside that folder may have been missed.
    fn refresh_watches(&mut self, replaced: &[PathBuf]) -> bool {
        let mut changed = false;
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            let was = self.watching[dir];
            let is_replaced = replaced.iter().any(|r| r == Path::new(dir));
            if was && (is_replaced || !path.is_dir()) {
                // Gone or replaced: the old watch follows the old inode or is dead.
                let _ = self.debouncer.unwatch(&path);
                self.watching.insert(dir, false);
                changed = true;
            }
            if !self.watching[dir] && path.is_dir() {
                match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watching.insert(dir, true);
                        changed = true;
                    }
                    Err(e) => self
                        .warnings
                        .push(format!("cannot watch {}: {e}", path.display())),
                }
            }
        }
        changed
    }

    fn classify(&mut self, result: DebounceEventResult) -> ChangeSet {
        let mut set = ChangeSet::default();
        let events = match result {
            Ok(events) => events,
            Err(errors) => {
                for e in errors {
                    self.warnings.push(format!("file watcher: {e}"));
                }
                set.rescan = true;
                return set;
            }
        };
        for event in events {
            if event.need_rescan() {
                set.rescan = true;
            }
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            let folder_event = matches!(
                event.kind,
                EventKind::Create(notify::event::CreateKind::Folder)
                    | EventKind::Remove(notify::event::RemoveKind::Folder)
            );
            for path in &event.paths {
                let Some((rel, area)) = self.relevant(path) else {
                    continue;
                };
                let exists = path.symlink_metadata().ok();
                let state = if exists.is_some() {
                    State::Present
                } else {
                    State::Gone
                };
                let is_dir = exists.as_ref().is_some_and(|m| m.is_dir());
                // A watched folder itself (`content`) appearing or going away.
                let top = rel.components().count() == 1 && area != Area::Config;
                let change = Change {
                    area,
                    state,
                    tree: is_dir || folder_event || top,
                };
                set.merge(ChangeSet {
                    changes: BTreeMap::from([(rel, change)]),
                    rescan: false,
                });
            }
        }
        set
    }

    /// The path relative to the root and its area, or `None` for paths to ignore.
    fn relevant(&self, path: &Path) -> Option<(PathBuf, Area)> {
        if let Some(out) = &self.out
            && (path.starts_with(out) || is_sibling_temp(path, out))
        {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        let mut parts = rel.components();
        let first = match parts.next()? {
            Component::Normal(name) => name.to_str()?,
            _ => return None,
        };
        let area = match first {
            CONFIG_FILE => {
                return (parts.next().is_none()).then(|| (rel.to_path_buf(), Area::Config));
            }
            "content" => Area::Content,
            "themes" => Area::Theme,
            "templates" => Area::Templates,
            "static" => Area::Static,
            _ => return None,
        };
        if rel
            .components()
            .any(|c| is_ignored(c.as_os_str().to_str().unwrap_or(".")))
        {
            return None;
        }
        Some((rel.to_path_buf(), area))
    }
}

/// The temporary folder an atomic writer puts beside the output (`public.tmp-…`,
/// `.public.old`), when the output lies inside a watched folder.
fn is_sibling_temp(path: &Path, out: &Path) -> bool {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name().and_then(|n| n.to_str()))
    else {
        return false;
    };
    let Ok(rest) = path.strip_prefix(parent) else {
        return false;
    };
    rest.components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .is_some_and(|first| first != name && first.trim_start_matches('.').starts_with(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_names() {
        for name in [
            ".02-basic.md.swp",
            "02-basic.md.swp",
            "02-basic.md.swx",
            "02-basic.md~",
            "4913",
            ".DS_Store",
            "#02-basic.md#",
            ".#02-basic.md",
            "02-basic.md___jb_tmp___",
            "02-basic.md___jb_old___",
            ".git",
        ] {
            assert!(is_ignored(name), "{name} should be ignored");
        }
        for name in [
            "02-basic.md",
            "_index.md",
            "units.yaml",
            "logo.png",
            "4913.md",
            "a#b.md",
        ] {
            assert!(!is_ignored(name), "{name} should be watched");
        }
    }

    fn change(area: Area, tree: bool) -> Change {
        Change {
            area,
            state: State::Present,
            tree,
        }
    }

    #[test]
    fn full_build_decision() {
        let mut set = ChangeSet::default();
        set.changes
            .insert("content/a/01.md".into(), change(Area::Content, false));
        assert!(!set.needs_full_build());
        assert_eq!(set.pages().count(), 1);
        set.changes
            .insert("content/img.png".into(), change(Area::Content, false));
        assert!(!set.needs_full_build());
        set.changes
            .insert("content/units.yaml".into(), change(Area::Content, false));
        assert!(set.needs_full_build());

        let mut set = ChangeSet::default();
        set.changes
            .insert("content/a".into(), change(Area::Content, true));
        assert!(set.needs_full_build());
        assert_eq!(set.pages().count(), 0);

        let mut set = ChangeSet::default();
        set.changes
            .insert("site.yaml".into(), change(Area::Config, false));
        assert!(set.needs_full_build());
        let mut set = ChangeSet::default();
        set.changes.insert(
            "themes/default/templates/page.html".into(),
            change(Area::Theme, false),
        );
        assert!(set.needs_full_build());
    }

    #[test]
    fn sibling_temp_of_output() {
        let out = Path::new("/s/content/public");
        assert!(is_sibling_temp(
            Path::new("/s/content/public.tmp-1/a.html"),
            out
        ));
        assert!(is_sibling_temp(Path::new("/s/content/.public.old"), out));
        assert!(!is_sibling_temp(Path::new("/s/content/pages.md"), out));
    }

    #[test]
    fn display() {
        let mut set = ChangeSet::default();
        assert_eq!(set.to_string(), "nothing");
        set.changes
            .insert("content/a.md".into(), change(Area::Content, false));
        assert_eq!(set.to_string(), "content/a.md");
        set.changes
            .insert("content/b.md".into(), change(Area::Content, false));
        assert_eq!(set.to_string(), "content/a.md and 1 more");
    }
}
