//! Cleaning: bytes → numbered text lines. Decodes (UTF-8, UTF-16 with BOM, GB18030), drops
//! the web-page chrome a scraped government page carries (banner, breadcrumb, 字号 widget,
//! footer with 网站标识码 and ICP numbers, 政策解读 links), and normalises punctuation so that
//! later stages see one spelling: full-width Chinese punctuation, `—` in year ranges,
//! damaged year ranges (`20212025`) repaired.

use std::sync::LazyLock;

use regex::Regex;

use super::report::{Doubt, DoubtKind};
use crate::text::is_cjk;

/// One line of the source, with its 1-based line number.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub no: usize,
    pub text: String,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodeError {
    /// No bytes, or only whitespace.
    Empty,
    /// Looks like a binary file: NUL or many control bytes, first seen at this byte offset.
    Binary { offset: usize },
    /// Not valid in any supported encoding; first bad byte at this offset.
    Encoding { offset: usize },
}

/// Decodes a file's bytes. UTF-8 (with or without BOM) first, then UTF-16 with a BOM, then
/// GB18030 (a superset of GBK/GB2312, still common on government sites).
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        // UTF-16 text is full of NULs; let the BOM decide before calling it binary.
        if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes)
            && enc != encoding_rs::UTF_8
        {
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
            if had_errors {
                return Err(DecodeError::Encoding { offset: bom_len });
            }
            return check_text(text.into_owned());
        }
        return Err(DecodeError::Binary { offset });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => check_text(text.to_owned()),
        Err(utf8_error) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(body);
            if had_errors {
                return Err(DecodeError::Encoding {
                    offset: utf8_error.valid_up_to() + (bytes.len() - body.len()),
                });
            }
            check_text(text.into_owned())
        }
    }
}

fn check_text(text: String) -> Result<String, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut controls = 0usize;
    let mut first = None;
    for (i, c) in text.char_indices() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            controls += 1;
            first.get_or_insert(i);
        }
    }
    if let Some(offset) = first
        && controls * 200 > text.chars().count()
    {
        return Err(DecodeError::Binary { offset });
    }
    Ok(text)
}

/// Splits into trimmed, non-empty lines (keeping line numbers), normalising spaces.
pub fn lines(text: &str) -> Vec<Line> {
    text.split('\n')
        .enumerate()
        .filter_map(|(i, raw)| {
            let t: String = raw
                .chars()
                .map(|c| match c {
                    '\u{3000}' | '\u{a0}' | '\t' | '\u{c}' => ' ',
                    c if c.is_control() => ' ',
                    c => c,
                })
                .collect();
            let t = t.trim();
            (!t.is_empty()).then(|| Line {
                no: i + 1,
                text: t.to_owned(),
            })
        })
        .collect()
}

static CHROME: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"^欢迎(进入|访问|来到|光临)",
        r"^(首页|当前位置|您的位置|您现在的位置|位置)\s*[>＞:：»]",
        r"[>＞»].*[>＞»].*[>＞»]",
        r"字号\s*[:：]?\s*(大|中|小|下载|打印|\s|$)",
        r"网站地图|网站标识码|ICP\s*备|公网安备|技术支持\s*[:：]|版权所有|Copyright|©",
        r"^(主办单位|承办单位|主办|承办|联系我们)\s*[:：]",
        r"^(政策解读|原文链接|相关链接|相关文件|扫一扫|分享到|【?打印(本页)?】?|【?关闭(窗口)?】?)(\s|[:：]|$)",
        r"^(电话|传真|邮箱|地址|邮编)\s*[:：]",
        r"^(上一篇|下一篇)\s*[:：]",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("static chrome pattern"))
    .collect()
});

static META_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(发布日期|发布时间|成文日期|发文日期|索引号|发文字号|发文机关|来源|信息来源)\s*[：:]",
    )
    .expect("static pattern")
});

/// True when a line is web-page chrome, not part of the document. Metadata lines of the
/// page (发布日期：…) are not chrome, even when a 字号 widget trails them.
pub fn is_chrome(line: &str) -> bool {
    !META_LINE.is_match(line) && CHROME.iter().any(|re| re.is_match(line))
}

/// Removes chrome lines, recording one doubtful spot that lists them.
pub fn strip_chrome(lines: Vec<Line>, doubts: &mut Vec<Doubt>) -> Vec<Line> {
    let (chrome, kept): (Vec<Line>, Vec<Line>) =
        lines.into_iter().partition(|l| is_chrome(&l.text));
    if let Some(first) = chrome.first() {
        let numbers: Vec<String> = chrome.iter().map(|l| l.no.to_string()).collect();
        doubts.push(Doubt::new(
            first.no,
            DoubtKind::ChromeRemoved,
            format!(
                "removed {} line(s) of web-page chrome (lines {})",
                chrome.len(),
                numbers.join(", ")
            ),
        ));
    }
    kept
}

/// Normalises punctuation in a line of Chinese text: ASCII `, ; : ! ?` next to CJK become
/// full-width, parentheses become full-width in lines with Han text, ASCII double quotes
/// become “ ”, `％` becomes `%`, and spaces next to CJK characters go.
pub fn normalize_punct(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let has_han = chars.iter().any(|&c| crate::text::is_han(c));
    let mut out = String::with_capacity(line.len());
    let mut open_quote = true;
    for (i, &c) in chars.iter().enumerate() {
        let prev = chars[..i]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .copied();
        let next = chars[i + 1..].iter().find(|c| !c.is_whitespace()).copied();
        let near_cjk = prev.is_some_and(is_cjk) || next.is_some_and(is_cjk);
        let between_digits =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        let mapped = match c {
            ',' if near_cjk || (has_han && !between_digits) => '，',
            ';' if near_cjk || has_han => '；',
            ':' if (near_cjk || has_han) && !between_digits => '：',
            '!' if near_cjk => '！',
            '?' if near_cjk => '？',
            '(' if has_han => '（',
            ')' if has_han => '）',
            '％' => '%',
            '"' if has_han => {
                open_quote = !open_quote;
                if open_quote { '”' } else { '“' }
            }
            c => c,
        };
        if mapped.is_whitespace() {
            // Keep a space only between two non-CJK characters ("APP 1.0", "A B").
            if prev.is_some_and(|p| !is_cjk(p)) && next.is_some_and(|n| !is_cjk(n)) {
                out.push(' ');
            }
            continue;
        }
        out.push(mapped);
    }
    // Collapse runs of spaces left by the rule above.
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if c == ' ' && collapsed.ends_with(' ') {
            continue;
        }
        collapsed.push(c);
    }
    collapsed
}

static YEAR_RANGE_DASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*(?:-|–|－|~|～|—{1,2}|至)\s*((?:19|20)\d{2})")
        .expect("static pattern")
});
static EIGHT_DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+").expect("static pattern"));

/// Writes year ranges with the 一字线 `—` of official documents, and repairs year ranges
/// whose dash was lost (`20212025` → `2021—2025`), reporting each repair.
pub fn fix_year_ranges(text: &str, line: usize, doubts: &mut Vec<Doubt>) -> String {
    let dashed = YEAR_RANGE_DASH.replace_all(text, "$1—$2").into_owned();
    EIGHT_DIGITS
        .replace_all(&dashed, |caps: &regex::Captures| {
            let digits = &caps[0];
            if let Some((a, b)) = split_year_pair(digits) {
                doubts.push(Doubt::new(
                    line,
                    DoubtKind::DamagedYear,
                    format!("damaged year range `{digits}` read as {a}—{b}"),
                ));
                format!("{a}—{b}")
            } else {
                digits.to_owned()
            }
        })
        .into_owned()
}

/// `20212025` → (2021, 2025) when it is two plausible years, the second later by at most 30.
fn split_year_pair(digits: &str) -> Option<(u32, u32)> {
    if digits.len() != 8 {
        return None;
    }
    let a: u32 = digits[..4].parse().ok()?;
    let b: u32 = digits[4..].parse().ok()?;
    ((1900..2100).contains(&a) && b > a && b - a <= 30).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_is_normalised() {
        assert_eq!(
            normalize_punct("(牵头单位:市教育体育局,责任单位:市委宣传部)"),
            "（牵头单位：市教育体育局，责任单位：市委宣传部）"
        );
        assert_eq!(normalize_punct("到“十四五” 末,注册"), "到“十四五”末，注册");
        assert_eq!(
            normalize_punct("发布日期:2023-01-07 10:53"),
            "发布日期：2023-01-07 10:53"
        );
        assert_eq!(normalize_punct("达到10,000人"), "达到10,000人");
        assert_eq!(normalize_punct("开展\"双减\"行动"), "开展“双减”行动");
    }

    #[test]
    fn year_ranges() {
        let mut d = Vec::new();
        assert_eq!(
            fix_year_ranges("纲要(20212035年)", 3, &mut d),
            "纲要(2021—2035年)"
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 3);
        assert_eq!(fix_year_ranges("(2021-2025年)", 1, &mut d), "(2021—2025年)");
        // Not years: a phone number, a count.
        assert_eq!(
            fix_year_ranges("12345678 20252021", 1, &mut d),
            "12345678 20252021"
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn chrome() {
        assert!(is_chrome("首页>政府信息公开>法定主动公开内容>政策文件"));
        assert!(is_chrome(
            "蒙ICP备19004460号-1   蒙公网安备 15062702000141号"
        ));
        assert!(is_chrome("欢迎进入鄂尔多斯市审计局!"));
        assert!(is_chrome("政策解读:一图读懂《方案》 原文链接:通知"));
        assert!(!is_chrome("（一）加强组织领导"));
        assert!(!is_chrome("开展科普活动，主办单位要加强协作。"));
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n "), Err(DecodeError::Empty));
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0"),
            Err(DecodeError::Binary { .. })
        ));
        let (gbk, _, _) = encoding_rs::GBK.encode("一、总体要求");
        assert_eq!(decode(&gbk).as_deref(), Ok("一、总体要求"));
        assert_eq!(decode("\u{feff}科普".as_bytes()).as_deref(), Ok("科普"));
    }
}
