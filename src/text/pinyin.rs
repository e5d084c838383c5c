//! Pinyin of Chinese text (toneless, most common reading), for search and for URL slugs.
//!
//! `ü` is written `v` (as on keyboards), so every result is ASCII. Characters without a
//! reading (Latin letters, digits, punctuation) are handled per function: see each one. Built on the `pinyin` crate with only its `plain` feature.

use pinyin::ToPinyin;

/// The toneless pinyin syllable of each character, `None` for characters that have none.
pub fn syllables(s: &str) -> Vec<Option<&'static str>> {
    s.chars().map(syllable).collect()
}

/// The toneless pinyin syllable of one character, `None` when it has none.
pub fn syllable(c: char) -> Option<&'static str> {
    c.to_pinyin().map(|p| p.plain())
}

/// Full pinyin, syllables run together: `科技馆` → `kejiguan`. ASCII letters and digits are
/// kept (lowercased); every other character without a reading is dropped.
pub fn pinyin_full(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => push_ascii(&mut out, p.plain()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => {}
        }
    }
    out
}

/// The first letter of each syllable: `科技馆` → `kjg`. ASCII letters and digits are kept
/// (lowercased); every other character without a reading is dropped.
pub fn pinyin_initials(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => push_ascii(&mut out, p.first_letter()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => {}
        }
    }
    out
}

/// Appends a syllable with `ü` written as `v`.
pub fn push_ascii(out: &mut String, syllable: &str) {
    out.extend(syllable.chars().map(|c| if c == 'ü' { 'v' } else { c }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_initials() {
        assert_eq!(pinyin_full("科技馆"), "kejiguan");
        assert_eq!(pinyin_initials("科技馆"), "kjg");
        assert_eq!(pinyin_full("市教育体育局"), "shijiaoyutiyuju");
        assert_eq!(pinyin_initials("市科学技术协会"), "skxjsxh");
    }

    #[test]
    fn non_han_characters() {
        assert_eq!(pinyin_full("科普e站，2025年"), "kepuezhan2025nian");
        assert_eq!(pinyin_initials("科普E站"), "kpez");
        assert_eq!(syllables("科a"), vec![Some("ke"), None]);
        assert_eq!(pinyin_full("绿女"), "lvnv");
    }
}
