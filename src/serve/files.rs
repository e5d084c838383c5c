//! Mapping a request path to a file of the output folder, safely, and describing it:
//! content type with charset, and the live-reload script tag for HTML.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file to send.
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect to this location.
    Redirect(String),
    /// Nothing there (or something outside the output folder).
    NotFound,
    /// A malformed or hostile path: `..`, encoded dots, backslashes, NUL, double encoding.
    BadRequest,
}

/// Resolves the path part of a request target (`/a/b/?q` → `<root>/a/b/index.html`) inside
/// `root`. Never leaves `root`, not even through a symbolic link.
pub fn resolve(root: &Path, target: &str) -> Resolved {
    let (raw_path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target.split_once('#').map_or(target, |(p, _)| p), None),
    };
    if !raw_path.starts_with('/') || raw_path.contains('\\') {
        return Resolved::BadRequest;
    }
    let Ok(path) = percent_decode_str(raw_path).decode_utf8() else {
        return Resolved::BadRequest;
    };
    // A '%' left after decoding is double encoding (`%252e`); no file we write has one.
    if path.contains(['\\', '%', '\0']) || path.chars().any(char::is_control) {
        return Resolved::BadRequest;
    }
    let mut file = root.to_path_buf();
    for segment in path.split('/') {
        match segment {
            "" => continue,
            "." | ".." => return Resolved::BadRequest,
            // Windows drive prefixes and alternate streams have no business here.
            s if s.contains(':') => return Resolved::BadRequest,
            s => file.push(s),
        }
    }
    // Symbolic links may point anywhere: follow them, then check we are still inside.
    let Ok(root) = root.canonicalize() else {
        return Resolved::NotFound;
    };
    let Ok(real) = file.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(&root) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            let mut location = format!("{raw_path}/");
            if let Some(q) = query {
                location.push('?');
                location.push_str(q);
            }
            return Resolved::Redirect(location);
        }
        let index = real.join("index.html");
        return match index.canonicalize() {
            Ok(i) if i.starts_with(&root) && i.is_file() => Resolved::File(i),
            _ => Resolved::NotFound,
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// The `Content-Type` for a file, with `charset=utf-8` for every text type (the site is
/// Chinese: a browser must never guess the encoding).
pub fn content_type(path: &Path) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mime = match ext.as_str() {
        // Explicit where guessing tables disagree or are dated.
        "html" | "htm" => "text/html".to_string(),
        "js" | "mjs" => "text/javascript".to_string(),
        "json" | "map" => "application/json".to_string(),
        "xml" => "application/xml".to_string(),
        "atom" => "application/atom+xml".to_string(),
        "wasm" => "application/wasm".to_string(),
        "webmanifest" => "application/manifest+json".to_string(),
        "" => "application/octet-stream".to_string(),
        _ => mime_guess::from_ext(&ext)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    };
    let textual = mime.starts_with("text/")
        || mime.ends_with("+xml")
        || mime.ends_with("+json")
        || matches!(mime.as_str(), "application/json" | "application/xml");
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

/// The tag that loads the live-reload script. `build` is the number of good builds when the
/// page was sent, so that the script can tell a page that is already out of date.
pub fn reload_tag(build: u64) -> String {
    format!(r#"<script src="/__site/reload.js" data-build="{build}" defer></script>"#)
}

/// Inserts the live-reload script tag before `</head>` (or `</body>`, or at the end).
pub fn inject_reload(html: &[u8], build: u64) -> Vec<u8> {
    let tag = reload_tag(build);
    let at = find_ascii_ci(html, b"</head")
        .or_else(|| find_ascii_ci(html, b"</body"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.css")), "text/css; charset=utf-8");
        assert_eq!(
            content_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("d/targets.json")),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("d/targets.csv")),
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("sitemap.xml")),
            "application/xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("i.svg")),
            "image/svg+xml; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("i.png")), "image/png");
        assert_eq!(content_type(Path::new("f.woff2")), "font/woff2");
        assert_eq!(
            content_type(Path::new("robots.txt")),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("LICENSE")),
            "application/octet-stream"
        );
    }

    #[test]
    fn injection() {
        let html = b"<html><HEAD><title>t</title></HEAD><body></body></html>";
        let out = String::from_utf8(inject_reload(html, 3)).unwrap();
        let tag = r#"<script src="/__site/reload.js" data-build="3" defer></script>"#;
        assert_eq!(
            out,
            format!("<html><HEAD><title>t</title>{tag}</HEAD><body></body></html>")
        );
        let out = String::from_utf8(inject_reload(b"<p>x</p>", 0)).unwrap();
        assert_eq!(out, format!("<p>x</p>{}", reload_tag(0)));
    }

    #[test]
    fn hostile_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.html"), "a").unwrap();
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/%252e%252e/x",
            "/..%2fx",
            "/a\\..\\x",
            "/%5c..%5cx",
            "/a%00.html",
            "/./a.html",
            "/c:/x",
            "/%ff",
        ] {
            assert_eq!(resolve(root, bad), Resolved::BadRequest, "{bad}");
        }
        assert!(matches!(resolve(root, "/a.html"), Resolved::File(_)));
        assert_eq!(resolve(root, "/b.html"), Resolved::NotFound);
    }
}
