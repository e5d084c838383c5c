//! Output stage: the atomic writer. A build writes into a fresh temporary folder beside the
//! output folder and swaps it in only when everything succeeded, so a failed build leaves
//! the previous output byte for byte as it was. Nothing outside the output folder (and our
//! own temporary folders beside it) is ever deleted, and an output folder that would
//! contain or be the site's sources is refused.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostic::Diagnostic;

pub mod compress;

/// How to fix a failed write.
const WRITE_HINT: &str = "check the free disk space and that the output folder is writable; the previous output was kept";

/// Where rendered files go. `build` writes to a [`Staging`] folder; `check` discards.
pub trait Sink: Sync {
    /// Writes `bytes` to `rel` (a `/`-separated path relative to the output folder).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// A sink that keeps nothing (for `site check`).
pub struct Discard;

impl Sink for Discard {
    fn write(&self, rel: &str, _bytes: &[u8]) -> Result<(), Diagnostic> {
        check_rel(rel)
    }
}

/// Refuses output paths that could leave the output folder.
fn check_rel(rel: &str) -> Result<(), Diagnostic> {
    let p = Path::new(rel);
    let ok = !rel.is_empty()
        && !rel.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(Diagnostic::error(format!(
            "refusing to write '{rel}': the path would leave the output folder"
        ))
        .with_hint("rename the file or folder so its path has no '..', '\\' or leading '/'"))
    }
}

/// Makes a path absolute and resolves `.`/`..` and symbolic links as far as it exists.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Resolve `.` and `..` by their names first.
    let mut abs = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                abs.pop();
            }
            Component::CurDir => {}
            other => abs.push(other),
        }
    }
    // Canonicalize the longest existing ancestor, then append the rest.
    let mut existing = abs.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                tail.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in tail.into_iter().rev() {
        out.push(name);
    }
    out
}

/// Checks that `out` may be replaced by a build of the site at `root`: it must not be the
/// root, `content/`, `themes/`, `templates/`, `static/`, `site.yaml`, anything inside those,
/// or a folder that contains the root.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<PathBuf, Diagnostic> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    let refuse = |what: &str| {
        Err(Diagnostic::error(format!(
            "refusing to build into {}: it {what}",
            out.display()
        ))
        .with_hint("choose a separate output folder, e.g. --out public"))
    };
    if out_abs.parent().is_none() {
        return refuse("is the root of the file system");
    }
    if root_abs.starts_with(&out_abs) {
        return refuse("is the site's folder or contains it");
    }
    for protected in [
        "content",
        "themes",
        "templates",
        "static",
        "seeds",
        "site.yaml",
        "src",
        ".git",
    ] {
        if out_abs.starts_with(root_abs.join(protected)) {
            return refuse(&format!("is inside the site's {protected}"));
        }
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return refuse("is a file, not a folder");
    }
    Ok(out_abs)
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary output folder beside the real one. Dropped without [`Staging::commit`], it
/// deletes itself and the real output stays untouched.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `.<name>.site-tmp-<pid>-<n>` beside `out` (which must have passed
    /// [`check_out_dir`]).
    pub fn new(out: &Path) -> Result<Staging, Diagnostic> {
        let parent = out.parent().unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
                .with_hint("choose an output folder whose parent is a folder you can write to")
        })?;
        remove_stale(parent, &name);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = parent.join(format!(".{name}.site-tmp-{}-{n}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| {
            Diagnostic::error(format!(
                "cannot create a temporary folder beside {}: {e}",
                out.display()
            ))
            .with_hint("check that the output's parent folder is writable")
        })?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            committed: false,
        })
    }

    /// The temporary folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swaps the staged folder in place of the output folder and deletes the old output.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let old = self.dir.with_file_name(
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().replace(".site-tmp-", ".site-old-"))
                .unwrap_or_default(),
        );
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &old).map_err(|e| {
                Diagnostic::error(format!("cannot replace {}: {e}", self.out.display()))
                    .with_hint("close programs that use files in the output folder and build again")
            })?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(Diagnostic::error(format!(
                "cannot move the new site into {}: {e}",
                self.out.display()
            )));
        }
        self.committed = true;
        if had_old {
            // The old output, renamed by us a moment ago: ours to delete.
            remove_tree(&old);
        }
        Ok(())
    }
}

/// Removes temporary folders left beside the output by builds that were killed (Ctrl-C
/// during `site build --watch`, a crash): ours by name, and only when the process that made
/// them is gone. Where that cannot be known (no `/proc`), nothing is removed.
fn remove_stale(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name
            .strip_prefix(&format!(".{name}.site-tmp-"))
            .or_else(|| file_name.strip_prefix(&format!(".{name}.site-old-")))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            remove_tree(&entry.path());
        }
    }
}

/// Deletes a folder tree, its top-level entries in parallel (deleting ten thousand page
/// folders is most of a rebuild's file-system time).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => return,
    };
    entries.par_iter().for_each(|p| {
        // `symlink_metadata`: a link is removed, never followed.
        let is_dir = std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
        let _ = if is_dir {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        };
    });
    let _ = std::fs::remove_dir_all(dir);
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        check_rel(rel)?;
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create folder for {rel}: {e}"))
                    .with_hint(WRITE_HINT)
            })?;
        }
        std::fs::write(&path, bytes).map_err(|e| {
            Diagnostic::error(format!("cannot write {rel}: {e}")).with_hint(WRITE_HINT)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_sources_and_parents() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        for bad in [
            root.clone(),
            root.join("content"),
            root.join("content/x"),
            root.join("themes"),
            tmp.path().to_path_buf(),
            root.join("public/.."),
            PathBuf::from("/"),
        ] {
            assert!(check_out_dir(&root, &bad).is_err(), "{}", bad.display());
        }
        assert!(check_out_dir(&root, &root.join("public")).is_ok());
        assert!(check_out_dir(&root, &tmp.path().join("elsewhere")).is_ok());
    }

    #[test]
    fn stale_temporary_folders_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // A pid that cannot be running (above the kernel's maximum).
        let stale = tmp.path().join(".public.site-tmp-4294967290-0");
        std::fs::create_dir_all(stale.join("a")).unwrap();
        let live = tmp
            .path()
            .join(format!(".public.site-tmp-{}-99", std::process::id()));
        std::fs::create_dir_all(&live).unwrap();
        let other = tmp.path().join(".other.site-tmp-4294967290-0");
        std::fs::create_dir_all(&other).unwrap();
        let s = Staging::new(&out).unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
        }
        assert!(live.exists(), "a running build's folder is left alone");
        assert!(other.exists(), "another output's folders are left alone");
        drop(s);
    }

    #[test]
    fn rejects_escaping_paths() {
        assert!(check_rel("a/b.html").is_ok());
        for bad in ["../x", "/etc/x", "a/../../x", "", "a\\b"] {
            assert!(check_rel(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn staging_commits_or_vanishes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("new.html", b"new").unwrap();
            // dropped without commit
        }
        assert_eq!(
            std::fs::read_to_string(out.join("old.html")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
        let s = Staging::new(&out).unwrap();
        s.write("a/new.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/new.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
