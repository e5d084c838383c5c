//! Load stage: walks `content/`, splits and parses front matter, reads `units.yaml`.
//! Knows nothing of the site graph, templates or output. Reports every problem it finds,
//! not only the first.

pub mod front_matter;
pub mod locate;
pub mod source;
pub mod units;
pub mod walk;
pub mod yaml;

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use front_matter::FrontMatter;
use units::{UnitsFile, UnitsSource};

/// One parsed content file.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path relative to `content/`, `/`-separated: `actions/youth/02-basic.md`.
    pub rel: String,
    /// Path as shown in messages, relative to the site root: `content/actions/youth/02-basic.md`.
    pub file: String,
    pub front: FrontMatter,
    /// The raw front-matter YAML, kept to locate keys in later diagnostics.
    pub front_matter_src: String,
    /// Line of the first front-matter line.
    pub front_matter_line: usize,
    /// The Markdown body (LF line ends, no BOM).
    pub body: String,
    /// Line of the first body line.
    pub body_line: usize,
}

impl SourcePage {
    /// The line of a front-matter key, by its path (`date`, `targets.0.by`); the front
    /// matter's first line if it has no such key. For diagnostics found after parsing.
    pub fn line_of(&self, path: &str) -> usize {
        locate::YamlPositions::new(&self.front_matter_src, self.front_matter_line)
            .find(&[path])
            .line
    }
}

/// Everything read from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Sorted by `rel`.
    pub pages: Vec<SourcePage>,
    /// Non-Markdown files, relative to `content/`, sorted.
    pub assets: Vec<String>,
    /// The unit registry (empty when there is no `units.yaml`).
    pub units: UnitsFile,
    /// Its file and text, for the lines of later problems.
    pub units_source: UnitsSource,
}

/// Parses one content file from its bytes.
pub fn parse_page(rel: &str, bytes: Vec<u8>) -> Result<SourcePage, Diagnostic> {
    let file = format!("content/{rel}");
    let text = source::decode(bytes, &file)?;
    let split = source::split(&text, &file)?;
    let front: FrontMatter = yaml::parse(
        split.front_matter,
        &file,
        split.front_matter_line,
        "front matter",
    )?;
    if front.title.trim().is_empty() {
        return Err(Diagnostic::error("the title is empty")
            .in_file(&file)
            .at_line(
                locate::YamlPositions::new(split.front_matter, split.front_matter_line)
                    .find(&["title"])
                    .line,
            )
            .with_hint("write the page's title after `title:`"));
    }
    Ok(SourcePage {
        rel: rel.to_string(),
        front,
        front_matter_src: split.front_matter.to_string(),
        front_matter_line: split.front_matter_line,
        body: split.body.to_string(),
        body_line: split.body_line,
        file,
    })
}

/// Loads the whole `content/` folder of the site at `root`, in parallel.
pub fn load(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let dir = walk::content_dir(root);
    if !dir.is_dir() {
        return Err(vec![
            Diagnostic::error(format!("no content/ folder in {}", root.display())).with_hint(
                "run the command in the site's folder (or pass --root DIR), or create a new site with `site init DIR`",
            ),
        ]);
    }
    let files = walk::walk(&dir, "content")?;
    let results: Vec<Result<SourcePage, Diagnostic>> = files
        .pages
        .par_iter()
        .map(|rel| {
            let bytes = std::fs::read(dir.join(rel)).map_err(|e| {
                Diagnostic::error(format!("cannot read file: {e}"))
                    .in_file(format!("content/{rel}"))
            })?;
            parse_page(rel, bytes)
        })
        .collect();
    let mut errors = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(d) => errors.push(d),
        }
    }
    let (units, units_source) = match &files.units {
        Some(rel) => match units::load(&dir.join(rel), &format!("content/{rel}")) {
            Ok(u) => u,
            Err(d) => {
                errors.push(d);
                Default::default()
            }
        },
        None => Default::default(),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Loaded {
        pages,
        assets: files.assets,
        units,
        units_source,
    })
}
