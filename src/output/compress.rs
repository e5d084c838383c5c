//! Precompression: a `.gz` copy (and, with `compress: true` in `site.yaml`, a `.br` copy)
//! beside every text file of a build, so a web server sends compressed files without
//! compressing on each request (nginx `gzip_static` / `brotli_static`, see docs/deploy.md).
//! Copies are made as each file is written ([`super::Staging`], and the watcher's
//! incremental writes), on the threads that render pages. gzip is libdeflate's: on the
//! 10,000-page benchmark it compresses the HTML as well as zlib's level 6 in under half the
//! time. Output is deterministic: the gzip header carries no name and no time.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// libdeflate gzip level (1–12). 6 gave a ratio of 0.233 on the 10,000-page benchmark's
/// HTML (zlib 6: 0.232) in 1.06 s for 193 MB (zlib 6: 2.3 s); higher levels gain under 0.5%.
/// Level 4 takes a fifth less time for 2.4% more bytes: every reader would download more
/// for a first build a tenth of a second faster, so 6 stays.
const GZIP_LEVEL: i32 = 6;
/// Brotli quality (0–11) and window (log2 bytes).
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;

/// A compressed copy's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gzip,
    Brotli,
}

impl Encoding {
    /// The copy's file name suffix, without the dot.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => "gz",
            Encoding::Brotli => "br",
        }
    }
}

/// True for a file that gets compressed copies.
pub fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// gzip of `bytes`, deterministic.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let level = libdeflater::CompressionLvl::new(GZIP_LEVEL).unwrap_or_default();
    let mut compressor = libdeflater::Compressor::new(level);
    let bound = compressor.gzip_compress_bound(bytes.len());
    // Text compresses to a fraction of its size, and the bound of a large file is larger
    // than the file: half its size first, the bound only when that is not room enough.
    let first = if bytes.len() > 64 * 1024 {
        bytes.len() / 2
    } else {
        bound
    };
    let mut out = vec![0; first];
    let n = match compressor.gzip_compress(bytes, &mut out) {
        Ok(n) => n,
        Err(_) => {
            out = vec![0; bound];
            // The buffer has the bound's size, so compression cannot run out of room.
            compressor.gzip_compress(bytes, &mut out).unwrap_or(0)
        }
    };
    out.truncate(n);
    out
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

/// The `encoding` copy of a file at `path` with these bytes, or `None` when it has none
/// (not a text format, too small, or the copy would not be smaller). The one rule both a
/// full build and the watcher's incremental writes follow.
pub fn copy(encoding: Encoding, path: &Path, bytes: &[u8]) -> Option<Vec<u8>> {
    if !is_compressible(path) || (bytes.len() as u64) < MIN_BYTES {
        return None;
    }
    let copy = match encoding {
        Encoding::Gzip => gzip(bytes),
        Encoding::Brotli => brotli(bytes),
    };
    (!copy.is_empty() && copy.len() < bytes.len()).then_some(copy)
}

/// Every copy a file at `path` with these bytes may have: for each suffix (`gz`, `br`), the
/// copy's bytes, or `None` when it has no such copy (Brotli copies only when `brotli_too`).
pub fn copies(path: &Path, bytes: &[u8], brotli_too: bool) -> Vec<(&'static str, Option<Vec<u8>>)> {
    [Encoding::Gzip, Encoding::Brotli]
        .into_iter()
        .map(|e| {
            let wanted = e == Encoding::Gzip || brotli_too;
            (e.suffix(), if wanted { copy(e, path, bytes) } else { None })
        })
        .collect()
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
        let page = "<p>全民科学素质</p>\n".repeat(100);
        let html = Path::new("a/index.html");
        let gz = copy(Encoding::Gzip, html, page.as_bytes()).unwrap();
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        let br = copy(Encoding::Brotli, html, page.as_bytes()).unwrap();
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        assert_eq!(copy(Encoding::Gzip, Path::new("tiny.css"), b"a{}"), None);
        assert_eq!(
            copy(Encoding::Gzip, Path::new("image.png"), &[0u8; 4096]),
            None
        );
        assert_eq!(gzip(page.as_bytes()), gz, "same input, same bytes");
        // No name and no time in the header: bytes 4..8 are the modification time.
        assert_eq!(&gz[4..8], &[0, 0, 0, 0]);
        let both = copies(html, page.as_bytes(), false);
        assert_eq!(both, vec![("gz", Some(gz)), ("br", None)]);
    }

    #[test]
    fn large_files_that_hardly_compress_still_round_trip() {
        // Over 64 KB and not compressible to half: the first buffer is too small.
        let mut x: u32 = 1;
        let noise: Vec<u8> = (0..200_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect();
        let text = "科学素质".repeat(50_000);
        for input in [&noise[..], text.as_bytes()] {
            let gz = gzip(input);
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, input);
        }
    }
}
