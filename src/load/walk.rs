//! Walking `content/`: which files are pages, which are assets, which are ignored.
//! `is_ignored` is shared with the file watcher so both agree on what an editor's temporary
//! file is.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Files found under `content/`, as paths relative to it with `/` separators, sorted.
#[derive(Debug, Default, Clone)]
pub struct ContentFiles {
    /// `*.md` files.
    pub pages: Vec<String>,
    /// Every other file (images, PDFs...), copied to the output beside the pages.
    pub assets: Vec<String>,
    /// `units.yaml`, if present.
    pub units: Option<String>,
}

/// True for names the build never reads, and so the watcher never reports: hidden files and
/// folders (`.foo.md.swp`, `.DS_Store`, `.#foo.md`, `.git`), vim's swap and probe files
/// (`foo.swp`, `4913`), backups (`foo.md~`, `foo.md.bak`), Emacs auto-saves (`#foo.md#`),
/// Office lock files (`~$foo.docx`), JetBrains safe-write files, and other temporaries.
pub fn is_ignored(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~",
        ".swp",
        ".swo",
        ".swx",
        ".swn",
        ".bak",
        ".tmp",
        ".crswap",
        ".crdownload",
        ".part",
        "___jb_tmp___",
        "___jb_old___",
    ];
    name.is_empty()
        || name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with("~$")
        || name == "4913"
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Path of `p` relative to `base`, with `/` separators.
pub fn rel_slash(p: &Path, base: &Path) -> String {
    let rel = p.strip_prefix(base).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Lists the files of `content_dir`. `shown` is how the folder is named in messages.
pub fn walk(content_dir: &Path, shown: &str) -> Result<ContentFiles, Vec<Diagnostic>> {
    let mut files = ContentFiles::default();
    let mut errors = Vec::new();
    let mut walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    // Symbolic links are followed, but only within the site's folder: a link to
    // `/etc/passwd` or a home folder must never be published.
    let site_dir = content_dir
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .unwrap_or_else(|| content_dir.to_path_buf());
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) if e.depth() > 0 && e.path_is_symlink() => {
                let inside = e
                    .path()
                    .canonicalize()
                    .is_ok_and(|real| real.starts_with(&site_dir));
                if !inside {
                    errors.push(
                        Diagnostic::error(
                            "symbolic link points outside the site's folder; it is not published",
                        )
                        .in_file(format!("{shown}/{}", rel_slash(e.path(), content_dir)))
                        .with_hint("copy the file into content/ instead of linking to it"),
                    );
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                e
            }
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| format!("{shown}/{}", rel_slash(p, content_dir)))
                    .unwrap_or_else(|| shown.to_string());
                let msg = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map(|io| io.to_string())
                        .unwrap_or_else(|| e.to_string())
                };
                errors.push(
                    Diagnostic::error(format!("cannot read: {msg}"))
                        .in_file(path)
                        .with_hint("remove the link or fix the file's permissions"),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_slash(entry.path(), content_dir);
        if entry.path().to_str().is_none() {
            errors.push(
                Diagnostic::error("file name is not valid Unicode")
                    .in_file(format!("{shown}/{rel}"))
                    .with_hint("rename the file"),
            );
            continue;
        }
        if rel == "units.yaml" {
            files.units = Some(rel);
        } else if rel.ends_with(".md") {
            files.pages.push(rel);
        } else {
            files.assets.push(rel);
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// The `content/` folder of a site root.
pub fn content_dir(root: &Path) -> PathBuf {
    root.join("content")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_names() {
        for n in [
            ".DS_Store",
            ".a.md.swp",
            "a.md~",
            "#a.md#",
            "4913",
            "~$doc.docx",
            "a.tmp",
        ] {
            assert!(is_ignored(n), "{n}");
        }
        for n in ["a.md", "_index.md", "图片.png", "units.yaml"] {
            assert!(!is_ignored(n), "{n}");
        }
    }
}
