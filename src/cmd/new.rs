//! `site new PATH --title T`: a new content page with its front matter filled in.
//!
//! The kind is guessed from where the page goes (a file in an action's or project's folder
//! is a task; a folder's `_index.md` is an action or project like its neighbours), the
//! order is the next free one among its siblings, and the date is written only when given
//! (`--date`), so that the same command always writes the same file. Never overwrites.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use super::{Cli, Outcome};
use crate::load::front_matter::{FrontMatter, Kind};

/// Arguments of `site new`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Where the page goes, under content/, e.g. actions/youth/03-labs (".md" is added)
    pub path: PathBuf,
    /// The page title (front matter `title`)
    #[arg(long)]
    pub title: String,
    /// The kind of page; guessed from the location when left out
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<Kind>,
    /// The page date, YYYY-MM-DD (written only when given)
    #[arg(long, value_parser = parse_date)]
    pub date: Option<String>,
    /// Mark the page as a draft (not published)
    #[arg(long)]
    pub draft: bool,
}

/// A failure of `site new`: how the command ends and what to print.
#[derive(Debug, PartialEq, Eq)]
pub struct NewError {
    pub outcome: Outcome,
    pub message: String,
}

fn usage(message: String) -> NewError {
    NewError {
        outcome: Outcome::Usage,
        message,
    }
}

fn failed(message: String) -> NewError {
    NewError {
        outcome: Outcome::Failed,
        message,
    }
}

/// Runs `site new` and prints the outcome.
pub fn run(cli: &Cli, args: &Args) -> Outcome {
    match create(&cli.root, args) {
        Ok(written) => {
            if !cli.quiet {
                println!("created {}", written.display());
            }
            Outcome::Ok
        }
        Err(e) => {
            eprintln!("{}", e.message);
            e.outcome
        }
    }
}

/// Writes the new page. Returns its path relative to `root` (`content/a/b.md`).
pub fn create(root: &Path, args: &Args) -> Result<PathBuf, NewError> {
    let title = args.title.trim();
    if title.is_empty() {
        return Err(usage(
            "error: the title is empty\nhint: give the page a title: `site new PATH --title 标题`"
                .into(),
        ));
    }
    let rel = page_path(&args.path)?;
    let content = root.join("content");
    if !content.is_dir() {
        return Err(usage(format!(
            "error: there is no content/ folder in {}\n\
             hint: run `site new` in the site's folder, or name it with `--root DIR`",
            root.display()
        )));
    }
    let shown = Path::new("content").join(&rel);
    let file = content.join(&rel);
    let exists = || {
        failed(format!(
            "error: {} already exists; `site new` never overwrites a page\n\
             hint: open that file to edit it, or choose another name",
            shown.display()
        ))
    };
    if file.symlink_metadata().is_ok() {
        return Err(exists());
    }

    let place = Place::of(&content, &rel);
    let front = FrontMatter {
        title: title.to_string(),
        kind: args.kind.unwrap_or_else(|| place.guess_kind()),
        order: place.next_order(),
        date: args.date.clone(),
        draft: args.draft,
        ..FrontMatter::default()
    };
    let text = front
        .to_document("")
        .map_err(|e| failed(format!("error: cannot write the front matter: {e}")))?;

    let io_error =
        |e: std::io::Error| failed(format!("error: cannot write {}: {e}", shown.display()));
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent).map_err(io_error)?;
    }
    // create_new: if someone else wrote the file meanwhile, we still never overwrite it.
    let mut out = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(exists()),
        Err(e) => return Err(io_error(e)),
    };
    out.write_all(text.as_bytes()).map_err(io_error)?;
    Ok(shown)
}

/// Checks PATH and makes it a Markdown file path relative to `content/`.
fn page_path(path: &Path) -> Result<PathBuf, NewError> {
    let bad = |why: &str| {
        usage(format!(
            "error: `{}` cannot be a page path: {why}\n\
             hint: give a path under content/, e.g. `site new actions/youth/03-labs --title 标题`",
            path.display()
        ))
    };
    let mut rel = PathBuf::new();
    for (i, part) in path.components().enumerate() {
        match part {
            Component::Normal(name) => {
                // `content/actions/a.md` from the site folder means `actions/a.md`.
                if i == 0 && name == "content" && path.components().count() > 1 {
                    continue;
                }
                let Some(name) = name.to_str() else {
                    return Err(bad("it is not valid UTF-8"));
                };
                if crate::load::walk::is_ignored(name) {
                    return Err(bad(&format!(
                        "`{name}` looks like a hidden or temporary file, which the site ignores"
                    )));
                }
                rel.push(name);
            }
            Component::CurDir => {}
            Component::ParentDir => return Err(bad("it may not contain `..`")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(bad("it must be relative to content/"));
            }
        }
    }
    if rel.as_os_str().is_empty() {
        return Err(bad("it is empty"));
    }
    if rel.extension().is_none_or(|e| e != "md") {
        let mut name = rel.file_name().unwrap_or_default().to_os_string();
        name.push(".md");
        rel.set_file_name(name);
    }
    Ok(rel)
}

/// Where a new page goes: its folder and its siblings' front matter.
struct Place {
    /// The page is a folder's `_index.md` (a section).
    is_section: bool,
    /// For a page: the kind of its folder's `_index.md`. For a section: none.
    folder_kind: Option<Kind>,
    /// For a section: the name of the folder that holds it (`actions`).
    group_name: String,
    /// Front matter of the siblings: other pages of the folder, or for a section the
    /// `_index.md` of the neighbouring folders.
    siblings: Vec<Peek>,
}

/// The two fields `site new` reads from existing pages. Lenient: a broken sibling must not
/// stop an editor from adding a page.
#[derive(Debug, Default, Deserialize)]
struct Peek {
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    order: Option<i64>,
}

impl Place {
    fn of(content: &Path, rel: &Path) -> Place {
        let file = content.join(rel);
        let folder = file.parent().unwrap_or(content).to_path_buf();
        let is_section = rel.file_name().is_some_and(|n| n == "_index.md");
        if is_section {
            let group = folder.parent().filter(|g| g.starts_with(content));
            let siblings = group
                .map(|g| {
                    sorted_entries(g)
                        .into_iter()
                        .filter(|p| p.is_dir() && *p != folder)
                        .filter_map(|p| peek(&p.join("_index.md")))
                        .collect()
                })
                .unwrap_or_default();
            let group_name = group
                .and_then(|g| g.file_name())
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            Place {
                is_section,
                folder_kind: None,
                group_name,
                siblings,
            }
        } else {
            let siblings = sorted_entries(&folder)
                .into_iter()
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|e| e == "md")
                        && p.file_name().is_some_and(|n| n != "_index.md")
                })
                .filter_map(|p| peek(&p))
                .collect();
            let folder_kind = peek(&folder.join("_index.md")).and_then(|p| p.kind);
            Place {
                is_section,
                folder_kind,
                group_name: String::new(),
                siblings,
            }
        }
    }

    fn guess_kind(&self) -> Kind {
        if self.is_section {
            // Like the neighbouring sections, if they agree on action or project.
            let kinds: Vec<Kind> = self.siblings.iter().filter_map(|s| s.kind).collect();
            for kind in [Kind::Action, Kind::Project] {
                if !kinds.is_empty() && kinds.iter().all(|k| *k == kind) {
                    return kind;
                }
            }
            let name = self.group_name.to_lowercase();
            if name.contains("action") || name.contains("行动") {
                Kind::Action
            } else if name.contains("project") || name.contains("工程") {
                Kind::Project
            } else {
                Kind::Page
            }
        } else {
            match self.folder_kind {
                Some(Kind::Action | Kind::Project) => Kind::Task,
                _ => Kind::Page,
            }
        }
    }

    /// One more than the largest order among the siblings; 1 for the first page of a
    /// folder; none when the siblings are ordered by file name (no order of their own).
    fn next_order(&self) -> Option<i64> {
        let largest = self.siblings.iter().filter_map(|s| s.order).max();
        match largest {
            Some(n) => Some(n.saturating_add(1)),
            None if self.siblings.is_empty() => Some(1),
            None => None,
        }
    }
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// Reads the front matter of a page, split as the build splits it but read leniently (only
/// `kind` and `order`, other keys and errors ignored); `None` when there is none or it is
/// broken.
fn peek(path: &Path) -> Option<Peek> {
    let shown = path.to_string_lossy();
    let text = crate::load::source::decode(fs::read(path).ok()?, &shown).ok()?;
    let split = crate::load::source::split(&text, &shown).ok()?;
    serde_yaml::from_str(split.front_matter).ok()
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    serde_yaml::from_str::<Kind>(s).map_err(|_| {
        "expected one of: overview, principle, action, project, task, page".to_string()
    })
}

fn parse_date(s: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            let num = |p: &str| {
                p.bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| p.parse::<u32>().ok())
                    .flatten()
            };
            matches!(
                (num(y), num(m), num(d)),
                (Some(_), Some(1..=12), Some(1..=31))
            )
        }
        _ => false,
    };
    if ok {
        Ok(s.to_string())
    } else {
        Err("expected a date like 2025-03-01".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(path: &str, title: &str) -> Args {
        Args {
            path: path.into(),
            title: title.into(),
            kind: None,
            date: None,
            draft: false,
        }
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        fs::create_dir_all(c.join("actions/youth")).unwrap();
        fs::create_dir_all(c.join("actions/farmers")).unwrap();
        fs::write(c.join("actions/_index.md"), "---\ntitle: 提升行动\n---\n").unwrap();
        fs::write(
            c.join("actions/youth/_index.md"),
            "---\ntitle: 青少年科学素质提升行动\nkind: action\norder: 1\n---\n",
        )
        .unwrap();
        fs::write(
            c.join("actions/farmers/_index.md"),
            "---\ntitle: 农民科学素质提升行动\nkind: action\norder: 2\n---\n",
        )
        .unwrap();
        fs::write(
            c.join("actions/youth/01-a.md"),
            "---\ntitle: 一\nkind: task\norder: 1\n---\n正文\n",
        )
        .unwrap();
        fs::write(
            c.join("actions/youth/02-b.md"),
            "---\ntitle: 二\nkind: task\norder: 2\nunknown_key: x\n---\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn task_in_action() {
        let dir = site();
        let made = create(
            dir.path(),
            &args("actions/youth/03-labs", "建设科学教育实验室"),
        )
        .unwrap();
        assert_eq!(made, Path::new("content/actions/youth/03-labs.md"));
        let text = fs::read_to_string(dir.path().join(&made)).unwrap();
        assert_eq!(
            text,
            "---\ntitle: 建设科学教育实验室\nkind: task\norder: 3\n---\n"
        );
    }

    #[test]
    fn section_like_its_neighbours() {
        let dir = site();
        let made = create(
            dir.path(),
            &args("content/actions/workers/_index.md", "产业工人"),
        )
        .unwrap();
        let text = fs::read_to_string(dir.path().join(made)).unwrap();
        assert_eq!(text, "---\ntitle: 产业工人\nkind: action\norder: 3\n---\n");
    }

    #[test]
    fn new_folder_by_name_and_flags() {
        let dir = site();
        let mut a = args("projects/media/_index", "科普信息化工程");
        a.date = Some("2023-01-07".into());
        a.draft = true;
        let made = create(dir.path(), &a).unwrap();
        let text = fs::read_to_string(dir.path().join(made)).unwrap();
        assert_eq!(
            text,
            "---\ntitle: 科普信息化工程\nkind: project\norder: 1\ndate: 2023-01-07\ndraft: true\n---\n"
        );
        // What `site new` writes reads back through the build's own loader.
        let page = crate::load::parse_page("projects/media/_index.md", text.into_bytes()).unwrap();
        assert_eq!(page.front.kind, Kind::Project);
        assert!(page.front.draft);
    }

    #[test]
    fn refuses_to_overwrite() {
        let dir = site();
        let before = fs::read(dir.path().join("content/actions/youth/01-a.md")).unwrap();
        let err = create(dir.path(), &args("actions/youth/01-a.md", "x")).unwrap_err();
        assert_eq!(err.outcome, Outcome::Failed);
        assert!(
            err.message
                .contains("content/actions/youth/01-a.md already exists"),
            "{}",
            err.message
        );
        assert_eq!(
            fs::read(dir.path().join("content/actions/youth/01-a.md")).unwrap(),
            before
        );
    }

    #[test]
    fn bad_paths_are_usage_errors() {
        let dir = site();
        for bad in ["../x", "/etc/x", "actions/.hidden", "actions/a.md~", ""] {
            let err = create(dir.path(), &args(bad, "x")).unwrap_err();
            assert_eq!(err.outcome, Outcome::Usage, "{bad}");
        }
        let err = create(dir.path(), &args("a", " ")).unwrap_err();
        assert_eq!(err.outcome, Outcome::Usage);
        let empty = tempfile::tempdir().unwrap();
        let err = create(empty.path(), &args("a", "x")).unwrap_err();
        assert!(err.message.contains("no content/ folder"));
    }

    #[test]
    fn dates_and_kinds() {
        assert!(parse_date("2023-01-07").is_ok());
        for bad in [
            "2023-1-7",
            "2023-13-01",
            "today",
            "2023-01-07x",
            "２０２３-01-07",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_kind("task"), Ok(Kind::Task));
        assert!(parse_kind("tsk").is_err());
    }
}
