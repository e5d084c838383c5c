//! From outline to pages: decides what each part of the plan becomes in the content tree of
//! SPEC.md, by the wording of its headings, not by its position, so that plans which order
//! or name their chapters differently still import:
//!
//! | chapter title has                 | becomes                                          |
//! |-----------------------------------|--------------------------------------------------|
//! | 总体要求, 指导思想, 目标          | the body of `_index.md` (kind overview); its targets are key figures |
//! | 原则                              | `principles/_index.md` + one page per principle   |
//! | 组织实施, 保障措施, 保障机制…     | `implementation/_index.md` + one page per part    |
//! | anything with numbered sub-items  | sections: `actions/<slug>/` (行动, 计划) or `projects/<slug>/` (工程), one task page per item |
//! | anything else                     | a folder or page named by the pinyin of its title |
//!
//! Tasks get `number` (`三(一)2`), `order`, `audience` (for 人群 actions), `lead_units` and
//! `units` from their attribution, and `targets` from their text.

use std::path::PathBuf;

use super::attribution::{self, Convention};
use super::metadata::Head;
use super::outline::{Node, Outline, Para};
use super::report::{Doubt, DoubtKind};
use super::slug;
use super::targets;
use super::units::UnitBook;
use crate::load::front_matter::{FrontMatter, Kind, Target};
use crate::load::units::UnitsFile;

/// One page to write.
#[derive(Debug, Clone, PartialEq)]
pub struct PageDraft {
    /// Path relative to the output folder, `/`-separated, ASCII.
    pub path: PathBuf,
    pub front: FrontMatter,
    /// Markdown body.
    pub body: String,
}

/// The imported plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub pages: Vec<PageDraft>,
    pub units: UnitsFile,
}

const OVERVIEW_WORDS: &[&str] = &[
    "总体要求",
    "指导思想",
    "总体目标",
    "主要目标",
    "发展目标",
    "工作目标",
    "总体思路",
    "目标要求",
];
const PRINCIPLE_WORDS: &[&str] = &["原则"];
const IMPLEMENTATION_WORDS: &[&str] = &[
    "组织实施",
    "保障措施",
    "组织保障",
    "保障机制",
    "实施保障",
    "工作要求",
    "组织领导",
    "工作保障",
];

fn has_any(title: &str, words: &[&str]) -> bool {
    words.iter().any(|w| title.contains(w))
}

/// A page whose units are still raw tokens; resolved once the whole document is read.
struct Pending {
    page: PageDraft,
    lead_raw: Vec<String>,
    units_raw: Vec<String>,
    attribution_line: usize,
}

struct Builder<'a> {
    pages: Vec<Pending>,
    convention: Convention,
    doubts: &'a mut Vec<Doubt>,
    used_folders: slug::UniqueNames,
}

/// Builds every page of the plan.
pub fn build(head: &Head, outline: &Outline, doubts: &mut Vec<Doubt>) -> Plan {
    let mut b = Builder {
        pages: Vec::new(),
        convention: Convention::default(),
        doubts,
        used_folders: slug::UniqueNames::default(),
    };
    let title = head
        .title
        .clone()
        .or_else(|| outline.chapters.first().map(|c| c.title.clone()))
        .unwrap_or_else(|| "未命名文件".to_owned());

    // The overview: preamble + overview chapters.
    let mut body = paragraphs(&outline.preamble);
    let mut overview_paras = outline.preamble.clone();
    let mut key_targets = Vec::new();
    for chapter in &outline.chapters {
        if !has_any(&chapter.title, OVERVIEW_WORDS) {
            continue;
        }
        push_block(&mut body, &format!("## {}", chapter.title));
        let paras = chapter.paras.clone();
        push_block(&mut body, &paragraphs(&paras));
        key_targets.extend(paras.iter().cloned());
        for child in &chapter.children {
            if has_any(&child.title, PRINCIPLE_WORDS) {
                b.principles(child, &chapter_number(chapter));
                continue;
            }
            push_block(&mut body, &format!("### {}", child.title));
            let all = child.all_paras();
            push_block(&mut body, &paragraphs(&all));
            key_targets.extend(all);
        }
        overview_paras.extend(chapter.paras.iter().cloned());
    }
    let mut targets = to_targets(targets::extract(&key_targets, b.doubts), "overview");
    for t in &mut targets {
        t.key = true;
    }
    let overview = PageDraft {
        path: PathBuf::from("_index.md"),
        front: FrontMatter {
            title,
            kind: Kind::Overview,
            targets,
            document: head.meta.clone(),
            date: head.meta.published.clone(),
            ..FrontMatter::default()
        },
        body,
    };
    b.pages.push(Pending {
        page: overview,
        lead_raw: Vec::new(),
        units_raw: Vec::new(),
        attribution_line: 0,
    });

    for (i, chapter) in outline.chapters.iter().enumerate() {
        let order = i as i64 + 1;
        if has_any(&chapter.title, OVERVIEW_WORDS) {
            continue;
        } else if has_any(&chapter.title, PRINCIPLE_WORDS) {
            b.principles(chapter, "");
        } else if has_any(&chapter.title, IMPLEMENTATION_WORDS) {
            b.document_part(chapter, "implementation", order);
        } else if chapter.children.iter().any(|c| !c.children.is_empty())
            || !chapter.children.is_empty() && is_task_list(chapter)
        {
            b.work_chapter(chapter, order);
        } else {
            let folder = b.unique_folder(&slug::section_slug(&chapter.title, None));
            b.document_part(chapter, &folder, order);
        }
    }
    b.finish()
}

/// True when a chapter's items read as tasks (attributions at their ends, or a title that
/// names actions or projects).
fn is_task_list(chapter: &Node) -> bool {
    has_any(&chapter.title, &["任务", "行动", "工程", "举措", "计划"])
        || chapter.children.iter().any(|c| {
            c.paras
                .last()
                .is_some_and(|p| attribution::find(&p.text).is_some())
        })
}

fn chapter_number(n: &Node) -> String {
    n.numeral.clone()
}

fn push_block(body: &mut String, block: &str) {
    if block.is_empty() {
        return;
    }
    if !body.is_empty() {
        body.push_str("\n\n");
    }
    body.push_str(block);
}

/// Paragraphs as Markdown text.
fn paragraphs(paras: &[Para]) -> String {
    paras
        .iter()
        .map(|p| escape_markdown(&p.text))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Escapes the ASCII characters Markdown would read as syntax.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let at_start = i == 0;
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
        ) || (at_start && matches!(c, '#' | '+' | '-' | '='))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Body of a node: its paragraphs, then each sub-heading as a Markdown heading.
fn node_body(node: &Node, depth: usize) -> String {
    let mut body = paragraphs(&node.paras);
    for c in &node.children {
        let hashes = "#".repeat((depth + 2).min(6));
        push_block(
            &mut body,
            &format!("{hashes} {}{}", c.marker(), escape_markdown(&c.title)),
        );
        push_block(&mut body, &node_body(c, depth + 1));
    }
    body
}

/// Targets found in text, with ids `<prefix>-<k>`.
fn to_targets(found: Vec<targets::Found>, prefix: &str) -> Vec<Target> {
    found
        .into_iter()
        .enumerate()
        .map(|(k, f)| Target {
            id: format!("{prefix}-{}", k + 1),
            label: f.label,
            value: f.value,
            unit: f.unit,
            by: f.by,
            cmp: f.cmp,
            per: f.per,
            baseline: None,
            progress: Vec::new(),
            key: false,
        })
        .collect()
}

/// The 人群 of a 人群 action: 青少年科学素质提升行动 → 青少年.
fn audience_of(title: &str) -> Option<String> {
    for suffix in [
        "科学素质提升行动",
        "科学素质行动",
        "科学素质提升工程",
        "科学素养提升行动",
    ] {
        if let Some(a) = title.strip_suffix(suffix) {
            let a = a.strip_prefix("实施").unwrap_or(a);
            if (1..=12).contains(&a.chars().count()) {
                return Some(a.to_owned());
            }
        }
    }
    None
}

impl Builder<'_> {
    fn unique_folder(&mut self, want: &str) -> String {
        self.used_folders.unique(want)
    }

    fn push_page(&mut self, page: PageDraft) {
        self.pages.push(Pending {
            page,
            lead_raw: Vec::new(),
            units_raw: Vec::new(),
            attribution_line: 0,
        });
    }

    /// `principles/`: an index with the chapter's own text, one page per principle.
    fn principles(&mut self, node: &Node, parent_number: &str) {
        let folder = self.unique_folder("principles");
        let number = format!("{parent_number}{}", number_part(node, parent_number));
        self.push_page(PageDraft {
            path: PathBuf::from(format!("{folder}/_index.md")),
            front: FrontMatter {
                title: node.title.clone(),
                number: Some(number.clone()),
                order: Some(node.value as i64),
                ..FrontMatter::default()
            },
            body: paragraphs(&node.paras),
        });
        // Principles as sub-headings, or as ——-led paragraphs.
        let items: Vec<(String, Vec<Para>, u32, usize)> = if node.children.is_empty() {
            node.paras
                .iter()
                .filter_map(|p| p.text.strip_prefix("——").map(|t| (p, t)))
                .enumerate()
                .map(|(k, (p, t))| {
                    let (title, rest) = super::outline::split_title(t);
                    let paras = rest
                        .map(|r| {
                            vec![Para {
                                line: p.line,
                                text: r,
                            }]
                        })
                        .unwrap_or_default();
                    (title, paras, k as u32 + 1, p.line)
                })
                .collect()
        } else {
            node.children
                .iter()
                .map(|c| {
                    let mut paras = c.paras.clone();
                    for g in &c.children {
                        paras.extend(g.all_paras());
                    }
                    (c.title.clone(), paras, c.value, c.line)
                })
                .collect()
        };
        if !node.children.is_empty() || !items.is_empty() {
            // The index repeats nothing the principle pages say.
            if let Some(index) = self.pages.last_mut()
                && node.children.is_empty()
            {
                index.page.body = paragraphs(
                    &node
                        .paras
                        .iter()
                        .filter(|p| !p.text.starts_with("——"))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
        }
        for (title, paras, order, _) in items {
            let id_prefix = format!("principle-{order}");
            let targets = to_targets(targets::extract(&paras, self.doubts), &id_prefix);
            self.push_page(PageDraft {
                path: PathBuf::from(format!("{folder}/{}.md", slug::page_slug(order, &title))),
                front: FrontMatter {
                    title,
                    kind: Kind::Principle,
                    number: Some(format!("{number}({})", to_cn(order))),
                    order: Some(order as i64),
                    targets,
                    ..FrontMatter::default()
                },
                body: paragraphs(&paras),
            });
        }
    }

    /// A part of the document that is neither task nor principle (组织实施, 附则): an index
    /// page with its text and one page per sub-heading.
    fn document_part(&mut self, chapter: &Node, folder: &str, order: i64) {
        let folder = if folder == "implementation" {
            self.unique_folder(folder)
        } else {
            folder.to_owned()
        };
        let number = chapter.numeral.clone();
        let paras = chapter.paras.clone();
        let targets = to_targets(targets::extract(&paras, self.doubts), &folder);
        self.push_page(PageDraft {
            path: PathBuf::from(format!("{folder}/_index.md")),
            front: FrontMatter {
                title: chapter.title.clone(),
                number: Some(number.clone()),
                order: Some(order),
                targets,
                ..FrontMatter::default()
            },
            body: paragraphs(&paras),
        });
        for child in &chapter.children {
            let all = child.all_paras();
            let id_prefix = format!("{folder}-{}", child.value);
            let targets = to_targets(targets::extract(&all, self.doubts), &id_prefix);
            self.push_page(PageDraft {
                path: PathBuf::from(format!(
                    "{folder}/{}.md",
                    slug::page_slug(child.value, &child.title)
                )),
                front: FrontMatter {
                    title: child.title.clone(),
                    number: Some(format!("{number}{}", number_part(child, &number))),
                    order: Some(child.value as i64),
                    targets,
                    ..FrontMatter::default()
                },
                body: node_body(child, 0),
            });
        }
    }

    /// A chapter of actions or projects.
    fn work_chapter(&mut self, chapter: &Node, order: i64) {
        let chapter_kind = if chapter.title.contains("工程") {
            Kind::Project
        } else {
            Kind::Action
        };
        let group = |k: Kind| {
            if k == Kind::Project {
                "projects"
            } else {
                "actions"
            }
        };
        let nested = chapter.children.iter().any(|c| !c.children.is_empty());
        if !nested {
            // The chapter itself is one section whose items are tasks.
            let folder = self.unique_folder(group(chapter_kind));
            self.section(
                chapter,
                chapter_kind,
                &folder,
                &chapter.numeral,
                Some(order),
            );
            return;
        }
        let folder = self.unique_folder(group(chapter_kind));
        self.push_page(PageDraft {
            path: PathBuf::from(format!("{folder}/_index.md")),
            front: FrontMatter {
                title: chapter.title.clone(),
                number: Some(chapter.numeral.clone()),
                order: Some(order),
                ..FrontMatter::default()
            },
            body: paragraphs(&chapter.paras),
        });
        let mut used = slug::UniqueNames::default();
        for child in &chapter.children {
            let kind = if child.title.contains("工程") {
                Kind::Project
            } else if has_any(&child.title, &["行动", "计划"]) {
                Kind::Action
            } else {
                chapter_kind
            };
            let audience = (kind == Kind::Action)
                .then(|| audience_of(&child.title))
                .flatten();
            let name = used.unique(&slug::section_slug(&child.title, audience.as_deref()));
            let number = format!("{}({})", chapter.numeral, child.numeral);
            self.section(child, kind, &format!("{folder}/{name}"), &number, None);
        }
    }

    /// One action or project: `_index.md` and a page per numbered item.
    fn section(&mut self, node: &Node, kind: Kind, folder: &str, number: &str, order: Option<i64>) {
        let audience: Vec<String> = (kind == Kind::Action)
            .then(|| audience_of(&node.title))
            .flatten()
            .into_iter()
            .collect();
        let id_base = folder.rsplit('/').next().unwrap_or(folder).to_owned();
        let paras = node.paras.clone();
        let targets = to_targets(targets::extract(&paras, self.doubts), &id_base);
        self.push_page(PageDraft {
            path: PathBuf::from(format!("{folder}/_index.md")),
            front: FrontMatter {
                title: node.title.clone(),
                kind,
                number: Some(number.to_owned()),
                order: order.or(Some(node.value as i64)),
                audience: audience.clone(),
                targets,
                ..FrontMatter::default()
            },
            body: paragraphs(&paras),
        });
        for task in &node.children {
            let task_number = format!("{number}{}", number_part(task, number));
            let mut paras = task.all_paras();
            let mut lead_raw = Vec::new();
            let mut units_raw = Vec::new();
            let mut attribution_line = task.line;
            let mut found_any = false;
            for p in &mut paras {
                let Some(found) = attribution::find(&p.text) else {
                    continue;
                };
                let Some(parsed) = attribution::parse(&found.content, &mut self.convention) else {
                    continue;
                };
                found_any = true;
                attribution_line = p.line;
                if found.unclosed {
                    self.doubts.push(Doubt::new(
                        p.line,
                        DoubtKind::ParenthesisFixed,
                        format!(
                            "closing parenthesis missing after `（{}`; added",
                            found.content
                        ),
                    ));
                }
                if parsed.lead.is_empty() {
                    self.doubts.push(Doubt::new(
                        p.line,
                        DoubtKind::Attribution,
                        format!("task {task_number} names no lead unit (牵头单位)"),
                    ));
                }
                lead_raw.extend(parsed.lead);
                units_raw.extend(parsed.units);
                p.text.truncate(found.start);
                p.text = p.text.trim_end().to_owned();
            }
            if !found_any {
                self.doubts.push(Doubt::new(
                    task.line,
                    DoubtKind::Attribution,
                    format!("task {task_number} has no attribution (牵头单位/责任单位)"),
                ));
            }
            paras.retain(|p| !p.text.is_empty());
            let id_prefix = format!("{id_base}-{}", task.value);
            let targets = to_targets(targets::extract(&paras, self.doubts), &id_prefix);
            let mut body = paragraphs(&task.paras_without_children(&paras));
            for c in &task.children {
                push_block(
                    &mut body,
                    &format!("### {}{}", c.marker(), escape_markdown(&c.title)),
                );
                push_block(&mut body, &node_body(c, 1));
            }
            self.pages.push(Pending {
                page: PageDraft {
                    path: PathBuf::from(format!(
                        "{folder}/{}.md",
                        slug::page_slug(task.value, &task.title)
                    )),
                    front: FrontMatter {
                        title: task.title.clone(),
                        kind: Kind::Task,
                        number: Some(task_number.clone()),
                        order: Some(task.value as i64),
                        audience: audience.clone(),
                        targets,
                        ..FrontMatter::default()
                    },
                    body,
                },
                lead_raw,
                units_raw,
                attribution_line,
            });
        }
    }

    /// Resolves every page's units through one book, makes target ids unique.
    fn finish(self) -> Plan {
        let doubts = self.doubts;
        let all_tokens: Vec<String> = self
            .pages
            .iter()
            .flat_map(|p| p.lead_raw.iter().chain(&p.units_raw).cloned())
            .collect();
        let mut book = UnitBook::new(all_tokens.iter().map(String::as_str));
        let mut pages = Vec::new();
        let mut ids = slug::UniqueNames::default();
        for mut pending in self.pages {
            let line = pending.attribution_line;
            let mut resolve = |raw: &[String], book: &mut UnitBook| -> Vec<String> {
                let mut out: Vec<String> = Vec::new();
                for token in raw {
                    for name in book.split(token, line, doubts) {
                        let canonical = book.resolve(&name, line, doubts);
                        if !out.contains(&canonical) {
                            out.push(canonical);
                        }
                    }
                }
                out
            };
            let lead = resolve(&pending.lead_raw, &mut book);
            let mut units = resolve(&pending.units_raw, &mut book);
            units.retain(|u| !lead.contains(u));
            pending.page.front.lead_units = lead;
            pending.page.front.units = units;
            for t in &mut pending.page.front.targets {
                t.id = ids.unique(&t.id);
            }
            pages.push(pending.page);
        }
        Plan {
            pages,
            units: book.units_file(),
        }
    }
}

impl Node {
    /// The node's own paragraphs from a rewritten copy of `all_paras()` (attributions
    /// removed), without the paragraphs of sub-headings.
    fn paras_without_children(&self, rewritten: &[Para]) -> Vec<Para> {
        let first_child_line = self.children.first().map_or(usize::MAX, |c| c.line);
        rewritten
            .iter()
            .filter(|p| p.line < first_child_line)
            .cloned()
            .collect()
    }
}

/// `（一）` inside `三` → `(一)`; `1.` inside `三(一)` → `1`.
fn number_part(node: &Node, _parent: &str) -> String {
    match node.level {
        2 | 4 => format!("({})", node.numeral),
        _ => node.numeral.clone(),
    }
}

/// 1 → 一 … 99 → 九十九.
fn to_cn(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "零".to_owned(),
        1..=9 => D[n as usize].to_owned(),
        10..=19 => format!("十{}", D[(n % 10) as usize]),
        _ => format!("{}十{}", D[(n / 10 % 10) as usize], D[(n % 10) as usize]),
    }
}
