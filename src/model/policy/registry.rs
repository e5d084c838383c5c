//! The unit registry (`content/units.yaml`) made usable: name and alias lookup, stable
//! ASCII slugs, placeholders, and did-you-mean suggestions for unknown names (by the core
//! [`crate::diagnostic::did_you_mean`], which also serves misspelt keys).
//!
//! Slug rule: the `slug` set in `units.yaml` if any; otherwise the toneless pinyin of the
//! name, syllables run together (`市教育体育局` → `shijiaoyutiyuju`), ASCII letters and
//! digits kept in lower case, a `-` between a Han run and an ASCII run and in place of any
//! other character. Readings are the `pinyin` crate's most common ones; set `slug` where
//! one reads wrong. When two generated slugs collide, the names are sorted (by Unicode
//! code point) and the first keeps the plain slug, the others get `-2`, `-3`, ... in that
//! order, so the result depends neither on the order of `units.yaml` nor on the pages.

use std::collections::{BTreeMap, HashMap, HashSet};

use pinyin::ToPinyin;

use super::problem;
use crate::diagnostic::Diagnostic;
use crate::load::locate::YamlPositions;
use crate::load::units::UnitsFile;

/// Kind shown for units whose `kind` is not set.
pub const DEFAULT_KIND: &str = "其他";

/// One registry entry with its slug decided.
#[derive(Debug, Clone)]
pub(crate) struct RegUnit {
    pub name: String,
    pub short: Option<String>,
    pub kind: Option<String>,
    pub aliases: Vec<String>,
    pub slug: String,
    /// Index of the entry in `units.yaml`, for problem positions.
    pub entry: usize,
}

/// What a name written in front matter stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolved {
    Unit(usize),
    Placeholder,
    Unknown,
}

/// The registry, ready for lookups.
#[derive(Debug, Clone)]
pub(crate) struct Registry {
    pub units: Vec<RegUnit>,
    pub placeholders: Vec<String>,
    lookup: HashMap<String, usize>,
    pub positions: YamlPositions,
    pub file: String,
}

impl Registry {
    /// Builds the registry from `units.yaml` (`text` is its raw content, for positions),
    /// reporting duplicate names or aliases and malformed or duplicate slugs.
    pub fn new(file: &str, data: &UnitsFile, text: &str, problems: &mut Vec<Diagnostic>) -> Self {
        let positions = YamlPositions::new(text, 1);
        let at = |path: String| positions.find(&[path.as_str()]);
        let mut lookup: HashMap<String, usize> = HashMap::new();
        let placeholders: Vec<String> = data
            .placeholders
            .iter()
            .map(|p| p.trim().to_string())
            .collect();
        for (i, entry) in data.units.iter().enumerate() {
            let mut spellings = vec![(entry.name.trim().to_string(), format!("units.{i}.name"))];
            for (j, alias) in entry.aliases.iter().enumerate() {
                spellings.push((alias.trim().to_string(), format!("units.{i}.aliases.{j}")));
            }
            for (spelling, path) in spellings {
                if let Some(&other) = lookup.get(&spelling) {
                    if other != i {
                        problems.push(problem::error(
                            file,
                            at(path),
                            format!(
                                "\"{spelling}\" names two units: \"{}\" and \"{}\"",
                                data.units[other].name, entry.name
                            ),
                            Some("each name or alias may belong to one unit only; remove it from one of them".into()),
                        ));
                    }
                    continue;
                }
                if placeholders.contains(&spelling) {
                    problems.push(problem::error(
                        file,
                        at(path),
                        format!("\"{spelling}\" is both a unit and a placeholder"),
                        Some("remove it from `placeholders` or from `units`".into()),
                    ));
                }
                lookup.insert(spelling, i);
            }
        }

        // Explicit slugs first: they are reserved, and must be well-formed and unique.
        let mut slugs: Vec<Option<String>> = vec![None; data.units.len()];
        let mut taken: HashSet<String> = HashSet::new();
        for (i, entry) in data.units.iter().enumerate() {
            let Some(slug) = entry.slug.as_deref() else {
                continue;
            };
            let path = format!("units.{i}.slug");
            if !is_valid_slug(slug) {
                problems.push(problem::error(
                    file,
                    at(path),
                    format!(
                        "slug \"{slug}\" of \"{}\" is not a valid URL segment",
                        entry.name
                    ),
                    Some(format!(
                        "use lower-case ASCII letters, digits and single `-`, e.g. \"{}\"",
                        slugify(&entry.name)
                    )),
                ));
                continue;
            }
            if !taken.insert(slug.to_string()) {
                problems.push(problem::error(
                    file,
                    at(path),
                    format!("slug \"{slug}\" is used by two units"),
                    Some("give each unit its own slug".into()),
                ));
                continue;
            }
            slugs[i] = Some(slug.to_string());
        }
        // Generated slugs, collisions resolved by name order.
        let mut by_base: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, entry) in data.units.iter().enumerate() {
            if slugs[i].is_none() {
                by_base.entry(slugify(&entry.name)).or_default().push(i);
            }
        }
        for (base, mut members) in by_base {
            members.sort_by(|&a, &b| data.units[a].name.cmp(&data.units[b].name).then(a.cmp(&b)));
            let mut n = 1;
            for i in members {
                let mut slug = if n == 1 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                };
                while taken.contains(&slug) {
                    n += 1;
                    slug = format!("{base}-{n}");
                }
                n += 1;
                taken.insert(slug.clone());
                slugs[i] = Some(slug);
            }
        }

        let units = data
            .units
            .iter()
            .zip(slugs)
            .enumerate()
            .map(|(i, (e, slug))| RegUnit {
                name: e.name.trim().to_string(),
                short: e.short.clone(),
                kind: e.kind.clone(),
                aliases: e.aliases.clone(),
                slug: slug.unwrap_or_else(|| slugify(&e.name)),
                entry: i,
            })
            .collect();
        Registry {
            units,
            placeholders,
            lookup,
            positions,
            file: file.to_string(),
        }
    }

    /// What `name` (as written in front matter) stands for.
    pub fn resolve(&self, name: &str) -> Resolved {
        let name = name.trim();
        if let Some(&i) = self.lookup.get(name) {
            Resolved::Unit(i)
        } else if self.placeholders.iter().any(|p| p == name) {
            Resolved::Placeholder
        } else {
            Resolved::Unknown
        }
    }

    /// The registry spelling closest to `name`: `(canonical name, the alias that matched)`.
    pub fn suggest(&self, name: &str) -> Option<(String, Option<String>)> {
        let mut candidates: Vec<(&str, usize, bool)> = Vec::new();
        for (i, u) in self.units.iter().enumerate() {
            candidates.push((u.name.as_str(), i, false));
            for a in &u.aliases {
                candidates.push((a.as_str(), i, true));
            }
        }
        let best = crate::diagnostic::did_you_mean(name.trim(), candidates.iter().map(|c| c.0))?;
        let &(spelling, i, is_alias) = candidates.iter().find(|c| c.0 == best)?;
        let canonical = self.units[i].name.clone();
        Some((canonical, is_alias.then(|| spelling.to_string())))
    }
}

/// A slug is lower-case ASCII letters and digits in runs joined by single hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The stable ASCII slug of a Chinese name (see the module doc for the rule). Never empty.
pub fn slugify(name: &str) -> String {
    #[derive(PartialEq, Clone, Copy)]
    enum Run {
        None,
        Han,
        Ascii,
    }
    let mut out = String::new();
    let mut last = Run::None;
    for c in name.trim().chars() {
        let (run, text): (Run, String) = if let Some(p) = c.to_pinyin() {
            (Run::Han, p.plain().to_string())
        } else if c.is_ascii_alphanumeric() {
            (Run::Ascii, c.to_ascii_lowercase().to_string())
        } else {
            (Run::None, String::new())
        };
        if run != last && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        out.push_str(&text);
        last = run;
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "unit".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::units::UnitEntry;

    fn unit(name: &str, aliases: &[&str], slug: Option<&str>) -> UnitEntry {
        UnitEntry {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            slug: slug.map(Into::into),
            ..UnitEntry::default()
        }
    }

    #[test]
    fn slugs_are_pinyin() {
        assert_eq!(slugify("市教育体育局"), "shijiaoyutiyuju");
        assert_eq!(slugify("市科学技术协会"), "shikexuejishuxiehui");
        assert_eq!(slugify("12396平台"), "12396-pingtai");
        assert_eq!(slugify("科普e站"), "kepu-e-zhan");
        assert_eq!(slugify("共青团（鄂尔多斯）"), "gongqingtuan-eerduosi");
        assert_eq!(slugify("——"), "unit");
        assert!(is_valid_slug("shi-12396"));
        assert!(!is_valid_slug("Shi"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("-a"));
    }

    #[test]
    fn collisions_are_resolved_by_name_not_file_order() {
        // 市林业局 and 市林叶局 read the same in toneless pinyin.
        let a = UnitsFile {
            units: vec![unit("市林叶局", &[], None), unit("市林业局", &[], None)],
            placeholders: vec![],
        };
        let b = UnitsFile {
            units: vec![unit("市林业局", &[], None), unit("市林叶局", &[], None)],
            placeholders: vec![],
        };
        let slug_of = |f: &UnitsFile, name: &str| {
            let r = Registry::new("u.yaml", f, "", &mut Vec::new());
            r.units
                .iter()
                .find(|u| u.name == name)
                .map(|u| u.slug.clone())
        };
        // 业 (U+4E1A) sorts before 叶 (U+53F6): 市林业局 keeps the plain slug in both orders.
        assert_eq!(slug_of(&a, "市林业局").as_deref(), Some("shilinyeju"));
        assert_eq!(slug_of(&a, "市林叶局").as_deref(), Some("shilinyeju-2"));
        assert_eq!(slug_of(&b, "市林业局"), slug_of(&a, "市林业局"));
        assert_eq!(slug_of(&b, "市林叶局"), slug_of(&a, "市林叶局"));
    }

    #[test]
    fn explicit_slugs_win_and_are_checked() {
        let f = UnitsFile {
            units: vec![
                unit("市林业局", &[], None),
                unit("市林业和草原局", &[], Some("shilinyeju")),
                unit("市水利局", &[], Some("Bad Slug")),
            ],
            placeholders: vec![],
        };
        let text = "units:\n  - name: 市林业局\n  - name: 市林业和草原局\n    slug: shilinyeju\n  - name: 市水利局\n    slug: Bad Slug\n";
        let mut problems = Vec::new();
        let r = Registry::new("content/units.yaml", &f, text, &mut problems);
        assert_eq!(r.units[1].slug, "shilinyeju");
        assert_eq!(r.units[0].slug, "shilinyeju-2");
        assert_eq!(r.units[2].slug, "shishuiliju");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(6));
        assert!(problems[0].message.contains("Bad Slug"));
    }

    #[test]
    fn resolution_by_name_alias_and_placeholder() {
        let f = UnitsFile {
            units: vec![unit("市科学技术协会", &["市科协", "科协"], None)],
            placeholders: vec!["各成员单位".into()],
        };
        let r = Registry::new("u.yaml", &f, "", &mut Vec::new());
        assert_eq!(r.resolve("市科学技术协会"), Resolved::Unit(0));
        assert_eq!(r.resolve(" 市科协 "), Resolved::Unit(0));
        assert_eq!(r.resolve("各成员单位"), Resolved::Placeholder);
        assert_eq!(r.resolve("市科技局"), Resolved::Unknown);
        assert_eq!(
            r.suggest("市科学技术协"),
            Some(("市科学技术协会".to_string(), None))
        );
        assert_eq!(
            r.suggest("市科协会"),
            Some(("市科学技术协会".to_string(), Some("市科协".to_string())))
        );
        assert_eq!(r.suggest("市公安局"), None);
    }

    #[test]
    fn duplicate_spellings_are_errors() {
        let f = UnitsFile {
            units: vec![
                unit("市科学技术局", &["科技局"], None),
                unit("市科技局", &["科技局"], None),
            ],
            placeholders: vec![],
        };
        let text = "units:\n  - name: 市科学技术局\n    aliases: [科技局]\n  - name: 市科技局\n    aliases: [科技局]\n";
        let mut problems = Vec::new();
        Registry::new("content/units.yaml", &f, text, &mut problems);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (Some(5), Some(15)));
    }
}
