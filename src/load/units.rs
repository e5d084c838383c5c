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

/// Where the registry was read from: its file (as shown in messages) and raw text, so that
/// problems found after parsing (an unused unit, a duplicate alias) can name their line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitsSource {
    /// `content/units.yaml`.
    pub file: String,
    /// The decoded text (empty when there is no file).
    pub text: String,
}

impl Default for UnitsSource {
    fn default() -> Self {
        UnitsSource {
            file: "content/units.yaml".to_string(),
            text: String::new(),
        }
    }
}

/// Every key a unit entry accepts, for did-you-mean suggestions.
pub const UNIT_KEYS: &[&str] = &["name", "short", "kind", "aliases", "slug"];

/// Reads a units file, returning it parsed and as text. Two shapes are accepted: the full
/// form (`units:` and optionally `placeholders:`) and, for short registries (and the
/// benchmark corpus), a plain list of unit entries.
pub fn load(
    path: &std::path::Path,
    file: &str,
) -> Result<(UnitsFile, UnitsSource), crate::diagnostic::Diagnostic> {
    use crate::diagnostic::Diagnostic;
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read file: {e}")).in_file(file))?;
    let text = super::source::decode(bytes, file)?;
    let data = parse(&text, file)?;
    Ok((
        data,
        UnitsSource {
            file: file.to_string(),
            text,
        },
    ))
}

/// Parses the text of a units file (see [`load`]).
pub fn parse(text: &str, file: &str) -> Result<UnitsFile, crate::diagnostic::Diagnostic> {
    if text.trim().is_empty() {
        return Ok(UnitsFile::default());
    }
    let is_list = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("- ") || l == "-");
    if is_list {
        let units: Vec<UnitEntry> = super::yaml::parse(text, file, 1, "units.yaml")?;
        Ok(UnitsFile {
            units,
            placeholders: Vec::new(),
        })
    } else {
        super::yaml::parse(text, file, 1, "units.yaml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes() {
        let a = parse(
            "units:\n  - name: 市教育体育局\n    short: 教体局\nplaceholders: [各成员单位]\n",
            "u",
        )
        .unwrap();
        assert_eq!(a.units[0].short.as_deref(), Some("教体局"));
        assert_eq!(a.placeholders, ["各成员单位"]);
        let b = parse("# registry\n- name: \"中国科协\"\n- name: 教育部\n", "u").unwrap();
        assert_eq!(b.units.len(), 2);
        let e = parse("units:\n  - nmae: x\n", "content/units.yaml").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean 'name'?"));
        assert_eq!(e.line, Some(2));
    }
}
