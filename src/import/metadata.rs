//! Document metadata (公文要素): the head of a published notice — 发布日期/来源 lines of the
//! web page, the notice title (关于印发……的通知), 发文字号, addressees, signature (发文机关) and
//! 成文日期 — and the plan title that starts the plan itself. Also the basis documents
//! (《…》(文号)) named in the preamble.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::Line;
use super::outline;
use super::report::{Doubt, DoubtKind};
use crate::load::front_matter::{BasisDocument, DocumentMeta};

/// The document head, split from the plan body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Head {
    /// The plan's title (the line that starts the plan, or the title inside the notice).
    pub title: Option<String>,
    pub meta: DocumentMeta,
    /// The plan itself: preamble, headings and text, after the title line.
    pub body: Vec<Line>,
}

static META_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(发布日期|发布时间|成文日期|发文日期|印发日期|信息来源|来源|作者|索引号|发文字号|发文机关|主题分类|主题词|有效性|字号|浏览次数|点击数)\s*[：:]",
    )
    .expect("static pattern")
});
static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(.{0,40}?)关于(印发|发布|转发|颁布|印送)?(.+?)的(通知|意见|决定|公告|通告|函|批复)$",
    )
    .expect("static pattern")
});
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Han}{1,12})\s*[〔\[［（(【]\s*(\d{4})\s*[〕\]］）)】]\s*(\d{1,4})\s*号$")
        .expect("static pattern")
});
static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})").expect("static pattern")
});
static CN_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$").expect("static pattern"));
static CN_NUMERAL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([〇零○O０一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$")
        .expect("static pattern")
});
static DAMAGED_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})年(\d{2,4})日?$").expect("static pattern"));

/// Splits the document head from the plan body and reads its metadata.
pub fn split_head(lines: Vec<Line>, doubts: &mut Vec<Doubt>) -> Head {
    let first_heading = lines
        .iter()
        .position(|l| outline::parse_heading(&l.text).is_some())
        .unwrap_or(lines.len());
    let mut meta = DocumentMeta::default();
    let mut consumed = vec![false; lines.len()];
    let mut notice_plan_title = None;
    let mut issuer_from_notice = None;
    let mut date_line = None;

    for (i, line) in lines[..first_heading].iter().enumerate() {
        let text = line.text.as_str();
        if META_KEY.find(text).is_some_and(|m| m.start() == 0) {
            read_meta_line(text, line.no, &mut meta, doubts);
            consumed[i] = true;
        } else if meta.notice_title.is_none()
            && let Some(c) = NOTICE.captures(text)
        {
            meta.notice_title = Some(text.to_owned());
            let issuer = c[1].trim();
            if !issuer.is_empty() {
                issuer_from_notice = Some(issuer.to_owned());
            }
            if c.get(2).is_some() {
                notice_plan_title = Some(c[3].trim_matches(['《', '》']).to_owned());
            }
            consumed[i] = true;
        } else if meta.doc_number.is_none()
            && let Some(c) = DOC_NUMBER.captures(text)
        {
            meta.doc_number = Some(format!("{}〔{}〕{}号", &c[1], &c[2], &c[3]));
            consumed[i] = true;
        } else if date_line.is_none()
            && meta.notice_title.is_some()
            && text.chars().count() <= 16
            && let Some(date) = parse_date(text, line.no, doubts)
        {
            meta.written = date;
            date_line = Some(i);
            consumed[i] = true;
            // The signature (发文机关) stands just above the date.
            if i > 0 && !consumed[i - 1] && is_signature(&lines[i - 1].text) {
                meta.issuer = Some(lines[i - 1].text.clone());
                consumed[i - 1] = true;
            }
        }
    }
    if meta.issuer.is_none() {
        meta.issuer = issuer_from_notice.or_else(|| meta.source.clone());
    }

    // The plan title: the line repeating the title named in the notice; without a notice,
    // the first title-like line.
    let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let title_index = notice_plan_title
        .as_ref()
        .and_then(|t| {
            let t = squash(t);
            (0..first_heading).find(|&i| !consumed[i] && squash(&lines[i].text) == t)
        })
        .or_else(|| {
            let start = date_line.map_or(0, |d| d + 1);
            (start..first_heading).find(|&i| !consumed[i] && is_title_like(&lines[i].text))
        });
    let (title, body_start) = match title_index {
        Some(i) => (Some(lines[i].text.clone()), i + 1),
        None => (
            notice_plan_title.clone(),
            date_line.map_or_else(
                || consumed.iter().rposition(|&c| c).map_or(0, |i| i + 1),
                |d| d + 1,
            ),
        ),
    };
    let body: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i >= body_start && !consumed[*i])
        .map(|(_, l)| l)
        .collect();

    // Basis documents: the 《…》 named in the preamble's 根据/依据/按照 sentence.
    for line in body
        .iter()
        .take_while(|l| outline::parse_heading(&l.text).is_none())
    {
        if ["根据", "依据", "按照", "贯彻落实"]
            .iter()
            .any(|k| line.text.contains(k))
        {
            meta.basis
                .extend(basis_documents(&line.text, line.no, doubts));
        }
    }
    Head { title, meta, body }
}

fn read_meta_line(text: &str, line: usize, meta: &mut DocumentMeta, doubts: &mut Vec<Doubt>) {
    let keys: Vec<regex::Match> = META_KEY.find_iter(text).collect();
    for (k, m) in keys.iter().enumerate() {
        let end = keys.get(k + 1).map_or(text.len(), |n| n.start());
        let value = text[m.end()..end].trim();
        // A value is one token: the page puts widgets after it ("来源：X 字号：").
        let value = value.split_whitespace().next().unwrap_or("");
        if value.is_empty() {
            continue;
        }
        let key = m.as_str().trim_end_matches([':', '：']).trim();
        match key {
            "发布日期" | "发布时间" => {
                meta.published = parse_date(value, line, doubts).flatten()
            }
            "成文日期" | "发文日期" | "印发日期" => {
                meta.written = parse_date(value, line, doubts).flatten()
            }
            "来源" | "信息来源" => meta.source = Some(value.to_owned()),
            "索引号" => meta.index_number = Some(value.to_owned()),
            "发文字号" => meta.doc_number = Some(value.to_owned()),
            "发文机关" => meta.issuer = Some(value.to_owned()),
            _ => {}
        }
    }
}

/// A signature line: a short name with no punctuation (鄂尔多斯市人民政府).
fn is_signature(text: &str) -> bool {
    let n = text.chars().count();
    (3..=30).contains(&n) && text.chars().all(crate::text::is_han)
}

/// A title line: short, no sentence punctuation, not a heading.
fn is_title_like(text: &str) -> bool {
    let n = text.chars().count();
    (4..=80).contains(&n)
        && !text.contains(['。', '，', '；', '：'])
        && outline::parse_heading(text).is_none()
}

/// Reads a date line. `None`: not a date at all. `Some(None)`: a date that could not be
/// read (reported). `Some(Some("YYYY-MM-DD"))`: a date, perhaps guessed (reported).
pub fn parse_date(text: &str, line: usize, doubts: &mut Vec<Doubt>) -> Option<Option<String>> {
    let text = text.trim();
    if let Some(c) = CN_DATE.captures(text).or_else(|| {
        ISO_DATE
            .captures(text)
            .filter(|c| c.get(0).is_some_and(|m| m.start() == 0))
    }) {
        let (y, m, d) = (num(&c[1]), num(&c[2]), num(&c[3]));
        return Some(checked(valid_date(y, m, d), text, line, doubts));
    }
    if let Some(c) = CN_NUMERAL_DATE.captures(text) {
        let y: String = c[1]
            .chars()
            .filter_map(cn_digit)
            .map(|d| d.to_string())
            .collect();
        let date = valid_date(num(&y), cn_number(&c[2]), cn_number(&c[3]));
        return Some(checked(date, text, line, doubts));
    }
    if let Some(c) = DAMAGED_DATE.captures(text) {
        let y = num(&c[1]);
        let digits = &c[2];
        let mut readings = Vec::new();
        for cut in 1..digits.len() {
            let (m, d) = (num(&digits[..cut]), num(&digits[cut..]));
            if digits[cut..].len() <= 2
                && digits[..cut].len() <= 2
                && let Some(date) = valid_date(y, m, d)
            {
                readings.push(date);
            }
        }
        if readings.len() == 1 {
            let date = readings.remove(0);
            doubts.push(Doubt::new(
                line,
                DoubtKind::DamagedDate,
                format!("damaged date `{text}` read as {date}"),
            ));
            return Some(Some(date));
        }
        doubts.push(Doubt::new(
            line,
            DoubtKind::DamagedDate,
            format!("damaged date `{text}` could not be read; left out"),
        ));
        return Some(None);
    }
    None
}

fn checked(
    date: Option<String>,
    text: &str,
    line: usize,
    doubts: &mut Vec<Doubt>,
) -> Option<String> {
    if date.is_none() {
        doubts.push(Doubt::new(
            line,
            DoubtKind::DamagedDate,
            format!("`{text}` is not a valid date; left out"),
        ));
    }
    date
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

fn cn_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or(matches!(c, '零' | '○' | 'O' | '０').then_some(0))
}

/// 一 … 九十九 → number (0 when not a numeral).
pub fn cn_number(s: &str) -> u32 {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => 10,
        ['十', u] => 10 + cn_digit(*u).unwrap_or(0),
        [t, '十'] => cn_digit(*t).unwrap_or(0) * 10,
        [t, '十', u] => cn_digit(*t).unwrap_or(0) * 10 + cn_digit(*u).unwrap_or(0),
        [u] => cn_digit(*u).unwrap_or(0),
        _ => 0,
    }
}

fn valid_date(y: u32, m: u32, d: u32) -> Option<String> {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..2200).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

static BOOK_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"《([^《》]+)》").expect("static pattern"));
static DOC_NUMBER_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^（(\p{Han}{1,12}〔\d{4}〕\d{1,4}号)）").expect("static pattern")
});
static DOC_NUMBER_DAMAGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^（(\p{Han}{1,12}[〔\[［]?[\d〔〕\[\]］]{2,12}号?)").expect("static")
});

/// The documents named as basis: `《title》（文号）`, the number optional.
pub fn basis_documents(text: &str, line: usize, doubts: &mut Vec<Doubt>) -> Vec<BasisDocument> {
    let mut out = Vec::new();
    for c in BOOK_TITLE.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let after = &text[whole.end..];
        let title = c[1].to_owned();
        let number = if let Some(n) = DOC_NUMBER_IN_TEXT.captures(after) {
            Some(n[1].to_owned())
        } else {
            if let Some(n) = DOC_NUMBER_DAMAGED.captures(after) {
                doubts.push(Doubt::new(
                    line,
                    DoubtKind::DamagedDocNumber,
                    format!(
                        "the document number after 《{title}》 is damaged (`{}`, closing parenthesis missing); left out — please check the original",
                        &n[1]
                    ),
                ));
            }
            None
        };
        out.push(BasisDocument { title, number });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let mut d = Vec::new();
        assert_eq!(
            parse_date("2022年12月21日", 1, &mut d),
            Some(Some("2022-12-21".into()))
        );
        assert_eq!(
            parse_date("2023-01-07 10:53", 1, &mut d),
            Some(Some("2023-01-07".into()))
        );
        assert_eq!(
            parse_date("二〇二二年十二月二十一日", 1, &mut d),
            Some(Some("2022-12-21".into()))
        );
        assert!(d.is_empty());
        assert_eq!(
            parse_date("2022年1221", 7, &mut d),
            Some(Some("2022-12-21".into()))
        );
        assert_eq!(d.len(), 1);
        // 2022年121: 1月21日 or 12月1日 — ambiguous, left out and reported.
        assert_eq!(parse_date("2022年121", 8, &mut d), Some(None));
        assert_eq!(d.len(), 2);
        assert_eq!(parse_date("鄂尔多斯市人民政府", 1, &mut d), None);
        assert_eq!(parse_date("2022年13月40日", 1, &mut d), Some(None));
    }

    #[test]
    fn basis() {
        let mut d = Vec::new();
        let b = basis_documents(
            "根据《国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知》（国发〔2021〕9号）和《某某纲要》（鄂府发〔20221要求，制定本方案。",
            4,
            &mut d,
        );
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].number.as_deref(), Some("国发〔2021〕9号"));
        assert_eq!(b[1].number, None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, DoubtKind::DamagedDocNumber);
    }

    #[test]
    fn numerals() {
        assert_eq!(cn_number("十二"), 12);
        assert_eq!(cn_number("二十一"), 21);
        assert_eq!(cn_number("三"), 3);
        assert_eq!(cn_number("二十"), 20);
    }
}
