//! The front-matter schema of a content page (SPEC.md, "Front matter").
//!
//! These types are the contract between editors, the importer (which writes them) and the
//! loader (which reads them). Every struct denies unknown keys so that a misspelt key is an
//! error; `KNOWN_KEYS` lists the accepted names for did-you-mean suggestions.

use serde::{Deserialize, Serialize};

/// What a page is in the plan's structure.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The document itself: preamble and 总体要求.
    Overview,
    /// A basic principle (基本原则).
    Principle,
    /// A 提升行动 (section).
    Action,
    /// A 重点工程 (section).
    Project,
    /// A numbered task under an action or project.
    Task,
    /// Anything else.
    #[default]
    Page,
}

impl Kind {
    /// The name as written in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Overview => "overview",
            Kind::Principle => "principle",
            Kind::Action => "action",
            Kind::Project => "project",
            Kind::Task => "task",
            Kind::Page => "page",
        }
    }
}

/// How a target's value compares with what must be reached.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub enum Cmp {
    /// 不少于, 以上, 至少.
    #[serde(rename = ">=")]
    AtLeast,
    /// 不超过, 以内.
    #[serde(rename = "<=")]
    AtMost,
    /// Exactly (达到, 左右).
    #[default]
    #[serde(rename = "=")]
    Equal,
}

impl Cmp {
    /// The symbol as written in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::AtLeast => ">=",
            Cmp::AtMost => "<=",
            Cmp::Equal => "=",
        }
    }

    /// The Chinese wording shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Cmp::AtLeast => "不少于",
            Cmp::AtMost => "不超过",
            Cmp::Equal => "达到",
        }
    }
}

/// A starting value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    #[serde(serialize_with = "serialize_number")]
    pub value: f64,
    pub year: i32,
}

/// One reported value of a target, newest last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    #[serde(serialize_with = "serialize_number")]
    pub value: f64,
    /// `YYYY-MM-DD`; required (a value without a date cannot be judged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A quantitative target (指标).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Unique in the site; ASCII, used in URLs and open data.
    pub id: String,
    pub label: String,
    #[serde(serialize_with = "serialize_number")]
    pub value: f64,
    /// Measure word or unit of the value: 所, 人, 人次, %, 场次...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Deadline year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<i32>,
    #[serde(default, skip_serializing_if = "is_default_cmp")]
    pub cmp: Cmp,
    /// Recurring period: 每年, 每学期, 十四五期间...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<Progress>,
    /// Shown among the key figures of the 一图读懂 overview.
    #[serde(default, skip_serializing_if = "is_false")]
    pub key: bool,
}

/// A document referred to as the basis of the plan (制定依据).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasisDocument {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

/// Metadata of a published policy document (公文要素). Used in `site.yaml` and in the
/// front matter of the document's `_index.md`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// 发文字号, e.g. 鄂府发〔2022〕158号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// 发文机关.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// 成文日期, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    /// 发布日期, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// 来源.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 索引号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_number: Option<String>,
    /// The notice's full title as issued (关于印发……的通知).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_title: Option<String>,
    /// Documents the plan is based on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<BasisDocument>,
}

impl DocumentMeta {
    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        *self == DocumentMeta::default()
    }
}

/// The front matter of one content file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default, skip_serializing_if = "is_default_kind")]
    pub kind: Kind,
    /// Where it stands in the source document, e.g. `三(一)2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Sort order among siblings; default: file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    /// 人群.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<String>,
    /// 牵头单位, names from `content/units.yaml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lead_units: Vec<String>,
    /// 责任单位, names from `content/units.yaml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// Document metadata, on the `_index.md` of a policy document.
    #[serde(default, skip_serializing_if = "DocumentMeta::is_empty")]
    pub document: DocumentMeta,
    /// A one-line summary for listings, feeds and search results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub draft: bool,
}

/// Every key `FrontMatter` accepts, for did-you-mean suggestions.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "kind",
    "number",
    "order",
    "audience",
    "lead_units",
    "units",
    "targets",
    "document",
    "summary",
    "date",
    "draft",
];

/// Every key a target accepts.
pub const TARGET_KEYS: &[&str] = &[
    "id", "label", "value", "unit", "by", "cmp", "per", "baseline", "progress", "key",
];

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_default_kind(k: &Kind) -> bool {
    *k == Kind::Page
}

fn is_default_cmp(c: &Cmp) -> bool {
    *c == Cmp::Equal
}

/// Writes whole numbers without a decimal point (`25`, not `25.0`), so generated front
/// matter reads as an editor would type it.
fn serialize_number<S: serde::Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        s.serialize_i64(*value as i64)
    } else {
        s.serialize_f64(*value)
    }
}
