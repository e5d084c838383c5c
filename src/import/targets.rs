//! Quantitative targets (指标) in running text: a number with a measure word (`25所`,
//! `6000人`, `90%`, `10万人`), its comparison (不少于/至少/不低于 … → `>=`, `以上` → `>=`,
//! 不超过/以内 → `<=`, 左右/达到 → `=`), its deadline (到2025年, “十四五”末) and its recurring
//! period (每年, 每学期, “十四五”期间). Numbers that are not targets are skipped: years and
//! dates, numbers inside “…” or 《…》 (names such as “12396” or “百名专家”), numbers with no
//! measure word (工程2.0), counts of the plan's own actions (实施5项提升行动). Chinese-numeral
//! amounts (百名, 一座) are names or style, never targets.

use std::sync::LazyLock;

use regex::Regex;

use super::outline::Para;
use super::report::{Doubt, DoubtKind};
use crate::load::front_matter::Cmp;

/// A target found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub label: String,
    pub value: f64,
    pub unit: Option<String>,
    pub by: Option<i32>,
    pub cmp: Cmp,
    pub per: Option<String>,
    pub line: usize,
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(万|亿|千)?\s*(个百分点|%|平方公里|平方米|平米|公里|千米|人次|户次|场次|批次|万元|亿元|元|人|名|位|场|次|期|项|户|处|家|座|所|个|篇|部|件|套|台|批|支|种|门|节|课时|届|类|亩|村|间|条|倍|小时|天|本|册|块|辆|张|份|家次|套)?",
    )
    .expect("static pattern")
});
static FIVE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"到?“?十([一二三四五六七八九]?)五”?\s*(期间|时期|末|期末)").expect("static pattern")
});
static DEADLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:到|至|截至)?(\d{4})年(?:底|末|前)?").expect("static pattern"));
static PERIOD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"每(学年|学期|年度|年|季度|半年|月|周)").expect("static pattern"));
static AT_LEAST_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"不少于|不低于|至少|超过|高于|多于").expect("static"));
static AT_MOST_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"不超过|不高于|控制在|低于|少于").expect("static"));
static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(及以上|以上|以下|及以下|以内|左右|多)(的)?").expect("static pattern")
});
static QUOTED_LIST_ETC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:“[^”]*”[、，]?)+等").expect("static pattern"));
static LABEL_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"不少于|不低于|至少|不超过|不高于|控制在|(达到|达)$").expect("static pattern")
});

/// Extracts the targets of a page's paragraphs. Skipped numbers are reported.
pub fn extract(paras: &[Para], doubts: &mut Vec<Doubt>) -> Vec<Found> {
    let mut out = Vec::new();
    for para in paras {
        for sentence in para.text.split_inclusive(['。', '！', '？', '；']) {
            sentence_targets(sentence, para.line, &mut out, doubts);
        }
    }
    out
}

fn sentence_targets(sentence: &str, line: usize, out: &mut Vec<Found>, doubts: &mut Vec<Doubt>) {
    let quoted = quoted_ranges(sentence);
    let in_quotes = |i: usize| quoted.iter().any(|r| r.contains(&i));
    let mut by: Option<i32> = None;
    let mut inherited_per: Option<String> = None;
    let mut prev_label: Option<String> = None;
    let mut offset = 0;
    for clause in sentence.split_inclusive(['，', '：']) {
        let clause_start = offset;
        offset += clause.len();
        let mut clause_per: Option<String> = None;
        for c in FIVE_YEAR.captures_iter(clause) {
            let n = super::metadata::cn_number(&c[1]);
            by = Some(1955 + 5 * (10 + n as i32));
            if matches!(&c[2], "期间" | "时期") {
                clause_per = Some(format!("十{}五期间", &c[1]));
            }
        }
        for c in DEADLINE.captures_iter(clause) {
            let is_deadline = c
                .get(0)
                .is_some_and(|m| m.as_str().starts_with(['到', '至', '截']))
                || c.get(0)
                    .is_some_and(|m| m.as_str().ends_with(['底', '末', '前']));
            if is_deadline {
                by = c[1].parse().ok();
            }
        }
        if let Some(c) = PERIOD.captures(clause) {
            clause_per = Some(c[0].to_owned());
        }
        // 每校, 每名: the clause has its own scope, so an earlier period does not carry over.
        let scoped = PERIOD.replace_all(clause, "").contains('每');
        let mut seg_start = 0;
        for m in NUMBER.captures_iter(clause) {
            let whole = m.get(0).map_or(0..0, |x| x.range());
            let digits = &m[1];
            let after = &clause[whole.end..];
            let before = &clause[..whole.start];
            let skip = |reason: &str, doubts: &mut Vec<Doubt>| {
                doubts.push(Doubt::new(
                    line,
                    DoubtKind::NumberSkipped,
                    format!(
                        "`{}` not taken as a target: {reason}",
                        whole_text(clause, &whole)
                    ),
                ));
            };
            // Years, dates and durations.
            if after.starts_with(['年', '月', '日', '号'])
                || m.get(3).is_none() && after.starts_with('—')
            {
                continue;
            }
            if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.') {
                continue;
            }
            // The numeral of a sub-heading kept in the text (`1.完善…`).
            if clause_start + whole.start == 0 && after.starts_with(['.', '．', '、']) {
                continue;
            }
            if in_quotes(clause_start + whole.start) {
                skip("inside quotation marks, part of a name", doubts);
                continue;
            }
            let Some(mut unit) = m.get(3).map(|u| u.as_str().to_owned()) else {
                skip("no measure word after it", doubts);
                continue;
            };
            if before.ends_with("实施")
                && ["行动", "工程", "任务", "举措", "措施"]
                    .iter()
                    .any(|w| after.contains(w))
            {
                skip("counts the plan's own actions or projects", doubts);
                continue;
            }
            let Ok(mut value) = digits.replace(',', "").parse::<f64>() else {
                continue;
            };
            let multiplier = m.get(2).map(|x| x.as_str());
            if let (Some(mult), "元") = (multiplier, unit.as_str()) {
                // Money keeps the unit as written: 500万元 is 500 of 万元.
                unit = format!("{mult}元");
            } else {
                value *= match multiplier {
                    Some("万") => 10_000.0,
                    Some("亿") => 100_000_000.0,
                    Some("千") => 1_000.0,
                    _ => 1.0,
                };
            }
            let seg_before = &clause[seg_start..whole.start];
            let mut cmp = if AT_LEAST_BEFORE.is_match(seg_before) {
                Cmp::AtLeast
            } else if AT_MOST_BEFORE.is_match(seg_before) {
                Cmp::AtMost
            } else {
                Cmp::Equal
            };
            let mut end = whole.end;
            if let Some(a) = AFTER.captures(after) {
                cmp = match &a[1] {
                    "以上" | "及以上" | "多" => Cmp::AtLeast,
                    "以下" | "及以下" | "以内" => Cmp::AtMost,
                    _ => cmp,
                };
                end += a[0].len();
            } else if after.starts_with('的') {
                end += '的'.len_utf8();
            }
            let per = clause_per.clone().or_else(|| {
                (!scoped && unit != "%" && unit != "个百分点")
                    .then(|| inherited_per.clone())
                    .flatten()
            });
            // Words after the number belong to the label up to the next list item or number.
            let rest = &clause[end..];
            let rest = &rest[..rest
                .find(|c: char| c == '、' || c.is_ascii_digit())
                .unwrap_or(rest.len())];
            let label_text = if seg_start > 0 {
                seg_before.to_owned()
            } else {
                format!("{seg_before}{rest}")
            };
            let mut label = clean_label(&label_text);
            if label.chars().filter(|c| crate::text::is_han(*c)).count() < 3
                && let Some(prev) = &prev_label
            {
                label = format!("{prev}：{label}{unit}");
            }
            prev_label = Some(label.clone());
            out.push(Found {
                label,
                value,
                unit: Some(unit),
                by,
                cmp,
                per,
                line,
            });
            seg_start = end;
        }
        if clause_per.is_some() {
            inherited_per = clause_per;
        }
    }
}

fn whole_text(clause: &str, range: &std::ops::Range<usize>) -> String {
    clause[range.clone()].to_owned()
}

/// Byte ranges inside “…”, 《…》, 「…」 and ‘…’.
fn quoted_ranges(s: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (i, c) in s.char_indices() {
        match (open, c) {
            (None, '“' | '《' | '「' | '‘') => open = Some((c, i)),
            (Some(('“', start)), '”')
            | (Some(('《', start)), '》')
            | (Some(('「', start)), '」')
            | (Some(('‘', start)), '’') => {
                out.push(start..i);
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// The words of a clause around a number, made into a label: deadline, period and
/// comparison words removed, an enumeration of quoted names before 等 dropped.
fn clean_label(text: &str) -> String {
    let t = FIVE_YEAR.replace_all(text, "");
    let t = DEADLINE.replace_all(&t, "");
    let t = PERIOD.replace_all(&t, "");
    let t = QUOTED_LIST_ETC.replace_all(&t, "");
    let trim = |s: &str| -> String {
        s.trim_matches(|c: char| {
            matches!(c, '，' | '、' | '。' | '；' | '：' | '的') || c.is_whitespace()
        })
        .to_owned()
    };
    let t = trim(&t);
    let t = trim(&LABEL_NOISE.replace_all(&t, ""));
    t.strip_prefix("要").unwrap_or(&t).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<Found>, Vec<Doubt>) {
        let mut d = Vec::new();
        let t = extract(
            &[Para {
                line: 1,
                text: text.into(),
            }],
            &mut d,
        );
        (t, d)
    }

    #[test]
    fn seed_sentences() {
        let (t, _) = run(
            "到2025年，命名科技教育示范学校25所，每校每学期举办科普讲座不少于2次，参与活动的在校学生人数达到90%以上。",
        );
        assert_eq!(t.len(), 3);
        assert_eq!(
            (t[0].label.as_str(), t[0].value, t[0].by),
            ("命名科技教育示范学校", 25.0, Some(2025))
        );
        assert_eq!(t[0].unit.as_deref(), Some("所"));
        assert_eq!(
            (t[1].cmp, t[1].per.as_deref()),
            (Cmp::AtLeast, Some("每学期"))
        );
        assert_eq!(t[1].label, "每校举办科普讲座");
        assert_eq!(
            (t[2].value, t[2].cmp, t[2].per.as_deref()),
            (90.0, Cmp::AtLeast, None)
        );
        assert_eq!(t[2].label, "参与活动的在校学生人数");

        let (t, _) =
            run("到“十四五”末，注册科技志愿者人数达10万人以上，科普信息员覆盖率进一步提升。");
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].value, t[0].by, t[0].cmp),
            (100000.0, Some(2025), Cmp::AtLeast)
        );
        assert_eq!(t[0].unit.as_deref(), Some("人"));
        assert_eq!(t[0].label, "注册科技志愿者人数");

        let (t, _) = run(
            "“十四五”期间，每年开展农牧民技术培训40场次，服务指导农牧民50000人次，力促每名劳动力掌握12项实用技术。",
        );
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].per.as_deref(), Some("每年"));
        assert_eq!(t[1].per.as_deref(), Some("每年"));
        assert_eq!(t[2].per, None);
        assert!(t.iter().all(|t| t.by == Some(2025)));

        let (t, _) =
            run("开展“智爱妈妈”“我和妈妈学科学”等妇女、儿童科学素质培训50场次，培训2000人次以上。");
        assert_eq!(t[0].label, "开展妇女、儿童科学素质培训");
        assert_eq!(t[1].label, "开展妇女、儿童科学素质培训：培训人次");
        assert_eq!(t[1].cmp, Cmp::AtLeast);

        let (t, _) = run("每校每学期至少安排1次科普研学实践教育活动。");
        assert_eq!((t[0].cmp, t[0].value), (Cmp::AtLeast, 1.0));
        assert_eq!(t[0].label, "每校安排科普研学实践教育活动");

        let (t, _) = run("在主城区建设一座市级科技馆，每个旗区要建成1000平米以上的科普场馆。");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].label, "每个旗区要建成科普场馆");
        assert_eq!(t[0].unit.as_deref(), Some("平米"));

        let (t, _) = run("遴选科技示范户1200户左右。");
        assert_eq!(
            (t[0].cmp, t[0].label.as_str()),
            (Cmp::Equal, "遴选科技示范户")
        );
    }

    #[test]
    fn not_targets() {
        let (t, d) = run(
            "实施完成中小学教师信息技术应用能力提升工程2.0，推动“12396”农牧业科技信息服务化平台，开展“百名专家走进盟市旗县科普传播行”，编制2035年远景目标纲要，在“十四五”时期实施5项提升行动。",
        );
        assert!(t.is_empty(), "{t:?}");
        assert_eq!(d.len(), 3, "{d:?}");
    }
}
