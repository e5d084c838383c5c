//! The unit registry schema, `content/units.yaml` (SPEC.md): every 单位 a page may name as
//! lead or responsible unit, with its aliases, kind and short name.

use serde::{Deserialize, Serialize};

/// One unit (单位) of the registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitEntry {
    /// Canonical name, as pages write it: 市教育体育局.
    pub name: String,
    /// Short name for narrow layouts: 教体局.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
    /// 党委部门, 政府部门, 群团组织, 高校, 企业, 事业单位, 其他...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Other spellings that resolve to this unit (typos, short forms, old names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Stable ASCII id for the URL `/units/<slug>/`; default: pinyin of the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
}

/// The whole `units.yaml` file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsFile {
    pub units: Vec<UnitEntry>,
    /// Names that stand for a group, not a unit (各成员单位): allowed in `units`, listed as
    /// written, never given a unit page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<String>,
}

/// Every key a unit entry accepts, for did-you-mean suggestions.
pub const UNIT_KEYS: &[&str] = &["name", "short", "kind", "aliases", "slug"];
