//! Where things are published: site paths (`/actions/youth/02-basic/`), the links to them
//! under the configured base URL (`/kepu/actions/youth/02-basic/`), full permalinks for feeds
//! and the sitemap, and the output file for each path.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters kept as they are in a URL path; everything else is percent-encoded, so file
/// names with spaces or CJK give valid links in HTML, XML and sitemaps.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The base URL split into what links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// `https://kxxh.example.gov.cn/kepu/` (always one trailing slash).
    pub base_url: String,
    /// `/kepu/` (always leading and trailing slash; `/` at a domain's root).
    pub base_path: String,
    /// `https://kxxh.example.gov.cn`.
    origin: String,
}

impl Urls {
    /// `base_url` must be normalized (see `config::normalize_base_url`).
    pub fn new(base_url: &str) -> Urls {
        let after_scheme = base_url.find("://").map(|i| i + 3).unwrap_or(0);
        let path_start = base_url[after_scheme..]
            .find('/')
            .map(|i| i + after_scheme)
            .unwrap_or(base_url.len());
        let origin = base_url[..path_start].to_string();
        let mut base_path = base_url[path_start..].to_string();
        if !base_path.starts_with('/') {
            base_path.insert(0, '/');
        }
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        Urls {
            base_url: format!("{origin}{base_path}"),
            base_path,
            origin,
        }
    }

    /// The link to a site path: `/actions/` → `/kepu/actions/`. Relative paths are taken
    /// from the site root (`css/site.css` → `/kepu/css/site.css`). A `#fragment` or `?query`
    /// is kept as written.
    pub fn url(&self, path: &str) -> String {
        let (path, tail) = match path.find(['#', '?']) {
            Some(i) => path.split_at(i),
            None => (path, ""),
        };
        let path = path.trim_start_matches('/');
        format!(
            "{}{}{}",
            self.base_path,
            utf8_percent_encode(path, PATH),
            tail
        )
    }

    /// The full address of a site path, for feeds, the sitemap and `<link rel=canonical>`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.origin, self.url(path))
    }
}

/// The site path of a content file: `actions/youth/02-basic.md` → `/actions/youth/02-basic/`,
/// `actions/_index.md` → `/actions/`, `_index.md` → `/`.
pub fn path_of(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = if stem == "_index" {
        ""
    } else {
        stem.strip_suffix("/_index").unwrap_or(stem)
    };
    if stem.is_empty() {
        "/".to_string()
    } else {
        format!("/{stem}/")
    }
}

/// The output file of a site path, relative to the output folder: `/a/b/` → `a/b/index.html`.
/// A path with an extension (`/atom.xml`) is the file itself.
pub fn output_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            path_of("actions/youth/02-basic.md"),
            "/actions/youth/02-basic/"
        );
        assert_eq!(path_of("actions/_index.md"), "/actions/");
        assert_eq!(path_of("_index.md"), "/");
        assert_eq!(output_of("/"), "index.html");
        assert_eq!(output_of("/a/b/"), "a/b/index.html");
        assert_eq!(output_of("/atom.xml"), "atom.xml");
    }

    #[test]
    fn sub_path() {
        let u = Urls::new("https://kxxh.example.gov.cn/kepu/");
        assert_eq!(u.base_path, "/kepu/");
        assert_eq!(u.url("/actions/"), "/kepu/actions/");
        assert_eq!(u.url("css/site.css"), "/kepu/css/site.css");
        assert_eq!(u.url("/a/#x"), "/kepu/a/#x");
        assert_eq!(u.permalink("/"), "https://kxxh.example.gov.cn/kepu/");
        let r = Urls::new("https://a.cn/");
        assert_eq!(r.url("/"), "/");
        assert_eq!(
            r.url("/青少年 行动/"),
            "/%E9%9D%92%E5%B0%91%E5%B9%B4%20%E8%A1%8C%E5%8A%A8/"
        );
        assert_eq!(r.permalink("/a/"), "https://a.cn/a/");
    }
}
