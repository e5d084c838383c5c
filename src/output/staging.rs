//! The atomic writer. A build writes into a temporary folder beside the output folder and
//! swaps it in only when everything succeeded; dropped without [`Staging::commit`], the
//! temporary folder is deleted and the output is untouched.
//!
//! The output a swap replaces is kept beside it as `.<name>.site-prev`, and the next build
//! writes into that folder instead of an empty one: a file whose bytes are unchanged is left
//! as it is (its compressed copies too), a changed file is rewritten in place, and whatever
//! the new build does not write is deleted before the swap. A rebuild of a large site then
//! creates almost no files or folders, which on most file systems is the slowest part of
//! writing a site (and slower still right after the old output was deleted). The kept
//! folder is never served and may be deleted at any time.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::compress::{self, Encoding};
use super::{Sink, check_rel};
use crate::diagnostic::Diagnostic;

/// How to fix a failed write.
const WRITE_HINT: &str = "check the free disk space and that the output folder is writable; the previous output was kept";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary output folder beside the real one.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// `.<name>.site-prev` beside the output: the output a build replaced.
    keep: PathBuf,
    committed: bool,
    /// Which compressed copies every text file gets.
    encodings: Vec<Encoding>,
    /// Set when the folder is an earlier output being rewritten.
    recycled: Option<Recycled>,
    /// Set when a write failed half way: the folder may hold a file whose compressed copy
    /// is of other bytes, and is deleted rather than kept for the next build.
    damaged: AtomicBool,
}

/// What an earlier output held when a build took it over, and what the build kept of it.
struct Recycled {
    /// Its files, by `/`-separated path.
    files: HashSet<String>,
    /// Its folders, by `/`-separated path.
    dirs: HashSet<String>,
    /// The files this build wrote or confirmed; the others are deleted at the swap.
    kept: Mutex<HashSet<String>>,
}

/// What [`Staging::write`] found at a path of a recycled folder.
enum Existing {
    /// Nothing, or something of another kind (cleared away).
    None,
    /// A file with other bytes.
    Differs,
    /// A file with exactly these bytes.
    Same,
}

impl Staging {
    /// A staging folder for `out` (which must have passed [`super::check_out_dir`]):
    /// `.<name>.site-prev` taken over when an earlier build left one, else a new empty
    /// `.<name>.site-tmp-<pid>-<n>`. Every text file written gets a gzip copy, and a Brotli
    /// copy too when `brotli`.
    pub fn new(out: &Path, brotli: bool) -> Result<Staging, Diagnostic> {
        let parent = out.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
                .with_hint("choose an output folder whose parent is a folder you can write to")
        })?;
        remove_stale(out);
        let dir = ours_beside(out, "site-tmp");
        let keep = beside(out, "site-prev");
        let mut encodings = vec![Encoding::Gzip];
        if brotli {
            encodings.push(Encoding::Brotli);
        }
        // Taking the kept folder over is one rename: two builds at once cannot both get it.
        let recycled = if std::fs::rename(&keep, &dir).is_ok() {
            Some(Recycled::scan(&dir))
        } else {
            std::fs::create_dir(&dir).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot create a temporary folder beside {}: {e}",
                    out.display()
                ))
                .with_hint("check that the output's parent folder is writable")
            })?;
            None
        };
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            keep,
            committed: false,
            encodings,
            recycled,
            damaged: AtomicBool::new(false),
        })
    }

    /// The temporary folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swaps the staged folder in place of the output folder; the old output is kept
    /// beside it for the next build to rewrite.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        if let Some(recycled) = self.recycled.take() {
            recycled.sweep(&self.dir);
        }
        let keep = &self.keep;
        if keep.exists() {
            // Left by a build that ran at the same time: ours to delete.
            let old = ours_beside(&self.out, "site-old");
            if std::fs::rename(keep, &old).is_ok() {
                remove_tree(&old);
            }
        }
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, keep).map_err(|e| {
                Diagnostic::error(format!("cannot replace {}: {e}", self.out.display()))
                    .with_hint("close programs that use files in the output folder and build again")
            })?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(keep, &self.out);
            }
            return Err(Diagnostic::error(format!(
                "cannot move the new site into {}: {e}",
                self.out.display()
            )));
        }
        self.committed = true;
        Ok(())
    }

    fn write_file(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)
    }

    /// Writes a compressed copy beside its file, whose folder is there already (the file
    /// was just written or kept): no folder check, which on a large site is tens of
    /// thousands of system calls.
    fn write_copy(&self, copy_rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::write(self.dir.join(copy_rel), bytes)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        check_rel(rel)?;
        let cannot = |rel: &str, e: std::io::Error| {
            self.damaged.store(true, Ordering::Relaxed);
            Diagnostic::error(format!("cannot write {rel}: {e}")).with_hint(WRITE_HINT)
        };
        let existing = match &self.recycled {
            Some(r) => r.existing(&self.dir, rel, bytes),
            None => Existing::None,
        };
        if !matches!(existing, Existing::Same) {
            self.write_file(rel, bytes).map_err(|e| cannot(rel, e))?;
        }
        let mut kept = vec![rel.to_string()];
        for &encoding in &self.encodings {
            let copy_rel = format!("{rel}.{}", encoding.suffix());
            let reuse = matches!(existing, Existing::Same)
                && self
                    .recycled
                    .as_ref()
                    .is_some_and(|r| r.files.contains(&copy_rel));
            if reuse {
                kept.push(copy_rel);
            } else if let Some(copy) = compress::copy(encoding, Path::new(rel), bytes) {
                if let Some(r) = &self.recycled {
                    r.make_way(&self.dir, &copy_rel);
                }
                self.write_copy(&copy_rel, &copy)
                    .map_err(|e| cannot(&copy_rel, e))?;
                kept.push(copy_rel);
            }
        }
        if let Some(r) = &self.recycled {
            let mut set = r.kept.lock().unwrap_or_else(|e| e.into_inner());
            set.extend(kept);
        }
        Ok(())
    }
}

impl Recycled {
    /// Lists the files and folders of `dir`; anything else in it (a link someone put into
    /// the published folder) is removed, so that no write ever goes through it.
    fn scan(dir: &Path) -> Recycled {
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        for entry in walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .flatten()
        {
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let Some(rel) = rel.to_str().map(|r| r.replace('\\', "/")) else {
                // Not a name this tool writes.
                let _ = remove_entry(entry.path());
                continue;
            };
            let kind = entry.file_type();
            if kind.is_dir() {
                dirs.insert(rel);
            } else if kind.is_file() {
                files.insert(rel);
            } else {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Recycled {
            files,
            dirs,
            kept: Mutex::new(HashSet::new()),
        }
    }

    /// What is at `rel` now, compared with `bytes` (after [`Recycled::make_way`]).
    fn existing(&self, dir: &Path, rel: &str, bytes: &[u8]) -> Existing {
        let Some(len) = self.make_way(dir, rel) else {
            return Existing::None;
        };
        if len == bytes.len() as u64 && same_bytes(&dir.join(rel), bytes) {
            Existing::Same
        } else {
            Existing::Differs
        }
    }

    /// Readies `rel` for writing: a file shared with another path (a hard link) is removed
    /// rather than rewritten in place, and so is anything that stands where the file or its
    /// folders must go. Returns the length of the plain file left there, if any.
    fn make_way(&self, dir: &Path, rel: &str) -> Option<u64> {
        if !self.files.contains(rel) {
            self.clear_way(dir, rel);
            return None;
        }
        let path = dir.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || shared(&meta) {
            let _ = remove_entry(&path);
            return None;
        }
        Some(meta.len())
    }

    /// Removes a file of the old tree where a folder of `rel` must go, and a folder where
    /// `rel` itself must go.
    fn clear_way(&self, dir: &Path, rel: &str) {
        let mut end = 0;
        while let Some(i) = rel[end..].find('/') {
            end += i;
            if self.files.contains(&rel[..end]) {
                let _ = std::fs::remove_file(dir.join(&rel[..end]));
            }
            end += 1;
        }
        if self.dirs.contains(rel) {
            let _ = std::fs::remove_dir_all(dir.join(rel));
        }
    }

    /// Deletes the files this build did not write, and the folders that leaves empty.
    fn sweep(self, dir: &Path) {
        let kept = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut stale: Vec<&String> = self.files.iter().filter(|f| !kept.contains(*f)).collect();
        stale.sort();
        stale.par_iter().for_each(|rel| {
            let _ = std::fs::remove_file(dir.join(rel));
        });
        // Folders that may now be empty, deepest first; a clean build has no empty folders.
        let mut emptied: Vec<&str> = stale
            .iter()
            .filter_map(|rel| rel.rfind('/').map(|i| &rel[..i]))
            .collect();
        emptied.sort_by(|a, b| b.cmp(a));
        emptied.dedup();
        for folder in emptied {
            let mut folder = folder;
            while std::fs::remove_dir(dir.join(folder)).is_ok() {
                match folder.rfind('/') {
                    Some(i) => folder = &folder[..i],
                    None => break,
                }
            }
        }
    }
}

/// True when the file at `path` holds exactly `bytes`. Read a block at a time: the file may
/// be one of a large site's largest (its open data, its list of every target).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut block = vec![0; bytes.len().clamp(1, 64 * 1024)];
    let mut rest = bytes;
    loop {
        match file.read(&mut block) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && block[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// True for a file with more than one name.
#[cfg(unix)]
fn shared(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn shared(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Removes a file, link or folder tree at `path`, never following a link.
fn remove_entry(path: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path)?.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

/// The file name of the output folder (`public` when it has none).
fn out_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string())
}

/// `.<name>.<kind>` beside the output folder `<name>`: every folder this module keeps beside
/// the output is named so.
fn beside(out: &Path, kind: &str) -> PathBuf {
    let parent = out.parent().unwrap_or(Path::new("."));
    parent.join(format!(".{}.{kind}", out_name(out)))
}

/// `.<name>.<kind>-<pid>-<n>` beside the output: a folder of this process, named so that
/// [`remove_stale`] can tell whether its process is gone.
fn ours_beside(out: &Path, kind: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    beside(out, &format!("{kind}-{}-{n}", std::process::id()))
}

/// Removes temporary folders left beside the output by builds that were killed (Ctrl-C
/// during `site build --watch`, a crash): ours by name, and only when the process that made
/// them is gone. Where that cannot be known (no `/proc`), nothing is removed.
fn remove_stale(out: &Path) {
    let parent = out.parent().unwrap_or(Path::new("."));
    let name = out_name(out);
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

/// Deletes a folder tree, its top-level entries in parallel.
fn remove_tree(dir: &Path) {
    let entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => return,
    };
    entries.par_iter().for_each(|p| {
        let _ = remove_entry(p);
    });
    let _ = std::fs::remove_dir_all(dir);
}

impl Drop for Staging {
    /// A build that failed (a content or template error) leaves the folder it wrote as the
    /// next build's starting point, unless a write failed half way; the output is untouched
    /// either way.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let kept = !self.damaged.load(Ordering::Relaxed)
            && !self.keep.exists()
            && std::fs::rename(&self.dir, &self.keep).is_ok();
        if !kept {
            remove_tree(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn same_bytes_compares_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &big).unwrap();
        assert!(same_bytes(&path, &big));
        let mut other = big.clone();
        other[150_000] ^= 1;
        assert!(!same_bytes(&path, &other));
        assert!(!same_bytes(&path, &big[..199_999]));
        assert!(!same_bytes(&path, &[big.clone(), vec![0]].concat()));
        std::fs::write(&path, b"").unwrap();
        assert!(same_bytes(&path, b""));
        assert!(!same_bytes(&path, b"a"));
        assert!(!same_bytes(&dir.path().join("missing"), b""));
    }

    /// Every file under `dir`, by relative path.
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// Builds `files` into `out` through a staging folder.
    fn build(out: &Path, files: &[(&str, &str)]) {
        let s = Staging::new(out, false).unwrap();
        for (rel, text) in files {
            s.write(rel, text.as_bytes()).unwrap();
        }
        s.commit().unwrap();
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
        let s = Staging::new(&out, false).unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
        }
        assert!(live.exists(), "a running build's folder is left alone");
        assert!(other.exists(), "another output's folders are left alone");
        drop(s);
    }

    #[test]
    fn staging_commits_or_vanishes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        {
            let s = Staging::new(&out, false).unwrap();
            s.write("new.html", b"new").unwrap();
            // dropped without commit
        }
        assert_eq!(
            std::fs::read_to_string(out.join("old.html")).unwrap(),
            "old"
        );
        // What the failed build wrote is kept for the next one, never served.
        assert_eq!(names(tmp.path()), [".public.site-prev", "public"]);
        let s = Staging::new(&out, false).unwrap();
        s.write("a/new.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/new.html")).unwrap(),
            "new"
        );
        assert_eq!(names(tmp.path()), [".public.site-prev", "public"]);
        // The kept output is the one replaced.
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(".public.site-prev/old.html")).unwrap(),
            "old"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_recycled_output_ends_exactly_as_a_fresh_one() {
        let long = "<p>全民科学素质行动</p>\n".repeat(40);
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first: Vec<(&str, &str)> = vec![
            ("index.html", &long),
            ("a/index.html", &long),
            ("a/b/index.html", "short"),
            ("gone/index.html", &long),
            ("x", "a file that becomes a folder"),
            ("y/index.html", "a folder that becomes a file"),
        ];
        build(&out, &first);
        build(&out, &first);
        assert!(
            tmp.path()
                .join(".public.site-prev/gone/index.html")
                .exists()
        );
        let inode = |p: PathBuf| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(p).unwrap().ino()
        };
        // The next build rewrites the output before last, kept beside the output.
        let before = inode(tmp.path().join(".public.site-prev/index.html.gz"));

        let changed = long.replace("行动", "工程");
        let second: Vec<(&str, &str)> = vec![
            ("index.html", &long),
            ("a/index.html", &changed),
            ("a/b/index.html", "short"),
            ("x/index.html", &long),
            ("y", "now a file"),
        ];
        build(&out, &second);
        // The same files written into an empty folder.
        let fresh = tmp.path().join("fresh");
        build(&fresh, &second);
        assert_eq!(tree(&out), tree(&fresh));
        assert!(!out.join("gone").exists(), "emptied folders are removed");
        // An unchanged file and its copy were left in place, not rewritten.
        assert_eq!(inode(out.join("index.html.gz")), before);
    }

    #[cfg(unix)]
    #[test]
    fn links_in_a_recycled_output_are_never_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("index.html"), "editor's file").unwrap();
        std::fs::write(tmp.path().join("note.txt"), "editor's note").unwrap();
        build(&out, &[("index.html", "one")]);
        build(&out, &[("index.html", "one")]);
        // Someone links folders and files of the published site to their own files.
        let prev = tmp.path().join(".public.site-prev");
        std::os::unix::fs::symlink(&outside, prev.join("linked")).unwrap();
        std::fs::remove_file(prev.join("index.html")).unwrap();
        std::fs::hard_link(tmp.path().join("note.txt"), prev.join("index.html")).unwrap();
        build(
            &out,
            &[("index.html", "two"), ("linked/index.html", "three")],
        );
        assert_eq!(
            std::fs::read_to_string(outside.join("index.html")).unwrap(),
            "editor's file"
        );
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("note.txt")).unwrap(),
            "editor's note"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("linked/index.html")).unwrap(),
            "three"
        );
    }
}
