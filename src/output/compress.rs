//! Precompression: a `.gz` copy (and, with `compress: true` in `site.yaml`, a `.br` copy)
//! beside every text file of a finished build, so a web server sends compressed files
//! without compressing on each request (nginx `gzip_static` / `brotli_static`, see
//! docs/deploy.md). Runs once over the staged output folder, before it is swapped in, so a
//! failure leaves the previous output as it was. Output is deterministic: the gzip header
//! carries no name and no time.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;

/// Extensions of the files compressed: text formats a browser fetches.
pub const EXTENSIONS: &[&str] = &[
    "html",
    "css",
    "js",
    "mjs",
    "json",
    "xml",
    "txt",
    "svg",
    "csv",
    "map",
    "webmanifest",
];

/// Files smaller than this are left alone: the compressed copy would save less than a
/// network packet.
pub const MIN_BYTES: u64 = 256;

/// gzip level (0–9). 6: on the 10,000-page benchmark 9 compresses no better (ratio 0.327
/// both, measured with zlib) and costs more time.
const GZIP_LEVEL: u32 = 6;
/// Brotli quality (0–11) and window (log2 bytes).
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;

/// What was written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub gzip: usize,
    pub brotli: usize,
}

/// True for a file that gets compressed copies.
pub fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// gzip of `bytes`, deterministic.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new().mtime(0).write(
        Vec::with_capacity(bytes.len() / 3 + 64),
        flate2::Compression::new(GZIP_LEVEL),
    );
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// Brotli of `bytes`.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
    {
        let mut w =
            brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
        let _ = w.write_all(bytes);
    }
    out
}

/// The compressed copies a file with these bytes has: for each suffix (`gz`, and `br` when
/// `brotli_too`), the copy's bytes, or `None` when it has no such copy (too small, not
/// compressible, or the copy would not be smaller). The one rule both a full build and the
/// watcher's incremental writes follow.
pub fn copies(path: &Path, bytes: &[u8], brotli_too: bool) -> Vec<(&'static str, Option<Vec<u8>>)> {
    let eligible = is_compressible(path) && bytes.len() as u64 >= MIN_BYTES;
    let smaller = |c: Vec<u8>| (c.len() < bytes.len()).then_some(c);
    let mut out = vec![("gz", if eligible { smaller(gzip(bytes)) } else { None })];
    out.push((
        "br",
        if eligible && brotli_too {
            smaller(brotli(bytes))
        } else {
            None
        },
    ));
    out
}

/// Writes `<file>.gz` (and `<file>.br` when `brotli`) beside every compressible file under
/// `dir`, in parallel. Copies that would not be smaller than the original are not written.
pub fn precompress(dir: &Path, brotli_too: bool) -> Result<Stats, Vec<Diagnostic>> {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && is_compressible(e.path())
                && e.metadata().is_ok_and(|m| m.len() >= MIN_BYTES)
        })
        .map(walkdir::DirEntry::into_path)
        .collect();
    let results: Vec<Result<Stats, Diagnostic>> = files
        .par_iter()
        .map(|path| {
            let rel = path.strip_prefix(dir).unwrap_or(path).display().to_string();
            let fail = |e: std::io::Error| {
                Diagnostic::error(format!("cannot write the compressed copy of {rel}: {e}"))
                    .with_hint("check the free disk space; the previous output was kept")
            };
            let bytes = std::fs::read(path).map_err(fail)?;
            let mut stats = Stats::default();
            for (suffix, copy) in copies(path, &bytes, brotli_too) {
                if let Some(copy) = copy {
                    std::fs::write(with_suffix(path, suffix), copy).map_err(fail)?;
                    match suffix {
                        "gz" => stats.gzip += 1,
                        _ => stats.brotli += 1,
                    }
                }
            }
            Ok(stats)
        })
        .collect();
    let mut total = Stats::default();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(s) => {
                total.gzip += s.gzip;
                total.brotli += s.brotli;
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(total)
    } else {
        Err(errors)
    }
}

/// `a/index.html` → `a/index.html.gz`.
pub fn with_suffix(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn round_trip_and_determinism() {
        let tmp = tempfile::tempdir().unwrap();
        let page = "<p>全民科学素质</p>\n".repeat(100);
        std::fs::write(tmp.path().join("index.html"), &page).unwrap();
        std::fs::write(tmp.path().join("tiny.css"), "a{}").unwrap();
        std::fs::write(tmp.path().join("image.png"), vec![0u8; 4096]).unwrap();
        let stats = precompress(tmp.path(), true).unwrap();
        assert_eq!(stats, Stats { gzip: 1, brotli: 1 });
        let gz = std::fs::read(tmp.path().join("index.html.gz")).unwrap();
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        let br = std::fs::read(tmp.path().join("index.html.br")).unwrap();
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        assert!(!tmp.path().join("tiny.css.gz").exists());
        assert!(!tmp.path().join("image.png.gz").exists());
        assert_eq!(gzip(page.as_bytes()), gz, "same input, same bytes");
    }
}
