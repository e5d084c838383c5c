//! ASCII names for generated files and folders, stable for a given title.
//!
//! - A 人群 action gets the English name of its audience (`youth`, `farmers`, `workers`,
//!   `elderly`, `officials`...), the words a reader expects in a URL.
//! - Any other section gets the pinyin of its title, without the verbs and nouns every
//!   section shares (实施…工程, …行动): `ke-ji-zi-yuan-ke-pu-hua`.
//! - A page gets its order and the pinyin of the first syllables of its title:
//!   `02-ti-sheng-ji-chu-jiao-yu.md`.

use std::collections::{HashMap, HashSet};

use pinyin::ToPinyin;

/// Hands out names unique within one scope: `x`, `x-2`, `x-3`... in constant time per name.
#[derive(Debug, Default)]
pub struct UniqueNames {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UniqueNames {
    /// `want` if free, else `want-N` with the smallest free N.
    pub fn unique(&mut self, want: &str) -> String {
        if self.used.insert(want.to_owned()) {
            return want.to_owned();
        }
        let n = self.next.entry(want.to_owned()).or_insert(2);
        loop {
            let name = format!("{want}-{n}");
            *n += 1;
            if self.used.insert(name.clone()) {
                return name;
            }
        }
    }
}

/// The 人群 of the national outline and their URL names.
const AUDIENCES: &[(&str, &str)] = &[
    ("领导干部和公务员", "officials"),
    ("领导干部", "officials"),
    ("公务员", "civil-servants"),
    ("青少年", "youth"),
    ("农牧民", "farmers"),
    ("农民", "farmers"),
    ("产业工人", "workers"),
    ("老年人", "elderly"),
    ("妇女", "women"),
    ("社区居民", "residents"),
    ("少数民族", "ethnic-minorities"),
    ("残疾人", "disabled"),
];

/// The English URL name of a known audience.
pub fn audience_slug(audience: &str) -> Option<&'static str> {
    AUDIENCES
        .iter()
        .find(|(a, _)| *a == audience)
        .map(|(_, s)| *s)
}

/// Pinyin of the Han characters (ASCII letters and digits kept), syllables joined by `-`,
/// at most `max` syllables.
pub fn pinyin_slug(text: &str, max: usize) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for (c, p) in text.chars().zip(text.to_pinyin()) {
        if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
            continue;
        }
        if !ascii.is_empty() {
            words.push(std::mem::take(&mut ascii));
        }
        if let Some(p) = p {
            words.push(p.plain().to_owned());
        }
    }
    if !ascii.is_empty() {
        words.push(ascii);
    }
    words.truncate(max);
    if words.is_empty() {
        "page".to_owned()
    } else {
        words.join("-")
    }
}

const SECTION_PREFIXES: &[&str] = &["实施", "开展", "加强", "推进", "推动", "深化", "大力"];
const SECTION_SUFFIXES: &[&str] = &["工程", "行动", "计划", "专项行动"];

/// The folder name of a section (an action or project).
pub fn section_slug(title: &str, audience: Option<&str>) -> String {
    if let Some(s) = audience.and_then(audience_slug) {
        return s.to_owned();
    }
    let mut t = title;
    for p in SECTION_PREFIXES {
        t = t.strip_prefix(p).unwrap_or(t);
    }
    for s in SECTION_SUFFIXES {
        t = t.strip_suffix(s).unwrap_or(t);
    }
    pinyin_slug(if t.is_empty() { title } else { t }, 8)
}

/// The file stem of a page: `02-ti-sheng-ji-chu-jiao-yu`.
pub fn page_slug(order: u32, title: &str) -> String {
    format!("{order:02}-{}", pinyin_slug(title, 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(pinyin_slug("科普e站建设", 8), "ke-pu-e-zhan-jian-she");
        assert_eq!(pinyin_slug("APP推广", 8), "app-tui-guang");
        assert_eq!(pinyin_slug("——", 8), "page");
        assert_eq!(
            section_slug("实施科技资源科普化工程", None),
            "ke-ji-zi-yuan-ke-pu-hua"
        );
        assert_eq!(
            section_slug("青少年科学素质提升行动", Some("青少年")),
            "youth"
        );
        assert_eq!(
            page_slug(2, "提升基础教育阶段科学教育水平"),
            "02-ti-sheng-ji-chu-jiao-yu"
        );
    }
}
