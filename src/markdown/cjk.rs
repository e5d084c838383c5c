//! Chinese text in Markdown: emphasis next to full-width punctuation, and soft line breaks
//! between CJK characters.
//!
//! CommonMark decides whether `**` can open or close emphasis from the characters on either
//! side ("flanking"). Its rules assume words are separated by spaces, so a closing `**` that
//! follows punctuation must be followed by a space or punctuation: `**注意：**正文` is not bold
//! in any conforming parser. We fix this before parsing: where a `*` or `~` delimiter run sits
//! between a punctuation character and a non-punctuation character and one of them is CJK,
//! an invisible sentinel (a private-use character, neither punctuation nor space) is put
//! between the punctuation and the run. The run then flanks the way a reader expects; the
//! sentinel is removed from every event after parsing, so it never reaches the output. `_`
//! is left alone: its rules also forbid emphasis inside words, which sentinels cannot fix.

use std::borrow::Cow;

use crate::text::{is_cjk, is_punctuation};

/// The invisible character inserted by [`prepare`] and removed by [`strip`].
pub const SENTINEL: char = '\u{E000}';

/// Inserts sentinels so that emphasis next to CJK punctuation parses (see the module doc).
/// Returns the text unchanged (borrowed) when nothing needs fixing.
pub fn prepare(src: &str) -> Cow<'_, str> {
    let bytes = src.as_bytes();
    // Byte offsets where a sentinel goes.
    let mut inserts = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'*', b'~', &bytes[i..]) {
        let start = i + k;
        let d = bytes[start];
        let mut end = start;
        while end < bytes.len() && bytes[end] == d {
            end += 1;
        }
        i = end;
        let (Some(p), Some(n)) = (src[..start].chars().next_back(), src[end..].chars().next())
        else {
            continue;
        };
        if p == '\\' || p.is_whitespace() || n.is_whitespace() || !(is_cjk(p) || is_cjk(n)) {
            continue;
        }
        match (is_punctuation(p), is_punctuation(n)) {
            // `：**正`: a closing run after punctuation.
            (true, false) => inserts.push(start),
            // `是**“`: an opening run before punctuation.
            (false, true) => inserts.push(end),
            _ => {}
        }
    }
    if inserts.is_empty() {
        return Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len() + inserts.len() * 3);
    let mut last = 0;
    for at in inserts {
        out.push_str(&src[last..at]);
        out.push(SENTINEL);
        last = at;
    }
    out.push_str(&src[last..]);
    Cow::Owned(out)
}

/// Removes sentinels from a piece of parsed text.
pub fn strip(s: &str) -> Cow<'_, str> {
    if s.contains(SENTINEL) {
        Cow::Owned(s.replace(SENTINEL, ""))
    } else {
        Cow::Borrowed(s)
    }
}

/// True when a soft line break between these characters should vanish (Chinese text does
/// not put spaces between words, so a line wrapped in the source must not show one).
pub fn join_without_space(before: Option<char>, after: Option<char>) -> bool {
    matches!((before, after), (Some(b), Some(a)) if is_cjk(b) && is_cjk(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_plain_text_alone() {
        assert!(matches!(prepare("没有强调"), Cow::Borrowed(_)));
        assert!(matches!(prepare("**foo.**bar"), Cow::Borrowed(_)));
        assert!(matches!(prepare("a * b"), Cow::Borrowed(_)));
        assert!(matches!(prepare("**重点**内容"), Cow::Borrowed(_)));
    }

    #[test]
    fn inserts_where_needed() {
        assert_eq!(
            prepare("**注意：**正文"),
            format!("**注意：{SENTINEL}**正文")
        );
        assert_eq!(
            prepare("这是**“重点”**内容"),
            format!("这是**{SENTINEL}“重点”{SENTINEL}**内容")
        );
        assert_eq!(strip(&prepare("**注意：**正文")), "**注意：**正文");
    }
}
