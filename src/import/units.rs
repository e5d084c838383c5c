//! Unit names (单位): a built-in dictionary of Chinese party, government and mass-organisation
//! bodies (national names, and the department names of provinces, cities, counties and
//! banners, with their kinds and short forms), splitting of names written together without
//! a separator, and resolution of typos and short forms to one canonical name per unit.
//!
//! Splitting is a least-cost segmentation: a piece costs little when it is a known name
//! (dictionary, or written on its own elsewhere in the same document) and much when it is
//! merely unit-shaped (ends with 局, 委员会, 学院...). A unit-shaped piece is refused when it
//! begins with a known name, or when a unit suffix is followed inside it by a level prefix
//! (`…委员会市…`): that is two names glued together. So `市科学技术协会鄂尔多斯应用技术学院`
//! splits, while `共青团鄂尔多斯市委员会` and `工业和信息化部` stay whole.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::report::{Doubt, DoubtKind};
use crate::load::units::{UnitEntry, UnitsFile};

const PARTY: &str = "党委部门";
const GOV: &str = "政府部门";
const MASS: &str = "群团组织";
const UNI: &str = "高校";
const ENT: &str = "企业";
const INST: &str = "事业单位";
const OTHER: &str = "其他";

/// Department names below the national level: (core, kind, short core).
const CORES: &[(&str, &str, &str)] = &[
    ("发展和改革委员会", GOV, "发改委"),
    ("教育体育局", GOV, "教体局"),
    ("教育局", GOV, ""),
    ("教育厅", GOV, ""),
    ("科学技术局", GOV, "科技局"),
    ("科学技术厅", GOV, "科技厅"),
    ("工业和信息化局", GOV, "工信局"),
    ("工业和信息化厅", GOV, "工信厅"),
    ("民族事务委员会", GOV, "民委"),
    ("公安局", GOV, ""),
    ("公安厅", GOV, ""),
    ("民政局", GOV, ""),
    ("民政厅", GOV, ""),
    ("司法局", GOV, ""),
    ("财政局", GOV, ""),
    ("财政厅", GOV, ""),
    ("人力资源和社会保障局", GOV, "人社局"),
    ("人力资源和社会保障厅", GOV, "人社厅"),
    ("自然资源局", GOV, ""),
    ("生态环境局", GOV, ""),
    ("住房和城乡建设局", GOV, "住建局"),
    ("交通运输局", GOV, "交通局"),
    ("水利局", GOV, ""),
    ("水务局", GOV, ""),
    ("农牧局", GOV, ""),
    ("农牧厅", GOV, ""),
    ("农业农村局", GOV, "农业农村局"),
    ("农业农村厅", GOV, ""),
    ("商务局", GOV, ""),
    ("文化和旅游局", GOV, "文旅局"),
    ("文化和旅游厅", GOV, "文旅厅"),
    ("卫生健康委员会", GOV, "卫健委"),
    ("退役军人事务局", GOV, "退役军人局"),
    ("应急管理局", GOV, "应急局"),
    ("应急管理厅", GOV, "应急厅"),
    ("审计局", GOV, ""),
    ("国有资产监督管理委员会", GOV, "国资委"),
    ("市场监督管理局", GOV, "市场监管局"),
    ("广播电视局", GOV, "广电局"),
    ("体育局", GOV, ""),
    ("统计局", GOV, ""),
    ("医疗保障局", GOV, "医保局"),
    ("林业和草原局", GOV, "林草局"),
    ("林业局", GOV, ""),
    ("乡村振兴局", GOV, ""),
    ("能源局", GOV, ""),
    ("地震局", GOV, ""),
    ("气象局", GOV, ""),
    ("外事办公室", GOV, "外事办"),
    ("人民政府", GOV, "政府"),
    ("人民政府办公室", GOV, "政府办"),
    ("人民政府办公厅", GOV, "政府办公厅"),
    ("行政审批和政务服务局", GOV, "政务服务局"),
    ("消防救援支队", GOV, ""),
    ("消防救援总队", GOV, ""),
    ("融媒体中心", INST, ""),
    ("科技馆", INST, ""),
    ("图书馆", INST, ""),
    ("博物馆", INST, ""),
    ("宣传部", PARTY, ""),
    ("组织部", PARTY, ""),
    ("统一战线工作部", PARTY, "统战部"),
    ("政法委员会", PARTY, "政法委"),
    ("老干部局", PARTY, ""),
    ("网络安全和信息化委员会办公室", PARTY, "网信办"),
    ("直属机关工作委员会", PARTY, "直属机关工委"),
    ("机构编制委员会办公室", PARTY, "编办"),
    ("政策研究室", PARTY, ""),
    ("党校", PARTY, ""),
    ("总工会", MASS, ""),
    ("妇女联合会", MASS, "妇联"),
    ("科学技术协会", MASS, "科协"),
    ("工商业联合会", MASS, "工商联"),
    ("红十字会", MASS, ""),
    ("残疾人联合会", MASS, "残联"),
    ("文学艺术界联合会", MASS, "文联"),
    ("社会科学界联合会", MASS, "社科联"),
    ("哲学社会科学学会联合会", MASS, "社科联"),
    ("归国华侨联合会", MASS, "侨联"),
    ("老科学技术工作者协会", MASS, "老科协"),
    ("电业局", ENT, ""),
    ("供电公司", ENT, ""),
    ("供电局", ENT, ""),
];

/// National bodies, known by their full (or customary) names: (name, kind, short).
const NATIONAL: &[(&str, &str, &str)] = &[
    ("中央宣传部", PARTY, "中宣部"),
    ("中央组织部", PARTY, "中组部"),
    ("中央统战部", PARTY, ""),
    ("中央网信办", PARTY, ""),
    ("教育部", GOV, ""),
    ("科技部", GOV, ""),
    ("工业和信息化部", GOV, "工信部"),
    ("国家发展改革委", GOV, "发展改革委"),
    ("国家民委", GOV, ""),
    ("公安部", GOV, ""),
    ("民政部", GOV, ""),
    ("司法部", GOV, ""),
    ("财政部", GOV, ""),
    ("人力资源社会保障部", GOV, "人社部"),
    ("自然资源部", GOV, ""),
    ("生态环境部", GOV, ""),
    ("住房城乡建设部", GOV, "住建部"),
    ("交通运输部", GOV, ""),
    ("水利部", GOV, ""),
    ("农业农村部", GOV, ""),
    ("商务部", GOV, ""),
    ("文化和旅游部", GOV, "文旅部"),
    ("国家卫生健康委", GOV, "卫生健康委"),
    ("退役军人事务部", GOV, ""),
    ("应急管理部", GOV, ""),
    ("国务院国资委", GOV, "国资委"),
    ("市场监管总局", GOV, ""),
    ("广电总局", GOV, ""),
    ("体育总局", GOV, ""),
    ("国家统计局", GOV, ""),
    ("国家医保局", GOV, ""),
    ("国家林草局", GOV, ""),
    ("国家乡村振兴局", GOV, ""),
    ("国家能源局", GOV, ""),
    ("国家知识产权局", GOV, ""),
    ("国家国防科工局", GOV, ""),
    ("中国气象局", GOV, ""),
    ("中国地震局", GOV, ""),
    ("中国科学院", INST, "中科院"),
    ("中国工程院", INST, ""),
    ("中国社会科学院", INST, "中国社科院"),
    ("全国总工会", MASS, ""),
    ("共青团中央", MASS, "团中央"),
    ("全国妇联", MASS, ""),
    ("中国科协", MASS, ""),
    ("全国工商联", MASS, ""),
    ("中国残联", MASS, ""),
    ("中国文联", MASS, ""),
];

/// Administrative-level prefixes of department names.
const LEVELS: &[&str] = &["自治区", "省", "市", "州", "盟", "县", "旗", "区"];
/// Words that start a new unit name when they follow a unit suffix inside a string.
const STARTS: &[&str] = &[
    "市",
    "省",
    "县",
    "旗",
    "盟",
    "自治区",
    "国家",
    "中国",
    "全国",
    "共青团",
    "中共",
    "中央",
];
/// Endings of unit names.
const SUFFIXES: &[&str] = &[
    "局",
    "委员会",
    "委",
    "部",
    "厅",
    "办公室",
    "办",
    "室",
    "院",
    "学校",
    "大学",
    "中心",
    "会",
    "团",
    "队",
    "公司",
    "集团",
    "所",
    "站",
    "馆",
    "社",
    "台",
    "处",
    "署",
    "政府",
];
/// Characters that never occur in a place name used as a prefix.
const NOT_PLACE: &[char] = &[
    '局', '会', '部', '院', '校', '团', '队', '办', '室', '司', '厅', '署', '所', '站', '馆', '社',
    '委', '心', '府',
];

static COMMUNIST_YOUTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^共青团(\p{Han}{0,10}?)(自治区|省|市|州|盟|县|旗|区)委员会$").expect("static")
});

/// What the dictionary knows of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub kind: &'static str,
    pub short: Option<String>,
    /// The department core without level prefix (`科学技术协会`); `None` for national names.
    pub core: Option<&'static str>,
    /// True when the name is the bare core, with no level prefix (`教育体育局`).
    pub bare: bool,
}

/// The full name of a short form: 市科协 → 市科学技术协会, 工信部 → 工业和信息化部.
pub fn expand_short(name: &str) -> Option<String> {
    if let Some((full, _, _)) = NATIONAL
        .iter()
        .find(|(_, _, s)| !s.is_empty() && *s == name)
    {
        return Some((*full).to_owned());
    }
    CORES.iter().find_map(|(core, _, short)| {
        let prefix = name.strip_suffix(short).filter(|_| !short.is_empty())?;
        (LEVELS.contains(&prefix) || LEVELS.iter().any(|l| prefix == format!("{l}委")))
            .then(|| format!("{prefix}{core}"))
    })
}

/// Looks a name up in the built-in dictionary.
pub fn lookup(name: &str) -> Option<Known> {
    if let Some(&(_, kind, short)) = NATIONAL.iter().find(|(n, _, _)| *n == name) {
        return Some(Known {
            kind,
            short: (!short.is_empty()).then(|| short.to_owned()),
            core: None,
            bare: false,
        });
    }
    if let Some(c) = COMMUNIST_YOUTH.captures(name) {
        let level = if &c[2] == "自治区" { "区" } else { &c[2] };
        return Some(Known {
            kind: MASS,
            short: Some(format!("团{level}委")),
            core: None,
            bare: false,
        });
    }
    let (core, kind, short) = CORES
        .iter()
        .filter(|(core, _, _)| name.ends_with(core))
        .max_by_key(|(core, _, _)| core.len())?;
    let prefix = &name[..name.len() - core.len()];
    let party = *kind == PARTY;
    let level_prefix = LEVELS.contains(&prefix)
        || (party && prefix.ends_with('委') && LEVELS.iter().any(|l| prefix == format!("{l}委")))
        || prefix == "自治区党委";
    if !(prefix.is_empty() || level_prefix || is_place(prefix)) {
        return None;
    }
    Some(Known {
        kind,
        short: (level_prefix && !short.is_empty()).then(|| format!("{prefix}{short}")),
        core: Some(core),
        bare: prefix.is_empty(),
    })
}

/// A place-name prefix (鄂尔多斯, 鄂尔多斯市, 中共鄂尔多斯市委): Han only, no unit characters
/// except a final 委.
fn is_place(prefix: &str) -> bool {
    let p = prefix.strip_prefix("中共").unwrap_or(prefix);
    let p = p
        .strip_suffix("党委")
        .or_else(|| p.strip_suffix('委'))
        .unwrap_or(p);
    let n = p.chars().count();
    (2..=10).contains(&n) && p.chars().all(crate::text::is_han) && !p.contains(NOT_PLACE)
}

/// Ends with a unit suffix.
fn has_unit_suffix(name: &str) -> bool {
    SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// A placeholder for a group of units (各成员单位, 有关部门), not a unit.
pub fn is_placeholder(name: &str) -> bool {
    name.starts_with('各')
        || name.starts_with("有关")
        || name.starts_with("相关")
        || name.starts_with("其他")
        || name.ends_with("成员单位")
        || name.ends_with("有关部门")
}

/// Could be a unit name or a run of unit names: known, a short form, a placeholder, or
/// ending like a unit.
pub fn is_unit_like(name: &str) -> bool {
    is_placeholder(name)
        || lookup(name).is_some()
        || expand_short(name).is_some()
        || has_unit_suffix(name)
}

/// The kind of a unit: from the dictionary, else from its ending.
pub fn kind_of(name: &str) -> &'static str {
    if let Some(k) = lookup(name) {
        return k.kind;
    }
    if let Some(full) = expand_short(name) {
        return kind_of(&full);
    }
    let ends = |list: &[&str]| list.iter().any(|s| name.ends_with(s));
    if name.contains("公司") || ends(&["集团", "有限", "银行", "电业局"]) {
        ENT
    } else if ends(&["大学", "学院", "专科学校", "高等学校"]) {
        UNI
    } else if ends(&["管委会", "管理委员会", "政府"]) {
        GOV
    } else if name.starts_with("市委") || name.starts_with("中共") || name.contains("党委") {
        PARTY
    } else if ends(&["中心", "馆", "院", "所", "站", "台", "学校"]) {
        INST
    } else if ends(&["局", "委员会", "办公室", "厅", "部", "委", "办", "署"]) {
        GOV
    } else if ends(&["联合会", "协会", "学会", "工会", "红十字会"]) {
        MASS
    } else {
        OTHER
    }
}

/// Longest unit name the segmentation considers, in characters.
const MAX_NAME_CHARS: usize = 30;

/// Piece costs of the segmentation.
const KNOWN_COST: u32 = 1;
const SHAPED_COST: u32 = 10;

/// Splits glued unit names and resolves every spelling to one canonical name. Built once
/// per document from every name token its attributions contain.
#[derive(Debug, Default)]
pub struct UnitBook {
    /// Tokens written on their own in the document (between separators) that are names.
    learned: HashSet<String>,
    /// The document's usual level prefix (`市`), for names written without it.
    level: String,
    /// Canonical name → entry, in order of first appearance.
    entries: Vec<UnitEntry>,
    index: HashMap<String, usize>,
    placeholders: Vec<String>,
}

impl UnitBook {
    /// Prepares the book from all raw tokens of the document (in document order).
    pub fn new<'a>(tokens: impl IntoIterator<Item = &'a str>) -> Self {
        let tokens: Vec<&str> = tokens.into_iter().collect();
        let mut book = UnitBook::default();
        for t in &tokens {
            if !is_placeholder(t)
                && t.chars().count() <= 40
                && (lookup(t).is_some() || book.shaped_ok(t))
            {
                book.learned.insert((*t).to_owned());
            }
        }
        // A learned token that is itself two learned/known names glued is not a name.
        let glued: Vec<String> = book
            .learned
            .iter()
            .filter(|t| book.segment(t).is_some_and(|s| s.len() > 1))
            .cloned()
            .collect();
        for g in glued {
            book.learned.remove(&g);
        }
        let mut counts: HashMap<String, usize> = HashMap::new();
        for t in &tokens {
            if let Some(l) = LEVELS.iter().find(|l| t.starts_with(**l)) {
                *counts.entry((*l).to_owned()).or_default() += 1;
            }
        }
        book.level = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(l, _)| l)
            .unwrap_or_default();
        book
    }

    fn is_known(&self, s: &str) -> bool {
        self.learned.contains(s) || lookup(s).is_some_and(|k| !k.bare)
    }

    /// Unit-shaped and not two names glued together.
    fn shaped_ok(&self, s: &str) -> bool {
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        if chars.len() < 4 || !has_unit_suffix(s) || !s.chars().all(crate::text::is_han) {
            return false;
        }
        for &(i, _) in chars.iter().skip(2) {
            let (left, right) = s.split_at(i);
            if has_unit_suffix(left)
                && left.chars().count() >= 3
                && STARTS.iter().any(|p| right.starts_with(p))
            {
                return false;
            }
            if self.is_known(left) {
                return false;
            }
        }
        true
    }

    /// Least-cost split of a token into names, `None` when no split exists.
    fn segment(&self, token: &str) -> Option<Vec<String>> {
        let bounds: Vec<usize> = token
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(token.len()))
            .collect();
        if bounds.len() > 201 {
            return None;
        }
        let n = bounds.len();
        let mut best: Vec<Option<(u32, usize)>> = vec![None; n];
        best[0] = Some((0, 0));
        for j in 1..n {
            for i in j.saturating_sub(MAX_NAME_CHARS)..j {
                let Some((base, _)) = best[i] else { continue };
                let piece = &token[bounds[i]..bounds[j]];
                let cost = if self.is_known(piece) || is_placeholder(piece) {
                    KNOWN_COST
                } else if self.shaped_ok(piece) {
                    SHAPED_COST
                } else {
                    continue;
                };
                let total = base + cost;
                if best[j].is_none_or(|(b, _)| total < b) {
                    best[j] = Some((total, i));
                }
            }
        }
        best[n - 1]?;
        let mut pieces = Vec::new();
        let mut j = n - 1;
        while j > 0 {
            let (_, i) = best[j]?;
            pieces.push(token[bounds[i]..bounds[j]].to_owned());
            j = i;
        }
        pieces.reverse();
        Some(pieces)
    }

    /// Splits a raw token (as written between separators) into names.
    pub fn split(&self, token: &str, line: usize, doubts: &mut Vec<Doubt>) -> Vec<String> {
        if is_placeholder(token) || self.is_known(token) {
            return vec![token.to_owned()];
        }
        match self.segment(token) {
            Some(pieces) if pieces.len() > 1 => {
                doubts.push(Doubt::new(
                    line,
                    DoubtKind::UnitsSplit,
                    format!("`{token}` split into {}", pieces.join("、")),
                ));
                pieces
            }
            _ => vec![token.to_owned()],
        }
    }

    /// Resolves one name to its canonical spelling, registering it; placeholders are kept as
    /// written. Returns the name a page should use.
    pub fn resolve(&mut self, name: &str, line: usize, doubts: &mut Vec<Doubt>) -> String {
        if is_placeholder(name) {
            if !self.placeholders.iter().any(|p| p == name) {
                self.placeholders.push(name.to_owned());
            }
            return name.to_owned();
        }
        if let Some(&i) = self.index.get(name) {
            let canonical = self.entries[i].name.clone();
            if canonical != name {
                doubts.push(alias_doubt(line, name, &canonical));
            }
            return canonical;
        }
        let canonical = self.canonical_for(name);
        if let Some(c) = &canonical {
            doubts.push(alias_doubt(line, name, c));
        }
        let canonical = canonical.unwrap_or_else(|| name.to_owned());
        let i = match self.index.get(&canonical) {
            Some(&i) => i,
            None => {
                if lookup(&canonical).is_none() && !self.learned.contains(&canonical) {
                    doubts.push(Doubt::new(
                        line,
                        DoubtKind::UnknownUnit,
                        format!(
                            "unit `{canonical}` is not in the dictionary and not written on its own elsewhere; check the name (kind guessed: {})",
                            kind_of(&canonical)
                        ),
                    ));
                }
                let known = lookup(&canonical);
                self.entries.push(UnitEntry {
                    name: canonical.clone(),
                    short: known.as_ref().and_then(|k| k.short.clone()),
                    kind: Some(kind_of(&canonical).to_owned()),
                    aliases: Vec::new(),
                    slug: None,
                });
                self.index.insert(canonical.clone(), self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        if canonical != name {
            let entry = &mut self.entries[i];
            if !entry.aliases.iter().any(|a| a == name) {
                entry.aliases.push(name.to_owned());
            }
            self.index.insert(name.to_owned(), i);
        }
        canonical
    }

    /// The canonical name a variant spelling stands for, if it is one.
    fn canonical_for(&self, name: &str) -> Option<String> {
        let known = lookup(name);
        // A department written without its level prefix: 教育体育局 → 市教育体育局.
        if known.as_ref().is_some_and(|k| k.bare) && !self.level.is_empty() {
            let party = known.as_ref().is_some_and(|k| k.kind == PARTY);
            let candidates = if party {
                vec![
                    format!("{}委{name}", self.level),
                    format!("{}{name}", self.level),
                ]
            } else {
                vec![format!("{}{name}", self.level)]
            };
            return candidates
                .iter()
                .find(|c| self.learned.contains(*c) || self.index.contains_key(*c))
                .or(candidates.first())
                .cloned();
        }
        if known.is_some() {
            return None;
        }
        let written_alone = self.learned.contains(name);
        // A short form of the dictionary: 市科协 → 市科学技术协会.
        if let Some(full) = expand_short(name) {
            return Some(full);
        }
        // A typo: a dropped or wrong character of a name the document or dictionary knows.
        // A name written on its own elsewhere is only checked against the dictionary, so
        // that two real units one character apart stay apart.
        let mut pool: BTreeSet<String> = BTreeSet::new();
        if !written_alone {
            pool.extend(self.learned.iter().cloned());
            pool.extend(self.entries.iter().map(|e| e.name.clone()));
        }
        if !self.level.is_empty() {
            pool.extend(CORES.iter().map(|(c, _, _)| format!("{}{c}", self.level)));
        }
        let near: Vec<&String> = pool.iter().filter(|k| is_near(name, k)).collect();
        (near.len() == 1).then(|| near[0].clone())
    }

    /// The registry of every unit resolved so far.
    pub fn units_file(&self) -> UnitsFile {
        UnitsFile {
            units: self.entries.clone(),
            placeholders: self.placeholders.clone(),
        }
    }
}

fn alias_doubt(line: usize, name: &str, canonical: &str) -> Doubt {
    Doubt::new(
        line,
        DoubtKind::AliasApplied,
        format!("unit `{name}` read as `{canonical}` (recorded as an alias)"),
    )
}

/// `name` is a near miss of `known`: same first and last character, and either a
/// subsequence missing at most three characters, or (for long names) one character wrong.
fn is_near(name: &str, known: &str) -> bool {
    let a: Vec<char> = name.chars().collect();
    let b: Vec<char> = known.chars().collect();
    if a == b || a.len() < 3 || a.first() != b.first() || a.last() != b.last() {
        return false;
    }
    if a.len() < b.len() {
        let missing = b.len() - a.len();
        let mut it = b.iter();
        return missing <= 3 && a.len() * 10 >= b.len() * 6 && a.iter().all(|c| it.any(|d| d == c));
    }
    a.len() == b.len() && a.len() >= 6 && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(tokens: &[&str]) -> UnitBook {
        UnitBook::new(tokens.iter().copied())
    }

    #[test]
    fn dictionary() {
        assert_eq!(lookup("市科学技术协会").map(|k| k.kind), Some(MASS));
        assert_eq!(
            lookup("市科学技术协会").and_then(|k| k.short),
            Some("市科协".into())
        );
        assert_eq!(
            lookup("市委统一战线工作部").and_then(|k| k.short),
            Some("市委统战部".into())
        );
        assert_eq!(
            lookup("共青团鄂尔多斯市委员会").and_then(|k| k.short),
            Some("团市委".into())
        );
        assert!(lookup("教育体育局").is_some_and(|k| k.bare));
        assert_eq!(lookup("工业和信息化部").map(|k| k.kind), Some(GOV));
        assert_eq!(lookup("鄂尔多斯电业局").map(|k| k.kind), Some(ENT));
        // A glued string must not pass as one name through a "place" prefix.
        assert_eq!(lookup("市科学技术协会市红十字会"), None);
        assert_eq!(kind_of("鄂尔多斯应用技术学院"), UNI);
        assert_eq!(kind_of("内蒙古民族幼儿师范高等专科学校"), UNI);
        assert_eq!(kind_of("鄂尔多斯机场管理集团有限公司"), ENT);
        assert_eq!(kind_of("恩格贝生态示范区管委会"), GOV);
        assert_eq!(kind_of("市委老干部局"), PARTY);
        assert_eq!(kind_of("市融媒体中心"), INST);
    }

    #[test]
    fn splitting() {
        let b = book(&["鄂尔多斯应用技术学院", "市教育体育局"]);
        let mut d = Vec::new();
        assert_eq!(
            b.split("市科学技术协会鄂尔多斯应用技术学院", 1, &mut d),
            ["市科学技术协会", "鄂尔多斯应用技术学院"]
        );
        assert_eq!(
            b.split("共青团鄂尔多斯市委员会", 1, &mut d),
            ["共青团鄂尔多斯市委员会"]
        );
        assert_eq!(b.split("工业和信息化部", 1, &mut d), ["工业和信息化部"]);
        assert_eq!(b.split("市文化和旅游局", 1, &mut d), ["市文化和旅游局"]);
        assert_eq!(
            b.split(
                "市委统一战线工作部市发展和改革委员会共青团鄂尔多斯市委员会市妇女联合会市科学技术协会市红十字会",
                2,
                &mut d
            ),
            [
                "市委统一战线工作部",
                "市发展和改革委员会",
                "共青团鄂尔多斯市委员会",
                "市妇女联合会",
                "市科学技术协会",
                "市红十字会"
            ]
        );
        assert_eq!(
            b.split("市工商合会市消防救援支队", 3, &mut d),
            ["市工商合会", "市消防救援支队"]
        );
        assert_eq!(
            b.split("市工商合会市高新技术产业开发区管委会", 3, &mut d),
            ["市工商合会", "市高新技术产业开发区管委会"]
        );
        assert_eq!(
            b.split("市住房和城乡建设局鄂尔多斯电业局", 4, &mut d),
            ["市住房和城乡建设局", "鄂尔多斯电业局"]
        );
        assert_eq!(d.len(), 5);
    }

    #[test]
    fn resolving() {
        let mut b = book(&["市工商业联合会", "市教育体育局", "市科学技术局", "市科协"]);
        let mut d = Vec::new();
        assert_eq!(b.resolve("市工商业联合会", 1, &mut d), "市工商业联合会");
        assert_eq!(b.resolve("市工商合会", 2, &mut d), "市工商业联合会");
        assert_eq!(b.resolve("教育体育局", 3, &mut d), "市教育体育局");
        assert_eq!(b.resolve("科学技术局", 4, &mut d), "市科学技术局");
        assert_eq!(b.resolve("市科协", 5, &mut d), "市科学技术协会");
        assert_eq!(b.resolve("各成员单位", 6, &mut d), "各成员单位");
        assert_eq!(
            d.iter()
                .filter(|d| d.kind == DoubtKind::AliasApplied)
                .count(),
            4
        );
        let f = b.units_file();
        assert_eq!(f.placeholders, ["各成员单位"]);
        let gsl = f
            .units
            .iter()
            .find(|u| u.name == "市工商业联合会")
            .map(|u| u.aliases.clone());
        assert_eq!(gsl, Some(vec!["市工商合会".to_owned()]));
        // Distinct units one character apart are not merged.
        assert!(!is_near("市水务局", "市水利局"));
    }
}
