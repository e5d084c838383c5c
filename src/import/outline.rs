//! The outline of a plan: headings of the five official levels — `一、`, `（一）`, `1.`/`1．`/
//! `1、`, `（1）`, `①` — in full- or half-width, with or without spaces, and the paragraphs
//! under each. A heading line either is a title (`（一）加强组织领导`) or starts with one
//! (`1.提升基础教育阶段科学教育水平。完善…`): the first sentence is the title, the rest is text.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::Line;
use super::metadata::cn_number;
use super::report::{Doubt, DoubtKind};

/// A heading recognised at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 = `一、`, 2 = `（一）`, 3 = `1.`, 4 = `（1）`, 5 = `①`.
    pub level: u8,
    /// The numeral's value (一 → 1).
    pub value: u32,
    /// The numeral as written (`一`, `1`).
    pub numeral: String,
    /// The text after the numeral.
    pub rest: String,
}

static LEVELS: LazyLock<[Regex; 5]> = LazyLock::new(|| {
    [
        r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*(\S.*)$",
        r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*[、．.]?\s*(\S.*)$",
        r"^(\d{1,2})\s*[.．、]\s*(\S.*)$",
        r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、．.]?\s*(\S.*)$",
        r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(\S.*)$",
    ]
    .map(|p| Regex::new(p).expect("static heading pattern"))
});

/// Recognises a heading at the start of a line.
pub fn parse_heading(text: &str) -> Option<Heading> {
    for (i, re) in LEVELS.iter().enumerate() {
        let Some(c) = re.captures(text) else { continue };
        let numeral = c[1].to_owned();
        let rest = c[2].trim().to_owned();
        let level = i as u8 + 1;
        let value = match level {
            1 | 2 => cn_number(&numeral),
            3 | 4 => {
                // `2.0` or `1.5倍` is a number, not a heading.
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    return None;
                }
                numeral.parse().unwrap_or(0)
            }
            _ => numeral
                .chars()
                .next()
                .map_or(0, |c| c as u32 - '①' as u32 + 1),
        };
        if value == 0 {
            return None;
        }
        return Some(Heading {
            level,
            value,
            numeral,
            rest,
        });
    }
    None
}

/// A paragraph with its source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub line: usize,
    pub text: String,
}

/// A heading with its text and sub-headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub level: u8,
    pub value: u32,
    pub numeral: String,
    pub title: String,
    /// Source line of the heading.
    pub line: usize,
    /// Text under the heading before its first sub-heading (including the rest of the
    /// heading line after the title sentence).
    pub paras: Vec<Para>,
    pub children: Vec<Node>,
}

impl Node {
    /// All text of the node and its descendants, in order, as paragraphs (sub-headings
    /// become paragraphs that start with their numeral).
    pub fn all_paras(&self) -> Vec<Para> {
        let mut out = self.paras.clone();
        for c in &self.children {
            out.push(Para {
                line: c.line,
                text: format!("{}{}", c.marker(), c.title),
            });
            out.extend(c.all_paras());
        }
        out
    }

    /// The numeral as printed in the document: `一、`, `（一）`, `1.`, `（1）`, `①`.
    pub fn marker(&self) -> String {
        match self.level {
            1 => format!("{}、", self.numeral),
            2 => format!("（{}）", self.numeral),
            3 => format!("{}.", self.numeral),
            4 => format!("（{}）", self.numeral),
            _ => self.numeral.clone(),
        }
    }
}

/// The whole plan body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Text before the first heading.
    pub preamble: Vec<Para>,
    /// Top-level headings (usually `一、`).
    pub chapters: Vec<Node>,
    /// Attachments named in the text (附件：…), which the text itself does not contain.
    pub attachments: Vec<Para>,
}

static ATTACHMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^附件\s*\d*\s*[：:]\s*(.+)$").expect("static pattern"));

/// Builds the outline from the plan body's lines.
pub fn build(lines: &[Line], doubts: &mut Vec<Doubt>) -> Outline {
    let mut outline = Outline::default();
    let mut stack: Vec<Node> = Vec::new();
    for line in lines {
        if let Some(c) = ATTACHMENT.captures(&line.text) {
            doubts.push(Doubt::new(
                line.no,
                DoubtKind::Structure,
                format!(
                    "attachment `{}` is named but its text is not in the file; not imported",
                    &c[1]
                ),
            ));
            outline.attachments.push(Para {
                line: line.no,
                text: c[1].to_owned(),
            });
            continue;
        }
        if let Some(h) = parse_heading(&line.text) {
            while stack.last().is_some_and(|top| top.level >= h.level) {
                close(&mut stack, &mut outline);
            }
            let (mut title, rest) = split_title(&h.rest);
            if title.is_empty() {
                // `2．。` or `（三）` alone: the page still needs a title.
                title = UNTITLED.to_owned();
                doubts.push(Doubt::new(
                    line.no,
                    DoubtKind::Structure,
                    "heading has no title; the page is called 无标题: write its title",
                ));
            }
            if title.chars().count() > 60 {
                doubts.push(Doubt::new(
                    line.no,
                    DoubtKind::Structure,
                    "heading has no short title sentence; the whole first sentence is used as title",
                ));
            }
            let mut node = Node {
                level: h.level,
                value: h.value,
                numeral: h.numeral,
                title,
                line: line.no,
                paras: Vec::new(),
                children: Vec::new(),
            };
            if let Some(rest) = rest {
                node.paras.push(Para {
                    line: line.no,
                    text: rest,
                });
            }
            stack.push(node);
        } else {
            let para = Para {
                line: line.no,
                text: line.text.clone(),
            };
            match stack.last_mut() {
                Some(top) => top.paras.push(para),
                None => outline.preamble.push(para),
            }
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut outline);
    }
    check_numbering(&outline.chapters, doubts);
    outline
}

fn close(stack: &mut Vec<Node>, outline: &mut Outline) {
    if let Some(node) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => outline.chapters.push(node),
        }
    }
}

/// The title given to a heading that has none.
pub const UNTITLED: &str = "无标题";

/// Splits a heading's text into its title and the text after it. Punctuation right after
/// the heading number (`2．。设立…`) is not a sentence of its own.
pub fn split_title(rest: &str) -> (String, Option<String>) {
    let rest = rest
        .trim()
        .trim_start_matches(['。', '：', '，', '、', '；', ':', ',', ';'])
        .trim();
    let cut = rest.find('。').or_else(|| {
        rest.find('：')
            .filter(|&i| rest[..i].chars().count() <= 30 && i + '：'.len_utf8() < rest.len())
    });
    match cut {
        Some(i) => {
            let sep = rest[i..].chars().next().map_or(0, char::len_utf8);
            let title = rest[..i].trim().to_owned();
            let after = rest[i + sep..].trim();
            (title, (!after.is_empty()).then(|| after.to_owned()))
        }
        None => (rest.to_owned(), None),
    }
}

fn check_numbering(nodes: &[Node], doubts: &mut Vec<Doubt>) {
    let mut expected: std::collections::HashMap<u8, u32> = std::collections::HashMap::new();
    for n in nodes {
        let want = expected.entry(n.level).or_insert(1);
        if n.value != *want {
            doubts.push(Doubt::new(
                n.line,
                DoubtKind::Numbering,
                format!(
                    "heading {} follows number {} at this level; check for a missing or misnumbered heading",
                    n.marker(),
                    *want - 1
                ),
            ));
        }
        *want = n.value + 1;
        check_numbering(&n.children, doubts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_styles() {
        for (text, level, value) in [
            ("一、总体要求", 1, 1),
            ("十二、附则", 1, 12),
            ("（一）加强组织领导", 2, 1),
            ("(二) 完善协作机制", 2, 2),
            ("（三）、强化监督", 2, 3),
            ("1.将弘扬科学精神", 3, 1),
            ("2．提升基础教育", 3, 2),
            ("3、推进高等教育", 3, 3),
            ("4 . 实施", 3, 4),
            ("（1）青少年", 4, 1),
            ("(2)农民", 4, 2),
            ("③老年人", 5, 3),
        ] {
            let h = parse_heading(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((h.level, h.value), (level, value), "{text}");
        }
        for text in [
            "2.0版本上线",
            "2025年完成",
            "十四五期间",
            "（牵头单位：市科协）",
            "一是加强",
        ] {
            assert_eq!(parse_heading(text), None, "{text}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            split_title("突出科学精神。弘扬科学精神。"),
            ("突出科学精神".into(), Some("弘扬科学精神。".into()))
        );
        assert_eq!(split_title("加强组织领导"), ("加强组织领导".into(), None));
        // Found by fuzzing: punctuation right after the number gave an empty title.
        assert_eq!(
            split_title("。设科普场馆。到2024年"),
            ("设科普场馆".into(), Some("到2024年".into()))
        );
        assert_eq!(split_title("。"), (String::new(), None));
        assert_eq!(split_title("加强组织领导。"), ("加强组织领导".into(), None));
        assert_eq!(
            split_title("总体目标：到2025年，比例达到15%"),
            ("总体目标".into(), Some("到2025年，比例达到15%".into()))
        );
    }

    #[test]
    fn tree_and_numbering() {
        let lines: Vec<Line> = [
            "前言。",
            "一、甲",
            "（一）乙",
            "1.丙。正文",
            "3.丁",
            "二、戊",
            "正文二",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| Line {
            no: i + 1,
            text: (*t).into(),
        })
        .collect();
        let mut d = Vec::new();
        let o = build(&lines, &mut d);
        assert_eq!(o.preamble.len(), 1);
        assert_eq!(o.chapters.len(), 2);
        assert_eq!(o.chapters[0].children[0].children.len(), 2);
        assert_eq!(o.chapters[0].children[0].children[0].paras[0].text, "正文");
        assert_eq!(o.chapters[1].paras[0].text, "正文二");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 5);
    }
}
