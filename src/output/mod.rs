//! Output stage: where rendered files go. A build writes into a [`Staging`] folder beside
//! the output folder and swaps it in only when everything succeeded, so a failed build
//! leaves the previous output byte for byte as it was ([`staging`]); every text file gets
//! its precompressed copies as it is written ([`compress`]). Nothing outside the output
//! folder (and our own folders beside it) is ever deleted, and an output folder that would
//! contain or be the site's sources is refused.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;

pub mod compress;
mod staging;

pub use staging::Staging;

/// Where rendered files go. `build` writes to a [`Staging`] folder; `check` discards.
pub trait Sink: Sync {
    /// Writes `bytes` to `rel` (a `/`-separated path relative to the output folder).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// The outcome of a run of writes: how many files were written, and every error on the
/// way (a run goes on past an error, so that all of them are reported).
#[derive(Default)]
pub struct Written {
    files: usize,
    errors: Vec<Diagnostic>,
}

impl Written {
    /// Counts one write's result.
    pub fn add(&mut self, result: Result<(), Diagnostic>) {
        match result {
            Ok(()) => self.files += 1,
            Err(e) => self.errors.push(e),
        }
    }

    /// The number of files written, or the errors when there were any.
    pub fn finish(self) -> Result<usize, Vec<Diagnostic>> {
        if self.errors.is_empty() {
            Ok(self.files)
        } else {
            Err(self.errors)
        }
    }
}

/// A sink that keeps nothing (for `site check`).
pub struct Discard;

impl Sink for Discard {
    fn write(&self, rel: &str, _bytes: &[u8]) -> Result<(), Diagnostic> {
        check_rel(rel)
    }
}

/// Refuses output paths that could leave the output folder.
pub(crate) fn check_rel(rel: &str) -> Result<(), Diagnostic> {
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
    fn rejects_escaping_paths() {
        assert!(check_rel("a/b.html").is_ok());
        for bad in ["../x", "/etc/x", "a/../../x", "", "a\\b"] {
            assert!(check_rel(bad).is_err(), "{bad}");
        }
    }
}
