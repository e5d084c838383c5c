//! Attribution parentheticals (责任分工): the `（…）` at the end of a task that names who does
//! it. Styles understood:
//! - labelled: `（牵头单位：A，责任单位：B、C）`, `（牵头单位：A；配合单位：B）`, labels with no
//!   separator before them (`A责任单位：B`), a task with only `责任单位`;
//! - `（A牵头，B、C按职责分工负责）`;
//! - `（A、B负责。列第一位者为牵头单位，下同）` — the State Council convention, which then
//!   applies to every later item — and `（A、B等负责）`.
//!
//! A closing parenthesis missing at the end of the paragraph is tolerated (and reported by
//! the caller). Names come back as raw tokens; [`super::units`] splits and resolves them.

use std::sync::LazyLock;

use regex::Regex;

/// An attribution found at the end of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte offset of the opening parenthesis in the paragraph.
    pub start: usize,
    /// The text inside the parentheses.
    pub content: String,
    /// True when the closing parenthesis was missing.
    pub unclosed: bool,
}

/// Lead and responsible units as written (tokens between separators).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub lead: Vec<String>,
    pub units: Vec<String>,
}

/// Document-wide state: whether "the first named unit leads" was declared (下同).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Convention {
    pub first_is_lead: bool,
}

const KEYWORDS: &[&str] = &[
    "牵头",
    "负责",
    "责任单位",
    "责任部门",
    "配合单位",
    "配合部门",
    "参与单位",
    "协办单位",
    "主责单位",
];

/// Finds the attribution at the end of a paragraph.
pub fn find(text: &str) -> Option<Found> {
    let t = text.trim_end().trim_end_matches(['。', '；', ' ']);
    let has_keyword = |s: &str| KEYWORDS.iter().any(|k| s.contains(k));
    if let Some(body) = t.strip_suffix('）') {
        // Walk back to the matching opening parenthesis.
        let mut depth = 0usize;
        for (i, c) in body.char_indices().rev() {
            match c {
                '）' => depth += 1,
                '（' if depth == 0 => {
                    let content = &body[i + '（'.len_utf8()..];
                    return has_keyword(content).then(|| Found {
                        start: i,
                        content: content.trim().to_owned(),
                        unclosed: false,
                    });
                }
                '（' => depth -= 1,
                _ => {}
            }
        }
        return None;
    }
    let open = t.rfind('（')?;
    let content = &t[open + '（'.len_utf8()..];
    (!content.contains('）') && has_keyword(content)).then(|| Found {
        start: open,
        content: content.trim().to_owned(),
        unclosed: true,
    })
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(牵头单位|牵头部门|主责单位|责任单位|责任部门|配合单位|配合部门|参与单位|协办单位|协同单位)\s*[：:]?",
    )
    .expect("static pattern")
});
static CONVENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[。；，]?\s*(列|排|排列|列在|排在)第一位的?(者|单位)?为牵头(单位|部门)[^）]*$")
        .expect("static pattern")
});
const TRAILING: &[&str] = &[
    "按职责分工负责",
    "按职责分工",
    "分工负责",
    "按职责负责",
    "共同负责",
    "负责",
    "配合",
    "参与",
    "按职责",
    "共同",
    "等",
];

/// Parses an attribution's content; `None` when it names no units.
pub fn parse(content: &str, convention: &mut Convention) -> Option<Parsed> {
    let mut content = content.trim();
    // 列第一位者为牵头单位，下同: declared once, applies from here on.
    if let Some(m) = CONVENTION.find(content) {
        convention.first_is_lead = true;
        content = &content[..m.start()];
    }
    let labels: Vec<regex::Captures> = LABEL.captures_iter(content).collect();
    let mut parsed = Parsed::default();
    if !labels.is_empty() {
        let first = labels[0].get(0).map_or(0, |m| m.start());
        parsed.units.extend(tokens(&content[..first]));
        for (k, c) in labels.iter().enumerate() {
            let whole = c.get(0).map_or(0..0, |m| m.range());
            let end = labels
                .get(k + 1)
                .and_then(|n| n.get(0))
                .map_or(content.len(), |m| m.start());
            let names = tokens(&content[whole.end..end]);
            if c[1].starts_with("牵头") || c[1].starts_with("主责") {
                parsed.lead.extend(names);
            } else {
                parsed.units.extend(names);
            }
        }
    } else if let Some(i) = content.find("牵头") {
        parsed.lead = tokens(&content[..i]);
        parsed.units = tokens(&content[i + "牵头".len()..]);
    } else if content.contains("负责") {
        let names = content.split('。').next().unwrap_or("");
        let mut all = tokens(names);
        if convention.first_is_lead && !all.is_empty() {
            parsed.lead = vec![all.remove(0)];
        }
        parsed.units = all;
    } else {
        return None;
    }
    let all_unitish = parsed
        .lead
        .iter()
        .chain(&parsed.units)
        .all(|t| super::units::is_unit_like(t));
    (all_unitish && !(parsed.lead.is_empty() && parsed.units.is_empty())).then_some(parsed)
}

/// Splits a list of names at separators, dropping 由 … 负责 wording around it.
fn tokens(list: &str) -> Vec<String> {
    list.split(['、', '，', ',', '；', ';', '/', '／', ' ', '。'])
        .filter_map(|t| {
            let mut t = t.trim().trim_start_matches('由');
            loop {
                let before = t;
                for s in TRAILING {
                    t = t.strip_suffix(s).unwrap_or(t);
                }
                if t == before {
                    break;
                }
            }
            (!t.is_empty()).then(|| t.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(content: &str) -> Parsed {
        parse(content, &mut Convention::default()).unwrap_or_default()
    }

    #[test]
    fn finds_at_paragraph_end() {
        let f = find("正文。（牵头单位：市科协，责任单位：各成员单位）").unwrap();
        assert_eq!(f.content, "牵头单位：市科协，责任单位：各成员单位");
        assert!(!f.unclosed);
        let f = find("正文。（牵头单位：市总工会，责任单位：各成员单位 ").unwrap();
        assert!(f.unclosed);
        assert_eq!(f.content, "牵头单位：市总工会，责任单位：各成员单位");
        // An ordinary parenthesis is not an attribution.
        assert_eq!(find("建设科普场馆（站、所）。"), None);
        // Nested parentheses inside an attribution.
        let f = find("正文（牵头单位：市委宣传部（市新闻出版局））。").unwrap();
        assert_eq!(f.content, "牵头单位：市委宣传部（市新闻出版局）");
    }

    #[test]
    fn styles() {
        let a = p("牵头单位：市教育体育局，责任单位：市委宣传部、市融媒体中心");
        assert_eq!(a.lead, ["市教育体育局"]);
        assert_eq!(a.units, ["市委宣传部", "市融媒体中心"]);
        let a = p("牵头单位：市教育局；配合单位：市科协");
        assert_eq!(
            (a.lead, a.units),
            (vec!["市教育局".into()], vec!["市科协".into()])
        );
        let a = p("牵头单位：市科学技术协会责任单位：各成员单位");
        assert_eq!(
            (a.lead, a.units),
            (vec!["市科学技术协会".into()], vec!["各成员单位".into()])
        );
        let a = p("责任单位：鄂尔多斯应用技术学院、鄂尔多斯职业学院");
        assert!(a.lead.is_empty());
        assert_eq!(a.units.len(), 2);
        let a = p("市科协牵头，市教育局、市科技局按职责分工负责");
        assert_eq!(
            (a.lead, a.units),
            (
                vec!["市科协".into()],
                vec!["市教育局".into(), "市科技局".into()]
            )
        );
        let a = p("教育部、科技部等负责");
        assert!(a.lead.is_empty());
        assert_eq!(a.units, ["教育部", "科技部"]);
    }

    #[test]
    fn state_council_convention_carries_forward() {
        let mut c = Convention::default();
        let a = parse("中国科协、教育部负责。列第一位者为牵头单位，下同", &mut c).unwrap();
        assert_eq!(
            (a.lead, a.units),
            (vec!["中国科协".into()], vec!["教育部".into()])
        );
        assert!(c.first_is_lead);
        let a = parse("科技部、中国科学院、中国工程院等按职责分工负责", &mut c).unwrap();
        assert_eq!(a.lead, ["科技部"]);
        assert_eq!(a.units, ["中国科学院", "中国工程院"]);
    }

    #[test]
    fn not_attributions() {
        assert_eq!(parse("详见附件", &mut Convention::default()), None);
        assert_eq!(parse("由专人负责", &mut Convention::default()), None);
    }
}
