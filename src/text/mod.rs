//! Text utilities shared by every stage: CJK character classes and friends.
//! Pure functions on strings; no knowledge of pages or output.

pub mod json;
pub mod pinyin;

/// True for characters of the CJK scripts (Han ideographs, kana, hangul, CJK and full-width
/// punctuation): the characters between which Chinese text has no spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // kana
        | 0x3100..=0x312F    // bopomofo
        | 0x3190..=0x31FF
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // half- and full-width forms
        | 0x20000..=0x3134F) // extensions B–G
}

/// True for Han ideographs only (no punctuation).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// True for Unicode punctuation as CommonMark defines it (general categories P and S):
/// `，` `：` `“` `）` as well as ASCII `.` `*` `$`.
pub fn is_punctuation(c: char) -> bool {
    use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Punctuation | GeneralCategoryGroup::Symbol
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_cjk('科'));
        assert!(is_cjk('，'));
        assert!(is_cjk('：'));
        assert!(!is_cjk('a'));
        assert!(is_han('科'));
        assert!(!is_han('，'));
        for c in ['，', '：', '“', '”', '（', '）', '、', '。', '.', '*'] {
            assert!(is_punctuation(c), "{c}");
        }
        for c in ['科', 'a', '1', ' ', '\u{E000}'] {
            assert!(!is_punctuation(c), "{c:?}");
        }
    }
}
