//! `site import`: a Chinese policy plan as plain text (often scraped from a government web
//! page) → the content tree of SPEC.md, plus a report of every spot an editor should check.
//!
//! The stages, one file each:
//! [`clean`] (decode, drop web-page chrome, normalise punctuation and damaged years) →
//! [`metadata`] (notice head: 发文字号, 发文机关, dates, plan title, basis documents) →
//! [`outline`] (headings 一、/（一）/1./（1）/① into a tree) →
//! [`plan`] (chapters into overview, principles, actions, projects, tasks, implementation;
//! with [`attribution`] for 牵头/责任单位, [`units`] for names, [`targets`] for 指标,
//! [`slug`] for file names) → [`write`] (serialise through the front-matter schema, write
//! without losing edits) — and [`report`] throughout.

pub mod attribution;
pub mod clean;
pub mod metadata;
pub mod outline;
pub mod plan;
pub mod report;
pub mod slug;
pub mod targets;
pub mod units;
pub mod write;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub use plan::{PageDraft, Plan};
pub use report::{Doubt, DoubtKind, ImportReport};

/// Largest input accepted. Policy plans are tens of kilobytes; a file this big is almost
/// certainly not one.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Why an import failed. Every message says what to do.
#[derive(Debug)]
pub enum ImportError {
    Read {
        path: PathBuf,
        source: io::Error,
    },
    TooLarge {
        path: PathBuf,
        bytes: u64,
    },
    Decode {
        path: PathBuf,
        error: clean::DecodeError,
    },
    NoHeadings {
        path: PathBuf,
    },
    OutNotEmpty(PathBuf),
    OutNotDir(PathBuf),
    Write {
        path: PathBuf,
        source: io::Error,
    },
    Serialize(serde_yaml::Error),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Read { path, source } => {
                write!(f, "{}: cannot read the file: {source}", path.display())
            }
            ImportError::TooLarge { path, bytes } => write!(
                f,
                "{}: the file is {:.1} MB; a policy text is far smaller (limit {} MB). Check that this is the plan's text, not an archive or a whole web site",
                path.display(),
                *bytes as f64 / 1_048_576.0,
                MAX_INPUT_BYTES / 1_048_576
            ),
            ImportError::Decode { path, error } => match error {
                clean::DecodeError::Empty => write!(
                    f,
                    "{}: the file is empty; paste the plan's text into it and import again",
                    path.display()
                ),
                clean::DecodeError::Binary { offset } => write!(
                    f,
                    "{}: this is not a text file (binary data at byte {offset}). Save the plan as plain text (.txt) first; for a .doc/.pdf, copy its text into a .txt file",
                    path.display()
                ),
                clean::DecodeError::Encoding { offset } => write!(
                    f,
                    "{}: the text is neither UTF-8 nor GB18030/GBK (bad byte at {offset}). Save it as UTF-8 and import again",
                    path.display()
                ),
            },
            ImportError::NoHeadings { path } => write!(
                f,
                "{}: no numbered headings found (一、 / （一） / 1.), so the plan's structure cannot be read. Check that this is a policy plan, or add the headings",
                path.display()
            ),
            ImportError::OutNotEmpty(out) => write!(
                f,
                "{}: the folder is not empty; refusing to write into it. Use --force to re-import (files changed since the last import are kept), or choose another --out",
                out.display()
            ),
            ImportError::OutNotDir(out) => write!(
                f,
                "{}: exists and is not a folder; choose another --out",
                out.display()
            ),
            ImportError::Write { path, source } => {
                write!(f, "{}: cannot write: {source}", path.display())
            }
            ImportError::Serialize(e) => write!(f, "internal error serialising front matter: {e}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// The plan read from a text, before anything is written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    pub plan: Plan,
    /// Doubtful spots, in source order.
    pub doubts: Vec<Doubt>,
}

/// Reads a plan from the bytes of a text file. `path` is only used in error messages.
pub fn convert(bytes: &[u8], path: &Path) -> Result<Imported, ImportError> {
    let text = clean::decode(bytes).map_err(|error| ImportError::Decode {
        path: path.to_owned(),
        error,
    })?;
    let mut doubts = Vec::new();
    let lines = clean::strip_chrome(clean::lines(&text), &mut doubts);
    let lines: Vec<clean::Line> = lines
        .into_iter()
        .map(|l| {
            let text = clean::normalize_punct(&l.text);
            let text = clean::fix_year_ranges(&text, l.no, &mut doubts);
            clean::Line { no: l.no, text }
        })
        .collect();
    let head = metadata::split_head(lines, &mut doubts);
    let outline = outline::build(&head.body, &mut doubts);
    if outline.chapters.is_empty() {
        return Err(ImportError::NoHeadings {
            path: path.to_owned(),
        });
    }
    let plan = plan::build(&head, &outline, &mut doubts);
    doubts.sort_by_key(|d| d.line);
    Ok(Imported { plan, doubts })
}

/// `site import`: reads `input`, writes the content tree into `out`. Refuses a non-empty
/// `out` unless `force`; even then keeps every file changed since it was generated.
pub fn run(input: &Path, out: &Path, force: bool) -> Result<ImportReport, ImportError> {
    let read_err = |source| ImportError::Read {
        path: input.to_owned(),
        source,
    };
    let size = std::fs::metadata(input).map_err(read_err)?.len();
    if size > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge {
            path: input.to_owned(),
            bytes: size,
        });
    }
    let bytes = std::fs::read(input).map_err(read_err)?;
    let imported = convert(&bytes, input)?;
    let files = write::render(&imported.plan)?;
    let mut report = ImportReport {
        source: input.to_owned(),
        out: out.to_owned(),
        units: imported.plan.units.units.len(),
        placeholders: imported.plan.units.placeholders.len(),
        targets: imported
            .plan
            .pages
            .iter()
            .map(|p| p.front.targets.len())
            .sum(),
        files: files.iter().map(|(p, _)| PathBuf::from(p)).collect(),
        doubts: imported.doubts,
        ..ImportReport::default()
    };
    for p in &imported.plan.pages {
        *report
            .pages_by_kind
            .entry(p.front.kind.as_str().to_owned())
            .or_default() += 1;
    }
    let source_name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    write::write(out, &files, &source_name, force, &mut report)?;
    Ok(report)
}
