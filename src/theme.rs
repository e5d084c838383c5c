//! Themes: where templates and static files come from. A site uses `themes/<theme>/` under
//! its root; the default theme is also compiled into the binary, so a site made by
//! `site init` builds without a copy of it. A site's own `templates/` and `static/` folders
//! override the theme's files of the same name.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::Diagnostic;
use crate::load::walk::{is_ignored, rel_slash};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a file's bytes are.
#[derive(Debug, Clone)]
pub enum Origin {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

impl Origin {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Origin::Disk(p) => std::fs::read(p),
            Origin::Embedded(b) => Ok(b.to_vec()),
        }
    }
}

/// A file of a theme or site folder.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Relative to `templates/` or `static/`, `/`-separated: `partials/nav.html`.
    pub rel: String,
    /// As shown in messages: `themes/default/templates/page.html`.
    pub shown: String,
    pub origin: Origin,
}

/// The files a build takes from the theme and the site's overrides.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// Templates, site overrides replacing theme files of the same name; sorted by `rel`.
    pub templates: Vec<ThemeFile>,
    /// Static files, site overrides replacing theme files of the same name; sorted by `rel`.
    pub statics: Vec<ThemeFile>,
}

fn disk_files(dir: &Path, shown_prefix: &str) -> Result<Vec<ThemeFile>, Diagnostic> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            Diagnostic::error(format!("cannot read {shown_prefix}: {e}"))
                .in_file(shown_prefix.trim_end_matches('/'))
        })?;
        if entry.file_type().is_file() {
            let rel = rel_slash(entry.path(), dir);
            out.push(ThemeFile {
                shown: format!("{shown_prefix}{rel}"),
                rel,
                origin: Origin::Disk(entry.path().to_path_buf()),
            });
        }
    }
    Ok(out)
}

fn embedded_files(sub: &str) -> Vec<ThemeFile> {
    fn collect(dir: &'static Dir<'static>, base: &str, out: &mut Vec<ThemeFile>) {
        for f in dir.files() {
            let full = f.path().to_string_lossy().replace('\\', "/");
            let rel = full.strip_prefix(base).unwrap_or(&full).to_string();
            if rel.split('/').any(is_ignored) {
                continue;
            }
            out.push(ThemeFile {
                shown: format!("(built-in) themes/default/{full}"),
                rel,
                origin: Origin::Embedded(f.contents()),
            });
        }
        for d in dir.dirs() {
            collect(d, base, out);
        }
    }
    let mut out = Vec::new();
    if let Some(d) = DEFAULT_THEME.get_dir(sub) {
        collect(d, &format!("{sub}/"), &mut out);
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// Replaces files of `base` by those of `over` with the same `rel`.
fn overlay(base: Vec<ThemeFile>, over: Vec<ThemeFile>) -> Vec<ThemeFile> {
    let mut map: std::collections::BTreeMap<String, ThemeFile> =
        base.into_iter().map(|f| (f.rel.clone(), f)).collect();
    for f in over {
        map.insert(f.rel.clone(), f);
    }
    map.into_values().collect()
}

/// Collects the theme's files for the site at `root`.
pub fn files(root: &Path, theme: &str) -> Result<ThemeFiles, Diagnostic> {
    let dir = root.join("themes").join(theme);
    let (templates, statics) = if dir.is_dir() {
        (
            disk_files(
                &dir.join("templates"),
                &format!("themes/{theme}/templates/"),
            )?,
            disk_files(&dir.join("static"), &format!("themes/{theme}/static/"))?,
        )
    } else if theme == "default" {
        (embedded_files("templates"), embedded_files("static"))
    } else {
        return Err(Diagnostic::error(format!(
            "theme '{theme}' not found: no folder themes/{theme}"
        ))
        .in_file(crate::config::FILE)
        .with_hint("set `theme: default` in site.yaml, or add the theme's folder under themes/"));
    };
    Ok(ThemeFiles {
        templates: overlay(
            templates,
            disk_files(&root.join("templates"), "templates/")?,
        ),
        statics: overlay(statics, disk_files(&root.join("static"), "static/")?),
    })
}

/// The built-in default theme's files (for `site init` and tests).
pub fn builtin_default() -> ThemeFiles {
    ThemeFiles {
        templates: embedded_files("templates"),
        statics: embedded_files("static"),
    }
}
