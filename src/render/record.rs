//! [`PageRecord`]: what the search index and the `#anchor` check read of a rendered page,
//! and nothing more. A build keeps one per page from the page's rendering until the index is
//! made, so on a large site every byte here is held through the whole render: the record's
//! short strings (title, breadcrumb, headings, units, targets: some forty a page) are packed
//! into one buffer rather than allocated one by one, and its plain text is the only other
//! allocation.

use crate::load::front_matter::Target;
use crate::markdown::Heading;
use crate::model::policy::format_number;

/// See the module documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRecord {
    /// Plain text of the body (no HTML), blocks separated by newlines.
    pub text: String,
    /// Front-matter kind (`task`, `action`...) or `generated`.
    pub kind: &'static str,
    /// Every other string, in the order of [`Parts`].
    strings: Strings,
    parts: Parts,
}

/// How many strings of each list a record holds, in this order after `path`, `url` and
/// `title`: breadcrumb titles, headings (id and text), 人群, lead units, units, targets (id,
/// label, value, unit).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Parts {
    breadcrumb: u32,
    headings: u32,
    audience: u32,
    lead_units: u32,
    units: u32,
    targets: u32,
}

/// Strings one after another in one buffer, with where each ends.
#[derive(Debug, Clone, PartialEq, Default)]
struct Strings {
    buf: String,
    ends: Vec<u32>,
}

impl Strings {
    fn push(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len() as u32);
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }

    /// Strings `from..from + n`.
    fn range(&self, from: usize, n: u32) -> impl ExactSizeIterator<Item = &str> {
        (from..from + n as usize).map(move |i| self.get(i))
    }
}

/// A target of a page as search shows it (`命名科技教育示范学校 25所`) and `#target-<id>`
/// links name it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordTarget<'a> {
    pub id: &'a str,
    pub label: &'a str,
    /// The value as an editor writes it: `25`, `0.5`.
    pub value: &'a str,
    /// Empty when the target has none.
    pub unit: &'a str,
}

/// The fields of a [`PageRecord`], borrowed, for [`PageRecord::new`].
pub struct RecordFields<'a> {
    /// Site path without base: `/actions/youth/02-basic/`.
    pub path: &'a str,
    /// Link with base path: `/kepu/actions/youth/02-basic/`.
    pub url: &'a str,
    pub title: &'a str,
    pub kind: &'static str,
    /// Titles of the enclosing sections, outermost first; the home page (every page is
    /// under it) left out.
    pub breadcrumb: &'a [&'a str],
    pub headings: &'a [Heading],
    pub audience: &'a [String],
    pub lead_units: &'a [String],
    pub units: &'a [String],
    pub targets: &'a [Target],
}

impl PageRecord {
    /// The record of a page with these fields and plain text.
    pub fn new(f: RecordFields<'_>, text: String) -> Self {
        let mut s = Strings::default();
        s.push(f.path);
        s.push(f.url);
        s.push(f.title);
        for b in f.breadcrumb {
            s.push(b);
        }
        for h in f.headings {
            s.push(&h.id);
            s.push(&h.text);
        }
        for list in [f.audience, f.lead_units, f.units] {
            for name in list {
                s.push(name);
            }
        }
        for t in f.targets {
            s.push(&t.id);
            s.push(&t.label);
            s.push(&format_number(t.value));
            s.push(t.unit.as_deref().unwrap_or_default());
        }
        s.buf.shrink_to_fit();
        s.ends.shrink_to_fit();
        let n = |len: usize| len as u32;
        PageRecord {
            text,
            kind: f.kind,
            strings: s,
            parts: Parts {
                breadcrumb: n(f.breadcrumb.len()),
                headings: n(f.headings.len()),
                audience: n(f.audience.len()),
                lead_units: n(f.lead_units.len()),
                units: n(f.units.len()),
                targets: n(f.targets.len()),
            },
        }
    }

    /// Site path without base: `/actions/youth/02-basic/`.
    pub fn path(&self) -> &str {
        self.strings.get(0)
    }

    /// Link with base path: `/kepu/actions/youth/02-basic/`.
    pub fn url(&self) -> &str {
        self.strings.get(1)
    }

    pub fn title(&self) -> &str {
        self.strings.get(2)
    }

    /// Where each list starts: breadcrumb, headings, 人群, lead units, units, targets.
    fn starts(&self) -> [usize; 6] {
        let p = &self.parts;
        let mut at = 3;
        let mut starts = [0; 6];
        for (i, len) in [
            p.breadcrumb,
            2 * p.headings,
            p.audience,
            p.lead_units,
            p.units,
            4 * p.targets,
        ]
        .into_iter()
        .enumerate()
        {
            starts[i] = at;
            at += len as usize;
        }
        starts
    }

    /// Titles of the enclosing sections, outermost first, the home page left out.
    pub fn breadcrumb(&self) -> impl ExactSizeIterator<Item = &str> {
        self.strings.range(self.starts()[0], self.parts.breadcrumb)
    }

    /// The headings' ids and texts, in page order.
    pub fn headings(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        let from = self.starts()[1];
        (0..self.parts.headings as usize).map(move |i| {
            (
                self.strings.get(from + 2 * i),
                self.strings.get(from + 2 * i + 1),
            )
        })
    }

    /// 人群.
    pub fn audience(&self) -> impl ExactSizeIterator<Item = &str> {
        self.strings.range(self.starts()[2], self.parts.audience)
    }

    /// 牵头单位.
    pub fn lead_units(&self) -> impl ExactSizeIterator<Item = &str> {
        self.strings.range(self.starts()[3], self.parts.lead_units)
    }

    /// 责任单位.
    pub fn units(&self) -> impl ExactSizeIterator<Item = &str> {
        self.strings.range(self.starts()[4], self.parts.units)
    }

    pub fn targets(&self) -> impl ExactSizeIterator<Item = RecordTarget<'_>> {
        let from = self.starts()[5];
        (0..self.parts.targets as usize).map(move |i| {
            let at = from + 4 * i;
            RecordTarget {
                id: self.strings.get(at),
                label: self.strings.get(at + 1),
                value: self.strings.get(at + 2),
                unit: self.strings.get(at + 3),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_reads_back() {
        let heading = |id: &str, text: &str| Heading {
            level: 2,
            id: id.into(),
            text: text.into(),
        };
        let target: Target = serde_yaml::from_str(
            "{id: demo-schools, label: 命名科技教育示范学校, value: 25, unit: 所, by: 2025}",
        )
        .unwrap();
        let bare: Target = serde_yaml::from_str("{id: t2, label: 覆盖率, value: 0.5}").unwrap();
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let r = PageRecord::new(
            RecordFields {
                path: "/actions/youth/02-basic/",
                url: "/kepu/actions/youth/02-basic/",
                title: "提升基础教育阶段科学教育水平",
                kind: "task",
                breadcrumb: &["青少年科学素质提升行动"],
                headings: &[heading("a", "一、总体要求"), heading("", "")],
                audience: &names(&["青少年"]),
                lead_units: &names(&["市教育体育局"]),
                units: &names(&["市科学技术局", "市农牧局"]),
                targets: &[target, bare],
            },
            "正文".into(),
        );
        assert_eq!(r.path(), "/actions/youth/02-basic/");
        assert_eq!(r.url(), "/kepu/actions/youth/02-basic/");
        assert_eq!(r.title(), "提升基础教育阶段科学教育水平");
        assert_eq!(r.kind, "task");
        assert_eq!(r.text, "正文");
        assert_eq!(
            r.breadcrumb().collect::<Vec<_>>(),
            ["青少年科学素质提升行动"]
        );
        assert_eq!(
            r.headings().collect::<Vec<_>>(),
            [("a", "一、总体要求"), ("", "")]
        );
        assert_eq!(r.audience().collect::<Vec<_>>(), ["青少年"]);
        assert_eq!(r.lead_units().collect::<Vec<_>>(), ["市教育体育局"]);
        assert_eq!(r.units().collect::<Vec<_>>(), ["市科学技术局", "市农牧局"]);
        let t: Vec<_> = r.targets().collect();
        assert_eq!(
            t,
            [
                RecordTarget {
                    id: "demo-schools",
                    label: "命名科技教育示范学校",
                    value: "25",
                    unit: "所"
                },
                RecordTarget {
                    id: "t2",
                    label: "覆盖率",
                    value: "0.5",
                    unit: ""
                }
            ]
        );
    }

    #[test]
    fn an_empty_record_has_empty_lists() {
        let r = PageRecord::new(
            RecordFields {
                path: "/search/",
                url: "/search/",
                title: "搜索",
                kind: "generated",
                breadcrumb: &[],
                headings: &[],
                audience: &[],
                lead_units: &[],
                units: &[],
                targets: &[],
            },
            String::new(),
        );
        assert_eq!(r.title(), "搜索");
        assert_eq!(r.breadcrumb().len(), 0);
        assert_eq!(r.headings().len(), 0);
        assert_eq!(r.targets().len(), 0);
    }
}
