//! Model stage: the site graph. Turns loaded files into pages and sections (a folder with
//! `_index.md`), links parents and children, orders siblings (`order`, then file name),
//! maps files to URLs and finds pages that would publish to the same URL. Knows nothing of
//! Markdown, templates or output. The policy data (units, audiences, targets, the 责任清单)
//! is built from the pages in [`policy`].

pub mod policy;
pub mod url;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::front_matter::{FrontMatter, Target};
use crate::load::units::{UnitsFile, UnitsSource};
use crate::load::{Loaded, SourcePage};
pub use url::Urls;

/// Index of a page in [`Site::pages`].
pub type PageId = usize;

/// One published content file: a regular page or a section (`_index.md`).
#[derive(Debug, Clone)]
pub struct Page {
    pub id: PageId,
    pub source: SourcePage,
    /// True for `_index.md` files.
    pub is_section: bool,
    /// Site path without the base path: `/actions/youth/02-basic/`.
    pub path: String,
    /// Output file relative to the output folder: `actions/youth/02-basic/index.html`.
    pub output: String,
    /// The enclosing section (`None` only for the home page).
    pub parent: Option<PageId>,
    /// Enclosing sections, the home page first; the breadcrumb.
    pub ancestors: Vec<PageId>,
    /// Sections only: their regular pages, ordered.
    pub pages: Vec<PageId>,
    /// Sections only: their sub-sections, ordered.
    pub subsections: Vec<PageId>,
    /// The previous and next regular page in the parent section.
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
}

impl Page {
    pub fn front(&self) -> &FrontMatter {
        &self.source.front
    }
    pub fn title(&self) -> &str {
        &self.source.front.title
    }
    /// The file as shown in messages: `content/actions/a.md`.
    pub fn file(&self) -> &str {
        &self.source.file
    }
}

/// Build-time choices that change the graph.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    /// Publish `draft: true` pages.
    pub drafts: bool,
}

/// The site graph: everything templates, generators and the search index read.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub urls: Urls,
    /// Every published page, in tree order (home first, each section before its children).
    pub pages: Vec<Page>,
    /// The home page (`content/_index.md`, or an empty one titled after the site).
    pub root: PageId,
    pub units: UnitsFile,
    /// Where the registry came from (file and text), for the lines of policy problems.
    pub units_source: UnitsSource,
    /// Non-Markdown files under `content/`, relative to it.
    pub assets: Vec<String>,
    by_rel: HashMap<String, PageId>,
    /// Content files left out because they are drafts (relative to `content/`).
    drafts: HashSet<String>,
}

/// Sort key among siblings: pages with `order` first, by order; then by file name.
fn sort_key(p: &SourcePage) -> (bool, i64, String) {
    (
        p.front.order.is_none(),
        p.front.order.unwrap_or(0),
        p.rel.clone(),
    )
}

/// True for a `YYYY-MM-DD` calendar date (the same rule as progress `as_of` dates).
pub fn is_date(s: &str) -> bool {
    s.len() == 10 && policy::parse_date(s).is_some()
}

/// The folder of a content file: `a/b/c.md` → `a/b`, `a/_index.md` → `a`, `_index.md` → ``.
fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

fn parent_folder(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        None
    } else {
        Some(dir.rsplit_once('/').map(|(d, _)| d).unwrap_or(""))
    }
}

impl Site {
    /// Builds the graph from loaded content. Reports every duplicate URL.
    pub fn build(
        config: Config,
        loaded: Loaded,
        opts: &ModelOptions,
    ) -> Result<Site, Vec<Diagnostic>> {
        let urls = Urls::new(&config.base_url);
        let mut errors = Vec::new();

        // Drafts, and everything inside a draft section, are left out.
        let draft_dirs: Vec<String> = loaded
            .pages
            .iter()
            .filter(|p| p.front.draft && p.rel.ends_with("_index.md"))
            .map(|p| folder_of(&p.rel).to_string())
            .collect();
        let is_draft = |p: &SourcePage| {
            p.front.draft
                || draft_dirs
                    .iter()
                    .any(|d| d.is_empty() || p.rel.starts_with(&format!("{d}/")))
        };
        let mut drafts = HashSet::new();
        let mut sources = Vec::with_capacity(loaded.pages.len() + 1);
        for p in loaded.pages {
            if !opts.drafts && is_draft(&p) {
                drafts.insert(p.rel);
            } else {
                sources.push(p);
            }
        }
        if !sources.iter().any(|p| p.rel == "_index.md") {
            sources.push(SourcePage {
                rel: "_index.md".to_string(),
                file: "content/_index.md".to_string(),
                front: FrontMatter {
                    title: config.title.clone(),
                    ..FrontMatter::default()
                },
                front_matter_src: String::new(),
                front_matter_line: 1,
                body: String::new(),
                body_line: 1,
            });
        }

        // Dates are written YYYY-MM-DD: feeds and the sitemap depend on it.
        for p in &sources {
            if let Some(d) = &p.front.date
                && !is_date(d)
            {
                errors.push(
                    Diagnostic::error(format!("invalid date '{d}'"))
                        .in_file(&p.file)
                        .at_line(p.line_of("date"))
                        .with_hint("write the date as YYYY-MM-DD, e.g. `date: 2023-01-07`"),
                );
            }
        }

        // Duplicate URLs, reported once per clash with both files.
        let mut by_path: BTreeMap<String, &str> = BTreeMap::new();
        for p in &sources {
            let path = url::path_of(&p.rel);
            if let Some(other) = by_path.insert(path.clone(), &p.file) {
                errors.push(
                    Diagnostic::error(format!(
                        "{} and {other} would both publish to {path}",
                        p.file
                    ))
                    .in_file(&p.file)
                    .with_hint(format!("rename or move one of them (a folder's own page is its _index.md, so {other} and a file of the same name clash)")),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        // Sections by folder, then every page's parent: the nearest enclosing section.
        let section_dirs: HashMap<String, usize> = sources
            .iter()
            .enumerate()
            .filter(|(_, p)| p.rel.ends_with("_index.md"))
            .map(|(i, p)| (folder_of(&p.rel).to_string(), i))
            .collect();
        let parent_of = |i: usize, p: &SourcePage| -> Option<usize> {
            let dir = folder_of(&p.rel);
            let mut d = if p.rel.ends_with("_index.md") {
                parent_folder(dir)
            } else {
                Some(dir)
            };
            while let Some(cur) = d {
                if let Some(&s) = section_dirs.get(cur)
                    && s != i
                {
                    return Some(s);
                }
                d = parent_folder(cur);
            }
            None
        };
        let parents: Vec<Option<usize>> = sources
            .iter()
            .enumerate()
            .map(|(i, p)| parent_of(i, p))
            .collect();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); sources.len()];
        for (i, parent) in parents.iter().enumerate() {
            if let Some(p) = parent {
                children[*p].push(i);
            }
        }
        for c in &mut children {
            c.sort_by_cached_key(|&i| sort_key(&sources[i]));
        }

        // Lay the pages out in tree order so ids are stable and listings deterministic.
        let root_src = section_dirs[""];
        let mut order = Vec::with_capacity(sources.len());
        let mut stack = vec![root_src];
        while let Some(i) = stack.pop() {
            order.push(i);
            for &c in children[i].iter().rev() {
                stack.push(c);
            }
        }
        let mut new_id = vec![usize::MAX; sources.len()];
        for (new, &old) in order.iter().enumerate() {
            new_id[old] = new;
        }
        let is_sec: Vec<bool> = sources
            .iter()
            .map(|p| p.rel.ends_with("_index.md"))
            .collect();
        let mut slots: Vec<Option<SourcePage>> = sources.into_iter().map(Some).collect();
        let mut pages: Vec<Page> = Vec::with_capacity(order.len());
        for (id, &old) in order.iter().enumerate() {
            let Some(source) = slots[old].take() else {
                continue;
            };
            let is_section = is_sec[old];
            let path = url::path_of(&source.rel);
            let kids: Vec<usize> = children[old].iter().map(|&c| new_id[c]).collect();
            let (subsections, regular): (Vec<usize>, Vec<usize>) =
                kids.into_iter().partition(|&c| is_sec[order[c]]);
            pages.push(Page {
                id,
                is_section,
                output: url::output_of(&path),
                path,
                parent: parents[old].map(|p| new_id[p]),
                ancestors: Vec::new(),
                pages: regular,
                subsections,
                prev: None,
                next: None,
                source,
            });
        }
        // Ancestors (parents come before children in tree order) and prev/next.
        for id in 0..pages.len() {
            if let Some(p) = pages[id].parent {
                let mut a = pages[p].ancestors.clone();
                a.push(p);
                pages[id].ancestors = a;
            }
        }
        for id in 0..pages.len() {
            let siblings = pages[id].pages.clone();
            for (k, &s) in siblings.iter().enumerate() {
                pages[s].prev = k.checked_sub(1).map(|j| siblings[j]);
                pages[s].next = siblings.get(k + 1).copied();
            }
        }
        let by_rel = pages.iter().map(|p| (p.source.rel.clone(), p.id)).collect();
        Ok(Site {
            config,
            urls,
            root: 0,
            pages,
            units: loaded.units,
            units_source: loaded.units_source,
            assets: loaded.assets,
            by_rel,
            drafts,
        })
    }

    /// The page of a content file, by its path relative to `content/`.
    pub fn page_by_rel(&self, rel: &str) -> Option<&Page> {
        self.by_rel.get(rel).map(|&id| &self.pages[id])
    }

    /// Every section, in tree order.
    pub fn sections(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| p.is_section)
    }

    /// Every regular (non-section) page, in tree order.
    pub fn regular_pages(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| !p.is_section)
    }

    /// Every target of every page, in tree order, with its page.
    pub fn targets(&self) -> impl Iterator<Item = (&Page, &Target)> {
        self.pages
            .iter()
            .flat_map(|p| p.front().targets.iter().map(move |t| (p, t)))
    }

    /// The link to a page (base path included, percent-encoded).
    pub fn url(&self, page: &Page) -> String {
        self.urls.url(&page.path)
    }

    /// Resolves an internal link `@/actions/youth/02-basic.md#anchor` (given without `@/`) to
    /// its URL. A folder (`actions/` or `actions`) means its `_index.md`; a file of another
    /// kind (`actions/img/map.png`) is a content asset, published at the same path.
    pub fn resolve_internal(&self, target: &str) -> Result<String, Diagnostic> {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target, None),
        };
        if is_asset_path(path) {
            return self.asset_url(path.trim_start_matches('/'));
        }
        let page = self.page_for_link(path)?;
        let mut u = self.url(page);
        if let Some(a) = anchor {
            u.push('#');
            u.push_str(a);
        }
        Ok(u)
    }

    /// The URL of the content asset `rel` (`actions/img/map.png`), or why there is none.
    fn asset_url(&self, rel: &str) -> Result<String, Diagnostic> {
        if self.assets.iter().any(|a| a == rel) {
            return Ok(self.urls.url(rel));
        }
        let hint = crate::diagnostic::did_you_mean(rel, self.assets.iter().map(String::as_str))
            .map(|a| format!("did you mean content/{a}?"))
            .unwrap_or_else(|| {
                "put the file under content/ (e.g. beside the page) and link to it by its path from the page's folder"
                    .to_string()
            });
        Err(Diagnostic::error(format!("broken link: no file content/{rel}")).with_hint(hint))
    }

    /// The page an internal link's path (without `@/` and `#anchor`) points to.
    pub fn page_for_link(&self, path: &str) -> Result<&Page, Diagnostic> {
        let path = path.trim_start_matches('/');
        let candidates = if path.ends_with(".md") {
            vec![path.to_string()]
        } else {
            let dir = path.trim_end_matches('/');
            if dir.is_empty() {
                vec!["_index.md".to_string()]
            } else {
                vec![format!("{dir}/_index.md"), format!("{dir}.md")]
            }
        };
        for c in &candidates {
            if let Some(p) = self.page_by_rel(c) {
                return Ok(p);
            }
            if self.drafts.contains(c) {
                return Err(Diagnostic::error(format!(
                    "link to a draft page: @/{c} is not published (draft: true)"
                ))
                .with_hint("publish it (remove `draft: true`) or remove the link"));
            }
        }
        let known: Vec<&str> = self.by_rel.keys().map(String::as_str).collect();
        let hint = crate::diagnostic::did_you_mean(&candidates[0], known.iter().copied())
            .map(|c| format!("did you mean @/{c}?"))
            .unwrap_or_else(|| {
                "write the path of a file under content/, e.g. @/actions/youth/02-basic.md"
                    .to_string()
            });
        Err(Diagnostic::error(format!(
            "broken internal link: no file content/{}",
            candidates[0]
        ))
        .with_hint(hint))
    }
}

/// True for a link path that names a file other than a page: its last part has an
/// extension other than `.md` (`img/map.png`, not `actions/`, `a.md` or `actions`).
pub fn is_asset_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && ext != "md")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_page;

    fn site(files: &[(&str, &str)], drafts: bool) -> Result<Site, Vec<Diagnostic>> {
        let pages = files
            .iter()
            .map(|(rel, text)| parse_page(rel, text.as_bytes().to_vec()).unwrap())
            .collect();
        let config = Config::parse("title: 站\nbase_url: https://a.cn/kepu/\n").unwrap();
        Site::build(
            config,
            Loaded {
                pages,
                ..Loaded::default()
            },
            &ModelOptions { drafts },
        )
    }

    #[test]
    fn tree_order_and_urls() {
        let s = site(
            &[
                ("_index.md", "---\ntitle: 首页\n---\n"),
                ("actions/_index.md", "---\ntitle: 行动\norder: 2\n---\n"),
                ("actions/b.md", "---\ntitle: B\n---\n"),
                ("actions/a.md", "---\ntitle: A\n---\n"),
                ("actions/z.md", "---\ntitle: Z\norder: 1\n---\n"),
                ("projects/_index.md", "---\ntitle: 工程\norder: 1\n---\n"),
                ("about.md", "---\ntitle: 关于\n---\n"),
            ],
            false,
        )
        .unwrap();
        let titles: Vec<_> = s.pages.iter().map(|p| p.title()).collect();
        // Ordered siblings first (工程 1, 行动 2), then the rest by file name (关于).
        assert_eq!(titles, ["首页", "工程", "行动", "Z", "A", "B", "关于"]);
        let actions = s.page_by_rel("actions/_index.md").unwrap();
        assert!(actions.is_section);
        assert_eq!(actions.path, "/actions/");
        let kids: Vec<_> = actions.pages.iter().map(|&i| s.pages[i].title()).collect();
        assert_eq!(kids, ["Z", "A", "B"]);
        let a = s.page_by_rel("actions/a.md").unwrap();
        assert_eq!(a.ancestors, [0, actions.id]);
        assert_eq!(s.pages[a.prev.unwrap()].title(), "Z");
        assert_eq!(s.pages[a.next.unwrap()].title(), "B");
        assert_eq!(s.url(a), "/kepu/actions/a/");
        assert_eq!(
            s.resolve_internal("actions/a.md#x").unwrap(),
            "/kepu/actions/a/#x"
        );
        assert_eq!(s.resolve_internal("actions/").unwrap(), "/kepu/actions/");
        let e = s.resolve_internal("actions/c.md").unwrap_err();
        assert_eq!(
            e.message,
            "broken internal link: no file content/actions/c.md"
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean @/actions/a.md?"));
    }

    #[test]
    fn duplicate_urls_name_both_files() {
        let e = site(
            &[
                ("a.md", "---\ntitle: A\n---\n"),
                ("a/_index.md", "---\ntitle: A2\n---\n"),
            ],
            false,
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("content/a.md"));
        assert!(e[0].message.contains("content/a/_index.md"));
        assert!(e[0].message.contains("/a/"));
    }

    #[test]
    fn dates() {
        assert!(is_date("2023-01-07"));
        for bad in [
            "2023/01/07",
            "2023-1-7",
            "2023-13-01",
            "2023-01-32",
            "二〇二三-01-07",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        let e = site(
            &[("a.md", "---\ntitle: A\ndate: 2023年1月7日\n---\n")],
            false,
        )
        .unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("invalid date"));
    }

    #[test]
    fn drafts() {
        let files = [
            ("d.md", "---\ntitle: D\ndraft: true\n---\n"),
            ("s/_index.md", "---\ntitle: S\ndraft: true\n---\n"),
            ("s/x.md", "---\ntitle: X\n---\n"),
            ("p.md", "---\ntitle: P\n---\n"),
        ];
        let s = site(&files, false).unwrap();
        assert_eq!(s.pages.len(), 2); // synthesized home + p
        assert_eq!(s.pages[0].title(), "站");
        assert!(
            s.resolve_internal("d.md")
                .unwrap_err()
                .message
                .contains("draft")
        );
        let s = site(&files, true).unwrap();
        assert_eq!(s.pages.len(), 5);
    }
}
