//! Replays the fuzzers' committed corpus (`fuzz/corpus/<target>/`, minimised seeds) and
//! every input that once crashed (`fuzz/regressions/<target>/`) through the fuzz targets'
//! own checks, so `cargo test` keeps what fuzzing found without fuzzing. See
//! docs/fuzzing.md.

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every file of `fuzz/<folder>/<target>/`; returns how many there were.
fn replay(folder: &str, target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(folder)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&bytes));
        assert!(outcome.is_ok(), "{} fails the {target} check", f.display());
    }
    files.len()
}

fn corpus_and_regressions(target: &str, check: fn(&[u8])) {
    let seeds = replay("corpus", target, check);
    assert!(seeds > 0, "no committed corpus for {target}");
    replay("regressions", target, check);
}

#[test]
fn front_matter_corpus() {
    corpus_and_regressions("front_matter", checks::front_matter);
}

#[test]
fn import_corpus() {
    corpus_and_regressions("import", checks::import);
}

#[test]
fn markdown_corpus() {
    corpus_and_regressions("markdown", checks::markdown);
}

#[test]
fn search_tokenize_corpus() {
    corpus_and_regressions("search_tokenize", checks::search_tokenize);
}

#[test]
fn the_html_check_catches_scripts() {
    // The check the markdown target relies on must itself fail on unsafe HTML.
    for bad in [
        "<p>a<script>x()</script></p>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=' JAVA\tSCRIPT:x'>x</a>",
        "<svg onload=alert(1)>",
    ] {
        let caught = std::panic::catch_unwind(|| checks::assert_safe_html(bad)).is_err();
        assert!(caught, "{bad}");
    }
    checks::assert_safe_html(
        "<p>javascript: onerror= &lt;script&gt;</p><a href=\"https://a.cn/\" title=\"x>y\">a</a>",
    );
}
