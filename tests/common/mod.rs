//! Helpers shared by the integration tests: copy a fixture site to a temporary folder, run
//! the built `site` binary on it, snapshot an output tree.
#![allow(dead_code)]

pub mod http;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture site copied into a temporary folder (deleted on drop).
pub struct Site {
    pub tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&src, &root);
        // The default theme, as the repository has it (not the copy built into the binary).
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
            &root.join("themes/default"),
        );
        Site { tmp, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs `site ARGS --root ROOT`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root.to_str().unwrap().to_string();
        all.push("--root");
        all.push(&root);
        run(&all)
    }

    /// Builds and asserts success.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let r = self.run(&all);
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        r
    }

    /// Every file of the output folder with its bytes.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(rel))
    }
}

/// The bad-input harness: builds the `basic` fixture once (the "previous output"), applies
/// `break_it`, builds again and checks the failure: exit code 1 (not a panic's 101), every
/// `expect`ed text in stderr, a `hint:` saying how to fix it, nothing on stdout, the previous
/// `public/` byte for byte as it was and no temporary folder left behind. Returns the
/// failing run for further assertions.
pub fn fails(break_it: impl FnOnce(&Site), expect: &[&str]) -> Run {
    fails_with(&["build"], break_it, expect)
}

/// [`fails`] with other arguments for the failing run (`["build", "--out", ...]`).
pub fn fails_with(args: &[&str], break_it: impl FnOnce(&Site), expect: &[&str]) -> Run {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = site.tree("public");
    assert!(!before.is_empty());
    break_it(&site);
    let r = site.run(args);
    assert_failed(&r, expect);
    let after = site.tree("public");
    assert!(before == after, "the previous output changed");
    // No temporary folders left behind (the folder kept for the next build,
    // `.public.site-prev`, is not one).
    let stray: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".site-tmp-") || n.contains(".site-old-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    r
}

/// Exit code 1, no panic, the expected texts and a hint in stderr, nothing on stdout.
pub fn assert_failed(r: &Run, expect: &[&str]) {
    assert_eq!(
        r.code, 1,
        "expected exit 1\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    for e in expect {
        assert!(r.stderr.contains(e), "expected {e:?} in:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("hint: "), "no hint in:\n{}", r.stderr);
    assert!(r.stdout.is_empty(), "no summary on failure: {}", r.stdout);
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Run {
    run_in(Command::new(env!("CARGO_BIN_EXE_site")).args(args))
}

/// Runs a prepared command (e.g. under `sh -c 'ulimit ...; exec site ...'`).
pub fn run_in(cmd: &mut Command) -> Run {
    let out: Output = cmd.output().expect("run site");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let to = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}
