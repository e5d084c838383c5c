//! An authoring session: build once, then rebuild after every batch of changes until
//! stopped. Used by `site build --watch` and `site serve`.
//!
//! The build is reached only through [`Rebuild`], the seam between the authoring room and
//! the build pipeline. A failed or panicking build is reported and the session goes on; the
//! last good output stays where it is (the pipeline writes atomically).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::{ChangeSet, SiteWatcher, WatchError};

/// A build that completed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Built {
    /// One line for the terminal, e.g. `312 pages`.
    pub summary: String,
    /// Problems that did not stop the build, as the terminal shows them.
    pub warnings: Vec<String>,
}

/// A build that failed: the diagnostics as the terminal shows them (file:line:column,
/// what is wrong, how to fix it). The same text goes to the browser overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailed {
    pub message: String,
}

/// What the authoring room needs from the build pipeline.
pub trait Rebuild {
    /// Builds the whole site into the output folder (atomically: a failed build leaves the
    /// last good output in place).
    fn build_all(&mut self) -> Result<Built, BuildFailed>;

    /// Brings the output up to date after `changes`. The result must be byte-identical to
    /// what [`Rebuild::build_all`] writes for the same input. The default builds everything.
    fn rebuild(&mut self, changes: &ChangeSet) -> Result<Built, BuildFailed> {
        let _ = changes;
        self.build_all()
    }
}

/// Something that happened in a session, for the terminal and for live reload.
#[derive(Debug)]
pub enum Event<'a> {
    /// The watch is set up; builds follow.
    Watching(&'a Path),
    /// A batch of changes is about to be built.
    Changed(&'a ChangeSet),
    /// A build succeeded.
    Built(&'a Built, Duration),
    /// A build failed (or the builder panicked); the session goes on.
    Failed(&'a BuildFailed),
    /// A problem with watching itself, e.g. a folder that cannot be watched.
    Warning(&'a str),
}

/// Starts watching `root`, builds the whole site, then rebuilds after every batch of
/// changes until `stop` is set. `out` is the output folder (never watched). Every event goes
/// to `report`. Returns an error only when the watch cannot be set up.
pub fn run(
    root: &Path,
    out: Option<&Path>,
    builder: &mut dyn Rebuild,
    stop: &AtomicBool,
    mut report: impl FnMut(Event<'_>),
) -> Result<(), WatchError> {
    // Watch first, build second: an edit made during the first build is not lost.
    let mut watcher = SiteWatcher::start(root, out)?;
    report(Event::Watching(watcher.root()));
    let mut good = build(builder, None, &mut report);
    while let Some(changes) = watcher.next_batch(stop) {
        for warning in watcher.take_warnings() {
            report(Event::Warning(&warning));
        }
        report(Event::Changed(&changes));
        // After a failure the builder's incremental state may be stale: build everything.
        good = build(builder, good.then_some(&changes), &mut report);
    }
    Ok(())
}

/// Runs one build, catching panics so that nothing an editor does ends the session.
/// Returns true when the build succeeded.
fn build(
    builder: &mut dyn Rebuild,
    changes: Option<&ChangeSet>,
    report: &mut impl FnMut(Event<'_>),
) -> bool {
    let started = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match changes {
        Some(changes) => builder.rebuild(changes),
        None => builder.build_all(),
    }));
    let result = result.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(BuildFailed {
            message: format!(
                "error: internal error while building: {what}\n\
                 hint: this is a bug in `site`; the last good site is kept. Please report it \
                 with the file you were editing."
            ),
        })
    });
    match result {
        Ok(built) => {
            report(Event::Built(&built, started.elapsed()));
            true
        }
        Err(failed) => {
            report(Event::Failed(&failed));
            false
        }
    }
}

/// Prints session events to the terminal: progress on stdout (unless `quiet`), errors and
/// warnings on stderr.
pub fn print_event(event: &Event<'_>, quiet: bool) {
    match event {
        Event::Watching(root) if !quiet => println!(
            "watching {} (content/, themes/, templates/, static/, site.yaml); press Ctrl-C to stop",
            root.display()
        ),
        Event::Changed(changes) if !quiet => println!("changed: {changes}"),
        Event::Built(built, took) if !quiet => {
            for warning in &built.warnings {
                eprintln!("{warning}");
            }
            println!("built {} in {} ms", built.summary, took.as_millis())
        }
        Event::Failed(failed) => {
            eprintln!("{}", failed.message.trim_end());
            eprintln!("the last good site is kept; fix the error and save again");
        }
        Event::Warning(warning) => eprintln!("warning: {warning}"),
        _ => {}
    }
}

/// A flag that Ctrl-C sets, to end a session cleanly (the current build finishes, the
/// server stops). A second Ctrl-C exits at once. Installs the handler once per process.
pub fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    static STOP: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    Arc::clone(STOP.get_or_init(|| {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let installed = ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!("stopping…");
        });
        if let Err(e) = installed {
            eprintln!("warning: Ctrl-C cannot be caught ({e}); close the terminal to stop");
        }
        stop
    }))
}

/// `site build --watch`: builds into the output folder, then rebuilds on every change until
/// Ctrl-C, printing each outcome. Returns an error only when watching cannot start.
pub fn watch_in_terminal(
    root: &Path,
    out: &Path,
    builder: &mut dyn Rebuild,
    quiet: bool,
) -> Result<(), WatchError> {
    let stop = stop_on_ctrl_c();
    run(root, Some(out), builder, &stop, |event| {
        print_event(&event, quiet)
    })
}
